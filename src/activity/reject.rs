//! What can be wrong with a row, each with a stable code for machines and a message for people.
//!
//! Codes follow the error classes of Frictionless table validation, refined after a `/`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum RejectCode {
    BlankRow,
    ExtraCell,
    MissingCell,
    EncodingError,
    RequiredField,
    BadDate,
    BadValue,
    NonFiniteValue,
    MissingValue,
    UnknownParty,
    UnknownKind,
    UnknownSubject,
    UnknownPartner,
    PartnerIsParty,
    UnknownTarget,
    TargetIsParty,
    TargetIsPartner,
    DuplicateId,
    SwallowedRows,
}

impl RejectCode {
    pub const ALL: [RejectCode; 19] = [
        RejectCode::BlankRow,
        RejectCode::ExtraCell,
        RejectCode::MissingCell,
        RejectCode::EncodingError,
        RejectCode::RequiredField,
        RejectCode::BadDate,
        RejectCode::BadValue,
        RejectCode::NonFiniteValue,
        RejectCode::MissingValue,
        RejectCode::UnknownParty,
        RejectCode::UnknownKind,
        RejectCode::UnknownSubject,
        RejectCode::UnknownPartner,
        RejectCode::PartnerIsParty,
        RejectCode::UnknownTarget,
        RejectCode::TargetIsParty,
        RejectCode::TargetIsPartner,
        RejectCode::DuplicateId,
        RejectCode::SwallowedRows,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RejectCode::BlankRow => "blank-row",
            RejectCode::ExtraCell => "extra-cell",
            RejectCode::MissingCell => "missing-cell",
            RejectCode::EncodingError => "encoding-error",
            RejectCode::RequiredField => "constraint-error/required",
            RejectCode::BadDate => "type-error/date",
            RejectCode::BadValue => "type-error/value",
            RejectCode::NonFiniteValue => "constraint-error/finite-value",
            RejectCode::MissingValue => "constraint-error/indicator-value",
            RejectCode::UnknownParty => "constraint-error/party",
            RejectCode::UnknownKind => "constraint-error/kind",
            RejectCode::UnknownSubject => "constraint-error/subject",
            RejectCode::UnknownPartner => "constraint-error/partner",
            RejectCode::PartnerIsParty => "constraint-error/partner-self",
            RejectCode::UnknownTarget => "constraint-error/target",
            RejectCode::TargetIsParty => "constraint-error/target-self",
            RejectCode::TargetIsPartner => "constraint-error/target-partner",
            RejectCode::DuplicateId => "unique-error/id",
            RejectCode::SwallowedRows => "source-error/swallowed-rows",
        }
    }

    /// What the code means, for the README's table and `concord validate`.
    pub fn meaning(self) -> &'static str {
        match self {
            RejectCode::BlankRow => "the row has no values",
            RejectCode::ExtraCell => "the row has more fields than the header",
            RejectCode::MissingCell => "the row has fewer fields than the header",
            RejectCode::EncodingError => "a field is not valid UTF-8",
            RejectCode::RequiredField => "id, date, party or kind is empty",
            RejectCode::BadDate => "the date is not a real YYYY-MM-DD date",
            RejectCode::BadValue => "value is not a number",
            RejectCode::NonFiniteValue => "value is infinite or not a number",
            RejectCode::MissingValue => "an indicator row has no value",
            RejectCode::UnknownParty => "party is not in the parties registry",
            RejectCode::UnknownKind => "kind is not in the vocabulary",
            RejectCode::UnknownSubject => "subject is not in the vocabulary",
            RejectCode::UnknownPartner => "a partner is not in the parties registry",
            RejectCode::PartnerIsParty => "the reporting party is also listed as its own partner",
            RejectCode::UnknownTarget => "a target is not in the parties registry",
            RejectCode::TargetIsParty => "the acting party is also listed as a target",
            RejectCode::TargetIsPartner => "a party is listed both as partner and as target",
            RejectCode::DuplicateId => "the id was already used (in this file or another)",
            RejectCode::SwallowedRows => {
                "a quoted value runs over lines that look like rows of their own (an unclosed `\"`)"
            }
        }
    }
}

impl fmt::Display for RejectCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A row that is not used, with why and what was probably meant. It keeps the original fields
/// so that the rejects file holds the row byte for byte.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    pub line: u64,
    /// 1-based column of the offending field, where one is to blame.
    pub column: Option<usize>,
    pub code: RejectCode,
    pub message: String,
    pub hint: Option<String>,
}

/// Something about an accepted row (or a file) that the officer should know.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub line: u64,
    /// 1-based column of the field concerned, where there is one.
    pub column: Option<usize>,
    pub code: WarningCode,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningCode {
    UnknownColumn,
    OutsideWindow,
    NoRole,
    WhiteSpace,
    BlankLine,
    NoRows,
    DuplicateRow,
}

impl WarningCode {
    pub const ALL: [WarningCode; 7] = [
        WarningCode::UnknownColumn,
        WarningCode::OutsideWindow,
        WarningCode::NoRole,
        WarningCode::WhiteSpace,
        WarningCode::BlankLine,
        WarningCode::NoRows,
        WarningCode::DuplicateRow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::UnknownColumn => "unknown-column",
            WarningCode::OutsideWindow => "outside-window",
            WarningCode::NoRole => "no-role",
            WarningCode::WhiteSpace => "white-space",
            WarningCode::BlankLine => "blank-line",
            WarningCode::NoRows => "no-rows",
            WarningCode::DuplicateRow => "duplicate-row",
        }
    }

    /// What the warning means, for the README's table and `concord validate`.
    pub fn meaning(self) -> &'static str {
        match self {
            WarningCode::UnknownColumn => "a column concord does not know: it is ignored",
            WarningCode::OutsideWindow => {
                "the date is before the strategy's start or after as-of: the row is kept but counts towards no verdict"
            }
            WarningCode::NoRole => {
                "the party held no role on that date: the row is kept but counts towards nothing"
            }
            WarningCode::WhiteSpace => "a value has leading or trailing white space: it was trimmed",
            WarningCode::BlankLine => "an empty line: skipped (it is not a row)",
            WarningCode::NoRows => "the file has a header but no rows",
            WarningCode::DuplicateRow => {
                "a row repeats another of the run (same id, same values): it is counted once"
            }
        }
    }
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
