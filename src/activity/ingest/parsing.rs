//! The parsing thread of a large file: records cut into batches, checked in part, and handed
//! to the thread that takes them, the bytes hashed on the way.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

use super::lines::{line_of, read_located, Lines};
use super::{Reader, BATCH, CHECK_STEP, MAX_ROW_BYTES};
use crate::activity::columns::Columns;
use crate::activity::err::InputError;
use crate::activity::record::Record;
use crate::activity::validate::{CheckedOutcome, Validator};
use crate::digest::HashHelper;

/// The next batch from the parsing thread, or `None` once it is done; while there is none
/// yet, the file is hashed a piece at a time rather than wait.
pub(super) fn next_batch(
    full: &mpsc::Receiver<Result<Batch, InputError>>,
    hashing: &HashHelper,
) -> Option<Result<Batch, InputError>> {
    loop {
        match full.try_recv() {
            Ok(batch) => return Some(batch),
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) if hashing.help() => {}
            Err(mpsc::TryRecvError::Empty) => return full.recv().ok(),
        }
    }
}

/// How many rows ahead a row's bytes are asked of memory while the rows are checked.
pub(super) const AHEAD_ROWS: usize = 2;

/// A hint to load every cache line of `bytes`, read soon (by a core other than the one that
/// wrote them, when the parsing thread handed the batch over).
pub(super) fn prefetch_bytes(bytes: &[u8]) {
    for line in bytes.chunks(64) {
        if let Some(b) = line.first() {
            crate::activity::prefetch(b);
        }
    }
}

/// Records parsed together, and, when the parsing thread had the time, already checked.
pub(super) struct Batch {
    pub(super) records: Vec<Record>,
    /// Empty, or one outcome per record.
    pub(super) checked: Vec<CheckedOutcome>,
}

impl Batch {
    /// Check up to `rows` more records, on whichever thread has the time: the outcomes are
    /// one per record, in order, for a prefix of the records.
    pub(super) fn check(&mut self, validator: &Validator<'_>, cols: &Columns, rows: usize) {
        let done = self.checked.len();
        let records = &self.records;
        self.checked.extend(
            records
                .iter()
                .enumerate()
                .skip(done)
                .take(rows)
                .map(|(i, r)| {
                    if let Some(ahead) = records.get(i + AHEAD_ROWS) {
                        prefetch_bytes(crate::activity::validate::bytes_read(ahead, cols));
                    }
                    validator.check_owned(r, cols, line_of(r))
                }),
        );
    }
}

/// Cutting a file's bytes into records, on whichever thread parses it.
pub(super) struct Cutter<'a> {
    pub(super) record_start: Arc<AtomicU64>,
    pub(super) lines: Lines,
    pub(super) name: &'a str,
}

/// The parsing thread's side of a file.
pub(super) struct Parsing<'a> {
    pub(super) cut: Cutter<'a>,
    pub(super) full: mpsc::SyncSender<Result<Batch, InputError>>,
    pub(super) empty: mpsc::Receiver<Batch>,
    /// Batches sent and not yet taken by the validating thread.
    pub(super) queued: Arc<AtomicUsize>,
    pub(super) check: (&'a Validator<'a>, &'a Columns),
    /// For the file to be hashed here while there is no room to hand a batch over.
    pub(super) hashing: HashHelper,
}

