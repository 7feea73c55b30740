//! The command line (clap derive). Doc comments here are the help text.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Clean scraped news articles: decode, repair mis-encoding, strip page chrome, detect spun copy,
/// and score how reliable each text is.
#[derive(Debug, Parser)]
#[command(name = "chaff", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean documents: write each cleaned article and a report (cleaned/chaff-report.jsonl).
    Clean(CleanArgs),
    /// Score documents without writing cleaned files: a readable table, or JSONL with --json.
    Score(ScoreArgs),
    /// CI gate: exit 0 when the corpus passes, 1 when it fails, 2 on usage or input errors.
    ///
    /// A document fails when its score is below --min-score or it cannot be cleaned (these count
    /// against --max-reject), or when its score fell by more than --tolerance since --baseline
    /// (these always fail the corpus).
    Check(CheckArgs),
    /// Print each file's text as UTF-8: the charset is detected, nothing else is changed.
    Decode(DecodeArgs),
    /// Repair text (mojibake, HTML entities, control characters) and print it.
    Fix(FixArgs),
}

/// `chaff decode`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// Files to decode.
    #[arg(required_unless_present = "jsonl", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print only the charset's WHATWG name (one line per file, "FILE<TAB>name" for several files).
    #[arg(long)]
    pub label: bool,
    /// Read {"id", "path"} records on stdin and print {"id", "encoding", "text"} records.
    #[arg(long)]
    pub jsonl: bool,
}

/// `chaff fix`.
#[derive(Debug, Args)]
pub struct FixArgs {
    /// Text file to repair ('-' or nothing: standard input).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Input is JSONL: repair one field of every record and print the records. Lines that are not
    /// JSON objects with that string field are printed unchanged (and counted on stderr).
    #[arg(long)]
    pub jsonl: bool,
    /// The field to repair with --jsonl.
    #[arg(long, default_value = "text", value_name = "NAME", requires = "jsonl")]
    pub field: String,
    /// Write the repaired text to this field instead (with --jsonl).
    #[arg(long, value_name = "NAME", requires = "jsonl")]
    pub to: Option<String>,
    /// Print what was repaired on stderr ("fixed 3 mojibake sequences (...)").
    #[arg(short, long)]
    pub verbose: bool,
    /// Print "TIMING bytes=N seconds=S" on stderr (the repair; for plain text also the output).
    #[arg(long)]
    pub timing: bool,
}

/// Options shared by every command that runs the pipeline.
#[derive(Debug, Args, Clone)]
pub struct RunArgs {
    /// Files or folders to read (folders recursively); '-' reads one document from standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Worker threads (default: all cores). Results are identical whatever the number.
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    /// Scores at or above this are "keep".
    #[arg(long, value_name = "F", default_value_t = 0.7)]
    pub min_score: f64,
    /// Scores below this are "reject" (between the two: "review").
    #[arg(long, value_name = "F", default_value_t = 0.5)]
    pub reject_below: f64,
    /// Expected language (ISO 639-3, e.g. eng): other languages are deducted.
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Do not learn chrome lines that repeat across the batch.
    #[arg(long)]
    pub no_learn: bool,
    /// Process only slice I of N (1 <= I <= N) of the documents under the inputs, chosen by a
    /// stable hash of each relative path: the N slices together are the whole run, with no overlap
    /// (for array jobs). Batch learning then sees only the slice.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<chaff::input::Shard>,
    /// Follow symbolic links while walking folders (loops are detected).
    #[arg(long)]
    pub follow: bool,
    /// Treat inputs without a known extension (and stdin) as this kind instead of sniffing.
    #[arg(long, value_parser = ["html", "text"], value_name = "KIND")]
    pub kind: Option<String>,
    /// No progress bar or summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Largest document read (after gzip decompression); longer ones are cut, with a reason.
    /// A number of bytes, or with K, M or G (binary units): 64M.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_doc_bytes: usize,
    /// Deepest element nesting in HTML; deeper tags are dropped (their text kept), with a reason.
    #[arg(long, value_name = "N", default_value_t = chaff::config::Limits::MAX_DOM_DEPTH,
          value_parser = parse_positive)]
    pub max_dom_depth: usize,
    /// Most DOM nodes (elements and text runs) read from one HTML page; the rest is cut, with a reason.
    #[arg(long, value_name = "N", default_value_t = chaff::config::Limits::MAX_DOM_NODES,
          value_parser = parse_positive)]
    pub max_dom_nodes: usize,
    /// Most attributes kept on one HTML tag; later ones are dropped, with a reason.
    #[arg(long, value_name = "N", default_value_t = chaff::config::Limits::MAX_ATTRIBUTES)]
    pub max_attributes: usize,
}

