//! The header of an activities file, turned once into column indexes.

use std::collections::HashMap;

use super::err::InputError;
use super::reject::{Warning, WarningCode};

/// Every column concord knows, in the order a template writes them.
pub const COLUMNS: [&str; 11] = [
    "id", "date", "party", "kind", "subject", "partners", "targets", "value", "unit", "source",
    "note",
];
/// What a file that is not CSV at all is, from the first bytes of its first field: a
/// spreadsheet saved as a workbook instead of exported.
pub(crate) fn not_csv(first: &[u8]) -> Option<&'static str> {
    if first.starts_with(b"PK\x03\x04") {
        Some("an Excel workbook (.xlsx, a zip archive) or another zipped document")
    } else if first.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Some("an Excel 97-2003 workbook (.xls)")
    } else {
        None
    }
}

/// The columns a file must have.
pub const REQUIRED: [&str; 4] = ["id", "date", "party", "kind"];

#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub id: usize,
    pub date: usize,
    pub party: usize,
    pub kind: usize,
    pub subject: Option<usize>,
    pub partners: Option<usize>,
    /// Parties acted against: named, never credited, never breached.
    pub targets: Option<usize>,
    pub value: Option<usize>,
    pub unit: Option<usize>,
    pub source: Option<usize>,
    pub note: Option<usize>,
    pub width: usize,
    /// The last of [`Columns::read`]'s, found once: every row asks.
    last_read: usize,
}

impl Columns {
    /// Where each column that a row's checks read is: the first eight of [`COLUMNS`], in that
    /// order (`unit`, `source` and `note` are only kept).
    pub fn read(&self) -> [Option<usize>; 8] {
        [
            Some(self.id),
            Some(self.date),
            Some(self.party),
            Some(self.kind),
            self.subject,
            self.partners,
            self.targets,
            self.value,
        ]
    }

    /// The last of the columns that a row's checks read.
    pub fn last_read(&self) -> usize {
        self.last_read
    }

    /// The name of the known column at `index` (one of [`COLUMNS`]).
    pub fn name_of(&self, index: usize) -> &'static str {
        (COLUMNS.iter().zip(self.known()))
            .find(|&(_, at)| at == Some(index))
            .map_or("?", |(name, _)| name)
    }

    /// Where each of [`COLUMNS`] is, in that order.
    pub fn known(&self) -> [Option<usize>; COLUMNS.len()] {
        let (read, mut known) = (self.read(), [None; COLUMNS.len()]);
        let (first, kept) = known.split_at_mut(read.len());
        first.copy_from_slice(&read);
        kept.copy_from_slice(&[self.unit, self.source, self.note]);
        known
    }

    /// Map a header row; structural problems make the file unusable, unknown columns only warn.
    pub fn from_header(file: &str, header: &[&str]) -> Result<(Columns, Vec<Warning>), InputError> {
        let (names, warnings) = column_names(file, header)?;
        check_required(file, header, &names)?;
        Ok((Columns::at(&names, header.len()), warnings))
    }

    /// Where the columns are among `names`, all required ones there.
    fn at(names: &[&str], width: usize) -> Columns {
        let find = |n: &str| names.iter().position(|s| *s == n);
        let req = |n: &str| find(n).unwrap_or_default();
        let mut cols = Columns {
            id: req("id"),
            date: req("date"),
            party: req("party"),
            kind: req("kind"),
            subject: find("subject"),
            partners: find("partners"),
            targets: find("targets"),
            value: find("value"),
            unit: find("unit"),
            source: find("source"),
            note: find("note"),
            width,
            last_read: 0,
        };
        cols.last_read = cols.read().into_iter().flatten().max().unwrap_or_default();
        cols
    }
}

