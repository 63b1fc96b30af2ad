//! Entities: mentions found in the text, linked to the knowledge base and
//! merged into one entity per real-world actor.
//!
//! Design choice: linking is driven by the knowledge base first. The KB's
//! word-level matcher ([`Kb::find_all`]) finds names, aliases, role phrases
//! ("el presidente ruso"), demonyms and metonyms in one pass; each match is
//! resolved with the document's date (a role phrase names whoever held the
//! office then) and with a little context (a capital after "en"/"in" is a
//! place, elsewhere a metonym for its government). Then the document itself
//! adds what no KB can know: acronyms defined in parentheses ("Agencia
//! Central de Noticias de Corea (ACNC)"), short forms of names already seen
//! ("Putin", "Kim"), demonyms used as nouns for a leader already named ("el
//! ruso"), and names the NER model finds that the KB lacks, which get a
//! document-local entity. Entity ids are `e0`, `e1` ... in order of first
//! mention, so they are stable for a given text.

use crate::kb::{norm, Entry, Kb, Kind};
use crate::Result;
use dateline_core::{Diagnostic, Doc, Entity, KbRef, Layer, Mention, Role, Span, Stage};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// A name tagger slot: loaded on the first document of its language (the
/// error message when it fails to load).
type TaggerSlot = OnceLock<std::result::Result<Option<Box<dyn NameTagger>>, String>>;

/// The entities stage.
pub struct Entities {
    kb: &'static Kb,
    /// Load the shipped NER model of a language when a slot is first used.
    shipped: bool,
    ner_es: TaggerSlot,
    ner_en: TaggerSlot,
}

/// A name finder over one sentence's words: spans `[start, end)` in word
/// indices with a label (PER, ORG, LOC, MISC).
pub trait NameTagger: Send + Sync {
    fn names(&self, forms: &[&str], upos: &[&str]) -> Vec<(usize, usize, &'static str)>;

    /// The names for which `keep(start, end)` holds, as [`NameTagger::names`]
    /// finds them (a tagger may save the work of scoring the others).
    fn names_where(
        &self,
        forms: &[&str],
        upos: &[&str],
        keep: &dyn Fn(usize, usize) -> bool,
    ) -> Vec<(usize, usize, &'static str)> {
        let mut v = self.names(forms, upos);
        v.retain(|&(s, e, _)| keep(s, e));
        v
    }
}

impl NameTagger for crate::ner::Ner {
    fn names(&self, forms: &[&str], upos: &[&str]) -> Vec<(usize, usize, &'static str)> {
        self.names_where(forms, upos, &|_, _| true)
    }

    fn names_where(
        &self,
        forms: &[&str],
        upos: &[&str],
        keep: &dyn Fn(usize, usize) -> bool,
    ) -> Vec<(usize, usize, &'static str)> {
        self.tag_where_min(forms, upos, keep, Some(0.5))
            .into_iter()
            .map(|s| (s.start, s.end, s.label))
            .collect()
    }
}

impl Entities {
    /// Uses the shared built-in knowledge base and the shipped NER models.
    pub fn new() -> Result<Entities> {
        Ok(Entities::with_kb(Kb::shared()?))
    }

    /// Uses `kb` (e.g. built with `--kb-extra` files) and the shipped NER
    /// models, each loaded on the first document of its language.
    pub fn with_kb(kb: &'static Kb) -> Entities {
        Entities {
            shipped: true,
            ..Entities::kb_only(kb)
        }
    }

    /// Uses `kb` (e.g. built with `--kb-extra` files) and no name tagger.
    pub fn kb_only(kb: &'static Kb) -> Entities {
        Entities {
            kb,
            shipped: false,
            ner_es: OnceLock::new(),
            ner_en: OnceLock::new(),
        }
    }

    /// Uses these name taggers for Spanish and English.
    pub fn with_taggers(
        self,
        es: Option<Box<dyn NameTagger>>,
        en: Option<Box<dyn NameTagger>>,
    ) -> Entities {
        Entities {
            shipped: false,
            ner_es: OnceLock::from(Ok(es)),
            ner_en: OnceLock::from(Ok(en)),
            ..self
        }
    }

    fn tagger(&self, lang: &str) -> std::result::Result<Option<&dyn NameTagger>, &str> {
        let slot = if lang == "en" {
            &self.ner_en
        } else {
            &self.ner_es
        };
        let loaded = slot.get_or_init(|| {
            if !self.shipped {
                return Ok(None);
            }
            crate::ner::Ner::load(lang)
                .map(|n| Some(Box::new(n) as Box<dyn NameTagger>))
                .map_err(|e| e.to_string())
        });
        match loaded {
            Ok(t) => Ok(t.as_deref()),
            Err(e) => Err(e.as_str()),
        }
    }
}

impl Stage for Entities {
    fn name(&self) -> &'static str {
        "entities"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Text, Layer::Language, Layer::Tags]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Entities, Layer::Links]
    }
    fn prepare(&self, lang: &str) {
        let _ = self.tagger(if lang == "en" { "en" } else { "es" });
    }

    fn process(&self, doc: &mut Doc) {
        let lang = if doc.lang.as_deref() == Some("en") {
            "en"
        } else {
            "es"
        };
        let ner = match self.tagger(lang) {
            Ok(t) => t,
            Err(e) => {
                doc.diag(Diagnostic::warning(
                    "entities",
                    format!("NER model for {lang:?} failed to load ({e}): names only from the knowledge base"),
                ));
                None
            }
        };
        let ents = link(self.kb, ner, doc);
        doc.entities = ents;
    }
}

/// Titles before a person's name (folded): a place name after one is a
/// surname.
const PERSON_TITLES: &[&str] = &[
    "president",
    "presidente",
    "presidenta",
    "mr",
    "mrs",
    "ms",
    "dr",
    "general",
    "gen",
    "senator",
    "senador",
    "senadora",
    "governor",
    "gobernador",
    "gobernadora",
    "minister",
    "ministro",
    "ministra",
    "king",
    "rey",
    "queen",
    "reina",
    "pope",
    "papa",
    "sir",
    "lord",
    "senor",
    "senora",
    "sr",
    "sra",
    "don",
    "dona",
    "judge",
    "juez",
    "jueza",
    "colonel",
    "coronel",
    "captain",
    "capitan",
    "rep",
    "sen",
    "chancellor",
    "canciller",
    "premier",
    "prince",
    "principe",
    "princess",
    "princesa",
    "sheikh",
    "jeque",
    "ayatollah",
    "ayatola",
    "cardinal",
    "cardenal",
];

/// Locative prepositions: a capital after one of them is a place.
const LOCATIVE: &[&str] = &[
    "en", "a", "desde", "hacia", "hasta", "in", "at", "to", "near", "into",
];
/// Stems of Spanish verbs of motion, after which "a" is locative.
const MOTION: &[&str] = &[
    "lleg", "viaj", "volv", "vuelv", "regres", "envi", "traslad", "dirig", "fue", "va", "ir",
    "vin", "ven", "acud", "march", "huy", "entr", "desplaz", "mand", "retorn", "arrib", "emigr",
];
const ARTICLES: &[&str] = &["el", "la", "los", "las", "del", "al"];

/// The name of several words (no acronym) matched from token `ti` to byte
/// `end` continues a longer name: a capitalised word is joined to it by a
/// space, not the first word of a sentence or line, nor a country, a
/// demonym or a date ("National Security Council" is no UN Security
/// Council; "Iranian Revolutionary Guards", "the July United Nations
/// conference" keep theirs).
fn name_word_before(kb: &Kb, doc: &Doc, toks: &[norm::Tok], ti: usize, end: usize) -> bool {
    let text = doc.text.as_str();
    let (Some(p), Some(t)) = (ti.checked_sub(1).and_then(|j| toks.get(j)), toks.get(ti)) else {
        return false;
    };
    let words = toks[ti..].iter().take_while(|w| w.end <= end);
    if words.clone().count() < 2 || words.clone().any(|w| w.upper) {
        return false;
    }
    let before = text[..p.start].trim_end_matches([' ', '\t']);
    p.cap
        && !p.upper
        && text.get(p.end..t.start) == Some(" ")
        && !before.is_empty()
        && !before.ends_with(['.', '!', '?', ':', '"', '\n', '(', ')', '“', '«'])
        && kb.demonym(&p.folded).is_none()
        && country_at(kb, toks, ti - 1).is_none()
        && !doc
            .timexes
            .iter()
            .any(|x| x.span.start() < p.end && p.start < x.span.end())
}

