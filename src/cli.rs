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
    /// Follow symbolic links while walking folders (loops are detected).
    #[arg(long)]
    pub follow: bool,
    /// Treat inputs without a known extension (and stdin) as this kind instead of sniffing.
    #[arg(long, value_parser = ["html", "text"], value_name = "KIND")]
    pub kind: Option<String>,
    /// No progress bar or summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `chaff clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Inputs and pipeline options.
    #[command(flatten)]
    pub run: RunArgs,
    /// Output folder for cleaned files ('-' prints the cleaned text of a single document).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Where to write the report (default: OUTPUT/chaff-report.jsonl; none when OUTPUT is '-').
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
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
