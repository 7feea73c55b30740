//! A lean arena DOM: nodes in one `Vec`, linked by `u32` indices, built by
//! [`build`](super::build) from [`tokenize`](super::tokenize)'s tokens.
//!
//! Only what extraction reads is kept: element names (with a small tag code), a handful of
//! attributes, and text. Text inside `<script>` (except JSON-LD), `<style>` and similar elements is
//! dropped while parsing. Nothing here recurses, so any nesting depth is safe.

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
    /// The tag code of a lower-cased element name.
    pub fn of(name: &str) -> Tag {
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
    /// The attribute of a lower-cased attribute name, if extraction keeps it.
    pub fn of(name: &str) -> Option<Attr> {
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
    /// The lower-cased name.
    pub name: Cow<'static, str>,
    /// The tag code.
    pub tag: Tag,
    /// Kept attributes: this range of the document's attribute table (read them with
    /// [`Dom::attr`] and [`Dom::attrs`]).
    pub(super) attrs: (u32, u32),
    /// Text appended to this element is dropped (script, style, ...).
    pub(super) drop_text: bool,
}

/// What a node holds.
#[derive(Debug)]
pub enum Data {
    /// The document root (index 0).
    Document,
    /// An element.
    Element(Elem),
    /// A text run: the byte range `from..to` of the document's text store (read it with
    /// [`Dom::text`]).
    Text(u32, u32),
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
    /// The kept attributes of every element, each element's side by side: the attribute and the
    /// byte range of its value in `attr_text` (one table rather than a vector and a string per
    /// element: a page has tens of thousands of them).
    pub(super) attr_slots: Vec<(Attr, u32, u32)>,
    /// The kept attribute values (character references decoded), one after another.
    pub(super) attr_text: String,
    /// The text of every text node (character references decoded), one after another: one
    /// string rather than one per node.
    pub(super) text_store: String,
}

/// A finished document's tables are kept for the next one this thread parses when they hold at
/// most this many bytes ([`Dom::recycle`]).
const MAX_SPARE_BYTES: usize = 32 << 20;

thread_local! {
    /// The tables of the last document this thread finished with, emptied: the next document
    /// fills memory the process has already touched instead of having the kernel fault in and
    /// zero fresh pages for tables of about the same size.
    static SPARE: std::cell::RefCell<Option<Dom>> = const { std::cell::RefCell::new(None) };
}

impl Dom {
    /// An empty document (no nodes) with room for about `nodes` nodes, `attrs` attributes and
    /// `text` bytes of attribute values and of text: this thread's recycled tables when it has
    /// them ([`Dom::recycle`]), new ones otherwise.
    pub(super) fn with_room(nodes: usize, attrs: usize, text: usize) -> Dom {
        let mut dom = SPARE.with(|s| s.borrow_mut().take()).unwrap_or(Dom {
            nodes: Vec::new(),
            attr_slots: Vec::new(),
            attr_text: String::new(),
            text_store: String::new(),
        });
        dom.nodes.reserve(nodes);
        dom.attr_slots.reserve(attrs);
        dom.attr_text.reserve(text);
        dom.text_store.reserve(text);
        dom
    }

    /// Empties the document and keeps its tables for the next document this thread parses
    /// (unless they are very large: one huge page should not hold its memory for the rest of
    /// the run).
    pub fn recycle(mut self) {
        let bytes = self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.attr_slots.capacity() * std::mem::size_of::<(Attr, u32, u32)>()
            + self.attr_text.capacity()
            + self.text_store.capacity();
        if bytes > MAX_SPARE_BYTES {
            return;
        }
        self.nodes.clear();
        self.attr_slots.clear();
        self.attr_text.clear();
        self.text_store.clear();
        SPARE.with(|s| *s.borrow_mut() = Some(self));
    }

    /// Parses an HTML document with the default [`Limits`](crate::config::Limits).
    pub fn parse(html: &str) -> Dom {
        super::build::build(html, &crate::config::Limits::default()).dom
    }

    /// The text of a text node of this document (its [`Data::Text`] range).
    pub fn text(&self, from: u32, to: u32) -> &str {
        self.text_store
            .get(from as usize..to as usize)
            .unwrap_or_default()
    }

    /// The value of an attribute of `e` (an element of this document).
    pub fn attr(&self, e: &Elem, a: Attr) -> Option<&str> {
        self.attrs(e).find(|(k, _)| *k == a).map(|(_, v)| v)
    }

    /// The kept attributes of `e` (an element of this document), in source order.
    pub fn attrs<'d>(&'d self, e: &Elem) -> impl Iterator<Item = (Attr, &'d str)> + 'd {
        let slots = self
            .attr_slots
            .get(e.attrs.0 as usize..e.attrs.1 as usize)
            .unwrap_or_default();
        slots.iter().map(|&(k, from, to)| {
            (
                k,
                self.attr_text
                    .get(from as usize..to as usize)
                    .unwrap_or_default(),
            )
        })
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

    pub(super) fn push(&mut self, data: Data) -> u32 {
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

    pub(super) fn detach(&mut self, id: u32) {
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

    /// A new element like element `id` (name, tag, the same attributes), without children, not
    /// yet in the tree.
    pub(super) fn clone_element(&mut self, id: u32) -> u32 {
        let Data::Element(e) = &self.nodes[id as usize].data else {
            return self.push(Data::Document);
        };
        let copy = Elem {
            name: e.name.clone(),
            tag: e.tag,
            attrs: e.attrs,
            drop_text: e.drop_text,
        };
        self.push(Data::Element(copy))
    }

    /// Moves every child of `from`, in order, to the end of `to`'s children.
    pub(super) fn move_children(&mut self, from: u32, to: u32) {
        let mut c = self.nodes[from as usize].first_child;
        while c != NONE {
            let next = self.nodes[c as usize].next;
            self.append_child(to, c);
            c = next;
        }
    }

    pub(super) fn append_child(&mut self, parent: u32, child: u32) {
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

    pub(super) fn insert_before(&mut self, sibling: u32, child: u32) {
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

    pub(super) fn drops_text(&self, id: u32) -> bool {
        self.elem(id).is_some_and(|e| e.drop_text)
    }

    /// Every text node's text, in creation order (for tests).
    #[cfg(test)]
    pub(super) fn texts(&self) -> Vec<&str> {
        self.nodes
            .iter()
            .filter_map(|n| match &n.data {
                Data::Text(from, to) => Some(self.text(*from, *to)),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_tree_and_drops_script_text() {
        let dom = Dom::parse("<p class=x>Hi <b>there</b><script>var a=1;</script></p>");
        assert_eq!(dom.texts(), vec!["Hi ", "there"]);
        let p = (0..dom.nodes.len() as u32)
            .find(|&i| dom.tag(i) == Tag::P)
            .unwrap();
        assert_eq!(dom.attr(dom.elem(p).unwrap(), Attr::Class), Some("x"));
    }

    /// A document parsed into the tables of one this thread finished with is the document a
    /// fresh thread parses: nothing of the first one is left in it.
    #[test]
    fn recycled_tables_hold_only_the_new_document() {
        let first = "<html><head><title>First</title></head><body><div class=menu id=top>\
                     <p data-x=1 title='a &amp; b'>One &amp; two</p><ul><li>x<li>y</ul></div>";
        let second = "<p id=q>Three<p>Four</p><!-- c --><a href='/x'>link</a>";
        let show = |d: &Dom| format!("{:?}", d);
        let fresh = std::thread::spawn(move || show(&Dom::parse(second)))
            .join()
            .unwrap();
        let done = Dom::parse(first);
        let table = done.nodes.as_ptr();
        done.recycle();
        let again = Dom::parse(second);
        assert_eq!(again.nodes.as_ptr(), table, "the tables were reused");
        assert_eq!(show(&again), fresh);
    }
}