/// The place matched from token `ti` to byte `end` continues a longer
/// capitalised name: a capitalised word right after it on the same line
/// ("La Libertad Avanza"), or a capitalised word and "de"/"del" right
/// before it ("Defensoría del Pueblo").
fn inside_name(text: &str, toks: &[norm::Tok], ti: usize, end: usize) -> bool {
    let next = toks.iter().skip(ti).find(|t| t.start >= end);
    let joined = |a: usize, b: usize| text.get(a..b).is_some_and(|g| g == " ");
    let after = next.is_some_and(|n| n.cap && !n.upper && joined(end, n.start));
    let before = ti >= 2
        && toks.get(ti).is_some_and(|t| {
            let (p, w) = (&toks[ti - 1], &toks[ti - 2]);
            matches!(p.folded.as_str(), "de" | "del")
                && w.cap
                && joined(w.end, p.start)
                && joined(p.end, t.start)
                && !crate::kb::PLACE_NOUNS.contains(&w.folded.as_str())
                // "Universidad de Chile", "Gobierno de Chile" stay places
                && !matches!(w.folded.as_str(), "universidad" | "gobierno")
        });
    after || before
}

/// One entity under construction.
struct Builder {
    key: String,
    name: String,
    etype: String,
    kb: Option<KbRef>,
    /// ISO code of the country the entity belongs to (for "el ruso").
    iso3: Option<String>,
    mentions: Vec<Span>,
    roles: Vec<Role>,
    first: usize,
}

#[derive(Default)]
struct State {
    builders: Vec<Builder>,
    by_key: FxHashMap<String, usize>,
    /// Byte ranges already covered by a mention.
    covered: Vec<(usize, usize)>,
}

impl State {
    fn entity(&mut self, key: &str, make: impl FnOnce() -> Builder) -> usize {
        if let Some(&i) = self.by_key.get(key) {
            return i;
        }
        let b = make();
        self.builders.push(b);
        let i = self.builders.len() - 1;
        self.by_key.insert(key.to_string(), i);
        i
    }

    fn mention(&mut self, ent: usize, text: &str, start: usize, end: usize) {
        if self.is_covered(start, end) {
            return;
        }
        if let (Ok(span), Some(b)) = (Span::new(text, start, end), self.builders.get_mut(ent)) {
            b.mentions.push(span);
            b.first = b.first.min(start);
            self.covered.push((start, end));
        }
    }

    fn is_covered(&self, start: usize, end: usize) -> bool {
        self.covered.iter().any(|&(s, e)| start < e && s < end)
    }
}

fn doc_date(doc: &Doc) -> String {
    doc.date
        .as_deref()
        .and_then(|d| d.get(..10))
        .unwrap_or("")
        .to_string()
}

