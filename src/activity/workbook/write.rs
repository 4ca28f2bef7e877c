//! Writing activities workbooks: `template --format xlsx`, and the workbook fixtures of the tests
//! (`src/bin/concord-workbooks.rs`). The layout is the CSV's: a header row, one row per
//! activity, with lists to pick party, kind and subject from.

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DocProperties, Format, Formula, Workbook, XlsxError};

use crate::activity::COLUMNS;

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// An Excel date (a serial number formatted `yyyy-mm-dd`).
    Date(NaiveDate),
    Number(f64),
    Empty,
}

/// One sheet: its name and its rows below the header.
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

/// What the pick lists offer (from the rules' parties and vocabulary).
pub struct Lists {
    pub parties: Vec<String>,
    pub kinds: Vec<String>,
    pub subjects: Vec<String>,
}

/// Rows that get the pick lists and the date format, header excluded.
const FORMATTED_ROWS: u32 = 5000;

/// A workbook of activity sheets (each with the header of every column in template order) and,
/// with `lists`, a sheet `lists` whose columns feed the party, kind, subject and partner pick
/// lists of the first sheet. The file's creation date is fixed, so the same input writes the
/// same bytes.
pub fn workbook(sheets: &[Sheet], lists: Option<&Lists>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap_or(0) as u16;
    for (ix, sheet) in sheets.iter().enumerate() {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name)?;
        for (c, name) in COLUMNS.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *name, &bold)?;
            let width = match *name {
                "source" | "note" => 40.0,
                "id" => 18.0,
                _ => 12.0,
            };
            ws.set_column_width(c as u16, width)?;
        }
        ws.set_freeze_panes(1, 0)?;
        ws.set_column_format(col("date"), &date)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => {
                        ws.write_string(r, c, t)?;
                    }
                    Cell::Date(d) => {
                        ws.write_date_with_format(r, c, d, &date)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        if let (0, Some(lists)) = (ix, lists) {
            for (name, column) in [("party", "A"), ("kind", "B"), ("subject", "C")] {
                let len = match column {
                    "A" => lists.parties.len(),
                    "B" => lists.kinds.len(),
                    _ => lists.subjects.len(),
                };
                let v = DataValidation::new()
                    .allow_list_formula(Formula::new(format!(
                        "=lists!${column}$2:${column}${}",
                        len + 1
                    )))
                    .set_input_message(format!("pick a {name} from the list"))?;
                ws.add_data_validation(1, col(name), FORMATTED_ROWS, col(name), &v)?;
            }
        }
    }
    if let Some(lists) = lists {
        let ws = book.add_worksheet();
        ws.set_name("lists")?;
        for (c, (head, items)) in [
            ("party", &lists.parties),
            ("kind", &lists.kinds),
            ("subject", &lists.subjects),
        ]
        .into_iter()
        .enumerate()
        {
            ws.write_string_with_format(0, c as u16, head, &bold)?;
            ws.set_column_width(c as u16, 28.0)?;
            for (r, item) in items.iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, item)?;
            }
        }
    }
    book.save_to_buffer()
}
