//! The markup kit of every HTML document: a small typed builder for SVG and HTML (every
//! attribute and text is escaped in one place and every number is formatted one way, so pages
//! are safe against odd party names and byte-for-byte reproducible), the page around a
//! document ([`page`]) and the charts ([`chart`]).

use std::fmt::Write;

mod chart;
mod page;

pub use chart::{chart, heatmap, line_chart, small_multiples, HeatCell, HeatRow};
pub use page::{
    card, entry, h2, legend, mark, meta, page, provenance, row, table, td, td_code, td_num, th,
    th_num, toc, wrap, TocEntry,
};

/// Escape text for an XML/HTML text node or a double-quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate or length: at most two decimals, no trailing zeros, never `-0` or `NaN`.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let s = format!("{:.2}", (x * 100.0).round() / 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s {
        "-0" | "" => "0".into(),
        s => s.to_string(),
    }
}

/// A markup node: an element or a run of text.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(String),
    /// The page's own words, written as they are: they hold no markup, and keep the
    /// apostrophes the pages have always printed (escaped text would write `&#39;`).
    Literal(&'static str),
}

/// Elements written as `<x/>` when empty: SVG shapes and HTML void elements. Any other empty
/// element is written `<x></x>`, since HTML parsers do not honour `<td/>`.
const VOID: [&str; 11] = [
    "rect", "line", "circle", "polyline", "polygon", "path", "stop", "use", "br", "meta", "hr",
];

/// Containers whose children go one per line, so that a changed report reads as a short diff.
/// (White space between these children means nothing to HTML or SVG.)
const BLOCK: [&str; 6] = ["svg", "g", "table", "tr", "ul", "div"];

/// An element with ordered attributes (kept in insertion order, so output is stable).
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    name: &'static str,
    attrs: Vec<(&'static str, String)>,
    children: Vec<Node>,
    /// Children on one line even in a block container (see [`Element::inline`]).
    inline: bool,
}

impl Element {
    pub fn new(name: &'static str) -> Element {
        Element {
            name,
            attrs: Vec::new(),
            children: Vec::new(),
            inline: false,
        }
    }

    /// Children written on one line even in a block container: the wrappers around a table
    /// or chart, whose bytes the pages have always had.
    pub fn inline(mut self) -> Element {
        self.inline = true;
        self
    }

    /// A text-valued attribute (escaped on output).
    pub fn attr(mut self, key: &'static str, value: impl Into<String>) -> Element {
        self.attrs.push((key, value.into()));
        self
    }

    /// A numeric attribute, formatted by [`num`].
    pub fn num(self, key: &'static str, value: f64) -> Element {
        self.attr(key, num(value))
    }

    pub fn child(mut self, child: Element) -> Element {
        self.children.push(Node::Element(child));
        self
    }

    pub fn push(&mut self, child: Element) {
        self.children.push(Node::Element(child));
    }

    pub fn text(mut self, text: impl Into<String>) -> Element {
        self.children.push(Node::Text(text.into()));
        self
    }

    /// Text written as is, for the page's own words only (see [`Node::Literal`]).
    pub fn literal(mut self, text: &'static str) -> Element {
        self.children.push(Node::Literal(text));
        self
    }

