//! Events: who did what to whom, when, where, according to whom, and
//! whether it happened at all.
//!
//! Design choice: a reviewed trigger lexicon (lemmas and short lemma
//! patterns with CAMEO codes, compiled from the UD-PETRARCH and PETRARCH2
//! verb dictionaries) finds candidate events per sentence; the CAMEO code
//! gives the PLOVER type and mode (PLOVER's own conversion table), the quad
//! class and the Goldstein score. Arguments come from the entity layer and
//! the clause around the trigger: the actor is the first entity of the
//! clause before the trigger that is not governed by a preposition (the
//! passive agent after "por"/"by" when the verb is passive, the antecedent
//! of a relative "que"), the recipient the first entity after it; "junto a"
//! / "together with" add co-actors. Dates come from the nearest time
//! expression of the sentence (a "desde ..." start point is not an event
//! date), else the document date flagged as such. Modality comes from the
//! verb group (future and conditional forms, modal verbs, negation) and
//! cue words ("prevista", "fijadas para"), and from the date (an event
//! dated well before the article is historical). Attribution cues
//! ("según", "de acuerdo con", ", informó X", "according to", "X said")
//! attach their source to every event of the sentence.
//!
//! One happening is often told several times in an article ("mantuvieron
//! una conversación telefónica" ... "durante la llamada del martes"):
//! definite or possessive nominal mentions and mentions with the same
//! participants and type merge into the earlier event, which takes the
//! date, place and sources the later mentions add. This is what lets the
//! call be dated by "del martes" two sentences later instead of by the
//! publication date.

pub mod lexicon;

use crate::Result;
use dateline_core::{Attribution, Doc, Event, Layer, Participant, Span, Stage};
use lexicon::{Cameo, Part, Triggers};
use std::borrow::Cow;

/// The events stage.
pub struct Events {
    es: Triggers,
    en: Triggers,
    cameo: Cameo,
}

impl Events {
    pub fn new() -> Result<Events> {
        Ok(Events {
            es: Triggers::builtin("es")?,
            en: Triggers::builtin("en")?,
            cameo: Cameo::builtin()?,
        })
    }
}

impl Stage for Events {
    fn name(&self) -> &'static str {
        "events"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Tags, Layer::Entities, Layer::Timexes]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Attributions, Layer::Events]
    }
    fn process(&self, doc: &mut Doc) {
        let en = doc.lang.as_deref() == Some("en");
        let trig = if en { &self.en } else { &self.es };
        let events = extract(doc, trig, &self.cameo, en);
        doc.events = events;
    }
}

/// A word of the document seen by the event coder.
struct W<'a> {
    start: usize,
    end: usize,
    sent: u32,
    /// folded lemma and form
    lemma: Cow<'a, str>,
    form: Cow<'a, str>,
    /// lower-cased form with its accents (tense endings: "dialogará")
    lower: Cow<'a, str>,
    upos: &'a str,
    /// the head word (index into the word list), None for the root or
    /// before the parser runs
    head: Option<usize>,
    deprel: &'a str,
    /// written in capitals (headlines)
    caps: bool,
    /// a subjunctive verb ("que no suspenda")
    subjunctive: bool,
    /// inside a time expression ("el martes", "in March 2001")
    timex: bool,
}

/// An entity mention: byte range, entity index.
#[derive(Clone, Copy)]
struct M {
    start: usize,
    end: usize,
    ent: usize,
}

/// A candidate event before merging.
struct Cand {
    sent: u32,
    tw: (usize, usize),
    cameo: String,
    nominal: bool,
    definite: bool,
    actor: Vec<usize>,
    recipient: Vec<usize>,
    date: Option<String>,
    /// bytes between the trigger and the time expression giving `date`
    date_dist: usize,
    location: Option<String>,
    modality: &'static str,
    attribution: Vec<Attribution>,
    mentions: usize,
}

const PREPS_ES: &[&str] = &[
    "de", "del", "a", "al", "con", "en", "contra", "por", "para", "segun", "sobre", "hacia",
    "desde", "entre", "sin", "tras", "ante",
];
const PREPS_EN: &[&str] = &[
    "of",
    "to",
    "with",
    "in",
    "at",
    "against",
    "for",
    "from",
    "about",
    "on",
    "by",
    "into",
    "between",
    "without",
    "after",
    "before",
    "toward",
    "towards",
    "outside",
    "inside",
    "near",
    "across",
    "throughout",
    "around",
    "within",
    "over",
    "under",
    "during",
    "since",
    "amid",
    "among",
    "through",
    "via",
];
const DETERMINERS: &[&str] = &[
    "el", "la", "los", "las", "del", "al", "ese", "esa", "esos", "esas", "este", "esta", "estos",
    "estas", "dicho", "dicha", "su", "sus", "aquel", "aquella", "the", "that", "this", "these",
    "those", "its", "their", "his", "her",
];
const CLAUSE_WORDS: &[&str] = &[
    "que", "quien", "quienes", "cuando", "mientras", "aunque", "pero", "sino", "porque", "donde",
    "that", "which", "who", "while", "but", "because", "although", "whereas",
];
/// Verbs whose subject takes part in the event their object names
/// ("mantuvieron una conversación", "held talks").
const LIGHT_VERBS: &[&str] = &[
    "mantener",
    "participar",
    "continuar",
    "proseguir",
    "sostener",
    "celebrar",
    "realizar",
    "tener",
    "efectuar",
    "llevar",
    "protagonizar",
    "iniciar",
    "convocar",
    "organizar",
    "encabezar",
    "lanzar",
    "cumplir",
    "declarar",
    "emprender",
    "comenzar",
    "anunciar",
    "acordar",
    "prometer",
    "decidir",
    "aprobar",
    "ofrecer",
    "planear",
    "ordenar",
    "autorizar",
    "aceptar",
    "firmar",
    "pactar",
    "alcanzar",
    "sellar",
    "hold",
    "conduct",
    "stage",
    "launch",
    "carry",
    "begin",
    "start",
    "lead",
    "organize",
    "organise",
    "call",
    "announce",
    "agree",
    "decide",
    "pledge",
    "promise",
    "offer",
    "plan",
    "order",
    "authorize",
    "authorise",
    "accept",
    "sign",
    "seal",
    "engage",
];
/// Stems of irregular light verbs, matched on the form (the lemmatiser
/// misses some: "mantuvieron").
const LIGHT_STEMS: &[&str] = &[
    "mantuv", "mantien", "manten", "sostuv", "sostien", "sosten", "held", "holds", "holding",
];

fn is_light(w: &W) -> bool {
    LIGHT_VERBS.contains(&&*w.lemma) || LIGHT_STEMS.iter().any(|s| w.form.starts_with(s))
}

const FUTURE_CUES: &[&str] = &[
    "prevista",
    "previsto",
    "previstas",
    "previstos",
    "programada",
    "programado",
    "programadas",
    "programados",
    "fijada",
    "fijado",
    "fijadas",
    "fijados",
    "proxima",
    "proximo",
    "proximas",
    "proximos",
    "planeada",
    "planeado",
    "prevé",
    "preve",
    "will",
    "scheduled",
    "planned",
    "upcoming",
    "next",
];
const MODAL_HYPO: &[&str] = &[
    "podria",
    "podrian",
    "habria",
    "habrian",
    "seria",
    "serian",
    "would",
    "could",
    "might",
    "may",
    "presuntamente",
    "supuestamente",
    "allegedly",
    "reportedly",
];
const NEGATION: &[&str] = &["no", "nunca", "jamas", "ni", "not", "never", "n't"];
const SPEECH_ES: &[&str] = &[
    "informar",
    "indicar",
    "decir",
    "afirmar",
    "asegurar",
    "senalar",
    "declarar",
    "anunciar",
    "explicar",
    "precisar",
    "agregar",
    "anadir",
    "reportar",
    "revelar",
    "expresar",
    "citar",
    "confirmar",
    "comunicar",
    "publicar",
    "destacar",
    "negar",
    "desmentir",
];
/// Verbs that are events of their own ("acusó al Gobierno de ...") but
/// only name the source when they close the sentence (", acusó la policía").
const SPEECH_POSTPOSED_ES: &[&str] = &[
    "acusar",
    "denunciar",
    "advertir",
    "criticar",
    "reclamar",
    "estimar",
    "considerar",
    "sostener",
    "subrayar",
    "recordar",
    "insistir",
    "reiterar",
    "aseverar",
    "sentenciar",
];
const SPEECH_EN: &[&str] = &[
    "say",
    "said",
    "tell",
    "told",
    "report",
    "reported",
    "announce",
    "announced",
    "state",
    "stated",
    "claim",
    "claimed",
    "confirm",
    "confirmed",
    "add",
    "added",
    "deny",
    "denied",
];

/// Verbs of denial (folded lemmas): their content is negated, their
/// subject its source ("el Kremlin desmintió que ...").
const DENIAL: &[&str] = &["negar", "desmentir", "deny"];

fn fold(s: &str) -> Cow<'_, str> {
    // a plain ASCII word folds to its lower case (what `normalize` gives
    // it, without tokenising it first), borrowed when it is lower case
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(s.to_ascii_lowercase());
        }
        return Cow::Borrowed(s);
    }
    Cow::Owned(crate::kb::norm::normalize(s))
}

/// The words of `doc` as the event rules read them; they borrow from the
/// document what needs no folding (most words of news are lower case).
fn words(doc: &Doc) -> Vec<W<'_>> {
    let mut out: Vec<W> = Vec::with_capacity(doc.words.len());
    // time expressions in text order, walked once beside the words
    let mut timexes: Vec<(usize, usize)> = doc
        .timexes
        .iter()
        .map(|t| (t.span.start(), t.span.end()))
        .collect();
    timexes.sort_unstable();
    let mut tx = 0usize;
    // heads are 1-based within the sentence: the index of the sentence's
    // first word turns them into word-list indices
    let mut first = 0usize;
    for (i, w) in doc.words.iter().enumerate() {
        let Some(t) = doc.tokens.get(w.token as usize) else {
            continue;
        };
        if out.last().is_none_or(|p| p.sent != t.sent) {
            first = out.len();
        }
        let head = (w.head > 0).then(|| first + w.head as usize - 1);
        let (start, end) = (t.span.start(), t.span.end());
        while timexes.get(tx).is_some_and(|&(_, e)| e <= start) {
            tx += 1;
        }
        let timex = timexes
            .get(tx)
            .is_some_and(|&(s, e)| s <= start && end <= e);
        out.push(W {
            start,
            end,
            sent: t.sent,
            lemma: fold(&w.lemma),
            form: fold(doc.word_form(i)),
            lower: crate::ml::word::lowercase(doc.word_form(i)),
            upos: &w.upos,
            head,
            deprel: &w.deprel,
            caps: {
                let f = doc.word_form(i);
                f.chars().count() > 1 && !f.chars().any(|c| c.is_lowercase())
            },
            subjunctive: w.feats.split('|').any(|f| f == "Mood=Sub"),
            timex,
        });
    }
    // a head outside its sentence (a broken parse) is no head
    let n = out.len();
    for i in 0..n {
        if let Some(h) = out[i].head {
            if h >= n || out[h].sent != out[i].sent || h == i {
                out[i].head = None;
            }
        }
    }
    out
}

