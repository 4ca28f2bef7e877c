//! An ods file's tables read as their cells come, as calamine reads them, without its grids.
//!
//! calamine's ods reader builds every table of the file, when it opens it, as a dense grid of
//! values and another of formulas, then copies both to trim them: 1M rows of ten columns took
//! 1.46 GB. This reads `content.xml` event for event as calamine's reader does (the same
//! reader settings, the same elements and attributes, the same values), and hands each cell
//! that holds something to a [`Tables`] as it comes. Every table is read, so that what would
//! make calamine refuse the file refuses it here too; only the table asked for is kept, and
//! its text is bounded as it is written ([`Tables`]): no pass before measures the tables.

use std::io::{BufRead, Read, Seek};

use calamine::Data;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

// A sheet's bounds (`ROWS`, `COLUMNS`) are calamine's for an ods table too: repeats past them
// are cut short, and a cell that holds something past them is handed on for refusal.
use super::{Unconverted, COLUMNS, ROWS};
use crate::activity::ingest::MAX_ROW_BYTES;

/// The mimetype part an ods file starts with.
const MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// What reading an ods file hands on.
pub(super) trait Tables {
    /// A table named `name` starts: whether its cells are wanted.
    fn table(&mut self, name: &str) -> bool;
    /// A cell that holds something, in a wanted table, at (row, column) from 0; rows come in
    /// order, and cells left to right within a row. Past [`ROWS`] or [`COLUMNS`] only the
    /// first such cell comes, one past the last row or column, so that it can be refused.
    fn cell(&mut self, row: u32, column: u32, value: &Data) -> Result<(), Unconverted>;
}

/// Why a file is not read: not an ods file or damaged (the message), or what `Tables` said.
pub(super) enum Unread {
    Format(String),
    Refused(Unconverted),
}

impl<E: std::fmt::Display> From<E> for Unread {
    fn from(e: E) -> Unread {
        Unread::Format(e.to_string())
    }
}

type Xml<R> = quick_xml::Reader<R>;

/// Read the ods file in `zip`: its mimetype, that it is not encrypted, then every table of
/// its `content.xml`.
pub(super) fn read<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    tables: &mut dyn Tables,
) -> Result<(), Unread> {
    let mut mime = [0u8; MIMETYPE.len()];
    part(zip, "mimetype")?.read_exact(&mut mime)?;
    if mime != MIMETYPE {
        return Err(Unread::Format(format!(
            "its mimetype is not {}",
            String::from_utf8_lossy(MIMETYPE)
        )));
    }
    if encrypted(&mut xml(part(zip, "META-INF/manifest.xml")?))? {
        return Err(Unread::Format("it is password protected".into()));
    }
    let mut xml = xml(part(zip, "content.xml")?);
    content(&mut xml, tables).map_err(|e| match e {
        Unread::Format(e) => {
            Unread::Format(format!("content.xml, byte {}: {e}", xml.buffer_position()))
        }
        refused => refused,
    })
}

/// A part of the file, by name; one missing is named.
fn part<'z, R: Read + Seek>(
    zip: &'z mut zip::ZipArchive<R>,
    name: &str,
) -> Result<zip::read::ZipFile<'z, R>, Unread> {
    zip.by_name(name)
        .map_err(|e| Unread::Format(format!("its part {name} cannot be read: {e}")))
}

/// An event as a message names it.
fn what(e: &Event<'_>) -> String {
    match e {
        Event::Start(e) => format!("<{}>", e.name().as_ref()),
        Event::End(e) => format!("</{}>", e.name().as_ref()),
        Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) => "text".into(),
        Event::Eof => "the end of the part".into(),
        _ => "other markup".into(),
    }
}

/// A reader of one part, set as calamine sets its own.
fn xml<R: Read>(part: R) -> Xml<std::io::BufReader<R>> {
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    xml
}

/// Whether the manifest gives a file entry encryption data.
fn encrypted<R: BufRead>(xml: &mut Xml<R>) -> Result<bool, Unread> {
    let mut buf = Vec::new();
    let mut in_entry = false;
    loop {
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) if e.name() == QName("manifest:file-entry") => in_entry = true,
            Event::Start(e) if in_entry && e.name() == QName("manifest:encryption-data") => {
                return Ok(true)
            }
            Event::Eof => return Ok(false),
            _ => {}
        }
        buf.clear();
    }
}

