//! What a pass over the activities leaves behind: for every commitment, compact references to
//! the rows that count for or against it. Verdicts at any as-of date are computed from this, so
//! a run over many years reads the input once.

use std::collections::BTreeSet;
use std::ops::{Deref, Range};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::arrivals::{drop_places, drop_places_aside, Arrivals};
use super::index::{Index, Role};
use crate::activity::{prefetch, Activity, IdRef, IdText, Ids, RowRef, Sink};
use crate::catalogue::{Catalogue, Scope};

/// A row that matched at least one commitment: 8 bytes, its id kept once in [`Ids`]. Its date
/// is kept apart until the rows are ranked, and read from the ranks' dates after.
#[derive(Debug, Clone, Copy)]
struct Stored {
    party: u16,
    kind: u16,
    id: IdRef,
}

/// How many ids ahead [`by_id_within_dates`] asks the memory for.
const PREFETCH: usize = 8;

/// How many ids ahead [`Ledger::ids_of`] asks for a place in the order.
const AHEAD: usize = 24;

/// The rank of a withdrawn row: none.
const GONE: u32 = u32::MAX;

/// A credit of a row to one party, for collective commitments, which read everyone's.
/// Packed to 6 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(C, packed(2))]
pub struct Entry {
    pub row: u32,
    pub party: u16,
}

/// The rows credited to a commitment in one role. Each-member commitments keep one list of
/// row numbers per party (4 bytes a credit); collective ones one list of (row, party).
/// After [`Ledger::finish`], row numbers follow (date, id) and every list is sorted, the
/// per-party ones without repeats, so a verdict's evidence is a window of one, shared; a
/// collective list gains the rows it credits, each once, for the same purpose.
#[derive(Debug, Clone)]
pub enum Credits {
    /// Per party, while the ledger is being filled (no atomic counts to touch per push).
    Filling(Vec<Vec<u32>>),
    /// Per party, once finished.
    Each(Vec<Arc<Vec<u32>>>),
    /// Everyone's entries, and once finished the rows they credit, each once.
    All(Vec<Entry>, Arc<Vec<u32>>),
}

/// The ledger rows behind a verdict, in (date, id) order, without repeats: usually a window of
/// one party's credit list, shared with the ledger rather than copied, so that judging every
/// commitment for every party (and again for every year of a summary) copies no rows.
#[derive(Clone, Default)]
pub struct Evidence {
    rows: Arc<Vec<u32>>,
    within: Range<usize>,
}

impl Deref for Evidence {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        self.rows.get(self.within.clone()).unwrap_or_default()
    }
}

impl<'a> IntoIterator for &'a Evidence {
    type Item = &'a u32;
    type IntoIter = std::slice::Iter<'a, u32>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl From<Vec<u32>> for Evidence {
    fn from(rows: Vec<u32>) -> Evidence {
        let within = 0..rows.len();
        Evidence {
            rows: Arc::new(rows),
            within,
        }
    }
}

impl PartialEq for Evidence {
    fn eq(&self, other: &Evidence) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[derive(Debug, Clone)]
pub struct Matches {
    pub support: Credits,
    pub contrary: Credits,
    /// Rows ending the commitment's own standing status.
    pub revoke: Credits,
    /// Rows establishing and ending the status its `binds_if` asks for.
    pub cond_establish: Credits,
    pub cond_revoke: Credits,
}

impl Credits {
    /// Renumber every credit by its row's rank ([`GONE`] for a withdrawn row, whose credits
    /// are dropped), and sort.
    fn rank(&mut self, rank: &[u32]) {
        match self {
            Credits::Filling(lists) => {
                let shared = lists
                    .iter_mut()
                    .map(|list| {
                        for r in list.iter_mut() {
                            *r = rank[*r as usize];
                        }
                        // A row matching two selectors of one commitment is credited twice.
                        sort_ranks(list);
                        list.dedup();
                        // Withdrawn rows have no rank: they sort last.
                        while list.last() == Some(&GONE) {
                            list.pop();
                        }
                        Arc::new(std::mem::take(list))
                    })
                    .collect();
                *self = Credits::Each(shared);
            }
            Credits::Each(_) => {}
            Credits::All(entries, _) => {
                for e in entries.iter_mut() {
                    e.row = rank[e.row as usize];
                }
                sort_entries(entries);
                let kept = entries.partition_point(|e| e.row != GONE);
                entries.truncate(kept);
            }
        }
    }

