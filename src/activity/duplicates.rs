//! Ids used more than once in a run. Which copy came first depends only on the order of the
//! files and rows, so no copy may win by arriving first: once every file is read, copies with
//! the same values are kept once (the others warned about), and copies that differ are all
//! rejected, each naming the others.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::columns::Columns;
use super::holding::{Held, Holding, Reading};
use super::ingest::{FileStats, Sink};
use super::record::Record;
use super::reject::{Reject, RejectCode, Warning, WarningCode};
use super::scan::Scanner;
use super::validate::Validator;
use super::workbook::SheetText;
use super::{Id, IdRef, Ids, RowRef};

/// Where some rows of a file start, as (line, byte): every [`MARK_EVERY`]th row's, so that a
/// first copy is read back from near its line rather than by counting lines from the start.
pub(crate) type Marks = Vec<(u64, u64)>;

/// What the ingestion learnt of a file that its first copies are read back by: its columns
/// (none where its header was refused: then it has no rows), its [`Marks`], and for a
/// workbook the sheet's CSV text, if it was kept (see [`KEEP_TEXT`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    pub cols: Option<Columns>,
    pub marks: Marks,
    pub text: Option<SheetText>,
}

/// The most bytes of sheets' CSV text a run keeps for settling, the first workbooks' first: 2M
/// rows or so. A workbook's text beyond it is let go once its rows are read, and converted again
/// only if one of its rows is a first copy: that costs as long as the first conversion (9 s for
/// a sheet of 1M rows), but a run of many large workbooks does not hold every one of them.
pub(crate) const KEEP_TEXT: usize = 256 << 20;

pub(crate) const MARK_EVERY: u64 = 64;

/// A row's values by column name (in [`super::COLUMNS`] order, trimmed, empty where the file has no
/// such column), its fields given by `field`: two copies are the same when these are, whatever
/// their files' column order.
fn values<'r>(
    field: impl Fn(usize) -> Option<&'r [u8]>,
    cols: &Columns,
) -> impl Iterator<Item = &'r [u8]> {
    cols.known().into_iter().map(move |c| {
        c.and_then(&field)
            .map(|f| f.trim_ascii())
            .unwrap_or_default()
    })
}

/// Settle every held row: `names` are the run's files, `stats` their statistics where the
/// file could be read (None where it could not).
pub(crate) fn resolve(
    validator: &Validator<'_>,
    files: &[(&Path, &Layout)],
    names: &[String],
    mut held: Holding,
    ids: &Ids,
    stats: &mut [Option<&mut FileStats>],
    sink: &mut dyn Sink,
) -> Result<(), Unheld> {
    if held.rows.is_empty() {
        return Ok(());
    }
    // Grouped in place, each group's copies in the order they were read (the sort is stable):
    // a map of a list per id took about 500 bytes a copy more, and a file read twice holds
    // every row.
    let mut rows = std::mem::take(&mut held.rows);
    rows.sort_by_key(|h| h.first);
    let groups: Vec<&[Held]> = rows.chunk_by(|a, b| a.first == b.first).collect();
    let mut sources = BTreeMap::new();
    let unheld = |e| Unheld {
        file: rows[0].row.file,
        error: e,
    };
    let mut holding = held.reading().map_err(unheld)?;
    let mut settling = Settling {
        validator,
        names,
        ids,
        holding: &mut holding,
        stats,
        sink,
    };
    // The first copies are read back a batch of ids at a time, and let go once their copies
    // are settled.
    for batch in groups.chunks(FIRSTS_AT_ONCE) {
        let firsts = batch.iter().map(|copies| copies[0].first);
        let firsts = read_firsts(validator, files, ids, &mut sources, firsts);
        for copies in batch {
            settle(&mut settling, files, &firsts, copies).map_err(|error| Unheld {
                file: copies[0].row.file,
                error,
            })?;
        }
    }
    Ok(())
}

/// The held rows of an id could not be read back from the temporary file they were kept in:
/// the copies of one of them are in file `file`.
#[derive(Debug)]
pub(crate) struct Unheld {
    pub file: u16,
    pub error: std::io::Error,
}

