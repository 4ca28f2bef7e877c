//! One `[[commitment]]` table into a [`Commitment`]: its test, whom it binds and when, and what
//! it depends on, each checked where it is written.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::super::err::RuleErrorKind as K;
use super::super::schema::{self, Scope};
use super::super::*;
use super::Cx;
use crate::suggest::nearest;

impl Cx<'_> {
    pub(super) fn commitment(
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
        let test = self.test(rel, &id, span, &def, vocabulary);
        let contrary = def
            .contrary
            .as_ref()
            .map(|c| self.selector_def(rel, c, vocabulary));
        let binds = self.binds(rel, &id, &def);
        let due = def.due.as_ref().and_then(|d| self.date(rel, d));
        let grace = self.grace(rel, &id, &def);
        let binds_if = def
            .binds_if
            .as_ref()
            .and_then(|b| self.binds_if(rel, &id, def.scope, b, vocabulary));
        let requires = self.requires(rel, &id, &def);
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

    /// A commitment is judged by exactly one test; with several, the first written in the
    /// order evidence, trend, restraint, status is kept so that the rest is still checked.
    fn test(
        &mut self,
        rel: &str,
        id: &str,
        span: Range<usize>,
        def: &schema::CommitmentDef,
        vocabulary: Option<&Vocabulary>,
    ) -> Option<Test> {
        let written = [
            def.evidence.is_some(),
            def.trend.is_some(),
            def.restraint.is_some(),
            def.status.is_some(),
        ];
        if written.iter().filter(|b| **b).count() > 1 {
            self.err(rel, Some(span.clone()), K::SeveralTests(id.to_string()));
        }
        let tests = [
            def.evidence
                .as_ref()
                .map(|e| self.evidence(rel, id, def.scope, e, vocabulary)),
            def.trend
                .as_ref()
                .map(|t| self.trend(rel, def.scope, t.get_ref(), vocabulary)),
            def.restraint
                .as_ref()
                .map(|r| Test::Restraint(self.selector_def(rel, r, vocabulary))),
            def.status.as_ref().map(|st| {
                let st = st.get_ref();
                Test::Status(self.standing(rel, &st.establish, st.revoke.as_ref(), vocabulary))
            }),
        ];
        let test = tests.into_iter().flatten().next();
        if test.is_none() {
            self.err(rel, Some(span), K::NoTest(id.to_string()));
        }
        test
    }

    fn evidence(
        &mut self,
        rel: &str,
        id: &str,
        scope: Scope,
        e: &Spanned<schema::EvidenceDef>,
        vocabulary: Option<&Vocabulary>,
    ) -> Test {
        let e_span = e.span();
        let e = e.get_ref();
        let selector = self.selector(rel, &e.kinds, &e.subjects, e_span, vocabulary);
        let min = e.min.as_ref().map_or(1, |m| *m.get_ref());
        if min < 1 {
            self.err(rel, e.min.as_ref().map(|m| m.span()), K::MinTooSmall(min));
        }
        let min_parties = e.min_parties.as_ref().map(|m| *m.get_ref());
        if let Some(mp) = min_parties {
            let mp_span = e.min_parties.as_ref().map(|m| m.span());
            if mp < 1 {
                self.err(rel, mp_span.clone(), K::MinPartiesTooSmall(mp));
            }
            // Each member answers for itself: there is no count of parties to reach.
            if scope == Scope::EachMember {
                self.err(rel, mp_span, K::MinPartiesOnEachMember(id.to_string()));
            }
        }
        let sco_body = e.sco_body.as_ref().is_some_and(|b| *b.get_ref());
        if sco_body && scope == Scope::EachMember {
            let span = e.sco_body.as_ref().map(|b| b.span());
            self.err(rel, span, K::ScoBodyOnEachMember(id.to_string()));
        }
        let clamp = |n: i64| u32::try_from(n.max(1)).unwrap_or(u32::MAX);
        Test::Evidence {
            selector,
            min: clamp(min),
            per: e.per,
            min_parties: min_parties.map(clamp),
            sco_body,
        }
    }

    fn trend(
        &mut self,
        rel: &str,
        scope: Scope,
        t: &schema::TrendDef,
        vocabulary: Option<&Vocabulary>,
    ) -> Test {
        if let Some(v) = vocabulary {
            self.check_subject(rel, &t.metric, v);
        }
        // A collective trend compares like with like unless the rule says otherwise.
        let panel = t.panel.unwrap_or(match scope {
            Scope::Collective => Panel::Constant,
            Scope::EachMember => Panel::All,
        });
        Test::Trend {
            metric: t.metric.get_ref().clone(),
            direction: t.direction,
            aggregate: t.aggregate,
            panel,
        }
    }

    /// Whom the commitment binds: members unless it says otherwise; a collective one binds the
    /// organisation, whatever it says.
    fn binds(&mut self, rel: &str, id: &str, def: &schema::CommitmentDef) -> Vec<RoleName> {
        match (&def.binds, def.scope) {
            (Some(b), Scope::Collective) => {
                self.err(rel, Some(b.span()), K::BindsOnCollective(id.to_string()));
                vec![RoleName::Organization]
            }
            (Some(b), Scope::EachMember) => {
                if b.get_ref().is_empty() {
                    self.err(rel, Some(b.span()), K::EmptyBinds(id.to_string()));
                }
                b.get_ref().clone()
            }
            (None, Scope::EachMember) => vec![RoleName::Member],
            (None, Scope::Collective) => vec![RoleName::Organization],
        }
    }

    /// `due_after_joining`: the time a state that joins later has to catch up.
    fn grace(&mut self, rel: &str, id: &str, def: &schema::CommitmentDef) -> Option<Grace> {
        let g = def.due_after_joining.as_ref()?;
        if def.scope == Scope::Collective {
            self.err(rel, Some(g.span()), K::GraceOnCollective(id.to_string()));
        }
        let parsed = Grace::parse(g.get_ref());
        if parsed.is_none() {
            let text = g.get_ref().clone();
            let id = id.to_string();
            self.err(rel, Some(g.span()), K::BadGrace { id, text });
        }
        parsed
    }

    /// `depends_on` as groups of which one must be met (a plain id is a group of one); every
    /// dependency names its `why`, and every `why` a dependency.
    fn requires(&mut self, rel: &str, id: &str, def: &schema::CommitmentDef) -> Vec<Vec<String>> {
        let mut requires: Vec<Vec<String>> = Vec::new();
        let mut named: Vec<String> = Vec::new();
        for dep in &def.depends_on {
            let group = self.dependency_group(rel, id, dep);
            for d in &group {
                self.check_dependency(rel, id, dep.span(), d, def);
            }
            named.extend(group.iter().cloned());
            let group: Vec<String> = group.into_iter().filter(|d| d != id).collect();
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
                        id: id.to_string(),
                        dep: w.get_ref().clone(),
                    },
                );
            }
        }
        requires
    }

    fn dependency_group(
        &mut self,
        rel: &str,
        id: &str,
        dep: &Spanned<schema::DependencyDef>,
    ) -> Vec<String> {
        match dep.get_ref() {
            schema::DependencyDef::One(d) => vec![d.clone()],
            schema::DependencyDef::Any(a) => {
                // An `any` of one is a plain dependency written as a choice.
                if a.any.len() < 2 {
                    self.err(rel, Some(dep.span()), K::SmallAnyGroup(id.to_string()));
                }
                a.any.clone()
            }
        }
    }

    fn check_dependency(
        &mut self,
        rel: &str,
        id: &str,
        span: Range<usize>,
        dep: &str,
        def: &schema::CommitmentDef,
    ) {
        if dep == id {
            self.err(rel, Some(span), K::SelfDependency(id.to_string()));
        } else if !def.why.keys().any(|w| w.get_ref() == dep) {
            self.err(
                rel,
                Some(span),
                K::DependencyWithoutWhy {
                    id: id.to_string(),
                    dep: dep.to_string(),
                },
            );
        }
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
                self.check_kind(rel, k, v);
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

    fn selector_def(
        &mut self,
        rel: &str,
        s: &Spanned<schema::SelectorDef>,
        vocabulary: Option<&Vocabulary>,
    ) -> Selector {
        let def = s.get_ref();
        self.selector(rel, &def.kinds, &def.subjects, s.span(), vocabulary)
    }

    fn check_kind(&mut self, rel: &str, k: &Spanned<String>, v: &Vocabulary) {
        let known = v.kind(k.get_ref()).is_some();
        self.check_term(rel, k, known, v.kinds.keys(), |name, suggestion| {
            K::UnknownKind { name, suggestion }
        });
    }

    fn check_subject(&mut self, rel: &str, s: &Spanned<String>, v: &Vocabulary) {
        let known = v.subject(s.get_ref()).is_some();
        self.check_term(rel, s, known, v.subjects.keys(), |name, suggestion| {
            K::UnknownSubject { name, suggestion }
        });
    }

    /// A kind or subject not in the vocabulary, with the nearest one that is.
    fn check_term<'v>(
        &mut self,
        rel: &str,
        term: &Spanned<String>,
        known: bool,
        terms: impl Iterator<Item = &'v String>,
        unknown: impl FnOnce(String, Option<String>) -> K,
    ) {
        if !known {
            let suggestion = nearest(term.get_ref(), terms.map(String::as_str));
            let kind = unknown(term.get_ref().clone(), suggestion);
            self.err(rel, Some(term.span()), kind);
        }
    }

    fn standing(
        &mut self,
        rel: &str,
        establish: &Spanned<schema::SelectorDef>,
        revoke: Option<&Spanned<schema::SelectorDef>>,
        vocabulary: Option<&Vocabulary>,
    ) -> Standing {
        Standing {
            establish: self.selector_def(rel, establish, vocabulary),
            revoke: revoke.map(|r| self.selector_def(rel, r, vocabulary)),
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
}