    /// A collective list's rows, each once, from its ranked entries: made once the ranks are
    /// freed, and shared by every verdict that reads them.
    fn share_rows(&mut self) {
        if let Credits::All(entries, rows) = self {
            // Pushed one by one, not collected and then deduplicated: a vector sized for every
            // entry would keep the room of the repeats too (a row credited to several parties
            // is an entry for each).
            let mut distinct: Vec<u32> = Vec::new();
            for e in entries.iter() {
                let row = e.row;
                if distinct.last() != Some(&row) {
                    distinct.push(row);
                }
            }
            *rows = Arc::new(distinct);
        }
    }
}

impl Matches {
    fn credits_mut(&mut self) -> [&mut Credits; 5] {
        [
            &mut self.support,
            &mut self.contrary,
            &mut self.revoke,
            &mut self.cond_establish,
            &mut self.cond_revoke,
        ]
    }

    fn rank(&mut self, rank: &[u32]) {
        for c in self.credits_mut() {
            c.rank(rank);
        }
    }

    fn share_rows(&mut self) {
        for c in self.credits_mut() {
            c.share_rows();
        }
    }
}

/// Lists shorter than this are sorted by comparison: a radix sort's passes and its buffer
/// cost more than they save on them.
const RADIX_FROM: usize = 256;

/// Sort ranks: by radix for a long list, whose ranks (below the row count) need three or four
/// byte passes where a comparison sort needs a score of passes over the list.
fn sort_ranks(list: &mut [u32]) {
    if list.len() < RADIX_FROM {
        list.sort_unstable();
    } else {
        radsort::sort(list);
    }
}

/// Sort a collective list's entries by (row, party), by radix when long (see [`sort_ranks`]).
fn sort_entries(entries: &mut [Entry]) {
    let key = |e: &Entry| (u64::from(e.row) << 16) | u64::from(e.party);
    if entries.len() < RADIX_FROM {
        entries.sort_unstable_by_key(key);
    } else {
        radsort::sort_by_key(entries, key);
    }
}

/// The rows in day order, and each day that has rows with where it starts: counted by day (a
/// run spans a few thousand days) and laid out in one pass, which keeps rows of a day in
/// arrival order; a sort where the days span too much for a table of counts. Row numbers only,
/// 4 bytes a row, since this is held while the ledger is at its largest.
fn by_day(rows: usize, day: impl Fn(usize) -> u64) -> (Vec<u32>, Vec<(u64, u32)>) {
    let days = (0..rows).map(&day).max().map_or(0, |d| d as usize + 1);
    if days > rows.max(1 << 16) {
        let mut keys: Vec<(u64, u32)> = (0..rows).map(|i| (day(i), i as u32)).collect();
        keys.sort_unstable();
        let mut starts: Vec<(u64, u32)> = Vec::new();
        for (at, &(d, _)) in keys.iter().enumerate() {
            if starts.last().is_none_or(|&(last, _)| last != d) {
                starts.push((d, at as u32));
            }
        }
        return (keys.into_iter().map(|(_, i)| i).collect(), starts);
    }
    let mut next = vec![0usize; days + 1];
    for i in 0..rows {
        next[day(i) as usize + 1] += 1;
    }
    for d in 1..next.len() {
        next[d] += next[d - 1];
    }
    let starts = (0..days)
        .filter(|&d| next[d + 1] > next[d])
        .map(|d| (d as u64, next[d] as u32))
        .collect();
    let mut order = vec![0u32; rows];
    for i in 0..rows {
        let d = day(i) as usize;
        order[next[d]] = i as u32;
        next[d] += 1;
    }
    (order, starts)
}

/// Whether the rows' ids ascend in the order the rows arrived, as they do when the files were
/// written in id order (exports often are). Then rows laid out by day in arrival order are
/// already in (date, id) order, and [`by_id_within_dates`] has nothing to do.
fn ids_ascend(rows: &[Stored], ids: &Ids) -> bool {
    rows.iter().map(|r| ids.id(r.id)).is_sorted_by(|a, b| a < b)
}

/// Sort `order`, rows already in day order, by the rows' ids within each day (`starts`: where
/// each day begins in `order`). The first eight bytes of an id, as an integer, settle most
/// comparisons without reading the ids again; they are read a few rows ahead of need, and the
/// rows that say where they are further ahead still, since a day's rows are spread over the
/// whole run and the arena is far larger than the caches.
fn by_id_within_dates(order: &mut [u32], starts: &[u32], rows: &[Stored], ids: &Ids) {
    let id = |r: u32| ids.id(rows[r as usize].id);
    let mut run: Vec<(u64, u32)> = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(order.len(), |&e| e as usize);
        let day = &mut order[start as usize..end];
        if day.len() < 2 {
            continue;
        }
        run.clear();
        for &r in day.iter().take(2 * PREFETCH) {
            prefetch(&rows[r as usize]);
        }
        for &r in day.iter().take(PREFETCH) {
            ids.prefetch(rows[r as usize].id);
        }
        run.extend(day.iter().enumerate().map(|(i, &r)| {
            // The row twice as far ahead as its id: the id's place is read from the row.
            if let Some(&ahead) = day.get(i + 2 * PREFETCH) {
                prefetch(&rows[ahead as usize]);
            }
            if let Some(&ahead) = day.get(i + PREFETCH) {
                ids.prefetch(rows[ahead as usize].id);
            }
            let mut b = [0u8; 8];
            let whole = id(r);
            let head = &whole[..whole.len().min(8)];
            b[..head.len()].copy_from_slice(head);
            (u64::from_be_bytes(b), r)
        }));
        run.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| id(a.1).cmp(&id(b.1))));
        for (slot, &(_, r)) in day.iter_mut().zip(&run) {
            *slot = r;
        }
    }
}

