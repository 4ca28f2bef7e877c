//! The source text as the rules quote it: white space collapsed and the PDF extraction's
//! line-end hyphens joined, so that a quote matches however the extraction broke its lines.

use std::sync::OnceLock;

use regex::Regex;

/// Collapse every run of white space to one space and join `word-` + line break + `word`.
pub fn normalize(text: &str) -> String {
    static HYPHEN: OnceLock<Regex> = OnceLock::new();
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let re = HYPHEN.get_or_init(|| Regex::new(r"(\p{L})- (\p{L})").expect("static regex"));
    re.replace_all(&collapsed, "$1-$2").into_owned()
}

/// The form in which quotes are compared with the source: [`normalize`]d, then without hyphens
/// inside words, so that the extraction's `Conven-` + newline + `tion` matches `Convention`
/// and `Asia-` + newline + `Pacific` matches `Asia-Pacific`.
pub fn comparable(text: &str) -> String {
    static INNER: OnceLock<Regex> = OnceLock::new();
    let re = INNER.get_or_init(|| Regex::new(r"(\p{L})-(\p{L})").expect("static regex"));
    let n = normalize(text);
    // Twice, because the matches of one pass cannot overlap (`a-b-c`).
    let once = re.replace_all(&n, "$1$2").into_owned();
    re.replace_all(&once, "$1$2").into_owned()
}

/// The passage of `source` (normalised) that shares the longest opening with `quote`, to show
/// the analyst where a mistyped quote departs from the text.
pub fn nearest_passage(source: &str, quote: &str) -> Option<String> {
    let q: Vec<char> = quote.chars().collect();
    let words: Vec<&str> = quote.split(' ').collect();
    let first = *words.first()?;
    let mut best: Option<(usize, usize)> = None;
    for (start, _) in source.match_indices(first) {
        let common = source[start..]
            .chars()
            .zip(q.iter())
            .take_while(|(a, b)| a == *b)
            .count();
        if best.is_none_or(|(c, _)| common > c) {
            best = Some((common, start));
        }
    }
    let (common, start) = best?;
    if common < first.chars().count().max(8) {
        return None;
    }
    let passage: String = source[start..].chars().take(q.len() + 20).collect();
    Some(passage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_line_end_hyphens_and_white_space() {
        assert_eq!(
            normalize("Asia-\n\nPacific  region\t now"),
            "Asia-Pacific region now"
        );
    }

    #[test]
    fn compares_across_a_broken_word() {
        assert_eq!(
            comparable("the Model Conven-\ntion"),
            comparable("the Model Convention")
        );
        assert_eq!(comparable("Asia-\nPacific"), comparable("Asia-Pacific"));
    }

    #[test]
    fn keeps_a_dash_between_spaces() {
        assert_eq!(normalize("2025 - a document"), "2025 - a document");
    }
}