/// Spanish verb endings (folded), for forms the lemmatiser left alone.
const VERB_ENDINGS_ES: &[&str] = &[
    "ar", "er", "ir", "o", "as", "a", "amos", "an", "es", "e", "emos", "en", "imos", "aba", "abas",
    "abamos", "aban", "ia", "ias", "iamos", "ian", "e", "aste", "aron", "i", "iste", "io", "ieron",
    "are", "aras", "ara", "aremos", "aran", "ere", "eras", "era", "eremos", "eran", "ire", "iras",
    "ira", "iremos", "iran", "aria", "arian", "eria", "erian", "iria", "irian", "ando", "iendo",
    "ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas", "aran", "ase", "asen", "iera",
    "ieran", "iese", "iesen",
];

/// The lexicon verb a form the lemmatiser missed inflects ("PROTESTARAN",
/// "MANIFIESTAN", "reunido"): a stem, perhaps with its vowel changed
/// ("manifiest-" of "manifestar", "pid-" of "pedir"), plus a regular ending
/// and perhaps a clitic ("protestarle"); or a plural noun ("MOVILIZACIONES").
fn guess_verb(trig: &Triggers, form: &str) -> Option<String> {
    // one buffer for every candidate; the endings' set is built once
    static ENDINGS: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    let endings = ENDINGS.get_or_init(|| VERB_ENDINGS_ES.iter().copied().collect());
    let mut cand = String::new();
    for clitic in ["", "le", "les", "lo", "la", "los", "las", "se", "nos"] {
        let Some(f) = form.strip_suffix(clitic) else {
            continue;
        };
        // a clitic hangs on an infinitive or a gerund
        let host = f.ends_with('r') || f.ends_with("ndo");
        if !(clitic.is_empty() || host) {
            continue;
        }
        let n = f.len();
        // endings are at most six letters long
        for i in (n.saturating_sub(6).max(3)..n).rev() {
            let (Some(stem), Some(ending)) = (f.get(..i), f.get(i..)) else {
                continue;
            };
            if !endings.contains(ending) {
                continue;
            }
            // the stem as written, then with its vowel changed
            let changed = [("ie", "e"), ("ue", "o"), ("i", "e")]
                .into_iter()
                .filter_map(|(from, to)| stem.rfind(from).map(|p| (p, from.len(), to)));
            for (p, len, to) in std::iter::once((stem.len(), 0, "")).chain(changed) {
                for inf in ["ar", "er", "ir"] {
                    cand.clear();
                    cand.push_str(&stem[..p]);
                    cand.push_str(to);
                    cand.push_str(&stem[p + len..]);
                    cand.push_str(inf);
                    if trig.by_first.contains_key(cand.as_str()) {
                        return Some(cand);
                    }
                }
            }
        }
    }
    None
}

/// Word `k` is a participle modifying a noun ("amod" of a NOUN/PROPN).
fn attributive(ws: &[W], k: usize) -> bool {
    let w = &ws[k];
    let participle = [
        "ed", "ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas",
    ]
    .iter()
    .any(|e| w.form.ends_with(e));
    w.deprel == "amod"
        && participle
        && w.head
            .and_then(|h| ws.get(h))
            .is_some_and(|h| matches!(h.upos, "NOUN" | "PROPN"))
}

/// [`guess_verb`], remembered per form in the triggers (bounded).
fn guess_verb_cached(trig: &Triggers, form: &str) -> Option<String> {
    const MAX: usize = 1 << 16;
    if let Ok(g) = trig.guesses.lock() {
        if let Some(v) = g.get(form) {
            return v.clone();
        }
    }
    let v = guess_verb(trig, form);
    if let Ok(mut g) = trig.guesses.lock() {
        if g.len() >= MAX {
            g.clear();
        }
        g.insert(form.to_string(), v.clone());
    }
    v
}

/// The singular of a plural noun in the lexicon ("MOVILIZACIONES").
fn guess_noun(trig: &Triggers, form: &str) -> Option<String> {
    ["es", "s"]
        .iter()
        .filter_map(|p| form.strip_suffix(p))
        .find(|s| trig.by_first.contains_key(*s))
        .map(str::to_string)
}

fn extract(doc: &Doc, trig: &Triggers, cameo: &Cameo, en: bool) -> Vec<Event> {
    let mut ws = words(doc);
    if ws.is_empty() {
        return Vec::new();
    }
    // headlines in capitals defeat the tagger: read their verbs off the form
    if !en {
        for w in ws.iter_mut() {
            let known =
                trig.by_first.contains_key(&*w.lemma) || trig.by_first.contains_key(&*w.form);
            if known || !(w.caps || w.upos == "VERB") {
                continue;
            }
            if let Some(v) = guess_verb_cached(trig, &w.form) {
                w.lemma = Cow::Owned(v);
                w.upos = "VERB";
            } else if w.caps {
                if let Some(n) = guess_noun(trig, &w.form) {
                    w.lemma = Cow::Owned(n);
                    w.upos = "NOUN";
                }
            }
        }
    }
    let preps = if en { PREPS_EN } else { PREPS_ES };
    let mut ments: Vec<M> = doc
        .entities
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            e.mentions.iter().map(move |m| M {
                start: m.span.start(),
                end: m.span.end(),
                ent: i,
            })
        })
        .collect();
    ments.sort_by_key(|m| m.start);
    let doc_date = doc
        .date
        .as_deref()
        .and_then(|d| d.get(..10))
        .map(str::to_string);

    // sentence word ranges
    let mut sents: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let s = ws[i].sent;
        let mut j = i;
        while j < ws.len() && ws[j].sent == s {
            j += 1;
        }
        sents.push((i, j));
        i = j;
    }

    let mut cands: Vec<Cand> = Vec::new();
    for &(a, b) in &sents {
        let attrs = attributions(doc, &ws[a..b], &ments, en);
        let mut used = vec![false; b - a];
        let mut raw: Vec<Cand> = Vec::new();
        for k in a..b {
            if used[k - a] {
                continue;
            }
            let Some((end, covered, code)) = match_at(trig, &ws, k, b) else {
                continue;
            };
            // a cue of attribution is not an event ("de acuerdo con")
            if attrs
                .iter()
                .any(|at| at.span.start() <= ws[k].start && ws[k].end <= at.span.end())
            {
                continue;
            }
            for u in used.iter_mut().take(covered - a).skip(k - a) {
                *u = true;
            }
            let nominal = !matches!(ws[k].upos, "VERB" | "AUX");
            // a noun inside a time expression names the time ("in March
            // 2001"), not an event
            if nominal && ws[k].timex {
                continue;
            }
            // a noun inside the name of a place, person or organisation is
            // part of the name ("La Matanza", "Marcha Patriótica")
            if nominal
                && ments.iter().any(|m| {
                    m.start <= ws[k].start
                        && ws[k].end <= m.end
                        && doc
                            .entities
                            .get(m.ent)
                            .is_some_and(|e| matches!(&*e.etype, "LOC" | "PER" | "ORG"))
                })
            {
                continue;
            }
            // English "March" inside a sentence is the month ("March
            // shipment", "Payable March 31"), a protest march is lower case
            if en && k > a && doc.text.get(ws[k].start..ws[k].end) == Some("March") {
                continue;
            }
            // a participle describing a noun names a state, not an event
            // told here ("the occupied West Bank", "los territorios
            // ocupados")
            if attributive(&ws, k) && end == k + 1 {
                continue;
            }
            let c = build(
                doc,
                &ws,
                a,
                b,
                k,
                end,
                code,
                nominal,
                &ments,
                &attrs,
                preps,
                en,
                doc_date.as_deref(),
            );
            raw.extend(c);
        }
        let raw = drop_subordinate(&ws, raw, doc_date.as_deref());
        let mut local: Vec<Cand> = Vec::new();
        for c in raw {
            // one event per PLOVER type and participants in a sentence
            if let Some(prev) = local.iter_mut().find(|p| {
                let overlap = p.actor.is_empty()
                    || c.actor.is_empty()
                    || p.actor.iter().any(|x| c.actor.contains(x));
                let rec_ok = p.recipient.is_empty()
                    || c.recipient.is_empty()
                    || p.recipient.iter().any(|x| c.recipient.contains(x));
                let ty = |x: &str| cameo.plover(x).map(|t| t.0);
                let same = p.cameo.get(..2) == c.cameo.get(..2)
                    || (ty(&p.cameo).is_some() && ty(&p.cameo) == ty(&c.cameo));
                // a mention that dates one told before it is another
                // happening ("el diálogo tuvo lugar antes de la cita"); a
                // mention told after a dated one may describe it
                // ("durante la manifestación, organizada para protestar")
                let apart = temporal_link(&ws, c.tw.0) && p.tw.0 < c.tw.0;
                same && overlap && rec_ok && !apart && !other_time(p, &c, doc_date.as_deref())
            }) {
                absorb(prev, c);
                continue;
            }
            local.push(c);
        }
        cands.extend(local);
    }

    // merge mentions of one happening
    let mut events: Vec<Cand> = Vec::new();
    for c in cands {
        let target = events.iter().rposition(|p| corefers(p, &c));
        match target {
            Some(t) => merge(&mut events[t], c),
            None => {
                // nominal mentions of talks and support need participants
                let root = c.cameo.get(..2).unwrap_or("");
                let bare = c.actor.is_empty() && c.recipient.is_empty();
                if c.nominal
                    && bare
                    && c.date.is_none()
                    && matches!(root, "03" | "04" | "05" | "06" | "07")
                {
                    continue;
                }
                // a talk named by a noun with no one holding it, not told
                // before ("la visita de los dirigentes", "las
                // negociaciones"), is background to its sentence
                if c.nominal
                    && root == "04"
                    && c.actor.is_empty()
                    && (c.recipient.is_empty() || c.date.is_none())
                {
                    continue;
                }
                events.push(c);
            }
        }
    }

    let sentence_span = |s: u32| doc.sentences.get(s as usize).copied();
    let mut out = Vec::new();
    for mut c in events {
        // an actor is never its own recipient
        c.recipient.retain(|r| !c.actor.contains(r));
        let Some((etype, mode)) = cameo.plover(&c.cameo) else {
            continue;
        };
        let Some(sent) = sentence_span(c.sent) else {
            continue;
        };
        let (Ok(trigger), Ok(span)) = (
            Span::new(&doc.text, ws[c.tw.0].start, ws[c.tw.1 - 1].end),
            Span::new(&doc.text, sent.start(), sent.end()),
        ) else {
            continue;
        };
        let (date, date_source) = match c.date.clone() {
            Some(d) => (Some(d), Some("text".to_string())),
            None => (
                doc_date.clone(),
                doc_date.as_ref().map(|_| "document".to_string()),
            ),
        };
        let mut modality = c.modality;
        if modality == "asserted" {
            if let (Some(d), Some(dd), Some("text")) = (&date, &doc_date, date_source.as_deref()) {
                modality = date_modality(d, dd);
            }
        }
        let conf: f32 = 0.4
            + if c.actor.is_empty() { 0.0 } else { 0.25 }
            + if c.recipient.is_empty() { 0.0 } else { 0.2 }
            + if c.nominal { 0.0 } else { 0.1 }
            + if c.mentions > 1 { 0.05 } else { 0.0 };
        out.push(Event {
            etype: etype.to_string(),
            mode: mode.map(str::to_string),
            cameo: Some(c.cameo.clone()),
            quad: lexicon::quad(&c.cameo),
            goldstein: lexicon::goldstein(&c.cameo),
            actor: participant(doc, &c.actor),
            recipient: participant(doc, &c.recipient),
            date,
            date_source,
            location: c.location,
            modality: modality.to_string(),
            attribution: c.attribution,
            sentence: sent,
            span,
            trigger,
            confidence: conf.min(1.0),
        });
    }
    out
}

