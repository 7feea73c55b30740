//! Tree construction: tokens from [`tokenize`](super::tokenize) into the arena [`Dom`].
//!
//! The WHATWG tree builder's rules, kept where they decide which block a run of text lands in:
//! the implied `<html>`, `<head>` and `<body>`; head elements; void elements; the implied end
//! tags of `<p>` (closed by any block start), `<li>`, `<dd>`/`<dt>`, headings, `<option>`, an open
//! `<a>` or `<button>`; scopes (a `</div>` never closes through a table cell, a stray `</span>`
//! never closes a `<div>` it is inside of); table structure with implied `<tbody>` and `<tr>`
//! and foster parenting of content misplaced in a table; foreign content (`<svg>`, `<math>`),
//! where `/>` closes an element; the list of active formatting elements (re-opened after a block
//! closes them, cleared at cells), the adoption agency (a misnested `</b>` or `</a>` moves the
//! block opened inside it out, so that text after it stays in its block and stays link text),
//! and the form element pointer. Left out: quirks mode, frameset, and the "in select" rules
//! (an unclosed `<select>` ends at the next block here, where a browser keeps the rest of the
//! page inside it, out of sight). Comments are not kept. `tests/parse_like_html5ever.rs`
//! checks where text lands against html5ever, on hand-written and generated markup and on the
//! benchmark pages.
//!
//! Hostile markup is bounded here, while parsing ([`Limits`]): start tags nested deeper than
//! `max_dom_depth` are dropped (their text stays, one level up), and so are their end tags, so
//! every scope search is bounded by that depth; only the first `max_attributes` attributes of a
//! tag are read; the page is read up to the tag that would make the DOM larger than
//! `max_dom_nodes` nodes. Each limit hit is counted in [`Parsed`].

use super::dom::{Attr, Data, Dom, Elem, Tag, NONE};
use super::tokenize::{tokenize, RawAttr, StartTag, TokenSink};
use crate::config::Limits;
use std::borrow::Cow;

/// Formatting elements one misnested end tag re-creates at most (the adoption agency's inner
/// loop keeps three).
const MAX_REOPENED: usize = 3;

/// Rounds of the adoption agency one end tag runs at most (the spec's outer loop: eight).
const MAX_ADOPTIONS: usize = 8;

/// A parsed page and the limits it hit.
#[derive(Debug)]
pub struct Parsed {
    /// The tree.
    pub dom: Dom,
    /// Start tags dropped for nesting deeper than the depth limit.
    pub too_deep: usize,
    /// Tags that had more attributes than the attribute limit (the rest were ignored).
    pub too_many_attributes: usize,
    /// Where reading stopped because the node limit was reached (byte offset), if it was.
    pub cut_at: Option<usize>,
}

impl Parsed {
    /// One note per limit hit, for the report.
    pub fn notes(&self, limits: &Limits) -> Vec<String> {
        let mut notes = Vec::new();
        if self.too_deep > 0 {
            notes.push(format!(
                "HTML nested deeper than {} elements: {} deeper tags were dropped, their text kept",
                limits.max_dom_depth, self.too_deep
            ));
        }
        if self.too_many_attributes > 0 {
            notes.push(format!(
                "attributes after the first {} of a tag were dropped ({} tags)",
                limits.max_attributes, self.too_many_attributes
            ));
        }
        if let Some(at) = self.cut_at {
            notes.push(format!(
                "HTML has more than {} elements: the page was read up to byte {at}",
                limits.max_dom_nodes
            ));
        }
        notes
    }
}

/// Parses `html` into a [`Dom`] within `limits`.
pub fn build(html: &str, limits: &Limits) -> Parsed {
    let mut b = Builder::new(html.len(), limits);
    let cut_at = tokenize(html, &mut b);
    Parsed {
        dom: b.dom,
        too_deep: b.dropped,
        too_many_attributes: b.attrs_capped,
        cut_at,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    InHead,
    AfterHead,
    InBody,
}

/// An open element.
#[derive(Clone, Copy)]
struct Open {
    id: u32,
    tag: Tag,
    /// In the spec's "special" category (a stray end tag of another name stops at it).
    special: bool,
    /// Ends the default scope (html, table, td, th, caption, applet, marquee, object, template).
    boundary: bool,
    /// An `<svg>` or `<math>` element or one inside them.
    foreign: bool,
    /// [`name_key`] of its name: stack searches compare these, not strings.
    key: u64,
}

/// A name's first seven bytes and its length in one word: equal keys mean equal names for names
/// of up to seven bytes, and a cheap filter for longer ones.
const fn name_key(name: &str) -> u64 {
    let b = name.as_bytes();
    let mut key = (if b.len() > 255 { 255 } else { b.len() }) as u64;
    let mut i = 0;
    while i < b.len() && i < 7 {
        key |= (b[i] as u64) << (8 * (i + 1));
        i += 1;
    }
    key
}

const KEY_TEMPLATE: u64 = name_key("template");

struct Builder {
    dom: Dom,
    stack: Vec<Open>,
    html: u32,
    head: u32,
    body: u32,
    mode: Mode,
    max_open: usize,
    max_nodes: usize,
    max_attributes: usize,
    dropped: usize,
    attrs_capped: usize,
    /// Names of dropped start tags still waiting for their end tag.
    dropped_open: Vec<String>,
    /// Drop one leading newline of the next text (after `<pre>`, `<listing>`, `<textarea>`).
    skip_newline: bool,
    /// `<table>` elements on the stack (table parts outside any table are ignored at once).
    tables: usize,
    /// The list of active formatting elements: the formatting elements opened and not yet
    /// closed by their own end tag, which open again (copies) where text follows after a block
    /// closed them (`<p><a>x<li>y`: "y" is link text); [`MARKER`] where a cell, caption or
    /// object starts (what is before it is not re-opened inside it).
    formatting: Vec<u32>,
    /// The open `<form>` (the spec's form element pointer): a form start tag inside it is
    /// ignored, and `</form>` closes that one.
    form: u32,
}

/// A boundary in [`Builder::formatting`].
const MARKER: u32 = u32::MAX;

/// Formatting elements of one name the list keeps after the last marker (the spec's "Noah's
/// Ark" clause keeps three).
const MAX_SAME_FORMATTING: usize = 3;

/// Elements with no content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
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
            | "image"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// The spec's "special" elements (HTML namespace).
fn is_special(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "applet"
            | "area"
            | "article"
            | "aside"
            | "base"
            | "basefont"
            | "bgsound"
            | "blockquote"
            | "body"
            | "br"
            | "button"
            | "caption"
            | "center"
            | "col"
            | "colgroup"
            | "dd"
            | "details"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "embed"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "frame"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "iframe"
            | "img"
            | "input"
            | "keygen"
            | "li"
            | "link"
            | "listing"
            | "main"
            | "marquee"
            | "menu"
            | "meta"
            | "nav"
            | "noembed"
            | "noframes"
            | "noscript"
            | "object"
            | "ol"
            | "p"
            | "param"
            | "plaintext"
            | "pre"
            | "script"
            | "search"
            | "section"
            | "select"
            | "source"
            | "style"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "template"
            | "textarea"
            | "tfoot"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "track"
            | "ul"
            | "wbr"
            | "xmp"
    )
}

