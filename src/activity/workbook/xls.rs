//! An xls file's sheets, read as calamine will read them, before it does. calamine parses every
//! sheet of an xls file when it opens it, and builds each as a dense grid from its first cell to
//! its farthest, after reserving room for the area the sheet's `Dimensions` record names: a
//! 20 KB file with a cell at row 65,536 and column 65,536, or with `Dimensions` naming 4 billion
//! rows, asked for terabytes and aborted the run. A legal xls sheet spans at most 65,536 rows of
//! 256 columns: [`super::GRID`] cells.

use std::io::{Cursor, Read};

use super::{Unconverted, GRID};

/// What every compound file starts with.
const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Refuse an xls file whose sheets would make calamine reserve or build more than
/// [`GRID`] cells, or whose sheet list points past its workbook stream. A compound file whose
/// workbook stream cannot be read here is refused as damaged too: calamine's own reader of
/// compound files might read it, unchecked. Anything that is not a compound file, or whose
/// records are cut short, is left to calamine to refuse.
pub(super) fn sheets_fit(bytes: &[u8]) -> Result<(), Unconverted> {
    if !bytes.starts_with(&MAGIC) {
        return Ok(());
    }
    let unread = |e: std::io::Error| {
        Unconverted::Damaged(format!("its workbook stream cannot be read ({e})"))
    };
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(unread)?;
    let mut stream = Vec::new();
    let mut workbook = file
        .open_stream("Workbook")
        .or_else(|_| file.open_stream("Book"))
        .map_err(unread)?;
    workbook.read_to_end(&mut stream).map_err(unread)?;
    for (at, name) in sheet_starts(&stream) {
        let Some(sheet) = stream.get(at..) else {
            return Err(Unconverted::Damaged(format!(
                "sheet `{name}` starts at byte {at}, past the end of the workbook stream ({} \
                 bytes)",
                stream.len()
            )));
        };
        sheet_fits(sheet).map_err(|why| why.of_sheet(&name))?;
    }
    Ok(())
}

/// Each sheet's start in the workbook stream and its name, from its `BoundSheet8` record, up to
/// the first `EOF`, as calamine reads them.
fn sheet_starts(stream: &[u8]) -> Vec<(usize, String)> {
    let mut starts = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            0x0085 if data.len() >= 8 => {
                let at = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
                let len = usize::from(data[6]);
                let name = data.get(8..8 + len).unwrap_or(&data[8..]);
                starts.push((at, String::from_utf8_lossy(name).into_owned()));
            }
            0x000A => break,
            _ => {}
        }
    }
    starts
}

/// Why a sheet does not fit.
enum TooMuch {
    /// Its `Dimensions` end before they start.
    Backwards,
    /// It would reserve or build this many cells (rows, columns).
    Cells(u64, u64),
}

impl TooMuch {
    fn of_sheet(self, name: &str) -> Unconverted {
        match self {
            TooMuch::Backwards => Unconverted::Damaged(format!(
                "sheet `{name}`: its dimensions end before they start"
            )),
            TooMuch::Cells(rows, columns) => Unconverted::TooLarge(format!(
                "sheet `{name}` spans {rows} rows by {columns} columns ({} cells), more than \
                 an xls sheet can hold ({GRID} cells)",
                rows.saturating_mul(columns)
            )),
        }
    }
}

