//! The status report in HTML, and a page per party: one self-contained page each (inline CSS and SVG, no script, nothing
//! fetched), built from the same data as the other formats. Every colour is paired with text or
//! a symbol, and the palettes are chosen to read in greyscale and for colour-blind readers.

use std::fmt::Write;

use super::markdown::ADJUDICATION_HEAD;
use super::svg::{
    card, chart, entry, h2, heatmap, legend, mark, meta, page, provenance, row, table, td, td_code,
    td_num, th, th_num, toc, wrap, Element, HeatCell, HeatRow, TocEntry,
};
use super::Provenance;
use super::{percent, Report, ResultReport};
use crate::evaluate::Status;
/// The status report as a page: scores, heatmap, then the matrix of every chapter.
pub fn render(r: &Report) -> String {
    render_with(r, Links::default())
}

pub fn render_with(r: &Report, links: Links) -> String {
    let mut b = String::new();
    Element::new("h1")
        .text(format!("{} — status as of {}", r.strategy.title, r.as_of))
        .write_line(&mut b);
    provenance(&mut b, &Provenance::of_report(r));
    b.push_str(&toc(&status_contents(r)));
    overall(&mut b, r);
    h2("parties", "Parties by chapter").write_line(&mut b);
    b.push_str(&report_heatmap(r));
    matrix(&mut b, r, links);
    collective(&mut b, r, links);
    evidence_table(&mut b, r);
    adjudication(&mut b, r);
    page(
        &format!("{} — status as of {}", r.strategy.title, r.as_of),
        &b,
    )
}

/// The status page's contents: the matrix with a link per chapter, the collective and
/// adjudicated tables where there are any.
fn status_contents(r: &Report) -> Vec<TocEntry> {
    let mut contents = vec![
        entry("overall", "Overall"),
        entry("parties", "Parties by chapter"),
        (
            "commitments".to_string(),
            "Commitments of each member".to_string(),
            r.chapters
                .iter()
                .filter(|ch| each_member(r, &ch.id).next().is_some())
                .map(|ch| (anchor("ch-", &ch.id), ch.title.clone()))
                .collect(),
        ),
    ];
    if r.commitments.iter().any(|c| c.scope == "collective") {
        contents.push(entry("collective", "Collective commitments"));
    }
    contents.push(entry("evidence", "Evidence cited"));
    if !r.adjudicated().is_empty() {
        contents.push(entry("adjudicated", "Adjudicated verdicts"));
    }
    contents
}

/// The overall percent and a card per status.
fn overall(b: &mut String, r: &Report) {
    h2("overall", "Overall").write_line(b);
    let mut cards = Element::new("div").attr("class", "cards").child(card(
        &percent(r.overall.percent),
        &format!("overall, {} scored verdicts", r.overall.scored),
    ));
    for s in &r.overall.statuses {
        cards.push(
            card(&s.count.to_string(), mark(s.status, true))
                .attr("class", format!("card s s-{}", s.status.as_str())),
        );
    }
    cards.write_line(b);
}

/// An `id` attribute from any text: letters, digits, `-` and `_` kept, every other byte as
/// `.XX`, so that two ids never share an anchor.
pub fn anchor(prefix: &str, s: &str) -> String {
    let mut out = String::from(prefix);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(b as char);
        } else {
            let _ = write!(out, ".{b:02X}");
        }
    }
    out
}

/// The file of a party's own page beside the status report (`check --out-dir`).
pub fn party_file(code: &str) -> String {
    format!("{}.html", anchor("party-", code))
}
/// What the status page links to beyond itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Links {
    /// A page per party was written beside it (`party-CODE.html`).
    pub party_pages: bool,
}
fn report_heatmap(r: &Report) -> String {
    let rows = (0..r.parties.len())
        .filter(|&i| r.parties[i].percent.is_some())
        .map(|i| {
            let p = &r.parties[i];
            let cells = r
                .chapters
                .iter()
                .map(|c| c.party_percent.get(i).copied().flatten())
                .chain([p.percent])
                .map(|v| (v, String::new()))
                .collect();
            HeatRow::party(&p.code, &p.name, cells)
        })
        .collect();
    let all = r
        .chapters
        .iter()
        .map(|c| c.percent)
        .chain([r.overall.percent])
        .map(|v| (v, String::new()))
        .collect();
    parties_by_chapter(
        r.chapters.iter().map(|c| (c.id.as_str(), c.title.as_str())),
        rows,
        all,
        "Percent by party and chapter",
    )
}

