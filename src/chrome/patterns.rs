//! Line patterns for chrome, kept as data (`data/chrome/line-patterns.tsv`) and compiled once.

use super::pattern_store::{self, Reader, Writer};
use super::prefilter::{PatternFacts, Prefilter, MAX_PATTERNS};
use super::ChromeKind;
use crate::text_util::{replace_word_boundaries, ASCII_WORD_BOUNDARY};
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures, NFA};
use regex_automata::Input;
use regex_syntax::hir::Hir;
use std::sync::OnceLock;

const PATTERNS_TSV: &str = include_str!("../../data/chrome/line-patterns.tsv");

/// The patterns compiled ahead of time by `examples/build_line_patterns.rs` (see
/// [`pattern_store`]); ignored when made for another version of the pattern file.
const PATTERNS_BIN: &[u8] = include_bytes!("../../data/chrome/line-patterns.bin");

/// Lines longer than this (in bytes) are never matched whole: chrome lines are short, and
/// skipping prose keeps the stage fast.
const MAX_MATCHED_LINE: usize = 400;

/// Lazy-DFA cache per pattern and thread. A pattern's whole DFA takes at most about 1.4 MB
/// (measured with regex-automata's dense DFAs, 9.7 MB for all the patterns), so the caches stay
/// far below this in practice; the limit only bounds a pattern added later with a larger one.
const DFA_CACHE_BYTES: usize = 4 << 20;

struct Compiled {
    /// One forward lazy DFA per pattern, in file order. A line is searched only for the
    /// patterns the prefilter leaves, in file order, until one matches (the earliest match
    /// ends the search). One automaton per pattern beats automata over groups of patterns
    /// (all patterns matching a line in one pass): a group's states are sets of many patterns'
    /// positions, so nearly every line built new ones (5,900 states for 6,500 lines on the aeb
    /// pages), while a single pattern's few states are built once and reused.
    dfas: Vec<DFA>,
    kinds: Vec<ChromeKind>,
    /// Longest line (in characters) each pattern applies to.
    max_len: Vec<usize>,
    /// Patterns that open a zone of chrome (a comment section) rather than mark one line.
    zone: Vec<bool>,
    /// Patterns matched against the line as written rather than lower-cased.
    cased: Vec<bool>,
    /// Which patterns a line can possibly match, from its length and edges: only those are
    /// searched.
    prefilter: Prefilter,
}

/// One line of the pattern file, split: kind, whether it is matched case-sensitively (the kind
/// column reads `KIND cased`), longest line, regex.
fn parse_line(line: &str) -> (ChromeKind, bool, bool, usize, &str) {
    let mut cols = line.splitn(3, '\t');
    let (Some(name), Some(len), Some(re)) = (cols.next(), cols.next(), cols.next()) else {
        panic!("pattern line is KIND<TAB>MAXLEN<TAB>REGEX: {line}");
    };
    let mut words = name.split_whitespace();
    let name = words.next().unwrap_or("");
    let cased = match words.next() {
        None => false,
        Some("cased") => true,
        Some(flag) => panic!("line-patterns.tsv: unknown flag {flag:?}: {line}"),
    };
    let kind = ChromeKind::from_name(name).expect("known chrome kind in line-patterns.tsv");
    let len = len.trim().parse().expect("MAXLEN is a number");
    (kind, cased, name.ends_with("-zone"), len, re)
}

/// A line's pattern match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineMatch {
    /// The chrome kind.
    pub kind: ChromeKind,
    /// The line opens a chrome zone (e.g. the first comment's header).
    pub starts_zone: bool,
}

/// The pattern file's columns, one entry per pattern in file order.
struct Columns {
    kinds: Vec<ChromeKind>,
    max_len: Vec<usize>,
    zone: Vec<bool>,
    cased: Vec<bool>,
    regexes: Vec<&'static str>,
}

