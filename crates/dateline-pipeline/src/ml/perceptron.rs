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

const MAGIC: &[u8; 4] = b"DLPM";
const VERSION: u32 = 1;

/// The hash of a feature value (a string), as [`feature`] and [`feature2`]
/// mix it in: callers that use one value in several templates (a word, its
/// suffixes) hash it once and combine with [`feature_h`] / [`feature2_h`].
///
/// This is the byte hash of `rustc_hash::FxHasher` 2.x (`FxHasher::write`),
/// with which the shipped models were trained; it is written out here so that
/// the models do not depend on the crate's internals (a test checks that the
/// two agree).
#[inline]
pub fn hash_str(value: &str) -> u64 {
    const SEED1: u64 = 0x243f_6a88_85a3_08d3;
    const SEED2: u64 = 0x1319_8a2e_0370_7344;
    const PREVENT_TRIVIAL_ZERO_COLLAPSE: u64 = 0xa409_3822_299f_31d0;
    #[inline]
    fn multiply_mix(x: u64, y: u64) -> u64 {
        let full = u128::from(x).wrapping_mul(u128::from(y));
        (full as u64) ^ ((full >> 64) as u64)
    }
    #[inline]
    fn u64_at(b: &[u8], at: usize) -> u64 {
        let mut a = [0u8; 8];
        if let Some(s) = b.get(at..at + 8) {
            a.copy_from_slice(s);
        }
        u64::from_le_bytes(a)
    }
    #[inline]
    fn u32_at(b: &[u8], at: usize) -> u64 {
        let mut a = [0u8; 4];
        if let Some(s) = b.get(at..at + 4) {
            a.copy_from_slice(s);
        }
        u64::from(u32::from_le_bytes(a))
    }
    let bytes = value.as_bytes();
    let len = bytes.len();
    let mut s0 = SEED1;
    let mut s1 = SEED2;
    if len <= 16 {
        if len >= 8 {
            s0 ^= u64_at(bytes, 0);
            s1 ^= u64_at(bytes, len - 8);
        } else if len >= 4 {
            s0 ^= u32_at(bytes, 0);
            s1 ^= u32_at(bytes, len - 4);
        } else if len > 0 {
            let lo = bytes[0];
            let mid = bytes[len / 2];
            let hi = bytes[len - 1];
            s0 ^= u64::from(lo);
            s1 ^= (u64::from(hi) << 8) | u64::from(mid);
        }
    } else {
        let mut at = 0;
        while at + 16 < len {
            let x = u64_at(bytes, at);
            let y = u64_at(bytes, at + 8);
            let t = multiply_mix(s0 ^ x, PREVENT_TRIVIAL_ZERO_COLLAPSE ^ y);
            s0 = s1;
            s1 = t;
            at += 16;
        }
        s0 ^= u64_at(bytes, len - 16);
        s1 ^= u64_at(bytes, len - 8);
    }
    multiply_mix(s0, s1) ^ (len as u64)
}

/// `FxHasher`'s word step.
#[inline]
fn fx_add(h: u64, i: u64) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    h.wrapping_add(i).wrapping_mul(K)
}

/// A feature from a template id and the [`hash_str`] of its value:
/// `feature_h(t, hash_str(v)) == feature(t, v)`.
#[inline]
pub fn feature_h(template: u8, value: u64) -> u64 {
    let h = fx_add(fx_add(fx_add(0, u64::from(template)), value), 0xff);
    h.rotate_left(26)
}

/// A feature with two values, from their [`hash_str`]:
/// `feature2_h(t, hash_str(a), hash_str(b)) == feature2(t, a, b)`.
#[inline]
pub fn feature2_h(template: u8, a: u64, b: u64) -> u64 {
    let h = fx_add(fx_add(fx_add(fx_add(0, u64::from(template)), a), 0xfe), b);
    h.rotate_left(26)
}

/// Hashes a feature: a template id and its value.
pub fn feature(template: u8, value: &str) -> u64 {
    feature_h(template, hash_str(value))
}