/// The parties-by-chapter heatmap of the status page and the yearly summary: a row per party
/// and all parties in bold below them, a column per chapter and one for all chapters.
pub fn parties_by_chapter<'a>(
    chapters: impl Iterator<Item = (&'a str, &'a str)>,
    mut rows: Vec<HeatRow>,
    all: Vec<HeatCell>,
    label: &str,
) -> String {
    let mut cols: Vec<(String, String)> = chapters
        .map(|(id, title)| (id.to_string(), title.to_string()))
        .collect();
    cols.push(("all".into(), "all chapters".into()));
    rows.push(HeatRow::total("all parties", all));
    chart(heatmap(&cols, &rows, label))
}

/// The commitment x party matrix of each chapter: status symbol and word, colour, evidence ids.
pub fn matrix(out: &mut String, r: &Report, links: Links) {
    let cols = matrix_columns(r);
    h2("commitments", "Commitments of each member").write_line(out);
    legend(out);
    meta()
        .text("Each cell: the verdict, then its first evidence ids and their count (up to 20 ids in the tooltip; the JSON report lists them all) or what blocks it.")
        .write_line(out);
    for ch in &r.chapters {
        let rows: Vec<_> = each_member(r, &ch.id).collect();
        if rows.is_empty() {
            continue;
        }
        Element::new("h3")
            .attr("id", anchor("ch-", &ch.id))
            .text(format!("{} ({})", ch.title, percent(ch.percent)))
            .write_line(out);
        let mut t = Element::new("table")
            .attr("class", "matrix")
            .child(matrix_head(r, &cols, links));
        for c in rows {
            t.push(matrix_row(r, c, &cols));
        }
        wrap("matrix-wrap", t).write_line(out);
    }
}

/// The matrix's columns: the parties an each-member commitment binds (the SCO's own verdicts
/// are in the collective table).
fn matrix_columns(r: &Report) -> Vec<usize> {
    r.active_parties()
        .into_iter()
        .filter(|&p| {
            let code = &r.parties[p].code;
            r.commitments.iter().any(|c| {
                c.scope != "collective"
                    && c.results
                        .iter()
                        .any(|x| &x.party == code && x.status != Status::NotApplicable)
            })
        })
        .collect()
}

/// The head of a chapter's matrix: a party's code per column (linking its page where there is
/// one), its name in the tooltip.
fn matrix_head(r: &Report, cols: &[usize], links: Links) -> Element {
    let mut head = row([th("commitment"), th_num("percent")]);
    for &p in cols {
        let party = &r.parties[p];
        let cell = if links.party_pages {
            Element::new("th").child(
                Element::new("a")
                    .attr("href", party_file(&party.code))
                    .text(party.code.as_str()),
            )
        } else {
            th(&party.code)
        };
        head.push(cell.attr("title", party.name.as_str()));
    }
    head
}

/// A commitment's row of the matrix: its id, title and scope, its percent, a verdict per party.
fn matrix_row(r: &Report, c: &super::CommitmentReport, cols: &[usize]) -> Element {
    let mut tr = row([
        commitment_cell(c).child(Element::new("small").text(c.scope.as_str())),
        td_num(percent(c.percent)),
    ]);
    for &p in cols {
        let code = &r.parties[p].code;
        tr.push(match c.results.iter().find(|x| &x.party == code) {
            None => td(""),
            Some(x) => matrix_cell(x),
        });
    }
    tr
}

/// A verdict in the matrix, marked where an analyst set it.
fn matrix_cell(x: &ResultReport) -> Element {
    let cell = status_cell(x, &notes(x), "");
    if x.computed.is_some() {
        cell.child(Element::new("small").text("* adjudicated"))
    } else {
        cell
    }
}

