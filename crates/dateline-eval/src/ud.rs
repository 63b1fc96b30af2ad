//! UD evaluation: a Rust port of the CoNLL 2018 shared task scorer.
//!
//! Ported from `conll18_ud_eval.py` version 1.2 (Milan Straka and Martin Popel,
//! ÚFAL, Charles University; Mozilla Public License 2.0), as published in the
//! `ufal/conll2018` repository (`evaluation_script/conll18_ud_eval.py`). This is
//! an independent re-implementation in Rust of the algorithm it describes; no
//! code of the script is included.
//!
//! How it works (same as the script):
//!
//! * Gold and system files must contain the same characters once every
//!   character of Unicode category Zs is removed from the FORMs (tokens are
//!   concatenated); every token and sentence is then a character span and is
//!   correct when the system has exactly the same span.
//! * Words outside multiword tokens are aligned by span. Around multiword
//!   tokens (gold or system) a minimal "multiword span" is grown and the words
//!   inside it are aligned by a longest common subsequence of their
//!   lower-cased FORMs.
//! * Every metric reports precision, recall, F1 and (for the metrics computed
//!   on aligned words) aligned accuracy. FEATS keeps only universal features
//!   (sorted); DEPREL drops its subtype (`nmod:poss` → `nmod`); a gold LEMMA of
//!   `_` matches any system lemma; CLAS/MLAS/BLEX count content relations
//!   only, MLAS also compares the functional children (aux, cop, mark, det,
//!   clf, case, cc).
//!
//! Deviations: input is read by [`crate::conllu`], which is stricter on IDs
//! (all word IDs, including those inside multiword tokens, must be
//! consecutive; empty-node IDs must be well placed) and more lenient on blank
//! lines (extra blank lines and a missing final blank line are accepted, where
//! the script fails). Files both accept give identical numbers.

use std::io::BufRead;
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::conllu::{self, Sentence, TokenId};
use crate::{Error, Result};

/// Relations counted by CLAS, MLAS and BLEX.
pub const CONTENT_DEPRELS: [&str; 29] = [
    "nsubj",
    "obj",
    "iobj",
    "csubj",
    "ccomp",
    "xcomp",
    "obl",
    "vocative",
    "expl",
    "dislocated",
    "advcl",
    "advmod",
    "discourse",
    "nmod",
    "appos",
    "nummod",
    "acl",
    "amod",
    "conj",
    "fixed",
    "flat",
    "compound",
    "list",
    "parataxis",
    "orphan",
    "goeswith",
    "reparandum",
    "root",
    "dep",
];

/// Relations of the functional children compared by MLAS.
pub const FUNCTIONAL_DEPRELS: [&str; 7] = ["aux", "cop", "mark", "det", "clf", "case", "cc"];

/// Features kept for UFeats (the universal ones of UD v2).
pub const UNIVERSAL_FEATURES: [&str; 21] = [
    "PronType", "NumType", "Poss", "Reflex", "Foreign", "Abbr", "Gender", "Animacy", "Number",
    "Case", "Definite", "Degree", "VerbForm", "Mood", "Tense", "Aspect", "Voice", "Evident",
    "Polarity", "Person", "Polite",
];

