//! Where a record really starts: its line as an editor counts them, and the empty lines before it.

use std::sync::atomic::{AtomicU64, Ordering};

use super::Reader;
use crate::activity::record::Record;
use crate::activity::reject::{Warning, WarningCode};
use crate::activity::scan::Scanned;

/// Read the next record and where it really starts (see [`Lines`]): whether there was one
/// before the end of the input, or the error and the line it stopped on.
///
/// Each run of empty lines the scanner hands back on its own is counted and let go before the
/// record is read, so that the guard bounds the record alone: a megabyte of empty lines before
/// a row is no row longer than the limit.
pub(super) fn read_located(
    reader: &mut Reader,
    record_start: &AtomicU64,
    lines: &mut Lines,
    record: &mut Record,
) -> Result<(bool, Located), (std::io::Error, u64)> {
    let mut blank = 0;
    loop {
        let (from, from_line) = (reader.byte(), reader.line());
        record_start.store(from, Ordering::Relaxed);
        let scanned = reader.scan(record);
        let guard = reader.get_ref();
        let scanned = match scanned {
            Ok(scanned) => scanned,
            Err(e) => {
                let at = lines.advance(&guard.held(from, guard.offset()), from, None);
                return Err((e, at.line));
            }
        };
        let lf = (!guard.cr_seen()).then(|| reader.line() - from_line);
        let mut at = lines.advance(&guard.held(from, reader.byte()), from, lf);
        at.blank += blank;
        match scanned {
            Scanned::Blank => blank = at.blank,
            Scanned::Record => return Ok((true, at)),
            Scanned::End => return Ok((false, at)),
        }
    }
}

/// The line a record starts on (see [`Lines`]).
pub(super) fn line_of(record: &Record) -> u64 {
    record.position().map_or(0, |p| p.line())
}

/// The warning for a run of empty lines: the scanner skips them (as csv does), and they are
/// not rows (they hold no data), but nothing is skipped without saying so.
pub(super) fn blank_lines(first: u64, n: u64) -> Warning {
    let message = if n == 1 {
        format!("line {first} is empty: skipped")
    } else {
        format!("lines {first} to {} are empty: skipped", first + n - 1)
    };
    Warning {
        line: first,
        column: None,
        code: WarningCode::BlankLine,
        message,
        hint: Some("empty lines are not rows; delete them to silence this warning".into()),
    }
}

/// Line numbers as a person counts them in an editor. The scanner, like csv, positions a
/// record *before* the empty lines it skips and counts only `\n`, so a CRLF file would be one
/// line off and a CR-only file all on line 1; this counts `\r\n`, `\n` and `\r` from the bytes
/// themselves.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lines {
    /// The line of the next unread byte.
    pub(super) line: u64,
    /// The last byte read, to see a `\r\n` split across two reads.
    pub(super) prev: u8,
}

/// Where a record really starts, and how many empty lines the scanner skipped before it.
pub(super) struct Located {
    pub(super) byte: u64,
    pub(super) line: u64,
    pub(super) blank: u64,
}

impl Lines {
    pub(super) fn new() -> Lines {
        Lines { line: 1, prev: 0 }
    }

    /// Account for the bytes one read consumed (`raw`, from file offset `from`). `lf` is the
    /// number of `\n` in them when the file has shown no `\r` so far: the scanner counted
    /// those already, and the bytes need not be scanned again.
    pub(super) fn advance(&mut self, raw: &[u8], from: u64, lf: Option<u64>) -> Located {
        let lead = raw
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let blank = breaks(self.prev, &raw[..lead]);
        let line = self.line + blank;
        let after = if lead > 0 { raw[lead - 1] } else { self.prev };
        self.line = line
            + match lf {
                Some(lf) => lf.saturating_sub(lead as u64),
                None => breaks(after, &raw[lead..]),
            };
        if let Some(&b) = raw.last() {
            self.prev = b;
        }
        Located {
            byte: from + lead as u64,
            line,
            blank,
        }
    }
}

/// Line breaks in `bytes`: `\r\n`, `\n` or `\r`; `prev` is the byte before them.
pub(super) fn breaks(prev: u8, bytes: &[u8]) -> u64 {
    let lf = memchr::memchr_iter(b'\n', bytes).count();
    if prev != b'\r' && memchr::memchr(b'\r', bytes).is_none() {
        return lf as u64;
    }
    let cr = memchr::memchr_iter(b'\r', bytes).count();
    let split = usize::from(prev == b'\r' && bytes.first() == Some(&b'\n'));
    let crlf = split + bytes.windows(2).filter(|w| *w == b"\r\n").count();
    (lf + cr - crlf) as u64
}
