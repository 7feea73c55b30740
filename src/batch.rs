//! Batch runs: list the inputs, learn repeated chrome lines, clean every document in parallel
//! (rayon), write the cleaned files atomically and hand the records, in path order, to a sink.
//!
//! Results do not depend on the thread count or the order the file system lists entries in:
//! entries are sorted by relative path, learning only counts, and records are emitted in order.

use crate::chrome::LearnedChrome;
use crate::config::Config;
use crate::input::{self, InputEntry, InputError, InputPlan, Shard, WalkOptions};
use crate::journal::{self, Journal, JournalError, Previous};
use crate::output::{self, output_rel_path};
use crate::pipeline::{clean_owned_document, learning_text};
use crate::report::{Record, Summary};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How many documents are processed between two in-order flushes of records.
const CHUNK: usize = 256;

/// What a batch run needs besides the per-document [`Config`].
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Files and folders to read.
    pub inputs: Vec<PathBuf>,
    /// Where cleaned files go; `None` scores without writing.
    pub out_dir: Option<PathBuf>,
    /// Folder walking options.
    pub walk: WalkOptions,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// With an output folder: the journal of finished records, appended after each chunk (see
    /// [`journal`]); the caller removes it once the final report is in place.
    pub journal: Option<PathBuf>,
    /// Reuse the records (and cleaned files) of an earlier run: from the journal, and from this
    /// finished report when it exists.
    pub resume: Option<PathBuf>,
    /// Only this slice of the entries (`--shard I/N`); batch learning then sees only the slice.
    pub shard: Option<Shard>,
}

/// Errors that stop a batch before or while it runs (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// An input could not be listed.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The output folder is an input folder or inside one.
    #[error("output folder '{out}' is inside input folder '{input}': choose an output folder outside the inputs")]
    OutputInsideInput {
        /// The output folder.
        out: String,
        /// The input folder containing it.
        input: String,
    },
    /// The thread pool could not be built.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    /// The sink failed (e.g. the report could not be written).
    #[error("cannot write the report: {0}")]
    Sink(std::io::Error),
    /// The journal could not be read or written.
    #[error(transparent)]
    Journal(#[from] JournalError),
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|c| c.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

/// Refuses an output folder equal to or inside an input folder.
pub fn check_output_location(inputs: &[PathBuf], out: &Path) -> Result<(), BatchError> {
    // The output folder may not exist yet: resolve its nearest existing ancestor.
    let mut probe = out.to_path_buf();
    let mut tail = Vec::new();
    while !probe.exists() {
        match (probe.file_name(), probe.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name.to_os_string());
                probe = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => break,
        }
    }
    let mut out_abs = absolute(&probe);
    for t in tail.iter().rev() {
        out_abs.push(t);
    }
    for input in inputs {
        let in_abs = absolute(input);
        if in_abs.is_dir() && out_abs.starts_with(&in_abs) {
            return Err(BatchError::OutputInsideInput {
                out: out.display().to_string(),
                input: input.display().to_string(),
            });
        }
    }
    Ok(())
}

/// Output paths, relative to the output folder, for every entry that will be read.
fn plan_outputs(entries: &[InputEntry]) -> Vec<Option<PathBuf>> {
    let mut uses: HashMap<PathBuf, usize> = HashMap::new();
    for e in entries {
        if matches!(e.plan, InputPlan::Read(_)) {
            *uses.entry(output_rel_path(&e.rel, false)).or_default() += 1;
        }
    }
    entries
        .iter()
        .map(|e| {
            if !matches!(e.plan, InputPlan::Read(_)) {
                return None;
            }
            let plain = output_rel_path(&e.rel, false);
            // `a.html` and `a.txt` would both become `a.txt`: the non-.txt one keeps its extension.
            let clash = uses.get(&plain).copied().unwrap_or(0) > 1 && plain != e.rel;
            Some(output_rel_path(&e.rel, clash))
        })
        .collect()
}

/// What a resumed run must agree on with the run it resumes: everything that changes a record.
fn fingerprint(opts: &BatchOptions, cfg: &Config) -> String {
    let inputs: Vec<PathBuf> = opts.inputs.iter().map(|p| absolute(p)).collect();
    format!(
        "chaff {}; inputs {:?}; follow {}; min_score {}; reject_below {}; lang {:?}; learn {}; {:?}{}",
        env!("CARGO_PKG_VERSION"),
        inputs,
        opts.walk.follow_links,
        cfg.min_score,
        cfg.reject_below,
        cfg.expected_lang,
        cfg.learn,
        cfg.limits,
        // Absent without --shard, so journals of unsharded runs keep their fingerprint.
        opts.shard.map(|s| format!("; shard {s}")).unwrap_or_default()
    )
}

