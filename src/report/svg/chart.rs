//! The charts of the HTML documents: a heatmap of percents, a line chart of years and small
//! multiples, each paired with printed numbers so that no colour carries meaning alone.

use strum::VariantArray;

use crate::report::percent;
use crate::report::svg::{self, group, line, rect, text, Element, Marker, Rgb};

/// One row of a heatmap: a label and a value per column, optionally with a second line.
pub struct HeatRow {
    pub label: String,
    pub tip: String,
    pub cells: Vec<HeatCell>,
    pub bold: bool,
}

/// A heatmap cell: the percent (none where nothing is scored) and a second line, or `""`.
pub type HeatCell = (Option<f64>, String);

impl HeatRow {
    /// A party's row: labelled with its code and name, its name as the tooltip.
    pub fn party(code: &str, name: &str, cells: Vec<HeatCell>) -> HeatRow {
        HeatRow {
            label: format!("{code} {name}"),
            tip: name.to_string(),
            cells,
            bold: false,
        }
    }

    /// The bold row below the parties, over every scored verdict.
    pub fn total(label: &str, cells: Vec<HeatCell>) -> HeatRow {
        HeatRow {
            label: label.to_string(),
            tip: "every scored verdict".to_string(),
            cells,
            bold: true,
        }
    }
}

/// A chart in its scrolling box, on a line of its own.
pub fn chart(e: Element) -> String {
    let mut out = String::new();
    svg::wrap("chart", e).write_line(&mut out);
    out
}

/// A grid of percents coloured on the cividis scale, each cell also printing its number.
pub fn heatmap(cols: &[(String, String)], rows: &[HeatRow], label: &str) -> Element {
    let grid = Grid::fit(rows);
    let height = grid.top + grid.ch * rows.len() as f64 + 40.0;
    let mut root = svg::svg(grid.width(cols.len()), height, label);
    root.push(column_heads(&grid, cols));
    let mut body = group().attr("font-size", "12");
    for (i, row) in rows.iter().enumerate() {
        let y = grid.top + grid.ch * i as f64;
        let mut label =
            text(6.0, y + grid.ch / 2.0 + 4.0, row.label.as_str()).title(row.tip.as_str());
        if row.bold {
            label = label.attr("font-weight", "700");
        }
        body.push(label);
        for (j, (value, second)) in row.cells.iter().enumerate() {
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
            let x = grid.lw + grid.cw * j as f64;
            body.push(heat_cell(&grid, x, y, *value, second, row.bold).title(tip));
        }
    }
    root.push(body);
    root.push(scale(&grid, grid.top + grid.ch * rows.len() as f64 + 12.0));
    root
}

/// The geometry of a heatmap: label column width, cell width and height, top margin.
struct Grid {
    lw: f64,
    cw: f64,
    ch: f64,
    top: f64,
}

impl Grid {
    /// The label column fits the longest label (a party's code and name); cells grow a line
    /// where any has a second one.
    fn fit(rows: &[HeatRow]) -> Grid {
        let longest = rows
            .iter()
            .map(|r| r.label.chars().count())
            .max()
            .unwrap_or(0);
        let two_lines = rows.iter().any(|r| r.cells.iter().any(|c| !c.1.is_empty()));
        Grid {
            lw: (longest as f64 * 6.4 + 14.0).clamp(120.0, 300.0),
            cw: 92.0,
            ch: if two_lines { 40.0 } else { 28.0 },
            top: 30.0,
        }
    }

    /// Wide enough for the columns and for the scale below the grid as well.
    fn width(&self, columns: usize) -> f64 {
        (self.lw + self.cw * columns as f64).max(self.lw + 30.0 * 11.0 + 20.0) + 2.0
    }
}

/// Each column's id above it, its title in the tooltip.
fn column_heads(grid: &Grid, cols: &[(String, String)]) -> Element {
    let mut heads = group()
        .attr("font-size", "12")
        .attr("font-weight", "600")
        .attr("text-anchor", "middle");
    for (j, (id, title)) in cols.iter().enumerate() {
        let x = grid.lw + grid.cw * (j as f64 + 0.5);
        heads.push(text(x, grid.top - 10.0, id.as_str()).title(title.as_str()));
    }
    heads
}

