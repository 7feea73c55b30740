//! Decode: raw bytes to text, recording which evidence decided the charset.
//!
//! Order of evidence: a byte-order mark; then the charset the document declares (`<meta charset>`,
//! `http-equiv` content type, or the XML declaration), accepted only when the bytes fit it; then
//! valid UTF-8; then chardetng's guess.

use crate::input::DocKind;
use encoding_rs::Encoding;

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

/// Decodes `bytes`, looking for in-document declarations when `kind` is HTML.
pub fn decode(bytes: &[u8], kind: DocKind) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(&bytes[bom_len..], enc, CharsetSource::Bom, None);
    }
    let mut rejected = None;
    let declared = declared_charset(bytes, kind == DocKind::Html);
    if let Some((enc, source)) = declared {
        // UTF-16 labels in an ASCII-compatible prescan are a lie by construction (WHATWG treats them as UTF-8).
        let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            encoding_rs::UTF_8
        } else {
            enc
        };
        if fits(bytes, enc) {
            return finish(bytes, enc, source, None);
        }
        rejected = Some(format!(
            "declared charset {} does not fit the bytes",
            enc.name()
        ));
    }
    if std::str::from_utf8(bytes).is_ok() {
        return finish(bytes, encoding_rs::UTF_8, CharsetSource::Utf8, rejected);
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let enc = det.guess(None, true);
    finish(bytes, enc, CharsetSource::Detector, rejected)
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

/// Whether the bytes decode in `enc` without malformed sequences.
fn fits(bytes: &[u8], enc: &'static Encoding) -> bool {
    if enc == encoding_rs::UTF_8 {
        return std::str::from_utf8(bytes).is_ok();
    }
    let (_, _, had_errors) = enc.decode(bytes);
    if had_errors {
        return false;
    }
    // Single-byte legacy encodings decode almost anything; if the bytes are valid non-ASCII UTF-8
    // the declaration is very likely wrong (a page re-saved as UTF-8 with the old meta kept).
    if !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        return false;
    }
    true
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

#[cfg(test)]
mod tests {
    use super::*;

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
