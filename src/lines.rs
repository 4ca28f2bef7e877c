//! Where the lines of a text start, found once: the places in a file (one per rule, one per
//! assessment) are then found by a search instead of a count from the file's start each, which
//! made a file of thousands of them quadratic.

/// The start of each line, a line ending at `\n`.
#[derive(Debug)]
pub(crate) struct LineStarts(Vec<usize>);

impl LineStarts {
    pub(crate) fn new(text: &str) -> LineStarts {
        let after = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1);
        LineStarts(std::iter::once(0).chain(after).collect())
    }

    /// The line (from 1) that holds byte `offset`.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }

    /// Where line `line` (from 1) starts and ends (before its `\n`) in a text of `len` bytes.
    pub(crate) fn bounds(&self, line: usize, len: usize) -> (usize, usize) {
        let start = self.0.get(line.wrapping_sub(1)).copied().unwrap_or(len);
        let end = self.0.get(line).map_or(len, |&next| next - 1);
        (start, end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_as_a_count_from_the_start_counts_them() {
        for text in ["", "a", "a\n", "\n\nab\ncd", "é\r\nx\n\n"] {
            let lines = LineStarts::new(text);
            for offset in 0..=text.len() {
                let counted = text.as_bytes()[..offset]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                assert_eq!(lines.line_of(offset), counted, "{text:?} at {offset}");
                let (start, end) = lines.bounds(counted, text.len());
                assert!(start <= offset && offset <= end, "{text:?} at {offset}");
                assert!(
                    !text.as_bytes()[start..end].contains(&b'\n'),
                    "{text:?} at {offset}"
                );
            }
        }
    }
}
