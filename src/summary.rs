//! Yearly summaries: the state as of a year's last day, what changed since the year before, the
//! data quality of the input and the prerequisites holding the most back. A summary is built
//! from two [`Report`]s of the same ingestion, so a run over many years reads the input once.

mod csv;
mod html;
mod index;
mod markdown;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use index::{render_index, write_index, SummaryIndex, Trajectory};

use crate::activity::{FileStats, RejectCode};
use crate::catalogue::FileDigest;
use crate::evaluate::Status;
use crate::report::{self, ChapterScore, Format, Report, ResultReport, StrategyInfo};

/// How many entries the "most frequent" and "most blocking" lists keep.
pub const TOP: usize = 10;

/// The longest span of years one summary run accepts (a typo like 20250 must not loop for ages).
pub const MAX_YEARS: i32 = 200;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum YearError {
    #[error("year {0} has no 31 December in the calendar concord knows")]
    OutOfRange(i32),
    #[error("--from {from} is after --to {to}")]
    Reversed { from: i32, to: i32 },
    #[error("{from}..{to} spans more than {MAX_YEARS} years")]
    TooLong { from: i32, to: i32 },
}

/// The last day of a year: the as-of date of its summary.
pub fn year_end(year: i32) -> Result<NaiveDate, YearError> {
    NaiveDate::from_ymd_opt(year, 12, 31).ok_or(YearError::OutOfRange(year))
}

/// The last day of the year before: what a year's summary compares against.
pub fn previous_year_end(year: i32) -> Result<NaiveDate, YearError> {
    year_end(year.checked_sub(1).ok_or(YearError::OutOfRange(year))?)
}

/// The years of a multi-year run, checked.
pub fn years(from: i32, to: i32) -> Result<std::ops::RangeInclusive<i32>, YearError> {
    if from > to {
        return Err(YearError::Reversed { from, to });
    }
    if i64::from(to) - i64::from(from) >= i64::from(MAX_YEARS) {
        return Err(YearError::TooLong { from, to });
    }
    previous_year_end(from)?;
    year_end(to)?;
    Ok(from..=to)
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Summary {
    /// The version of the JSON contract (`concord schema` prints it).
    #[serde(default)]
    pub schema_version: crate::schema::SchemaVersion,
    pub engine: report::EngineInfo,
    pub strategy: StrategyInfo,
    pub year: i32,
    pub as_of: String,
    pub previous_as_of: String,
    pub rules: Vec<FileDigest>,
    pub inputs: Vec<FileStats>,
    /// The parties the summary was restricted to (`--party`); empty when it covers all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restricted_to: Vec<String>,
    pub overall: Moved,
    /// Verdicts per status now and a year before, in the order of [`Status::ALL`].
    pub statuses: Vec<StatusMove>,
    pub changes: Changes,
    /// Column heads of the party x chapter table, with each chapter's own percent.
    pub chapters: Vec<ChapterHead>,
    /// Parties with a score in either year.
    pub parties: Vec<PartyRow>,
    pub data_quality: DataQuality,
    pub blockers: Vec<Blocker>,
}

/// A percent now, a year before, and the change in points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Moved {
    pub percent: Option<f64>,
    pub previous: Option<f64>,
    pub change: Option<f64>,
}

impl Moved {
    pub fn new(percent: Option<f64>, previous: Option<f64>) -> Moved {
        let change = match (percent, previous) {
            (Some(a), Some(b)) => Some(a - b),
            _ => None,
        };
        Moved {
            percent,
            previous,
            change,
        }
    }