/// Start tags that close an open `<p>` (in button scope) before they open.
fn closes_p(name: &str) -> bool {
    matches!(
        name,
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
            | "header"
            | "hgroup"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "search"
            | "section"
            | "summary"
            | "ul"
            | "pre"
            | "listing"
            | "form"
            | "plaintext"
            | "table"
            | "hr"
            | "xmp"
    )
}

/// End tags that close the nearest element of their name when one is in scope, whatever is open
/// inside it (`</div>` closes a `<p>` left open in the div): the blocks of [`closes_p`], and
/// `button`, `dd`, `dt`, `applet`, `marquee` and `object`.
fn ends_in_scope(name: &str) -> bool {
    closes_p(name)
        || matches!(
            name,
            "button" | "dd" | "dt" | "applet" | "marquee" | "object"
        )
}

/// Elements whose end tag is implied by the end of what holds them (the spec's "generate implied
/// end tags").
fn has_implied_end(name: &str) -> bool {
    matches!(
        name,
        "dd" | "dt" | "li" | "optgroup" | "option" | "p" | "rb" | "rp" | "rt" | "rtc"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

/// Start tags that leave foreign content (an HTML element inside `<svg>` that ends it).
fn breaks_out_of_foreign(name: &str) -> bool {
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    )
}

/// Elements that may only hold table structure (content put in them is fostered out).
fn is_table_context(tag: Tag, name: &str) -> bool {
    match tag {
        Tag::Table | Tag::Tr => true,
        // tbody, thead and tfoot are plain blocks to extraction.
        Tag::Block => matches!(name, "tbody" | "thead" | "tfoot"),
        _ => false,
    }
}

/// Elements that make up a table's structure.
fn is_table_part(name: &str) -> bool {
    matches!(
        name,
        "caption" | "col" | "colgroup" | "tbody" | "td" | "tfoot" | "th" | "thead" | "tr"
    )
}

/// The element's name as a static string when it is a common one (no allocation).
fn intern(name: &str) -> Cow<'static, str> {
    let common: &'static str = match name {
        "a" => "a",
        "abbr" => "abbr",
        "article" => "article",
        "aside" => "aside",
        "b" => "b",
        "blockquote" => "blockquote",
        "body" => "body",
        "br" => "br",
        "button" => "button",
        "caption" => "caption",
        "cite" => "cite",
        "code" => "code",
        "dd" => "dd",
        "div" => "div",
        "dl" => "dl",
        "dt" => "dt",
        "em" => "em",
        "figcaption" => "figcaption",
        "figure" => "figure",
        "font" => "font",
        "footer" => "footer",
        "form" => "form",
        "h1" => "h1",
        "h2" => "h2",
        "h3" => "h3",
        "h4" => "h4",
        "h5" => "h5",
        "h6" => "h6",
        "head" => "head",
        "header" => "header",
        "hr" => "hr",
        "html" => "html",
        "i" => "i",
        "iframe" => "iframe",
        "img" => "img",
        "input" => "input",
        "label" => "label",
        "li" => "li",
        "link" => "link",
        "main" => "main",
        "meta" => "meta",
        "nav" => "nav",
        "noscript" => "noscript",
        "ol" => "ol",
        "option" => "option",
        "p" => "p",
        "path" => "path",
        "picture" => "picture",
        "pre" => "pre",
        "script" => "script",
        "section" => "section",
        "select" => "select",
        "small" => "small",
        "source" => "source",
        "span" => "span",
        "strong" => "strong",
        "style" => "style",
        "sub" => "sub",
        "sup" => "sup",
        "svg" => "svg",
        "table" => "table",
        "tbody" => "tbody",
        "td" => "td",
        "template" => "template",
        "th" => "th",
        "thead" => "thead",
        "time" => "time",
        "title" => "title",
        "tr" => "tr",
        "u" => "u",
        "ul" => "ul",
        "use" => "use",
        "g" => "g",
        "ins" => "ins",
        "del" => "del",
        "mark" => "mark",
        "q" => "q",
        "s" => "s",
        "address" => "address",
        "center" => "center",
        "details" => "details",
        "summary" => "summary",
        "dialog" => "dialog",
        "textarea" => "textarea",
        "video" => "video",
        "audio" => "audio",
        "canvas" => "canvas",
        "embed" => "embed",
        "object" => "object",
        "param" => "param",
        "base" => "base",
        "tfoot" => "tfoot",
        "col" => "col",
        "colgroup" => "colgroup",
        "wbr" => "wbr",
        "nobr" => "nobr",
        "menu" => "menu",
        "hgroup" => "hgroup",
        "search" => "search",
        "fieldset" => "fieldset",
        "legend" => "legend",
        "frame" => "frame",
        "frameset" => "frameset",
        "noframes" => "noframes",
        "big" => "big",
        "strike" => "strike",
        "tt" => "tt",
        "var" => "var",
        "kbd" => "kbd",
        "samp" => "samp",
        "dfn" => "dfn",
        "bdi" => "bdi",
        "bdo" => "bdo",
        "ruby" => "ruby",
        "rt" => "rt",
        "rp" => "rp",
        "data" => "data",
        "output" => "output",
        "progress" => "progress",
        "meter" => "meter",
        "map" => "map",
        "area" => "area",
        "track" => "track",
        "math" => "math",
        "xmp" => "xmp",
        "listing" => "listing",
        "plaintext" => "plaintext",
        "image" => "image",
        "keygen" => "keygen",
        "basefont" => "basefont",
        "bgsound" => "bgsound",
        "noembed" => "noembed",
        "applet" => "applet",
        "marquee" => "marquee",
        "optgroup" => "optgroup",
        "circle" => "circle",
        "rect" => "rect",
        "defs" => "defs",
        "symbol" => "symbol",
        "clippath" => "clippath",
        "lineargradient" => "lineargradient",
        "stop" => "stop",
        _ => return Cow::Owned(name.to_owned()),
    };
    Cow::Borrowed(common)
}

