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
//! Weights are stored sparse: the averaged perceptron has ~100 classes
//! (SHIFT and every LEFT/RIGHT label) but a feature row holds 2.3 non-zero
//! weights on average once small weights are dropped, so rows keep only
//! their (class, weight) pairs, in an open-addressing table over the sorted
//! feature hashes (see [`Weights`]). Loading is decompressing and one pass
//! over the rows (the English model loads in about 0.1 s of CPU, where the
//! dense format of version 1 took 1.2 s and 500 MB), and scoring touches
//! only the non-zero weights.
//!
//! Model file (version 2): gzip of `DLDP`, the version, the class list
//! (`SHIFT`, `L:<label>`… and `R:<label>`… in label order), then the rows in
//! columns: feature hashes (sorted, delta-coded varints), entries per row
//! (varints), classes (u16) and weights (indices into a sorted table of the
//! distinct weight values). Version 1 files (a dense perceptron model) are
//! still read.

use crate::error::{Error, Result};
use crate::ml::perceptron::{feature, Trainer};
use std::hash::Hasher;
use std::io::{Read, Write};

const MAGIC: &[u8; 4] = b"DLDP";
const VERSION: u32 = 2;
/// The dense format written before sparse weights (still read).
const VERSION_DENSE: u32 = 1;
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
    weights: Weights,
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

    /// The best-scoring valid class (the first one on ties), as
    /// `argmax_where(scores, |c| self.valid(st, c))` with the validity
    /// tests hoisted out of the loop.
    fn best_valid(&self, st: &State, scores: &[f32]) -> Option<usize> {
        let two = st.stack.len() >= 2;
        let buffer = st.b <= st.n;
        let right_root = two && st.s(1) == 0;
        let right_ok = two && (!right_root || (!buffer && st.stack.len() == 2));
        let mut best: Option<usize> = None;
        for (c, &x) in scores.iter().enumerate() {
            let ok = match action(c, self.n_labels) {
                Action::Shift => buffer,
                Action::Left(l) => two && buffer && Some(l) != self.root,
                Action::Right(l) => {
                    right_ok
                        && if right_root {
                            self.root.is_none_or(|r| r == l)
                        } else {
                            Some(l) != self.root
                        }
                }
            };
            if ok && best.is_none_or(|b| x > scores[b]) {
                best = Some(c);
            }
        }
        best
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

/// One non-zero weight of a feature row.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    w: f32,
    class: u32,
}

/// A slot of the feature table: a feature hash and its row.
///
/// Most rows hold one or two weights (a perceptron update adds to the truth
/// and subtracts from the guess), so those are stored in the slot itself as
/// `(class + 1) << 16 | index into the table of distinct weight values`:
/// one cache line per feature. Rows of 3 to 7 weights spill: `a` = length
/// (high half 0), `b` = start in `Weights::entries`. Longer rows (the
/// frequent features: bias, tags alone) are dense: `a` = [`DENSE`], `b` =
/// row number in `Weights::dense`, added with vector instructions. An empty
/// slot has `a == 0`; `b == 0` in an inline row means no second weight.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Slot {
    key: u64,
    a: u32,
    b: u32,
}

const EMPTY: Slot = Slot { key: 0, a: 0, b: 0 };
/// `Slot::a` of a dense row.
const DENSE: u32 = 0xffff_0000;
/// Rows with at least this many weights are stored dense.
const DENSE_MIN: usize = 8;

/// Sparse, read-only perceptron weights.
///
/// Design choice: the rows are inserted in increasing hash order into an
/// open-addressing table whose home slot is the hash's top bits, with linear
/// probing and no wrap-around, so the table stays sorted: a look-up starts
/// at the home slot and stops at the key, at an empty slot or at a larger
/// key (one cache line for ~1.5 slots per row). Building it is a single
/// pass over sorted rows, which is why loading is fast.
#[derive(Debug, Clone, PartialEq)]
struct Weights {
    classes: Vec<String>,
    shift: u32,
    slots: Vec<Slot>,
    /// Every row's weights, rows in key order (spilled rows are read here).
    entries: Vec<Entry>,
    /// Distinct weight values, for the inline rows.
    values: Vec<f32>,
    /// Dense rows (one weight per class), for the long rows.
    dense: Vec<f32>,
}

