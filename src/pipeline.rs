//! The stages in order, for one document: decode → repair → extract → chrome → detect → score.
//!
//! This is the only module that knows the whole order. [`clean_document`] returns the cleaned text
//! and its report record; [`learning_text`] gives the batch-learning pass the same lines the
//! chrome stage will later see.

use crate::chrome::{self, LearnedChrome};
use crate::config::Config;
use crate::decode::{self, Decoded};
use crate::detect::language::{self, LanguageGuess};
use crate::detect::{article, damage, spin};
use crate::extract::{self, Block, PageMeta};
use crate::input::{DocKind, RawDoc};
use crate::repair;
use crate::report::{Record, ScoreComponent};
use crate::score::{self, Findings};

/// A cleaned document: the article text and its report record.
#[derive(Debug, Clone)]
pub struct Cleaned {
    /// The article: headline, then blocks separated by blank lines; UTF-8, NFC, `\n` line ends.
    pub text: String,
    /// The report record (its `path` is the document's name; `output` is left for the caller).
    pub record: Record,
}

/// Why a document cannot be cleaned at all.
fn unreadable_reason(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Some("gzip-compressed data, not a text or HTML document");
    }
    for (magic, what) in [
        (&b"%PDF-"[..], "a PDF file, not a text or HTML document"),
        (
            &b"PK\x03\x04"[..],
            "a ZIP archive, not a text or HTML document",
        ),
        (&b"\x89PNG"[..], "a PNG image, not a text or HTML document"),
        (
            &b"\xff\xd8\xff"[..],
            "a JPEG image, not a text or HTML document",
        ),
        (&b"GIF8"[..], "a GIF image, not a text or HTML document"),
    ] {
        if bytes.starts_with(magic) {
            return Some(what);
        }
    }
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return None;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.is_empty() {
        return None;
    }
    // UTF-16 without BOM has NULs in every other byte; binary data has them scattered. Text has
    // none: one SIMD search settles most documents.
    let has_nul = memchr::memchr(0, head).is_some();
    if has_nul && utf16_without_bom(head).is_none() {
        let controls = head
            .iter()
            .filter(|b| **b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
            .count();
        if controls * 20 > head.len() {
            return Some("binary data, not a text or HTML document");
        }
    }
    None
}

/// Detects BOM-less UTF-16 by the position of NUL bytes in ASCII-heavy text.
fn utf16_without_bom(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    // The test below needs a NUL in most byte pairs: a head with none (most documents), found
    // by one SIMD search, is settled.
    if head.len() < 4 || memchr::memchr(0, head).is_none() {
        return None;
    }
    let pairs = head.len() / 2;
    let even = head.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    if odd * 10 > pairs * 6 && even * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 > pairs * 6 && odd * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Why the document cannot be read as text or HTML ([`unreadable_reason`]), unless the caller
/// already decoded its text (then it is text, whatever its bytes look like, and never sniffed).
fn unreadable(doc: &RawDoc) -> Option<&'static str> {
    unreadable_reason(&doc.bytes).filter(|_| doc.decoded.is_none())
}

fn decode_doc(doc: &RawDoc, kind: DocKind) -> Decoded {
    decode_special(doc).unwrap_or_else(|| decode::decode(&doc.bytes, kind))
}

/// The decoded text of a document whose text the caller decoded, or of UTF-16 without a
/// byte-order mark; `None` for the bytes that go through charset detection.
fn decode_special(doc: &RawDoc) -> Option<Decoded> {
    if let Some(given) = doc.decoded {
        return Some(decode::decode_source(decode::Source::Text {
            text: &String::from_utf8_lossy(&doc.bytes),
            encoding: given.encoding,
            source: given.source,
        }));
    }
    let enc = utf16_without_bom(&doc.bytes[..doc.bytes.len().min(8192)])?;
    let (text, had_errors) = enc.decode_without_bom_handling(&doc.bytes);
    let text = text.into_owned();
    let malformed = if had_errors {
        text.matches('\u{FFFD}').count()
    } else {
        0
    };
    Some(Decoded {
        text,
        encoding: enc,
        source: decode::CharsetSource::Detector,
        malformed,
        rejected_declaration: None,
    })
}

/// The repaired text of a flattened-text document, as the batch-learning pass should see it.
/// HTML documents return `None` (their chrome is found in the DOM).
pub fn learning_text(doc: &RawDoc) -> Option<String> {
    let kind = doc.resolved_kind();
    if kind != DocKind::Text || unreadable(doc).is_some() {
        return None;
    }
    let decoded = decode_doc(doc, kind);
    Some(repair::repair(&decoded.text).text)
}

/// What the page stage knows of a document's language.
enum PageLanguage {
    /// Found with the page's chrome (HTML): the language of the cleaned text.
    Found(Option<LanguageGuess>),
    /// Guessed early on the whole text (flattened text), for the chrome stage.
    Early(language::MainGuess),
}

