//! The journal of a batch run with an output folder: report records appended as chunks of
//! documents finish, so an interrupted run can be resumed (`chaff clean --resume`).
//!
//! The final report is written to a temporary file and renamed into place only when the run
//! completes, so after a `kill -9` it is either absent or the previous complete one. The journal,
//! `<report>.partial` (`chaff-report.jsonl.partial`), holds what was finished meanwhile: a header
//! line naming the options, then one report record per line, each appended (and synced) only
//! after the cleaned file it names has been renamed into place. A record cut short by a kill is
//! ignored (and trimmed before appending). The journal is removed when the report is committed.
//!
//! `--resume` takes a document's record from the journal, or from a finished report already in
//! place, when the record is `ok`, names the output file this run would write, that file exists
//! and is not older than the input, and the record reads back to exactly the same JSON line.
//! Everything else is processed again. Batch learning still reads every document, so the records
//! written are the ones a fresh run writes (the inputs and options being the same).

use crate::report::Record;
use std::collections::HashMap;
use std::io::{BufRead, Seek, Write};
use std::path::{Path, PathBuf};

/// The key of the journal's header line.
const HEADER_KEY: &str = "chaff_journal";

/// Where the journal of the report at `report` lives.
pub fn journal_path(report: &Path) -> PathBuf {
    let mut s = report.as_os_str().to_os_string();
    s.push(".partial");
    PathBuf::from(s)
}

/// Errors opening or writing the journal (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// An I/O error.
    #[error("journal '{path}': {source}")]
    Io {
        /// The journal's path.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The journal was written with other options or inputs.
    #[error("journal '{0}' was written by a run with other options or inputs: run again with the same ones, or without --resume to start over")]
    Mismatch(String),
}

/// An open journal, appending records.
#[derive(Debug)]
pub struct Journal {
    file: std::fs::File,
    path: PathBuf,
}

/// Records of earlier runs, by path: the record and the exact line it was read from.
pub type Previous = HashMap<String, (Record, String)>;

