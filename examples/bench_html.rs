//! Measures decode + parse + extract throughput on one core over a folder of HTML files.
//!
//! Usage: `cargo run --release --example bench_html -- DIR [ROUNDS]`
//!
//! Prints, for the best of ROUNDS passes, wall-clock and on-CPU throughput (on-CPU time is read
//! from /proc/thread-self/schedstat, so other processes competing for the cores do not count).
use chaff::config::Limits;
use chaff::decode;
use chaff::extract::html::{dom::Dom, extract_dom};
use chaff::input::DocKind;
use std::time::Instant;

/// The allocator of the `chaff` binary (src/main.rs), so that the timings are those of the tool.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Nanoseconds this thread has spent on a CPU (Linux), or None.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    chaff::pipeline::small_pages_only();
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: bench_html DIR [ROUNDS]");
    let rounds: usize = args.next().map(|r| r.parse().expect("rounds")).unwrap_or(3);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    let pages: Vec<Vec<u8>> = files
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    let total: usize = pages.iter().map(Vec::len).sum();
    let limits = Limits::default();
    // [decode, parse, extract] wall seconds, and total on-CPU seconds.
    let mut best = [f64::MAX; 3];
    let mut best_total = f64::MAX;
    let mut best_cpu = f64::MAX;
    for _ in 0..rounds {
        let mut t = [0f64; 3];
        let mut blocks = 0usize;
        let c0 = cpu_ns();
        let start = Instant::now();
        for bytes in &pages {
            let t0 = Instant::now();
            let d = decode::decode(bytes, DocKind::Html);
            let t1 = Instant::now();
            let dom = Dom::parse(&d.text);
            let t2 = Instant::now();
            let ex = extract_dom(&dom, &limits);
            drop(dom);
            let t3 = Instant::now();
            blocks += ex.blocks.len();
            t[0] += (t1 - t0).as_secs_f64();
            t[1] += (t2 - t1).as_secs_f64();
            t[2] += (t3 - t2).as_secs_f64();
        }
        let wall = start.elapsed().as_secs_f64();
        if let (Some(a), Some(b)) = (c0, cpu_ns()) {
            best_cpu = best_cpu.min((b - a) as f64 / 1e9);
        }
        best_total = best_total.min(wall);
        for i in 0..3 {
            best[i] = best[i].min(t[i]);
        }
        std::hint::black_box(blocks);
    }
    let mb = total as f64 / 1e6;
    println!("{} files, {:.1} MB, best of {rounds}", pages.len(), mb);
    println!("decode:   {:7.3} s wall", best[0]);
    println!(
        "parse:    {:7.3} s wall  {:7.1} MB/s",
        best[1],
        mb / best[1]
    );
    println!(
        "extract:  {:7.3} s wall  {:7.1} MB/s",
        best[2],
        mb / best[2]
    );
    println!(
        "decode+parse+extract: {:7.1} MB/s wall ({:.3} s)",
        mb / best_total,
        best_total
    );
    if best_cpu < f64::MAX {
        println!(
            "decode+parse+extract: {:7.1} MB/s on-CPU ({:.3} s)",
            mb / best_cpu,
            best_cpu
        );
    }
}
