//! JSON Schemas of the JSON outputs, generated from the Rust types that write them, so that the
//! schema cannot drift from what concord emits. Every JSON output carries [`SCHEMA_VERSION`].

use schemars::generate::SchemaSettings;
use schemars::transform::{transform_subschemas, Transform};
use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

/// The version of the JSON contract: the minor part grows when fields are added, the major part
/// when a field is removed, renamed or changes meaning.
pub const SCHEMA_VERSION: &str = "1.0";

/// The `schema_version` field of a JSON output. A report written before versioning has none and
/// still reads back (as the current version); the schema requires it of every new output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SchemaVersion(pub String);

impl Default for SchemaVersion {
    fn default() -> Self {
        SchemaVersion(SCHEMA_VERSION.to_string())
    }
}

impl JsonSchema for SchemaVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SchemaVersion".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "description": "The version of this JSON contract",
            "type": "string",
            "const": SCHEMA_VERSION,
        })
    }
}

/// Which JSON output a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// `check --format json`
    Report,
    /// `summary --format json`, one year
    Summary,
    /// `index.json` of `summary --from --to --out-dir`
    Index,
    /// `diff --format json`
    Diff,
    /// `coverage --format json`
    Coverage,
    /// `validate` and `lint --format json`
    Findings,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Report,
        Kind::Summary,
        Kind::Index,
        Kind::Diff,
        Kind::Coverage,
        Kind::Findings,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::Summary => "summary",
            Kind::Index => "index",
            Kind::Diff => "diff",
            Kind::Coverage => "coverage",
            Kind::Findings => "findings",
        }
    }
}

/// Objects of the contract admit no field the types do not name: a field the schema does not
/// document is a bug the validation test should catch.
#[derive(Clone)]
struct Closed;

impl Transform for Closed {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(obj) = schema.as_object_mut() {
            if obj.contains_key("properties") && !obj.contains_key("additionalProperties") {
                obj.insert("additionalProperties".into(), false.into());
            }
        }
        transform_subschemas(self, schema);
    }
}

fn generate<T: JsonSchema>(id: &str) -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .with_transform(Closed)
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert(
        "$id".into(),
        format!("urn:concord:schema:{id}:{SCHEMA_VERSION}").into(),
    );
    // Reading accepts a report from before versioning; every output written now has the field.
    if let Some(serde_json::Value::Array(required)) = schema.get_mut("required") {
        required.insert(0, "schema_version".into());
    }
    schema
}

/// The JSON Schema (draft 2020-12) of one JSON output.
pub fn schema(kind: Kind) -> Schema {
    let id = kind.name();
    match kind {
        Kind::Report => generate::<crate::report::Report>(id),
        Kind::Summary => generate::<crate::summary::Summary>(id),
        Kind::Index => generate::<crate::summary::SummaryIndex>(id),
        Kind::Diff => generate::<crate::diff::Diff<'static>>(id),
        Kind::Coverage => generate::<crate::coverage::Coverage>(id),
        Kind::Findings => generate::<crate::findings::Findings>(id),
    }
}

/// The schema as pretty JSON with a final newline, as `concord schema` prints it.
pub fn render(kind: Kind) -> String {
    let mut s = serde_json::to_string_pretty(&schema(kind))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
