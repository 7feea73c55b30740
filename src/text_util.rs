//! Small text helpers shared by several stages (word splitting, whitespace).

/// Collapses runs of Unicode whitespace into single spaces and trims the ends.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Iterates over the words of `s`: maximal runs of alphanumeric characters (apostrophes inside kept).
pub fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
}

/// Number of words in `s`.
pub fn word_count(s: &str) -> usize {
    words(s).count()
}

/// A key for comparing lines regardless of case, punctuation and spacing.
pub fn line_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in words(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting() {
        assert_eq!(collapse_whitespace("  a \t b\u{a0}c "), "a b c");
        assert_eq!(
            words("Kerry's “grave concern” — 250,000").collect::<Vec<_>>(),
            ["Kerry's", "grave", "concern", "250", "000"]
        );
        assert_eq!(line_key("US threatens: to END!"), "us threatens to end");
    }
}