/// Links the document's mentions; the result is sorted by first mention.
pub fn link(kb: &Kb, ner: Option<&dyn NameTagger>, doc: &Doc) -> Vec<Entity> {
    let spanish = doc.lang.as_deref() != Some("en");
    let text = doc.text.as_str();
    let date = doc_date(doc);
    let toks = norm::tokens(text);
    let mut st = State::default();
    let mut pending_nominal: Vec<(usize, usize, String)> = Vec::new();

    // 1. acronyms defined in parentheses: "Long Name (ACR)"
    let acronyms = find_acronyms(text, &toks);

    // 2. coordinated plural offices: "los primeros ministros de Italia,
    // Polonia y Finlandia" names one person per country, on the date
    coordinated_roles(kb, text, &toks, &date, &mut st);

    // 2b. "el Gobierno peruano", "el Senado chileno", "la policía de
    // Perú", "Iraqi police": that country's government or other body
    sector_bodies(kb, text, &toks, &mut st);

    // 3. knowledge-base matches
    for m in kb.find_all_in(&toks) {
        let ents: Vec<&Entry> = m.entries.iter().filter_map(|&i| kb.entry(i)).collect();
        if ents.is_empty() {
            continue;
        }
        let ti = toks.partition_point(|t| t.start < m.start);
        let prev = ti
            .checked_sub(1)
            .and_then(|j| toks.get(j))
            .map(|t| t.folded.as_str())
            .unwrap_or("");
        let next_tok = toks.iter().find(|t| t.start >= m.end);
        // Spanish "a" also marks a personal object ("situado a Moscú como
        // prioridad", "enfrentados a Washington"): locative only after a
        // verb of motion
        let prev2 = ti
            .checked_sub(2)
            .and_then(|j| toks.get(j))
            .map(|t| t.folded.as_str())
            .unwrap_or("");
        let locative = if prev == "a" {
            MOTION.iter().any(|m| prev2.starts_with(m))
        } else {
            // "visitará Kiev", "visited Moscow": the place visited; "la
            // provincia de Buenos Aires", "the streets of Moscow": a place
            LOCATIVE.contains(&prev)
                || prev.starts_with("visit")
                || matches!(prev, "de" | "del" | "of") && crate::kb::PLACE_NOUNS.contains(&prev2)
        };
        let choice = choose(kb, &ents, locative, &date, spanish, &text[m.start..m.end]);
        let Some(e) = choice else { continue };
        // "President Bush", "el general Franco", "Mr. Baker": after a title
        // a name is a person's, not a town's (Būsh, Egypt); the NER's
        // person, if any, stands
        if e.kind == Kind::Place && PERSON_TITLES.contains(&prev) {
            continue;
        }
        match e.kind {
            Kind::Person => {
                let i = person_entity(kb, &mut st, e, &date);
                st.mention(i, text, m.start, m.end);
            }
            Kind::RolePhrase => {
                let Some((role, iso3)) = kb.role_phrase(&text[m.start..m.end]) else {
                    continue;
                };
                let phrase = text[m.start..m.end].to_string();
                // "Russian President Boris Yeltsin", "el presidente ruso,
                // Vladímir Putin": the name given is the person, whoever
                // held the office on the article's date
                let after = toks.partition_point(|t| t.start < m.end);
                // not after a capitalised word that is part of the title
                // ("Assistant Defense Secretary Richard Armitage") or the
                // name ("John Pope Jr")
                let qualified = ti
                    .checked_sub(1)
                    .and_then(|j| toks.get(j))
                    .is_some_and(|p| {
                        let before = text[..p.start].trim_end();
                        p.cap
                            && text.get(p.end..m.start) == Some(" ")
                            && !before.is_empty()
                            && !before.ends_with(['.', '!', '?', ':', '"', '\n'])
                    });
                let named = if qualified {
                    None
                } else {
                    name_after(kb, doc, text, &toks, m.end, after)
                };
                if let Some((ns, ne)) = named {
                    // "former Soviet President Mikhail Gorbachev" holds no office
                    let former = ti
                        .checked_sub(1)
                        .and_then(|j| toks.get(j))
                        .is_some_and(|p| matches!(p.folded.as_str(), "former" | "ex"));
                    let office = (role, iso3);
                    let i = named_role_holder(kb, &mut st, &date, office, &text[ns..ne], former);
                    add_role(&mut st.builders[i], role, iso3, &phrase);
                    let start = article_before(text, &toks, ti).unwrap_or(m.start);
                    st.mention(i, text, start, m.end);
                    st.mention(i, text, ns, ne);
                    continue;
                }
                if let Some(p) = kb.role_holder(role, iso3, &date) {
                    let Some(pe) = kb.get(Kind::Person, &p.id) else {
                        continue;
                    };
                    let i = person_entity(kb, &mut st, pe, &date);
                    add_role(&mut st.builders[i], role, iso3, &phrase);
                    // start the mention at the article, when there is one
                    let start = article_before(text, &toks, ti).unwrap_or(m.start);
                    st.mention(i, text, start, m.end);
                } else {
                    let key = format!("role:{role}.{iso3}");
                    let i = st.entity(&key, || Builder {
                        key: key.clone(),
                        name: phrase.clone(),
                        etype: "PER".into(),
                        // whoever holds the office acts for its government
                        kb: Some(KbRef {
                            qid: None,
                            code: Some(format!("{iso3}GOV")),
                        }),
                        iso3: Some(iso3.to_string()),
                        mentions: Vec::new(),
                        roles: vec![Role {
                            role: role.to_string(),
                            country: Some(iso3.to_string()),
                            text: Some(phrase.clone()),
                        }],
                        first: usize::MAX,
                    });
                    st.mention(i, text, m.start, m.end);
                }
            }
            Kind::Demonym => {
                // "el ruso" (article + demonym, not followed by a noun it
                // modifies) names a person; resolved once people are known.
                // "los colombianos" are the country's people, not one of them.
                let nominal = ARTICLES.contains(&prev)
                    && !matches!(prev, "los" | "las")
                    && next_tok.is_none_or(|t| {
                        !is_lower_word(text, t.start, t.end)
                            || FUNCTION_WORDS.contains(&t.folded.as_str())
                    });
                if nominal {
                    pending_nominal.push((m.start, m.end, e.id.clone()));
                    continue;
                }
                let i = country_entity(kb, &mut st, &e.id);
                st.mention(i, text, m.start, m.end);
            }
            Kind::Country => {
                let i = country_entity(kb, &mut st, &e.id);
                st.mention(i, text, m.start, m.end);
            }
            Kind::Metonym => {
                let key = format!("gov:{}", e.id);
                let i = st.entity(&key, || Builder {
                    key: key.clone(),
                    name: e.name.clone(),
                    etype: "ORG".into(),
                    kb: Some(KbRef {
                        qid: e.qid.clone(),
                        code: e.cameo.clone(),
                    }),
                    iso3: e.iso3.clone(),
                    mentions: Vec::new(),
                    roles: Vec::new(),
                    first: usize::MAX,
                });
                st.mention(i, text, m.start, m.end);
            }
            // a city or region inside a longer name ("La Libertad Avanza",
            // a party; "la Defensoría del Pueblo") is no place
            Kind::Place if inside_name(text, &toks, ti, m.end) => continue,
            // "National Security Council" is no UN Security Council: an
            // organisation's name right after a capitalised word of a
            // longer name the KB does not know
            Kind::Org if name_word_before(kb, doc, &toks, ti, m.end) => continue,
            Kind::Org | Kind::Place => {
                let key = e.key();
                let etype = if e.kind == Kind::Org { "ORG" } else { "LOC" };
                let i = st.entity(&key, || Builder {
                    key: key.clone(),
                    name: e.name.clone(),
                    etype: etype.into(),
                    kb: Some(KbRef {
                        qid: e.qid.clone(),
                        // a place codes as its country, as in the CAMEO
                        // actor dictionaries ("Tokyo" -> JPN)
                        code: e
                            .cameo
                            .clone()
                            .or_else(|| (e.kind == Kind::Place).then(|| e.iso3.clone()).flatten()),
                    }),
                    iso3: e.iso3.clone(),
                    mentions: Vec::new(),
                    roles: Vec::new(),
                    first: usize::MAX,
                });
                st.mention(i, text, m.start, m.end);
            }
        }
    }

    // 4. acronyms: the long form's entity (or a new local one) takes every use
    for ac in &acronyms {
        let owner = st.builders.iter().position(|b| {
            b.mentions.iter().any(|s| {
                s.start() <= ac.long.0 && ac.long.1 <= s.end()
                    || (s.start() >= ac.long.0
                        && s.end() <= ac.long.1
                        && s.len() * 2 > ac.long.1 - ac.long.0)
            })
        });
        let i = match owner {
            Some(i) => i,
            None => {
                let key = format!("local:{}", norm::normalize(&ac.acr));
                let name = text[ac.long.0..ac.long.1].to_string();
                let i = st.entity(&key, || Builder {
                    key: key.clone(),
                    name,
                    etype: "ORG".into(),
                    kb: None,
                    iso3: None,
                    mentions: Vec::new(),
                    roles: Vec::new(),
                    first: usize::MAX,
                });
                st.mention(i, text, ac.long.0, ac.long.1);
                i
            }
        };
        for t in &toks {
            if t.cased == ac.acr && t.upper {
                st.mention(i, text, t.start, t.end);
            }
        }
    }

    // 5. short forms of people already named ("Putin", "Kim")
    short_forms(text, &toks, &mut st);

    // 6. NER names the KB does not know, and their short forms ("José
    // Jerí" ... "Jerí lamentó")
    if let Some(ner) = ner {
        let known = st.builders.len();
        ner_mentions(kb, ner, doc, &date, &mut st);
        if st.builders[known..].iter().any(|b| b.etype == "PER") {
            let index = short_name_index(text, &st);
            merge_short_people(&mut st, &index);
            add_short_forms(text, &toks, &mut st, &index);
        }
    }

    // 7. "el ruso": the person of that country most mentioned
    for (s, e, iso3) in pending_nominal {
        let best = st
            .builders
            .iter()
            .enumerate()
            .filter(|(_, b)| b.etype == "PER" && b.iso3.as_deref() == Some(iso3.as_str()))
            .max_by_key(|(_, b)| b.mentions.len())
            .map(|(i, _)| i);
        match best {
            Some(i) => {
                let ti = toks.partition_point(|t| t.start < s);
                let start = article_before(text, &toks, ti).unwrap_or(s);
                st.mention(i, text, start, e);
            }
            None => {
                let i = country_entity(kb, &mut st, &iso3);
                st.mention(i, text, s, e);
            }
        }
    }

    // 8. "el régimen" naming no country of its own: the government of the
    // leader named last before it ("Kim ha situado a Moscú como prioridad
    // ... El régimen ha ignorado los pedidos")
    for (ti, t) in toks.iter().enumerate() {
        let after_el = ti > 0 && toks.get(ti - 1).is_some_and(|p| p.folded == "el");
        if t.folded != "regimen" || !after_el {
            continue;
        }
        let named = toks.get(ti + 1).is_some_and(|n| {
            matches!(n.folded.as_str(), "de" | "del") || kb.demonym(&n.folded).is_some()
        });
        // the regime acts or is acted on ("El régimen ha ignorado", "el
        // régimen, que ..."), not a régimen described ("con el régimen
        // anterior", a treatment)
        let next_is_verb = toks.get(ti + 1).is_some_and(|n| {
            let gap = text.get(t.end..n.start).unwrap_or("");
            gap.contains([',', '.', ';', ':'])
                || doc.words.iter().any(|w| {
                    doc.tokens
                        .get(w.token as usize)
                        .is_some_and(|tk| tk.span.start() == n.start)
                        && matches!(w.upos.as_ref(), "VERB" | "AUX")
                })
        });
        if named || !next_is_verb {
            continue;
        }
        let leader = st
            .builders
            .iter()
            .filter(|b| {
                b.etype == "PER"
                    && b.iso3.is_some()
                    && b.kb
                        .as_ref()
                        .and_then(|k| k.code.as_deref())
                        .is_some_and(|c| c.ends_with("GOV"))
            })
            .filter_map(|b| {
                let last = b
                    .mentions
                    .iter()
                    .map(|m| m.start())
                    .filter(|&m| m < t.start && t.start - m <= REGIME_REACH)
                    .max()?;
                Some((last, b.iso3.clone()?))
            })
            .max_by_key(|(last, _)| *last);
        if let Some((_, iso3)) = leader {
            let i = government_entity(kb, &mut st, &iso3);
            let start = article_before(text, &toks, ti).unwrap_or(t.start);
            st.mention(i, text, start, t.end);
        }
    }

    // 9. one-word mentions that are function words or verbs
    drop_non_names(doc, &mut st);

    let mut out: Vec<Builder> = st
        .builders
        .into_iter()
        .filter(|b| !b.mentions.is_empty())
        .collect();
    out.sort_by_key(|b| b.first);
    out.into_iter()
        .enumerate()
        .map(|(n, mut b)| {
            b.mentions.sort_by_key(|s| s.start());
            // a person of the KB's ASCII-only source (PETRARCH: "Marta
            // Lucia Ramirez") takes the document's accented spelling; the
            // names of the hand-made tables are canonical and stay
            let ascii_source = b
                .key
                .strip_prefix("person:")
                .is_some_and(|id| id.starts_with(crate::kb::ASCII_PERSON_PREFIX));
            let folded = ascii_source.then(|| norm::normalize(&b.name));
            let accented = folded.and_then(|f| {
                b.mentions.iter().map(|m| m.slice(text)).find(|m| {
                    !m.is_ascii()
                        && !m.contains('\n')
                        && m.chars().any(char::is_lowercase)
                        && norm::normalize(m) == f
                })
            });
            Entity {
                id: format!("e{n}"),
                name: accented.map(str::to_string).unwrap_or(b.name),
                etype: b.etype,
                kb: b.kb,
                mentions: b
                    .mentions
                    .into_iter()
                    .map(|span| Mention { span })
                    .collect(),
                roles: b.roles,
            }
        })
        .collect()
}

/// A one-word mention the tagger reads as a function word or a verb is
/// no name where its capital says nothing: at the start of a sentence
/// ("Para" is no Pará, "Sale" no Salé, "Las" and "Cuándo" no short
/// forms of a name) and, for closed-class words, in capitals ("HAS" is
/// no Has, Albania; "UN" no United Nations). Countries and the KB's
/// people are kept ("USA", "AMLO" in a headline the tagger misreads),
/// and so is a capitalised word inside a sentence ("Wright said").
fn drop_non_names(doc: &Doc, st: &mut State) {
    let text = doc.text.as_str();
    let en = doc.lang.as_deref() == Some("en");
    // the word of a one-word token with exactly this span: (UPOS, lemma,
    // first word of its sentence); a token of several words (a
    // contraction) is left alone
    let word_at = |span: &Span| -> Option<(&str, &str, bool)> {
        let ti = doc
            .tokens
            .partition_point(|t| t.span.start() < span.start());
        let tok = doc.tokens.get(ti).filter(|t| t.span.end() == span.end())?;
        let wi = doc.words.partition_point(|w| (w.token as usize) < ti);
        let w = doc.words.get(wi).filter(|w| w.token as usize == ti)?;
        if doc
            .words
            .get(wi + 1)
            .is_some_and(|n| n.token as usize == ti)
        {
            return None;
        }
        let initial = doc.words[..wi]
            .iter()
            .rev()
            .take_while(|p| {
                doc.tokens
                    .get(p.token as usize)
                    .is_some_and(|t| t.sent == tok.sent)
            })
            .all(|p| &*p.upos == "PUNCT");
        Some((&*w.upos, &*w.lemma, initial))
    };
    let not_a_name = |span: &Span| {
        let Some((upos, lemma, initial)) = word_at(span) else {
            return false;
        };
        let word = span.slice(text);
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let caps = (2..=5).contains(&letters) && !word.chars().any(char::is_lowercase);
        let closed = CLOSED_CLASSES.contains(&upos)
            && (upos != "AUX" || AUX_LEMMAS.contains(&lemma.to_lowercase().as_str()));
        if en {
            // the English tagger reads unknown capitalised words at the
            // start of a sentence or in a headline as verbs, auxiliaries,
            // even determiners ("Wright said", "TOKYO"): there only the
            // function words themselves count
            return (initial || caps)
                && closed
                && EN_FUNCTION_WORDS.contains(&word.to_lowercase().as_str());
        }
        (initial && NOT_NAMES.contains(&upos)) || ((initial || caps) && closed)
    };
    for b in st.builders.iter_mut() {
        if b.key.starts_with("country:") || b.key.starts_with("person:") {
            continue;
        }
        let drop: Vec<Span> = b
            .mentions
            .iter()
            .filter(|m| not_a_name(m))
            .copied()
            .collect();
        if drop.is_empty() {
            continue;
        }
        // the short form of a name the entity is also called by in full
        // ("Iván Duque ... Duque reconoce") stays
        let full: Vec<String> = b
            .mentions
            .iter()
            .map(|m| m.slice(text))
            .filter(|t| t.contains(' '))
            .map(str::to_lowercase)
            .collect();
        b.mentions.retain(|m| {
            !drop.contains(m) || {
                let short = m.slice(text).to_lowercase();
                full.iter().any(|f| f.split(' ').any(|w| w == short))
            }
        });
        b.first = b
            .mentions
            .iter()
            .map(|m| m.start())
            .min()
            .unwrap_or(usize::MAX);
    }
}

