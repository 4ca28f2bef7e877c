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
    pub subject: Option<u16>,
    pub value: Option<f64>,
    id: (u32, u32),
}

/// One credit of a row to a party: each-member verdicts read the entries of their party,
/// collective ones read them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
    rows: Vec<EvidenceRow>,
    ids: String,
    matches: Vec<Matches>,
}

impl Ledger {
    pub fn new(catalogue: &Catalogue) -> Ledger {
        Ledger {
            index: Index::new(catalogue),
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

    /// Put every commitment's entries in (date, row) order, so that verdicts never depend on the
    /// order in which rows or files arrived.
    pub fn finish(&mut self) {
        let rows = &self.rows;
        let ids = &self.ids;
        let key = |e: &Entry| {
            let r = &rows[e.row as usize];
            let (s, l) = r.id;
            (r.date, &ids[s as usize..(s + l) as usize], e.party)
        };
        for m in &mut self.matches {
            m.support.sort_by(|a, b| key(a).cmp(&key(b)));
            m.contrary.sort_by(|a, b| key(a).cmp(&key(b)));
        }
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
                    subject: a.subject,
                    value: a.value,
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
