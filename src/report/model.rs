//! The status report as data: the JSON contract that every format renders and `diff` reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::activity::FileStats;
use crate::assessment::Assessments;
use crate::catalogue::{Catalogue, FileDigest};
use crate::evaluate::{Evaluation, Judged, Ledger, Status, Verdict};

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Report {
    /// The version of the JSON contract (`concord schema` prints it).
    #[serde(default)]
    pub schema_version: crate::schema::SchemaVersion,
    pub engine: EngineInfo,
    pub strategy: StrategyInfo,
    pub as_of: String,
    pub rules: Vec<FileDigest>,
    pub inputs: Vec<FileStats>,
    /// The analyst's assessments file, when the run had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessments: Option<FileDigest>,
    /// The parties the report was restricted to (`--party`); empty when it covers all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restricted_to: Vec<String>,
    pub overall: Overall,
    pub parties: Vec<PartyScore>,
    pub chapters: Vec<ChapterScore>,
    pub commitments: Vec<CommitmentReport>,
}

// The program that wrote an output, as the output names it; `crate::run::Engine` is the one
// that evaluates. A plain comment: a doc comment would enter the published schema, which keeps
// its name `Engine` and no description.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
#[schemars(rename = "Engine")]
pub struct EngineInfo {
    pub name: String,
    pub version: String,
}

