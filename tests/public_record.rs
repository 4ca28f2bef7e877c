//! The public-record dataset (`fixtures/public-record/`): every row cites the page it was
//! drawn from (title | issuing body | date | address), and every row is accepted by the bundled
//! rules.

mod common;

use chrono::NaiveDate;

const ACTIVITIES: &str = "fixtures/public-record/activities.csv";

#[test]
fn every_row_cites_a_dated_page_with_an_address() {
    let mut reader = csv::Reader::from_path(ACTIVITIES).expect("the public-record activities");
    let headers = reader.headers().expect("header").clone();
    let source = headers
        .iter()
        .position(|h| h == "source")
        .expect("a source column");
    let id = headers
        .iter()
        .position(|h| h == "id")
        .expect("an id column");
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("a well-formed row");
        rows += 1;
        let row = record.get(id).unwrap_or("?").to_string();
        let cite: Vec<&str> = record
            .get(source)
            .unwrap_or("")
            .split(" | ")
            .map(str::trim)
            .collect();
        assert_eq!(
            cite.len(),
            4,
            "{row}: source is not `title | body | date | address`: {cite:?}"
        );
        assert!(!cite[0].is_empty(), "{row}: the citation has no title");
        assert!(
            !cite[1].is_empty(),
            "{row}: the citation has no issuing body"
        );
        assert!(
            NaiveDate::parse_from_str(cite[2], "%Y-%m-%d").is_ok(),
            "{row}: the citation's date `{}` is not YYYY-MM-DD",
            cite[2]
        );
        assert!(
            cite[3].starts_with("https://") || cite[3].starts_with("http://"),
            "{row}: the citation's address `{}` is not a web address",
            cite[3]
        );
    }
    assert!(
        rows > 50,
        "only {rows} rows: the public record is not there"
    );
}

#[test]
fn the_bundled_rules_accept_every_row() {
    let out = common::concord(&["validate", ACTIVITIES]);
    let text = common::stdout(&out);
    assert!(
        text.contains(" 0 rejected"),
        "public-record rows are rejected:\n{text}"
    );
}
