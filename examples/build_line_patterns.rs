//! Writes `data/chrome/line-patterns.bin`, the line patterns of `data/chrome/line-patterns.tsv`
//! compiled ahead of time (see `src/chrome/pattern_store.rs`). Run it after editing the pattern
//! file (a test fails until it is run):
//!
//!     cargo run --release --example build_line_patterns

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/chrome/line-patterns.bin");
    let bytes = chaff::chrome::patterns::build_tables();
    chaff::output::write_atomic(std::path::Path::new(path), &bytes)
        .unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
    println!("{path}: {} bytes", bytes.len());
}