/// One cell at (x, y): its colour, its percent in ink that reads on it, and the second line.
fn heat_cell(grid: &Grid, x: f64, y: f64, value: Option<f64>, second: &str, bold: bool) -> Element {
    let (cw, ch) = (grid.cw, grid.ch);
    let (fill, ink) = match value {
        Some(p) => {
            let c = svg::sequential(p);
            (c, c.ink())
        }
        None => (Rgb(0xf0, 0xf0, 0xf0), Rgb(0x66, 0x66, 0x66)),
    };
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
    let mut t = text(x + cw / 2.0, first_y, percent(value))
        .attr("text-anchor", "middle")
        .attr("fill", ink.hex());
    if bold {
        t = t.attr("font-weight", "700");
    }
    cell.push(t);
    if !second.is_empty() {
        cell.push(
            text(x + cw / 2.0, y + ch / 2.0 + 12.0, second)
                .attr("text-anchor", "middle")
                .attr("font-size", "11")
                .attr("fill", ink.hex()),
        );
    }
    cell
}

/// The scale at `ly`, so a reader can read a colour back to a number.
fn scale(grid: &Grid, ly: f64) -> Element {
    let mut scale = group().attr("font-size", "11");
    scale.push(text(6.0, ly + 11.0, "scale"));
    for k in 0..=10 {
        let p = f64::from(k) * 10.0;
        let x = grid.lw + 30.0 * f64::from(k);
        scale.push(rect(x, ly, 30.0, 14.0).attr("fill", svg::sequential(p).hex()));
        if k % 5 == 0 {
            scale.push(text(x + 15.0, ly + 26.0, format!("{p:.0}%")).attr("text-anchor", "middle"));
        }
    }
    scale
}

