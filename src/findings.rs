//! Problems found by `lint` (in the rules) and `validate` (in activity files) as data, for the
//! machine formats: a JSON document of our own and SARIF 2.1.0, which code hosts' CI shows on
//! the lines concerned.

pub mod sarif;

use serde::{Deserialize, Serialize};

use crate::activity::{workbook, InputError, Reject, Warning};
use crate::catalogue::RuleErrors;
use crate::report::EngineInfo;
use crate::schema::SchemaVersion;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The rules do not load, or the row is rejected, or the file cannot be read.
    Error,
    /// The row is kept, but the officer should know.
    Warning,
}

/// One problem, where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    pub file: String,
    /// 1-based, as an editor shows it; `None` when the whole file is concerned.
    pub line: Option<u64>,
    /// 1-based column (a field's position in a CSV row, a character in a TOML line).
    pub column: Option<u64>,
    /// A cell reference (`Sheet1!C12`) when the file is a workbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    pub level: Level,
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
}

/// Per file read by `validate`: rows = accepted + rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileCount {
    pub path: String,
    /// Absent when the file could not be read.
    pub sha256: Option<String>,
    pub rows: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub warnings: u64,
}

/// The cell of a place in a workbook's sheet (`Activities!C12`).
fn cell(file: &str, line: u64, column: Option<usize>) -> Option<String> {
    let sheet = workbook::sheet_of(file)?;
    Some(workbook::cell(sheet, line, column))
}

/// What `lint` or `validate` found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Findings {
    /// The version of the JSON contract (`concord schema findings` prints it).
    #[serde(default)]
    pub schema_version: SchemaVersion,
    pub engine: EngineInfo,
    /// `lint` or `validate`.
    pub command: String,
    /// The files read (`validate` only).
    pub files: Vec<FileCount>,
    pub errors: u64,
    pub warnings: u64,
    /// In the order found: file by file, line by line.
    pub findings: Vec<Finding>,
}

impl Findings {
    pub fn new(command: &str) -> Findings {
        Findings {
            schema_version: SchemaVersion::default(),
            engine: EngineInfo::current(),
            command: command.into(),
            files: vec![],
            errors: 0,
            warnings: 0,
            findings: vec![],
        }
    }

    pub fn push(&mut self, finding: Finding) {
        match finding.level {
            Level::Error => self.errors += 1,
            Level::Warning => self.warnings += 1,
        }
        self.findings.push(finding);
    }

    /// Every problem of a rules directory that does not load.
    pub fn from_rules(errors: &RuleErrors) -> Findings {
        let mut out = Findings::new("lint");
        for e in &errors.errors {
            let known = e.loc.line > 0;
            out.push(Finding {
                file: e.loc.file.clone(),
                line: known.then_some(e.loc.line as u64),
                column: (known && e.loc.col > 0).then_some(e.loc.col as u64),
                cell: None,
                level: Level::Error,
                code: e.kind.code().to_string(),
                message: e.kind.to_string(),
                hint: e.kind.help(),
            });
        }
        out
    }

    pub fn reject(&mut self, file: &str, r: &Reject) {
        self.push(Finding {
            file: file.into(),
            line: Some(r.line),
            column: r.column.map(|c| c as u64),
            cell: cell(file, r.line, r.column),
            level: Level::Error,
            code: r.code.to_string(),
            message: r.message.clone(),
            hint: r.hint.clone(),
        });
    }

    pub fn warn(&mut self, file: &str, w: &Warning) {
        self.push(Finding {
            file: file.into(),
            line: Some(w.line),
            column: w.column.map(|c| c as u64),
            cell: cell(file, w.line, w.column),
            level: Level::Warning,
            code: w.code.to_string(),
            message: w.message.clone(),
            hint: w.hint.clone(),
        });
    }

    /// A file that cannot be read at all.
    pub fn unreadable(&mut self, e: &InputError) {
        let (file, line, column) = e.place();
        let text = e.to_string();
        // The error's text starts with its place; the finding carries the place apart.
        let message = text
            .strip_prefix(file)
            .map(|rest| rest.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit()))
            .unwrap_or(&text)
            .trim()
            .to_string();
        self.push(Finding {
            file: file.into(),
            line,
            column: column.map(|c| c as u64),
            cell: None,
            level: Level::Error,
            code: e.code().to_string(),
            message,
            hint: e.help(),
        });
    }

    /// The findings document, written as it is serialised.
    pub fn write_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        crate::report::json::write(out, self)
    }
}
