//! The Markdown status report: header with digests, scores, then a matrix per chapter; and the
//! Markdown pieces every Markdown document shares (provenance, tables).

use std::fmt::{Display, Write};

use super::{percent, Report};
use crate::activity::FileStats;
use crate::catalogue::FileDigest;
use crate::evaluate::Status;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    header(&mut out, report);
    overall(&mut out, report);
    parties(&mut out, report);
    chapters(&mut out, report);
    matrices(&mut out, report);
    adjudication(&mut out, report);
    out
}

/// How a column's cells line up: numbers to the right, so that their digits do.
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    Text(&'a str),
    Number(&'a str),
}

/// A Markdown table's head: the column names, then the row that aligns them.
pub fn table_head<'a>(out: &mut String, columns: impl IntoIterator<Item = Column<'a>>) {
    let (mut names, mut rule) = (String::from("|"), String::from("|"));
    for c in columns {
        let (name, align) = match c {
            Column::Text(name) => (name, "---|"),
            Column::Number(name) => (name, "---:|"),
        };
        let _ = write!(names, " {name} |");
        rule.push_str(align);
    }
    let _ = writeln!(out, "{names}\n{rule}");
}

/// A Markdown table row, one cell per item (a cell must not hold a `|`; see [`cell`]).
pub fn table_row(out: &mut String, cells: impl IntoIterator<Item = impl Display>) {
    out.push('|');
    for c in cells {
        let _ = write!(out, " {c} |");
    }
    out.push('\n');
}

/// Free text as a table cell: a `|` would end the cell, so it becomes `/`.
pub fn cell(text: &str) -> String {
    text.replace('|', "/")
}

/// Code (a path, a digest, a code) in a table cell.
pub fn code(text: &str) -> String {
    format!("`{text}`")
}

/// A score with its sign and four decimals, or `n/a` where nothing is scored.
pub fn signed_score(score: Option<f64>) -> String {
    score.map_or("n/a".into(), |s| format!("{s:+.4}"))
}

/// The analyst's verdicts beside the computed ones; where they differ, listed again.
fn adjudication(out: &mut String, r: &Report) {
    let all = r.adjudicated();
    if all.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Adjudicated verdicts\n");
    let _ = writeln!(
        out,
        "An analyst set these verdicts (marked * in the matrices); scores use them.\n"
    );
    adjudication_table(out, all.iter());
    let disagreements: Vec<_> = all.iter().filter(|(_, x)| x.disagrees()).collect();
    let _ = writeln!(out, "\n### Disagreements ({})\n", disagreements.len());
    if disagreements.is_empty() {
        let _ = writeln!(
            out,
            "none: every assessment confirms the computed verdict\n"
        );
    } else {
        adjudication_table(out, disagreements.into_iter());
        let _ = writeln!(out);
    }
}

/// The columns of the table of adjudicated verdicts, in Markdown and in HTML.
pub const ADJUDICATION_HEAD: [&str; 8] = [
    "commitment",
    "party",
    "computed",
    "adjudicated",
    "reviewer",
    "reviewed",
    "reason",
    "evidence",
];

/// Each adjudicated verdict with the computed one and the assessment behind it.
fn adjudication_table<'r>(
    out: &mut String,
    rows: impl Iterator<Item = &'r (&'r super::CommitmentReport, &'r super::ResultReport)>,
) {
    table_head(out, ADJUDICATION_HEAD.map(Column::Text));
    for (c, x) in rows {
        let a = x.assessment.as_ref();
        table_row(
            out,
            [
                c.id.clone(),
                x.party.clone(),
                x.computed.map_or("", |s| s.as_str()).to_string(),
                x.status.to_string(),
                cell(a.map_or("", |a| a.reviewer.as_str())),
                a.map_or("", |a| a.reviewed.as_str()).to_string(),
                cell(a.map_or("", |a| a.reason.as_str())),
                a.map_or(String::new(), |a| a.evidence.join(", ")),
            ],
        );
    }
}

pub(crate) fn header(out: &mut String, r: &Report) {
    let _ = writeln!(out, "# {} — status as of {}\n", r.strategy.title, r.as_of);
    dataset_banners(out, &r.inputs);
    let _ = writeln!(
        out,
        "Produced by {} {}. Strategy period {} to {}.\n",
        r.engine.name, r.engine.version, r.strategy.start, r.strategy.end
    );
    if !r.restricted_to.is_empty() {
        let _ = writeln!(
            out,
            "Restricted to {}: every score is over their verdicts only.\n",
            r.restricted_to.join(", ")
        );
    }
    let _ = writeln!(out, "## Inputs\n");
    table_head(
        out,
        [
            Column::Text("file"),
            Column::Text("sha256"),
            Column::Number("rows"),
            Column::Number("accepted"),
            Column::Number("rejected"),
            Column::Number("matched no commitment"),
        ],
    );
    for i in &r.inputs {
        table_row(
            out,
            [
                code(&i.path),
                code(&i.sha256),
                i.rows.to_string(),
                i.accepted.to_string(),
                i.rejected.to_string(),
                i.unmatched.to_string(),
            ],
        );
    }
    if let Some(a) = &r.assessments {
        let _ = writeln!(out, "\nAssessments: `{}` sha256 `{}`", a.path, a.sha256);
    }
    rules_details(out, &r.rules);
}