/// Verbs and nouns of sending, whose "a" / "to" phrase is a destination.
fn sends(w: &W) -> bool {
    const SEND: &[&str] = &[
        "enviar",
        "envio",
        "mandar",
        "remitir",
        "entregar",
        "entrega",
        "donar",
        "donacion",
        "suministrar",
        "suministro",
        "trasladar",
        "traslado",
        "despachar",
        "desplegar",
        "despliegue",
        "send",
        "deliver",
        "delivery",
        "ship",
        "shipment",
        "supply",
        "donate",
        "dispatch",
        "deploy",
        "deployment",
    ];
    SEND.contains(&&*fold(&w.lemma)) || SEND.contains(&&*fold(&w.form))
}

/// The relative pronoun of a clause on the trigger's object: the first
/// word of `[end, b)` where the arguments stopped (`at`), when it is "que"
/// / "that" / "which" right after a noun and a verb follows.
fn relative_on_object(ws: &[W], end: usize, at: usize, b: usize) -> Option<usize> {
    let q = (end..b.min(at + 1)).find(|&j| matches!(&*ws[j].form, "que" | "that" | "which"))?;
    let noun_before = q > end && matches!(ws[q - 1].upos, "NOUN" | "PROPN");
    let verb_after = (q + 1..b.min(q + 4)).any(|j| matches!(ws[j].upos, "VERB" | "AUX"));
    (noun_before && verb_after).then_some(q)
}

/// Two mentions of one type in a sentence, one planned and the other
/// dated right at its trigger clearly before the article, are two
/// happenings: a promise and a past signing ("apoyará ... el acuerdo que
/// firmaron el año pasado").
fn other_time(p: &Cand, c: &Cand, doc_date: Option<&str>) -> bool {
    let Some(dd) = doc_date else {
        return false;
    };
    let future = |x: &Cand| x.modality == "future";
    let past = |x: &Cand| {
        x.modality == "asserted"
            && x.date_dist <= 24
            && x.date
                .as_deref()
                .is_some_and(|d| date_modality(d, dd) == "historical")
    };
    future(p) && past(c) || future(c) && past(p)
}

/// Add the participants of `c` to `p` (two mentions of one event in a
/// sentence).
fn absorb(p: &mut Cand, c: Cand) {
    // the place one mention names (a date may belong to the other's
    // clause: "apoyará ... el acuerdo que firmaron el año pasado")
    if p.location.is_none() {
        p.location = c.location;
    }
    for x in c.actor {
        if !p.actor.contains(&x) && !p.recipient.contains(&x) {
            p.actor.push(x);
        }
    }
    for r in c.recipient {
        if !p.recipient.contains(&r) && !p.actor.contains(&r) {
            p.recipient.push(r);
        }
    }
}

/// Roots of verbal events whose complements are their content, not events
/// of their own: statements, appeals, agreements, support, demands,
/// accusations, rejections, threats ("exigen el derecho a desfilar",
/// "amenazaron con bloquear", "condenó la detención").
fn speech_act(cameo: &str) -> bool {
    matches!(
        cameo.get(..2),
        Some("01" | "02" | "03" | "04" | "05" | "09" | "10" | "11" | "12" | "13")
    )
}

/// Words that situate a mention in time relative to another happening
/// ("antes de la cita", "tras la reunión", "durante la llamada", "en
/// vísperas de un encuentro", "ahead of the summit"): such a mention names
/// a different event from the one it dates.
const TEMPORAL_LINKS: &[&str] = &[
    "antes",
    "despues",
    "tras",
    "durante",
    "visperas",
    "luego",
    "previo",
    "previa",
    "before",
    "after",
    "during",
    "ahead",
    "following",
    "prior",
];

/// Is the trigger at `k` introduced by a temporal link, in the parse (a
/// `case`, `mark` or `advmod` dependent) or in the words right before it
/// (skipping determiners, adjectives and the prepositions of the link)?
fn temporal_link(ws: &[W], k: usize) -> bool {
    let r = sentence_of(ws, k);
    let linked = |c: usize| TEMPORAL_LINKS.contains(&&*ws[c].form);
    if r.clone().any(|c| {
        ws[c].head == Some(k) && matches!(ws[c].deprel, "case" | "mark" | "advmod") && linked(c)
    }) {
        return true;
    }
    let mut j = k;
    for _ in 0..4 {
        if j <= r.start {
            return false;
        }
        j -= 1;
        if linked(j) {
            return true;
        }
        let f = &*ws[j].form;
        let skip = DETERMINERS.contains(&f)
            || matches!(ws[j].upos, "DET" | "ADJ" | "NUM")
            || matches!(f, "de" | "del" | "a" | "al" | "en" | "of" | "to");
        if !skip {
            return false;
        }
    }
    false
}

/// The candidate of the sentence whose trigger governs candidate `i` in the
/// dependency parse, and the words of the path from `i`'s trigger up to the
/// word heading the branch `i` hangs from (that word last).
fn governor(ws: &[W], cands: &[Cand], live: &[bool], i: usize) -> Option<(usize, Vec<usize>)> {
    // the words each candidate stands on: its trigger, and for a noun the
    // light verb it is the object (or oblique) of ("realizaron una
    // marcha", "participaron en una marcha"); a subject is no object
    // ("el diálogo tuvo lugar")
    let anchored = |j: usize, w: usize| -> bool {
        let c = &cands[j];
        if (c.tw.0..c.tw.1).contains(&w) {
            return true;
        }
        let t = &ws[c.tw.0];
        c.nominal
            && t.head == Some(w)
            && matches!(t.deprel, "obj" | "iobj" | "obl" | "nsubj:pass" | "xcomp")
            && is_light(&ws[w])
    };
    let mut cur = cands[i].tw.0;
    let mut path = vec![cur];
    for _ in 0..16 {
        let h = ws[cur].head?;
        if !anchored(i, h) {
            if let Some(j) = (0..cands.len()).find(|&j| j != i && live[j] && anchored(j, h)) {
                return Some((j, path));
            }
        }
        cur = h;
        path.push(cur);
    }
    None
}

/// Candidates that are part of another event of their sentence rather than
/// events of their own, read off the dependency parse: a second mention of
/// the same event ("realizaron una manifestación de protesta"), the
/// content of a demand or threat ("amenazaron con bloquear"), the topic of
/// a protest or accusation ("protestaron contra el bombardeo"), the light
/// verb that frames a noun trigger ("acordaron una huelga"), and the claims
/// of a protest ("marcharon exigiendo aumentos").
fn drop_subordinate(ws: &[W], mut cands: Vec<Cand>, doc_date: Option<&str>) -> Vec<Cand> {
    let n = cands.len();
    if n < 2 {
        return cands;
    }
    let mut live = vec![true; n];
    // "acordaron una huelga", "anunciaron un paro": the protest is the
    // event, the light verb that is a trigger of its own only frames it
    for i in 0..n {
        let k = cands[i].tw.0;
        if cands[i].nominal || !is_light(&ws[k]) {
            continue;
        }
        let frames = (0..n).any(|j| {
            j != i
                && cands[j].nominal
                && cands[j].cameo.starts_with("14")
                && ws[cands[j].tw.0].head == Some(k)
                && matches!(ws[cands[j].tw.0].deprel, "obj" | "nsubj:pass")
        });
        if frames {
            live[i] = false;
        }
    }
    // "llamadas de protesta", "una reunión de protesta": a bare singular
    // protest noun right after "de" classifies the communicative act the
    // noun before it names, which is the protest itself, not a talk of its
    // own ("la suspensión de marchas" names what is suspended instead)
    for i in 0..n {
        let k = cands[i].tw.0;
        if !cands[i].nominal || !cands[i].cameo.starts_with("14") || k < 2 {
            continue;
        }
        if ws[k - 1].form != "de" || ws[k - 1].sent != ws[k].sent || ws[k].form.ends_with('s') {
            continue;
        }
        let host = (0..n).find(|&j| {
            j != i
                && live[j]
                && cands[j].nominal
                && cands[j].tw.1 == k - 1
                && speech_act(&cands[j].cameo)
        });
        if let Some(j) = host {
            live[j] = false;
            let (act, rec) = (cands[j].actor.clone(), cands[j].recipient.clone());
            let c = &mut cands[i];
            if c.actor.is_empty() {
                c.actor = act;
            }
            if c.recipient.is_empty() {
                c.recipient = rec;
            }
        }
    }
    for i in 0..n {
        if !live[i] {
            continue;
        }
        let Some((j, path)) = governor(ws, &cands, &live, i) else {
            continue;
        };
        let branch = path[path.len() - 1];
        let rel = ws[branch].deprel.split(':').next().unwrap_or("");
        if matches!(rel, "conj" | "parataxis") {
            continue;
        }
        let (ci, cj) = (&cands[i], &cands[j]);
        // a mention that dates another ("antes de la cita") is another
        // happening, and so is one with a date of its own (each dated by
        // a time expression right at its trigger: "una llamada este
        // miércoles ... su reunión del viernes")
        let dated_apart = ci.date_dist <= 24
            && cj.date_dist <= 24
            && matches!((&ci.date, &cj.date), (Some(x), Some(y))
            if !x.starts_with(y.as_str()) && !y.starts_with(x.as_str()));
        let same_root =
            ci.cameo.get(..2) == cj.cameo.get(..2) && !temporal_link(ws, ci.tw.0) && !dated_apart;
        // a relative clause telling what a named participant does ("elogió
        // a las tropas que combaten") is asserted by the speaker, no part
        // of what is said; a subjunctive "que" clause is a complement the
        // parse took for a relative one ("pidió al Gobierno que no suspenda")
        let in_relative =
            ws[ci.tw.0].deprel == "acl:relcl" && !ws[ci.tw.0].subjunctive && !ci.actor.is_empty();
        // a clause introduced like a complement ("amenazaron con
        // bloquear", "llamó a protestar"), not a purpose ("para ...")
        let complement_clause = rel == "advcl"
            && sentence_of(ws, branch).any(|c| {
                ws[c].head == Some(branch)
                    && matches!(ws[c].deprel, "mark" | "case")
                    && matches!(&*ws[c].form, "con" | "a" | "de" | "en")
            });
        // an oblique is content when introduced like a complement
        // ("amenazaron con la huelga"), not a circumstance ("durante la
        // llamada, elogió")
        let complement_case = sentence_of(ws, branch).any(|c| {
            ws[c].head == Some(branch)
                && ws[c].deprel == "case"
                && matches!(
                    &*ws[c].form,
                    "con" | "a" | "al" | "de" | "del" | "en" | "sobre" | "contra" | "por" | "ante"
                )
        });
        let content = speech_act(&cj.cameo)
            && !in_relative
            && (matches!(rel, "xcomp" | "ccomp" | "obj" | "csubj")
                || (matches!(rel, "obl" | "nmod") && complement_case)
                || complement_clause);
        // "contra el bombardeo", "por la detención"; not a circumstance
        // ("durante la llamada", "tras la reunión")
        let topic_case = sentence_of(ws, branch).any(|c| {
            ws[c].head == Some(branch)
                && ws[c].deprel == "case"
                && matches!(
                    &*ws[c].form,
                    "contra" | "por" | "sobre" | "de" | "del" | "a" | "al" | "ante"
                )
        });
        let topic = ci.nominal
            && (speech_act(&cj.cameo) || cj.cameo.starts_with("14"))
            && matches!(rel, "obl" | "nmod")
            && topic_case;
        // a promise and a past act it refers to are two happenings
        // ("apoyará ... el tratado que firmaron en 2019")
        let apart = other_time(cj, ci, doc_date);
        if (same_root || content || topic) && !apart {
            live[i] = false;
            if same_root {
                let (act, rec) = (cands[i].actor.clone(), cands[i].recipient.clone());
                let (date, loc) = (cands[i].date.clone(), cands[i].location.clone());
                let p = &mut cands[j];
                if p.actor.is_empty() {
                    p.actor = act;
                }
                if p.recipient.is_empty() {
                    p.recipient = rec;
                }
                if p.date.is_none() {
                    p.date = date;
                }
                if p.location.is_none() {
                    p.location = loc;
                }
            }
        }
    }
    // the claims of a protest ("marcharon exigiendo aumentos", "protestó
    // y exigió explicaciones") are its issue, not events of their own
    // (support, demands, accusations and rejections voiced by the
    // protesters, or by no one the sentence names)
    for i in 0..n {
        if !live[i] || !matches!(cands[i].cameo.get(..2), Some("05" | "10" | "11" | "12")) {
            continue;
        }
        // an explicit subject of its own ("el gobierno rechazó ...") makes
        // it someone else's act
        let subj = |k: usize| {
            sentence_of(ws, k).find(|&c| ws[c].head == Some(k) && ws[c].deprel.starts_with("nsubj"))
        };
        let absorbed = (0..n).any(|j| {
            let p = &cands[j];
            let (si, sj) = (subj(cands[i].tw.0), subj(p.tw.0));
            live[j]
                && j != i
                && p.cameo.starts_with("14")
                && !(si.is_some() && sj.is_some() && si != sj)
                && (cands[i].actor.is_empty()
                    || p.actor.is_empty()
                    || cands[i].actor.iter().any(|a| p.actor.contains(a)))
        });
        if absorbed {
            live[i] = false;
        }
    }
    cands
        .into_iter()
        .zip(live)
        .filter_map(|(c, l)| l.then_some(c))
        .collect()
}

