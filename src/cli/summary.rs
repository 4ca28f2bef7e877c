//! `concord summary`: one year's summary, or every year of a span with an index. The activities
//! are read once; every year is judged from the same ledger.

use std::io::IsTerminal;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::check::InputArgs;
use super::gate::{self, GateArgs};
use super::targets::{OutputArgs, Target};
use super::{output, Exit, Failure, RulesArg};
use concord::evaluate::Evaluation;
use concord::report::{Detail, Format, Report};
use concord::run::{Engine, Ingested};
use concord::summary::{self, Summary, SummaryIndex};

#[derive(Args)]
// A summary judges as of each year's end: `--as-of` (shared with check) is refused, so help
// does not offer it.
#[command(mut_arg("as_of", |a| a.hide(true)))]
#[command(mut_arg("out_dir", |a| a
    .help("Where a multi-year run writes summary-YEAR.EXT and index.EXT")
    .requires("from")))]
#[command(mut_arg("out", |a| a.conflicts_with("from")))]
pub struct SummaryArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub gate: GateArgs,
    /// The year to summarise: the state as of YEAR-12-31 and what changed since the year before
    #[arg(long, value_name = "YEAR", conflicts_with_all = ["from", "to", "out_dir"], required_unless_present = "from")]
    pub year: Option<i32>,
    /// First year of a multi-year run (with --to and --out-dir)
    #[arg(long, value_name = "YEAR", requires_all = ["to", "out_dir"])]
    pub from: Option<i32>,
    /// Last year of a multi-year run
    #[arg(long, value_name = "YEAR", requires = "from")]
    pub to: Option<i32>,
    #[command(flatten)]
    pub output: OutputArgs<Format>,
}

pub fn run(args: SummaryArgs) -> Result<Exit, Failure> {
    let (from, to) = span(&args)?;
    let targets = args
        .output
        .request(Format::Md)
        .resolve(|f| f.extension().to_string())?;
    refuse_rejects_among_outputs(&args, &targets)?;
    let years = summary::years(from, to).map_err(usage)?;
    let engine = args.input.engine(&args.rules)?;
    args.gate.check_parties(&engine)?;
    // Rows dated after the last year are still read; "outside the window" is judged against it.
    let ingested = args.input.ingest(&engine, &args.rules, year_end(to)?)?;
    // Only the html page shows a state's evidence ids; every other format reads its scores
    // and statuses, and the evidence a verdict gained from the ledger.
    let shown = if targets.iter().any(|t| t.format == Format::Html) {
        Format::Html.detail()
    } else {
        Detail::Sample(0)
    };
    let judge = Judge {
        engine: &engine,
        ingested: &ingested,
        gate: &args.gate,
        shown,
    };
    let last = match args.year {
        Some(year) => one_year(&args, &judge, year, &targets)?,
        None => every_year(&args, &judge, years, &targets)?,
    };
    // The gates judge the state the run ends on: the last year's.
    Ok(gate::worse(
        args.input.exit(&ingested),
        args.gate.judge(&last.1),
    ))
}

fn usage(e: summary::YearError) -> Failure {
    Failure::Usage(e.to_string())
}

fn year_end(year: i32) -> Result<NaiveDate, Failure> {
    summary::year_end(year).map_err(usage)
}

/// The first and last year asked for: one with `--year`, a span with `--from`/`--to`.
fn span(args: &SummaryArgs) -> Result<(i32, i32), Failure> {
    if args.input.as_of.is_some() {
        return Err(Failure::Usage(
            "summary judges as of each year's 31 December: give --year or --from/--to, not --as-of"
                .into(),
        ));
    }
    match (args.year, args.from, args.to) {
        (Some(y), _, _) => Ok((y, y)),
        (None, Some(f), Some(t)) => Ok((f, t)),
        _ => Err(Failure::Usage(
            "give --year YEAR, or --from YEAR --to YEAR --out-dir DIR".into(),
        )),
    }
}

/// `--rejects` may be neither an output of the run nor inside its output directory.
fn refuse_rejects_among_outputs(
    args: &SummaryArgs,
    targets: &[Target<Format>],
) -> Result<(), Failure> {
    let Some(rejects) = &args.input.rejects else {
        return Ok(());
    };
    for path in targets.iter().filter_map(|t| t.path.as_deref()) {
        output::refuse_same(("--out", path), ("--rejects", rejects))?;
    }
    if let Some(dir) = &args.output.out_dir {
        output::refuse_inside("--rejects", rejects, "--out-dir", dir)?;
    }
    Ok(())
}

/// The evaluation and report as of a date.
type State = (Evaluation, Report);

/// Judging one ingestion as of any date, and summarising a year from two such states.
struct Judge<'a> {
    engine: &'a Engine,
    ingested: &'a Ingested,
    gate: &'a GateArgs,
    /// The evidence ids a state of a year summarised spells out.
    shown: Detail,
}

