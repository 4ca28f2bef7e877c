//! One row checked against the catalogue's parties, vocabulary and period.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Mutex;

use chrono::NaiveDate;
use smallvec::SmallVec;

use super::columns::Columns;
use super::record::Record;
use super::reject::{Reject, RejectCode as C, Warning, WarningCode as W};
use super::Activity;
use crate::catalogue::Catalogue;
use crate::suggest::nearest;
use rustc_hash::FxBuildHasher as FastHash;

/// Checks rows; built once per run, it holds the look-up tables for party, kind and subject.
pub struct Validator<'c> {
    catalogue: &'c Catalogue,
    parties: HashMap<&'c str, u16, FastHash>,
    kinds: HashMap<&'c str, u16, FastHash>,
    subjects: HashMap<&'c str, u16, FastHash>,
    window_end: NaiveDate,
    indicator: Option<u16>,
    /// By kind: whether a standing status reads it, so that an event before the window counts.
    standing_kinds: Vec<bool>,
    /// "Did you mean" answers already given, by (field, input): files repeat their typos, and
    /// an edit-distance search over the whole vocabulary costs more than the rest of the row.
    hints: Mutex<Hints>,
}

/// Remembered hints by (field, input).
type Hints = HashMap<(HintField, Box<str>), Option<String>, FastHash>;

/// The field a remembered hint was asked for: the same typo means another thing in another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum HintField {
    Party,
    Kind,
    Subject,
    Partner,
    Target,
}

/// Past this many remembered hints, new ones are computed each time (memory stays bounded).
const MAX_HINTS: usize = 4096;

type Outcome = Result<(Checked, Notes), Reject>;

/// The warnings of one row, as data.
pub(crate) type Notes = SmallVec<[Note; 2]>;

