//! `chaff decode` and `chaff fix`, driven through the real binary.

use assert_cmd::Command;
use predicates::prelude::*;
use std::io::Write;

fn chaff() -> Command {
    Command::cargo_bin("chaff").unwrap()
}

fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    (dir, path)
}

#[test]
fn decode_prints_utf8_of_a_legacy_file() {
    // "Příliš žluťoučký kůň" in windows-1250.
    let bytes =
        b"P\xf8\xedli\x9a \x9elu\x9dou\xe8k\xfd k\xf9\xf2 \xfap\xecl \xef\xe1belsk\xe9 \xf3dy.\n";
    let (_d, path) = temp_file("czech.txt", bytes);
    chaff()
        .arg("decode")
        .arg(&path)
        .assert()
        .success()
        .stdout("Příliš žluťoučký kůň úpěl ďábelské ódy.\n");
    chaff()
        .args(["decode", "--label"])
        .arg(&path)
        .assert()
        .success()
        .stdout("windows-1250\n");
}

#[test]
fn decode_does_not_trust_a_lying_meta() {
    // Russian in windows-1251 in a page that claims windows-1252.
    let mut page =
        b"<html><head><meta charset=\"windows-1252\"><title>t</title></head><body><p>".to_vec();
    page.extend_from_slice(
        &encoding_rs::WINDOWS_1251
            .encode("Министерство финансов опубликовало новые данные о бюджете страны.")
            .0,
    );
    page.extend_from_slice(b"</p></body></html>\n");
    let (_d, path) = temp_file("page.html", &page);
    chaff()
        .args(["decode", "--label"])
        .arg(&path)
        .assert()
        .success()
        .stdout("windows-1251\n");
    chaff().arg("decode").arg(&path).assert().success().stdout(
        predicate::str::contains("Министерство финансов")
            .and(predicate::str::contains("<meta charset")),
    );
}

#[test]
fn decode_labels_several_files() {
    let (_d1, a) = temp_file("a.txt", "plain UTF-8 café\n".as_bytes());
    let (_d2, b) = temp_file("b.txt", b"\xff\xfeh\x00i\x00");
    chaff()
        .arg("decode")
        .arg("--label")
        .arg(&a)
        .arg(&b)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("a.txt\tUTF-8\n")
                .and(predicate::str::contains("b.txt\tUTF-16LE\n")),
        );
}

#[test]
fn fix_repairs_stdin_and_leaves_clean_text_alone() {
    chaff()
        .arg("fix")
        .write_stdin("The Mona Lisa doesnâ€™t have eyebrows. CafÃ© &amp; crÃ¨me.\n")
        .assert()
        .success()
        .stdout("The Mona Lisa doesn’t have eyebrows. Café & crème.\n");
    let clean = "Portuguese names like SÃO JOÃO DEL-REI keep their tildes. NESTLÉ® and √π too.\n";
    chaff()
        .args(["fix", "-"])
        .write_stdin(clean)
        .assert()
        .success()
        .stdout(clean);
}

#[test]
fn fix_reports_what_it_did() {
    chaff()
        .args(["fix", "--verbose"])
        .write_stdin("Ð±ÑŠÐ»Ð³Ð°Ñ€Ñ�ÐºÐ¸ and РїСЂСЏРјРѕР№")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "mojibake sequences (UTF-8 read as windows-1252)",
        ))
        .stderr(predicate::str::contains("(UTF-8 read as windows-1251)"));
}

#[test]
fn fix_reads_a_file() {
    let (_d, path) = temp_file("in.txt", "Merci de t√©l√©charger le plug-in".as_bytes());
    chaff()
        .arg("fix")
        .arg(&path)
        .assert()
        .success()
        .stdout("Merci de télécharger le plug-in");
}

#[test]
fn fix_jsonl_repairs_one_field() {
    let input = concat!(
        "{\"id\":\"a\",\"text\":\"Beta Haber: HÄ±rsÄ±zÄ± BÃ¼yÃ¼ Korkuttu\",\"url\":\"http://x/Ã©\"}\n",
        "this is not json\n",
        "{\"id\":\"b\",\"title\":\"no text field\"}\n",
    );
    let out = chaff()
        .args(["fix", "--jsonl"])
        .write_stdin(input)
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["text"], "Beta Haber: Hırsızı Büyü Korkuttu");
    assert_eq!(first["url"], "http://x/Ã©", "other fields are untouched");
    assert_eq!(lines[1], "this is not json");
    assert_eq!(lines[2], "{\"id\":\"b\",\"title\":\"no text field\"}");
}

#[test]
fn fix_jsonl_other_field_and_target() {
    chaff()
        .args(["fix", "--jsonl", "--field", "broken", "--to", "fixed"])
        .write_stdin("{\"id\":1,\"broken\":\"RUF MICH ZURÃœCK\"}\n")
        .assert()
        .success()
        .stdout("{\"id\":1,\"broken\":\"RUF MICH ZURÃœCK\",\"fixed\":\"RUF MICH ZURÜCK\"}\n");
}

#[test]
fn fix_jsonl_takes_the_string_as_text() {
    // The field is Unicode already: mojibake in it is repaired, a stray byte-order mark dropped,
    // and nothing is decoded again (no charset guess turns the Cyrillic into something else).
    chaff()
        .args(["fix", "--jsonl"])
        .write_stdin("{\"text\":\"\\ufeffcafÃ© crÃ¨me, прямой эфир\"}\n")
        .assert()
        .success()
        .stdout("{\"text\":\"café crème, прямой эфир\"}\n");
}

#[test]
fn fix_passes_clean_text_in_many_scripts_through_byte_for_byte() {
    let text = "Plain ASCII line with a question? Yes.\nZürich, Ελλάδα, Україна, ქართული, 日本語のテキスト, 한국어, עברית, العربية, हिन्दी, ক্ষেত্রে.\n\ttabbed – “quoted” — 😀\n";
    chaff()
        .arg("fix")
        .write_stdin(text.repeat(50))
        .assert()
        .success()
        .stdout(text.repeat(50));
}
