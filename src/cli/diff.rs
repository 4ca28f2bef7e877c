//! `concord diff OLD.json NEW.json`: what changed between two JSON status reports. Exit 1 when
//! they differ, so a batch job can alert.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{output, Exit, Failure};
use concord::activity::InputError;
use concord::diff;
use concord::report::{json, Report};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Md,
    Json,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The earlier report (`concord check --format json`)
    pub old: PathBuf,
    /// The later report
    pub new: PathBuf,
    #[arg(long, value_enum, default_value = "md")]
    pub format: DiffFormat,
    /// Write the differences here instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn read(path: &Path) -> Result<Report, Failure> {
    let unreadable = |reason: String| {
        Failure::Input(InputError::Unreadable {
            file: path.display().to_string(),
            reason,
        })
    };
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    json::parse(&text).map_err(|e| unreadable(format!("not a concord JSON report: {e}")))
}

pub fn run(args: DiffArgs) -> Result<Exit, Failure> {
    let old = read(&args.old)?;
    let new = read(&args.new)?;
    let d = diff::diff(&old, &new);
    let text = match args.format {
        DiffFormat::Md => diff::render_markdown(&d),
        DiffFormat::Json => diff::render_json(&d),
    };
    output::write(args.out.as_deref(), &[args.old, args.new], text.as_bytes())?;
    Ok(if d.is_empty() {
        Exit::Ok
    } else {
        Exit::Findings
    })
}