impl<'c> Validator<'c> {
    pub fn new(catalogue: &'c Catalogue, as_of: NaiveDate) -> Self {
        let parties = catalogue
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.code.as_str(), i as u16))
            .collect();
        // The vocabulary's own maps use the default (SipHash) hasher; these are built once per
        // run with a cheaper one, since every row looks up a kind and usually a subject.
        let index = |m: &'c BTreeMap<String, String>| {
            m.keys()
                .enumerate()
                .map(|(i, k)| (k.as_str(), i as u16))
                .collect()
        };
        Validator {
            catalogue,
            parties,
            kinds: index(&catalogue.vocabulary.kinds),
            subjects: index(&catalogue.vocabulary.subjects),
            window_end: as_of.min(catalogue.strategy.end),
            indicator: catalogue.vocabulary.kind("indicator"),
            standing_kinds: standing_kinds(catalogue),
            hints: Mutex::default(),
        }
    }

    /// "did you mean `nearest`?" for `input` in `field`, computed once per distinct input.
    fn did_you_mean(
        &self,
        field: HintField,
        input: &str,
        nearest: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        let key = (field, Box::<str>::from(input));
        let hints = || {
            self.hints
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        };
        if let Some(hit) = hints().get(&key) {
            return hit.clone();
        }
        let hint = nearest().map(|s| format!("did you mean {s}?"));
        let mut hints = hints();
        if hints.len() < MAX_HINTS {
            hints.insert(key, hint.clone());
        }
        hint
    }

    pub fn catalogue(&self) -> &'c Catalogue {
        self.catalogue
    }

    /// Every check a row goes through, in the order its rejects take precedence.
    fn check(&self, record: &Record, cols: &Columns, line: u64) -> Outcome {
        check_not_blank(record, line)?;
        check_width(record, cols, line)?;
        let text = if record.is_plain_ascii() {
            // Text with no line break in it: neither check can fail, and the bytes after the
            // last field read (a long row's free text) are never touched on this thread.
            std::str::from_utf8(bytes_read(record, cols)).ok()
        } else {
            let text = check_encoding(record, line)?;
            check_no_swallowed_rows(record, cols, line)?;
            text
        };
        let mut notes = Notes::new();
        let fields = read_fields(record, text, cols, &mut notes);
        check_required(&fields, cols, line)?;
        let date = check_date(fields.date, cols, line)?;
        let party = self.check_party(fields.party, cols, line)?;
        let kind = self.check_kind(fields.kind, cols, line)?;
        let subject = self.check_subject(fields.subject, cols, line)?;
        let partners = self.party_list(
            fields.partners,
            cols.partners,
            &PARTNERS,
            fields.party,
            &[],
            line,
        )?;
        note_spaced_lists(&fields, cols, &mut notes);
        self.party_list(
            fields.targets,
            cols.targets,
            &TARGETS,
            fields.party,
            &partners,
            line,
        )?;
        let value = self.check_value(fields.value, kind, cols, line)?;
        notes.extend(self.window_note(date, party, kind));
        let start =
            (fields.id.as_ptr() as usize).saturating_sub(record.as_slice().as_ptr() as usize);
        Ok((
            Checked {
                id: narrow(start)..narrow(start + fields.id.len()),
                date,
                party,
                kind,
                subject,
                partners,
                value,
            },
            notes,
        ))
    }

    /// The party must be one of the catalogue's.
    fn check_party(&self, party: &str, cols: &Columns, line: u64) -> Result<u16, Reject> {
        if let Some(&ix) = self.parties.get(party) {
            return Ok(ix);
        }
        let hint = self.nearest_party(HintField::Party, party);
        Err(reject(
            line,
            Some(cols.party + 1),
            C::UnknownParty,
            format!("unknown party \"{party}\""),
            hint.unwrap_or_else(|| {
                "parties are ISO 3166-1 alpha-3 codes from parties.toml, or SCO".into()
            }),
        ))
    }

    /// The kind must be one of the vocabulary's.
    fn check_kind(&self, kind: &str, cols: &Columns, line: u64) -> Result<u16, Reject> {
        let words = &self.catalogue.vocabulary.kinds;
        self.check_word(&KINDS, &self.kinds, words, kind, Some(cols.kind + 1), line)
    }

    /// A subject, when given, must be one of the vocabulary's.
    fn check_subject(
        &self,
        subject: Option<&str>,
        cols: &Columns,
        line: u64,
    ) -> Result<Option<u16>, Reject> {
        let Some(subject) = subject else {
            return Ok(None);
        };
        let words = &self.catalogue.vocabulary.subjects;
        let column = cols.subject.map(|c| c + 1);
        self.check_word(&SUBJECTS, &self.subjects, words, subject, column, line)
            .map(Some)
    }

    /// `word` must be one of `words` (indexed by `index`); if not, the nearest is offered.
    fn check_word(
        &self,
        list: &WordList,
        index: &HashMap<&str, u16, FastHash>,
        words: &BTreeMap<String, String>,
        word: &str,
        column: Option<usize>,
        line: u64,
    ) -> Result<u16, Reject> {
        if let Some(&ix) = index.get(word) {
            return Ok(ix);
        }
        let hint = self.did_you_mean(list.field, word, || {
            nearest(word, words.keys().map(String::as_str))
        });
        let noun = list.noun;
        Err(reject(
            line,
            column,
            list.unknown,
            format!("unknown {noun} \"{word}\""),
            hint.unwrap_or_else(|| format!("`concord vocabulary` lists the {noun}s")),
        ))
    }

    /// An indicator row needs a value; any value must be a finite number.
    fn check_value(
        &self,
        value: Option<&str>,
        kind: u16,
        cols: &Columns,
        line: u64,
    ) -> Result<Option<f64>, Reject> {
        let column = cols.value.map(|c| c + 1);
        let Some(v) = value else {
            if Some(kind) == self.indicator {
                return Err(reject(
                    line,
                    column,
                    C::MissingValue,
                    "an indicator row has no value".into(),
                    "put the measured number in the `value` column".into(),
                ));
            }
            return Ok(None);
        };
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            Ok(_) => Err(reject(
                line,
                column,
                C::NonFiniteValue,
                format!("value `{v}` is not finite"),
                "give a plain number".into(),
            )),
            Err(_) => Err(reject(
                line,
                column,
                C::BadValue,
                format!("value `{v}` is not a number"),
                number_hint(v),
            )),
        }
    }

    /// A row outside the window, or of a party that held no role on its date, counts towards
    /// nothing; a standing kind counts before the window too, whatever the party's role.
    fn window_note(&self, date: NaiveDate, party: u16, kind: u16) -> Option<Note> {
        let cat = self.catalogue;
        let standing = self
            .standing_kinds
            .get(kind as usize)
            .copied()
            .unwrap_or(false);
        if (date < cat.strategy.start && !standing) || date > self.window_end {
            Some(Note::OutsideWindow { date })
        } else if !standing && cat.parties[party as usize].role_at(date).is_none() {
            Some(Note::NoRole { party, date })
        } else {
            None
        }
    }
}

