//! Language identification with whatlang, with a reliability cut-off and a mixed-language check.

/// The language found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageGuess {
    /// ISO 639-3 code ("eng", "rus", ...).
    pub code: &'static str,
    /// whatlang's confidence, 0..1.
    pub confidence: f64,
    /// Share of the text's paragraphs whose own language differs from the main one (by length).
    pub foreign_share: f64,
}

/// Guesses the main language of `text`; `None` when the text is too short or whatlang is unsure.
pub fn detect(text: &str) -> Option<LanguageGuess> {
    // whatlang's cost grows with the text; a sample of the first 20 kB is plenty.
    let sample = prefix_at_char_boundary(text, 20_000);
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    let code = info.lang().code();
    let foreign_share = foreign_share(text, info.lang());
    Some(LanguageGuess {
        code,
        confidence: info.confidence(),
        foreign_share,
    })
}

/// Share (by characters) of long paragraphs reliably detected as another language.
fn foreign_share(text: &str, main: whatlang::Lang) -> f64 {
    let mut total = 0usize;
    let mut foreign = 0usize;
    for para in text.split("\n\n").take(200) {
        let n = para.chars().count();
        if n < 200 {
            continue;
        }
        total += n;
        if let Some(info) = whatlang::detect(prefix_at_char_boundary(para, 2000)) {
            if info.is_reliable() && info.lang() != main && info.script() != whatlang::Script::Latin
                || (info.is_reliable() && info.lang() != main && info.confidence() > 0.9)
            {
                foreign += n;
            }
        }
    }
    if total == 0 {
        0.0
    } else {
        foreign as f64 / total as f64
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
pub fn prefix_at_char_boundary(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_russian() {
        let en = detect("The United States threatened on Wednesday to halt its diplomacy with Russia on Syria, officials said.").unwrap();
        assert_eq!(en.code, "eng");
        let ru = detect(
            "Москва является столицей России и крупнейшим по численности населения городом страны.",
        )
        .unwrap();
        assert_eq!(ru.code, "rus");
        assert!(detect("").is_none());
    }
}
