//! What can be wrong with a row, each with a stable code for machines and a message for people.
//!
//! Codes follow the error classes of Frictionless table validation, refined after a `/`.

use std::fmt;

use strum::{EnumCount, IntoStaticStr, VariantArray};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    EnumCount,
    VariantArray,
    IntoStaticStr,
)]
#[strum(serialize_all = "kebab-case")]
pub enum RejectCode {
    BlankRow,
    ExtraCell,
    MissingCell,
    EncodingError,
    #[strum(serialize = "constraint-error/required")]
    RequiredField,
    #[strum(serialize = "type-error/date")]
    BadDate,
    #[strum(serialize = "type-error/value")]
    BadValue,
    #[strum(serialize = "constraint-error/finite-value")]
    NonFiniteValue,
    #[strum(serialize = "constraint-error/indicator-value")]
    MissingValue,
    #[strum(serialize = "constraint-error/party")]
    UnknownParty,
    #[strum(serialize = "constraint-error/kind")]
    UnknownKind,
    #[strum(serialize = "constraint-error/subject")]
    UnknownSubject,
    #[strum(serialize = "constraint-error/partner")]
    UnknownPartner,
    #[strum(serialize = "constraint-error/partner-self")]
    PartnerIsParty,
    #[strum(serialize = "constraint-error/target")]
    UnknownTarget,
    #[strum(serialize = "constraint-error/target-self")]
    TargetIsParty,
    #[strum(serialize = "constraint-error/target-partner")]
    TargetIsPartner,
    #[strum(serialize = "unique-error/id")]
    DuplicateId,
    #[strum(serialize = "source-error/swallowed-rows")]
    SwallowedRows,
}

impl RejectCode {
    /// Every code, in the order they are declared (and counted).
    pub const ALL: [RejectCode; RejectCode::COUNT] = crate::variants::array(RejectCode::VARIANTS);

    /// The stable code machines read, as in the rejects file.
    pub fn as_str(self) -> &'static str {
        self.into()
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

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumCount, VariantArray, IntoStaticStr,
)]
#[strum(serialize_all = "kebab-case")]
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
    /// Every code, in the order they are declared (and counted).
    pub const ALL: [WarningCode; WarningCode::COUNT] =
        crate::variants::array(WarningCode::VARIANTS);

    /// The stable code machines read.
    pub fn as_str(self) -> &'static str {
        self.into()
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