impl EngineInfo {
    /// This build of concord.
    pub fn current() -> EngineInfo {
        EngineInfo {
            name: "concord".into(),
            version: crate::VERSION.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct StrategyInfo {
    pub title: String,
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Overall {
    pub score: Option<f64>,
    pub percent: Option<f64>,
    pub scored: u64,
    #[serde(default)]
    pub counts: Tally,
    /// How many verdicts have each status, in the order of [`Status::ALL`].
    pub statuses: Vec<StatusCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct StatusCount {
    pub status: Status,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PartyScore {
    pub code: String,
    pub name: String,
    pub score: Option<f64>,
    pub percent: Option<f64>,
    #[serde(default)]
    pub counts: Tally,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ChapterScore {
    pub id: String,
    pub title: String,
    pub score: Option<f64>,
    pub percent: Option<f64>,
    #[serde(default)]
    pub counts: Tally,
    /// Per party, in the order of `Report::parties`: this chapter's percent for that party.
    pub party_percent: Vec<Option<f64>>,
    /// The counts behind each of `party_percent`.
    #[serde(default)]
    pub party_counts: Vec<Tally>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct CommitmentReport {
    pub id: String,
    pub title: String,
    pub chapter: String,
    pub scope: String,
    pub score: Option<f64>,
    pub percent: Option<f64>,
    #[serde(default)]
    pub counts: Tally,
    pub results: Vec<ResultReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ResultReport {
    pub party: String,
    pub status: Status,
    /// Ids of the evidence rows, in (date, id) order: the earliest first.
    pub evidence: Vec<String>,
    /// How many evidence rows there are, when `evidence` lists only the first of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_total: Option<usize>,
    pub blocked_by: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Why the verdict is what it is beyond a count: why not applicable, which status event
    /// holds, which panel a trend compared, which prerequisite group failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// Where an analyst adjudicated: the verdict the engine computed (`status` is the analyst's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<AssessmentReport>,
}

/// An analyst's assessment as a report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct AssessmentReport {
    pub reviewer: String,
    pub reviewed: String,
    pub reason: String,
    pub evidence: Vec<String>,
    /// The line of the assessments file.
    pub line: usize,
}

impl ResultReport {
    /// Whether an analyst set a verdict other than the computed one.
    pub fn disagrees(&self) -> bool {
        self.computed.is_some_and(|c| c != self.status)
    }
}

/// How much of each verdict's evidence a report spells out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every evidence id: what the JSON and CSV contracts promise and `diff` compares.
    Full,
    /// The first ids and the count: enough for a matrix cell, and cheap on millions of rows.
    Sample(usize),
}

impl ResultReport {
    /// How many evidence rows the verdict rests on, listed or not.
    pub fn evidence_count(&self) -> usize {
        self.evidence_total.unwrap_or(self.evidence.len())
    }
}

/// The scored verdicts behind a score, by status: score = (met - not_met - breached -
/// blocked) / scored, percent = (score + 1) / 2 x 100. The JSON carries them with the exact
/// score and percent, so that a consumer can recompute or round once, as it needs; md, html
/// and csv round for reading.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize,
)]
pub struct Tally {
    pub scored: u64,
    pub met: u64,
    pub partial: u64,
    pub not_met: u64,
    pub breached: u64,
    pub blocked: u64,
}

impl Tally {
    pub fn add(&mut self, status: Status) {
        let slot = match status {
            Status::Met => &mut self.met,
            Status::Partial => &mut self.partial,
            Status::NotMet => &mut self.not_met,
            Status::Breached => &mut self.breached,
            Status::Blocked => &mut self.blocked,
            _ => return,
        };
        *slot += 1;
        self.scored += 1;
    }

    pub fn mean(&self) -> Option<f64> {
        let sum = self.met as f64 - (self.not_met + self.breached + self.blocked) as f64;
        (self.scored > 0).then(|| sum / self.scored as f64)
    }

    pub fn percent(&self) -> Option<f64> {
        self.mean().map(|m| (m + 1.0) / 2.0 * 100.0)
    }
}

fn scored(s: &Tally) -> (Option<f64>, Option<f64>) {
    (s.mean(), s.percent())
}

/// The tallies behind every score of a report, taken verdict by verdict: by [`Report::build`]
/// from an evaluation and by [`Report::restrict`] from the results kept.
struct Tallies {
    overall: Tally,
    parties: Vec<Tally>,
    chapters: Vec<Tally>,
    /// Per chapter, per party.
    chapter_parties: Vec<Vec<Tally>>,
    /// Verdicts per status, in the order of [`Status::ALL`].
    statuses: [u64; Status::ALL.len()],
}

impl Tallies {
    fn new(parties: usize, chapters: usize) -> Tallies {
        Tallies {
            overall: Tally::default(),
            parties: vec![Tally::default(); parties],
            chapters: vec![Tally::default(); chapters],
            chapter_parties: vec![vec![Tally::default(); parties]; chapters],
            statuses: [0; Status::ALL.len()],
        }
    }

    /// Count a verdict of `party` in `chapter` (either unknown to the report: not counted there).
    fn add(&mut self, status: Status, party: Option<usize>, chapter: Option<usize>) {
        self.overall.add(status);
        if let Some(i) = Status::ALL.iter().position(|s| *s == status) {
            self.statuses[i] += 1;
        }
        if let Some(p) = party {
            self.parties[p].add(status);
        }
        if let Some(ch) = chapter {
            self.chapters[ch].add(status);
            if let Some(p) = party {
                self.chapter_parties[ch][p].add(status);
            }
        }
    }

    fn overall(&self) -> Overall {
        let (score, percent) = scored(&self.overall);
        Overall {
            score,
            percent,
            scored: self.overall.scored,
            counts: self.overall,
            statuses: Status::ALL
                .iter()
                .zip(self.statuses)
                .map(|(s, count)| StatusCount { status: *s, count })
                .collect(),
        }
    }
}

impl PartyScore {
    fn set_counts(&mut self, counts: Tally) {
        (self.score, self.percent) = scored(&counts);
        self.counts = counts;
    }
}

impl ChapterScore {
    fn set_counts(&mut self, counts: Tally, party_counts: Vec<Tally>) {
        (self.score, self.percent) = scored(&counts);
        self.counts = counts;
        self.party_percent = party_counts.iter().map(|t| scored(t).1).collect();
        self.party_counts = party_counts;
    }
}

impl CommitmentReport {
    fn set_counts(&mut self, counts: Tally) {
        (self.score, self.percent) = scored(&counts);
        self.counts = counts;
    }
}

impl Report {
    pub fn build(
        catalogue: &Catalogue,
        evaluation: &Evaluation,
        ledger: &Ledger,
        inputs: &[FileStats],
        assessments: &Assessments,
        detail: Detail,
    ) -> Report {
        let mut tallies = Tallies::new(catalogue.parties.len(), catalogue.chapters.len());
        let shown = Shown {
            catalogue,
            ledger,
            assessments,
            detail,
        };
        let commitments = catalogue
            .commitments
            .iter()
            .zip(&evaluation.commitments)
            .map(|(c, judged)| shown.commitment(c, judged, &mut tallies))
            .collect();
        Report {
            schema_version: Default::default(),
            engine: EngineInfo::current(),
            strategy: StrategyInfo {
                title: catalogue.strategy.title.clone(),
                start: catalogue.strategy.start.to_string(),
                end: catalogue.strategy.end.to_string(),
            },
            as_of: evaluation.as_of.to_string(),
            rules: catalogue.files.clone(),
            inputs: inputs.to_vec(),
            assessments: assessments.file.clone(),
            restricted_to: Vec::new(),
            overall: tallies.overall(),
            parties: party_scores(catalogue, &tallies),
            chapters: chapter_scores(catalogue, &tallies),
            commitments,
        }
    }

    /// The report on some parties only: their results, and every score and count taken again
    /// over those results alone (a collective verdict is party `SCO`'s).
    pub fn restrict(&mut self, parties: &[String]) {
        let keep = |code: &str| parties.iter().any(|p| p == code);
        self.restricted_to = parties.to_vec();
        self.parties.retain(|p| keep(&p.code));
        let mut tallies = Tallies::new(self.parties.len(), self.chapters.len());
        for c in &mut self.commitments {
            c.results.retain(|r| keep(&r.party));
            let chapter = self.chapters.iter().position(|ch| ch.id == c.chapter);
            let mut tally = Tally::default();
            for r in &c.results {
                tally.add(r.status);
                let party = self.parties.iter().position(|p| p.code == r.party);
                tallies.add(r.status, party, chapter);
            }
            c.set_counts(tally);
        }
        self.overall = tallies.overall();
        for (p, t) in self.parties.iter_mut().zip(tallies.parties) {
            p.set_counts(t);
        }
        for ((ch, t), per_party) in self
            .chapters
            .iter_mut()
            .zip(tallies.chapters)
            .zip(tallies.chapter_parties)
        {
            ch.set_counts(t, per_party);
        }
    }

    /// Every verdict by (commitment, party): how the verdicts of two reports are paired, by
    /// `diff` and by a summary's changes.
    pub fn results_by_key(&self) -> BTreeMap<(&str, &str), &ResultReport> {
        self.commitments
            .iter()
            .flat_map(|c| {
                c.results
                    .iter()
                    .map(move |r| ((c.id.as_str(), r.party.as_str()), r))
            })
            .collect()
    }

    /// Every adjudicated verdict, as (commitment, result), in commitment and party order.
    pub fn adjudicated(&self) -> Vec<(&CommitmentReport, &ResultReport)> {
        self.commitments
            .iter()
            .flat_map(|c| c.results.iter().map(move |r| (c, r)))
            .filter(|(_, r)| r.computed.is_some())
            .collect()
    }

    /// The commitments of one chapter, in id order.
    pub fn chapter_commitments<'r>(&'r self, chapter: &str) -> Vec<&'r CommitmentReport> {
        self.commitments
            .iter()
            .filter(|c| c.chapter == chapter)
            .collect()
    }

    /// Parties that have at least one scored or applicable verdict: the columns worth showing.
    pub fn active_parties(&self) -> Vec<usize> {
        (0..self.parties.len())
            .filter(|&i| {
                let code = &self.parties[i].code;
                self.commitments.iter().any(|c| {
                    c.results
                        .iter()
                        .any(|r| &r.party == code && r.status != Status::NotApplicable)
                })
            })
            .collect()
    }
}

/// Every party of the catalogue with its score.
fn party_scores(catalogue: &Catalogue, tallies: &Tallies) -> Vec<PartyScore> {
    catalogue
        .parties
        .iter()
        .zip(&tallies.parties)
        .map(|(p, t)| {
            let mut score = PartyScore {
                code: p.code.clone(),
                name: p.name.clone(),
                score: None,
                percent: None,
                counts: Tally::default(),
            };
            score.set_counts(*t);
            score
        })
        .collect()
}

/// Every chapter of the catalogue with its score, overall and per party.
fn chapter_scores(catalogue: &Catalogue, tallies: &Tallies) -> Vec<ChapterScore> {
    catalogue
        .chapters
        .iter()
        .zip(tallies.chapters.iter().zip(&tallies.chapter_parties))
        .map(|(ch, (t, per_party))| {
            let mut score = ChapterScore {
                id: ch.id.clone(),
                title: ch.title.clone(),
                score: None,
                percent: None,
                counts: Tally::default(),
                party_percent: Vec::new(),
                party_counts: Vec::new(),
            };
            score.set_counts(*t, per_party.clone());
            score
        })
        .collect()
}

/// What a report is built from beyond the verdicts: names, evidence ids and assessments, and how
/// many ids to spell out.
struct Shown<'a> {
    catalogue: &'a Catalogue,
    ledger: &'a Ledger,
    assessments: &'a Assessments,
    detail: Detail,
}

impl Shown<'_> {
    /// A commitment's results in party order, its verdicts counted into `tallies` as well.
    fn commitment(
        &self,
        c: &crate::catalogue::Commitment,
        judged: &Judged,
        tallies: &mut Tallies,
    ) -> CommitmentReport {
        let mut tally = Tally::default();
        for v in &judged.verdicts {
            tally.add(v.status);
            tallies.add(v.status, Some(v.party as usize), Some(c.chapter));
        }
        let mut results: Vec<ResultReport> =
            judged.verdicts.iter().map(|v| self.result(v)).collect();
        results.sort_by(|a, b| a.party.cmp(&b.party));
        let mut report = CommitmentReport {
            id: c.id.clone(),
            title: c.title.clone(),
            chapter: self.catalogue.chapters[c.chapter].id.clone(),
            scope: c.scope.as_str().to_string(),
            score: None,
            percent: None,
            counts: Tally::default(),
            results,
        };
        report.set_counts(tally);
        report
    }

    /// A verdict as the report shows it: party code, evidence ids to `detail`, the assessment.
    fn result(&self, v: &Verdict) -> ResultReport {
        let shown = match self.detail {
            Detail::Full => v.evidence.len(),
            Detail::Sample(n) => n.min(v.evidence.len()),
        };
        ResultReport {
            party: self.catalogue.parties[v.party as usize].code.clone(),
            status: v.status,
            evidence: self
                .ledger
                .ids_of(&v.evidence[..shown])
                .map(|id| id.to_string())
                .collect(),
            evidence_total: (shown < v.evidence.len()).then_some(v.evidence.len()),
            blocked_by: v.blocked_by.clone(),
            warnings: v.warnings.clone(),
            reasons: v.reasons.clone(),
            computed: v.computed,
            assessment: v
                .assessment
                .and_then(|i| self.assessments.items.get(i))
                .map(|a| AssessmentReport {
                    reviewer: a.reviewer.clone(),
                    reviewed: a.reviewed.to_string(),
                    reason: a.reason.clone(),
                    evidence: a.evidence.clone(),
                    line: a.line,
                }),
        }
    }
}

/// Small reports for the tests that compare two of them (diff, summaries, the index).
#[cfg(test)]
pub(crate) mod sample {
    use super::*;

