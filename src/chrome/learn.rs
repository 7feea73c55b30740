//! Batch-learned chrome: lines that recur across many documents of a batch are site furniture.
//!
//! A first pass counts, for each distinct line (by a 64-bit hash of its normalised key), in how
//! many documents it appears. Counts add up the same whatever the order or thread count, so the
//! result is deterministic. Only the hash and a count are kept per line: memory stays compact.
//!
//! Two uses: short lines recurring in many documents are chrome wherever they stand
//! ([`LearnedChrome::is_chrome_key`]); prose recurring in any other document is looked at only at
//! the edges of an article ([`LearnedChrome::recurs_key`], see `chrome::text`).

use crate::text_util::{is_alphanumeric, line_key, push_line_key};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::hash::Hasher;

/// Lines longer than this (in characters) are never chrome by recurrence alone: long prose
/// recurring across documents is more often syndicated copy than chrome.
const MAX_LEARNED_CHARS: usize = 200;
/// A line must recur in at least this many documents ...
const MIN_DOCS: u32 = 3;
/// ... and in at least this share of the batch (per mille) to count as chrome.
const MIN_SHARE_PER_MILLE: u32 = 5;

/// Document frequencies of lines across a batch.
#[derive(Debug, Clone, Default)]
pub struct LearnedChrome {
    counts: FxHashMap<u64, u32>,
    docs: u32,
}

/// The hash under which a line with this [`line_key`] is counted (FxHash: fixed, so the same in
/// every run and thread; a table keyed by it needs no second, keyed hash either). None for an
/// empty key (a line without letters or digits).
fn key_hash(key: &str) -> Option<u64> {
    if key.is_empty() {
        return None;
    }
    let mut h = FxHasher::default();
    h.write(key.as_bytes());
    Some(h.finish())
}

/// Whether a [`line_key`] is short enough for the line to be chrome by recurrence alone (at most
/// [`MAX_LEARNED_CHARS`] characters).
fn is_short_key(key: &str) -> bool {
    key.len() <= MAX_LEARNED_CHARS || key.chars().count() <= MAX_LEARNED_CHARS
}

/// Lines with more letters and digits than this are not counted at all: no paragraph a site
/// repeats is that long, and a single line of megabytes (a minified blob, a broken page) would
/// otherwise have its whole key built for nothing.
const MAX_COUNTED_CHARS: usize = 4000;

/// Whether a line certainly has more than [`MAX_COUNTED_CHARS`] letters and digits, told without
/// building its key (every letter or digit is in the key); prose lines stop the count early.
fn too_long_to_count(line: &str) -> bool {
    if line.len() <= MAX_COUNTED_CHARS {
        return false;
    }
    let mut alphanumeric = 0usize;
    for c in line.chars() {
        alphanumeric += usize::from(is_alphanumeric(c));
        if alphanumeric > MAX_COUNTED_CHARS {
            return true;
        }
    }
    false
}

impl LearnedChrome {
    /// An empty table (nothing is learned).
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts the distinct lines of one document.
    pub fn observe(&mut self, text: &str) {
        let mut seen = FxHashSet::default();
        // One key buffer for all lines: [`line_key`] without an allocation per line.
        let mut key = String::new();
        for line in text.lines() {
            if too_long_to_count(line) {
                continue;
            }
            key.clear();
            push_line_key(&mut key, line);
            if let Some(h) = key_hash(&key) {
                if seen.insert(h) {
                    *self.counts.entry(h).or_default() += 1;
                }
            }
        }
        self.docs += 1;
    }

    /// Adds another table's counts (for parallel passes).
    pub fn merge(mut self, other: LearnedChrome) -> LearnedChrome {
        if self.counts.len() < other.counts.len() {
            return other.merge(self);
        }
        for (k, v) in other.counts {
            *self.counts.entry(k).or_default() += v;
        }
        self.docs += other.docs;
        self
    }

    /// Forgets lines seen in a single document (they can never be chrome); bounds memory.
    pub fn prune(&mut self) {
        self.counts.retain(|_, c| *c > 1);
    }

