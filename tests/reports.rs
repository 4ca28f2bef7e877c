//! The report suite pinned on a small fixture: every format of `check` and `summary`, the
//! multi-year index, and `diff`. Runs the binary from the crate root with relative paths, so the
//! snapshots hold exactly what a user would see.

use std::path::Path;
use std::process::{Command, Output};

const RULES: &str = "fixtures/reports-small/rules";
const ACTIVITIES: [&str; 2] = [
    "fixtures/reports-small/activities.csv",
    "fixtures/reports-small/late-reports.csv",
];

fn concord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_concord"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the concord binary runs")
}

/// `concord <cmd> --rules ... --activities ... <extra>`, which must succeed.
fn run(cmd: &str, extra: &[&str]) -> String {
    let mut args = vec![cmd, "--rules", RULES, "--activities"];
    args.extend(ACTIVITIES);
    args.extend(extra);
    let out = concord(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Not a terminal: no progress bar, only the per-file warning counts and the note about
    // rejected rows.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let notes: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.ends_with("lists each"))
        .collect();
    assert_eq!(
        notes,
        ["warning: 4 row(s) rejected (pass --rejects FILE to see them)"]
    );
    String::from_utf8(out.stdout).expect("reports are UTF-8")
}

/// An HTML report needs nothing from outside: no script, no external reference.
fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no JavaScript");
    for bad in ["https://", "src=", "<link", "@import", "url("] {
        assert!(!html.contains(bad), "refers outside: {bad}");
    }
    assert_eq!(
        html.matches("http://").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
        "the only URLs are SVG namespaces"
    );
}

/// The provenance a CSV output written with `--out` gets beside it (the CSV itself is a plain
/// table).
fn csv_provenance(cmd: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.csv");
    let out_s = out.display().to_string();
    let mut args = extra.to_vec();
    args.extend(["--format", "csv", "--out", &out_s]);
    assert_eq!(run(cmd, &args), "");
    let table = std::fs::read_to_string(&out).expect("csv written");
    assert!(!table.starts_with('#'), "a plain table: {table}");
    std::fs::read_to_string(dir.path().join("out.provenance.csv")).expect("provenance written")
}

/// Every header names the engine, the as-of date and the digest of every rules and input file.
fn assert_provenance(text: &str, as_of: &str) {
    assert!(text.contains(concord::VERSION), "engine version");
    assert!(text.contains(as_of), "as-of date");
    let engine = concord::run::Engine::load(Some(Path::new(RULES))).expect("fixture rules load");
    for f in &engine.catalogue.files {
        assert!(text.contains(&f.sha256), "digest of {}", f.path);
    }
    for a in ACTIVITIES {
        let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(a)).expect("read");
        assert!(
            text.contains(&concord::digest::sha256_hex(&bytes)),
            "digest of {a}"
        );
    }
}

fn without_warnings(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    if let Some(inputs) = v.get_mut("inputs").and_then(|i| i.as_array_mut()) {
        for i in inputs {
            if let Some(o) = i.as_object_mut() {
                o.remove("warnings_by_code");
            }
        }
    }
    v
}

#[test]
fn check_in_every_format() {
    for format in ["md", "json", "csv", "html"] {
        let text = run("check", &["--format", format]);
        if format == "csv" {
            assert_provenance(&csv_provenance("check", &[]), "2018-12-31");
        } else {
            assert_provenance(&text, "2018-12-31");
        }
        if format == "html" {
            assert_self_contained(&text);
        }
        insta::assert_snapshot!(format!("check_{format}"), text);
    }
}

#[test]
fn summary_of_one_year_in_every_format() {
    for format in ["md", "json", "csv", "html"] {
        let text = run("summary", &["--year", "2017", "--format", format]);
        if format == "csv" {
            let provenance = csv_provenance("summary", &["--year", "2017"]);
            assert_provenance(&provenance, "2017-12-31");
        } else {
            assert_provenance(&text, "2017-12-31");
        }
        if format == "html" {
            assert_self_contained(&text);
        }
        insta::assert_snapshot!(format!("summary_2017_{format}"), text);
    }
}

