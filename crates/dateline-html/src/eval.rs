//! Token-overlap scoring, identical to `eval_extract.py`'s article-body
//! metric: lower-case the text, take Python `\w+` runs as tokens (Unicode
//! letters, numbers and '_'), compare the two token multisets.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Precision, recall and F1 of one page (or an average over pages).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn word_re() -> Option<&'static regex::Regex> {
    static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"[\p{L}\p{N}_]+").ok())
        .as_ref()
}

/// Tokens as `TOK.findall(text.lower())` with `TOK = re.compile(r"\w+")`.
pub fn tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    match word_re() {
        Some(re) => re
            .find_iter(&lower)
            .map(|m| m.as_str().to_string())
            .collect(),
        None => Vec::new(),
    }
}

fn bag(text: &str) -> (HashMap<String, usize>, usize) {
    let mut m: HashMap<String, usize> = HashMap::new();
    let mut n = 0;
    for t in tokens(text) {
        *m.entry(t).or_insert(0) += 1;
        n += 1;
    }
    (m, n)
}

/// Bag-of-words P/R/F1 of a prediction against the gold text. An empty
/// prediction or an empty gold scores 0 on the side that divides by it.
pub fn score(pred: &str, gold: &str) -> Score {
    let (g, ng) = bag(gold);
    let (p, np) = bag(pred);
    let common: usize = p
        .iter()
        .map(|(k, v)| (*v).min(g.get(k).copied().unwrap_or(0)))
        .sum();
    let precision = if np > 0 {
        common as f64 / np as f64
    } else {
        0.0
    };
    let recall = if ng > 0 {
        common as f64 / ng as f64
    } else {
        0.0
    };
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Score {
        precision,
        recall,
        f1,
    }
}

/// Macro average over pages, as the script does (each of P, R and F1
/// averaged separately; pages with empty predictions count as zeros; an
/// empty list averages to zeros).
pub fn average(scores: &[Score]) -> Score {
    let n = scores.len().max(1) as f64;
    Score {
        precision: scores.iter().map(|s| s.precision).sum::<f64>() / n,
        recall: scores.iter().map(|s| s.recall).sum::<f64>() / n,
        f1: scores.iter().map(|s| s.f1).sum::<f64>() / n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenises_like_python() {
        assert_eq!(
            tokens("Hello, World! it's 3.5 km_h"),
            vec!["hello", "world", "it", "s", "3", "5", "km_h"]
        );
        assert_eq!(tokens("Año ÉL"), vec!["año", "él"]);
        // Python's \w excludes combining marks: "नमस्ते" splits at the signs.
        assert_eq!(tokens("नमस्ते"), vec!["नमस", "त"]);
    }

    #[test]
    fn scores() {
        let s = score("a b c d", "a b c e");
        assert!((s.precision - 0.75).abs() < 1e-9);
        assert!((s.recall - 0.75).abs() < 1e-9);
        assert_eq!(score("", "a").f1, 0.0);
        assert_eq!(score("a", "").f1, 0.0);
        let s = score("a a a", "a");
        assert!((s.precision - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.recall, 1.0);
        let avg = average(&[score("a", "a"), score("", "a")]);
        assert!((avg.f1 - 0.5).abs() < 1e-9);
        assert_eq!(average(&[]).f1, 0.0);
    }
}
