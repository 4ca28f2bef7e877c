//! The verdict statuses and their scores (G20/G7 Research Group compliance convention).

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
    schemars::JsonSchema,
    serde::Deserialize,
    EnumCount,
    VariantArray,
    IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    Met,
    Partial,
    NotMet,
    Pending,
    Breached,
    Blocked,
    NotApplicable,
    Exempt,
}

impl Status {
    /// Every status, in the order reports count them.
    pub const ALL: [Status; Status::COUNT] = crate::variants::array(Status::VARIANTS);

    /// +1 / 0 / -1, or `None` for the statuses that are not scored.
    pub fn score(self) -> Option<i8> {
        match self {
            Status::Met => Some(1),
            Status::Partial => Some(0),
            Status::NotMet | Status::Breached | Status::Blocked => Some(-1),
            Status::Pending | Status::NotApplicable | Status::Exempt => None,
        }
    }

    /// Whether a dependant may rely on this as a satisfied prerequisite.
    pub fn satisfies(self) -> bool {
        matches!(self, Status::Met | Status::Exempt | Status::NotApplicable)
    }

    /// The name reports and assessments use, as serialized.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// A short mark for matrices, readable without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Met => "✔ met",
            Status::Partial => "◐ partial",
            Status::NotMet => "✘ not met",
            Status::Pending => "… pending",
            Status::Breached => "⚠ breached",
            Status::Blocked => "⛔ blocked",
            Status::NotApplicable => "–",
            Status::Exempt => "○ exempt",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Mean of the scored statuses and its percent, `None` when nothing is scored.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    pub sum: i64,
    pub scored: u64,
}

impl Score {
    pub fn add(&mut self, status: Status) {
        if let Some(s) = status.score() {
            self.sum += i64::from(s);
            self.scored += 1;
        }
    }
    pub fn mean(&self) -> Option<f64> {
        (self.scored > 0).then(|| self.sum as f64 / self.scored as f64)
    }
    pub fn percent(&self) -> Option<f64> {
        self.mean().map(|m| (m + 1.0) / 2.0 * 100.0)
    }
}
