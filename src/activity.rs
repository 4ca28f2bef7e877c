//! Activity reports: the CSV files monitoring officers send, read as a stream of validated rows.

mod columns;
mod converting;
mod dataset;
mod duplicates;
mod err;
mod guard;
mod holding;
mod ids;
mod ingest;
mod record;
mod reject;
mod scan;
mod validate;
pub mod workbook;
mod zeroed;

use chrono::NaiveDate;
use smallvec::SmallVec;

pub use columns::{Columns, COLUMNS, REQUIRED};
pub use dataset::{declared, Dataset, Nature};
pub use err::InputError;
pub(crate) use ids::prefetch;
pub use ids::{Id, IdRef, IdText, Ids};
pub use ingest::{ingest_each, ingest_files, FileStats, Sink};
pub use record::{Fields, Record};
pub use reject::{Reject, RejectCode, Warning, WarningCode};
pub use validate::Validator;

/// One accepted row, with every key resolved to its index in the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity<'r> {
    pub id: &'r str,
    pub date: NaiveDate,
    /// Index into `Catalogue::parties`.
    pub party: u16,
    pub kind: u16,
    pub subject: Option<u16>,
    /// Most rows name at most a few partners: kept inline, a row costs no allocation.
    pub partners: SmallVec<[u16; 6]>,
    pub value: Option<f64>,
}

/// Where a row stands: which input file (by index) and which line of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowRef {
    pub file: u16,
    pub line: u32,
}
