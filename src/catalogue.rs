//! The rule catalogue: the strategy, its parties, the vocabulary officers report in, and the
//! commitments with their tests. [`load`] reads and checks a rules directory in one go.

mod err;
mod files;
mod load;
pub mod schema;
pub mod source;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

pub use err::{Loc, RuleError, RuleErrorKind, RuleErrors};
pub use files::RuleFiles;
pub use load::load;
pub use schema::{Direction, Per, RoleName, Scope};

/// The code of the party that stands for the organisation itself.
pub const ORGANIZATION: &str = "SCO";

#[derive(Debug, Clone)]
pub struct Catalogue {
    pub strategy: Strategy,
    /// Sorted by code.
    pub parties: Vec<Party>,
    pub vocabulary: Vocabulary,
    /// In file order.
    pub chapters: Vec<Chapter>,
    /// Sorted by id.
    pub commitments: Vec<Commitment>,
    pub exemptions: Vec<Exemption>,
    pub uncovered: Vec<Uncovered>,
    /// Every file of the rules directory with its digest, sorted by path.
    pub files: Vec<FileDigest>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileDigest {
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone)]
pub struct Strategy {
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub source_path: String,
    pub source_text: String,
}

#[derive(Debug, Clone)]
pub struct Party {
    pub code: String,
    pub name: String,
    /// Sorted by start, not overlapping.
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Copy)]
pub struct Role {
    pub role: RoleName,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Role {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

impl Party {
    pub fn role_at(&self, date: NaiveDate) -> Option<&Role> {
        self.roles.iter().find(|r| r.covers(date))
    }

    /// The day the party entered the unbroken run of `bound` roles that holds at `date`.
    pub fn bound_since(&self, bound: &[RoleName], date: NaiveDate) -> Option<NaiveDate> {
        let at = self
            .roles
            .iter()
            .position(|r| r.covers(date) && bound.contains(&r.role))?;
        let mut since = self.roles[at].from;
        for r in self.roles[..at].iter().rev() {
            let contiguous = r.until.is_some_and(|u| u.succ_opt() == Some(since));
            if !(contiguous && bound.contains(&r.role)) {
                break;
            }
            since = r.from;
        }
        Some(since)
    }

    pub fn is_organization(&self) -> bool {
        self.code == ORGANIZATION
    }
}

/// Kinds and subjects, each interned to a small index for fast matching.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub kinds: BTreeMap<String, String>,
    pub subjects: BTreeMap<String, String>,
    kind_ix: HashMap<String, u16>,
    subject_ix: HashMap<String, u16>,
}

impl Vocabulary {
    pub fn new(kinds: BTreeMap<String, String>, subjects: BTreeMap<String, String>) -> Self {
        let ix = |m: &BTreeMap<String, String>| {
            m.keys()
                .enumerate()
                .map(|(i, k)| (k.clone(), i as u16))
                .collect()
        };
        Vocabulary {
            kind_ix: ix(&kinds),
            subject_ix: ix(&subjects),
            kinds,
            subjects,
        }
    }
    pub fn kind(&self, key: &str) -> Option<u16> {
        self.kind_ix.get(key).copied()
    }
    pub fn subject(&self, key: &str) -> Option<u16> {
        self.subject_ix.get(key).copied()
    }
}

#[derive(Debug, Clone)]
pub struct Chapter {
    pub id: String,
    pub title: String,
    pub file: String,
}

#[derive(Debug, Clone)]
pub struct Commitment {
    pub id: String,
    pub title: String,
    pub quote: String,
    /// Index into [`Catalogue::chapters`].
    pub chapter: usize,
    pub scope: Scope,
    pub binds: Vec<RoleName>,
    pub depends_on: Vec<String>,
    pub why: BTreeMap<String, String>,
    pub due: Option<NaiveDate>,
    pub test: Test,
    pub contrary: Option<Selector>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub enum Test {
    Evidence {
        selector: Selector,
        min: u32,
        per: Per,
        min_parties: Option<u32>,
    },
    Trend {
        metric: String,
        direction: Direction,
    },
    Restraint(Selector),
}

impl Test {
    /// The test in words, for people reading a report or an explanation.
    pub fn describe(&self) -> String {
        match self {
            Test::Evidence {
                selector,
                min,
                per,
                min_parties,
            } => {
                let subjects = if selector.subjects.is_empty() {
                    "any subject".to_string()
                } else {
                    selector.subjects.join(" or ")
                };
                let per = match per {
                    Per::Period => "over the window",
                    Per::Year => "in every calendar year",
                };
                let parties = min_parties
                    .map(|m| format!(", from at least {m} parties"))
                    .unwrap_or_default();
                format!(
                    "at least {min} {} of kind {} on {subjects} {per}{parties}",
                    if *min == 1 { "activity" } else { "activities" },
                    selector.kinds.join(" or ")
                )
            }
            Test::Trend { metric, direction } => format!(
                "indicator `{metric}` must {direction:?} between the first and last year with data"
            )
            .to_lowercase(),
            Test::Restraint(s) => format!(
                "no activity of kind {} on {}",
                s.kinds.join(" or "),
                if s.subjects.is_empty() {
                    "any subject".into()
                } else {
                    s.subjects.join(" or ")
                }
            ),
        }
    }
}

/// Which activities count: any of the kinds, and (when subjects are given) any of the subjects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub kinds: Vec<String>,
    pub subjects: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Exemption {
    pub party: String,
    pub commitment: String,
    pub reason: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Exemption {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

#[derive(Debug, Clone)]
pub struct Uncovered {
    pub quote: String,
    pub reason: String,
}

impl Catalogue {
    pub fn party(&self, code: &str) -> Option<&Party> {
        self.parties
            .binary_search_by(|p| p.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.parties[i])
    }
    pub fn commitment(&self, id: &str) -> Option<&Commitment> {
        self.commitment_index(id).map(|i| &self.commitments[i])
    }
    pub fn commitment_index(&self, id: &str) -> Option<usize> {
        self.commitments
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
    }
    pub fn exemption(&self, party: &str, commitment: &str, date: NaiveDate) -> Option<&Exemption> {
        self.exemptions
            .iter()
            .find(|e| e.party == party && e.commitment == commitment && e.covers(date))
    }
}
