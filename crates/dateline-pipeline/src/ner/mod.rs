//! Named-entity recognition (PER, ORG, LOC, MISC) for Spanish and English.
//!
//! Design choice: a structured averaged perceptron (Collins 2002) over BILOU
//! tags with first-order Viterbi decoding: the emission weights are the
//! shared [`crate::ml::perceptron`] engine (hashed features, lazy averaging,
//! deterministic files), and the transition scores are a small dense
//! matrix trained beside it on the same clock. It is the model behind the
//! CoNLL-2002/2003 systems of its era plus the features that made them good
//! (clusters, gazetteers, affixes), small enough to ship and fast enough to
//! run on every sentence; see `models/README.md` for what it measures
//! against the peers. Words are the syntactic words of the tagging stage
//! ("del" → "de el"), at training and at prediction time, and the UPOS
//! features come from our own tagger at both times so that they agree.
//!
//! Model file: gzip of `DLNE` + version + text lines (the transition
//! matrix as exact f32 bit patterns, and which resources the features
//! used) + the perceptron model. The shipped models are embedded with
//! `include_bytes!`.

pub mod conll;
pub mod decode;
pub mod features;

use crate::error::{Error, Result};
use crate::kb::Kb;
use crate::lexicon::Lexicon;
use crate::ml::artifact;
use crate::ml::perceptron::{Model, Trainer};
use crate::tagger::Tagger;
use conll::Chunk;
use decode::{Tag, TYPES};
use features::Resources;
use std::collections::HashMap;
use std::sync::Arc;

const MAGIC: &[u8; 4] = b"DLNE";
const VERSION: u32 = 1;

const NER_ES: &[u8] = include_bytes!("../../../../models/ner-es.bin.gz");
const NER_EN: &[u8] = include_bytes!("../../../../models/ner-en.bin.gz");

/// A named entity over word indices `[start, end)`.
#[derive(Debug, Clone, PartialEq)]
pub struct NerSpan {
    pub start: usize,
    /// Exclusive.
    pub end: usize,
    /// PER, ORG, LOC or MISC.
    pub label: &'static str,
    /// Mean posterior probability of the span's tags (0-1).
    pub score: f32,
}

/// A sentence for training: syntactic words, their UPOS (from the tagger
/// the model will run behind) and the gold entities over word indices.
#[derive(Debug, Clone, Default)]
pub struct TrainSentence {
    pub words: Vec<String>,
    pub upos: Vec<String>,
    pub chunks: Vec<Chunk>,
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    /// Seed of the shuffling between epochs (training is deterministic).
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 10,
            seed: 0x9e37_79b9_7f4a_7c15,
        }
    }
}

/// A trained recogniser.
pub struct Ner {
    model: Model,
    tags: Vec<Tag>,
    /// `(tags + 1) * tags` transition scores, the last row for the start.
    trans: Vec<f32>,
    lexicon: Option<Arc<Lexicon>>,
    kb: Option<&'static Kb>,
}

fn builtin_lexicon(lang: &str) -> Result<Arc<Lexicon>> {
    Lexicon::builtin(lang)
}

impl Ner {
    /// Loads the shipped model of `lang` ("es" or "en") with the lexicon
    /// and KB its features were trained with.
    pub fn load(lang: &str) -> Result<Ner> {
        let bytes = match lang {
            "es" => NER_ES,
            "en" => NER_EN,
            _ => return Err(Error::Model(format!("no NER model for language {lang:?}"))),
        };
        // the lexicon (the slower part) loads beside the model: half the
        // start-up time on two cores
        let (lexicon, ner) = std::thread::scope(|s| {
            let h = s.spawn(|| builtin_lexicon(lang));
            (h.join(), Ner::from_bytes(bytes, None, None))
        });
        let lexicon = match lexicon {
            Ok(r) => r?,
            Err(_) => builtin_lexicon(lang)?,
        };
        let mut ner = ner?;
        ner.lexicon = Some(lexicon);
        ner.kb = Some(Kb::shared()?);
        Ok(ner)
    }

    /// The clusters shipped for `lang`, as [`Ner::load`] uses them (for
    /// training with the same features).
    pub fn builtin_lexicon(lang: &str) -> Result<Arc<Lexicon>> {
        builtin_lexicon(lang)
    }