/// Asserted events dated in the future are planned; dated more than a month
/// before the article, historical.
fn date_modality(date: &str, doc_date: &str) -> &'static str {
    let d = date.get(..10).unwrap_or(date);
    if d.len() >= 4 && d.get(..4) < doc_date.get(..4) {
        return "historical";
    }
    if d.len() == 10 && d > doc_date {
        return "future";
    }
    if d.len() == 10 {
        let days = |s: &str| -> Option<i64> {
            let y: i64 = s.get(..4)?.parse().ok()?;
            let m: i64 = s.get(5..7)?.parse().ok()?;
            let dd: i64 = s.get(8..10)?.parse().ok()?;
            Some(y * 372 + m * 31 + dd)
        };
        if let (Some(a), Some(b)) = (days(d), days(doc_date)) {
            if b - a > 31 {
                return "historical";
            }
        }
    }
    "asserted"
}

fn participant(doc: &Doc, ents: &[usize]) -> Participant {
    let mk = |i: usize| -> Participant {
        let e = doc.entities.get(i);
        Participant {
            entity: e.map(|e| e.id.clone()),
            code: e.and_then(|e| e.kb.as_ref()).and_then(|k| k.code.clone()),
            with: Vec::new(),
        }
    };
    let mut it = ents.iter();
    let Some(&first) = it.next() else {
        return Participant::default();
    };
    let mut p = mk(first);
    p.with = it.map(|&i| mk(i)).collect();
    p
}

/// The longest pattern starting at word `k` (within the sentence ending at
/// `b`): its end word (exclusive) and code.
fn match_at(trig: &Triggers, ws: &[W], k: usize, b: usize) -> Option<(usize, usize, String)> {
    let w = &ws[k];
    // a plural noun capitalised at the start of a sentence is often tagged
    // a proper noun and left unlemmatised ("Combates entre el Ejército y
    // las FARC", "Protestas en Lima"): its singular is tried
    let first_propn = w.upos == "PROPN" && (k == 0 || ws[k - 1].sent != w.sent);
    let singular = || {
        [w.form.strip_suffix("es"), w.form.strip_suffix('s')]
            .into_iter()
            .flatten()
            .find_map(|f| trig.by_first.get(f))
    };
    let pats = trig
        .by_first
        .get(&*w.lemma)
        .or_else(|| trig.by_first.get(&*w.form))
        .or_else(|| first_propn.then(singular).flatten())?;
    'pat: for p in pats {
        if p.noun_only && matches!(w.upos, "VERB" | "AUX") {
            continue;
        }
        if let Some(na) = &p.not_after {
            if k > 0 && ws[k - 1].sent == w.sent && &ws[k - 1].form == na {
                continue;
            }
        }
        if let Some(oa) = &p.only_after {
            // "se reunieron", or the clitic on the verb: "reunirse"
            let near = (1..=2).any(|n| {
                k.checked_sub(n)
                    .is_some_and(|j| ws[j].sent == w.sent && &ws[j].form == oa)
            }) || (w.form.ends_with(oa.as_str()) && w.form.len() > oa.len() + 3);
            if !near {
                continue;
            }
        }
        if p.crowd && !crowd_subject(ws, k) {
            continue;
        }
        if p.armed && !armed_subject(ws, k) {
            continue;
        }
        if p.person_obj && w.upos == "VERB" && thing_object(ws, k) {
            continue;
        }
        if p.verb_only && w.upos != "VERB" {
            continue;
        }
        if p.not_document && document_object(ws, k) {
            continue;
        }
        if p.victim && w.upos == "VERB" && !victim_object(ws, k) {
            continue;
        }
        let mut pos = k + 1;
        let mut end = k + 1;
        for part in p.parts.iter().skip(1) {
            // a preposition of a multiword trigger follows at once ("negar
            // a", "votar en contra"); other words within a few
            let short = matches!(part, Part::Word(x) if x.len() <= 3);
            let limit = (pos + if short { 2 } else { 8 }).min(b);
            let mut found = None;
            for (j, x) in ws.iter().enumerate().take(limit).skip(pos) {
                if x.upos == "PUNCT" && matches!(&*x.form, "") {
                    break;
                }
                let ok = match part {
                    Part::Word(s) => &x.lemma == s || &x.form == s,
                    Part::Class(c) => trig
                        .classes
                        .get(c)
                        .is_some_and(|set| set.contains(&*x.lemma) || set.contains(&*x.form)),
                };
                if ok {
                    found = Some(j);
                    break;
                }
                // the slot names the object: the first noun
                if p.object_slot && matches!(part, Part::Class(_)) && x.upos == "NOUN" {
                    break;
                }
            }
            match found {
                Some(j) => {
                    pos = j + 1;
                    // multiword triggers are contiguous; slots only extend the match
                    if matches!(part, Part::Word(_)) {
                        end = j + 1;
                    }
                }
                None => continue 'pat,
            }
        }
        return Some((end, pos.max(end), p.cameo.clone()));
    }
    None
}

/// Nouns of people in numbers: the subject of a gathering that is a
/// demonstration rather than a meeting.
const CROWD: &[&str] = &[
    "persona",
    "personas",
    "manifestante",
    "manifestantes",
    "mil",
    "miles",
    "millar",
    "millares",
    "cientos",
    "centenar",
    "centenares",
    "decena",
    "decenas",
    "docena",
    "docenas",
    "multitud",
    "muchedumbre",
    "estudiante",
    "estudiantes",
    "trabajador",
    "trabajadores",
    "obrero",
    "obreros",
    "campesino",
    "campesinos",
    "agricultor",
    "agricultores",
    "habitante",
    "habitantes",
    "vecino",
    "vecinos",
    "militante",
    "militantes",
    "simpatizante",
    "simpatizantes",
    "partidario",
    "partidarios",
    "huelguista",
    "huelguistas",
    "indigena",
    "indigenas",
    "jubilado",
    "jubilados",
    "maestro",
    "maestros",
    "profesor",
    "profesores",
    "desempleado",
    "desempleados",
    "pacifista",
    "pacifistas",
    "activista",
    "activistas",
    "ciudadano",
    "ciudadanos",
    "fiel",
    "fieles",
    "joven",
    "jovenes",
    "mujer",
    "mujeres",
    "colono",
    "colonos",
    "refugiado",
    "refugiados",
    "hincha",
    "hinchas",
    "aficionado",
    "aficionados",
    "cocalero",
    "cocaleros",
    "transportista",
    "transportistas",
    "camionero",
    "camioneros",
    "minero",
    "mineros",
    "pescador",
    "pescadores",
    "productor",
    "productores",
    "comerciante",
    "comerciantes",
    "sindicalista",
    "sindicalistas",
    "funcionario",
    "funcionarios",
    "empleado",
    "empleados",
    "medico",
    "medicos",
    "opositor",
    "opositores",
    // English
    "people",
    "protester",
    "protesters",
    "demonstrator",
    "demonstrators",
    "worker",
    "workers",
    "student",
    "students",
    "thousands",
    "hundreds",
    "crowd",
    "crowds",
    "employee",
    "employees",
    "miner",
    "miners",
    "teacher",
    "teachers",
    "nurse",
    "nurses",
    "doctor",
    "doctors",
    "farmer",
    "farmers",
    "driver",
    "drivers",
    "union",
    "unions",
    "guild",
    "member",
    "members",
    "seaman",
    "seamen",
    "sailor",
    "sailors",
    "pilot",
    "pilots",
    "staff",
];

/// The words of the sentence of word `k`.
fn sentence_of(ws: &[W], k: usize) -> std::ops::Range<usize> {
    let s = ws[k].sent;
    let lo = (0..=k)
        .rev()
        .take_while(|&j| ws[j].sent == s)
        .last()
        .unwrap_or(k);
    let hi = (k..ws.len())
        .take_while(|&j| ws[j].sent == s)
        .last()
        .unwrap_or(k);
    lo..hi + 1
}

/// Does the verb at `k` take a direct object that is a thing: a noun not
/// introduced by the personal "a" ("detener el proceso", not "detuvo a
/// Pinochet", "los detuvo")?
fn thing_object(ws: &[W], k: usize) -> bool {
    let r = sentence_of(ws, k);
    r.clone().any(|o| {
        ws[o].head == Some(k)
            && ws[o].deprel == "obj"
            && matches!(ws[o].upos, "NOUN")
            && !CROWD.contains(&&*ws[o].form)
            && !r.clone().any(|c| {
                ws[c].head == Some(o)
                    && ws[c].deprel == "case"
                    && matches!(&*ws[c].form, "a" | "al")
            })
    })
}

/// Texts, figures and products: what is released without being a person
/// ("released a report", "figures released on Tuesday").
const DOCUMENTS: &[&str] = &[
    "report",
    "statement",
    "data",
    "figure",
    "result",
    "detail",
    "document",
    "film",
    "movie",
    "album",
    "video",
    "photo",
    "picture",
    "image",
    "list",
    "study",
    "survey",
    "book",
    "record",
    "version",
    "product",
    "software",
    "update",
    "information",
    "text",
    "transcript",
    "footage",
    "earnings",
    "statistic",
    "number",
    "letter",
    "paper",
    "guideline",
    "communique",
    "estimate",
    "forecast",
    "index",
    "poll",
    "budget",
    "schedule",
    "finding",
    "plan",
    "proposal",
    "fund",
    "informe",
    "comunicado",
    "dato",
    "cifra",
    "resultado",
    "documento",
    "video",
    "foto",
    "imagen",
    "lista",
    "estudio",
    "encuesta",
    "libro",
    "disco",
    "version",
    "producto",
];