/// A reject of row `line`; `column` counts from 1. Out of line, as rejects are rare.
#[cold]
fn reject(line: u64, column: Option<usize>, code: C, message: String, hint: String) -> Reject {
    Reject {
        line,
        column,
        code,
        message,
        hint: Some(hint),
    }
}

/// A blank row is a slip, not data.
fn check_not_blank(record: &Record, line: u64) -> Result<(), Reject> {
    if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
        return Err(reject(
            line,
            None,
            C::BlankRow,
            "the row is blank".into(),
            "delete the row: every field is empty".into(),
        ));
    }
    Ok(())
}

/// A row has one field per column of the header.
fn check_width(record: &Record, cols: &Columns, line: u64) -> Result<(), Reject> {
    if record.len() == cols.width {
        return Ok(());
    }
    let count = |n: usize| format!("{n} field{}", if n == 1 { "" } else { "s" });
    let msg = format!(
        "the row has {} but the header has {}",
        count(record.len()),
        count(cols.width)
    );
    let extra = record.len() > cols.width;
    // A field that spans lines in a row of the wrong width is an unclosed quote that
    // swallowed the lines after it: say so, they are in this row, not lost.
    let span = Span::of(record, line);
    if span.last > line {
        return Err(reject(
            line,
            None,
            if extra { C::ExtraCell } else { C::MissingCell },
            format!(
                "{msg}: a quoted field runs from line {line} to line {}",
                span.last
            ),
            span.hint,
        ));
    }
    if extra {
        return Err(reject(
            line,
            Some(cols.width + 1),
            C::ExtraCell,
            msg,
            "a value with a comma in it must be in double quotes".into(),
        ));
    }
    Err(reject(
        line,
        Some(record.len() + 1),
        C::MissingCell,
        msg,
        "add the missing fields, empty ones too, so that every row has one per column".into(),
    ))
}

/// The bytes of `record` that its checks read: of a row cut in place and all ASCII, those up
/// to the end of the last field read; of any other, the whole row.
pub(crate) fn bytes_read<'r>(record: &'r Record, cols: &Columns) -> &'r [u8] {
    let row = record.as_slice();
    if !record.is_plain_ascii() {
        return row;
    }
    let end = record.range(cols.last_read()).map_or(row.len(), |r| r.end);
    row.get(..end).unwrap_or(row)
}

/// Every field must be UTF-8, even the ones concord ignores; none is kept, so that a row
/// costs no allocation here. The row is checked in one piece; fields are checked one by
/// one only to say which is wrong (or where a character straddles two fields). Returns the
/// row's text, which the fields are read from.
fn check_encoding(record: &Record, line: u64) -> Result<Option<&str>, Reject> {
    let text = std::str::from_utf8(record.as_slice())
        .ok()
        .filter(|t| record.starts().all(|start| t.is_char_boundary(start)));
    if text.is_some() {
        return Ok(text);
    }
    for (i, f) in record.iter().enumerate() {
        if let Err(e) = std::str::from_utf8(f) {
            let byte = record.position().map_or(0, |p| p.byte())
                + field_offset(record, i)
                + e.valid_up_to() as u64
                + f[..e.valid_up_to()].iter().filter(|&&b| b == b'"').count() as u64;
            return Err(reject(
                line,
                Some(i + 1),
                C::EncodingError,
                format!(
                    "field {} is not valid UTF-8: bad byte at offset {byte} of the file",
                    i + 1
                ),
                "save the file as UTF-8: \"CSV UTF-8\" in spreadsheet programs".into(),
            ));
        }
    }
    Ok(None)
}

