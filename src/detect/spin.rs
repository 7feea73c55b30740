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
//! `data/spin/SOURCE.md`. It is embedded in the binary; its word index is prebuilt by `build.rs`,
//! and start-up only copies the per-lookup tables out of it.
//!
//! How: four passes over one token vector per text (no allocation per token). 1: tokenise (ASCII
//! words lower-cased into a stack buffer and hashed; sentence punctuation, digits, quotes, dashes
//! and line breaks end a context run). 2: resolve word ids and count. 3: look up each observed
//! bigram that touches a content word or an article. 4: score each word; a content word whose two
//! observed bigrams are both known is not searched, otherwise its 8 most frequent neighbours are
//! tried on both sides. Lookups are located and prefetched ahead of use, since the bigram table
//! (3.2 MB) does not fit in L2 and the cost is mostly cache misses. `examples/spin_bench.rs`
//! measures the throughput; `scripts/eval_spin.py` the accuracy on the quality benchmark.

use super::spin_index::{fnv1a, index_size, tag};
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
/// Only the most frequent neighbours of a word are tried (lists are sorted by frequency).
const MAX_NEIGHBOURS: usize = 8;
/// At most this many phrases are kept in the report.
const MAX_PHRASES: usize = 40;

// ------------------------------------------------------------------------------------------------
// The embedded model.

const DATA: &[u8] = include_bytes!("../../data/spin/spin.bin");
const MAGIC: &[u8; 8] = b"CHAFFSPN";

/// The two buckets and the fingerprint of a bigram.
type Slots = (u32, u32, u16);
/// The located bigrams (left, right) of each neighbour tried for one word.
type Keys = [(Slots, Slots); MAX_NEIGHBOURS];

/// Marks a token that is not in the vocabulary.
const NONE: u32 = u32::MAX;
/// Longest word looked up (longer ones are unknown).
const MAX_WORD: usize = 32;

/// The model: the word and bigram tables read in place from the embedded bytes (no copy: copying
/// the 3.7 MB of them cost about 1,000 page faults at every start-up), the quantised
/// probabilities decoded; nothing is hashed at start-up.
struct Model {
    /// The word list, one word a line, in id order.
    blob: &'static str,
    /// Open-addressed word index (prebuilt by `build.rs`), little-endian u32s: (top 16 bits of
    /// the hash << 16) | (id + 1); 0 = empty.
    index: &'static [u8],
    index_mask: usize,
    /// Byte offset of each word in `blob`, and the list's end plus one (little-endian u32s).
    offsets: &'static [u8],
    /// log10 P(word), quantised: one byte a word, read in place (see [`Model::ulp`]).
    ulp_q: &'static [u8],
    ulp_step: f32,
    /// log10 back-off weight, quantised likewise ([`Model::bo`]).
    bo_q: &'static [u8],
    bo_step: f32,
    /// Words with ids below this have neighbour lists.
    n_cand: usize,
    /// Where each candidate's neighbour list starts in `nb` (little-endian u32s), then the
    /// lists: little-endian u16 word ids.
    nb_off: &'static [u8],
    nb: &'static [u8],
    /// Cuckoo table of bigrams: buckets of 4 little-endian 16-bit slots (a little-endian u64
    /// each), each slot (fingerprint << 3) | association code, 0 when empty.
    buckets: &'static [u8],
    nbuckets: u64,
    centres: [f32; 8],
    the: u32,
    a: u32,
    an: u32,
}

/// The word index and word offsets `build.rs` computed from [`DATA`].
const INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/spin-index.bin"));

/// The little-endian u32 at item `i` of `bytes`.
#[inline]
fn u32_at(bytes: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().expect("four bytes"))
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
}

/// Loads the spin model now rather than on the first text analysed.
pub fn warm_up() {
    Model::get();
}

