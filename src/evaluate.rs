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
pub use verdict::Window;

use crate::catalogue::{Catalogue, Scope};
use crate::graph::Dag;

/// One party's verdict on one commitment.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Index into `Catalogue::parties`.
    pub party: u16,
    pub status: Status,
    /// Ledger rows behind the verdict.
    pub evidence: Evidence,
    /// Root causes when blocked: the deepest unsatisfied prerequisites.
    pub blocked_by: Vec<String>,
    pub warnings: Vec<String>,
    /// The window the verdict was judged over (none when not applicable).
    pub window: Option<Window>,
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

/// Judge every commitment as of `as_of`, prerequisites before their dependants.
pub fn evaluate(catalogue: &Catalogue, dag: &Dag, ledger: &Ledger, as_of: NaiveDate) -> Evaluation {
    let org = catalogue
        .parties
        .iter()
        .position(|p| p.is_organization())
        .unwrap_or_default() as u16;
    let mut judged: Vec<Option<Judged>> = vec![None; catalogue.commitments.len()];
    let end = as_of.min(catalogue.strategy.end);
    for &ci in &dag.order {
        let c = &catalogue.commitments[ci];
        let m = ledger.matches(ci);
        let mut verdicts = Vec::new();
        let parties: Vec<u16> = match c.scope {
            Scope::Collective => vec![org],
            Scope::EachMember => (0..catalogue.parties.len() as u16)
                .filter(|&p| p != org)
                .collect(),
        };
        for p in parties {
            let party = &catalogue.parties[p as usize];
            let since = match c.scope {
                Scope::Collective => Some(catalogue.strategy.start),
                Scope::EachMember => party.bound_since(&c.binds, end),
            };
            let Some(since) = since.filter(|_| as_of >= catalogue.strategy.start) else {
                verdicts.push(Verdict {
                    party: p,
                    status: Status::NotApplicable,
                    evidence: Evidence::default(),
                    blocked_by: vec![],
                    warnings: vec![],
                    window: None,
                });
                continue;
            };
            let window = Window {
                from: since.max(catalogue.strategy.start),
                to: end,
            };
            if let Some(e) = catalogue.exemption(&party.code, &c.id, end) {
                let warnings = vec![format!("exempt: {}", e.reason)];
                verdicts.push(Verdict {
                    party: p,
                    status: Status::Exempt,
                    evidence: Evidence::default(),
                    blocked_by: vec![],
                    warnings,
                    window: Some(window),
                });
                continue;
            }
            let whose = match c.scope {
                Scope::EachMember => verdict::Whose::Party(p),
                Scope::Collective => verdict::Whose::Everyone { organisation: org },
            };
            let own = verdict::judge(
                &c.test,
                c.due,
                &m.support,
                &m.contrary,
                ledger,
                whose,
                window,
            );
            let mut v = Verdict {
                party: p,
                status: own.status,
                evidence: own.evidence,
                blocked_by: vec![],
                warnings: own.warnings,
                window: Some(window),
            };
            if v.status != Status::Breached {
                let unsatisfied = unsatisfied(catalogue, dag, &judged, ci, p, c.scope);
                if !unsatisfied.is_empty() {
                    if v.status == Status::Met {
                        for (pre, _) in &unsatisfied {
                            v.warnings.push(format!("met before prerequisite {pre}"));
                        }
                    } else {
                        v.status = Status::Blocked;
                        v.blocked_by = unsatisfied
                            .into_iter()
                            .flat_map(|(_, roots)| roots)
                            .collect::<BTreeSet<_>>()
                            .into_iter()
                            .collect();
                    }
                }
            }
            verdicts.push(v);
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

/// The prerequisites of `ci` that `party` cannot yet rely on, each with its root causes.
fn unsatisfied(
    catalogue: &Catalogue,
    dag: &Dag,
    judged: &[Option<Judged>],
    ci: usize,
    party: u16,
    scope: Scope,
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut prereqs: Vec<usize> = dag.prerequisites(ci).collect();
    prereqs.sort_unstable();
    prereqs.dedup();
    for d in prereqs {
        let Some(j) = &judged[d] else { continue };
        let pre = &catalogue.commitments[d];
        let relevant: Vec<&Verdict> = match (pre.scope, scope) {
            (Scope::Collective, _) => j.verdicts.iter().collect(),
            (Scope::EachMember, Scope::EachMember) => {
                j.verdicts.iter().filter(|v| v.party == party).collect()
            }
            (Scope::EachMember, Scope::Collective) => j.verdicts.iter().collect(),
        };
        let failing: Vec<&Verdict> = relevant
            .into_iter()
            .filter(|v| !v.status.satisfies())
            .collect();
        if failing.is_empty() {
            continue;
        }
        let mut roots = BTreeSet::new();
        for v in failing {
            if v.status == Status::Blocked {
                roots.extend(v.blocked_by.iter().cloned());
            } else {
                roots.insert(pre.id.clone());
            }
        }
        out.push((pre.id.clone(), roots.into_iter().collect()));
    }
    out
}
