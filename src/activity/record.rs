//! One row of an activity file as read: its fields, and where it starts.
//!
//! A row with no quote to undo keeps its bytes as written, and its fields are places in them:
//! reading it is one copy, not one per field (see [`super::scan`]).

use std::ops::Range;

use csv::Position;

/// A row's fields, cut from one buffer. Two records are equal when their fields and
/// positions are, however the fields lie in their buffers.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The bytes the fields are cut from: the row as written, or its fields one after another
    /// once their quotes are undone.
    bytes: Vec<u8>,
    /// Each field's start and end in `bytes`; a row is at most [`super::ingest::MAX_ROW_BYTES`].
    bounds: Vec<(u32, u32)>,
    position: Option<Position>,
    /// The row was cut in place (it holds no line break) and is all ASCII, so its text needs
    /// no check and its free-text fields need not be read at all.
    plain_ascii: bool,
}

impl Record {
    pub fn new() -> Record {
        Record::default()
    }

    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// Field `i`'s place in [`Record::as_slice`].
    pub fn range(&self, i: usize) -> Option<Range<usize>> {
        self.bounds
            .get(i)
            .map(|&(start, end)| start as usize..end as usize)
    }

    /// Where each field starts in [`Record::as_slice`].
    pub fn starts(&self) -> impl Iterator<Item = usize> + '_ {
        self.bounds.iter().map(|&(start, _)| start as usize)
    }

    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.range(i).and_then(|r| self.bytes.get(r))
    }

    pub fn iter(&self) -> Fields<'_> {
        Fields {
            bytes: &self.bytes,
            bounds: self.bounds.iter(),
        }
    }

    /// The bytes every field lies in; between fields there may be the commas and quotes of
    /// the row as written.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    pub fn position(&self) -> Option<&Position> {
        self.position.as_ref()
    }

    pub fn set_position(&mut self, position: Option<Position>) {
        self.position = position;
    }

    pub fn push_field(&mut self, field: &[u8]) {
        self.plain_ascii = false;
        let start = self.bytes.len();
        self.bytes.extend_from_slice(field);
        self.bounds.push((offset(start), offset(self.bytes.len())));
    }

    /// Forget the fields, to name new ones by [`Record::push_bound`].
    pub(super) fn clear_bounds(&mut self) {
        self.bounds.clear();
    }

    /// Take `row` as the bytes the fields named are cut from.
    pub(super) fn set_bytes(&mut self, row: &[u8]) {
        self.plain_ascii = false;
        self.bytes.clear();
        self.bytes.extend_from_slice(row);
    }

    /// Take `row`, cut in place (no line break in it), as [`Record::set_bytes`] does, with
    /// whether every byte of it is ASCII.
    pub(super) fn set_row(&mut self, row: &[u8], ascii: bool) {
        self.set_bytes(row);
        self.plain_ascii = ascii;
    }

    /// Whether the row was cut in place and is all ASCII: then it is valid UTF-8 with a
    /// character starting at every byte, and holds no line break.
    pub fn is_plain_ascii(&self) -> bool {
        self.plain_ascii
    }

    pub(super) fn push_bound(&mut self, field: Range<usize>) {
        self.bounds.push((offset(field.start), offset(field.end)));
    }

    /// Room for csv_core to write fields into past the `kept` bytes it wrote already (see
    /// [`super::scan`]), grown when it asks for more.
    pub(super) fn spare(&mut self, kept: usize) -> &mut [u8] {
        if self.bytes.len() < kept + 256 {
            self.bytes.resize((kept * 2).max(1024), 0);
        }
        &mut self.bytes[kept..]
    }

    /// Keep the first `len` bytes, the fields csv_core wrote, ending at `ends`.
    pub(super) fn set_fields(&mut self, len: usize, ends: &[usize]) {
        self.plain_ascii = false;
        self.bytes.truncate(len);
        self.bounds.clear();
        let mut start = 0;
        for &end in ends {
            self.bounds.push((offset(start), offset(end)));
            start = end;
        }
    }
}

impl PartialEq for Record {
    fn eq(&self, other: &Record) -> bool {
        self.position == other.position && self.iter().eq(other.iter())
    }
}

impl Eq for Record {}

fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// A record's fields in order.
pub struct Fields<'r> {
    bytes: &'r [u8],
    bounds: std::slice::Iter<'r, (u32, u32)>,
}

impl<'r> Fields<'r> {
    fn field(&self, (start, end): (u32, u32)) -> &'r [u8] {
        self.bytes.get(start as usize..end as usize).unwrap_or(&[])
    }
}

impl<'r> Iterator for Fields<'r> {
    type Item = &'r [u8];

    fn next(&mut self) -> Option<&'r [u8]> {
        let &bound = self.bounds.next()?;
        Some(self.field(bound))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.bounds.size_hint()
    }
}

impl DoubleEndedIterator for Fields<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let &bound = self.bounds.next_back()?;
        Some(self.field(bound))
    }
}

impl ExactSizeIterator for Fields<'_> {}

impl<'r> IntoIterator for &'r Record {
    type Item = &'r [u8];
    type IntoIter = Fields<'r>;

    fn into_iter(self) -> Fields<'r> {
        self.iter()
    }
}

impl<T: AsRef<[u8]>> FromIterator<T> for Record {
    fn from_iter<I: IntoIterator<Item = T>>(fields: I) -> Record {
        let mut record = Record::new();
        for f in fields {
            record.push_field(f.as_ref());
        }
        record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fields named in a row as written read the same as fields pushed one by one.
    #[test]
    fn fields_cut_from_a_row_read_as_pushed_ones() {
        let mut cut = Record::new();
        for r in [0..1, 3..6, 8..8, 9..10] {
            cut.push_bound(r);
        }
        cut.set_bytes(b"a,\"b,c\",,d");
        let pushed: Record = ["a", "b,c", "", "d"].into_iter().collect();
        assert_eq!(cut, pushed);
        assert_eq!(cut.len(), 4);
        assert_eq!(cut.get(1), Some(&b"b,c"[..]));
        assert_eq!(cut.get(4), None);
        assert_eq!(pushed.as_slice(), b"ab,cd");
    }
}
