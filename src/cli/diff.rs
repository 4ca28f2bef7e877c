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

/// The report and its bytes, which the diff names by digest.
fn read(path: &Path) -> Result<(Report, String), Failure> {
    let unreadable = |reason: String| {
        Failure::Input(InputError::Unreadable {
            file: path.display().to_string(),
            reason,
        })
    };
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    let report =
        json::parse(&text).map_err(|e| unreadable(format!("not a concord JSON report: {e}")))?;
    Ok((report, text))
}

pub fn run(args: DiffArgs) -> Result<Exit, Failure> {
    let (old, old_text) = read(&args.old)?;
    let (new, new_text) = read(&args.new)?;
    let mut d = diff::diff(&old, &new);
    d.name(
        (&args.old.display().to_string(), old_text.as_bytes()),
        (&args.new.display().to_string(), new_text.as_bytes()),
    );
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
