//! Necessary conditions for a line pattern to match, computed from its syntax tree: which patterns
//! a line can possibly match, found from its length and its first and last bytes, before any
//! automaton runs.
//!
//! Every condition is implied by a match, never the reverse: a pattern left out cannot match the
//! line, a pattern kept may still fail. For a pattern anchored at the line's start (`^`), the
//! line's first byte is one a match can begin with and the line starts with one of the pattern's
//! prefix literals; anchored at its end (`$`), the same for its last byte and suffix literals; not
//! anchored at the start, the line contains one of its prefix literals. Byte sets come from the
//! tree itself (a large class such as `\d` or `\p{L}` still rules out most bytes); literals come
//! from [`regex_syntax::hir::literal::Extractor`] (short words: `"share"`, `").`").

use super::pattern_store::{Reader, Writer};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind, Look};
use rustc_hash::FxHashMap;

/// A set of patterns, one bit each (pattern index < [`MAX_PATTERNS`]).
pub type Mask = u128;

/// Patterns that a [`Mask`] can hold; patterns beyond it are always candidates.
pub const MAX_PATTERNS: usize = Mask::BITS as usize;

/// A set of bytes.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn insert_range(&mut self, lo: u8, hi: u8) {
        // One mask per 64-bit word the range touches (a class such as `\p{L}` adds hundreds).
        for (w, word) in self.0.iter_mut().enumerate() {
            let (first, last) = (64 * w as u32, 64 * w as u32 + 63);
            let (a, b) = (u32::from(lo).max(first), u32::from(hi).min(last));
            if a <= b {
                let bits = b - a + 1;
                let mask = if bits == 64 {
                    u64::MAX
                } else {
                    ((1u64 << bits) - 1) << (a - first)
                };
                *word |= mask;
            }
        }
    }

    fn union(&mut self, other: ByteSet) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }

    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn write(&self, w: &mut Writer) {
        for word in self.0 {
            w.u32(word as u32);
            w.u32((word >> 32) as u32);
        }
    }

    fn read(r: &mut Reader) -> Option<Self> {
        let mut set = ByteSet::default();
        for word in &mut set.0 {
            *word = u64::from(r.u32()?) | u64::from(r.u32()?) << 32;
        }
        Some(set)
    }
}

/// The bytes a match of `hir` can begin with (or end with, when `last`), and whether it can be
/// empty. Look-around assertions count as empty: they only narrow what matches.
fn edge_bytes(hir: &Hir, last: bool) -> (ByteSet, bool) {
    let mut set = ByteSet::default();
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (set, true),
        HirKind::Literal(lit) => match if last { lit.0.last() } else { lit.0.first() } {
            Some(&b) => {
                set.insert_range(b, b);
                (set, false)
            }
            None => (set, true),
        },
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.ranges() {
                set.insert_range(r.start(), r.end());
            }
            (set, false)
        }
        HirKind::Class(Class::Unicode(c)) => {
            for r in c.ranges() {
                insert_edge_bytes(&mut set, u32::from(r.start()), u32::from(r.end()), last);
            }
            (set, false)
        }
        HirKind::Repetition(rep) => {
            let (sub, empty) = edge_bytes(&rep.sub, last);
            (sub, empty || rep.min == 0)
        }
        HirKind::Capture(cap) => edge_bytes(&cap.sub, last),
        HirKind::Concat(parts) => {
            let mut walk = |h: &Hir| {
                let (sub, empty) = edge_bytes(h, last);
                set.union(sub);
                empty
            };
            let empty = if last {
                parts.iter().rev().all(&mut walk)
            } else {
                parts.iter().all(&mut walk)
            };
            (set, empty)
        }
        HirKind::Alternation(alts) => {
            let mut empty = false;
            for h in alts {
                let (sub, e) = edge_bytes(h, last);
                set.union(sub);
                empty |= e;
            }
            (set, empty)
        }
    }
}

/// Valid UTF-8 lead bytes, as inclusive ranges.
const LEAD_BYTES: [(u8, u8); 4] = [(0x00, 0x7F), (0xC2, 0xDF), (0xE0, 0xEF), (0xF0, 0xF4)];

