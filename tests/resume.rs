//! Issue 9: an interrupted run (kill -9) leaves only complete files, and `--resume` finishes it
//! with the same report and outputs a fresh run writes, without redoing finished documents.

mod common;

use common::{chaff, scraped_page};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

const HANG: Duration = Duration::from_secs(600);

const BODY: [&str; 3] = [
    "The city council voted on Tuesday to expand the bus network, adding twelve routes that will connect the northern suburbs with the hospital district by next spring.",
    "Officials said the plan, which costs about 40 million dollars, would be paid for by a mix of state grants and a small increase in parking fees in the city centre.",
    "Opponents argued that the money should have gone to repairing roads, and several residents told the meeting that buses in their area already run half empty.",
];

/// Enough documents for many chunks of 256.
fn folder(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        let sub = dir.path().join(format!("s{:02}", i % 20));
        std::fs::create_dir_all(&sub).unwrap();
        let page = scraped_page(&format!("Council story number {i} about buses"), &BODY);
        if i % 3 == 0 {
            let html =
                format!(
                "<html><body><nav>Home</nav><article><h1>Story {i}</h1>{}</article></body></html>",
                BODY.iter().map(|p| format!("<p>{p} ({i})</p>")).collect::<String>()
            );
            std::fs::write(sub.join(format!("{i:05}.html")), html).unwrap();
        } else {
            std::fs::write(sub.join(format!("{i:05}.txt")), page).unwrap();
        }
    }
    std::fs::write(dir.path().join("broken.html"), b"\x89PNG\r\n\x1a\n").unwrap();
    dir
}

/// Every file under `dir`, relative, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[cfg(unix)]
fn inode(p: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).unwrap().ino()
}

#[cfg(unix)]
#[test]
fn killed_run_leaves_complete_files_and_resume_matches_a_fresh_run() {
    let input = folder(3000);
    let fresh = tempfile::tempdir().unwrap();
    chaff()
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(fresh.path())
        .arg("-q")
        .timeout(HANG)
        .assert()
        .code(1);
    let fresh_files = files(fresh.path());
    let fresh_report = &fresh_files[Path::new("chaff-report.jsonl")];

    // Kill -9 once the journal holds finished records (one worker, so it takes a while).
    let out = tempfile::tempdir().unwrap();
    let journal = out.path().join("chaff-report.jsonl.partial");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_chaff"))
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .args(["-q", "-j", "1"])
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let lines = std::fs::read_to_string(&journal)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if lines > 1 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be interrupted"
        );
        assert!(started.elapsed() < HANG, "no journal records appeared");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    // Only complete files under real names: each equals the fresh run's; no report yet.
    let partial = files(out.path());
    assert!(!out.path().join("chaff-report.jsonl").exists());
    let mut complete = 0;
    for (rel, bytes) in &partial {
        let name = rel.file_name().unwrap().to_string_lossy();
        if name.starts_with(".chaff-") && name.ends_with(".tmp") {
            continue; // a temporary file being written when the kill came
        }
        if rel == Path::new("chaff-report.jsonl.partial") {
            continue;
        }
        assert_eq!(
            Some(bytes),
            fresh_files.get(rel),
            "{} differs",
            rel.display()
        );
        complete += 1;
    }
    assert!(
        complete >= 200,
        "a whole chunk was finished before the kill"
    );
    assert!(
        complete < fresh_files.len() - 1,
        "the kill came before the end"
    );
    // The journal's records are records of the fresh report.
    let fresh_lines: std::collections::HashSet<&str> =
        std::str::from_utf8(fresh_report).unwrap().lines().collect();
    let journal_text = std::fs::read_to_string(&journal).unwrap();
    let journaled: Vec<&str> = journal_text.lines().skip(1).collect();
    assert!(!journaled.is_empty());
    for line in &journaled {
        if serde_json::from_str::<serde_json::Value>(line).is_ok() {
            assert!(fresh_lines.contains(line), "{line}");
        }
    }
    let kept_inodes: Vec<(PathBuf, u64)> = journaled
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|r| r["output"].as_str().map(|o| out.path().join(o)))
        .map(|p| {
            let i = inode(&p);
            (p, i)
        })
        .collect();
    assert!(!kept_inodes.is_empty());

    // Resume: same report and outputs as the fresh run; finished documents were not redone.
    let assert = chaff()
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .arg("--resume")
        .timeout(HANG)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("resumed from an earlier run"), "{stderr}");
    assert_eq!(files(out.path()), fresh_files);
    for (p, i) in kept_inodes {
        assert_eq!(inode(&p), i, "{} was written again", p.display());
    }

    // Resuming a finished run redoes nothing and changes nothing.
    let assert = chaff()
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .arg("--resume")
        .timeout(HANG)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    let ok = std::str::from_utf8(fresh_report)
        .unwrap()
        .lines()
        .filter(|l| l.contains("\"status\":\"ok\""))
        .count();
    assert!(
        stderr.contains(&format!("({ok} resumed from an earlier run)")),
        "{stderr}"
    );
    assert_eq!(files(out.path()), fresh_files);
}

#[test]
fn resume_refuses_a_journal_of_other_options() {
    let input = folder(5);
    let out = tempfile::tempdir().unwrap();
    let journal = out.path().join("chaff-report.jsonl.partial");
    std::fs::write(
        &journal,
        "{\"chaff_journal\":1,\"options\":\"something else\"}\n",
    )
    .unwrap();
    chaff()
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .args(["-q", "--resume"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("other options"));
    // Without --resume the run starts over.
    chaff()
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .arg("-q")
        .assert()
        .code(1);
    assert!(
        !journal.exists(),
        "the journal is removed when the report is in place"
    );
    assert!(out.path().join("chaff-report.jsonl").exists());
}

#[test]
fn resume_needs_an_output_folder() {
    chaff()
        .args(["clean", "-", "-o", "-", "--resume"])
        .write_stdin("text")
        .assert()
        .code(2);
}
