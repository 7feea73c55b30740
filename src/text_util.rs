//! Small text helpers shared by several stages (word splitting, whitespace).

/// Collapses runs of Unicode whitespace into single spaces and trims the ends.
pub fn collapse_whitespace(s: &str) -> String {
    // Most lines and paragraphs already are: copied whole rather than word by word.
    if is_collapsed(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for span in word_spans(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[span]);
    }
    out
}

/// The byte ranges of the runs of `s` between white space (`char::is_whitespace`): the words of
/// `str::split_whitespace`, found by bytes ([`whitespace_len_at`]), printable ASCII taken without
/// the white-space test.
pub fn word_spans(s: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let space = whitespace_len_at(b, i);
            if space == 0 {
                break;
            }
            i += space;
        }
        if i == b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && ((b'!'..=b'~').contains(&b[i]) || whitespace_len_at(b, i) == 0) {
            i += 1;
        }
        Some(start..i)
    })
}

/// Whether [`collapse_whitespace`] would leave `s` as it is: no white space at either end, none
/// but single plain spaces inside.
pub fn is_collapsed(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut after_space = false;
    // Eight bytes at a time: a word of ASCII without control characters is left uncollapsed only
    // by two spaces in a row (within it, or across its first byte); other words byte by byte.
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            // With every byte below 0x80, these sums stay inside their byte: the high bit of
            // `w + 0x60` is clear exactly on bytes below 0x20, that of `x + 0x7F` exactly on zero
            // bytes of `x` (the spaces of `w`).
            if w & HIGHS == 0 && !(w + 0x60 * ONES) & HIGHS == 0 {
                let spaces = !(((w ^ (0x20 * ONES)) & LOWS) + LOWS) & HIGHS;
                if spaces & (spaces << 8) != 0 || (after_space && spaces & 0x80 != 0) {
                    return false;
                }
                after_space = spaces >> 63 != 0;
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(b.len());
        for k in i..end {
            match b[k] {
                b' ' if after_space => return false,
                b' ' => after_space = true,
                b'\t'..=b'\r' => return false,
                0xC2 | 0xE1 | 0xE2 | 0xE3 if whitespace_len_at(b, k) > 0 => return false,
                _ => after_space = false,
            }
        }
        i = end;
    }
    true
}

/// The length in bytes of the white-space character (`char::is_whitespace`) that starts at byte
/// `i` of UTF-8 text, or 0 when none does there. Read from the bytes: the non-ASCII white space is
/// U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F and U+3000.
#[inline]
pub fn whitespace_len_at(b: &[u8], i: usize) -> usize {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 if matches!(at(1), 0x85 | 0xA0) => 2,
        0xE1 if at(1) == 0x9A && at(2) == 0x80 => 3,
        0xE2 if at(1) == 0x80 && matches!(at(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) => 3,
        0xE2 if at(1) == 0x81 && at(2) == 0x9F => 3,
        0xE3 if at(1) == 0x80 && at(2) == 0x80 => 3,
        _ => 0,
    }
}

/// The lines of an embedded data file that hold data: not blank, not a `#` comment.
pub fn data_lines(file: &str) -> impl Iterator<Item = &str> {
    file.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
}

/// `text` as a haystack for an automaton that folds ASCII case only (aho-corasick's
/// `ascii_case_insensitive`): text whose characters beyond ASCII are all unchanged by
/// lower-casing (most text: curly quotes, dashes, accented lower-case letters) as it is, other
/// text lower-cased (the phrases are lower case). Either way the automaton sees what it would
/// see in `text.to_lowercase()`, at the same byte offsets when the text is borrowed.
pub fn fold_for_ascii_matcher(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() || !lowercasing_changes_beyond_ascii(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(to_lowercase(text))
    }
}

/// Whether lower-casing `text` changes some character beyond ASCII (an upper-case letter such
/// as "É" or "Д", or another character with a lower-case mapping).
fn lowercasing_changes_beyond_ascii(text: &str) -> bool {
    text.chars()
        .any(|c| !c.is_ascii() && !lowercases_to_itself(c))
}

