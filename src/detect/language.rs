//! Language identification with whatlang, with a reliability cut-off and a mixed-language check.

use super::function_words;
use crate::text_util::paragraphs;

/// The language found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageGuess {
    /// ISO 639-3 code ("eng", "rus", ...).
    pub code: &'static str,
    /// whatlang's confidence, 0..1 (1.0 when plain English by its stop words settled it).
    pub confidence: f64,
    /// Share of the text's paragraphs whose own language differs from the main one (by length).
    pub foreign_share: f64,
}

/// Bytes of prose whatlang sees for the main language: its cost is high per byte, and a few
/// hundred bytes of running text identify a language reliably.
const MAIN_SAMPLE_BYTES: usize = 800;
/// Paragraphs sampled (evenly spread) for the mixed-language check, and bytes taken from each.
const MIXED_SAMPLES: usize = 6;
const MIXED_SAMPLE_BYTES: usize = 400;
/// Paragraphs shorter than this (characters) are not judged for the mixed-language check.
const MIXED_MIN_CHARS: usize = 200;

/// Guesses the main language of `text`; `None` when the text is too short or whatlang is unsure.
pub fn detect(text: &str) -> Option<LanguageGuess> {
    with_mixed_check(text, main_of_sample(&prose_sample(text, MAIN_SAMPLE_BYTES)))
}

/// The main language only (no mixed-language check): for stages that need the language early.
pub fn detect_code(text: &str) -> Option<&'static str> {
    main_guess(text).code()
}

/// The main language of a text, kept with the sample it was judged on, so that a later text with
/// the same sample (the cleaned article of a page whose first prose lines are the article's) gets
/// the same answer without asking whatlang again ([`detect_after`]).
#[derive(Debug, Clone)]
pub struct MainGuess {
    sample: String,
    main: Option<Main>,
}

impl MainGuess {
    /// The main language's ISO 639-3 code, if one was found.
    pub fn code(&self) -> Option<&'static str> {
        self.main.map(|m| m.lang.code())
    }
}

/// What whatlang said about a sample, when it was sure enough.
#[derive(Debug, Clone, Copy)]
struct Main {
    lang: whatlang::Lang,
    confidence: f64,
}

/// The main language of `text` (no mixed-language check), with its sample.
pub fn main_guess(text: &str) -> MainGuess {
    let sample = prose_sample(text, MAIN_SAMPLE_BYTES);
    let main = main_of_sample(&sample);
    MainGuess { sample, main }
}

/// [`detect`] for a text whose main language sample may be that of an `earlier` guess: then its
/// answer is reused (whatlang gives the same answer for the same sample).
pub fn detect_after(text: &str, earlier: &MainGuess) -> Option<LanguageGuess> {
    let sample = prose_sample(text, MAIN_SAMPLE_BYTES);
    let main = if sample == earlier.sample {
        earlier.main
    } else {
        main_of_sample(&sample)
    };
    with_mixed_check(text, main)
}

/// The full guess for `text` from its main language: adds the mixed-language check.
fn with_mixed_check(text: &str, main: Option<Main>) -> Option<LanguageGuess> {
    let main = main?;
    Some(LanguageGuess {
        code: main.lang.code(),
        confidence: main.confidence,
        foreign_share: foreign_share(text, main.lang),
    })
}

