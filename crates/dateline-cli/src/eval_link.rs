//! `dateline eval link`: entity linking against a JSON Lines gold file.
//!
//! Each line is `{"date", "lang", "text", "mentions": [{"text", "entity"}]}`:
//! the first occurrence of a mention's `text` in the document (searched
//! after the previous gold mention, so repeated names can be told apart by
//! giving a little right context, "Zelenski se") must overlap a mention of
//! an entity whose canonical `name` is `entity`. Accuracy is the share of
//! gold mentions linked right.

use anyhow::{bail, Context, Result};
use dateline_core::{Doc, RawDoc, Source};
use serde::Deserialize;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Gold JSON Lines file.
    #[arg(long)]
    pub gold: PathBuf,
    /// Print one JSON object (percentages 0-100).
    #[arg(long)]
    pub json: bool,
    /// List the wrong links on stderr.
    #[arg(long)]
    pub errors: bool,
}

#[derive(Deserialize)]
struct GoldMention {
    text: String,
    entity: String,
}

#[derive(Deserialize)]
struct GoldDoc {
    date: Option<String>,
    lang: Option<String>,
    text: String,
    mentions: Vec<GoldMention>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let raw = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("{}: cannot read", args.gold.display()))?;
    let pipeline = dateline_pipeline::default_pipeline()?;
    let (mut total, mut right, mut docs) = (0usize, 0usize, 0usize);
    for (n, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let g: GoldDoc = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a gold record", args.gold.display(), n + 1))?;
        docs += 1;
        let mut doc = Doc::from_raw(RawDoc {
            source: Source::default(),
            title: None,
            date: g.date.clone(),
            lang: g.lang.clone(),
            body: g.text.clone(),
            diagnostics: Vec::new(),
        });
        pipeline.run(&mut doc);
        let mut from = 0;
        for m in &g.mentions {
            total += 1;
            let Some(rel) = doc.text.get(from..).and_then(|t| t.find(&m.text)) else {
                if args.errors {
                    eprintln!("line {}: {:?} not in the text", n + 1, m.text);
                }
                continue;
            };
            let (s, e) = (from + rel, from + rel + m.text.len());
            from = s + 1;
            while !doc.text.is_char_boundary(from) && from < doc.text.len() {
                from += 1;
            }
            let got: Vec<&str> = doc
                .entities
                .iter()
                .filter(|x| {
                    x.mentions
                        .iter()
                        .any(|mm| mm.span.start() < e && s < mm.span.end())
                })
                .map(|x| x.name.as_str())
                .collect();
            if got.contains(&m.entity.as_str()) {
                right += 1;
            } else if args.errors {
                eprintln!(
                    "line {}: {:?} should be {:?}, got {:?}",
                    n + 1,
                    m.text,
                    m.entity,
                    got
                );
            }
        }
    }
    if total == 0 {
        bail!("{}: no gold mentions", args.gold.display());
    }
    let acc = (10000.0 * right as f64 / total as f64).round() / 100.0;
    let out = json!({"documents": docs, "mentions": total, "correct": right, "accuracy": acc});
    if args.json {
        println!("{out}");
    } else {
        println!("{docs} documents, {total} mentions: {right} linked right, accuracy {acc}%");
    }
    Ok(ExitCode::SUCCESS)
}
