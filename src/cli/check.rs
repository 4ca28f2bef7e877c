//! `concord check`: the status report.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::gate::{self, GateArgs};
use super::output::{self, AtomicFile};
use super::{Exit, Failure, RulesArg};
use concord::report::{self, Format};
use concord::run::{Discard, Engine, Ingested, RejectSink, RejectsCsv};

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub gate: GateArgs,
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
    /// Write the report here instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The activities of a run and what to do with their bad rows.
#[derive(Args, Clone)]
pub struct InputArgs {
    /// Activity CSV files (several allowed)
    #[arg(long, value_name = "FILE", num_args = 1.., required = true)]
    pub activities: Vec<PathBuf>,
    /// The date to judge as of (YYYY-MM-DD; default: the strategy's end)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Write every rejected row here (CSV: file, line, code, reason, hint, original fields)
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Exit 1 when any row was rejected
    #[arg(long)]
    pub strict: bool,
    /// Exemptions (agreed waivers) to apply, in the format of a rules directory's exemptions.toml
    #[arg(long, value_name = "FILE")]
    pub exemptions: Option<PathBuf>,
    /// An analyst's adjudicated verdicts (TOML, or CSV by extension) that replace computed ones
    #[arg(long, value_name = "FILE")]
    pub assessments: Option<PathBuf>,
}

impl InputArgs {
    /// The catalogue with the exemptions of `--exemptions` added.
    pub fn engine(&self, rules: &RulesArg) -> Result<Engine, Failure> {
        let mut engine = rules.load()?;
        if let Some(path) = &self.exemptions {
            engine.exempt(path).map_err(Failure::Rules)?;
        }
        Ok(engine)
    }

    /// Stream the activities once, writing rejects as they come.
    /// `rules` is where `engine` came from, so that the command suggested for the warnings
    /// checks against the same catalogue.
    pub fn ingest(
        &self,
        engine: &Engine,
        rules: &RulesArg,
        as_of: NaiveDate,
    ) -> Result<Ingested, Failure> {
        let mut ingested = match &self.rejects {
            Some(path) => {
                let file = AtomicFile::create(path, &self.activities)?;
                let mut sink = RejectsCsv::new(file);
                let ingested = engine
                    .ingest(&self.activities, as_of, &mut sink)
                    .map_err(Failure::Input)?;
                let file = sink.finish().map_err(|e| {
                    Failure::Output(format!("cannot write {}: {e}", path.display()))
                })?;
                file.commit()?;
                ingested
            }
            None => engine
                .ingest(&self.activities, as_of, &mut Discard as &mut dyn RejectSink)
                .map_err(Failure::Input)?,
        };
        if let Some(path) = &self.assessments {
            let assessments =
                concord::assessment::load(path, &engine.catalogue).map_err(Failure::Assessments)?;
            ingested.assess(assessments).map_err(Failure::Assessments)?;
        }
        // Warnings do not stop a row, but the officer should hear of them: one line per file,
        // `concord validate` lists each.
        let rules_flag = rules
            .rules
            .as_ref()
            .map(|d| format!(" --rules {}", d.display()))
            .unwrap_or_default();
        for s in &ingested.stats {
            let n: u64 = s.warnings_by_code.values().sum();
            if n > 0 {
                let list: Vec<String> = s
                    .warnings_by_code
                    .iter()
                    .map(|(code, n)| format!("{n} {code}"))
                    .collect();
                eprintln!(
                    "warning: {}: {n} warning{} ({}): `concord validate{rules_flag} {}` lists each",
                    s.path,
                    if n == 1 { "" } else { "s" },
                    list.join(", "),
                    s.path
                );
            }
        }
        let rejected = ingested.rejected();
        if rejected > 0 {
            let whereto = self
                .rejects
                .as_ref()
                .map_or("pass --rejects FILE to see them".to_string(), |p| {
                    format!("see {}", p.display())
                });
            eprintln!("warning: {rejected} row(s) rejected ({whereto})");
        }
        Ok(ingested)
    }

    pub fn exit(&self, ingested: &Ingested) -> Exit {
        if self.strict && ingested.rejected() > 0 {
            Exit::Findings
        } else {
            Exit::Ok
        }
    }
}

pub fn run(args: CheckArgs) -> Result<Exit, Failure> {
    if let (Some(out), Some(rejects)) = (&args.out, &args.input.rejects) {
        output::refuse_same(("--out", out), ("--rejects", rejects))?;
    }
    let engine = args.input.engine(&args.rules)?;
    args.gate.check_parties(&engine)?;
    let as_of = args.input.as_of.unwrap_or_else(|| engine.default_as_of());
    let ingested = args.input.ingest(&engine, &args.rules, as_of)?;
    let mut report = engine.report_with(&ingested, as_of, args.format.detail());
    args.gate.restrict(&mut report);
    let text = report::render(&report, args.format);
    output::write(args.out.as_deref(), &args.input.activities, text.as_bytes())?;
    if args.format == Format::Csv {
        output::write_provenance(args.out.as_deref(), &args.input.activities, || {
            report.provenance()
        })?;
    }
    Ok(gate::worse(
        args.input.exit(&ingested),
        args.gate.judge(&report),
    ))
}
