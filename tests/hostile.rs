//! The catalogue of bad activity files: each case in `fixtures/hostile/activities/` (a file, or
//! a folder of files read together) is run through `concord check --strict` and `concord
//! validate`, and the exact messages, the rejects file and both exit codes are pinned.
//!
//! The rules cases live in `fixtures/rule-errors` (tests/rule_errors.rs).

mod common;

use std::path::{Path, PathBuf};

use common::*;

const CASES: &str = "fixtures/hostile/activities";

/// Each case: name, the rules it runs on (None: the bundled rules), and the exit codes of
/// `check --strict` and of `validate`.
const TABLE: &[(&str, Option<&str>, i32, i32)] = &[
    // CSV structure
    ("empty-file", Some(ENGINE_RULES), 4, 4),
    ("bom-only", Some(ENGINE_RULES), 4, 4),
    ("header-only", Some(ENGINE_RULES), 0, 0),
    ("missing-required-column", Some(ENGINE_RULES), 4, 4),
    ("misnamed-columns", Some(ENGINE_RULES), 4, 4),
    ("duplicate-column", Some(ENGINE_RULES), 4, 4),
    ("blank-column-name", Some(ENGINE_RULES), 4, 4),
    ("unknown-column", Some(ENGINE_RULES), 0, 0),
    ("header-white-space", Some(ENGINE_RULES), 0, 0),
    ("too-many-fields", Some(ENGINE_RULES), 1, 1),
    ("too-few-fields", Some(ENGINE_RULES), 1, 1),
    ("blank-rows", Some(ENGINE_RULES), 1, 1),
    ("blank-lines-before-header", Some(ENGINE_RULES), 0, 0),
    ("unbalanced-quote-middle", Some(ENGINE_RULES), 1, 1),
    ("unbalanced-quote-at-end", Some(ENGINE_RULES), 1, 1),
    ("crlf-lf-mixed", Some(ENGINE_RULES), 1, 1),
    ("cr-only-line-endings", Some(ENGINE_RULES), 1, 1),
    ("utf8-bom", Some(ENGINE_RULES), 1, 1),
    ("invalid-utf8-field", Some(ENGINE_RULES), 1, 1),
    ("invalid-utf8-header", Some(ENGINE_RULES), 4, 4),
    ("utf16-file", Some(ENGINE_RULES), 4, 4),
    ("utf16-without-bom", Some(ENGINE_RULES), 4, 4),
    ("excel-workbook", Some(ENGINE_RULES), 4, 4),
    ("excel-97-workbook", Some(ENGINE_RULES), 4, 4),
    ("semicolon-delimited", Some(ENGINE_RULES), 4, 4),
    ("header-other-case", Some(ENGINE_RULES), 4, 4),
    ("trailing-blank-column", Some(ENGINE_RULES), 0, 0),
    ("partners-with-spaces", Some(ENGINE_RULES), 0, 0),
    ("multiline-note", Some(ENGINE_RULES), 1, 1),
    ("unclosed-quote-last-column", Some(ENGINE_RULES), 1, 1),
    ("quote-closed-rows-later", Some(ENGINE_RULES), 1, 1),
    ("no-final-newline", Some(ENGINE_RULES), 1, 1),
    // CSV values
    ("duplicate-id-in-file", Some(ENGINE_RULES), 1, 1),
    ("duplicate-id-across-files", Some(ENGINE_RULES), 1, 1),
    ("duplicate-row-identical", Some(ENGINE_RULES), 0, 0),
    ("duplicate-id-three-copies", Some(ENGINE_RULES), 1, 1),
    ("one-id-on-many-rows", Some(ENGINE_RULES), 1, 1),
    ("bad-date-format", Some(ENGINE_RULES), 1, 1),
    ("impossible-date", Some(ENGINE_RULES), 1, 1),
    ("date-without-zeros", Some(ENGINE_RULES), 1, 1),
    ("date-with-time", Some(ENGINE_RULES), 1, 1),
    ("date-before-strategy", Some(ENGINE_RULES), 0, 0),
    ("date-after-as-of", Some(ENGINE_RULES), 0, 0),
    ("unknown-party-suggested", Some(ENGINE_RULES), 1, 1),
    ("unknown-party-unsuggested", Some(ENGINE_RULES), 1, 1),
    ("unknown-kind", Some(ENGINE_RULES), 1, 1),
    ("unknown-subject", Some(ENGINE_RULES), 1, 1),
    ("no-role-at-date", None, 0, 0),
    ("partner-is-party", Some(ENGINE_RULES), 1, 1),
    ("unknown-partner", Some(ENGINE_RULES), 1, 1),
    ("indicator-without-value", Some(ENGINE_RULES), 1, 1),
    ("value-not-numeric", Some(ENGINE_RULES), 1, 1),
    ("decimal-comma", Some(ENGINE_RULES), 1, 1),
    ("value-non-finite", Some(ENGINE_RULES), 1, 1),
    ("empty-required-fields", Some(ENGINE_RULES), 1, 1),
    ("white-space", Some(ENGINE_RULES), 0, 0),
    ("several-problems-in-one-row", Some(ENGINE_RULES), 1, 1),
    ("formula-injection", Some(ENGINE_RULES), 1, 1),
];

