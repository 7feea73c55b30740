//! The binary's behaviour as users rely on it: outputs, report, exit codes, refusals, determinism.

mod common;

use common::{chaff, clean_quietly, content_lines, read_report, scraped_page};
use predicates::prelude::*;
use std::fs;

const BODY: [&str; 4] = [
    "The city council voted on Tuesday to expand the bus network, adding twelve routes that will connect the northern suburbs with the hospital district by next spring.",
    "Officials said the plan, which costs about 40 million dollars, would be paid for by a mix of state grants and a small increase in parking fees in the city centre.",
    "Opponents argued that the money should have gone to repairing roads, and several residents told the meeting that buses in their area already run half empty.",
    "The mayor said the first new routes would open in March and that the council would review ridership figures after six months before deciding on further changes.",
];

fn sample_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("site/a")).unwrap();
    fs::write(
        dir.path().join("site/a/story.txt"),
        scraped_page("Council expands bus network to northern suburbs", &BODY),
    )
    .unwrap();
    let html = format!(
        "<!doctype html><html><head><title>Bus plan | Daily</title><meta property=\"og:site_name\" content=\"The Daily\"></head><body><nav><a href='/'>Home</a><a href='/n'>News</a></nav><article><h1>Council expands bus network</h1>{}</article><footer>© The Daily</footer></body></html>",
        BODY.iter().map(|p| format!("<p>{p}</p>")).collect::<String>()
    );
    fs::write(dir.path().join("site/page.html"), html).unwrap();
    fs::write(
        dir.path().join("site/noext"),
        scraped_page("Council expands bus network again", &BODY[..3]),
    )
    .unwrap();
    fs::write(dir.path().join("site/image.png"), b"\x89PNG\r\n\x1a\n....").unwrap();
    dir
}

#[test]
fn clean_writes_outputs_and_a_sorted_report() {
    let input = sample_folder();
    let out = tempfile::tempdir().unwrap();
    chaff()
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("4 files"));

    let story = fs::read_to_string(out.path().join("site/a/story.txt")).unwrap();
    let lines = content_lines(&story);
    assert_eq!(lines[0], "Council expands bus network to northern suburbs");
    assert_eq!(&lines[1..], &BODY[..]);
    assert!(
        story.contains("\n\n"),
        "blocks are separated by a blank line"
    );

    let page = fs::read_to_string(out.path().join("site/page.txt")).unwrap();
    assert!(
        page.starts_with("Council expands bus network\n\n"),
        "{page}"
    );
    assert!(!page.contains("Home") && !page.contains("©"), "{page}");

    let report = read_report(&out.path().join("chaff-report.jsonl"));
    let paths: Vec<&str> = report.iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "site/a/story.txt",
            "site/image.png",
            "site/noext",
            "site/page.html"
        ]
    );
    for key in [
        "path",
        "output",
        "kind",
        "encoding",
        "lang",
        "score",
        "verdict",
        "spin",
        "reasons",
        "chars_in",
        "chars_out",
        "error",
    ] {
        assert!(
            report.iter().all(|r| r.get(key).is_some()),
            "every record has {key}"
        );
    }
    assert_eq!(report[1]["status"], "skipped");
    assert!(report[1]["reasons"][0]
        .as_str()
        .unwrap()
        .contains("unsupported extension .png"));
    assert_eq!(
        report[2]["kind"], "text",
        "extension-less text is sniffed as text"
    );
    assert_eq!(report[3]["kind"], "html");
    assert_eq!(report[3]["site"], "The Daily");
    assert_eq!(report[0]["output"], "site/a/story.txt");
    assert_eq!(report[0]["verdict"], "keep");
    assert!(
        report[0]["reasons"][0]
            .as_str()
            .unwrap()
            .starts_with("removed "),
        "{}",
        report[0]
    );
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let input = tempfile::tempdir().unwrap();
    for i in 0..30 {
        let body: Vec<String> = BODY.iter().map(|p| format!("{p} Item {i}.")).collect();
        let refs: Vec<&str> = body.iter().map(String::as_str).collect();
        fs::write(
            input.path().join(format!("doc{i:02}.txt")),
            scraped_page(&format!("Headline number {i} about the buses"), &refs),
        )
        .unwrap();
    }
    let one = tempfile::tempdir().unwrap();
    let four = tempfile::tempdir().unwrap();
    clean_quietly(input.path(), one.path())
        .args(["-j", "1"])
        .assert()
        .success();
    clean_quietly(input.path(), four.path())
        .args(["-j", "4"])
        .assert()
        .success();
    let r1 = fs::read(one.path().join("chaff-report.jsonl")).unwrap();
    let r4 = fs::read(four.path().join("chaff-report.jsonl")).unwrap();
    assert_eq!(r1, r4);
    for i in 0..30 {
        let name = format!("doc{i:02}.txt");
        assert_eq!(
            fs::read(one.path().join(&name)).unwrap(),
            fs::read(four.path().join(&name)).unwrap()
        );
    }
    // The menu lines recur in every document: the batch learned them, the text has none.
    let text = fs::read_to_string(one.path().join("doc00.txt")).unwrap();
    assert!(!text.contains("Politics"));
}

