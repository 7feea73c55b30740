//! Pipeline mode, `chaff clean --jsonl`: JSONL (plain or gzip) and WARC records in, JSONL out,
//! one record per record, in order, untouched but for the cleaned field and the `chaff` object.

mod common;

use common::{chaff, content_lines, scraped_page};
use flate2::write::GzEncoder;
use predicates::prelude::*;
use serde_json::{json, Value};
use std::fs;
use std::io::Write;

const BODY: [&str; 4] = [
    "The city council voted on Tuesday to expand the bus network, adding twelve routes that will connect the northern suburbs with the hospital district by next spring.",
    "Officials said the plan, which costs about 40 million dollars, would be paid for by a mix of state grants and a small increase in parking fees in the city centre.",
    "Opponents argued that the money should have gone to repairing roads, and several residents told the meeting that buses in their area already run half empty.",
    "The mayor said the first new routes would open in March and that the council would review ridership figures after six months before deciding on further changes.",
];
const HEADLINE: &str = "Council expands bus network to northern suburbs";

fn page() -> String {
    scraped_page(HEADLINE, &BODY)
}

fn html_page(charset_meta: &str, body: &[&str]) -> String {
    format!(
        "<!doctype html><html><head>{charset_meta}<title>Bus plan | Daily</title></head><body><nav><a href='/'>Home</a> <a href='/n'>News</a></nav><article><h1>{HEADLINE}</h1>{}</article><footer>© The Daily</footer></body></html>",
        body.iter().map(|p| format!("<p>{p}</p>")).collect::<String>()
    )
}

fn parse_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// A WARC record with the given type, extra headers and block.
fn warc_record(kind: &str, headers: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{kind}-{}>\r\n",
        block.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(block);
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes
}

fn http_response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut b = format!(
        "HTTP/1.1 {status}\r\nServer: nginx\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    b.extend_from_slice(body);
    b
}

fn response(url: &str, status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    warc_record(
        "response",
        &[
            ("WARC-Target-URI", url),
            ("Content-Type", "application/http; msgtype=response"),
        ],
        &http_response(status, content_type, body),
    )
}

