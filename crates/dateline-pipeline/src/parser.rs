//! Labelled dependency parsing: a greedy arc-hybrid transition parser
//! trained with a dynamic oracle and exploration.
//!
//! Design choice: arc-hybrid (Kuhlmann et al. 2011) because its dynamic
//! oracle is arc-decomposable and cheap (Goldberg & Nivre 2013): the cost of
//! a transition is the number of gold arcs it makes unreachable. Training
//! updates the averaged perceptron towards the best-scoring zero-cost
//! transition and, after the first epoch, follows the model's own (possibly
//! wrong) prediction with probability 0.9, so the parser learns to recover
//! from its mistakes. Transitions and labels are predicted jointly
//! (SHIFT, LEFT-l, RIGHT-l) with the rich non-local feature set of Zhang &
//! Nivre (2011): stack/buffer words and UPOS, left/right-most children and
//! their labels, distance, valency and label sets.
//!
//! The root (node 0) sits at the bottom of the stack and may take its one
//! dependent only as the very last transition, labelled `root`, so every
//! output is a single-rooted tree over all words; there are no leftovers to
//! repair.
//!
//! Model file: gzip of `DLDP` + version + a perceptron model whose classes
//! are `SHIFT`, `L:<label>`… and `R:<label>`… in label order.

use crate::error::{Error, Result};
use crate::ml::perceptron::{feature, Model, Trainer};
use std::hash::Hasher;
use std::io::{Read, Write};

const MAGIC: &[u8; 4] = b"DLDP";
const VERSION: u32 = 1;
const NONE: usize = usize::MAX;
const ROOT_LABEL: &str = "root";

/// A sentence for training: words, UPOS tags, gold heads (0 = root,
/// otherwise 1-based word index) and deprels, one per word.
#[derive(Debug, Clone)]
pub struct TrainSentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
    pub heads: Vec<usize>,
    pub deprels: Vec<String>,
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    /// Probability of following a wrong prediction (exploration).
    pub explore_p: f64,
    /// Epochs trained with the (dynamic) oracle only, before exploring.
    pub explore_after: usize,
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 15,
            explore_p: 0.9,
            explore_after: 1,
            seed: 0x9e37_79b9_7f4a_7c15,
        }
    }
}

/// The parse of one sentence: for word `i` (0-based), `heads[i]` is its head
/// (0 = root, else 1-based word index) and `deprels[i]` its relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parse<'a> {
    pub heads: Vec<usize>,
    pub deprels: Vec<&'a str>,
}

/// A trained parser.
pub struct Parser {
    model: Model,
    labels: Vec<String>,
    root: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Shift,
    Left(usize),
    Right(usize),
}

fn action(class: usize, n_labels: usize) -> Action {
    if class == 0 {
        Action::Shift
    } else if class <= n_labels {
        Action::Left(class - 1)
    } else {
        Action::Right(class - 1 - n_labels)
    }
}

/// A parser configuration. Nodes are 0 (root) ..= n.
struct State {
    n: usize,
    stack: Vec<usize>,
    /// First word of the buffer; the buffer is empty when `b > n`.
    b: usize,
    head: Vec<usize>,
    /// Label id + 1 (0 = none).
    label: Vec<u32>,
    lc: Vec<[usize; 2]>,
    rc: Vec<[usize; 2]>,
    nl: Vec<u32>,
    nr: Vec<u32>,
    lset: Vec<u128>,
    rset: Vec<u128>,
}

impl State {
    fn new(n: usize) -> State {
        State {
            n,
            stack: vec![0],
            b: 1,
            head: vec![NONE; n + 1],
            label: vec![0; n + 1],
            lc: vec![[NONE; 2]; n + 1],
            rc: vec![[NONE; 2]; n + 1],
            nl: vec![0; n + 1],
            nr: vec![0; n + 1],
            lset: vec![0; n + 1],
            rset: vec![0; n + 1],
        }
    }

    fn terminal(&self) -> bool {
        self.b > self.n && self.stack.len() <= 1
    }

    fn s(&self, k: usize) -> usize {
        if k < self.stack.len() {
            self.stack[self.stack.len() - 1 - k]
        } else {
            NONE
        }
    }

    fn buf(&self, k: usize) -> usize {
        if self.b + k <= self.n {
            self.b + k
        } else {
            NONE
        }
    }

