//! The ids seen so far in a run, exactly, with the row each was first used on.

use hashbrown::DefaultHashBuilder;
use std::hash::BuildHasher;

use super::zeroed::Zeroed;
use super::RowRef;

/// Every id is stored once in an arena as `len | bytes | line (u32)`, the length in one byte
/// below 253 (else [`LONG_ID`] and four bytes); a UUID in its canonical text is stored as its
/// 16 bytes instead of its 36 characters (`uuid::LOWER` or `uuid::UPPER | 16 bytes | line`):
/// rows exported from a database are often keyed by UUIDs, which took 25 bytes more a row than
/// the bench's 11-byte ids, about 250 MB at 10M rows. The file is not stored with each id,
/// since ids are stored in the order their rows arrive, file after file: a file is a stretch
/// of the arena ([`FileRuns`]). The table is open addressing with linear probing over two
/// arrays of any length (a slot is picked by multiplying, not masking, so the table is sized
/// to the rows expected rather than to a power of two): a one-byte tag per slot (0 for empty,
/// else seven bits of the hash) and the 32-bit arena offset. A probe reads the tags, which sit
/// 64 to a cache line, and touches the arena only when a tag matches; lookups compare the
/// stored bytes, so detection is exact. About 5 bytes plus the id (16 for a UUID) per row in
/// the arena and 6 to 11 in the table, no allocation per row; the hasher is seeded per
/// process, so a crafted file cannot aim collisions at the table.
///
/// The table is far larger than the caches, so a lookup is two cache misses. The caller hashes
/// a batch of ids first and [`IdSet::prefetch`]es a few rows ahead, so that those misses
/// overlap instead of being paid one after another.
///
/// After the pass the table goes and the arena stays as [`Ids`]: the ledger names its evidence
/// by arena offset instead of copying the ids again.
pub(crate) struct IdSet<S = DefaultHashBuilder> {
    hasher: S,
    tags: Zeroed<u8>,
    slots: Zeroed<u32>,
    len: usize,
    arena: Vec<u8>,
    files: FileRuns,
    limit: usize,
    sized: bool,
}

/// Which file each stretch of the arena came from: (first offset, file), in arena order, a new
/// stretch wherever the file changes from one id to the next.
#[derive(Debug, Default)]
struct FileRuns(Vec<(u32, u16)>);

impl FileRuns {
    fn note(&mut self, at: u32, file: u16) {
        if self.0.last().map(|&(_, f)| f) != Some(file) {
            self.0.push((at, file));
        }
    }

    fn file_at(&self, at: u32) -> u16 {
        let after = self.0.partition_point(|&(start, _)| start <= at);
        after.checked_sub(1).map_or(0, |i| self.0[i].1)
    }
}

/// Where an accepted row's id is kept in [`Ids`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

/// The smallest table; it doubles when it is seven-eighths full.
const MIN_SLOTS: usize = 1 << 10;

impl IdSet {
    pub(crate) fn new() -> IdSet {
        IdSet::with_hasher(DefaultHashBuilder::default(), u32::MAX as usize)
    }
}

impl<S: BuildHasher> IdSet<S> {
    fn with_hasher(hasher: S, limit: usize) -> IdSet<S> {
        IdSet {
            hasher,
            tags: Zeroed::new(MIN_SLOTS),
            slots: Zeroed::new(MIN_SLOTS),
            len: 0,
            arena: Vec::new(),
            files: FileRuns::default(),
            limit,
            sized: false,
        }
    }

    /// Size the table once for about `rows` ids, so that a large run never rehashes (each
    /// rehash reads every stored id again and holds two tables at once).
    pub(crate) fn expect(&mut self, rows: usize) {
        if !self.sized {
            self.sized = true;
            self.grow_to(slots_for(self.len + rows));
        }
    }

    pub(crate) fn is_sized(&self) -> bool {
        self.sized
    }

    pub(crate) fn hash(&self, id: &[u8]) -> u64 {
        self.hasher.hash_one(id)
    }

    /// Ask the memory for the slots `hash` probes first, ahead of [`IdSet::insert`].
    pub(crate) fn prefetch(&self, hash: u64) {
        let i = slot(hash, self.tags.len());
        prefetch(&self.tags[i]);
        prefetch(&self.slots[i]);
    }

