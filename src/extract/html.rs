//! HTML pages to article blocks: parse with scraper, walk the DOM without recursion, score the
//! containers that hold prose, and keep the blocks of the best one.
//!
//! This is a first, honest heuristic (Readability-like container scoring with link density and
//! class/id priors); it is the stage the HTML-extraction work raises to its benchmark.

use super::{Block, BlockKind, Extraction, PageMeta};
use crate::config::Limits;
use crate::text_util::collapse_whitespace;
use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};
use std::collections::HashMap;

/// Elements whose whole subtree is never article text.
const SKIP_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "iframe",
    "object",
    "embed",
    "figcaption",
    "head",
    "menu",
    "dialog",
];

/// Elements that start a new block.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "tr",
    "td",
    "th",
    "dd",
    "dt",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "table",
    "header",
    "figure",
    "br",
    "hr",
    "address",
    "center",
    "body",
];

/// class/id fragments that mark chrome containers.
const NEGATIVE_HINTS: &[&str] = &[
    "comment",
    "share",
    "social",
    "related",
    "sidebar",
    "breadcrumb",
    "promo",
    "newsletter",
    "advert",
    "cookie",
    "subscribe",
    "footer",
    "masthead",
    "menu",
    "navbar",
    "popup",
    "modal",
    "byline",
    "caption",
    "teaser",
    "recommend",
    "outbrain",
    "taboola",
];

/// class/id fragments that protect a container from the negative hints.
const POSITIVE_HINTS: &[&str] = &["article", "content", "story", "post-body", "entry", "main"];

struct RawBlock {
    kind: BlockKind,
    text: String,
    link_chars: usize,
    /// The block element that produced this text.
    owner: NodeId,
}

/// Extracts the article from an HTML document.
pub fn extract(html: &str, limits: &Limits) -> Extraction {
    let doc = Html::parse_document(html);
    let meta = page_meta(&doc);
    let mut notes = Vec::new();
    let raw = collect_blocks(&doc, limits, &mut notes);
    let best = best_container(&doc, &raw);
    let mut blocks = Vec::new();
    let title = meta.title.clone();
    if let Some(t) = &title {
        blocks.push(Block::new(BlockKind::Title, t.clone()));
    }
    for rb in &raw {
        let inside = match best {
            Some(best) => is_inside(&doc, rb.owner, best),
            None => true,
        };
        if !inside {
            continue;
        }
        let chars = rb.text.chars().count().max(1);
        let density = rb.link_chars as f64 / chars as f64;
        if density > 0.5 {
            continue;
        }
        if Some(&rb.text) == title.as_ref() {
            continue;
        }
        blocks.push(Block::new(rb.kind, rb.text.clone()));
    }
    Extraction {
        blocks,
        meta,
        notes,
    }
}

fn is_inside(doc: &Html, node: NodeId, container: NodeId) -> bool {
    let Some(n) = doc.tree.get(node) else {
        return false;
    };
    n.id() == container || n.ancestors().any(|a| a.id() == container)
}

/// Walks the DOM iteratively, turning text runs into blocks bounded by block elements.
fn collect_blocks(doc: &Html, limits: &Limits, notes: &mut Vec<String>) -> Vec<RawBlock> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut link_chars = 0usize;
    let mut link_depth = 0usize;
    let mut owners: Vec<(NodeId, BlockKind)> = vec![(doc.tree.root().id(), BlockKind::Paragraph)];
    let mut visited = 0usize;
    let mut depth_hit = false;
    // (node, entering?, depth)
    let mut stack = vec![(doc.tree.root().id(), true, 0usize)];
    let flush = |buf: &mut String,
                 link_chars: &mut usize,
                 owners: &[(NodeId, BlockKind)],
                 out: &mut Vec<RawBlock>| {
        let text = collapse_whitespace(buf);
        if !text.is_empty() {
            let (owner, kind) = *owners.last().expect("root owner");
            out.push(RawBlock {
                kind,
                text,
                link_chars: *link_chars,
                owner,
            });
        }
        buf.clear();
        *link_chars = 0;
    };
    while let Some((id, entering, depth)) = stack.pop() {
        let Some(node) = doc.tree.get(id) else {
            continue;
        };
        match node.value() {
            Node::Text(t) if entering => {
                buf.push_str(t);
                if link_depth > 0 {
                    link_chars += t.chars().filter(|c| !c.is_whitespace()).count();
                }
            }
            Node::Element(el) => {
                let name = el.name();
                let is_block = BLOCK_TAGS.contains(&name);
                if entering {
                    visited += 1;
                    if visited > limits.max_dom_nodes {
                        if !notes.iter().any(|n| n.contains("node limit")) {
                            notes.push(format!(
                                "stopped at the node limit ({})",
                                limits.max_dom_nodes
                            ));
                        }
                        break;
                    }
                    if SKIP_TAGS.contains(&name) || is_chrome_container(el) {
                        continue;
                    }
                    if is_block {
                        flush(&mut buf, &mut link_chars, &owners, &mut out);
                        owners.push((id, kind_of(name)));
                    }
                    if name == "a" {
                        link_depth += 1;
                    }
                    stack.push((id, false, depth));
                    if depth >= limits.max_dom_depth {
                        depth_hit = true;
                        // Too deep: take the text of the subtree flat instead of walking it.
                        if let Some(er) = ElementRef::wrap(node) {
                            for t in er.text() {
                                buf.push_str(t);
                                buf.push(' ');
                            }
                        }
                        continue;
                    }
                    let children: Vec<NodeId> = node.children().map(|c| c.id()).collect();
                    for c in children.into_iter().rev() {
                        stack.push((c, true, depth + 1));
                    }
                } else {
                    if name == "a" {
                        link_depth = link_depth.saturating_sub(1);
                    }
                    if is_block {
                        flush(&mut buf, &mut link_chars, &owners, &mut out);
                        owners.pop();
                    }
                }
            }
            Node::Document if entering => {
                stack.push((id, false, depth));
                let children: Vec<NodeId> = node.children().map(|c| c.id()).collect();
                for c in children.into_iter().rev() {
                    stack.push((c, true, depth + 1));
                }
            }
            _ => {}
        }
    }
    flush(&mut buf, &mut link_chars, &owners, &mut out);
    if depth_hit {
        notes.push(format!(
            "DOM deeper than {} levels was flattened",
            limits.max_dom_depth
        ));
    }
    out
}

