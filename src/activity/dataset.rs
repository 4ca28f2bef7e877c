//! What an activities file declares itself to be: a `dataset.toml` beside it says whether the
//! data is illustrative or drawn from the public record, so that every report on it says so.
//! The declaration is a property of the input, never guessed from a file name.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::err::InputError;

/// The file, beside the activities, that declares them.
pub const SIDECAR: &str = "dataset.toml";

/// A dataset's declaration, as reports carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Dataset {
    /// The `dataset.toml` that declares it, and its digest.
    pub path: String,
    pub sha256: String,
    pub nature: Nature,
    pub title: String,
    /// Public record: the date up to which it was compiled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Public record: `partial` unless every fact is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Nature {
    /// Invented to exercise the engine: no verdict on it is a finding.
    Illustrative,
    /// Drawn from cited public sources.
    PublicRecord,
}

impl Dataset {
    /// The line every report on the data starts with.
    pub fn banner(&self) -> String {
        match self.nature {
            Nature::Illustrative => format!(
                "Illustrative data ({}): not an official assessment; no verdict on it is a finding.",
                self.title
            ),
            Nature::PublicRecord => format!(
                "Public record as of {}, {} coverage ({}): a verdict on a commitment without public evidence in the set is not a finding.",
                self.as_of.as_deref().unwrap_or("an unstated date"),
                self.coverage.as_deref().unwrap_or("partial"),
                self.title
            ),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    dataset: Raw,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    nature: Nature,
    title: String,
    as_of: Option<toml::value::Datetime>,
    coverage: Option<String>,
}

/// The declaration that applies to the activities file at `path`: the `dataset.toml` in its
/// directory, if there is one.
pub fn declared(path: &Path) -> Result<Option<Dataset>, InputError> {
    let sidecar = path
        .parent()
        .map_or_else(|| Path::new(SIDECAR).to_path_buf(), |d| d.join(SIDECAR));
    if !sidecar.is_file() {
        return Ok(None);
    }
    let file = sidecar.display().to_string();
    let text = std::fs::read_to_string(&sidecar).map_err(|e| InputError::Unreadable {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    let raw = toml::from_str::<File>(&text)
        .map_err(|e| {
            let line = e.span().map_or(0, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            InputError::BadDataset {
                file: file.clone(),
                line,
                reason: e.message().trim().to_string(),
            }
        })?
        .dataset;
    Ok(Some(Dataset {
        path: file,
        sha256: crate::digest::sha256_hex(text.as_bytes()),
        nature: raw.nature,
        title: raw.title,
        as_of: raw.as_of.map(|d| d.to_string()),
        coverage: raw.coverage,
    }))
}
