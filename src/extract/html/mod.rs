//! HTML pages to article blocks.
//!
//! 1. [`tokenize`] reads the markup at memory speed (memchr over text and script bodies) and
//!    [`build`] applies the HTML tree-construction rules that decide where text lands, into the
//!    lean arena [`dom`] (script/style text dropped while parsing).
//! 2. [`walk`]: one iterative walk yields text blocks in reading order, per-element text and link
//!    totals, pre-order ranges and class/id priors ([`priors`], data in `data/html/priors.tsv`).
//! 3. [`select`]: Readability-style container scoring (prose blocks feed their ancestors; tag and
//!    class priors; link density), a climb to the common ancestor, sibling merging.
//! 4. Here: blocks inside the region are filtered (chrome subtrees, link lists, boilerplate
//!    phrases, bylines and dates), and the headline is put first.
//! 5. [`meta`]: title, date, author and site from `<meta>`, JSON-LD and `<time>`.
//!
//! Nothing recurses over the tree, so nesting depth cannot overflow the stack.

pub mod build;
pub mod dom;
pub mod meta;
pub mod priors;
pub mod select;
pub mod tokenize;
pub mod walk;

use super::{Block, BlockKind, Extraction, PageMeta};
use crate::chrome::ChromeKind;
use crate::config::Limits;
use crate::text_util::fold_for_ascii_matcher;
use dom::Dom;
use priors::Priors;
use select::NEGATIVE;
use walk::{TextBlock, Walk};

/// Extracts the article from an HTML document.
pub fn extract(html: &str, limits: &Limits) -> Extraction {
    let parsed = build::build(html, limits);
    let mut ex = extract_dom(&parsed.dom, limits);
    let mut notes = parsed.notes(limits);
    notes.append(&mut ex.notes);
    ex.notes = notes;
    parsed.dom.recycle();
    ex
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
        Some(r) => filter(dom, &w, r),
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
    let site_key = declared.site.as_deref().map(crate::text_util::line_key);
    for &i in &keep {
        if Some(i) == title_block {
            continue;
        }
        let b = &w.blocks[i];
        // The headline repeated in any element (a styled paragraph, a second heading), and the
        // site's name standing alone (a masthead inside the article's container).
        let same = |key: &Option<String>| {
            key.as_deref().is_some_and(|k| {
                !k.is_empty()
                    && b.text.len() <= 2 * k.len() + 16
                    && k == crate::text_util::line_key(&b.text)
            })
        };
        if same(&title_key) || same(&site_key) {
            continue;
        }
        blocks.push(Block::new(b.kind, b.text.clone()));
    }
    let meta = PageMeta {
        title,
        date: declared.date,
        author: declared.author.map(|a| strip_by(&a)),
        site: declared.site,
    };
    Extraction {
        blocks,
        meta,
        notes,
    }
}

/// The blocks of the region worth keeping, by index.
fn filter(dom: &Dom, w: &Walk, r: &select::Region) -> Vec<usize> {
    let region_chars: u32 = r.roots.iter().map(|&e| w.chars[e as usize]).sum();
    let mut out = Vec::new();
    // Every block of the region, kept or not.
    let mut all = Vec::new();
    for (i, b) in w.blocks.iter().enumerate() {
        let Some(&root) = r.roots.iter().find(|&&e| w.inside(b.owner, e)) else {
            continue;
        };
        all.push(i);
        if in_chrome(dom, w, b, root, region_chars) {
            continue;
        }
        // Prose paragraphs may be link-rich; lists and short lines of links are navigation. A
        // link showing its own address is a citation the author pasted, not a menu entry.
        let max_ld = match b.kind {
            _ if is_bare_url(&b.text) => 1.0,
            BlockKind::Paragraph if b.chars >= 50 && b.lead_link < b.chars / 2 => 0.85,
            BlockKind::ListItem if b.chars >= 150 && b.lead_link == 0 => 0.85,
            // A linked headline with a sentence or two after it: an annotated list (a digest).
            BlockKind::ListItem if b.chars >= 150 && b.chars - b.link_chars >= 40 => 0.75,
            BlockKind::TableRow => 0.75,
            _ => 0.5,
        };
        // A line under a picture repeating its alt text is the picture's caption.
        let caption = b.echoes_alt && b.kind != BlockKind::Heading;
        if b.link_density() > max_ld || caption || chrome_text(b) {
            continue;
        }
        out.push(i);
    }
    cut_trailing_teasers(w, &mut out);
    cut_closing_teaser_block(w, &all, &mut out);
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
        !(outside
            && b.chars <= 90
            && (priors::is_dateline(&b.text)
                || is_bare_domain(&b.text)
                || (b.lead_link > 0 && priors::is_dateline(after_chars(&b.text, b.lead_link)))))
    });
    // Headings with nothing after them open teaser lists, not article sections; so do short
    // "You may also like" / "Tags" lines. A boilerplate phrase anywhere in the closing
    // paragraphs ("... Follow him on Twitter", "X contributed to this report") marks an author
    // note or credit; an invitation to comment closing the text is the author's own voice.
    while let Some(&last) = out.last() {
        let b = &w.blocks[last];
        let teaser_head = opens_teaser_list(b);
        let note = b.chars <= 500 && has_boilerplate(&b.text);
        if b.kind == BlockKind::Heading || teaser_head || note || closing_pointer(&b.text) {
            out.pop();
        } else {
            break;
        }
    }
    out
}

