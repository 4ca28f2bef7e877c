//! Activities kept in a spreadsheet (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`): one sheet is
//! turned into CSV text that the CSV pipeline reads as it reads any file, so a workbook gets the
//! same validation and rejects. Row n of the sheet becomes line n of that text and column k its
//! field k, so every place the pipeline reports is also a cell (`Activities!C12`).

use std::borrow::Cow;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use calamine::{Data, DataRef, Reader, Sheets, Xls, Xlsb, Xlsx, XlsxError};

mod ods;
pub mod write;
mod xls;
mod xlsb;

/// The extensions read as workbooks.
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// A workbook input: the file, and the sheet named after `#` (`FILE.xlsx#Sheet`), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Book {
    pub file: PathBuf,
    pub sheet: Option<String>,
}

fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Whether an input names a workbook (or a sheet of one); other inputs are CSV.
pub fn book(input: &Path) -> Option<Book> {
    if is_workbook(input) {
        return Some(Book {
            file: input.to_path_buf(),
            sheet: None,
        });
    }
    let text = input.to_str()?;
    let (file, sheet) = text.rsplit_once('#')?;
    let file = PathBuf::from(file);
    (is_workbook(&file) && !sheet.is_empty()).then(|| Book {
        file,
        sheet: Some(sheet.to_string()),
    })
}

/// One sheet as CSV text, and what to call it in reports.
pub struct Converted {
    /// `FILE#Sheet`: the input's name wherever a report names it.
    pub name: String,
    pub csv: SheetText,
    /// The SHA-256 of the workbook file itself, which is what an auditor can check.
    pub sha256: String,
}

/// A sheet's CSV text, shared between the reading of its rows and the settling of repeated
/// ids, which reads first copies back from it: converting a large workbook again takes as long
/// as the first time.
#[derive(Debug, Clone)]
pub struct SheetText(Arc<Vec<u8>>);

impl SheetText {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for SheetText {
    fn from(csv: Vec<u8>) -> SheetText {
        SheetText(Arc::new(csv))
    }
}

impl AsRef<[u8]> for SheetText {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Why a sheet did not become CSV text.
#[derive(Debug)]
pub enum Unconverted {
    /// The file cannot be read as a workbook, or has no such sheet.
    Unreadable(String),
    /// The file is a workbook, but damaged: a cell past a sheet's end, a table never closed.
    Damaged(String),
    /// A sheet spans or holds more cells than concord reads (see `GRID`), or a part of the
    /// file would expand further than concord reads (see `too_far`).
    TooLarge(String),
}

impl From<String> for Unconverted {
    fn from(reason: String) -> Unconverted {
        Unconverted::Unreadable(reason)
    }
}

pub fn convert(book: &Book) -> Result<Converted, Unconverted> {
    let bytes = std::fs::read(&book.file).map_err(|e| e.to_string())?;
    let sha256 = crate::digest::sha256_hex(&bytes);
    if let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes.as_slice())) {
        parts_fit(&mut zip)?;
        if extension(&book.file).as_deref() == Some("xlsb") {
            xlsb::rows_fit(&mut zip)?;
        }
    }
    xls::sheets_fit(&bytes, book.sheet.as_deref())?;
    let (sheet, csv) = guarded(|| sheet_text(book, bytes))??;
    Ok(Converted {
        name: format!("{}#{sheet}", book.file.display()),
        csv: SheetText::from(csv),
        sha256,
    })
}

/// The sheet `book` names (or the first) of the workbook in `bytes`, and its CSV text: all that
/// calamine does with a file, so that [`guarded`] holds it whole.
fn sheet_text(book: &Book, bytes: Vec<u8>) -> Result<(String, Vec<u8>), Unconverted> {
    if extension(&book.file).as_deref() == Some("ods") {
        return ods_text(book, &bytes);
    }
    let mut workbook = open(&book.file, bytes).map_err(|(kind, e)| {
        Unconverted::Damaged(format!("it does not open as {kind} file ({e})"))
    })?;
    let sheet = sheet(book, &workbook.sheet_names())?;
    let in_order = Taking::InOrder(InOrder::new());
    let loaded = match read_sheet(&mut workbook, &sheet, in_order)? {
        Some(loaded) => loaded,
        // A cell came before one read earlier: the sheet is read again, every cell kept.
        None => read_sheet(&mut workbook, &sheet, Taking::All(Vec::new(), 0))?
            .ok_or_else(|| format!("sheet `{sheet}`: its cells cannot be put in order"))?,
    };
    let csv = match loaded {
        Loaded::Text(csv) => csv,
        Loaded::Cells(cells) => sorted_text(cells).map_err(|e| e.of(&sheet))?,
        Loaded::Grid(grid) => {
            within_sheet(grid.end().unwrap_or((0, 0)))
                .map_err(|e| Unconverted::Damaged(format!("sheet `{sheet}`: {e}")))?;
            grid_text(&grid).map_err(|e| e.of(&sheet))?
        }
    };
    Ok((sheet, csv))
}

