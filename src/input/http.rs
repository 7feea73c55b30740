//! HTTP responses as WARC `response` records store them: split the status line and headers from
//! the body, undo chunked transfer coding and gzip/deflate content coding, and read the media type
//! and charset from `Content-Type`.

use std::io::Read;

/// A parsed HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code (200, 404, ...).
    pub status: u16,
    /// Header fields in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked and decompressed.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A `Content-Type` value: the media type (lower-cased) and the charset parameter, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    /// e.g. `text/html`.
    pub media_type: String,
    /// e.g. `windows-1251`, as written.
    pub charset: Option<String>,
}

/// Parses a `Content-Type` value.
pub fn content_type(value: &str) -> ContentType {
    let mut parts = value.split(';');
    let media_type = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|c| !c.is_empty())
    });
    ContentType {
        media_type,
        charset,
    }
}

/// Parses the HTTP response in a WARC `response` block; bodies are decompressed to at most
/// `limit` bytes.
pub fn parse_response(block: &[u8], limit: usize) -> Result<HttpResponse, String> {
    let (head, body) = split_head(block).ok_or("no end of the HTTP headers")?;
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    if !status_line.starts_with("HTTP/") {
        let shown: String = status_line.chars().take(40).collect();
        return Err(format!("not an HTTP status line: '{shown}'"));
    }
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status code in '{status_line}'"))?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let mut resp = HttpResponse {
        status,
        headers,
        body: Vec::new(),
    };
    let chunked = resp
        .header("Transfer-Encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let mut body = if chunked {
        dechunk(body)
    } else {
        body.to_vec()
    };
    if let Some(coding) = resp.header("Content-Encoding") {
        body = decode_content(coding, body, limit)?;
    }
    body.truncate(limit);
    resp.body = body;
    Ok(resp)
}

/// Splits at the first blank line (`\r\n\r\n`, or `\n\n` from sloppy servers).
fn split_head(block: &[u8]) -> Option<(&[u8], &[u8])> {
    let crlf = find(block, b"\r\n\r\n").map(|i| (i, i + 4));
    let lf = find(block, b"\n\n").map(|i| (i, i + 2));
    let (end, body) = match (crlf, lf) {
        (Some(a), Some(b)) => {
            if a.0 <= b.0 {
                a
            } else {
                b
            }
        }
        (a, b) => a.or(b)?,
    };
    Some((&block[..end], &block[body..]))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Undoes chunked transfer coding; a body that is not validly chunked (crawlers often store it
/// de-chunked but keep the header) is returned as it is.
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let Some(eol) = find(rest, b"\r\n") else {
            return body.to_vec();
        };
        let size_text = String::from_utf8_lossy(&rest[..eol]);
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            return body.to_vec();
        };
        rest = &rest[eol + 2..];
        if size == 0 {
            return out;
        }
        if rest.len() < size {
            // Cut short (the record was truncated): keep what there is.
            out.extend_from_slice(rest);
            return out;
        }
        out.extend_from_slice(&rest[..size]);
        rest = rest.get(size + 2..).unwrap_or(&[]);
    }
}

/// Undoes `gzip` / `deflate` content coding (bounded); bodies the crawler already decoded, and
/// `identity`, pass through.
fn decode_content(coding: &str, body: Vec<u8>, limit: usize) -> Result<Vec<u8>, String> {
    let coding = coding.trim().to_ascii_lowercase();
    let read = |r: &mut dyn Read| -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        r.take(limit as u64)
            .read_to_end(&mut out)
            .map_err(|e| format!("cannot decompress the {coding} body: {e}"))?;
        Ok(out)
    };
    match coding.as_str() {
        "gzip" | "x-gzip" if body.starts_with(&[0x1f, 0x8b]) => {
            read(&mut flate2::read::MultiGzDecoder::new(&body[..]))
        }
        "deflate" if body.first().is_some_and(|b| b & 0x0f == 8) => {
            read(&mut flate2::read::ZlibDecoder::new(&body[..]))
        }
        "" | "identity" | "gzip" | "x-gzip" | "deflate" => Ok(body),
        other => Err(format!("content encoding '{other}' is not supported")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn splits_headers_from_the_body() {
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html;\r\n charset=UTF-8\r\nServer: x\r\n\r\n<p>body</p>\r\n\r\n",
            100,
        )
        .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("text/html; charset=UTF-8"));
        assert_eq!(r.body, b"<p>body</p>\r\n\r\n");
        assert_eq!(
            content_type(r.header("Content-Type").unwrap()),
            ContentType {
                media_type: "text/html".into(),
                charset: Some("UTF-8".into())
            }
        );
        assert!(parse_response(b"GET / HTTP/1.1\r\n\r\n", 100).is_err());
    }

    #[test]
    fn undoes_chunking_and_compression() {
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n",
            100,
        )
        .unwrap();
        assert_eq!(r.body, b"hello world");
        // Stored de-chunked although the header says chunked.
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<html>",
            100,
        )
        .unwrap();
        assert_eq!(r.body, b"<html>");

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<html>zipped</html>").unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(gz.finish().unwrap());
        assert_eq!(
            parse_response(&block, 100).unwrap().body,
            b"<html>zipped</html>"
        );
        assert_eq!(parse_response(&block, 6).unwrap().body, b"<html>");
        let err =
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx", 100).unwrap_err();
        assert!(err.contains("'br' is not supported"), "{err}");
    }

    #[test]
    fn charset_parameters() {
        assert_eq!(
            content_type("Text/HTML; Charset=\"windows-1251\"").charset,
            Some("windows-1251".into())
        );
        assert_eq!(content_type("text/plain").charset, None);
    }
}