/// Characters below this have their classes in a table ([`is_alphanumeric`], [`is_alphabetic`]).
const TABLE_CHARS: usize = 0x800;

/// Bit 0: alphabetic; bit 1: alphanumeric; bit 2: lower-casing leaves it as it is. For every
/// character below [`TABLE_CHARS`], from the standard library's own answers (so the fast paths
/// agree with it exactly).
fn class_table() -> &'static [u8; TABLE_CHARS] {
    static TABLE: std::sync::OnceLock<[u8; TABLE_CHARS]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0u8; TABLE_CHARS];
        for (i, v) in t.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(i as u32) {
                *v = u8::from(c.is_alphabetic())
                    | (u8::from(c.is_alphanumeric()) << 1)
                    | (u8::from(lowercase_is_itself(c)) << 2);
            }
        }
        t
    })
}

/// Whether `char::to_lowercase` gives the character itself, by the standard library's tables.
fn lowercase_is_itself(c: char) -> bool {
    let mut lower = c.to_lowercase();
    lower.next() == Some(c) && lower.next().is_none()
}

/// Blocks beyond [`TABLE_CHARS`] without case: Samaritan to Myanmar, General Punctuation, CJK
/// symbols, kana and ideographs, Hangul syllables (checked against the standard library's tables
/// by a test). Lower-casing leaves their characters as they are.
const CASELESS: [(char, char); 4] = [
    ('\u{0800}', '\u{109F}'),
    ('\u{2000}', '\u{206F}'),
    ('\u{3000}', '\u{9FFF}'),
    ('\u{AC00}', '\u{D7A3}'),
];

/// Whether lower-casing `c` leaves it as it is (`c.to_lowercase()` is `c` alone), with fast paths
/// for the first 2048 code points and the blocks without case.
#[inline]
pub fn lowercases_to_itself(c: char) -> bool {
    if (c as usize) < TABLE_CHARS {
        class_table()[c as usize] & 4 != 0
    } else if CASELESS.iter().any(|&(a, b)| (a..=b).contains(&c)) {
        true
    } else {
        lowercase_is_itself(c)
    }
}

/// `s.to_lowercase()`, the same string, faster on text beyond ASCII: characters that lower-case
/// to themselves ([`lowercases_to_itself`]: accented lower-case letters, most Cyrillic and Greek
/// text, CJK, punctuation) are copied without a look-up in the case tables. A string with a
/// capital sigma, which lower-cases by its context, is left to the standard library.
pub fn to_lowercase(s: &str) -> String {
    if s.contains('Σ') {
        return s.to_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    push_chars_lowercased(&mut out, s);
    out
}

/// Appends `s` to `out` lower-cased character by character (`char::to_lowercase`: a capital
/// sigma becomes "σ" wherever it stands), with the fast paths of [`to_lowercase`].
fn push_chars_lowercased(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if lowercases_to_itself(c) {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The General Punctuation block (U+2000..U+206F: spaces, dashes, quotes, bullets) has no letters
/// or digits; curly quotes and dashes are common in prose and slow to look up otherwise.
fn is_general_punctuation(c: char) -> bool {
    ('\u{2000}'..='\u{206F}').contains(&c)
}

/// `char::is_alphanumeric`, with fast paths for ASCII, the first 2048 code points and punctuation.
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        non_ascii_class(c, 2, char::is_alphanumeric)
    }
}

/// `char::is_alphabetic`, with the same fast paths as [`is_alphanumeric`].
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        non_ascii_class(c, 1, char::is_alphabetic)
    }
}

/// Whether `c` is a CJK unified ideograph (U+4E00..U+9FFF) or a Hangul syllable
/// (U+AC00..U+D7A3): letters all (checked against the standard library in the tests), and the
/// bulk of Chinese, Japanese and Korean text.
#[inline]
fn is_cjk_letter(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}')
}