/// Hashes a feature with two values.
pub fn feature2(template: u8, a: &str, b: &str) -> u64 {
    feature2_h(template, hash_str(a), hash_str(b))
}

/// One non-zero weight of a feature row.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    class: u32,
    w: f32,
}

/// A slot of the feature table: a feature hash and its row.
///
/// Most rows hold one to three weights (an update adds to the truth and
/// subtracts from the guess), and every class of a row must be visited when
/// scoring, so rows are sparse: a row of one weight is stored in the slot
/// itself (`a` = [`INLINE`] | class, `b` = the weight's bits: one cache line
/// per feature); longer rows spill to `Model::entries` (`a` = length + 1,
/// `b` = start), and rows with weights for at least half the classes are
/// dense (`a` = [`DENSE`], `b` = row number in `Model::dense`), added with
/// vector instructions. An empty slot has `a == 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Slot {
    key: u64,
    a: u32,
    b: u32,
}

const EMPTY: Slot = Slot { key: 0, a: 0, b: 0 };

/// A feature's row, looked up ([`Model::row`]); the default is the row of
/// an unknown feature (adds nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Row {
    a: u32,
    b: u32,
}
const INLINE: u32 = 1 << 31;
const DENSE: u32 = u32::MAX;
/// With [`LINE_CLASSES`] classes, a dense row is one cache line of the
/// first 16 weights (`a` = [`LINE`] | row number in `Model::lines`) and the
/// last weight in the slot (`b` = its bits): one line fetched instead of
/// two for the 17 weights in a row.
const LINE: u32 = 1 << 30;
const LINE_CLASSES: usize = 17;

/// The first 16 weights of a dense row of [`LINE_CLASSES`] classes, one
/// cache line.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(align(64))]
struct Line([f32; 16]);
/// With at most this many classes, every row of two weights or more is
/// dense (fixed-length vector adds beat scattered ones).
const DENSE_CLASSES: usize = 24;

/// A trained (averaged) model.
///
/// Design choice: read-only weights in an open-addressing table built from
/// rows in increasing hash order, whose home slot is the hash's top bits,
/// with linear probing and no wrap-around, so the table stays sorted: a
/// look-up starts at the home slot and stops at the key, an empty slot or a
/// larger key, and the rows come out in key order for saving. Only non-zero
/// weights are kept (a weight whose bits are all zero, `+0.0`, is left out:
/// adding it never changes a sum that starts at `+0.0`), so the scores are
/// bit for bit those of the dense rows the model file holds, added in
/// feature order, and the file is written back byte for byte.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub classes: Vec<String>,
    shift: u32,
    slots: Vec<Slot>,
    rows: usize,
    entries: Vec<Entry>,
    dense: Vec<f32>,
    lines: Vec<Line>,
}

