//! Decode: raw bytes to text, recording which evidence decided the charset.
//!
//! The stage takes a [`Source`]: either raw bytes, whose charset is to be found, or text the
//! caller already decoded (a JSON string, an HTTP body decoded with its header's charset), which
//! is taken as it is and never sniffed. For raw bytes the order of evidence is: a byte-order mark;
//! then the charset the document declares (`<meta charset>`, `http-equiv` content type, or the
//! XML declaration), accepted only when the bytes fit it; then valid UTF-8; then chardetng's guess.

use crate::input::DocKind;
use encoding_rs::Encoding;
use std::borrow::Cow;

/// Which evidence chose the charset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// The page's `<meta>` declaration, checked against the bytes.
    Meta,
    /// The XML declaration, checked against the bytes.
    XmlDeclaration,
    /// The bytes are valid UTF-8.
    Utf8,
    /// chardetng's statistical guess.
    Detector,
    /// The caller: the text came as a JSON string (already Unicode).
    JsonString,
    /// The caller: the body was decoded with the charset of its HTTP `Content-Type` header.
    HttpHeader,
}

impl CharsetSource {
    /// Short name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CharsetSource::Bom => "byte-order mark",
            CharsetSource::Meta => "meta charset",
            CharsetSource::XmlDeclaration => "XML declaration",
            CharsetSource::Utf8 => "valid UTF-8",
            CharsetSource::Detector => "detector",
            CharsetSource::JsonString => "JSON string",
            CharsetSource::HttpHeader => "HTTP header",
        }
    }
}

/// A decoded document.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text (malformed sequences replaced by U+FFFD).
    pub text: String,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// What decided it.
    pub source: CharsetSource,
    /// How many malformed byte sequences were replaced by U+FFFD.
    pub malformed: usize,
    /// A declared charset that was present but rejected, with why.
    pub rejected_declaration: Option<String>,
}

/// What the decode stage is given.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// Raw bytes whose charset is to be found ([`decode`]).
    Bytes {
        /// The document's bytes.
        bytes: &'a [u8],
        /// HTML documents are searched for charset declarations.
        kind: DocKind,
    },
    /// Text the caller already decoded ([`from_caller`]).
    Text {
        /// The text.
        text: &'a str,
        /// The charset the caller decoded it from.
        encoding: &'static Encoding,
        /// How the caller knew.
        source: CharsetSource,
    },
}

/// A charset the caller already applied to a document: its bytes are the UTF-8 text the caller
/// produced, to be taken as they are ([`Source::Text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerCharset {
    /// The charset the caller decoded the text from.
    pub encoding: &'static Encoding,
    /// How the caller knew ([`CharsetSource::JsonString`], [`CharsetSource::HttpHeader`]).
    pub source: CharsetSource,
}

/// Decodes whatever `source` holds: raw bytes go through charset detection ([`decode`]), text
/// the caller decoded is taken as it is ([`from_caller`]).
pub fn decode_source(source: Source<'_>) -> Decoded {
    match source {
        Source::Bytes { bytes, kind } => decode(bytes, kind),
        Source::Text {
            text,
            encoding,
            source,
        } => from_caller(text, encoding, source),
    }
}

/// Text the caller already decoded: no charset sniffing and no declarations looked at (a
/// `<meta charset>` inside a JSON string describes bytes that no longer exist). A leading U+FEFF
/// is a byte-order mark the caller's decoder kept, and is dropped; anywhere else it is left to
/// the repair stage.
pub fn from_caller(text: &str, encoding: &'static Encoding, source: CharsetSource) -> Decoded {
    Decoded {
        text: text.strip_prefix('\u{FEFF}').unwrap_or(text).to_string(),
        encoding,
        source,
        malformed: 0,
        rejected_declaration: None,
    }
}

