//! `concord lint`: check a rules directory and print every problem.

use clap::Args;

use super::{Exit, Failure, RulesArg};

#[derive(Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub rules: RulesArg,
}

pub fn run(args: LintArgs) -> Result<Exit, Failure> {
    let engine = args.rules.load()?;
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
