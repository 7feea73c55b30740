//! Damage: what is still wrong with a cleaned text, measured, not judged (the score judges).
//!
//! Lossy decoding (U+FFFD, `?` inside words), leftover mojibake, truncation (teaser-length text
//! ending in "..."), repetition and garbling (odd characters, implausible word shapes).

use crate::text_util::{is_alphabetic, is_alphanumeric, line_key, words};
use rustc_hash::FxHashSet;

/// Measurements of leftover damage in a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Damage {
    /// Number of words.
    pub words: usize,
    /// Number of characters.
    pub chars: usize,
    /// U+FFFD replacement characters.
    pub replacement_chars: usize,
    /// Question marks inside or glued to words ("Jos? Mar?a", "??????"): lossy encodings.
    pub lossy_question_marks: usize,
    /// Character sequences typical of unrepaired mojibake ("Ã©", "â€™", "Ð¾").
    pub mojibake_marks: usize,
    /// The text is short and ends in an ellipsis: a teaser, not an article.
    pub truncated: bool,
    /// Share of paragraphs (by count) that repeat an earlier paragraph.
    pub repeated_share: f64,
    /// Share of characters that are neither letters, digits, spaces nor common punctuation.
    pub odd_char_share: f64,
    /// Share of words with implausible shapes (very long, mixed digits and letters, no vowels).
    pub odd_word_share: f64,
    /// Sentences of five words or more that were judged for word order.
    pub sentences: usize,
    /// Share of those sentences that start with a lower-case letter (shuffled or cut text).
    pub lowercase_start_share: f64,
    /// Share of those sentences whose last word is a function word ("... of the.").
    pub function_word_end_share: f64,
}

/// Words that never end an English sentence in running prose (articles, prepositions, conjunctions).
const NEVER_FINAL: &[&str] = &[
    "the", "a", "an", "of", "to", "and", "or", "but", "with", "for", "from", "in", "on", "at",
    "by", "as", "that", "than", "if", "because", "while", "into", "onto", "whose", "their", "its",
    "our", "my", "your", "his", "very", "such", "nor", "whether",
];

/// Judges word order sentence by sentence: shuffled text starts sentences in lower case and ends
/// them on function words. Abbreviations ("U.S. officials") are not sentence ends.
fn word_order(text: &str, d: &mut Damage) {
    let mut sentences = 0usize;
    let mut lower = 0usize;
    let mut fn_end = 0usize;
    // Paragraphs are separated by blank lines; a single newline inside one is a hard wrap.
    for para in text.split("\n\n") {
        let para = para.replace('\n', " ");
        let para = para.as_str();
        let mut start = 0;
        let bytes = para.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let end_here = matches!(bytes[i], b'.' | b'!' | b'?')
                && (i + 1 == bytes.len() || bytes[i + 1] == b' ');
            if end_here {
                let sentence = &para[start..i];
                let last = sentence
                    .rsplit(|c: char| !is_alphanumeric(c) && c != '.')
                    .next()
                    .unwrap_or("");
                // "U.S.", "Mr.", "a.m.": an abbreviation, not the end of a sentence.
                let abbreviation = bytes[i] == b'.'
                    && (last.contains('.')
                        || (last.len() <= 3
                            && last.chars().next().is_some_and(char::is_uppercase)));
                if !abbreviation {
                    judge_sentence(sentence, &mut sentences, &mut lower, &mut fn_end);
                    start = i + 1;
                }
            }
            i += 1;
        }
        judge_sentence(&para[start..], &mut sentences, &mut lower, &mut fn_end);
    }
    d.sentences = sentences;
    if sentences > 0 {
        d.lowercase_start_share = lower as f64 / sentences as f64;
        d.function_word_end_share = fn_end as f64 / sentences as f64;
    }
}

fn judge_sentence(s: &str, sentences: &mut usize, lower: &mut usize, fn_end: &mut usize) {
    let (mut n, mut last) = (0usize, "");
    for w in words(s) {
        n += 1;
        last = w;
    }
    if n < 5 {
        return;
    }
    *sentences += 1;
    let first = s.trim_start().chars().find(|c| is_alphanumeric(*c));
    if first.is_some_and(char::is_lowercase) {
        *lower += 1;
    }
    let last = last.to_lowercase();
    if NEVER_FINAL.contains(&last.as_str()) {
        *fn_end += 1;
    }
}

