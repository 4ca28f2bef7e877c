//! Rules of a size and shape no catalogue has yet, which must still load, lint, draw and
//! explain: a chain of prerequisites as long as a large catalogue (walked without recursion),
//! and prerequisites shared by many paths (each shown once, not once per path).

mod common;

use std::fmt::Write;
use std::path::Path;

use common::*;
use concord::catalogue::RuleFiles;

const RULES: &str = "fixtures/verdict-model/rules";
const ACTIVITIES: &str = "fixtures/verdict-model/activities.csv";
const CHAPTER: &str = "chapters/model.toml";

/// The verdict-model rules with `extra` commitments appended to its chapter, in a temp dir.
fn rules_with(extra: &str) -> tempfile::TempDir {
    let mut files = RuleFiles::from_dir(Path::new(RULES)).expect("fixture rules");
    let chapter = files.files.get_mut(CHAPTER).expect("the model chapter");
    chapter.push_str(extra);
    let dir = tempfile::tempdir().expect("tempdir");
    write_rules(&files, dir.path());
    dir
}

fn path(dir: &tempfile::TempDir) -> &str {
    dir.path().to_str().expect("utf-8 path")
}

/// `explain ID` on the rules in `dir`, which must succeed: its lines naming a prerequisite.
fn chain_of(dir: &tempfile::TempDir, id: &str) -> Vec<String> {
    let out = concord(&[
        "explain",
        id,
        "--rules",
        path(dir),
        "--activities",
        ACTIVITIES,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    (stdout(&out).lines())
        .filter(|l| l.contains("requires "))
        .map(str::to_string)
        .collect()
}

/// A commitment that any row of a body established for the Development Fund evidences.
fn commitment(out: &mut String, id: &str, requires: &[&str]) {
    let _ = writeln!(
        out,
        "\n[[commitment]]\nid = \"{id}\"\ntitle = \"Step {id}\""
    );
    let _ = writeln!(out, "quote = \"The SCO will establish a Development Fund\"");
    let _ = writeln!(out, "scope = \"collective\"");
    if !requires.is_empty() {
        let list: Vec<String> = requires.iter().map(|r| format!("\"{r}\"")).collect();
        let why: Vec<String> = requires
            .iter()
            .map(|r| format!("\"{r}\" = \"first\""))
            .collect();
        let _ = writeln!(out, "depends_on = [{}]", list.join(", "));
        let _ = writeln!(out, "why = {{ {} }}", why.join(", "));
    }
    let _ = writeln!(
        out,
        "evidence = {{ kinds = [\"body-established\"], subjects = [\"development-fund\"] }}"
    );
}

/// Deeper than a recursive walk fits in a thread's stack: petgraph's Tarjan and `explain`'s
/// chain, both recursions once, each overflowed it.
const LONG: usize = 30_000;

#[test]
fn a_chain_of_prerequisites_as_long_as_a_catalogue_is_walked_without_overflow() {
    let mut extra = String::new();
    for i in 0..LONG {
        let before = (i > 0).then(|| format!("L{:05}", i - 1));
        commitment(
            &mut extra,
            &format!("L{i:05}"),
            before.as_deref().as_slice(),
        );
    }
    let dir = rules_with(&extra);
    let lint = concord(&["lint", "--rules", path(&dir)]);
    assert!(lint.status.success(), "{}", stderr(&lint));
    let graph = concord(&["graph", "--rules", path(&dir), "--format", "mermaid"]);
    assert!(graph.status.success(), "{}", stderr(&graph));
    let last = format!("L{:05}", LONG - 1);
    let chain = chain_of(&dir, &last);
    assert_eq!(chain.len(), LONG - 1);
    // Indentation deepens to a bound, then the ids carry the order.
    assert!(chain[0].starts_with("  requires L29998 "), "{}", chain[0]);
    assert!(chain[LONG - 2].starts_with(&format!("{}requires L00000 ", "  ".repeat(32))));

    // The same chain closed into a cycle is one problem, its whole path named.
    let cycle = extra.replacen(
        "id = \"L00000\"\ntitle = \"Step L00000\"\n",
        &format!(
            "id = \"L00000\"\ntitle = \"Step L00000\"\ndepends_on = [\"{last}\"]\nwhy = {{ \"{last}\" = \"first\" }}\n"
        ),
        1,
    );
    let cyclic = rules_with(&cycle);
    let lint = concord(&["lint", "--rules", path(&cyclic)]);
    assert_eq!(lint.status.code(), Some(3), "{}", stderr(&lint));
    let problems = stderr(&lint);
    assert!(problems.contains("1 problem(s) in the rules"), "{problems}");
    assert!(
        problems.contains("L00000 -> L00001 -> L00002"),
        "{problems}"
    );
}

#[test]
fn prerequisites_shared_by_many_paths_are_explained_once() {
    // A ladder of diamonds: each rung's two sides both rest on the rung below. Every path
    // down is a different choice of sides: 2^16 of them.
    const RUNGS: usize = 16;
    let mut extra = String::new();
    commitment(&mut extra, "R00", &[]);
    for i in 1..=RUNGS {
        let below = format!("R{:02}", i - 1);
        commitment(&mut extra, &format!("A{i:02}"), &[&below]);
        commitment(&mut extra, &format!("B{i:02}"), &[&below]);
        commitment(
            &mut extra,
            &format!("R{i:02}"),
            &[&format!("A{i:02}"), &format!("B{i:02}")],
        );
    }
    let chain = chain_of(&rules_with(&extra), &format!("R{RUNGS:02}"));
    let text = chain.join("\n");
    // Each rung: two sides, and the rung below them once in full, once by name.
    assert_eq!(chain.len(), 4 * RUNGS, "{text}");
    let again = chain
        .iter()
        .filter(|l| l.ends_with("(its prerequisites above)"))
        .count();
    assert_eq!(again, RUNGS - 1, "{text}");
    for i in 0..RUNGS {
        let rung = format!("requires R{i:02} ");
        assert_eq!(
            chain.iter().filter(|l| l.contains(&rung)).count(),
            2,
            "{text}"
        );
    }
}

/// Rows name parties, kinds and subjects by 16-bit numbers: a catalogue with more of any is
/// refused, where once the 65,537th party was counted as the first.
#[test]
fn more_parties_or_words_than_rows_can_name_are_refused() {
    let mut files = RuleFiles::from_dir(Path::new(RULES)).expect("fixture rules");
    let extra = 65_536;
    let parties = files.files.get_mut("parties.toml").expect("parties");
    for i in 0..extra {
        let _ = writeln!(
            parties,
            "[[party]]\ncode = \"P{i:05}\"\nname = \"P {i}\"\nroles = [{{ role = \"member\", from = 2001-06-15 }}]"
        );
    }
    let kinds: String = (0..extra).map(|i| format!("k{i} = \"a kind\"\n")).collect();
    let words = files.files.get_mut("vocabulary.toml").expect("vocabulary");
    *words = words.replacen("[kinds]\n", &format!("[kinds]\n{kinds}"), 1);
    let dir = tempfile::tempdir().expect("tempdir");
    write_rules(&files, dir.path());
    let lint = concord(&["lint", "--rules", dir.path().to_str().expect("utf-8 path")]);
    assert_eq!(lint.status.code(), Some(3), "{}", stderr(&lint));
    let problems = stderr(&lint);
    let count = |what: &str| {
        problems
            .lines()
            .filter(|l| l.contains(what) && l.contains("a catalogue holds at most 65,535"))
            .count()
    };
    assert_eq!(count("65541 parties"), 1, "{problems}");
    assert_eq!(count("65546 kinds"), 1, "{problems}");
    assert!(problems.contains("2 problem(s) in the rules"), "{problems}");
}
