//! Problems that make a whole input file unusable (a bad row is a [`super::Reject`] instead).

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{file}: cannot read: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file}: the file is empty")]
    Empty { file: String },
    #[error("{file}:1:{column}: column {column} has a blank name")]
    BlankLabel { file: String, column: usize },
    #[error("{file}:1:{second}: column `{name}` appears twice (columns {first} and {second})")]
    DuplicateLabel {
        file: String,
        name: String,
        first: usize,
        second: usize,
    },
    #[error("{file}:1: missing required column(s) {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))]
    MissingLabel {
        file: String,
        names: Vec<String>,
        renames: Vec<String>,
    },
    #[error("{file}:1: the header is not valid UTF-8: bad byte at offset {byte} of the file{}", if *utf16 { ": the file is UTF-16" } else { "" })]
    HeaderEncoding {
        file: String,
        byte: u64,
        utf16: bool,
    },
    #[error("{file}: the workbook is damaged: {reason}")]
    DamagedWorkbook { file: String, reason: String },
    #[error("{file}: the workbook is too large to read: {reason}")]
    WorkbookTooLarge { file: String, reason: String },
    #[error(
        "{file}: cannot keep the rows whose id was used before until every file is read: {reason}"
    )]
    CannotHold { file: String, reason: String },
    #[error("{file}: this is {what}, not a CSV file")]
    NotCsv { file: String, what: &'static str },
    #[error("{file}:1: the header is separated by `{found}`, not by commas")]
    Delimiter { file: String, found: char },
    #[error("{file}:{line}: the row starting here is longer than {limit} bytes: concord stops reading the file")]
    FieldTooLong {
        file: String,
        line: u64,
        limit: usize,
    },
    #[error("{file}:{line}: the run holds more ids than concord can keep (4 GiB of them): concord stops reading")]
    TooManyIds { file: String, line: u64 },
    #[error("{file}:{line}: the dataset declaration is not valid: {reason}")]
    BadDataset {
        file: String,
        line: usize,
        reason: String,
    },
    /// The input failed to be read part way (the CSV itself never stops a file: a row that
    /// does not parse is rejected).
    #[error("{file}:{line}: reading stopped at the row starting here: {reason}")]
    ReadFailed {
        file: String,
        line: u64,
        reason: String,
    },
}

impl InputError {
    /// The code of the Frictionless error class this belongs to.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::Unreadable { .. } => "io-error",
            InputError::Empty { .. } => "missing-label",
            InputError::BlankLabel { .. } => "blank-label",
            InputError::DuplicateLabel { .. } => "duplicate-label",
            InputError::MissingLabel { .. } => "missing-label",
            InputError::HeaderEncoding { .. } => "encoding-error",
            InputError::FieldTooLong { .. } => "source-error",
            InputError::TooManyIds { .. } => "source-error",
            InputError::ReadFailed { .. } => "source-error",
            InputError::BadDataset { .. } => "dataset-error",
            InputError::NotCsv { .. } => "format-error",
            InputError::DamagedWorkbook { .. } => "format-error",
            InputError::WorkbookTooLarge { .. } => "format-error",
            InputError::CannotHold { .. } => "io-error",
            InputError::Delimiter { .. } => "format-error",
        }
    }

    pub fn help(&self) -> Option<String> {
        match self {
            InputError::Unreadable { .. } => Some("check the path; --activities takes CSV files and workbooks (FILE.xlsx or FILE.xlsx#Sheet)".into()),
            InputError::Empty { .. } => Some(format!("an activities file starts with a header row: {}", super::COLUMNS.join(","))),
            InputError::BlankLabel { .. } => Some("name the column or delete it".into()),
            InputError::DuplicateLabel { .. } => Some("keep one of the two columns".into()),
            InputError::MissingLabel { renames, .. } if !renames.is_empty() => Some(format!("rename {}", renames.join(", "))),
            InputError::MissingLabel { .. } => Some(format!("the required columns are {}", super::REQUIRED.join(", "))),
            InputError::HeaderEncoding { utf16: true, .. } => Some("save it as \"CSV UTF-8\" (not \"Unicode text\")".into()),
            InputError::HeaderEncoding { .. } => Some("save the file as UTF-8 (\"CSV UTF-8\" in spreadsheet programs)".into()),
            InputError::FieldTooLong { .. } => Some("a field this long is almost always an unclosed quote: look for a lone `\"` above this line".into()),
            InputError::TooManyIds { .. } => Some("check the files in smaller runs (ids are unique within a run)".into()),
            InputError::ReadFailed { .. } => Some("check that the file is still there and readable (not on a drive that went away), or copy it again".into()),
            InputError::NotCsv { .. } => Some("concord reads a workbook by its extension: name it .xlsx, .xls or .ods (FILE.xlsx#Sheet for a sheet other than the first), or save it as \"CSV UTF-8 (comma delimited)\"".into()),
            InputError::DamagedWorkbook { .. } => Some("open it in a spreadsheet program and save it again, or save the sheet as \"CSV UTF-8 (comma delimited)\"".into()),
            InputError::WorkbookTooLarge { .. } => Some("save the sheet as \"CSV UTF-8 (comma delimited)\": concord reads CSV row by row, at any length".into()),
            InputError::CannotHold { .. } => Some(format!(
                "past {} MiB they are kept in a temporary file in {}: set TMPDIR to a directory with room",
                super::holding::IN_MEMORY >> 20,
                std::env::temp_dir().display()
            )),
            InputError::Delimiter { .. } => Some("save it as \"CSV UTF-8 (comma delimited)\"; spreadsheet programs set to some languages use `;` unless told".into()),
            InputError::BadDataset { .. } => Some(format!(
                "`{}` beside an activities file declares it: `[dataset]` with `nature = \"illustrative\"` or `\"public-record\"`, `title`, and for the public record `as_of` and `coverage`",
                super::dataset::SIDECAR
            )),
        }
    }
}

impl InputError {
    /// The file, and the line and column where the problem is, when one is to blame.
    pub fn place(&self) -> (&str, Option<u64>, Option<usize>) {
        match self {
            InputError::Unreadable { file, .. }
            | InputError::Empty { file }
            | InputError::NotCsv { file, .. }
            | InputError::DamagedWorkbook { file, .. }
            | InputError::WorkbookTooLarge { file, .. }
            | InputError::CannotHold { file, .. } => (file, None, None),
            InputError::Delimiter { file, .. } => (file, Some(1), None),
            InputError::BadDataset { file, line, .. } => {
                (file, (*line > 0).then_some(*line as u64), None)
            }
            InputError::BlankLabel { file, column } => (file, Some(1), Some(*column)),
            InputError::DuplicateLabel { file, second, .. } => (file, Some(1), Some(*second)),
            InputError::MissingLabel { file, .. } | InputError::HeaderEncoding { file, .. } => {
                (file, Some(1), None)
            }
            InputError::FieldTooLong { file, line, .. }
            | InputError::TooManyIds { file, line }
            | InputError::ReadFailed { file, line, .. } => (file, Some(*line), None),
        }
    }
}
