//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The `chaff` binary under test.
pub fn chaff() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("chaff").expect("chaff binary")
}

/// `chaff clean INPUT -o OUT -q`, to which a test adds its own options.
pub fn clean_quietly(input: &Path, out: &Path) -> assert_cmd::Command {
    let mut cmd = chaff();
    cmd.arg("clean").arg(input).arg("-o").arg(out).arg("-q");
    cmd
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads the JSONL report at `path` into JSON values.
pub fn read_report(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("report exists")
        .lines()
        .map(|l| serde_json::from_str(l).expect("report line is JSON"))
        .collect()
}

/// Lines of a text with whitespace runs (including no-break spaces) collapsed, blank lines dropped.
pub fn content_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// A realistic scraped text page: menu, headline, byline, body, teaser list, footer.
pub fn scraped_page(headline: &str, body: &[&str]) -> String {
    let mut s = String::from("Home\nWorld\nPolitics\nSearch form\n\n");
    s.push_str(headline);
    s.push_str("\n\nBy: Staff Reporter | 09-29-2016 | News\n3 min read\n\n");
    for p in body {
        s.push_str(p);
        s.push_str("\n\n");
    }
    s.push_str("Share this article\nRecent News\nLiberation of east Mosul nearly complete, officials say\nIraqi security forces are close to ending resistance on the east bank of the river,...\n\nScroll To Top\n");
    s
}
