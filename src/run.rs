//! One run end to end: load the rules, stream the activities once, keep the ledger.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use csv::ByteRecord;

use crate::activity::{ingest_files, FileStats, InputError, Record, Reject, Sink, Validator};
use crate::assessment::{AssessmentErrors, Assessments};
use crate::catalogue::{self, Catalogue, ExemptionErrors, RuleErrors, RuleFiles};
use crate::evaluate::{evaluate, Evaluation, Ledger};
use crate::graph::Dag;
use crate::report::{Detail, Report, Run};

/// A loaded, checked catalogue with its dependency order.
pub struct Engine {
    pub catalogue: Catalogue,
    pub dag: Dag,
}

impl Engine {
    /// The bundled catalogue, or the rules directory given.
    pub fn load(rules: Option<&Path>) -> Result<Engine, RuleErrors> {
        let files = match rules {
            Some(dir) => RuleFiles::from_dir(dir)?,
            None => RuleFiles::bundled(),
        };
        Engine::from_files(&files)
    }

    pub fn from_files(files: &RuleFiles) -> Result<Engine, RuleErrors> {
        let (catalogue, dag) = catalogue::load(files)?;
        Ok(Engine { catalogue, dag })
    }

    /// Add the exemptions of a file given apart from the rules; the file is named among the
    /// rules files of every report, with its digest.
    pub fn exempt(&mut self, path: &Path) -> Result<(), ExemptionErrors> {
        let (exemptions, digest) = catalogue::load_exemptions(path, &self.catalogue)?;
        self.catalogue.exemptions.extend(exemptions);
        self.catalogue.files.push(digest);
        Ok(())
    }

    /// The as-of date a run uses when none is given: the strategy's end, never the wall clock.
    pub fn default_as_of(&self) -> NaiveDate {
        self.catalogue.strategy.end
    }

    /// Read every activity file once into a ledger; rejects go to `rejects` as they are found.
    pub fn ingest(
        &self,
        paths: &[PathBuf],
        as_of: NaiveDate,
        rejects: &mut dyn RejectSink,
    ) -> Result<Ingested, InputError> {
        let validator = Validator::new(&self.catalogue, as_of);
        let mut collector = Collector {
            ledger: Ledger::new(&self.catalogue),
            rejects,
        };
        let (mut stats, ids) = ingest_files(&validator, paths, &mut collector)?;
        for (s, path) in stats.iter_mut().zip(paths) {
            s.dataset = crate::activity::declared(path)?;
        }
        let mut ledger = collector.ledger;
        ledger.finish(ids);
        Ok(Ingested {
            ledger,
            stats,
            assessments: Assessments::default(),
        })
    }

    pub fn evaluate(&self, ingested: &Ingested, as_of: NaiveDate) -> Evaluation {
        evaluate(
            &self.catalogue,
            &self.dag,
            &ingested.ledger,
            &ingested.assessments,
            as_of,
        )
    }

    /// The report with every evidence id.
    pub fn report(&self, ingested: &Ingested, as_of: NaiveDate) -> Report {
        self.report_with(ingested, as_of, Detail::Full)
    }

    pub fn report_with(&self, ingested: &Ingested, as_of: NaiveDate, detail: Detail) -> Report {
        self.report_of(ingested, &self.evaluate(ingested, as_of), detail)
    }

    pub fn report_of(
        &self,
        ingested: &Ingested,
        evaluation: &Evaluation,
        detail: Detail,
    ) -> Report {
        Report::build(
            &self.catalogue,
            evaluation,
            &ingested.ledger,
            &ingested.stats,
            &ingested.assessments,
            detail,
        )
    }

