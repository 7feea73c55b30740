//! Pipeline mode (`chaff clean --jsonl`): clean a stream of records into JSON Lines, one record
//! out per record in, in order, with bounded memory.
//!
//! Inputs are JSON Lines (each line an object whose text field is cleaned in place) or WARC files
//! (each HTML or plain-text `response`/`resource`/`conversion` record becomes one JSON line).
//! Either may be gzip-compressed; the format is recognised from the bytes, so standard input works
//! for all four. Records are read in chunks (at most [`CHUNK`] records or [`CHUNK_BYTES`] bytes),
//! each chunk is cleaned in parallel with rayon, and the results are written in input order.
//!
//! There is no batch learning of repeated chrome lines here: it needs a first pass over the whole
//! input, which a stream does not allow.

use crate::chrome::LearnedChrome;
use crate::config::Config;
use crate::decode::{CallerCharset, CharsetSource};
use crate::input::http::{self, ContentType};
use crate::input::jsonl::{JsonRecord, Line, LineReader};
use crate::input::warc::{WarcReader, WarcRecord};
use crate::input::{DocKind, RawDoc};
use crate::pipeline::{clean_document, clean_owned_document};
use crate::report::{Record, Summary};
use rayon::prelude::*;
use serde_json::value::RawValue;
use std::io::{BufRead, Write};
use std::path::Path;

/// Most records cleaned between two in-order writes.
pub const CHUNK: usize = 256;
/// Most input bytes held in one chunk (a single record may still be as large as the size limit).
pub const CHUNK_BYTES: usize = 32 * 1024 * 1024;

/// The key of the object added to every output record.
pub const CHAFF_KEY: &str = "chaff";

/// What pipeline mode needs besides the per-document [`Config`].
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// The field cleaned in place (and, for WARC input, the field the text is written to).
    pub field: String,
    /// Read raw HTML from this field instead; the cleaned text then goes into `field`.
    pub html_field: Option<String>,
    /// What `field` holds: text unless set to HTML.
    pub kind: Option<DocKind>,
    /// Stop at the first line that is not a usable record instead of writing an error record.
    pub strict: bool,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            field: "text".into(),
            html_field: None,
            kind: None,
            strict: false,
            threads: None,
        }
    }
}

/// Errors that stop a stream (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// An input cannot be opened.
    #[error("cannot read input '{path}': {source}")]
    Open {
        /// The path as given.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An input is a folder.
    #[error("'{0}' is a folder: --jsonl reads JSONL or WARC files, or '-' for standard input")]
    Folder(String),
    /// Reading an input failed midway (including a broken gzip stream).
    #[error("cannot read '{input}': {source}")]
    Read {
        /// The input's name.
        input: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Write(std::io::Error),
    /// The thread pool could not be built.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    /// `--strict`: a record could not be used.
    #[error("{0} (stopped by --strict)")]
    Strict(String),
}

/// One input stream with the name its records are reported under.
pub struct StreamInput {
    /// The path as given, or `-` for standard input.
    pub name: String,
    reader: Box<dyn BufRead + Send>,
}

impl std::fmt::Debug for StreamInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamInput")
            .field("name", &self.name)
            .finish()
    }
}

impl StreamInput {
    /// Wraps a reader, decompressing it when it starts with the gzip magic bytes.
    pub fn from_reader(
        name: impl Into<String>,
        reader: impl BufRead + Send + 'static,
    ) -> Result<Self, StreamError> {
        let name = name.into();
        let mut reader: Box<dyn BufRead + Send> = Box::new(reader);
        let head = reader.fill_buf().map_err(|source| StreamError::Read {
            input: name.clone(),
            source,
        })?;
        if head.starts_with(&[0x1f, 0x8b]) {
            reader = Box::new(std::io::BufReader::with_capacity(
                256 * 1024,
                flate2::bufread::MultiGzDecoder::new(reader),
            ));
        }
        Ok(StreamInput { name, reader })
    }

    /// Opens a file, or standard input for `-`.
    pub fn open(path: &Path) -> Result<Self, StreamError> {
        let name = path.display().to_string();
        if path == Path::new("-") {
            return Self::from_reader(name, std::io::BufReader::new(std::io::stdin()));
        }
        if path.is_dir() {
            return Err(StreamError::Folder(name));
        }
        let file = std::fs::File::open(path).map_err(|source| StreamError::Open {
            path: name.clone(),
            source,
        })?;
        Self::from_reader(name, std::io::BufReader::with_capacity(256 * 1024, file))
    }
}

