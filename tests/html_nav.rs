//! The HTML pages navigate without script: every in-page link has its anchor, the matrix links
//! a page per party that exists, year pages link their neighbours and the index, and collective
//! commitments sit in their own table.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let key = format!("{attr}=\"");
    html.match_indices(&key)
        .map(|(i, _)| {
            let rest = &html[i + key.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_string()
        })
        .collect()
}

/// Every `href="#x"` has an `id="x"`; every `href="file.html#x"` a file in `dir` with that id.
fn assert_links_resolve(dir: &Path, name: &str) {
    let html = std::fs::read_to_string(dir.join(name)).expect(name);
    assert!(!html.contains("<script"), "{name} has a script");
    let ids: BTreeSet<String> = attr_values(&html, "id").into_iter().collect();
    for href in attr_values(&html, "href") {
        let (file, frag) = href.split_once('#').unwrap_or((&href, ""));
        if file.is_empty() {
            assert!(ids.contains(frag), "{name}: #{frag} has no anchor");
        } else {
            let target = std::fs::read_to_string(dir.join(file))
                .unwrap_or_else(|_| panic!("{name} links {file}, which is not there"));
            if !frag.is_empty() {
                assert!(
                    target.contains(&format!("id=\"{frag}\"")),
                    "{name}: {href} has no anchor"
                );
            }
        }
    }
}

#[test]
fn the_status_page_and_its_party_pages_link_to_what_exists() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = check_engine(&[
        "--formats",
        "html",
        "--out-dir",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let status = "status-2025-12-31.html";
    let html = std::fs::read_to_string(dir.path().join(status)).expect("status");
    for section in [
        "overall",
        "parties",
        "commitments",
        "collective",
        "evidence",
    ] {
        assert!(
            html.contains(&format!("href=\"#{section}\"")),
            "no TOC entry {section}"
        );
    }
    assert!(
        html.contains("href=\"#ev-"),
        "evidence ids link to the evidence table"
    );
    let pages: Vec<String> = attr_values(&html, "href")
        .into_iter()
        .filter(|h| h.starts_with("party-"))
        .collect();
    assert!(
        pages.len() >= 2,
        "the matrix links the party pages: {pages:?}"
    );
    assert_links_resolve(dir.path(), status);
    for page in &pages {
        assert_links_resolve(dir.path(), page);
    }
}

#[test]
fn collective_commitments_have_their_own_table() {
    let out = check_engine(&["--format", "html"]);
    let html = stdout(&out);
    let (matrix, rest) = html
        .split_once("id=\"collective\"")
        .expect("collective section");
    // MOD-01 and MOD-06 are the fixture's collective commitments.
    for id in ["MOD-01", "MOD-06"] {
        assert!(
            rest.contains(&format!("<b>{id}</b>")),
            "{id} in the collective table"
        );
        let in_matrix = matrix.split_once("id=\"commitments\"").map_or("", |m| m.1);
        assert!(
            !in_matrix.contains(&format!("<b>{id}</b>")),
            "{id} not in the matrix"
        );
    }
    // The heatmap names each party beside its code.
    assert!(html.contains(">AAA "), "{}", &html[..200]);
}

#[test]
fn year_pages_link_the_previous_and_next_year_and_the_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().display().to_string();
    let out = concord(&[
        "summary",
        "--rules",
        ENGINE_RULES,
        "--activities",
        ENGINE_ACTIVITIES,
        "--from",
        "2018",
        "--to",
        "2020",
        "--format",
        "html",
        "--out-dir",
        &d,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for year in 2018..=2020 {
        let name = format!("summary-{year}.html");
        let html = std::fs::read_to_string(dir.path().join(&name)).expect("page");
        assert!(html.contains("href=\"index.html\""));
        assert_eq!(
            html.contains(&format!("summary-{}.html", year - 1)),
            year > 2018,
            "{name}"
        );
        assert_eq!(
            html.contains(&format!("summary-{}.html", year + 1)),
            year < 2020,
            "{name}"
        );
        assert_links_resolve(dir.path(), &name);
    }
    assert_links_resolve(dir.path(), "index.html");
    let index = std::fs::read_to_string(dir.path().join("index.html")).expect("index");
    assert!(index.contains("Each party on its own"));
}
