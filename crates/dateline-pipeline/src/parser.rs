//! Labelled dependency parsing: a greedy arc-hybrid transition parser
//! trained with a dynamic oracle and exploration.
//!
//! Design choice: arc-hybrid (Kuhlmann et al. 2011) because its dynamic
//! oracle is arc-decomposable and cheap (Goldberg & Nivre 2013): the cost of
//! a transition is the number of gold arcs it makes unreachable. Training
//! updates the averaged perceptron towards the best-scoring zero-cost
//! transition and, after the first epoch, follows the model's own (possibly
//! wrong) prediction with probability 0.9, so the parser learns to recover
//! from its mistakes. Features are those of Zhang & Nivre (2011):
//! stack/buffer words and UPOS, left/right-most children and their labels,
//! distance, valency and label sets.
//!
//! Speed is why the transition and the label are two models. The
//! transition model has three classes (SHIFT, LEFT, RIGHT), so a feature row
//! is three bfloat16 weights that live, with the full feature hash, in one
//! 16-byte slot of a flat table (see [`Table`]): a feature costs one cache
//! line, four comparisons without branches and three additions. The
//! features of one position alone (the buffer words; s0, s1 or b0 with
//! their children) are scored once and cached until that position changes,
//! which leaves about half of the 92 templates to score per transition. The
//! labeller (an averaged perceptron over the relations, bfloat16 weights,
//! see [`Labeller`]; rows of one or two weights, most of them, sit in the
//! table slot itself) is consulted only when an arc is made, once per word,
//! with 21 features of the head, the dependent (whose children are all known
//! by then in arc-hybrid) and their context. The joint model of format
//! version 2 (SHIFT, LEFT-l, RIGHT-l: 77 classes for Spanish, 92 features
//! per transition, long rows for the frequent features, a look-up that
//! branched on every probed slot and on the row layout) parsed about 3 times
//! slower, with 0.7-0.9 more LAS.
//!
//! The root (node 0) sits at the bottom of the stack and may take its one
//! dependent only as the very last transition, labelled `root`, so every
//! output is a single-rooted tree over all words; there are no leftovers to
//! repair.
//!
//! Model file (version 3): gzip of `DLDP`, the version, the transition
//! rows (count, sorted feature hashes delta-coded as varints, then three
//! little-endian bfloat16 weights per row), then the labeller: the label
//! list, the row count and sorted feature hashes (delta-coded varints), the
//! non-zero weights per row (varints), then the label (u16) and the
//! bfloat16 weight (u16) of each. Files of versions 1 and 2 are rejected
//! with a message to retrain.

use crate::error::{Error, Result};
use crate::ml::perceptron::{feature, prefetch, Trainer};
use crate::shared::SharedStrs;
use std::io::{Read, Write};

const MAGIC: &[u8; 4] = b"DLDP";
const VERSION: u32 = 3;
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
/// A trained parser.
pub struct Parser {
    trans: Transitions,
    labeller: Labeller,
    root: Option<usize>,
    /// The relations the parser gives (its labels, `root` and `dep`), each
    /// stored once: every word gets a clone ([`Parser::shared_label`]).
    shared_labels: SharedStrs,
}