    fn add_arc(&mut self, h: usize, d: usize, lab: usize) {
        self.head[d] = h;
        self.label[d] = lab as u32 + 1;
        let bit = 1u128 << (lab % 128);
        if d < h {
            self.nl[h] += 1;
            self.lset[h] |= bit;
            let c = &mut self.lc[h];
            if c[0] == NONE || d < c[0] {
                c[1] = c[0];
                c[0] = d;
            } else if c[1] == NONE || d < c[1] {
                c[1] = d;
            }
        } else {
            self.nr[h] += 1;
            self.rset[h] |= bit;
            let c = &mut self.rc[h];
            if c[0] == NONE || d > c[0] {
                c[1] = c[0];
                c[0] = d;
            } else if c[1] == NONE || d > c[1] {
                c[1] = d;
            }
        }
    }

    fn apply(&mut self, a: Action) {
        match a {
            Action::Shift => {
                if self.b <= self.n {
                    self.stack.push(self.b);
                    self.b += 1;
                }
            }
            Action::Left(l) => {
                if self.stack.len() >= 2 && self.b <= self.n {
                    if let Some(s0) = self.stack.pop() {
                        self.add_arc(self.b, s0, l);
                    }
                }
            }
            Action::Right(l) => {
                if self.stack.len() >= 2 {
                    if let Some(s0) = self.stack.pop() {
                        let s1 = self.s(0);
                        self.add_arc(s1, s0, l);
                    }
                }
            }
        }
    }

    /// Unlabelled costs of SHIFT, LEFT and RIGHT (Goldberg & Nivre 2013):
    /// gold arcs that become unreachable. `None` when not applicable.
    fn costs(&self, gold: &[usize]) -> [usize; 3] {
        let n = self.n;
        let g = |i: usize| gold.get(i).copied().unwrap_or(NONE);
        let mut c = [0usize; 3];
        let s0 = self.s(0);
        let in_buf = |x: usize| x != NONE && x >= self.b && x <= n;
        if self.b <= n {
            let b0 = self.b;
            let hb = g(b0);
            // b0 can no longer take a head below s0 nor dependents in the stack
            let mut k = 0;
            for (i, &x) in self.stack.iter().enumerate() {
                if i + 1 < self.stack.len() && x == hb {
                    k += 1;
                }
                if g(x) == b0 {
                    k += 1;
                }
            }
            c[0] = k;
        }
        if self.stack.len() >= 2 {
            let s1 = self.s(1);
            let hs = g(s0);
            let deps = (self.b..=n).filter(|&d| g(d) == s0).count();
            // LEFT: s0 gets head b0, loses a head in s1 | rest of buffer
            let lost_head_l = hs == s1 || (hs != NONE && hs > self.b && hs <= n);
            c[1] = deps + usize::from(lost_head_l);
            // RIGHT: s0 gets head s1, loses a head in the buffer
            c[2] = deps + usize::from(in_buf(hs));
        }
        c
    }
}

fn mix(t: u8, a: u64, b: u64, c: u64) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write_u8(t);
    h.write_u64(a);
    h.write_u64(b);
    h.write_u64(c);
    h.finish()
}

fn distance(a: usize, b: usize) -> u64 {
    if a == NONE || b == NONE {
        return 0;
    }
    let d = a.abs_diff(b);
    match d {
        0..=4 => d as u64 + 1,
        5..=6 => 6,
        7..=9 => 7,
        _ => 8,
    }
}

/// Per-sentence hashed word forms and tags (index 0 = root, last = none).
struct Lex {
    w: Vec<u64>,
    p: Vec<u64>,
    none_w: u64,
    none_p: u64,
}

impl Lex {
    fn new(words: &[&str], tags: &[&str]) -> Lex {
        let mut w = Vec::with_capacity(words.len() + 1);
        let mut p = Vec::with_capacity(words.len() + 1);
        w.push(feature(200, "<root>"));
        p.push(feature(201, "<root>"));
        for (i, word) in words.iter().enumerate() {
            let lower = word.to_lowercase();
            let norm: String = if lower.chars().any(|c| c.is_ascii_digit()) {
                lower
                    .chars()
                    .map(|c| if c.is_ascii_digit() { '0' } else { c })
                    .collect()
            } else {
                lower
            };
            w.push(feature(200, &norm));
            p.push(feature(201, tags.get(i).copied().unwrap_or("X")));
        }
        Lex {
            w,
            p,
            none_w: feature(200, "<none>"),
            none_p: feature(201, "<none>"),
        }
    }
    fn w(&self, i: usize) -> u64 {
        self.w.get(i).copied().unwrap_or(self.none_w)
    }
    fn p(&self, i: usize) -> u64 {
        self.p.get(i).copied().unwrap_or(self.none_p)
    }
}

