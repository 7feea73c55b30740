//! A lean arena DOM built by html5ever: nodes in one `Vec`, linked by `u32` indices.
//!
//! Only what extraction reads is kept: element names (with a small tag code), a handful of
//! attributes, and text. Text inside `<script>` (except JSON-LD), `<style>` and similar elements is
//! dropped while parsing. Nothing here recurses, so any nesting depth is safe.

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    TokenizerResult,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{Attribute, ExpandedName, LocalName, QualName};
use std::borrow::Cow;

/// "No node".
pub const NONE: u32 = u32::MAX;

/// The element kinds extraction distinguishes; everything else is `Other` (treated as inline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Tag {
    Html,
    Head,
    Title,
    Meta,
    Body,
    P,
    Div,
    H(u8),
    Li,
    Ul,
    Ol,
    Dl,
    Dt,
    Dd,
    Blockquote,
    Pre,
    Table,
    Tr,
    Td,
    Th,
    Caption,
    Br,
    Hr,
    A,
    Article,
    Main,
    Section,
    Header,
    Footer,
    Nav,
    Aside,
    Figure,
    Figcaption,
    Address,
    Time,
    Img,
    Form,
    /// Elements whose subtree is never article text (script, style, svg, button, ...).
    Skip,
    /// Other block-level containers (center, details, fieldset, ...).
    Block,
    Other,
}

impl Tag {
    fn of(name: &str) -> Tag {
        match name {
            "html" => Tag::Html,
            "head" => Tag::Head,
            "title" => Tag::Title,
            "meta" => Tag::Meta,
            "body" => Tag::Body,
            "p" => Tag::P,
            "div" => Tag::Div,
            "h1" => Tag::H(1),
            "h2" => Tag::H(2),
            "h3" => Tag::H(3),
            "h4" => Tag::H(4),
            "h5" => Tag::H(5),
            "h6" => Tag::H(6),
            "li" => Tag::Li,
            "ul" | "menu" => Tag::Ul,
            "ol" => Tag::Ol,
            "dl" => Tag::Dl,
            "dt" => Tag::Dt,
            "dd" => Tag::Dd,
            "blockquote" => Tag::Blockquote,
            "pre" => Tag::Pre,
            "table" => Tag::Table,
            "tr" => Tag::Tr,
            "td" => Tag::Td,
            "th" => Tag::Th,
            "caption" => Tag::Caption,
            "br" => Tag::Br,
            "hr" => Tag::Hr,
            "a" => Tag::A,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "section" => Tag::Section,
            "header" => Tag::Header,
            "footer" => Tag::Footer,
            "nav" => Tag::Nav,
            "aside" => Tag::Aside,
            "figure" => Tag::Figure,
            "figcaption" => Tag::Figcaption,
            "address" => Tag::Address,
            "time" => Tag::Time,
            "img" => Tag::Img,
            "form" => Tag::Form,
            "script" | "style" | "noscript" | "template" | "svg" | "math" | "button" | "select"
            | "option" | "textarea" | "input" | "iframe" | "object" | "embed" | "canvas"
            | "video" | "audio" | "dialog" | "label" | "link" | "source" | "picture" => Tag::Skip,
            "center" | "details" | "summary" | "fieldset" | "tbody" | "thead" | "tfoot"
            | "hgroup" | "legend" | "dir" | "frameset" | "noframes" | "search" => Tag::Block,
            _ => Tag::Other,
        }
    }

    /// Starts a new text block.
    pub fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::A | Tag::Time | Tag::Img | Tag::Other | Tag::Skip | Tag::Td | Tag::Th
        )
    }
}

/// Attributes kept from the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Attr {
    Id,
    Class,
    Role,
    Itemprop,
    Itemtype,
    Property,
    Name,
    Content,
    Type,
    Hidden,
    AriaHidden,
    Style,
    Datetime,
    Lang,
    Rel,
    Href,
    Alt,
}

impl Attr {
    fn of(name: &str) -> Option<Attr> {
        Some(match name {
            "id" => Attr::Id,
            "class" => Attr::Class,
            "role" => Attr::Role,
            "itemprop" => Attr::Itemprop,
            "itemtype" => Attr::Itemtype,
            "property" => Attr::Property,
            "name" => Attr::Name,
            "content" => Attr::Content,
            "type" => Attr::Type,
            "hidden" => Attr::Hidden,
            "aria-hidden" => Attr::AriaHidden,
            "style" => Attr::Style,
            "datetime" => Attr::Datetime,
            "lang" => Attr::Lang,
            "rel" => Attr::Rel,
            "href" => Attr::Href,
            "alt" => Attr::Alt,
            _ => return None,
        })
    }
}