/// The tables of `content.xml`, each named one read row by row; named expressions are read
/// past, as calamine reads them, for the errors they may hold.
fn content<R: BufRead>(xml: &mut Xml<R>, tables: &mut dyn Tables) -> Result<(), Unread> {
    let mut buf = Vec::new();
    // Tables without a name, read past as calamine reads past them, still open.
    let mut unnamed = 0usize;
    loop {
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) if e.name() == QName("table:table") => match attr(&e, "table:name")? {
                Some(name) => {
                    let wanted = tables.table(&unescaped(name)?);
                    table(xml, wanted.then_some(&mut *tables))?;
                }
                None => unnamed += 1,
            },
            Event::End(e) if unnamed > 0 && e.name() == QName("table:table") => unnamed -= 1,
            Event::Eof if unnamed > 0 => return Err(ends_inside()),
            Event::Start(e) if e.name() == QName("table:named-expressions") => {
                named_expressions(xml)?;
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

fn named_expressions<R: BufRead>(xml: &mut Xml<R>) -> Result<(), Unread> {
    let named = |name: QName<'_>| {
        name == QName("table:named-range") || name == QName("table:named-expression")
    };
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) if named(e.name()) => {
                for key in ["table:name", "table:cell-range-address", "table:expression"] {
                    if let Some(v) = attr(&e, key)? {
                        unescaped(v)?;
                    }
                }
            }
            Event::End(e) if named(e.name()) => {}
            Event::End(e) if e.name() == QName("table:named-expressions") => return Ok(()),
            other => {
                return Err(Unread::Format(format!(
                    "a named expression list holds {}, where only named ranges and \
                     expressions may be",
                    what(&other)
                )))
            }
        }
        buf.clear();
    }
}

/// One table, its rows each `number-rows-repeated` times (the rows past [`ROWS`] none);
/// its cells go to `tables` when it is the one wanted.
fn table<R: BufRead>(xml: &mut Xml<R>, mut tables: Option<&mut dyn Tables>) -> Result<(), Unread> {
    let mut buf = Vec::new();
    let mut row_buf = Vec::new();
    let mut cell_buf = Vec::new();
    let mut cells: Vec<Run> = Vec::new();
    let mut rows: u32 = 0;
    loop {
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) if e.name() == QName("table:table-row") => {
                let repeats = match attr(&e, "table:number-rows-repeated")? {
                    Some(v) => unescaped(v)?.parse::<u64>()?,
                    None => 1,
                };
                let kept = cut(repeats, rows, ROWS);
                cells.clear();
                row(xml, &mut row_buf, &mut cell_buf, &mut cells)?;
                if let Some(tables) = tables.as_deref_mut() {
                    for r in rows..rows + kept {
                        for run in &cells {
                            for column in run.columns.clone() {
                                tables
                                    .cell(r, column, &run.value)
                                    .map_err(Unread::Refused)?;
                            }
                        }
                    }
                    // A row that holds something past the last row goes on, for `tables` to
                    // refuse.
                    if let (true, Some(run)) = (u64::from(kept) < repeats, cells.first()) {
                        tables
                            .cell(rows + kept, run.columns.start, &run.value)
                            .map_err(Unread::Refused)?;
                    }
                }
                rows += kept;
            }
            Event::End(e) if e.name() == QName("table:table") => return Ok(()),
            Event::Eof => return Err(ends_inside()),
            _ => {}
        }
        buf.clear();
    }
}

/// A cell that holds something, over the columns it is repeated in.
struct Run {
    columns: std::ops::Range<u32>,
    value: Data,
}

