//! `concord validate`: the officer's pre-flight. Checks activity files against the rules'
//! parties, vocabulary and period without evaluating anything, and prints every problem as
//! `file:line:col: severity[code]: message (hint)`, then a summary; or, with `--format
//! json|sarif`, one document of every finding for CI.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::lint::FindingsFormat;
use super::{render_input_error, Exit, Failure, RulesArg};
use concord::activity::{
    ingest_each, Activity, IdRef, Record, Reject, RowRef, Sink, Validator, Warning,
};
use concord::evaluate::Index;
use concord::findings::{sarif, FileCount, Finding, Findings, Listing, Spill};

#[derive(Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    /// The date a run would judge as of (rows after it are outside the window)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Activity files: CSV, or a workbook (FILE.xlsx, FILE.ods#Sheet)
    #[arg(value_name = "FILE", required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: FindingsFormat,
}

/// Gathers every problem for the machine formats' one document, on disk as it comes.
struct Collect {
    findings: Spill,
    index: Index,
}

impl Sink for Collect {
    fn accept(&mut self, activity: &Activity<'_>, _row: RowRef, _id: IdRef) -> bool {
        counts(&self.index, activity)
    }
    fn withdraw(&mut self, activity: &Activity<'_>, _id: IdRef) -> bool {
        counts(&self.index, activity)
    }
    fn reject(&mut self, file: &str, r: &Reject, _record: &Record) {
        self.findings.push(&Finding::reject(file, r));
    }
    fn reads_warnings(&self) -> bool {
        true
    }
    fn warn(&mut self, file: &str, w: &Warning) {
        self.findings.push(&Finding::warn(file, w));
    }
}

/// Whether the row counts towards any commitment (the rest are reported as unmatched).
fn counts(index: &Index, activity: &Activity<'_>) -> bool {
    !index.targets(activity.kind, activity.subject).is_empty()
}

/// `validate --format json|sarif`: the same exit codes as the text, one document on stdout.
fn run_collected(
    args: &ValidateArgs,
    validator: &Validator<'_>,
    index: Index,
) -> Result<Exit, Failure> {
    let spill = Spill::new().map_err(unkept)?;
    let mut sink = Collect {
        findings: spill,
        index,
    };
    let results = ingest_each(validator, &args.files, &mut sink);
    let mut spill = sink.findings;
    let mut findings = Findings::new("validate");
    let (mut rejected, mut unreadable) = (0, 0);
    for (result, path) in results.iter().zip(&args.files) {
        match result {
            Ok(s) => {
                rejected += s.rejected;
                findings.files.push(FileCount {
                    path: s.path.clone(),
                    sha256: Some(s.sha256.clone()),
                    rows: s.rows,
                    accepted: s.accepted,
                    rejected: s.rejected,
                    warnings: s.warnings_by_code.values().sum(),
                });
            }
            Err(e) => {
                unreadable += 1;
                spill.push(&Finding::unreadable(e));
                findings.files.push(FileCount {
                    path: path.display().to_string(),
                    sha256: None,
                    rows: 0,
                    accepted: 0,
                    rejected: 0,
                    warnings: 0,
                });
            }
        }
    }
    (findings.errors, findings.warnings) = spill.finish().map_err(unkept)?;
    args.format
        .write_listed(&findings, Listing::Spilled(&spill), sarif::Columns::Fields)?;
    Ok(exit(unreadable, rejected))
}

/// The findings could not be kept in the temporary directory until the document is written.
fn unkept(e: std::io::Error) -> Failure {
    Failure::Output(format!(
        "cannot keep the findings in {} until they are written ({e}): set TMPDIR to a \
         directory with room, or use --format text, which keeps none",
        std::env::temp_dir().display()
    ))
}

fn exit(unreadable: u64, rejected: u64) -> Exit {
    if unreadable > 0 {
        Exit::UnreadableInput
    } else if rejected > 0 {
        Exit::Findings
    } else {
        Exit::Ok
    }
}

/// Prints each problem as it is found; the index only tells which rows count towards nothing.
struct Printer<W: Write> {
    out: W,
    index: Index,
    /// Set once stdout is gone (`concord validate x.csv | head`): stop printing, keep counting.
    closed: bool,
    warnings: u64,
}

