//! The counting rules of `shared/COUNTING-RULES.md` as code: each class of wording by which a
//! unit of the Strategy is counted as an undertaking (`U*`) or left out (`L*`), one predicate
//! per class so that each can be tested on its own, and [`classify`] that applies them in order.

use std::sync::OnceLock;

use regex::Regex;
use strum::{EnumCount, IntoStaticStr, VariantArray};

use super::units::Unit;

/// A class of wording of the counting rules; the code is what reports show.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, EnumCount, VariantArray, IntoStaticStr,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Rule {
    /// will, shall, intend, seek, strive, plan, are resolved to, will continue, assign priority
    /// or importance, favor, advocate, support, respect, are guided by, do not accept, cannot,
    /// will not allow, consider necessary.
    MarkerWord,
    /// A passive with an implied actor: "Particular attention will be paid to" ("will continue to
    /// be improved" is already [`Rule::MarkerWord`]).
    ImpliedActor,
    /// "it is imperative", "it becomes imperative", "consider necessary", "should".
    Necessity,
    /// A priority, an important area or a task of SCO work.
    PriorityOrTask,
    /// An SCO activity as subject and its intended effect as predicate.
    IntendedEffect,
    /// An item of the goals or objectives lists.
    ListItem,
    /// The sentence that the next one calls "this task".
    NamedTask,
    /// The sentence that introduces a list: its content is the items.
    ListLeadIn,
    /// "are convinced that", "believe that": an assessment or predictive conviction.
    Conviction,
    /// "will" said of something other than the SCO, its members or their work.
    Forecast,
    /// "This should serve as": only restates the effect of the sentence before.
    Restatement,
    /// "may", "could", "can": permissive or hedged wording.
    Hedged,
}

impl Rule {
    /// Every rule, in the order [`classify`] applies them.
    pub const ALL: [Rule; Rule::COUNT] = crate::variants::array(Rule::VARIANTS);

    pub fn code(self) -> &'static str {
        match self {
            Rule::MarkerWord => "U1",
            Rule::ImpliedActor => "U2",
            Rule::Necessity => "U3",
            Rule::PriorityOrTask => "U4",
            Rule::IntendedEffect => "U5",
            Rule::ListItem => "U6",
            Rule::NamedTask => "U7",
            Rule::ListLeadIn => "L1",
            Rule::Conviction => "L2",
            Rule::Forecast => "L3",
            Rule::Restatement => "L4",
            Rule::Hedged => "L5",
        }
    }

    /// The rule's name in kebab case, as `shared/COUNTING-RULES.md` names it.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Whether a unit of this class is an undertaking the catalogue must quote.
    pub fn counted(self) -> bool {
        self.code().starts_with('U')
    }
}

/// `pattern`, compiled once (each pattern says `(?i)` where case does not matter).
macro_rules! re {
    ($pattern:expr) => {{
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new($pattern).expect("static regex"))
    }};
}

/// The marker words that undertake something whoever the grammatical subject is.
pub fn marker_word(text: &str) -> bool {
    re!(r"(?i)\b(shall|will continue|will not allow|will seek|will strive|intends?|seeks? to|strive|plans? to|(are|is) resolved to|assign (\w+ )?(priority|importance)|(are|is|be) guided by|(do|does) not (accept|support)|cannot|considers? (it )?necessary)\b").is_match(text)
        || actor_verb(text)
}

/// favor, advocate, support, respect as verbs, that is after their actor (as nouns, "respect
/// for" and "full support", they undertake nothing).
fn actor_verb(text: &str) -> bool {
    re!(r"(?i)\b(member states|they|SCO|Organi[sz]ation)\s+(\w+ly\s+)?(favou?rs?|advocates?|supports?|respects?)\b").is_match(text)
}

/// "will" whose subject is the SCO, its members, a body or their work.
pub fn will_of_the_sco(text: &str) -> bool {
    will(text) && sco_subject(text)
}

fn will(text: &str) -> bool {
    re!(r"(?i)\bwill\b").is_match(text)
}

/// The grammatical subject, roughly: the text before the first "will", or what "There will be"
/// introduces.
fn subject(text: &str) -> &str {
    if let Some(m) = re!(r"(?i)^there will be\b").find(text) {
        return &text[m.end()..];
    }
    match re!(r"(?i)\bwill\b").find(text) {
        Some(m) => &text[..m.start()],
        None => text,
    }
}

/// Whether the subject names the SCO, its members or bodies, or an activity of theirs.
fn sco_subject(text: &str) -> bool {
    re!(r"(?i)\b(SCO|Organi[sz]ation|member states?|they|cooperation|co-operation|activit(y|ies)|efforts?|work|practice|measures|steps|attention|emphasis|programs?|programmes?|mechanisms?|participation|accession|relations|partners?|observer states|experts)\b").is_match(subject(text))
}

