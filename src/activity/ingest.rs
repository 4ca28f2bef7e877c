//! Streaming over activity files: each row is read once, validated, and handed to a [`Sink`];
//! nothing holds the rows.

use std::collections::BTreeMap;
use std::fs::File;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use csv::{ByteRecord, ReaderBuilder};

use super::columns::Columns;
use super::err::InputError;
use super::reject::{Reject, RejectCode, Warning, WarningCode};
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
///
/// Each file is parsed (and hashed) on a second thread that hands batches of records to this
/// one, which validates them and feeds the sink in file order: the output is the same as a
/// single-threaded pass, byte for byte.
pub fn ingest_files(
    validator: &Validator<'_>,
    paths: &[impl AsRef<Path>],
    sink: &mut dyn Sink,
) -> Result<Vec<FileStats>, InputError> {
    let mut seen = IdSet::new();
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

/// Records handed from the parsing thread to the validating one at a time.
const BATCH: usize = 1024;
/// Batches in flight: enough to keep both threads busy, few enough to keep memory flat.
const IN_FLIGHT: usize = 4;

fn ingest_file(
    validator: &Validator<'_>,
    path: &Path,
    file_ix: u16,
    names: &[String],
    seen: &mut IdSet,
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
    let record_start = Arc::new(AtomicU64::new(0));
    let guard = Guard {
        inner: HashingReader::new(file),
        read: 0,
        record_start: record_start.clone(),
    };
    let mut reader = ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .buffer_capacity(1 << 16)
        .from_reader(guard);
    let mut record = ByteRecord::new();
    if !reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(name, e, 1))?
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
    let mut counts = Counts::default();
    for w in &warnings {
        counts.warn(w.code);
        sink.warn(name, w);
    }
    std::thread::scope(|scope| {
        let (full_tx, full_rx) =
            mpsc::sync_channel::<Result<Vec<ByteRecord>, InputError>>(IN_FLIGHT);
        let (empty_tx, empty_rx) = mpsc::channel::<Vec<ByteRecord>>();
        let parser = scope.spawn(move || parse(reader, record_start, name, full_tx, empty_rx));
        for batch in full_rx.iter() {
            let batch = batch?;
            for record in &batch {
                let line = record.position().map_or(0, |p| p.line());
                stats.rows += 1;
                let row = RowRef {
                    file: file_ix,
                    line: u32::try_from(line).unwrap_or(u32::MAX),
                };
                let outcome =
                    validator
                        .validate(record, &cols, line)
                        .and_then(|(activity, warnings)| {
                            if let Some(first) = seen.insert(activity.id.as_bytes(), row) {
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
                            Ok((activity, warnings))
                        });
                match outcome {
                    Ok((activity, warnings)) => {
                        stats.accepted += 1;
                        for w in &warnings {
                            counts.warn(w.code);
                            sink.warn(name, w);
                        }
                        if !sink.accept(&activity, row) {
                            stats.unmatched += 1;
                        }
                    }
                    Err(reject) => {
                        stats.rejected += 1;
                        counts.reject(reject.code);
                        sink.reject(name, &reject, record);
                    }
                }
            }
            // The parser may have finished and gone: then the batch is simply dropped.
            let _ = empty_tx.send(batch);
        }
        match parser.join() {
            Ok(digest) => {
                stats.sha256 = digest;
                Ok(())
            }
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })?;
    counts.into_stats(&mut stats);
    Ok(stats)
}

/// The parsing thread: reads records in batches until the end of the file or the first error,
/// then returns the file's digest.
fn parse<R: Read>(
    mut reader: csv::Reader<Guard<R>>,
    record_start: Arc<AtomicU64>,
    name: &str,
    full: mpsc::SyncSender<Result<Vec<ByteRecord>, InputError>>,
    empty: mpsc::Receiver<Vec<ByteRecord>>,
) -> String {
    loop {
        let mut batch = empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH));
        let mut filled = 0;
        let mut failed = None;
        while filled < BATCH {
            if batch.len() == filled {
                batch.push(ByteRecord::new());
            }
            record_start.store(reader.position().byte(), Ordering::Relaxed);
            let line = reader.position().line();
            match reader.read_byte_record(&mut batch[filled]) {
                Ok(true) => filled += 1,
                Ok(false) => break,
                Err(e) => {
                    failed = Some(csv_error(name, e, line));
                    break;
                }
            }
        }
        let done = filled < BATCH;
        batch.truncate(filled);
        if !batch.is_empty() && full.send(Ok(batch)).is_err() {
            return String::new();
        }
        if let Some(e) = failed {
            let _ = full.send(Err(e));
            return String::new();
        }
        if done {
            return reader.into_inner().finish();
        }
    }
}

fn csv_error(name: &str, e: csv::Error, line: u64) -> InputError {
    match e.kind() {
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::FileTooLarge => {
            InputError::FieldTooLong {
                file: name.to_string(),
                line,
                limit: MAX_ROW_BYTES,
            }
        }
        _ => InputError::Csv {
            file: name.to_string(),
            line,
            reason: e.to_string(),
        },
    }
}

/// Reject and warning tallies by code, kept in arrays so that a bad row costs no allocation.
#[derive(Default)]
struct Counts {
    rejects: [u64; RejectCode::ALL.len()],
    warnings: [u64; 4],
}

const WARNING_CODES: [WarningCode; 4] = [
    WarningCode::UnknownColumn,
    WarningCode::OutsideWindow,
    WarningCode::NoRole,
    WarningCode::WhiteSpace,
];