impl Judge<'_> {
    /// The state as of `as_of`. A summary reads its scores and matrix, and compares the evidence
    /// a verdict gained on ledger rows; so it spells out [`Judge::shown`] ids when it is a year
    /// summarised, none when it is only the year before the first, which no output shows.
    fn state(&self, as_of: NaiveDate, summarised: bool) -> State {
        let evaluation = self.engine.evaluate(self.ingested, as_of);
        let detail = if summarised {
            self.shown
        } else {
            Detail::Sample(0)
        };
        let mut report = self.engine.report_of(self.ingested, &evaluation, detail);
        self.gate.restrict(&mut report);
        (evaluation, report)
    }

    fn summary(&self, year: i32, previous: &State, current: &State) -> Summary {
        Summary::build_with_rows(year, &previous.1, &current.1, |commitment, party| {
            self.engine
                .evidence_added(self.ingested, &previous.0, &current.0, commitment, party)
        })
    }
}

/// `--year`: the summary to each target; returns the year's state.
fn one_year(
    args: &SummaryArgs,
    judge: &Judge<'_>,
    year: i32,
    targets: &[Target<Format>],
) -> Result<State, Failure> {
    let previous = judge.state(summary::previous_year_end(year).map_err(usage)?, false);
    let current = judge.state(year_end(year)?, true);
    let s = judge.summary(year, &previous, &current);
    for t in targets {
        output::stream(t.path.as_deref(), &args.input.activities, |out| {
            summary::write(out, &s, &current.1, t.format, None)
        })?;
        if t.format == Format::Csv {
            output::write_provenance(t.path.as_deref(), &args.input.activities, || s.provenance())?;
        }
    }
    Ok(current)
}

/// `--from`/`--to`: a summary per year and the index, written as one set into `--out-dir`;
/// returns the last year's state.
fn every_year(
    args: &SummaryArgs,
    judge: &Judge<'_>,
    years: RangeInclusive<i32>,
    targets: &[Target<Format>],
) -> Result<State, Failure> {
    let (from, to) = (*years.start(), *years.end());
    let Some(dir) = args.output.out_dir.as_deref() else {
        return Err(Failure::Usage("--from/--to need --out-dir DIR".into()));
    };
    // The end of the year before the first, then each year's end.
    let mut dates = vec![(None, summary::previous_year_end(from).map_err(usage)?)];
    for year in years.clone() {
        dates.push((Some(year), year_end(year)?));
    }
    let inputs = &args.input.activities;
    let mut staged = output::StagedDir::create(dir)?;
    let bar = progress_bar(years.clone().count());
    let formats: Vec<Format> = targets.iter().map(|t| t.format).collect();
    let mut index = SummaryIndex::new(from, to);
    let mut previous: Option<State> = None;
    // A state depends on the ledger and its date alone: as many are judged at once as the pool
    // has threads, and only those are held beside the previous one; each year is then
    // summarised and written in order.
    for group in dates.chunks(rayon::current_num_threads().max(1)) {
        let states: Vec<State> = (group.par_iter())
            .map(|&(year, d)| judge.state(d, year.is_some()))
            .collect();
        for (&(year, _), current) in group.iter().zip(states) {
            if let (Some(year), Some(previous)) = (year, &previous) {
                bar.set_message(format!("summarising {year}"));
                let s = judge.summary(year, previous, &current);
                stage_year(&mut staged, inputs, &formats, (from, to), &s, &current.1)?;
                index.add(year, &current.1);
                bar.inc(1);
            }
            previous = Some(current);
        }
    }
    bar.finish_and_clear();
    let previous = previous.ok_or_else(|| Failure::Usage("no year to summarise".into()))?;
    index.finish();
    stage_index(&mut staged, inputs, &index, &formats)?;
    commit_years(staged, dir, &formats, from, to)?;
    Ok(previous)
}

/// One year's summary in every format, into the set.
fn stage_year(
    staged: &mut output::StagedDir,
    inputs: &[PathBuf],
    formats: &[Format],
    span: (i32, i32),
    s: &Summary,
    state: &Report,
) -> Result<(), Failure> {
    for &format in formats {
        let name = summary::file_name(s.year, format);
        staged.stream(&name, inputs, |out| {
            summary::write(out, s, state, format, Some(span))
        })?;
        if format == Format::Csv {
            let side = concord::report::provenance_path(Path::new(&name));
            staged.write(&side.to_string_lossy(), inputs, s.provenance().as_bytes())?;
        }
    }
    Ok(())
}

/// A progress bar on stderr when it is a terminal; hidden otherwise.
fn progress_bar(years: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(years as u64);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} years") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn stage_index(
    staged: &mut output::StagedDir,
    inputs: &[PathBuf],
    index: &SummaryIndex,
    formats: &[Format],
) -> Result<(), Failure> {
    for &format in formats {
        let name = format!("index.{}", format.extension());
        staged.stream(&name, inputs, |out| {
            summary::write_index(out, index, format)
        })?;
        if format == Format::Csv {
            staged.write(
                "index.provenance.csv",
                inputs,
                index.provenance().as_bytes(),
            )?;
        }
    }
    Ok(())
}

/// Move the set into place. Year files of the formats written that the run did not write are
/// an earlier, wider run's: the index would not list them, so they go (and the officer hears
/// of it).
fn commit_years(
    staged: output::StagedDir,
    dir: &Path,
    formats: &[Format],
    from: i32,
    to: i32,
) -> Result<(), Failure> {
    let removed = staged.commit(|name| {
        formats
            .iter()
            .any(|&f| summary::year_of_file(name, f).is_some_and(|y| !(from..=to).contains(&y)))
    })?;
    for name in removed {
        eprintln!(
            "note: removed {} from an earlier run (outside {from}..{to})",
            dir.join(name).display()
        );
    }
    Ok(())
}