    /// A report as of `as_of` on one party (KAZ), nothing scored, with these commitments.
    pub(crate) fn report(as_of: &str, commitments: Vec<CommitmentReport>) -> Report {
        Report {
            schema_version: Default::default(),
            engine: EngineInfo::current(),
            strategy: StrategyInfo {
                title: "t".into(),
                start: "2015-07-10".into(),
                end: "2025-12-31".into(),
            },
            as_of: as_of.into(),
            rules: vec![],
            inputs: vec![],
            assessments: None,
            restricted_to: Vec::new(),
            overall: Overall {
                score: None,
                percent: None,
                scored: 0,
                statuses: vec![],
                counts: Default::default(),
            },
            parties: vec![PartyScore {
                code: "KAZ".into(),
                name: "Kazakhstan".into(),
                score: None,
                percent: None,
                counts: Default::default(),
            }],
            chapters: vec![],
            commitments,
        }
    }

    /// An unscored commitment of `chapter` with these results.
    pub(crate) fn commitment(
        id: &str,
        title: &str,
        chapter: &str,
        results: Vec<ResultReport>,
    ) -> CommitmentReport {
        CommitmentReport {
            id: id.into(),
            title: title.into(),
            chapter: chapter.into(),
            scope: "each-member".into(),
            score: None,
            percent: None,
            counts: Default::default(),
            results,
        }
    }