/// One unit of work, read sequentially and cleaned in parallel.
enum Job {
    Line { no: usize, bytes: Vec<u8> },
    TooLong { no: usize, len: usize },
    Warc(Box<WarcRecord>),
    WarcBroken(String),
}

impl Job {
    fn size(&self) -> usize {
        match self {
            Job::Line { bytes, .. } => bytes.len(),
            Job::Warc(r) => r.block.len(),
            _ => 0,
        }
    }
}

/// The result of one job.
struct Done {
    /// The output line (without newline); `None` for WARC records that are not documents.
    line: Option<String>,
    /// The report record (for the summary).
    record: Record,
    /// Bytes of the document cleaned.
    bytes: u64,
    /// Set when the record could not be used as asked (what `--strict` stops on).
    input_error: Option<String>,
}

/// Where the jobs come from.
enum Source {
    Jsonl(LineReader<Box<dyn BufRead + Send>>),
    Warc(WarcReader<Box<dyn BufRead + Send>>, bool),
}

impl Source {
    fn new(mut input: StreamInput, limit: usize) -> Result<Self, StreamError> {
        let head = input
            .reader
            .fill_buf()
            .map_err(|source| StreamError::Read {
                input: input.name.clone(),
                source,
            })?;
        let start = head.iter().position(|b| !b.is_ascii_whitespace());
        if start.is_some_and(|i| head[i..].starts_with(b"WARC/")) {
            Ok(Source::Warc(WarcReader::new(input.reader, limit), false))
        } else {
            Ok(Source::Jsonl(LineReader::new(input.reader, limit)))
        }
    }

    fn next_job(&mut self) -> std::io::Result<Option<Job>> {
        match self {
            Source::Jsonl(lines) => loop {
                return Ok(match lines.next_line()? {
                    // Blank lines hold no record: nothing in, nothing out.
                    Some(Line::Text { bytes, .. }) if bytes.iter().all(u8::is_ascii_whitespace) => {
                        continue
                    }
                    Some(Line::Text { no, bytes }) => Some(Job::Line { no, bytes }),
                    Some(Line::TooLong { no, len }) => Some(Job::TooLong { no, len }),
                    None => None,
                });
            },
            Source::Warc(_, true) => Ok(None),
            Source::Warc(reader, broken) => match reader.next_record() {
                Ok(r) => Ok(r.map(|r| Job::Warc(Box::new(r)))),
                Err(crate::input::warc::WarcError::Io(e)) => Err(e),
                Err(e) => {
                    // The rest of the file cannot be framed: report it once and stop this input.
                    *broken = true;
                    Ok(Some(Job::WarcBroken(e.to_string())))
                }
            },
        }
    }
}

/// Cleans every record of `inputs` and writes one JSON line per record to `out`.
pub fn run(
    inputs: Vec<StreamInput>,
    cfg: &Config,
    opts: &StreamOptions,
    out: &mut dyn Write,
) -> Result<Summary, StreamError> {
    let pool = crate::pipeline::worker_pool(opts.threads).map_err(StreamError::Threads)?;
    let learned = LearnedChrome::new();
    let mut summary = Summary::default();
    for input in inputs {
        let name = input.name.clone();
        let read_err = |source| StreamError::Read {
            input: name.clone(),
            source,
        };
        let mut source = Source::new(input, cfg.limits.max_doc_bytes)?;
        loop {
            let mut jobs = Vec::new();
            let mut bytes = 0;
            while jobs.len() < CHUNK && bytes < CHUNK_BYTES {
                match source.next_job().map_err(read_err)? {
                    Some(job) => {
                        bytes += job.size();
                        jobs.push(job);
                    }
                    None => break,
                }
            }
            if jobs.is_empty() {
                break;
            }
            let done: Vec<Done> = pool.install(|| {
                jobs.into_par_iter()
                    .map(|job| process(job, &name, cfg, opts, &learned))
                    .collect()
            });
            for d in done {
                if opts.strict {
                    if let Some(e) = d.input_error {
                        out.flush().map_err(StreamError::Write)?;
                        return Err(StreamError::Strict(e));
                    }
                }
                summary.add(&d.record, d.bytes);
                if let Some(line) = d.line {
                    out.write_all(line.as_bytes())
                        .and_then(|_| out.write_all(b"\n"))
                        .map_err(StreamError::Write)?;
                }
            }
        }
    }
    out.flush().map_err(StreamError::Write)?;
    Ok(summary)
}

