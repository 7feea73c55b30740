//! Issue 9: a folder of hostile input. Nothing panics or hangs, the exit code is 0 or 1, every
//! entry gets exactly one report record, inputs are not modified, links are not followed unless
//! asked, pipes are skipped, and limits hit are reasons, not failures.
//!
//! Time and memory are measured by `scripts/hostile.sh` (release binary, /usr/bin/time); these
//! tests do not depend on wall-clock time (the timeouts only turn a hang into a failure).

mod common;
#[path = "common/hostile.rs"]
mod hostile;

use common::{clean_quietly, read_report};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Turns a hang into a failure; far above what the run takes even in a debug build.
const HANG: Duration = Duration::from_secs(900);

/// Every non-folder entry under `root` (links not followed), relative, with its bytes for files.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).ok())
                .flatten();
            (rel, bytes)
        })
        .collect()
}

fn by_path(report: &[Value]) -> BTreeMap<String, &Value> {
    report
        .iter()
        .map(|r| (r["path"].as_str().unwrap().to_string(), r))
        .collect()
}

fn reasons(r: &Value) -> String {
    let mut all: Vec<String> = r["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    if let Some(e) = r["error"].as_str() {
        all.push(e.to_string());
    }
    all.join("; ")
}

struct Run {
    code: i32,
    report: Vec<Value>,
    out: tempfile::TempDir,
}

fn clean(input: &Path, extra: &[&str]) -> Run {
    let out = tempfile::tempdir().unwrap();
    let assert = clean_quietly(input, out.path())
        .args(extra)
        .timeout(HANG)
        .assert();
    let output = assert.get_output();
    let code = output
        .status
        .code()
        .expect("exited, not killed by a signal");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report = read_report(&out.path().join("chaff-report.jsonl"));
    Run { code, report, out }
}

#[test]
fn hostile_folder_is_reported_entry_by_entry() {
    let input = tempfile::tempdir().unwrap();
    // A debug build is about ten times slower: smaller long lines, and the 200 MB gzip bomb cut
    // at 8 MiB instead of 64 (`cargo test --release`, as CI runs it, checks the full sizes and
    // default limits).
    let (sizes, limit): (_, &[&str]) = if cfg!(debug_assertions) {
        (hostile::Sizes::quick(), &["--max-doc-bytes", "8M"])
    } else {
        (hostile::Sizes::full(), &[])
    };
    let manifest = hostile::build(input.path(), sizes);
    let before = snapshot(input.path());

    let run = clean(input.path(), limit);
    assert!(run.code == 0 || run.code == 1, "exit code {}", run.code);

    // One record per entry (regular files, links, pipes), sorted and unique; none for folders.
    let paths: Vec<&str> = run
        .report
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(paths, sorted, "report sorted by path, each path once");
    let expected: Vec<String> = before.keys().map(|p| hostile::report_name(p)).collect();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(sorted, expected_sorted);
    assert_eq!(
        manifest.regular.len() + manifest.links.len() + manifest.pipes.len(),
        run.report.len()
    );
    assert!(
        !paths.contains(&"x.html"),
        "a folder named x.html is not a document"
    );

    let rec = by_path(&run.report);
    let status = |p: &str| rec[p]["status"].as_str().unwrap().to_string();
    for p in &manifest.regular {
        let name = hostile::report_name(p);
        let s = status(&name);
        assert!(s == "ok" || s == "error", "{name}: {s}");
        if s == "error" {
            assert!(rec[&name]["error"].as_str().is_some_and(|e| !e.is_empty()));
        }
    }
    for p in &manifest.links {
        let name = hostile::report_name(p);
        assert_eq!(status(&name), "skipped", "{name}");
        assert!(reasons(rec[&name]).contains("symbolic link"), "{name}");
    }
    for p in &manifest.pipes {
        let name = hostile::report_name(p);
        assert_eq!(status(&name), "skipped", "{name}");
        assert!(reasons(rec[&name]).contains("named pipe"), "{name}");
    }
    match &manifest.unreadable {
        Some(p) => {
            let name = hostile::report_name(p);
            assert_eq!(status(&name), "error");
            assert!(reasons(rec[&name]).contains("cannot read"), "{}", reasons(rec[&name]));
        }
        None => eprintln!(
            "hostile: running as root: mode 000 does not stop reads, the unreadable case is not checked"
        ),
    }

    // Limits hit are reasons on records that are still cleaned.
    for (name, why) in [
        ("nested-divs.html", "nested deeper than 512"),
        ("nested-inline.html", "nested deeper than 512"),
        ("many-attributes.html", "attributes after the first 100"),
        ("bomb.txt.gz", "truncated"),
    ] {
        assert_eq!(status(name), "ok", "{name}");
        assert!(
            reasons(rec[name]).contains(why),
            "{name}: {}",
            reasons(rec[name])
        );
    }
    // Junk that is not a document is an error with a reason, not a crash.
    for (name, why) in [
        ("binary.html", "binary data"),
        ("png.html", "PNG"),
        ("gzip-named.txt", "gzip"),
        ("not-gzip.txt.gz", "cannot read"),
        ("cut.html.gz", "cannot read"),
        ("nul-bomb.html.gz", "binary data"),
    ] {
        assert_eq!(status(name), "error", "{name}");
        assert!(
            reasons(rec[name]).contains(why),
            "{name}: {}",
            reasons(rec[name])
        );
    }
    // Text in other scripts and encodings comes out as text.
    for name in [
        "rtl-arabic.html",
        "rtl-hebrew.html",
        "cjk-chinese.html",
        "cjk-japanese.html",
        "cjk-gb18030.txt",
        "cjk-shift-jis.txt",
        "utf16le-bom.html",
        "utf16le-nobom.html",
        "utf16be-nobom.txt",
    ] {
        assert_eq!(status(name), "ok", "{name}");
        assert!(rec[name]["chars_out"].as_u64().unwrap() > 20, "{name}");
    }
    assert!(
        matches!(
            rec["cjk-gb18030.txt"]["encoding"].as_str(),
            Some("GBK" | "gb18030")
        ),
        "{}",
        rec["cjk-gb18030.txt"]["encoding"]
    );
    assert_eq!(rec["cjk-shift-jis.txt"]["encoding"], "Shift_JIS");

    // Every output is complete UTF-8 with no temporary files left; inputs are untouched.
    let outputs = snapshot(run.out.path());
    for (rel, bytes) in &outputs {
        let name = rel.to_string_lossy();
        assert!(!name.contains(".chaff-"), "leftover temporary file {name}");
        let bytes = bytes.as_ref().expect("outputs are regular files");
        assert!(std::str::from_utf8(bytes).is_ok(), "{name} is not UTF-8");
    }
    let written = run.report.iter().filter(|r| !r["output"].is_null()).count();
    assert_eq!(
        written + 1,
        outputs.len(),
        "one output per ok record, plus the report"
    );
    assert_eq!(snapshot(input.path()), before, "inputs were modified");
}