/// One party's page (`check --out-dir` writes one per party beside the status page, linked
/// from the matrix's column heads): its percent by chapter and each of its verdicts.
pub fn render_party(r: &Report, code: &str, status_page: &str) -> String {
    let Some(party) = r.parties.iter().find(|p| p.code == code) else {
        return page(code, "");
    };
    let title = format!("{} ({}) — status as of {}", party.name, party.code, r.as_of);
    let mut b = String::new();
    Element::new("h1").text(title.as_str()).write_line(&mut b);
    let back = Element::new("nav").attr("class", "pager").child(
        Element::new("a")
            .attr("href", format!("{status_page}#commitments"))
            .text("← all parties"),
    );
    back.write_line(&mut b);
    provenance(&mut b, &Provenance::of_report(r));
    party_overall(&mut b, r, party);
    party_verdicts(&mut b, r, code, status_page);
    page(&title, &b)
}

/// A party's percent over all chapters, and a card per chapter it is scored in.
fn party_overall(b: &mut String, r: &Report, party: &super::PartyScore) {
    let ix = r
        .parties
        .iter()
        .position(|p| p.code == party.code)
        .unwrap_or(0);
    h2("overall", "Overall").write_line(b);
    let mut cards = Element::new("div")
        .attr("class", "cards")
        .child(card(&percent(party.percent), "this party, all chapters"));
    for ch in &r.chapters {
        let p = ch.party_percent.get(ix).copied().flatten();
        if p.is_some() {
            cards.push(card(&percent(p), &ch.id));
        }
    }
    cards.write_line(b);
}

/// Each verdict on the party that applies to it, its notes spelled out below the mark; its
/// evidence links point at the status page's evidence table.
fn party_verdicts(b: &mut String, r: &Report, code: &str, status_page: &str) {
    h2("verdicts", "Verdicts").write_line(b);
    legend(b);
    let mut t = verdict_table();
    for c in &r.commitments {
        let Some(x) = c.results.iter().find(|x| x.party == code) else {
            continue;
        };
        if x.status == Status::NotApplicable {
            continue;
        }
        let notes = notes(x);
        let mut cell = status_cell(x, &notes, status_page);
        for n in &notes {
            cell = cell.child(Element::new("small").text(n.as_str()));
        }
        t.push(row([td_code(&c.chapter), commitment_cell(c), cell]));
    }
    wrap("matrix-wrap", t).write_line(b);
}

/// The compact table of one verdict a row, of the collective commitments and a party's page.
fn verdict_table() -> Element {
    table([th("chapter"), th("commitment"), th("verdict")]).attr("class", "compact matrix")
}

/// The each-member commitments of a chapter.
fn each_member<'r>(
    r: &'r Report,
    chapter: &'r str,
) -> impl Iterator<Item = &'r super::CommitmentReport> + 'r {
    r.commitments
        .iter()
        .filter(move |c| c.chapter == chapter && c.scope != "collective")
}

/// Collective commitments have one verdict each (party SCO): a compact table of their own
/// rather than a matrix column that is empty for every other commitment.
pub fn collective(out: &mut String, r: &Report, links: Links) {
    let rows: Vec<_> = r
        .commitments
        .iter()
        .filter(|c| c.scope == "collective")
        .collect();
    if rows.is_empty() {
        return;
    }
    h2("collective", "Collective commitments").write_line(out);
    if links.party_pages {
        meta()
            .text("One verdict each, for the organisation as a whole (")
            .child(
                Element::new("a")
                    .attr("href", party_file("SCO"))
                    .literal("the SCO's page"),
            )
            .text(").")
            .write_line(out);
    }
    let mut t = verdict_table();
    for c in rows {
        let verdict = match c.results.first() {
            Some(x) => status_cell(x, &x.reasons, ""),
            None => td(""),
        };
        t.push(row([td_code(&c.chapter), commitment_cell(c), verdict]));
    }
    wrap("matrix-wrap", t).write_line(out);
}

/// Every evidence id the page shows, each with the verdicts it counts towards: the target of
/// the ids' links in the matrix.
pub fn evidence_table(out: &mut String, r: &Report) {
    let mut cited: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for c in &r.commitments {
        for x in &c.results {
            for id in x.evidence.iter().take(SHOWN) {
                cited
                    .entry(id.as_str())
                    .or_default()
                    .push(format!("{} {}", c.id, x.party));
            }
        }
    }
    h2("evidence", "Evidence cited").write_line(out);
    meta()
        .text("Each evidence id the matrix shows, and the verdicts it counts towards (the JSON report lists every id of every verdict; ")
        .child(Element::new("code").text("concord explain"))
        .literal(" gives each row's file, line, date and kind).")
        .write_line(out);
    let mut t = table([th("evidence id"), th("counts towards")]).attr("class", "compact");
    for (id, uses) in &cited {
        t.push(row([
            td_code(id).attr("id", anchor("ev-", id)),
            td(&uses.join(", ")),
        ]));
    }
    wrap("scroll", t).write_line(out);
}

