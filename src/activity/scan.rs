//! Cutting an input into records, exactly as the csv crate would (double quotes, any of
//! `\r\n`, `\n` and `\r` ending a record, empty lines skipped, a UTF-8 byte order mark
//! dropped), at a fraction of its cost on the rows real files are made of.
//!
//! A row that ends with `\n` or `\r` (a file saved with `\r\n` line ends: the `\n` is skipped
//! before the next row, as csv_core skips it) within the block at hand, and whose quoted fields
//! (if any) hold no `"` or line end of their own and close right before a comma or the end of
//! the row, is cut in place: one copy of the row and the bounds of its fields. Every other row
//! (and the header, for its byte order mark) is read by csv_core, which the csv crate itself
//! runs on.
//! Between records csv_core is always at the start of one, so it can pick up after any number
//! of rows cut in place.

use std::io::{self, BufRead};

use csv_core::ReadRecordResult;

use super::record::Record;

/// Records from an input, and how far into it the last one ended.
pub(super) struct Scanner<R> {
    input: R,
    /// Built at its first use: a scanner that reads a first copy back often needs none.
    core: Option<Core>,
    /// Input offset of the next byte to read.
    byte: u64,
    /// 1 + the `\n` bytes read so far, as csv counts lines.
    line: u64,
    /// Where each field csv_core wrote ends.
    ends: Vec<usize>,
    /// Whether a record was read: until then csv_core must see the input, for a byte order
    /// mark at its start.
    started: bool,
    done: bool,
}

/// csv_core readers let go by scanners, ready for the next: making one computes its state
/// machine, which costs more than reading a small file (a run of many small files made one
/// for each). Its `Clone` cannot stand in: it copies the transitions alone.
static SPARE: std::sync::Mutex<Vec<csv_core::Reader>> = std::sync::Mutex::new(Vec::new());

/// Readers kept in [`SPARE`]: as many as scanners run at once, a few.
const SPARE_KEPT: usize = 8;

/// A csv_core reader at the start of an input, that goes back to [`SPARE`] when dropped.
struct Core(csv_core::Reader);

impl Core {
    fn fresh() -> Core {
        let spare = SPARE.lock().ok().and_then(|mut s| s.pop());
        // Not `unwrap_or_default`: `Reader::default` has no state machine, `new` builds it.
        #[allow(clippy::unwrap_or_default)]
        Core(spare.unwrap_or_else(csv_core::Reader::new))
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        if let Ok(mut spare) = SPARE.lock() {
            if spare.len() < SPARE_KEPT {
                let mut core = std::mem::take(&mut self.0);
                core.reset();
                spare.push(core);
            }
        }
    }
}

impl std::ops::Deref for Core {
    type Target = csv_core::Reader;
    fn deref(&self) -> &csv_core::Reader {
        &self.0
    }
}

impl std::ops::DerefMut for Core {
    fn deref_mut(&mut self) -> &mut csv_core::Reader {
        &mut self.0
    }
}

impl<R: BufRead> Scanner<R> {
    pub(super) fn new(input: R) -> Scanner<R> {
        Scanner {
            input,
            core: None,
            byte: 0,
            line: 1,
            ends: Vec::new(),
            started: false,
            done: false,
        }
    }

    /// A scanner over an input that starts at a record in the middle of a file (a first copy
    /// read back): there is no byte order mark to drop, so its rows are cut from the first.
    pub(super) fn resume(input: R) -> Scanner<R> {
        Scanner {
            started: true,
            ..Scanner::new(input)
        }
    }

    pub(super) fn byte(&self) -> u64 {
        self.byte
    }

    pub(super) fn line(&self) -> u64 {
        self.line
    }

    pub(super) fn get_ref(&self) -> &R {
        &self.input
    }

    /// The input, to be moved to the start of a record elsewhere in it; [`Scanner::moved`]
    /// must follow. The scanner keeps its csv_core reader, whose making costs more than a
    /// short row's reading.
    pub(super) fn get_mut(&mut self) -> &mut R {
        &mut self.input
    }

