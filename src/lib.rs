//! # chaff: clean scraped news articles
//!
//! chaff takes each scraped page as raw bytes (HTML, or text a scraper already flattened with the
//! page chrome included) and turns it into the article a reader would want, plus a report record
//! saying how far that text can be trusted.
//!
//! ```text
//! bytes ──decode──> text ──repair──> text ──extract──> blocks ──chrome──> kept blocks ──detect──> findings ──score──> reliability
//!  (input)        (charset + how)   (fixes)          (HTML DOM or lines) (per-block verdicts)     (spin, lang, damage)   (0..1 + reasons)
//!                                                                                                         └──> output: cleaned text + report record
//! ```
//!
//! Every stage returns what it did as data (which charset step decided, which fixes applied, which
//! blocks were dropped and why), so the report needs no extra plumbing.
//!
//! * [`input`]: walks folders, sniffs file kinds, yields [`input::RawDoc`]s.
//! * [`decode`]: bytes to text (BOM, declared charset checked against the bytes, chardetng).
//! * [`repair`]: fixes entities, control characters and mis-encoding.
//! * [`extract`]: turns a page into [`extract::Block`]s (HTML through a byte-level tokenizer and tree builder, text by lines).
//! * [`chrome`]: decides which blocks are page chrome (navigation, teasers, bylines, ...).
//! * [`detect`]: language, synonym spin, leftover encoding damage.
//! * [`score`]: findings to a reliability score, a verdict and reasons.
//! * [`report`] and [`output`]: report records, the summary and atomic file writes.
//! * [`journal`]: records of a batch run appended as it goes, for `chaff clean --resume`.
//! * [`pipeline`]: the only module that knows the order of the stages.
//! * [`stream`]: pipeline mode (`clean --jsonl`): JSONL and WARC records in, JSONL out.
//! * [`check`]: the CI gate (`chaff check`): pass marks, baselines, CI report formats.

pub mod batch;
pub mod check;
pub mod chrome;
pub mod commands;
pub mod config;
pub mod decode;
pub mod detect;
pub mod extract;
pub mod input;
pub mod journal;
pub mod output;
pub mod pipeline;
pub mod repair;
pub mod report;
pub mod score;
pub mod stream;
pub mod text_util;

pub use config::Config;
pub use pipeline::{clean_document, clean_owned_document, Cleaned};
pub use report::Record;