/// Zhang & Nivre (2011) style features, adapted to arc-hybrid (s1 plays
/// the part of s0's head).
fn features(st: &State, lx: &Lex, out: &mut Vec<u64>) {
    out.clear();
    let s0 = st.s(0);
    let s1 = st.s(1);
    let s2 = st.s(2);
    let b0 = st.buf(0);
    let b1 = st.buf(1);
    let b2 = st.buf(2);
    let get = |v: &Vec<[usize; 2]>, i: usize, k: usize| -> usize {
        if i == NONE {
            NONE
        } else {
            v.get(i).map(|c| c[k]).unwrap_or(NONE)
        }
    };
    let lab = |i: usize| -> u64 {
        if i == NONE {
            0
        } else {
            u64::from(st.label.get(i).copied().unwrap_or(0))
        }
    };
    let cnt = |v: &Vec<u32>, i: usize| -> u64 {
        if i == NONE {
            0
        } else {
            u64::from(v.get(i).copied().unwrap_or(0)) + 1
        }
    };
    let set = |v: &Vec<u128>, i: usize| -> u64 {
        if i == NONE {
            0
        } else {
            let x = v.get(i).copied().unwrap_or(0);
            (x as u64) ^ ((x >> 64) as u64).rotate_left(17)
        }
    };
    let s0l = get(&st.lc, s0, 0);
    let s0l2 = get(&st.lc, s0, 1);
    let s0r = get(&st.rc, s0, 0);
    let s0r2 = get(&st.rc, s0, 1);
    let b0l = get(&st.lc, b0, 0);
    let b0l2 = get(&st.lc, b0, 1);
    let s1l = get(&st.lc, s1, 0);
    let s1r = get(&st.rc, s1, 0);
    let (s0w, s0p) = (lx.w(s0), lx.p(s0));
    let (s1w, s1p) = (lx.w(s1), lx.p(s1));
    let (b0w, b0p) = (lx.w(b0), lx.p(b0));
    let (b1w, b1p) = (lx.w(b1), lx.p(b1));
    let (b2w, b2p) = (lx.w(b2), lx.p(b2));
    let d = distance(s0, b0);
    let f = |t: u8, a: u64, b: u64, c: u64| mix(t, a, b, c);
    out.extend_from_slice(&[
        f(0, 0, 0, 0),
        // single words
        f(1, s0w, 0, 0),
        f(2, s0p, 0, 0),
        f(3, s0w, s0p, 0),
        f(4, b0w, 0, 0),
        f(5, b0p, 0, 0),
        f(6, b0w, b0p, 0),
        f(7, b1w, 0, 0),
        f(8, b1p, 0, 0),
        f(9, b1w, b1p, 0),
        f(10, b2w, 0, 0),
        f(11, b2p, 0, 0),
        f(12, s1w, 0, 0),
        f(13, s1p, 0, 0),
        f(14, s1w, s1p, 0),
        f(15, lx.p(s2), 0, 0),
        f(16, lx.w(s2), 0, 0),
        // pairs
        f(20, s0w, s0p, mix(0, b0w, b0p, 0)),
        f(21, s0w, s0p, b0w),
        f(22, s0w, b0w, b0p),
        f(23, s0w, s0p, b0p),
        f(24, s0p, b0w, b0p),
        f(25, s0w, b0w, 0),
        f(26, s0p, b0p, 0),
        f(27, b0p, b1p, 0),
        f(28, s1p, s0p, 0),
        f(29, s1w, s0w, 0),
        f(30, s1w, s1p, s0p),
        f(31, s1p, s0w, s0p),
        f(32, s1p, b0p, 0),
        f(33, s1w, b0w, 0),
        // triples
        f(40, b0p, b1p, b2p),
        f(41, s0p, b0p, b1p),
        f(42, s1p, s0p, b0p),
        f(43, s0p, lx.p(s0l), b0p),
        f(44, s0p, lx.p(s0r), b0p),
        f(45, s0p, b0p, lx.p(b0l)),
        f(46, lx.p(s2), s1p, s0p),
        f(47, s1p, lx.p(s1r), s0p),
        f(48, s1p, lx.p(s1l), s0p),
        f(49, s1p, s0p, b0w),
        // distance
        f(50, s0w, d, 0),
        f(51, s0p, d, 0),
        f(52, b0w, d, 0),
        f(53, b0p, d, 0),
        f(54, s0w, b0w, d),
        f(55, s0p, b0p, d),
        f(56, s1p, s0p, distance(s1, s0)),
        f(57, s1w, s0w, distance(s1, s0)),
        // valency
        f(60, s0w, cnt(&st.nr, s0), 0),
        f(61, s0p, cnt(&st.nr, s0), 0),
        f(62, s0w, cnt(&st.nl, s0), 0),
        f(63, s0p, cnt(&st.nl, s0), 0),
        f(64, b0w, cnt(&st.nl, b0), 0),
        f(65, b0p, cnt(&st.nl, b0), 0),
        f(66, s1p, cnt(&st.nr, s1), 0),
        f(67, s1p, cnt(&st.nl, s1), 0),
        // children
        f(70, lx.w(s0l), 0, 0),
        f(71, lx.p(s0l), 0, 0),
        f(72, lab(s0l), 0, 0),
        f(73, lx.w(s0r), 0, 0),
        f(74, lx.p(s0r), 0, 0),
        f(75, lab(s0r), 0, 0),
        f(76, lx.w(b0l), 0, 0),
        f(77, lx.p(b0l), 0, 0),
        f(78, lab(b0l), 0, 0),
        f(79, lx.w(s1r), 0, 0),
        f(80, lx.p(s1r), 0, 0),
        f(81, lab(s1r), 0, 0),
        f(82, lx.p(s1l), 0, 0),
        f(83, lab(s1l), 0, 0),
        f(84, s0p, lab(s0l), lab(s0r)),
        f(85, b0p, lab(b0l), 0),
        f(86, s1p, lab(s1l), lab(s1r)),
        // second-most children
        f(90, lx.w(s0l2), 0, 0),
        f(91, lx.p(s0l2), 0, 0),
        f(92, lab(s0l2), 0, 0),
        f(93, lx.w(s0r2), 0, 0),
        f(94, lx.p(s0r2), 0, 0),
        f(95, lab(s0r2), 0, 0),
        f(96, lx.w(b0l2), 0, 0),
        f(97, lx.p(b0l2), 0, 0),
        f(98, lab(b0l2), 0, 0),
        f(99, s0p, lx.p(s0l), lx.p(s0l2)),
        f(100, s0p, lx.p(s0r), lx.p(s0r2)),
        f(101, b0p, lx.p(b0l), lx.p(b0l2)),
        // label sets
        f(110, s0w, set(&st.rset, s0), 0),
        f(111, s0p, set(&st.rset, s0), 0),
        f(112, s0w, set(&st.lset, s0), 0),
        f(113, s0p, set(&st.lset, s0), 0),
        f(114, b0w, set(&st.lset, b0), 0),
        f(115, b0p, set(&st.lset, b0), 0),
    ]);
}

