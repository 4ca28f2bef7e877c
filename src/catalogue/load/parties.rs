//! `parties.toml` into the parties and the roles each held, from when until when.

use std::collections::HashSet;
use std::ops::Range;

use super::super::err::RuleErrorKind as K;
use super::super::schema;
use super::super::*;
use super::{Cx, MOST_NAMED};

impl Cx<'_> {
    pub(super) fn parties(&mut self) -> Option<Vec<Party>> {
        let rel = "parties.toml";
        let defs = self.parse::<schema::PartiesFile>(rel, true)?.party;
        let mut parties: Vec<Party> = Vec::new();
        let mut seen = HashSet::new();
        let count = defs.len();
        if let Some(over) = defs.get(MOST_NAMED) {
            let span = Some(over.code.span());
            self.err(
                rel,
                span,
                K::TooMany {
                    what: "parties",
                    count,
                },
            );
        }
        for def in defs {
            let code = def.code.get_ref().clone();
            if !seen.insert(code.clone()) {
                self.err(rel, Some(def.code.span()), K::DuplicateParty(code));
                continue;
            }
            if def.roles.is_empty() {
                self.err(rel, Some(def.code.span()), K::NoRoles(code.clone()));
            }
            let roles = self.roles(rel, &def);
            self.check_overlaps(rel, &code, &roles);
            parties.push(Party {
                code,
                name: def.name,
                roles: roles.into_iter().map(|(r, _)| r).collect(),
            });
        }
        parties.sort_by(|a, b| a.code.cmp(&b.code));
        // Collective commitments bind the organisation: without it they bind no one.
        let has_org = parties.iter().any(|p| {
            p.is_organization() && p.roles.iter().any(|r| r.role == RoleName::Organization)
        });
        if !has_org {
            self.err(rel, None, K::NoOrganization);
        }
        Some(parties)
    }

    /// A party's roles in the order they began, each with where it is written.
    fn roles(&mut self, rel: &str, def: &schema::PartyDef) -> Vec<(Role, Range<usize>)> {
        let mut roles = Vec::new();
        for r in &def.roles {
            let span = r.span();
            let r = r.get_ref();
            let ends_before = |from, until| K::RoleEndsBeforeStart { from, until };
            let Some((from, until)) =
                self.period(rel, span.clone(), &r.from, r.until.as_ref(), ends_before)
            else {
                continue;
            };
            let role = Role {
                role: r.role,
                from,
                until,
            };
            roles.push((role, span));
        }
        roles.sort_by_key(|(r, _)| r.from);
        roles
    }

    /// A party holds one role at a time: the verdict of a day must not depend on which of two
    /// overlapping roles is read first.
    fn check_overlaps(&mut self, rel: &str, code: &str, roles: &[(Role, Range<usize>)]) {
        for w in roles.windows(2) {
            let ((a, _), (b, span)) = (&w[0], &w[1]);
            if a.until.is_none_or(|u| u >= b.from) {
                self.err(
                    rel,
                    Some(span.clone()),
                    K::OverlappingRoles {
                        party: code.to_string(),
                        first: shown(a),
                        second: shown(b),
                    },
                );
            }
        }
    }
}

fn shown(r: &Role) -> String {
    let until = r.until.map(|u| format!(" until {u}")).unwrap_or_default();
    format!("{} from {}{}", r.role.as_str(), r.from, until)
}
