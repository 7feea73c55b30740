//! Batch-learned chrome: lines that recur across many documents of a batch are site furniture.
//!
//! A first pass counts, for each distinct short line (by a 64-bit hash of its normalised key), in
//! how many documents it appears. Counts add up the same whatever the order or thread count, so
//! the result is deterministic. Only the hash and a count are kept per line: memory stays compact.

use crate::text_util::{is_alphanumeric, line_key, push_line_key};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::hash::Hasher;

/// Lines longer than this (in characters) are never learned: long prose recurring across documents
/// is more often syndicated copy than chrome.
const MAX_LEARNED_CHARS: usize = 200;
/// A line must recur in at least this many documents ...
const MIN_DOCS: u32 = 3;
/// ... and in at least this share of the batch (per mille) to count as chrome.
const MIN_SHARE_PER_MILLE: u32 = 5;

/// Document frequencies of short lines across a batch.
#[derive(Debug, Clone, Default)]
pub struct LearnedChrome {
    counts: FxHashMap<u64, u32>,
    docs: u32,
}

/// The hash under which a line is counted.
pub fn line_hash(line: &str) -> Option<u64> {
    key_hash(&line_key(line))
}

/// The hash under which a line with this [`line_key`] is counted (FxHash: fixed, so the same in
/// every run and thread; a table keyed by it needs no second, keyed hash either).
fn key_hash(key: &str) -> Option<u64> {
    // A key of more than MAX_LEARNED_CHARS bytes may still be short enough in characters.
    if key.is_empty() || (key.len() > MAX_LEARNED_CHARS && key.chars().count() > MAX_LEARNED_CHARS)
    {
        return None;
    }
    let mut h = FxHasher::default();
    h.write(key.as_bytes());
    Some(h.finish())
}

/// Whether a line's [`line_key`] certainly has more than [`MAX_LEARNED_CHARS`] characters, told
/// without building it: every letter or digit of the line is in its key (lower-cased into one or
/// more characters), so more than that many of them settle it. Prose lines stop the count early.
fn too_long_to_learn(line: &str) -> bool {
    if line.len() <= MAX_LEARNED_CHARS {
        return false;
    }
    let mut alphanumeric = 0usize;
    for c in line.chars() {
        alphanumeric += usize::from(is_alphanumeric(c));
        if alphanumeric > MAX_LEARNED_CHARS {
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
            if too_long_to_learn(line) {
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
        line_hash(line)
            .and_then(|h| self.counts.get(&h).copied())
            .unwrap_or(0)
    }

    /// Whether the line recurs often enough in the batch to be chrome.
    pub fn is_chrome(&self, line: &str) -> bool {
        self.is_chrome_key(&line_key(line))
    }

    /// [`Self::is_chrome`] for a line whose [`line_key`] the caller already has.
    pub fn is_chrome_key(&self, key: &str) -> bool {
        if self.docs < MIN_DOCS {
            return false;
        }
        let c = key_hash(key)
            .and_then(|h| self.counts.get(&h).copied())
            .unwrap_or(0);
        c >= MIN_DOCS && c * 1000 >= self.docs * MIN_SHARE_PER_MILLE
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

    /// Lines skipped without building their key are exactly those whose key is too long.
    #[test]
    fn long_lines_are_skipped_only_when_their_key_is_too_long() {
        let word = "abcd ";
        for n in [39, 40, 41, 60] {
            for line in [
                word.repeat(n),
                "İ".repeat(n * 4),
                format!("{}!!", "a-".repeat(n * 3)),
            ] {
                let key_chars = line_key(&line).chars().count();
                if too_long_to_learn(&line) {
                    assert!(key_chars > MAX_LEARNED_CHARS, "{line}");
                }
                assert_eq!(
                    line_hash(&line).is_none(),
                    key_chars > MAX_LEARNED_CHARS,
                    "{line}"
                );
            }
        }
        // 201 letters in words of one: the key (with its spaces) is too long, the line is not
        // skipped early (the count alone does not show it), and still not learned.
        let spaced = "a ".repeat(150);
        assert!(!too_long_to_learn(&spaced));
        assert!(line_hash(&spaced).is_none());
    }
}
