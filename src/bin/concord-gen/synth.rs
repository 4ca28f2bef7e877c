//! A deterministic synthetic activities file over a catalogue's parties, vocabulary and period,
//! with a chosen share of bad rows of every kind a row can be rejected for.
//!
//! Shared by the `concord-gen` binary and the criterion benches (included by path there), so
//! that both measure the same data.

use std::io::{self, Write};

use chrono::{Duration, NaiveDate};
use concord::activity::RejectCode;
use concord::catalogue::{Catalogue, Test};

/// splitmix64: tiny, fast, and the same on every platform, so a seed names one file forever.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below 2^-32 for our n).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The reject kinds a row can carry (a row over the length limit stops its file instead, so it is
/// not among them; the generated files have no `targets` column, so neither are its codes; a
/// swallowed row would take the rows after it along).
pub fn bad_kinds() -> Vec<RejectCode> {
    use RejectCode as C;
    RejectCode::ALL
        .into_iter()
        .filter(|c| {
            !matches!(
                c,
                C::UnknownTarget | C::TargetIsParty | C::TargetIsPartner | C::SwallowedRows
            )
        })
        .collect()
}

pub const HEADER: &str = "id,date,party,kind,subject,partners,value,unit,source,note\n";

/// What the generator draws from, taken once from the catalogue.
pub struct Universe {
    parties: Vec<String>,
    kinds: Vec<String>,
    subjects: Vec<String>,
    /// (kind, subject) pairs that some commitment's selector names, so that a good share of rows
    /// is evidence, as in real reports.
    selected: Vec<(String, Option<String>)>,
    indicator: String,
    start: NaiveDate,
    days: i64,
}

