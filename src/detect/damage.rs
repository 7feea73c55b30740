//! Damage: what is still wrong with a cleaned text, measured, not judged (the score judges).
//!
//! Lossy decoding (U+FFFD, `?` inside words), leftover mojibake, truncation (teaser-length text
//! ending in "..."), repetition and garbling (odd characters, implausible word shapes).

use crate::text_util::{
    ascii_words, is_alphabetic, is_alphanumeric, paragraphs, push_ascii_line_key, push_key_word,
    words,
};
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
    // A line break inside a paragraph reads as a space (words and sentence ends see the same).
    for para in paragraphs(text) {
        let mut start = 0;
        let bytes = para.as_bytes();
        let ascii = para.is_ascii();
        let mut i = 0;
        // Sentence ends are '.', '!' or '?' followed by a space, a line break or the end.
        while let Some(off) = memchr::memchr3(b'.', b'!', b'?', &bytes[i..]) {
            i += off;
            let end_here = i + 1 == bytes.len() || matches!(bytes[i + 1], b' ' | b'\n');
            if end_here {
                let sentence = &para[start..i];
                // A sentence of an ASCII paragraph is ASCII; in others, most still are.
                let ascii = ascii || sentence.is_ascii();
                // "U.S.", "Mr.", "a.m.": an abbreviation, not the end of a sentence.
                let abbreviation = bytes[i] == b'.' && is_abbreviation(sentence, ascii);
                if !abbreviation {
                    judge_sentence(sentence, ascii, &mut sentences, &mut lower, &mut fn_end);
                    start = i + 1;
                }
            }
            i += 1;
        }
        judge_sentence(
            &para[start..],
            ascii || para[start..].is_ascii(),
            &mut sentences,
            &mut lower,
            &mut fn_end,
        );
    }
    d.sentences = sentences;
    if sentences > 0 {
        d.lowercase_start_share = lower as f64 / sentences as f64;
        d.function_word_end_share = fn_end as f64 / sentences as f64;
    }
}

/// Whether the text before a full stop ends in an abbreviation: its last run of letters, digits
/// and dots holds a dot or is at most three bytes starting with a capital. `ascii`: the text is
/// ASCII (then it is read by bytes, with the same answer).
fn is_abbreviation(sentence: &str, ascii: bool) -> bool {
    let last = if ascii {
        let b = sentence.as_bytes();
        let from = b
            .iter()
            .rposition(|c| !(c.is_ascii_alphanumeric() || *c == b'.'))
            .map_or(0, |p| p + 1);
        &sentence[from..]
    } else {
        sentence
            .rsplit(|c: char| !is_alphanumeric(c) && c != '.')
            .next()
            .unwrap_or("")
    };
    last.contains('.') || (last.len() <= 3 && last.chars().next().is_some_and(char::is_uppercase))
}

/// Counts a sentence of five words or more, and whether it starts in lower case and ends on a
/// function word. `ascii`: the sentence is ASCII (then its words are found by bytes, with the
/// same answer).
fn judge_sentence(
    s: &str,
    ascii: bool,
    sentences: &mut usize,
    lower: &mut usize,
    fn_end: &mut usize,
) {
    // Five words make a sentence worth judging; then only its last word matters (found from the
    // end, not by walking every word: `next_back`).
    let (last, first_lower) = if ascii {
        if ascii_words(s).take(5).count() < 5 {
            return;
        }
        let first = s.bytes().find(u8::is_ascii_alphanumeric);
        (
            ascii_words(s).next_back().unwrap_or(""),
            first.is_some_and(|c| c.is_ascii_lowercase()),
        )
    } else {
        if words(s).take(5).count() < 5 {
            return;
        }
        let first = s.trim_start().chars().find(|c| is_alphanumeric(*c));
        (
            words(s).next_back().unwrap_or(""),
            first.is_some_and(char::is_lowercase),
        )
    };
    *sentences += 1;
    if first_lower {
        *lower += 1;
    }
    // The list is ASCII, and no other character lower-cases to its letters (only the Kelvin
    // sign lower-cases to ASCII, to 'k'): an ASCII comparison is `to_lowercase` and equality.
    if last.is_ascii() && NEVER_FINAL.iter().any(|f| f.eq_ignore_ascii_case(last)) {
        *fn_end += 1;
    }
}