/// Unicode general category Zs (space separators), removed from FORMs.
fn is_zs(c: char) -> bool {
    matches!(
        c,
        '\u{0020}' | '\u{00A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Character span `[start, end)` in the concatenated token characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

/// A word as the scorer sees it.
#[derive(Debug, Clone)]
struct Word {
    /// Span of the word, or of its whole multiword token.
    span: Span,
    is_multiword: bool,
    /// Lower-cased FORM, for the LCS alignment inside multiword spans.
    form_lower: String,
    lemma: String,
    upos: String,
    xpos: String,
    /// Universal features only, sorted, joined by `|` (`""` when none).
    feats: String,
    /// DEPREL without subtype.
    deprel: String,
    /// Index (in the document's words) of the HEAD word, `None` for the root.
    parent: Option<usize>,
    functional_children: Vec<usize>,
    is_content: bool,
    is_functional: bool,
}

/// A CoNLL-U file loaded for evaluation.
#[derive(Debug, Clone, Default)]
pub struct UdDocument {
    characters: Vec<char>,
    tokens: Vec<Span>,
    words: Vec<Word>,
    sentences: Vec<Span>,
}

fn universal_feats(feats: &str) -> String {
    let mut kept: Vec<&str> = feats
        .split('|')
        .filter(|f| {
            let name = f.split_once('=').map_or(*f, |(n, _)| n);
            UNIVERSAL_FEATURES.contains(&name)
        })
        .collect();
    kept.sort_unstable();
    kept.join("|")
}

fn tree_err(line: usize, message: impl Into<String>) -> Error {
    Error::Tree {
        line,
        message: message.into(),
    }
}

impl UdDocument {
    /// Loads a CoNLL-U stream.
    pub fn read<R: BufRead>(reader: R) -> Result<Self> {
        let mut doc = UdDocument::default();
        for s in conllu::Reader::new(reader) {
            doc.push_sentence(&s?)?;
        }
        Ok(doc)
    }

    /// Loads a CoNLL-U file.
    pub fn read_file(path: &Path) -> Result<Self> {
        let mut doc = UdDocument::default();
        for s in conllu::open_file(path)? {
            doc.push_sentence(&s.map_err(|e| match e {
                Error::Io { path: None, source } => Error::Io {
                    path: Some(path.to_path_buf()),
                    source,
                },
                other => other,
            })?)?;
        }
        Ok(doc)
    }

    /// Builds from parsed sentences.
    pub fn from_sentences(sentences: &[Sentence]) -> Result<Self> {
        let mut doc = UdDocument::default();
        for s in sentences {
            doc.push_sentence(s)?;
        }
        Ok(doc)
    }

    /// Number of scored words (multiword-token parts included, empty nodes excluded).
    pub fn num_words(&self) -> usize {
        self.words.len()
    }

    /// Number of surface tokens.
    pub fn num_tokens(&self) -> usize {
        self.tokens.len()
    }

    /// Number of sentences.
    pub fn num_sentences(&self) -> usize {
        self.sentences.len()
    }

    /// Adds one sentence (the script's `load_conllu`, one sentence at a time).
    pub fn push_sentence(&mut self, s: &Sentence) -> Result<()> {
        let sentence_start = self.characters.len();
        let first_word = self.words.len();
        // (word index in the document, line, raw HEAD) of every word of the sentence.
        let mut heads: Vec<(usize, Option<u32>)> = Vec::new();
        let mut mwt: Option<(u32, Span)> = None;
        for (i, t) in s.tokens.iter().enumerate() {
            let line = s.line + i;
            let (is_multiword, span, form_lower) = match t.id {
                TokenId::Empty(..) => continue,
                TokenId::Range(_, end) => {
                    let span = self.push_token(&t.form, line)?;
                    mwt = Some((end, span));
                    continue;
                }
                TokenId::Word(n) => match mwt {
                    Some((end, span)) if n <= end => (true, span, t.form.to_lowercase()),
                    _ => {
                        mwt = None;
                        let span = self.push_token(&t.form, line)?;
                        let stripped: String = t.form.chars().filter(|c| !is_zs(*c)).collect();
                        (false, span, stripped.to_lowercase())
                    }
                },
            };
            let deprel = t.deprel.split(':').next().unwrap_or("").to_string();
            heads.push((line, t.head));
            self.words.push(Word {
                span,
                is_multiword,
                form_lower,
                lemma: t.lemma.clone(),
                upos: t.upos.clone(),
                xpos: t.xpos.clone(),
                feats: universal_feats(&t.feats),
                is_content: CONTENT_DEPRELS.contains(&deprel.as_str()),
                is_functional: FUNCTIONAL_DEPRELS.contains(&deprel.as_str()),
                deprel,
                parent: None,
                functional_children: Vec::new(),
            });
        }
        let n = heads.len();
        let end_line = s.line + s.tokens.len();
        if n == 0 {
            return Err(tree_err(end_line, "sentence without any word"));
        }
        // HEADs.
        for (k, &(line, head)) in heads.iter().enumerate() {
            let head = head.ok_or_else(|| tree_err(line, "HEAD '_' cannot be evaluated"))?;
            let head = head as usize;
            if head > n {
                return Err(tree_err(
                    line,
                    format!("HEAD '{head}' points outside of the sentence"),
                ));
            }
            if head > 0 {
                self.words[first_word + k].parent = Some(first_word + head - 1);
            }
        }
        // Cycles: follow HEADs from every word; 0 = unvisited, 1 = on the current path, 2 = done.
        let mut state = vec![0u8; n];
        for k in 0..n {
            let mut path = Vec::new();
            let mut cur = Some(k);
            while let Some(c) = cur {
                match state[c] {
                    2 => break,
                    1 => {
                        return Err(tree_err(heads[c].0, "there is a cycle in the sentence"));
                    }
                    _ => {
                        state[c] = 1;
                        path.push(c);
                        cur = self.words[first_word + c].parent.map(|p| p - first_word);
                    }
                }
            }
            for c in path {
                state[c] = 2;
            }
        }
        for k in first_word..self.words.len() {
            if self.words[k].is_functional {
                if let Some(p) = self.words[k].parent {
                    self.words[p].functional_children.push(k);
                }
            }
        }
        let roots = self.words[first_word..]
            .iter()
            .filter(|w| w.parent.is_none())
            .count();
        if roots != 1 {
            return Err(tree_err(
                end_line,
                format!("there are {roots} roots in the sentence"),
            ));
        }
        self.sentences.push(Span {
            start: sentence_start,
            end: self.characters.len(),
        });
        Ok(())
    }

    fn push_token(&mut self, form: &str, line: usize) -> Result<Span> {
        let start = self.characters.len();
        self.characters.extend(form.chars().filter(|c| !is_zs(*c)));
        let end = self.characters.len();
        if start == end {
            return Err(tree_err(line, "empty FORM (after removing spaces)"));
        }
        let span = Span { start, end };
        self.tokens.push(span);
        Ok(span)
    }
}

/// One metric, as the script's `Score`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub correct: usize,
    pub gold_total: usize,
    pub system_total: usize,
    /// Number of aligned words considered (metrics on aligned words only).
    pub aligned_total: Option<usize>,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// `correct / aligned_total`; `Some(0.0)` when nothing is aligned, `None`
    /// for Tokens, Sentences and Words.
    pub aligned_accuracy: Option<f64>,
}

impl Score {
    fn new(gold_total: usize, system_total: usize, correct: usize, aligned: Option<usize>) -> Self {
        let c = correct as f64;
        let div = |num: f64, den: usize| if den > 0 { num / den as f64 } else { 0.0 };
        Score {
            correct,
            gold_total,
            system_total,
            aligned_total: aligned,
            precision: div(c, system_total),
            recall: div(c, gold_total),
            f1: div(2.0 * c, system_total + gold_total),
            aligned_accuracy: aligned.map(|a| div(c, a)),
        }
    }
}

/// All the metrics of the CoNLL 2018 scorer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UdScores {
    pub tokens: Score,
    pub sentences: Score,
    pub words: Score,
    pub upos: Score,
    pub xpos: Score,
    pub ufeats: Score,
    pub alltags: Score,
    pub lemmas: Score,
    pub uas: Score,
    pub las: Score,
    pub clas: Score,
    pub mlas: Score,
    pub blex: Score,
}