/// The records of one sheet, from its `BOF` to its `EOF`, skipping the substreams nested in
/// it (embedded charts) as calamine does: the area its `Dimensions` name, and the span of the
/// cells calamine keeps (its values, and apart from them its formulas), must fit in [`GRID`].
fn sheet_fits(sheet: &[u8]) -> Result<(), TooMuch> {
    let (mut values, mut formulas) = (Span::default(), Span::default());
    let mut formula_at = (0, 0);
    let (mut seen_bof, mut depth) = (false, 0usize);
    for (typ, data) in records(sheet) {
        let at = |i: usize| {
            data.get(i..i + 2)
                .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
        };
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x0200 => dimensions(data)?,
            // Number, Label, RString, BoolErr, Rk, LabelSst: a value at (row, column).
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                if let (Some(row), Some(col)) = (at(0), at(2)) {
                    values.add(row, col);
                }
            }
            // MulRk: values along a row, from a first column to a last.
            0x00BD if data.len() >= 6 => {
                if let (Some(row), Some(first), Some(last)) = (at(0), at(2), at(data.len() - 2)) {
                    values.add(row, first);
                    values.add(row, last);
                }
            }
            // Formula: a formula, and maybe its value, at (row, column); String: the value
            // of the formula before it.
            0x0006 => {
                if let (Some(row), Some(col)) = (at(0), at(2)) {
                    formula_at = (row, col);
                    formulas.add(row, col);
                    values.add(row, col);
                }
            }
            0x0207 => values.add(formula_at.0, formula_at.1),
            0x000A => break,
            _ => {}
        }
    }
    values.fits()?;
    formulas.fits()
}

/// A `Dimensions` record, read as calamine reads it: the room it reserves must fit.
fn dimensions(data: &[u8]) -> Result<(), TooMuch> {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let (first_row, end_row, mut first_col, end_col) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        // calamine refuses the file.
        _ => return Ok(()),
    };
    if first_col > 0xFF || end_col < first_col {
        first_col = 0;
    }
    if end_row == 0 || end_col == 0 {
        return Ok(());
    }
    let (last_row, last_col) = (end_row - 1, end_col - 1);
    if last_row < first_row || last_col < first_col {
        return Err(TooMuch::Backwards);
    }
    let (rows, cols) = (
        u64::from(last_row - first_row) + 1,
        u64::from(last_col - first_col) + 1,
    );
    if rows.saturating_mul(cols) > GRID {
        return Err(TooMuch::Cells(rows, cols));
    }
    Ok(())
}

/// The span of some cells: the first and last row and column.
#[derive(Default)]
struct Span(Option<(u32, u32, u32, u32)>);

impl Span {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn fits(&self) -> Result<(), TooMuch> {
        let Some((r0, r1, c0, c1)) = self.0 else {
            return Ok(());
        };
        let (rows, cols) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
        if rows.saturating_mul(cols) > GRID {
            return Err(TooMuch::Cells(rows, cols));
        }
        Ok(())
    }
}

/// BIFF records: (type, data), each 4 bytes of type and length then its data, until the bytes
/// end or a record is cut short.
fn records(mut bytes: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let head = bytes.get(..4)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let data = bytes.get(4..4 + len)?;
        bytes = &bytes[4 + len..];
        Some((typ, data))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn biff8(rows: (u32, u32), cols: (u16, u16)) -> Vec<u8> {
        [
            &rows.0.to_le_bytes()[..],
            &rows.1.to_le_bytes(),
            &cols.0.to_le_bytes(),
            &cols.1.to_le_bytes(),
            &[0, 0],
        ]
        .concat()
    }

    #[test]
    fn dimensions_are_read_as_calamine_reads_them() {
        let fits = |data: &[u8]| dimensions(data).is_ok();
        // The largest sheet xls allows, and one row more.
        assert!(fits(&biff8((0, 65536), (0, 256))));
        assert!(!fits(&biff8((0, 65537), (0, 256))));
        // BIFF5's 10 bytes, 16-bit rows.
        let biff5 = [0, 0, 255, 255, 0, 0, 0, 1, 0, 0];
        assert!(fits(&biff5));
        // No rows or no columns: calamine reserves one cell.
        assert!(fits(&biff8((7, 0), (0, 9))));
        assert!(fits(&biff8((0, 9), (3, 0))));
        // A first column past 255, or after the last, is taken as 0.
        assert!(fits(&biff8((0, 1), (300, 256))));
        assert!(!fits(&biff8((0, 65536), (300, 257))));
        // Ending before they start.
        assert!(matches!(
            dimensions(&biff8((5, 5), (0, 1))),
            Err(TooMuch::Backwards)
        ));
        assert!(matches!(
            dimensions(&biff8((0, 1), (5, 5))),
            Err(TooMuch::Backwards)
        ));
        // Other lengths are calamine's to refuse.
        assert!(fits(&[0; 12]));
    }
}