/// Decodes `bytes`, looking for in-document declarations when `kind` is HTML.
///
/// A declared charset is only a candidate: when the bytes are valid non-ASCII UTF-8 that wins, and
/// otherwise the declared charset, chardetng's guess and the guess's close relatives (windows-1250
/// and ISO-8859-2, windows-1253 and ISO-8859-7, ...) are each decoded and the most plausible text is
/// kept (see [`plausibility_cost`]). A declaration other than the lie-prone defaults (windows-1252,
/// ISO-8859-1) gets a head start, so a correct `<meta>` settles close calls.
pub fn decode(bytes: &[u8], kind: DocKind) -> Decoded {
    decode_bytes(Cow::Borrowed(bytes), kind)
}

/// [`decode`], taking the bytes: text that is already UTF-8 (or ASCII) becomes the decoded
/// text as it is, without a copy or a second validation pass.
pub fn decode_owned(bytes: Vec<u8>, kind: DocKind) -> Decoded {
    decode_bytes(Cow::Owned(bytes), kind)
}

/// The bytes as a `String` when they are UTF-8 (owned bytes are taken, not copied), else the
/// bytes back.
fn into_utf8(bytes: Cow<'_, [u8]>) -> Result<String, Cow<'_, [u8]>> {
    // Validated with simdutf8 (several times faster than `std::str::from_utf8` on the long,
    // mostly ASCII pages this sees); invalid input is rare and keeps its bytes.
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return Err(bytes);
    }
    let bytes = bytes.into_owned();
    // SAFETY: simdutf8 has just validated these bytes as UTF-8 (the same definition as std's).
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

fn decode_bytes(bytes: Cow<'_, [u8]>, kind: DocKind) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(&bytes) {
        return finish(&bytes[bom_len..], enc, CharsetSource::Bom, None);
    }
    let declared = declared_charset(&bytes, kind == DocKind::Html).map(|(enc, source)| {
        // UTF-16 labels in an ASCII-compatible prescan are a lie by construction (WHATWG treats them as UTF-8).
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            (encoding_rs::UTF_8, source)
        } else {
            (enc, source)
        }
    });
    let ascii = bytes.is_ascii();
    if ascii && !bytes.contains(&0x1B) {
        // Pure ASCII reads the same in every ASCII-compatible charset: keep the declared name.
        let (enc, source) = match declared {
            Some((enc, source)) if enc.is_ascii_compatible() => (enc, source),
            _ => (encoding_rs::UTF_8, CharsetSource::Utf8),
        };
        // ASCII is UTF-8: `into_utf8` cannot fail here.
        return as_is(into_utf8(bytes).unwrap_or_default(), enc, source, None);
    }
    let bytes = match into_utf8(bytes) {
        Ok(text) => {
            return match declared {
                Some((enc, source)) if enc == encoding_rs::UTF_8 => as_is(text, enc, source, None),
                Some((enc, _)) => as_is(
                    text,
                    encoding_rs::UTF_8,
                    CharsetSource::Utf8,
                    Some(format!(
                        "declared charset {} rejected: the bytes are valid UTF-8",
                        enc.name()
                    )),
                ),
                None => as_is(text, encoding_rs::UTF_8, CharsetSource::Utf8, None),
            };
        }
        Err(not_utf8) => not_utf8,
    };
    let bytes = &bytes[..];
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let guess = det.guess(None, false);

    let mut candidates: Vec<(&'static Encoding, CharsetSource)> = Vec::new();
    if let Some((enc, source)) = declared {
        if enc != encoding_rs::UTF_8 {
            candidates.push((enc, source));
        }
    }
    for enc in std::iter::once(guess).chain(relatives(guess)) {
        if !candidates.iter().any(|(e, _)| *e == enc) {
            candidates.push((enc, CharsetSource::Detector));
        }
    }
    let mut best: Option<(f64, &'static Encoding, CharsetSource)> = None;
    for (enc, source) in candidates {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        let mut cost = plausibility_cost(&text);
        if had_errors {
            cost += 1000.0;
        }
        let trusted_label = enc != encoding_rs::WINDOWS_1252;
        if source != CharsetSource::Detector && trusted_label {
            cost -= 4.0;
        }
        if best.as_ref().is_none_or(|b| cost < b.0) {
            best = Some((cost, enc, source));
        }
    }
    let (_, enc, source) = best.unwrap_or((0.0, guess, CharsetSource::Detector));
    let rejected = match declared {
        Some((d, _)) if d != enc => Some(format!(
            "declared charset {} does not fit the bytes",
            d.name()
        )),
        _ => None,
    };
    finish(bytes, enc, source, rejected)
}

/// Charsets chardetng's guess is easily confused with (same script, a few bytes apart).
fn relatives(enc: &'static Encoding) -> Vec<&'static Encoding> {
    use encoding_rs::*;
    let list: &[&'static Encoding] = if enc == WINDOWS_1250 {
        &[ISO_8859_2, WINDOWS_1252]
    } else if enc == ISO_8859_2 {
        &[WINDOWS_1250, WINDOWS_1252]
    } else if enc == WINDOWS_1252 {
        &[
            ISO_8859_15,
            WINDOWS_1250,
            ISO_8859_2,
            WINDOWS_1254,
            WINDOWS_1257,
        ]
    } else if enc == WINDOWS_1254 {
        &[WINDOWS_1252, WINDOWS_1250, ISO_8859_2]
    } else if enc == WINDOWS_1253 {
        &[ISO_8859_7]
    } else if enc == ISO_8859_7 {
        &[WINDOWS_1253]
    } else if enc == WINDOWS_1255 {
        &[ISO_8859_8]
    } else if enc == ISO_8859_8 {
        &[WINDOWS_1255]
    } else if enc == WINDOWS_1257 {
        &[ISO_8859_13, ISO_8859_4]
    } else if enc == WINDOWS_1251 {
        &[KOI8_R, ISO_8859_5, IBM866]
    } else if enc == KOI8_R {
        &[KOI8_U, WINDOWS_1251]
    } else {
        &[]
    };
    list.to_vec()
}

/// Bytes that read the same in `enc` as in UTF-8 (ASCII, or UTF-8 itself), already `text`.
fn as_is(
    text: String,
    encoding: &'static Encoding,
    source: CharsetSource,
    rejected_declaration: Option<String>,
) -> Decoded {
    Decoded {
        text,
        encoding,
        source,
        malformed: 0,
        rejected_declaration,
    }
}

fn finish(
    bytes: &[u8],
    enc: &'static Encoding,
    source: CharsetSource,
    rejected: Option<String>,
) -> Decoded {
    let (text, malformed) = decode_counting(bytes, enc);
    Decoded {
        text,
        encoding: enc,
        source,
        malformed,
        rejected_declaration: rejected,
    }
}

/// Decodes without BOM sniffing and counts replacement characters introduced by decoding.
fn decode_counting(bytes: &[u8], enc: &'static Encoding) -> (String, usize) {
    let (cow, had_errors) = enc.decode_without_bom_handling(bytes);
    let text = cow.into_owned();
    let malformed = if had_errors {
        text.matches('\u{FFFD}').count()
    } else {
        0
    };
    (text, malformed)
}

/// Finds a charset declared in the first 1024 bytes (meta tags, XML declaration).
pub fn declared_charset(bytes: &[u8], html: bool) -> Option<(&'static Encoding, CharsetSource)> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<?xml") {
        if let Some(end) = find(&lower, b"?>") {
            if let Some(label) = attr_value(&head[..end], &lower[..end], b"encoding") {
                if let Some(enc) = Encoding::for_label(label) {
                    return Some((enc, CharsetSource::XmlDeclaration));
                }
            }
        }
    }
    if !html {
        return None;
    }
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = find(&lower[start..], b">")
            .map(|e| start + e)
            .unwrap_or(lower.len());
        let tag = &lower[start..end];
        if let Some(idx) = find(tag, b"charset") {
            let rest = &tag[idx + 7..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let len = rest
                    .iter()
                    .position(|b| {
                        matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>')
                            || b.is_ascii_whitespace()
                    })
                    .unwrap_or(rest.len());
                if let Some(enc) = Encoding::for_label(&rest[..len]) {
                    return Some((enc, CharsetSource::Meta));
                }
            }
        }
        from = end.max(start + 5);
        if from >= lower.len() {
            break;
        }
    }
    None
}

