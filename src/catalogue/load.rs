//! Reading a rules directory into a [`Catalogue`], collecting every problem on the way.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use toml::value::Datetime;
use toml::Spanned;

use super::err::{ExemptionErrors, Loc, RuleError, RuleErrorKind as K, RuleErrors, SourceText};
use super::schema;
use super::source::{comparable, nearest_passage};
use super::*;
use crate::graph::Dag;
use crate::suggest::nearest;

mod commitment;
mod parties;

/// Read an exemptions file given apart from the rules (`--exemptions`: an officer's agreed
/// waivers, or a dataset's illustrative ones) and check it against the catalogue, as
/// `exemptions.toml` of the rules is checked. Returns the exemptions and the file's digest.
pub fn load_exemptions(
    path: &std::path::Path,
    catalogue: &Catalogue,
) -> Result<(Vec<Exemption>, FileDigest), ExemptionErrors> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ExemptionErrors {
        file: shown.clone(),
        errors: vec![Loc::file(shown.clone()).error(K::Unreadable(shown.clone(), e.to_string()))],
    })?;
    let digest = FileDigest {
        path: shown.clone(),
        sha256: crate::digest::sha256_hex(text.as_bytes()),
    };
    let files = RuleFiles {
        origin: String::new(),
        files: BTreeMap::from([(shown.clone(), text)]),
    };
    let mut cx = Cx::new(&files);
    let exemptions = cx.exemptions(&shown, catalogue);
    if cx.files.files.contains_key(&shown) && cx.errors.is_empty() {
        Ok((exemptions, digest))
    } else {
        Err(ExemptionErrors {
            file: shown,
            errors: cx.errors,
        })
    }
}

/// Read, resolve and check a rules directory. Every problem is reported, not just the first.
/// The dependency graph is built here, once: finding its cycles is part of checking the rules,
/// and the graph that was checked is the one handed over.
pub fn load(files: &RuleFiles) -> Result<(Catalogue, Dag), RuleErrors> {
    let mut cx = Cx::new(files);
    let catalogue = cx.catalogue();
    let dag = catalogue.as_ref().and_then(|c| match Dag::build(c) {
        Ok(dag) => Some(dag),
        Err(cycles) => {
            cx.errors.extend(cycles);
            None
        }
    });
    match (catalogue, dag) {
        (Some(c), Some(dag)) if cx.errors.is_empty() => Ok((c, dag)),
        _ => {
            let mut errors = cx.errors;
            errors.sort_by(|a, b| a.loc.cmp(&b.loc));
            errors.dedup();
            Err(RuleErrors { errors })
        }
    }
}

/// The most parties, kinds or subjects a catalogue holds: rows name them by 16-bit numbers
/// (a row's party, kind and subject, each credit's party), the last kept free.
const MOST_NAMED: usize = u16::MAX as usize;

struct Cx<'a> {
    files: &'a RuleFiles,
    /// The text of each file a place was taken in, shared by all the places in it.
    texts: HashMap<String, Arc<SourceText>>,
    errors: Vec<RuleError>,
    /// A chapter file did not parse: references to commitments cannot be judged unknown.
    partial: bool,
}

impl<'a> Cx<'a> {
    fn new(files: &'a RuleFiles) -> Self {
        Cx {
            files,
            texts: HashMap::new(),
            errors: Vec::new(),
            partial: false,
        }
    }
}

