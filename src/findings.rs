//! Problems found by `lint` (in the rules) and `validate` (in activity files) as data, for the
//! machine formats: a JSON document of our own and SARIF 2.1.0, which code hosts' CI shows on
//! the lines concerned.

pub mod sarif;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};

use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

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

    /// The findings document, written as it is serialised.
    pub fn write_json(&self, out: &mut dyn Write) -> std::io::Result<()> {
        write_json(out, self, Listing::Held(&self.findings))
    }
}

impl Finding {
    /// A rejected row.
    pub fn reject(file: &str, r: &Reject) -> Finding {
        Finding {
            file: file.into(),
            line: Some(r.line),
            column: r.column.map(|c| c as u64),
            cell: cell(file, r.line, r.column),
            level: Level::Error,
            code: r.code.to_string(),
            message: r.message.clone(),
            hint: r.hint.clone(),
        }
    }

    /// A row kept with a warning, or a warning about a file.
    pub fn warn(file: &str, w: &Warning) -> Finding {
        Finding {
            file: file.into(),
            line: Some(w.line),
            column: w.column.map(|c| c as u64),
            cell: cell(file, w.line, w.column),
            level: Level::Warning,
            code: w.code.to_string(),
            message: w.message.clone(),
            hint: w.hint.clone(),
        }
    }

    /// A file that cannot be read at all.
    pub fn unreadable(e: &InputError) -> Finding {
        let (file, line, column) = e.place();
        let text = e.to_string();
        // The error's text starts with its place; the finding carries the place apart.
        let message = text
            .strip_prefix(file)
            .map(|rest| rest.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit()))
            .unwrap_or(&text)
            .trim()
            .to_string();
        Finding {
            file: file.into(),
            line,
            column: column.map(|c| c as u64),
            cell: None,
            level: Level::Error,
            code: e.code().to_string(),
            message,
            hint: e.help(),
        }
    }
}

/// The findings of a document, read in order as it is written: held in memory, or spilled.
#[derive(Clone, Copy)]
pub enum Listing<'a> {
    Held(&'a [Finding]),
    Spilled(&'a Spill),
}

impl Listing<'_> {
    /// Every code found, in order: SARIF numbers its rules by them.
    pub fn codes(&self) -> Vec<&str> {
        match self {
            Listing::Held(findings) => findings
                .iter()
                .map(|f| f.code.as_str())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            Listing::Spilled(spill) => spill.codes.iter().map(String::as_str).collect(),
        }
    }

    /// Serialise the findings as a sequence, each through `each`, in the order found.
    pub(crate) fn serialize_with<S: Serializer>(
        &self,
        serializer: S,
        each: impl Fn(&Finding, &mut S::SerializeSeq) -> Result<(), S::Error>,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        match self {
            Listing::Held(findings) => findings.iter().try_for_each(|f| each(f, &mut seq))?,
            Listing::Spilled(spill) => spill
                .read(|f| each(&f, &mut seq))
                .map_err(S::Error::custom)??,
        }
        seq.end()
    }

    fn len(&self) -> usize {
        match self {
            Listing::Held(findings) => findings.len(),
            Listing::Spilled(spill) => spill.len,
        }
    }
}

impl Serialize for Listing<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize_with(serializer, |f, seq| seq.serialize_element(f))
    }
}

/// The findings document: `head`'s files and counts, then the findings of `listing`.
pub fn write_json(out: &mut dyn Write, head: &Findings, listing: Listing<'_>) -> io::Result<()> {
    #[derive(Serialize)]
    struct Document<'a> {
        schema_version: &'a SchemaVersion,
        engine: &'a EngineInfo,
        command: &'a str,
        files: &'a [FileCount],
        errors: u64,
        warnings: u64,
        findings: Listing<'a>,
    }
    crate::report::json::write(
        out,
        &Document {
            schema_version: &head.schema_version,
            engine: &head.engine,
            command: &head.command,
            files: &head.files,
            errors: head.errors,
            warnings: head.warnings,
            findings: listing,
        },
    )
}

/// Findings kept on disk as they are found, one JSON line each, and read back as the document
/// is written. A document's counts come before its findings and are known only at the end:
/// `validate` at 10M rows held 2.1M findings as strings, 940 MB, where the text format, which
/// prints each as it comes, needed 240 MB.
pub struct Spill {
    file: BufWriter<File>,
    len: usize,
    errors: u64,
    warnings: u64,
    codes: BTreeSet<String>,
    /// The first write that failed: a sink cannot return it, so it waits for [`Spill::finish`].
    failed: Option<io::Error>,
}

