//! `--shard I/N`: the N slices of a folder are disjoint, together equal the unsharded run, and do
//! not depend on the thread count; bad values are usage errors.

mod common;

use common::{chaff, read_report, scraped_page};
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

const BODY: [&str; 3] = [
    "The regional water board approved a plan on Monday to replace ageing pipes under the old town, a project expected to take three years and cost about 18 million euros.",
    "Engineers said leaks in the network waste nearly a fifth of the water pumped each day, and that the worst sections date from before the second world war.",
    "Residents will be told about road closures two weeks in advance, the board said, and work will pause during the summer tourist season to limit disruption.",
];

/// 40 documents of three kinds in nested folders, a clashing pair (`dup.html`/`dup.txt`, both
/// cleaned to `dup.txt` in an unsharded run unless renamed) and a skipped file.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        let sub = dir.path().join(format!("site{}", i % 3));
        fs::create_dir_all(&sub).unwrap();
        let headline = format!("Water board approves pipe plan, part {i}");
        if i % 2 == 0 {
            fs::write(
                sub.join(format!("p{i}.txt")),
                scraped_page(&headline, &BODY),
            )
            .unwrap();
        } else {
            let html = format!(
                "<html><head><title>{headline}</title></head><body><nav>Home News</nav><article><h1>{headline}</h1>{}</article></body></html>",
                BODY.iter().map(|p| format!("<p>{p}</p>")).collect::<String>()
            );
            fs::write(sub.join(format!("p{i}.html")), html).unwrap();
        }
    }
    fs::write(dir.path().join("dup.txt"), scraped_page("Dup text", &BODY)).unwrap();
    fs::write(
        dir.path().join("dup.html"),
        format!("<html><body><p>{}</p></body></html>", BODY[0]),
    )
    .unwrap();
    fs::write(dir.path().join("logo.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    dir
}

/// Every file under `dir` (relative path -> bytes).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

fn clean(input: &Path, out: &Path, extra: &[&str]) {
    chaff()
        .arg("clean")
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(["-q", "--no-learn"])
        .args(extra)
        .assert()
        .success();
}

#[test]
fn shards_are_disjoint_and_together_the_whole_run() {
    let input = folder();
    let whole = tempfile::tempdir().unwrap();
    clean(input.path(), whole.path(), &[]);
    let whole_report = read_report(&whole.path().join("chaff-report.jsonl"));
    let mut whole_files = files(whole.path());
    whole_files.remove("chaff-report.jsonl");
    assert_eq!(whole_report.len(), 43);

    // Three shards into one shared output folder, each with its own report.
    let shared = tempfile::tempdir().unwrap();
    let mut union = Vec::new();
    for i in 1..=3 {
        let jobs = if i == 2 { "2" } else { "1" };
        clean(
            input.path(),
            shared.path(),
            &["--shard", &format!("{i}/3"), "-j", jobs],
        );
        let report = read_report(
            &shared
                .path()
                .join(format!("chaff-report.shard-{i}-of-3.jsonl")),
        );
        assert!(
            !report.is_empty() && report.len() < whole_report.len(),
            "shard {i} holds a real slice: {}",
            report.len()
        );
        union.extend(report);
    }
    assert!(!shared.path().join("chaff-report.jsonl").exists());
    union.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    assert_eq!(
        union, whole_report,
        "the shards' records are the whole run's"
    );
    let mut shard_files = files(shared.path());
    shard_files.retain(|k, _| !k.starts_with("chaff-report"));
    assert_eq!(shard_files, whole_files, "same cleaned files, same names");
    assert!(whole_files.contains_key("dup.txt") && whole_files.contains_key("dup.html.txt"));
}

#[test]
fn a_shard_does_not_depend_on_threads_or_on_other_files() {
    let input = folder();
    let report = |extra: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        clean(input.path(), out.path(), extra);
        fs::read_to_string(out.path().join("chaff-report.shard-2-of-4.jsonl")).unwrap()
    };
    let one = report(&["--shard", "2/4", "-j", "1"]);
    assert_eq!(one, report(&["--shard", "2/4", "-j", "2"]));
    // New files elsewhere in the folder do not move existing files between shards.
    let before: Vec<String> = one
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["path"].to_string())
        .collect();
    for i in 0..30 {
        fs::write(
            input.path().join(format!("new{i}.txt")),
            scraped_page("Another story", &BODY),
        )
        .unwrap();
    }
    let after = report(&["--shard", "2/4"]);
    for path in &before {
        assert!(after.contains(path.as_str()), "{path} left shard 2/4");
    }
}

#[test]
fn score_and_check_take_a_shard_too() {
    let input = folder();
    let all = chaff()
        .args(["score", "--json", "--no-learn", "-q"])
        .arg(input.path())
        .output()
        .unwrap();
    let all = String::from_utf8(all.stdout).unwrap();
    let mut union: Vec<String> = Vec::new();
    for i in 1..=2 {
        let out = chaff()
            .args([
                "score",
                "--json",
                "--no-learn",
                "-q",
                "--shard",
                &format!("{i}/2"),
            ])
            .arg(input.path())
            .output()
            .unwrap();
        union.extend(
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .map(String::from),
        );
    }
    union
        .sort_by_key(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["path"].to_string());
    let mut all: Vec<String> = all.lines().map(String::from).collect();
    all.sort_by_key(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["path"].to_string());
    assert_eq!(union, all);
    chaff()
        .args([
            "check",
            "--min-score",
            "0",
            "--shard",
            "1/2",
            "-q",
            "--format",
            "json",
        ])
        .arg(input.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\"passed\": true")
                .or(predicate::str::contains("\"passed\":true")),
        );
}

#[test]
fn bad_shards_are_usage_errors() {
    let input = folder();
    let out = tempfile::tempdir().unwrap();
    for bad in ["0/4", "5/4", "1/0", "2", "a/b", "1/2/3", "-1/2"] {
        chaff()
            .arg("clean")
            .arg(input.path())
            .arg("-o")
            .arg(out.path().join("x"))
            .arg(format!("--shard={bad}"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a shard"));
    }
    assert!(!out.path().join("x").exists(), "nothing was written");
    chaff()
        .args(["clean", "--jsonl", "-", "--shard", "1/2"])
        .write_stdin("{\"text\":\"x\"}\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--jsonl"));
    chaff()
        .args(["clean", "-", "-o", "-", "--shard", "1/2"])
        .write_stdin("hello")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--shard"));
}
