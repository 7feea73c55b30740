//! `chaff check`, the CI gate: exit codes on the seeds, --max-reject, baselines, and every format.

mod common;

use common::{chaff, root};
use predicates::prelude::*;
use std::fs;
use std::path::Path;

const SPUN: &str = "002_1aa3bb47d970edc0.txt";
const CLEAN: &str = "001_6db44384c25f5796.txt";

/// A folder holding copies of some seeds.
fn seeds(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for n in names {
        fs::copy(root().join("corpus/input").join(n), dir.path().join(n)).unwrap();
    }
    dir
}

/// `chaff score --json` over `dir`, as a baseline would be saved.
fn score_json(dir: &Path) -> String {
    let out = chaff()
        .args(["score", "--json", "-q"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn seeds_fail_because_of_the_spun_one() {
    chaff()
        .args(["check", "corpus/input", "--min-score", "0.5", "-q"])
        .current_dir(root())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "FAIL  {SPUN}: score 0.05 below 0.50: spin 1.00"
        )))
        .stdout(predicate::str::contains(
            "chaff check: FAILED: 1 of 5 documents below 0.50",
        ))
        .stdout(predicate::str::contains("000_").not());
}

#[test]
fn seeds_without_the_spun_one_pass() {
    let dir = seeds(&[
        "000_4824812027a22b0e.txt",
        CLEAN,
        "003_bb4c1b51b1e6807b.txt",
        "004_aa114d4b00301979.txt",
    ]);
    chaff()
        .args(["check", "--min-score", "0.5", "-q"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout("chaff check: passed: 0 of 4 documents below 0.50 or failed (0 allowed by --max-reject 0)\n");
}

#[test]
fn missing_folder_and_bad_options_are_exit_2() {
    chaff()
        .args(["check", "no/such/folder", "--min-score", "0.5"])
        .current_dir(root())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read input 'no/such/folder'",
        ));
    for bad in [
        &["--max-reject", "ten"][..],
        &["--max-reject", "120%"],
        &["--tolerance", "-0.1"],
        &["--min-score", "1.5"],
        &["--format", "xml"],
    ] {
        chaff()
            .args(["check", "corpus/input"])
            .args(bad)
            .current_dir(root())
            .assert()
            .code(2);
    }
}

#[test]
fn max_reject_allows_a_count_or_a_share() {
    let dir = seeds(&[CLEAN, SPUN, "003_bb4c1b51b1e6807b.txt"]);
    for (limit, code) in [("0", 1), ("1", 0), ("34%", 0), ("33%", 1)] {
        chaff()
            .args(["check", "--min-score", "0.5", "-q", "--max-reject", limit])
            .arg(dir.path())
            .assert()
            .code(code);
    }
    // Within the budget the spun document is a warning, not a failure.
    chaff()
        .args(["check", "--min-score", "0.5", "-q", "--max-reject", "1"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!("WARN  {SPUN}")))
        .stdout(predicate::str::contains("chaff check: passed: 1 of 3"));
}

#[test]
fn an_unreadable_document_fails_the_check() {
    let dir = seeds(&[CLEAN]);
    fs::write(
        dir.path().join("broken.txt"),
        b"%PDF-1.4\n\x00\x01\x02binary",
    )
    .unwrap();
    chaff()
        .args(["check", "--min-score", "0.5", "-q"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "FAIL  broken.txt: could not be cleaned: a PDF file",
        ));
}

