//! Analyst adjudication: a verdict set by a reviewer for a commitment and a party, with the
//! reason and the evidence it rests on, as the G20 Research Group codes compliance. Reports show
//! it beside the computed verdict; scores and dependants use it.

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::activity::{Id, Ids};
use crate::catalogue::{Catalogue, Commitment, FileDigest, Scope, ORGANIZATION};
use crate::evaluate::Status;
use crate::lines::LineStarts;
use crate::suggest::nearest;

/// One adjudicated verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Index into `Catalogue::commitments`.
    pub commitment: usize,
    /// Index into `Catalogue::parties`.
    pub party: u16,
    /// The as-of dates it applies to, inclusive (one date for an `as_of` assessment).
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub status: Status,
    pub reviewer: String,
    pub reviewed: NaiveDate,
    pub reason: String,
    pub evidence: Vec<String>,
    /// The line of the file it was written on.
    pub line: usize,
}

/// The assessments of a run and the file they came from.
#[derive(Debug, Clone, Default)]
pub struct Assessments {
    pub file: Option<FileDigest>,
    pub items: Vec<Assessment>,
}

impl Assessment {
    /// For the same commitment and party over as-of dates in common: both cannot apply.
    fn overlaps(&self, other: &Assessment) -> bool {
        self.commitment == other.commitment
            && self.party == other.party
            && self.from <= other.until
            && other.from <= self.until
    }
}

impl Assessments {
    /// The assessment of `commitment` for `party` that applies to a run as of `as_of`.
    pub fn find(&self, commitment: usize, party: u16, as_of: NaiveDate) -> Option<&Assessment> {
        self.items.iter().find(|a| {
            a.commitment == commitment && a.party == party && a.from <= as_of && as_of <= a.until
        })
    }

    /// Every cited evidence id must be the id of an accepted row of the run.
    pub fn check_evidence(&self, ids: &Ids) -> Result<(), AssessmentErrors> {
        let known: HashSet<Id<'_>> = ids.iter().collect();
        let path = self.file.as_ref().map_or("", |f| f.path.as_str());
        let errors: Vec<AssessmentError> = self
            .items
            .iter()
            .flat_map(|a| {
                a.evidence
                    .iter()
                    .filter(|id| !known.contains(id.as_bytes()))
                    .map(|id| AssessmentError {
                        file: path.to_string(),
                        line: a.line,
                        kind: Kind::UnknownEvidence(id.clone()),
                    })
            })
            .collect();
        AssessmentErrors::check(errors)
    }
}

