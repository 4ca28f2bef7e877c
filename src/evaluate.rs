//! Verdicts: every commitment for every party it binds, as of a date, from the ledger of one
//! pass over the activities.

mod index;
mod ledger;
mod status;
mod verdict;

use std::collections::BTreeSet;

use chrono::NaiveDate;

pub use index::Index;
pub use ledger::{Evidence, Ledger};
pub use status::{Score, Status};
pub use verdict::{standing, Standing, Window};

use crate::assessment::Assessments;
use crate::catalogue::{Catalogue, Scope};
use crate::graph::Dag;

/// One party's verdict on one commitment.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Index into `Catalogue::parties`.
    pub party: u16,
    /// The verdict: the analyst's where an assessment applies, else the computed one.
    pub status: Status,
    /// Ledger rows behind the verdict.
    pub evidence: Evidence,
    /// Root causes when blocked: the deepest unsatisfied prerequisites.
    pub blocked_by: Vec<String>,
    pub warnings: Vec<String>,
    /// What the verdict rests on beyond a count of rows: why it does not apply, which status
    /// event holds, which panel a trend compared, which prerequisite group failed.
    pub reasons: Vec<String>,
    /// The window the verdict was judged over (none when not applicable).
    pub window: Option<Window>,
    /// Where an analyst adjudicated: the verdict the engine computed.
    pub computed: Option<Status>,
    /// Index into the run's assessments.
    pub assessment: Option<usize>,
}

impl Verdict {
    fn new(party: u16, status: Status, window: Option<Window>) -> Verdict {
        Verdict {
            party,
            status,
            evidence: Evidence::default(),
            blocked_by: Vec::new(),
            warnings: Vec::new(),
            reasons: Vec::new(),
            window,
            computed: None,
            assessment: None,
        }
    }
}

/// All verdicts on one commitment.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    /// Index into `Catalogue::commitments`.
    pub commitment: usize,
    pub verdicts: Vec<Verdict>,
}

#[derive(Debug, Clone)]
pub struct Evaluation {
    pub as_of: NaiveDate,
    /// Parallel to `Catalogue::commitments`.
    pub commitments: Vec<Judged>,
}

impl Evaluation {
    pub fn verdict(&self, commitment: usize, party: u16) -> Option<&Verdict> {
        self.commitments
            .get(commitment)?
            .verdicts
            .iter()
            .find(|v| v.party == party)
    }
}

/// Judge every commitment as of `as_of`, prerequisites before their dependants; an analyst's
/// assessment replaces the computed verdict, before dependants read it.
pub fn evaluate(
    catalogue: &Catalogue,
    dag: &Dag,
    ledger: &Ledger,
    assessments: &Assessments,
    as_of: NaiveDate,
) -> Evaluation {
    let org = catalogue
        .parties
        .iter()
        .position(|p| p.is_organization())
        .unwrap_or_default() as u16;
    let mut judged: Vec<Option<Judged>> = vec![None; catalogue.commitments.len()];
    let end = as_of.min(catalogue.strategy.end);
    for &ci in &dag.order {
        let c = &catalogue.commitments[ci];
        let parties: Vec<u16> = match c.scope {
            Scope::Collective => vec![org],
            Scope::EachMember => (0..catalogue.parties.len() as u16)
                .filter(|&p| p != org)
                .collect(),
        };
        let cx = Cx {
            catalogue,
            ledger,
            judged: &judged,
            org,
            end,
            as_of,
        };
        let mut verdicts: Vec<Verdict> = parties.into_iter().map(|p| cx.verdict(ci, p)).collect();
        for v in &mut verdicts {
            if let Some(i) = assessments
                .items
                .iter()
                .position(|a| Some(a) == assessments.find(ci, v.party, as_of))
            {
                v.computed = Some(v.status);
                v.status = assessments.items[i].status;
                v.assessment = Some(i);
            }
        }
        judged[ci] = Some(Judged {
            commitment: ci,
            verdicts,
        });
    }
    let commitments = judged
        .into_iter()
        .enumerate()
        .map(|(ci, j)| {
            j.unwrap_or(Judged {
                commitment: ci,
                verdicts: vec![],
            })
        })
        .collect();
    Evaluation { as_of, commitments }
}

/// What judging one commitment for one party reads.
struct Cx<'a> {
    catalogue: &'a Catalogue,
    ledger: &'a Ledger,
    /// The verdicts of the commitments judged so far: every prerequisite's.
    judged: &'a [Option<Judged>],
    org: u16,
    /// The last day judged: the as-of date, or the strategy's end if that comes first.
    end: NaiveDate,
    as_of: NaiveDate,
}