fn process(
    job: Job,
    input: &str,
    cfg: &Config,
    opts: &StreamOptions,
    learned: &LearnedChrome,
) -> Done {
    match job {
        Job::Line { no, bytes } => clean_line(input, no, &bytes, cfg, opts, learned),
        Job::TooLong { no, len } => error_only(
            &format!("{input}:{no}"),
            Some(no),
            format!(
                "line {no} is {len} bytes, longer than the {} byte limit",
                cfg.limits.max_doc_bytes
            ),
        ),
        Job::Warc(rec) => clean_warc(input, &rec, cfg, opts, learned),
        Job::WarcBroken(msg) => error_only(input, None, format!("WARC file {input}: {msg}")),
    }
}

/// The `chaff` object: the report record's fields (without `output`), plus `line` for JSONL.
fn chaff_object(record: &Record, line: Option<usize>) -> Box<RawValue> {
    let mut v = serde_json::to_value(record).expect("records serialise");
    if let Some(map) = v.as_object_mut() {
        map.shift_remove("output");
        if let Some(no) = line {
            map.insert("line".into(), no.into());
        }
    }
    serde_json::value::to_raw_value(&v).expect("values serialise")
}

/// An output line holding only a `chaff` object with the error (for lines that are not objects).
fn error_only(path: &str, line: Option<usize>, error: String) -> Done {
    let record = Record::failed(path, &error);
    let out = format!("{{\"{CHAFF_KEY}\":{}}}", chaff_object(&record, line).get());
    Done {
        line: Some(out),
        record,
        bytes: 0,
        input_error: Some(error),
    }
}

fn clean_line(
    input: &str,
    no: usize,
    bytes: &[u8],
    cfg: &Config,
    opts: &StreamOptions,
    learned: &LearnedChrome,
) -> Done {
    let path = format!("{input}:{no}");
    let mut rec = match JsonRecord::parse(bytes) {
        Ok(r) => r,
        Err(e) => return error_only(&path, Some(no), format!("line {no}: {e}")),
    };
    let (from, kind) = match &opts.html_field {
        Some(h) => (h.as_str(), DocKind::Html),
        None => (opts.field.as_str(), opts.kind.unwrap_or(DocKind::Text)),
    };
    let text = match rec.string_field(from) {
        Ok(t) => t,
        Err(e) => {
            let error = format!("line {no}: {e}");
            let record = Record::failed(&path, &error);
            rec.set(CHAFF_KEY, chaff_object(&record, Some(no)));
            return Done {
                line: Some(rec.to_line()),
                record,
                bytes: 0,
                input_error: Some(error),
            };
        }
    };
    let bytes = text.len() as u64;
    let doc = RawDoc::from_text(
        path,
        text,
        Some(kind),
        CallerCharset {
            encoding: encoding_rs::UTF_8,
            source: CharsetSource::JsonString,
        },
    );
    let cleaned = clean_document(&doc, cfg, learned);
    if cleaned.record.status == "ok" {
        rec.set(
            &opts.field,
            serde_json::value::to_raw_value(&cleaned.text).expect("strings serialise"),
        );
    }
    rec.set(CHAFF_KEY, chaff_object(&cleaned.record, Some(no)));
    Done {
        line: Some(rec.to_line()),
        record: cleaned.record,
        bytes,
        input_error: None,
    }
}

/// What a media type holds: HTML, text, or nothing chaff cleans.
fn kind_of_media(ct: Option<&ContentType>) -> Result<Option<DocKind>, String> {
    let Some(ct) = ct else { return Ok(None) };
    match ct.media_type.as_str() {
        "text/html" | "application/xhtml+xml" => Ok(Some(DocKind::Html)),
        "text/plain" => Ok(Some(DocKind::Text)),
        "" => Ok(None),
        other => Err(format!("content type {other}")),
    }
}

/// Decodes an HTML or text body with the charset its HTTP header declares, when the label is known,
/// the body has no byte-order mark, and the bytes fit it (a body of valid non-ASCII UTF-8 under a
/// single-byte label is taken to be mislabelled and left to the decode stage).
fn decode_with_http_charset(
    body: &[u8],
    label: &str,
) -> Option<(String, &'static encoding_rs::Encoding)> {
    let enc = encoding_rs::Encoding::for_label(label.as_bytes())?;
    if encoding_rs::Encoding::for_bom(body).is_some()
        || enc == encoding_rs::UTF_16LE
        || enc == encoding_rs::UTF_16BE
        || body.is_ascii()
    {
        return None;
    }
    if enc != encoding_rs::UTF_8 && std::str::from_utf8(body).is_ok() {
        return None;
    }
    let text = enc.decode_without_bom_handling_and_without_replacement(body)?;
    Some((text.into_owned(), enc))
}