impl Spill {
    /// A spill in a file of the temporary directory, gone when the spill is dropped.
    pub fn new() -> io::Result<Spill> {
        Ok(Spill {
            file: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            len: 0,
            errors: 0,
            warnings: 0,
            codes: BTreeSet::new(),
            failed: None,
        })
    }

    pub fn push(&mut self, finding: &Finding) {
        if self.failed.is_some() {
            return;
        }
        match finding.level {
            Level::Error => self.errors += 1,
            Level::Warning => self.warnings += 1,
        }
        if !self.codes.contains(&finding.code) {
            self.codes.insert(finding.code.clone());
        }
        self.len += 1;
        let written = serde_json::to_writer(&mut self.file, finding)
            .map_err(io::Error::from)
            .and_then(|()| self.file.write_all(b"\n"));
        if let Err(e) = written {
            self.failed = Some(e);
        }
    }

    /// The findings' counts, once every one is pushed; the first write that failed, if any.
    pub fn finish(&mut self) -> io::Result<(u64, u64)> {
        match self.failed.take() {
            Some(e) => Err(e),
            None => self.file.flush().map(|()| (self.errors, self.warnings)),
        }
    }

    /// Read every finding back, in order, into `each`, once [`Spill::finish`] has flushed
    /// them; stops at the first error `each` gives (the inner result) or reading gives (the
    /// outer one).
    fn read<E>(&self, mut each: impl FnMut(Finding) -> Result<(), E>) -> io::Result<Result<(), E>> {
        let mut file = self.file.get_ref().try_clone()?;
        file.seek(SeekFrom::Start(0))?;
        let mut lines = BufReader::with_capacity(1 << 16, file);
        let mut line = Vec::new();
        for _ in 0..self.len {
            line.clear();
            lines.read_until(b'\n', &mut line)?;
            let finding = serde_json::from_slice(&line)?;
            if let Err(e) = each(finding) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(i: u64, file: &str, code: &str) -> Finding {
        Finding {
            file: file.into(),
            line: (!i.is_multiple_of(3)).then_some(i),
            column: i.is_multiple_of(2).then_some(i % 11),
            cell: (file.ends_with("#Sheet 1")).then(|| format!("'Sheet 1'!C{i}")),
            level: if i.is_multiple_of(4) {
                Level::Error
            } else {
                Level::Warning
            },
            code: code.into(),
            message: format!("row {i}: \"quoted\", ünïcode, a tab\there, a \\ back"),
            hint: (!i.is_multiple_of(5)).then(|| format!("hint {i}\nnext line")),
        }
    }

    /// Findings spilled to disk and read back make the same documents, byte for byte, as the
    /// same findings held: the JSON document and the SARIF log (whose rule numbers need every
    /// code before the first result).
    #[test]
    fn spilled_findings_write_what_held_ones_write() {
        let codes = ["unique-error/id", "no-role", "blank-line", "extra-cell"];
        let mut held = Findings::new("validate");
        let mut spill = Spill::new().expect("a temporary file");
        for i in 0..2_000u64 {
            let file = if i < 1_000 {
                "a b.csv"
            } else {
                "book.xlsx#Sheet 1"
            };
            let f = finding(i, file, codes[(i * 7 % 4) as usize]);
            spill.push(&f);
            held.push(f);
        }
        let (errors, warnings) = spill.finish().expect("spilled");
        assert_eq!((errors, warnings), (held.errors, held.warnings));
        let mut head = Findings::new("validate");
        (head.errors, head.warnings) = (errors, warnings);
        let spilled = Listing::Spilled(&spill);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        held.write_json(&mut a).expect("held json");
        write_json(&mut b, &head, spilled).expect("spilled json");
        assert!(a == b, "json differs");
        for columns in [sarif::Columns::Fields, sarif::Columns::Characters] {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            sarif::write(&mut a, &held, Listing::Held(&held.findings), columns).expect("held");
            sarif::write(&mut b, &head, spilled, columns).expect("spilled");
            assert!(a == b, "sarif differs");
        }
        // Read back twice: each write reads the spill from its start.
        let mut again = Vec::new();
        write_json(&mut again, &head, spilled).expect("again");
        assert!(again == b);
        let parsed: Findings = serde_json::from_slice(&b).expect("a findings document");
        assert_eq!(parsed.findings, held.findings);
    }
}