/// Is what the verb at `k` is done to one of [`DOCUMENTS`]: its object or
/// passive subject, or the noun a participle describes ("a report
/// released Tuesday")?
fn document_object(ws: &[W], k: usize) -> bool {
    let doc_noun = |o: usize| ws[o].upos == "NOUN" && DOCUMENTS.contains(&&*ws[o].lemma);
    let described = ws[k].deprel.starts_with("acl") && ws[k].head.is_some_and(doc_noun);
    described
        || sentence_of(ws, k).any(|o| {
            ws[o].head == Some(k) && matches!(ws[o].deprel, "obj" | "nsubj:pass") && doc_noun(o)
        })
}

/// Is a person what the verb at `k` is done to: an object or oblique with
/// "a"/"al" ("desaparecieron al líder"), an object pronoun ("los
/// ejecutaron") or a passive subject ("fueron ejecutados")?
fn victim_object(ws: &[W], k: usize) -> bool {
    let r = sentence_of(ws, k);
    r.clone().any(|o| {
        let w = &ws[o];
        if w.head != Some(k) {
            return false;
        }
        match w.deprel {
            "nsubj:pass" | "aux:pass" => true,
            // a clitic, not "lo que" ("ejecutan lo que se les enseñó")
            "obj" if w.upos == "PRON" => {
                matches!(
                    &*w.form,
                    "lo" | "la" | "los" | "las" | "le" | "les" | "me" | "te" | "nos"
                ) && ws.get(o + 1).is_none_or(|n| n.form != "que")
            }
            "obj" | "obl" | "obl:arg" | "iobj" => {
                matches!(w.upos, "NOUN" | "PROPN" | "PRON" | "NUM")
                    // no time or manner: "a las pocas horas", "a medida que"
                    && !w.timex
                    && ws.get(o + 1).is_none_or(|n| n.form != "que")
                    && r.clone().any(|c| {
                        ws[c].head == Some(o)
                            && ws[c].deprel == "case"
                            && matches!(&*ws[c].form, "a" | "al" | "A" | "Al")
                    })
            }
            _ => false,
        }
    })
}

/// Is the subject of the trigger at `k` a crowd ("unos 100.000
/// manifestantes", "miles de personas", "cientos de estudiantes")?
fn crowd_subject(ws: &[W], k: usize) -> bool {
    let r = sentence_of(ws, k);
    let (lo, hi) = (r.start, r.end - 1);
    // "los dos líderes" are no crowd: a number of ten or more is
    let small = |w: &W| {
        matches!(
            &*w.form,
            "dos"
                | "tres"
                | "cuatro"
                | "cinco"
                | "seis"
                | "siete"
                | "ocho"
                | "nueve"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
        ) || (w.form.len() == 1 && w.form.bytes().all(|b| b.is_ascii_digit()))
    };
    let many = |w: &W| !small(w);
    let crowdish = |j: usize| -> bool {
        CROWD.contains(&&*ws[j].form)
            || CROWD.contains(&&*ws[j].lemma)
            || (lo..=hi).any(|c| ws[c].head == Some(j) && ws[c].deprel == "nummod" && many(&ws[c]))
            || (ws[j].upos == "NUM" && many(&ws[j]))
    };
    // "miles de personas": the head or its "de" dependent
    let crowd_np = |j: usize| {
        crowdish(j)
            || (lo..=hi).any(|c| ws[c].head == Some(j) && ws[c].deprel == "nmod" && crowdish(c))
    };
    (lo..=hi).any(|j| {
        ws[j].head == Some(k) && ws[j].deprel.starts_with("nsubj") && {
            // a relative pronoun stands for the noun the clause hangs on
            // ("los 200 pacifistas que se concentraron")
            let relative = ws[j].upos == "PRON"
                && matches!(&*ws[j].form, "que" | "quien" | "quienes")
                && ws[k].deprel == "acl:relcl";
            match ws[k].head {
                Some(h) if relative => crowd_np(h),
                _ => crowd_np(j),
            }
        }
    })
}

/// The word before word `q` of the sentence starting at `a`, over a time
/// expression between them ("anunció este martes que": "anunció").
fn word_before_dates(ws: &[W], a: usize, q: usize) -> Option<usize> {
    let mut j = q;
    while j > a && ws[j - 1].timex {
        j -= 1;
    }
    (j > a).then(|| j - 1)
}

/// Nouns of leaders after "ambos" / "los dos" / "both" / "the two".
const LEADER_NOUNS: &[&str] = &[
    "lider",
    "lideres",
    "mandatario",
    "mandatarios",
    "presidente",
    "presidentes",
    "jefes",
    "dirigentes",
    "leader",
    "leaders",
    "presidents",
    "heads",
];

/// "Ambos líderes discutieron", "the two leaders last met": the two people
/// named most often before the phrase (words `cs..k` of the clause before
/// the trigger).
fn two_leaders(doc: &Doc, ws: &[W], cs: usize, k: usize, ments: &[M]) -> Option<Vec<usize>> {
    let at = (cs..k).find(|&j| {
        let f = &*ws[j].form;
        let next = |n: usize| ws.get(j + n).filter(|_| j + n < k).map(|w| &*w.form);
        let leader = |w: Option<&str>| w.is_some_and(|w| LEADER_NOUNS.contains(&w));
        (matches!(f, "ambos" | "ambas" | "both") && leader(next(1)))
            || (matches!(f, "los" | "las" | "the")
                && matches!(next(1), Some("dos" | "two"))
                && leader(next(2)))
    })?;
    // the two people named most often before it (the story's
    // protagonists), the later named first on a tie
    let before = ws[at].start;
    let mut seen: Vec<(usize, usize, usize)> = Vec::new(); // (entity, count, last)
    for m in ments.iter().filter(|m| m.end <= before) {
        if doc.entities.get(m.ent).is_none_or(|e| e.etype != "PER") {
            continue;
        }
        match seen.iter_mut().find(|s| s.0 == m.ent) {
            Some(s) => {
                s.1 += 1;
                s.2 = m.start;
            }
            None => seen.push((m.ent, 1, m.start)),
        }
    }
    seen.sort_by(|x, y| y.1.cmp(&x.1).then(y.2.cmp(&x.2)));
    match seen.as_slice() {
        [x, y, ..] => {
            let mut pair = [(x.0, x.2), (y.0, y.2)];
            pair.sort_by_key(|p| p.1);
            Some(pair.iter().map(|p| p.0).collect())
        }
        _ => None,
    }
}

/// Forces and weapons (folded lemmas) that strike.
const ARMED: &[&str] = &[
    "drone",
    "missile",
    "rocket",
    "jet",
    "warplane",
    "aircraft",
    "plane",
    "bomber",
    "force",
    "troop",
    "army",
    "military",
    "artillery",
    "navy",
    "helicopter",
    "militant",
    "fighter",
    "dron",
    "misil",
    "cohete",
    "avion",
    "caza",
    "bombardero",
    "fuerza",
    "tropa",
    "ejercito",
    "artilleria",
    "helicoptero",
    "miliciano",
    "militar",
    "soldado",
    "guerrilla",
    "guerrillero",
    "rebelde",
    "insurgente",
    "paramilitar",
    "sicario",
    "soldier",
    "rebel",
    "insurgent",
    "gunman",
];

/// Nouns (lemmas, folded) naming the members or units of a group: "X de
/// Y" stands for the group Y when X is one of them.
const MEMBERS: &[&str] = &[
    "miembro",
    "integrante",
    "guerrillero",
    "paramilitar",
    "militante",
    "combatiente",
    "soldado",
    "efectivo",
    "agente",
    "rebelde",
    "insurgente",
    "miliciano",
    "tropa",
    "unidad",
    "comando",
    "frente",
    "columna",
    "member",
    "fighter",
    "militant",
    "soldier",
    "troop",
    "unit",
    "gunman",
    // groups and crowds: "Thousands of Nigerians", "miles de estudiantes"
    "group",
    "activist",
    "leader",
    "thousand",
    "hundred",
    "dozen",
    "million",
    "grupo",
    "activista",
    "lider",
    "dirigente",
    "mil",
    "ciento",
    "centenar",
    "decena",
    "millar",
];

/// One of [`MEMBERS`], also as a plural the lemmatiser left alone
/// (capitalised at the start of a sentence: "Guerrilleros de las FARC").
fn is_member_noun(lemma: &str) -> bool {
    [
        lemma,
        lemma.strip_suffix('s').unwrap_or(""),
        lemma.strip_suffix("es").unwrap_or(""),
    ]
    .iter()
    .any(|l| MEMBERS.contains(l))
}

/// Is the subject of the trigger at `k` a force or a weapon ("Russian
/// drones struck a hospital")?
fn armed_subject(ws: &[W], k: usize) -> bool {
    sentence_of(ws, k).any(|j| {
        ws[j].head == Some(k) && ws[j].deprel.starts_with("nsubj") && ARMED.contains(&&*ws[j].lemma)
    })
}

fn is_punct_stop(w: &W, text: &str) -> bool {
    w.upos == "PUNCT" && matches!(text.get(w.start..w.end), Some(";" | ":" | "." | "(" | ")"))
}

