//! The bodies of the fuzz targets, shared by `fuzz_targets/*.rs` (cargo-fuzz, nightly) and by
//! `tests/fuzz_regressions.rs` (stable `cargo test`), which replays the inputs kept in
//! `tests/fuzz_regressions/<target>/` so a crash found once stays fixed.
#![allow(dead_code)]

use chaff::chrome::LearnedChrome;
use chaff::config::{Config, Limits};
use chaff::input::jsonl::{JsonRecord, Line, LineReader};
use chaff::input::{http, warc::WarcReader};
use chaff::input::{DocKind, RawDoc};
use chaff::stream::{self, StreamInput, StreamOptions};

/// Decode stage: any bytes, as HTML and as text, give text (valid UTF-8 by type) without panic;
/// the repair stage takes that text on.
pub fn decode(data: &[u8]) {
    for kind in [DocKind::Html, DocKind::Text] {
        let d = chaff::decode::decode(data, kind);
        let _ = chaff::repair::repair(&d.text);
    }
}

/// HTML extraction: the tokenizer, tree builder and block walk, on any text, with small limits so
/// the depth, attribute and node limits are hit often.
pub fn html(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for limits in [
        Limits::default(),
        Limits {
            max_dom_depth: 4,
            max_dom_nodes: 16,
            max_attributes: 2,
            ..Limits::default()
        },
    ] {
        let ex = chaff::extract::html::extract(&text, &limits);
        let _ = chaff::extract::render(&ex.blocks);
    }
}

const WARC_LIMIT: usize = 4096;

/// WARC reader and HTTP response parser: any bytes give records or an error, never a panic, and
/// blocks stay within the limit.
pub fn warc(data: &[u8]) {
    let mut reader = WarcReader::new(data, WARC_LIMIT);
    for _ in 0..1000 {
        match reader.next_record() {
            Ok(Some(rec)) => {
                assert!(rec.block.len() <= WARC_LIMIT);
                if let Ok(resp) = http::parse_response(&rec.block, WARC_LIMIT) {
                    assert!(resp.body.len() <= WARC_LIMIT);
                    if let Some(ct) = resp.header("Content-Type") {
                        let _ = http::content_type(ct);
                    }
                }
            }
            Ok(None) | Err(_) => break,
        }
    }
    let _ = http::parse_response(data, WARC_LIMIT);
}

const JSONL_LIMIT: usize = 1024;

/// JSON Lines reader: lines stay within the limit, and a record that parses writes back as a line
/// that parses to the same fields.
pub fn jsonl(data: &[u8]) {
    let mut lines = LineReader::new(data, JSONL_LIMIT);
    for _ in 0..10_000 {
        match lines.next_line() {
            Ok(Some(Line::Text { bytes, .. })) => {
                assert!(bytes.len() <= JSONL_LIMIT);
                let Ok(mut rec) = JsonRecord::parse(&bytes) else {
                    continue;
                };
                let _ = rec.string_field("text");
                rec.set(
                    "chaff",
                    serde_json::value::RawValue::from_string("{\"ok\":true}".into()).unwrap(),
                );
                let line = rec.to_line();
                assert!(!line.contains('\n'));
                let again = JsonRecord::parse(line.as_bytes()).expect("written records parse");
                assert_eq!(again.to_line(), line);
            }
            Ok(Some(Line::TooLong { len, .. })) => assert!(len > JSONL_LIMIT),
            Ok(None) | Err(_) => break,
        }
    }
}

/// The whole pipeline on one document (as HTML, as text and sniffed), and pipeline mode on the
/// same bytes as a JSONL or WARC stream: no panic, and every output line is a JSON object.
pub fn pipeline(data: &[u8]) {
    let cfg = Config {
        limits: Limits {
            max_doc_bytes: 64 * 1024,
            max_dom_depth: 64,
            max_dom_nodes: 4096,
            max_attributes: 8,
        },
        ..Config::default()
    };
    for kind in [Some(DocKind::Html), Some(DocKind::Text), None] {
        let doc = RawDoc::from_bytes("fuzz", data.to_vec(), kind);
        let cleaned = chaff::clean_document(&doc, &cfg, &LearnedChrome::new());
        assert!(!cleaned.record.status.is_empty());
    }
    let Ok(input) = StreamInput::from_reader("fuzz", std::io::Cursor::new(data.to_vec())) else {
        return;
    };
    let opts = StreamOptions {
        threads: Some(1),
        ..StreamOptions::default()
    };
    let mut out = Vec::new();
    if stream::run(vec![input], &cfg, &opts, &mut out).is_ok() {
        for line in out.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            // Raw values are kept as written (1e400 too), so check the grammar, not f64 ranges.
            JsonRecord::parse(line).expect("output lines are JSON objects");
        }
    }
}