/// An element.
#[derive(Debug)]
pub struct Elem {
    /// The full name (html5ever needs it back).
    pub name: QualName,
    /// The tag code.
    pub tag: Tag,
    /// Kept attributes.
    pub attrs: Vec<(Attr, StrTendril)>,
    /// For `<template>`: its contents fragment.
    template: u32,
    /// Text appended to this element is dropped (script, style, ...).
    drop_text: bool,
}

impl Elem {
    /// The value of an attribute.
    pub fn attr(&self, a: Attr) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| *k == a).map(|(_, v)| &**v)
    }
}

/// What a node holds.
#[derive(Debug)]
pub enum Data {
    /// The document root (index 0).
    Document,
    /// An element.
    Element(Elem),
    /// A text run.
    Text(StrTendril),
    /// Comments, processing instructions, template fragments.
    Other,
}

/// One node and its links.
#[derive(Debug)]
pub struct Node {
    /// Parent or [`NONE`].
    pub parent: u32,
    /// First child or [`NONE`].
    pub first_child: u32,
    /// Last child or [`NONE`].
    pub last_child: u32,
    /// Previous sibling or [`NONE`].
    pub prev: u32,
    /// Next sibling or [`NONE`].
    pub next: u32,
    /// The payload.
    pub data: Data,
}

/// The parsed document.
#[derive(Debug)]
pub struct Dom {
    /// All nodes; index 0 is the document.
    pub nodes: Vec<Node>,
}

impl Dom {
    /// Parses an HTML document with no nesting limit beyond the default one.
    pub fn parse(html: &str) -> Dom {
        Dom::parse_limited(html, DEFAULT_MAX_OPEN).0
    }

    /// Parses an HTML document. Start tags that would nest deeper than `max_open` open elements
    /// are dropped (their content stays, one level up), because html5ever's tree builder scans
    /// the stack of open elements for many tags: 200,000 nested `<div>`s would otherwise take
    /// minutes. Returns the DOM and how many start tags were dropped.
    pub fn parse_limited(html: &str, max_open: usize) -> (Dom, usize) {
        let sink = Sink {
            dom: Dom {
                nodes: Vec::with_capacity(html.len() / 40 + 16),
            },
        };
        let tb = TreeBuilder::new(sink, TreeBuilderOpts::default());
        let limiter = DepthLimiter {
            inner: tb,
            open: Vec::new(),
            max_open,
            dropped: 0,
        };
        let mut tok = Tokenizer::new(limiter, TokenizerOpts::default());
        let mut input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(html));
        while let TokenizerResult::Script(_) = tok.feed(&mut input) {}
        tok.end();
        let dropped = tok.sink.dropped;
        (tok.sink.inner.sink.dom, dropped)
    }

    /// The element at `id`, if it is one.
    pub fn elem(&self, id: u32) -> Option<&Elem> {
        match &self.nodes.get(id as usize)?.data {
            Data::Element(e) => Some(e),
            _ => None,
        }
    }

    /// The tag of `id` (`Other` for non-elements).
    pub fn tag(&self, id: u32) -> Tag {
        self.elem(id).map_or(Tag::Other, |e| e.tag)
    }

    fn push(&mut self, data: Data) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            prev: NONE,
            next: NONE,
            data,
        });
        id
    }

    fn detach(&mut self, id: u32) {
        let (parent, prev, next) = {
            let n = &self.nodes[id as usize];
            (n.parent, n.prev, n.next)
        };
        if parent == NONE {
            return;
        }
        if prev != NONE {
            self.nodes[prev as usize].next = next;
        } else {
            self.nodes[parent as usize].first_child = next;
        }
        if next != NONE {
            self.nodes[next as usize].prev = prev;
        } else {
            self.nodes[parent as usize].last_child = prev;
        }
        let n = &mut self.nodes[id as usize];
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }

    fn append_child(&mut self, parent: u32, child: u32) {
        self.detach(child);
        let last = self.nodes[parent as usize].last_child;
        {
            let c = &mut self.nodes[child as usize];
            c.parent = parent;
            c.prev = last;
        }
        if last != NONE {
            self.nodes[last as usize].next = child;
        } else {
            self.nodes[parent as usize].first_child = child;
        }
        self.nodes[parent as usize].last_child = child;
    }

    fn insert_before(&mut self, sibling: u32, child: u32) {
        self.detach(child);
        let (parent, prev) = {
            let s = &self.nodes[sibling as usize];
            (s.parent, s.prev)
        };
        if parent == NONE {
            return;
        }
        {
            let c = &mut self.nodes[child as usize];
            c.parent = parent;
            c.prev = prev;
            c.next = sibling;
        }
        self.nodes[sibling as usize].prev = child;
        if prev != NONE {
            self.nodes[prev as usize].next = child;
        } else {
            self.nodes[parent as usize].first_child = child;
        }
    }

    fn drops_text(&self, id: u32) -> bool {
        self.elem(id).is_some_and(|e| e.drop_text)
    }
}

