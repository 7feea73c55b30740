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
    /// Byte 0xA0 is a no-break space in this charset (so a space may stand for a lost 0xA0).
    pub nbsp: bool,
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
        let nbsp = upper[0x20] == '\u{A0}';
        Codec {
            name,
            direct,
            high,
            nbsp,
        }
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
    let i = scan_info(c);
    (i.lead, i.cont)
}

/// Everything the repair code asks about one character, precomputed for the code points below
/// `DIRECT_LIMIT` (Latin, Greek, Cyrillic, the other alphabetic scripts, punctuation and symbols).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CharInfo {
    /// Bit k: a UTF-8 lead byte in codec k.
    pub lead: u8,
    /// Bit k: a lead byte of a three-byte sequence (E0..EF) in codec k.
    pub lead3: u8,
    /// Bit k: a lead byte of a four-byte sequence (F0..F4) in codec k.
    pub lead4: u8,
    /// Bit k: a UTF-8 continuation byte in codec k (U+FFFD: every codec).
    pub cont: u8,
    /// `F_*` flags.
    pub flags: u16,
    /// [`script_code`] of the character.
    pub script: u16,
    /// Canonical combining class (0 for most characters).
    pub ccc: u8,
}

/// `char::is_alphabetic`.
pub const F_ALPHA: u16 = 1;
/// `char::is_lowercase`.
pub const F_LOWER: u16 = 1 << 1;
/// `char::is_uppercase`.
pub const F_UPPER: u16 = 1 << 2;
/// [`is_debris`].
pub const F_DEBRIS: u16 = 1 << 3;
/// [`is_latin1_symbol`].
pub const F_L1SYM: u16 = 1 << 4;
/// `char::is_alphanumeric`.
pub const F_ALNUM: u16 = 1 << 5;
/// `char::is_whitespace`.
pub const F_SPACE: u16 = 1 << 6;
/// Some fixer always changes this character: C1 controls, U+200B, U+FEFF.
pub const F_SUSPECT: u16 = 1 << 7;
/// In some codec this is the byte before a lost no-break space that makes a letter (C3, C5, D0
/// as leads; B8, BA, BB as the middle byte of Thai and Vietnamese letters).
pub const F_NBSP_MAYBE: u16 = 1 << 8;
/// NFC quick check is not "yes" (maybe or no): the line needs the real NFC check.
pub const F_NFC_MAYBE: u16 = 1 << 9;
/// The fast scan has to look at this character: it is a lead or continuation character in some
/// codec, has a combining class, or carries `F_SUSPECT`, `F_NBSP_MAYBE` or `F_NFC_MAYBE`. Any
/// other character ends whatever unit was in progress, as ASCII does.
pub const F_ACTIVE: u16 = 1 << 10;

/// The [`CharInfo`] of `c`.
#[inline]
pub fn info(c: char) -> CharInfo {
    let u = c as usize;
    if u < DIRECT_LIMIT {
        return info_page(u >> 8)[u & 0xFF];
    }
    compute_info(c)
}

/// [`info`] for the fast scan: the same for code points below `DIRECT_LIMIT`; above it only the
/// masks and the `F_SUSPECT`/`F_NFC_MAYBE` flags are filled in (cheaply; any combining mark up
/// there counts as "maybe").
#[inline(always)]
pub fn scan_info(c: char) -> CharInfo {
    let u = c as usize;
    if u < DIRECT_LIMIT {
        return info_page(u >> 8)[u & 0xFF];
    }
    scan_info_high(c)
}

/// [`scan_info`] for code points at or above `DIRECT_LIMIT`.
#[inline(never)]
fn scan_info_high(c: char) -> CharInfo {
    let u = c as usize;
    let mut i = CharInfo::default();
    if c == '\u{FEFF}' {
        i.flags |= F_SUSPECT | F_ACTIVE;
    } else if c == '\u{FFFD}' {
        i.cont = 0xFF;
        i.flags |= F_ACTIVE;
    } else if (0xF000..0x10000).contains(&u) {
        // Private use and presentation forms: Mac Roman has U+F8FF and the fi/fl ligatures.
        let full = compute_info(c);
        i.lead = full.lead;
        i.lead3 = full.lead3;
        i.lead4 = full.lead4;
        i.cont = full.cont;
        i.flags |= full.flags & F_ACTIVE;
    }
    if nfc_unsafe(c) {
        i.flags |= F_NFC_MAYBE | F_ACTIVE;
    }
    i
}

/// Code points per lazily built page of the tables.
const PAGE: usize = 256;