/// A row of the right width must not hold rows of its own in a value (see [`swallowed`]).
fn check_no_swallowed_rows(record: &Record, cols: &Columns, line: u64) -> Result<(), Reject> {
    if memchr::memchr2(b'\n', b'\r', record.as_slice()).is_some() {
        if let Some(r) = swallowed(record, cols, line) {
            return Err(r);
        }
    }
    Ok(())
}

/// The fields concord reads, trimmed; an empty optional field is none.
struct Fields<'r> {
    id: &'r str,
    date: &'r str,
    party: &'r str,
    kind: &'r str,
    subject: Option<&'r str>,
    partners: &'r str,
    targets: &'r str,
    value: Option<&'r str>,
}

/// The fields of a row, each trimmed with a note when it had white space around it.
fn read_fields<'r>(
    record: &'r Record,
    text: Option<&'r str>,
    cols: &Columns,
    notes: &mut Notes,
) -> Fields<'r> {
    let text = text.unwrap_or("");
    let mut get = |ix: usize| -> &'r str {
        let raw = record.range(ix).and_then(|r| text.get(r)).unwrap_or("");
        let trimmed = trim(raw);
        if trimmed.len() != raw.len() {
            note_white_space(notes, ix);
        }
        trimmed
    };
    // The columns [`Columns::read`] names, and no other: a plain ASCII row's text is only
    // known to reach the last of them.
    let [id, date, party, kind, subject, partners, targets, value] = cols.read();
    let mut required = |c: Option<usize>| c.map_or("", &mut get);
    let (id, date, party, kind) = (
        required(id),
        required(date),
        required(party),
        required(kind),
    );
    let subject = subject.map(&mut get).filter(|s| !s.is_empty());
    let partners = partners.map(&mut get).unwrap_or("");
    let value = value.map(&mut get).filter(|s| !s.is_empty());
    let targets = targets.map(&mut get).unwrap_or("");
    Fields {
        id,
        date,
        party,
        kind,
        subject,
        partners,
        targets,
        value,
    }
}

/// A note that a field had white space around it; out of line, as that is rare.
#[cold]
fn note_white_space(notes: &mut Notes, column: usize) {
    notes.push(Note::WhiteSpace {
        column: narrow(column),
    });
}

/// `id`, `date`, `party` and `kind` must not be empty.
fn check_required(fields: &Fields, cols: &Columns, line: u64) -> Result<(), Reject> {
    for (name, v, col) in [
        ("id", fields.id, cols.id),
        ("date", fields.date, cols.date),
        ("party", fields.party, cols.party),
        ("kind", fields.kind, cols.kind),
    ] {
        if v.is_empty() {
            return Err(reject(
                line,
                Some(col + 1),
                C::RequiredField,
                format!("`{name}` is empty"),
                format!("every row needs {}", super::REQUIRED.join(", ")),
            ));
        }
    }
    Ok(())
}

/// The date must be a strict `YYYY-MM-DD`.
fn check_date(date: &str, cols: &Columns, line: u64) -> Result<NaiveDate, Reject> {
    parse_date(date).ok_or_else(|| {
        reject(
            line,
            Some(cols.date + 1),
            C::BadDate,
            format!("`{date}` is not a date"),
            date_hint(date),
        )
    })
}

/// `CHN; RUS` is read as CHN and RUS; the spaces are trimmed like any other, with a word.
/// A cell of visible ASCII only (most are) has no white space to look for.
fn note_spaced_lists(fields: &Fields, cols: &Columns, notes: &mut Notes) {
    let spaced = |cell: &str| {
        !cell.bytes().all(|b| b.is_ascii_graphic()) && cell.split(';').any(|p| p.trim() != p)
    };
    for (cell, column) in [
        (fields.partners, cols.partners),
        (fields.targets, cols.targets),
    ] {
        if let Some(column) = column.filter(|_| spaced(cell)) {
            note_white_space(notes, column);
        }
    }
}