    /// Read on from where the input was moved to, the start of a record.
    pub(super) fn moved(&mut self) {
        if let Some(core) = &mut self.core {
            core.reset();
        }
        self.byte = 0;
        self.line = 1;
        self.done = false;
    }

    pub(super) fn into_inner(self) -> R {
        self.input
    }

    /// Read the next record into `record`; false at the end of the input.
    pub(super) fn read(&mut self, record: &mut Record) -> io::Result<bool> {
        loop {
            match self.scan(record)? {
                Scanned::Blank => {}
                Scanned::Record => return Ok(true),
                Scanned::End => return Ok(false),
            }
        }
    }

    /// Read the next record, or a run of empty lines before one that the rows cut in place
    /// did not take: a caller that bounds what one row may hold sees those as a piece of
    /// their own, however long the run.
    pub(super) fn scan(&mut self, record: &mut Record) -> io::Result<Scanned> {
        if self.done {
            return Ok(Scanned::End);
        }
        if self.started {
            let input = self.input.fill_buf()?;
            // The `\n` of a `\r\n` that ended the row before, or empty lines: csv_core takes
            // them as the start of the next record, and so do these.
            let skip = match input.first() {
                Some(b'\n') => input.iter().take_while(|&&b| b == b'\n').count(),
                _ => 0,
            };
            if let Some((used, lf)) = input.get(skip..).and_then(|row| cut(row, record)) {
                let used = skip + used;
                self.input.consume(used);
                self.byte += used as u64;
                self.line += skip as u64 + u64::from(lf);
                return Ok(Scanned::Record);
            }
        }
        let input = self.input.fill_buf()?;
        let lead = input
            .iter()
            .take_while(|&&b| matches!(b, b'\r' | b'\n'))
            .count();
        if lead > 0 {
            if !self.started {
                // csv_core drops a byte order mark only from the first bytes it is given.
                let core = self.core.get_or_insert_with(Core::fresh);
                let _ = core.read_record(&input[..lead], &mut [0], &mut [0]);
            }
            let lf = memchr::memchr_iter(b'\n', &input[..lead]).count();
            self.input.consume(lead);
            self.byte += lead as u64;
            self.line += lf as u64;
            return Ok(Scanned::Blank);
        }
        self.started = true;
        Ok(if self.parse(record)? {
            Scanned::Record
        } else {
            Scanned::End
        })
    }

    /// Read a record with csv_core, across as many reads of the input as it takes.
    fn parse(&mut self, record: &mut Record) -> io::Result<bool> {
        let (mut written, mut ended) = (0, 0);
        let core = self.core.get_or_insert_with(Core::fresh);
        if self.ends.is_empty() {
            self.ends.resize(32, 0);
        }
        loop {
            let input = self.input.fill_buf()?;
            let (result, read, wrote, ends) =
                core.read_record(input, record.spare(written), &mut self.ends[ended..]);
            let lines = memchr::memchr_iter(b'\n', &input[..read]).count();
            self.input.consume(read);
            self.byte += read as u64;
            self.line += lines as u64;
            written += wrote;
            ended += ends;
            match result {
                ReadRecordResult::InputEmpty | ReadRecordResult::OutputFull => {}
                ReadRecordResult::OutputEndsFull => {
                    let more = self.ends.len() * 2;
                    self.ends.resize(more, 0);
                }
                ReadRecordResult::Record => {
                    record.set_fields(written, &self.ends[..ended]);
                    return Ok(true);
                }
                ReadRecordResult::End => {
                    self.done = true;
                    record.set_fields(0, &[]);
                    return Ok(false);
                }
            }
        }
    }
}

/// What one [`Scanner::scan`] read.
pub(super) enum Scanned {
    Record,
    /// Empty lines only: the record after them is still to be read.
    Blank,
    End,
}

