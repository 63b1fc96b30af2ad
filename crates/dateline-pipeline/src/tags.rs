//! The tagging stage: multiword-token expansion, UPOS tags, lemmas and
//! morphological features (UD FEATS) for every sentence, with the shipped
//! models of the document's language.
//!
//! Design choice: the models are embedded in the binary (`include_bytes!`,
//! about 9 MB for es + en) and loaded once per process when the pipeline is
//! built, then shared read-only across threads. Languages without a model
//! get words without tags (UPOS `X`), and a diagnostic.

use crate::error::Result;
use crate::feats::FeatsTagger;
use crate::lemma::Lemmatizer;
use crate::lexicon::Lexicon;
use crate::tagger::Tagger;
use dateline_core::{Diagnostic, Doc, Layer, Stage, Word};

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
            tagger: Tagger::from_bytes(t, Some(lexicon))?,
            lemmatizer: Lemmatizer::from_bytes(l, None)?,
            feats: FeatsTagger::from_bytes(f)?,
        })
    }
}

/// The tagging stage.
pub struct Tags {
    es: LangModels,
    en: LangModels,
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
        Ok(Tags { es: es?, en })
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

    fn process(&self, doc: &mut Doc) {
        let lang = doc.lang.clone().unwrap_or_default();
        let models = self.models(&lang);
        if models.is_none() {
            doc.diag(Diagnostic::info(
                "tags",
                format!("no tagger for language {lang:?}; words are untagged"),
            ));
        }
        let mut words: Vec<Word> = Vec::with_capacity(doc.tokens.len() + doc.tokens.len() / 8);
        let mut start = 0;
        while start < doc.tokens.len() {
            let sent = doc.tokens[start].sent;
            let end = doc.tokens[start..]
                .iter()
                .position(|t| t.sent != sent)
                .map(|k| start + k)
                .unwrap_or(doc.tokens.len());
            // expand multiword tokens
            let mut forms: Vec<String> = Vec::new();
            let mut owners: Vec<(u32, bool)> = Vec::new();
            for (ti, tok) in doc.tokens[start..end].iter().enumerate() {
                let surface = tok.span.slice(&doc.text);
                let parts = match models {
                    Some(m) => m.tagger.expand(surface),
                    None => vec![surface.to_string()],
                };
                let multi = parts.len() > 1;
                for p in parts {
                    forms.push(p);
                    owners.push(((start + ti) as u32, multi));
                }
            }
            let refs: Vec<&str> = forms.iter().map(|f| f.as_str()).collect();
            let tags: Vec<&str> = match models {
                Some(m) => m.tagger.tag(&refs),
                None => vec!["X"; refs.len()],
            };
            let lemmas: Vec<String> = forms
                .iter()
                .zip(&tags)
                .map(|(form, tag)| match models {
                    Some(m) => m.lemmatizer.lemma(form, tag),
                    None => form.to_lowercase(),
                })
                .collect();
            let feats: Vec<&str> = match models {
                Some(m) => {
                    // the feature model reads lower-cased lemmas
                    let lower: Vec<std::borrow::Cow<str>> = lemmas
                        .iter()
                        .map(|l| {
                            if l.chars().any(char::is_uppercase) {
                                l.to_lowercase().into()
                            } else {
                                l.as_str().into()
                            }
                        })
                        .collect();
                    let lower: Vec<&str> = lower.iter().map(|l| l.as_ref()).collect();
                    m.feats.predict(&refs, &tags, &lower)
                }
                None => vec![""; refs.len()],
            };
            for (((form, (token, multi)), tag), (lemma, feats)) in forms
                .iter()
                .zip(owners)
                .zip(&tags)
                .zip(lemmas.into_iter().zip(feats))
            {
                words.push(Word {
                    token,
                    form: multi.then(|| form.as_str().into()),
                    upos: (*tag).into(),
                    lemma: lemma.into(),
                    feats: feats.into(),
                    head: 0,
                    deprel: "dep".into(),
                });
            }
            start = end;
        }
        doc.words = words;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_core::{RawDoc, Stage};

    #[test]
    fn tags_the_seed_sentence() {
        let tags = match Tags::new() {
            Ok(t) => t,
            Err(e) => panic!("models: {e}"),
        };
        let sentences = crate::text::Sentences::new();
        let mut doc = Doc::from_raw(RawDoc {
            body: "Corea del Norte ha enviado cerca de 15.000 soldados a Rusia.".into(),
            ..RawDoc::default()
        });
        doc.text = doc.raw.clone();
        doc.lang = Some("es".into());
        sentences.process(&mut doc);
        tags.process(&mut doc);
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

    #[test]
    fn features_of_future_and_conditional_verbs() {
        let tags = match Tags::new() {
            Ok(t) => t,
            Err(e) => panic!("models: {e}"),
        };
        let sentences = crate::text::Sentences::new();
        let mut doc = Doc::from_raw(RawDoc {
            body:
                "Donald Trump dialogará con líderes europeos. Dijo que habría acordado una tregua."
                    .into(),
            ..RawDoc::default()
        });
        doc.text = doc.raw.clone();
        doc.lang = Some("es".into());
        sentences.process(&mut doc);
        tags.process(&mut doc);
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
}