/// Reads the pattern file's lines (regexes as written, not parsed).
fn columns() -> Columns {
    let mut c = Columns {
        kinds: Vec::new(),
        max_len: Vec::new(),
        zone: Vec::new(),
        cased: Vec::new(),
        regexes: Vec::new(),
    };
    for line in PATTERNS_TSV.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (kind, is_cased, is_zone, len, re) = parse_line(line);
        c.kinds.push(kind);
        c.max_len.push(len);
        c.zone.push(is_zone);
        c.cased.push(is_cased);
        c.regexes.push(re);
    }
    c
}

/// The patterns compiled: each pattern's NFA and prefilter facts, in file order.
struct Tables {
    nfas: Vec<NFA>,
    facts: Vec<PatternFacts>,
}

/// Parses and compiles the patterns of the pattern file (what `data/chrome/line-patterns.bin`
/// saves a run from doing).
fn compile(cols: &Columns) -> Tables {
    let regexes: Vec<Hir> = cols
        .regexes
        .iter()
        .map(|re| {
            let re = replace_word_boundaries(re, ASCII_WORD_BOUNDARY);
            regex_syntax::parse(&re).unwrap_or_else(|e| panic!("line-patterns.tsv: {re}: {e}"))
        })
        .collect();
    let nfas = regexes
        .iter()
        .enumerate()
        .map(|(i, hir)| {
            // Only whether a line matches is asked, never where: no capture states.
            thompson::Compiler::new()
                .configure(
                    thompson::Config::new()
                        .which_captures(WhichCaptures::None)
                        .shrink(false),
                )
                .build_from_hir(hir)
                .unwrap_or_else(|e| panic!("line-patterns.tsv: pattern {i}: {e}"))
        })
        .collect();
    Tables {
        nfas,
        facts: regexes.iter().map(PatternFacts::of).collect(),
    }
}

impl Tables {
    /// The tables as the bytes of `data/chrome/line-patterns.bin` (see [`pattern_store`]).
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes.extend_from_slice(pattern_store::MAGIC);
        w.bytes
            .extend_from_slice(&pattern_store::fingerprint(PATTERNS_TSV.as_bytes()).to_le_bytes());
        w.count(self.facts.len());
        for (i, (f, nfa)) in self.facts.iter().zip(&self.nfas).enumerate() {
            f.write(&mut w);
            assert!(
                pattern_store::write_nfa(&mut w, nfa),
                "pattern {i}: NFA not storable"
            );
        }
        w.bytes
    }

    /// Reads tables written by [`Tables::to_bytes`] for this pattern file (`None` for another
    /// file's, or for damaged bytes).
    fn from_bytes(bytes: &[u8], patterns: usize) -> Option<Tables> {
        let mut r = Reader::new(bytes);
        if r.take(8)? != pattern_store::MAGIC
            || r.u64()? != pattern_store::fingerprint(PATTERNS_TSV.as_bytes())
            || r.count()? != patterns
        {
            return None;
        }
        let mut t = Tables {
            nfas: Vec::with_capacity(patterns),
            facts: Vec::with_capacity(patterns),
        };
        for _ in 0..patterns {
            t.facts.push(PatternFacts::read(&mut r)?);
            t.nfas.push(pattern_store::read_nfa(&mut r)?);
        }
        r.is_done().then_some(t)
    }
}

/// The bytes `data/chrome/line-patterns.bin` must hold for the current pattern file (what
/// `examples/build_line_patterns.rs` writes there).
#[doc(hidden)]
pub fn build_tables() -> Vec<u8> {
    compile(&columns()).to_bytes()
}

fn compiled() -> &'static Compiled {
    static CELL: OnceLock<Compiled> = OnceLock::new();
    CELL.get_or_init(|| {
        let cols = columns();
        // The stored tables, unless they were made for another version of the pattern file.
        let tables =
            Tables::from_bytes(PATTERNS_BIN, cols.kinds.len()).unwrap_or_else(|| compile(&cols));
        assemble(cols, tables)
    })
}

