//! Workbook input: the fixtures are the generator's output, a sheet gets the CSV's validation
//! and verdicts, problems are placed by cell, and the xlsx template reads back clean.

mod common;

use common::*;
use serde_json::Value;

const BOOK: &str = "fixtures/workbooks/activities.xlsx";
const TEXT_SHEET: &str = "fixtures/workbooks/activities.xlsx#text dates";
const SAME_AS_CSV: &str = "fixtures/workbooks/activities.csv";

#[test]
fn committed_fixtures_are_the_generators_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_concord-workbooks"))
        .arg(dir.path())
        .status()
        .expect("run the generator");
    assert!(status.success());
    for name in [
        "activities.xlsx",
        "activities.ods",
        "activities.xls",
        "activities.xlsb",
        "activities.csv",
    ] {
        let fresh = std::fs::read(dir.path().join(name)).expect("fresh");
        let committed = std::fs::read(format!("fixtures/workbooks/{name}")).expect("committed");
        assert!(
            fresh == committed,
            "fixtures/workbooks/{name} is stale: cargo run --bin concord-workbooks"
        );
    }
}

fn verdicts(report: &Value) -> Value {
    report["commitments"].clone()
}

#[test]
fn a_sheet_with_excel_dates_judges_like_its_csv() {
    let book = concord(&["check", "--activities", BOOK, "--format", "json"]);
    assert_eq!(book.status.code(), Some(0), "{}", stderr(&book));
    let csv = concord(&["check", "--activities", SAME_AS_CSV, "--format", "json"]);
    let (b, c): (Value, Value) = (
        serde_json::from_slice(&book.stdout).expect("json"),
        serde_json::from_slice(&csv.stdout).expect("json"),
    );
    assert_eq!(verdicts(&b), verdicts(&c));
    let input = &b["inputs"][0];
    assert_eq!(input["path"], format!("{BOOK}#activities"));
    assert_eq!(input["rows"], 6);
    assert_eq!(input["accepted"], 6);
    // The digest is the workbook file's, which an auditor can recompute.
    let bytes = std::fs::read(BOOK).expect("book");
    assert_eq!(input["sha256"], concord::digest::sha256_hex(&bytes));
}