/// How many ids' first copies are held at once while their copies are settled.
pub(super) const FIRSTS_AT_ONCE: usize = 1 << 16;

/// Keep once, or reject every one of, the copies of one id (`copies`, in the order read),
/// compared with its first copy, if it was read back (in `firsts`).
fn settle(
    settling: &mut Settling<'_, '_>,
    files: &[(&Path, &Layout)],
    firsts: &[(IdRef, Record)],
    copies: &[Held],
) -> std::io::Result<()> {
    let first = copies[0].first;
    let first_copy = firsts
        .binary_search_by_key(&first, |(at, _)| *at)
        .ok()
        .and_then(|i| {
            Some((
                &firsts[i].1,
                columns_of(files, settling.ids.row(first).file)?,
            ))
        });
    let same = match first_copy {
        Some((record, cols)) => same_values(settling.holding, files, copies, record, cols)?,
        None => false,
    };
    if same {
        settling.keep_once(first, copies);
        Ok(())
    } else {
        settling.reject_all(first, first_copy, copies)
    }
}

/// Whether every held copy has the values of the first copy, `record` read with `cols`.
fn same_values(
    holding: &mut Reading<'_>,
    files: &[(&Path, &Layout)],
    copies: &[Held],
    record: &Record,
    cols: &Columns,
) -> std::io::Result<bool> {
    for c in copies {
        let Some(held_cols) = columns_of(files, c.row.file) else {
            return Ok(false);
        };
        let row = holding.row(c)?;
        if !values(|i| row.field(i), held_cols).eq(values(|i| record.get(i), cols)) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The columns of file `file`, when its header was read.
fn columns_of<'f>(files: &'f [(&Path, &Layout)], file: u16) -> Option<&'f Columns> {
    files.get(file as usize)?.1.cols.as_ref()
}

/// The first copies were accepted as they came: read them back, file by file.
fn read_firsts(
    validator: &Validator<'_>,
    files: &[(&Path, &Layout)],
    ids: &Ids,
    sources: &mut BTreeMap<u16, Source>,
    firsts: impl Iterator<Item = IdRef>,
) -> Vec<(IdRef, Record)> {
    let mut by_file: BTreeMap<u16, Vec<IdRef>> = BTreeMap::new();
    for first in firsts {
        by_file.entry(ids.row(first).file).or_default().push(first);
    }
    let mut out = Vec::new();
    for (file, wanted) in by_file {
        if let Some((
            path,
            Layout {
                cols: Some(cols),
                marks,
                text,
            },
        )) = files.get(file as usize)
        {
            let source = sources
                .entry(file)
                .or_insert_with(|| Source::of(path, text.as_ref()));
            let found = read_back(validator, source, cols, marks, ids, &wanted);
            if out.is_empty() {
                out = found;
            } else {
                out.extend(found);
            }
        }
    }
    out.sort_unstable_by_key(|&(at, _)| at);
    out
}

/// What a file's rows are read back from: the file, or the CSV text of a workbook's sheet (the
/// text the ingestion read, or converted again as it converted it, so its lines are the ones it
/// counted).
enum Source {
    File(PathBuf),
    Text(SheetText),
    /// A workbook that no longer converts: its first copies cannot be read back.
    Gone,
}

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

impl Source {
    fn of(path: &Path, kept: Option<&SheetText>) -> Source {
        if let Some(text) = kept {
            return Source::Text(text.clone());
        }
        match super::workbook::book(path) {
            Some(book) => {
                super::workbook::convert(&book).map_or(Source::Gone, |c| Source::Text(c.csv))
            }
            None => Source::File(path.to_path_buf()),
        }
    }

    fn open(&self) -> Option<Box<dyn ReadSeek + '_>> {
        match self {
            Source::File(path) => File::open(path)
                .ok()
                .map(|f| Box::new(f) as Box<dyn ReadSeek>),
            Source::Text(text) => Some(Box::new(std::io::Cursor::new(text.as_ref()))),
            Source::Gone => None,
        }
    }
}

/// What settling the held rows reads and changes.
struct Settling<'a, 's> {
    validator: &'a Validator<'a>,
    names: &'a [String],
    ids: &'a Ids,
    holding: &'a mut Reading<'a>,
    stats: &'a mut [Option<&'s mut FileStats>],
    sink: &'a mut dyn Sink,
}

