//! Criterion benchmarks of one pass over 100k synthetic rows: parsing alone (the baseline),
//! ingestion (parse + validate + ledger), and evaluation of the ledger.
//!
//! The full-size comparison (1M and 10M rows, peak memory, the DuckDB peer) is `bench/run.sh`.

use std::hint::black_box;
use std::io::BufWriter;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use concord::run::{Discard, Engine};

#[allow(dead_code, unused_imports)]
#[path = "../src/bin/concord-gen/synth.rs"]
mod synth;

const ROWS: u64 = 100_000;

fn benches(c: &mut Criterion) {
    let engine = match Engine::load(None) {
        Ok(e) => e,
        Err(e) => panic!("the bundled rules do not load: {}", e.render()),
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("activities.csv");
    let universe = synth::Universe::new(&engine.catalogue);
    let options = synth::Options {
        rows: ROWS,
        seed: 1,
        bad_share: 0.01,
        shape: synth::Shape::DEFAULT,
        crlf: false,
    };
    let file = std::fs::File::create(&path).expect("a temp file");
    synth::write(&universe, options, &mut BufWriter::new(file)).expect("write the rows");
    let paths = vec![path.clone()];
    let as_of = engine.default_as_of();

    let mut g = c.benchmark_group("100k-rows");
    g.sample_size(20);
    g.throughput(Throughput::Elements(ROWS));
    g.bench_function("csv-baseline", |b| {
        b.iter(|| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_path(&path)
                .expect("open");
            let mut record = csv::ByteRecord::new();
            let mut n = 0u64;
            while reader.read_byte_record(&mut record).expect("read") {
                n += 1;
            }
            black_box(n)
        })
    });
    g.bench_function("ingest", |b| {
        b.iter(|| black_box(engine.ingest(&paths, as_of, &mut Discard).expect("ingest")))
    });
    let ingested = engine.ingest(&paths, as_of, &mut Discard).expect("ingest");
    g.bench_function("evaluate", |b| {
        b.iter(|| black_box(engine.evaluate(&ingested, as_of)))
    });
    g.bench_function("evaluate+report", |b| {
        b.iter(|| black_box(engine.report(&ingested, as_of)))
    });
    g.finish();
}

criterion_group!(ingest, benches);
criterion_main!(ingest);