/// The relations [`Parser::parse`] can give: the labeller's labels, and
/// the fallbacks `root` and `dep`.
fn shared_labels(labeller: &Labeller) -> SharedStrs {
    SharedStrs::new(
        labeller
            .labels
            .iter()
            .map(String::as_str)
            .chain([ROOT_LABEL, "dep"]),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Shift,
    Left(usize),
    Right(usize),
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

/// Hashes a feature: template `t` and three values (three multiplications;
/// the top bits, which index the tables, depend on every input bit).
#[inline(always)]
fn mix(t: u8, a: u64, b: u64, c: u64) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let h = (a ^ u64::from(t).wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(K);
    let h = (h.rotate_left(26) ^ b).wrapping_mul(K);
    (h.rotate_left(26) ^ c).wrapping_mul(K)
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

/// Per-sentence hashed word forms, tags and suffixes (index 0 = root; out
/// of range = none).
struct Lex {
    w: Vec<u64>,
    p: Vec<u64>,
    /// Last three characters of the normalised form (labeller only).
    sfx: Vec<u64>,
    none_w: u64,
    none_p: u64,
}

impl Lex {
    fn new(words: &[&str], tags: &[&str]) -> Lex {
        let n = words.len() + 1;
        let mut w = Vec::with_capacity(n);
        let mut p = Vec::with_capacity(n);
        let mut sfx = Vec::with_capacity(n);
        w.push(feature(200, "<root>"));
        p.push(feature(201, "<root>"));
        sfx.push(feature(202, "<root>"));
        let mut norm = String::new();
        for (i, word) in words.iter().enumerate() {
            // lower case, digits as 0
            norm.clear();
            for c in word.chars() {
                if c.is_ascii_digit() {
                    norm.push('0');
                } else if c.is_ascii() {
                    // what `to_lowercase` gives, without its table search
                    norm.push(c.to_ascii_lowercase());
                } else {
                    norm.extend(c.to_lowercase());
                }
            }
            w.push(feature(200, &norm));
            p.push(feature(201, tags.get(i).copied().unwrap_or("X")));
            let cut = norm
                .char_indices()
                .rev()
                .nth(2)
                .map(|(k, _)| k)
                .unwrap_or(0);
            sfx.push(feature(202, norm.get(cut..).unwrap_or("")));
        }
        Lex {
            w,
            p,
            sfx,
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
    fn sfx(&self, i: usize) -> u64 {
        self.sfx.get(i).copied().unwrap_or(0)
    }
}

/// The features that depend only on the buffer's first word `b` (its
/// words and tags and those of the next two): the same for every
/// transition until the next SHIFT, so the parser scores them once per
/// buffer position.
fn buffer_features(b: usize, n: usize, lx: &Lex, out: &mut Vec<u64>) {
    out.clear();
    let at = |k: usize| if b + k <= n { b + k } else { NONE };
    let (b0w, b0p) = (lx.w(at(0)), lx.p(at(0)));
    let (b1w, b1p) = (lx.w(at(1)), lx.p(at(1)));
    let (b2w, b2p) = (lx.w(at(2)), lx.p(at(2)));
    out.extend_from_slice(&[
        mix(4, b0w, 0, 0),
        mix(5, b0p, 0, 0),
        mix(6, b0w, b0p, 0),
        mix(7, b1w, 0, 0),
        mix(8, b1p, 0, 0),
        mix(9, b1w, b1p, 0),
        mix(10, b2w, 0, 0),
        mix(11, b2p, 0, 0),
        mix(27, b0p, b1p, 0),
        mix(40, b0p, b1p, b2p),
    ]);
}

fn buffer_features_of(st: &State, lx: &Lex, out: &mut Vec<u64>) {
    buffer_features(st.b, st.n, lx, out);
}

/// Scores of one group of features per word (index n + 1 = none), valid
/// while the word has the same number of children.
struct Cache {
    children: Vec<u32>,
    scores: Vec<[f32; 3]>,
}

impl Cache {
    fn new(n: usize) -> Cache {
        Cache {
            children: vec![u32::MAX; n + 2],
            scores: vec![[0.0; 3]; n + 2],
        }
    }

    /// The slot of word `i` (or none) and the word's number of children.
    fn key(st: &State, i: usize) -> (usize, u32) {
        let children = if i == NONE {
            0
        } else {
            st.nl.get(i).copied().unwrap_or(0) + st.nr.get(i).copied().unwrap_or(0)
        };
        (i.min(st.n + 1), children)
    }

    /// The cached scores for word `i` (or none), if still valid.
    #[inline]
    fn get(&self, st: &State, i: usize) -> Option<[f32; 3]> {
        let (k, children) = Cache::key(st, i);
        match (self.children.get(k), self.scores.get(k)) {
            (Some(&c), Some(&s)) if c == children => Some(s),
            _ => None,
        }
    }

    /// Caches `scores` for word `i` (or none) with its present children.
    #[inline]
    fn put(&mut self, st: &State, i: usize, scores: [f32; 3]) {
        let (k, children) = Cache::key(st, i);
        if let (Some(c), Some(s)) = (self.children.get_mut(k), self.scores.get_mut(k)) {
            *c = children;
            *s = scores;
        }
    }
}

/// The `k`-th (0 = outermost) left or right child of word `i`, or NONE.
fn child_at(v: &[[usize; 2]], i: usize, k: usize) -> usize {
    v.get(i).map_or(NONE, |c| c[k])
}

/// The relation id of word `i` (0 for none or NONE).
fn label_at(st: &State, i: usize) -> u64 {
    u64::from(st.label.get(i).copied().unwrap_or(0))
}

/// Valency of word `i` plus one (0 for NONE).
fn count_at(v: &[u32], i: usize) -> u64 {
    if i == NONE {
        0
    } else {
        u64::from(v.get(i).copied().unwrap_or(0)) + 1
    }
}

/// The 128-bit label set of word `i` folded into 64 bits (0 for NONE).
fn set_at(v: &[u128], i: usize) -> u64 {
    let x = v.get(i).copied().unwrap_or(0);
    (x as u64) ^ ((x >> 64) as u64).rotate_left(17)
}

/// The features of the stack top alone: its word and tag, its children,
/// valency and label sets (and the bias). They change only when the
/// word gets a child, so the parser caches their scores per word.
fn s0_features(st: &State, lx: &Lex, out: &mut Vec<u64>) {
    out.clear();
    let s0 = st.s(0);
    let get = child_at;
    let lab = |i: usize| label_at(st, i);
    let cnt = count_at;
    let set = set_at;
    let s0l = get(&st.lc, s0, 0);
    let s0l2 = get(&st.lc, s0, 1);
    let s0r = get(&st.rc, s0, 0);
    let s0r2 = get(&st.rc, s0, 1);
    let (s0w, s0p) = (lx.w(s0), lx.p(s0));
    let f = |t: u8, a: u64, b: u64, c: u64| mix(t, a, b, c);
    out.extend_from_slice(&[
        f(0, 0, 0, 0),
        f(1, s0w, 0, 0),
        f(2, s0p, 0, 0),
        f(3, s0w, s0p, 0),
        f(60, s0w, cnt(&st.nr, s0), 0),
        f(61, s0p, cnt(&st.nr, s0), 0),
        f(62, s0w, cnt(&st.nl, s0), 0),
        f(63, s0p, cnt(&st.nl, s0), 0),
        f(70, lx.w(s0l), 0, 0),
        f(71, lx.p(s0l), 0, 0),
        f(72, lab(s0l), 0, 0),
        f(73, lx.w(s0r), 0, 0),
        f(74, lx.p(s0r), 0, 0),
        f(75, lab(s0r), 0, 0),
        f(84, s0p, lab(s0l), lab(s0r)),
        f(90, lx.w(s0l2), 0, 0),
        f(91, lx.p(s0l2), 0, 0),
        f(92, lab(s0l2), 0, 0),
        f(93, lx.w(s0r2), 0, 0),
        f(94, lx.p(s0r2), 0, 0),
        f(95, lab(s0r2), 0, 0),
        f(99, s0p, lx.p(s0l), lx.p(s0l2)),
        f(100, s0p, lx.p(s0r), lx.p(s0r2)),
        f(110, s0w, set(&st.rset, s0), 0),
        f(111, s0p, set(&st.rset, s0), 0),
        f(112, s0w, set(&st.lset, s0), 0),
        f(113, s0p, set(&st.lset, s0), 0),
    ]);
}

/// The features of the second stack word alone (cached like
/// [`s0_features`]).
fn s1_features(st: &State, lx: &Lex, out: &mut Vec<u64>) {
    out.clear();
    let s1 = st.s(1);
    let get = child_at;
    let lab = |i: usize| label_at(st, i);
    let cnt = count_at;
    let s1l = get(&st.lc, s1, 0);
    let s1r = get(&st.rc, s1, 0);
    let (s1w, s1p) = (lx.w(s1), lx.p(s1));
    let f = |t: u8, a: u64, b: u64, c: u64| mix(t, a, b, c);
    out.extend_from_slice(&[
        f(12, s1w, 0, 0),
        f(13, s1p, 0, 0),
        f(14, s1w, s1p, 0),
        f(66, s1p, cnt(&st.nr, s1), 0),
        f(67, s1p, cnt(&st.nl, s1), 0),
        f(79, lx.w(s1r), 0, 0),
        f(80, lx.p(s1r), 0, 0),
        f(81, lab(s1r), 0, 0),
        f(82, lx.p(s1l), 0, 0),
        f(83, lab(s1l), 0, 0),
        f(86, s1p, lab(s1l), lab(s1r)),
    ]);
}

/// The features of the first buffer word and its left children (cached
/// like [`s0_features`]).
fn b0_features(st: &State, lx: &Lex, out: &mut Vec<u64>) {
    out.clear();
    let b0 = st.buf(0);
    let get = child_at;
    let lab = |i: usize| label_at(st, i);
    let cnt = count_at;
    let set = set_at;
    let b0l = get(&st.lc, b0, 0);
    let b0l2 = get(&st.lc, b0, 1);
    let (b0w, b0p) = (lx.w(b0), lx.p(b0));
    let f = |t: u8, a: u64, b: u64, c: u64| mix(t, a, b, c);
    out.extend_from_slice(&[
        f(64, b0w, cnt(&st.nl, b0), 0),
        f(65, b0p, cnt(&st.nl, b0), 0),
        f(76, lx.w(b0l), 0, 0),
        f(77, lx.p(b0l), 0, 0),
        f(78, lab(b0l), 0, 0),
        f(85, b0p, lab(b0l), 0),
        f(96, lx.w(b0l2), 0, 0),
        f(97, lx.p(b0l2), 0, 0),
        f(98, lab(b0l2), 0, 0),
        f(101, b0p, lx.p(b0l), lx.p(b0l2)),
        f(114, b0w, set(&st.lset, b0), 0),
        f(115, b0p, set(&st.lset, b0), 0),
    ]);
}

/// The features that combine stack and buffer words (Zhang & Nivre 2011,
/// adapted to arc-hybrid: s1 plays the part of s0's head), recomputed
/// at every transition.
fn features(st: &State, lx: &Lex, out: &mut Vec<u64>) {
    out.clear();
    let s0 = st.s(0);
    let s1 = st.s(1);
    let s2 = st.s(2);
    let b0 = st.buf(0);
    let b1 = st.buf(1);
    let get = child_at;
    let s0l = get(&st.lc, s0, 0);
    let s0r = get(&st.rc, s0, 0);
    let b0l = get(&st.lc, b0, 0);
    let s1l = get(&st.lc, s1, 0);
    let s1r = get(&st.rc, s1, 0);
    let (s0w, s0p) = (lx.w(s0), lx.p(s0));
    let (s1w, s1p) = (lx.w(s1), lx.p(s1));
    let (b0w, b0p) = (lx.w(b0), lx.p(b0));
    let b1p = lx.p(b1);
    let d = distance(s0, b0);
    let f = |t: u8, a: u64, b: u64, c: u64| mix(t, a, b, c);
    out.extend_from_slice(&[
        f(15, lx.p(s2), 0, 0),
        f(16, lx.w(s2), 0, 0),
        f(20, s0w, s0p, mix(0, b0w, b0p, 0)),
        f(21, s0w, s0p, b0w),
        f(22, s0w, b0w, b0p),
        f(23, s0w, s0p, b0p),
        f(24, s0p, b0w, b0p),
        f(25, s0w, b0w, 0),
        f(26, s0p, b0p, 0),
        f(28, s1p, s0p, 0),
        f(29, s1w, s0w, 0),
        f(30, s1w, s1p, s0p),
        f(31, s1p, s0w, s0p),
        f(32, s1p, b0p, 0),
        f(33, s1w, b0w, 0),
        f(41, s0p, b0p, b1p),
        f(42, s1p, s0p, b0p),
        f(43, s0p, lx.p(s0l), b0p),
        f(44, s0p, lx.p(s0r), b0p),
        f(45, s0p, b0p, lx.p(b0l)),
        f(46, lx.p(s2), s1p, s0p),
        f(47, s1p, lx.p(s1r), s0p),
        f(48, s1p, lx.p(s1l), s0p),
        f(49, s1p, s0p, b0w),
        f(50, s0w, d, 0),
        f(51, s0p, d, 0),
        f(52, b0w, d, 0),
        f(53, b0p, d, 0),
        f(54, s0w, b0w, d),
        f(55, s0p, b0p, d),
        f(56, s1p, s0p, distance(s1, s0)),
        f(57, s1w, s0w, distance(s1, s0)),
    ]);
}

/// Features of the labeller for the arc `h -> d` about to be made: the two
/// words, their tags, suffix and shape of the dependent, its (complete)
/// children, the head's children so far on that side, neighbouring tags and
/// the distance.
fn label_features(st: &State, lx: &Lex, h: usize, d: usize, out: &mut Vec<u64>) {
    out.clear();
    let dir: u64 = if h > d { 1 } else { 2 };
    let lab = |i: usize| label_at(st, i);
    let child = |v: &Vec<[usize; 2]>, i: usize| child_at(v, i, 0);
    let set = set_at;
    let (dw, dp) = (lx.w(d), lx.p(d));
    let (hw, hp) = (lx.w(h), lx.p(h));
    let dl = child(&st.lc, d);
    let dr = child(&st.rc, d);
    // the head's children on the dependent's side, so far
    let hset = if dir == 1 {
        set(&st.lset, h)
    } else {
        set(&st.rset, h)
    };
    let near = |i: usize, k: isize| -> u64 {
        let j = i as isize + k;
        if j <= 0 {
            lx.p(NONE)
        } else {
            lx.p(j as usize)
        }
    };
    let dist = distance(h, d);
    let f = |t: u8, a: u64, b: u64, c: u64| mix(t, dir, mix(t, a, b, c), 0);
    out.extend_from_slice(&[
        f(1, 0, 0, 0),
        f(2, dw, 0, 0),
        f(3, dp, 0, 0),
        f(4, dw, dp, 0),
        f(8, hp, dp, 0),
        f(12, hp, dp, dist),
        f(13, dp, set(&st.lset, d), set(&st.rset, d)),
        f(14, dp, lab(dl), lab(dr)),
        f(15, hp, hset, 0),
        f(16, hp, dp, hset),
        f(17, dp, near(d, -1), 0),
        f(18, dp, near(d, 1), 0),
        f(19, hp, near(h, -1), 0),
        f(20, hp, near(h, 1), 0),
        f(21, lx.w(dl), hp, 0),
        f(22, lx.w(dl), dp, 0),
        f(23, lx.w(dl), hp, dp),
        f(24, lx.sfx(d), dp, 0),
        f(25, lx.sfx(d), hp, 0),
        f(29, lx.sfx(h), hp, dp),
        f(30, hw, lx.w(dl), 0),
    ]);
}

/// The best-scoring class accepted by `ok` (the first one on ties).
fn argmax_where(scores: &[f32], ok: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &x) in scores.iter().enumerate() {
        if ok(i) && best.is_none_or(|b| x > scores[b]) {
            best = Some(i);
        }
    }
    best
}

/// The transitions (the classes of the transition model).
const SHIFT: usize = 0;
const LEFT: usize = 1;
const RIGHT: usize = 2;
const TRANSITIONS: [&str; 3] = ["SHIFT", "LEFT", "RIGHT"];

/// Transition system facts that depend on the label set.
struct System {
    root: Option<usize>,
}

impl System {
    /// Whether transition `t` may be taken (the root takes its single
    /// dependent last, with a RIGHT arc).
    fn valid(&self, st: &State, t: usize) -> bool {
        let two = st.stack.len() >= 2;
        let buffer = st.b <= st.n;
        match t {
            SHIFT => buffer,
            LEFT => two && buffer,
            RIGHT => two && (st.s(1) != 0 || (!buffer && st.stack.len() == 2)),
            _ => false,
        }
    }

    /// The transition to take when it is the only valid one.
    fn forced(&self, st: &State) -> Option<usize> {
        let mut valid = [SHIFT, LEFT, RIGHT]
            .into_iter()
            .filter(|&t| self.valid(st, t));
        match (valid.next(), valid.next()) {
            (Some(t), None) => Some(t),
            _ => None,
        }
    }

    /// The best-scoring valid transition (the first one on ties).
    fn best_valid(&self, st: &State, scores: &[f32; 3]) -> Option<usize> {
        argmax_where(scores, |t| self.valid(st, t))
    }

    /// Head and dependent of the arc transition `t` makes (`None` for SHIFT).
    fn arc(st: &State, t: usize) -> Option<(usize, usize)> {
        match t {
            LEFT => Some((st.b, st.s(0))),
            RIGHT => Some((st.s(1), st.s(0))),
            _ => None,
        }
    }

    fn action(t: usize, label: usize) -> Action {
        match t {
            LEFT => Action::Left(label),
            RIGHT => Action::Right(label),
            _ => Action::Shift,
        }
    }

    /// The best label for a dependent of `h`: `root` under the root and
    /// never elsewhere (`scores`: one per label).
    fn best_label(&self, h: usize, scores: &[f32]) -> usize {
        if h == 0 {
            if let Some(r) = self.root {
                return r;
            }
        }
        // no other label: an index past the labels, written as `dep`
        argmax_where(scores, |l| Some(l) != self.root).unwrap_or(scores.len())
    }
}

/// A slot of a [`Table`]: a feature hash and its payload (0 = none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(16))]
struct TSlot {
    key: u64,
    /// The payload; bit 63 is [`OVERFLOW`] in a bucket's first slot.
    w: u64,
}

/// An empty slot: the largest key, no payload.
const TEMPTY: TSlot = TSlot {
    key: u64::MAX,
    w: 0,
};

/// Slots per bucket: one cache line.
const BUCKET: usize = 4;
/// Flag (in `w` of a bucket's first slot): some key whose home is this
/// bucket lies beyond it.
const OVERFLOW: u64 = 1 << 63;

/// Four slots on one cache line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(64))]
struct Bucket([TSlot; BUCKET]);

const EMPTY_BUCKET: Bucket = Bucket([TEMPTY; BUCKET]);

/// A read-only map from feature hashes to 63-bit payloads.
///
/// Design choice: 16-byte slots (the full 64-bit hash and the payload),
/// four to a cache-line bucket. Rows are inserted in increasing key order
/// at the first free slot from their home bucket (the key's top bits), with
/// no wrap-around, so the table stays sorted and building it is one pass
/// over sorted rows (which is why loading is fast). A look-up reads one
/// cache line and compares its four keys without branching: the version 2
/// table, which branched on every slot it probed and on the row layout,
/// spent much of its time on mispredicted branches. The rare keys pushed
/// out of their home bucket (load factor 1/4 to 1/2) are found by a linear
/// scan that runs only when the home bucket has the [`OVERFLOW`] flag.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Table {
    shift: u32,
    buckets: Vec<Bucket>,
    rows: usize,
}

impl Table {
    /// From rows sorted by strictly increasing key. Payloads must be below
    /// [`OVERFLOW`]; rows with the key `u64::MAX` or payload 0 are dropped.
    fn build(rows: &[(u64, u64)]) -> Result<Table> {
        if rows.windows(2).any(|r| r[0].0 >= r[1].0) || rows.iter().any(|r| r.1 >= OVERFLOW) {
            return Err(Error::Model("parser model: corrupt feature table".into()));
        }
        let keep = |r: &&(u64, u64)| r.0 != u64::MAX && r.1 != 0;
        let n = rows.iter().filter(keep).count();
        // load factor 1/4 to 1/2: denser tables send more keys out of their
        // home bucket and were slower
        let bits = (n.max(BUCKET) / 2)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(1, 62);
        let shift = 64 - bits;
        let mut buckets = vec![EMPTY_BUCKET; (1usize << bits) + 1];
        let mut next = 0usize;
        for &(key, w) in rows.iter().filter(keep) {
            let home = (key >> shift) as usize;
            let pos = (home * BUCKET).max(next);
            if pos / BUCKET + 1 >= buckets.len() {
                buckets.resize(pos / BUCKET + 2, EMPTY_BUCKET);
            }
            if pos / BUCKET != home {
                buckets[home].0[0].w |= OVERFLOW;
            }
            let s = &mut buckets[pos / BUCKET].0[pos % BUCKET];
            s.key = key;
            s.w = s.w & OVERFLOW | w;
            next = pos + 1;
        }
        Ok(Table {
            shift,
            buckets,
            rows: n,
        })
    }

    fn empty() -> Table {
        Table {
            shift: 62,
            buckets: vec![EMPTY_BUCKET; 5],
            rows: 0,
        }
    }

    /// The rows in key order: (key, payload).
    fn entries(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.buckets
            .iter()
            .flat_map(|b| b.0.iter())
            .filter(|s| s.key != u64::MAX)
            .map(|s| (s.key, s.w & !OVERFLOW))
    }

    #[inline(always)]
    fn prefetch(&self, f: u64) {
        prefetch(
            self.buckets
                .as_ptr()
                .wrapping_add((f >> self.shift) as usize),
        );
    }

    /// The payload of `f` (0 when unknown).
    #[inline(always)]
    fn find(&self, f: u64) -> u64 {
        let home = (f >> self.shift) as usize;
        let Some(b) = self.buckets.get(home) else {
            return 0;
        };
        // the compiler would turn a plain `if` (or a mask) back into
        // branches, which mispredict half of the time here
        let mut bits = 0u64;
        for s in &b.0 {
            bits |= std::hint::select_unpredictable(s.key == f, s.w, 0);
        }
        if b.0[0].w & OVERFLOW != 0 {
            bits |= self.find_beyond(f, home);
        }
        bits & !OVERFLOW
    }

    /// The payload of `f` when it is not in its home bucket.
    #[cold]
    fn find_beyond(&self, f: u64, home: usize) -> u64 {
        for b in self.buckets.iter().skip(home + 1) {
            for s in &b.0 {
                if s.key >= f {
                    return if s.key == f { s.w } else { 0 };
                }
            }
        }
        0
    }

    /// Row count, then the sorted keys delta-coded as varints.
    fn write_keys(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.rows as u64).to_le_bytes());
        let mut prev = 0u64;
        for (key, _) in self.entries() {
            put_varint(out, key - prev);
            prev = key;
        }
    }
}

/// Reads what [`Table::write_keys`] wrote.
fn read_keys(r: &mut Reader<'_>) -> Result<Vec<u64>> {
    let n = usize::try_from(r.u64()?).map_err(|_| r.corrupt())?;
    // every key takes at least a byte: bound the allocation
    if n > r.b.len() {
        return Err(r.corrupt());
    }
    let mut keys = Vec::with_capacity(n);
    let mut key = 0u64;
    for _ in 0..n {
        key = key.wrapping_add(r.varint()?);
        keys.push(key);
    }
    Ok(keys)
}

fn bf16(x: f32) -> u16 {
    if !x.is_finite() {
        return 0;
    }
    // round to nearest (ties away from zero) on the magnitude
    (x.to_bits().wrapping_add(0x8000) >> 16) as u16
}

fn from_bf16(x: u16) -> f32 {
    f32::from_bits(u32::from(x) << 16)
}

/// A weight kept by [`Parser::compact`]: 0 below `min`, else rounded to
/// `drop` fewer mantissa bits.
fn shrink(w: f32, min: f32, drop: u32) -> f32 {
    if w.abs() < min || !w.is_finite() {
        0.0
    } else if drop > 0 {
        let half = 1u32 << (drop - 1);
        f32::from_bits(w.to_bits().wrapping_add(half) & !((1u32 << drop) - 1))
    } else {
        w
    }
}

/// The transition model: rows of three bfloat16 weights (SHIFT, LEFT,
/// RIGHT, the top 16 bits of an `f32`: 8 of exponent, 7 of mantissa),
/// packed in bits 0-47 of a [`Table`] payload, so scoring a feature is one
/// cache line and three additions.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Transitions {
    table: Table,
}

