//! A file's first record read as its header: CSV text in UTF-8 naming the columns concord needs.

use std::sync::atomic::AtomicU64;

use super::lines::{read_located, Lines};
use super::parsing::read_error;
use super::Reader;
use crate::activity::columns::Columns;
use crate::activity::err::InputError;
use crate::activity::record::Record;
use crate::activity::reject::Warning;

/// A file's header as columns, the warnings about it, and the empty lines before it.
pub(super) struct Header {
    pub(super) cols: Columns,
    pub(super) warnings: Vec<Warning>,
    pub(super) blank: u64,
}

/// Read the first record as the header: it must be CSV, in UTF-8, and name the columns
/// concord needs.
pub(super) fn read_header(
    reader: &mut Reader,
    record_start: &AtomicU64,
    name: &str,
    lines: &mut Lines,
) -> Result<Header, InputError> {
    let mut record = Record::new();
    let (more, at) = read_located(reader, record_start, lines, &mut record)
        .map_err(|(e, line)| read_error(name, e, line))?;
    if !more {
        return Err(InputError::Empty {
            file: name.to_string(),
        });
    }
    let utf16 = check_header_bytes(&record, name, at.byte)?;
    let bom = strip_bom(&mut record);
    let header = header_names(&record, name, at.byte + bom, utf16)?;
    let (cols, warnings) = Columns::from_header(name, &header)?;
    Ok(Header {
        cols,
        warnings,
        blank: at.blank,
    })
}

/// A header that is not CSV text (a workbook, a PDF, ...) or is UTF-16 stops the file before
/// its rows are misread; returns whether it starts with a UTF-16 byte order mark.
pub(super) fn check_header_bytes(
    record: &Record,
    name: &str,
    byte: u64,
) -> Result<bool, InputError> {
    let first = record.get(0).unwrap_or_default();
    if let Some(what) = crate::activity::columns::not_csv(first) {
        return Err(InputError::NotCsv {
            file: name.to_string(),
            what,
        });
    }
    let utf16 = first.starts_with(b"\xFF\xFE") || first.starts_with(b"\xFE\xFF");
    // UTF-16 without a byte order mark reads as UTF-8 with a NUL after every ASCII letter.
    if let Some(at) = memchr::memchr(0, record.as_slice()).filter(|_| !utf16) {
        return Err(InputError::HeaderEncoding {
            file: name.to_string(),
            byte: byte + at as u64,
            utf16: true,
        });
    }
    Ok(utf16)
}

/// The header's names as text; `byte` is the file offset of its first name.
pub(super) fn header_names<'h>(
    record: &'h Record,
    name: &str,
    byte: u64,
    utf16: bool,
) -> Result<Vec<&'h str>, InputError> {
    record
        .iter()
        .map(std::str::from_utf8)
        .collect::<Result<_, _>>()
        .map_err(|e| {
            // The offset of the bad byte: the fields before it, their commas, the byte within
            // (exact unless the header quotes its names).
            let bad = record
                .iter()
                .position(|f| std::str::from_utf8(f).is_err())
                .unwrap_or(0);
            let before: u64 = record.iter().take(bad).map(|f| f.len() as u64 + 1).sum();
            InputError::HeaderEncoding {
                file: name.to_string(),
                byte: byte + before + e.valid_up_to() as u64,
                utf16,
            }
        })
}

/// Drop a UTF-8 byte order mark from the first field; returns how many bytes it took.
pub(super) fn strip_bom(record: &mut Record) -> u64 {
    if let Some(first) = record.get(0) {
        if let Some(rest) = first.strip_prefix(b"\xEF\xBB\xBF") {
            let mut fixed = Record::new();
            fixed.push_field(rest);
            for f in record.iter().skip(1) {
                fixed.push_field(f);
            }
            *record = fixed;
            return 3;
        }
    }
    0
}
