//! The verdict model on its own fixture (`fixtures/verdict-model/`): standing status, actors
//! and targets, conditional binding, any-of prerequisites, grace from accession, trend panels,
//! collective statements and analyst adjudication, each with its verdicts pinned.

mod common;

use common::{concord, stderr, stdout};

const RULES: &str = "fixtures/verdict-model/rules";
const ACTIVITIES: &str = "fixtures/verdict-model/activities.csv";
const ASSESSMENTS: &str = "fixtures/verdict-model/assessments.toml";

fn run(args: &[&str]) -> std::process::Output {
    let mut all = vec![args[0], "--rules", RULES];
    all.extend_from_slice(&args[1..]);
    concord(&all)
}

/// Every verdict of a JSON report as one line: commitment, party, status (and the computed one
/// where an analyst set it), evidence, blocked_by, reasons.
fn table(as_of: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "check",
        "--activities",
        ACTIVITIES,
        "--as-of",
        as_of,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let mut lines = Vec::new();
    for c in report["commitments"].as_array().expect("commitments") {
        for r in c["results"].as_array().expect("results") {
            let list = |key: &str| {
                r[key]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            };
            let status = match r["computed"].as_str() {
                Some(computed) => format!(
                    "{} (computed {computed})",
                    r["status"].as_str().unwrap_or("?")
                ),
                None => r["status"].as_str().unwrap_or("?").to_string(),
            };
            let mut line = format!(
                "{} {} {status} [{}]",
                c["id"].as_str().unwrap_or("?"),
                r["party"].as_str().unwrap_or("?"),
                list("evidence")
            );
            if !list("blocked_by").is_empty() {
                line.push_str(&format!(" blocked by {}", list("blocked_by")));
            }
            for reason in r["reasons"].as_array().into_iter().flatten() {
                line.push_str(&format!("\n    {}", reason.as_str().unwrap_or("?")));
            }
            lines.push(line);
        }
    }
    lines.join("\n")
}

#[test]
fn verdicts_as_of_the_end_of_the_period() {
    insta::assert_snapshot!(table("2025-12-31", &[]));
}

#[test]
fn verdicts_a_year_earlier() {
    insta::assert_snapshot!(table("2024-12-31", &[]));
}

#[test]
fn adjudicated_verdicts_replace_computed_ones_in_verdicts_and_scores() {
    insta::assert_snapshot!(table("2025-12-31", &["--assessments", ASSESSMENTS]));
    let md = stdout(&run(&[
        "check",
        "--activities",
        ACTIVITIES,
        "--assessments",
        ASSESSMENTS,
    ]));
    let section = md
        .split_once("## Adjudicated verdicts")
        .map(|(_, s)| s)
        .expect("an adjudication section");
    insta::assert_snapshot!("adjudication_section", section);
    assert!(md.contains("◐ partial*"), "the adjudicated cell is marked");
}

#[test]
fn assessments_that_name_unknown_things_are_errors_with_hints() {
    let out = run(&[
        "check",
        "--activities",
        ACTIVITIES,
        "--assessments",
        "fixtures/verdict-model/assessments-bad.toml",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let unknown = run(&[
        "check",
        "--activities",
        ACTIVITIES,
        "--assessments",
        "fixtures/verdict-model/assessments-unknown-evidence.csv",
    ]);
    assert_eq!(unknown.status.code(), Some(3));
    insta::assert_snapshot!(format!("{}\n{}", stderr(&out), stderr(&unknown)));
}

#[test]
fn explain_gives_the_reasons() {
    let explain = |args: &[&str]| {
        let mut all = vec!["explain"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--activities", ACTIVITIES]);
        stdout(&run(&all))
    };
    let text = [
        explain(&["STA-01", "--assessments", ASSESSMENTS]),
        explain(&["NPT-01", "--party", "BBB"]),
        explain(&["FIN-03", "--as-of", "2024-12-31"]),
        explain(&["DUE-01", "--party", "CCC", "--as-of", "2024-12-31"]),
        explain(&["TRD-01"]),
        explain(&["STM-01", "--as-of", "2024-12-31"]),
    ]
    .join("\n----\n");
    insta::assert_snapshot!(text);
}

#[test]
fn graph_shows_groups_of_alternatives() {
    let dot = stdout(&run(&["graph"]));
    let mermaid = stdout(&run(&["graph", "--format", "mermaid"]));
    assert!(dot.contains("\"FIN-01\" -> \"FIN-03\" [style=dashed, label=\"any of\"];"));
    assert!(mermaid.contains("FIN_02 -. any of .-> FIN_03") || mermaid.contains("-. any of .->"));
}

#[test]
fn targets_are_validated_like_partners() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("targets.csv");
    std::fs::write(
        &path,
        "id,date,party,kind,subject,partners,targets\n\
         T1,2020-01-01,AAA,contrary-action,use-of-force,,DDD\n\
         T2,2020-01-02,AAA,contrary-action,use-of-force,,DDX\n\
         T3,2020-01-03,AAA,contrary-action,use-of-force,,AAA\n\
         T4,2020-01-04,AAA,contrary-action,use-of-force,BBB,BBB\n",
    )
    .expect("write");
    let file = path.to_string_lossy().to_string();
    let out = run(&["validate", &file]);
    let text = stdout(&out).replace(&file, "targets.csv");
    insta::assert_snapshot!(text);
}

#[test]
fn a_target_is_neither_credited_nor_breached() {
    let t = table("2025-12-31", &[]);
    assert!(t.contains("REST-01 AAA breached [V008]"));
    assert!(t.contains("REST-01 DDD met []"));
}

#[test]
fn lint_reports_misused_model_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files =
        concord::catalogue::RuleFiles::from_dir(std::path::Path::new(RULES)).expect("rules");
    let chapter = files
        .files
        .get_mut("chapters/model.toml")
        .expect("chapter file");
    chapter.push_str(
        r#"
[[commitment]]
id = "BAD-01"
title = "misused keys"
quote = "The SCO bodies will speak for the organisation on terrorism."
scope = "collective"
binds_if = { status = "STA-01" }
due_after_joining = "soon"
depends_on = [{ any = ["FIN-01"] }]
why = { "FIN-01" = "x" }
evidence = { kinds = ["statement"], subjects = ["terrorism"] }

[[commitment]]
id = "BAD-02"
title = "conditions on what is not a status"
quote = "The SCO will issue joint statements on terrorism."
scope = "each-member"
binds_if = { status = "REST-01" }
evidence = { kinds = ["statement"], sco_body = true }

[[commitment]]
id = "BAD-03"
title = "an unknown condition"
quote = "Tourist flows will also be reported as a total."
scope = "each-member"
binds_if = { status = "STA-10" }
evidence = { kinds = ["statement"] }
"#,
    );
    common::write_rules(&files, dir.path());
    let root = dir.path().to_string_lossy().to_string();
    let out = concord(&["lint", "--rules", &root]);
    assert_eq!(out.status.code(), Some(3));
    insta::assert_snapshot!(stderr(&out).replace(&root, "rules"));
}
