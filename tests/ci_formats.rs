//! The formats CI reads: `validate` and `lint` as JSON findings and SARIF 2.1.0, `check` as
//! JUnit XML, each pinned and checked against the report it renders.

mod common;

use common::*;
use serde_json::Value;

const BAD_ROWS: &str = "fixtures/sco-2015-2025/bad-rows.csv";

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn validate_json_lists_every_finding_and_exits_1() {
    let out = concord(&["validate", "--format", "json", BAD_ROWS]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let text = concord(&["validate", BAD_ROWS]);
    // The text lists one line per finding plus one per file and the summary.
    let lines = stdout(&text).lines().count() as u64;
    let n = doc["errors"].as_u64().expect("errors") + doc["warnings"].as_u64().expect("warnings");
    assert_eq!(n + 2, lines);
    assert_eq!(
        doc["findings"].as_array().expect("findings").len() as u64,
        n
    );
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn validate_sarif_has_a_result_on_a_line_for_each_finding() {
    let out = concord(&["validate", "--format", "sarif", BAD_ROWS]);
    assert_eq!(out.status.code(), Some(1));
    let sarif = json(&out);
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let results = run["results"].as_array().expect("results");
    let findings = json(&concord(&["validate", "--format", "json", BAD_ROWS]));
    assert_eq!(
        results.len(),
        findings["findings"].as_array().expect("f").len()
    );
    for (r, f) in results
        .iter()
        .zip(findings["findings"].as_array().expect("f"))
    {
        let rule = r["ruleId"].as_str().expect("ruleId");
        assert_eq!(
            rules[r["ruleIndex"].as_u64().expect("index") as usize],
            rule
        );
        assert_eq!(rule, f["code"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], BAD_ROWS);
        assert_eq!(loc["region"]["startLine"], f["line"]);
        // A CSV column is a field, not a character: it travels as a property.
        assert!(loc["region"].get("startColumn").is_none());
        assert_eq!(r["properties"]["field"], f["column"]);
    }
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn validate_json_of_an_unreadable_file_exits_4() {
    let out = concord(&[
        "validate",
        "--format",
        "json",
        "fixtures/does-not-exist.csv",
    ]);
    assert_eq!(out.status.code(), Some(4));
    let doc = json(&out);
    assert_eq!(doc["findings"][0]["code"], "io-error");
    assert_eq!(doc["files"][0]["sha256"], Value::Null);
}

#[test]
fn lint_json_of_the_bundled_rules_is_empty() {
    let out = concord(&["lint", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    assert_eq!(doc["command"], "lint");
    assert_eq!(doc["errors"], 0);
    assert_eq!(doc["findings"], Value::Array(vec![]));
}

#[test]
fn lint_sarif_of_broken_rules_points_at_the_line_and_exits_3() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = overlaid_rules(std::path::Path::new("fixtures/rule-errors/cycle"));
    write_rules(&files, dir.path());
    let root = dir.path().display().to_string();
    let out = concord(&["lint", "--rules", &root, "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let sarif = json(&out);
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "cycle");
    assert_eq!(result["level"], "error");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        format!("{root}/chapters/model.toml")
    );
    assert_eq!(loc["region"]["startLine"], 13);
    assert_eq!(loc["region"]["startColumn"], 6);
}

#[test]
fn junit_has_a_case_per_verdict_and_fails_the_unsatisfied_ones() {
    let out = check_engine(&["--format", "junit"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xml = stdout(&out);
    let report = json(&check_engine(&["--format", "json"]));
    let results: Vec<&Value> = report["commitments"]
        .as_array()
        .expect("commitments")
        .iter()
        .flat_map(|c| c["results"].as_array().expect("results"))
        .collect();
    let with = |statuses: &[&str]| {
        results
            .iter()
            .filter(|r| statuses.contains(&r["status"].as_str().expect("status")))
            .count()
    };
    assert_eq!(xml.matches("<testcase ").count(), results.len());
    assert_eq!(
        xml.matches("<failure ").count(),
        with(&["not_met", "breached", "blocked"])
    );
    assert_eq!(
        xml.matches("<skipped ").count(),
        with(&["pending", "not_applicable", "exempt"])
    );
    assert!(xml.contains(&format!(
        "<testsuites name=\"concord {}",
        env!("CARGO_PKG_VERSION")
    )));
    insta::assert_snapshot!(xml);
}
