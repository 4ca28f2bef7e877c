//! SARIF 2.1.0 (OASIS), the format code hosts read to show a CI job's findings on the lines of
//! the files concerned. One run, one result per finding, one rule per code.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::{Findings, Level};

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

pub fn render(findings: &Findings, columns: Columns) -> String {
    let codes: Vec<&str> = findings
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let rules: Vec<Value> = codes.iter().map(|c| json!({ "id": c })).collect();
    let results: Vec<Value> = findings
        .findings
        .iter()
        .map(|f| {
            let text = match &f.hint {
                Some(h) => format!("{} ({h})", f.message),
                None => f.message.clone(),
            };
            let mut region = serde_json::Map::new();
            // A workbook is no text file: its result names the cell (a property), not a line.
            let file = match crate::activity::workbook::sheet_of(&f.file) {
                Some(sheet) => &f.file[..f.file.len() - sheet.len() - 1],
                None => f.file.as_str(),
            };
            if let Some(line) = f.line.filter(|l| *l > 0 && f.cell.is_none()) {
                region.insert("startLine".into(), line.into());
                if let (Columns::Characters, Some(c)) = (columns, f.column.filter(|c| *c > 0)) {
                    region.insert("startColumn".into(), c.into());
                }
            }
            let mut physical = json!({ "artifactLocation": { "uri": uri(file) } });
            if !region.is_empty() {
                physical["region"] = Value::Object(region);
            }
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": codes.binary_search(&f.code.as_str()).unwrap_or(0),
                "level": match f.level { Level::Error => "error", Level::Warning => "warning" },
                "message": { "text": text },
                "locations": [{ "physicalLocation": physical }],
            });
            let mut properties = serde_json::Map::new();
            if let (Columns::Fields, Some(c)) = (columns, f.column) {
                properties.insert("field".into(), c.into());
            }
            if let Some(cell) = &f.cell {
                properties.insert("cell".into(), cell.clone().into());
            }
            if !properties.is_empty() {
                result["properties"] = Value::Object(properties);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": findings.engine.name,
                "version": findings.engine.version,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    crate::report::json::to_string(&doc)
}