    /// A verdict with its evidence ids and blockers, nothing else.
    pub(crate) fn result(
        party: &str,
        status: Status,
        evidence: &[&str],
        blocked_by: &[&str],
    ) -> ResultReport {
        ResultReport {
            party: party.into(),
            status,
            evidence: evidence.iter().map(|e| e.to_string()).collect(),
            evidence_total: None,
            blocked_by: blocked_by.iter().map(|e| e.to_string()).collect(),
            warnings: vec![],
            reasons: vec![],
            computed: None,
            assessment: None,
        }
    }
}

/// Who produced a document and from what: engine, strategy, as-of date and the digest of every
/// rules and input file. Every document opens with it, in Markdown and in HTML.
#[derive(Debug, Clone, Copy)]
pub struct Provenance<'a> {
    pub engine: &'a EngineInfo,
    pub strategy: &'a StrategyInfo,
    pub as_of: &'a str,
    pub rules: &'a [FileDigest],
    pub inputs: &'a [FileStats],
}

impl<'a> Provenance<'a> {
    pub fn of_report(r: &'a Report) -> Provenance<'a> {
        Provenance {
            engine: &r.engine,
            strategy: &r.strategy,
            as_of: &r.as_of,
            rules: &r.rules,
            inputs: &r.inputs,
        }
    }
}
