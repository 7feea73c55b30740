//! Text-mode throughput on one core over a folder of flattened-text pages (`*.txt`).
//!
//! Usage: `cargo run --release --example bench_text -- DIR [ROUNDS] [chrome|document]`
//!
//! Prints, for the best of ROUNDS passes (default 5), MB/s of input by wall clock and by on-CPU
//! time (read from /proc/thread-self/schedstat, so other processes sharing the cores do not count),
//! cold (each pass on a fresh thread, as a run over this folder alone) and steady (as a worker
//! deep into a long run: see `best_of`), for:
//! - `chrome`: the chrome-removal stage alone, flattened text to the article's blocks
//!   (`extract::text::blocks` + `chrome::text::classify`), on the repaired text, with the
//!   language and the batch-learned lines found beforehand (untimed), as `chaff clean` has them;
//! - `document`: `clean_document` on each page held in memory (decode, repair, language, chrome,
//!   detectors, score; no file I/O), with the same learned lines.
//!
//! `scripts/bench.sh` runs it on the aeb flattened pages; the whole `chaff clean` process
//! (start-up, batch learning, reading and writing files) is timed there separately.
use chaff::chrome::{self, LearnedChrome};
use chaff::config::Config;
use chaff::detect::language;
use chaff::input::{DocKind, RawDoc};
use chaff::{extract, pipeline};
use std::time::Instant;

/// The allocator of the `chaff` binary (src/main.rs), so that the timings are those of the tool.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Nanoseconds this thread has spent on a CPU (Linux), or None.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// (wall seconds, CPU seconds) of one run of `f` on the current thread.
fn time_one(f: &impl Fn() -> usize) -> (f64, Option<f64>) {
    let (t, c) = (Instant::now(), cpu_ns());
    std::hint::black_box(f());
    let wall = t.elapsed().as_secs_f64();
    (wall, c.zip(cpu_ns()).map(|(a, b)| (b - a) as f64 / 1e9))
}

/// Best (wall seconds, CPU seconds) of `rounds` runs of `f`.
///
/// Cold (`steady` false): each round runs on a thread of its own, so that it starts with empty
/// per-thread state: the line-pattern answers and the lazy automata's states, which a thread
/// builds as lines need them. A round is then a run over this folder alone.
///
/// Steady (`steady` true): the rounds run on one thread after an untimed pass, each with the
/// line-pattern answers forgotten but the automata's states kept: the state of a worker deep
/// into a long run, where building those states (a fixed cost per thread, about a tenth of a
/// cold pass over the 1.6 MB of flattened aeb pages) is spread over millions of pages.
fn best_of(rounds: usize, steady: bool, f: impl Fn() -> usize + Sync) -> (f64, Option<f64>) {
    let mut best = (f64::INFINITY, None::<f64>);
    let times: Vec<(f64, Option<f64>)> = std::thread::scope(|s| {
        if steady {
            s.spawn(|| {
                std::hint::black_box(f());
                (0..rounds)
                    .map(|_| {
                        chrome::patterns::forget_matched_lines();
                        time_one(&f)
                    })
                    .collect()
            })
            .join()
            .expect("benchmark rounds")
        } else {
            (0..rounds)
                .map(|_| s.spawn(|| time_one(&f)).join().expect("benchmark round"))
                .collect()
        }
    });
    for (wall, cpu) in times {
        best.0 = best.0.min(wall);
        best.1 = match (best.1, cpu) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    best
}

fn report(name: &str, bytes: usize, (wall, cpu): (f64, Option<f64>)) {
    let mb = bytes as f64 / 1e6;
    let cpu = cpu.map_or("?".into(), |c| format!("{:.1}", mb / c));
    println!(
        "text-mode {name}: {:.1} MB/s wall, {cpu} MB/s on-CPU ({mb:.2} MB, best {:.3} s wall)",
        mb / wall,
        wall
    );
}

fn main() {
    chaff::pipeline::small_pages_only();
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: bench_text DIR [ROUNDS]");
    let rounds: usize = args.next().map(|r| r.parse().expect("rounds")).unwrap_or(5);
    // One measurement only (e.g. under a profiler), or both.
    let only = args.next();
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let docs: Vec<RawDoc> = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| RawDoc::from_bytes("page.txt", b, Some(DocKind::Text)))
        .collect();
    assert!(!docs.is_empty(), "no .txt files in {dir}");
    let bytes: usize = docs.iter().map(|d| d.bytes.len()).sum();

    // What the batch knows before the chrome stage runs (untimed).
    let mut learned = LearnedChrome::new();
    let texts: Vec<String> = docs.iter().filter_map(pipeline::learning_text).collect();
    for t in &texts {
        learned.observe(t);
    }
    learned.prune();
    // `learning_text` is the repaired text the chrome stage sees.
    let repaired: Vec<(&str, Option<&str>)> = texts
        .iter()
        .map(|t| (t.as_str(), language::detect_code(t)))
        .collect();

    println!("{} pages, {:.2} MB, -j 1", docs.len(), bytes as f64 / 1e6);
    let chrome_stage = || {
        repaired
            .iter()
            .map(|(text, lang)| {
                let lines = extract::text::blocks(text);
                chrome::text::classify(&lines, *lang, &learned).blocks.len()
            })
            .sum()
    };
    // Under a profiler, the steady figures alone: `BENCH_STEADY_ONLY=1`.
    let cold = std::env::var_os("BENCH_STEADY_ONLY").is_none();
    if run("chrome") {
        if cold {
            report("chrome (cold)", bytes, best_of(rounds, false, chrome_stage));
        }
        report(
            "chrome (steady)",
            bytes,
            best_of(rounds, true, chrome_stage),
        );
    }
    if !run("document") {
        return;
    }
    let cfg = Config::default();
    let document = || {
        docs.iter()
            .map(|d| chaff::clean_document(d, &cfg, &learned).text.len())
            .sum()
    };
    if cold {
        report("document (cold)", bytes, best_of(rounds, false, document));
    }
    report("document (steady)", bytes, best_of(rounds, true, document));
}
