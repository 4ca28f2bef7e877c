//! How much of the source text the catalogue covers: the units (sentences and list items) that
//! the counting rules count as undertakings, and which of them no commitment quotes.

pub mod rules;
pub mod units;

use std::fmt::Write;

use serde::Serialize;

use crate::catalogue::source::{comparable, normalize};
use crate::catalogue::Catalogue;
use rules::{classify, Rule};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Coverage {
    /// The version of the JSON contract (`concord schema` prints it).
    #[serde(default)]
    pub schema_version: crate::schema::SchemaVersion,
    pub source: String,
    /// Units counted as undertakings.
    pub flagged: usize,
    pub quoted: usize,
    pub excluded: usize,
    pub uncovered: usize,
    /// (quoted + excluded) / flagged, in percent.
    pub percent: f64,
    pub chapters: Vec<ChapterCoverage>,
    /// Quotes of `uncovered.toml` that no counted unit matches: the rules leave them out
    /// already, or the text they excluded is gone.
    pub unused_exclusions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ChapterCoverage {
    pub id: String,
    pub title: String,
    /// Units: sentences and list items.
    pub sentences: usize,
    pub flagged: usize,
    pub quoted: usize,
    pub excluded: usize,
    pub uncovered: usize,
    pub percent: f64,
    /// Every counted unit and what covers it.
    pub details: Vec<SentenceCoverage>,
    /// Units that use undertaking-like wording but that a rule leaves out.
    pub left_out: Vec<LeftOut>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SentenceCoverage {
    pub sentence: String,
    /// Code of the counting rule that counts it (`U1`..`U7`).
    pub rule: &'static str,
    /// Ids of the commitments that quote it.
    pub commitments: Vec<String>,
    /// Why it is not a commitment, when `uncovered.toml` says so.
    pub excluded: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LeftOut {
    pub sentence: String,
    /// Code of the rule that leaves it out (`L1`..`L5`).
    pub rule: &'static str,
}

/// The source cut into the catalogue's chapters: a line that reads as a chapter's title starts
/// it; text before the first title belongs to chapter `opening`, text after `* * *` to `closing`.
fn sections(catalogue: &Catalogue) -> Vec<(Option<usize>, String)> {
    let find = |id: &str| catalogue.chapters.iter().position(|c| c.id == id);
    let mut sections: Vec<(Option<usize>, String)> = vec![(find("opening"), String::new())];
    for line in catalogue.strategy.source_text.lines() {
        let t = line.trim();
        let heading = catalogue
            .chapters
            .iter()
            .position(|c| !t.is_empty() && c.title.eq_ignore_ascii_case(t));
        if let Some(ch) = heading {
            sections.push((Some(ch), String::new()));
        } else if t == "* * *" {
            sections.push((find("closing"), String::new()));
        } else if let Some(last) = sections.last_mut() {
            last.1.push_str(line);
            last.1.push('\n');
        }
    }
    sections
}

fn overlaps(unit: &str, quote: &str) -> bool {
    !quote.is_empty() && (unit.contains(quote) || quote.contains(unit))
}

pub fn coverage(catalogue: &Catalogue) -> Coverage {
    let mut quotes = Quotes::new(catalogue);
    let mut chapters: Vec<ChapterCoverage> = catalogue
        .chapters
        .iter()
        .map(|c| ChapterCoverage::new(&c.id, &c.title))
        .collect();
    let mut orphan = ChapterCoverage::new("(none)", "Outside every chapter");
    for (chapter, text) in sections(catalogue) {
        let entry = match chapter {
            Some(i) => &mut chapters[i],
            None => &mut orphan,
        };
        entry.count(&text, &mut quotes);
    }
    if orphan.sentences > 0 {
        chapters.push(orphan);
    }
    for c in &mut chapters {
        c.percent = percent(c.quoted + c.excluded, c.flagged);
    }
    let sum = |f: fn(&ChapterCoverage) -> usize| chapters.iter().map(f).sum::<usize>();
    let (flagged, quoted, excluded, uncovered) = (
        sum(|c| c.flagged),
        sum(|c| c.quoted),
        sum(|c| c.excluded),
        sum(|c| c.uncovered),
    );
    Coverage {
        schema_version: Default::default(),
        source: catalogue.strategy.source_path.clone(),
        flagged,
        quoted,
        excluded,
        uncovered,
        percent: percent(quoted + excluded, flagged),
        chapters,
        unused_exclusions: quotes.unused(catalogue),
    }
}

/// Covered units in percent of the counted ones, to one decimal; all of none is 100.
fn percent(covered: usize, flagged: usize) -> f64 {
    if flagged == 0 {
        100.0
    } else {
        (covered as f64 * 1000.0 / flagged as f64).round() / 10.0
    }
}

/// The commitments' quotes and the exclusions of `uncovered.toml`, in comparable form, and
/// which exclusions matched a counted unit.
struct Quotes<'c> {
    commitments: Vec<(String, &'c str)>,
    exclusions: Vec<(String, &'c str)>,
    used: Vec<bool>,
}

impl<'c> Quotes<'c> {
    fn new(catalogue: &'c Catalogue) -> Quotes<'c> {
        let commitments = catalogue
            .commitments
            .iter()
            .map(|c| (comparable(&c.quote), c.id.as_str()))
            .collect();
        let exclusions: Vec<(String, &str)> = catalogue
            .uncovered
            .iter()
            .map(|u| (comparable(&u.quote), u.reason.as_str()))
            .collect();
        Quotes {
            commitments,
            used: vec![false; exclusions.len()],
            exclusions,
        }
    }

    /// The ids of the commitments that quote `unit`, and the reason of the first exclusion that
    /// matches it.
    fn cover(&mut self, unit: &str) -> (Vec<String>, Option<String>) {
        let key = comparable(unit);
        let commitments = self
            .commitments
            .iter()
            .filter(|(q, _)| overlaps(&key, q))
            .map(|(_, id)| id.to_string())
            .collect();
        let excluded = self
            .exclusions
            .iter()
            .position(|(q, _)| overlaps(&key, q))
            .map(|at| {
                self.used[at] = true;
                self.exclusions[at].1.to_string()
            });
        (commitments, excluded)
    }

    /// The quotes of the exclusions that matched no counted unit.
    fn unused(&self, catalogue: &Catalogue) -> Vec<String> {
        catalogue
            .uncovered
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(u, _)| u.quote.clone())
            .collect()
    }
}

impl ChapterCoverage {
    fn new(id: &str, title: &str) -> Self {
        ChapterCoverage {
            id: id.into(),
            title: title.into(),
            sentences: 0,
            flagged: 0,
            quoted: 0,
            excluded: 0,
            uncovered: 0,
            percent: 100.0,
            details: Vec::new(),
            left_out: Vec::new(),
        }
    }

    /// Count the units of one section of the text: each counted one with what covers it, each
    /// that a rule leaves out with that rule.
    fn count(&mut self, text: &str, quotes: &mut Quotes) {
        let units = units::units(&normalize(text));
        for (i, unit) in units.iter().enumerate() {
            self.sentences += 1;
            let next = units.get(i + 1).map(|u| u.text.as_str());
            match classify(unit, next) {
                Some(rule) if rule.counted() => self.count_undertaking(&unit.text, rule, quotes),
                Some(rule) => self.left_out.push(LeftOut {
                    sentence: unit.text.clone(),
                    rule: rule.code(),
                }),
                None => {}
            }
        }
    }

    /// A unit counted as an undertaking is quoted, excluded, or uncovered.
    fn count_undertaking(&mut self, unit: &str, rule: Rule, quotes: &mut Quotes) {
        self.flagged += 1;
        let (commitments, excluded) = quotes.cover(unit);
        if !commitments.is_empty() {
            self.quoted += 1;
        } else if excluded.is_some() {
            self.excluded += 1;
        } else {
            self.uncovered += 1;
        }
        self.details.push(SentenceCoverage {
            sentence: unit.to_string(),
            rule: rule.code(),
            commitments,
            excluded,
        });
    }
}

/// `U2 implied-actor` for a rule's code.
fn rule_label(code: &str) -> String {
    Rule::ALL.iter().find(|r| r.code() == code).map_or_else(
        || code.to_string(),
        |r| format!("{} {}", r.code(), r.name()),
    )
}

impl Coverage {
    /// The report for readers: the totals, a table by chapter, then what still needs a reader's
    /// eye in each chapter and the exclusions that no longer match anything.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        self.totals(&mut out);
        self.chapter_table(&mut out);
        for c in &self.chapters {
            c.open_units(&mut out);
        }
        self.stale_exclusions(&mut out);
        out
    }

    /// The headline: how many units are undertakings, and how they are covered.
    fn totals(&self, out: &mut String) {
        let _ = writeln!(out, "# Coverage of `{}`\n", self.source);
        let _ = writeln!(
            out,
            "{} units (sentences and list items) are undertakings by the counting rules: {} quoted by a commitment, {} excluded with a reason, {} uncovered — **{:.1}%** covered.\n",
            self.flagged, self.quoted, self.excluded, self.uncovered, self.percent
        );
    }

    /// The same counts by chapter, to show where the gaps are.
    fn chapter_table(&self, out: &mut String) {
        let _ = writeln!(out, "| chapter | units | counted | quoted | excluded | uncovered | covered |\n|---|---:|---:|---:|---:|---:|---:|");
        for c in &self.chapters {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {:.1}% |",
                c.title, c.sentences, c.flagged, c.quoted, c.excluded, c.uncovered, c.percent
            );
        }
    }

    /// An exclusion that matches nothing is stale: the rules leave the unit out already, or the
    /// text it excluded is gone, and either way it can be removed.
    fn stale_exclusions(&self, out: &mut String) {
        if self.unused_exclusions.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n## Exclusions that match no counted unit\n");
        for q in &self.unused_exclusions {
            let _ = writeln!(out, "- \"{q}\"");
        }
    }
}

impl ChapterCoverage {
    /// The units no commitment quotes (excluded with a reason, or uncovered) and those a rule
    /// leaves out, each with its rule: what a reader checks against the text. Nothing, not
    /// even the heading, for a chapter with none of them.
    fn open_units(&self, out: &mut String) {
        let open: Vec<_> = self
            .details
            .iter()
            .filter(|d| d.commitments.is_empty())
            .collect();
        if open.is_empty() && self.left_out.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n## {}\n", self.title);
        for d in open {
            let rule = rule_label(d.rule);
            match &d.excluded {
                Some(reason) => {
                    let _ = writeln!(out, "- excluded ({rule}): \"{}\" — {reason}", d.sentence);
                }
                None => {
                    let _ = writeln!(out, "- **uncovered** ({rule}): \"{}\"", d.sentence);
                }
            }
        }
        for l in &self.left_out {
            let _ = writeln!(
                out,
                "- left out ({}): \"{}\"",
                rule_label(l.rule),
                l.sentence
            );
        }
    }
}
