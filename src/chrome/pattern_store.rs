//! The line patterns' compiled form as bytes (`data/chrome/line-patterns.bin`), so that a run
//! starts without parsing and compiling the regexes of `data/chrome/line-patterns.tsv`: that took
//! about 10 ms of every process (Unicode classes such as `\p{L}` and `\w` make NFAs of thousands
//! of states), more than cleaning a dozen pages.
//!
//! The file is a cache of the compile, never the truth: it carries a hash of the pattern file, and
//! a file written for other patterns (or a newer format) is ignored and the patterns compiled as
//! before. `examples/build_line_patterns.rs` writes it; a test fails while it is stale.
//!
//! Format (little-endian): a magic tag, the pattern file's hash, then what [`super::patterns`]
//! writes with a [`Writer`]: numbers as `u32`, NFAs as their states (see [`write_nfa`]).

use regex_automata::nfa::thompson::{self, State, Transition, NFA};
use regex_automata::util::look::Look;
use regex_automata::util::primitives::{PatternID, StateID};

/// The tag opening the file; a new layout gets a new tag.
pub const MAGIC: &[u8; 8] = b"CHAFFLP1";

/// FNV-1a (64 bits) of `bytes`: which pattern file a compiled form was made from.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Appends numbers and byte strings to a buffer.
#[derive(Default)]
pub struct Writer {
    /// The bytes so far.
    pub bytes: Vec<u8>,
}

impl Writer {
    /// A `u8`.
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    /// A `u32`, little-endian.
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// A `usize` as a `u32` (every count and index here is far below 2³²).
    pub fn count(&mut self, v: usize) {
        self.u32(u32::try_from(v).expect("count fits in 32 bits"));
    }

    /// A byte string, its length first.
    pub fn blob(&mut self, b: &[u8]) {
        self.count(b.len());
        self.bytes.extend_from_slice(b);
    }
}

/// Reads what a [`Writer`] wrote; every read is `None` past the end.
pub struct Reader<'a> {
    rest: &'a [u8],
    /// The largest NFA state identifier read since [`read_nfa`] began (checked against the
    /// NFA's state count once that is known: the builder would panic on a dangling one).
    max_state: usize,
}

impl<'a> Reader<'a> {
    /// Reads `bytes` from the start.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader {
            rest: bytes,
            max_state: 0,
        }
    }

    /// Whether everything was read.
    pub fn is_done(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.rest.len() < n {
            return None;
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Some(head)
    }

    /// A `u8`.
    pub fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    /// A `u32`.
    pub fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A `u64`.
    pub fn u64(&mut self) -> Option<u64> {
        let b = self.take(8)?;
        Some(u64::from_le_bytes(b.try_into().ok()?))
    }

    /// A count or index written by [`Writer::count`].
    pub fn count(&mut self) -> Option<usize> {
        self.u32().map(|v| v as usize)
    }

    /// A byte string written by [`Writer::blob`].
    pub fn blob(&mut self) -> Option<&'a [u8]> {
        let n = self.count()?;
        self.take(n)
    }

    fn state_id(&mut self) -> Option<StateID> {
        let id = self.count()?;
        self.max_state = self.max_state.max(id);
        StateID::new(id).ok()
    }

    fn transition(&mut self) -> Option<Transition> {
        Some(Transition {
            start: self.u8()?,
            end: self.u8()?,
            next: self.state_id()?,
        })
    }
}

const BYTE_RANGE: u8 = 0;
const SPARSE: u8 = 1;
const LOOK: u8 = 2;
const UNION: u8 = 3;
const BINARY_UNION: u8 = 4;
const FAIL: u8 = 5;
const MATCH: u8 = 6;

fn write_transition(w: &mut Writer, t: &Transition) {
    w.u8(t.start);
    w.u8(t.end);
    w.count(t.next.as_usize());
}

/// Writes a forward NFA without capture states (as the line patterns compile): its start states,
/// each pattern's start and its states in order. Returns `false`, having written a partial
/// record, for an NFA it cannot store (reverse, or with capture states).
pub fn write_nfa(w: &mut Writer, nfa: &NFA) -> bool {
    if nfa.is_reverse() {
        return false;
    }
    w.u8(u8::from(nfa.is_utf8()));
    w.count(nfa.start_anchored().as_usize());
    w.count(nfa.start_unanchored().as_usize());
    w.count(nfa.pattern_len());
    for pid in nfa.patterns() {
        let Some(start) = nfa.start_pattern(pid) else {
            return false;
        };
        w.count(start.as_usize());
    }
    w.count(nfa.states().len());
    for state in nfa.states() {
        match state {
            State::ByteRange { trans } => {
                w.u8(BYTE_RANGE);
                write_transition(w, trans);
            }
            State::Sparse(sparse) => {
                w.u8(SPARSE);
                w.count(sparse.transitions.len());
                for t in sparse.transitions.iter() {
                    write_transition(w, t);
                }
            }
            State::Look { look, next } => {
                w.u8(LOOK);
                w.u32(look.as_repr());
                w.count(next.as_usize());
            }
            State::Union { alternates } => {
                w.u8(UNION);
                w.count(alternates.len());
                for a in alternates.iter() {
                    w.count(a.as_usize());
                }
            }
            State::BinaryUnion { alt1, alt2 } => {
                w.u8(BINARY_UNION);
                w.count(alt1.as_usize());
                w.count(alt2.as_usize());
            }
            State::Fail => w.u8(FAIL),
            State::Match { pattern_id } => {
                w.u8(MATCH);
                w.count(pattern_id.as_usize());
            }
            State::Dense(_) | State::Capture { .. } => return false,
        }
    }
    true
}

