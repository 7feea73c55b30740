//! Guards that run before the HTML parser, so hostile markup cannot make it slow or huge.
//!
//! The HTML parser (html5ever, through scraper) is linear on ordinary pages, but not on every
//! shape: each block start tag (`<div>`, `<p>`, ...) looks down the stack of open elements for a
//! `<p>` to close, so 200,000 nested `<div>`s cost 200,000² steps (minutes); each attribute is
//! compared with every earlier one of its tag (50,000 attributes: seconds); and a DOM of millions
//! of nodes takes gigabytes. [`bound_html`] reads the markup once with a small tokenizer that
//! models the stack of open elements (void elements, raw-text elements, comments, the implied end
//! tags of `p`, `li`, `dd`/`dt`, table rows and cells, `option`, headings, and of an open `a`,
//! `nobr` or `button` when another starts) and, only when a limit is hit,
//! rewrites the markup before it is parsed:
//!
//! * a start tag that would nest deeper than [`Limits::max_dom_depth`] is dropped, and so is its
//!   end tag; the text inside stays, so deep content is flattened into its ancestor, not lost;
//! * attributes after the first [`Limits::max_attributes`] of one tag are dropped;
//! * the markup is cut before the element or comment that would exceed [`Limits::max_dom_nodes`].
//!
//! Each limit hit adds a note (a reason in the report). Markup within the limits is returned as it
//! is, borrowed, so ordinary pages are parsed exactly as before. The model is an approximation of
//! the HTML tree builder (no scopes, no adoption agency, no implied `<tbody>`); it only has to be
//! close enough that the parser's stack stays near the limit.

use crate::config::Limits;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Markup after the guards, with a note per limit hit.
#[derive(Debug, Clone)]
pub struct Bounded<'a> {
    /// The markup to parse (borrowed when nothing was changed).
    pub html: Cow<'a, str>,
    /// One note per kind of limit hit, for the report.
    pub notes: Vec<String>,
}

/// Elements that never have content (no end tag, nothing pushed).
fn is_void(n: &str) -> bool {
    matches!(
        n,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "image"
    )
}

/// Elements whose content is raw text up to their end tag.
fn is_raw_text(n: &str) -> bool {
    matches!(
        n,
        "script"
            | "style"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "textarea"
            | "title"
    )
}

/// Start tags that close an open `<p>` (the HTML tree builder's "close a p element").
fn closes_p(n: &str) -> bool {
    matches!(
        n,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "search"
            | "section"
            | "summary"
            | "table"
            | "ul"
            | "xmp"
            | "plaintext"
    )
}

/// The rewritten markup, built only once something has to change.
struct Rewrite<'a> {
    src: &'a str,
    out: Option<String>,
    copied: usize,
}

impl<'a> Rewrite<'a> {
    /// Leaves out `src[from..to]` (both at ASCII positions, so on character boundaries). Cuts
    /// come in document order; a cut overlapping an earlier one only removes what is left.
    fn cut(&mut self, from: usize, to: usize) {
        let from = from.max(self.copied);
        let to = to.max(from);
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(self.src.len()));
        out.push_str(&self.src[self.copied..from]);
        self.copied = to;
    }

    fn finish(self) -> Cow<'a, str> {
        match self.out {
            None => Cow::Borrowed(self.src),
            Some(mut out) => {
                out.push_str(&self.src[self.copied..]);
                Cow::Owned(out)
            }
        }
    }
}

/// Tag names interned as small numbers, so the stack compares and counts them without strings.
/// The names the model asks about by name are interned first, at fixed ids.
struct Names {
    ids: HashMap<Box<[u8]>, u32, BuildHasherDefault<Fnv>>,
}

/// FNV-1a: tag names are short, and SipHash costs more than the rest of a tag's handling.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Fixed ids of the names the model refers to (interned in this order by [`Names::new`]).
mod id {
    pub const P: u32 = 0;
    pub const A: u32 = 1;
    pub const NOBR: u32 = 2;
    pub const BUTTON: u32 = 3;
    pub const LI: u32 = 4;
    pub const DD: u32 = 5;
    pub const DT: u32 = 6;
    pub const TD: u32 = 7;
    pub const TH: u32 = 8;
    pub const TR: u32 = 9;
    pub const OPTION: u32 = 10;
    pub const TABLE: u32 = 11;
    pub const UL: u32 = 12;
    pub const OL: u32 = 13;
    pub const DL: u32 = 14;
    pub const SELECT: u32 = 15;
    pub const SVG: u32 = 16;
    pub const MATH: u32 = 17;
    /// `h1`..`h6` are 18..=23.
    pub const H1: u32 = 18;
    pub const H6: u32 = 23;
}

