//! BILOU tags, their legal transitions, Viterbi decoding and per-tag
//! posteriors.
//!
//! Design choice: BILOU rather than BIO (Ratinov & Roth 2009: the model
//! learns separate evidence for single-word names and for the last word of
//! a name), with the illegal transitions (`O → I-PER`, `B-PER → B-ORG`,
//! ending on `B`...) forbidden in the decoder rather than learnt, so every
//! output is a well-formed set of spans.

/// The entity types, in the order of the public labels.
pub const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// One tag: its BILOU prefix and type index (`None` for `O`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    pub prefix: char,
    pub ty: Option<usize>,
}

impl Tag {
    /// Parses "B-PER", "O"...; unknown types read as MISC, unknown prefixes
    /// as `O`, so a model file with odd class names still decodes.
    pub fn parse(s: &str) -> Tag {
        match s.split_once('-') {
            Some((p, t)) => {
                let prefix = match p {
                    "B" => 'B',
                    "I" => 'I',
                    "L" | "E" => 'L',
                    "U" | "S" => 'U',
                    _ => {
                        return Tag {
                            prefix: 'O',
                            ty: None,
                        }
                    }
                };
                let ty = TYPES.iter().position(|x| *x == t).unwrap_or(3);
                Tag {
                    prefix,
                    ty: Some(ty),
                }
            }
            None => Tag {
                prefix: 'O',
                ty: None,
            },
        }
    }

    fn open(self) -> bool {
        matches!(self.prefix, 'B' | 'I')
    }

    /// Whether `self` may follow `prev` (`None`: sentence start).
    pub fn may_follow(self, prev: Option<Tag>) -> bool {
        match prev {
            Some(p) if p.open() => matches!(self.prefix, 'I' | 'L') && self.ty == p.ty,
            _ => matches!(self.prefix, 'O' | 'B' | 'U'),
        }
    }

    /// Whether a sentence may end on `self`.
    pub fn may_end(self) -> bool {
        !self.open()
    }
}

const NEG: f32 = -1e30;

/// The best legal tag sequence. `em` holds `n * t` emission scores (row per
/// word), `trans` holds `(t + 1) * t` transition scores (row per previous
/// tag, the last row for the sentence start).
pub fn viterbi(tags: &[Tag], em: &[f32], trans: &[f32]) -> Vec<usize> {
    let t = tags.len();
    if t == 0 || em.len() < t {
        return Vec::new();
    }
    let n = em.len() / t;
    let tr = |p: usize, c: usize| trans.get(p * t + c).copied().unwrap_or(0.0);
    let mut score = vec![NEG; n * t];
    let mut back = vec![0usize; n * t];
    for c in 0..t {
        if tags[c].may_follow(None) {
            score[c] = em[c] + tr(t, c);
        }
    }
    for i in 1..n {
        for c in 0..t {
            let mut best = NEG;
            let mut arg = 0;
            for p in 0..t {
                let s = score[(i - 1) * t + p];
                if s <= NEG || !tags[c].may_follow(Some(tags[p])) {
                    continue;
                }
                let v = s + tr(p, c);
                if v > best {
                    best = v;
                    arg = p;
                }
            }
            if best > NEG {
                score[i * t + c] = best + em[i * t + c];
                back[i * t + c] = arg;
            }
        }
    }
    let mut last = 0;
    let mut best = f32::NEG_INFINITY;
    for c in 0..t {
        let s = score[(n - 1) * t + c];
        if tags[c].may_end() && s > best {
            best = s;
            last = c;
        }
    }
    let mut path = vec![0; n];
    path[n - 1] = last;
    for i in (1..n).rev() {
        path[i - 1] = back[i * t + path[i]];
    }
    path
}

fn logsumexp(xs: impl Iterator<Item = f32>) -> f32 {
    let v: Vec<f32> = xs.filter(|x| *x > NEG).collect();
    let m = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if !m.is_finite() {
        return NEG;
    }
    m + v.iter().map(|x| (x - m).exp()).sum::<f32>().ln()
}

