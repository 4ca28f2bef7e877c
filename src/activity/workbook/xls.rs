//! An xls file's sheets, read as calamine will read them, before it does. calamine parses every
//! sheet of an xls file when it opens it, and builds each as a dense grid from its first cell to
//! its farthest, after reserving room for the area the sheet's `Dimensions` record names: a
//! 20 KB file with a cell at row 65,536 and column 65,536, or with `Dimensions` naming 4 billion
//! rows, asked for terabytes and aborted the run. A legal xls sheet spans at most 65,536 rows of
//! 256 columns: [`super::GRID`] cells, and so may all the sheets of a file together, since
//! calamine builds them all (a 5.6 KB file of eight sheets, each with a cell at its far corner,
//! took 4.7 GB). A cell that shows a shared string gets a copy of its own: a 2 MB file of
//! 60,000 cells showing one string of 30,000 characters took 4.6 GB, so the characters its
//! cells show are held to [`super::TEXT`].

use std::io::{Cursor, Read};

use super::{Unconverted, GRID, TEXT};

/// What every compound file starts with.
const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Refuse an xls file whose sheets would make calamine reserve or build more than [`GRID`]
/// cells, each or together, or copy more than [`TEXT`] characters of shared strings; whose
/// sheet list points past its workbook stream; or whose sheet read (`wanted`, or the first)
/// shows a shared string the file does not have. A compound file whose workbook stream cannot
/// be read here is refused as damaged too: calamine's own reader of compound files might read
/// it, unchecked. Anything that is not a compound file, or whose records are cut short, is left
/// to calamine to refuse.
pub(super) fn sheets_fit(bytes: &[u8], wanted: Option<&str>) -> Result<(), Unconverted> {
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
    stream_fits(&stream, wanted)
}

/// The sheets of a workbook stream, each and together; `wanted` names the sheet read (none:
/// the first).
fn stream_fits(stream: &[u8], wanted: Option<&str>) -> Result<(), Unconverted> {
    let strings = shared_strings(stream);
    let mut all = Built::default();
    for (ix, (at, name)) in sheet_starts(stream).into_iter().enumerate() {
        let read = wanted.map_or(ix == 0, |w| w == name);
        let Some(sheet) = stream.get(at..) else {
            return Err(Unconverted::Damaged(format!(
                "sheet `{name}` starts at byte {at}, past the end of the workbook stream ({} \
                 bytes)",
                stream.len()
            )));
        };
        let built = sheet_fits(sheet, &strings, read).map_err(|why| why.of_sheet(&name))?;
        all.cells = all.cells.saturating_add(built.cells);
        all.shown = all.shown.saturating_add(built.shown);
    }
    if all.cells > GRID {
        return Err(Unconverted::TooLarge(format!(
            "its sheets span {} cells together, more than concord reads from an xls file \
             ({GRID} cells), since every sheet is built when the file is opened",
            all.cells
        )));
    }
    if all.shown > TEXT as u64 {
        return Err(Unconverted::TooLarge(format!(
            "its cells show {} characters of shared strings, each cell a copy of its own, more \
             than concord reads from a workbook ({TEXT} characters)",
            all.shown
        )));
    }
    Ok(())
}

/// What calamine builds of a sheet: the cells of its largest grid, and the characters of
/// the shared strings its cells show.
#[derive(Default)]
struct Built {
    cells: u64,
    shown: u64,
}