/// What calamine does with a file (opening it, reading a sheet, turning its cells into text),
/// with a panic of its reader (an index past a record's end, an offset past the stream: its xls
/// reader trusts the lengths and offsets a file gives) turned into a damaged workbook instead
/// of ending the run. The memory it would ask for is bounded before (`parts_fit`,
/// `xls::sheets_fit`; the text, as it is written): that cannot be caught.
/// The panic's own message is kept from standard error while calamine runs on this thread:
/// the panic hook is the whole process's, so it is wrapped once, and keeps quiet only for a
/// thread inside this function (swapping it for each call raced between threads).
fn guarded<T>(read: impl FnOnce() -> T) -> Result<T, Unconverted> {
    use std::cell::Cell;
    thread_local!(static QUIET: Cell<bool> = const { Cell::new(false) });
    static WRAPPED: std::sync::Once = std::sync::Once::new();
    WRAPPED.call_once(|| {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                hook(info);
            }
        }));
    });
    let was = QUIET.with(|quiet| quiet.replace(true));
    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    QUIET.with(|quiet| quiet.set(was));
    done.map_err(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Unconverted::Damaged(format!("calamine could not read it ({why})"))
    })
}

/// The workbook in `bytes`, read by the reader its file's extension names. The bytes are the
/// ones hashed: opening the file again by its path would read whatever it holds by then,
/// and a report would name one content by its digest and count the rows of another.
/// A file that does not open is named by the kind its extension promised: it is damaged, or
/// another kind of file under that name.
fn open(
    file: &Path,
    bytes: Vec<u8>,
) -> Result<Sheets<Cursor<Vec<u8>>>, (&'static str, calamine::Error)> {
    let bytes = Cursor::new(bytes);
    Ok(match extension(file).as_deref() {
        Some("xls") => Sheets::Xls(Xls::new(bytes).map_err(|e| ("an xls", e.into()))?),
        Some("xlsb") => Sheets::Xlsb(Xlsb::new(bytes).map_err(|e| ("an xlsb", e.into()))?),
        // `xlsx` and `xlsm`, the rest of [`EXTENSIONS`].
        _ => Sheets::Xlsx(Xlsx::new(bytes).map_err(|e| ("an xlsx", e.into()))?),
    })
}

fn extension(file: &Path) -> Option<String> {
    file.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// An ods file's sheet, its cells written as CSV text as they come (see [`ods`]): calamine's
/// reader would build every table as a grid first.
fn ods_text(book: &Book, bytes: &[u8]) -> Result<(String, Vec<u8>), Unconverted> {
    let unread = |e: String| Unconverted::Damaged(format!("it does not open as an ods file ({e})"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unread(e.to_string()))?;
    let mut chosen = Chosen {
        wanted: book.sheet.as_deref(),
        names: Vec::new(),
        text: InOrder::new(),
    };
    match ods::read(&mut zip, &mut chosen) {
        Ok(()) => {}
        Err(ods::Unread::Format(e)) => return Err(unread(e)),
        Err(ods::Unread::Refused(e)) => return Err(e),
    }
    let sheet = sheet(book, &chosen.names)?;
    let text = chosen.text.finish().map_err(|e| e.of(&sheet))?;
    Ok((sheet, text))
}

/// The table of an ods file a run reads: the one named, or the first. Of two tables of one
/// name the last is read, as calamine reads it.
struct Chosen<'a> {
    wanted: Option<&'a str>,
    /// Every table's name, in order.
    names: Vec<String>,
    text: InOrder,
}

impl ods::Tables for Chosen<'_> {
    fn table(&mut self, name: &str) -> bool {
        self.names.push(name.to_string());
        let wanted = self.wanted.map_or(self.names.len() == 1, |w| w == name);
        if wanted {
            self.text = InOrder::new();
        }
        wanted
    }

    fn cell(&mut self, row: u32, column: u32, value: &Data) -> Result<(), Unconverted> {
        let sheet = self.names.last().map_or("", String::as_str);
        let damaged = |e: String| Unconverted::Damaged(format!("sheet `{sheet}`: {e}"));
        within_sheet((row, column)).map_err(damaged)?;
        match self.text.push(row, column, Cow::Borrowed(value)) {
            Ok(true) => Ok(()),
            Ok(false) => Err(damaged("its cells cannot be put in order".into())),
            Err(e) => Err(e.of(sheet)),
        }
    }
}

