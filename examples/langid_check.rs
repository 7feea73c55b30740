//! Checks the function-word shortcut of the mixed-language check against whatlang.
//!
//!     cargo run --release --example langid_check -- DIR...
//!
//! For every paragraph of at least 200 bytes of every file in the folders (its first 400 bytes,
//! as the mixed-language check samples it), and every language with a function-word list, asks
//! `language::is_clearly`; where it says "plainly this language" while whatlang reliably says
//! another one (and, in Latin script, with confidence above 0.9: what makes the check count a
//! paragraph as foreign), the shortcut would have changed the answer: such paragraphs are
//! printed, and counted. Run it on cleaned texts (`chaff clean ... -o OUT`, then on OUT).

use chaff::detect::{function_words, language};

fn main() {
    let (mut paragraphs, mut settled, mut contradicted) = (0usize, 0usize, 0usize);
    for dir in std::env::args().skip(1) {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for para in text.split("\n\n").filter(|p| p.len() >= 200) {
                let sample = language::prefix_at_char_boundary(para, 400);
                paragraphs += 1;
                let info = whatlang::detect(sample);
                for code in function_words::codes() {
                    let Some(lang) = whatlang::Lang::from_code(code) else {
                        continue;
                    };
                    if !language::is_clearly(sample, lang) {
                        continue;
                    }
                    settled += 1;
                    let Some(info) = &info else { continue };
                    let other = info.is_reliable() && info.lang() != lang;
                    if other
                        && (info.script() != whatlang::Script::Latin || info.confidence() > 0.9)
                    {
                        contradicted += 1;
                        let head: String = sample.chars().take(100).collect();
                        println!(
                            "{}: plainly {code}, whatlang {} ({:.2}): {head}",
                            path.display(),
                            info.lang().code(),
                            info.confidence()
                        );
                    }
                }
            }
        }
    }
    println!("paragraphs {paragraphs}, settled {settled}, contradicted {contradicted}");
}
