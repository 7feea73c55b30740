//! A byte-level HTML tokenizer for extraction: text runs, start and end tags, nothing else.
//!
//! It follows the WHATWG tokenizer where that changes what text an article has (character
//! references, comments and bogus comments, `<!DOCTYPE>`, raw-text elements such as `<script>` and
//! `<style>`, RCDATA in `<title>` and `<textarea>`, `<plaintext>`, CR/LF normalisation, a `<`
//! that opens no tag) and skips what extraction never reads: comments, doctypes and attribute
//! values nobody asked for are not copied. Delimiters are found with `memchr`, so text and
//! script bodies are crossed at memory speed instead of one character per state-machine step.
//! All delimiters are ASCII, so every slice handed out lies on UTF-8 character boundaries.

use memchr::{memchr, memchr2, memchr3, memmem};
use std::borrow::Cow;

/// A start tag: its lower-cased name, its attributes and `/>`.
#[derive(Debug, Clone, Copy)]
pub struct StartTag<'a, 'b> {
    /// Tag name, ASCII lower-cased.
    pub name: &'b str,
    /// Attributes in source order.
    pub attrs: &'b [RawAttr<'a>],
    /// Written as `<x ... />`.
    pub self_closing: bool,
}

/// An attribute of a start tag, as written.
#[derive(Debug, Clone, Copy)]
pub struct RawAttr<'a> {
    /// The name as written.
    pub name: &'a str,
    /// The value with its character references intact.
    pub value: &'a str,
    /// Whether the value holds a `&` (so may hold a character reference), seen while the
    /// tokenizer looked for the value's end: most values hold none and are used as they are.
    pub has_amp: bool,
}

impl<'a> RawAttr<'a> {
    /// The value with its character references decoded.
    pub fn decoded(&self) -> Cow<'a, str> {
        if self.has_amp {
            htmlize::unescape_attribute(self.value)
        } else {
            Cow::Borrowed(self.value)
        }
    }
}

/// Receives the tokens.
pub trait TokenSink {
    /// A run of text, character references decoded (raw for script and style bodies).
    fn text(&mut self, text: Cow<'_, str>);
    /// A start tag.
    fn start_tag(&mut self, tag: &StartTag<'_, '_>);
    /// An end tag (lower-cased name).
    fn end_tag(&mut self, name: &str);
    /// The sink wants no more tokens (checked before each tag).
    fn full(&self) -> bool {
        false
    }
    /// The sink would drop any text given now (checked before a script or style body, which is
    /// then not scanned for references and line ends at all).
    fn drops_text(&self) -> bool {
        false
    }
}

/// How the content after a start tag is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    /// Ordinary markup.
    Data,
    /// Raw text up to the matching end tag, references decoded (`title`, `textarea`).
    Rcdata,
    /// Raw text up to the matching end tag (`style`, `xmp`, `iframe`, `noembed`, `noframes`,
    /// `noscript`).
    Rawtext,
    /// Script data (raw text with the `<!-- <script>` escaping rules).
    Script,
    /// Everything to the end is text.
    Plaintext,
}

fn content_of(name: &str) -> Content {
    match name {
        "title" | "textarea" => Content::Rcdata,
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Content::Rawtext,
        "script" => Content::Script,
        "plaintext" => Content::Plaintext,
        _ => Content::Data,
    }
}

#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Tokenizes `html` into `sink`. Returns the byte offset of the tag at which the sink said it was
/// full, if it did.
pub fn tokenize<S: TokenSink>(html: &str, sink: &mut S) -> Option<usize> {
    let mut t = Tokenizer {
        src: html,
        b: html.as_bytes(),
        pos: 0,
        attrs: Vec::new(),
        name: String::new(),
    };
    t.run(sink)
}

struct Tokenizer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    attrs: Vec<RawAttr<'a>>,
    name: String,
}

