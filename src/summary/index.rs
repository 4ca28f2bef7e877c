//! The index of a multi-year run: each year's file and the trajectory of every percent.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::file_name;
use crate::activity::FileStats;
use crate::catalogue::FileDigest;
use crate::report::{self, percent, Format, Provenance, Report, StrategyInfo};

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct SummaryIndex {
    /// The version of the JSON contract (`concord schema` prints it).
    #[serde(default)]
    pub schema_version: crate::schema::SchemaVersion,
    pub engine: report::EngineInfo,
    pub strategy: StrategyInfo,
    pub from: i32,
    pub to: i32,
    /// The as-of date of the last year: the state the input was validated against.
    pub as_of: String,
    pub rules: Vec<FileDigest>,
    pub inputs: Vec<FileStats>,
    pub years: Vec<i32>,
    /// Overall percent per year, parallel to `years`.
    pub overall: Vec<Option<f64>>,
    /// Parties with a score in at least one year.
    pub parties: Vec<Trajectory>,
    pub chapters: Vec<Trajectory>,
}

/// One series of percents, parallel to [`SummaryIndex::years`].
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Trajectory {
    pub code: String,
    pub name: String,
    pub percent: Vec<Option<f64>>,
}

impl SummaryIndex {
    pub fn new(from: i32, to: i32) -> SummaryIndex {
        SummaryIndex {
            schema_version: Default::default(),
            engine: report::EngineInfo::current(),
            strategy: StrategyInfo {
                title: String::new(),
                start: String::new(),
                end: String::new(),
            },
            from,
            to,
            as_of: String::new(),
            rules: vec![],
            inputs: vec![],
            years: vec![],
            overall: vec![],
            parties: vec![],
            chapters: vec![],
        }
    }

    /// Add the report as of a year's end; years are added in order.
    pub fn add(&mut self, year: i32, r: &Report) {
        let n = self.years.len();
        self.engine = r.engine.clone();
        self.strategy = r.strategy.clone();
        self.as_of = r.as_of.clone();
        self.rules = r.rules.clone();
        self.inputs = r.inputs.clone();
        self.years.push(year);
        self.overall.push(r.overall.percent);
        let series = |list: &mut Vec<Trajectory>, code: &str, name: &str, p: Option<f64>| {
            let i = match list.iter().position(|t| t.code == code) {
                Some(i) => i,
                None => {
                    list.push(Trajectory {
                        code: code.to_string(),
                        name: name.to_string(),
                        percent: vec![None; n],
                    });
                    list.len() - 1
                }
            };
            list[i].percent.push(p);
        };
        for p in &r.parties {
            series(&mut self.parties, &p.code, &p.name, p.percent);
        }
        for c in &r.chapters {
            series(&mut self.chapters, &c.id, &c.title, c.percent);
        }
        for t in self.parties.iter_mut().chain(self.chapters.iter_mut()) {
            t.percent.resize(n + 1, None);
        }
    }

    /// Drop the parties never scored (observers, partners): rows of `n/a` help no one.
    pub fn finish(&mut self) {
        self.parties
            .retain(|t| t.percent.iter().any(Option::is_some));
        self.parties.sort_by(|a, b| a.code.cmp(&b.code));
    }
}

/// Render the index; links name the yearly files written beside it in the same format.
pub fn render_index(index: &SummaryIndex, format: Format) -> String {
    match format {
        Format::Md => markdown(index, format),
        Format::Json => report::json::to_string(index),
        Format::Csv => csv(index),
        Format::Html => super::html::render_index(index),
    }
}

/// The index in `format` written to `out`: json and csv as they are serialised, md and html as
/// one text.
pub fn write_index<W: std::io::Write + ?Sized>(
    out: &mut W,
    index: &SummaryIndex,
    format: Format,
) -> std::io::Result<()> {
    match format {
        Format::Json => report::json::write(out, index),
        Format::Csv => write_csv(out, index),
        Format::Md | Format::Html => out.write_all(render_index(index, format).as_bytes()),
    }
}

