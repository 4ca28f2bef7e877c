//! The rule catalogue: the strategy, its parties, the vocabulary officers report in, and the
//! commitments with their tests. [`load`] reads and checks a rules directory in one go.

mod err;
mod files;
mod load;
pub mod schema;
pub mod source;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

pub use err::{ExemptionErrors, Loc, RuleError, RuleErrorKind, RuleErrors};
pub use files::RuleFiles;
pub use load::{load, load_exemptions};
pub use schema::{Aggregate, Direction, Panel, Per, RoleName, Scope};

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

#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, serde::Deserialize,
)]
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
    /// Only parties holding this status are bound; the others are not applicable.
    pub binds_if: Option<Condition>,
    /// Every prerequisite id, sorted: the edges of the graph.
    pub depends_on: Vec<String>,
    /// The prerequisites as groups, each satisfied by any one of its ids; a plain
    /// prerequisite is a group of one. In file order.
    pub requires: Vec<Vec<String>>,
    pub why: BTreeMap<String, String>,
    pub due: Option<NaiveDate>,
    /// Time a party has from the day it became bound, when that is later than `due` allows.
    pub grace: Option<Grace>,
    pub guideline: Option<String>,
    pub test: Test,
    pub contrary: Option<Selector>,
    pub loc: Loc,
}

impl Commitment {
    /// The due date for a party bound since `since`: the later of `due` and the end of its
    /// grace period, so that a state joining late is not failing on its first day.
    pub fn due_for(&self, since: NaiveDate) -> Option<NaiveDate> {
        let graced = self.grace.map(|g| g.after(since));
        match (self.due, graced) {
            (Some(d), Some(g)) => Some(d.max(g)),
            (d, g) => d.or(g),
        }
    }
}

/// A grace period in years, months and days (`"2y"`, `"1y6m"`, `"90d"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grace {
    pub months: u32,
    pub days: u32,
}

impl Grace {
    /// Parse `2y`, `18m`, `90d` or a combination in that order (`1y6m`).
    pub fn parse(text: &str) -> Option<Grace> {
        let re = regex::Regex::new(r"^(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)d)?$").ok()?;
        let caps = re.captures(text.trim())?;
        let n =
            |i: usize| -> Option<u32> { caps.get(i).map_or(Some(0), |m| m.as_str().parse().ok()) };
        let (y, m, d) = (n(1)?, n(2)?, n(3)?);
        let grace = Grace {
            months: y.checked_mul(12)?.checked_add(m)?,
            days: d,
        };
        (grace.months > 0 || grace.days > 0).then_some(grace)
    }

    pub fn after(&self, date: NaiveDate) -> NaiveDate {
        date.checked_add_months(chrono::Months::new(self.months))
            .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(self.days))))
            .unwrap_or(NaiveDate::MAX)
    }
}

impl std::fmt::Display for Grace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m) = (self.months / 12, self.months % 12);
        let mut parts = Vec::new();
        if y > 0 {
            parts.push(format!("{y} year{}", if y == 1 { "" } else { "s" }));
        }
        if m > 0 {
            parts.push(format!("{m} month{}", if m == 1 { "" } else { "s" }));
        }
        if self.days > 0 {
            parts.push(format!(
                "{} day{}",
                self.days,
                if self.days == 1 { "" } else { "s" }
            ));
        }
        f.write_str(&parts.join(" "))
    }
}

/// A standing status: held from an establishing event up to the as-of date, unless a revoking
/// event came after it. Events before the strategy's window, or before the party's
/// membership, count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub establish: Selector,
    pub revoke: Option<Selector>,
}

impl Standing {
    pub fn describe(&self) -> String {
        let mut out = format!("established by {}", self.establish.describe());
        if let Some(r) = &self.revoke {
            out.push_str(&format!(", until revoked by {}", r.describe()));
        }
        out
    }
}

/// The standing status a party must hold to be bound by a commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The commitment whose status test this is, when named (`binds_if = { status = "ID" }`).
    pub commitment: Option<String>,
    pub standing: Standing,
}

impl Condition {
    /// Short: `the status of ID`, or the status itself when given inline.
    pub fn describe(&self) -> String {
        match &self.commitment {
            Some(id) => format!("the status of {id}"),
            None => format!("the status {}", self.standing.describe()),
        }
    }

    /// In full: what the status is, and where it comes from.
    pub fn explain(&self) -> String {
        match &self.commitment {
            Some(id) => format!("the status of {id} ({})", self.standing.describe()),
            None => self.describe(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Test {
    Evidence {
        selector: Selector,
        min: u32,
        per: Per,
        min_parties: Option<u32>,
        /// Collective only: rows of the organisation itself count (see the rules format).
        sco_body: bool,
    },
    Trend {
        metric: String,
        direction: Direction,
        aggregate: Aggregate,
        panel: Panel,
    },
    Restraint(Selector),
    Status(Standing),
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
                sco_body,
            } => {
                let subjects = selector.subjects_text();
                let per = match per {
                    Per::Period => "over the window",
                    Per::Year => "in every calendar year",
                };
                let parties = match (min_parties, sco_body) {
                    (Some(m), false) => format!(", from at least {m} parties"),
                    (Some(m), true) => {
                        format!(", from at least {m} parties or an SCO body")
                    }
                    (None, true) => ", by an SCO body".to_string(),
                    (None, false) => String::new(),
                };
                format!(
                    "at least {min} {} of kind {} on {subjects} {per}{parties}",
                    if *min == 1 { "activity" } else { "activities" },
                    selector.kinds.join(" or ")
                )
            }
            Test::Trend {
                metric,
                direction,
                aggregate,
                panel,
            } => {
                let direction = match direction {
                    Direction::Increase => "increase",
                    Direction::Decrease => "decrease",
                };
                let how = match (aggregate, panel) {
                    (Aggregate::Sum, Panel::All) => "",
                    (Aggregate::Sum, Panel::Constant) => {
                        " (summed over the parties with data in both years)"
                    }
                    (Aggregate::Mean, Panel::All) => " (mean over the parties with data)",
                    (Aggregate::Mean, Panel::Constant) => {
                        " (mean over the parties with data in both years)"
                    }
                };
                format!(
                    "indicator `{metric}` must {direction} between the first and last year with data{how}"
                )
            }
            Test::Restraint(s) => format!("no {}", s.describe()),
            Test::Status(s) => format!("a standing status, {}", s.describe()),
        }
    }
}

/// Which activities count: any of the kinds, and (when subjects are given) any of the subjects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub kinds: Vec<String>,
    pub subjects: Vec<String>,
}

impl Selector {
    fn subjects_text(&self) -> String {
        if self.subjects.is_empty() {
            "any subject".to_string()
        } else {
            self.subjects.join(" or ")
        }
    }

    /// `activity of kind K on S`, for people.
    pub fn describe(&self) -> String {
        format!(
            "activity of kind {} on {}",
            self.kinds.join(" or "),
            self.subjects_text()
        )
    }
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