impl<'a> Tokenizer<'a> {
    fn run<S: TokenSink>(&mut self, sink: &mut S) -> Option<usize> {
        let len = self.b.len();
        while self.pos < len {
            let start = self.pos;
            let lt = match memchr(b'<', &self.b[start..]) {
                Some(i) => start + i,
                None => {
                    emit_text(sink, &self.src[start..], true);
                    return None;
                }
            };
            if lt > start {
                emit_text(sink, &self.src[start..lt], true);
            }
            if sink.full() {
                return Some(lt);
            }
            self.pos = lt;
            match self.b.get(lt + 1).copied() {
                Some(c) if c.is_ascii_alphabetic() => {
                    if let Some((name, self_closing)) = self.tag(lt + 1) {
                        let content = content_of(&name);
                        sink.start_tag(&StartTag {
                            name: &name,
                            attrs: &self.attrs,
                            self_closing,
                        });
                        if content != Content::Data {
                            self.raw_content(sink, content, &name);
                        }
                        self.name = name;
                    } else {
                        // End of input inside a tag: the tag is dropped.
                        return None;
                    }
                }
                Some(b'/') => match self.b.get(lt + 2).copied() {
                    Some(c) if c.is_ascii_alphabetic() => {
                        if let Some((name, _)) = self.tag(lt + 2) {
                            sink.end_tag(&name);
                            self.name = name;
                        } else {
                            return None;
                        }
                    }
                    Some(b'>') => self.pos = lt + 3,
                    None => {
                        emit_text(sink, "</", false);
                        return None;
                    }
                    Some(_) => self.bogus_comment(lt + 2),
                },
                Some(b'!') => {
                    if self.b[lt + 2..].starts_with(b"--") {
                        self.comment(lt + 4);
                    } else {
                        self.bogus_comment(lt + 2);
                    }
                }
                Some(b'?') => self.bogus_comment(lt + 1),
                _ => {
                    // A `<` that opens nothing is text.
                    emit_text(sink, "<", false);
                    self.pos = lt + 1;
                }
            }
        }
        None
    }

