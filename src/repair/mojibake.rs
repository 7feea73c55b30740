//! Mojibake repair: UTF-8 that was decoded with a legacy single-byte charset, once or several times.
//!
//! For each charset in [`chardata::codecs`] the text is scanned for *units*: a character whose byte
//! in that charset is a UTF-8 lead byte, followed by characters whose bytes are the continuation
//! bytes it needs. Units are grouped into words (runs between ASCII whitespace), each word is
//! re-decoded up to three times (double and triple encoding), and the version with the lowest
//! [`badness`] wins, word by word, so a correct sentence next to a broken one stays as it is.
//!
//! A space where a UTF-8 continuation byte 0xA0 is expected stands for a lost no-break space
//! (`nÃ y` for `này`); it is used like any other unit, but a unit alone never changes a word
//! unless the word's badness drops. Weak evidence, used only once a charset has been confirmed
//! in the same text by a clearly broken word, is a `?` standing for a byte an earlier conversion
//! could not represent, and words whose badness merely stays the same.
//!
//! U+FFFD (and, as weak evidence, `?`) in a continuation position stands for a lost byte; such a
//! unit becomes U+FFFD.

use super::badness::badness;
use super::chardata::{codecs, is_plausible, Codec};

/// Mojibake sequences fixed, per charset name.
pub type Counts = Vec<(&'static str, usize)>;

/// Whether a unit of some charset starts at `cs[i]`.
pub fn unit_starts_at(cs: &[char], i: usize) -> bool {
    codecs()
        .iter()
        .any(|codec| unit_at(cs, i, codec, false).is_some())
}

/// Checks for a unit starting at `cs[i]`; returns (decoded char, chars consumed).
#[inline]
fn unit_at(cs: &[char], i: usize, codec: &Codec, weak: bool) -> Option<(char, usize)> {
    if cs[i].is_ascii() {
        // ASCII maps to itself in every codec: never a lead byte.
        return None;
    }
    let lead = codec.byte(cs[i])?;
    if lead == 0xED {
        if let Some(pair) = surrogate_pair_at(cs, i, codec) {
            return Some(pair);
        }
    }
    let need = match lead {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF4 => 3,
        _ => return None,
    };
    if i + need >= cs.len() {
        return None;
    }
    let mut bytes = [lead, 0, 0, 0];
    let mut lossy = false;
    for j in 1..=need {
        let ch = cs[i + j];
        let (lo, hi) = match (j, lead) {
            (1, 0xE0) => (0xA0, 0xBF),
            (1, 0xED) => (0x80, 0x9F),
            (1, 0xF0) => (0x90, 0xBF),
            (1, 0xF4) => (0x80, 0x8F),
            _ => (0x80, 0xBF),
        };
        let b = if ch == '\u{FFFD}' || (weak && ch == '?' && j > 1) {
            lossy = true;
            0x80
        } else if ch == ' ' && j == need && codec.nbsp && nbsp_completes_letter(&bytes[..j]) {
            0xA0
        } else {
            match codec.byte(ch) {
                Some(b) if ch != ' ' && (lo..=hi).contains(&b) => b,
                _ => return None,
            }
        };
        bytes[j] = b;
    }
    if lossy {
        return Some(('\u{FFFD}', need + 1));
    }
    // The byte ranges checked above make a well-formed UTF-8 sequence (no overlong form, no
    // surrogate, nothing above U+10FFFF).
    let mut u = lead as u32 & (0x7F >> (need + 1));
    for &b in &bytes[1..=need] {
        u = (u << 6) | (b as u32 & 0x3F);
    }
    let c = char::from_u32(u)?;
    Some((c, need + 1))
}

/// A UTF-16 surrogate pair encoded as two three-byte sequences (CESU-8, Java's "modified
/// UTF-8"), read as a legacy charset: `í\u{A0}½í¸\u{80}` for 😀. Returns the character and the
/// six chars consumed.
fn surrogate_pair_at(cs: &[char], i: usize, codec: &Codec) -> Option<(char, usize)> {
    let b: Vec<u8> = cs
        .get(i..i + 6)?
        .iter()
        .map(|&c| codec.byte(c))
        .collect::<Option<_>>()?;
    let ok = b[0] == 0xED
        && (0xA0..=0xAF).contains(&b[1])
        && (0x80..=0xBF).contains(&b[2])
        && b[3] == 0xED
        && (0xB0..=0xBF).contains(&b[4])
        && (0x80..=0xBF).contains(&b[5]);
    if !ok {
        return None;
    }
    let unit = |x: &[u8]| {
        ((x[0] as u32 & 0x0F) << 12) | ((x[1] as u32 & 0x3F) << 6) | (x[2] as u32 & 0x3F)
    };
    let (hi, lo) = (unit(&b[0..3]), unit(&b[3..6]));
    let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?;
    Some((c, 6))
}

/// Whether byte 0xA0 after `prefix` makes a common letter: à (C3 A0), Š (C5 A0), Cyrillic Р
/// (D0 A0), Thai ภ (E0 B8 A0), Vietnamese Ạ/Ỡ (E1 BA A0, E1 BB A0). Only then may a plain space stand for a lost
/// no-break space: anything else is too easily a coincidence.
fn nbsp_completes_letter(prefix: &[u8]) -> bool {
    matches!(
        prefix,
        [0xC3] | [0xC5] | [0xD0] | [0xE0, 0xB8] | [0xE1, 0xBA] | [0xE1, 0xBB]
    )
}

/// Replaces every unit in `cs`; returns the new chars and how many units were replaced.
fn decode_units(cs: &[char], codec: &Codec, weak: bool) -> (Vec<char>, usize) {
    let mut out = Vec::with_capacity(cs.len());
    let mut n = 0;
    let mut i = 0;
    while i < cs.len() {
        if cs[i].is_ascii() {
            out.push(cs[i]);
            i += 1;
            continue;
        }
        if let Some((c, used)) = unit_at(cs, i, codec, weak) {
            out.push(c);
            n += 1;
            i += used;
        } else {
            out.push(cs[i]);
            i += 1;
        }
    }
    (out, n)
}

/// Whether `c` is a UTF-8 lead byte (C2..F4) in `codec`: where a unit can start.
#[inline]
fn is_lead(c: char, codec: &Codec) -> bool {
    !c.is_ascii() && matches!(codec.byte(c), Some(0xC2..=0xF4))
}

/// Word boundaries: any Unicode white space, since chaff's output turns every kind into a plain
/// space and a word must be judged the same before and after (a no-break space inside a unit is
/// consumed by the unit, not seen here).
fn is_break(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Word spans (start, end) in `cs` that contain at least one unit.
fn candidate_words(cs: &[char], codec: &Codec, weak: bool) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if !is_lead(cs[i], codec) {
            i += 1;
            continue;
        }
        if let Some((_, used)) = unit_at(cs, i, codec, weak) {
            let mut start = i;
            while start > 0 && !is_break(cs[start - 1]) {
                start -= 1;
            }
            let mut end = i + used;
            while end < cs.len() && !is_break(cs[end]) {
                end += 1;
            }
            match spans.last_mut() {
                Some(last) if last.1 >= start => last.1 = last.1.max(end),
                _ => spans.push((start, end)),
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    spans
}

/// The best re-decoding of one word: (chars, units replaced), or None when no version beats it.
fn best_version(word: &[char], codec: &Codec, weak: bool) -> Option<(Vec<char>, usize)> {
    let orig_bad = badness(word);
    let mut best: Option<(Vec<char>, usize, u32)> = None;
    let mut current = word.to_vec();
    let mut total = 0;
    for _ in 0..3 {
        let (next, n) = decode_units(&current, codec, weak);
        if n == 0 {
            break;
        }
        total += n;
        let bad = badness(&next);
        let better = best.as_ref().is_none_or(|b| bad < b.2);
        let plausible = || next.iter().all(|&c| is_plausible(c));
        // A real repair leaves (almost) nothing broken; a "repair" that is still mostly debris
        // is a coincidence in a hopeless garble.
        let clear = bad <= (orig_bad / 3).max(1);
        if better && clear && (bad < orig_bad || (weak && bad == orig_bad && plausible())) {
            best = Some((next.clone(), total, bad));
        }
        current = next;
    }
    best.map(|(v, n, _)| (v, n))
}

/// One pass of one charset over the text; returns the number of units fixed.
fn fix_with(chars: &mut Vec<char>, codec: &Codec, weak: bool) -> usize {
    let spans = candidate_words(chars, codec, weak);
    if spans.is_empty() {
        return 0;
    }
    // The text is rebuilt only when some word changes.
    let mut out: Option<Vec<char>> = None;
    let mut fixed = 0;
    let mut last = 0;
    for (s, e) in spans {
        if let Some((v, n)) = best_version(&chars[s..e], codec, weak) {
            let out = out.get_or_insert_with(|| Vec::with_capacity(chars.len()));
            out.extend_from_slice(&chars[last..s]);
            out.extend_from_slice(&v);
            fixed += n;
            last = e;
        }
    }
    if let Some(mut out) = out {
        out.extend_from_slice(&chars[last..]);
        *chars = out;
    }
    fixed
}

/// Bit k set when codec k has a lead character followed by one of its continuation characters
/// (or a space after a lead) somewhere in `cs`: a cheap filter before the real scan.
fn codecs_present(cs: &[char]) -> u8 {
    let mut present = 0u8;
    let mut prev_lead = 0u8;
    for &c in cs {
        if c.is_ascii() {
            if c == ' ' {
                present |= prev_lead;
            }
            prev_lead = 0;
            continue;
        }
        let (lead, cont) = super::chardata::unit_masks(c);
        present |= prev_lead & cont;
        prev_lead = lead;
    }
    present
}

/// Repairs mojibake in `text`. Returns the text and per-charset counts, or None when nothing changed.
pub fn fix(text: &str) -> Option<(String, Counts)> {
    let original: Vec<char> = text.chars().collect();
    let mut chars = original.clone();
    let mut counts: Counts = Vec::new();
    let order = codec_order(&chars);
    // How many times the text has changed, and per codec the change count at which its pass
    // last changed nothing: on the same text it would change nothing again, so it is skipped.
    let mut version = 0usize;
    let mut idle_at = vec![usize::MAX; codecs().len()];
    for _ in 0..2 {
        let mut changed = false;
        // Kept up to date after every change: a codec without a lead character followed by one
        // of its continuation characters has no unit to fix, so its pass is skipped.
        let mut present = codecs_present(&chars);
        for &k in &order {
            let codec = &codecs()[k];
            if present & (1 << k) == 0 || idle_at[k] == version {
                continue;
            }
            let mut n = fix_with(&mut chars, codec, false);
            if n == 0 {
                idle_at[k] = version;
            } else {
                n += fix_with(&mut chars, codec, true);
                version += 1;
                present = codecs_present(&chars);
                changed = true;
                match counts.iter_mut().find(|(name, _)| *name == codec.name) {
                    Some(c) => c.1 += n,
                    None => counts.push((codec.name, n)),
                }
            }
        }
        if !changed {
            break;
        }
    }
    if counts.is_empty() || lone_unit_among_correct_text(&original, &chars) {
        return None;
    }
    Some((chars.into_iter().collect(), counts))
}

/// The order in which the charsets are tried. Text holding a C1 control character where
/// windows-1250 has a printable one (`\u{99}`, ™) was decoded by an ISO-8859 decoder, so
/// ISO-8859-2 goes before its look-alike windows-1250 (`MĂĄm` is `Mám` in ISO-8859-2, `Måm` in
/// windows-1250). C1 characters at the bytes windows-1250 leaves undefined prove nothing.
fn codec_order(cs: &[char]) -> Vec<usize> {
    let all = codecs();
    let mut order: Vec<usize> = (0..all.len()).collect();
    let printable_in_1250 = |c: &char| {
        ('\u{80}'..='\u{9F}').contains(c) && {
            let byte = [*c as u32 as u8];
            let (s, _, _) = encoding_rs::WINDOWS_1250.decode(&byte);
            !s.starts_with(*c)
        }
    };
    if cs.iter().any(printable_in_1250) {
        let pos = |name: &str| all.iter().position(|c| c.name == name);
        if let (Some(a), Some(b)) = (pos("windows-1250"), pos("ISO-8859-2")) {
            order.swap(a, b);
        }
    }
    order
}

/// A single two-character unit (`Ã¥`) repaired in a sentence that also holds correctly decoded
/// non-ASCII text (`Bremer/Mccoy – DrÃ¥ber`): had the sentence been mis-decoded, the other
/// characters would be garbled too, so one short unit is not evidence enough. (ftfy's test cases
/// make the same call for this example.) Longer units (`â€™`) are distinctive enough alone.
fn lone_unit_among_correct_text(before: &[char], after: &[char]) -> bool {
    if before.len() != after.len() + 1 {
        return false;
    }
    let p = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    // `before[p..p + 2]` became `after[p]`; the rest is the same. (When `after` is all of
    // `before` but its last character, there is no such unit.)
    if p >= after.len() || before[p + 2..] != after[p + 1..] {
        return false;
    }
    let is_end = |c: &char| matches!(c, '.' | '!' | '?' | '\n');
    let start = before[..p].iter().rposition(is_end).map_or(0, |k| k + 1);
    let end = before[p + 2..]
        .iter()
        .position(is_end)
        .map_or(before.len(), |k| p + 2 + k);
    before[start..p]
        .iter()
        .chain(&before[p + 2..end])
        .any(|c| !c.is_ascii() && !c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        fix(s).map(|(t, _)| t).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn common_mixups() {
        assert_eq!(f("HÃ´tel de Police"), "Hôtel de Police");
        assert_eq!(
            f("The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t have eyebrows."),
            "The Mona Lisa doesn’t have eyebrows."
        );
        assert_eq!(
            f("РїСЂСЏРјРѕР№ С‚СЂР°РЅСЃР»СЏС†РёРµР№"),
            "прямой трансляцией"
        );
        assert_eq!(f("Merci de t√©l√©charger"), "Merci de télécharger");
        // ISO-8859-2 read (C1 controls where windows-1250 has letters).
        assert_eq!(
            f("dost tĹ\u{99}etĂ\u{AD}ho tisĂ\u{AD}ciletĂ\u{AD}"),
            "dost třetího tisíciletí"
        );
    }

    #[test]
    fn mixed_sentences_fixed_per_word() {
        let s = "Að öllum líkindum verður. Ãlyktanir eru ekki bindandi fyrir Ã¾jÃ³Ã°Ã¾ing.";
        assert_eq!(
            f(s),
            "Að öllum líkindum verður. Ãlyktanir eru ekki bindandi fyrir þjóðþing."
        );
    }

    #[test]
    fn lost_nbsp_needs_confirmation() {
        assert_eq!(f("Ä\u{90}iá»\u{81}u nÃ y khÃ¡c"), "Điều này khác");
        assert_eq!(
            f("ESTE RECOMANDATÃ INSTALAREA"),
            "ESTE RECOMANDATÃ INSTALAREA"
        );
    }

    #[test]
    fn second_round_cases() {
        // CESU-8 surrogate pairs (emoji) read as windows-1252.
        assert_eq!(
            f("emojis! \u{e2}\u{9a}\u{bd}\u{ed}\u{a0}\u{bd}\u{ed}\u{b8}\u{80}"),
            "emojis! ⚽😀"
        );
        // A single Greek letter in a Latin word, fullwidth punctuation.
        assert_eq!(f("IL2RÎ³cKO.NOD"), "IL2RγcKO.NOD");
        assert_eq!(f("Ningboï¼ŒChina"), "Ningbo，China");
        // C1 controls where windows-1250 has letters: ISO-8859-2 it is.
        assert_eq!(f("MĂĄm dost tĹ\u{99}etĂ\u{AD}ho"), "Mám dost třetího");
        // ... but not at bytes windows-1250 leaves undefined.
        assert_eq!(f("vedere Ă®nceĹŁoĹźatÄ\u{83}"), "vedere înceţoşată");
    }

    #[test]
    fn lone_short_unit_next_to_correct_text_is_kept() {
        let s = "Bremer/Mccoy – DrÃ¥ber";
        assert_eq!(f(s), s);
        // In a sentence of its own it is repaired.
        assert_eq!(
            f("Det stÃ¥r for noget. Den opsøgende indsats."),
            "Det står for noget. Den opsøgende indsats."
        );
    }

    #[test]
    fn hopeless_garble_untouched() {
        let s = "ã†â€™ãƒâ€ ã¢â‚¬â„¢ãƒæ’ã‚â¢ãƒâ¢ã¢â‚¬å¡ã‚â¬ãƒâ€šã‚â";
        assert_eq!(f(s), s);
    }

    #[test]
    fn clean_text_untouched() {
        for s in [
            "NESTLÉ® requiere",
            "AHÅ™, the new sofa",
            "There are a lot of Ã’s in mojibake text",
            "(-1/2)! = √π",
            "2012—∞",
            "∆°",
            "SÃO JOÃO DEL-REI",
        ] {
            assert_eq!(f(s), s);
        }
    }
}
