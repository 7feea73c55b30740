//! JSON Lines: read lines with a size bound, and parse each line into its fields, in order, with
//! every value kept verbatim (as raw JSON text), so a record can be written back with one field
//! replaced and one added, and nothing else changed.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::io::BufRead;

/// One line of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A line (without its `\n` or `\r\n`), numbered from 1.
    Text {
        /// Line number.
        no: usize,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// A line longer than the limit; its bytes were skipped.
    TooLong {
        /// Line number.
        no: usize,
        /// Its length in bytes.
        len: usize,
    },
}

/// Reads lines of at most `limit` bytes; longer lines are skipped without being held in memory.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    limit: usize,
    line_no: usize,
}

impl<R: BufRead> LineReader<R> {
    /// Reads lines from `inner`, holding at most `limit` bytes of one line.
    pub fn new(inner: R, limit: usize) -> Self {
        LineReader {
            inner,
            limit,
            line_no: 0,
        }
    }

    /// The next line, or `None` at the end of the input.
    pub fn next_line(&mut self) -> std::io::Result<Option<Line>> {
        let mut bytes = Vec::new();
        let mut len = 0usize;
        let mut any = false;
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            any = true;
            let newline = buf.iter().position(|&b| b == b'\n');
            let part = &buf[..newline.unwrap_or(buf.len())];
            if len + part.len() <= self.limit {
                bytes.extend_from_slice(part);
            } else {
                bytes = Vec::new();
            }
            len += part.len();
            let consumed = newline.map_or(part.len(), |i| i + 1);
            self.inner.consume(consumed);
            if newline.is_some() {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.line_no += 1;
        let no = self.line_no;
        if len > self.limit {
            return Ok(Some(Line::TooLong { no, len }));
        }
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        if no == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        Ok(Some(Line::Text { no, bytes }))
    }
}

/// Why a line is not a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// Not JSON at all (or not UTF-8).
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// JSON, but not an object (the string names what it is).
    #[error("not a JSON object but {0}")]
    NotAnObject(&'static str),
}

/// Why a field cannot be cleaned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// The record has no such field.
    #[error("no field '{0}'")]
    Missing(String),
    /// The field is not a string (the second part names what it is).
    #[error("field '{0}' is {1}, not a string")]
    NotAString(String, &'static str),
}

/// What a JSON text is, by its first character: "an object", "an array", "a string", ...
pub fn json_type(raw: &str) -> &'static str {
    match raw.trim_start().as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// A JSON object whose values are kept as the raw JSON text they were written as.
#[derive(Debug)]
pub struct JsonRecord {
    entries: Vec<(String, Box<RawValue>)>,
}

struct Entries(Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(V)
    }
}

