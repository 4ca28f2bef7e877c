//! The CSV report: one row per result, for spreadsheets. A plain table, its header first: what
//! produced it is in the provenance beside it ([`super::provenance_csv`]); each row says what the
//! data is (`dataset`), so that a copied table still says it. Written row by row, the ids of
//! each verdict joined in one reused buffer.

use std::io::Write;

use super::{Evidence, Report};

const HEADER: [&str; 11] = [
    "as_of",
    "commitment",
    "chapter",
    "scope",
    "party",
    "status",
    "score",
    "evidence",
    "blocked_by",
    "warnings",
    "dataset",
];

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    let _ = write(&mut out, report, Evidence::Listed);
    String::from_utf8(out).unwrap_or_default()
}

/// The report written to `out`, its evidence ids read from `evidence`.
pub fn write<W: Write + ?Sized>(
    out: &mut W,
    report: &Report,
    evidence: Evidence<'_>,
) -> std::io::Result<()> {
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    let dataset = super::banners(&report.inputs)
        .into_iter()
        .map(|(banner, _, _)| banner)
        .collect::<Vec<_>>()
        .join("; ");
    w.write_record(HEADER)?;
    let mut ids = String::new();
    for (at, c) in report.commitments.iter().enumerate() {
        for r in &c.results {
            let score = r.status.score().map(|s| s.to_string()).unwrap_or_default();
            ids.clear();
            for (i, id) in evidence.ids(at, r).enumerate() {
                if i > 0 {
                    ids.push(';');
                }
                ids.push_str(&id);
            }
            w.write_record([
                report.as_of.as_str(),
                &c.id,
                &c.chapter,
                &c.scope,
                &r.party,
                r.status.as_str(),
                &score,
                &ids,
                &r.blocked_by.join(";"),
                &r.warnings.join("; "),
                &dataset,
            ])?;
        }
    }
    w.flush()
}
