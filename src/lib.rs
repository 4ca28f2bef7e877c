//! concord: how far the states of an international organisation implemented what they
//! committed to.
//!
//! A run loads a rule [`catalogue`], orders its commitments in a dependency [`graph`], streams
//! the officers' [`activity`] files once into a [`evaluate::Ledger`], judges every commitment for
//! every party as of a date ([`evaluate`]), and renders a [`report`].

pub mod activity;
pub mod assessment;
pub mod catalogue;
pub mod coverage;
pub mod diff;
pub mod digest;
pub mod evaluate;
pub mod findings;
pub mod graph;
mod lines;
pub mod report;
pub mod run;
pub mod schema;
pub mod suggest;
pub mod summary;
mod variants;

/// The version named in every report header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