/// The input files of a case: the file itself, or every file of its folder in name order.
fn inputs(case: &Path) -> Vec<String> {
    if case.is_dir() {
        walk(case)
            .into_iter()
            .map(|p| p.display().to_string())
            .collect()
    } else {
        vec![case.display().to_string()]
    }
}

fn case_path(name: &str) -> PathBuf {
    let dir = Path::new(CASES).join(name);
    if dir.is_dir() {
        dir
    } else {
        Path::new(CASES).join(format!("{name}.csv"))
    }
}

/// Runs `check --strict` and `validate` on the files and writes down everything they said.
fn transcript(files: &[String], rules: Option<&str>) -> (String, i32, i32) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let rejects = tmp.path().join("rejects.csv");
    let rejects_s = rejects.display().to_string();
    let mut rules_args: Vec<&str> = Vec::new();
    if let Some(r) = rules {
        rules_args.extend(["--rules", r]);
    }
    let mut args: Vec<&str> = vec!["check"];
    args.extend(&rules_args);
    args.push("--activities");
    args.extend(files.iter().map(String::as_str));
    args.extend(["--rejects", &rejects_s, "--strict", "--out", "/dev/null"]);
    let check = concord(&args);
    let check_code = check.status.code().unwrap_or(-1);
    let mut t = format!(
        "$ concord check{} --activities {} --rejects REJECTS --strict --out /dev/null\nexit {check_code}\n--- stderr\n{}",
        rules.map(|r| format!(" --rules {r}")).unwrap_or_default(),
        files.join(" "),
        stderr(&check).replace(&rejects_s, "REJECTS")
    );
    match std::fs::read(&rejects) {
        Ok(bytes) => t.push_str(&format!("--- REJECTS\n{}", String::from_utf8_lossy(&bytes))),
        Err(_) => t.push_str("--- REJECTS (not written)\n"),
    }
    let mut args: Vec<&str> = vec!["validate"];
    args.extend(&rules_args);
    args.extend(files.iter().map(String::as_str));
    let validate = concord(&args);
    let validate_code = validate.status.code().unwrap_or(-1);
    t.push_str(&format!(
        "\n$ concord validate{} {}\nexit {validate_code}\n--- stdout\n{}",
        rules.map(|r| format!(" --rules {r}")).unwrap_or_default(),
        files.join(" "),
        stdout(&validate)
    ));
    let err = stderr(&validate);
    if !err.is_empty() {
        t.push_str(&format!("--- stderr\n{err}"));
    }
    (t, check_code, validate_code)
}

#[test]
fn every_bad_file_gets_a_clear_answer() {
    let mut on_disk: Vec<String> = std::fs::read_dir(CASES)
        .expect("cases")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            name.strip_suffix(".csv").unwrap_or(&name).to_string()
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = TABLE.iter().map(|c| c.0.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "every fixture is in the table and vice versa"
    );
    for &(name, rules, check_exit, validate_exit) in TABLE {
        let files = inputs(&case_path(name));
        let (t, check_code, validate_code) = transcript(&files, rules);
        insta::assert_snapshot!(name, t);
        assert_eq!(check_code, check_exit, "{name}: check exit\n{t}");
        assert_eq!(validate_code, validate_exit, "{name}: validate exit\n{t}");
    }
}