/// Adds to `set` the first (or last, when `last`) byte of the UTF-8 encoding of every scalar
/// value in `lo..=hi`, computed from the range's ends rather than by encoding each value: a
/// class such as `\p{L}` holds hundreds of ranges and tens of thousands of values.
/// - First bytes: the lead byte grows with the value, and every valid lead byte between the
///   range's first and last value's is the lead of some value inside it, so the set is the valid
///   lead bytes from the first's to the last's.
/// - Last bytes: an ASCII value is its own byte; a longer encoding ends in `0x80 | (c & 0x3F)`,
///   so 64 consecutive values give every continuation byte. Surrogates (never in a class, never
///   encoded) split the range first, so that consecutive means consecutive scalar values.
fn insert_edge_bytes(set: &mut ByteSet, lo: u32, hi: u32, last: bool) {
    // Ends inside the surrogates move out of them.
    let lo = if (0xD800..=0xDFFF).contains(&lo) {
        0xE000
    } else {
        lo
    };
    let hi = if (0xD800..=0xDFFF).contains(&hi) {
        0xD7FF
    } else {
        hi
    };
    if lo > hi {
        return;
    }
    let lead = |c: u32| -> u8 {
        (match c {
            0..=0x7F => c,
            0x80..=0x7FF => 0xC0 | c >> 6,
            0x800..=0xFFFF => 0xE0 | c >> 12,
            _ => 0xF0 | c >> 18,
        }) as u8
    };
    if !last {
        let (a, b) = (lead(lo), lead(hi));
        for (s, e) in LEAD_BYTES {
            let (s, e) = (s.max(a), e.min(b));
            if s <= e {
                set.insert_range(s, e);
            }
        }
        return;
    }
    let pieces = [(lo, hi.min(0xD7FF)), (lo.max(0xE000), hi)];
    for (lo, hi) in pieces {
        if lo > hi {
            continue;
        }
        if lo < 0x80 {
            let top = hi.min(0x7F);
            set.insert_range(lo as u8, top as u8);
        }
        let lo = lo.max(0x80);
        if lo > hi {
            continue;
        }
        if hi - lo >= 63 {
            set.insert_range(0x80, 0xBF);
        } else {
            for c in lo..=hi {
                let b = 0x80 | (c & 0x3F) as u8;
                set.insert_range(b, b);
            }
        }
    }
}

/// The literals every match of `hir` starts (or ends) with, when there are few enough of them to
/// test one by one; `None` when any string may start a match.
fn edge_literals(hir: &Hir, kind: ExtractKind) -> Option<Vec<Box<[u8]>>> {
    let seq = Extractor::new().kind(kind).limit_total(256).extract(hir);
    let lits = seq.literals()?;
    if lits.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(lits.iter().map(|l| l.as_bytes().into()).collect())
}

/// The first (or last) bytes of many patterns' literals, each with its patterns' bits. A literal
/// is cut to its first (last) [`EDGE_BYTES`] bytes: a line that starts with the literal starts
/// with those, so the test stays a necessary condition, and it costs three table lookups however
/// many literals there are.
struct Edges {
    one: Box<[Mask; 256]>,
    two: FxHashMap<[u8; 2], Mask>,
    three: FxHashMap<[u8; EDGE_BYTES], Mask>,
    /// Whether they are the literals' last bytes (the line ends with them) or their first.
    last: bool,
}

/// Bytes of each literal kept by [`Edges`].
const EDGE_BYTES: usize = 3;

impl Edges {
    fn new(last: bool) -> Self {
        Edges {
            one: Box::new([0; 256]),
            two: FxHashMap::default(),
            three: FxHashMap::default(),
            last,
        }
    }

