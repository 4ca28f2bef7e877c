//! Rows whose id was already used, held back until the whole run has been read (see
//! [`super::duplicates`]). A file given twice holds every row of its second copy, so past
//! [`IN_MEMORY`] bytes the rows go to a temporary file, read back in the order they are settled.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use super::record::Record;
use super::{IdRef, RowRef};

/// Bytes of held rows (their fields and where each ends) kept in memory: about 400,000 rows of
/// 120 bytes. Past it, every held row is written to a temporary file: a 10M-row file given
/// twice held 2 GB of them beside the ledger.
pub(crate) const IN_MEMORY: usize = 64 << 20;

/// The rows held. Their fields lie one after another in one list, byte for byte, for the
/// rejects file, and their values are read from them when compared: a record of its own took
/// two allocations a row.
pub(crate) struct Holding {
    pub rows: Vec<Held>,
    bytes: Vec<u8>,
    /// Where each field of a row ends, counted from the row's first byte in `bytes`.
    ends: Vec<u32>,
    /// Where the rows are once they took more than `in_memory` bytes: each row's ends (4 bytes
    /// each, little-endian), then its bytes.
    spill: Option<BufWriter<File>>,
    spilled: u64,
    in_memory: usize,
}

impl Default for Holding {
    fn default() -> Holding {
        Holding::keeping(IN_MEMORY)
    }
}

/// A row whose id was already used.
pub(crate) struct Held {
    /// The first copy's id, in the run's `Ids`.
    pub first: IdRef,
    pub row: RowRef,
    /// The 1-based column of its id.
    pub column: u32,
    fields: u32,
    /// Where its bytes and its fields' ends start in the [`Holding`] (in memory), or the two
    /// halves of where its ends start in the temporary file (spilled): 28 bytes a row rather
    /// than 40, on 10M held rows.
    bytes: u32,
    ends: u32,
}

impl Held {
    fn spilled_at(&self) -> u64 {
        u64::from(self.ends) << 32 | u64::from(self.bytes)
    }

    fn spill_at(&mut self, at: u64) {
        (self.bytes, self.ends) = (at as u32, (at >> 32) as u32);
    }
}

impl Holding {
    /// Rows held in memory up to `in_memory` bytes (at most 1 GiB, so that where a row's bytes
    /// and ends start fits in 32 bits: a row adds at most 1 MiB past the limit).
    pub(crate) fn keeping(in_memory: usize) -> Holding {
        Holding {
            rows: Vec::new(),
            bytes: Vec::new(),
            ends: Vec::new(),
            spill: None,
            spilled: 0,
            in_memory: in_memory.min(1 << 30),
        }
    }

    /// Hold `record`, at `row`, whose id (in column `column`, 1-based) was first used at
    /// `first`. Fails only when the temporary file cannot be written.
    pub(crate) fn hold(
        &mut self,
        first: IdRef,
        row: RowRef,
        column: usize,
        record: &Record,
    ) -> io::Result<()> {
        if self.spill.is_none() && self.bytes.len() + 4 * self.ends.len() >= self.in_memory {
            self.start_spilling()?;
        }
        let (bytes, ends) = (self.bytes.len(), self.ends.len());
        for field in record {
            self.bytes.extend_from_slice(field);
            // A row is at most `MAX_ROW_BYTES` long.
            self.ends.push((self.bytes.len() - bytes) as u32);
        }
        let mut held = Held {
            first,
            row,
            column: u32::try_from(column).unwrap_or(u32::MAX),
            fields: (self.ends.len() - ends) as u32,
            bytes: bytes as u32,
            ends: ends as u32,
        };
        if let Some(spill) = &mut self.spill {
            held.spill_at(self.spilled);
            self.spilled += write_row(spill, &self.ends, &self.bytes)?;
            self.bytes.clear();
            self.ends.clear();
        }
        self.rows.push(held);
        Ok(())
    }

    /// Every row held so far goes to a temporary file, and every row after it.
    fn start_spilling(&mut self) -> io::Result<()> {
        let mut spill = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        for held in &mut self.rows {
            let ends = &self.ends[held.ends as usize..][..held.fields as usize];
            let len = ends.last().map_or(0, |&e| e as usize);
            let bytes = &self.bytes[held.bytes as usize..][..len];
            held.spill_at(self.spilled);
            self.spilled += write_row(&mut spill, ends, bytes)?;
        }
        self.bytes = Vec::new();
        self.ends = Vec::new();
        self.spill = Some(spill);
        Ok(())
    }

    /// The held rows, to be read back one at a time.
    pub(crate) fn reading(&mut self) -> io::Result<Reading<'_>> {
        let file = match self.spill.take() {
            Some(spill) => Some(BufReader::with_capacity(
                1 << 20,
                spill.into_inner().map_err(io::IntoInnerError::into_error)?,
            )),
            None => None,
        };
        Ok(Reading {
            bytes: &self.bytes,
            ends: &self.ends,
            file,
            at: None,
            row_bytes: Vec::new(),
            row_ends: Vec::new(),
        })
    }
}

