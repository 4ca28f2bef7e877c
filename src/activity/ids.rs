//! The ids seen so far in a run, exactly, with the row each was first used on.

use hashbrown::hash_table::Entry;
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

use super::RowRef;

/// Every id is stored once in an arena as `len | bytes | file (u16) | line (u32)`, the length
/// in one byte below 255 (else 255 and four bytes); the table holds 32-bit arena offsets only.
/// About 8 bytes plus the id per row in the arena and 5 to 10 in the table, no allocation per
/// row. Lookups compare the stored bytes, so detection is exact; the hasher is seeded per
/// process, so a crafted file cannot aim collisions at the table.
///
/// After the pass the table goes and the arena stays as [`Ids`]: the ledger names its evidence
/// by arena offset instead of copying the ids again.
pub(crate) struct IdSet {
    hasher: DefaultHashBuilder,
    table: HashTable<u32>,
    arena: Vec<u8>,
    limit: usize,
    sized: bool,
}

/// Where an accepted row's id is kept in [`Ids`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdRef(u32);

/// What [`IdSet::insert`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Seen {
    New(IdRef),
    /// The id was used before, first at this row.
    Before(RowRef),
    /// The arena is full: a run holds at most 4 GiB of ids (about 200 million rows).
    Full,
}

impl IdSet {
    pub(crate) fn new() -> IdSet {
        IdSet::with_limit(u32::MAX as usize)
    }

    fn with_limit(limit: usize) -> IdSet {
        IdSet {
            hasher: DefaultHashBuilder::default(),
            table: HashTable::new(),
            arena: Vec::new(),
            limit,
            sized: false,
        }
    }

    /// Size the table once for about `rows` ids, so that a large run never rehashes (each
    /// rehash would read every stored id again and hold two tables at once).
    pub(crate) fn expect(&mut self, rows: usize) {
        if !self.sized {
            self.sized = true;
            let (hasher, arena) = (&self.hasher, &self.arena);
            self.table
                .reserve(rows, |&at| hasher.hash_one(entry(arena, at).0));
        }
    }

    pub(crate) fn is_sized(&self) -> bool {
        self.sized
    }

    /// Record `id` as first used at `row`, unless it was already used: then say where, and keep
    /// the first place.
    pub(crate) fn insert(&mut self, id: &[u8], row: RowRef) -> Seen {
        let hash = self.hasher.hash_one(id);
        let (hasher, arena) = (&self.hasher, &self.arena);
        let vacant = match self.table.entry(
            hash,
            |&at| entry(arena, at).0 == id,
            |&at| hasher.hash_one(entry(arena, at).0),
        ) {
            Entry::Occupied(first) => return Seen::Before(entry(arena, *first.get()).1),
            Entry::Vacant(vacant) => vacant,
        };
        let at = self.arena.len();
        if at + id.len() + 11 > self.limit {
            return Seen::Full;
        }
        match u8::try_from(id.len()) {
            Ok(n) if n < u8::MAX => self.arena.push(n),
            _ => {
                self.arena.push(u8::MAX);
                self.arena
                    .extend_from_slice(&(id.len() as u32).to_le_bytes());
            }
        }
        self.arena.extend_from_slice(id);
        self.arena.extend_from_slice(&row.file.to_le_bytes());
        self.arena.extend_from_slice(&row.line.to_le_bytes());
        vacant.insert(at as u32);
        Seen::New(IdRef(at as u32))
    }

    pub(crate) fn into_ids(self) -> Ids {
        Ids { arena: self.arena }
    }
}

/// The ids of every accepted row of a run, each with the row it came from.
#[derive(Debug, Default)]
pub struct Ids {
    arena: Vec<u8>,
}

impl Ids {
    pub fn id(&self, at: IdRef) -> &[u8] {
        entry(&self.arena, at.0).0
    }

    pub fn row(&self, at: IdRef) -> RowRef {
        entry(&self.arena, at.0).1
    }
}

/// The id and first row stored at an arena offset.
fn entry(arena: &[u8], at: u32) -> (&[u8], RowRef) {
    let at = at as usize;
    let bytes = |from: usize, n: usize| arena.get(from..from + n).unwrap_or_default();
    let (len, from) = match arena.get(at) {
        Some(&n) if n < u8::MAX => (n as usize, at + 1),
        _ => {
            let n = u32::from_le_bytes(bytes(at + 1, 4).try_into().unwrap_or_default());
            (n as usize, at + 5)
        }
    };
    let id = bytes(from, len);
    let file = u16::from_le_bytes(bytes(from + len, 2).try_into().unwrap_or_default());
    let line = u32::from_le_bytes(bytes(from + len + 2, 4).try_into().unwrap_or_default());
    (id, RowRef { file, line })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(set: &mut IdSet, id: &[u8], row: RowRef) -> IdRef {
        match set.insert(id, row) {
            Seen::New(at) => at,
            other => panic!("{id:?} was not new: {other:?}"),
        }
    }

    #[test]
    fn names_the_first_place_of_a_repeated_id() {
        let mut set = IdSet::new();
        let at = |line| RowRef { file: 0, line };
        new(&mut set, b"A1", at(2));
        new(&mut set, b"A2", at(3));
        assert_eq!(set.insert(b"A1", at(4)), Seen::Before(at(2)));
        new(&mut set, b"", at(5));
        assert_eq!(set.insert(b"", at(6)), Seen::Before(at(5)));
    }

    #[test]
    fn keeps_ids_of_any_length() {
        let mut set = IdSet::new();
        let row = RowRef { file: 3, line: 7 };
        let long = vec![b'x'; 300];
        let short = new(&mut set, b"s", row);
        let edge = new(&mut set, &[b'e'; 254], row);
        let at = new(&mut set, &long, row);
        assert_eq!(set.insert(&long, row), Seen::Before(row));
        let ids = set.into_ids();
        assert_eq!(ids.id(short), b"s");
        assert_eq!(ids.id(edge), &[b'e'; 254][..]);
        assert_eq!(ids.id(at), &long[..]);
        assert_eq!(ids.row(at), row);
    }

    #[test]
    fn stays_exact_through_growth() {
        let mut set = IdSet::new();
        for i in 0..100_000u32 {
            new(
                &mut set,
                format!("id-{i}").as_bytes(),
                RowRef { file: 1, line: i },
            );
        }
        for i in (0..100_000u32).step_by(997) {
            assert_eq!(
                set.insert(format!("id-{i}").as_bytes(), RowRef { file: 2, line: 0 }),
                Seen::Before(RowRef { file: 1, line: i })
            );
        }
    }

    #[test]
    fn says_when_the_arena_is_full() {
        let mut set = IdSet::with_limit(40);
        let row = RowRef { file: 0, line: 1 };
        new(&mut set, b"first-id", row);
        new(&mut set, b"second-id", row);
        assert_eq!(set.insert(b"a-third-id-too-many", row), Seen::Full);
        assert_eq!(set.insert(b"first-id", row), Seen::Before(row));
    }
}