impl Parsing<'_> {
    /// Reads records in batches until the end of the file or the first error, then returns the
    /// file's digest.
    ///
    /// Each record's position is set to where it really starts (see [`Lines`]); its `record()`
    /// holds the number of empty lines skipped just before it (concord has no use for the
    /// record index). Returns the digest and the empty lines at the end of the file (first
    /// line, count).
    ///
    /// While the validating thread has more than one batch waiting, this thread checks the next
    /// batch itself, a few rows at a time, so both cores share the checking and neither waits
    /// for the other. Which thread checks a row changes nothing in what comes out: checking is
    /// a pure function of the row.
    pub(super) fn run(mut self, mut reader: Reader) -> (String, Option<(u64, u64)>) {
        loop {
            let mut batch = self.empty.try_recv().unwrap_or_else(|_| Batch {
                records: Vec::with_capacity(BATCH),
                checked: Vec::new(),
            });
            let end = self.cut.fill(&mut reader, &mut batch.records);
            let (validator, cols) = self.check;
            while self.queued.load(Ordering::Relaxed) > 1
                && batch.checked.len() < batch.records.len()
            {
                batch.check(validator, cols, CHECK_STEP);
            }
            if !batch.records.is_empty() {
                self.queued.fetch_add(1, Ordering::Relaxed);
                if self.send(batch).is_err() {
                    return (String::new(), None);
                }
            }
            match end {
                None => {}
                Some(End::Failed(e)) => {
                    let _ = self.full.send(Err(e));
                    return (String::new(), None);
                }
                Some(End::Done { trailing }) => return self.finish(reader, trailing),
            }
        }
    }

    /// Hand a batch over; while there is no room for it, hash the file a piece at a time rather
    /// than wait.
    pub(super) fn send(&self, mut batch: Batch) -> Result<(), ()> {
        loop {
            batch = match self.full.try_send(Ok(batch)) {
                Ok(()) => return Ok(()),
                Err(mpsc::TrySendError::Full(Ok(full))) => full,
                // Disconnected: the validating thread stopped (a batch sent is never an error).
                Err(_) => return Err(()),
            };
            if !self.hashing.help() {
                return self.full.send(Ok(batch)).map_err(|_| ());
            }
        }
    }

    /// The file's digest, once every byte is read, and its trailing empty lines.
    pub(super) fn finish(
        &self,
        reader: Reader,
        trailing: Option<(u64, u64)>,
    ) -> (String, Option<(u64, u64)>) {
        match digest_of(self.cut.name, reader) {
            Ok(digest) => (digest, trailing),
            Err(e) => {
                let _ = self.full.send(Err(e));
                (String::new(), None)
            }
        }
    }
}

impl Cutter<'_> {
    /// Read records into `records` until they make a batch; how the file ended, if it did.
    pub(super) fn fill(&mut self, reader: &mut Reader, records: &mut Vec<Record>) -> Option<End> {
        let mut filled = 0;
        let end = loop {
            if filled == BATCH {
                break None;
            }
            if records.len() == filled {
                records.push(Record::new());
            }
            match self.read_record(reader, &mut records[filled]) {
                ControlFlow::Continue(()) => filled += 1,
                ControlFlow::Break(end) => break Some(end),
            }
        };
        records.truncate(filled);
        end
    }

    /// Read one record and set its position to where it really starts (see [`Lines`]); breaks
    /// at the end of the file or at an error.
    pub(super) fn read_record(
        &mut self,
        reader: &mut Reader,
        record: &mut Record,
    ) -> ControlFlow<End> {
        match read_located(reader, &self.record_start, &mut self.lines, record) {
            Ok((more, at)) => {
                // The guard bounds what is held while a row is read; this makes the limit exact.
                if reader.byte() - at.byte > MAX_ROW_BYTES as u64 {
                    return ControlFlow::Break(End::Failed(too_long(self.name, at.line)));
                }
                if !more {
                    let trailing = (at.blank > 0).then(|| (at.line - at.blank, at.blank));
                    return ControlFlow::Break(End::Done { trailing });
                }
                let mut pos = csv::Position::new();
                pos.set_byte(at.byte).set_line(at.line).set_record(at.blank);
                record.set_position(Some(pos));
                ControlFlow::Continue(())
            }
            Err((e, line)) => ControlFlow::Break(End::Failed(read_error(self.name, e, line))),
        }
    }
}

/// The digest of a file whose rows are all read: the guard reads on to the end.
pub(super) fn digest_of(name: &str, reader: Reader) -> Result<String, InputError> {
    reader
        .into_inner()
        .finish()
        .map_err(|e| InputError::Unreadable {
            file: name.to_string(),
            reason: e.to_string(),
        })
}

/// How the parsing of a file ended.
pub(super) enum End {
    /// At the end of the file, with its trailing empty lines (first line, count).
    Done {
        trailing: Option<(u64, u64)>,
    },
    Failed(InputError),
}

/// A read that failed on the record starting at `line`.
pub(super) fn read_error(name: &str, e: std::io::Error, line: u64) -> InputError {
    if e.kind() == std::io::ErrorKind::FileTooLarge {
        return too_long(name, line);
    }
    InputError::ReadFailed {
        file: name.to_string(),
        line,
        reason: e.to_string(),
    }
}

pub(super) fn too_long(name: &str, line: u64) -> InputError {
    InputError::FieldTooLong {
        file: name.to_string(),
        line,
        limit: MAX_ROW_BYTES,
    }
}