/// The places in `items` (ascending) of the items whose key is in `wanted` (sorted, each
/// once). Rows arrive with their ids in arena order, so each wanted key is sought among the
/// items, a few searches instead of one a row; items in any other order are walked.
fn places_of<T, K: Ord>(items: &[T], key: impl Fn(&T) -> K, wanted: &[K]) -> Vec<u32> {
    if items.is_sorted_by_key(&key) {
        return wanted
            .iter()
            .filter_map(|w| items.binary_search_by(|t| key(t).cmp(w)).ok())
            .map(|i| i as u32)
            .collect();
    }
    (0u32..)
        .zip(items)
        .filter(|(_, t)| wanted.binary_search(&key(t)).is_ok())
        .map(|(i, _)| i)
        .collect()
}

/// The first place at or after `from` in `items` (sorted by rank) whose rank is not below
/// `rank`: found by a step that doubles from `from`, then a binary search within the last step.
fn seek<T>(items: &[(u32, T)], from: usize, rank: u32) -> usize {
    let rest = items.get(from..).unwrap_or_default();
    let mut step = 1;
    while rest.get(step - 1).is_some_and(|&(r, _)| r < rank) {
        step *= 2;
    }
    // Every item before `lo` is below `rank`; none from `hi` on is.
    let (lo, hi) = (step / 2, (step - 1).min(rest.len()));
    from + lo + rest[lo..hi].partition_point(|&(r, _)| r < rank)
}

/// The rank of each row from the rows in rank order (`order[rank]` is a row): the writes land
/// all over the result, each a miss, so the two halves of `order` write on two threads.
fn ranks_of(order: &[u32]) -> Vec<u32> {
    let rank: Vec<AtomicU32> = order.iter().map(|_| AtomicU32::new(0)).collect();
    let (low, high) = order.split_at(order.len() / 2);
    let place = |rows: &[u32], from: usize| {
        for (r, &i) in (from..).zip(rows) {
            if let Some(slot) = rank.get(i as usize) {
                slot.store(r as u32, Ordering::Relaxed);
            }
        }
    };
    rayon::join(|| place(low, 0), || place(high, low.len()));
    rank.into_iter().map(AtomicU32::into_inner).collect()
}

/// `rank`, of the rows kept, as the rank of every row as it arrived: [`GONE`] at the places in
/// `gone` (ascending). Filled in place from the end, so no second vector is held while the
/// ledger is at its largest.
fn with_gone(rank: &mut Vec<u32>, gone: &[u32]) {
    if gone.is_empty() {
        return;
    }
    rank.resize(rank.len() + gone.len(), GONE);
    let mut left = gone.len();
    for i in (0..rank.len()).rev() {
        if left > 0 && gone[left - 1] as usize == i {
            rank[i] = GONE;
            left -= 1;
        } else {
            rank[i] = rank[i - left];
        }
    }
}