impl Model {
    /// Builds the table from `(feature, dense row)` pairs in strictly
    /// increasing feature order, each row as long as `classes`.
    fn build<R: DenseRow>(
        classes: Vec<String>,
        count: usize,
        rows: impl Iterator<Item = (u64, R)>,
    ) -> Result<Model> {
        let n = classes.len();
        let mut buf = vec![0f32; n];
        let table_bits = (count.max(2) * 2)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(1, 63);
        let shift = 64 - table_bits;
        let mut slots = vec![EMPTY; (1usize << table_bits) + 8];
        let mut entries = Vec::new();
        let mut dense = Vec::new();
        let mut lines: Vec<Line> = Vec::new();
        let mut next = 0usize;
        let mut last: Option<u64> = None;
        let mut kept = 0usize;
        for (key, row) in rows {
            if row.len() != n {
                return Err(Error::Model(format!(
                    "weight row of {} values for {n} classes",
                    row.len()
                )));
            }
            row.write(&mut buf);
            let row = buf.as_slice();
            match last {
                Some(l) if l == key => {
                    return Err(Error::Model(format!("feature {key:#x} given twice")))
                }
                Some(l) if l > key => return Err(Error::Model("feature rows out of order".into())),
                _ => {}
            }
            last = Some(key);
            let pos = ((key >> shift) as usize).max(next);
            if pos >= slots.len() {
                slots.resize(pos + 8, EMPTY);
            }
            let nonzero = row.iter().filter(|w| w.to_bits() != 0).count();
            slots[pos] = if nonzero == 1 && n <= (INLINE - 1) as usize {
                let (class, w) = row
                    .iter()
                    .enumerate()
                    .find(|(_, w)| w.to_bits() != 0)
                    .map(|(c, w)| (c as u32, *w))
                    .unwrap_or((0, 0.0));
                Slot {
                    key,
                    a: INLINE | class,
                    b: w.to_bits(),
                }
            } else if nonzero >= 2 && n == LINE_CLASSES && lines.len() < LINE as usize {
                let mut line = Line([0.0; 16]);
                line.0.copy_from_slice(&row[..16]);
                let k = lines.len() as u32;
                lines.push(line);
                Slot {
                    key,
                    a: LINE | k,
                    b: row[16].to_bits(),
                }
            } else if (nonzero >= 2 && n <= DENSE_CLASSES) || (nonzero >= 4 && nonzero * 2 >= n) {
                let k = u32::try_from(dense.len() / n.max(1))
                    .map_err(|_| Error::Model("too many feature rows".into()))?;
                dense.extend_from_slice(row);
                Slot {
                    key,
                    a: DENSE,
                    b: k,
                }
            } else {
                let start = u32::try_from(entries.len())
                    .map_err(|_| Error::Model("too many feature rows".into()))?;
                entries.extend(
                    row.iter()
                        .enumerate()
                        .filter(|(_, w)| w.to_bits() != 0)
                        .map(|(c, w)| Entry {
                            class: c as u32,
                            w: *w,
                        }),
                );
                Slot {
                    key,
                    a: nonzero as u32 + 1,
                    b: start,
                }
            };
            next = pos + 1;
            kept += 1;
        }
        Ok(Model {
            classes,
            shift,
            slots,
            rows: kept,
            entries,
            dense,
            lines,
        })
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    /// Number of feature rows.
    pub fn n_rows(&self) -> usize {
        self.rows
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

    /// Asks the CPU to start loading the table slot where a look-up of
    /// feature `key` begins: the table is far larger than the caches, so a
    /// look-up usually waits for memory, and a caller that knows its
    /// features ahead of time (the other words of a sentence) overlaps those
    /// waits instead of taking them one after another. A hint only: no
    /// effect on any result.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        let i = (key >> self.shift) as usize;
        if let Some(s) = self.slots.get(i) {
            prefetch(s);
        }
    }

    /// The row of feature `f`, looked up once to be added many times with
    /// [`Model::add`] (a handle valid for this model only).
    #[inline]
    pub fn row(&self, f: u64) -> Row {
        let s = self.find(f);
        Row { a: s.a, b: s.b }
    }

    /// Adds `row` (from [`Model::row`]) to `out`: the same as adding the
    /// feature's row.
    #[inline]
    pub fn add(&self, row: Row, out: &mut [f32]) {
        self.add_row(
            &Slot {
                key: 0,
                a: row.a,
                b: row.b,
            },
            out,
        );
    }

    /// Adds the row of slot `s` to `out`.
    #[inline(never)]
    fn add_row(&self, s: &Slot, out: &mut [f32]) {
        if s.a == 0 {
        } else if s.a == DENSE {
            let n = self.classes.len();
            let base = s.b as usize * n;
            if let Some(ws) = self.dense.get(base..base + n) {
                for (o, w) in out.iter_mut().zip(ws) {
                    *o += w;
                }
            }
        } else if s.a & INLINE != 0 {
            if let Some(o) = out.get_mut((s.a & !INLINE) as usize) {
                *o += f32::from_bits(s.b);
            }
        } else if s.a & LINE != 0 {
            if let (Some(line), Some((head, [last]))) = (
                self.lines.get((s.a & !LINE) as usize),
                out.split_first_chunk_mut::<16>(),
            ) {
                for (o, w) in head.iter_mut().zip(&line.0) {
                    *o += w;
                }
                *last += f32::from_bits(s.b);
            }
        } else {
            let start = s.b as usize;
            let len = s.a as usize - 1;
            for e in self.entries.get(start..start + len).unwrap_or(&[]) {
                if let Some(o) = out.get_mut(e.class as usize) {
                    *o += e.w;
                }
            }
        }
    }

    /// Adds each feature's row to `out` (length = number of classes).
    pub fn scores(&self, feats: &[u64], out: &mut [f32]) {
        out.iter_mut().for_each(|x| *x = 0.0);
        self.add_scores(feats, out);
    }

    /// Adds each feature's row to `out`, in order, without clearing it
    /// first: `scores(a ++ b)` is `scores(a)` then `add_scores(b)`, bit for
    /// bit.
    pub fn add_scores(&self, feats: &[u64], out: &mut [f32]) {
        for &f in feats {
            let s = self.find(f);
            self.add_row(&s, out);
        }
    }

    /// The best class for `scores` (the first of the highest).
    pub fn best(scores: &[f32]) -> usize {
        argmax(scores)
    }

    /// The best class for `feats`.
    pub fn predict(&self, feats: &[u64], buf: &mut Vec<f32>) -> usize {
        buf.resize(self.classes.len(), 0.0);
        self.scores(feats, buf);
        argmax(buf)
    }

    /// The rows in key order, dense (one weight per class).
    fn dense_rows(&self) -> impl Iterator<Item = (u64, Vec<f32>)> + '_ {
        let n = self.classes.len();
        self.slots.iter().filter(|s| s.a != 0).map(move |s| {
            let mut row = vec![0f32; n];
            if s.a == DENSE {
                let base = s.b as usize * n;
                if let Some(ws) = self.dense.get(base..base + n) {
                    row.copy_from_slice(ws);
                }
            } else if s.a & INLINE != 0 {
                if let Some(o) = row.get_mut((s.a & !INLINE) as usize) {
                    *o = f32::from_bits(s.b);
                }
            } else if s.a & LINE != 0 {
                if let Some(line) = self.lines.get((s.a & !LINE) as usize) {
                    for (o, w) in row.iter_mut().zip(&line.0) {
                        *o = *w;
                    }
                    if let Some(o) = row.get_mut(16) {
                        *o = f32::from_bits(s.b);
                    }
                }
            } else {
                let start = s.b as usize;
                let len = s.a as usize - 1;
                for e in self.entries.get(start..start + len).unwrap_or(&[]) {
                    if let Some(o) = row.get_mut(e.class as usize) {
                        *o = e.w;
                    }
                }
            }
            (s.key, row)
        })
    }