impl JsonRecord {
    /// Parses one line holding a JSON object.
    pub fn parse(bytes: &[u8]) -> Result<Self, RecordError> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            RecordError::InvalidJson(format!(
                "not UTF-8 (invalid byte at column {})",
                e.valid_up_to() + 1
            ))
        })?;
        let raw: &RawValue =
            serde_json::from_str(text).map_err(|e| RecordError::InvalidJson(e.to_string()))?;
        if !raw.get().starts_with('{') {
            return Err(RecordError::NotAnObject(json_type(raw.get())));
        }
        let Entries(entries) =
            serde_json::from_str(raw.get()).map_err(|e| RecordError::InvalidJson(e.to_string()))?;
        Ok(JsonRecord { entries })
    }

    /// A record made of these fields, in this order.
    pub fn from_entries(entries: Vec<(String, Box<RawValue>)>) -> Self {
        JsonRecord { entries }
    }

    /// The raw JSON of field `key` (the first one, if the key is repeated).
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| &**v)
    }

    /// The string value of field `key`.
    pub fn string_field(&self, key: &str) -> Result<String, FieldError> {
        let raw = self
            .get(key)
            .ok_or_else(|| FieldError::Missing(key.to_string()))?;
        serde_json::from_str::<String>(raw.get())
            .map_err(|_| FieldError::NotAString(key.to_string(), json_type(raw.get())))
    }

    /// Sets field `key`: in place when it exists (further copies of a repeated key are dropped),
    /// at the end otherwise.
    pub fn set(&mut self, key: &str, value: Box<RawValue>) {
        let mut value = Some(value);
        self.entries.retain_mut(|(k, v)| {
            if k != key {
                return true;
            }
            match value.take() {
                Some(new) => {
                    *v = new;
                    true
                }
                None => false,
            }
        });
        if let Some(v) = value {
            self.entries.push((key.to_string(), v));
        }
    }

    /// The record as one line of JSON (no newline): keys in their order, values as they were.
    pub fn to_line(&self) -> String {
        let mut out = String::with_capacity(
            self.entries
                .iter()
                .map(|(k, v)| k.len() + v.get().len() + 4)
                .sum::<usize>()
                + 2,
        );
        out.push('{');
        for (i, (k, v)) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(k).expect("strings serialise"));
            out.push(':');
            out.push_str(v.get());
        }
        out.push('}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &str, limit: usize) -> Vec<Line> {
        let mut r = LineReader::new(input.as_bytes(), limit);
        std::iter::from_fn(|| r.next_line().unwrap()).collect()
    }

    #[test]
    fn lines_are_numbered_bounded_and_stripped() {
        let got = lines("\u{FEFF}{\"a\":1}\r\n\n0123456789ABC\nlast", 12);
        assert_eq!(
            got,
            [
                Line::Text {
                    no: 1,
                    bytes: b"{\"a\":1}".to_vec()
                },
                Line::Text {
                    no: 2,
                    bytes: vec![]
                },
                Line::TooLong { no: 3, len: 13 },
                Line::Text {
                    no: 4,
                    bytes: b"last".to_vec()
                },
            ]
        );
        assert!(lines("", 10).is_empty());
        // A small BufReader buffer splits lines across reads.
        let mut r = LineReader::new(
            std::io::BufReader::with_capacity(3, "abcdefgh\nij\n".as_bytes()),
            100,
        );
        assert_eq!(
            r.next_line().unwrap(),
            Some(Line::Text {
                no: 1,
                bytes: b"abcdefgh".to_vec()
            })
        );
        assert_eq!(
            r.next_line().unwrap(),
            Some(Line::Text {
                no: 2,
                bytes: b"ij".to_vec()
            })
        );
        assert_eq!(r.next_line().unwrap(), None);
    }

    #[test]
    fn records_keep_order_and_raw_values() {
        let line = br#"{"id": 7, "big": 123456789012345678901234567890, "f": 1.50, "text": "caf\u00e9", "tags": ["a", "b"]}"#;
        let mut rec = JsonRecord::parse(line).unwrap();
        assert_eq!(rec.string_field("text").unwrap(), "café");
        rec.set("text", serde_json::value::to_raw_value("cleaned").unwrap());
        rec.set(
            "chaff",
            RawValue::from_string("{\"score\":1.0}".into()).unwrap(),
        );
        assert_eq!(
            rec.to_line(),
            r#"{"id":7,"big":123456789012345678901234567890,"f":1.50,"text":"cleaned","tags":["a", "b"],"chaff":{"score":1.0}}"#
        );
    }

    #[test]
    fn bad_lines_and_fields_say_what_they_are() {
        assert!(matches!(
            JsonRecord::parse(b"{\"text\": \"unterminated}"),
            Err(RecordError::InvalidJson(_))
        ));
        assert!(matches!(
            JsonRecord::parse(b"\xff{}"),
            Err(RecordError::InvalidJson(m)) if m.contains("not UTF-8")
        ));
        assert_eq!(
            JsonRecord::parse(b"[1, 2]").unwrap_err(),
            RecordError::NotAnObject("an array")
        );
        let rec = JsonRecord::parse(br#"{"text": null, "n": 3, "o": {"x": "y"}}"#).unwrap();
        assert_eq!(
            rec.string_field("body").unwrap_err().to_string(),
            "no field 'body'"
        );
        assert_eq!(
            rec.string_field("text").unwrap_err().to_string(),
            "field 'text' is null, not a string"
        );
        assert_eq!(
            rec.string_field("o").unwrap_err(),
            FieldError::NotAString("o".into(), "an object")
        );
    }

    #[test]
    fn repeated_keys_collapse_into_the_first() {
        let mut rec = JsonRecord::parse(br#"{"chaff": 1, "a": 2, "chaff": 3}"#).unwrap();
        rec.set("chaff", RawValue::from_string("4".into()).unwrap());
        assert_eq!(rec.to_line(), r#"{"chaff":4,"a":2}"#);
    }
}