/// The cells of a sheet that hold something: (row, column, value), from 0.
type Cells = Vec<(u32, u32, Data)>;

/// A sheet as its format lets calamine read it.
enum Loaded {
    /// Cell by cell, written as CSV text as they came, in order (xlsx, xlsb).
    Text(Vec<u8>),
    /// Cell by cell, every cell kept, as they did not come in order (xlsx, xlsb).
    Cells(Cells),
    /// As one dense grid from its first cell that holds something to its farthest (xls; ods
    /// files are read by [`ods_text`], without calamine's grid).
    Grid(calamine::Range<Data>),
}

/// A sheet's cells, read one by one where the format allows (xlsx, xlsb). calamine's ranges
/// are dense, as wide and as long as the farthest cell: a file of a few KB naming a cell at
/// the sheet's far corner asked for 230 GB and aborted the run. Cells read one by one are
/// kept up to [`GRID`] of them, the most an ods grid may span: a few MB of compressed XML can
/// name a hundred million.
///
/// None when `taking` is [`Taking::InOrder`] and a cell came before one read earlier.
fn read_sheet<R: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<R>,
    sheet: &str,
    mut taking: Taking,
) -> Result<Option<Loaded>, Unconverted> {
    let unread = |e: &dyn std::fmt::Display| format!("sheet `{sheet}`: {e}");
    let mut held = 0u64;
    // Whether the cell could be taken; false when it comes out of order.
    let mut keep = |cell: calamine::Cell<DataRef<'_>>| {
        let (row, col) = cell.get_position();
        if matches!(cell.get_value(), DataRef::Empty) {
            return Ok(true);
        }
        within_sheet((row, col))
            .map_err(|e| Unconverted::Damaged(format!("sheet `{sheet}`: {e}")))?;
        if held == GRID {
            return Err(Unconverted::TooLarge(format!(
                "sheet `{sheet}` has more than {GRID} cells that hold something, more than \
                 concord reads from a workbook"
            )));
        }
        held += 1;
        taking
            .take(row, col, Data::from(cell.get_value().clone()))
            .map_err(|e| e.of(sheet))
    };
    match workbook {
        Sheets::Xlsx(book) => match book.worksheet_cells_reader(sheet) {
            Ok(mut reader) => {
                while let Some(cell) = reader.next_cell().map_err(|e| unread(&e))? {
                    if !keep(cell)? {
                        return Ok(None);
                    }
                }
            }
            // calamine reads a chart sheet as an empty range, and so does this.
            Err(XlsxError::NotAWorksheet(_)) => {}
            Err(e) => return Err(unread(&e).into()),
        },
        Sheets::Xlsb(book) => {
            let mut reader = book.worksheet_cells_reader(sheet).map_err(|e| unread(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| unread(&e))? {
                if !keep(cell)? {
                    return Ok(None);
                }
            }
        }
        other => {
            let grid = other.worksheet_range(sheet).map_err(|e| unread(&e))?;
            return Ok(Some(Loaded::Grid(grid)));
        }
    }
    Ok(Some(match taking {
        Taking::InOrder(text) => Loaded::Text(text.finish().map_err(|e| e.of(sheet))?),
        Taking::All(cells, _) => Loaded::Cells(cells),
    }))
}

/// Where the cells of a sheet read one by one go.
enum Taking {
    InOrder(InOrder),
    /// Every cell, and the bytes of their strings, held to [`TEXT`] as the text is.
    All(Cells, usize),
}