/// Measures the damage left in `text`.
pub fn measure(text: &str) -> Damage {
    let mut d = Damage::default();
    let odd_chars = scan_chars(text, &mut d);
    d.odd_char_share = if d.chars == 0 {
        0.0
    } else {
        odd_chars as f64 / d.chars as f64
    };
    // One pass over the words of each paragraph: odd shapes, and the paragraph's key for repeats
    // (the words of the text are those of its paragraphs, since "\n\n" separates words).
    let mut odd_words = 0usize;
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut key = String::new();
    let mut paras = 0usize;
    let mut repeats = 0usize;
    for p in paragraphs(text) {
        key.clear();
        if p.is_ascii() {
            // The same words, found by bytes (`ascii_words` is `words` on ASCII text).
            push_ascii_line_key(&mut key, p, |w, _| {
                d.words += 1;
                odd_words += usize::from(is_odd_ascii_word(w.as_bytes()));
            });
        } else {
            for w in words(p) {
                d.words += 1;
                if is_odd_word(w) {
                    odd_words += 1;
                }
                push_key_word(&mut key, w);
            }
        }
        if key.len() < 20 {
            continue;
        }
        paras += 1;
        if seen.contains(key.as_str()) {
            repeats += 1;
        } else {
            seen.insert(key.clone());
        }
    }
    d.odd_word_share = if d.words == 0 {
        0.0
    } else {
        odd_words as f64 / d.words as f64
    };
    let trimmed = text.trim_end();
    d.truncated = d.words < 120 && (trimmed.ends_with("...") || trimmed.ends_with('…'));
    word_order(text, &mut d);
    d.repeated_share = if paras == 0 {
        0.0
    } else {
        repeats as f64 / paras as f64
    };
    d
}

/// The character-level counts of [`measure`] in one pass over the bytes (ASCII characters are
/// judged by their byte, others decoded): characters, U+FFFD, lossy question marks, mojibake
/// pairs; returns the number of odd characters.
fn scan_chars(text: &str, d: &mut Damage) -> usize {
    let bytes = text.as_bytes();
    let mut odd = 0usize;
    // Whether the previous character was a '?' / a mojibake lead.
    let (mut prev_q, mut prev_lead) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        d.chars += 1;
        if b < 0x80 {
            if b == b'?' && !prev_q {
                d.lossy_question_marks += lossy_run(text, i);
            }
            // Printable ASCII is a letter, digit, space or punctuation; of the controls, only
            // tab, line feed, vertical tab, form feed and carriage return are white space.
            odd += usize::from((b < 0x20 && !(b'\t'..=b'\r').contains(&b)) || b == 0x7f);
            prev_q = b == b'?';
            prev_lead = false;
            i += 1;
            // Eight plain ASCII bytes at a time: each is one character and changes no count.
            while let Some(chunk) = bytes.get(i..i + 8) {
                let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
                if !plain_ascii_word(w) {
                    break;
                }
                d.chars += 8;
                i += 8;
                prev_q = false;
            }
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if c == '\u{FFFD}' {
            d.replacement_chars += 1;
        }
        if prev_lead && is_mojibake_second(c) {
            d.mojibake_marks += 1;
        }
        if !(is_alphanumeric(c) || c.is_whitespace() || is_common_punct(c)) {
            odd += 1;
        }
        prev_q = false;
        prev_lead = is_mojibake_lead(c);
        i += c.len_utf8();
    }
    odd
}

/// Whether the eight bytes in `w` are all printable ASCII other than `?` (space included): for
/// bytes below 0x80, `(x - n) & !x & 0x80` is non-zero in some byte exactly when some byte of
/// `x` is below `n`.
#[inline]
fn plain_ascii_word(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(LO * n) & !x & HI;
    let has = |b: u64| below(w ^ (LO * b), 1);
    (w & HI) | below(w, 0x20) | has(u64::from(b'?')) | has(0x7F) == 0
}

