//! WARC files (ISO 28500, versions 0.18 to 1.1): read records one at a time, with each record's
//! block bounded by the document size limit.
//!
//! A record is a version line (`WARC/1.0`), named header fields, a blank line, then a block of
//! `Content-Length` bytes and two line ends. Gzip-compressed files (one member per record, or one
//! for the whole file) are decompressed before they get here.

use std::io::{BufRead, Read};

/// Longest header section accepted for one record.
const MAX_HEADER_BYTES: usize = 256 * 1024;

/// One WARC record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    /// 1-based position of the record in the file.
    pub number: usize,
    /// Header fields in order (names as written).
    pub headers: Vec<(String, String)>,
    /// The block (possibly cut at the size limit).
    pub block: Vec<u8>,
    /// True when the block was longer than the limit and was cut.
    pub truncated: bool,
}

impl WarcRecord {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a WARC file cannot be read further.
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    /// Reading failed.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The bytes are not a WARC record where one should start.
    #[error("record {record}: {message}")]
    Format {
        /// 1-based number of the record being read.
        record: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads WARC records from a buffered reader.
#[derive(Debug)]
pub struct WarcReader<R> {
    inner: R,
    limit: usize,
    count: usize,
}

impl<R: BufRead> WarcReader<R> {
    /// Reads records from `inner`, keeping at most `limit` bytes of each block.
    pub fn new(inner: R, limit: usize) -> Self {
        WarcReader {
            inner,
            limit,
            count: 0,
        }
    }

    fn format_error(&self, message: impl Into<String>) -> WarcError {
        WarcError::Format {
            record: self.count,
            message: message.into(),
        }
    }

    /// Reads one header line (without its line end); `None` at the end of the input.
    fn header_line(&mut self, budget: &mut usize) -> Result<Option<String>, WarcError> {
        let mut line = Vec::new();
        let n = (&mut self.inner)
            .take(*budget as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        if n > *budget {
            return Err(self.format_error("header section too long"));
        }
        *budget -= n;
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        Ok(Some(String::from_utf8_lossy(&line).into_owned()))
    }

    /// The next record, or `None` at the end of the input.
    pub fn next_record(&mut self) -> Result<Option<WarcRecord>, WarcError> {
        let mut budget = MAX_HEADER_BYTES;
        // Skip the line ends that close the previous record (and any stray blank lines).
        let version = loop {
            match self.header_line(&mut budget)? {
                None => return Ok(None),
                Some(l) if l.trim().is_empty() => continue,
                Some(l) => break l,
            }
        };
        self.count += 1;
        if !version.starts_with("WARC/") {
            let shown: String = version.chars().take(40).collect();
            return Err(self.format_error(format!("expected a WARC version line, found '{shown}'")));
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            let Some(line) = self.header_line(&mut budget)? else {
                return Err(self.format_error("file ends inside the record headers"));
            };
            if line.is_empty() {
                break;
            }
            if line.starts_with([' ', '\t']) {
                // A continuation of the previous field's value.
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(line.trim());
                }
                continue;
            }
            let Some((name, value)) = line.split_once(':') else {
                return Err(self.format_error(format!("header line without ':': '{line}'")));
            };
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
        let length: u64 = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
            .and_then(|(_, v)| v.parse().ok())
            .ok_or_else(|| self.format_error("no valid Content-Length"))?;
        let keep = length.min(self.limit as u64);
        let mut block = Vec::with_capacity(keep.min(1 << 20) as usize);
        (&mut self.inner).take(keep).read_to_end(&mut block)?;
        let skipped = std::io::copy(
            &mut (&mut self.inner).take(length - keep),
            &mut std::io::sink(),
        )?;
        if (block.len() as u64) + skipped < length {
            return Err(self.format_error(format!(
                "file ends inside the block ({} of {length} bytes)",
                block.len() as u64 + skipped
            )));
        }
        Ok(Some(WarcRecord {
            number: self.count,
            headers,
            block,
            truncated: keep < length,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, block: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}>\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        )
    }

    #[test]
    fn reads_records_in_order() {
        let file = record("warcinfo", "software: test\r\n")
            + &record("response", "HTTP/1.1 200 OK\r\n\r\nbody");
        let mut r = WarcReader::new(file.as_bytes(), 1000);
        let a = r.next_record().unwrap().unwrap();
        assert_eq!(a.header("warc-type"), Some("warcinfo"));
        assert_eq!(a.block, b"software: test\r\n");
        let b = r.next_record().unwrap().unwrap();
        assert_eq!((b.number, b.truncated), (2, false));
        assert_eq!(b.header("WARC-Record-ID"), Some("<urn:uuid:response>"));
        assert!(b.block.ends_with(b"body"));
        assert!(r.next_record().unwrap().is_none());
    }

    #[test]
    fn long_blocks_are_cut_and_skipped() {
        let file = record("resource", &"x".repeat(50)) + &record("metadata", "m");
        let mut r = WarcReader::new(file.as_bytes(), 10);
        let a = r.next_record().unwrap().unwrap();
        assert_eq!((a.block.len(), a.truncated), (10, true));
        assert_eq!(r.next_record().unwrap().unwrap().block, b"m");
    }

    #[test]
    fn broken_files_are_errors() {
        let mut r = WarcReader::new(&b"<html>not a warc"[..], 100);
        assert!(matches!(
            r.next_record(),
            Err(WarcError::Format { record: 1, .. })
        ));
        let cut = record("response", "0123456789");
        let mut r = WarcReader::new(&cut.as_bytes()[..cut.len() - 8], 100);
        let err = r.next_record().unwrap_err().to_string();
        assert!(err.contains("file ends inside the block"), "{err}");
        let mut r = WarcReader::new(&b"WARC/1.0\r\nWARC-Type: x\r\n\r\nabc"[..], 100);
        assert!(r
            .next_record()
            .unwrap_err()
            .to_string()
            .contains("Content-Length"));
    }
}
