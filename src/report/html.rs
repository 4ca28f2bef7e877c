//! The HTML reports: one self-contained page each (inline CSS and SVG, no script, nothing
//! fetched), built from the same data as the other formats. Every colour is paired with text or
//! a symbol, and the palettes are chosen to read in greyscale and for colour-blind readers.

use std::fmt::Write;

use super::svg::{self, escape, group, line, rect, text, Element, Marker, Rgb};
use super::{percent, Engine, Report, StrategyInfo};
use crate::activity::FileStats;
use crate::catalogue::FileDigest;
use crate::evaluate::Status;
use crate::summary::{Change, Summary, SummaryIndex};

const CSS: &str = r#"
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #1a1a1a; background: #fff; margin: 0 auto; padding: 24px 32px; max-width: 1400px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid #e3e3e3; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
.meta { color: #555; margin: 0 0 12px; }
.banner { border: 2px solid #b35900; background: #fff4e5; padding: 8px 12px; margin: 0 0 12px; }
.cards { display: flex; gap: 16px; flex-wrap: wrap; margin: 12px 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; flex: 1 1 90px; max-width: 260px; }
.card b { display: block; font-size: 26px; }
.card span { color: #555; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #d6d6d6; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
.digest { word-break: break-all; color: #444; }
details { margin: 4px 0 12px; }
summary { cursor: pointer; color: #333; }
.chart, .scroll { overflow-x: auto; }
.chart svg { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
.matrix { font-size: 12px; }
.matrix th, .matrix td { padding: 3px 5px; }
.matrix td.c { min-width: 180px; max-width: 260px; }
.matrix .m { white-space: nowrap; }
.matrix small { display: block; color: #333; font-size: 10px; line-height: 1.3; }
.s { border-left: 5px solid transparent; }
.s-met { background: #d4efe5; border-left-color: #009e73; }
.s-partial { background: #fcefc7; border-left-color: #e69f00; }
.s-not_met { background: #f8d9c4; border-left-color: #d55e00; }
.s-breached { background: #f2d0e3; border-left-color: #cc79a7; font-weight: 600; }
.s-blocked { background: repeating-linear-gradient(135deg, #e6e6e6 0 6px, #d2d2d2 6px 12px);
  border-left-color: #555; }
.s-pending { background: #dbeefb; border-left-color: #56b4e9; }
.s-exempt { background: #fff; border-left: 5px double #777; font-style: italic; }
.s-not_applicable { background: #fafafa; color: #888; }
.legend { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0 10px; padding: 0; list-style: none; }
.legend li { padding: 2px 8px; border: 1px solid #ccc; font-size: 13px; }
a { color: #0058a3; }
.toc { border: 1px solid #ddd; background: #fafafa; padding: 6px 12px; margin: 12px 0; }
.toc ol { margin: 4px 0; padding-left: 20px; }
.toc ol ol { columns: 3; }
.pager { display: flex; gap: 16px; margin: 8px 0; }
.matrix-wrap { overflow: auto; max-height: 85vh; }
.matrix th { position: sticky; top: 0; z-index: 2; }
.matrix td.c { position: sticky; left: 0; z-index: 1; background: #fff; }
.matrix th:first-child { left: 0; z-index: 3; }
.compact td, .compact th { padding: 2px 6px; }
"#;

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// Engine, as-of date and the digest of every rules and input file.
fn provenance(
    out: &mut String,
    engine: &Engine,
    strategy: &StrategyInfo,
    as_of: &str,
    rules: &[FileDigest],
    inputs: &[FileStats],
) {
    for (banner, path, sha) in crate::report::banners(inputs) {
        let _ = writeln!(
            out,
            "{}",
            Element::new("p")
                .attr("class", "banner")
                .child(Element::new("strong").text(&banner))
                .text(format!(" Declared by {path} (sha256 {sha})."))
                .render()
        );
    }
    let _ = writeln!(
        out,
        "<p class=\"meta\">Produced by {} {} as of <b>{}</b>. Strategy period {} to {}.</p>",
        escape(&engine.name),
        escape(&engine.version),
        escape(as_of),
        escape(&strategy.start),
        escape(&strategy.end)
    );
    let mut t = table([
        th("input"),
        th("sha256"),
        th_num("rows"),
        th_num("accepted"),
        th_num("rejected"),
        th_num("matched no commitment"),
    ]);
    for i in inputs {
        t.push(row([
            td_code(&i.path),
            td_code(&i.sha256).attr("class", "mono digest"),
            td_num(i.rows),
            td_num(i.accepted),
            td_num(i.rejected),
            td_num(i.unmatched),
        ]));
    }
    out.push_str(&t.render());
    let mut r = table([th("rules file"), th("sha256")]);
    for f in rules {
        r.push(row([
            td_code(&f.path),
            td_code(&f.sha256).attr("class", "mono digest"),
        ]));
    }
    let _ = writeln!(
        out,
        "\n<details><summary>Rules files ({})</summary>{}</details>",
        rules.len(),
        r.render()
    );
}

/// The status mark of the other formats, except where common fonts lack the glyph (⛔), and with
/// a word for not_applicable where a mark alone would be ambiguous.
fn mark(s: Status, wordy: bool) -> &'static str {
    match s {
        Status::Blocked => "⊘ blocked",
        Status::NotApplicable if wordy => "– not applicable",
        s => s.symbol(),
    }
}

/// A table whose first row is `head`.
fn table<const N: usize>(head: [Element; N]) -> Element {
    Element::new("table").child(row(head))
}
fn row<const N: usize>(cells: [Element; N]) -> Element {
    cells
        .into_iter()
        .fold(Element::new("tr"), |tr, cell| tr.child(cell))
}
fn th(s: &str) -> Element {
    Element::new("th").text(s)
}
fn th_num(s: &str) -> Element {
    Element::new("th").attr("class", "num").text(s)
}
fn td(s: &str) -> Element {
    Element::new("td").text(s)
}
fn td_num(n: impl ToString) -> Element {
    Element::new("td").attr("class", "num").text(n.to_string())
}
fn td_code(s: &str) -> Element {
    Element::new("td").child(Element::new("code").text(s))
}

fn card(value: &str, label: &str) -> Element {
    Element::new("div")
        .attr("class", "card")
        .child(Element::new("b").text(value))
        .child(Element::new("span").text(label))
}

/// The status report as a page: scores, heatmap, then the matrix of every chapter.
pub fn render(r: &Report) -> String {
    render_with(r, Links::default())
}

pub fn render_with(r: &Report, links: Links) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>{} — status as of {}</h1>",
        escape(&r.strategy.title),
        escape(&r.as_of)
    );
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
    let _ = writeln!(b, "<h2 id=\"overall\">Overall</h2>");
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
    b.push_str(&cards.render());
    let _ = writeln!(b, "\n<h2 id=\"parties\">Parties by chapter</h2>");
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

/// A section of a table of contents: anchor, label, and its sub-sections' anchors and labels.
type TocEntry = (String, String, Vec<(String, String)>);

/// A table of contents.
fn toc(entries: &[TocEntry]) -> String {
    let mut ol = Element::new("ol");
    for (id, label, subs) in entries {
        let mut li = Element::new("li").child(
            Element::new("a")
                .attr("href", format!("#{id}"))
                .text(label.as_str()),
        );
        if !subs.is_empty() {
            let mut inner = Element::new("ol");
            for (id, label) in subs {
                inner.push(
                    Element::new("li").child(
                        Element::new("a")
                            .attr("href", format!("#{id}"))
                            .text(label.as_str()),
                    ),
                );
            }
            li.push(inner);
        }
        ol.push(li);
    }
    let nav = Element::new("nav")
        .attr("class", "toc")
        .attr("aria-label", "contents")
        .child(Element::new("b").text("Contents"))
        .child(ol);
    format!(
        "{}
",
        nav.render()
    )
}

fn entry(id: &str, label: &str) -> TocEntry {
    (id.to_string(), label.to_string(), vec![])
}

/// What the status page links to beyond itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Links {
    /// A page per party was written beside it (`party-CODE.html`).
    pub party_pages: bool,
}

/// One row of a heatmap: a label and a value per column, optionally with a second line.
struct HeatRow {
    label: String,
    tip: String,
    cells: Vec<(Option<f64>, String)>,
    bold: bool,
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

fn chart(e: Element) -> String {
    format!("<div class=\"chart\">{}</div>\n", e.render())
}

/// A grid of percents coloured on the cividis scale, each cell also printing its number.
fn heatmap(cols: &[(String, String)], rows: &[HeatRow], label: &str) -> Element {
    // The label column fits the longest label (a party's code and name).
    let longest = rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0);
    let (lw, cw, top) = (
        (longest as f64 * 6.4 + 14.0).clamp(120.0, 300.0),
        92.0,
        30.0,
    );
    let two_lines = rows.iter().any(|r| r.cells.iter().any(|c| !c.1.is_empty()));
    let ch = if two_lines { 40.0 } else { 28.0 };
    // Wide enough for the scale below the grid as well.
    let width = (lw + cw * cols.len() as f64).max(lw + 30.0 * 11.0 + 20.0) + 2.0;
    let height = top + ch * rows.len() as f64 + 40.0;
    let mut root = svg::svg(width, height, label);
    let mut heads = group()
        .attr("font-size", "12")
        .attr("font-weight", "600")
        .attr("text-anchor", "middle");
    for (j, (id, title)) in cols.iter().enumerate() {
        let x = lw + cw * (j as f64 + 0.5);
        heads.push(text(x, top - 10.0, id.as_str()).title(title.as_str()));
    }
    root.push(heads);
    let mut body = group().attr("font-size", "12");
    for (i, row) in rows.iter().enumerate() {
        let y = top + ch * i as f64;
        let mut label = text(6.0, y + ch / 2.0 + 4.0, row.label.as_str()).title(row.tip.as_str());
        if row.bold {
            label = label.attr("font-weight", "700");
        }
        body.push(label);
        for (j, (value, second)) in row.cells.iter().enumerate() {
            let x = lw + cw * j as f64;
            let (fill, ink) = match value {
                Some(p) => {
                    let c = svg::sequential(*p);
                    (c, c.ink())
                }
                None => (Rgb(0xf0, 0xf0, 0xf0), Rgb(0x66, 0x66, 0x66)),
            };
            let tip = format!(
                "{} · {}: {}{}",
                row.label,
                cols[j].1,
                percent(*value),
                if second.is_empty() {
                    String::new()
                } else {
                    format!(" ({second} points)")
                }
            );
            let mut cell = group().child(
                rect(x + 1.0, y + 1.0, cw - 2.0, ch - 2.0)
                    .attr("fill", fill.hex())
                    .attr("stroke", "#ffffff"),
            );
            let first_y = if second.is_empty() {
                y + ch / 2.0 + 4.0
            } else {
                y + ch / 2.0 - 2.0
            };
            let mut t = text(x + cw / 2.0, first_y, percent(*value))
                .attr("text-anchor", "middle")
                .attr("fill", ink.hex());
            if row.bold {
                t = t.attr("font-weight", "700");
            }
            cell.push(t);
            if !second.is_empty() {
                cell.push(
                    text(x + cw / 2.0, y + ch / 2.0 + 12.0, second.as_str())
                        .attr("text-anchor", "middle")
                        .attr("font-size", "11")
                        .attr("fill", ink.hex()),
                );
            }
            body.push(cell.title(tip));
        }
    }
    root.push(body);
    // The scale, so a reader can read a colour back to a number.
    let ly = top + ch * rows.len() as f64 + 12.0;
    let mut scale = group().attr("font-size", "11");
    scale.push(text(6.0, ly + 11.0, "scale"));
    for k in 0..=10 {
        let p = f64::from(k) * 10.0;
        let x = lw + 30.0 * f64::from(k);
        scale.push(rect(x, ly, 30.0, 14.0).attr("fill", svg::sequential(p).hex()));
        if k % 5 == 0 {
            scale.push(text(x + 15.0, ly + 26.0, format!("{p:.0}%")).attr("text-anchor", "middle"));
        }
    }
    root.push(scale);
    root
}

/// A line per series over the years, 0–100%, each with its own colour, marker and end label.
/// The points of a series as unbroken runs: a gap (no score that year) breaks the line.
fn runs(
    values: &[Option<f64>],
    x: impl Fn(usize) -> f64,
    y: impl Fn(f64) -> f64,
) -> Vec<Vec<(f64, f64)>> {
    let mut out = vec![];
    let mut run = vec![];
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(p) => run.push((x(i), y(*p))),
            None if !run.is_empty() => out.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// One small panel per party, each on the same 0-100 scale with the overall line in grey
/// behind it: eleven lines that crowd one band in the big chart each get room of their own.
fn small_multiples(years: &[i32], series: &[(String, String, Vec<Option<f64>>)]) -> Element {
    let (pw, ph, cols) = (230.0, 110.0, 4usize);
    let (cell_w, cell_h) = (pw + 30.0, ph + 44.0);
    let overall = series.iter().find(|s| s.0 == "overall");
    let parties: Vec<_> = series.iter().filter(|s| s.0 != "overall").collect();
    let rows = parties.len().div_ceil(cols).max(1);
    let mut root = svg::svg(
        cell_w * cols as f64 + 10.0,
        cell_h * rows as f64 + 10.0,
        "Each party's percent by year, beside the overall",
    );
    let x = |i: usize| {
        if years.len() <= 1 {
            pw / 2.0
        } else {
            pw * i as f64 / (years.len() - 1) as f64
        }
    };
    let y = |p: f64| ph * (100.0 - p.clamp(0.0, 100.0)) / 100.0;
    for (k, (code, name, values)) in parties.iter().enumerate() {
        let (ox, oy) = (
            20.0 + cell_w * (k % cols) as f64,
            26.0 + cell_h * (k / cols) as f64,
        );
        let mut g = group().attr(
            "transform",
            format!("translate({},{})", svg::num(ox), svg::num(oy)),
        );
        let last = values.iter().rposition(Option::is_some);
        let value = last.and_then(|i| values[i]);
        g.push(
            text(0.0, -8.0, format!("{code} {name}: {}", percent(value)))
                .attr("font-size", "12")
                .attr("font-weight", "600"),
        );
        g.push(
            rect(0.0, 0.0, pw, ph)
                .attr("fill", "#fafafa")
                .attr("stroke", "#ddd"),
        );
        g.push(line(0.0, y(50.0), pw, y(50.0)).attr("stroke", "#e6e6e6"));
        if let Some((_, _, o)) = overall {
            for r in runs(o, x, y) {
                g.push(
                    svg::polyline(&r)
                        .attr("stroke", "#aaaaaa")
                        .attr("stroke-width", "1.5")
                        .attr("stroke-dasharray", "4 3"),
                );
            }
        }
        for r in runs(values, x, y) {
            g.push(
                svg::polyline(&r)
                    .attr("stroke", "#0058a3")
                    .attr("stroke-width", "2.5"),
            );
        }
        let mut axis = group().attr("font-size", "10").attr("fill", "#555");
        if let (Some(first), Some(end)) = (years.first(), years.last()) {
            axis.push(text(0.0, ph + 12.0, first.to_string()));
            axis.push(text(pw, ph + 12.0, end.to_string()).attr("text-anchor", "end"));
        }
        axis.push(text(-3.0, y(100.0) + 8.0, "100").attr("text-anchor", "end"));
        axis.push(text(-3.0, y(0.0), "0").attr("text-anchor", "end"));
        g.push(axis);
        root.push(g.title(format!("{name} ({code}); grey: all parties")));
    }
    root
}

fn line_chart(
    years: &[i32],
    series: &[(String, String, Vec<Option<f64>>)],
    label: &str,
) -> Element {
    let (w, h) = (1000.0, 440.0);
    let (left, right, top, bottom) = (48.0, 150.0, 16.0, 40.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let x = |i: usize| {
        if years.len() <= 1 {
            left + pw / 2.0
        } else {
            left + pw * i as f64 / (years.len() - 1) as f64
        }
    };
    let y = |p: f64| top + ph * (100.0 - p.clamp(0.0, 100.0)) / 100.0;
    let mut root = svg::svg(w, h, label);
    let mut axes = group().attr("font-size", "12").attr("fill", "#333");
    for k in 0..=4 {
        let p = 25.0 * f64::from(k);
        axes.push(line(left, y(p), left + pw, y(p)).attr("stroke", "#e0e0e0"));
        axes.push(text(left - 6.0, y(p) + 4.0, format!("{p:.0}%")).attr("text-anchor", "end"));
    }
    for (i, yr) in years.iter().enumerate() {
        axes.push(line(x(i), top + ph, x(i), top + ph + 5.0).attr("stroke", "#999"));
        axes.push(text(x(i), top + ph + 20.0, yr.to_string()).attr("text-anchor", "middle"));
    }
    axes.push(line(left, top + ph, left + pw, top + ph).attr("stroke", "#999"));
    root.push(axes);
    let mut ends: Vec<(usize, f64)> = Vec::new();
    for (k, (code, name, values)) in series.iter().enumerate() {
        let overall = code == "overall";
        let colour = if overall {
            Rgb(0, 0, 0)
        } else {
            svg::OKABE_ITO[[0, 1, 2, 3, 4, 5, 7][k % 7]]
        };
        let marker = Marker::ALL[(k + k / 7) % Marker::ALL.len()];
        let mut g = group()
            .attr("stroke", colour.hex())
            .attr("fill", colour.hex());
        for r in &runs(values, x, y) {
            let mut pl = svg::polyline(r)
                .attr("stroke-width", if overall { "3.5" } else { "2" })
                .attr("stroke-linejoin", "round");
            if overall {
                pl = pl.attr("stroke-dasharray", "7 4");
            } else if k >= 7 {
                pl = pl.attr("stroke-dasharray", "2 3");
            }
            g.push(pl);
        }
        for (i, v) in values.iter().enumerate() {
            if let Some(p) = v {
                g.push(
                    marker
                        .at(x(i), y(*p), if overall { 4.5 } else { 3.5 })
                        .attr("stroke", "#ffffff")
                        .attr("stroke-width", "1")
                        .title(format!("{name} {}: {}", years[i], percent(Some(*p)))),
                );
            }
        }
        root.push(g.title(format!("{name} ({code})")));
        if let Some(last) = values.iter().rposition(Option::is_some) {
            ends.push((k, values[last].map_or(0.0, y)));
        }
    }
    let wished: Vec<f64> = ends.iter().map(|e| e.1).collect();
    let placed = svg::spread(&wished, 14.0, top, top + ph + 10.0);
    let mut labels = group().attr("font-size", "12");
    for ((k, _), ly) in ends.iter().zip(placed) {
        let (code, _, values) = &series[*k];
        let last = values.iter().rposition(Option::is_some).unwrap_or_default();
        let value = values.get(last).copied().flatten();
        let overall = code == "overall";
        let colour = if overall {
            Rgb(0, 0, 0)
        } else {
            svg::OKABE_ITO[[0, 1, 2, 3, 4, 5, 7][*k % 7]]
        };
        let marker = Marker::ALL[(k + k / 7) % Marker::ALL.len()];
        let lx = left + pw + 22.0;
        // A leader from the last point to its label, which may have been moved to stay legible.
        labels.push(
            svg::line(
                x(last),
                values.get(last).copied().flatten().map_or(ly, y),
                lx - 6.0,
                ly,
            )
            .attr("stroke", colour.hex())
            .attr("stroke-width", "0.75")
            .attr("opacity", "0.8"),
        );
        labels.push(
            marker
                .at(lx, ly, 4.0)
                .attr("fill", colour.hex())
                .attr("stroke", "#333")
                .attr("stroke-width", "0.5"),
        );
        let mut t = text(lx + 9.0, ly + 4.0, format!("{code} {}", percent(value)));
        if overall {
            t = t.attr("font-weight", "700");
        }
        labels.push(t);
    }
    root.push(labels);
    root
}

fn legend(out: &mut String) {
    let mut ul = Element::new("ul")
        .attr("class", "legend")
        .attr("aria-label", "legend");
    for s in Status::ALL {
        ul.push(
            Element::new("li")
                .attr("class", format!("s s-{}", s.as_str()))
                .text(format!("{} = {}", mark(s, false), s.as_str())),
        );
    }
    out.push_str(&ul.render());
    out.push('\n');
}

/// The commitment x party matrix of each chapter: status symbol and word, colour, evidence ids.
fn matrix(out: &mut String, r: &Report, links: Links) {
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
    let _ = writeln!(
        out,
        "<h2 id=\"commitments\">Commitments of each member</h2>"
    );
    legend(out);
    let _ = writeln!(
        out,
        "<p class=\"meta\">Each cell: the verdict, then its first evidence ids and their count (up to 20 ids in the tooltip; the JSON report lists them all) or what blocks it.</p>"
    );
    for ch in &r.chapters {
        let rows: Vec<_> = each_member(r, &ch.id).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<h3 id=\"{}\">{} ({})</h3>",
            anchor("ch-", &ch.id),
            escape(&ch.title),
            percent(ch.percent)
        );
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
        let _ = writeln!(out, "<div class=\"matrix-wrap\">{}</div>", t.render());
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
    let _ = writeln!(b, "<h1>{}</h1>", escape(&title));
    let back = Element::new("nav").attr("class", "pager").child(
        Element::new("a")
            .attr("href", format!("{status_page}#commitments"))
            .text("← all parties"),
    );
    b.push_str(&back.render());
    b.push('\n');
    provenance(
        &mut b,
        &r.engine,
        &r.strategy,
        &r.as_of,
        &r.rules,
        &r.inputs,
    );
    let ix = r.parties.iter().position(|p| p.code == code).unwrap_or(0);
    let _ = writeln!(b, "<h2 id=\"overall\">Overall</h2>");
    let mut cards = Element::new("div")
        .attr("class", "cards")
        .child(card(&percent(party.percent), "this party, all chapters"));
    for ch in &r.chapters {
        let p = ch.party_percent.get(ix).copied().flatten();
        if p.is_some() {
            cards.push(card(&percent(p), &ch.id));
        }
    }
    b.push_str(&cards.render());
    let _ = writeln!(b, "\n<h2 id=\"verdicts\">Verdicts</h2>");
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
    let _ = writeln!(b, "<div class=\"matrix-wrap\">{}</div>", t.render());
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
fn collective(out: &mut String, r: &Report, links: Links) {
    let rows: Vec<_> = r
        .commitments
        .iter()
        .filter(|c| c.scope == "collective")
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h2 id=\"collective\">Collective commitments</h2>");
    if links.party_pages {
        let _ = writeln!(
            out,
            "<p class=\"meta\">One verdict each, for the organisation as a whole (<a href=\"{}\">the SCO's page</a>).</p>",
            party_file("SCO")
        );
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
    let _ = writeln!(out, "<div class=\"matrix-wrap\">{}</div>", t.render());
}

/// Every evidence id the page shows, each with the verdicts it counts towards: the target of
/// the ids' links in the matrix.
fn evidence_table(out: &mut String, r: &Report) {
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
    let _ = writeln!(
        out,
        "<h2 id=\"evidence\">Evidence cited</h2>\n<p class=\"meta\">Each evidence id the matrix shows, and the verdicts it counts towards (the JSON report lists every id of every verdict; <code>concord explain</code> gives each row's file, line, date and kind).</p>"
    );
    let mut t = table([th("evidence id"), th("counts towards")]).attr("class", "compact");
    for (id, uses) in &cited {
        t.push(row([
            td_code(id).attr("id", anchor("ev-", id)),
            td(&uses.join(", ")),
        ]));
    }
    let _ = writeln!(out, "<div class=\"scroll\">{}</div>", t.render());
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
    let _ = writeln!(
        out,
        "<h2 id=\"adjudicated\">Adjudicated verdicts ({} of them disagree with the computed verdict)</h2>",
        disagreements
    );
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
    let _ = writeln!(out, "<div class=\"scroll\">{}</div>", t.render());
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

/// A year's summary as a page; `state` supplies the matrix as of the same date.
pub fn render_summary(s: &Summary, state: &Report) -> String {
    render_summary_in(s, state, None)
}

/// A year's summary as one page of a span of years (`span` = first and last year): with links
/// to the previous and next year and to the index.
pub fn render_summary_in(s: &Summary, state: &Report, span: Option<(i32, i32)>) -> String {
    let mut b = String::new();
    if let Some(span) = span {
        b.push_str(&pager(s.year, span));
    }
    let _ = writeln!(
        b,
        "<h1>{} — summary of {}</h1>",
        escape(&s.strategy.title),
        s.year
    );
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
    let _ = writeln!(b, "<h2 id=\"overall\">Overall</h2>");
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
    b.push_str(&st.render());

    let _ = writeln!(
        b,
        "\n<h2 id=\"parties\">Parties by chapter</h2>\n<p class=\"meta\">Percent as of {}, and below it the change in points since {}.</p>",
        escape(&s.as_of),
        escape(&s.previous_as_of)
    );
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

    let _ = writeln!(
        b,
        "<h2 id=\"changes\">What changed since {}</h2>",
        escape(&s.previous_as_of)
    );
    for (_, heading, list) in s.changes.sections() {
        let _ = writeln!(b, "<h3>{heading} ({})</h3>", list.len());
        if list.is_empty() {
            let _ = writeln!(b, "<p>None.</p>");
            continue;
        }
        b.push_str(&changes_table(list).render());
        b.push('\n');
    }

    let _ = writeln!(b, "<h2 id=\"quality\">Data quality</h2>");
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

    let _ = writeln!(
        b,
        "\n<h2 id=\"blockers\">Prerequisites blocking the most</h2>"
    );
    if s.blockers.is_empty() {
        let _ = writeln!(b, "<p>Nothing is blocked.</p>");
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
            crate::summary::file_name(year - 1, super::Format::Html),
            format!("← {}", year - 1),
        ));
    }
    nav.push(link("index.html".into(), format!("index {from}–{to}")));
    if year < to {
        nav.push(link(
            crate::summary::file_name(year + 1, super::Format::Html),
            format!("{} →", year + 1),
        ));
    }
    format!("{}\n", nav.render())
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
    let _ = writeln!(
        b,
        "<h1>{} — yearly summaries {} to {}</h1>",
        escape(&ix.strategy.title),
        ix.from,
        ix.to
    );
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
                .attr("href", crate::summary::file_name(*y, super::Format::Html))
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
    let _ = writeln!(
        b,
        "\n<h2 id=\"lines\">Each party's percent over the years</h2>"
    );
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
    let _ = writeln!(
        b,
        "<h3 id=\"multiples\">Each party on its own</h3>\n<p class=\"meta\">Blue: the party's percent; grey dashes: all parties.</p>"
    );
    b.push_str(&chart(small_multiples(&ix.years, &series)));
    let _ = writeln!(b, "<h2 id=\"trajectory\">Trajectory</h2>");
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
    let _ = writeln!(b, "<h2 id=\"chapters\">Chapters over the years</h2>");
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