/// Parts of speech no one-word name has.
const NOT_NAMES: &[&str] = &[
    "ADP", "DET", "PRON", "AUX", "VERB", "ADV", "SCONJ", "CCONJ", "INTJ", "PART",
];

/// Closed word classes, told apart even in capitals.
const CLOSED_CLASSES: &[&str] = &["ADP", "DET", "PRON", "AUX", "SCONJ", "CCONJ"];

/// English function words that are also place or organisation names
/// somewhere ("Has", Albania; "It"; "UN" is the United Nations in
/// English, so it is not here).
const EN_FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "it", "its", "is", "has", "had", "was", "are", "in", "on", "at", "for", "of",
    "to", "and", "or", "but", "by", "with", "from", "as", "he", "she", "they", "we", "you", "i",
    "his", "her", "this", "that", "these", "those", "if",
];

/// The lemmas of auxiliary verbs.
const AUX_LEMMAS: &[&str] = &[
    "haber", "ser", "estar", "poder", "deber", "ir", "soler", "be", "have", "do", "will", "would",
    "can", "could", "may", "might", "shall", "should", "must",
];

const FUNCTION_WORDS: &[&str] = &[
    "con", "y", "de", "en", "a", "que", "por", "para", "se", "no", "ha", "fue", "es", "dijo",
];

fn is_lower_word(text: &str, s: usize, e: usize) -> bool {
    text.get(s..e)
        .and_then(|w| w.chars().next())
        .is_some_and(|c| c.is_lowercase())
}

/// Start of the article right before token `ti`, if there is one.
/// Plural office heads (folded), the singular that names one holder, and
/// the office code for [`Kb::role_holder`] when no role phrase matches.
const PLURAL_ROLES: &[(&str, &str, &str)] = &[
    ("primeros ministros", "primer ministro", "PRIME_MINISTER"),
    ("primeras ministras", "primera ministra", "PRIME_MINISTER"),
    ("presidentes", "presidente", "PRESIDENT"),
    ("presidentas", "presidenta", "PRESIDENT"),
    ("lideres", "líder", "LEADER"),
    ("mandatarios", "mandatario", "LEADER"),
    ("jefes de estado", "jefe de Estado", "HEAD_OF_STATE"),
    (
        "jefes de gobierno",
        "jefe de Gobierno",
        "HEAD_OF_GOVERNMENT",
    ),
    ("jefes de estado y de gobierno", "líder", "LEADER"),
    ("cancilleres", "canciller", "FOREIGN_MINISTER"),
    (
        "ministros de exteriores",
        "ministro de Exteriores",
        "FOREIGN_MINISTER",
    ),
    (
        "ministros de asuntos exteriores",
        "ministro de Asuntos Exteriores",
        "FOREIGN_MINISTER",
    ),
    (
        "ministros de relaciones exteriores",
        "ministro de Relaciones Exteriores",
        "FOREIGN_MINISTER",
    ),
    (
        "ministros de defensa",
        "ministro de Defensa",
        "DEFENCE_MINISTER",
    ),
    ("vicepresidentes", "vicepresidente", "VICE_PRESIDENT"),
    ("prime ministers", "Prime Minister", "PRIME_MINISTER"),
    ("presidents", "President", "PRESIDENT"),
    ("leaders", "leader", "LEADER"),
    ("heads of state", "head of state", "HEAD_OF_STATE"),
    (
        "heads of government",
        "head of government",
        "HEAD_OF_GOVERNMENT",
    ),
    ("foreign ministers", "Foreign Minister", "FOREIGN_MINISTER"),
    ("defence ministers", "Defence Minister", "DEFENCE_MINISTER"),
    ("defense ministers", "Defence Minister", "DEFENCE_MINISTER"),
    ("vice presidents", "Vice President", "VICE_PRESIDENT"),
];
/// Words allowed between the members of a coordinated list.
const LIST_GLUE: &[&str] = &["y", "e", "and", "de", "del", "of", "the", "la", "el"];

/// A country named at token `i` (its name or alias, up to five words):
/// (iso3, tokens used).
fn country_at(kb: &Kb, toks: &[norm::Tok], i: usize) -> Option<(String, usize)> {
    (1..=5usize).rev().find_map(|n| {
        let span = toks.get(i..i + n)?;
        if !span.first()?.cap {
            return None;
        }
        kb.lookup_toks(span)
            .into_iter()
            .find(|e| e.kind == Kind::Country)
            .map(|e| (e.id.clone(), n))
    })
}

/// The countries of a coordinated list starting at token `i`, each with its
/// token range, read by `one` ("Italia, Polonia y Finlandia"; "italiano,
/// polaco y finlandés"). Only commas and [`LIST_GLUE`] words may separate
/// members.
fn country_list(
    text: &str,
    toks: &[norm::Tok],
    mut i: usize,
    one: impl Fn(usize) -> Option<(String, usize)>,
) -> Vec<(String, usize, usize)> {
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    while let Some((iso3, n)) = one(i) {
        out.push((iso3, i, i + n));
        let mut j = i + n;
        // glue: commas in the gaps, list words between
        let mut glued = false;
        while let (Some(prev), Some(t)) = (toks.get(j - 1), toks.get(j)) {
            let gap = text.get(prev.end..t.start).unwrap_or("x");
            if !gap.chars().all(|c| c == ',' || c.is_whitespace()) {
                break;
            }
            if gap.contains(',') {
                glued = true;
            }
            if LIST_GLUE.contains(&t.folded.as_str()) {
                glued = true;
                j += 1;
            } else {
                break;
            }
        }
        if !glued {
            break;
        }
        i = j;
    }
    out
}

