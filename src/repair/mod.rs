//! Repair: undo damage done to text before chaff saw it.
//!
//! Each fixer is small and named ([`fixes`]); [`repair`] runs them in order and returns the text with
//! the list of fixes that changed something, so reports can say what was repaired.

pub mod fixes;

pub use fixes::Fix;

/// Text after repair, with the fixes that changed it.
#[derive(Debug, Clone, Default)]
pub struct Repaired {
    /// The repaired text.
    pub text: String,
    /// Fixes that changed something, in the order applied.
    pub fixes: Vec<Fix>,
}

impl Repaired {
    /// Human-readable reasons, one per fix applied.
    pub fn reasons(&self) -> Vec<String> {
        self.fixes.iter().map(Fix::describe).collect()
    }
}

/// Runs every fixer on `text`: entities, control characters, line ends, NFC.
pub fn repair(text: &str) -> Repaired {
    let mut fixes = Vec::new();
    let mut current = std::borrow::Cow::Borrowed(text);
    for fixer in fixes::FIXERS {
        if let Some((fixed, fix)) = fixer(&current) {
            current = std::borrow::Cow::Owned(fixed);
            fixes.push(fix);
        }
    }
    Repaired {
        text: current.into_owned(),
        fixes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_untouched() {
        let t = "The United States is close to suspending talks, Kerry said on Thursday.\n";
        let r = repair(t);
        assert_eq!(r.text, t);
        assert!(r.fixes.is_empty());
    }

    #[test]
    fn entities_and_controls() {
        let r = repair("Tom &amp;amp; Jerry&#8217;s \u{0007}show\r\n");
        assert_eq!(r.text, "Tom & Jerry’s show\n");
        let reasons = r.reasons().join("; ");
        assert!(reasons.contains("entit"), "{reasons}");
        assert!(reasons.contains("control"), "{reasons}");
    }
}
