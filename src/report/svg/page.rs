//! The page around every HTML document (status report, party pages, yearly summaries, their
//! index): the style sheet, the skeleton, the provenance block, the contents and the cells every
//! table is built of. One place, so that every document looks and escapes alike.

use super::{escape, Element};
use crate::evaluate::Status;
use crate::report::Provenance;

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

pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// Engine, as-of date and the digest of every rules and input file.
pub fn provenance(out: &mut String, p: &Provenance) {
    let Provenance {
        engine,
        strategy,
        as_of,
        rules,
        inputs,
    } = *p;
    for (banner, path, sha) in crate::report::banners(inputs) {
        Element::new("p")
            .attr("class", "banner")
            .child(Element::new("strong").text(&banner))
            .text(format!(" Declared by {path} (sha256 {sha})."))
            .write_line(out);
    }
    meta()
        .text(format!(
            "Produced by {} {} as of ",
            engine.name, engine.version
        ))
        .child(Element::new("b").text(as_of))
        .text(format!(
            ". Strategy period {} to {}.",
            strategy.start, strategy.end
        ))
        .write_line(out);
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
    t.write_line(out);
    let mut r = table([th("rules file"), th("sha256")]);
    for f in rules {
        r.push(row([
            td_code(&f.path),
            td_code(&f.sha256).attr("class", "mono digest"),
        ]));
    }
    Element::new("details")
        .child(Element::new("summary").text(format!("Rules files ({})", rules.len())))
        .child(r)
        .write_line(out);
}

/// The status mark of the other formats, except where common fonts lack the glyph (⛔), and with
/// a word for not_applicable where a mark alone would be ambiguous.
pub fn mark(s: Status, wordy: bool) -> &'static str {
    match s {
        Status::Blocked => "⊘ blocked",
        Status::NotApplicable if wordy => "– not applicable",
        s => s.symbol(),
    }
}

/// A table whose first row is `head`.
pub fn table<const N: usize>(head: [Element; N]) -> Element {
    Element::new("table").child(row(head))
}
pub fn row<const N: usize>(cells: [Element; N]) -> Element {
    cells
        .into_iter()
        .fold(Element::new("tr"), |tr, cell| tr.child(cell))
}
pub fn th(s: &str) -> Element {
    Element::new("th").text(s)
}
pub fn th_num(s: &str) -> Element {
    Element::new("th").attr("class", "num").text(s)
}
pub fn td(s: &str) -> Element {
    Element::new("td").text(s)
}
pub fn td_num(n: impl ToString) -> Element {
    Element::new("td").attr("class", "num").text(n.to_string())
}
pub fn td_code(s: &str) -> Element {
    Element::new("td").child(Element::new("code").text(s))
}

pub fn card(value: &str, label: &str) -> Element {
    Element::new("div")
        .attr("class", "card")
        .child(Element::new("b").text(value))
        .child(Element::new("span").text(label))
}

/// A section of a table of contents: anchor, label, and its sub-sections' anchors and labels.
pub type TocEntry = (String, String, Vec<(String, String)>);

/// A table of contents.
pub fn toc(entries: &[TocEntry]) -> String {
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
    let mut out = String::new();
    nav.write_line(&mut out);
    out
}

pub fn entry(id: &str, label: &str) -> TocEntry {
    (id.to_string(), label.to_string(), vec![])
}

pub fn legend(out: &mut String) {
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
    ul.write_line(out);
}

/// A section heading with its anchor, the target of the contents.
pub fn h2(id: &str, text: impl Into<String>) -> Element {
    Element::new("h2").attr("id", id).text(text)
}

/// The paragraph of explanation under a heading.
pub fn meta() -> Element {
    Element::new("p").attr("class", "meta")
}

/// A table or chart in a scrolling box of the given class, on one line as it has always been.
pub fn wrap(class: &str, inner: Element) -> Element {
    Element::new("div")
        .attr("class", class)
        .inline()
        .child(inner)
}