#[cfg(unix)]
#[test]
fn follow_detects_loops_and_skips_devices() {
    let input = tempfile::tempdir().unwrap();
    let root = input.path();
    std::fs::create_dir_all(root.join("site/sub")).unwrap();
    std::fs::write(
        root.join("site/page.html"),
        "<p>The council approved the budget on Tuesday, officials said.</p>",
    )
    .unwrap();
    let link = |target: &str, name: &str| std::os::unix::fs::symlink(target, root.join(name));
    link("..", "site/sub/up").unwrap();
    link("loop-b.txt", "site/loop-a.txt").unwrap();
    link("loop-a.txt", "site/loop-b.txt").unwrap();
    link("/nonexistent/chaff/x.html", "site/dangling.html").unwrap();
    link("/dev/null", "site/null.txt").unwrap();
    link("page.html", "site/alias.html").unwrap();

    let run = clean(root, &["--follow"]);
    assert_eq!(run.code, 1, "loops and dangling links are errors");
    let rec = by_path(&run.report);
    let r = |p: &str| reasons(rec.get(p).unwrap_or_else(|| panic!("no record for {p}")));
    assert!(
        r("site/sub/up").contains("symbolic link loop"),
        "{}",
        r("site/sub/up")
    );
    assert!(
        r("site/loop-a.txt").contains("symbolic link loop"),
        "{}",
        r("site/loop-a.txt")
    );
    assert!(
        r("site/dangling.html").contains("cannot"),
        "{}",
        r("site/dangling.html")
    );
    assert!(
        r("site/null.txt").contains("device"),
        "{}",
        r("site/null.txt")
    );
    assert_eq!(rec["site/alias.html"]["status"], "ok");
    assert_eq!(rec["site/page.html"]["status"], "ok");
    assert_eq!(run.report.len(), 7);
}
