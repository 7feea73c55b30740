//! Repair: undo damage done to text before chaff saw it.
//!
//! Each fixer is small and named ([`fixes`]); [`repair`] runs them in order and returns the text with
//! the list of fixes that changed something, so reports can say what was repaired.

pub mod badness;
pub mod chardata;
pub mod fixes;
pub mod mojibake;

pub use fixes::Fix;
use std::borrow::Cow;

/// Text after repair, with the fixes that changed it.
#[derive(Debug, Clone, Default)]
pub struct Repaired {
    /// The repaired text.
    pub text: String,
    /// Fixes that changed something, in the order applied.
    pub fixes: Vec<Fix>,
}

impl Repaired {
    /// Human-readable reasons, one per fix applied.
    pub fn reasons(&self) -> Vec<String> {
        self.fixes.iter().map(Fix::describe).collect()
    }
}

/// Runs every fixer on `text`: line ends, entities, mojibake, C1 and other control characters,
/// punctuation lost as `?`, NFC. Each line is repaired on its own, and only the lines the fast
/// scan ([`first_suspect`]) flags get any further work; the rest are copied through.
pub fn repair(text: &str) -> Repaired {
    let (text, fixes) = repair_cow(text);
    Repaired {
        text: text.into_owned(),
        fixes,
    }
}

/// [`repair`] without a copy when nothing changes: clean text comes back borrowed.
pub fn repair_cow(text: &str) -> (Cow<'_, str>, Vec<Fix>) {
    let mut fixes = Vec::new();
    let text = fix_line_ends(text, &mut fixes);
    if first_suspect(&text).is_none() {
        return (text, fixes);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    repair_pieces(&text, &mut fixes, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    (Cow::Owned(out), fixes)
}

/// [`repair`] written to `out` as it goes: stretches of clean lines are written as they are,
/// without being copied into a new string first. Returns the fixes applied.
pub fn repair_into(text: &str, out: &mut impl std::io::Write) -> std::io::Result<Vec<Fix>> {
    let mut fixes = Vec::new();
    let text = fix_line_ends(text, &mut fixes);
    repair_pieces(&text, &mut fixes, |piece| out.write_all(piece.as_bytes()))?;
    Ok(fixes)
}

/// `\r\n` and lone `\r` to `\n` (the one fix that works on the whole text), noted in `fixes`.
fn fix_line_ends<'a>(text: &'a str, fixes: &mut Vec<Fix>) -> Cow<'a, str> {
    // (memchr: the standard library's `contains` looks at every byte.)
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    match fixes::fix_line_ends(text) {
        Some((t, f)) => {
            fixes.push(f);
            Cow::Owned(t)
        }
        None => Cow::Borrowed(text),
    }
}

/// The repaired text of `text` (line ends already normalised) as a series of pieces handed to
/// `emit`: the lines [`first_suspect`] flags go through every fixer, the stretches between them
/// are passed on as they are.
fn repair_pieces<E>(
    text: &str,
    fixes: &mut Vec<Fix>,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let mut pos = 0;
    while let Some(at) = first_suspect(&text[pos..]) {
        let (start, end) = line_around(text, pos + at);
        emit(&text[pos..start])?;
        let current = fix_to_fixed_point(&text[start..end], fixes);
        emit(&current)?;
        pos = end;
    }
    emit(&text[pos..])
}

/// Most rounds of the fixer chain one line gets. One round is the rule; a second is needed when
/// a later fixer uncovers work for an earlier one (removing control characters that kept the
/// mojibake fixer off a word, an entity decoded into mojibake); the cap bounds pathological input.
const MAX_ROUNDS: usize = 4;

/// `line` after the fixer chain has run until no fixer changes it (at most [`MAX_ROUNDS`]
/// rounds), so repairing repaired text changes nothing. Fixes applied are added to `fixes`.
fn fix_to_fixed_point<'a>(line: &'a str, fixes: &mut Vec<Fix>) -> Cow<'a, str> {
    let mut current = Cow::Borrowed(line);
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for fixer in fixes::FIXERS {
            if let Some((fixed, done)) = fixer(&current) {
                if fixed == *current {
                    continue;
                }
                changed = true;
                current = Cow::Owned(fixed);
                for f in done {
                    add_fix(fixes, f);
                }
            }
        }
        if !changed {
            break;
        }
    }
    current
}