impl Weights {
    /// Builds the table from rows sorted by strictly increasing key.
    /// `known`: the sorted distinct weight values and each entry's index
    /// among them, when the caller has them (a model file does).
    fn build(
        classes: Vec<String>,
        keys: &[u64],
        lens: &[u32],
        entries: Vec<Entry>,
        known: Option<(Vec<f32>, Vec<u32>)>,
    ) -> Result<Weights> {
        let corrupt = || Error::Model("parser model: corrupt weight table".into());
        if keys.len() != lens.len()
            || keys.windows(2).any(|k| k[0] >= k[1])
            || lens.iter().map(|&l| l as usize).sum::<usize>() != entries.len()
            || lens.contains(&0)
            || entries.len() >= u32::MAX as usize
            || classes.len() >= 0xfffe
            || entries.iter().any(|e| e.class as usize >= classes.len())
        {
            return Err(corrupt());
        }
        let (values, idx) = match known {
            Some(k) => k,
            None => {
                let mut bits: Vec<u32> = entries.iter().map(|e| e.w.to_bits()).collect();
                bits.sort_unstable();
                bits.dedup();
                let idx = entries
                    .iter()
                    .map(|e| bits.binary_search(&e.w.to_bits()).unwrap_or(0) as u32)
                    .collect();
                (bits.into_iter().map(f32::from_bits).collect(), idx)
            }
        };
        if idx.len() != entries.len() || idx.iter().any(|&i| i as usize >= values.len()) {
            return Err(corrupt());
        }
        // inline rows need value indices of 16 bits
        let inline = values.len() <= 1 << 16;
        let code = |k: usize| -> u32 {
            let class = entries.get(k).map(|e| e.class).unwrap_or(0);
            (class + 1) << 16 | idx.get(k).copied().unwrap_or(0)
        };
        let table_bits = (keys.len().max(2) * 3 / 2)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(1, 63);
        let shift = 64 - table_bits;
        let mut slots = vec![EMPTY; (1usize << table_bits) + 8];
        let mut next = 0usize;
        let mut start = 0usize;
        let mut dense = Vec::new();
        for (&key, &len) in keys.iter().zip(lens) {
            let pos = ((key >> shift) as usize).max(next);
            if pos >= slots.len() {
                slots.resize(pos + 8, EMPTY);
            }
            let row = entries.get(start..start + len as usize).unwrap_or(&[]);
            slots[pos] = match row {
                [_] if inline => Slot {
                    key,
                    a: code(start),
                    b: 0,
                },
                [_, _] if inline => Slot {
                    key,
                    a: code(start),
                    b: code(start + 1),
                },
                _ if row.len() >= DENSE_MIN => {
                    let k = dense.len() / classes.len().max(1);
                    let base = dense.len();
                    dense.resize(base + classes.len(), 0.0);
                    for e in row {
                        dense[base + e.class as usize] = e.w;
                    }
                    Slot {
                        key,
                        a: DENSE,
                        b: u32::try_from(k).map_err(|_| corrupt())?,
                    }
                }
                _ => Slot {
                    key,
                    a: len,
                    b: start as u32,
                },
            };
            next = pos + 1;
            start += len as usize;
        }
        Ok(Weights {
            classes,
            shift,
            slots,
            entries,
            values,
            dense,
        })
    }

    /// The slot of feature `key` (empty when the feature is unknown).
    #[inline]
    fn find(&self, key: u64) -> Slot {
        let mut i = (key >> self.shift) as usize;
        while let Some(s) = self.slots.get(i) {
            if s.a == 0 || s.key > key {
                break;
            }
            if s.key == key {
                return *s;
            }
            i += 1;
        }
        EMPTY
    }

