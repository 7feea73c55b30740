//! Criterion micro-benchmarks of the hot stages, on inputs built from the seed articles in
//! `corpus/input` (embedded at compile time): decode, repair, HTML parsing and extraction, text
//! chrome classification, language and spin detection, and the whole `clean_document`.
//! When `../shared/bench/extract/aeb` is present, `clean_document` also runs over its first 20
//! HTML pages (read at bench time; skipped otherwise).
//!
//!     cargo bench --bench stages              # all
//!     cargo bench --bench stages -- extract   # one group

use chaff::chrome::{self, LearnedChrome};
use chaff::config::{Config, Limits};
use chaff::detect::{damage, language, spin};
use chaff::input::{DocKind, RawDoc};
use chaff::{decode, extract, repair};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

/// The allocator of the `chaff` binary (src/main.rs), so that the timings are those of the tool.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The seed articles as scraped (flattened text with chrome).
const SEEDS: [&str; 5] = [
    include_str!("../corpus/input/000_4824812027a22b0e.txt"),
    include_str!("../corpus/input/001_6db44384c25f5796.txt"),
    include_str!("../corpus/input/002_1aa3bb47d970edc0.txt"),
    include_str!("../corpus/input/003_bb4c1b51b1e6807b.txt"),
    include_str!("../corpus/input/004_aa114d4b00301979.txt"),
];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A news page around a seed: head with metadata, navigation, the article, a teaser list, a footer.
fn html_page(text: &str) -> String {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let headline = escape(lines.next().unwrap_or("Headline"));
    let mut s = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{headline} | The Daily</title>\
         <meta property=\"og:site_name\" content=\"The Daily\"><script>var x = 1;</script>\
         <style>body {{ margin: 0 }}</style></head><body><header><nav><ul>"
    );
    for m in [
        "Home", "World", "Politics", "Business", "Sport", "Opinion", "Video",
    ] {
        s.push_str(&format!("<li><a href=\"/{m}\">{m}</a></li>"));
    }
    s.push_str(&format!(
        "</ul></nav></header><main><article><h1>{headline}</h1><div class=\"byline\">By Staff Reporter</div>"
    ));
    for l in lines {
        s.push_str(&format!("<p>{}</p>\n", escape(l)));
    }
    s.push_str("</article><aside><h2>Most read</h2><ul>");
    for i in 0..8 {
        s.push_str(&format!(
            "<li><a href=\"/story/{i}\">Another story headline number {i} for the list</a></li>"
        ));
    }
    s.push_str("</ul></aside></main><footer><p>© The Daily. All rights reserved.</p><a href=\"/privacy\">Privacy</a></footer></body></html>\n");
    s
}

/// UTF-8 text read as windows-1252: the commonest mojibake.
fn mojibake(text: &str) -> String {
    let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(text.as_bytes());
    decoded.into_owned()
}

fn all_seeds() -> String {
    SEEDS.join("\n\n")
}

fn bench_decode(c: &mut Criterion) {
    let page = html_page(&all_seeds()).replace("Secretary", "Secrétaire");
    let undeclared = page.replace("charset=\"utf-8\"", "");
    let latin1 = encoding_rs::WINDOWS_1252.encode(&undeclared).0.into_owned();
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(page.len() as u64));
    g.bench_function("utf8 html", |b| {
        b.iter(|| decode::decode(black_box(page.as_bytes()), DocKind::Html))
    });
    g.throughput(Throughput::Bytes(latin1.len() as u64));
    g.bench_function("windows-1252 html, undeclared", |b| {
        b.iter(|| decode::decode(black_box(&latin1), DocKind::Html))
    });
    g.finish();
}

fn bench_repair(c: &mut Criterion) {
    let clean = all_seeds();
    let broken = mojibake(&clean.replace("US ", "US – “quoted” café "));
    let mut g = c.benchmark_group("repair");
    g.throughput(Throughput::Bytes(clean.len() as u64));
    g.bench_function("clean text", |b| {
        b.iter(|| repair::repair(black_box(&clean)))
    });
    g.throughput(Throughput::Bytes(broken.len() as u64));
    g.bench_function("mojibake", |b| {
        b.iter(|| repair::repair(black_box(&broken)))
    });
    g.finish();
}

fn bench_html(c: &mut Criterion) {
    let page = html_page(&all_seeds());
    let limits = Limits::default();
    let mut g = c.benchmark_group("html");
    g.throughput(Throughput::Bytes(page.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| {
            extract::html::build::build(black_box(&page), &limits)
                .dom
                .nodes
                .len()
        })
    });
    g.bench_function("extract", |b| {
        b.iter(|| extract::html::extract(black_box(&page), &limits))
    });
    g.finish();
}

fn bench_text_chrome(c: &mut Criterion) {
    let mut g = c.benchmark_group("text");
    let none = LearnedChrome::new();
    for (i, seed) in SEEDS.iter().enumerate() {
        let lines = extract::text::blocks(seed);
        g.throughput(Throughput::Bytes(seed.len() as u64));
        g.bench_with_input(BenchmarkId::new("classify", i), &lines, |b, lines| {
            b.iter(|| chrome::text::classify(black_box(lines), Some("eng"), &none))
        });
    }
    g.finish();
}

fn bench_detect(c: &mut Criterion) {
    let text = all_seeds();
    let mut g = c.benchmark_group("detect");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("language", |b| {
        b.iter(|| language::detect(black_box(&text)))
    });
    g.bench_function("spin", |b| {
        b.iter(|| spin::analyze(black_box(&text), Some("eng")))
    });
    g.bench_function("damage", |b| b.iter(|| damage::measure(black_box(&text))));
    g.finish();
}

fn bench_clean(c: &mut Criterion) {
    let cfg = Config::default();
    let none = LearnedChrome::new();
    let text = all_seeds();
    let html = html_page(&text);
    let mut g = c.benchmark_group("clean_document");
    for (name, bytes, kind) in [
        ("text", text.as_bytes(), DocKind::Text),
        ("html", html.as_bytes(), DocKind::Html),
    ] {
        let doc = RawDoc::from_bytes(name, bytes.to_vec(), Some(kind));
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| chaff::clean_document(black_box(&doc), &cfg, &none))
        });
    }
    let aeb = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/extract/aeb");
    let mut pages: Vec<_> = std::fs::read_dir(&aeb)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "html"))
                .collect()
        })
        .unwrap_or_default();
    pages.sort();
    let docs: Vec<RawDoc> = pages
        .iter()
        .take(20)
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| RawDoc::from_bytes("aeb", b, Some(DocKind::Html)))
        .collect();
    if docs.is_empty() {
        eprintln!("clean_document/aeb: skipped ({} not found)", aeb.display());
    } else {
        let bytes: usize = docs.iter().map(|d| d.bytes.len()).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        g.sample_size(10);
        g.bench_function("aeb 20 html pages", |b| {
            b.iter(|| {
                docs.iter()
                    .map(|d| chaff::clean_document(d, &cfg, &none).text.len())
                    .sum::<usize>()
            })
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_decode,
    bench_repair,
    bench_html,
    bench_text_chrome,
    bench_detect,
    bench_clean
);
criterion_main!(benches);
