//! What must hold whatever the input: every row is accounted for and every rejected row is kept
//! byte for byte; more supporting evidence never makes a verdict worse; outputs appear whole or
//! not at all.

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::*;
use concord::catalogue::RuleFiles;
use concord::evaluate::Status;
use concord::run::{Engine, RejectsCsv};
use proptest::prelude::*;

fn engine(rules: Option<&str>) -> Engine {
    Engine::load(rules.map(Path::new)).expect("rules load")
}

/// Every activities fixture of the repository, with the rules it is read against.
fn fixtures() -> Vec<(Vec<PathBuf>, Option<&'static str>)> {
    let mut out: Vec<(Vec<PathBuf>, Option<&'static str>)> = vec![
        (vec![ENGINE_ACTIVITIES.into()], Some(ENGINE_RULES)),
        (
            walk(Path::new("fixtures/reports-small"))
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "csv"))
                .filter(|p| !p.starts_with("fixtures/reports-small/rules"))
                .collect(),
            Some("fixtures/reports-small/rules"),
        ),
        (
            vec![
                "fixtures/sco-2015-2025/activities.csv".into(),
                "fixtures/sco-2015-2025/bad-rows.csv".into(),
            ],
            None,
        ),
    ];
    let hostile = Path::new("fixtures/hostile/activities");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(hostile)
        .expect("cases")
        .map(|e| e.expect("entry").path())
        .collect();
    cases.sort();
    for case in cases {
        let files = if case.is_dir() {
            walk(&case)
        } else {
            vec![case.clone()]
        };
        let rules = if case.ends_with("no-role-at-date.csv") {
            None
        } else {
            Some(ENGINE_RULES)
        };
        out.push((files, rules));
    }
    out
}

/// The byte offset at which each line of `bytes` starts (`\r\n`, `\n` and `\r` end a line).
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 2;
                starts.push(i);
            }
            b'\r' | b'\n' => {
                i += 1;
                starts.push(i);
            }
            _ => i += 1,
        }
    }
    starts
}

/// The record that starts on `line` of the file: its fields, and its raw bytes without the
/// line break that ends it.
fn record_at(bytes: &[u8], line: usize) -> (Vec<Vec<u8>>, Vec<u8>) {
    let start = line_starts(bytes)[line - 1];
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[start..]);
    let mut record = csv::ByteRecord::new();
    assert!(
        reader.read_byte_record(&mut record).expect("parse"),
        "no record on line {line}"
    );
    let end = reader.position().byte() as usize;
    let mut raw = bytes[start..start + end].to_vec();
    while raw.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        raw.pop();
    }
    (record.iter().map(<[u8]>::to_vec).collect(), raw)
}

fn serialise(fields: &[Vec<u8>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(fields).expect("serialise");
    let mut out = w.into_inner().expect("flush");
    out.pop();
    out
}

#[test]
fn every_row_is_accounted_for_and_every_reject_kept_byte_for_byte() {
    let checked: usize = fixtures()
        .iter()
        .map(|(files, rules)| reconcile(files, *rules))
        .sum();
    assert!(checked > 50, "only {checked} rejected rows checked");
}

/// A file of several MiB, far past csv's and concord's buffers, with every kind of line end,
/// empty lines and quoted values over several lines: each bad row is still found on its line.
#[test]
fn line_numbers_hold_across_buffers_in_a_large_mixed_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("large.csv");
    let mut text = String::from("id,date,party,kind,note\r\n");
    let mut line = 2;
    let mut bad = Vec::new();
    for i in 0..60_000 {
        let end = ["\n", "\r\n", "\r"][i % 3];
        if i % 97 == 0 {
            text.push_str(end);
            line += 1;
        }
        if i % 101 == 0 {
            text.push_str(&format!(
                "R{i},2019-06-14,SCO,summit,\"two\nlines, {i}\"{end}"
            ));
            line += 2;
        } else if i % 89 == 0 {
            bad.push(line);
            text.push_str(&format!("R{i},2019-06-14,SCO,sumit,bad {i}{end}"));
            line += 1;
        } else {
            text.push_str(&format!(
                "R{i},2019-06-14,SCO,summit,row {i} {}{end}",
                "x".repeat(i % 50)
            ));
            line += 1;
        }
    }
    std::fs::write(&path, &text).expect("write");
    assert!(text.len() > 3 << 20);
    let checked = reconcile(&[path], Some(ENGINE_RULES));
    assert_eq!(checked, bad.len());
}