    /// A `<title>` child: the tooltip browsers show and screen readers read.
    pub fn title(self, text: impl Into<String>) -> Element {
        self.child(Element::new("title").text(text))
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// The element on a line of its own, as the sections of a page follow each other.
    pub fn write_line(&self, out: &mut String) {
        self.write(out);
        out.push('\n');
    }

    fn write(&self, out: &mut String) {
        let _ = write!(out, "<{}", self.name);
        for (k, v) in &self.attrs {
            let _ = write!(out, " {k}=\"{}\"", escape(v));
        }
        if self.children.is_empty() && VOID.contains(&self.name) {
            out.push_str("/>");
            return;
        }
        out.push('>');
        let block = BLOCK.contains(&self.name) && !self.inline;
        if block {
            out.push('\n');
        }
        for c in &self.children {
            match c {
                Node::Element(e) => {
                    e.write(out);
                    if block {
                        out.push('\n');
                    }
                }
                Node::Text(t) => out.push_str(&escape(t)),
                Node::Literal(t) => out.push_str(t),
            }
        }
        let _ = write!(out, "</{}>", self.name);
    }
}

/// The root `<svg>` of a chart of the given size, scaling to its container.
pub fn svg(width: f64, height: f64, label: &str) -> Element {
    Element::new("svg")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .attr("viewBox", format!("0 0 {} {}", num(width), num(height)))
        .num("width", width)
        .num("height", height)
        .attr("role", "img")
        .attr("aria-label", label)
}

pub fn rect(x: f64, y: f64, w: f64, h: f64) -> Element {
    Element::new("rect")
        .num("x", x)
        .num("y", y)
        .num("width", w)
        .num("height", h)
}

pub fn line(x1: f64, y1: f64, x2: f64, y2: f64) -> Element {
    Element::new("line")
        .num("x1", x1)
        .num("y1", y1)
        .num("x2", x2)
        .num("y2", y2)
}

pub fn text(x: f64, y: f64, s: impl Into<String>) -> Element {
    Element::new("text").num("x", x).num("y", y).text(s)
}

pub fn circle(cx: f64, cy: f64, r: f64) -> Element {
    Element::new("circle")
        .num("cx", cx)
        .num("cy", cy)
        .num("r", r)
}

/// A polyline through the points, in order.
pub fn polyline(points: &[(f64, f64)]) -> Element {
    Element::new("polyline")
        .attr("points", point_list(points))
        .attr("fill", "none")
}

/// A closed polygon through the points.
pub fn polygon(points: &[(f64, f64)]) -> Element {
    Element::new("polygon").attr("points", point_list(points))
}

/// The `points` attribute of a polyline or polygon: `x,y` pairs apart by spaces.
fn point_list(points: &[(f64, f64)]) -> String {
    let pts: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
        .collect();
    pts.join(" ")
}

pub fn group() -> Element {
    Element::new("g")
}

/// An sRGB colour, written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG), to choose dark or light text on a fill.
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Black or white, whichever reads better on this colour.
    pub fn ink(self) -> Rgb {
        if self.luminance() > 0.18 {
            Rgb(0x11, 0x11, 0x11)
        } else {
            Rgb(0xff, 0xff, 0xff)
        }
    }
}

/// The cividis colour map (designed to read the same to colour-blind readers and in greyscale,
/// with monotonic lightness), sampled at 0.0, 0.125, ... 1.0.
const CIVIDIS: [Rgb; 9] = palette([
    0x00224e, 0x123570, 0x3b496c, 0x575d6d, 0x707173, 0x8a8678, 0xa59c74, 0xc3b369, 0xfee838,
]);

