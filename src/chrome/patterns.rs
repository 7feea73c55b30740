//! Line patterns for chrome, kept as data (`data/chrome/line-patterns.tsv`) and compiled once.

use super::ChromeKind;
use regex::{RegexSet, RegexSetBuilder};
use std::sync::OnceLock;

const PATTERNS_TSV: &str = include_str!("../../data/chrome/line-patterns.tsv");

struct Compiled {
    set: RegexSet,
    kinds: Vec<ChromeKind>,
    /// Patterns that open a zone of chrome (a comment section) rather than mark one line.
    zone: Vec<bool>,
}

/// A line's pattern match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineMatch {
    /// The chrome kind.
    pub kind: ChromeKind,
    /// The line opens a chrome zone (e.g. the first comment's header).
    pub starts_zone: bool,
}

fn compiled() -> &'static Compiled {
    static CELL: OnceLock<Compiled> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut regexes = Vec::new();
        let mut kinds = Vec::new();
        let mut zone = Vec::new();
        for line in PATTERNS_TSV.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (name, re) = line
                .split_once('\t')
                .expect("pattern line is KIND<TAB>REGEX");
            let kind =
                ChromeKind::from_name(name.trim()).expect("known chrome kind in line-patterns.tsv");
            regexes.push(format!("(?i){re}"));
            kinds.push(kind);
            zone.push(name.trim().ends_with("-zone"));
        }
        // Bounded repeats of Unicode classes make large automata: allow them room.
        let set = RegexSetBuilder::new(&regexes)
            .size_limit(256 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .expect("line-patterns.tsv compiles");
        Compiled { set, kinds, zone }
    })
}

/// The chrome kind a whole line matches, if any (the first matching pattern in file order).
pub fn match_line(line: &str) -> Option<ChromeKind> {
    match_line_full(line).map(|m| m.kind)
}

/// Like [`match_line`], also saying whether the line opens a chrome zone.
pub fn match_line_full(line: &str) -> Option<LineMatch> {
    // Chrome lines are short; long lines are never matched whole (saves regex time on prose).
    if line.len() > 400 {
        return None;
    }
    let c = compiled();
    let matches = c.set.matches(line);
    let first = matches.iter().next()?;
    let starts_zone = matches.iter().any(|i| c.zone[i]);
    let kind = if starts_zone {
        ChromeKind::Comment
    } else {
        c.kinds[first]
    };
    Some(LineMatch { kind, starts_zone })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_chrome_lines() {
        let cases = [
            ("3 min read", ChromeKind::ReadingTime),
            ("Share this article", ChromeKind::Share),
            ("Comment *", ChromeKind::Comment),
            ("0 comment/s", ChromeKind::Comment),
            ("Thoughts on the above story? Comment below!", ChromeKind::Comment),
            ("Recent News", ChromeKind::SectionHeading),
            ("More from World", ChromeKind::SectionHeading),
            ("By: Anonymous | 09-29-2016 | News", ChromeKind::Byline),
            ("Scroll To Top", ChromeKind::Promo),
            ("About admin", ChromeKind::Promo),
            ("Click here to enlarge.", ChromeKind::Caption),
            ("Milan Griffes on September 12, 2018 at 4:47 pm said:", ChromeKind::Comment),
            ("thelastchargersfan says:", ChromeKind::Comment),
            ("Click to share on Twitter (Opens in new window)", ChromeKind::Share),
            ("Facebook Twitter Google+ Whatsapp", ChromeKind::Share),
            ("Last update: Wed, 28/09/2016 - 23:35", ChromeKind::Date),
            ("Syrian refugees protest the bombing in Aleppo at the Idomeni refugee camp in Greece [Anadolu]", ChromeKind::Caption),
            ("In this Sept. 22, 2016 photo, Secretary of State John Kerry speaks in New York. (AP)", ChromeKind::Caption),
        ];
        for (line, kind) in cases {
            assert_eq!(match_line(line), Some(kind), "{line}");
        }
    }

    #[test]
    fn prose_is_not_chrome() {
        for line in [
            "The US dismissed these claims, urging Russia to step in to stop the indiscriminate killing.",
            "\"No, we are not going to put pressure on [Damascus] because one must understand that the situation in Aleppo is part of this fight,\" he said.",
            "More strikingly however, Syrian refugees stranded in the Greek Idomeni refugee camp also protested in solidarity with Aleppo.",
        ] {
            assert_eq!(match_line(line), None, "{line}");
        }
    }
}
