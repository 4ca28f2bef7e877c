//! Outputs of one run never overwrite each other, and a multi-year summary appears as a whole
//! set or not at all, without leftovers of earlier runs.

mod common;

use std::path::Path;

use common::*;

const DATA: &str = "fixtures/engine/activities.csv";

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn out_and_rejects_on_one_file_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let same = tmp.path().join("x.csv");
    let same_s = same.display().to_string();
    // Spelt two ways: the same file all the same.
    let other_s = format!("{}/./x.csv", tmp.path().display());
    for cmd in [
        vec!["check", "--out", &same_s, "--rejects", &other_s],
        vec![
            "summary",
            "--year",
            "2019",
            "--out",
            &same_s,
            "--rejects",
            &other_s,
        ],
    ] {
        let mut args = cmd.clone();
        args.extend(["--rules", ENGINE_RULES, "--activities", DATA]);
        let out = concord(&args);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("are the same file"),
            "{}",
            stderr(&out)
        );
        assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
    }
}

#[test]
fn rejects_inside_the_summary_directory_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("out");
    let rejects = dir.join("summary-2019.md");
    let out = concord(&[
        "summary",
        "--rules",
        ENGINE_RULES,
        "--activities",
        DATA,
        "--from",
        "2018",
        "--to",
        "2019",
        "--out-dir",
        &dir.display().to_string(),
        "--rejects",
        &rejects.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is inside --out-dir"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.exists() || names(&dir).is_empty());
}

/// A run that fails at its third year writes none of its years and no index: the directory is
/// as it was. (The third year's file is an input of the run, which concord refuses to
/// overwrite.)
#[test]
fn a_summary_set_that_fails_half_way_leaves_the_directory_as_it_was() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("out");
    std::fs::create_dir(&dir).expect("mkdir");
    let input = dir.join("summary-2018.md");
    std::fs::copy(DATA, &input).expect("copy");
    let out = concord(&[
        "summary",
        "--rules",
        ENGINE_RULES,
        "--activities",
        &input.display().to_string(),
        "--from",
        "2016",
        "--to",
        "2020",
        "--out-dir",
        &dir.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(names(&dir), ["summary-2018.md"]);
}

#[test]
fn a_narrower_rerun_removes_the_year_files_it_did_not_write() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("out");
    let dir_s = dir.display().to_string();
    let run = |from: &str, to: &str, format: &str| {
        concord(&[
            "summary",
            "--rules",
            ENGINE_RULES,
            "--activities",
            DATA,
            "--from",
            from,
            "--to",
            to,
            "--out-dir",
            &dir_s,
            "--format",
            format,
        ])
    };
    assert_eq!(run("2016", "2020", "md").status.code(), Some(0));
    assert_eq!(run("2016", "2017", "json").status.code(), Some(0));
    let out = run("2018", "2019", "md");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("removed") && stderr(&out).contains("summary-2016.md"),
        "{}",
        stderr(&out)
    );
    // The other format's set is another run's and stays.
    assert_eq!(
        names(&dir),
        [
            "index.json",
            "index.md",
            "summary-2016.json",
            "summary-2017.json",
            "summary-2018.md",
            "summary-2019.md"
        ]
    );
}

/// The CSV report is a plain table any CSV reader opens (header first, every row as wide);
/// what produced it is in `FILE.provenance.csv` beside it.
#[test]
fn a_csv_report_is_a_plain_table_with_its_provenance_beside_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = tmp.path().join("status.csv");
    let out = concord(&[
        "check",
        "--rules",
        ENGINE_RULES,
        "--activities",
        DATA,
        "--format",
        "csv",
        "--out",
        &report.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&report).expect("report");
    assert!(text.starts_with("as_of,commitment,"), "{text}");
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let width = reader.headers().expect("header").len();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.len() == width));
    let provenance =
        std::fs::read_to_string(tmp.path().join("status.provenance.csv")).expect("provenance");
    assert!(
        provenance.starts_with("item,path,sha256,detail\nengine,,,concord "),
        "{provenance}"
    );
    assert!(
        provenance.contains(&format!("\ninput,{DATA},")),
        "{provenance}"
    );
    assert!(provenance.contains("\nrules,"), "{provenance}");
}