/// Write one row as spilled: its ends, then its bytes; how many bytes that took.
fn write_row(out: &mut impl Write, ends: &[u32], bytes: &[u8]) -> io::Result<u64> {
    for end in ends {
        out.write_all(&end.to_le_bytes())?;
    }
    out.write_all(bytes)?;
    Ok((4 * ends.len() + bytes.len()) as u64)
}

/// The held rows, read back one at a time: borrowed from memory, or read from the temporary
/// file, without seeking when a row follows the one read before it (as the copies of a file
/// given twice do).
pub(crate) struct Reading<'h> {
    bytes: &'h [u8],
    ends: &'h [u32],
    file: Option<BufReader<File>>,
    /// Where the file was left by the row read before.
    at: Option<u64>,
    row_bytes: Vec<u8>,
    row_ends: Vec<u32>,
}

impl Reading<'_> {
    /// A held row's fields.
    pub(crate) fn row(&mut self, held: &Held) -> io::Result<HeldRow<'_>> {
        let Some(file) = &mut self.file else {
            let ends = &self.ends[held.ends as usize..][..held.fields as usize];
            return Ok(HeldRow {
                bytes: &self.bytes[held.bytes as usize..],
                ends,
            });
        };
        let at = held.spilled_at();
        if self.at != Some(at) {
            file.seek(SeekFrom::Start(at))?;
        }
        let mut end = [0; 4];
        self.row_ends.clear();
        for _ in 0..held.fields {
            file.read_exact(&mut end)?;
            self.row_ends.push(u32::from_le_bytes(end));
        }
        let len = self.row_ends.last().map_or(0, |&e| e as usize);
        self.row_bytes.resize(len, 0);
        file.read_exact(&mut self.row_bytes)?;
        self.at = Some(at + (4 * self.row_ends.len() + len) as u64);
        Ok(HeldRow {
            bytes: &self.row_bytes,
            ends: &self.row_ends,
        })
    }
}

/// One held row's fields.
pub(crate) struct HeldRow<'r> {
    bytes: &'r [u8],
    ends: &'r [u32],
}

impl<'r> HeldRow<'r> {
    /// Field `i`.
    pub(crate) fn field(&self, i: usize) -> Option<&'r [u8]> {
        let end = *self.ends.get(i)? as usize;
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j] as usize);
        self.bytes.get(start..end)
    }

    /// The row as a record of its own, to be handed on.
    pub(crate) fn record(&self) -> Record {
        (0..self.ends.len()).filter_map(|i| self.field(i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::ids::{IdSet, Seen};

    #[test]
    fn a_held_row_is_28_bytes_and_keeps_any_place_in_the_temporary_file() {
        assert_eq!(std::mem::size_of::<Held>(), 28);
        let mut held = Held {
            first: IdRef::default(),
            row: RowRef { file: 0, line: 1 },
            column: 1,
            fields: 1,
            bytes: 0,
            ends: 0,
        };
        for at in [0, 1, u64::from(u32::MAX), 1 << 32, (7 << 32) + 5, u64::MAX] {
            held.spill_at(at);
            assert_eq!(held.spilled_at(), at);
        }
    }

    /// Held rows give back their fields as they were, empty ones and all, each apart from the
    /// rows held before and after it, whether held in memory, spilled from the first, or
    /// spilled part way; read in order, out of order, and the same row twice.
    #[test]
    fn held_rows_give_back_their_fields() {
        let rows: [&[&str]; 5] = [
            &["a", "", "b,c"],
            &[],
            &["", ""],
            &["x\"y", "é", ""],
            &["A0000000001", "2019-06-14", "KAZ"],
        ];
        let mut set = IdSet::new();
        set.expect(1);
        let Seen::New(first) = set.insert(set.hash(b"A"), b"A", RowRef { file: 0, line: 1 }) else {
            panic!("a new id");
        };
        for in_memory in [IN_MEMORY, 0, 12] {
            let mut held = Holding::keeping(in_memory);
            for (i, fields) in rows.iter().enumerate() {
                let record: Record = fields.iter().collect();
                let row = RowRef {
                    file: 0,
                    line: i as u32 + 2,
                };
                if let Err(e) = held.hold(first, row, 1, &record) {
                    panic!("held: {e}");
                }
            }
            assert_eq!(held.spill.is_some(), in_memory < IN_MEMORY);
            let order = std::mem::take(&mut held.rows);
            let Ok(mut reading) = held.reading() else {
                panic!("the held rows read back");
            };
            for i in [0, 1, 2, 3, 4, 2, 4, 4, 0, 3] {
                let Ok(row) = reading.row(&order[i]) else {
                    panic!("row {i} reads back");
                };
                assert_eq!(
                    row.record().iter().collect::<Vec<_>>(),
                    rows[i].iter().map(|f| f.as_bytes()).collect::<Vec<_>>(),
                    "row {i}, {in_memory} bytes in memory"
                );
                assert_eq!(row.field(rows[i].len()), None);
            }
        }
    }
}
