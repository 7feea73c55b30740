//! What the page declares about itself: `<meta>` tags, JSON-LD, `<title>`, `<time>`.

use super::dom::{Attr, Data, Dom, Tag, NONE};
use crate::text_util::collapse_whitespace;
use serde_json::Value;

/// Declared metadata, with the candidates for the headline.
#[derive(Debug, Default)]
pub struct Declared {
    /// `og:title` / `twitter:title`.
    pub og_title: Option<String>,
    /// JSON-LD `headline`.
    pub ld_headline: Option<String>,
    /// `<title>`.
    pub title_tag: Option<String>,
    /// JSON-LD `articleBody`.
    pub ld_body: Option<String>,
    /// Publication date.
    pub date: Option<String>,
    /// Author name(s).
    pub author: Option<String>,
    /// Site name.
    pub site: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
}

fn set(slot: &mut Option<String>, v: &str) {
    if slot.is_none() {
        let v = collapse_whitespace(v);
        if !v.is_empty() {
            *slot = Some(v);
        }
    }
}

/// Text of an element's direct and nested text nodes (used for `<title>` and scripts).
pub fn text_of(dom: &Dom, id: u32) -> String {
    let mut out = String::new();
    let mut stack = vec![id];
    while let Some(n) = stack.pop() {
        let node = &dom.nodes[n as usize];
        if let Data::Text(from, to) = node.data {
            out.push_str(dom.text(from, to));
        }
        let mut c = node.last_child;
        while c != NONE {
            stack.push(c);
            c = dom.nodes[c as usize].prev;
        }
    }
    out
}

/// Scans every element once (a flat pass over the arena, not a tree walk).
pub fn declared(dom: &Dom) -> Declared {
    let mut d = Declared::default();
    let mut meta_author = None;
    let mut time_date = None;
    for (i, node) in dom.nodes.iter().enumerate() {
        let Data::Element(e) = &node.data else {
            continue;
        };
        match e.tag {
            Tag::Html => {
                if let Some(l) = dom.attr(e, Attr::Lang) {
                    set(&mut d.lang, l);
                }
            }
            Tag::Meta => {
                let key = dom
                    .attr(e, Attr::Property)
                    .or_else(|| dom.attr(e, Attr::Name))
                    .or_else(|| dom.attr(e, Attr::Itemprop));
                let (Some(key), Some(content)) = (key, dom.attr(e, Attr::Content)) else {
                    continue;
                };
                match key.to_ascii_lowercase().as_str() {
                    "og:title" | "twitter:title" => set(&mut d.og_title, content),
                    "og:site_name" | "application-name" => set(&mut d.site, content),
                    "article:published_time"
                    | "datepublished"
                    | "date"
                    | "pubdate"
                    | "publishdate"
                    | "publish-date"
                    | "dc.date"
                    | "dc.date.issued"
                    | "sailthru.date"
                    | "parsely-pub-date"
                    | "og:published_time" => set(&mut d.date, content),
                    "author" | "article:author" | "dc.creator" | "parsely-author"
                    | "sailthru.author" | "byl"
                        if !content.starts_with("http") =>
                    {
                        set(&mut meta_author, content)
                    }
                    _ => {}
                }
            }
            Tag::Title if d.title_tag.is_none() => {
                let t = text_of(dom, i as u32);
                set(&mut d.title_tag, &t);
            }
            Tag::Time if time_date.is_none() => {
                if let Some(dt) = dom.attr(e, Attr::Datetime) {
                    set(&mut time_date, dt);
                }
            }
            Tag::Skip if &*e.name == "script" => {
                let is_ld = dom
                    .attr(e, Attr::Type)
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json"));
                if is_ld {
                    let t = text_of(dom, i as u32);
                    if let Ok(v) = serde_json::from_str::<Value>(t.trim()) {
                        read_ld(&v, &mut d, 0);
                    }
                }
            }
            _ => {}
        }
    }
    if d.author.is_none() {
        d.author = meta_author;
    }
    if d.date.is_none() {
        d.date = time_date;
    }
    d
}

fn is_article_type(v: &Value) -> bool {
    let ok = |s: &str| {
        s.ends_with("Article")
            || matches!(
                s,
                "BlogPosting"
                    | "Report"
                    | "LiveBlogPosting"
                    | "WebPage"
                    | "SocialMediaPosting"
                    | "Review"
            )
    };
    match v.get("@type") {
        Some(Value::String(s)) => ok(s),
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(ok)),
        _ => false,
    }
}

fn names(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) if !s.starts_with("http") => vec![s.clone()],
        Value::Object(o) => o
            .get("name")
            .and_then(Value::as_str)
            .map(|s| vec![s.to_string()])
            .unwrap_or_default(),
        Value::Array(a) => a.iter().flat_map(names).collect(),
        _ => Vec::new(),
    }
}

fn read_ld(v: &Value, d: &mut Declared, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| read_ld(x, d, depth + 1)),
        Value::Object(o) => {
            if let Some(g) = o.get("@graph") {
                read_ld(g, d, depth + 1);
            }
            if !is_article_type(v) {
                return;
            }
            let webpage = matches!(o.get("@type"), Some(Value::String(s)) if s == "WebPage");
            if let Some(h) = o.get("headline").and_then(Value::as_str) {
                if !webpage {
                    set(&mut d.ld_headline, h);
                }
            }
            if let Some(b) = o.get("articleBody").and_then(Value::as_str) {
                set(&mut d.ld_body, b);
            }
            if let Some(dp) = o.get("datePublished").and_then(Value::as_str) {
                set(&mut d.date, dp);
            }
            if let Some(a) = o.get("author") {
                let n = names(a);
                if !n.is_empty() && d.author.is_none() {
                    set(&mut d.author, &n.join(", "));
                }
            }
            if let Some(p) = o.get("publisher") {
                if let Some(n) = names(p).first() {
                    set(&mut d.site, n);
                }
            }
        }
        _ => {}
    }
}
