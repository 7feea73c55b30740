//! Build script: the spin model's word index, computed from `data/spin/spin.bin` at build time
//! rather than at every start-up (hashing its 58,640 words cost about 18 M instructions a run).
//!
//! Writes `$OUT_DIR/spin-index.bin`: the open-addressed word index of `src/detect/spin.rs`
//! (its scheme is `src/detect/spin_index.rs`, which this script includes: little-endian u32
//! slots, `(tag << 16) | (id + 1)`, 0 = empty, linear probing), then the byte offset of each word
//! in the word list and the list's end (little-endian u32 each).

use std::io::Write;

/// The index scheme, shared with `src/detect/spin.rs`.
#[path = "src/detect/spin_index.rs"]
mod spin_index;
use spin_index::{fnv1a, index_size, tag};

fn u32_at(data: &[u8], pos: usize) -> u32 {
    u32::from_le_bytes(data[pos..pos + 4].try_into().expect("four bytes"))
}

fn main() {
    println!("cargo:rerun-if-changed=data/spin/spin.bin");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/detect/spin_index.rs");
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let data =
        std::fs::read(dir.join("data/spin/spin.bin")).expect("data/spin/spin.bin is readable");
    assert_eq!(&data[..8], b"CHAFFSPN", "data/spin/spin.bin: bad magic");
    // Header: magic, version, words, candidates, links, buckets, word-list bytes, 8 centres,
    // two steps; then the word list.
    let n_words = u32_at(&data, 12) as usize;
    let blob_len = u32_at(&data, 28) as usize;
    let blob_start = 32 + 4 * 8 + 4 + 4;
    let blob = &data[blob_start..blob_start + blob_len];
    let words: Vec<&[u8]> = blob.split(|&b| b == b'\n').collect();
    assert_eq!(words.len(), n_words, "data/spin/spin.bin: word count");
    assert!(n_words < 0xFFFF, "word ids must fit 16 bits");
    let size = index_size(n_words);
    let mut index = vec![0u32; size];
    let mut offsets = Vec::with_capacity(n_words + 1);
    let mut at = 0u32;
    for (id, w) in words.iter().enumerate() {
        offsets.push(at);
        at += w.len() as u32 + 1;
        let h = fnv1a(w);
        let mut slot = h as usize & (size - 1);
        while index[slot] != 0 {
            slot = (slot + 1) & (size - 1);
        }
        index[slot] = tag(h) << 16 | (id as u32 + 1);
    }
    offsets.push(blob_len as u32 + 1);
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set"));
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(out.join("spin-index.bin")).expect("OUT_DIR is writable"),
    );
    for v in index.iter().chain(&offsets) {
        f.write_all(&v.to_le_bytes()).expect("write spin-index.bin");
    }
    f.flush().expect("write spin-index.bin");
}
