//! The named fixers. Each takes text and returns `Some((fixed, Fix))` only when it changed something.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// One kind of repair applied to a document, with how many places it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Stable identifier (`entities`, `control-chars`, `line-ends`, `nfc`, `mojibake`...).
    pub name: &'static str,
    /// How many sequences were changed.
    pub count: usize,
    /// Extra detail for the report (e.g. which mis-decoding was undone).
    pub detail: Option<String>,
}

impl Fix {
    /// The report reason for this fix.
    pub fn describe(&self) -> String {
        let what = match self.name {
            "entities" => "HTML entities decoded",
            "control-chars" => "control characters removed",
            "c1-controls" => "C1 control characters mapped to windows-1252",
            "line-ends" => "line ends normalised",
            "nfc" => "characters normalised to NFC",
            "mojibake" => "mojibake sequences fixed",
            other => other,
        };
        match &self.detail {
            Some(d) => format!("{} {what} ({d})", self.count),
            None => format!("{} {what}", self.count),
        }
    }
}

/// A fixer: returns the fixed text and what it did, or `None` when nothing changed.
pub type Fixer = fn(&str) -> Option<(String, Fix)>;

/// The fixers in the order [`super::repair`] runs them.
pub const FIXERS: &[Fixer] = &[
    fix_line_ends,
    fix_c1_controls,
    fix_control_chars,
    fix_entities,
    fix_nfc,
];

/// `\r\n` and lone `\r` become `\n`.
pub fn fix_line_ends(text: &str) -> Option<(String, Fix)> {
    if !text.contains('\r') {
        return None;
    }
    let count = text.matches('\r').count();
    let fixed = text.replace("\r\n", "\n").replace('\r', "\n");
    Some((
        fixed,
        Fix {
            name: "line-ends",
            count,
            detail: None,
        },
    ))
}

/// C1 controls (U+0080..U+009F) in text are windows-1252 bytes read as Latin-1: map them back.
pub fn fix_c1_controls(text: &str) -> Option<(String, Fix)> {
    if !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return None;
    }
    let mut count = 0;
    let fixed: String = text
        .chars()
        .filter_map(|c| {
            if ('\u{80}'..='\u{9f}').contains(&c) {
                count += 1;
                let byte = [c as u32 as u8];
                let (mapped, _, _) = encoding_rs::WINDOWS_1252.decode(&byte);
                let m = mapped.chars().next().unwrap_or('\u{FFFD}');
                // Bytes undefined in windows-1252 stay undefined: drop them.
                if ('\u{80}'..='\u{9f}').contains(&m) {
                    None
                } else {
                    Some(m)
                }
            } else {
                Some(c)
            }
        })
        .collect();
    Some((
        fixed,
        Fix {
            name: "c1-controls",
            count,
            detail: None,
        },
    ))
}

/// C0 controls other than tab and newline, DEL, and stray zero-width/BOM characters are removed.
pub fn fix_control_chars(text: &str) -> Option<(String, Fix)> {
    let bad = |c: char| {
        (c < ' ' && c != '\n' && c != '\t') || c == '\u{7f}' || c == '\u{FEFF}' || c == '\u{200B}'
    };
    if !text.chars().any(bad) {
        return None;
    }
    let count = text.chars().filter(|c| bad(*c)).count();
    let fixed: String = text.chars().filter(|c| !bad(*c)).collect();
    Some((
        fixed,
        Fix {
            name: "control-chars",
            count,
            detail: None,
        },
    ))
}

/// Decodes HTML entities left in plain text (`&amp;amp;`, `&#8217;`, `&nbsp;`), including double escapes.
pub fn fix_entities(text: &str) -> Option<(String, Fix)> {
    if !text.contains('&') {
        return None;
    }
    let mut count = 0;
    let mut current = text.to_string();
    // Double and triple escapes (`&amp;amp;`) unwrap one level per round.
    for _ in 0..3 {
        let (next, n) = decode_entities_once(&current);
        if n == 0 {
            break;
        }
        count += n;
        current = next;
    }
    (count > 0).then_some({
        (
            current,
            Fix {
                name: "entities",
                count,
                detail: None,
            },
        )
    })
}

/// One pass of entity decoding: only complete, known entities ending in `;` are touched.
fn decode_entities_once(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let candidate_end = tail
            .char_indices()
            .skip(1)
            .take(40)
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '#'));
        if let Some((end, ';')) = candidate_end {
            let entity = &tail[..=end];
            if end > 1 {
                let decoded = htmlize::unescape(entity);
                if decoded != entity {
                    out.push_str(&decoded);
                    count += 1;
                    rest = &tail[end + 1..];
                    continue;
                }
            }
        }
        out.push('&');
        rest = &tail[1..];
    }
    out.push_str(rest);
    (out, count)
}

/// Canonical composition (NFC), so that "é" is one character whatever the source did.
pub fn fix_nfc(text: &str) -> Option<(String, Fix)> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return None;
    }
    let fixed: String = text.nfc().collect();
    if fixed == text {
        return None;
    }
    let count = text.chars().count().abs_diff(fixed.chars().count()).max(1);
    Some((
        fixed,
        Fix {
            name: "nfc",
            count,
            detail: None,
        },
    ))
}
