//! Rendering a [`Report`] in the format a reader asked for; one module per format.

mod ahead;
pub mod catalogue;
pub mod csv;
mod evidence;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
mod model;
pub mod svg;

pub use ahead::with_ids_ahead;
pub use evidence::{Evidence, ReadAhead, Run};
pub use model::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Json,
    Csv,
    /// One self-contained page: inline CSS and SVG, no script, nothing fetched.
    Html,
}

impl Format {
    /// The file extension of this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Html => "html",
        }
    }

    /// How much evidence the format spells out: every id where a machine reads the report,
    /// the first ones and a count where a person does.
    pub fn detail(self) -> Detail {
        match self {
            Format::Json | Format::Csv => Detail::Full,
            Format::Md => Detail::Sample(3),
            Format::Html => Detail::Sample(20),
        }
    }
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Md => markdown::render(report),
        Format::Json => json::render(report),
        Format::Csv => csv::render(report),
        Format::Html => html::render(report),
    }
}

/// The report in `format` written to `out`: json and csv as they are serialised, their ids
/// read from `evidence`; md and html, which sample the ids, as one page.
pub fn write<W: std::io::Write + ?Sized>(
    out: &mut W,
    report: &Report,
    format: Format,
    evidence: Evidence<'_>,
) -> std::io::Result<()> {
    match (format, evidence) {
        (Format::Json | Format::Csv, Evidence::Ledger(run)) => {
            ahead::with_ids_ahead(report, run, |evidence| write(out, report, format, evidence))
        }
        (Format::Json, _) => json::write_report(out, report, evidence),
        (Format::Csv, _) => csv::write(out, report, evidence),
        (Format::Md | Format::Html, _) => out.write_all(render(report, format).as_bytes()),
    }
}

/// What produced a CSV output, as a CSV of its own (`item,path,sha256,detail`): the engine,
/// the as-of date, every rules and input file with its digest, and what the inputs declare
/// themselves to be. The CSV outputs stay plain tables any reader opens; this goes beside them
/// (`FILE.provenance.csv`, see [`provenance_path`]), and the JSON carries the same.
pub fn provenance_csv(
    engine: &EngineInfo,
    as_of: &str,
    rules: &[crate::catalogue::FileDigest],
    inputs: &[crate::activity::FileStats],
) -> String {
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(["item", "path", "sha256", "detail"]);
    let version = format!("{} {}", engine.name, engine.version);
    let _ = w.write_record(["engine", "", "", version.as_str()]);
    let _ = w.write_record(["as_of", "", "", as_of]);
    for r in rules {
        let _ = w.write_record(["rules", r.path.as_str(), r.sha256.as_str(), ""]);
    }
    for i in inputs {
        let detail = format!(
            "{} rows: {} accepted, {} rejected",
            i.rows, i.accepted, i.rejected
        );
        let _ = w.write_record(["input", i.path.as_str(), i.sha256.as_str(), detail.as_str()]);
    }
    for (banner, path, sha) in banners(inputs) {
        let _ = w.write_record(["dataset", path.as_str(), sha.as_str(), banner.as_str()]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Where the provenance of a CSV output at `path` goes: `x.csv` -> `x.provenance.csv`.
pub fn provenance_path(path: &std::path::Path) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}.provenance.csv"))
}

impl Report {
    pub fn provenance(&self) -> String {
        provenance_csv(&self.engine, &self.as_of, &self.rules, &self.inputs)
    }
}

/// What the inputs declare themselves to be (illustrative data, the public record), each once,
/// with the declaration's file and digest: the first thing every report says.
pub fn banners(inputs: &[crate::activity::FileStats]) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    for d in inputs.iter().filter_map(|i| i.dataset.as_ref()) {
        let b = (d.banner(), d.path.clone(), d.sha256.clone());
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// Quotes and guidelines are wrapped in the rules files; shown, they read as one line.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A score as a person reads it: `72.5%`, or `n/a` when nothing was scored.
pub fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| format!("{p:.1}%"))
}
