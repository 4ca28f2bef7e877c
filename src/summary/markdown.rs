//! The Markdown summary of a year.

use std::fmt::Write;

use super::{Change, Moved, Summary};
use crate::report::markdown::{
    cell, code, dataset_banners, rules_details, table_head, table_row, Column,
};
use crate::report::{percent, Provenance};

impl<'a> Provenance<'a> {
    pub fn of_summary(s: &'a Summary) -> Provenance<'a> {
        Provenance {
            engine: &s.engine,
            strategy: &s.strategy,
            as_of: &s.as_of,
            rules: &s.rules,
            inputs: &s.inputs,
        }
    }
}

/// Who produced this and from what: engine, as-of date, every rules and input file's digest.
pub(crate) fn write_provenance(out: &mut String, p: &Provenance) {
    dataset_banners(out, p.inputs);
    let _ = writeln!(
        out,
        "Produced by {} {} as of {}. Strategy period {} to {}.\n",
        p.engine.name, p.engine.version, p.as_of, p.strategy.start, p.strategy.end
    );
    table_head(out, [Column::Text("input"), Column::Text("sha256")]);
    for i in p.inputs {
        table_row(out, [code(&i.path), code(&i.sha256)]);
    }
    rules_details(out, p.rules);
}

fn moved(m: &Moved) -> String {
    let change = m.change_text();
    if change.is_empty() {
        percent(m.percent)
    } else {
        format!("{} ({change})", percent(m.percent))
    }
}

pub fn render(s: &Summary) -> String {
    let mut out = String::new();
    header(&mut out, s);
    overall(&mut out, s);
    changes(&mut out, s);
    parties_by_chapter(&mut out, s);
    data_quality(&mut out, s);
    blockers(&mut out, s);
    out
}

/// Title, provenance and the parties the scores are restricted to.
fn header(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "# {} — summary of {}\n", s.strategy.title, s.year);
    write_provenance(out, &Provenance::of_summary(s));
    if !s.restricted_to.is_empty() {
        let _ = writeln!(
            out,
            "\nRestricted to {}: every score is over their verdicts only.",
            s.restricted_to.join(", ")
        );
    }
}

/// The percent against a year before, and the verdicts by status then and now.
fn overall(out: &mut String, s: &Summary) {
    let change = s.overall.change_text();
    let _ = writeln!(
        out,
        "## Overall\n\n**{}** as of {}, against {} as of {}{}.\n",
        percent(s.overall.percent),
        s.as_of,
        percent(s.overall.previous),
        s.previous_as_of,
        if change.is_empty() {
            String::new()
        } else {
            format!(" ({change} points)")
        }
    );
    table_head(
        out,
        [
            Column::Text("status"),
            Column::Number("verdicts"),
            Column::Number("a year before"),
        ],
    );
    for m in &s.statuses {
        table_row(
            out,
            [
                m.status.to_string(),
                m.count.to_string(),
                m.previous.to_string(),
            ],
        );
    }
}

/// Each kind of change (newly met, regressed, ...) with the verdicts that made it.
fn changes(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "\n## What changed since {}\n", s.previous_as_of);
    for (_, heading, list) in s.changes.sections() {
        let _ = writeln!(out, "### {heading} ({})\n", list.len());
        if list.is_empty() {
            let _ = writeln!(out, "None.\n");
            continue;
        }
        table_head(
            out,
            [
                "commitment",
                "party",
                "was",
                "now",
                "new evidence",
                "blocked by",
            ]
            .map(Column::Text),
        );
        for c in list {
            change_row(out, c);
        }
        let _ = writeln!(out);
    }
}

/// Each party's percent by chapter with its change, then all parties in bold.
fn parties_by_chapter(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "## Parties by chapter\n");
    let _ = writeln!(
        out,
        "Percent as of {}, change in points since {}.\n",
        s.as_of, s.previous_as_of
    );
    table_head(
        out,
        [Column::Text("party"), Column::Number("overall")]
            .into_iter()
            .chain(s.chapters.iter().map(|c| Column::Number(&c.id))),
    );
    for p in &s.parties {
        table_row(
            out,
            [p.code.clone(), moved(&p.overall)]
                .into_iter()
                .chain(p.chapters.iter().map(moved)),
        );
    }
    table_row(
        out,
        ["**all**".to_string(), format!("**{}**", moved(&s.overall))]
            .into_iter()
            .chain(
                s.chapters
                    .iter()
                    .map(|c| format!("**{}**", moved(&c.percent))),
            ),
    );
    let _ = writeln!(out);
}

/// Each input file's rows and rejects, then the reasons rows were rejected most often.
fn data_quality(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "## Data quality\n");
    table_head(
        out,
        [
            Column::Text("file"),
            Column::Number("rows"),
            Column::Number("accepted"),
            Column::Number("rejected"),
            Column::Number("matched no commitment"),
            Column::Text("most frequent rejects"),
        ],
    );
    for f in &s.data_quality.files {
        let top: Vec<String> = f
            .top_rejects
            .iter()
            .map(|c| format!("`{}` ×{}", c.code, c.count))
            .collect();
        table_row(
            out,
            [
                code(&f.path),
                f.rows.to_string(),
                f.accepted.to_string(),
                f.rejected.to_string(),
                f.unmatched.to_string(),
                top.join(", "),
            ],
        );
    }
    if !s.data_quality.top_rejects.is_empty() {
        let _ = writeln!(out, "\nMost frequent reject reasons:\n");
        table_head(
            out,
            [
                Column::Text("code"),
                Column::Number("rows"),
                Column::Text("meaning"),
            ],
        );
        for c in &s.data_quality.top_rejects {
            table_row(out, [code(&c.code), c.count.to_string(), c.meaning.clone()]);
        }
    }
}

/// The prerequisites whose absence blocks the most verdicts.
fn blockers(out: &mut String, s: &Summary) {
    let _ = writeln!(out, "\n## Prerequisites blocking the most\n");
    if s.blockers.is_empty() {
        let _ = writeln!(out, "Nothing is blocked.");
        return;
    }
    table_head(
        out,
        [
            Column::Text("prerequisite"),
            Column::Text("title"),
            Column::Text("dependants"),
            Column::Number("blocked verdicts"),
        ],
    );
    for b in &s.blockers {
        table_row(
            out,
            [
                b.id.clone(),
                cell(&b.title),
                b.dependants.join(", "),
                b.verdicts.to_string(),
            ],
        );
    }
}

fn change_row(out: &mut String, c: &Change) {
    table_row(
        out,
        [
            format!("{} {}", c.commitment, cell(&c.title)),
            c.party.clone(),
            c.from.map_or("–".to_string(), |s| s.symbol().to_string()),
            c.to.symbol().to_string(),
            c.evidence_added.join(", "),
            c.blocked_by.join(", "),
        ],
    );
}
