//! Trigger lexicons (`data/events/triggers-{es,en}.tsv`) and the CAMEO ->
//! PLOVER table (`data/events/cameo.tsv`), parsed at load time.

use crate::kb::norm;
use crate::{Error, Result};
use rustc_hash::{FxHashMap, FxHashSet};

const TRIGGERS_ES: &str = include_str!("../../data/events/triggers-es.tsv");
const TRIGGERS_EN: &str = include_str!("../../data/events/triggers-en.tsv");
const CAMEO: &str = include_str!("../../data/events/cameo.tsv");

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Word(String),
    Class(String),
}

/// A trigger pattern: its first word, then parts that must follow.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub parts: Vec<Part>,
    pub cameo: String,
    /// Only when the first word is not tagged as a verb.
    pub noun_only: bool,
    /// Not when the word before the trigger is this one ("en marcha").
    pub not_after: Option<String>,
    /// Only when one of the two words before the trigger is this one
    /// ("se enfrentaron").
    pub only_after: Option<String>,
    /// Only when the subject is a crowd ("miles de personas se reunieron").
    pub crowd: bool,
    /// Only when the subject is armed: forces or weapons ("Russian drones
    /// struck a hospital", not "struck a deal").
    pub armed: bool,
    /// A verb only with a personal object ("detuvo a X", "fueron
    /// detenidos"), not a thing ("detener el proceso").
    pub person_obj: bool,
    /// A class slot must be the first noun after the trigger.
    pub object_slot: bool,
    /// Only when the word is tagged as a verb ("free" the prisoners, not
    /// a "free market").
    pub verb_only: bool,
    /// Not when what is done to is a text, a figure or a product ("release
    /// prisoners", not "released a report" or "the report released").
    pub not_document: bool,
    /// A verb only with a person it is done to: an object with "a"
    /// ("desaparecieron al líder"), an object pronoun ("lo ejecutaron") or
    /// a passive ("fueron ejecutados"); not "el niño desapareció",
    /// "ejecutar el plan".
    pub victim: bool,
}

/// The triggers of one language.
#[derive(Debug, Default)]
pub struct Triggers {
    /// folded first word -> patterns, longest first
    pub by_first: FxHashMap<String, Vec<Pattern>>,
    pub classes: FxHashMap<String, FxHashSet<String>>,
    /// Forms already read by the events stage's verb guesser (a pure
    /// function of the form and these triggers), with what it found:
    /// news repeat their verbs. Emptied when full.
    pub guesses: std::sync::Mutex<FxHashMap<String, Option<String>>>,
}

impl Triggers {
    pub fn builtin(lang: &str) -> Result<Triggers> {
        if lang == "en" {
            Triggers::parse("triggers-en.tsv", TRIGGERS_EN)
        } else {
            Triggers::parse("triggers-es.tsv", TRIGGERS_ES)
        }
    }

