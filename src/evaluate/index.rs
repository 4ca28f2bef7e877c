//! Which commitments a row can count for, looked up by (kind, subject) instead of trying every
//! rule on every row.

use crate::catalogue::{Catalogue, Selector, Standing, Test};

/// What a matching row means for a commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Counts towards the commitment (evidence rows, or indicator rows of a trend's metric).
    Support,
    /// Breaches it (a `contrary` selector, or anything a `restraint` names).
    Contrary,
    /// Ends the standing status a `status` test establishes.
    Revoke,
    /// Establishes the status its `binds_if` asks of a party.
    CondEstablish,
    /// Ends that status.
    CondRevoke,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub commitment: u32,
    pub role: Role,
    /// Indicator rows count for the reporting party only, not for their partners.
    pub reporter_only: bool,
}

/// A dense table over kinds x (subjects + "any subject").
pub struct Index {
    subjects: usize,
    slots: Vec<Vec<Target>>,
}

impl Index {
    pub fn new(catalogue: &Catalogue) -> Index {
        let v = &catalogue.vocabulary;
        let subjects = v.subjects.len() + 1;
        let mut index = Index {
            subjects,
            slots: vec![Vec::new(); v.kinds.len() * subjects],
        };
        for (i, c) in catalogue.commitments.iter().enumerate() {
            let i = i as u32;
            match &c.test {
                Test::Evidence { selector, .. } => index.add(
                    catalogue,
                    selector,
                    Target {
                        commitment: i,
                        role: Role::Support,
                        reporter_only: false,
                    },
                ),
                Test::Restraint(selector) => index.add(
                    catalogue,
                    selector,
                    Target {
                        commitment: i,
                        role: Role::Contrary,
                        reporter_only: false,
                    },
                ),
                Test::Status(standing) => {
                    index.standing(catalogue, standing, i, Role::Support, Role::Revoke)
                }
                Test::Trend { metric, .. } => {
                    if let (Some(k), Some(s)) = (v.kind("indicator"), v.subject(metric)) {
                        index.slots[k as usize * subjects + s as usize].push(Target {
                            commitment: i,
                            role: Role::Support,
                            reporter_only: true,
                        });
                    }
                }
            }
            if let Some(cond) = &c.binds_if {
                let (est, rev) = (Role::CondEstablish, Role::CondRevoke);
                index.standing(catalogue, &cond.standing, i, est, rev);
            }
            if let Some(selector) = &c.contrary {
                index.add(
                    catalogue,
                    selector,
                    Target {
                        commitment: i,
                        role: Role::Contrary,
                        reporter_only: false,
                    },
                );
            }
        }
        index
    }

    fn standing(
        &mut self,
        catalogue: &Catalogue,
        standing: &Standing,
        commitment: u32,
        establish: Role,
        revoke: Role,
    ) {
        let target = |role| Target {
            commitment,
            role,
            reporter_only: false,
        };
        self.add(catalogue, &standing.establish, target(establish));
        if let Some(r) = &standing.revoke {
            self.add(catalogue, r, target(revoke));
        }
    }

    fn add(&mut self, catalogue: &Catalogue, selector: &Selector, target: Target) {
        let v = &catalogue.vocabulary;
        for k in selector.kinds.iter().filter_map(|k| v.kind(k)) {
            let base = k as usize * self.subjects;
            if selector.subjects.is_empty() {
                self.slots[base + self.subjects - 1].push(target);
            } else {
                for s in selector.subjects.iter().filter_map(|s| v.subject(s)) {
                    self.slots[base + s as usize].push(target);
                }
            }
        }
    }

    /// Every target a row of this kind and subject counts for.
    pub fn targets(&self, kind: u16, subject: Option<u16>) -> impl Iterator<Item = &Target> {
        let base = kind as usize * self.subjects;
        let specific = subject.map(|s| &self.slots[base + s as usize]);
        let any = &self.slots[base + self.subjects - 1];
        specific.into_iter().flatten().chain(any.iter())
    }
}
