//! The json and csv reports are written from a model without ids, every id read from the
//! ledger as it is written: the bytes must be those of the model that lists every id, with
//! assessments, `--party` restriction and every as-of alike. The yearly summaries and their index
//! stream the bytes they render too.

use std::path::{Path, PathBuf};

use concord::report::{self, Detail, Evidence, Format};
use concord::run::{Discard, Engine};

fn compare(rules: Option<&str>, activities: &str, assessments: Option<&str>, parties: &[&str]) {
    let engine = Engine::load(rules.map(Path::new)).expect("rules");
    let paths = vec![PathBuf::from(activities)];
    for as_of in [engine.default_as_of(), "2018-06-30".parse().expect("date")] {
        let mut ingested = engine.ingest(&paths, as_of, &mut Discard).expect("ingest");
        if let Some(a) = assessments {
            let a = concord::assessment::load(Path::new(a), &engine.catalogue).expect("assess");
            ingested.assess(a).expect("assessments cite known rows");
        }
        let evaluation = engine.evaluate(&ingested, as_of);
        let parties: Vec<String> = parties.iter().map(|p| p.to_string()).collect();
        let model = |detail| {
            let mut r = engine.report_of(&ingested, &evaluation, detail);
            if !parties.is_empty() {
                r.restrict(&parties);
            }
            r
        };
        let full = model(Detail::Full);
        let skeleton = model(Detail::Sample(0));
        assert!(
            full.commitments
                .iter()
                .flat_map(|c| &c.results)
                .any(|r| r.evidence.len() > 1),
            "the fixture has verdicts with several ids"
        );
        for format in [Format::Json, Format::Csv] {
            let mut streamed = Vec::new();
            report::write(
                &mut streamed,
                &skeleton,
                format,
                Evidence::Ledger(engine.run(&ingested, &evaluation)),
            )
            .expect("write");
            assert_eq!(
                String::from_utf8(streamed).expect("utf-8"),
                report::render(&full, format),
                "{activities} {format:?} as of {as_of}"
            );
        }
        // Written without reading ahead (the path a writer falls back to), the same bytes.
        let run = engine.run(&ingested, &evaluation);
        let mut direct = Vec::new();
        report::json::write_report(&mut direct, &skeleton, Evidence::Ledger(run)).expect("json");
        assert_eq!(direct, report::render(&full, Format::Json).into_bytes());
        let mut direct = Vec::new();
        report::csv::write(&mut direct, &skeleton, Evidence::Ledger(run)).expect("csv");
        assert_eq!(direct, report::render(&full, Format::Csv).into_bytes());
        asked_in_any_order(&skeleton, run);
        // And the JSON reads back as the model `diff` compares.
        let mut json = Vec::new();
        report::write(
            &mut json,
            &skeleton,
            Format::Json,
            Evidence::Ledger(engine.run(&ingested, &evaluation)),
        )
        .expect("write");
        let parsed = report::json::parse(std::str::from_utf8(&json).expect("utf-8"));
        assert_eq!(parsed.expect("parses"), full);
    }
}

/// Ids read ahead are each result's ids, whatever order the results are asked in: in order,
/// skipping some, one twice, backwards, or a result from another report.
fn asked_in_any_order(report: &report::Report, run: report::Run<'_>) {
    let results: Vec<(usize, &report::ResultReport)> = (report.commitments.iter().enumerate())
        .flat_map(|(at, c)| c.results.iter().map(move |r| (at, r)))
        .collect();
    let ids = |evidence: Evidence<'_>, at: usize, r: &report::ResultReport| -> Vec<String> {
        evidence.ids(at, r).map(|id| id.to_string()).collect()
    };
    let mut asks: Vec<(usize, &report::ResultReport)> =
        results.iter().step_by(2).copied().collect();
    asks.extend(results.iter().take(3).copied());
    asks.extend(results.iter().rev().copied());
    let other = report.clone();
    if let Some(c) = other.commitments.iter().position(|c| !c.results.is_empty()) {
        asks.push((c, &other.commitments[c].results[0]));
    }
    report::with_ids_ahead(report, run, |ahead| {
        for &(at, r) in &asks {
            assert_eq!(
                ids(ahead, at, r),
                ids(Evidence::Ledger(run), at, r),
                "{} {}",
                report.commitments[at].id,
                r.party
            );
        }
    });
}

#[test]
fn verdict_model_streams_the_bytes_of_the_full_model() {
    let rules = Some("fixtures/verdict-model/rules");
    let acts = "fixtures/verdict-model/activities.csv";
    compare(rules, acts, None, &[]);
    compare(
        rules,
        acts,
        Some("fixtures/verdict-model/assessments.toml"),
        &[],
    );
}

#[test]
fn sco_record_streams_the_bytes_of_the_full_model() {
    let acts = "fixtures/sco-2015-2025/activities.csv";
    compare(None, acts, None, &[]);
    compare(
        None,
        acts,
        Some("fixtures/sco-2015-2025/assessments.toml"),
        &[],
    );
    compare(None, acts, None, &["SCO", "KAZ"]);
}

/// A writer that takes `left` bytes, then fails as a full disk does.
struct Full {
    left: usize,
}

impl std::io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other("disk full"));
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn summaries_and_their_index_stream_the_bytes_they_render() {
    use concord::summary::{self, Summary, SummaryIndex};
    let engine = Engine::load(None).expect("rules");
    let paths = vec![PathBuf::from("fixtures/sco-2015-2025/activities.csv")];
    let as_of = |y: i32| summary::year_end(y).expect("year");
    let ingested = engine
        .ingest(&paths, as_of(2018), &mut Discard)
        .expect("ingest");
    let state = |y| {
        let evaluation = engine.evaluate(&ingested, as_of(y));
        engine.report_of(&ingested, &evaluation, Detail::Full)
    };
    let (previous, current) = (state(2016), state(2017));
    let s = Summary::build(2017, &previous, &current);
    let mut index = SummaryIndex::new(2016, 2017);
    index.add(2016, &previous);
    index.add(2017, &current);
    index.finish();
    for format in [Format::Md, Format::Json, Format::Csv, Format::Html] {
        let mut streamed = Vec::new();
        summary::write(&mut streamed, &s, &current, format, None).expect("write");
        assert_eq!(
            String::from_utf8(streamed).expect("utf-8"),
            summary::render(&s, &current, format),
            "summary {format:?}"
        );
        let mut streamed = Vec::new();
        summary::write_index(&mut streamed, &index, format).expect("write");
        assert_eq!(
            String::from_utf8(streamed).expect("utf-8"),
            summary::render_index(&index, format),
            "index {format:?}"
        );
        // A writer that fails part way is an error to return, not a panic.
        let summary = summary::write(&mut Full { left: 100 }, &s, &current, format, None);
        assert!(summary.is_err(), "summary {format:?} on a full disk");
        let index = summary::write_index(&mut Full { left: 100 }, &index, format);
        assert!(index.is_err(), "index {format:?} on a full disk");
    }
}
