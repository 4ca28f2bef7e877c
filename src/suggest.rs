//! "Did you mean": the nearest known key to a misspelt one.

/// The closest candidate by edit distance, when it is close enough to be a plausible typo.
pub fn nearest<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = input.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = if c.to_lowercase() == lower {
            0
        } else {
            strsim::damerau_levenshtein(&lower, &c.to_lowercase())
        };
        if best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    let limit = (input.chars().count() / 3).max(2);
    (d <= limit).then(|| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn suggests_a_close_key() {
        assert_eq!(nearest("KAZX", ["KAZ", "KGZ", "RUS"]), Some("KAZ".into()));
        assert_eq!(nearest("kaz", ["KAZ", "KGZ"]), Some("KAZ".into()));
    }

    #[test]
    fn says_nothing_when_nothing_is_close() {
        assert_eq!(nearest("completely-different", ["summit", "forum"]), None);
    }
}
