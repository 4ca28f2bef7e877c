//! A commitment judged on its own evidence for one party over one window, before its
//! prerequisites are considered.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};

use super::ledger::{Credits, Evidence, Ledger, Matches, Slice};
use super::status::Status;
use crate::catalogue::{Aggregate, Direction, Panel, Per, Test};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// The verdict on the commitment's own evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Own {
    pub status: Status,
    /// Ledger rows behind the verdict, in (date, id) order, without repeats.
    pub evidence: Evidence,
    pub warnings: Vec<String>,
    /// What the verdict rests on beyond a count: the status event that holds, the panel compared.
    pub reasons: Vec<String>,
}

impl Own {
    fn new(status: Status, evidence: Evidence) -> Own {
        Own {
            status,
            evidence,
            warnings: Vec::new(),
            reasons: Vec::new(),
        }
    }

    fn because(mut self, reason: String) -> Own {
        self.reasons.push(reason);
        self
    }
}

/// Whose entries a verdict reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// One party's (each-member).
    Party(u16),
    /// Everyone's (collective); the organisation's own entries do not count towards
    /// `min_parties`, which counts states taking part.
    Everyone { organisation: u16 },
}

impl Whose {
    fn party(self) -> Option<u16> {
        match self {
            Whose::Party(p) => Some(p),
            Whose::Everyone { .. } => None,
        }
    }
}

/// A standing status as of a date, from its establishing and revoking rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Established by this row (the latest) and not revoked since.
    Held(u32),
    /// Established by the first row, revoked by the second on or after it.
    Revoked(u32, u32),
    /// No establishing row; the revoking row, if any.
    Never(Option<u32>),
}

/// The status held on `to`, reading every row up to it: before the strategy's window and
/// before the party's membership too.
pub fn standing(
    establish: &Credits,
    revoke: &Credits,
    ledger: &Ledger,
    party: Option<u16>,
    to: NaiveDate,
) -> Standing {
    let last = |credits: &Credits| {
        ledger
            .window(credits, party, NaiveDate::MIN, to)
            .rows()
            .last()
            .copied()
    };
    match (last(establish), last(revoke)) {
        (None, r) => Standing::Never(r),
        (Some(e), Some(r)) if ledger.date(r) >= ledger.date(e) => Standing::Revoked(e, r),
        (Some(e), _) => Standing::Held(e),
    }
}

impl Standing {
    /// The standing in words, citing its rows by id and date.
    pub fn describe(&self, ledger: &Ledger) -> String {
        let row = |r: u32| format!("{} on {}", ledger.id(r), ledger.date(r));
        match *self {
            Standing::Held(e) => format!("established by {}", row(e)),
            Standing::Revoked(e, r) => {
                format!("established by {}, revoked by {}", row(e), row(r))
            }
            Standing::Never(None) => "no establishing event on record".to_string(),
            Standing::Never(Some(r)) => {
                format!("revoked by {} with no establishing event on record", row(r))
            }
        }
    }
}

/// Judge `test` on the entries that fall in `window`.
pub fn judge(
    test: &Test,
    due: Option<NaiveDate>,
    m: &Matches,
    ledger: &Ledger,
    whose: Whose,
    window: Window,
) -> Own {
    let case = Case {
        ledger,
        whose,
        window,
        due,
    };
    let pick = |credits| ledger.window(credits, whose.party(), window.from, window.to);
    let breaches = pick(&m.contrary).rows();
    if !breaches.is_empty() {
        return Own::new(Status::Breached, breaches);
    }
    match test {
        Test::Restraint(_) => Own::new(Status::Met, Evidence::default()),
        Test::Status(_) => case.standing(m),
        Test::Evidence {
            min,
            per,
            min_parties,
            sco_body,
            ..
        } => {
            let quota = Quota {
                min: *min,
                per: *per,
                min_parties: *min_parties,
                sco_body: *sco_body,
            };
            case.evidence(&pick(&m.support), quota)
        }
        Test::Trend {
            direction,
            aggregate,
            panel,
            ..
        } => trend(
            &pick(&m.support).rows(),
            ledger,
            whose,
            *direction,
            *aggregate,
            *panel,
        )
        .unwrap_or_else(|| case.nothing_yet(Evidence::default())),
    }
}

/// What a test is judged against: the ledger, whose entries, the window and the due date.
struct Case<'l> {
    ledger: &'l Ledger,
    whose: Whose,
    window: Window,
    due: Option<NaiveDate>,
}

/// How much evidence an evidence test asks for.
#[derive(Clone, Copy)]
struct Quota {
    min: u32,
    per: Per,
    min_parties: Option<u32>,
    sco_body: bool,
}