/// Profile addresses on social sites: an author's handle standing alone.
const PROFILE_HOSTS: [&str; 6] = [
    "twitter.com/",
    "x.com/",
    "facebook.com/",
    "instagram.com/",
    "linkedin.com/in/",
    "threads.net/",
];

/// A line that closes an article by pointing elsewhere: the author's contact standing alone
/// ("jane.doe@example.com", "@janedoe", "twitter.com/janedoe"), or a "More ..." / "Follow ..."
/// line with a web address ("More AP NBA: https://apnews.com/NBA").
fn closing_pointer(t: &str) -> bool {
    let t = t.trim();
    if !t.contains(' ') {
        let lower = t.to_ascii_lowercase();
        let address = lower
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        let address = address.trim_start_matches("www.");
        let email = t.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.ends_with('.')
        });
        let handle = t.len() > 1
            && t.strip_prefix('@')
                .is_some_and(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        let profile = PROFILE_HOSTS
            .iter()
            .any(|h| address.starts_with(h) && address.len() > h.len());
        return email || handle || profile;
    }
    t.chars().count() <= 200
        && (t.starts_with("More ") || t.starts_with("Follow "))
        && (t.contains("http://") || t.contains("https://") || t.contains("www."))
}

/// Does the text hold a phrase of `data/html/boilerplate.txt` anywhere, other than one about
/// comments?
fn has_boilerplate(text: &str) -> bool {
    let text = fold_for_ascii_matcher(text);
    let text = text.as_ref();
    priors::boilerplate().find_iter(text).any(|m| {
        !text[m.start()..m.end()]
            .to_ascii_lowercase()
            .contains("comment")
    })
}

/// Does the block's text read as chrome (bylines, datelines, share and subscribe prompts, legal
/// lines, captions and credits)? Patterns: `data/chrome/line-patterns.tsv` and
/// `data/html/boilerplate.txt`.
fn chrome_text(b: &TextBlock) -> bool {
    // A phrase marks the block when it opens it, or when the block is short: "leave a comment"
    // closing a paragraph of prose does not make the paragraph chrome.
    if b.chars <= 500 {
        let text = fold_for_ascii_matcher(&b.text);
        let text = text.as_ref();
        if let Some(m) = priors::boilerplate().find(text) {
            let start = text[..m.start()].chars().count();
            if start <= 40 || b.chars <= 120 {
                return true;
            }
        }
        // Openers count only at the start: look at the first few dozen bytes.
        let mut end = text.len().min(64);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if priors::openers()
            .find(&text[..end])
            .is_some_and(|m| m.start() == 0)
        {
            return true;
        }
    }
    // A copyright sign inside a short line marks a photo or source credit.
    if b.chars <= 200 && b.text.contains('©') {
        return true;
    }
    if b.text.len() > 160 {
        return false;
    }
    match crate::chrome::patterns::match_line(&b.text) {
        None => false,
        // "More ..." / "See ..." openings are teaser-list headings only when they are headings.
        Some(ChromeKind::SectionHeading) => b.kind == BlockKind::Heading,
        Some(k) => {
            b.kind != BlockKind::Heading
                || matches!(
                    k,
                    ChromeKind::Comment | ChromeKind::Share | ChromeKind::Promo
                )
        }
    }
}

/// The text after its first `n` non-whitespace characters ("<a>Author</a> May 5, 2019" → the
/// date).
fn after_chars(t: &str, n: u32) -> &str {
    let mut seen = 0;
    for (i, c) in t.char_indices() {
        if seen == n {
            return &t[i..];
        }
        if !c.is_whitespace() {
            seen += 1;
        }
    }
    ""
}

/// "https://example.org/x": a web address standing alone.
fn is_bare_url(t: &str) -> bool {
    (t.starts_with("http://") || t.starts_with("https://")) && !t.contains(' ')
}