/// The search automata and prefilter of compiled patterns.
fn assemble(cols: Columns, tables: Tables) -> Compiled {
    let dfas = tables
        .nfas
        .into_iter()
        .enumerate()
        .map(|(i, nfa)| {
            DFA::builder()
                .configure(DFA::config().cache_capacity(DFA_CACHE_BYTES))
                .build_from_nfa(nfa)
                .unwrap_or_else(|e| panic!("line-patterns.tsv: pattern {i}: {e}"))
        })
        .collect();
    let prefilter = Prefilter::from_facts(&tables.facts, &cols.max_len, &cols.cased);
    Compiled {
        dfas,
        kinds: cols.kinds,
        max_len: cols.max_len,
        zone: cols.zone,
        cased: cols.cased,
        prefilter,
    }
}

/// Compiles the pattern automata now rather than on the first line matched.
pub fn warm_up() {
    compiled();
}

/// The chrome kind a whole line matches, if any (the first matching pattern in file order).
pub fn match_line(line: &str) -> Option<ChromeKind> {
    match_line_full(line).map(|m| m.kind)
}

thread_local! {
    /// One reusable lazy-DFA cache per pattern (no allocation per line).
    static CACHES: std::cell::RefCell<Vec<Cache>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Lines whose match a thread remembers before it forgets them all and starts again (at most
/// `MAX_MATCHED_LINE` bytes each: a bound of about 2 MB per thread).
const MEMO_LINES: usize = 4096;

thread_local! {
    /// Lines already matched by this thread: the HTML route asks about a block twice (while
    /// extracting, then in the standalone-chrome pass), and chrome lines recur across a site's
    /// pages. The answer depends on the line alone, so remembering it changes nothing.
    static MEMO: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Option<LineMatch>>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// Forgets the lines this thread has matched (its memo), keeping the automata's states it has
/// built. For benchmarks: a pass that measures a corpus in the steady state of a long run (the
/// automata built) without answers remembered from an earlier pass over the same lines.
#[doc(hidden)]
pub fn forget_matched_lines() {
    MEMO.with_borrow_mut(|m| m.clear());
}

/// Like [`match_line`], also saying whether the line opens a chrome zone.
pub fn match_line_full(line: &str) -> Option<LineMatch> {
    if line.len() > MAX_MATCHED_LINE {
        return None;
    }
    if let Some(known) = MEMO.with_borrow(|m| m.get(line).copied()) {
        return known;
    }
    let found = search_line(line);
    MEMO.with_borrow_mut(|m| {
        if m.len() >= MEMO_LINES {
            m.clear();
        }
        m.insert(line.into(), found);
    });
    found
}

/// The first pattern (in file order) that matches `line`, by searching the automata.
fn search_line(line: &str) -> Option<LineMatch> {
    let c = compiled();
    // Most lines are ASCII: lower-cased on the stack, one byte per character.
    let mut buf = [0u8; MAX_MATCHED_LINE];
    let owned;
    let (lower, chars) = if line.is_ascii() {
        let b = &mut buf[..line.len()];
        b.copy_from_slice(line.as_bytes());
        b.make_ascii_lowercase();
        (std::str::from_utf8(b).unwrap_or_default(), line.len())
    } else {
        owned = crate::text_util::to_lowercase(line);
        (owned.as_str(), owned.chars().count())
    };
    let candidates = c
        .prefilter
        .candidates(lower.as_bytes(), line.as_bytes(), chars);
    if candidates == 0 {
        return None;
    }
    // Whether a pattern matches, not where: the search stops at the first match it meets.
    let input = Input::new(lower).earliest(true);
    let as_written = Input::new(line).earliest(true);
    let n = c.dfas.len();
    let found = CACHES.with_borrow_mut(|caches| {
        if caches.len() != n {
            *caches = c.dfas.iter().map(DFA::create_cache).collect();
        }
        // The candidates' bits in ascending order, then any pattern beyond the mask's reach.
        let bits = std::iter::successors(Some(candidates), |m| Some(m & m.wrapping_sub(1)))
            .take_while(|&m| m != 0)
            .map(|m| m.trailing_zeros() as usize);
        bits.chain(MAX_PATTERNS..n)
            .filter(|&i| i < n && chars <= c.max_len[i])
            .find(|&i| {
                let text = if c.cased[i] { &as_written } else { &input };
                // The DFA has no quit bytes (word boundaries are ASCII) and never gives up
                // (no minimum cache clear count), so the search cannot fail; an error would
                // only count as no match.
                matches!(c.dfas[i].try_search_fwd(&mut caches[i], text), Ok(Some(_)))
            })
    });
    let i = found?;
    Some(LineMatch {
        kind: c.kinds[i],
        starts_zone: c.zone[i],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta::Regex;

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
            ("Protesters gather outside the court in London. (AP Photo/Matt Dunham)", ChromeKind::Caption),
            ("Police officers at the scene in Berlin (dpa)", ChromeKind::Caption),
            ("Fans wait outside the stadium. (REUTERS)", ChromeKind::Caption),
            ("Don't Miss", ChromeKind::Promo),
            ("Order Reprints", ChromeKind::Promo),
            ("Highlights", ChromeKind::Promo),
        ];
        assert_kinds(&cases);
    }

    /// Each line matches its kind.
    fn assert_kinds(cases: &[(&str, ChromeKind)]) {
        for &(line, kind) in cases {
            assert_eq!(match_line(line), Some(kind), "{line}");
        }
    }

    /// The seed articles' texts.
    const SEEDS: [&str; 5] = [
        include_str!("../../corpus/input/000_4824812027a22b0e.txt"),
        include_str!("../../corpus/input/001_6db44384c25f5796.txt"),
        include_str!("../../corpus/input/002_1aa3bb47d970edc0.txt"),
        include_str!("../../corpus/input/003_bb4c1b51b1e6807b.txt"),
        include_str!("../../corpus/input/004_aa114d4b00301979.txt"),
    ];

    /// Each pattern of the file compiled alone: regex, MAXLEN, matched as written.
    fn single_patterns() -> Vec<(Regex, usize, bool)> {
        crate::text_util::data_lines(PATTERNS_TSV)
            .map(|l| {
                let (_, cased, _, len, re) = parse_line(l);
                let re = replace_word_boundaries(re, ASCII_WORD_BOUNDARY);
                (Regex::new(&re).unwrap(), len, cased)
            })
            .collect()
    }

    /// The grouped automata find the same first pattern as trying each pattern alone, in order.
    #[test]
    fn groups_agree_with_one_pattern_at_a_time() {
        let c = compiled();
        let singles = single_patterns();
        // Lines for the case-sensitive patterns, which the seeds lack.
        let extra =
            "Crowds in the square. (AP Photo/Jane Roe)\nDie Patientenakte (ePA)\nA (Reuters)";
        let mut matched = 0;
        for line in SEEDS.iter().chain([&extra]).flat_map(|s| s.lines()) {
            let lower = line.trim().to_lowercase();
            let n = lower.chars().count();
            let naive = singles
                .iter()
                .position(|(r, len, cased)| {
                    n <= *len && r.is_match(if *cased { line.trim() } else { &lower })
                })
                .filter(|_| line.trim().len() <= MAX_MATCHED_LINE)
                .map(|i| c.kinds[i]);
            assert_eq!(match_line(line.trim()), naive, "{line}");
            matched += usize::from(naive.is_some());
        }
        assert!(matched > 20, "{matched}");
    }

    /// The stored tables are those the pattern file compiles to (else: run
    /// `cargo run --release --example build_line_patterns`), and they read back as compiled.
    #[test]
    fn stored_tables_are_current_and_read_back() {
        let cols = columns();
        let fresh = compile(&cols);
        assert!(
            PATTERNS_BIN == fresh.to_bytes().as_slice(),
            "data/chrome/line-patterns.bin is stale: run \
             `cargo run --release --example build_line_patterns`"
        );
        let stored = Tables::from_bytes(PATTERNS_BIN, cols.kinds.len()).expect("stored tables");
        assert_eq!(stored.facts, fresh.facts);
        assert_eq!(stored.nfas.len(), fresh.nfas.len());
        for (i, (nfa, nfa2)) in stored.nfas.iter().zip(&fresh.nfas).enumerate() {
            assert_eq!(nfa.states(), nfa2.states(), "pattern {i}");
            assert_eq!(format!("{nfa:?}"), format!("{nfa2:?}"), "pattern {i}");
        }
    }

    /// Tables for another pattern file, or cut short, are not used.
    #[test]
    fn foreign_or_damaged_tables_are_ignored() {
        let n = columns().kinds.len();
        let mut other = PATTERNS_BIN.to_vec();
        other[8] ^= 1; // the pattern file's fingerprint
        assert!(Tables::from_bytes(&other, n).is_none());
        assert!(Tables::from_bytes(&PATTERNS_BIN[..PATTERNS_BIN.len() - 1], n).is_none());
        assert!(Tables::from_bytes(&[PATTERNS_BIN, b"x"].concat(), n).is_none());
        assert!(Tables::from_bytes(PATTERNS_BIN, n + 1).is_none());
        assert!(Tables::from_bytes(b"", n).is_none());
    }

    /// The prefilter keeps every pattern that matches a line (each pattern tried alone, whatever
    /// its MAXLEN allows), on the seeds' lines and lines made for the patterns.
    #[test]
    fn prefilter_keeps_every_matching_pattern() {
        let c = compiled();
        let singles = single_patterns();
        let made = "3 min read\nShare this article\nComment *\n12 comments\nRecent News\nBy: Anonymous | 09-29-2016 | News\nScroll To Top\nMilan on September 12, 2018 at 4:47 pm said:\nhe says:\nFacebook Twitter Google+ Whatsapp\nLast update: Wed, 28/09/2016 - 23:35\nRefugees in Greece [Anadolu]\nKerry in New York. (AP)\nPhoto: Jane Roe/Reuters\nPhoto credit... Jane Roe\n© 2016 The Paper\nTags: Syria, Aleppo\nLeia também: o caso\nJane Roe, staff writer\nFollow us on Twitter\n[ world ] |\nTempo de leitura: 3 min\nLo más leído";
        let mut matched = 0;
        for line in SEEDS.iter().chain([&made]).flat_map(|s| s.lines()) {
            let raw = line.trim();
            let lower = raw.to_lowercase();
            // Length 0: every MAXLEN allows it, so only the edge and literal tests apply.
            let cand = c.prefilter.candidates(lower.as_bytes(), raw.as_bytes(), 0);
            for (i, (r, _, cased)) in singles.iter().enumerate() {
                if r.is_match(if *cased { raw } else { &lower }) {
                    matched += 1;
                    assert!(cand >> i & 1 == 1, "pattern {i} on {raw:?}");
                }
            }
        }
        assert!(matched > 40, "{matched}");
    }

    /// Photo credits, wire footers, contact lines and newsletter prompts (hand-written lines in
    /// the usual shapes of news sites).
    #[test]
    fn credit_footer_and_promo_lines() {
        let cases = [
            ("Image 3 of 12", ChromeKind::Caption),
            ("Crowds outside the court on Friday. John Smith / AP file", ChromeKind::Caption),
            ("Fans queue for hours outside the stadium in the rain ahead of the final, which sold out within minutes. Jane Roe/AFP/Getty Images", ChromeKind::Caption),
            ("FILE PHOTO: The logo of a carmaker at a motor show in Paris.", ChromeKind::Caption),
            ("(Reporting by Jane Roe; Editing by John Doe)", ChromeKind::Byline),
            ("Jane Roe @janeroe", ChromeKind::Byline),
            ("jane.roe@example.com", ChromeKind::Byline),
            ("twitter.com/janeroe", ChromeKind::Byline),
            ("Word count: 640", ChromeKind::ReadingTime),
            ("First published on March 3, 2021", ChromeKind::Date),
            ("The Morning Briefing Newsletter", ChromeKind::Promo),
            ("Enjoyed this story? Pass it on.", ChromeKind::Promo),
            ("Want more recipes? Sign up for our weekly newsletter.", ChromeKind::Promo),
            ("Subscribe to The Daily Paper for unlimited access.", ChromeKind::Promo),
            ("Get the latest headlines delivered to your inbox every morning.", ChromeKind::Promo),
            ("Report an error", ChromeKind::Promo),
            ("(Image credit: Blue Origin)", ChromeKind::Caption),
            ("Stay up to date with Ascom. Subscribe to our newsletter.", ChromeKind::Promo),
            ("Subscribe No thanks", ChromeKind::Promo),
            ("Email Jane Roe at jroe@example.com or follow her @janeroe.", ChromeKind::Byline),
            ("[Related: Ten takeaways from the Dreamforce keynote ]", ChromeKind::Teaser),
            ("(Leggi anche su: il remake arriva su Netflix –FOTO)", ChromeKind::Teaser),
            ("личный архив Ольги Панковой", ChromeKind::Caption),
            ("Текст: Венера Ерофеева · 24 сентября 2018", ChromeKind::Byline),
            ("I agree that Example Sports can send me the Daily Picks newsletter.", ChromeKind::Promo),
            ("This slideshow requires JavaScript.", ChromeKind::Promo),
            ("chevron_left Browse All Posts", ChromeKind::Navigation),
        ];
        assert_kinds(&cases);
    }

    #[test]
    fn prose_is_not_chrome() {
        for line in [
            "The US dismissed these claims, urging Russia to step in to stop the indiscriminate killing.",
            "\"No, we are not going to put pressure on [Damascus] because one must understand that the situation in Aleppo is part of this fight,\" he said.",
            "More strikingly however, Syrian refugees stranded in the Greek Idomeni refugee camp also protested in solidarity with Aleppo.",
            // Agency credits are case-sensitive: the German electronic patient record (ePA).
            "Das Thema mit dem höchsten Potenzial wird seit Jahren diskutiert: die elektronische Patientenakte (ePA)",
            // Statistics read like gallery counters; newsletters and sign-ups are news too.
            "1 of 4 Americans say they have skipped a meal to save money, the survey found.",
            "Sign up for the service costs $12 a month, the company said on Tuesday.",
            "The newsletter, which has 40,000 readers, was first published in 1998.",
            "Tax credit: the bill doubles it for families with two children or more.",
            "\"No thanks,\" she said when the company offered her a smaller role.",
            "Contact tracing at the school found 14 cases, officials said in an email to parents.",
            "I agree with the mayor that the budget leaves too little for schools, she told the council.",
            "Личный архив писателя передали музею в прошлом году.",
        ] {
            assert_eq!(match_line(line), None, "{line}");
        }
    }
}

#[cfg(test)]
mod timing {
    use super::*;
    use regex_automata::meta::Regex;

    /// Development aid: `CHAFF_PATTERN_BENCH=FILE cargo test --release pattern_timing -- --ignored --nocapture`.
    #[test]
    #[ignore = "development aid, prints timings"]
    fn pattern_timing() {
        let Ok(path) = std::env::var("CHAFF_PATTERN_BENCH") else {
            return;
        };
        let text = std::fs::read_to_string(path).unwrap().to_lowercase();
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.len() <= MAX_MATCHED_LINE)
            .collect();
        for line in crate::text_util::data_lines(PATTERNS_TSV) {
            let re = parse_line(line).4;
            let r = Regex::new(&replace_word_boundaries(re, ASCII_WORD_BOUNDARY)).unwrap();
            let t = std::time::Instant::now();
            let mut n = 0;
            for l in &lines {
                if r.search(&Input::new(l)).is_some() {
                    n += 1;
                }
            }
            println!(
                "{:>8.1} ms {n:>5} {}",
                t.elapsed().as_secs_f64() * 1e3,
                &re[..re.len().min(90)]
            );
        }
    }
}
