//! Streaming over activity files: each row is read once, validated, and handed to a [`Sink`];
//! nothing holds the rows.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use strum::EnumCount;

use super::columns::Columns;
use super::converting::{Conversion, Converting};
use super::duplicates::{self, Layout, Marks, MARK_EVERY};
use super::err::InputError;
use super::guard::Guard;
use super::holding::Holding;
use super::ids::{IdRef, IdSet, Ids, Seen};
use super::record::Record;
use super::reject::{Reject, RejectCode, Warning, WarningCode};
use super::scan::Scanner;
use super::validate::{Checked, CheckedOutcome, Notes, Validator};
use super::workbook::Unconverted;
use super::{Activity, RowRef};

mod header;
mod lines;
mod parsing;
mod read_ahead;

use header::{read_header, Header};
use lines::{blank_lines, line_of, Lines};
use parsing::{digest_of, next_batch, Batch, Cutter, End, Parsing};
use read_ahead::ReadAhead;

/// The longest row concord reads: past it, the file almost surely has an unclosed quote, and
/// reading on would hold the rest of the file in memory.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// What a run does with each row.
pub trait Sink {
    /// An accepted row, with where its id is kept; returns whether it counts as evidence for
    /// any commitment.
    fn accept(&mut self, activity: &Activity<'_>, row: RowRef, id: IdRef) -> bool;
    fn reject(&mut self, _file: &str, _reject: &Reject, _record: &Record) {}
    fn warn(&mut self, _file: &str, _warning: &Warning) {}
    /// Take back a row accepted earlier (a copy of its id turned out to differ); returns
    /// whether it counted as evidence.
    fn withdraw(&mut self, activity: &Activity<'_>, id: IdRef) -> bool;
    /// Whether [`Sink::warn`] does anything with row warnings: they are counted in any case,
    /// and spelt out only for a sink that reads them.
    fn reads_warnings(&self) -> bool {
        false
    }
}

/// Per input file: its digest and how its rows were used. rows = accepted + rejected.
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, schemars::JsonSchema, serde::Deserialize,
)]
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
    /// What the file's `dataset.toml` declares it to be, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<super::Dataset>,
}

/// Read every file in turn. Ids must be unique across all of them; the ids of the accepted
/// rows are returned, for the sink's [`IdRef`]s to point into.
///
/// Each file past 256 KiB (`SMALL_FILE`) is parsed (and hashed) on a second thread that hands
/// batches of records to this one, which validates them and feeds the sink in file order;
/// smaller CSV files are read whole (parsed, checked and hashed) on a thread of their own ahead
/// of their turn (`ReadAhead`), and workbooks converted ahead on another (`Converting`). The
/// output is the same as a single-threaded pass, byte for byte.
pub fn ingest_files(
    validator: &Validator<'_>,
    paths: &[impl AsRef<Path>],
    sink: &mut dyn Sink,
) -> Result<(Vec<FileStats>, Ids), InputError> {
    ingest_keeping(
        validator,
        paths,
        sink,
        Holding::default(),
        (duplicates::KEEP_TEXT, SMALL_FILE),
    )
}

/// [`ingest_files`], the rows whose id was used before held in `held`, up to `keep_text`
/// bytes of sheets' text kept to settle them, and files up to `small_file` bytes read whole.
fn ingest_keeping(
    validator: &Validator<'_>,
    paths: &[impl AsRef<Path>],
    sink: &mut dyn Sink,
    held: Holding,
    (keep_text, small_file): (usize, u64),
) -> Result<(Vec<FileStats>, Ids), InputError> {
    let mut run = Run::new(paths);
    run.held = held;
    run.keep_text = keep_text;
    run.small_file = small_file;
    // The files up to the first that fails, which ends the run.
    let mut stats = run
        .files(validator, paths, sink, true)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let mut each: Vec<Option<&mut FileStats>> = stats.iter_mut().map(Some).collect();
    let ids = run
        .settle(validator, paths, &mut each, sink)
        .map_err(|(_, e)| e)?;
    Ok((stats, ids))
}

/// Like [`ingest_files`], but a file that cannot be read does not stop the others: each file
/// gets its own result (ids are still unique across all of them). For `concord validate`, which
/// reports every problem it can find.
pub fn ingest_each(
    validator: &Validator<'_>,
    paths: &[impl AsRef<Path>],
    sink: &mut dyn Sink,
) -> Vec<Result<FileStats, InputError>> {
    ingest_each_reading(validator, paths, sink, SMALL_FILE)
}

/// [`ingest_each`], files up to `small_file` bytes read whole (and CSV files read ahead).
fn ingest_each_reading(
    validator: &Validator<'_>,
    paths: &[impl AsRef<Path>],
    sink: &mut dyn Sink,
    small_file: u64,
) -> Vec<Result<FileStats, InputError>> {
    let mut run = Run::new(paths);
    run.small_file = small_file;
    let mut results = run.files(validator, paths, sink, false);
    let mut each: Vec<Option<&mut FileStats>> =
        results.iter_mut().map(|r| r.as_mut().ok()).collect();
    if let Err((file, e)) = run.settle(validator, paths, &mut each, sink) {
        // Rows are held only from files that were read.
        if let Some(result) = results.get_mut(file) {
            *result = Err(e);
        }
    }
    results
}