#[allow(clippy::too_many_arguments)]
fn build(
    doc: &Doc,
    ws: &[W],
    a: usize,
    b: usize,
    k: usize,
    end: usize,
    cameo: String,
    nominal: bool,
    ments: &[M],
    attrs: &[Attribution],
    preps: &[&str],
    en: bool,
    doc_date: Option<&str>,
) -> Option<Cand> {
    let text = doc.text.as_str();
    let prev = |j: usize, n: usize| -> Option<&W> {
        let i = j.checked_sub(n)?;
        (i >= a).then(|| &ws[i])
    };
    // nominal triggers governed by an infinitive are intentions ("para
    // retomar el diálogo"), not events
    // (a protest or strike named so is one that was called: "contener la
    // huelga", "realizar protestas")
    if nominal && !cameo.starts_with("14") {
        for n in 1..=3 {
            if let Some(p) = prev(k, n) {
                if p.upos == "VERB"
                    && p.form == p.lemma
                    && (p.form.ends_with('r') || p.form.ends_with("rse"))
                {
                    return None;
                }
                if p.upos == "VERB" {
                    break;
                }
            }
        }
    }
    // a noun modifying another names a kind, not an event ("aid groups",
    // "aid convoys", "a protest movement")
    // (the noun it modifies comes right after the trigger's words and is no
    // time word or "-ing" form the parse took for a noun: "demand today",
    // "attack targeting")
    if nominal
        && en
        && ws[end - 1].deprel == "compound"
        && ws[end - 1].head == Some(end)
        && ws
            .get(end)
            .is_some_and(|h| h.upos == "NOUN" && !h.timex && !h.form.ends_with("ing") && end < b)
    {
        return None;
    }
    if !nominal && !en && is_participle(&ws[k]) {
        let aux = (1..=2).any(|n| {
            prev(k, n)
                .is_some_and(|p| p.upos == "AUX" || matches!(&*p.lemma, "haber" | "ser" | "estar"))
        });
        if !aux {
            return None;
        }
    }
    let definite = nominal
        && (1..=2).any(|n| prev(k, n).is_some_and(|p| DETERMINERS.contains(&&*p.form)))
        && !(1..=2)
            .any(|n| prev(k, n).is_some_and(|p| matches!(&*p.form, "un" | "una" | "a" | "an")));

    // clause bounds around the trigger
    let mut cs = k;
    while cs > a {
        let p = &ws[cs - 1];
        if is_punct_stop(p, text) || CLAUSE_WORDS.contains(&&*p.form) {
            break;
        }
        cs -= 1;
    }
    // "que" after a noun is relative; after a verb, also over a time
    // expression ("anunció este martes que ..."), it opens a complement
    let after_verb = |q: usize| {
        word_before_dates(ws, a, q).is_some_and(|j| matches!(ws[j].upos, "VERB" | "AUX"))
    };
    // a conjunction, adverb or preposition before it makes a compound
    // conjunction ("mientras que", "ya que", "para que"), not a relative
    let antecedent = |q: usize| {
        q == a
            || !matches!(
                ws[q - 1].upos,
                "CCONJ" | "SCONJ" | "ADV" | "ADP" | "VERB" | "AUX"
            )
    };
    let relative = cs > a
        && matches!(
            &*ws[cs - 1].form,
            "que" | "quien" | "quienes" | "which" | "who"
        )
        && antecedent(cs - 1)
        && !after_verb(cs - 1);
    let mut ce = end;
    while ce < b {
        let w = &ws[ce];
        if is_punct_stop(w, text) || (CLAUSE_WORDS.contains(&&*w.form) && ce > end + 1) {
            break;
        }
        ce += 1;
    }
    let start_b = ws[k].start;
    let end_b = ws[end - 1].end;
    let in_attr = |m: &M| {
        attrs
            .iter()
            .any(|at| at.span.start() <= m.start && m.end <= at.span.end())
    };
    let widx = |pos: usize| -> usize { a + ws[a..b].partition_point(|w| w.start < pos) };
    // the nearest preposition governing a mention (skipping determiners and
    // adjectives); a conjunct inherits its first conjunct's ("de Estados
    // Unidos y Corea del Sur"); "junto a" / "together with" mark co-actors
    fn gov(ws: &[W], a: usize, i: usize, preps: &[&str], ments: &[M], depth: u8) -> Option<String> {
        let mut j = i;
        for _ in 0..3 {
            if j <= a {
                return None;
            }
            j -= 1;
            let f = &*ws[j].form;
            if preps.contains(&f) || f == "with" {
                if j > a && matches!(&*ws[j - 1].form, "junto" | "together") {
                    return Some("junto".into());
                }
                return Some(f.to_string());
            }
            if matches!(f, "y" | "e" | "and") {
                if depth > 0 {
                    if let Some(m) = ments
                        .iter()
                        .rev()
                        .find(|m| m.end <= ws[j].start && ws[j].start - m.end <= 1)
                    {
                        let mi = a + ws[a..].partition_point(|w| w.start < m.start);
                        return gov(ws, a, mi, preps, ments, depth - 1);
                    }
                }
                return None;
            }
            if !DETERMINERS.contains(&f)
                && ws[j].upos != "DET"
                && ws[j].upos != "ADJ"
                && ws[j].upos != "NUM"
            {
                return None;
            }
        }
        None
    }
    let governed = |m: &M| -> Option<String> { gov(ws, a, widx(m.start), preps, ments, 3) };
    // "por el centro de Lima", "the streets of Lima": a place named after a
    // noun of place is where it happened, not who it was aimed at
    let after_place_noun = |m: &M| -> bool {
        let i = widx(m.start);
        i >= a + 2
            && matches!(&*ws[i - 1].form, "de" | "del" | "of")
            && crate::kb::PLACE_NOUNS.contains(&&*ws[i - 2].lemma)
    };
    let is_location = |m: &M| -> bool {
        let e = doc.entities.get(m.ent);
        let loc = e.is_some_and(|e| e.etype == "LOC");
        loc && (matches!(
            governed(m).as_deref(),
            Some(
                "en" | "in"
                    | "at"
                    | "desde"
                    | "from"
                    | "near"
                    | "outside"
                    | "inside"
                    | "across"
                    | "throughout"
                    | "around"
                    | "within"
            )
        ) || after_place_noun(m))
    };
    let sent_start = ws[a].start;
    let clause_start = ws[cs].start;
    // arguments after the trigger stop at the next verb of another clause;
    // a promise, demand, refusal or threat is aimed at whom its action is,
    // so its arguments run on through the infinitive ("threatened to cut
    // off electricity to Nakhichevan", "se negó a reunirse con Zelenski")
    let acting = !nominal && matches!(cameo.get(..2), Some("03" | "10" | "12" | "13"));
    let skip = acting
        .then(|| infinitive_after(ws, end, b, en))
        .flatten()
        .unwrap_or(end);
    let mut stop = end;
    while stop < ce && !(ws[stop].upos == "VERB" && stop > skip && !is_participle(&ws[stop])) {
        stop += 1;
    }
    if nominal {
        stop = stop.min(end + 10);
    }
    let stop_b = if stop < b {
        ws[stop].start
    } else {
        ws[b - 1].end
    };
    // the verb a nominal trigger depends on ("mantuvieron una conversación")
    let head_verb = if nominal {
        (cs..k)
            .rev()
            .find(|&j| matches!(ws[j].upos, "VERB" | "AUX"))
    } else {
        Some(k)
    };
    let possessive = nominal
        && k > a
        && matches!(
            &*ws[k - 1].form,
            "su" | "sus" | "its" | "their" | "his" | "her"
        );
    let after: Vec<&M> = ments
        .iter()
        .filter(|m| m.start >= end_b && m.end <= stop_b && !in_attr(m))
        .collect();

    // passive: "fueron atacados por X", "was attacked by X"
    let passive = !nominal
        && (1..=2).any(|n| {
            prev(k, n).is_some_and(|p| {
                matches!(&*p.lemma, "ser" | "be")
                    || matches!(&*p.form, "fue" | "fueron" | "was" | "were")
            })
        });
    let mut actor: Vec<usize> = Vec::new();
    let mut recipient: Vec<usize> = Vec::new();
    let push = |v: &mut Vec<usize>, e: usize| {
        if !v.contains(&e) {
            v.push(e);
        }
    };
    // the subject: the first mention of [from, to) not governed by a
    // preposition, with the mentions coordinated with it
    let subject_of = |from: usize, to: usize| -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        let cand: Vec<&M> = ments
            .iter()
            .filter(|m| m.start >= from && m.end <= to && !in_attr(m) && !is_location(m))
            .collect();
        // "Guerrilleros de las FARC", "members of Hamas": a noun of members
        // standing first is the group's
        let member_of = |m: &M| -> bool {
            let mut j = widx(m.start);
            while j > a && matches!(ws[j - 1].upos, "DET") {
                j -= 1;
            }
            j >= a + 2
                && matches!(&*ws[j - 1].form, "de" | "del" | "of")
                && ws[j - 2].start >= from
                && is_member_noun(&ws[j - 2].lemma)
        };
        let Some(n) = cand
            .iter()
            .position(|m| governed(m).is_none())
            .or_else(|| cand.first().filter(|m| member_of(m)).map(|_| 0))
        else {
            return out;
        };
        out.push(cand[n].ent);
        let mut last = cand[n].end;
        for m in cand.iter().skip(n + 1) {
            let raw_gap = text.get(last..m.start).unwrap_or("");
            let gap = fold(raw_gap);
            if matches!(&*gap, "y" | "e" | "and" | "y el" | "y la" | "and the" | "") {
                if !out.contains(&m.ent) {
                    out.push(m.ent);
                }
                last = m.end;
            } else {
                break;
            }
        }
        out
    };
    let first_verb_of = |from: usize| -> usize {
        (widx(from)..b)
            .find(|&j| matches!(ws[j].upos, "VERB" | "AUX"))
            .map(|j| ws[j].start)
            .unwrap_or(start_b)
    };
    if passive {
        for m in &after {
            if matches!(governed(m).as_deref(), Some("por" | "by")) {
                push(&mut actor, m.ent);
                break;
            }
        }
        for e in subject_of(clause_start, start_b) {
            push(&mut recipient, e);
        }
    } else {
        // nominal: "la reunión del ruso con Trump", "apoyo norcoreano a
        // Rusia", "la cita entre el ruso y Donald Trump"
        if nominal {
            if let Some(m) = after.first() {
                let g = governed(m);
                let gap_words = fold(text.get(end_b..m.start).unwrap_or(""))
                    .split_whitespace()
                    .count();
                // (within the noun's phrase: "un ataque alcanzó Moscú" is
                // no attack by Moscow)
                let verb_between =
                    (end..widx(m.start).min(b)).any(|j| matches!(ws[j].upos, "VERB" | "AUX"));
                if gap_words <= 1
                    && !verb_between
                    && matches!(g.as_deref(), None | Some("de" | "del" | "by" | "of"))
                {
                    push(&mut actor, m.ent);
                } else if g.as_deref() == Some("entre") || g.as_deref() == Some("between") {
                    push(&mut actor, m.ent);
                    if let Some(n) = after.get(1) {
                        push(&mut recipient, n.ent);
                    }
                }
            }
        }
        // "Israeli tank shelling", "Russian attacks", "US air strikes": a
        // demonym (or a country's capital-letter abbreviation) right before
        // the noun, with at most two lower-case nouns or adjectives between
        let done_by = ["07", "14", "15", "16", "17", "18", "19", "20"]
            .iter()
            .any(|r| cameo.starts_with(r));
        if nominal && actor.is_empty() && en && done_by {
            let before = ments
                .iter()
                .rev()
                .find(|m| m.end <= start_b && m.start >= clause_start && !in_attr(m));
            if let Some(m) = before {
                let (i, j) = (widx(m.start), widx(m.end));
                let modifier = ws.get(i).is_some_and(|w| {
                    let surface = text.get(m.start..m.end).unwrap_or("");
                    w.upos == "ADJ"
                        || (surface.len() <= 4
                            && surface.chars().all(|c| c.is_ascii_uppercase() || c == '.'))
                });
                let between = ws.get(j..k).is_some_and(|gap| {
                    gap.len() <= 2
                        && gap.iter().all(|w| {
                            matches!(w.upos, "NOUN" | "ADJ")
                                && !w.form.is_empty()
                                && w.form.chars().all(char::is_lowercase)
                        })
                });
                if modifier && between {
                    push(&mut actor, m.ent);
                }
            }
        }
        if actor.is_empty() && relative {
            // antecedent of "que": the mention right before it
            let q = ws[cs - 1].start;
            if let Some(m) = ments
                .iter()
                .rev()
                .find(|m| m.end <= q && q - m.end <= 3 && !in_attr(m))
            {
                push(&mut actor, m.ent);
            }
        }
        if actor.is_empty() && !relative {
            match head_verb {
                // "X y Y refuerzan su alianza": the possessive is the
                // subject's
                Some(h)
                    if !nominal
                        || is_light(&ws[h])
                        || possessive && ws[k].head == Some(h) && ws[k].deprel == "obj" =>
                {
                    actor = subject_of(clause_start, ws[h].start)
                }
                Some(_) => {}
                None if possessive => actor = subject_of(sent_start, first_verb_of(sent_start)),
                None => {}
            }
            if actor.is_empty() && possessive && clause_start > sent_start {
                actor = subject_of(sent_start, first_verb_of(sent_start));
            }
        }
        // "Switzerland said today it had expelled two diplomats": a pronoun
        // subject stands for the sentence's subject named before it, when
        // they agree (a person is "he" or "she", anything else "it")
        if actor.is_empty() && en && !relative {
            let pronoun = head_verb.and_then(|h| {
                sentence_of(ws, h).find(|&c| {
                    ws[c].head == Some(h)
                        && ws[c].deprel.starts_with("nsubj")
                        && matches!(&*ws[c].form, "it" | "he" | "she" | "they")
                })
            });
            // (the speaker is the source of the claim too: its mention may
            // lie inside the attribution)
            let subject = pronoun.and_then(|p| {
                ments.iter().find(|m| {
                    let person = doc.entities.get(m.ent).is_some_and(|e| e.etype == "PER");
                    let agrees = match &*ws[p].form {
                        "it" => !person,
                        "he" | "she" => person,
                        _ => true,
                    };
                    m.start >= sent_start
                        && m.end <= ws[p].start
                        && agrees
                        && !is_location(m)
                        && governed(m).is_none()
                })
            });
            if let Some(m) = subject {
                actor.push(m.ent);
            }
        }
        // Spanish drops the subject of a reported clause that has the
        // speaker's: "Jerí ... anunció que se reunirá el viernes" (the
        // parse gives the verb no subject, and both verbs agree in number)
        if actor.is_empty() && !en && !relative && cs > a && ws[cs - 1].form == "que" {
            let speaker_verb = word_before_dates(ws, a, cs - 1).filter(|&g| ws[g].upos == "VERB");
            if let (Some(h), Some(g)) = (head_verb, speaker_verb) {
                // ("el viernes" read as a subject is a date)
                let has_subject = sentence_of(ws, h).any(|c| {
                    ws[c].head == Some(h) && ws[c].deprel.starts_with("nsubj") && !ws[c].timex
                });
                let plural = |w: &W| w.lower.ends_with('n');
                if !has_subject && plural(&ws[h]) == plural(&ws[g]) {
                    // the speaker, also when it is the source of the
                    // sentence ("El Tesoro ... anunció que estudiará")
                    if let Some(m) = ments.iter().find(|m| {
                        m.start >= sent_start
                            && m.end <= ws[g].start
                            && !is_location(m)
                            && governed(m).is_none()
                    }) {
                        actor.push(m.ent);
                    }
                }
            }
        }
    }
    let mut after_iter = after.iter().filter(|m| !is_location(m)).peekable();
    while let Some(m) = after_iter.next() {
        if actor.contains(&m.ent) || recipient.contains(&m.ent) {
            continue;
        }
        let g = governed(m);
        if g.as_deref() == Some("junto") {
            push(&mut actor, m.ent);
            continue;
        }
        let conflict = cameo.as_str() >= "09";
        // a rejection is aimed at the author of what it rejects ("rejected
        // calls by Belarus's rulers", "a demand from the US President")
        let rejects = cameo.starts_with("12");
        let ok = g.as_deref().is_none_or(|p| {
            matches!(
                p,
                "a" | "al" | "con" | "hacia" | "to" | "with" | "on" | "de" | "del" | "of" | "sobre"
            ) || conflict && matches!(p, "contra" | "against" | "into" | "at")
                || rejects && matches!(p, "by" | "from")
        });
        if ok && !passive && recipient.is_empty() {
            push(&mut recipient, m.ent);
            // coordinated recipients ("Estados Unidos y Corea del Sur")
            let mut last = m.end;
            while let Some(n) = after_iter.peek() {
                let gap = fold(text.get(last..n.start).unwrap_or(""));
                let words: Vec<&str> = gap.split_whitespace().collect();
                let coord = words
                    .first()
                    .is_some_and(|w| matches!(*w, "y" | "e" | "and"))
                    && words.len() <= 3;
                let appos = text.get(last..n.start).is_some_and(|g| g.trim() == ",")
                    && doc.entities.get(n.ent).is_some_and(|e| e.etype == "PER")
                    && recipient
                        .last()
                        .and_then(|&r| doc.entities.get(r))
                        .is_some_and(|e| e.etype == "PER");
                if coord || appos {
                    push(&mut recipient, n.ent);
                    last = n.end;
                    after_iter.next();
                } else {
                    break;
                }
            }
        }
    }
    // "X y Y mantuvieron una conversación": a symmetric event between the
    // members of a compound actor
    let root = cameo.get(..2).unwrap_or("");
    // support, accusation or rejection of what someone does is aimed at
    // its doer: the subject of a relative clause on the object ("apoyará
    // todas las medidas que adopte la dirección de Rusia", "condemned the
    // steps that Israel took")
    if recipient.is_empty() && !nominal && !passive && matches!(root, "05" | "11" | "12") {
        if let Some(q) = relative_on_object(ws, end, stop.min(ce), b) {
            let mut to = q + 1;
            let mut verbs = 0;
            while to < b {
                let w = &ws[to];
                if is_punct_stop(w, text) || (to > q + 1 && CLAUSE_WORDS.contains(&&*w.form)) {
                    break;
                }
                if matches!(w.upos, "VERB" | "AUX") {
                    verbs += 1;
                    if verbs > 1 {
                        break;
                    }
                }
                to += 1;
            }
            let (from_b, to_b) = (ws[q].end, if to < b { ws[to].start } else { ws[b - 1].end });
            if let Some(m) = ments.iter().find(|m| {
                m.start >= from_b
                    && m.end <= to_b
                    && !in_attr(m)
                    && !is_location(m)
                    && !actor.contains(&m.ent)
                    && matches!(governed(m).as_deref(), None | Some("de" | "del" | "of"))
            }) {
                push(&mut recipient, m.ent);
            }
        }
    }
    // aid goes where it is sent: "el envío de miles de trabajadores ... a
    // la región rusa de Kursk", "sent troops to Syria"
    // (a noun naming what is sent, not a modifier: "aid groups")
    let heads_phrase = !nominal || (end < b && ws[end].upos == "ADP");
    if recipient.is_empty() && !passive && root == "07" && heads_phrase && sends(&ws[k]) {
        for j in end..ce.min(b) {
            if !matches!(&*ws[j].form, "a" | "al" | "hacia" | "to" | "into") {
                continue;
            }
            // "ayudar a desbancar": an infinitive is no destination
            if ws.get(j + 1).is_some_and(|w| w.upos == "VERB") {
                continue;
            }
            let (from_b, to_b) = (ws[j].end, ws[(j + 4).min(b - 1)].end);
            if let Some(m) = ments.iter().find(|m| {
                m.start >= from_b && m.end <= to_b && !in_attr(m) && !actor.contains(&m.ent)
            }) {
                push(&mut recipient, m.ent);
                break;
            }
        }
    }
    if actor.is_empty() && recipient.is_empty() && !passive {
        if let Some(pair) = two_leaders(doc, ws, cs, k, ments) {
            actor = pair;
        }
    }
    if recipient.is_empty() && actor.len() > 1 && matches!(root, "03" | "04" | "05" | "06") {
        recipient = actor.split_off(1);
    }

    let modality = modality(ws, a, k, end, b, nominal, en);
    // date: the nearest DATE/TIME timex of the sentence, not a "desde"
    // start, and not a past date for a planned event ("apoyará ... el
    // tratado que firmaron en 2019")
    let sent_end = ws[b - 1].end;
    let mut best: Option<(usize, &dateline_core::Timex)> = None;
    for t in &doc.timexes {
        if t.span.start() < sent_start || t.span.end() > sent_end {
            continue;
        }
        if !matches!(t.ttype.as_str(), "DATE" | "TIME")
            || !t.value.starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let ti = widx(t.span.start());
        let since = (ti.saturating_sub(1).max(a)..=ti.min(b - 1))
            .any(|j| matches!(&*ws[j].form, "desde" | "since"));
        if since {
            continue;
        }
        let past = doc_date.is_some_and(|dd| date_modality(&t.value, dd) == "historical");
        if modality == "future" && past {
            continue;
        }
        // a timex inside the clause of another verb is farther away
        let dist = if t.span.start() >= end_b {
            t.span.start() - end_b
        } else {
            start_b.saturating_sub(t.span.end())
        };
        if best.is_none_or(|(d, _)| dist < d) {
            best = Some((dist, t));
        }
    }
    let date_dist = best.map_or(usize::MAX, |(d, _)| d);
    let date = best.filter(|(d, _)| *d < 160).map(|(_, t)| {
        let v = t.value.as_str();
        if v.starts_with("PRESENT") {
            doc_date.unwrap_or(v).to_string()
        } else {
            v.to_string()
        }
    });

    // location: a place after "en"/"in"/"at" attached in the parse to the
    // trigger, or to a participle or adjective modifying it ("la cita ...
    // prevista en Alaska"), wherever it stands in the sentence; else the
    // nearest one of the clause
    let mut location = None;
    let mut loc_ent: Option<usize> = None;
    let mut best_d = usize::MAX;
    let on_trigger = |w: usize| (k..end).contains(&w);
    let attached = |m: &M| -> bool {
        let (lo, hi) = (widx(m.start), widx(m.end));
        let Some(w) = (lo..hi.min(b)).find(|&w| ws[w].head.is_none_or(|h| h < lo || h >= hi))
        else {
            return false;
        };
        let Some(h) = ws[w].head else {
            return false;
        };
        on_trigger(h)
            || (ws[h].head.is_some_and(on_trigger)
                && ws[h].deprel.starts_with("acl")
                && !ws[h].deprel.starts_with("acl:relcl")
                && matches!(ws[h].upos, "VERB" | "ADJ"))
    };
    let on_parse = ments.iter().find(|m| {
        m.start >= sent_start
            && m.end <= ws[b - 1].end
            && is_location(m)
            && !in_attr(m)
            && attached(m)
    });
    if let Some(m) = on_parse {
        location = doc.entities.get(m.ent).map(|e| e.name.clone());
        loc_ent = Some(m.ent);
    }
    for m in ments
        .iter()
        .filter(|m| on_parse.is_none() && m.start >= clause_start && m.end <= stop_b)
    {
        if !is_location(m) || in_attr(m) {
            continue;
        }
        let d = if m.start >= end_b {
            m.start - end_b
        } else {
            start_b - m.end.min(start_b)
        };
        if d < best_d {
            best_d = d;
            location = doc.entities.get(m.ent).map(|e| e.name.clone());
            loc_ent = Some(m.ent);
        }
    }
    // conflict in a place with no named target: the place's country is the
    // target, as PETRARCH codes "a protest in Beijing" (CHN)
    if recipient.is_empty() && cameo.as_str() >= "09" {
        if let Some(le) = loc_ent {
            let code = |i: usize| {
                doc.entities
                    .get(i)
                    .and_then(|e| e.kb.as_ref())
                    .and_then(|k| k.code.as_deref())
                    .map(|c| c.get(..3).unwrap_or(c).to_string())
            };
            let lc = code(le);
            if lc.is_some() && actor.iter().all(|&a| code(a) != lc) {
                recipient.push(le);
            }
        }
    }

    Some(Cand {
        sent: ws[k].sent,
        tw: (k, end),
        cameo,
        nominal,
        definite,
        actor,
        recipient,
        date,
        date_dist,
        location,
        modality,
        attribution: attrs.to_vec(),
        mentions: 1,
    })
}

