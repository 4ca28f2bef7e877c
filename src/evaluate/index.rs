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

impl Target {
    /// A target for the rows of any party, reporter or partner.
    fn any_party(commitment: u32, role: Role) -> Target {
        Target {
            commitment,
            role,
            reporter_only: false,
        }
    }
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
                Test::Evidence { selector, .. } => {
                    index.add(catalogue, selector, Target::any_party(i, Role::Support))
                }
                Test::Restraint(selector) => {
                    index.add(catalogue, selector, Target::any_party(i, Role::Contrary))
                }
                Test::Status(standing) => {
                    index.standing(catalogue, standing, i, Role::Support, Role::Revoke)
                }
                Test::Trend { metric, .. } => {
                    if let (Some(k), Some(s)) = (v.kind("indicator"), v.subject(metric)) {
                        let slot = index.slot(k, Some(s));
                        index.slots[slot].push(Target {
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
                index.add(catalogue, selector, Target::any_party(i, Role::Contrary));
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
        let establish = Target::any_party(commitment, establish);
        self.add(catalogue, &standing.establish, establish);
        if let Some(r) = &standing.revoke {
            self.add(catalogue, r, Target::any_party(commitment, revoke));
        }
    }

    fn add(&mut self, catalogue: &Catalogue, selector: &Selector, target: Target) {
        let v = &catalogue.vocabulary;
        for k in selector.kinds.iter().filter_map(|k| v.kind(k)) {
            if selector.subjects.is_empty() {
                let slot = self.slot(k, None);
                self.slots[slot].push(target);
            } else {
                for s in selector.subjects.iter().filter_map(|s| v.subject(s)) {
                    let slot = self.slot(k, Some(s));
                    self.slots[slot].push(target);
                }
            }
        }
    }

    /// The slot of a kind and a subject, or of the kind with any subject.
    fn slot(&self, kind: u16, subject: Option<u16>) -> usize {
        let column = subject.map_or(self.subjects - 1, usize::from);
        kind as usize * self.subjects + column
    }

    /// Every target a row of this kind and subject counts for.
    pub fn targets(&self, kind: u16, subject: Option<u16>) -> impl Iterator<Item = &Target> {
        let specific = subject.map(|s| &self.slots[self.slot(kind, Some(s))]);
        let any = &self.slots[self.slot(kind, None)];
        specific.into_iter().flatten().chain(any.iter())
    }
}
