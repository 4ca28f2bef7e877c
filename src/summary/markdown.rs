//! The Markdown summary of a year.

use std::fmt::Write;

use super::{Change, Moved, Summary};
use crate::activity::FileStats;
use crate::catalogue::FileDigest;
use crate::report::{percent, EngineInfo, StrategyInfo};

/// Who produced this and from what: engine, as-of date, every rules and input file's digest.
pub(crate) fn provenance(
    out: &mut String,
    engine: &EngineInfo,
    strategy: &StrategyInfo,
    as_of: &str,
    rules: &[FileDigest],
    inputs: &[FileStats],
) {
    crate::report::markdown::dataset_banners(out, inputs);
    let _ = writeln!(
        out,
        "Produced by {} {} as of {}. Strategy period {} to {}.\n",
        engine.name, engine.version, as_of, strategy.start, strategy.end
    );
    let _ = writeln!(out, "| input | sha256 |\n|---|---|");
    for i in inputs {
        let _ = writeln!(out, "| `{}` | `{}` |", i.path, i.sha256);
    }
    crate::report::markdown::rules_details(out, rules);
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
    let _ = writeln!(out, "# {} — summary of {}\n", s.strategy.title, s.year);
    provenance(
        &mut out,
        &s.engine,
        &s.strategy,
        &s.as_of,
        &s.rules,
        &s.inputs,
    );
    if !s.restricted_to.is_empty() {
        let _ = writeln!(
            out,
            "\nRestricted to {}: every score is over their verdicts only.",
            s.restricted_to.join(", ")
        );
    }
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
    let _ = writeln!(
        out,
        "| status | verdicts | a year before |\n|---|---:|---:|"
    );
    for m in &s.statuses {
        let _ = writeln!(out, "| {} | {} | {} |", m.status, m.count, m.previous);
    }

    let _ = writeln!(out, "\n## What changed since {}\n", s.previous_as_of);
    for (_, heading, list) in s.changes.sections() {
        let _ = writeln!(out, "### {heading} ({})\n", list.len());
        if list.is_empty() {
            let _ = writeln!(out, "None.\n");
            continue;
        }
        let _ = writeln!(
            out,
            "| commitment | party | was | now | new evidence | blocked by |\n|---|---|---|---|---|---|"
        );
        for c in list {
            change_row(&mut out, c);
        }
        let _ = writeln!(out);
    }

    let _ = writeln!(out, "## Parties by chapter\n");
    let _ = writeln!(
        out,
        "Percent as of {}, change in points since {}.\n",
        s.as_of, s.previous_as_of
    );
    let _ = write!(out, "| party | overall |");
    for c in &s.chapters {
        let _ = write!(out, " {} |", c.id);
    }
    let _ = write!(out, "\n|---|---:|");
    for _ in &s.chapters {
        let _ = write!(out, "---:|");
    }
    let _ = writeln!(out);
    for p in &s.parties {
        let _ = write!(out, "| {} | {} |", p.code, moved(&p.overall));
        for m in &p.chapters {
            let _ = write!(out, " {} |", moved(m));
        }
        let _ = writeln!(out);
    }
    let _ = write!(out, "| **all** | **{}** |", moved(&s.overall));
    for c in &s.chapters {
        let _ = write!(out, " **{}** |", moved(&c.percent));
    }
    let _ = writeln!(out, "\n");

    let _ = writeln!(out, "## Data quality\n");
    let _ = writeln!(
        out,
        "| file | rows | accepted | rejected | matched no commitment | most frequent rejects |\n|---|---:|---:|---:|---:|---|"
    );
    for f in &s.data_quality.files {
        let top: Vec<String> = f
            .top_rejects
            .iter()
            .map(|c| format!("`{}` ×{}", c.code, c.count))
            .collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            f.path,
            f.rows,
            f.accepted,
            f.rejected,
            f.unmatched,
            top.join(", ")
        );
    }
    if !s.data_quality.top_rejects.is_empty() {
        let _ = writeln!(out, "\nMost frequent reject reasons:\n");
        let _ = writeln!(out, "| code | rows | meaning |\n|---|---:|---|");
        for c in &s.data_quality.top_rejects {
            let _ = writeln!(out, "| `{}` | {} | {} |", c.code, c.count, c.meaning);
        }
    }

    let _ = writeln!(out, "\n## Prerequisites blocking the most\n");
    if s.blockers.is_empty() {
        let _ = writeln!(out, "Nothing is blocked.");
    } else {
        let _ = writeln!(
            out,
            "| prerequisite | title | dependants | blocked verdicts |\n|---|---|---|---:|"
        );
        for b in &s.blockers {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                b.id,
                b.title.replace('|', "/"),
                b.dependants.join(", "),
                b.verdicts
            );
        }
    }
    out
}

fn change_row(out: &mut String, c: &Change) {
    let _ = writeln!(
        out,
        "| {} {} | {} | {} | {} | {} | {} |",
        c.commitment,
        c.title.replace('|', "/"),
        c.party,
        c.from.map_or("–".to_string(), |s| s.symbol().to_string()),
        c.to.symbol(),
        c.evidence_added.join(", "),
        c.blocked_by.join(", ")
    );
}