    /// Shrinks the model for storage: weights with magnitude below
    /// `min_abs` become 0, the others keep `mantissa_bits` bits of mantissa
    /// (rounded to nearest; 23 keeps them exact), and rows left all zero are
    /// dropped. Returns (rows kept, rows before).
    pub fn compact(&mut self, min_abs: f32, mantissa_bits: u32) -> (usize, usize) {
        let n = self.classes.len();
        let before = self.rows;
        if n == 0 {
            return (before, before);
        }
        let drop = 23u32.saturating_sub(mantissa_bits.min(23));
        let rows: Vec<(u64, Vec<f32>)> = self
            .dense_rows()
            .filter_map(|(h, mut ws)| {
                for w in ws.iter_mut() {
                    if w.abs() < min_abs || !w.is_finite() {
                        *w = 0.0;
                    } else if drop > 0 {
                        let bits = w.to_bits();
                        let half = 1u32 << (drop - 1);
                        let rounded = (bits.wrapping_add(half)) & !((1u32 << drop) - 1);
                        *w = f32::from_bits(rounded);
                    }
                }
                ws.iter().any(|w| *w != 0.0).then_some((h, ws))
            })
            .collect();
        if let Ok(m) = Model::build(self.classes.clone(), rows.len(), rows.into_iter()) {
            *self = m;
        }
        (self.rows, before)
    }