/// How many evidence ids a matrix cell shows (and links).
const SHOWN: usize = 3;

/// The analyst's verdicts beside the computed ones, the disagreements first.
fn adjudication(out: &mut String, r: &Report) {
    let mut all = r.adjudicated();
    if all.is_empty() {
        return;
    }
    all.sort_by_key(|(_, x)| !x.disagrees());
    let disagreements = all.iter().filter(|(_, x)| x.disagrees()).count();
    h2(
        "adjudicated",
        format!(
            "Adjudicated verdicts ({disagreements} of them disagree with the computed verdict)"
        ),
    )
    .write_line(out);
    let mut t = table(ADJUDICATION_HEAD.map(th));
    for (c, x) in all {
        let a = x.assessment.as_ref();
        let text = |f: fn(&crate::report::AssessmentReport) -> String| a.map(f).unwrap_or_default();
        let adjudicated = if x.disagrees() {
            format!("{} (differs)", x.status)
        } else {
            x.status.to_string()
        };
        t.push(row([
            td(&c.id),
            td(&x.party),
            td(x.computed.map_or("", |s| s.as_str())),
            td(&adjudicated),
            td(&text(|a| a.reviewer.clone())),
            td(&text(|a| a.reviewed.clone())),
            td(&text(|a| a.reason.clone())),
            td(&text(|a| a.evidence.join(", "))),
        ]));
    }
    wrap("scroll", t).write_line(out);
}

/// A commitment's id in bold and its title, as every commitment table starts a row.
fn commitment_cell(c: &crate::report::CommitmentReport) -> Element {
    Element::new("td")
        .attr("class", "c")
        .child(Element::new("b").text(c.id.as_str()))
        .text(format!(" {}", c.title))
}

/// What a verdict's tooltip and party page add to it: its warnings and reasons, and the
/// computed verdict an analyst overrode.
fn notes(x: &ResultReport) -> Vec<String> {
    let mut notes: Vec<String> = x.warnings.iter().chain(&x.reasons).cloned().collect();
    if let Some(computed) = x.computed {
        notes.push(format!("adjudicated; computed {computed}"));
    }
    notes
}

/// A verdict's cell: its mark, its first evidence ids linked to the evidence table (of the
/// page `evidence_page`, `""` for this one) and what blocks it, with everything (and `notes`)
/// in the tooltip.
fn status_cell(x: &ResultReport, notes: &[String], evidence_page: &str) -> Element {
    let (status, evidence, total, blocked_by) =
        (x.status, &x.evidence, x.evidence_count(), &x.blocked_by);
    let mut tip = format!("{}: {}", x.party, status.as_str());
    if !evidence.is_empty() {
        let _ = write!(tip, " — evidence: {}", evidence.join(", "));
        if total > evidence.len() {
            let _ = write!(tip, " and {} more", total - evidence.len());
        }
    }
    if !blocked_by.is_empty() {
        let _ = write!(tip, " — blocked by {}", blocked_by.join(", "));
    }
    for w in notes {
        let _ = write!(tip, " — {w}");
    }
    let mut td = Element::new("td")
        .attr("class", format!("s s-{}", status.as_str()))
        .attr("title", tip)
        .child(
            Element::new("span")
                .attr("class", "m")
                .text(mark(status, false)),
        );
    if !evidence.is_empty() {
        let mut small = Element::new("small").attr("class", "mono");
        for (i, id) in evidence.iter().take(SHOWN).enumerate() {
            if i > 0 {
                small = small.text(", ");
            }
            small = small.child(
                Element::new("a")
                    .attr("href", format!("{evidence_page}#{}", anchor("ev-", id)))
                    .text(id.as_str()),
            );
        }
        if total > SHOWN {
            small = small.text(format!(", +{}", total - SHOWN));
        }
        td = td.child(small);
    }
    if !blocked_by.is_empty() {
        td = td.child(Element::new("small").text(format!("by {}", blocked_by.join(", "))));
    }
    td
}