/// A passive whose actor is implied: "will be paid", "Measures will be taken", "will continue
/// to be improved".
pub fn implied_actor(text: &str) -> bool {
    re!(r"(?i)\bwill (continue to )?be (\w+ly )?(\w+ed|paid|made|taken|held|built|given|done|drawn|set|kept|undertaken)\b").is_match(text)
}

/// An explicit necessity.
pub fn necessity(text: &str) -> bool {
    re!(r"(?i)\b((is|becomes|becoming|be) imperative|considers? (it )?necessary|should|must)\b")
        .is_match(text)
}

/// A priority, an important area, element or partner, a task or a pillar of SCO work.
pub fn priority_or_task(text: &str) -> bool {
    re!(r"(?i)\b(priority areas?|priorities|important (and urgent )?(SCO )?(areas?|element|component|role|partner|resource|tasks?)|main task|pillar)\b").is_match(text)
}

/// An SCO activity as subject and its intended effect as predicate: "The work in this area aims
/// to", "will contribute to ensuring", "There will be an ever increasing relevance of SCO
/// cooperation in".
pub fn intended_effect(text: &str) -> bool {
    re!(r"(?i)\b(aims? to|will (contribute|enable|create|help|lead)|relevance of SCO)\b")
        .is_match(text)
        && sco_subject(text)
}

/// The sentence is the task that the next one calls "this task".
pub fn named_task(next: Option<&str>) -> bool {
    next.is_some_and(|n| re!(r"(?i)\bthis task\b").is_match(n))
}

/// "This should serve as", "It will contribute to": the effect of the sentence before, again.
pub fn restatement(text: &str) -> bool {
    re!(r"^(This|That|It|Such)\s+(\w+\s+)?(should|will|would)\s+(\w+\s+)?(serve|contribute|help|promote|lead)\b").is_match(text)
}

/// The text with its conviction clauses ("are convinced that", "believe that" up to the next
/// clause of its own) blanked, unless the clause says what "should" be done: that is a position
/// they want carried out, not a forecast. `None` when there is no conviction clause.
pub fn without_convictions(text: &str) -> Option<String> {
    let start = re!(r"(?i)\b((are|is) convinced|believes?) that\b").find(text)?;
    let rest = &text[start.start()..];
    let end = re!(r"(?i)(, and (they|the member states|the SCO)\b|;)")
        .find(rest)
        .map_or(text.len(), |m| start.start() + m.start());
    if necessity(&text[start.start()..end]) {
        return None;
    }
    Some(format!("{}{}", &text[..start.start()], &text[end..]))
}

/// The text with each hedged clause ("may", "could", "can" up to the end of its clause)
/// blanked. `None` when nothing is hedged.
pub fn without_hedges(text: &str) -> Option<String> {
    let m = re!(r"\b(may|could|can|might)\b").find(text)?;
    let end = re!(r";")
        .find(&text[m.start()..])
        .map_or(text.len(), |e| m.start() + e.start());
    Some(format!("{}{}", &text[..m.start()], &text[end..]))
}

