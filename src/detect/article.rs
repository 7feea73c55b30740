//! Article shape: whether the cleaned text reads as an article or as something else that survived
//! extraction — an error page, an archive crawl notice, a paywall or bot wall, a list of teasers,
//! a list of short lines.
//!
//! Notice phrases live in `data/score/not-article.tsv` (KIND, phrase), matched case-insensitively
//! with one Aho-Corasick automaton; reader prompts ("Subscribe to our newsletter", "Follow us on
//! Twitter") are regexes in `data/score/reader-prompts.txt`. The shape measures are plain counts over paragraphs (blocks
//! separated by blank lines); [`crate::score`] decides what they cost.

use crate::text_util::{data_lines, fold_for_ascii_matcher, paragraphs, replace_word_boundaries};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::sync::OnceLock;

const NOTICES: &str = include_str!("../../data/score/not-article.tsv");
const PROMPTS: &str = include_str!("../../data/score/reader-prompts.txt");

/// Texts of this many words or more are not searched for notice phrases.
pub const NOTICE_MAX_WORDS: usize = 250;

/// What the text looks like, paragraph by paragraph.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleShape {
    /// The first not-an-article phrase found in a short text (fewer than [`NOTICE_MAX_WORDS`]
    /// words; only short pages are judged by it), as (kind, phrase): "error page", "paywall", ...
    pub notice: Option<(&'static str, &'static str)>,
    /// Paragraphs after the headline.
    pub paragraphs: usize,
    /// Of those, paragraphs cut short with an ellipsis ("Le titre de l'article..", "… [Read more]").
    pub teasers: usize,
    /// Of those, paragraphs that prompt the reader to act (subscribe, follow, click, support).
    pub prompts: usize,
    /// Share of the body's characters that sit in prose paragraphs (long enough, ending like a
    /// sentence); lists, tables and menus have little.
    pub prose_share: f64,
}

/// Builds the reader-prompt automaton now rather than on the first text measured (every text
/// needs it; the notice automaton is built on the first short text, as most texts never need it).
pub fn warm_up() {
    prompt_regexes();
}

fn notices() -> &'static (AhoCorasick, Vec<(&'static str, &'static str)>) {
    static N: OnceLock<(AhoCorasick, Vec<(&'static str, &'static str)>)> = OnceLock::new();
    N.get_or_init(|| {
        let list: Vec<(&'static str, &'static str)> = data_lines(NOTICES)
            .filter_map(|l| l.split_once('\t'))
            .collect();
        // Searched only in short texts: a contiguous NFA costs a fraction of a DFA to build
        // and finds the same matches.
        let ac = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(list.iter().map(|(_, p)| p.to_lowercase()))
            .expect("not-article phrases build an automaton");
        (ac, list)
    })
}

/// The first notice phrase in `text`.
fn find_notice(text: &str) -> Option<(&'static str, &'static str)> {
    let (ac, list) = notices();
    ac.find(fold_for_ascii_matcher(text).as_ref())
        .map(|m| list[m.pattern().as_usize()])
}

/// The reader-prompt regexes as two automata: `loose`, the regexes without their word
/// boundaries, and `exact`, as written. `loose` matches whatever `exact` matches and, having no
/// Unicode word boundary, runs as a lazy DFA on any text; `exact` (which falls back to a slow
/// engine on non-ASCII text) only confirms the rare paragraphs `loose` matches, and is compiled
/// the first time one does.
fn prompt_regexes() -> &'static (String, regex::Regex) {
    static P: OnceLock<(String, regex::Regex)> = OnceLock::new();
    P.get_or_init(|| {
        let alternatives: Vec<String> = data_lines(PROMPTS).map(|l| format!("(?:{l})")).collect();
        let exact = alternatives.join("|");
        let loose = build_prompts(&replace_word_boundaries(&exact, ""));
        (exact, loose)
    })
}

/// The reader-prompt regexes with their word boundaries (see [`prompt_regexes`]).
fn exact_prompts() -> &'static regex::Regex {
    static P: OnceLock<regex::Regex> = OnceLock::new();
    P.get_or_init(|| build_prompts(&prompt_regexes().0))
}

fn build_prompts(re: &str) -> regex::Regex {
    regex::RegexBuilder::new(re)
        .case_insensitive(true)
        .build()
        .expect("reader-prompt patterns compile")
}

/// Whether a paragraph prompts the reader to act (a `data/score/reader-prompts.txt` regex matches).
fn is_prompt(p: &str) -> bool {
    prompt_regexes().1.is_match(p) && exact_prompts().is_match(p)
}

