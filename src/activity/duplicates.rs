//! Ids used more than once in a run. Which copy came first depends only on the order of the
//! files and rows, so no copy may win by arriving first: once every file is read, copies with
//! the same values are kept once (the others warned about), and copies that differ are all
//! rejected, each naming the others.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder};

use super::columns::Columns;
use super::ingest::{FileStats, Sink};
use super::reject::{Reject, RejectCode, Warning, WarningCode};
use super::validate::Validator;
use super::{IdRef, Ids, RowRef};

/// A row whose id was already used, held back until the whole run has been read.
pub(crate) struct Held {
    /// The first copy's id, in the run's [`Ids`].
    pub first: IdRef,
    pub row: RowRef,
    /// The 1-based column of its id.
    pub column: usize,
    /// The row's fields, byte for byte, for the rejects file.
    pub record: ByteRecord,
    pub values: Values,
}

/// A row's values by column name (in [`super::COLUMNS`] order, trimmed, empty where the file has no
/// such column): two copies are the same when these are, whatever their files' column order.
pub(crate) type Values = Vec<Box<[u8]>>;

pub(crate) fn values(record: &ByteRecord, cols: &Columns) -> Values {
    cols.known()
        .iter()
        .map(|c| {
            c.and_then(|i| record.get(i))
                .map(|f| f.trim_ascii())
                .unwrap_or_default()
                .into()
        })
        .collect()
}

/// Settle every held row: `names` are the run's files, `stats` their statistics where the
/// file could be read (None where it could not).
pub(crate) fn resolve(
    validator: &Validator<'_>,
    paths: &[&Path],
    names: &[String],
    held: Vec<Held>,
    ids: &Ids,
    stats: &mut [Option<&mut FileStats>],
    sink: &mut dyn Sink,
) {
    if held.is_empty() {
        return;
    }
    let mut groups: BTreeMap<IdRef, Vec<Held>> = BTreeMap::new();
    for h in held {
        groups.entry(h.first).or_default().push(h);
    }
    let firsts = read_firsts(validator, paths, ids, groups.keys().copied());
    let mut settling = Settling {
        validator,
        names,
        ids,
        stats,
        sink,
    };
    for (first, copies) in groups {
        let first_copy = firsts.get(&first);
        let same = first_copy.is_some_and(|(record, cols)| {
            let v = values(record, cols);
            copies.iter().all(|c| c.values == v)
        });
        if same {
            settling.keep_once(first, &copies);
        } else {
            settling.reject_all(first, first_copy, &copies);
        }
    }
}

/// The first copies were accepted as they came: read them back, file by file.
fn read_firsts(
    validator: &Validator<'_>,
    paths: &[&Path],
    ids: &Ids,
    firsts: impl Iterator<Item = IdRef>,
) -> BTreeMap<IdRef, (ByteRecord, Columns)> {
    let mut by_file: BTreeMap<u16, Vec<IdRef>> = BTreeMap::new();
    for first in firsts {
        by_file.entry(ids.row(first).file).or_default().push(first);
    }
    let mut out = BTreeMap::new();
    for (file, wanted) in by_file {
        if let Some(path) = paths.get(file as usize) {
            out.extend(read_back(validator, path, ids, &wanted));
        }
    }
    out
}

/// What settling the held rows reads and changes.
struct Settling<'a, 's> {
    validator: &'a Validator<'a>,
    names: &'a [String],
    ids: &'a Ids,
    stats: &'a mut [Option<&'s mut FileStats>],
    sink: &'a mut dyn Sink,
}

impl Settling<'_, '_> {
    /// Copies with the first copy's values are counted once: each is accepted as matching
    /// nothing, with a warning.
    fn keep_once(&mut self, first: IdRef, copies: &[Held]) {
        let id = String::from_utf8_lossy(self.ids.id(first)).into_owned();
        let first_row = self.ids.row(first);
        for c in copies {
            let Some(s) = self.file_stats(c.row.file) else {
                continue;
            };
            s.accepted += 1;
            s.unmatched += 1;
            *s.warnings_by_code
                .entry(WarningCode::DuplicateRow.as_str().into())
                .or_default() += 1;
            let warning = Warning {
                line: u64::from(c.row.line),
                column: None,
                code: WarningCode::DuplicateRow,
                message: format!(
                    "row repeats {} (id \"{id}\", the same values): it is counted once",
                    self.place(first_row, c.row.file)
                ),
                hint: Some("delete the repeated row".into()),
            };
            self.sink.warn(&self.names[c.row.file as usize], &warning);
        }
    }

