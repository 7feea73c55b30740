//! One iterative pre-order walk over the DOM: text blocks in reading order, per-element text
//! totals (bottom-up, in one reverse pass), pre-order ranges for "is inside" tests, and the
//! class/id prior of every element.

use super::dom::{Attr, Data, Dom, Tag, NONE};
use super::priors::{PriorMemo, Priors};
use crate::config::Limits;
use crate::extract::BlockKind;
use crate::text_util::word_spans;

/// A class/id prior at or below this marks a subtree as probable chrome.
pub const NEGATIVE: i16 = -20;
/// Inline elements with a prior at or below this are skipped with their text.
pub const INLINE_SKIP: i16 = -40;
/// A prior at or above this marks a subtree as content, overriding chrome priors above it.
pub const POSITIVE: i16 = 30;

/// A run of text between block boundaries.
#[derive(Debug, Clone)]
pub struct TextBlock {
    /// What the owning element says the block is.
    pub kind: BlockKind,
    /// The text, whitespace collapsed.
    pub text: String,
    /// The nearest block-level element holding the text.
    pub owner: u32,
    /// Non-whitespace characters.
    pub chars: u32,
    /// Non-whitespace characters inside links.
    pub link_chars: u32,
    /// Ancestors with a strong prior, negative or positive (outermost first), as a range of [`Walk::negs`].
    pub negs: (u32, u32),
    /// Characters of the link the block starts with (0 when it starts with plain text).
    pub lead_link: u32,
    /// Heading level when the block sits in `<h1>`..`<h6>` (0 otherwise).
    pub heading: u8,
    /// The block repeats the alt text of an image just before it, with no text between: a
    /// caption set under the picture.
    pub echoes_alt: bool,
}

impl TextBlock {
    /// Share of the text inside links.
    pub fn link_density(&self) -> f32 {
        self.link_chars as f32 / self.chars.max(1) as f32
    }
}

/// Everything the walk learned.
#[derive(Debug, Default)]
pub struct Walk {
    /// Blocks in reading order.
    pub blocks: Vec<TextBlock>,
    /// Pool of negative ancestors referenced by blocks.
    pub negs: Vec<u32>,
    /// Per node: non-whitespace text characters in its (walked) subtree.
    pub chars: Vec<u32>,
    /// Per node: of which inside links.
    pub link_chars: Vec<u32>,
    /// Per node: pre-order index (NONE when not walked).
    pub pre: Vec<u32>,
    /// Per node: the largest pre-order index in its subtree.
    pub last: Vec<u32>,
    /// Per node: class/id/tag prior (0 when none).
    pub prior: Vec<i16>,
    /// Elements visited in pre-order.
    pub order: Vec<u32>,
    /// Notes about limits hit.
    pub notes: Vec<String>,
}

impl Walk {
    /// Is node `x` inside element `e` (or `e` itself)?
    pub fn inside(&self, x: u32, e: u32) -> bool {
        let (px, pe) = (self.pre[x as usize], self.pre[e as usize]);
        px != NONE && pe != NONE && px >= pe && px <= self.last[e as usize]
    }

    /// Link density of an element's subtree.
    pub fn link_density(&self, e: u32) -> f32 {
        self.link_chars[e as usize] as f32 / self.chars[e as usize].max(1) as f32
    }
}

fn kind_of(tag: Tag) -> BlockKind {
    match tag {
        Tag::H(_) => BlockKind::Heading,
        Tag::Li | Tag::Dt | Tag::Dd => BlockKind::ListItem,
        Tag::Blockquote => BlockKind::Quote,
        Tag::Pre => BlockKind::Preformatted,
        Tag::Tr | Tag::Td | Tag::Th | Tag::Table | Tag::Caption => BlockKind::TableRow,
        _ => BlockKind::Paragraph,
    }
}

/// Is this element hidden from readers?
fn hidden(dom: &Dom, id: u32) -> bool {
    let Some(e) = dom.elem(id) else {
        return false;
    };
    if dom.attr(e, Attr::Hidden).is_some() {
        return true;
    }
    if e.tag.is_block() && dom.attr(e, Attr::AriaHidden) == Some("true") {
        return true;
    }
    if let Some(style) = dom.attr(e, Attr::Style) {
        let s = style.as_bytes();
        if contains_nocase_compact(s, b"display:none")
            || contains_nocase_compact(s, b"visibility:hidden")
        {
            return true;
        }
    }
    false
}

/// Case-insensitive search ignoring spaces in the haystack (`needle`: lower-case, no spaces).
fn contains_nocase_compact(hay: &[u8], needle: &[u8]) -> bool {
    let mut rest = hay
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| b.to_ascii_lowercase());
    // Compared in place from each start: no copy of the attribute.
    loop {
        let mut probe = rest.clone();
        if needle.iter().all(|&n| probe.next() == Some(n)) {
            return true;
        }
        if rest.next().is_none() {
            return false;
        }
    }
}

