//! Every loading error of the rules, one fixture each (`fixtures/rule-errors/<case>/`, laid over
//! `fixtures/engine/rules`), with the exact message pinned.

mod common;

use std::path::Path;

use common::*;
use concord::catalogue;

#[test]
fn each_broken_catalogue_is_reported_with_file_line_and_help() {
    let mut cases: Vec<_> = std::fs::read_dir("fixtures/rule-errors")
        .expect("cases")
        .map(|e| e.expect("entry").path())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 25,
        "expected the whole catalogue of rule errors"
    );
    for case in cases {
        let name = case
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let files = overlaid_rules(&case);
        let errors = match catalogue::load(&files) {
            Ok(_) => panic!("{name}: the broken rules loaded"),
            Err(e) => e,
        };
        insta::assert_snapshot!(name.clone(), errors.render());
    }
}

#[test]
fn the_fixture_rules_themselves_are_clean() {
    let files = concord::catalogue::RuleFiles::from_dir(Path::new(ENGINE_RULES)).expect("rules");
    assert!(catalogue::load(&files).is_ok());
}

#[test]
fn lint_exits_3_and_lists_every_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_rules(
        &overlaid_rules(Path::new("fixtures/rule-errors/several-problems")),
        dir.path(),
    );
    let out = concord(&["lint", "--rules", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert_eq!(err.matches("\n  × ").count(), 3, "{err}");
    assert!(err.ends_with("3 problem(s) in the rules\n"), "{err}");
}

#[test]
fn bundled_rules_lint_clean() {
    let out = concord(&["lint"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("ok: "));
}
