//! Any text as rule files: loading must never panic; it either yields a catalogue that can be
//! evaluated and rendered, or errors that render.
//!
//! The input is split on lines `%%% NAME` into files (the corpus starts from the engine
//! fixture written that way); without a marker, the whole input replaces the chapter file.
#![no_main]

use concord::catalogue::RuleFiles;
use concord::report::{self, Format};
use concord::run::{Discard, Engine};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn split(text: &str) -> RuleFiles {
    let mut files = common::fixture_rules();
    if !text.contains("%%% ") {
        files.files.insert("chapters/model.toml".into(), text.into());
        return files;
    }
    let mut current: Option<String> = None;
    let mut body = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("%%% ") {
            if let Some(n) = current.take() {
                files.files.insert(n, std::mem::take(&mut body));
            }
            current = Some(name.trim().to_string());
        } else {
            body.push_str(line);
        }
    }
    if let Some(n) = current {
        files.files.insert(n, body);
    }
    files
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Engine::from_files(&split(text)) {
        Ok(engine) => {
            let as_of = engine.default_as_of();
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("a.csv");
            std::fs::write(&path, common::ACTIVITIES).expect("write");
            if let Ok(ingested) = engine.ingest(&[path], as_of, &mut Discard) {
                let report = engine.report(&ingested, as_of);
                let _ = report::render(&report, Format::Json);
            }
        }
        Err(errors) => {
            let _ = errors.render();
        }
    }
});