fn pack(w: [u16; 3]) -> u64 {
    u64::from(w[0]) | u64::from(w[1]) << 16 | u64::from(w[2]) << 32
}

fn unpack(w: u64) -> [u16; 3] {
    [w as u16, (w >> 16) as u16, (w >> 32) as u16]
}

impl Transitions {
    /// From rows sorted by key (rows without a non-zero weight dropped).
    fn build(rows: &[(u64, [u16; 3])]) -> Result<Transitions> {
        let rows: Vec<(u64, u64)> = rows
            .iter()
            .map(|&(k, w)| (k, pack(w.map(|x| if x & 0x7fff == 0 { 0 } else { x }))))
            .collect();
        Ok(Transitions {
            table: Table::build(&rows)?,
        })
    }

    fn rows(&self) -> impl Iterator<Item = (u64, [u16; 3])> + '_ {
        self.table.entries().map(|(k, w)| (k, unpack(w)))
    }

    /// Sums the rows of `feats`: the scores of SHIFT, LEFT and RIGHT.
    ///
    /// Two passes so that the cache misses overlap (prefetch every home
    /// bucket, then look up and add), and four partial sums so that the
    /// additions do not wait for each other. The parser calls the two
    /// passes itself, to prefetch all the groups of a transition first.
    #[cfg(test)]
    fn scores(&self, feats: &[u64]) -> [f32; 3] {
        self.prefetch(feats);
        self.sum(feats)
    }

    /// Prefetches the home buckets of `feats` (for [`Transitions::sum`]).
    #[inline]
    fn prefetch(&self, feats: &[u64]) {
        for &f in feats {
            self.table.prefetch(f);
        }
    }

    /// [`Transitions::scores`] without the prefetch (done before).
    #[inline]
    fn sum(&self, feats: &[u64]) -> [f32; 3] {
        let mut acc = [[0f32; 3]; 4];
        let add = |a: &mut [f32; 3], w: u64| {
            a[0] += f32::from_bits((w as u32) << 16);
            a[1] += f32::from_bits(w as u32 & 0xffff_0000);
            a[2] += f32::from_bits((w >> 16) as u32 & 0xffff_0000);
        };
        let mut chunks = feats.chunks_exact(4);
        for c in &mut chunks {
            let [a0, a1, a2, a3] = &mut acc;
            add(a0, self.table.find(c[0]));
            add(a1, self.table.find(c[1]));
            add(a2, self.table.find(c[2]));
            add(a3, self.table.find(c[3]));
        }
        for (a, &f) in acc.iter_mut().zip(chunks.remainder()) {
            add(a, self.table.find(f));
        }
        let sum = |c: usize| (acc[0][c] + acc[1][c]) + (acc[2][c] + acc[3][c]);
        [sum(0), sum(1), sum(2)]
    }

    /// Rows (count, keys), then three little-endian bfloat16 per row.
    fn write(&self, out: &mut Vec<u8>) {
        self.table.write_keys(out);
        for (_, w) in self.rows() {
            for x in w {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Transitions> {
        let keys = read_keys(r)?;
        let body = r.take(keys.len().checked_mul(6).ok_or_else(|| r.corrupt())?)?;
        let rows: Vec<(u64, [u16; 3])> = keys
            .into_iter()
            .zip(body.chunks_exact(6))
            .map(|(k, b)| {
                let x = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
                (k, [x(0), x(2), x(4)])
            })
            .collect();
        let t = Transitions::build(&rows)?;
        if t.table.rows != rows.len() {
            return Err(r.corrupt());
        }
        Ok(t)
    }
}

/// The labeller: for each feature, its non-zero bfloat16 weights, one per
/// label.
///
/// Design choice: most rows hold one or two weights (83% for Spanish, 75%
/// for English); those live in the table payload itself ([`LINLINE`], label
/// and weight of each), so scoring such a feature is one cache line and one
/// or two additions. The other rows are dense (one weight per label, padded
/// to a multiple of 8 so the additions vectorise) and the payload is the row
/// number (from 1). Every label's sum takes its rows' weights in feature
/// order, as a dense row per feature would; the weights left out are zeros
/// (`+0.0`), and adding `+0.0` never changes a sum that starts at `+0.0`
/// (such a sum is never `-0.0`, which only `-0.0 + -0.0` gives), so the
/// scores are bit for bit those of the dense rows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Labeller {
    labels: Vec<String>,
    table: Table,
    stride: usize,
    /// The dense rows; row 0 (all zeros) is never referred to.
    weights: Vec<u16>,
}

/// Payload flag of a labeller row kept in the table: bits 0-15 the first
/// weight, 16-23 its label, 24-39 the second weight (0 = none), 40-47 its
/// label.
const LINLINE: u64 = 1 << 62;

/// The label and weight of the inline entry `k` (0 or 1) of payload `p`
/// (weight 0: no entry).
#[inline(always)]
fn inline_entry(p: u64, k: u32) -> (usize, u16) {
    let e = p >> (24 * k);
    (((e >> 16) & 0xff) as usize, e as u16)
}

impl Labeller {
    /// From rows sorted by key: (key, (label, weight) pairs).
    fn build(labels: Vec<String>, rows: &[(u64, Vec<(u16, u16)>)]) -> Result<Labeller> {
        let corrupt = || Error::Model("parser model: corrupt label weights".into());
        let n = labels.len();
        let stride = n.div_ceil(8).max(1) * 8;
        let mut weights = vec![0u16; stride];
        let mut keyed = Vec::with_capacity(rows.len());
        for (key, row) in rows {
            let row: Vec<&(u16, u16)> = row.iter().filter(|e| e.1 & 0x7fff != 0).collect();
            if row.is_empty() {
                continue;
            }
            if row.iter().any(|e| e.0 as usize >= n) {
                return Err(corrupt());
            }
            // inline: at most two weights, labels below 256 and in
            // increasing order (as `rows` gives them back)
            let inline = row.len() <= 2
                && row.iter().all(|e| e.0 < 256)
                && row.windows(2).all(|w| w[0].0 < w[1].0);
            if inline {
                let mut p = LINLINE;
                for (k, &&(l, w)) in row.iter().enumerate() {
                    p |= (u64::from(w) | u64::from(l) << 16) << (24 * k);
                }
                keyed.push((*key, p));
                continue;
            }
            let base = weights.len();
            keyed.push((*key, (base / stride) as u64));
            weights.resize(base + stride, 0);
            for &&(l, w) in &row {
                *weights.get_mut(base + l as usize).ok_or_else(corrupt)? = w;
            }
        }
        Ok(Labeller {
            labels,
            table: Table::build(&keyed)?,
            stride,
            weights,
        })
    }

    fn n_rows(&self) -> usize {
        self.table.rows
    }

    /// The rows in key order, with their non-zero weights.
    fn rows(&self) -> impl Iterator<Item = (u64, Vec<(u16, u16)>)> + '_ {
        self.table.entries().map(|(k, r)| {
            if r & LINLINE != 0 {
                let nz = (0..2)
                    .map(|e| inline_entry(r, e))
                    .filter(|&(_, w)| w != 0)
                    .map(|(l, w)| (l as u16, w))
                    .collect();
                return (k, nz);
            }
            let base = r as usize * self.stride;
            let row = self
                .weights
                .get(base..base + self.labels.len())
                .unwrap_or(&[]);
            let nz = row
                .iter()
                .enumerate()
                .filter(|(_, &w)| w & 0x7fff != 0)
                .map(|(l, &w)| (l as u16, w))
                .collect();
            (k, nz)
        })
    }

    /// Sums the rows of `feats` into `acc` (length: the stride).
    ///
    /// In passes, so that the cache misses overlap: prefetch the home
    /// buckets, find the rows (prefetching the dense ones), then add, in
    /// feature order.
    #[inline]
    fn scores(&self, feats: &[u64], acc: &mut Vec<f32>) {
        acc.clear();
        acc.resize(self.stride, 0.0);
        for &f in feats {
            self.table.prefetch(f);
        }
        let mut rows = [0u64; 32];
        for chunk in feats.chunks(rows.len()) {
            for (r, &f) in rows.iter_mut().zip(chunk) {
                *r = self.table.find(f);
                if *r & LINLINE == 0 && *r != 0 {
                    let p = self
                        .weights
                        .as_ptr()
                        .wrapping_add(*r as usize * self.stride);
                    prefetch(p);
                    prefetch(p.wrapping_add(self.stride - 1));
                }
            }
            for &r in rows.iter().take(chunk.len()) {
                if r & LINLINE != 0 {
                    for k in 0..2 {
                        let (l, w) = inline_entry(r, k);
                        if let Some(o) = acc.get_mut(l).filter(|_| w != 0) {
                            *o += from_bf16(w);
                        }
                    }
                } else if r != 0 {
                    let base = r as usize * self.stride;
                    if let Some(row) = self.weights.get(base..base + self.stride) {
                        for (o, &w) in acc.iter_mut().zip(row) {
                            *o += from_bf16(w);
                        }
                    }
                }
            }
        }
        acc.truncate(self.labels.len());
    }

    /// Labels, rows (count, keys), non-zero weights per row (varints), then
    /// the label (u16) and bfloat16 weight (u16) of each.
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        for l in &self.labels {
            out.extend_from_slice(&(l.len() as u32).to_le_bytes());
            out.extend_from_slice(l.as_bytes());
        }
        self.table.write_keys(out);
        let rows: Vec<Vec<(u16, u16)>> = self.rows().map(|r| r.1).collect();
        for r in &rows {
            put_varint(out, r.len() as u64);
        }
        for (l, _) in rows.iter().flatten() {
            out.extend_from_slice(&l.to_le_bytes());
        }
        for (_, w) in rows.iter().flatten() {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Labeller> {
        let labels = r.classes()?;
        if labels.is_empty() || labels.len() >= 1 << 15 {
            return Err(r.corrupt());
        }
        let keys = read_keys(r)?;
        let mut lens = Vec::with_capacity(keys.len());
        for _ in 0..keys.len() {
            let len = usize::try_from(r.varint()?).map_err(|_| r.corrupt())?;
            if len > labels.len() {
                return Err(r.corrupt());
            }
            lens.push(len);
        }
        let total: usize = lens.iter().sum();
        let ls = r.take(total * 2)?;
        let ws = r.take(total * 2)?;
        let mut it = ls.chunks_exact(2).zip(ws.chunks_exact(2));
        let mut rows = Vec::with_capacity(keys.len());
        for (key, len) in keys.into_iter().zip(lens) {
            let row: Vec<(u16, u16)> = it
                .by_ref()
                .take(len)
                .map(|(l, w)| {
                    (
                        u16::from_le_bytes([l[0], l[1]]),
                        u16::from_le_bytes([w[0], w[1]]),
                    )
                })
                .collect();
            rows.push((key, row));
        }
        let n = rows.len();
        let lab = Labeller::build(labels, &rows)?;
        if lab.n_rows() != n {
            return Err(r.corrupt());
        }
        Ok(lab)
    }
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
        &self.labeller.labels
    }

    /// The shared copy of `label` (one of [`Parse::deprels`]), for a word
    /// to hold without a string of its own.
    pub fn shared_label(&self, label: &str) -> std::sync::Arc<str> {
        self.shared_labels.get(label)
    }

    fn system(&self) -> System {
        System { root: self.root }
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
        let mut lscores = Vec::with_capacity(self.labeller.stride);
        let mut guard = 0;
        // scores of the features of one position alone, cached: the
        // buffer's (until the next SHIFT) and those of s0, s1 and b0 with
        // their children (until the word gets another child)
        let mut cached = NONE;
        let mut buffer = [0f32; 3];
        let mut caches = [(); 3].map(|_| Cache::new(n));
        // the features of the groups to score at this transition
        let [mut fbuf, mut f0, mut f1, mut fb] = [(); 4].map(|_| Vec::with_capacity(32));
        while !st.terminal() && guard <= 2 * n + 2 {
            guard += 1;
            // A configuration with one valid transition (only SHIFT on an
            // empty stack, only RIGHT on an empty buffer) takes it whatever
            // the scores: they are not computed. (The caches only hold
            // scores computed on demand, so skipping a step leaves them
            // valid.)
            let t = if let Some(t) = sys.forced(&st) {
                t
            } else {
                let (s0, s1, b0) = (st.s(0), st.s(1), st.buf(0));
                let [c0, c1, cb] = &mut caches;
                // First the features of every group whose scores are not
                // cached, and a prefetch of all their rows, then the look-ups:
                // the table does not fit in the core's cache, and prefetching
                // all the groups of a transition at once keeps more of its
                // cache misses in flight than scoring group after group (a
                // few per cent of the parse). Each group is still summed
                // alone, in the same order, so the scores are bit for bit
                // those of scoring it by itself.
                let fresh = st.b != cached;
                if fresh {
                    buffer_features(st.b, n, &lx, &mut fbuf);
                    self.trans.prefetch(&fbuf);
                }
                let (a0, a1, ab) = (c0.get(&st, s0), c1.get(&st, s1), cb.get(&st, b0));
                if a0.is_none() {
                    s0_features(&st, &lx, &mut f0);
                    self.trans.prefetch(&f0);
                }
                if a1.is_none() {
                    s1_features(&st, &lx, &mut f1);
                    self.trans.prefetch(&f1);
                }
                if ab.is_none() {
                    b0_features(&st, &lx, &mut fb);
                    self.trans.prefetch(&fb);
                }
                features(&st, &lx, &mut feats);
                self.trans.prefetch(&feats);
                if fresh {
                    buffer = self.trans.sum(&fbuf);
                    cached = st.b;
                }
                let a0 = a0.unwrap_or_else(|| {
                    let s = self.trans.sum(&f0);
                    c0.put(&st, s0, s);
                    s
                });
                let a1 = a1.unwrap_or_else(|| {
                    let s = self.trans.sum(&f1);
                    c1.put(&st, s1, s);
                    s
                });
                let ab = ab.unwrap_or_else(|| {
                    let s = self.trans.sum(&fb);
                    cb.put(&st, b0, s);
                    s
                });
                let mut scores = self.trans.sum(&feats);
                for (c, s) in scores.iter_mut().enumerate() {
                    *s += (buffer[c] + a0[c]) + (a1[c] + ab[c]);
                }
                let Some(t) = sys.best_valid(&st, &scores) else {
                    break;
                };
                t
            };
            let mut label = 0;
            if let Some((h, d)) = System::arc(&st, t) {
                if h == 0 && self.root.is_some() {
                    label = self.root.unwrap_or(0);
                } else {
                    label_features(&st, &lx, h, d, &mut feats);
                    self.labeller.scores(&feats, &mut lscores);
                    label = sys.best_label(h, &lscores);
                }
            }
            st.apply(System::action(t, label));
        }
        let fallback = self
            .root
            .and_then(|r| self.labels().get(r))
            .map(String::as_str)
            .unwrap_or(ROOT_LABEL);
        let dep = self
            .labels()
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
                    .and_then(|k| self.labels().get(k))
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
        let sys = System { root };
        let mut trans = Trainer::new(TRANSITIONS.iter().map(|t| t.to_string()).collect());
        let mut labeller = Trainer::new(labels.clone());
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
        let mut lfeats = Vec::with_capacity(64);
        let mut bfeats = Vec::with_capacity(16);
        let mut scores = Vec::new();
        let mut lscores = Vec::new();
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
                    for part in [buffer_features_of, s0_features, s1_features, b0_features] {
                        part(&st, &lx, &mut bfeats);
                        feats.extend_from_slice(&bfeats);
                    }
                    trans.predict(&feats, &mut scores);
                    let Some(guess) = argmax_where(&scores, |t| sys.valid(&st, t)) else {
                        break;
                    };
                    let cost = st.costs(gh);
                    let min = (0..3)
                        .filter(|&t| sys.valid(&st, t))
                        .map(|t| cost[t])
                        .min()
                        .unwrap_or(0);
                    let Some(truth) =
                        argmax_where(&scores, |t| sys.valid(&st, t) && cost[t] == min)
                    else {
                        break;
                    };
                    trans.update(&feats, truth, guess);
                    let next = if guess == truth || (explore && explore_rng.unit() < opts.explore_p)
                    {
                        guess
                    } else {
                        truth
                    };
                    let mut label = 0;
                    if let Some((h, d)) = System::arc(&st, next) {
                        if h == 0 && root.is_some() {
                            label = root.unwrap_or(0);
                        } else {
                            label_features(&st, &lx, h, d, &mut lfeats);
                            labeller.predict(&lfeats, &mut lscores);
                            let guess = sys.best_label(h, &lscores);
                            label = guess;
                            let gold_label = gl.get(d).copied().unwrap_or(NONE);
                            if gh.get(d) == Some(&h)
                                && gold_label < lscores.len()
                                && guess < lscores.len()
                                && Some(gold_label) != root
                            {
                                labeller.update(&lfeats, gold_label, guess);
                                if !(explore && explore_rng.unit() < opts.explore_p) {
                                    label = gold_label;
                                }
                            }
                        }
                    }
                    st.apply(System::action(next, label));
                }
            }
        }
        let trans: Vec<(u64, [u16; 3])> = dense_rows(&trans.average().to_bytes())
            .into_iter()
            .map(|(k, w)| {
                let g = |c: usize| bf16(w.get(c).copied().unwrap_or(0.0));
                (k, [g(0), g(1), g(2)])
            })
            .collect();
        let trans = Transitions::build(&trans).unwrap_or(Transitions {
            table: Table::empty(),
        });
        let rows: Vec<(u64, Vec<(u16, u16)>)> = dense_rows(&labeller.average().to_bytes())
            .into_iter()
            .map(|(k, w)| {
                let row = w
                    .iter()
                    .enumerate()
                    .map(|(l, &x)| (l as u16, bf16(x)))
                    .filter(|e| e.1 & 0x7fff != 0)
                    .collect();
                (k, row)
            })
            .collect();
        let labeller = Labeller::build(labels.clone(), &rows).unwrap_or(Labeller {
            labels,
            table: Table::empty(),
            stride: 8,
            weights: vec![0; 8],
        });
        Parser {
            trans,
            shared_labels: shared_labels(&labeller),
            labeller,
            root,
        }
    }

    /// Shrinks the model for storage: weights with magnitude below
    /// `min_abs_trans` (transition model) or `min_abs` (labeller) are
    /// dropped, the others keep `mantissa_bits` bits of mantissa (rounded
    /// to nearest; never more than the 7 of bfloat16), rows left empty are
    /// dropped. Returns (feature rows kept, rows before), both models
    /// together.
    pub fn compact(
        &mut self,
        min_abs_trans: f32,
        min_abs: f32,
        mantissa_bits: u32,
    ) -> (usize, usize) {
        let before = self.trans.table.rows + self.labeller.n_rows();
        let drop = 23u32.saturating_sub(mantissa_bits.min(23));
        let trans: Vec<(u64, [u16; 3])> = self
            .trans
            .rows()
            .map(|(k, w)| {
                (
                    k,
                    w.map(|x| bf16(shrink(from_bf16(x), min_abs_trans, drop))),
                )
            })
            .collect();
        if let Ok(t) = Transitions::build(&trans) {
            self.trans = t;
        }
        let rows: Vec<(u64, Vec<(u16, u16)>)> = self
            .labeller
            .rows()
            .map(|(k, row)| {
                let row = row
                    .into_iter()
                    .map(|(l, w)| (l, bf16(shrink(from_bf16(w), min_abs, drop))))
                    .collect();
                (k, row)
            })
            .collect();
        if let Ok(l) = Labeller::build(self.labeller.labels.clone(), &rows) {
            self.labeller = l;
        }
        (self.trans.table.rows + self.labeller.n_rows(), before)
    }

    /// Feature rows of the transition model and of the labeller.
    pub fn rows(&self) -> (usize, usize) {
        (self.trans.table.rows, self.labeller.n_rows())
    }

    /// Serialises (gzip-compressed, deterministic).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&VERSION.to_le_bytes());
        self.trans.write(&mut raw);
        self.labeller.write(&mut raw);
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
        let mut r = Reader { b: &raw, pos: 0 };
        if r.take(4).ok() != Some(MAGIC.as_slice()) {
            return Err(Error::Model("not a dateline parser model".into()));
        }
        let v = r.u32()?;
        if v != VERSION {
            return Err(Error::Model(format!(
                "parser model format version {v}, expected {VERSION} (models of versions 1 \
                 and 2 predicted transitions and labels jointly: retrain with `dateline \
                 train parser`)"
            )));
        }
        let trans = Transitions::read(&mut r)?;
        let labeller = Labeller::read(&mut r)?;
        if r.pos != raw.len() {
            return Err(r.corrupt());
        }
        let root = labeller.labels.iter().position(|l| l == ROOT_LABEL);
        Ok(Parser {
            trans,
            shared_labels: shared_labels(&labeller),
            labeller,
            root,
        })
    }
}