/// The kinds a `status` test or a `binds_if` condition reads: their events count whenever they
/// happened, before the strategy's window too.
fn standing_kinds(catalogue: &Catalogue) -> Vec<bool> {
    let v = &catalogue.vocabulary;
    let mut out = vec![false; v.kinds.len()];
    let standings = catalogue.commitments.iter().flat_map(|c| {
        let own = match &c.test {
            crate::catalogue::Test::Status(s) => Some(s),
            _ => None,
        };
        own.into_iter()
            .chain(c.binds_if.as_ref().map(|b| &b.standing))
    });
    for s in standings {
        for sel in std::iter::once(&s.establish).chain(s.revoke.as_ref()) {
            for k in sel.kinds.iter().filter_map(|k| v.kind(k)) {
                out[k as usize] = true;
            }
        }
    }
    out
}

/// `str::trim`, without its Unicode tables for the usual field that starts and ends in a
/// visible ASCII character.
fn trim(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    if visible(s.as_bytes().first()) && visible(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// A checked row that owns its fields but the id, which it names by its place in the record:
/// it can cross threads with the record it came from.
#[derive(Debug)]
pub(crate) struct Checked {
    /// Kept narrow, as the whole outcome is, for it is moved between threads once a row.
    id: Range<u32>,
    date: NaiveDate,
    party: u16,
    kind: u16,
    subject: Option<u16>,
    partners: SmallVec<[u16; 6]>,
    value: Option<f64>,
}

/// Rejects are few and large: boxed, they do not widen every row's outcome.
pub(crate) type CheckedOutcome = Result<(Checked, Notes), Box<Reject>>;

// An outcome is written by one core and read by the other once a row: keep it narrow.
const _: () = assert!(std::mem::size_of::<CheckedOutcome>() <= 88);

/// A warning about an accepted row, kept as data until it is read: most are only counted, and
/// a row is often checked on another thread than the one that reads its warnings.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Note {
    /// The column's name is read from the file's columns when the warning is written: a note
    /// is moved between threads once a row, and a name would triple its size.
    WhiteSpace {
        column: u32,
    },
    OutsideWindow {
        date: NaiveDate,
    },
    NoRole {
        party: u16,
        date: NaiveDate,
    },
}

impl Note {
    pub(crate) fn code(&self) -> W {
        match self {
            Note::WhiteSpace { .. } => W::WhiteSpace,
            Note::OutsideWindow { .. } => W::OutsideWindow,
            Note::NoRole { .. } => W::NoRole,
        }
    }
}

/// How a field's words are checked against one of the vocabulary's lists, and explained.
struct WordList {
    /// The field its hints are remembered under.
    field: HintField,
    unknown: C,
    noun: &'static str,
}

const KINDS: WordList = WordList {
    field: HintField::Kind,
    unknown: C::UnknownKind,
    noun: "kind",
};

const SUBJECTS: WordList = WordList {
    field: HintField::Subject,
    unknown: C::UnknownSubject,
    noun: "subject",
};

/// How one `;`-separated list of party codes is checked and explained.
struct PartyList {
    /// The field its hints are remembered under.
    field: HintField,
    unknown: C,
    is_party: C,
    noun: &'static str,
    self_hint: &'static str,
}

const PARTNERS: PartyList = PartyList {
    field: HintField::Partner,
    unknown: C::UnknownPartner,
    is_party: C::PartnerIsParty,
    noun: "partner",
    self_hint: "list only the other parties that took part",
};

const TARGETS: PartyList = PartyList {
    field: HintField::Target,
    unknown: C::UnknownTarget,
    is_party: C::TargetIsParty,
    noun: "target",
    self_hint: "`party` is who acted; `targets` lists the parties acted against",
};

impl Validator<'_> {
    /// The parties of a `partners` or `targets` cell, sorted, each once; a party named both as
    /// partner (`taken`) and as target is a contradiction.
    fn party_list(
        &self,
        cell: &str,
        column: Option<usize>,
        list: &PartyList,
        party: &str,
        taken: &[u16],
        line: u64,
    ) -> Result<SmallVec<[u16; 6]>, Reject> {
        let reject = |code, message: String, hint: &str| Reject {
            line,
            column: column.map(|c| c + 1),
            code,
            message,
            hint: Some(hint.to_string()),
        };
        let noun = list.noun;
        let mut out = SmallVec::new();
        if cell.is_empty() {
            return Ok(out);
        }
        for p in cell.split(';').map(trim).filter(|p| !p.is_empty()) {
            if p == party {
                let msg = format!("{noun} \"{p}\" is the reporting party");
                return Err(reject(list.is_party, msg, list.self_hint));
            }
            match self.parties.get(p) {
                Some(ix) if taken.contains(ix) => {
                    let msg = format!("\"{p}\" is listed both as partner and as target");
                    let hint = "a partner acted with the reporting party; a target was acted against: keep one";
                    return Err(reject(C::TargetIsPartner, msg, hint));
                }
                Some(&ix) if !out.contains(&ix) => out.push(ix),
                Some(_) => {}
                None => {
                    let hint = self.list_hint(list, p);
                    return Err(reject(
                        list.unknown,
                        format!("unknown {noun} \"{p}\""),
                        &hint,
                    ));
                }
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    /// What an unknown code in a party list probably meant: several codes with the wrong
    /// separator, or the nearest party.
    fn list_hint(&self, list: &PartyList, code: &str) -> String {
        let noun = list.noun;
        let hint = self.nearest_party(list.field, code);
        if code.contains([',', ' ', '/']) {
            format!("separate {noun} codes with `;`")
        } else {
            hint.unwrap_or(format!(
                "{noun}s are party codes from parties.toml, separated by `;`"
            ))
        }
    }

    /// "did you mean" the party nearest to `code`, asked in `field`.
    fn nearest_party(&self, field: HintField, code: &str) -> Option<String> {
        let parties = &self.catalogue.parties;
        self.did_you_mean(field, code, || {
            nearest(code, parties.iter().map(|p| p.code.as_str()))
        })
    }

    /// The warning a note stands for, on row `line`.
    pub(crate) fn warning(&self, note: Note, line: u64, cols: &Columns) -> Warning {
        let cat = self.catalogue;
        let (column, message, hint) = match note {
            Note::WhiteSpace { column } => (
                column as usize,
                format!(
                    "`{}` has leading or trailing white space",
                    cols.name_of(column as usize)
                ),
                Some("it was trimmed".into()),
            ),
            Note::OutsideWindow { date } => (
                cols.date,
                format!(
                    "{date} is outside the window {} to {}: the row counts towards no verdict",
                    cat.strategy.start, self.window_end
                ),
                None,
            ),
            Note::NoRole { party, date } => (
                cols.party,
                format!(
                    "{} held no role on {date}: the row counts towards nothing",
                    cat.parties[party as usize].code
                ),
                None,
            ),
        };
        Warning {
            line,
            column: Some(column + 1),
            code: note.code(),
            message,
            hint,
        }
    }

    /// Check one row. The id stays where it is in the record, named by its place, so that
    /// the outcome can cross threads with the record it came from.
    pub(crate) fn check_owned(&self, record: &Record, cols: &Columns, line: u64) -> CheckedOutcome {
        self.check(record, cols, line)
            .map_err(|r| Box::new(readable(r, record)))
    }
}

impl Checked {
    /// The id's bytes, read back from the record it was checked on.
    pub(crate) fn id_bytes<'r>(&self, record: &'r Record) -> &'r [u8] {
        record
            .as_slice()
            .get(self.id.start as usize..self.id.end as usize)
            .unwrap_or_default()
    }

    /// The activity, its id read back from the record it was checked on.
    pub(crate) fn activity<'r>(&self, record: &'r Record) -> Activity<'r> {
        Activity {
            id: std::str::from_utf8(self.id_bytes(record)).unwrap_or_default(),
            date: self.date,
            party: self.party,
            kind: self.kind,
            subject: self.subject,
            partners: self.partners.clone(),
            value: self.value,
        }
    }
}