fn argmax_where(scores: &[f32], ok: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &x) in scores.iter().enumerate() {
        if ok(i) && best.is_none_or(|b| x > scores[b]) {
            best = Some(i);
        }
    }
    best
}

/// Transition system facts that depend on the label set.
struct System {
    n_labels: usize,
    root: Option<usize>,
}

impl System {
    fn n_classes(&self) -> usize {
        1 + 2 * self.n_labels
    }

    fn valid(&self, st: &State, class: usize) -> bool {
        match action(class, self.n_labels) {
            Action::Shift => st.b <= st.n,
            Action::Left(l) => st.stack.len() >= 2 && st.b <= st.n && Some(l) != self.root,
            Action::Right(l) => {
                if st.stack.len() < 2 {
                    return false;
                }
                if st.s(1) == 0 {
                    // the root takes its single dependent last
                    st.b > st.n && st.stack.len() == 2 && self.root.is_none_or(|r| r == l)
                } else {
                    Some(l) != self.root
                }
            }
        }
    }

    /// Labelled cost of `class` against the gold tree.
    fn cost(
        &self,
        st: &State,
        base: &[usize; 3],
        gh: &[usize],
        gl: &[usize],
        class: usize,
    ) -> usize {
        let s0 = st.s(0);
        let gold_head = gh.get(s0).copied().unwrap_or(NONE);
        let gold_lab = gl.get(s0).copied().unwrap_or(NONE);
        match action(class, self.n_labels) {
            Action::Shift => base[0],
            Action::Left(l) => base[1] + usize::from(gold_head == st.b && gold_lab != l),
            Action::Right(l) => base[2] + usize::from(gold_head == st.s(1) && gold_lab != l),
        }
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl Parser {
    /// The relation labels this parser predicts.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    fn system(&self) -> System {
        System {
            n_labels: self.labels.len(),
            root: self.root,
        }
    }

    /// Parses one sentence. Always returns a tree: one word attached to the
    /// root (labelled `root`), every other word to another word, no cycles.
    /// Missing tags count as `X`.
    pub fn parse(&self, words: &[&str], tags: &[&str]) -> Parse<'_> {
        let n = words.len();
        let sys = self.system();
        let lx = Lex::new(words, tags);
        let mut st = State::new(n);
        let mut feats = Vec::with_capacity(128);
        let mut scores = vec![0f32; self.model.n_classes()];
        let mut guard = 0;
        while !st.terminal() && guard <= 2 * n + 2 {
            guard += 1;
            features(&st, &lx, &mut feats);
            self.model.scores(&feats, &mut scores);
            let Some(c) = argmax_where(&scores, |c| sys.valid(&st, c)) else {
                break;
            };
            st.apply(action(c, sys.n_labels));
        }
        let fallback = self
            .root
            .and_then(|r| self.labels.get(r))
            .map(String::as_str)
            .unwrap_or(ROOT_LABEL);
        let dep = self
            .labels
            .iter()
            .find(|l| l.as_str() == "dep")
            .map(String::as_str)
            .unwrap_or("dep");
        let mut heads = Vec::with_capacity(n);
        let mut deprels = Vec::with_capacity(n);
        let mut root_word = None;
        for i in 1..=n {
            if st.head[i] == 0 && root_word.is_none() {
                root_word = Some(i);
            }
        }
        for i in 1..=n {
            let h = st.head[i];
            let lab = st.label[i] as usize;
            if h == NONE || (h == 0 && root_word != Some(i)) {
                // unreachable with a valid transition sequence; kept total
                match root_word {
                    Some(r) => {
                        heads.push(r);
                        deprels.push(dep);
                    }
                    None => {
                        root_word = Some(i);
                        heads.push(0);
                        deprels.push(fallback);
                    }
                }
            } else {
                heads.push(h);
                let l = lab
                    .checked_sub(1)
                    .and_then(|k| self.labels.get(k))
                    .map(String::as_str)
                    .unwrap_or(dep);
                deprels.push(if h == 0 { fallback } else { l });
            }
        }
        Parse { heads, deprels }
    }

