//! Any bytes as an activities file: ingestion must never panic or hang, must account for every
//! row (rows = accepted + rejected), and a report must render from whatever was accepted.
#![no_main]

use std::sync::OnceLock;

use concord::report::{self, Format};
use concord::run::{Engine, RejectsCsv};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::from_files(&common::fixture_rules()).expect("fixture rules"))
}

fuzz_target!(|data: &[u8]| {
    let engine = engine();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.csv");
    std::fs::write(&path, data).expect("write");
    let mut rejects = RejectsCsv::new(Vec::new());
    let as_of = engine.default_as_of();
    if let Ok(ingested) = engine.ingest(&[path], as_of, &mut rejects) {
        for s in &ingested.stats {
            assert_eq!(s.rows, s.accepted + s.rejected, "rows are lost");
        }
        let written = rejects.finish().expect("rejects in memory");
        let lines = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(written.as_slice())
            .byte_records()
            .count() as u64;
        assert_eq!(lines, ingested.rejected(), "a reject is missing from the rejects file");
        let report = engine.report(&ingested, as_of);
        let _ = report::render(&report, Format::Json);
    }
});