    fn resources(&self) -> Resources<'_> {
        Resources {
            lexicon: self.lexicon.as_deref(),
            kb: self.kb,
        }
    }

    /// Finds the entities of one sentence. `upos` holds the tagger's UPOS of
    /// each word (missing tags count as `X`). Never panics; empty input
    /// gives no spans.
    pub fn tag(&self, forms: &[&str], upos: &[&str]) -> Vec<NerSpan> {
        let t = self.tags.len();
        if forms.is_empty() || t == 0 {
            return Vec::new();
        }
        let feats = features::sentence_features(self.resources(), forms, upos);
        let mut em = Vec::with_capacity(forms.len() * t);
        let mut buf = vec![0.0f32; t];
        for f in &feats {
            self.model.scores(f, &mut buf);
            em.extend_from_slice(&buf);
        }
        let path = decode::viterbi(&self.tags, &em, &self.trans);
        let spans = spans_of(&self.tags, &path);
        if spans.is_empty() {
            // posteriors only score spans: none, no forward-backward pass
            return Vec::new();
        }
        let post = decode::posteriors(&self.tags, &em, &self.trans);
        spans
            .into_iter()
            .map(|(start, end, ty)| {
                let score = (start..end)
                    .map(|i| post.get(i * t + path[i]).copied().unwrap_or(0.0))
                    .sum::<f32>()
                    / (end - start).max(1) as f32;
                NerSpan {
                    start,
                    end,
                    label: TYPES[ty],
                    score,
                }
            })
            .collect()
    }

    /// Trains a model. Deterministic: the same data, options and resources
    /// give a byte-identical model file.
    pub fn train(
        data: &[TrainSentence],
        opts: &TrainOptions,
        lexicon: Option<Arc<Lexicon>>,
        kb: Option<&'static Kb>,
    ) -> Ner {
        let mut types: Vec<&str> = data
            .iter()
            .flat_map(|s| s.chunks.iter().map(|c| c.label.as_str()))
            .collect();
        types.sort_unstable();
        types.dedup();
        let mut classes = vec!["O".to_string()];
        for ty in &types {
            for p in ["B", "I", "L", "U"] {
                classes.push(format!("{p}-{ty}"));
            }
        }
        classes.sort();
        let id: HashMap<&str, usize> = classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let tags: Vec<Tag> = classes.iter().map(|c| Tag::parse(c)).collect();
        let t = classes.len();
        let res = Resources {
            lexicon: lexicon.as_deref(),
            kb,
        };
        // features do not depend on tags: compute them once
        let mut feats: Vec<Vec<Vec<u64>>> = Vec::with_capacity(data.len());
        let mut golds: Vec<Vec<usize>> = Vec::with_capacity(data.len());
        for s in data {
            let forms: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
            let upos: Vec<&str> = s.upos.iter().map(|w| w.as_str()).collect();
            let mut f = features::sentence_features(res, &forms, &upos);
            f.iter_mut().for_each(|v| v.shrink_to_fit());
            feats.push(f);
            golds.push(
                conll::bilou(&s.chunks, forms.len())
                    .iter()
                    .map(|g| id.get(g.as_str()).copied().unwrap_or(0))
                    .collect(),
            );
        }
        let mut trainer = Trainer::new(classes.clone());
        let mut tw = vec![0.0f32; (t + 1) * t];
        let mut total = vec![0.0f64; (t + 1) * t];
        let mut stamp = vec![0u32; (t + 1) * t];
        let mut step: u32 = 0;
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut seed = opts.seed.max(1);
        let mut em: Vec<f32> = Vec::new();
        let mut buf = Vec::new();
        for _ in 0..opts.epochs {
            for i in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            for &k in &order {
                let (fs, gold) = (&feats[k], &golds[k]);
                if fs.is_empty() {
                    continue;
                }
                em.clear();
                for f in fs {
                    trainer.predict(f, &mut buf);
                    em.extend_from_slice(&buf);
                }
                let pred = decode::viterbi(&tags, &em, &tw);
                for i in 0..fs.len() {
                    let (g, p) = (gold[i], pred.get(i).copied().unwrap_or(0));
                    trainer.update(&fs[i], g, p);
                    step += 1;
                    let gp = if i == 0 { t } else { gold[i - 1] };
                    let pp = if i == 0 { t } else { pred[i - 1] };
                    if (gp, g) != (pp, p) {
                        for (cell, delta) in [(gp * t + g, 1.0f32), (pp * t + p, -1.0f32)] {
                            total[cell] += f64::from(step - stamp[cell]) * f64::from(tw[cell]);
                            stamp[cell] = step;
                            tw[cell] += delta;
                        }
                    }
                }
            }
        }
        let denom = f64::from(step.max(1));
        let trans = (0..tw.len())
            .map(|c| ((total[c] + f64::from(step - stamp[c]) * f64::from(tw[c])) / denom) as f32)
            .collect();
        Ner {
            model: trainer.average(),
            tags,
            trans,
            lexicon,
            kb,
        }
    }

    /// Shrinks the emission weights for shipping (see
    /// [`Model::compact`]); returns (rows kept, rows before).
    pub fn compact(&mut self, min_abs: f32, mantissa_bits: u32) -> (usize, usize) {
        self.model.compact(min_abs, mantissa_bits)
    }

    /// Serialises (gzip-compressed, deterministic).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut lines = vec![format!(
            "uses\t{}\t{}",
            if self.lexicon.is_some() {
                "lexicon"
            } else {
                "-"
            },
            if self.kb.is_some() { "kb" } else { "-" }
        )];
        let t = self.tags.len();
        for (k, w) in self.trans.iter().enumerate() {
            if *w != 0.0 {
                lines.push(format!(
                    "trans\t{}\t{}\t{:08x}",
                    k / t.max(1),
                    k % t.max(1),
                    w.to_bits()
                ));
            }
        }
        artifact::write(MAGIC, VERSION, &lines, &self.model)
    }

    /// Reads a model written by [`Ner::to_bytes`]; `lexicon` and `kb` must
    /// be those it was trained with.
    pub fn from_bytes(
        gz: &[u8],
        lexicon: Option<Arc<Lexicon>>,
        kb: Option<&'static Kb>,
    ) -> Result<Ner> {
        let (lines, model) = artifact::read(gz, MAGIC, VERSION, "NER")?;
        let tags: Vec<Tag> = model.classes.iter().map(|c| Tag::parse(c)).collect();
        let t = tags.len();
        let mut trans = vec![0.0f32; (t + 1) * t];
        let bad = || Error::Model("NER model: bad transition line".into());
        for line in &lines {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.first() != Some(&"trans") {
                continue;
            }
            let [_, p, c, w] = cols.as_slice() else {
                return Err(bad());
            };
            let p: usize = p.parse().map_err(|_| bad())?;
            let c: usize = c.parse().map_err(|_| bad())?;
            let w = u32::from_str_radix(w, 16).map_err(|_| bad())?;
            if p > t || c >= t {
                return Err(bad());
            }
            trans[p * t + c] = f32::from_bits(w);
        }
        Ok(Ner {
            model,
            tags,
            trans,
            lexicon,
            kb,
        })
    }
}