fn attr_value<'a>(orig: &'a [u8], lower: &[u8], name: &[u8]) -> Option<&'a [u8]> {
    let idx = find(lower, name)?;
    let mut i = idx + name.len();
    while i < lower.len() && (lower[i] == b' ' || lower[i] == b'=') {
        i += 1;
    }
    let quote = *lower.get(i)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let start = i + 1;
    let len = lower[start..].iter().position(|b| *b == quote)?;
    Some(&orig[start..start + len])
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// How implausible a decoding is (lower is better): 10 per shape problem (a word mixing scripts
/// or with an uppercase letter after a lowercase one, a Latin word of three or more letters with no
/// ASCII letter, a symbol wedged inside a word, a control character, unbalanced guillemets) plus
/// the cost in nats of the text's non-ASCII letters under the language whose alphabet explains
/// them best (`data/encoding/alphabets.tsv`).
pub fn plausibility_cost(text: &str) -> f64 {
    10.0 * shape_penalty(text) + alphabet_penalty(text)
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Other(u32),
}

fn script(c: char) -> Script {
    let u = c as u32;
    match u {
        0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F => Script::Cyrillic,
        _ => Script::Other(u >> 7),
    }
}

fn ok_punct(c: char) -> bool {
    matches!(
        c,
        '\u{A0}'
            | '«'
            | '»'
            | '–'
            | '—'
            | '‘'
            | '’'
            | '‚'
            | '“'
            | '”'
            | '„'
            | '…'
            | '€'
            | '°'
            | '§'
            | '©'
            | '®'
            | '·'
            | '•'
            | '™'
            | '′'
            | '″'
            | '¿'
            | '¡'
            | '£'
            | '\u{AD}'
    ) || ('\u{2000}'..='\u{206F}').contains(&c)
        || ('\u{3000}'..='\u{303F}').contains(&c)
        || ('\u{FF00}'..='\u{FFEF}').contains(&c)
}