    /// Record `id` (whose [`IdSet::hash`] is `hash`: the table rehashes with it when it grows)
    /// as first used at `row`, unless it was already used: then say where, and keep the first
    /// place.
    pub(crate) fn insert(&mut self, hash: u64, id: &[u8], row: RowRef) -> Seen {
        let tag = tag(hash);
        let n = self.tags.len();
        let mut i = slot(hash, n);
        while self.tags[i] != 0 {
            if self.tags[i] == tag {
                let (known, line) = entry(&self.arena, self.slots[i]);
                if *known == *id {
                    let file = self.files.file_at(self.slots[i]);
                    return Seen::Before(RowRef { file, line });
                }
            }
            i = next(i, n);
        }
        let at = self.arena.len();
        if at + id.len() + 9 > self.limit {
            return Seen::Full;
        }
        self.files.note(at as u32, row.file);
        match (uuid::pack(id), u8::try_from(id.len())) {
            (Some((head, bytes)), _) => {
                self.arena.push(head);
                self.arena.extend_from_slice(&bytes);
            }
            // The head bytes from `uuid::LOWER` up say how the id is kept, not its length.
            (None, Ok(n)) if n < uuid::LOWER => {
                self.arena.push(n);
                self.arena.extend_from_slice(id);
            }
            _ => {
                self.arena.push(LONG_ID);
                self.arena
                    .extend_from_slice(&(id.len() as u32).to_le_bytes());
                self.arena.extend_from_slice(id);
            }
        }
        self.arena.extend_from_slice(&row.line.to_le_bytes());
        self.tags[i] = tag;
        self.slots[i] = at as u32;
        self.len += 1;
        if self.len * 8 > self.tags.len() * 7 {
            self.grow_to(self.tags.len() * 2);
        }
        Seen::New(IdRef(at as u32))
    }

    /// Where `id` (of hash `hash`) is kept, if it was recorded.
    pub(crate) fn find(&self, hash: u64, id: &[u8]) -> Option<IdRef> {
        let tag = tag(hash);
        let n = self.tags.len();
        let mut i = slot(hash, n);
        while self.tags[i] != 0 {
            if self.tags[i] == tag && *entry(&self.arena, self.slots[i]).0 == *id {
                return Some(IdRef(self.slots[i]));
            }
            i = next(i, n);
        }
        None
    }

    fn grow_to(&mut self, slots: usize) {
        if slots <= self.tags.len() {
            return;
        }
        let tags = std::mem::replace(&mut self.tags, Zeroed::new(slots));
        let offsets = std::mem::replace(&mut self.slots, Zeroed::new(slots));
        for (_, &at) in tags.iter().zip(offsets.iter()).filter(|(&t, _)| t != 0) {
            let hash = self.hasher.hash_one(&*entry(&self.arena, at).0);
            let mut i = slot(hash, slots);
            while self.tags[i] != 0 {
                i = next(i, slots);
            }
            self.tags[i] = tag(hash);
            self.slots[i] = at;
        }
    }

    pub(crate) fn into_ids(self) -> Ids {
        Ids {
            arena: self.arena,
            files: self.files,
        }
    }
}

/// Slots for `n` ids, at most seven-eighths full.
fn slots_for(n: usize) -> usize {
    (n.saturating_mul(8) / 7 + 1).max(MIN_SLOTS)
}

/// The first slot `hash` probes among `n`: the high bits of `hash * n` (Lemire's reduction),
/// which spreads over any `n` as evenly as masking does over a power of two.
fn slot(hash: u64, n: usize) -> usize {
    ((u128::from(hash) * n as u128) >> 64) as usize
}

fn next(i: usize, n: usize) -> usize {
    if i + 1 == n {
        0
    } else {
        i + 1
    }
}

/// Seven low bits of the hash (the slot comes from the high ones), never 0.
fn tag(hash: u64) -> u8 {
    hash as u8 | 0x80
}

/// A hint to the processor to load `x`'s cache line; it changes nothing else.
#[inline(always)]
pub(crate) fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults and writes nothing; the address is that of a live
    // reference, and SSE is part of every x86_64 target.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// The ids of every accepted row of a run, each with the row it came from.