impl UdScores {
    /// `(name as printed by the script, score)` in the script's order.
    pub fn metrics(&self) -> [(&'static str, &Score); 13] {
        [
            ("Tokens", &self.tokens),
            ("Sentences", &self.sentences),
            ("Words", &self.words),
            ("UPOS", &self.upos),
            ("XPOS", &self.xpos),
            ("UFeats", &self.ufeats),
            ("AllTags", &self.alltags),
            ("Lemmas", &self.lemmas),
            ("UAS", &self.uas),
            ("LAS", &self.las),
            ("CLAS", &self.clas),
            ("MLAS", &self.mlas),
            ("BLEX", &self.blex),
        ]
    }

    /// Percentages (0–100): `{"tokens": {"precision", "recall", "f1"}, ...,
    /// "upos": {..., "aligned_accuracy"}, ...}` with lower-case metric keys;
    /// `aligned_accuracy` only for the metrics computed on aligned words
    /// (UPOS … BLEX).
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        for (name, s) in self.metrics() {
            let mut m = Map::new();
            m.insert("precision".into(), json!(100.0 * s.precision));
            m.insert("recall".into(), json!(100.0 * s.recall));
            m.insert("f1".into(), json!(100.0 * s.f1));
            if let Some(a) = s.aligned_accuracy {
                m.insert("aligned_accuracy".into(), json!(100.0 * a));
            }
            map.insert(name.to_lowercase(), Value::Object(m));
        }
        Value::Object(map)
    }

    /// The script's verbose (`-v`) table.
    pub fn to_table(&self) -> String {
        let mut out = String::from(
            "Metric     | Precision |    Recall |  F1 Score | AligndAcc\n\
             -----------+-----------+-----------+-----------+-----------\n",
        );
        for (name, s) in self.metrics() {
            let acc = s
                .aligned_accuracy
                .map_or_else(String::new, |a| format!("{:10.2}", 100.0 * a));
            out.push_str(&format!(
                "{:11}|{:10.2} |{:10.2} |{:10.2} |{}\n",
                name,
                100.0 * s.precision,
                100.0 * s.recall,
                100.0 * s.f1,
                acc
            ));
        }
        out
    }
}

/// Word alignment between gold and system.
struct Alignment {
    /// (gold word, system word) pairs.
    matched: Vec<(usize, usize)>,
    /// For each system word, the gold word it is aligned to.
    system_to_gold: Vec<Option<usize>>,
}

/// The gold word a (gold or system) HEAD points to, as the script's `ga(w.parent)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ref {
    Root,
    Gold(usize),
    NotAligned,
}

fn spans_score(gold: &[Span], system: &[Span]) -> Score {
    let (mut correct, mut gi, mut si) = (0, 0, 0);
    while gi < gold.len() && si < system.len() {
        if system[si].start < gold[gi].start {
            si += 1;
        } else if gold[gi].start < system[si].start {
            gi += 1;
        } else {
            correct += usize::from(gold[gi].end == system[si].end);
            si += 1;
            gi += 1;
        }
    }
    Score::new(gold.len(), system.len(), correct, None)
}

fn beyond_end(words: &[Word], i: usize, mw_end: usize) -> bool {
    match words.get(i) {
        None => true,
        Some(w) if w.is_multiword => w.span.start >= mw_end,
        Some(w) => w.span.end > mw_end,
    }
}

fn extend_end(word: &Word, mw_end: usize) -> usize {
    if word.is_multiword && word.span.end > mw_end {
        word.span.end
    } else {
        mw_end
    }
}

