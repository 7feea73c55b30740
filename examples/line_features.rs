//! Dumps the chrome stage's per-line features of flattened-text files as TSV, for
//! `scripts/train_line_model.py`. Usage: `cargo run --release --example line_features -- FILE...`
//! Output columns: doc (file stem), line index, one column per feature, the line's text.

use chaff::chrome::text::{training_features, FEATURE_NAMES};
use chaff::input::DocKind;
use std::io::Write;

fn main() {
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    writeln!(out, "doc\tline\t{}\ttext", FEATURE_NAMES.join("\t")).unwrap();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let decoded = chaff::decode::decode(&bytes, DocKind::Text);
        let repaired = chaff::repair::repair(&decoded.text);
        let blocks = chaff::extract::text::blocks(&repaired.text);
        let lang = chaff::detect::language::detect(&repaired.text).map(|g| g.code);
        let stem = std::path::Path::new(&path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .split('.')
            .next()
            .unwrap()
            .to_string();
        for (i, (text, feats)) in training_features(&blocks, lang).into_iter().enumerate() {
            let cols: Vec<String> = feats.iter().map(|f| format!("{f:.5}")).collect();
            writeln!(
                out,
                "{stem}\t{i}\t{}\t{}",
                cols.join("\t"),
                text.replace('\t', " ")
            )
            .unwrap();
        }
    }
}
