//! The tagging stage: multiword-token expansion, UPOS tags, lemmas and
//! morphological features (UD FEATS) for every sentence, with the shipped
//! models of the document's language.
//!
//! Design choice: the models are embedded in the binary (`include_bytes!`,
//! about 9 MB for es + en) and loaded once per process when the pipeline is
//! built, then shared read-only across threads. Languages without a model
//! get words without tags (UPOS `X`), and a diagnostic.

use crate::error::Result;
use crate::feats::{FeatsInput, FeatsTagger};
use crate::lemma::Lemmatizer;
use crate::lexicon::Lexicon;
use crate::ml::perceptron::prefetch;
use crate::ml::word::Hashes;
use crate::tagger::{Tagged, Tagger};
use dateline_core::{Diagnostic, Doc, Layer, Stage, Word};
use std::borrow::Cow;
use std::sync::Arc;

const TAGGER_ES: &[u8] = include_bytes!("../../../models/tagger-es.bin.gz");
const TAGGER_EN: &[u8] = include_bytes!("../../../models/tagger-en.bin.gz");
const LEMMA_ES: &[u8] = include_bytes!("../../../models/lemmatizer-es.bin.gz");
const LEMMA_EN: &[u8] = include_bytes!("../../../models/lemmatizer-en.bin.gz");
const FEATS_ES: &[u8] = include_bytes!("../../../models/feats-es.bin.gz");
const FEATS_EN: &[u8] = include_bytes!("../../../models/feats-en.bin.gz");

/// Models of one language.
pub struct LangModels {
    pub tagger: Tagger,
    pub lemmatizer: Lemmatizer,
    pub feats: FeatsTagger,
}

impl LangModels {
    /// Loads the shipped models of `lang` ("es" or "en").
    pub fn builtin(lang: &str) -> Result<LangModels> {
        let (t, l, f) = if lang == "en" {
            (TAGGER_EN, LEMMA_EN, FEATS_EN)
        } else {
            (TAGGER_ES, LEMMA_ES, FEATS_ES)
        };
        let lexicon = Lexicon::builtin(lang)?;
        Ok(LangModels {
            lemmatizer: Lemmatizer::from_bytes(l, Some(lexicon.clone()))?,
            tagger: Tagger::from_bytes(t, Some(lexicon))?,
            feats: FeatsTagger::from_bytes(f)?,
        })
    }
}

/// The tagging stage.
pub struct Tags {
    es: LangModels,
    en: LangModels,
    /// What words hold before (or without) a model's answer, shared by all
    /// of them: `dep` (until the parser runs), and for untagged words `X`
    /// and no features.
    fixed: Fixed,
}

/// The fixed values of [`Tags::fixed`].
struct Fixed {
    dep: Arc<str>,
    x: Arc<str>,
    empty: Arc<str>,
}

impl Fixed {
    fn new() -> Fixed {
        Fixed {
            dep: "dep".into(),
            x: "X".into(),
            empty: "".into(),
        }
    }
}

impl Tags {
    pub fn new() -> Result<Tags> {
        // the two languages load in parallel: half the start-up time
        let en = std::thread::scope(|s| {
            let h = s.spawn(|| LangModels::builtin("en"));
            let es = LangModels::builtin("es");
            (es, h.join())
        });
        let (es, en) = en;
        let en = match en {
            Ok(r) => r?,
            Err(_) => LangModels::builtin("en")?,
        };
        Ok(Tags {
            es: es?,
            en,
            fixed: Fixed::new(),
        })
    }

    fn models(&self, lang: &str) -> Option<&LangModels> {
        match lang {
            "es" => Some(&self.es),
            "en" => Some(&self.en),
            _ => None,
        }
    }
}