/// Spans (start, end, type index) of a legal tag path.
fn spans_of(tags: &[Tag], path: &[usize]) -> Vec<(usize, usize, usize)> {
    let names: Vec<String> = path
        .iter()
        .map(|&k| match tags.get(k) {
            Some(Tag {
                prefix,
                ty: Some(ty),
            }) => format!("{prefix}-{}", TYPES[*ty]),
            _ => "O".to_string(),
        })
        .collect();
    conll::chunks(&names)
        .into_iter()
        .map(|c| {
            let ty = TYPES.iter().position(|x| *x == c.label).unwrap_or(3);
            (c.start, c.end, ty)
        })
        .collect()
}

/// The syntactic words of surface tokens, as the tagging stage makes them
/// (multiword tokens expanded), each word's token, and the tagger's UPOS.
pub struct Words {
    pub words: Vec<String>,
    pub owner: Vec<usize>,
    pub upos: Vec<String>,
}

/// Expands and tags surface tokens with `tagger` (what the tagging stage
/// does to a sentence), so training and evaluation see the words and tags
/// the pipeline will give the recogniser.
pub fn words_of(tagger: &Tagger, tokens: &[String]) -> Words {
    let mut words = Vec::with_capacity(tokens.len());
    let mut owner = Vec::with_capacity(tokens.len());
    for (k, tok) in tokens.iter().enumerate() {
        for w in tagger.expand(tok) {
            words.push(w);
            owner.push(k);
        }
    }
    let refs: Vec<&str> = words.iter().map(|w| w.as_str()).collect();
    let upos = tagger.tag(&refs).into_iter().map(str::to_string).collect();
    Words { words, owner, upos }
}

impl Words {
    /// Token chunks mapped onto words.
    pub fn chunks_to_words(&self, chunks: &[Chunk]) -> Vec<Chunk> {
        chunks
            .iter()
            .filter_map(|c| {
                let s = self.owner.iter().position(|&o| o == c.start)?;
                let e = self.owner.iter().rposition(|&o| o + 1 == c.end)? + 1;
                Some(Chunk {
                    start: s,
                    end: e,
                    label: c.label.clone(),
                })
            })
            .collect()
    }

    /// Word spans mapped back onto tokens.
    pub fn spans_to_tokens(&self, spans: &[NerSpan]) -> Vec<Chunk> {
        let mut out: Vec<Chunk> = spans
            .iter()
            .filter_map(|s| {
                Some(Chunk {
                    start: *self.owner.get(s.start)?,
                    end: *self.owner.get(s.end.checked_sub(1)?)? + 1,
                    label: s.label.to_string(),
                })
            })
            .collect();
        out.dedup_by(|b, a| a.start == b.start);
        out
    }
}

#[cfg(test)]
mod tests;