/// Each shared string's length in characters, from the `SST` record and the `Continue`
/// records after it, as calamine reads them: a string's characters may run on into the next
/// `Continue`, which opens with flags of its own. Where a string cannot be read (calamine then
/// refuses the file, or may read on differently), the strings from there on count as long as
/// a string can be: 65,535 characters.
fn shared_strings(stream: &[u8]) -> Strings {
    let mut records = records(stream)
        .take_while(|&(typ, _)| typ != 0x000A)
        .skip_while(|&(typ, _)| typ != 0x00FC);
    let mut strings = Strings::default();
    let Some((_, sst)) = records.next() else {
        return strings;
    };
    let mut conts = records.map_while(|(typ, data)| (typ == 0x003C).then_some(data));
    let mut data = sst.get(8..).unwrap_or_default();
    loop {
        if data.is_empty() {
            match conts.next() {
                Some(next) => data = next,
                None => return strings,
            }
        }
        match shared_string(&mut data, &mut conts) {
            Some(cch) => strings.lengths.push(u32::from(cch)),
            None => {
                strings.beyond = u32::from(u16::MAX);
                return strings;
            }
        }
    }
}

/// The shared strings' lengths, and the length of one past them: none, where calamine read
/// them all, or the most a string can have, where they could not be read to their end.
#[derive(Default)]
struct Strings {
    lengths: Vec<u32>,
    beyond: u32,
}

impl Strings {
    fn length(&self, i: usize) -> u32 {
        self.lengths.get(i).copied().unwrap_or(self.beyond)
    }

    /// Whether the string at `i` is past them all, where they were all read.
    fn missing(&self, i: usize) -> bool {
        self.beyond == 0 && i >= self.lengths.len()
    }
}

/// One `XLUnicodeRichExtendedString`, read past: its length in characters, or none where it
/// cannot be read.
fn shared_string<'a>(
    data: &mut &'a [u8],
    conts: &mut impl Iterator<Item = &'a [u8]>,
) -> Option<u16> {
    // An empty `Continue` where a string should start: calamine reads an empty string.
    if data.is_empty() {
        return Some(0);
    }
    let (&[c0, c1, flags], rest) = data.split_first_chunk::<3>()?;
    *data = rest;
    let cch = u16::from_le_bytes([c0, c1]);
    let mut after = 0usize;
    if flags & 0x8 != 0 {
        let (runs, rest) = data.split_first_chunk::<2>()?;
        after += 4 * usize::from(u16::from_le_bytes(*runs));
        *data = rest;
    }
    if flags & 0x4 != 0 {
        let (ext, rest) = data.split_first_chunk::<4>()?;
        after += usize::try_from(i32::from_le_bytes(*ext)).ok()?;
        *data = rest;
    }
    let (mut left, mut high) = (usize::from(cch), flags & 0x1 != 0);
    loop {
        let width = if high { 2 } else { 1 };
        let taken = left.min(data.len() / width);
        *data = &data[taken * width..];
        left -= taken;
        if left == 0 {
            break;
        }
        let (&flags, rest) = conts.next()?.split_first()?;
        (*data, high) = (rest, flags & 0x1 != 0);
    }
    while after > 0 {
        if data.is_empty() {
            *data = conts.next()?;
            continue;
        }
        let skip = after.min(data.len());
        *data = &data[skip..];
        after -= skip;
    }
    Some(cch)
}

/// Each sheet's start in the workbook stream and its name, from its `BoundSheet8` record, up to
/// the first `EOF`, as calamine reads them.
fn sheet_starts(stream: &[u8]) -> Vec<(usize, String)> {
    let mut starts = Vec::new();
    let mut biff8 = true;
    for (typ, data) in records(stream) {
        match typ {
            // BOF: BIFF8 (Excel 97 and later) is version 0x0600.
            0x0809 if data.len() >= 2 => biff8 = data[..2] == [0x00, 0x06],
            0x0085 if data.len() >= 7 => {
                let at = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
                starts.push((at, sheet_name(&data[6..], biff8)));
            }
            0x000A => break,
            _ => {}
        }
    }
    starts
}

