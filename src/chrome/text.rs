//! Chrome removal for flattened text: which lines are the article?
//!
//! Each line gets a class from its shape (length, terminal punctuation, stop-word density), the
//! pattern data (bylines, dates, share prompts, captions...), teaser and breadcrumb shapes, repeats
//! within the document and lines learned across the batch. Each class has a weight; the article is
//! the run of lines with the highest total weight (plus any other run nearly as strong), which
//! lets short subheadings inside the body survive while menus and teaser lists around it do not.
//! The headline is the title-like line just above the body.

use super::{learn::LearnedChrome, line_model as model, patterns, ChromeKind, Removed};
use crate::extract::{Block, BlockKind};
use crate::text_util::{
    ascii_words, is_alphabetic, is_alphanumeric, push_ascii_key_word, push_ascii_line_key,
    push_key_word, stop_words, words, StopList,
};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

/// The article kept from flattened text.
#[derive(Debug, Clone, Default)]
pub struct TextArticle {
    /// Kept blocks: the headline (kind `Title`) first when found, then body lines.
    pub blocks: Vec<Block>,
    /// What was removed.
    pub removed: Removed,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Class {
    /// Long, sentence-like prose.
    Good,
    /// Medium line: a subheading, a short paragraph, a quote.
    Near,
    /// Short line: a link, a label, a heading.
    Short,
    /// Chrome by pattern, shape or batch evidence.
    Bad(ChromeKind),
}

struct Line<'a> {
    text: &'a str,
    key: String,
    /// Word counts, length in units.
    stats: WordStats,
    /// `ln(1 + units)`, the model's measure of length.
    log_units: f64,
    /// Ends like a sentence ([`ends_terminal`]).
    terminal: bool,
    class: Class,
    title_like: bool,
    /// Opens a chrome zone (a comment section).
    zone: bool,
    /// Started with a list bullet.
    bullet: bool,
    /// Heads the boxes after an article ([`is_closing_heading`]).
    closing: bool,
    /// Share of stop words, when the language has a list.
    stop_share: Option<f64>,
}

/// How many further runs are considered after the article's main run.
const MAX_CANDIDATE_RUNS: usize = 8;

/// Largest gap, in lines, between the article's main run and another run that joins it.
const MAX_REGION_GAP: usize = 15;

/// Most short lines kept after a line that introduces a list.
const MAX_LIST_ITEMS: usize = 40;

/// Documents with fewer lines than this are judged with the hand-set weights only.
const MIN_LINES_FOR_MODEL: usize = 12;

/// Inside the article's runs, lines the model gives at least this probability are kept.
/// Chosen with WEIGHT_CENTER on the TRAIN half of the flattened AEB pages (see
/// scripts/train_line_model.py): recall matters as much as precision there.
const KEEP_PROBABILITY: f64 = 0.3;

/// A line's weight in the run search is `(p - WEIGHT_CENTER) * (units + 2)`: lines the model is
/// unsure about still count slightly for the article.
const WEIGHT_CENTER: f64 = 0.4;

/// Lines after a closing heading in which a paragraph shows that the article goes on (the heading
/// was a box of links inside it).
const CLOSING_BOX_LINES: usize = 6;

/// Most chrome lines (byline, date, caption, share bar) between a headline and its article.
const MAX_HEADLINE_TO_BODY: usize = 8;

/// Weight added to the line that repeats the page's title (the headline above the article).
const HEADLINE_ANCHOR: f64 = 15.0;

/// Words that make up date-only lines (data/chrome/date-words.txt).
fn date_words() -> &'static FxHashSet<&'static str> {
    static CELL: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    CELL.get_or_init(|| {
        crate::text_util::data_lines(include_str!("../../data/chrome/date-words.txt")).collect()
    })
}

/// Strips list bullets and decorations from the start of a line.
fn strip_bullet(s: &str) -> (&str, bool) {
    let t = s.trim_start_matches([
        '•', '·', '*', '-', '–', '—', '»', '›', '>', '|', '●', '■', '▪', '◦', '‣', '+',
    ]);
    let t = t.trim_start();
    (t, t.len() != s.len())
}

/// Length in word units: CJK text counts one unit per two characters.
fn units(s: &str) -> f64 {
    words(s).fold(0.0, |u, w| u + word_units(w))
}

/// One word's length in units: 1, or half its CJK characters when it has more than two.
fn word_units(w: &str) -> f64 {
    let cjk = if w.is_ascii() {
        0
    } else {
        w.chars().filter(|c| is_cjk(*c)).count()
    };
    if cjk > 0 {
        (cjk as f64 / 2.0).max(1.0)
    } else {
        1.0
    }
}

/// What one pass over a line's words finds: its length in units and the word counts that its
/// class and its model features are made of.
#[derive(Debug, Clone, Copy, Default)]
struct WordStats {
    /// Length in word units ([`units`]).
    units: f64,
    /// Words ([`words`]).
    words: usize,
    /// Words of at most three characters.
    short: usize,
    /// Words in the language's stop list (0 when it has none).
    stops: usize,
    /// Words that start with a letter ...
    lettered: usize,
    /// ... of those, the capitalised ones ...
    caps: usize,
    /// ... and those of two or more characters with no lower-case letter.
    allcaps: usize,
}

impl WordStats {
    /// Counts the words of `text` and appends its [`crate::text_util::line_key`] to `key`.
    fn of(text: &str, stop_list: Option<&StopList>, key: &mut String) -> Self {
        let mut st = WordStats::default();
        if text.is_ascii() {
            // Most lines: their words found by bytes (the same words), the key built in the
            // same pass.
            push_ascii_line_key(key, text, |w, lowered| {
                st.count_ascii(w.as_bytes());
                if let Some(sw) = stop_list {
                    st.stops += usize::from(sw.contains(lowered));
                }
            });
            return st;
        }
        for w in words(text) {
            if w.is_ascii() {
                st.add_ascii(w, stop_list, key);
                continue;
            }
            st.words += 1;
            push_key_word(key, w);
            st.units += word_units(w);
            let n = w.chars().count();
            st.short += usize::from(n <= 3);
            if w.chars().next().is_some_and(is_alphabetic) {
                st.lettered += 1;
                st.caps += usize::from(w.chars().next().is_some_and(char::is_uppercase));
                st.allcaps += usize::from(n > 1 && w.chars().all(|c| !c.is_lowercase()));
            }
            if let Some(sw) = stop_list {
                st.stops += usize::from(sw.contains(w.to_lowercase().as_str()));
            }
        }
        st
    }

    /// Counts one ASCII word and appends it to `key` ([`push_ascii_key_word`]).
    #[inline]
    fn add_ascii(&mut self, w: &str, stop_list: Option<&StopList>, key: &mut String) {
        let start = push_ascii_key_word(key, w);
        self.count_ascii(w.as_bytes());
        if let Some(sw) = stop_list {
            // The key holds the word lower-cased.
            self.stops += usize::from(sw.contains(&key[start..]));
        }
    }

    /// Counts one ASCII word (all but the stop words).
    #[inline]
    fn count_ascii(&mut self, b: &[u8]) {
        self.words += 1;
        self.units += 1.0;
        self.short += usize::from(b.len() <= 3);
        if b[0].is_ascii_alphabetic() {
            self.lettered += 1;
            self.caps += usize::from(b[0].is_ascii_uppercase());
            self.allcaps += usize::from(b.len() > 1 && !b.iter().any(u8::is_ascii_lowercase));
        }
    }

    /// Share of words of at most three characters.
    fn short_share(&self) -> f64 {
        share(self.short, self.words)
    }
}

/// `part / whole`, 0 for an empty whole.
fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF)
}

/// The line's last meaningful character, skipping closing quotes and brackets.
fn last_char(s: &str) -> Option<char> {
    if s.is_ascii() {
        // The same by bytes: ASCII white space, then the ASCII closers of the list below.
        let b = s.as_bytes();
        let end = b.len()
            - b.iter()
                .rev()
                .take_while(|c| c.is_ascii_whitespace() || **c == 0x0B)
                .count();
        return b[..end]
            .iter()
            .rev()
            .find(|c| !matches!(c, b'"' | b'\'' | b')' | b']' | b'*'))
            .map(|&c| char::from(c));
    }
    s.trim_end()
        .trim_end_matches(['"', '”', '’', '\'', ')', ']', '»', '」', '』', '）', '*'])
        .chars()
        .last()
}

fn ends_terminal(s: &str) -> bool {
    matches!(
        last_char(s),
        Some('.' | '!' | '?' | '。' | '！' | '？' | ':' | ';' | '؟' | '।')
    )
}

fn ends_ellipsis(s: &str) -> bool {
    before_ellipsis(s).is_some()
}