    /// Sums the rows of `feats` into `out` (one score per class).
    ///
    /// Scoring is bound by memory latency (a cache miss per feature), so it
    /// runs in passes that let the misses overlap: prefetch every home slot,
    /// resolve the slots (and prefetch spilled rows), then add, in feature
    /// order, so the sums are those of the plain loop.
    fn scores(&self, feats: &[u64], out: &mut [f32]) {
        out.iter_mut().for_each(|x| *x = 0.0);
        const CHUNK: usize = 128;
        let mut found = [EMPTY; CHUNK];
        for chunk in feats.chunks(CHUNK) {
            for &f in chunk {
                prefetch(self.slots.as_ptr().wrapping_add((f >> self.shift) as usize));
            }
            let n = self.classes.len();
            for (r, &f) in found.iter_mut().zip(chunk) {
                *r = self.find(f);
                if r.a >> 16 == 0 {
                    prefetch(self.entries.as_ptr().wrapping_add(r.b as usize));
                } else if r.a == DENSE {
                    prefetch(self.dense.as_ptr().wrapping_add(r.b as usize * n));
                }
            }
            for s in found.iter().take(chunk.len()) {
                if s.a == DENSE {
                    let base = s.b as usize * n;
                    let row = self.dense.get(base..base + n).unwrap_or(&[]);
                    for (o, w) in out.iter_mut().zip(row) {
                        *o += w;
                    }
                } else if s.a >> 16 == 0 {
                    let (a, len) = (s.b as usize, s.a as usize);
                    for e in self.entries.get(a..a + len).unwrap_or(&[]) {
                        if let Some(o) = out.get_mut(e.class as usize) {
                            *o += e.w;
                        }
                    }
                } else {
                    for code in [s.a, s.b] {
                        if code >> 16 == 0 {
                            continue;
                        }
                        let class = (code >> 16) as usize - 1;
                        let w = self.values.get((code & 0xffff) as usize);
                        if let (Some(o), Some(w)) = (out.get_mut(class), w) {
                            *o += w;
                        }
                    }
                }
            }
        }
    }

    /// Length of the row in slot `s`.
    fn row_len(&self, s: &Slot) -> usize {
        if s.a == DENSE {
            let n = self.classes.len();
            let base = s.b as usize * n;
            let row = self.dense.get(base..base + n).unwrap_or(&[]);
            row.iter().filter(|w| **w != 0.0).count()
        } else if s.a >> 16 == 0 {
            s.a as usize
        } else {
            1 + usize::from(s.b >> 16 != 0)
        }
    }