/// Reads an NFA written by [`write_nfa`], rebuilding it state by state with regex-automata's
/// own NFA builder: the states keep their identifiers (none is an empty state the builder would
/// remove), so the NFA is the one that was written.
pub fn read_nfa(r: &mut Reader) -> Option<NFA> {
    r.max_state = 0;
    let utf8 = r.u8()? == 1;
    let start_anchored = r.state_id()?;
    let start_unanchored = r.state_id()?;
    let patterns = r.count()?;
    let starts: Vec<StateID> = (0..patterns).map(|_| r.state_id()).collect::<Option<_>>()?;
    let n = r.count()?;
    let mut b = thompson::Builder::new();
    b.set_utf8(utf8);
    let mut next_pattern = 0;
    for _ in 0..n {
        match r.u8()? {
            BYTE_RANGE => b.add_range(r.transition()?).ok()?,
            SPARSE => {
                let k = r.count()?;
                let ts = (0..k).map(|_| r.transition()).collect::<Option<_>>()?;
                b.add_sparse(ts).ok()?
            }
            LOOK => {
                let look = Look::from_repr(r.u32()?)?;
                b.add_look(r.state_id()?, look).ok()?
            }
            UNION => {
                let k = r.count()?;
                let alts = (0..k).map(|_| r.state_id()).collect::<Option<_>>()?;
                b.add_union(alts).ok()?
            }
            BINARY_UNION => b.add_union(vec![r.state_id()?, r.state_id()?]).ok()?,
            FAIL => b.add_fail().ok()?,
            MATCH => {
                // Match states come in pattern order: each is added inside its pattern.
                let pid = r.count()?;
                if pid != next_pattern || pid >= patterns {
                    return None;
                }
                let started: PatternID = b.start_pattern().ok()?;
                debug_assert_eq!(started.as_usize(), pid);
                let id = b.add_match().ok()?;
                b.finish_pattern(starts[pid]).ok()?;
                next_pattern += 1;
                id
            }
            _ => return None,
        };
    }
    // Every pattern has its match state, and every transition and start names a state.
    if next_pattern != patterns || r.max_state >= n {
        return None;
    }
    b.build(start_anchored, start_unanchored).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::nfa::thompson::WhichCaptures;

    fn compile(res: &[&str]) -> NFA {
        thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .shrink(false),
            )
            .build_many(res)
            .unwrap()
    }

    fn round_trip(nfa: &NFA) -> NFA {
        let mut w = Writer::default();
        assert!(write_nfa(&mut w, nfa));
        let mut r = Reader::new(&w.bytes);
        let back = read_nfa(&mut r).expect("reads back");
        assert!(r.is_done());
        back
    }

    #[test]
    fn nfas_read_back_state_for_state() {
        let nfa = compile(&[
            r"^(by|von)\s*:?\s+[\p{L}.'’\- ]+(\s*[|,/·•]\s*.*)?$",
            r"\bcredit\.\.\.",
            r"(?i)share(\s+\w+){0,3}$",
            r"^$",
        ]);
        let back = round_trip(&nfa);
        assert_eq!(format!("{nfa:?}"), format!("{back:?}"));
        assert_eq!(nfa.states(), back.states());
        assert_eq!(
            format!("{:?}", nfa.byte_classes()),
            format!("{:?}", back.byte_classes())
        );
        assert_eq!(nfa.look_set_any(), back.look_set_any());
        assert_eq!(nfa.pattern_len(), back.pattern_len());
    }

    #[test]
    fn truncated_or_foreign_bytes_are_refused() {
        let nfa = compile(&[r"^\d+ min read$"]);
        let mut w = Writer::default();
        assert!(write_nfa(&mut w, &nfa));
        for cut in [0, 1, 5, w.bytes.len() / 2, w.bytes.len() - 1] {
            assert!(
                read_nfa(&mut Reader::new(&w.bytes[..cut])).is_none(),
                "cut {cut}"
            );
        }
        let mut bad = w.bytes.clone();
        // The first state's tag (after the flag, 2 starts, the count, 1 pattern start, the
        // state count) made unknown.
        bad[1 + 4 * 5] = 0xEE;
        assert!(read_nfa(&mut Reader::new(&bad)).is_none());
    }

    /// An NFA of two states written by hand: `a` (a byte range to state `next`), then a match.
    fn two_states(next: usize) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(1); // UTF-8
        w.count(0); // anchored start
        w.count(0); // unanchored start
        w.count(1); // one pattern ...
        w.count(0); // ... starting at state 0
        w.count(2); // states:
        w.u8(BYTE_RANGE);
        write_transition(
            &mut w,
            &Transition {
                start: b'a',
                end: b'a',
                next: StateID::new(next).unwrap(),
            },
        );
        w.u8(MATCH);
        w.count(0);
        w.bytes
    }

    #[test]
    fn a_transition_to_a_missing_state_is_refused() {
        let good = read_nfa(&mut Reader::new(&two_states(1))).expect("a valid NFA");
        assert_eq!(good.states().len(), 2);
        // The builder would panic on it: refused instead.
        assert!(read_nfa(&mut Reader::new(&two_states(2))).is_none());
        assert!(read_nfa(&mut Reader::new(&two_states(70_000))).is_none());
    }

    #[test]
    fn capture_states_are_not_stored() {
        let nfa = NFA::new(r"(a)b").unwrap();
        assert!(!write_nfa(&mut Writer::default(), &nfa));
    }

    #[test]
    fn fingerprints_tell_files_apart() {
        assert_ne!(fingerprint(b"a\tb"), fingerprint(b"a\tc"));
        assert_eq!(fingerprint(b""), 0xcbf2_9ce4_8422_2325);
    }
}