#[test]
fn output_inside_input_is_refused() {
    let input = sample_folder();
    let inside = input.path().join("cleaned");
    chaff()
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(&inside)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("inside input folder"));
    assert!(
        !inside.exists(),
        "nothing is written when the run is refused"
    );
    chaff()
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(input.path())
        .assert()
        .code(2);
}

#[test]
fn missing_input_is_a_usage_error() {
    let out = tempfile::tempdir().unwrap();
    chaff()
        .args(["clean", "/nonexistent/chaff-input", "-o"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read input"));
    chaff()
        .args(["score", "/nonexistent/chaff-input"])
        .assert()
        .code(2);
    chaff().args(["clean"]).assert().code(2);
}

#[test]
fn failed_documents_are_reported_and_exit_1() {
    let input = sample_folder();
    fs::write(
        input.path().join("site/archive.txt"),
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03binary",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    chaff()
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("site/archive.txt: gzip"));
    let report = read_report(&out.path().join("chaff-report.jsonl"));
    let bad = report
        .iter()
        .find(|r| r["path"] == "site/archive.txt")
        .unwrap();
    assert_eq!(bad["status"], "error");
    assert!(bad["output"].is_null());
    assert!(!out.path().join("site/archive.txt").exists());
    // The other documents were still cleaned.
    assert!(out.path().join("site/a/story.txt").exists());
}

#[test]
fn stdin_to_stdout() {
    let page = scraped_page("Council expands bus network to northern suburbs", &BODY);
    let assert = chaff()
        .args(["clean", "-", "-o", "-", "-q"])
        .write_stdin(page)
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(
        content_lines(&out)[0],
        "Council expands bus network to northern suburbs"
    );
    assert!(!out.contains("Scroll To Top"));
}

#[test]
fn single_html_file_to_stdout() {
    let input = sample_folder();
    chaff()
        .arg("clean")
        .arg(input.path().join("site/page.html"))
        .args(["-o", "-", "-q"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Council expands bus network\n\nThe city council voted",
        ));
}

#[test]
fn colliding_output_names_keep_both() {
    let input = tempfile::tempdir().unwrap();
    fs::write(
        input.path().join("a.txt"),
        scraped_page("Text version of the bus story", &BODY),
    )
    .unwrap();
    fs::write(
        input.path().join("a.html"),
        format!(
            "<html><body><h1>HTML version</h1><p>{}</p></body></html>",
            BODY[0]
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    clean_quietly(input.path(), out.path()).assert().success();
    assert!(fs::read_to_string(out.path().join("a.txt"))
        .unwrap()
        .starts_with("Text version"));
    assert!(fs::read_to_string(out.path().join("a.html.txt"))
        .unwrap()
        .starts_with("HTML version"));
}

#[test]
fn score_prints_a_table_or_jsonl() {
    let input = sample_folder();
    chaff()
        .arg("score")
        .arg(input.path())
        .arg("-q")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("verdict").and(predicate::str::contains("site/page.html")),
        );
    let assert = chaff()
        .arg("score")
        .arg(input.path())
        .args(["--json", "-q"])
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let recs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 4);
    assert!(recs.iter().all(|r| r["output"].is_null()));
}

#[test]
fn inputs_are_never_modified() {
    let input = sample_folder();
    let before: Vec<(String, Vec<u8>)> = walk(input.path());
    let out = tempfile::tempdir().unwrap();
    clean_quietly(input.path(), out.path()).assert().success();
    assert_eq!(walk(input.path()), before);
}

fn walk(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().display().to_string(), fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
#[test]
fn links_and_pipes_are_skipped_with_a_reason() {
    let input = sample_folder();
    std::os::unix::fs::symlink(
        input.path().join("site/a/story.txt"),
        input.path().join("site/link.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "/nonexistent/target",
        input.path().join("site/dangling.txt"),
    )
    .unwrap();
    let fifo = input.path().join("site/pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let out = tempfile::tempdir().unwrap();
    clean_quietly(input.path(), out.path())
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    let report = read_report(&out.path().join("chaff-report.jsonl"));
    let reason = |p: &str| {
        report
            .iter()
            .find(|r| r["path"] == p)
            .map(|r| r["reasons"][0].as_str().unwrap_or("").to_string())
            .unwrap_or_default()
    };
    assert!(reason("site/link.txt").contains("symbolic link"));
    assert!(reason("site/dangling.txt").contains("symbolic link"));
    if made {
        assert!(
            reason("site/pipe.txt").contains("named pipe"),
            "{}",
            reason("site/pipe.txt")
        );
    }
}

/// The paragraph a company puts under each of its press releases, flattened with its site's page.
const ABOUT_PARAGRAPH: &str = "Harbor Freightways is a logistics company based in Rotterdam. It runs 40 terminals in nine countries, employs about 6,500 people and is listed on Euronext Amsterdam.";

fn press_release_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let releases: [(&str, &[&str]); 2] = [
        (
            "Harbor Freightways opens an inland terminal in Duisburg",
            &[
                "Harbor Freightways said on Monday that it has opened an inland container terminal in Duisburg, its largest outside the Netherlands, with room for 200,000 containers a year.",
                "The terminal links the port of Rotterdam with rail lines to southern Germany and Austria, and the company expects it to take about 3,000 lorries a week off the roads.",
                "Building the site took two years and cost 85 million euros, part of which came from a European fund for freight transport that moves goods from road to rail.",
            ],
        ),
        (
            "Harbor Freightways raises its profit forecast for the year",
            &[
                "Harbor Freightways raised its forecast for operating profit this year after volumes at its terminals grew faster than expected in the third quarter.",
                "The company now expects operating profit of 310 to 330 million euros, up from 290 to 310 million, helped by higher storage fees as shipping lines wait for berths.",
                "Its shares rose four percent in early trading in Amsterdam, taking their gain since January to almost a fifth.",
            ],
        ),
    ];
    for (i, (headline, body)) in releases.iter().enumerate() {
        let mut page =
            format!("Newsroom\nInvestors\nCareers\n\n{headline}\n\nNovember 18, 2019\n\n");
        for p in *body {
            page.push_str(p);
            page.push_str("\n\n");
        }
        page.push_str(ABOUT_PARAGRAPH);
        page.push_str("\n\nMedia contact: press office\nPrivacy statement\n");
        fs::write(dir.path().join(format!("release{i}.txt")), page).unwrap();
    }
    dir
}

#[test]
fn prose_shared_by_the_batch_is_dropped_at_the_end_of_articles() {
    let input = press_release_folder();
    let learned = tempfile::tempdir().unwrap();
    let alone = tempfile::tempdir().unwrap();
    for (out, extra) in [(&learned, None), (&alone, Some("--no-learn"))] {
        clean_quietly(input.path(), out.path())
            .args(extra)
            .assert()
            .success();
    }
    for i in 0..2 {
        let name = format!("release{i}.txt");
        let with = fs::read_to_string(learned.path().join(&name)).unwrap();
        let without = fs::read_to_string(alone.path().join(&name)).unwrap();
        // The headline and the three paragraphs either way; the company's standing paragraph
        // goes only when the batch shows it under another release too.
        let lines = content_lines(&with);
        assert_eq!(lines.len(), 4, "{with}");
        assert_eq!(content_lines(&without)[..4], lines[..], "{without}");
        assert!(!with.contains(ABOUT_PARAGRAPH), "{with}");
        assert!(without.contains(ABOUT_PARAGRAPH), "{without}");
    }
    let report = read_report(&learned.path().join("chaff-report.jsonl"));
    let docs: Vec<_> = report.iter().filter(|r| r.get("path").is_some()).collect();
    assert_eq!(docs.len(), 2);
    for r in docs {
        let reasons = r["reasons"].to_string();
        assert!(
            reasons.contains("lines repeated across the batch"),
            "{reasons}"
        );
    }
}
