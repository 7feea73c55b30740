//! The line model: logistic-regression weights over the features of
//! [`super::text::FEATURE_NAMES`], trained by `scripts/train_line_model.py` and embedded from
//! `data/chrome/line-model.tsv`. An empty model file means "use the hand-set weights".

use super::text::FEATURE_NAMES;
use std::sync::OnceLock;

const MODEL_TSV: &str = include_str!("../../data/chrome/line-model.tsv");

/// Names of the second stage's extra features: the first stage's probabilities around the line.
/// `s1_rel` is the line's probability over the highest in the document and `s1_doc_max` that
/// highest: how strong a line is next to the page's best prose, whatever the page's style.
pub const CONTEXT_NAMES: &[&str] = &[
    "s1_p",
    "s1_win",
    "s1_prev",
    "s1_next",
    "s1_max_nb",
    "s1_rel",
    "s1_doc_max",
    "s1_win6",
];

/// One logistic regression.
#[derive(Debug, Clone)]
struct Logistic {
    bias: f64,
    weights: Vec<f64>,
}

impl Logistic {
    /// The probability for `features` followed by `extra` (stage 2's context; empty for stage 1).
    /// The sum runs in that order, as over one concatenated vector.
    fn probability(&self, features: &[f64], extra: &[f64]) -> f64 {
        // Summed in order from -0.0, as `Iterator::sum` does, without a chained iterator.
        let (w1, w2) = self
            .weights
            .split_at(features.len().min(self.weights.len()));
        let mut sum = -0.0;
        for (w, x) in w1.iter().zip(features) {
            sum += w * x;
        }
        for (w, x) in w2.iter().zip(extra) {
            sum += w * x;
        }
        let z: f64 = self.bias + sum;
        1.0 / (1.0 + (-z).exp())
    }
}

/// A two-stage line model: stage 1 scores each line from its own features; stage 2 adds the
/// stage-1 probabilities of the neighbouring lines (article lines come in runs).
#[derive(Debug, Clone)]
pub struct LineModel {
    stage1: Logistic,
    stage2: Option<Logistic>,
}

impl LineModel {
    /// Parses `name<TAB>weight` lines (`bias` for the intercept; names prefixed `2:` belong to
    /// stage 2, whose features are the line's features then [`CONTEXT_NAMES`]).
    pub fn parse(tsv: &str) -> Result<Option<LineModel>, String> {
        let n1 = FEATURE_NAMES.len();
        let mut s1 = Logistic {
            bias: f64::NAN,
            weights: vec![0.0; n1],
        };
        let mut s2 = Logistic {
            bias: f64::NAN,
            weights: vec![0.0; n1 + CONTEXT_NAMES.len()],
        };
        for line in tsv.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, w) = line
                .split_once('\t')
                .ok_or_else(|| format!("bad model line: {line}"))?;
            let w: f64 = w
                .trim()
                .parse()
                .map_err(|_| format!("bad weight: {line}"))?;
            let (stage, name) = match name.strip_prefix("2:") {
                Some(n) => (&mut s2, n),
                None => (&mut s1, name),
            };
            if name == "bias" {
                stage.bias = w;
                continue;
            }
            let i = FEATURE_NAMES
                .iter()
                .chain(CONTEXT_NAMES.iter())
                .position(|n| *n == name)
                .filter(|&i| i < stage.weights.len())
                .ok_or_else(|| format!("unknown feature {name}"))?;
            stage.weights[i] = w;
        }
        if s1.bias.is_nan() {
            return Ok(None);
        }
        let stage2 = (!s2.bias.is_nan()).then_some(s2);
        Ok(Some(LineModel { stage1: s1, stage2 }))
    }

    /// The probability that each line is article text, from every line's features.
    pub fn probabilities<F: AsRef<[f64]>>(&self, features: &[F]) -> Vec<f64> {
        let p1: Vec<f64> = features
            .iter()
            .map(|f| self.stage1.probability(f.as_ref(), &[]))
            .collect();
        let Some(s2) = &self.stage2 else { return p1 };
        let max = p1.iter().copied().fold(0.0, f64::max);
        (0..p1.len())
            .map(|i| s2.probability(features[i].as_ref(), &context(&p1, i, max)))
            .collect()
    }
}

/// The stage-2 context of line `i`, in [`CONTEXT_NAMES`] order; `max` is the highest of `p`.
pub fn context(p: &[f64], i: usize, max: f64) -> [f64; 8] {
    let win = neighbour_mean(p, i, 2);
    let prev = if i > 0 { p[i - 1] } else { 0.0 };
    let next = p.get(i + 1).copied().unwrap_or(0.0);
    let rel = if max > 0.0 { p[i] / max } else { 0.0 };
    let win6 = neighbour_mean(p, i, 6);
    [p[i], win, prev, next, prev.max(next), rel, max, win6]
}

/// The mean of `p` over up to `reach` lines on either side of line `i` (not `i` itself), summed
/// in line order; 0 with no neighbours.
fn neighbour_mean(p: &[f64], i: usize, reach: usize) -> f64 {
    let lo = i.saturating_sub(reach);
    let hi = (i + reach).min(p.len() - 1);
    let mut sum = 0.0;
    for &pj in &p[lo..i] {
        sum += pj;
    }
    for &pj in &p[i + 1..=hi] {
        sum += pj;
    }
    let n = hi - lo;
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// The embedded model, parsed once; `None` when the data file holds no model.
pub fn get() -> Option<&'static LineModel> {
    static CELL: OnceLock<Option<LineModel>> = OnceLock::new();
    CELL.get_or_init(|| LineModel::parse(MODEL_TSV).expect("data/chrome/line-model.tsv parses"))
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_scores() {
        let m = LineModel::parse("# comment\nbias\t-1.0\nterminal\t2.0\n")
            .unwrap()
            .unwrap();
        let mut x = vec![0.0; FEATURE_NAMES.len()];
        let t = FEATURE_NAMES.iter().position(|n| *n == "terminal").unwrap();
        let mut y = x.clone();
        y[t] = 1.0;
        let p = m.probabilities(&[x.clone(), y.clone()]);
        assert!(p[0] < 0.5 && p[1] > 0.5);
        // Stage 2 pulls a line towards its neighbours.
        let m2 = LineModel::parse("bias\t-1.0\nterminal\t2.0\n2:bias\t-2.0\n2:s1_win\t4.0\n")
            .unwrap()
            .unwrap();
        x[t] = 0.0;
        let p = m2.probabilities(&[y.clone(), x.clone(), y.clone()]);
        assert!(p[1] > 0.5, "{p:?}");
        assert!(LineModel::parse("nonsense\t1.0\nbias\t0").is_err());
        assert!(LineModel::parse("# empty\n").unwrap().is_none());
    }
}