/// What can be wrong with an assessments file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Kind {
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    #[error("{0}")]
    Syntax(String),
    #[error("unknown commitment `{name}`")]
    UnknownCommitment {
        name: String,
        suggestion: Option<String>,
    },
    #[error("unknown party `{name}`")]
    UnknownParty {
        name: String,
        suggestion: Option<String>,
    },
    #[error("`{commitment}` is collective: its verdict is the organisation's, not `{party}`'s")]
    CollectiveParty { commitment: String, party: String },
    #[error("`{commitment}` binds each member: `SCO` holds no verdict on it")]
    OrganizationParty { commitment: String },
    #[error("unknown status `{name}`")]
    UnknownStatus {
        name: String,
        suggestion: Option<String>,
    },
    #[error("`{field}` is `{value}`, not a date")]
    BadDate { field: &'static str, value: String },
    #[error("give either `as_of` or `from` and `until`")]
    Period,
    #[error("`until` ({until}) comes before `from` ({from})")]
    Backwards { from: String, until: String },
    #[error("`{0}` is empty")]
    Empty(&'static str),
    #[error("evidence id `{0}` is not the id of an accepted row of this run")]
    UnknownEvidence(String),
    #[error("a second assessment of `{commitment}` for `{party}` over the same as-of dates (first on line {first})")]
    Overlap {
        commitment: String,
        party: String,
        first: usize,
    },
}

impl Kind {
    pub fn help(&self) -> Option<String> {
        let did_you_mean = |s: &Option<String>| s.as_ref().map(|s| format!("did you mean `{s}`?"));
        match self {
            Kind::UnknownCommitment { suggestion, .. } => did_you_mean(suggestion)
                .or(Some("`concord catalogue` lists the commitments".into())),
            Kind::UnknownParty { suggestion, .. } => {
                did_you_mean(suggestion).or(Some("parties are codes from parties.toml".into()))
            }
            Kind::UnknownStatus { suggestion, .. } => did_you_mean(suggestion).or(Some(format!(
                "one of {}",
                Status::ALL.map(|s| s.as_str()).join(", ")
            ))),
            Kind::CollectiveParty { .. } => Some("write `party = \"SCO\"`".into()),
            Kind::OrganizationParty { .. } => Some("name the member state assessed".into()),
            Kind::BadDate { .. } => Some("write a bare date such as 2025-12-31".into()),
            Kind::Period | Kind::Backwards { .. } => Some(
                "`as_of = 2025-12-31` applies to that run; `from`/`until` to every run as of a date between them".into(),
            ),
            Kind::Empty(_) => Some("every assessment names its reviewer and its reason".into()),
            Kind::UnknownEvidence(_) => Some(
                "cite the ids of activity rows passed with --activities that were not rejected"
                    .into(),
            ),
            Kind::Overlap { .. } => Some("one assessment per commitment, party and as-of date".into()),
            Kind::Unreadable(_) | Kind::Syntax(_) => None,
        }
    }
}

/// One problem, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {kind}")]
pub struct AssessmentError {
    pub file: String,
    /// 0 when the problem is the whole file's.
    pub line: usize,
    pub kind: Kind,
}

/// Every problem of an assessments file: loading reports all of them.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} problem(s) in the assessments", errors.len())]
pub struct AssessmentErrors {
    pub errors: Vec<AssessmentError>,
}

impl AssessmentErrors {
    fn check(errors: Vec<AssessmentError>) -> Result<(), AssessmentErrors> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AssessmentErrors { errors })
        }
    }

    /// One block per problem: what, where, what to do.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for e in &self.errors {
            out.push_str(&format!("error: {}\n  --> {}", e.kind, e.file));
            if e.line > 0 {
                out.push_str(&format!(":{}", e.line));
            }
            out.push('\n');
            if let Some(help) = e.kind.help() {
                out.push_str(&format!("  = help: {help}\n"));
            }
        }
        out.push_str(&format!("{self}\n"));
        out
    }
}

/// An assessment as written, in TOML (`[[assessment]]`) or as a CSV row.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    commitment: String,
    party: String,
    #[serde(default)]
    as_of: Option<DateText>,
    #[serde(default)]
    from: Option<DateText>,
    #[serde(default)]
    until: Option<DateText>,
    status: String,
    reviewer: String,
    reviewed: DateText,
    reason: String,
    #[serde(default)]
    evidence: EvidenceList,
}

/// A date as TOML writes it (a bare date) or as CSV does (text).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DateText {
    Toml(toml::value::Datetime),
    Text(String),
}

impl DateText {
    fn text(&self) -> String {
        match self {
            DateText::Toml(d) => d.to_string(),
            DateText::Text(t) => t.trim().to_string(),
        }
    }
}

/// Evidence ids: a TOML array, or `;`-separated in a CSV cell.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
enum EvidenceList {
    #[default]
    None,
    List(Vec<String>),
    Text(String),
}