/// The colour of a percent (0..=100) on the cividis scale.
pub fn sequential(percent: f64) -> Rgb {
    let t = (percent / 100.0).clamp(0.0, 1.0) * (CIVIDIS.len() - 1) as f64;
    let i = (t.floor() as usize).min(CIVIDIS.len() - 2);
    let f = t - i as f64;
    let (a, b) = (CIVIDIS[i], CIVIDIS[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The Okabe–Ito palette: eight colours distinguishable by the common forms of colour blindness.
pub const OKABE_ITO: [Rgb; 8] = palette([
    0x0072b2, 0xe69f00, 0x009e73, 0xcc79a7, 0x56b4e9, 0xd55e00, 0x000000, 0xf0e442,
]);

/// A palette from its colours' `0xrrggbb` codes, as palettes are published.
const fn palette<const N: usize>(codes: [u32; N]) -> [Rgb; N] {
    let mut out = [Rgb(0, 0, 0); N];
    let mut i = 0;
    while i < N {
        let [_, r, g, b] = codes[i].to_be_bytes();
        out[i] = Rgb(r, g, b);
        i += 1;
    }
    out
}

/// A marker shape, so that series stay apart where colours do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

impl Marker {
    /// The marker centred on (x, y) with radius `r`.
    pub fn at(self, x: f64, y: f64, r: f64) -> Element {
        match self {
            Marker::Circle => circle(x, y, r),
            Marker::Square => rect(x - r, y - r, 2.0 * r, 2.0 * r),
            Marker::Triangle => {
                polygon(&[(x, y - r * 1.2), (x + r * 1.1, y + r), (x - r * 1.1, y + r)])
            }
            Marker::Diamond => polygon(&[
                (x, y - r * 1.3),
                (x + r * 1.3, y),
                (x, y + r * 1.3),
                (x - r * 1.3, y),
            ]),
        }
    }
}

/// Spread label positions (sorted or not) so that no two are closer than `gap`, keeping them
/// as near their wished position as a simple top-down pass allows, and inside [lo, hi].
pub fn spread(wished: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wished.len()).collect();
    order.sort_by(|&a, &b| wished[a].total_cmp(&wished[b]).then(a.cmp(&b)));
    let mut placed = vec![0.0; wished.len()];
    let mut last = f64::NEG_INFINITY;
    for &i in &order {
        let y = wished[i].max(last + gap).max(lo);
        placed[i] = y;
        last = y;
    }
    // Pushed past the bottom: shift the tail back up.
    let mut next = f64::INFINITY;
    for &i in order.iter().rev() {
        let y = placed[i].min(next - gap).min(hi);
        placed[i] = y;
        next = y;
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_text_and_attributes() {
        let e = Element::new("text")
            .attr("data-x", "a\"b<c>&'")
            .text("<script>&");
        assert_eq!(
            e.render(),
            "<text data-x=\"a&quot;b&lt;c&gt;&amp;&#39;\">&lt;script&gt;&amp;</text>"
        );
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(2.0 / 3.0), "0.67");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(100.0), "100");
        assert_eq!(num(-12.345), "-12.35");
    }

    #[test]
    fn empty_elements_self_close_and_children_nest() {
        let s = svg(10.0, 20.0, "chart")
            .child(rect(0.0, 0.0, 10.0, 5.5).attr("fill", "#fff"))
            .child(group().child(text(1.0, 2.0, "A&B").title("tip")))
            .render();
        assert_eq!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 20\" width=\"10\" height=\"20\" role=\"img\" aria-label=\"chart\">\n\
             <rect x=\"0\" y=\"0\" width=\"10\" height=\"5.5\" fill=\"#fff\"/>\n\
             <g>\n<text x=\"1\" y=\"2\">A&amp;B<title>tip</title></text>\n</g>\n</svg>"
        );
    }

    #[test]
    fn empty_html_elements_get_a_closing_tag() {
        assert_eq!(Element::new("td").render(), "<td></td>");
        assert_eq!(Element::new("br").render(), "<br/>");
    }

    #[test]
    fn inline_wrappers_and_literal_text() {
        let wrapped = Element::new("div")
            .attr("class", "scroll")
            .inline()
            .child(Element::new("table").child(Element::new("tr")));
        assert_eq!(
            wrapped.render(),
            "<div class=\"scroll\"><table>\n<tr>\n</tr>\n</table></div>"
        );
        let p = Element::new("p").literal("the SCO's page").text("'");
        assert_eq!(p.render(), "<p>the SCO's page&#39;</p>");
    }

    #[test]
    fn palettes_read_their_hex_codes() {
        assert_eq!(CIVIDIS[0], Rgb(0x00, 0x22, 0x4e));
        assert_eq!(OKABE_ITO[7].hex(), "#f0e442");
    }

    #[test]
    fn polyline_lists_points_in_order() {
        assert_eq!(
            polyline(&[(0.0, 1.0), (2.5, 3.0)]).render(),
            "<polyline points=\"0,1 2.5,3\" fill=\"none\"/>"
        );
    }

    #[test]
    fn sequential_scale_runs_dark_to_light() {
        assert_eq!(sequential(0.0), CIVIDIS[0]);
        assert_eq!(sequential(100.0), CIVIDIS[8]);
        assert_eq!(sequential(150.0), CIVIDIS[8]);
        let mut last = -1.0;
        for p in (0..=100).step_by(5) {
            let l = sequential(f64::from(p)).luminance();
            assert!(l > last, "lightness must grow with the percent");
            last = l;
        }
        assert_eq!(sequential(0.0).ink(), Rgb(0xff, 0xff, 0xff));
        assert_eq!(sequential(100.0).ink(), Rgb(0x11, 0x11, 0x11));
    }

    #[test]
    fn spread_keeps_labels_apart_and_inside() {
        let placed = spread(&[50.0, 50.0, 51.0, 10.0], 10.0, 0.0, 100.0);
        let mut sorted = placed.clone();
        sorted.sort_by(f64::total_cmp);
        for w in sorted.windows(2) {
            assert!(w[1] - w[0] >= 10.0 - 1e-9);
        }
        assert_eq!(placed[3], 10.0);
        let placed = spread(&[99.0, 99.0, 99.0], 10.0, 0.0, 100.0);
        assert!(placed.iter().all(|y| (0.0..=100.0).contains(y)));
    }

    #[test]
    fn markers_differ_in_shape() {
        use strum::VariantArray;
        let shapes: Vec<String> = Marker::VARIANTS
            .iter()
            .map(|m| m.at(5.0, 5.0, 2.0).render())
            .collect();
        for (i, a) in shapes.iter().enumerate() {
            for b in &shapes[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