/// The points of a series as unbroken runs: a gap (no score that year) breaks the line.
fn runs(values: &[Option<f64>], plot: &Plot) -> Vec<Vec<(f64, f64)>> {
    let mut out = vec![];
    let mut run = vec![];
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(p) => run.push((plot.x(i), plot.y(*p))),
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
pub fn small_multiples(years: &[i32], series: &[(String, String, Vec<Option<f64>>)]) -> Element {
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
    // Each panel draws in its own coordinates, moved into place by a transform.
    let plot = Plot {
        left: 0.0,
        top: 0.0,
        pw,
        ph,
        points: years.len(),
    };
    for (k, party) in parties.iter().enumerate() {
        let (ox, oy) = (
            20.0 + cell_w * (k % cols) as f64,
            26.0 + cell_h * (k / cols) as f64,
        );
        let g = group().attr(
            "transform",
            format!("translate({},{})", svg::num(ox), svg::num(oy)),
        );
        root.push(panel(g, &plot, years, party, overall.map(|o| &o.2[..])));
    }
    root
}

/// One party's panel in `g`: its name and last percent, its line in blue over the overall's
/// grey dashes, the first and last year and the 0 and 100 marks.
fn panel(
    mut g: Element,
    plot: &Plot,
    years: &[i32],
    (code, name, values): &(String, String, Vec<Option<f64>>),
    overall: Option<&[Option<f64>]>,
) -> Element {
    let (pw, ph) = (plot.pw, plot.ph);
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
    g.push(line(0.0, plot.y(50.0), pw, plot.y(50.0)).attr("stroke", "#e6e6e6"));
    for r in runs(overall.unwrap_or_default(), plot) {
        g.push(
            svg::polyline(&r)
                .attr("stroke", "#aaaaaa")
                .attr("stroke-width", "1.5")
                .attr("stroke-dasharray", "4 3"),
        );
    }
    for r in runs(values, plot) {
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
    axis.push(text(-3.0, plot.y(100.0) + 8.0, "100").attr("text-anchor", "end"));
    axis.push(text(-3.0, plot.y(0.0), "0").attr("text-anchor", "end"));
    g.push(axis);
    g.title(format!("{name} ({code}); grey: all parties"))
}

/// A line per series over the years, 0–100%, each with its own colour, marker and end label.
pub fn line_chart(
    years: &[i32],
    series: &[(String, String, Vec<Option<f64>>)],
    label: &str,
) -> Element {
    let (w, h) = (1000.0, 440.0);
    let (left, right, top, bottom) = (48.0, 150.0, 16.0, 40.0);
    let plot = Plot {
        left,
        top,
        pw: w - left - right,
        ph: h - top - bottom,
        points: years.len(),
    };
    let mut root = svg::svg(w, h, label);
    root.push(axes(&plot, years));
    let mut ends: Vec<(usize, f64)> = Vec::new();
    for (k, s) in series.iter().enumerate() {
        root.push(series_line(&plot, years, k, s));
        let values = &s.2;
        if let Some(last) = values.iter().rposition(Option::is_some) {
            ends.push((k, values[last].map_or(0.0, |p| plot.y(p))));
        }
    }
    root.push(end_labels(&plot, series, &ends));
    root
}

/// The plotting area of a chart of years: where a year and a percent go.
struct Plot {
    left: f64,
    top: f64,
    pw: f64,
    ph: f64,
    /// How many years the x axis spreads over.
    points: usize,
}

impl Plot {
    fn x(&self, i: usize) -> f64 {
        if self.points <= 1 {
            self.left + self.pw / 2.0
        } else {
            self.left + self.pw * i as f64 / (self.points - 1) as f64
        }
    }

    fn y(&self, p: f64) -> f64 {
        self.top + self.ph * (100.0 - p.clamp(0.0, 100.0)) / 100.0
    }
}

/// Grid lines at every quarter with their percent, and a tick and label per year.
fn axes(plot: &Plot, years: &[i32]) -> Element {
    let (left, pw, bottom) = (plot.left, plot.pw, plot.top + plot.ph);
    let mut axes = group().attr("font-size", "12").attr("fill", "#333");
    for k in 0..=4 {
        let p = 25.0 * f64::from(k);
        axes.push(line(left, plot.y(p), left + pw, plot.y(p)).attr("stroke", "#e0e0e0"));
        axes.push(text(left - 6.0, plot.y(p) + 4.0, format!("{p:.0}%")).attr("text-anchor", "end"));
    }
    for (i, yr) in years.iter().enumerate() {
        axes.push(line(plot.x(i), bottom, plot.x(i), bottom + 5.0).attr("stroke", "#999"));
        axes.push(text(plot.x(i), bottom + 20.0, yr.to_string()).attr("text-anchor", "middle"));
    }
    axes.push(line(left, bottom, left + pw, bottom).attr("stroke", "#999"));
    axes
}

/// The colour and marker of the k-th series: the overall in black, the parties in the
/// Okabe–Ito colours but black, which is the overall's, and past seven the next marker.
fn series_style(k: usize, code: &str) -> (Rgb, Marker) {
    let colour = if code == "overall" {
        Rgb(0, 0, 0)
    } else {
        svg::OKABE_ITO[[0, 1, 2, 3, 4, 5, 7][k % 7]]
    };
    let markers = Marker::VARIANTS;
    (colour, markers[(k + k / 7) % markers.len()])
}

/// One series: its line (broken where a year has no score) and a marker with a tooltip per year.
fn series_line(
    plot: &Plot,
    years: &[i32],
    k: usize,
    (code, name, values): &(String, String, Vec<Option<f64>>),
) -> Element {
    let overall = code == "overall";
    let (colour, marker) = series_style(k, code);
    let mut g = group()
        .attr("stroke", colour.hex())
        .attr("fill", colour.hex());
    for r in &runs(values, plot) {
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
                    .at(plot.x(i), plot.y(*p), if overall { 4.5 } else { 3.5 })
                    .attr("stroke", "#ffffff")
                    .attr("stroke-width", "1")
                    .title(format!("{name} {}: {}", years[i], percent(Some(*p)))),
            );
        }
    }
    g.title(format!("{name} ({code})"))
}

/// A label right of the plot for each series' last value (`ends`: series and the height of
/// that value), spread to stay legible and joined to its point by a leader.
fn end_labels(
    plot: &Plot,
    series: &[(String, String, Vec<Option<f64>>)],
    ends: &[(usize, f64)],
) -> Element {
    let wished: Vec<f64> = ends.iter().map(|e| e.1).collect();
    let placed = svg::spread(&wished, 14.0, plot.top, plot.top + plot.ph + 10.0);
    let mut labels = group().attr("font-size", "12");
    for ((k, _), ly) in ends.iter().zip(placed) {
        let (code, _, values) = &series[*k];
        let last = values.iter().rposition(Option::is_some).unwrap_or_default();
        let value = values.get(last).copied().flatten();
        let (colour, marker) = series_style(*k, code);
        let lx = plot.left + plot.pw + 22.0;
        labels.push(
            svg::line(plot.x(last), value.map_or(ly, |p| plot.y(p)), lx - 6.0, ly)
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
        if code == "overall" {
            t = t.attr("font-weight", "700");
        }
        labels.push(t);
    }
    labels
}
