//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use concord::catalogue::RuleFiles;

pub const ENGINE_RULES: &str = "fixtures/engine/rules";
pub const ENGINE_ACTIVITIES: &str = "fixtures/engine/activities.csv";

/// The base fixture's rules with a case directory laid over them (`X.delete` removes `X`).
pub fn overlaid_rules(case: &Path) -> RuleFiles {
    let mut files = RuleFiles::from_dir(Path::new(ENGINE_RULES)).expect("fixture rules");
    for entry in walk(case) {
        let rel = entry
            .strip_prefix(case)
            .expect("inside case")
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(target) = rel.strip_suffix(".delete") {
            files.files.remove(target);
        } else {
            files
                .files
                .insert(rel, std::fs::read_to_string(&entry).expect("fixture text"));
        }
    }
    files.origin = "rules".into();
    files
}

/// Write a set of rule files into a directory, for tests that run the binary on them.
pub fn write_rules(files: &RuleFiles, dir: &Path) {
    for (rel, text) in &files.files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

pub fn concord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_concord"))
        .args(args)
        .output()
        .expect("run concord")
}

/// `concord check` on the engine fixture's rules and activities, with more arguments.
pub fn check_engine(extra: &[&str]) -> Output {
    let mut args = vec![
        "check",
        "--rules",
        ENGINE_RULES,
        "--activities",
        ENGINE_ACTIVITIES,
    ];
    args.extend_from_slice(extra);
    concord(&args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
