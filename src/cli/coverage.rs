//! `concord coverage`: which commitment sentences of the source no rule quotes.

use clap::{Args, ValueEnum};

use super::{output, Exit, Failure, RulesArg};

#[derive(Clone, Copy, ValueEnum)]
pub enum CoverageFormat {
    Md,
    Json,
}

#[derive(Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    #[arg(long, value_enum, default_value = "md")]
    pub format: CoverageFormat,
}

/// Exit 1 when a flagged sentence is neither quoted nor excluded with a reason.
pub fn run(args: CoverageArgs) -> Result<Exit, Failure> {
    let engine = args.rules.load()?;
    let coverage = concord::coverage::coverage(&engine.catalogue);
    let text = match args.format {
        CoverageFormat::Md => coverage.to_markdown(),
        CoverageFormat::Json => serde_json::to_string_pretty(&coverage)
            .map(|s| s + "\n")
            .map_err(|e| Failure::Output(e.to_string()))?,
    };
    output::write_stdout(text.as_bytes())?;
    Ok(if coverage.uncovered > 0 {
        Exit::Findings
    } else {
        Exit::Ok
    })
}