/// Builds the tables every stage makes on first use (pattern automata, models, phrase lists), two
/// at a time on the current rayon pool, instead of one after the other in whichever thread meets
/// each first while the other threads wait for it. Only start-up time changes.
pub fn warm_up() {
    rayon::join(
        || {
            chrome::patterns::warm_up();
            extract::html::priors::Priors::get();
        },
        || {
            spin::warm_up();
            article::warm_up();
            chrome::line_model::get();
        },
    );
}

/// Turns transparent huge pages off for this process (call it first thing in `main`; the
/// `chaff` binary and the benchmarks do). mimalloc asks for them on its 1 GiB arena
/// (`madvise(MADV_HUGEPAGE)`), so each first touch of a 2 MiB region made the kernel zero all of
/// it: twice the resident memory (aeb: 69.7 MB against 35.2 MB peak) for no measured gain in
/// speed, and, when the kernel had to find free huge pages, up to a quarter of a run's time spent
/// in `clear_page`. It applies to every later page fault.
pub fn small_pages_only() {
    #[cfg(target_os = "linux")]
    // Best effort: a kernel without the prctl only keeps its default.
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// The worker threads of a run (`threads`, or one per core), which start at once on
/// [`warm_up`] while the caller lists or reads its inputs.
pub fn worker_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, String> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n.max(1));
    }
    let pool = builder.build().map_err(|e| e.to_string())?;
    pool.spawn(warm_up);
    Ok(pool)
}

/// Runs every stage on one document.
pub fn clean_document(doc: &RawDoc, cfg: &Config, learned: &LearnedChrome) -> Cleaned {
    if let Some(why) = unreadable(doc) {
        return Cleaned {
            text: String::new(),
            record: Record::failed(&doc.name, why),
        };
    }
    let kind = doc.resolved_kind();
    let decoded = decode_doc(doc, kind);
    clean_decoded(doc, kind, decoded, cfg, learned)
}

/// [`clean_document`], taking the document: UTF-8 bytes become its text without a copy.
pub fn clean_owned_document(mut doc: RawDoc, cfg: &Config, learned: &LearnedChrome) -> Cleaned {
    if let Some(why) = unreadable(&doc) {
        return Cleaned {
            text: String::new(),
            record: Record::failed(&doc.name, why),
        };
    }
    let kind = doc.resolved_kind();
    let decoded = decode_special(&doc)
        .unwrap_or_else(|| decode::decode_owned(std::mem::take(&mut doc.bytes), kind));
    clean_decoded(&doc, kind, decoded, cfg, learned)
}

/// The stages after decoding (`doc`'s bytes are not read again: an owned document's are gone).
fn clean_decoded(
    doc: &RawDoc,
    kind: DocKind,
    decoded: Decoded,
    cfg: &Config,
    learned: &LearnedChrome,
) -> Cleaned {
    let mut reasons = Vec::new();
    if let Some(r) = &decoded.rejected_declaration {
        reasons.push(format!(
            "{r}; decoded as {} ({})",
            decoded.encoding.name(),
            decoded.source.as_str()
        ));
    }
    if decoded.malformed > 0 {
        reasons.push(format!(
            "{} malformed byte sequences in {} replaced by U+FFFD",
            decoded.malformed,
            decoded.encoding.name()
        ));
    }
    if doc.truncated {
        reasons.push(format!(
            "input longer than {} bytes was truncated",
            cfg.limits.max_doc_bytes
        ));
    }
    // Counted with SIMD (a page is megabytes; `chars().count()` was 2% of a run).
    let chars_in = bytecount::num_chars(decoded.text.as_bytes());

    // HTML pages have their language found while their chrome is settled; text pages after.
    let (blocks, meta, fixes, lang) = match kind {
        DocKind::Text => {
            let repaired = repair::repair(&decoded.text);
            let lines = extract::text::blocks(&repaired.text);
            let early = language::main_guess(&repaired.text);
            let lang = early.code();
            let article = extract::text::is_article_layout(&repaired.text)
                .then(|| chrome::text::classify_article_layout(&lines, lang, learned))
                .flatten()
                .unwrap_or_else(|| chrome::text::classify(&lines, lang, learned));
            let (mut blocks, mut fixes) = (article.blocks, repaired.fixes);
            settle_blocks(&mut blocks, &mut fixes);
            reasons.extend(fixes.iter().map(repair::Fix::describe));
            reasons.extend(article.removed.reason());
            (
                blocks,
                PageMeta::default(),
                fixes,
                PageLanguage::Early(early),
            )
        }
        DocKind::Html => {
            let ex = extract::html::extract(&decoded.text, &cfg.limits);
            reasons.extend(ex.notes.iter().cloned());
            let (blocks, fixes) = repair_blocks(ex.blocks);
            reasons.extend(fixes.iter().map(repair::Fix::describe));
            let (blocks, removed, lang) = drop_standalone_chrome(blocks, learned);
            reasons.extend(removed.reason());
            let mut meta = ex.meta;
            meta.title = meta.title.map(|t| repair::repair(&t).text);
            (blocks, meta, fixes, PageLanguage::Found(lang))
        }
    };
    // The page's text is read no more: its memory goes to the next file this thread reads.
    crate::input::recycle_buffer(decoded.text.into_bytes());
    let text = extract::render(&blocks);

    // HTML pages: the language found with their chrome; text pages: found now on the article,
    // reusing the early guess when the article's prose sample is the same.
    let lang = match lang {
        PageLanguage::Found(lang) => lang,
        PageLanguage::Early(early) => language::detect_after(&text, &early),
    };
    let lang_code = lang.as_ref().map(|g| g.code);
    let damage = damage::measure(&text);
    let shape = article::measure(&text, damage.words);
    let findings = Findings {
        damage,
        shape,
        spin: spin::analyze(&text, lang_code),
        lang,
        input_truncated: doc.truncated,
        restored_punctuation: fix_count(&fixes, "lost-punctuation"),
        repaired_mojibake: fix_count(&fixes, "mojibake"),
    };
    let scored = score::score(&findings, cfg);
    reasons.extend(scored.components.iter().map(|c| c.reason.clone()));

    let title = blocks
        .iter()
        .find(|b| b.kind == extract::BlockKind::Title)
        .map(|b| b.text.clone())
        .or(meta.title);
    let record = Record {
        path: doc.name.clone(),
        output: None,
        status: "ok".into(),
        kind: Some(kind.as_str().into()),
        encoding: Some(decoded.encoding.name().into()),
        encoding_source: Some(decoded.source.as_str().into()),
        lang: lang_code.map(str::to_string),
        score: Some(scored.score),
        verdict: Some(scored.verdict),
        spin: Some((findings.spin.score * 1000.0).round() / 1000.0),
        reasons,
        chars_in,
        chars_out: bytecount::num_chars(text.as_bytes()),
        error: None,
        title,
        date: meta.date,
        author: meta.author,
        site: meta.site,
        components: scored.components.iter().map(ScoreComponent::from).collect(),
    };
    Cleaned { text, record }
}

