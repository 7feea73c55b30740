//! Repair: undo damage done to text before chaff saw it.
//!
//! Each fixer is small and named ([`fixes`]); [`repair`] runs them in order and returns the text with
//! the list of fixes that changed something, so reports can say what was repaired.

pub mod badness;
pub mod chardata;
pub mod fixes;
pub mod mojibake;

pub use fixes::Fix;

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
    let mut fixes: Vec<Fix> = Vec::new();
    let text = match fixes::fix_line_ends(text) {
        Some((t, f)) => {
            fixes.push(f);
            std::borrow::Cow::Owned(t)
        }
        None => std::borrow::Cow::Borrowed(text),
    };
    let Some(first) = first_suspect(&text) else {
        return Repaired {
            text: text.into_owned(),
            fixes,
        };
    };
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut pos = 0;
    let mut next = Some(first);
    while let Some(at) = next {
        let (start, end) = line_around(&text, pos + at);
        out.push_str(&text[pos..start]);
        let line = &text[start..end];
        let mut current = std::borrow::Cow::Borrowed(line);
        for fixer in fixes::FIXERS {
            if let Some((fixed, done)) = fixer(&current) {
                current = std::borrow::Cow::Owned(fixed);
                for f in done {
                    match fixes
                        .iter_mut()
                        .find(|t| t.name == f.name && t.detail == f.detail)
                    {
                        Some(t) => t.count += f.count,
                        None => fixes.push(f),
                    }
                }
            }
        }
        out.push_str(&current);
        pos = end;
        next = first_suspect(&text[pos..]);
    }
    out.push_str(&text[pos..]);
    Repaired { text: out, fixes }
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

/// ASCII bytes that need a look: C0 controls other than tab and newline, `&`, `?`, DEL. Every
/// other ASCII byte costs [`first_suspect`] one table look-up.
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

/// A byte offset inside the first line that some fixer might change; `None` when the text is
/// certainly clean. One pass over the bytes: plain ASCII costs a table look-up, a non-ASCII
/// character one more ([`chardata::scan_info`]). The exact mojibake unit check runs only where a
/// lead character is directly followed by a continuation character of the same charset (or by a
/// space standing for a lost no-break space); the NFC check only on a line holding a character
/// whose NFC quick-check answer is not "yes" (combining classes are checked in the scan); the
/// lost-punctuation check only on a pure-ASCII line where a `?` sits in a telltale spot.
pub fn first_suspect(text: &str) -> Option<usize> {
    use chardata::{F_NBSP_MAYBE, F_NFC_MAYBE, F_SUSPECT};
    // (`?`, `&`, controls: see ASCII_ATTENTION.)
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    // Where the last non-ASCII character ended, and its combining class.
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
            continue;
        }
        let (c, len) = decode_char(bytes, i);
        let info = chardata::scan_info(c);
        if info.flags & F_SUSPECT != 0 {
            return Some(i);
        }
        let adjacent = prev_end == i;
        if !adjacent {
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
