//! `chaff decode` and `chaff fix`: the decode and repair stages on their own.
//!
//! * `decode FILE...` prints each file's text as UTF-8 (charset detected as in `clean`, nothing
//!   else changed); `--label` prints only the WHATWG name of the charset.
//! * `fix [FILE|-]` repairs text (mojibake, entities, control characters) and prints it.
//! * `fix --jsonl [--field text] [--to FIELD]` repairs one string field of every JSON record read
//!   from the input and writes each record on one line, other fields untouched. A line that is not
//!   a JSON object, or whose field is missing or not a string, is written back unchanged and counted
//!   in a warning on stderr (so line N of the output is always record N of the input).

use crate::decode;
use crate::input::{self, DocKind, ExtensionVerdict};
use crate::repair;
use std::io::{BufRead, Write};
use std::path::Path;
use std::time::Instant;

/// What `fix --jsonl` did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct JsonlStats {
    /// Records read.
    pub records: usize,
    /// Records whose field changed.
    pub changed: usize,
    /// Lines passed through unchanged because they were not usable records.
    pub bad_lines: usize,
    /// Bytes of text repaired (the field's UTF-8 length).
    pub bytes: usize,
    /// Seconds spent repairing (not reading or writing).
    pub seconds: f64,
}

/// The document kind for `path`: its extension when that decides, else sniffed from the bytes.
pub fn kind_for(path: &Path, bytes: &[u8]) -> DocKind {
    match path.file_name().map(input::kind_from_extension) {
        Some(ExtensionVerdict::Known(k)) => k,
        _ => input::sniff_kind(bytes),
    }
}

/// Decodes one file's bytes as `chaff decode` does.
pub fn decode_file(path: &Path, bytes: &[u8]) -> decode::Decoded {
    decode::decode(bytes, kind_for(path, bytes))
}

/// `fix --jsonl`: repairs `field` of every record and writes it to `to_field` (the same field by default).
pub fn fix_jsonl(
    reader: impl BufRead,
    mut out: impl Write,
    field: &str,
    to_field: Option<&str>,
) -> std::io::Result<JsonlStats> {
    let mut stats = JsonlStats::default();
    for line in reader.split(b'\n') {
        let line = line?;
        let line = line.strip_suffix(b"\r").unwrap_or(&line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        stats.records += 1;
        let mut value: serde_json::Value = match serde_json::from_slice(line) {
            Ok(v @ serde_json::Value::Object(_)) => v,
            _ => {
                stats.bad_lines += 1;
                out.write_all(line)?;
                out.write_all(b"\n")?;
                continue;
            }
        };
        let Some(text) = value.get(field).and_then(|v| v.as_str()) else {
            stats.bad_lines += 1;
            out.write_all(line)?;
            out.write_all(b"\n")?;
            continue;
        };
        let t0 = Instant::now();
        let repaired = repair::repair(text);
        stats.seconds += t0.elapsed().as_secs_f64();
        stats.bytes += text.len();
        if repaired.text != text {
            stats.changed += 1;
        }
        let target = to_field.unwrap_or(field).to_string();
        value[target] = serde_json::Value::String(repaired.text);
        serde_json::to_writer(&mut out, &value)?;
        out.write_all(b"\n")?;
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_repairs_one_field_and_keeps_the_rest() {
        let input = "{\"id\":1,\"text\":\"cafÃ©\",\"n\":[1,2]}\nnot json\n{\"id\":2}\n";
        let mut out = Vec::new();
        let stats = fix_jsonl(input.as_bytes(), &mut out, "text", None).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(first["text"], "café");
        assert_eq!(first["n"], serde_json::json!([1, 2]));
        assert_eq!(lines[1], "not json");
        assert_eq!(lines[2], "{\"id\":2}");
        assert_eq!(stats.bad_lines, 2);
        assert_eq!(stats.changed, 1);
    }
}
