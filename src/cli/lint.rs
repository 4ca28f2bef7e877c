//! `concord lint`: check a rules directory and print every problem; `--format json|sarif` for a
//! rules repository's CI, which then shows each problem on its line.

use clap::{Args, ValueEnum};

use super::{output, Exit, Failure, RulesArg};
use concord::findings::{sarif, Findings};

/// How `lint` and `validate` print what they find.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    /// One line per problem, for a person
    Text,
    /// The findings document (`concord schema findings`)
    Json,
    /// SARIF 2.1.0, for code scanning in CI
    Sarif,
}

impl FindingsFormat {
    /// The findings in this machine format; `None` for text, which each command prints itself.
    pub fn render(self, findings: &Findings, columns: sarif::Columns) -> Option<String> {
        match self {
            FindingsFormat::Text => None,
            FindingsFormat::Json => Some(findings.to_json()),
            FindingsFormat::Sarif => Some(sarif::render(findings, columns)),
        }
    }
}

#[derive(Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    #[arg(long, value_enum, default_value = "text")]
    pub format: FindingsFormat,
}

pub fn run(args: LintArgs) -> Result<Exit, Failure> {
    let engine = match (args.rules.load(), args.format) {
        (Ok(engine), _) => engine,
        (Err(Failure::Rules(errors)), format) if format != FindingsFormat::Text => {
            let findings = Findings::from_rules(&errors);
            if let Some(text) = format.render(&findings, sarif::Columns::Characters) {
                output::write_stdout(text.as_bytes())?;
            }
            return Ok(Exit::InvalidRules);
        }
        (Err(f), _) => return Err(f),
    };
    if let Some(text) = args
        .format
        .render(&Findings::new("lint"), sarif::Columns::Characters)
    {
        output::write_stdout(text.as_bytes())?;
        return Ok(Exit::Ok);
    }
    let c = &engine.catalogue;
    let edges = engine.dag.edges(c).len();
    println!(
        "ok: {} commitments in {} chapters, {} dependencies, {} parties, {} kinds, {} subjects; every quote found in {}",
        c.commitments.len(),
        c.chapters.len(),
        edges,
        c.parties.len(),
        c.vocabulary.kinds.len(),
        c.vocabulary.subjects.len(),
        c.strategy.source_path
    );
    Ok(Exit::Ok)
}
