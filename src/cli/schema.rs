//! `concord schema [KIND]`: the JSON Schema of a JSON output, generated from the types that
//! write it.

use clap::Args;

use super::{output, Exit, Failure};
use concord::schema::{self, Kind};

#[derive(Args)]
pub struct SchemaArgs {
    /// Which output: the status report (default), a year's summary, the summaries' index, a diff,
    /// the coverage, or the findings of lint and validate
    #[arg(value_enum, default_value = "report")]
    pub kind: Kind,
}

pub fn run(args: SchemaArgs) -> Result<Exit, Failure> {
    output::write_stdout(schema::render(args.kind).as_bytes())?;
    Ok(Exit::Ok)
}