/// What comes before the ellipsis ("..." or "…") that ends `s`, if one does.
fn before_ellipsis(s: &str) -> Option<&str> {
    let t = s.trim_end();
    t.strip_suffix("...").or_else(|| t.strip_suffix('…'))
}

/// Whether `s` ends with an ellipsis set off by a space ("But here's the catch …"): a writer's
/// pause before the next paragraph, where a lead cut short for a teaser has the ellipsis glued to
/// its last word ("… the mayor said…"). On the flattened aeb pages, 14 of 30 spaced ellipsis
/// lines belong to the article, 6 of 119 glued ones.
fn ends_with_pause(s: &str) -> bool {
    before_ellipsis(s).is_some_and(|before| before.ends_with(char::is_whitespace))
}

/// Whether `s` is a date-only line. `key` is its line key: for an ASCII line, its words already
/// lower-cased (the same words, with no allocation per word).
fn is_date_line(s: &str, key: &str) -> bool {
    if s.is_ascii() {
        return is_date_words(key.split(' ').filter(|w| !w.is_empty()));
    }
    is_date_words(words(s).map(str::to_lowercase))
}

/// [`is_date_line`] on a line's lower-cased words.
fn is_date_words<W: AsRef<str>>(words: impl Iterator<Item = W>) -> bool {
    let mut n = 0;
    let mut digits = false;
    for lw in words {
        n += 1;
        if n > 16 {
            return false;
        }
        let lw = lw.as_ref().trim_end_matches('.');
        if lw.len() == lw.bytes().filter(u8::is_ascii_digit).count() {
            digits = true;
            continue;
        }
        let stem = lw.trim_start_matches(|c: char| c.is_ascii_digit());
        if stem.len() < lw.len() {
            digits = true;
        }
        if !date_words().contains(stem) {
            return false;
        }
    }
    n > 0 && digits
}

fn is_breadcrumb(s: &str) -> bool {
    // Every separator has one of these characters: lines without them are no breadcrumbs (and
    // skip seven substring searches).
    let ascii = s.is_ascii();
    let has_sep = if ascii {
        s.bytes().any(|b| matches!(b, b'/' | b'>' | b'|' | b':'))
    } else {
        s.contains(['/', '>', '»', '›', '|', ':', '→'])
    };
    if !has_sep {
        return false;
    }
    // ASCII text holds none of the non-ASCII separators.
    let seps: &[&str] = if ascii {
        &[" / ", " > ", " | ", " :: "]
    } else {
        &[" / ", " > ", " » ", " › ", " | ", " :: ", " → "]
    };
    let count: usize = seps.iter().map(|p| s.matches(p).count()).sum();
    if count == 0 {
        return false;
    }
    // Segments are short labels, not prose.
    let segments = s
        .split(['/', '>', '»', '›', '|', '→'])
        .filter(|x| !x.trim().is_empty())
        .count();
    count >= 2
        || (segments >= 2
            && units(s) <= 14.0
            && s.split(['/', '>', '»', '›', '|', '→'])
                .next()
                .is_some_and(|first| units(first) <= 3.0))
}

fn title_like(s: &str, u: f64) -> bool {
    (3.0..=30.0).contains(&u)
        && !matches!(last_char(s), Some('.' | ',' | ';' | ':'))
        && !ends_ellipsis(s)
        && s.chars().next().is_some_and(|c| {
            c.is_uppercase()
                || c.is_numeric()
                || matches!(c, '"' | '“' | '‘' | '\'')
                || !is_alphabetic(c)
                || is_cjk(c)
        })
}

fn classify_line<'a>(raw: &'a str, lang: Option<&str>, learned: &LearnedChrome) -> Line<'a> {
    let (text, bullet) = strip_bullet(raw);
    let stop_list = lang.and_then(stop_words);
    let mut key = String::with_capacity(text.len());
    let stats = WordStats::of(text, stop_list, &mut key);
    let u = stats.units;
    let title = !bullet && title_like(text, u);
    let matched = patterns::match_line_full(text);
    let stop_share = stop_list.map(|_| share(stats.stops, stats.words));
    let terminal = ends_terminal(text);
    let class = if let Some(m) = matched {
        Class::Bad(m.kind)
    } else if ends_ellipsis(text) && !ends_with_pause(text) && u >= 4.0 {
        Class::Bad(ChromeKind::Teaser)
    } else if u <= 12.0 && is_date_line(text, &key) {
        Class::Bad(ChromeKind::Date)
    } else if u <= 20.0 && is_breadcrumb(text) {
        Class::Bad(ChromeKind::Navigation)
    } else {
        let stop_ok = stop_share.is_none_or(|s| s >= 0.15);
        // Long lines without a full stop must still read as prose, not as a keyword list:
        // prose in most languages has many short (function) words.
        let prose_like = terminal
            || stats.short_share() >= 0.2
            || (!text.is_ascii() && text.chars().any(is_cjk));
        let shape = if u >= 12.0 && (terminal || u >= 25.0) && stop_ok && prose_like {
            Class::Good
        } else if (u >= 6.0 || (terminal && u >= 4.0)) && !bullet {
            Class::Near
        } else {
            Class::Short
        };
        if shape != Class::Good && learned.is_chrome_key(&key) {
            Class::Bad(ChromeKind::Learned)
        } else {
            shape
        }
    };
    let zone = matched.is_some_and(|m| m.starts_zone);
    let closing = is_closing_heading(&key);
    Line {
        text,
        key,
        stats,
        log_units: (1.0 + u).ln(),
        terminal,
        class,
        title_like: title,
        zone,
        bullet,
        closing,
        stop_share,
    }
}

/// Whether a line whose key ([`crate::text_util::line_key`]) is `key` is a heading of the boxes
/// after an article, in one of the languages of data/chrome/closing-headings.txt.
fn is_closing_heading(key: &str) -> bool {
    static CELL: OnceLock<FxHashSet<String>> = OnceLock::new();
    key.len() <= 60
        && CELL
            .get_or_init(|| {
                crate::text_util::data_lines(include_str!("../../data/chrome/closing-headings.txt"))
                    .map(crate::text_util::line_key)
                    .collect()
            })
            .contains(key)
}

/// Whether a run of lines looks like a teaser list: most of its prose lines stand alone between
/// short lines (headline, author, date) instead of following one another as paragraphs do.
fn looks_like_teaser_list(lines: &[Line], s: usize, e: usize) -> bool {
    let good: Vec<usize> = (s..=e).filter(|&i| lines[i].class == Class::Good).collect();
    if good.len() < 3 {
        return false;
    }
    let good_at = |i: usize| lines[i].class == Class::Good;
    let isolated = good
        .iter()
        .filter(|&&i| !((i > s && good_at(i - 1)) || (i < e && good_at(i + 1))))
        .count();
    isolated * 2 > good.len()
}

fn weight(line: &Line) -> f64 {
    match line.class {
        // Prose ends its sentences; a long line that does not is more often a footer or a list.
        Class::Good if line.terminal => line.stats.units,
        Class::Good => 0.5 * line.stats.units,
        Class::Near => 0.3 * line.stats.units,
        Class::Short => -2.0 - 0.3 * line.stats.units,
        Class::Bad(ChromeKind::SectionHeading) => -12.0,
        Class::Bad(ChromeKind::Duplicate | ChromeKind::Teaser) => -line.stats.units.max(4.0),
        Class::Bad(_) => -4.0 - 0.5 * line.stats.units,
    }
}

/// Names of the features [`line_features`] computes, in order (the model file refers to them by name).
pub const FEATURE_NAMES: &[&str] = &[
    "units",
    "chars",
    "terminal",
    "ellipsis",
    "colon_end",
    "stop_share",
    "has_stop_list",
    "short_share",
    "cap_share",
    "allcaps_share",
    "digit_share",
    "punct_share",
    "title_like",
    "bullet",
    "pattern",
    "pat_caption",
    "pat_byline_date",
    "pat_share_comment",
    "pat_nav",
    "teaser",
    "duplicate",
    "learned",
    "pos",
    "pos2",
    "prev_units",
    "next_units",
    "prev_terminal",
    "next_terminal",
    "win_good",
    "win_units",
    "after_anchor",
    "near_anchor",
    "good",
    "near",
    "short",
    "pipe",
    "url",
    "after_comment_header",
    "after_comment_headers",
    "after_closing",
    "next_caption",
];

/// For each byte, what [`char_counts`] adds for it when it is an ASCII character: 1 in the low
/// 32 bits for a digit, 1 in the high 32 bits for punctuation (neither alphanumeric nor ASCII
/// white space as `char::is_whitespace` has it); 0 for bytes of non-ASCII characters.
const ASCII_COUNTS: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_digit() {
            t[b] = 1;
        } else if !c.is_ascii_alphanumeric() && !matches!(c, b'\t'..=b'\r' | b' ') {
            t[b] = 1 << 32;
        }
        b += 1;
    }
    t
};