impl Taking {
    /// Take a cell that holds something; false when it comes out of order.
    fn take(&mut self, row: u32, col: u32, value: Data) -> Result<bool, TooMuchText> {
        match self {
            Taking::InOrder(text) => text.push(row, col, Cow::Owned(value)),
            Taking::All(cells, bytes) => {
                if let Data::String(s) = &value {
                    *bytes += s.len();
                    if *bytes > TEXT {
                        return Err(TooMuchText::Bytes(TEXT));
                    }
                }
                cells.push((row, col, value));
                Ok(true)
            }
        }
    }
}

/// A sheet's CSV text, written as its cells come, row by row and left to right as spreadsheet
/// programs write them: no cell is kept (a sheet of 1M rows kept 6M, 430 MB). Rows above the
/// table are blank lines, cells left of it empty fields: row n stays line n.
///
/// A few bytes of a workbook can make a great deal of text, which is held to [`GRID`] fields
/// and [`TEXT`] bytes. Empty fields cost a byte each: a 68 KB ods file of 100,000 rows, each
/// holding one cell in the last column, became 1.6 GB of commas. A value is written once for
/// each cell that shows it: an ods cell repeated, an xlsx shared string named again.
struct InOrder {
    csv: Vec<u8>,
    width: Option<usize>,
    fields: Vec<String>,
    /// The last cell taken.
    at: Option<(u32, u32)>,
    /// Fields written so far.
    written: u64,
    /// The bytes of the fields of the row not yet written, a comma each.
    pending: usize,
    /// The most bytes of text: [`TEXT`] but in tests.
    budget: usize,
}

/// The most bytes of CSV text a sheet may come to: four times the text of 1M `realistic` rows.
const TEXT: usize = 1 << 30;

/// Why a sheet's text was not finished.
#[derive(Debug, PartialEq)]
enum TooMuchText {
    /// It would pass [`GRID`] fields.
    Fields,
    /// It would pass its budget of bytes.
    Bytes(usize),
}

impl TooMuchText {
    fn of(self, sheet: &str) -> Unconverted {
        Unconverted::TooLarge(match self {
            TooMuchText::Fields => format!(
                "sheet `{sheet}` comes to more than {GRID} fields of CSV text (the empty cells \
                 left of a cell that holds something counted, and those that fill a row out to \
                 the header's width), more than concord reads from a workbook"
            ),
            TooMuchText::Bytes(budget) => format!(
                "sheet `{sheet}` comes to more than {budget} bytes of CSV text (a value counted \
                 once for each cell that shows it), more than concord reads from a workbook"
            ),
        })
    }
}

impl InOrder {
    fn new() -> InOrder {
        InOrder::within(TEXT)
    }

    fn within(budget: usize) -> InOrder {
        InOrder {
            csv: Vec::new(),
            width: None,
            fields: Vec::new(),
            at: None,
            written: 0,
            pending: 0,
            budget,
        }
    }

    /// Take the next cell; false when it does not come after the last one.
    fn push(&mut self, row: u32, col: u32, value: Cow<'_, Data>) -> Result<bool, TooMuchText> {
        match self.at {
            None => self.csv.resize(row as usize, b'\n'),
            Some((r, c)) if r == row && c < col => {}
            Some((r, _)) if r < row => {
                self.end_row()?;
                // Empty rows between are blank lines.
                let blank = self.csv.len() + (row - r - 1) as usize;
                self.csv.resize(blank, b'\n');
            }
            Some(_) => return Ok(false),
        }
        let col = col as usize;
        if self.fields.len() <= col {
            self.fields.resize(col + 1, String::new());
        }
        let field = text(value);
        self.pending += field.len() + 1;
        self.within_budget(self.csv.len() + self.pending)?;
        self.fields[col] = field;
        self.at = Some((row, col as u32));
        Ok(true)
    }

    fn end_row(&mut self) -> Result<(), TooMuchText> {
        trim_to_width(&mut self.fields, &mut self.width);
        self.written += self.fields.len() as u64;
        if self.written > GRID {
            return Err(TooMuchText::Fields);
        }
        write_record(&mut self.csv, &self.fields);
        self.within_budget(self.csv.len())?;
        self.fields.clear();
        self.pending = 0;
        Ok(())
    }

    fn within_budget(&self, bytes: usize) -> Result<(), TooMuchText> {
        match bytes > self.budget {
            true => Err(TooMuchText::Bytes(self.budget)),
            false => Ok(()),
        }
    }