impl EvidenceList {
    fn ids(&self) -> Vec<String> {
        let list: Vec<&str> = match self {
            EvidenceList::None => Vec::new(),
            EvidenceList::List(l) => l.iter().map(String::as_str).collect(),
            EvidenceList::Text(t) => t.split(';').collect(),
        };
        list.into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    assessment: Vec<Spanned<Raw>>,
}

/// Read an assessments file (`.csv`, otherwise TOML) and check it against the catalogue.
pub fn load(path: &Path, catalogue: &Catalogue) -> Result<Assessments, AssessmentErrors> {
    let shown = path.display().to_string();
    let failed = |line, kind| AssessmentErrors {
        errors: vec![AssessmentError {
            file: shown.clone(),
            line,
            kind,
        }],
    };
    let text = read_text(path).map_err(|kind| failed(0, kind))?;
    let file = FileDigest {
        path: shown.clone(),
        sha256: crate::digest::sha256_hex(text.as_bytes()),
    };
    let raws = raw_rows(path, &text).map_err(|(line, m)| failed(line, Kind::Syntax(m)))?;
    let items = resolve_all(raws, catalogue, &shown)?;
    Ok(Assessments {
        file: Some(file),
        items,
    })
}

/// The whole file as text: a file that cannot be read, or is not UTF-8, is one problem of the
/// file as a whole rather than of any line.
fn read_text(path: &Path) -> Result<String, Kind> {
    let bytes = std::fs::read(path).map_err(|e| Kind::Unreadable(e.to_string()))?;
    String::from_utf8(bytes).map_err(|_| Kind::Unreadable("not valid UTF-8".into()))
}

/// The assessments as written, each with its line; the extension alone decides the format, so
/// that a malformed CSV file is not misread as TOML.
fn raw_rows(path: &Path, text: &str) -> Result<Vec<(usize, Raw)>, (usize, String)> {
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        csv_rows(text)
    } else {
        toml_rows(text)
    }
}

/// Every assessment resolved, or every problem of every one of them, so that one load reports
/// them all; a second assessment over the same as-of dates is one, as only one can apply.
fn resolve_all(
    raws: Vec<(usize, Raw)>,
    catalogue: &Catalogue,
    file: &str,
) -> Result<Vec<Assessment>, AssessmentErrors> {
    let error = |line, kind| AssessmentError {
        file: file.to_string(),
        line,
        kind,
    };
    let mut errors = Vec::new();
    let mut items: Vec<Assessment> = Vec::new();
    for (line, raw) in raws {
        match resolve(&raw, line, catalogue) {
            Ok(a) => {
                if let Some(first) = items.iter().find(|b| b.overlaps(&a)) {
                    errors.push(error(
                        line,
                        Kind::Overlap {
                            commitment: raw.commitment,
                            party: raw.party,
                            first: first.line,
                        },
                    ));
                }
                items.push(a);
            }
            Err(kinds) => errors.extend(kinds.into_iter().map(|kind| error(line, kind))),
        }
    }
    AssessmentErrors::check(errors)?;
    Ok(items)
}

fn toml_rows(text: &str) -> Result<Vec<(usize, Raw)>, (usize, String)> {
    let file: TomlFile = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map_or(0, |s| LineStarts::new(text).line_of(s.start));
        (line, e.message().trim().to_string())
    })?;
    let lines = LineStarts::new(text);
    Ok(file
        .assessment
        .into_iter()
        .map(|r| (lines.line_of(r.span().start), r.into_inner()))
        .collect())
}

fn csv_rows(text: &str) -> Result<Vec<(usize, Raw)>, (usize, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for row in reader.deserialize::<Raw>() {
        match row {
            Ok(raw) => out.push((out.len() + 2, raw)),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                return Err((line, e.to_string()));
            }
        }
    }
    Ok(out)
}

/// One assessment checked against the catalogue, field by field: every problem is kept, in
/// the order of the fields, rather than only the first.
fn resolve(raw: &Raw, line: usize, catalogue: &Catalogue) -> Result<Assessment, Vec<Kind>> {
    let mut problems = Vec::new();
    let commitment = kept(commitment_named(&raw.commitment, catalogue), &mut problems);
    let code = raw.party.trim();
    let party = kept(party_named(&raw.party, catalogue), &mut problems);
    if let Some(c) = commitment.map(|i| &catalogue.commitments[i]) {
        problems.extend(scope_problem(c, code, party.is_some()));
    }
    let status = kept(status_named(&raw.status), &mut problems);
    let mut date = |field, d: Option<&DateText>| kept(parse_date(field, d?), &mut problems);
    let reviewed = date("reviewed", Some(&raw.reviewed));
    let as_of = date("as_of", raw.as_of.as_ref());
    let from = date("from", raw.from.as_ref());
    let until = date("until", raw.until.as_ref());
    let period = kept(period(raw, as_of, from, until), &mut problems).flatten();
    problems.extend(empty_fields(raw));
    match (commitment, party, status, reviewed, period) {
        (Some(commitment), Some(party), Some(status), Some(reviewed), Some((from, until)))
            if problems.is_empty() =>
        {
            Ok(Assessment {
                commitment,
                party: party as u16,
                from,
                until,
                status,
                reviewer: raw.reviewer.trim().to_string(),
                reviewed,
                reason: raw.reason.trim().to_string(),
                evidence: raw.evidence.ids(),
                line,
            })
        }
        _ => Err(problems),
    }
}

