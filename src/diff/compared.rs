//! What `diff` reads of a JSON status report: its names, its percents and its verdicts, every
//! verdict's evidence ids packed into one text rather than a string each. Two reports of 10M
//! rows (8.3M ids each) read as `Report`s took 1.14 GB.
//!
//! The fields `diff` does not read but a report always has are still required, so that what is
//! not a report is refused as before.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;

use crate::activity::FileStats;
use crate::catalogue::FileDigest;
use crate::evaluate::Status;
use crate::report::EngineInfo;

#[derive(Debug, Deserialize)]
pub struct Compared {
    pub engine: EngineInfo,
    #[serde(rename = "strategy")]
    _strategy: IgnoredAny,
    pub as_of: String,
    pub rules: Vec<FileDigest>,
    pub inputs: Vec<FileStats>,
    pub overall: Overall,
    pub parties: Vec<PartyPercent>,
    pub chapters: Vec<ChapterPercent>,
    pub commitments: Vec<Commitment>,
}

#[derive(Debug, Deserialize)]
pub struct Overall {
    pub percent: Option<f64>,
    #[serde(rename = "scored")]
    _scored: IgnoredAny,
    #[serde(rename = "statuses")]
    _statuses: IgnoredAny,
}

#[derive(Debug, Deserialize)]
pub struct PartyPercent {
    pub code: String,
    #[serde(rename = "name")]
    _name: IgnoredAny,
    pub percent: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub struct ChapterPercent {
    pub id: String,
    #[serde(rename = "title")]
    _title: IgnoredAny,
    pub percent: Option<f64>,
    #[serde(rename = "party_percent")]
    _party_percent: IgnoredAny,
}

#[derive(Debug, Deserialize)]
pub struct Commitment {
    pub id: String,
    #[serde(rename = "title")]
    _title: IgnoredAny,
    #[serde(rename = "chapter")]
    _chapter: IgnoredAny,
    #[serde(rename = "scope")]
    _scope: IgnoredAny,
    pub percent: Option<f64>,
    pub results: Vec<Verdict>,
}

#[derive(Debug, Deserialize)]
pub struct Verdict {
    pub party: String,
    pub status: Status,
    pub evidence: Packed,
    pub blocked_by: Vec<String>,
}

/// A list of ids in one text: each id's bytes, one after another, and where each ends.
#[derive(Debug, Default, PartialEq)]
pub struct Packed {
    text: String,
    ends: Vec<u32>,
}

impl Packed {
    fn push(&mut self, id: &str) -> Result<(), String> {
        self.text.push_str(id);
        let end = u32::try_from(self.text.len())
            .map_err(|_| "a verdict's evidence ids take more than 4 GiB".to_string())?;
        self.ends.push(end);
        Ok(())
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.text[start as usize..end as usize])
    }
}

impl<'de> Deserialize<'de> for Packed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Packed, D::Error> {
        d.deserialize_seq(Ids)
    }
}

/// Reads a list of ids into a [`Packed`].
struct Ids;

impl<'de> Visitor<'de> for Ids {
    type Value = Packed;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of evidence ids")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Packed, A::Error> {
        let mut packed = Packed::default();
        while seq.next_element_seed(Id(&mut packed))?.is_some() {}
        packed.text.shrink_to_fit();
        packed.ends.shrink_to_fit();
        Ok(packed)
    }
}

/// Reads one id onto the end of a [`Packed`].
struct Id<'p>(&'p mut Packed);

impl<'de> DeserializeSeed<'de> for Id<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Id<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an evidence id")
    }

    fn visit_str<E: de::Error>(self, id: &str) -> Result<(), E> {
        self.0.push(id).map_err(E::custom)
    }
}

impl Compared {
    pub fn parse(text: &str) -> Result<Compared, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_ids_read_back_as_written_escapes_included() {
        let text = r#"["A1", "", "B\"2\u00e9", "C3"]"#;
        let Ok(packed) = serde_json::from_str::<Packed>(text) else {
            panic!("a list of ids");
        };
        assert_eq!(packed.iter().collect::<Vec<_>>(), ["A1", "", "B\"2é", "C3"]);
        let Ok(none) = serde_json::from_str::<Packed>("[]") else {
            panic!("an empty list");
        };
        assert_eq!(none.iter().count(), 0);
        assert!(serde_json::from_str::<Packed>("[1]").is_err());
        assert!(serde_json::from_str::<Packed>(r#""A1""#).is_err());
    }
}
