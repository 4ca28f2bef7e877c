//! Properties of a run: the order of rows and how they are split into files change nothing.

mod common;

use std::path::{Path, PathBuf};

use concord::catalogue::RuleFiles;
use concord::report::Report;
use concord::run::{Discard, Engine};
use proptest::prelude::*;

fn engine() -> Engine {
    Engine::from_files(&RuleFiles::from_dir(Path::new(common::ENGINE_RULES)).expect("rules"))
        .expect("valid")
}

/// The fixture's rows, plus a repeated id of each sort: an exact copy of a row (kept once) and
/// a copy with another date (every copy rejected), so that which copy comes first must not
/// matter either.
fn rows() -> (String, Vec<String>) {
    let text = std::fs::read_to_string(common::ENGINE_ACTIVITIES).expect("fixture");
    let mut lines = text.lines().map(str::to_string);
    let header = lines.next().expect("header");
    let mut rows: Vec<String> = lines.collect();
    let copy = rows[0].clone();
    let mut other: Vec<String> = rows[1].split(',').map(str::to_string).collect();
    other[1] = "2020-01-02".into();
    rows.push(copy);
    rows.push(other.join(","));
    (header, rows)
}

/// The report without its inputs section, which legitimately names the files.
fn verdicts(engine: &Engine, files: &[PathBuf]) -> Report {
    let as_of = engine.default_as_of();
    let ingested = engine.ingest(files, as_of, &mut Discard).expect("ingest");
    let mut report = engine.report(&ingested, as_of);
    report.inputs.clear();
    report
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn shuffling_and_splitting_rows_changes_nothing(order in Just(()).prop_perturb(|_, mut rng| {
        let (_, rows) = rows();
        let mut ix: Vec<usize> = (0..rows.len()).collect();
        for i in (1..ix.len()).rev() {
            ix.swap(i, rng.random_range(0..=i));
        }
        let cuts: Vec<usize> = (0..rng.random_range(0..4)).map(|_| rng.random_range(0..=rows.len())).collect();
        (ix, cuts)
    })) {
        let (ix, mut cuts) = order;
        let engine = engine();
        let (header, mut rows) = rows();
        // The whole file in id order, which the ledger takes as (date, id) order within a day
        // without sorting; shuffled rows are sorted.
        rows.sort_by(|a, b| a.split(',').next().cmp(&b.split(',').next()));
        let dir = tempfile::tempdir().expect("tempdir");
        let whole = dir.path().join("whole.csv");
        std::fs::write(&whole, format!("{header}\n{}\n", rows.join("\n"))).expect("write");
        let expected = verdicts(&engine, &[whole]);

        cuts.push(0);
        cuts.push(rows.len());
        cuts.sort_unstable();
        let shuffled: Vec<&String> = ix.iter().map(|i| &rows[*i]).collect();
        let mut files = Vec::new();
        for (n, w) in cuts.windows(2).enumerate() {
            let path = dir.path().join(format!("part{n}.csv"));
            let body: Vec<&str> = shuffled[w[0]..w[1]].iter().map(|s| s.as_str()).collect();
            std::fs::write(&path, format!("{header}\n{}", body.iter().map(|l| format!("{l}\n")).collect::<String>())).expect("write");
            files.push(path);
        }
        prop_assert_eq!(verdicts(&engine, &files), expected);
    }
}

#[test]
fn a_report_regenerated_from_the_same_inputs_is_byte_identical() {
    let engine = engine();
    let files = vec![PathBuf::from(common::ENGINE_ACTIVITIES)];
    let render = || {
        let as_of = engine.default_as_of();
        let ingested = engine.ingest(&files, as_of, &mut Discard).expect("ingest");
        concord::report::render(
            &engine.report(&ingested, as_of),
            concord::report::Format::Json,
        )
    };
    assert_eq!(render(), render());
}

/// The example dataset's two files, in either order: the same verdicts (a conflicting id
/// across them once let the first file win).
#[test]
fn the_order_of_the_activity_files_changes_no_verdict() {
    let engine = Engine::load(None).expect("bundled rules");
    let a = PathBuf::from("fixtures/sco-2015-2025/activities.csv");
    let b = PathBuf::from("fixtures/sco-2015-2025/bad-rows.csv");
    let forward = verdicts(&engine, &[a.clone(), b.clone()]);
    let backward = verdicts(&engine, &[b, a]);
    assert_eq!(forward, backward);
}

/// Rows of one day are listed by id, whether they arrived in id order (laid out by day as they
/// came, without a sort) or in any other.
#[test]
fn rows_of_a_day_are_listed_by_id_in_any_arrival_order() {
    let engine = engine();
    let days = ["2016-06-24", "2017-06-09", "2018-06-10"];
    // Ids of different lengths and a shared first eight bytes, so that no prefix decides.
    let rows: Vec<(String, &str)> = (0..240)
        .map(|k| {
            (
                format!("SUMMIT-0{:0w$}", k * 7 % 240, w = 1 + k % 3),
                days[k % 3],
            )
        })
        .collect();
    let mut expected: Vec<(&str, &str)> = rows.iter().map(|(id, d)| (*d, id.as_str())).collect();
    expected.sort_unstable();
    let expected: Vec<&str> = expected.into_iter().map(|(_, id)| id).collect();

    let mut by_id = rows.clone();
    by_id.sort();
    // Two rows of one day out of id order, the rest in it.
    let mut one_swap = by_id.clone();
    let same_day = (101..by_id.len()).find(|&j| by_id[j].1 == by_id[100].1);
    one_swap.swap(100, same_day.expect("another row of the day"));
    let scrambled: Vec<(String, &str)> = (0..rows.len())
        .map(|i| rows[i * 97 % rows.len()].clone())
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, order) in [
        ("by_id", by_id),
        ("one_swap", one_swap),
        ("scrambled", scrambled),
    ] {
        let path = dir.path().join(format!("{name}.csv"));
        let body: String = order
            .iter()
            .map(|(id, d)| format!("{id},{d},SCO,summit,,,,,,\n"))
            .collect();
        std::fs::write(
            &path,
            format!("id,date,party,kind,subject,partners,value,unit,source,note\n{body}"),
        )
        .expect("write");
        let report = verdicts(&engine, &[path]);
        let listed: Vec<&str> = report
            .commitments
            .iter()
            .flat_map(|c| &c.results)
            .map(|r| &r.evidence)
            .find(|e| e.len() == rows.len())
            .expect("a verdict citing every summit")
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(listed, expected, "rows arriving {name}");
    }
}
