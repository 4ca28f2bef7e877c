//! Rendering a [`Report`] in the format a reader asked for; one module per format.

pub mod csv;
pub mod json;
pub mod markdown;
mod model;

pub use model::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Json,
    Csv,
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Md => markdown::render(report),
        Format::Json => json::render(report),
        Format::Csv => csv::render(report),
    }
}

/// A score as a person reads it: `72.5%`, or `n/a` when nothing was scored.
pub fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| format!("{p:.1}%"))
}