#[test]
fn a_missing_file_is_named() {
    let (t, check, validate) = transcript(
        &["fixtures/hostile/no-such-file.csv".into()],
        Some(ENGINE_RULES),
    );
    insta::assert_snapshot!("missing-file", t);
    assert_eq!((check, validate), (4, 4));
}

#[test]
fn a_directory_is_not_a_file() {
    let (t, check, validate) = transcript(&["fixtures/hostile".into()], Some(ENGINE_RULES));
    insta::assert_snapshot!("directory", t);
    assert_eq!((check, validate), (4, 4));
}

/// `validate` goes on past an unreadable file: the others are still checked, and the exit code
/// is the worse one.
#[test]
fn validate_reports_every_file_even_after_an_unreadable_one() {
    let files = vec![
        case_path("empty-file").display().to_string(),
        case_path("too-few-fields").display().to_string(),
    ];
    let (t, _, validate) = transcript(&files, Some(ENGINE_RULES));
    assert_eq!(validate, 4);
    assert!(
        t.contains("too-few-fields.csv:3:4: error[missing-cell]"),
        "{t}"
    );
}

#[test]
fn a_100_mb_field_is_refused_with_a_clear_error_and_little_memory() {
    use std::io::Write;
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("huge.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        f.write_all(
            b"id,date,party,kind,note\nA1,2019-06-14,SCO,summit,ok\nA2,2019-06-14,SCO,summit,\"",
        )
        .expect("write");
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..100 {
            f.write_all(&chunk).expect("write");
        }
        f.write_all(b"\"\n").expect("write");
    }
    let path_s = path.display().to_string();
    // Watch the child's peak resident memory (`VmHWM`) while it runs.
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_concord"))
        .args(["validate", "--rules", ENGINE_RULES, &path_s])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id();
    let mut peak = 0u64;
    let watcher = std::thread::spawn(move || {
        let mut peak = 0u64;
        for _ in 0..2000 {
            match std::fs::read_to_string(format!("/proc/{pid}/status")) {
                Ok(s) => {
                    if let Some(kib) = s
                        .lines()
                        .find_map(|l| l.strip_prefix("VmHWM:"))
                        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                    {
                        peak = peak.max(kib);
                    }
                }
                Err(_) => break,
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        peak
    });
    let out = child.wait_with_output().expect("wait");
    peak = peak.max(watcher.join().expect("watcher"));
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let text = stdout(&out).replace(&path_s, "HUGE");
    insta::assert_snapshot!("huge-field", text);
    assert!(
        peak < 64 * 1024,
        "concord held {peak} KiB reading a 100 MB field: it should stop at the row limit"
    );
}

#[test]
fn the_template_validates_clean_against_the_bundled_rules() {
    let out = concord(&["template"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 3, "a header and two example rows");
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("template.csv");
    std::fs::write(&path, &text).expect("write");
    let path_s = path.display().to_string();
    let checked = concord(&["validate", &path_s]);
    assert_eq!(checked.status.code(), Some(0), "{}", stdout(&checked));
    assert!(
        stdout(&checked).contains(": 2 rows: 2 accepted, 0 rejected, 0 warnings\n"),
        "{}",
        stdout(&checked)
    );
}

#[test]
fn the_vocabulary_card_names_what_each_key_can_evidence() {
    let md = concord(&["vocabulary", "--rules", ENGINE_RULES]);
    assert_eq!(md.status.code(), Some(0));
    insta::assert_snapshot!("vocabulary-md", stdout(&md));
    let csv = concord(&["vocabulary", "--rules", ENGINE_RULES, "--format", "csv"]);
    assert_eq!(csv.status.code(), Some(0));
    insta::assert_snapshot!("vocabulary-csv", stdout(&csv));
}
