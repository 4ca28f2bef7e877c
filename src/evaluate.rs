//! Verdicts: every commitment for every party it binds, as of a date, from the ledger of one
//! pass over the activities.

mod arrivals;
mod index;
mod ledger;
mod status;
mod verdict;

use std::collections::BTreeSet;

use chrono::NaiveDate;

pub use index::Index;
use ledger::Matches;
pub use ledger::{Evidence, Ledger};
pub use status::{Score, Status};
pub use verdict::{standing, Standing, Window};

use crate::assessment::Assessments;
use crate::catalogue::{Catalogue, Commitment, Condition, Scope};
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

    /// Blocked by the unsatisfied prerequisite groups: a group of alternatives is named in a
    /// reason, as its root causes alone would not say that any one of them would do.
    fn block(&mut self, unsatisfied: Vec<(String, Vec<String>)>) {
        self.status = Status::Blocked;
        for (pre, _) in unsatisfied.iter().filter(|(pre, _)| pre.contains(' ')) {
            self.reasons.push(format!("blocked: {pre} is satisfied"));
        }
        self.blocked_by = unsatisfied
            .into_iter()
            .flat_map(|(_, roots)| roots)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
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

/// The deadline: for an each-member commitment, moved by the grace period from the day the
/// party became bound.
fn due(c: &Commitment, since: NaiveDate) -> Option<NaiveDate> {
    match c.scope {
        Scope::EachMember => c.due_for(since),
        Scope::Collective => c.due,
    }
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
    /// One party's verdict on commitment `ci`, step by step: each step may settle it early, so
    /// the order is the order in which one condition overrides the next.
    fn verdict(&self, ci: usize, p: u16) -> Verdict {
        let c = &self.catalogue.commitments[ci];
        let Some(since) = self.bound_since(c, p) else {
            return Verdict::new(p, Status::NotApplicable, None);
        };
        let mut window = Window {
            from: since.max(self.catalogue.strategy.start),
            to: self.end,
        };
        let m = self.ledger.matches(ci);
        let mut reasons = Vec::new();
        if let Some(cond) = &c.binds_if {
            match self.holding(cond, m, p) {
                Ok((from, reason)) => {
                    window.from = window.from.max(from);
                    reasons.push(reason);
                }
                Err(not_bound) => {
                    return Verdict {
                        reasons: vec![not_bound],
                        ..Verdict::new(p, Status::NotApplicable, None)
                    }
                }
            }
        }
        if let Some(exempt) = self.exempt(c, p, window) {
            return exempt;
        }
        let due = due(c, since);
        reasons.extend(self.grace_reason(c, due, since));
        let own = verdict::judge(&c.test, due, m, self.ledger, self.whose(c, p), window);
        reasons.extend(own.reasons);
        let mut v = Verdict {
            evidence: own.evidence,
            warnings: own.warnings,
            reasons,
            ..Verdict::new(p, own.status, Some(window))
        };
        self.weigh_prerequisites(ci, &mut v);
        v
    }

    /// The day `p` entered the unbroken run of being bound by `c` that holds at the end (a
    /// collective commitment binds from the strategy's start); none before the strategy starts,
    /// when there is nothing to judge.
    fn bound_since(&self, c: &Commitment, p: u16) -> Option<NaiveDate> {
        let start = self.catalogue.strategy.start;
        let since = match c.scope {
            Scope::Collective => Some(start),
            Scope::EachMember => self.catalogue.parties[p as usize].bound_since(&c.binds, self.end),
        };
        since.filter(|_| self.as_of >= start)
    }

    /// A `binds_if` status binds `p` only from the day it took hold: that day with the sentence
    /// saying so, or, when `p` does not hold it, the sentence saying why it is not bound.
    fn holding(
        &self,
        cond: &Condition,
        m: &Matches,
        p: u16,
    ) -> Result<(NaiveDate, String), String> {
        let ledger = self.ledger;
        let held = standing(&m.cond_establish, &m.cond_revoke, ledger, Some(p), self.end);
        let Standing::Held(by) = held else {
            return Err(format!(
                "not bound: binds only parties holding {} ({})",
                cond.describe(),
                held.describe(ledger)
            ));
        };
        let reason = format!(
            "bound as a holder of {}: {}",
            cond.describe(),
            held.describe(ledger)
        );
        Ok((ledger.date(by), reason))
    }

    /// An exemption in force at the end of the window settles the verdict whatever the
    /// evidence; its reason is kept as a warning so that it is never silent.
    fn exempt(&self, c: &Commitment, p: u16, window: Window) -> Option<Verdict> {
        let party = &self.catalogue.parties[p as usize];
        let e = self.catalogue.exemption(&party.code, &c.id, self.end)?;
        let mut v = Verdict::new(p, Status::Exempt, Some(window));
        v.warnings.push(format!("exempt: {}", e.reason));
        Some(v)
    }

    /// Said only where the grace period moves a deadline that falls within the window.
    fn grace_reason(
        &self,
        c: &Commitment,
        due: Option<NaiveDate>,
        since: NaiveDate,
    ) -> Option<String> {
        let (Some(g), Some(d)) = (c.grace, due) else {
            return None;
        };
        if c.due == Some(d) || d <= self.catalogue.strategy.start {
            return None;
        }
        let later = c
            .due
            .map(|rule| format!(": later than the rule's {rule}"))
            .unwrap_or_default();
        Some(format!(
            "due {d}, {g} after becoming bound on {since}{later}"
        ))
    }

    /// An each-member commitment reads the party's own entries; a collective one everyone's.
    fn whose(&self, c: &Commitment, p: u16) -> verdict::Whose {
        match c.scope {
            Scope::EachMember => verdict::Whose::Party(p),
            Scope::Collective => verdict::Whose::Everyone {
                organisation: self.org,
            },
        }
    }

    /// Prerequisites cannot undo a breach; a verdict met before them stands with a warning for
    /// each, and any other waits on them: blocked by their root causes.
    fn weigh_prerequisites(&self, ci: usize, v: &mut Verdict) {
        if v.status == Status::Breached {
            return;
        }
        let unsatisfied = self.unsatisfied(ci, v.party);
        if unsatisfied.is_empty() {
            return;
        }
        if v.status == Status::Met {
            for (pre, _) in &unsatisfied {
                v.warnings.push(format!("met before prerequisite {pre}"));
            }
        } else {
            v.block(unsatisfied);
        }
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