impl Stage for Tags {
    fn name(&self) -> &'static str {
        "tags"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens, Layer::Language]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Tags]
    }

    fn prepare(&self, lang: &str) {
        if let Some(m) = self.models(lang) {
            m.tagger.prepare();
        }
    }

    fn process(&self, doc: &mut Doc) {
        let lang = doc.lang.clone().unwrap_or_default();
        let models = self.models(&lang);
        if models.is_none() {
            doc.diag(Diagnostic::info(
                "tags",
                format!("no tagger for language {lang:?}; words are untagged"),
            ));
        }
        // Spanish typed without any accent (wires, headlines, social
        // media): its words are also read as their accented spellings
        let accentless = lang == "es" && accentless(&doc.text);
        // two passes: every sentence through the tagger, then every
        // sentence through the lemmatiser and the feature tagger, so that
        // each model's tables stay in the CPU caches for the whole document
        type Sent<'a, 't> = (Vec<Cow<'a, str>>, Vec<(u32, bool)>, Option<Tagged<'t>>);
        let mut sents: Vec<Sent> = Vec::new();
        let mut parts: Vec<Cow<str>> = Vec::new();
        let mut start = 0;
        while start < doc.tokens.len() {
            let sent = doc.tokens[start].sent;
            let end = doc.tokens[start..]
                .iter()
                .position(|t| t.sent != sent)
                .map(|k| start + k)
                .unwrap_or(doc.tokens.len());
            // expand multiword tokens
            let mut forms: Vec<Cow<str>> = Vec::with_capacity(end - start + 4);
            let mut owners: Vec<(u32, bool)> = Vec::with_capacity(end - start + 4);
            for (ti, tok) in doc.tokens[start..end].iter().enumerate() {
                let surface = tok.span.slice(&doc.text);
                parts.clear();
                match models {
                    Some(m) => m.tagger.expand_into(surface, &mut parts),
                    None => parts.push(Cow::Borrowed(surface)),
                }
                let multi = parts.len() > 1;
                for p in parts.drain(..) {
                    forms.push(p);
                    owners.push(((start + ti) as u32, multi));
                }
            }
            // English web text's "its" for "it's": split where the tagging
            // finds no possessive, then tag again (the first tagging is
            // kept when nothing is split)
            let mut tagged = None;
            if let Some(m) = models {
                let refs: Vec<&str> = forms.iter().map(|f| f.as_ref()).collect();
                let t = m.tagger.analyse_text(&refs, accentless);
                let split = if refs.iter().any(|f| f.eq_ignore_ascii_case("its")) {
                    m.tagger.its_contractions(&refs, &t.tags)
                } else {
                    Vec::new()
                };
                if split.is_empty() {
                    tagged = Some(t);
                }
                for &i in split.iter().rev() {
                    let parts = forms
                        .get(i)
                        .and_then(|f| crate::tagger::contraction_words(f));
                    let (Some(words2), Some(&(token, _))) = (parts, owners.get(i)) else {
                        continue;
                    };
                    let [a, b] = words2;
                    forms.splice(i..=i, [Cow::Owned(a), Cow::Owned(b)]);
                    owners.splice(i..=i, [(token, true), (token, true)]);
                }
                if tagged.is_none() {
                    let refs: Vec<&str> = forms.iter().map(|f| f.as_ref()).collect();
                    tagged = Some(m.tagger.analyse_text(&refs, accentless));
                }
            }
            sents.push((forms, owners, tagged));
            start = end;
        }
        let mut words: Vec<Word> = Vec::with_capacity(doc.tokens.len() + doc.tokens.len() / 8);
        for (forms, owners, tagged) in sents {
            let refs: Vec<&str> = forms.iter().map(|f| f.as_ref()).collect();
            match (models, tagged) {
                (Some(m), Some(t)) => {
                    tag_sentence(m, t, &refs, &owners, &self.fixed.dep, &mut words)
                }
                _ => {
                    for (form, &(token, multi)) in refs.iter().zip(&owners) {
                        words.push(Word {
                            token,
                            form: multi.then(|| (*form).into()),
                            upos: Arc::clone(&self.fixed.x),
                            lemma: form.to_lowercase().into(),
                            feats: Arc::clone(&self.fixed.empty),
                            head: 0,
                            deprel: Arc::clone(&self.fixed.dep),
                        });
                    }
                }
            }
        }
        doc.words = words;
    }
}

