//! Extract: turn a decoded page into blocks in reading order.
//!
//! HTML pages go through [`html`] (a byte-level tokenizer and tree builder into an arena DOM, one
//! iterative walk, container scoring); flattened text goes through [`text`] (one block per
//! non-empty line). Both yield [`Block`]s; the chrome stage decides which are article.

pub mod html;
pub mod text;

/// What a block is, as far as the source's structure tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// The page's headline.
    Title,
    /// A heading inside the article.
    Heading,
    /// A paragraph of prose.
    Paragraph,
    /// A list item.
    ListItem,
    /// A block quotation.
    Quote,
    /// A table row, cells separated by tabs.
    TableRow,
    /// Preformatted text.
    Preformatted,
    /// A line of flattened text: its role is unknown until the chrome stage looks at it.
    Line,
}

/// One block of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What the structure says the block is.
    pub kind: BlockKind,
    /// The text, whitespace collapsed, no newlines.
    pub text: String,
    /// For flattened text: a blank line came before this one.
    pub gap_before: bool,
}

impl Block {
    /// A block of the given kind.
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Block {
            kind,
            text: text.into(),
            gap_before: false,
        }
    }
}

/// What a page says about itself (HTML metadata), for the report.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct PageMeta {
    /// The headline, from `og:title`, `<h1>` or `<title>`.
    pub title: Option<String>,
    /// Publication date as declared.
    pub date: Option<String>,
    /// Author as declared.
    pub author: Option<String>,
    /// Site name as declared.
    pub site: Option<String>,
}

/// The article found in a page.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// Article blocks in reading order, the headline first when one was found.
    pub blocks: Vec<Block>,
    /// Metadata the page declares.
    pub meta: PageMeta,
    /// Notes for the report (what was dropped, limits hit).
    pub notes: Vec<String>,
}

/// Joins blocks into the output format: one blank line between blocks, trailing newline.
pub fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        if b.text.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(b.text.trim());
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}