#[test]
fn records_pass_through_unchanged_but_the_field_and_chaff() {
    let first = json!({"id": "a1", "url": "https://news.example/a1", "text": page(), "lang": "en", "meta": {"tags": ["bus", "council"], "words": 120}});
    let second = json!({"text": page(), "id": "a2"});
    // Values are kept as written: number formats, escapes and inner spacing survive.
    let verbatim = r#"{"id": "a3", "price": 1.50, "big": 123456789012345678901234567890, "exp": 1e3, "name": "caf\u00e9", "text": "Short teaser about the council..."}"#;
    let input = format!("{first}\n{second}\n{verbatim}\n");
    let out = chaff()
        .args(["clean", "--jsonl", "-", "-q"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[2].starts_with(r#"{"id":"a3","price":1.50,"big":123456789012345678901234567890,"exp":1e3,"name":"caf\u00e9","text":"#),
        "{}",
        lines[2]
    );
    let got = parse_lines(&out.stdout);
    for (got, want) in got.iter().zip([&first, &second]) {
        let got_keys: Vec<&String> = got.as_object().unwrap().keys().collect();
        let mut g = got.clone();
        let mut w = want.clone();
        g.as_object_mut().unwrap().remove("text");
        g.as_object_mut().unwrap().remove("chaff");
        w.as_object_mut().unwrap().remove("text");
        assert_eq!(g, w, "every other field is kept");
        assert_eq!(got_keys.last().unwrap().as_str(), "chaff");
        let cleaned = content_lines(got["text"].as_str().unwrap());
        assert_eq!(cleaned[0], HEADLINE);
        assert_eq!(&cleaned[1..], &BODY[..], "chrome removed");
        let c = &got["chaff"];
        assert_eq!(c["status"], "ok");
        assert_eq!(c["verdict"], "keep");
        assert_eq!(c["kind"], "text");
        assert_eq!(c["encoding_source"], "JSON string");
        assert!(c["score"].as_f64().unwrap() >= 0.7);
        assert!(c.get("output").is_none());
    }
    // Key order is the input's.
    let keys: Vec<&str> = got[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["id", "url", "text", "lang", "meta", "chaff"]);
    assert_eq!(got[0]["chaff"]["line"], 1);
    assert_eq!(got[2]["chaff"]["line"], 3);
    assert!(
        got[2]["chaff"]["score"].as_f64().unwrap() < 0.5,
        "a teaser scores low: {}",
        got[2]["chaff"]
    );
}

#[test]
fn bad_lines_become_error_records_and_exit_1() {
    let input = format!(
        "{}\n{{\"id\": 2, \"text\": \"unterminated\n\n{}\n{}\n[1, 2]\n{}\n",
        json!({"id": 1, "text": page()}),
        json!({"id": 3, "body": "no text field"}),
        json!({"id": 4, "text": {"html": "<p>x</p>"}}),
        json!({"id": 6, "text": page(), "chaff": "stale"}),
    );
    let out = chaff()
        .args(["clean", "--jsonl", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "some records failed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("4 errors"), "{stderr}");
    let got = parse_lines(&out.stdout);
    assert_eq!(
        got.len(),
        6,
        "one record out per record in; the blank line is none"
    );
    assert_eq!(got[0]["chaff"]["status"], "ok");
    // Line 2 is not JSON: a record holding only the error.
    assert_eq!(got[1].as_object().unwrap().len(), 1);
    assert_eq!(got[1]["chaff"]["line"], 2);
    let e = got[1]["chaff"]["error"].as_str().unwrap();
    assert!(
        e.starts_with("line 2: invalid JSON: EOF while parsing"),
        "{e}"
    );
    // Missing and non-string fields: the record passes through untouched, with the error.
    assert_eq!(got[2]["id"], 3);
    assert_eq!(got[2]["body"], "no text field");
    assert_eq!(got[2]["chaff"]["error"], "line 4: no field 'text'");
    assert_eq!(got[3]["text"], json!({"html": "<p>x</p>"}));
    assert_eq!(
        got[3]["chaff"]["error"],
        "line 5: field 'text' is an object, not a string"
    );
    assert_eq!(
        got[4]["chaff"]["error"],
        "line 6: not a JSON object but an array"
    );
    // An existing "chaff" key is replaced in place.
    assert_eq!(got[5]["chaff"]["status"], "ok");
    assert_eq!(got[5]["chaff"]["line"], 7);
}

#[test]
fn strict_stops_at_the_first_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(
        &input,
        format!(
            "{}\n{}\n{}\n",
            json!({"id": 1, "text": page()}),
            json!({"id": 2, "text": 42}),
            json!({"id": 3, "text": page()})
        ),
    )
    .unwrap();
    let out_file = dir.path().join("out.jsonl");
    chaff()
        .args(["clean", "--jsonl", "--strict", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&out_file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 2: field 'text' is a number, not a string (stopped by --strict)",
        ));
    assert!(!out_file.exists(), "no half-written output file");
    // To stdout, the records before the bad line are already out.
    let out = chaff()
        .args(["clean", "--jsonl", "--strict", "-q"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let got = parse_lines(&out.stdout);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["id"], 1);
}

#[test]
fn output_file_and_order_across_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    // More records than one parallel chunk (256).
    let mut s = String::new();
    for i in 0..300 {
        s.push_str(
            &json!({"n": i, "text": format!("Report number {i}\n\n{}", BODY[i % 4])}).to_string(),
        );
        s.push('\n');
    }
    fs::write(&input, s).unwrap();
    let out_file = dir.path().join("sub/out.jsonl");
    chaff()
        .args(["clean", "--jsonl", "-j", "2", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&out_file)
        .assert()
        .code(0)
        .stdout("");
    let got = parse_lines(&fs::read(&out_file).unwrap());
    let ns: Vec<u64> = got.iter().map(|v| v["n"].as_u64().unwrap()).collect();
    assert_eq!(ns, (0..300).collect::<Vec<u64>>());
    assert!(got
        .iter()
        .all(|v| v["text"].as_str().unwrap().contains("Report number")));
}

#[test]
fn html_field_is_read_and_the_text_written_to_field() {
    let rec = json!({"id": 9, "html": html_page("", &BODY), "fetched": "2024-05-01"});
    let out = chaff()
        .args([
            "clean",
            "--jsonl",
            "-",
            "--html-field",
            "html",
            "--field",
            "article",
            "-q",
        ])
        .write_stdin(format!("{rec}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let got = &parse_lines(&out.stdout)[0];
    let keys: Vec<&str> = got
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["id", "html", "fetched", "article", "chaff"]);
    assert_eq!(got["html"], rec["html"], "the HTML is kept");
    let text = got["article"].as_str().unwrap();
    assert!(
        text.starts_with(&format!("{HEADLINE}\n\n{}", BODY[0])),
        "{text}"
    );
    assert!(!text.contains("Home") && !text.contains("©"), "{text}");
    assert_eq!(got["chaff"]["kind"], "html");
    // Without --jsonl the pipeline options are refused.
    chaff()
        .args(["clean", "x", "-o", "y", "--html-field", "html"])
        .assert()
        .code(2);
}

#[test]
fn gzip_jsonl_is_read_from_files_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("feed.jsonl.gz");
    let plain = format!(
        "{}\n{}\n",
        json!({"id": 1, "text": page()}),
        json!({"id": 2, "text": page()})
    );
    fs::write(&input, gzip(plain.as_bytes())).unwrap();
    let out = chaff()
        .args(["clean", "--jsonl", "-q"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let got = parse_lines(&out.stdout);
    assert_eq!(got.len(), 2);
    assert_eq!(got[1]["chaff"]["path"], format!("{}:2", input.display()));
    assert_eq!(content_lines(got[1]["text"].as_str().unwrap())[0], HEADLINE);
    let out = chaff()
        .args(["clean", "--jsonl", "-", "-q"])
        .write_stdin(gzip(plain.as_bytes()))
        .output()
        .unwrap();
    assert_eq!(
        parse_lines(&out.stdout),
        got.iter()
            .map(|v| {
                let mut v = v.clone();
                v["chaff"]["path"] = json!(format!("-:{}", v["id"]));
                v
            })
            .collect::<Vec<_>>()
    );
}

#[test]
fn missing_input_and_folders_are_exit_2() {
    chaff()
        .args(["clean", "--jsonl", "no/such.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read input 'no/such.jsonl'",
        ));
    let dir = tempfile::tempdir().unwrap();
    chaff()
        .args(["clean", "--jsonl"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a folder"));
}

fn warc_file() -> Vec<u8> {
    let mut w = warc_record(
        "warcinfo",
        &[("Content-Type", "application/warc-fields")],
        b"software: test-crawler\r\n",
    );
    w.extend(warc_record(
        "request",
        &[("WARC-Target-URI", "https://news.example/bus")],
        b"GET /bus HTTP/1.1\r\nHost: news.example\r\n\r\n",
    ));
    w.extend(response(
        "https://news.example/bus",
        "200 OK",
        "text/html; charset=utf-8",
        html_page("<meta charset=\"utf-8\">", &BODY).as_bytes(),
    ));
    w.extend(response(
        "https://news.example/logo.png",
        "200 OK",
        "image/png",
        b"\x89PNG\r\n\x1a\n",
    ));
    w.extend(response(
        "https://news.example/old",
        "301 Moved Permanently",
        "text/html",
        b"",
    ));
    // Cyrillic in windows-1251 with no meta charset: only the HTTP header says what it is.
    let ru = [
        "Городской совет во вторник проголосовал за расширение автобусной сети, добавив двенадцать маршрутов, которые свяжут северные пригороды с больничным районом к следующей весне.",
        "Чиновники заявили, что план стоимостью около сорока миллионов долларов будет оплачен за счёт государственных грантов и небольшого повышения платы за парковку в центре города.",
    ];
    let ru_html = html_page("", &ru);
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&ru_html);
    w.extend(response(
        "https://news.example/ru",
        "200 OK",
        "text/html; charset=windows-1251",
        &cp1251,
    ));
    w
}

#[test]
fn warc_responses_become_jsonl_records() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("crawl.warc");
    fs::write(&plain, warc_file()).unwrap();
    // Per-record gzip members, as crawlers write .warc.gz.
    let gz = dir.path().join("crawl.warc.gz");
    let mut members = Vec::new();
    let file = warc_file();
    let mut rest = &file[..];
    while !rest.is_empty() {
        let next = rest[1..]
            .windows(9)
            .position(|w| w == b"WARC/1.1\r")
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        members.extend(gzip(&rest[..next]));
        rest = &rest[next..];
    }
    fs::write(&gz, members).unwrap();

    let mut outputs = Vec::new();
    for input in [&plain, &gz] {
        let out = chaff()
            .args(["clean", "--jsonl"])
            .arg(input)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("chaff: 6 records: "), "{stderr}");
        assert!(stderr.contains(" 4 skipped, 0 errors"), "{stderr}");
        outputs.push(parse_lines(&out.stdout));
    }
    assert_eq!(outputs[0], outputs[1], "gzip changes nothing");
    let got = &outputs[0];
    assert_eq!(got.len(), 2, "only the HTML responses: {got:?}");
    let keys: Vec<&str> = got[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "url",
            "warc_record_id",
            "warc_date",
            "content_type",
            "text",
            "chaff"
        ]
    );
    assert_eq!(got[0]["url"], "https://news.example/bus");
    assert!(got[0]["warc_record_id"]
        .as_str()
        .unwrap()
        .starts_with("<urn:uuid:response-"));
    let text = got[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with(&format!("{HEADLINE}\n\n{}", BODY[0])),
        "{text}"
    );
    assert!(
        !text.contains("HTTP/1.1") && !text.contains("nginx"),
        "HTTP headers stripped"
    );
    assert_eq!(got[0]["chaff"]["kind"], "html");
    assert_eq!(got[0]["chaff"]["verdict"], "keep");
    assert_eq!(got[0]["chaff"]["path"], "https://news.example/bus");

    assert_eq!(got[1]["url"], "https://news.example/ru");
    let ru = got[1]["text"].as_str().unwrap();
    assert!(ru.contains("Городской совет во вторник"), "{ru}");
    assert_eq!(got[1]["chaff"]["encoding"], "windows-1251");
    assert_eq!(got[1]["chaff"]["encoding_source"], "HTTP header");
    assert_eq!(got[1]["chaff"]["lang"], "rus");
}

#[test]
fn a_broken_warc_yields_an_error_record() {
    let mut w = response(
        "https://news.example/bus",
        "200 OK",
        "text/html",
        html_page("", &BODY).as_bytes(),
    );
    w.extend_from_slice(b"GARBAGE that is not a record\r\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.warc");
    fs::write(&path, &w).unwrap();
    let out = chaff()
        .args(["clean", "--jsonl", "-q"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let got = parse_lines(&out.stdout);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["chaff"]["status"], "ok");
    let e = got[1]["chaff"]["error"].as_str().unwrap();
    assert!(
        e.contains("record 2: expected a WARC version line, found 'GARBAGE"),
        "{e}"
    );
}

#[test]
fn gzipped_documents_are_read_in_folder_mode() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("story.txt.gz"), gzip(page().as_bytes())).unwrap();
    fs::write(
        dir.path().join("page.html.gz"),
        gzip(html_page("", &BODY).as_bytes()),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    chaff()
        .arg("clean")
        .arg(dir.path())
        .arg("-o")
        .arg(out.path())
        .arg("-q")
        .assert()
        .code(0);
    let story = fs::read_to_string(out.path().join("story.txt")).unwrap();
    assert_eq!(content_lines(&story)[0], HEADLINE);
    let page = fs::read_to_string(out.path().join("page.txt")).unwrap();
    assert!(page.starts_with(&format!("{HEADLINE}\n\n")), "{page}");
    let report = common::read_report(&out.path().join("chaff-report.jsonl"));
    assert_eq!(report[0]["path"], "page.html.gz");
    assert_eq!(report[0]["kind"], "html");
    assert_eq!(report[1]["output"], "story.txt");
}

#[test]
fn json_strings_are_repaired_but_never_charset_sniffed() {
    // Mojibake in a JSON string (UTF-8 read as windows-1252 before it was stored) is repaired.
    let body = [
        BODY[0],
        "The new line will stop at the cafÃ© near the old station, where ZÃ¼rich-born architect Anna MÃ¼ller designed the hall.",
        BODY[2],
        BODY[3],
    ];
    let text_rec = json!({"id": "m1", "text": scraped_page(HEADLINE, &body)});
    // An HTML string whose meta tag names another charset: the bytes it describes are gone, the
    // string is Unicode already, so the tag must not be acted on.
    let paragraphs = [
        BODY[0],
        "Le conseil a approuvé le projet à l’unanimité, après un débat animé sur la ligne de Genève.",
        BODY[2],
    ];
    let html_rec =
        json!({"id": "m2", "html": html_page("<meta charset=\"windows-1251\">", &paragraphs)});
    let out = chaff()
        .args(["clean", "--jsonl", "-", "-q"])
        .write_stdin(format!("{text_rec}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let got = &parse_lines(&out.stdout)[0];
    let text = got["text"].as_str().unwrap();
    assert!(
        text.contains(
            "stop at the café near the old station, where Zürich-born architect Anna Müller"
        ),
        "{text}"
    );
    assert!(!text.contains('Ã') && !text.contains('\u{FEFF}'), "{text}");
    let c = &got["chaff"];
    assert_eq!(c["encoding"], "UTF-8");
    assert_eq!(c["encoding_source"], "JSON string");
    let reasons = c["reasons"].to_string();
    assert!(reasons.contains("mojibake"), "{reasons}");

    let out = chaff()
        .args(["clean", "--jsonl", "-", "--html-field", "html", "-q"])
        .write_stdin(format!("{html_rec}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let got = &parse_lines(&out.stdout)[0];
    let text = got["text"].as_str().unwrap();
    assert!(text.contains(paragraphs[1]), "{text}");
    assert_eq!(got["chaff"]["encoding"], "UTF-8");
    assert_eq!(got["chaff"]["encoding_source"], "JSON string");
}

#[test]
fn a_leading_byte_order_mark_in_a_json_string_is_dropped() {
    let text_rec = json!({"id": "b1", "text": format!("\u{FEFF}{}", page())});
    let html_rec = json!({"id": "b2", "html": format!("\u{FEFF}{}", html_page("", &BODY))});
    for (rec, args) in [
        (text_rec, vec!["clean", "--jsonl", "-", "-q"]),
        (
            html_rec,
            vec!["clean", "--jsonl", "-", "--html-field", "html", "-q"],
        ),
    ] {
        let out = chaff()
            .args(&args)
            .write_stdin(format!("{rec}\n"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let got = &parse_lines(&out.stdout)[0];
        let text = got["text"].as_str().unwrap();
        assert!(!text.contains('\u{FEFF}'), "{text:?}");
        assert_eq!(content_lines(text)[0], HEADLINE, "{text}");
        let c = &got["chaff"];
        assert_eq!(c["status"], "ok");
        assert_eq!(c["encoding"], "UTF-8");
        assert_eq!(c["encoding_source"], "JSON string");
    }
}