    /// Serialises the model (uncompressed).
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.classes.len();
        let mut out = Vec::with_capacity(16 + self.rows * (8 + 4 * n));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(n as u32).to_le_bytes());
        for c in &self.classes {
            out.extend_from_slice(&(c.len() as u32).to_le_bytes());
            out.extend_from_slice(c.as_bytes());
        }
        out.extend_from_slice(&(self.rows as u64).to_le_bytes());
        for (h, row) in self.dense_rows() {
            out.extend_from_slice(&h.to_le_bytes());
            for w in &row {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// A model from its classes and (feature, weight row) pairs, each row
    /// as long as `classes` (built by hand, e.g. by folding several models).
    pub fn from_rows(classes: Vec<String>, mut rows: Vec<(u64, Vec<f32>)>) -> Result<Model> {
        rows.sort_by_key(|r| r.0);
        Model::build(classes, rows.len(), rows.into_iter())
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
        let mut classes = Vec::with_capacity(n.min(1 << 16));
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
        let key = |chunk: &[u8]| {
            let mut h = [0u8; 8];
            h.copy_from_slice(&chunk[..8]);
            u64::from_le_bytes(h)
        };
        let rows_of = || {
            body.chunks_exact(row_len)
                .map(|chunk| (key(chunk), LeBytes(&chunk[8..])))
        };
        let sorted = rows_of()
            .zip(rows_of().skip(1))
            .all(|((a, _), (b, _))| a < b);
        if sorted {
            return Model::build(classes, rows, rows_of());
        }
        // a file written otherwise: a later row of a feature replaces an
        // earlier one
        let mut parsed: Vec<(u64, LeBytes)> = rows_of().collect();
        parsed.sort_by_key(|r| r.0);
        let mut dedup: Vec<(u64, LeBytes)> = Vec::with_capacity(parsed.len());
        for r in parsed {
            match dedup.last_mut() {
                Some(last) if last.0 == r.0 => *last = r,
                _ => dedup.push(r),
            }
        }
        let parsed = dedup;
        Model::build(classes, parsed.len(), parsed.into_iter())
    }
}

/// A dense row of weights, as [`Model::build`] reads them.
trait DenseRow {
    fn len(&self) -> usize;
    /// Writes the weights to `out` (of length `len()`).
    fn write(&self, out: &mut [f32]);
}

impl DenseRow for Vec<f32> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }
    fn write(&self, out: &mut [f32]) {
        out.iter_mut().zip(self).for_each(|(o, w)| *o = *w);
    }
}

/// Little-endian `f32`s, as in the model file.
#[derive(Clone, Copy)]
struct LeBytes<'a>(&'a [u8]);