/// Adds `f` to `fixes`, summing counts of the same fix (same name and detail).
pub fn add_fix(fixes: &mut Vec<Fix>, f: Fix) {
    match fixes
        .iter_mut()
        .find(|t| t.name == f.name && t.detail == f.detail)
    {
        Some(t) => t.count += f.count,
        None => fixes.push(f),
    }
}

/// Repairs one block of output text and collapses its white space to single spaces, repeating
/// both until neither changes anything (at most [`MAX_ROUNDS`] times): collapsing can enable a
/// repair (a no-break space that kept a word from being re-decoded becomes a plain space), so
/// one round would leave work for the next run over chaff's own output. Fixes go to `fixes`.
pub fn repair_collapsed(text: &str, fixes: &mut Vec<Fix>) -> String {
    let repaired = repair_into_fixes(text, fixes);
    // Clean text (the scan found nothing: it came back borrowed) that collapsing left as it was
    // is done: the scan would find nothing again.
    let clean = matches!(repaired, Cow::Borrowed(_));
    let mut current = crate::text_util::collapse_whitespace(&repaired);
    if clean && current == text {
        return current;
    }
    for _ in 1..MAX_ROUNDS {
        if first_suspect(&current).is_none() {
            break;
        }
        let next = crate::text_util::collapse_whitespace(&repair_into_fixes(&current, fixes));
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// [`repair_cow`] with its fixes added to `fixes`.
fn repair_into_fixes<'a>(text: &'a str, fixes: &mut Vec<Fix>) -> Cow<'a, str> {
    let (repaired, done) = repair_cow(text);
    for f in done {
        add_fix(fixes, f);
    }
    repaired
}

/// The line (start, end including its `\n`) holding byte `at`.
fn line_around(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    let end = text[at..].find('\n').map_or(text.len(), |p| at + p + 1);
    (start, end)
}

/// Fast path: true when no fixer could change `text` (see [`first_suspect`]).
pub fn looks_clean(text: &str) -> bool {
    first_suspect(text).is_none()
}

/// ASCII bytes that need a look: C0 controls other than tab and newline, `&`, `?`, DEL.
static ASCII_ATTENTION: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b != b'\n' as usize && b != b'\t' as usize;
        b += 1;
    }
    t[b'&' as usize] = true;
    t[b'?' as usize] = true;
    t[0x7F] = true;
    t
};

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether the eight bytes in `w` are all ASCII and none is a control character, `&`, `?` or
/// DEL: then [`first_suspect`] can step over them at once. (Bit tricks on one word: for bytes
/// below 0x80, `(x - n) & !x & 0x80` is non-zero in some byte exactly when some byte of `x` is
/// below `n`.) Tab and newline count as controls here; the byte loop lets them through.
#[inline]
fn quiet_ascii_word(w: u64) -> bool {
    let below = |x: u64, n: u64| x.wrapping_sub(LO * n) & !x & HI;
    let has = |b: u64| below(w ^ (LO * b), 1);
    (w & HI) | below(w, 0x20) | has(b'&' as u64) | has(b'?' as u64) | has(0x7F) == 0
}

/// A byte offset inside the first line that some fixer might change; `None` when the text is
/// certainly clean. One pass over the bytes: plain ASCII is skipped eight bytes at a time, a
/// non-ASCII character costs a table look-up ([`chardata::scan_info`]), and only characters
/// that could take part in a repair (`F_ACTIVE`) cost more. The exact mojibake unit check runs
/// only where a lead character is directly followed by a continuation character of the same
/// charset (or by a space standing for a lost no-break space); the NFC check only on a line
/// holding a character whose NFC quick-check answer is not "yes" (combining classes are checked
/// in the scan); the lost-punctuation check only on a pure-ASCII line where a `?` sits in a
/// telltale spot.
pub fn first_suspect(text: &str) -> Option<usize> {
    use chardata::{F_ACTIVE, F_NBSP_MAYBE, F_NFC_MAYBE, F_SUSPECT};
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    // Where the last active non-ASCII character ended, and its combining class.
    let mut prev_end = usize::MAX;
    let mut prev_ccc = 0u8;
    // Per codec (bit k): a unit in progress that needs one, two or three more continuations.
    let (mut need1, mut need2, mut need3) = (0u8, 0u8, 0u8);
    while i < n {
        let b = bytes[i];
        if b < 0x80 {
            if ASCII_ATTENTION[b as usize] && (b != b'?' || lost_punctuation_near(text, i)) {
                return Some(i);
            }
            i += 1;
            if bytes.get(i).is_some_and(|&b| b >= 0x80) {
                // One space between two words of another script.
                continue;
            }
            while let Some(chunk) = bytes.get(i..i + 8) {
                let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
                if !quiet_ascii_word(w) {
                    break;
                }
                i += 8;
            }
            continue;
        }
        let (c, len) = decode_char(bytes, i);
        let info = chardata::scan_info(c);
        if info.flags & F_ACTIVE == 0 {
            // Ends any unit in progress, like an ASCII character.
            i += len;
            continue;
        }
        if info.flags & F_SUSPECT != 0 {
            return Some(i);
        }
        if prev_end != i {
            (need1, need2, need3) = (0, 0, 0);
            prev_ccc = 0;
        }
        if need1 & info.cont != 0 && unit_ending_at(text, i + len) {
            return Some(i);
        }
        need1 = (need2 & info.cont) | (info.lead & !(info.lead3 | info.lead4));
        need2 = (need3 & info.cont) | info.lead3;
        need3 = info.lead4;
        if need1 != 0
            && info.flags & F_NBSP_MAYBE != 0
            && bytes.get(i + len) == Some(&b' ')
            && unit_ending_at(text, i + len + 1)
        {
            return Some(i);
        }
        if info.ccc != 0 && prev_ccc > info.ccc {
            return Some(i);
        }
        if info.flags & F_NFC_MAYBE != 0 && !nfc_around(text, i, len) {
            return Some(i);
        }
        prev_end = i + len;
        prev_ccc = info.ccc;
        i += len;
    }
    None
}

