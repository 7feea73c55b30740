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
/// punctuation lost as `?`, NFC. Each line is repaired on its own, and a line that cannot need any
/// fix ([`looks_clean`]) is copied through without further work.
pub fn repair(text: &str) -> Repaired {
    let mut fixes: Vec<Fix> = Vec::new();
    let text = match fixes::fix_line_ends(text) {
        Some((t, f)) => {
            fixes.push(f);
            std::borrow::Cow::Owned(t)
        }
        None => std::borrow::Cow::Borrowed(text),
    };
    if looks_clean(&text) {
        return Repaired {
            text: text.into_owned(),
            fixes,
        };
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        if looks_clean(line) {
            out.push_str(line);
            continue;
        }
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
    }
    Repaired { text: out, fixes }
}

/// Fast path: true when no fixer could change `text`. It looks at each byte once; non-ASCII
/// characters are checked against the charset tables only when one could start a mojibake unit.
pub fn looks_clean(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut prev_mask = 0u8;
    let mut prev_nbsp_lead = false;
    let mut ascii_only = true;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b < 0x20 && b != b'\n' && b != b'\t' || b == b'&' || b == 0x7F {
                return false;
            }
            // A lead character before a space may be a lost no-break space (`nÃ y`).
            if b == b' ' && prev_nbsp_lead {
                return false;
            }
            prev_mask = 0;
            prev_nbsp_lead = false;
            i += 1;
            continue;
        }
        ascii_only = false;
        let c = match text[i..].chars().next() {
            Some(c) => c,
            None => return false,
        };
        let (lead, cont) = chardata::unit_masks(c);
        if prev_mask & cont != 0
            || ('\u{80}'..='\u{9f}').contains(&c)
            || c == '\u{FFFD}'
            || c == '\u{FEFF}'
            || c == '\u{200B}'
        {
            return false;
        }
        prev_mask = lead;
        prev_nbsp_lead = matches!(c, 'Ã' | 'Å' | 'Ð' | 'Р' | 'Ă' | 'Ĺ' | 'º' | '»' | '¸');
        i += c.len_utf8();
    }
    if ascii_only {
        return !text.contains('?') || fixes::fix_lost_punctuation(text).is_none();
    }
    unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
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
    fn entities_and_controls() {
        let r = repair("Tom &amp;amp; Jerry&#8217;s \u{0007}show\r\n");
        assert_eq!(r.text, "Tom & Jerry’s show\n");
        let reasons = r.reasons().join("; ");
        assert!(reasons.contains("entit"), "{reasons}");
        assert!(reasons.contains("control"), "{reasons}");
    }
}
