//! `dateline eval events`: event coding against gold-coded sentences, the
//! UD-PETRARCH validation XML (`<Sentence>` records with `<EventCoding>`)
//! or the PLOVER gold-standard records (a JSON array).
//!
//! Per record (sentence) a gold event is found when an unused predicted
//! event of that record has the same PLOVER type or the same CAMEO root
//! code and, where the gold names them, the same source and target
//! country (the first three letters of the CAMEO actor codes). Type names
//! of earlier PLOVER drafts are read under their 2021 names (DEMAND =
//! REQUEST, DISAPPROVE and INVESTIGATE = ACCUSE, FIGHT = ASSAULT,
//! SACTION = SANCTION). `crosswalk_2018` adds one more equivalence the
//! 2018-draft Spanish protest annotation needs: its MOBILIZE marks mass
//! mobilisations (marches, strikes), which PLOVER 2021 codes as PROTEST.

use anyhow::{bail, Context, Result};
use dateline_core::{Doc, RawDoc, Source};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Gold file: UD-PETRARCH validation `.xml` or PLOVER GSR JSON.
    #[arg(long)]
    pub gold: PathBuf,
    /// Print one JSON object (percentages 0-100).
    #[arg(long)]
    pub json: bool,
    /// Language of the sentences (es|en); detected per record when absent.
    #[arg(long)]
    pub lang: Option<String>,
    /// List missed and spurious events per record on stderr.
    #[arg(long)]
    pub errors: bool,
    /// With --errors: list them under the 2018-draft crosswalk.
    #[arg(long)]
    pub crosswalk: bool,
    /// With --errors: list every record, the found events too.
    #[arg(long)]
    pub all: bool,
    /// With --errors: print the parse of each listed record (form, UPOS,
    /// lemma, head, relation).
    #[arg(long)]
    pub parse: bool,
}

struct GoldEvent {
    plover: Option<String>,
    cameo: Option<String>,
    source: Vec<String>,
    target: Vec<String>,
    /// The annotated trigger, source and target text (error listing only).
    note: Option<String>,
}

struct Record {
    id: String,
    date: Option<String>,
    text: String,
    events: Vec<GoldEvent>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!("{name}=\"");
    let i = tag.find(&pat)? + pat.len();
    let j = tag[i..].find('"')? + i;
    Some(unescape(&tag[i..j]))
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn actor_code(c: Option<String>) -> Vec<String> {
    match c {
        Some(c) if !c.is_empty() && !c.starts_with("---") => vec![c.chars().take(3).collect()],
        _ => Vec::new(),
    }
}

fn read_xml(text: &str) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    for chunk in text.split("<Sentence ").skip(1) {
        let head_end = chunk.find('>').context("unterminated <Sentence>")?;
        let head = &chunk[..head_end];
        let id = attr(head, "id").unwrap_or_default();
        let date = attr(head, "date")
            .filter(|d| d.len() == 8)
            .map(|d| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]));
        let body = chunk.split("</Sentence>").next().unwrap_or(chunk);
        let text = match (body.find("<Text>"), body.find("</Text>")) {
            (Some(a), Some(b)) if b > a => unescape(body[a + 6..b].trim()),
            _ => continue,
        };
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut events = Vec::new();
        for ec in body.split("<EventCoding ").skip(1) {
            let tag = ec.split('>').next().unwrap_or("");
            if attr(tag, "noevents").is_some() {
                continue;
            }
            // the <EventText> of the same eid: trigger, source, target
            let eid = attr(tag, "eid");
            let note = body
                .split("<EventText ")
                .skip(1)
                .map(|t| t.split('>').next().unwrap_or(""))
                .find(|t| eid.is_some() && attr(t, "eid") == eid)
                .map(|t| {
                    format!(
                        "\"{}\" [{}] -> [{}]",
                        attr(t, "eventtext").unwrap_or_default(),
                        attr(t, "sourcetext").unwrap_or_default(),
                        attr(t, "targettext").unwrap_or_default()
                    )
                });
            events.push(GoldEvent {
                plover: attr(tag, "plover"),
                cameo: attr(tag, "eventcode"),
                source: actor_code(attr(tag, "sourcecode")),
                target: actor_code(attr(tag, "targetcode")),
                note,
            });
        }
        out.push(Record {
            id,
            date,
            text,
            events,
        });
    }
    Ok(out)
}