fn clean_warc(
    input: &str,
    rec: &WarcRecord,
    cfg: &Config,
    opts: &StreamOptions,
    learned: &LearnedChrome,
) -> Done {
    let warc_type = rec.header("WARC-Type").unwrap_or("").to_ascii_lowercase();
    let url = rec
        .header("WARC-Target-URI")
        .map(|u| u.trim_matches(['<', '>']));
    let id = rec.header("WARC-Record-ID");
    let path = url
        .map(str::to_string)
        .or(id.map(str::to_string))
        .unwrap_or_else(|| format!("{input}#{}", rec.number));
    let skip = |why: String| Done {
        line: None,
        record: Record::skipped(&path, &why),
        bytes: 0,
        input_error: None,
    };
    let warc_ct = rec.header("Content-Type").map(http::content_type);
    let (status, ct, body) = match warc_type.as_str() {
        "response" => {
            let is_http = warc_ct
                .as_ref()
                .is_some_and(|c| c.media_type == "application/http");
            if !is_http {
                return skip(format!("WARC response that is not HTTP ({warc_ct:?})"));
            }
            match http::parse_response(&rec.block, cfg.limits.max_doc_bytes) {
                Ok(resp) => {
                    let ct = resp.header("Content-Type").map(http::content_type);
                    (Some(resp.status), ct, resp.body)
                }
                Err(e) => return with_error(input, rec, &path, format!("HTTP response: {e}")),
            }
        }
        "resource" | "conversion" => (None, warc_ct, rec.block.clone()),
        other => return skip(format!("WARC {other} record")),
    };
    if let Some(s) = status {
        if !(200..300).contains(&s) {
            return skip(format!("HTTP status {s}"));
        }
    }
    let kind = match kind_of_media(ct.as_ref()) {
        Ok(k) => k,
        Err(why) => return skip(why),
    };
    let hinted = ct
        .as_ref()
        .and_then(|c| c.charset.as_deref())
        .and_then(|label| decode_with_http_charset(&body, label));
    let bytes = body.len() as u64;
    let cleaned = match hinted {
        Some((text, enc)) => {
            let kind = kind.unwrap_or_else(|| crate::input::sniff_kind(&body));
            let mut doc = RawDoc::from_text(
                path.as_str(),
                text,
                Some(kind),
                CallerCharset {
                    encoding: enc,
                    source: CharsetSource::HttpHeader,
                },
            );
            doc.truncated = rec.truncated;
            clean_document(&doc, cfg, learned)
        }
        None => {
            let mut doc = RawDoc::from_bytes(path.as_str(), body, kind);
            doc.truncated = rec.truncated;
            clean_owned_document(doc, cfg, learned)
        }
    };
    let mut out = warc_fields(rec, url, ct.as_ref());
    if cleaned.record.status == "ok" {
        out.push((
            opts.field.clone(),
            serde_json::value::to_raw_value(&cleaned.text).expect("strings serialise"),
        ));
    }
    out.push((CHAFF_KEY.into(), chaff_object(&cleaned.record, None)));
    Done {
        line: Some(JsonRecord::from_entries(out).to_line()),
        record: cleaned.record,
        bytes,
        input_error: None,
    }
}

/// A WARC record that could not be cleaned: its identifying fields and the error.
fn with_error(input: &str, rec: &WarcRecord, path: &str, error: String) -> Done {
    let url = rec
        .header("WARC-Target-URI")
        .map(|u| u.trim_matches(['<', '>']));
    let record = Record::failed(path, &format!("{input}: {error}"));
    let mut out = warc_fields(rec, url, None);
    out.push((CHAFF_KEY.into(), chaff_object(&record, None)));
    Done {
        line: Some(JsonRecord::from_entries(out).to_line()),
        record,
        bytes: 0,
        input_error: None,
    }
}

/// `url`, `warc_record_id`, `warc_date` and `content_type`, when known.
fn warc_fields(
    rec: &WarcRecord,
    url: Option<&str>,
    ct: Option<&ContentType>,
) -> Vec<(String, Box<RawValue>)> {
    let raw = |s: &str| serde_json::value::to_raw_value(s).expect("strings serialise");
    let mut out = Vec::new();
    if let Some(u) = url {
        out.push(("url".to_string(), raw(u)));
    }
    if let Some(id) = rec.header("WARC-Record-ID") {
        out.push(("warc_record_id".to_string(), raw(id)));
    }
    if let Some(d) = rec.header("WARC-Date") {
        out.push(("warc_date".to_string(), raw(d)));
    }
    if let Some(c) = ct {
        out.push(("content_type".to_string(), raw(&c.media_type)));
    }
    out
}