/// Returns `(gs, ss, gi, si)`: the multiword span covers gold words `gs..gi`
/// and system words `ss..si`. Requires `gi < gold.len() && si < system.len()`.
fn find_multiword_span(
    gold: &[Word],
    system: &[Word],
    mut gi: usize,
    mut si: usize,
) -> (usize, usize, usize, usize) {
    let mut mw_end;
    if gold[gi].is_multiword {
        mw_end = gold[gi].span.end;
        if !system[si].is_multiword && system[si].span.start < gold[gi].span.start {
            si += 1;
        }
    } else {
        mw_end = system[si].span.end;
        if !gold[gi].is_multiword && gold[gi].span.start < system[si].span.start {
            gi += 1;
        }
    }
    let (gs, ss) = (gi, si);
    while !beyond_end(gold, gi, mw_end) || !beyond_end(system, si, mw_end) {
        if gi < gold.len() && (si >= system.len() || gold[gi].span.start <= system[si].span.start) {
            mw_end = extend_end(&gold[gi], mw_end);
            gi += 1;
        } else {
            mw_end = extend_end(&system[si], mw_end);
            si += 1;
        }
    }
    (gs, ss, gi, si)
}

/// LCS table over lower-cased FORMs: `lcs[g][s]` for suffixes starting at
/// `gold[gs + g]` and `system[ss + s]`; stored with one extra row and column of zeros.
fn compute_lcs(gold: &[Word], system: &[Word]) -> Vec<Vec<usize>> {
    let (ng, ns) = (gold.len(), system.len());
    let mut lcs = vec![vec![0usize; ns + 1]; ng + 1];
    for g in (0..ng).rev() {
        for s in (0..ns).rev() {
            let mut v = 0;
            if gold[g].form_lower == system[s].form_lower {
                v = 1 + lcs[g + 1][s + 1];
            }
            v = v.max(lcs[g + 1][s]);
            v = v.max(lcs[g][s + 1]);
            lcs[g][s] = v;
        }
    }
    lcs
}

fn align_words(gold: &[Word], system: &[Word]) -> Alignment {
    let mut al = Alignment {
        matched: Vec::new(),
        system_to_gold: vec![None; system.len()],
    };
    let push = |al: &mut Alignment, g: usize, s: usize| {
        al.matched.push((g, s));
        al.system_to_gold[s] = Some(g);
    };
    let (mut gi, mut si) = (0, 0);
    while gi < gold.len() && si < system.len() {
        if gold[gi].is_multiword || system[si].is_multiword {
            let (gs, ss, ge, se) = find_multiword_span(gold, system, gi, si);
            gi = ge;
            si = se;
            if se > ss && ge > gs {
                let (gw, sw) = (&gold[gs..ge], &system[ss..se]);
                let lcs = compute_lcs(gw, sw);
                let (mut g, mut s) = (0, 0);
                while g < gw.len() && s < sw.len() {
                    if gw[g].form_lower == sw[s].form_lower {
                        push(&mut al, gs + g, ss + s);
                        g += 1;
                        s += 1;
                    } else if lcs[g][s] == lcs[g + 1][s] {
                        g += 1;
                    } else {
                        s += 1;
                    }
                }
            }
        } else if gold[gi].span == system[si].span {
            push(&mut al, gi, si);
            gi += 1;
            si += 1;
        } else if gold[gi].span.start <= system[si].span.start {
            gi += 1;
        } else {
            si += 1;
        }
    }
    al
}

/// Lemma comparison rule of the script: a gold lemma `_` matches anything.
fn lemma_ok(g: &Word, s: &Word) -> bool {
    g.lemma == "_" || g.lemma == s.lemma
}

type WordFilter<'a> = &'a dyn Fn(&Word) -> bool;
type WordEq<'a> = &'a dyn Fn(&Word, &Word) -> bool;

