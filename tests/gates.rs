//! A run fails on its result when asked (`--fail-under`, `--fail-on`: exit 1, each reason on
//! stderr), and `--party` restricts a report to some parties, scores taken over them alone.

mod common;

use common::*;

fn check(extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "check",
        "--rules",
        ENGINE_RULES,
        "--activities",
        ENGINE_ACTIVITIES,
    ];
    args.extend_from_slice(extra);
    concord(&args)
}

#[test]
fn fail_under_compares_the_overall_percent() {
    // The fixture's overall is 53.6%.
    assert_eq!(check(&["--fail-under", "50"]).status.code(), Some(0));
    let out = check(&["--fail-under", "60"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("fail: overall 53.6% is under --fail-under 60"),
        "{}",
        stderr(&out)
    );
    assert_eq!(check(&["--fail-under", "120"]).status.code(), Some(2));
}

#[test]
fn fail_on_names_the_verdicts_with_those_statuses() {
    let out = check(&["--fail-on", "breached,blocked"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("fail: 2 verdicts are breached (--fail-on): "),
        "{err}"
    );
    assert!(
        err.contains("fail: 2 verdicts are blocked (--fail-on): "),
        "{err}"
    );
    assert_eq!(
        check(&["--party", "AAA", "--fail-on", "breached,blocked"])
            .status
            .code(),
        Some(0)
    );
    let bad = check(&["--fail-on", "broken"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("not a status"), "{}", stderr(&bad));
}

#[test]
fn party_restricts_the_report_and_its_scores() {
    let out = check(&["--party", "AAA", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(r["restricted_to"], serde_json::json!(["AAA"]));
    let parties: Vec<&str> = r["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .filter_map(|p| p["code"].as_str())
        .collect();
    assert_eq!(parties, ["AAA"]);
    let mut scored = 0;
    for c in r["commitments"].as_array().expect("commitments") {
        for x in c["results"].as_array().expect("results") {
            assert_eq!(x["party"], "AAA");
            if !matches!(
                x["status"].as_str(),
                Some("pending" | "not_applicable" | "exempt")
            ) {
                scored += 1;
            }
        }
    }
    assert_eq!(r["overall"]["scored"], scored);
    assert_eq!(r["overall"]["percent"], r["parties"][0]["percent"]);
    let unknown = check(&["--party", "AAX"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("did you mean AAA?"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn summary_takes_the_same_gates() {
    let out = concord(&[
        "summary",
        "--rules",
        ENGINE_RULES,
        "--activities",
        ENGINE_ACTIVITIES,
        "--year",
        "2025",
        "--party",
        "BBB",
        "--fail-on",
        "breached",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Restricted to BBB"),
        "{}",
        stdout(&out)
    );
}
