//! Synonym-spin detection: how likely a text was rewritten word by word by an article spinner.
//!
//! A spinner swaps words for thesaurus neighbours. A frequent collocation whose word was swapped
//! becomes rare ("atmosphere strikes"), and swapping the neighbour back makes it common again ("air
//! strikes"). For every content word with thesaurus neighbours, the detector asks the bigram model
//! how much better each neighbour would fit between the word's left and right neighbours, and adds
//! up the clear improvements. Spinners that also turn "the" into "a" leave two more traces: "a"
//! where the model strongly prefers "the" ("a biggest", "a officials") and a text that has almost no
//! "the" left. The three rates, shrunk towards zero for short texts, combine into a logistic score.
//!
//! Data: `data/spin/spin.bin`, built by `scripts/build_spin_data.py` from the CMU English language
//! model (word and bigram log-probabilities), WordNet 3.0 and the MyThes thesaurus; see
//! `data/spin/SOURCE.md`. It is embedded in the binary and parsed once, on first use.
//!
//! Cost: one hash lookup per word, two bigram lookups per thesaurus neighbour of each content word;
//! nothing is allocated per token (only for the evidence phrases).

use std::sync::OnceLock;

/// One suspicious phrase with its likely original.
#[derive(Debug, Clone, PartialEq)]
pub struct SpinPhrase {
    /// The phrase as found.
    pub found: String,
    /// What it probably was before spinning.
    pub likely: String,
}

/// The spin verdict for a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpinReport {
    /// Likelihood the text is spun, 0..1 (0.5 and above is flagged).
    pub score: f64,
    /// Evidence phrases, strongest first.
    pub phrases: Vec<SpinPhrase>,
    /// Human-readable evidence for the report.
    pub reasons: Vec<String>,
}

// ------------------------------------------------------------------------------------------------
// Weights and thresholds. Chosen on bench/quality (synthetic-dev spun at 10/25/50% and "the"->"a",
// dev/ real news for false positives) plus a second, independent spinner (MyThes, any sense, no
// inflection) run over the dev/ news texts; the weights are round numbers, not a fit.

/// Weight of the right neighbour's own frequency when comparing candidates (0 = raw bigram
/// probability, 1 = pure association). 0.5 keeps "said" from losing to every rarer synonym.
const FREQ_WEIGHT: f32 = 0.5;
/// A neighbour must beat the word by this much (log10) before it counts as evidence...
const GAIN_FLOOR: f32 = 1.0;
/// ...and one word counts at most this much above the floor.
const GAIN_CAP: f32 = 3.0;
/// Gains at least this large are reported as phrases.
const PHRASE_GAIN: f32 = 1.5;
/// Pseudo-counts that shrink the rates of short texts towards zero.
const PRIOR_WORDS: f64 = 30.0;
const PRIOR_ARTICLES: f64 = 5.0;
/// Logistic combination (see the module doc).
const BIAS: f64 = -4.5;
const W_SWAP: f64 = 45.0;
const W_ARTICLE: f64 = 6.0;
/// Share of "the" among the articles below which the text lost its "the"s (real news: >= 0.42 on
/// dev/, spun "the"->"a" copy: about 0.17).
const THE_SHARE_PIVOT: f64 = 0.45;
const W_THE: f64 = 15.0;
/// Lower-case words unknown to the model: spinners reach for obscure synonyms.
const W_UNKNOWN: f64 = 20.0;
const UNKNOWN_CAP: f64 = 0.05;
/// At most this many phrases are kept in the report.
const MAX_PHRASES: usize = 40;

// ------------------------------------------------------------------------------------------------
// The embedded model.

const DATA: &[u8] = include_bytes!("../../data/spin/spin.bin");
const MAGIC: &[u8; 8] = b"CHAFFSPN";

/// Marks a token that is not in the vocabulary.
const NONE: u32 = u32::MAX;
/// Longest word looked up (longer ones are unknown).
const MAX_WORD: usize = 32;