/// Characters, ASCII digits and punctuation (neither alphanumeric nor white space) in `text`.
fn char_counts(text: &str) -> (usize, usize, usize) {
    let b = text.as_bytes();
    // Digits and punctuation of the ASCII bytes, summed in the two halves of one word (a line
    // has fewer than 2^32 bytes of either: it is cut to the document limit long before).
    let packed = |bytes: &[u8]| {
        bytes
            .iter()
            .fold(0u64, |acc, &c| acc + ASCII_COUNTS[c as usize])
    };
    if text.is_ascii() {
        let acc = packed(b);
        return (b.len(), (acc & 0xFFFF_FFFF) as usize, (acc >> 32) as usize);
    }
    // ASCII bytes counted as above, other characters decoded.
    let (mut chars, mut acc, mut other_punct) = (0usize, 0u64, 0usize);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii() {
            chars += 1;
            acc += ASCII_COUNTS[c as usize];
            i += 1;
            continue;
        }
        let Some(ch) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        chars += 1;
        other_punct += usize::from(!is_alphanumeric(ch) && !ch.is_whitespace());
        i += ch.len_utf8();
    }
    (
        chars,
        (acc & 0xFFFF_FFFF) as usize,
        (acc >> 32) as usize + other_punct,
    )
}

/// Number of features per line ([`FEATURE_NAMES`]).
const N_FEATURES: usize = FEATURE_NAMES.len();

/// The feature vector of line `i`, in [`FEATURE_NAMES`] order.
fn line_features(
    lines: &[Line],
    i: usize,
    anchor: Option<usize>,
    after: &[After],
) -> [f64; N_FEATURES] {
    let l = &lines[i];
    let n = lines.len().max(1) as f64;
    let text = l.text;
    let (chars, digits, punct) = char_counts(text);
    let chars = chars.max(1) as f64;
    let digits = digits as f64 / chars;
    let punct = punct as f64 / chars;
    let st = &l.stats;
    let kind = match l.class {
        Class::Bad(k) => Some(k),
        _ => None,
    };
    let is = |ks: &[ChromeKind]| kind.is_some_and(|k| ks.contains(&k)) as u8 as f64;
    let good = |c: Class| c == Class::Good;
    let lu = |j: usize| lines[j].log_units;
    // The window: up to three lines on either side, in line order.
    let lo = i.saturating_sub(3);
    let hi = (i + 3).min(lines.len() - 1);
    let (mut win_good, mut win_units) = (0usize, 0.0);
    for (j, lj) in lines[lo..=hi].iter().enumerate() {
        if lo + j != i {
            win_good += usize::from(good(lj.class));
            win_units += lj.log_units;
        }
    }
    let wn = (hi - lo).max(1) as f64;
    let b = |x: bool| x as u8 as f64;
    [
        lu(i),
        chars.ln(),
        b(l.terminal),
        b(ends_ellipsis(text)),
        b(text.trim_end().ends_with(':')),
        l.stop_share.unwrap_or(0.0),
        b(l.stop_share.is_some()),
        st.short_share(),
        share(st.caps, st.lettered),
        share(st.allcaps, st.lettered),
        digits,
        punct,
        b(l.title_like),
        b(l.bullet),
        b(kind.is_some_and(|k| k != ChromeKind::Duplicate && k != ChromeKind::Learned)),
        is(&[ChromeKind::Caption]),
        is(&[
            ChromeKind::Byline,
            ChromeKind::Date,
            ChromeKind::ReadingTime,
        ]),
        is(&[ChromeKind::Share, ChromeKind::Comment]),
        is(&[
            ChromeKind::Navigation,
            ChromeKind::SectionHeading,
            ChromeKind::Promo,
            ChromeKind::Footer,
        ]),
        is(&[ChromeKind::Teaser]),
        is(&[ChromeKind::Duplicate]),
        is(&[ChromeKind::Learned]),
        i as f64 / n,
        (i as f64 / n).powi(2),
        if i > 0 { lu(i - 1) } else { 0.0 },
        if i + 1 < lines.len() { lu(i + 1) } else { 0.0 },
        b(i > 0 && lines[i - 1].terminal),
        b(i + 1 < lines.len() && lines[i + 1].terminal),
        win_good as f64 / wn,
        win_units / wn,
        b(anchor.is_some_and(|a| i > a)),
        anchor
            .map(|a| (-(i.abs_diff(a) as f64) / 20.0).exp())
            .unwrap_or(0.0),
        b(l.class == Class::Good),
        b(l.class == Class::Near),
        b(l.class == Class::Short),
        b(text.contains('|')),
        b(looks_like_url(text)),
        b(after[i].comment_headers >= 1),
        b(after[i].comment_headers >= 2),
        b(after[i].closing),
        // A photo credit or caption right below: the line is the photo's caption.
        b(i + 1 < lines.len() && lines[i + 1].class == Class::Bad(ChromeKind::Caption)),
    ]
}

/// What comes before a line after the page's first paragraph: comment headers (lines that open
/// a zone) and closing headings ("Related articles") not followed closely by a paragraph (as in
/// the closing-heading rule of [`classify`]). Comments and boxes of other stories follow an
/// article.
#[derive(Debug, Clone, Copy, Default)]
struct After {
    /// Comment headers before the line (at most 2 counted).
    comment_headers: u8,
    /// A closing heading comes before the line.
    closing: bool,
}

/// [`After`] for every line.
fn after_marks(lines: &[Line]) -> Vec<After> {
    let mut out = Vec::with_capacity(lines.len());
    let mut cur = After::default();
    let mut seen_good = false;
    for (i, l) in lines.iter().enumerate() {
        out.push(cur);
        if seen_good {
            if l.zone {
                cur.comment_headers = (cur.comment_headers + 1).min(2);
            }
            cur.closing |= is_unanswered_closing(lines, i);
        }
        seen_good |= l.class == Class::Good;
    }
    out
}

/// Whether line `i` is a closing heading ("Related articles") that no paragraph follows within
/// [`CLOSING_BOX_LINES`] lines: it closes the article rather than heading a box of links inside it.
fn is_unanswered_closing(lines: &[Line], i: usize) -> bool {
    lines[i].closing
        && !lines[i + 1..]
            .iter()
            .take(CLOSING_BOX_LINES)
            .any(|l| l.class == Class::Good)
}

/// Whether a line holds a web or mail address: "http", "www." or '@'.
fn looks_like_url(text: &str) -> bool {
    let b = text.as_bytes();
    if memchr::memchr(b'@', b).is_some() {
        return true;
    }
    // Lines are short: a scan for the two first letters beats a substring searcher's set-up.
    memchr::memchr2_iter(b'h', b'w', b).any(|at| {
        let rest = &b[at..];
        rest.starts_with(b"http") || rest.starts_with(b"www.")
    })
}

/// Feature vectors of every line of a flattened text, for training the line model
/// (`scripts/train_line_model.py`). Returns each line's text with its features.
pub fn training_features(blocks: &[Block], lang: Option<&str>) -> Vec<(String, Vec<f64>)> {
    let learned = LearnedChrome::new();
    let lines = analyse(blocks, lang, &learned);
    let anchor = headline_anchor(&lines);
    let after = after_marks(&lines);
    (0..lines.len())
        .map(|i| {
            let f = line_features(&lines, i, anchor, &after);
            (lines[i].text.to_string(), f.to_vec())
        })
        .collect()
}

/// Line weights from the hand-set class weights (used when no line model is embedded).
fn heuristic_weights(lines: &[Line], anchor: Option<usize>) -> Vec<f64> {
    let mut weights: Vec<f64> = lines.iter().map(weight).collect();
    // A headline-like line counts for the article only when a paragraph follows it; in a list of
    // teaser headlines it counts against.
    for i in 0..lines.len() {
        if lines[i].class == Class::Near
            && !lines[i].terminal
            && !next_is_good(lines, i, lines.len() - 1)
        {
            weights[i] = -1.0 - 0.2 * lines[i].stats.units;
        }
    }
    if let Some(a) = anchor {
        weights[a] += HEADLINE_ANCHOR;
    }
    weights
}

/// The maximum-weight run of lines among those not yet taken: `(start, end_inclusive, weight)`.
fn best_run(weights: &[f64], taken: &[bool]) -> Option<(usize, usize, f64)> {
    let mut best: Option<(usize, usize, f64)> = None;
    let mut start = 0;
    let mut sum = 0.0;
    for i in 0..weights.len() {
        if taken[i] {
            sum = 0.0;
            start = i + 1;
            continue;
        }
        if sum <= 0.0 {
            sum = 0.0;
            start = i;
        }
        sum += weights[i];
        if best.is_none_or(|b| sum > b.2) {
            best = Some((start, i, sum));
        }
    }
    best.filter(|b| b.2 > 0.0)
}