#[test]
fn summary_over_years_writes_each_year_and_an_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().to_str().expect("utf-8 temp path");
    for format in ["md", "json", "csv", "html"] {
        let stdout = run(
            "summary",
            &[
                "--from",
                "2016",
                "--to",
                "2018",
                "--out-dir",
                out,
                "--format",
                format,
            ],
        );
        assert_eq!(stdout, "", "a multi-year run writes files only");
        for year in ["2016", "2017", "2018"] {
            let file = std::fs::read_to_string(dir.path().join(format!("summary-{year}.{format}")))
                .expect("yearly summary written");
            // One pass over the input for all years gives what one pass per year gives, except
            // for the "outside the window" warning counts: a multi-year run validates against
            // its last year, a one-year run against that year.
            let single = run("summary", &["--year", year, "--format", format]);
            if format == "json" {
                assert_eq!(
                    without_warnings(&file),
                    without_warnings(&single),
                    "{year} {format}"
                );
            } else {
                // A page of a span links its neighbours and the index; a lone year does not.
                let without_pager = |t: &str| -> String {
                    t.lines()
                        .filter(|l| !l.starts_with("<nav class=\"pager\""))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                assert_eq!(
                    without_pager(&file),
                    without_pager(&single),
                    "{year} {format}"
                );
            }
        }
        let index = std::fs::read_to_string(dir.path().join(format!("index.{format}")))
            .expect("index written");
        if format == "csv" {
            let provenance = std::fs::read_to_string(dir.path().join("index.provenance.csv"))
                .expect("index provenance written");
            assert_provenance(&provenance, "2018-12-31");
        } else {
            assert_provenance(&index, "2018-12-31");
        }
        if format == "html" {
            assert_self_contained(&index);
            assert!(index.contains("<polyline"), "the trajectory is drawn");
        }
        insta::assert_snapshot!(format!("summary_index_{format}"), index);
    }
}