fn markdown(ix: &SummaryIndex, format: Format) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} — yearly summaries {} to {}\n",
        ix.strategy.title, ix.from, ix.to
    );
    super::markdown::write_provenance(&mut out, &Provenance::of_index(ix));
    let _ = writeln!(out, "## Years\n");
    for y in &ix.years {
        let f = file_name(*y, format);
        let _ = writeln!(out, "- [{y}]({f})");
    }
    let _ = writeln!(out, "\n## Trajectory\n");
    trajectory_table(&mut out, "party", &ix.years, &ix.parties, &ix.overall);
    let _ = writeln!(out, "\n## Chapters\n");
    trajectory_table(&mut out, "chapter", &ix.years, &ix.chapters, &ix.overall);
    out
}

fn trajectory_table(
    out: &mut String,
    what: &str,
    years: &[i32],
    rows: &[Trajectory],
    overall: &[Option<f64>],
) {
    let _ = write!(out, "| {what} |");
    for y in years {
        let _ = write!(out, " {y} |");
    }
    let _ = write!(out, "\n|---|");
    for _ in years {
        let _ = write!(out, "---:|");
    }
    let _ = writeln!(out);
    for t in rows {
        let _ = write!(out, "| {} |", t.code);
        for p in &t.percent {
            let _ = write!(out, " {} |", percent(*p));
        }
        let _ = writeln!(out);
    }
    let _ = write!(out, "| **overall** |");
    for p in overall {
        let _ = write!(out, " **{}** |", percent(*p));
    }
    let _ = writeln!(out);
}

impl SummaryIndex {
    /// What produced the index, for the provenance file beside a CSV index.
    pub fn provenance(&self) -> String {
        report::provenance_csv(&self.engine, &self.as_of, &self.rules, &self.inputs)
    }
}

fn csv(ix: &SummaryIndex) -> String {
    let mut out = Vec::new();
    let _ = write_csv(&mut out, ix);
    String::from_utf8(out).unwrap_or_default()
}

/// A row per series: overall, then every party and chapter, a percent per year.
fn write_csv<W: std::io::Write + ?Sized>(out: &mut W, ix: &SummaryIndex) -> std::io::Result<()> {
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    let mut header = vec!["series".to_string(), "code".into(), "name".into()];
    header.extend(ix.years.iter().map(|y| y.to_string()));
    w.write_record(&header)?;
    let cell = |p: &Option<f64>| p.map(|p| format!("{p:.1}")).unwrap_or_default();
    let mut row = vec!["overall".to_string(), String::new(), String::new()];
    row.extend(ix.overall.iter().map(cell));
    w.write_record(&row)?;
    for (series, list) in [("party", &ix.parties), ("chapter", &ix.chapters)] {
        for t in list {
            row.clear();
            row.extend([series.to_string(), t.code.clone(), t.name.clone()]);
            row.extend(t.percent.iter().map(cell));
            w.write_record(&row)?;
        }
    }
    w.flush()
}

impl<'a> Provenance<'a> {
    pub fn of_index(ix: &'a SummaryIndex) -> Provenance<'a> {
        Provenance {
            engine: &ix.engine,
            strategy: &ix.strategy,
            as_of: &ix.as_of,
            rules: &ix.rules,
            inputs: &ix.inputs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_party_that_appears_late_gets_gaps_before() {
        let mut r = report::sample::report("2016-12-31", vec![]);
        r.parties.clear();
        r.overall.percent = Some(10.0);
        r.overall.scored = 1;
        let mut ix = SummaryIndex::new(2016, 2017);
        ix.add(2016, &r);
        r.parties.push(report::PartyScore {
            code: "IND".into(),
            name: "India".into(),
            score: Some(0.0),
            percent: Some(50.0),
            counts: Default::default(),
        });
        r.as_of = "2017-12-31".into();
        ix.add(2017, &r);
        ix.finish();
        assert_eq!(ix.parties.len(), 1);
        assert_eq!(ix.parties[0].percent, vec![None, Some(50.0)]);
        assert_eq!(ix.overall, vec![Some(10.0), Some(10.0)]);
        assert_eq!(ix.as_of, "2017-12-31");
    }
}
