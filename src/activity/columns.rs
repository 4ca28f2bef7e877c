//! The header of an activities file, turned once into column indexes.

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
}

impl Columns {
    /// Where each of [`COLUMNS`] is, in that order.
    pub fn known(&self) -> [Option<usize>; COLUMNS.len()] {
        [
            Some(self.id),
            Some(self.date),
            Some(self.party),
            Some(self.kind),
            self.subject,
            self.partners,
            self.targets,
            self.value,
            self.unit,
            self.source,
            self.note,
        ]
    }

    /// Map a header row; structural problems make the file unusable, unknown columns only warn.
    pub fn from_header(file: &str, header: &[&str]) -> Result<(Columns, Vec<Warning>), InputError> {
        let mut warnings = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        // Spreadsheet programs write empty columns after the last named one: ignored, with a
        // word. A blank name between named ones is a real mistake.
        let named = header
            .iter()
            .rposition(|h| !h.trim().is_empty())
            .map_or(0, |i| i + 1);
        for (i, raw) in header.iter().enumerate() {
            let name = raw.trim();
            if name.is_empty() && i >= named && named > 0 {
                warnings.push(Warning {
                    line: 1,
                    column: Some(i + 1),
                    code: WarningCode::UnknownColumn,
                    message: format!("column {} has no name and is ignored", i + 1),
                    hint: Some(
                        "spreadsheet programs add such empty columns at the end; delete it to silence this"
                            .into(),
                    ),
                });
                seen.push("");
                continue;
            }
            if name.is_empty() {
                return Err(InputError::BlankLabel {
                    file: file.into(),
                    column: i + 1,
                });
            }
            if let Some(first) = seen.iter().position(|s| *s == name) {
                return Err(InputError::DuplicateLabel {
                    file: file.into(),
                    name: name.into(),
                    first: first + 1,
                    second: i + 1,
                });
            }
            seen.push(name);
            if name.len() != raw.len() {
                warnings.push(Warning {
                    line: 1,
                    column: Some(i + 1),
                    code: WarningCode::WhiteSpace,
                    message: format!("column name `{name}` has leading or trailing white space"),
                    hint: Some("it was trimmed".into()),
                });
            }
            if !COLUMNS.contains(&name) {
                let hint = crate::suggest::nearest(name, COLUMNS);
                warnings.push(Warning {
                    line: 1,
                    column: Some(i + 1),
                    code: WarningCode::UnknownColumn,
                    message: format!("unknown column `{name}` is ignored"),
                    hint: hint.map(|h| format!("did you mean `{h}`?")),
                });
            }
        }
        let find = |n: &str| seen.iter().position(|s| *s == n);
        let missing: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|r| find(r).is_none())
            .collect();
        if !missing.is_empty() {
            // A header written with another separator is one long name holding the real ones.
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
            // The same name in other letter case first (`ID` -> `id`), then a near one among the
            // names that are no column of their own.
            let mut taken: Vec<&str> = Vec::new();
            let mut hint = Vec::new();
            for m in &missing {
                let free = |s: &&&str| !taken.contains(*s) && !COLUMNS.contains(*s);
                let exact = seen.iter().filter(free).find(|s| s.eq_ignore_ascii_case(m));
                let near = || {
                    seen.iter().filter(free).find(|s| {
                        !COLUMNS.contains(&s.to_ascii_lowercase().as_str())
                            && crate::suggest::nearest(s, [*m]).is_some()
                    })
                };
                if let Some(s) = exact.or_else(near) {
                    taken.push(s);
                    hint.push(format!("`{s}` -> `{m}`"));
                }
            }
            return Err(InputError::MissingLabel {
                file: file.into(),
                names: missing.iter().map(|s| s.to_string()).collect(),
                renames: hint,
            });
        }
        let req = |n: &str| find(n).unwrap_or_default();
        Ok((
            Columns {
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
                width: header.len(),
            },
            warnings,
        ))
    }
}