    fn finish(mut self) -> Result<Vec<u8>, TooMuchText> {
        if self.at.is_some() {
            self.end_row()?;
        }
        Ok(self.csv)
    }
}

/// A cell, at (row, column) from 0, within the largest sheet there is.
fn within_sheet((row, col): (u32, u32)) -> Result<(), String> {
    if row < ROWS && col < COLUMNS {
        return Ok(());
    }
    Err(format!(
        "a cell at row {}, column {} lies past the last row or column a sheet can have \
         ({ROWS} rows, {COLUMNS} columns)",
        u64::from(row) + 1,
        u64::from(col) + 1
    ))
}

/// The rows and columns of the largest sheet a spreadsheet program makes (Excel's, and
/// LibreOffice's since 7.4). A cell past them is a damaged file, and a row as wide as its
/// position would not fit in memory.
const ROWS: u32 = 1 << 20;
const COLUMNS: u32 = 1 << 14;

/// The most fields of any sheet's CSV text ([`InOrder`]), the most cells of an xlsx or xlsb
/// sheet that hold something, and the most cells an xls file's sheets span together:
/// 1,048,576 rows of 16 columns. Repeated cells make many from a few bytes: an 11 KB ods file
/// repeating one cell over 6,000 rows of 16,000 columns took 18.7 GB and 36 s while calamine
/// built its grids, and would still be 96M fields of CSV text. An xls sheet cannot be larger
/// (65,536 rows of 256 columns).
const GRID: u64 = 1 << 24;

/// The zip archive an xlsx, xlsb or ods file is.
type Zip<'b> = zip::ZipArchive<Cursor<&'b [u8]>>;

/// The most a part that calamine reads whole when it opens a file (the shared strings, the
/// styles) may expand to: four times the shared strings of 1M `realistic` rows (about 250 MB).
/// calamine keeps each shared string as a string of its own, about 3.5 times the XML's bytes
/// for short ones. The sheets (an xlsx or xlsb worksheet, read cell by cell, and an ods file's
/// `content.xml`, bounded by [`GRID`]) are not held to it: the `content.xml` of 1M `realistic`
/// rows is about 1.1 GB.
const WHOLE_PART: u64 = 1 << 30;
/// Beyond [`RATIO_FROM`] bytes, the most any part may expand to, as a multiple of its
/// compressed size. The XML of a workbook shrinks 5 to 25 times (the worksheet of 1M `default`
/// rows 10 times, an ods `content.xml` of `realistic` rows 22 times); a 3 MB xlsx whose shared
/// strings (one letter, 72M times) expand 412 times took 28 s and 4 GB to be refused for its
/// header.
const RATIO: u64 = 100;
const RATIO_FROM: u64 = 64 << 20;
/// The most all the parts of a workbook may expand to together: eight times the worksheet of 1M
/// `default` rows written as inline strings (490 MB). The sheet becomes CSV text, held whole.
const ALL_PARTS: u64 = 4 << 30;

/// The parts of a workbook that is a zip archive, by the sizes its directory declares (the
/// zip reader reads no entry past its declared size): see [`too_far`]. A few MB of deflated
/// XML can expand to gigabytes before a single cell is read.
fn parts_fit(zip: &mut Zip<'_>) -> Result<(), Unconverted> {
    let parts = (0..zip.len()).filter_map(|i| {
        let part = zip.by_index_raw(i).ok()?;
        let name = part.name().unwrap_or_default().to_string();
        Some((name, part.compressed_size(), part.size()))
    });
    match too_far(parts.collect::<Vec<_>>()) {
        Some(why) => Err(Unconverted::TooLarge(why)),
        None => Ok(()),
    }
}

