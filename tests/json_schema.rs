//! Every JSON output concord has ever been pinned to (each JSON snapshot, each committed
//! `reports/**/*.json`) validates against the schema `concord schema` prints; the schemas are
//! strict enough to reject what the types would not write.

mod common;

use std::path::Path;

use concord::schema::{schema, Kind, SCHEMA_VERSION};
use serde_json::Value;

fn validator(kind: Kind) -> jsonschema::Validator {
    let schema = serde_json::to_value(schema(kind)).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

fn errors(kind: Kind, doc: &Value) -> Vec<String> {
    validator(kind)
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Which output a document is, from the fields only that output has.
fn kind_of(doc: &Value) -> Option<Kind> {
    let has = |k: &str| doc.get(k).is_some();
    if has("previous_as_of") {
        Some(Kind::Summary)
    } else if has("years") && has("from") {
        Some(Kind::Index)
    } else if has("verdicts") && has("old") {
        Some(Kind::Diff)
    } else if has("commitments") && has("overall") {
        Some(Kind::Report)
    } else if has("flagged") {
        Some(Kind::Coverage)
    } else if has("findings") {
        Some(Kind::Findings)
    } else {
        None
    }
}

fn assert_valid(name: &str, doc: &Value) {
    let kind = kind_of(doc).unwrap_or_else(|| panic!("{name}: a JSON document of no known kind"));
    let errs = errors(kind, doc);
    assert!(
        errs.is_empty(),
        "{name} does not validate against `concord schema {}`:\n{}",
        kind.name(),
        errs.join("\n")
    );
}

/// The body of an insta snapshot, when it is a JSON object.
fn snapshot_json(text: &str) -> Option<Value> {
    let body = text.splitn(3, "---\n").nth(2)?;
    serde_json::from_str::<Value>(body)
        .ok()
        .filter(Value::is_object)
}

#[test]
fn every_json_snapshot_validates() {
    let mut seen = 0;
    for path in common::walk(Path::new("tests/snapshots")) {
        let text = std::fs::read_to_string(&path).expect("snapshot");
        if let Some(doc) = snapshot_json(&text) {
            // SARIF is OASIS's format, not concord's contract (tests/ci_formats.rs checks it).
            if doc["version"] == "2.1.0" && doc.get("runs").is_some() {
                continue;
            }
            assert_valid(&path.display().to_string(), &doc);
            seen += 1;
        }
    }
    assert!(seen >= 5, "only {seen} JSON snapshots found");
}

#[test]
fn every_committed_json_report_validates() {
    let mut seen = 0;
    for path in common::walk(Path::new("reports")) {
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).expect("report");
            let doc: Value = serde_json::from_str(&text).expect("report is JSON");
            assert_valid(&path.display().to_string(), &doc);
            seen += 1;
        }
    }
    assert!(seen >= 20, "only {seen} JSON reports found");
}

#[test]
fn every_json_output_names_its_schema_version() {
    for path in common::walk(Path::new("reports")) {
        if path.extension().is_some_and(|e| e == "json") {
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
            assert_eq!(doc["schema_version"], SCHEMA_VERSION, "{}", path.display());
        }
    }
}

fn committed_report() -> Value {
    let text = std::fs::read_to_string("reports/status-2025-12-31.json").expect("report");
    serde_json::from_str(&text).expect("json")
}

#[test]
fn the_schema_rejects_an_undocumented_field() {
    let mut doc = committed_report();
    doc["commitments"][0]["results"][0]["surprise"] = Value::Bool(true);
    assert!(!errors(Kind::Report, &doc).is_empty());
}

#[test]
fn the_schema_rejects_a_missing_or_other_schema_version() {
    let mut doc = committed_report();
    doc["schema_version"] = Value::String("0.9".into());
    assert!(!errors(Kind::Report, &doc).is_empty());
    doc.as_object_mut()
        .expect("object")
        .remove("schema_version");
    assert!(!errors(Kind::Report, &doc).is_empty());
}

#[test]
fn the_schema_rejects_an_unknown_status() {
    let mut doc = committed_report();
    doc["commitments"][0]["results"][0]["status"] = Value::String("almost".into());
    assert!(!errors(Kind::Report, &doc).is_empty());
}

#[test]
fn concord_schema_prints_each_kind() {
    for kind in Kind::ALL {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_concord"))
            .args(["schema", kind.name()])
            .output()
            .expect("run concord");
        assert!(out.status.success());
        let printed: Value = serde_json::from_slice(&out.stdout).expect("schema is JSON");
        assert_eq!(printed, serde_json::to_value(schema(kind)).expect("json"));
        assert_eq!(
            printed["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}

#[test]
fn coverage_and_lint_json_validate() {
    for (args, kind) in [
        (&["coverage", "--format", "json"][..], Kind::Coverage),
        (&["lint", "--format", "json"][..], Kind::Findings),
    ] {
        let out = common::concord(args);
        let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(kind_of(&doc), Some(kind), "{args:?}");
        assert_valid(&args.join(" "), &doc);
    }
}