/// Checks one run; returns how many rejected rows were compared with their input.
fn reconcile(files: &[PathBuf], rules: Option<&str>) -> usize {
    let mut checked = 0;
    {
        let engine = engine(rules);
        let mut sink = RejectsCsv::new(Vec::new());
        let ingested = match engine.ingest(files, engine.default_as_of(), &mut sink) {
            Ok(i) => i,
            // A file concord cannot read at all is pinned by tests/hostile.rs; it has no rows.
            Err(_) => return 0,
        };
        let written = sink.finish().expect("rejects");
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(written.as_slice());
        let rejects: Vec<csv::ByteRecord> = reader
            .byte_records()
            .map(|r| r.expect("reject row"))
            .collect();
        for stats in &ingested.stats {
            assert_eq!(
                stats.rows,
                stats.accepted + stats.rejected,
                "{}: rows read = accepted + rejected",
                stats.path
            );
            let here: Vec<&csv::ByteRecord> = rejects
                .iter()
                .filter(|r| r.get(0) == Some(stats.path.as_bytes()))
                .collect();
            assert_eq!(
                here.len() as u64,
                stats.rejected,
                "{}: rejects file",
                stats.path
            );
            let bytes = std::fs::read(&stats.path).expect("input");
            for r in here {
                let line: usize = std::str::from_utf8(&r[1])
                    .expect("line")
                    .parse()
                    .expect("line number");
                let kept: Vec<Vec<u8>> = r.iter().skip(5).map(<[u8]>::to_vec).collect();
                let (fields, raw) = record_at(&bytes, line);
                assert_eq!(kept, fields, "{}:{line}: the fields kept", stats.path);
                // Re-serialised, the fields are the input line itself, unless the line has an
                // unclosed quote (which no writer would produce).
                let unclosed = raw.iter().filter(|&&b| b == b'"').count() % 2 == 1;
                if !unclosed {
                    assert_eq!(
                        String::from_utf8_lossy(&serialise(&kept)),
                        String::from_utf8_lossy(&raw),
                        "{}:{line}: the raw bytes",
                        stats.path
                    );
                }
                checked += 1;
            }
        }
    }
    checked
}

// ---- More supporting evidence never makes a verdict worse ----

/// How good a verdict of an evidence rule is. Exempt and not_applicable depend on the date
/// alone and never change here.
fn rank(s: Status) -> u8 {
    match s {
        Status::Met => 4,
        Status::Partial => 3,
        Status::Pending => 2,
        Status::NotMet | Status::Blocked => 1,
        Status::Breached => 0,
        Status::NotApplicable | Status::Exempt => 5,
    }
}

/// Rows that can only support an evidence rule of the engine fixture (never a contrary or
/// restraint selector, never an indicator).
const SUPPORT: &[(&str, &str)] = &[
    ("summit", ""),
    ("agreement-ratified", "model-convention"),
    ("agreement-in-force", "model-convention"),
    ("joint-operation", "model-convention"),
    ("body-established", "development-fund"),
    ("instrument-adopted", "drug-control-programme"),
    ("information-exchange", "terrorism"),
];
const PARTIES: &[&str] = &["AAA", "BBB", "CCC", "SCO"];

#[derive(Debug, Clone)]
struct Row {
    kind: usize,
    party: usize,
    partner: Option<usize>,
    day: u32,
}

fn row() -> impl Strategy<Value = Row> {
    (
        0..SUPPORT.len(),
        0..PARTIES.len(),
        proptest::option::of(0..PARTIES.len()),
        0u32..4000,
    )
        .prop_map(|(kind, party, partner, day)| Row {
            kind,
            party,
            partner: partner.filter(|p| *p != party),
            day,
        })
}

/// Evidence-rule verdicts, keyed by (commitment, party), for the fixture's contrary and
/// indicator rows plus `extra`.
fn verdicts(engine: &Engine, extra: &[Row], as_of: NaiveDate) -> Vec<(String, String, Status)> {
    let base = std::fs::read_to_string(ENGINE_ACTIVITIES).expect("fixture");
    // Keep the rows that are not supporting evidence (contrary acts, indicators): they stay
    // fixed while the evidence varies.
    let mut text: String = base
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.contains(",contrary-action,") || l.contains(",indicator,"))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).expect("date");
    for (i, r) in extra.iter().enumerate() {
        let (kind, subject) = SUPPORT[r.kind];
        let date = start + chrono::Days::new(u64::from(r.day));
        let partner = r.partner.map(|p| PARTIES[p]).unwrap_or("");
        text.push_str(&format!(
            "G{i},{date},{},{kind},{subject},{partner},,,,\n",
            PARTIES[r.party]
        ));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.csv");
    std::fs::write(&path, text).expect("write");
    let ingested = engine
        .ingest(&[path], as_of, &mut concord::run::Discard)
        .expect("ingest");
    let report = engine.report(&ingested, as_of);
    let evidence_rules: Vec<&str> = engine
        .catalogue
        .commitments
        .iter()
        .filter(|c| matches!(c.test, concord::catalogue::Test::Evidence { .. }))
        .map(|c| c.id.as_str())
        .collect();
    report
        .commitments
        .iter()
        .filter(|c| evidence_rules.contains(&c.id.as_str()))
        .flat_map(|c| {
            c.results
                .iter()
                .map(move |r| (c.id.clone(), r.party.clone(), r.status))
        })
        .collect()
}

