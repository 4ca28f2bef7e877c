//! One row checked against the catalogue's parties, vocabulary and period.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Mutex;

use chrono::NaiveDate;
use csv::ByteRecord;
use smallvec::SmallVec;

use super::columns::Columns;
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
type Hints = HashMap<(u8, Box<str>), Option<String>, FastHash>;

/// Past this many remembered hints, new ones are computed each time (memory stays bounded).
const MAX_HINTS: usize = 4096;

type Outcome<'r> = Result<(Activity<'r>, Notes), Reject>;

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
        let index = |m: &'c std::collections::BTreeMap<String, String>| {
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

    /// The hint for `input` in field `what`, computed once per distinct input.
    fn memo(
        &self,
        what: u8,
        input: &str,
        compute: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        let key = (what, Box::<str>::from(input));
        let hints = || {
            self.hints
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        };
        if let Some(hit) = hints().get(&key) {
            return hit.clone();
        }
        let hint = compute();
        let mut hints = hints();
        if hints.len() < MAX_HINTS {
            hints.insert(key, hint.clone());
        }
        hint
    }

    pub fn catalogue(&self) -> &'c Catalogue {
        self.catalogue
    }

    fn check<'r>(&self, record: &'r ByteRecord, cols: &Columns, line: u64) -> Outcome<'r> {
        let reject = |column: Option<usize>, code, message: String, hint: Option<String>| Reject {
            line,
            column,
            code,
            message,
            hint,
        };
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            return Err(reject(
                None,
                C::BlankRow,
                "the row is blank".into(),
                Some("delete the row: every field is empty".into()),
            ));
        }
        if record.len() != cols.width {
            let count = |n: usize| format!("{n} field{}", if n == 1 { "" } else { "s" });
            let msg = format!(
                "the row has {} but the header has {}",
                count(record.len()),
                count(cols.width)
            );
            // A field that spans lines in a row of the wrong width is an unclosed quote that
            // swallowed the lines after it: say so, they are in this row, not lost.
            let spanned: usize = record
                .iter()
                .map(|f| f.iter().filter(|&&b| b == b'\n').count())
                .sum();
            if spanned > 0 {
                return Err(reject(
                    None,
                    if record.len() > cols.width { C::ExtraCell } else { C::MissingCell },
                    format!(
                        "{msg}: a quoted field runs from line {line} to line {}",
                        line + spanned as u64
                    ),
                    Some(format!(
                        "a `\"` on line {line} is probably not closed; the lines it swallowed are part of this row"
                    )),
                ));
            }
            if record.len() > cols.width {
                return Err(reject(
                    Some(cols.width + 1),
                    C::ExtraCell,
                    msg,
                    Some("a value with a comma in it must be in double quotes".into()),
                ));
            }
            return Err(reject(
                Some(record.len() + 1),
                C::MissingCell,
                msg,
                Some(
                    "add the missing fields, empty ones too, so that every row has one per column"
                        .into(),
                ),
            ));
        }
        // Every field must be UTF-8, even the ones concord ignores; none is kept, so that a row
        // costs no allocation here. The row is checked in one piece; fields are checked one by
        // one only to say which is wrong (or where a character straddles two fields).
        let text = std::str::from_utf8(record.as_slice()).ok().filter(|t| {
            t.is_ascii()
                || (0..record.len())
                    .all(|i| record.range(i).is_some_and(|r| t.is_char_boundary(r.start)))
        });
        for (i, f) in record.iter().enumerate().filter(|_| text.is_none()) {
            match std::str::from_utf8(f) {
                Ok(_) => {}
                Err(e) => {
                    let byte = record.position().map_or(0, |p| p.byte())
                        + field_offset(record, i)
                        + e.valid_up_to() as u64
                        + f[..e.valid_up_to()].iter().filter(|&&b| b == b'"').count() as u64;
                    let msg = format!(
                        "field {} is not valid UTF-8: bad byte at offset {byte} of the file",
                        i + 1
                    );
                    return Err(reject(
                        Some(i + 1),
                        C::EncodingError,
                        msg,
                        Some(
                            "save the file as UTF-8: \"CSV UTF-8\" in spreadsheet programs".into(),
                        ),
                    ));
                }
            }
        }
        if memchr::memchr2(b'\n', b'\r', record.as_slice()).is_some() {
            if let Some(r) = swallowed(record, cols, line) {
                return Err(r);
            }
        }
        let mut warnings = Notes::new();
        let mut get = |ix: usize, name: &'static str| -> &'r str {
            let raw = record
                .range(ix)
                .and_then(|r| text.and_then(|t| t.get(r)))
                .unwrap_or("");
            let trimmed = trim(raw);
            if trimmed.len() != raw.len() {
                warnings.push(Note::WhiteSpace { column: ix, name });
            }
            trimmed
        };
        let id = get(cols.id, "id");
        let date = get(cols.date, "date");
        let party = get(cols.party, "party");
        let kind = get(cols.kind, "kind");
        let subject = cols
            .subject
            .map(|c| get(c, "subject"))
            .filter(|s| !s.is_empty());
        let partners = cols.partners.map(|c| get(c, "partners")).unwrap_or("");
        let value = cols
            .value
            .map(|c| get(c, "value"))
            .filter(|s| !s.is_empty());
        for (name, v, col) in [
            ("id", id, cols.id),
            ("date", date, cols.date),
            ("party", party, cols.party),
            ("kind", kind, cols.kind),
        ] {
            if v.is_empty() {
                return Err(reject(
                    Some(col + 1),
                    C::RequiredField,
                    format!("`{name}` is empty"),
                    Some(format!("every row needs {}", super::REQUIRED.join(", "))),
                ));
            }
        }
        let Some(date) = parse_date(date) else {
            return Err(reject(
                Some(cols.date + 1),
                C::BadDate,
                format!("`{date}` is not a date"),
                Some(date_hint(date)),
            ));
        };
        let cat = self.catalogue;
        let Some(&party_ix) = self.parties.get(party) else {
            let hint = self
                .memo(0, party, || {
                    nearest(party, cat.parties.iter().map(|p| p.code.as_str()))
                })
                .map(|s| format!("did you mean {s}?"));
            return Err(reject(
                Some(cols.party + 1),
                C::UnknownParty,
                format!("unknown party \"{party}\""),
                hint.or(Some(
                    "parties are ISO 3166-1 alpha-3 codes from parties.toml, or SCO".into(),
                )),
            ));
        };
        let Some(&kind_ix) = self.kinds.get(kind) else {
            let hint = self
                .memo(1, kind, || {
                    nearest(kind, cat.vocabulary.kinds.keys().map(String::as_str))
                })
                .map(|s| format!("did you mean {s}?"));
            return Err(reject(
                Some(cols.kind + 1),
                C::UnknownKind,
                format!("unknown kind \"{kind}\""),
                hint.or(Some("`concord vocabulary` lists the kinds".into())),
            ));
        };
        let subject_ix = match subject {
            None => None,
            Some(s) => match self.subjects.get(s) {
                Some(&ix) => Some(ix),
                None => {
                    let hint = self
                        .memo(2, s, || {
                            nearest(s, cat.vocabulary.subjects.keys().map(String::as_str))
                        })
                        .map(|x| format!("did you mean {x}?"));
                    let col = cols.subject.map(|c| c + 1);
                    return Err(reject(
                        col,
                        C::UnknownSubject,
                        format!("unknown subject \"{s}\""),
                        hint.or(Some("`concord vocabulary` lists the subjects".into())),
                    ));
                }
            },
        };
        let partner_ix = self.party_list(partners, cols.partners, &PARTNERS, party, &[], line)?;
        let targets = cols.targets.map(|c| get(c, "targets")).unwrap_or("");
        // `CHN; RUS` is read as CHN and RUS; the spaces are trimmed like any other, with a word.
        for (cell, column, name) in [
            (partners, cols.partners, "partners"),
            (targets, cols.targets, "targets"),
        ] {
            if let Some(column) = column.filter(|_| cell.split(';').any(|p| p.trim() != p)) {
                warnings.push(Note::WhiteSpace { column, name });
            }
        }
        self.party_list(targets, cols.targets, &TARGETS, party, &partner_ix, line)?;
        let value = match value {
            None if Some(kind_ix) == self.indicator => {
                let col = cols.value.map(|c| c + 1);
                return Err(reject(
                    col,
                    C::MissingValue,
                    "an indicator row has no value".into(),
                    Some("put the measured number in the `value` column".into()),
                ));
            }
            None => None,
            Some(v) => match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                Ok(_) => {
                    return Err(reject(
                        cols.value.map(|c| c + 1),
                        C::NonFiniteValue,
                        format!("value `{v}` is not finite"),
                        Some("give a plain number".into()),
                    ))
                }
                Err(_) => {
                    let hint = number_hint(v);
                    return Err(reject(
                        cols.value.map(|c| c + 1),
                        C::BadValue,
                        format!("value `{v}` is not a number"),
                        Some(hint),
                    ));
                }
            },
        };
        let p = &cat.parties[party_ix as usize];
        let standing = self
            .standing_kinds
            .get(kind_ix as usize)
            .copied()
            .unwrap_or(false);
        if (date < cat.strategy.start && !standing) || date > self.window_end {
            warnings.push(Note::OutsideWindow { date });
        } else if !standing && p.role_at(date).is_none() {
            warnings.push(Note::NoRole {
                party: party_ix,
                date,
            });
        }
        Ok((
            Activity {
                id,
                date,
                party: party_ix,
                kind: kind_ix,
                subject: subject_ix,
                partners: partner_ix,
                value,
            },
            warnings,
        ))
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
    id: Range<usize>,
    date: NaiveDate,
    party: u16,
    kind: u16,
    subject: Option<u16>,
    partners: SmallVec<[u16; 6]>,
    value: Option<f64>,
}

