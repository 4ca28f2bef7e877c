//! `concord lint`: check a rules directory and print every problem; `--format json|sarif` for a
//! rules repository's CI, which then shows each problem on its line.

use clap::{Args, ValueEnum};

use super::{output, Exit, Failure, RulesArg};
use concord::findings::{self, sarif, Findings, Listing};

/// How `lint` and `validate` print what they find.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    /// One line per problem, for a person
    Text,
    /// The findings document (`concord schema findings`)
    Json,
    /// SARIF 2.1.0, for code scanning in CI
    Sarif,
}

impl FindingsFormat {
    /// The findings in this machine format, streamed to standard output; whether it wrote them
    /// (text is printed by each command itself, as it goes).
    pub fn write(self, findings: &Findings, columns: sarif::Columns) -> Result<bool, Failure> {
        self.write_listed(findings, Listing::Held(&findings.findings), columns)
    }

    /// [`FindingsFormat::write`] of `head`'s files and counts, and the findings of `listing`.
    pub fn write_listed(
        self,
        head: &Findings,
        listing: Listing<'_>,
        columns: sarif::Columns,
    ) -> Result<bool, Failure> {
        match self {
            FindingsFormat::Text => return Ok(false),
            FindingsFormat::Json => {
                output::stream(None, &[], |w| findings::write_json(w, head, listing))?
            }
            FindingsFormat::Sarif => {
                output::stream(None, &[], |w| sarif::write(w, head, listing, columns))?
            }
        }
        Ok(true)
    }
}

#[derive(Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    #[arg(long, value_enum, default_value = "text")]
    pub format: FindingsFormat,
}

pub fn run(args: LintArgs) -> Result<Exit, Failure> {
    let engine = match (args.rules.load(), args.format) {
        (Ok(engine), _) => engine,
        (Err(Failure::Rules(errors)), format) if format != FindingsFormat::Text => {
            let findings = Findings::from_rules(&errors);
            format.write(&findings, sarif::Columns::Characters)?;
            return Ok(Exit::InvalidRules);
        }
        (Err(f), _) => return Err(f),
    };
    if args
        .format
        .write(&Findings::new("lint"), sarif::Columns::Characters)?
    {
        return Ok(Exit::Ok);
    }
    let c = &engine.catalogue;
    let edges = engine.dag.edges(c).len();
    println!(
        "ok: {} commitments in {} chapters, {} dependencies, {} parties, {} kinds, {} subjects; every quote found in {}",
        c.commitments.len(),
        c.chapters.len(),
        edges,
        c.parties.len(),
        c.vocabulary.kinds.len(),
        c.vocabulary.subjects.len(),
        c.strategy.source_path
    );
    Ok(Exit::Ok)
}