fn overall(out: &mut String, r: &Report) {
    let _ = writeln!(out, "## Overall\n");
    let _ = writeln!(
        out,
        "Score {} ({} scored verdicts): **{}**\n",
        signed_score(r.overall.score),
        r.overall.scored,
        percent(r.overall.percent)
    );
    table_head(out, [Column::Text("status"), Column::Number("verdicts")]);
    for s in &r.overall.statuses {
        table_row(out, [s.status.to_string(), s.count.to_string()]);
    }
}

/// Every party with a score; a party with no verdict to score is left out.
fn parties(out: &mut String, r: &Report) {
    let _ = writeln!(out, "\n## Parties\n");
    let scored = r.parties.iter().filter(|p| p.score.is_some());
    score_table(
        out,
        ("party", "name"),
        scored.map(|p| (p.code.as_str(), p.name.as_str(), p.score, p.percent)),
    );
}

fn chapters(out: &mut String, r: &Report) {
    let _ = writeln!(out, "\n## Chapters\n");
    score_table(
        out,
        ("chapter", "title"),
        r.chapters
            .iter()
            .map(|c| (c.id.as_str(), c.title.as_str(), c.score, c.percent)),
    );
    let _ = writeln!(out);
}

/// A table of scores: who (`heads`: the id and name columns), their score and percent.
fn score_table<'r>(
    out: &mut String,
    (id, name): (&str, &str),
    rows: impl Iterator<Item = (&'r str, &'r str, Option<f64>, Option<f64>)>,
) {
    table_head(
        out,
        [
            Column::Text(id),
            Column::Text(name),
            Column::Number("score"),
            Column::Number("percent"),
        ],
    );
    for (id, name, score, p) in rows {
        table_row(
            out,
            [
                id.to_string(),
                name.to_string(),
                signed_score(score),
                percent(p),
            ],
        );
    }
}

fn matrices(out: &mut String, r: &Report) {
    let cols = r.active_parties();
    let _ = writeln!(out, "## Commitments\n");
    let legend: Vec<String> = Status::ALL
        .iter()
        .map(|s| format!("{} = {}", s.symbol(), s.as_str()))
        .collect();
    let _ = writeln!(
        out,
        "Legend: {}. Evidence ids follow each status.\n",
        legend.join(", ")
    );
    for ch in &r.chapters {
        let rows = r.chapter_commitments(&ch.id);
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {} ({})\n", ch.title, percent(ch.percent));
        let codes = cols.iter().map(|&p| Column::Text(&r.parties[p].code));
        table_head(
            out,
            [Column::Text("commitment"), Column::Number("percent")]
                .into_iter()
                .chain(codes),
        );
        for c in rows {
            let verdicts = cols.iter().map(|&p| {
                let code = &r.parties[p].code;
                c.results
                    .iter()
                    .find(|x| &x.party == code)
                    .map_or(String::new(), matrix_cell)
            });
            table_row(
                out,
                [format!("{} {}", c.id, cell(&c.title)), percent(c.percent)]
                    .into_iter()
                    .chain(verdicts),
            );
        }
        let _ = writeln!(out);
    }
}

/// A verdict in the matrix: its symbol (`*` if adjudicated), evidence ids, what blocks it.
fn matrix_cell(x: &super::ResultReport) -> String {
    let mut cell = x.status.symbol().to_string();
    if x.computed.is_some() {
        cell.push('*');
    }
    if !x.evidence.is_empty() {
        let _ = write!(cell, " ({})", abbreviate(&x.evidence, x.evidence_count()));
    }
    if !x.blocked_by.is_empty() {
        let _ = write!(cell, " by {}", x.blocked_by.join(", "));
    }
    cell
}

/// At most three ids and a count of the rest: a cell stays readable, the JSON has them all.
fn abbreviate(ids: &[String], total: usize) -> String {
    if total <= 3 {
        ids.join(", ")
    } else {
        format!("{}, +{}", ids[..3.min(ids.len())].join(", "), total - 3)
    }
}

/// What the data is, above everything else: `> **...**` lines naming the declaring file.
pub(crate) fn dataset_banners(out: &mut String, inputs: &[FileStats]) {
    for (banner, path, sha) in super::banners(inputs) {
        let _ = writeln!(
            out,
            "> **{banner}** Declared by `{path}` (sha256 `{sha}`).\n"
        );
    }
}

/// The digest of every rules file, folded: auditors need it, readers can skip it.
pub(crate) fn rules_details(out: &mut String, rules: &[FileDigest]) {
    let _ = writeln!(
        out,
        "\n<details><summary>Rules files ({})</summary>\n",
        rules.len()
    );
    table_head(out, [Column::Text("file"), Column::Text("sha256")]);
    for f in rules {
        table_row(out, [code(&f.path), code(&f.sha256)]);
    }
    let _ = writeln!(out, "\n</details>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_numbers_right() {
        let mut out = String::new();
        table_head(&mut out, [Column::Text("party"), Column::Number("rows")]);
        table_row(&mut out, [cell("a|b"), 3.to_string()]);
        assert_eq!(out, "| party | rows |\n|---|---:|\n| a/b | 3 |\n");
    }
}