struct Model {
    /// Id to word.
    words: Vec<&'static str>,
    /// Open-addressed word index: (upper 40 bits of the hash << 24) | (id + 1); 0 = empty.
    index: Vec<u64>,
    index_mask: usize,
    /// log10 P(word).
    ulp: Vec<f32>,
    /// log10 back-off weight.
    bo: Vec<f32>,
    /// Words with ids below this have neighbour lists.
    n_cand: usize,
    nb_off: Vec<u32>,
    nb: Vec<u16>,
    /// Cuckoo table of bigrams: 4 slots per bucket, (fingerprint << 3) | association code.
    table: Vec<u16>,
    nbuckets: u64,
    centres: [f32; 8],
    the: u32,
    a: u32,
    an: u32,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

struct Reader {
    pos: usize,
}

impl Reader {
    fn take(&mut self, n: usize) -> &'static [u8] {
        let s = &DATA[self.pos..self.pos + n];
        self.pos += n;
        s
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take(4).try_into().unwrap())
    }
    fn f32(&mut self) -> f32 {
        f32::from_le_bytes(self.take(4).try_into().unwrap())
    }
    fn u16s(&mut self, n: usize) -> Vec<u16> {
        self.take(2 * n)
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect()
    }
}

impl Model {
    fn get() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(Model::parse)
    }

    /// Parses the layout written by `scripts/build_spin_data.py`.
    fn parse() -> Model {
        assert_eq!(&DATA[..8], MAGIC, "data/spin/spin.bin: bad magic");
        let mut r = Reader { pos: 8 };
        let version = r.u32();
        assert_eq!(version, 1, "data/spin/spin.bin: unknown version");
        let n_words = r.u32() as usize;
        let n_cand = r.u32() as usize;
        let n_links = r.u32() as usize;
        let nbuckets = u64::from(r.u32());
        let blob_len = r.u32() as usize;
        let mut centres = [0f32; 8];
        for c in &mut centres {
            *c = r.f32();
        }
        let ulp_step = r.f32();
        let bo_step = r.f32();
        let blob = std::str::from_utf8(r.take(blob_len)).expect("word list is ASCII");
        let words: Vec<&'static str> = blob.split('\n').collect();
        assert_eq!(words.len(), n_words);
        let ulp = r
            .take(n_words)
            .iter()
            .map(|&q| -f32::from(q) * ulp_step)
            .collect();
        let bo = r
            .take(n_words)
            .iter()
            .map(|&q| 0.1 - f32::from(q) * bo_step)
            .collect();
        let nb_off = (0..=n_cand).map(|_| r.u32()).collect();
        let nb = r.u16s(n_links);
        let table = r.u16s(4 * nbuckets as usize);
        assert_eq!(r.pos, DATA.len(), "data/spin/spin.bin: trailing bytes");

        let size = (n_words * 2).next_power_of_two();
        let mut index = vec![0u64; size];
        for (id, w) in words.iter().enumerate() {
            let h = fnv1a(w.as_bytes());
            let mut slot = h as usize & (size - 1);
            while index[slot] != 0 {
                slot = (slot + 1) & (size - 1);
            }
            index[slot] = (h >> 24 << 24) | (id as u64 + 1);
        }
        let mut m = Model {
            words,
            index,
            index_mask: size - 1,
            ulp,
            bo,
            n_cand,
            nb_off,
            nb,
            table,
            nbuckets,
            centres,
            the: NONE,
            a: NONE,
            an: NONE,
        };
        m.the = m.lookup(b"the");
        m.a = m.lookup(b"a");
        m.an = m.lookup(b"an");
        m
    }

    /// Id of a lower-case word, or NONE.
    #[inline]
    fn lookup(&self, word: &[u8]) -> u32 {
        let h = fnv1a(word);
        let check = h >> 24;
        let mut slot = h as usize & self.index_mask;
        loop {
            let e = self.index[slot];
            if e == 0 {
                return NONE;
            }
            if e >> 24 == check {
                return (e & 0xFF_FFFF) as u32 - 1;
            }
            slot = (slot + 1) & self.index_mask;
        }
    }

    /// Association of the bigram (a, b): log10 P(b|a) minus its back-off estimate; 0 when unseen.
    #[inline]
    fn assoc(&self, a: u32, b: u32) -> f32 {
        let h = splitmix64((u64::from(a) << 32) | u64::from(b));
        let b1 = ((h & 0xFFFF_FFFF) * self.nbuckets) >> 32;
        let mut b2 = ((h >> 32) * self.nbuckets) >> 32;
        if b2 == b1 {
            b2 = (b1 + 1) % self.nbuckets;
        }
        let fp = match ((h ^ (h >> 29)).wrapping_mul(0xD6E8_FEB8_6659_FD93) >> 51) as u16 {
            0 => 1,
            f => f,
        };
        for bucket in [b1 as usize, b2 as usize] {
            for &e in &self.table[4 * bucket..4 * bucket + 4] {
                if e >> 3 == fp {
                    return self.centres[(e & 7) as usize];
                }
            }
        }
        0.0
    }

    fn neighbours(&self, id: u32) -> &[u16] {
        let i = id as usize;
        if i >= self.n_cand {
            return &[];
        }
        &self.nb[self.nb_off[i] as usize..self.nb_off[i + 1] as usize]
    }

    /// How well content word `x` fits between `l` and `r` (up to terms equal for all candidates).
    #[inline]
    fn fit(&self, l: u32, x: u32, r: u32) -> f32 {
        let mut s = 0.0;
        if l != NONE {
            s += (1.0 - FREQ_WEIGHT) * self.ulp[x as usize] + self.assoc(l, x);
        }
        if r != NONE {
            s += self.bo[x as usize] + self.assoc(x, r);
        }
        s
    }

    /// How well article `x` fits between `l` and `r` (r is known).
    #[inline]
    fn article_fit(&self, l: u32, x: u32, r: u32) -> f32 {
        let mut s = self.bo[x as usize] + self.assoc(x, r);
        if l != NONE {
            s += self.ulp[x as usize] + self.assoc(l, x);
        }
        s
    }
}