impl Case<'_> {
    /// Nothing counts yet: pending while the due date is ahead, not met once it has passed.
    fn nothing_yet(&self, evidence: Evidence) -> Own {
        let status = if self.due.is_some_and(|d| d > self.window.to) {
            Status::Pending
        } else {
            Status::NotMet
        };
        Own::new(status, evidence)
    }

    /// A `status` test: met while the standing is held at the end of the window.
    fn standing(&self, m: &Matches) -> Own {
        let ledger = self.ledger;
        let held = standing(
            &m.support,
            &m.revoke,
            ledger,
            self.whose.party(),
            self.window.to,
        );
        let why = held.describe(ledger);
        match held {
            Standing::Held(e) => Own::new(Status::Met, vec![e].into()).because(why),
            Standing::Revoked(e, r) => Own::new(Status::NotMet, vec![e, r].into()).because(why),
            Standing::Never(r) => {
                let own = self.nothing_yet(r.into_iter().collect::<Vec<u32>>().into());
                if r.is_some() {
                    own.because(why)
                } else {
                    own
                }
            }
        }
    }

    /// An evidence test: met with enough rows (in the period or in every year) from enough
    /// parties, partial with fewer; a warning when it was met after its due date.
    fn evidence(&self, entries: &Slice<'_>, quota: Quota) -> Own {
        let ledger = self.ledger;
        let organisation = match self.whose {
            Whose::Everyone { organisation } => Some(organisation),
            Whose::Party(_) => None,
        };
        let body_only = quota.sco_body && quota.min_parties.is_none();
        let evidence = match organisation {
            Some(org) if body_only => entries.rows_of(org),
            _ => entries.rows(),
        };
        if evidence.is_empty() {
            return self.nothing_yet(evidence);
        }
        let min = quota.min as usize;
        let (enough, reached_on) = match quota.per {
            Per::Period => (
                evidence.len() >= min,
                evidence.get(min - 1).map(|r| ledger.date(*r)),
            ),
            Per::Year => (every_year(&evidence, ledger, self.window, min), None),
        };
        let parties_ok = parties_ok(entries, organisation, quota.min_parties, quota.sco_body);
        let status = if enough && parties_ok {
            Status::Met
        } else {
            Status::Partial
        };
        let mut own = Own::new(status, evidence);
        if let (Status::Met, Some(due), Some(on)) = (status, self.due, reached_on) {
            if on > due {
                own.warnings
                    .push(format!("met on {on}, after the due date {due}"));
            }
        }
        own
    }
}

/// Whether enough distinct states took part; with `sco_body`, a row of the organisation
/// stands for them.
fn parties_ok(
    entries: &Slice<'_>,
    organisation: Option<u16>,
    min_parties: Option<u32>,
    sco_body: bool,
) -> bool {
    let Some(mp) = min_parties else {
        return true;
    };
    let parties = entries.parties();
    let by_body = sco_body && organisation.is_some_and(|o| parties.contains(&o));
    let states = parties.iter().filter(|p| Some(**p) != organisation).count();
    by_body || states >= mp as usize
}

/// The first and last year with data compared; `None` when there is no data.
fn trend(
    rows: &Evidence,
    ledger: &Ledger,
    whose: Whose,
    direction: Direction,
    aggregate: Aggregate,
    panel: Panel,
) -> Option<Own> {
    let years = values_by_year(rows, ledger);
    let (&y0, first) = years.first_key_value()?;
    let (&y1, last) = years.last_key_value()?;
    let collective = matches!(whose, Whose::Everyone { .. });
    // Only a collective verdict over a constant panel leaves parties out of the comparison.
    let constant = collective && panel == Panel::Constant;
    let parties: BTreeSet<u16> = if constant {
        first
            .keys()
            .filter(|p| last.contains_key(p))
            .copied()
            .collect()
    } else {
        first.keys().chain(last.keys()).copied().collect()
    };
    let value = |year: &BTreeMap<u16, f64>| {
        aggregate_year(year, aggregate, |p| !constant || parties.contains(p))
    };
    let in_panel = |r: &u32| {
        let (y, p) = (ledger.date(*r).year(), ledger.party(*r));
        !constant || ((y == y0 || y == y1) && parties.contains(&p))
    };
    let evidence: Evidence = rows
        .iter()
        .copied()
        .filter(in_panel)
        .collect::<Vec<u32>>()
        .into();
    let comparison = Comparison {
        first: (y0, value(first)),
        last: (y1, value(last)),
        parties: &parties,
    };
    let mut own = Own::new(comparison.status(direction), evidence);
    if collective && (panel == Panel::Constant || aggregate == Aggregate::Mean) {
        own.reasons
            .push(comparison.reason(aggregate, panel, ledger));
    }
    Some(own)
}

