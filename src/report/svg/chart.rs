//! The charts of the HTML documents: a heatmap of percents, a line chart of years and small
//! multiples, each paired with printed numbers so that no colour carries meaning alone.

use crate::report::percent;
use crate::report::svg::{self, group, line, rect, text, Element, Marker, Rgb};

/// One row of a heatmap: a label and a value per column, optionally with a second line.
pub struct HeatRow {
    pub label: String,
    pub tip: String,
    pub cells: Vec<(Option<f64>, String)>,
    pub bold: bool,
}

/// A chart in its scrolling box, on a line of its own.
pub fn chart(e: Element) -> String {
    let mut out = String::new();
    svg::wrap("chart", e).write_line(&mut out);
    out
}

/// A grid of percents coloured on the cividis scale, each cell also printing its number.
pub fn heatmap(cols: &[(String, String)], rows: &[HeatRow], label: &str) -> Element {
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

/// A line per series over the years, 0–100%, each with its own colour, marker and end label.
pub fn line_chart(
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
