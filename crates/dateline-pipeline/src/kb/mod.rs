//! The knowledge base: countries, demonyms, organisations, people with dated
//! roles, places, seats of power used as metonyms, and phrases that name an
//! office ("el presidente ruso", "German chancellor").
//!
//! Design choice: the data is reviewed text (`data/kb/*.tsv`, see its
//! README) embedded with `include_str!` and indexed at load time into plain
//! hash maps keyed by the normalised alias (see [`norm`]). Building takes a
//! few tens of milliseconds in release, so there is no compiled artifact to
//! keep in sync with the TSV, and users add rows with `--kb-extra` files of
//! the same format. Matching over running text ([`Kb::find_all`]) walks
//! words, not bytes: each word start looks up word n-grams, stopping as soon
//! as the n-gram is not a prefix of any alias, so matches are word-boundary
//! aware by construction and cost a few hash lookups per word. A
//! byte-level automaton (daachorse, aho-corasick) would need a second pass
//! for word boundaries, accent folding and case checks, and was not needed
//! for speed.
//!
//! Case: an alias that is all upper-case with at most five letters ("AP",
//! "EU", "EE.UU.") or written with a leading `=` ("=Rubio") matches only in
//! that exact case (or in an all-capitals text word); every other alias
//! matches case-insensitively, but in running text each alias word that is
//! capitalised in the alias must be capitalised in the text ("La Paz" does
//! not match "la paz").

pub mod load;
pub mod norm;

use crate::{Error, Result};
use load::{err, list, valid_date, Table, TableKind};
use rustc_hash::FxHashMap;
use std::borrow::Borrow;
use std::path::Path;
use std::sync::OnceLock;

/// Id prefix of the people generated from PETRARCH's CountryInfo
/// (`people_petrarch.tsv`), whose names are written without accents.
pub const ASCII_PERSON_PREFIX: &str = "p_";

/// Version of the TSV formats described in `data/kb/README.md`.
pub const KB_FORMAT_VERSION: u32 = 1;

/// Nouns of place (folded, singular and plural) before "de"/"of" and a
/// place name: "la provincia de Buenos Aires", "el centro de Lima", "the
/// streets of Malaga" name a place, not the government or the target it
/// may stand for. Read by the linking and the events stages.
pub const PLACE_NOUNS: &[&str] = &[
    "provincia",
    "ciudad",
    "region",
    "departamento",
    "municipio",
    "capital",
    "centro",
    "calle",
    "calles",
    "plaza",
    "barrio",
    "norte",
    "sur",
    "este",
    "oeste",
    "afueras",
    "periferia",
    "puerto",
    "frontera",
    "zona",
    "area",
    "city",
    "province",
    "street",
    "streets",
    "square",
    "centre",
    "center",
    "downtown",
    "outskirts",
    "port",
];

const BUILTIN: &[(&str, &str)] = &[
    ("countries.tsv", include_str!("../../data/kb/countries.tsv")),
    ("orgs.tsv", include_str!("../../data/kb/orgs.tsv")),
    ("people.tsv", include_str!("../../data/kb/people.tsv")),
    ("roles.tsv", include_str!("../../data/kb/roles.tsv")),
    (
        "people_petrarch.tsv",
        include_str!("../../data/kb/people_petrarch.tsv"),
    ),
    (
        "roles_petrarch.tsv",
        include_str!("../../data/kb/roles_petrarch.tsv"),
    ),
    ("metonyms.tsv", include_str!("../../data/kb/metonyms.tsv")),
    ("places.tsv", include_str!("../../data/kb/places.tsv")),
    (
        "role_phrases.tsv",
        include_str!("../../data/kb/role_phrases.tsv"),
    ),
    (
        "role_templates.tsv",
        include_str!("../../data/kb/role_templates.tsv"),
    ),
];

/// Office codes a role row may use (`roles.tsv`, column `role`).
pub const ROLES: &[&str] = &[
    "HEAD_OF_STATE",
    "HEAD_OF_GOVERNMENT",
    "LEADER",
    "VICE_PRESIDENT",
    "FOREIGN_MINISTER",
    "DEFENCE_MINISTER",
    "IGO_HEAD",
    "MINISTER",
    "OTHER",
];

/// Codes a role phrase may name: the office codes plus title codes that
/// [`Kb::role_holder`] resolves with fallbacks.
pub const PHRASE_ROLES: &[&str] = &[
    "PRESIDENT",
    "PRIME_MINISTER",
    "CHANCELLOR",
    "MONARCH",
    "SUPREME_LEADER",
];

const PRESIDENT_TITLES: &[&str] = &[
    "PRESIDENT",
    "ACTING_PRESIDENT",
    "PRESIDENT_STATE_AFFAIRS",
    "PRESIDENT_OF_CONFEDERATION",
    "CO_PRESIDENT",
];
const PM_TITLES: &[&str] = &[
    "PRIME_MINISTER",
    "PREMIER",
    "ACTING_PRIME_MINISTER",
    "TAOISEACH",
];
const MONARCH_TITLES: &[&str] = &[
    "MONARCH",
    "EMIR",
    "SULTAN",
    "EMPEROR",
    "PRINCE",
    "GRAND_DUKE",
];

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Country,
    Org,
    Person,
    Place,
    /// A seat of power or capital standing for a government ("el Kremlin").
    Metonym,
    /// A nationality word ("norcoreanas"); the entry stands for the country.
    Demonym,
    /// A phrase naming an office ("presidente ruso").
    RolePhrase,
}