/// A place in a row (at most [`super::ingest::MAX_ROW_BYTES`] long) or a column's index.
fn narrow(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// Messages are one line each and of a size a person reads: line breaks in a quoted value are
/// shown as `\n`, and a value that ran over several lines is named as the unclosed quote it
/// almost always is.
fn readable(mut r: Reject, record: &Record) -> Reject {
    if !r.message.contains(['\n', '\r']) {
        return r;
    }
    r.message = r.message.replace('\r', "\\r").replace('\n', "\\n");
    const LIMIT: usize = 200;
    if r.message.len() > LIMIT {
        let mut cut = LIMIT;
        while !r.message.is_char_boundary(cut) {
            cut -= 1;
        }
        r.message.truncate(cut);
        r.message.push_str("...");
    }
    let span = Span::of(record, r.line);
    r.message = format!(
        "{}; the value runs from line {} to line {}",
        r.message, r.line, span.last
    );
    r.hint = Some(span.hint);
    r
}

/// The lines a row runs over when its quoted values hold line breaks, and the hint that names
/// the unclosed quote behind it almost every time.
struct Span {
    /// The row's last line.
    last: u64,
    hint: String,
}

impl Span {
    fn of(record: &Record, line: u64) -> Span {
        let breaks: usize = record
            .iter()
            .map(|f| f.iter().filter(|&&b| b == b'\n').count())
            .sum();
        Span {
            last: line + breaks as u64,
            hint: format!(
                "a `\"` on line {line} is probably not closed; the lines it swallowed are part of this row"
            ),
        }
    }
}

/// A value that runs over lines which look like rows of their own (as many commas as the
/// header has separators) is a `"` that was never closed, or closed rows later: the rows it
/// swallowed would vanish into this one's value. A row of the right width with such a value
/// is rejected, naming the lines, so that nothing is lost without a word.
fn swallowed(record: &Record, cols: &Columns, line: u64) -> Option<Reject> {
    let separators = cols.width.saturating_sub(1).max(2);
    let (ix, field) = record.iter().enumerate().find(|(_, f)| {
        split_lines(f)
            .skip(1)
            .any(|l| l.iter().filter(|&&b| b == b',').count() >= separators)
    })?;
    let before: u64 = record.iter().take(ix).map(line_breaks).sum();
    let first = line + before;
    // A value swallowed to the end of the file ends with that file's last line break.
    let body = field.strip_suffix(b"\n").unwrap_or(field);
    let last = first + line_breaks(body.strip_suffix(b"\r").unwrap_or(body));
    let rows = split_lines(field)
        .skip(1)
        .filter(|l| l.iter().filter(|&&b| b == b',').count() >= separators)
        .count();
    Some(Reject {
        line,
        column: Some(ix + 1),
        code: C::SwallowedRows,
        message: format!(
            "field {} runs from line {first} to line {last} and holds {rows} line{} that look{} like rows of their own",
            ix + 1,
            if rows == 1 { "" } else { "s" },
            if rows == 1 { "s" } else { "" },
        ),
        hint: Some(format!(
            "a `\"` on line {first} is probably not closed; close it where the value ends, and lines {} to {last} are read as rows again",
            first + 1
        )),
    })
}

/// The lines of a value, split at `\r\n`, `\n` or `\r`.
fn split_lines(field: &[u8]) -> impl Iterator<Item = &[u8]> {
    field
        .split(|&b| b == b'\n')
        .flat_map(|l| l.strip_suffix(b"\r").unwrap_or(l).split(|&b| b == b'\r'))
}

fn line_breaks(field: &[u8]) -> u64 {
    (split_lines(field).count() - 1) as u64
}

/// A strict `YYYY-MM-DD`: spreadsheets that write `1/7/2016` must not be guessed at.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// What a number from a spreadsheet probably meant: `1 234` and `1,234` are thousands, `1,5`
/// is a decimal comma (a comma followed by anything but exactly three digits).
fn number_hint(v: &str) -> String {
    let bare = v.replace([' ', '\u{a0}', '\u{202f}'], "");
    let decimal_comma = bare.matches(',').count() == 1
        && !bare.contains('.')
        && bare.rsplit(',').next().is_some_and(|tail| tail.len() != 3);
    let fixed = if decimal_comma {
        bare.replace(',', ".")
    } else {
        bare.replace(',', "")
    };
    match fixed.parse::<f64>() {
        Ok(x) if x.is_finite() && decimal_comma => {
            format!("use a point for decimals: {fixed}")
        }
        Ok(x) if x.is_finite() => format!("write numbers without separators: {fixed}"),
        _ => "give a plain number such as 1234.5".to_string(),
    }
}

fn date_hint(s: &str) -> String {
    if let Some(date) = s.get(..10).and_then(parse_date) {
        return format!("give the day only, without a time: {date}");
    }
    let parts: Vec<&str> = s.split(['.', '/', '-']).collect();
    if let [d, m, y] = parts[..] {
        if y.len() == 4 && d.len() <= 2 && m.len() <= 2 {
            if let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                    return format!("dates are YYYY-MM-DD: did you mean {date}?");
                }
            }
        }
    }
    if let [y, m, d] = parts[..] {
        if let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) {
            if NaiveDate::from_ymd_opt(y, m, d).is_none() && (1..=12).contains(&m) {
                return format!("{y}-{m:02} has no day {d}");
            }
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                return format!("dates are YYYY-MM-DD with leading zeros: {date}");
            }
        }
    }
    "dates are YYYY-MM-DD, e.g. 2019-06-14".into()
}