    /// What a report of `evaluation` is built from, for writing it with every evidence id
    /// read from the ledger ([`crate::report::Evidence::Ledger`]).
    pub fn run<'a>(&'a self, ingested: &'a Ingested, evaluation: &'a Evaluation) -> Run<'a> {
        Run {
            catalogue: &self.catalogue,
            evaluation,
            ledger: &ingested.ledger,
        }
    }

    /// The ids of the evidence rows a verdict has in `current` and did not have in `previous`,
    /// compared on ledger rows, so that no report needs to list every id to tell.
    pub fn evidence_added(
        &self,
        ingested: &Ingested,
        previous: &Evaluation,
        current: &Evaluation,
        commitment: &str,
        party: &str,
    ) -> Vec<String> {
        let cat = &self.catalogue;
        let (Some(ci), Some(p)) = (
            cat.commitment_index(commitment),
            cat.parties.iter().position(|x| x.code == party),
        ) else {
            return Vec::new();
        };
        let rows = |e: &Evaluation| {
            e.verdict(ci, p as u16)
                .map(|v| v.evidence.clone())
                .unwrap_or_default()
        };
        // Evidence is in rank order, so membership is a binary search.
        let had = rows(previous);
        rows(current)
            .iter()
            .filter(|r| had.binary_search(r).is_err())
            .map(|&r| ingested.ledger.id(r).to_string())
            .collect()
    }
}

pub struct Ingested {
    pub ledger: Ledger,
    pub stats: Vec<FileStats>,
    /// The analyst's verdicts that replace computed ones (none unless `--assessments`).
    pub assessments: Assessments,
}

impl Ingested {
    /// Adopt the assessments of an analyst, once every id they cite is known to be a row of
    /// this run.
    pub fn assess(&mut self, assessments: Assessments) -> Result<(), AssessmentErrors> {
        assessments.check_evidence(self.ledger.ids())?;
        self.assessments = assessments;
        Ok(())
    }
}

impl Ingested {
    pub fn rejected(&self) -> u64 {
        self.stats.iter().map(|s| s.rejected).sum()
    }
}

/// Where rejected rows go (warnings are counted in the file statistics; `concord validate`
/// spells them out).
pub trait RejectSink {
    fn reject(&mut self, file: &str, reject: &Reject, record: &Record);
}

/// Discards rejects (they are still counted in the file statistics).
pub struct Discard;

impl RejectSink for Discard {
    fn reject(&mut self, _: &str, _: &Reject, _: &Record) {}
}

/// The rejects file: file, line, code, reason, hint, then the row's original fields byte for byte.
pub struct RejectsCsv<W: Write> {
    writer: csv::Writer<W>,
    pub error: Option<std::io::Error>,
}

pub const REJECTS_HEADER: [&str; 5] = ["file", "line", "code", "reason", "hint"];

impl<W: Write> RejectsCsv<W> {
    pub fn new(inner: W) -> Self {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(inner);
        let error = writer
            .write_record(REJECTS_HEADER)
            .err()
            .map(std::io::Error::from);
        RejectsCsv { writer, error }
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.writer.flush()?;
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: Write> RejectSink for RejectsCsv<W> {
    fn reject(&mut self, file: &str, r: &Reject, record: &Record) {
        if self.error.is_some() {
            return;
        }
        let line = r.line.to_string();
        let mut row = ByteRecord::new();
        for f in [
            file,
            &line,
            r.code.as_str(),
            &r.message,
            r.hint.as_deref().unwrap_or(""),
        ] {
            row.push_field(f.as_bytes());
        }
        for f in record {
            row.push_field(f);
        }
        if let Err(e) = self.writer.write_byte_record(&row) {
            self.error = Some(e.into());
        }
    }
}

struct Collector<'a> {
    ledger: Ledger,
    rejects: &'a mut dyn RejectSink,
}

impl Sink for Collector<'_> {
    fn accept(
        &mut self,
        activity: &crate::activity::Activity<'_>,
        row: crate::activity::RowRef,
        id: crate::activity::IdRef,
    ) -> bool {
        self.ledger.accept(activity, row, id)
    }
    fn reject(&mut self, file: &str, reject: &Reject, record: &Record) {
        self.rejects.reject(file, reject, record);
    }
    fn withdraw(
        &mut self,
        activity: &crate::activity::Activity<'_>,
        id: crate::activity::IdRef,
    ) -> bool {
        self.ledger.withdraw(activity, id)
    }
}
