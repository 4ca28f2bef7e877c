//! SHA-256 digests by which reports name their inputs.

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

/// Hashes the blocks of a stream, in the order they are handed over, on a thread of its own,
/// and hands each back for the next read: SHA-256 costs about half as much as parsing, and
/// this keeps it off the parsing thread without copying a byte.
pub struct BlockHasher {
    to_hash: Option<mpsc::SyncSender<Vec<u8>>>,
    spare: mpsc::Receiver<Vec<u8>>,
    hashing: Option<thread::JoinHandle<String>>,
}

impl Default for BlockHasher {
    /// A hasher with its thread started, waiting for the first block.
    fn default() -> Self {
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
        BlockHasher {
            to_hash: Some(to_hash),
            spare,
            hashing: Some(hashing),
        }
    }
}

impl BlockHasher {
    /// Hash `block` after the blocks handed over before it.
    pub fn hash(&mut self, block: Vec<u8>) {
        if let (false, Some(tx)) = (block.is_empty(), &self.to_hash) {
            let _ = tx.send(block);
        }
    }

    /// An empty block to read into: one already hashed when there is one, else a new one with
    /// room for `capacity` bytes (so that filling it never copies it to grow).
    pub fn spare(&self, capacity: usize) -> Vec<u8> {
        let mut block = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(capacity));
        block.clear();
        block
    }

    /// The digest of every block handed over.
    pub fn finish(mut self) -> std::io::Result<String> {
        self.to_hash = None;
        match self.hashing.take().map(thread::JoinHandle::join) {
            Some(Ok(digest)) => Ok(digest),
            _ => Err(std::io::Error::other("the hashing thread failed")),
        }
    }
}

/// A hasher dropped before its end (the file failed to parse) still waits for its thread, so
/// that no thread outlives the file it was reading.
impl Drop for BlockHasher {
    fn drop(&mut self) {
        self.to_hash = None;
        if let Some(hashing) = self.hashing.take() {
            let _ = hashing.join();
        }
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
    fn blocks_hash_like_their_bytes_in_one_piece() {
        let bytes: Vec<u8> = (0..3_000_123).map(|i| (i % 251) as u8).collect();
        let mut hasher = super::BlockHasher::default();
        for block in bytes.chunks(1 << 20) {
            let mut b = hasher.spare(block.len());
            b.extend_from_slice(block);
            hasher.hash(b);
        }
        hasher.hash(Vec::new());
        assert_eq!(hasher.finish().unwrap(), super::sha256_hex(&bytes));
        let empty = super::BlockHasher::default();
        assert_eq!(empty.finish().unwrap(), super::sha256_hex(b""));
    }
}
