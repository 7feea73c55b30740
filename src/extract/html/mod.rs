//! HTML pages to article blocks.
//!
//! 1. [`dom`]: html5ever builds a lean arena DOM (script/style text dropped while parsing).
//! 2. [`walk`]: one iterative walk yields text blocks in reading order, per-element text and link
//!    totals, pre-order ranges and class/id priors ([`priors`], data in `data/html/priors.tsv`).
//! 3. [`select`]: Readability-style container scoring (prose blocks feed their ancestors; tag and
//!    class priors; link density), a climb to the common ancestor, sibling merging.
//! 4. Here: blocks inside the region are filtered (chrome subtrees, link lists, boilerplate
//!    phrases, bylines and dates), and the headline is put first.
//! 5. [`meta`]: title, date, author and site from `<meta>`, JSON-LD and `<time>`.
//!
//! Nothing recurses over the tree, so nesting depth cannot overflow the stack.

pub mod dom;
pub mod meta;
pub mod priors;
pub mod select;
pub mod walk;

use super::{Block, BlockKind, Extraction, PageMeta};
use crate::chrome::ChromeKind;
use crate::config::Limits;
use dom::Dom;
use priors::Priors;
use select::NEGATIVE;
use walk::{TextBlock, Walk};

/// Extracts the article from an HTML document.
pub fn extract(html: &str, limits: &Limits) -> Extraction {
    let dom = Dom::parse(html);
    extract_dom(&dom, limits)
}

/// Extracts the article from an already parsed document.
pub fn extract_dom(dom: &Dom, limits: &Limits) -> Extraction {
    let priors = Priors::get();
    let declared = meta::declared(dom);
    let w = walk::walk(dom, priors, limits);
    let mut notes = w.notes.clone();
    let boost = vec![1.0; w.blocks.len()];
    let region = select::choose(dom, &w, priors, &boost);
    let keep: Vec<usize> = match &region {
        Some(r) => filter(&w, r),
        None => {
            notes.push("no article container found".into());
            Vec::new()
        }
    };
    let (title, title_block) = headline(&w, &keep, &declared);
    let mut blocks = Vec::new();
    if let Some(t) = &title {
        blocks.push(Block::new(BlockKind::Title, t.clone()));
    }
    let title_key = title.as_deref().map(crate::text_util::line_key);
    for &i in &keep {
        if Some(i) == title_block {
            continue;
        }
        let b = &w.blocks[i];
        if b.kind == BlockKind::Heading
            && title_key.as_deref() == Some(crate::text_util::line_key(&b.text).as_str())
        {
            continue;
        }
        blocks.push(Block::new(b.kind, b.text.clone()));
    }
    let meta = PageMeta {
        title,
        date: declared.date,
        author: declared.author,
        site: declared.site,
    };
    Extraction {
        blocks,
        meta,
        notes,
    }
}

/// The blocks of the region worth keeping, by index.
fn filter(w: &Walk, r: &select::Region) -> Vec<usize> {
    let region_chars: u32 = r.roots.iter().map(|&e| w.chars[e as usize]).sum();
    let mut out = Vec::new();
    for (i, b) in w.blocks.iter().enumerate() {
        let Some(&root) = r.roots.iter().find(|&&e| w.inside(b.owner, e)) else {
            continue;
        };
        if in_chrome(w, b, root, region_chars) {
            continue;
        }
        // Prose paragraphs may be link-rich; lists and short lines of links are navigation.
        let max_ld = if b.kind == BlockKind::Paragraph && b.chars >= 80 && b.lead_link < b.chars / 2 {
            0.85
        } else {
            0.5
        };
        if b.link_density() > max_ld || chrome_text(b) {
            continue;
        }
        out.push(i);
    }
    // Dates and site names standing alone frame the article (datelines); inside it they are
    // content (times in a live blog, event dates).
    let is_prose = |i: &usize| w.blocks[*i].chars >= 80 && w.blocks[*i].kind != BlockKind::Heading;
    let first = out.iter().position(is_prose).unwrap_or(out.len());
    let last = out.iter().rposition(is_prose).unwrap_or(0);
    let mut k = 0;
    out.retain(|i| {
        let outside = k < first || k > last;
        k += 1;
        let b = &w.blocks[*i];
        !(outside && b.chars <= 60 && (priors::is_dateline(&b.text) || is_bare_domain(&b.text)))
    });
    // Headings with nothing after them end teaser lists, not the article.
    while let Some(&last) = out.last() {
        if w.blocks[last].kind == BlockKind::Heading {
            out.pop();
        } else {
            break;
        }
    }
    out
}

