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

/// Posterior probability of each (word, tag) under a linear-chain model
/// whose log-potentials are the scores (forward-backward over the legal
/// lattice). Perceptron scores are not calibrated; these marginals still
/// rank spans usefully (near 1 for clear names, lower where the decoder
/// hesitated between types or boundaries).
///
/// Design choice: the recursion runs in probability space with one
/// normalisation per word (Rabiner's scaled forward-backward), in f64, with
/// each word's emissions shifted by their maximum before `exp`: `n * t`
/// exponentials instead of `2 * n * t * t`, and no allocation per cell.
pub fn posteriors(tags: &[Tag], em: &[f32], trans: &[f32]) -> Vec<f32> {
    let t = tags.len();
    if t == 0 || em.len() < t {
        return Vec::new();
    }
    let n = em.len() / t;
    // legal transitions as potentials exp(score), 0 when illegal
    let tmax = trans.iter().copied().fold(0f32, f32::max) as f64;
    let pot = |p: Option<usize>, c: usize| -> f64 {
        let row = p.unwrap_or(t);
        if !tags[c].may_follow(p.map(|k| tags[k])) {
            return 0.0;
        }
        let s = trans.get(row * t + c).copied().unwrap_or(0.0) as f64;
        (s - tmax).exp()
    };
    let tp: Vec<f64> = (0..t * t).map(|k| pot(Some(k / t), k % t)).collect();
    let start: Vec<f64> = (0..t).map(|c| pot(None, c)).collect();
    // emission potentials, each word scaled by its best score
    let mut e = vec![0f64; n * t];
    for i in 0..n {
        let row = &em[i * t..i * t + t];
        let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
        for c in 0..t {
            e[i * t + c] = (row[c] as f64 - m).exp();
        }
    }
    let mut alpha = vec![0f64; n * t];
    let mut scale = vec![1f64; n];
    let normalise = |v: &mut [f64]| -> f64 {
        let z: f64 = v.iter().sum();
        if z > 0.0 && z.is_finite() {
            v.iter_mut().for_each(|x| *x /= z);
            z
        } else {
            1.0
        }
    };
    for c in 0..t {
        alpha[c] = start[c] * e[c];
    }
    scale[0] = normalise(&mut alpha[..t]);
    for i in 1..n {
        let (prev, cur) = alpha.split_at_mut(i * t);
        let prev = &prev[(i - 1) * t..];
        let cur = &mut cur[..t];
        for c in 0..t {
            let s: f64 = (0..t).map(|p| prev[p] * tp[p * t + c]).sum();
            cur[c] = s * e[i * t + c];
        }
        scale[i] = normalise(cur);
    }
    let mut beta = vec![0f64; n * t];
    for c in 0..t {
        beta[(n - 1) * t + c] = if tags[c].may_end() { 1.0 } else { 0.0 };
    }
    for i in (0..n - 1).rev() {
        let (cur, next) = beta.split_at_mut((i + 1) * t);
        let cur = &mut cur[i * t..];
        let next = &next[..t];
        for p in 0..t {
            cur[p] = (0..t)
                .map(|c| tp[p * t + c] * e[(i + 1) * t + c] * next[c])
                .sum::<f64>()
                / scale[i + 1];
        }
    }
    // the last word's marginals (alpha * beta) sum to the share of paths that
    // may end there; normalising every word by it gives the marginals
    let z: f64 = (0..t)
        .map(|c| alpha[(n - 1) * t + c] * beta[(n - 1) * t + c])
        .sum();
    (0..n * t)
        .map(|k| {
            let v = alpha[k] * beta[k];
            if z > 0.0 && v.is_finite() {
                (v / z).clamp(0.0, 1.0) as f32
            } else {
                0.0
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
    fn posteriors_equal_brute_force_marginals() {
        let tags = tagset();
        let t = tags.len();
        let n = 3;
        // arbitrary but fixed scores, large enough to need the scaling
        let em: Vec<f32> = (0..n * t)
            .map(|k| ((k * 7 % 11) as f32) * 4.0 - 20.0)
            .collect();
        let trans: Vec<f32> = (0..(t + 1) * t)
            .map(|k| ((k * 5 % 9) as f32) - 4.0)
            .collect();
        let mut marg = vec![0f64; n * t];
        let mut z = 0f64;
        for a in 0..t {
            for b in 0..t {
                for c in 0..t {
                    let path = [a, b, c];
                    let legal = tags[a].may_follow(None)
                        && tags[b].may_follow(Some(tags[a]))
                        && tags[c].may_follow(Some(tags[b]))
                        && tags[c].may_end();
                    if !legal {
                        continue;
                    }
                    let mut s = (em[a] + trans[t * t + a]) as f64;
                    s += (em[t + b] + trans[a * t + b]) as f64;
                    s += (em[2 * t + c] + trans[b * t + c]) as f64;
                    let w = s.exp();
                    z += w;
                    for (i, &k) in path.iter().enumerate() {
                        marg[i * t + k] += w;
                    }
                }
            }
        }
        let post = posteriors(&tags, &em, &trans);
        for k in 0..n * t {
            let want = marg[k] / z;
            assert!(
                (post[k] as f64 - want).abs() < 1e-4,
                "cell {k}: {} vs {want}",
                post[k]
            );
        }
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