    /// Copies that differ: none can be trusted over the others, so the first is withdrawn
    /// and every copy is rejected, each naming the others.
    fn reject_all(
        &mut self,
        first: IdRef,
        first_copy: Option<&(ByteRecord, Columns)>,
        copies: &[Held],
    ) {
        let first_row = self.ids.row(first);
        let mut all: Vec<(RowRef, usize, &ByteRecord)> = copies
            .iter()
            .map(|c| (c.row, c.column, &c.record))
            .collect();
        if let Some((record, cols)) = first_copy {
            self.withdraw(first, record, cols);
            all.push((first_row, cols.id + 1, record));
        }
        for c in copies {
            if let Some(s) = self.file_stats(c.row.file) {
                count_duplicate_id(s);
            }
        }
        all.sort_by_key(|(row, _, _)| *row);
        let every: Vec<RowRef> = std::iter::once(first_row)
            .chain(copies.iter().map(|c| c.row))
            .collect();
        let id = String::from_utf8_lossy(self.ids.id(first)).into_owned();
        for (row, column, record) in all {
            let others: Vec<String> = every
                .iter()
                .filter(|&&r| r != row)
                .map(|&r| self.place(r, row.file))
                .collect();
            let reject = Reject {
                line: u64::from(row.line),
                column: Some(column),
                code: RejectCode::DuplicateId,
                message: format!(
                    "id \"{id}\" is also used at {} with other values: every copy is rejected",
                    others.join(", ")
                ),
                hint: Some(
                    "give every activity its own id, or delete the copies that are wrong".into(),
                ),
            };
            self.sink
                .reject(&self.names[row.file as usize], &reject, record);
        }
    }

    /// Take back the first copy, accepted when it came, and count it rejected.
    fn withdraw(&mut self, first: IdRef, record: &ByteRecord, cols: &Columns) {
        let first_row = self.ids.row(first);
        let withdrawn = self
            .validator
            .check_owned(record, cols, u64::from(first_row.line))
            .ok()
            .map(|(checked, _)| self.sink.withdraw(&checked.activity(record), first));
        if let Some(s) = self.file_stats(first_row.file) {
            s.accepted -= 1;
            if withdrawn == Some(false) {
                s.unmatched -= 1;
            }
            count_duplicate_id(s);
        }
    }

    /// The statistics of file `file`, when it could be read.
    fn file_stats(&mut self, file: u16) -> Option<&mut FileStats> {
        self.stats
            .get_mut(file as usize)
            .and_then(Option::as_mut)
            .map(|s| &mut **s)
    }

    /// Where `row` is, as seen from a row of file `from`: its line, with the file's name
    /// when it is another.
    fn place(&self, row: RowRef, from: u16) -> String {
        if row.file == from {
            format!("line {}", row.line)
        } else {
            format!("{}:{}", self.names[row.file as usize], row.line)
        }
    }
}

/// One more row of a file rejected as a [`RejectCode::DuplicateId`].
fn count_duplicate_id(stats: &mut FileStats) {
    stats.rejected += 1;
    *stats
        .rejects_by_code
        .entry(RejectCode::DuplicateId.as_str().into())
        .or_default() += 1;
}

/// The first accepted row of each id in `wanted` in the file at `path`, with the file's
/// columns. The file was read once already, so it is read the same way again.
fn read_back(
    validator: &Validator<'_>,
    path: &Path,
    ids: &Ids,
    wanted: &[IdRef],
) -> Vec<(IdRef, (ByteRecord, Columns))> {
    let Ok(file) = File::open(path) else {
        return Vec::new();
    };
    let mut reader = ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(std::io::BufReader::new(file));
    let mut record = ByteRecord::new();
    if !reader.read_byte_record(&mut record).unwrap_or(false) {
        return Vec::new();
    }
    let header: Option<Vec<String>> = record
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let f = if i == 0 {
                f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f)
            } else {
                f
            };
            std::str::from_utf8(f).ok().map(str::to_string)
        })
        .collect();
    let Some(header) = header else {
        return Vec::new();
    };
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let Ok((cols, _)) = Columns::from_header("", &names) else {
        return Vec::new();
    };
    let mut left: BTreeMap<&[u8], IdRef> = wanted.iter().map(|&w| (ids.id(w), w)).collect();
    let mut found = Vec::new();
    while !left.is_empty() && reader.read_byte_record(&mut record).unwrap_or(false) {
        let Ok((checked, _)) = validator.check_owned(&record, &cols, 0) else {
            continue;
        };
        if let Some(at) = left.remove(checked.id_bytes(&record)) {
            found.push((at, (record.clone(), cols.clone())));
        }
    }
    found
}