/// Cut the row at the start of `input` in place when it is one of the plain kind (see the
/// module's doc); returns the bytes it took, its line end included, and whether that was a
/// `\n`. A row ended by `\r` is taken up to it, as csv_core takes it: the `\n` of a `\r\n`
/// starts the next read.
///
/// The row is looked at 64 bytes at a time, for the bytes that matter (see [`marks`]).
fn cut(input: &[u8], record: &mut Record) -> Option<(usize, bool)> {
    if matches!(input.first(), None | Some(b'\n' | b'\r')) {
        return None;
    }
    record.clear_bounds();
    // Where the field being read starts, and how far it is: quoted fields are named without
    // their quotes.
    let mut start = 0;
    let mut field = Field::Plain;
    // Bytes at or above 0x80 in the chunks before the one at hand.
    let mut wide = 0;
    for (base, chunk) in input.chunks(LANES).enumerate() {
        let (mut marks, high) = marks(chunk);
        // Those of this chunk up to `at`, the row's end in it, and of the chunks before.
        let ascii = |at: usize| wide | (high & (u64::MAX >> (LANES - 1 - at % LANES))) == 0;
        while marks != 0 {
            let at = base * LANES + marks.trailing_zeros() as usize;
            marks &= marks - 1;
            // A `\r` ends a row as a `\n` does.
            let byte = match input[at] {
                b'\r' => b'\n',
                b => b,
            };
            field = match (byte, field) {
                (b'\n', Field::Plain) => {
                    record.push_bound(start..at);
                    return Some(row(input, at, ascii(at), record));
                }
                (b'\n', Field::Closed(close)) if at == close + 1 => {
                    record.push_bound(start + 1..close);
                    return Some(row(input, at, ascii(at), record));
                }
                (b',', Field::Plain) => {
                    record.push_bound(start..at);
                    start = at + 1;
                    Field::Plain
                }
                (b'"', Field::Plain) if at == start => Field::Quoted,
                (b',', Field::Quoted) => Field::Quoted,
                (b'"', Field::Quoted) => Field::Closed(at),
                (b',', Field::Closed(close)) if at == close + 1 => {
                    record.push_bound(start + 1..close);
                    start = at + 1;
                    Field::Plain
                }
                _ => return None,
            };
        }
        wide |= high;
    }
    None
}

/// Keep the row that ends at the line end at `end`, all ASCII when `ascii`; returns the bytes
/// taken and whether the line end was a `\n`.
fn row(input: &[u8], end: usize, ascii: bool, record: &mut Record) -> (usize, bool) {
    record.set_row(&input[..end], ascii);
    (end + 1, input[end] == b'\n')
}

/// Bytes [`marks`] looks at in one go.
const LANES: usize = 64;

/// Bit `i` of the first is set when `chunk[i]` is one of `,`, `"`, `\r` and `\n`; of the
/// second when it is not ASCII.
fn marks(chunk: &[u8]) -> (u64, u64) {
    match <&[u8; LANES]>::try_from(chunk) {
        Ok(lanes) => marks_of(lanes),
        // The last bytes of the input: looked at as a whole chunk, padded with bytes that
        // are none of the four.
        Err(_) => {
            let mut padded = [0; LANES];
            padded[..chunk.len()].copy_from_slice(chunk);
            marks_of(&padded)
        }
    }
}

#[cfg(target_arch = "x86_64")]
fn marks_of(lanes: &[u8; LANES]) -> (u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let (mut marks, mut high) = (0, 0);
    for (i, sixteen) in lanes.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of every x86_64 target, and the load reads sixteen bytes of
        // `lanes`, which it may do unaligned.
        let (hits, wide) = unsafe {
            let v = _mm_loadu_si128(sixteen.as_ptr().cast::<__m128i>());
            let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            let hits = _mm_or_si128(
                _mm_or_si128(is(b','), is(b'"')),
                _mm_or_si128(is(b'\r'), is(b'\n')),
            );
            (_mm_movemask_epi8(hits) as u16, _mm_movemask_epi8(v) as u16)
        };
        marks |= u64::from(hits) << (i * 16);
        high |= u64::from(wide) << (i * 16);
    }
    (marks, high)
}

