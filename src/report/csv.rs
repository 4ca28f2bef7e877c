//! The CSV report: one row per result, for spreadsheets. A plain table, its header first: what
//! produced it is in the provenance beside it ([`super::provenance_csv`]); each row says what the
//! data is (`dataset`), so that a copied table still says it.

use super::Report;

pub fn render(report: &Report) -> String {
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let header = [
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
    let dataset = super::banners(&report.inputs)
        .into_iter()
        .map(|(banner, _, _)| banner)
        .collect::<Vec<_>>()
        .join("; ");
    let _ = w.write_record(header);
    for c in &report.commitments {
        for r in &c.results {
            let score = r.status.score().map(|s| s.to_string()).unwrap_or_default();
            let _ = w.write_record([
                report.as_of.as_str(),
                &c.id,
                &c.chapter,
                &c.scope,
                &r.party,
                r.status.as_str(),
                &score,
                &r.evidence.join(";"),
                &r.blocked_by.join(";"),
                &r.warnings.join("; "),
                &dataset,
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