/// Question marks standing for lost characters in the run of '?' starting at byte `i`: a run of
/// three or more ("??????" for a CJK name), or one or two between letters ("Jos? Mar?a"), except
/// inside URLs ("?src=") where '?' is syntax.
fn lossy_run(text: &str, i: usize) -> usize {
    let len = text.as_bytes()[i..]
        .iter()
        .take_while(|b| **b == b'?')
        .count();
    if len >= 3 {
        return len;
    }
    let before = text[..i].chars().next_back().is_some_and(is_alphanumeric);
    let after = text[i + len..].chars().next().is_some_and(is_alphanumeric);
    if !(before && after) {
        return 0;
    }
    let start = text[..i]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(p, c)| p + c.len_utf8());
    let end = text[i..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(text.len(), |(p, _)| i + p);
    let url_like = text.as_bytes()[start..end]
        .iter()
        .any(|b| matches!(b, b'/' | b'=' | b'&' | b'%'));
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

/// Whether a word has an implausible shape: more than 30 characters; letters and digits mixed in
/// more than 6; or, for ASCII words of 6 letters or more, letters only and no vowel.
fn is_odd_word(w: &str) -> bool {
    if w.is_ascii() {
        is_odd_ascii_word(w.as_bytes())
    } else {
        // Counted only as far as the 31st character (long unspaced CJK runs are one word).
        let (mut n, mut letters, mut digits) = (0usize, 0usize, 0usize);
        for c in w.chars() {
            n += 1;
            if n > 30 {
                return true;
            }
            letters += usize::from(is_alphabetic(c));
            digits += usize::from(c.is_ascii_digit());
        }
        letters > 0 && digits > 0 && n > 6
    }
}

/// [`is_odd_word`] for an ASCII word.
#[inline]
fn is_odd_ascii_word(b: &[u8]) -> bool {
    let n = b.len();
    if n > 30 {
        return true;
    }
    if n < 6 {
        return false;
    }
    let (mut letters, mut digits, mut vowel) = (0usize, 0usize, false);
    for &c in b {
        letters += usize::from(c.is_ascii_alphabetic());
        digits += usize::from(c.is_ascii_digit());
        vowel |= matches!(
            c.to_ascii_lowercase(),
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
        );
    }
    if letters > 0 && digits > 0 && n > 6 {
        return true;
    }
    letters == n && !vowel
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
            ("éééééééééééééééééééééééééééééé", false), // 30 characters
            (
                "東京都の新しい知事は記者会見で来年度の予算案について詳しく説明した",
                true,
            ),
            ("x1y2z3é4", true),
            ("é12345", false),
            ("b", false),
        ] {
            assert_eq!(is_odd_word(w), odd, "{w}");
        }
    }

    /// The byte-level paths for ASCII text give the answers of the character-level ones.
    #[test]
    fn ascii_paths_match_the_char_paths() {
        for s in [
            "the officials said on Thursday that 'it's",
            "They met Mr",
            "U.S",
            "a.m",
            "in the '' ",
            "''",
            "",
            "Five words are not enough'",
            "It is 3 p.m. in NYC",
        ] {
            assert_eq!(
                ascii_words(s).next_back().unwrap_or(""),
                words(s).next_back().unwrap_or(""),
                "{s:?}"
            );
            assert_eq!(is_abbreviation(s, true), is_abbreviation(s, false), "{s:?}");
            let (mut a, mut b) = ([0usize; 3], [0usize; 3]);
            let [x, y, z] = &mut a;
            judge_sentence(s, true, x, y, z);
            let [x, y, z] = &mut b;
            judge_sentence(s, false, x, y, z);
            assert_eq!(a, b, "{s:?}");
        }
        assert!(is_abbreviation("They met Mr", true));
        assert!(!is_abbreviation("They met the minister", true));
    }

    #[test]
    fn teaser_is_truncated() {
        assert!(measure("Iraqi security forces are close to ending resistance on the east bank of the Tigris river in Mosul,...").truncated);
    }
}