    /// The rows in key order: (key, entries).
    fn rows(&self) -> impl Iterator<Item = (u64, &[Entry])> + '_ {
        let mut start = 0usize;
        self.slots.iter().filter(|s| s.a != 0).map(move |s| {
            let len = self.row_len(s);
            let row = self.entries.get(start..start + len).unwrap_or(&[]);
            start += len;
            (s.key, row)
        })
    }

    fn n_rows(&self) -> usize {
        self.slots.iter().filter(|s| s.a != 0).count()
    }

    /// Rebuilds from rows, keeping the weights `keep` maps to non-zero
    /// values (rows left empty are dropped).
    fn map(&self, keep: impl Fn(f32) -> f32) -> Result<Weights> {
        let (mut keys, mut lens, mut entries) = (Vec::new(), Vec::new(), Vec::new());
        for (key, row) in self.rows() {
            let before = entries.len();
            for e in row {
                let w = keep(e.w);
                if w != 0.0 {
                    entries.push(Entry { w, class: e.class });
                }
            }
            if entries.len() > before {
                keys.push(key);
                lens.push((entries.len() - before) as u32);
            }
        }
        Weights::build(self.classes.clone(), &keys, &lens, entries, None)
    }

    /// Reads the dense perceptron format (`ml::perceptron::Model::to_bytes`),
    /// keeping the non-zero weights.
    fn from_dense(bytes: &[u8]) -> Result<Weights> {
        let mut r = Reader { b: bytes, pos: 0 };
        if r.take(4)? != b"DLPM" {
            return Err(Error::Model("not a dateline perceptron model".into()));
        }
        if r.u32()? != 1 {
            return Err(Error::Model("unsupported perceptron model version".into()));
        }
        let classes = r.classes()?;
        let n = classes.len();
        let rows = usize::try_from(r.u64()?).map_err(|_| r.corrupt())?;
        let row_len = 8 + 4 * n;
        let body = r.take(rows.checked_mul(row_len).ok_or_else(|| r.corrupt())?)?;
        let (mut keys, mut lens, mut entries) = (Vec::new(), Vec::new(), Vec::new());
        for chunk in body.chunks_exact(row_len) {
            let mut h = [0u8; 8];
            h.copy_from_slice(&chunk[..8]);
            let before = entries.len();
            for (c, b) in chunk[8..].chunks_exact(4).enumerate() {
                let w = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                if w != 0.0 {
                    entries.push(Entry { w, class: c as u32 });
                }
            }
            if entries.len() > before {
                keys.push(u64::from_le_bytes(h));
                lens.push((entries.len() - before) as u32);
            }
        }
        Weights::build(classes, &keys, &lens, entries, None)
    }

    /// The sparse format (see the module documentation).
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.classes.len() as u32).to_le_bytes());
        for c in &self.classes {
            out.extend_from_slice(&(c.len() as u32).to_le_bytes());
            out.extend_from_slice(c.as_bytes());
        }
        let mut values: Vec<u32> = self.entries.iter().map(|e| e.w.to_bits()).collect();
        values.sort_unstable();
        values.dedup();
        out.extend_from_slice(&(self.n_rows() as u64).to_le_bytes());
        out.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        out.extend_from_slice(&(values.len() as u32).to_le_bytes());
        for v in &values {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let mut prev = 0u64;
        for (key, _) in self.rows() {
            put_varint(out, key - prev);
            prev = key;
        }
        for (_, row) in self.rows() {
            put_varint(out, row.len() as u64);
        }
        for (_, row) in self.rows() {
            for e in row {
                out.extend_from_slice(&(e.class as u16).to_le_bytes());
            }
        }
        let wide = values.len() > 1 << 16;
        for (_, row) in self.rows() {
            for e in row {
                let k = values.binary_search(&e.w.to_bits()).unwrap_or(0) as u32;
                if wide {
                    out.extend_from_slice(&k.to_le_bytes());
                } else {
                    out.extend_from_slice(&(k as u16).to_le_bytes());
                }
            }
        }
    }

    /// Reads what [`Weights::write`] wrote.
    fn read(r: &mut Reader<'_>) -> Result<Weights> {
        let classes = r.classes()?;
        if classes.len() > 1 << 16 {
            return Err(r.corrupt());
        }
        let rows = usize::try_from(r.u64()?).map_err(|_| r.corrupt())?;
        let n_entries = usize::try_from(r.u64()?).map_err(|_| r.corrupt())?;
        let n_values = r.u32()? as usize;
        // every row and entry takes at least a byte: bound the allocations
        if rows > r.b.len() || n_entries > r.b.len() || n_values > r.b.len() {
            return Err(r.corrupt());
        }
        let values = r.take(n_values * 4)?;
        let values: Vec<f32> = values
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let mut keys = Vec::with_capacity(rows);
        let mut key = 0u64;
        for _ in 0..rows {
            key = key.wrapping_add(r.varint()?);
            keys.push(key);
        }
        let mut lens = Vec::with_capacity(rows);
        for _ in 0..rows {
            lens.push(u32::try_from(r.varint()?).map_err(|_| r.corrupt())?);
        }
        let classes_col = r.take(n_entries * 2)?;
        let wide = values.len() > 1 << 16;
        let idx_col = r.take(n_entries * if wide { 4 } else { 2 })?;
        let idx: Vec<u32> = if wide {
            idx_col
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()
        } else {
            idx_col
                .chunks_exact(2)
                .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
                .collect()
        };
        let mut entries = Vec::with_capacity(n_entries);
        for (c, &i) in classes_col.chunks_exact(2).zip(&idx) {
            let w = values.get(i as usize).ok_or_else(|| r.corrupt())?;
            entries.push(Entry {
                w: *w,
                class: u32::from(u16::from_le_bytes([c[0], c[1]])),
            });
        }
        Weights::build(classes, &keys, &lens, entries, Some((values, idx)))
    }
}