fn kind_of(tag: &str) -> BlockKind {
    match tag {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BlockKind::Heading,
        "li" | "dd" | "dt" => BlockKind::ListItem,
        "blockquote" => BlockKind::Quote,
        "pre" => BlockKind::Preformatted,
        "tr" | "td" | "th" => BlockKind::TableRow,
        _ => BlockKind::Paragraph,
    }
}

fn is_chrome_container(el: &scraper::node::Element) -> bool {
    let name = el.name();
    if matches!(name, "html" | "body" | "article" | "main" | "p") {
        return false;
    }
    let mut hints = String::new();
    if let Some(id) = el.id() {
        hints.push_str(&id.to_ascii_lowercase());
    }
    for c in el.classes() {
        hints.push(' ');
        hints.push_str(&c.to_ascii_lowercase());
    }
    if hints.is_empty() {
        return false;
    }
    if POSITIVE_HINTS.iter().any(|p| hints.contains(p)) {
        return false;
    }
    NEGATIVE_HINTS.iter().any(|n| hints.contains(n))
}

/// Scores each block's parent and grandparent by the prose it holds; returns the best container.
fn best_container(doc: &Html, blocks: &[RawBlock]) -> Option<NodeId> {
    // Insertion order is document order, so ties go to the earliest container.
    let mut index: HashMap<NodeId, usize> = HashMap::new();
    let mut scores: Vec<(NodeId, f64)> = Vec::new();
    for b in blocks {
        let chars = b.text.chars().count();
        if chars < 60 || b.link_chars * 3 > chars {
            continue;
        }
        let commas = b.text.matches([',', '，', '、']).count() as f64;
        let s = 1.0 + commas + (chars as f64 / 100.0).min(3.0);
        let Some(node) = doc.tree.get(b.owner) else {
            continue;
        };
        let mut factor = 1.0;
        for anc in std::iter::once(node)
            .chain(node.ancestors())
            .skip(1)
            .take(3)
        {
            let i = *index.entry(anc.id()).or_insert_with(|| {
                scores.push((anc.id(), 0.0));
                scores.len() - 1
            });
            scores[i].1 += s * factor;
            factor *= 0.5;
        }
    }
    let mut best: Option<(NodeId, f64)> = None;
    for (id, s) in scores {
        if best.is_none_or(|b| s > b.1) {
            best = Some((id, s));
        }
    }
    best.map(|b| b.0)
}

/// Reads title, date, author and site from meta tags, `<h1>` and `<title>`.
fn page_meta(doc: &Html) -> PageMeta {
    let mut meta = PageMeta::default();
    let mut og_title = None;
    let mut title_tag = None;
    let mut h1 = None;
    for node in doc.tree.root().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        match el.value().name() {
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .or_else(|| el.attr("itemprop"))
                    .map(str::to_ascii_lowercase);
                let content = el
                    .attr("content")
                    .map(collapse_whitespace)
                    .filter(|c| !c.is_empty());
                match (key.as_deref(), content) {
                    (Some("og:title"), Some(c)) => og_title = og_title.or(Some(c)),
                    (Some("og:site_name"), Some(c)) => meta.site = meta.site.or(Some(c)),
                    (
                        Some("article:published_time" | "datepublished" | "date" | "pubdate"),
                        Some(c),
                    ) => meta.date = meta.date.or(Some(c)),
                    (Some("author" | "article:author"), Some(c)) => {
                        meta.author = meta.author.or(Some(c))
                    }
                    _ => {}
                }
            }
            "title" if title_tag.is_none() => {
                let t = collapse_whitespace(&el.text().collect::<String>());
                if !t.is_empty() {
                    title_tag = Some(t);
                }
            }
            "h1" if h1.is_none() => {
                let t = collapse_whitespace(&el.text().collect::<String>());
                if !t.is_empty() {
                    h1 = Some(t);
                }
            }
            _ => {}
        }
    }
    meta.title = h1.or(og_title).or(title_tag);
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_article_drops_nav() {
        let html = r#"<html><head><title>Site | Story</title></head><body>
            <nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <article><h1>Big story today</h1>
            <p>The first paragraph of the story is long enough to count as prose, with commas, clauses and detail.</p>
            <p>The second paragraph continues the story, adding quotes, numbers, and more context for readers.</p>
            </article>
            <div class="related"><a href="/x">Another story you may like to read later today</a></div>
            </body></html>"#;
        let ex = extract(html, &Limits::default());
        let texts: Vec<&str> = ex.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts[0], "Big story today");
        assert!(texts.iter().any(|t| t.starts_with("The first paragraph")));
        assert!(texts
            .iter()
            .all(|t| !t.contains("Home") && !t.contains("Another story")));
    }
}
