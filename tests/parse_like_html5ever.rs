//! chaff's own HTML tree builder (`src/extract/html/build.rs`) against html5ever, the HTML5
//! reference parser (through `scraper`): the text of a page's body, outside the elements whose
//! subtree the extractor never reads, must come out the same, in the same order. Checked on
//! hand-written markup with the tree-construction cases that decide where text lands, and on
//! every HTML page of the aeb benchmark when ../shared is present.

mod common;

use chaff::extract::html::dom::{Data, Dom, NONE};
use proptest::prelude::*;
use scraper::{Html, Node};

/// Elements whose subtree is not compared: chaff drops or skips their text (`Tag::Skip` in
/// `src/extract/html/dom.rs`), and the head's text never reaches the body.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "button", "select", "option",
    "textarea", "input", "iframe", "object", "embed", "canvas", "video", "audio", "dialog",
    "label", "link", "source", "picture", "title",
];

/// The text of the body in document order (chaff's tree), skipped subtrees left out, each text
/// node prefixed with the names of the elements it sits in below the body (`div/p: text`): where
/// text lands, not only its order.
fn chaff_text(html: &str) -> String {
    let dom = Dom::parse(html);
    let Some(body) =
        (0..dom.nodes.len() as u32).find(|&i| dom.elem(i).is_some_and(|e| e.name == "body"))
    else {
        return String::new();
    };
    let mut out = String::new();
    let mut stack = vec![(body, String::new())];
    while let Some((id, path)) = stack.pop() {
        match &dom.nodes[id as usize].data {
            Data::Text(from, to) => push_text(&mut out, &path, dom.text(*from, *to)),
            Data::Element(e) if !SKIPPED.contains(&e.name.as_ref()) => {
                let path = step(&path, &e.name, id == body);
                let mut kids = Vec::new();
                let mut c = dom.nodes[id as usize].first_child;
                while c != NONE {
                    kids.push((c, path.clone()));
                    c = dom.nodes[c as usize].next;
                }
                stack.extend(kids.into_iter().rev());
            }
            _ => {}
        }
    }
    out
}

/// Formatting elements: the paths leave them out. The extractor reads which block a word is in
/// and whether it is link text, not which formatting elements hold it; and where the builder
/// stays simpler than html5ever (its limits, the "in select" rules) the copies of formatting
/// elements it re-opens may differ while the blocks do not.
const FORMATTING: &[&str] = &[
    "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// The path of an element's children: its parent's path and its name (not for the body itself
/// or a formatting element); inside a link, the path ends in `(link)`, wherever the link stands
/// among the blocks (the adoption agency moves `<a><div>` to `<div><a>`).
fn step(path: &str, name: &str, is_body: bool) -> String {
    let (blocks, link) = match path.strip_suffix("(link)") {
        Some(p) => (p, true),
        None => (path, false),
    };
    let blocks = if is_body || FORMATTING.contains(&name) || name == "a" {
        blocks.to_string()
    } else {
        format!("{blocks}/{name}")
    };
    if link || name == "a" {
        blocks + "(link)"
    } else {
        blocks
    }
}

/// Appends one text node: its path, then its text, on a line of its own; text continuing the
/// previous node at the same path joins it (html5ever keeps adjacent text nodes apart where a
/// comment or a dropped element stood between them, chaff joins them).
fn push_text(out: &mut String, path: &str, text: &str) {
    if text.trim().is_empty() {
        // White space between blocks is not compared; between two texts of a block it is a
        // space.
        if out
            .rfind('\n')
            .is_some_and(|i| out[i..].starts_with(&format!("\n{path}: ")))
        {
            out.push(' ');
        }
        return;
    }
    // Line ends in the text would start new lines of the output.
    let text = text.replace(char::is_whitespace, " ");
    let head = format!("\n{path}: ");
    if out.rfind('\n').is_some_and(|i| out[i..].starts_with(&head)) {
        out.push_str(&text);
    } else {
        out.push_str(&head);
        out.push_str(&text);
    }
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
    let mut stack = vec![(body, String::new())];
    while let Some((n, path)) = stack.pop() {
        match n.value() {
            Node::Text(t) => push_text(&mut out, &path, t),
            Node::Element(e) if !SKIPPED.contains(&e.name()) => {
                let path = step(&path, e.name(), n == body);
                let kids: Vec<_> = n.children().map(|k| (k, path.clone())).collect();
                stack.extend(kids.into_iter().rev());
            }
            _ => {}
        }
    }
    out
}

/// Each line of [`push_text`]'s output with its white space collapsed and trimmed: where a
/// space between two text nodes goes is not compared.
fn normalized(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_same(name: &str, html: &str) {
    let (ours, reference) = (
        normalized(&chaff_text(html)),
        normalized(&html5ever_text(html)),
    );
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
        // Formatting elements closed by a block open again for the text after it.
        "<p><b>bold</p>still bold<p><a href=x>link<li>still link</li></a>",
        "<table><tr><td><b>cell</td><td>not bold</td></tr></table>after",
        // The form pointer: a form inside a form is ignored, its end tag closes the first.
        "<form><li><form>a</form>a",
    ];
    for (i, html) in cases.iter().enumerate() {
        assert_same(&format!("case {i}"), html);
    }
}

/// Block elements the generated markup uses; some are left unclosed.
const BLOCKS: &[&str] = &[
    "div",
    "p",
    "section",
    "article",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "pre",
    "header",
    "footer",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "form",
    "main",
    "center",
    "address",
];

/// Inline elements the generated markup uses; some are left unclosed (links are always closed,
/// as they were before the builder re-opened formatting elements; with one link in five left
/// open, 30,000 generated pages matched too).
const INLINE: &[&str] = &[
    "b", "i", "span", "em", "strong", "code", "small", "font", "u", "s", "sup", "abbr", "time",
    "q", "cite", "mark",
];

/// Markup as pages are written, with the usual omissions: nested blocks and inline elements (one
/// in ten of these left open), void elements, references, and tables whose cells and rows are
/// often not closed.
fn markup() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => "[a-z]{1,6}( [a-z]{1,6}){0,2}",
        1 => prop::sample::select(vec!["<br>", "<img src=x>", "<hr>", "<wbr>", "&amp;", "&nbsp;", "\n"])
            .prop_map(String::from),
    ];
    leaf.prop_recursive(5, 64, 4, |inner| {
        let kids = prop::collection::vec(inner, 1..4).prop_map(|k| k.concat());
        let cell = (kids.clone(), any::<bool>())
            .prop_map(|(k, close)| format!("<td>{k}{}", if close { "</td>" } else { "" }));
        let row = (prop::collection::vec(cell, 1..4), any::<bool>())
            .prop_map(|(c, close)| format!("<tr>{}{}", c.concat(), if close { "</tr>" } else { "" }));
        let element = |names: &'static [&'static str], open: f64| {
            (prop::sample::select(names), kids.clone(), prop::bool::weighted(open)).prop_map(
                |(t, k, close)| format!("<{t}>{k}{}", if close { format!("</{t}>") } else { String::new() }),
            )
        };
        prop_oneof![
            3 => element(INLINE, 0.9),
            1 => element(&["a"], 1.0),
            3 => element(BLOCKS, 0.8),
            1 => prop::collection::vec(row, 1..4).prop_map(|r| format!("<table>{}</table>", r.concat())),
        ]
    })
}

proptest! {
    /// Generated pages parse as html5ever parses them.
    #[test]
    fn generated_pages_parse_like_html5ever(body in markup()) {
        let html = format!("<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>");
        assert_same(&html, &html);
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