/// The same sheets as ods, as xls (Excel 97-2003) and as xlsb (Excel binary) judge as the xlsx
/// ones, and their problems are placed at the same cells.
#[test]
fn ods_xls_and_xlsb_workbooks_read_like_the_xlsx_one() {
    let judge = |input: &str| -> Value {
        let out = concord(&["check", "--activities", input, "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        verdicts(&serde_json::from_slice(&out.stdout).expect("json"))
    };
    for book in [
        "fixtures/workbooks/activities.ods",
        "fixtures/workbooks/activities.xls",
        "fixtures/workbooks/activities.xlsb",
    ] {
        assert_eq!(judge(book), judge(BOOK), "{book}");
        let text = |input: &str| stdout(&concord(&["validate", input]));
        let sheet = text(&format!("{book}#text dates")).replace(book, BOOK);
        assert_eq!(sheet, text(TEXT_SHEET), "{book}");
    }
}

#[test]
fn text_dates_read_and_problems_are_placed_by_cell() {
    let out = concord(&["validate", TEXT_SHEET]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("activities.xlsx:'text dates'!B4: error[type-error/date]"),
        "{text}"
    );
    assert!(
        text.contains("'text dates'!C5: error[constraint-error/party]"),
        "{text}"
    );
    assert!(
        text.contains("'text dates'!H6: error[type-error/value]"),
        "{text}"
    );
    insta::assert_snapshot!(text);
    let json: Value =
        serde_json::from_slice(&concord(&["validate", "--format", "json", TEXT_SHEET]).stdout)
            .expect("json");
    assert_eq!(json["findings"][0]["cell"], "'text dates'!B4");
    assert_eq!(json["files"][0]["accepted"], 3);
}

#[test]
fn ids_are_unique_across_sheets_and_rejects_name_the_sheet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rejects = dir.path().join("rejects.csv");
    let out = concord(&[
        "check",
        "--activities",
        BOOK,
        TEXT_SHEET,
        "--rejects",
        &rejects.display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rejects = std::fs::read_to_string(&rejects).expect("rejects");
    assert!(
        rejects.contains("activities.xlsx#text dates,8,unique-error/id"),
        "{rejects}"
    );
    assert!(
        rejects.contains("activities.xlsx#activities:2"),
        "{rejects}"
    );
    // The copies differ, so the first one is rejected too: no sheet wins by being read first.
    assert!(
        rejects.contains("activities.xlsx#activities,2,unique-error/id"),
        "{rejects}"
    );
}

#[test]
fn repeated_ids_across_sheets_do_not_depend_on_the_order_of_the_sheets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rejected = |inputs: [&str; 2]| {
        let rejects = dir.path().join("rejects.csv");
        let mut args = vec!["check", "--activities"];
        args.extend(inputs);
        let path = rejects.display().to_string();
        args.extend(["--rejects", &path, "--format", "json"]);
        let out = concord(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = std::fs::read_to_string(&rejects).expect("rejects");
        let mut lines: Vec<String> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').take(3).collect::<Vec<_>>().join(","))
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(rejected([BOOK, TEXT_SHEET]), rejected([TEXT_SHEET, BOOK]));
}

#[test]
fn an_unknown_sheet_is_unreadable_and_names_the_sheets() {
    let out = concord(&[
        "check",
        "--activities",
        "fixtures/workbooks/activities.xlsx#nope",
    ]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("its sheets: activities, text dates"));
}

#[test]
fn the_xlsx_template_reads_back_like_the_csv_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = dir.path().join("t.xlsx");
    let csv = dir.path().join("t.csv");
    for (format, path) in [("xlsx", &xlsx), ("csv", &csv)] {
        let out = concord(&[
            "template",
            "--format",
            format,
            "--out",
            &path.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let v = concord(&["validate", &xlsx.display().to_string()]);
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
    let judge = |p: &std::path::Path| -> Value {
        let out = concord(&[
            "check",
            "--activities",
            &p.display().to_string(),
            "--format",
            "json",
        ]);
        serde_json::from_slice::<Value>(&out.stdout).expect("json")["commitments"].clone()
    };
    assert_eq!(judge(&xlsx), judge(&csv));
}

#[test]
fn a_report_never_overwrites_the_workbook_a_sheet_came_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = dir.path().join("book.xlsx");
    std::fs::copy(BOOK, &book).expect("copy");
    let before = std::fs::read(&book).expect("book");
    let sheet = format!("{}#activities", book.display());
    let out = concord(&[
        "check",
        "--activities",
        &sheet,
        "--out",
        &book.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&book).expect("book"), before);
}

/// `validate` finds nothing wrong with `book` (exit 0): what it says.
fn reads(book: &str) -> String {
    let out = concord(&["validate", book]);
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{said}");
    said
}

/// `validate` exits with `code` on `book`, its findings saying `what`.
fn validates(book: &str, code: i32, what: &str) {
    let out = concord(&["validate", book]);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains(what), "{}", stdout(&out));
}

/// `validate` finds `book` unreadable (exit 4) and says `why`.
fn refused(book: &str, why: &str) {
    let out = concord(&["validate", book]);
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(4), "{said}");
    assert!(said.contains(why), "{said}");
}

/// The fixture xlsx with its first sheet's XML edited by `edit`, written to `dir`.
fn edited_book(dir: &std::path::Path, edit: impl Fn(&str) -> String) -> String {
    edited(BOOK, "xl/worksheets/sheet1.xml", dir, edit)
}

/// The workbook `book` with its XML part `part` edited by `edit`, written to `dir`.
fn edited(book: &str, part: &str, dir: &std::path::Path, edit: impl Fn(&str) -> String) -> String {
    edited_bytes(book, part, dir, |bytes| {
        edit(&String::from_utf8(bytes).expect("XML")).into_bytes()
    })
}

/// The fixture workbook `book` with its part `part` edited as bytes, written into `dir`.
fn edited_bytes(
    book: &str,
    part: &str,
    dir: &std::path::Path,
    edit: impl Fn(Vec<u8>) -> Vec<u8>,
) -> String {
    use std::io::{Read, Write};
    let file = std::fs::File::open(book).expect("the fixture workbook");
    let mut zipped = zip::ZipArchive::new(file).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..zipped.len() {
        let mut entry = zipped.by_index(i).expect("a part");
        let name = entry.name().expect("a part name").to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("the part's bytes");
        if name == part {
            bytes = edit(bytes);
        }
        out.start_file(name, stored).expect("a part written");
        out.write_all(&bytes).expect("the part's bytes written");
    }
    let bytes = out.finish().expect("the zip").into_inner();
    let extension = book.rsplit('.').next().unwrap_or("xlsx");
    written(dir, &format!("edited.{extension}"), &bytes)
}

/// `bytes` written to `dir` as `name`, and the file's path.
fn written(dir: &std::path::Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path.to_str().expect("utf-8 path").to_string()
}

/// A cell in a sheet's last row and column is read from the cells there are, not from a grid
/// reaching it (17 billion cells here), and the million empty rows above it are no row past
/// the length limit; one past the sheet's last column makes the file unreadable, where it once
/// asked for 230 GB and aborted the run.
#[test]
fn cells_at_and_past_the_sheets_far_corner() {
    let dir = tempfile::tempdir().expect("tempdir");
    let far = edited_book(dir.path(), |xml| {
        xml.replace(
            "</sheetData>",
            "<row r=\"1048576\"><c r=\"XFD1048576\" t=\"s\"><v>15</v></c></row></sheetData>",
        )
    });
    let out = concord(&["validate", &far]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("activities!L1048576: error[extra-cell]: the row has 16384 fields"),
        "{text}"
    );

    let past = edited_book(dir.path(), |xml| {
        xml.replace(
            "<c r=\"K1\" s=\"1\" t=\"s\"><v>10</v></c>",
            "<c r=\"K1\" s=\"1\" t=\"s\"><v>10</v></c><c r=\"XFE1\" t=\"s\"><v>10</v></c>",
        )
    });
    refused(
        &past,
        "a cell at row 1, column 16385 lies past the last row or column",
    );
}

/// calamine's ods reader turns for ever on a table that runs to the end of `content.xml` (a
/// damaged or cut file): such a file is unreadable, at once.
#[test]
fn an_ods_file_cut_inside_a_table_is_unreadable() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The fixture's content.xml up to `at`, then `more`; cut inside a table, inside a row,
    // inside a table without a name after the named ones, inside a cell's text and inside its
    // annotation (where the reader once turned for ever).
    for (at, more) in [
        ("</table:table>", ""),
        ("</table:table-row>", ""),
        ("</office:spreadsheet>", "<table:table><table:table-row>"),
        ("<text:p>", "<text:p>text"),
        ("<text:p>", "<office:annotation><text:p>note"),
    ] {
        let cut = edited(
            "fixtures/workbooks/activities.ods",
            "content.xml",
            dir.path(),
            |xml| format!("{}{more}", &xml[..xml.find(at).expect("in the fixture")]),
        );
        refused(&cut, "content.xml ends inside a table");
    }
}

/// calamine builds an ods table as a grid from its first cell that holds something to its
/// farthest, when the file is opened: a cell repeated over 6,000 rows of 16,000 columns (a
/// file of a few KB) took 18.7 GB. No grid is built now, and the table read is held to the
/// fields its text may have as it is written; a table not read costs its XML alone. The empty
/// rows and columns a spreadsheet program repeats to the sheet's end are no fields.
#[test]
fn an_ods_table_spanning_too_many_cells_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vast = "<table:table-row table:number-rows-repeated=\"6000\"><table:table-cell \
                office:value-type=\"string\" table:number-columns-repeated=\"16000\">\
                <text:p>x</text:p></table:table-cell></table:table-row>";
    // The fixture ods with `rows` added at the end of its table.
    let with_rows = |rows: &str| {
        edited(
            "fixtures/workbooks/activities.ods",
            "content.xml",
            dir.path(),
            |xml| {
                let end = xml.find("</table:table>").expect("a table");
                format!("{}{rows}{}", &xml[..end], &xml[end..])
            },
        )
    };
    refused(
        &with_rows(vast),
        "edited.ods: the workbook is too large to read: sheet `activities` comes to more than \
         16777216 fields of CSV text",
    );

    let beside = edited(
        "fixtures/workbooks/activities.ods",
        "content.xml",
        dir.path(),
        |xml| {
            xml.replace(
                "</office:spreadsheet>",
                &format!(
                    "<table:table table:name=\"vast\">{vast}</table:table></office:spreadsheet>"
                ),
            )
        },
    );
    refused(
        &format!("{beside}#vast"),
        "sheet `vast` comes to more than 16777216 fields",
    );
    validates(&beside, 0, "6 rows: 6 accepted, 0 rejected, 0 warnings");

    let padded = with_rows(
        "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell \
         table:style-name=\"ce1\" table:number-columns-repeated=\"16384\"/></table:table-row>",
    );
    validates(&padded, 0, "6 rows: 6 accepted, 0 rejected, 0 warnings");
}

/// An empty field of a sheet's CSV text costs a byte, and a few bytes of XML make thousands of
/// them: a 68 KB ods file of 100,000 rows, each holding one cell in the last column, took
/// 1.6 GB and 15 s. A sheet is read to 16,777,216 fields, empty ones counted (1,024 rows of
/// 16,384 fit, 1,100 do not), in xlsx and ods files alike, its cells in order or not.
#[test]
fn a_sheet_whose_empty_fields_run_past_the_limit_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = |rows: std::ops::Range<u32>, reversed: bool| {
        edited_book(dir.path(), |xml| {
            let mut far: Vec<String> = rows
                .clone()
                .map(|r| format!("<row r=\"{r}\"><c r=\"XFD{r}\" t=\"inlineStr\"><is><t>x</t></is></c></row>"))
                .collect();
            if reversed {
                far.reverse();
            }
            xml.replace("</sheetData>", &format!("{}</sheetData>", far.concat()))
        })
    };
    let ods = |rows: u32| {
        edited(
            "fixtures/workbooks/activities.ods",
            "content.xml",
            dir.path(),
            |xml| {
                let far = format!(
                "<table:table table:name=\"far\"><table:table-row table:number-rows-repeated=\"{rows}\">\
                 <table:table-cell table:number-columns-repeated=\"16383\"/><table:table-cell \
                 office:value-type=\"string\"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"
            );
                xml.replace(
                    "</office:spreadsheet>",
                    &format!("{far}</office:spreadsheet>"),
                )
            },
        )
    };
    let why = "the workbook is too large to read: sheet `{}` comes to more than 16777216 fields \
               of CSV text (the empty cells left of a cell that holds something counted";
    for reversed in [false, true] {
        refused(
            &xlsx(1000..2100, reversed),
            &why.replace("{}", "activities"),
        );
        validates(&xlsx(1000..1500, reversed), 1, "error[extra-cell]");
    }
    refused(&format!("{}#far", ods(1100)), &why.replace("{}", "far"));
    // Read, and refused for what it reads: its header has no names.
    validates(&format!("{}#far", ods(1024)), 4, "error[blank-label]");
}

