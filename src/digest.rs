//! SHA-256 digests by which reports name their inputs.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};

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

/// Hashes the blocks of a stream in the order they are handed over, on whichever thread has
/// the time: the reading thread hands each block over and goes on, and a thread that would
/// otherwise wait (for rows to take, or for room to hand them over) hashes what is waiting, a
/// [`PIECE`] at a time, so that it is soon back to its own work. A third thread of its own
/// kept the two cores busier in turns, not more: each waited on the other while the hashing
/// thread waited for a core. The reading thread hashes itself only when more than
/// [`WAITING`] blocks wait, which bounds the memory they hold.
#[derive(Default)]
pub struct BlockHasher {
    shared: Arc<Blocks>,
}

/// Blocks waiting to be hashed, and blocks hashed, to be read into again.
#[derive(Default)]
struct Blocks {
    /// Held by the thread hashing a piece: blocks are taken from `waiting` in turn under it,
    /// so they are hashed in the order they were handed over.
    hashing: Mutex<Hashing>,
    waiting: Mutex<VecDeque<Vec<u8>>>,
    spare: Mutex<Vec<Vec<u8>>>,
}

#[derive(Default)]
struct Hashing {
    sha: Hasher,
    /// The block being hashed, and how far.
    current: Option<(Vec<u8>, usize)>,
}

/// Blocks handed over and not yet hashed before the reading thread hashes itself.
const WAITING: usize = 8;
/// Bytes hashed at a go: a quarter of a block, about 0.2 ms here.
const PIECE: usize = 1 << 18;

/// A handle to the blocks of one stream, for a thread with time to hash them.
#[derive(Clone)]
pub struct HashHelper(Arc<Blocks>);

impl HashHelper {
    /// Hash the next piece of what waits or, while another thread hashes one, yield for a
    /// moment (there may be more after it); false when nothing waits, and the calling thread
    /// may as well sleep.
    pub fn help(&self) -> bool {
        match self.0.hashing.try_lock() {
            Ok(mut hashing) => self.0.hash_piece(&mut hashing),
            Err(TryLockError::Poisoned(p)) => self.0.hash_piece(&mut p.into_inner()),
            Err(TryLockError::WouldBlock) => {
                std::thread::yield_now();
                true
            }
        }
    }
}

impl Blocks {
    /// Hash the next piece of what waits; whether there was one.
    fn hash_piece(&self, hashing: &mut Hashing) -> bool {
        let (block, done) = match hashing.current.take() {
            Some(current) => current,
            None => match lock(&self.waiting).pop_front() {
                Some(block) => (block, 0),
                None => return false,
            },
        };
        let end = block.len().min(done + PIECE);
        hashing.sha.update(&block[done..end]);
        if end < block.len() {
            hashing.current = Some((block, end));
        } else {
            lock(&self.spare).push(block);
        }
        true
    }

    fn waiting(&self) -> usize {
        lock(&self.waiting).len()
    }
}

/// A lock whose holder can only have panicked between whole steps: its data is still whole.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl BlockHasher {
    /// Hash `block` after the blocks handed over before it.
    pub fn hash(&mut self, block: Vec<u8>) {
        if block.is_empty() {
            return;
        }
        lock(&self.shared.waiting).push_back(block);
        while self.shared.waiting() > WAITING {
            self.shared.hash_piece(&mut lock(&self.shared.hashing));
        }
    }

    /// A handle for another thread to hash the waiting blocks with.
    pub fn helper(&self) -> HashHelper {
        HashHelper(self.shared.clone())
    }

    /// An empty block to read into: one already hashed when there is one, else a new one with
    /// room for `capacity` bytes (so that filling it never copies it to grow).
    pub fn spare(&self, capacity: usize) -> Vec<u8> {
        let mut block = lock(&self.shared.spare)
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(capacity));
        block.clear();
        block
    }

    /// The digest of every block handed over.
    pub fn finish(self) -> String {
        let mut hashing = lock(&self.shared.hashing);
        while self.shared.hash_piece(&mut hashing) {}
        std::mem::take(&mut hashing.sha).finish()
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
        assert_eq!(hasher.finish(), super::sha256_hex(&bytes));
        let empty = super::BlockHasher::default();
        assert_eq!(empty.finish(), super::sha256_hex(b""));
    }

    /// Blocks hashed by a second thread whenever it finds one waiting, and by the reading
    /// thread when too many wait, still hash in the order they were handed over.
    #[test]
    fn blocks_hashed_by_two_threads_hash_in_order() {
        let bytes: Vec<u8> = (0..5_000_017).map(|i| (i % 253) as u8).collect();
        let mut hasher = super::BlockHasher::default();
        let helper = hasher.helper();
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    if !helper.help() {
                        std::thread::yield_now();
                    }
                }
            });
            for block in bytes.chunks(1 << 16) {
                let mut b = hasher.spare(block.len());
                b.extend_from_slice(block);
                hasher.hash(b);
            }
            done.store(true, std::sync::atomic::Ordering::Relaxed);
        });
        assert_eq!(hasher.finish(), super::sha256_hex(&bytes));
    }
}
