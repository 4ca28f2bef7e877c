//! The Markdown status report: header with digests, scores, then a matrix per chapter.

use std::fmt::Write;

use super::{percent, Report};
use crate::evaluate::Status;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    header(&mut out, report);
    scores(&mut out, report);
    matrices(&mut out, report);
    adjudication(&mut out, report);
    out
}

/// The analyst's verdicts beside the computed ones; where they differ, listed again.
fn adjudication(out: &mut String, r: &Report) {
    let all = r.adjudicated();
    if all.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "## Adjudicated verdicts
"
    );
    let _ = writeln!(
        out,
        "An analyst set these verdicts (marked * in the matrices); scores use them.\n"
    );
    let table = |out: &mut String, rows: &[&(&super::CommitmentReport, &super::ResultReport)]| {
        let _ = writeln!(
            out,
            "| commitment | party | computed | adjudicated | reviewer | reviewed | reason | evidence |\n|---|---|---|---|---|---|---|---|"
        );
        for (c, x) in rows {
            let a = x.assessment.as_ref();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                c.id,
                x.party,
                x.computed.map_or("", |s| s.as_str()),
                x.status,
                a.map_or("", |a| a.reviewer.as_str()).replace('|', "/"),
                a.map_or("", |a| a.reviewed.as_str()),
                a.map_or("", |a| a.reason.as_str()).replace('|', "/"),
                a.map_or(String::new(), |a| a.evidence.join(", "))
            );
        }
    };
    table(out, &all.iter().collect::<Vec<_>>());
    let disagreements: Vec<_> = all.iter().filter(|(_, x)| x.disagrees()).collect();
    let _ = writeln!(out, "\n### Disagreements ({})\n", disagreements.len());
    if disagreements.is_empty() {
        let _ = writeln!(
            out,
            "none: every assessment confirms the computed verdict\n"
        );
    } else {
        table(out, &disagreements);
        let _ = writeln!(out);
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
    let _ = writeln!(
        out,
        "| file | sha256 | rows | accepted | rejected | matched no commitment |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    for i in &r.inputs {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} | {} | {} |",
            i.path, i.sha256, i.rows, i.accepted, i.rejected, i.unmatched
        );
    }
    if let Some(a) = &r.assessments {
        let _ = writeln!(out, "\nAssessments: `{}` sha256 `{}`", a.path, a.sha256);
    }
    rules_details(out, &r.rules);
}

fn scores(out: &mut String, r: &Report) {
    let _ = writeln!(out, "## Overall\n");
    let _ = writeln!(
        out,
        "Score {} ({} scored verdicts): **{}**\n",
        r.overall.score.map_or("n/a".into(), |s| format!("{s:+.4}")),
        r.overall.scored,
        percent(r.overall.percent)
    );
    let _ = writeln!(out, "| status | verdicts |\n|---|---:|");
    for s in &r.overall.statuses {
        let _ = writeln!(out, "| {} | {} |", s.status, s.count);
    }
    let _ = writeln!(out, "\n## Parties\n");
    let _ = writeln!(
        out,
        "| party | name | score | percent |\n|---|---|---:|---:|"
    );
    for p in r.parties.iter().filter(|p| p.score.is_some()) {
        let _ = writeln!(
            out,
            "| {} | {} | {:+.4} | {} |",
            p.code,
            p.name,
            p.score.unwrap_or_default(),
            percent(p.percent)
        );
    }
    let _ = writeln!(out, "\n## Chapters\n");
    let _ = writeln!(
        out,
        "| chapter | title | score | percent |\n|---|---|---:|---:|"
    );
    for c in &r.chapters {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            c.id,
            c.title,
            c.score.map_or("n/a".into(), |s| format!("{s:+.4}")),
            percent(c.percent)
        );
    }
    let _ = writeln!(out);
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
        let _ = write!(out, "| commitment | percent |");
        for &p in &cols {
            let _ = write!(out, " {} |", r.parties[p].code);
        }
        let _ = write!(out, "\n|---|---:|");
        for _ in &cols {
            let _ = write!(out, "---|");
        }
        let _ = writeln!(out);
        for c in rows {
            let _ = write!(
                out,
                "| {} {} | {} |",
                c.id,
                c.title.replace('|', "/"),
                percent(c.percent)
            );
            for &p in &cols {
                let code = &r.parties[p].code;
                let cell = c
                    .results
                    .iter()
                    .find(|x| &x.party == code)
                    .map_or(String::new(), |x| {
                        let mut cell = x.status.symbol().to_string();
                        if x.computed.is_some() {
                            cell.push('*');
                        }
                        if !x.evidence.is_empty() {
                            let _ =
                                write!(cell, " ({})", abbreviate(&x.evidence, x.evidence_count()));
                        }
                        if !x.blocked_by.is_empty() {
                            let _ = write!(cell, " by {}", x.blocked_by.join(", "));
                        }
                        cell
                    });
                let _ = write!(out, " {cell} |");
            }
            let _ = writeln!(out);
        }
        let _ = writeln!(out);
    }
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
pub(crate) fn dataset_banners(out: &mut String, inputs: &[crate::activity::FileStats]) {
    for (banner, path, sha) in super::banners(inputs) {
        let _ = writeln!(
            out,
            "> **{banner}** Declared by `{path}` (sha256 `{sha}`).\n"
        );
    }
}

/// The digest of every rules file, folded: auditors need it, readers can skip it.
pub(crate) fn rules_details(out: &mut String, rules: &[crate::catalogue::FileDigest]) {
    let _ = writeln!(
        out,
        "\n<details><summary>Rules files ({})</summary>\n",
        rules.len()
    );
    let _ = writeln!(out, "| file | sha256 |\n|---|---|");
    for f in rules {
        let _ = writeln!(out, "| `{}` | `{}` |", f.path, f.sha256);
    }
    let _ = writeln!(out, "\n</details>\n");
}