/// Elements whose subtree is never article text.
fn skipped(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Skip
            | Tag::Head
            | Tag::Nav
            | Tag::Footer
            | Tag::Aside
            | Tag::Figcaption
            | Tag::Title
            | Tag::Meta
    )
}

/// The text block being gathered, with its counts.
#[derive(Default)]
struct Buf {
    text: String,
    chars: u32,
    link_chars: u32,
    lead_link: u32,
    /// Still inside the leading link run.
    leading: bool,
    space: bool,
}

impl Buf {
    /// Empties the buffer for the next block, keeping the text's capacity.
    fn clear(&mut self) {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        *self = Buf {
            text,
            ..Buf::default()
        };
    }

    /// Appends `s` with its whitespace runs collapsed to one space (none at the start); returns
    /// its non-whitespace characters.
    fn push(&mut self, s: &str, in_link: bool) -> u32 {
        let from = self.text.len();
        let mut spaces = 0;
        let mut end = 0;
        for span in word_spans(s) {
            // White space before the word (since the last one, or at the start of `s`).
            self.space |= span.start > end;
            end = span.end;
            if self.space && !self.text.is_empty() {
                self.text.push(' ');
                spaces += 1;
            }
            self.space = false;
            self.text.push_str(&s[span]);
        }
        self.space |= end < s.len();
        // The characters appended, less the separating spaces.
        let n = (bytecount::num_chars(&self.text.as_bytes()[from..]) - spaces) as u32;
        if n > 0 {
            if self.chars == 0 {
                self.leading = in_link;
            }
            if self.leading {
                if in_link {
                    self.lead_link += n;
                } else {
                    self.leading = false;
                }
            }
        }
        self.chars += n;
        if in_link {
            self.link_chars += n;
        }
        n
    }
}