// ------------------------------------------------------------------------------------------------
// Tokens.

#[derive(Clone, Copy)]
struct Tok {
    id: u32,
    cap: bool,
    start: usize,
    end: usize,
}

enum Item {
    Word(Tok),
    /// A sentence end, number, quote, dash or line break: no bigram spans it.
    Break,
}

/// Streams words and context breaks, lower-casing ASCII words into a fixed buffer.
struct Tokens<'a> {
    s: &'a [u8],
    i: usize,
}

fn is_break_byte(b: u8) -> bool {
    matches!(
        b,
        b'.' | b'!' | b'?' | b';' | b':' | b'(' | b')' | b'[' | b']' | b'"' | b'\n' | b'-'
    ) || b.is_ascii_digit()
}

impl Tokens<'_> {
    /// Next item; words with letters outside ASCII, or too long, get the id NONE.
    fn next(&mut self, m: &Model) -> Option<Item> {
        let s = self.s;
        while self.i < s.len() {
            let b = s[self.i];
            if b.is_ascii_alphabetic() {
                let start = self.i;
                let mut buf = [0u8; MAX_WORD];
                let mut n = 0;
                let mut foreign = false;
                loop {
                    let c = s.get(self.i).copied().unwrap_or(b' ');
                    if c.is_ascii_alphabetic() {
                        if n < MAX_WORD {
                            buf[n] = c.to_ascii_lowercase();
                        }
                        n += 1;
                        self.i += 1;
                    } else if c >= 0x80 {
                        // ’ (U+2019) between letters is an apostrophe; other non-ASCII runs are
                        // letters of a word the model cannot know (or punctuation, handled below).
                        if s[self.i..].starts_with("’".as_bytes())
                            && s.get(self.i + 3).is_some_and(u8::is_ascii_alphabetic)
                        {
                            if n < MAX_WORD {
                                buf[n] = b'\'';
                            }
                            n += 1;
                            self.i += 3;
                        } else if is_letter_at(s, self.i) {
                            foreign = true;
                            self.i += utf8_len(c);
                        } else {
                            break;
                        }
                    } else if c == b'\'' && s.get(self.i + 1).is_some_and(u8::is_ascii_alphabetic) {
                        if n < MAX_WORD {
                            buf[n] = b'\'';
                        }
                        n += 1;
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                let id = if foreign || n > MAX_WORD {
                    NONE
                } else {
                    m.lookup(&buf[..n])
                };
                return Some(Item::Word(Tok {
                    id,
                    cap: b.is_ascii_uppercase(),
                    start,
                    end: self.i,
                }));
            }
            if b < 0x80 {
                self.i += 1;
                if is_break_byte(b) {
                    return Some(Item::Break);
                }
                continue;
            }
            // Non-ASCII outside a word: curly quotes and dashes break the context; letters start
            // an unknown word; anything else is skipped.
            let rest = &s[self.i..];
            if ["“", "”", "—", "–", "…"]
                .iter()
                .any(|p| rest.starts_with(p.as_bytes()))
            {
                self.i += 3;
                return Some(Item::Break);
            }
            if is_letter_at(s, self.i) {
                let start = self.i;
                while self.i < s.len()
                    && (s[self.i].is_ascii_alphabetic()
                        || (s[self.i] >= 0x80 && is_letter_at(s, self.i)))
                {
                    self.i += utf8_len(s[self.i]);
                }
                return Some(Item::Word(Tok {
                    id: NONE,
                    cap: true,
                    start,
                    end: self.i,
                }));
            }
            self.i += utf8_len(b);
        }
        None
    }
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Whether the character starting at byte `i` (non-ASCII) is alphabetic.
fn is_letter_at(s: &[u8], i: usize) -> bool {
    let end = (i + utf8_len(s[i])).min(s.len());
    std::str::from_utf8(&s[i..end])
        .ok()
        .and_then(|c| c.chars().next())
        .is_some_and(char::is_alphabetic)
}

// ------------------------------------------------------------------------------------------------
// Analysis.

#[derive(Default)]
struct Tally {
    words: usize,
    known_lower: usize,
    unknown_lower: usize,
    the: usize,
    a_an: usize,
    candidates: usize,
    swap_evidence: f64,
    suspicious: usize,
    articles: usize,
    article_evidence: f64,
    article_suspicious: usize,
    /// (gain, start, end, likely original, is an article swap).
    found: Vec<(f32, usize, usize, String, bool)>,
}

fn hinge(gain: f32) -> f64 {
    f64::from((gain - GAIN_FLOOR).clamp(0.0, GAIN_CAP))
}

impl Tally {
    /// Scores the middle token `w` of the window (l, w, r); NONE marks a missing side.
    fn visit(&mut self, m: &Model, text: &str, l: Option<Tok>, w: Tok, r: Option<Tok>) {
        if w.id == NONE {
            return;
        }
        let lid = l.map_or(NONE, |t| t.id);
        let rid = r.map_or(NONE, |t| t.id);
        if lid == NONE && rid == NONE {
            return;
        }
        if w.id == m.a || w.id == m.an || w.id == m.the {
            if rid == NONE || w.id == m.the {
                return;
            }
            let own = m.article_fit(lid, w.id, rid);
            let (mut best, mut alt) = (f32::NEG_INFINITY, NONE);
            for x in [m.the, m.a, m.an] {
                if x != w.id {
                    let f = m.article_fit(lid, x, rid);
                    if f > best {
                        best = f;
                        alt = x;
                    }
                }
            }
            let gain = best - own;
            self.articles += 1;
            self.article_evidence += hinge(gain);
            if gain > PHRASE_GAIN {
                self.article_suspicious += 1;
                let r = r.unwrap();
                let likely = format!("{} {}", m.words[alt as usize], &text[r.start..r.end]);
                self.found.push((gain, w.start, r.end, likely, true));
            }
            return;
        }
        if w.cap {
            return;
        }
        let nbs = m.neighbours(w.id);
        if nbs.is_empty() {
            return;
        }
        self.candidates += 1;
        let own = m.fit(lid, w.id, rid);
        let (mut best, mut alt) = (f32::NEG_INFINITY, NONE);
        for &x in nbs {
            let f = m.fit(lid, u32::from(x), rid);
            if f > best {
                best = f;
                alt = u32::from(x);
            }
        }
        let gain = best - own;
        self.swap_evidence += hinge(gain);
        if gain > PHRASE_GAIN {
            self.suspicious += 1;
            // Show the side whose bigram improves most.
            let left = if lid != NONE {
                m.assoc(lid, alt) - m.assoc(lid, w.id)
            } else {
                f32::NEG_INFINITY
            };
            let right = if rid != NONE {
                m.assoc(alt, rid) - m.assoc(w.id, rid)
            } else {
                f32::NEG_INFINITY
            };
            let alt_word = m.words[alt as usize];
            let (start, end, likely) = if right >= left {
                let r = r.unwrap();
                (
                    w.start,
                    r.end,
                    format!("{alt_word} {}", &text[r.start..r.end]),
                )
            } else {
                let l = l.unwrap();
                (
                    l.start,
                    w.end,
                    format!("{} {alt_word}", &text[l.start..l.end]),
                )
            };
            self.found.push((gain, start, end, likely, false));
        }
    }

    fn count(&mut self, m: &Model, t: &Tok, text: &str) {
        self.words += 1;
        if t.id == m.the {
            self.the += 1;
        } else if t.id == m.a || t.id == m.an {
            self.a_an += 1;
        }
        if !t.cap {
            if t.id != NONE {
                self.known_lower += 1;
            } else if !text[t.start..t.end].contains(['\'', '’']) {
                self.unknown_lower += 1;
            }
        }
    }
}

/// Analyses `text`; `lang` is the ISO 639-3 code when known. Only English is analysed.
pub fn analyze(text: &str, lang: Option<&str>) -> SpinReport {
    if lang.is_some_and(|l| l != "eng") {
        return SpinReport::default();
    }
    let m = Model::get();
    let mut tally = Tally::default();
    let mut toks = Tokens {
        s: text.as_bytes(),
        i: 0,
    };
    // Sliding window over the current context run: (previous, current).
    let (mut prev, mut cur): (Option<Tok>, Option<Tok>) = (None, None);
    loop {
        let item = toks.next(m);
        match item {
            Some(Item::Word(t)) => {
                tally.count(m, &t, text);
                if let Some(c) = cur {
                    tally.visit(m, text, prev, c, Some(t));
                }
                prev = cur;
                cur = Some(t);
            }
            Some(Item::Break) | None => {
                if let Some(c) = cur {
                    tally.visit(m, text, prev, c, None);
                }
                prev = None;
                cur = None;
                if item.is_none() {
                    break;
                }
            }
        }
    }
    report(tally, text)
}

fn report(mut t: Tally, text: &str) -> SpinReport {
    let swap = t.swap_evidence / (t.candidates as f64 + PRIOR_WORDS);
    let article = t.article_evidence / (t.articles as f64 + PRIOR_ARTICLES);
    let the_share = (t.the as f64 + 2.0) / ((t.the + t.a_an) as f64 + 3.0);
    let unknown = t.unknown_lower as f64 / ((t.known_lower + t.unknown_lower) as f64 + 20.0);
    let z = BIAS
        + W_SWAP * swap
        + W_ARTICLE * article
        + W_THE * (THE_SHARE_PIVOT - the_share).max(0.0)
        + W_UNKNOWN * unknown.min(UNKNOWN_CAP);
    let score = 1.0 / (1.0 + (-z).exp());

    t.found
        .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    t.found.truncate(MAX_PHRASES);
    let example = |article: bool, n: usize| -> String {
        let shown: Vec<String> = t
            .found
            .iter()
            .filter(|f| f.4 == article)
            .take(n)
            .map(|f| format!("{} → {}?", &text[f.1..f.2], f.3))
            .collect();
        shown.join(", ")
    };
    let mut reasons = Vec::new();
    if score >= 0.2 {
        let mut parts = Vec::new();
        if t.suspicious > 0 {
            parts.push(format!(
                "{} suspicious collocations in {} content words ({}{})",
                t.suspicious,
                t.candidates,
                example(false, 5),
                if t.suspicious > 5 { ", ..." } else { "" }
            ));
        }
        if t.article_suspicious > 0 {
            parts.push(format!(
                "'a/an' where 'the' fits {} times ({})",
                t.article_suspicious,
                example(true, 3)
            ));
        }
        if the_share < THE_SHARE_PIVOT {
            parts.push(format!("'the' is {} of {} articles", t.the, t.the + t.a_an));
        }
        if unknown > 0.02 {
            parts.push(format!("{} unusual lower-case words", t.unknown_lower));
        }
        if parts.is_empty() {
            parts.push("no single strong sign".to_string());
        }
        reasons.push(format!("spin {score:.2}: {}", parts.join("; ")));
    }
    let phrases = t
        .found
        .iter()
        .map(|f| SpinPhrase {
            found: text[f.1..f.2].to_string(),
            likely: f.3.clone(),
        })
        .collect();
    SpinReport {
        score,
        phrases,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: &str = "The United States is close to suspending talks with Russia on a ceasefire in Syria, U.S. Secretary of State John Kerry said on Thursday, as the Kremlin vowed to press on with an attack on the city of Aleppo. Moscow and Damascus launched a campaign to recapture the rebel-held section of the biggest city this month, abandoning a ceasefire a week after it took effect to embark on what could be the biggest offensive of the nearly six-year war.";
    const SPUN: &str = "The United States is tighten to suspending talks with Russia on a ceasefire in Syria, U.S. Secretary of State John Kerry pronounced on Thursday, as a Kremlin vowed to press on with an attack on a city of Aleppo. Moscow and Damascus launched a debate to recapture a rebel-held section of a biggest city this month, abandoning a ceasefire a week after it took outcome to embark on what could be a biggest dispute of a scarcely six-year war. In a initial poignant supervision territorial allege of a Aleppo debate so far, Syrian army prisoner a Handarat stay.";

    #[test]
    fn spun_scores_higher_than_clean() {
        let clean = analyze(CLEAN, Some("eng"));
        let spun = analyze(SPUN, Some("eng"));
        assert!(clean.score < 0.5, "{clean:?}");
        assert!(spun.score >= 0.5, "{spun:?}");
        assert!(!spun.reasons.is_empty());
    }

    #[test]
    fn other_languages_are_not_judged() {
        assert_eq!(analyze(SPUN, Some("fra")).score, 0.0);
    }
}
