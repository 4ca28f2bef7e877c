//! The bundled catalogue: it lints clean, covers the source text, states the dependencies the
//! text implies, and `reports/catalogue.md` is exactly what the engine generates from it.

mod common;

use std::path::Path;

use common::*;
use concord::catalogue::RuleFiles;
use concord::run::Engine;

fn bundled() -> Engine {
    Engine::from_files(&RuleFiles::bundled()).expect("the bundled rules load")
}

#[test]
fn the_bundled_rules_are_embedded_and_match_the_rules_directory() {
    let embedded = RuleFiles::bundled();
    let disk = RuleFiles::from_dir(Path::new("rules")).expect("rules/");
    assert_eq!(embedded.files, disk.files);
}

#[test]
fn every_commitment_sentence_is_quoted_or_excluded_with_a_reason() {
    let coverage = concord::coverage::coverage(&bundled().catalogue);
    assert!(
        coverage.flagged > 100,
        "the Strategy has well over a hundred commitment sentences"
    );
    assert_eq!(coverage.uncovered, 0, "{}", coverage.to_markdown());
    assert!(
        coverage.unused_exclusions.is_empty(),
        "uncovered.toml excludes what the counting rules leave out anyway: {:?}",
        coverage.unused_exclusions
    );
    insta::assert_snapshot!(coverage.to_markdown());
}

#[test]
fn well_over_a_hundred_commitments_in_every_chapter_file() {
    let engine = bundled();
    assert!(engine.catalogue.commitments.len() > 150);
    let ids: Vec<&str> = engine
        .catalogue
        .chapters
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    for chapter in [
        "opening",
        "trends",
        "goals",
        "principles",
        "political",
        "security",
        "economic",
        "cultural",
        "informational",
        "openness",
        "international",
        "closing",
    ] {
        assert!(ids.contains(&chapter), "no chapter {chapter}");
    }
}

#[test]
fn the_dependencies_the_text_states_are_in_the_graph() {
    let engine = bundled();
    let edges = engine.dag.edges(&engine.catalogue);
    for (pre, dep) in [
        ("SEC-39", "SEC-40"), // the extremism convention is drafted before it is adopted
        ("SEC-53", "SEC-54"), // the successor strategy before its programme of actions
        ("SEC-66", "SEC-67"), // UN adoption of the Rules of conduct before ICT regulation on them
        ("ECO-13", "ECO-15"), // the Development Fund before financing through it
        ("ECO-14", "ECO-15"), // the Development Bank before financing through it
        ("ECO-29", "ECO-30"), // the road transport agreement in force before it is implemented
        ("PRI-02", "PRI-01"), // the Shanghai Convention in force before compliance with it
        ("PRI-03", "PRI-01"), // the Good-Neighbourliness Treaty binding before compliance with it
        ("CUL-27", "CUL-28"), // the environmental concept before its supporting action plan
        ("ECO-39", "ECO-40"), // the S&T partnership plan prepared before it is implemented
        ("CUL-05P", "CUL-05"), // party to the 2007 culture agreement before implementing it
        ("SEC-69P", "SEC-69"), // party to the 2005 emergency agreement before cooperating under it
        ("SEC-62P", "SEC-62"), // party to the 2009 information security agreement ...
        ("SEC-62P", "SEC-63"), // ... on whose basis both undertakings rest
        ("SEC-45P", "SEC-45"), // party to the 2004 anti-drug agreement it draws on
        ("ECO-37P", "ECO-37"), // the 2013 S&T agreement in force before its follow-up
        ("ECO-37P", "ECO-38"),
        ("ECO-37P", "ECO-39"),
    ] {
        assert!(edges.contains(&(pre, dep)), "missing {pre} -> {dep}");
    }
    // A link the text does not state: "subsequently, on this basis" governs the unified
    // regulation only, not the training of experts.
    assert!(!edges.contains(&("SEC-66", "SEC-68")));
    assert!(
        engine.catalogue.commitment("SEC-44").is_none(),
        "the 2011-2016 strategy is experience drawn on, not an undertaking"
    );
    let eco15 = engine.catalogue.commitment("ECO-15").expect("ECO-15");
    assert_eq!(
        eco15.requires,
        vec![vec!["ECO-13".to_string(), "ECO-14".to_string()]],
        "the Fund or the Bank"
    );
}

#[test]
fn reports_catalogue_md_is_what_the_engine_generates() {
    let engine = bundled();
    let generated = concord::report::catalogue::render(&engine.catalogue, &engine.dag);
    let committed = std::fs::read_to_string("reports/catalogue.md").expect("reports/catalogue.md");
    assert!(
        generated == committed,
        "reports/catalogue.md is stale: run `cargo run -- catalogue --out reports/catalogue.md`"
    );
}

#[test]
fn catalogue_document_of_the_fixture() {
    let engine = Engine::from_files(&RuleFiles::from_dir(Path::new(ENGINE_RULES)).expect("rules"))
        .expect("valid");
    insta::assert_snapshot!(concord::report::catalogue::render(
        &engine.catalogue,
        &engine.dag
    ));
}

#[test]
fn coverage_exits_0_on_the_bundled_rules() {
    let out = concord(&["coverage", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["percent"], 100.0);
}