/// An ods cell's spaces are written `<text:s text:c="N"/>`: ten bytes asked for 4 GB. A cell
/// longer than a row may be (1 MiB) stops its file when its row is read, so its spaces are
/// spelt out no further than that, and the file stops there as it would.
#[test]
fn an_ods_cell_of_billions_of_spaces_stops_its_file_at_its_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spaced = edited(
        "fixtures/workbooks/activities.ods",
        "content.xml",
        dir.path(),
        |xml| {
            let end = xml.find("</table:table>").expect("a table");
            let row = "<table:table-row><table:table-cell office:value-type=\"string\">\
                   <text:p>A<text:s text:c=\"4000000000\"/>9</text:p></table:table-cell></table:table-row>";
            format!("{}{row}{}", &xml[..end], &xml[end..])
        },
    );
    refused(
        &spaced,
        "the row starting here is longer than 1048576 bytes",
    );
}

/// calamine's xlsb reader stops at a row header past row 1,048,577, as if the sheet ended:
/// the rows after it were dropped without a word. Such a file is damaged, and said so.
#[test]
fn an_xlsb_row_past_the_last_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = "fixtures/workbooks/activities.xlsb";
    // A row header for row `row` (from 0) and a text cell, before the sheet data's end.
    let with_row = |row: u32| {
        edited_bytes(book, "xl/worksheets/sheet1.bin", dir.path(), |bytes| {
            let end = [0x92, 0x01, 0x00];
            let at = bytes
                .windows(3)
                .rposition(|w| w == end)
                .expect("the sheet data's end");
            let header = [&[0x00, 13][..], &row.to_le_bytes(), &[0; 9]].concat();
            let cell = [&[0x06, 14][..], &[0; 8], &1u32.to_le_bytes(), &[b'x', 0]].concat();
            [&bytes[..at], &header, &cell, &bytes[at..]].concat()
        })
    };
    refused(
        &with_row(0x0020_0000),
        "the workbook is damaged: its part xl/worksheets/sheet1.bin names row 2097153, past the \
         last row a sheet can have",
    );
    // Row 1,048,577 calamine reads, and its cell lies past the sheet.
    refused(
        &with_row(0x0010_0000),
        "a cell at row 1048577, column 1 lies past the last row or column",
    );
    // A row within the sheet is read, and checked.
    validates(
        &with_row(20),
        1,
        "activities!B21: error[constraint-error/required]",
    );
}