/// Parses a count of at least 1.
fn parse_positive(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// Parses a size: bytes, or a number with K, M or G (KiB, MiB, GiB; a trailing B or iB is
/// allowed). At least one byte.
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let body = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (digits, unit) = match body.char_indices().last() {
        Some((i, c @ ('k' | 'm' | 'g'))) => (&body[..i], Some(c)),
        _ => (body, None),
    };
    let n: usize = digits
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a size (e.g. 1048576, 512K, 64M, 1G)"))?;
    let factor: usize = match unit {
        Some('k') => 1 << 10,
        Some('m') => 1 << 20,
        Some('g') => 1 << 30,
        _ => 1,
    };
    let bytes = n
        .checked_mul(factor)
        .ok_or_else(|| format!("'{s}' is too large"))?;
    if bytes == 0 {
        return Err("the size must be at least 1 byte".into());
    }
    Ok(bytes)
}

/// `chaff clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Inputs and pipeline options.
    #[command(flatten)]
    pub run: RunArgs,
    /// Output folder for cleaned files ('-' prints the cleaned text of a single document).
    /// With --jsonl: the JSONL file to write ('-' or none: standard output).
    #[arg(short, long, value_name = "DIR", required_unless_present = "jsonl")]
    pub output: Option<PathBuf>,
    /// Where to write the report (default: OUTPUT/chaff-report.jsonl; none when OUTPUT is '-').
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Pipeline mode: the inputs are JSONL or WARC files ('-' for stdin; .gz read too); write
    /// one JSON line per record, the cleaned text in --field and the report in a "chaff" object.
    #[arg(long, conflicts_with = "report")]
    pub jsonl: bool,
    /// With --jsonl: the field cleaned in place (for WARC input, the field the text goes to).
    #[arg(long, value_name = "NAME", default_value = "text", requires = "jsonl")]
    pub field: String,
    /// With --jsonl: read raw HTML from this field; the cleaned text is written to --field.
    #[arg(long, value_name = "NAME", requires = "jsonl")]
    pub html_field: Option<String>,
    /// Skip documents whose cleaned file and report record a previous, interrupted (or finished)
    /// run with the same options left in the output folder; the report comes out as a fresh
    /// run's would.
    #[arg(long, conflicts_with = "jsonl")]
    pub resume: bool,
    /// With --jsonl: stop with exit 2 at the first line that is not a usable record (not JSON,
    /// not an object, field missing or not a string) instead of writing an error record.
    #[arg(long, requires = "jsonl")]
    pub strict: bool,
}

/// `chaff score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Inputs and pipeline options.
    #[command(flatten)]
    pub run: RunArgs,
    /// Print the report as JSONL instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Under each row of the table, print the score's components with their reasons.
    #[arg(long)]
    pub explain: bool,
}

/// `chaff check`.
#[derive(Debug, Args)]
#[command(mut_arg("min_score", |a| a
    .help("Documents scoring below this fail the check (it is also the keep threshold)")))]
pub struct CheckArgs {
    /// Inputs and pipeline options.
    #[command(flatten)]
    pub run: RunArgs,
    /// How many failing documents still pass: a count (3) or a share of the documents (5%).
    #[arg(long, value_name = "N|P%", default_value = "0")]
    pub max_reject: chaff::check::RejectLimit,
    /// A saved report to compare with, by path ('chaff score --json INPUT > FILE').
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Against --baseline, a document fails when its score fell by more than this.
    #[arg(long, value_name = "F", default_value_t = 0.05)]
    pub tolerance: f64,
    /// Report format: readable text, a JSON summary, GitHub workflow annotations, or JUnit XML.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The formats of `chaff check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// One line per failing document, then the verdict.
    Text,
    /// A JSON summary.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// JUnit XML, one test case per document.
    Junit,
}

impl From<CheckFormat> for chaff::check::render::Format {
    fn from(f: CheckFormat) -> Self {
        use chaff::check::render::Format;
        match f {
            CheckFormat::Text => Format::Text,
            CheckFormat::Json => Format::Json,
            CheckFormat::Github => Format::Github,
            CheckFormat::Junit => Format::Junit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("2gb"), Ok(2 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12X").is_err());
        assert!(parse_size("").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