/// Whether the `?` at byte `i` sits where [`fixes::fix_lost_punctuation`] would act (a letter
/// before it, or spaces around it) and its line is pure ASCII; then the fixer itself decides.
fn lost_punctuation_near(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    let prev_alnum = i > 0 && b[i - 1].is_ascii_alphanumeric();
    let spaced = i > 0 && b[i - 1] == b' ' && b.get(i + 1) == Some(&b' ');
    if !prev_alnum && !spaced {
        return false;
    }
    let (start, end) = line_around(text, i);
    let line = &text[start..end];
    line.is_ascii() && fixes::fix_lost_punctuation(line).is_some()
}

/// Whether the stretch around the character at `i..i + len` (whose NFC quick check said
/// "maybe") is in NFC. Normalisation never reaches across a boundary before a character with
/// combining class 0 and quick check "yes", so only the stretch between the boundaries on either
/// side is normalised.
fn nfc_around(text: &str, i: usize, len: usize) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let boundary = |c: char| {
        let info = chardata::scan_info(c);
        info.ccc == 0 && info.flags & chardata::F_NFC_MAYBE == 0
    };
    let mut start = i;
    for c in text[..i].chars().rev() {
        start -= c.len_utf8();
        if boundary(c) {
            break;
        }
    }
    let mut end = i + len;
    for c in text[end..].chars() {
        if boundary(c) {
            break;
        }
        end += c.len_utf8();
    }
    let seg = &text[start..end];
    seg.nfc().eq(seg.chars())
}

/// Decodes the character starting at `bytes[i]` (valid UTF-8, `bytes[i] >= 0x80`).
#[inline]
fn decode_char(bytes: &[u8], i: usize) -> (char, usize) {
    let b0 = bytes[i] as u32;
    let (u, len) = if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | (bytes[i + 1] as u32 & 0x3F), 2)
    } else if b0 < 0xF0 {
        (
            ((b0 & 0x0F) << 12)
                | ((bytes[i + 1] as u32 & 0x3F) << 6)
                | (bytes[i + 2] as u32 & 0x3F),
            3,
        )
    } else {
        (
            ((b0 & 0x07) << 18)
                | ((bytes[i + 1] as u32 & 0x3F) << 12)
                | ((bytes[i + 2] as u32 & 0x3F) << 6)
                | (bytes[i + 3] as u32 & 0x3F),
            4,
        )
    };
    (char::from_u32(u).unwrap_or('\u{FFFD}'), len)
}