const FIXED_NAMES: &[&str] = &[
    "p", "a", "nobr", "button", "li", "dd", "dt", "td", "th", "tr", "option", "table", "ul", "ol",
    "dl", "select", "svg", "math", "h1", "h2", "h3", "h4", "h5", "h6",
];

impl Names {
    fn new() -> Self {
        let mut ids = HashMap::default();
        for (i, n) in FIXED_NAMES.iter().enumerate() {
            ids.insert(Box::from(n.as_bytes()), i as u32);
        }
        Names { ids }
    }

    /// The id of a lower-case name, interning it when new.
    fn id(&mut self, name: &[u8]) -> u32 {
        if let Some(&i) = self.ids.get(name) {
            return i;
        }
        let i = self.ids.len() as u32;
        self.ids.insert(Box::from(name), i);
        i
    }
}

fn is_heading(n: u32) -> bool {
    (id::H1..=id::H6).contains(&n)
}

/// The model of the tree builder's stack of open elements. Elements started at the depth limit
/// are kept on it too, marked dropped: they are always above the kept ones, and an end tag that
/// closes one of them is dropped with it.
#[derive(Default)]
struct Stack {
    /// Open elements (name ids), outermost first, with whether their start tag was dropped.
    names: Vec<(u32, bool)>,
    /// How many entries of each name id are open.
    open: Vec<usize>,
    /// Entries whose start tag was kept (they come first in `names`).
    kept: usize,
    /// Open `<svg>` and `<math>` elements (where `/>` closes an element).
    foreign: usize,
}

/// How far down the stack an implied end tag with barriers is looked for.
const SCAN: usize = 256;

impl Stack {
    fn is_open(&self, name: u32) -> bool {
        self.open.get(name as usize).is_some_and(|n| *n > 0)
    }

    /// Pushes `name`; returns false when it is beyond the depth limit (its tag is dropped).
    fn push(&mut self, name: u32, max_depth: usize) -> bool {
        if name == id::SVG || name == id::MATH {
            self.foreign += 1;
        }
        if self.open.len() <= name as usize {
            self.open.resize(name as usize + 1, 0);
        }
        self.open[name as usize] += 1;
        let keep = self.kept == self.names.len() && self.kept < max_depth;
        if keep {
            self.kept += 1;
        }
        self.names.push((name, !keep));
        keep
    }

    fn pop(&mut self) {
        if let Some((top, dropped)) = self.names.pop() {
            if top == id::SVG || top == id::MATH {
                self.foreign = self.foreign.saturating_sub(1);
            }
            if let Some(n) = self.open.get_mut(top as usize) {
                *n = n.saturating_sub(1);
            }
            if !dropped {
                self.kept -= 1;
            }
        }
    }

    /// Pops up to and including the nearest open `name`, unless a barrier comes first (then only
    /// the top [`SCAN`] entries are looked at). Returns whether the element closed was one whose
    /// start tag was dropped, or `None` when nothing was closed.
    fn close(&mut self, name: u32, barriers: &[u32]) -> Option<bool> {
        if !self.is_open(name) {
            return None;
        }
        let pos = if barriers.is_empty() {
            self.names.iter().rposition(|(n, _)| *n == name)?
        } else {
            let from = self.names.len().saturating_sub(SCAN);
            let at = self.names[from..]
                .iter()
                .rposition(|(n, _)| *n == name || barriers.contains(n))?;
            if self.names[from + at].0 != name {
                return None;
            }
            from + at
        };
        let dropped = self.names[pos].1;
        while self.names.len() > pos {
            self.pop();
        }
        Some(dropped)
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    memchr::memmem::find(&hay[from..], needle).map(|p| p + from)
}

/// The end of a raw-text element's content: the next `</name` (any case) followed by a space,
/// `/` or `>`; `None` when the document ends first.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut i = from;
    while let Some(p) = find(b, i, b"</") {
        let after = p + 2 + name.len();
        if b.len() >= after
            && b[p + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && (after == b.len() || is_space(b[after]) || matches!(b[after], b'/' | b'>'))
        {
            return Some(p);
        }
        i = p + 2;
    }
    None
}

/// A tag's attributes: where the first one past the limit starts, where the tag ends (its `>`,
/// or the end of the input), and whether it ends in `/>`.
struct TagEnd {
    excess: Option<usize>,
    end: usize,
    self_closing: bool,
}

fn scan_attributes(b: &[u8], mut j: usize, max: usize) -> TagEnd {
    let mut count = 0usize;
    let mut excess = None;
    let mut self_closing = false;
    loop {
        while j < b.len() && (is_space(b[j]) || b[j] == b'/') {
            self_closing = b[j] == b'/' && b.get(j + 1) == Some(&b'>');
            j += 1;
        }
        if j >= b.len() || b[j] == b'>' {
            return TagEnd {
                excess,
                end: j,
                self_closing,
            };
        }
        self_closing = false;
        count += 1;
        // The first attribute past the limit (`max` may be `usize::MAX`: no limit).
        if count > max && excess.is_none() {
            excess = Some(j);
        }
        // The name (its first character may be '=').
        j += 1;
        while j < b.len() && !is_space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    j = memchr::memchr(q, &b[j + 1..]).map_or(b.len(), |p| j + 1 + p + 1);
                }
                _ => {
                    while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                }
            }
        }
    }
}