fn codes(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.get("code").and_then(Value::as_str))
            .flat_map(|c| actor_code(Some(c.to_string())))
            .collect(),
        _ => Vec::new(),
    }
}

fn read_gsr(text: &str) -> Result<Vec<Record>> {
    let v: Value = serde_json::from_str(text).context("not a JSON array of records")?;
    let Some(arr) = v.as_array() else {
        bail!("expected a JSON array of records");
    };
    let mut out = Vec::new();
    for r in arr {
        let ev = r.get("event").and_then(Value::as_str).unwrap_or("");
        let Some(text) = r.get("text").and_then(Value::as_str) else {
            continue;
        };
        if ev.is_empty() || ev == "DOCUMENT" {
            continue;
        }
        out.push(Record {
            id: r
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            date: r.get("date").and_then(Value::as_str).map(str::to_string),
            text: text.to_string(),
            events: vec![GoldEvent {
                plover: Some(ev.to_string()),
                cameo: None,
                source: codes(r.get("source")),
                target: codes(r.get("target")),
                note: None,
            }],
        });
    }
    Ok(out)
}

/// The 2021 name of a PLOVER type of an earlier draft.
fn plover_2021(t: &str) -> &str {
    match t {
        "DEMAND" => "REQUEST",
        "DISAPPROVE" | "INVESTIGATE" => "ACCUSE",
        "FIGHT" => "ASSAULT",
        "SACTION" => "SANCTION",
        other => other,
    }
}

struct Pred {
    etype: String,
    cameo: String,
    actors: Vec<String>,
    recipients: Vec<String>,
}

fn side(p: &dateline_core::Participant) -> Vec<String> {
    std::iter::once(p)
        .chain(p.with.iter())
        .filter_map(|x| x.code.as_ref())
        .map(|c| c.chars().take(3).collect())
        .collect()
}

fn matches(g: &GoldEvent, p: &Pred, crosswalk: bool) -> bool {
    let gt = g.plover.as_deref().map(plover_2021);
    let type_ok = gt == Some(p.etype.as_str())
        || g.cameo.as_deref().and_then(|c| c.get(..2)) == p.cameo.get(..2)
        || crosswalk && gt == Some("MOBILIZE") && p.etype == "PROTEST";
    let src_ok = g.source.is_empty() || g.source.iter().any(|s| p.actors.contains(s));
    let tgt_ok = g.target.is_empty() || g.target.iter().any(|s| p.recipients.contains(s));
    type_ok && src_ok && tgt_ok
}

#[derive(Default)]
struct Tally {
    records: usize,
    correct: usize,
    gold: usize,
    pred: usize,
    found: usize,
    spurious: usize,
}