/// How many repairs of one kind (a [`repair::Fix`] name) were made, over all charsets.
fn fix_count(fixes: &[repair::Fix], name: &str) -> usize {
    fixes
        .iter()
        .filter(|f| f.name == name)
        .map(|f| f.count)
        .sum()
}

/// Repairs each block's text and collapses its white space ([`repair::repair_collapsed`]); returns
/// the blocks and the fixes, summed per kind.
fn repair_blocks(blocks: Vec<Block>) -> (Vec<Block>, Vec<repair::Fix>) {
    let mut totals: Vec<repair::Fix> = Vec::new();
    let blocks = blocks
        .into_iter()
        .map(|mut b| {
            b.text = repair::repair_collapsed(&b.text, &mut totals);
            b
        })
        .collect();
    (blocks, totals)
}

/// Drops the blocks after the headline that the text route calls chrome by themselves
/// ([`chrome::text::standalone_chrome`]: "Advertisement", "Filed under: ...", "You may also
/// like..."), until none is left, so that the output cleaned again as text is kept whole.
fn drop_standalone_chrome(
    blocks: Vec<Block>,
    learned: &LearnedChrome,
) -> (Vec<Block>, chrome::Removed, Option<LanguageGuess>) {
    let mut blocks: Vec<Block> = blocks.into_iter().filter(|b| !b.text.is_empty()).collect();
    let mut removed = chrome::Removed::default();
    // Each round drops at least one block; a few rounds settle any real page. The language of
    // the text as it stands is what the text route would see, and what the score uses after.
    for _ in 0..4 {
        let lang = language::detect(&extract::render(&blocks));
        let chrome =
            chrome::text::standalone_chrome(&blocks, lang.as_ref().map(|g| g.code), learned);
        if chrome.is_empty() {
            return (blocks, removed, lang);
        }
        for &(_, kind) in &chrome {
            removed.add(kind);
        }
        let mut drop = chrome.iter().map(|&(i, _)| i).peekable();
        let mut i = 0;
        blocks.retain(|_| {
            let gone = drop.next_if_eq(&i).is_some();
            i += 1;
            !gone
        });
    }
    let lang = language::detect(&extract::render(&blocks));
    (blocks, removed, lang)
}

/// Text-mode blocks were repaired as one text before they were cut into collapsed lines; the
/// few lines still flagged by the fast scan get [`repair::repair_collapsed`] again, so that
/// cleaning chaff's own output changes nothing.
fn settle_blocks(blocks: &mut [Block], fixes: &mut Vec<repair::Fix>) {
    for b in blocks {
        if repair::first_suspect(&b.text).is_some() {
            b.text = repair::repair_collapsed(&b.text, fixes);
        }
    }
}