/// The value of a field that checked out; a problem is kept for the report instead.
fn kept<T>(checked: Result<T, Kind>, problems: &mut Vec<Kind>) -> Option<T> {
    checked.map_err(|kind| problems.push(kind)).ok()
}

fn commitment_named(name: &str, catalogue: &Catalogue) -> Result<usize, Kind> {
    catalogue
        .commitment_index(name.trim())
        .ok_or_else(|| Kind::UnknownCommitment {
            name: name.to_string(),
            suggestion: nearest(name, catalogue.commitments.iter().map(|c| c.id.as_str())),
        })
}

fn party_named(name: &str, catalogue: &Catalogue) -> Result<usize, Kind> {
    let code = name.trim();
    catalogue
        .parties
        .iter()
        .position(|p| p.code == code)
        .ok_or_else(|| Kind::UnknownParty {
            name: name.to_string(),
            suggestion: nearest(code, catalogue.parties.iter().map(|p| p.code.as_str())),
        })
}

/// A collective commitment's verdict is the organisation's and an each-member one's never is:
/// an assessment naming the other kind of party would never apply to any verdict.
fn scope_problem(c: &Commitment, code: &str, known_party: bool) -> Option<Kind> {
    match c.scope {
        Scope::Collective if known_party && code != ORGANIZATION => Some(Kind::CollectiveParty {
            commitment: c.id.clone(),
            party: code.to_string(),
        }),
        Scope::EachMember if code == ORGANIZATION => Some(Kind::OrganizationParty {
            commitment: c.id.clone(),
        }),
        _ => None,
    }
}

fn status_named(name: &str) -> Result<Status, Kind> {
    Status::ALL
        .into_iter()
        .find(|s| s.as_str() == name.trim())
        .ok_or_else(|| Kind::UnknownStatus {
            name: name.to_string(),
            suggestion: nearest(name, Status::ALL.map(|s| s.as_str())),
        })
}

fn parse_date(field: &'static str, d: &DateText) -> Result<NaiveDate, Kind> {
    let text = d.text();
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| Kind::BadDate { field, value: text })
}

/// The as-of dates covered: one `as_of` date, or `from` to `until`, either end open. None,
/// with no problem of its own, where a date it rests on did not parse: that problem is said.
fn period(
    raw: &Raw,
    as_of: Option<NaiveDate>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<Option<(NaiveDate, NaiveDate)>, Kind> {
    let period = match (
        raw.as_of.is_some(),
        raw.from.is_some() || raw.until.is_some(),
    ) {
        (true, false) => as_of.map(|d| (d, d)),
        (false, true) => Some((
            from.unwrap_or(NaiveDate::MIN),
            until.unwrap_or(NaiveDate::MAX),
        )),
        _ => return Err(Kind::Period),
    };
    match period {
        Some((f, u)) if u < f => Err(Kind::Backwards {
            from: f.to_string(),
            until: u.to_string(),
        }),
        _ => Ok(period),
    }
}

/// Every assessment says who reviewed it and why: a verdict set by no one for no reason is not
/// an adjudication.
fn empty_fields(raw: &Raw) -> impl Iterator<Item = Kind> + '_ {
    [("reviewer", &raw.reviewer), ("reason", &raw.reason)]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(field, _)| Kind::Empty(field))
}