/// A hint to load the cache line at `p` (no effect off x86-64).
#[inline(always)]
fn prefetch<T>(p: *const T) {
    // SAFETY: SSE is part of the x86-64 baseline, and a prefetch is only a
    // hint: it never faults and never dereferences for the program, whatever
    // the address.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

fn put_varint(out: &mut Vec<u8>, mut x: u64) {
    while x >= 0x80 {
        out.push((x as u8) | 0x80);
        x >>= 7;
    }
    out.push(x as u8);
}

/// A bounds-checked reader over a model file.
struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn corrupt(&self) -> Error {
        Error::Model("parser model is truncated or corrupt".into())
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let s = self
            .b
            .get(self.pos..self.pos.saturating_add(n))
            .ok_or_else(|| self.corrupt())?;
        self.pos += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&mut self) -> Result<u64> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }
    fn varint(&mut self) -> Result<u64> {
        let mut x = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.b.get(self.pos).ok_or_else(|| self.corrupt())?;
            self.pos += 1;
            x |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(x);
            }
        }
        Err(self.corrupt())
    }
    fn classes(&mut self) -> Result<Vec<String>> {
        let n = self.u32()? as usize;
        let mut classes = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            let len = self.u32()? as usize;
            let s = std::str::from_utf8(self.take(len)?).map_err(|_| self.corrupt())?;
            classes.push(s.to_string());
        }
        Ok(classes)
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
        let mut scores = vec![0f32; self.weights.classes.len()];
        let mut guard = 0;
        while !st.terminal() && guard <= 2 * n + 2 {
            guard += 1;
            features(&st, &lx, &mut feats);
            self.weights.scores(&feats, &mut scores);
            let Some(c) = sys.best_valid(&st, &scores) else {
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
        // the dense averaged model, then its non-zero weights
        let weights = Weights::from_dense(&trainer.average().to_bytes()).unwrap_or(Weights {
            classes: Vec::new(),
            shift: 63,
            slots: Vec::new(),
            entries: Vec::new(),
            values: Vec::new(),
            dense: Vec::new(),
        });
        Parser {
            weights,
            labels,
            root,
        }
    }

    /// Shrinks the model for storage: weights with magnitude below
    /// `min_abs` are dropped, the others keep `mantissa_bits` bits of
    /// mantissa (rounded to nearest; 23 keeps them exact), rows left empty
    /// are dropped. Returns (feature rows kept, rows before).
    pub fn compact(&mut self, min_abs: f32, mantissa_bits: u32) -> (usize, usize) {
        let before = self.weights.n_rows();
        let drop = 23u32.saturating_sub(mantissa_bits.min(23));
        let keep = |w: f32| {
            if w.abs() < min_abs || !w.is_finite() {
                0.0
            } else if drop > 0 {
                let half = 1u32 << (drop - 1);
                f32::from_bits(w.to_bits().wrapping_add(half) & !((1u32 << drop) - 1))
            } else {
                w
            }
        };
        if let Ok(w) = self.weights.map(keep) {
            self.weights = w;
        }
        (self.weights.n_rows(), before)
    }

    /// Serialises (gzip-compressed, deterministic).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&VERSION.to_le_bytes());
        self.weights.write(&mut raw);
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&raw)
            .map_err(|e| Error::Model(e.to_string()))?;
        enc.finish().map_err(|e| Error::Model(e.to_string()))
    }

    /// Reads a model written by [`Parser::to_bytes`] (or a version 1 file).
    pub fn from_bytes(gz: &[u8]) -> Result<Parser> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(gz)
            .take(1 << 30)
            .read_to_end(&mut raw)
            .map_err(|e| Error::Model(format!("parser model: {e}")))?;
        let mut r = Reader { b: &raw, pos: 0 };
        if r.take(4).ok() != Some(MAGIC.as_slice()) {
            return Err(Error::Model("not a dateline parser model".into()));
        }
        let weights = match r.u32()? {
            VERSION => Weights::read(&mut r)?,
            VERSION_DENSE => Weights::from_dense(raw.get(8..).unwrap_or_default())?,
            v => {
                return Err(Error::Model(format!(
                    "parser model format version {v}, expected {VERSION}"
                )))
            }
        };
        let classes = &weights.classes;
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
            weights,
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
    fn sparse_weights_score_like_dense_rows_in_every_layout() {
        // rows of 1, 2 (inline), 5 (spilled) and 12 (dense) weights
        let n = 15;
        let classes: Vec<String> = (0..n).map(|c| format!("c{c}")).collect();
        let mut rng = Rng(777);
        let mut dense: Vec<(u64, Vec<f32>)> = Vec::new();
        for (k, len) in [1usize, 2, 5, 12, 1, 2, 3, 8, 2, 1].iter().enumerate() {
            let mut row = vec![0f32; n];
            for j in 0..*len {
                row[(j * 7 + k) % n] = (rng.next() % 200) as f32 / 8.0 - 12.0 + 0.125;
            }
            dense.push((rng.next() | 1, row));
        }
        dense.sort_by_key(|r| r.0);
        let (mut keys, mut lens, mut entries) = (Vec::new(), Vec::new(), Vec::new());
        for (key, row) in &dense {
            keys.push(*key);
            let before = entries.len();
            for (c, &w) in row.iter().enumerate() {
                if w != 0.0 {
                    entries.push(Entry { w, class: c as u32 });
                }
            }
            lens.push((entries.len() - before) as u32);
        }
        let w = Weights::build(classes, &keys, &lens, entries, None);
        assert!(w.is_ok());
        let Ok(w) = w else { return };
        let mut raw = Vec::new();
        w.write(&mut raw);
        let back = Weights::read(&mut Reader { b: &raw, pos: 0 });
        assert_eq!(back.as_ref().ok(), Some(&w));
        let feats: Vec<u64> = dense
            .iter()
            .map(|r| r.0)
            .chain([42, 43])
            .chain(dense.iter().rev().map(|r| r.0))
            .collect();
        let mut want = vec![0f32; n];
        for f in &feats {
            if let Some((_, row)) = dense.iter().find(|r| r.0 == *f) {
                for (o, x) in want.iter_mut().zip(row) {
                    *o += x;
                }
            }
        }
        let mut got = vec![0f32; n];
        w.scores(&feats, &mut got);
        assert_eq!(got, want);
        let rows: Vec<usize> = w.rows().map(|(_, r)| r.len()).collect();
        assert_eq!(rows, lens.iter().map(|&l| l as usize).collect::<Vec<_>>());
        assert!(Weights::read(&mut Reader {
            b: &raw[..raw.len() - 1],
            pos: 0
        })
        .is_err());
    }

    #[test]
    fn hoisted_validity_picks_what_the_valid_filter_picks() {
        let mut rng = Rng(5);
        for root in [None, Some(1)] {
            let sys = System { n_labels: 3, root };
            for n in 0..12 {
                let mut st = State::new(n);
                while !st.terminal() {
                    let scores: Vec<f32> = (0..sys.n_classes())
                        .map(|_| (rng.next() % 5) as f32)
                        .collect();
                    let want = argmax_where(&scores, |c| sys.valid(&st, c));
                    assert_eq!(sys.best_valid(&st, &scores), want);
                    let Some(c) = want else { break };
                    st.apply(action(c, sys.n_labels));
                }
            }
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
