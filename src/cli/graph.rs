//! `concord graph`: the dependency DAG as DOT or Mermaid.

use clap::{Args, ValueEnum};

use super::{output, Exit, Failure, RulesArg};

#[derive(Clone, Copy, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    #[arg(long, value_enum, default_value = "dot")]
    pub format: GraphFormat,
}

pub fn run(args: GraphArgs) -> Result<Exit, Failure> {
    let engine = args.rules.load()?;
    let text = match args.format {
        GraphFormat::Dot => engine.dag.to_dot(&engine.catalogue),
        GraphFormat::Mermaid => engine.dag.to_mermaid(&engine.catalogue, false),
    };
    output::write_stdout(text.as_bytes())?;
    Ok(Exit::Ok)
}