impl Tally {
    fn json(&self) -> Value {
        let pct = |a: usize, b: usize| {
            if b == 0 {
                0.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        let p = pct(self.pred - self.spurious, self.pred);
        let r = pct(self.found, self.gold);
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        json!({
            "correct": round(pct(self.correct, self.records)),
            "missed": round(pct(self.gold - self.found, self.gold)),
            "spurious": round(pct(self.spurious, self.records)),
            "precision": round(p),
            "recall": round(r),
            "f1": round(f),
        })
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn score(rec: &Record, preds: &[Pred], crosswalk: bool, t: &mut Tally) -> (Vec<usize>, Vec<usize>) {
    let mut used = vec![false; preds.len()];
    let mut missed = Vec::new();
    for (gi, g) in rec.events.iter().enumerate() {
        let hit = preds
            .iter()
            .enumerate()
            .find(|(i, p)| !used[*i] && matches(g, p, crosswalk))
            .map(|(i, _)| i);
        match hit {
            Some(i) => {
                used[i] = true;
                t.found += 1;
            }
            None => missed.push(gi),
        }
    }
    // a prediction of an already-found type that names the same event
    // again is still spurious: every prediction must match its own gold
    let spurious: Vec<usize> = (0..preds.len()).filter(|&i| !used[i]).collect();
    t.records += 1;
    t.gold += rec.events.len();
    t.pred += preds.len();
    t.spurious += spurious.len();
    let all_found = missed.is_empty() && (!rec.events.is_empty() || preds.is_empty());
    if all_found {
        t.correct += 1;
    }
    (missed, spurious)
}

pub fn run(args: Args) -> Result<ExitCode> {
    let raw = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("{}: cannot read", args.gold.display()))?;
    let records = if raw.trim_start().starts_with('[') {
        read_gsr(&raw)
    } else {
        read_xml(&raw)
    }
    .with_context(|| format!("{}: cannot parse", args.gold.display()))?;
    if records.is_empty() {
        bail!("{}: no records", args.gold.display());
    }
    let pipeline = dateline_pipeline::default_pipeline()?;
    let started = Instant::now();
    let mut strict = Tally::default();
    let mut cross = Tally::default();
    for rec in &records {
        let mut doc = Doc::from_raw(RawDoc {
            source: Source::default(),
            title: None,
            date: rec.date.clone(),
            lang: args.lang.clone(),
            body: rec.text.clone(),
            diagnostics: Vec::new(),
        });
        pipeline.run(&mut doc);
        let preds: Vec<Pred> = doc
            .events
            .iter()
            .map(|e| Pred {
                etype: e.etype.clone(),
                cameo: e.cameo.clone().unwrap_or_default(),
                actors: side(&e.actor),
                recipients: side(&e.recipient),
            })
            .collect();
        let (m1, s1) = score(rec, &preds, false, &mut strict);
        let (m2, s2) = score(rec, &preds, true, &mut cross);
        let (missed, spurious) = if args.crosswalk { (m2, s2) } else { (m1, s1) };
        if args.errors && (args.all || !missed.is_empty() || !spurious.is_empty()) {
            eprintln!("== {} {}", rec.id, rec.text);
            if args.parse {
                let words: Vec<String> = doc
                    .words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| {
                        format!(
                            "{}/{}/{}/{}/{}",
                            doc.word_form(i),
                            w.upos,
                            w.lemma,
                            w.head,
                            w.deprel
                        )
                    })
                    .collect();
                eprintln!("  parse {}", words.join(" "));
            }
            for &g in &missed {
                let g = &rec.events[g];
                eprintln!(
                    "  missed   {} {} {:?} -> {:?} {}",
                    g.plover.as_deref().unwrap_or("-"),
                    g.cameo.as_deref().unwrap_or("-"),
                    g.source,
                    g.target,
                    g.note.as_deref().unwrap_or("")
                );
            }
            for (i, p) in preds.iter().enumerate() {
                let Some(e) = doc.events.get(i) else { continue };
                let tag = if spurious.contains(&i) {
                    "spurious"
                } else {
                    "found   "
                };
                eprintln!(
                    "  {tag} {} {} {:?} -> {:?} ({}) conf {:.2}",
                    p.etype,
                    p.cameo,
                    p.actors,
                    p.recipients,
                    e.trigger.slice(&doc.text),
                    e.confidence
                );
            }
            let ents: Vec<String> = doc
                .entities
                .iter()
                .map(|e| {
                    let code = e.kb.as_ref().and_then(|k| k.code.as_deref());
                    format!("{}={}", e.name, code.unwrap_or("-"))
                })
                .collect();
            eprintln!("  entities {}", ents.join(" | "));
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let mut out = strict.json();
    if let Some(o) = out.as_object_mut() {
        o.insert("records".into(), json!(strict.records));
        o.insert("gold_events".into(), json!(strict.gold));
        o.insert("predicted_events".into(), json!(strict.pred));
        o.insert(
            "comparison".into(),
            json!("PLOVER type (2021 names) or CAMEO root, plus source/target country where the gold names them"),
        );
        o.insert("crosswalk_2018".into(), cross.json());
        o.insert("seconds".into(), json!(round(secs)));
    }
    if args.json {
        println!("{out}");
    } else {
        println!(
            "records {}  gold events {}  predicted {}",
            strict.records, strict.gold, strict.pred
        );
        for (name, v) in [("strict", strict.json()), ("crosswalk_2018", cross.json())] {
            println!(
                "{name:>15}: correct {}%  missed {}%  spurious {}  P {} R {} F1 {}",
                v["correct"], v["missed"], v["spurious"], v["precision"], v["recall"], v["f1"]
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
