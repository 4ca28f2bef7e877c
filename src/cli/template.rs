//! `concord template`: an activities CSV to start from: the header and two example rows that
//! validate clean against the bundled rules (a test keeps them so).

use clap::Args;

use super::{output, Exit, Failure};

#[derive(Args)]
pub struct TemplateArgs {}

/// Every column in template order, one event and one indicator: what an officer copies.
pub const TEMPLATE: &str = "\
id,date,party,kind,subject,partners,targets,value,unit,source,note
KAZ-2019-0001,2019-06-14,KAZ,summit,,CHN;RUS,,,,https://example.org/press/2019-06-14,Bishkek summit (replace these example rows)
KAZ-2019-0002,2019-12-31,KAZ,indicator,tourist-arrivals,,,1250000,trips,national statistics office,one row per metric and year
";

pub fn run(_args: TemplateArgs) -> Result<Exit, Failure> {
    output::write_stdout(TEMPLATE.as_bytes())?;
    Ok(Exit::Ok)
}