/// Each line classified by itself ([`classify_line`]).
fn classify_lines<'a>(
    blocks: &'a [Block],
    lang: Option<&str>,
    learned: &LearnedChrome,
) -> Vec<Line<'a>> {
    blocks
        .iter()
        .map(|b| classify_line(&b.text, lang, learned))
        .collect()
}

/// Classifies every line and marks teaser headlines and repeats.
fn analyse<'a>(blocks: &'a [Block], lang: Option<&str>, learned: &LearnedChrome) -> Vec<Line<'a>> {
    let mut lines = classify_lines(blocks, lang, learned);

    // Teaser lists: the title-like line above a lead that ends in an ellipsis is the teaser's headline.
    for i in 1..lines.len() {
        if lines[i].class == Class::Bad(ChromeKind::Teaser)
            && matches!(lines[i - 1].class, Class::Short | Class::Near)
            && lines[i - 1].title_like
        {
            lines[i - 1].class = Class::Bad(ChromeKind::Teaser);
        }
    }

    // Repeats: later copies of a line (duplicated article copies, repeated headlines) are chrome;
    // short lines that occur more than once (share bars, labels, menus) are chrome in every copy.
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    for l in &lines {
        if l.key.len() >= 4 {
            *counts.entry(l.key.as_str()).or_default() += 1;
        }
    }
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let duplicate: Vec<bool> = lines
        .iter()
        .map(|l| {
            let repeated = counts.get(l.key.as_str()).is_some_and(|&c| c > 1);
            if !repeated || matches!(l.class, Class::Bad(_)) {
                return false;
            }
            let later = !seen.insert(l.key.as_str());
            later || l.class != Class::Good
        })
        .collect();
    for (l, dup) in lines.iter_mut().zip(duplicate) {
        if dup {
            l.class = Class::Bad(ChromeKind::Duplicate);
        }
    }

    lines
}

/// The line that repeats the page's `<title>` (flattened pages often start with it), if any.
fn headline_anchor(lines: &[Line]) -> Option<usize> {
    let first = lines.first().filter(|l| l.stats.units <= 40.0)?;
    lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| l.key.len() >= 15 && l.title_like && first.key.contains(l.key.as_str()))
        .map(|(i, _)| i)
}

/// Whether the headline anchor at `a` repeats the whole page title (line 0), not a fragment of
/// it that may head a section: it is the title's first part before a site-name separator
/// ("Headline - Site", "Headline | Site"), or at least 60% of the title's length.
fn is_full_headline(lines: &[Line], a: usize) -> bool {
    let (first, anchor) = (&lines[0], &lines[a]);
    // A headline is followed by its article's first paragraph, with at most a few chrome or short
    // lines (byline, author, date, caption, share bar) between; a title repeated in a list of related stories is not.
    let body = lines[a + 1..]
        .iter()
        .take(MAX_HEADLINE_TO_BODY)
        .position(|l| !matches!(l.class, Class::Bad(_) | Class::Short));
    if !body.is_some_and(|b| lines[a + 1 + b].class == Class::Good) {
        return false;
    }
    if anchor.key.len() * 5 >= first.key.len() * 3 {
        return true;
    }
    let head = [" - ", " | ", " – ", " — ", " : "]
        .iter()
        .filter_map(|sep| first.text.find(sep))
        .min()
        .map(|at| crate::text_util::line_key(&first.text[..at]));
    head.is_some_and(|h| h == anchor.key)
}

/// Text laid out as a cleaned article ([`crate::extract::text::is_article_layout`]: chaff's own
/// output, or text already in that form) is kept whole, each line as it stands, when no line
/// after the first is chrome by itself ([`standalone_chrome`]): such text is already an article,
/// and judging its lines again by their neighbours would drop lines the first cleaning kept once
/// the chrome around them is gone. The first line is the headline when it is title-like (a
/// headline may read as navigation: "Home | News").
/// `None` when some line is chrome: then [`classify`] judges the text like any other.
pub fn classify_article_layout(
    blocks: &[Block],
    lang: Option<&str>,
    learned: &LearnedChrome,
) -> Option<TextArticle> {
    let lines = analyse(blocks, lang, learned);
    if !chrome_after_first(&lines).is_empty() {
        return None;
    }
    let first = lines.first()?;
    let title = first.title_like && first.class != Class::Good;
    let blocks = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let kind = if i == 0 && title {
                BlockKind::Title
            } else {
                BlockKind::Paragraph
            };
            Block::new(kind, b.text.as_str())
        })
        .collect();
    Some(TextArticle {
        blocks,
        removed: Removed::default(),
    })
}

/// The blocks after the first that are chrome by themselves, with their kind: a pattern, a date
/// or breadcrumb line, a line learned across the batch (not the kinds judged by their
/// neighbours; see [`standalone`]). The first block is left out: it is the headline, which may read as navigation.
/// This is the test [`classify_article_layout`] applies; the HTML route drops such blocks too,
/// so that its output cleaned again as text is kept whole.
pub fn standalone_chrome(
    blocks: &[Block],
    lang: Option<&str>,
    learned: &LearnedChrome,
) -> Vec<(usize, ChromeKind)> {
    // Marking teasers and repeats ([`analyse`]) only turns lines that are not chrome into
    // teasers or duplicates, kinds that [`standalone`] leaves out: the lines' own classes give
    // the same answer. A sentence is never chrome by itself, whatever its class: most lines of
    // an article are, and they are not classified at all.
    blocks
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, b)| !is_sentence(strip_bullet(&b.text).0))
        .filter_map(|(i, b)| {
            let l = classify_line(&b.text, lang, learned);
            match l.class {
                Class::Bad(k) if standalone(k, &l) => Some((i, k)),
                _ => None,
            }
        })
        .collect()
}

/// Whether a line (bullet stripped) is a sentence in the sense of [`standalone`]: it ends like
/// one and is at least six units long. Counts at most six words, with no key or statistics: each
/// word is at least one unit ([`word_units`]), so six words are six units or more.
fn is_sentence(text: &str) -> bool {
    ends_terminal(text)
        && if text.is_ascii() {
            ascii_words(text).nth(5).is_some()
        } else {
            words(text).nth(5).is_some()
        }
}

/// Whether a line classed as chrome of kind `k` is chrome without its neighbours: not a repeat,
/// a teaser or a section heading (all judged by what surrounds them: prose may end in "…", and
/// "More questions for your opponent" or "See it now: Amazon" head article sections as often as
/// teaser lists), and not a sentence of six words or more.
fn standalone(k: ChromeKind, l: &Line) -> bool {
    let judged_by_context = matches!(
        k,
        ChromeKind::Duplicate | ChromeKind::Teaser | ChromeKind::SectionHeading
    );
    let sentence = l.stats.units >= 6.0 && l.terminal;
    !(judged_by_context || sentence)
}

fn chrome_after_first(lines: &[Line]) -> Vec<(usize, ChromeKind)> {
    lines
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(i, l)| match l.class {
            Class::Bad(k) if standalone(k, l) => Some((i, k)),
            _ => None,
        })
        .collect()
}

