//! Reading a rules directory into a [`Catalogue`], collecting every problem on the way.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use toml::value::Datetime;
use toml::Spanned;

use super::err::{ExemptionErrors, Loc, RuleError, RuleErrorKind as K, RuleErrors};
use super::schema::{self, Scope};
use super::source::{comparable, nearest_passage};
use super::*;
use crate::graph::Dag;
use crate::suggest::nearest;

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

struct Cx<'a> {
    files: &'a RuleFiles,
    /// The text of each file a place was taken in, shared by all the places in it.
    texts: HashMap<String, Arc<str>>,
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
            .or_insert_with(|| Arc::from(text.as_str()));
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

    fn parties(&mut self) -> Option<Vec<Party>> {
        let rel = "parties.toml";
        let defs = self.parse::<schema::PartiesFile>(rel, true)?.party;
        let mut parties: Vec<Party> = Vec::new();
        let mut seen = HashMap::new();
        for def in defs {
            let code = def.code.get_ref().clone();
            if seen.insert(code.clone(), ()).is_some() {
                self.err(rel, Some(def.code.span()), K::DuplicateParty(code.clone()));
                continue;
            }
            if def.roles.is_empty() {
                self.err(rel, Some(def.code.span()), K::NoRoles(code.clone()));
            }
            let mut roles = Vec::new();
            for r in &def.roles {
                let span = r.span();
                let r = r.get_ref();
                let from = self.date(rel, &r.from);
                let until = r.until.as_ref().and_then(|u| self.date(rel, u));
                let Some(from) = from else { continue };
                if let Some(u) = until.filter(|u| *u < from) {
                    self.err(
                        rel,
                        Some(span),
                        K::RoleEndsBeforeStart {
                            from: from.to_string(),
                            until: u.to_string(),
                        },
                    );
                    continue;
                }
                roles.push((
                    Role {
                        role: r.role,
                        from,
                        until,
                    },
                    span,
                ));
            }
            roles.sort_by_key(|(r, _)| r.from);
            for w in roles.windows(2) {
                let ((a, _), (b, span)) = (&w[0], &w[1]);
                if a.until.is_none_or(|u| u >= b.from) {
                    let show = |r: &Role| {
                        format!(
                            "{} from {}{}",
                            r.role.as_str(),
                            r.from,
                            r.until.map(|u| format!(" until {u}")).unwrap_or_default()
                        )
                    };
                    self.err(
                        rel,
                        Some(span.clone()),
                        K::OverlappingRoles {
                            party: code.clone(),
                            first: show(a),
                            second: show(b),
                        },
                    );
                }
            }
            parties.push(Party {
                code,
                name: def.name,
                roles: roles.into_iter().map(|(r, _)| r).collect(),
            });
        }
        parties.sort_by(|a, b| a.code.cmp(&b.code));
        let has_org = parties.iter().any(|p| {
            p.is_organization() && p.roles.iter().any(|r| r.role == RoleName::Organization)
        });
        if !has_org {
            self.err(rel, None, K::NoOrganization);
        }
        Some(parties)
    }

    fn vocabulary(&mut self) -> Option<Vocabulary> {
        let v = self.parse::<schema::VocabularyFile>("vocabulary.toml", true)?;
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

    fn selector(
        &mut self,
        rel: &str,
        kinds: &[Spanned<String>],
        subjects: &[Spanned<String>],
        span: Range<usize>,
        vocabulary: Option<&Vocabulary>,
    ) -> Selector {
        if kinds.is_empty() {
            self.err(rel, Some(span), K::EmptyKinds);
        }
        if let Some(v) = vocabulary {
            for k in kinds {
                if v.kind(k.get_ref()).is_none() {
                    let suggestion = nearest(k.get_ref(), v.kinds.keys().map(String::as_str));
                    self.err(
                        rel,
                        Some(k.span()),
                        K::UnknownKind {
                            name: k.get_ref().clone(),
                            suggestion,
                        },
                    );
                }
            }
            for s in subjects {
                self.check_subject(rel, s, v);
            }
        }
        Selector {
            kinds: kinds.iter().map(|k| k.get_ref().clone()).collect(),
            subjects: subjects.iter().map(|s| s.get_ref().clone()).collect(),
        }
    }

    fn check_subject(&mut self, rel: &str, s: &Spanned<String>, v: &Vocabulary) {
        if v.subject(s.get_ref()).is_none() {
            let suggestion = nearest(s.get_ref(), v.subjects.keys().map(String::as_str));
            self.err(
                rel,
                Some(s.span()),
                K::UnknownSubject {
                    name: s.get_ref().clone(),
                    suggestion,
                },
            );
        }
    }

    fn commitment(
        &mut self,
        rel: &str,
        chapter: usize,
        def: Spanned<schema::CommitmentDef>,
        vocabulary: Option<&Vocabulary>,
    ) -> Option<Commitment> {
        let span = def.span();
        let def = def.into_inner();
        let id = def.id.get_ref().clone();
        let loc = self.loc(rel, Some(def.id.span()));
        let tests = [
            def.evidence.is_some(),
            def.trend.is_some(),
            def.restraint.is_some(),
            def.status.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if tests > 1 {
            self.err(rel, Some(span.clone()), K::SeveralTests(id.clone()));
        }
        let mut test = None;
        if let Some(e) = &def.evidence {
            let e_span = e.span();
            let e = e.get_ref();
            let selector = self.selector(rel, &e.kinds, &e.subjects, e_span.clone(), vocabulary);
            let min = e.min.as_ref().map_or(1, |m| *m.get_ref());
            if min < 1 {
                self.err(rel, e.min.as_ref().map(|m| m.span()), K::MinTooSmall(min));
            }
            let min_parties = e.min_parties.as_ref().map(|m| *m.get_ref());
            if let Some(mp) = min_parties {
                if mp < 1 {
                    self.err(
                        rel,
                        e.min_parties.as_ref().map(|m| m.span()),
                        K::MinPartiesTooSmall(mp),
                    );
                }
                if def.scope == Scope::EachMember {
                    self.err(
                        rel,
                        e.min_parties.as_ref().map(|m| m.span()),
                        K::MinPartiesOnEachMember(id.clone()),
                    );
                }
            }
            let sco_body = e.sco_body.as_ref().is_some_and(|b| *b.get_ref());
            if sco_body && def.scope == Scope::EachMember {
                let span = e.sco_body.as_ref().map(|b| b.span());
                self.err(rel, span, K::ScoBodyOnEachMember(id.clone()));
            }
            let clamp = |n: i64| u32::try_from(n.max(1)).unwrap_or(u32::MAX);
            test = Some(Test::Evidence {
                selector,
                min: clamp(min),
                per: e.per,
                min_parties: min_parties.map(clamp),
                sco_body,
            });
        }
        if let Some(t) = &def.trend {
            let t = t.get_ref();
            if let Some(v) = vocabulary {
                self.check_subject(rel, &t.metric, v);
            }
            // A collective trend compares like with like unless the rule says otherwise.
            let panel = t.panel.unwrap_or(match def.scope {
                Scope::Collective => Panel::Constant,
                Scope::EachMember => Panel::All,
            });
            test = test.or(Some(Test::Trend {
                metric: t.metric.get_ref().clone(),
                direction: t.direction,
                aggregate: t.aggregate,
                panel,
            }));
        }
        if let Some(r) = &def.restraint {
            let sel = self.selector(
                rel,
                &r.get_ref().kinds,
                &r.get_ref().subjects,
                r.span(),
                vocabulary,
            );
            test = test.or(Some(Test::Restraint(sel)));
        }
        if let Some(st) = &def.status {
            let st = st.get_ref();
            let standing = self.standing(rel, &st.establish, st.revoke.as_ref(), vocabulary);
            test = test.or(Some(Test::Status(standing)));
        }
        if test.is_none() {
            self.err(rel, Some(span.clone()), K::NoTest(id.clone()));
        }
        let contrary = def.contrary.as_ref().map(|c| {
            self.selector(
                rel,
                &c.get_ref().kinds,
                &c.get_ref().subjects,
                c.span(),
                vocabulary,
            )
        });
        let binds = match (&def.binds, def.scope) {
            (Some(b), Scope::Collective) => {
                self.err(rel, Some(b.span()), K::BindsOnCollective(id.clone()));
                vec![RoleName::Organization]
            }
            (Some(b), Scope::EachMember) => {
                if b.get_ref().is_empty() {
                    self.err(rel, Some(b.span()), K::EmptyBinds(id.clone()));
                }
                b.get_ref().clone()
            }
            (None, Scope::EachMember) => vec![RoleName::Member],
            (None, Scope::Collective) => vec![RoleName::Organization],
        };
        let due = def.due.as_ref().and_then(|d| self.date(rel, d));
        let grace = def.due_after_joining.as_ref().and_then(|g| {
            if def.scope == Scope::Collective {
                self.err(rel, Some(g.span()), K::GraceOnCollective(id.clone()));
            }
            let parsed = Grace::parse(g.get_ref());
            if parsed.is_none() {
                let text = g.get_ref().clone();
                self.err(
                    rel,
                    Some(g.span()),
                    K::BadGrace {
                        id: id.clone(),
                        text,
                    },
                );
            }
            parsed
        });
        let binds_if = def
            .binds_if
            .as_ref()
            .and_then(|b| self.binds_if(rel, &id, def.scope, b, vocabulary));
        let mut requires: Vec<Vec<String>> = Vec::new();
        let mut named: Vec<String> = Vec::new();
        for dep in &def.depends_on {
            let group = match dep.get_ref() {
                schema::DependencyDef::One(d) => vec![d.clone()],
                schema::DependencyDef::Any(a) => {
                    if a.any.len() < 2 {
                        self.err(rel, Some(dep.span()), K::SmallAnyGroup(id.clone()));
                    }
                    a.any.clone()
                }
            };
            for d in &group {
                if d == &id {
                    self.err(rel, Some(dep.span()), K::SelfDependency(id.clone()));
                } else if !def.why.keys().any(|w| w.get_ref() == d) {
                    self.err(
                        rel,
                        Some(dep.span()),
                        K::DependencyWithoutWhy {
                            id: id.clone(),
                            dep: d.clone(),
                        },
                    );
                }
            }
            named.extend(group.iter().cloned());
            let group: Vec<String> = group.into_iter().filter(|d| d != &id).collect();
            if !group.is_empty() {
                requires.push(group);
            }
        }
        for w in def.why.keys() {
            if !named.iter().any(|d| d == w.get_ref()) {
                self.err(
                    rel,
                    Some(w.span()),
                    K::WhyWithoutDependency {
                        id: id.clone(),
                        dep: w.get_ref().clone(),
                    },
                );
            }
        }
        let mut depends_on: Vec<String> = requires.iter().flatten().cloned().collect();
        depends_on.sort();
        depends_on.dedup();
        Some(Commitment {
            id,
            title: def.title,
            quote: def.quote.get_ref().clone(),
            chapter,
            scope: def.scope,
            binds,
            binds_if,
            depends_on,
            requires,
            why: def
                .why
                .into_iter()
                .map(|(k, v)| (k.into_inner(), v))
                .collect::<BTreeMap<_, _>>(),
            due,
            grace,
            guideline: def.guideline,
            test: test?,
            contrary,
            loc,
        })
    }

    fn standing(
        &mut self,
        rel: &str,
        establish: &Spanned<schema::SelectorDef>,
        revoke: Option<&Spanned<schema::SelectorDef>>,
        vocabulary: Option<&Vocabulary>,
    ) -> Standing {
        let mut sel = |s: &Spanned<schema::SelectorDef>| {
            let def = s.get_ref();
            self.selector(rel, &def.kinds, &def.subjects, s.span(), vocabulary)
        };
        Standing {
            establish: sel(establish),
            revoke: revoke.map(sel),
        }
    }

    /// The condition as written; one naming a commitment is resolved once all are read.
    fn binds_if(
        &mut self,
        rel: &str,
        id: &str,
        scope: Scope,
        def: &Spanned<schema::BindsIfDef>,
        vocabulary: Option<&Vocabulary>,
    ) -> Option<Condition> {
        if scope == Scope::Collective {
            self.err(
                rel,
                Some(def.span()),
                K::BindsIfOnCollective(id.to_string()),
            );
        }
        let b = def.get_ref();
        match (&b.status, &b.establish) {
            (Some(status), None) if b.revoke.is_none() => Some(Condition {
                commitment: Some(status.get_ref().clone()),
                standing: Standing {
                    establish: Selector {
                        kinds: Vec::new(),
                        subjects: Vec::new(),
                    },
                    revoke: None,
                },
            }),
            (None, Some(establish)) => Some(Condition {
                commitment: None,
                standing: self.standing(rel, establish, b.revoke.as_ref(), vocabulary),
            }),
            _ => {
                self.err(rel, Some(def.span()), K::BindsIfShape(id.to_string()));
                None
            }
        }
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
            let from = self.date(rel, &def.from);
            let until = def.until.as_ref().and_then(|u| self.date(rel, u));
            let Some(from) = from else { continue };
            if let Some(u) = until.filter(|u| *u < from) {
                self.err(
                    rel,
                    Some(span),
                    K::ExemptionEndsBeforeStart {
                        from: from.to_string(),
                        until: u.to_string(),
                    },
                );
            }
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
