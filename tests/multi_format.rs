//! Several formats from one run (`--formats ... --out-dir`, repeated `--out`) are byte for byte
//! what one run per format writes; ambiguous requests are usage errors.

mod common;

use common::*;

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn check_formats_into_a_directory_equal_one_run_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().display().to_string();
    let out = check_engine(&["--formats", "md,json,csv,html,junit", "--out-dir", &d]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let heads = regex::Regex::new(r#"<th title="([^"]*)"><a href="party-[^"]*">([^<]*)</a></th>"#)
        .expect("regex");
    for (format, file) in [
        ("md", "status-2025-12-31.md"),
        ("json", "status-2025-12-31.json"),
        ("csv", "status-2025-12-31.csv"),
        ("html", "status-2025-12-31.html"),
        ("junit", "status-2025-12-31.junit.xml"),
    ] {
        let alone = stdout(&check_engine(&["--format", format]));
        let written = read(&dir.path().join(file));
        if format == "html" {
            // In a directory the matrix heads link the party pages written beside it; apart
            // from those links the page is the one `--format html` prints.
            assert!(
                written.contains("href=\"party-"),
                "{file} links the party pages"
            );
            let unlinked: String = heads
                .replace_all(&written, r#"<th title="$1">$2</th>"#)
                .lines()
                .filter(|l| !l.starts_with("<p class=\"meta\">One verdict each"))
                .map(|l| format!("{l}\n"))
                .collect();
            assert_eq!(unlinked, alone, "{file}");
        } else {
            assert_eq!(written, alone, "{file}");
        }
    }
}

#[test]
fn repeated_out_takes_each_format_from_the_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let md = dir.path().join("r.md");
    let json = dir.path().join("r.json");
    let xml = dir.path().join("r.xml");
    let out = check_engine(&[
        "--out",
        &md.display().to_string(),
        "--out",
        &json.display().to_string(),
        "--out",
        &xml.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&md), stdout(&check_engine(&["--format", "md"])));
    assert_eq!(read(&json), stdout(&check_engine(&["--format", "json"])));
    assert_eq!(read(&xml), stdout(&check_engine(&["--format", "junit"])));
}

#[test]
fn one_out_with_a_known_extension_needs_no_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("r.json");
    let out = check_engine(&["--out", &json.display().to_string()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(read(&json), stdout(&check_engine(&["--format", "json"])));
    // An explicit --format still wins for a single file.
    let out = check_engine(&["--format", "md", "--out", &json.display().to_string()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(read(&json), stdout(&check_engine(&["--format", "md"])));
}

#[test]
fn ambiguous_outputs_are_usage_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |n: &str| dir.path().join(n).display().to_string();
    let cases: Vec<Vec<String>> = vec![
        vec!["--out".into(), p("a.md"), "--out".into(), p("b.txt")],
        vec!["--out".into(), p("a.md"), "--out".into(), p("a.md")],
        vec![
            "--format".into(),
            "md".into(),
            "--out".into(),
            p("a.md"),
            "--out".into(),
            p("b.json"),
        ],
        vec!["--formats".into(), "md,json".into()],
        vec![
            "--formats".into(),
            "md".into(),
            "--format".into(),
            "md".into(),
            "--out-dir".into(),
            p("d"),
        ],
    ];
    for case in cases {
        let args: Vec<&str> = case.iter().map(String::as_str).collect();
        let out = check_engine(&args);
        assert_eq!(out.status.code(), Some(2), "{case:?}: {}", stderr(&out));
    }
    assert!(
        std::fs::read_dir(dir.path()).expect("dir").next().is_none(),
        "nothing written"
    );
}

#[test]
fn summary_formats_of_a_span_equal_one_run_each() {
    let both = tempfile::tempdir().expect("tempdir");
    let args = |dir: &std::path::Path, fmt: (&str, &str)| -> std::process::Output {
        concord(&[
            "summary",
            "--rules",
            ENGINE_RULES,
            "--activities",
            ENGINE_ACTIVITIES,
            "--from",
            "2018",
            "--to",
            "2019",
            fmt.0,
            fmt.1,
            "--out-dir",
            &dir.display().to_string(),
        ])
    };
    let out = args(both.path(), ("--formats", "md,json"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for fmt in ["md", "json"] {
        let one = tempfile::tempdir().expect("tempdir");
        assert_eq!(args(one.path(), ("--format", fmt)).status.code(), Some(0));
        for name in ["summary-2018", "summary-2019", "index"] {
            let file = format!("{name}.{fmt}");
            assert_eq!(
                read(&both.path().join(&file)),
                read(&one.path().join(&file)),
                "{file}"
            );
        }
    }
}
