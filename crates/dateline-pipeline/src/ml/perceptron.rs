//! A generic averaged perceptron over hashed sparse features.
//!
//! Design choice: features are hashed to `u64` by the caller (template id +
//! string, FxHash), so no feature strings are kept; each known feature owns
//! one dense row of class weights. Training keeps running totals and
//! time-stamps so that averaging is exact and costs nothing per update
//! (Collins 2002; the lazy-averaging trick of Honnibal's tagger). Saved models
//! hold the averaged weights only, rows sorted by feature hash and written
//! little-endian, so the same training run gives byte-identical files.

use crate::error::{Error, Result};
use rustc_hash::FxHashMap;
use std::hash::Hasher;

const MAGIC: &[u8; 4] = b"DLPM";
const VERSION: u32 = 1;

/// Hashes a feature: a template id and its value.
pub fn feature(template: u8, value: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write_u8(template);
    h.write(value.as_bytes());
    h.write_u8(0xff);
    h.finish()
}

/// Hashes a feature with two values.
pub fn feature2(template: u8, a: &str, b: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write_u8(template);
    h.write(a.as_bytes());
    h.write_u8(0xfe);
    h.write(b.as_bytes());
    h.finish()
}

/// A trained (averaged) model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub classes: Vec<String>,
    index: FxHashMap<u64, u32>,
    weights: Vec<f32>,
}

impl Model {
    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    /// Adds each feature's row to `out` (length = number of classes).
    pub fn scores(&self, feats: &[u64], out: &mut [f32]) {
        let n = self.classes.len();
        out.iter_mut().for_each(|x| *x = 0.0);
        for f in feats {
            if let Some(&row) = self.index.get(f) {
                let base = row as usize * n;
                if let Some(ws) = self.weights.get(base..base + n) {
                    for (o, w) in out.iter_mut().zip(ws) {
                        *o += w;
                    }
                }
            }
        }
    }

    /// The best class for `feats`.
    pub fn predict(&self, feats: &[u64], buf: &mut Vec<f32>) -> usize {
        buf.resize(self.classes.len(), 0.0);
        self.scores(feats, buf);
        argmax(buf)
    }

    /// Shrinks the model for storage: weights with magnitude below
    /// `min_abs` become 0, the others keep `mantissa_bits` bits of mantissa
    /// (rounded to nearest; 23 keeps them exact), and rows left all zero are
    /// dropped. Returns (rows kept, rows before).
    pub fn compact(&mut self, min_abs: f32, mantissa_bits: u32) -> (usize, usize) {
        let n = self.classes.len();
        let before = self.index.len();
        if n == 0 {
            return (before, before);
        }
        let drop = 23u32.saturating_sub(mantissa_bits.min(23));
        for w in self.weights.iter_mut() {
            if w.abs() < min_abs || !w.is_finite() {
                *w = 0.0;
            } else if drop > 0 {
                let bits = w.to_bits();
                let half = 1u32 << (drop - 1);
                let rounded = (bits.wrapping_add(half)) & !((1u32 << drop) - 1);
                *w = f32::from_bits(rounded);
            }
        }
        let mut rows: Vec<(u64, u32)> = self.index.iter().map(|(k, v)| (*k, *v)).collect();
        rows.sort_unstable();
        let mut index = FxHashMap::default();
        let mut weights = Vec::new();
        for (h, row) in rows {
            let base = row as usize * n;
            if let Some(ws) = self.weights.get(base..base + n) {
                if ws.iter().any(|w| *w != 0.0) {
                    index.insert(h, index.len() as u32);
                    weights.extend_from_slice(ws);
                }
            }
        }
        self.index = index;
        self.weights = weights;
        (self.index.len(), before)
    }

    /// Serialises the model (uncompressed).
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.classes.len();
        let mut rows: Vec<(u64, u32)> = self.index.iter().map(|(k, v)| (*k, *v)).collect();
        rows.sort_unstable();
        let mut out = Vec::with_capacity(16 + rows.len() * (8 + 4 * n));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(n as u32).to_le_bytes());
        for c in &self.classes {
            out.extend_from_slice(&(c.len() as u32).to_le_bytes());
            out.extend_from_slice(c.as_bytes());
        }
        out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        for (h, row) in rows {
            out.extend_from_slice(&h.to_le_bytes());
            let base = row as usize * n;
            for w in &self.weights[base..base + n] {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// A model from its classes and (feature, weight row) pairs, each row
    /// as long as `classes` (built by hand, e.g. by folding several models).
    pub fn from_rows(classes: Vec<String>, rows: Vec<(u64, Vec<f32>)>) -> Result<Model> {
        let n = classes.len();
        let mut index = FxHashMap::default();
        let mut weights = Vec::with_capacity(rows.len() * n);
        for (f, row) in rows {
            if row.len() != n {
                return Err(Error::Model(format!(
                    "weight row of {} values for {n} classes",
                    row.len()
                )));
            }
            let r = u32::try_from(index.len())
                .map_err(|_| Error::Model("too many feature rows".into()))?;
            if index.insert(f, r).is_some() {
                return Err(Error::Model(format!("feature {f:#x} given twice")));
            }
            weights.extend_from_slice(&row);
        }
        Ok(Model {
            classes,
            index,
            weights,
        })
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let mut r = Cursor { b: bytes, pos: 0 };
        if r.take(4)? != MAGIC {
            return Err(Error::Model("not a dateline perceptron model".into()));
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(Error::Model(format!(
                "model format version {version}, expected {VERSION}"
            )));
        }
        let n = r.u32()? as usize;
        let mut classes = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.u32()? as usize;
            let s = std::str::from_utf8(r.take(len)?)
                .map_err(|_| Error::Model("class name is not UTF-8".into()))?;
            classes.push(s.to_string());
        }
        let rows = r.u64()? as usize;
        let row_len = 8 + 4 * n;
        let body = r.take(
            rows.checked_mul(row_len)
                .ok_or_else(|| Error::Model("model file is corrupt".into()))?,
        )?;
        let mut index = FxHashMap::default();
        index.reserve(rows);
        let mut weights = Vec::with_capacity(rows * n);
        for (row, chunk) in body.chunks_exact(row_len).enumerate() {
            let mut h = [0u8; 8];
            h.copy_from_slice(&chunk[..8]);
            index.insert(u64::from_le_bytes(h), row as u32);
            weights.extend(
                chunk[8..]
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
        }
        Ok(Model {
            classes,
            index,
            weights,
        })
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let s = self
            .b
            .get(self.pos..self.pos.saturating_add(n))
            .ok_or_else(|| Error::Model("model file is truncated".into()))?;
        self.pos += n;
        Ok(s)
    }
    fn arr4(&mut self) -> Result<[u8; 4]> {
        let s = self.take(4)?;
        Ok([s[0], s[1], s[2], s[3]])
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.arr4()?))
    }
    fn u64(&mut self) -> Result<u64> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }
}