/// Why parts (name, compressed size, size) would expand too far, if they would: past
/// [`RATIO`] times the compressed size once past [`RATIO_FROM`], a part read whole past
/// [`WHOLE_PART`], all of them past [`ALL_PARTS`].
fn too_far(parts: impl IntoIterator<Item = (String, u64, u64)>) -> Option<String> {
    let mut total = 0u64;
    for (name, packed, size) in parts {
        total = total.saturating_add(size);
        let times = size / packed.max(1);
        if size > RATIO_FROM && times > RATIO {
            return Some(format!(
                "its part `{name}` would expand from {packed} to {size} bytes ({times} times): \
                 concord reads a part of more than {} MiB only if it expands at most {RATIO} \
                 times",
                RATIO_FROM >> 20
            ));
        }
        let sheet = name.starts_with("xl/worksheets/") || name == "content.xml";
        if !sheet && size > WHOLE_PART {
            return Some(format!(
                "its part `{name}` would expand to {size} bytes, and is read whole: concord \
                 reads such a part up to {} GiB",
                WHOLE_PART >> 30
            ));
        }
    }
    (total > ALL_PARTS).then(|| {
        format!(
            "its parts would expand to {total} bytes, more than concord reads from a \
             workbook ({} GiB)",
            ALL_PARTS >> 30
        )
    })
}

/// The sheet named after `#`, or else the first, as a workbook of one sheet needs no name; a
/// name the workbook lacks is refused with the names it has.
fn sheet(book: &Book, names: &[String]) -> Result<String, String> {
    match &book.sheet {
        Some(s) if names.contains(s) => Ok(s.clone()),
        Some(s) => Err(format!(
            "the workbook has no sheet `{s}` (its sheets: {})",
            names.join(", ")
        )),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| "the workbook has no sheet".to_string()),
    }
}

/// A grid as CSV text: its cells that hold something, as [`InOrder`] writes them.
fn grid_text(grid: &calamine::Range<Data>) -> Result<Vec<u8>, TooMuchText> {
    let (top, left) = grid.start().unwrap_or((0, 0));
    let mut text = InOrder::new();
    for (row, col, value) in grid.used_cells() {
        let in_order = text.push(top + row as u32, left + col as u32, Cow::Borrowed(value))?;
        debug_assert!(in_order, "a range's cells come row by row");
    }
    text.finish()
}

/// Cells that came in any order as CSV text: put in order, then written as [`InOrder`]
/// writes them.
fn sorted_text(mut cells: Cells) -> Result<Vec<u8>, TooMuchText> {
    // Stable: a cell given twice keeps its last value, as calamine's range kept it.
    cells.sort_by_key(|&(row, col, _)| (row, col));
    let mut text = InOrder::new();
    for copies in cells.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        if let Some((row, col, value)) = copies.last() {
            let in_order = text.push(*row, *col, Cow::Borrowed(value))?;
            debug_assert!(in_order, "sorted cells come in order");
        }
    }
    text.finish()
}

/// The header's width, set by the first row with anything in it: cells right of it that hold
/// nothing are no fields (a row that has something there gets an extra-cell reject, as in
/// CSV), and a row that ends short of it is filled out to it. An empty row of the sheet is a
/// blank line, as it would be in a CSV export.
fn trim_to_width(fields: &mut Vec<String>, width: &mut Option<usize>) {
    let used = fields
        .iter()
        .rposition(|f| !f.is_empty())
        .map_or(0, |i| i + 1);
    let keep = if used == 0 {
        0
    } else {
        used.max(*width.get_or_insert(used))
    };
    fields.resize(keep, String::new());
}

/// One line of CSV: a field holding a comma or a quote is quoted, its quotes doubled.
fn write_record(csv: &mut Vec<u8>, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            csv.push(b',');
        }
        if f.contains([',', '"']) {
            csv.push(b'"');
            csv.extend_from_slice(f.replace('"', "\"\"").as_bytes());
            csv.push(b'"');
        } else {
            csv.extend_from_slice(f.as_bytes());
        }
    }
    csv.push(b'\n');
}

/// Days from Excel's first date to past its last (9999-12-31 is serial 2,958,465).
const EXCEL_DAYS: f64 = 2_958_466.0;

/// A cell as the text a CSV export would hold: dates as `YYYY-MM-DD` (whether the cell holds
/// an Excel date or text), whole numbers without a fraction, line breaks inside a cell as
/// spaces (so that row n stays line n). A string cell given whole gives its own string, not a
/// copy.
fn text(cell: Cow<'_, Data>) -> String {
    let s = match cell {
        Cow::Owned(Data::String(s)) => s,
        cell => shown(&cell),
    };
    if s.contains(['\n', '\r']) {
        s.replace("\r\n", " ").replace(['\n', '\r'], " ")
    } else {
        s
    }
}

