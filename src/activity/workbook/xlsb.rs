//! An xlsb file's sheets, looked over before calamine reads them. calamine's reader of an xlsb
//! sheet stops at a row header naming a row past row 1,048,577 (from 1), as if the sheet ended
//! there: every cell after it was dropped without a word. Such a row makes the file damaged.

use std::io::Read;

use super::{Unconverted, Zip, ROWS};

/// Refuse an xlsb file with a row header past the last row calamine reads, in any of its
/// worksheets. Parts that cannot be read are left to calamine to refuse.
pub(super) fn rows_fit(zip: &mut Zip<'_>) -> Result<(), Unconverted> {
    let sheets: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".bin"))
        .map(|n| n.into_owned())
        .collect();
    for name in sheets {
        let Ok(part) = zip.by_name(&name) else {
            continue;
        };
        if let Some(row) = row_past_the_end(part) {
            return Err(Unconverted::Damaged(format!(
                "its part {name} names row {}, past the last row a sheet can have ({ROWS} \
                 rows): the rows after it would not be read",
                u64::from(row) + 1
            )));
        }
    }
    Ok(())
}

/// The first row header (`BrtRowHdr`) of a sheet part naming a row (from 0) past the one
/// calamine stops at, if any. The records are read as calamine reads them, a record at a time,
/// until they end or one is cut short.
fn row_past_the_end(part: impl Read) -> Option<u32> {
    let mut part = std::io::BufReader::new(part);
    loop {
        let typ = varint(&mut part, 2)?;
        let len = varint(&mut part, 4)? as u64;
        let mut rest = (&mut part).take(len);
        if typ == 0 {
            let mut row = [0; 4];
            rest.read_exact(&mut row).ok()?;
            let row = u32::from_le_bytes(row);
            // calamine reads on through row 1,048,576 (from 0), where a cell is past the sheet
            // and refused as such.
            if row > ROWS {
                return Some(row);
            }
        }
        std::io::copy(&mut rest, &mut std::io::sink()).ok()?;
        if rest.limit() > 0 {
            return None;
        }
    }
}

/// A BIFF12 number of at most `most` bytes, 7 bits each, the high bit saying another follows;
/// none at the end of the part.
fn varint(part: &mut impl Read, most: usize) -> Option<usize> {
    let mut value = 0usize;
    for i in 0..most {
        let mut b = [0u8];
        part.read_exact(&mut b).ok()?;
        value |= usize::from(b[0] & 0x7F) << (7 * i);
        if b[0] & 0x80 == 0 {
            break;
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u8, data: &[u8]) -> Vec<u8> {
        let len = u8::try_from(data.len()).unwrap_or(u8::MAX);
        [&[typ, len][..], data].concat()
    }

    fn row(at: u32) -> Vec<u8> {
        record(0, &[&at.to_le_bytes()[..], &[0; 9]].concat())
    }

    #[test]
    fn a_row_past_the_last_one_calamine_reads_is_found() {
        let cell = record(6, &[0; 12]);
        let part = |last: u32| [row(0), cell.clone(), row(last), cell.clone()].concat();
        assert_eq!(row_past_the_end(&part(ROWS - 1)[..]), None);
        assert_eq!(row_past_the_end(&part(ROWS)[..]), None);
        assert_eq!(row_past_the_end(&part(ROWS + 1)[..]), Some(ROWS + 1));
        assert_eq!(row_past_the_end(&part(u32::MAX)[..]), Some(u32::MAX));
        // A record cut short ends the look, as it ends calamine's reading.
        let cut = [row(0), vec![0, 13, 1, 0]].concat();
        assert_eq!(row_past_the_end(&cut[..]), None);
        // Two-byte types and lengths.
        let long = [vec![0x94, 0x01, 0x90, 0x00], vec![7; 16], row(ROWS + 5)].concat();
        assert_eq!(row_past_the_end(&long[..]), Some(ROWS + 5));
    }
}