/// Something an alias can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Identifier, unique within its kind: ISO alpha-3 for countries and
    /// demonyms, the TSV id for orgs/people/places, `ISO3.SECTOR` (or
    /// `ORG.SECTOR`) for metonyms, `ROLE.ISO3` for role phrases.
    pub id: String,
    pub kind: Kind,
    /// Canonical name.
    pub name: String,
    /// Finer type: COUNTRY; IGO/MEDIA/INTEL/MIL/...; PER; CITY/CAPITAL/
    /// REGION; GOV/LEG/MIL/IGO for metonyms; the role code for role phrases.
    pub etype: String,
    pub iso3: Option<String>,
    /// CAMEO actor code (RUS, RUSGOV, IGOWSTNAT, ...).
    pub cameo: Option<String>,
    /// Wikidata QID, only where it is certain.
    pub qid: Option<String>,
}

impl Entry {
    /// `kind:id`, unique across the KB.
    pub fn key(&self) -> String {
        format!("{:?}:{}", self.kind, self.id).to_lowercase()
    }
}

/// Which office holds the chief executive power of a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Executive {
    HeadOfState,
    HeadOfGovernment,
    /// A party or religious leader above both (PRK, CHN, IRN, VNM, ...).
    Leader,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub iso3: String,
    pub iso2: String,
    pub name_en: String,
    pub name_es: String,
    pub capital_en: Vec<String>,
    pub capital_es: Vec<String>,
    pub executive: Executive,
    pub cameo: String,
    pub qid: Option<String>,
    pub population: Option<u64>,
}

/// One office held by a person over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Office code, one of [`ROLES`].
    pub role: String,
    /// Title code (PRESIDENT, PRIME_MINISTER, CHANCELLOR, MONARCH, ...).
    pub title: String,
    pub title_es: String,
    pub title_en: String,
    /// Country of the office ("" for an international organisation).
    pub iso3: String,
    /// Organisation id for IGO offices.
    pub org: String,
    /// First day in office, `YYYY-MM-DD`.
    pub start: String,
    /// First day out of office (exclusive); "" = in office.
    pub end: String,
    pub cameo: String,
    /// "high" or "low" (the compiler was not sure of the name or dates).
    pub confidence: String,
    pub note: String,
}