impl Settling<'_, '_> {
    /// Copies with the first copy's values are counted once: each is accepted as matching
    /// nothing, with a warning.
    fn keep_once(&mut self, first: IdRef, copies: &[Held]) {
        let id = String::from_utf8_lossy(&self.ids.id(first)).into_owned();
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
    /// and every copy is rejected, each naming the others. A first copy that cannot be read
    /// again (its file changed or went during the run) cannot be compared or withdrawn: it
    /// stays accepted, and its copies are rejected saying so.
    fn reject_all(
        &mut self,
        first: IdRef,
        first_copy: Option<(&Record, &Columns)>,
        copies: &[Held],
    ) -> std::io::Result<()> {
        let first_row = self.ids.row(first);
        // Each row with its id's column, and the held copy it is (none for the first copy).
        let mut all: Vec<(RowRef, usize, Option<&Held>)> = copies
            .iter()
            .map(|c| (c.row, c.column as usize, Some(c)))
            .collect();
        if let Some((record, cols)) = first_copy {
            self.withdraw(first, record, cols);
            all.push((first_row, cols.id + 1, None));
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
        let id = String::from_utf8_lossy(&self.ids.id(first)).into_owned();
        for (row, column, held) in all {
            let others = self.others(&every, row);
            let (message, hint) = match first_copy {
                Some(_) => (
                    format!("id \"{id}\" is also used at {others} with other values: every copy is rejected"),
                    "give every activity its own id, or delete the copies that are wrong",
                ),
                None => (
                    format!(
                        "id \"{id}\" is also used at {others}; the first copy could not be read \
                         again to compare (its file changed or went during the run): it stays \
                         accepted, and this copy is rejected"
                    ),
                    "run again on files that do not change while they are read",
                ),
            };
            let reject = Reject {
                line: u64::from(row.line),
                column: Some(column),
                code: RejectCode::DuplicateId,
                message,
                hint: Some(hint.into()),
            };
            let file = &self.names[row.file as usize];
            match (held, first_copy) {
                (Some(held), _) => {
                    let record = self.holding.row(held)?.record();
                    self.sink.reject(file, &reject, &record);
                }
                (None, Some((record, _))) => self.sink.reject(file, &reject, record),
                (None, None) => {}
            }
        }
        Ok(())
    }

    /// Take back the first copy, accepted when it came, and count it rejected.
    fn withdraw(&mut self, first: IdRef, record: &Record, cols: &Columns) {
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

    /// The copies of an id other than `row`, as seen from it: the first [`OTHERS_NAMED`] in
    /// the order they were read, then how many more. Naming them all, every copy of a file
    /// with one id on every row wrote a message the length of the file.
    fn others(&self, every: &[RowRef], row: RowRef) -> String {
        let named: Vec<String> = (every.iter().filter(|&&r| r != row))
            .take(OTHERS_NAMED)
            .map(|&r| self.place(r, row.file))
            .collect();
        // `row` is one of `every`.
        match every.len().saturating_sub(1 + named.len()) {
            0 => named.join(", "),
            1 => format!("{} and 1 more row", named.join(", ")),
            more => format!("{} and {more} more rows", named.join(", ")),
        }
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

/// How many of an id's other copies a rejected copy names.
const OTHERS_NAMED: usize = 5;

/// One more row of a file rejected as a [`RejectCode::DuplicateId`].
fn count_duplicate_id(stats: &mut FileStats) {
    stats.rejected += 1;
    *stats
        .rejects_by_code
        .entry(RejectCode::DuplicateId.as_str().into())
        .or_default() += 1;
}

/// First copies read back by one task of the pool.
const READ_BACK_TASK: usize = 256;

/// The first accepted row of each id in `wanted` in `source`, whose columns are `cols`. Each
/// first copy is read where its line starts, found by counting line breaks as the ingestion
/// did from the last mark before it; a copy not found there (a file that changed since) is
/// looked for by reading the file through again, as it was read the first time.
fn read_back(
    validator: &Validator<'_>,
    source: &Source,
    cols: &Columns,
    marks: &Marks,
    ids: &Ids,
    wanted: &[IdRef],
) -> Vec<(IdRef, Record)> {
    // Each copy is read where it lies, apart from the others: a task's worth at a time on the
    // pool, each task with the file open twice of its own, in order.
    let tried: Vec<(IdRef, Option<Record>)> = wanted
        .par_chunks(READ_BACK_TASK)
        .flat_map_iter(|task| {
            let mut counting = source.open();
            let mut rows = Rows::new(source.open());
            let mut tried = Vec::with_capacity(task.len());
            let mut near = None;
            for &at in task {
                let line = u64::from(ids.row(at).line);
                let is_first = |r: &Record| first_copy(validator, r, cols, &ids.id(at));
                let mut record = rows.on(line).filter(is_first);
                if record.is_none() {
                    let start = counting
                        .as_mut()
                        .and_then(|f| line_start(f, marks, near, line).ok().flatten());
                    near = start.map(|start| (line, start)).or(near);
                    record = start.and_then(|s| rows.at(s, line)).filter(is_first);
                }
                tried.push((at, record));
            }
            tried
        })
        .collect();
    let left: BTreeMap<Id<'_>, IdRef> = (tried.iter())
        .filter(|(_, record)| record.is_none())
        .map(|&(at, _)| (ids.id(at), at))
        .collect();
    // Collected where they lie, in the list they were tried in: a copy of it would be as large.
    let mut found: Vec<(IdRef, Record)> = (tried.into_iter())
        .filter_map(|(at, record)| Some((at, record?)))
        .collect();
    if !left.is_empty() {
        if let Some(f) = source.open() {
            found.extend(scan(validator, f, cols, left));
        }
    }
    found
}

/// Where `line` starts: counted from the last mark at or before it (or from the file's start),
/// or from `near`, a line start found before, when that is nearer. First copies are asked for
/// in about the order of their lines: in a file read twice every line is one, and counting
/// each from its mark read 64 rows for every row.
fn line_start(
    file: &mut dyn ReadSeek,
    marks: &[(u64, u64)],
    near: Option<(u64, u64)>,
    line: u64,
) -> std::io::Result<Option<u64>> {
    let before = marks.partition_point(|&(l, _)| l <= line);
    let mark = before
        .checked_sub(1)
        .and_then(|i| marks.get(i).copied())
        .unwrap_or((1, 0));
    let (from_line, from) = match near {
        Some(near) if near.0 <= line && near.0 > mark.0 => near,
        _ => mark,
    };
    if from_line == line {
        return Ok(Some(from));
    }
    file.seek(std::io::SeekFrom::Start(from))?;
    line_start_from(&mut *file, (from_line, from), line, READ_BACK_BLOCK)
}

/// Bytes read at a time to count lines or read a row back: a few rows' worth, as the line
/// sought is most often a few rows on.
const READ_BACK_BLOCK: usize = 1 << 11;

/// Where line `target` (1-based) starts, reading from `(line, byte)`, a place where a line at
/// or before it starts, and counting `\r\n`, `\n` and `\r` as one break each, as the ingestion
/// numbered them; a line past the end has no start.
fn line_start_from(
    mut file: impl Read,
    (mut line, mut offset): (u64, u64),
    target: u64,
    block: usize,
) -> std::io::Result<Option<u64>> {
    let mut found = None;
    let mut prev = 0u8;
    let mut block = vec![0; block];
    loop {
        let n = file.read(&mut block)?;
        if n == 0 {
            return Ok(found);
        }
        for i in memchr::memchr2_iter(b'\n', b'\r', &block[..n]) {
            let start = offset + i as u64 + 1;
            let before = if i == 0 { prev } else { block[i - 1] };
            if block[i] == b'\n' && before == b'\r' {
                // The `\n` of a `\r\n`: the line its `\r` began starts after it.
                if found.is_some() {
                    return Ok(Some(start));
                }
                continue;
            }
            if found.is_some() {
                return Ok(found);
            }
            line += 1;
            if line == target {
                found = Some(start);
                // Only a `\r` may yet be the first half of a `\r\n`.
                if block[i] == b'\n' {
                    return Ok(found);
                }
            }
        }
        prev = block[n - 1];
        offset += n as u64;
    }
}

/// A task's reader of rows read back, by the scanner the ingestion read them with. After a
/// row on one line it reads on, without seeking, when the next row asked for is on the line
/// after: in a file given twice every line holds a first copy.
struct Rows<'s> {
    scanner: Option<Scanner<BufReader<Box<dyn ReadSeek + 's>>>>,
    /// The line of the row the scanner would read next, when the row before was on one line.
    next: Option<u64>,
}

impl<'s> Rows<'s> {
    fn new(file: Option<Box<dyn ReadSeek + 's>>) -> Rows<'s> {
        Rows {
            scanner: file.map(|f| Scanner::resume(BufReader::with_capacity(READ_BACK_BLOCK, f))),
            next: None,
        }
    }

    /// The row on `line`, if the scanner stands right before it.
    fn on(&mut self, line: u64) -> Option<Record> {
        (self.next == Some(line)).then(|| self.read(line))?
    }

    /// The row that starts at byte `start`, on `line`.
    fn at(&mut self, start: u64, line: u64) -> Option<Record> {
        let scanner = self.scanner.as_mut()?;
        let placed = scanner.get_mut().seek(std::io::SeekFrom::Start(start));
        scanner.moved();
        placed.ok()?;
        self.read(line)
    }

    fn read(&mut self, line: u64) -> Option<Record> {
        let mut record = Record::new();
        let read = self.scanner.as_mut()?.read(&mut record);
        let one_line = memchr::memchr2(b'\n', b'\r', record.as_slice()).is_none();
        self.next = (matches!(read, Ok(true)) && one_line).then_some(line + 1);
        matches!(read, Ok(true)).then_some(record)
    }
}

/// Whether `record` is a row the ingestion accepted, with the id `id`.
fn first_copy(validator: &Validator<'_>, record: &Record, cols: &Columns, id: &[u8]) -> bool {
    validator
        .check_owned(record, cols, 0)
        .is_ok_and(|(checked, _)| checked.id_bytes(record) == id)
}

/// The first accepted row of each id in `left`, reading the rest of the file in order.
fn scan(
    validator: &Validator<'_>,
    file: impl Read,
    cols: &Columns,
    mut left: BTreeMap<Id<'_>, IdRef>,
) -> Vec<(IdRef, Record)> {
    let mut reader = Scanner::new(BufReader::new(file));
    let mut record = Record::new();
    let mut found = Vec::new();
    // The header.
    let _ = reader.read(&mut record);
    while !left.is_empty() && reader.read(&mut record).unwrap_or(false) {
        let Ok((checked, _)) = validator.check_owned(&record, cols, 0) else {
            continue;
        };
        if let Some(at) = left.remove(checked.id_bytes(&record)) {
            found.push((at, record.clone()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `n` bytes a read, to put block seams everywhere.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// Where each of `lines` that the text has starts, once for every block size.
    fn starts(text: &str, lines: &[u64]) -> Vec<Vec<u64>> {
        (1..=text.len() + 1)
            .map(|block| {
                let from_start = |&line: &u64| {
                    line_start_from(Trickle(text.as_bytes(), block), (1, 0), line, block).unwrap()
                };
                lines.iter().filter_map(from_start).collect()
            })
            .collect()
    }

    #[test]
    fn lines_start_after_each_break_whatever_the_ending_and_the_block_seams() {
        let lf = "h\na\n\n\"x\ny\"\nb\n";
        let crlf = lf.replace('\n', "\r\n");
        let cr = lf.replace('\n', "\r");
        // Line 2 is `a`, 3 empty, 4 opens a quoted value that holds a break, 6 is `b`.
        for (text, want) in [
            (lf.to_string(), vec![2, 4, 5, 11]),
            (crlf, vec![3, 6, 8, 16]),
            (cr, vec![2, 4, 5, 11]),
        ] {
            for got in starts(&text, &[2, 3, 4, 6]) {
                assert_eq!(got, want, "{text:?}");
            }
        }
    }

    #[test]
    fn the_record_read_back_is_the_one_on_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        let text = "id,note\r\na1,\"two\r\nlines\"\r\n\r\na2,x\r\n";
        std::fs::write(&path, text).unwrap();
        let at: Vec<u64> = [2, 5]
            .into_iter()
            .filter_map(|line| {
                line_start_from(File::open(&path).unwrap(), (1, 0), line, 1 << 20).unwrap()
            })
            .collect();
        let file: Box<dyn ReadSeek> = Box::new(File::open(&path).unwrap());
        let mut rows = Rows::new(Some(file));
        let firsts: Vec<Vec<u8>> = at
            .iter()
            .zip([2, 5])
            .map(|(&s, line)| rows.at(s, line).unwrap().get(0).unwrap().to_vec())
            .collect();
        assert_eq!(firsts, [b"a1".to_vec(), b"a2".to_vec()]);
        // The same reader goes back as well as forth.
        let again = rows.at(at[0], 2).unwrap();
        assert_eq!(again.get(1), Some(&b"two\r\nlines"[..]));
        // A row over two lines leaves no line to read on to; one on one line does.
        assert_eq!(rows.on(4), None);
        let a2 = rows.at(at[1], 5).unwrap();
        assert_eq!(a2.get(0), Some(&b"a2"[..]));
        assert_eq!(rows.next, Some(6));
        assert_eq!(rows.on(6), None, "the file ends");
    }

    /// After a row on one line, the row on the next line is read on, past a `\r\n` or a `\r`.
    #[test]
    fn rows_are_read_on_from_line_to_line() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["h", "a1,x", "a2,y", "a3,\"z\"", ""].join(end);
            let file: Box<dyn ReadSeek> = Box::new(std::io::Cursor::new(text.into_bytes()));
            let mut rows = Rows::new(Some(file));
            let start = 1 + end.len() as u64;
            let ids: Vec<Vec<u8>> = [rows.at(start, 2), rows.on(3), rows.on(4)]
                .into_iter()
                .map(|r| {
                    r.and_then(|r| r.get(0).map(<[u8]>::to_vec))
                        .unwrap_or_default()
                })
                .collect();
            assert_eq!(
                ids,
                [b"a1".to_vec(), b"a2".to_vec(), b"a3".to_vec()],
                "{end:?}"
            );
            assert_eq!(rows.on(3), None, "{end:?}: not the line it stands at");
        }
    }

    #[test]
    fn a_line_is_counted_from_the_last_mark_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "h\r\na\r\n\r\n\"x\r\ny\"\r\nb\r\n").unwrap();
        let mut file = File::open(&path).unwrap();
        // Line 4 starts at byte 8; a mark there is taken as it is, and counted on from.
        let marks: Marks = vec![(4, 8)];
        let mut at = |line| line_start(&mut file, &marks, None, line).unwrap();
        assert_eq!(
            [at(2), at(4), at(6), at(9)],
            [Some(3), Some(8), Some(16), None]
        );
        // A start found before is counted on from when it lies between the mark and the line;
        // one past the line, or before the mark, is not.
        let mut near =
            |marks: &[_], near, line| line_start(&mut file, marks, Some(near), line).unwrap();
        assert_eq!(near(&[], (4, 8), 6), Some(16));
        assert_eq!(near(&[], (6, 16), 4), Some(8));
        assert_eq!(near(&marks, (2, 3), 6), Some(16));
    }

    #[test]
    fn a_line_past_the_end_has_no_start() {
        for got in starts("h\na\n", &[2, 3, 9]) {
            assert_eq!(got, vec![2, 4]);
        }
    }

    #[test]
    fn mixed_endings_count_as_an_editor_does() {
        // `\r\n`, then a lone `\r`, then `\n`: lines 2, 3 and 4.
        for got in starts("h\r\na\rb\nc", &[2, 3, 4]) {
            assert_eq!(got, vec![3, 5, 7]);
        }
    }
}

#[cfg(test)]
mod settling {
    use super::*;
    use crate::activity::ids::{IdSet, Seen};
    use crate::activity::Activity;

    /// What settling told the officer and the ledger.
    #[derive(Default)]
    struct Told {
        rejects: Vec<Reject>,
        withdrawn: usize,
    }

    impl Sink for Told {
        fn accept(&mut self, _: &Activity<'_>, _: RowRef, _: IdRef) -> bool {
            true
        }
        fn reject(&mut self, _: &str, reject: &Reject, _: &Record) {
            self.rejects.push(reject.clone());
        }
        fn withdraw(&mut self, _: &Activity<'_>, _: IdRef) -> bool {
            self.withdrawn += 1;
            true
        }
    }

    /// Settle a copy on line 3 of the row with id `S2015` on line 2 of `file` (named `name`,
    /// with `text` kept for it if it is a workbook), and return the file's counts and what
    /// settling told.
    fn settle_one(file: &Path, text: Option<SheetText>) -> (FileStats, Told) {
        let Ok(engine) = crate::run::Engine::load(Some(Path::new("fixtures/engine/rules"))) else {
            panic!("the engine fixture's rules load");
        };
        let validator = Validator::new(&engine.catalogue, engine.default_as_of());
        let header = [
            "id", "date", "party", "kind", "subject", "partners", "value", "unit", "source", "note",
        ];
        let Ok((cols, _)) = Columns::from_header("f", &header) else {
            panic!("the header is the template's");
        };
        let mut set = IdSet::new();
        set.expect(4);
        let hash = set.hash(b"S2015");
        let Seen::New(first) = set.insert(hash, b"S2015", RowRef { file: 0, line: 2 }) else {
            panic!("a new id");
        };
        let ids = set.into_ids();
        let record = Record::from_iter(ROW);
        let mut held = Holding::default();
        if let Err(e) = held.hold(first, RowRef { file: 0, line: 3 }, 1, &record) {
            panic!("held: {e}");
        }
        let layout = Layout {
            cols: Some(cols),
            marks: Vec::new(),
            text,
        };
        let mut stats = FileStats {
            rows: 2,
            accepted: 1,
            ..FileStats::default()
        };
        let mut told = Told::default();
        let settled = resolve(
            &validator,
            &[(file, &layout)],
            &[file.display().to_string()],
            held,
            &ids,
            &mut [Some(&mut stats)],
            &mut told,
        );
        assert!(settled.is_ok(), "{settled:?}");
        (stats, told)
    }

    const ROW: [&str; 10] = [
        "S2015",
        "2015-07-11",
        "SCO",
        "summit",
        "",
        "",
        "",
        "",
        "",
        "",
    ];

    #[test]
    fn a_first_copy_that_cannot_be_read_again_stays_and_its_copy_says_so() {
        // The file was read, and is gone by the time its first copies are read back.
        let dir = tempfile::tempdir().expect("tempdir");
        let (stats, told) = settle_one(&dir.path().join("gone.csv"), None);
        assert_eq!(
            told.withdrawn, 0,
            "the first copy cannot be compared, so it stays"
        );
        assert_eq!((stats.accepted, stats.rejected), (1, 1));
        let [reject] = told.rejects.as_slice() else {
            panic!("one reject: {:?}", told.rejects);
        };
        assert_eq!(reject.line, 3);
        assert!(
            reject.message.contains("also used at line 2")
                && reject.message.contains("could not be read again")
                && !reject.message.contains("every copy is rejected"),
            "{}",
            reject.message
        );
    }

    #[test]
    fn a_workbook_first_copy_is_read_back_from_the_text_the_run_kept() {
        // The workbook is gone too, but the sheet's text read from it was kept.
        let dir = tempfile::tempdir().expect("tempdir");
        let text = format!(
            "id,date,party,kind,subject,partners,value,unit,source,note\n{}\n",
            ROW.join(",")
        );
        let kept = SheetText::from(text.into_bytes());
        let (stats, told) = settle_one(&dir.path().join("gone.xlsx"), Some(kept));
        assert!(told.rejects.is_empty(), "{:?}", told.rejects);
        assert_eq!(told.withdrawn, 0);
        assert_eq!(
            (stats.accepted, stats.rejected, stats.unmatched),
            (2, 0, 1),
            "the copy has the first copy's values: counted once"
        );
        assert_eq!(stats.warnings_by_code.get("duplicate-row"), Some(&1));
    }
}