    /// The line's first (last) `n` bytes, in order.
    fn edge<'t>(&self, text: &'t [u8], n: usize) -> Option<&'t [u8]> {
        if text.len() < n {
            None
        } else if self.last {
            Some(&text[text.len() - n..])
        } else {
            Some(&text[..n])
        }
    }

    fn add(&mut self, lit: &[u8], bit: Mask) {
        match self.edge(lit, lit.len().min(EDGE_BYTES)) {
            Some(&[a]) => self.one[usize::from(a)] |= bit,
            Some(&[a, b]) => *self.two.entry([a, b]).or_default() |= bit,
            Some(&[a, b, c]) => *self.three.entry([a, b, c]).or_default() |= bit,
            _ => {}
        }
    }

    /// The patterns one of whose literals' edges `text` starts (or ends) with.
    fn matching(&self, text: &[u8]) -> Mask {
        let mut found = 0;
        if let Some(&[a]) = self.edge(text, 1) {
            found |= self.one[usize::from(a)];
        }
        if let Some(&[a, b]) = self.edge(text, 2) {
            found |= self.two.get(&[a, b]).copied().unwrap_or(0);
        }
        if let Some(&[a, b, c]) = self.edge(text, 3) {
            found |= self.three.get(&[a, b, c]).copied().unwrap_or(0);
        }
        found
    }
}

/// Tests of the literals a line must hold, for all patterns at once.
struct Literals {
    /// Anchored at the start: the line starts with one of their prefixes ...
    starts: Edges,
    has_starts: Mask,
    /// ... anchored at the end: it ends with one of their suffixes ...
    ends: Edges,
    has_ends: Mask,
    /// ... not anchored at the start: it contains one of their prefixes (by pattern index;
    /// searched only for the patterns still candidates).
    contains: Vec<Vec<memchr::memmem::Finder<'static>>>,
    has_contains: Mask,
}

impl Literals {
    fn new(facts: &[PatternFacts]) -> Self {
        let mut l = Literals {
            starts: Edges::new(false),
            has_starts: 0,
            ends: Edges::new(true),
            has_ends: 0,
            contains: Vec::new(),
            has_contains: 0,
        };
        for (i, f) in facts.iter().enumerate().take(MAX_PATTERNS) {
            let bit: Mask = 1 << i;
            l.contains.push(Vec::new());
            if let Some(prefixes) = &f.prefixes {
                if f.start {
                    l.has_starts |= bit;
                    for p in prefixes {
                        l.starts.add(p, bit);
                    }
                } else {
                    l.has_contains |= bit;
                    l.contains[i] = prefixes
                        .iter()
                        .map(|p| memchr::memmem::Finder::new(p).into_owned())
                        .collect();
                }
            }
            if let Some(suffixes) = &f.suffixes {
                l.has_ends |= bit;
                for s in suffixes {
                    l.ends.add(s, bit);
                }
            }
        }
        l
    }

    /// Removes from `cand` the patterns whose literals the line lacks (`lower` for the patterns
    /// matched lower-cased, `raw` for those in `cased`).
    fn narrow(&self, mut cand: Mask, lower: &[u8], raw: &[u8], cased: Mask) -> Mask {
        let both = |cand: Mask, test: &dyn Fn(&[u8]) -> Mask| {
            let mut ok = 0;
            if cand & !cased != 0 {
                ok |= test(lower) & !cased;
            }
            if cand & cased != 0 {
                ok |= test(raw) & cased;
            }
            ok
        };
        if cand & self.has_starts != 0 {
            cand &= both(cand & self.has_starts, &|t| self.starts.matching(t)) | !self.has_starts;
        }
        if cand & self.has_ends != 0 {
            cand &= both(cand & self.has_ends, &|t| self.ends.matching(t)) | !self.has_ends;
        }
        let mut rest = cand & self.has_contains;
        while rest != 0 {
            let i = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let text = if cased >> i & 1 == 1 { raw } else { lower };
            if !self.contains[i].iter().any(|f| f.find(text).is_some()) {
                cand &= !(1 << i);
            }
        }
        cand
    }
}

