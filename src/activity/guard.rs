//! The bytes of one input as the scanner takes them: read in blocks, hashed, bounded per
//! row, and kept from the start of the record being read, so that line numbers can be counted
//! from the bytes themselves (see `Lines` in [`super::ingest`]).

use std::borrow::Cow;
use std::io::{BufRead, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::ingest::MAX_ROW_BYTES;
use crate::digest::{BlockHasher, HashHelper};

/// Bytes read from the input at a time; each block is handed over to be hashed once every
/// record that starts in it has been read.
const BLOCK: usize = 1 << 20;

/// Reads its input in blocks and hands them on to the scanner; refuses to read on once one
/// row passes [`MAX_ROW_BYTES`].
///
/// The record being read is looked up in the block it was read from, not copied aside: only a
/// record that runs across the end of a block has its first part kept (`carry`) when the next
/// block is read.
pub(super) struct Guard<R> {
    inner: R,
    hasher: BlockHasher,
    /// Bytes a block holds: [`BLOCK`], smaller in tests.
    block_size: u64,
    block: Vec<u8>,
    /// The input offset of `block[0]`.
    block_start: u64,
    /// How much of `block` the scanner has taken.
    at: usize,
    /// The bytes from the start of the record being read up to `block_start`.
    carry: Vec<u8>,
    /// The input offset of `carry[0]`.
    carry_start: u64,
    /// Where the record being read starts, set by the parsing loop before each record.
    record_start: Arc<AtomicU64>,
    /// Whether any byte read so far is a `\r`: until one is, csv's own line count is right.
    cr_seen: bool,
}

impl<R: Read> Guard<R> {
    /// A guard for an input expected to hold `size` bytes (0 when not known): a small one
    /// is read in one block of its size, not a whole [`BLOCK`] (a run of many small files
    /// would map and unmap a megabyte for each).
    pub(super) fn new(inner: R, record_start: Arc<AtomicU64>, size: u64) -> Guard<R> {
        let block = match usize::try_from(size) {
            Ok(size @ 1..BLOCK) => (size + 1).next_multiple_of(4096),
            _ => BLOCK,
        };
        Guard::with_blocks(inner, record_start, block)
    }

    fn with_blocks(inner: R, record_start: Arc<AtomicU64>, block_size: usize) -> Guard<R> {
        Guard {
            inner,
            hasher: BlockHasher::default(),
            block_size: block_size as u64,
            block: Vec::new(),
            block_start: 0,
            at: 0,
            carry: Vec::new(),
            carry_start: 0,
            record_start,
            cr_seen: false,
        }
    }

    /// The input offset of the next byte the scanner will take.
    pub(super) fn offset(&self) -> u64 {
        self.block_start + self.at as u64
    }

    pub(super) fn cr_seen(&self) -> bool {
        self.cr_seen
    }

    /// The bytes of the input in `from..to`, as far as they are still held: borrowed from the
    /// block, copied only for a record that runs across two.
    pub(super) fn held(&self, from: u64, to: u64) -> Cow<'_, [u8]> {
        let to = to.max(from);
        let within = |o: u64, start: u64, len: usize| {
            usize::try_from(o.saturating_sub(start))
                .unwrap_or(usize::MAX)
                .min(len)
        };
        let in_block = |o: u64| within(o, self.block_start, self.block.len());
        if from >= self.block_start {
            return Cow::Borrowed(&self.block[in_block(from)..in_block(to)]);
        }
        let in_carry = |o: u64| within(o, self.carry_start, self.carry.len());
        let head = &self.carry[in_carry(from)..in_carry(to)];
        if to <= self.block_start {
            return Cow::Borrowed(head);
        }
        Cow::Owned([head, &self.block[..in_block(to)]].concat())
    }

    /// The next block of the input, empty at its end.
    fn read_block(&mut self) -> std::io::Result<Vec<u8>> {
        let mut next = self.hasher.spare(self.block_size as usize);
        (&mut self.inner)
            .take(self.block_size)
            .read_to_end(&mut next)?;
        Ok(next)
    }

    /// Read the next block, keeping what the record being read has in the current one; false
    /// at the end of the input, where the current block stays for [`Guard::held`].
    fn next_block(&mut self) -> std::io::Result<bool> {
        let next = self.read_block()?;
        if next.is_empty() {
            return Ok(false);
        }
        let keep = self.record_start.load(Ordering::Relaxed);
        let end = self.block_start + self.block.len() as u64;
        if keep < self.block_start {
            let gone = usize::try_from(keep.saturating_sub(self.carry_start))
                .unwrap_or(usize::MAX)
                .min(self.carry.len());
            self.carry.drain(..gone);
            self.carry_start += gone as u64;
            self.carry.extend_from_slice(&self.block);
        } else {
            self.carry.clear();
            let from = usize::try_from(keep - self.block_start)
                .unwrap_or(usize::MAX)
                .min(self.block.len());
            self.carry.extend_from_slice(&self.block[from..]);
            self.carry_start = end - self.carry.len() as u64;
        }
        let done = std::mem::replace(&mut self.block, next);
        self.hasher.hash(done);
        self.block_start = end;
        self.at = 0;
        Ok(true)
    }

    /// The digest of the whole input, read to its end.
    pub(super) fn finish(mut self) -> std::io::Result<String> {
        loop {
            let next = self.read_block()?;
            if next.is_empty() {
                break;
            }
            let done = std::mem::replace(&mut self.block, next);
            self.hasher.hash(done);
        }
        let last = std::mem::take(&mut self.block);
        self.hasher.hash(last);
        Ok(self.hasher.finish())
    }

    /// A handle for another thread to hash the blocks read with, when it has the time.
    pub(super) fn hashing(&self) -> HashHelper {
        self.hasher.helper()
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let taken = self.fill_buf()?;
        let n = buf.len().min(taken.len());
        buf[..n].copy_from_slice(&taken[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// The block itself is the buffer: the scanner reads records where they were read into.
impl<R: Read> BufRead for Guard<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let start = self.record_start.load(Ordering::Relaxed);
        if self.offset().saturating_sub(start) > MAX_ROW_BYTES as u64 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                "row too long",
            ));
        }
        if self.at == self.block.len() && !self.next_block()? {
            return Ok(&[]);
        }
        Ok(&self.block[self.at..])
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.block.len() - self.at);
        let taken = &self.block[self.at..self.at + n];
        self.cr_seen = self.cr_seen || memchr::memchr(b'\r', taken).is_some();
        self.at += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes a call, to end blocks and reads anywhere.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.1).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// Records of every length, short and across one or more blocks (of 1000 bytes here), read
    /// back byte for byte after the reader has taken them, and the digest is the input's.
    #[test]
    fn records_are_read_back_across_blocks() {
        let mut input = Vec::new();
        let mut records = Vec::new();
        const SMALL: usize = 1000;
        for len in [
            10,
            SMALL - 3,
            7,
            2 * SMALL + 5,
            1,
            SMALL,
            3 * SMALL + 1,
            100,
            0,
            40,
        ] {
            let start = input.len() as u64;
            input.extend((0..len).map(|i| b'a' + (i % 26) as u8));
            records.push((start, input.len() as u64));
        }
        let start = Arc::new(AtomicU64::new(0));
        let mut guard = Guard::with_blocks(Trickle(&input, 333), start.clone(), SMALL);
        let mut buf = [0u8; 97];
        for &(from, to) in &records {
            start.store(from, Ordering::Relaxed);
            while guard.offset() < to {
                let want = usize::try_from(to - guard.offset()).unwrap_or(usize::MAX);
                let got = guard.read_bytes(&mut buf[..want.min(97)]);
                assert!(got > 0);
            }
            let bytes = guard.held(from, to);
            assert_eq!(&bytes[..], &input[from as usize..to as usize]);
        }
        assert!(!guard.cr_seen());
        let digest = guard.finish().unwrap();
        assert_eq!(digest, crate::digest::sha256_hex(&input));
    }

    impl<R: Read> Guard<R> {
        fn read_bytes(&mut self, buf: &mut [u8]) -> usize {
            Read::read(self, buf).unwrap()
        }
    }
}
