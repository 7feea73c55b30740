//! Replays the inputs kept in `tests/fuzz_regressions/<target>/` through the fuzz targets' own
//! code (`fuzz/targets.rs`), on stable: inputs that once crashed a target, plus hand-made
//! edge cases. A file's name says what it found.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        eprintln!("{target}: {}", f.display());
        run(&bytes);
    }
}

#[test]
fn decode() {
    replay("decode", targets::decode);
}

#[test]
fn html() {
    replay("html", targets::html);
}

#[test]
fn warc() {
    replay("warc", targets::warc);
}

#[test]
fn jsonl() {
    replay("jsonl", targets::jsonl);
}

#[test]
fn pipeline() {
    replay("pipeline", targets::pipeline);
}
