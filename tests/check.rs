//! `concord check` end to end on the engine fixture: every status appears, the md and json
//! reports are pinned, and the exit codes mean what the README says.

mod common;

use common::*;

fn check(format: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--format", format];
    args.extend_from_slice(extra);
    check_engine(&args)
}

#[test]
fn markdown_report() {
    let out = check("md", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn json_report() {
    let out = check("json", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn csv_report() {
    let out = check("csv", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn every_status_is_produced_by_the_fixture() {
    let out = check("json", &[]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let statuses: std::collections::BTreeSet<String> = report["commitments"]
        .as_array()
        .expect("commitments")
        .iter()
        .flat_map(|c| {
            c["results"]
                .as_array()
                .expect("results")
                .iter()
                .map(|r| r["status"].as_str().expect("status").to_string())
        })
        .collect();
    for s in [
        "met",
        "partial",
        "not_met",
        "pending",
        "breached",
        "blocked",
        "not_applicable",
        "exempt",
    ] {
        assert!(statuses.contains(s), "no verdict is {s}");
    }
}

#[test]
fn an_earlier_as_of_judges_only_what_had_happened() {
    let out = check("json", &["--as-of", "2016-12-31"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["as_of"], "2016-12-31");
    let mod04 = report["commitments"]
        .as_array()
        .expect("c")
        .iter()
        .find(|c| c["id"] == "MOD-04")
        .expect("MOD-04");
    let aaa = mod04["results"]
        .as_array()
        .expect("r")
        .iter()
        .find(|r| r["party"] == "AAA")
        .expect("AAA");
    assert_eq!(aaa["status"], "not_met");
}

#[test]
fn strict_exits_1_when_rows_are_rejected_and_rejects_keep_the_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "id,date,party,kind\nB1,2019-06-14,KAZX,summit\n").expect("write");
    let rejects = dir.path().join("rejects.csv");
    let bad_s = bad.display().to_string();
    let rejects_s = rejects.display().to_string();
    let out = concord(&[
        "check",
        "--rules",
        ENGINE_RULES,
        "--activities",
        ENGINE_ACTIVITIES,
        &bad_s,
        "--rejects",
        &rejects_s,
        "--strict",
        "--out",
        "/dev/null",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = std::fs::read_to_string(&rejects).expect("rejects");
    assert_eq!(text.lines().next(), Some("file,line,code,reason,hint"));
    let line = text.lines().nth(1).expect("one reject");
    assert!(line.ends_with(",B1,2019-06-14,KAZX,summit"), "{line}");
    assert!(line.contains("unknown party \"\"KAZX\"\""), "{line}");
    let out = concord(&[
        "check",
        "--rules",
        ENGINE_RULES,
        "--activities",
        &bad_s,
        "--out",
        "/dev/null",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "without --strict a rejected row is reported, not fatal"
    );
}

#[test]
fn unreadable_input_exits_4() {
    let out = concord(&[
        "check",
        "--rules",
        ENGINE_RULES,
        "--activities",
        "fixtures/engine/no-such-file.csv",
    ]);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("no-such-file.csv: cannot read"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(concord(&["check"]).status.code(), Some(2));
    assert_eq!(
        concord(&[
            "check",
            "--activities",
            ENGINE_ACTIVITIES,
            "--as-of",
            "31.12.2025"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(concord(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn invalid_rules_exit_3() {
    let out = concord(&[
        "check",
        "--rules",
        "fixtures/no-such-rules",
        "--activities",
        ENGINE_ACTIVITIES,
    ]);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn explain_shows_thresholds_evidence_and_the_chain() {
    let out = concord(&[
        "explain",
        "MOD-04",
        "--party",
        "BBB",
        "--rules",
        ENGINE_RULES,
        "--activities",
        ENGINE_ACTIVITIES,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

/// `--activities` takes every value after it: an id given after the files is still the id,
/// and no id at all is asked for by name.
#[test]
fn explain_takes_its_id_after_the_activity_files_too() {
    let before = concord(&[
        "explain",
        "MOD-04",
        "--rules",
        ENGINE_RULES,
        "--activities",
        ENGINE_ACTIVITIES,
    ]);
    let after = concord(&[
        "explain",
        "--rules",
        ENGINE_RULES,
        "--activities",
        ENGINE_ACTIVITIES,
        "MOD-04",
    ]);
    assert_eq!(after.status.code(), Some(0), "{}", stderr(&after));
    assert_eq!(stdout(&after), stdout(&before));
    let none = concord(&[
        "explain",
        "--rules",
        ENGINE_RULES,
        "--activities",
        ENGINE_ACTIVITIES,
    ]);
    assert_eq!(none.status.code(), Some(2));
    assert!(
        stderr(&none).contains("which commitment?"),
        "{}",
        stderr(&none)
    );
}

#[test]
fn graph_is_the_dag_of_stated_dependencies() {
    let out = concord(&["graph", "--rules", ENGINE_RULES, "--format", "mermaid"]);
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn refuses_to_write_over_an_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("a.csv");
    std::fs::copy(ENGINE_ACTIVITIES, &input).expect("copy");
    let s = input.display().to_string();
    let out = concord(&[
        "check",
        "--rules",
        ENGINE_RULES,
        "--activities",
        &s,
        "--out",
        &s,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read(&input).expect("read"),
        std::fs::read(ENGINE_ACTIVITIES).expect("read")
    );
}
