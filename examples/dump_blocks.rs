//! Debug aid: prints every text block of a page with its ancestry, and whether it was kept.
//! Usage: cargo run --release --example dump_blocks -- PAGE.html
use chaff::config::Limits;
use chaff::extract::html::dom::{Attr, Dom, NONE};
use chaff::extract::html::{priors::Priors, select, walk};

fn label(dom: &Dom, id: u32) -> String {
    let Some(e) = dom.elem(id) else {
        return "#doc".into();
    };
    let mut s = e.name.to_string();
    if let Some(i) = dom.attr(e, Attr::Id) {
        s.push('#');
        s.push_str(&i.chars().take(20).collect::<String>());
    }
    if let Some(c) = dom.attr(e, Attr::Class) {
        s.push('.');
        s.push_str(&c.split_whitespace().take(2).collect::<Vec<_>>().join("."));
    }
    s
}

fn main() {
    let path = std::env::args().nth(1).expect("page");
    let html = String::from_utf8_lossy(&std::fs::read(path).expect("read")).into_owned();
    let dom = Dom::parse(&html);
    let w = walk::walk(&dom, Priors::get(), &Limits::default());
    let region = select::choose(&dom, &w, Priors::get(), &vec![1.0; w.blocks.len()]);
    if let Some(r) = &region {
        println!("top = {} {}", r.top, label(&dom, r.top));
        for &x in &r.roots {
            println!("root = {} {}", x, label(&dom, x));
        }
    }
    for b in &w.blocks {
        let inside = region
            .as_ref()
            .is_some_and(|r| r.roots.iter().any(|&e| w.inside(b.owner, e)));
        let mut chain = Vec::new();
        let mut a = b.owner;
        while a != NONE && chain.len() < 7 {
            chain.push(format!("{}[{}]", label(&dom, a), w.prior[a as usize]));
            a = dom.nodes[a as usize].parent;
        }
        let text: String = b.text.chars().take(70).collect();
        println!(
            "{} {:5} ld={:.2} {} | {}",
            if inside { "IN " } else { "   " },
            b.chars,
            b.link_density(),
            text,
            chain.join(" < ")
        );
    }
}