/// One row's cells that hold something, with their columns: a cell counts
/// `number-columns-repeated` times, as far as [`COLUMNS`]. A repeated cell is kept once, not
/// once for each column: 16,384 copies of a long value took gigabytes before a table's reader
/// could refuse them, and a table not read needs none.
fn row<R: BufRead>(
    xml: &mut Xml<R>,
    row_buf: &mut Vec<u8>,
    cell_buf: &mut Vec<u8>,
    cells: &mut Vec<Run>,
) -> Result<(), Unread> {
    let mut column: u32 = 0;
    loop {
        row_buf.clear();
        match xml.read_event_into(row_buf)? {
            Event::Start(e)
                if e.name() == QName("table:table-cell")
                    || e.name() == QName("table:covered-table-cell") =>
            {
                let repeats = match attr(&e, "table:number-columns-repeated")? {
                    Some(v) => v.parse::<u64>()?,
                    None => 1,
                };
                let (value, closed) = cell(xml, &e, cell_buf)?;
                let kept = cut(repeats, column, COLUMNS);
                // A cell with a formula and no value holds nothing, as in calamine's grid.
                if value != Data::Empty {
                    // The first cell that holds something past the last column goes on too,
                    // for the table's reader to refuse: calamine drops it without a word.
                    let past = u32::from(u64::from(kept) < repeats);
                    let columns = column..column + kept + past;
                    if !columns.is_empty() {
                        cells.push(Run { columns, value });
                    }
                }
                column += kept;
                if !closed {
                    xml.read_to_end_into(e.name(), cell_buf)?;
                }
            }
            Event::End(e) if e.name() == QName("table:table-row") => return Ok(()),
            Event::Eof => return Err(ends_inside()),
            other => {
                return Err(Unread::Format(format!(
                    "a table row holds {}, where only cells may be",
                    what(&other)
                )))
            }
        }
    }
}

/// A file whose `content.xml` ends inside a table: calamine's reader turned for ever on one.
fn ends_inside() -> Unread {
    Unread::Refused(Unconverted::Damaged(
        "content.xml ends inside a table, as a cut file does".into(),
    ))
}

/// `repeats` from `at`, as far as `limit`.
fn cut(repeats: u64, at: u32, limit: u32) -> u32 {
    let room = limit.saturating_sub(at);
    u32::try_from(repeats).map_or(room, |r| r.min(room))
}

/// A cell's value, and whether its element was read to its end:
/// the first of `office:value`, `office:string-value`, `office:date-value`,
/// `office:time-value` and `office:boolean-value`, or its paragraphs' text for a string
/// cell without a string value (and an error cell, whose text LibreOffice keeps there).
fn cell<R: BufRead>(
    xml: &mut Xml<R>,
    e: &BytesStart<'_>,
    buf: &mut Vec<u8>,
) -> Result<(Data, bool), Unread> {
    let mut is_string = false;
    let mut is_error = false;
    let mut set = false;
    let mut value = Data::Empty;
    for a in Attrs::of(e) {
        let (key, v) = a?;
        match key {
            "office:value" if !set => {
                value = Data::Float(v.parse::<f64>()?);
                set = true;
            }
            key @ ("office:string-value" | "office:date-value" | "office:time-value") if !set => {
                let v = unescaped(v)?;
                value = match key {
                    "office:date-value" => Data::DateTimeIso(v),
                    "office:time-value" => Data::DurationIso(v),
                    _ => Data::String(v),
                };
                set = true;
            }
            "office:boolean-value" if !set => {
                value = Data::Bool(v == "TRUE" || v == "true");
                set = true;
            }
            "office:value-type" if !set => is_string = v == "string",
            "calcext:value-type" => is_error = v == "error",
            // Not kept, but calamine decodes it, and refuses the file if it cannot.
            "table:formula" => drop(unescaped(v)?),
            _ => {}
        }
    }
    let empty_error = is_error && matches!(&value, Data::String(s) if s.is_empty());
    if (set || !is_string) && !empty_error {
        return Ok((value, false));
    }
    Ok((Data::String(paragraphs(xml, buf)?), true))
}

