//! Report: one record per input document, and the run summary.

use crate::score::{Component, Verdict};
use serde::{Deserialize, Serialize};

/// One line of the report (`chaff-report.jsonl`), for one input document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Path relative to the input folder (`-` for stdin).
    pub path: String,
    /// Relative path of the cleaned file written, or null.
    pub output: Option<String>,
    /// "ok", "skipped" or "error".
    pub status: String,
    /// "html" or "text"; null when the file was not read.
    pub kind: Option<String>,
    /// WHATWG name of the encoding used to decode.
    pub encoding: Option<String>,
    /// What decided the encoding (byte-order mark, meta charset, valid UTF-8, detector).
    pub encoding_source: Option<String>,
    /// ISO 639-3 code of the main language, or null when unsure.
    pub lang: Option<String>,
    /// Reliability 0..1.
    pub score: Option<f64>,
    /// keep, review or reject.
    pub verdict: Option<Verdict>,
    /// How likely the text is synonym-spun, 0..1.
    pub spin: Option<f64>,
    /// One short human-readable string per deduction or notable repair.
    pub reasons: Vec<String>,
    /// Characters in the decoded input.
    pub chars_in: usize,
    /// Characters in the cleaned output.
    pub chars_out: usize,
    /// What went wrong, or null.
    pub error: Option<String>,
    /// Headline, when found.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    /// Publication date, when the page declares it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date: Option<String>,
    /// Author, when the page declares it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub author: Option<String>,
    /// Site name, when the page declares it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub site: Option<String>,
    /// The score's components (each factor with its reason).
    #[serde(default)]
    pub components: Vec<ScoreComponent>,
}

/// A score component as stored in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreComponent {
    /// Component name.
    pub name: String,
    /// Factor applied.
    pub factor: f64,
    /// Why.
    pub reason: String,
}

impl From<&Component> for ScoreComponent {
    fn from(c: &Component) -> Self {
        ScoreComponent {
            name: c.name.to_string(),
            factor: c.factor,
            reason: c.reason.clone(),
        }
    }
}

impl Record {
    /// A record for a file that was listed but not read.
    pub fn skipped(path: &str, reason: &str) -> Self {
        Record {
            path: path.to_string(),
            status: "skipped".into(),
            reasons: vec![format!("skipped: {reason}")],
            ..Default::default()
        }
    }

    /// A record for a document that failed.
    pub fn failed(path: &str, error: &str) -> Self {
        Record {
            path: path.to_string(),
            status: "error".into(),
            error: Some(error.to_string()),
            ..Default::default()
        }
    }

    /// The record as one JSON line (no trailing newline).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("records serialise")
    }
}

/// Totals over a run, printed as the summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Documents listed.
    pub files: usize,
    /// Cleaned and kept.
    pub keep: usize,
    /// Cleaned, to review.
    pub review: usize,
    /// Cleaned, rejected.
    pub reject: usize,
    /// Not documents (unsupported, links, pipes).
    pub skipped: usize,
    /// Failed (unreadable, ...).
    pub errors: usize,
    /// Sum of scores of cleaned documents.
    pub score_sum: f64,
    /// Bytes read.
    pub bytes: u64,
    /// Documents whose record and output were taken from an earlier run (`--resume`).
    pub resumed: usize,
}

impl Summary {
    /// Adds one record (and the bytes its document had).
    pub fn add(&mut self, r: &Record, bytes: u64) {
        self.files += 1;
        self.bytes += bytes;
        match r.status.as_str() {
            "skipped" => self.skipped += 1,
            "error" => self.errors += 1,
            _ => {
                self.score_sum += r.score.unwrap_or(0.0);
                match r.verdict {
                    Some(Verdict::Keep) => self.keep += 1,
                    Some(Verdict::Review) => self.review += 1,
                    _ => self.reject += 1,
                }
            }
        }
    }

    /// Cleaned documents (kept, reviewed or rejected).
    pub fn cleaned(&self) -> usize {
        self.keep + self.review + self.reject
    }

    /// The summary lines for stderr.
    pub fn render(&self, seconds: f64) -> String {
        self.render_counting(seconds, "files")
    }

    /// The summary lines for stderr, counting inputs as `unit` ("files", "records").
    pub fn render_counting(&self, seconds: f64, unit: &str) -> String {
        let mean = if self.cleaned() > 0 {
            self.score_sum / self.cleaned() as f64
        } else {
            0.0
        };
        let mb = self.bytes as f64 / 1e6;
        let rate = if seconds > 0.0 { mb / seconds } else { 0.0 };
        let resumed = if self.resumed > 0 {
            format!(" ({} resumed from an earlier run)", self.resumed)
        } else {
            String::new()
        };
        format!(
            "chaff: {} {unit}{resumed}: {} keep, {} review, {} reject, {} skipped, {} errors; mean score {:.3}; {:.1} MB in {:.2} s ({:.1} MB/s)",
            self.files, self.keep, self.review, self.reject, self.skipped, self.errors, mean, mb, seconds, rate
        )
    }
}
