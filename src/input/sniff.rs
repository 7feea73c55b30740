//! Deciding a document's kind from its extension or, failing that, from its first bytes.

use super::DocKind;

/// What a file extension says about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtensionVerdict {
    /// A known document extension.
    Known(DocKind),
    /// No extension: the bytes decide.
    Sniff,
    /// An extension chaff does not read (the string is the extension, lower-cased).
    Unsupported(String),
}

/// Classifies a file name by its extension (case-insensitive); a `.gz` file by the extension
/// before it (`page.html.gz` is HTML, `page.gz` is sniffed).
pub fn kind_from_extension(file_name: &std::ffi::OsStr) -> ExtensionVerdict {
    let path = std::path::Path::new(file_name);
    let Some(ext) = path.extension() else {
        return ExtensionVerdict::Sniff;
    };
    let ext = ext.to_string_lossy().to_ascii_lowercase();
    if ext == "gz" {
        let inner = path.file_stem().map(std::path::Path::new);
        return match inner.and_then(|p| p.extension()) {
            None => ExtensionVerdict::Sniff,
            Some(_) => match kind_from_extension(inner.unwrap_or(path).as_os_str()) {
                ExtensionVerdict::Unsupported(e) => ExtensionVerdict::Unsupported(e + ".gz"),
                known => known,
            },
        };
    }
    match ext.as_str() {
        "html" | "htm" | "xhtml" | "shtml" => ExtensionVerdict::Known(DocKind::Html),
        "txt" | "text" => ExtensionVerdict::Known(DocKind::Text),
        _ => ExtensionVerdict::Unsupported(ext),
    }
}

/// Guesses HTML or text from the first bytes: markup near the start means HTML.
pub fn sniff_kind(bytes: &[u8]) -> DocKind {
    let head = &bytes[..bytes.len().min(2048)];
    // Skip a BOM and leading whitespace (UTF-16 pages are rare; their markup still has ASCII).
    let lower: Vec<u8> = head
        .iter()
        .filter(|b| **b != 0)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    const MARKERS: [&[u8]; 8] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<meta ",
        b"<div",
        b"<p>",
        b"<?xml",
    ];
    if MARKERS.iter().any(|m| contains(&lower, m)) {
        DocKind::Html
    } else {
        DocKind::Text
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn extensions() {
        assert_eq!(
            kind_from_extension(OsStr::new("a.HTML")),
            ExtensionVerdict::Known(DocKind::Html)
        );
        assert_eq!(
            kind_from_extension(OsStr::new("a.txt")),
            ExtensionVerdict::Known(DocKind::Text)
        );
        assert_eq!(
            kind_from_extension(OsStr::new("README")),
            ExtensionVerdict::Sniff
        );
        assert_eq!(
            kind_from_extension(OsStr::new("x.pdf")),
            ExtensionVerdict::Unsupported("pdf".into())
        );
        assert_eq!(
            kind_from_extension(OsStr::new("a.Html.GZ")),
            ExtensionVerdict::Known(DocKind::Html)
        );
        assert_eq!(
            kind_from_extension(OsStr::new("a.txt.gz")),
            ExtensionVerdict::Known(DocKind::Text)
        );
        assert_eq!(
            kind_from_extension(OsStr::new("dump.gz")),
            ExtensionVerdict::Sniff
        );
        assert_eq!(
            kind_from_extension(OsStr::new("feed.jsonl.gz")),
            ExtensionVerdict::Unsupported("jsonl.gz".into())
        );
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff_kind(b"\xEF\xBB\xBF<!DOCTYPE html><html>"),
            DocKind::Html
        );
        assert_eq!(sniff_kind(b"  \n<HTML><body>hi"), DocKind::Html);
        assert_eq!(
            sniff_kind(b"Headline\n\nBody text with a < sign."),
            DocKind::Text
        );
    }
}
