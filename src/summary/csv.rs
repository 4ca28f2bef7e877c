//! The CSV summary: one long table, a `section` column saying what each row is, so a
//! spreadsheet can filter it. `key` is the commitment, input file or prerequisite the row is about.

use super::{Moved, Summary};

const HEADER: [&str; 10] = [
    "section", "key", "party", "chapter", "from", "to", "percent", "previous", "change", "count",
];

pub fn render(s: &Summary) -> String {
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(HEADER);
    let pct = |p: Option<f64>| p.map(|p| format!("{p:.1}")).unwrap_or_default();
    let mut score = |party: &str, chapter: &str, m: &Moved| {
        let _ = w.write_record([
            "score",
            "",
            party,
            chapter,
            "",
            "",
            &pct(m.percent),
            &pct(m.previous),
            &pct(m.change),
            "",
        ]);
    };
    score("", "", &s.overall);
    for c in &s.chapters {
        score("", &c.id, &c.percent);
    }
    for p in &s.parties {
        score(&p.code, "", &p.overall);
        for (c, m) in s.chapters.iter().zip(&p.chapters) {
            score(&p.code, &c.id, m);
        }
    }
    for m in &s.statuses {
        let _ = w.write_record([
            "status",
            "",
            "",
            "",
            "",
            m.status.as_str(),
            "",
            "",
            "",
            &m.count.to_string(),
        ]);
    }
    for (section, _, list) in s.changes.sections() {
        for c in list {
            let _ = w.write_record([
                section,
                &c.commitment,
                &c.party,
                "",
                c.from.map_or("", |s| s.as_str()),
                c.to.as_str(),
                "",
                "",
                "",
                "",
            ]);
        }
    }
    for f in &s.data_quality.files {
        for (what, n) in [
            ("rows", f.rows),
            ("accepted", f.accepted),
            ("rejected", f.rejected),
            ("unmatched", f.unmatched),
        ] {
            let _ = w.write_record([
                "input",
                &f.path,
                "",
                "",
                "",
                what,
                "",
                "",
                "",
                &n.to_string(),
            ]);
        }
        for c in &f.top_rejects {
            let _ = w.write_record([
                "reject",
                &f.path,
                "",
                "",
                "",
                &c.code,
                "",
                "",
                "",
                &c.count.to_string(),
            ]);
        }
    }
    for b in &s.blockers {
        let _ = w.write_record([
            "blocker",
            &b.id,
            "",
            "",
            "",
            &b.dependants.join(";"),
            "",
            "",
            "",
            &b.verdicts.to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