/// Plural office phrases over a list of countries resolve to one person
/// per country on the document's date: "los primeros ministros de Italia,
/// Polonia y Finlandia", "los presidentes ruso y chino", "the prime
/// ministers of Italy and Poland". Each person's mention is their
/// country's word in the list and their role's text the whole phrase; the
/// phrase is covered, so the countries in it are not actors of their own.
fn coordinated_roles(kb: &Kb, text: &str, toks: &[norm::Tok], date: &str, st: &mut State) {
    // the heads by first word: one hash look-up per token
    static BY_FIRST: OnceLock<FxHashMap<&'static str, Vec<usize>>> = OnceLock::new();
    let by_first = BY_FIRST.get_or_init(|| {
        let mut m: FxHashMap<&'static str, Vec<usize>> = FxHashMap::default();
        for (k, (plural, _, _)) in PLURAL_ROLES.iter().enumerate() {
            let first = plural.split(' ').next().unwrap_or(plural);
            m.entry(first).or_default().push(k);
        }
        for v in m.values_mut() {
            v.sort_by_key(|&k| std::cmp::Reverse(PLURAL_ROLES[k].0.len()));
        }
        m
    });
    let mut i = 0;
    while i < toks.len() {
        let cands = by_first.get(toks[i].folded.as_str());
        // longest head first ("jefes de estado y de gobierno")
        let head = cands.into_iter().flatten().find_map(|&k| {
            let (plural, singular, role) = PLURAL_ROLES[k];
            let n = plural.split(' ').count();
            let words = toks.get(i..i + n)?;
            words
                .iter()
                .map(|t| t.folded.as_str())
                .eq(plural.split(' '))
                .then_some((n, singular, role))
        });
        let Some((n, singular, role)) = head else {
            i += 1;
            continue;
        };
        let after = i + n;
        let prep = toks.get(after).map(|t| t.folded.as_str());
        let list = if matches!(prep, Some("de" | "of")) {
            country_list(text, toks, after + 1, |k| country_at(kb, toks, k))
        } else {
            // "los presidentes ruso y chino": demonyms after the head
            country_list(text, toks, after, |k| {
                let t = toks.get(k)?;
                kb.demonym(&t.folded)
                    .map(|(iso3, _, _)| (iso3.to_string(), 1))
            })
        };
        if list.len() < 2 {
            i += 1;
            continue;
        }
        let Some(last) = list.last() else {
            i += 1;
            continue;
        };
        let start = article_before(text, toks, i).unwrap_or(toks[i].start);
        let end = toks.get(last.2 - 1).map(|t| t.end).unwrap_or(toks[i].end);
        let phrase = text.get(start..end).unwrap_or("").to_string();
        let en = singular.chars().next().is_some_and(char::is_uppercase) || prep == Some("of");
        for (iso3, a, b) in &list {
            let name = kb.country(iso3).map(|c| {
                if en {
                    c.name_en.clone()
                } else {
                    c.name_es.clone()
                }
            });
            let linked = name
                .and_then(|nm| {
                    let joiner = if en { "of" } else { "de" };
                    kb.role_phrase(&format!("{singular} {joiner} {nm}"))
                })
                .map(|(r, c)| (r.to_string(), c.to_string()))
                .unwrap_or_else(|| (role.to_string(), iso3.clone()));
            let Some(p) = kb.role_holder(&linked.0, &linked.1, date) else {
                continue;
            };
            let Some(pe) = kb.get(Kind::Person, &p.id) else {
                continue;
            };
            let ent = person_entity(kb, st, pe, date);
            add_role(&mut st.builders[ent], &linked.0, &linked.1, &phrase);
            let (Some(ta), Some(tb)) = (toks.get(*a), toks.get(b - 1)) else {
                continue;
            };
            st.mention(ent, text, ta.start, tb.end);
        }
        st.covered.push((start, end));
        i = last.2;
    }
}

fn article_before(text: &str, toks: &[norm::Tok], ti: usize) -> Option<usize> {
    let p = toks.get(ti.checked_sub(1)?)?;
    let gap = text.get(p.end..toks.get(ti)?.start)?;
    if gap.trim().is_empty() && matches!(p.folded.as_str(), "el" | "la" | "los" | "las") {
        Some(p.start)
    } else {
        None
    }
}

/// Countries where Spanish is the main language: a Spanish article's
/// "Toledo" or "Cádiz" is theirs before a larger namesake elsewhere.
const SPANISH_SPEAKING: &[&str] = &[
    "ESP", "MEX", "COL", "ARG", "PER", "VEN", "CHL", "ECU", "GTM", "CUB", "BOL", "DOM", "HND",
    "PRY", "SLV", "NIC", "CRI", "PAN", "URY", "PRI", "GNQ",
];

/// Picks the entry a match names, given its context.
fn choose<'a>(
    kb: &Kb,
    ents: &[&'a Entry],
    locative: bool,
    date: &str,
    spanish: bool,
    surface: &str,
) -> Option<&'a Entry> {
    let rank = |e: &Entry| -> i32 {
        match e.kind {
            Kind::Person => {
                let holds = kb
                    .person(&e.id)
                    .is_some_and(|p| p.roles.iter().any(|r| r.holds_on(date)));
                if holds {
                    100
                } else {
                    90
                }
            }
            Kind::Org => 80,
            Kind::Country => 75,
            Kind::Metonym if !locative => 70,
            Kind::Place if locative => 72,
            Kind::Place => 60,
            Kind::Metonym => 50,
            Kind::RolePhrase => 65,
            Kind::Demonym => 40,
        }
    };
    // places of one name: a reviewed row, then the one so called before
    // one of that alternate name ("Bethlehem" is not Belém, "Philadelphia"
    // not Amman; but "Odessa" is then Texas's, not Odesa), then the
    // likeliest (`Kb::place_weight`), in a Spanish article one of a
    // Spanish-speaking country first
    if let [one] = ents {
        return Some(one);
    }
    let surface = norm::normalize(surface);
    let named = |e: &Entry| e.kind == Kind::Place && norm::normalize(&e.name) == surface;
    let near = |e: &Entry| {
        spanish
            && e.kind == Kind::Place
            && e.iso3
                .as_deref()
                .is_some_and(|c| SPANISH_SPEAKING.contains(&c))
    };
    ents.iter().copied().max_by_key(|e| {
        let weight = kb.place_weight(e);
        (rank(e), weight == u64::MAX, named(e), near(e), weight)
    })
}

fn person_entity(kb: &Kb, st: &mut State, e: &Entry, date: &str) -> usize {
    let key = e.key();
    st.entity(&key, || {
        let p = kb.person(&e.id);
        let held: Vec<&crate::kb::Role> = p
            .map(|p| p.roles.iter().filter(|r| r.holds_on(date)).collect())
            .unwrap_or_default();
        let code = held
            .iter()
            .map(|r| r.cameo.clone())
            .find(|c| !c.is_empty())
            .or_else(|| e.cameo.clone());
        let iso3 = held
            .iter()
            .map(|r| r.iso3.clone())
            .find(|c| !c.is_empty())
            .or_else(|| e.iso3.clone());
        Builder {
            key: key.clone(),
            name: e.name.clone(),
            etype: "PER".into(),
            kb: Some(KbRef {
                qid: e.qid.clone(),
                code,
            }),
            iso3,
            mentions: Vec::new(),
            // one role per title and country (a president is head of
            // state and of government)
            roles: held.iter().fold(Vec::new(), |mut out: Vec<Role>, r| {
                let country = (!r.iso3.is_empty()).then(|| r.iso3.clone());
                if !out
                    .iter()
                    .any(|o| o.role == r.title && o.country == country)
                {
                    out.push(Role {
                        role: r.title.clone(),
                        country,
                        text: None,
                    });
                }
                out
            }),
            first: usize::MAX,
        }
    })
}

/// Records that `phrase` ("el presidente ruso", "el líder norcoreano")
/// named the person by `role` in `iso3`: on the held office of that title,
/// else as a role of its own ("líder" of a country whose leader's office is
/// titled General Secretary is still its LEADER).
fn add_role(b: &mut Builder, role: &str, iso3: &str, phrase: &str) {
    if let Some(r) = b
        .roles
        .iter_mut()
        .find(|r| r.country.as_deref() == Some(iso3) && r.text.is_none() && r.role == role)
    {
        r.text = Some(phrase.to_string());
        return;
    }
    if !b.roles.iter().any(|r| r.text.as_deref() == Some(phrase)) {
        b.roles.push(Role {
            role: role.to_string(),
            country: Some(iso3.to_string()),
            text: Some(phrase.to_string()),
        });
    }
}

/// Name particles inside a person's name ("Abu Bakr al Baghdadi", "Luiz
/// Inácio Lula da Silva").
const NAME_PARTICLES: &[&str] = &[
    "de", "del", "da", "dos", "la", "van", "von", "der", "bin", "ibn", "al", "el", "abu",
];

/// The person's name right after a role phrase ("Russian President Boris
/// Yeltsin", "el presidente ruso, Vladímir Putin"): up to four capitalised
/// words (with name particles between them) after a space, or two or more
/// after a comma. A word of a time expression ("Palestinian leader Yasser
/// Arafat Wednesday") or a word in capitals (but an initial: "George W.
/// Bush") ends it.
/// Returns the name's byte range.
fn name_after(
    kb: &Kb,
    doc: &Doc,
    text: &str,
    toks: &[norm::Tok],
    phrase_end: usize,
    first: usize,
) -> Option<(usize, usize)> {
    let t0 = toks.get(first)?;
    // a space, or one line break of wrapped text
    let space = |g: &str| !g.is_empty() && g.trim().is_empty() && g.matches('\n').count() <= 1;
    let gap = text.get(phrase_end..t0.start)?;
    let comma = match gap.trim() {
        "" if space(gap) => false,
        "," => true,
        _ => return None,
    };
    let in_timex = |t: &norm::Tok| {
        doc.timexes
            .iter()
            .any(|x| x.span.start() < t.end && t.start < x.span.end())
    };
    let mut words = 0;
    let mut last = None;
    let mut k = first;
    while let Some(t) = toks.get(k) {
        if k > first {
            let prev = &toks[k - 1];
            let g = text.get(prev.end..t.start).unwrap_or("");
            // "George P. Shultz", "Díaz-Canel"
            let initial = prev.upper && prev.end - prev.start == 1 && g == ". ";
            if !(space(g) || initial || g == "-") || country_at(kb, toks, k).is_some() {
                break;
            }
        }
        let capitals = t.upper && t.end - t.start > 1;
        let function_word = FUNCTION_WORDS.contains(&t.folded.as_str())
            || EN_FUNCTION_WORDS.contains(&t.folded.as_str());
        let name_word = t.cap && !capitals && !function_word && !in_timex(t);
        if name_word {
            words += 1;
            last = Some(k);
        } else if last.is_none() || !NAME_PARTICLES.contains(&t.folded.as_str()) {
            break;
        }
        if words == 4 {
            break;
        }
        k += 1;
    }
    let last = toks.get(last?)?;
    if comma && words < 2 {
        return None;
    }
    Some((t0.start, last.end))
}

