//! Everything that can be wrong with a rules directory, each problem a [`miette::Diagnostic`]
//! that shows its place in the rules file.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};
use strum::EnumMessage;

use crate::lines::LineStarts;

/// Where a problem is: a rules file and, where one is known, the line and column in it, with
/// the file's text so that the place can be shown.
#[derive(Debug, Clone)]
pub struct Loc {
    pub file: String,
    pub line: usize,
    pub col: usize,
    /// Boxed: a place is carried by every commitment and every error, most never shown.
    snippet: Option<Box<Snippet>>,
}

/// The span of a place in its file's text.
#[derive(Debug, Clone)]
struct Snippet {
    /// Named `file:line:col`, the place the findings give: miette's own header would count the
    /// column in bytes, the findings count characters.
    source: NamedSource<Arc<SourceText>>,
    span: SourceSpan,
}

/// A rules file's text with where its lines start, made once per file: a chapter of thousands
/// of commitments has a place for each, and counting lines from the file's start for every one
/// (as `str` does, for miette too) made loading it quadratic.
#[derive(Debug)]
pub(crate) struct SourceText {
    text: Arc<str>,
    /// Lines ending at `\n`: the count the findings give.
    lines: LineStarts,
    /// Where each line starts, a line ending at `\r\n`, `\n` or `\r`: miette's count.
    breaks: Vec<usize>,
    /// The last place whose column was counted, as (offset, column): the places of one long
    /// line (a list of thousands of unknown kinds) come in order, and each is counted on
    /// from the one before instead of from the line's start.
    last: Mutex<(usize, usize)>,
}

impl SourceText {
    pub(crate) fn new(text: &str) -> SourceText {
        let bytes = text.as_bytes();
        let breaks = std::iter::once(0)
            .chain(
                memchr::memchr2_iter(b'\n', b'\r', bytes)
                    .filter(|&i| !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
                    .map(|i| i + 1),
            )
            .collect();
        SourceText {
            text: Arc::from(text),
            lines: LineStarts::new(text),
            breaks,
            last: Mutex::new((0, 0)),
        }
    }

    /// The line and column (both from 1; columns in characters) of `offset`, a character
    /// boundary.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.lines.line_of(offset);
        let (start, _) = self.lines.bounds(line, self.text.len());
        let chars = |from: usize| self.text.get(from..offset).map_or(0, |s| s.chars().count());
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let col = match *last {
            (at, col) if start <= at && at <= offset => col + chars(at),
            _ => chars(start),
        };
        *last = (offset, col);
        (line, col + 1)
    }

    /// Whether the line holding `offset` (a character boundary) is short enough to show.
    fn shows_line_of(&self, offset: usize) -> bool {
        let (start, end) = (self.lines).bounds(self.lines.line_of(offset), self.text.len());
        end - start <= LONGEST_SHOWN
            || (self.text.get(start..end)).is_some_and(|l| l.chars().nth(LONGEST_SHOWN).is_none())
    }
}

/// What miette reads around a span, read from a few lines around it: the lines from a break
/// before the context to one after it give what the whole text gives, once the lines and
/// offsets before them are added back.
impl SourceCode for SourceText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let line_of = |at: usize| self.breaks.partition_point(|&start| start <= at) - 1;
        let first = line_of(span.offset());
        let last = line_of(span.offset() + span.len());
        let from_line = first.saturating_sub(context_lines_before + 1);
        let from = self.breaks[from_line];
        let to =
            (self.breaks.get(last + context_lines_after + 2)).map_or(self.text.len(), |&to| to);
        let window = self.text.as_bytes().get(from..to).unwrap_or_default();
        let within = SourceSpan::new((span.offset().saturating_sub(from)).into(), span.len());
        let inner = window.read_span(&within, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            inner.line() + from_line,
            inner.column(),
            inner.line_count() + from_line,
        )))
    }
}

impl Loc {
    /// A whole file: a problem with no place in it (the file missing or unreadable).
    pub fn file(file: impl Into<String>) -> Loc {
        Loc {
            file: file.into(),
            line: 0,
            col: 0,
            snippet: None,
        }
    }

    /// The place `span` (in bytes) of `text`, the contents of `file`. A place on a line too
    /// long to show ([`LONGEST_SHOWN`]) is named by its line and column alone.
    pub(crate) fn span(file: String, text: &Arc<SourceText>, span: Range<usize>) -> Loc {
        let start = char_floor(&text.text, span.start);
        let end = char_floor(&text.text, span.end).max(start);
        let (line, col) = text.line_col(start);
        let shown = [start, end].iter().all(|&at| text.shows_line_of(at));
        let snippet = shown.then(|| {
            Box::new(Snippet {
                source: NamedSource::new(format!("{file}:{line}:{col}"), Arc::clone(text)),
                span: (start..end).into(),
            })
        });
        Loc {
            file,
            line,
            col,
            snippet,
        }
    }