impl Model {
    fn get() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(Model::parse)
    }

    /// Reads the layout written by `scripts/build_spin_data.py` in place.
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
        let ulp_q = r.take(n_words);
        let bo_q = r.take(n_words);
        let nb_off = r.take(4 * (n_cand + 1));
        let nb = r.take(2 * n_links);
        let buckets = r.take(8 * nbuckets as usize);
        assert_eq!(r.pos, DATA.len(), "data/spin/spin.bin: trailing bytes");

        assert!(n_words < 0xFFFF, "word ids must fit 16 bits");
        let size = index_size(n_words);
        assert_eq!(INDEX.len(), 4 * (size + n_words + 1), "spin-index.bin size");
        let (index, offsets) = INDEX.split_at(4 * size);
        let mut m = Model {
            blob,
            index,
            index_mask: size - 1,
            offsets,
            ulp_q,
            ulp_step,
            bo_q,
            bo_step,
            n_cand,
            nb_off,
            nb,
            buckets,
            nbuckets,
            centres,
            the: NONE,
            a: NONE,
            an: NONE,
        };
        m.the = m.resolve(fnv1a(b"the"));
        m.a = m.resolve(fnv1a(b"a"));
        m.an = m.resolve(fnv1a(b"an"));
        m
    }

    /// The word with id `id`.
    fn word(&self, id: u32) -> &'static str {
        let i = id as usize;
        let blob = self.blob;
        &blob[u32_at(self.offsets, i) as usize..u32_at(self.offsets, i + 1) as usize - 1]
    }

    /// log10 P(word).
    #[inline]
    fn ulp(&self, id: u32) -> f32 {
        -f32::from(self.ulp_q[id as usize]) * self.ulp_step
    }

    /// log10 back-off weight.
    #[inline]
    fn bo(&self, id: u32) -> f32 {
        0.1 - f32::from(self.bo_q[id as usize]) * self.bo_step
    }

    /// Id of a lower-case word, or NONE.
    #[cfg(test)]
    fn lookup(&self, word: &[u8]) -> u32 {
        self.resolve(fnv1a(word))
    }

    /// Id of the word with FNV-1a hash `h`, or NONE.
    #[inline]
    fn resolve(&self, h: u64) -> u32 {
        let check = tag(h);
        let mut slot = h as usize & self.index_mask;
        loop {
            let e = u32_at(self.index, slot);
            if e == 0 {
                return NONE;
            }
            if e >> 16 == check {
                return (e & 0xFFFF) - 1;
            }
            slot = (slot + 1) & self.index_mask;
        }
    }

    #[inline]
    fn prefetch_word(&self, h: u64) {
        prefetch(&self.index[4 * (h as usize & self.index_mask)]);
    }

    /// Where the bigram (a, b) may live: its two buckets and its fingerprint.
    #[inline]
    fn slots(&self, a: u32, b: u32) -> Slots {
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
        (b1 as u32, b2 as u32, fp)
    }

    /// Asks the memory system for both buckets of a bigram ahead of `probe`.
    #[inline]
    fn prefetch(&self, slots: Slots) {
        prefetch(&self.buckets[8 * slots.0 as usize]);
        prefetch(&self.buckets[8 * slots.1 as usize]);
    }

    /// Association of a bigram located by `slots`. The four slots of a bucket are compared at
    /// once: a slot matches when its fingerprint bits equal `fp` (a zero 16-bit lane after XOR).
    #[inline]
    fn probe(&self, (b1, b2, fp): Slots) -> f32 {
        const LANES: u64 = 0x0001_0001_0001_0001;
        let want = u64::from(fp << 3) * LANES;
        for b in [b1, b2] {
            let at = 8 * b as usize;
            let bucket =
                u64::from_le_bytes(self.buckets[at..at + 8].try_into().expect("eight bytes"));
            let x = (bucket ^ want) & (0xFFF8 * LANES);
            let zero = x.wrapping_sub(LANES) & !x & (0x8000 * LANES);
            if zero != 0 {
                let e = bucket >> (zero.trailing_zeros() & !15);
                return self.centres[(e & 7) as usize];
            }
        }
        0.0
    }

    /// Association of the bigram (a, b): log10 P(b|a) minus its back-off estimate; 0 when unseen.
    #[inline]
    fn assoc(&self, a: u32, b: u32) -> f32 {
        self.probe(self.slots(a, b))
    }

    #[inline]
    fn is_candidate(&self, id: u32) -> bool {
        (id as usize) < self.n_cand
    }

    #[inline]
    fn is_article(&self, id: u32) -> bool {
        id == self.a || id == self.an || id == self.the
    }

    /// The neighbour ids of a candidate word, most frequent first (little-endian u16s).
    fn neighbours(&self, id: u32) -> &'static [[u8; 2]] {
        let i = id as usize;
        if i >= self.n_cand {
            return &[];
        }
        let nb = self.nb;
        nb[2 * u32_at(self.nb_off, i) as usize..2 * u32_at(self.nb_off, i + 1) as usize]
            .as_chunks::<2>()
            .0
    }

    /// The part of a content word's fit between `l` and `r` that does not depend on the bigrams:
    /// its own frequency (half weight) when there is a left neighbour, and its back-off weight
    /// when there is a right one. Terms equal for all candidates are left out.
    #[inline]
    fn prior(&self, l: u32, x: u32, r: u32) -> f32 {
        let mut s = 0.0;
        if l != NONE {
            s += (1.0 - FREQ_WEIGHT) * self.ulp(x);
        }
        if r != NONE {
            s += self.bo(x);
        }
        s
    }

    /// How well article `x` fits between `l` and `r` (r is known).
    #[inline]
    fn article_fit(&self, l: u32, x: u32, r: u32) -> f32 {
        let mut s = self.bo(x) + self.assoc(x, r);
        if l != NONE {
            s += self.ulp(x) + self.assoc(l, x);
        }
        s
    }
}