/// Measures the damage left in `text`.
pub fn measure(text: &str) -> Damage {
    let mut d = Damage::default();
    let mut odd_chars = 0usize;
    let mut prev: Option<char> = None;
    let chars: Vec<char> = text.chars().collect();
    d.chars = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\u{FFFD}' {
            d.replacement_chars += 1;
        }
        if c == '?' && prev != Some('?') {
            d.lossy_question_marks += lossy_run(&chars, i);
        }
        if let (Some(p), true) = (prev, is_mojibake_second(c)) {
            if is_mojibake_lead(p) {
                d.mojibake_marks += 1;
            }
        }
        if !(is_alphanumeric(c) || c.is_whitespace() || is_common_punct(c)) {
            odd_chars += 1;
        }
        prev = Some(c);
    }
    d.odd_char_share = if d.chars == 0 {
        0.0
    } else {
        odd_chars as f64 / d.chars as f64
    };
    let mut odd_words = 0usize;
    for w in words(text) {
        d.words += 1;
        if is_odd_word(w) {
            odd_words += 1;
        }
    }
    d.odd_word_share = if d.words == 0 {
        0.0
    } else {
        odd_words as f64 / d.words as f64
    };
    let trimmed = text.trim_end();
    d.truncated = d.words < 120 && (trimmed.ends_with("...") || trimmed.ends_with('…'));
    let mut seen = FxHashSet::default();
    let mut paras = 0usize;
    let mut repeats = 0usize;
    for p in text.split("\n\n") {
        let key = line_key(p);
        if key.len() < 20 {
            continue;
        }
        paras += 1;
        if !seen.insert(key) {
            repeats += 1;
        }
    }
    word_order(text, &mut d);
    d.repeated_share = if paras == 0 {
        0.0
    } else {
        repeats as f64 / paras as f64
    };
    d
}

/// Question marks standing for lost characters in the run of '?' starting at `i`: a run of three
/// or more ("??????" for a CJK name), or one or two between letters ("Jos? Mar?a"), except inside
/// URLs ("?src=") where '?' is syntax.
fn lossy_run(chars: &[char], i: usize) -> usize {
    let len = chars[i..].iter().take_while(|c| **c == '?').count();
    if len >= 3 {
        return len;
    }
    let before = i > 0 && is_alphanumeric(chars[i - 1]);
    let after = chars.get(i + len).is_some_and(|c| is_alphanumeric(*c));
    if !(before && after) {
        return 0;
    }
    let start = chars[..i]
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |p| p + 1);
    let end = chars[i..]
        .iter()
        .position(|c| c.is_whitespace())
        .map_or(chars.len(), |p| i + p);
    let url_like = chars[start..end]
        .iter()
        .any(|c| matches!(c, '/' | '=' | '&' | '%'));
    if url_like {
        0
    } else {
        len
    }
}

/// Lead characters of UTF-8 read as windows-1252 / Latin-1 / windows-1251.
fn is_mojibake_lead(c: char) -> bool {
    matches!(
        c,
        'Ã' | 'Â' | 'â' | 'Ð' | 'Ñ' | 'Ø' | 'Ù' | 'Å' | 'Ä' | 'Ê' | 'Î' | 'Ï' | 'Р' | 'С'
    )
}

/// Continuation characters that follow a mojibake lead.
fn is_mojibake_second(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    ('\u{80}'..='\u{BF}').contains(&c)
        || matches!(
            c,
            '€' | '‚'
                | 'ƒ'
                | '„'
                | '…'
                | '†'
                | '‡'
                | 'ˆ'
                | '‰'
                | 'Š'
                | '‹'
                | 'Œ'
                | 'Ž'
                | '‘'
                | '’'
                | '“'
                | '”'
                | '•'
                | '–'
                | '—'
                | '˜'
                | '™'
                | 'š'
                | '›'
                | 'œ'
                | 'ž'
                | 'Ÿ'
                | 'ђ'
                | 'Ѓ'
                | 'ѓ'
                | 'Ђ'
                | 'µ'
                | '°'
        )
}