/// The person a role phrase names by `name`: the knowledge base's person
/// of that name, else the office holder on `date` when the name is the
/// holder's surname ("US President Trump"), else a person of this
/// document coded as the office's government (`ISO3` + GOV). A KB person
/// so named is coded as that government too, unless `former`.
fn named_role_holder(
    kb: &Kb,
    st: &mut State,
    date: &str,
    (role, iso3): (&str, &str),
    name: &str,
    former: bool,
) -> usize {
    if let Some(e) = kb.lookup(name).into_iter().find(|e| e.kind == Kind::Person) {
        // the text says they hold the office: they act for its government
        // whatever the KB's dates say ("Russian President Boris Yeltsin"
        // on the day the dictionary has him out of office)
        let i = person_entity(kb, st, e, date);
        let gov = format!("{iso3}GOV");
        let b = &mut st.builders[i];
        let code = b.kb.as_ref().and_then(|k| k.code.as_deref()).unwrap_or("");
        if !former && !code.starts_with(&gov) {
            b.kb.get_or_insert_with(KbRef::default).code = Some(gov);
            b.iso3 = Some(iso3.to_string());
            // and the office given replaces what the KB has them as there
            b.roles.retain(|r| r.country.as_deref() != Some(iso3));
        }
        return i;
    }
    // the holder by surname, or by first name or surname alone
    // ("Emmanuel" "Macron" quoted apart)
    let given = norm::tokens(name);
    let holder = kb.role_holder(role, iso3, date).filter(|p| {
        let full = norm::tokens(&p.name);
        let (Some(first), Some(last)) = (full.first(), full.last()) else {
            return false;
        };
        match given.as_slice() {
            [one] => one.folded == first.folded || one.folded == last.folded,
            [.., end] => end.folded == last.folded,
            [] => false,
        }
    });
    if let Some(pe) = holder.and_then(|p| kb.get(Kind::Person, &p.id)) {
        return person_entity(kb, st, pe, date);
    }
    let key = format!("local:PER:{}", norm::normalize(name));
    // wrapped text: "George\nShultz" is George Shultz
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    coded_entity(st, key, name, "PER", iso3, format!("{iso3}GOV"))
}

/// How far back (bytes) "el régimen" looks for the leader it stands for.
const REGIME_REACH: usize = 600;

/// The government of the country `iso3`, as a metonym of it names it
/// (the same entity as "el Kremlin" for RUS).
fn government_entity(kb: &Kb, st: &mut State, iso3: &str) -> usize {
    let name = kb
        .country(iso3)
        .map(|c| format!("Government of {}", c.name_en))
        .unwrap_or_else(|| format!("{iso3} government"));
    body_entity(st, format!("gov:{iso3}.GOV"), name, iso3, "GOV")
}

/// The entity of a body of the state `iso3` (an organisation with the
/// CAMEO code `iso3` + `sector`), made on first use under `key`.
fn body_entity(st: &mut State, key: String, name: String, iso3: &str, sector: &str) -> usize {
    coded_entity(st, key, name, "ORG", iso3, format!("{iso3}{sector}"))
}

/// An entity of the country `iso3` with a CAMEO code and no KB identity,
/// made on first use under `key`.
fn coded_entity(
    st: &mut State,
    key: String,
    name: String,
    etype: &str,
    iso3: &str,
    code: String,
) -> usize {
    st.entity(&key, || Builder {
        key: key.clone(),
        name,
        etype: etype.into(),
        kb: Some(KbRef {
            qid: None,
            code: Some(code),
        }),
        iso3: Some(iso3.to_string()),
        mentions: Vec::new(),
        roles: Vec::new(),
        first: usize::MAX,
    })
}

fn country_entity(kb: &Kb, st: &mut State, iso3: &str) -> usize {
    let key = format!("country:{}", iso3.to_lowercase());
    st.entity(&key, || {
        let c = kb.country(iso3);
        Builder {
            key: key.clone(),
            name: c
                .map(|c| c.name_en.clone())
                .unwrap_or_else(|| iso3.to_string()),
            etype: "LOC".into(),
            kb: Some(KbRef {
                qid: c.and_then(|c| c.qid.clone()),
                code: Some(
                    c.map(|c| c.cameo.clone())
                        .unwrap_or_else(|| iso3.to_string()),
                ),
            }),
            iso3: Some(iso3.to_string()),
            mentions: Vec::new(),
            roles: Vec::new(),
            first: usize::MAX,
        }
    })
}

struct Acronym {
    acr: String,
    long: (usize, usize),
}

/// Words that may sit inside a multi-word name ("Agencia Central de
/// Noticias de Corea", "Bank of England").
const NAME_JOINERS: &[&str] = &[
    "de", "del", "la", "las", "los", "y", "e", "of", "the", "for", "and",
];

/// "Agencia Central de Noticias de Corea (ACNC)": the capitalised phrase
/// right before a parenthesised all-capitals word.
fn find_acronyms(text: &str, toks: &[norm::Tok]) -> Vec<Acronym> {
    let mut out: Vec<Acronym> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let open = text
            .get(..t.start)
            .is_some_and(|b| b.trim_end().ends_with('('));
        let close = text
            .get(t.end..)
            .is_some_and(|a| a.trim_start().starts_with(')'));
        let len = t.cased.chars().count();
        if !(open && close && t.upper && (2..=8).contains(&len)) || i == 0 {
            continue;
        }
        // walk back over capitalised words and joiners
        let mut j = i;
        let mut first_cap: Option<usize> = None;
        while j > 0 {
            let p = &toks[j - 1];
            let gap = text.get(p.end..toks[j].start).unwrap_or("");
            if j < i && gap.chars().any(|c| !c.is_whitespace()) {
                break;
            }
            if p.cap {
                first_cap = Some(j - 1);
            } else if !NAME_JOINERS.contains(&p.folded.as_str()) {
                break;
            }
            j -= 1;
        }
        let Some(f) = first_cap else { continue };
        // the long form ends at the word before the parenthesis
        let last = i - 1;
        if f > last || !toks[last].cap {
            continue;
        }
        // initials of the long form's capitalised words should agree loosely
        let words: Vec<&norm::Tok> = toks[f..=last].iter().filter(|w| w.cap).collect();
        if words.len() < 2 {
            continue;
        }
        let initials: String = words
            .iter()
            .filter_map(|w| w.cased.chars().next())
            .collect::<String>()
            .to_uppercase();
        let acr_up = t.cased.to_uppercase();
        let overlap = acr_up.chars().filter(|c| initials.contains(*c)).count();
        if overlap * 2 < acr_up.chars().count() {
            continue;
        }
        out.push(Acronym {
            acr: t.cased.to_string(),
            long: (toks[f].start, toks[last].end),
        });
    }
    out
}

fn short_forms(text: &str, toks: &[norm::Tok], st: &mut State) {
    let index = short_name_index(text, st);
    add_short_forms(text, toks, st, &index);
}

/// Folded word -> the people (builder indices) with a name of two or more
/// capitalised words that begins or ends with it.
type ShortNames = FxHashMap<String, Vec<usize>>;

fn short_name_index(text: &str, st: &State) -> ShortNames {
    let mut index = ShortNames::default();
    for (i, b) in st.builders.iter().enumerate() {
        if b.etype != "PER" || b.mentions.is_empty() {
            continue;
        }
        // each distinct name is tokenised once ("Putin" recurs)
        let mut names: Vec<&str> = vec![b.name.as_str()];
        for m in &b.mentions {
            let n = m.slice(text);
            if !names.contains(&n) {
                names.push(n);
            }
        }
        for n in names {
            let nt = norm::tokens(n);
            let caps: Vec<&norm::Tok> = nt.iter().filter(|t| t.cap).collect();
            if caps.len() < 2 {
                continue;
            }
            for t in [caps[0], caps[caps.len() - 1]] {
                if t.folded.chars().count() >= 3 {
                    let v = index.entry(t.folded.to_string()).or_default();
                    if !v.contains(&i) {
                        v.push(i);
                    }
                }
            }
        }
    }
    index
}

/// Every capitalised word that is the short form of exactly one person
/// becomes a mention of that person ("Putin", "Kim"); a part of a
/// hyphenated word is none ("Pre-Paid Legal" names no "Paid"), nor is a
/// word that a capitalised word continues ("Bernardo Ramírez Blanco" is
/// not Marta Lucía Ramírez: the name tagger reads it whole).
fn add_short_forms(text: &str, toks: &[norm::Tok], st: &mut State, index: &ShortNames) {
    for (ti, t) in toks.iter().enumerate() {
        if !t.cap || t.upper {
            continue;
        }
        let hyphen_before = text.get(..t.start).is_some_and(|b| b.ends_with('-'));
        let hyphen_after = text.get(t.end..).is_some_and(|a| a.starts_with('-'));
        let continued = toks
            .get(ti + 1)
            .is_some_and(|n| n.cap && !n.upper && text.get(t.end..n.start) == Some(" "));
        if hyphen_before || hyphen_after || continued {
            continue;
        }
        if let Some(v) = index.get(t.folded.as_str()) {
            if v.len() == 1 {
                st.mention(v[0], text, t.start, t.end);
            }
        }
    }
}