fn is_whitespace_only(t: &str) -> bool {
    t.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
}

impl Builder {
    fn new(len: usize, limits: &Limits) -> Builder {
        let mut dom = Dom::with_room(
            (len / 40 + 16).min(limits.max_dom_nodes + 16),
            len / 100,
            len / 4,
        );
        dom.push(Data::Document);
        let mut b = Builder {
            dom,
            stack: Vec::with_capacity(64),
            html: NONE,
            head: NONE,
            body: NONE,
            mode: Mode::InHead,
            max_open: limits.max_dom_depth,
            max_nodes: limits.max_dom_nodes,
            max_attributes: limits.max_attributes,
            dropped: 0,
            attrs_capped: 0,
            dropped_open: Vec::new(),
            skip_newline: false,
            tables: 0,
            formatting: Vec::new(),
            form: NONE,
        };
        b.html = b.create("html", &[], 0);
        b.push_open(b.html, "html");
        b.head = b.create("head", &[], b.html);
        b.push_open(b.head, "head");
        b
    }

    fn name(&self, id: u32) -> &str {
        match &self.dom.nodes[id as usize].data {
            Data::Element(e) => &e.name,
            _ => "",
        }
    }

    fn cur(&self) -> Open {
        *self.stack.last().expect("the html element stays open")
    }