    /// Trains a parser (deterministic: same data and options, same model).
    /// Sentences whose heads are not a tree over their words are skipped.
    pub fn train(sents: &[TrainSentence], opts: &TrainOptions) -> Parser {
        let mut labels: Vec<String> = sents
            .iter()
            .flat_map(|s| s.deprels.iter().cloned())
            .collect();
        labels.push(ROOT_LABEL.to_string());
        labels.sort();
        labels.dedup();
        let root = labels.iter().position(|l| l == ROOT_LABEL);
        let sys = System {
            n_labels: labels.len(),
            root,
        };
        let mut classes = vec!["SHIFT".to_string()];
        classes.extend(labels.iter().map(|l| format!("L:{l}")));
        classes.extend(labels.iter().map(|l| format!("R:{l}")));
        let mut trainer = Trainer::new(classes);
        let usable: Vec<usize> = (0..sents.len())
            .filter(|&k| is_tree(&sents[k].heads) && sents[k].words.len() == sents[k].heads.len())
            .collect();
        let gold: Vec<(Vec<usize>, Vec<usize>)> = sents
            .iter()
            .map(|s| {
                let mut gh = vec![NONE];
                gh.extend(s.heads.iter().copied());
                let mut gl = vec![NONE];
                gl.extend(
                    s.deprels
                        .iter()
                        .map(|d| labels.binary_search(d).unwrap_or(root.unwrap_or(0))),
                );
                (gh, gl)
            })
            .collect();
        let mut order = usable;
        let mut seed = Rng(opts.seed | 1);
        let mut explore_rng = Rng(opts.seed.rotate_left(32) | 1);
        let mut feats = Vec::with_capacity(128);
        let mut scores = Vec::new();
        for epoch in 0..opts.epochs {
            for i in (1..order.len()).rev() {
                let j = (seed.next() % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            let explore = epoch >= opts.explore_after;
            for &k in &order {
                let s = &sents[k];
                let (gh, gl) = &gold[k];
                let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
                let tags: Vec<&str> = s.tags.iter().map(String::as_str).collect();
                let lx = Lex::new(&words, &tags);
                let mut st = State::new(words.len());
                let mut guard = 0;
                while !st.terminal() && guard <= 2 * words.len() + 2 {
                    guard += 1;
                    features(&st, &lx, &mut feats);
                    trainer.predict(&feats, &mut scores);
                    let Some(guess) = argmax_where(&scores, |c| sys.valid(&st, c)) else {
                        break;
                    };
                    let base = st.costs(gh);
                    let cost = |c: usize| sys.cost(&st, &base, gh, gl, c);
                    let min = (0..sys.n_classes())
                        .filter(|&c| sys.valid(&st, c))
                        .map(cost)
                        .min()
                        .unwrap_or(0);
                    let Some(truth) =
                        argmax_where(&scores, |c| sys.valid(&st, c) && cost(c) == min)
                    else {
                        break;
                    };
                    trainer.update(&feats, truth, guess);
                    let next = if guess == truth || (explore && explore_rng.unit() < opts.explore_p)
                    {
                        guess
                    } else {
                        truth
                    };
                    st.apply(action(next, sys.n_labels));
                }
            }
        }
        Parser {
            model: trainer.average(),
            labels,
            root,
        }
    }

    /// Shrinks the model for storage (see [`Model::compact`]): weights below
    /// `min_abs` are dropped, the rest keep `mantissa_bits` bits of mantissa.
    /// Returns (feature rows kept, rows before).
    pub fn compact(&mut self, min_abs: f32, mantissa_bits: u32) -> (usize, usize) {
        self.model.compact(min_abs, mantissa_bits)
    }

    /// Serialises (gzip-compressed, deterministic).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&VERSION.to_le_bytes());
        raw.extend_from_slice(&self.model.to_bytes());
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&raw)
            .map_err(|e| Error::Model(e.to_string()))?;
        enc.finish().map_err(|e| Error::Model(e.to_string()))
    }

