//! Everything that can be wrong with a rules directory.

use std::fmt;

/// Where a problem is: a rules file and, where one is known, the line and column in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loc {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.col)
        }
    }
}

/// One problem found in a rules directory, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub loc: Loc,
    pub kind: RuleErrorKind,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.loc, self.kind)
    }
}

impl std::error::Error for RuleError {}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum RuleErrorKind {
    #[error("cannot read `{0}`: {1}")]
    Unreadable(String, String),
    #[error("required file `{0}` is missing")]
    MissingFile(String),
    #[error("{0}")]
    Toml(String),
    #[error("duplicate commitment id `{id}` (first defined at {first})")]
    DuplicateId { id: String, first: Loc },
    #[error("duplicate party code `{0}`")]
    DuplicateParty(String),
    #[error("commitment `{id}` depends on unknown commitment `{dep}`")]
    UnknownDependency {
        id: String,
        dep: String,
        suggestion: Option<String>,
    },
    #[error("commitment `{0}` depends on itself")]
    SelfDependency(String),
    #[error("dependency cycle: {0}")]
    Cycle(String),
    #[error("`why` names `{dep}`, which is not a prerequisite of `{id}`")]
    WhyWithoutDependency { id: String, dep: String },
    #[error("prerequisite `{dep}` of `{id}` has no `why`")]
    DependencyWithoutWhy { id: String, dep: String },
    #[error("unknown kind `{name}`")]
    UnknownKind {
        name: String,
        suggestion: Option<String>,
    },
    #[error("unknown subject `{name}`")]
    UnknownSubject {
        name: String,
        suggestion: Option<String>,
    },
    #[error("exemption names unknown party `{name}`")]
    UnknownExemptionParty {
        name: String,
        suggestion: Option<String>,
    },
    #[error("exemption names unknown commitment `{name}`")]
    UnknownExemptionCommitment {
        name: String,
        suggestion: Option<String>,
    },
    #[error("quote of `{id}` does not occur in the source text")]
    QuoteNotInSource { id: String, nearest: Option<String> },
    #[error("quote of `{id}` occurs {times} times in the source text")]
    QuoteAmbiguous { id: String, times: usize },
    #[error("uncovered sentence does not occur in the source text")]
    UncoveredNotInSource,
    #[error("`{0}` is not a plain date (YYYY-MM-DD)")]
    InvalidDate(String),
    #[error("`min` must be at least 1, found {0}")]
    MinTooSmall(i64),
    #[error("`min_parties` must be at least 1, found {0}")]
    MinPartiesTooSmall(i64),
    #[error("`kinds` is empty")]
    EmptyKinds,
    #[error("commitment `{0}` has more than one of `evidence`, `trend`, `restraint`, `status`")]
    SeveralTests(String),
    #[error("commitment `{0}` has none of `evidence`, `trend`, `restraint`, `status`")]
    NoTest(String),
    #[error("`binds_if` on collective commitment `{0}`")]
    BindsIfOnCollective(String),
    #[error("`binds_if` of `{0}` needs exactly one of `status` or `establish`")]
    BindsIfShape(String),
    #[error("`binds_if` of `{id}` names unknown commitment `{name}`")]
    BindsIfUnknown {
        id: String,
        name: String,
        suggestion: Option<String>,
    },
    #[error("`binds_if` of `{id}` names `{name}`, which has no `status` test")]
    BindsIfNotStatus { id: String, name: String },
    #[error("`due_after_joining` of `{id}` is `{text}`, not a period")]
    BadGrace { id: String, text: String },
    #[error("`due_after_joining` on collective commitment `{0}`")]
    GraceOnCollective(String),
    #[error("`sco_body` on each-member commitment `{0}`")]
    ScoBodyOnEachMember(String),
    #[error("an `any` group of `{0}` names fewer than two commitments")]
    SmallAnyGroup(String),
    #[error("`min_parties` on each-member commitment `{0}`")]
    MinPartiesOnEachMember(String),
    #[error("`binds` on collective commitment `{0}`")]
    BindsOnCollective(String),
    #[error("`binds` of `{0}` is empty")]
    EmptyBinds(String),
    #[error("role ends ({until}) before it starts ({from})")]
    RoleEndsBeforeStart { from: String, until: String },
    #[error("roles of `{party}` overlap: {first} and {second}")]
    OverlappingRoles {
        party: String,
        first: String,
        second: String,
    },
    #[error("strategy ends ({end}) before it starts ({start})")]
    StrategyEndsBeforeStart { start: String, end: String },
    #[error("exemption ends ({until}) before it starts ({from})")]
    ExemptionEndsBeforeStart { from: String, until: String },
    #[error("party `{0}` has no roles")]
    NoRoles(String),
    #[error("there is no party `SCO` with role `organization` to hold collective verdicts")]
    NoOrganization,
    #[error("chapter id `{id}` is used by two files (first: {first})")]
    DuplicateChapter { id: String, first: String },
}