/// Bytes from the start of the record to the first byte of field `i`'s value. The quotes are
/// gone from a parsed record: this assumes a field was quoted exactly when it had to be (as
/// spreadsheets and csv writers do), which makes the offset exact for their files.
fn field_offset(record: &Record, i: usize) -> u64 {
    let quoted = |f: &[u8]| f.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    let raw_len = |f: &[u8]| {
        let quotes = f.iter().filter(|&&b| b == b'"').count() as u64;
        f.len() as u64 + if quoted(f) { 2 + quotes } else { 0 }
    };
    let before: u64 = record.iter().take(i).map(|f| raw_len(f) + 1).sum();
    before + record.get(i).map_or(0, |f| u64::from(quoted(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_dates() {
        assert_eq!(
            parse_date("2019-06-14"),
            NaiveDate::from_ymd_opt(2019, 6, 14)
        );
        assert_eq!(parse_date("2019-6-14"), None);
        assert_eq!(parse_date("2019-02-30"), None);
        assert_eq!(parse_date("14.06.2019"), None);
    }

    #[test]
    fn number_hints_tell_separators_from_decimal_commas() {
        assert_eq!(
            number_hint("1,234"),
            "write numbers without separators: 1234"
        );
        assert_eq!(
            number_hint("1 234 567"),
            "write numbers without separators: 1234567"
        );
        assert_eq!(number_hint("1,5"), "use a point for decimals: 1.5");
        assert_eq!(
            number_hint("about 100"),
            "give a plain number such as 1234.5"
        );
    }

    #[test]
    fn date_hints_say_what_was_meant() {
        assert_eq!(
            date_hint("14.06.2019"),
            "dates are YYYY-MM-DD: did you mean 2019-06-14?"
        );
        assert_eq!(date_hint("2019-02-30"), "2019-02 has no day 30");
        assert_eq!(
            date_hint("2019-06-14T10:00"),
            "give the day only, without a time: 2019-06-14"
        );
        assert_eq!(
            date_hint("2019-6-4"),
            "dates are YYYY-MM-DD with leading zeros: 2019-06-04"
        );
    }
}