/// Every column's trimmed name (`""` for an empty one after the last named), and the warnings
/// about them.
fn column_names<'h>(
    file: &str,
    header: &[&'h str],
) -> Result<(Vec<&'h str>, Vec<Warning>), InputError> {
    let mut warnings = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    // Each name's first column: a header of thousands of columns is checked in one pass.
    let mut first: HashMap<&str, usize> = HashMap::new();
    // Spreadsheet programs write empty columns after the last named one: ignored, with a
    // word. A blank name between named ones is a real mistake.
    let named = header
        .iter()
        .rposition(|h| !h.trim().is_empty())
        .map_or(0, |i| i + 1);
    for (i, raw) in header.iter().enumerate() {
        let name = raw.trim();
        if name.is_empty() && i >= named && named > 0 {
            warnings.push(header_warning(
                i,
                WarningCode::UnknownColumn,
                format!("column {} has no name and is ignored", i + 1),
                Some(
                    "spreadsheet programs add such empty columns at the end; delete it to silence this"
                        .into(),
                ),
            ));
            names.push("");
            continue;
        }
        check_label(file, i, name, &mut first)?;
        names.push(name);
        warnings.extend(spaced_name(i, raw, name));
        warnings.extend(unknown_name(i, name));
    }
    Ok((names, warnings))
}

/// A warning about column `i` of the header.
fn header_warning(i: usize, code: WarningCode, message: String, hint: Option<String>) -> Warning {
    Warning {
        line: 1,
        column: Some(i + 1),
        code,
        message,
        hint,
    }
}

/// A column among the named ones must have a name, and not one an earlier column has.
fn check_label<'h>(
    file: &str,
    i: usize,
    name: &'h str,
    first: &mut HashMap<&'h str, usize>,
) -> Result<(), InputError> {
    if name.is_empty() {
        return Err(InputError::BlankLabel {
            file: file.into(),
            column: i + 1,
        });
    }
    if let Some(&first) = first.get(name) {
        return Err(InputError::DuplicateLabel {
            file: file.into(),
            name: name.into(),
            first: first + 1,
            second: i + 1,
        });
    }
    first.insert(name, i);
    Ok(())
}

/// White space around a name is trimmed, with a word.
fn spaced_name(i: usize, raw: &str, name: &str) -> Option<Warning> {
    (name.len() != raw.len()).then(|| {
        header_warning(
            i,
            WarningCode::WhiteSpace,
            format!("column name `{name}` has leading or trailing white space"),
            Some("it was trimmed".into()),
        )
    })
}

/// A column concord does not know is ignored, with the nearest known name.
fn unknown_name(i: usize, name: &str) -> Option<Warning> {
    (!COLUMNS.contains(&name)).then(|| {
        let hint = crate::suggest::nearest(name, COLUMNS);
        header_warning(
            i,
            WarningCode::UnknownColumn,
            format!("unknown column `{name}` is ignored"),
            hint.map(|h| format!("did you mean `{h}`?")),
        )
    })
}

/// Every one of [`REQUIRED`] must be among `names`; a missing one is explained by another
/// separator, or by a column that was probably meant.
fn check_required(file: &str, header: &[&str], names: &[&str]) -> Result<(), InputError> {
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| !names.contains(r))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    check_delimiter(file, header)?;
    Err(InputError::MissingLabel {
        file: file.into(),
        names: missing.iter().map(|s| s.to_string()).collect(),
        renames: renames(&missing, names),
    })
}

/// A header written with another separator is one long name holding the real ones.
fn check_delimiter(file: &str, header: &[&str]) -> Result<(), InputError> {
    for found in [';', '\t', '|'] {
        let inside = |h: &&str| {
            h.split(found)
                .filter(|p| COLUMNS.contains(&p.trim().to_ascii_lowercase().as_str()))
                .count()
                >= 2
        };
        if header.iter().any(inside) {
            return Err(InputError::Delimiter {
                file: file.into(),
                found,
            });
        }
    }
    Ok(())
}

/// The columns probably meant for the `missing` ones: the same name in other letter case first
/// (`ID` -> `id`), then a near one among the names that are no column of their own.
fn renames(missing: &[&str], names: &[&str]) -> Vec<String> {
    let mut taken: Vec<&str> = Vec::new();
    let mut hint = Vec::new();
    for m in missing {
        let free = |s: &&&str| !taken.contains(*s) && !COLUMNS.contains(*s);
        let exact = names
            .iter()
            .filter(free)
            .find(|s| s.eq_ignore_ascii_case(m));
        let near = || {
            names.iter().filter(free).find(|s| {
                !COLUMNS.contains(&s.to_ascii_lowercase().as_str())
                    && crate::suggest::nearest(s, [*m]).is_some()
            })
        };
        if let Some(s) = exact.or_else(near) {
            taken.push(s);
            hint.push(format!("`{s}` -> `{m}`"));
        }
    }
    hint
}
