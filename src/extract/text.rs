//! Flattened text to blocks: every non-empty line is a block; blank lines are remembered as gaps.

use super::{Block, BlockKind};
use crate::text_util::collapse_whitespace;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_gaps() {
        let b = blocks("Title\n\n  First   para.\nSecond para.\n\n\n");
        let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Title", "First para.", "Second para."]);
        assert!(b[1].gap_before);
        assert!(!b[2].gap_before);
    }
}