    /// Reads a model written by [`Parser::to_bytes`].
    pub fn from_bytes(gz: &[u8]) -> Result<Parser> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(gz)
            .take(1 << 30)
            .read_to_end(&mut raw)
            .map_err(|e| Error::Model(format!("parser model: {e}")))?;
        if raw.get(..4) != Some(MAGIC) {
            return Err(Error::Model("not a dateline parser model".into()));
        }
        let version = raw
            .get(4..8)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
            .ok_or_else(|| Error::Model("parser model is truncated".into()))?;
        if version != VERSION {
            return Err(Error::Model(format!(
                "parser model format version {version}, expected {VERSION}"
            )));
        }
        let model = Model::from_bytes(raw.get(8..).unwrap_or_default())?;
        let classes = &model.classes;
        let bad = || Error::Model("parser model has an unexpected class list".into());
        if classes.len() < 3 || classes.len() % 2 == 0 || classes[0] != "SHIFT" {
            return Err(bad());
        }
        let n = (classes.len() - 1) / 2;
        let mut labels = Vec::with_capacity(n);
        for i in 0..n {
            let l = classes[1 + i].strip_prefix("L:").ok_or_else(bad)?;
            let r = classes[1 + n + i].strip_prefix("R:").ok_or_else(bad)?;
            if l != r {
                return Err(bad());
            }
            labels.push(l.to_string());
        }
        let root = labels.iter().position(|l| l == ROOT_LABEL);
        Ok(Parser {
            model,
            labels,
            root,
        })
    }
}

/// True when `heads` (0 = root, 1-based) form a single-rooted tree.
pub fn is_tree(heads: &[usize]) -> bool {
    let n = heads.len();
    if heads.iter().filter(|&&h| h == 0).count() != 1 || heads.iter().any(|&h| h > n) {
        return false;
    }
    // every word reaches the root in at most n steps
    (1..=n).all(|start| {
        let mut x = start;
        for _ in 0..=n {
            if x == 0 {
                return true;
            }
            x = heads[x - 1];
        }
        x == 0
    })
}

