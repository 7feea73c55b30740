//! The CI gate behind `chaff check`: decide from report records whether a corpus passes.
//!
//! A document is *rejected* when its score is below the pass mark or it could not be cleaned; it
//! *regressed* when its score fell by more than the tolerance since a saved baseline report (or it
//! had a score there and now has none). The corpus fails when any document regressed, or when more
//! documents were rejected than `--max-reject` allows. Documents missing from the baseline, or
//! present there but not in this run, are listed without failing the gate.
//!
//! [`Gate`] takes records one at a time (so a batch run can feed it as it goes) and
//! [`Gate::finish`] returns a [`GateReport`]; [`render`] turns that into text, JSON, GitHub
//! workflow annotations or JUnit XML.

pub mod render;

use crate::report::Record;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// How many rejected documents the gate tolerates: a count, or a share of the documents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RejectLimit {
    /// At most this many documents.
    Count(usize),
    /// At most this percentage (0..=100) of the documents.
    Percent(f64),
}

impl Default for RejectLimit {
    fn default() -> Self {
        RejectLimit::Count(0)
    }
}

impl RejectLimit {
    /// How many rejected documents are allowed among `documents`.
    pub fn allowed(&self, documents: usize) -> usize {
        match *self {
            RejectLimit::Count(n) => n,
            // The small epsilon keeps 10% of 30 at 3 despite binary floating point.
            RejectLimit::Percent(p) => (p / 100.0 * documents as f64 + 1e-9).floor() as usize,
        }
    }
}

impl std::str::FromStr for RejectLimit {
    type Err = String;

    /// Parses `N` (a count) or `P%` (a percentage between 0 and 100).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some(p) = s.strip_suffix('%') {
            let p: f64 = p
                .trim()
                .parse()
                .map_err(|_| format!("'{s}' is not a percentage (e.g. 5%)"))?;
            if !(0.0..=100.0).contains(&p) {
                return Err(format!("'{s}' is not between 0% and 100%"));
            }
            return Ok(RejectLimit::Percent(p));
        }
        s.parse::<usize>().map(RejectLimit::Count).map_err(|_| {
            format!("'{s}' is neither a document count (e.g. 3) nor a percentage (e.g. 5%)")
        })
    }
}

impl std::fmt::Display for RejectLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RejectLimit::Count(n) => write!(f, "{n}"),
            RejectLimit::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// The gate's thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct GateOptions {
    /// Documents scoring below this are rejected.
    pub min_score: f64,
    /// How many rejected documents still let the corpus pass.
    pub max_reject: RejectLimit,
    /// A fall in score larger than this, against the baseline, is a regression.
    pub tolerance: f64,
}

impl Default for GateOptions {
    fn default() -> Self {
        GateOptions {
            min_score: 0.7,
            max_reject: RejectLimit::Count(0),
            tolerance: 0.05,
        }
    }
}

/// Why a baseline report cannot be used (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file cannot be read.
    #[error("cannot read baseline '{path}': {source}")]
    Io {
        /// The baseline path.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line is not a report record.
    #[error("baseline line {line} is not a chaff report record: {message}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The file holds no records at all.
    #[error("baseline holds no report records (make one with 'chaff score --json INPUT > FILE')")]
    Empty,
}

/// Scores from a saved report (`chaff score --json`, or a `chaff-report.jsonl`), by path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Baseline {
    /// Path to score; `None` for documents that had failed then. Skipped files are left out.
    scores: HashMap<String, Option<f64>>,
}

#[derive(serde::Deserialize)]
struct BaselineLine {
    path: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    score: Option<f64>,
}

impl Baseline {
    /// Reads a baseline from JSONL: one report record per line (blank lines are ignored).
    pub fn parse(reader: impl BufRead) -> Result<Self, BaselineError> {
        let mut scores = HashMap::new();
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| BaselineError::Line {
                line: i + 1,
                message: e.to_string(),
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let rec: BaselineLine =
                serde_json::from_str(&line).map_err(|e| BaselineError::Line {
                    line: i + 1,
                    message: e.to_string(),
                })?;
            if rec.status.as_deref() == Some("skipped") {
                continue;
            }
            scores.insert(rec.path, rec.score);
        }
        if scores.is_empty() {
            return Err(BaselineError::Empty);
        }
        Ok(Baseline { scores })
    }

