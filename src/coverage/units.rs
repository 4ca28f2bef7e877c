//! The units of the source text that `coverage` counts: sentences, and each bullet of a list as
//! a unit of its own, so that a list's items are not folded into one long "sentence".

/// The characters the PDF extraction leaves at the start of a list item.
const BULLETS: [char; 6] = ['\u{f02d}', '\u{f0a7}', '\u{f0b7}', '•', '▪', '◦'];

/// One sentence or list item of normalised text, with what `rules` needs of its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub text: String,
    /// An item of a bulleted list.
    pub bullet: bool,
    /// A sentence ending in `:` that a bulleted list follows: it only introduces the items.
    pub lead_in: bool,
}

/// Split normalised text into sentences: at `.`, `;`, `?` or `!` followed by a space and an
/// upper-case letter or an opening quote.
pub fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        let end = matches!(chars[i], '.' | ';' | '?' | '!');
        let next_starts = chars.get(i + 1) == Some(&' ')
            && chars
                .get(i + 2)
                .is_some_and(|c| c.is_uppercase() || matches!(c, '“' | '"'));
        if end && next_starts {
            out.push(
                chars[start..=i]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string(),
            );
            start = i + 2;
        }
    }
    let rest: String = chars[start.min(chars.len())..].iter().collect();
    if !rest.trim().is_empty() {
        out.push(rest.trim().to_string());
    }
    out
}

/// Cut normalised text into units: the text before the first bullet into sentences; each
/// bullet's first sentence is an item, and what follows it in the same chunk (the text after a
/// list's last item) is cut into sentences again.
pub fn units(text: &str) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    for (i, chunk) in text.split(BULLETS).enumerate() {
        let mut parts = sentences(chunk.trim()).into_iter();
        if i > 0 {
            let Some(item) = parts.next() else { continue };
            if let Some(prev) = out.last_mut() {
                prev.lead_in |= !prev.bullet && prev.text.ends_with(':');
            }
            out.push(Unit {
                text: item,
                bullet: true,
                lead_in: false,
            });
        }
        out.extend(parts.map(|text| Unit {
            text,
            bullet: false,
            lead_in: false,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_sentence_ends_only() {
        let s = sentences("The SCO will act. It will, e.g. the U.N. way; Members agree? “Rules” apply. no split. Here");
        assert_eq!(
            s,
            vec![
                "The SCO will act.",
                "It will, e.g. the U.N. way;",
                "Members agree?",
                "“Rules” apply. no split.",
                "Here"
            ]
        );
    }

    #[test]
    fn each_bullet_is_a_unit_and_the_sentence_before_the_list_its_lead_in() {
        let u = units("Intro. The goals are the following: \u{f0a7} trust between members; \u{f0a7} a strong SCO. To this end they will act: \u{f0a7} one; \u{f0a7} two.");
        let texts: Vec<(&str, bool, bool)> = u
            .iter()
            .map(|u| (u.text.as_str(), u.bullet, u.lead_in))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("Intro.", false, false),
                ("The goals are the following:", false, true),
                ("trust between members;", true, false),
                ("a strong SCO.", true, false),
                ("To this end they will act:", false, true),
                ("one;", true, false),
                ("two.", true, false),
            ]
        );
    }

    #[test]
    fn a_colon_without_a_list_is_no_lead_in() {
        let u = units("They agreed on this: the SCO will act.");
        assert_eq!(u.len(), 1);
        assert!(!u[0].lead_in && !u[0].bullet);
    }
}
