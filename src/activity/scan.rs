//! Cutting an input into records, exactly as the csv crate would (double quotes, any of
//! `\r\n`, `\n` and `\r` ending a record, empty lines skipped, a UTF-8 byte order mark
//! dropped), at a fraction of its cost on the rows real files are made of.
//!
//! A row that ends with `\n` within the block at hand, holds no `\r`, and whose quoted fields
//! (if any) hold no `"` of their own and close right before a comma or the end of the row, is
//! cut in place: one copy of the row and the bounds of its fields. Every other row (and the
//! header, for its byte order mark) is read by csv_core, which the csv crate itself runs on.
//! Between records csv_core is always at the start of one, so it can pick up after any number
//! of rows cut in place.

use std::io::{self, BufRead};

use csv_core::ReadRecordResult;

use super::record::Record;

/// Records from an input, and how far into it the last one ended.
pub(super) struct Scanner<R> {
    input: R,
    /// Built at its first use: a scanner that reads a first copy back often needs none.
    core: Option<csv_core::Reader>,
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

    pub(super) fn into_inner(self) -> R {
        self.input
    }

    /// Read the next record into `record`; false at the end of the input.
    pub(super) fn read(&mut self, record: &mut Record) -> io::Result<bool> {
        if self.done {
            return Ok(false);
        }
        if self.started {
            let input = self.input.fill_buf()?;
            if let Some(used) = cut(input, record) {
                self.input.consume(used);
                self.byte += used as u64;
                self.line += 1;
                return Ok(true);
            }
        }
        self.started = true;
        self.parse(record)
    }

    /// Read a record with csv_core, across as many reads of the input as it takes.
    fn parse(&mut self, record: &mut Record) -> io::Result<bool> {
        let (mut written, mut ended) = (0, 0);
        let core = self.core.get_or_insert_with(csv_core::Reader::new);
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

/// Cut the row at the start of `input` in place when it is one of the plain kind (see the
/// module's doc); returns the bytes it took, its `\n` included.
///
/// The row is looked at 64 bytes at a time, for the bytes that matter (see [`marks`]).
fn cut(input: &[u8], record: &mut Record) -> Option<usize> {
    if matches!(input.first(), None | Some(b'\n' | b'\r')) {
        return None;
    }
    record.clear_bounds();
    // Where the field being read starts, and how far it is: quoted fields are named without
    // their quotes.
    let mut start = 0;
    let mut field = Field::Plain;
    for (base, chunk) in input.chunks(LANES).enumerate() {
        let mut marks = marks(chunk);
        while marks != 0 {
            let at = base * LANES + marks.trailing_zeros() as usize;
            marks &= marks - 1;
            field = match (input[at], field) {
                (b'\n', Field::Plain) => {
                    record.push_bound(start..at);
                    return Some(row(input, at, record));
                }
                (b'\n', Field::Closed(close)) if at == close + 1 => {
                    record.push_bound(start + 1..close);
                    return Some(row(input, at, record));
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
    }
    None
}

/// Keep the row that ends at the `\n` at `end`; returns the bytes taken.
fn row(input: &[u8], end: usize, record: &mut Record) -> usize {
    record.set_bytes(&input[..end]);
    end + 1
}

/// Bytes [`marks`] looks at in one go.
const LANES: usize = 64;

/// Bit `i` is set when `chunk[i]` is one of `,`, `"`, `\r` and `\n`.
fn marks(chunk: &[u8]) -> u64 {
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
fn marks_of(lanes: &[u8; LANES]) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut marks = 0;
    for (i, sixteen) in lanes.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of every x86_64 target, and the load reads sixteen bytes of
        // `lanes`, which it may do unaligned.
        let hits = unsafe {
            let v = _mm_loadu_si128(sixteen.as_ptr().cast::<__m128i>());
            let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            let hits = _mm_or_si128(
                _mm_or_si128(is(b','), is(b'"')),
                _mm_or_si128(is(b'\r'), is(b'\n')),
            );
            _mm_movemask_epi8(hits) as u16
        };
        marks |= u64::from(hits) << (i * 16);
    }
    marks
}

#[cfg(not(target_arch = "x86_64"))]
fn marks_of(lanes: &[u8; LANES]) -> u64 {
    lanes
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        .fold(0, |marks, (i, _)| marks | 1 << i)
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

    proptest::proptest! {
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