#[derive(Debug, Default)]
pub struct Ids {
    arena: Vec<u8>,
    files: FileRuns,
}

impl Ids {
    /// Ask the memory for an id ahead of reading it.
    pub fn prefetch(&self, at: IdRef) {
        if let Some(b) = self.arena.get(at.0 as usize) {
            prefetch(b);
        }
    }

    pub fn id(&self, at: IdRef) -> Id<'_> {
        entry(&self.arena, at.0).0
    }

    pub fn row(&self, at: IdRef) -> RowRef {
        RowRef {
            file: self.files.file_at(at.0),
            line: entry(&self.arena, at.0).1,
        }
    }

    /// Every id, in the order the rows arrived.
    pub fn iter(&self) -> impl Iterator<Item = Id<'_>> + '_ {
        let mut at = 0usize;
        std::iter::from_fn(move || {
            let (from, len) = stored(&self.arena, at)?;
            let (id, _) = entry(&self.arena, at as u32);
            at = from + len + 4;
            Some(id)
        })
    }
}

/// The head byte of an id of 253 bytes or more, which four bytes of length follow.
const LONG_ID: u8 = u8::MAX;

/// An id as the arena gives it back: its bytes where they lie, or a UUID spelt out again from
/// its 16 bytes. Either way it reads as the bytes of the row it came from.
#[derive(Debug, Clone, Copy)]
pub enum Id<'a> {
    Stored(&'a [u8]),
    Uuid([u8; uuid::TEXT]),
}

impl std::ops::Deref for Id<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Id::Stored(bytes) => bytes,
            Id::Uuid(text) => text,
        }
    }
}

/// Ids compare, hash and are looked up as their bytes, however they are kept.
impl PartialEq for Id<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Id<'_> {}

impl PartialOrd for Id<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Id<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

impl std::hash::Hash for Id<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl std::borrow::Borrow<[u8]> for Id<'_> {
    fn borrow(&self) -> &[u8] {
        self
    }
}

impl<'a> Id<'a> {
    /// The id as text; an accepted row's id is UTF-8, as every field of it is. A short one is
    /// copied (see [`IdText::Inline`]).
    pub fn text(self) -> IdText<'a> {
        match self {
            Id::Stored(bytes) => match Inline::new(bytes) {
                Some(inline) => IdText::Inline(inline),
                None => IdText::Str(std::str::from_utf8(bytes).unwrap_or_default()),
            },
            // Always inline: a spelt UUID fits (checked where `INLINE` is set).
            Id::Uuid(text) => Inline::new(&text).map_or(IdText::Str(""), IdText::Inline),
        }
    }
}

impl std::fmt::Display for Id<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// An id as text ([`Id::text`]): what reports write. It reads as the text either way, and
/// compares as it.
#[derive(Debug, Clone, Copy)]
pub enum IdText<'a> {
    Str(&'a str),
    /// An id of up to [`INLINE`] bytes (a UUID among them), copied: the ids a report lists are
    /// read from the ledger on one thread and written on another, and the writer then finds
    /// them in the chunk it was handed rather than at random in the arena, in the other core's
    /// cache. An id's bytes are read where it is made, so the copy costs no more misses.
    Inline(Inline),
}

/// How long an id [`IdText::Inline`] holds may be: as long as fits beside its length and the
/// variant's tag in the 40 bytes a spelt UUID took.
pub const INLINE: usize = 38;

/// A spelt UUID fits, so [`Id::text`] always copies one.
const _: () = assert!(uuid::TEXT <= INLINE);

#[derive(Debug, Clone, Copy)]
pub struct Inline {
    len: u8,
    bytes: [u8; INLINE],
}

impl Inline {
    fn new(id: &[u8]) -> Option<Inline> {
        let mut bytes = [0; INLINE];
        bytes.get_mut(..id.len())?.copy_from_slice(id);
        Some(Inline {
            len: id.len() as u8,
            bytes,
        })
    }
}

impl std::ops::Deref for IdText<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            IdText::Str(text) => text,
            IdText::Inline(id) => {
                let bytes = id.bytes.get(..usize::from(id.len)).unwrap_or_default();
                std::str::from_utf8(bytes).unwrap_or_default()
            }
        }
    }
}

impl PartialEq for IdText<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for IdText<'_> {}