/// The default nesting limit of [`Dom::parse`].
pub const DEFAULT_MAX_OPEN: usize = 1024;

/// Elements that are never open for long: void elements and those whose end tag is implied by a
/// sibling (`<p>`, `<li>`, table parts). They are not counted as open.
fn self_closing_or_implied(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "rb"
            | "rt"
            | "rp"
            | "html"
            | "head"
            | "body"
    )
}

/// Sits between the tokenizer and the tree builder and drops start tags nested too deep,
/// together with their end tags. The open-element count is an estimate kept from the tokens.
struct DepthLimiter<Inner> {
    inner: Inner,
    /// Open elements: name, and whether its start tag was dropped.
    open: Vec<(LocalName, bool)>,
    max_open: usize,
    dropped: usize,
}

impl<Inner: TokenSink> TokenSink for DepthLimiter<Inner> {
    type Handle = Inner::Handle;

    fn process_token(&mut self, token: Token, line: u64) -> TokenSinkResult<Inner::Handle> {
        if let Token::TagToken(tag) = &token {
            if !self_closing_or_implied(&tag.name) {
                match tag.kind {
                    TagKind::StartTag if !tag.self_closing => {
                        let drop = self.open.len() >= self.max_open;
                        self.open.push((tag.name.clone(), drop));
                        if drop {
                            self.dropped += 1;
                            return TokenSinkResult::Continue;
                        }
                    }
                    TagKind::EndTag => {
                        // Match the nearest open element of that name (bounded look-back).
                        let n = self.open.len();
                        let found = self.open[n.saturating_sub(64)..]
                            .iter()
                            .rposition(|(name, _)| *name == tag.name)
                            .map(|i| i + n.saturating_sub(64));
                        if let Some(i) = found {
                            let dropped = self.open[i].1;
                            self.open.truncate(i);
                            if dropped {
                                return TokenSinkResult::Continue;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        self.inner.process_token(token, line)
    }

    fn end(&mut self) {
        self.inner.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

struct Sink {
    dom: Dom,
}

impl TreeSink for Sink {
    type Handle = u32;
    type Output = Dom;

    fn finish(self) -> Dom {
        self.dom
    }

    fn parse_error(&mut self, _msg: Cow<'static, str>) {}

    fn get_document(&mut self) -> u32 {
        if self.dom.nodes.is_empty() {
            self.dom.push(Data::Document);
        }
        0
    }

    fn elem_name<'a>(&'a self, target: &'a u32) -> ExpandedName<'a> {
        match &self.dom.nodes[*target as usize].data {
            Data::Element(e) => e.name.expanded(),
            _ => panic!("not an element"),
        }
    }

    fn create_element(&mut self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> u32 {
        let tag = Tag::of(&name.local);
        let mut kept = Vec::new();
        for a in attrs {
            if let Some(k) = Attr::of(&a.name.local) {
                kept.push((k, a.value));
            }
        }
        let drop_text = tag == Tag::Skip
            && !(&*name.local == "script"
                && kept.iter().any(|(k, v)| {
                    *k == Attr::Type && v.eq_ignore_ascii_case("application/ld+json")
                }));
        let is_template = &*name.local == "template";
        let id = self.dom.push(Data::Element(Elem {
            name,
            tag,
            attrs: kept,
            template: NONE,
            drop_text,
        }));
        if is_template {
            let frag = self.dom.push(Data::Other);
            if let Data::Element(e) = &mut self.dom.nodes[id as usize].data {
                e.template = frag;
            }
        }
        id
    }

    fn create_comment(&mut self, _text: StrTendril) -> u32 {
        self.dom.push(Data::Other)
    }

    fn create_pi(&mut self, _target: StrTendril, _data: StrTendril) -> u32 {
        self.dom.push(Data::Other)
    }

    fn append(&mut self, parent: &u32, child: NodeOrText<u32>) {
        match child {
            NodeOrText::AppendNode(id) => self.dom.append_child(*parent, id),
            NodeOrText::AppendText(text) => {
                if self.dom.drops_text(*parent) {
                    return;
                }
                let last = self.dom.nodes[*parent as usize].last_child;
                if last != NONE {
                    if let Data::Text(t) = &mut self.dom.nodes[last as usize].data {
                        t.push_tendril(&text);
                        return;
                    }
                }
                let id = self.dom.push(Data::Text(text));
                self.dom.append_child(*parent, id);
            }
        }
    }

    fn append_based_on_parent_node(&mut self, element: &u32, prev: &u32, child: NodeOrText<u32>) {
        if self.dom.nodes[*element as usize].parent != NONE {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev, child);
        }
    }

    fn append_doctype_to_document(&mut self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&mut self, target: &u32) -> u32 {
        match &self.dom.nodes[*target as usize].data {
            Data::Element(e) if e.template != NONE => e.template,
            _ => *target,
        }
    }

    fn same_node(&self, x: &u32, y: &u32) -> bool {
        x == y
    }

    fn set_quirks_mode(&mut self, _mode: QuirksMode) {}

    fn append_before_sibling(&mut self, sibling: &u32, new_node: NodeOrText<u32>) {
        match new_node {
            NodeOrText::AppendNode(id) => self.dom.insert_before(*sibling, id),
            NodeOrText::AppendText(text) => {
                let parent = self.dom.nodes[*sibling as usize].parent;
                if parent == NONE || self.dom.drops_text(parent) {
                    return;
                }
                let prev = self.dom.nodes[*sibling as usize].prev;
                if prev != NONE {
                    if let Data::Text(t) = &mut self.dom.nodes[prev as usize].data {
                        t.push_tendril(&text);
                        return;
                    }
                }
                let id = self.dom.push(Data::Text(text));
                self.dom.insert_before(*sibling, id);
            }
        }
    }

    fn add_attrs_if_missing(&mut self, target: &u32, attrs: Vec<Attribute>) {
        if let Data::Element(e) = &mut self.dom.nodes[*target as usize].data {
            for a in attrs {
                if let Some(k) = Attr::of(&a.name.local) {
                    if !e.attrs.iter().any(|(x, _)| *x == k) {
                        e.attrs.push((k, a.value));
                    }
                }
            }
        }
    }

    fn remove_from_parent(&mut self, target: &u32) {
        self.dom.detach(*target);
    }

    fn reparent_children(&mut self, node: &u32, new_parent: &u32) {
        let mut c = self.dom.nodes[*node as usize].first_child;
        while c != NONE {
            let next = self.dom.nodes[c as usize].next;
            self.dom.append_child(*new_parent, c);
            c = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_tree_and_drops_script_text() {
        let dom = Dom::parse("<p class=x>Hi <b>there</b><script>var a=1;</script></p>");
        let texts: Vec<&str> = dom
            .nodes
            .iter()
            .filter_map(|n| match &n.data {
                Data::Text(t) => Some(&**t),
                _ => None,
            })
            .collect();
        assert_eq!(texts, vec!["Hi ", "there"]);
        let p = (0..dom.nodes.len() as u32)
            .find(|&i| dom.tag(i) == Tag::P)
            .unwrap();
        assert_eq!(dom.elem(p).unwrap().attr(Attr::Class), Some("x"));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(200_000) + "deep" + &"</div>".repeat(200_000);
        let t = std::time::Instant::now();
        let (dom, dropped) = Dom::parse_limited(&html, 512);
        assert_eq!(dropped, 200_000 - 512);
        assert!(dom
            .nodes
            .iter()
            .any(|n| matches!(&n.data, Data::Text(t) if &**t == "deep")));
        drop(dom);
        assert!(t.elapsed().as_secs() < 20, "took {:?}", t.elapsed());
    }
}
