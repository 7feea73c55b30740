//! The spin model's word-index scheme, in one place for the two sides that must agree on it:
//! `build.rs`, which builds the index from `data/spin/spin.bin`, and [`super::spin`], which
//! probes it. The index is open-addressed with linear probing; each slot holds
//! `(tag << 16) | (id + 1)`, 0 when empty. (Plain std code: `build.rs` includes this file.)

/// FNV-1a (64 bits) of a word's bytes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Slots in the index of `n_words` words: the next power of two of twice the count.
pub fn index_size(n_words: usize) -> usize {
    (n_words * 2).next_power_of_two()
}

/// The part of a word's hash a slot keeps to tell words apart: its top 16 bits.
pub fn tag(h: u64) -> u32 {
    (h >> 48) as u32
}
