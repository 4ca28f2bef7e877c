//! Where a run's outputs go and in which format: standard output, one or more `--out FILE`
//! (each file's extension names its format), or `--formats a,b --out-dir DIR`. The data is read
//! and judged once, whatever the number of outputs.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::Failure;

/// `--format`, `--out`, `--formats` and `--out-dir`, as check and summary both take them; each
/// command words `--out-dir`'s help and adds its own constraints with `mut_arg`.
#[derive(Args)]
pub struct OutputArgs<F: OutFormat + Clone + Send + Sync + 'static> {
    /// The format (default md; with one --out, the file's extension names it)
    #[arg(long, value_enum)]
    pub format: Option<F>,
    /// Write here instead of standard output; repeat it for several formats at once, each
    /// named by its file's extension
    #[arg(long, value_name = "FILE")]
    pub out: Vec<PathBuf>,
    /// Several formats in one run (`md,json,html`), written to --out-dir
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "LIST",
        requires = "out_dir"
    )]
    pub formats: Vec<F>,
    /// Where --formats writes its files
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

impl<F: OutFormat + Clone + Send + Sync + 'static> OutputArgs<F> {
    /// What was asked for, with the format used when nothing names one.
    pub fn request(&self, default: F) -> Request<'_, F> {
        Request {
            format: self.format,
            outs: &self.out,
            formats: &self.formats,
            out_dir: self.out_dir.as_deref(),
            default,
        }
    }
}

/// A format a command can write.
pub trait OutFormat: ValueEnum + Copy + PartialEq + std::fmt::Debug {
    /// The file extension written under `--out-dir`.
    fn extension(self) -> &'static str;

    /// The format a file name's extension names (`report.json` -> json).
    fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Self::value_variants()
            .iter()
            .copied()
            .find(|f| f.extension() == ext || f.extension().ends_with(&format!(".{ext}")))
    }
}

/// One output: a format and a file (`None`: standard output).
#[derive(Debug, Clone, PartialEq)]
pub struct Target<F> {
    pub format: F,
    pub path: Option<PathBuf>,
}

/// What the user asked for, before it is resolved into [`Target`]s.
pub struct Request<'a, F> {
    pub format: Option<F>,
    pub outs: &'a [PathBuf],
    pub formats: &'a [F],
    pub out_dir: Option<&'a Path>,
    pub default: F,
}

impl<F: OutFormat> Request<'_, F> {
    /// Resolve the outputs; `name` gives a file's name in `--out-dir` from its format.
    pub fn resolve(&self, name: impl Fn(F) -> String) -> Result<Vec<Target<F>>, Failure> {
        let usage = |m: String| Err(Failure::Usage(m));
        if let Some(dir) = self.out_dir {
            if !self.outs.is_empty() {
                return usage("give --out FILE... or --out-dir DIR, not both".into());
            }
            let formats = match (self.formats, self.format) {
                ([], Some(f)) => vec![f],
                ([], None) => vec![self.default],
                (_, Some(_)) => return usage("give --format or --formats, not both".into()),
                (list, None) => dedup(list),
            };
            return Ok(formats
                .into_iter()
                .map(|format| Target {
                    format,
                    path: Some(dir.join(name(format))),
                })
                .collect());
        }
        if !self.formats.is_empty() {
            return usage("--formats writes one file per format: give --out-dir DIR too".into());
        }
        let targets = match (self.outs, self.format) {
            ([], f) => vec![Target {
                format: f.unwrap_or(self.default),
                path: None,
            }],
            ([one], f) => vec![Target {
                format: f.or_else(|| F::from_path(one)).unwrap_or(self.default),
                path: Some(one.clone()),
            }],
            (_, Some(_)) => {
                return usage(
                    "with several --out, each file's extension names its format: drop --format"
                        .into(),
                )
            }
            (many, None) => many
                .iter()
                .map(|p| match F::from_path(p) {
                    Some(format) => Ok(Target {
                        format,
                        path: Some(p.clone()),
                    }),
                    None => Err(Failure::Usage(format!(
                        "{}: the extension names no format ({})",
                        p.display(),
                        F::value_variants()
                            .iter()
                            .map(|f| format!(".{}", f.extension()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))),
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        for (i, t) in targets.iter().enumerate() {
            if targets[..i].iter().any(|u| u.path == t.path) {
                let shown = t.path.as_deref().map(Path::display);
                return usage(format!(
                    "{} is named twice among the outputs",
                    shown.map_or("standard output".to_string(), |p| p.to_string())
                ));
            }
        }
        Ok(targets)
    }
}

fn dedup<F: PartialEq + Copy>(list: &[F]) -> Vec<F> {
    let mut out: Vec<F> = Vec::with_capacity(list.len());
    for f in list {
        if !out.contains(f) {
            out.push(*f);
        }
    }
    out
}

impl OutFormat for concord::report::Format {
    fn extension(self) -> &'static str {
        concord::report::Format::extension(self)
    }
}
