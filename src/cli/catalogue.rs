//! `concord catalogue`: the rule catalogue as a Markdown document (`reports/catalogue.md`).

use std::path::PathBuf;

use clap::Args;

use super::{output, Exit, Failure, RulesArg};

#[derive(Args)]
pub struct CatalogueArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    /// Write the document here instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(args: CatalogueArgs) -> Result<Exit, Failure> {
    let engine = args.rules.load()?;
    let text = concord::report::catalogue::render(&engine.catalogue, &engine.dag);
    output::write(args.out.as_deref(), &[], text.as_bytes())?;
    Ok(Exit::Ok)
}