/// Picks the article's lines out of flattened text.
pub fn classify(blocks: &[Block], lang: Option<&str>, learned: &LearnedChrome) -> TextArticle {
    let lines = analyse(blocks, lang, learned);
    let anchor = headline_anchor(&lines);
    // The model learned from whole pages; a handful of lines (an already-clean record, a snippet)
    // is outside what it saw, and the hand-set weights judge it better.
    let model = model::get().filter(|_| lines.len() >= MIN_LINES_FOR_MODEL);
    let probs: Option<Vec<f64>> = model.map(|m| {
        let after = after_marks(&lines);
        let feats: Vec<[f64; N_FEATURES]> = (0..lines.len())
            .map(|i| line_features(&lines, i, anchor, &after))
            .collect();
        let mut p = m.probabilities(&feats);
        // Later copies of a kept line are never article text, whatever the model says.
        for (pi, l) in p.iter_mut().zip(&lines) {
            if l.class == Class::Bad(ChromeKind::Duplicate) {
                *pi = 0.0;
            }
        }
        p
    });
    let weights: Vec<f64> = match &probs {
        Some(p) => (0..lines.len())
            .map(|i| (p[i] - WEIGHT_CENTER) * (lines[i].stats.units + 2.0))
            .collect(),
        None => heuristic_weights(&lines, anchor),
    };
    let mut taken = vec![false; lines.len()];
    // The page's headline repeated in full, followed closely by a paragraph, opens the article:
    // what comes before it is the page's head (menus, lists of other stories).
    if let Some(a) = anchor.filter(|&a| is_full_headline(&lines, a)) {
        taken[..=a].fill(true);
        if best_run(&weights, &taken).is_none() {
            taken.fill(false);
        }
    }
    let mut regions: Vec<(usize, usize, f64)> = Vec::new();
    if let Some(first) = best_run(&weights, &taken) {
        // A run inside a comment thread is a comment (a short post can have long comments): the
        // article is the best run before the thread.
        let first = match comment_thread_before(&lines, first) {
            Some(z) => {
                // The best run before the thread when it holds a paragraph, else the paragraph
                // the model doubts least (a post of a line or two among menus).
                let mut before = taken.clone();
                before[z..].fill(true);
                best_run(&weights, &before)
                    .filter(|r| (r.0..=r.1).any(|i| lines[i].class == Class::Good))
                    .or_else(|| {
                        (0..z)
                            .filter(|&i| !before[i] && lines[i].class == Class::Good)
                            .map(|i| (i, i, weights[i]))
                            .max_by(|a, b| a.2.total_cmp(&b.2))
                    })
                    .unwrap_or(first)
            }
            None => first,
        };
        // A comment section (two or more comment headers after the article starts) ends the article.
        let zone_starts: Vec<usize> = (first.0..lines.len()).filter(|&i| lines[i].zone).collect();
        let limit = if zone_starts.len() >= 2 {
            zone_starts[0]
        } else {
            lines.len()
        };
        for t in taken.iter_mut().skip(limit) {
            *t = true;
        }
        let first = if first.1 >= limit {
            best_run(&weights, &taken).unwrap_or(first)
        } else {
            first
        };
        // The first closing heading ("Related articles", "You may also like") after the
        // article's first paragraph ends the article when no paragraph follows it closely: what
        // follows is a list of other pages or a comment thread. A box of a few links inside the
        // article ("Related stories" and three headlines) is followed by the article's next paragraph.
        let mut first = first;
        let closing = (first.0 + 1..=first.1).find(|&i| {
            is_unanswered_closing(&lines, i) && (first.0..i).any(|j| lines[j].class == Class::Good)
        });
        if let Some(c) = closing {
            first.1 = c - 1;
            taken[c..].fill(true);
        }
        let floor = (first.2 * 0.3).max(30.0);
        regions.push(first);
        for t in taken.iter_mut().take(first.1 + 1).skip(first.0) {
            *t = true;
        }
        // Other strong runs close to the article (an article split by an ad or a related box).
        // Each search is linear; a bounded number of candidates keeps the whole stage linear.
        let mut candidates = 0;
        while let Some(r) = best_run(&weights, &taken) {
            candidates += 1;
            if r.2 < floor || regions.len() >= 4 || candidates > MAX_CANDIDATE_RUNS {
                break;
            }
            for t in taken.iter_mut().take(r.1 + 1).skip(r.0) {
                *t = true;
            }
            let gap = regions
                .iter()
                .map(|q| {
                    if r.0 > q.1 {
                        r.0 - q.1
                    } else {
                        q.0.saturating_sub(r.1)
                    }
                })
                .min()
                .unwrap_or(0);
            if gap <= MAX_REGION_GAP && !looks_like_teaser_list(&lines, r.0, r.1) {
                regions.push(r);
            }
        }
    }
    regions.sort_by_key(|r| r.0);

    let mut keep = vec![false; lines.len()];
    for &(s, e, _) in &regions {
        for i in s..=e {
            keep[i] = match (&probs, lines[i].class) {
                (_, Class::Bad(_)) => false,
                (Some(p), c) => p[i] >= KEEP_PROBABILITY || c == Class::Good,
                (None, Class::Good) => true,
                (None, Class::Near) if lines[i].terminal => true,
                // A headline-like line is a subheading only when a paragraph follows it.
                (None, Class::Near) => next_is_good(&lines, i, e),
                (None, Class::Short) => short_is_inside_prose(&lines, i, s, e),
            };
        }
    }

    keep_introduced_lists(&lines, &regions, &mut keep);
    keep_patterned_lists(&lines, &regions, &mut keep);
    let shared = drop_shared_edges(&lines, learned, &mut keep);

    if debug_enabled() {
        for (i, l) in lines.iter().enumerate() {
            let region = regions.iter().position(|r| (r.0..=r.1).contains(&i));
            eprintln!(
                "{i:4} {:>6.1} {:<22} {} {:?} {}",
                weights[i],
                format!("{:?}", l.class),
                if keep[i] { 'K' } else { '.' },
                region,
                l.text.chars().take(90).collect::<String>()
            );
        }
    }

    // The headline: the region's first line when it is title-like, else the nearest title-like
    // line above the body (skipping bylines, dates, captions and other chrome).
    let mut title: Option<usize> = None;
    if let Some(&(s, _, _)) = regions.first() {
        let first_kept = (s..lines.len()).find(|&i| keep[i]);
        if let Some(f) = first_kept {
            if lines[f].title_like && lines[f].class != Class::Good {
                title = Some(f);
            }
        }
        if title.is_none() {
            let mut i = s;
            let mut steps = 0;
            let mut standfirst: Option<usize> = None;
            while i > 0 && steps < 10 {
                i -= 1;
                steps += 1;
                let l = &lines[i];
                match l.class {
                    // One paragraph between the headline and the body (separated from the body by
                    // a date, a caption, "3 min read") is the standfirst.
                    Class::Good if standfirst.is_none() => standfirst = Some(i),
                    Class::Good => break,
                    Class::Bad(k) if k != ChromeKind::Duplicate && k != ChromeKind::Navigation => {
                        continue
                    }
                    _ if l.title_like => {
                        title = Some(i);
                        break;
                    }
                    _ => continue,
                }
            }
            if let (Some(t), Some(sf)) = (title, standfirst) {
                if (t + 1..sf).all(|j| matches!(lines[j].class, Class::Bad(_))) {
                    keep[sf] = true;
                }
            } else if standfirst.is_some() {
                // A paragraph with no headline above it is not a standfirst; look no further.
                title = None;
            }
        }
    }

    let mut removed = Removed::default();
    let mut out = Vec::new();
    let title_key = title.map(|t| lines[t].key.clone());
    if let Some(t) = title {
        out.push(Block::new(BlockKind::Title, lines[t].text));
    }
    for (i, l) in lines.iter().enumerate() {
        if Some(i) == title {
            continue;
        }
        let is_title_repeat = title_key
            .as_deref()
            .is_some_and(|k| !k.is_empty() && l.key == k);
        if keep[i] && !is_title_repeat {
            out.push(Block::new(BlockKind::Paragraph, l.text));
            continue;
        }
        let kind = match l.class {
            Class::Bad(k) => k,
            _ if shared[i] => ChromeKind::Learned,
            _ if is_title_repeat => ChromeKind::Duplicate,
            Class::Short => ChromeKind::Navigation,
            _ => ChromeKind::Outside,
        };
        removed.add(kind);
    }
    TextArticle {
        blocks: out,
        removed,
    }
}

/// Shortest [`crate::text_util::line_key`] (in bytes) of a line of prose for
/// [`drop_shared_edges`].
const MIN_SHARED_PROSE: usize = 60;

/// Drops the kept lines of prose at the head and tail of the article that also appear in another
/// document of the batch: a company's "About" paragraph under its press releases, an author's
/// bio, a site's standing promotion. They are left alone where the article goes on on both sides
/// of them (a statement quoted by two outlets), and when they make up half of the article's words
/// or more (the same story published twice: the shared text is the article). Short kept lines
/// among them stay. Returns which lines were dropped.
fn drop_shared_edges(lines: &[Line], learned: &LearnedChrome, keep: &mut [bool]) -> Vec<bool> {
    let mut dropped = vec![false; lines.len()];
    if learned.documents() < 2 {
        return dropped;
    }
    let prose = |i: usize| lines[i].key.len() >= MIN_SHARED_PROSE;
    let shared: Vec<bool> = (0..lines.len())
        .map(|i| keep[i] && prose(i) && learned.recurs_key(&lines[i].key))
        .collect();
    let kept: Vec<usize> = (0..lines.len()).filter(|&i| keep[i]).collect();
    let (mut kept_words, mut shared_words) = (0, 0);
    for &i in &kept {
        kept_words += lines[i].stats.words;
        shared_words += if shared[i] { lines[i].stats.words } else { 0 };
    }
    if shared_words == 0 || 2 * shared_words >= kept_words {
        return dropped;
    }
    // The article's own prose (kept, not shared) bounds both edges; without any, nothing is sure.
    let own = |i: usize| prose(i) && !shared[i];
    let (Some(first), Some(last)) = (
        kept.iter().position(|&i| own(i)),
        kept.iter().rposition(|&i| own(i)),
    ) else {
        return dropped;
    };
    for &i in kept[..first].iter().chain(&kept[last + 1..]) {
        if shared[i] {
            keep[i] = false;
            dropped[i] = true;
        }
    }
    dropped
}