#[test]
fn json_format_is_a_machine_readable_summary() {
    let out = chaff()
        .args([
            "check",
            "corpus/input",
            "--min-score",
            "0.5",
            "-q",
            "--format",
            "json",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["passed"], false);
    assert_eq!(v["documents"], 5);
    assert_eq!(v["rejected"], 1);
    assert_eq!(v["regressed"], 0);
    assert_eq!(v["min_score"], 0.5);
    assert_eq!(v["baseline"], serde_json::Value::Null);
    let failures = v["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0]["path"], SPUN);
    assert_eq!(failures[0]["problems"][0]["kind"], "low-score");
    assert!(failures[0]["problems"][0]["detail"]
        .as_str()
        .unwrap()
        .starts_with("spin 1.00"));
}

#[test]
fn github_format_annotates_the_failing_file() {
    chaff()
        .args([
            "check",
            "corpus/input",
            "--min-score",
            "0.5",
            "-q",
            "--format",
            "github",
        ])
        .current_dir(root())
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(format!(
            "::error file=corpus/input/{SPUN},title=chaff%3A score 0.05 below 0.50::score 0.05 below 0.50: spin 1.00"
        )))
        .stdout(predicate::str::contains(
            "\n::error title=chaff check::FAILED: 1 of 5 documents",
        ))
        .stdout(predicate::function(|s: &str| {
            s.lines().filter(|l| l.starts_with("::error file=")).count() == 1
        }));
}

#[test]
fn junit_format_writes_one_testcase_per_document() {
    let dir = seeds(&[CLEAN, SPUN]);
    fs::write(dir.path().join("logo.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let xml_path = out_dir.path().join("reports/chaff.xml");
    chaff()
        .args([
            "check",
            "--min-score",
            "0.5",
            "-q",
            "--format",
            "junit",
            "-o",
        ])
        .arg(&xml_path)
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout("");
    let xml = fs::read_to_string(&xml_path).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("3"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    assert_eq!(suite.attribute("skipped"), Some("1"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<_> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(names, [CLEAN, SPUN, "logo.png"]);
    assert!(
        cases[0].children().all(|c| !c.is_element()),
        "a pass is empty"
    );
    let failure = cases[1]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.attribute("type"), Some("low-score"));
    assert_eq!(failure.attribute("message"), Some("score 0.05 below 0.50"));
    assert!(failure.text().unwrap().contains("spin 1.00"));
    assert!(cases[2].children().any(|n| n.has_tag_name("skipped")));
}

#[test]
fn baseline_with_inflated_scores_is_a_regression() {
    let dir = seeds(&[CLEAN, SPUN]);
    let honest = score_json(dir.path());
    let base_dir = tempfile::tempdir().unwrap();
    let same = base_dir.path().join("same.jsonl");
    fs::write(&same, &honest).unwrap();
    // Against its own report the corpus passes (with a pass mark the spun seed clears).
    chaff()
        .args(["check", "--min-score", "0", "-q", "--baseline"])
        .arg(&same)
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "0 of 2 compared documents fell by more than 0.05",
        ));

    // A baseline in which the spun seed scored 0.9: it "fell" to 0.05.
    let inflated: String = honest
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            if v["path"] == SPUN {
                v["score"] = serde_json::json!(0.9);
            }
            format!("{v}\n")
        })
        .collect();
    let path = base_dir.path().join("inflated.jsonl");
    fs::write(&path, inflated).unwrap();
    // --max-reject does not excuse regressions.
    chaff()
        .args([
            "check",
            "--min-score",
            "0",
            "--max-reject",
            "100%",
            "-q",
            "--baseline",
        ])
        .arg(&path)
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "FAIL  {SPUN}: score fell from 0.90 to 0.05: fell by 0.850 since the baseline (tolerance 0.05)"
        )))
        .stdout(predicate::str::contains(CLEAN).not());
    // A looser tolerance lets it through.
    chaff()
        .args(["check", "--min-score", "0", "--tolerance", "0.9", "-q"])
        .arg("--baseline")
        .arg(&path)
        .arg(dir.path())
        .assert()
        .code(0);
}

#[test]
fn baseline_differences_are_listed_but_do_not_fail() {
    let dir = seeds(&[CLEAN]);
    let mut base = score_json(dir.path());
    base.push_str(
        "{\"path\":\"retired.txt\",\"status\":\"ok\",\"score\":0.95,\"verdict\":\"keep\"}\n",
    );
    let base_dir = tempfile::tempdir().unwrap();
    let path = base_dir.path().join("base.jsonl");
    fs::write(&path, base).unwrap();
    fs::copy(
        root().join("corpus/input/003_bb4c1b51b1e6807b.txt"),
        dir.path().join("003_bb4c1b51b1e6807b.txt"),
    )
    .unwrap();
    let out = chaff()
        .args(["check", "--min-score", "0.5", "-q", "--format", "json"])
        .arg("--baseline")
        .arg(&path)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["baseline"]["compared"], 1);
    assert_eq!(
        v["baseline"]["new"],
        serde_json::json!(["003_bb4c1b51b1e6807b.txt"])
    );
    assert_eq!(v["baseline"]["missing"], serde_json::json!(["retired.txt"]));
}

#[test]
fn unreadable_baseline_is_exit_2() {
    let dir = seeds(&[CLEAN]);
    chaff()
        .args(["check", "--baseline", "/no/such/baseline.jsonl"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read baseline '/no/such/baseline.jsonl'",
        ));
    let base_dir = tempfile::tempdir().unwrap();
    let bad_path = base_dir.path().join("table.txt");
    fs::write(&bad_path, "verdict  score  spin lang\nkeep 1.00 0.02 eng\n").unwrap();
    chaff()
        .args(["check", "--baseline"])
        .arg(&bad_path)
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "baseline line 1 is not a chaff report record",
        ));
}