// ------------------------------------------------------------------------------------------------
// Tokens.

#[derive(Clone, Copy)]
struct Tok {
    /// FNV-1a hash of the lower-cased word; 0 for words the model cannot know.
    hash: u64,
    /// Vocabulary id, NONE when unknown (resolved after tokenising).
    id: u32,
    start: usize,
    end: usize,
    /// Starts with an upper-case letter.
    cap: bool,
    /// First word after a context break (or of the text): no left neighbour.
    first: bool,
    /// Association of the bigram (this word, next word); 0 when unseen or not looked up.
    d_next: f32,
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
    /// Next item; words with letters outside ASCII, or too long, get the hash 0.
    fn next(&mut self) -> Option<Item> {
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
                let hash = if foreign || n > MAX_WORD {
                    0
                } else {
                    fnv1a(&buf[..n])
                };
                return Some(Item::Word(Tok {
                    hash,
                    id: NONE,
                    start,
                    end: self.i,
                    cap: b.is_ascii_uppercase(),
                    first: false,
                    d_next: 0.0,
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
                    hash: 0,
                    id: NONE,
                    start,
                    end: self.i,
                    cap: true,
                    first: false,
                    d_next: 0.0,
                }));
            }
            self.i += utf8_len(b);
        }
        None
    }
}

