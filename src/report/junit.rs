//! The status report as JUnit XML, the format CI dashboards chart: a test suite per chapter, a
//! test case per commitment x party, failing when the verdict is not_met, breached or blocked and
//! skipped when nothing is due (pending, not_applicable, exempt).

use std::fmt::Write;

use super::{Report, ResultReport};
use crate::evaluate::Status;

/// Escaped for XML 1.0: markup escaped, and the control characters XML cannot carry at all
/// (an evidence id comes from an officer's file) replaced by U+FFFD.
fn xml(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect();
    super::svg::escape(&clean)
}

enum Outcome {
    Pass,
    Fail,
    Skip,
}

fn outcome(s: Status) -> Outcome {
    match s {
        Status::Met | Status::Partial => Outcome::Pass,
        Status::NotMet | Status::Breached | Status::Blocked => Outcome::Fail,
        Status::Pending | Status::NotApplicable | Status::Exempt => Outcome::Skip,
    }
}

/// What a reader of the failure needs: the status, the evidence count, what blocks it, why.
fn detail(r: &ResultReport) -> String {
    let mut parts = vec![
        r.status.as_str().to_string(),
        format!("{} evidence row(s)", r.evidence_count()),
    ];
    if !r.blocked_by.is_empty() {
        parts.push(format!("blocked by {}", r.blocked_by.join(", ")));
    }
    parts.extend(r.reasons.iter().cloned());
    parts.join("; ")
}

pub fn render(report: &Report) -> String {
    let count = |pred: fn(Status) -> bool, results: &mut dyn Iterator<Item = &ResultReport>| {
        results.filter(|r| pred(r.status)).count()
    };
    let fails = |s| matches!(outcome(s), Outcome::Fail);
    let skips = |s| matches!(outcome(s), Outcome::Skip);
    let all = || report.commitments.iter().flat_map(|c| &c.results);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{} {}: {} as of {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
        xml(&report.engine.name),
        xml(&report.engine.version),
        xml(&report.strategy.title),
        xml(&report.as_of),
        all().count(),
        count(fails, &mut all()),
        count(skips, &mut all()),
    );
    for ch in &report.chapters {
        let commitments = report.chapter_commitments(&ch.id);
        let results = || commitments.iter().flat_map(|c| &c.results);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}: {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
            xml(&ch.id),
            xml(&ch.title),
            results().count(),
            count(fails, &mut results()),
            count(skips, &mut results()),
        );
        for c in &commitments {
            for r in &c.results {
                let _ = write!(
                    out,
                    "    <testcase classname=\"{}\" name=\"{} {}\"",
                    xml(&ch.id),
                    xml(&c.id),
                    xml(&r.party),
                );
                let text = xml(&detail(r));
                match outcome(r.status) {
                    Outcome::Pass => {
                        let _ = writeln!(out, "/>");
                    }
                    Outcome::Fail => {
                        let _ = writeln!(
                            out,
                            ">\n      <failure type=\"{}\" message=\"{}: {text}\"/>\n    </testcase>",
                            r.status.as_str(),
                            xml(&c.title),
                        );
                    }
                    Outcome::Skip => {
                        let _ = writeln!(
                            out,
                            ">\n      <skipped message=\"{text}\"/>\n    </testcase>"
                        );
                    }
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn markup_is_escaped_and_control_characters_replaced() {
        assert_eq!(xml("<a&\"b\u{1}>\t"), "&lt;a&amp;&quot;b\u{FFFD}&gt;\t");
    }
}