impl Cx<'_> {
    fn verdict(&self, ci: usize, p: u16) -> Verdict {
        let (catalogue, ledger) = (self.catalogue, self.ledger);
        let c = &catalogue.commitments[ci];
        let party = &catalogue.parties[p as usize];
        let since = match c.scope {
            Scope::Collective => Some(catalogue.strategy.start),
            Scope::EachMember => party.bound_since(&c.binds, self.end),
        };
        let Some(since) = since.filter(|_| self.as_of >= catalogue.strategy.start) else {
            return Verdict::new(p, Status::NotApplicable, None);
        };
        let mut window = Window {
            from: since.max(catalogue.strategy.start),
            to: self.end,
        };
        let m = ledger.matches(ci);
        let mut reasons = Vec::new();
        if let Some(cond) = &c.binds_if {
            let held = standing(&m.cond_establish, &m.cond_revoke, ledger, Some(p), self.end);
            let Standing::Held(by) = held else {
                let mut v = Verdict::new(p, Status::NotApplicable, None);
                v.reasons.push(format!(
                    "not bound: binds only parties holding {} ({})",
                    cond.describe(),
                    held.describe(ledger)
                ));
                return v;
            };
            window.from = window.from.max(ledger.date(by));
            reasons.push(format!(
                "bound as a holder of {}: {}",
                cond.describe(),
                held.describe(ledger)
            ));
        }
        if let Some(e) = catalogue.exemption(&party.code, &c.id, self.end) {
            let mut v = Verdict::new(p, Status::Exempt, Some(window));
            v.warnings.push(format!("exempt: {}", e.reason));
            return v;
        }
        let due = match c.scope {
            Scope::EachMember => c.due_for(since),
            Scope::Collective => c.due,
        };
        // Said only where the grace period moves a deadline that falls within the window.
        if let (Some(g), Some(d)) = (c.grace, due) {
            if c.due != Some(d) && d > catalogue.strategy.start {
                reasons.push(match c.due {
                    Some(rule) => format!(
                        "due {d}, {g} after becoming bound on {since}: later than the rule's {rule}"
                    ),
                    None => format!("due {d}, {g} after becoming bound on {since}"),
                });
            }
        }
        let whose = match c.scope {
            Scope::EachMember => verdict::Whose::Party(p),
            Scope::Collective => verdict::Whose::Everyone {
                organisation: self.org,
            },
        };
        let own = verdict::judge(&c.test, due, m, ledger, whose, window);
        reasons.extend(own.reasons);
        let mut v = Verdict {
            evidence: own.evidence,
            warnings: own.warnings,
            reasons,
            ..Verdict::new(p, own.status, Some(window))
        };
        if v.status != Status::Breached {
            let unsatisfied = self.unsatisfied(ci, p);
            if !unsatisfied.is_empty() {
                if v.status == Status::Met {
                    for (pre, _) in &unsatisfied {
                        v.warnings.push(format!("met before prerequisite {pre}"));
                    }
                } else {
                    v.status = Status::Blocked;
                    for (pre, _) in unsatisfied.iter().filter(|(pre, _)| pre.contains(' ')) {
                        v.reasons.push(format!("blocked: {pre} is satisfied"));
                    }
                    v.blocked_by = unsatisfied
                        .into_iter()
                        .flat_map(|(_, roots)| roots)
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect();
                }
            }
        }
        v
    }

    /// The prerequisite groups of `ci` that `party` cannot yet rely on, each named (`X`, or
    /// `none of X, Y` for a group of alternatives) with its root causes.
    fn unsatisfied(&self, ci: usize, party: u16) -> Vec<(String, Vec<String>)> {
        let c = &self.catalogue.commitments[ci];
        let mut out = Vec::new();
        for group in &c.requires {
            let failing: Vec<Vec<String>> = group
                .iter()
                .filter_map(|id| self.catalogue.commitment_index(id))
                .map(|d| self.roots(d, party, c.scope))
                .collect();
            if failing.iter().any(Vec::is_empty) || failing.is_empty() {
                continue;
            }
            let name = match group.as_slice() {
                [one] => one.clone(),
                many => format!("none of {}", many.join(", ")),
            };
            let roots: BTreeSet<String> = failing.into_iter().flatten().collect();
            out.push((name, roots.into_iter().collect()));
        }
        out.sort();
        out
    }

    /// Why prerequisite `d` does not hold for `party`: its root causes, none when it holds.
    fn roots(&self, d: usize, party: u16, scope: Scope) -> Vec<String> {
        let Some(j) = &self.judged[d] else {
            return Vec::new();
        };
        let pre = &self.catalogue.commitments[d];
        let relevant = j.verdicts.iter().filter(|v| match (pre.scope, scope) {
            (Scope::EachMember, Scope::EachMember) => v.party == party,
            _ => true,
        });
        let mut roots = BTreeSet::new();
        for v in relevant.filter(|v| !v.status.satisfies()) {
            if v.status == Status::Blocked {
                roots.extend(v.blocked_by.iter().cloned());
            } else {
                roots.insert(pre.id.clone());
            }
        }
        roots.into_iter().collect()
    }
}