fn fixture_engine() -> Engine {
    Engine::from_files(&RuleFiles::from_dir(Path::new(ENGINE_RULES)).expect("rules")).expect("ok")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn adding_evidence_never_makes_a_verdict_worse(
        base in proptest::collection::vec(row(), 0..12),
        more in proptest::collection::vec(row(), 1..4),
        as_of in prop_oneof![Just((2017, 1, 1)), Just((2020, 6, 30)), Just((2025, 12, 31))],
    ) {
        let engine = fixture_engine();
        let as_of = NaiveDate::from_ymd_opt(as_of.0, as_of.1, as_of.2).expect("date");
        let before = verdicts(&engine, &base, as_of);
        let mut all = base.clone();
        all.extend(more);
        let after = verdicts(&engine, &all, as_of);
        prop_assert_eq!(before.len(), after.len());
        for (b, a) in before.iter().zip(&after) {
            prop_assert_eq!((&b.0, &b.1), (&a.0, &a.1));
            prop_assert!(rank(a.2) >= rank(b.2), "{} {}: {:?} -> {:?} after adding evidence", b.0, b.1, b.2, a.2);
        }
    }

    #[test]
    fn removing_evidence_never_makes_a_verdict_better(
        rows in proptest::collection::vec(row(), 1..14),
        keep in proptest::collection::vec(any::<bool>(), 14),
    ) {
        let engine = fixture_engine();
        let as_of = engine.default_as_of();
        let before = verdicts(&engine, &rows, as_of);
        let fewer: Vec<Row> = rows
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(r, _)| r.clone())
            .collect();
        let after = verdicts(&engine, &fewer, as_of);
        for (b, a) in before.iter().zip(&after) {
            prop_assert!(rank(a.2) <= rank(b.2), "{} {}: {:?} -> {:?} after removing evidence", b.0, b.1, b.2, a.2);
        }
    }
}

// ---- Outputs appear whole or not at all ----

fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_unwritable_directory_fails_cleanly_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let locked = tmp.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // root writes through permissions: then /proc, which nobody can create files in, stands in.
    let writable = std::fs::write(locked.join("probe"), b"").is_ok();
    let _ = std::fs::remove_file(locked.join("probe"));
    let target = if writable {
        PathBuf::from("/proc/concord-report.md")
    } else {
        locked.join("report.md")
    };
    let target_s = target.display().to_string();
    for flag in ["--out", "--rejects"] {
        let out = check_engine(&[flag, &target_s]);
        assert_eq!(out.status.code(), Some(4), "{flag}: {}", stderr(&out));
        assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
        assert!(!target.exists());
    }
    if !writable {
        assert!(leftovers(&locked).is_empty(), "{:?}", leftovers(&locked));
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// A run that stops half way (here: the second input cannot be read, after the first one's
/// rejects were already streamed out) leaves neither the output nor a temporary file.
#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let rejects = tmp.path().join("rejects.csv");
    let report = tmp.path().join("report.md");
    let out = concord(&[
        "check",
        "--rules",
        ENGINE_RULES,
        "--activities",
        "fixtures/hostile/activities/unknown-kind.csv",
        "fixtures/hostile/activities/empty-file.csv",
        "--rejects",
        &rejects.display().to_string(),
        "--out",
        &report.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
    // And a report that already existed is left as it was.
    std::fs::write(&report, "previous report\n").expect("write");
    let again = concord(&[
        "check",
        "--rules",
        ENGINE_RULES,
        "--activities",
        "fixtures/hostile/activities/empty-file.csv",
        "--out",
        &report.display().to_string(),
    ]);
    assert_eq!(again.status.code(), Some(4));
    assert_eq!(
        std::fs::read_to_string(&report).expect("read"),
        "previous report\n"
    );
    assert_eq!(leftovers(tmp.path()), vec!["report.md".to_string()]);
}

/// Special files are written as they are: never replaced by a renamed temporary file.
#[test]
fn special_files_are_written_directly() {
    for special in ["/dev/null", "/dev/stdout"] {
        let out = check_engine(&["--format", "json", "--out", special, "--rejects", special]);
        assert_eq!(out.status.code(), Some(0), "{special}: {}", stderr(&out));
        if special == "/dev/null" {
            use std::os::unix::fs::FileTypeExt;
            let meta = std::fs::metadata(special).expect("still there");
            assert!(meta.file_type().is_char_device(), "{special} was replaced");
        }
        if special == "/dev/stdout" {
            let text = stdout(&out);
            assert!(text.starts_with("file,line,code,reason,hint\n"), "{text}");
            assert!(text.contains("\"as_of\""), "the report went to stdout too");
        }
    }
    assert!(
        leftovers(Path::new("/dev"))
            .iter()
            .all(|n| !n.contains("concord")),
        "no temporary file in /dev"
    );
}