/// A file named as a workbook that does not open as one is damaged, or another kind of file
/// under that name: said so, with the kind its name promised, and not sent to check its path.
#[test]
fn a_file_that_does_not_open_as_its_kind_is_damaged() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, kind) in [
        ("a.xlsx", "an xlsx"),
        ("b.ODS", "an ods"),
        ("c.xls", "an xls"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, "id,date,party\nA1,2019-01-01,KAZ\n").expect("write");
        let book = path.to_str().expect("utf-8 path");
        refused(
            book,
            &format!("the workbook is damaged: it does not open as {kind} file ("),
        );
        let out = concord(&["validate", book]);
        assert!(
            stdout(&out).contains("error[format-error]"),
            "{}",
            stdout(&out)
        );
        assert!(!stdout(&out).contains("check the path"), "{}", stdout(&out));
    }
}

/// Cells are written as they come when they come row by row, left to right; a sheet whose
/// cells come out of that order (a row's cells backwards, a row given after the next) is read
/// whole and put in order, and reads the same.
#[test]
fn cells_out_of_order_read_as_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let shuffled = edited_book(dir.path(), |xml| {
        let mut rows: Vec<String> = xml.split("<row ").map(str::to_string).collect();
        assert!(rows.len() > 6, "the fixture sheet has rows");
        let (head, body) = rows[3].split_once('>').expect("a row's start");
        let body = body
            .strip_suffix("</row>")
            .expect("a row that is not the last");
        let mut cells: Vec<String> = body
            .split("<c ")
            .filter(|c| !c.is_empty())
            .map(|c| format!("<c {c}"))
            .collect();
        assert!(cells.len() > 2, "{body}");
        cells.reverse();
        rows[3] = format!("{head}>{}</row>", cells.concat());
        // The sheet's fourth row given after its fifth.
        rows.swap(4, 5);
        rows.join("<row ")
    });
    let said = |book: &str| {
        let out = concord(&["validate", book]);
        stdout(&out).replace(book, "BOOK")
    };
    let (ours, theirs) = (said(&shuffled), said(BOOK));
    assert!(ours.contains("rows:"), "{ours}");
    assert_eq!(ours, theirs);
}

