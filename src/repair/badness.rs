//! How much a stretch of text looks like mis-decoding debris.
//!
//! The mojibake fixer compares the badness of a word before and after re-decoding it and keeps the
//! version that looks less broken. The signals are the ones mojibake is made of (the general idea
//! of a "badness" score is ftfy's; these rules are our own):
//!
//! * debris characters: C1 controls, IPA or rare Latin Extended-B letters, box drawing, ...;
//! * a lowercase letter followed by an uppercase one, when one of them is non-ASCII (`tÃ¶`, `ї→С`);
//! * two adjacent letters from different scripts (`mГ©`, `IL2RÎ`);
//! * a run of non-ASCII symbols between two letters (`Ã©t`, `t√©l`, `don‚Äôt`);
//! * `Â`, `Ã`, `â`, `×`, `Ø` or `Ù` directly followed by a windows-1252 symbol (`Â°`, `Ã‘`, `â€™`,
//!   `×‘`): the most common UTF-8 lead bytes (Latin-1, punctuation, Hebrew, Arabic) in their
//!   windows-1252 reading. `Â` before a no-break space is left out: alone it is too weak.

use super::chardata::{is_debris, is_latin1_symbol, script, Script};

/// Symbols that do occur between letters in real text.
fn is_word_internal_punct(c: char) -> bool {
    matches!(
        c,
        '’' | '‘' | 'ʼ' | '·' | '\u{AD}' | '‐' | '‑' | '\u{200D}' | '\u{200C}'
    )
}

/// The badness of `s` (higher = more broken).
pub fn badness(s: &[char]) -> u32 {
    let mut bad = 0;
    let n = s.len();
    let mut i = 0;
    while i < n {
        let c = s[i];
        if is_debris(c) {
            bad += if ('\u{80}'..='\u{9F}').contains(&c) {
                3
            } else {
                2
            };
        } else if c == '\u{FFFD}' {
            bad += 1;
        }
        if let Some(&d) = s.get(i + 1) {
            if c.is_lowercase() && d.is_uppercase() && (!c.is_ascii() || !d.is_ascii()) {
                bad += 1;
            }
            let (sc, sd) = (script(c), script(d));
            if sc != Script::None && sd != Script::None && sc != sd && !caseless_next_to_ascii(c, d)
            {
                bad += 1;
            }
            if matches!(c, 'Â' | 'Ã' | 'â' | '×' | 'Ø' | 'Ù')
                && is_latin1_symbol(d)
                && !(c == 'Â' && d == '\u{A0}')
                && !is_possessive(s, i + 1)
            {
                bad += 1;
            }
            // A run of symbols wedged between two letters.
            if c.is_alphabetic() && is_odd_symbol(d) {
                let mut j = i + 1;
                while j < n && is_odd_symbol(s[j]) {
                    j += 1;
                }
                if j < n && s[j].is_alphabetic() && !(j == i + 2 && is_possessive(s, i + 1)) {
                    bad += 1;
                }
            }
        }
        i += 1;
    }
    bad
}

/// An ASCII letter next to a letter of a script without case (Han, kana, Hangul, Arabic, ...):
/// normal in CJK text with Latin brand names ("사조CS와").
fn caseless_next_to_ascii(c: char, d: char) -> bool {
    let caseless = |x: char| !x.is_ascii() && !x.is_uppercase() && !x.is_lowercase();
    (c.is_ascii() && caseless(d)) || (d.is_ascii() && caseless(c))
}

/// Non-ASCII, not a letter, not whitespace and not punctuation that belongs inside words.
fn is_odd_symbol(c: char) -> bool {
    !c.is_ascii()
        && !c.is_alphabetic()
        && !c.is_whitespace()
        && !is_word_internal_punct(c)
        && c != '\u{FFFD}'
        || c == '\u{A0}'
}

/// `’s`, `’t`: an apostrophe that starts an English clitic at `s[i]`.
fn is_possessive(s: &[char], i: usize) -> bool {
    s[i] == '’'
        && matches!(s.get(i + 1), Some('s' | 't' | 'S' | 'T'))
        && s.get(i + 2).is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> u32 {
        badness(&s.chars().collect::<Vec<_>>())
    }

    #[test]
    fn mojibake_is_worse_than_its_repair() {
        assert!(b("törvénytelenségen") < b("tÃ¶rvÃ©nytelensÃ©gen"));
        assert!(b("Hôtel") < b("HÃ´tel"));
        assert!(b("don’t") < b("donâ€™t"));
        assert!(b("télécharger") < b("t√©l√©charger"));
        assert!(b("прямой") < b("РїСЂСЏРјРѕР№"));
        assert!(b("médicament") < b("mГ©dicament"));
    }

    #[test]
    fn real_text_is_not_bad() {
        for s in [
            "NESTLÉ®",
            "AHÅ™,",
            "Ã’s",
            "Čeština",
            "Hırsızı",
            "L’épisode",
            "l·l",
            "Україна",
            "ПоздравЂаво",
        ] {
            assert!(b(s) <= 1, "{s}: {}", b(s));
        }
        assert_eq!(b("Že ji nikdo neviděl."), 0);
    }
}
