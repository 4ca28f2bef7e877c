//! A commitment judged on its own evidence for one party over one window, before its
//! prerequisites are considered.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::ledger::{Credits, Evidence, Ledger, Slice};
use super::status::Status;
use crate::catalogue::{Direction, Per, Test};

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

/// Judge `test` on the entries that fall in `window`.
pub fn judge<'e>(
    test: &Test,
    due: Option<NaiveDate>,
    support: &'e Credits,
    contrary: &'e Credits,
    ledger: &Ledger,
    whose: Whose,
    window: Window,
) -> Own {
    let party = match whose {
        Whose::Party(p) => Some(p),
        Whose::Everyone { .. } => None,
    };
    let pick = |credits: &'e Credits| -> Slice<'e> {
        ledger.window(credits, party, window.from, window.to)
    };
    let breaches = pick(contrary).rows();
    if !breaches.is_empty() {
        return Own {
            status: Status::Breached,
            evidence: breaches,
            warnings: Vec::new(),
        };
    }
    let entries = pick(support);
    let evidence = entries.rows();
    let nothing_yet = |evidence: Evidence| {
        let status = if due.is_some_and(|d| d > window.to) {
            Status::Pending
        } else {
            Status::NotMet
        };
        Own {
            status,
            evidence,
            warnings: Vec::new(),
        }
    };
    match test {
        Test::Restraint(_) => Own {
            status: Status::Met,
            evidence: Evidence::default(),
            warnings: Vec::new(),
        },
        Test::Evidence {
            min,
            per,
            min_parties,
            ..
        } => {
            if evidence.is_empty() {
                return nothing_yet(evidence);
            }
            let min = *min as usize;
            let (enough, reached_on) = match per {
                Per::Period => (
                    evidence.len() >= min,
                    evidence.get(min - 1).map(|r| ledger.date(*r)),
                ),
                Per::Year => (every_year(&evidence, ledger, window, min), None),
            };
            let parties_ok = min_parties.is_none_or(|mp| {
                entries
                    .parties()
                    .into_iter()
                    .filter(|p| whose != Whose::Everyone { organisation: *p })
                    .count()
                    >= mp as usize
            });
            let mut warnings = Vec::new();
            let status = if enough && parties_ok {
                Status::Met
            } else {
                Status::Partial
            };
            if let (Status::Met, Some(due), Some(on)) = (status, due, reached_on) {
                if on > due {
                    warnings.push(format!("met on {on}, after the due date {due}"));
                }
            }
            Own {
                status,
                evidence,
                warnings,
            }
        }
        Test::Trend { direction, .. } => {
            let mut years: BTreeMap<i32, f64> = BTreeMap::new();
            for r in &evidence {
                *years.entry(ledger.date(*r).year()).or_default() += ledger.value(*r);
            }
            let (Some((&y0, &first)), Some((&y1, &last))) =
                (years.first_key_value(), years.last_key_value())
            else {
                return nothing_yet(evidence);
            };
            let status = if y0 == y1 || first == last {
                Status::Partial
            } else if (last > first) == (*direction == Direction::Increase) {
                Status::Met
            } else {
                Status::NotMet
            };
            Own {
                status,
                evidence,
                warnings: Vec::new(),
            }
        }
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
