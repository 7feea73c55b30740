//! Character tables for mojibake repair: how each legacy single-byte charset maps characters back to
//! bytes, and character classes the badness heuristics use.
//!
//! The byte tables are built once from `encoding_rs` (WHATWG single-byte decoders) plus
//! `data/encoding/cp437.txt` (IBM code page 437, from the Unicode Consortium mapping), because
//! mojibake is text that went through one of these decoders by mistake. Each table is "sloppy": the
//! C1 control characters U+0080..U+009F map back to bytes 0x80..0x9F too, since Latin-1 decoders
//! (and lenient windows-125x decoders) turn those bytes into C1 controls rather than failing.
//!
//! The idea of undoing mojibake by re-encoding in a legacy charset and decoding as UTF-8 comes from
//! ftfy (Robyn Speer, Apache-2.0); the tables and code here are our own.

use std::sync::OnceLock;

/// A legacy charset that UTF-8 text may have been wrongly decoded with.
pub struct Codec {
    /// Name used in reports ("UTF-8 read as windows-1252").
    pub name: &'static str,
    /// `direct[c]` for `c < DIRECT_LIMIT`: the byte for char `c`, or 0 when the charset has none.
    direct: Vec<u8>,
    /// Characters at or above `DIRECT_LIMIT`, sorted, with their bytes.
    high: Vec<(char, u8)>,
}

const DIRECT_LIMIT: usize = 0x2600;

impl Codec {
    fn build(name: &'static str, upper: &[char; 128], sloppy_c1: bool) -> Codec {
        let mut direct = vec![0u8; DIRECT_LIMIT];
        let mut high = Vec::new();
        if sloppy_c1 {
            for b in 0x80u8..=0x9F {
                direct[b as usize] = b;
            }
        }
        for (i, &c) in upper.iter().enumerate() {
            let b = 0x80 + i as u8;
            if c == '\u{FFFD}' {
                continue;
            }
            if (c as usize) < DIRECT_LIMIT {
                direct[c as usize] = b;
            } else {
                high.push((c, b));
            }
        }
        high.sort_unstable();
        Codec { name, direct, high }
    }

    /// The byte this charset uses for `c` (ASCII maps to itself), if any.
    #[inline]
    pub fn byte(&self, c: char) -> Option<u8> {
        let u = c as usize;
        if u < 0x80 {
            return Some(u as u8);
        }
        if u < DIRECT_LIMIT {
            let b = self.direct[u];
            return (b != 0).then_some(b);
        }
        self.high
            .binary_search_by_key(&c, |&(k, _)| k)
            .ok()
            .map(|i| self.high[i].1)
    }
}

fn upper_half(enc: &'static encoding_rs::Encoding) -> [char; 128] {
    let bytes: Vec<u8> = (0x80u8..=0xFF).collect();
    let mut out = ['\u{FFFD}'; 128];
    for (i, b) in bytes.iter().enumerate() {
        let (s, _, had_errors) = enc.decode(std::slice::from_ref(b));
        if !had_errors {
            if let Some(c) = s.chars().next() {
                out[i] = c;
            }
        }
    }
    out
}

fn cp437_upper() -> [char; 128] {
    let data = include_str!("../../data/encoding/cp437.txt");
    let chars: Vec<char> = data
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.chars())
        .collect();
    let mut out = ['\u{FFFD}'; 128];
    for (i, c) in chars.into_iter().take(128).enumerate() {
        out[i] = c;
    }
    out
}

/// The charsets tried, most common mix-up first.
pub fn codecs() -> &'static [Codec] {
    static CODECS: OnceLock<Vec<Codec>> = OnceLock::new();
    CODECS.get_or_init(|| {
        use encoding_rs::*;
        vec![
            Codec::build("windows-1252", &upper_half(WINDOWS_1252), true),
            Codec::build("windows-1250", &upper_half(WINDOWS_1250), true),
            Codec::build("windows-1251", &upper_half(WINDOWS_1251), true),
            Codec::build("Mac Roman", &upper_half(MACINTOSH), false),
            Codec::build("windows-1257", &upper_half(WINDOWS_1257), true),
            Codec::build("ISO-8859-2", &upper_half(ISO_8859_2), true),
            Codec::build("cp437", &cp437_upper(), false),
        ]
    })
}

/// Bit masks over [`codecs`]: bit k of `.0` is set when `c` is a UTF-8 lead byte in codec k, bit k
/// of `.1` when it is a continuation byte (or U+00A0/U+FFFD, which can stand for one). A text where
/// no lead character is followed by a continuation character of the same codec has no mojibake.
#[inline]
pub fn unit_masks(c: char) -> (u8, u8) {
    let u = c as usize;
    if u < 0x80 {
        return (0, 0);
    }
    if u < DIRECT_LIMIT {
        let m = masks();
        return (m.0[u], m.1[u]);
    }
    let mut lead = 0u8;
    let mut cont = 0u8;
    for (k, codec) in codecs().iter().enumerate() {
        match codec.byte(c) {
            Some(0x80..=0xBF) => cont |= 1 << k,
            Some(0xC2..=0xF4) => lead |= 1 << k,
            _ => {}
        }
    }
    if c == '\u{FFFD}' {
        cont = 0xFF;
    }
    (lead, cont)
}

