//! What makes a run fail on its result, as CI users of InSpec, OPA or Prowler expect
//! (`--fail-under`, `--fail-on`), and which parties a report is about (`--party`).

use clap::Args;

use super::{Exit, Failure};
use concord::evaluate::Status;
use concord::report::Report;
use concord::run::Engine;

#[derive(Args, Clone, Debug, Default)]
pub struct GateArgs {
    /// Exit 1 when the overall percent (of the parties reported on) is below PERCENT, or when
    /// nothing was scored
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    pub fail_under: Option<f64>,
    /// Exit 1 when any verdict has one of these statuses (e.g. breached,not_met)
    #[arg(long, value_name = "STATUS", value_delimiter = ',', value_parser = status)]
    pub fail_on: Vec<Status>,
    /// Report on these parties only, scores taken over their verdicts alone (comma-separated
    /// or repeated; `SCO` for the collective verdicts)
    #[arg(long = "party", value_name = "P", value_delimiter = ',')]
    pub parties: Vec<String>,
}

fn percent(s: &str) -> Result<f64, String> {
    match s.trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{s}` is not a percent from 0 to 100")),
    }
}

fn status(s: &str) -> Result<Status, String> {
    Status::ALL
        .into_iter()
        .find(|x| x.as_str() == s.trim())
        .ok_or_else(|| {
            let all: Vec<&str> = Status::ALL.iter().map(|x| x.as_str()).collect();
            format!("`{s}` is not a status; one of {}", all.join(", "))
        })
}

impl GateArgs {
    /// Refuse a party code the rules do not know, before any input is read.
    pub fn check_parties(&self, engine: &Engine) -> Result<(), Failure> {
        let known = &engine.catalogue.parties;
        for code in &self.parties {
            if !known.iter().any(|p| &p.code == code) {
                let hint = concord::suggest::nearest(code, known.iter().map(|p| p.code.as_str()))
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                return Err(Failure::Usage(format!("unknown party `{code}`{hint}")));
            }
        }
        Ok(())
    }

    /// The report restricted to `--party`, if given.
    pub fn restrict(&self, report: &mut Report) {
        if !self.parties.is_empty() {
            report.restrict(&self.parties);
        }
    }

    /// Whether `report` fails the gates; each reason is said on stderr.
    pub fn judge(&self, report: &Report) -> Exit {
        let mut failed = false;
        if let Some(min) = self.fail_under {
            match report.overall.percent {
                Some(p) if p >= min => {}
                Some(p) => {
                    failed = true;
                    eprintln!("fail: overall {p:.1}% is under --fail-under {min}");
                }
                None => {
                    failed = true;
                    eprintln!("fail: no verdict was scored, so none reaches --fail-under {min}");
                }
            }
        }
        for &s in &self.fail_on {
            let hits: Vec<String> = report
                .commitments
                .iter()
                .flat_map(|c| {
                    c.results
                        .iter()
                        .filter(move |r| r.status == s)
                        .map(move |r| format!("{} {}", c.id, r.party))
                })
                .collect();
            if !hits.is_empty() {
                failed = true;
                const SHOWN: usize = 10;
                let more = hits.len().saturating_sub(SHOWN);
                eprintln!(
                    "fail: {} verdict{} {} {} (--fail-on): {}{}",
                    hits.len(),
                    if hits.len() == 1 { "" } else { "s" },
                    if hits.len() == 1 { "is" } else { "are" },
                    s.as_str(),
                    hits[..hits.len().min(SHOWN)].join(", "),
                    if more > 0 {
                        format!(", and {more} more")
                    } else {
                        String::new()
                    }
                );
            }
        }
        if failed {
            Exit::Findings
        } else {
            Exit::Ok
        }
    }
}

/// The worse of two outcomes.
pub fn worse(a: Exit, b: Exit) -> Exit {
    if a == Exit::Ok {
        b
    } else {
        a
    }
}
