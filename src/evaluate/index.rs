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

/// A dense table over kinds x (subjects + "any subject"), flat: a slot is a range of one
/// array, and holds the targets of its subject followed by those of its kind with any subject,
/// so that a row's lookup reads one small offset and one run of targets. Every row of a run is
/// looked up on the thread that fills the ledger, whose other data keep pushing a table of
/// separately allocated lists out of the cache.
pub struct Index {
    subjects: usize,
    /// Where each slot's targets start in `targets`, and where the last ends.
    starts: Vec<u32>,
    targets: Vec<Target>,
}

/// The table while it is built: a list per slot, the any-subject targets not yet copied.
struct Slots {
    subjects: usize,
    slots: Vec<Vec<Target>>,
}

impl Index {
    pub fn new(catalogue: &Catalogue) -> Index {
        Slots::new(catalogue).flatten()
    }

    /// Every target a row of this kind and subject counts for.
    pub fn targets(&self, kind: u16, subject: Option<u16>) -> &[Target] {
        let slot = slot(self.subjects, kind, subject);
        let (Some(&start), Some(&end)) = (self.starts.get(slot), self.starts.get(slot + 1)) else {
            return &[];
        };
        self.targets
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

/// The slot of a kind and a subject, or of the kind with any subject.
fn slot(subjects: usize, kind: u16, subject: Option<u16>) -> usize {
    let column = subject.map_or(subjects - 1, usize::from);
    kind as usize * subjects + column
}

impl Slots {
    fn new(catalogue: &Catalogue) -> Slots {
        let v = &catalogue.vocabulary;
        let subjects = v.subjects.len() + 1;
        let mut index = Slots {
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

    fn flatten(self) -> Index {
        let subjects = self.subjects;
        let mut starts = Vec::with_capacity(self.slots.len() + 1);
        let mut targets = Vec::new();
        for kind in self.slots.chunks(subjects) {
            let any = kind.last().map_or(&[][..], Vec::as_slice);
            for (column, specific) in kind.iter().enumerate() {
                starts.push(targets.len() as u32);
                if column + 1 < subjects {
                    targets.extend_from_slice(specific);
                }
                targets.extend_from_slice(any);
            }
        }
        starts.push(targets.len() as u32);
        Index {
            subjects,
            starts,
            targets,
        }
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

    fn slot(&self, kind: u16, subject: Option<u16>) -> usize {
        slot(self.subjects, kind, subject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{load, RuleFiles};

    /// The flat table gives, for every kind and subject, what the lists it is built from give:
    /// the subject's targets, then the kind's any-subject ones.
    #[test]
    fn a_slot_holds_its_subject_then_its_kind() -> Result<(), Box<dyn std::error::Error>> {
        let (catalogue, _) = load(&RuleFiles::bundled())?;
        let v = &catalogue.vocabulary;
        let lists = Slots::new(&catalogue);
        let index = Index::new(&catalogue);
        let (mut specific, mut any) = (0, 0);
        for kind in 0..v.kinds.len() as u16 {
            let of_kind = &lists.slots[lists.slot(kind, None)];
            assert_eq!(index.targets(kind, None), of_kind.as_slice());
            any += of_kind.len();
            for subject in 0..v.subjects.len() as u16 {
                let own = &lists.slots[lists.slot(kind, Some(subject))];
                let expected: Vec<Target> = own.iter().chain(of_kind).copied().collect();
                assert_eq!(index.targets(kind, Some(subject)), expected.as_slice());
                specific += own.len();
            }
        }
        assert!(specific > 0 && any > 0, "{specific} {any}");
        assert_eq!(index.targets(v.kinds.len() as u16, None), &[]);
        assert_eq!(index.targets(u16::MAX, Some(u16::MAX)), &[]);
        Ok(())
    }
}