    /// Reads the baseline file at `path`.
    pub fn load(path: &Path) -> Result<Self, BaselineError> {
        let io = |source| BaselineError::Io {
            path: path.display().to_string(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        Baseline::parse(std::io::BufReader::new(file))
    }

    /// Documents in the baseline.
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// True when the baseline holds no documents.
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// The baseline score of `path`: `None` when absent, `Some(None)` when it had failed then.
    pub fn get(&self, path: &str) -> Option<Option<f64>> {
        self.scores.get(path).copied()
    }
}

/// One reason a document fails the gate.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Scored below the pass mark; `reasons` are the score's deductions.
    LowScore {
        /// The score.
        score: f64,
        /// The pass mark.
        min_score: f64,
        /// Why the score is low.
        reasons: Vec<String>,
    },
    /// The document could not be cleaned.
    Error {
        /// What went wrong.
        error: String,
    },
    /// The score fell by more than the tolerance since the baseline (`now` is `None` when the
    /// document has no score any more).
    Regressed {
        /// Score in the baseline.
        before: f64,
        /// Score now.
        now: Option<f64>,
        /// The tolerance it exceeded.
        tolerance: f64,
    },
}

impl Problem {
    /// A stable name: `low-score`, `error` or `regressed`.
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::LowScore { .. } => "low-score",
            Problem::Error { .. } => "error",
            Problem::Regressed { .. } => "regressed",
        }
    }

    /// A one-line title, e.g. "score 0.05 below 0.50".
    pub fn title(&self) -> String {
        match self {
            Problem::LowScore {
                score, min_score, ..
            } => format!("score {score:.2} below {min_score:.2}"),
            Problem::Error { .. } => "could not be cleaned".into(),
            Problem::Regressed {
                before,
                now: Some(now),
                ..
            } => format!("score fell from {before:.2} to {now:.2}"),
            Problem::Regressed { before, .. } => {
                format!("score {before:.2} in the baseline, none now")
            }
        }
    }

    /// The details: the score's reasons, the error, or the size of the fall.
    pub fn detail(&self) -> String {
        match self {
            Problem::LowScore { reasons, .. } if reasons.is_empty() => "no reason recorded".into(),
            Problem::LowScore { reasons, .. } => reasons.join("; "),
            Problem::Error { error } => error.clone(),
            Problem::Regressed {
                before,
                now: Some(now),
                tolerance,
            } => format!(
                "fell by {:.3} since the baseline (tolerance {tolerance})",
                before - now
            ),
            Problem::Regressed { .. } => "the document could not be cleaned this time".into(),
        }
    }

    /// True for problems counted against `--max-reject` (low scores and errors).
    pub fn is_rejection(&self) -> bool {
        !matches!(self, Problem::Regressed { .. })
    }
}

/// The gate's outcome for one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocOutcome {
    /// The record's path (relative to its input folder).
    pub path: String,
    /// The score now, if the document was cleaned.
    pub score: Option<f64>,
    /// The score in the baseline, when there is one and it lists the document.
    pub baseline_score: Option<f64>,
    /// Why the file was not a document (unsupported extension, link, ...); it then neither passes nor fails.
    pub skipped: Option<String>,
    /// Why it fails; empty when it passes.
    pub problems: Vec<Problem>,
}

impl DocOutcome {
    /// True when the document is counted against `--max-reject`.
    pub fn is_rejected(&self) -> bool {
        self.problems.iter().any(Problem::is_rejection)
    }

    /// True when the document regressed against the baseline.
    pub fn is_regressed(&self) -> bool {
        self.problems
            .iter()
            .any(|p| matches!(p, Problem::Regressed { .. }))
    }
}