impl Journal {
    /// Opens the journal at `path` for this run. Without `resume` it starts empty; with `resume`
    /// an existing journal must carry the same `fingerprint`, and its records are returned.
    pub fn open(
        path: &Path,
        fingerprint: &str,
        resume: bool,
    ) -> Result<(Journal, Previous), JournalError> {
        let io = |source| JournalError::Io {
            path: path.display().to_string(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let header = serde_json::json!({ HEADER_KEY: 1, "options": fingerprint }).to_string();
        let mut previous = Previous::new();
        if resume && path.exists() {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(path)
                .map_err(io)?;
            let mut reader = std::io::BufReader::new(&mut file);
            let mut first = String::new();
            reader.read_line(&mut first).map_err(io)?;
            if first.trim_end() != header {
                return Err(JournalError::Mismatch(path.display().to_string()));
            }
            // Complete lines only: a kill may have cut the last one.
            let mut complete = first.len() as u64;
            let mut line = Vec::new();
            loop {
                line.clear();
                let n = reader.read_until(b'\n', &mut line).map_err(io)?;
                if n == 0 || line.last() != Some(&b'\n') {
                    break;
                }
                complete += n as u64;
                if let Ok(text) = std::str::from_utf8(&line[..n - 1]) {
                    add_previous(&mut previous, text);
                }
            }
            drop(reader);
            file.set_len(complete).map_err(io)?;
            file.seek(std::io::SeekFrom::End(0)).map_err(io)?;
            return Ok((
                Journal {
                    file,
                    path: path.to_path_buf(),
                },
                previous,
            ));
        }
        let mut file = std::fs::File::create(path).map_err(io)?;
        writeln!(file, "{header}").map_err(io)?;
        file.sync_data().map_err(io)?;
        Ok((
            Journal {
                file,
                path: path.to_path_buf(),
            },
            previous,
        ))
    }

    /// Appends records (each on its own line) and syncs them to disk.
    pub fn append<'r>(
        &mut self,
        records: impl IntoIterator<Item = &'r Record>,
    ) -> Result<(), JournalError> {
        let mut buf = String::new();
        for r in records {
            buf.push_str(&r.to_json());
            buf.push('\n');
        }
        if buf.is_empty() {
            return Ok(());
        }
        let io = |source| JournalError::Io {
            path: self.path.display().to_string(),
            source,
        };
        self.file.write_all(buf.as_bytes()).map_err(io)?;
        self.file.sync_data().map_err(io)
    }
}

/// Adds a record line to `previous` (lines that are not records are ignored).
fn add_previous(previous: &mut Previous, line: &str) {
    if let Ok(record) = serde_json::from_str::<Record>(line) {
        previous.insert(record.path.clone(), (record, line.to_string()));
    }
}

/// Reads the records of a finished report, when there is one (for `--resume`); they do not
/// replace records the journal already holds.
pub fn read_report(path: &Path, previous: &mut Previous) {
    let Ok(file) = std::fs::File::open(path) else {
        return;
    };
    let mut from_report = Previous::new();
    for line in std::io::BufReader::new(file).split(b'\n') {
        let Ok(line) = line else { break };
        if let Ok(text) = std::str::from_utf8(&line) {
            add_previous(&mut from_report, text);
        }
    }
    for (k, v) in from_report {
        previous.entry(k).or_insert(v);
    }
}

/// The record of an earlier run for a document, when it can stand for processing it again:
/// `ok`, naming `out_rel` as its output, which exists under `out_dir` and is not older than the
/// input at `input`, and reading back to the same JSON.
pub fn reusable(
    previous: &Previous,
    name: &str,
    input: &Path,
    out_dir: &Path,
    out_rel: &Path,
) -> Option<Record> {
    let (record, line) = previous.get(name)?;
    if record.status != "ok" || record.output.as_deref() != Some(&*out_rel.to_string_lossy()) {
        return None;
    }
    let out_meta = std::fs::metadata(out_dir.join(out_rel)).ok()?;
    let in_meta = std::fs::metadata(input).ok()?;
    if !out_meta.is_file() || out_meta.modified().ok()? < in_meta.modified().ok()? {
        return None;
    }
    (record.to_json() == *line).then(|| record.clone())
}

/// Removes temporary files a killed run left in `out_dir` (`.chaff-*.tmp`, never a real output
/// name); returns how many.
pub fn remove_stale_temporaries(out_dir: &Path) -> usize {
    let mut removed = 0;
    for entry in walkdir::WalkDir::new(out_dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file()
            && name.starts_with(".chaff-")
            && name.ends_with(".tmp")
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(path: &str, output: Option<&str>) -> Record {
        Record {
            path: path.into(),
            output: output.map(str::to_string),
            status: "ok".into(),
            score: Some(0.1 + 0.2),
            ..Default::default()
        }
    }

    #[test]
    fn journal_survives_a_cut_line_and_checks_options() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal_path(&dir.path().join("chaff-report.jsonl"));
        assert!(path.ends_with("chaff-report.jsonl.partial"));
        let (mut j, prev) = Journal::open(&path, "opts", false).unwrap();
        assert!(prev.is_empty());
        j.append([&rec("a.html", Some("a.txt")), &rec("b.html", Some("b.txt"))])
            .unwrap();
        drop(j);
        // A kill in the middle of a line.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"{\"path\":\"c.ht").unwrap();
        drop(f);
        assert!(matches!(
            Journal::open(&path, "other", true),
            Err(JournalError::Mismatch(_))
        ));
        let (mut j, prev) = Journal::open(&path, "opts", true).unwrap();
        assert_eq!(prev.len(), 2);
        assert_eq!(prev["a.html"].0, rec("a.html", Some("a.txt")));
        j.append([&rec("c.html", Some("c.txt"))]).unwrap();
        drop(j);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(text.ends_with("\"c.html\",\"output\":\"c.txt\",\"status\":\"ok\",\"kind\":null,\"encoding\":null,\"encoding_source\":null,\"lang\":null,\"score\":0.30000000000000004,\"verdict\":null,\"spin\":null,\"reasons\":[],\"chars_in\":0,\"chars_out\":0,\"error\":null,\"components\":[]}\n"), "{text}");
        // Without --resume the journal starts over.
        let (_, prev) = Journal::open(&path, "opts", false).unwrap();
        assert!(prev.is_empty());
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 1);
    }

    #[test]
    fn only_complete_fresh_outputs_are_reused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("a.html");
        let out = dir.path().join("out");
        std::fs::write(&input, "<p>x</p>").unwrap();
        let mut prev = Previous::new();
        let r = rec("a.html", Some("a.txt"));
        prev.insert("a.html".into(), (r.clone(), r.to_json()));
        let reuse = || reusable(&prev, "a.html", &input, &out, Path::new("a.txt"));
        assert!(reuse().is_none(), "no output file yet");
        crate::output::write_atomic(&out.join("a.txt"), b"x\n").unwrap();
        assert_eq!(reuse(), Some(r.clone()));
        assert!(reusable(&prev, "a.html", &input, &out, Path::new("a.html.txt")).is_none());
        // The input changed after the output was written.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&input, "<p>y</p>").unwrap();
        assert!(reuse().is_none());
    }
}