/// Walks the DOM once.
pub fn walk(dom: &Dom, priors: &Priors, limits: &Limits) -> Walk {
    let n = dom.nodes.len();
    let mut w = Walk {
        chars: vec![0; n],
        link_chars: vec![0; n],
        pre: vec![NONE; n],
        last: vec![NONE; n],
        prior: vec![0; n],
        ..Default::default()
    };
    let mut buf = Buf::default();
    // (owner element, kind, heading level)
    let mut owners: Vec<(u32, BlockKind, u8)> = vec![(0, BlockKind::Paragraph, 0)];
    let mut neg_stack: Vec<u32> = Vec::new();
    let mut link_depth = 0u32;
    let mut counter = 0u32;
    let mut visited = 0usize;
    let mut depth_hit = false;
    // (node, depth); depth = u32::MAX marks the exit of an element.
    let mut stack: Vec<(u32, u32, bool)> = vec![(0, 0, true)];

    // The alt text (as a line key) of the last image, until a block of text follows it; the
    // flag says text was already waiting in the buffer (the image sits inside or after that
    // block, so the block after it is the one that may be its caption).
    let mut pending_alt: Option<(String, bool)> = None;

    let flush = |buf: &mut Buf,
                 owners: &[(u32, BlockKind, u8)],
                 neg_stack: &[u32],
                 w: &mut Walk,
                 pending_alt: &mut Option<(String, bool)>| {
        if buf.chars > 0 {
            let echoes_alt = match pending_alt {
                Some((_, after_text @ true)) => {
                    *after_text = false;
                    false
                }
                Some(_) => pending_alt
                    .take()
                    .is_some_and(|(alt, _)| alt == crate::text_util::line_key(&buf.text)),
                None => false,
            };
            let (owner, kind, heading) = *owners.last().expect("root owner");
            let start = w.negs.len() as u32;
            w.negs.extend_from_slice(neg_stack);
            w.blocks.push(TextBlock {
                kind,
                // Copied out at its size: the buffer keeps its capacity for the next block
                // instead of growing from nothing for every block.
                text: buf.text.as_str().to_owned(),
                owner,
                chars: buf.chars,
                link_chars: buf.link_chars,
                lead_link: buf.lead_link,
                negs: (start, neg_stack.len() as u32),
                heading,
                echoes_alt,
            });
        }
        buf.clear();
    };

    let mut prior_memo = PriorMemo::default();
    while let Some((id, depth, entering)) = stack.pop() {
        let node = &dom.nodes[id as usize];
        match &node.data {
            Data::Text(from, to) if entering => {
                let c = buf.push(dom.text(*from, *to), link_depth > 0);
                if c > 0 && node.parent != NONE {
                    w.chars[node.parent as usize] += c;
                    if link_depth > 0 {
                        w.link_chars[node.parent as usize] += c;
                    }
                }
            }
            Data::Element(e) => {
                let tag = e.tag;
                let is_block = tag.is_block() && (depth as usize) < limits.max_dom_depth;
                if entering {
                    visited += 1;
                    if visited > limits.max_dom_nodes {
                        w.notes.push(format!(
                            "stopped at the node limit ({})",
                            limits.max_dom_nodes
                        ));
                        break;
                    }
                    if skipped(tag) || hidden(dom, id) {
                        continue;
                    }
                    if depth as usize >= limits.max_dom_depth {
                        depth_hit = true;
                    }
                    let prior = priors.element_prior(dom, e, &mut prior_memo);
                    // Inline chrome (tooltips, hover cards, screen-reader labels) inside prose.
                    if !tag.is_block() && prior <= INLINE_SKIP {
                        continue;
                    }
                    w.pre[id as usize] = counter;
                    counter += 1;
                    w.order.push(id);
                    w.prior[id as usize] = prior;
                    if tag == Tag::Img {
                        // Two words or more: "photo", "logo" or a file name say nothing.
                        pending_alt = dom
                            .attr(e, Attr::Alt)
                            .map(crate::text_util::line_key)
                            .filter(|k| k.contains(' '))
                            .map(|k| (k, buf.chars > 0));
                    }
                    if is_block {
                        flush(&mut buf, &owners, &neg_stack, &mut w, &mut pending_alt);
                        let (kind, heading) = match tag {
                            Tag::H(l) => (BlockKind::Heading, l),
                            Tag::Br | Tag::Hr => {
                                let (_, k, h) = *owners.last().expect("root owner");
                                (k, h)
                            }
                            // A paragraph inside a quote or a list item keeps that role.
                            Tag::P | Tag::Div => {
                                let (_, k, _) = *owners.last().expect("root owner");
                                match k {
                                    BlockKind::Quote | BlockKind::ListItem => (k, 0),
                                    _ => (BlockKind::Paragraph, 0),
                                }
                            }
                            _ => (kind_of(tag), 0),
                        };
                        if matches!(tag, Tag::Br | Tag::Hr) {
                            w.last[id as usize] = w.pre[id as usize];
                            continue;
                        }
                        owners.push((id, kind, heading));
                    }
                    // Strong priors and <article> elements (a nested one is another item: a
                    // teaser, a comment) are remembered for every block below them.
                    if prior <= NEGATIVE || prior >= POSITIVE || tag == Tag::Article {
                        neg_stack.push(id);
                    }
                    if tag == Tag::A {
                        link_depth += 1;
                    }
                    stack.push((id, depth, false));
                    let mut c = node.last_child;
                    while c != NONE {
                        stack.push((c, depth + 1, true));
                        c = dom.nodes[c as usize].prev;
                    }
                } else {
                    w.last[id as usize] = counter.saturating_sub(1);
                    if tag == Tag::A {
                        link_depth = link_depth.saturating_sub(1);
                    }
                    if is_block {
                        flush(&mut buf, &owners, &neg_stack, &mut w, &mut pending_alt);
                        owners.pop();
                    } else if matches!(tag, Tag::Td | Tag::Th) {
                        buf.space = true;
                    }
                    if neg_stack.last() == Some(&id) {
                        neg_stack.pop();
                    }
                }
            }
            Data::Document if entering => {
                w.pre[id as usize] = counter;
                counter += 1;
                stack.push((id, depth, false));
                let mut c = node.last_child;
                while c != NONE {
                    stack.push((c, depth + 1, true));
                    c = dom.nodes[c as usize].prev;
                }
            }
            Data::Document => {
                w.last[id as usize] = counter.saturating_sub(1);
            }
            _ => {}
        }
    }
    flush(&mut buf, &owners, &neg_stack, &mut w, &mut pending_alt);
    // Bottom-up totals: children come after their parent in pre-order.
    for &id in w.order.iter().rev() {
        let p = dom.nodes[id as usize].parent;
        if p != NONE {
            w.chars[p as usize] += w.chars[id as usize];
            w.link_chars[p as usize] += w.link_chars[id as usize];
        }
    }
    if depth_hit {
        w.notes.push(format!(
            "DOM deeper than {} levels was read as inline text",
            limits.max_dom_depth
        ));
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_styles_are_found_whatever_the_spacing_and_case() {
        let found = |style: &str| contains_nocase_compact(style.as_bytes(), b"display:none");
        assert!(found("display:none"));
        assert!(found("color: red; DISPLAY : None !important"));
        assert!(found("d i s p l a y:\tn o n e"));
        assert!(!found("display: block; none-of-it: 1"));
        assert!(!found("display:non"));
        assert!(!found(""));
    }

    /// Whitespace runs (ASCII, the vertical tab, no-break and ideographic spaces) become one
    /// space, none leads, and only the other characters are counted.
    #[test]
    fn text_is_pushed_with_whitespace_collapsed() {
        let mut buf = Buf::default();
        assert_eq!(buf.push(" \n Café\u{a0}\u{a0}au\x0blait ", true), 10);
        assert_eq!(buf.push("\u{3000}naïve—très", false), 10);
        assert_eq!(buf.text, "Café au lait naïve—très");
        let expected: String = "Café au lait naïve—très"
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(buf.text, expected);
        assert_eq!((buf.chars, buf.link_chars, buf.lead_link), (20, 10, 10));
    }
}
