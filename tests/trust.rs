//! What a run declares about its inputs: the nature of the data, the exemptions applied and
//! where the rules came from (issue: trust).

mod common;

use common::{concord, stdout};

const EXAMPLE: &str = "fixtures/sco-2015-2025/activities.csv";
const PUBLIC: &str = "fixtures/public-record/activities.csv";

fn check(args: &[&str]) -> String {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let out = concord(&all);
    assert!(out.status.success(), "{}", common::stderr(&out));
    stdout(&out)
}

#[test]
fn illustrative_data_says_so_in_every_format() {
    let md = check(&["--activities", EXAMPLE]);
    assert!(md.contains(
        "> **Illustrative data (Example dataset: SCO 2015-2025): not an official assessment"
    ));
    let html = check(&["--activities", EXAMPLE, "--format", "html"]);
    assert!(html.contains("<p class=\"banner\"><strong>Illustrative data"));
    let csv = check(&["--activities", EXAMPLE, "--format", "csv"]);
    let mut rows = csv.lines();
    assert!(
        rows.next().is_some_and(|h| h.ends_with(",dataset")),
        "{csv}"
    );
    assert!(rows.all(|r| r.contains("Illustrative data")), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&check(&["--activities", EXAMPLE, "--format", "json"])).expect("json");
    assert_eq!(json["inputs"][0]["dataset"]["nature"], "illustrative");
    assert_eq!(
        json["inputs"][0]["dataset"]["path"],
        "fixtures/sco-2015-2025/dataset.toml"
    );
}

#[test]
fn the_public_record_says_as_of_when_and_that_coverage_is_partial() {
    let md = check(&["--activities", PUBLIC]);
    assert!(md.contains("> **Public record as of 2025-12-31, partial coverage"));
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = dir.path().to_string_lossy().to_string();
    let out = concord(&[
        "summary",
        "--activities",
        PUBLIC,
        "--from",
        "2024",
        "--to",
        "2025",
        "--out-dir",
        &out_dir,
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let year = std::fs::read_to_string(dir.path().join("summary-2025.md")).expect("summary");
    assert!(year.contains("Public record as of 2025-12-31, partial coverage"));
}

#[test]
fn data_without_a_declaration_gets_no_banner() {
    let md = check(&[
        "--rules",
        common::ENGINE_RULES,
        "--activities",
        common::ENGINE_ACTIVITIES,
    ]);
    assert!(!md.contains("> **"), "{md}");
}

#[test]
fn a_broken_declaration_is_an_error_with_file_line_and_help() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("dataset.toml"),
        "[dataset]\nnature = \"made-up\"\ntitle = \"x\"\n",
    )
    .expect("write");
    let csv = dir.path().join("a.csv");
    std::fs::write(&csv, "id,date,party,kind\nA1,2016-01-01,KAZ,summit\n").expect("write");
    let out = concord(&["check", "--activities", &csv.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(4));
    let err = common::stderr(&out);
    assert!(
        err.contains("dataset.toml:2: the dataset declaration is not valid"),
        "{err}"
    );
    assert!(
        err.contains("= help: `dataset.toml` beside an activities file declares it"),
        "{err}"
    );
}

#[test]
fn the_bundled_rules_exempt_no_one_and_an_exemptions_file_does() {
    let json = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["--activities", EXAMPLE, "--format", "json"];
        args.extend_from_slice(extra);
        serde_json::from_str(&check(&args)).expect("json")
    };
    let status = |r: &serde_json::Value, id: &str, party: &str| -> String {
        r["commitments"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["id"] == id))
            .and_then(|c| c["results"].as_array())
            .and_then(|rs| rs.iter().find(|x| x["party"] == party))
            .and_then(|x| x["status"].as_str())
            .unwrap_or("?")
            .to_string()
    };
    let plain = json(&[]);
    assert_ne!(status(&plain, "ECO-30", "IND"), "exempt");
    let exempted = json(&["--exemptions", "fixtures/sco-2015-2025/exemptions.toml"]);
    assert_eq!(status(&exempted, "ECO-30", "IND"), "exempt");
    let rules: Vec<String> = exempted["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["path"].as_str().map(String::from))
        .collect();
    assert!(rules.contains(&"fixtures/sco-2015-2025/exemptions.toml".to_string()));
}

#[test]
fn an_exemptions_file_naming_unknown_things_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("waivers.toml");
    std::fs::write(
        &path,
        "[[exemption]]\nparty = \"INX\"\ncommitment = \"ECO-300\"\nreason = \"x\"\nfrom = 2017-06-09\n",
    )
    .expect("write");
    let file = path.to_string_lossy().to_string();
    let out = concord(&["check", "--activities", EXAMPLE, "--exemptions", &file]);
    assert_eq!(out.status.code(), Some(3));
    let err = common::stderr(&out).replace(&file, "waivers.toml");
    insta::assert_snapshot!(err);
}

#[test]
fn bundled_rules_are_named_as_bundled() {
    let json: serde_json::Value =
        serde_json::from_str(&check(&["--activities", EXAMPLE, "--format", "json"])).expect("json");
    let paths: Vec<&str> = json["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["path"].as_str())
        .collect();
    assert!(paths.contains(&"(bundled) rules/parties.toml"), "{paths:?}");
    assert!(paths.iter().all(|p| p.starts_with("(bundled) rules/")));
}