/// The fixture xlsx with the uncompressed sizes its zip directory declares for `parts` set to
/// `size`, in both the central directory and each part's local header. The zip reader reads no
/// part past its declared size, so these are what a part can expand to: 1 GB of XML compressed
/// into a few MB says so in these fields.
fn declaring(parts: &[&str], size: u32, dir: &std::path::Path) -> String {
    let mut bytes = std::fs::read(BOOK).expect("the fixture workbook");
    let u16_at = |b: &[u8], at: usize| usize::from(u16::from_le_bytes([b[at], b[at + 1]]));
    let u32_at =
        |b: &[u8], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize;
    let end = bytes
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .expect("the end of the central directory");
    let (count, mut at) = (u16_at(&bytes, end + 10), u32_at(&bytes, end + 16));
    for _ in 0..count {
        assert_eq!(
            &bytes[at..at + 4],
            b"PK\x01\x02",
            "a central directory entry"
        );
        let name_len = u16_at(&bytes, at + 28);
        let name = String::from_utf8_lossy(&bytes[at + 46..at + 46 + name_len]).into_owned();
        let local = u32_at(&bytes, at + 42);
        if parts.contains(&name.as_str()) {
            bytes[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
            bytes[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
        }
        at += 46 + name_len + u16_at(&bytes, at + 30) + u16_at(&bytes, at + 32);
    }
    written(dir, &format!("declaring-{size}.xlsx"), &bytes)
}

/// A 3 MB xlsx whose shared strings (one letter, 72M times) expand 412 times took 28 s and
/// 4 GB before it was found to have no header: calamine reads the shared strings whole when it
/// opens the file. A part that would expand past 64 MiB at more than 100 times its compressed
/// size is refused before calamine opens the file, and so is a part read whole past 1 GiB
/// (the limits themselves are tested beside `too_far`).
#[test]
fn workbook_parts_that_expand_too_far_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let strings = "xl/sharedStrings.xml";
    refused(
        &declaring(&[strings], 1_100_000_000, dir.path()),
        "its part `xl/sharedStrings.xml` would expand from 384 to 1100000000 bytes \
         (2864583 times): concord reads a part of more than 64 MiB only if it expands at most \
         100 times",
    );
    refused(
        &declaring(&["xl/worksheets/sheet1.xml"], 900_000_000, dir.path()),
        "its part `xl/worksheets/sheet1.xml` would expand from 743 to 900000000 bytes",
    );
    // 60 MB of strings, at any ratio, are read (here the part holds less than it declares, and
    // is read as it is).
    reads(&declaring(&[strings], 60_000_000, dir.path()));
}

/// A BIFF record: its type, its length and its data.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let len = u16::try_from(data.len()).expect("a short record");
    [&typ.to_le_bytes()[..], &len.to_le_bytes(), data].concat()
}