fn shape_penalty(text: &str) -> f64 {
    let mut pen = 0.0;
    let mut word: Vec<char> = Vec::new();
    let flush = |word: &mut Vec<char>, pen: &mut f64| {
        if word.iter().any(|c| !c.is_ascii()) {
            let first = script(word[0]);
            if word
                .iter()
                .any(|&c| script(c) != first && !(c as u32 >= 0x300 && (c as u32) < 0x370))
            {
                *pen += 1.0;
            }
            let mut prev_lower = false;
            for &c in word.iter() {
                if c.is_uppercase() && prev_lower {
                    *pen += 1.0;
                    break;
                }
                prev_lower = c.is_lowercase();
            }
            if first == Script::Latin && word.len() >= 3 && !word.iter().any(|c| c.is_ascii()) {
                *pen += 0.5;
            }
        }
        word.clear();
    };
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii()
            && !c.is_alphabetic()
            && !matches!(c, '’' | '‘' | 'ʼ' | '·' | '\u{AD}' | '-')
            && i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_alphabetic()
            && chars[i + 1].is_alphabetic()
        {
            pen += 1.0;
        }
        if c.is_alphabetic() || (!word.is_empty() && ('\u{300}'..='\u{36F}').contains(&c)) {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut pen);
        if c.is_ascii() || c.is_whitespace() {
            continue;
        }
        if c == '\u{FFFD}' || c.is_control() {
            pen += 3.0;
        } else if !ok_punct(c) {
            pen += 1.0;
        }
    }
    flush(&mut word, &mut pen);
    let opening = chars.iter().filter(|&&c| c == '«').count() as f64;
    let closing = chars.iter().filter(|&&c| c == '»').count() as f64;
    pen + 0.5 * (opening - closing).abs()
}

static ALPHABETS: &str = include_str!("../data/encoding/alphabets.tsv");

type Alphabet = Vec<(char, f64)>;