/// The [`CharInfo`] of the 256 code points of page `p` (below `DIRECT_LIMIT`), built on first
/// use: text in one script touches only a few pages, so start-up costs almost nothing.
#[inline]
fn info_page(p: usize) -> &'static [CharInfo; PAGE] {
    static PAGES: [OnceLock<Box<[CharInfo; PAGE]>>; DIRECT_LIMIT / PAGE] =
        [const { OnceLock::new() }; DIRECT_LIMIT / PAGE];
    PAGES[p].get_or_init(|| {
        let mut page = Box::new([CharInfo::default(); PAGE]);
        for (k, slot) in page.iter_mut().enumerate() {
            if let Some(c) = char::from_u32((p * PAGE + k) as u32) {
                *slot = compute_info(c);
            }
        }
        page
    })
}

fn compute_info(c: char) -> CharInfo {
    let mut lead = 0u8;
    let mut lead3 = 0u8;
    let mut lead4 = 0u8;
    let mut cont = 0u8;
    let mut flags = 0u16;
    if !c.is_ascii() {
        for (k, codec) in codecs().iter().enumerate() {
            match codec.byte(c) {
                Some(b @ 0x80..=0xBF) => {
                    cont |= 1 << k;
                    if codec.nbsp && matches!(b, 0xB8 | 0xBA | 0xBB) {
                        flags |= F_NBSP_MAYBE;
                    }
                }
                Some(b @ 0xC2..=0xF4) => {
                    lead |= 1 << k;
                    if b >= 0xF0 {
                        lead4 |= 1 << k;
                    } else if b >= 0xE0 {
                        lead3 |= 1 << k;
                    }
                    if codec.nbsp && matches!(b, 0xC3 | 0xC5 | 0xD0 | 0xE0 | 0xE1) {
                        flags |= F_NBSP_MAYBE;
                    }
                }
                _ => {}
            }
        }
    }
    if c == '\u{FFFD}' {
        cont = 0xFF;
    }
    let set = |cond: bool, f: u16| if cond { f } else { 0 };
    // `is_alphabetic` is the costly look-up: ask it once.
    let alpha = c.is_alphabetic();
    flags |= set(alpha, F_ALPHA)
        | set(c.is_lowercase(), F_LOWER)
        | set(c.is_uppercase(), F_UPPER)
        | set(is_debris(c), F_DEBRIS)
        | set(is_latin1_symbol(c), F_L1SYM)
        | set(alpha || c.is_numeric(), F_ALNUM)
        | set(c.is_whitespace(), F_SPACE)
        | set(
            ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{200B}' || c == '\u{FEFF}',
            F_SUSPECT,
        )
        | set(!nfc_quick_yes(c), F_NFC_MAYBE);
    let code = if alpha { script_code_of_letter(c) } else { 0 };
    let ccc = unicode_normalization::char::canonical_combining_class(c);
    if lead | cont != 0 || flags & (F_SUSPECT | F_NBSP_MAYBE | F_NFC_MAYBE) != 0 || ccc != 0 {
        flags |= F_ACTIVE;
    }
    CharInfo {
        lead,
        lead3,
        lead4,
        cont,
        flags,
        script: if code < 0x10000 { code as u16 } else { 0xFFFF },
        ccc,
    }
}

fn nfc_quick_yes(c: char) -> bool {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

fn nfc_safe_alone(c: char) -> bool {
    unicode_normalization::char::canonical_combining_class(c) == 0 && nfc_quick_yes(c)
}

/// Whether `c` may need NFC normalisation (a combining mark, or NFC quick check not "yes"); a
/// bit set over the BMP built a 256-code-point page at a time on first use, a direct check above
/// it. Used for characters outside the main table.
#[inline]
pub fn nfc_unsafe(c: char) -> bool {
    static PAGES: [OnceLock<[u64; PAGE / 64]>; 0x10000 / PAGE] =
        [const { OnceLock::new() }; 0x10000 / PAGE];
    let u = c as usize;
    if u < 0x300 {
        return false;
    }
    if u >= 0x10000 {
        return !nfc_safe_alone(c);
    }
    let p = u / PAGE;
    let bits = PAGES[p].get_or_init(|| {
        let mut bits = [0u64; PAGE / 64];
        for k in 0..PAGE {
            if char::from_u32((p * PAGE + k) as u32).is_some_and(|c| !nfc_safe_alone(c)) {
                bits[k / 64] |= 1 << (k % 64);
            }
        }
        bits
    });
    let k = u % PAGE;
    bits[k / 64] & (1 << (k % 64)) != 0
}

/// A number per [`Script`], for quick comparison: 0 for non-letters.
pub fn script_code(c: char) -> u32 {
    if c.is_alphabetic() {
        script_code_of_letter(c)
    } else {
        0
    }
}

/// [`script_code`] of a character already known to be a letter.
fn script_code_of_letter(c: char) -> u32 {
    match script_of_letter(c) {
        Script::None => 0,
        Script::Latin => 1,
        Script::Greek => 2,
        Script::Cyrillic => 3,
        Script::Other(x) => 16 + x,
    }
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
    script_of_letter(c)
}

/// [`script`] of a character already known to be a letter.
fn script_of_letter(c: char) -> Script {
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