/// Cleans (or only scores) every document under the inputs; `sink` receives records in path order.
pub fn run(
    opts: &BatchOptions,
    cfg: &Config,
    sink: &mut dyn FnMut(&Record) -> std::io::Result<()>,
) -> Result<Summary, BatchError> {
    if let Some(out) = &opts.out_dir {
        check_output_location(&opts.inputs, out)?;
    }
    // The pool's threads build the stages' tables while this one lists the inputs.
    let pool = crate::pipeline::worker_pool(opts.threads).map_err(BatchError::Threads)?;
    let entries = input::list_inputs(&opts.inputs, &opts.walk)?;
    // Output names are planned over the whole listing, so that a name clash between two files of
    // different shards resolves as in an unsharded run (the shards can share an output folder).
    let outputs = plan_outputs(&entries);
    let (entries, outputs): (Vec<InputEntry>, Vec<Option<PathBuf>>) = match &opts.shard {
        Some(shard) => entries
            .into_iter()
            .zip(outputs)
            .filter(|(e, _)| shard.contains(&e.name))
            .unzip(),
        None => (entries, outputs),
    };
    let (mut journal, previous) = match (&opts.journal, &opts.out_dir) {
        (Some(path), Some(_)) => {
            let (j, mut previous) =
                Journal::open(path, &fingerprint(opts, cfg), opts.resume.is_some())?;
            if let Some(report) = &opts.resume {
                journal::read_report(report, &mut previous);
            }
            (Some(j), previous)
        }
        _ => (None, Previous::new()),
    };
    let bar = progress_bar(opts.progress, entries.len());

    let learned = if cfg.learn {
        pool.install(|| learn(&entries, cfg))
    } else {
        LearnedChrome::new()
    };
    let mut summary = Summary::default();
    std::thread::scope(|scope| -> Result<(), BatchError> {
        // The journal is written on its own thread, so that waiting for the disk overlaps
        // cleaning the next chunk. It still gets the chunks in order, each only after the chunk's
        // cleaned files are on disk (one `syncfs` rather than an `fdatasync` per file).
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Record>>(1);
        let out_dir = opts.out_dir.as_deref();
        let writer = journal.take().map(|mut j| {
            scope.spawn(move || -> Result<(), JournalError> {
                for records in rx {
                    if let Some(dir) = out_dir {
                        output::sync_filesystem(dir).ok();
                    }
                    j.append(records.iter())?;
                }
                Ok(())
            })
        });
        let tx = writer.is_some().then_some(tx);
        let chunks = entries.len().div_ceil(CHUNK);
        for (k, (chunk, outs)) in entries.chunks(CHUNK).zip(outputs.chunks(CHUNK)).enumerate() {
            let results: Vec<(Record, u64, bool)> = pool.install(|| {
                largest_first(chunk, |i| {
                    let (entry, out) = (&chunk[i], outs[i].as_deref());
                    if let Some(done) = resumed(entry, out, opts, &previous) {
                        return done;
                    }
                    let (record, bytes) = process_entry(entry, out, opts, cfg, &learned);
                    (record, bytes, false)
                })
            });
            for (record, bytes, reused) in &results {
                summary.add(record, *bytes);
                if *reused {
                    summary.resumed += 1;
                }
                sink(record).map_err(BatchError::Sink)?;
            }
            // The last chunk is not journaled: the complete report replaces the journal right
            // after it, so its records would protect only that instant, at the price of waiting
            // for every file of the run to reach the disk (`syncfs`) before finishing.
            if let Some(tx) = tx.as_ref().filter(|_| k + 1 < chunks) {
                let fresh = results.into_iter().filter(|r| !r.2).map(|r| r.0);
                if tx.send(fresh.collect()).is_err() {
                    break; // the writer stopped on an error, returned below
                }
            }
            if let Some(b) = &bar {
                b.inc(chunk.len() as u64);
            }
        }
        drop(tx);
        match writer.map(|w| w.join()) {
            Some(Ok(written)) => written.map_err(BatchError::from),
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => Ok(()),
        }
    })?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    Ok(summary)
}

/// `work(i)` for every entry of `chunk`, run on the current pool's threads, returned in the
/// chunk's order. Each thread takes the largest entry not yet taken: with the big documents
/// first and the small ones last, the threads finish together rather than one of them waiting
/// on a large page picked up at the end.
fn largest_first<T: Send>(chunk: &[InputEntry], work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let mut order: Vec<usize> = (0..chunk.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(chunk[i].size));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: Vec<Vec<(usize, T)>> = (0..rayon::current_num_threads())
        .into_par_iter()
        .with_max_len(1)
        .map(|_| {
            let mut mine = Vec::new();
            loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&i) = order.get(k) else { break };
                mine.push((i, work(i)));
            }
            mine
        })
        .collect();
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(chunk.len()).collect();
    for (i, t) in done.into_iter().flatten() {
        slots[i] = Some(t);
    }
    slots
        .into_iter()
        .map(|t| t.expect("every entry is taken by one thread"))
        .collect()
}

fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    if !enabled {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {pos}/{len} files [{elapsed_precise}] {wide_bar} {per_sec}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// First pass: document frequencies of short lines in the flattened-text documents.
fn learn(entries: &[InputEntry], cfg: &Config) -> LearnedChrome {
    let mut learned = entries
        .par_iter()
        .filter_map(|e| match &e.plan {
            InputPlan::Read(kind) if *kind != Some(input::DocKind::Html) => {
                input::read_regular_document(&e.path, &e.name, *kind, cfg.limits.max_doc_bytes).ok()
            }
            _ => None,
        })
        .fold(LearnedChrome::new, |mut acc, doc| {
            if let Some(text) = learning_text(&doc) {
                acc.observe(&text);
                input::recycle_buffer(text.into_bytes());
            }
            input::recycle_buffer(doc.bytes);
            acc
        })
        .reduce(LearnedChrome::new, LearnedChrome::merge);
    learned.prune();
    learned
}

/// The record of an earlier run, when `--resume` can reuse it (its cleaned file is still there,
/// whole: valid UTF-8).
fn resumed(
    entry: &InputEntry,
    out_rel: Option<&Path>,
    opts: &BatchOptions,
    previous: &Previous,
) -> Option<(Record, u64, bool)> {
    if previous.is_empty() || !matches!(entry.plan, InputPlan::Read(_)) {
        return None;
    }
    let (dir, rel) = (opts.out_dir.as_ref()?, out_rel?);
    let record = journal::reusable(previous, &entry.name, &entry.path, dir, rel)?;
    let text = std::fs::read(dir.join(rel)).ok()?;
    std::str::from_utf8(&text).ok()?;
    Some((record, 0, true))
}

fn process_entry(
    entry: &InputEntry,
    out_rel: Option<&Path>,
    opts: &BatchOptions,
    cfg: &Config,
    learned: &LearnedChrome,
) -> (Record, u64) {
    let kind = match &entry.plan {
        InputPlan::Skip(why) => return (Record::skipped(&entry.name, why), 0),
        InputPlan::Error(why) => return (Record::failed(&entry.name, why), 0),
        InputPlan::Read(kind) => *kind,
    };
    let doc = match input::read_regular_document(
        &entry.path,
        &entry.name,
        kind,
        cfg.limits.max_doc_bytes,
    ) {
        Ok(d) => d,
        Err(e) => return (Record::failed(&entry.name, &format!("cannot read: {e}")), 0),
    };
    let bytes = doc.bytes.len() as u64;
    let cleaned = clean_owned_document(doc, cfg, learned);
    let mut record = cleaned.record;
    if let (Some(dir), Some(rel), "ok") = (&opts.out_dir, out_rel, record.status.as_str()) {
        // Made durable for the whole chunk at once, before the journal names the file.
        let sync_now = !output::CAN_SYNC_FILESYSTEM;
        match output::write_atomic_with(&dir.join(rel), cleaned.text.as_bytes(), sync_now) {
            Ok(()) => record.output = Some(rel.to_string_lossy().into_owned()),
            Err(e) => {
                record.status = "error".into();
                record.error = Some(format!("cannot write {}: {e}", dir.join(rel).display()));
            }
        }
    }
    // The cleaned text is written: dropped here rather than kept until the chunk's records go
    // out, so that the next document reuses its memory.
    (record, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, size: u64) -> InputEntry {
        InputEntry {
            path: PathBuf::from(name),
            rel: PathBuf::from(name),
            name: name.to_string(),
            plan: InputPlan::Read(None),
            size,
        }
    }

    /// Results come back in the chunk's order whatever the sizes and the thread count, and the
    /// largest entries are started first.
    #[test]
    fn largest_first_keeps_the_chunk_order() {
        let sizes = [5u64, 900, 0, 42, 900, 7, 1 << 20, 3];
        let chunk: Vec<InputEntry> = sizes
            .iter()
            .enumerate()
            .map(|(i, &s)| entry(&format!("{i}.txt"), s))
            .collect();
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let started = std::sync::Mutex::new(Vec::new());
            let out = pool.install(|| {
                largest_first(&chunk, |i| {
                    started.lock().unwrap().push(i);
                    chunk[i].name.clone()
                })
            });
            let names: Vec<String> = chunk.iter().map(|e| e.name.clone()).collect();
            assert_eq!(out, names, "{threads} threads");
            let started = started.into_inner().unwrap();
            assert_eq!(started.len(), chunk.len());
            if threads == 1 {
                // One thread takes them strictly largest first (ties in listing order).
                assert_eq!(started, vec![6, 1, 4, 3, 5, 0, 7, 2]);
            }
        }
    }
}
