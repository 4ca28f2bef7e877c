//! `concord check`: the status report.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use super::gate::{self, GateArgs};
use super::output::{self, AtomicFile};
use super::targets::{OutFormat, OutputArgs};
use super::{Exit, Failure, RulesArg};
use concord::report::{self, Detail, Format, Report};
use concord::run::{Discard, Engine, Ingested, RejectSink, RejectsCsv};

#[derive(Args)]
#[command(mut_arg("out_dir", |a| a.help("Where --formats writes status-AS_OF.EXT (and, for html, a page per party)")))]
pub struct CheckArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub gate: GateArgs,
    #[command(flatten)]
    pub output: OutputArgs<CheckFormat>,
}

/// The status report's formats: those of every report, and JUnit XML for CI dashboards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Md,
    Json,
    Csv,
    /// One self-contained page: inline CSS and SVG, no script, nothing fetched.
    Html,
    /// JUnit XML: a test case per commitment x party, failing on not_met, breached, blocked
    Junit,
}

impl CheckFormat {
    fn report(self) -> Option<Format> {
        match self {
            CheckFormat::Md => Some(Format::Md),
            CheckFormat::Json => Some(Format::Json),
            CheckFormat::Csv => Some(Format::Csv),
            CheckFormat::Html => Some(Format::Html),
            CheckFormat::Junit => None,
        }
    }

    /// The detail of the model the format is written from. JUnit names a verdict's evidence
    /// count only; json and csv list every id, which they read from the ledger as they are
    /// written, so their model holds counts only and memory does not grow with the evidence.
    fn detail(self) -> Detail {
        match self.report().map_or(Detail::Sample(0), Format::detail) {
            Detail::Full => Detail::Sample(0),
            sampled => sampled,
        }
    }

    fn write(
        self,
        out: &mut dyn std::io::Write,
        report: &Report,
        run: report::Run<'_>,
    ) -> std::io::Result<()> {
        match self.report() {
            Some(format) => report::write(out, report, format, report::Evidence::Ledger(run)),
            None => out.write_all(report::junit::render(report).as_bytes()),
        }
    }
}

impl OutFormat for CheckFormat {
    fn extension(self) -> &'static str {
        self.report().map_or("junit.xml", Format::extension)
    }
}

/// The activities of a run and what to do with their bad rows.
#[derive(Args, Clone)]
pub struct InputArgs {
    /// Activity files (several allowed): CSV, or a workbook (FILE.xlsx, FILE.ods#Sheet)
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
            engine.exempt(path).map_err(Failure::Exemptions)?;
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

/// `party-CODE.html` beside the status page, for every party with a verdict that binds it.
fn write_party_pages(report: &Report, status: &Path, inputs: &[PathBuf]) -> Result<(), Failure> {
    let dir = status.parent().unwrap_or(Path::new("."));
    let name = status
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for p in report.active_parties() {
        let code = &report.parties[p].code;
        let text = report::html::render_party(report, code, &name);
        output::write_file(
            &dir.join(report::html::party_file(code)),
            inputs,
            text.as_bytes(),
        )?;
    }
    Ok(())
}

pub fn run(args: CheckArgs) -> Result<Exit, Failure> {
    let engine = args.input.engine(&args.rules)?;
    args.gate.check_parties(&engine)?;
    let as_of = args.input.as_of.unwrap_or_else(|| engine.default_as_of());
    let targets = args
        .output
        .request(CheckFormat::Md)
        .resolve(|f| format!("status-{as_of}.{}", f.extension()))?;
    if let Some(rejects) = &args.input.rejects {
        for path in targets.iter().filter_map(|t| t.path.as_deref()) {
            output::refuse_same(("--out", path), ("--rejects", rejects))?;
        }
    }
    if let Some(dir) = &args.output.out_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Output(format!("cannot create {}: {e}", dir.display())))?;
    }
    let ingested = args.input.ingest(&engine, &args.rules, as_of)?;
    // One evaluation for every output; a report per level of detail the formats ask for.
    let evaluation = engine.evaluate(&ingested, as_of);
    let mut reports: Vec<(Detail, Report)> = Vec::new();
    for target in &targets {
        let detail = target.format.detail();
        let at = match reports.iter().position(|(d, _)| *d == detail) {
            Some(i) => i,
            None => {
                let mut report = engine.report_of(&ingested, &evaluation, detail);
                args.gate.restrict(&mut report);
                reports.push((detail, report));
                reports.len() - 1
            }
        };
        let report = &reports[at].1;
        // In a directory, the status page links a page per party written beside it.
        let pages = target.format == CheckFormat::Html && args.output.out_dir.is_some();
        match (pages, &target.path) {
            (true, Some(path)) => {
                write_party_pages(report, path, &args.input.activities)?;
                let text =
                    report::html::render_with(report, report::html::Links { party_pages: true });
                output::write(Some(path), &args.input.activities, text.as_bytes())?;
            }
            _ => output::stream(target.path.as_deref(), &args.input.activities, |out| {
                target
                    .format
                    .write(out, report, engine.run(&ingested, &evaluation))
            })?,
        }
        if target.format == CheckFormat::Csv {
            output::write_provenance(target.path.as_deref(), &args.input.activities, || {
                reports[at].1.provenance()
            })?;
        }
    }
    // Every level of detail has the same verdicts and scores: any report judges the gates.
    let verdict = reports
        .first()
        .map_or(Exit::Ok, |(_, report)| args.gate.judge(report));
    Ok(gate::worse(args.input.exit(&ingested), verdict))
}