/// A teaser list closing the article: a short "More stories" / "Related" line (not marked up as
/// a heading) followed to the end by short or list blocks, most of them with links (the all-link
/// entries are already gone).
/// The line and the list are dropped.
fn cut_trailing_teasers(w: &Walk, out: &mut Vec<usize>) {
    let n = out.len();
    // Look at the last few blocks only: a teaser list is short.
    for j in n.saturating_sub(16)..n.saturating_sub(1) {
        if !heads_teaser_list(&w.blocks[out[j]]) {
            continue;
        }
        let rest = &out[j + 1..];
        let listy = all_listy(w, rest);
        let linked = rest.iter().filter(|&&i| w.blocks[i].link_chars > 0).count();
        if listy && 2 * linked >= rest.len() {
            out.truncate(j);
            return;
        }
    }
}

/// A teaser block closing the region, judged on all its blocks, kept or not: a "More stories" /
/// "Самые популярные" head (often a heading, dropped already as chrome) followed to the end of
/// the region by short or list blocks, where each block still kept is an excerpt right after a
/// linked title that was dropped, three or more of them. The head and the excerpts are dropped.
fn cut_closing_teaser_block(w: &Walk, all: &[usize], out: &mut Vec<usize>) {
    let n = all.len();
    // Each entry is a title and an excerpt: look a little further back than for a list.
    for j in n.saturating_sub(48)..n.saturating_sub(2) {
        if !heads_teaser_list(&w.blocks[all[j]]) {
            continue;
        }
        let rest = &all[j + 1..];
        let kept = |i: usize| out.binary_search(&i).is_ok();
        let listy = all_listy(w, rest);
        let mut excerpts = 0;
        let entries = rest.iter().enumerate().all(|(k, &i)| {
            if !kept(i) {
                return true;
            }
            excerpts += 1;
            k > 0 && !kept(rest[k - 1]) && w.blocks[rest[k - 1]].link_chars > 0
        });
        if listy && entries && excerpts >= 3 {
            let head = all[j];
            out.retain(|&i| i < head);
            return;
        }
    }
}

/// Blocks that could be the entries of a teaser list: list items or short blocks.
fn all_listy(w: &Walk, blocks: &[usize]) -> bool {
    blocks.iter().all(|&i| {
        let r = &w.blocks[i];
        r.kind == BlockKind::ListItem || r.chars <= 200
    })
}

/// A teaser list's head that is not a sentence (the closing teaser cuts start at one).
fn heads_teaser_list(b: &TextBlock) -> bool {
    !b.text.ends_with(['.', '!', '?']) && opens_teaser_list(b)
}

/// A short line that reads as the head of a teaser list ("More stories", "You may also like").
fn opens_teaser_list(b: &TextBlock) -> bool {
    b.chars <= 60
        && matches!(
            crate::chrome::patterns::match_line(&b.text),
            Some(ChromeKind::SectionHeading | ChromeKind::Teaser)
        )
}

/// "smithsonian.com", "www.example.org": a site name standing alone.
fn is_bare_domain(t: &str) -> bool {
    let t = t.trim_start_matches("www.");
    !t.contains(' ')
        && t.contains('.')
        && t.rsplit('.').next().is_some_and(|tld| {
            (2..=6).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_lowercase())
        })
        && t.chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// Is the block inside a negative-prior subtree of the region that holds a minor share of it?
