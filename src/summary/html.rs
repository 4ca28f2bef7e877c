//! The yearly summary and the index of a span of years in HTML, built with the report's markup
//! kit and reusing the status report's matrix for the state as of the year's end.

use super::{file_name, Change, Summary, SummaryIndex};
use crate::report::html::{collective, evidence_table, matrix, Links};
use crate::report::svg::{
    card, chart, entry, h2, heatmap, line_chart, mark, meta, page, provenance, row,
    small_multiples, table, td, td_code, td_num, th, th_num, toc, Element, HeatRow,
};
use crate::report::{percent, Format, Report};

/// A year's summary as a page; `state` supplies the matrix as of the same date. Within a span
/// of years (`span` = first and last year) it links to the previous and next year and the index.
pub fn render_in(s: &Summary, state: &Report, span: Option<(i32, i32)>) -> String {
    let mut b = String::new();
    if let Some(span) = span {
        b.push_str(&pager(s.year, span));
    }
    Element::new("h1")
        .text(format!("{} — summary of {}", s.strategy.title, s.year))
        .write_line(&mut b);
    provenance(
        &mut b,
        &s.engine,
        &s.strategy,
        &s.as_of,
        &s.rules,
        &s.inputs,
    );
    let mut contents = vec![
        entry("overall", "Overall"),
        entry("parties", "Parties by chapter"),
        entry("changes", "What changed"),
        entry("quality", "Data quality"),
        entry("blockers", "Prerequisites blocking the most"),
        entry("commitments", "Commitments of each member"),
    ];
    if state.commitments.iter().any(|c| c.scope == "collective") {
        contents.push(entry("collective", "Collective commitments"));
    }
    contents.push(entry("evidence", "Evidence cited"));
    b.push_str(&toc(&contents));
    h2("overall", "Overall").write_line(&mut b);
    let mut cards = Element::new("div").attr("class", "cards").child(card(
        &percent(s.overall.percent),
        &format!(
            "overall as of {} ({} since {})",
            s.as_of,
            s.overall.change_text(),
            s.previous_as_of
        ),
    ));
    for (_, heading, list) in s.changes.sections() {
        cards.push(card(&list.len().to_string(), &heading.to_lowercase()));
    }
    b.push_str(&cards.render());
    let mut st = table([
        th("status"),
        th_num(&format!("verdicts {}", s.as_of)),
        th_num(&format!("verdicts {}", s.previous_as_of)),
    ]);
    for m in &s.statuses {
        st.push(row([
            td(mark(m.status, true)).attr("class", format!("s s-{}", m.status.as_str())),
            td_num(m.count),
            td_num(m.previous),
        ]));
    }
    st.write_line(&mut b);

    h2("parties", "Parties by chapter").write_line(&mut b);
    meta()
        .text(format!(
            "Percent as of {}, and below it the change in points since {}.",
            s.as_of, s.previous_as_of
        ))
        .write_line(&mut b);
    let mut cols: Vec<(String, String)> = s
        .chapters
        .iter()
        .map(|c| (c.id.clone(), c.title.clone()))
        .collect();
    cols.push(("all".into(), "all chapters".into()));
    let mut rows: Vec<HeatRow> = s
        .parties
        .iter()
        .map(|p| {
            let mut cells: Vec<(Option<f64>, String)> = p
                .chapters
                .iter()
                .map(|m| (m.percent, m.change_text()))
                .collect();
            cells.push((p.overall.percent, p.overall.change_text()));
            HeatRow {
                label: format!("{} {}", p.code, p.name),
                tip: p.name.clone(),
                cells,
                bold: false,
            }
        })
        .collect();
    let mut all: Vec<(Option<f64>, String)> = s
        .chapters
        .iter()
        .map(|c| (c.percent.percent, c.percent.change_text()))
        .collect();
    all.push((s.overall.percent, s.overall.change_text()));
    rows.push(HeatRow {
        label: "all parties".into(),
        tip: "every scored verdict".into(),
        cells: all,
        bold: true,
    });
    b.push_str(&chart(heatmap(
        &cols,
        &rows,
        "Percent by party and chapter, with change",
    )));

    h2(
        "changes",
        format!("What changed since {}", s.previous_as_of),
    )
    .write_line(&mut b);
    for (_, heading, list) in s.changes.sections() {
        Element::new("h3")
            .text(format!("{heading} ({})", list.len()))
            .write_line(&mut b);
        if list.is_empty() {
            Element::new("p").text("None.").write_line(&mut b);
            continue;
        }
        changes_table(list).write_line(&mut b);
    }

    h2("quality", "Data quality").write_line(&mut b);
    let mut dq = table([
        th("file"),
        th_num("rows"),
        th_num("accepted"),
        th_num("rejected"),
        th_num("matched no commitment"),
        th("most frequent rejects"),
    ]);
    for f in &s.data_quality.files {
        let top: Vec<String> = f
            .top_rejects
            .iter()
            .map(|c| format!("{} ×{}", c.code, c.count))
            .collect();
        dq.push(row([
            td_code(&f.path),
            td_num(f.rows),
            td_num(f.accepted),
            td_num(f.rejected),
            td_num(f.unmatched),
            td(&top.join(", ")),
        ]));
    }
    b.push_str(&dq.render());
    if !s.data_quality.top_rejects.is_empty() {
        let mut t = table([th("reject code"), th_num("rows"), th("meaning")]);
        for c in &s.data_quality.top_rejects {
            t.push(row([td_code(&c.code), td_num(c.count), td(&c.meaning)]));
        }
        b.push_str(&t.render());
    }
    b.push('\n');

    h2("blockers", "Prerequisites blocking the most").write_line(&mut b);
    if s.blockers.is_empty() {
        Element::new("p")
            .text("Nothing is blocked.")
            .write_line(&mut b);
    } else {
        let mut t = table([
            th("prerequisite"),
            th("title"),
            th("dependants"),
            th_num("blocked verdicts"),
        ]);
        for x in &s.blockers {
            t.push(row([
                td(&x.id),
                td(&x.title),
                td(&x.dependants.join(", ")),
                td_num(x.verdicts),
            ]));
        }
        b.push_str(&t.render());
    }
    matrix(&mut b, state, Links::default());
    collective(&mut b, state, Links::default());
    evidence_table(&mut b, state);
    if let Some(span) = span {
        b.push_str(&pager(s.year, span));
    }
    page(&format!("{} — summary of {}", s.strategy.title, s.year), &b)
}