/// The text of a cell's paragraphs up to the cell's end, a line break between two, its
/// spaces, tabs and line breaks spelt out, its annotations left out.
fn paragraphs<R: BufRead>(xml: &mut Xml<R>, buf: &mut Vec<u8>) -> Result<String, Unread> {
    let mut s = String::new();
    let mut first = true;
    loop {
        buf.clear();
        match xml.read_event_into(buf)? {
            Event::Text(t) => s.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name: &str = &r;
                if let Some(text) = quick_xml::escape::resolve_xml_entity(name) {
                    s.push_str(text);
                } else if let Some(c) = r.resolve_char_ref()? {
                    s.push(c);
                } else {
                    return Err(Unread::Format(format!("unknown entity &{name};")));
                }
            }
            Event::End(e)
                if e.name() == QName("table:table-cell")
                    || e.name() == QName("table:covered-table-cell") =>
            {
                return Ok(s)
            }
            Event::Start(e) if e.name() == QName("office:annotation") => loop {
                match xml.read_event_into(buf)? {
                    Event::End(e) if e.name() == QName("office:annotation") => break,
                    Event::Eof => return Err(ends_inside()),
                    _ => {}
                }
            },
            Event::Start(e) if e.name() == QName("text:p") => {
                if !first {
                    s.push('\n');
                }
                first = false;
            }
            Event::Start(e) if e.name() == QName("text:s") => {
                let count = match attr(&e, "text:c")? {
                    Some(v) => unescaped(v)?.parse::<usize>()?,
                    None => 1,
                };
                // A cell longer than a row may be stops its file when its row is read, at any
                // length: its spaces are spelt out no further (ten bytes asked for gigabytes).
                let room = (MAX_ROW_BYTES + 1).saturating_sub(s.len());
                s.extend(std::iter::repeat_n(' ', count.min(room)));
            }
            Event::Start(e) if e.name() == QName("text:tab") => s.push('\t'),
            Event::Start(e) if e.name() == QName("text:line-break") => s.push('\n'),
            Event::Eof => return Err(ends_inside()),
            _ => {}
        }
    }
}

/// An attribute's raw value, the first of that name.
fn attr<'e>(e: &'e BytesStart<'_>, key: &str) -> Result<Option<&'e str>, Unread> {
    for a in Attrs::of(e) {
        let (k, v) = a?;
        if k == key {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// A start tag's attributes as calamine reads them: a key is everything up to the next `=`,
/// a value runs from a quote to the same quote (or the tag's end). quick-xml's own reader
/// refuses some tags this reads, and what calamine reads must read here the same.
struct Attrs<'a> {
    raw: &'a str,
    at: usize,
}

impl<'a> Attrs<'a> {
    fn of(e: &'a BytesStart<'_>) -> Attrs<'a> {
        Attrs {
            raw: e.attributes_raw(),
            at: 0,
        }
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<(&'a str, &'a str), Unread>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.raw.as_bytes();
        let skip_space = |mut at: usize| {
            while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
                at += 1;
            }
            at
        };
        let start = skip_space(self.at);
        if start >= bytes.len() {
            self.at = start;
            return None;
        }
        self.at = bytes.len();
        let Some(eq) = memchr::memchr(b'=', &bytes[start..]).map(|i| start + i) else {
            return Some(Err(Unread::Format(format!(
                "an attribute without `=` at {start}"
            ))));
        };
        let key = self.raw[start..eq].trim_ascii_end();
        let open = skip_space(eq + 1);
        let quote = match bytes.get(open) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                return Some(Err(Unread::Format(format!(
                    "an attribute value without quotes at {open}"
                ))))
            }
        };
        let end = memchr::memchr(quote, &bytes[open + 1..]).map_or(bytes.len(), |i| open + 1 + i);
        self.at = (end + 1).min(bytes.len());
        Some(Ok((key, &self.raw[open + 1..end])))
    }
}