/// A sheet's name (`ShortXLUnicodeString`): a count of characters, in BIFF8 a flag for two-byte
/// ones (UTF-16, else Latin-1), then the characters; its NULs dropped, as calamine drops them.
/// A BIFF5 name is read as Latin-1, where calamine uses the file's code page.
fn sheet_name(data: &[u8], biff8: bool) -> String {
    let Some((&len, rest)) = data.split_first() else {
        return String::new();
    };
    let len = usize::from(len);
    let (wide, chars) = match (biff8, rest.split_first()) {
        (true, Some((&flags, chars))) => (flags & 0x1 != 0, chars),
        _ => (false, rest),
    };
    let mut name = if wide {
        let units = chars.chunks_exact(2).take(len);
        char::decode_utf16(units.map(|u| u16::from_le_bytes([u[0], u[1]])))
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    } else {
        chars
            .iter()
            .take(len)
            .map(|&b| char::from(b))
            .collect::<String>()
    };
    name.retain(|c| c != '\0');
    name
}

/// Why a sheet does not fit.
enum TooMuch {
    /// Its `Dimensions` end before they start.
    Backwards,
    /// It would reserve or build this many cells (rows, columns).
    Cells(u64, u64),
    /// A cell at (row, column) shows a shared string past the file's: (index, strings).
    NoString((u32, u32), usize, usize),
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
            TooMuch::NoString((row, column), index, strings) => Unconverted::Damaged(format!(
                "sheet `{name}`: the cell at row {}, column {} shows shared string {index}, and \
                 the file has {strings}: calamine would leave it out without a word",
                u64::from(row) + 1,
                u64::from(column) + 1
            )),
        }
    }
}