impl Role {
    /// In office on `date` (`YYYY-MM-DD`).
    pub fn holds_on(&self, date: &str) -> bool {
        self.start.as_str() <= date && (self.end.is_empty() || date < self.end.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// "m", "f" or "".
    pub gender: String,
    pub qid: Option<String>,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    Masculine,
    Feminine,
    /// Same form for both (estadounidense, belga) or a language without
    /// gender (English).
    Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Number {
    Singular,
    Plural,
}

/// A match of an alias over a text: byte range and the entries it names
/// (indices for [`Kb::entry`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub entries: Vec<usize>,
}

#[derive(Debug, Clone)]
struct AliasRef {
    entry: usize,
    /// Bit i: word i must start with a capital in running text.
    caps: u64,
    /// Exact-case form (words joined by one space), for acronyms.
    exact: Option<Box<str>>,
}

/// What a normalised key is to the KB.
#[derive(Debug, Clone, Default)]
struct Key {
    /// The aliases with this key (empty when it is only a prefix).
    refs: Vec<AliasRef>,
    /// Some longer alias starts with this key and a space.
    prefix: bool,
}

#[derive(Debug, Clone)]
struct DemonymDef {
    iso3: String,
    gender: Gender,
    number: Number,
}

/// The loaded knowledge base; build once and share.
#[derive(Debug, Default)]
pub struct Kb {
    entries: Vec<Entry>,
    /// Normalised aliases and their proper prefixes (up to a space): one
    /// look-up per word tried when matching.
    keys: FxHashMap<String, Key>,
    /// Number of distinct normalised aliases.
    aliases: usize,
    max_words: usize,
    countries: Vec<Country>,
    country_idx: FxHashMap<String, usize>,
    people: Vec<Person>,
    person_idx: FxHashMap<String, usize>,
    org_idx: FxHashMap<String, usize>,
    demonyms: FxHashMap<String, Vec<DemonymDef>>,
    /// entry index -> (role, iso3) for role-phrase entries
    role_defs: FxHashMap<usize, (String, String)>,
    /// (kind, id) -> entry index
    by_key: FxHashMap<(Kind, String), usize>,
    /// iso3 -> template slot fillers ("{ms}", "alemán"), ("{name_es}", "Alemania"), ...
    slots: FxHashMap<String, Vec<(&'static str, String)>>,
    /// folded surname (last word of a name or alias of two or more words)
    /// -> people, built on first use
    surnames: OnceLock<FxHashMap<String, Vec<usize>>>,
    /// place id -> population, where the table gives one
    place_pop: FxHashMap<String, u64>,
}

static SHARED: OnceLock<std::result::Result<Kb, String>> = OnceLock::new();

impl Kb {
    /// The knowledge base shipped with the crate.
    pub fn builtin() -> Result<Kb> {
        Kb::with_extra::<&Path>(&[])
    }

    /// A process-wide built-in KB, loaded on first use.
    pub fn shared() -> Result<&'static Kb> {
        match SHARED.get_or_init(|| Kb::builtin().map_err(|e| e.to_string())) {
            Ok(kb) => Ok(kb),
            Err(e) => Err(Error::Model(e.clone())),
        }
    }

    /// The built-in KB plus user files (`--kb-extra`), each a TSV table of
    /// one of the built-in formats, recognised by its header.
    pub fn with_extra<P: AsRef<Path>>(paths: &[P]) -> Result<Kb> {
        let mut texts = Vec::with_capacity(paths.len());
        for p in paths {
            let p = p.as_ref();
            let text = std::fs::read_to_string(p)
                .map_err(|e| Error::Model(format!("kb extra {}: {e}", p.display())))?;
            texts.push((p.display().to_string(), text));
        }
        let extra: Vec<(&str, &str)> = texts
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        Kb::from_texts(BUILTIN, &extra)
    }

    /// Builds a KB from TSV texts (`(file name, text)`); the built-in
    /// tables must not repeat ids, extra tables may (their aliases are added
    /// to the existing entry).
    pub fn from_texts(builtin: &[(&str, &str)], extra: &[(&str, &str)]) -> Result<Kb> {
        let mut tables: Vec<(Table, bool)> = Vec::new();
        for (name, text) in builtin {
            tables.push((Table::parse(name, text)?, false));
        }
        for (name, text) in extra {
            tables.push((Table::parse(name, text)?, true));
        }
        let mut kb = Kb::default();
        let rows: usize = tables.iter().map(|(t, _)| t.rows.len()).sum();
        kb.keys.reserve(rows * 4);
        kb.entries.reserve(rows + 4096);
        let order = [
            TableKind::Countries,
            TableKind::Orgs,
            TableKind::People,
            TableKind::Roles,
            TableKind::Metonyms,
            TableKind::Places,
            TableKind::RolePhrases,
            TableKind::RoleTemplates,
        ];
        for kind in order {
            for (t, is_extra) in tables.iter().filter(|(t, _)| t.kind == kind) {
                match kind {
                    TableKind::Countries => kb.load_countries(t, *is_extra)?,
                    TableKind::Orgs => kb.load_orgs(t, *is_extra)?,
                    TableKind::People => kb.load_people(t, *is_extra)?,
                    TableKind::Roles => kb.load_roles(t)?,
                    TableKind::Metonyms => kb.load_metonyms(t)?,
                    TableKind::Places => kb.load_places(t, *is_extra)?,
                    TableKind::RolePhrases => kb.load_role_phrases(t)?,
                    TableKind::RoleTemplates => kb.load_role_templates(t)?,
                }
            }
        }
        kb.finish_people();
        Ok(kb)
    }

    // ---- queries ----

    /// All entries, in load order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry at `i` (an index from [`Match::entries`]).
    pub fn entry(&self, i: usize) -> Option<&Entry> {
        self.entries.get(i)
    }

    /// The entry of `kind` with `id`.
    pub fn get(&self, kind: Kind, id: &str) -> Option<&Entry> {
        self.by_key
            .get(&(kind, id.to_string()))
            .and_then(|&i| self.entries.get(i))
    }

    pub fn country(&self, iso3: &str) -> Option<&Country> {
        self.country_idx
            .get(iso3)
            .and_then(|&i| self.countries.get(i))
    }

    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.person_idx.get(id).and_then(|&i| self.people.get(i))
    }

    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// How likely a place is the one a bare name means, among places of
    /// that name: the hand-reviewed rows first ("Cataluña"), then by
    /// population (tenfold for a capital), a region without one counting a
    /// tenth of its country's
    /// ("Florida" is the US state, not Uruguay's; "London" the capital,
    /// not Ontario's city).
    pub fn place_weight(&self, e: &Entry) -> u64 {
        if e.kind != Kind::Place {
            return 0;
        }
        if e.id.starts_with("h:") {
            return u64::MAX;
        }
        // a capital is what its name means first ("San José")
        let capital = if e.etype == "CAPITAL" { 10 } else { 1 };
        capital
            * self.place_pop.get(&e.id).copied().unwrap_or_else(|| {
                e.iso3
                    .as_deref()
                    .and_then(|c| self.country(c))
                    .and_then(|c| c.population)
                    .map_or(0, |p| p / 10)
            })
    }

    /// The one person with this surname (folded) who holds an office on
    /// `date` (a role whose CAMEO code is not a former official's, ELI):
    /// "President Bush" in 1990, whose surname alone is no alias.
    pub fn office_holder_by_surname(&self, surname: &str, date: &str) -> Option<&Person> {
        let index = self.surnames.get_or_init(|| {
            let mut m: FxHashMap<String, Vec<usize>> = FxHashMap::default();
            for (i, p) in self.people.iter().enumerate() {
                for n in std::iter::once(&p.name).chain(&p.aliases) {
                    let toks = norm::tokens(n);
                    if let (true, Some(last)) = (toks.len() >= 2, toks.last()) {
                        let v = m.entry(last.folded.to_string()).or_default();
                        if !v.contains(&i) {
                            v.push(i);
                        }
                    }
                }
            }
            m
        });
        let mut holders = index.get(surname)?.iter().filter_map(|&i| {
            let p = self.people.get(i)?;
            p.roles
                .iter()
                .any(|r| r.holds_on(date) && !r.cameo.ends_with("ELI"))
                .then_some(p)
        });
        let one = holders.next()?;
        holders.next().is_none().then_some(one)
    }

    /// Entries named by `alias` (case-insensitive, accents and punctuation
    /// folded; exact-case aliases such as "AP" need their exact case).
    pub fn lookup(&self, alias: &str) -> Vec<&Entry> {
        let mut toks = norm::tokens(alias);
        let out = self.lookup_toks(&toks);
        if out.is_empty() && toks.len() > 1 && is_article(&toks[0].folded) {
            toks.remove(0);
            return self.lookup_toks(&toks);
        }
        out
    }

    /// [`Kb::lookup`] over words already tokenised.
    pub fn lookup_toks(&self, toks: &[norm::Tok]) -> Vec<&Entry> {
        let key = norm::join(toks.iter().map(|t| t.folded.as_str()));
        let mut out: Vec<&Entry> = Vec::new();
        if let Some(refs) = self.refs(&key) {
            for r in refs {
                if let Some(ex) = &r.exact {
                    if !exact_ok(ex, toks) {
                        continue;
                    }
                }
                if let Some(e) = self.entries.get(r.entry) {
                    if !out.iter().any(|o| std::ptr::eq(*o, e)) {
                        out.push(e);
                    }
                }
            }
        }
        out
    }

    /// The country, gender and number a demonym names ("norcoreanas" ->
    /// PRK, feminine, plural). A word two countries share resolves to the
    /// first listed.
    pub fn demonym(&self, word: &str) -> Option<(&str, Gender, Number)> {
        let d = self.demonyms.get(&norm::normalize(word))?.first()?;
        Some((d.iso3.as_str(), d.gender, d.number))
    }

    /// The office and country a phrase names ("el presidente ruso" ->
    /// (PRESIDENT, RUS)); a leading article is ignored.
    pub fn role_phrase(&self, phrase: &str) -> Option<(&str, &str)> {
        let toks = norm::tokens(phrase);
        let skip = match toks.first() {
            Some(t) if toks.len() > 1 && (is_article(&t.folded) || t.folded == "del") => 1,
            _ => 0,
        };
        let key = norm::join(toks.iter().skip(skip).map(|t| t.folded.as_str()));
        let refs = self.refs(&key)?;
        refs.iter().find_map(|r| {
            self.role_defs
                .get(&r.entry)
                .map(|(role, iso3)| (role.as_str(), iso3.as_str()))
        })
    }

    /// Who held `role` in `iso3` on `date` (`YYYY-MM-DD`). `role` is an
    /// office code ([`ROLES`]) or one of [`PHRASE_ROLES`]; PRESIDENT,
    /// PRIME_MINISTER, MONARCH and LEADER fall back on the head of state or
    /// government as the country's system says. When several people match,
    /// the one who took office last wins.
    pub fn role_holder(&self, role: &str, iso3: &str, date: &str) -> Option<&Person> {
        self.role_holders(role, iso3, date)
            .into_iter()
            .next()
            .map(|(p, _)| p)
    }

    /// Every (person, role) matching [`Kb::role_holder`]'s query, latest
    /// appointment first.
    pub fn role_holders(&self, role: &str, iso3: &str, date: &str) -> Vec<(&Person, &Role)> {
        if !valid_date(date) {
            return Vec::new();
        }
        let sel = |pred: &dyn Fn(&Role) -> bool| self.select(iso3, date, pred);
        match role {
            "PRESIDENT" => {
                let v = sel(&|r| PRESIDENT_TITLES.contains(&r.title.as_str()));
                if !v.is_empty() {
                    return v;
                }
                sel(&|r| r.role == "HEAD_OF_STATE" && !MONARCH_TITLES.contains(&r.title.as_str()))
            }
            "PRIME_MINISTER" => {
                let v = sel(&|r| PM_TITLES.contains(&r.title.as_str()));
                if !v.is_empty() {
                    return v;
                }
                sel(&|r| {
                    r.role == "HEAD_OF_GOVERNMENT" && !PRESIDENT_TITLES.contains(&r.title.as_str())
                })
            }
            "MONARCH" => sel(&|r| MONARCH_TITLES.contains(&r.title.as_str())),
            "LEADER" => {
                let v = sel(&|r| r.role == "LEADER");
                if !v.is_empty() {
                    return v;
                }
                let office = match self.country(iso3).map(|c| c.executive) {
                    Some(Executive::HeadOfGovernment) => "HEAD_OF_GOVERNMENT",
                    _ => "HEAD_OF_STATE",
                };
                sel(&|r| r.role == office)
            }
            _ => sel(&|r| r.role == role || r.title == role),
        }
    }

    fn select(
        &self,
        iso3: &str,
        date: &str,
        pred: &dyn Fn(&Role) -> bool,
    ) -> Vec<(&Person, &Role)> {
        let mut v: Vec<(&Person, &Role)> = Vec::new();
        for p in &self.people {
            for r in &p.roles {
                if r.iso3 == iso3 && r.holds_on(date) && pred(r) {
                    v.push((p, r));
                }
            }
        }
        v.sort_by(|a, b| b.1.start.cmp(&a.1.start));
        let mut seen: Vec<&str> = Vec::new();
        v.retain(|(p, _)| {
            if seen.contains(&p.id.as_str()) {
                false
            } else {
                seen.push(p.id.as_str());
                true
            }
        });
        v
    }

    /// Longest-leftmost alias matches over `text`, on word boundaries.
    pub fn find_all(&self, text: &str) -> Vec<Match> {
        self.find_all_in(&norm::tokens(text))
    }

    /// [`Kb::find_all`] over words already split by [`norm::tokens`].
    pub fn find_all_in(&self, toks: &[norm::Tok]) -> Vec<Match> {
        self.find_spans(toks)
            .into_iter()
            .map(|(i, j, entries)| Match {
                start: toks[i].start,
                end: toks[j].end,
                entries,
            })
            .collect()
    }

    /// The matches of [`Kb::find_all_in`] as word indices: (first word,
    /// last word, entries). The words may be borrowed from elsewhere (the
    /// NER's gazetteer keeps each form's words), their offsets are not read.
    pub fn find_spans<T: Borrow<norm::Tok>>(&self, toks: &[T]) -> Vec<(usize, usize, Vec<usize>)> {
        let mut out = Vec::new();
        let mut key = String::new();
        let mut i = 0;
        while i < toks.len() {
            let mut best = self.longest_at(toks, i, &mut key);
            // a name that starts with an article yields to one starting
            // after the article that reaches further: "la Unión Europea" is
            // the EU, not the place "La Unión" followed by "Europea"; "El
            // Salvador" (no longer match after "El") stays whole
            if let Some((j, _)) = &best {
                if is_article(&toks[i].borrow().folded) {
                    if let Some(next) = self.longest_at(toks, i + 1, &mut key) {
                        if next.0 > *j {
                            best = None;
                        }
                    }
                }
            }
            match best {
                Some((j, entries)) => {
                    out.push((i, j, entries));
                    i = j + 1;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The longest alias starting at word `i`: its last word and entries.
    /// `key`: a buffer for the keys tried.
    fn longest_at<T: Borrow<norm::Tok>>(
        &self,
        toks: &[T],
        i: usize,
        key: &mut String,
    ) -> Option<(usize, Vec<usize>)> {
        key.clear();
        let mut best: Option<(usize, Vec<usize>)> = None;
        for j in i..toks.len().min(i + self.max_words) {
            if j > i {
                key.push(' ');
            }
            key.push_str(&toks[j].borrow().folded);
            let Some(found) = self.keys.get(key.as_str()) else {
                break;
            };
            if !found.refs.is_empty() {
                let refs = &found.refs;
                let words = &toks[i..=j];
                let mut ents: Vec<usize> = Vec::new();
                for r in refs {
                    let ok = match &r.exact {
                        Some(ex) => exact_ok(ex, words),
                        None => words
                            .iter()
                            .enumerate()
                            .all(|(k, w)| k >= 64 || r.caps & (1 << k) == 0 || w.borrow().cap),
                    };
                    if ok && !ents.contains(&r.entry) {
                        ents.push(r.entry);
                    }
                }
                if !ents.is_empty() {
                    best = Some((j, ents));
                }
            }
            if !found.prefix {
                break;
            }
        }
        best
    }

    /// Number of distinct normalised aliases.
    pub fn alias_count(&self) -> usize {
        self.aliases
    }

    /// The aliases of a normalised key.
    fn refs(&self, key: &str) -> Option<&Vec<AliasRef>> {
        self.keys
            .get(key)
            .map(|k| &k.refs)
            .filter(|r| !r.is_empty())
    }

    // ---- building ----

    fn add_entry(&mut self, e: Entry, file: &str, line: usize, merge: bool) -> Result<usize> {
        let k = (e.kind, e.id.clone());
        if let Some(&i) = self.by_key.get(&k) {
            if merge {
                return Ok(i);
            }
            return Err(err(file, line, format!("duplicate id `{}`", e.id)));
        }
        self.entries.push(e);
        let i = self.entries.len() - 1;
        self.by_key.insert(k, i);
        Ok(i)
    }

    fn add_alias(&mut self, alias: &str, entry: usize) {
        let (forced, alias) = match alias.strip_prefix('=') {
            Some(a) => (true, a),
            None => (false, alias),
        };
        let mut toks = norm::tokens(alias);
        // a lower-case leading article is not part of the name: "el
        // Kremlin" is indexed as "Kremlin" ("El Cairo" keeps its article)
        if toks.len() > 1 && !toks[0].cap && is_article(&toks[0].folded) {
            toks.remove(0);
        }
        if toks.is_empty() {
            return;
        }
        let exact = forced || acronym(&toks);
        let key = norm::join(toks.iter().map(|t| t.folded.as_str()));
        let exact_key = exact.then(|| norm::join(toks.iter().map(|t| t.cased.as_str())).into());
        let mut caps = 0u64;
        for (k, t) in toks.iter().enumerate().take(64) {
            if t.cap {
                caps |= 1 << k;
            }
        }
        for (pos, _) in key.match_indices(' ') {
            let p = &key[..pos];
            match self.keys.get_mut(p) {
                Some(k) => k.prefix = true,
                None => {
                    self.keys.insert(
                        p.to_string(),
                        Key {
                            refs: Vec::new(),
                            prefix: true,
                        },
                    );
                }
            }
        }
        let refs = &mut self.keys.entry(key).or_default().refs;
        if refs.is_empty() {
            self.aliases += 1;
        }
        if refs
            .iter()
            .any(|r| r.entry == entry && r.caps == caps && r.exact == exact_key)
        {
            return;
        }
        refs.push(AliasRef {
            entry,
            caps,
            exact: exact_key,
        });
        self.max_words = self.max_words.max(toks.len());
    }

    fn check_iso3(&self, t: &Table, line: usize, iso3: &str) -> Result<()> {
        if self.country_idx.contains_key(iso3) {
            Ok(())
        } else {
            Err(err(
                &t.file,
                line,
                format!("unknown iso3 `{iso3}` (not in countries.tsv)"),
            ))
        }
    }

    fn load_countries(&mut self, t: &Table, extra: bool) -> Result<()> {
        for (line, row) in &t.rows {
            let iso3 = t.get(row, "iso3");
            if iso3.len() != 3 || !iso3.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(err(&t.file, *line, format!("bad iso3 `{iso3}`")));
            }
            let exists = self.country_idx.contains_key(iso3);
            if exists && !extra {
                return Err(err(&t.file, *line, format!("duplicate iso3 `{iso3}`")));
            }
            let executive = match t.get(row, "executive") {
                "HOG" => Executive::HeadOfGovernment,
                "LEADER" => Executive::Leader,
                "HOS" | "" => Executive::HeadOfState,
                x => return Err(err(&t.file, *line, format!("bad executive `{x}`"))),
            };
            let name_en = t.get(row, "name_en").to_string();
            let name_es = t.get(row, "name_es").to_string();
            let cameo = non_empty(t.get(row, "cameo")).unwrap_or(iso3).to_string();
            let qid = non_empty(t.get(row, "qid")).map(str::to_string);
            if !exists {
                self.countries.push(Country {
                    iso3: iso3.to_string(),
                    iso2: t.get(row, "iso2").to_string(),
                    name_en: name_en.clone(),
                    name_es: name_es.clone(),
                    capital_en: list(t.get(row, "capital_en")).map(str::to_string).collect(),
                    capital_es: list(t.get(row, "capital_es")).map(str::to_string).collect(),
                    executive,
                    cameo: cameo.clone(),
                    qid: qid.clone(),
                    population: t.get(row, "population").parse().ok(),
                });
                self.country_idx
                    .insert(iso3.to_string(), self.countries.len() - 1);
            }
            let e = self.add_entry(
                Entry {
                    id: iso3.to_string(),
                    kind: Kind::Country,
                    name: if name_en.is_empty() {
                        name_es.clone()
                    } else {
                        name_en.clone()
                    },
                    etype: "COUNTRY".into(),
                    iso3: Some(iso3.to_string()),
                    cameo: Some(cameo.clone()),
                    qid: qid.clone(),
                },
                &t.file,
                *line,
                true,
            )?;
            let mut slots: Vec<(&'static str, String)> = Vec::new();
            for (slot, col) in [("{name_en}", "aliases_en"), ("{name_es}", "aliases_es")] {
                let name = if slot == "{name_en}" {
                    &name_en
                } else {
                    &name_es
                };
                for a in std::iter::once(name.as_str()).chain(list(t.get(row, col))) {
                    self.add_alias(a, e);
                    if !a.is_empty() && !is_exact_alias(a) {
                        slots.push((slot, a.trim_start_matches('=').to_string()));
                    }
                }
            }
            // demonyms: es groups "m,f,mpl,fpl", en groups "adj,plural"
            let d = self.add_entry(
                Entry {
                    id: iso3.to_string(),
                    kind: Kind::Demonym,
                    name: format!("demonym of {}", self.entries[e].name),
                    etype: "DEMONYM".into(),
                    iso3: Some(iso3.to_string()),
                    cameo: Some(cameo.clone()),
                    qid: None,
                },
                &t.file,
                *line,
                true,
            )?;
            for g in list(t.get(row, "demonyms_es")) {
                let f: Vec<&str> = g.split(',').map(str::trim).collect();
                if f.len() != 4 {
                    return Err(err(
                        &t.file,
                        *line,
                        format!("demonym group `{g}` needs m,f,mpl,fpl"),
                    ));
                }
                let same_sg = f[0] == f[1];
                let same_pl = f[2] == f[3];
                let forms = [
                    (f[0], gender(same_sg, Gender::Masculine), Number::Singular),
                    (f[1], gender(same_sg, Gender::Feminine), Number::Singular),
                    (f[2], gender(same_pl, Gender::Masculine), Number::Plural),
                    (f[3], gender(same_pl, Gender::Feminine), Number::Plural),
                ];
                for (w, gd, n) in forms {
                    self.add_demonym(w, iso3, gd, n, d);
                }
                slots.push(("{ms}", f[0].to_string()));
                slots.push(("{fs}", f[1].to_string()));
            }
            for g in list(t.get(row, "demonyms_en")) {
                let mut f = g.split(',').map(str::trim);
                if let Some(adj) = f.next() {
                    self.add_demonym(adj, iso3, Gender::Common, Number::Singular, d);
                    slots.push(("{en}", adj.to_string()));
                }
                if let Some(pl) = f.next() {
                    if !pl.is_empty() {
                        self.add_demonym(pl, iso3, Gender::Common, Number::Plural, d);
                    }
                }
            }
            slots.sort();
            slots.dedup();
            self.slots
                .entry(iso3.to_string())
                .or_default()
                .extend(slots);
        }
        Ok(())
    }

    fn add_demonym(&mut self, word: &str, iso3: &str, g: Gender, n: Number, entry: usize) {
        let key = norm::normalize(word);
        if key.is_empty() {
            return;
        }
        let v = self.demonyms.entry(key).or_default();
        if !v
            .iter()
            .any(|d| d.iso3 == iso3 && d.gender == g && d.number == n)
        {
            v.push(DemonymDef {
                iso3: iso3.to_string(),
                gender: g,
                number: n,
            });
        }
        self.add_alias(word, entry);
    }

    fn load_orgs(&mut self, t: &Table, extra: bool) -> Result<()> {
        for (line, row) in &t.rows {
            let id = t.get(row, "id");
            if id.is_empty() {
                return Err(err(&t.file, *line, "empty id"));
            }
            let iso3 = t.get(row, "iso3");
            if !iso3.is_empty() {
                self.check_iso3(t, *line, iso3)?;
            }
            let name_en = t.get(row, "name_en");
            let name_es = t.get(row, "name_es");
            let e = self.add_entry(
                Entry {
                    id: id.to_string(),
                    kind: Kind::Org,
                    name: name_en.to_string(),
                    etype: t.get(row, "type").to_string(),
                    iso3: non_empty(iso3).map(str::to_string),
                    cameo: non_empty(t.get(row, "cameo")).map(str::to_string),
                    qid: non_empty(t.get(row, "qid")).map(str::to_string),
                },
                &t.file,
                *line,
                extra,
            )?;
            self.org_idx.insert(id.to_string(), e);
            for a in [name_en, name_es]
                .into_iter()
                .chain(list(t.get(row, "aliases")))
            {
                self.add_alias(a, e);
            }
        }
        Ok(())
    }

    fn load_people(&mut self, t: &Table, extra: bool) -> Result<()> {
        for (line, row) in &t.rows {
            let id = t.get(row, "id");
            let name = t.get(row, "name");
            if id.is_empty() || name.is_empty() {
                return Err(err(&t.file, *line, "id and name are required"));
            }
            let qid = non_empty(t.get(row, "qid")).map(str::to_string);
            let aliases: Vec<String> = list(t.get(row, "aliases")).map(str::to_string).collect();
            match self.person_idx.get(id) {
                Some(&pi) if extra => {
                    let p = &mut self.people[pi];
                    for a in &aliases {
                        if !p.aliases.contains(a) {
                            p.aliases.push(a.clone());
                        }
                    }
                    if p.qid.is_none() {
                        p.qid = qid.clone();
                    }
                }
                Some(_) => return Err(err(&t.file, *line, format!("duplicate person `{id}`"))),
                None => {
                    self.people.push(Person {
                        id: id.to_string(),
                        name: name.to_string(),
                        aliases: aliases.clone(),
                        gender: t.get(row, "gender").to_string(),
                        qid: qid.clone(),
                        roles: Vec::new(),
                    });
                    self.person_idx
                        .insert(id.to_string(), self.people.len() - 1);
                }
            }
            let e = self.add_entry(
                Entry {
                    id: id.to_string(),
                    kind: Kind::Person,
                    name: name.to_string(),
                    etype: "PER".into(),
                    iso3: None,
                    cameo: None,
                    qid,
                },
                &t.file,
                *line,
                true,
            )?;
            self.add_alias(name, e);
            for a in &aliases {
                self.add_alias(a, e);
            }
            // a people row may carry one role inline (handy in --kb-extra)
            if !t.get(row, "role").is_empty() {
                let r = self.parse_role(t, *line, row)?;
                if let Some(&pi) = self.person_idx.get(id) {
                    self.people[pi].roles.push(r);
                }
            }
        }
        Ok(())
    }

    fn parse_role(&self, t: &Table, line: usize, row: &[&str]) -> Result<Role> {
        let role = t.get(row, "role");
        if !ROLES.contains(&role) {
            return Err(err(&t.file, line, format!("unknown role `{role}`")));
        }
        let iso3 = t.get(row, "iso3");
        let org = t.get(row, "org");
        if iso3.is_empty() && org.is_empty() {
            return Err(err(&t.file, line, "a role needs iso3 or org"));
        }
        if !iso3.is_empty() {
            self.check_iso3(t, line, iso3)?;
        }
        if !org.is_empty() && !self.org_idx.contains_key(org) {
            return Err(err(&t.file, line, format!("unknown org `{org}`")));
        }
        let start = t.get(row, "start");
        let end = t.get(row, "end");
        if !valid_date(start) {
            return Err(err(&t.file, line, format!("bad start date `{start}`")));
        }
        if !end.is_empty() && (!valid_date(end) || end < start) {
            return Err(err(&t.file, line, format!("bad end date `{end}`")));
        }
        let confidence = match t.get(row, "confidence") {
            "" | "high" => "high",
            "low" => "low",
            x => return Err(err(&t.file, line, format!("bad confidence `{x}`"))),
        };
        let cameo = match non_empty(t.get(row, "cameo")) {
            Some(c) => c.to_string(),
            None if !iso3.is_empty() => format!("{iso3}GOV"),
            None => String::new(),
        };
        let title = non_empty(t.get(row, "title")).unwrap_or(role);
        Ok(Role {
            role: role.to_string(),
            title: title.to_string(),
            title_es: t.get(row, "title_es").to_string(),
            title_en: t.get(row, "title_en").to_string(),
            iso3: iso3.to_string(),
            org: org.to_string(),
            start: start.to_string(),
            end: end.to_string(),
            cameo,
            confidence: confidence.to_string(),
            note: t.get(row, "note").to_string(),
        })
    }

    fn load_roles(&mut self, t: &Table) -> Result<()> {
        for (line, row) in &t.rows {
            let pid = t.get(row, "person");
            let Some(&pi) = self.person_idx.get(pid) else {
                return Err(err(&t.file, *line, format!("unknown person `{pid}`")));
            };
            let r = self.parse_role(t, *line, row)?;
            let p = &mut self.people[pi];
            if p.roles.iter().any(|x| {
                x.role == r.role && x.iso3 == r.iso3 && x.org == r.org && x.start == r.start
            }) {
                return Err(err(&t.file, *line, "duplicate role row"));
            }
            p.roles.push(r);
        }
        Ok(())
    }

    /// Gives each person entry the country and CAMEO code of its current
    /// (or latest) office.
    fn finish_people(&mut self) {
        for p in &self.people {
            let cur = p.roles.iter().max_by(|a, b| {
                let ka = (a.end.is_empty(), a.end.as_str(), a.start.as_str());
                let kb = (b.end.is_empty(), b.end.as_str(), b.start.as_str());
                ka.cmp(&kb)
            });
            if let (Some(r), Some(&i)) = (cur, self.by_key.get(&(Kind::Person, p.id.clone()))) {
                if let Some(e) = self.entries.get_mut(i) {
                    e.iso3 = non_empty(&r.iso3).map(str::to_string);
                    e.cameo = non_empty(&r.cameo).map(str::to_string);
                }
            }
        }
    }

    fn load_metonyms(&mut self, t: &Table) -> Result<()> {
        for (line, row) in &t.rows {
            let alias = t.get(row, "alias");
            let iso3 = t.get(row, "iso3");
            let org = t.get(row, "org");
            let sector = t.get(row, "sector");
            if alias.is_empty() || sector.is_empty() {
                return Err(err(&t.file, *line, "alias and sector are required"));
            }
            let (owner, cameo) = if !iso3.is_empty() {
                self.check_iso3(t, *line, iso3)?;
                (iso3.to_string(), format!("{iso3}{sector}"))
            } else {
                let Some(&oi) = self.org_idx.get(org) else {
                    return Err(err(&t.file, *line, format!("unknown org `{org}`")));
                };
                let c = self.entries[oi].cameo.clone().unwrap_or_default();
                (org.to_string(), c)
            };
            let id = format!("{owner}.{sector}");
            let name = match (self.country(iso3), sector) {
                (Some(c), "GOV") => format!("Government of {}", c.name_en),
                (Some(c), s) => format!("{} ({s})", c.name_en),
                (None, _) => owner.clone(),
            };
            let e = self.add_entry(
                Entry {
                    id,
                    kind: Kind::Metonym,
                    name,
                    etype: sector.to_string(),
                    iso3: non_empty(iso3).map(str::to_string),
                    cameo: Some(cameo),
                    qid: None,
                },
                &t.file,
                *line,
                true,
            )?;
            self.add_alias(alias, e);
        }
        Ok(())
    }

    fn load_places(&mut self, t: &Table, extra: bool) -> Result<()> {
        for (line, row) in &t.rows {
            let id = t.get(row, "id");
            let name = t.get(row, "name");
            let iso3 = t.get(row, "iso3");
            if id.is_empty() || name.is_empty() {
                return Err(err(&t.file, *line, "id and name are required"));
            }
            self.check_iso3(t, *line, iso3)?;
            if let Ok(n) = t.get(row, "population").parse::<u64>() {
                self.place_pop.insert(id.to_string(), n);
            }
            let e = self.add_entry(
                Entry {
                    id: id.to_string(),
                    kind: Kind::Place,
                    name: name.to_string(),
                    etype: t.get(row, "kind").to_string(),
                    iso3: Some(iso3.to_string()),
                    cameo: None,
                    qid: non_empty(t.get(row, "qid")).map(str::to_string),
                },
                &t.file,
                *line,
                extra,
            )?;
            self.add_alias(name, e);
            for a in list(t.get(row, "aliases")) {
                self.add_alias(a, e);
            }
        }
        Ok(())
    }

    fn role_entry(&mut self, role: &str, iso3: &str, file: &str, line: usize) -> Result<usize> {
        let id = format!("{role}.{iso3}");
        let name = format!("{role} of {iso3}");
        let e = self.add_entry(
            Entry {
                id,
                kind: Kind::RolePhrase,
                name,
                etype: role.to_string(),
                iso3: Some(iso3.to_string()),
                cameo: Some(format!("{iso3}GOV")),
                qid: None,
            },
            file,
            line,
            true,
        )?;
        self.role_defs
            .insert(e, (role.to_string(), iso3.to_string()));
        Ok(e)
    }

    fn check_phrase_role(&self, t: &Table, line: usize, role: &str) -> Result<()> {
        if ROLES.contains(&role) || PHRASE_ROLES.contains(&role) {
            Ok(())
        } else {
            Err(err(&t.file, line, format!("unknown role `{role}`")))
        }
    }

    fn load_role_phrases(&mut self, t: &Table) -> Result<()> {
        for (line, row) in &t.rows {
            let phrase = t.get(row, "phrase");
            let role = t.get(row, "role");
            let iso3 = t.get(row, "iso3");
            self.check_phrase_role(t, *line, role)?;
            self.check_iso3(t, *line, iso3)?;
            let e = self.role_entry(role, iso3, &t.file, *line)?;
            self.add_alias(phrase, e);
        }
        Ok(())
    }

    /// Expands templates ("presidente {ms}") over every country's
    /// demonyms and names: {ms}/{fs} Spanish masculine/feminine singular
    /// demonyms, {en} English adjectives, {name_es}/{name_en} names and
    /// (non-acronym) aliases.
    fn load_role_templates(&mut self, t: &Table) -> Result<()> {
        let fill: Vec<(String, Vec<(&'static str, String)>)> = self
            .countries
            .iter()
            .map(|c| {
                let v = self.slots.get(&c.iso3).cloned().unwrap_or_default();
                (c.iso3.clone(), v)
            })
            .collect();
        let mut cache: FxHashMap<(&str, usize), usize> = FxHashMap::default();
        for (line, row) in &t.rows {
            let tpl = t.get(row, "template");
            let role = t.get(row, "role");
            self.check_phrase_role(t, *line, role)?;
            let only: Vec<&str> = list(t.get(row, "only")).collect();
            let except: Vec<&str> = list(t.get(row, "except")).collect();
            for c in only.iter().chain(except.iter()) {
                self.check_iso3(t, *line, c)?;
            }
            let slot = ["{ms}", "{fs}", "{en}", "{name_es}", "{name_en}"]
                .into_iter()
                .find(|s| tpl.contains(s))
                .ok_or_else(|| err(&t.file, *line, "template has no slot"))?;
            for (ci, (iso3, v)) in fill.iter().enumerate() {
                if (!only.is_empty() && !only.contains(&iso3.as_str()))
                    || except.contains(&iso3.as_str())
                {
                    continue;
                }
                for (s, word) in v {
                    if *s != slot || word.is_empty() {
                        continue;
                    }
                    let ei = match cache.get(&(role, ci)) {
                        Some(&ei) => ei,
                        None => {
                            let ei = self.role_entry(role, iso3, &t.file, *line)?;
                            cache.insert((role, ci), ei);
                            ei
                        }
                    };
                    self.add_alias(&tpl.replace(slot, word), ei);
                }
            }
        }
        Ok(())
    }
}

fn is_article(w: &str) -> bool {
    matches!(w, "el" | "la" | "los" | "las" | "the" | "al" | "lo")
}

/// All capitals with at most five letters ("AP", "EE.UU.", "G20").
fn acronym(toks: &[norm::Tok]) -> bool {
    let letters: usize = toks
        .iter()
        .map(|t| t.cased.chars().filter(|c| c.is_alphabetic()).count())
        .sum();
    let all_upper = toks.iter().all(|t| {
        t.cased
            .chars()
            .all(|c| !c.is_alphabetic() || c.is_uppercase())
    });
    letters > 0 && letters <= 5 && all_upper
}

/// Whether an alias matches only in its exact case (see the module docs).
fn is_exact_alias(a: &str) -> bool {
    a.starts_with('=') || acronym(&norm::tokens(a))
}

fn gender(same: bool, g: Gender) -> Gender {
    if same {
        Gender::Common
    } else {
        g
    }
}

fn non_empty(s: &str) -> Option<&str> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

/// An exact-case alias matches its own case, or a text written all in
/// capitals (headlines).
fn exact_ok<T: Borrow<norm::Tok>>(exact: &str, words: &[T]) -> bool {
    let cased = norm::join(words.iter().map(|w| w.borrow().cased.as_str()));
    cased == exact
        || words.iter().all(|w| {
            let w = w.borrow();
            w.upper || !w.cased.chars().any(char::is_alphabetic)
        })
}

#[cfg(test)]
mod tests;