    /// The same place with a problem of its own: the errors about a commitment point at its id.
    pub fn error(&self, kind: RuleErrorKind) -> RuleError {
        RuleError {
            loc: self.clone(),
            kind,
        }
    }
}

/// The longest line, in characters, whose text a diagnostic shows. miette cannot underline a
/// column past 65,535 (it panics), and no one reads a line of thousands of characters.
const LONGEST_SHOWN: usize = 1_000;

/// `offset` within `text`, moved back to the start of the character it falls in.
fn char_floor(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.col)
        }
    }
}

/// Places are the same, and sorted, by file, line and column: the span and text only show them.
impl PartialEq for Loc {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Loc {}

impl PartialOrd for Loc {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Loc {
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.file, self.line, self.col).cmp(&(&other.file, other.line, other.col))
    }
}

/// One problem found in a rules directory, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub loc: Loc,
    pub kind: RuleErrorKind,
}

/// The message line of the diagnostic: the snippet names the place when there is one, else the
/// file goes before the message.
impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.loc.snippet {
            Some(_) => write!(f, "{}", self.kind),
            None => write!(f, "{}: {}", self.loc, self.kind),
        }
    }
}

impl std::error::Error for RuleError {}

impl Diagnostic for RuleError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.kind
            .help()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.loc
            .snippet
            .as_ref()
            .map(|s| &s.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let snippet = self.loc.snippet.as_ref()?;
        let label = self.kind.get_message().map(str::to_string);
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(label, snippet.span),
        )))
    }
}

