//! Flattened text to blocks: every non-empty line is a block; blank lines are remembered as gaps.

use super::{Block, BlockKind};
use crate::text_util::{collapse_whitespace, is_collapsed};

/// Splits flattened text into line blocks, whitespace collapsed, bullets kept for the chrome stage.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut gap = true;
    for line in text.split('\n') {
        let collapsed = collapse_whitespace(line);
        if collapsed.is_empty() {
            gap = true;
            continue;
        }
        out.push(Block {
            kind: BlockKind::Line,
            text: collapsed,
            gap_before: gap,
        });
        gap = false;
    }
    out
}

/// Whether `text` is laid out the way chaff writes a cleaned article: one or more lines, each with
/// its whitespace collapsed, separated by exactly one blank line, and a final newline. Flattened
/// pages (one block per line) do not look like this; chaff's own output always does.
pub fn is_article_layout(text: &str) -> bool {
    let Some(body) = text.strip_suffix('\n') else {
        return false;
    };
    // Line by line: paragraphs (non-empty, collapsed) at even positions, blank lines between
    // them, a paragraph last. A flattened page fails on its second line, without a search of the
    // whole text for a blank line.
    let mut last = 0;
    for (i, line) in body.split('\n').enumerate() {
        let ok = if i % 2 == 1 {
            line.is_empty()
        } else {
            !line.is_empty() && is_collapsed(line)
        };
        if !ok {
            return false;
        }
        last = i;
    }
    last % 2 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_layout() {
        assert!(is_article_layout("Title\n\nFirst para.\n\nSecond para.\n"));
        assert!(is_article_layout("Home\n"));
        for not in [
            "",
            "\n",
            "Title\nFirst para.\n",
            "Title\n\n\nFirst para.\n",
            "Title\n\nFirst para.",
            "Title\n\nFirst para.\n\n",
            "\nTitle\n",
            "Title  two\n",
            " Title\n",
        ] {
            assert!(!is_article_layout(not), "{not:?}");
        }
    }

    proptest::proptest! {
        /// The line-by-line test agrees with the definition: the text without its final newline,
        /// split at blank lines, gives paragraphs that are non-empty, one line, collapsed.
        #[test]
        fn article_layout_agrees_with_its_definition(text in "[ab \n\t]{0,16}") {
            let by_definition = text.strip_suffix('\n').is_some_and(|body| {
                !body.is_empty()
                    && body
                        .split("\n\n")
                        .all(|p| !p.is_empty() && !p.contains('\n') && collapse_whitespace(p) == p)
            });
            proptest::prop_assert_eq!(is_article_layout(&text), by_definition, "{:?}", text);
        }
    }

    #[test]
    fn lines_and_gaps() {
        let b = blocks("Title\n\n  First   para.\nSecond para.\n\n\n");
        let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Title", "First para.", "Second para."]);
        assert!(b[1].gap_before);
        assert!(!b[2].gap_before);
    }
}
