//! `concord explain`: why a commitment has the verdict it has.

use std::fmt::Write;

use clap::Args;

use super::check::InputArgs;
use super::{output, Exit, Failure, RulesArg};
use concord::catalogue::Scope;
use concord::evaluate::Evaluation;
use concord::run::{Engine, Ingested};

#[derive(Args)]
pub struct ExplainArgs {
    /// The commitment id, e.g. SEC-07
    pub id: String,
    /// Only this party's verdict (default: every party bound)
    #[arg(long)]
    pub party: Option<String>,
    #[command(flatten)]
    pub rules: RulesArg,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(args: ExplainArgs) -> Result<Exit, Failure> {
    let engine = args.input.engine(&args.rules)?;
    let c = &engine.catalogue;
    let Some(ci) = c.commitment_index(&args.id) else {
        let hint = concord::suggest::nearest(&args.id, c.commitments.iter().map(|c| c.id.as_str()))
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        return Err(Failure::Usage(format!(
            "unknown commitment `{}`{hint}",
            args.id
        )));
    };
    let party = match &args.party {
        None => None,
        Some(code) => match c.parties.iter().position(|p| &p.code == code) {
            Some(i) => Some(i as u16),
            None => {
                let hint =
                    concord::suggest::nearest(code, c.parties.iter().map(|p| p.code.as_str()))
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_default();
                return Err(Failure::Usage(format!("unknown party `{code}`{hint}")));
            }
        },
    };
    let as_of = args.input.as_of.unwrap_or_else(|| engine.default_as_of());
    let ingested = args.input.ingest(&engine, &args.rules, as_of)?;
    let evaluation = engine.evaluate(&ingested, as_of);
    let text = explain(
        &engine,
        &ingested,
        &evaluation,
        &args.input.activities,
        ci,
        party,
    );
    output::write_stdout(text.as_bytes())?;
    Ok(args.input.exit(&ingested))
}

pub fn explain(
    engine: &Engine,
    ingested: &Ingested,
    evaluation: &Evaluation,
    files: &[std::path::PathBuf],
    ci: usize,
    party: Option<u16>,
) -> String {
    let cat = &engine.catalogue;
    let c = &cat.commitments[ci];
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", c.id, c.title);
    let _ = writeln!(
        out,
        "chapter: {}  scope: {}  as of: {}",
        cat.chapters[c.chapter].title,
        c.scope.as_str(),
        evaluation.as_of
    );
    let _ = writeln!(
        out,
        "quote: \"{}\"",
        c.quote.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let _ = writeln!(out, "test: {}", c.test.describe());
    if let Some(s) = &c.contrary {
        let _ = writeln!(
            out,
            "breached by: kinds {} subjects {}",
            s.kinds.join(", "),
            if s.subjects.is_empty() {
                "any".into()
            } else {
                s.subjects.join(", ")
            }
        );
    }
    if let Some(due) = c.due {
        let _ = writeln!(out, "due: {due}");
    }
    if let Some(g) = c.grace {
        let _ = writeln!(
            out,
            "due after joining: {g} from the day a party became bound"
        );
    }
    if c.scope == Scope::EachMember {
        let binds: Vec<&str> = c.binds.iter().map(|r| r.as_str()).collect();
        let _ = writeln!(out, "binds: {}", binds.join(", "));
    }
    if let Some(cond) = &c.binds_if {
        let _ = writeln!(out, "binds only parties holding {}", cond.explain());
    }
    if let Some(g) = &c.guideline {
        let _ = writeln!(
            out,
            "guideline: {}",
            g.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
    let ledger = &ingested.ledger;
    for v in &evaluation.commitments[ci].verdicts {
        if party.is_some_and(|p| p != v.party)
            || (party.is_none() && v.status == concord::evaluate::Status::NotApplicable)
        {
            continue;
        }
        let p = &cat.parties[v.party as usize];
        let window = v
            .window
            .map(|w| format!(" over {} to {}", w.from, w.to))
            .unwrap_or_default();
        let _ = writeln!(out, "\n{}: {}{}", p.code, v.status, window);
        if let (Some(computed), Some(i)) = (v.computed, v.assessment) {
            if let Some(a) = ingested.assessments.items.get(i) {
                let cited = if a.evidence.is_empty() {
                    String::new()
                } else {
                    format!("; evidence {}", a.evidence.join(", "))
                };
                let _ = writeln!(
                    out,
                    "  adjudicated: {} by {} on {} (computed {computed}): {}{cited}",
                    v.status, a.reviewer, a.reviewed, a.reason
                );
            }
        }
        for r in &v.reasons {
            let _ = writeln!(out, "  reason: {r}");
        }
        for w in &v.warnings {
            let _ = writeln!(out, "  warning: {w}");
        }
        if !v.blocked_by.is_empty() {
            let _ = writeln!(out, "  blocked by: {}", v.blocked_by.join(", "));
        }
        for r in &v.evidence {
            let place = ledger.place(*r);
            let file = files
                .get(place.file as usize)
                .map_or("?".into(), |f| f.display().to_string());
            let kind = cat
                .vocabulary
                .kinds
                .keys()
                .nth(ledger.kind(*r) as usize)
                .map_or("?", String::as_str);
            let by = &cat.parties[ledger.party(*r) as usize].code;
            let _ = writeln!(
                out,
                "  evidence {}:{}  id {}  {}  {}  {}",
                file,
                place.line,
                ledger.id(*r),
                ledger.date(*r),
                by,
                kind
            );
        }
        chain(&mut out, engine, evaluation, ci, v.party, 1);
    }
    out
}

/// The prerequisites, recursively, each with its verdict for the party (or the SCO's); a group
/// of alternatives is shown as one line, its members below it.
fn chain(
    out: &mut String,
    engine: &Engine,
    evaluation: &Evaluation,
    ci: usize,
    party: u16,
    depth: usize,
) {
    let cat = &engine.catalogue;
    let c = &cat.commitments[ci];
    let mut groups: Vec<&Vec<String>> = c.requires.iter().collect();
    groups.sort();
    for group in groups {
        let mut indent = depth;
        if group.len() > 1 {
            let _ = writeln!(
                out,
                "{}requires any of {}:",
                "  ".repeat(depth),
                group.join(", ")
            );
            indent += 1;
        }
        for d in group.iter().filter_map(|id| cat.commitment_index(id)) {
            let pre = &cat.commitments[d];
            let verdicts = &evaluation.commitments[d].verdicts;
            let shown = verdicts
                .iter()
                .find(|v| v.party == party)
                .or(verdicts.first());
            let status = shown.map_or("?".to_string(), |v| {
                format!("{} ({})", v.status, cat.parties[v.party as usize].code)
            });
            let why = c
                .why
                .get(&pre.id)
                .map(|w| format!(" — {w}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{}requires {} {}: {}{}",
                "  ".repeat(indent),
                pre.id,
                pre.title,
                status,
                why
            );
            chain(out, engine, evaluation, d, party, indent + 1);
        }
    }
}