/// Modality from the verb group around the trigger and cue words.
fn modality(
    ws: &[W],
    a: usize,
    k: usize,
    end: usize,
    b: usize,
    nominal: bool,
    en: bool,
) -> &'static str {
    // the verb group: the trigger (or, for a noun, the nearest verb before
    // it) and up to three auxiliaries or modals before that
    let mut head = k;
    if nominal {
        for j in (a..k).rev().take(4) {
            if matches!(ws[j].upos, "VERB" | "AUX") {
                head = j;
                break;
            }
        }
    }
    let lo = head.saturating_sub(3).max(a);
    let group: Vec<&W> = ws[lo..=head].iter().collect();
    let near_after: Vec<&W> = ws[end.min(b)..(end + 4).min(b)].iter().collect();
    let near_before: Vec<&W> = ws[k.saturating_sub(3).max(a)..k].iter().collect();
    if group.iter().any(|w| NEGATION.contains(&&*w.form)) {
        return "negated";
    }
    // the content of a denial: "negó que Teherán hubiera aceptado un
    // acuerdo", "denied that it had fired"
    let denied = ws[head].deprel == "ccomp"
        && ws[head]
            .head
            .and_then(|g| ws.get(g))
            .is_some_and(|g| DENIAL.contains(&&*g.lemma));
    if denied {
        return "negated";
    }
    let verbs: Vec<&&W> = group
        .iter()
        .filter(|w| matches!(w.upos, "VERB" | "AUX"))
        .collect();
    if group.iter().any(|w| MODAL_HYPO.contains(&&*w.form))
        || (!en && verbs.iter().any(|w| is_conditional_es(w)))
    {
        return "hypothetical";
    }
    let future = if en {
        group
            .iter()
            .any(|w| matches!(&*w.form, "will" | "shall" | "ll"))
            || (group.len() >= 2
                && group
                    .windows(2)
                    .any(|p| p[0].form == "going" && p[1].form == "to"))
    } else {
        verbs.iter().any(|w| is_future_es(w))
            || group
                .windows(2)
                .any(|p| p[0].lemma == "ir" && p[1].form == "a")
    };
    if future
        || near_after
            .iter()
            .chain(near_before.iter())
            .any(|w| FUTURE_CUES.contains(&&*w.form))
        || (nominal
            && near_before
                .windows(2)
                .any(|p| p[0].form == "antes" && p[1].form == "de"))
        || (nominal && near_before.iter().any(|w| w.form == "before"))
    {
        return "future";
    }
    "asserted"
}

