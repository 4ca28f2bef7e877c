//! The yearly summary and the index of a span of years in HTML, built with the report's markup
//! kit and reusing the status report's matrix for the state as of the year's end.

use super::{file_name, Change, Moved, Summary, SummaryIndex};
use crate::report::html::{collective, evidence_table, matrix, parties_by_chapter, Links};
use crate::report::svg::{
    card, chart, entry, h2, heatmap, line_chart, mark, meta, page, provenance, row,
    small_multiples, table, td, td_code, td_num, th, th_num, toc, Element, HeatCell, HeatRow,
};
use crate::report::Provenance;
use crate::report::{percent, Format, Report};

/// A year's summary as a page; `state` supplies the matrix as of the same date. Within a span
/// of years (`span` = first and last year) it links to the previous and next year and the index.
pub fn render_in(s: &Summary, state: &Report, span: Option<(i32, i32)>) -> String {
    let mut b = String::new();
    if let Some(span) = span {
        b.push_str(&pager(s.year, span));
    }
    summary_header(&mut b, s, state);
    overall(&mut b, s);
    parties(&mut b, s);
    changes(&mut b, s);
    data_quality(&mut b, s);
    blockers(&mut b, s);
    matrix(&mut b, state, Links::default());
    collective(&mut b, state, Links::default());
    evidence_table(&mut b, state);
    if let Some(span) = span {
        b.push_str(&pager(s.year, span));
    }
    page(&format!("{} — summary of {}", s.strategy.title, s.year), &b)
}

/// Title, provenance and the contents (with the collective table where there is one).
fn summary_header(b: &mut String, s: &Summary, state: &Report) {
    Element::new("h1")
        .text(format!("{} — summary of {}", s.strategy.title, s.year))
        .write_line(b);
    provenance(b, &Provenance::of_summary(s));
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
}

/// The percent with its change, a card per kind of change, and the verdicts by status.
fn overall(b: &mut String, s: &Summary) {
    h2("overall", "Overall").write_line(b);
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
    st.write_line(b);
}

/// Each party's percent by chapter with its change in points, as a heatmap.
fn parties(b: &mut String, s: &Summary) {
    h2("parties", "Parties by chapter").write_line(b);
    meta()
        .text(format!(
            "Percent as of {}, and below it the change in points since {}.",
            s.as_of, s.previous_as_of
        ))
        .write_line(b);
    let cell = |m: &Moved| (m.percent, m.change_text());
    let rows = s
        .parties
        .iter()
        .map(|p| {
            let cells = p.chapters.iter().chain([&p.overall]).map(cell).collect();
            HeatRow::party(&p.code, &p.name, cells)
        })
        .collect();
    let all = s
        .chapters
        .iter()
        .map(|c| &c.percent)
        .chain([&s.overall])
        .map(cell)
        .collect();
    b.push_str(&parties_by_chapter(
        s.chapters.iter().map(|c| (c.id.as_str(), c.title.as_str())),
        rows,
        all,
        "Percent by party and chapter, with change",
    ));
}

/// Each kind of change (newly met, regressed, ...) with the verdicts that made it.
fn changes(b: &mut String, s: &Summary) {
    h2(
        "changes",
        format!("What changed since {}", s.previous_as_of),
    )
    .write_line(b);
    for (_, heading, list) in s.changes.sections() {
        Element::new("h3")
            .text(format!("{heading} ({})", list.len()))
            .write_line(b);
        if list.is_empty() {
            Element::new("p").text("None.").write_line(b);
            continue;
        }
        changes_table(list).write_line(b);
    }
}

/// Each input file's rows and rejects, then the reasons rows were rejected most often.
fn data_quality(b: &mut String, s: &Summary) {
    h2("quality", "Data quality").write_line(b);
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
}

/// The prerequisites whose absence blocks the most verdicts.
fn blockers(b: &mut String, s: &Summary) {
    h2("blockers", "Prerequisites blocking the most").write_line(b);
    if s.blockers.is_empty() {
        Element::new("p").text("Nothing is blocked.").write_line(b);
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

/// Heatmap cells of percents alone, with no second line.
fn plain(percents: &[Option<f64>]) -> Vec<HeatCell> {
    percents.iter().map(|p| (*p, String::new())).collect()
}

/// The index of a multi-year run: trajectories as a line chart and a heatmap, links to years.
pub fn render_index(ix: &SummaryIndex) -> String {
    let mut b = String::new();
    index_header(&mut b, ix);
    lines(&mut b, ix);
    trajectory(&mut b, ix);
    chapters_over_the_years(&mut b, ix);
    page(
        &format!(
            "{} — yearly summaries {} to {}",
            ix.strategy.title, ix.from, ix.to
        ),
        &b,
    )
}

/// Title, provenance, a link to each year and the contents.
fn index_header(b: &mut String, ix: &SummaryIndex) {
    Element::new("h1")
        .text(format!(
            "{} — yearly summaries {} to {}",
            ix.strategy.title, ix.from, ix.to
        ))
        .write_line(b);
    provenance(b, &Provenance::of_index(ix));
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
}

/// Every party's line over the years in one chart, then each party on its own panel.
fn lines(b: &mut String, ix: &SummaryIndex) {
    Element::new("h2")
        .attr("id", "lines")
        .literal("Each party's percent over the years")
        .write_line(b);
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
        .write_line(b);
    meta()
        .literal("Blue: the party's percent; grey dashes: all parties.")
        .write_line(b);
    b.push_str(&chart(small_multiples(&ix.years, &series)));
}

/// A column per year's end, as the heatmaps of the index have.
fn year_columns(ix: &SummaryIndex) -> Vec<(String, String)> {
    ix.years
        .iter()
        .map(|y| (y.to_string(), format!("as of {y}-12-31")))
        .collect()
}

/// Each party's percent by year as a heatmap, the overall in bold below.
fn trajectory(b: &mut String, ix: &SummaryIndex) {
    h2("trajectory", "Trajectory").write_line(b);
    let mut rows: Vec<HeatRow> = ix
        .parties
        .iter()
        .map(|t| HeatRow::party(&t.code, &t.name, plain(&t.percent)))
        .collect();
    rows.push(HeatRow::total("overall", plain(&ix.overall)));
    b.push_str(&chart(heatmap(
        &year_columns(ix),
        &rows,
        "Percent by party and year",
    )));
}

/// Each chapter's percent by year as a heatmap.
fn chapters_over_the_years(b: &mut String, ix: &SummaryIndex) {
    h2("chapters", "Chapters over the years").write_line(b);
    let rows: Vec<HeatRow> = ix
        .chapters
        .iter()
        .map(|t| HeatRow {
            label: t.code.clone(),
            tip: t.name.clone(),
            cells: plain(&t.percent),
            bold: false,
        })
        .collect();
    b.push_str(&chart(heatmap(
        &year_columns(ix),
        &rows,
        "Percent by chapter and year",
    )));
}
