//! Score: turn the findings about a cleaned text into a reliability score, a verdict and reasons.
//!
//! The score is a product of factors in (0, 1], one per component (spin, lack of article text,
//! truncation, lossy or unrepaired encoding, garbling, language, repetition). A component that
//! finds nothing contributes 1 and no reason. Factors were set on the seeds and on the development
//! data in `../shared/bench/quality` so that clean articles stay above 0.7 and spun, empty,
//! truncated or damaged texts fall below 0.5 (see README, "Scoring").

use crate::config::Config;
use crate::detect::{
    article::{ArticleShape, NOTICE_MAX_WORDS},
    damage::Damage,
    language::LanguageGuess,
    spin::SpinReport,
};

/// Everything the score looks at.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Leftover damage in the cleaned text.
    pub damage: Damage,
    /// Whether the cleaned text reads as an article.
    pub shape: ArticleShape,
    /// Spin analysis of the cleaned text.
    pub spin: SpinReport,
    /// Main language of the cleaned text, when sure.
    pub lang: Option<LanguageGuess>,
    /// The input was cut at the size limit.
    pub input_truncated: bool,
    /// Punctuation marks that had been lost as '?' and were restored by guessing.
    pub restored_punctuation: usize,
    /// Mojibake sequences the repair stage fixed.
    pub repaired_mojibake: usize,
}

/// One component of the score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Component {
    /// Stable name ("spin", "no-article", "lossy-encoding", ...).
    pub name: &'static str,
    /// Factor applied to the score, in (0, 1].
    pub factor: f64,
    /// Why.
    pub reason: String,
}

/// keep, review or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Reliable.
    Keep,
    /// Look at it.
    Review,
    /// Unreliable.
    Reject,
}

/// The outcome of scoring.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Reliability, 0..1, rounded to 3 decimals.
    pub score: f64,
    /// From the two thresholds in [`Config`].
    pub verdict: Verdict,
    /// Every component that deducted something.
    pub components: Vec<Component>,
}

/// Prose share (characters in sentence paragraphs) at and above which a text is not list-shaped.
const PROSE_SHARE_FULL: f64 = 0.5;
/// Prose share at and below which the list-shaped factor is lowest.
const PROSE_SHARE_LOW: f64 = 0.1;
/// The lowest list-shaped factor: tables and lists can be the article, so it only tips the scale.
const PROSE_FACTOR_LOW: f64 = 0.6;

fn lerp(x: f64, x0: f64, x1: f64, y0: f64, y1: f64) -> f64 {
    if x <= x0 {
        y0
    } else if x >= x1 {
        y1
    } else {
        y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    }
}

