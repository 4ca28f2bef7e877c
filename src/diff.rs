//! What changed between two JSON status reports, for auditors and batch jobs: verdicts (both
//! statuses, evidence added and removed), scores that moved, and input or rules files whose
//! digest changed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::io::Write as _;

use serde::{Deserialize, Serialize};

use crate::catalogue::FileDigest;
use crate::evaluate::Status;
use crate::report::markdown::{code, table_head, table_row, Column};
use crate::report::percent;

mod compared;
pub use compared::{Compared, Verdict};

/// The evidence ids are borrowed from the two reports compared: two reports of 10M rows whose
/// evidence all differs list 16M ids.
#[derive(Debug, Clone, PartialEq, Default, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Diff<'a> {
    /// The version of the JSON contract (`concord schema` prints it).
    #[serde(default)]
    pub schema_version: crate::schema::SchemaVersion,
    pub old: Side,
    pub new: Side,
    #[serde(borrow)]
    pub verdicts: Vec<VerdictChange<'a>>,
    pub scores: Vec<ScoreMove>,
    pub inputs: Vec<FileChange>,
    pub rules: Vec<FileChange>,
}

/// One of the two reports: which file it is (its path as given and its SHA-256, filled in by
/// [`Diff::name`]) and what it says about itself.
#[derive(Debug, Clone, PartialEq, Default, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Side {
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub sha256: String,
    pub engine: String,
    pub as_of: String,
    /// The activity files the report was made from, with their digests.
    #[serde(default)]
    pub inputs: Vec<FileDigest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct VerdictChange<'a> {
    pub commitment: String,
    pub party: String,
    /// `None` when the verdict is absent from that report.
    pub old: Option<Status>,
    pub new: Option<Status>,
    #[serde(borrow)]
    pub evidence_added: Vec<&'a str>,
    #[serde(borrow)]
    pub evidence_removed: Vec<&'a str>,
    pub old_blocked_by: Vec<String>,
    pub new_blocked_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ScoreMove {
    /// `overall`, `party`, `chapter` or `commitment`.
    pub scope: String,
    pub id: String,
    pub old: Option<f64>,
    pub new: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct FileChange {
    pub path: String,
    /// `None` when the file is not named by that report.
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Diff<'_> {
    /// Name the two report files compared, by path and by the SHA-256 of their bytes.
    pub fn name(&mut self, old: (&str, String), new: (&str, String)) {
        for (side, (path, sha256)) in [(&mut self.old, old), (&mut self.new, new)] {
            side.path = path.to_string();
            side.sha256 = sha256;
        }
    }

    /// Equal reports (apart from the engine that produced them) have an empty diff.
    pub fn is_empty(&self) -> bool {
        self.old.as_of == self.new.as_of
            && self.verdicts.is_empty()
            && self.scores.is_empty()
            && self.inputs.is_empty()
            && self.rules.is_empty()
    }
}

fn side(r: &Compared) -> Side {
    Side {
        path: String::new(),
        sha256: String::new(),
        engine: format!("{} {}", r.engine.name, r.engine.version),
        as_of: r.as_of.clone(),
        inputs: digests(r),
    }
}

fn digests(r: &Compared) -> Vec<FileDigest> {
    r.inputs
        .iter()
        .map(|i| FileDigest {
            path: i.path.clone(),
            sha256: i.sha256.clone(),
        })
        .collect()
}

/// Compare two reports key by key; every list is sorted so the diff is stable.
pub fn diff<'a>(old: &'a Compared, new: &'a Compared) -> Diff<'a> {
    Diff {
        schema_version: Default::default(),
        old: side(old),
        new: side(new),
        verdicts: verdict_changes(old, new),
        scores: score_moves(old, new),
        inputs: file_changes(&digests(old), &digests(new)),
        rules: file_changes(&old.rules, &new.rules),
    }
}

/// Every verdict by (commitment, party).
fn verdicts(r: &Compared) -> BTreeMap<(&str, &str), &Verdict> {
    r.commitments
        .iter()
        .flat_map(|c| {
            c.results
                .iter()
                .map(move |v| ((c.id.as_str(), v.party.as_str()), v))
        })
        .collect()
}

/// Every verdict whose status, evidence or blockers differ, by (commitment, party).
fn verdict_changes<'a>(old: &'a Compared, new: &'a Compared) -> Vec<VerdictChange<'a>> {
    let (a, b) = (verdicts(old), verdicts(new));
    let keys: BTreeSet<(&str, &str)> = a.keys().chain(b.keys()).copied().collect();
    keys.into_iter()
        .map(|k| verdict_change(k, a.get(&k).copied(), b.get(&k).copied()))
        .filter(VerdictChange::differs)
        .collect()
}

fn verdict_change<'a>(
    (commitment, party): (&str, &str),
    x: Option<&'a Verdict>,
    y: Option<&'a Verdict>,
) -> VerdictChange<'a> {
    let (ex, ey) = (sorted_ids(x), sorted_ids(y));
    let (evidence_added, evidence_removed) = one_sided(&ex, &ey);
    let by = |r: Option<&Verdict>| r.map(|r| r.blocked_by.clone()).unwrap_or_default();
    VerdictChange {
        commitment: commitment.to_string(),
        party: party.to_string(),
        old: x.map(|r| r.status),
        new: y.map(|r| r.status),
        evidence_added,
        evidence_removed,
        old_blocked_by: by(x),
        new_blocked_by: by(y),
    }
}