/// A class of a non-ASCII character: bit `bit` of [`class_table`] below [`TABLE_CHARS`], false in
/// the General Punctuation block, true for CJK ideographs and Hangul syllables, the standard
/// library's answer (`slow`) elsewhere.
#[inline]
fn non_ascii_class(c: char, bit: u8, slow: fn(char) -> bool) -> bool {
    if (c as usize) < TABLE_CHARS {
        class_table()[c as usize] & bit != 0
    } else if is_general_punctuation(c) {
        false
    } else if is_cjk_letter(c) {
        true
    } else {
        slow(c)
    }
}

/// The paragraphs of `text`: the pieces between `"\n\n"`, as `text.split("\n\n")` gives them
/// (leftmost, non-overlapping separators), found with `memchr::memmem`.
pub fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    let mut seps = memchr::memmem::find_iter(text.as_bytes(), b"\n\n");
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        // Separators are ASCII: the pieces start and end at character boundaries.
        match seps.next() {
            Some(at) => {
                let piece = text.get(from..at);
                from = at + 2;
                piece
            }
            None => {
                done = true;
                text.get(from..)
            }
        }
    })
}

/// Iterates over the words of `s`: maximal runs of alphanumeric characters (apostrophes inside kept).
pub fn words(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.split(|c: char| !(is_alphanumeric(c) || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
}

/// A language's stop words, looked up by value: each word of at most [`StopList::MAX_BYTES`]
/// bytes packed into one integer (its bytes, zero-padded), so that a lookup hashes one number
/// instead of a string. Words hold no zero byte, so two different words never pack alike.
#[derive(Debug)]
pub struct StopList {
    packed: rustc_hash::FxHashSet<u128>,
}

impl StopList {
    /// The longest word a list can hold, in bytes.
    pub const MAX_BYTES: usize = 16;

    /// The list of `words` (one per item). Panics on a word longer than [`Self::MAX_BYTES`]: the
    /// lists are chaff's own data files, checked by a test.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let packed = words
            .into_iter()
            .map(|w| {
                Self::pack(w.as_bytes(), false)
                    .unwrap_or_else(|| panic!("stop word longer than 16 bytes: {w:?}"))
            })
            .collect();
        StopList { packed }
    }

    /// The bytes `b` packed into one integer, their ASCII letters lower-cased when `fold`; None
    /// when they are too long for a list to hold.
    #[inline]
    pub(crate) fn pack(b: &[u8], fold: bool) -> Option<u128> {
        let mut buf = [0u8; Self::MAX_BYTES];
        let dst = buf.get_mut(..b.len())?;
        dst.copy_from_slice(b);
        if fold {
            dst.make_ascii_lowercase();
        }
        Some(u128::from_le_bytes(buf))
    }

    /// Whether `w`, as written (callers lower-case it), is a stop word.
    #[inline]
    pub fn contains(&self, w: impl AsRef<[u8]>) -> bool {
        Self::pack(w.as_ref(), false).is_some_and(|k| self.packed.contains(&k))
    }
}

/// The stop-word list of a language (ISO 639-3 code) when chaff has one (data/stopwords/).
pub fn stop_words(lang: &str) -> Option<&'static StopList> {
    static ENG: std::sync::OnceLock<StopList> = std::sync::OnceLock::new();
    match lang {
        "eng" => Some(
            ENG.get_or_init(|| StopList::new(include_str!("../data/stopwords/eng.txt").lines())),
        ),
        _ => None,
    }
}

/// Number of words in `s`.
pub fn word_count(s: &str) -> usize {
    words(s).count()
}

/// A key for comparing lines regardless of case, punctuation and spacing.
pub fn line_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_line_key(&mut out, s);
    out
}

/// Appends the [`line_key`] of `s` to `key` (as [`push_key_word`] does, word by word), with a
/// byte-level path for ASCII lines.
pub fn push_line_key(key: &mut String, s: &str) {
    if !s.is_ascii() {
        for w in words(s) {
            push_key_word(key, w);
        }
        return;
    }
    push_ascii_line_key(key, s, |_, _| {});
}