/// The infinitive that complements the verb ending before word `end`:
/// "to" + verb in English, a Spanish infinitive right after it or after
/// "a", "con" or "de" ("acordó levantar", "se negó a reunirse", "amenazó
/// con romper"), past a time expression or adverb between them
/// ("threatened on Tuesday to cut", "amenazó este martes con cortar").
fn infinitive_after(ws: &[W], end: usize, b: usize, en: bool) -> Option<usize> {
    let at = |i: usize| ws.get(i).filter(|_| i < b);
    let mut end = end;
    while let Some(w) = at(end) {
        let time_prep = w.upos == "ADP" && at(end + 1).is_some_and(|n| n.timex);
        if !(w.timex || w.upos == "ADV" || time_prep) {
            break;
        }
        end += 1;
    }
    let first = at(end)?;
    let infinitive = |w: &W| {
        w.upos == "VERB" && (en || w.lemma.ends_with('r') && w.lower.starts_with(&*w.lemma))
    };
    if en {
        return (first.form == "to" && at(end + 1).is_some_and(infinitive)).then_some(end + 1);
    }
    if infinitive(first) {
        return Some(end);
    }
    (matches!(&*first.form, "a" | "con" | "de") && at(end + 1).is_some_and(infinitive))
        .then_some(end + 1)
}

fn is_participle(w: &W) -> bool {
    let f = &*w.lower;
    // irregular participles in -sto ("puesto", "visto"), not present forms
    // in -sta/-sto ("protesta", "protesto")
    w.upos == "VERB"
        && [
            "ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas", "uesta", "uestas", "uesto",
            "uestos", "ista", "istas", "isto", "istos",
        ]
        .iter()
        .any(|s| f.ends_with(s))
        && f != w.lemma
}

fn is_future_es(w: &W) -> bool {
    let f = &*w.lower;
    w.form != w.lemma
        && ["rá", "rán", "ré", "rás", "remos", "réis"]
            .iter()
            .any(|s| f.ends_with(s))
        && f.chars().count() > 4
        && !matches!(w.upos, "NOUN" | "PROPN" | "ADJ")
}

fn is_conditional_es(w: &W) -> bool {
    let f = &*w.lower;
    w.form != w.lemma && (f.ends_with("ría") || f.ends_with("rían") || f.ends_with("ríamos"))
}

/// Attribution cues of a sentence and their sources.
fn attributions(doc: &Doc, ws: &[W], ments: &[M], en: bool) -> Vec<Attribution> {
    let text = doc.text.as_str();
    let mut out: Vec<Attribution> = Vec::new();
    let n = ws.len();
    let stop = |w: &W| -> bool {
        w.upos == "PUNCT" && !matches!(text.get(w.start..w.end), Some("(" | ")"))
            || matches!(&*w.form, "que" | "that")
    };
    let np_from = |i: usize| -> Option<(usize, usize)> {
        // a noun phrase from word i to the next comma or clause word
        let mut j = i;
        while j < n && !stop(&ws[j]) && j - i < 12 {
            j += 1;
        }
        // keep "(ACNC)" with its name
        while j < n && matches!(text.get(ws[j].start..ws[j].end), Some("(" | ")"))
            || (j < n
                && j > i
                && ws[j - 1].upos == "PUNCT"
                && text.get(ws[j - 1].start..ws[j - 1].end) == Some("("))
        {
            j += 1;
        }
        (j > i).then(|| (ws[i].start, ws[j - 1].end))
    };
    let mut add = |cue_start: usize, np: Option<(usize, usize)>| {
        let Some((s, e)) = np else { return };
        let entity = best_entity(doc, ments, s, e);
        if let Ok(span) = Span::new(text, cue_start.min(s), e) {
            if !out.iter().any(|a| a.span == span) {
                out.push(Attribution { entity, span });
            }
        }
    };
    let speech = if en { SPEECH_EN } else { SPEECH_ES };
    for i in 0..n {
        let f = &*ws[i].form;
        // "según X", "según informaron X", "de acuerdo con X", "according to X"
        if f == "segun" {
            let mut j = i + 1;
            if j < n && ws[j].upos == "VERB" {
                j += 1;
            }
            add(ws[i].start, np_from(j));
        } else if f == "acuerdo"
            && i >= 1
            && ws[i - 1].form == "de"
            && i + 1 < n
            && ws[i + 1].form == "con"
        {
            add(ws[i - 1].start, np_from(i + 2));
        } else if f == "according" && i + 1 < n && ws[i + 1].form == "to" {
            add(ws[i].start, np_from(i + 2));
        } else if !en && ws[i].upos == "VERB" && SPEECH_POSTPOSED_ES.contains(&&*ws[i].lemma) {
            // ", acusó la policía." closing the sentence names a source
            let after_comma = i >= 1 && text.get(ws[i - 1].start..ws[i - 1].end) == Some(",");
            let np = np_from(i + 1);
            let to_end = np
                .is_some_and(|(_, e)| ws[i + 1..].iter().all(|w| w.end <= e || w.upos == "PUNCT"));
            if after_comma && to_end {
                add(ws[i].start, np);
            }
        } else if ws[i].upos == "VERB"
            && speech.contains(&&*ws[i].lemma)
            // a denial names a source only with its content ("negó que
            // ..."): "negarse a responder" is a refusal
            && (!DENIAL.contains(&&*ws[i].lemma)
                || ws.get(i + 1).is_some_and(|w| matches!(&*w.form, "que" | "that")))
        {
            // post-posed: ", informó la ACNC." / ", officials said"
            let after_comma = i >= 1 && text.get(ws[i - 1].start..ws[i - 1].end) == Some(",");
            let np = np_from(i + 1);
            let to_end = np
                .is_some_and(|(_, e)| ws[i + 1..].iter().all(|w| w.end <= e || w.upos == "PUNCT"));
            if !en && after_comma && to_end {
                add(ws[i].start, np);
                // "que citó al Kremlin": the cited source too
            } else if ws[i].lemma == "citar" && i + 1 < n {
                add(ws[i].start, np_from(i + 1));
            } else if en && i >= 1 {
                // "X said": the mention right before the verb
                if let Some(m) = ments.iter().rev().find(|m| {
                    m.end <= ws[i].start && ws[i].start - m.end <= 2 && m.start >= ws[0].start
                }) {
                    add(m.start, Some((m.start, ws[i].end)));
                } else if after_comma || i + 1 == n || (i + 1 < n && ws[i + 1].upos == "PUNCT") {
                    // ", officials said": the words before the verb back to the comma
                    let mut j = i;
                    while j > 0 && ws[j - 1].upos != "PUNCT" && i - j < 5 {
                        j -= 1;
                    }
                    if j < i {
                        add(ws[j].start, Some((ws[j].start, ws[i].end)));
                    }
                }
            } else if !en && i + 1 < n && ws[i + 1].form == "que" {
                // "Kim expresó que ...": the subject before the verb
                if let Some(m) = ments.iter().rev().find(|m| {
                    m.end <= ws[i].start && ws[i].start - m.end <= 2 && m.start >= ws[0].start
                }) {
                    add(m.start, Some((m.start, ws[i].end)));
                }
            }
        }
    }
    out
}

/// The entity a source phrase names: an organisation or person first, then
/// anything else in it.
fn best_entity(doc: &Doc, ments: &[M], s: usize, e: usize) -> Option<String> {
    let inside: Vec<&M> = ments
        .iter()
        .filter(|m| m.start >= s && m.end <= e)
        .collect();
    let pick = inside
        .iter()
        .find(|m| {
            doc.entities
                .get(m.ent)
                .is_some_and(|x| x.etype == "ORG" || x.etype == "PER")
        })
        .or_else(|| inside.first());
    pick.and_then(|m| doc.entities.get(m.ent))
        .map(|x| x.id.clone())
}

/// Does candidate `c` tell again the happening of event `p`?
fn corefers(p: &Cand, c: &Cand) -> bool {
    let (pr, cr) = (p.cameo.get(..2), c.cameo.get(..2));
    if pr != cr {
        return false;
    }
    // a dated mention does not join an event dated otherwise
    if let (Some(a), Some(b)) = (&p.date, &c.date) {
        if !a.starts_with(b.as_str()) && !b.starts_with(a.as_str()) {
            return false;
        }
    }
    let pset: Vec<usize> = p.actor.iter().chain(p.recipient.iter()).copied().collect();
    let cset: Vec<usize> = c.actor.iter().chain(c.recipient.iter()).copied().collect();
    // what one source asserts and another only supposes stay two events
    let weak = |m: &str| matches!(m, "hypothetical" | "negated");
    if weak(c.modality) != weak(p.modality) {
        return false;
    }
    if c.nominal && c.definite {
        // a specific mention ("la llamada": phone) needs the same code; a
        // generic one ("el diálogo") may name any event of the type
        let generic = c.cameo.len() == 3 && c.cameo.ends_with('0');
        let code_ok = generic || c.cameo == p.cameo;
        let parts_ok = cset.iter().all(|x| pset.contains(x));
        return code_ok && parts_ok;
    }
    // the same participants, in any order
    !cset.is_empty() && cset.len() == pset.len() && cset.iter().all(|x| pset.contains(x))
}

fn merge(p: &mut Cand, c: Cand) {
    if p.cameo.len() == 3 && p.cameo.ends_with('0') && c.cameo.get(..2) == p.cameo.get(..2) {
        p.cameo = c.cameo.clone();
    }
    if p.date.is_none() {
        p.date = c.date;
    }
    if p.location.is_none() {
        p.location = c.location;
    }
    if p.modality == "asserted" && c.modality == "future"
        || p.modality == "asserted" && c.modality == "hypothetical" && p.mentions == 0
    {
        p.modality = c.modality;
    }
    if p.actor.is_empty() {
        p.actor = c.actor;
    }
    for r in c.recipient {
        if !p.recipient.contains(&r) && !p.actor.contains(&r) {
            p.recipient.push(r);
        }
    }
    for a in c.attribution {
        if !p.attribution.iter().any(|x| x.span == a.span) {
            p.attribution.push(a);
        }
    }
    p.mentions += 1;
}

#[cfg(test)]
mod tests;
