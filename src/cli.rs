//! Arguments, dispatch, exit codes and how errors are shown to people.

mod catalogue;
mod check;
mod coverage;
mod diff;
mod explain;
mod gate;
mod graph;
mod lint;
mod output;
mod schema;
mod summary;
mod targets;
mod template;
mod validate;
mod vocabulary;
mod writeback;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use concord::activity::InputError;
use concord::catalogue::RuleErrors;
use concord::run::Engine;

#[derive(Parser)]
#[command(
    name = "concord",
    version,
    about = "How far the SCO member states implemented the Development Strategy until 2025"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The status report: every commitment for every party, as of a date
    Check(check::CheckArgs),
    /// Validate the rules: every problem, with file and line
    Lint(lint::LintArgs),
    /// One commitment's verdict, thresholds, evidence rows and dependency chain
    Explain(explain::ExplainArgs),
    /// The dependency graph of the commitments
    Graph(graph::GraphArgs),
    /// Which commitment sentences of the source text no rule quotes
    Coverage(coverage::CoverageArgs),
    /// The rule catalogue as a Markdown document
    Catalogue(catalogue::CatalogueArgs),
    /// Yearly summaries: the state at a year's end and what changed since the year before
    Summary(summary::SummaryArgs),
    /// What changed between two JSON reports (exit 1 when they differ)
    Diff(diff::DiffArgs),
    /// Pre-flight: check activity files without evaluating (exit 1 if a row would be rejected)
    Validate(validate::ValidateArgs),
    /// The kinds and subjects, their meanings and the commitments each can evidence
    Vocabulary(vocabulary::VocabularyArgs),
    /// An activities CSV to start from: the header and two example rows
    Template(template::TemplateArgs),
    /// The JSON Schema of a JSON output (report, summary, index, diff, coverage, findings)
    Schema(schema::SchemaArgs),
}

/// Where the rules come from.
#[derive(Args, Clone, Debug)]
pub struct RulesArg {
    /// A rules directory (default: the catalogue bundled with concord)
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

impl RulesArg {
    pub fn load(&self) -> Result<Engine, Failure> {
        Engine::load(self.rules.as_deref()).map_err(Failure::Rules)
    }
}

/// What a command's exit status means; documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// `--strict` and rows were rejected (or `validate` found bad rows, `diff` found changes).
    Findings = 1,
    Usage = 2,
    InvalidRules = 3,
    UnreadableInput = 4,
}

/// Why a command could not do its work.
#[derive(Debug)]
pub enum Failure {
    Rules(RuleErrors),
    Exemptions(concord::catalogue::ExemptionErrors),
    Assessments(concord::assessment::AssessmentErrors),
    Input(InputError),
    Diff(diff::DiffError),
    Usage(String),
    Output(String),
}

impl Failure {
    fn exit(&self) -> Exit {
        match self {
            Failure::Rules(_) | Failure::Exemptions(_) | Failure::Assessments(_) => {
                Exit::InvalidRules
            }
            Failure::Input(_) | Failure::Diff(_) | Failure::Output(_) => Exit::UnreadableInput,
            Failure::Usage(_) => Exit::Usage,
        }
    }
}

pub fn render_input_error(e: &InputError) -> String {
    let mut out = format!("error[{}]: {e}\n", e.code());
    if let Some(help) = e.help() {
        out.push_str(&format!("  = help: {help}\n"));
    }
    out
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                Exit::Usage as u8
            } else {
                Exit::Ok as u8
            });
        }
    };
    let result = match cli.command {
        Command::Check(a) => check::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Graph(a) => graph::run(a),
        Command::Summary(a) => summary::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Coverage(a) => coverage::run(a),
        Command::Catalogue(a) => catalogue::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Vocabulary(a) => vocabulary::run(a),
        Command::Template(a) => template::run(a),
        Command::Schema(a) => schema::run(a),
    };
    match result {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(f) => {
            let text = match &f {
                Failure::Rules(e) => e.render(),
                Failure::Exemptions(e) => e.render(),
                Failure::Assessments(e) => e.render(),
                Failure::Input(e) => render_input_error(e),
                Failure::Diff(e) => e.render(),
                Failure::Usage(m) => format!("error: {m}\n"),
                Failure::Output(m) => format!("error: {m}\n"),
            };
            eprint!("{text}");
            ExitCode::from(f.exit() as u8)
        }
    }
}