/// Whether a text long enough to tell (100 letters) has no accented
/// letter at all: Spanish has one in about every 60 letters.
fn accentless(text: &str) -> bool {
    let mut letters = 0usize;
    for c in text.chars() {
        if c.is_alphabetic() {
            if !c.is_ascii() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 100
}

thread_local! {
    /// Lemmas already found, per tagger (`Tagged::forms_key`: tagger id,
    /// then the generation of its form cache): by form number, (tag
    /// number, lemma) pairs. Each lemma is stored once per thread and
    /// handed to its words as clones.
    #[allow(clippy::type_complexity)]
    static LEMMAS: std::cell::RefCell<Vec<(u64, (u64, Vec<Vec<(usize, Arc<str>)>>))>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Tags, lemmas and features of one sentence's words (`refs`, owned by the
/// tokens in `owners`), appended to `out`, with relation `dep` (until the
/// parser runs). The lemmatiser and the feature tagger reuse what the
/// tagger computed of each word (lower-cased form, hashes of its suffixes,
/// hashes of the tags). Tags, lemmas, features and `dep` are clones of
/// shared strings (the models' and the lemma memory's): no string is
/// allocated per word.
fn tag_sentence(
    m: &LangModels,
    t: Tagged<'_>,
    refs: &[&str],
    owners: &[(u32, bool)],
    dep: &Arc<str>,
    out: &mut Vec<Word>,
) {
    // a lemma depends on the form and the UPOS only: remembered per form
    // (the tagger's form numbers) and thread
    let lemmas: Vec<Arc<str>> = LEMMAS.with(|memos| {
        crate::ml::with_model_cache(memos, t.forms_key.0, |(generation, memo)| {
            // form numbers are valid for one generation of the tagger's cache
            if *generation != t.forms_key.1 {
                memo.clear();
                *generation = t.forms_key.1;
            }
            // the memory is scattered (a list per form, a string per
            // lemma): ask for the sentence's lists, then their entries,
            // then the lemmas, one level per pass, before reading them, so
            // that the loads of each level overlap instead of each word
            // waiting for its own in turn (hints only)
            for &id in &t.form_ids {
                prefetch(memo.as_ptr().wrapping_add(id));
            }
            for &id in &t.form_ids {
                if let Some(pairs) = memo.get(id) {
                    prefetch(pairs.as_ptr());
                }
            }
            for (&id, &tag_id) in t.form_ids.iter().zip(&t.tag_ids) {
                let known = memo
                    .get(id)
                    .and_then(|pairs| pairs.iter().find(|(u, _)| *u == tag_id));
                if let Some((_, l)) = known {
                    prefetch(l.as_ptr());
                }
            }
            refs.iter()
                .enumerate()
                .map(|(i, form)| {
                    let tag = t.tags.get(i).copied().unwrap_or("X");
                    let tag_h = t.tag_hashes.get(i).copied();
                    let id = t.form_ids.get(i).copied();
                    let tag_id = t.tag_ids.get(i).copied().unwrap_or(usize::MAX);
                    let known = id
                        .and_then(|id| memo.get(id))
                        .and_then(|pairs| pairs.iter().find(|(u, _)| *u == tag_id));
                    if let Some((_, l)) = known {
                        return Arc::clone(l);
                    }
                    let l: Arc<str> = m
                        .lemmatizer
                        .lemma_with(form, t.lower(i), t.hashes.get(i), tag, tag_h)
                        .into();
                    if let Some(id) = id {
                        if memo.len() <= id {
                            memo.resize_with(id + 1, Vec::new);
                        }
                        if let Some(pairs) = memo.get_mut(id) {
                            pairs.push((tag_id, Arc::clone(&l)));
                        }
                    }
                    l
                })
                .collect()
        })
    });
    // the feature model reads lower-cased lemmas
    let lower_lemmas: Vec<Cow<str>> = lemmas
        .iter()
        .map(|l| {
            if l.chars().any(char::is_uppercase) {
                l.to_lowercase().into()
            } else {
                l.as_ref().into()
            }
        })
        .collect();
    let lower_lemmas: Vec<&str> = lower_lemmas.iter().map(|l| l.as_ref()).collect();
    // the words as the feature tagger lower-cases them: to_lowercase (the
    // tagger's lower-cased form) for words with an upper-case letter, the
    // word itself otherwise (usually the same string)
    let mut own: Vec<Option<(&str, Hashes)>> = vec![None; refs.len()];
    for (i, w) in refs.iter().enumerate() {
        let low = t.lower(i);
        if *w != low && !w.chars().any(char::is_uppercase) {
            own[i] = Some((w, Hashes::new(w)));
        }
    }
    let lower: Vec<&str> = own
        .iter()
        .enumerate()
        .map(|(i, o)| o.map_or_else(|| t.lower(i), |(w, _)| w))
        .collect();
    let hashes: Vec<Hashes> = own
        .iter()
        .enumerate()
        .map(|(i, o)| match o {
            Some((_, h)) => *h,
            None => t.hashes.get(i).copied().unwrap_or_default(),
        })
        .collect();
    let ids: Vec<(usize, usize)> = t
        .form_ids
        .iter()
        .zip(&t.tag_ids)
        .map(|(f, u)| (*f, *u))
        .collect();
    let feats = m.feats.predict_with(&FeatsInput {
        lower: &lower,
        words: refs,
        hashes: &hashes,
        upos: &t.tags,
        upos_hashes: &t.tag_hashes,
        lemmas: &lower_lemmas,
        ids: Some((&ids, t.forms_key)),
    });
    for (i, (((form, &(token, multi)), tag), (lemma, feats))) in refs
        .iter()
        .zip(owners)
        .zip(&t.tags)
        .zip(lemmas.into_iter().zip(feats))
        .enumerate()
    {
        let tag_id = t.tag_ids.get(i).copied().unwrap_or(usize::MAX);
        out.push(Word {
            token,
            form: multi.then(|| (*form).into()),
            upos: m.tagger.shared_tag(tag_id, tag),
            lemma,
            feats: Arc::clone(feats),
            head: 0,
            deprel: Arc::clone(dep),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_core::{RawDoc, Stage};

    /// `body` split into sentences and tagged as `lang`.
    fn tagged(lang: &str, body: &str) -> Doc {
        let tags = match Tags::new() {
            Ok(t) => t,
            Err(e) => panic!("models: {e}"),
        };
        let mut doc = Doc::from_raw(RawDoc {
            body: body.into(),
            ..RawDoc::default()
        });
        doc.text = doc.raw.clone();
        doc.lang = Some(lang.into());
        crate::text::Sentences::new().process(&mut doc);
        tags.process(&mut doc);
        doc
    }

    #[test]
    fn tags_the_seed_sentence() {
        let doc = tagged(
            "es",
            "Corea del Norte ha enviado cerca de 15.000 soldados a Rusia.",
        );
        let got: Vec<(String, String, String, String)> = (0..doc.words.len())
            .map(|i| {
                let w = &doc.words[i];
                (
                    doc.word_form(i).to_string(),
                    w.upos.to_string(),
                    w.lemma.to_string(),
                    w.feats.to_string(),
                )
            })
            .collect();
        let find = |f: &str| got.iter().find(|g| g.0 == f).cloned();
        assert_eq!(find("del").map(|g| g.1), None, "del is expanded");
        assert_eq!(find("de").map(|g| g.1), Some("ADP".to_string()));
        assert_eq!(
            find("enviado").map(|g| (g.1, g.2)),
            Some(("VERB".to_string(), "enviar".to_string()))
        );
        assert_eq!(
            find("soldados").map(|g| (g.1, g.2)),
            Some(("NOUN".to_string(), "soldado".to_string()))
        );
        assert_eq!(find("Rusia").map(|g| g.1), Some("PROPN".to_string()));
        assert_eq!(
            find("ha").map(|g| g.3),
            Some("Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin".to_string())
        );
        assert_eq!(
            find("soldados").map(|g| g.3),
            Some("Gender=Masc|Number=Plur".to_string())
        );
        assert_eq!(find(".").map(|g| g.3), Some(String::new()));
    }

    /// Words hold clones of shared strings, not strings of their own.
    #[test]
    fn words_share_their_tags_lemmas_and_features() {
        let doc = tagged("es", "Los soldados llegaron. Los soldados volvieron.");
        let at: Vec<usize> = (0..doc.words.len())
            .filter(|&i| doc.word_form(i) == "soldados")
            .collect();
        let [a, b] = at.as_slice() else {
            panic!("{:?}", doc.words);
        };
        let (a, b) = (&doc.words[*a], &doc.words[*b]);
        assert_eq!(&*a.upos, "NOUN");
        assert!(Arc::ptr_eq(&a.upos, &b.upos));
        assert!(Arc::ptr_eq(&a.lemma, &b.lemma));
        assert!(Arc::ptr_eq(&a.feats, &b.feats));
        assert!(Arc::ptr_eq(&a.deprel, &b.deprel));
    }

    #[test]
    fn features_of_future_and_conditional_verbs() {
        let doc = tagged(
            "es",
            "Donald Trump dialogará con líderes europeos. Dijo que habría acordado una tregua.",
        );
        let feats = |f: &str| {
            (0..doc.words.len())
                .find(|&i| doc.word_form(i) == f)
                .map(|i| doc.words[i].feats.to_string())
                .unwrap_or_default()
        };
        let has = |f: &str, want: &str| {
            let got = feats(f);
            assert!(got.split('|').any(|x| x == want), "{f}: {got}");
        };
        has("dialogará", "Tense=Fut");
        has("dialogará", "Person=3");
        has("habría", "Mood=Cnd");
        has("acordado", "VerbForm=Part");
        has("europeos", "Number=Plur");
    }

    #[test]
    fn irregular_verb_stems_take_the_lexicon_lemma() {
        let doc = tagged(
            "es",
            "Los soldados detuvieron a tres hombres y retuvieron a otros. \
                   Los jueces impusieron penas e intervinieron en el caso.",
        );
        let lemma = |f: &str| {
            (0..doc.words.len())
                .find(|&i| doc.word_form(i) == f)
                .map(|i| doc.words[i].lemma.to_string())
                .unwrap_or_default()
        };
        for (form, want) in [
            ("detuvieron", "detener"),
            ("retuvieron", "retener"),
            ("impusieron", "imponer"),
            ("intervinieron", "intervenir"),
            ("soldados", "soldado"),
        ] {
            assert_eq!(lemma(form), want, "{form}");
        }
    }

    #[test]
    fn words_typed_without_accents_are_read_with_them() {
        let doc = tagged(
            "es",
            "El ministro pidio una reunion y advirtio a la oposicion. \
                   Los sindicatos anunciaron una huelga general para el lunes proximo.",
        );
        let word = |f: &str| {
            (0..doc.words.len())
                .find(|&i| doc.word_form(i) == f)
                .map(|i| {
                    (
                        doc.words[i].upos.to_string(),
                        doc.words[i].lemma.to_string(),
                    )
                })
                .unwrap_or_default()
        };
        assert_eq!(word("pidio"), ("VERB".to_string(), "pedir".to_string()));
        assert_eq!(
            word("advirtio"),
            ("VERB".to_string(), "advertir".to_string())
        );
        assert_eq!(word("reunion").1, "reunión");
    }

    #[test]
    fn accentless_text_is_told_by_its_letters() {
        let long = "El ministro pidio una reunion y advirtio a la oposicion. \
                    Los sindicatos anunciaron una huelga general para el lunes proximo";
        assert!(accentless(long));
        // one accent, or too few letters to tell
        assert!(!accentless(&long.replace("lunes", "miércoles")));
        assert!(!accentless("El ministro pidio una reunion."));
    }

    #[test]
    fn english_its_for_its_contraction() {
        let doc = tagged(
            "en",
            "I think its not worth it. The company sold its own shares.",
        );
        let forms: Vec<&str> = (0..doc.words.len()).map(|i| doc.word_form(i)).collect();
        // "its not": it + s; "its own": the possessive stays one word
        assert!(
            forms.windows(3).any(|w| w == ["it", "s", "not"]),
            "{forms:?}"
        );
        assert!(forms.windows(2).any(|w| w == ["its", "own"]), "{forms:?}");
    }

    #[test]
    fn no_whole_word_rewrite_of_an_unseen_form() {
        let es = match LangModels::builtin("es") {
            Ok(m) => m,
            Err(e) => panic!("models: {e}"),
        };
        // the rule learnt from "órdenes" -> "orden" would rewrite the whole
        // of "jóvenes": the lexicon's lemma is taken instead
        assert_eq!(es.lemmatizer.lemma("jóvenes", "NOUN"), "joven");
        assert_eq!(es.lemmatizer.lemma("soldados", "NOUN"), "soldado");
        assert_eq!(es.lemmatizer.lemma("retuvieron", "VERB"), "retener");
    }

    #[test]
    fn spanish_enclitics_on_verbs_unseen_in_training() {
        let es = match LangModels::builtin("es") {
            Ok(m) => m,
            Err(e) => panic!("models: {e}"),
        };
        let split = |w: &str| es.tagger.expand(w).join("+");
        // infinitives, gerunds, two pronouns, an accented imperative, case kept
        assert_eq!(split("desmitificarse"), "desmitificar+se");
        assert_eq!(split("RELAJARSE"), "RELAJAR+SE");
        assert_eq!(split("integrándolo"), "integrando+lo");
        assert_eq!(split("Basándose"), "Basando+se");
        assert_eq!(split("entregárselo"), "entregar+se+lo");
        assert_eq!(split("Cómpralo"), "Compra+lo");
        assert_eq!(split("decirle"), "decir+le");
        assert_eq!(split("quejarnos"), "quejar+nos");
        // nouns and names that end like a pronoun stay whole
        for w in [
            "parte",
            "perla",
            "tomate",
            "Carlos",
            "película",
            "artículos",
            "enorme",
            "gobiernos",
            "Ángeles",
            "charla",
            "clase",
            "éste",
            "Espínola",
            "mentirosos",
            "abandonos",
        ] {
            assert_eq!(split(w), w);
        }
        // English has no enclitics
        let en = match LangModels::builtin("en") {
            Ok(m) => m,
            Err(e) => panic!("models: {e}"),
        };
        assert_eq!(en.tagger.expand("father").join("+"), "father");
        assert_eq!(en.tagger.expand("Lawrence").join("+"), "Lawrence");
    }
}