    pub fn parse(file: &str, text: &str) -> Result<Triggers> {
        let mut t = Triggers::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 2 {
                return Err(Error::Data(format!(
                    "{file}:{}: expected pattern<TAB>code",
                    n + 1
                )));
            }
            if let Some(name) = cols[0].strip_prefix('@') {
                let set = cols[1].split('|').map(norm::normalize).collect();
                t.classes.insert(name.to_string(), set);
                continue;
            }
            let parts: Vec<Part> = cols[0]
                .split_whitespace()
                .map(|w| match w.strip_prefix('@') {
                    Some(c) => Part::Class(c.to_string()),
                    None => Part::Word(norm::normalize(w)),
                })
                .collect();
            let code = cols[1].trim();
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
                return Err(Error::Data(format!(
                    "{file}:{}: bad CAMEO code `{code}`",
                    n + 1
                )));
            }
            let note = cols.get(2).copied().unwrap_or("");
            let first = match parts.first() {
                Some(Part::Word(w)) => w.clone(),
                _ => {
                    return Err(Error::Data(format!(
                        "{file}:{}: a pattern starts with a word",
                        n + 1
                    )))
                }
            };
            let not_after = note
                .split("not after ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .map(norm::normalize);
            let only_after = note
                .split("only after ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .map(norm::normalize);
            t.by_first.entry(first).or_default().push(Pattern {
                parts,
                cameo: code.to_string(),
                noun_only: note.contains("noun only"),
                not_after,
                only_after,
                crowd: note.contains("crowd subject"),
                armed: note.contains("armed subject"),
                person_obj: note.contains("person object"),
                object_slot: note.contains("object slot"),
                verb_only: note.contains("verb only"),
                not_document: note.contains("not a document"),
                victim: note.contains("victim object"),
            });
        }
        for (name, v) in &t.by_first {
            for p in v {
                for part in &p.parts {
                    if let Part::Class(c) = part {
                        if !t.classes.contains_key(c) {
                            return Err(Error::Data(format!(
                                "{file}: pattern `{name}` uses undefined class @{c}"
                            )));
                        }
                    }
                }
            }
        }
        for v in t.by_first.values_mut() {
            v.sort_by_key(|p| std::cmp::Reverse(p.parts.len()));
        }
        Ok(t)
    }
}

/// PLOVER type, mode and context of CAMEO codes.
#[derive(Debug, Default)]
pub struct Cameo {
    rows: FxHashMap<String, (String, String, String)>,
}

impl Cameo {
    pub fn builtin() -> Result<Cameo> {
        let mut rows = FxHashMap::default();
        for (n, line) in CAMEO.lines().enumerate() {
            if line.starts_with('#') || line.starts_with("code\t") || line.trim().is_empty() {
                continue;
            }
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 4 {
                return Err(Error::Data(format!("cameo.tsv:{}: too few columns", n + 1)));
            }
            // the first row of a code wins (08 is listed under CONCEDE and RETREAT)
            rows.entry(c[0].to_string())
                .or_insert_with(|| (c[1].to_string(), c[2].to_string(), c[3].to_string()));
        }
        Ok(Cameo { rows })
    }

    /// (PLOVER type, mode) of a code, falling back on shorter prefixes.
    pub fn plover(&self, code: &str) -> Option<(&str, Option<&str>)> {
        let mut k = code;
        loop {
            if let Some((t, m, _)) = self.rows.get(k) {
                let mode = (!m.is_empty()).then_some(m.as_str());
                return Some((t.as_str(), mode));
            }
            if k.len() <= 2 {
                return None;
            }
            k = &k[..k.len() - 1];
        }
    }
}

/// Quad class of a CAMEO code: 1 verbal cooperation (01-05), 2 material
/// cooperation (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20).
pub fn quad(code: &str) -> Option<u8> {
    let root: u8 = code.get(..2)?.parse().ok()?;
    Some(match root {
        1..=5 => 1,
        6..=8 => 2,
        9..=13 => 3,
        14..=20 => 4,
        _ => return None,
    })
}

/// Goldstein score of a CAMEO code's root event class, as in the Goldstein
/// table GDELT publishes for CAMEO (root-level values; sub-codes share
/// their root's value here).
pub fn goldstein(code: &str) -> Option<f32> {
    let root: u8 = code.get(..2)?.parse().ok()?;
    Some(match root {
        1 => 0.0,
        2 => 3.0,
        3 => 4.0,
        4 => 1.0,
        5 => 3.5,
        6 => 6.0,
        7 => 7.0,
        8 => 5.0,
        9 => -2.0,
        10 => -5.0,
        11 => -2.0,
        12 => -4.0,
        13 => -6.0,
        14 => -6.5,
        15 => -7.2,
        16 => -4.0,
        17 => -7.0,
        18 => -9.0,
        19 => -10.0,
        20 => -10.0,
        _ => return None,
    })
}