/// Does the block's text read as chrome (bylines, datelines, share and subscribe prompts, legal
/// lines, captions and credits)? Patterns: `data/chrome/line-patterns.tsv` and
/// `data/html/boilerplate.txt`.
fn chrome_text(b: &TextBlock) -> bool {
    // A phrase marks the block when it opens it, or when the block is short: "leave a comment"
    // closing a paragraph of prose does not make the paragraph chrome.
    if b.chars <= 500 {
        if let Some(m) = priors::boilerplate().find(&b.text) {
            if m.start() <= 40 || b.chars <= 120 {
                return true;
            }
        }
    }
    if b.text.len() > 400 {
        return false;
    }
    match crate::chrome::patterns::match_line(&b.text) {
        None => false,
        // "More ..." / "See ..." openings are teaser-list headings only when they are headings.
        Some(ChromeKind::SectionHeading) => b.kind == BlockKind::Heading,
        Some(k) => {
            b.kind != BlockKind::Heading
                || matches!(k, ChromeKind::Comment | ChromeKind::Share | ChromeKind::Promo)
        }
    }
}

/// "smithsonian.com", "www.example.org": a site name standing alone.
fn is_bare_domain(t: &str) -> bool {
    let t = t.trim_start_matches("www.");
    !t.contains(' ')
        && t.contains('.')
        && t.rsplit('.').next().is_some_and(|tld| (2..=6).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_lowercase()))
        && t.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// Is the block inside a negative-prior subtree of the region that holds a minor share of it?
fn in_chrome(w: &Walk, b: &TextBlock, root: u32, region_chars: u32) -> bool {
    let negs = &w.negs[b.negs.0 as usize..(b.negs.0 + b.negs.1) as usize];
    for &e in negs.iter().rev() {
        if e == root || !w.inside(e, root) {
            return false;
        }
        let p = w.prior[e as usize];
        if p >= walk::POSITIVE {
            return false;
        }
        if p <= NEGATIVE && (w.chars[e as usize] as f32) < 0.5 * region_chars as f32 {
            return true;
        }
    }
    false
}

/// The headline: an `<h1>` near the article (matching the declared title when there is one),
/// else the declared title. Returns the text and the block it came from.
fn headline(w: &Walk, keep: &[usize], d: &meta::Declared) -> (Option<String>, Option<usize>) {
    let declared = d.ld_headline.as_ref().or(d.og_title.as_ref());
    let first_kept = keep.first().copied().unwrap_or(usize::MAX);
    let mut best: Option<(usize, f32)> = None;
    for (i, b) in w.blocks.iter().enumerate() {
        if b.heading != 1 || b.chars < 3 {
            continue;
        }
        let sim = match (declared, &d.title_tag) {
            (Some(t), _) | (None, Some(t)) => similarity(&b.text, t),
            _ => 0.5,
        };
        // Prefer h1s inside or just before the article.
        let near = if keep.contains(&i) {
            1.0
        } else if i < first_kept {
            0.8
        } else {
            0.5
        };
        let s = sim * near;
        if best.is_none_or(|(_, bs)| s > bs) {
            best = Some((i, s));
        }
    }
    if let Some((i, s)) = best {
        if s >= 0.3 || declared.is_none() {
            return (Some(w.blocks[i].text.clone()), Some(i));
        }
    }
    if let Some(t) = declared {
        return (Some(t.clone()), None);
    }
    (d.title_tag.as_deref().map(strip_site_name), None)
}

/// Word-overlap similarity of two titles (0..1).
fn similarity(a: &str, b: &str) -> f32 {
    let ka = crate::text_util::line_key(a);
    let kb = crate::text_util::line_key(b);
    if ka.is_empty() || kb.is_empty() {
        return 0.0;
    }
    if ka == kb {
        return 1.0;
    }
    if kb.contains(&ka) || ka.contains(&kb) {
        let (s, l) = if ka.len() < kb.len() { (&ka, &kb) } else { (&kb, &ka) };
        return (s.len() as f32 / l.len() as f32).max(0.6);
    }
    let wa: Vec<&str> = ka.split(' ').collect();
    let wb: Vec<&str> = kb.split(' ').collect();
    let common = wa.iter().filter(|x| wb.contains(x)).count();
    common as f32 / wa.len().max(wb.len()) as f32
}

/// "Headline | Site" → "Headline" (the longest part).
fn strip_site_name(t: &str) -> String {
    for sep in [" | ", " – ", " — ", " - ", " :: ", " · ", " » "] {
        if t.contains(sep) {
            if let Some(p) = t.split(sep).max_by_key(|p| p.chars().count()) {
                return p.trim().to_string();
            }
        }
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(ex: &Extraction) -> Vec<&str> {
        ex.blocks.iter().map(|b| b.text.as_str()).collect()
    }

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
        let texts = texts(&ex);
        assert_eq!(texts[0], "Big story today");
        assert!(texts.iter().any(|t| t.starts_with("The first paragraph")));
        assert!(texts
            .iter()
            .all(|t| !t.contains("Home") && !t.contains("Another story")));
    }
}