/// A text cell at (row, column), as a BIFF8 `Label` record.
fn label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let len = u16::try_from(text.len()).expect("a short text");
    let head = [
        row.to_le_bytes(),
        col.to_le_bytes(),
        [0, 0],
        len.to_le_bytes(),
    ]
    .concat();
    record(0x0204, &[&head[..], &[0], text.as_bytes()].concat())
}

/// A `Dimensions` record: first row, row after the last, first column, column after the last.
fn dimensions(rows: (u32, u32), cols: (u16, u16)) -> Vec<u8> {
    let data = [
        &rows.0.to_le_bytes()[..],
        &rows.1.to_le_bytes(),
        &cols.0.to_le_bytes(),
        &cols.1.to_le_bytes(),
        &[0, 0],
    ]
    .concat();
    record(0x0200, &data)
}

/// A BIFF8 `BOF` record, of the workbook globals (5) or of a worksheet (16).
fn bof(kind: u16) -> Vec<u8> {
    record(
        0x0809,
        &[&[0, 6][..], &kind.to_le_bytes(), &[0; 12]].concat(),
    )
}

/// An xls file (a compound file holding a BIFF8 `Workbook` stream) with one sheet, `activities`:
/// `globals_bof` opens the workbook globals, the sheet's `BoundSheet8` record says it starts
/// `past` bytes after where it does, and the sheet holds a header, one row, then `records`.
fn xls(dir: &std::path::Path, name: &str, globals_bof: &[u8], past: u32, records: &[u8]) -> String {
    use std::io::Write;
    let bound = |at: u32| {
        record(
            0x0085,
            &[&at.to_le_bytes()[..], &[0, 0, 10, 0], b"activities"].concat(),
        )
    };
    let globals = |at: u32| [globals_bof, &bound(at), &record(0x000A, &[])].concat();
    let start = u32::try_from(globals(0).len()).expect("short globals");
    let mut stream = globals(start + past);
    stream.extend(bof(16));
    stream.extend(dimensions((0, 2), (0, 5)));
    for (row, fields) in [
        ["id", "date", "party", "kind", "subject"],
        ["X1", "2019-06-14", "KAZ", "forum", "security-architecture"],
    ]
    .iter()
    .enumerate()
    {
        for (col, text) in fields.iter().enumerate() {
            stream.extend(label(row as u16, col as u16, text));
        }
    }
    stream.extend(records);
    stream.extend(record(0x000A, &[]));
    let mut file =
        cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("a compound file");
    file.create_stream("Workbook")
        .and_then(|mut s| s.write_all(&stream))
        .expect("the workbook stream");
    file.flush().expect("flushed");
    written(dir, name, &file.into_inner().into_inner())
}

