//! Rendering a [`Report`] in the format a reader asked for; one module per format.

pub mod catalogue;
pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
mod model;
pub mod svg;

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
        Format::Csv => {
            let mut out =
                csv_preamble(&report.engine, &report.as_of, &report.rules, &report.inputs);
            out.push_str(&csv::render(report));
            out
        }
        Format::Html => html::render(report),
    }
}

/// `#` comment lines naming the engine, the as-of date and the digest of every rules and input
/// file, so that a CSV report says what produced it (csv readers skip them with `comment = '#'`).
pub fn csv_preamble(
    engine: &Engine,
    as_of: &str,
    rules: &[crate::catalogue::FileDigest],
    inputs: &[crate::activity::FileStats],
) -> String {
    let clean = |s: &str| s.replace(['\n', '\r'], " ");
    let mut out = format!(
        "# {} {}, as of {}\n",
        engine.name,
        engine.version,
        clean(as_of)
    );
    for r in rules {
        out.push_str(&format!("# rules {} sha256 {}\n", clean(&r.path), r.sha256));
    }
    for i in inputs {
        out.push_str(&format!("# input {} sha256 {}\n", clean(&i.path), i.sha256));
    }
    for (banner, path, sha) in banners(inputs) {
        out.push_str(&format!(
            "# dataset {} sha256 {}: {}\n",
            clean(&path),
            sha,
            clean(&banner)
        ));
    }
    out
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

/// A score as a person reads it: `72.5%`, or `n/a` when nothing was scored.
pub fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| format!("{p:.1}%"))
}