fn masks() -> &'static (Vec<u8>, Vec<u8>) {
    static MASKS: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    MASKS.get_or_init(|| {
        let mut lead = vec![0u8; DIRECT_LIMIT];
        let mut cont = vec![0u8; DIRECT_LIMIT];
        for (k, codec) in codecs().iter().enumerate() {
            for (u, &b) in codec.direct.iter().enumerate().skip(0x80) {
                match b {
                    0x80..=0xBF => cont[u] |= 1 << k,
                    0xC2..=0xF4 => lead[u] |= 1 << k,
                    _ => {}
                }
            }
        }
        (lead, cont)
    })
}

/// Writing systems, coarsely: enough to notice a word that mixes two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Not a letter.
    None,
    /// Latin letters, including ligatures and fullwidth forms.
    Latin,
    /// Greek.
    Greek,
    /// Cyrillic.
    Cyrillic,
    /// Anything else, by 128-code-point block.
    Other(u32),
}

/// The script of a letter (`Script::None` for non-letters).
pub fn script(c: char) -> Script {
    if !c.is_alphabetic() {
        return Script::None;
    }
    let u = c as u32;
    match u {
        0..=0x24F | 0x1E00..=0x1EFF | 0xFB00..=0xFB06 | 0xFF21..=0xFF5A => Script::Latin,
        0x250..=0x2AF => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F => Script::Cyrillic,
        0x530..=0x58F => Script::Other(0x530),
        0x590..=0x5FF => Script::Other(0x590),
        0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Other(0x600),
        // Han, kana and Hangul mix freely in CJK text.
        0x3040..=0x30FF | 0x3400..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF => {
            Script::Other(0x3000)
        }
        _ => Script::Other(u >> 7),
    }
}

/// Characters of the windows-1252 upper half that are not letters: the symbols mojibake is made of
/// when UTF-8 continuation bytes are read as windows-1252 or Latin-1.
pub fn is_latin1_symbol(c: char) -> bool {
    matches!(
        c,
        '€' | '‚'
            | 'ƒ'
            | '„'
            | '…'
            | '†'
            | '‡'
            | 'ˆ'
            | '‰'
            | '‹'
            | '‘'
            | '’'
            | '“'
            | '”'
            | '•'
            | '–'
            | '—'
            | '˜'
            | '™'
            | '›'
            | '\u{A0}'..='\u{BF}'
    )
}

/// Characters that almost never occur in real text but are common as mis-decoding debris: C1
/// controls, IPA and rare Latin Extended-B letters, spacing modifiers, private use.
pub fn is_debris(c: char) -> bool {
    let u = c as u32;
    match u {
        0x80..=0x9F => true,
        // Latin Extended-B: keep the letters real languages use (Vietnamese, Romanian, pinyin, Azeri, African).
        0x180..=0x24F => !matches!(
            c,
            'Ơ' | 'ơ'
                | 'Ư'
                | 'ư'
                | 'Ș'
                | 'ș'
                | 'Ț'
                | 'ț'
                | 'Ə'
                | 'ǎ'
                | 'ǐ'
                | 'ǒ'
                | 'ǔ'
                | 'Ǎ'
                | 'Ǐ'
                | 'Ǒ'
                | 'Ǔ'
                | 'ǧ'
                | 'Ɛ'
                | 'Ɔ'
                | 'Ɓ'
                | 'Ɗ'
                | 'Ƙ'
                | 'ƙ'
                | 'ƴ'
                | 'Ʃ'
        ),
        0x250..=0x2AF => !matches!(c, 'ə' | 'ɛ' | 'ɔ' | 'ɓ' | 'ɗ' | 'ʃ' | 'ŋ'),
        0x2B0..=0x2FF => true,
        0x17F | 0x149 | 0x138 => true,
        0xE000..=0xF8FF => true,
        0xFFF0..=0xFFFC | 0xFFFE | 0xFFFF => true,
        _ => false,
    }
}

/// Whether `c` is a character whose presence after decoding is believable (a letter of some
/// writing system, common punctuation, currency, symbols, emoji). Debris and unassigned-looking
/// controls are not.
pub fn is_plausible(c: char) -> bool {
    if is_debris(c) {
        return false;
    }
    let u = c as u32;
    !(u < 0x20 && c != '\t' && c != '\n'
        || (0xD800..=0xDFFF).contains(&u)
        || (0xFDD0..=0xFDEF).contains(&u))
}
