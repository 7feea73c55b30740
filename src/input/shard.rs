//! `--shard I/N`: a deterministic slice of a batch's entries, for array jobs (SLURM, Kubernetes
//! indexed jobs) that split one input folder across N processes.
//!
//! An entry belongs to shard `1 + h mod N`, where `h` is a fixed 64-bit hash (FNV-1a, then the
//! splitmix64 finaliser to spread nearby paths) of its report name: the path relative to the input
//! root, as written in the report. So:
//! - the N shards are disjoint and together are the whole run (every entry, skipped and failed
//!   ones included, is in exactly one);
//! - the slice depends only on the entry's relative path and N: not on the thread count, the order
//!   the file system lists entries in, the machine, or the Rust version (the hash is spelled out
//!   here, not the standard library's);
//! - adding files to the folder moves no existing file to another shard (a sorted index modulo N
//!   would shift every file after the new one), so re-running one shard of a grown folder redoes
//!   only that shard's files.
//!
//! Shards are numbered from 1 (`1/4` .. `4/4`); with a 0-based task index (Kubernetes
//! `JOB_COMPLETION_INDEX`), pass `$((INDEX + 1))/N`.

use std::fmt;
use std::str::FromStr;

/// One slice `index` of `count` (1 ≤ index ≤ count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Shard `index` of `count`, numbered from 1; `None` unless 1 ≤ index ≤ count.
    pub fn new(index: u64, count: u64) -> Option<Shard> {
        (index >= 1 && index <= count).then_some(Shard { index, count })
    }

    /// The 1-based index.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The number of shards.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether the entry with this report name (relative path) belongs to this shard.
    pub fn contains(&self, name: &str) -> bool {
        shard_of(name, self.count) == self.index
    }
}

/// The 1-based shard of `count` that a report name falls in.
pub fn shard_of(name: &str, count: u64) -> u64 {
    1 + stable_hash(name.as_bytes()) % count.max(1)
}

/// FNV-1a over the bytes, then the splitmix64 finaliser. Fixed forever: shards depend on it.
fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Why a `--shard` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a shard: write I/N with 1 <= I <= N (e.g. 1/4 .. 4/4)")]
pub struct ShardError(String);

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let bad = || ShardError(s.to_string());
        let (i, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let num = |t: &str| {
            let t = t.trim();
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            t.parse::<u64>().ok()
        };
        let (i, n) = (num(i).ok_or_else(bad)?, num(n).ok_or_else(bad)?);
        Shard::new(i, n).ok_or_else(bad)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!("2/5".parse::<Shard>(), Ok(Shard::new(2, 5).unwrap()));
        assert_eq!(
            " 1 / 1 ".parse::<Shard>().map(|s| s.to_string()),
            Ok("1/1".into())
        );
        for bad in [
            "0/4", "5/4", "1/0", "0/0", "1", "1/", "/4", "-1/4", "+1/4", "a/b", "1/4/2", "",
        ] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_partition_and_are_stable() {
        let names: Vec<String> = (0..2000)
            .map(|i| format!("site{}/page-{i}.html", i % 7))
            .collect();
        let n = 4;
        let mut sizes = [0usize; 4];
        for name in &names {
            let owners: Vec<u64> = (1..=n)
                .filter(|&i| Shard::new(i, n).unwrap().contains(name))
                .collect();
            assert_eq!(owners.len(), 1, "{name} in {owners:?}");
            sizes[(owners[0] - 1) as usize] += 1;
        }
        // Roughly balanced: each shard within 20% of an even split.
        for s in sizes {
            assert!((400..=600).contains(&s), "{sizes:?}");
        }
        // The hash is part of the interface: these values must never change.
        assert_eq!(shard_of("a.html", 1), 1);
        let fixed: Vec<u64> = ["a.html", "b.txt", "dir/c.html", "caf\\xE9.html"]
            .iter()
            .map(|n| shard_of(n, 1000))
            .collect();
        assert_eq!(fixed, FIXED_SHARDS);
    }

    /// Recorded from the first implementation; a change here re-slices users' array jobs.
    const FIXED_SHARDS: [u64; 4] = [761, 135, 182, 127];
}