/// Appends the [`line_key`] of the ASCII line `s` to `key`, calling `each(word, lowered)` for
/// every word of [`ascii_words`] with the word as written and its lower-cased copy in the key. On
/// text that is not ASCII it splits at bytes, as [`ascii_words`] does: callers check `is_ascii`
/// first. One pass over the bytes, each word lower-cased as it is copied.
#[inline]
pub fn push_ascii_line_key(key: &mut String, s: &str, mut each: impl FnMut(&str, &[u8])) {
    let b = s.as_bytes();
    let mut out = std::mem::take(key).into_bytes();
    out.reserve(b.len());
    let mut i = 0;
    while i < b.len() {
        if !is_word_byte(b[i]) {
            i += 1;
            continue;
        }
        let mut start = i;
        while i < b.len() && is_word_byte(b[i]) {
            i += 1;
        }
        let mut end = i;
        while start < end && b[start] == b'\'' {
            start += 1;
        }
        while end > start && b[end - 1] == b'\'' {
            end -= 1;
        }
        // Both ends are at ASCII bytes, hence at character boundaries.
        let Some(word) = s.get(start..end).filter(|w| !w.is_empty()) else {
            continue;
        };
        if !out.is_empty() {
            out.push(b' ');
        }
        let at = out.len();
        out.extend(word.bytes().map(|c| c.to_ascii_lowercase()));
        each(word, &out[at..]);
    }
    *key = String::from_utf8(out).expect("the key gains only ASCII bytes");
}

/// [`push_key_word`] for an ASCII word; returns where the word starts in `key`.
#[inline]
pub fn push_ascii_key_word(key: &mut String, w: &str) -> usize {
    if !key.is_empty() {
        key.push(' ');
    }
    let start = key.len();
    key.push_str(w);
    key[start..].make_ascii_lowercase();
    start
}

/// The [`words`] of an ASCII line, found by bytes: runs of letters, digits and apostrophes,
/// trimmed of apostrophes. On text that is not ASCII it still splits at bytes (not what [`words`]
/// does): callers check `is_ascii` first.
pub fn ascii_words(s: &str) -> AsciiWords<'_> {
    AsciiWords {
        s,
        front: 0,
        back: s.len(),
    }
}

/// The bytes [`ascii_words`] keeps in a word: ASCII letters, digits and the apostrophe.
const WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'\'';
        b += 1;
    }
    t
};

#[inline]
fn is_word_byte(c: u8) -> bool {
    WORD_BYTE[usize::from(c)]
}

/// Iterator of [`ascii_words`], from either end (`front..back` is the part not yet read).
pub struct AsciiWords<'a> {
    s: &'a str,
    front: usize,
    back: usize,
}

impl<'a> AsciiWords<'a> {
    /// The run of word bytes `start..end`, trimmed of apostrophes: the word, unless only
    /// apostrophes were there.
    #[inline]
    fn word(&self, mut start: usize, mut end: usize) -> Option<&'a str> {
        let b = self.s.as_bytes();
        while start < end && b[start] == b'\'' {
            start += 1;
        }
        while end > start && b[end - 1] == b'\'' {
            end -= 1;
        }
        // Both ends are at ASCII bytes, hence at character boundaries.
        if start < end {
            self.s.get(start..end)
        } else {
            None
        }
    }
}

impl<'a> Iterator for AsciiWords<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        // Read up to `back` only: the bytes after it were read from the other end.
        let b = &self.s.as_bytes()[..self.back];
        loop {
            let mut i = self.front;
            while i < b.len() && !is_word_byte(b[i]) {
                i += 1;
            }
            if i >= b.len() {
                self.front = b.len();
                return None;
            }
            let start = i;
            while i < b.len() && is_word_byte(b[i]) {
                i += 1;
            }
            self.front = i;
            if let Some(w) = self.word(start, i) {
                return Some(w);
            }
        }
    }
}

