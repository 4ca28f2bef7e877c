//! `concord explain`: why a commitment has the verdict it has.

use std::collections::HashSet;
use std::fmt::Write;

use clap::Args;

use super::check::InputArgs;
use super::{output, Exit, Failure, RulesArg};
use chrono::NaiveDate;
use concord::catalogue::{Catalogue, Commitment, Scope};
use concord::evaluate::{Evaluation, Ledger, Status, Verdict};
use concord::report::one_line;
use concord::run::{Engine, Ingested};

#[derive(Args)]
pub struct ExplainArgs {
    /// The commitment id, e.g. SEC-07 (before or after the activity files)
    pub id: Option<String>,
    /// Only this party's verdict (default: every party bound)
    #[arg(long)]
    pub party: Option<String>,
    #[command(flatten)]
    pub rules: RulesArg,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(mut args: ExplainArgs) -> Result<Exit, Failure> {
    let id = commitment_id(&mut args)?;
    let engine = args.input.engine(&args.rules)?;
    let c = &engine.catalogue;
    let Some(ci) = c.commitment_index(&id) else {
        let hint = did_you_mean(&id, c.commitments.iter().map(|c| c.id.as_str()));
        return Err(Failure::Usage(format!("unknown commitment `{id}`{hint}")));
    };
    let party = match &args.party {
        None => None,
        Some(code) => match c.parties.iter().position(|p| &p.code == code) {
            Some(i) => Some(i as u16),
            None => {
                let hint = did_you_mean(code, c.parties.iter().map(|p| p.code.as_str()));
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

/// The commitment asked about. `--activities` takes every value after it, so
/// `explain --activities a.csv SEC-07` gives the id as the last activity file: a last value
/// that names no file is taken for the id.
fn commitment_id(args: &mut ExplainArgs) -> Result<String, Failure> {
    if let Some(id) = args.id.take() {
        return Ok(id);
    }
    let files = &mut args.input.activities;
    let names_no_file = |last: &std::path::PathBuf| {
        let book = concord::activity::workbook::book(last);
        !book.map_or_else(|| last.clone(), |b| b.file).exists()
    };
    if files.len() > 1 && files.last().is_some_and(names_no_file) {
        if let Some(id) = files.pop() {
            return Ok(id.to_string_lossy().into_owned());
        }
    }
    Err(Failure::Usage(
        "which commitment? give its id, e.g. `concord explain SEC-07 --activities FILE`".into(),
    ))
}

/// ` (did you mean X?)` with the nearest of `known`, or nothing.
fn did_you_mean<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> String {
    concord::suggest::nearest(name, known)
        .map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_default()
}

/// The commitment's rule, then each verdict shown with what it rests on and the chain of
/// prerequisites beneath it.
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
    heading(&mut out, cat, c, evaluation.as_of);
    deadlines(&mut out, c);
    binding(&mut out, c);
    if let Some(g) = &c.guideline {
        let _ = writeln!(out, "guideline: {}", one_line(g));
    }
    for v in &evaluation.commitments[ci].verdicts {
        if !shown(v, party) {
            continue;
        }
        verdict_heading(&mut out, cat, v);
        adjudication(&mut out, ingested, v);
        findings(&mut out, v);
        for &r in &v.evidence {
            let _ = writeln!(
                out,
                "  evidence {}",
                evidence_row(cat, &ingested.ledger, files, r)
            );
        }
        chain(&mut out, engine, evaluation, ci, v.party);
    }
    out
}

/// What the commitment is and how it is judged, as of the run's date.
fn heading(out: &mut String, cat: &Catalogue, c: &Commitment, as_of: NaiveDate) {
    let _ = writeln!(out, "{} — {}", c.id, c.title);
    let _ = writeln!(
        out,
        "chapter: {}  scope: {}  as of: {}",
        cat.chapters[c.chapter].title,
        c.scope.as_str(),
        as_of
    );
    let _ = writeln!(out, "quote: \"{}\"", one_line(&c.quote));
    let _ = writeln!(out, "test: {}", c.test.describe());
    if let Some(s) = &c.contrary {
        let _ = writeln!(out, "breached by: {}", s.describe());
    }
}

/// The rule's due date, and the grace that can move it for a party bound late.
fn deadlines(out: &mut String, c: &Commitment) {
    if let Some(due) = c.due {
        let _ = writeln!(out, "due: {due}");
    }
    if let Some(g) = c.grace {
        let _ = writeln!(
            out,
            "due after joining: {g} from the day a party became bound"
        );
    }
}

/// Who is bound: the roles, for a commitment on each member (a collective one binds the
/// organisation), and the status a party must hold to be bound at all.
fn binding(out: &mut String, c: &Commitment) {
    if c.scope == Scope::EachMember {
        let binds: Vec<&str> = c.binds.iter().map(|r| r.as_str()).collect();
        let _ = writeln!(out, "binds: {}", binds.join(", "));
    }
    if let Some(cond) = &c.binds_if {
        let _ = writeln!(out, "binds only parties holding {}", cond.explain());
    }
}

/// With `--party`, that party's verdict alone; without, every party's that is bound, as a
/// list of the not applicable would bury the verdicts that matter.
fn shown(v: &Verdict, party: Option<u16>) -> bool {
    match party {
        Some(p) => p == v.party,
        None => v.status != Status::NotApplicable,
    }
}

/// The party, its verdict and the window it was judged over.
fn verdict_heading(out: &mut String, cat: &Catalogue, v: &Verdict) {
    let p = &cat.parties[v.party as usize];
    let window = v
        .window
        .map(|w| format!(" over {} to {}", w.from, w.to))
        .unwrap_or_default();
    let _ = writeln!(out, "\n{}: {}{}", p.code, v.status, window);
}

/// Where an analyst set the verdict: who, when, why, on what evidence, and what the engine
/// had computed, so that the override is never mistaken for the computation.
fn adjudication(out: &mut String, ingested: &Ingested, v: &Verdict) {
    let (Some(computed), Some(i)) = (v.computed, v.assessment) else {
        return;
    };
    let Some(a) = ingested.assessments.items.get(i) else {
        return;
    };
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

/// What the verdict rests on beyond its rows: reasons, warnings and root causes.
fn findings(out: &mut String, v: &Verdict) {
    for r in &v.reasons {
        let _ = writeln!(out, "  reason: {r}");
    }
    for w in &v.warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    if !v.blocked_by.is_empty() {
        let _ = writeln!(out, "  blocked by: {}", v.blocked_by.join(", "));
    }
}

/// One ledger row behind a verdict, placed in the file it was read from so that it can be
/// looked up there.
fn evidence_row(cat: &Catalogue, ledger: &Ledger, files: &[std::path::PathBuf], r: u32) -> String {
    let place = ledger.place(r);
    let file = files
        .get(place.file as usize)
        .map_or("?".into(), |f| f.display().to_string());
    let kind = cat
        .vocabulary
        .kinds
        .keys()
        .nth(ledger.kind(r) as usize)
        .map_or("?", String::as_str);
    let by = &cat.parties[ledger.party(r) as usize].code;
    format!(
        "{}:{}  id {}  {}  {}  {}",
        file,
        place.line,
        ledger.id(r),
        ledger.date(r),
        by,
        kind
    )
}

/// Indentation stops deepening here: a chain deeper than this is read by its ids, and
/// indenting every level would make its text grow with the square of its length.
const DEEPEST_INDENT: usize = 32;

/// What [`chain`] writes next.
enum Step<'c> {
    /// The prerequisites of a commitment, at a depth.
    Prerequisites(usize, usize),
    /// A group of alternatives' heading, at a depth.
    AnyOf(&'c [String], usize),
    /// A prerequisite's line (its index, its dependant's, the depth), then its own
    /// prerequisites.
    Requires(usize, usize, usize),
}

/// The prerequisites, depth first, each with its verdict for the party (or the SCO's); a group
/// of alternatives is shown as one line, its members below it. A prerequisite reached again by
/// another path is named without its prerequisites, which are shown above: prerequisites
/// shared by many paths would otherwise be written once per path, a number that doubles with
/// every diamond of the graph. Walked with a stack of its own, as a chain may be as long as the
/// catalogue.
fn chain(out: &mut String, engine: &Engine, evaluation: &Evaluation, ci: usize, party: u16) {
    let cat = &engine.catalogue;
    let mut steps = vec![Step::Prerequisites(ci, 1)];
    let mut shown: HashSet<usize> = HashSet::new();
    let indent = |depth: usize| "  ".repeat(depth.min(DEEPEST_INDENT));
    while let Some(step) = steps.pop() {
        match step {
            Step::Prerequisites(ci, depth) => {
                let mut groups: Vec<&Vec<String>> = cat.commitments[ci].requires.iter().collect();
                groups.sort();
                // Pushed last to first, so that they are written first to last.
                for group in groups.into_iter().rev() {
                    let depth = if group.len() > 1 { depth + 1 } else { depth };
                    let members: Vec<usize> = group
                        .iter()
                        .filter_map(|id| cat.commitment_index(id))
                        .collect();
                    for &d in members.iter().rev() {
                        steps.push(Step::Requires(d, ci, depth));
                    }
                    if group.len() > 1 {
                        steps.push(Step::AnyOf(group, depth - 1));
                    }
                }
            }
            Step::AnyOf(group, depth) => {
                let _ = writeln!(
                    out,
                    "{}requires any of {}:",
                    indent(depth),
                    group.join(", ")
                );
            }
            Step::Requires(d, ci, depth) => {
                let c = &cat.commitments[ci];
                let pre = &cat.commitments[d];
                let verdicts = &evaluation.commitments[d].verdicts;
                let verdict = verdicts
                    .iter()
                    .find(|v| v.party == party)
                    .or(verdicts.first());
                let status = verdict.map_or("?".to_string(), |v| {
                    format!("{} ({})", v.status, cat.parties[v.party as usize].code)
                });
                let why = c
                    .why
                    .get(&pre.id)
                    .map(|w| format!(" — {w}"))
                    .unwrap_or_default();
                let again = !pre.requires.is_empty() && !shown.insert(d);
                let above = if again {
                    " (its prerequisites above)"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "{}requires {} {}: {}{}{}",
                    indent(depth),
                    pre.id,
                    pre.title,
                    status,
                    why,
                    above
                );
                if !again {
                    steps.push(Step::Prerequisites(d, depth + 1));
                }
            }
        }
    }
}
