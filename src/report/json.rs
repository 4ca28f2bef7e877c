//! The JSON report: the machine-readable contract (`diff` reads it back). Written as it is
//! serialised: with [`Evidence::Ledger`] every id comes from the ledger as it is written, so no
//! model of every id is built.

use std::io::Write;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use super::{CommitmentReport, Evidence, Report, ResultReport};

/// Pretty JSON with a final newline: the one way every JSON output of concord is written.
/// Through a buffer of its own: the serialiser writes a few bytes at a time (a report writes
/// millions of ids), and `out` is often a `dyn Write` that would take a call for each.
pub fn write<W: Write + ?Sized, T: Serialize + ?Sized>(
    out: &mut W,
    value: &T,
) -> std::io::Result<()> {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut buffered,
        Pretty::default(),
    ))?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// serde_json's pretty layout (a line per value, two spaces a level), with each line's break
/// and indent written in one piece instead of a write per level: a report puts millions of
/// ids on lines of their own.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

/// A comma, a line break, and the indent of the deepest level written in one piece.
const LINE: [u8; 2 + 2 * 32] = {
    let mut line = [b' '; 2 + 2 * 32];
    line[0] = b',';
    line[1] = b'\n';
    line
};

impl Pretty {
    /// A line break (after a comma when `comma`), then the indent of the current level.
    fn line<W: Write + ?Sized>(&self, out: &mut W, comma: bool) -> std::io::Result<()> {
        let from = usize::from(!comma);
        match LINE.get(from..2 + 2 * self.depth) {
            Some(line) => out.write_all(line),
            None => {
                out.write_all(&LINE[from..2])?;
                (0..self.depth).try_for_each(|_| out.write_all(b"  "))
            }
        }
    }

    fn open<W: Write + ?Sized>(&mut self, out: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    /// A closing bracket, on a line of its own after the values, if there were any.
    fn close<W: Write + ?Sized>(&mut self, out: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(out, false)?;
        }
        out.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: Write + ?Sized>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(out, !first)
    }

    fn end_array_value<W: Write + ?Sized>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: Write + ?Sized>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(out, !first)
    }

    fn begin_object_value<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: Write + ?Sized>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// [`write`] into a string, for the outputs that are small.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    if let Err(e) = write(&mut out, value) {
        return format!("{{\"error\": \"{e}\"}}\n");
    }
    String::from_utf8(out).unwrap_or_default()
}

pub fn render(report: &Report) -> String {
    to_string(report)
}

/// The report written to `out`, its evidence ids read from `evidence`.
pub fn write_report<W: Write + ?Sized>(
    out: &mut W,
    report: &Report,
    evidence: Evidence<'_>,
) -> std::io::Result<()> {
    match evidence {
        Evidence::Listed => write(out, report),
        Evidence::Ledger(_) | Evidence::Ahead(_) => write(out, &View { report, evidence }),
    }
}

pub fn parse(text: &str) -> Result<Report, serde_json::Error> {
    serde_json::from_str(text)
}

/// A report whose results list the ids `evidence` gives: the fields, order and skips of the
/// derived `Serialize` of [`Report`] (the tests compare the two byte for byte).
struct View<'a> {
    report: &'a Report,
    evidence: Evidence<'a>,
}

impl Serialize for View<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.report;
        let mut st = s.serialize_struct("Report", 13)?;
        st.serialize_field("schema_version", &r.schema_version)?;
        st.serialize_field("engine", &r.engine)?;
        st.serialize_field("strategy", &r.strategy)?;
        st.serialize_field("as_of", &r.as_of)?;
        st.serialize_field("rules", &r.rules)?;
        st.serialize_field("inputs", &r.inputs)?;
        match &r.assessments {
            Some(a) => st.serialize_field("assessments", a)?,
            None => st.skip_field("assessments")?,
        }
        if r.restricted_to.is_empty() {
            st.skip_field("restricted_to")?;
        } else {
            st.serialize_field("restricted_to", &r.restricted_to)?;
        }
        st.serialize_field("overall", &r.overall)?;
        st.serialize_field("parties", &r.parties)?;
        st.serialize_field("chapters", &r.chapters)?;
        st.serialize_field("commitments", &Commitments(self))?;
        st.end()
    }
}

struct Commitments<'v, 'a>(&'v View<'a>);

impl Serialize for Commitments<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        s.collect_seq(
            view.report
                .commitments
                .iter()
                .enumerate()
                .map(|(at, c)| CommitmentView { view, at, c }),
        )
    }
}

struct CommitmentView<'v, 'a> {
    view: &'v View<'a>,
    at: usize,
    c: &'a CommitmentReport,
}

impl Serialize for CommitmentView<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.c;
        let mut st = s.serialize_struct("CommitmentReport", 8)?;
        st.serialize_field("id", &c.id)?;
        st.serialize_field("title", &c.title)?;
        st.serialize_field("chapter", &c.chapter)?;
        st.serialize_field("scope", &c.scope)?;
        st.serialize_field("score", &c.score)?;
        st.serialize_field("percent", &c.percent)?;
        st.serialize_field("counts", &c.counts)?;
        st.serialize_field("results", &Results(self))?;
        st.end()
    }
}

struct Results<'c, 'v, 'a>(&'c CommitmentView<'v, 'a>);

impl Serialize for Results<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        s.collect_seq(c.c.results.iter().map(|r| ResultView {
            evidence: c.view.evidence,
            at: c.at,
            r,
        }))
    }
}

struct ResultView<'a> {
    evidence: Evidence<'a>,
    at: usize,
    r: &'a ResultReport,
}

impl Serialize for ResultView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.r;
        let mut st = s.serialize_struct("ResultReport", 9)?;
        st.serialize_field("party", &r.party)?;
        st.serialize_field("status", &r.status)?;
        st.serialize_field("evidence", &Ids(self))?;
        // Every id is listed, so there is no total apart.
        st.skip_field("evidence_total")?;
        st.serialize_field("blocked_by", &r.blocked_by)?;
        if r.warnings.is_empty() {
            st.skip_field("warnings")?;
        } else {
            st.serialize_field("warnings", &r.warnings)?;
        }
        if r.reasons.is_empty() {
            st.skip_field("reasons")?;
        } else {
            st.serialize_field("reasons", &r.reasons)?;
        }
        match &r.computed {
            Some(c) => st.serialize_field("computed", c)?,
            None => st.skip_field("computed")?,
        }
        match &r.assessment {
            Some(a) => st.serialize_field("assessment", a)?,
            None => st.skip_field("assessment")?,
        }
        st.end()
    }
}

struct Ids<'r, 'a>(&'r ResultView<'a>);

impl Serialize for Ids<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.evidence.ids(self.0.at, self.0.r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout is serde_json's own pretty one, byte for byte: empty and nested arrays and
    /// objects, and nesting deeper than the indent written in one piece.
    #[test]
    fn lines_are_serde_jsons_pretty_ones() {
        let mut deep = serde_json::json!(["bottom", {}]);
        for level in 0..40 {
            deep = serde_json::json!({ "level": level, "inner": deep, "empty": [] });
        }
        let value = serde_json::json!({
            "ids": ["A1", "A\"2", "é"],
            "none": [],
            "nothing": {},
            "deep": deep,
        });
        let ours = to_string(&value);
        let theirs = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
        assert!(ours.lines().count() > 100);
        assert_eq!(ours, theirs);
    }
}
