//! Synonym-spin detection: how likely a text was rewritten word by word by an article spinner.
//!
//! First version: function-word anomalies only. Spinners that swap "the" for "a" leave "a" before
//! vowel-initial words ("a attack") and before plurals ("a officials"), and English news without
//! "the" is itself abnormal. The score is a logistic combination of those rates.

use crate::text_util::words;

/// One suspicious phrase with its likely original.
#[derive(Debug, Clone, PartialEq)]
pub struct SpinPhrase {
    /// The phrase as found.
    pub found: String,
    /// What it probably was before spinning.
    pub likely: String,
}

/// The spin verdict for a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpinReport {
    /// Likelihood the text is spun, 0..1 (0.5 and above is flagged).
    pub score: f64,
    /// Evidence phrases.
    pub phrases: Vec<SpinPhrase>,
    /// Human-readable evidence for the report.
    pub reasons: Vec<String>,
}

/// Analyses `text`; `lang` is the ISO 639-3 code when known. Only English is analysed.
pub fn analyze(text: &str, lang: Option<&str>) -> SpinReport {
    if lang.is_some_and(|l| l != "eng") {
        return SpinReport::default();
    }
    let tokens: Vec<&str> = words(text).collect();
    if tokens.len() < 50 {
        return SpinReport::default();
    }
    let mut the = 0usize;
    let mut a_misuse = 0usize;
    let mut phrases = Vec::new();
    for pair in tokens.windows(2) {
        let (w, next) = (pair[0], pair[1]);
        if w.eq_ignore_ascii_case("the") {
            the += 1;
        }
        if w == "a" || w == "A" {
            let lower = next.to_lowercase();
            let vowel = lower.starts_with(['a', 'e', 'i', 'o'])
                && !lower.starts_with("one")
                && !lower.starts_with("eu");
            let plural = lower.len() > 3
                && lower.ends_with('s')
                && !lower.ends_with("ss")
                && !lower.ends_with("us")
                && !lower.ends_with("is")
                && !lower.ends_with("ous");
            if vowel || plural {
                a_misuse += 1;
                if phrases.len() < 5 {
                    phrases.push(SpinPhrase {
                        found: format!("{w} {next}"),
                        likely: format!("the {next}"),
                    });
                }
            }
        }
    }
    let n = tokens.len() as f64;
    let the_rate = the as f64 / n;
    let misuse_rate = a_misuse as f64 / n;
    // English news runs at about 5-6% "the"; spun copy with "the"->"a" drops below 1%.
    let z = -4.0 + misuse_rate * 1200.0 + (0.03 - the_rate).max(0.0) * 150.0;
    let score = 1.0 / (1.0 + (-z).exp());
    let mut reasons = Vec::new();
    if score >= 0.5 {
        let examples: Vec<String> = phrases
            .iter()
            .map(|p| format!("{} → {}?", p.found, p.likely))
            .collect();
        reasons.push(format!(
            "spin {score:.2}: 'a' before a vowel or plural {a_misuse} times ({}); 'the' is {:.1}% of words",
            examples.join(", "),
            the_rate * 100.0
        ));
    }
    SpinReport {
        score,
        phrases,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: &str = "The United States is close to suspending talks with Russia on a ceasefire in Syria, U.S. Secretary of State John Kerry said on Thursday, as the Kremlin vowed to press on with an attack on the city of Aleppo. Moscow and Damascus launched a campaign to recapture the rebel-held section of the biggest city this month, abandoning a ceasefire a week after it took effect to embark on what could be the biggest offensive of the nearly six-year war.";
    const SPUN: &str = "The United States is tighten to suspending talks with Russia on a ceasefire in Syria, U.S. Secretary of State John Kerry pronounced on Thursday, as a Kremlin vowed to press on with an attack on a city of Aleppo. Moscow and Damascus launched a debate to recapture a rebel-held section of a biggest city this month, abandoning a ceasefire a week after it took outcome to embark on what could be a biggest dispute of a scarcely six-year war. In a initial poignant supervision territorial allege of a Aleppo debate so far, Syrian army prisoner a Handarat stay.";

    #[test]
    fn spun_scores_higher_than_clean() {
        let clean = analyze(CLEAN, Some("eng"));
        let spun = analyze(SPUN, Some("eng"));
        assert!(clean.score < 0.5, "{clean:?}");
        assert!(spun.score >= 0.5, "{spun:?}");
        assert!(!spun.reasons.is_empty());
    }

    #[test]
    fn other_languages_are_not_judged() {
        assert_eq!(analyze(SPUN, Some("fra")).score, 0.0);
    }
}
