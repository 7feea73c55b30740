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

use std::cell::RefCell;

use super::chardata::{
    info, CharInfo, F_ALNUM, F_ALPHA, F_DEBRIS, F_L1SYM, F_LOWER, F_SPACE, F_UPPER,
};

/// Symbols that do occur between letters in real text.
fn is_word_internal_punct(c: char) -> bool {
    matches!(
        c,
        '’' | '‘' | 'ʼ' | '·' | '\u{AD}' | '‐' | '‑' | '\u{200D}' | '\u{200C}'
    )
}

/// The badness of `s` (higher = more broken).
pub fn badness(s: &[char]) -> u32 {
    thread_local! {
        /// The character infos of the word being judged (reused: this runs for every candidate).
        static INFOS: RefCell<Vec<CharInfo>> = const { RefCell::new(Vec::new()) };
    }
    INFOS.with_borrow_mut(|infos| {
        infos.clear();
        infos.extend(s.iter().map(|&c| info(c)));
        badness_with(s, infos)
    })
}

fn badness_with(s: &[char], infos: &[CharInfo]) -> u32 {
    let mut bad = 0;
    let n = s.len();
    for i in 0..n {
        let c = s[i];
        let ci = infos[i];
        if ci.flags & F_DEBRIS != 0 {
            bad += if ('\u{80}'..='\u{9F}').contains(&c) {
                3
            } else {
                2
            };
        } else if c == '\u{FFFD}' {
            bad += 1;
        }
        let Some(&d) = s.get(i + 1) else { break };
        let di = infos[i + 1];
        if foreign_mark_on_latin(c, ci, d, di) {
            bad += 2;
        }
        if ci.flags & F_LOWER != 0 && di.flags & F_UPPER != 0 && (!c.is_ascii() || !d.is_ascii()) {
            bad += 1;
        }
        let (sc, sd) = (letter_script(ci), letter_script(di));
        if sc != 0
            && sd != 0
            && sc != sd
            && !caseless_next_to_ascii(c, ci, d, di)
            && !greek_symbol_in_latin(infos, i)
        {
            bad += 1;
        }
        if matches!(c, 'Â' | 'Ã' | 'â' | 'Î' | 'Ï' | 'Ð' | 'Ñ' | '×' | 'Ø' | 'Ù')
            && di.flags & F_L1SYM != 0
            && !(c == 'Â' && d == '\u{A0}')
            && !is_possessive(s, infos, i + 1)
        {
            bad += 1;
        }
        // A run of symbols wedged between two letters.
        if ci.flags & F_ALPHA != 0 && is_odd_symbol(d, di) {
            let mut j = i + 1;
            while j < n && is_odd_symbol(s[j], infos[j]) {
                j += 1;
            }
            if j < n
                && infos[j].flags & F_ALPHA != 0
                && !(j == i + 2 && is_possessive(s, infos, i + 1))
            {
                bad += 1;
            }
        }
    }
    bad
}

/// The pair at `i`, `i + 1` closes a single Greek letter wedged into a Latin word, as science
/// writes it (`IL2RγcKO`, `TNFα`): the way in is counted, the way out is not.
fn greek_symbol_in_latin(infos: &[CharInfo], i: usize) -> bool {
    const LATIN: u16 = 1;
    const GREEK: u16 = 2;
    i > 0
        && letter_script(infos[i]) == GREEK
        && letter_script(infos[i + 1]) == LATIN
        && letter_script(infos[i - 1]) == LATIN
}

/// A combining mark of some other script (Arabic, Hebrew, Indic...) on a Latin letter or ASCII
/// character: `â۪` is what a wrong re-decoding makes, never what anybody writes.
fn foreign_mark_on_latin(c: char, ci: CharInfo, d: char, di: CharInfo) -> bool {
    const LATIN: u16 = 1;
    di.ccc != 0
        && !matches!(d, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
        && (c.is_ascii() || letter_script(ci) == LATIN)
}

/// The script code of a letter, 0 for anything else.
#[inline]
fn letter_script(i: CharInfo) -> u16 {
    if i.flags & F_ALPHA != 0 {
        i.script
    } else {
        0
    }
}

/// An ASCII letter next to a letter of a script without case (Han, kana, Hangul, Arabic, ...):
/// normal in CJK text with Latin brand names ("사조CS와").
fn caseless_next_to_ascii(c: char, ci: CharInfo, d: char, di: CharInfo) -> bool {
    let caseless = |x: char, xi: CharInfo| !x.is_ascii() && xi.flags & (F_UPPER | F_LOWER) == 0;
    (c.is_ascii() && caseless(d, di)) || (d.is_ascii() && caseless(c, ci))
}

/// Non-ASCII, not a letter, not whitespace and not punctuation that belongs inside words (nor
/// CJK or fullwidth punctuation, which is written without spaces: `Ningbo，China`).
fn is_odd_symbol(c: char, ci: CharInfo) -> bool {
    !c.is_ascii()
        && ci.flags & (F_ALPHA | F_SPACE) == 0
        && !is_word_internal_punct(c)
        && c != '\u{FFFD}'
        && !matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF65}')
        || c == '\u{A0}'
}

/// `’s`, `’t`: an apostrophe that starts an English clitic at `s[i]`.
fn is_possessive(s: &[char], infos: &[CharInfo], i: usize) -> bool {
    s[i] == '’'
        && matches!(s.get(i + 1), Some('s' | 't' | 'S' | 'T'))
        && infos.get(i + 2).is_none_or(|x| x.flags & F_ALNUM == 0)
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