/// True when the tree `heads` (0 = root, 1-based) has no crossing arcs.
pub fn is_projective(heads: &[usize]) -> bool {
    let arcs: Vec<(usize, usize)> = heads
        .iter()
        .enumerate()
        .map(|(i, &h)| (h.min(i + 1), h.max(i + 1)))
        .collect();
    arcs.iter().all(|&(a, b)| {
        arcs.iter()
            .all(|&(c, d)| !((a < c && c < b && b < d) || (c < a && a < d && d < b)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(spec: &str) -> TrainSentence {
        // "word/TAG/head/label ..."
        let mut s = TrainSentence {
            words: vec![],
            tags: vec![],
            heads: vec![],
            deprels: vec![],
        };
        for tok in spec.split(' ') {
            let parts: Vec<&str> = tok.split('/').collect();
            s.words.push(parts[0].to_string());
            s.tags.push(parts[1].to_string());
            s.heads.push(parts[2].parse().unwrap_or(0));
            s.deprels.push(parts[3].to_string());
        }
        s
    }

    fn treebank() -> Vec<TrainSentence> {
        [
            "the/DET/2/det dog/NOUN/3/nsubj barks/VERB/0/root ./PUNCT/3/punct",
            "a/DET/2/det cat/NOUN/3/nsubj sleeps/VERB/0/root",
            "the/DET/2/det girl/NOUN/3/nsubj reads/VERB/0/root a/DET/5/det book/NOUN/3/obj",
            "my/PRON/2/nmod:poss brother/NOUN/3/nsubj eats/VERB/0/root red/ADJ/5/amod apples/NOUN/3/obj ./PUNCT/3/punct",
            "she/PRON/2/nsubj sings/VERB/0/root in/ADP/4/case town/NOUN/2/obl",
            "we/PRON/2/nsubj saw/VERB/0/root the/DET/4/det man/NOUN/2/obj with/ADP/7/case a/DET/7/det hat/NOUN/4/nmod",
            "old/ADJ/2/amod men/NOUN/3/nsubj walk/VERB/0/root slowly/ADV/3/advmod ./PUNCT/3/punct",
            "he/PRON/2/nsubj said/VERB/0/root that/SCONJ/5/mark they/PRON/5/nsubj left/VERB/2/ccomp",
        ]
        .iter()
        .map(|s| sent(s))
        .collect()
    }

    fn follow_oracle(s: &TrainSentence, pick: &mut dyn FnMut(&[usize]) -> usize) -> State {
        let mut labels: Vec<String> = s.deprels.clone();
        labels.push(ROOT_LABEL.into());
        labels.sort();
        labels.dedup();
        let root = labels.iter().position(|l| l == ROOT_LABEL);
        let sys = System {
            n_labels: labels.len(),
            root,
        };
        let mut gh = vec![NONE];
        gh.extend(s.heads.iter().copied());
        let mut gl = vec![NONE];
        gl.extend(
            s.deprels
                .iter()
                .map(|d| labels.binary_search(d).unwrap_or(0)),
        );
        let mut st = State::new(s.words.len());
        while !st.terminal() {
            let base = st.costs(&gh);
            let zero: Vec<usize> = (0..sys.n_classes())
                .filter(|&c| sys.valid(&st, c) && sys.cost(&st, &base, &gh, &gl, c) == 0)
                .collect();
            assert!(!zero.is_empty(), "no zero-cost transition");
            let c = zero[pick(&zero) % zero.len()];
            st.apply(action(c, sys.n_labels));
        }
        for i in 1..=s.words.len() {
            assert_eq!(st.head[i], s.heads[i - 1]);
            assert_eq!(labels[st.label[i] as usize - 1], s.deprels[i - 1]);
        }
        st
    }

    /// A random projective tree over `lo..=hi` headed from `h`.
    fn random_tree(rng: &mut Rng, lo: usize, hi: usize, h: usize, heads: &mut Vec<usize>) {
        if lo > hi {
            return;
        }
        let r = lo + (rng.next() as usize) % (hi - lo + 1);
        heads[r - 1] = h;
        random_tree(rng, lo, r - 1, r, heads);
        random_tree(rng, r + 1, hi, r, heads);
        // sometimes attach a side subtree's words to r as siblings chain: fine
    }

    #[test]
    fn static_and_dynamic_oracles_reproduce_projective_trees() {
        for s in treebank() {
            assert!(is_projective(&s.heads));
            follow_oracle(&s, &mut |_| 0);
            follow_oracle(&s, &mut |z| z.len() - 1);
        }
        let mut rng = Rng(12345);
        for n in 1..40 {
            for _ in 0..5 {
                let mut heads = vec![0; n];
                random_tree(&mut rng, 1, n, 0, &mut heads);
                assert!(is_tree(&heads) && is_projective(&heads));
                let s = TrainSentence {
                    words: (0..n).map(|i| format!("w{i}")).collect(),
                    tags: vec!["X".into(); n],
                    deprels: heads
                        .iter()
                        .enumerate()
                        .map(|(i, &h)| {
                            if h == 0 {
                                "root".into()
                            } else {
                                format!("l{}", i % 3)
                            }
                        })
                        .collect(),
                    heads,
                };
                let mut r2 = Rng(n as u64 + 7);
                follow_oracle(&s, &mut |z| (r2.next() as usize) % z.len());
            }
        }
    }

    #[test]
    fn dynamic_oracle_costs_are_exact_after_mistakes() {
        // After a random wrong transition, the zero-cost continuation loses
        // exactly the cost that transition was charged.
        let mut rng = Rng(99);
        for n in 2..25 {
            let mut heads = vec![0; n];
            random_tree(&mut rng, 1, n, 0, &mut heads);
            let mut gh = vec![NONE];
            gh.extend(heads.iter().copied());
            let sys = System {
                n_labels: 1,
                root: None,
            };
            let mut st = State::new(n);
            let mut lost = 0;
            while !st.terminal() {
                let base = st.costs(&gh);
                let valid: Vec<usize> = (0..3).filter(|&c| sys.valid(&st, c)).collect();
                let c = if rng.next().is_multiple_of(4) {
                    valid[(rng.next() as usize) % valid.len()]
                } else {
                    let z: Vec<usize> = valid.iter().copied().filter(|&c| base[c] == 0).collect();
                    if z.is_empty() {
                        valid[0]
                    } else {
                        z[0]
                    }
                };
                lost += base[c];
                st.apply(action(c, 1));
            }
            let wrong = (1..=n).filter(|&i| st.head[i] != heads[i - 1]).count();
            assert_eq!(wrong, lost, "n={n}");
        }
    }

    fn train_small() -> Parser {
        let opts = TrainOptions {
            epochs: 10,
            ..TrainOptions::default()
        };
        Parser::train(&treebank(), &opts)
    }

    #[test]
    fn training_converges_and_parses_the_treebank() {
        let p = train_small();
        let (mut ok, mut total) = (0, 0);
        for s in treebank() {
            let w: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let t: Vec<&str> = s.tags.iter().map(String::as_str).collect();
            let out = p.parse(&w, &t);
            for i in 0..w.len() {
                total += 1;
                ok += usize::from(out.heads[i] == s.heads[i] && out.deprels[i] == s.deprels[i]);
            }
        }
        assert_eq!(ok, total, "labelled accuracy on the training set");
        // a new sentence of a seen pattern
        let out = p.parse(
            &["a", "girl", "eats", "the", "apples"],
            &["DET", "NOUN", "VERB", "DET", "NOUN"],
        );
        assert_eq!(out.heads, [2, 3, 0, 5, 3]);
        assert_eq!(out.deprels, ["det", "nsubj", "root", "det", "obj"]);
    }

    #[test]
    fn output_is_always_a_tree() {
        let trained = train_small();
        let empty = Parser::train(&[], &TrainOptions::default());
        let tags = ["DET", "NOUN", "VERB", "ADP", "PUNCT", "PRON", "ADJ", "X"];
        let mut rng = Rng(4242);
        for p in [&trained, &empty] {
            assert!(p.parse(&[], &[]).heads.is_empty());
            for n in 1..60usize {
                let words: Vec<String> = (0..n)
                    .map(|i| format!("w{}", rng.next() % 7 + i as u64 % 2))
                    .collect();
                let w: Vec<&str> = words.iter().map(String::as_str).collect();
                let t: Vec<&str> = (0..n.saturating_sub(rng.next() as usize % 3))
                    .map(|_| tags[(rng.next() % tags.len() as u64) as usize])
                    .collect();
                let out = p.parse(&w, &t);
                assert_eq!(out.heads.len(), n);
                assert!(is_tree(&out.heads), "{:?}", out.heads);
                let roots: Vec<&&str> = out
                    .deprels
                    .iter()
                    .zip(&out.heads)
                    .filter(|(_, &h)| h == 0)
                    .map(|(d, _)| d)
                    .collect();
                assert_eq!(roots, [&"root"]);
                assert_eq!(out.deprels.iter().filter(|d| **d == "root").count(), 1);
            }
        }
    }

    #[test]
    fn model_round_trips_and_training_is_deterministic() {
        let p = train_small();
        let bytes = p.to_bytes().unwrap_or_default();
        let again = train_small().to_bytes().unwrap_or_default();
        assert!(!bytes.is_empty());
        assert_eq!(bytes, again, "training is deterministic");
        let back = Parser::from_bytes(&bytes);
        assert!(back.is_ok());
        if let Ok(back) = back {
            assert_eq!(back.labels(), p.labels());
            assert_eq!(back.to_bytes().unwrap_or_default(), bytes);
            let w = ["the", "cat", "reads", "a", "book"];
            let t = ["DET", "NOUN", "VERB", "DET", "NOUN"];
            assert_eq!(back.parse(&w, &t), p.parse(&w, &t));
        }
        assert!(Parser::from_bytes(&bytes[..10]).is_err());
        assert!(Parser::from_bytes(b"not gzip").is_err());
    }

    #[test]
    fn compacting_keeps_the_parses_of_the_treebank() {
        let mut p = train_small();
        let before = p.to_bytes().unwrap_or_default().len();
        let (kept, total) = p.compact(0.5, 6);
        assert!(kept <= total);
        assert!(p.to_bytes().unwrap_or_default().len() <= before);
        for s in treebank() {
            let w: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let t: Vec<&str> = s.tags.iter().map(String::as_str).collect();
            assert_eq!(p.parse(&w, &t).heads, s.heads);
        }
    }

    #[test]
    fn tree_checks() {
        assert!(is_tree(&[2, 0, 2]));
        assert!(!is_tree(&[2, 1, 0]));
        assert!(!is_tree(&[0, 0]));
        assert!(!is_tree(&[3, 0]));
        assert!(is_projective(&[2, 0, 2]));
        assert!(!is_projective(&[3, 4, 0, 3]));
    }
}