impl serde::Serialize for IdText<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

impl std::fmt::Display for IdText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

/// Where the id stored at `at` begins and how many bytes it takes in the arena.
fn stored(arena: &[u8], at: usize) -> Option<(usize, usize)> {
    match *arena.get(at)? {
        uuid::LOWER | uuid::UPPER => Some((at + 1, uuid::BYTES)),
        LONG_ID => {
            let n = arena.get(at + 1..at + 5)?;
            Some((at + 5, u32::from_le_bytes(n.try_into().ok()?) as usize))
        }
        n => Some((at + 1, n as usize)),
    }
}

/// The id and the line of its first row stored at an arena offset.
fn entry(arena: &[u8], at: u32) -> (Id<'_>, u32) {
    let at = at as usize;
    let bytes = |from: usize, n: usize| arena.get(from..from + n).unwrap_or_default();
    let (from, len) = stored(arena, at).unwrap_or((at, 0));
    let id = match arena.get(at) {
        Some(&head @ (uuid::LOWER | uuid::UPPER)) => Id::Uuid(uuid::spell(head, bytes(from, len))),
        _ => Id::Stored(bytes(from, len)),
    };
    let line = u32::from_le_bytes(bytes(from + len, 4).try_into().unwrap_or_default());
    (id, line)
}

/// UUIDs in their canonical text (`8-4-4-4-12` hex digits, one case), kept as their 16 bytes;
/// the `uuid` crate reads and spells them.
mod uuid {
    /// The head bytes of a UUID whose letters are lower case, or upper case.
    pub(super) const LOWER: u8 = 253;
    pub(super) const UPPER: u8 = 254;
    pub(super) const BYTES: usize = 16;
    pub(super) const TEXT: usize = 36;

    /// The head byte and 16 bytes of `id` when it is a UUID that spells back the same. Asked
    /// of every id a run stores: an id of another length costs one comparison.
    #[inline(always)]
    pub(super) fn pack(id: &[u8]) -> Option<(u8, [u8; BYTES])> {
        if id.len() != TEXT {
            return None;
        }
        pack_text(id)
    }

    #[inline(never)]
    fn pack_text(id: &[u8]) -> Option<(u8, [u8; BYTES])> {
        let bytes = *::uuid::Uuid::try_parse_ascii(id).ok()?.as_bytes();
        // Kept only when one of the two spellings gives the id back: not in mixed case.
        [LOWER, UPPER]
            .into_iter()
            .find(|&head| spell(head, &bytes) == id)
            .map(|head| (head, bytes))
    }