/// What the prefilter needs to know of one pattern, taken from its syntax tree once (when the
/// patterns are compiled) and stored with the compiled patterns (see
/// [`super::pattern_store`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternFacts {
    /// Anchored at the line's start (`^`).
    start: bool,
    /// Anchored at the line's end (`$`).
    end: bool,
    /// When anchored at the start: the bytes a match can begin with, and whether it can begin
    /// with nothing (look-arounds, optional parts) so that any byte may follow.
    first: (ByteSet, bool),
    /// When anchored at the end: the bytes a match can end with, likewise.
    last: (ByteSet, bool),
    /// Whether the pattern can match an empty line.
    empty: bool,
    /// The literals every match starts with, when there are few enough.
    prefixes: Option<Vec<Box<[u8]>>>,
    /// When anchored at the end: the literals every match ends with, when few enough.
    suffixes: Option<Vec<Box<[u8]>>>,
}

impl PatternFacts {
    /// The facts of the pattern `hir`.
    pub fn of(hir: &Hir) -> Self {
        let props = hir.properties();
        let start = props.look_set_prefix().contains(Look::Start);
        let end = props.look_set_suffix().contains(Look::End);
        // The byte sets only matter for an anchored end.
        let none = (ByteSet::default(), true);
        PatternFacts {
            start,
            end,
            first: if start { edge_bytes(hir, false) } else { none },
            last: if end { edge_bytes(hir, true) } else { none },
            empty: props.minimum_len().is_none_or(|n| n == 0),
            prefixes: edge_literals(hir, ExtractKind::Prefix),
            suffixes: if end {
                edge_literals(hir, ExtractKind::Suffix)
            } else {
                None
            },
        }
    }

    /// Appends the facts to `w`.
    pub fn write(&self, w: &mut Writer) {
        let flags = u8::from(self.start)
            | u8::from(self.end) << 1
            | u8::from(self.first.1) << 2
            | u8::from(self.last.1) << 3
            | u8::from(self.empty) << 4;
        w.u8(flags);
        self.first.0.write(w);
        self.last.0.write(w);
        for lits in [&self.prefixes, &self.suffixes] {
            match lits {
                None => w.u8(0),
                Some(lits) => {
                    w.u8(1);
                    w.count(lits.len());
                    for l in lits {
                        w.blob(l);
                    }
                }
            }
        }
    }

    /// Reads facts written by [`PatternFacts::write`].
    pub fn read(r: &mut Reader) -> Option<Self> {
        let flags = r.u8()?;
        let first = ByteSet::read(r)?;
        let last = ByteSet::read(r)?;
        let mut lits = || -> Option<Option<Vec<Box<[u8]>>>> {
            match r.u8()? {
                0 => Some(None),
                1 => {
                    let n = r.count()?;
                    let v: Option<Vec<Box<[u8]>>> =
                        (0..n).map(|_| r.blob().map(Box::from)).collect();
                    Some(Some(v?))
                }
                _ => None,
            }
        };
        let prefixes = lits()?;
        let suffixes = lits()?;
        Some(PatternFacts {
            start: flags & 1 != 0,
            end: flags & 2 != 0,
            first: (first, flags & 4 != 0),
            last: (last, flags & 8 != 0),
            empty: flags & 16 != 0,
            prefixes,
            suffixes,
        })
    }
}

/// The conditions of a whole pattern set, as lookup tables of pattern masks.
pub struct Prefilter {
    /// By first byte: the patterns a line starting with it may match (all patterns not anchored
    /// at the start, or whose matches can be empty).
    first: [Mask; 256],
    /// By last byte, likewise for patterns anchored at the end.
    last: [Mask; 256],
    /// Patterns that a line of no bytes may match.
    empty: Mask,
    /// By line length in characters: the patterns whose MAXLEN allows it (beyond the table: none).
    by_len: Vec<Mask>,
    /// The patterns matched against the line as written, not lower-cased.
    cased: Mask,
    /// The literal tests, after the tables.
    literals: Literals,
    /// Patterns beyond [`MAX_PATTERNS`]: always candidates.
    unfiltered: bool,
}

impl Prefilter {
    /// Builds the conditions of `hirs`, with each pattern's MAXLEN (in characters) and whether it
    /// is matched as written.
    pub fn new(hirs: &[Hir], max_len: &[usize], cased: &[bool]) -> Self {
        let facts: Vec<PatternFacts> = hirs.iter().map(PatternFacts::of).collect();
        Self::from_facts(&facts, max_len, cased)
    }

