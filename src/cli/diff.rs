//! `concord diff OLD.json NEW.json`: what changed between two JSON status reports. Exit 1 when
//! they differ, so a batch job can alert.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{output, Exit, Failure};
use concord::diff::{self, Compared};

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

/// Why `diff` cannot compare: its inputs are JSON status reports, not activity files, so its
/// errors say so rather than borrowing the ingest layer's.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("{file}: cannot read: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file}: not a concord JSON report: {reason}")]
    NotReport { file: String, reason: String },
}

impl DiffError {
    pub fn code(&self) -> &'static str {
        match self {
            DiffError::Unreadable { .. } => "io-error",
            DiffError::NotReport { .. } => "not-a-report",
        }
    }

    pub fn help(&self) -> &'static str {
        match self {
            DiffError::Unreadable { .. } => "check the path; diff takes two JSON status reports",
            DiffError::NotReport { .. } => {
                "diff compares the output of `concord check --format json`, written by this version"
            }
        }
    }

    pub fn render(&self) -> String {
        format!(
            "error[{}]: {self}\n  = help: {}\n",
            self.code(),
            self.help()
        )
    }
}

/// The report and the SHA-256 of its bytes, which the diff names it by. The text goes once
/// parsed: two reports of millions of ids are large enough without their text beside them.
/// (Parsed as it is read, never held whole, two 10M-row reports took 270 MB rather than 472,
/// but 6.1 s rather than 2.4: serde_json reads a stream a byte at a time.)
fn read(path: &Path) -> Result<(Compared, String), DiffError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| DiffError::Unreadable {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    let report = Compared::parse(&text).map_err(|e| DiffError::NotReport {
        file,
        reason: e.to_string(),
    })?;
    Ok((report, concord::digest::sha256_hex(text.as_bytes())))
}

pub fn run(args: DiffArgs) -> Result<Exit, Failure> {
    let (old, old_sha) = read(&args.old).map_err(Failure::Diff)?;
    let (new, new_sha) = read(&args.new).map_err(Failure::Diff)?;
    let mut d = diff::diff(&old, &new);
    d.name(
        (&args.old.display().to_string(), old_sha),
        (&args.new.display().to_string(), new_sha),
    );
    let inputs = [args.old.clone(), args.new.clone()];
    output::stream(args.out.as_deref(), &inputs, |w| match args.format {
        DiffFormat::Md => diff::write_markdown(&d, w),
        DiffFormat::Json => diff::write_json(&d, w),
    })?;
    Ok(if d.is_empty() {
        Exit::Ok
    } else {
        Exit::Findings
    })
}