    /// Creates an element and appends it to `parent` (NONE: not attached).
    fn create(&mut self, name: &str, attrs: &[RawAttr], parent: u32) -> u32 {
        let tag = Tag::of(name);
        let start = self.dom.attr_slots.len();
        self.keep_attrs(attrs, start);
        let mut e = Elem {
            name: intern(name),
            tag,
            attrs: (start as u32, self.dom.attr_slots.len() as u32),
            drop_text: false,
        };
        e.drop_text = tag == Tag::Skip
            && !(name == "script"
                && self
                    .dom
                    .attr(&e, Attr::Type)
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/ld+json")));
        let id = self.dom.push(Data::Element(e));
        if parent != NONE {
            self.dom.append_child(parent, id);
        }
        id
    }

    fn push_open(&mut self, id: u32, name: &str) {
        let foreign =
            matches!(name, "svg" | "math") || self.stack.last().is_some_and(|o| o.foreign);
        let tag = self.dom.tag(id);
        self.tables += usize::from(tag == Tag::Table);
        self.stack.push(Open {
            id,
            tag,
            special: !foreign && is_special(name),
            boundary: !foreign
                && (matches!(
                    tag,
                    Tag::Html | Tag::Table | Tag::Td | Tag::Th | Tag::Caption
                ) || matches!(name, "applet" | "marquee" | "object" | "template")),
            foreign,
            key: name_key(name),
        });
    }

    /// Whether the open element `o` is named `name` (whose key is `key`).
    fn is_named(&self, o: &Open, key: u64, name: &str) -> bool {
        o.key == key && (name.len() <= 7 || self.name(o.id) == name)
    }

    /// Closes the current element.
    fn pop(&mut self) {
        if let Some(o) = self.stack.pop() {
            self.tables -= usize::from(o.tag == Tag::Table);
            let marks = matches!(o.tag, Tag::Td | Tag::Th | Tag::Caption)
                || (o.boundary && matches!(self.name(o.id), "applet" | "marquee" | "object"));
            if marks {
                // A cell, caption or object closes, by whatever tag: its formatting elements
                // are no longer active.
                self.clear_formatting_to_marker();
            }
        }
    }

    /// Closes every element above the first `len`.
    fn truncate(&mut self, len: usize) {
        while self.stack.len() > len {
            self.pop();
        }
    }

    /// Adds the attributes `id` lacks (a second `<html>` or `<body>` tag).
    fn add_missing_attrs(&mut self, id: u32, attrs: &[RawAttr]) {
        let Data::Element(e) = &self.dom.nodes[id as usize].data else {
            return;
        };
        let (from, to) = (e.attrs.0 as usize, e.attrs.1 as usize);
        // The element's attributes must end the table to grow: move them there first.
        let start = if to == self.dom.attr_slots.len() {
            from
        } else {
            let start = self.dom.attr_slots.len();
            self.dom.attr_slots.extend_from_within(from..to);
            start
        };
        self.keep_attrs(attrs, start);
        let end = self.dom.attr_slots.len() as u32;
        if let Data::Element(e) = &mut self.dom.nodes[id as usize].data {
            e.attrs = (start as u32, end);
        }
    }

    /// Appends to the attribute table the attributes extraction reads, values decoded, skipping
    /// any the element (whose attributes start at `start`) has already: the first of duplicate
    /// attributes wins, as in the spec.
    fn keep_attrs(&mut self, attrs: &[RawAttr], start: usize) {
        for a in attrs {
            let k = a.name;
            let key = if k.bytes().any(|c| c.is_ascii_uppercase()) {
                Attr::of(&k.to_ascii_lowercase())
            } else {
                Attr::of(k)
            };
            let Some(key) = key else { continue };
            if self.dom.attr_slots[start..]
                .iter()
                .any(|(x, _, _)| *x == key)
            {
                continue;
            }
            let from = self.dom.attr_text.len();
            self.dom.attr_text.push_str(&a.decoded());
            let to = self.dom.attr_text.len();
            self.dom.attr_slots.push((key, from as u32, to as u32));
        }
    }

    /// The nearest open table, if content must be fostered out of it now.
    fn foster_table(&self) -> Option<u32> {
        // Most content goes in while no table is open.
        if self.tables == 0 {
            return None;
        }
        let c = self.cur();
        if !is_table_context(c.tag, self.name(c.id)) {
            return None;
        }
        self.stack
            .iter()
            .rev()
            .find(|o| o.tag == Tag::Table)
            .map(|o| o.id)
    }

    /// Inserts an element where content goes now; pushes it unless `void`.
    fn insert(&mut self, name: &str, attrs: &[RawAttr], void: bool) {
        if !void && self.stack.len().saturating_sub(2) >= self.max_open {
            self.dropped += 1;
            self.dropped_open.push(name.to_owned());
            return;
        }
        let id = self.create(name, attrs, NONE);
        match self.foster_table() {
            Some(table)
                if !matches!(name, "script" | "style" | "template") && !is_table_part(name) =>
            {
                self.foster(table, id)
            }
            _ => {
                let parent = self.cur().id;
                self.dom.append_child(parent, id);
            }
        }
        if !void {
            self.push_open(id, name);
        }
    }

    /// Puts `id` before `table` (or at the end of the table's parent-less element).
    fn foster(&mut self, table: u32, id: u32) {
        if self.dom.nodes[table as usize].parent != NONE {
            self.dom.insert_before(table, id);
        } else {
            self.dom.append_child(table, id);
        }
    }

    /// Inserts an implied element (`tbody`, `tr`) at the current node and pushes it.
    fn insert_implied(&mut self, name: &str) {
        let parent = self.cur().id;
        let id = self.create(name, &[], parent);
        self.push_open(id, name);
    }

    /// Inserts a formatting element and makes it active ([`Self::push_formatting`]).
    fn insert_formatting(&mut self, name: &str, attrs: &[RawAttr]) {
        let before = self.stack.len();
        self.insert(name, attrs, false);
        if self.stack.len() > before {
            let id = self.cur().id;
            self.push_formatting(id);
        }
    }

    fn pop_to(&mut self, index: usize) {
        self.truncate(index.max(1));
    }

    /// Index of the nearest open element named `name` in the given scope (`extra`: names of at
    /// most seven bytes that also end it).
    fn in_scope(&self, name: &str, extra: &[&str]) -> Option<usize> {
        let key = name_key(name);
        for i in (0..self.stack.len()).rev() {
            let o = self.stack[i];
            if !o.foreign && self.is_named(&o, key, name) {
                return Some(i);
            }
            if o.boundary || (!o.foreign && extra.iter().any(|e| name_key(e) == o.key)) {
                return None;
            }
        }
        None
    }

    /// Index of the nearest open element named as one of `names` in table scope.
    fn in_table_scope(&self, names: &[&str]) -> Option<usize> {
        if self.tables == 0 {
            return None;
        }
        for i in (0..self.stack.len()).rev() {
            let o = self.stack[i];
            if names.iter().any(|n| self.is_named(&o, name_key(n), n)) {
                return Some(i);
            }
            if matches!(o.tag, Tag::Html | Tag::Table)
                || (o.key == KEY_TEMPLATE && self.name(o.id) == "template")
            {
                return None;
            }
        }
        None
    }

    fn close_p(&mut self) {
        if let Some(i) = self.in_scope("p", &["button"]) {
            self.pop_to(i);
        }
    }

    /// Before the body, with `<html>` or `<head>` itself the current element (not an element of
    /// the head such as `<script>`, which is put back into the head, and onto the stack, after
    /// `</head>` too).
    fn straight_in_head(&self) -> bool {
        self.mode != Mode::InBody
            && self.stack.len() <= 2
            && matches!(self.cur().tag, Tag::Html | Tag::Head)
    }

    /// Leaves the head: creates `<body>` (with `attrs`) and switches to the body.
    fn start_body(&mut self, attrs: &[RawAttr]) {
        self.truncate(1);
        let html = self.html;
        self.body = self.create("body", attrs, html);
        self.push_open(self.body, "body");
        self.mode = Mode::InBody;
    }

    fn head_start_tag(&mut self, tag: &StartTag<'_, '_>) -> bool {
        match tag.name {
            "html" => {
                let html = self.html;
                self.add_missing_attrs(html, tag.attrs);
                true
            }
            "head" => true,
            "base" | "basefont" | "bgsound" | "link" | "meta" | "title" | "noscript"
            | "noframes" | "style" | "script" | "template" => {
                if self.mode == Mode::AfterHead {
                    // Put back into the head.
                    let head = self.head;
                    let id = self.create(tag.name, tag.attrs, head);
                    if !is_void(tag.name) {
                        self.push_open(id, tag.name);
                    }
                } else {
                    self.insert(tag.name, tag.attrs, is_void(tag.name));
                }
                true
            }
            "body" => {
                self.start_body(tag.attrs);
                true
            }
            _ => {
                self.start_body(&[]);
                false
            }
        }
    }

    fn body_start_tag(&mut self, tag: &StartTag<'_, '_>) {
        let name = tag.name;
        let attrs = tag.attrs;
        if self.cur().foreign {
            if breaks_out_of_foreign(name) {
                while self.stack.len() > 1 && self.cur().foreign {
                    self.pop();
                }
            } else {
                self.insert(name, attrs, tag.self_closing);
                return;
            }
        }
        match name {
            "html" => {
                let html = self.html;
                self.add_missing_attrs(html, attrs);
            }
            "body" => {
                let body = self.body;
                self.add_missing_attrs(body, attrs);
            }
            "head" | "frameset" | "frame" => {}
            "caption" | "col" | "colgroup" | "tbody" | "td" | "tfoot" | "th" | "thead" | "tr" => {
                self.table_part(name, attrs)
            }
            "li" => {
                for i in (0..self.stack.len()).rev() {
                    let o = self.stack[i];
                    let n = self.name(o.id);
                    if n == "li" {
                        self.pop_to(i);
                        break;
                    }
                    if o.special && !matches!(n, "address" | "div" | "p") {
                        break;
                    }
                }
                self.close_p();
                self.insert(name, attrs, false);
            }
            "dd" | "dt" => {
                for i in (0..self.stack.len()).rev() {
                    let o = self.stack[i];
                    let n = self.name(o.id);
                    if n == "dd" || n == "dt" {
                        self.pop_to(i);
                        break;
                    }
                    if o.special && !matches!(n, "address" | "div" | "p") {
                        break;
                    }
                }
                self.close_p();
                self.insert(name, attrs, false);
            }
            _ if is_heading(name) => {
                self.close_p();
                if is_heading(self.name(self.cur().id)) {
                    self.pop();
                }
                self.insert(name, attrs, false);
            }
            "a" | "nobr" => {
                // A link inside an open link closes it first, as its end tag would.
                if name == "nobr" {
                    self.reconstruct_formatting();
                }
                if let Some(element) = self.active_formatting(name).map(|k| self.formatting[k]) {
                    self.end_formatting(name);
                    // Closed or not, it is neither open nor active any more.
                    self.formatting.retain(|&e| e != element);
                    if let Some(k) = self.stack.iter().rposition(|o| o.id == element) {
                        let o = self.stack.remove(k);
                        self.tables -= usize::from(o.tag == Tag::Table);
                    }
                }
                self.reconstruct_formatting();
                self.insert_formatting(name, attrs);
            }
            "button" => {
                if let Some(i) = self.in_scope(name, &[]) {
                    self.pop_to(i);
                }
                self.reconstruct_formatting();
                self.insert(name, attrs, false);
            }
            "option" | "optgroup" => {
                if self.name(self.cur().id) == "option" {
                    self.pop();
                }
                self.reconstruct_formatting();
                self.insert(name, attrs, false);
            }
            "table" => {
                if let Some(i) = self
                    .in_table_scope(&["table"])
                    .filter(|_| is_table_context(self.cur().tag, self.name(self.cur().id)))
                {
                    // A table start tag inside a table (not in a cell) ends the first table.
                    self.pop_to(i);
                } else {
                    self.close_p();
                }
                self.insert(name, attrs, false);
            }
            "image" => {
                self.reconstruct_formatting();
                self.insert("img", attrs, true);
            }
            "svg" | "math" => {
                self.reconstruct_formatting();
                self.insert(name, attrs, tag.self_closing);
            }
            _ if is_formatting(name) => {
                self.reconstruct_formatting();
                self.insert_formatting(name, attrs);
            }
            "form" => {
                if self.form == NONE {
                    self.close_p();
                    let before = self.stack.len();
                    self.insert(name, attrs, false);
                    if self.stack.len() > before {
                        self.form = self.cur().id;
                    }
                }
            }
            _ => {
                if closes_p(name) {
                    self.close_p();
                } else {
                    self.reconstruct_formatting();
                }
                let void = is_void(name);
                self.insert(name, attrs, void);
                if matches!(name, "applet" | "marquee" | "object") {
                    self.formatting.push(MARKER);
                }
                if matches!(name, "pre" | "listing" | "textarea") {
                    self.skip_newline = true;
                }
            }
        }
    }

    /// A table part's start tag (`tr`, `td`, `tbody`, ...): implied rows and bodies, closing the
    /// open cell or row; ignored outside a table.
    fn table_part(&mut self, name: &str, attrs: &[RawAttr]) {
        if self.in_table_scope(&["table"]).is_none() {
            return;
        }
        let stop: &[&str] = match name {
            "td" | "th" => &["tr", "tbody", "thead", "tfoot", "table", "html", "template"],
            "tr" => &["tbody", "thead", "tfoot", "table", "html", "template"],
            _ => &["table", "html", "template"],
        };
        while self.stack.len() > 1 && !stop.contains(&self.name(self.cur().id)) {
            self.pop();
        }
        let cur = self.name(self.cur().id);
        match name {
            "td" | "th" => {
                if cur == "table" {
                    self.insert_implied("tbody");
                }
                if self.name(self.cur().id) != "tr" {
                    self.insert_implied("tr");
                }
                self.insert(name, attrs, false);
                self.formatting.push(MARKER);
            }
            "tr" => {
                if cur == "table" {
                    self.insert_implied("tbody");
                }
                self.insert(name, attrs, false);
            }
            "col" => self.insert(name, attrs, true),
            _ => {
                self.insert(name, attrs, false);
                if name == "caption" {
                    self.formatting.push(MARKER);
                }
            }
        }
    }

    fn body_end_tag(&mut self, name: &str) {
        if let Some(last) = self.dropped_open.last() {
            if last == name {
                self.dropped_open.pop();
                return;
            }
        }
        match name {
            "body" | "html" => {}
            "br" => self.insert("br", &[], true),
            "p" => {
                if let Some(i) = self.in_scope("p", &["button"]) {
                    self.pop_to(i);
                }
            }
            "li" => {
                if let Some(i) = self.in_scope("li", &["ol", "ul"]) {
                    self.pop_to(i);
                }
            }
            _ if is_heading(name) => {
                for i in (0..self.stack.len()).rev() {
                    let o = self.stack[i];
                    if is_heading(self.name(o.id)) && !o.foreign {
                        self.pop_to(i);
                        break;
                    }
                    if o.boundary {
                        break;
                    }
                }
            }
            "table" | "tbody" | "tfoot" | "thead" | "tr" | "td" | "th" | "caption" | "colgroup" => {
                if let Some(i) = self.in_table_scope(&[name]) {
                    self.pop_to(i);
                }
            }
            "form" => {
                // The form the pointer names closes, after the elements whose end tags are
                // implied (`li`, `p`, ...); blocks left open inside it stay open (the spec
                // removes the form element alone from the stack).
                let form = std::mem::replace(&mut self.form, NONE);
                let at = self
                    .in_scope("form", &[])
                    .filter(|&i| self.stack[i].id == form);
                if let Some(i) = at {
                    while self.stack.len() > i + 1 && has_implied_end(self.name(self.cur().id)) {
                        self.pop();
                    }
                    self.stack.remove(i);
                }
            }
            _ if is_formatting(name) => self.end_formatting(name),
            _ if self.mode == Mode::InBody && ends_in_scope(name) => {
                if let Some(i) = self.in_scope(name, &[]) {
                    self.pop_to(i);
                }
            }
            _ => self.other_end_tag(name),
        }
    }

    /// Any other end tag: closes the nearest element of that name unless a special element is
    /// open inside it.
    fn other_end_tag(&mut self, name: &str) {
        let key = name_key(name);
        for i in (0..self.stack.len()).rev() {
            let o = self.stack[i];
            if self.is_named(&o, key, name) {
                self.pop_to(i);
                break;
            }
            if o.special {
                break;
            }
        }
    }

    /// Whether element `id` is open.
    fn is_open(&self, id: u32) -> bool {
        self.stack.iter().rev().any(|o| o.id == id)
    }

    /// Where the entries after the last marker of the list of active formatting elements start.
    fn since_marker(&self) -> usize {
        self.formatting
            .iter()
            .rposition(|&e| e == MARKER)
            .map_or(0, |m| m + 1)
    }

    /// The last entry after the last marker of the list of active formatting elements that is
    /// named `name`, if any.
    fn active_formatting(&self, name: &str) -> Option<usize> {
        (self.since_marker()..self.formatting.len())
            .rev()
            .find(|&k| self.name(self.formatting[k]) == name)
    }

    /// Opens formatting element `id` (just inserted) in the list of active formatting elements.
    fn push_formatting(&mut self, id: u32) {
        let since = self.since_marker();
        let name = self.name(id);
        let mut same =
            (since..self.formatting.len()).filter(|&k| self.name(self.formatting[k]) == name);
        if let Some(first) = same.next() {
            if same.count() + 1 >= MAX_SAME_FORMATTING {
                self.formatting.remove(first);
            }
        }
        self.formatting.push(id);
    }

    /// Clears the list of active formatting elements back to its last marker (a cell, caption
    /// or object closes).
    fn clear_formatting_to_marker(&mut self) {
        while let Some(e) = self.formatting.pop() {
            if e == MARKER {
                break;
            }
        }
    }

    /// Re-opens, as copies in the current element, the formatting elements of the list that a
    /// block's start or end closed (`<p><b>x</p>y`: "y" is in a new `<b>`), before text or an
    /// inline element is inserted.
    fn reconstruct_formatting(&mut self) {
        match self.formatting.last() {
            None => return,
            Some(&e) if e == MARKER || self.is_open(e) => return,
            Some(_) => {}
        }
        let mut from = self.formatting.len() - 1;
        while from > 0 {
            let e = self.formatting[from - 1];
            if e == MARKER || self.is_open(e) {
                break;
            }
            from -= 1;
        }
        for k in from..self.formatting.len() {
            if self.stack.len().saturating_sub(2) >= self.max_open {
                // At the depth limit: the rest stays closed.
                self.formatting.truncate(k);
                return;
            }
            let old = self.formatting[k];
            let copy = self.dom.clone_element(old);
            match self.foster_table() {
                Some(table) => self.foster(table, copy),
                None => {
                    let parent = self.cur().id;
                    self.dom.append_child(parent, copy);
                }
            }
            let name = self.name(old).to_owned();
            self.push_open(copy, &name);
            self.formatting[k] = copy;
        }
    }

    /// The end of the formatting element `name` (its end tag, or a start tag that closes an
    /// open one), as the adoption agency has it where that decides which block text lands in and
    /// whether it is link text. Nothing happens when none is in scope. While a block was opened
    /// inside it, the block moves out of it ([`Self::adopt`]), at most [`MAX_ADOPTIONS`] times.
    /// Then it closes with the elements opened inside it, and the formatting elements among
    /// those open again, copies in its place (`<b><a>x</b>y`: "y" is still link text).
    fn end_formatting(&mut self, name: &str) {
        let Some(entry) = self.active_formatting(name) else {
            // Not an active formatting element: as any other end tag.
            self.other_end_tag(name);
            return;
        };
        let element = self.formatting[entry];
        let Some(mut at) = self.stack.iter().rposition(|o| o.id == element) else {
            self.formatting.remove(entry);
            return;
        };
        if at == 0 || self.in_scope(name, &[]) != Some(at) {
            return;
        }
        for _ in 0..MAX_ADOPTIONS {
            match (at + 1..self.stack.len()).find(|&k| self.stack[k].special) {
                Some(block) => at = self.adopt(at, block),
                None => {
                    let id = self.stack[at].id;
                    self.pop_to(at);
                    self.formatting.retain(|&e| e != id);
                    return;
                }
            }
        }
    }

    /// One round of the adoption agency, for the formatting element at `stack[at]` and the
    /// first block opened inside it, `stack[block]` (as in `<b>1<p>2</b>3</p>` or
    /// `<a><div>text</a>`): the block moves out of the formatting element to the element the
    /// formatting element is in, inside copies of the formatting elements open between them
    /// (which take their places on the stack; other elements there close); the block's content
    /// moves into a copy of the formatting element, which replaces it on the stack, right above
    /// the block. Returns where that copy is on the stack. At most [`MAX_REOPENED`] elements
    /// between are copied (as the spec's inner loop); the spec's list of active formatting
    /// elements is left out.
    fn adopt(&mut self, at: usize, block: usize) -> usize {
        let ancestor = self.stack[at - 1].id;
        let moved = self.stack[block].id;
        let mut last = moved;
        let mut kept = Vec::new();
        for k in (at + 1..block).rev() {
            let o = self.stack[k];
            let Some(entry) = self.formatting.iter().position(|&e| e == o.id) else {
                continue;
            };
            if kept.len() >= MAX_REOPENED {
                self.formatting.remove(entry);
                continue;
            }
            let copy = self.dom.clone_element(o.id);
            self.formatting[entry] = copy;
            self.dom.append_child(copy, last);
            last = copy;
            kept.push(Open { id: copy, ..o });
        }
        // Into a table, the block would be fostered out of it: left where it is.
        let table_part = matches!(self.dom.tag(ancestor), Tag::Table)
            || matches!(self.name(ancestor), "tbody" | "thead" | "tfoot" | "tr");
        if !table_part {
            self.dom.append_child(ancestor, last);
        }
        let formatting = self.stack[at];
        let wrapper = self.dom.clone_element(formatting.id);
        if let Some(entry) = self.formatting.iter().position(|&e| e == formatting.id) {
            self.formatting[entry] = wrapper;
        }
        self.dom.move_children(moved, wrapper);
        self.dom.append_child(moved, wrapper);
        kept.reverse();
        let reopened = kept.len();
        for o in self.stack.splice(at..block, kept) {
            self.tables -= usize::from(o.tag == Tag::Table);
        }
        let wrapper_at = at + reopened + 1;
        self.stack.insert(
            wrapper_at,
            Open {
                id: wrapper,
                ..formatting
            },
        );
        wrapper_at
    }

    fn append_text(&mut self, text: Cow<'_, str>) {
        let cur = self.cur().id;
        if self.dom.drops_text(cur) {
            return;
        }
        let (parent, before) = match self.foster_table() {
            Some(table) if !is_whitespace_only(&text) => {
                let p = self.dom.nodes[table as usize].parent;
                if p == NONE {
                    (table, NONE)
                } else {
                    (p, table)
                }
            }
            _ => (cur, NONE),
        };
        let prev = if before == NONE {
            self.dom.nodes[parent as usize].last_child
        } else {
            self.dom.nodes[before as usize].prev
        };
        let store = &mut self.dom.text_store;
        if prev != NONE {
            if let Data::Text(from, to) = self.dom.nodes[prev as usize].data {
                // Adjacent text joins the previous node; its text must end the store to grow
                // (it does unless text went elsewhere since, as fostered text can): copied there
                // first otherwise.
                let from = if to as usize == store.len() {
                    from
                } else {
                    let start = store.len();
                    store.extend_from_within(from as usize..to as usize);
                    start as u32
                };
                store.push_str(&text);
                self.dom.nodes[prev as usize].data = Data::Text(from, store.len() as u32);
                return;
            }
        }
        let from = store.len() as u32;
        store.push_str(&text);
        let to = store.len() as u32;
        let id = self.dom.push(Data::Text(from, to));
        if before == NONE {
            self.dom.append_child(parent, id);
        } else {
            self.dom.insert_before(before, id);
        }
    }
}

impl TokenSink for Builder {
    fn full(&self) -> bool {
        self.dom.nodes.len() > self.max_nodes
    }