    /// The text of a UUID kept by [`pack`].
    pub(super) fn spell(head: u8, bytes: &[u8]) -> [u8; TEXT] {
        let uuid = ::uuid::Uuid::from_slice(bytes)
            .unwrap_or_default()
            .hyphenated();
        let mut text = [0; TEXT];
        match head {
            UPPER => uuid.encode_upper(&mut text),
            _ => uuid.encode_lower(&mut text),
        };
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(set: &mut IdSet, id: &[u8], row: RowRef) -> Seen {
        set.insert(set.hash(id), id, row)
    }

    fn new(set: &mut IdSet, id: &[u8], row: RowRef) -> IdRef {
        match put(set, id, row) {
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
        assert_eq!(put(&mut set, b"A1", at(4)), Seen::Before(at(2)));
        new(&mut set, b"", at(5));
        assert_eq!(put(&mut set, b"", at(6)), Seen::Before(at(5)));
    }

    /// The file of an id is the stretch of the arena it is in, however the files alternate.
    #[test]
    fn names_the_file_of_each_first_place() {
        let mut set = IdSet::new();
        let rows: Vec<RowRef> = [(0, 2), (0, 3), (1, 2), (1, 9), (0, 4), (2, 2), (2, 3)]
            .map(|(file, line)| RowRef { file, line })
            .to_vec();
        let ids: Vec<Vec<u8>> = (0..rows.len())
            .map(|i| format!("ID{i}").into_bytes())
            .collect();
        let places: Vec<IdRef> = ids
            .iter()
            .zip(&rows)
            .map(|(id, &row)| new(&mut set, id, row))
            .collect();
        for (id, &row) in ids.iter().zip(&rows) {
            let again = RowRef { file: 7, line: 1 };
            assert_eq!(put(&mut set, id, again), Seen::Before(row));
        }
        let frozen = set.into_ids();
        for (at, &row) in places.iter().zip(&rows) {
            assert_eq!(frozen.row(*at), row);
        }
        let kept: Vec<Vec<u8>> = frozen.iter().map(|id| id.to_vec()).collect();
        assert_eq!(kept, ids);
    }

    #[test]
    fn keeps_ids_of_any_length() {
        let mut set = IdSet::new();
        let row = RowRef { file: 3, line: 7 };
        let long = vec![b'x'; 300];
        let short = new(&mut set, b"s", row);
        let edge = new(&mut set, &[b'e'; 254], row);
        let heads: Vec<IdRef> = (250..256)
            .map(|n| new(&mut set, &vec![b'h'; n], row))
            .collect();
        let at = new(&mut set, &long, row);
        assert_eq!(put(&mut set, &long, row), Seen::Before(row));
        let ids = set.into_ids();
        assert_eq!(&*ids.id(short), b"s");
        assert_eq!(&*ids.id(edge), &[b'e'; 254][..]);
        for (&at, n) in heads.iter().zip(250..) {
            assert_eq!(&*ids.id(at), &vec![b'h'; n][..]);
        }
        assert_eq!(&*ids.id(at), &long[..]);
        assert_eq!(ids.row(at), row);
    }

    /// An id reads back as the same text whether it is copied or lent, on either side of
    /// the length that is copied; and the text of a report's id stays as small as a spelt
    /// UUID made it.
    #[test]
    fn ids_read_back_as_text_copied_or_not() {
        let mut set = IdSet::new();
        let row = RowRef { file: 0, line: 1 };
        let texts: Vec<String> = [0, 1, INLINE - 1, INLINE, INLINE + 1, 300]
            .into_iter()
            .map(|n| "é".repeat(n / 2) + &"x".repeat(n % 2))
            .collect();
        let at: Vec<IdRef> = texts
            .iter()
            .map(|t| new(&mut set, t.as_bytes(), row))
            .collect();
        let ids = set.into_ids();
        for (text, &at) in texts.iter().zip(&at) {
            let read = ids.id(at).text();
            assert_eq!(&*read, text.as_str());
            assert_eq!(read, IdText::Str(text));
            assert_eq!(read.to_string(), *text);
            let copied = matches!(read, IdText::Inline(_));
            assert_eq!(copied, text.len() <= INLINE, "{} bytes", text.len());
        }
        assert_ne!(IdText::Str("a"), IdText::Str("b"));
        assert_eq!(std::mem::size_of::<IdText<'_>>(), 40);
    }

    /// A UUID is kept as 16 bytes and reads back as it was written; anything that would not
    /// spell back the same is kept as it is.
    #[test]
    fn uuids_are_kept_small_and_read_back_as_written() {
        let packed = [
            "6513270e-269e-4d37-b2a7-4de452e6b438",
            "6513270E-269E-4D37-B2A7-4DE452E6B438",
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
        ];
        let kept = [
            "6513270e-269E-4d37-b2a7-4de452e6b438",
            "6513270e+269e-4d37-b2a7-4de452e6b438",
            "6513270e-269e-4d37-b2a7-4de452e6b43g",
            "6513270e269e-4d37-b2a7-4de452e6b4389",
            "6513270e-269e-4d37-b2a7-4de452e6b43",
            "6513270e-269e-4d37-b2a7-4de452e6b4388",
            "{6513270e-269e-4d37-b2a7-4de452e6b43}",
        ];
        for id in packed {
            assert!(uuid::pack(id.as_bytes()).is_some(), "{id}");
        }
        for id in kept {
            assert!(uuid::pack(id.as_bytes()).is_none(), "{id}");
        }
        let mut set = IdSet::new();
        let row = |line| RowRef { file: 0, line };
        let all: Vec<&str> = packed.iter().chain(&kept).copied().collect();
        let at: Vec<IdRef> = (all.iter().zip(1..))
            .map(|(id, line)| new(&mut set, id.as_bytes(), row(line)))
            .collect();
        // The two cases of one UUID are two ids, as their texts are.
        for (id, line) in all.iter().zip(1..) {
            assert_eq!(
                put(&mut set, id.as_bytes(), row(99)),
                Seen::Before(row(line))
            );
        }
        let arena = set.arena.len();
        let ids = set.into_ids();
        for ((id, &at), line) in all.iter().zip(&at).zip(1..) {
            assert_eq!(&*ids.id(at).text(), *id);
            assert_eq!(ids.row(at), row(line));
        }
        let listed: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
        assert_eq!(listed, all);
        // Four UUIDs of 1 + 16 + 4 bytes, the rest as they are with a length and a line.
        let raw: usize = kept.iter().map(|id| id.len() + 5).sum();
        assert_eq!(arena, 4 * 21 + raw);
    }

    /// Ids order as their texts do, however each is kept.
    #[test]
    fn ids_order_as_their_texts() {
        let texts = [
            "00000000-0000-0000-0000-000000000000",
            "6513270E-269E-4D37-B2A7-4DE452E6B438",
            "6513270e-269e-4d37-b2a7-4de452e6b438",
            "6513270e-269e-4d37-b2a7-4de452e6b439",
            "6513270e-269e-4d37-b2a7-4de452e6b43",
            "6513270e-269e-4d37-b2a7-4de452e6b4388",
            "A0000000001",
            "a",
        ];
        let mut set = IdSet::new();
        let at: Vec<IdRef> = (texts.iter().zip(1..))
            .map(|(id, line)| new(&mut set, id.as_bytes(), RowRef { file: 0, line }))
            .collect();
        let ids = set.into_ids();
        for (a, &x) in texts.iter().zip(&at) {
            for (b, &y) in texts.iter().zip(&at) {
                assert_eq!(ids.id(x).cmp(&ids.id(y)), a.cmp(b), "{a} {b}");
            }
        }
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
                put(
                    &mut set,
                    format!("id-{i}").as_bytes(),
                    RowRef { file: 2, line: 0 }
                ),
                Seen::Before(RowRef { file: 1, line: i })
            );
        }
    }

    /// Hashes everything alike, so that every id collides with every other.
    #[derive(Default, Clone, Copy)]
    struct OneHash;

    impl BuildHasher for OneHash {
        type Hasher = OneHash;
        fn build_hasher(&self) -> OneHash {
            OneHash
        }
    }

    impl std::hash::Hasher for OneHash {
        fn finish(&self) -> u64 {
            0x42
        }
        fn write(&mut self, _: &[u8]) {}
    }

    #[test]
    fn ids_of_one_hash_are_told_apart_by_their_bytes() {
        // One long probe run, through growth and past the end of the table.
        let mut set = IdSet::with_hasher(OneHash, u32::MAX as usize);
        let row = |line| RowRef { file: 0, line };
        for i in 0..3000u32 {
            let id = format!("id-{i}");
            let hash = set.hash(id.as_bytes());
            assert!(matches!(
                set.insert(hash, id.as_bytes(), row(i)),
                Seen::New(_)
            ));
        }
        for i in (0..3000u32).step_by(7) {
            let id = format!("id-{i}");
            let hash = set.hash(id.as_bytes());
            assert_eq!(
                set.insert(hash, id.as_bytes(), row(0)),
                Seen::Before(row(i))
            );
        }
    }

    #[test]
    fn a_table_sized_ahead_holds_more_than_it_expected() {
        let mut set = IdSet::new();
        set.expect(10);
        assert!(set.is_sized());
        for i in 0..5000u32 {
            new(
                &mut set,
                format!("x{i}").as_bytes(),
                RowRef { file: 0, line: i },
            );
        }
        assert_eq!(
            put(&mut set, b"x4999", RowRef { file: 1, line: 1 }),
            Seen::Before(RowRef {
                file: 0,
                line: 4999
            })
        );
    }

    #[test]
    fn says_when_the_arena_is_full() {
        let mut set = IdSet::with_hasher(DefaultHashBuilder::default(), 40);
        let row = RowRef { file: 0, line: 1 };
        new(&mut set, b"first-id", row);
        new(&mut set, b"second-id", row);
        assert_eq!(put(&mut set, b"a-third-id-too-many", row), Seen::Full);
        assert_eq!(put(&mut set, b"first-id", row), Seen::Before(row));
    }
}