/// A verdict's evidence ids, each once, in byte order.
fn sorted_ids(v: Option<&Verdict>) -> Vec<&str> {
    let mut ids: Vec<&str> = v.map(|v| v.evidence.iter().collect()).unwrap_or_default();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The ids only `new` has and the ids only `old` has, of two sorted lists, in order.
fn one_sided<'a>(old: &[&'a str], new: &[&'a str]) -> (Vec<&'a str>, Vec<&'a str>) {
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        match (old.get(i), new.get(j)) {
            (Some(a), Some(b)) if a == b => (i, j) = (i + 1, j + 1),
            (Some(a), Some(b)) if a < b => {
                removed.push(*a);
                i += 1;
            }
            (Some(a), None) => {
                removed.push(*a);
                i += 1;
            }
            (_, Some(b)) => {
                added.push(*b);
                j += 1;
            }
            (None, None) => break,
        }
    }
    (added, removed)
}

impl VerdictChange<'_> {
    fn differs(&self) -> bool {
        self.old != self.new
            || !self.evidence_added.is_empty()
            || !self.evidence_removed.is_empty()
            || self.old_blocked_by != self.new_blocked_by
    }
}

/// A percent by id, in each report.
type Percents = BTreeMap<String, (Option<f64>, Option<f64>)>;

fn percents(old: Vec<(String, Option<f64>)>, new: Vec<(String, Option<f64>)>) -> Percents {
    let mut m = Percents::new();
    for (k, v) in old {
        m.entry(k).or_default().0 = v;
    }
    for (k, v) in new {
        m.entry(k).or_default().1 = v;
    }
    m
}

/// Every percent that moved: overall, then by party, chapter and commitment.
fn score_moves(old: &Compared, new: &Compared) -> Vec<ScoreMove> {
    let overall = |r: &Compared| vec![("overall".to_string(), r.overall.percent)];
    let party = |r: &Compared| {
        r.parties
            .iter()
            .map(|p| (p.code.clone(), p.percent))
            .collect()
    };
    let chapter = |r: &Compared| {
        r.chapters
            .iter()
            .map(|c| (c.id.clone(), c.percent))
            .collect()
    };
    let commitment = |r: &Compared| {
        r.commitments
            .iter()
            .map(|c| (c.id.clone(), c.percent))
            .collect()
    };
    [
        ("overall", percents(overall(old), overall(new))),
        ("party", percents(party(old), party(new))),
        ("chapter", percents(chapter(old), chapter(new))),
        ("commitment", percents(commitment(old), commitment(new))),
    ]
    .into_iter()
    .flat_map(|(scope, pairs)| {
        pairs
            .into_iter()
            .filter(|(_, (o, n))| o != n)
            .map(move |(id, (old, new))| ScoreMove {
                scope: scope.into(),
                id,
                old,
                new,
            })
    })
    .collect()
}

/// Every file named by either report whose digest differs (or that only one names).
fn file_changes(old: &[FileDigest], new: &[FileDigest]) -> Vec<FileChange> {
    let mut m: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
    for f in old {
        m.entry(f.path.clone()).or_default().0 = Some(f.sha256.clone());
    }
    for f in new {
        m.entry(f.path.clone()).or_default().1 = Some(f.sha256.clone());
    }
    m.into_iter()
        .filter(|(_, (a, b))| a != b)
        .map(|(path, (old, new))| FileChange { path, old, new })
        .collect()
}

