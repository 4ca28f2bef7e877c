//! Writes the workbook fixtures of the tests (`fixtures/workbooks/`), so that no binary file of
//! unknown origin is committed: `cargo run --bin concord-workbooks -- fixtures/workbooks`
//! rewrites them byte for byte (`tests/workbooks.rs` checks that it does).
//!
//! `activities.xlsx` has two sheets: `activities`, clean rows with their dates stored as Excel
//! dates, and `text dates`, dates typed as text plus typical officer mistakes. `activities.ods`
//! holds the same sheets as OpenDocument (dates as ODF date cells), and `activities.xls` as
//! Excel 97-2003 (BIFF8; dates as numbers in a date format), and `activities.xlsb` as an Excel
//! binary workbook (BIFF12; dates likewise). Beside them,
//! `activities.csv` holds the first sheet's rows as CSV, to compare verdicts with.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use concord::activity::workbook::write::{workbook, Cell, Sheet};

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.into())
    }
}

/// id, date, party, kind, subject, partners, value, unit, source
type Row = (
    &'static str,
    (i32, u32, u32),
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static str,
);

const CLEAN: [Row; 6] = [
    (
        "WB-0001",
        (2019, 6, 14),
        "KAZ",
        "summit",
        "",
        "CHN;RUS",
        0.0,
        "",
    ),
    (
        "WB-0002",
        (2019, 12, 31),
        "KAZ",
        "indicator",
        "tourist-arrivals",
        "",
        1250000.0,
        "trips",
    ),
    (
        "WB-0003",
        (2020, 12, 31),
        "KAZ",
        "indicator",
        "tourist-arrivals",
        "",
        1300000.5,
        "trips",
    ),
    (
        "WB-0004",
        (2021, 3, 2),
        "RUS",
        "joint-exercise",
        "terrorism",
        "KAZ;KGZ",
        0.0,
        "",
    ),
    ("WB-0005", (2022, 9, 16), "CHN", "summit", "", "", 0.0, ""),
    ("WB-0006", (2023, 7, 4), "IND", "summit", "", "", 0.0, ""),
];

fn row(r: &Row, date: Cell) -> Vec<Cell> {
    let (id, _, party, kind, subject, partners, value, unit) = *r;
    vec![
        text(id),
        date,
        text(party),
        text(kind),
        text(subject),
        text(partners),
        Cell::Empty,
        if value == 0.0 {
            Cell::Empty
        } else {
            Cell::Number(value)
        },
        text(unit),
        text("concord-workbooks fixture"),
        Cell::Empty,
    ]
}

fn date(r: &Row) -> NaiveDate {
    let (y, m, d) = r.1;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The sheets as an OpenDocument spreadsheet: the smallest package LibreOffice and calamine
/// read (mimetype first and stored, a manifest, the content).
fn ods(sheets: &[Sheet]) -> zip::result::ZipResult<Vec<u8>> {
    let mut content = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet>\n",
    );
    for sheet in sheets {
        content.push_str(&format!(
            "<table:table table:name=\"{}\">\n",
            xml(&sheet.name)
        ));
        let header = header();
        for row in std::iter::once(&header).chain(&sheet.rows) {
            content.push_str("<table:table-row>");
            for cell in row {
                content.push_str(&match cell {
                    Cell::Text(t) => format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        xml(t)
                    ),
                    Cell::Date(d) => format!(
                        "<table:table-cell office:value-type=\"date\" office:date-value=\"{d}\"><text:p>{d}</text:p></table:table-cell>"
                    ),
                    Cell::Number(n) => format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
                    ),
                    Cell::Empty => "<table:table-cell/>".to_string(),
                });
            }
            content.push_str("</table:table-row>\n");
        }
        content.push_str("</table:table>\n");
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>\n");
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\n\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\n\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\n\
        </manifest:manifest>\n";
    stored_zip(&[
        (
            "mimetype".into(),
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml".into(), manifest.as_bytes()),
        ("content.xml".into(), content.as_bytes()),
    ])
}

