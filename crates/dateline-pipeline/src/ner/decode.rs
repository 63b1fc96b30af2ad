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
    Lattice::build(tags, trans, false).viterbi(em)
}

/// Posterior probability of each (word, tag) under a linear-chain model
/// whose log-potentials are the scores (forward-backward over the legal
/// lattice). Perceptron scores are not calibrated; these marginals still
/// rank spans usefully (near 1 for clear names, lower where the decoder
/// hesitated between types or boundaries).
pub fn posteriors(tags: &[Tag], em: &[f32], trans: &[f32]) -> Vec<f32> {
    Lattice::new(tags, trans).posteriors(em)
}

/// The tag lattice of a model, prepared once: the legal predecessors and
/// successors of every tag and the transition potentials, so that decoding
/// a sentence visits only legal transitions and computes no transition
/// exponential.
///
/// Design choice: BILOU forbids most transitions (an `I-PER` follows only
/// `B-PER` or `I-PER`), so of the 17 x 17 pairs of the shipped models 97
/// are legal. The sums skip the illegal pairs but keep the order of the
/// legal ones, so the results are bit for bit those of the dense loops
/// (an illegal pair only ever added an exact zero, and every tag keeps at
/// least one term).
#[derive(Debug, Clone, PartialEq)]
pub struct Lattice {
    t: usize,
    /// Transition scores, `(t + 1) * t` (missing cells read as 0).
    tr: Vec<f32>,
    /// Tags legal at the start and at the end of a sentence.
    start_ok: Vec<bool>,
    end_ok: Vec<bool>,
    /// The Viterbi maxima: tags grouped by their legal predecessors, with
    /// the transition scores (`via.len() x members.len()`).
    vit: Vec<VitGroup>,
    /// The forward sums: tags grouped by the predecessors they read (the
    /// legal ones, or every tag when none is legal, as the dense sum did).
    fwd: Vec<Group>,
    /// The backward sums: tags grouped by the successors they read.
    bwd: Vec<Group>,
    /// Start potentials.
    start: Vec<f64>,
    /// Transition potentials, `t * t` (row: previous tag).
    tp: Vec<f64>,
}

/// Tags whose forward (or backward) sums read the same tags in the same
/// order, so that their sums run side by side: under BILOU, O, B-* and U-*
/// all follow O, L-* and U-*, and I-X and L-X both follow B-X and I-X.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    members: Vec<usize>,
    /// The tags read, in increasing order.
    via: Vec<usize>,
    /// `pot(member, via)` for each via tag (rows) and member (columns).
    w: Vec<f64>,
}

/// Tags with the same legal predecessors, for the Viterbi maxima.
#[derive(Debug, Clone, PartialEq)]
struct VitGroup {
    members: Vec<usize>,
    via: Vec<usize>,
    /// `tr[via][member]`.
    tr: Vec<f32>,
}

impl VitGroup {
    /// Each member's best predecessor (the first of the best scores, in
    /// the order of `via`), its score and the member's own, side by side.
    #[inline(always)]
    fn best<const M: usize>(&self, prev: &[f32], cur: &mut [f32], emi: &[f32], back: &mut [usize]) {
        let mut best = [NEG; M];
        let mut arg = [0usize; M];
        for (&p, trs) in self.via.iter().zip(self.tr.chunks_exact(M)) {
            let s = prev[p];
            if s <= NEG {
                continue;
            }
            for ((b, a), tr) in best.iter_mut().zip(arg.iter_mut()).zip(trs) {
                let v = s + tr;
                if v > *b {
                    *b = v;
                    *a = p;
                }
            }
        }
        for ((&c, b), a) in self.members.iter().zip(best).zip(arg) {
            if b > NEG {
                cur[c] = b + emi[c];
                back[c] = a;
            }
        }
    }
}

