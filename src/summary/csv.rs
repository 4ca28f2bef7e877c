//! The CSV summary: one long table, a `section` column saying what each row is, so a
//! spreadsheet can filter it. `key` is the commitment, input file or prerequisite the row is about.
//! Written row by row, one function per section.

use std::io::Write;

use super::{Moved, Summary};

const HEADER: [&str; 10] = [
    "section", "key", "party", "chapter", "from", "to", "percent", "previous", "change", "count",
];

type Csv<W> = ::csv::Writer<W>;

pub fn render(s: &Summary) -> String {
    let mut out = Vec::new();
    let _ = write(&mut out, s);
    String::from_utf8(out).unwrap_or_default()
}

/// The summary written to `out` as it is serialised.
pub fn write<W: Write + ?Sized>(out: &mut W, s: &Summary) -> std::io::Result<()> {
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    w.write_record(HEADER)?;
    scores(&mut w, s)?;
    statuses(&mut w, s)?;
    changes(&mut w, s)?;
    data_quality(&mut w, s)?;
    blockers(&mut w, s)?;
    w.flush()
}

/// One row of the table: the columns its section does not use stay empty.
#[derive(Default)]
struct Row<'a> {
    section: &'a str,
    key: &'a str,
    party: &'a str,
    chapter: &'a str,
    from: &'a str,
    to: &'a str,
    moved: Option<&'a Moved>,
    count: Option<u64>,
}

impl Row<'_> {
    fn write<W: Write>(&self, w: &mut Csv<W>) -> std::io::Result<()> {
        let pct = |p: Option<f64>| p.map(|p| format!("{p:.1}")).unwrap_or_default();
        let (percent, previous, change) = self
            .moved
            .map(|m| (pct(m.percent), pct(m.previous), pct(m.change)))
            .unwrap_or_default();
        let count = self.count.map(|n| n.to_string()).unwrap_or_default();
        w.write_record([
            self.section,
            self.key,
            self.party,
            self.chapter,
            self.from,
            self.to,
            &percent,
            &previous,
            &change,
            &count,
        ])?;
        Ok(())
    }
}

/// Overall, each chapter, each party, and each party in each chapter.
fn scores<W: Write>(w: &mut Csv<W>, s: &Summary) -> std::io::Result<()> {
    let score = |party, chapter, moved| Row {
        section: "score",
        party,
        chapter,
        moved: Some(moved),
        ..Row::default()
    };
    score("", "", &s.overall).write(w)?;
    for c in &s.chapters {
        score("", &c.id, &c.percent).write(w)?;
    }
    for p in &s.parties {
        score(&p.code, "", &p.overall).write(w)?;
        for (c, m) in s.chapters.iter().zip(&p.chapters) {
            score(&p.code, &c.id, m).write(w)?;
        }
    }
    Ok(())
}

fn statuses<W: Write>(w: &mut Csv<W>, s: &Summary) -> std::io::Result<()> {
    for m in &s.statuses {
        Row {
            section: "status",
            to: m.status.as_str(),
            count: Some(m.count),
            ..Row::default()
        }
        .write(w)?;
    }
    Ok(())
}

/// Every changed verdict, under the name of its list.
fn changes<W: Write>(w: &mut Csv<W>, s: &Summary) -> std::io::Result<()> {
    for (section, _, list) in s.changes.sections() {
        for c in list {
            Row {
                section,
                key: &c.commitment,
                party: &c.party,
                from: c.from.map_or("", |s| s.as_str()),
                to: c.to.as_str(),
                ..Row::default()
            }
            .write(w)?;
        }
    }
    Ok(())
}

/// Per input file, its row counts and its most frequent reject reasons.
fn data_quality<W: Write>(w: &mut Csv<W>, s: &Summary) -> std::io::Result<()> {
    for f in &s.data_quality.files {
        for (what, n) in [
            ("rows", f.rows),
            ("accepted", f.accepted),
            ("rejected", f.rejected),
            ("unmatched", f.unmatched),
        ] {
            Row {
                section: "input",
                key: &f.path,
                to: what,
                count: Some(n),
                ..Row::default()
            }
            .write(w)?;
        }
        for c in &f.top_rejects {
            Row {
                section: "reject",
                key: &f.path,
                to: &c.code,
                count: Some(c.count),
                ..Row::default()
            }
            .write(w)?;
        }
    }
    Ok(())
}

fn blockers<W: Write>(w: &mut Csv<W>, s: &Summary) -> std::io::Result<()> {
    for b in &s.blockers {
        let dependants = b.dependants.join(";");
        Row {
            section: "blocker",
            key: &b.id,
            to: &dependants,
            count: Some(b.verdicts),
            ..Row::default()
        }
        .write(w)?;
    }
    Ok(())
}