/// The tag name starting at `from`, lower-cased into `buf`, and where it ends.
fn tag_name(b: &[u8], from: usize, buf: &mut Vec<u8>) -> usize {
    let mut j = from;
    while j < b.len() && !is_space(b[j]) && !matches!(b[j], b'/' | b'>') {
        j += 1;
    }
    buf.clear();
    buf.extend(b[from..j].iter().map(u8::to_ascii_lowercase));
    j
}

/// Applies the depth, attribute and node limits to `html` (see the module documentation).
pub fn bound_html<'a>(html: &'a str, limits: &Limits) -> Bounded<'a> {
    let b = html.as_bytes();
    let mut rw = Rewrite {
        src: html,
        out: None,
        copied: 0,
    };
    let mut stack = Stack::default();
    let mut names = Names::new();
    let mut name = Vec::new();
    let mut nodes = 0usize;
    let (mut deep, mut attrs, mut cut_at) = (0usize, 0usize, None);
    let mut i = 0usize;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + p;
        let next = b.get(lt + 1).copied();
        match next {
            Some(b'!') | Some(b'?') => {
                nodes += 1;
                if nodes > limits.max_dom_nodes {
                    cut_at = Some(lt);
                    break;
                }
                i = if b[lt..].starts_with(b"<!--") {
                    find(b, lt + 4, b"-->").map_or(b.len(), |e| e + 3)
                } else {
                    find(b, lt + 2, b">").map_or(b.len(), |e| e + 1)
                };
            }
            Some(b'/') => {
                let Some(c) = b.get(lt + 2) else { break };
                if !c.is_ascii_alphabetic() {
                    i = if *c == b'>' {
                        lt + 3
                    } else {
                        find(b, lt + 2, b">").map_or(b.len(), |e| e + 1)
                    };
                    continue;
                }
                let after = tag_name(b, lt + 2, &mut name);
                let tag = scan_attributes(b, after, usize::MAX);
                let end = (tag.end + 1).min(b.len());
                if stack.close(names.id(&name), &[]) == Some(true) {
                    rw.cut(lt, end);
                }
                i = end;
            }
            Some(c) if c.is_ascii_alphabetic() => {
                nodes += 1;
                if nodes > limits.max_dom_nodes {
                    cut_at = Some(lt);
                    break;
                }
                let after = tag_name(b, lt + 1, &mut name);
                let tag = scan_attributes(b, after, limits.max_attributes);
                if tag.end >= b.len() {
                    // The input ends inside the tag: the parser drops it.
                    break;
                }
                let end = tag.end + 1;
                let n = std::str::from_utf8(&name).unwrap_or("");
                let nid = names.id(&name);
                if closes_p(n) {
                    stack.close(id::P, &[]);
                }
                if is_heading(nid) && stack.names.last().is_some_and(|(t, _)| is_heading(*t)) {
                    // A heading does not nest in the heading before it.
                    stack.pop();
                }
                use id::*;
                let implied: &[(u32, &[u32])] = match nid {
                    // A new link, nobr or button closes the open one.
                    A => &[(A, &[TABLE, TD, TH, BUTTON])],
                    NOBR => &[(NOBR, &[TABLE, TD, TH])],
                    BUTTON => &[(BUTTON, &[])],
                    LI => &[(LI, &[UL, OL])],
                    DD | DT => &[(DD, &[DL]), (DT, &[DL])],
                    TD | TH => &[(TD, &[TR, TABLE]), (TH, &[TR, TABLE])],
                    TR => &[(TR, &[TABLE])],
                    OPTION => &[(OPTION, &[SELECT])],
                    _ => &[],
                };
                for (closed, barriers) in implied {
                    stack.close(*closed, barriers);
                }
                let raw = is_raw_text(n);
                let no_push = is_void(n)
                    || matches!(n, "html" | "head" | "body")
                    || tag.self_closing && stack.foreign > 0;
                let pushes = !no_push;
                // Raw-text elements cannot nest, and dropping one would expose its content as
                // markup: they are always kept (and not pushed).
                if pushes && !raw && !stack.push(nid, limits.max_dom_depth) {
                    deep += 1;
                    rw.cut(lt, end);
                } else if let Some(x) = tag.excess {
                    attrs += 1;
                    rw.cut(x, tag.end);
                }
                i = end;
                if n == "plaintext" {
                    break;
                }
                if raw && pushes {
                    match raw_text_end(b, i, n) {
                        Some(e) => i = e,
                        None => break,
                    }
                }
            }
            _ => i = lt + 1,
        }
        if i >= b.len() {
            break;
        }
    }
    let mut notes = Vec::new();
    if deep > 0 {
        notes.push(format!(
            "HTML nested deeper than {} elements: {deep} deeper tags were dropped, their text kept",
            limits.max_dom_depth
        ));
    }
    if attrs > 0 {
        notes.push(format!(
            "attributes after the first {} of a tag were dropped ({attrs} tags)",
            limits.max_attributes
        ));
    }
    if let Some(at) = cut_at {
        notes.push(format!(
            "HTML has more than {} elements: the page was read up to byte {at}",
            limits.max_dom_nodes
        ));
        rw.cut(at, b.len());
    }
    Bounded {
        html: rw.finish(),
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(depth: usize, attrs: usize, nodes: usize) -> Limits {
        Limits {
            max_dom_depth: depth,
            max_attributes: attrs,
            max_dom_nodes: nodes,
            ..Limits::default()
        }
    }

    #[test]
    fn ordinary_markup_is_borrowed_unchanged() {
        let html = "<!doctype html><html><head><title>a < b</title><script>if (a<b) x('</div>')</script></head><body><div class=\"x>y\"><p>one<p>two<ul><li>a<li>b</ul><br><img src=x></div><!-- <div><div> --></body></html>";
        let b = bound_html(html, &limits(4, 2, 100));
        assert!(matches!(b.html, Cow::Borrowed(_)), "{}", b.html);
        assert!(b.notes.is_empty());
    }

    #[test]
    fn deep_nesting_is_flattened_keeping_text() {
        let html = format!("{}text{}", "<div>x".repeat(10), "</div>".repeat(10));
        let b = bound_html(&html, &limits(3, 100, 100));
        assert_eq!(
            b.html,
            format!("<div>x<div>x<div>x{}text</div></div></div>", "x".repeat(7))
        );
        assert!(b.notes[0].contains("7 deeper tags"), "{:?}", b.notes);
        // Unclosed paragraphs, list items, links and headings close each other: no depth.
        let p = "<p>para ".repeat(1000)
            + &"<li>item".repeat(1000)
            + &"<a href=x>link ".repeat(1000)
            + &"<h2>title ".repeat(1000);
        assert!(matches!(
            bound_html(&p, &limits(3, 100, 5000)).html,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn attributes_and_nodes_are_capped() {
        let html = "<p a=1 b='2' c=\"3>\" d e>text</p><br/>";
        let b = bound_html(html, &limits(10, 2, 100));
        assert_eq!(b.html, "<p a=1 b='2' >text</p><br/>");
        let b = bound_html("<p>1</p><p>2</p><!--c--><p>3</p>", &limits(10, 10, 3));
        assert_eq!(b.html, "<p>1</p><p>2</p><!--c-->");
        assert!(b.notes[0].contains("more than 3 elements"), "{:?}", b.notes);
    }

    #[test]
    fn a_dropped_tag_with_too_many_attributes_is_cut_once() {
        // Found by the html fuzz target: the attribute cut and the tag cut overlapped.
        let b = bound_html("<div><div a b c d>x</div></div>", &limits(1, 2, 100));
        assert_eq!(b.html, "<div>x</div>");
    }

    #[test]
    fn truncated_and_odd_markup_does_not_panic() {
        for html in [
            "<",
            "</",
            "<a",
            "<a b='",
            "<!--",
            "<!",
            "<?",
            "</>",
            "<script>",
            "<p a=\"é",
            "<é>",
            "a<<<b",
            "<title>x</titl",
            "<svg><path/><path/></svg>",
            "</p></div>",
        ] {
            let _ = bound_html(html, &limits(1, 0, 1));
        }
    }
}