fn is_common_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '‘' | '’'
                | '“'
                | '”'
                | '–'
                | '—'
                | '…'
                | '«'
                | '»'
                | '„'
                | '€'
                | '£'
                | '°'
                | '·'
                | '•'
                | '¿'
                | '¡'
                | '´'
                | '。'
                | '、'
                | '，'
                | '：'
                | '；'
                | '？'
                | '！'
                | '（'
                | '）'
                | '「'
                | '」'
                | '『'
                | '』'
                | '・'
                | '〜'
                | '№'
                | '×'
                | '½'
                | '%'
        )
        || ('\u{0300}'..='\u{036F}').contains(&c)
}

fn is_odd_word(w: &str) -> bool {
    // One pass for the counts (ASCII words by their bytes).
    let (n, letters, digits) = if w.is_ascii() {
        let b = w.as_bytes();
        let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
        (
            b.len(),
            letters,
            b.iter().filter(|c| c.is_ascii_digit()).count(),
        )
    } else {
        w.chars().fold((0, 0, 0), |(n, l, d), c| {
            (
                n + 1,
                l + usize::from(is_alphabetic(c)),
                d + usize::from(c.is_ascii_digit()),
            )
        })
    };
    if n > 30 {
        return true;
    }
    if letters > 0 && digits > 0 && n > 6 {
        return true;
    }
    // Only judge vowel-less shapes in Latin-script words of some length.
    n >= 6
        && w.is_ascii()
        && letters == n
        && !w.bytes().any(|b| {
            matches!(
                b.to_ascii_lowercase(),
                b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_has_no_damage() {
        let d = measure("The secretary made clear that ending the violence in Aleppo is a top priority, Kirby said.\n\nOfficials agreed.");
        assert_eq!(
            d.replacement_chars + d.lossy_question_marks + d.mojibake_marks,
            0
        );
        assert!(!d.truncated);
        assert_eq!(d.repeated_share, 0.0);
    }

    #[test]
    fn lossy_and_mojibake() {
        let d = measure(
            "Mar?a said S?o Paulo and the caf\u{FFFD} was â€œclosedâ€\u{9d} on SÃ£o Paulo street.",
        );
        assert!(d.lossy_question_marks >= 2, "{d:?}");
        assert_eq!(d.replacement_chars, 1);
        assert!(d.mojibake_marks >= 2, "{d:?}");
    }

    #[test]
    fn shuffled_words_are_noticed() {
        let clean = "The U.S. officials said on Thursday that the talks would resume. Mr. Kerry met the minister in Geneva. They agreed on a plan for the city.";
        let d = measure(clean);
        assert_eq!(d.sentences, 3, "{d:?}");
        assert_eq!(d.lowercase_start_share, 0.0);
        assert_eq!(d.function_word_end_share, 0.0);
        let shuffled = "officials talks the said U.S. resume would that on Thursday the. in Kerry minister met Mr. Geneva the. for on a city plan the agreed They.";
        let d = measure(shuffled);
        assert!(d.lowercase_start_share > 0.5, "{d:?}");
        assert!(d.function_word_end_share > 0.5, "{d:?}");
    }

    #[test]
    fn question_marks_in_urls_and_questions_are_not_damage() {
        let d = measure(
            "Is it true?? Yes. See https://x.com/tag/attentat?src=hash for more. Why? Because.",
        );
        assert_eq!(d.lossy_question_marks, 0, "{d:?}");
        assert_eq!(
            measure("The mayor of ?????? said so.").lossy_question_marks,
            6
        );
    }

    #[test]
    fn odd_words() {
        let long = "a".repeat(31);
        for (w, odd) in [
            ("rhythms", false),
            ("CRWTHS", true),
            ("strength", false),
            ("abc123def", true),
            ("abc123", false),
            ("2016", false),
            ("Zürich", false),
            ("Zürich2016x", true),
            (long.as_str(), true),
            ("ééééééééééééééééééééééééééééééé", true),
            ("tsktsk", true),
        ] {
            assert_eq!(is_odd_word(w), odd, "{w}");
        }
    }

    #[test]
    fn teaser_is_truncated() {
        assert!(measure("Iraqi security forces are close to ending resistance on the east bank of the Tigris river in Mosul,...").truncated);
    }
}
