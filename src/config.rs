//! Resolved options and thresholds: every default lives here, in one place.

/// Resource limits that keep hostile input bounded; hitting one adds a reason, never a failure.
///
/// The defaults (README, "Resource limits") are far above what real articles need and keep the
/// worst input within about 1 GB of memory and seconds of time per document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest document read, in bytes (after gzip decompression); longer inputs are truncated
    /// (with a reason). In pipeline mode, longer lines and WARC blocks are error records or cut.
    pub max_doc_bytes: usize,
    /// Deepest element nesting: deeper start tags are dropped before parsing (their text is
    /// kept), and extraction flattens deeper subtrees.
    pub max_dom_depth: usize,
    /// Most elements and comments read from one HTML page (the rest is cut before parsing), and
    /// most DOM nodes visited during extraction.
    pub max_dom_nodes: usize,
    /// Most attributes kept on one tag; later ones are dropped before parsing.
    pub max_attributes: usize,
}

impl Limits {
    /// Default largest document: 64 MiB.
    pub const MAX_DOC_BYTES: usize = 64 * 1024 * 1024;
    /// Default deepest nesting: 512 elements.
    pub const MAX_DOM_DEPTH: usize = 512;
    /// Default most elements per page: 2,000,000.
    pub const MAX_DOM_NODES: usize = 2_000_000;
    /// Default most attributes per tag: 100.
    pub const MAX_ATTRIBUTES: usize = 100;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_doc_bytes: Self::MAX_DOC_BYTES,
            max_dom_depth: Self::MAX_DOM_DEPTH,
            max_dom_nodes: Self::MAX_DOM_NODES,
            max_attributes: Self::MAX_ATTRIBUTES,
        }
    }
}

/// Everything a worker needs to process one document, resolved from the command line.
#[derive(Debug, Clone)]
pub struct Config {
    /// Scores at or above this are "keep".
    pub min_score: f64,
    /// Scores below this are "reject"; between the two, "review".
    pub reject_below: f64,
    /// Expected language (ISO 639-3), if the user gave one.
    pub expected_lang: Option<String>,
    /// Learn repeated chrome lines across the batch (text mode).
    pub learn: bool,
    /// Resource limits.
    pub limits: Limits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            // Chosen on the seeds and bench/quality: clean articles land above 0.7,
            // spun or damaged ones below 0.5 (see score.rs for the components).
            min_score: 0.7,
            reject_below: 0.5,
            expected_lang: None,
            learn: true,
            limits: Limits::default(),
        }
    }
}