/// What the files of one run share: their names, the ids seen so far, and how many bytes are
/// still to come (to size the id table once from the first rows).
struct Run {
    names: Vec<String>,
    sizes: Vec<u64>,
    /// Per file, the bytes of it and every file after it (summed once: a run of many files
    /// summed them again for each).
    ahead: Vec<u64>,
    seen: IdSet,
    /// Rows whose id was used before, settled once every file is read.
    held: Holding,
    /// Per file, its columns and where some rows start, to read first copies back by.
    layouts: Vec<Layout>,
    /// Bytes of sheets' CSV text kept in `layouts`, at most `keep_text`
    /// ([`duplicates::KEEP_TEXT`]).
    kept: usize,
    keep_text: usize,
    /// Files up to this many bytes are read whole before their rows are taken, CSV files ahead
    /// of their turn ([`SMALL_FILE`]).
    small_file: u64,
}

impl Run {
    fn new(paths: &[impl AsRef<Path>]) -> Run {
        // A directory, a pipe or a device: no size known (and nothing read ahead).
        let sizes: Vec<u64> = paths
            .iter()
            .map(|p| std::fs::metadata(p).ok().filter(|m| m.is_file()))
            .map(|m| m.map_or(0, |m| m.len()))
            .collect();
        let mut ahead: Vec<u64> = sizes
            .iter()
            .rev()
            .scan(0u64, |sum, &size| {
                *sum = sum.saturating_add(size);
                Some(*sum)
            })
            .collect();
        ahead.reverse();
        Run {
            names: paths
                .iter()
                .map(|p| p.as_ref().display().to_string())
                .collect(),
            sizes,
            ahead,
            seen: IdSet::new(),
            held: Holding::default(),
            layouts: vec![Layout::default(); paths.len()],
            kept: 0,
            keep_text: duplicates::KEEP_TEXT,
            small_file: SMALL_FILE,
        }
    }

    /// Settle the repeated ids (see [`duplicates`]) and hand over the ids of the run.
    /// Fails when held rows cannot be read back: the error, and the index of the file whose
    /// rows they are.
    fn settle(
        self,
        validator: &Validator<'_>,
        paths: &[impl AsRef<Path>],
        stats: &mut [Option<&mut FileStats>],
        sink: &mut dyn Sink,
    ) -> Result<Ids, (usize, InputError)> {
        let ids = self.seen.into_ids();
        let files: Vec<(&Path, &Layout)> =
            paths.iter().map(AsRef::as_ref).zip(&self.layouts).collect();
        duplicates::resolve(validator, &files, &self.names, self.held, &ids, stats, sink).map_err(
            |e| {
                let file = usize::from(e.file);
                let error = InputError::CannotHold {
                    file: self.names[file].clone(),
                    reason: e.error.to_string(),
                };
                (file, error)
            },
        )?;
        Ok(ids)
    }

    /// Read every file in turn, small ones read ahead (see [`ReadAhead`]): each file's result,
    /// up to the first error when `stop` says to stop there.
    fn files(
        &mut self,
        validator: &Validator<'_>,
        paths: &[impl AsRef<Path>],
        sink: &mut dyn Sink,
        stop: bool,
    ) -> Vec<Result<FileStats, InputError>> {
        let converting = Converting::new(paths);
        std::thread::scope(|scope| {
            let _stopping = converting.stopping();
            let mut ahead = ReadAhead::start(scope, validator, paths, self);
            if converting.worth_a_thread() {
                scope.spawn(|| converting.convert_ahead());
            }
            let mut results = Vec::with_capacity(paths.len());
            for (ix, path) in paths.iter().enumerate() {
                let prepared = ahead.take(ix);
                let converted = converting.take(ix);
                let result = self.file(validator, ix, path.as_ref(), (prepared, converted), sink);
                let failed = result.is_err();
                results.push(result);
                if failed && stop {
                    break;
                }
            }
            results
        })
    }

    fn file(
        &mut self,
        validator: &Validator<'_>,
        ix: usize,
        path: &Path,
        (prepared, converted): (Option<Result<Prepared, InputError>>, Option<Conversion>),
        sink: &mut dyn Sink,
    ) -> Result<FileStats, InputError> {
        let file_ix = u16::try_from(ix).map_err(|_| InputError::Unreadable {
            file: self.names[ix].clone(),
            reason: "too many input files (at most 65535)".into(),
        })?;
        let mut ahead = self.ahead[ix];
        let mut size = self.sizes[ix];
        let sheet = match converted {
            Some(converted) => {
                let file = self.names[ix].clone();
                let converted = converted.map_err(|e| match e {
                    Unconverted::Unreadable(reason) => InputError::Unreadable { file, reason },
                    Unconverted::Damaged(reason) => InputError::DamagedWorkbook { file, reason },
                    Unconverted::TooLarge(reason) => InputError::WorkbookTooLarge { file, reason },
                })?;
                self.names[ix] = converted.name.clone();
                if self.kept + converted.csv.len() <= self.keep_text {
                    self.kept += converted.csv.len();
                    self.layouts[ix].text = Some(converted.csv.clone());
                }
                size = converted.csv.len() as u64;
                // The id table is sized from the bytes ahead: a sheet's are its text, several
                // times the compressed file (the workbooks after it still count as files).
                ahead = ahead.saturating_sub(self.sizes[ix]).saturating_add(size);
                Some(converted)
            }
            None => None,
        };
        let small = (1..=self.small_file).contains(&size);
        let prepared = match prepared {
            Some(prepared) => Source::Prepared(prepared),
            None => Source::Open { sheet, size, small },
        };
        ingest_file(
            validator,
            path,
            prepared,
            file_ix,
            &self.names,
            ahead,
            (&mut self.seen, &mut self.held, &mut self.layouts[ix]),
            sink,
        )
    }