/// calamine reads every sheet of an xls file when it opens it, trusting the offsets and sizes
/// the file gives: a 20 KB file with a cell at row and column 65,536, or a `Dimensions` record
/// naming 4 billion rows, asked for terabytes and aborted the run; a sheet said to start past
/// the end of the workbook, a `Dimensions` record ending before it starts, or a record shorter
/// than calamine reads, panicked. Each is now a workbook too large or damaged (exit 4); the
/// same file without them reads.
#[test]
fn xls_files_that_would_abort_calamine_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let good = bof(5);
    let said = reads(&xls(d, "ok.xls", &good, 0, &[]));
    assert!(
        said.contains("ok.xls#activities: 1 row: 1 accepted"),
        "{said}"
    );

    refused(
        &xls(d, "far.xls", &good, 0, &label(65535, 65535, "x")),
        "sheet `activities` spans 65536 rows by 65536 columns (4294967296 cells), more than an \
         xls sheet can hold (16777216 cells)",
    );
    refused(
        &xls(
            d,
            "dims.xls",
            &good,
            0,
            &dimensions((0, u32::MAX), (0, 65535)),
        ),
        "sheet `activities` spans 4294967295 rows by 65535 columns",
    );
    refused(
        &xls(d, "backwards.xls", &good, 0, &dimensions((100, 5), (0, 5))),
        "the workbook is damaged: sheet `activities`: its dimensions end before they start",
    );
    refused(
        &xls(d, "past.xls", &good, 1_000_000, &[]),
        "the workbook is damaged: sheet `activities` starts at byte 1000046, past the end",
    );
    // A compound file the checks cannot read is not handed to calamine's own reader.
    let magic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let garbled = written(d, "garbled.xls", &[&magic[..], &[7; 600]].concat());
    refused(
        &garbled,
        "the workbook is damaged: its workbook stream cannot be read (",
    );
    let short_bof = record(0x0809, &[0]);
    let cut = xls(d, "cut.xls", &short_bof, 0, &[]);
    refused(
        &cut,
        "the workbook is damaged: calamine could not read it (",
    );
    let out = concord(&["validate", &cut]);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}