/// A zip package of `parts` in order, stored (the same parts give the same bytes).
fn stored_zip(parts: &[(String, &[u8])]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in parts {
        zip.start_file(name.as_str(), stored)?;
        zip.write_all(body)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The header row every sheet starts with: concord's columns in template order.
fn header() -> Vec<Cell> {
    concord::activity::COLUMNS.iter().map(|c| text(c)).collect()
}

/// A date as Excel stores it: days since 1899-12-30.
fn excel_serial(d: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (d - epoch).num_days() as f64
}

/// A BIFF record: its type, its length and its data.
fn biff(typ: u16, data: &[u8]) -> Vec<u8> {
    let len = u16::try_from(data.len()).unwrap_or(u16::MAX);
    [&typ.to_le_bytes()[..], &len.to_le_bytes(), data].concat()
}

/// A cell's BIFF8 record at (row, column): text as `Label`, numbers as `Number` in the general
/// format (XF 0), dates as `Number` in the date format (XF 1: built-in format 14), as Excel 97
/// stores them.
fn biff_cell(row: u16, col: u16, cell: &Cell) -> Vec<u8> {
    let at = [row.to_le_bytes(), col.to_le_bytes()].concat();
    let number = |xf: u16, n: f64| {
        biff(
            0x0203,
            &[&at[..], &xf.to_le_bytes(), &n.to_le_bytes()].concat(),
        )
    };
    match cell {
        Cell::Text(t) => {
            let len = u16::try_from(t.len()).unwrap_or(u16::MAX);
            let head = [&at[..], &[0, 0], &len.to_le_bytes(), &[0]].concat();
            // Latin-1 (compressed) text: the fixtures' texts are ASCII.
            biff(0x0204, &[&head[..], t.as_bytes()].concat())
        }
        Cell::Number(n) => number(0, *n),
        Cell::Date(d) => number(1, excel_serial(*d)),
        Cell::Empty => Vec::new(),
    }
}

/// The sheets as an Excel 97-2003 workbook (BIFF8 in a compound file), the smallest calamine
/// reads: a `Workbook` stream of the globals (two cell formats and the sheets' names and
/// places) and then each sheet's cells. The compound file's times are fixed, so the same
/// sheets write the same bytes.
fn xls(sheets: &[Sheet]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let bof = |kind: u16| {
        biff(
            0x0809,
            &[&[0, 6][..], &kind.to_le_bytes(), &[0; 12]].concat(),
        )
    };
    let eof = biff(0x000A, &[]);
    let xf = |format: u16| {
        biff(
            0x00E0,
            &[&[0, 0][..], &format.to_le_bytes(), &[0; 16]].concat(),
        )
    };
    let header = header();
    let bodies: Vec<Vec<u8>> = sheets
        .iter()
        .map(|sheet| {
            let mut body = bof(0x0010);
            for (r, row) in std::iter::once(&header).chain(&sheet.rows).enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    body.extend(biff_cell(r as u16, c as u16, cell));
                }
            }
            body.extend(&eof);
            body
        })
        .collect();
    let bound = |at: usize, name: &str| {
        let place = u32::try_from(at).unwrap_or(u32::MAX).to_le_bytes();
        let len = u8::try_from(name.len()).unwrap_or(u8::MAX);
        biff(
            0x0085,
            &[&place[..], &[0, 0, len, 0], name.as_bytes()].concat(),
        )
    };
    let globals = |places: &[usize]| {
        let mut g = [bof(0x0005), xf(0), xf(14)].concat();
        for (sheet, &at) in sheets.iter().zip(places) {
            g.extend(bound(at, &sheet.name));
        }
        g.extend(&eof);
        g
    };
    let mut at = globals(&vec![0; sheets.len()]).len();
    let mut places = Vec::new();
    for body in &bodies {
        places.push(at);
        at += body.len();
    }
    let stream = [globals(&places), bodies.concat()].concat();
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new()))?;
    file.create_stream("Workbook")?.write_all(&stream)?;
    file.set_created_time("/", std::time::UNIX_EPOCH)?;
    file.set_modified_time("/", std::time::UNIX_EPOCH)?;
    file.flush()?;
    Ok(file.into_inner().into_inner())
}

/// A BIFF12 record: its type and its data's length, each in 7-bit groups with a high bit that
/// says another follows, then its data.
fn biff12(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut record = if typ < 0x80 {
        vec![typ as u8]
    } else {
        vec![(typ & 0x7F) as u8 | 0x80, (typ >> 7) as u8]
    };
    let mut len = data.len();
    loop {
        let low = (len & 0x7F) as u8;
        len >>= 7;
        record.push(if len > 0 { low | 0x80 } else { low });
        if len == 0 {
            break;
        }
    }
    record.extend_from_slice(data);
    record
}

