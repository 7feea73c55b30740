//! chaff's own HTML tree builder (`src/extract/html/build.rs`) against html5ever, the HTML5
//! reference parser (through `scraper`): the text of a page's body, outside the elements whose
//! subtree the extractor never reads, must come out the same, in the same order. Checked on
//! hand-written markup with the tree-construction cases that decide where text lands, and on
//! every HTML page of the aeb benchmark when ../shared is present.

mod common;

use chaff::extract::html::dom::{Data, Dom, NONE};
use scraper::{Html, Node};

/// Elements whose subtree is not compared: chaff drops or skips their text (`Tag::Skip` in
/// `src/extract/html/dom.rs`), and the head's text never reaches the body.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "button", "select", "option",
    "textarea", "input", "iframe", "object", "embed", "canvas", "video", "audio", "dialog",
    "label", "link", "source", "picture", "title",
];

/// The text of the body in document order (chaff's tree), skipped subtrees left out.
fn chaff_text(html: &str) -> String {
    let dom = Dom::parse(html);
    let Some(body) =
        (0..dom.nodes.len() as u32).find(|&i| dom.elem(i).is_some_and(|e| e.name == "body"))
    else {
        return String::new();
    };
    let mut out = String::new();
    let mut stack = vec![body];
    while let Some(id) = stack.pop() {
        match &dom.nodes[id as usize].data {
            Data::Text(from, to) => out.push_str(dom.text(*from, *to)),
            Data::Element(e) if !SKIPPED.contains(&e.name.as_ref()) => {
                let mut kids = Vec::new();
                let mut c = dom.nodes[id as usize].first_child;
                while c != NONE {
                    kids.push(c);
                    c = dom.nodes[c as usize].next;
                }
                stack.extend(kids.into_iter().rev());
            }
            _ => {}
        }
    }
    out
}

/// The same for html5ever's tree.
fn html5ever_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let Some(body) = doc
        .tree
        .root()
        .descendants()
        .find(|n| matches!(n.value(), Node::Element(e) if e.name() == "body"))
    else {
        return String::new();
    };
    let mut out = String::new();
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        match n.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if !SKIPPED.contains(&e.name()) => {
                let kids: Vec<_> = n.children().collect();
                stack.extend(kids.into_iter().rev());
            }
            _ => {}
        }
    }
    out
}

fn assert_same(name: &str, html: &str) {
    let (ours, reference) = (chaff_text(html), html5ever_text(html));
    if ours != reference {
        let at = ours
            .char_indices()
            .zip(reference.chars())
            .find(|((_, a), b)| a != b)
            .map_or(ours.len().min(reference.len()), |((i, _), _)| i);
        let around = |s: &str| {
            s.chars()
                .skip(ours[..at].chars().count().saturating_sub(40))
                .take(100)
                .collect::<String>()
        };
        panic!(
            "{name}: the body text differs from html5ever's at character {}\n  chaff:     {:?}\n  html5ever: {:?}",
            ours[..at].chars().count(),
            around(&ours),
            around(&reference)
        );
    }
}

#[test]
fn text_lands_where_html5ever_puts_it() {
    let cases = [
        // Head elements after </head> go back into the head, with their text.
        "<html><head></head>\n<script>var x = 1;</script>\n<body><p>Body</p></body></html>",
        "<head><title>T</title></head><style>p{}</style>Text before the body<p>P</p>",
        "<head></head><title>Second</title><p>x",
        // Implied structure, text straight in the head starting the body.
        "<title>T</title>Hello<p>one<p>two",
        "<meta charset=utf-8>  \n Text <b>bold</b>",
        // Paragraphs, lists and headings closing implicitly.
        "<p>one<div>two</div><ul><li>a<li>b</ul><h1>h<h2>i</h2>",
        "<dl><dt>term<dd>def<dt>t2</dl><p>after",
        // Tables: fostered text, implied tbody and rows, cells closing each other.
        "<div>a<table>b<tr><td>c</td></tr>d</table>e</div>",
        "<table><td>1<td>2<tr><th>3</table>after",
        "<table><caption>cap</caption><colgroup><col></colgroup><tr><td>x</td></tr></table>",
        // Misnested formatting elements (the adoption agency).
        "<p><b>bold <i>both</b> italic</i> plain</p>",
        "<b>1<p>2</b>3</p>4",
        "<a href=x>link <div>block in link</div> tail</a> after",
        // Pre, textarea and listing drop one leading newline.
        "<pre>\nfirst line\nsecond</pre><pre>\n\nkept</pre>",
        // Character references and line ends.
        "<p>Fish &amp; chips&nbsp;&mdash; caf&eacute; &#8212; &#x41;</p>\r\n<p>a\rb</p>",
        // Comments and doctype anywhere.
        "<!DOCTYPE html><!-- c --><p>a<!-- inside -->b</p><!-- end -->",
        // End tags that close their element over open paragraphs and inline elements.
        "<p><button>b<p>inside</button>after",
        "<dl><dt>term<b>bold</dt>after term<dd>def<p>para</dd>after def</dl>",
        "<div><object><p>o</object>after</div>",
        // Stray end tags.
        "</p><p>x</br>y</div>z</span>",
        // Raw text elements.
        "<p>before<script>if (a < b) document.write('</p>')</script>after</p>",
        "<p>x<xmp><b>not bold</b></xmp>y",
    ];
    for (i, html) in cases.iter().enumerate() {
        assert_same(&format!("case {i}"), html);
    }
}

#[test]
fn benchmark_pages_parse_like_html5ever() {
    let dir = common::root().join("../shared/bench/extract/aeb");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("../shared not present: skipping the benchmark pages");
        return;
    };
    let mut pages = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert_same(&path.display().to_string(), &html);
            pages += 1;
        }
    }
    assert!(pages > 100, "only {pages} pages in {}", dir.display());
}