/// Every file of a directory, by name.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read the directory")
        .map(|e| {
            let path = e.expect("an entry").path();
            let name = path.file_name().expect("a name").to_string_lossy().into();
            (name, std::fs::read(&path).expect("read a file"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn summary_over_years_is_the_same_on_any_number_of_threads() {
    // The years are judged a pool's width at a time; one at a time, two, or five (11 states:
    // 5, 5, 1) give the same bytes.
    for format in ["md", "json", "csv"] {
        let sets: Vec<Vec<(String, Vec<u8>)>> = ["1", "2", "5"]
            .iter()
            .map(|threads| {
                let dir = tempfile::tempdir().expect("tempdir");
                let out = dir.path().to_str().expect("utf-8 temp path");
                let mut args = vec!["summary", "--rules", RULES, "--activities"];
                args.extend(ACTIVITIES);
                args.extend(["--from", "2016", "--to", "2025", "--out-dir", out]);
                args.extend(["--format", format]);
                let run = Command::new(env!("CARGO_BIN_EXE_concord"))
                    .current_dir(env!("CARGO_MANIFEST_DIR"))
                    .env("RAYON_NUM_THREADS", threads)
                    .args(&args)
                    .output()
                    .expect("the concord binary runs");
                assert_eq!(run.status.code(), Some(0), "{threads} threads, {format}");
                files_of(dir.path())
            })
            .collect();
        assert_eq!(sets[0].len(), if format == "csv" { 22 } else { 11 });
        assert_eq!(sets[0], sets[1], "{format}: one thread and two");
        assert_eq!(sets[0], sets[2], "{format}: one thread and five");
    }
}

#[test]
fn summary_rejects_bad_year_arguments() {
    let mut base = vec!["summary", "--rules", RULES, "--activities"];
    base.extend(ACTIVITIES);
    for extra in [
        &["--from", "2018", "--to", "2016", "--out-dir", "target"][..],
        &["--year", "2017", "--as-of", "2017-06-30"][..],
        &["--from", "2016", "--to", "2018"][..],
        &[][..],
    ] {
        let mut args = base.clone();
        args.extend(extra);
        assert_eq!(concord(&args).status.code(), Some(2), "{extra:?}");
    }
}

#[test]
fn diff_reports_a_changed_verdict_and_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    std::fs::write(
        &old,
        run("check", &["--format", "json", "--as-of", "2017-12-31"]),
    )
    .expect("write");
    std::fs::write(&new, run("check", &["--format", "json"])).expect("write");
    let digest = |p: &Path| concord::digest::sha256_hex(&std::fs::read(p).expect("read"));
    let (old_sha, new_sha) = (digest(&old), digest(&new));
    let (old, new) = (old.to_str().expect("utf-8"), new.to_str().expect("utf-8"));
    let tmp = dir.path().display().to_string();

    // The auditor sees which two reports were compared, and their digests.
    let out = concord(&["diff", old, new]);
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).expect("utf-8");
    assert!(md.contains("| SEC-04 | KAZ | met | breached | kaz-interf |  |  |"));
    assert!(
        md.contains(&format!("| old | `{old}` | `{old_sha}` |")),
        "{md}"
    );
    assert!(
        md.contains(&format!("| new | `{new}` | `{new_sha}` |")),
        "{md}"
    );
    assert!(md.contains("## Inputs changed (0)\n\nnone\n"), "{md}");
    insta::assert_snapshot!("diff_md", md.replace(&tmp, "TMP"));

    let out = concord(&["diff", old, new, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json = String::from_utf8(out.stdout).expect("utf-8");
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(parsed["old"]["path"], old);
    assert_eq!(parsed["old"]["sha256"], old_sha.as_str());
    assert_eq!(parsed["new"]["sha256"], new_sha.as_str());
    assert_eq!(parsed["new"]["inputs"].as_array().map(Vec::len), Some(2));
    insta::assert_snapshot!("diff_json", json.replace(&tmp, "TMP"));

    let same = concord(&["diff", new, new]);
    assert_eq!(same.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&same.stdout).contains("No differences."));

    let missing = concord(&["diff", old, "fixtures/reports-small/no-such.json"]);
    assert_eq!(missing.status.code(), Some(4));
    let not_json = concord(&["diff", old, ACTIVITIES[0]]);
    assert_eq!(not_json.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&not_json.stderr).contains("not a concord JSON report"));
}

/// JSON numbers are exact and come with the counts behind them: a consumer re-rounding a
/// percent gets what one rounding of the true value gives (88.46 -> 88, never 88.5 -> 89).
#[test]
fn json_scores_are_exact_and_carry_their_counts() {
    let text = run("check", &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut scores = vec![&report["overall"]];
    for key in ["parties", "chapters", "commitments"] {
        scores.extend(report[key].as_array().expect(key));
    }
    let mut inexact = 0;
    for s in scores {
        let c = &s["counts"];
        let n = |k: &str| c[k].as_u64().unwrap_or_else(|| panic!("{k} in {s}"));
        let scored = n("scored");
        assert_eq!(
            scored,
            n("met") + n("partial") + n("not_met") + n("breached") + n("blocked")
        );
        if scored == 0 {
            assert!(s["percent"].is_null());
            continue;
        }
        let mean = (n("met") as f64 - (n("not_met") + n("breached") + n("blocked")) as f64)
            / scored as f64;
        assert_eq!(s["score"].as_f64(), Some(mean), "{s}");
        assert_eq!(
            s["percent"].as_f64(),
            Some((mean + 1.0) / 2.0 * 100.0),
            "{s}"
        );
        let p = (mean + 1.0) / 2.0 * 100.0;
        if (p * 10.0).round() != p * 10.0 {
            inexact += 1;
        }
    }
    assert!(
        inexact > 0,
        "the fixture has a percent that one decimal cannot hold"
    );
}