pub(crate) type CheckedOutcome = Result<(Checked, Notes), Reject>;

/// A warning about an accepted row, kept as data until it is read: most are only counted, and
/// a row is often checked on another thread than the one that reads its warnings.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Note {
    WhiteSpace { column: usize, name: &'static str },
    OutsideWindow { date: NaiveDate },
    NoRole { party: u16, date: NaiveDate },
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

/// How one `;`-separated list of party codes is checked and explained.
struct PartyList {
    /// The hint memo's key for this field.
    memo: u8,
    unknown: C,
    is_party: C,
    noun: &'static str,
    self_hint: &'static str,
}

const PARTNERS: PartyList = PartyList {
    memo: 3,
    unknown: C::UnknownPartner,
    is_party: C::PartnerIsParty,
    noun: "partner",
    self_hint: "list only the other parties that took part",
};

const TARGETS: PartyList = PartyList {
    memo: 4,
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
        for p in cell.split(';').map(str::trim).filter(|p| !p.is_empty()) {
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
                    let cat = self.catalogue;
                    let hint = self
                        .memo(list.memo, p, || {
                            nearest(p, cat.parties.iter().map(|x| x.code.as_str()))
                        })
                        .map(|s| format!("did you mean {s}?"));
                    let hint = if p.contains([',', ' ', '/']) {
                        format!("separate {noun} codes with `;`")
                    } else {
                        hint.unwrap_or(format!(
                            "{noun}s are party codes from parties.toml, separated by `;`"
                        ))
                    };
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

    /// The warning a note stands for, on row `line`.
    pub(crate) fn warning(&self, note: Note, line: u64, cols: &Columns) -> Warning {
        let cat = self.catalogue;
        let (column, message, hint) = match note {
            Note::WhiteSpace { column, name } => (
                column,
                format!("`{name}` has leading or trailing white space"),
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
    pub(crate) fn check_owned(
        &self,
        record: &ByteRecord,
        cols: &Columns,
        line: u64,
    ) -> CheckedOutcome {
        let (a, warnings) = self
            .check(record, cols, line)
            .map_err(|r| readable(r, record))?;
        let start = (a.id.as_ptr() as usize).saturating_sub(record.as_slice().as_ptr() as usize);
        let checked = Checked {
            id: start..start + a.id.len(),
            date: a.date,
            party: a.party,
            kind: a.kind,
            subject: a.subject,
            partners: a.partners,
            value: a.value,
        };
        Ok((checked, warnings))
    }
}

impl Checked {
    /// The id's bytes, read back from the record it was checked on.
    pub(crate) fn id_bytes<'r>(&self, record: &'r ByteRecord) -> &'r [u8] {
        record.as_slice().get(self.id.clone()).unwrap_or_default()
    }

    /// The activity, its id read back from the record it was checked on.
    pub(crate) fn activity(self, record: &ByteRecord) -> Activity<'_> {
        Activity {
            id: std::str::from_utf8(self.id_bytes(record)).unwrap_or_default(),
            date: self.date,
            party: self.party,
            kind: self.kind,
            subject: self.subject,
            partners: self.partners,
            value: self.value,
        }
    }
}

/// Messages are one line each and of a size a person reads: line breaks in a quoted value are
/// shown as `\n`, and a value that ran over several lines is named as the unclosed quote it
/// almost always is.
fn readable(mut r: Reject, record: &ByteRecord) -> Reject {
    if !r.message.contains(['\n', '\r']) {
        return r;
    }
    let spanned: usize = record
        .iter()
        .map(|f| f.iter().filter(|&&b| b == b'\n').count())
        .sum();
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
    r.message = format!(
        "{}; the value runs from line {} to line {}",
        r.message,
        r.line,
        r.line + spanned as u64
    );
    r.hint = Some(format!(
        "a `\"` on line {} is probably not closed; the lines it swallowed are part of this row",
        r.line
    ));
    r
}

/// A value that runs over lines which look like rows of their own (as many commas as the
/// header has separators) is a `"` that was never closed, or closed rows later: the rows it
/// swallowed would vanish into this one's value. A row of the right width with such a value
/// is rejected, naming the lines, so that nothing is lost without a word.
fn swallowed(record: &ByteRecord, cols: &Columns, line: u64) -> Option<Reject> {
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
fn field_offset(record: &ByteRecord, i: usize) -> u64 {
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
