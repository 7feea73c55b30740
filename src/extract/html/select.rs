//! Choosing the article: Readability-style container scoring over the walk's blocks, sibling
//! merging, then block filtering inside the chosen region.

use super::dom::{Attr, Dom, Tag, NONE};
use super::priors::Priors;
use super::walk::{TextBlock, Walk};
use crate::extract::BlockKind;

pub use super::walk::NEGATIVE;
use super::walk::POSITIVE;

/// The chosen region: sibling elements, in document order.
#[derive(Debug, Default)]
pub struct Region {
    /// The elements whose blocks form the article.
    pub roots: Vec<u32>,
    /// The top-scoring container.
    pub top: u32,
}

/// Characters weighted so that CJK text (one word per 1–2 characters) counts like spaced text.
pub fn weighted_chars(text: &str) -> f32 {
    measure(text).0
}

/// Han, kana and hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff)
}

/// `char::is_whitespace` on an ASCII byte: space and \t \n \x0b \x0c \r.
fn is_ascii_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t'..=b'\r')
}

/// A block's [`weighted_chars`] and its commas (`,` `，` `、` `،` `。` `；`), in one pass over the
/// bytes: ASCII bytes are judged as bytes, and only the first byte of each other character is
/// decoded (continuation bytes are skipped).
fn measure(text: &str) -> (f32, usize) {
    let b = text.as_bytes();
    if text.is_ascii() {
        // Most blocks: two counting passes the compiler turns into vector code.
        let plain = b.iter().filter(|&&c| !is_ascii_space(c)).count();
        let commas = b.iter().filter(|&&c| c == b',').count();
        return (plain as f32, commas);
    }
    let (mut plain, mut cjk, mut commas) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            plain += usize::from(!is_ascii_space(c));
            commas += usize::from(c == b',');
            i += 1;
            continue;
        }
        let width = match c {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        let ch = text
            .get(i..(i + width).min(b.len()))
            .and_then(|s| s.chars().next());
        i += width;
        let Some(ch) = ch else { continue };
        if ch.is_whitespace() {
            continue;
        }
        if is_cjk(ch) {
            cjk += 1;
        } else {
            plain += 1;
        }
        commas += usize::from(matches!(ch, '，' | '、' | '،' | '。' | '；'));
    }
    // Sums of 1.0 and 2.5 are exact in f32 (as the character-by-character sum was).
    (plain as f32 + 2.5 * cjk as f32, commas)
}

/// Does this block read like a paragraph of prose (for container scoring)?
fn scorable(b: &TextBlock) -> bool {
    b.chars >= 25 && !matches!(b.kind, BlockKind::Heading) && b.link_density() < 0.5
}