/// Bodies of a state named by a noun and its country: (folded words,
/// English head?, CAMEO sector, name, capitalised only). "el Senado
/// chileno", "la policía de Perú", "las tropas israelíes", "Iraqi police",
/// "the army of Myanmar" are that country's legislature, police, military;
/// "el Gobierno peruano", "el Tesoro de Estados Unidos", "the Peruvian
/// government" its government (the entity "el Kremlin" names too); "un
/// ejecutivo peruano" is a businessman; its officials, authorities,
/// diplomats and envoys act for it ("Iraqi officials", "las autoridades
/// rusas", "el embajador ruso"), as PETRARCH's agent dictionary codes
/// them (OFFICIAL, AUTHORITY, DIPLOMAT, ENVOY, AMBASSADOR: GOV). Armed groups against a state are
/// named the same way ("la guerrilla colombiana", "Syrian rebels"): REB,
/// and UAF for paramilitaries, as the UD-PETRARCH agent dictionary codes
/// them.
const SECTOR_HEADS: &[(&[&str], bool, &str, &str, bool)] = &[
    (&["gobierno"], false, "GOV", "Government", false),
    (&["ejecutivo"], false, "GOV", "Government", true),
    (&["tesoro"], false, "GOV", "Government", true),
    (&["cancilleria"], false, "GOV", "Government", true),
    (&["autoridades"], false, "GOV", "Government", false),
    (&["funcionarios"], false, "GOV", "Government", false),
    (&["funcionario"], false, "GOV", "Government", false),
    (&["diplomaticos"], false, "GOV", "Government", false),
    (&["diplomatico"], false, "GOV", "Government", false),
    (&["diplomacia"], false, "GOV", "Government", false),
    (&["embajador"], false, "GOV", "Government", false),
    (&["embajadora"], false, "GOV", "Government", false),
    (&["government"], true, "GOV", "Government", false),
    (&["authorities"], true, "GOV", "Government", false),
    (&["officials"], true, "GOV", "Government", false),
    (&["official"], true, "GOV", "Government", false),
    (&["diplomats"], true, "GOV", "Government", false),
    (&["diplomat"], true, "GOV", "Government", false),
    (&["envoy"], true, "GOV", "Government", false),
    (&["ambassador"], true, "GOV", "Government", false),
    (&["treasury"], true, "GOV", "Government", true),
    (&["fuerzas", "armadas"], false, "MIL", "Armed forces", false),
    (&["fuerza", "aerea"], false, "MIL", "Armed forces", true),
    (&["ejercito"], false, "MIL", "Armed forces", false),
    (&["armada"], false, "MIL", "Armed forces", true),
    (&["tropas"], false, "MIL", "Armed forces", false),
    (&["militares"], false, "MIL", "Armed forces", false),
    (&["soldados"], false, "MIL", "Armed forces", false),
    (&["policia"], false, "COP", "Police", false),
    (&["policias"], false, "COP", "Police", false),
    (&["carabineros"], false, "COP", "Police", false),
    (&["gendarmeria"], false, "COP", "Police", false),
    (&["senado"], false, "LEG", "Legislature", false),
    (&["congreso"], false, "LEG", "Legislature", true),
    (&["parlamento"], false, "LEG", "Legislature", false),
    (&["asamblea", "nacional"], false, "LEG", "Legislature", true),
    (
        &["camara", "de", "diputados"],
        false,
        "LEG",
        "Legislature",
        true,
    ),
    (&["corte", "suprema"], false, "JUD", "Judiciary", false),
    (&["tribunal", "supremo"], false, "JUD", "Judiciary", false),
    (&["justicia"], false, "JUD", "Judiciary", false),
    (&["oposicion"], false, "OPP", "Opposition", false),
    (&["guerrilla"], false, "REB", "Rebels", false),
    (&["guerrilleros"], false, "REB", "Rebels", false),
    (&["rebeldes"], false, "REB", "Rebels", false),
    (&["insurgentes"], false, "REB", "Rebels", false),
    (&["milicianos"], false, "REB", "Rebels", false),
    (&["paramilitares"], false, "UAF", "Paramilitaries", false),
    (
        &["security", "forces"],
        true,
        "COP",
        "Security forces",
        false,
    ),
    (
        &["fuerzas", "de", "seguridad"],
        false,
        "COP",
        "Security forces",
        false,
    ),
    (&["armed", "forces"], true, "MIL", "Armed forces", false),
    (&["air", "force"], true, "MIL", "Armed forces", false),
    (&["army"], true, "MIL", "Armed forces", false),
    (&["navy"], true, "MIL", "Armed forces", false),
    (&["military"], true, "MIL", "Armed forces", false),
    (&["troops"], true, "MIL", "Armed forces", false),
    (&["soldiers"], true, "MIL", "Armed forces", false),
    (&["forces"], true, "MIL", "Armed forces", false),
    (&["police"], true, "COP", "Police", false),
    (&["senate"], true, "LEG", "Legislature", false),
    (&["congress"], true, "LEG", "Legislature", false),
    (&["parliament"], true, "LEG", "Legislature", false),
    (&["national", "assembly"], true, "LEG", "Legislature", false),
    (&["supreme", "court"], true, "JUD", "Judiciary", false),
    (&["judiciary"], true, "JUD", "Judiciary", false),
    (&["opposition"], true, "OPP", "Opposition", false),
    (&["rebels"], true, "REB", "Rebels", false),
    (&["insurgents"], true, "REB", "Rebels", false),
    (&["guerrillas"], true, "REB", "Rebels", false),
    (&["militants"], true, "REB", "Rebels", false),
    (&["paramilitaries"], true, "UAF", "Paramilitaries", false),
];

/// A state body named by [`SECTOR_HEADS`] with a demonym or "de"/"of" and
/// a country: "el Senado chileno" → CHLLEG, "Iraqi police" → IRQCOP.
/// Bodies the knowledge base lists by that very phrase ("tropas
/// norcoreanas" is the Korean People's Army) are left to it.
fn sector_bodies(kb: &Kb, text: &str, toks: &[norm::Tok], st: &mut State) {
    // the heads by first word: one hash look-up per token
    static BY_FIRST: OnceLock<FxHashMap<&'static str, Vec<usize>>> = OnceLock::new();
    let by_first = BY_FIRST.get_or_init(|| {
        let mut m: FxHashMap<&'static str, Vec<usize>> = FxHashMap::default();
        for (k, h) in SECTOR_HEADS.iter().enumerate() {
            if let Some(first) = h.0.first() {
                m.entry(first).or_default().push(k);
            }
        }
        m
    });
    for (ti, t) in toks.iter().enumerate() {
        let Some(heads) = by_first.get(t.folded.as_str()) else {
            continue;
        };
        for &(words, en, sector, name, cap_only) in
            heads.iter().filter_map(|&k| SECTOR_HEADS.get(k))
        {
            let Some(head) = toks.get(ti..ti + words.len()) else {
                continue;
            };
            if !head
                .iter()
                .map(|t| t.folded.as_str())
                .eq(words.iter().copied())
                || (cap_only && !head.first().is_some_and(|t| t.cap))
            {
                continue;
            }
            let last = ti + words.len() - 1;
            let demonym = |j: usize| {
                toks.get(j)
                    .and_then(|d| kb.demonym(&d.folded))
                    .map(|(iso3, _, _)| iso3.to_string())
            };
            // "de Chile", "del Perú", "of Myanmar"; a country's own
            // rebels, opposition, police and officials are also "in" it
            // ("Rebels in the Ivory Coast", "la oposición en Venezuela"),
            // its troops need not be ("U.S. troops in Iraq")
            let of_country = || {
                let of = toks.get(last + 1)?;
                let within = sector != "MIL" && matches!(of.folded.as_str(), "in" | "en");
                let ok = within
                    || if en {
                        of.folded == "of"
                    } else {
                        matches!(of.folded.as_str(), "de" | "del")
                    };
                if !ok {
                    return None;
                }
                let article = toks
                    .get(last + 2)
                    .is_some_and(|t| matches!(t.folded.as_str(), "the" | "el" | "la"));
                let at = last + 2 + usize::from(article && within);
                let (iso3, n) = country_at(kb, toks, at)?;
                Some((iso3, ti, at - 1 + n))
            };
            // the word before the head is joined to it: a space, or the
            // dot of "U.S." ("Lebanon, official" is no Lebanese official)
            let joined = ti
                .checked_sub(1)
                .and_then(|p| toks.get(p))
                .is_some_and(|p| {
                    let gap = text.get(p.end..t.start).unwrap_or("");
                    let dotted = p.cased.contains('.') || p.end - p.start == 1;
                    match gap.trim() {
                        "" => !gap.is_empty(),
                        "." => dotted,
                        _ => false,
                    }
                });
            let found = if en {
                // "Iraqi police", "U.S. troops": a demonym or country name
                // right before the head
                ti.checked_sub(1)
                    .filter(|_| joined)
                    .filter(|&p| toks.get(p).is_some_and(|d| d.cap))
                    .and_then(|p| Some((demonym(p)?, p, last)))
                    .or_else(|| {
                        // the longest name first ("Papua New Guinea", not
                        // "Guinea")
                        (1..=3).rev().filter(|_| joined).find_map(|n| {
                            let p = ti.checked_sub(n)?;
                            let (iso3, m) = country_at(kb, toks, p)?;
                            (m == n).then_some((iso3, p, last))
                        })
                    })
                    .or_else(of_country)
            } else {
                // "el Senado chileno", "las tropas israelíes"
                toks.get(last + 1)
                    .filter(|d| !d.cap)
                    .and_then(|_| Some((demonym(last + 1)?, ti, last + 1)))
                    .or_else(of_country)
            };
            let Some((iso3, a, b)) = found else {
                continue;
            };
            let (Some(first), Some(end)) = (toks.get(a), toks.get(b)) else {
                continue;
            };
            // the knowledge base's own name for the body wins
            if toks
                .get(a..=b)
                .is_some_and(|span| !kb.lookup_toks(span).is_empty())
            {
                continue;
            }
            let i = if sector == "GOV" {
                government_entity(kb, st, &iso3)
            } else {
                let country = kb.country(&iso3).map(|c| c.name_en.as_str());
                let full = format!("{name} of {}", country.unwrap_or(&iso3));
                body_entity(st, format!("sector:{iso3}{sector}"), full, &iso3, sector)
            };
            st.mention(i, text, first.start, end.end);
            break;
        }
    }
}