/// Scores a system document against a gold document.
pub fn evaluate(gold: &UdDocument, system: &UdDocument) -> Result<UdScores> {
    if gold.characters != system.characters {
        let mut i = 0;
        while i < gold.characters.len()
            && i < system.characters.len()
            && gold.characters[i] == system.characters[i]
        {
            i += 1;
        }
        let excerpt = |c: &[char]| c.iter().skip(i).take(20).collect::<String>();
        return Err(Error::TextMismatch {
            offset: i,
            gold: excerpt(&gold.characters),
            system: excerpt(&system.characters),
        });
    }
    let (gw, sw) = (&gold.words, &system.words);
    let al = align_words(gw, sw);

    let gold_ref = |w: &Word| w.parent.map_or(Ref::Root, Ref::Gold);
    let sys_ref = |w: &Word| match w.parent {
        None => Ref::Root,
        Some(p) => al.system_to_gold[p].map_or(Ref::NotAligned, Ref::Gold),
    };
    let sys_child_ref = |c: usize| al.system_to_gold[c].map_or(Ref::NotAligned, Ref::Gold);

    let score = |filter: Option<WordFilter>, key: Option<WordEq>| {
        let pass = |w: &Word| match filter {
            None => true,
            Some(f) => f(w),
        };
        let gold_n = gw.iter().filter(|w| pass(w)).count();
        let sys_n = sw.iter().filter(|w| pass(w)).count();
        let aligned = al.matched.iter().filter(|(g, _)| pass(&gw[*g])).count();
        match key {
            None => Score::new(gold_n, sys_n, aligned, None),
            Some(eq) => {
                let correct = al
                    .matched
                    .iter()
                    .filter(|(g, s)| pass(&gw[*g]) && eq(&gw[*g], &sw[*s]))
                    .count();
                Score::new(gold_n, sys_n, correct, Some(aligned))
            }
        }
    };
    let content = |w: &Word| w.is_content;
    let attach = |g: &Word, s: &Word| gold_ref(g) == sys_ref(s);
    let labelled = |g: &Word, s: &Word| attach(g, s) && g.deprel == s.deprel;
    let mlas = |g: &Word, s: &Word| {
        labelled(g, s)
            && g.upos == s.upos
            && g.feats == s.feats
            && g.functional_children.len() == s.functional_children.len()
            && g.functional_children
                .iter()
                .zip(&s.functional_children)
                .all(|(&gc, &sc)| {
                    let (gcw, scw) = (&gw[gc], &sw[sc]);
                    Ref::Gold(gc) == sys_child_ref(sc)
                        && gcw.deprel == scw.deprel
                        && gcw.upos == scw.upos
                        && gcw.feats == scw.feats
                })
    };
    let blex = |g: &Word, s: &Word| labelled(g, s) && lemma_ok(g, s);

    Ok(UdScores {
        tokens: spans_score(&gold.tokens, &system.tokens),
        sentences: spans_score(&gold.sentences, &system.sentences),
        words: score(None, None),
        upos: score(None, Some(&|g, s| g.upos == s.upos)),
        xpos: score(None, Some(&|g, s| g.xpos == s.xpos)),
        ufeats: score(None, Some(&|g, s| g.feats == s.feats)),
        alltags: score(
            None,
            Some(&|g, s| g.upos == s.upos && g.xpos == s.xpos && g.feats == s.feats),
        ),
        lemmas: score(None, Some(&lemma_ok)),
        uas: score(None, Some(&attach)),
        las: score(None, Some(&labelled)),
        clas: score(Some(&content), Some(&labelled)),
        mlas: score(Some(&content), Some(&mlas)),
        blex: score(Some(&content), Some(&blex)),
    })
}

/// Scores a system CoNLL-U file against a gold one.
pub fn evaluate_files(gold: &Path, system: &Path) -> Result<UdScores> {
    let g = UdDocument::read_file(gold)?;
    let s = UdDocument::read_file(system)?;
    evaluate(&g, &s)
}

/// Scores system sentences against gold sentences.
pub fn evaluate_sentences(gold: &[Sentence], system: &[Sentence]) -> Result<UdScores> {
    evaluate(
        &UdDocument::from_sentences(gold)?,
        &UdDocument::from_sentences(system)?,
    )
}

#[cfg(test)]
mod tests {
    //! Small hand-written cases; the expected figures are those printed by
    //! `conll18_ud_eval.py` 1.2 on the same text.
    use super::*;
    use crate::conllu::parse_str;