#[cfg(not(target_arch = "x86_64"))]
fn marks_of(lanes: &[u8; LANES]) -> (u64, u64) {
    marks_of_bytes(lanes)
}

/// [`marks_of`] a byte at a time: other targets' own, and on x86_64 the reference its vector
/// version is tested against, so that the code other targets run is run here too.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn marks_of_bytes(lanes: &[u8; LANES]) -> (u64, u64) {
    let bits = |hit: fn(u8) -> bool| {
        (lanes.iter().enumerate())
            .filter(|&(_, &b)| hit(b))
            .fold(0, |bits, (i, _)| bits | 1 << i)
    };
    (
        bits(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')),
        bits(|b| !b.is_ascii()),
    )
}

/// How far [`cut`] is into a field.
#[derive(Clone, Copy)]
enum Field {
    /// In a field that does not start with a quote.
    Plain,
    /// In a quoted field.
    Quoted,
    /// Right after the quote that closed a field, at the given place.
    Closed(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record's fields, and the input offset and line reached after it.
    type Read = (Vec<Vec<u8>>, u64, u64);

    /// Every record of `input` as the csv crate reads it and as the scanner does, both fed
    /// `step` bytes at most a read (csv_core drops a byte order mark only from a first read
    /// that holds all of it).
    fn both(input: &[u8], step: usize) -> (Vec<Read>, Vec<Read>) {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(step)
            .from_reader(input);
        let mut theirs = Vec::new();
        let mut r = csv::ByteRecord::new();
        while csv.read_byte_record(&mut r).unwrap_or(false) {
            let fields = r.iter().map(<[u8]>::to_vec).collect();
            theirs.push((fields, csv.position().byte(), csv.position().line()));
        }
        let reader = io::BufReader::with_capacity(step, input);
        let mut scanner = Scanner::new(reader);
        let mut ours = Vec::new();
        let mut r = Record::new();
        while scanner.read(&mut r).unwrap_or(false) {
            let fields = r.iter().map(<[u8]>::to_vec).collect();
            ours.push((fields, scanner.byte(), scanner.line()));
        }
        (theirs, ours)
    }

    #[test]
    fn plain_and_quoted_rows_read_as_csv_reads_them() {
        let input = b"\xEF\xBB\xBFid,note\n\
            a,plain\n\
            b,\"quoted, with a comma\"\n\
            c,\"\"\n\
            ,\n\
            \"d\",\n\
            e,\"two\nlines\"\n\
            f,\"an \"\"inner\"\" quote\"\n\
            g,\"closed\"early\n\
            h,mid\"quote\n\
            \n\n\
            i,crlf\r\n\
            j,cr\r\
            k,\"unclosed,\n\
            l,x\n";
        for step in [1, 2, 3, 7, 64, 4096] {
            let (theirs, ours) = both(input, step);
            assert_eq!(theirs, ours, "reads of {step} bytes");
        }
    }

    /// A scanner dropped part way, inside a quoted field, lets its csv_core reader go to the
    /// next scanners as new: each reads its input from the start.
    #[test]
    fn a_reader_let_go_part_way_reads_the_next_input_from_its_start() {
        for _ in 0..SPARE_KEPT + 1 {
            let mut left = Scanner::new(io::BufReader::with_capacity(4, &b"\"open,\nstill"[..]));
            let mut r = Record::new();
            assert!(left.read(&mut r).is_ok());
        }
        let input = b"\xEF\xBB\xBFid,note\na,\"b\nc\"\nd,e\n";
        for _ in 0..SPARE_KEPT + 1 {
            let (theirs, ours) = both(input, 3);
            assert_eq!(theirs, ours);
        }
    }

    #[test]
    fn a_last_row_without_a_line_end_is_read() {
        for input in [
            &b"a,b\nc,d"[..],
            b"a,b\nc,\"d\"",
            b"a\n\n",
            b"a,b\n",
            b"",
            b"\n",
        ] {
            let (theirs, ours) = both(input, 4096);
            assert_eq!(theirs, ours, "{:?}", String::from_utf8_lossy(input));
        }
    }

    /// Each record of `input`, read 4 KiB at a time, with whether it is plain ASCII.
    fn flagged(input: &[u8]) -> Vec<(Vec<u8>, bool)> {
        let mut scanner = Scanner::resume(io::BufReader::with_capacity(4096, input));
        let mut r = Record::new();
        let mut rows = Vec::new();
        while scanner.read(&mut r).unwrap_or(false) {
            rows.push((r.iter().collect::<Vec<_>>().join(&b'|'), r.is_plain_ascii()));
        }
        rows
    }

    #[test]
    fn rows_cut_in_place_say_whether_they_are_ascii() {
        let long = "x".repeat(100);
        let input = format!(
            "a,b\nc,\"é\"\nd,e\né,f\n{long},g\n{long}é,h\n{long}\ni,\"j\nk\"\nl,m\r\nn,o\np,q\n"
        );
        let rows: Vec<(String, bool)> = flagged(input.as_bytes())
            .into_iter()
            .map(|(row, ascii)| (String::from_utf8_lossy(&row).into_owned(), ascii))
            .collect();
        let expected = [
            ("a|b".to_string(), true),
            // Not ASCII, in a quoted field: the row after it, in the same 64 bytes, is.
            ("c|é".into(), false),
            ("d|e".into(), true),
            ("é|f".into(), false),
            // Across two chunks of 64 bytes, a wide byte in the second or none.
            (format!("{long}|g"), true),
            (format!("{long}é|h"), false),
            (long.clone(), true),
            // A line break in a quoted field: read by csv_core, never plain. Rows ended by
            // `\r\n` are cut in place, the `\n` skipped before the next.
            ("i|j\nk".into(), false),
            ("l|m".into(), true),
            ("n|o".into(), true),
            ("p|q".into(), true),
        ];
        assert_eq!(rows, expected);
    }

    proptest::proptest! {
        /// A row said to be plain ASCII is: every byte of it, and no line break.
        #[test]
        fn rows_said_to_be_plain_ascii_are(
            input in proptest::collection::vec(
                proptest::sample::select(&b"ab,\"\r\n\xC3\xA9\x80"[..]),
                0..300,
            ),
        ) {
            let mut scanner = Scanner::resume(io::BufReader::with_capacity(4096, &input[..]));
            let mut r = Record::new();
            while scanner.read(&mut r).unwrap_or(false) {
                if r.is_plain_ascii() {
                    let row = r.as_slice();
                    proptest::prop_assert!(row.is_ascii() && !row.contains(&b'\n'));
                    proptest::prop_assert!(!row.contains(&b'\r'));
                }
            }
        }

        /// The vector marks and the bytewise ones agree, on bytes that matter to CSV and on any.
        #[test]
        fn marks_are_the_same_a_byte_at_a_time(
            lanes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(&b",\"\r\n\x80\xFFa"[..]),
                    proptest::num::u8::ANY,
                ],
                LANES,
            ),
        ) {
            let lanes: [u8; LANES] = lanes.try_into().unwrap_or([0; LANES]);
            proptest::prop_assert_eq!(marks_of(&lanes), marks_of_bytes(&lanes));
        }

        /// Any bytes made of the ones that matter to CSV, read in reads of any size, cut into
        /// the same records, offsets and lines as the csv crate's.
        #[test]
        fn any_input_reads_as_csv_reads_it(
            input in proptest::collection::vec(
                proptest::sample::select(&b"ab,\"\r\n\xEF\xBB\xBF"[..]),
                0..200,
            ),
            step in 1usize..40,
        ) {
            let (theirs, ours) = both(&input, step);
            proptest::prop_assert_eq!(theirs, ours);
        }
    }
}
