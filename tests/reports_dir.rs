//! `reports/` is exactly what the engine produces for the example dataset: regenerated here with
//! `scripts/regenerate-reports.sh` and compared file by file.

mod common;

use std::path::Path;

#[test]
fn committed_reports_are_the_engines_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new("bash")
        .arg("scripts/regenerate-reports.sh")
        .arg(dir.path())
        .env("CONCORD", env!("CARGO_BIN_EXE_concord"))
        .status()
        .expect("run the script");
    assert!(status.success(), "scripts/regenerate-reports.sh failed");
    let fresh = common::walk(dir.path());
    let committed = common::walk(Path::new("reports"));
    let rel = |base: &Path, files: &[std::path::PathBuf]| -> Vec<String> {
        files
            .iter()
            .map(|f| f.strip_prefix(base).expect("inside").display().to_string())
            .collect()
    };
    assert_eq!(
        rel(dir.path(), &fresh),
        rel(Path::new("reports"), &committed),
        "the set of files under reports/ differs"
    );
    for (a, b) in fresh.iter().zip(&committed) {
        let same = std::fs::read(a).expect("fresh") == std::fs::read(b).expect("committed");
        assert!(
            same,
            "{} is stale: run scripts/regenerate-reports.sh",
            b.display()
        );
    }
}