/// How many evidence rows ahead a trend's ledger rows are asked of memory.
const ROWS_AHEAD: usize = 16;

/// Each year's values, summed by party. A row's party is read from a ledger row far from the
/// last one read: those are asked of memory [`ROWS_AHEAD`] rows ahead of need.
fn values_by_year(rows: &Evidence, ledger: &Ledger) -> BTreeMap<i32, BTreeMap<u16, f64>> {
    let mut years: BTreeMap<i32, BTreeMap<u16, f64>> = BTreeMap::new();
    for &r in rows.iter().take(ROWS_AHEAD) {
        ledger.prefetch_row(r);
    }
    let dated = rows.iter().zip(ledger.dates_of(rows));
    for (i, ((&r, date), value)) in dated.zip(ledger.values(rows)).enumerate() {
        if let Some(&ahead) = rows.get(i + ROWS_AHEAD) {
            ledger.prefetch_row(ahead);
        }
        let year = years.entry(date.year()).or_default();
        *year.entry(ledger.party(r)).or_default() += value;
    }
    years
}

/// One year's value: the sum or the mean over the parties `counted` keeps.
fn aggregate_year(
    year: &BTreeMap<u16, f64>,
    aggregate: Aggregate,
    counted: impl Fn(&u16) -> bool,
) -> f64 {
    let values: Vec<f64> = year
        .iter()
        .filter(|(p, _)| counted(p))
        .map(|(_, v)| *v)
        .collect();
    let sum: f64 = values.iter().sum();
    match aggregate {
        Aggregate::Sum => sum,
        Aggregate::Mean if values.is_empty() => 0.0,
        Aggregate::Mean => sum / values.len() as f64,
    }
}

/// The first and the last year with data, each with its value, and the parties compared.
struct Comparison<'p> {
    first: (i32, f64),
    last: (i32, f64),
    parties: &'p BTreeSet<u16>,
}

impl Comparison<'_> {
    /// Met when the value moved the wanted way, not met when it moved the other; partial when
    /// there is nothing to compare or it did not move.
    fn status(&self, direction: Direction) -> Status {
        let ((y0, a), (y1, b)) = (self.first, self.last);
        if y0 == y1 || a == b || self.parties.is_empty() {
            Status::Partial
        } else if (b > a) == (direction == Direction::Increase) {
            Status::Met
        } else {
            Status::NotMet
        }
    }

    /// What was compared, for a collective verdict whose panel or mean needs saying.
    fn reason(&self, aggregate: Aggregate, panel: Panel, ledger: &Ledger) -> String {
        let ((y0, a), (y1, b)) = (self.first, self.last);
        let how = match aggregate {
            Aggregate::Sum => "sum",
            Aggregate::Mean => "mean",
        };
        let who: Vec<&str> = self.parties.iter().map(|&p| ledger.party_code(p)).collect();
        if y0 == y1 {
            format!("only {y0} has data: nothing to compare")
        } else if self.parties.is_empty() {
            format!("no party has data in both {y0} and {y1}")
        } else {
            format!(
                "{how} {y0} {} -> {y1} {} over {} part{} with data in {}: {}",
                fmt_value(a),
                fmt_value(b),
                self.parties.len(),
                if self.parties.len() == 1 { "y" } else { "ies" },
                if panel == Panel::Constant {
                    "both years"
                } else {
                    "either year"
                },
                who.join(", ")
            )
        }
    }
}

/// A value for a sentence: whole numbers without decimals, others to four significant places.
fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.4}")
    }
}

/// Every calendar year of the window reaches `min`; a year still running at the window's end
/// counts only once it already has. Evidence is in date order, so a year's rows are one run
/// found by binary search.
fn every_year(evidence: &[u32], ledger: &Ledger, window: Window, min: usize) -> bool {
    let last = window.to.year();
    let running = NaiveDate::from_ymd_opt(last, 12, 31).is_some_and(|end| window.to < end);
    let starts = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1).map_or(evidence.len(), |d| {
            let rank = ledger.rank_from(d);
            evidence.partition_point(|&r| r < rank)
        })
    };
    let mut required = 0;
    for y in window.from.year()..=last {
        let n = starts(y + 1) - starts(y);
        if y == last && running && n < min {
            continue;
        }
        if n < min {
            return false;
        }
        required += 1;
    }
    required > 0
}