/// Posterior probability of each (word, tag) under a linear-chain model
/// whose log-potentials are the scores (forward-backward over the legal
/// lattice). Perceptron scores are not calibrated; these marginals still
/// rank spans usefully (near 1 for clear names, lower where the decoder
/// hesitated between types or boundaries).
pub fn posteriors(tags: &[Tag], em: &[f32], trans: &[f32]) -> Vec<f32> {
    let t = tags.len();
    if t == 0 || em.len() < t {
        return Vec::new();
    }
    let n = em.len() / t;
    let tr = |p: usize, c: usize| trans.get(p * t + c).copied().unwrap_or(0.0);
    let mut alpha = vec![NEG; n * t];
    let mut beta = vec![NEG; n * t];
    for c in 0..t {
        if tags[c].may_follow(None) {
            alpha[c] = em[c] + tr(t, c);
        }
    }
    for i in 1..n {
        for c in 0..t {
            let a = logsumexp((0..t).filter_map(|p| {
                let s = alpha[(i - 1) * t + p];
                (s > NEG && tags[c].may_follow(Some(tags[p]))).then(|| s + tr(p, c))
            }));
            if a > NEG {
                alpha[i * t + c] = a + em[i * t + c];
            }
        }
    }
    for c in 0..t {
        if tags[c].may_end() {
            beta[(n - 1) * t + c] = 0.0;
        }
    }
    for i in (0..n - 1).rev() {
        for p in 0..t {
            beta[i * t + p] = logsumexp((0..t).filter_map(|c| {
                let b = beta[(i + 1) * t + c];
                (b > NEG && tags[c].may_follow(Some(tags[p])))
                    .then(|| b + tr(p, c) + em[(i + 1) * t + c])
            }));
        }
    }
    let z = logsumexp((0..t).map(|c| alpha[(n - 1) * t + c] + beta[(n - 1) * t + c]));
    (0..n * t)
        .map(|k| {
            if alpha[k] <= NEG || beta[k] <= NEG {
                0.0
            } else {
                (alpha[k] + beta[k] - z).exp().clamp(0.0, 1.0)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagset() -> Vec<Tag> {
        ["O", "B-PER", "I-PER", "L-PER", "U-PER"]
            .iter()
            .map(|s| Tag::parse(s))
            .collect()
    }

    #[test]
    fn decodes_only_legal_sequences() {
        let tags = tagset();
        // emissions prefer I-PER everywhere, which is never legal first
        // and cannot follow I-PER at the end: B-PER L-PER is the best legal path
        let em = [0.0, 1.0, 5.0, 0.0, 0.0, 0.0, 0.0, 5.0, 1.0, 0.0];
        let trans = vec![0.0; 6 * 5];
        let path = viterbi(&tags, &em, &trans);
        assert_eq!(path.len(), 2);
        let names: Vec<char> = path.iter().map(|&k| tags[k].prefix).collect();
        assert_eq!(names, ['B', 'L']);
        let post = posteriors(&tags, &em, &trans);
        let sum: f32 = post[..5].iter().sum();
        assert!((sum - 1.0).abs() < 1e-3, "marginals sum to one: {sum}");
        assert_eq!(post[2], 0.0, "I-PER cannot start a sentence");
        assert!(viterbi(&tags, &[], &trans).is_empty());
        assert!(viterbi(&[], &em, &trans).is_empty());
    }

    #[test]
    fn parses_tags_leniently() {
        assert_eq!(Tag::parse("S-ORG").prefix, 'U');
        assert_eq!(Tag::parse("B-EVENT").ty, Some(3));
        assert_eq!(Tag::parse("X-PER").ty, None);
        assert!(Tag::parse("I-LOC").may_follow(Some(Tag::parse("B-LOC"))));
        assert!(!Tag::parse("I-LOC").may_follow(Some(Tag::parse("B-PER"))));
    }
}