impl Counts {
    fn reject(&mut self, code: RejectCode) {
        if let Some(i) = RejectCode::ALL.iter().position(|c| *c == code) {
            self.rejects[i] += 1;
        }
    }
    fn warn(&mut self, code: WarningCode) {
        if let Some(i) = WARNING_CODES.iter().position(|c| *c == code) {
            self.warnings[i] += 1;
        }
    }
    fn into_stats(self, stats: &mut FileStats) {
        for (code, n) in RejectCode::ALL.iter().zip(self.rejects) {
            if n > 0 {
                stats.rejects_by_code.insert(code.as_str().to_string(), n);
            }
        }
        for (code, n) in WARNING_CODES.iter().zip(self.warnings) {
            if n > 0 {
                stats.warnings_by_code.insert(code.as_str().to_string(), n);
            }
        }
    }
}

/// FxHash's multiply-rotate over 8-byte words, with a murmur3 finaliser so that every bit of the
/// result is usable. For short keys (codes, vocabulary keys, ids) it is several times cheaper
/// than SipHash; flooding is answered by seeding it per run where the keys come from input.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FxHasher(u64);

const FX_K: u64 = 0xf135_7aea_2e62_a9c5;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(FX_K);
        }
        let rest = words.remainder();
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59))
            .wrapping_mul(FX_K);
        self.0 = h;
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(FX_K);
    }
    fn finish(&self) -> u64 {
        fmix64(self.0)
    }
}

fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// For maps keyed by catalogue strings (parties, kinds, subjects): fixed, since the keys are
/// the rules' own.
pub(crate) type FastHash = BuildHasherDefault<FxHasher>;

/// The ids seen so far, exactly, with the row each was first used on.
///
/// Every id is stored once in an arena as `len (LEB128) | bytes | file (u16) | line (u32)`;
/// an open-addressing table of `u64` holds 24 bits of the id's hash and the arena offset + 1.
/// About 8 bytes + the id per row, against about 60 for a `HashMap<Box<str>, RowRef>`, and no
/// allocation per row. A match of the hash bits is always confirmed on the stored bytes, so
/// detection is exact.
pub(crate) struct IdSet {
    seed: u64,
    table: Vec<u64>,
    arena: Vec<u8>,
    len: usize,
}

const OFFSET_BITS: u32 = 40;
const OFFSET_MASK: u64 = (1 << OFFSET_BITS) - 1;

impl IdSet {
    pub(crate) fn new() -> IdSet {
        IdSet {
            // Per-process seed: a crafted file cannot aim collisions at the table; the answer
            // (is this id new?) does not depend on it.
            seed: std::collections::hash_map::RandomState::new().hash_one(0x5eed_u64),
            table: vec![0; 1024],
            arena: Vec::new(),
            len: 0,
        }
    }

    fn hash(&self, id: &[u8]) -> u64 {
        let mut h = FxHasher(self.seed);
        h.write(id);
        h.finish()
    }

    /// Record `id` as first used at `row`; if it was already used, return where, and keep the
    /// first place.
    pub(crate) fn insert(&mut self, id: &[u8], row: RowRef) -> Option<RowRef> {
        if (self.len + 1) * 8 > self.table.len() * 7 {
            self.grow();
        }
        let h = self.hash(id);
        let tag = h >> OFFSET_BITS;
        let mask = self.table.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let e = self.table[i];
            if e == 0 {
                break;
            }
            if e >> OFFSET_BITS == tag {
                let (stored, first) = self.entry((e & OFFSET_MASK) as usize - 1);
                if stored == id {
                    return Some(first);
                }
            }
            i = (i + 1) & mask;
        }
        let offset = self.arena.len() as u64;
        let mut n = id.len();
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.arena.push(low);
                break;
            }
            self.arena.push(low | 0x80);
        }
        self.arena.extend_from_slice(id);
        self.arena.extend_from_slice(&row.file.to_le_bytes());
        self.arena.extend_from_slice(&row.line.to_le_bytes());
        self.table[i] = (tag << OFFSET_BITS) | ((offset + 1) & OFFSET_MASK);
        self.len += 1;
        None
    }

    /// The id and first row stored at an arena offset.
    fn entry(&self, offset: usize) -> (&[u8], RowRef) {
        let a = &self.arena;
        let (mut n, mut shift, mut at) = (0usize, 0u32, offset);
        while let Some(&b) = a.get(at) {
            n |= ((b & 0x7f) as usize) << shift;
            shift += 7;
            at += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        let id = a.get(at..at + n).unwrap_or_default();
        let tail = a.get(at + n..at + n + 6).unwrap_or_default();
        let row = match tail {
            [f0, f1, l0, l1, l2, l3] => RowRef {
                file: u16::from_le_bytes([*f0, *f1]),
                line: u32::from_le_bytes([*l0, *l1, *l2, *l3]),
            },
            _ => RowRef { file: 0, line: 0 },
        };
        (id, row)
    }

    fn grow(&mut self) {
        let size = self.table.len() * 2;
        let old = std::mem::replace(&mut self.table, vec![0; size]);
        let mask = self.table.len() - 1;
        for e in old.into_iter().filter(|&e| e != 0) {
            let (id, _) = self.entry((e & OFFSET_MASK) as usize - 1);
            let mut i = self.hash(id) as usize & mask;
            while self.table[i] != 0 {
                i = (i + 1) & mask;
            }
            self.table[i] = e;
        }
    }
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
    record_start: Arc<AtomicU64>,
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
        if self
            .read
            .saturating_sub(self.record_start.load(Ordering::Relaxed))
            > MAX_ROW_BYTES as u64
        {
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