    fn text(&mut self, text: Cow<'_, str>) {
        let mut text = text;
        if std::mem::take(&mut self.skip_newline) && text.starts_with('\n') {
            text = match text {
                Cow::Borrowed(s) => Cow::Borrowed(&s[1..]),
                Cow::Owned(s) => Cow::Owned(s[1..].to_owned()),
            };
            if text.is_empty() {
                return;
            }
        }
        if self.straight_in_head() {
            // Text straight in <head> or after it: white space is dropped, anything else
            // starts the body.
            let t = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0c']);
            if t.is_empty() {
                return;
            }
            self.start_body(&[]);
            self.append_text(Cow::Borrowed(t));
            return;
        }
        if !self.formatting.is_empty() && self.mode == Mode::InBody {
            let cur = self.cur();
            // White space in a table stays in it; other text is fostered out of it, where the
            // formatting elements open again.
            let table_space =
                is_table_context(cur.tag, self.name(cur.id)) && is_whitespace_only(&text);
            if !self.dom.drops_text(cur.id) && !table_space {
                self.reconstruct_formatting();
            }
        }
        self.append_text(text);
    }

    fn drops_text(&self) -> bool {
        // As `text` would: no newline to skip, not the text that starts the body, and the
        // current element drops its text (`append_text`).
        !self.skip_newline && !self.straight_in_head() && self.dom.drops_text(self.cur().id)
    }