    /// Number of documents observed.
    pub fn documents(&self) -> u32 {
        self.docs
    }

    /// In how many documents the line appeared.
    pub fn count(&self, line: &str) -> u32 {
        self.count_key(&line_key(line))
    }

    /// [`Self::count`] for a line whose [`line_key`] the caller already has.
    fn count_key(&self, key: &str) -> u32 {
        key_hash(key)
            .and_then(|h| self.counts.get(&h).copied())
            .unwrap_or(0)
    }

    /// Whether the line recurs often enough in the batch to be chrome.
    pub fn is_chrome(&self, line: &str) -> bool {
        self.is_chrome_key(&line_key(line))
    }

    /// [`Self::is_chrome`] for a line whose [`line_key`] the caller already has.
    pub fn is_chrome_key(&self, key: &str) -> bool {
        if self.docs < MIN_DOCS || !is_short_key(key) {
            return false;
        }
        let c = self.count_key(key);
        c >= MIN_DOCS && c * 1000 >= self.docs * MIN_SHARE_PER_MILLE
    }

    /// Whether a line with this [`line_key`] appears in at least one other document of the batch
    /// (the caller's document being one of the batch).
    pub fn recurs_key(&self, key: &str) -> bool {
        self.count_key(key) >= 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recurring_lines_are_learned_in_any_order() {
        let docs = [
            "Home\nWorld\nStory one is here and it is long.\nSubscribe to our newsletter",
            "Home\nWorld\nStory two, a different text entirely.\nSubscribe to our newsletter",
            "Home\nSport\nStory three about football.\nSubscribe to our newsletter",
            "Home\nSport\nStory four.\nSubscribe to our newsletter",
        ];
        let mut a = LearnedChrome::new();
        for d in docs {
            a.observe(d);
        }
        let mut b = LearnedChrome::new();
        for d in docs.iter().rev() {
            b.observe(d);
        }
        for l in [
            "Home",
            "Subscribe to our newsletter",
            "World",
            "Story four.",
        ] {
            assert_eq!(a.is_chrome(l), b.is_chrome(l));
        }
        assert!(a.is_chrome("home"));
        assert!(a.is_chrome("Subscribe to our newsletter"));
        assert!(!a.is_chrome("World"));
        assert!(!a.is_chrome("Story four."));
    }

    /// Long lines are counted (for [`LearnedChrome::recurs_key`]) but never chrome by
    /// recurrence alone, however often they recur; the bound is in characters, not bytes.
    #[test]
    fn long_lines_recur_but_are_not_learned_chrome() {
        let long = format!(
            "{} and so the story goes on.",
            "the council met again ".repeat(9)
        );
        let cyrillic = "д".repeat(150); // 300 bytes, 150 characters: short enough
        let mut t = LearnedChrome::new();
        for i in 0..4 {
            t.observe(&format!("Home\n{long}\n{cyrillic}\nStory {i} only here."));
        }
        assert!(line_key(&long).chars().count() > MAX_LEARNED_CHARS);
        assert!(t.recurs_key(&line_key(&long)));
        assert!(!t.is_chrome(&long));
        assert!(t.is_chrome(&cyrillic));
        assert!(t.is_chrome("Home"));
        assert!(!t.recurs_key(&line_key("Story 2 only here.")));
    }

    /// A line of megabytes is skipped without building its key; prose of ordinary length is not.
    #[test]
    fn only_huge_lines_are_not_counted() {
        let huge = "word ".repeat(MAX_COUNTED_CHARS);
        assert!(too_long_to_count(&huge));
        assert!(!too_long_to_count(&"word ".repeat(MAX_COUNTED_CHARS / 5)));
        assert!(!too_long_to_count(&"- ".repeat(MAX_COUNTED_CHARS)));
        let mut t = LearnedChrome::new();
        for _ in 0..3 {
            t.observe(&format!("{huge}\nHome"));
        }
        assert!(!t.recurs_key(&line_key(&huge)));
        assert!(t.recurs_key(&line_key("Home")));
    }
}