/// Offices named by their portfolio: "el ministro del Interior", "la
/// ministra de Defensa" name a person's office, not an entity "Interior".
const OFFICE_HEADS: &[&str] = &[
    "ministro",
    "ministra",
    "ministros",
    "viceministro",
    "viceministra",
    "secretario",
    "secretaria",
    "consejero",
    "consejera",
    "minister",
    "secretary",
];

/// The name at bytes `s..e` follows an office head and "de"/"del"/"of"
/// ("ministro del Interior"). Acronyms, numbers and company suffixes make
/// it a body of its own ("consejero de DKV", "secretary of Century
/// Resources Inc").
fn portfolio(text: &str, s: usize, e: usize) -> bool {
    let name = text.get(s..e).unwrap_or("");
    let own_body = name.split_whitespace().any(|w| {
        w.chars().any(|c| c.is_ascii_digit())
            || w.chars().filter(|c| c.is_alphabetic()).count() > 1
                && w.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
            || matches!(
                w.trim_end_matches('.'),
                "Inc" | "Corp" | "Ltd" | "SA" | "S.A" | "Co"
            )
    });
    if own_body {
        return false;
    }
    let before = text.get(..s).unwrap_or("");
    let mut words = before.split_whitespace().rev();
    let (Some(prep), Some(head)) = (words.next(), words.next()) else {
        return false;
    };
    matches!(prep, "de" | "del" | "of") && OFFICE_HEADS.contains(&head.to_lowercase().as_str())
}

/// A one-word person the tagger found on its own ("Jerí") joins the one
/// person of the document whose full name begins or ends with that word.
fn merge_short_people(st: &mut State, index: &ShortNames) {
    for j in 0..st.builders.len() {
        let b = &st.builders[j];
        if b.etype != "PER" || b.kb.is_some() || b.mentions.is_empty() {
            continue;
        }
        let nt = norm::tokens(&b.name);
        let mut caps = nt.iter().filter(|t| t.cap);
        let (Some(word), None) = (caps.next(), caps.next()) else {
            continue;
        };
        let full: Vec<usize> = index
            .get(word.folded.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| i != j)
            .collect();
        if let [i] = full.as_slice() {
            let moved = std::mem::take(&mut st.builders[j].mentions);
            let b = &mut st.builders[*i];
            b.first = b
                .first
                .min(moved.iter().map(|m| m.start()).min().unwrap_or(usize::MAX));
            b.mentions.extend(moved);
        }
    }
}

/// Words that make up an office's title with [`PERSON_TITLES`] ("Prime
/// Minister", "Vice President", "Foreign Secretary", "primer ministro"),
/// folded.
const TITLE_PARTS: &[&str] = &[
    "vice",
    "prime",
    "primer",
    "primera",
    "foreign",
    "defense",
    "defence",
    "secretary",
    "secretario",
    "secretaria",
    "emir",
    "sheikh",
];

fn is_title(folded: &str) -> bool {
    PERSON_TITLES.contains(&folded) || TITLE_PARTS.contains(&folded)
}

/// The KB person a title and one surname name: "President Bush" (the
/// title inside the name the tagger found) or "el presidente Bush" (the
/// word before it, `prev`), when exactly one person of that surname holds
/// an office on `date` ([`Kb::office_holder_by_surname`]).
fn titled_surname<'k>(
    kb: &'k Kb,
    prev: Option<&str>,
    surface: &str,
    date: &str,
) -> Option<&'k Entry> {
    let words = norm::tokens(surface);
    let titled = words
        .iter()
        .take_while(|w| is_title(w.folded.as_str()))
        .count();
    let surname = match words.as_slice() {
        [one] if prev.is_some_and(|p| is_title(&norm::normalize(p))) => one,
        [.., last] if titled > 0 && titled + 1 == words.len() => last,
        _ => return None,
    };
    if !surname.cap {
        return None;
    }
    let p = kb.office_holder_by_surname(&surname.folded, date)?;
    kb.get(Kind::Person, &p.id)
}

fn ner_mentions(kb: &Kb, ner: &dyn NameTagger, doc: &Doc, date: &str, st: &mut State) {
    let text = doc.text.as_str();
    let mut start = 0;
    while start < doc.words.len() {
        let sent = doc
            .tokens
            .get(doc.words[start].token as usize)
            .map(|t| t.sent)
            .unwrap_or(0);
        let mut end = start;
        while end < doc.words.len()
            && doc
                .tokens
                .get(doc.words[end].token as usize)
                .map(|t| t.sent)
                == Some(sent)
        {
            end += 1;
        }
        // names are capitalised: a sentence whose capitalised words (past
        // the first) the KB already covers has nothing left for the model
        let open = (start + 1..end).any(|i| {
            let Some(t) = doc
                .words
                .get(i)
                .and_then(|w| doc.tokens.get(w.token as usize))
            else {
                return false;
            };
            let (s, e) = (t.span.start(), t.span.end());
            text.get(s..e)
                .and_then(|w| w.chars().next())
                .is_some_and(char::is_uppercase)
                && !st.is_covered(s, e)
        });
        if !open {
            start = end.max(start + 1);
            continue;
        }
        let forms: Vec<&str> = (start..end).map(|i| doc.word_form(i)).collect();
        let upos: Vec<&str> = doc.words[start..end].iter().map(|w| &*w.upos).collect();
        // the text range of the sentence's words [ws, we)
        // (a name ends before a possessive: "Reagan's" is "Reagan" + "'s")
        let range = |ws: usize, we: usize| -> Option<(usize, usize)> {
            let (s, _) = doc.word_span(start + ws)?;
            let (_, e) = doc.word_span(start + we.saturating_sub(1))?;
            Some((s, e))
        };
        // a name over text already covered is dropped below whatever its
        // score (covered text only grows): the tagger need not score it
        let uncovered =
            |ws: usize, we: usize| range(ws, we).is_some_and(|(s, e)| !st.is_covered(s, e));
        for (ws, we, label) in ner.names_where(&forms, &upos, &uncovered) {
            let Some((s, e)) = range(ws, we) else {
                continue;
            };
            if st.is_covered(s, e) || portfolio(text, s, e) {
                continue;
            }
            let surface = &text[s..e];
            // a KB alias the matcher missed (case, article), or a title and
            // the surname of whoever held an office then ("President Bush")
            let linked = kb.lookup(surface).into_iter().next().or_else(|| {
                let prev = ws.checked_sub(1).map(|p| forms[p]);
                titled_surname(kb, prev, surface, date)
            });
            let i = match linked {
                Some(en) if en.kind == Kind::Person => person_entity(kb, st, en, date),
                Some(en) if en.kind == Kind::Country => country_entity(kb, st, &en.id),
                _ => {
                    let key = format!("local:{}:{}", label, norm::normalize(surface));
                    st.entity(&key, || Builder {
                        key: key.clone(),
                        name: surface.to_string(),
                        etype: label.to_string(),
                        kb: None,
                        iso3: None,
                        mentions: Vec::new(),
                        roles: Vec::new(),
                        first: usize::MAX,
                    })
                }
            };
            st.mention(i, text, s, e);
        }
        start = end.max(start + 1);
    }
}

#[cfg(test)]
mod tests;