/// An `XLWideString`: its length in UTF-16 units, then them.
fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let len = u32::try_from(units.len()).unwrap_or(u32::MAX);
    let mut out = len.to_le_bytes().to_vec();
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// The sheets as an Excel binary workbook (xlsb: BIFF12 records in a zip package), the smallest
/// calamine reads: the workbook's sheet list and the relationships naming each sheet's part,
/// two cell formats (general, and built-in format 14 for dates), and each sheet's cells: text
/// inline (`BrtCellSt`), numbers and dates as `BrtCellReal`.
fn xlsb(sheets: &[Sheet]) -> zip::result::ZipResult<Vec<u8>> {
    let mut book = Vec::new();
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships \
         xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for (i, sheet) in sheets.iter().enumerate() {
        let id = format!("rId{}", i + 1);
        let tab = u32::try_from(i + 1).unwrap_or(u32::MAX);
        book.extend(biff12(
            0x009C,
            &[
                &[0; 4][..],
                &tab.to_le_bytes(),
                &wide(&id),
                &wide(&sheet.name),
            ]
            .concat(),
        ));
        rels.push_str(&format!(
            "<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" \
             Target=\"worksheets/sheet{}.bin\"/>",
            i + 1
        ));
    }
    rels.push_str("</Relationships>\n");
    // The end of the sheet list, then the calculation properties, which close the names.
    book.extend(biff12(0x0090, &[]));
    book.extend(biff12(0x009D, &[0; 26]));
    let xf = |format: u16| {
        biff12(
            0x002F,
            &[&[0xFF, 0xFF][..], &format.to_le_bytes(), &[0; 12]].concat(),
        )
    };
    let styles = [
        biff12(0x0269, &2u32.to_le_bytes()),
        xf(0),
        xf(14),
        biff12(0x026A, &[]),
    ]
    .concat();
    let header = header();
    let parts: Vec<Vec<u8>> = sheets
        .iter()
        .map(|sheet| {
            let rows = u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX);
            let cols = u32::try_from(header.len()).unwrap_or(u32::MAX);
            let dims = [0u32, rows, 0, cols - 1].map(u32::to_le_bytes).concat();
            let mut part = [
                biff12(0x0081, &[]),
                biff12(0x0094, &dims),
                biff12(0x0091, &[]),
            ]
            .concat();
            for (r, row) in std::iter::once(&header).chain(&sheet.rows).enumerate() {
                let r = u32::try_from(r).unwrap_or(u32::MAX);
                part.extend(biff12(0x0000, &[&r.to_le_bytes()[..], &[0; 9]].concat()));
                for (c, cell) in row.iter().enumerate() {
                    let at = u32::try_from(c).unwrap_or(u32::MAX).to_le_bytes();
                    let real = |style: u8, n: f64| {
                        biff12(
                            0x0005,
                            &[&at[..], &[style, 0, 0, 0], &n.to_le_bytes()].concat(),
                        )
                    };
                    part.extend(match cell {
                        Cell::Text(t) => biff12(0x0006, &[&at[..], &[0; 4], &wide(t)].concat()),
                        Cell::Number(n) => real(0, *n),
                        Cell::Date(d) => real(1, excel_serial(*d)),
                        Cell::Empty => Vec::new(),
                    });
                }
            }
            part.extend([biff12(0x0092, &[]), biff12(0x0082, &[])].concat());
            part
        })
        .collect();
    let mut files: Vec<(String, &[u8])> = vec![
        ("xl/workbook.bin".into(), &book),
        ("xl/_rels/workbook.bin.rels".into(), rels.as_bytes()),
        ("xl/styles.bin".into(), &styles),
    ];
    for (i, part) in parts.iter().enumerate() {
        files.push((format!("xl/worksheets/sheet{}.bin", i + 1), part));
    }
    stored_zip(&files)
}

fn main() -> ExitCode {
    let arg = std::env::args().nth(1);
    // `--help` (or any flag) is no directory to write the fixtures into.
    if arg.as_deref().is_some_and(|a| a.starts_with('-')) {
        eprintln!("usage: concord-workbooks [DIR]  (writes the workbook fixtures; default fixtures/workbooks)");
        return ExitCode::from(2);
    }
    let dir = PathBuf::from(arg.unwrap_or_else(|| "fixtures/workbooks".into()));
    let clean: Vec<Vec<Cell>> = CLEAN.iter().map(|r| row(r, Cell::Date(date(r)))).collect();
    let mut texts: Vec<Vec<Cell>> = CLEAN[..2]
        .iter()
        .map(|r| {
            let mut cells = row(r, Cell::Text(date(r).format("%Y-%m-%d").to_string()));
            cells[0] = Cell::Text(format!("T{}", &r.0[1..]));
            cells
        })
        .collect();
    let bad = |id: &str, date: &str, party: &str, kind: &str, value: &str| {
        vec![
            text(id),
            text(date),
            text(party),
            text(kind),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            text(value),
        ]
    };
    texts.push(bad("TB-0003", "14.06.2019", "KAZ", "summit", ""));
    texts.push(bad("TB-0004", "2019-06-15", "KAZX", "summit", ""));
    texts.push(bad("TB-0005", "2019-12-31", "KAZ", "indicator", "1,5"));
    texts.push(vec![]);
    texts.push(bad("WB-0001", "2019-06-16", "KAZ", "summit", ""));
    let sheets = [
        Sheet {
            name: "activities".into(),
            rows: clean,
        },
        Sheet {
            name: "text dates".into(),
            rows: texts,
        },
    ];
    let book = match workbook(&sheets, None) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let odf = match ods(&sheets) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let excel97 = match xls(&sheets) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let binary = match xlsb(&sheets) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut csv = concord::activity::COLUMNS.join(",") + "\n";
    for r in &CLEAN {
        let (id, _, party, kind, subject, partners, value, unit) = *r;
        let value = if value == 0.0 {
            String::new()
        } else {
            value.to_string()
        };
        csv.push_str(&format!(
            "{id},{},{party},{kind},{subject},{partners},,{value},{unit},concord-workbooks fixture,\n",
            date(r)
        ));
    }
    let written = std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(dir.join("activities.xlsx"), book))
        .and_then(|_| std::fs::write(dir.join("activities.ods"), odf))
        .and_then(|_| std::fs::write(dir.join("activities.xls"), excel97))
        .and_then(|_| std::fs::write(dir.join("activities.xlsb"), binary))
        .and_then(|_| std::fs::write(dir.join("activities.csv"), csv));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