/// whatlang's answer for a main-language sample, unless it is unsure. A sample plainly English
/// by its stop words ([`MAIN_CLEAR_STOP_SHARE`]) is English without asking whatlang (confidence
/// 1.0): whatlang's cost is nearly the same whatever the sample, one lookup per trigram of each
/// language profile, and most pages are English.
fn main_of_sample(sample: &str) -> Option<Main> {
    if english_by_stop_words(sample) {
        return Some(Main {
            lang: whatlang::Lang::Eng,
            confidence: 1.0,
        });
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some(Main {
        lang: info.lang(),
        confidence: info.confidence(),
    })
}

/// Up to `max` bytes of the text's longer lines (prose rather than menus), in order.
fn prose_sample(text: &str, max: usize) -> String {
    let mut sample = String::with_capacity(max + 64);
    for line in text.lines().filter(|l| l.len() >= 60) {
        if sample.len() >= max {
            break;
        }
        sample.push_str(prefix_at_char_boundary(line, max - sample.len()));
        sample.push('\n');
    }
    if sample.len() < max / 4 {
        return prefix_at_char_boundary(text, max).to_string();
    }
    sample
}

/// Share (by characters) of sampled long paragraphs reliably detected as another language.
fn foreign_share(text: &str, main: whatlang::Lang) -> f64 {
    let long: Vec<&str> = paragraphs(text)
        .filter(|p| p.len() >= MIXED_MIN_CHARS)
        .collect();
    if long.len() < 2 {
        return 0.0;
    }
    let step = long.len().div_ceil(MIXED_SAMPLES);
    let mut total = 0usize;
    let mut foreign = 0usize;
    for para in long.iter().step_by(step.max(1)) {
        let n = para.chars().count();
        total += n;
        let sample = prefix_at_char_boundary(para, MIXED_SAMPLE_BYTES);
        if is_clearly(sample, main) {
            continue;
        }
        if let Some(info) = whatlang::detect(sample) {
            let other = info.is_reliable() && info.lang() != main;
            if other && (info.script() != whatlang::Script::Latin || info.confidence() > 0.9) {
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

/// Share of a language's stop words above which a sample is taken to be in that language without
/// asking whatlang: English prose runs at 0.25-0.5 with data/stopwords/eng.txt, other languages in
/// Latin script stay under 0.12 (measured on the aeb gold paragraphs).
const CLEAR_STOP_SHARE: f64 = 0.2;
/// Fewest words for the stop-word test.
const CLEAR_MIN_WORDS: usize = 12;
/// The stricter bar for settling a main-language sample by its stop words. On the aeb pages (HTML
/// and flattened), the charset-dev files and the seeds, 457 of 1,408 main samples pass it and
/// whatlang reliably says English for every one of them; the least English-looking sample
/// whatlang calls another language has a share of 0.47 with 19 words, 0.41 with 22.
const MAIN_CLEAR_STOP_SHARE: f64 = 0.25;
const MAIN_CLEAR_MIN_WORDS: usize = 40;

/// How many times more words of its own list only than of any other list only a paragraph must
/// hold to be plainly in its language (see [`function_words::Hits::plainly`]): a paragraph in a
/// language without a list may hold many of a neighbour's function words.
const CLEAR_MARGIN: f64 = 2.0;

/// Whether `sample` is plainly in `lang` by its function words: a cheap answer that spares a
/// whatlang call on most paragraphs of a text (the mixed-language check). A language with a list
/// (English's stop words, `data/langid/`) must hold its share of the sample's words and lead
/// every other list ([`function_words`]); other languages never are plainly anything.
/// `examples/langid_check.rs` checks it against whatlang on folders of texts.
pub fn is_clearly(sample: &str, lang: whatlang::Lang) -> bool {
    function_words::index_of(lang.code()).is_some_and(|i| {
        function_words::count(sample, i).plainly(CLEAR_STOP_SHARE, CLEAR_MIN_WORDS, CLEAR_MARGIN)
    })
}

/// Whether a main-language sample is plainly English by its stop words alone: at least
/// [`MAIN_CLEAR_STOP_SHARE`] of at least [`MAIN_CLEAR_MIN_WORDS`] words.
fn english_by_stop_words(sample: &str) -> bool {
    function_words::count(sample, function_words::ENGLISH)
        .has_share(MAIN_CLEAR_STOP_SHARE, MAIN_CLEAR_MIN_WORDS)
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
    fn function_words_settle_plain_paragraphs() {
        let en = "The council approved the budget on Tuesday after a long debate, and officials said that the money would pay for road repairs in the spring.";
        let de = "Der Stadtrat hat den Haushalt am Dienstag nach einer langen Debatte gebilligt, und die Beamten sagten, das Geld werde für Straßenreparaturen verwendet.";
        assert!(is_clearly(en, whatlang::Lang::Eng));
        assert!(!is_clearly(de, whatlang::Lang::Eng));
        // Too short to say.
        assert!(!is_clearly("The budget.", whatlang::Lang::Eng));
        // German has a function-word list: German prose is plainly German, English prose is not.
        assert!(is_clearly(de, whatlang::Lang::Deu));
        assert!(!is_clearly(en, whatlang::Lang::Deu));
        // Korean has none: whatlang decides.
        assert!(!is_clearly(de, whatlang::Lang::Kor));
        // A German paragraph in an English text still counts as foreign, and an English one in a
        // German text.
        let mixed = format!("{en} {en}\n\n{en} {en}\n\n{de} {de}\n\n{en} {en}\n");
        assert!(detect(&mixed).unwrap().foreign_share > 0.2);
        let mixed_de = format!("{de} {de}\n\n{en} {en}\n\n{de} {de}\n\n{en} {en}\n\n{de} {de}\n");
        let guess = detect(&mixed_de).unwrap();
        assert_eq!(guess.code, "deu");
        assert!(guess.foreign_share > 0.2, "{guess:?}");
        let plain_de = format!("{de} {de}\n\n{de} {de}\n\n{de} {de}\n");
        assert_eq!(detect(&plain_de).unwrap().foreign_share, 0.0);
    }

    /// A long, plainly English sample is settled by its stop words, and whatlang agrees; a long
    /// German one (few English stop words) still goes to whatlang.
    #[test]
    fn plain_english_samples_skip_whatlang() {
        let en = "The city council voted on Tuesday to delay a decision on the new bus station until after the summer, saying it needed more time to study the costs. Residents who attended the meeting said they were worried about traffic on the main road and the loss of parking spaces near the market.";
        assert!(english_by_stop_words(en));
        let main = main_of_sample(en).unwrap();
        assert_eq!((main.lang, main.confidence), (whatlang::Lang::Eng, 1.0));
        let asked = whatlang::detect(en).unwrap();
        assert!(asked.lang() == whatlang::Lang::Eng && asked.is_reliable());
        let de = "Der Stadtrat hat am Dienstag beschlossen, die Entscheidung über den neuen Busbahnhof bis nach dem Sommer zu vertagen, weil er mehr Zeit brauche, um die Kosten zu prüfen. Anwohner, die an der Sitzung teilnahmen, sagten, sie seien besorgt über den Verkehr auf der Hauptstraße und den Verlust von Parkplätzen am Markt.";
        assert!(!is_clearly(de, whatlang::Lang::Eng));
        assert_eq!(
            main_of_sample(de).map(|m| m.lang),
            Some(whatlang::Lang::Deu)
        );
    }

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