/// Whether a paragraph ends like a sentence (or a quotation of one).
fn ends_like_sentence(p: &str) -> bool {
    p.trim_end().chars().last().is_some_and(|c| {
        matches!(
            c,
            '.' | '!' | '?' | '。' | '！' | '？' | '"' | '”' | '»' | '’' | ')' | ':' | '؟' | '।'
        )
    })
}

const READ_MORE: &[u8] = b"read more";

/// Whether a paragraph was cut short: it ends in an ellipsis or a "read more" link.
fn is_teaser(p: &str) -> bool {
    let t = p
        .trim_end()
        .trim_end_matches([']', ')', ' ', '»', '›', '>']);
    (t.ends_with("..") && !t.ends_with("...."))
        || t.ends_with('…')
        || t.len() >= READ_MORE.len()
            && t.as_bytes()[t.len() - READ_MORE.len()..].eq_ignore_ascii_case(READ_MORE)
}

/// Measures the shape of `text` (chaff's cleaned output: headline first, blank-line paragraphs),
/// which has `words` words (as [`crate::detect::damage`] counts them).
pub fn measure(text: &str, words: usize) -> ArticleShape {
    let notice = if words < NOTICE_MAX_WORDS {
        find_notice(text)
    } else {
        None
    };
    let paras: Vec<&str> = paragraphs(text)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    // The headline is not part of the body (it does not end like a sentence).
    let body = match paras.split_first() {
        Some((first, rest)) if !rest.is_empty() && !ends_like_sentence(first) => rest,
        _ => &paras[..],
    };
    let mut all = 0usize;
    let mut prose = 0usize;
    let mut teasers = 0usize;
    let mut prompt_count = 0usize;
    for p in body {
        if is_prompt(p) {
            prompt_count += 1;
        }
        let n = p.chars().count();
        all += n;
        if is_teaser(p) {
            teasers += 1;
        } else if n >= 90 && ends_like_sentence(p) {
            prose += n;
        }
    }
    ArticleShape {
        notice,
        paragraphs: body.len(),
        teasers,
        prompts: prompt_count,
        prose_share: if all > 0 {
            prose as f64 / all as f64
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> usize {
        text.split_whitespace().count()
    }

    fn measure_str(text: &str) -> ArticleShape {
        measure(text, words(text))
    }

    #[test]
    fn error_pages_and_crawl_notices_are_named() {
        let s = measure_str(
            "Oops\n\nSorry, the Page You Requested Could Not Be Found.\n\nTry the search box.",
        );
        assert_eq!(s.notice.map(|n| n.0), Some("error page"));
        let s = measure_str("Страница не найдена\n\nВернитесь на главную.");
        assert_eq!(s.notice.map(|n| n.0), Some("error page"));
        let s = measure_str("Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive.");
        assert_eq!(s.notice.map(|n| n.0), Some("crawl notice"));
    }

    #[test]
    fn an_article_has_prose_and_no_notice() {
        let text = "Storm hits the coast\n\nThe storm reached the coast on Monday night, cutting power to thousands of homes and closing the port for two days.\n\n\"We have never seen water this high,\" the harbour master said after the tide had turned and the first boats could go out again.";
        let s = measure_str(text);
        assert_eq!(s.notice, None);
        assert_eq!(s.paragraphs, 2);
        assert_eq!(s.teasers, 0);
        assert!(s.prose_share > 0.99, "{s:?}");
    }

    #[test]
    fn teaser_lists_and_short_lines_are_counted() {
        let text = "Top stories\n\nMayor opens the new bridge and promises..\n\nCouncil votes on the budget after a long…\n\nSchools reopen on Monday [Read more]\n\nWeather\n\nSport";
        let s = measure_str(text);
        assert_eq!(s.paragraphs, 5);
        assert_eq!(s.teasers, 3);
        assert_eq!(s.prose_share, 0.0);
    }

    #[test]
    fn reader_prompts_are_counted() {
        let text = "Keck Observatory\n\nNeed more space? Subscribe to our sister title for the latest news.\n\nJoin our Space Forums to keep talking space on the latest missions.\n\nThe telescopes saw the comet on Monday, the team said in a statement.";
        let s = measure_str(text);
        assert_eq!((s.prompts, s.paragraphs), (2, 3), "{s:?}");
        // Word boundaries still count: "follow us on" inside longer words is no prompt.
        assert!(is_prompt("“Please follow us on Twitter,” the café said."));
        assert!(!is_prompt("“Unfollow us onwards,” the café said."));
        assert!(!is_prompt("Subscribers said the café was full."));
    }

    #[test]
    fn an_ordinary_ellipsis_is_not_a_teaser() {
        assert!(!is_teaser("He paused... and then he left."));
        assert!(is_teaser("‘아침마당’마저 접수한 유재석, 그가 뜨.."));
    }
}