    /// Whether the file at `ix` is a CSV file small enough to be read ahead of its turn.
    fn read_ahead(&self, ix: usize, path: &Path) -> bool {
        (1..=self.small_file).contains(&self.sizes[ix]) && super::workbook::book(path).is_none()
    }
}

/// Expect as many more ids as the rest of the run holds rows, judged from one batch's bytes
/// per row (`ahead` counts from the batch's first byte). A first batch of unusually short rows
/// must not make a large table for nothing: no estimate goes below [`MIN_ROW_BYTES`] a row,
/// and should the rows be shorter still, the table grows as it fills.
fn size_ids(seen: &mut IdSet, batch: &[Record], ahead: u64) {
    let at = |r: &Record| r.position().map_or(0, |p| p.byte());
    let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
        return;
    };
    let span = at(last).saturating_sub(at(first));
    // A file's last batch, or a small file's only one, will do when it has rows enough: a run
    // of files of 1,000 rows was never sized, and its table grew by doubling.
    if batch.len() < SIZING_ROWS || span == 0 {
        return;
    }
    let bytes = ahead.saturating_sub(at(first)) as f64;
    let per_row = (span as f64 / (batch.len() - 1) as f64).max(MIN_ROW_BYTES);
    seen.expect((bytes / per_row * 1.02) as usize);
}

/// Bytes of a short real row: an id, a date, a party, a kind and a subject, and the commas of
/// the columns in between.
const MIN_ROW_BYTES: f64 = 40.0;

/// Records handed from the parsing thread to the validating one at a time.
const BATCH: usize = 1024;
/// The fewest rows of a batch that the id table is sized from.
const SIZING_ROWS: usize = 128;
/// Rows the parsing thread checks between looks at whether the validating thread has run out
/// of work: it hands a batch over part checked rather than leave that thread waiting.
const CHECK_STEP: usize = 128;
/// Bytes up to which a file is read whole before its rows are taken, not parsed on a second
/// thread as its rows are (about 2,000 rows).
const SMALL_FILE: u64 = 1 << 18;
/// Batches in flight: enough to keep both threads busy, few enough to keep memory flat.
const IN_FLIGHT: usize = 4;
/// How many rows ahead the id table is asked to load the slots a row will probe.
const PREFETCH: usize = 12;

/// What a file is read from: the file itself, or the CSV text of a workbook's sheet.
type Input = Box<dyn Read + Send>;

/// Where a file's rows come from: read ahead, or opened now (a workbook's sheet converted).
// One a file, moved once: the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
enum Source {
    Prepared(Result<Prepared, InputError>),
    Open {
        sheet: Option<super::workbook::Converted>,
        /// What the input holds (0 when not known), and whether that is small enough to read
        /// whole before its rows are taken.
        size: u64,
        small: bool,
    },
}

/// A small input read whole before its rows are taken: its header, its rows cut and checked in
/// batches, and how it ended (its digest and trailing empty lines, or the error it stopped at).
/// Cutting and checking are pure, so an input read ahead on another thread gives what it
/// would have given read in its turn.
struct Prepared {
    header: Header,
    workbook_sha256: Option<String>,
    rows: Taken,
}

/// The rows of an input read whole, and how it ended.
struct Taken {
    batches: Vec<Batch>,
    end: Result<(String, Option<(u64, u64)>), InputError>,
    /// Where its batches go once taken, to be filled again by the thread that reads ahead.
    spent: Option<mpsc::Sender<Batch>>,
}

/// Batches that go round between the thread reading ahead and the one taking the rows: a run
/// of many files otherwise made and freed every record on two threads.
struct Pool {
    spare: mpsc::Receiver<Batch>,
    spent: mpsc::Sender<Batch>,
}

/// An input opened, its header read.
struct Opened<'a> {
    header: Header,
    workbook_sha256: Option<String>,
    reader: Reader,
    cut: Cutter<'a>,
}

/// Open an input and read its header.
fn open<'a>(
    name: &'a str,
    path: &Path,
    sheet: Option<super::workbook::Converted>,
    size: u64,
) -> Result<Opened<'a>, InputError> {
    let (input, workbook_sha256) = open_input(name, path, sheet)?;
    let record_start = Arc::new(AtomicU64::new(0));
    let mut reader = scanner(input, record_start.clone(), size);
    let mut lines = Lines::new();
    let header = read_header(&mut reader, &record_start, name, &mut lines)?;
    Ok(Opened {
        header,
        workbook_sha256,
        reader,
        cut: Cutter {
            record_start,
            lines,
            name,
        },
    })
}

/// Read a small input whole (see [`Prepared`]).
fn prepare(
    validator: &Validator<'_>,
    (name, path): (&str, &Path),
    sheet: Option<super::workbook::Converted>,
    size: u64,
    pool: Option<&Pool>,
) -> Result<Prepared, InputError> {
    let Opened {
        header,
        workbook_sha256,
        mut reader,
        mut cut,
    } = open(name, path, sheet, size)?;
    let mut batches = Vec::new();
    let end = loop {
        let mut batch = pool.and_then(|p| p.spare.try_recv().ok()).unwrap_or(Batch {
            records: Vec::new(),
            checked: Vec::new(),
        });
        let end = cut.fill(&mut reader, &mut batch.records);
        batch.check(validator, &header.cols, usize::MAX);
        batches.push(batch);
        match end {
            None => {}
            Some(End::Failed(e)) => break Err(e),
            Some(End::Done { trailing }) => break digest_of(name, reader).map(|d| (d, trailing)),
        }
    };
    let spent = pool.map(|p| p.spent.clone());
    Ok(Prepared {
        header,
        workbook_sha256,
        rows: Taken {
            batches,
            end,
            spent,
        },
    })
}

