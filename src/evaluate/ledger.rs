//! What a pass over the activities leaves behind: for every commitment, compact references to
//! the rows that count for or against it. Verdicts at any as-of date are computed from this, so
//! a run over many years reads the input once.

use chrono::NaiveDate;

use super::index::{Index, Role};
use crate::activity::{Activity, RowRef, Sink};
use crate::catalogue::Catalogue;

/// A row that matched at least one commitment, without its strings but its id.
#[derive(Debug, Clone)]
pub struct EvidenceRow {
    pub date: NaiveDate,
    pub row: RowRef,
    pub party: u16,
    pub kind: u16,
    /// The row's `value` (0 where it had none; trend verdicts read only indicator rows, which
    /// always have one).
    pub value: f64,
    id: (u32, u32),
}

/// One credit of a row to a party: each-member verdicts read the entries of their party,
/// collective ones read them all. After [`Ledger::finish`], `row` numbers follow (date, id).
/// Packed to 6 bytes: there is one per credited party per matching row, the bulk of a ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(C, packed(2))]
pub struct Entry {
    pub row: u32,
    pub party: u16,
}

#[derive(Debug, Clone, Default)]
pub struct Matches {
    pub support: Vec<Entry>,
    pub contrary: Vec<Entry>,
}

pub struct Ledger {
    index: Index,
    /// Per commitment: collective ones keep their entries in (row, party) order, each-member
    /// ones in (party, row) order, so either reads its window as one slice.
    collective: Vec<bool>,
    rows: Vec<EvidenceRow>,
    ids: String,
    matches: Vec<Matches>,
}

impl Ledger {
    pub fn new(catalogue: &Catalogue) -> Ledger {
        Ledger {
            index: Index::new(catalogue),
            collective: catalogue
                .commitments
                .iter()
                .map(|c| c.scope == crate::catalogue::Scope::Collective)
                .collect(),
            rows: Vec::new(),
            ids: String::new(),
            matches: vec![Matches::default(); catalogue.commitments.len()],
        }
    }

    pub fn row(&self, ix: u32) -> &EvidenceRow {
        &self.rows[ix as usize]
    }

    pub fn id(&self, ix: u32) -> &str {
        let (start, len) = self.rows[ix as usize].id;
        &self.ids[start as usize..(start + len) as usize]
    }

    pub fn matches(&self, commitment: usize) -> &Matches {
        &self.matches[commitment]
    }

    /// Put the rows in (date, id) order and every commitment's entries in (party, row) order,
    /// so that verdicts never depend on the order in which rows or files arrived, and a verdict
    /// reads its party's entries as one slice.
    ///
    /// Ids are unique, so (date, id) is a total order and the same for any arrival order. The
    /// rows are renumbered by it once; afterwards entries compare as plain integers.
    pub fn finish(&mut self) {
        let ids = self.ids.as_bytes();
        let rows = &self.rows;
        let id = |r: &EvidenceRow| {
            let (s, l) = r.id;
            &ids[s as usize..(s + l) as usize]
        };
        // The first eight bytes of the id, big-endian: most ties on the date are settled by
        // this integer without touching the strings.
        let prefix = |r: &EvidenceRow| {
            let mut b = [0u8; 8];
            let head = &id(r)[..(r.id.1 as usize).min(8)];
            b[..head.len()].copy_from_slice(head);
            u64::from_be_bytes(b)
        };
        let mut order: Vec<(NaiveDate, u64, u32)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.date, prefix(r), i as u32))
            .collect();
        order.sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| id(&rows[a.2 as usize]).cmp(id(&rows[b.2 as usize])))
        });
        let mut new_index = vec![0u32; rows.len()];
        for (rank, &(_, _, old)) in order.iter().enumerate() {
            new_index[old as usize] = rank as u32;
        }
        drop(order);
        for m in &mut self.matches {
            for e in m.support.iter_mut().chain(m.contrary.iter_mut()) {
                e.row = new_index[e.row as usize];
            }
        }
        // Move every row to its rank in place, following the permutation's cycles, so that the
        // rows are never held twice.
        for i in 0..new_index.len() {
            while new_index[i] as usize != i {
                let j = new_index[i] as usize;
                self.rows.swap(i, j);
                new_index.swap(i, j);
            }
        }
        let by_party = |e: &Entry| (u64::from(e.party) << 32) | u64::from(e.row);
        let by_row = |e: &Entry| (u64::from(e.row) << 16) | u64::from(e.party);
        for (m, &collective) in self.matches.iter_mut().zip(&self.collective) {
            if collective {
                m.support.sort_unstable_by_key(by_row);
                m.contrary.sort_unstable_by_key(by_row);
            } else {
                m.support.sort_unstable_by_key(by_party);
                m.contrary.sort_unstable_by_key(by_party);
            }
        }
    }

    /// The entries of one commitment dated within `[from, to]`, as one slice in (date, id)
    /// order: one party's (`Some`, for an each-member commitment) or everyone's (`None`, for a
    /// collective one, where a row credited to several parties appears once per party).
    pub fn window<'e>(
        &self,
        entries: &'e [Entry],
        party: Option<u16>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> &'e [Entry] {
        let own = match party {
            Some(p) => {
                let lo = entries.partition_point(|e| e.party < p);
                let hi = entries.partition_point(|e| e.party <= p);
                &entries[lo..hi]
            }
            None => entries,
        };
        let start = own.partition_point(|e| self.rows[e.row as usize].date < from);
        let end = own.partition_point(|e| self.rows[e.row as usize].date <= to);
        &own[start..end.max(start)]
    }
}

impl Sink for Ledger {
    fn accept(&mut self, a: &Activity<'_>, row: RowRef) -> bool {
        let mut stored: Option<u32> = None;
        for t in self.index.targets(a.kind, a.subject) {
            let ix = *stored.get_or_insert_with(|| {
                let start = self.ids.len() as u32;
                self.ids.push_str(a.id);
                self.rows.push(EvidenceRow {
                    date: a.date,
                    row,
                    party: a.party,
                    kind: a.kind,
                    value: a.value.unwrap_or(0.0),
                    id: (start, a.id.len() as u32),
                });
                (self.rows.len() - 1) as u32
            });
            let m = &mut self.matches[t.commitment as usize];
            let list = match t.role {
                Role::Support => &mut m.support,
                Role::Contrary => &mut m.contrary,
            };
            list.push(Entry {
                row: ix,
                party: a.party,
            });
            if !t.reporter_only {
                list.extend(a.partners.iter().map(|&p| Entry { row: ix, party: p }));
            }
        }
        stored.is_some()
    }
}