impl Group {
    /// `acc[j] = sum over via v (in order) of term(x(v), w[v][j])`,
    /// starting from +0: with the shipped tag sets' group sizes the sums
    /// stay in registers.
    #[inline(always)]
    fn sums<X: Copy>(&self, acc: &mut [f64], x: impl Fn(usize) -> X, term: impl Fn(X, f64) -> f64) {
        #[inline(always)]
        fn fixed<const M: usize, X: Copy>(
            g: &Group,
            acc: &mut [f64],
            x: impl Fn(usize) -> X,
            term: impl Fn(X, f64) -> f64,
        ) {
            let mut a = [0f64; M];
            for (&v, w) in g.via.iter().zip(g.w.chunks_exact(M)) {
                let xv = x(v);
                for (aj, wj) in a.iter_mut().zip(w) {
                    *aj += term(xv, *wj);
                }
            }
            acc.copy_from_slice(&a);
        }
        match acc.len() {
            9 => fixed::<9, X>(self, acc, x, term),
            2 => fixed::<2, X>(self, acc, x, term),
            m => {
                acc.iter_mut().for_each(|a| *a = 0.0);
                for (&v, w) in self.via.iter().zip(self.w.chunks_exact(m)) {
                    let xv = x(v);
                    for (a, w) in acc.iter_mut().zip(w) {
                        *a += term(xv, *w);
                    }
                }
            }
        }
    }

    /// Groups the tags by their lists; `pot(member, via)`.
    fn all(lists: &[Vec<usize>], pot: impl Fn(usize, usize) -> f64) -> Vec<Group> {
        let mut out: Vec<Group> = Vec::new();
        for (k, via) in lists.iter().enumerate() {
            match out.iter_mut().find(|g| &g.via == via) {
                Some(g) => g.members.push(k),
                None => out.push(Group {
                    members: vec![k],
                    via: via.clone(),
                    w: Vec::new(),
                }),
            }
        }
        for g in &mut out {
            g.w = g
                .via
                .iter()
                .flat_map(|&v| g.members.iter().map(move |&m| (m, v)))
                .map(|(m, v)| pot(m, v))
                .collect();
        }
        out
    }
}

impl Lattice {
    pub fn new(tags: &[Tag], trans: &[f32]) -> Lattice {
        Lattice::build(tags, trans, true)
    }

    /// `potentials`: whether [`Lattice::posteriors`] will be called (the
    /// potentials cost `t * t` exponentials).
    fn build(tags: &[Tag], trans: &[f32], potentials: bool) -> Lattice {
        let t = tags.len();
        let tr: Vec<f32> = (0..(t + 1) * t)
            .map(|k| trans.get(k).copied().unwrap_or(0.0))
            .collect();
        let start_ok: Vec<bool> = tags.iter().map(|c| c.may_follow(None)).collect();
        let end_ok: Vec<bool> = tags.iter().map(|c| c.may_end()).collect();
        let preds: Vec<Vec<usize>> = (0..t)
            .map(|c| {
                (0..t)
                    .filter(|&p| tags[c].may_follow(Some(tags[p])))
                    .collect()
            })
            .collect();
        let or_all = |v: Vec<usize>| if v.is_empty() { (0..t).collect() } else { v };
        let fwd_of: Vec<Vec<usize>> = preds.iter().cloned().map(or_all).collect();
        let vit = Group::all(&preds, |c, p| f64::from(tr[p * t + c]))
            .into_iter()
            .map(|g| VitGroup {
                tr: g
                    .via
                    .iter()
                    .flat_map(|&p| g.members.iter().map(move |&c| (p, c)))
                    .map(|(p, c)| tr[p * t + c])
                    .collect(),
                members: g.members,
                via: g.via,
            })
            .collect();
        let bwd_of: Vec<Vec<usize>> = (0..t)
            .map(|p| {
                or_all(
                    (0..t)
                        .filter(|&c| tags[c].may_follow(Some(tags[p])))
                        .collect(),
                )
            })
            .collect();
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
        let (tp, start): (Vec<f64>, Vec<f64>) = if potentials {
            (
                (0..t * t).map(|k| pot(Some(k / t), k % t)).collect(),
                (0..t).map(|c| pot(None, c)).collect(),
            )
        } else {
            (vec![0.0; t * t], vec![0.0; t])
        };
        // the potentials each group multiplies, `via.len() x members.len()`
        let fwd = Group::all(&fwd_of, |c, p| tp[p * t + c]);
        let bwd = Group::all(&bwd_of, |p, c| tp[p * t + c]);
        Lattice {
            t,
            tr,
            start_ok,
            end_ok,
            vit,
            fwd,
            bwd,
            start,
            tp,
        }
    }

