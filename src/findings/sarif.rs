//! SARIF 2.1.0 (OASIS), the format code hosts read to show a CI job's findings on the lines of
//! the files concerned. One run, one result per finding, one rule per code.

use std::io::Write;

use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

use super::{Finding, Findings, Level, Listing};

/// What a finding's column counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// Characters in the line (TOML): SARIF's `startColumn`.
    Characters,
    /// Fields of a CSV row: not a character position, so kept as a property of the result.
    Fields,
}

/// A relative path as a URI reference: `/` kept, anything outside the unreserved set
/// percent-encoded (a space in a file name must not break the URI).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The SARIF log. Its fields, and those of every part below, are declared in the order of their
/// names, the order the log has always been written in.
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    column_kind: &'static str,
    results: Results<'a>,
    tool: Tool<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
struct Driver<'a> {
    name: &'a str,
    rules: Vec<Rule<'a>>,
    version: &'a str,
}

#[derive(Serialize)]
struct Rule<'a> {
    id: &'a str,
}

/// One result per finding, each made as it is written: a file with a million rejected rows
/// held a tree of JSON values for every one of them (11 GB).
struct Results<'a> {
    findings: Listing<'a>,
    codes: &'a [&'a str],
    columns: Columns,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (codes, columns) = (self.codes, self.columns);
        self.findings.serialize_with(serializer, |f, seq| {
            seq.serialize_element(&result(f, codes, columns))
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    level: &'static str,
    locations: [Location; 1],
    message: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties<'a>>,
    rule_id: &'a str,
    rule_index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: Physical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u64>,
    start_line: u64,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Properties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<u64>,
}

fn result<'a>(f: &'a Finding, codes: &[&str], columns: Columns) -> SarifResult<'a> {
    let text = match &f.hint {
        Some(h) => format!("{} ({h})", f.message),
        None => f.message.clone(),
    };
    // A workbook is no text file: its result names the cell (a property), not a line.
    let file = match crate::activity::workbook::sheet_of(&f.file) {
        Some(sheet) => &f.file[..f.file.len() - sheet.len() - 1],
        None => f.file.as_str(),
    };
    let region = f
        .line
        .filter(|l| *l > 0 && f.cell.is_none())
        .map(|start_line| Region {
            start_column: f
                .column
                .filter(|c| *c > 0 && columns == Columns::Characters),
            start_line,
        });
    let field = f.column.filter(|_| columns == Columns::Fields);
    let cell = f.cell.as_deref();
    SarifResult {
        level: match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
        },
        locations: [Location {
            physical_location: Physical {
                artifact_location: Artifact { uri: uri(file) },
                region,
            },
        }],
        message: Message { text },
        properties: (cell.is_some() || field.is_some()).then_some(Properties { cell, field }),
        rule_id: &f.code,
        rule_index: codes.binary_search(&f.code.as_str()).unwrap_or(0),
    }
}

/// The SARIF log of `findings`, by `head`'s engine, written as it is serialised.
pub fn write(
    out: &mut dyn Write,
    head: &Findings,
    findings: Listing<'_>,
    columns: Columns,
) -> std::io::Result<()> {
    let codes = findings.codes();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            results: Results {
                findings,
                codes: &codes,
                columns,
            },
            tool: Tool {
                driver: Driver {
                    name: &head.engine.name,
                    rules: codes.iter().map(|&id| Rule { id }).collect(),
                    version: &head.engine.version,
                },
            },
        }],
        version: "2.1.0",
    };
    crate::report::json::write(out, &log)
}
