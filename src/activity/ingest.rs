//! Streaming over activity files: each row is read once, validated, and handed to a [`Sink`];
//! nothing holds the rows.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use csv::{ByteRecord, ReaderBuilder};

use super::columns::Columns;
use super::err::InputError;
use super::reject::{Reject, RejectCode, Warning};
use super::validate::Validator;
use super::{Activity, RowRef};
use crate::digest::HashingReader;

/// The longest row concord reads: past it, the file almost surely has an unclosed quote, and
/// reading on would hold the rest of the file in memory.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// What a run does with each row.
pub trait Sink {
    /// An accepted row; returns whether it counts as evidence for any commitment.
    fn accept(&mut self, activity: &Activity<'_>, row: RowRef) -> bool;
    fn reject(&mut self, _file: &str, _reject: &Reject, _record: &ByteRecord) {}
    fn warn(&mut self, _file: &str, _warning: &Warning) {}
}

/// Per input file: its digest and how its rows were used. rows = accepted + rejected.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FileStats {
    pub path: String,
    pub sha256: String,
    pub rows: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// Accepted rows that count towards no commitment.
    pub unmatched: u64,
    pub rejects_by_code: BTreeMap<String, u64>,
    pub warnings_by_code: BTreeMap<String, u64>,
}

/// Read every file in turn. Ids must be unique across all of them.
pub fn ingest_files(
    validator: &Validator<'_>,
    paths: &[impl AsRef<Path>],
    sink: &mut dyn Sink,
) -> Result<Vec<FileStats>, InputError> {
    let mut seen: HashMap<Box<str>, RowRef> = HashMap::new();
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.as_ref().display().to_string())
        .collect();
    let mut stats = Vec::with_capacity(paths.len());
    for (ix, path) in paths.iter().enumerate() {
        let file_ix = u16::try_from(ix).map_err(|_| InputError::Unreadable {
            file: names[ix].clone(),
            reason: "too many input files (at most 65535)".into(),
        })?;
        stats.push(ingest_file(
            validator,
            path.as_ref(),
            file_ix,
            &names,
            &mut seen,
            sink,
        )?);
    }
    Ok(stats)
}

fn ingest_file(
    validator: &Validator<'_>,
    path: &Path,
    file_ix: u16,
    names: &[String],
    seen: &mut HashMap<Box<str>, RowRef>,
    sink: &mut dyn Sink,
) -> Result<FileStats, InputError> {
    let name = &names[file_ix as usize];
    let unreadable = |e: &dyn std::fmt::Display| InputError::Unreadable {
        file: name.clone(),
        reason: e.to_string(),
    };
    if path.is_dir() {
        return Err(unreadable(&"it is a directory"));
    }
    let file = File::open(path).map_err(|e| unreadable(&e))?;
    let record_start = Rc::new(Cell::new(0u64));
    let guard = Guard {
        inner: HashingReader::new(file),
        read: 0,
        record_start: record_start.clone(),
    };
    let mut reader = ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(guard);
    let mut record = ByteRecord::new();
    let csv_err = |e: csv::Error, line: u64| match e.kind() {
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::FileTooLarge => {
            InputError::FieldTooLong {
                file: name.clone(),
                line,
                limit: MAX_ROW_BYTES,
            }
        }
        _ => InputError::Csv {
            file: name.clone(),
            line,
            reason: e.to_string(),
        },
    };
    if !reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_err(e, 1))?
    {
        return Err(InputError::Empty { file: name.clone() });
    }
    strip_bom(&mut record);
    let header: Vec<&str> = match record
        .iter()
        .map(std::str::from_utf8)
        .collect::<Result<_, _>>()
    {
        Ok(h) => h,
        Err(e) => {
            return Err(InputError::HeaderEncoding {
                file: name.clone(),
                byte: e.valid_up_to() as u64,
            })
        }
    };
    let (cols, warnings) = Columns::from_header(name, &header)?;
    let mut stats = FileStats {
        path: name.clone(),
        ..FileStats::default()
    };
    for w in &warnings {
        *stats
            .warnings_by_code
            .entry(w.code.as_str().to_string())
            .or_default() += 1;
        sink.warn(name, w);
    }
    loop {
        record_start.set(reader.position().byte());
        let line = reader.position().line();
        if !reader
            .read_byte_record(&mut record)
            .map_err(|e| csv_err(e, line))?
        {
            break;
        }
        let line = record.position().map_or(line, |p| p.line());
        stats.rows += 1;
        let row = RowRef {
            file: file_ix,
            line: u32::try_from(line).unwrap_or(u32::MAX),
        };
        let outcome = validator
            .validate(&record, &cols, line)
            .and_then(|(activity, warnings)| {
                if let Some(first) = seen.get(activity.id) {
                    let place = if first.file == file_ix {
                        format!("line {}", first.line)
                    } else {
                        format!("{}:{}", names[first.file as usize], first.line)
                    };
                    return Err(Reject {
                        line,
                        column: Some(cols.id + 1),
                        code: RejectCode::DuplicateId,
                        message: format!(
                            "duplicate id \"{}\" (first used at {place})",
                            activity.id
                        ),
                        hint: Some("give every activity its own id".into()),
                    });
                }
                seen.insert(activity.id.into(), row);
                Ok((activity, warnings))
            });
        match outcome {
            Ok((activity, warnings)) => {
                stats.accepted += 1;
                for w in &warnings {
                    *stats
                        .warnings_by_code
                        .entry(w.code.as_str().to_string())
                        .or_default() += 1;
                    sink.warn(name, w);
                }
                if !sink.accept(&activity, row) {
                    stats.unmatched += 1;
                }
            }
            Err(reject) => {
                stats.rejected += 1;
                *stats
                    .rejects_by_code
                    .entry(reject.code.as_str().to_string())
                    .or_default() += 1;
                sink.reject(name, &reject, &record);
            }
        }
    }
    let guard = reader.into_inner();
    stats.sha256 = guard.finish();
    Ok(stats)
}

fn strip_bom(record: &mut ByteRecord) {
    if let Some(first) = record.get(0) {
        if let Some(rest) = first.strip_prefix(b"\xEF\xBB\xBF") {
            let mut fixed = ByteRecord::new();
            fixed.push_field(rest);
            for f in record.iter().skip(1) {
                fixed.push_field(f);
            }
            *record = fixed;
        }
    }
}

/// Hashes what it reads and refuses to read on once one row passes [`MAX_ROW_BYTES`].
struct Guard<R> {
    inner: HashingReader<R>,
    read: u64,
    record_start: Rc<Cell<u64>>,
}

impl<R: Read> Guard<R> {
    fn finish(mut self) -> String {
        let mut rest = Vec::new();
        let _ = self.inner.read_to_end(&mut rest);
        self.inner.finish()
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read.saturating_sub(self.record_start.get()) > MAX_ROW_BYTES as u64 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                "row too long",
            ));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}