/// The credits a verdict reads: a window of one party's rows, or of everyone's entries with
/// the same window of the rows they credit.
#[derive(Debug, Clone)]
pub enum Slice<'a> {
    Party(u16, &'a Arc<Vec<u32>>, Range<usize>),
    All(&'a [Entry], Option<(&'a Arc<Vec<u32>>, Range<usize>)>),
}

impl Slice<'_> {
    /// The rows, each once, in (date, id) order.
    pub fn rows(&self) -> Evidence {
        match self {
            Slice::Party(_, rows, within) => Evidence {
                rows: Arc::clone(rows),
                within: within.clone(),
            },
            Slice::All(_, Some((rows, within))) => Evidence {
                rows: Arc::clone(rows),
                within: within.clone(),
            },
            Slice::All(_, None) => Evidence::default(),
        }
    }

    /// The rows credited to one party, each once, in (date, id) order.
    pub fn rows_of(&self, party: u16) -> Evidence {
        match self {
            Slice::Party(p, ..) if *p == party => self.rows(),
            Slice::Party(..) => Evidence::default(),
            Slice::All(entries, _) => entries
                .iter()
                .filter(|e| e.party == party)
                .map(|e| e.row)
                .collect::<Vec<u32>>()
                .into(),
        }
    }

    pub fn parties(&self) -> BTreeSet<u16> {
        match self {
            Slice::Party(p, _, within) if !within.is_empty() => BTreeSet::from([*p]),
            Slice::Party(..) => BTreeSet::new(),
            Slice::All(entries, _) => entries.iter().map(|e| e.party).collect(),
        }
    }
}

pub struct Ledger {
    index: Index,
    /// Matching rows in arrival order.
    rows: Vec<Stored>,
    /// Their dates, until [`Ledger::finish`] has ranked them: freed before the ranks are
    /// made, while the ledger is at its largest.
    arrived: Arrivals,
    /// The values of the rows that have one (place in `rows`, value), in `rows` order; after
    /// [`Ledger::finish`], (rank, value) in rank order, so that a value is found by its rank
    /// without reading the order first. Few rows carry one (indicators), so they are kept aside.
    values: Vec<(u32, f64)>,
    matches: Vec<Matches>,
    /// After [`Ledger::finish`]: the (date, id) rank of a row -> its place in `rows`.
    order: Vec<u32>,
    /// After [`Ledger::finish`]: each date present, with the rank of its first row.
    dates: Vec<(NaiveDate, u32)>,
    ids: Ids,
    /// Rows taken back after they were accepted (their id had copies that differ).
    withdrawn: Vec<IdRef>,
    finished: bool,
    /// Party codes by index, for the sentences verdicts explain themselves with.
    codes: Vec<String>,
}

impl Ledger {
    pub fn new(catalogue: &Catalogue) -> Ledger {
        let parties = catalogue.parties.len();
        let credits = |scope: Scope| match scope {
            Scope::Collective => Credits::All(Vec::new(), Arc::default()),
            Scope::EachMember => Credits::Filling(vec![Vec::new(); parties]),
        };
        Ledger {
            index: Index::new(catalogue),
            rows: Vec::new(),
            arrived: Arrivals::default(),
            values: Vec::new(),
            matches: catalogue
                .commitments
                .iter()
                .map(|c| Matches {
                    support: credits(c.scope),
                    contrary: credits(c.scope),
                    revoke: credits(c.scope),
                    cond_establish: credits(c.scope),
                    cond_revoke: credits(c.scope),
                })
                .collect(),
            order: Vec::new(),
            dates: Vec::new(),
            ids: Ids::default(),
            withdrawn: Vec::new(),
            finished: false,
            codes: catalogue.parties.iter().map(|p| p.code.clone()).collect(),
        }
    }

    fn stored(&self, rank: u32) -> Option<&Stored> {
        let at = *self.order.get(rank as usize)?;
        self.rows.get(at as usize)
    }