    /// Reads a tag name and attributes starting at `at` (just after `<` or `</`). Leaves `pos`
    /// after the closing `>`. Returns the lower-cased name, or None at end of input.
    fn tag(&mut self, at: usize) -> Option<(String, bool)> {
        let b = self.b;
        let mut i = at;
        while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let mut name = std::mem::take(&mut self.name);
        name.clear();
        name.push_str(&self.src[at..i]);
        name.make_ascii_lowercase();
        self.attrs.clear();
        let mut self_closing = false;
        loop {
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            match b.get(i).copied() {
                None => return None,
                Some(b'>') => {
                    self.pos = i + 1;
                    return Some((name, self_closing));
                }
                Some(b'/') => {
                    i += 1;
                    self_closing = b.get(i) == Some(&b'>');
                    continue;
                }
                Some(_) => {}
            }
            self_closing = false;
            // Attribute name: up to white space, `/`, `>` or `=` (a leading `=` belongs to it).
            let n0 = i;
            i += 1;
            while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let aname = &self.src[n0..i];
            let mut j = i;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            let mut value = "";
            let mut has_amp = false;
            if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && is_space(b[j]) {
                    j += 1;
                }
                match b.get(j).copied() {
                    Some(q @ (b'"' | b'\'')) => {
                        // The closing quote, noting any `&` on the way.
                        let mut k = j + 1;
                        let end = loop {
                            let at = k + memchr2(q, b'&', &b[k..])?;
                            if b[at] == q {
                                break at;
                            }
                            has_amp = true;
                            k = at + 1;
                        };
                        value = &self.src[j + 1..end];
                        i = end + 1;
                    }
                    Some(b'>') | None => i = j,
                    Some(_) => {
                        let v0 = j;
                        while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                            has_amp |= b[j] == b'&';
                            j += 1;
                        }
                        value = &self.src[v0..j];
                        i = j;
                    }
                }
            }
            self.attrs.push(RawAttr {
                name: aname,
                value,
                has_amp,
            });
        }
    }

    /// `<!--` seen; `at` is after it. Skips to the end of the comment (or of input).
    fn comment(&mut self, at: usize) {
        let b = self.b;
        // `<!-->` and `<!--->` are (empty) comments too.
        if b.get(at) == Some(&b'>') {
            self.pos = at + 1;
            return;
        }
        if b[at..].starts_with(b"->") {
            self.pos = at + 2;
            return;
        }
        let mut from = at;
        loop {
            match memmem::find(&b[from..], b"--") {
                None => {
                    self.pos = b.len();
                    return;
                }
                Some(k) => {
                    let dash = from + k;
                    let mut e = dash + 2;
                    while b.get(e) == Some(&b'-') {
                        e += 1;
                    }
                    if b.get(e) == Some(&b'>') {
                        self.pos = e + 1;
                        return;
                    }
                    if b.get(e) == Some(&b'!') && b.get(e + 1) == Some(&b'>') {
                        self.pos = e + 2;
                        return;
                    }
                    from = e;
                }
            }
        }
    }

    /// A bogus comment (`<!DOCTYPE ...>`, `<?xml ...>`, `</3>`): skipped to the next `>`.
    fn bogus_comment(&mut self, at: usize) {
        self.pos = match memchr(b'>', &self.b[at..]) {
            Some(k) => at + k + 1,
            None => self.b.len(),
        };
    }

    /// Reads the raw content of `name` (script, style, title, ...) up to its end tag, emits it
    /// and the end tag.
    fn raw_content<S: TokenSink>(&mut self, sink: &mut S, content: Content, name: &str) {
        let from = self.pos;
        if content == Content::Plaintext {
            emit_text(sink, &self.src[from..], false);
            self.pos = self.b.len();
            return;
        }
        let end = match content {
            Content::Script => self.script_end(from),
            _ => self.find_end_tag(from, name),
        };
        let (text_end, after) = match end {
            Some(e) => (e, self.end_of_tag(e + 2 + name.len())),
            None => (self.b.len(), self.b.len()),
        };
        if text_end > from && !sink.drops_text() {
            emit_text(sink, &self.src[from..text_end], content == Content::Rcdata);
        }
        self.pos = after;
        if end.is_some() {
            sink.end_tag(name);
        }
    }

    /// Where `</name` followed by white space, `/` or `>` starts, at or after `from`.
    fn find_end_tag(&self, from: usize, name: &str) -> Option<usize> {
        let b = self.b;
        let mut i = from;
        loop {
            let k = i + memmem::find(&b[i..], b"</")?;
            if self.is_end_tag_at(k, name) {
                return Some(k);
            }
            i = k + 2;
        }
    }

    fn is_end_tag_at(&self, k: usize, name: &str) -> bool {
        let b = self.b;
        let n = name.len();
        b.len() >= k + 2 + n
            && b[k + 2..k + 2 + n].eq_ignore_ascii_case(name.as_bytes())
            && b.get(k + 2 + n)
                .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
    }

    /// The end of a script body: the first `</script` unless the body uses the
    /// `<!-- <script> ... </script> -->` escaping, in which case the escaped states are followed.
    fn script_end(&self, from: usize) -> Option<usize> {
        let first = self.find_end_tag(from, "script");
        let limit = first.unwrap_or(self.b.len());
        if memmem::find(&self.b[from..limit], b"<!--").is_none() {
            return first;
        }
        // Escaped script data: `<!--` enters it, `-->` leaves it; inside, `<script` starts a
        // double-escaped section in which `</script` only returns to escaped.
        let b = self.b;
        let (mut escaped, mut double) = (false, false);
        let mut i = from;
        while let Some(k) = memchr3(b'<', b'-', b'>', &b[i..]) {
            let p = i + k;
            if b[p] == b'<' {
                if !escaped && b[p..].starts_with(b"<!--") {
                    escaped = true;
                    i = p + 4;
                    continue;
                }
                if self.is_end_tag_at(p, "script") {
                    if double {
                        double = false;
                    } else {
                        return Some(p);
                    }
                } else if escaped
                    && !double
                    && b.len() > p + 7
                    && b[p + 1..p + 7].eq_ignore_ascii_case(b"script")
                    && (is_space(b[p + 7]) || b[p + 7] == b'/' || b[p + 7] == b'>')
                {
                    double = true;
                }
                i = p + 1;
            } else if b[p] == b'-' && escaped && b[p..].starts_with(b"-->") {
                escaped = false;
                double = false;
                i = p + 3;
            } else {
                i = p + 1;
            }
        }
        None
    }

    /// Skips an end tag's remaining attributes: returns the position after its `>`.
    fn end_of_tag(&self, at: usize) -> usize {
        let b = self.b;
        let mut i = at;
        while let Some(k) = memchr3(b'>', b'"', b'\'', &b[i..]) {
            let p = i + k;
            if b[p] == b'>' {
                return p + 1;
            }
            // A quote only opens a value after `=`.
            let after_eq = b[i..p].iter().rev().find(|c| !is_space(**c)) == Some(&b'=');
            if !after_eq {
                i = p + 1;
                continue;
            }
            match memchr(b[p], &b[p + 1..]) {
                Some(q) => i = p + 1 + q + 1,
                None => return b.len(),
            }
        }
        b.len()
    }
}