/// Scores the findings; `cfg` gives the verdict thresholds and the expected language.
pub fn score(f: &Findings, cfg: &Config) -> Scored {
    let mut comps: Vec<Component> = Vec::new();
    let mut add = |name: &'static str, factor: f64, reason: String| {
        if factor < 0.999 {
            comps.push(Component {
                name,
                factor: factor.clamp(0.01, 1.0),
                reason,
            });
        }
    };
    let d = &f.damage;
    let words = d.words as f64;

    // Spin: flagged texts (>= 0.5) end below 0.6 before any other deduction.
    let s = f.spin.score;
    // Continuous below the flag threshold too: real clean news stays under 0.31 (147 dev pages)
    // and keeps at least 0.75 from this component, while lightly spun copy ranks below it.
    let spin_factor = if s < 0.5 {
        lerp(s, 0.05, 0.5, 1.0, 0.6)
    } else {
        lerp(s, 0.5, 1.0, 0.6, 0.05)
    };
    let spin_reason = f
        .spin
        .reasons
        .first()
        .cloned()
        .unwrap_or_else(|| format!("spin likelihood {s:.2}"));
    add("spin", spin_factor, spin_reason);

    // No article, or too little of one.
    if d.words < 15 {
        add(
            "no-article",
            0.05,
            format!("no article text found ({} words kept)", d.words),
        );
    } else if d.words < 80 {
        add(
            "short",
            lerp(words, 15.0, 80.0, 0.35, 0.8),
            format!("very short text ({} words)", d.words),
        );
    }
    let shape = &f.shape;
    // A long article may keep a stray "Please enable JavaScript" line; a short page that says it
    // is an error page is one (detect::article does not search long texts at all).
    if let (Some((kind, phrase)), true) = (shape.notice, d.words < NOTICE_MAX_WORDS) {
        add(
            "no-article",
            0.1,
            format!("not an article: {kind} (\"{phrase}\")"),
        );
    }
    if shape.teasers >= 3 && shape.teasers * 2 >= shape.paragraphs {
        let share = shape.teasers as f64 / shape.paragraphs as f64;
        add(
            "teaser-list",
            lerp(share, 0.5, 0.8, 0.4, 0.1),
            format!(
                "{} of {} paragraphs are teasers cut short: a list of links, not an article",
                shape.teasers, shape.paragraphs
            ),
        );
    }
    if shape.prompts >= 2 {
        let share = shape.prompts as f64 / shape.paragraphs as f64;
        add(
            "reader-prompts",
            lerp(share, 0.1, 0.4, 0.8, 0.3),
            format!(
                "{} of {} paragraphs ask the reader to subscribe, follow or click: page chrome",
                shape.prompts, shape.paragraphs
            ),
        );
    }
    if shape.paragraphs >= 3 && shape.prose_share < PROSE_SHARE_FULL {
        add(
            "list-shaped",
            lerp(
                shape.prose_share,
                PROSE_SHARE_LOW,
                PROSE_SHARE_FULL,
                PROSE_FACTOR_LOW,
                1.0,
            ),
            format!(
                "list-shaped text: {:.0}% of it is in sentences",
                shape.prose_share * 100.0
            ),
        );
    }
    if d.truncated {
        add(
            "truncated",
            0.35,
            "text ends in '...' after fewer than 120 words: a teaser, not the article".into(),
        );
    }

    // Encoding damage left after repair.
    let per_k = |n: usize| {
        if words > 0.0 {
            n as f64 * 1000.0 / words
        } else {
            n as f64 * 1000.0
        }
    };
    // Any U+FFFD or '?' inside words is lost text; a handful per thousand words is already a
    // badly damaged copy (clean news has none).
    let lossy = d.replacement_chars + d.lossy_question_marks;
    if lossy > 0 {
        let factor = lerp(per_k(lossy), 0.0, 5.0, 0.8, 0.08);
        add(
            "lossy-encoding",
            factor,
            format!(
                "lossy encoding damage: {} replacement characters, {} '?' inside words",
                d.replacement_chars, d.lossy_question_marks
            ),
        );
    }
    // Quotes and apostrophes lost as '?' were restored, but the copy went through a lossy
    // conversion: other characters (accented letters) may be gone for good.
    if f.restored_punctuation > 0 {
        add(
            "lossy-repaired",
            lerp(per_k(f.restored_punctuation), 0.0, 10.0, 0.8, 0.4),
            format!(
                "{} punctuation marks had been lost as '?' (restored by guessing)",
                f.restored_punctuation
            ),
        );
    }
    // Heavily mojibaked input went through a broken conversion: the repair restores what the
    // bytes still say, but bytes that conversion dropped are gone and the copy deserves a look.
    // Clean articles need no repair; a stray "â€™" or two costs nothing.
    if per_k(f.repaired_mojibake) > 2.0 {
        add(
            "repaired-encoding",
            lerp(per_k(f.repaired_mojibake), 2.0, 15.0, 0.9, 0.55),
            format!(
                "{} mojibake sequences had to be repaired: the text went through a broken conversion",
                f.repaired_mojibake
            ),
        );
    }
    if d.mojibake_marks > 0 {
        let factor = lerp(per_k(d.mojibake_marks), 0.0, 5.0, 0.6, 0.08);
        add(
            "mojibake",
            factor,
            format!("{} unrepaired mojibake sequences", d.mojibake_marks),
        );
    }

    // Shuffled or garbled word order: sentences starting in lower case, ending on "the".
    if d.sentences >= 3 {
        // One odd sentence is forgiven ("... no matter who it comes from."): shares count from
        // the second such sentence on, so short texts are not condemned by a single quote.
        let n = d.sentences as f64;
        let beyond_one = |share: f64| ((share * n).round() - 1.0).max(0.0) / n;
        let disorder = (d.lowercase_start_share).max(2.0 * beyond_one(d.function_word_end_share));
        if disorder > 0.2 {
            add(
                "word-order",
                lerp(disorder, 0.2, 0.5, 0.7, 0.05),
                format!(
                    "garbled word order: {:.0}% of sentences start in lower case, {:.0}% end on a function word",
                    d.lowercase_start_share * 100.0,
                    d.function_word_end_share * 100.0
                ),
            );
        }
    }

    // Garbled text: odd characters or implausible word shapes.
    if d.odd_char_share > 0.01 {
        add(
            "garbled-chars",
            lerp(d.odd_char_share, 0.01, 0.08, 0.9, 0.1),
            format!("{:.1}% unusual characters", d.odd_char_share * 100.0),
        );
    }
    if d.odd_word_share > 0.03 && d.words >= 15 {
        add(
            "garbled-words",
            lerp(d.odd_word_share, 0.03, 0.2, 0.9, 0.1),
            format!("{:.1}% implausible words", d.odd_word_share * 100.0),
        );
    }

    // Language.
    match (&f.lang, &cfg.expected_lang) {
        (Some(g), Some(want)) if g.code != want => {
            add(
                "language",
                0.3,
                format!("language is {} (expected {want})", g.code),
            );
        }
        (None, _) if d.words >= 80 => {
            add("language", 0.8, "language could not be identified".into())
        }
        _ => {}
    }
    if let Some(g) = &f.lang {
        if g.foreign_share > 0.2 {
            add(
                "mixed-language",
                lerp(g.foreign_share, 0.2, 0.6, 0.85, 0.4),
                format!(
                    "{:.0}% of the text is in another language than {}",
                    g.foreign_share * 100.0,
                    g.code
                ),
            );
        }
    }

    // Repetition.
    if d.repeated_share > 0.1 {
        add(
            "repetition",
            lerp(d.repeated_share, 0.1, 0.6, 0.9, 0.2),
            format!("{:.0}% of paragraphs are repeats", d.repeated_share * 100.0),
        );
    }
    if f.input_truncated {
        add(
            "input-truncated",
            0.8,
            "input was cut at the size limit".into(),
        );
    }

    let raw: f64 = comps.iter().map(|c| c.factor).product();
    let score = (raw * 1000.0).round() / 1000.0;
    let verdict = if score >= cfg.min_score {
        Verdict::Keep
    } else if score < cfg.reject_below {
        Verdict::Reject
    } else {
        Verdict::Review
    };
    Scored {
        score,
        verdict,
        components: comps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn healthy() -> Findings {
        Findings {
            damage: Damage {
                words: 600,
                chars: 3600,
                ..Default::default()
            },
            spin: SpinReport {
                score: 0.05,
                ..Default::default()
            },
            lang: Some(LanguageGuess {
                code: "eng",
                confidence: 1.0,
                foreign_share: 0.0,
            }),
            input_truncated: false,
            restored_punctuation: 0,
            repaired_mojibake: 0,
            shape: ArticleShape {
                notice: None,
                paragraphs: 12,
                teasers: 0,
                prompts: 0,
                prose_share: 0.95,
            },
        }
    }

    #[test]
    fn clean_article_is_kept() {
        let s = score(&healthy(), &Config::default());
        assert_eq!(s.score, 1.0);
        assert_eq!(s.verdict, Verdict::Keep);
        assert!(s.components.is_empty());
    }

    #[test]
    fn each_problem_deducts_with_a_reason() {
        let cfg = Config::default();
        let mut spun = healthy();
        spun.spin.score = 0.9;
        let s = score(&spun, &cfg);
        assert!(s.score < 0.5 && s.verdict == Verdict::Reject);
        assert_eq!(s.components[0].name, "spin");

        let mut empty = healthy();
        empty.damage.words = 3;
        assert!(score(&empty, &cfg).score < 0.1);

        let mut lossy = healthy();
        lossy.damage.replacement_chars = 30;
        let s = score(&lossy, &cfg);
        assert!(s.score < 0.5, "{s:?}");
        assert!(s.components[0].reason.contains("replacement"));

        let cfg_fr = Config {
            expected_lang: Some("fra".into()),
            ..Config::default()
        };
        assert!(score(&healthy(), &cfg_fr).score < 0.5);
    }

    #[test]
    fn pages_that_are_not_articles_fall() {
        let cfg = Config::default();
        let mut notice = healthy();
        notice.damage.words = 60;
        notice.shape.notice = Some(("error page", "page not found"));
        let s = score(&notice, &cfg);
        assert_eq!(s.verdict, Verdict::Reject, "{s:?}");
        assert!(s.components.iter().any(|c| c.reason.contains("error page")));
        // A long article that keeps a stray notice line is still an article.
        let mut stray = healthy();
        stray.shape.notice = Some(("script shell", "please enable javascript"));
        assert_eq!(score(&stray, &cfg).score, 1.0);

        let mut teasers = healthy();
        teasers.shape.teasers = 9;
        teasers.shape.paragraphs = 10;
        assert!(score(&teasers, &cfg).score < 0.2);

        let mut prompts = healthy();
        prompts.shape.prompts = 5;
        assert!(score(&prompts, &cfg).score < 0.5);

        let mut list = healthy();
        list.shape.prose_share = 0.05;
        let s = score(&list, &cfg);
        assert!(s.score < 0.7 && s.score >= 0.5, "{s:?}");
    }

    #[test]
    fn heavy_repair_asks_for_review_but_a_stray_fix_costs_nothing() {
        let cfg = Config::default();
        let mut stray = healthy();
        stray.repaired_mojibake = 1;
        assert_eq!(score(&stray, &cfg).score, 1.0);
        let mut heavy = healthy();
        heavy.repaired_mojibake = 20;
        let s = score(&heavy, &cfg);
        assert!(s.score < 0.7, "{s:?}");
        assert_eq!(s.components[0].name, "repaired-encoding");
    }
}