/// The records of one sheet, from its `BOF` to its `EOF`, skipping the substreams nested in
/// it (embedded charts) as calamine does: the area its `Dimensions` name, and the span of the
/// cells calamine keeps (its values, and apart from them its formulas), must fit in [`GRID`].
/// In the sheet `read`, a cell that shows a shared string the file does not have is damage:
/// calamine drops the cell.
fn sheet_fits(sheet: &[u8], strings: &Strings, read: bool) -> Result<Built, TooMuch> {
    let (mut values, mut formulas) = (Span::default(), Span::default());
    let (mut reserved, mut shown) = (0u64, 0u64);
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
            0x0200 => reserved = reserved.max(dimensions(data)?),
            // Number, Label, RString, BoolErr, Rk, LabelSst: a value at (row, column).
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                if let (Some(row), Some(col)) = (at(0), at(2)) {
                    values.add(row, col);
                }
                // LabelSst: the shared string at an index, copied.
                if let (0x00FD, Some(i)) = (typ, data.get(6..10)) {
                    let i = u32::from_le_bytes([i[0], i[1], i[2], i[3]]) as usize;
                    if read && strings.missing(i) {
                        let at = (at(0).unwrap_or(0), at(2).unwrap_or(0));
                        return Err(TooMuch::NoString(at, i, strings.lengths.len()));
                    }
                    shown = shown.saturating_add(u64::from(strings.length(i)));
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
    let cells = values.fits()?.max(formulas.fits()?).max(reserved);
    Ok(Built { cells, shown })
}

/// A `Dimensions` record, read as calamine reads it: the room it reserves (cells) must fit.
fn dimensions(data: &[u8]) -> Result<u64, TooMuch> {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let (first_row, end_row, mut first_col, end_col) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        // calamine refuses the file.
        _ => return Ok(0),
    };
    if first_col > 0xFF || end_col < first_col {
        first_col = 0;
    }
    if end_row == 0 || end_col == 0 {
        return Ok(1);
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
    Ok(rows * cols)
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

    /// The cells spanned, which must fit.
    fn fits(&self) -> Result<u64, TooMuch> {
        let Some((r0, r1, c0, c1)) = self.0 else {
            return Ok(0);
        };
        let (rows, cols) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
        if rows.saturating_mul(cols) > GRID {
            return Err(TooMuch::Cells(rows, cols));
        }
        Ok(rows * cols)
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

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let len = u16::try_from(data.len()).unwrap_or_else(|_| panic!("a short record"));
        [&typ.to_le_bytes()[..], &len.to_le_bytes(), data].concat()
    }

    /// A workbook stream: globals holding `sst` (an `SST` record and its `Continue`s), then
    /// one sheet whose cells show shared strings `0..shown` a row each after `head`, the sheet
    /// given twice.
    fn workbook_stream(sst: &[Vec<u8>], head: &[u8], shown: u32) -> Vec<u8> {
        let bof = |kind: u16| {
            record(
                0x0809,
                &[&[0, 6][..], &kind.to_le_bytes(), &[0; 12]].concat(),
            )
        };
        let bound = |at: u32, name: &[u8]| {
            let len = u8::try_from(name.len()).unwrap_or(u8::MAX);
            record(
                0x0085,
                &[&at.to_le_bytes()[..], &[0, 0, len, 0], name].concat(),
            )
        };
        let globals = |at: u32| {
            [
                bof(5),
                bound(at, b"a"),
                bound(at, b"b"),
                sst.concat(),
                record(0x000A, &[]),
            ]
            .concat()
        };
        let start = u32::try_from(globals(0).len()).unwrap_or(u32::MAX);
        let mut stream = globals(start);
        stream.extend(bof(16));
        stream.extend(head);
        for i in 0..shown {
            let row = u16::try_from(i).unwrap_or(u16::MAX);
            let cell = [&row.to_le_bytes()[..], &[0, 0, 0, 0], &i.to_le_bytes()].concat();
            stream.extend(record(0x00FD, &cell));
        }
        stream.extend(record(0x000A, &[]));
        stream
    }

    /// Shared strings of every shape: compressed and two-byte characters, rich text runs, an
    /// extension block, a string whose characters run on into a `Continue` that switches their
    /// width, one that starts a `Continue`. calamine reads the same lengths, and a cell showing
    /// an index past them shows nothing.
    #[test]
    fn shared_strings_are_measured_as_calamine_reads_them() {
        let mut first = vec![0u8; 8];
        first.extend([2, 0, 0]);
        first.extend(b"id");
        first.extend([10, 0, 1]);
        first.extend("é".repeat(10).encode_utf16().flat_map(u16::to_le_bytes));
        first.extend([3, 0, 0x8, 2, 0]);
        first.extend(b"abc");
        first.extend([0; 8]);
        first.extend([4, 0, 0x4, 6, 0, 0, 0]);
        first.extend(b"wxyz");
        first.extend([0; 6]);
        first.extend([0x88, 0x13, 0]);
        first.extend(vec![b'q'; 3000]);
        let mut second = vec![1u8];
        second.extend("ж".repeat(2000).encode_utf16().flat_map(u16::to_le_bytes));
        let mut third = vec![3, 0, 0];
        third.extend(b"end");
        let sst = [
            record(0x00FC, &first),
            record(0x003C, &second),
            record(0x003C, &third),
        ];
        let stream = workbook_stream(&sst, &[], 7);
        let strings = shared_strings(&stream);
        assert_eq!(strings.lengths, [2, 10, 3, 4, 5000, 3]);
        assert_eq!(strings.beyond, 0);

        // Version 3: calamine refuses a version 4 file whose streams are all large.
        let mut file =
            cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
                .unwrap_or_else(|e| panic!("compound file: {e}"));
        let mut part = file
            .create_stream("Workbook")
            .unwrap_or_else(|e| panic!("stream: {e}"));
        std::io::Write::write_all(&mut part, &stream).unwrap_or_else(|e| panic!("{e}"));
        drop(part);
        file.flush().unwrap_or_else(|e| panic!("{e}"));
        let bytes = file.into_inner().into_inner();
        let mut book: calamine::Xls<_> =
            calamine::Reader::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
        let grid =
            calamine::Reader::worksheet_range(&mut book, "a").unwrap_or_else(|e| panic!("{e}"));
        let theirs: Vec<usize> = (0..7)
            .map(|row| {
                grid.get_value((row, 0))
                    .map_or(0, |v| v.to_string().chars().count())
            })
            .collect();
        assert_eq!(theirs, [2, 10, 3, 4, 5000, 3, 0]);

        // The last cell shows a string the file does not have: calamine leaves it out.
        assert!(matches!(
            stream_fits(&stream, None),
            Err(Unconverted::Damaged(_))
        ));
        assert!(stream_fits(&workbook_stream(&sst, &[], 6), None).is_ok());
        let at = sheet_starts(&stream).first().map_or(0, |(at, _)| *at);
        let built = sheet_fits(&stream[at..], &strings, false);
        assert_eq!(built.map(|b| b.shown).ok(), Some(5022));

        // A string cut short: those from it on count as long as a string can be.
        let cut = [record(0x00FC, &first[..first.len() - 10])];
        let strings = shared_strings(&workbook_stream(&cut, &[], 0));
        assert_eq!(strings.lengths, [2, 10, 3, 4]);
        assert_eq!((strings.length(3), strings.length(4)), (4, 65535));
    }

    /// calamine builds every sheet when it opens a file, each cell showing a shared string with
    /// a copy of it: the sheets together are held to the cells one may span, and the
    /// characters their cells show to a sheet's text.
    fn stream_fits_first(stream: &[u8]) -> Result<(), Unconverted> {
        stream_fits(stream, None)
    }

    #[test]
    fn sheets_are_held_to_their_cells_and_characters_together() {
        let sst = |strings: u32| {
            let mut data = [strings.to_le_bytes(), strings.to_le_bytes()].concat();
            for _ in 0..strings {
                data.extend([1, 0, 0, b'x']);
            }
            [record(0x00FC, &data)]
        };
        let half = record(0x0200, &biff8((0, 65536), (0, 128)));
        assert!(stream_fits_first(&workbook_stream(&sst(1), &half, 0)).is_ok());
        let more = record(0x0200, &biff8((0, 65536), (0, 129)));
        assert!(matches!(
            stream_fits_first(&workbook_stream(&sst(1), &more, 0)),
            Err(Unconverted::TooLarge(why)) if why.starts_with("its sheets span 16908288 cells together")
        ));

        // Strings that cannot be read count as long as a string can be: 65,535 characters,
        // 8,192 of them shown by each of two sheets is 1 GiB.
        let cut = [record(0x00FC, &[1, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0])];
        assert!(stream_fits_first(&workbook_stream(&cut, &[], 8192)).is_ok());
        assert!(matches!(
            stream_fits_first(&workbook_stream(&cut, &[], 8193)),
            Err(Unconverted::TooLarge(why)) if why.starts_with("its cells show 1073856510 characters")
        ));
        // Shown past the strings calamine read, a cell would show nothing: in the sheet read,
        // the file is damaged.
        assert!(matches!(
            stream_fits(&workbook_stream(&sst(1), &[], 2), None),
            Err(Unconverted::Damaged(why)) if why == "sheet `a`: the cell at row 2, column 1 \
                shows shared string 1, and the file has 1: calamine would leave it out without a word"
        ));
        assert!(stream_fits(&workbook_stream(&sst(1), &[], 2), Some("c")).is_ok());
    }

    /// Sheet names in one-byte (Latin-1) and two-byte (UTF-16) characters, and BIFF5's without
    /// the flag, so that the sheet asked for by name is the one looked over.
    #[test]
    fn sheet_names_are_read_as_calamine_reads_them() {
        assert_eq!(sheet_name(&[3, 0, b'a', 0xE9, b'c', b'!'], true), "aéc");
        let wide: Vec<u8> = "Год".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(sheet_name(&[&[3, 1][..], &wide].concat(), true), "Год");
        assert_eq!(sheet_name(&[3, b'a', 0, b'c'], false), "ac");
        assert_eq!(sheet_name(&[], true), "");
        assert_eq!(sheet_name(&[9, 0, b'x'], true), "x");
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
