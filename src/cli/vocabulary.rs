//! `concord vocabulary`: the officer's reference card. Every kind and subject with its meaning
//! and the commitments a row of it can count towards (or against).

use clap::{Args, ValueEnum};

use super::{output, Exit, Failure, RulesArg};
use concord::catalogue::{Catalogue, Commitment, Selector, Test};

#[derive(Clone, Copy, ValueEnum)]
pub enum VocabularyFormat {
    Md,
    Csv,
}

#[derive(Args)]
pub struct VocabularyArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    #[arg(long, value_enum, default_value = "md")]
    pub format: VocabularyFormat,
}

/// One key of the vocabulary and what it does in the rules.
struct Entry<'c> {
    table: &'static str,
    key: &'c str,
    meaning: &'c str,
    /// Commitments a row with this key can be evidence for (ids, in catalogue order).
    evidence: Vec<&'c str>,
    /// Commitments a row with this key can breach.
    against: Vec<&'c str>,
}

/// Whether a selector can match a row of this kind (`is_kind`) or this subject.
fn selects(s: &Selector, key: &str, is_kind: bool) -> bool {
    if is_kind {
        s.kinds.iter().any(|k| k == key)
    } else {
        s.subjects.iter().any(|k| k == key)
    }
}

fn roles(c: &Commitment, key: &str, is_kind: bool) -> (bool, bool) {
    let (evidence, against) = match &c.test {
        Test::Evidence { selector, .. } => (selects(selector, key, is_kind), false),
        Test::Trend { metric, .. } => {
            let hit = if is_kind {
                key == "indicator"
            } else {
                metric == key
            };
            (hit, false)
        }
        Test::Restraint(selector) => (false, selects(selector, key, is_kind)),
        Test::Status(st) => (
            selects(&st.establish, key, is_kind),
            st.revoke.as_ref().is_some_and(|r| selects(r, key, is_kind)),
        ),
    };
    let contrary = c
        .contrary
        .as_ref()
        .is_some_and(|s| selects(s, key, is_kind));
    (evidence, against || contrary)
}

fn entries(cat: &Catalogue) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for (table, map, is_kind) in [
        ("kind", &cat.vocabulary.kinds, true),
        ("subject", &cat.vocabulary.subjects, false),
    ] {
        for (key, meaning) in map {
            let mut e = Entry {
                table,
                key,
                meaning,
                evidence: Vec::new(),
                against: Vec::new(),
            };
            for c in &cat.commitments {
                let (ev, ag) = roles(c, key, is_kind);
                if ev {
                    e.evidence.push(&c.id);
                }
                if ag {
                    e.against.push(&c.id);
                }
            }
            out.push(e);
        }
    }
    out
}

fn markdown(cat: &Catalogue, entries: &[Entry<'_>]) -> String {
    let mut s = format!(
        "# Vocabulary of {}\n\nA row's `kind` says what happened and its `subject` what it was about. \
         A row counts towards a commitment when both match its rule; kinds listed with no subject \
         in a rule match any subject.\n",
        cat.strategy.title
    );
    let cell = |ids: &[&str]| {
        if ids.is_empty() {
            "-".to_string()
        } else {
            ids.join(", ")
        }
    };
    for (table, title) in [("kind", "Kinds"), ("subject", "Subjects")] {
        s.push_str(&format!(
            "\n## {title}\n\n| {table} | meaning | evidence for | counts against |\n|---|---|---|---|\n"
        ));
        for e in entries.iter().filter(|e| e.table == table) {
            s.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                e.key,
                e.meaning.replace('|', "\\|"),
                cell(&e.evidence),
                cell(&e.against)
            ));
        }
    }
    s
}

fn csv(entries: &[Entry<'_>]) -> Result<String, Failure> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Failure::Output(format!("cannot write the vocabulary: {e}"));
    w.write_record(["table", "key", "meaning", "evidence_for", "counts_against"])
        .map_err(fail)?;
    for e in entries {
        w.write_record([
            e.table,
            e.key,
            e.meaning,
            &e.evidence.join(" "),
            &e.against.join(" "),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Failure::Output(format!("cannot write the vocabulary: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn run(args: VocabularyArgs) -> Result<Exit, Failure> {
    let engine = args.rules.load()?;
    let cat = &engine.catalogue;
    let entries = entries(cat);
    let text = match args.format {
        VocabularyFormat::Md => markdown(cat, &entries),
        VocabularyFormat::Csv => csv(&entries)?,
    };
    output::write_stdout(text.as_bytes())?;
    Ok(Exit::Ok)
}