    /// Test CoNLL-U is written with runs of spaces instead of tabs.
    fn doc(text: &str) -> Result<UdDocument> {
        let tabbed: String = text
            .trim_start_matches('\n')
            .lines()
            .map(|l| {
                if l.starts_with('#') {
                    l.to_string()
                } else {
                    l.split(' ')
                        .filter(|f| !f.is_empty())
                        .collect::<Vec<_>>()
                        .join("\t")
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        UdDocument::from_sentences(&parse_str(&(tabbed + "\n\n"))?)
    }

    fn eval(gold: &str, system: &str) -> Result<UdScores> {
        evaluate(&doc(gold)?, &doc(system)?)
    }

    type Expected = (
        &'static str,
        usize,
        usize,
        usize,
        Option<usize>,
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    );

    fn check(scores: &UdScores, expected: &[Expected; 13]) {
        let pct = |x: f64| format!("{:.4}", 100.0 * x);
        for ((name, s), e) in scores.metrics().iter().zip(expected) {
            assert_eq!(name, &e.0);
            assert_eq!(
                (s.correct, s.gold_total, s.system_total, s.aligned_total),
                (e.1, e.2, e.3, e.4),
                "{name} counts"
            );
            assert_eq!(
                (pct(s.precision), pct(s.recall), pct(s.f1)),
                (e.5.to_string(), e.6.to_string(), e.7.to_string()),
                "{name} P/R/F1"
            );
            assert_eq!(
                s.aligned_accuracy.map(pct),
                e.8.map(str::to_string),
                "{name} AlignedAcc"
            );
        }
    }

    /// Spanish: gold MWTs "del" = de + el and "dárselo" = dar + se + lo;
    /// the system leaves "del" unsplit and analyses "dárselo" as dar + selo
    /// (LCS alignment inside the multiword span), and attaches "y" wrongly.
    const GOLD_ES: &str = r#"
# text = Vengo del centro y quiero dárselo.
1 Vengo venir VERB _ Mood=Ind|Number=Sing|Person=1|Tense=Pres|VerbForm=Fin 0 root _ _
2-3 del _ _ _ _ _ _ _ _
2 de de ADP _ _ 4 case _ _
3 el el DET _ Definite=Def|Gender=Masc|Number=Sing|PronType=Art 4 det _ _
4 centro centro NOUN _ Gender=Masc|Number=Sing 1 obl _ _
5 y y CCONJ _ _ 6 cc _ _
6 quiero querer VERB _ Mood=Ind|Number=Sing|Person=1|Tense=Pres|VerbForm=Fin 1 conj _ _
7-9 dárselo _ _ _ _ _ _ _ SpaceAfter=No
7 dar dar VERB _ VerbForm=Inf 6 xcomp _ _
8 se él PRON _ Case=Dat|Person=3|PronType=Prs 7 iobj _ _
9 lo él PRON _ Case=Acc|Gender=Masc|Number=Sing|Person=3|PronType=Prs 7 obj _ _
10 . . PUNCT _ _ 1 punct _ _
"#;

    const SYS_ES: &str = r#"
1 Vengo venir VERB _ Mood=Ind|Number=Sing|Person=1|Tense=Pres|VerbForm=Fin 0 root _ _
2 del del ADP _ _ 3 case _ _
3 centro centro NOUN _ Gender=Masc|Number=Sing 1 obl _ _
4 y y CCONJ _ _ 1 cc _ _
5 quiero querer VERB _ Mood=Ind|Number=Sing|Person=1|Tense=Pres|VerbForm=Fin 1 conj _ _
6-7 dárselo _ _ _ _ _ _ _ SpaceAfter=No
6 dar dar VERB _ VerbForm=Inf 5 xcomp _ _
7 selo él PRON _ Case=Acc|Person=3|PronType=Prs 6 obj _ _
8 . . PUNCT _ _ 1 punct _ _
"#;

    /// English: gold lemma "_" matches anything, deprel subtypes are ignored,
    /// only universal features count; sentences merged, "failed" split.
    const GOLD_EN: &str = r#"
# text = Her brother's plans failed.
1 Her she PRON PRP$ Case=Gen|Gender=Fem|Number=Sing|Person=3|Poss=Yes|PronType=Prs 2 nmod:poss _ _
2 brother brother NOUN NN Number=Sing 4 nmod:poss _ SpaceAfter=No
3 's _ PART POS _ 2 case _ _
4 plans plan NOUN NNS Number=Plur 5 nsubj _ _
5 failed fail VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ SpaceAfter=No
6 . . PUNCT . _ 5 punct _ _

# text = It rained.
1 It it PRON PRP Case=Nom|Gender=Neut|Number=Sing|Person=3|PronType=Prs 2 expl _ _
2 rained rain VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ SpaceAfter=No
3 . . PUNCT . _ 2 punct _ _
"#;

    const SYS_EN: &str = r#"
1 Her she PRON PRP$ Case=Gen|Gender=Fem|Number=Sing|Person=3|Poss=Yes|PronType=Prs 2 nmod _ _
2 brother brother NOUN NN Number=Sing 4 nmod _ SpaceAfter=No
3 's 's PART POS _ 2 case _ _
4 plans plan NOUN NNS Number=Plur|Style=Coll 5 nsubj _ _
5 fail fail VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ SpaceAfter=No
6 ed ed X AFX _ 5 goeswith _ SpaceAfter=No
7 . . PUNCT . _ 5 punct _ _
8 It it PRON PRP Case=Acc|Gender=Neut|Number=Sing|Person=3|PronType=Prs 9 expl _ _
9 rained rain VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 5 parataxis _ SpaceAfter=No
10 . . PUNCT . _ 9 punct _ _
"#;

    /// Figures printed by conll18_ud_eval.py 1.2 for this pair: (metric, correct, gold, system,
    /// aligned, precision %, recall %, F1 %, aligned accuracy %).
    const ES_MWT: [Expected; 13] = [
        (
            "Tokens", 7, 7, 7, None, "100.0000", "100.0000", "100.0000", None,
        ),
        (
            "Sentences",
            1,
            1,
            1,
            None,
            "100.0000",
            "100.0000",
            "100.0000",
            None,
        ),
        (
            "Words", 6, 10, 8, None, "75.0000", "60.0000", "66.6667", None,
        ),
        (
            "UPOS",
            6,
            10,
            8,
            Some(6),
            "75.0000",
            "60.0000",
            "66.6667",
            Some("100.0000"),
        ),
        (
            "XPOS",
            6,
            10,
            8,
            Some(6),
            "75.0000",
            "60.0000",
            "66.6667",
            Some("100.0000"),
        ),
        (
            "UFeats",
            6,
            10,
            8,
            Some(6),
            "75.0000",
            "60.0000",
            "66.6667",
            Some("100.0000"),
        ),
        (
            "AllTags",
            6,
            10,
            8,
            Some(6),
            "75.0000",
            "60.0000",
            "66.6667",
            Some("100.0000"),
        ),
        (
            "Lemmas",
            6,
            10,
            8,
            Some(6),
            "75.0000",
            "60.0000",
            "66.6667",
            Some("100.0000"),
        ),
        (
            "UAS",
            5,
            10,
            8,
            Some(6),
            "62.5000",
            "50.0000",
            "55.5556",
            Some("83.3333"),
        ),
        (
            "LAS",
            5,
            10,
            8,
            Some(6),
            "62.5000",
            "50.0000",
            "55.5556",
            Some("83.3333"),
        ),
        (
            "CLAS",
            4,
            6,
            5,
            Some(4),
            "80.0000",
            "66.6667",
            "72.7273",
            Some("100.0000"),
        ),
        (
            "MLAS",
            1,
            6,
            5,
            Some(4),
            "20.0000",
            "16.6667",
            "18.1818",
            Some("25.0000"),
        ),
        (
            "BLEX",
            4,
            6,
            5,
            Some(4),
            "80.0000",
            "66.6667",
            "72.7273",
            Some("100.0000"),
        ),
    ];

    /// Figures printed by conll18_ud_eval.py 1.2 for this pair: (metric, correct, gold, system,
    /// aligned, precision %, recall %, F1 %, aligned accuracy %).
    const EN_RULES: [Expected; 13] = [
        (
            "Tokens", 8, 9, 10, None, "80.0000", "88.8889", "84.2105", None,
        ),
        (
            "Sentences",
            0,
            2,
            1,
            None,
            "0.0000",
            "0.0000",
            "0.0000",
            None,
        ),
        (
            "Words", 8, 9, 10, None, "80.0000", "88.8889", "84.2105", None,
        ),
        (
            "UPOS",
            8,
            9,
            10,
            Some(8),
            "80.0000",
            "88.8889",
            "84.2105",
            Some("100.0000"),
        ),
        (
            "XPOS",
            8,
            9,
            10,
            Some(8),
            "80.0000",
            "88.8889",
            "84.2105",
            Some("100.0000"),
        ),
        (
            "UFeats",
            7,
            9,
            10,
            Some(8),
            "70.0000",
            "77.7778",
            "73.6842",
            Some("87.5000"),
        ),
        (
            "AllTags",
            7,
            9,
            10,
            Some(8),
            "70.0000",
            "77.7778",
            "73.6842",
            Some("87.5000"),
        ),
        (
            "Lemmas",
            8,
            9,
            10,
            Some(8),
            "80.0000",
            "88.8889",
            "84.2105",
            Some("100.0000"),
        ),
        (
            "UAS",
            5,
            9,
            10,
            Some(8),
            "50.0000",
            "55.5556",
            "52.6316",
            Some("62.5000"),
        ),
        (
            "LAS",
            5,
            9,
            10,
            Some(8),
            "50.0000",
            "55.5556",
            "52.6316",
            Some("62.5000"),
        ),
        (
            "CLAS",
            3,
            6,
            7,
            Some(5),
            "42.8571",
            "50.0000",
            "46.1538",
            Some("60.0000"),
        ),
        (
            "MLAS",
            2,
            6,
            7,
            Some(5),
            "28.5714",
            "33.3333",
            "30.7692",
            Some("40.0000"),
        ),
        (
            "BLEX",
            3,
            6,
            7,
            Some(5),
            "42.8571",
            "50.0000",
            "46.1538",
            Some("60.0000"),
        ),
    ];

    #[test]
    fn spanish_multiword_tokens() {
        check(&eval(GOLD_ES, SYS_ES).unwrap(), &ES_MWT);
    }

    #[test]
    fn english_lemma_feats_and_deprel_rules() {
        check(&eval(GOLD_EN, SYS_EN).unwrap(), &EN_RULES);
    }

    #[test]
    fn identical_files_score_100() {
        let s = eval(GOLD_ES, GOLD_ES).unwrap();
        for (name, m) in s.metrics() {
            assert_eq!(m.f1, 1.0, "{name}");
        }
        assert_eq!(s.words.aligned_accuracy, None);
        assert_eq!(s.upos.aligned_accuracy, Some(1.0));
    }

    const ONE: &str = "1 Llueve llover VERB _ _ 0 root _ _\n2 . . PUNCT _ _ 1 punct _ _";

    fn tree_error(system: &str) -> (usize, String) {
        match eval(ONE, system) {
            Err(Error::Tree { line, message }) => (line, message),
            other => panic!("expected a tree error, got {other:?}"),
        }
    }

    #[test]
    fn invalid_trees_are_errors_with_line_numbers() {
        let (line, msg) =
            tree_error("1 Llueve llover VERB _ _ 2 root _ _\n2 . . PUNCT _ _ 1 punct _ _");
        assert!(msg.contains("cycle") && line == 1, "{line} {msg}");
        let (line, msg) =
            tree_error("1 Llueve llover VERB _ _ 0 root _ _\n2 . . PUNCT _ _ 0 punct _ _");
        assert!(msg.contains("2 roots") && line == 3, "{line} {msg}");
        let (line, msg) =
            tree_error("1 Llueve llover VERB _ _ 0 root _ _\n2 . . PUNCT _ _ 3 punct _ _");
        assert!(msg.contains("outside") && line == 2, "{line} {msg}");
        let (line, msg) =
            tree_error("1 Llueve llover VERB _ _ 0 root _ _\n2 . . PUNCT _ _ _ punct _ _");
        assert!(msg.contains("HEAD '_'") && line == 2, "{line} {msg}");
        // A FORM made only of a no-break space is empty once spaces are removed.
        let (line, msg) = tree_error("1 Llueve llover VERB _ _ 0 root _ _\n2 \u{a0} _ PUNCT _ _ 1 punct _ _\n3 . . PUNCT _ _ 1 punct _ _");
        assert!(msg.contains("empty FORM") && line == 2, "{line} {msg}");
    }

    #[test]
    fn different_text_is_an_error() {
        match eval(
            ONE,
            "1 Llueva llover VERB _ _ 0 root _ _\n2 . . PUNCT _ _ 1 punct _ _",
        ) {
            Err(Error::TextMismatch {
                offset,
                gold,
                system,
            }) => {
                assert_eq!((offset, gold.as_str(), system.as_str()), (5, "e.", "a."));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unicode_spaces_inside_forms_are_ignored() {
        let s = eval(
            ONE,
            "1 Llue\u{a0}ve llover VERB _ _ 0 root _ _\n2 . . PUNCT _ _ 1 punct _ _",
        )
        .unwrap();
        assert_eq!(s.words.f1, 1.0);
        assert_eq!(s.las.f1, 1.0);
    }

    #[test]
    fn empty_nodes_are_skipped() {
        let with_empty = "1 Llueve llover VERB _ _ 0 root _ _\n1.1 llueve llover VERB _ _ _ _ 0:root _\n2 . . PUNCT _ _ 1 punct _ _";
        let s = eval(ONE, with_empty).unwrap();
        assert_eq!((s.words.correct, s.words.system_total), (2, 2));
        assert_eq!(s.tokens.f1, 1.0);
    }

    /// Alignment of words inside multiword spans (no tags; counts checked
    /// against the Python script): gold/system
    /// tokens given as "surface word word ..." (one word = plain token).
    fn words_f1(gold: &[&str], system: &[&str]) -> Result<(usize, usize, usize)> {
        fn build(tokens: &[&str]) -> String {
            let mut rows = Vec::new();
            let mut n = 0;
            for t in tokens {
                let parts: Vec<&str> = t.split(' ').collect();
                if parts.len() > 1 {
                    rows.push(format!(
                        "{}-{} {} _ _ _ _ _ _ _ _",
                        n + 1,
                        n + parts.len() - 1,
                        parts[0]
                    ));
                }
                let words = if parts.len() > 1 {
                    &parts[1..]
                } else {
                    &parts[..]
                };
                for w in words {
                    n += 1;
                    rows.push(format!("{n} {w} _ _ _ _ {} _ _ _", usize::from(n > 1)));
                }
            }
            rows.join("\n")
        }
        let s = eval(&build(gold), &build(system))?;
        Ok((s.words.correct, s.words.gold_total, s.words.system_total))
    }

    /// Truncated or mangled input gives `Ok` or `Err`, never a panic.
    #[test]
    fn mangled_input_never_panics() {
        let gold = include_str!("../tests/data/gold.conllu");
        let system = include_str!("../tests/data/sys-mixed.conllu");
        let gold_doc = UdDocument::from_sentences(&parse_str(gold).unwrap()).unwrap();
        let cuts: Vec<usize> = (0..system.len())
            .filter(|&i| system.is_char_boundary(i))
            .collect();
        for &i in &cuts {
            let _ = UdDocument::read(&system.as_bytes()[..i]).map(|d| evaluate(&gold_doc, &d));
            let _ = UdDocument::read(&system.as_bytes()[i..]).map(|d| evaluate(&d, &gold_doc));
        }
        let lines: Vec<&str> = system.lines().collect();
        for skip in 0..lines.len() {
            let mut v = lines.clone();
            v.remove(skip);
            let text = v.join("\n");
            let _ = UdDocument::read(text.as_bytes()).map(|d| evaluate(&gold_doc, &d));
            // Swap two adjacent lines.
            let mut w = lines.clone();
            if skip + 1 < w.len() {
                w.swap(skip, skip + 1);
            }
            let _ = UdDocument::read(w.join("\n").as_bytes()).map(|d| evaluate(&gold_doc, &d));
        }
    }

    #[test]
    fn multiword_alignment() {
        // del = de + el against plain tokens de|l: only "de" aligns.
        assert_eq!(words_f1(&["del de el"], &["de", "l"]).unwrap(), (1, 2, 2));
        assert_eq!(words_f1(&["del de el"], &["del de el"]).unwrap(), (2, 2, 2));
        assert_eq!(words_f1(&["del de el"], &["del"]).unwrap(), (0, 2, 1));
        assert_eq!(
            words_f1(&["vino", "del de el", "mar"], &["vino", "del de el", "mar"]).unwrap(),
            (4, 4, 4)
        );
        assert_eq!(
            words_f1(&["dárselo dar se lo"], &["dár", "selo"]).unwrap(),
            (0, 3, 2)
        );
        assert_eq!(
            words_f1(&["dárselo dar se lo"], &["dárselo dar selo"]).unwrap(),
            (1, 3, 2)
        );
        assert_eq!(
            words_f1(&["dárselo dar se lo"], &["dárse dar se", "lo"]).unwrap(),
            (3, 3, 3)
        );
        // Case-insensitive FORM matching inside multiword spans.
        assert_eq!(words_f1(&["Del De El"], &["Del de el"]).unwrap(), (2, 2, 2));
        assert_eq!(words_f1(&["abcd"], &["ab", "cd"]).unwrap(), (0, 1, 2));
        assert!(words_f1(&["ab"], &["ac"]).is_err());
    }
}