impl<'a> DoubleEndedIterator for AsciiWords<'a> {
    /// The last word not yet read, found from the end (a text's last word without walking the
    /// others).
    #[inline]
    fn next_back(&mut self) -> Option<&'a str> {
        let b = self.s.as_bytes();
        loop {
            let mut end = self.back;
            while end > self.front && !is_word_byte(b[end - 1]) {
                end -= 1;
            }
            if end <= self.front {
                self.back = self.front;
                return None;
            }
            let mut start = end;
            while start > self.front && is_word_byte(b[start - 1]) {
                start -= 1;
            }
            self.back = start;
            if let Some(w) = self.word(start, end) {
                return Some(w);
            }
        }
    }
}

/// Appends one word (from [`words`]) to a [`line_key`] being built.
#[inline]
pub fn push_key_word(key: &mut String, w: &str) {
    if w.is_ascii() {
        push_ascii_key_word(key, w);
        return;
    }
    if !key.is_empty() {
        key.push(' ');
    }
    push_chars_lowercased(key, w);
}

/// An ASCII word boundary in regex syntax: with a Unicode word boundary the lazy DFA gives up on
/// non-ASCII text and the search falls back to a much slower engine.
pub const ASCII_WORD_BOUNDARY: &str = "(?-u:\\b)";