impl<W: Write> Printer<W> {
    fn line(&mut self, text: std::fmt::Arguments<'_>) {
        if !self.closed && writeln!(self.out, "{text}").is_err() {
            self.closed = true;
        }
    }
}

/// `file:line:col` or `file:line` where no column is to blame; `book.xlsx:Sheet!C12` in a
/// workbook.
fn place(file: &str, line: u64, column: Option<usize>) -> String {
    if let Some(cell) = concord::activity::workbook::place(file, line, column) {
        return cell;
    }
    match column {
        Some(c) => format!("{file}:{line}:{c}"),
        None => format!("{file}:{line}"),
    }
}

fn hint(h: &Option<String>) -> String {
    h.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
}

impl<W: Write> Sink for Printer<W> {
    fn accept(&mut self, activity: &Activity<'_>, _row: RowRef, _id: IdRef) -> bool {
        counts(&self.index, activity)
    }
    fn withdraw(&mut self, activity: &Activity<'_>, _id: IdRef) -> bool {
        counts(&self.index, activity)
    }
    fn reject(&mut self, file: &str, r: &Reject, _record: &Record) {
        let at = place(file, r.line, r.column);
        self.line(format_args!(
            "{at}: error[{}]: {}{}",
            r.code,
            r.message,
            hint(&r.hint)
        ));
    }
    fn reads_warnings(&self) -> bool {
        true
    }
    fn warn(&mut self, file: &str, w: &Warning) {
        self.warnings += 1;
        let at = place(file, w.line, w.column);
        self.line(format_args!(
            "{at}: warning[{}]: {}{}",
            w.code,
            w.message,
            hint(&w.hint)
        ));
    }
}

pub fn run(args: ValidateArgs) -> Result<Exit, Failure> {
    let engine = args.rules.load()?;
    let as_of = args.as_of.unwrap_or_else(|| engine.default_as_of());
    let validator = Validator::new(&engine.catalogue, as_of);
    if args.format != FindingsFormat::Text {
        return run_collected(&args, &validator, Index::new(&engine.catalogue));
    }
    let mut printer = Printer {
        out: std::io::BufWriter::new(std::io::stdout().lock()),
        index: Index::new(&engine.catalogue),
        closed: false,
        warnings: 0,
    };
    let results = ingest_each(&validator, &args.files, &mut printer);
    let (mut rows, mut accepted, mut rejected, mut unmatched, mut unreadable) = (0, 0, 0, 0, 0);
    for result in &results {
        match result {
            Ok(s) => {
                rows += s.rows;
                accepted += s.accepted;
                rejected += s.rejected;
                unmatched += s.unmatched;
                let warnings: u64 = s.warnings_by_code.values().sum();
                printer.line(format_args!(
                    "{}: {} row{}: {} accepted, {} rejected, {} warning{}{}",
                    s.path,
                    s.rows,
                    if s.rows == 1 { "" } else { "s" },
                    s.accepted,
                    s.rejected,
                    warnings,
                    if warnings == 1 { "" } else { "s" },
                    if s.unmatched > 0 {
                        format!(
                            "; {} accepted row(s) count towards no commitment",
                            s.unmatched
                        )
                    } else {
                        String::new()
                    }
                ));
            }
            Err(e) => {
                unreadable += 1;
                let text = render_input_error(e);
                printer.line(format_args!("{}", text.trim_end()));
            }
        }
    }
    let verdict = if unreadable > 0 {
        "fix the unreadable file(s) before sending"
    } else if rejected > 0 {
        "fix the rejected rows before sending"
    } else {
        "ready to send"
    };
    let files = results.len();
    let warnings = printer.warnings;
    let mut parts = vec![
        format!("{files} file{}", if files == 1 { "" } else { "s" }),
        format!("{rows} row{}", if rows == 1 { "" } else { "s" }),
        format!("{accepted} accepted"),
        format!("{rejected} rejected"),
        format!("{warnings} warning{}", if warnings == 1 { "" } else { "s" }),
    ];
    if unmatched > 0 {
        parts.push(format!("{unmatched} accepted counting towards nothing"));
    }
    if unreadable > 0 {
        parts.push(format!("{unreadable} unreadable"));
    }
    printer.line(format_args!("validate: {}: {verdict}", parts.join(", ")));
    if !printer.closed && printer.out.flush().is_err() {
        printer.closed = true;
    }
    Ok(exit(unreadable, rejected))
}