fn in_chrome(dom: &Dom, w: &Walk, b: &TextBlock, root: u32, region_chars: u32) -> bool {
    let negs = &w.negs[b.negs.0 as usize..(b.negs.0 + b.negs.1) as usize];
    for (k, &e) in negs.iter().enumerate().rev() {
        if e == root || !w.inside(e, root) {
            return false;
        }
        let p = w.prior[e as usize];
        if p >= walk::POSITIVE {
            return false;
        }
        let small = (w.chars[e as usize] as f32) < 0.5 * region_chars as f32;
        // An <article> inside another <article> is a teaser or a comment.
        let nested_article = dom.tag(e) == dom::Tag::Article
            && negs[..k].iter().any(|&o| dom.tag(o) == dom::Tag::Article);
        if small && (p <= NEGATIVE || nested_article) {
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
        // Compared with the declared title minus its site-name part, so that an <h1> holding
        // the site's name ("The X Blog") does not win over the story's own.
        let sim = match (declared, &d.title_tag) {
            (Some(t), _) | (None, Some(t)) => {
                let site_h1 = d
                    .site
                    .as_deref()
                    .is_some_and(|s| similarity(&b.text, s) == 1.0);
                if site_h1 {
                    0.0
                } else {
                    similarity(&b.text, &strip_declared_site(t, d.site.as_deref()))
                }
            }
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
        return (Some(strip_declared_site(t, d.site.as_deref())), None);
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
        let (s, l) = if ka.len() < kb.len() {
            (&ka, &kb)
        } else {
            (&kb, &ka)
        };
        return (s.len() as f32 / l.len() as f32).max(0.6);
    }
    let wa: Vec<&str> = ka.split(' ').collect();
    let wb: Vec<&str> = kb.split(' ').collect();
    let common = wa.iter().filter(|x| wb.contains(x)).count();
    common as f32 / wa.len().max(wb.len()) as f32
}

/// "Headline - Site" → "Headline" when the last part is the declared site name.
fn strip_declared_site(t: &str, site: Option<&str>) -> String {
    if let Some(site) = site {
        for sep in [" | ", " – ", " — ", " - ", " :: ", " · ", " » "] {
            if let Some((head, tail)) = t.rsplit_once(sep) {
                if tail.trim().eq_ignore_ascii_case(site.trim()) && !head.trim().is_empty() {
                    return head.trim().to_string();
                }
            }
        }
    }
    t.to_string()
}

/// "By Jane Doe" → "Jane Doe".
fn strip_by(a: &str) -> String {
    let t = a.trim();
    for p in ["By ", "by ", "BY "] {
        if let Some(rest) = t.strip_prefix(p) {
            return rest.trim().to_string();
        }
    }
    t.to_string()
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

    const NEWS_PAGE: &str = r##"<!doctype html><html lang="en"><head>
        <title>Council approves new bridge | The Riverside Gazette</title>
        <meta property="og:title" content="Council approves new bridge">
        <meta property="og:site_name" content="The Riverside Gazette">
        <meta property="article:published_time" content="2019-11-19T08:00:00Z">
        <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
          "headline":"Council approves new bridge","author":{"@type":"Person","name":"Jane Doe"}}</script>
        <script>var tracking = "Council approves new bridge";</script>
        </head><body>
        <header class="site-header"><nav class="main-nav"><ul>
          <li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
        </ul></nav></header>
        <div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/news">News</a></div>
        <main><article class="story">
          <h1 class="headline">Council approves new bridge</h1>
          <p class="standfirst">The river crossing, debated for a decade, will open in 2022.</p>
          <div class="byline">By Jane Doe</div>
          <time datetime="2019-11-19">November 19, 2019</time>
          <div class="share-bar"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a></div>
          <div class="article-body">
            <p>The city council voted on Tuesday to build a new bridge over the river, ending years of debate about how to ease traffic in the old town.</p>
            <figure><img src="b.jpg"><figcaption>The old bridge at dusk. (Photo: City archive)</figcaption></figure>
            <p>Councillors said the bridge, which will carry cars, bicycles and pedestrians, should cut journey times by a third, and that work could begin next spring.</p>
            <div class="ad-slot">Advertisement</div>
            <h2>Funding</h2>
            <p>The project will cost about 40 million dollars, most of it from a regional fund, with the rest raised through a modest increase in parking fees.</p>
            <ul><li>Construction starts in April.</li><li>Two lanes will close during the works.</li></ul>
            <blockquote><p>"This is a good day for everyone who sits in traffic every morning," the mayor said.</p></blockquote>
            <p>Sign up for our newsletter to get the latest updates.</p>
          </div>
        </article></main>
        <section class="related-articles"><h3>Related stories</h3><ul>
          <li><a href="/a">Mayor unveils budget for the coming year with new spending on parks and roads</a></li>
          <li><a href="/b">Traffic in the old town reaches record levels, study finds after a long survey</a></li>
        </ul></section>
        <div id="comments" class="comments-area"><h3>2 comments</h3>
          <div class="comment"><p>About time! I have been waiting for this bridge for years, and my commute is awful, honestly.</p></div>
          <div class="comment"><p>What a waste of money, the old bridge works fine if people would just leave earlier in the morning.</p></div>
        </div>
        <footer><p>Copyright 2019 The Riverside Gazette. All rights reserved.</p></footer>
        </body></html>"##;

    #[test]
    fn news_page_article_only() {
        let ex = extract(NEWS_PAGE, &Limits::default());
        let t = texts(&ex);
        assert_eq!(ex.blocks[0].kind, BlockKind::Title);
        assert_eq!(t[0], "Council approves new bridge");
        assert_eq!(
            t.iter()
                .filter(|x| **x == "Council approves new bridge")
                .count(),
            1
        );
        for want in [
            "The river crossing, debated for a decade, will open in 2022.",
            "The city council voted on Tuesday",
            "Councillors said the bridge",
            "Funding",
            "The project will cost",
            "Construction starts in April.",
            "\"This is a good day",
        ] {
            assert!(
                t.iter().any(|x| x.starts_with(want)),
                "missing {want:?} in {t:#?}"
            );
        }
        for bad in [
            "Home",
            "By Jane Doe",
            "November 19, 2019",
            "Facebook",
            "The old bridge at dusk",
            "Advertisement",
            "Sign up for our newsletter",
            "Related stories",
            "Mayor unveils budget",
            "About time!",
            "What a waste",
            "Copyright",
            "tracking",
        ] {
            assert!(!t.iter().any(|x| x.contains(bad)), "kept {bad:?} in {t:#?}");
        }
        // Reading order: standfirst before body, heading before its paragraph.
        let pos = |p: &str| t.iter().position(|x| x.starts_with(p)).unwrap();
        assert!(pos("The river crossing") < pos("The city council"));
        assert!(pos("Funding") < pos("The project will cost"));
        let kinds: Vec<BlockKind> = ex.blocks.iter().map(|b| b.kind).collect();
        assert!(kinds.contains(&BlockKind::Heading));
        assert!(kinds.contains(&BlockKind::ListItem));
        assert!(kinds.contains(&BlockKind::Quote));
    }

    #[test]
    fn page_meta_is_read() {
        let ex = extract(NEWS_PAGE, &Limits::default());
        assert_eq!(
            ex.meta.title.as_deref(),
            Some("Council approves new bridge")
        );
        assert_eq!(ex.meta.author.as_deref(), Some("Jane Doe"));
        assert_eq!(ex.meta.site.as_deref(), Some("The Riverside Gazette"));
        assert_eq!(ex.meta.date.as_deref(), Some("2019-11-19T08:00:00Z"));
    }

    #[test]
    fn article_split_by_ads_is_joined() {
        let para = |n: usize| {
            format!("<p>Paragraph {n} of the long feature goes on about the subject, with enough words, commas, and detail to read as prose.</p>")
        };
        let mut html =
            String::from("<html><body><div class='page'><article><h1>A long feature</h1>");
        for chunk in 0..3 {
            html.push_str("<div class='chunk'><div class='grid'><div class='body'>");
            for i in 0..4 {
                html.push_str(&para(chunk * 4 + i));
            }
            html.push_str(
                "</div></div></div><div class='ad-container'><a href='/x'>Buy now</a></div>",
            );
        }
        html.push_str("</article><aside class='sidebar'><ul><li><a href='/1'>Most read one</a></li></ul></aside></div></body></html>");
        let ex = extract(&html, &Limits::default());
        let t = texts(&ex);
        for n in 0..12 {
            assert!(
                t.iter().any(|x| x.starts_with(&format!("Paragraph {n} "))),
                "missing {n}: {t:#?}"
            );
        }
        assert!(!t
            .iter()
            .any(|x| x.contains("Buy now") || x.contains("Most read")));
    }

    #[test]
    fn russian_page() {
        let html = r#"<html lang="ru"><head><title>Новости — Сайт</title></head><body>
            <ul class="menu"><li><a href="/">Главная</a></li><li><a href="/n">Новости</a></li></ul>
            <div class="content"><h1>В Москве открылась выставка</h1>
            <p>В столице в среду открылась большая выставка современного искусства, на которой представлены работы двухсот художников из разных стран.</p>
            <p>Организаторы рассказали, что выставка продлится до конца года, а вход для школьников и студентов будет бесплатным.</p>
            <p>Читайте также: другие новости культуры</p>
            <p>Все права защищены.</p></div></body></html>"#;
        let ex = extract(html, &Limits::default());
        let t = texts(&ex);
        assert_eq!(t[0], "В Москве открылась выставка");
        assert!(t.iter().any(|x| x.starts_with("В столице в среду")));
        assert!(t.iter().any(|x| x.starts_with("Организаторы")));
        assert!(!t
            .iter()
            .any(|x| x.contains("Главная") || x.contains("Читайте") || x.contains("права")));
    }

    #[test]
    fn japanese_page() {
        let html = r#"<html lang="ja"><head><meta property="og:title" content="新しい駅が開業"></head><body>
            <div id="sidebar"><a href="/">ホーム</a><a href="/x">ランキング</a></div>
            <div class="entry-content">
            <p>市内に新しい駅が開業し、朝から多くの利用者が訪れた。駅には商業施設も併設されており、地域の活性化が期待されている。</p>
            <p>市長は記念式典で、交通の便が大きく改善されると述べた。今後は周辺の道路整備も進める予定だという。</p>
            </div></body></html>"#;
        let ex = extract(html, &Limits::default());
        let t = texts(&ex);
        assert_eq!(t[0], "新しい駅が開業");
        assert!(t.iter().any(|x| x.starts_with("市内に新しい駅")));
        assert!(t.iter().any(|x| x.starts_with("市長は記念式典で")));
        assert!(!t.iter().any(|x| x.contains("ランキング")));
    }

    #[test]
    fn table_rows_are_one_block_each() {
        let html = r#"<html><body><div class="post-body">
            <p>The standings after the last race of the season, with points and wins for each driver, are below.</p>
            <table><tr><th>Pos</th><th>Driver</th><th>Points</th></tr>
            <tr><td>1</td><td><a href="/d/1">Kyle Busch</a></td><td>5040</td></tr>
            <tr><td>2</td><td><a href="/d/2">Martin Truex</a></td><td>5035</td></tr></table>
            <p>The championship was decided in the final laps, in front of a crowd of sixty thousand, after a long season.</p>
            </div></body></html>"#;
        let ex = extract(html, &Limits::default());
        let t = texts(&ex);
        assert!(t.contains(&"Pos Driver Points"), "{t:#?}");
        assert!(t.contains(&"1 Kyle Busch 5040"), "{t:#?}");
    }

    #[test]
    fn deep_nesting_and_limits() {
        let html = "<div>".repeat(200_000)
            + "<p>deep text in a paragraph, long enough, with commas, to be prose here.</p>"
            + &"</div>".repeat(200_000);
        let ex = extract(&html, &Limits::default());
        assert!(
            ex.notes
                .iter()
                .any(|n| n.contains("nested deeper than 512")),
            "{:?}",
            ex.notes
        );
        assert!(ex.blocks.iter().any(|b| b.text.contains("deep text")));
        let small = Limits {
            max_dom_nodes: 10,
            ..Limits::default()
        };
        let ex = extract(&html, &small);
        assert!(
            ex.notes.iter().any(|n| n.contains("more than 10 elements")),
            "{:?}",
            ex.notes
        );
    }

    #[test]
    fn empty_and_garbage_input() {
        for html in [
            "",
            "   ",
            "<",
            "<html><body></body></html>",
            "plain text only",
        ] {
            let ex = extract(html, &Limits::default());
            assert!(ex.blocks.len() <= 1);
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "<div>", "</div>", "<p class='comment'>", "</p>", "<a href=x>", "</a>", "<table>",
                "<tr>", "<td>", "<template>", "</template>", "<svg><title>x</title>", "<li>",
                "<article>", "</article>", "<br>", "<h1>", "</h1>", "<script>", "</script>",
                "text, words and more text. ", "日本語の文章。", " ", "&amp;", "<!-- c -->", "<",
                "<select><option>", "<frameset>", "<noscript>", "<math>", "<style>", "</body>",
            ]),
            0..80,
        )) {
            let html: String = parts.concat();
            let ex = extract(&html, &Limits::default());
            for b in &ex.blocks {
                proptest::prop_assert!(!b.text.contains('\n'));
            }
        }
    }

    const PROSE: &str = "The council voted on Tuesday to build a new bridge over the river, ending years of debate about traffic in the old town.";

    #[test]
    fn site_name_h1_and_repeated_headline() {
        let html = format!(
            r#"<html><head><title>Open thread for September - The Example Blog</title>
            <meta property="og:site_name" content="The Example Blog"></head><body>
            <div class="page"><h1 class="title">The Example Blog</h1>
            <div class="post"><h1 class="entry-title">Open thread for September</h1>
            <p class="kicker">Open thread for September</p>
            <p>{PROSE}</p><p>{PROSE} Again.</p></div></div></body></html>"#
        );
        let ex = extract(&html, &Limits::default());
        let t = texts(&ex);
        assert_eq!(t[0], "Open thread for September", "{t:#?}");
        assert_eq!(t.iter().filter(|x| x.starts_with("Open thread")).count(), 1);
        assert!(!t.contains(&"The Example Blog"), "{t:#?}");
    }

    #[test]
    fn closing_chrome_is_cut() {
        let html = format!(
            r#"<html><body><article><h1>Bridge approved by council</h1>
            <p>{PROSE}</p><p>Photo by Jane Roe/Getty Images</p><p>{PROSE} Again.</p>
            <p>Installation view, photos © Example Gallery, 2018</p>
            <p>Like this story? Share it with a friend!</p>
            <p>{PROSE} Once more.</p>
            <p>Jane Doe writes about cities. Her book is out now. Follow her on Twitter @janedoe.</p>
            <p>The Gazette publishes letters from readers. We’d like to hear what you think about this or any of our articles. Here is our email: letters@example.com.</p>
            <div class="h3">More Great Stories</div>
            <ul><li>Bridges of the world, <a href="/a">ranked by length</a></li>
            <li><a href="/b">Why traffic jams form</a></li><li><a href="/c">A history of tolls</a></li></ul>
            </article></body></html>"#
        );
        let ex = extract(&html, &Limits::default());
        let t = texts(&ex);
        assert!(t.iter().any(|x| x.ends_with("Once more.")), "{t:#?}");
        for bad in [
            "Getty",
            "©",
            "Share it",
            "Follow her",
            "hear what you think",
            "More Great",
            "ranked",
            "tolls",
        ] {
            assert!(!t.iter().any(|x| x.contains(bad)), "kept {bad:?} in {t:#?}");
        }
    }

    #[test]
    fn caption_repeating_the_alt_text_is_dropped() {
        let html = format!(
            r#"<html><body><div class="post-body"><h1>Laptop review</h1><p>{PROSE}</p>
            <div align="center"><div class="article-img"><img src="k.jpg" alt="Inverted 'T' design for arrow keys"></div>
            <br><span class="small gray">Inverted 'T' design for arrow keys</span></div>
            <p>{PROSE} Again.</p>
            <p><span class="video-title">Ports on the left side</span><img alt="Ports on the left side" src="p.jpg"></p>
            <p><img alt="Battery life" src="b.jpg"></p><h2>Battery life</h2>
            <p>{PROSE} Once more.</p></div></body></html>"#
        );
        let ex = extract(&html, &Limits::default());
        let t = texts(&ex);
        assert!(!t.iter().any(|x| x.contains("Inverted")), "{t:#?}");
        // A title set before its picture, and a heading, are not captions.
        assert!(t.contains(&"Ports on the left side"), "{t:#?}");
        assert!(t.contains(&"Battery life"), "{t:#?}");
        assert!(t.iter().any(|x| x.ends_with("Once more.")), "{t:#?}");
    }

    #[test]
    fn closing_contact_lines_are_cut() {
        let html = format!(
            r#"<html><body><article><h1>Schools budget approved</h1>
            <p>{PROSE}</p><p>Write to us at <a href="mailto:x@example.com">x@example.com</a> with your questions about the bridge and the budget.</p>
            <p>{PROSE} Again.</p>
            <p>Follow our full coverage of the city council at https://example.com/council</p>
            <p>paul.smith@example.com</p><p>twitter.com/paulsmith</p></article></body></html>"#
        );
        let ex = extract(&html, &Limits::default());
        let t = texts(&ex);
        assert!(t.iter().any(|x| x.ends_with("Again.")), "{t:#?}");
        assert!(t.iter().any(|x| x.starts_with("Write to us")), "{t:#?}");
        for bad in ["paul.smith@", "twitter.com", "full coverage"] {
            assert!(!t.iter().any(|x| x.contains(bad)), "kept {bad:?} in {t:#?}");
        }
        assert!(closing_pointer("@janedoe"));
        assert!(closing_pointer("More AP NBA: https://apnews.com/NBA"));
        assert!(!closing_pointer("@"));
        assert!(!closing_pointer("x.com"));
        assert!(!closing_pointer(
            "More rain is expected tomorrow across the region."
        ));
    }

    #[test]
    fn annotated_link_list_is_kept() {
        let html = format!(
            r#"<html><body><div class="post-body"><h1>Ten things in tech today</h1><p>{PROSE}</p><ul>
            <li><strong><a href="/a">A new game in a long-running series is finally coming out after twelve years of waiting, but only for virtual reality headsets</a>.</strong> The studio called it a flagship title for its new headset.</li>
            <li><strong><a href="/b">Teens love wireless earbuds and are putting them on their holiday wish lists more than ever before, says an investment bank</a>.</strong> That is according to a new survey of American teenagers.</li>
            </ul><ul><li><a href="/c">Mayor unveils budget for the coming year with new spending on parks and roads</a></li></ul>
            <p>{PROSE} Again.</p></div></body></html>"#
        );
        let ex = extract(&html, &Limits::default());
        let t = texts(&ex);
        assert!(t.iter().any(|x| x.starts_with("A new game")), "{t:#?}");
        assert!(t.iter().any(|x| x.starts_with("Teens love")), "{t:#?}");
        assert!(!t.iter().any(|x| x.starts_with("Mayor unveils")), "{t:#?}");
    }

    #[test]
    fn closing_teaser_block_with_excerpts_is_cut() {
        let entry = |n: usize| {
            format!(
                r#"<div class="tumb"><div class="title"><a href="/d{n}">Диета номер {n}</a></div>
                <div class="body">Популярная диета при активном ритме жизни. Результат до {n} кг за 14 дней.</div></div>"#
            )
        };
        let entries: String = (1..=5).map(entry).collect();
        let html = format!(
            r#"<html lang="ru"><body><div class="content"><h1>Диета Аткинса</h1>
            <p>Диета Аткинса основана на ограничении углеводов, а белков и жиров в рационе при этом может быть сколько угодно.</p>
            <p>Недостатки диеты: она не сбалансирована, и перед её началом стоит посоветоваться с врачом.</p>
            <div id="tumblock"><h2>Самые популярные диеты</h2>{entries}</div></div></body></html>"#
        );
        let ex = extract(&html, &Limits::default());
        let t = texts(&ex);
        assert!(t.iter().any(|x| x.starts_with("Недостатки")), "{t:#?}");
        assert!(!t.iter().any(|x| x.starts_with("Популярная")), "{t:#?}");
        // Short linked lines inside the article are not a teaser block.
        let html = format!(
            r#"<html><body><article><h1>Plague case in China</h1><p>More On:</p>
            <p><a href="/t/plague">plague</a></p><p>{PROSE}</p><p>A case was <a href="/x">reported</a> over the weekend.</p>
            <p>Both diseases are linked to the Black Death.</p><p>{PROSE} Again.</p></article></body></html>"#
        );
        let ex = extract(&html, &Limits::default());
        let t = texts(&ex);
        assert!(t.iter().any(|x| x.starts_with("Both diseases")), "{t:#?}");
    }

    #[test]
    fn bare_url_citation_is_kept() {
        let html = format!(
            r#"<html><body><div class="entry-content"><h1>Ten gift ideas for the holidays</h1>
            <p>{PROSE}</p><p>1) A board game for the family<br>
            <a href="http://example.com/x1">http://example.com/x1</a></p>
            <p>{PROSE} Again.</p></div></body></html>"#
        );
        let ex = extract(&html, &Limits::default());
        let t = texts(&ex);
        assert!(t.contains(&"http://example.com/x1"), "{t:#?}");
    }

    #[test]
    fn stock_table_is_not_a_table_of_contents() {
        let html = format!(
            r#"<html><body><article><h1>Retailer shares fall</h1><p>{PROSE}</p>
            <table class="stock-fundamentals"><tr><th>Ticker</th><th>Last</th></tr>
            <tr><td>HD</td><td>225.86</td></tr></table>
            <div class="toc"><ul><li><a href="/p1">Part one</a></li></ul></div>
            <p>{PROSE} Again.</p></article></body></html>"#
        );
        let ex = extract(&html, &Limits::default());
        let t = texts(&ex);
        assert!(t.contains(&"HD 225.86"), "{t:#?}");
        assert!(!t.contains(&"Part one"), "{t:#?}");
    }

    #[test]
    fn byline_link_with_date_before_the_article() {
        let html = format!(
            r#"<html><body><article><h1>Club signs a new keeper</h1>
            <div class="post-meta"><span><a href="/u/1">SiteAuthor</a></span>
            <span>August 08, 2018</span></div><p>{PROSE}</p><p>{PROSE} Again.</p>
            </article></body></html>"#
        );
        let ex = extract(&html, &Limits::default());
        let t = texts(&ex);
        assert!(!t.iter().any(|x| x.contains("August 08")), "{t:#?}");
        assert_eq!(after_chars("Ann Lee May 5, 2019", 6).trim(), "May 5, 2019");
    }

    #[test]
    fn datelines() {
        assert!(priors::is_dateline("November 19, 2019"));
        assert!(priors::is_dateline("Tue 19 Nov 2019 10.43 GMT"));
        assert!(priors::is_dateline("19 ноября 2019"));
        assert!(priors::is_dateline("2019年11月19日"));
        assert!(priors::is_dateline("Updated Nov. 19, 2019 8:21 am ET"));
        assert!(priors::is_dateline("November 20, 2019 - 11:28 AMT"));
        assert!(priors::is_dateline("19.11.2019 10:43 MSK"));
        assert!(!priors::is_dateline("Construction starts in April."));
        assert!(!priors::is_dateline("November"));
        assert!(is_bare_domain("smithsonian.com"));
        assert_eq!(
            strip_declared_site("Reviews are in - Digg", Some("Digg")),
            "Reviews are in"
        );
        assert_eq!(strip_declared_site("A - B", Some("C")), "A - B");
        assert_eq!(strip_by("By Jamelle Bouie"), "Jamelle Bouie");
        assert!(!is_bare_domain("Funding"));
    }
}