/// The start of a comment thread that the run `run` lies in: the first comment header (a line
/// opening a zone) after a paragraph such that it and at least one more header come before the
/// run's end, and it comes before the run's start. A single "Leave a comment" above the article
/// does not make a thread.
fn comment_thread_before(lines: &[Line], run: (usize, usize, f64)) -> Option<usize> {
    let first_good = lines.iter().position(|l| l.class == Class::Good)?;
    let mut headers = (first_good + 1..=run.1).filter(|&i| lines[i].zone);
    let z = headers.next().filter(|&z| z < run.0)?;
    headers.next().map(|_| z)
}

/// Lists inside the article: the short lines after a kept line ending in ':' ("The changes are:"),
/// and runs of numbered items ("1) ...", "2) ..."), are article text, not menus.
fn keep_introduced_lists(lines: &[Line], regions: &[(usize, usize, f64)], keep: &mut [bool]) {
    for &(s, e, _) in regions {
        let mut i = s;
        while i <= e {
            let intro = keep[i] && lines[i].text.trim_end().ends_with(':');
            if intro {
                // The list may run past the region's end (the run search weighs its items
                // against the article), but there only with items of medium length: a menu of
                // short links after the article is no list of its.
                let mut j = i + 1;
                while j < lines.len()
                    && j - i <= MAX_LIST_ITEMS
                    && match lines[j].class {
                        Class::Good | Class::Bad(_) => false,
                        Class::Short => j <= e,
                        Class::Near => true,
                    }
                {
                    keep[j] = true;
                    j += 1;
                }
                i = j;
                continue;
            }
            i += 1;
        }
        let mut i = s;
        while i <= e {
            if list_number(lines[i].text) == Some(1) {
                let mut j = i;
                let mut n = 1;
                while j < e && list_number(lines[j + 1].text) == Some(n + 1) {
                    j += 1;
                    n += 1;
                }
                if n >= 3 {
                    // Each numbered item may be followed by one detail line (a link, a price).
                    for k in keep.iter_mut().take((j + 1).min(e + 1)).skip(i) {
                        *k = true;
                    }
                }
                i = j + 1;
                continue;
            }
            i += 1;
        }
    }
}

/// Fewest items of a patterned list ([`keep_patterned_lists`]).
const MIN_PATTERNED_ITEMS: usize = 4;

/// The punctuation of a line in order (letters, digits and spaces left out): "June 9 – Tampa, FL
/// @ Arena" gives "–,@". Items of one list (dates and venues, results, prices) share it; the
/// headlines of a list of other stories do not.
fn punctuation_skeleton(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_alphanumeric() && !c.is_whitespace())
        .collect()
}

/// Lists that the article's last kept line introduces without a colon ("Tour dates", then
/// "June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre", ...): at least
/// [`MIN_PATTERNED_ITEMS`] medium lines right after the region whose punctuation starts with the
/// same two marks (their [`punctuation_skeleton`]) are kept with it. Menus have no
/// punctuation, and lists of other stories' headlines no common one.
fn keep_patterned_lists(lines: &[Line], regions: &[(usize, usize, f64)], keep: &mut [bool]) {
    for &(s, e, _) in regions {
        let Some(last) = (s..=e).rev().find(|&i| keep[i]) else {
            continue;
        };
        let first = last + 1;
        let Some(head) = lines.get(first) else {
            continue;
        };
        // The first two marks: an item may add a bracket or a note at its end.
        let marks: String = punctuation_skeleton(head.text).chars().take(2).collect();
        if marks.chars().count() < 2 {
            continue;
        }
        let items = lines[first..]
            .iter()
            .take_while(|l| {
                l.class == Class::Near && punctuation_skeleton(l.text).starts_with(&marks)
            })
            .count();
        if items >= MIN_PATTERNED_ITEMS {
            keep[first..first + items].fill(true);
        }
    }
}

/// The number of a numbered list item ("3) ...", "3. ...", "3 - ..."), if the line is one.
fn list_number(text: &str) -> Option<u32> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let rest = &text[digits.len()..];
    (rest.starts_with(") ") || rest.starts_with(". ") || rest.starts_with(" - "))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Whether the next line that is not chrome (up to `end`) is a paragraph of prose.
fn next_is_good(lines: &[Line], i: usize, end: usize) -> bool {
    lines[i + 1..=end.max(i)]
        .iter()
        .find(|l| !matches!(l.class, Class::Bad(_)))
        .is_some_and(|l| l.class == Class::Good)
}

/// Per-line classes and weights go to stderr when `CHAFF_DEBUG_CHROME` is set (development aid).
fn debug_enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("CHAFF_DEBUG_CHROME").is_some())
}

