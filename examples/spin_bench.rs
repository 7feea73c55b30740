//! Throughput of the spin detector alone, on one thread.
//!
//!     cargo run --release --example spin_bench -- DIR_OR_FILE...
//!
//! Reads every .txt file under the arguments, times the parsing of the embedded tables and one
//! warm-up pass, then runs `detect::spin::analyze` over all of them for about three seconds and prints
//! MB/s of input text, both per wall-clock second and per second of this thread's CPU time (read
//! from /proc on Linux; the machine may be shared, and the CPU figure is the one to compare).

use std::time::Instant;

fn collect(path: &std::path::Path, out: &mut Vec<String>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .expect("readable folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            collect(&p, out);
        }
    } else if path.extension().is_some_and(|e| e == "txt") {
        if let Ok(s) = std::fs::read_to_string(path) {
            out.push(s);
        }
    }
}

/// CPU seconds used by this thread so far (Linux), or None.
fn thread_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() {
    let mut docs = Vec::new();
    for a in std::env::args().skip(1) {
        collect(std::path::Path::new(&a), &mut docs);
    }
    assert!(!docs.is_empty(), "usage: spin_bench DIR_OR_FILE...");
    let bytes: usize = docs.iter().map(String::len).sum();
    let t = Instant::now();
    chaff::detect::spin::analyze("Parse the tables.", Some("eng"));
    let init = t.elapsed();
    let t = Instant::now();
    let mut flagged = 0;
    for d in &docs {
        flagged += usize::from(chaff::detect::spin::analyze(d, Some("eng")).score >= 0.5);
    }
    let first = t.elapsed();
    let t = Instant::now();
    let cpu0 = thread_cpu();
    let mut passes = 0;
    while t.elapsed().as_secs_f64() < 3.0 {
        for d in &docs {
            std::hint::black_box(chaff::detect::spin::analyze(d, Some("eng")));
        }
        passes += 1;
    }
    let secs = t.elapsed().as_secs_f64();
    let cpu = match (cpu0, thread_cpu()) {
        (Some(a), Some(b)) if b > a => format!("{:.0}", (bytes * passes) as f64 / (b - a) / 1e6),
        _ => "?".into(),
    };
    println!(
        "{} docs, {:.2} MB, {} flagged; table parsing {:.1} ms, first pass {:.1} ms; {} passes: \
         {:.0} MB/s wall, {cpu} MB/s CPU",
        docs.len(),
        bytes as f64 / 1e6,
        flagged,
        init.as_secs_f64() * 1e3,
        first.as_secs_f64() * 1e3,
        passes,
        (bytes * passes) as f64 / secs / 1e6,
    );
}
