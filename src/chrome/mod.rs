//! Chrome: decide which blocks are page furniture rather than article.
//!
//! [`text`] classifies the lines of flattened text; [`patterns`] holds the line patterns (loaded from
//! `data/chrome/line-patterns.tsv`), with a [`prefilter`] of the patterns a line can match; [`learn`] learns lines that recur across a batch of documents.
//! HTML pages are mostly cleaned during extraction (the DOM says more than the lines do).

pub mod learn;
pub mod line_model;
pub mod pattern_store;
pub mod patterns;
pub mod prefilter;
pub mod text;

pub use learn::LearnedChrome;

/// Why a block was judged chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChromeKind {
    /// Menus, breadcrumbs, runs of short link-like lines.
    Navigation,
    /// Share buttons and prompts.
    Share,
    /// Comment prompts and counters.
    Comment,
    /// Teaser lists: other stories' headlines and leads.
    Teaser,
    /// Bylines and author lines.
    Byline,
    /// Dateline-only lines.
    Date,
    /// "3 min read".
    ReadingTime,
    /// Photo captions and credits.
    Caption,
    /// Calls to action: subscribe, click here, scroll to top, ads.
    Promo,
    /// Copyright and footer lines.
    Footer,
    /// Section headings of teaser lists ("Recent News", "More from World").
    SectionHeading,
    /// A repeat of a line already kept (duplicated article copies, repeated headlines).
    Duplicate,
    /// A line that recurs across many documents of the batch.
    Learned,
    /// A short line outside the article's text.
    Outside,
}

impl ChromeKind {
    /// The plural noun used in reasons ("navigation", "share prompts", ...).
    pub fn label(self) -> &'static str {
        match self {
            ChromeKind::Navigation => "navigation",
            ChromeKind::Share => "share prompts",
            ChromeKind::Comment => "comment prompts",
            ChromeKind::Teaser => "teaser list",
            ChromeKind::Byline => "bylines",
            ChromeKind::Date => "dates",
            ChromeKind::ReadingTime => "reading time",
            ChromeKind::Caption => "photo captions",
            ChromeKind::Promo => "calls to action",
            ChromeKind::Footer => "footer",
            ChromeKind::SectionHeading => "section headings",
            ChromeKind::Duplicate => "repeated lines",
            ChromeKind::Learned => "lines repeated across the batch",
            ChromeKind::Outside => "short lines outside the article",
        }
    }

    /// Parses the kind names used in the pattern data file.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "navigation" => ChromeKind::Navigation,
            "share" => ChromeKind::Share,
            "comment" | "comment-zone" => ChromeKind::Comment,
            "teaser" => ChromeKind::Teaser,
            "byline" => ChromeKind::Byline,
            "date" => ChromeKind::Date,
            "reading-time" => ChromeKind::ReadingTime,
            "caption" => ChromeKind::Caption,
            "promo" => ChromeKind::Promo,
            "footer" => ChromeKind::Footer,
            "section-heading" => ChromeKind::SectionHeading,
            _ => return None,
        })
    }
}

/// Counts of removed lines by kind, in a stable order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Removed(pub std::collections::BTreeMap<ChromeKind, usize>);

impl Removed {
    /// Records one removed line.
    pub fn add(&mut self, kind: ChromeKind) {
        *self.0.entry(kind).or_default() += 1;
    }

    /// Total lines removed.
    pub fn total(&self) -> usize {
        self.0.values().sum()
    }

    /// "removed 41 chrome lines: navigation, teaser list, share prompts", most frequent kinds first.
    pub fn reason(&self) -> Option<String> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let mut kinds: Vec<(ChromeKind, usize)> = self.0.iter().map(|(k, v)| (*k, *v)).collect();
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let names: Vec<&str> = kinds.iter().take(5).map(|(k, _)| k.label()).collect();
        let plural = if total == 1 { "line" } else { "lines" };
        Some(format!(
            "removed {total} chrome {plural}: {}",
            names.join(", ")
        ))
    }
}
