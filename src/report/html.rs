//! The status report in HTML, and a page per party: one self-contained page each (inline CSS and SVG, no script, nothing
//! fetched), built from the same data as the other formats. Every colour is paired with text or
//! a symbol, and the palettes are chosen to read in greyscale and for colour-blind readers.

use std::fmt::Write;

use super::svg::{
    card, chart, entry, h2, heatmap, legend, mark, meta, page, provenance, row, table, td, td_code,
    td_num, th, th_num, toc, wrap, Element, HeatRow,
};
use super::{percent, Report};
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
    provenance(
        &mut b,
        &r.engine,
        &r.strategy,
        &r.as_of,
        &r.rules,
        &r.inputs,
    );
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
    b.push_str(&toc(&contents));
    h2("overall", "Overall").write_line(&mut b);
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
    cards.write_line(&mut b);
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
    let parties: Vec<usize> = (0..r.parties.len())
        .filter(|&i| r.parties[i].percent.is_some())
        .collect();
    let mut cols: Vec<(String, String)> = r
        .chapters
        .iter()
        .map(|c| (c.id.clone(), c.title.clone()))
        .collect();
    cols.push(("all".into(), "all chapters".into()));
    let mut rows: Vec<HeatRow> = parties
        .iter()
        .map(|&i| {
            let p = &r.parties[i];
            let mut cells: Vec<(Option<f64>, String)> = r
                .chapters
                .iter()
                .map(|c| (c.party_percent.get(i).copied().flatten(), String::new()))
                .collect();
            cells.push((p.percent, String::new()));
            HeatRow {
                label: format!("{} {}", p.code, p.name),
                tip: p.name.clone(),
                cells,
                bold: false,
            }
        })
        .collect();
    let mut all: Vec<(Option<f64>, String)> = r
        .chapters
        .iter()
        .map(|c| (c.percent, String::new()))
        .collect();
    all.push((r.overall.percent, String::new()));
    rows.push(HeatRow {
        label: "all parties".into(),
        tip: "every scored verdict".into(),
        cells: all,
        bold: true,
    });
    chart(heatmap(&cols, &rows, "Percent by party and chapter"))
}
/// The commitment x party matrix of each chapter: status symbol and word, colour, evidence ids.
pub fn matrix(out: &mut String, r: &Report, links: Links) {
    // Columns: the parties an each-member commitment binds (the SCO's own verdicts are in the
    // collective table).
    let cols: Vec<usize> = r
        .active_parties()
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
        .collect();
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
        let mut head = row([th("commitment"), th_num("percent")]);
        for &p in &cols {
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
        let mut t = Element::new("table").attr("class", "matrix").child(head);
        for c in rows {
            let mut tr = row([
                Element::new("td")
                    .attr("class", "c")
                    .child(Element::new("b").text(c.id.as_str()))
                    .text(format!(" {}", c.title))
                    .child(Element::new("small").text(c.scope.as_str())),
                td_num(percent(c.percent)),
            ]);
            for &p in &cols {
                let code = &r.parties[p].code;
                let cell = match c.results.iter().find(|x| &x.party == code) {
                    None => td(""),
                    Some(x) => {
                        let mut notes: Vec<String> =
                            x.warnings.iter().chain(&x.reasons).cloned().collect();
                        if let Some(computed) = x.computed {
                            notes.push(format!("adjudicated; computed {computed}"));
                        }
                        let cell = status_cell(
                            x.status,
                            &x.evidence,
                            x.evidence_count(),
                            &x.blocked_by,
                            &notes,
                            code,
                        );
                        if x.computed.is_some() {
                            cell.child(Element::new("small").text("* adjudicated"))
                        } else {
                            cell
                        }
                    }
                };
                tr.push(cell);
            }
            t.push(tr);
        }
        wrap("matrix-wrap", t).write_line(out);
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
    provenance(
        &mut b,
        &r.engine,
        &r.strategy,
        &r.as_of,
        &r.rules,
        &r.inputs,
    );
    let ix = r.parties.iter().position(|p| p.code == code).unwrap_or(0);
    h2("overall", "Overall").write_line(&mut b);
    let mut cards = Element::new("div")
        .attr("class", "cards")
        .child(card(&percent(party.percent), "this party, all chapters"));
    for ch in &r.chapters {
        let p = ch.party_percent.get(ix).copied().flatten();
        if p.is_some() {
            cards.push(card(&percent(p), &ch.id));
        }
    }
    cards.write_line(&mut b);
    h2("verdicts", "Verdicts").write_line(&mut b);
    legend(&mut b);
    let mut t =
        table([th("chapter"), th("commitment"), th("verdict")]).attr("class", "compact matrix");
    for c in &r.commitments {
        let Some(x) = c.results.iter().find(|x| x.party == code) else {
            continue;
        };
        if x.status == Status::NotApplicable {
            continue;
        }
        let mut notes: Vec<String> = x.warnings.iter().chain(&x.reasons).cloned().collect();
        if let Some(computed) = x.computed {
            notes.push(format!("adjudicated; computed {computed}"));
        }
        let mut cell = status_cell(
            x.status,
            &x.evidence,
            x.evidence_count(),
            &x.blocked_by,
            &notes,
            code,
        );
        for n in &notes {
            cell = cell.child(Element::new("small").text(n.as_str()));
        }
        t.push(row([td_code(&c.chapter), commitment_cell(c), cell]));
    }
    wrap("matrix-wrap", t).write_line(&mut b);
    // The evidence links of this page point at the status page's evidence table.
    let b = b.replace("href=\"#ev-", &format!("href=\"{status_page}#ev-"));
    page(&title, &b)
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
    let mut t =
        table([th("chapter"), th("commitment"), th("verdict")]).attr("class", "compact matrix");
    for c in rows {
        let verdict = match c.results.first() {
            Some(x) => status_cell(
                x.status,
                &x.evidence,
                x.evidence_count(),
                &x.blocked_by,
                &x.reasons,
                &x.party,
            ),
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
    let mut t = table(
        [
            "commitment",
            "party",
            "computed",
            "adjudicated",
            "reviewer",
            "reviewed",
            "reason",
            "evidence",
        ]
        .map(th),
    );
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

fn status_cell(
    status: Status,
    evidence: &[String],
    total: usize,
    blocked_by: &[String],
    warnings: &[String],
    party: &str,
) -> Element {
    let mut tip = format!("{party}: {}", status.as_str());
    if !evidence.is_empty() {
        let _ = write!(tip, " — evidence: {}", evidence.join(", "));
        if total > evidence.len() {
            let _ = write!(tip, " and {} more", total - evidence.len());
        }
    }
    if !blocked_by.is_empty() {
        let _ = write!(tip, " — blocked by {}", blocked_by.join(", "));
    }
    for w in warnings {
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
                    .attr("href", format!("#{}", anchor("ev-", id)))
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
