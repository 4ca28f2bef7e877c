//! `concord summary`: one year's summary, or every year of a span with an index. The activities
//! are read once; every year is judged from the same ledger.

use std::io::IsTerminal;
use std::path::Path;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::check::InputArgs;
use super::gate::{self, GateArgs};
use super::targets::OutputArgs;
use super::{output, Exit, Failure, RulesArg};
use concord::evaluate::Evaluation;
use concord::report::{Detail, Format, Report};
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
    if args.input.as_of.is_some() {
        return Err(Failure::Usage(
            "summary judges as of each year's 31 December: give --year or --from/--to, not --as-of"
                .into(),
        ));
    }
    let (from, to) = match (args.year, args.from, args.to) {
        (Some(y), _, _) => (y, y),
        (None, Some(f), Some(t)) => (f, t),
        _ => {
            return Err(Failure::Usage(
                "give --year YEAR, or --from YEAR --to YEAR --out-dir DIR".into(),
            ))
        }
    };
    let targets = args
        .output
        .request(Format::Md)
        .resolve(|f| f.extension().to_string())?;
    if let Some(rejects) = &args.input.rejects {
        for path in targets.iter().filter_map(|t| t.path.as_deref()) {
            output::refuse_same(("--out", path), ("--rejects", rejects))?;
        }
        if let Some(dir) = &args.output.out_dir {
            output::refuse_inside("--rejects", rejects, "--out-dir", dir)?;
        }
    }
    let years = summary::years(from, to).map_err(|e| Failure::Usage(e.to_string()))?;
    let year_end = |y: i32| summary::year_end(y).map_err(|e| Failure::Usage(e.to_string()));
    let engine = args.input.engine(&args.rules)?;
    args.gate.check_parties(&engine)?;
    // Rows dated after the last year are still read; "outside the window" is judged against it.
    let ingested = args.input.ingest(&engine, &args.rules, year_end(to)?)?;
    let before = summary::previous_year_end(from).map_err(|e| Failure::Usage(e.to_string()))?;
    // A summary reads the state's scores and matrix; the evidence a verdict gained is compared on
    // ledger rows, so the state spells out only the first ids of each verdict.
    let detail = Detail::Sample(20);
    let judge = |as_of| {
        let evaluation = engine.evaluate(&ingested, as_of);
        let mut report = engine.report_of(&ingested, &evaluation, detail);
        args.gate.restrict(&mut report);
        (evaluation, report)
    };
    let summarise = |year, previous: &(Evaluation, Report), current: &(Evaluation, Report)| {
        Summary::build_with_rows(year, &previous.1, &current.1, |commitment, party| {
            engine.evidence_added(&ingested, &previous.0, &current.0, commitment, party)
        })
    };
    let mut previous = judge(before);

    if let Some(year) = args.year {
        let current = judge(year_end(year)?);
        let s = summarise(year, &previous, &current);
        for t in &targets {
            let text = summary::render(&s, &current.1, t.format);
            output::write(t.path.as_deref(), &args.input.activities, text.as_bytes())?;
            if t.format == Format::Csv {
                output::write_provenance(t.path.as_deref(), &args.input.activities, || {
                    s.provenance()
                })?;
            }
        }
        return Ok(gate::worse(
            args.input.exit(&ingested),
            args.gate.judge(&current.1),
        ));
    }

    let Some(dir) = args.output.out_dir.as_deref() else {
        return Err(Failure::Usage("--from/--to need --out-dir DIR".into()));
    };
    let mut staged = output::StagedDir::create(dir)?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(years.clone().count() as u64);
        if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} years") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let formats: Vec<Format> = targets.iter().map(|t| t.format).collect();
    let mut index = SummaryIndex::new(from, to);
    for year in years {
        bar.set_message(format!("summarising {year}"));
        let current = judge(year_end(year)?);
        let s = summarise(year, &previous, &current);
        for &format in &formats {
            let text = summary::render_in(&s, &current.1, format, Some((from, to)));
            let name = summary::file_name(year, format);
            staged.write(&name, &args.input.activities, text.as_bytes())?;
            if format == Format::Csv {
                let side = concord::report::provenance_path(Path::new(&name));
                staged.write(
                    &side.to_string_lossy(),
                    &args.input.activities,
                    s.provenance().as_bytes(),
                )?;
            }
        }
        index.add(year, &current.1);
        previous = current;
        bar.inc(1);
    }
    bar.finish_and_clear();
    index.finish();
    for &format in &formats {
        let text = summary::render_index(&index, format);
        let name = format!("index.{}", format.extension());
        staged.write(&name, &args.input.activities, text.as_bytes())?;
        if format == Format::Csv {
            staged.write(
                "index.provenance.csv",
                &args.input.activities,
                index.provenance().as_bytes(),
            )?;
        }
    }
    // Year files of the formats written that the run did not write are an earlier, wider run's:
    // the index would not list them, so they go (and the officer hears of it).
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
    // The gates judge the state the run ends on: the last year's.
    Ok(gate::worse(
        args.input.exit(&ingested),
        args.gate.judge(&previous.1),
    ))
}