    /// A hint to load the ledger row of `rank`, read soon; it changes nothing else.
    pub fn prefetch_row(&self, rank: u32) {
        if let Some(s) = self.stored(rank) {
            prefetch(s);
        }
    }

    /// The dates of `ranks`, as [`Ledger::date`] gives them; ranks in ascending order (as
    /// evidence is) are walked to, not each searched for.
    pub fn dates_of<'l>(&'l self, ranks: &'l [u32]) -> impl Iterator<Item = NaiveDate> + 'l {
        let mut day = 0usize;
        ranks.iter().map(move |&rank| {
            if self.dates.get(day).is_some_and(|&(_, first)| first > rank) {
                day = self.day_of(rank);
            }
            while self
                .dates
                .get(day + 1)
                .is_some_and(|&(_, first)| first <= rank)
            {
                day += 1;
            }
            self.date_at(day)
        })
    }

    pub fn date(&self, rank: u32) -> NaiveDate {
        self.date_at(self.day_of(rank))
    }

    /// The place in `dates` of the day `rank` falls on.
    fn day_of(&self, rank: u32) -> usize {
        self.dates
            .partition_point(|&(_, first)| first <= rank)
            .saturating_sub(1)
    }

    fn date_at(&self, day: usize) -> NaiveDate {
        self.dates.get(day).map_or(NaiveDate::MIN, |&(d, _)| d)
    }