/// Everything the gate found, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct GateReport {
    /// The thresholds used.
    pub options: GateOptions,
    /// One outcome per record, in the order the records came (path order for a batch).
    pub docs: Vec<DocOutcome>,
    /// Documents (records that were not skipped).
    pub documents: usize,
    /// Files that were not documents.
    pub skipped: usize,
    /// Documents below the pass mark or failed.
    pub rejected: usize,
    /// Rejected documents allowed by `--max-reject`.
    pub allowed_rejects: usize,
    /// Documents whose score fell by more than the tolerance.
    pub regressed: usize,
    /// Whether a baseline was compared.
    pub with_baseline: bool,
    /// Documents in both the baseline and this run.
    pub compared: usize,
    /// Documents in the baseline but not in this run (sorted).
    pub missing_from_run: Vec<String>,
    /// Documents in this run but not in the baseline (in record order).
    pub new_since_baseline: Vec<String>,
}

impl GateReport {
    /// True when the corpus passes: no regression and no more rejections than allowed.
    pub fn passed(&self) -> bool {
        self.regressed == 0 && self.rejected <= self.allowed_rejects
    }

    /// One sentence saying whether the corpus passed and why.
    pub fn headline(&self) -> String {
        let o = &self.options;
        let mut s = format!(
            "{}: {} of {} documents below {:.2} or failed ({} allowed by --max-reject {})",
            if self.passed() { "passed" } else { "FAILED" },
            self.rejected,
            self.documents,
            o.min_score,
            self.allowed_rejects,
            o.max_reject
        );
        if self.with_baseline {
            s.push_str(&format!(
                "; {} of {} compared documents fell by more than {} since the baseline",
                self.regressed, self.compared, o.tolerance
            ));
            if !self.new_since_baseline.is_empty() || !self.missing_from_run.is_empty() {
                s.push_str(&format!(
                    " ({} new, {} missing from this run)",
                    self.new_since_baseline.len(),
                    self.missing_from_run.len()
                ));
            }
        }
        if self.skipped > 0 {
            s.push_str(&format!("; {} files skipped", self.skipped));
        }
        s
    }
}

/// Collects records and judges them.
#[derive(Debug)]
pub struct Gate {
    options: GateOptions,
    baseline: Option<Baseline>,
    docs: Vec<DocOutcome>,
    seen: HashSet<String>,
}

/// Small slack so that scores rounded to 3 decimals compare as written (0.80 - 0.75 is not > 0.05).
const EPS: f64 = 1e-9;