impl Prepared {
    fn into_rows<'a>(self) -> (Header, Option<String>, Rows<'a>) {
        (self.header, self.workbook_sha256, Rows::Taken(self.rows))
    }
}

/// A file's rows, as [`FileRows`] takes them.
#[allow(clippy::large_enum_variant)]
enum Rows<'a> {
    Taken(Taken),
    Streamed(Reader, Cutter<'a>),
}

#[allow(clippy::too_many_arguments)]
fn ingest_file(
    validator: &Validator<'_>,
    path: &Path,
    source: Source,
    file_ix: u16,
    names: &[String],
    ahead: u64,
    (seen, held, layout): (&mut IdSet, &mut Holding, &mut Layout),
    sink: &mut dyn Sink,
) -> Result<FileStats, InputError> {
    let name = &names[file_ix as usize];
    // A small input is read whole, then taken: a second thread and the hand-over between the
    // two cost more than they save.
    let (header, workbook_sha256, rows) = match source {
        Source::Prepared(prepared) => prepared?.into_rows(),
        Source::Open {
            sheet,
            size,
            small: true,
        } => prepare(validator, (name, path), sheet, size, None)?.into_rows(),
        Source::Open { sheet, size, .. } => {
            let opened = open(name, path, sheet, size)?;
            let rows = Rows::Streamed(opened.reader, opened.cut);
            (opened.header, opened.workbook_sha256, rows)
        }
    };
    layout.cols = Some(header.cols.clone());
    let mut file = FileRows {
        validator,
        cols: &header.cols,
        name,
        file_ix,
        seen,
        held,
        marks: &mut layout.marks,
        sink,
        stats: FileStats {
            path: name.clone(),
            ..FileStats::default()
        },
        counts: Counts::default(),
    };
    if header.blank > 0 {
        file.warn(&blank_lines(1, header.blank));
    }
    for w in &header.warnings {
        file.warn(w);
    }
    let (digest, trailing) = match rows {
        Rows::Taken(taken) => file.take_prepared(taken, ahead)?,
        Rows::Streamed(reader, cut) => file.read_rows(reader, cut, ahead)?,
    };
    file.stats.sha256 = workbook_sha256.unwrap_or(digest);
    if let Some((first, n)) = trailing {
        file.warn(&blank_lines(first, n));
    }
    if file.stats.rows == 0 {
        file.warn(&Warning {
            line: 1,
            column: None,
            code: WarningCode::NoRows,
            message: "the file has a header but no rows".into(),
            hint: None,
        });
    }
    Ok(file.finish())
}

/// The bytes to read, and the digest to report when they are not the file's own: a workbook's
/// sheet is read as CSV text, its digest is the workbook file's.
fn open_input(
    name: &str,
    path: &Path,
    sheet: Option<super::workbook::Converted>,
) -> Result<(Input, Option<String>), InputError> {
    let unreadable = |reason: String| InputError::Unreadable {
        file: name.to_string(),
        reason,
    };
    if path.is_dir() {
        return Err(unreadable("it is a directory".into()));
    }
    match sheet {
        Some(s) => Ok((Box::new(std::io::Cursor::new(s.csv)), Some(s.sha256))),
        None => {
            let file = File::open(path).map_err(|e| unreadable(e.to_string()))?;
            Ok((Box::new(file), None))
        }
    }
}

/// One scanner per file, over a [`Guard`] that hashes, bounds rows and keeps the bytes for
/// [`Lines`]; `size` is what the input is expected to hold (0 when not known).
fn scanner(input: Input, record_start: Arc<AtomicU64>, size: u64) -> Reader {
    Scanner::new(Guard::new(input, record_start, size))
}

type Reader = Scanner<Guard<Input>>;

/// The validating thread's side of a file: the rows are taken here in file order, whichever
/// thread checked them.
struct FileRows<'a, 's> {
    validator: &'a Validator<'a>,
    cols: &'a Columns,
    name: &'a str,
    file_ix: u16,
    seen: &'a mut IdSet,
    held: &'a mut Holding,
    marks: &'a mut Marks,
    sink: &'s mut dyn Sink,
    stats: FileStats,
    counts: Counts,
}