/// What a cell shows, as text, its line breaks as they are.
fn shown(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        // calamine's conversion panics on a serial far past the dates Excel has (year 9999):
        // a cell in a date format holding 1e20 is written as the number it holds.
        Data::DateTime(d) if !(-EXCEL_DAYS..=EXCEL_DAYS).contains(&d.as_f64()) => {
            d.as_f64().to_string()
        }
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) => dt.date().format("%Y-%m-%d").to_string(),
            None => d.as_f64().to_string(),
        },
        // ODS keeps dates as ISO 8601 text: the date part is what a row's date is.
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The sheet of an input name made by [`convert`] (`FILE.xlsx#Sheet`).
pub fn sheet_of(name: &str) -> Option<&str> {
    let (file, sheet) = name.rsplit_once('#')?;
    is_workbook(Path::new(file)).then_some(sheet)
}

/// Where a problem is, as a person looks for it: `FILE.xlsx:Sheet!C12` for a workbook's sheet,
/// `None` for a CSV file (whose places are `file:line:column`).
pub fn place(name: &str, line: u64, column: Option<usize>) -> Option<String> {
    let sheet = sheet_of(name)?;
    let file = &name[..name.len() - sheet.len() - 1];
    Some(format!("{file}:{}", cell(sheet, line, column)))
}