fn argmax(xs: &[f32]) -> usize {
    let mut best = 0;
    for (i, x) in xs.iter().enumerate() {
        if *x > xs[best] {
            best = i;
        }
    }
    best
}

/// Training state: current weights plus running totals for averaging.
pub struct Trainer {
    classes: Vec<String>,
    index: FxHashMap<u64, u32>,
    w: Vec<f32>,
    total: Vec<f64>,
    stamp: Vec<u32>,
    step: u32,
}

impl Trainer {
    pub fn new(classes: Vec<String>) -> Trainer {
        Trainer {
            classes,
            index: FxHashMap::default(),
            w: Vec::new(),
            total: Vec::new(),
            stamp: Vec::new(),
            step: 0,
        }
    }

    fn row(&mut self, f: u64) -> usize {
        let n = self.classes.len();
        let next = self.index.len() as u32;
        let row = *self.index.entry(f).or_insert(next);
        if row == next {
            self.w.extend(std::iter::repeat_n(0.0, n));
            self.total.extend(std::iter::repeat_n(0.0, n));
            self.stamp.extend(std::iter::repeat_n(0, n));
        }
        row as usize
    }

    /// Best class under the current (not averaged) weights.
    pub fn predict(&self, feats: &[u64], buf: &mut Vec<f32>) -> usize {
        let n = self.classes.len();
        buf.clear();
        buf.resize(n, 0.0);
        for f in feats {
            if let Some(&row) = self.index.get(f) {
                let base = row as usize * n;
                for (o, w) in buf.iter_mut().zip(&self.w[base..base + n]) {
                    *o += w;
                }
            }
        }
        argmax(buf)
    }

    /// One training example: moves weights towards `truth` and away from
    /// `guess` when they differ.
    pub fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        self.step += 1;
        if truth == guess {
            return;
        }
        let n = self.classes.len();
        for &f in feats {
            let row = self.row(f);
            for (c, delta) in [(truth, 1.0f32), (guess, -1.0f32)] {
                let k = row * n + c;
                self.total[k] += f64::from(self.step - self.stamp[k]) * f64::from(self.w[k]);
                self.stamp[k] = self.step;
                self.w[k] += delta;
            }
        }
    }

    /// Averages the weights and drops rows that are all (near) zero.
    pub fn average(self) -> Model {
        let n = self.classes.len();
        let step = f64::from(self.step.max(1));
        let mut index = FxHashMap::default();
        let mut weights = Vec::new();
        let mut rows: Vec<(u64, u32)> = self.index.iter().map(|(k, v)| (*k, *v)).collect();
        rows.sort_unstable();
        for (h, row) in rows {
            let base = row as usize * n;
            let avg: Vec<f32> = (0..n)
                .map(|c| {
                    let k = base + c;
                    let t =
                        self.total[k] + f64::from(self.step - self.stamp[k]) * f64::from(self.w[k]);
                    (t / step) as f32
                })
                .collect();
            if avg.iter().any(|w| w.abs() >= 1e-3) {
                index.insert(h, index.len() as u32);
                weights.extend(avg);
            }
        }
        Model {
            classes: self.classes,
            index,
            weights,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        let classes = vec!["even".to_string(), "odd".to_string()];
        let mut t = Trainer::new(classes);
        let mut buf = Vec::new();
        for _ in 0..5 {
            for i in 0..50u32 {
                let f = [feature(0, "bias"), feature(1, &(i % 2).to_string())];
                let g = t.predict(&f, &mut buf);
                t.update(&f, (i % 2) as usize, g);
            }
        }
        let m = t.average();
        for i in 0..4u32 {
            let f = [feature(0, "bias"), feature(1, &(i % 2).to_string())];
            assert_eq!(m.predict(&f, &mut buf), (i % 2) as usize);
        }
        let bytes = m.to_bytes();
        let back = Model::from_bytes(&bytes).ok();
        assert_eq!(back.as_ref(), Some(&m));
        assert!(Model::from_bytes(&bytes[..bytes.len() - 3]).is_err());
        assert!(Model::from_bytes(b"nope").is_err());
    }
}
