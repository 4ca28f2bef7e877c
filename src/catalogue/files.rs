//! The raw files of a rules directory, from disk or from the copy embedded at build time.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{include_dir, Dir};

use super::err::{Loc, RuleErrorKind, RuleErrors};
use crate::digest::sha256_hex;

/// How the bundled catalogue's files are named.
pub const BUNDLED_ORIGIN: &str = "(bundled) rules";

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// The text of every file of a rules directory, keyed by path relative to it (`/`-separated).
#[derive(Debug, Clone)]
pub struct RuleFiles {
    /// How paths are shown in messages: `rules` for the bundled catalogue, else the directory.
    pub origin: String,
    pub files: BTreeMap<String, String>,
}

impl RuleFiles {
    /// The catalogue bundled with this build of concord: named `(bundled) rules/...` in
    /// messages and reports, so that it is never taken for a local `rules/` directory.
    pub fn bundled() -> Self {
        let mut files = BTreeMap::new();
        collect_embedded(&BUNDLED, &mut files);
        RuleFiles {
            origin: BUNDLED_ORIGIN.into(),
            files,
        }
    }

    /// A rules directory on disk; every file below it is read (a rules tree is small). The
    /// first file that cannot be read is the one problem reported.
    pub fn from_dir(dir: &Path) -> Result<Self, RuleErrors> {
        let origin = dir.display().to_string();
        let unreadable = |path: &Path, e: std::io::Error| {
            let shown = path.display().to_string();
            let error =
                Loc::file(shown.clone()).error(RuleErrorKind::Unreadable(shown, e.to_string()));
            RuleErrors {
                errors: vec![error],
            }
        };
        if !dir.is_dir() {
            return Err(unreadable(
                dir,
                std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
            ));
        }
        let mut files = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).map_err(|e| unreadable(&d, e))? {
                let path = entry.map_err(|e| unreadable(&d, e))?.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = std::fs::read(&path).map_err(|e| unreadable(&path, e))?;
                match String::from_utf8(bytes) {
                    Ok(text) => {
                        files.insert(key, text);
                    }
                    Err(e) => {
                        return Err(unreadable(
                            &path,
                            std::io::Error::new(
                                std::io::ErrorKind::InvalidData,
                                format!("not UTF-8 (at byte {})", e.utf8_error().valid_up_to()),
                            ),
                        ))
                    }
                }
            }
        }
        Ok(RuleFiles { origin, files })
    }

    /// How a file is named in messages and reports.
    pub fn display(&self, rel: &str) -> String {
        if self.origin.is_empty() {
            return rel.to_string();
        }
        format!("{}/{}", self.origin.trim_end_matches('/'), rel)
    }

    pub fn digests(&self) -> Vec<super::FileDigest> {
        self.files
            .iter()
            .map(|(p, text)| super::FileDigest {
                path: self.display(p),
                sha256: sha256_hex(text.as_bytes()),
            })
            .collect()
    }
}

fn collect_embedded(dir: &Dir<'static>, out: &mut BTreeMap<String, String>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            out.insert(
                file.path().to_string_lossy().replace('\\', "/"),
                text.to_string(),
            );
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}
