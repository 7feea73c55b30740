//! The embedded corpus: chaff's output on the seed articles must match the hand-made gold text
//! and the expected verdicts.

mod common;

use common::{chaff, content_lines, read_report, root};

#[test]
fn seeds_clean_to_their_gold_text_and_verdicts() {
    let out = tempfile::tempdir().unwrap();
    chaff()
        .args(["clean", "corpus/input", "-o"])
        .arg(out.path())
        .arg("-q")
        .current_dir(root())
        .assert()
        .success();

    let expected_dir = root().join("corpus/expected");
    let verdicts = std::fs::read_to_string(expected_dir.join("verdicts.jsonl")).unwrap();
    let report = read_report(&out.path().join("chaff-report.jsonl"));
    assert_eq!(report.len(), 5);
    for line in verdicts.lines() {
        let want: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = want["id"].as_str().unwrap();
        let got = std::fs::read_to_string(out.path().join(format!("{id}.txt"))).unwrap();
        let gold = std::fs::read_to_string(expected_dir.join(format!("{id}.txt"))).unwrap();
        let (got, gold) = (content_lines(&got), content_lines(&gold));
        assert_eq!(got.first(), gold.first(), "{id}: the headline comes first");
        assert_eq!(
            got.iter().filter(|l| *l == &gold[0]).count(),
            1,
            "{id}: headline repeated"
        );
        for line in &got {
            assert!(
                gold.contains(line),
                "{id}: kept a line that is not in the gold: {line}"
            );
        }
        let found = gold.iter().filter(|l| got.contains(l)).count();
        assert!(
            found * 100 >= gold.len() * 95,
            "{id}: only {found} of {} gold lines kept",
            gold.len()
        );

        let rec = report
            .iter()
            .find(|r| r["path"] == format!("{id}.txt"))
            .expect("record for seed");
        assert_eq!(rec["verdict"], want["verdict"], "verdict of {id}: {rec}");
        let score = rec["score"].as_f64().unwrap();
        let spin = rec["spin"].as_f64().unwrap();
        if want["spun"].as_bool().unwrap() {
            assert!(score < 0.5, "{id} is spun but scored {score}");
            assert!(spin >= 0.5, "{id} is spun but spin is {spin}");
            let reasons = rec["reasons"].to_string();
            assert!(
                reasons.contains("spin"),
                "{id}: the reasons must name the spin evidence: {reasons}"
            );
        } else {
            assert!(score >= 0.7, "{id} is clean but scored {score}: {rec}");
            assert!(spin < 0.5, "{id} is clean but spin is {spin}");
        }
        assert_eq!(rec["kind"], "text");
        assert_eq!(rec["lang"], "eng");
        assert_eq!(rec["encoding"], "UTF-8");
        assert!(rec["chars_out"].as_u64().unwrap() < rec["chars_in"].as_u64().unwrap());
    }
}

/// The seeds' F1 with the benchmark's own scorer (stdlib Python), when ../shared is present.
#[test]
fn seeds_f1_with_the_benchmark_scorer() {
    let scorer = root().join("../shared/bench/tools/score_extract.py");
    let seeds = root().join("../shared/seeds");
    if !scorer.exists() || !seeds.exists() {
        eprintln!("../shared not present: skipping the scorer check");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    chaff()
        .args(["clean", "corpus/input", "-o"])
        .arg(out.path())
        .arg("-q")
        .current_dir(root())
        .assert()
        .success();
    let res = std::process::Command::new("python3")
        .arg(&scorer)
        .arg(&seeds)
        .arg(out.path())
        .arg("--json")
        .output()
        .expect("python3 runs");
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&res.stdout).expect("scorer JSON");
    let f1 = v["F1"]
        .as_f64()
        .or_else(|| v["f1"].as_f64())
        .unwrap_or_else(|| panic!("F1 in {v}"));
    assert!(f1 >= 0.95, "seed F1 {f1} below the 0.95 bar");
}
