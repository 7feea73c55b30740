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
    /// The report reason for this fix, e.g. "fixed 12 mojibake sequences (UTF-8 read as windows-1252)".
    pub fn describe(&self) -> String {
        let n = self.count;
        let s = if n == 1 { "" } else { "s" };
        let what = match self.name {
            "entities" => format!("decoded {n} HTML entit{}", if n == 1 { "y" } else { "ies" }),
            "control-chars" => format!("removed {n} control character{s}"),
            "c1-controls" => format!("mapped {n} C1 control character{s} to windows-1252"),
            "line-ends" => format!("normalised {n} line end{s}"),
            "nfc" => format!("normalised {n} character{s} to NFC"),
            "mojibake" => format!("fixed {n} mojibake sequence{s}"),
            "lost-punctuation" => format!("restored {n} punctuation mark{s} lost as '?'"),
            other => format!("{other}: {n}"),
        };
        match &self.detail {
            Some(d) => format!("{what} ({d})"),
            None => what,
        }
    }
}

/// A fixer: returns the fixed text and what it did, or `None` when nothing changed.
pub type Fixer = fn(&str) -> Option<(String, Vec<Fix>)>;

/// The fixers in the order [`super::repair`] runs them: entities can hide mojibake (`&#195;&#169;`),
/// and C1 controls are part of Latin-1 mojibake, so they come before and after it respectively.
/// (Line ends are normalised before, on the whole text, by [`super::repair`].)
pub const FIXERS: &[Fixer] = &[
    |t| one(fix_entities(t)),
    fix_mojibake,
    |t| one(fix_c1_controls(t)),
    |t| one(fix_control_chars(t)),
    |t| one(fix_lost_punctuation(t)),
    |t| one(fix_nfc(t)),
];

fn one(r: Option<(String, Fix)>) -> Option<(String, Vec<Fix>)> {
    r.map(|(t, f)| (t, vec![f]))
}

/// UTF-8 read as a legacy charset (once or repeatedly), repaired word by word; see [`super::mojibake`].
pub fn fix_mojibake(text: &str) -> Option<(String, Vec<Fix>)> {
    let (fixed, counts) = super::mojibake::fix(text)?;
    let fixes = counts
        .into_iter()
        .map(|(codec, count)| Fix {
            name: "mojibake",
            count,
            detail: Some(format!("UTF-8 read as {codec}")),
        })
        .collect();
    Some((fixed, fixes))
}

/// Text that went through a conversion to ASCII with `?` for every character it could not
/// represent: `?` glued between a letter and an English clitic was an apostrophe (`Let?s`,
/// `we?ve`), and ` ? ` between two words was a dash. Only pure-ASCII text is considered, since
/// that is what such a conversion leaves (and French typography puts a space before `?`).
pub fn fix_lost_punctuation(text: &str) -> Option<(String, Fix)> {
    if !text.is_ascii() || !text.contains('?') {
        return None;
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    let mut count = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'?' {
            let prev = i.checked_sub(1).map(|k| b[k]);
            let next = b.get(i + 1).copied();
            let tail = &b[i + 1..];
            let clitic = [&b"s"[..], b"t", b"ve", b"re", b"ll", b"d", b"m"]
                .iter()
                .any(|w| {
                    tail.starts_with(w)
                        && tail.get(w.len()).is_none_or(|c| !c.is_ascii_alphanumeric())
                });
            if prev.is_some_and(|p| p.is_ascii_alphanumeric()) && clitic {
                out.push('’');
                count += 1;
                continue;
            }
            let before_word = i >= 2 && b[i - 2].is_ascii_alphanumeric();
            let after_word = b.get(i + 2).is_some_and(|c| c.is_ascii_alphanumeric());
            if prev == Some(b' ') && next == Some(b' ') && before_word && after_word {
                out.push('–');
                count += 1;
                continue;
            }
        }
        out.push(c as char);
    }
    (count > 0).then_some((
        out,
        Fix {
            name: "lost-punctuation",
            count,
            detail: None,
        },
    ))
}

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

/// C1 controls (U+0080..U+009F) in text are legacy bytes read as Latin-1: map them back, as
/// windows-1252 (`\u{93}quoted\u{94}`) or, when every one of them sits inside a word and Mac Roman
/// makes letters of them where windows-1252 makes debris (`Coatl\u{87}n conf\u{92}an`), as Mac
/// Roman.
pub fn fix_c1_controls(text: &str) -> Option<(String, Fix)> {
    let is_c1 = |c: char| ('\u{80}'..='\u{9f}').contains(&c);
    let via = |enc: &'static encoding_rs::Encoding, c: char| -> Option<char> {
        if !is_c1(c) {
            return None;
        }
        let byte = [c as u32 as u8];
        let (m, _, _) = enc.decode(&byte);
        // Bytes undefined in the charset (0x81, 0x8D, 0x8F, 0x90, 0x9D in windows-1252) stay.
        m.chars().next().filter(|&m| m != c)
    };
    let count = text
        .chars()
        .filter(|&c| via(encoding_rs::WINDOWS_1252, c).is_some())
        .count();
    if count == 0 {
        return None;
    }
    let win: String = text
        .chars()
        .map(|c| via(encoding_rs::WINDOWS_1252, c).unwrap_or(c))
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let inside_words = chars.iter().enumerate().all(|(i, &c)| {
        !is_c1(c)
            || (i > 0
                && chars[i - 1].is_alphabetic()
                && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())
                && via(encoding_rs::MACINTOSH, c).is_some_and(char::is_lowercase))
    });
    let fixed = if inside_words {
        let mac: String = text
            .chars()
            .map(|c| via(encoding_rs::MACINTOSH, c).unwrap_or(c))
            .collect();
        let bad = |s: &str| super::badness::badness(&s.chars().collect::<Vec<_>>());
        if bad(&mac) < bad(&win) {
            mac
        } else {
            win
        }
    } else {
        win
    };
    Some((
        fixed,
        Fix {
            name: "c1-controls",
            count,
            detail: None,
        },
    ))
}

/// C0 controls other than tab and newline, DEL, C1 controls, and stray zero-width/BOM characters
/// are removed. SUB (U+001A) is kept: it is used on purpose as a "character could not be
/// converted" marker. The C1 controls that reach this fixer are the ones [`fix_c1_controls`] (run
/// before it) could not map: bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D, which windows-1252 leaves
/// undefined, so they cannot be mojibake of a windows-1252 character, and no text uses them
/// (ftfy's sloppy decoding keeps them; we drop them like the C0 controls).
pub fn fix_control_chars(text: &str) -> Option<(String, Fix)> {
    let bad = |c: char| {
        (c < ' ' && c != '\n' && c != '\t' && c != '\u{1A}')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || c == '\u{FEFF}'
            || c == '\u{200B}'
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
    // Below U+0300 (UTF-8 lead bytes under 0xCC) every character is NFC as it stands.
    if !text.bytes().any(|b| b >= 0xCC) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
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
