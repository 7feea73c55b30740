//! The gate's report in four formats: readable text, a JSON summary, GitHub workflow annotations
//! and JUnit XML. Each returns the whole document as a string; the binary decides where it goes.

use super::{DocOutcome, GateReport, Problem};
use serde_json::json;

/// The output formats of `chaff check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One line per failing document, then the verdict.
    Text,
    /// One JSON object: the counts, thresholds, failures and baseline differences.
    Json,
    /// GitHub Actions workflow commands (`::error file=...::...`).
    Github,
    /// JUnit XML, one test case per document.
    Junit,
}

/// Renders `report` in `format`; `file_of` maps a record path to the file path annotations
/// should point at (used by the GitHub format only).
pub fn render(report: &GateReport, format: Format, file_of: &dyn Fn(&str) -> String) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => json(report),
        Format::Github => github(report, file_of),
        Format::Junit => junit(report),
    }
}

/// True when a rejected document does not fail the corpus (the budget allows every rejection)
/// and it did not regress.
fn allowed(report: &GateReport, doc: &DocOutcome) -> bool {
    report.rejected <= report.allowed_rejects && !doc.is_regressed()
}

/// The titles of a document's problems, on one line.
fn titles(doc: &DocOutcome) -> String {
    doc.problems
        .iter()
        .map(Problem::title)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Each problem of a document as "title: detail", one per line.
fn details(doc: &DocOutcome) -> String {
    doc.problems
        .iter()
        .map(|p| format!("{}: {}", p.title(), p.detail()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn failing(report: &GateReport) -> impl Iterator<Item = &DocOutcome> {
    report.docs.iter().filter(|d| !d.problems.is_empty())
}

/// Readable text: `FAIL`/`WARN` lines per problem, `NEW`/`GONE` lines for baseline differences,
/// then `chaff check: passed|FAILED: ...`.
pub fn text(report: &GateReport) -> String {
    let mut out = String::new();
    for doc in failing(report) {
        let tag = if allowed(report, doc) { "WARN" } else { "FAIL" };
        for p in &doc.problems {
            out.push_str(&format!(
                "{tag}  {}: {}: {}\n",
                doc.path,
                p.title(),
                p.detail()
            ));
        }
    }
    for path in &report.new_since_baseline {
        out.push_str(&format!("NEW   {path}: not in the baseline\n"));
    }
    for path in &report.missing_from_run {
        out.push_str(&format!("GONE  {path}: in the baseline, not in this run\n"));
    }
    out.push_str(&format!("chaff check: {}\n", report.headline()));
    out
}

/// One JSON object (and a newline).
pub fn json(report: &GateReport) -> String {
    let o = &report.options;
    let failures: Vec<serde_json::Value> = failing(report)
        .map(|d| {
            json!({
                "path": d.path,
                "score": d.score,
                "baseline_score": d.baseline_score,
                "allowed": allowed(report, d),
                "problems": d.problems.iter().map(|p| json!({
                    "kind": p.kind(),
                    "title": p.title(),
                    "detail": p.detail(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let v = json!({
        "passed": report.passed(),
        "summary": report.headline(),
        "min_score": o.min_score,
        "max_reject": o.max_reject.to_string(),
        "allowed_rejects": report.allowed_rejects,
        "tolerance": o.tolerance,
        "documents": report.documents,
        "skipped": report.skipped,
        "rejected": report.rejected,
        "regressed": report.regressed,
        "baseline": if report.with_baseline {
            json!({
                "compared": report.compared,
                "new": report.new_since_baseline,
                "missing": report.missing_from_run,
            })
        } else {
            serde_json::Value::Null
        },
        "failures": failures,
    });
    format!("{v}\n")
}

/// Escapes the message part of a workflow command.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`) of a workflow command.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// How many paths a GitHub notice lists before "and N more".
const NOTICE_PATHS: usize = 10;

/// GitHub Actions workflow commands: an `::error` per failing document (`::warning` when the
/// `--max-reject` budget allows it), a `::notice` for documents new to or missing from the
/// baseline, and the verdict as a final annotation and plain line.
pub fn github(report: &GateReport, file_of: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    for doc in failing(report) {
        let level = if allowed(report, doc) {
            "warning"
        } else {
            "error"
        };
        let title = titles(doc);
        let message = details(doc);
        out.push_str(&format!(
            "::{level} file={},title={}::{}\n",
            gh_property(&file_of(&doc.path)),
            gh_property(&format!("chaff: {title}")),
            gh_data(&message)
        ));
    }
    for (what, paths) in [
        ("new since the baseline", &report.new_since_baseline),
        (
            "in the baseline but not in this run",
            &report.missing_from_run,
        ),
    ] {
        if paths.is_empty() {
            continue;
        }
        let mut list = paths
            .iter()
            .take(NOTICE_PATHS)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if paths.len() > NOTICE_PATHS {
            list.push_str(&format!(" and {} more", paths.len() - NOTICE_PATHS));
        }
        out.push_str(&format!(
            "::notice title=chaff check::{}\n",
            gh_data(&format!(
                "{} document{} {what}: {list}",
                paths.len(),
                if paths.len() == 1 { "" } else { "s" }
            ))
        ));
    }
    let level = if report.passed() { "notice" } else { "error" };
    out.push_str(&format!(
        "::{level} title=chaff check::{}\n",
        gh_data(&report.headline())
    ));
    out.push_str(&format!("chaff check: {}\n", report.headline()));
    out
}

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one `<testcase>` per record, named by its path. A document below the pass mark or
/// regressed has a `<failure>`, one that could not be cleaned an `<error>`, a file that was not a
/// document is `<skipped>`; the reasons are in the element's text.
pub fn junit(report: &GateReport) -> String {
    let errors = report
        .docs
        .iter()
        .filter(|d| {
            d.problems
                .iter()
                .any(|p| matches!(p, Problem::Error { .. }))
        })
        .count();
    let failures = failing(report).count() - errors;
    let counts = format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{}\"",
        report.docs.len(),
        report.skipped
    );
    let o = &report.options;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<testsuites name=\"chaff check\" {counts}>\n"));
    out.push_str(&format!("  <testsuite name=\"chaff check\" {counts}>\n"));
    out.push_str("    <properties>\n");
    for (name, value) in [
        ("min_score", o.min_score.to_string()),
        ("max_reject", o.max_reject.to_string()),
        ("tolerance", o.tolerance.to_string()),
        ("baseline", report.with_baseline.to_string()),
    ] {
        out.push_str(&format!(
            "      <property name=\"{name}\" value=\"{}\"/>\n",
            xml(&value)
        ));
    }
    out.push_str("    </properties>\n");
    for doc in &report.docs {
        let open = format!(
            "    <testcase classname=\"chaff.check\" name=\"{}\"",
            xml(&doc.path)
        );
        if let Some(why) = &doc.skipped {
            out.push_str(&format!(
                "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                xml(why)
            ));
            continue;
        }
        if doc.problems.is_empty() {
            out.push_str(&format!("{open}/>\n"));
            continue;
        }
        let element = if doc
            .problems
            .iter()
            .any(|p| matches!(p, Problem::Error { .. }))
        {
            "error"
        } else {
            "failure"
        };
        let mut message = titles(doc);
        if allowed(report, doc) {
            message.push_str(" (allowed by --max-reject)");
        }
        let body = details(doc);
        out.push_str(&format!(
            "{open}>\n      <{element} type=\"{}\" message=\"{}\">{}</{element}>\n    </testcase>\n",
            doc.problems[0].kind(),
            xml(&message),
            xml(&body)
        ));
    }
    out.push_str(&format!(
        "    <system-out>{}</system-out>\n",
        xml(&format!("chaff check: {}", report.headline()))
    ));
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Baseline, Gate, GateOptions};
    use crate::report::Record;

    fn report() -> GateReport {
        let base = "{\"path\":\"a, b.txt\",\"score\":0.9}\n{\"path\":\"gone.txt\",\"score\":0.9}\n";
        let mut g = Gate::new(
            GateOptions {
                min_score: 0.5,
                ..GateOptions::default()
            },
            Some(Baseline::parse(base.as_bytes()).unwrap()),
        );
        g.add(&Record {
            path: "a, b.txt".into(),
            status: "ok".into(),
            score: Some(0.4),
            reasons: vec!["100% <odd> & \"garbled\"\nline two".into()],
            ..Default::default()
        });
        g.add(&Record::failed("bin.txt", "binary data, not a text"));
        g.add(&Record::skipped("x.png", "unsupported extension .png"));
        g.finish()
    }

    #[test]
    fn github_commands_escape_their_parts() {
        let out = github(&report(), &|p| format!("corpus/{p}"));
        let first = out.lines().next().unwrap();
        assert!(
            first.starts_with("::error file=corpus/a%2C b.txt,title=chaff%3A score 0.40 below 0.50; score fell from 0.90 to 0.40::"),
            "{first}"
        );
        assert!(
            first.contains("100%25 <odd> & \"garbled\"%0Aline two"),
            "{first}"
        );
        assert!(out.contains(
            "::notice title=chaff check::1 document in the baseline but not in this run: gone.txt"
        ));
        assert!(out.contains("::error title=chaff check::FAILED: 2 of 2 documents"));
    }

    #[test]
    fn junit_escapes_and_counts() {
        let out = junit(&report());
        assert!(out.contains("tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"1\""));
        assert!(out.contains("name=\"a, b.txt\""));
        assert!(out.contains("100% &lt;odd&gt; &amp; &quot;garbled&quot;\nline two"));
        assert!(out.contains("<error type=\"error\" message=\"could not be cleaned\">could not be cleaned: binary data"));
        assert!(out.contains("<skipped message=\"unsupported extension .png\"/>"));
    }

    #[test]
    fn xml_drops_forbidden_characters() {
        assert_eq!(xml("a\u{1}b\u{FFFF}c\td"), "abc\td");
    }
}