    fn start_tag(&mut self, tag: &StartTag<'_, '_>) {
        self.skip_newline = false;
        let capped;
        let tag = if tag.attrs.len() > self.max_attributes {
            self.attrs_capped += 1;
            capped = StartTag {
                attrs: &tag.attrs[..self.max_attributes],
                ..*tag
            };
            &capped
        } else {
            tag
        };
        if self.mode != Mode::InBody && self.head_start_tag(tag) {
            return;
        }
        self.body_start_tag(tag);
    }

    fn end_tag(&mut self, name: &str) {
        self.skip_newline = false;
        if self.mode != Mode::InBody {
            if !self.straight_in_head() && self.name(self.cur().id) == name {
                // The end of a head element (`title`, `script`, `style`, ...), one put back
                // into the head after `</head>` included.
                self.pop();
                return;
            }
            match name {
                "head" if self.mode == Mode::InHead => {
                    self.truncate(1);
                    self.mode = Mode::AfterHead;
                    return;
                }
                "body" | "html" | "br" if self.stack.len() <= 2 => {
                    self.start_body(&[]);
                }
                _ if self.stack.len() <= 2 => return,
                _ => {}
            }
        }
        self.body_end_tag(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as nested s-expressions, text in quotes, head and html implied.
    fn tree(html: &str) -> String {
        let dom = build(html, &Limits::default()).dom;
        let mut out = String::new();
        fn go(dom: &Dom, id: u32, out: &mut String) {
            match &dom.nodes[id as usize].data {
                Data::Text(from, to) => out.push_str(&format!("{:?}", dom.text(*from, *to))),
                Data::Element(e) => {
                    out.push('(');
                    out.push_str(&e.name);
                    let mut c = dom.nodes[id as usize].first_child;
                    while c != NONE {
                        out.push(' ');
                        go(dom, c, out);
                        c = dom.nodes[c as usize].next;
                    }
                    out.push(')');
                }
                _ => {}
            }
        }
        let body = (0..dom.nodes.len() as u32)
            .find(|&i| dom.tag(i) == Tag::Body)
            .expect("a body");
        go(&dom, body, &mut out);
        out
    }

    #[test]
    fn fostered_text_joins_text_before_the_table() {
        // "b" and "d" are fostered out of the table, before it, where they join "a"; the store
        // holds "c" after "ab" by then, so "ab" moves to its end to grow.
        assert_eq!(
            tree("<div>a<table>b<tr><td>c</td></tr>d</table>e</div>"),
            r#"(body (div "abd" (table (tbody (tr (td "c")))) "e"))"#
        );
    }

    #[test]
    fn implied_structure_and_head() {
        let dom = build(
            "<title>T</title><meta name=x content=y>Hello",
            &Limits::default(),
        )
        .dom;
        let tags: Vec<Tag> = (0..dom.nodes.len() as u32).map(|i| dom.tag(i)).collect();
        assert!(tags.contains(&Tag::Head) && tags.contains(&Tag::Title));
        assert_eq!(tree("<title>T</title>Hello"), r#"(body "Hello")"#);
    }

    /// A script, style or title between `</head>` and `<body>` goes back into the head with its
    /// text (script code never reaches the body), ends at its end tag, and text after it starts
    /// the body as usual.
    #[test]
    fn head_elements_after_the_head_keep_their_text() {
        assert_eq!(
            tree("<head></head>\n<script>var x = 1;</script>\n<style>p{}</style><p>Body</p>"),
            r#"(body (p "Body"))"#
        );
        assert_eq!(
            tree("<head></head><script>var x;</script><script>y();</script>Text<p>P</p>"),
            r#"(body "Text" (p "P"))"#
        );
        let dom = build(
            "<head></head><title>Headline</title><p>Body",
            &Limits::default(),
        )
        .dom;
        let title = (0..dom.nodes.len() as u32)
            .find(|&i| dom.tag(i) == Tag::Title)
            .expect("a title");
        assert_eq!(
            dom.nodes[title as usize].parent, 2,
            "the title is in the head"
        );
        assert_eq!(dom.texts(), vec!["Headline", "Body"]);
    }

    #[test]
    fn paragraphs_and_list_items_close_implicitly() {
        assert_eq!(
            tree("<p>one<p>two<div>three</div><ul><li>a<li>b</ul>"),
            r#"(body (p "one") (p "two") (div "three") (ul (li "a") (li "b")))"#
        );
        assert_eq!(
            tree("<h2>Head<h3>Sub</h3>"),
            r#"(body (h2 "Head") (h3 "Sub"))"#
        );
        assert_eq!(
            tree("<dl><dt>k<dd>v<dt>k2</dl>"),
            r#"(body (dl (dt "k") (dd "v") (dt "k2")))"#
        );
    }

    #[test]
    fn stray_end_tags_respect_special_elements_and_scope() {
        // </span> cannot close the span through the open div; </div> closes through the span.
        assert_eq!(
            tree("<span><div>a</span>b</div>c"),
            r#"(body (span (div "ab") "c"))"#
        );
        assert_eq!(
            tree("<div><table><tr><td></div>x</td></tr></table>y</div>"),
            r#"(body (div (table (tbody (tr (td "x")))) "y"))"#
        );
    }

    #[test]
    fn tables_get_implied_parts_and_foster_misplaced_text() {
        assert_eq!(
            tree("<table><td>a<td>b<tr><td>c</table>"),
            r#"(body (table (tbody (tr (td "a") (td "b")) (tr (td "c")))))"#
        );
        assert_eq!(
            tree("<table>lost<tr><td>x</table>"),
            r#"(body "lost" (table (tbody (tr (td "x")))))"#
        );
        assert_eq!(tree("<td>no table</td>"), r#"(body "no table")"#);
    }

    #[test]
    fn raw_text_pre_and_foreign_content() {
        assert_eq!(
            tree("<p>a<script>var x = '<p>';</script>b"),
            r#"(body (p "a" (script) "b"))"#
        );
        assert_eq!(tree("<pre>\ncode</pre>"), r#"(body (pre "code"))"#);
        assert_eq!(
            tree("<svg><path/><title>Icon</title></svg><p>after"),
            r#"(body (svg (path) (title "Icon")) (p "after"))"#
        );
        assert_eq!(
            tree("<a href=1>one<a href=2>two</a>"),
            r#"(body (a "one") (a "two"))"#
        );
    }

    #[test]
    fn json_ld_text_is_kept_other_script_text_dropped() {
        let dom = build(
            r#"<script type="application/ld+json">{"a":1}</script><script>x()</script>"#,
            &Limits::default(),
        )
        .dom;
        assert_eq!(dom.texts(), vec![r#"{"a":1}"#]);
    }

    fn limits(depth: usize, attrs: usize, nodes: usize) -> Limits {
        Limits {
            max_dom_depth: depth,
            max_attributes: attrs,
            max_dom_nodes: nodes,
            ..Limits::default()
        }
    }

    #[test]
    fn deep_nesting_is_flattened_keeping_text() {
        let html = format!("{}text{}<p>after", "<div>x".repeat(10), "</div>".repeat(10));
        let p = build(&html, &limits(3, 100, 1000));
        assert_eq!(p.too_deep, 7);
        let body = (0..p.dom.nodes.len() as u32)
            .find(|&i| p.dom.tag(i) == Tag::Body)
            .unwrap();
        // Three levels of div; the deepest holds its own text and that of the seven dropped ones.
        let mut id = body;
        for _ in 0..3 {
            id = (p.dom.nodes[id as usize].first_child..)
                .find(|&c| p.dom.tag(c) == Tag::Div)
                .unwrap();
        }
        assert!(
            matches!(p.dom.nodes[p.dom.nodes[id as usize].last_child as usize].data,
            Data::Text(from, to) if p.dom.text(from, to) == "xxxxxxxxtext")
        );
        // The dropped end tags did not close the kept divs early: <p> follows the outer div.
        assert_eq!(p.dom.tag(p.dom.nodes[body as usize].last_child), Tag::P);
        assert!(p.notes(&limits(3, 100, 1000))[0].contains("nested deeper than 3"));
    }

    #[test]
    fn attributes_and_nodes_are_capped() {
        let p = build("<p id=a class=b>text</p>", &limits(10, 1, 100));
        assert_eq!(p.too_many_attributes, 1);
        let e = (0..p.dom.nodes.len() as u32)
            .find_map(|i| p.dom.elem(i).filter(|e| e.tag == Tag::P))
            .unwrap();
        assert_eq!(p.dom.attr(e, Attr::Id), Some("a"));
        assert_eq!(p.dom.attr(e, Attr::Class), None);
        let html = "<p>1</p><p>2</p><p>3</p>";
        let p = build(html, &limits(10, 10, 7));
        // Document, html, head, body, two p and their two texts: 8 nodes, one more than the
        // limit, so reading stops at the second </p>.
        assert_eq!(p.cut_at, Some(12));
        assert!(p.dom.nodes.len() <= 8);
        assert!(p.notes(&limits(10, 10, 7))[0].contains("more than 7 elements"));
    }

    #[test]
    fn repeated_html_and_body_tags_add_only_missing_attributes() {
        let p = build(
            "<html lang=en><body class=a><div id=x title=t>one</div>\
             <body class=b id=&quot;main&quot; hidden><html lang=fr dir=rtl><p>two",
            &Limits::default(),
        );
        let find = |tag: Tag| {
            (0..p.dom.nodes.len() as u32)
                .find_map(|i| p.dom.elem(i).filter(|e| e.tag == tag))
                .unwrap()
        };
        let body: Vec<_> = p.dom.attrs(find(Tag::Body)).collect();
        assert_eq!(
            body,
            [
                (Attr::Class, "a"),
                (Attr::Id, "\"main\""),
                (Attr::Hidden, "")
            ]
        );
        let html: Vec<_> = p.dom.attrs(find(Tag::Html)).collect();
        assert_eq!(html, [(Attr::Lang, "en")]);
        // The div's attributes were not disturbed by the body's growing after them.
        assert_eq!(p.dom.attr(find(Tag::Div), Attr::Id), Some("x"));
        assert_eq!(p.dom.attr(find(Tag::Div), Attr::Class), None);
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
            "<table>x<td>",
            "</body>x</html>y",
            "<head></head><meta>",
            "<pre>",
            "<pre>\n",
        ] {
            for l in [limits(1, 0, 1), Limits::default()] {
                let _ = build(html, &l);
            }
        }
    }
}
