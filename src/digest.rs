//! SHA-256 digests by which reports name their inputs.

use std::io::Read;
use std::sync::mpsc;
use std::thread;

use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Digest of a stream, for input files hashed while they are parsed.
#[derive(Default)]
pub struct Hasher(Sha256);

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    pub fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

/// Bytes read from the file at a time, and handed to the hashing thread once consumed.
const BLOCK: usize = 1 << 20;

/// A reader that hashes every byte it hands on, so a file is read once for parsing and digest.
///
/// It reads the file in blocks of [`BLOCK`] bytes and hands each block, once it has been read
/// through, to a thread of its own that hashes it: SHA-256 costs about half as much as parsing,
/// and this keeps it off the parsing thread. The block goes to that thread rather than a copy,
/// and comes back for the next read.
pub struct HashingReader<R> {
    inner: R,
    block: Vec<u8>,
    at: usize,
    to_hash: Option<mpsc::SyncSender<Vec<u8>>>,
    spare: mpsc::Receiver<Vec<u8>>,
    hashing: Option<thread::JoinHandle<String>>,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        let (to_hash, blocks) = mpsc::sync_channel::<Vec<u8>>(2);
        let (give_back, spare) = mpsc::channel();
        let hashing = thread::spawn(move || {
            let mut hasher = Hasher::default();
            for block in blocks {
                hasher.update(&block);
                let _ = give_back.send(block);
            }
            hasher.finish()
        });
        HashingReader {
            inner,
            block: Vec::new(),
            at: 0,
            to_hash: Some(to_hash),
            spare,
            hashing: Some(hashing),
        }
    }

    /// The digest of every byte of the stream, read to its end.
    pub fn finish(mut self) -> std::io::Result<String> {
        std::io::copy(&mut self, &mut std::io::sink())?;
        self.hand_on(Vec::new());
        self.to_hash = None;
        match self.hashing.take().map(thread::JoinHandle::join) {
            Some(Ok(digest)) => Ok(digest),
            _ => Err(std::io::Error::other("the hashing thread failed")),
        }
    }

    /// Hand the current block to the hashing thread and take `next` as the current one.
    fn hand_on(&mut self, next: Vec<u8>) {
        let done = std::mem::replace(&mut self.block, next);
        self.at = 0;
        if let (false, Some(tx)) = (done.is_empty(), &self.to_hash) {
            let _ = tx.send(done);
        }
    }
}

/// A reader dropped before its end (the file failed to parse) still waits for its hashing
/// thread, so that no thread outlives the file it was reading.
impl<R> Drop for HashingReader<R> {
    fn drop(&mut self) {
        self.to_hash = None;
        if let Some(hashing) = self.hashing.take() {
            let _ = hashing.join();
        }
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.block.len() {
            let mut next = self.spare.try_recv().unwrap_or_default();
            next.clear();
            (&mut self.inner)
                .take(BLOCK as u64)
                .read_to_end(&mut next)?;
            self.hand_on(next);
        }
        let n = buf.len().min(self.block.len() - self.at);
        buf[..n].copy_from_slice(&self.block[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn digest_of_abc_is_the_published_one() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_stream_hashes_like_its_bytes_in_one_piece() {
        use std::io::Read;
        let bytes: Vec<u8> = (0..3 * super::BLOCK + 12345)
            .map(|i| (i % 251) as u8)
            .collect();
        let mut reader = super::HashingReader::new(&bytes[..]);
        let mut head = vec![0u8; 1000];
        reader.read_exact(&mut head).unwrap();
        assert_eq!(reader.finish().unwrap(), super::sha256_hex(&bytes));
        let empty = super::HashingReader::new(&b""[..]);
        assert_eq!(empty.finish().unwrap(), super::sha256_hex(b""));
    }
}
