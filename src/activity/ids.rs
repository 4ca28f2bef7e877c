//! The ids seen so far in a run, exactly, with the row each was first used on.

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

use super::RowRef;

/// Every id is stored once in an arena as `len (u32) | bytes | file (u16) | line (u32)`; the
/// table holds arena offsets only. About 20 bytes plus the id per row, against about 60 for a
/// `HashMap<Box<str>, RowRef>`, and no allocation per row. Lookups compare the stored bytes, so
/// detection is exact; the hasher is seeded per process, so a crafted file cannot aim
/// collisions at the table.
pub(crate) struct IdSet {
    hasher: DefaultHashBuilder,
    table: HashTable<u64>,
    arena: Vec<u8>,
}

impl IdSet {
    pub(crate) fn new() -> IdSet {
        IdSet {
            hasher: DefaultHashBuilder::default(),
            table: HashTable::new(),
            arena: Vec::new(),
        }
    }

    /// Record `id` as first used at `row`; if it was already used, return where, and keep the
    /// first place.
    pub(crate) fn insert(&mut self, id: &[u8], row: RowRef) -> Option<RowRef> {
        let hash = self.hasher.hash_one(id);
        let arena = &self.arena;
        if let Some(&at) = self.table.find(hash, |&at| entry(arena, at).0 == id) {
            return Some(entry(arena, at).1);
        }
        let at = self.arena.len() as u64;
        let len = u32::try_from(id.len()).unwrap_or(u32::MAX);
        self.arena.extend_from_slice(&len.to_le_bytes());
        self.arena.extend_from_slice(&id[..len as usize]);
        self.arena.extend_from_slice(&row.file.to_le_bytes());
        self.arena.extend_from_slice(&row.line.to_le_bytes());
        let (hasher, arena) = (&self.hasher, &self.arena);
        self.table
            .insert_unique(hash, at, |&at| hasher.hash_one(entry(arena, at).0));
        None
    }
}

/// The id and first row stored at an arena offset.
fn entry(arena: &[u8], at: u64) -> (&[u8], RowRef) {
    let at = at as usize;
    let word = |from: usize, n: usize| arena.get(from..from + n).unwrap_or_default();
    let len = u32::from_le_bytes(word(at, 4).try_into().unwrap_or_default()) as usize;
    let id = word(at + 4, len);
    let file = u16::from_le_bytes(word(at + 4 + len, 2).try_into().unwrap_or_default());
    let line = u32::from_le_bytes(word(at + 6 + len, 4).try_into().unwrap_or_default());
    (id, RowRef { file, line })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_first_place_of_a_repeated_id() {
        let mut set = IdSet::new();
        let at = |line| RowRef { file: 0, line };
        assert_eq!(set.insert(b"A1", at(2)), None);
        assert_eq!(set.insert(b"A2", at(3)), None);
        assert_eq!(set.insert(b"A1", at(4)), Some(at(2)));
        assert_eq!(set.insert(b"", at(5)), None);
        assert_eq!(set.insert(b"", at(6)), Some(at(5)));
    }

    #[test]
    fn stays_exact_through_growth() {
        let mut set = IdSet::new();
        for i in 0..100_000u32 {
            assert_eq!(
                set.insert(format!("id-{i}").as_bytes(), RowRef { file: 1, line: i }),
                None
            );
        }
        for i in (0..100_000u32).step_by(997) {
            assert_eq!(
                set.insert(format!("id-{i}").as_bytes(), RowRef { file: 2, line: 0 }),
                Some(RowRef { file: 1, line: i })
            );
        }
    }
}