/// The rows of a dense perceptron model (`ml::perceptron::Model::to_bytes`),
/// in key order: (feature hash, one weight per class).
fn dense_rows(bytes: &[u8]) -> Vec<(u64, Vec<f32>)> {
    let mut r = Reader { b: bytes, pos: 0 };
    let mut out = Vec::new();
    let ok = r.take(4).ok() == Some(b"DLPM".as_slice()) && r.u32().ok() == Some(1);
    let Some(n) = ok.then(|| r.classes().ok()).flatten().map(|c| c.len()) else {
        return out;
    };
    let Some(rows) = r.u64().ok().and_then(|x| usize::try_from(x).ok()) else {
        return out;
    };
    let row_len = 8 + 4 * n;
    let Some(body) = rows.checked_mul(row_len).and_then(|len| r.take(len).ok()) else {
        return out;
    };
    for chunk in body.chunks_exact(row_len) {
        let mut h = [0u8; 8];
        h.copy_from_slice(&chunk[..8]);
        let w = chunk[8..]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        out.push((u64::from_le_bytes(h), w));
    }
    out.sort_by_key(|r| r.0);
    out
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
        let sys = System { root };
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
            let cost = st.costs(&gh);
            let zero: Vec<usize> = (0..3)
                .filter(|&t| sys.valid(&st, t) && cost[t] == 0)
                .collect();
            assert!(!zero.is_empty(), "no zero-cost transition");
            let t = zero[pick(&zero) % zero.len()];
            let label = System::arc(&st, t).map(|(_, d)| gl[d]).unwrap_or(0);
            st.apply(System::action(t, label));
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
            let sys = System { root: None };
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
                st.apply(System::action(c, 0));
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
        let (kept, total) = p.compact(0.5, 0.5, 6);
        assert!(kept <= total);
        assert!(p.to_bytes().unwrap_or_default().len() <= before);
        for s in treebank() {
            let w: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let t: Vec<&str> = s.tags.iter().map(String::as_str).collect();
            assert_eq!(p.parse(&w, &t).heads, s.heads);
        }
    }

    #[test]
    fn labeller_scores_like_the_rows_and_round_trips() {
        let labels: Vec<String> = (0..11).map(|l| format!("l{l}")).collect();
        let mut rng = Rng(777);
        let mut rows: Vec<(u64, Vec<(u16, u16)>)> = (0..300)
            .map(|k| {
                let mut row = Vec::new();
                for l in 0..(k % 12) as u16 {
                    if !rng.next().is_multiple_of(3) {
                        row.push((l % 11, bf16((rng.next() % 200) as f32 / 8.0 - 12.5)));
                    }
                }
                (rng.next() | 1, row)
            })
            .collect();
        rows.extend((0..30).map(|k| (0x4321_0000_0000_0000 + k, vec![(3, bf16(2.5))])));
        rows.sort_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0);
        for r in rows.iter_mut() {
            r.1.sort_by_key(|e| e.0);
            r.1.dedup_by_key(|e| e.0);
        }
        let lab = Labeller::build(labels.clone(), &rows);
        assert!(lab.is_ok());
        let Ok(lab) = lab else { return };
        let feats: Vec<u64> = rows
            .iter()
            .step_by(2)
            .map(|r| r.0)
            .chain([5, u64::MAX])
            .collect();
        let mut want = vec![0f32; labels.len()];
        for f in &feats {
            if let Some((_, row)) = rows.iter().find(|r| r.0 == *f) {
                for &(l, w) in row {
                    want[l as usize] += from_bf16(w);
                }
            }
        }
        let mut got = Vec::new();
        lab.scores(&feats, &mut got);
        assert_eq!(got, want);
        let kept: Vec<(u64, Vec<(u16, u16)>)> = rows
            .iter()
            .map(|r| {
                let nz = r.1.iter().copied().filter(|e| e.1 & 0x7fff != 0).collect();
                (r.0, nz)
            })
            .filter(|r: &(u64, Vec<(u16, u16)>)| !r.1.is_empty())
            .collect();
        assert_eq!(lab.rows().collect::<Vec<_>>(), kept);
        let mut raw = Vec::new();
        lab.write(&mut raw);
        let back = Labeller::read(&mut Reader { b: &raw, pos: 0 });
        assert_eq!(back.as_ref().ok(), Some(&lab));
        assert!(Labeller::read(&mut Reader {
            b: &raw[..raw.len() - 1],
            pos: 0
        })
        .is_err());
    }

    #[test]
    fn transition_table_scores_like_the_rows_and_round_trips() {
        let mut rng = Rng(31);
        let mut rows: Vec<(u64, [u16; 3])> = (0..500)
            .map(|_| {
                let w = [0, 1, 2].map(|_| bf16((rng.next() % 400) as f32 / 4.0 - 50.0));
                (rng.next() | 1, w)
            })
            .collect();
        // clustered keys exercise the probing
        rows.extend((0..40).map(|k| (0x1234_0000_0000_0000 + k, [bf16(1.5), 0, bf16(-2.0)])));
        rows.sort_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0);
        let t = Transitions::build(&rows);
        assert!(t.is_ok());
        let Ok(t) = t else { return };
        let feats: Vec<u64> = rows
            .iter()
            .step_by(3)
            .map(|r| r.0)
            .chain([7, 0x1234_0000_0000_0000 + 99, u64::MAX])
            .collect();
        let mut want = [0f32; 3];
        for f in &feats {
            if let Some((_, w)) = rows.iter().find(|r| r.0 == *f) {
                for c in 0..3 {
                    want[c] += from_bf16(w[c]);
                }
            }
        }
        assert_eq!(t.scores(&feats), want);
        let kept: Vec<(u64, [u16; 3])> = rows
            .iter()
            .copied()
            .filter(|r| r.1.iter().any(|&w| w & 0x7fff != 0))
            .collect();
        assert_eq!(t.rows().collect::<Vec<_>>(), kept);
        let mut raw = Vec::new();
        t.write(&mut raw);
        let back = Transitions::read(&mut Reader { b: &raw, pos: 0 });
        assert_eq!(back.as_ref().ok(), Some(&t));
        assert!(Transitions::read(&mut Reader {
            b: &raw[..raw.len() - 1],
            pos: 0
        })
        .is_err());
        assert_eq!(from_bf16(bf16(1.0)), 1.0);
        assert_eq!(from_bf16(bf16(-3.0)), -3.0);
    }

    #[test]
    fn old_format_versions_are_rejected_with_a_clear_error() {
        let mut raw = MAGIC.to_vec();
        raw.extend_from_slice(&2u32.to_le_bytes());
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        assert!(enc.write_all(&raw).is_ok());
        let gz = enc.finish().unwrap_or_default();
        match Parser::from_bytes(&gz) {
            Err(e) => assert!(e.to_string().contains("version 2"), "{e}"),
            Ok(_) => panic!("a version 2 file was accepted"),
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