/// Links to the previous and next year's summary and to the index, on each page of a span.
fn pager(year: i32, (from, to): (i32, i32)) -> String {
    let link = |href: String, label: String| Element::new("a").attr("href", href).text(label);
    let mut nav = Element::new("nav")
        .attr("class", "pager")
        .attr("aria-label", "years");
    if year > from {
        nav.push(link(
            file_name(year - 1, Format::Html),
            format!("← {}", year - 1),
        ));
    }
    nav.push(link("index.html".into(), format!("index {from}–{to}")));
    if year < to {
        nav.push(link(
            file_name(year + 1, Format::Html),
            format!("{} →", year + 1),
        ));
    }
    let mut out = String::new();
    nav.write_line(&mut out);
    out
}

fn changes_table(list: &[Change]) -> Element {
    let mut t = table([
        th("commitment"),
        th("party"),
        th("was"),
        th("now"),
        th("new evidence"),
        th("blocked by"),
    ]);
    for c in list {
        let was = match c.from {
            Some(s) => td(mark(s, true)).attr("class", format!("s s-{}", s.as_str())),
            None => td("–"),
        };
        t.push(row([
            Element::new("td")
                .child(Element::new("b").text(c.commitment.as_str()))
                .text(format!(" {}", c.title)),
            td(&c.party),
            was,
            td(mark(c.to, true)).attr("class", format!("s s-{}", c.to.as_str())),
            td(&c.evidence_added.join(", ")).attr("class", "mono"),
            td(&c.blocked_by.join(", ")),
        ]));
    }
    t
}

/// The index of a multi-year run: trajectories as a line chart and a heatmap, links to years.
pub fn render_index(ix: &SummaryIndex) -> String {
    let mut b = String::new();
    Element::new("h1")
        .text(format!(
            "{} — yearly summaries {} to {}",
            ix.strategy.title, ix.from, ix.to
        ))
        .write_line(&mut b);
    provenance(
        &mut b,
        &ix.engine,
        &ix.strategy,
        &ix.as_of,
        &ix.rules,
        &ix.inputs,
    );
    let mut links = Element::new("p").text("Years: ");
    for (i, y) in ix.years.iter().enumerate() {
        if i > 0 {
            links = links.text(" · ");
        }
        links = links.child(
            Element::new("a")
                .attr("href", file_name(*y, Format::Html))
                .text(y.to_string()),
        );
    }
    b.push_str(&links.render());
    b.push_str(&toc(&[
        (
            "lines".into(),
            "Each party's percent over the years".into(),
            vec![("multiples".into(), "Each party on its own".into())],
        ),
        entry("trajectory", "Trajectory"),
        entry("chapters", "Chapters over the years"),
    ]));
    b.push('\n');
    Element::new("h2")
        .attr("id", "lines")
        .literal("Each party's percent over the years")
        .write_line(&mut b);
    let mut series: Vec<(String, String, Vec<Option<f64>>)> = ix
        .parties
        .iter()
        .map(|t| (t.code.clone(), t.name.clone(), t.percent.clone()))
        .collect();
    series.push(("overall".into(), "all parties".into(), ix.overall.clone()));
    b.push_str(&chart(line_chart(
        &ix.years,
        &series,
        "Percent of each party by year",
    )));
    Element::new("h3")
        .attr("id", "multiples")
        .text("Each party on its own")
        .write_line(&mut b);
    meta()
        .literal("Blue: the party's percent; grey dashes: all parties.")
        .write_line(&mut b);
    b.push_str(&chart(small_multiples(&ix.years, &series)));
    h2("trajectory", "Trajectory").write_line(&mut b);
    let cols: Vec<(String, String)> = ix
        .years
        .iter()
        .map(|y| (y.to_string(), format!("as of {y}-12-31")))
        .collect();
    let mut rows: Vec<HeatRow> = ix
        .parties
        .iter()
        .map(|t| HeatRow {
            label: format!("{} {}", t.code, t.name),
            tip: t.name.clone(),
            cells: t.percent.iter().map(|p| (*p, String::new())).collect(),
            bold: false,
        })
        .collect();
    rows.push(HeatRow {
        label: "overall".into(),
        tip: "every scored verdict".into(),
        cells: ix.overall.iter().map(|p| (*p, String::new())).collect(),
        bold: true,
    });
    b.push_str(&chart(heatmap(&cols, &rows, "Percent by party and year")));
    h2("chapters", "Chapters over the years").write_line(&mut b);
    let rows: Vec<HeatRow> = ix
        .chapters
        .iter()
        .map(|t| HeatRow {
            label: t.code.clone(),
            tip: t.name.clone(),
            cells: t.percent.iter().map(|p| (*p, String::new())).collect(),
            bold: false,
        })
        .collect();
    b.push_str(&chart(heatmap(&cols, &rows, "Percent by chapter and year")));
    page(
        &format!(
            "{} — yearly summaries {} to {}",
            ix.strategy.title, ix.from, ix.to
        ),
        &b,
    )
}