pub fn write_json(d: &Diff, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    crate::report::json::write(out, d)
}

/// The differences as Markdown, written as they are made: the table of verdicts changed lists
/// every id added and removed, and can be as large as the reports.
pub fn write_markdown(d: &Diff, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut head = String::new();
    let _ = writeln!(head, "# Differences between two concord reports\n");
    sides_table(&mut head, d);
    side_inputs(&mut head, d);
    if d.is_empty() {
        let _ = writeln!(head, "No differences.");
        out.write_all(head.as_bytes())?;
        return out.flush();
    }
    out.write_all(head.as_bytes())?;
    verdicts_section(&mut out, d)?;
    let mut rest = String::new();
    scores_section(&mut rest, d);
    for (title, list) in [("Inputs changed", &d.inputs), ("Rules changed", &d.rules)] {
        files_section(&mut rest, title, list);
    }
    out.write_all(rest.as_bytes())?;
    out.flush()
}

/// [`write_markdown`] into a string.
pub fn render_markdown(d: &Diff) -> String {
    let mut out = Vec::new();
    match write_markdown(d, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("{e}"),
    }
}

/// Which two reports are compared: path, digest, engine and as-of date.
fn sides_table(out: &mut String, d: &Diff) {
    let _ = writeln!(
        out,
        "| | report | sha256 | engine | as of |\n|---|---|---|---|---|"
    );
    for (name, side) in [("old", &d.old), ("new", &d.new)] {
        let _ = writeln!(
            out,
            "| {name} | `{}` | `{}` | {} | {} |",
            side.path, side.sha256, side.engine, side.as_of
        );
    }
    let _ = writeln!(out);
}

/// The activity files each report was made from.
fn side_inputs(out: &mut String, d: &Diff) {
    for (name, side) in [("old", &d.old), ("new", &d.new)] {
        let list: Vec<String> = side
            .inputs
            .iter()
            .map(|f| format!("`{}` (`{}`)", f.path, f.sha256))
            .collect();
        let _ = writeln!(
            out,
            "Inputs of the {name} report: {}.",
            if list.is_empty() {
                "none".to_string()
            } else {
                list.join(", ")
            }
        );
    }
    let _ = writeln!(out);
}

fn verdicts_section(out: &mut impl std::io::Write, d: &Diff) -> std::io::Result<()> {
    let st = |s: Option<Status>| s.map_or("(absent)".to_string(), |s| s.as_str().to_string());
    let in_status = d.verdicts.iter().filter(|v| v.old != v.new).count();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "## Verdicts changed ({}: {in_status} in status, {} in evidence or blockers only)\n",
        d.verdicts.len(),
        d.verdicts.len() - in_status
    );
    if d.verdicts.is_empty() {
        return out.write_all(text.as_bytes());
    }
    table_head(
        &mut text,
        [
            "commitment",
            "party",
            "old",
            "new",
            "evidence added",
            "evidence removed",
            "blocked by (old → new)",
        ]
        .map(Column::Text),
    );
    for v in &d.verdicts {
        let by = if v.old_blocked_by == v.new_blocked_by {
            v.new_blocked_by.join(", ")
        } else {
            format!(
                "{} → {}",
                v.old_blocked_by.join(", "),
                v.new_blocked_by.join(", ")
            )
        };
        table_row(
            &mut text,
            [
                v.commitment.clone(),
                v.party.clone(),
                st(v.old),
                st(v.new),
                v.evidence_added.join(", "),
                v.evidence_removed.join(", "),
                by,
            ],
        );
        out.write_all(text.as_bytes())?;
        text.clear();
    }
    writeln!(out)
}

fn scores_section(out: &mut String, d: &Diff) {
    let _ = writeln!(out, "## Scores moved ({})\n", d.scores.len());
    if d.scores.is_empty() {
        return;
    }
    table_head(
        out,
        [
            Column::Text("scope"),
            Column::Text("id"),
            Column::Number("old"),
            Column::Number("new"),
        ],
    );
    for s in &d.scores {
        table_row(
            out,
            [
                s.scope.to_string(),
                s.id.clone(),
                percent(s.old),
                percent(s.new),
            ],
        );
    }
    let _ = writeln!(out);
}