impl Gate {
    /// A gate with these thresholds, comparing with `baseline` when given.
    pub fn new(options: GateOptions, baseline: Option<Baseline>) -> Self {
        Gate {
            options,
            baseline,
            docs: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Judges one record.
    pub fn add(&mut self, r: &Record) {
        let mut doc = DocOutcome {
            path: r.path.clone(),
            score: r.score,
            baseline_score: None,
            skipped: None,
            problems: Vec::new(),
        };
        if r.status == "skipped" {
            doc.skipped = Some(
                r.reasons
                    .first()
                    .map(|s| s.trim_start_matches("skipped: ").to_string())
                    .unwrap_or_else(|| "not a document".into()),
            );
            self.docs.push(doc);
            return;
        }
        self.seen.insert(r.path.clone());
        match (r.status.as_str(), r.score) {
            ("ok", Some(score)) if score + EPS >= self.options.min_score => {}
            ("ok", Some(score)) => doc.problems.push(Problem::LowScore {
                score,
                min_score: self.options.min_score,
                reasons: low_score_reasons(r),
            }),
            _ => doc.problems.push(Problem::Error {
                error: r
                    .error
                    .clone()
                    .unwrap_or_else(|| format!("status {} without a score", r.status)),
            }),
        }
        if let Some(base) = &self.baseline {
            if let Some(before) = base.get(&r.path) {
                doc.baseline_score = before;
                if let Some(before) = before {
                    let fell = match r.score {
                        Some(now) => before - now > self.options.tolerance + EPS,
                        None => true,
                    };
                    if fell {
                        doc.problems.push(Problem::Regressed {
                            before,
                            now: r.score,
                            tolerance: self.options.tolerance,
                        });
                    }
                }
            }
        }
        self.docs.push(doc);
    }

    /// The verdict over every record added.
    pub fn finish(self) -> GateReport {
        let documents = self.docs.iter().filter(|d| d.skipped.is_none()).count();
        let skipped = self.docs.len() - documents;
        let rejected = self.docs.iter().filter(|d| d.is_rejected()).count();
        let regressed = self.docs.iter().filter(|d| d.is_regressed()).count();
        let allowed_rejects = self.options.max_reject.allowed(documents);
        let (with_baseline, compared, missing_from_run, new_since_baseline) = match &self.baseline {
            None => (false, 0, Vec::new(), Vec::new()),
            Some(base) => {
                let mut missing: Vec<String> = base
                    .scores
                    .keys()
                    .filter(|p| !self.seen.contains(*p))
                    .cloned()
                    .collect();
                missing.sort();
                let new: Vec<String> = self
                    .docs
                    .iter()
                    .filter(|d| d.skipped.is_none() && base.get(&d.path).is_none())
                    .map(|d| d.path.clone())
                    .collect();
                (true, documents - new.len(), missing, new)
            }
        };
        GateReport {
            options: self.options,
            docs: self.docs,
            documents,
            skipped,
            rejected,
            allowed_rejects,
            regressed,
            with_baseline,
            compared,
            missing_from_run,
            new_since_baseline,
        }
    }
}

/// The deductions that explain a low score (the components), or the last reason given.
fn low_score_reasons(r: &Record) -> Vec<String> {
    if !r.components.is_empty() {
        return r.components.iter().map(|c| c.reason.clone()).collect();
    }
    r.reasons.last().cloned().into_iter().collect()
}

/// The path on disk of a document that `input::list_inputs(roots)` named `rel`, for annotations
/// that point at the file (a single folder is joined with `rel`; with several inputs, `rel` starts
/// with the input's own name).
pub fn source_path(roots: &[PathBuf], rel: &str) -> PathBuf {
    if let [root] = roots {
        return if root.is_dir() {
            root.join(rel)
        } else {
            root.clone()
        };
    }
    let rel_path = Path::new(rel);
    let mut parts = rel_path.components();
    let first = parts.next().map(|c| c.as_os_str().to_os_string());
    for root in roots {
        if root.file_name().map(|n| n.to_os_string()) == first {
            return if root.is_dir() {
                root.join(parts.as_path())
            } else {
                root.clone()
            };
        }
    }
    PathBuf::from(rel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ScoreComponent;

    fn ok(path: &str, score: f64) -> Record {
        Record {
            path: path.into(),
            status: "ok".into(),
            score: Some(score),
            ..Default::default()
        }
    }

    fn gate(min: f64, max_reject: &str, baseline: Option<&str>) -> Gate {
        Gate::new(
            GateOptions {
                min_score: min,
                max_reject: max_reject.parse().unwrap(),
                tolerance: 0.05,
            },
            baseline.map(|b| Baseline::parse(b.as_bytes()).unwrap()),
        )
    }

    #[test]
    fn reject_limits_parse_and_apply() {
        assert_eq!("3".parse::<RejectLimit>(), Ok(RejectLimit::Count(3)));
        assert_eq!("10%".parse::<RejectLimit>(), Ok(RejectLimit::Percent(10.0)));
        assert!("0.5".parse::<RejectLimit>().is_err());
        assert!("150%".parse::<RejectLimit>().is_err());
        assert!("-1".parse::<RejectLimit>().is_err());
        assert_eq!(RejectLimit::Percent(10.0).allowed(30), 3);
        assert_eq!(RejectLimit::Percent(10.0).allowed(29), 2);
        assert_eq!(RejectLimit::Count(2).allowed(1), 2);
    }

    #[test]
    fn low_scores_and_errors_are_rejections_within_the_budget() {
        let mut g = gate(0.5, "1", None);
        g.add(&ok("a.txt", 0.9));
        let mut low = ok("b.txt", 0.2);
        low.components = vec![ScoreComponent {
            name: "spin".into(),
            factor: 0.2,
            reason: "spin 0.90: synonyms".into(),
        }];
        g.add(&low);
        g.add(&Record::skipped("c.png", "unsupported extension .png"));
        let r = g.finish();
        assert_eq!((r.documents, r.skipped, r.rejected), (2, 1, 1));
        assert!(r.passed(), "one rejection is allowed");
        assert_eq!(r.docs[1].problems[0].detail(), "spin 0.90: synonyms");
        assert_eq!(
            r.docs[2].skipped.as_deref(),
            Some("unsupported extension .png")
        );

        let mut g = gate(0.5, "1", None);
        g.add(&ok("b.txt", 0.2));
        g.add(&Record::failed("d.txt", "binary data"));
        let r = g.finish();
        assert_eq!(r.rejected, 2);
        assert!(!r.passed());
        assert_eq!(r.docs[1].problems[0].kind(), "error");
    }

    #[test]
    fn the_pass_mark_is_inclusive() {
        let mut g = gate(0.5, "0", None);
        g.add(&ok("a.txt", 0.5));
        assert!(g.finish().passed());
    }

    #[test]
    fn baseline_regressions_fail_whatever_the_budget() {
        let base = r#"{"path":"a.txt","status":"ok","score":0.9}
{"path":"b.txt","status":"ok","score":0.80}
{"path":"gone.txt","status":"ok","score":0.9}
{"path":"c.txt","status":"error","score":null}
{"path":"x.png","status":"skipped","score":null}

{"path":"e.txt","status":"ok","score":0.95}"#;
        let mut g = gate(0.0, "100%", Some(base));
        g.add(&ok("a.txt", 0.6));
        g.add(&ok("b.txt", 0.75)); // exactly the tolerance: not a regression
        g.add(&ok("c.txt", 0.1));
        g.add(&ok("new.txt", 0.9));
        g.add(&Record::failed("e.txt", "cannot read"));
        let r = g.finish();
        assert!(!r.passed());
        assert_eq!(r.regressed, 2);
        assert_eq!(
            r.docs[0].problems[0].title(),
            "score fell from 0.90 to 0.60"
        );
        assert!(r.docs[1].problems.is_empty());
        assert!(r.docs[2].problems.is_empty(), "no score in the baseline");
        assert!(r.docs[4].is_regressed(), "a score before and none now");
        assert_eq!(r.missing_from_run, ["gone.txt"]);
        assert_eq!(r.new_since_baseline, ["new.txt"]);
        assert_eq!(r.compared, 4);
        assert!(r.headline().contains("2 of 4 compared documents fell"));
    }

    #[test]
    fn bad_baselines_are_refused() {
        assert!(matches!(
            Baseline::parse("{\"path\":\"a\",\"score\":0.9}\nnot json\n".as_bytes()),
            Err(BaselineError::Line { line: 2, .. })
        ));
        assert!(matches!(
            Baseline::parse("\n\n".as_bytes()),
            Err(BaselineError::Empty)
        ));
        assert!(matches!(
            Baseline::parse("{\"score\":0.9}\n".as_bytes()),
            Err(BaselineError::Line { line: 1, .. })
        ));
    }

    #[test]
    fn source_paths_point_at_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::create_dir_all(a.join("sub")).unwrap();
        let f = dir.path().join("one.txt");
        std::fs::write(&f, "x").unwrap();
        assert_eq!(
            source_path(std::slice::from_ref(&a), "sub/x.txt"),
            a.join("sub/x.txt")
        );
        assert_eq!(source_path(std::slice::from_ref(&f), "one.txt"), f);
        let both = [a.clone(), f.clone()];
        assert_eq!(source_path(&both, "a/sub/x.txt"), a.join("sub/x.txt"));
        assert_eq!(source_path(&both, "one.txt"), f);
    }
}
