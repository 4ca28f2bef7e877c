//! The TOML shapes of a rules directory, exactly as an analyst writes them.
//!
//! Spans are kept on every value a later check may need to point at, so that lint errors name the
//! line of the offending key rather than the file alone.

use std::collections::BTreeMap;

use serde::Deserialize;
use strum::IntoStaticStr;
use toml::value::Datetime;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyFile {
    pub strategy: StrategyDef,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyDef {
    pub title: String,
    pub start: Spanned<Datetime>,
    pub end: Spanned<Datetime>,
    pub source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartiesFile {
    #[serde(default)]
    pub party: Vec<PartyDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyDef {
    pub code: Spanned<String>,
    pub name: String,
    pub roles: Vec<Spanned<RoleDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleDef {
    pub role: RoleName,
    pub from: Spanned<Datetime>,
    pub until: Option<Spanned<Datetime>>,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    serde::Serialize,
    IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum RoleName {
    Member,
    Observer,
    DialoguePartner,
    /// "SCO partner": the one status into which the Tianjin summit (2025) merged observers and
    /// dialogue partners.
    Partner,
    Organization,
}

impl RoleName {
    /// The name as the catalogue's files write it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyFile {
    pub kinds: BTreeMap<String, String>,
    pub subjects: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChapterFile {
    pub chapter: ChapterDef,
    #[serde(default)]
    pub commitment: Vec<Spanned<CommitmentDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChapterDef {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentDef {
    pub id: Spanned<String>,
    pub title: String,
    pub quote: Spanned<String>,
    pub scope: Scope,
    pub binds: Option<Spanned<Vec<RoleName>>>,
    /// Binds only the parties in a standing status (each-member only).
    pub binds_if: Option<Spanned<BindsIfDef>>,
    #[serde(default)]
    pub depends_on: Vec<Spanned<DependencyDef>>,
    #[serde(default)]
    pub why: BTreeMap<Spanned<String>, String>,
    pub due: Option<Spanned<Datetime>>,
    /// A grace period from the day a party became bound, e.g. `"2y"`, `"18m"`, `"90d"`.
    pub due_after_joining: Option<Spanned<String>>,
    /// What counts as -1 / 0 / +1 for an analyst adjudicating this commitment.
    pub guideline: Option<String>,
    pub evidence: Option<Spanned<EvidenceDef>>,
    pub status: Option<Spanned<StatusDef>>,
    pub trend: Option<Spanned<TrendDef>>,
    pub restraint: Option<Spanned<SelectorDef>>,
    pub contrary: Option<Spanned<SelectorDef>>,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    serde::Serialize,
    IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Scope {
    EachMember,
    Collective,
}

impl Scope {
    /// The name as the catalogue's files write it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDef {
    pub kinds: Vec<Spanned<String>>,
    #[serde(default)]
    pub subjects: Vec<Spanned<String>>,
    pub min: Option<Spanned<i64>>,
    #[serde(default)]
    pub per: Per,
    pub min_parties: Option<Spanned<i64>>,
    /// Collective only: a row of the organisation or one of its bodies (party `SCO`) is the
    /// organisation acting. Alone, only such rows count; with `min_parties`, one such row
    /// stands for the parties.
    #[serde(default)]
    pub sco_body: Option<Spanned<bool>>,
}

/// A prerequisite: one commitment, or a group of which any one will do.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DependencyDef {
    One(String),
    Any(AnyDef),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnyDef {
    pub any: Vec<String>,
}

/// A standing status: it holds from an establishing event until a revoking one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusDef {
    pub establish: Spanned<SelectorDef>,
    pub revoke: Option<Spanned<SelectorDef>>,
}

/// Who a commitment binds: the parties holding the status of a commitment (`status = "ID"`)
/// or the status given inline.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BindsIfDef {
    pub status: Option<Spanned<String>>,
    pub establish: Option<Spanned<SelectorDef>>,
    pub revoke: Option<Spanned<SelectorDef>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Per {
    #[default]
    Period,
    Year,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendDef {
    pub metric: Spanned<String>,
    pub direction: Direction,
    #[serde(default)]
    pub aggregate: Aggregate,
    pub panel: Option<Panel>,
}

/// How the parties' values of one year make the collective value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregate {
    #[default]
    Sum,
    Mean,
}

/// Which parties a collective trend compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Panel {
    /// Only the parties with data in both compared years: enlargement cannot make a trend.
    Constant,
    /// Every party with data in a year.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Increase,
    Decrease,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectorDef {
    pub kinds: Vec<Spanned<String>>,
    #[serde(default)]
    pub subjects: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExemptionsFile {
    #[serde(default)]
    pub exemption: Vec<Spanned<ExemptionDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExemptionDef {
    pub party: Spanned<String>,
    pub commitment: Spanned<String>,
    pub reason: String,
    pub from: Spanned<Datetime>,
    pub until: Option<Spanned<Datetime>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncoveredFile {
    #[serde(default)]
    pub sentence: Vec<Spanned<UncoveredDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncoveredDef {
    pub quote: Spanned<String>,
    pub reason: String,
}