/// Sends a text run to the sink: CR LF and CR become LF, NUL is dropped, and references are
/// decoded when `decode` is set.
fn emit_text<S: TokenSink>(sink: &mut S, raw: &str, decode: bool) {
    let b = raw.as_bytes();
    // Most runs hold none of the three bytes: one scan settles it.
    if memchr3(b'\r', b'\0', b'&', b).is_none() {
        if !raw.is_empty() {
            sink.text(Cow::Borrowed(raw));
        }
        return;
    }
    let mut text: Cow<'_, str> = Cow::Borrowed(raw);
    if memchr2(b'\r', b'\0', b).is_some() {
        text = Cow::Owned(
            raw.replace("\r\n", "\n")
                .replace(['\r'], "\n")
                .replace('\0', ""),
        );
    }
    if decode && memchr(b'&', text.as_bytes()).is_some() {
        text = Cow::Owned(htmlize::unescape(&*text).into_owned());
    }
    if !text.is_empty() {
        sink.text(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Log(Vec<String>);

    impl TokenSink for Log {
        fn text(&mut self, text: Cow<'_, str>) {
            match self.0.last_mut() {
                Some(last) if last.starts_with('"') => {
                    last.pop();
                    last.push_str(&text);
                    last.push('"');
                }
                _ => self.0.push(format!("\"{text}\"")),
            }
        }
        fn start_tag(&mut self, tag: &StartTag<'_, '_>) {
            let attrs: Vec<String> = tag
                .attrs
                .iter()
                .map(|a| {
                    assert_eq!(a.has_amp, a.value.contains('&'), "{a:?}");
                    format!(" {}={}", a.name, a.decoded())
                })
                .collect();
            let close = if tag.self_closing { "/" } else { "" };
            self.0
                .push(format!("<{}{}{close}>", tag.name, attrs.concat()));
        }
        fn end_tag(&mut self, name: &str) {
            self.0.push(format!("</{name}>"));
        }
    }

    fn tokens(html: &str) -> String {
        let mut log = Log::default();
        tokenize(html, &mut log);
        log.0.join("")
    }

    #[test]
    fn tags_attributes_and_references() {
        assert_eq!(
            tokens("<P CLASS='a b' id=x data-x=\"1>2\">Fish &amp; chips&nbsp;&#8212;</p>"),
            "<p CLASS=a b id=x data-x=1>2>\"Fish & chips\u{a0}\u{2014}\"</p>"
        );
        assert_eq!(
            tokens("<a href=\"?a=1&amp;b=2\">x</a>"),
            "<a href=?a=1&b=2>\"x\"</a>"
        );
        assert_eq!(tokens("<br/><img src=x />"), "<br/><img src=x/>");
        // `&` in unquoted and single-quoted values, several in one value, none after the last.
        assert_eq!(
            tokens("<a href=?a=1&amp;b=2 title='x &amp; y &lt;z&gt;' rel=\"no&\" id=q>x</a>"),
            "<a href=?a=1&b=2 title=x & y <z> rel=no& id=q>\"x\"</a>"
        );
        // A value whose quote never closes after a `&` drops the tag, like one without `&`.
        assert_eq!(tokens("<a title=\"x &amp; y>x"), tokens("<a title=\"x y>x"));
    }

    #[test]
    fn comments_doctypes_and_stray_brackets() {
        assert_eq!(
            tokens("<!DOCTYPE html><!-- a <p> -- b -->x<!---->y<?php z ?>1 < 2 </3>"),
            "\"xy1 < 2 \""
        );
        assert_eq!(tokens("a<!-->b<!--->c"), "\"abc\"");
        assert_eq!(tokens("a<!-- never closed <p>b"), "\"a\"");
        assert_eq!(tokens("a</>b"), "\"ab\"");
    }

    #[test]
    fn raw_text_elements() {
        assert_eq!(
            tokens("<script>if (a<b) x='</p>';</script ><p>t"),
            "<script>\"if (a<b) x='</p>';\"</script><p>\"t\""
        );
        assert_eq!(
            tokens("<style>p>a{}</STYLE>x"),
            "<style>\"p>a{}\"</style>\"x\""
        );
        assert_eq!(
            tokens("<title>A &amp; <b>B</title>"),
            "<title>\"A & <b>B\"</title>"
        );
        assert_eq!(
            tokens("<script><!-- document.write('<script>x</script>'); --></script>y"),
            "<script>\"<!-- document.write('<script>x</script>'); -->\"</script>\"y\""
        );
        assert_eq!(
            tokens("<script>never closed <p>"),
            "<script>\"never closed <p>\""
        );
        assert_eq!(
            tokens("<plaintext><p>all text"),
            "<plaintext>\"<p>all text\""
        );
    }

    #[test]
    fn truncated_tags_and_line_ends() {
        assert_eq!(tokens("ok<p class=\"unterminated"), "\"ok\"");
        assert_eq!(tokens("ok<p"), "\"ok\"");
        assert_eq!(tokens("a\r\nb\rc\0d"), "\"a\nb\ncd\"");
    }
}