fn unescaped(v: &str) -> Result<String, Unread> {
    Ok(quick_xml::escape::unescape(v)?.into_owned())
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::PathBuf;

    use super::super::{grid_text, ods_text, Book};
    use calamine::Reader;

    /// An ods file of `tables` (the XML inside `office:spreadsheet`) and `manifest` entries.
    fn ods(tables: &str, manifest: &str) -> Vec<u8> {
        let content = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
             xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
             xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
             xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
             <office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>\
             </office:document-content>"
        );
        let manifest = format!(
            "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
             <manifest:file-entry manifest:full-path=\"/\"/>{manifest}</manifest:manifest>"
        );
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, body) in [
            ("mimetype", super::MIMETYPE),
            ("META-INF/manifest.xml", manifest.as_bytes()),
            ("content.xml", content.as_bytes()),
        ] {
            zip.start_file(name, stored)
                .unwrap_or_else(|e| panic!("zip: {e}"));
            zip.write_all(body).unwrap_or_else(|e| panic!("zip: {e}"));
        }
        zip.finish()
            .unwrap_or_else(|e| panic!("zip: {e}"))
            .into_inner()
    }

    /// The sheet `sheet` (or the first) as calamine's grid gives it, written as CSV text.
    fn by_calamine(bytes: &[u8], sheet: Option<&str>) -> Option<(String, Vec<u8>)> {
        let mut book = calamine::Ods::new(std::io::Cursor::new(bytes)).ok()?;
        let names = book.sheet_names();
        let name = match sheet {
            Some(s) => names.iter().find(|n| *n == s)?.clone(),
            None => names.first()?.clone(),
        };
        let grid = book.worksheet_range(&name).ok()?;
        Some((name, grid_text(&grid).ok()?))
    }

    fn by_stream(bytes: &[u8], sheet: Option<&str>) -> Option<(String, Vec<u8>)> {
        let book = Book {
            file: PathBuf::from("a.ods"),
            sheet: sheet.map(str::to_string),
        };
        ods_text(&book, bytes).ok()
    }

    /// Every table (and no table named) reads as calamine reads it, or both refuse the file.
    fn same_as_calamine(bytes: &[u8], sheets: &[&str]) {
        for sheet in sheets.iter().copied().map(Some).chain([None]) {
            let theirs = by_calamine(bytes, sheet);
            let ours = by_stream(bytes, sheet);
            let text = |t: &Option<(String, Vec<u8>)>| {
                t.as_ref()
                    .map(|(n, csv)| (n.clone(), String::from_utf8_lossy(csv).into_owned()))
            };
            assert_eq!(text(&ours), text(&theirs), "sheet {sheet:?}");
        }
    }

    #[test]
    fn the_fixture_reads_as_calamine_reads_it() {
        let bytes = std::fs::read("fixtures/workbooks/activities.ods")
            .unwrap_or_else(|e| panic!("fixture: {e}"));
        same_as_calamine(&bytes, &["activities", "text dates", "none such"]);
        assert!(by_stream(&bytes, Some("text dates")).is_some());
    }

    #[test]
    fn cells_of_every_kind_read_as_calamine_reads_them() {
        let s = |t: &str| {
            format!("<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>")
        };
        let tables = format!(
            "<table:named-expressions><table:named-range table:name=\"r\" \
             table:cell-range-address=\"$a.$A$1\"/></table:named-expressions>\
             <table:table table:name=\"one &amp; two\"><table:table-column table:number-columns-repeated=\"4\"/>\
             <table:table-row table:number-rows-repeated=\"3\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>\
             <table:table-header-rows><table:table-row><table:table-cell table:number-columns-repeated=\"2\"/>{}{}</table:table-row></table:table-header-rows>\
             <table:table-row><table:table-cell/><table:table-cell/>\
             <table:table-cell office:value-type=\"string\"><text:p>two</text:p><text:p>para<text:s text:c=\"3\"/>graphs<text:tab/>x<text:line-break/>y</text:p></table:table-cell>\
             <table:table-cell office:value-type=\"string\"><text:p>a &amp; b &lt; &#x41;&#66; <text:span>span</text:span>, \"q\"</text:p><office:annotation><text:p>note</text:p></office:annotation></table:table-cell>\
             <table:table-cell office:value-type=\"float\" office:value=\"1.5\"><text:p>1.5</text:p></table:table-cell>\
             <table:table-cell office:value-type=\"float\" office:value=\"3\"/>\
             <table:table-cell office:value-type=\"percentage\" office:value=\"0.25\"/>\
             <table:table-cell office:value-type=\"currency\" office:currency=\"EUR\" office:value=\"-2e3\"/>\
             <table:table-cell office:value-type=\"date\" office:date-value=\"2019-05-01\"/>\
             <table:table-cell office:value-type=\"date\" office:date-value=\"2019-05-01T10:30:00\"/>\
             <table:table-cell office:value-type=\"time\" office:time-value=\"PT10H30M\"/>\
             <table:table-cell office:value-type=\"boolean\" office:boolean-value=\"true\"/>\
             <table:table-cell office:value-type=\"boolean\" office:boolean-value=\"false\"/>\
             <table:table-cell office:value-type=\"string\" office:string-value=\"attr &amp; value\"><text:p>shown</text:p></table:table-cell>\
             <table:table-cell table:formula=\"of:=1/0\" office:value-type=\"string\" office:string-value=\"\" calcext:value-type=\"error\"><text:p>#DIV/0!</text:p></table:table-cell>\
             <table:table-cell table:formula=\"of:=[.A1]\"/>\
             <table:covered-table-cell office:value-type=\"string\"><text:p>covered</text:p></table:covered-table-cell>\
             <table:table-cell office:value=\"7\" office:value-type=\"string\"><text:p>seven</text:p></table:table-cell>\
             <table:table-cell office:value-type=\"string\"/>\
             <table:table-cell table:number-columns-repeated=\"3\" office:value-type=\"string\"><text:p>thrice</text:p></table:table-cell>\
             <table:table-cell table:number-columns-repeated=\"990\"/></table:table-row>\
             <table:table-row table:number-rows-repeated=\"4\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>\
             <table:table-row table:number-rows-repeated=\"2\">{}<table:table-cell/>{}</table:table-row>\
             <table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>\
             </table:table>\
             <table:table><table:table-row>{}</table:table-row></table:table>\
             <table:table table:name=\"b\"><table:table-row>{}</table:table-row></table:table>\
             <table:table table:name=\"b\"><table:table-row><table:table-cell/>{}</table:table-row></table:table>\
             <table:table table:name=\"empty\"><table:table-row><table:table-cell/></table:table-row></table:table>",
            s("id"),
            s("date"),
            s("twice"),
            s("again"),
            s("unnamed"),
            s("first b"),
            s("last b"),
        );
        let bytes = ods(&tables, "");
        same_as_calamine(&bytes, &["one & two", "b", "empty"]);
        let (_, text) = by_stream(&bytes, None).unwrap_or_else(|| panic!("read"));
        let text = String::from_utf8_lossy(&text);
        for shown in [
            "thrice,thrice,thrice",
            "attr & value,#DIV/0!,,covered,7",
            "para   graphs",
        ] {
            assert!(text.contains(shown), "{shown} in {text}");
        }
        let last = by_stream(&bytes, Some("b")).map(|(_, t)| t);
        assert_eq!(last.as_deref(), Some(&b",last b\n"[..]));
    }

    /// calamine drops a cell past the sheet's last row or column without a word; here it
    /// refuses the file, as it does an xlsx file. Empty cells and rows repeated past the end
    /// (LibreOffice writes them to fill a sheet) and such a cell in a table not read do not.
    #[test]
    fn a_cell_past_the_last_row_or_column_refuses_the_file() {
        let s =
            "<table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>";
        let filled = "<table:table-row table:number-rows-repeated=\"2000000\">\
                      <table:table-cell table:number-columns-repeated=\"20000\"/></table:table-row>";
        let past_column = format!(
            "<table:table-row>{s}<table:table-cell table:number-columns-repeated=\"20000\"/>{s}\
             </table:table-row>"
        );
        let past_row = format!(
            "<table:table-row table:number-rows-repeated=\"1048575\"><table:table-cell/></table:table-row>\
             <table:table-row table:number-rows-repeated=\"2\"><table:table-cell/>{s}</table:table-row>"
        );
        for (past, at) in [
            (past_column, "row 1, column 16385"),
            (past_row, "row 1048577, column 2"),
        ] {
            let bytes = ods(
                &format!(
                    "<table:table table:name=\"a\">{past}{filled}</table:table>\
                     <table:table table:name=\"b\"><table:table-row>{s}</table:table-row>{filled}</table:table>"
                ),
                "",
            );
            let calamine = by_calamine(&bytes, Some("a"));
            assert!(
                calamine.is_some_and(|(_, t)| !t.is_empty()),
                "calamine reads {past}"
            );
            let book = Book {
                file: PathBuf::from("a.ods"),
                sheet: Some("a".to_string()),
            };
            match ods_text(&book, &bytes) {
                Err(super::super::Unconverted::Damaged(e)) => assert_eq!(
                    e,
                    format!(
                        "sheet `a`: a cell at {at} lies past the last row or column a sheet \
                         can have (1048576 rows, 16384 columns)"
                    )
                ),
                Err(_) => panic!("refused otherwise: {past}"),
                Ok(_) => panic!("read: {past}"),
            }
            let b = by_stream(&bytes, Some("b"));
            assert!(b.is_some(), "b read: {past}");
            assert_eq!(b, by_calamine(&bytes, Some("b")));
        }
    }

    /// A cell repeated over a row is kept once with its columns, not copied for each: a 1 KB
    /// file repeating a 100 KB value over 16,384 columns took 2.7 GB before a table's reader
    /// saw a cell.
    #[test]
    fn a_repeated_cell_is_kept_once() {
        let xml = format!(
            "<table:table-row><table:table-cell table:number-columns-repeated=\"3\"/>\
             <table:table-cell office:value-type=\"string\" table:number-columns-repeated=\"20000\">\
             <text:p>{}</text:p></table:table-cell></table:table-row>",
            "y".repeat(100_000)
        );
        let mut xml = super::xml(xml.as_bytes());
        let mut cells = Vec::new();
        let opened = xml.read_event_into(&mut Vec::new()).map(|e| e.into_owned());
        assert!(matches!(opened, Ok(quick_xml::events::Event::Start(_))));
        if let Err(super::Unread::Format(e)) =
            super::row(&mut xml, &mut Vec::new(), &mut Vec::new(), &mut cells)
        {
            panic!("{e}");
        }
        let runs: Vec<_> = cells
            .iter()
            .map(|run| (run.columns.start, run.columns.end))
            .collect();
        // Cut at the last column, and one past it, to be refused.
        assert_eq!(runs, [(3, 16385)]);
    }

    /// Tags that calamine reads and quick-xml's attribute reader refuses: a key with a space
    /// in it (calamine's key runs to the `=`), as a fuzzer comparing the two readers found.
    #[test]
    fn tags_calamine_reads_are_read() {
        let cell = "<table:table-cell foo bar=\"1\" office:value-type=\"string\">\
                    <text:p>x</text:p></table:table-cell>";
        let tables = format!(
            "<table:table foo bar=\"1\" table:name=\"a\"><table:table-row>{cell}\
             <table:table-cell office:value-type=\"float\" office:value=\"2\" x y = '3'/>\
             </table:table-row></table:table>"
        );
        let bytes = ods(&tables, "");
        same_as_calamine(&bytes, &["a"]);
        let read = by_stream(&bytes, Some("a")).map(|(_, t)| t);
        assert_eq!(read.as_deref(), Some(&b"x,2\n"[..]));
    }

    #[test]
    fn files_calamine_refuses_are_refused() {
        let row = |cell: &str| {
            format!("<table:table table:name=\"a\"><table:table-row>{cell}</table:table-row></table:table>")
        };
        let good = row(
            "<table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>",
        );
        for (tables, manifest) in [
            (row("<table:table-cell office:value-type=\"float\" office:value=\"abc\"/>"), ""),
            (row("<table:table-cell table:number-columns-repeated=\"x\"/>"), ""),
            (row("<table:table-cell office:value-type=\"string\"><text:p>&bogus;</text:p></table:table-cell>"), ""),
            (row("<table:table-cell/> <table:table-cell/>"), ""),
            (
                format!("{good}<table:table table:name=\"b\"><table:table-row table:number-rows-repeated=\"-1\"/></table:table>"),
                "",
            ),
            (
                good.clone(),
                "<manifest:file-entry manifest:full-path=\"content.xml\"><manifest:encryption-data/></manifest:file-entry>",
            ),
        ] {
            let bytes = ods(&tables, manifest);
            assert!(by_calamine(&bytes, Some("a")).is_none(), "{tables} {manifest}");
            assert!(by_stream(&bytes, Some("a")).is_none(), "{tables} {manifest}");
        }
        assert!(by_stream(&ods(&good, ""), Some("a")).is_some());
    }
}