impl DenseRow for LeBytes<'_> {
    fn len(&self) -> usize {
        self.0.len() / 4
    }
    fn write(&self, out: &mut [f32]) {
        for (o, b) in out.iter_mut().zip(self.0.chunks_exact(4)) {
            *o = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
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

/// A hint to load the cache line of `p` into the caches (no effect off
/// x86-64).
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    // SAFETY: SSE is part of the x86-64 baseline, and a prefetch is only a
    // hint: it never faults and never reads for the program, whatever the
    // address.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
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
        let mut rows: Vec<(u64, u32)> = self.index.iter().map(|(k, v)| (*k, *v)).collect();
        rows.sort_unstable();
        let mut kept: Vec<(u64, Vec<f32>)> = Vec::with_capacity(rows.len());
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
                kept.push((h, avg));
            }
        }
        let classes = self.classes;
        Model::build(classes.clone(), kept.len(), kept.into_iter()).unwrap_or(Model {
            classes,
            shift: 63,
            slots: vec![EMPTY; 10],
            rows: 0,
            entries: Vec::new(),
            dense: Vec::new(),
            lines: Vec::new(),
        })
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

    /// The features of the shipped models were hashed with
    /// `rustc_hash::FxHasher`; `hash_str` and the `_h` functions must give
    /// the same values.
    #[test]
    fn hashes_are_those_of_fxhasher() {
        use std::hash::Hasher;
        let fx1 = |t: u8, v: &str| {
            let mut h = rustc_hash::FxHasher::default();
            h.write_u8(t);
            h.write(v.as_bytes());
            h.write_u8(0xff);
            h.finish()
        };
        let fx2 = |t: u8, a: &str, b: &str| {
            let mut h = rustc_hash::FxHasher::default();
            h.write_u8(t);
            h.write(a.as_bytes());
            h.write_u8(0xfe);
            h.write(b.as_bytes());
            h.finish()
        };
        let long = "abcdefghijklmnopqrstuvwxyzñáéíóú0123456789-ÀÉÎÕÜ".repeat(3);
        let mut values: Vec<&str> = vec!["", "<s>", "</s>", "Ñ", "año", "canción", "EE.UU."];
        for end in 0..long.len() {
            if long.is_char_boundary(end) {
                values.push(&long[..end]);
            }
        }
        for (i, v) in values.iter().enumerate() {
            let t = (i * 7 % 256) as u8;
            assert_eq!(feature(t, v), fx1(t, v), "{v:?}");
            let w = values[(i * 13) % values.len()];
            assert_eq!(feature2(t, v, w), fx2(t, v, w), "{v:?} {w:?}");
            assert_eq!(feature_h(t, hash_str(v)), feature(t, v));
            assert_eq!(feature2_h(t, hash_str(v), hash_str(w)), feature2(t, v, w));
        }
    }

    /// Sparse, inline and dense rows score bit for bit like the dense sums
    /// in feature order, and the file round-trips byte for byte (negative
    /// zeros included).
    #[test]
    fn sparse_rows_score_like_dense_rows() {
        let n = 9;
        let classes: Vec<String> = (0..n).map(|c| format!("c{c}")).collect();
        let mut x = 0x1234_5678_9abc_def0u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut rows: Vec<(u64, Vec<f32>)> = Vec::new();
        for r in 0..400u64 {
            let nonzero = (r % (n as u64 + 1)) as usize;
            let mut ws = vec![0f32; n];
            for _ in 0..nonzero {
                let c = (next() % n as u64) as usize;
                ws[c] = ((next() % 2001) as f32 - 1000.0) / 7.0;
            }
            if r % 17 == 0 {
                ws[0] = -0.0;
            }
            rows.push((next() >> (r % 5), ws));
        }
        let m = Model::from_rows(classes.clone(), rows.clone()).expect("builds");
        let map: std::collections::HashMap<u64, Vec<f32>> = rows.iter().cloned().collect();
        let mut got = vec![0f32; n];
        for k in 0..200 {
            let feats: Vec<u64> = (0..(k % 70))
                .map(|j| {
                    if j % 3 == 0 {
                        next()
                    } else {
                        rows[(next() % rows.len() as u64) as usize].0
                    }
                })
                .collect();
            let mut want = vec![0f32; n];
            for f in &feats {
                if let Some(ws) = map.get(f) {
                    for (o, w) in want.iter_mut().zip(ws) {
                        *o += w;
                    }
                }
            }
            m.scores(&feats, &mut got);
            let bits = |v: &[f32]| v.iter().map(|w| w.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want));
        }
        // the file holds the dense rows, sorted
        let mut sorted = rows.clone();
        sorted.sort_by_key(|r| r.0);
        let mut want = Vec::new();
        want.extend_from_slice(MAGIC);
        want.extend_from_slice(&VERSION.to_le_bytes());
        want.extend_from_slice(&(n as u32).to_le_bytes());
        for c in &classes {
            want.extend_from_slice(&(c.len() as u32).to_le_bytes());
            want.extend_from_slice(c.as_bytes());
        }
        want.extend_from_slice(&(sorted.len() as u64).to_le_bytes());
        for (h, ws) in &sorted {
            want.extend_from_slice(&h.to_le_bytes());
            for w in ws {
                want.extend_from_slice(&w.to_le_bytes());
            }
        }
        assert_eq!(m.to_bytes(), want);
        let back = Model::from_bytes(&want).expect("reads");
        assert_eq!(back, m);
        assert!(Model::from_rows(classes, vec![(1, vec![0.0; n]), (1, vec![1.0; n])]).is_err());
    }
}