/// `C`, `AA`: a 1-based column as spreadsheets letter it.
fn letters(mut column: usize) -> String {
    let mut out = Vec::new();
    while column > 0 {
        column -= 1;
        out.push(b'A' + (column % 26) as u8);
        column /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A cell (`Activities!C12`), or the whole row (`Activities!12:12`) where no column is to blame.
/// A sheet name other than letters, digits and `_` is quoted, as spreadsheets write it.
pub fn cell(sheet: &str, line: u64, column: Option<usize>) -> String {
    let sheet = if sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    };
    match column {
        Some(c) if c > 0 => format!("{sheet}!{}{line}", letters(c)),
        _ => format!("{sheet}!{line}:{line}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_name_a_workbook_and_maybe_a_sheet() {
        assert_eq!(book(Path::new("a.csv")), None);
        assert_eq!(book(Path::new("a#b.csv")), None);
        let b = book(Path::new("dir/a.XLSX")).expect("workbook");
        assert_eq!(b.sheet, None);
        let b = book(Path::new("a.ods#Year 2019")).expect("sheet");
        assert_eq!(b.file, PathBuf::from("a.ods"));
        assert_eq!(b.sheet.as_deref(), Some("Year 2019"));
    }

    #[test]
    fn cells_are_lettered_like_spreadsheets() {
        assert_eq!(cell("Activities", 12, Some(3)), "Activities!C12");
        assert_eq!(cell("Activities", 12, Some(27)), "Activities!AA12");
        assert_eq!(cell("Year 2019", 4, None), "'Year 2019'!4:4");
        assert_eq!(sheet_of("x/a.xlsx#Activities"), Some("Activities"));
        assert_eq!(sheet_of("a.csv"), None);
    }

    /// A sheet's text stops at its budget of bytes, counted as values come (before a row
    /// of long ones is written) and once written (quotes doubled), and at [`GRID`] fields.
    #[test]
    fn text_is_held_to_its_budget() {
        let long = Data::String("x".repeat(40));
        let quotes = Data::String("\"".repeat(30));
        // Two cells fit; the third passes the budget: a long one as it comes, and after a row
        // of quotes once that row is written with its quotes doubled.
        for (value, third) in [(&long, (0, 2)), (&quotes, (1, 0))] {
            let mut text = InOrder::within(100);
            assert_eq!(text.push(0, 0, Cow::Borrowed(value)), Ok(true));
            assert_eq!(text.push(0, 1, Cow::Borrowed(value)), Ok(true));
            assert_eq!(
                text.push(third.0, third.1, Cow::Borrowed(value)),
                Err(TooMuchText::Bytes(100))
            );
        }

        let mut text = InOrder::within(100);
        assert_eq!(text.push(0, 0, Cow::Borrowed(&long)), Ok(true));
        assert_eq!(text.finish().map(|t| t.len()), Ok(41));

        let one = Data::String("y".into());
        let mut text = InOrder::new();
        let last = COLUMNS - 1;
        let full = (GRID / u64::from(COLUMNS)) as u32;
        for row in 0..full {
            assert_eq!(
                text.push(row, last, Cow::Borrowed(&one)),
                Ok(true),
                "row {row}"
            );
        }
        assert_eq!(text.push(full, 0, Cow::Borrowed(&one)), Ok(true));
        assert_eq!(text.finish().err(), Some(TooMuchText::Fields));
    }

    #[test]
    fn parts_that_would_expand_too_far() {
        let part = |name: &str, packed: u64, size: u64| (name.to_string(), packed, size);
        let mib = 1 << 20;
        // A real sheet of 1M rows, its shared strings, and what spreadsheet programs write
        // beside them.
        let real = [
            part("xl/worksheets/sheet1.xml", 49 * mib, 490 * mib),
            part("xl/sharedStrings.xml", 40 * mib, 250 * mib),
            part("xl/styles.xml", 1, 1_214),
            part("content.xml", 50 * mib, 1_100 * mib),
        ];
        assert_eq!(too_far(real.clone()), None);
        let said = |parts: &[(String, u64, u64)]| too_far(parts.to_vec()).unwrap_or_default();
        // Any part over 64 MiB expanding more than 100 times; up to 64 MiB, any.
        for name in [
            "xl/sharedStrings.xml",
            "xl/worksheets/sheet1.xml",
            "content.xml",
        ] {
            assert!(said(&[part(name, mib, 101 * mib)]).contains("(101 times)"));
            assert_eq!(too_far([part(name, mib, 100 * mib)]), None);
            assert_eq!(too_far([part(name, 1, 64 * mib)]), None);
        }
        // A part read whole past 1 GiB, at any ratio; a sheet may be larger.
        assert!(said(&[part("xl/sharedStrings.xml", 100 * mib, 1025 * mib)])
            .contains("is read whole: concord reads such a part up to 1 GiB"));
        assert_eq!(too_far([part("content.xml", 100 * mib, 1025 * mib)]), None);
        // All the parts past 4 GiB together.
        let sheets: Vec<_> = (1..=5)
            .map(|i| part(&format!("xl/worksheets/sheet{i}.xml"), 100 * mib, 900 * mib))
            .collect();
        assert!(said(&sheets).contains("its parts would expand to 4718592000 bytes"));
        assert_eq!(too_far(sheets[..4].to_vec()), None);
    }

    #[test]
    fn a_panic_is_a_damaged_workbook_on_any_thread_at_once() {
        let threads: Vec<_> = (0..4)
            .map(|i| {
                std::thread::spawn(move || {
                    (0..50).all(|j| {
                        let done = guarded(|| if (i + j) % 2 == 0 { panic!("cut") } else { j });
                        matches!(done, Err(Unconverted::Damaged(ref why)) if why.contains("(cut)"))
                            || matches!(done, Ok(n) if n == j)
                    })
                })
            })
            .collect();
        for t in threads {
            assert!(matches!(t.join(), Ok(true)));
        }
        // A panic outside is not caught, and the hook still tells of it.
        let outside = std::thread::spawn(|| panic!("outside")).join();
        assert!(outside.is_err());
    }

    #[test]
    fn a_date_cell_past_the_dates_excel_has_reads_as_its_number() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let date =
            |v: f64| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(shown(&date(43630.0)), "2019-06-14");
        assert_eq!(shown(&date(2_958_465.0)), "9999-12-31");
        assert_eq!(shown(&date(1e20)), "100000000000000000000");
        assert_eq!(shown(&date(-1e300)), (-1e300f64).to_string());
        assert_eq!(shown(&date(f64::NAN)), "NaN");
        assert_eq!(shown(&date(f64::INFINITY)), "inf");
    }

    #[test]
    fn cells_read_as_csv_text() {
        // A cell given whole or lent reads the same.
        let text = |cell: Data| {
            let lent = text(Cow::Borrowed(&cell));
            assert_eq!(text(Cow::Owned(cell)), lent);
            lent
        };
        assert_eq!(text(Data::Float(1250000.0)), "1250000");
        assert_eq!(text(Data::Float(1.5)), "1.5");
        assert_eq!(text(Data::String("a\r\nb\nc".into())), "a b c");
        assert_eq!(text(Data::String("a,b".into())), "a,b");
        assert_eq!(
            text(Data::DateTimeIso("2019-06-14T00:00:00".into())),
            "2019-06-14"
        );
    }
}