impl RuleErrorKind {
    /// The sentence that tells the analyst what to do about it.
    pub fn help(&self) -> Option<String> {
        use RuleErrorKind::*;
        let did_you_mean = |s: &Option<String>| s.as_ref().map(|s| format!("did you mean `{s}`?"));
        match self {
            UnknownDependency { suggestion, .. }
            | BindsIfUnknown { suggestion, .. }
            | UnknownKind { suggestion, .. }
            | UnknownSubject { suggestion, .. }
            | UnknownExemptionParty { suggestion, .. }
            | UnknownExemptionCommitment { suggestion, .. } => did_you_mean(suggestion).or_else(|| match self {
                UnknownKind { .. } | UnknownSubject { .. } => {
                    Some("add it to vocabulary.toml with a one-line meaning".into())
                }
                _ => None,
            }),
            QuoteNotInSource { nearest, .. } => Some(match nearest {
                Some(n) => format!("the closest passage of the source reads: \"{n}\""),
                None => "copy the sentence from the source text; only white space may differ".into(),
            }),
            DuplicateId { .. } => Some("give each commitment its own id".into()),
            QuoteAmbiguous { .. } => Some("quote enough of the sentence to say which place is meant".into()),
            SelfDependency(_) => Some("remove it from `depends_on`".into()),
            Cycle(_) => Some("a prerequisite must come before its dependants: remove one edge of the cycle".into()),
            WhyWithoutDependency { .. } => Some("add it to `depends_on`, or remove it from `why`".into()),
            DependencyWithoutWhy { dep, .. } => Some(format!("add `why = {{ \"{dep}\" = \"...\" }}` saying why it must come first")),
            InvalidDate(_) => Some("write a bare date such as 2025-12-31".into()),
            MinTooSmall(_) | MinPartiesTooSmall(_) => Some("leave it out for the default of 1".into()),
            EmptyKinds => Some("name at least one kind from vocabulary.toml".into()),
            SeveralTests(_) | NoTest(_) => Some("a commitment is judged by exactly one of `evidence`, `trend`, `restraint` or `status`".into()),
            BindsIfOnCollective(_) => Some("a collective commitment binds the organisation; remove `binds_if`".into()),
            BindsIfShape(_) => Some("write `binds_if = { status = \"ID\" }` or `binds_if = { establish = { kinds = [...] } }`".into()),
            BindsIfNotStatus { .. } => Some("name a commitment judged by `status = { establish = ... }`".into()),
            BadGrace { .. } => Some("write years, months and days such as \"2y\", \"18m\", \"1y6m\" or \"90d\"".into()),
            GraceOnCollective(_) => Some("a grace period runs from a state's accession; collective commitments have none".into()),
            ScoBodyOnEachMember(_) => Some("`sco_body` says the organisation acts; it belongs on collective commitments".into()),
            SmallAnyGroup(_) => Some("list two or more alternatives in `any`, or write the id alone".into()),
            MinPartiesOnEachMember(_) => Some("`min_parties` counts distinct states for a collective commitment; use `min` here".into()),
            BindsOnCollective(_) => Some("a collective commitment binds the organisation; remove `binds`".into()),
            RoleEndsBeforeStart { .. } | ExemptionEndsBeforeStart { .. } => Some("`until` is the last day it held; it cannot come before `from`".into()),
            StrategyEndsBeforeStart { .. } => Some("`end` is the strategy's last day; check the two dates".into()),
            DuplicateParty(_) => Some("each party appears once, with all its roles in one `roles` list".into()),
            DuplicateChapter { .. } => Some("give each chapter file its own `id`".into()),
            NoRoles(_) => Some("add `roles = [{ role = \"member\", from = YYYY-MM-DD }]`".into()),
            EmptyBinds(_) => Some("leave `binds` out for the default `[\"member\"]`".into()),
            UncoveredNotInSource => Some("copy the sentence from the source text; only white space may differ".into()),
            Unreadable(..) => Some("check that the path exists and is readable".into()),
            OverlappingRoles { .. } => Some("end the earlier role the day before the next one starts".into()),
            NoOrganization => Some("add `[[party]] code = \"SCO\"` with `roles = [{ role = \"organization\", from = ... }]`".into()),
            MissingFile(f) if f.starts_with("source/") || !f.ends_with(".toml") => Some("`source` is relative to the rules directory".into()),
            MissingFile(f) if f.ends_with("strategy.toml") => Some("a rules directory holds strategy.toml, parties.toml, vocabulary.toml and chapters/".into()),
            _ => None,
        }
    }
}

/// All the problems found in a rules directory: loading reports every one, not the first.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} problem(s) in the rules", errors.len())]
pub struct RuleErrors {
    pub errors: Vec<RuleError>,
}

impl RuleErrors {
    /// Every problem, one block each: what, where, and what to do.
    pub fn render(&self) -> String {
        render(&self.errors, self)
    }
}

/// The problems of an exemptions file given apart from the rules (`--exemptions`): checked as
/// the rules' own exemptions are, but it is that file, not the rules, the officer must mend.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} problem(s) in the exemptions file {file}", errors.len())]
pub struct ExemptionErrors {
    pub file: String,
    pub errors: Vec<RuleError>,
}

impl ExemptionErrors {
    pub fn render(&self) -> String {
        render(&self.errors, self)
    }
}

/// One block per problem, then the count line `total` displays.
fn render(errors: &[RuleError], total: &dyn std::fmt::Display) -> String {
    let mut out = String::new();
    for e in errors {
        out.push_str(&format!("error: {}\n  --> {}\n", e.kind, e.loc));
        if let Some(help) = e.kind.help() {
            out.push_str(&format!("  = help: {help}\n"));
        }
    }
    out.push_str(&format!("{total}\n"));
    out
}

impl RuleErrorKind {
    /// A stable name for the kind of problem (`unknown-kind`, `cycle`): the rule id that SARIF
    /// and the JSON findings carry.
    pub fn code(&self) -> &'static str {
        self.into()
    }
}