#[derive(
    Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr, strum::EnumMessage,
)]
#[strum(serialize_all = "kebab-case")]
pub enum RuleErrorKind {
    #[error("cannot read `{0}`: {1}")]
    #[strum(message = "cannot be read")]
    Unreadable(String, String),
    #[error("required file `{0}` is missing")]
    #[strum(message = "no such file in the rules directory")]
    MissingFile(String),
    #[error("{0}")]
    #[strum(message = "here")]
    Toml(String),
    #[error("duplicate commitment id `{id}` (first defined at {first})")]
    #[strum(message = "defined again here")]
    DuplicateId { id: String, first: Loc },
    #[error("duplicate party code `{0}`")]
    #[strum(message = "listed again here")]
    DuplicateParty(String),
    #[error("{count} {what}: a catalogue holds at most 65,535")]
    #[strum(message = "one too many")]
    TooMany { what: &'static str, count: usize },
    #[error("commitment `{id}` depends on unknown commitment `{dep}`")]
    #[strum(message = "depends on a commitment that does not exist")]
    UnknownDependency {
        id: String,
        dep: String,
        suggestion: Option<String>,
    },
    #[error("commitment `{0}` depends on itself")]
    #[strum(message = "names the commitment itself")]
    SelfDependency(String),
    #[error("dependency cycle: {0}")]
    #[strum(message = "on the cycle")]
    Cycle(String),
    #[error("`why` names `{dep}`, which is not a prerequisite of `{id}`")]
    #[strum(message = "not in `depends_on`")]
    WhyWithoutDependency { id: String, dep: String },
    #[error("prerequisite `{dep}` of `{id}` has no `why`")]
    #[strum(message = "no `why` for this prerequisite")]
    DependencyWithoutWhy { id: String, dep: String },
    #[error("unknown kind `{name}`")]
    #[strum(message = "not in vocabulary.toml")]
    UnknownKind {
        name: String,
        suggestion: Option<String>,
    },
    #[error("unknown subject `{name}`")]
    #[strum(message = "not in vocabulary.toml")]
    UnknownSubject {
        name: String,
        suggestion: Option<String>,
    },
    #[error("exemption names unknown party `{name}`")]
    #[strum(message = "not in parties.toml")]
    UnknownExemptionParty {
        name: String,
        suggestion: Option<String>,
    },
    #[error("exemption names unknown commitment `{name}`")]
    #[strum(message = "no such commitment")]
    UnknownExemptionCommitment {
        name: String,
        suggestion: Option<String>,
    },
    #[error("quote of `{id}` does not occur in the source text")]
    #[strum(message = "its quote is not in the source text")]
    QuoteNotInSource { id: String, nearest: Option<String> },
    #[error("quote of `{id}` occurs {times} times in the source text")]
    #[strum(message = "its quote occurs more than once")]
    QuoteAmbiguous { id: String, times: usize },
    #[error("uncovered sentence does not occur in the source text")]
    #[strum(message = "not in the source text")]
    UncoveredNotInSource,
    #[error("`{0}` is not a plain date (YYYY-MM-DD)")]
    #[strum(message = "not a plain date")]
    InvalidDate(String),
    #[error("`min` must be at least 1, found {0}")]
    #[strum(message = "must be at least 1")]
    MinTooSmall(i64),
    #[error("`min_parties` must be at least 1, found {0}")]
    #[strum(message = "must be at least 1")]
    MinPartiesTooSmall(i64),
    #[error("`kinds` is empty")]
    #[strum(message = "no kinds")]
    EmptyKinds,
    #[error("commitment `{0}` has more than one of `evidence`, `trend`, `restraint`, `status`")]
    #[strum(message = "more than one test")]
    SeveralTests(String),
    #[error("commitment `{0}` has none of `evidence`, `trend`, `restraint`, `status`")]
    #[strum(message = "no test")]
    NoTest(String),
    #[error("`binds_if` on collective commitment `{0}`")]
    #[strum(message = "on a collective commitment")]
    BindsIfOnCollective(String),
    #[error("`binds_if` of `{0}` needs exactly one of `status` or `establish`")]
    #[strum(message = "neither `status` nor `establish` alone")]
    BindsIfShape(String),
    #[error("`binds_if` of `{id}` names unknown commitment `{name}`")]
    #[strum(message = "its `binds_if` names a commitment that does not exist")]
    BindsIfUnknown {
        id: String,
        name: String,
        suggestion: Option<String>,
    },
    #[error("`binds_if` of `{id}` names `{name}`, which has no `status` test")]
    #[strum(message = "its `binds_if` names a commitment without a status test")]
    BindsIfNotStatus { id: String, name: String },
    #[error("`due_after_joining` of `{id}` is `{text}`, not a period")]
    #[strum(message = "not a period")]
    BadGrace { id: String, text: String },
    #[error("`due_after_joining` on collective commitment `{0}`")]
    #[strum(message = "on a collective commitment")]
    GraceOnCollective(String),
    #[error("`sco_body` on each-member commitment `{0}`")]
    #[strum(message = "on an each-member commitment")]
    ScoBodyOnEachMember(String),
    #[error("an `any` group of `{0}` names fewer than two commitments")]
    #[strum(message = "fewer than two commitments")]
    SmallAnyGroup(String),
    #[error("`min_parties` on each-member commitment `{0}`")]
    #[strum(message = "on an each-member commitment")]
    MinPartiesOnEachMember(String),
    #[error("`binds` on collective commitment `{0}`")]
    #[strum(message = "on a collective commitment")]
    BindsOnCollective(String),
    #[error("`binds` of `{0}` is empty")]
    #[strum(message = "empty")]
    EmptyBinds(String),
    #[error("role ends ({until}) before it starts ({from})")]
    #[strum(message = "ends before it starts")]
    RoleEndsBeforeStart { from: String, until: String },
    #[error("roles of `{party}` overlap: {first} and {second}")]
    #[strum(message = "overlaps the role before it")]
    OverlappingRoles {
        party: String,
        first: String,
        second: String,
    },
    #[error("strategy ends ({end}) before it starts ({start})")]
    #[strum(message = "before `start`")]
    StrategyEndsBeforeStart { start: String, end: String },
    #[error("exemption ends ({until}) before it starts ({from})")]
    #[strum(message = "ends before it starts")]
    ExemptionEndsBeforeStart { from: String, until: String },
    #[error("party `{0}` has no roles")]
    #[strum(message = "no roles")]
    NoRoles(String),
    #[error("there is no party `SCO` with role `organization` to hold collective verdicts")]
    #[strum(message = "no organisation")]
    NoOrganization,
    #[error("chapter id `{id}` is used by two files (first: {first})")]
    #[strum(message = "id used again")]
    DuplicateChapter { id: String, first: String },
}

impl RuleErrorKind {
    /// The sentence that tells the analyst what to do about it.
    pub fn help(&self) -> Option<String> {
        use RuleErrorKind::*;
        let did_you_mean = |s: &Option<String>| s.as_ref().map(|s| format!("did you mean `{s}`?"));
        match self {
            UnknownDependency { suggestion, .. }
            | BindsIfUnknown { suggestion, .. }
            | UnknownKind { suggestion, .. }
            | UnknownSubject { suggestion, .. }
            | UnknownExemptionParty { suggestion, .. }
            | UnknownExemptionCommitment { suggestion, .. } => did_you_mean(suggestion).or_else(|| match self {
                UnknownKind { .. } | UnknownSubject { .. } => {
                    Some("add it to vocabulary.toml with a one-line meaning".into())
                }
                _ => None,
            }),
            QuoteNotInSource { nearest, .. } => Some(match nearest {
                Some(n) => format!("the closest passage of the source reads: \"{n}\""),
                None => "copy the sentence from the source text; only white space may differ".into(),
            }),
            DuplicateId { .. } => Some("give each commitment its own id".into()),
            QuoteAmbiguous { .. } => Some("quote enough of the sentence to say which place is meant".into()),
            SelfDependency(_) => Some("remove it from `depends_on`".into()),
            Cycle(_) => Some("a prerequisite must come before its dependants: remove one edge of the cycle".into()),
            WhyWithoutDependency { .. } => Some("add it to `depends_on`, or remove it from `why`".into()),
            DependencyWithoutWhy { dep, .. } => Some(format!("add `why = {{ \"{dep}\" = \"...\" }}` saying why it must come first")),
            InvalidDate(_) => Some("write a bare date such as 2025-12-31".into()),
            MinTooSmall(_) | MinPartiesTooSmall(_) => Some("leave it out for the default of 1".into()),
            EmptyKinds => Some("name at least one kind from vocabulary.toml".into()),
            SeveralTests(_) | NoTest(_) => Some("a commitment is judged by exactly one of `evidence`, `trend`, `restraint` or `status`".into()),
            BindsIfOnCollective(_) => Some("a collective commitment binds the organisation; remove `binds_if`".into()),
            BindsIfShape(_) => Some("write `binds_if = { status = \"ID\" }` or `binds_if = { establish = { kinds = [...] } }`".into()),
            BindsIfNotStatus { .. } => Some("name a commitment judged by `status = { establish = ... }`".into()),
            BadGrace { .. } => Some("write years, months and days such as \"2y\", \"18m\", \"1y6m\" or \"90d\"".into()),
            GraceOnCollective(_) => Some("a grace period runs from a state's accession; collective commitments have none".into()),
            ScoBodyOnEachMember(_) => Some("`sco_body` says the organisation acts; it belongs on collective commitments".into()),
            SmallAnyGroup(_) => Some("list two or more alternatives in `any`, or write the id alone".into()),
            MinPartiesOnEachMember(_) => Some("`min_parties` counts distinct states for a collective commitment; use `min` here".into()),
            BindsOnCollective(_) => Some("a collective commitment binds the organisation; remove `binds`".into()),
            RoleEndsBeforeStart { .. } | ExemptionEndsBeforeStart { .. } => Some("`until` is the last day it held; it cannot come before `from`".into()),
            StrategyEndsBeforeStart { .. } => Some("`end` is the strategy's last day; check the two dates".into()),
            DuplicateParty(_) => Some("each party appears once, with all its roles in one `roles` list".into()),
            TooMany { .. } => Some("split the rules into catalogues with fewer; parties, kinds and subjects are each numbered in 16 bits".into()),
            DuplicateChapter { .. } => Some("give each chapter file its own `id`".into()),
            NoRoles(_) => Some("add `roles = [{ role = \"member\", from = YYYY-MM-DD }]`".into()),
            EmptyBinds(_) => Some("leave `binds` out for the default `[\"member\"]`".into()),
            UncoveredNotInSource => Some("copy the sentence from the source text; only white space may differ".into()),
            Unreadable(..) => Some("check that the path exists and is readable".into()),
            OverlappingRoles { .. } => Some("end the earlier role the day before the next one starts".into()),
            NoOrganization => Some("add `[[party]] code = \"SCO\"` with `roles = [{ role = \"organization\", from = ... }]`".into()),
            MissingFile(f) if f.starts_with("source/") || !f.ends_with(".toml") => Some("`source` is relative to the rules directory".into()),
            MissingFile(f) if f.ends_with("strategy.toml") => Some("a rules directory holds strategy.toml, parties.toml, vocabulary.toml and chapters/".into()),
            _ => None,
        }
    }
}

/// All the problems found in a rules directory: loading reports every one, not the first.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} problem(s) in the rules", errors.len())]
pub struct RuleErrors {
    pub errors: Vec<RuleError>,
}

impl RuleErrors {
    /// Every problem, one diagnostic each: what, where, and what to do.
    pub fn render(&self) -> String {
        render(&self.errors, self)
    }
}

/// The problems of an exemptions file given apart from the rules (`--exemptions`): checked as
/// the rules' own exemptions are, but it is that file, not the rules, the officer must mend.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} problem(s) in the exemptions file {file}", errors.len())]
pub struct ExemptionErrors {
    pub file: String,
    pub errors: Vec<RuleError>,
}

impl ExemptionErrors {
    pub fn render(&self) -> String {
        render(&self.errors, self)
    }
}

/// One diagnostic per problem, a blank line after each, then the count line `total` displays.
/// The theme has no colour and the width is fixed, so the text is the same on every terminal
/// and in every pipe.
fn render(errors: &[RuleError], total: &dyn fmt::Display) -> String {
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_links(false)
        .without_primary_span_start()
        .with_break_words(false)
        .without_syntax_highlighting();
    let mut out = String::new();
    for e in errors {
        let mut one = String::new();
        match handler.render_report(&mut one, e) {
            Ok(()) => out.push_str(&one),
            Err(_) => out.push_str(&format!("error: {}: {}\n", e.loc, e.kind)),
        }
        out.push('\n');
    }
    out.push_str(&format!("{total}\n"));
    out
}

impl RuleErrorKind {
    /// A stable name for the kind of problem (`unknown-kind`, `cycle`): the rule id that SARIF
    /// and the JSON findings carry.
    pub fn code(&self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(text: &str, span: Range<usize>) -> String {
        let text = Arc::new(SourceText::new(text));
        let e = Loc::span("rules/x.toml".into(), &text, span).error(RuleErrorKind::EmptyKinds);
        render(&[e], &"1 problem(s) in the rules")
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\ntitle = \"Ünïcode\" x\n";
        let loc = Loc::span("f.toml".into(), &Arc::new(SourceText::new(text)), 26..27);
        assert_eq!((loc.line, loc.col), (2, 19));
        assert!(rendered(text, 26..27).contains("[rules/x.toml:2:19]"));
    }

    #[test]
    fn a_place_on_a_line_too_long_to_show_is_named_by_line_and_column() {
        let long = format!("a = 1\nk = \"{}\" x\n", "A".repeat(70_000));
        let at = long.len() - 2;
        let out = rendered(&long, at..at + 1);
        assert!(
            out.contains("rules/x.toml:2:70008: `kinds` is empty"),
            "{out}"
        );
        assert!(!out.contains("AAAA"), "{out}");
        let short = rendered("a = 1\nk = \"AAA\" x\n", 16..17);
        assert!(short.contains("[rules/x.toml:2:11]"), "{short}");
        assert!(short.contains("AAA"), "{short}");
    }

    proptest::proptest! {
        /// What miette reads around a span from a few lines is what it reads from the whole
        /// text, whatever the line ends.
        #[test]
        fn a_span_reads_the_same_from_its_lines_as_from_the_whole_text(
            text in "[ab\\r\\n]{0,60}",
            at in 0usize..64,
            len in 0usize..8,
            before in 0usize..4,
            after in 0usize..4,
        ) {
            let start = at.min(text.len());
            let span = SourceSpan::new(start.into(), len.min(text.len() - start));
            let whole = text.as_str().read_span(&span, before, after);
            let indexed = SourceText::new(&text);
            let both = (whole, indexed.read_span(&span, before, after));
            match both {
                (Ok(w), Ok(l)) => {
                    proptest::prop_assert_eq!(w.data(), l.data());
                    proptest::prop_assert_eq!(w.span(), l.span());
                    proptest::prop_assert_eq!(
                        (w.line(), w.column(), w.line_count()),
                        (l.line(), l.column(), l.line_count())
                    );
                }
                (w, l) => proptest::prop_assert_eq!(w.is_ok(), l.is_ok()),
            }
        }

        /// Lines and columns found by a search, each counted on from the place before where
        /// it can be, are the ones a count from the start gives, whatever the places' order.
        #[test]
        fn lines_and_columns_are_counted_from_the_start(
            text in "[aé\\r\\n]{0,40}",
            places in proptest::collection::vec(0usize..80, 1..8),
        ) {
            let indexed = SourceText::new(&text);
            for at in places {
                let mut offset = at.min(text.len());
                while !text.is_char_boundary(offset) {
                    offset -= 1;
                }
                let upto = &text[..offset];
                let counted = (
                    upto.matches('\n').count() + 1,
                    upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                );
                proptest::prop_assert_eq!(indexed.line_col(offset), counted);
            }
        }
    }

    #[test]
    fn odd_spans_render_without_panic() {
        for (text, span) in [
            ("", 0..0),
            ("[chapter", 8..8),
            ("[chapter", 3..400),
            ("a = \"é\"\r\nb = 1\r\n", 6..7),
            ("\tkinds = []\n", 1..11),
        ] {
            let out = rendered(text, span);
            assert!(out.contains("× `kinds` is empty"), "{out}");
        }
    }
}
