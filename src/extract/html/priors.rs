//! Class/id/role/itemprop and tag priors, loaded from `data/html/priors.tsv`.

use super::dom::{Attr, Dom, Elem, Tag};
use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

const PRIORS_TSV: &str = include_str!("../../../data/html/priors.tsv");
const BOILERPLATE: &str = include_str!("../../../data/html/boilerplate.txt");

const DATE_WORDS: &str = include_str!("../../../data/html/date-words.txt");

/// Is this short text only a date (and time)? Month and weekday names and dateline words from
/// `data/html/date-words.txt`, numbers and punctuation; at least one number. CJK dates
/// ("2019年11月18日") count by their digits and date characters.
pub fn is_dateline(text: &str) -> bool {
    static CELL: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    let words = CELL.get_or_init(|| {
        DATE_WORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    });
    if text.chars().count() > 90 {
        return false;
    }
    let mut digits = 0;
    let mut any = false;
    for tok in text.split(|c: char| !(crate::text_util::is_alphanumeric(c) || c == '.' || c == '-'))
    {
        let tok = tok.trim_matches(|c: char| c == '.' || c == '-');
        if tok.is_empty() {
            continue;
        }
        any = true;
        if tok
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            digits += 1;
            continue;
        }
        let cjk_date = tok.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '年' | '月' | '日' | '时' | '時' | '分' | '년' | '월' | '일'
                )
        });
        if cjk_date {
            digits += 1;
            continue;
        }
        // "18th", "10:43" pieces, "2019-11-18T10:00"
        let lower = tok.to_lowercase();
        let alpha: String = lower.chars().filter(|c| !c.is_ascii_digit()).collect();
        if lower.chars().any(|c| c.is_ascii_digit())
            && matches!(alpha.as_str(), "st" | "nd" | "rd" | "th" | "t" | "h" | "")
        {
            digits += 1;
            continue;
        }
        if !words.contains(&lower) {
            return false;
        }
    }
    any && digits > 0
}

/// Phrases marking short chrome blocks (`data/html/boilerplate.txt`).
pub fn boilerplate() -> &'static AhoCorasick {
    static CELL: OnceLock<AhoCorasick> = OnceLock::new();
    CELL.get_or_init(|| phrase_matcher(BOILERPLATE, aho_corasick::MatchKind::Standard))
}

const OPENERS: &str = include_str!("../../../data/html/openers.txt");

/// Phrases marking a block as chrome when they open it (`data/html/openers.txt`).
pub fn openers() -> &'static AhoCorasick {
    static CELL: OnceLock<AhoCorasick> = OnceLock::new();
    CELL.get_or_init(|| phrase_matcher(OPENERS, aho_corasick::MatchKind::LeftmostFirst))
}

/// An ASCII-case-insensitive matcher for a phrase list (one phrase per line, `#` comments).
fn phrase_matcher(list: &str, kind: aho_corasick::MatchKind) -> AhoCorasick {
    let phrases: Vec<&str> = crate::text_util::data_lines(list).map(str::trim).collect();
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(kind)
        .build(phrases)
        .expect("phrase lists in data/html build")
}

/// The compiled prior tables.
pub struct Priors {
    attr: AhoCorasick,
    attr_weight: Vec<i16>,
    exact: HashMap<String, i16>,
    tag: HashMap<String, i16>,
}

/// One attribute value's part of an element prior (see [`Priors::element_prior`]).
#[derive(Debug, Clone, Copy, Default)]
struct ValuePrior {
    pos: i16,
    neg: i16,
    extra: i16,
}

/// Attribute values already weighed while walking one document.
#[derive(Debug, Default)]
pub struct PriorMemo<'d> {
    parts: HashMap<&'d str, ValuePrior>,
}

impl Priors {
    /// The shared tables.
    pub fn get() -> &'static Priors {
        static CELL: OnceLock<Priors> = OnceLock::new();
        CELL.get_or_init(|| Priors::parse(PRIORS_TSV))
    }

    fn parse(tsv: &str) -> Priors {
        let mut pats = Vec::new();
        let mut attr_weight = Vec::new();
        let mut exact = HashMap::default();
        let mut tag = HashMap::default();
        for line in tsv.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let (kind, pat, w) = match f.as_slice() {
                [k, p, w] => (*k, *p, w.trim().parse::<i16>().expect("priors.tsv weight")),
                _ => panic!("priors.tsv: bad line {line:?}"),
            };
            match kind {
                "attr" => {
                    pats.push(pat.to_string());
                    attr_weight.push(w);
                }
                "exact" => {
                    exact.insert(pat.to_string(), w);
                }
                "tag" => {
                    tag.insert(pat.to_string(), w);
                }
                _ => panic!("priors.tsv: bad kind {kind:?}"),
            }
        }
        Priors {
            attr: AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&pats)
                .expect("priors patterns"),
            attr_weight,
            exact,
            tag,
        }
    }

    /// The class/id prior of an element (0 for `<html>`, `<body>` and elements without hints),
    /// remembering each attribute value's part in `memo`: a page repeats the same class strings
    /// on many elements (menu items, list entries).
    pub fn element_prior<'d>(&self, dom: &'d Dom, e: &Elem, memo: &mut PriorMemo<'d>) -> i16 {
        if matches!(e.tag, Tag::Html | Tag::Body) {
            return 0;
        }
        let mut pos = 0i16;
        let mut neg = 0i16;
        let mut extra = 0i16;
        let mut any = false;
        for (k, v) in dom.attrs(e) {
            if !matches!(k, Attr::Id | Attr::Class | Attr::Role | Attr::Itemprop) {
                continue;
            }
            any = true;
            let part = *memo.parts.entry(v).or_insert_with(|| self.value_prior(v));
            pos = pos.max(part.pos);
            neg = neg.min(part.neg);
            extra += part.extra;
        }
        if !any {
            return 0;
        }
        pos + neg + extra
    }

    /// One attribute value's part of a prior: the strongest positive and negative pattern
    /// weights found in it (0 when none) and the sum of its whole-token weights.
    fn value_prior(&self, v: &str) -> ValuePrior {
        let mut part = ValuePrior::default();
        for m in self.attr.find_overlapping_iter(v.as_bytes()) {
            let w = self.attr_weight[m.pattern().as_usize()];
            part.pos = part.pos.max(w);
            part.neg = part.neg.min(w);
        }
        let mut buf = [0u8; 40];
        for tok in v.split_ascii_whitespace() {
            if tok.len() <= buf.len() {
                let lower = &mut buf[..tok.len()];
                lower.copy_from_slice(tok.as_bytes());
                lower.make_ascii_lowercase();
                // Lower-casing ASCII letters keeps the bytes valid UTF-8.
                let lower = std::str::from_utf8(lower).unwrap_or_default();
                if let Some(w) = self.exact.get(lower) {
                    part.extra += w;
                }
            }
        }
        part
    }

    /// The tag weight used when scoring containers.
    pub fn tag_prior(&self, tag: Tag, name: &str) -> i16 {
        let key = match tag {
            Tag::H(_) => "h",
            _ => name,
        };
        self.tag.get(key).copied().unwrap_or(0)
    }
}