    /// The ids of `ranks`, in order. A report lists millions of ids, and each is three loads
    /// that miss the caches, each needing the one before: its place in the order, its row,
    /// then its bytes in the id arena. The place is asked of the memory [`AHEAD`] ids ahead,
    /// the row two thirds as far, and the id a third as far, so that each load finds the one
    /// before it already in the cache and the misses of different ids overlap.
    pub fn ids_of<'l>(&'l self, ranks: &'l [u32]) -> impl Iterator<Item = IdText<'l>> + 'l {
        ranks.iter().enumerate().map(move |(i, &rank)| {
            if let Some(at) = ranks
                .get(i + AHEAD)
                .and_then(|&r| self.order.get(r as usize))
            {
                crate::activity::prefetch(at);
            }
            if let Some(row) = ranks.get(i + AHEAD * 2 / 3).and_then(|&r| self.stored(r)) {
                crate::activity::prefetch(row);
            }
            if let Some(row) = ranks.get(i + AHEAD / 3).and_then(|&r| self.stored(r)) {
                self.ids.prefetch(row.id);
            }
            self.id(rank)
        })
    }

    pub fn id(&self, rank: u32) -> IdText<'_> {
        self.stored(rank)
            .map_or(IdText::Str(""), |s| self.ids.id(s.id).text())
    }

    /// The file and line the row came from.
    pub fn place(&self, rank: u32) -> RowRef {
        self.stored(rank)
            .map_or(RowRef { file: 0, line: 0 }, |s| self.ids.row(s.id))
    }

    pub fn party(&self, rank: u32) -> u16 {
        self.stored(rank).map_or(0, |s| s.party)
    }

    pub fn party_code(&self, party: u16) -> &str {
        self.codes.get(party as usize).map_or("?", String::as_str)
    }

    pub fn kind(&self, rank: u32) -> u16 {
        self.stored(rank).map_or(0, |s| s.kind)
    }

    /// The `value` of each row of `ranks` (ascending), 0 where it had none (trend verdicts
    /// read only indicator rows, which always have one). Each is sought from where the one
    /// before was found, a step that doubles until it passes, so a walk over a trend's rows
    /// costs the log of the gaps between them, not of every value.
    pub fn values<'l>(&'l self, ranks: &'l [u32]) -> impl Iterator<Item = f64> + 'l {
        let mut from = 0usize;
        ranks.iter().map(move |&rank| {
            from = seek(&self.values, from, rank);
            match self.values.get(from) {
                Some(&(r, v)) if r == rank => v,
                _ => 0.0,
            }
        })
    }

    /// The ids of every accepted row of the run.
    pub fn ids(&self) -> &Ids {
        &self.ids
    }

    pub fn matches(&self, commitment: usize) -> &Matches {
        &self.matches[commitment]
    }

    /// The first rank dated on or after `date`.
    pub fn rank_from(&self, date: NaiveDate) -> u32 {
        let i = self.dates.partition_point(|&(d, _)| d < date);
        self.dates
            .get(i)
            .map_or(self.order.len() as u32, |&(_, first)| first)
    }

    /// Rank the rows in (date, id) order and sort every credit list by it, so that verdicts
    /// never depend on the order in which rows or files arrived, and a verdict reads its window
    /// as one slice. `ids` are the run's, which the rows point into.
    ///
    /// Ids are unique, so (date, id) is a total order and the same for any arrival order. The
    /// rows stay where they are; `order` maps a rank to its row, and credits hold ranks.
    ///
    /// Only the first call does anything: credits hold ranks afterwards, not rows.
    pub fn finish(&mut self, ids: Ids) {
        if self.finished {
            return;
        }
        self.finished = true;
        self.ids = ids;
        let gone = self.drop_withdrawn();
        let arrived = std::mem::take(&mut self.arrived);
        // Whether the ids ascend is found on the other thread while the rows are laid out.
        let (ascending, (first, (mut order, days))) = rayon::join(
            || ids_ascend(&self.rows, &self.ids),
            || {
                let (first, day) = arrived.days_from_first();
                (first, by_day(arrived.len(), day))
            },
        );
        drop(arrived);
        self.dates = days
            .iter()
            .map(|&(d, start)| (first + chrono::Days::new(d), start))
            .collect();
        // Within a date, by id (unless arrival order is that already); the two halves (split
        // between two dates) on two threads.
        let starts: Vec<u32> = days.iter().map(|&(_, start)| start).collect();
        let split = starts.partition_point(|&s| (s as usize) < order.len() / 2);
        let mid = starts.get(split).map_or(order.len(), |&s| s as usize);
        let (low_starts, high_starts) = starts.split_at(split);
        let high_starts: Vec<u32> = high_starts.iter().map(|&s| s - mid as u32).collect();
        let (low, high) = order.split_at_mut(mid);
        let (rows, ids) = (&self.rows, &self.ids);
        if !ascending {
            rayon::join(
                || by_id_within_dates(low, low_starts, rows, ids),
                || by_id_within_dates(high, &high_starts, rows, ids),
            );
        }
        let mut rank = ranks_of(&order);
        self.order = order;
        for (at, _) in &mut self.values {
            *at = rank.get(*at as usize).copied().unwrap_or(GONE);
        }
        self.values.sort_unstable_by_key(|&(r, _)| r);
        // Credits still count rows as they arrived, withdrawn ones included.
        with_gone(&mut rank, &gone);
        // The credits, renumbered and sorted, list by list on the pool's threads.
        self.matches.par_iter_mut().for_each(|m| m.rank(&rank));
        drop(rank);
        self.matches.par_iter_mut().for_each(Matches::share_rows);
    }

    /// Remove the withdrawn rows (rare: only runs with conflicting copies of an id have any);
    /// returns where they were among the rows as they arrived, in order, so that the credits
    /// are renumbered once, with their ranks (see [`with_gone`]).
    fn drop_withdrawn(&mut self) -> Vec<u32> {
        if self.withdrawn.is_empty() {
            return Vec::new();
        }
        self.withdrawn.sort_unstable();
        self.withdrawn.dedup();
        let gone = places_of(&self.rows, |s| s.id, &self.withdrawn);
        rayon::join(
            || drop_places(&mut self.rows, &gone),
            || self.arrived.drop_places(&gone),
        );
        drop_places_aside(&mut self.values, &gone);
        gone
    }

    /// The credits dated within `[from, to]`, as one slice in (date, id) order: one party's
    /// (`Some`, for an each-member commitment) or everyone's (`None`, for a collective one,
    /// where a row credited to several parties appears once per party).
    pub fn window<'e>(
        &self,
        credits: &'e Credits,
        party: Option<u16>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Slice<'e> {
        let lo = self.rank_from(from);
        let hi = to
            .succ_opt()
            .map_or(self.order.len() as u32, |d| self.rank_from(d));
        match (credits, party) {
            (Credits::Each(lists), Some(p)) => match lists.get(p as usize) {
                Some(rows) => {
                    let start = rows.partition_point(|&r| r < lo);
                    let end = rows.partition_point(|&r| r < hi).max(start);
                    Slice::Party(p, rows, start..end)
                }
                None => Slice::All(&[], None),
            },
            (Credits::All(entries, rows), _) => {
                let start = entries.partition_point(|e| e.row < lo);
                let end = entries.partition_point(|e| e.row < hi).max(start);
                let first = rows.partition_point(|&r| r < lo);
                let last = rows.partition_point(|&r| r < hi).max(first);
                Slice::All(&entries[start..end], Some((rows, first..last)))
            }
            (Credits::Each(_), None) | (Credits::Filling(_), _) => Slice::All(&[], None),
        }
    }
}