/// Which rule decides `unit` (given the unit after it): a `U*` rule counts it, an `L*` rule
/// leaves it out, `None` means it uses no wording of either (a description).
pub fn classify(unit: &Unit, next: Option<&str>) -> Option<Rule> {
    if unit.lead_in {
        return Some(Rule::ListLeadIn);
    }
    if unit.bullet {
        return Some(Rule::ListItem);
    }
    if named_task(next) {
        return Some(Rule::NamedTask);
    }
    if restatement(&unit.text) {
        return Some(Rule::Restatement);
    }
    let mut masked = None;
    let mut text = unit.text.clone();
    if let Some(t) = without_convictions(&text) {
        masked = Some(Rule::Conviction);
        text = t;
    }
    if let Some(t) = without_hedges(&text) {
        masked = masked.or(Some(Rule::Hedged));
        text = t;
    }
    let counted = [
        (Rule::MarkerWord, marker_word as fn(&str) -> bool),
        (Rule::Necessity, necessity),
        (Rule::PriorityOrTask, priority_or_task),
        (Rule::IntendedEffect, intended_effect),
        (Rule::ImpliedActor, implied_actor),
        (Rule::MarkerWord, will_of_the_sco),
    ];
    if let Some((rule, _)) = counted.iter().find(|(_, applies)| applies(&text)) {
        return Some(*rule);
    }
    if will(&text) {
        return Some(Rule::Forecast);
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(text: &str) -> Unit {
        Unit {
            text: text.into(),
            bullet: false,
            lead_in: false,
        }
    }

    fn rule_of(text: &str) -> Option<Rule> {
        classify(&sentence(text), None)
    }

    #[test]
    fn u1_marker_word() {
        for yes in [
            "The member states will enhance a political dialogue at all levels.",
            "The member states shall cooperate in the field of safety and quality of drugs.",
            "The SCO intends to intensify its constructive engagement.",
            "SCO will seek to establish an effective joint mechanism.",
            "The member states will strive to create favorable conditions.",
            "SCO plans to establish official relations.",
            "The member states are resolved to realize the idea of a common security.",
            "The member states will assign priority to the cooperation with the UN.",
            "The SCO member states favor compliance with the commitments.",
            "The member states consistently advocate the settlement of issues.",
            "They support an appeal to all nuclear powers.",
            "The member states respect the right to choose the path of development.",
            "They are guided by the principles of non-interference.",
            "The SCO does not accept ideological and confrontational approaches.",
            "They cannot participate in the alliances directed against the member states.",
            "They will not allow in their territory any such activity.",
            "The member states consider necessary to enhance practical results.",
        ] {
            assert!(marker_word(yes) || will_of_the_sco(yes), "{yes}");
            assert!(rule_of(yes).is_some_and(Rule::counted), "{yes}");
        }
        for no in [
            "The cooperation is distinguished by respect for cultural diversity.",
            "It requires full support and goodwill.",
            "A scientific and technological partnership plan exists.",
        ] {
            assert!(!marker_word(no) && !will_of_the_sco(no), "{no}");
            assert_eq!(rule_of(no), None, "{no}");
        }
    }

    #[test]
    fn u2_implied_actor() {
        for yes in [
            "Particular attention will be paid to the provisions of the Agreement.",
            "Measures will be taken aimed at realizing the SCO transit potential.",
            "Efforts will be directed at strengthening the regimes of non-proliferation.",
            "Targeted programs will be regularly adopted.",
            "Cooperation in the security area will be strengthened through contacts.",
        ] {
            assert!(implied_actor(yes), "{yes}");
            assert_eq!(rule_of(yes), Some(Rule::ImpliedActor), "{yes}");
        }
        for no in [
            "There will be a stronger correlation between security and prosperity.",
            "The coming decade will be a period of dynamic change.",
            "The world economy has been weakened.",
        ] {
            assert!(!implied_actor(no), "{no}");
        }
    }

    #[test]
    fn u3_necessity() {
        for yes in [
            "In these circumstances, it becomes imperative for all the states to comply with the principles.",
            "It is becoming imperative to build in the region a universal architecture.",
            "They believe that the reform of the UN Security Council should make it more representative.",
        ] {
            assert!(necessity(yes), "{yes}");
            assert_eq!(rule_of(yes), Some(Rule::Necessity), "{yes}");
        }
        for no in [
            "The complex nature of this task has necessitated the elaboration of the Strategy.",
            "If necessary, the member states may hold bilateral consultations.",
        ] {
            assert!(!necessity(no), "{no}");
            assert!(!rule_of(no).is_some_and(Rule::counted), "{no}");
        }
    }

    #[test]
    fn u4_priority_or_task() {
        for yes in [
            "Agriculture is one of the priority areas for the member states’ cooperation.",
            "The customs remain an important area of cooperation.",
            "The main task in the field of tourism is to contribute to further growth of tourist flows.",
            "In these circumstances, the defense of peace and common development remain the most important and urgent tasks.",
            "The equality of SCO member states remains an unchanged pillar of the Organization’s activities.",
            "Economic cooperation is an important element of stability in the SCO region.",
        ] {
            assert!(priority_or_task(yes), "{yes}");
            assert_eq!(rule_of(yes), Some(Rule::PriorityOrTask), "{yes}");
        }
        for no in [
            "Pursuit of peace and development is increasingly gaining importance.",
            "In this regard, the role of regional associations, such as SCO, is increasing.",
        ] {
            assert!(!priority_or_task(no), "{no}");
            assert_eq!(rule_of(no), None, "{no}");
        }
    }

    #[test]
    fn u5_intended_effect() {
        for yes in [
            "The work in this area aims to facilitate economic development of the member states.",
            "Proper upgrading of cooperation in public health will contribute to ensuring bio-security in the SCO region.",
            "There will be an ever increasing relevance of SCO cooperation in health.",
            "Enhanced cooperation with the SCO observer states will create prerequisites for a partnership system.",
        ] {
            assert!(intended_effect(yes), "{yes}");
            assert_eq!(rule_of(yes), Some(Rule::IntendedEffect), "{yes}");
        }
        for no in [
            "Globalization and technological progress will contribute to the increased interdependence of nations.",
            "High unemployment aims to nothing.",
        ] {
            assert!(!intended_effect(no), "{no}");
            assert!(!rule_of(no).is_some_and(Rule::counted), "{no}");
        }
    }

    #[test]
    fn u6_list_item() {
        let units = super::super::units::units(
            "Goals are the following: \u{f0a7} strengthening mutual trust; \u{f0a7} improving the framework.",
        );
        let rules: Vec<_> = units.iter().map(|u| classify(u, None)).collect();
        assert_eq!(
            rules,
            vec![
                Some(Rule::ListLeadIn),
                Some(Rule::ListItem),
                Some(Rule::ListItem)
            ]
        );
        assert_eq!(rule_of("strengthening mutual trust;"), None);
    }

    #[test]
    fn u7_named_task() {
        let set = "Currently, the SCO is set to reach a qualitatively new level.";
        assert!(named_task(Some(
            "The complex nature of this task has necessitated the Strategy."
        )));
        assert_eq!(
            classify(
                &sentence(set),
                Some("The complex nature of this task has necessitated the Strategy.")
            ),
            Some(Rule::NamedTask)
        );
        assert!(!named_task(Some("To this end, the member states act.")));
        assert!(!named_task(None));
        assert_eq!(
            classify(&sentence(set), Some("The strategy has been developed.")),
            None
        );
    }

    #[test]
    fn l1_list_lead_in() {
        let units = super::super::units::units(
            "To achieve the above goals, the member states will focus on the following objectives: \u{f0a7} one.",
        );
        assert_eq!(classify(&units[0], None), Some(Rule::ListLeadIn));
        assert_eq!(
            rule_of("To achieve the goals, the member states will focus on the objectives:"),
            Some(Rule::MarkerWord)
        );
    }

    #[test]
    fn l2_conviction() {
        let yes = "The member states are convinced that the consistent implementation of the Strategy will strengthen the SCO.";
        assert!(without_convictions(yes).is_some());
        assert_eq!(rule_of(yes), Some(Rule::Conviction));
        let believe = "The member states believe that the effective response can be ensured only by combined efforts.";
        assert_eq!(rule_of(believe), Some(Rule::Conviction));
        let with_undertaking = "The member states are convinced that the United Nations should play a central role, and they favor improved efficiency of its mechanisms.";
        assert!(rule_of(with_undertaking).is_some_and(Rule::counted));
        let position = "The member states are convinced that the mechanisms will work, and they favor their reform.";
        assert_eq!(rule_of(position), Some(Rule::MarkerWord));
        assert!(without_convictions("The member states will act.").is_none());
    }

    #[test]
    fn l3_forecast() {
        for yes in [
            "The coming decade will be a period of a dynamic change in international relations.",
            "Globalization and technological progress will contribute to the increased interdependence of nations.",
            "There will be a stronger correlation between security and prosperity of states.",
        ] {
            assert_eq!(rule_of(yes), Some(Rule::Forecast), "{yes}");
        }
        for no in [
            "By 2025, the SCO will strengthen its position in the global architecture.",
            "Experts and scientists of the member states will exchange experiences.",
            "Its activities will continue to serve as an example.",
        ] {
            assert!(rule_of(no).is_some_and(Rule::counted), "{no}");
        }
    }

    #[test]
    fn l4_restatement() {
        let yes = "This should serve as a catalyst for the convergence of the member states.";
        assert!(restatement(yes));
        assert_eq!(rule_of(yes), Some(Rule::Restatement));
        for no in [
            "It is becoming imperative to build in the region a universal architecture.",
            "It is supported by a provision which will continue to be applied.",
            "The member states should serve the common good.",
        ] {
            assert!(!restatement(no), "{no}");
            assert!(rule_of(no).is_some_and(Rule::counted), "{no}");
        }
    }

    #[test]
    fn l5_hedged() {
        for yes in [
            "If necessary, the member states may hold bilateral consultations with the applicant states.",
            "This could be facilitated, inter alia, by the establishment of committees.",
        ] {
            assert!(without_hedges(yes).is_some(), "{yes}");
            assert_eq!(rule_of(yes), Some(Rule::Hedged), "{yes}");
        }
        let also_undertaking = "Its activities will continue to serve as an example of how associations can ensure security.";
        assert_eq!(rule_of(also_undertaking), Some(Rule::MarkerWord));
        assert!(without_hedges("The member states cannot participate.").is_none());
        assert!(without_hedges("In May the SCO met.").is_none());
    }

    #[test]
    fn codes_and_names_are_distinct_and_u_means_counted() {
        let mut codes: Vec<_> = Rule::ALL.iter().map(|r| r.code()).collect();
        let mut names: Vec<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        codes.sort();
        codes.dedup();
        names.sort();
        names.dedup();
        assert_eq!(codes.len(), Rule::ALL.len());
        assert_eq!(names.len(), Rule::ALL.len());
        assert_eq!(Rule::ALL.iter().filter(|r| r.counted()).count(), 7);
    }
}