impl Universe {
    pub fn new(cat: &Catalogue) -> Universe {
        let mut selected = Vec::new();
        let mut push = |kinds: &[String], subjects: &[String]| {
            for k in kinds {
                if subjects.is_empty() {
                    selected.push((k.clone(), None));
                }
                for s in subjects {
                    selected.push((k.clone(), Some(s.clone())));
                }
            }
        };
        for c in &cat.commitments {
            match &c.test {
                Test::Evidence { selector, .. } => push(&selector.kinds, &selector.subjects),
                Test::Trend { metric, .. } => {
                    push(&["indicator".into()], std::slice::from_ref(metric))
                }
                // Restraints and contrary selectors are left to the uniform share: a file that
                // breaches everything says little about speed.
                Test::Restraint(_) => {}
                Test::Status(s) => push(&s.establish.kinds, &s.establish.subjects),
            }
        }
        Universe {
            parties: cat.parties.iter().map(|p| p.code.clone()).collect(),
            kinds: cat.vocabulary.kinds.keys().cloned().collect(),
            subjects: cat.vocabulary.subjects.keys().cloned().collect(),
            selected,
            indicator: "indicator".into(),
            start: cat.strategy.start,
            days: (cat.strategy.end - cat.strategy.start).num_days() + 1,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub rows: u64,
    pub seed: u64,
    /// Share of rows, in [0, 1], that are rejected; spread evenly over [`bad_kinds`].
    pub bad_share: f64,
    pub shape: Shape,
    /// Lines end with `\r\n` instead of `\n`.
    pub crlf: bool,
}

/// What the rows look like, beyond their number: how many match a commitment, how many name
/// partners, how long their free text is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    /// Percent of rows drawn from the (kind, subject) pairs the rules select.
    pub match_pct: usize,
    /// Percent of rows that name partners.
    pub partner_pct: usize,
    /// A page address in `source` and a sentence in `note` in every row.
    pub long_text: bool,
}

impl Shape {
    /// The shape the benchmark has always used.
    pub const DEFAULT: Shape = Shape {
        match_pct: 60,
        partner_pct: 30,
        long_text: false,
    };
    /// Most rows matching, fewer with partners, an address and a note in every row: closer to
    /// what officers send.
    pub const REALISTIC: Shape = Shape {
        match_pct: 90,
        partner_pct: 20,
        long_text: true,
    };
}

/// Write the header and `rows` data rows. Deterministic in (catalogue, options).
pub fn write(u: &Universe, o: Options, out: &mut impl Write) -> io::Result<()> {
    let mut rng = SplitMix64::new(o.seed);
    let mut line = Vec::with_capacity(256);
    line.extend_from_slice(HEADER.as_bytes());
    end_line(&mut line, o.crlf);
    out.write_all(&line)?;
    let mut last_good: Option<u64> = None;
    let bad_kinds = bad_kinds();
    for n in 1..=o.rows {
        line.clear();
        let bad = (rng.unit() < o.bad_share).then(|| bad_kinds[rng.below(bad_kinds.len())]);
        // A duplicate needs an accepted row before it; until there is one, write a good row.
        let bad = match (bad, last_good) {
            (Some(RejectCode::DuplicateId), None) => None,
            (b, _) => b,
        };
        row(u, o.shape, &mut rng, n, bad, last_good, &mut line);
        end_line(&mut line, o.crlf);
        if bad.is_none() {
            last_good = Some(n);
        }
        out.write_all(&line)?;
    }
    out.flush()
}

/// Make the `\n` that ends `line` a `\r\n` when asked: the rows are otherwise the same bytes.
fn end_line(line: &mut Vec<u8>, crlf: bool) {
    if crlf && line.last() == Some(&b'\n') {
        line.pop();
        line.extend_from_slice(b"\r\n");
    }
}

fn row(
    u: &Universe,
    shape: Shape,
    rng: &mut SplitMix64,
    n: u64,
    bad: Option<RejectCode>,
    last_good: Option<u64>,
    out: &mut Vec<u8>,
) {
    use RejectCode as C;
    if bad == Some(C::BlankRow) {
        out.extend_from_slice(b",,,,,,,,,\n");
        return;
    }
    let party_ix = rng.below(u.parties.len());
    let party = u.parties[party_ix].as_str();
    // `below(100) < 60` takes the same draws as `below(10) < 6`: the default shape's bytes stay.
    let (mut kind, mut subject): (&str, Option<&str>) = if rng.below(100) < shape.match_pct {
        let (k, s) = &u.selected[rng.below(u.selected.len())];
        (k, s.as_deref())
    } else {
        let k = &u.kinds[rng.below(u.kinds.len())];
        let s = (rng.below(5) != 0).then(|| u.subjects[rng.below(u.subjects.len())].as_str());
        (k, s)
    };
    let date = u.start + Duration::days(rng.below(u.days as usize) as i64);
    let mut partners = String::new();
    if rng.below(100) < shape.partner_pct {
        let want = 1 + rng.below(3);
        let mut picked: Vec<usize> = Vec::new();
        while picked.len() < want {
            let p = rng.below(u.parties.len());
            if p != party_ix && !picked.contains(&p) {
                picked.push(p);
            }
        }
        for (i, p) in picked.iter().enumerate() {
            if i > 0 {
                partners.push(';');
            }
            partners.push_str(&u.parties[*p]);
        }
    }
    let mut value = if kind == u.indicator || rng.below(10) == 0 {
        format!("{}.{}", rng.below(1_000_000), rng.below(100))
    } else {
        String::new()
    };
    let mut id = format!("A{n:010}");
    let mut date_s = date.format("%Y-%m-%d").to_string();
    let mut party_s = party.to_string();
    let quoted = rng.below(4) == 0;
    let mut note: Vec<u8> = match (shape.long_text, quoted) {
        (false, true) => b"\"reported, with a comma\"".to_vec(),
        (false, false) => b"routine report".to_vec(),
        (true, _) => format!(
            "\"Report {n} of the {kind} on {}, with the delegations, the documents signed and the follow-up agreed\"",
            subject.unwrap_or("general questions")
        )
        .into_bytes(),
    };
    let source = if shape.long_text {
        format!(
            "https://www.example.org/press/{}/activity-{n}.html",
            date.format("%Y/%m/%d")
        )
    } else {
        "https://example.org/report".to_string()
    };
    let mut extra = false;
    let mut drop_last = false;
    match bad {
        None | Some(C::BlankRow) | Some(C::SwallowedRows) => {}
        Some(C::ExtraCell) => extra = true,
        Some(C::MissingCell) => drop_last = true,
        Some(C::EncodingError) => note = b"caf\xE9 meeting".to_vec(),
        Some(C::RequiredField) => party_s.clear(),
        Some(C::BadDate) => date_s = date.format("%d.%m.%Y").to_string(),
        Some(C::BadValue) => value = "12 345.6".into(),
        Some(C::NonFiniteValue) => value = "inf".into(),
        Some(C::MissingValue) => {
            kind = &u.indicator;
            if subject.is_none() {
                subject = Some(u.subjects[0].as_str());
            }
            value.clear();
        }
        Some(C::UnknownParty) => party_s.push('X'),
        Some(C::UnknownKind) => kind = "summitt",
        Some(C::UnknownSubject) => subject = Some("no-such-subject"),
        Some(C::UnknownPartner) => partners = "XXX".into(),
        Some(C::PartnerIsParty) => partners = party.to_string(),
        Some(C::DuplicateId) => id = format!("A{:010}", last_good.unwrap_or(1)),
        Some(C::UnknownTarget | C::TargetIsParty | C::TargetIsPartner) => {}
    }
    let fields: [&[u8]; 10] = [
        id.as_bytes(),
        date_s.as_bytes(),
        party_s.as_bytes(),
        kind.as_bytes(),
        subject.unwrap_or("").as_bytes(),
        partners.as_bytes(),
        value.as_bytes(),
        if value.is_empty() { b"" } else { b"count" },
        source.as_bytes(),
        &note,
    ];
    let keep = if drop_last { 9 } else { 10 };
    for (i, f) in fields[..keep].iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(f);
    }
    if extra {
        out.extend_from_slice(b",surplus");
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // First outputs for seed 1234567 from the reference C implementation (Vigna).
        let mut r = SplitMix64::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
        assert_eq!(r.next_u64(), 9817491932198370423);
    }

    #[test]
    fn crlf_lines_are_the_same_rows_ended_by_cr_lf() {
        let engine = concord::run::Engine::load(None).expect("the bundled rules load");
        let u = Universe::new(&engine.catalogue);
        let written = |crlf| {
            let o = Options {
                rows: 500,
                seed: 3,
                bad_share: 0.2,
                shape: Shape::REALISTIC,
                crlf,
            };
            let mut out = Vec::new();
            write(&u, o, &mut out).expect("writes to memory");
            out
        };
        let (lf, crlf) = (written(false), written(true));
        assert_eq!(crlf.split(|&b| b == b'\n').count(), 502);
        assert!(crlf.windows(2).all(|w| w[1] != b'\n' || w[0] == b'\r'));
        assert_eq!(
            String::from_utf8_lossy(&crlf).replace("\r\n", "\n"),
            String::from_utf8_lossy(&lf)
        );
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = SplitMix64::new(7);
        assert!((0..10_000).all(|_| r.below(13) < 13));
        assert!((0..10_000).all(|_| (0.0..1.0).contains(&r.unit())));
    }
}