/// Whether a mojibake unit of some codec ends at byte `end` (it starts one to three characters
/// back): the exact check, for the rare places the cheap masks flag.
fn unit_ending_at(text: &str, end: usize) -> bool {
    let mut window = ['\0'; 4];
    let mut k = 0;
    for c in text[..end].chars().rev().take(4) {
        window[3 - k] = c;
        k += 1;
    }
    let window = &window[4 - k..];
    (0..k.saturating_sub(1)).any(|j| mojibake::unit_starts_at(window, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_check_agrees_with_the_byte_table() {
        // Every byte value in every position of an otherwise quiet word.
        for pos in 0..8 {
            for b in 0..=255u8 {
                let mut w = *b"abcdefgh";
                w[pos] = b;
                let quiet = b < 0x80 && !ASCII_ATTENTION[b as usize] && b != b'\n' && b != b'\t';
                assert_eq!(
                    quiet_ascii_word(u64::from_le_bytes(w)),
                    quiet,
                    "{b:#x} at {pos}"
                );
            }
        }
    }

    #[test]
    fn streamed_and_returned_repairs_agree() {
        for text in [
            "clean line\r\ncafÃ© line\nclean – line\nLet?s see",
            "only clean text, with “quotes” and Ελληνικά\n",
            "",
        ] {
            let mut out = Vec::new();
            let fixes = repair_into(text, &mut out).unwrap();
            let r = repair(text);
            assert_eq!(String::from_utf8(out).unwrap(), r.text);
            assert_eq!(fixes, r.fixes);
        }
        let clean = "nothing to do here\n";
        assert!(matches!(repair_cow(clean).0, Cow::Borrowed(_)));
    }

    #[test]
    fn clean_text_is_untouched() {
        let t = "The United States is close to suspending talks, Kerry said on Thursday.\n";
        let r = repair(t);
        assert_eq!(r.text, t);
        assert!(r.fixes.is_empty());
    }

    #[test]
    fn fast_scan_agrees_with_the_fixers() {
        for clean in [
            "дзейнасці вынікі",           // 1251 leads and continuations that make no unit
            "Det er godt – men hvorfor?", // Mac Roman has no no-break space
            "Dozası: 32 – 135 q.",
            "ক্ষেত্রে বাংলা", // combining marks in canonical order
            "Ẹ̀ùkárẹ́",     // no precomposed form: NFC as it is
            "Is it? Yes.",
        ] {
            assert!(looks_clean(clean), "{clean}");
            assert_eq!(repair(clean).text, clean);
        }
        for broken in [
            "cafÃ©",
            "don’t\u{0085}",
            "Let?s go",
            "cafe\u{301}",
            "a\u{301}\u{316}", // combining marks out of canonical order
            "nÃ y",
            "x &amp; y",
        ] {
            assert!(!looks_clean(broken), "{broken}");
        }
    }

    #[test]
    fn flagged_but_clean_lines_stay() {
        // In windows-1251 `Мі` is a two-byte unit (U+0333): the scan flags it, repair keeps it.
        let s = "Міністэрства фінансаў вынікі\n";
        assert!(!looks_clean(s));
        let r = repair(s);
        assert_eq!(r.text, s);
        assert!(r.fixes.is_empty());
    }

    #[test]
    fn only_flagged_lines_change() {
        let text = "clean line one\ncafÃ© line\nclean – line\nLet?s see\n";
        let r = repair(text);
        assert_eq!(
            r.text,
            "clean line one\ncafé line\nclean – line\nLet’s see\n"
        );
    }

    #[test]
    fn mac_roman_c1_inside_words() {
        let r = repair("Habitantes de Coatl\u{87}n conf\u{92}an en proyecto");
        assert_eq!(r.text, "Habitantes de Coatlán confían en proyecto");
        let r = repair("está \u{93}próximo a resolverse\u{94}");
        assert_eq!(r.text, "está “próximo a resolverse”");
    }

    #[test]
    fn entities_and_controls() {
        let r = repair("Tom &amp;amp; Jerry&#8217;s \u{0007}show\r\n");
        assert_eq!(r.text, "Tom & Jerry’s show\n");
        let reasons = r.reasons().join("; ");
        assert!(reasons.contains("entit"), "{reasons}");
        assert!(reasons.contains("control"), "{reasons}");
    }

    #[test]
    fn c1_controls_windows_1252_leaves_undefined_are_removed() {
        // 0x93/0x94 are windows-1252 quotes; 0x81, 0x8D, 0x8F, 0x90, 0x9D map to nothing.
        let r = repair("\u{8d}a\u{a3} \u{93}q\u{94} x\u{81}\u{8f}\u{90}\u{9d}y\n");
        assert_eq!(r.text, "a£ “q” xy\n");
        assert!(r.reasons().join("; ").contains("removed 5 control"));
        // Mojibake holding one of them (“é” is C3 A9; “Á” is C3 81) is still repaired first.
        assert_eq!(
            repair("\u{c3}\u{81}rbol y caf\u{c3}\u{a9}").text,
            "Árbol y café"
        );
    }
}
