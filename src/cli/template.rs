//! `concord template`: an activities file to start from: the header and two example rows that
//! validate clean against the bundled rules (a test keeps them so), as CSV or as a workbook with
//! pick lists for party, kind and subject.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{output, Exit, Failure, RulesArg};
use concord::activity::workbook::write::{workbook, Cell, Lists, Sheet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    Csv,
    /// An Excel workbook: the same header and rows, dates as Excel dates, pick lists
    Xlsx,
}

#[derive(Args)]
pub struct TemplateArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: TemplateFormat,
    /// Write the template here instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Every column in template order, one event and one indicator: what an officer copies.
pub const TEMPLATE: &str = "\
id,date,party,kind,subject,partners,targets,value,unit,source,note
KAZ-2019-0001,2019-06-14,KAZ,summit,,CHN;RUS,,,,https://example.org/press/2019-06-14,Bishkek summit (replace these example rows)
KAZ-2019-0002,2019-12-31,KAZ,indicator,tourist-arrivals,,,1250000,trips,national statistics office,one row per metric and year
";

/// The template's rows as cells: the date an Excel date, the value a number.
fn rows() -> Vec<Vec<Cell>> {
    TEMPLATE
        .lines()
        .skip(1)
        .map(|line| {
            line.split(',')
                .enumerate()
                .map(|(i, f)| match (i, f) {
                    (_, "") => Cell::Empty,
                    (1, d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                        .map_or_else(|_| Cell::Text(d.into()), Cell::Date),
                    (7, v) => v
                        .parse()
                        .map_or_else(|_| Cell::Text(v.into()), Cell::Number),
                    (_, t) => Cell::Text(t.into()),
                })
                .collect()
        })
        .collect()
}

pub fn run(args: TemplateArgs) -> Result<Exit, Failure> {
    let bytes = match args.format {
        TemplateFormat::Csv => TEMPLATE.as_bytes().to_vec(),
        TemplateFormat::Xlsx => {
            let engine = args.rules.load()?;
            let c = &engine.catalogue;
            let lists = Lists {
                parties: c.parties.iter().map(|p| p.code.clone()).collect(),
                kinds: c.vocabulary.kinds.keys().cloned().collect(),
                subjects: c.vocabulary.subjects.keys().cloned().collect(),
            };
            let sheet = Sheet {
                name: "activities".into(),
                rows: rows(),
            };
            workbook(&[sheet], Some(&lists))
                .map_err(|e| Failure::Output(format!("cannot write the workbook: {e}")))?
        }
    };
    output::write(args.out.as_deref(), &[], &bytes)?;
    Ok(Exit::Ok)
}