    /// Number of tags.
    pub fn len(&self) -> usize {
        self.t
    }

    pub fn is_empty(&self) -> bool {
        self.t == 0
    }

    /// The best legal tag sequence for `em` (`n * t` emission scores).
    pub fn viterbi(&self, em: &[f32]) -> Vec<usize> {
        let t = self.t;
        if t == 0 || em.len() < t {
            return Vec::new();
        }
        let n = em.len() / t;
        let tr = &self.tr;
        let mut score = vec![NEG; n * t];
        let mut back = vec![0usize; n * t];
        for c in 0..t {
            if self.start_ok[c] {
                score[c] = em[c] + tr[t * t + c];
            }
        }
        for i in 1..n {
            let (prev, cur) = score.split_at_mut(i * t);
            let prev = &prev[(i - 1) * t..];
            let cur = &mut cur[..t];
            let emi = &em[i * t..i * t + t];
            let backi = &mut back[i * t..i * t + t];
            for g in &self.vit {
                match g.members.len() {
                    9 => g.best::<9>(prev, cur, emi, backi),
                    2 => g.best::<2>(prev, cur, emi, backi),
                    1 => g.best::<1>(prev, cur, emi, backi),
                    _ => {
                        for (j, &c) in g.members.iter().enumerate() {
                            let mut best = NEG;
                            let mut arg = 0;
                            for (k, &p) in g.via.iter().enumerate() {
                                let s = prev[p];
                                if s <= NEG {
                                    continue;
                                }
                                let v = s + g.tr[k * g.members.len() + j];
                                if v > best {
                                    best = v;
                                    arg = p;
                                }
                            }
                            if best > NEG {
                                cur[c] = best + emi[c];
                                backi[c] = arg;
                            }
                        }
                    }
                }
            }
        }
        let mut last = 0;
        let mut best = f32::NEG_INFINITY;
        for c in 0..t {
            let s = score[(n - 1) * t + c];
            if self.end_ok[c] && s > best {
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

    /// Posterior probability of each (word, tag), `n * t` (see
    /// [`posteriors`]).
    ///
    /// Design choice: the recursion runs in probability space with one
    /// normalisation per word (Rabiner's scaled forward-backward), in f64,
    /// with each word's emissions shifted by their maximum before `exp`:
    /// `n * t` exponentials per sentence (the transition potentials are the
    /// lattice's), and no allocation per cell.
    pub fn posteriors(&self, em: &[f32]) -> Vec<f32> {
        let Some((alpha, beta, z)) = self.forward_backward(em, 0) else {
            return Vec::new();
        };
        (0..alpha.len())
            .map(|k| marginal(alpha[k], beta[k], z))
            .collect()
    }

    /// The posterior of each word's tag on `path` (as [`Lattice::posteriors`]
    /// gives it), for the words from `from` on (0 before).
    pub fn path_posteriors(&self, em: &[f32], path: &[usize], from: usize) -> Vec<f32> {
        match self.forward(em) {
            Some(fwd) => self.path_posteriors_after(fwd, path, from),
            None => Vec::new(),
        }
    }

    /// The probability of `path` (a legal path, as [`Lattice::viterbi`]
    /// gives) among all the sentence's paths, from the forward pass alone.
    /// Every tag on the path has a posterior at least this high (its
    /// marginal sums over every path through it, this one included), so a
    /// caller that only asks whether the path's spans reach a posterior
    /// threshold can skip the backward pass when this already does.
    pub fn path_probability(&self, fwd: &Forward, path: &[usize]) -> f64 {
        let t = self.t;
        let n = fwd.scale.len();
        if t == 0 || path.len() != n || n == 0 {
            return 0.0;
        }
        // log of the path's potential in the forward pass's units (each
        // word's emissions shifted by their maximum) minus log Z
        let mut lp = 0.0f64;
        for (i, &c) in path.iter().enumerate() {
            let Some(&x) = fwd.e.get(i * t + c) else {
                return 0.0;
            };
            let link = if i == 0 {
                self.start.get(c).copied().unwrap_or(0.0)
            } else {
                self.tp.get(path[i - 1] * t + c).copied().unwrap_or(0.0)
            };
            lp += (x * link).ln() - fwd.scale[i].ln();
        }
        if !path
            .last()
            .is_some_and(|&c| self.end_ok.get(c).copied().unwrap_or(false))
        {
            return 0.0;
        }
        let last = &fwd.alpha[(n - 1) * t..n * t];
        let end: f64 = (0..t).filter(|&c| self.end_ok[c]).map(|c| last[c]).sum();
        let p = (lp - end.ln()).exp();
        if p.is_finite() {
            p
        } else {
            0.0
        }
    }

    /// The scaled forward pass (Rabiner): each word's emission potentials
    /// (shifted by the word's best score), the forward values normalised
    /// per word, and the normalisers.
    pub fn forward(&self, em: &[f32]) -> Option<Forward> {
        let t = self.t;
        if t == 0 || em.len() < t {
            return None;
        }
        let n = em.len() / t;
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
        let mut acc = vec![0f64; t];
        for c in 0..t {
            alpha[c] = self.start[c] * e[c];
        }
        scale[0] = normalise(&mut alpha[..t]);
        for i in 1..n {
            let (prev, cur) = alpha.split_at_mut(i * t);
            let prev = &prev[(i - 1) * t..];
            let cur = &mut cur[..t];
            let ei = &e[i * t..i * t + t];
            for g in &self.fwd {
                // every member's sum over the same predecessors, in their
                // order: the members' sums advance side by side
                let m = g.members.len();
                let acc = &mut acc[..m];
                g.sums(acc, |p| prev[p], |x, w| x * w);
                for (&c, a) in g.members.iter().zip(acc.iter()) {
                    cur[c] = a * ei[c];
                }
            }
            scale[i] = normalise(cur);
        }
        Some(Forward { e, alpha, scale })
    }

    /// Scaled forward and backward values and the normaliser of the
    /// marginals; the backward pass stops at word `from`.
    #[allow(clippy::type_complexity)]
    fn forward_backward(&self, em: &[f32], from: usize) -> Option<(Vec<f64>, Vec<f64>, f64)> {
        let fwd = self.forward(em)?;
        Some(self.backward(fwd, from))
    }

    /// The backward pass over a forward pass, down to word `from`: the
    /// forward values, the backward values and the normaliser of the
    /// marginals.
    fn backward(&self, fwd: Forward, from: usize) -> (Vec<f64>, Vec<f64>, f64) {
        let t = self.t;
        let Forward { e, alpha, scale } = fwd;
        let n = scale.len();
        let mut acc = vec![0f64; t];
        let mut beta = vec![0f64; n * t];
        if n == 0 {
            return (alpha, beta, 0.0);
        }
        for c in 0..t {
            beta[(n - 1) * t + c] = if self.end_ok[c] { 1.0 } else { 0.0 };
        }
        for i in (from.min(n - 1)..n - 1).rev() {
            let (cur, next) = beta.split_at_mut((i + 1) * t);
            let cur = &mut cur[i * t..];
            let next = &next[..t];
            let en = &e[(i + 1) * t..(i + 2) * t];
            for g in &self.bwd {
                let m = g.members.len();
                let acc = &mut acc[..m];
                g.sums(acc, |c| (en[c], next[c]), |(y, z), w| w * y * z);
                for (&p, a) in g.members.iter().zip(acc.iter()) {
                    cur[p] = a / scale[i + 1];
                }
            }
        }
        // the last word's marginals (alpha * beta) sum to the share of paths
        // that may end there; normalising every word by it gives the marginals
        let z: f64 = (0..t)
            .map(|c| alpha[(n - 1) * t + c] * beta[(n - 1) * t + c])
            .sum();
        (alpha, beta, z)
    }

    /// The posterior of each word's tag on `path`, for the words from
    /// `from` on (0 before), from a forward pass ([`Lattice::forward`]).
    pub fn path_posteriors_after(&self, fwd: Forward, path: &[usize], from: usize) -> Vec<f32> {
        let t = self.t;
        let (alpha, beta, z) = self.backward(fwd, from);
        path.iter()
            .enumerate()
            .map(|(i, &c)| {
                let k = i * t + c;
                match (alpha.get(k), beta.get(k)) {
                    (Some(&a), Some(&b)) if i >= from && c < t => marginal(a, b, z),
                    _ => 0.0,
                }
            })
            .collect()
    }
}

/// A scaled forward pass ([`Lattice::forward`]).
#[derive(Debug, Clone)]
pub struct Forward {
    /// Emission potentials, `n * t`.
    e: Vec<f64>,
    /// Forward values, each word's normalised to sum 1.
    alpha: Vec<f64>,
    /// Each word's normaliser.
    scale: Vec<f64>,
}

/// Normalises `v` to sum 1; its sum (1 when it is 0 or not finite, and
/// `v` is left as it is).
fn normalise(v: &mut [f64]) -> f64 {
    let z: f64 = v.iter().sum();
    if z > 0.0 && z.is_finite() {
        v.iter_mut().for_each(|x| *x /= z);
        z
    } else {
        1.0
    }
}

/// One marginal from the scaled forward and backward values.
fn marginal(a: f64, b: f64, z: f64) -> f32 {
    let v = a * b;
    if z > 0.0 && v.is_finite() {
        (v / z).clamp(0.0, 1.0) as f32
    } else {
        0.0
    }
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

    /// The dense loops the lattice replaced, kept as the reference.
    fn dense_viterbi(tags: &[Tag], em: &[f32], trans: &[f32]) -> Vec<usize> {
        let t = tags.len();
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
                let (mut best, mut arg) = (NEG, 0);
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
        let (mut last, mut best) = (0, f32::NEG_INFINITY);
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

    fn dense_posteriors(tags: &[Tag], em: &[f32], trans: &[f32]) -> Vec<f32> {
        let t = tags.len();
        let n = em.len() / t;
        let tmax = trans.iter().copied().fold(0f32, f32::max) as f64;
        let pot = |p: Option<usize>, c: usize| -> f64 {
            let row = p.unwrap_or(t);
            if !tags[c].may_follow(p.map(|k| tags[k])) {
                return 0.0;
            }
            ((trans.get(row * t + c).copied().unwrap_or(0.0) as f64) - tmax).exp()
        };
        let tp: Vec<f64> = (0..t * t).map(|k| pot(Some(k / t), k % t)).collect();
        let mut e = vec![0f64; n * t];
        for i in 0..n {
            let row = &em[i * t..i * t + t];
            let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
            for c in 0..t {
                e[i * t + c] = (row[c] as f64 - m).exp();
            }
        }
        let normalise = |v: &mut [f64]| -> f64 {
            let z: f64 = v.iter().sum();
            if z > 0.0 && z.is_finite() {
                v.iter_mut().for_each(|x| *x /= z);
                z
            } else {
                1.0
            }
        };
        let mut alpha = vec![0f64; n * t];
        let mut scale = vec![1f64; n];
        for c in 0..t {
            alpha[c] = pot(None, c) * e[c];
        }
        scale[0] = normalise(&mut alpha[..t]);
        for i in 1..n {
            for c in 0..t {
                let s: f64 = (0..t).map(|p| alpha[(i - 1) * t + p] * tp[p * t + c]).sum();
                alpha[i * t + c] = s * e[i * t + c];
            }
            scale[i] = normalise(&mut alpha[i * t..i * t + t]);
        }
        let mut beta = vec![0f64; n * t];
        for c in 0..t {
            beta[(n - 1) * t + c] = if tags[c].may_end() { 1.0 } else { 0.0 };
        }
        for i in (0..n - 1).rev() {
            for p in 0..t {
                beta[i * t + p] = (0..t)
                    .map(|c| tp[p * t + c] * e[(i + 1) * t + c] * beta[(i + 1) * t + c])
                    .sum::<f64>()
                    / scale[i + 1];
            }
        }
        let z: f64 = (0..t)
            .map(|c| alpha[(n - 1) * t + c] * beta[(n - 1) * t + c])
            .sum();
        (0..n * t).map(|k| marginal(alpha[k], beta[k], z)).collect()
    }

    /// Pseudo-random scores in [-scale/2, scale/2) (xorshift64).
    fn xorshift(mut seed: u64) -> impl FnMut(f32) -> f32 {
        move |scale: f32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            ((seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * scale
        }
    }

    #[test]
    fn lattice_equals_the_dense_loops_bit_for_bit() {
        let mut names = vec!["O".to_string()];
        for ty in TYPES {
            for p in ["B", "I", "L", "U"] {
                names.push(format!("{p}-{ty}"));
            }
        }
        names.sort();
        let tags: Vec<Tag> = names.iter().map(|s| Tag::parse(s)).collect();
        let t = tags.len();
        let mut rnd = xorshift(0x2545_f491_4f6c_dd1d);
        for round in 0..200 {
            let n = 1 + round % 23;
            let scale = if round % 3 == 0 { 60.0 } else { 8.0 };
            let trans: Vec<f32> = (0..(t + 1) * t).map(|_| rnd(6.0)).collect();
            let em: Vec<f32> = (0..n * t).map(|_| rnd(scale)).collect();
            let lat = Lattice::new(&tags, &trans);
            let path = lat.viterbi(&em);
            assert_eq!(path, dense_viterbi(&tags, &em, &trans));
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            let dense = dense_posteriors(&tags, &em, &trans);
            assert_eq!(bits(&lat.posteriors(&em)), bits(&dense));
            let from = round % n;
            let on_path: Vec<f32> = path
                .iter()
                .enumerate()
                .map(|(i, &c)| if i >= from { dense[i * t + c] } else { 0.0 })
                .collect();
            assert_eq!(bits(&lat.path_posteriors(&em, &path, from)), bits(&on_path));
        }
    }

    /// The path probability equals exp(path score) / Z summed over every
    /// legal path (enumerated), and no tag on the path has a lower
    /// posterior.
    #[test]
    fn path_probability_is_the_paths_share_and_bounds_its_posteriors() {
        let mut names = vec!["O".to_string()];
        for ty in ["PER", "LOC"] {
            for p in ["B", "I", "L", "U"] {
                names.push(format!("{p}-{ty}"));
            }
        }
        let tags: Vec<Tag> = names.iter().map(|s| Tag::parse(s)).collect();
        let t = tags.len();
        let mut rnd = xorshift(0x9e37_79b9_7f4a_7c15);
        for round in 0..30 {
            let n = 1 + round % 4;
            let trans: Vec<f32> = (0..(t + 1) * t).map(|_| rnd(6.0)).collect();
            let em: Vec<f32> = (0..n * t)
                .map(|_| rnd(if round % 2 == 0 { 20.0 } else { 4.0 }))
                .collect();
            let lat = Lattice::new(&tags, &trans);
            let path = lat.viterbi(&em);
            // every legal path, enumerated
            let score = |p: &[usize]| -> Option<f64> {
                let mut s = 0f64;
                for (i, &c) in p.iter().enumerate() {
                    let prev = if i == 0 { None } else { Some(tags[p[i - 1]]) };
                    if !tags[c].may_follow(prev) {
                        return None;
                    }
                    let row = if i == 0 { t } else { p[i - 1] };
                    s += f64::from(em[i * t + c]) + f64::from(trans[row * t + c]);
                }
                tags[p[p.len() - 1]].may_end().then_some(s)
            };
            let mut z = 0f64;
            let mut p = vec![0usize; n];
            loop {
                if let Some(s) = score(&p) {
                    z += s.exp();
                }
                let mut k = 0;
                while k < n && p[k] + 1 == t {
                    p[k] = 0;
                    k += 1;
                }
                if k == n {
                    break;
                }
                p[k] += 1;
            }
            let want = score(&path).map(|s| s.exp() / z).unwrap_or(0.0);
            let fwd = lat.forward(&em).expect("forward");
            let got = lat.path_probability(&fwd, &path);
            assert!(
                (got - want).abs() <= 1e-9 * want.max(1e-300),
                "{got} {want}"
            );
            let post = lat.path_posteriors(&em, &path, 0);
            assert!(
                post.iter().all(|&q| f64::from(q) >= got - 1e-6),
                "{post:?} {got}"
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