/// Input or rules files whose digest changed.
fn files_section(out: &mut String, title: &str, list: &[FileChange]) {
    let _ = writeln!(out, "## {title} ({})\n", list.len());
    if list.is_empty() {
        let _ = writeln!(out, "none\n");
        return;
    }
    table_head(out, ["file", "old sha256", "new sha256"].map(Column::Text));
    let sha = |s: &Option<String>| s.as_deref().map_or("(absent)".into(), code);
    for f in list {
        table_row(out, [code(&f.path), sha(&f.old), sha(&f.new)]);
    }
    let _ = writeln!(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{sample, Report};

    /// What `diff` reads of a report, read from its JSON as the command reads it.
    fn compared(r: &Report) -> Compared {
        match Compared::parse(&crate::report::json::to_string(r)) {
            Ok(c) => c,
            Err(e) => panic!("a report reads back: {e}"),
        }
    }

    fn report(status: Status, evidence: &[&str], sha: &str) -> Compared {
        let result = sample::result("KAZ", status, evidence, &[]);
        let commitment = sample::commitment("SEC-01", "x", "security", vec![result]);
        let mut r = sample::report("2025-12-31", vec![commitment]);
        r.rules = vec![FileDigest {
            path: "rules/a.toml".into(),
            sha256: "r".into(),
        }];
        r.inputs = vec![crate::activity::FileStats {
            path: "a.csv".into(),
            sha256: sha.into(),
            ..Default::default()
        }];
        r.overall.percent = status.score().map(|s| (f64::from(s) + 1.0) * 50.0);
        r.overall.scored = 1;
        compared(&r)
    }

    #[test]
    fn identical_reports_have_no_diff() {
        let r = report(Status::Met, &["a"], "1");
        assert!(diff(&r, &r).is_empty());
    }

    #[test]
    fn a_changed_verdict_lists_both_statuses_and_evidence() {
        let (old, new) = (
            report(Status::Partial, &["a", "b"], "1"),
            report(Status::Met, &["b", "c"], "2"),
        );
        let d = diff(&old, &new);
        assert!(!d.is_empty());
        assert_eq!(d.verdicts.len(), 1);
        let v = &d.verdicts[0];
        assert_eq!((v.old, v.new), (Some(Status::Partial), Some(Status::Met)));
        assert_eq!(v.evidence_added, ["c"]);
        assert_eq!(v.evidence_removed, ["a"]);
        assert_eq!(d.scores.len(), 1);
        assert_eq!(d.scores[0].scope, "overall");
        assert_eq!(d.inputs.len(), 1);
        assert!(d.rules.is_empty());
        let md = render_markdown(&d);
        assert!(md.contains("| SEC-01 | KAZ | partial | met | c | a |"));
    }

    #[test]
    fn what_is_not_a_whole_report_is_refused_though_diff_does_not_read_it() {
        let r = sample::report(
            "2025-12-31",
            vec![sample::commitment(
                "SEC-01",
                "x",
                "security",
                vec![sample::result("KAZ", Status::Met, &["a"], &[])],
            )],
        );
        let whole = crate::report::json::to_string(&r);
        assert!(Compared::parse(&whole).is_ok());
        let Ok(serde_json::Value::Object(top)) = serde_json::from_str(&whole) else {
            panic!("a JSON object");
        };
        for field in ["strategy", "engine", "commitments"] {
            let mut cut = top.clone();
            cut.remove(field);
            let text = serde_json::Value::Object(cut).to_string();
            let Err(e) = Compared::parse(&text) else {
                panic!("a report without `{field}` is refused");
            };
            assert!(e.to_string().contains(field), "{e}");
        }
    }

    #[test]
    fn evidence_is_compared_as_sets_and_listed_in_byte_order() {
        let met = |evidence: &[&str]| report(Status::Met, evidence, "1");
        let (old, new) = (
            met(&["b", "e", "a", "e", "c"]),
            met(&["d", "a", "f", "b", "B"]),
        );
        let d = diff(&old, &new);
        let [v] = d.verdicts.as_slice() else {
            panic!("one verdict changed: {:?}", d.verdicts);
        };
        assert_eq!(v.evidence_added, ["B", "d", "f"]);
        assert_eq!(v.evidence_removed, ["c", "e"]);
        let (old, new) = (met(&["b", "a", "a"]), met(&["a", "b"]));
        let same = diff(&old, &new);
        assert!(same.is_empty(), "{:?}", same.verdicts);
        let (old, new) = (met(&["a"]), met(&[]));
        assert_eq!(diff(&old, &new).verdicts[0].evidence_removed, ["a"]);
    }
}