/// A short line inside the article run is kept when prose surrounds it closely (a subheading),
/// not when it belongs to a run of short lines (an embedded menu or link list).
fn short_is_inside_prose(lines: &[Line], i: usize, s: usize, e: usize) -> bool {
    let is_prose = |c: Class| matches!(c, Class::Good);
    let mut run = 1;
    let mut j = i;
    let prev_ok = loop {
        if j == s {
            break false;
        }
        j -= 1;
        match lines[j].class {
            Class::Short => run += 1,
            Class::Bad(_) => continue,
            c => break is_prose(c),
        }
    };
    let mut j = i;
    let next_ok = loop {
        if j == e {
            break false;
        }
        j += 1;
        match lines[j].class {
            Class::Short => run += 1,
            Class::Bad(_) => continue,
            c => break is_prose(c),
        }
    };
    prev_ok && next_ok && run <= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::blocks;

    fn kept(page: &str) -> Vec<String> {
        let art = classify(&blocks(page), Some("eng"), &LearnedChrome::new());
        art.blocks.into_iter().map(|b| b.text).collect()
    }

    /// A page whose head holds a list of other stories, each a headline run into its lead
    /// sentence (as scrapers flatten teaser cards), then the headline, a byline and the article.
    fn page_with_story_list_above_headline() -> String {
        let mut s = String::from(
            "Harbour ferry fares to rise in spring, council says - Northport Herald\nMenu\nNews\nSports\nWeather\nLatest Headlines\n",
        );
        let teasers = [
            "Bridge Repairs Delayed Again The repairs on the old river bridge will not start before the summer, the city engineer said on Monday.",
            "Library Extends Opening Hours The central library will stay open until nine in the evening on weekdays from next month onwards.",
            "School Board Names New Head The school board has chosen a former teacher from the north side of the city to lead the district.",
            "Storm Leaves Hundreds Without Power Strong winds brought down power lines across the county overnight, and crews are still at work.",
            "Local Bakery Wins National Prize A family bakery in the old town has won a national prize for its rye bread, its second in five years.",
            "Marathon Route Changes This Year The city marathon will take a new route along the harbour front because of the building works there.",
        ];
        for (i, t) in teasers.iter().enumerate() {
            if i == 3 {
                s.push_str("Latest Sports\n");
            }
            s.push_str(t);
            s.push('\n');
        }
        s.push_str("More\nHarbour ferry fares to rise in spring, council says\nNovember 19, 2019 at 9:45 am\nFiled Under: ferry, council, harbour\n");
        s.push_str("The city council voted on Tuesday to raise ferry fares across the harbour by ten percent from the first of April.\n");
        s.push_str("Council members said the rise was needed to pay for two new boats, which are due to enter service next year.\n");
        s.push_str("Commuters who use the ferry every day will be able to buy a monthly pass at the old price until the end of the year.\n");
        s.push_str("Comments\nYou must log in to post a comment.\nFollow Us\nPrivacy Policy\n");
        s
    }

    /// A one-paragraph post above a thread whose last comment is long: the post is the
    /// article, no comment is. (The line model's comment-header features already score the
    /// comments down here; `comment_thread_before` is the fallback when they do not.)
    #[test]
    fn a_short_post_is_not_outweighed_by_its_comment_thread() {
        let mut page = String::from("Reader mailbag - The Garden Log\nHome\nAbout\nBlog\nDonate\nReader mailbag\nMarch 3, 2021 | by Ruth\n");
        page.push_str("Send us your questions about soil, seeds and pests, and we will answer the best of them here each month.\n");
        page.push_str("Posted in Mailbag | 3 Comments\nComments\n");
        // Two short comments, then a long one: the best run is the last comment, below two
        // comment headers and after no further one.
        for (who, when) in [("Oskar", "4"), ("Ruth", "5"), ("Lena", "9")] {
            page.push_str(&format!("{who} on March {when}, 2021 at 4:47 pm said:\n"));
            if who == "Lena" {
                for p in COUNCIL_BODY {
                    page.push_str(&format!("{p} So wrote {who} on the {when}th.\n"));
                }
            } else {
                page.push_str("My tomatoes split every year. So wrote a reader, briefly.\n");
            }
        }
        page.push_str("Comments are closed.\nRecent Blog Posts\nPrivacy Policy\n");
        let got = kept(&page);
        assert!(
            got.iter().any(|l| l.starts_with("Send us your questions")),
            "{got:?}"
        );
        assert!(!got.iter().any(|l| l.contains("So wrote")), "{got:?}");
    }

    #[test]
    fn a_list_introduced_at_the_end_of_the_article_is_kept() {
        let mut page = String::from(
            "Band goes on tour - Music Daily\nHome\nNews\nCharts\nBand goes on tour\nBy Ann Lee\n",
        );
        for p in COUNCIL_BODY {
            page.push_str(p);
            page.push('\n');
        }
        page.push_str("The dates of the tour are as follows:\n");
        let dates = [
            "June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL",
            "June 10 -- Credit Union Amphitheatre, Tampa, FL",
            "June 14 -- Bank Amphitheatre, Alpharetta, GA",
            "June 17 -- Bridgestone Arena, Nashville, TN",
            "July 2 -- Mohegan Sun Arena, Uncasville, CT",
        ];
        for d in dates {
            page.push_str(d);
            page.push('\n');
        }
        page.push_str("Magazine\nCustomer Service\nNews Archive\nPhotos Archive\nJobs\nSitemap\n");
        let got = kept(&page);
        for d in dates {
            assert!(got.iter().any(|l| l == d), "{d}: {got:?}");
        }
        assert!(
            !got.iter().any(|l| l == "Customer Service" || l == "Jobs"),
            "{got:?}"
        );
    }

    #[test]
    fn a_story_list_above_the_repeated_headline_is_not_the_article() {
        let got = kept(&page_with_story_list_above_headline());
        assert_eq!(
            got.first().map(String::as_str),
            Some("Harbour ferry fares to rise in spring, council says")
        );
        assert!(
            got.iter().any(|l| l.starts_with("The city council voted")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|l| l.starts_with("Commuters who use")),
            "{got:?}"
        );
        assert!(
            !got.iter()
                .any(|l| l.contains("Bakery") || l.contains("Bridge")),
            "{got:?}"
        );
    }

    const COUNCIL_BODY: [&str; 4] = [
        "The city council voted on Tuesday to raise ferry fares across the harbour by ten percent from the first of April.",
        "Council members said the rise was needed to pay for two new boats, which are due to enter service next year.",
        "Commuters who use the ferry every day will be able to buy a monthly pass at the old price until the end of the year.",
        "The ferry company said it would publish the new timetable in March, after a round of talks with the unions.",
    ];

    #[test]
    fn a_closing_heading_ends_the_article() {
        // Teasers after "Você pode gostar..." are paragraphs too, and comments after "Top comments".
        for heading in [
            "Você pode gostar...",
            "Top comments",
            "関連記事",
            "Related articles:",
        ] {
            let mut page = String::from(
                "Ferry fares to rise - Herald\nHome\nNews\nFerry fares to rise\nBy Ann Lee\n",
            );
            for p in COUNCIL_BODY {
                page.push_str(p);
                page.push('\n');
            }
            page.push_str(heading);
            page.push_str("\nView all\nJohn D\n2 days ago\nNice one\nMary K\n3 days ago\n");
            for c in [
                "I think the council got this right, since the boats are old and the service has been poor for years now, and everyone who takes the ferry knows it.",
                "Another rise, and nobody asked the people who actually take the ferry to work every single morning of the week what they think about it.",
                "My family has used the harbour ferry for thirty years, and we would rather pay a little more than see the service cut back again next winter.",
                "The monthly pass is the only reason I can still afford to commute, so I hope they keep the old price for it well beyond the end of the year.",
            ] {
                page.push_str(c);
                page.push('\n');
            }
            page.push_str("Privacy Policy\nContact us\n");
            let got = kept(&page);
            assert!(
                got.iter().any(|l| l.starts_with("The ferry company")),
                "{heading}: {got:?}"
            );
            assert!(
                !got.iter()
                    .any(|l| l.starts_with("I think") || l.starts_with("My family")),
                "{heading}: {got:?}"
            );
        }
    }

    /// The HTML route's standalone test skips marking teasers and repeats: same answer as on the
    /// fully analysed lines, on pages with teasers, repeats and pattern chrome.
    #[test]
    fn standalone_chrome_needs_no_teaser_or_repeat_pass() {
        let mut with_repeats = page_with_story_list_above_headline();
        with_repeats
            .push_str("Menu\nNews\nLatest news from the harbour and more...\nShare this article\n");
        with_repeats.push_str(COUNCIL_BODY[0]);
        with_repeats.push('\n');
        let mut marked_any = false;
        for page in [page_with_story_list_above_headline(), with_repeats] {
            let b = blocks(&page);
            let learned = LearnedChrome::new();
            let full = chrome_after_first(&analyse(&b, Some("eng"), &learned));
            assert!(!full.is_empty());
            assert_eq!(standalone_chrome(&b, Some("eng"), &learned), full);
            marked_any |= analyse(&b, Some("eng"), &learned).iter().any(|l| {
                matches!(
                    l.class,
                    Class::Bad(ChromeKind::Duplicate | ChromeKind::Teaser)
                )
            });
        }
        // The pass that standalone_chrome skips did mark lines here.
        assert!(marked_any);
    }

    /// The shortcut of `standalone_chrome` agrees with the full classification: every line it
    /// calls a sentence is one by its classified units and ending, on the seeds and on lines
    /// near the six-word bound (CJK, bullets, quotes).
    #[test]
    fn is_sentence_implies_a_classified_sentence() {
        let learned = LearnedChrome::new();
        let seeds = [
            include_str!("../../corpus/input/000_4824812027a22b0e.txt"),
            include_str!("../../corpus/input/001_6db44384c25f5796.txt"),
            include_str!("../../corpus/input/002_1aa3bb47d970edc0.txt"),
        ];
        let extra = "One two three four five six.\nOne two three four five.\n• Share this on your social media now!\n東京都の新しい政策が発表されました。\n\"Is it really, truly, over?\" she asked.";
        let (mut yes, mut no) = (0, 0);
        for line in seeds.iter().chain([&extra]).flat_map(|s| s.lines()) {
            let line = line.trim();
            let l = classify_line(line, Some("eng"), &learned);
            if is_sentence(strip_bullet(line).0) {
                assert!(l.stats.units >= 6.0 && l.terminal, "{line}");
                yes += 1;
            } else {
                no += 1;
            }
        }
        assert!(yes > 20 && no > 20, "{yes} {no}");
    }

    /// The byte paths of `char_counts` agree with counting characters.
    #[test]
    fn char_counts_agree_with_chars() {
        for s in [
            "",
            "Plain ASCII, 2 digits: 42!",
            "“Quoted” — 3½ days’ pay… ok",
            "日本語のテキスト、123。",
            "tab\there\u{a0}nbsp",
        ] {
            let mut want = (0, 0, 0);
            for c in s.chars() {
                want.0 += 1;
                want.1 += usize::from(c.is_ascii_digit());
                want.2 += usize::from(!c.is_alphanumeric() && !c.is_whitespace());
            }
            assert_eq!(char_counts(s), want, "{s:?}");
        }
    }

    /// The byte path of `last_char` for ASCII lines agrees with the character path.
    #[test]
    fn last_char_by_bytes_agrees_with_chars() {
        let slow = |s: &str| {
            s.trim_end()
                .trim_end_matches(['"', '”', '’', '\'', ')', ']', '»', '」', '』', '）', '*'])
                .chars()
                .last()
        };
        for s in [
            "",
            " ",
            "end.",
            "end.\u{b} ",
            "said \"yes.\")  ",
            "a \"')",
            "(*)",
            "x ]",
            "tab\t",
            "q?'\x0c",
        ] {
            assert_eq!(last_char(s), slow(s), "{s:?}");
        }
    }

    #[test]
    fn a_box_of_links_inside_the_article_does_not_end_it() {
        let mut page = String::from(
            "Ferry fares to rise - Herald\nHome\nNews\nFerry fares to rise\nBy Ann Lee\n",
        );
        for (i, p) in COUNCIL_BODY.iter().enumerate() {
            if i == 2 {
                page.push_str("Related stories\nHarbour bridge to close for repairs\nNew ferry terminal opens\n");
            }
            page.push_str(p);
            page.push('\n');
        }
        page.push_str("Privacy Policy\nContact us\n");
        let got = kept(&page);
        assert!(
            got.iter().any(|l| l.starts_with("Commuters who use")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|l| l.starts_with("The ferry company")),
            "{got:?}"
        );
    }

    #[test]
    fn a_patterned_list_after_the_article_is_kept() {
        let page = "Home\nMusic\nTours\nContact\n\
            The Harbour Lights announce a 30-city reunion tour\n\
            By Staff\n\
            The Harbour Lights will play their first shows together in eleven years next summer, \
            the band said on Tuesday, starting in Florida in June and ending in Texas in October.\n\
            Tickets go on sale to the general public on Friday at ten in the morning local time, \
            with a presale for members of the fan club starting two days earlier.\n\
            \"We never thought we would stand on a stage together again,\" singer Maria Lopez said \
            in a statement, adding that the set list would cover all five of their albums.\n\
            Tour dates\n\
            June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre\n\
            June 10 – Tampa, FL @ Midflorida Credit Union Amphitheatre\n\
            June 14 – Alpharetta, GA @ Ameris Bank Amphitheatre (formerly Verizon)\n\
            June 17 – Nashville, TN @ Bridgestone Arena\n\
            June 19 – Charlotte, NC @ PNC Music Pavilion\n\
            Trending\n\
            Motley Crue and Def Leppard set a 2020 stadium tour\n\
            Watch a rare clip of Prince rehearsing in 1984\n\
            The 50 greatest live albums of all time, ranked\n\
            Why vinyl sales keep climbing, explained\n\
            Privacy policy\n";
        let kept = kept(page);
        for date in [
            "June 9 – West Palm Beach",
            "June 14 – Alpharetta",
            "June 19 – Charlotte",
        ] {
            assert!(kept.iter().any(|t| t.starts_with(date)), "{date}: {kept:?}");
        }
        assert!(!kept.iter().any(|t| t.contains("Def Leppard")), "{kept:?}");
        assert!(!kept.iter().any(|t| t.contains("vinyl")), "{kept:?}");
        assert_eq!(punctuation_skeleton("June 9 – Tampa, FL @ Arena"), "–,@");
    }

    #[test]
    fn an_ellipsis_set_off_by_a_space_is_a_pause_not_a_teaser() {
        let page = "Home\nBlog\nCoaching\nContact\n\
            Why most side businesses never get off the ground\n\
            By Pamela Hart\n\
            Most people who start a business on the side spend their first year learning tools \
            instead of talking to the customers who would pay them, and then they wonder why \
            nothing sells.\n\
            But here is the part nobody tells you \u{2026}\n\
            The tools matter far less than the conversations. Ten honest talks with possible \
            buyers will teach you more than a hundred hours of tutorials on funnels and pages.\n\
            So before you build anything else this month, write down five people you could call \
            this week and ask them what they struggle with.\n\
            Recent posts\n\
            How to price your first coaching package\n\
            Pricing is the question I hear most often from new coaches, and the answer starts with \
            what your clients already spend on the...\n\
            Scroll to top\n";
        let kept = kept(page);
        assert!(
            kept.iter()
                .any(|t| t.starts_with("But here is the part nobody tells you")),
            "{kept:?}"
        );
        assert!(
            kept.iter().any(|t| t.starts_with("The tools matter")),
            "{kept:?}"
        );
        assert!(
            !kept
                .iter()
                .any(|t| t.starts_with("Pricing is the question")),
            "{kept:?}"
        );
        assert!(ends_with_pause("Here's what I want you to remember ..."));
        assert!(!ends_with_pause("officials said the mayor would\u{2026}"));
        assert!(!ends_with_pause("No ellipsis here."));
    }

    /// Three press releases of one company end with the same "About" paragraph; two of them
    /// quote the same statement mid-article; a fourth page republishes the first one whole.
    fn press_release(headline: &str, body: &[&str]) -> String {
        const ABOUT: &str = "Northwind Medical is a global provider of clinical communication \
            systems for hospitals. The company employs around 1,300 people in 15 countries and \
            its shares are listed on the SIX Swiss Exchange.";
        format!(
            "{headline} | Northwind Newsroom\nHome\nNews\nProducts\nContact\n{headline}\n\
             November 19, 2019\n{}\n{ABOUT}\nShare this release\nPrivacy policy",
            body.join("\n")
        )
    }

    const QUOTE: &str = "\"We are proud to bring our systems to more hospitals across Europe, \
        where nurses need the right alert at the right moment,\" said chief executive Anna Berg.";

    #[test]
    fn shared_prose_is_dropped_only_at_the_article_edges() {
        let first = press_release(
            "Northwind opens a research centre in Lyon",
            &[
                "Northwind Medical said on Tuesday that it will open a research centre in Lyon next \
                 spring, its third in Europe, with about 120 engineers working on alarm software.",
                QUOTE,
                "The centre will work with the city's university hospitals on trials of the new \
                 bedside system, which sends patient alarms to the phones of the nurses on duty.",
                "Construction starts in January and the first teams move in by the end of April, \
                 the company said, adding that hiring has already begun.",
            ],
        );
        let second = press_release(
            "Northwind signs a distribution deal in Spain",
            &[
                "Northwind Medical has signed a distribution agreement with a Madrid company that \
                 will sell its clinical alarm systems to public hospitals across Spain.",
                QUOTE,
                "The agreement covers five years and starts in February; the two companies did not \
                 say what it is worth, but expect the first orders before the summer.",
                "Spain's public hospitals have been replacing their nurse call systems since 2017, \
                 when new rules on patient safety required alarms to reach staff within seconds.",
                "The Madrid distributor already sells monitoring equipment to more than forty \
                 hospitals and will train their technicians on the new system this winter.",
            ],
        );
        let third = press_release(
            "Northwind names a new finance chief",
            &[
                "Northwind Medical has appointed Marc Keller as chief financial officer from the \
                 first of March; he joins from a Zurich engineering group where he led investor relations.",
                "Keller succeeds Laura Imhof, who retires after eleven years with the company and \
                 will stay on as an adviser to the board until the end of next year.",
                "Keller, 48, trained as an economist in St. Gallen and spent ten years at an \
                 international bank in London and Frankfurt before moving into industry.",
                "The board said it wanted a finance chief with experience of listed companies as \
                 Northwind prepares to raise money for its expansion in southern Europe.",
            ],
        );
        // The first release again, shortened, on an aggregator with its own menus.
        let copy = first
            .replace("Northwind Newsroom", "Health Wire")
            .replace(
                "Home\nNews\nProducts\nContact",
                "Health Wire\nLatest\nHospitals\nSubscribe",
            )
            .replace("Construction starts in January", "Work starts in January");
        let mut learned = LearnedChrome::new();
        for page in [&first, &second, &third, &copy] {
            learned.observe(page);
        }
        let clean = |page: &str| classify(&blocks(page), Some("eng"), &learned);
        let text = |art: &TextArticle| {
            art.blocks
                .iter()
                .map(|b| b.text.clone())
                .collect::<Vec<_>>()
        };

        // The About paragraph closes the second and third releases: dropped, and said so.
        for page in [&second, &third] {
            let art = clean(page);
            let kept = text(&art);
            assert!(
                !kept
                    .iter()
                    .any(|t| t.starts_with("Northwind Medical is a global")),
                "{kept:?}"
            );
            assert!(
                art.removed.0.contains_key(&ChromeKind::Learned),
                "{:?}",
                art.removed
            );
            assert!(art
                .removed
                .reason()
                .unwrap()
                .contains("lines repeated across the batch"));
        }
        // The quote shared by two releases stands between their own paragraphs: kept.
        assert!(text(&clean(&second))
            .iter()
            .any(|t| t.starts_with("\"We are proud")));
        // The first release and its copy share most of their text, from their first paragraph
        // on: it is their article, in both.
        for page in [&first, &copy] {
            let kept = text(&clean(page));
            assert!(
                kept.iter().any(|t| t.starts_with("Northwind Medical said")),
                "{kept:?}"
            );
            assert!(
                kept.iter().any(|t| t.starts_with("\"We are proud")),
                "{kept:?}"
            );
        }
        // Without batch evidence the About paragraph stays (it reads as prose).
        let alone = classify(&blocks(&third), Some("eng"), &LearnedChrome::new());
        assert!(text(&alone)
            .iter()
            .any(|t| t.starts_with("Northwind Medical is a global")));
    }

    #[test]
    fn a_title_fragment_heading_a_section_does_not_cut_the_article() {
        // The title's first words head a section inside the article: not the headline.
        let page = "How to plant tulips, step by step: soil, depth and timing - Garden Weekly\nHome\nGardening\n\
            Tulips are among the easiest bulbs to grow, and a little care in the autumn gives a fine show in the spring.\n\
            Most gardeners plant them too early, when the soil is still warm and the bulbs can rot before the winter.\n\
            How to plant tulips\n\
            Dig a hole about three times as deep as the bulb is tall, and set the bulb in it with the pointed end up.\n\
            Cover the bulbs with soil, water them once, and leave them alone until the first shoots appear in March.\n\
            Share this article\nPrivacy Policy\nContact us\nAbout us\nNewsletter\nAdvertise\n";
        let got = kept(page);
        assert!(
            got.iter().any(|l| l.starts_with("Tulips are among")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|l| l.starts_with("Cover the bulbs")),
            "{got:?}"
        );
    }
}