/// A hint that `x` will be read soon; no effect on other targets.
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint without side effects and the pointer comes from a reference.
    unsafe {
        std::arch::x86_64::_mm_prefetch(
            (x as *const T).cast::<i8>(),
            std::arch::x86_64::_MM_HINT_T0,
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
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
        .is_some_and(crate::text_util::is_alphabetic)
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
    /// The strongest evidence so far (trimmed to MAX_PHRASES now and then).
    found: Vec<Found>,
}

/// One piece of evidence: the text `start..end` (two words) probably read `alt` followed (or
/// preceded, when `alt_first` is false) by the kept word at `kept`.
struct Found {
    gain: f32,
    start: usize,
    end: usize,
    alt: u32,
    kept: (usize, usize),
    alt_first: bool,
    article: bool,
}

impl Tally {
    fn push(&mut self, f: Found) {
        self.found.push(f);
        if self.found.len() >= 4 * MAX_PHRASES {
            sort_found(&mut self.found);
            self.found.truncate(MAX_PHRASES);
        }
    }
}

fn sort_found(found: &mut [Found]) {
    found.sort_by(|a, b| b.gain.total_cmp(&a.gain).then(a.start.cmp(&b.start)));
}

fn hinge(gain: f32) -> f64 {
    f64::from((gain - GAIN_FLOOR).clamp(0.0, GAIN_CAP))
}

impl Tally {
    /// Scores the middle token `w` of the window (l, w, r); a missing side is None. `dl` and `dr`
    /// are the associations of the observed bigrams (l, w) and (w, r), 0 when unseen or missing;
    /// `keys` locates the neighbour bigrams when `locate` chose to search.
    #[allow(clippy::too_many_arguments)]
    fn visit(
        &mut self,
        m: &Model,
        l: Option<Tok>,
        w: Tok,
        r: Option<Tok>,
        dl: f32,
        dr: f32,
        keys: Option<&Keys>,
    ) {
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
                self.push(Found {
                    gain,
                    start: w.start,
                    end: r.end,
                    alt,
                    kept: (r.start, r.end),
                    alt_first: true,
                    article: true,
                });
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
        // `locate` decided whether to search (and located the bigrams to look up).
        let Some(keys) = keys else {
            return;
        };
        let own = m.prior(lid, w.id, rid) + dl + dr;
        let nbs = &nbs[..nbs.len().min(MAX_NEIGHBOURS)];
        let (mut best, mut alt) = (f32::NEG_INFINITY, NONE);
        for (k, &x) in keys.iter().zip(nbs) {
            let x = u32::from(u16::from_le_bytes(x));
            let mut f = m.prior(lid, x, rid);
            if lid != NONE {
                f += m.probe(k.0);
            }
            if rid != NONE {
                f += m.probe(k.1);
            }
            if f > best {
                best = f;
                alt = x;
            }
        }
        let gain = best - own;
        self.swap_evidence += hinge(gain);
        if gain > PHRASE_GAIN {
            self.suspicious += 1;
            // Show the side whose bigram improves most.
            let left = if lid != NONE {
                m.assoc(lid, alt) - dl
            } else {
                f32::NEG_INFINITY
            };
            let right = if rid != NONE {
                m.assoc(alt, rid) - dr
            } else {
                f32::NEG_INFINITY
            };
            let found = if right >= left {
                let r = r.unwrap();
                Found {
                    gain,
                    start: w.start,
                    end: r.end,
                    alt,
                    kept: (r.start, r.end),
                    alt_first: true,
                    article: false,
                }
            } else {
                let l = l.unwrap();
                Found {
                    gain,
                    start: l.start,
                    end: w.end,
                    alt,
                    kept: (l.start, l.end),
                    alt_first: false,
                    article: false,
                }
            };
            self.push(found);
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
    // Pass 1: tokenise, asking the memory system for each word's index slot on the way.
    let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 6 + 1);
    let mut tokens = Tokens {
        s: text.as_bytes(),
        i: 0,
    };
    let mut first = true;
    while let Some(item) = tokens.next() {
        match item {
            Item::Word(mut t) => {
                if t.hash != 0 {
                    m.prefetch_word(t.hash);
                }
                t.first = first;
                first = false;
                toks.push(t);
            }
            Item::Break => first = true,
        }
    }
    // Pass 2: resolve ids and count; then locate the bigrams that matter (those touching a word
    // the detector scores) and prefetch them, so that the cache misses of pass 3 overlap.
    for t in toks.iter_mut() {
        if t.hash != 0 {
            t.id = m.resolve(t.hash);
        }
        tally.count(m, t, text);
    }
    let scored = |id: u32| id != NONE && (m.is_candidate(id) || m.is_article(id));
    let wanted = |a: &Tok, b: &Tok| {
        !b.first && a.id != NONE && b.id != NONE && (scored(a.id) || scored(b.id))
    };
    for pair in toks.windows(2) {
        if wanted(&pair[0], &pair[1]) {
            m.prefetch(m.slots(pair[0].id, pair[1].id));
        }
    }
    // Pass 3: the observed associations.
    for i in 1..toks.len() {
        if wanted(&toks[i - 1], &toks[i]) {
            toks[i - 1].d_next = m.assoc(toks[i - 1].id, toks[i].id);
        }
    }
    // Pass 4: score every word in its context. The neighbour bigrams of the word LOOKAHEAD
    // places ahead are located and prefetched meanwhile.
    let mut ahead: [Keys; LOOKAHEAD] = [[((0, 0, 0), (0, 0, 0)); MAX_NEIGHBOURS]; LOOKAHEAD];
    let mut search = [false; LOOKAHEAD];
    for j in 0..LOOKAHEAD {
        search[j] = locate(m, &toks, j, &mut ahead[j]);
    }
    for i in 0..toks.len() {
        let k = i % LOOKAHEAD;
        let w = toks[i];
        let l = (!w.first && i > 0).then(|| toks[i - 1]);
        let r = toks.get(i + 1).filter(|t| !t.first).copied();
        let dl = l.map_or(0.0, |t| t.d_next);
        tally.visit(m, l, w, r, dl, w.d_next, search[k].then_some(&ahead[k]));
        search[k] = locate(m, &toks, i + LOOKAHEAD, &mut ahead[k]);
    }
    report(tally, text)
}

/// How many words ahead pass 4 locates and prefetches.
const LOOKAHEAD: usize = 8;

/// Decides whether word `j` gets a neighbour search and, if so, locates and prefetches the
/// bigrams (left word, neighbour) and (neighbour, right word) of each neighbour. A search is
/// made for content words with neighbours one of whose observed bigrams is unseen: a word whose
/// bigrams are both in the table could rarely be beaten by the margin that counts, and skipping
/// it saves most of the lookups.
fn locate(m: &Model, toks: &[Tok], j: usize, keys: &mut Keys) -> bool {
    let Some(&w) = toks.get(j) else {
        return false;
    };
    if w.id == NONE || w.cap || !m.is_candidate(w.id) {
        return false;
    }
    let lid = if w.first { NONE } else { toks[j - 1].id };
    let rid = toks.get(j + 1).filter(|t| !t.first).map_or(NONE, |t| t.id);
    let weak_left = lid != NONE && toks[j - 1].d_next == 0.0;
    let weak_right = rid != NONE && w.d_next == 0.0;
    if !(weak_left || weak_right) {
        return false;
    }
    let nbs = m.neighbours(w.id);
    for (k, &x) in keys.iter_mut().zip(&nbs[..nbs.len().min(MAX_NEIGHBOURS)]) {
        let x = u32::from(u16::from_le_bytes(x));
        if lid != NONE {
            k.0 = m.slots(lid, x);
            m.prefetch(k.0);
        }
        if rid != NONE {
            k.1 = m.slots(x, rid);
            m.prefetch(k.1);
        }
    }
    true
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

    sort_found(&mut t.found);
    t.found.truncate(MAX_PHRASES);
    let m = Model::get();
    let likely = |f: &Found| {
        let (alt, kept) = (m.word(f.alt), &text[f.kept.0..f.kept.1]);
        if f.alt_first {
            format!("{alt} {kept}")
        } else {
            format!("{kept} {alt}")
        }
    };
    let example = |article: bool, n: usize| -> String {
        let shown: Vec<String> = t
            .found
            .iter()
            .filter(|f| f.article == article)
            .take(n)
            .map(|f| format!("{} → {}?", &text[f.start..f.end], likely(f)))
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
                "'a/an' where another article fits {} times ({})",
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
            found: text[f.start..f.end].to_string(),
            likely: likely(f),
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
    /// Written for this test: ordinary local news.
    const LOCAL_NEWS: &str = "The city council voted on Tuesday to delay a decision on the new bus station until after the summer, saying it needed more time to study the costs. Residents who attended the meeting said they were worried about traffic on the main road and the loss of parking spaces near the market. The mayor told reporters that the project would go ahead, but that the council wanted to hear from local businesses first. A final vote is expected in September. The station, which would replace the old depot on the north side of the town, has been discussed for more than five years. Supporters say it would cut journey times and bring more visitors to the shops in the town centre.";
    /// The same, spun by hand the way spinners do (thesaurus swaps, "the" to "a").
    const LOCAL_SPUN: &str = "A city legislature voted on Tuesday to detain a preference on a new bus post until after a summer, saying it needed some time to survey a costs. Residents who accompanied a assembly pronounced they were disturbed about dealings on a chief route and a detriment of parking spaces near a marketplace. A mayor told reporters that a plan would go forward, but that a legislature wanted to hear from local businesses initial. A final ballot is expected in September. A post, which would supercede a aged depot on a north side of a township, has been discussed for some than five years. Supporters contend it would cut travel times and take some visitors to a shops in a township centre.";

    fn corpus(name: &str) -> String {
        let path = format!("{}/corpus/expected/{name}.txt", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).expect("corpus file")
    }

    #[test]
    fn spun_scores_higher_than_clean() {
        let clean = analyze(CLEAN, Some("eng"));
        let spun = analyze(SPUN, Some("eng"));
        assert!(clean.score < 0.2, "{clean:?}");
        assert!(spun.score >= 0.5, "{spun:?}");
        assert!(spun.reasons[0].starts_with("spin "), "{:?}", spun.reasons);
    }

    #[test]
    fn hand_spun_local_news_is_flagged_and_its_source_is_not() {
        let clean = analyze(LOCAL_NEWS, Some("eng"));
        let spun = analyze(LOCAL_SPUN, Some("eng"));
        assert!(clean.score < 0.2, "{clean:?}");
        assert!(clean.reasons.is_empty());
        assert!(spun.score >= 0.5, "{spun:?}");
    }

    #[test]
    fn seed_002_is_flagged_with_its_telltale_phrases() {
        let r = analyze(&corpus("002_1aa3bb47d970edc0"), Some("eng"));
        assert!(r.score >= 0.9, "{r:?}");
        let has = |found: &str, likely: &str| {
            r.phrases
                .iter()
                .any(|p| p.found == found && p.likely == likely)
        };
        assert!(has("atmosphere strikes", "air strikes"), "{:?}", r.phrases);
        assert!(has("Kerry pronounced", "Kerry said") || has("pronounced on", "said on"));
        let reason = &r.reasons[0];
        assert!(reason.contains("suspicious collocations"), "{reason}");
        assert!(reason.contains("'the' is"), "{reason}");
    }

    #[test]
    fn clean_seeds_are_not_flagged() {
        for id in [
            "000_4824812027a22b0e",
            "001_6db44384c25f5796",
            "003_bb4c1b51b1e6807b",
            "004_aa114d4b00301979",
        ] {
            let r = analyze(&corpus(id), Some("eng"));
            assert!(r.score < 0.2, "{id}: {r:?}");
        }
    }

    #[test]
    fn one_odd_collocation_does_not_flag_a_text() {
        let text = format!("{LOCAL_NEWS} The atmosphere strikes the perfect balance between old and new, one shopkeeper said.");
        let r = analyze(&text, Some("eng"));
        assert!(r.score < 0.2, "{r:?}");
    }

    #[test]
    fn article_swaps_alone_are_flagged() {
        // Only "the" -> "a/an", no synonym swaps.
        let swapped = LOCAL_NEWS
            .replace("The ", "A ")
            .replace(" the old", " an old")
            .replace(" the ", " a ");
        let r = analyze(&swapped, Some("eng"));
        assert!(r.score >= 0.5, "{r:?}");
        assert!(
            r.reasons[0].contains("'a/an' where another article fits"),
            "{:?}",
            r.reasons
        );
    }

    #[test]
    fn other_languages_are_not_judged() {
        let r = analyze(SPUN, Some("fra"));
        assert_eq!(r, SpinReport::default());
    }

    #[test]
    fn odd_inputs_give_a_valid_score() {
        for text in [
            "",
            "a",
            "The",
            "12 34 56",
            "Ünïcödé wörds, 日本語のテキスト, emoji 🙂 and ’quotes’ — dashes… done",
            "don’t can't rock'n'roll O’Brien’s",
            &"word ".repeat(5000),
            &"x".repeat(100),
        ] {
            let r = analyze(text, None);
            assert!((0.0..=1.0).contains(&r.score), "{text}: {r:?}");
            assert!(r.score < 0.5, "{text}: {r:?}");
        }
    }

    #[test]
    fn model_knows_collocations_and_neighbours() {
        let m = Model::get();
        let id = |w: &str| m.lookup(w.as_bytes());
        let (air, atmosphere, strikes) = (id("air"), id("atmosphere"), id("strikes"));
        assert!(air != NONE && atmosphere != NONE && strikes != NONE);
        assert_eq!(id("qqqzzz"), NONE);
        assert!(m.assoc(air, strikes) > m.assoc(atmosphere, strikes) + 1.0);
        assert!(m
            .neighbours(atmosphere)
            .contains(&(air as u16).to_le_bytes()));
        assert_eq!(m.word(air), "air");
        assert!(m.ulp(m.the) > m.ulp(atmosphere));
    }

    #[test]
    fn tokens_break_at_sentence_ends_and_keep_apostrophes() {
        let text = "Kerry’s aides said: “No.” Then (briefly) 12 more";
        let mut t = Tokens {
            s: text.as_bytes(),
            i: 0,
        };
        let mut seen = Vec::new();
        while let Some(item) = t.next() {
            seen.push(match item {
                Item::Word(w) => text[w.start..w.end].to_string(),
                Item::Break => "|".to_string(),
            });
        }
        assert_eq!(
            seen.join(" "),
            "Kerry’s aides said | | No | | Then | briefly | | | more"
        );
    }
}