fn alphabets() -> &'static Vec<Alphabet> {
    static A: std::sync::OnceLock<Vec<Alphabet>> = std::sync::OnceLock::new();
    A.get_or_init(|| {
        crate::text_util::data_lines(ALPHABETS)
            .filter_map(|l| l.split('\t').nth(1))
            .map(|s| {
                s.split(' ')
                    .filter_map(|item| {
                        let mut ch = item.chars();
                        let c = ch.next()?;
                        let n: f64 = ch.as_str().parse().ok()?;
                        Some((c, -(n / 1000.0).ln()))
                    })
                    .collect()
            })
            .collect()
    })
}

/// Cost (in nats) of the text's non-ASCII letters under the language that explains them best.
fn alphabet_penalty(text: &str) -> f64 {
    const MISSING: f64 = 10.0;
    let mut counts: Vec<(char, usize)> = Vec::new();
    for c in text.chars() {
        if !c.is_ascii() && c.is_alphabetic() {
            let u = c as u32;
            if u < 0x530 || (0x1E00..0x1F00).contains(&u) {
                let l = c.to_lowercase().next().unwrap_or(c);
                match counts.iter_mut().find(|(k, _)| *k == l) {
                    Some(e) => e.1 += 1,
                    None => counts.push((l, 1)),
                }
            }
        }
    }
    if counts.is_empty() {
        return 0.0;
    }
    alphabets()
        .iter()
        .map(|a| {
            counts
                .iter()
                .map(|(c, n)| {
                    *n as f64
                        * a.iter()
                            .find(|(k, _)| k == c)
                            .map_or(MISSING, |(_, cost)| *cost)
                })
                .sum::<f64>()
        })
        .fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_text_is_taken_as_it_is() {
        // A meta tag naming another charset and text that would sniff as mojibake-prone are
        // left alone: the caller already decoded them. Only a leading BOM goes.
        let text = "\u{FEFF}<meta charset=\"windows-1251\"><p>Ã© café \u{FEFF}x</p>";
        let d = decode_source(Source::Text {
            text,
            encoding: encoding_rs::UTF_8,
            source: CharsetSource::JsonString,
        });
        assert_eq!(d.text, &text[3..]);
        assert_eq!(d.encoding, encoding_rs::UTF_8);
        assert_eq!(d.source.as_str(), "JSON string");
        assert_eq!(d.malformed, 0);
        assert!(d.rejected_declaration.is_none());
        let d = from_caller(
            "Привет",
            encoding_rs::WINDOWS_1251,
            CharsetSource::HttpHeader,
        );
        assert_eq!(
            (d.text.as_str(), d.encoding, d.source.as_str()),
            ("Привет", encoding_rs::WINDOWS_1251, "HTTP header")
        );
    }

    #[test]
    fn bom_wins() {
        let d = decode(b"\xEF\xBB\xBFcaf\xC3\xA9", DocKind::Text);
        assert_eq!(d.text, "café");
        assert_eq!(d.source, CharsetSource::Bom);
    }

    #[test]
    fn meta_checked_against_bytes() {
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xE9</body></html>";
        let d = decode(page, DocKind::Html);
        assert_eq!(d.encoding, encoding_rs::WINDOWS_1252);
        assert_eq!(d.source, CharsetSource::Meta);
        assert!(d.text.contains("café"));
        // The same page saved as UTF-8 with the old declaration kept: the declaration lies.
        let page = "<html><head><meta charset=\"iso-8859-1\"></head><body>café</body></html>";
        let d = decode(page.as_bytes(), DocKind::Html);
        assert_eq!(d.encoding, encoding_rs::UTF_8);
        assert!(d.rejected_declaration.is_some());
    }

    #[test]
    fn detector_for_undeclared_legacy_bytes() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("Москва — столица России, крупнейший город страны.");
        let d = decode(&bytes, DocKind::Text);
        assert_eq!(d.encoding, encoding_rs::WINDOWS_1251);
        assert_eq!(d.source, CharsetSource::Detector);
    }
}
