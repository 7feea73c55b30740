//! Line patterns for chrome, kept as data (`data/chrome/line-patterns.tsv`) and compiled once.

use super::ChromeKind;
use regex::{RegexSet, RegexSetBuilder};
use std::sync::OnceLock;

const PATTERNS_TSV: &str = include_str!("../../data/chrome/line-patterns.tsv");

struct Compiled {
    set: RegexSet,
    kinds: Vec<ChromeKind>,
}

fn compiled() -> &'static Compiled {
    static CELL: OnceLock<Compiled> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut regexes = Vec::new();
        let mut kinds = Vec::new();
        for line in PATTERNS_TSV.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (kind, re) = line
                .split_once('\t')
                .expect("pattern line is KIND<TAB>REGEX");
            let kind =
                ChromeKind::from_name(kind.trim()).expect("known chrome kind in line-patterns.tsv");
            regexes.push(format!("(?i){re}"));
            kinds.push(kind);
        }
        // Bounded repeats of Unicode classes make large automata: allow them room.
        let set = RegexSetBuilder::new(&regexes)
            .size_limit(256 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .expect("line-patterns.tsv compiles");
        Compiled { set, kinds }
    })
}

/// The chrome kind a whole line matches, if any (the first matching pattern in file order).
pub fn match_line(line: &str) -> Option<ChromeKind> {
    // Chrome lines are short; long lines are never matched whole (saves regex time on prose).
    if line.len() > 400 {
        return None;
    }
    let c = compiled();
    c.set.matches(line).iter().next().map(|i| c.kinds[i])
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