    /// The change as people read it: `+4.2`, `-3.0`, `±0.0`, `new` or empty.
    pub fn change_text(&self) -> String {
        // Rounded once, here, for reading; the value itself stays exact.
        let shown = self.change.map(|c| (c * 10.0).round() / 10.0 + 0.0);
        match (shown, self.percent, self.previous) {
            (Some(c), _, _) if c > 0.0 => format!("+{c:.1}"),
            (Some(c), _, _) if c < 0.0 => format!("{c:.1}"),
            (Some(_), _, _) => "±0.0".into(),
            (None, Some(_), None) => "new".into(),
            _ => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct StatusMove {
    pub status: Status,
    pub count: u64,
    pub previous: u64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Changes {
    pub newly_met: Vec<Change>,
    pub newly_partial: Vec<Change>,
    /// Any verdict that got worse (see [`rank`]).
    pub regressed: Vec<Change>,
    pub newly_blocked: Vec<Change>,
    pub unblocked: Vec<Change>,
    /// Every breach in force at the year's end; `from` tells whether it is new.
    pub breaches: Vec<Change>,
}

impl Changes {
    /// The lists with their headings, in reading order.
    pub fn sections(&self) -> [(&'static str, &'static str, &[Change]); 6] {
        [
            ("newly_met", "Newly met", &self.newly_met),
            ("newly_partial", "Newly partial", &self.newly_partial),
            ("regressed", "Regressed", &self.regressed),
            ("newly_blocked", "Newly blocked", &self.newly_blocked),
            ("unblocked", "Unblocked", &self.unblocked),
            ("breaches", "Breaches", &self.breaches),
        ]
    }
}

/// One verdict that moved, with both statuses.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Change {
    pub commitment: String,
    pub title: String,
    pub party: String,
    /// `None` when the verdict did not exist a year before (a new commitment or party).
    pub from: Option<Status>,
    pub to: Status,
    pub evidence_added: Vec<String>,
    pub blocked_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ChapterHead {
    pub id: String,
    pub title: String,
    pub percent: Moved,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PartyRow {
    pub code: String,
    pub name: String,
    pub overall: Moved,
    /// Parallel to [`Summary::chapters`].
    pub chapters: Vec<Moved>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, schemars::JsonSchema, Deserialize)]
pub struct DataQuality {
    pub files: Vec<FileQuality>,
    /// The most frequent reject reasons over all files.
    pub top_rejects: Vec<CodeCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct FileQuality {
    pub path: String,
    pub rows: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub unmatched: u64,
    pub top_rejects: Vec<CodeCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct CodeCount {
    pub code: String,
    pub count: u64,
    pub meaning: String,
}

/// A prerequisite that is a root cause of blocked verdicts.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Blocker {
    pub id: String,
    pub title: String,
    /// Commitments with at least one verdict it blocks, sorted.
    pub dependants: Vec<String>,
    /// Verdicts it blocks (a commitment counts once per party).
    pub verdicts: u64,
}

/// How good a status is, for "got worse": met > partial > pending > not_met = blocked >
/// breached. Exempt and not_applicable are not on the scale (a change to or from them is a change
/// of duty, not of performance).
pub fn rank(s: Status) -> Option<u8> {
    match s {
        Status::Met => Some(5),
        Status::Partial => Some(4),
        Status::Pending => Some(3),
        Status::NotMet | Status::Blocked => Some(2),
        Status::Breached => Some(1),
        Status::Exempt | Status::NotApplicable => None,
    }
}

fn top(counts: &BTreeMap<String, u64>) -> Vec<CodeCount> {
    let mut v: Vec<(&String, &u64)> = counts.iter().filter(|(_, n)| **n > 0).collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.into_iter()
        .take(TOP)
        .map(|(code, count)| CodeCount {
            code: code.clone(),
            count: *count,
            meaning: RejectCode::ALL
                .iter()
                .find(|c| c.as_str() == code)
                .map_or("", |c| c.meaning())
                .to_string(),
        })
        .collect()
}

impl Summary {
    /// Compare the report as of a year's end with the one a year before (same ingestion).
    pub fn build(year: i32, previous: &Report, current: &Report) -> Summary {
        Summary::build_with(year, previous, current, |_, old, new| match old {
            Some(o) => {
                let had: std::collections::HashSet<&String> = o.evidence.iter().collect();
                new.evidence
                    .iter()
                    .filter(|e| !had.contains(e))
                    .cloned()
                    .collect()
            }
            None => new.evidence.clone(),
        })
    }

    /// As [`Summary::build`], with the evidence a verdict gained since the year before told by
    /// `added(commitment, party)`: reports that list only the first evidence ids leave that
    /// to the caller, who can compare ledger rows. It is asked only for the verdicts listed.
    pub fn build_with_rows(
        year: i32,
        previous: &Report,
        current: &Report,
        added: impl Fn(&str, &str) -> Vec<String>,
    ) -> Summary {
        Summary::build_with(year, previous, current, |commitment, _, new| {
            added(commitment, &new.party)
        })
    }

    fn build_with(
        year: i32,
        previous: &Report,
        current: &Report,
        added: impl Fn(&str, Option<&ResultReport>, &ResultReport) -> Vec<String>,
    ) -> Summary {
        Summary {
            schema_version: Default::default(),
            engine: current.engine.clone(),
            strategy: current.strategy.clone(),
            year,
            as_of: current.as_of.clone(),
            previous_as_of: previous.as_of.clone(),
            rules: current.rules.clone(),
            inputs: current.inputs.clone(),
            restricted_to: current.restricted_to.clone(),
            overall: Moved::new(current.overall.percent, previous.overall.percent),
            statuses: status_moves(previous, current),
            changes: Changes::between(previous, current, added),
            chapters: chapter_heads(previous, current),
            parties: party_rows(previous, current),
            data_quality: DataQuality::of(current),
            blockers: blockers(current),
        }
    }
}

impl Changes {
    /// The verdicts of `current` that moved since `previous`, each in the lists it belongs to.
    fn between(
        previous: &Report,
        current: &Report,
        added: impl Fn(&str, Option<&ResultReport>, &ResultReport) -> Vec<String>,
    ) -> Changes {
        let before = previous.results_by_key();
        let mut changes = Changes::default();
        for c in &current.commitments {
            for r in &c.results {
                let old = before.get(&(c.id.as_str(), r.party.as_str())).copied();
                let (from, to) = (old.map(|o| o.status), r.status);
                let regressed = regressed(from, to);
                if !listed(from, to, regressed) {
                    continue;
                }
                changes.add(
                    Change {
                        commitment: c.id.clone(),
                        title: c.title.clone(),
                        party: r.party.clone(),
                        from,
                        to,
                        evidence_added: added(&c.id, old, r),
                        blocked_by: r.blocked_by.clone(),
                    },
                    regressed,
                );
            }
        }
        changes
    }

    /// File a change in every list it belongs to: a breach in force is listed even when it is
    /// not new; the other lists hold moves only.
    fn add(&mut self, change: Change, regressed: bool) {
        let (from, to) = (change.from, change.to);
        if to == Status::Breached {
            self.breaches.push(change.clone());
        }
        if from == Some(to) {
            return;
        }
        if to == Status::Met {
            self.newly_met.push(change.clone());
        }
        if to == Status::Partial {
            self.newly_partial.push(change.clone());
        }
        if to == Status::Blocked {
            self.newly_blocked.push(change.clone());
        }
        if from == Some(Status::Blocked) {
            self.unblocked.push(change.clone());
        }
        if regressed {
            self.regressed.push(change);
        }
    }
}

/// Whether a verdict got worse on the [`rank`] scale.
fn regressed(from: Option<Status>, to: Status) -> bool {
    matches!((from.and_then(rank), rank(to)), (Some(a), Some(b)) if b < a)
}

/// Whether a verdict belongs in any list of [`Changes`].
fn listed(from: Option<Status>, to: Status, regressed: bool) -> bool {
    to == Status::Breached
        || (from != Some(to)
            && (matches!(to, Status::Met | Status::Partial | Status::Blocked)
                || from == Some(Status::Blocked)
                || regressed))
}

/// The prerequisites behind the most blocked verdicts of `current`: by dependants, then by
/// verdicts, the first [`TOP`].
fn blockers(current: &Report) -> Vec<Blocker> {
    let mut counted: BTreeMap<&str, (BTreeSet<&str>, u64)> = BTreeMap::new();
    for c in &current.commitments {
        for r in c.results.iter().filter(|r| r.status == Status::Blocked) {
            for b in &r.blocked_by {
                let e = counted.entry(b.as_str()).or_default();
                e.0.insert(c.id.as_str());
                e.1 += 1;
            }
        }
    }
    let titles: BTreeMap<&str, &str> = current
        .commitments
        .iter()
        .map(|c| (c.id.as_str(), c.title.as_str()))
        .collect();
    let mut blockers: Vec<Blocker> = counted
        .into_iter()
        .map(|(id, (deps, verdicts))| Blocker {
            id: id.to_string(),
            title: titles.get(id).copied().unwrap_or_default().to_string(),
            dependants: deps.into_iter().map(str::to_string).collect(),
            verdicts,
        })
        .collect();
    blockers.sort_by(|a, b| {
        (b.dependants.len(), b.verdicts)
            .cmp(&(a.dependants.len(), a.verdicts))
            .then(a.id.cmp(&b.id))
    });
    blockers.truncate(TOP);
    blockers
}

fn chapters_by_id(r: &Report) -> BTreeMap<&str, &ChapterScore> {
    r.chapters.iter().map(|c| (c.id.as_str(), c)).collect()
}

/// Each chapter of `current` with its percent now and a year before.
fn chapter_heads(previous: &Report, current: &Report) -> Vec<ChapterHead> {
    let before = chapters_by_id(previous);
    current
        .chapters
        .iter()
        .map(|c| ChapterHead {
            id: c.id.clone(),
            title: c.title.clone(),
            percent: Moved::new(c.percent, before.get(c.id.as_str()).and_then(|p| p.percent)),
        })
        .collect()
}

/// The party x chapter table, with the parties scored in either year.
fn party_rows(previous: &Report, current: &Report) -> Vec<PartyRow> {
    let chapters_before = chapters_by_id(previous);
    let parties_before: BTreeMap<&str, (usize, Option<f64>)> = previous
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| (p.code.as_str(), (i, p.percent)))
        .collect();
    current
        .parties
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let old = parties_before.get(p.code.as_str()).copied();
            let overall = Moved::new(p.percent, old.and_then(|o| o.1));
            if overall.percent.is_none() && overall.previous.is_none() {
                return None;
            }
            let cells = current
                .chapters
                .iter()
                .map(|ch| {
                    let now = ch.party_percent.get(i).copied().flatten();
                    let then = old.and_then(|(j, _)| {
                        chapters_before
                            .get(ch.id.as_str())
                            .and_then(|pc| pc.party_percent.get(j).copied().flatten())
                    });
                    Moved::new(now, then)
                })
                .collect();
            Some(PartyRow {
                code: p.code.clone(),
                name: p.name.clone(),
                overall,
                chapters: cells,
            })
        })
        .collect()
}

/// Verdicts per status now and a year before.
fn status_moves(previous: &Report, current: &Report) -> Vec<StatusMove> {
    let before: BTreeMap<Status, u64> = previous
        .overall
        .statuses
        .iter()
        .map(|s| (s.status, s.count))
        .collect();
    current
        .overall
        .statuses
        .iter()
        .map(|s| StatusMove {
            status: s.status,
            count: s.count,
            previous: before.get(&s.status).copied().unwrap_or_default(),
        })
        .collect()
}

impl DataQuality {
    /// Every input file's counts and most frequent rejects, and the most frequent over all.
    fn of(current: &Report) -> DataQuality {
        let mut all_rejects: BTreeMap<String, u64> = BTreeMap::new();
        let files = current
            .inputs
            .iter()
            .map(|f| {
                for (code, n) in &f.rejects_by_code {
                    *all_rejects.entry(code.clone()).or_default() += n;
                }
                FileQuality {
                    path: f.path.clone(),
                    rows: f.rows,
                    accepted: f.accepted,
                    rejected: f.rejected,
                    unmatched: f.unmatched,
                    top_rejects: top(&f.rejects_by_code),
                }
            })
            .collect();
        DataQuality {
            files,
            top_rejects: top(&all_rejects),
        }
    }
}

/// Render a year's summary; `state` is the status report as of the same date (the HTML shows
/// its commitment x party matrix).
pub fn render(summary: &Summary, state: &Report, format: Format) -> String {
    render_in(summary, state, format, None)
}

/// Like [`render`], for a page of a span of years (`span` = first and last year): the HTML
/// links the previous and next year and the index.
pub fn render_in(
    summary: &Summary,
    state: &Report,
    format: Format,
    span: Option<(i32, i32)>,
) -> String {
    match format {
        Format::Md => markdown::render(summary),
        Format::Json => report::json::to_string(summary),
        Format::Csv => csv::render(summary),
        Format::Html => html::render_in(summary, state, span),
    }
}

/// The summary in `format` written to `out`: json and csv as they are serialised, md and html
/// (small, and built as a page) as one text. `span` as for [`render_in`].
pub fn write<W: std::io::Write + ?Sized>(
    out: &mut W,
    summary: &Summary,
    state: &Report,
    format: Format,
    span: Option<(i32, i32)>,
) -> std::io::Result<()> {
    match format {
        Format::Json => report::json::write(out, summary),
        Format::Csv => csv::write(out, summary),
        Format::Md | Format::Html => {
            out.write_all(render_in(summary, state, format, span).as_bytes())
        }
    }
}

impl Summary {
    /// What produced the summary, for the provenance file beside a CSV summary.
    pub fn provenance(&self) -> String {
        report::provenance_csv(&self.engine, &self.as_of, &self.rules, &self.inputs)
    }
}

/// The file name of a year's summary in an output directory.
pub fn file_name(year: i32, format: Format) -> String {
    format!("summary-{year}.{}", format.extension())
}

/// The year of a summary file name written by [`file_name`] in `format`.
pub fn year_of_file(name: &str, format: Format) -> Option<i32> {
    let year = name
        .strip_prefix("summary-")?
        .strip_suffix(&format!(".{}", format.extension()))?;
    // A CSV summary's provenance goes with it.
    let year = match format {
        Format::Csv => year.strip_suffix(".provenance").unwrap_or(year),
        _ => year,
    };
    year.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    /// commitment, party, status, evidence, blocked_by
    type Row<'a> = (&'a str, &'a str, Status, &'a [&'a str], &'a [&'a str]);

    fn report(as_of: &str, results: &[Row<'_>]) -> Report {
        let mut r = sample::report(as_of, Vec::new());
        for (c, p, s, ev, by) in results {
            let result = sample::result(p, *s, ev, by);
            match r.commitments.iter_mut().find(|x| x.id == *c) {
                Some(x) => x.results.push(result),
                None => r.commitments.push(sample::commitment(
                    c,
                    &format!("title of {c}"),
                    "ch",
                    vec![result],
                )),
            }
        }
        r.overall.percent = Some(50.0);
        r
    }

    #[test]
    fn changes_are_sorted_into_their_lists() {
        use Status::*;
        let old = report(
            "2016-12-31",
            &[
                ("A", "KAZ", Partial, &["a1"], &[]),
                ("B", "KAZ", Met, &["b1"], &[]),
                ("C", "KAZ", Blocked, &[], &["X"]),
                ("D", "KAZ", Pending, &[], &[]),
                ("E", "KAZ", Met, &[], &[]),
                ("F", "KAZ", Blocked, &[], &["X"]),
                ("G", "KAZ", Exempt, &[], &[]),
            ],
        );
        let new = report(
            "2017-12-31",
            &[
                ("A", "KAZ", Met, &["a1", "a2"], &[]),
                ("B", "KAZ", Partial, &["b1"], &[]),
                ("C", "KAZ", NotMet, &[], &[]),
                ("D", "KAZ", Blocked, &[], &["X"]),
                ("E", "KAZ", Breached, &["e9"], &[]),
                ("F", "KAZ", Blocked, &[], &["X"]),
                ("G", "KAZ", NotMet, &[], &[]),
            ],
        );
        let s = Summary::build(2017, &old, &new);
        let ids = |v: &[Change]| v.iter().map(|c| c.commitment.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&s.changes.newly_met), ["A"]);
        assert_eq!(s.changes.newly_met[0].evidence_added, ["a2"]);
        assert_eq!(ids(&s.changes.newly_partial), ["B"]);
        assert_eq!(ids(&s.changes.regressed), ["B", "D", "E"]);
        assert_eq!(ids(&s.changes.newly_blocked), ["D"]);
        assert_eq!(ids(&s.changes.unblocked), ["C"]);
        assert_eq!(ids(&s.changes.breaches), ["E"]);
        assert_eq!(s.blockers.len(), 1);
        assert_eq!(s.blockers[0].id, "X");
        assert_eq!(s.blockers[0].dependants, ["D", "F"]);
        assert_eq!(s.blockers[0].verdicts, 2);
    }

    #[test]
    fn moves_are_rounded_and_signed() {
        assert_eq!(Moved::new(Some(62.5), Some(58.25)).change, Some(4.25));
        assert_eq!(Moved::new(Some(62.5), Some(62.46)).change_text(), "±0.0");
        assert_eq!(Moved::new(Some(62.5), Some(58.3)).change_text(), "+4.2");
        assert_eq!(Moved::new(Some(50.0), Some(75.0)).change_text(), "-25.0");
        assert_eq!(Moved::new(Some(50.0), Some(50.0)).change_text(), "±0.0");
        assert_eq!(Moved::new(Some(50.0), None).change_text(), "new");
        assert_eq!(Moved::new(None, Some(50.0)).change_text(), "");
    }

    #[test]
    fn year_ranges_are_checked() {
        assert_eq!(years(2016, 2018).map(|r| r.count()), Ok(3));
        assert_eq!(
            years(2018, 2016),
            Err(YearError::Reversed {
                from: 2018,
                to: 2016
            })
        );
        assert!(years(2016, 20250).is_err());
        assert!(year_end(i32::MAX).is_err());
        assert!(years(-262143, -262143).is_err());
        assert!(years(i32::MIN, i32::MIN).is_err());
        assert!(previous_year_end(i32::MIN).is_err());
    }
}