/// Picks the article region.
pub fn choose(dom: &Dom, w: &Walk, priors: &Priors, boost: &[f32]) -> Option<Region> {
    let n = dom.nodes.len();
    let mut score = vec![0f32; n];
    let mut touched = vec![false; n];
    let mut cands: Vec<u32> = Vec::new();
    let page_half = w.chars[0] / 2;
    let measured: Vec<(f32, usize)> = w.blocks.iter().map(|b| measure(&b.text)).collect();
    for (bi, b) in w.blocks.iter().enumerate() {
        if !scorable(b) {
            continue;
        }
        let (wc, commas) = measured[bi];
        let mut s = 1.0 + commas as f32 + (wc / 100.0).min(3.0);
        if b.kind == BlockKind::ListItem {
            s *= 0.5;
        }
        s *= boost.get(bi).copied().unwrap_or(1.0);
        // Prose under comment, related or sidebar containers rarely is the article.
        if in_negative(w, b, page_half, NONE) {
            s *= 0.15;
        }
        // Text straight inside a container (no <p>) makes the container the paragraph's parent.
        let mut a = para_parent(dom, b);
        let mut level = 0;
        while a != NONE && level < 5 {
            if dom.elem(a).is_none() {
                break;
            }
            if !touched[a as usize] {
                touched[a as usize] = true;
                cands.push(a);
                score[a as usize] = init_score(dom, w, priors, a);
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[a as usize] += s / div;
            a = dom.nodes[a as usize].parent;
            level += 1;
        }
    }
    if cands.is_empty() {
        return None;
    }
    for &c in &cands {
        score[c as usize] *= 1.0 - w.link_density(c);
    }
    cands.sort_by(|a, b| {
        score[*b as usize]
            .total_cmp(&score[*a as usize])
            .then(w.pre[*a as usize].cmp(&w.pre[*b as usize]))
    });
    let mut top = cands[0];
    let top_score = score[top as usize];

    // Several near-best candidates under one ancestor: the article is that ancestor.
    let alts: Vec<u32> = cands[1..cands.len().min(5)]
        .iter()
        .copied()
        .filter(|&c| score[c as usize] / top_score.max(1e-6) >= 0.75)
        .collect();
    if alts.len() >= 3 {
        let mut p = dom.nodes[top as usize].parent;
        while p != NONE && !matches!(dom.tag(p), Tag::Body | Tag::Html) && dom.elem(p).is_some() {
            let inside = alts.iter().filter(|&&c| w.inside(c, p)).count();
            if inside >= 3 {
                top = p;
                break;
            }
            p = dom.nodes[p as usize].parent;
        }
    }
    // Climb while the parent scores higher (the content was split over children).
    let mut last = score[top as usize];
    let threshold = last / 3.0;
    let mut p = dom.nodes[top as usize].parent;
    while p != NONE && !matches!(dom.tag(p), Tag::Body | Tag::Html) && dom.elem(p).is_some() {
        if !touched[p as usize] {
            p = dom.nodes[p as usize].parent;
            continue;
        }
        let ps = score[p as usize];
        if ps < threshold {
            break;
        }
        if ps > last {
            top = p;
            break;
        }
        last = ps;
        p = dom.nodes[p as usize].parent;
    }
    // Climb to the ancestor holding the most net prose: an article split into chunks (ads or
    // "read more" boxes between them) is held by a common ancestor whose extra text is prose.
    let net = net_prose(dom, w, top, &measured);
    let mut best = (top, net[top as usize]);
    let mut p = dom.nodes[top as usize].parent;
    while p != NONE && dom.elem(p).is_some() {
        if net[p as usize] > best.1 * 1.1 + 50.0 {
            best = (p, net[p as usize]);
        }
        p = dom.nodes[p as usize].parent;
    }
    top = best.0;
    // A lone child stands for its parent.
    loop {
        let p = dom.nodes[top as usize].parent;
        if p == NONE || matches!(dom.tag(p), Tag::Body | Tag::Html) || dom.elem(p).is_none() {
            break;
        }
        if element_children(dom, p) != 1 {
            break;
        }
        top = p;
    }

    // Sibling merging.
    let ts = score[top as usize].max(if touched[top as usize] {
        0.0
    } else {
        top_score
    });
    let sib_threshold = (ts * 0.2).max(10.0);
    let parent = dom.nodes[top as usize].parent;
    let mut roots = Vec::new();
    if parent == NONE {
        roots.push(top);
    } else {
        let top_class = dom
            .elem(top)
            .and_then(|e| dom.attr(e, Attr::Class))
            .unwrap_or("");
        let mut c = dom.nodes[parent as usize].first_child;
        while c != NONE {
            if c == top {
                roots.push(c);
            } else if let Some(e) = dom.elem(c) {
                if w.pre[c as usize] != NONE && w.prior[c as usize] > NEGATIVE {
                    let mut bonus = 0.0;
                    if !top_class.is_empty() && dom.attr(e, Attr::Class) == Some(top_class) {
                        bonus = ts * 0.2;
                    }
                    let s = if touched[c as usize] {
                        score[c as usize]
                    } else {
                        0.0
                    };
                    let len = w.chars[c as usize];
                    let ld = w.link_density(c);
                    let keep = s + bonus >= sib_threshold
                        || (e.tag == Tag::P && len > 80 && ld < 0.25)
                        || (e.tag == Tag::P
                            && len > 0
                            && len <= 80
                            && ld == 0.0
                            && ends_sentence(dom, w, c));
                    if keep {
                        roots.push(c);
                    }
                }
            }
            c = dom.nodes[c as usize].next;
        }
    }
    Some(Region { roots, top })
}

/// Is the block inside a negative-prior subtree that is not a page-wide wrapper (holding at most
/// `max_chars` characters) and does not contain `keep`?
pub fn in_negative(w: &Walk, b: &TextBlock, max_chars: u32, keep: u32) -> bool {
    for &e in w.negs[b.negs.0 as usize..(b.negs.0 + b.negs.1) as usize]
        .iter()
        .rev()
    {
        let p = w.prior[e as usize];
        if p >= POSITIVE {
            return false;
        }
        if p <= NEGATIVE && w.chars[e as usize] <= max_chars && (keep == NONE || !w.inside(keep, e))
        {
            return true;
        }
    }
    false
}

/// The element a prose block counts towards: its container for text straight inside a
/// container, else the parent of its paragraph.
fn para_parent(dom: &Dom, b: &TextBlock) -> u32 {
    match dom.tag(b.owner) {
        Tag::Div
        | Tag::Section
        | Tag::Article
        | Tag::Main
        | Tag::Td
        | Tag::Body
        | Tag::Form
        | Tag::Block => b.owner,
        _ => dom.nodes[b.owner as usize].parent,
    }
}

/// Per element: prose characters minus chrome characters in its subtree. Prose counts only in
/// runs (a container with two or more prose blocks): a lone excerpt under a link is a teaser.
fn net_prose(dom: &Dom, w: &Walk, top: u32, measured: &[(f32, usize)]) -> Vec<f32> {
    let n = dom.nodes.len();
    let mut net = vec![0f32; n];
    let mut runs = vec![0u8; n];
    let mut vals = Vec::with_capacity(w.blocks.len());
    for (b, &(wc, _)) in w.blocks.iter().zip(measured) {
        let ld = b.link_density();
        let teaser = b.lead_link >= 15 && b.lead_link < b.chars;
        let v = if in_negative(w, b, u32::MAX, top) || ld > 0.5 || teaser {
            -wc
        } else if wc < 50.0 {
            -0.2 * wc
        } else {
            let pp = para_parent(dom, b);
            if pp != NONE {
                runs[pp as usize] = runs[pp as usize].saturating_add(1);
            }
            wc * (1.0 - ld)
        };
        vals.push(v);
    }
    for (b, v) in w.blocks.iter().zip(vals) {
        let v = if v > 0.0 {
            let pp = para_parent(dom, b);
            if pp != NONE && runs[pp as usize] >= 2 {
                v
            } else {
                0.0
            }
        } else {
            v
        };
        net[b.owner as usize] += v;
    }
    for &id in w.order.iter().rev() {
        let p = dom.nodes[id as usize].parent;
        if p != NONE {
            net[p as usize] += net[id as usize];
        }
    }
    net
}

fn ends_sentence(_dom: &Dom, w: &Walk, e: u32) -> bool {
    w.blocks
        .iter()
        .rev()
        .find(|b| b.owner == e)
        .is_some_and(|b| b.text.ends_with(['.', '!', '?', '。']))
}

fn element_children(dom: &Dom, p: u32) -> usize {
    let mut n = 0;
    let mut c = dom.nodes[p as usize].first_child;
    while c != NONE {
        if dom.elem(c).is_some() {
            n += 1;
        }
        c = dom.nodes[c as usize].next;
    }
    n
}

fn init_score(dom: &Dom, w: &Walk, priors: &Priors, id: u32) -> f32 {
    let e = dom.elem(id).expect("element");
    let t = priors.tag_prior(e.tag, &e.name) as f32;
    t + (w.prior[id as usize] as f32).clamp(-50.0, 50.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`measure`] character by character.
    fn slow(t: &str) -> (f32, usize) {
        let wc = t
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if is_cjk(c) { 2.5 } else { 1.0 })
            .sum();
        let commas = t
            .chars()
            .filter(|c| matches!(c, ',' | '，' | '、' | '،' | '。' | '；'))
            .count();
        (wc, commas)
    }

    #[test]
    fn byte_level_measure_agrees_with_characters() {
        for t in [
            "Plain ASCII text,\twith\x0btabs\r\n",
            "",
            "   ",
            "東京、大阪。 news, views",
            "a\u{a0}b\u{3000}c\u{2009}d\u{85}e",
            "Café « naïve », 😀 emoji; مرحبا، عالم",
            "그리고 한국어，문장；끝",
        ] {
            assert_eq!(measure(t), slow(t), "{t:?}");
            assert_eq!(weighted_chars(t), slow(t).0, "{t:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn measure_agrees_on_any_text(t in "(?s).{0,60}") {
            proptest::prop_assert_eq!(measure(&t), slow(&t));
        }
    }
}