impl FileRows<'_, '_> {
    /// Parse on a second thread (see [`Parsing::run`]) and take the rows here; returns the
    /// file's digest and its trailing empty lines.
    fn read_rows(
        &mut self,
        reader: Reader,
        cut: Cutter<'_>,
        ahead: u64,
    ) -> Result<(String, Option<(u64, u64)>), InputError> {
        std::thread::scope(|scope| {
            let (full_tx, full_rx) = mpsc::sync_channel::<Result<Batch, InputError>>(IN_FLIGHT);
            let (empty_tx, empty_rx) = mpsc::channel::<Batch>();
            let queued = Arc::new(AtomicUsize::new(0));
            let hashing = reader.get_ref().hashing();
            let parsing = Parsing {
                cut,
                full: full_tx,
                empty: empty_rx,
                queued: queued.clone(),
                check: (self.validator, self.cols),
                hashing: hashing.clone(),
            };
            let parser = scope.spawn(move || parsing.run(reader));
            let mut hashes: Vec<u64> = Vec::with_capacity(BATCH);
            while let Some(batch) = next_batch(&full_rx, &hashing) {
                let mut batch = batch?;
                queued.fetch_sub(1, Ordering::Relaxed);
                self.take_batch(&mut batch, &mut hashes, ahead)?;
                // The parser may have finished and gone: then the batch is simply dropped.
                let _ = empty_tx.send(batch);
            }
            match parser.join() {
                Ok(done) => Ok(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }

    /// Take the rows of a file read whole (see [`Prepared`]), then end as it ended.
    fn take_prepared(
        &mut self,
        taken: Taken,
        ahead: u64,
    ) -> Result<(String, Option<(u64, u64)>), InputError> {
        let mut hashes = Vec::new();
        for mut batch in taken.batches {
            self.take_batch(&mut batch, &mut hashes, ahead)?;
            if let Some(spent) = &taken.spent {
                // The thread reading ahead may be done and gone.
                let _ = spent.send(batch);
            }
        }
        taken.end
    }

    /// Take a batch's rows in order, checking them first if the parsing thread did not.
    fn take_batch(
        &mut self,
        batch: &mut Batch,
        hashes: &mut Vec<u64>,
        ahead: u64,
    ) -> Result<(), InputError> {
        if !self.seen.is_sized() {
            size_ids(self.seen, &batch.records, ahead);
        }
        batch.check(self.validator, self.cols, usize::MAX);
        hashes.clear();
        hashes.extend(
            batch
                .checked
                .iter()
                .zip(&batch.records)
                .map(|(c, r)| match c {
                    Ok((c, _)) => self.seen.hash(c.id_bytes(r)),
                    Err(_) => 0,
                }),
        );
        for (i, (record, outcome)) in batch.records.iter().zip(&batch.checked).enumerate() {
            if let Some(&ahead) = hashes.get(i + PREFETCH) {
                self.seen.prefetch(ahead);
            }
            self.take_row(record, outcome, hashes[i])?;
        }
        // The batch goes back to the parser, which must not take these for its next rows'.
        batch.checked.clear();
        Ok(())
    }

    /// One row, accepted or rejected, after a warning for the empty lines before it.
    fn take_row(
        &mut self,
        record: &Record,
        outcome: &CheckedOutcome,
        hash: u64,
    ) -> Result<(), InputError> {
        let line = line_of(record);
        let blank = record.position().map_or(0, |p| p.record());
        if blank > 0 {
            self.warn(&blank_lines(line - blank, blank));
        }
        if self.stats.rows.is_multiple_of(MARK_EVERY) {
            let byte = record.position().map_or(0, |p| p.byte());
            self.marks.push((line, byte));
        }
        self.stats.rows += 1;
        let row = RowRef {
            file: self.file_ix,
            line: u32::try_from(line).unwrap_or(u32::MAX),
        };
        match outcome {
            Ok((checked, notes)) => self.accept(record, checked, notes, hash, row, line),
            Err(reject) => {
                self.stats.rejected += 1;
                self.counts.reject(reject.code);
                self.sink.reject(self.name, reject, record);
                Ok(())
            }
        }
    }

    /// A row that passed its checks is accepted if its id is new; one whose id was used before
    /// is held, to be settled once every file is read.
    fn accept(
        &mut self,
        record: &Record,
        checked: &Checked,
        notes: &Notes,
        hash: u64,
        row: RowRef,
        line: u64,
    ) -> Result<(), InputError> {
        let activity = checked.activity(record);
        let id = match self.seen.insert(hash, activity.id.as_bytes(), row) {
            Seen::New(id) => id,
            Seen::Before(_) => {
                if let Some(first) = self.seen.find(hash, activity.id.as_bytes()) {
                    self.held
                        .hold(first, row, self.cols.id + 1, record)
                        .map_err(|e| InputError::CannotHold {
                            file: self.name.to_string(),
                            reason: e.to_string(),
                        })?;
                }
                return Ok(());
            }
            Seen::Full => {
                return Err(InputError::TooManyIds {
                    file: self.name.to_string(),
                    line,
                })
            }
        };
        self.stats.accepted += 1;
        for &note in notes {
            self.counts.warn(note.code());
            if self.sink.reads_warnings() {
                let warning = self.validator.warning(note, line, self.cols);
                self.sink.warn(self.name, &warning);
            }
        }
        if !self.sink.accept(&activity, row, id) {
            self.stats.unmatched += 1;
        }
        Ok(())
    }

    /// A warning about the file rather than a row: counted and always spelt out.
    fn warn(&mut self, warning: &Warning) {
        self.counts.warn(warning.code);
        self.sink.warn(self.name, warning);
    }

    fn finish(self) -> FileStats {
        let mut stats = self.stats;
        self.counts.into_stats(&mut stats);
        stats
    }
}

/// Reject and warning tallies by code, kept in arrays so that a bad row costs no allocation;
/// a code's slot is its place among the variants.
#[derive(Default)]
struct Counts {
    rejects: [u64; RejectCode::COUNT],
    warnings: [u64; WarningCode::COUNT],
}

impl Counts {
    fn reject(&mut self, code: RejectCode) {
        self.rejects[code as usize] += 1;
    }
    fn warn(&mut self, code: WarningCode) {
        self.warnings[code as usize] += 1;
    }
    fn into_stats(self, stats: &mut FileStats) {
        for (code, n) in RejectCode::ALL.iter().zip(self.rejects) {
            if n > 0 {
                stats.rejects_by_code.insert(code.as_str().to_string(), n);
            }
        }
        for (code, n) in WarningCode::ALL.iter().zip(self.warnings) {
            if n > 0 {
                stats.warnings_by_code.insert(code.as_str().to_string(), n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::Engine;

    /// Every line number a pass reports, in order: rows accepted and rejected, and warnings;
    /// with `.1`, also their files, messages and rejected rows' fields.
    #[derive(Default)]
    struct Places(Vec<String>, bool);

    impl Sink for Places {
        fn accept(&mut self, a: &Activity<'_>, row: RowRef, _: IdRef) -> bool {
            self.0.push(format!("accept {} {}", a.id, row.line));
            true
        }
        fn reject(&mut self, file: &str, r: &Reject, record: &Record) {
            self.0.push(format!("reject {} {}", r.code, r.line));
            if self.1 {
                let fields: Vec<_> = record.iter().map(String::from_utf8_lossy).collect();
                self.0.push(format!("{file}: {}: {fields:?}", r.message));
            }
        }
        fn warn(&mut self, file: &str, w: &Warning) {
            self.0.push(format!("warn {} {}", w.code, w.line));
            if self.1 {
                self.0.push(format!("{file}: {}", w.message));
            }
        }
        fn reads_warnings(&self) -> bool {
            true
        }
        fn withdraw(&mut self, a: &Activity<'_>, _: IdRef) -> bool {
            self.0.push(format!("withdraw {}", a.id));
            true
        }
    }

    /// A row is read up to [`MAX_ROW_BYTES`] long and refused past it, wherever it falls
    /// among the blocks the file is read in.
    #[test]
    fn rows_past_the_length_limit_are_refused() {
        let engine = Engine::load(None).unwrap_or_else(|e| panic!("bundled rules: {e}"));
        let validator = Validator::new(&engine.catalogue, engine.default_as_of());
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let header = "id,date,party,kind,subject,partners,value,unit,source,note\n";
        let row = "T1,2019-05-01,KAZ,forum,security-architecture,,,,src,";
        let with_note = |len: usize| {
            let note = "n".repeat(len - row.len() - 1);
            format!("{header}{row}{note}\nT2,2019-05-02,KAZ,forum,security-architecture,,,,src,\n")
        };
        for (len, refused) in [(MAX_ROW_BYTES, false), (MAX_ROW_BYTES + 1, true)] {
            let path = dir.path().join(format!("{len}.csv"));
            std::fs::write(&path, with_note(len)).unwrap_or_else(|e| panic!("write: {e}"));
            let read = ingest_files(&validator, &[path], &mut Places::default());
            match read {
                Err(InputError::FieldTooLong { line, .. }) => {
                    assert!(refused, "a row of {len} bytes was refused");
                    assert_eq!(line, 2);
                }
                Ok(_) => assert!(!refused, "a row of {len} bytes was read"),
                Err(e) => panic!("{e}"),
            }
        }
    }

    /// Empty lines are no part of the row after them: runs of them longer than a row may be,
    /// before the header, between rows and at the end, with either line end, are skipped and
    /// counted, and the rows keep their lines.
    #[test]
    fn long_runs_of_empty_lines_are_no_long_row() {
        let engine = Engine::load(None).unwrap_or_else(|e| panic!("bundled rules: {e}"));
        let validator = Validator::new(&engine.catalogue, engine.default_as_of());
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let run = MAX_ROW_BYTES + 3;
        let row = |i: u32| format!("T{i},2019-05-01,KAZ,forum,security-architecture,,,,src,");
        for end in ["\n", "\r\n", "\r"] {
            let blank = |n: usize| end.repeat(n);
            let text = [
                blank(run),
                "id,date,party,kind,subject,partners,value,unit,source,note".to_string(),
                blank(1),
                row(1),
                blank(run + 1),
                row(2),
                blank(1),
                row(3),
                blank(run + 1),
            ]
            .concat();
            let path = dir.path().join("blank.csv");
            std::fs::write(&path, &text).unwrap_or_else(|e| panic!("write: {e}"));
            let mut places = Places::default();
            let read = ingest_files(&validator, &[&path], &mut places);
            let (stats, _) = read.unwrap_or_else(|e| panic!("{end:?}: {e}"));
            assert_eq!(stats[0].sha256, crate::digest::sha256_hex(text.as_bytes()));
            let header = run as u64 + 1;
            let (first, second) = (header + 1, header + 2 + run as u64);
            let third = second + 1;
            let expected = [
                "warn blank-line 1".to_string(),
                format!("accept T1 {first}"),
                format!("warn blank-line {}", first + 1),
                format!("accept T2 {second}"),
                format!("accept T3 {third}"),
                format!("warn blank-line {}", third + 1),
            ];
            assert_eq!(places.0, expected, "{end:?}");
        }
    }

    /// A file given twice repeats every id: more ids than are settled in one batch, each kept
    /// once with a warning on its second copy, in the order of the ids.
    #[test]
    fn a_file_given_twice_is_settled_batch_after_batch() {
        let engine = Engine::load(None).unwrap_or_else(|e| panic!("bundled rules: {e}"));
        let validator = Validator::new(&engine.catalogue, engine.default_as_of());
        let rows = duplicates::FIRSTS_AT_ONCE + 1_000;
        let mut text = String::from("id,date,party,kind,subject,partners,value,unit,source,note\n");
        for i in 0..rows {
            text.push_str(&format!(
                "T{i},2019-05-01,KAZ,forum,security-architecture,,,,src,\n"
            ));
        }
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let path = dir.path().join("twice.csv");
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("write: {e}"));
        let mut places = Places::default();
        let (stats, _) = ingest_files(&validator, &[&path, &path], &mut places)
            .unwrap_or_else(|e| panic!("ingest: {e}"));
        assert_eq!(stats[1].accepted, rows as u64);
        assert_eq!(
            stats[1].warnings_by_code.get("duplicate-row"),
            Some(&(rows as u64))
        );
        let warned: Vec<&String> = places.0.iter().filter(|p| p.starts_with("warn")).collect();
        let expected: Vec<String> = (0..rows)
            .map(|i| format!("warn duplicate-row {}", i + 2))
            .collect();
        assert_eq!(warned.len(), expected.len());
        assert!(warned.iter().zip(&expected).all(|(a, b)| *a == b));
    }

    /// Rows whose id was used before are settled the same whether they were held in memory or
    /// in the temporary file, from the first or part way: the same warnings, the same rejects
    /// with the same fields, the same counts. The second file repeats the first's rows, some
    /// with other values, some twice, some out of order.
    #[test]
    fn held_rows_settle_the_same_from_memory_and_from_the_temporary_file() {
        let engine = Engine::load(None).unwrap_or_else(|e| panic!("bundled rules: {e}"));
        let validator = Validator::new(&engine.catalogue, engine.default_as_of());
        let header = "id,date,party,kind,subject,partners,value,unit,source,note\n";
        let row = |i: usize, note: &str| {
            format!("T{i},2019-05-01,KAZ,forum,security-architecture,,,,src,{note}\n")
        };
        let first: String = (0..3_000).map(|i| row(i, "")).collect();
        let mut second = String::new();
        for i in (0..3_000).rev() {
            second.push_str(&row(i, if i % 7 == 0 { "other" } else { "" }));
            if i % 11 == 0 {
                second.push_str(&row(i, "é, \"quoted\""));
            }
        }
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        std::fs::write(&a, format!("{header}{first}")).unwrap_or_else(|e| panic!("write: {e}"));
        std::fs::write(&b, format!("{header}{second}")).unwrap_or_else(|e| panic!("write: {e}"));
        let settled = |held: Holding| {
            let mut told = Places(Vec::new(), true);
            let (stats, _) =
                ingest_keeping(&validator, &[&a, &b], &mut told, held, (0, SMALL_FILE))
                    .unwrap_or_else(|e| panic!("ingest: {e}"));
            (stats, told.0)
        };
        let (stats, told) = settled(Holding::default());
        assert!(told.iter().any(|t| t.contains("quoted")));
        assert!(stats[1].warnings_by_code.contains_key("duplicate-row"));
        for in_memory in [0, 10_000] {
            let (spilled_stats, spilled) = settled(Holding::keeping(in_memory));
            assert_eq!(spilled_stats, stats, "{in_memory} bytes in memory");
            assert!(spilled == told, "{in_memory} bytes in memory");
        }
    }

    /// Every input the fixtures hold reads the same parsed on the thread that takes its rows
    /// (as small files are) and on a second one: the same rows, rejects, warnings, counts and
    /// digest, and the same error where reading stops.
    #[test]
    fn files_read_the_same_on_one_thread_and_on_two() {
        fn inputs(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
            let mut entries: Vec<_> = std::fs::read_dir(dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .filter_map(Result::ok)
                .map(|e| e.path())
                .collect();
            entries.sort();
            for path in entries {
                let ext = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or_default();
                if path.is_dir() {
                    inputs(&path, found);
                } else if matches!(ext, "csv" | "xlsx" | "xlsb" | "ods" | "xls") {
                    found.push(path);
                }
            }
        }
        let engine = Engine::load(None).unwrap_or_else(|e| panic!("bundled rules: {e}"));
        let validator = Validator::new(&engine.catalogue, engine.default_as_of());
        let mut found = Vec::new();
        inputs(Path::new("fixtures"), &mut found);
        assert!(found.len() > 60, "{} inputs", found.len());
        // No fixture stops part way: rows, then one past the length limit.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let long = dir.path().join("long.csv");
        let mut text = String::from("id,date,party,kind,subject,partners,value,unit,source,note\n");
        for i in 0..10 {
            text.push_str(&format!(
                "T{i},2019-05-01,KAZ,forum,security-architecture,,,,s,\n"
            ));
        }
        text.push_str(&format!(
            "T10,2019-05-01,KAZ,forum,x,,,,s,{}\n",
            "n".repeat(MAX_ROW_BYTES)
        ));
        std::fs::write(&long, text).unwrap_or_else(|e| panic!("write: {e}"));
        found.push(long);
        let read = |paths: &[&Path], small_file: u64| {
            let mut told = Places(Vec::new(), true);
            let held = Holding::default();
            let got = ingest_keeping(&validator, paths, &mut told, held, (0, small_file))
                .map(|(stats, _)| stats)
                .map_err(|e| e.to_string());
            (got, told.0)
        };
        let mut stopped = 0;
        for path in &found {
            let two = read(&[path], 0);
            stopped += usize::from(two.0.is_err());
            assert_eq!(read(&[path], u64::MAX), two, "{}", path.display());
        }
        assert!(stopped > 5, "{stopped} inputs stop with an error");
        let all: Vec<&Path> = found.iter().map(|p| p.as_path()).take(20).collect();
        assert_eq!(read(&all, u64::MAX), read(&all, 0));
        // Every input in one run, read ahead or not: each file's outcome, and every row.
        let each = |small_file: u64| {
            let mut told = Places(Vec::new(), true);
            let got: Vec<_> = ingest_each_reading(&validator, &found, &mut told, small_file)
                .into_iter()
                .map(|r| r.map_err(|e| e.to_string()))
                .collect();
            (got, told.0)
        };
        let (streamed, read_ahead) = (each(0), each(u64::MAX));
        assert_eq!(streamed.0.len(), found.len());
        assert!(streamed.0.iter().filter(|r| r.is_err()).count() > 5);
        assert_eq!(read_ahead, streamed);
    }

    /// A sheet whose ids come again in a later file is settled the same whether its text was
    /// kept from reading its rows or the workbook is converted again (past the budget): the
    /// fixture xlsx's first sheet and its CSV hold the same rows, so each is counted once.
    #[test]
    fn a_sheet_is_settled_the_same_from_its_kept_text_and_converted_again() {
        let engine = Engine::load(None).unwrap_or_else(|e| panic!("bundled rules: {e}"));
        let validator = Validator::new(&engine.catalogue, engine.default_as_of());
        let paths = [
            "fixtures/workbooks/activities.xlsx",
            "fixtures/workbooks/activities.csv",
        ];
        let settled = |keep_text: usize| {
            let mut told = Places(Vec::new(), true);
            let (stats, _) = ingest_keeping(
                &validator,
                &paths,
                &mut told,
                Holding::default(),
                (keep_text, SMALL_FILE),
            )
            .unwrap_or_else(|e| panic!("ingest: {e}"));
            (stats, told.0)
        };
        let (stats, told) = settled(duplicates::KEEP_TEXT);
        assert_eq!(stats[1].warnings_by_code.get("duplicate-row"), Some(&6));
        assert_eq!(settled(0), (stats, told));
    }

    /// A file of many blocks is hashed whole and in order, whichever thread hashed each piece,
    /// and every row is taken, in order.
    #[test]
    fn a_file_of_many_blocks_is_hashed_in_order() {
        let engine = Engine::load(None).unwrap_or_else(|e| panic!("bundled rules: {e}"));
        let validator = Validator::new(&engine.catalogue, engine.default_as_of());
        let mut text = String::from("id,date,party,kind,subject,partners,value,unit,source,note\n");
        let rows = 12_000;
        for i in 0..rows {
            let note = format!("{i}-").repeat(200 + i % 300);
            text.push_str(&format!(
                "T{i},2019-05-0{},KAZ,forum,security-architecture,,,,src,{note}\n",
                1 + i % 9
            ));
        }
        assert!(text.len() > 12 << 20, "{} bytes", text.len());
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let path = dir.path().join("long.csv");
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("write: {e}"));
        let mut places = Places::default();
        let (stats, _) = ingest_files(&validator, &[&path], &mut places)
            .unwrap_or_else(|e| panic!("ingest: {e}"));
        assert_eq!(stats[0].sha256, crate::digest::sha256_hex(text.as_bytes()));
        let accepted: Vec<String> = (0..rows)
            .map(|i| format!("accept T{i} {}", i + 2))
            .collect();
        assert_eq!(places.0, accepted);
    }

    /// Line numbers are counted from the scanner's count while a file has shown no `\r`, and
    /// from the bytes after: a file must get the same numbers with either line end, across
    /// batches.
    #[test]
    fn lf_and_crlf_files_get_the_same_line_numbers() {
        let engine = Engine::load(None).unwrap_or_else(|e| panic!("bundled rules: {e}"));
        let validator = Validator::new(&engine.catalogue, engine.default_as_of());
        let mut text =
            String::from("id,date,party,kind,subject,partners,value,unit,source,note\n\n");
        for i in 0..2500 {
            let note = match i % 5 {
                0 => "\"two\nlines\"",
                1 => "plain",
                _ => "",
            };
            let party = if i % 97 == 0 { "XXX" } else { "KAZ" };
            text.push_str(&format!(
                "T{i},2019-05-0{},{party},forum,security-architecture,,,,src,{note}\n",
                1 + i % 9
            ));
            if i % 400 == 0 {
                text.push('\n');
            }
        }
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let lines_of = |name: &str, body: String| {
            let path = dir.path().join(name);
            std::fs::write(&path, body).unwrap_or_else(|e| panic!("write: {e}"));
            let mut sink = Places::default();
            let stats = ingest_files(&validator, &[path], &mut sink);
            assert!(stats.is_ok(), "{name}: {:?}", stats.err());
            sink.0
        };
        let lf = lines_of("lf.csv", text.clone());
        let crlf = lines_of("crlf.csv", text.replace('\n', "\r\n"));
        assert!(lf.iter().any(|l| l.starts_with("reject")));
        assert!(lf.iter().any(|l| l.starts_with("warn blank-line")));
        assert_eq!(lf.len(), crlf.len());
        for (a, b) in lf.iter().zip(&crlf) {
            assert_eq!(a, b);
        }
    }
}
