//! Where a report's evidence ids are read when it is written: a json or csv report lists every
//! id, and reading them from the ledger as they are written keeps a model of every id (memory
//! by the evidence count) from being built.

use crate::activity::IdText;
use crate::catalogue::Catalogue;
use crate::evaluate::{Evaluation, Ledger, Verdict};

use super::ResultReport;

#[derive(Clone, Copy)]
pub enum Evidence<'a> {
    /// The ids the report lists (`ResultReport::evidence`).
    Listed,
    /// Every id of each verdict, from the run that the report was built from.
    Ledger(Run<'a>),
    /// The same ids, read ahead of the writer ([`super::ahead`]).
    Ahead(&'a (dyn ReadAhead + 'a)),
}

/// Where [`Evidence::Ahead`] reads from: a trait, so that the hand-over's own lifetime (that
/// of the run's ledger) stays out of [`Evidence`].
pub trait ReadAhead {
    fn ids<'r>(
        &'r self,
        commitment: usize,
        result: &'r ResultReport,
    ) -> Box<dyn Iterator<Item = IdText<'r>> + 'r>;
}

/// The verdict of `result`, a result of the commitment at `commitment`, in `run`.
pub(super) fn verdict_of<'l>(
    run: Run<'l>,
    commitment: usize,
    result: &ResultReport,
) -> Option<&'l Verdict> {
    let party = run
        .catalogue
        .parties
        .iter()
        .position(|p| p.code == result.party)?;
    run.evaluation.verdict(commitment, party as u16)
}

/// What a report was built from.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    pub catalogue: &'a Catalogue,
    pub evaluation: &'a Evaluation,
    pub ledger: &'a Ledger,
}

impl<'a> Evidence<'a> {
    /// The ids of `result`, a result of the report's commitment at index `commitment` (the
    /// catalogue's order, which a report keeps), in (date, id) order.
    pub fn ids<'r>(
        &self,
        commitment: usize,
        result: &'r ResultReport,
    ) -> Box<dyn Iterator<Item = IdText<'r>> + 'r>
    where
        'a: 'r,
    {
        match *self {
            Evidence::Listed => Box::new(result.evidence.iter().map(|id| IdText::Str(id))),
            Evidence::Ledger(run) => {
                let ledger = run.ledger;
                Box::new(
                    verdict_of(run, commitment, result)
                        .into_iter()
                        .flat_map(move |v| ledger.ids_of(&v.evidence)),
                )
            }
            Evidence::Ahead(ahead) => ahead.ids(commitment, result),
        }
    }
}