    /// [`Prefilter::new`] from the patterns' facts.
    pub fn from_facts(facts: &[PatternFacts], max_len: &[usize], cased: &[bool]) -> Self {
        let longest = max_len.iter().copied().max().unwrap_or(0);
        let mut p = Prefilter {
            first: [0; 256],
            last: [0; 256],
            empty: 0,
            by_len: vec![0; longest + 2],
            cased: 0,
            literals: Literals::new(facts),
            unfiltered: facts.len() > MAX_PATTERNS,
        };
        for (i, f) in facts.iter().enumerate().take(MAX_PATTERNS) {
            let bit: Mask = 1 << i;
            let ((first, first_empty), (last, last_empty)) = (f.first, f.last);
            for b in 0..=255u8 {
                if !f.start || first_empty || first.contains(b) {
                    p.first[usize::from(b)] |= bit;
                }
                if !f.end || last_empty || last.contains(b) {
                    p.last[usize::from(b)] |= bit;
                }
            }
            if f.empty {
                p.empty |= bit;
            }
            for m in &mut p.by_len[..=max_len[i].min(longest)] {
                *m |= bit;
            }
            if cased[i] {
                p.cased |= bit;
            }
        }
        p
    }

    /// The patterns that may match a line `chars` characters long, `lower` lower-cased and `raw`
    /// as written: a superset of those that do.
    pub fn candidates(&self, lower: &[u8], raw: &[u8], chars: usize) -> Mask {
        if self.unfiltered {
            return Mask::MAX;
        }
        let of = |text: &[u8]| match (text.first(), text.last()) {
            (Some(&f), Some(&l)) => self.first[usize::from(f)] & self.last[usize::from(l)],
            _ => self.empty,
        };
        let by_len = self.by_len[chars.min(self.by_len.len() - 1)];
        let cand = ((of(lower) & !self.cased) | (of(raw) & self.cased)) & by_len;
        if cand == 0 {
            return 0;
        }
        self.literals.narrow(cand, lower, raw, self.cased)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic pseudo-random number (31 bits) for generated test input.
    fn lcg(seed: &mut u64) -> u32 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 33) as u32
    }

    fn one(re: &str, max_len: usize) -> Prefilter {
        Prefilter::new(&[regex_syntax::parse(re).unwrap()], &[max_len], &[false])
    }

    fn may(p: &Prefilter, line: &str) -> bool {
        p.candidates(line.as_bytes(), line.as_bytes(), line.chars().count()) & 1 == 1
    }

    #[test]
    fn anchored_patterns_need_their_first_and_last_bytes() {
        let p = one(r"^\d+\s*(min|mins)\.?\s*read$", 40);
        assert!(may(&p, "3 min read"));
        assert!(!may(&p, "a min read"));
        assert!(!may(&p, "3 min reads"));
        // Too long for MAXLEN.
        assert!(!may(&p, &format!("3 min{} read", " ".repeat(40))));
        // Unicode digits begin with bytes other than 0-9.
        assert!(may(&p, "٣ min read"));
    }

    #[test]
    fn suffix_and_inner_literals() {
        let p = one(r"\((file|photo[^)]*)\)\.?$", 320);
        assert!(may(&p, "crowds gather (photo: ap)."));
        // Ends in "." but not in ")." and holds no "(file" or "(photo".
        assert!(!may(&p, "the minister spoke on tuesday."));
        assert!(!may(&p, "the minister (left) spoke)."));
        let p = one(r"\bcredit\.\.\.", 300);
        assert!(may(&p, "a photo credit... someone"));
        assert!(!may(&p, "a photo credit someone"));
    }

    #[test]
    fn empty_lines_only_match_patterns_that_allow_them() {
        assert!(!may(&one(r"^share$", 40), ""));
        assert!(may(&one(r"^\s*$", 40), ""));
    }

    /// Every pattern that matches a line is among its candidates, on lines made to match each
    /// kind of pattern and on random text.
    #[test]
    fn candidates_include_every_match() {
        let res = [
            r"^(by|from)\s*:?\s+[\p{L}.'’\- ]+(\s*[|,/·•]\s*.*)?$",
            r"\s(says|said|wrote)\s*:$",
            r"(photo|image|picture)\s*:\s*[\p{L}.\- ]+(/[\p{L} ]+)?$",
            r"^(©|\(c\)|copyright|all rights reserved)",
            r"\[\s*[a-z][a-z ]{1,20}\s*\]\s*\|?$",
            r"^\[?\s*\d+\s*(comments?|replies)\s*\]?$",
        ];
        let hirs: Vec<Hir> = res
            .iter()
            .map(|r| regex_syntax::parse(r).unwrap())
            .collect();
        let p = Prefilter::new(&hirs, &[400; 6], &[false; 6]);
        let regexes: Vec<regex::Regex> =
            res.iter().map(|r| regex::Regex::new(r).unwrap()).collect();
        let mut lines: Vec<String> = [
            "by jane roe | news",
            "from josé álvarez",
            "milan says:",
            "photo: jane roe/ap",
            "© 2016 the paper",
            "read the story [ world ] |",
            "[ 12 comments ]",
            "the minister said: yes.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let alphabet = [
            "by", "from", " ", "says", ":", "photo", "(c)", "[", "]", "3", "comments", "é", "|",
            "/", "a", ".", ")", "\u{a0}",
        ];
        let mut seed = 7u64;
        for _ in 0..3000 {
            let mut next = || lcg(&mut seed) as usize;
            let mut s = String::new();
            for _ in 0..next() % 8 {
                s.push_str(alphabet[next() % alphabet.len()]);
            }
            lines.push(s);
        }
        let mut matched = 0;
        for line in &lines {
            let cand = p.candidates(line.as_bytes(), line.as_bytes(), line.chars().count());
            for (i, r) in regexes.iter().enumerate() {
                if r.is_match(line) {
                    matched += 1;
                    assert!(cand >> i & 1 == 1, "{} on {line:?}", res[i]);
                }
            }
        }
        assert!(matched >= 100, "{matched}");
    }

    #[test]
    fn byte_ranges_set_exactly_their_bytes() {
        for (lo, hi) in [
            (0, 255),
            (0, 0),
            (255, 255),
            (63, 64),
            (10, 200),
            (128, 191),
            (64, 127),
        ] {
            let mut set = ByteSet::default();
            set.insert_range(lo, hi);
            for b in 0..=255u8 {
                assert_eq!(set.contains(b), (lo..=hi).contains(&b), "{lo}..={hi}: {b}");
            }
        }
    }

    /// The edge bytes computed from a range's ends are those of encoding every value in it.
    #[test]
    fn edge_bytes_of_ranges_agree_with_encoding_each_value() {
        let mut ranges: Vec<(u32, u32)> = vec![
            (0, 0x10FFFF),
            (0x41, 0x100),
            (0x7F, 0x80),
            (0xD7F0, 0xE00F),
            (0xD7C0, 0xE03F),
            (0x10000, 0x1003E),
            (0x7FF, 0x800),
            (0xFFFF, 0x10000),
        ];
        let mut seed = 11u64;
        for _ in 0..2000 {
            let mut next = || lcg(&mut seed);
            let lo = next() % 0x11_0000;
            let len = [1, 40, 70, 3000, 0x11_0000][next() as usize % 5];
            ranges.push((lo, lo.saturating_add(next() % len).min(0x10FFFF)));
        }
        for (lo, hi) in ranges {
            for last in [false, true] {
                let mut fast = ByteSet::default();
                insert_edge_bytes(&mut fast, lo, hi, last);
                let mut slow = ByteSet::default();
                for ch in (lo..=hi).filter_map(char::from_u32) {
                    let mut buf = [0u8; 4];
                    let bytes = ch.encode_utf8(&mut buf).as_bytes();
                    let b = if last {
                        bytes[bytes.len() - 1]
                    } else {
                        bytes[0]
                    };
                    slow.insert_range(b, b);
                }
                assert_eq!(fast, slow, "{lo:#x}..={hi:#x} last={last}");
            }
        }
    }
}
