//! Each verdict rule of the engine, one small case each, on the engine fixture's rules.

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use concord::catalogue::RuleFiles;
use concord::evaluate::{Evaluation, Status};
use concord::run::{Discard, Engine};

const HEADER: &str = "id,date,party,kind,subject,partners,value\n";

fn engine() -> Engine {
    Engine::from_files(&RuleFiles::from_dir(Path::new(common::ENGINE_RULES)).expect("rules"))
        .expect("valid")
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// Evaluate rows (without header) as of a date.
fn run(rows: &str, as_of: &str) -> (Engine, Evaluation, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path: PathBuf = dir.path().join("a.csv");
    std::fs::write(&path, format!("{HEADER}{rows}")).expect("write");
    let engine = engine();
    let ingested = engine
        .ingest(&[path], date(as_of), &mut Discard)
        .expect("ingest");
    let evaluation = engine.evaluate(&ingested, date(as_of));
    (engine, evaluation, dir)
}

fn status(rows: &str, as_of: &str, commitment: &str, party: &str) -> Status {
    let (engine, evaluation, _dir) = run(rows, as_of);
    verdict(&engine, &evaluation, commitment, party).0
}

fn verdict(
    engine: &Engine,
    evaluation: &Evaluation,
    commitment: &str,
    party: &str,
) -> (Status, Vec<String>, Vec<String>) {
    let c = engine
        .catalogue
        .commitment_index(commitment)
        .expect("commitment");
    let p = engine
        .catalogue
        .parties
        .iter()
        .position(|x| x.code == party)
        .expect("party") as u16;
    let v = evaluation.verdict(c, p).expect("verdict");
    (v.status, v.blocked_by.clone(), v.warnings.clone())
}

fn summits(years: std::ops::RangeInclusive<i32>) -> String {
    years
        .map(|y| format!("S{y},{y}-09-01,SCO,summit,,,\n"))
        .collect()
}

#[test]
fn per_year_met_when_every_year_reaches_min() {
    assert_eq!(
        status(&summits(2015..=2025), "2025-12-31", "MOD-01", "SCO"),
        Status::Met
    );
}

#[test]
fn per_year_partial_when_one_year_is_missing() {
    let rows: String = summits(2015..=2019) + &summits(2021..=2025);
    assert_eq!(
        status(&rows, "2025-12-31", "MOD-01", "SCO"),
        Status::Partial
    );
}

#[test]
fn per_year_a_running_year_counts_only_once_it_reaches_min() {
    // As of 2020-06-30, 2020's summit has not happened yet: still met.
    assert_eq!(
        status(&summits(2015..=2019), "2020-06-30", "MOD-01", "SCO"),
        Status::Met
    );
    // As of 2020-12-31 the year is complete and short.
    assert_eq!(
        status(&summits(2015..=2019), "2020-12-31", "MOD-01", "SCO"),
        Status::Partial
    );
}

#[test]
fn per_year_the_first_partial_year_of_the_window_must_reach_min() {
    // The window starts 2015-07-10; a 2015 summit before that date does not count.
    let rows = "S2015,2015-07-01,SCO,summit,,,\n".to_string() + &summits(2016..=2025);
    assert_eq!(
        status(&rows, "2025-12-31", "MOD-01", "SCO"),
        Status::Partial
    );
}

#[test]
fn per_period_min_counts_distinct_rows() {
    let one = "R,2016-01-01,AAA,agreement-ratified,model-convention,,\nF,2016-02-01,AAA,agreement-in-force,model-convention,,\nO1,2018-01-01,AAA,joint-operation,model-convention,,\n";
    assert_eq!(status(one, "2025-12-31", "MOD-04", "AAA"), Status::Partial);
    let two = format!("{one}O2,2019-01-01,AAA,joint-operation,model-convention,,\n");
    assert_eq!(status(&two, "2025-12-31", "MOD-04", "AAA"), Status::Met);
}

#[test]
fn accession_starts_the_window() {
    // BBB became a member on 2017-06-09; its ratification as an observer still counts for MOD-09
    // (which binds observers too) but a member-only commitment looks from accession.
    let before = "R,2016-01-01,BBB,agreement-ratified,model-convention,,\n";
    assert_eq!(
        status(before, "2025-12-31", "MOD-02", "BBB"),
        Status::NotMet
    );
    let after = "R,2017-06-09,BBB,agreement-ratified,model-convention,,\n";
    assert_eq!(status(after, "2025-12-31", "MOD-02", "BBB"), Status::Met);
    assert_eq!(
        status(after, "2017-06-08", "MOD-02", "BBB"),
        Status::NotApplicable
    );
}

#[test]
fn partners_are_credited() {
    let rows = "R,2018-01-01,AAA,agreement-ratified,model-convention,BBB,\n";
    assert_eq!(status(rows, "2025-12-31", "MOD-02", "BBB"), Status::Met);
}

#[test]
fn pending_until_the_due_date_then_not_met() {
    assert_eq!(status("", "2025-12-31", "MOD-06", "SCO"), Status::Pending);
}

#[test]
fn not_met_without_evidence_and_no_due_date_ahead() {
    assert_eq!(status("", "2025-12-31", "MOD-02", "AAA"), Status::NotMet);
}

#[test]
fn collective_min_parties() {
    let one = "P1,2019-04-01,AAA,instrument-adopted,drug-control-programme,,\n";
    assert_eq!(status(one, "2025-12-31", "MOD-08", "SCO"), Status::Partial);
    let two = "P1,2019-04-01,AAA,instrument-adopted,drug-control-programme,BBB,\n";
    assert_eq!(status(two, "2025-12-31", "MOD-08", "SCO"), Status::Met);
}

#[test]
fn the_organisation_itself_does_not_count_towards_min_parties() {
    let rows = "P1,2019-04-01,SCO,instrument-adopted,drug-control-programme,AAA,\n";
    assert_eq!(status(rows, "2025-12-31", "MOD-08", "SCO"), Status::Partial);
}

#[test]
fn trend_rules() {
    let up = "T1,2016-12-31,AAA,indicator,tourist-arrivals,,100\nT2,2020-12-31,AAA,indicator,tourist-arrivals,,140\n";
    assert_eq!(status(up, "2025-12-31", "MOD-05", "AAA"), Status::Met);
    let down = "T1,2016-12-31,AAA,indicator,tourist-arrivals,,100\nT2,2020-12-31,AAA,indicator,tourist-arrivals,,90\n";
    assert_eq!(status(down, "2025-12-31", "MOD-05", "AAA"), Status::NotMet);
    let flat = "T1,2016-12-31,AAA,indicator,tourist-arrivals,,100\nT2,2020-12-31,AAA,indicator,tourist-arrivals,,100\n";
    assert_eq!(status(flat, "2025-12-31", "MOD-05", "AAA"), Status::Partial);
    let one_year = "T1,2016-03-31,AAA,indicator,tourist-arrivals,,100\nT2,2016-12-31,AAA,indicator,tourist-arrivals,,100\n";
    assert_eq!(
        status(one_year, "2025-12-31", "MOD-05", "AAA"),
        Status::Partial
    );
    // Yearly values are sums: two quarters of 60 in 2020 beat 100 in 2016.
    let sums = "T1,2016-12-31,AAA,indicator,tourist-arrivals,,100\nT2,2020-03-31,AAA,indicator,tourist-arrivals,,60\nT3,2020-06-30,AAA,indicator,tourist-arrivals,,60\n";
    assert_eq!(status(sums, "2025-12-31", "MOD-05", "AAA"), Status::Met);
}

#[test]
fn restraint_met_unless_a_matching_activity() {
    assert_eq!(status("", "2025-12-31", "MOD-07", "AAA"), Status::Met);
    let x = "X,2022-02-02,AAA,contrary-action,interference,,\n";
    assert_eq!(status(x, "2025-12-31", "MOD-07", "AAA"), Status::Breached);
    assert_eq!(status(x, "2021-12-31", "MOD-07", "AAA"), Status::Met);
}

#[test]
fn contrary_breaches_whatever_else_was_reported() {
    let rows = "I,2018-01-01,AAA,information-exchange,terrorism,,\nX,2021-01-01,AAA,contrary-action,terrorism,,\n";
    assert_eq!(
        status(rows, "2025-12-31", "MOD-09", "AAA"),
        Status::Breached
    );
}

#[test]
fn blocked_by_lists_the_root_cause() {
    let (engine, evaluation, _d) = run("", "2025-12-31");
    let (s, by, _) = verdict(&engine, &evaluation, "MOD-04", "AAA");
    assert_eq!(s, Status::Blocked);
    assert_eq!(by, vec!["MOD-02".to_string()]);
    let (s, by, _) = verdict(&engine, &evaluation, "MOD-03", "AAA");
    assert_eq!((s, by), (Status::Blocked, vec!["MOD-02".to_string()]));
}

#[test]
fn own_evidence_reaching_met_wins_with_a_warning() {
    let rows = "F,2016-02-01,AAA,agreement-in-force,model-convention,,\n";
    let (engine, evaluation, _d) = run(rows, "2025-12-31");
    let (s, _, warnings) = verdict(&engine, &evaluation, "MOD-03", "AAA");
    assert_eq!(s, Status::Met);
    assert_eq!(warnings, vec!["met before prerequisite MOD-02".to_string()]);
}

#[test]
fn exempt_and_not_applicable_are_not_scored() {
    let (engine, evaluation, _d) = run("", "2025-12-31");
    assert_eq!(
        verdict(&engine, &evaluation, "MOD-05", "BBB").0,
        Status::Exempt
    );
    assert_eq!(
        verdict(&engine, &evaluation, "MOD-05", "CCC").0,
        Status::NotApplicable
    );
    assert_eq!(Status::Exempt.score(), None);
    assert_eq!(Status::NotApplicable.score(), None);
    assert_eq!(Status::Pending.score(), None);
}

#[test]
fn exemption_applies_from_its_date() {
    let (engine, evaluation, _d) = run("", "2017-06-08");
    assert_eq!(
        verdict(&engine, &evaluation, "MOD-05", "BBB").0,
        Status::NotApplicable
    );
}

#[test]
fn rows_outside_the_window_count_for_nothing() {
    let rows = "R,2026-01-01,AAA,agreement-ratified,model-convention,,\n";
    assert_eq!(status(rows, "2025-12-31", "MOD-02", "AAA"), Status::NotMet);
}
