//! The engine fixture's rules, held in memory so that every run starts from the same catalogue.

use concord::catalogue::RuleFiles;

const FILES: [(&str, &str); 6] = [
    ("strategy.toml", include_str!("../../fixtures/engine/rules/strategy.toml")),
    ("parties.toml", include_str!("../../fixtures/engine/rules/parties.toml")),
    ("vocabulary.toml", include_str!("../../fixtures/engine/rules/vocabulary.toml")),
    ("exemptions.toml", include_str!("../../fixtures/engine/rules/exemptions.toml")),
    ("chapters/model.toml", include_str!("../../fixtures/engine/rules/chapters/model.toml")),
    ("source/text.txt", include_str!("../../fixtures/engine/rules/source/text.txt")),
];

/// The engine fixture's activities: a catalogue that loads is also evaluated on them.
#[allow(dead_code)]
pub const ACTIVITIES: &str = include_str!("../../fixtures/engine/activities.csv");

pub fn fixture_rules() -> RuleFiles {
    RuleFiles {
        origin: "rules".into(),
        files: FILES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
    }
}