/// Rewrites every word boundary `\b` of a regex (outside character classes, where `\b` is a
/// backspace) to `with`: [`ASCII_WORD_BOUNDARY`], or `""` to drop the assertion (the regex then
/// matches a superset of what it matched, and a lazy DFA runs it on any text).
pub fn replace_word_boundaries(re: &str, with: &str) -> String {
    let mut out = String::with_capacity(re.len() + 16);
    let mut chars = re.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('b') if !in_class => out.push_str(with),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A ']' right after '[' or '[^' is a literal.
                let rest = chars.as_str();
                if let Some(r) = rest.strip_prefix("^]") {
                    out.push_str("^]");
                    chars = r.chars();
                } else if let Some(r) = rest.strip_prefix(']') {
                    out.push(']');
                    chars = r.chars();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast answers of `lowercases_to_itself` are the standard library's, for every
    /// character they cover.
    #[test]
    fn lowercases_to_itself_agrees_with_the_standard_library() {
        let covered = (0..TABLE_CHARS as u32)
            .chain(CASELESS.iter().flat_map(|&(a, b)| a as u32..=b as u32))
            .filter_map(char::from_u32);
        let mut n = 0;
        for c in covered {
            assert_eq!(lowercases_to_itself(c), lowercase_is_itself(c), "{c:?}");
            n += 1;
        }
        assert!(n > 40_000, "{n}");
        assert!(!lowercases_to_itself('É') && !lowercases_to_itself('Д'));
        assert!(lowercases_to_itself('é') && lowercases_to_itself('中'));
    }

    #[test]
    fn two_spaces_are_found_at_every_offset() {
        for k in 1..30 {
            let (a, b) = ("x".repeat(k), "y".repeat(12));
            assert!(is_collapsed(&format!("{a} {b}")), "{k}");
            assert!(!is_collapsed(&format!("{a}  {b}")), "{k}");
            assert!(!is_collapsed(&format!("{a}\t{b}")), "{k}");
            assert!(!is_collapsed(&format!("{a} \u{a0}{b}")), "{k}");
        }
    }

    /// What collapsing white space means: the words, joined by single spaces.
    fn collapsed_by_split(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Every word of each stop-word file is found, as written and with its letters in upper
    /// case; its prefixes and extensions are not (zero padding cannot make two words alike), nor
    /// are words too long to pack.
    #[test]
    fn stop_lists_hold_exactly_their_words() {
        let text = include_str!("../data/stopwords/eng.txt");
        let list = stop_words("eng").expect("an English list");
        let words: std::collections::HashSet<&str> = text.lines().collect();
        for w in text.lines() {
            assert!(list.contains(w), "{w}");
            // Packed with its ASCII letters folded, the upper-case word is the word.
            assert_eq!(
                StopList::pack(w.to_ascii_uppercase().as_bytes(), true),
                StopList::pack(w.as_bytes(), false),
                "{w}"
            );
            let longer = format!("{w}s");
            assert_eq!(
                list.contains(&longer),
                words.contains(longer.as_str()),
                "{longer}"
            );
            let shorter = &w[..w.len() - 1];
            assert_eq!(list.contains(shorter), words.contains(shorter), "{shorter}");
        }
        assert!(!list.contains("tariffs") && !list.contains("The"));
        assert!(StopList::pack(b"theeeeeeeeeeeeeeeeeeee", true).is_none());
        assert!(stop_words("deu").is_none());
    }

    proptest::proptest! {
        /// The already-collapsed test agrees with collapsing.
        #[test]
        fn is_collapsed_means_collapsing_changes_nothing(
            s in "[a \t\n\u{a0}\u{85}\u{2009}\u{3000}\u{1680}\u{202f}\u{205f}é—]{0,12}"
        ) {
            let slow = collapsed_by_split(&s);
            proptest::prop_assert_eq!(is_collapsed(&s), slow == s);
            proptest::prop_assert_eq!(collapse_whitespace(&s), slow);
        }

        /// The fast lower-casing gives what the standard library gives, on text of many
        /// scripts with capitals, final and medial sigmas, and letters that lower-case to two
        /// characters ("İ").
        #[test]
        fn to_lowercase_is_the_standard_one(
            s in "[a-zA-Z ÀÉÈéèßÿ×ДдЁёЖжΣσςΑαΩωİıẞǅⅠⒶ中文한국어ｶ’—.!]{0,40}"
        ) {
            proptest::prop_assert_eq!(to_lowercase(&s), s.to_lowercase());
        }

        /// The same on longer lines, mostly ASCII (read eight bytes at a time), with spaces,
        /// control characters and a few non-ASCII letters and spaces at any offset.
        #[test]
        fn is_collapsed_on_long_lines(
            s in "([a-z!]{0,9}( |  |\t|\r|\x0b|\x1f|\u{a0}|\u{2009}|é)?){0,8}"
        ) {
            let slow = collapsed_by_split(&s);
            proptest::prop_assert_eq!(is_collapsed(&s), slow == s, "{:?}", s);
        }

        /// The one-pass key of an ASCII line is the word-by-word one, whatever the line (any
        /// printable ASCII, tabs, runs of apostrophes) and whatever the key held before.
        #[test]
        fn ascii_line_keys_on_any_ascii_line(
            line in "([ -~\\t]|'{1,3}|[A-Z]{1,4}){0,30}",
            prefix in "(|x|Ab'c|é)"
        ) {
            let mut slow = prefix.clone();
            for w in words(&line) {
                push_key_word(&mut slow, w);
            }
            let mut fast = prefix;
            push_line_key(&mut fast, &line);
            proptest::prop_assert_eq!(fast, slow, "{:?}", line);
        }

        /// What an ASCII-case-folding automaton sees in the folded haystack is the lower-cased
        /// text; a borrowed haystack keeps the text's byte offsets.
        #[test]
        fn folded_haystack_reads_as_the_lower_cased_text(
            text in "[a-zA-Z ’'éÉçÇДдΣσİıẞß\u{2160}\u{24B6}ǅ.-]{0,40}"
        ) {
            let folded = fold_for_ascii_matcher(&text);
            proptest::prop_assert_eq!(folded.to_ascii_lowercase(), text.to_lowercase());
            if let std::borrow::Cow::Borrowed(b) = folded {
                proptest::prop_assert_eq!(b.len(), text.len());
            }
        }
    }

    /// The byte-level ASCII path of `push_line_key` builds the same key as the word-by-word one.
    #[test]
    fn ascii_line_keys_match_the_word_path() {
        for line in [
            "Share this article: Facebook | Twitter | E-mail",
            "  'Quoted' words, it's 3 min read -- 09-29-2016 ''  ",
            "By: Anonymous | 09-29-2016 | News",
            "'''",
            "",
            "don't stop' 'me now",
            "ALL CAPS HEADLINE!!!",
        ] {
            let mut slow = String::from("prefix");
            for w in words(line) {
                push_key_word(&mut slow, w);
            }
            let mut fast = String::from("prefix");
            push_line_key(&mut fast, line);
            assert_eq!(fast, slow, "{line:?}");
            let alone = slow.strip_prefix("prefix").unwrap_or_default().trim_start();
            assert_eq!(line_key(line), alone, "{line:?}");
            assert_eq!(
                ascii_words(line).collect::<Vec<_>>(),
                words(line).collect::<Vec<_>>(),
                "{line:?}"
            );
            assert_eq!(
                ascii_words(line).rev().collect::<Vec<_>>(),
                words(line).rev().collect::<Vec<_>>(),
                "{line:?}"
            );
        }
    }

    #[test]
    fn splitting() {
        assert_eq!(collapse_whitespace("  a \t b\u{a0}c "), "a b c");
        assert_eq!(
            words("Kerry's “grave concern” — 250,000").collect::<Vec<_>>(),
            ["Kerry's", "grave", "concern", "250", "000"]
        );
        assert_eq!(line_key("US threatens: to END!"), "us threatens to end");
        assert_eq!(line_key("Über İstanbul ΣΟΦΙΑ"), "über i̇stanbul σοφια");
    }

    /// The byte-level white-space test agrees with `char::is_whitespace` on every character, and
    /// collapsing agrees with splitting at white space.
    #[test]
    fn whitespace_by_bytes_agrees_with_std() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let enc = c.encode_utf8(&mut buf).as_bytes();
            let expected = if c.is_whitespace() { enc.len() } else { 0 };
            assert_eq!(whitespace_len_at(enc, 0), expected, "{c:?}");
        }
        for s in [
            "",
            " ",
            "a",
            " a\tb\x0bc\x0cd\re\n f  ",
            "a\x1fb",
            "\t\t",
            "\u{a0}x\u{3000}y\u{2009}\u{2028}z\u{85}é “q” \u{200b}w\u{202f}",
            "\u{1680}",
        ] {
            let expected = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(s), expected, "{s:?}");
        }
    }

    #[test]
    fn word_boundaries_are_rewritten_outside_classes() {
        let ascii = |re| replace_word_boundaries(re, ASCII_WORD_BOUNDARY);
        assert_eq!(ascii(r"^a.*\b[\bx]\.$"), r"^a.*(?-u:\b)[\bx]\.$");
        assert_eq!(ascii(r"[]a\b]\b"), r"[]a\b](?-u:\b)");
        assert_eq!(
            replace_word_boundaries(r"\bfollow\b [\b]\\b", ""),
            r"follow [\b]\\b"
        );
    }

    #[test]
    fn ascii_words_read_from_both_ends_meet_once() {
        let line = "'Quoted' words, it's 3 min read -- '' 09-29-2016";
        let mut it = ascii_words(line);
        let (mut front, mut back) = (Vec::new(), Vec::new());
        while let Some(w) = it.next() {
            front.push(w);
            match it.next_back() {
                Some(w) => back.push(w),
                None => break,
            }
        }
        front.extend(back.into_iter().rev());
        assert_eq!(front, words(line).collect::<Vec<_>>());
    }

    #[test]
    fn paragraphs_are_split_at_blank_lines() {
        for text in [
            "",
            "a",
            "\n\n",
            "\n\n\n",
            "\n\n\n\n\n",
            "one\n\ntwo\nstill two\n\n\nthree\n\n",
            "\nx\n\n\ny\n",
            "é\n\n東京\n\n",
        ] {
            let want: Vec<&str> = text.split("\n\n").collect();
            assert_eq!(paragraphs(text).collect::<Vec<_>>(), want, "{text:?}");
        }
    }

    #[test]
    fn fast_character_classes_agree_with_std() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
        }
    }
}
