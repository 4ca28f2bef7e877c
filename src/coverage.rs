//! How much of the source text the catalogue covers: the sentences that use commitment
//! language, and which of them no commitment quotes.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::catalogue::source::{comparable, normalize};
use crate::catalogue::Catalogue;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Coverage {
    /// The version of the JSON contract (`concord schema` prints it).
    #[serde(default)]
    pub schema_version: crate::schema::SchemaVersion,
    pub source: String,
    pub flagged: usize,
    pub quoted: usize,
    pub excluded: usize,
    pub uncovered: usize,
    /// (quoted + excluded) / flagged, in percent.
    pub percent: f64,
    pub chapters: Vec<ChapterCoverage>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ChapterCoverage {
    pub id: String,
    pub title: String,
    pub sentences: usize,
    pub flagged: usize,
    pub quoted: usize,
    pub excluded: usize,
    pub uncovered: usize,
    pub percent: f64,
    /// Every flagged sentence and what covers it.
    pub details: Vec<SentenceCoverage>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SentenceCoverage {
    pub sentence: String,
    /// Ids of the commitments that quote it.
    pub commitments: Vec<String>,
    /// Why it is not a commitment, when `uncovered.toml` says so.
    pub excluded: Option<String>,
}

/// Words by which the Strategy undertakes something.
pub fn commitment_language() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(will|shall|intends?|seeks?|continues?|continuing|priority|priorities|favou?rs?|advocates?|supports?|plans? to|resolved to)\b").expect("static regex")
    })
}

/// Split normalised text into sentences: at `.`, `;`, `?` or `!` followed by a space and an
/// upper-case letter or an opening quote.
pub fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        let end = matches!(chars[i], '.' | ';' | '?' | '!');
        let next_starts = chars.get(i + 1) == Some(&' ')
            && chars
                .get(i + 2)
                .is_some_and(|c| c.is_uppercase() || matches!(c, '“' | '"'));
        if end && next_starts {
            out.push(
                chars[start..=i]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string(),
            );
            start = i + 2;
        }
    }
    let rest: String = chars[start.min(chars.len())..].iter().collect();
    if !rest.trim().is_empty() {
        out.push(rest.trim().to_string());
    }
    out
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

pub fn coverage(catalogue: &Catalogue) -> Coverage {
    let quotes: Vec<(String, &str)> = catalogue
        .commitments
        .iter()
        .map(|c| (comparable(&c.quote), c.id.as_str()))
        .collect();
    let exclusions: Vec<(String, &str)> = catalogue
        .uncovered
        .iter()
        .map(|u| (comparable(&u.quote), u.reason.as_str()))
        .collect();
    let overlaps = |sentence: &str, quote: &str| {
        !quote.is_empty() && (sentence.contains(quote) || quote.contains(sentence))
    };
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
        for sentence in sentences(&normalize(&text)) {
            entry.sentences += 1;
            if !commitment_language().is_match(&sentence) {
                continue;
            }
            entry.flagged += 1;
            let key = comparable(&sentence);
            let commitments: Vec<String> = quotes
                .iter()
                .filter(|(q, _)| overlaps(&key, q))
                .map(|(_, id)| id.to_string())
                .collect();
            let excluded = exclusions
                .iter()
                .find(|(q, _)| overlaps(&key, q))
                .map(|(_, r)| r.to_string());
            if !commitments.is_empty() {
                entry.quoted += 1;
            } else if excluded.is_some() {
                entry.excluded += 1;
            } else {
                entry.uncovered += 1;
            }
            entry.details.push(SentenceCoverage {
                sentence,
                commitments,
                excluded,
            });
        }
    }
    if orphan.sentences > 0 {
        chapters.push(orphan);
    }
    let pct = |covered: usize, flagged: usize| {
        if flagged == 0 {
            100.0
        } else {
            (covered as f64 * 1000.0 / flagged as f64).round() / 10.0
        }
    };
    for c in &mut chapters {
        c.percent = pct(c.quoted + c.excluded, c.flagged);
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
        percent: pct(quoted + excluded, flagged),
        chapters,
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
        }
    }
}

impl Coverage {
    pub fn to_markdown(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "# Coverage of `{}`\n", self.source);
        let _ = writeln!(
            out,
            "{} sentences use commitment language: {} quoted by a commitment, {} excluded with a reason, {} uncovered — **{:.1}%** covered.\n",
            self.flagged, self.quoted, self.excluded, self.uncovered, self.percent
        );
        let _ = writeln!(out, "| chapter | sentences | flagged | quoted | excluded | uncovered | covered |\n|---|---:|---:|---:|---:|---:|---:|");
        for c in &self.chapters {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {:.1}% |",
                c.title, c.sentences, c.flagged, c.quoted, c.excluded, c.uncovered, c.percent
            );
        }
        for c in &self.chapters {
            let open: Vec<_> = c
                .details
                .iter()
                .filter(|d| d.commitments.is_empty())
                .collect();
            if open.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n## {}\n", c.title);
            for d in open {
                match &d.excluded {
                    Some(reason) => {
                        let _ = writeln!(out, "- excluded: \"{}\" — {reason}", d.sentence);
                    }
                    None => {
                        let _ = writeln!(out, "- **uncovered**: \"{}\"", d.sentence);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_sentence_ends_only() {
        let s = sentences("The SCO will act. It will, e.g. the U.N. way; Members agree? “Rules” apply. no split. Here");
        assert_eq!(
            s,
            vec![
                "The SCO will act.",
                "It will, e.g. the U.N. way;",
                "Members agree?",
                "“Rules” apply. no split.",
                "Here"
            ]
        );
    }

    #[test]
    fn flags_commitment_language() {
        let re = commitment_language();
        assert!(re.is_match("The member states will enhance dialogue"));
        assert!(re.is_match("SCO plans to establish relations"));
        assert!(!re.is_match("The world is undergoing a profound transformation"));
        assert!(!re.is_match("goodwill"));
    }
}