impl Sink for Ledger {
    fn withdraw(&mut self, a: &Activity<'_>, id: IdRef) -> bool {
        self.withdrawn.push(id);
        !self.index.targets(a.kind, a.subject).is_empty()
    }

    fn accept(&mut self, a: &Activity<'_>, _row: RowRef, id: IdRef) -> bool {
        let mut stored: Option<u32> = None;
        for t in self.index.targets(a.kind, a.subject) {
            let ix = *stored.get_or_insert_with(|| {
                let ix = self.rows.len() as u32;
                if let Some(v) = a.value {
                    self.values.push((ix, v));
                }
                self.arrived.push(ix, a.date);
                self.rows.push(Stored {
                    party: a.party,
                    kind: a.kind,
                    id,
                });
                ix
            });
            let m = &mut self.matches[t.commitment as usize];
            let credits = match t.role {
                Role::Support => &mut m.support,
                Role::Contrary => &mut m.contrary,
                Role::Revoke => &mut m.revoke,
                Role::CondEstablish => &mut m.cond_establish,
                Role::CondRevoke => &mut m.cond_revoke,
            };
            let partners = if t.reporter_only {
                &[][..]
            } else {
                &a.partners
            };
            match credits {
                Credits::Filling(lists) => {
                    for &p in std::iter::once(&a.party).chain(partners) {
                        if let Some(list) = lists.get_mut(p as usize) {
                            list.push(ix);
                        }
                    }
                }
                Credits::Each(_) => {}
                Credits::All(entries, _) => {
                    entries.extend(
                        std::iter::once(&a.party)
                            .chain(partners)
                            .map(|&party| Entry { row: ix, party }),
                    );
                }
            }
        }
        stored.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_of_kept_rows_spread_over_the_rows_as_they_arrived() {
        // Five rows arrived; 1 and 4 were withdrawn; the kept ones (0, 2, 3) ranked 2, 0, 1.
        let mut rank = vec![2, 0, 1];
        with_gone(&mut rank, &[1, 4]);
        assert_eq!(rank, [2, GONE, 0, 1, GONE]);
        let mut rank = vec![0, 1];
        with_gone(&mut rank, &[0, 1]);
        assert_eq!(rank, [GONE, GONE, 0, 1]);
        let mut rank = vec![7];
        with_gone(&mut rank, &[]);
        assert_eq!(rank, [7]);
    }

    fn rows(days: &[i64]) -> Vec<NaiveDate> {
        let base = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default();
        days.iter()
            .map(|&d| base + chrono::Duration::days(d))
            .collect()
    }

    /// Rows in (day, arrival) order and where each day starts, the plain way.
    fn sorted(rows: &[NaiveDate]) -> (Vec<u32>, Vec<(u64, u32)>) {
        let first = rows.iter().min().copied().unwrap_or_default();
        let day = |d: NaiveDate| u64::try_from((d - first).num_days()).unwrap_or_default();
        let mut keys: Vec<(u64, u32)> = rows
            .iter()
            .enumerate()
            .map(|(i, &r)| (day(r), i as u32))
            .collect();
        keys.sort_unstable();
        let mut starts = Vec::new();
        for (at, &(d, _)) in keys.iter().enumerate() {
            if at == 0 || keys[at - 1].0 != d {
                starts.push((d, at as u32));
            }
        }
        (keys.into_iter().map(|(_, i)| i).collect(), starts)
    }

    #[test]
    fn rows_by_day_are_counted_or_sorted_alike() {
        let close = rows(&[5, 3, 5, 0, 3, 3, 9, 0]);
        // Days far apart relative to the rows: the sorting path.
        let sparse = rows(&[200_000, 3, 70_000, 0, 3]);
        for rows in [close, sparse, rows(&[])] {
            let first = rows.iter().min().copied().unwrap_or_default();
            let day = |d: NaiveDate| u64::try_from((d - first).num_days()).unwrap_or_default();
            assert_eq!(by_day(rows.len(), |i| day(rows[i])), sorted(&rows));
        }
    }

    #[test]
    fn ranks_invert_the_order() {
        for n in [0u32, 1, 2, 7, 1000] {
            let order: Vec<u32> = (0..n).map(|i| (i * 7919 + 3) % n.max(1)).collect();
            let rank = ranks_of(&order);
            assert_eq!(rank.len(), order.len());
            for (r, &i) in order.iter().enumerate() {
                assert_eq!(rank[i as usize], r as u32, "{n} rows");
            }
        }
    }

    #[test]
    fn long_and_short_lists_sort_alike() {
        // A fixed scramble (a multiplicative step modulo a prime) with repeats and GONE ranks.
        let scramble = |n: u32| -> Vec<u32> {
            (0..n)
                .map(|i| match i % 17 {
                    0 => GONE,
                    _ => (i.wrapping_mul(2_654_435_761) % 1_000_003) / 3,
                })
                .collect()
        };
        for n in [0, 5, RADIX_FROM as u32 - 1, RADIX_FROM as u32, 5_000] {
            let mut radix = scramble(n);
            let mut expected = radix.clone();
            expected.sort_unstable();
            sort_ranks(&mut radix);
            assert_eq!(radix, expected, "{n} ranks");
            let mut entries: Vec<Entry> = radix
                .iter()
                .rev()
                .enumerate()
                .map(|(i, &row)| Entry {
                    row,
                    party: (i % 7) as u16,
                })
                .collect();
            let mut expected = entries.clone();
            expected.sort_unstable();
            sort_entries(&mut entries);
            assert_eq!(entries, expected, "{n} entries");
        }
    }

    #[test]
    fn withdrawn_rows_are_found_alike_in_arrival_order_or_any_other() {
        let wanted = [3u32, 7, 8, 20];
        let sorted: Vec<u32> = (0..12).map(|i| i * 2 % 25).collect();
        let shuffled: Vec<u32> = (0..12).map(|i| (i * 7 + 3) % 25).collect();
        assert!(sorted.is_sorted());
        assert!(!shuffled.is_sorted());
        for items in [sorted, shuffled] {
            let walked: Vec<u32> = (0u32..)
                .zip(&items)
                .filter(|(_, k)| wanted.contains(k))
                .map(|(i, _)| i)
                .collect();
            assert!(!walked.is_empty());
            assert_eq!(places_of(&items, |&k| k, &wanted), walked);
        }
    }

    /// Dates walked to from rank to rank are the dates searched for each rank, for ranks in
    /// order and out of it.
    #[test]
    fn dates_walked_to_are_the_dates_searched_for() {
        let engine = crate::run::Engine::load(None).unwrap_or_else(|e| panic!("rules: {e}"));
        let mut ledger = Ledger::new(&engine.catalogue);
        let day = |n| rows(&[n])[0];
        ledger.dates = vec![(day(0), 0), (day(3), 4), (day(4), 9), (day(10), 12)];
        let ranks = [0, 1, 3, 4, 8, 9, 11, 12, 15, 40, 2, 0, 13, 9, 4];
        let walked: Vec<NaiveDate> = ledger.dates_of(&ranks).collect();
        let searched: Vec<NaiveDate> = ranks.iter().map(|&r| ledger.date(r)).collect();
        assert_eq!(walked, searched);
        assert_eq!(walked[..4], [day(0), day(0), day(0), day(3)]);
    }

    #[test]
    fn a_seek_from_the_last_place_finds_what_a_search_of_all_finds() {
        let items: Vec<(u32, ())> = (0..200u32).map(|i| (i * 8 + i % 7, ())).collect();
        let mut from = 0;
        for rank in (0..1700).step_by(5).chain([1700, 5000]) {
            from = seek(&items, from, rank);
            assert_eq!(
                from,
                items.partition_point(|&(r, _)| r < rank),
                "rank {rank}"
            );
        }
        assert_eq!(seek::<()>(&[], 0, 5), 0);
        assert_eq!(seek(&items, items.len(), 5), items.len());
    }
}