impl Cx<'_> {
    fn loc(&mut self, rel: &str, span: Option<Range<usize>>) -> Loc {
        let file = self.files.display(rel);
        let (Some(text), Some(span)) = (self.files.files.get(rel), span) else {
            return Loc::file(file);
        };
        let text = self
            .texts
            .entry(rel.to_string())
            .or_insert_with(|| Arc::new(SourceText::new(text)));
        Loc::span(file, text, span)
    }

    fn err(&mut self, rel: &str, span: Option<Range<usize>>, kind: K) {
        let loc = self.loc(rel, span);
        self.errors.push(RuleError { loc, kind });
    }

    fn parse<T: DeserializeOwned>(&mut self, rel: &str, required: bool) -> Option<T> {
        let Some(text) = self.files.files.get(rel) else {
            if required {
                self.err(rel, None, K::MissingFile(rel.to_string()));
            }
            return None;
        };
        match toml::from_str::<T>(text) {
            Ok(v) => Some(v),
            Err(e) => {
                let msg = e.message().trim().to_string();
                self.err(rel, e.span(), K::Toml(msg));
                None
            }
        }
    }

    /// A `from`/`until` pair as dates: `None` where `from` is not a date, or where `until` is
    /// before it (then reported at `span` with `ends_before`).
    fn period(
        &mut self,
        rel: &str,
        span: Range<usize>,
        from: &Spanned<Datetime>,
        until: Option<&Spanned<Datetime>>,
        ends_before: impl FnOnce(String, String) -> K,
    ) -> Option<(NaiveDate, Option<NaiveDate>)> {
        let from = self.date(rel, from);
        let until = until.and_then(|u| self.date(rel, u));
        let from = from?;
        if let Some(u) = until.filter(|u| *u < from) {
            self.err(
                rel,
                Some(span),
                ends_before(from.to_string(), u.to_string()),
            );
            return None;
        }
        Some((from, until))
    }

    fn date(&mut self, rel: &str, d: &Spanned<Datetime>) -> Option<NaiveDate> {
        let v = d.get_ref();
        let plain = v.time.is_none() && v.offset.is_none();
        let date = v
            .date
            .filter(|_| plain)
            .and_then(|x| NaiveDate::from_ymd_opt(x.year as i32, x.month as u32, x.day as u32));
        if date.is_none() {
            self.err(rel, Some(d.span()), K::InvalidDate(v.to_string()));
        }
        date
    }

    fn catalogue(&mut self) -> Option<Catalogue> {
        let strategy = self.strategy();
        let parties = self.parties();
        let vocabulary = self.vocabulary();
        let (chapters, commitments) = self.chapters(vocabulary.as_ref());
        let (strategy, parties, vocabulary) = (strategy?, parties?, vocabulary?);
        let source = comparable(&strategy.source_text);
        let mut catalogue = Catalogue {
            strategy,
            parties,
            vocabulary,
            chapters,
            commitments,
            exemptions: Vec::new(),
            uncovered: Vec::new(),
            files: self.files.digests(),
        };
        self.check_commitments(&catalogue, &source);
        self.resolve_conditions(&mut catalogue);
        catalogue.exemptions = self.exemptions("exemptions.toml", &catalogue);
        catalogue.uncovered = self.uncovered(&source);
        Some(catalogue)
    }

    fn strategy(&mut self) -> Option<Strategy> {
        let rel = "strategy.toml";
        let def = self.parse::<schema::StrategyFile>(rel, true)?.strategy;
        let (start, end) = (self.date(rel, &def.start), self.date(rel, &def.end));
        let (start, end) = (start?, end?);
        if end < start {
            self.err(
                rel,
                Some(def.end.span()),
                K::StrategyEndsBeforeStart {
                    start: start.to_string(),
                    end: end.to_string(),
                },
            );
        }
        let source_path = def.source.get_ref().clone();
        let Some(source_text) = self.files.files.get(&source_path).cloned() else {
            self.err(rel, Some(def.source.span()), K::MissingFile(source_path));
            return None;
        };
        Some(Strategy {
            title: def.title,
            start,
            end,
            source_path,
            source_text,
        })
    }

    fn vocabulary(&mut self) -> Option<Vocabulary> {
        let rel = "vocabulary.toml";
        let v = self.parse::<schema::VocabularyFile>(rel, true)?;
        for (what, count) in [("kinds", v.kinds.len()), ("subjects", v.subjects.len())] {
            if count > MOST_NAMED {
                self.err(rel, None, K::TooMany { what, count });
            }
        }
        Some(Vocabulary::new(v.kinds, v.subjects))
    }

    fn chapters(&mut self, vocabulary: Option<&Vocabulary>) -> (Vec<Chapter>, Vec<Commitment>) {
        let paths: Vec<String> = self
            .files
            .files
            .keys()
            .filter(|p| p.starts_with("chapters/") && p.ends_with(".toml"))
            .cloned()
            .collect();
        let (mut chapters, mut commitments) = (Vec::<Chapter>::new(), Vec::new());
        for rel in paths {
            let Some(file) = self.parse::<schema::ChapterFile>(&rel, false) else {
                self.partial = true;
                continue;
            };
            if let Some(first) = chapters.iter().find(|c| c.id == file.chapter.id) {
                let first = first.file.clone();
                self.err(
                    &rel,
                    None,
                    K::DuplicateChapter {
                        id: file.chapter.id.clone(),
                        first,
                    },
                );
            }
            let chapter = chapters.len();
            chapters.push(Chapter {
                id: file.chapter.id,
                title: file.chapter.title,
                file: self.files.display(&rel),
            });
            for def in file.commitment {
                if let Some(c) = self.commitment(&rel, chapter, def, vocabulary) {
                    commitments.push(c);
                }
            }
        }
        commitments.sort_by(|a: &Commitment, b| a.id.cmp(&b.id).then(a.loc.cmp(&b.loc)));
        let mut unique: Vec<Commitment> = Vec::with_capacity(commitments.len());
        for c in commitments {
            match unique.last() {
                Some(prev) if prev.id == c.id => {
                    let first = prev.loc.clone();
                    self.errors.push(c.loc.error(K::DuplicateId {
                        id: c.id.clone(),
                        first,
                    }));
                }
                _ => unique.push(c),
            }
        }
        (chapters, unique)
    }

    /// `binds_if = { status = "ID" }` takes the status test of commitment ID.
    fn resolve_conditions(&mut self, catalogue: &mut Catalogue) {
        let standings: HashMap<String, Option<Standing>> = catalogue
            .commitments
            .iter()
            .map(|c| {
                let s = match &c.test {
                    Test::Status(s) => Some(s.clone()),
                    _ => None,
                };
                (c.id.clone(), s)
            })
            .collect();
        let ids: Vec<String> = catalogue.commitments.iter().map(|c| c.id.clone()).collect();
        for c in &mut catalogue.commitments {
            let Some(cond) = &mut c.binds_if else {
                continue;
            };
            let Some(name) = cond.commitment.clone() else {
                continue;
            };
            match standings.get(&name) {
                Some(Some(s)) => cond.standing = s.clone(),
                Some(None) => self.errors.push(c.loc.error(K::BindsIfNotStatus {
                    id: c.id.clone(),
                    name,
                })),
                None if !self.partial => {
                    let suggestion = nearest(&name, ids.iter().map(String::as_str));
                    self.errors.push(c.loc.error(K::BindsIfUnknown {
                        id: c.id.clone(),
                        name,
                        suggestion,
                    }));
                }
                None => {}
            }
        }
    }

    /// Checks that need the whole catalogue: dependencies that exist, quotes that occur.
    fn check_commitments(&mut self, catalogue: &Catalogue, source: &str) {
        let ids: Vec<&str> = catalogue
            .commitments
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        for c in &catalogue.commitments {
            for dep in &c.depends_on {
                if catalogue.commitment(dep).is_none() && !self.partial {
                    let suggestion = nearest(dep, ids.iter().copied());
                    self.errors.push(c.loc.error(K::UnknownDependency {
                        id: c.id.clone(),
                        dep: dep.clone(),
                        suggestion,
                    }));
                }
            }
            let quote = comparable(&c.quote);
            if quote.is_empty() || !source.contains(&quote) {
                let nearest = nearest_passage(source, &quote);
                self.errors.push(c.loc.error(K::QuoteNotInSource {
                    id: c.id.clone(),
                    nearest,
                }));
            } else if source.matches(quote.as_str()).count() > 1 {
                let times = source.matches(quote.as_str()).count();
                self.errors.push(c.loc.error(K::QuoteAmbiguous {
                    id: c.id.clone(),
                    times,
                }));
            }
        }
    }

    fn exemptions(&mut self, rel: &str, catalogue: &Catalogue) -> Vec<Exemption> {
        let Some(file) = self.parse::<schema::ExemptionsFile>(rel, false) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for def in file.exemption {
            let span = def.span();
            let def = def.into_inner();
            let (party, commitment) = (
                def.party.get_ref().clone(),
                def.commitment.get_ref().clone(),
            );
            if catalogue.party(&party).is_none() {
                let suggestion = nearest(&party, catalogue.parties.iter().map(|p| p.code.as_str()));
                self.err(
                    rel,
                    Some(def.party.span()),
                    K::UnknownExemptionParty {
                        name: party.clone(),
                        suggestion,
                    },
                );
            }
            if catalogue.commitment(&commitment).is_none() && !self.partial {
                let suggestion = nearest(
                    &commitment,
                    catalogue.commitments.iter().map(|c| c.id.as_str()),
                );
                self.err(
                    rel,
                    Some(def.commitment.span()),
                    K::UnknownExemptionCommitment {
                        name: commitment.clone(),
                        suggestion,
                    },
                );
            }
            let ends_before = |from, until| K::ExemptionEndsBeforeStart { from, until };
            let Some((from, until)) =
                self.period(rel, span, &def.from, def.until.as_ref(), ends_before)
            else {
                continue;
            };
            out.push(Exemption {
                party,
                commitment,
                reason: def.reason,
                from,
                until,
            });
        }
        out
    }

    fn uncovered(&mut self, source: &str) -> Vec<Uncovered> {
        let rel = "uncovered.toml";
        let Some(file) = self.parse::<schema::UncoveredFile>(rel, false) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for def in file.sentence {
            let def = def.into_inner();
            if !source.contains(&comparable(def.quote.get_ref())) {
                self.err(rel, Some(def.quote.span()), K::UncoveredNotInSource);
            }
            out.push(Uncovered {
                quote: def.quote.into_inner(),
                reason: def.reason,
            });
        }
        out
    }
}
