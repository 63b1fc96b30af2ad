//! `dateline eval ...`: per-stage measurements against gold data. Every
//! command accepts `--json` and then prints one JSON object whose shares and
//! rates are percentages (0-100).

use anyhow::{bail, Context, Result};
use dateline_html::eval::{average, score, Score};
use dateline_read::{read_bytes, ReadOptions};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Subcommand)]
pub enum EvalCommand {
    /// HTML main-text extraction against the article-extraction-benchmark
    /// layout: token precision, recall and F1 per page, averaged over pages
    /// (as ../shared/peers/eval_extract.py computes them).
    Boilerplate {
        /// Folder of pages named `<id>.html` or `<id>.html.gz`.
        #[arg(long)]
        html: PathBuf,
        /// JSON object mapping each id to `{"articleBody": ...}`.
        #[arg(long)]
        gold: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Also print each page's scores (with --json: a `pages` array).
        #[arg(long)]
        per_page: bool,
    },
    /// Time expressions against TIMEX3 gold: xtn BIO+value `.tsv` or TimeML
    /// `.tml` (a file or a directory). TempEval-3 figures: strict and relaxed
    /// extent P/R/F1, type accuracy, value P/R/F1.
    Timex {
        /// Gold file or directory.
        #[arg(long)]
        gold: PathBuf,
        /// Print one JSON object (percentages 0-100).
        #[arg(long)]
        json: bool,
        /// Language of the documents (es|en); detected per document when absent.
        #[arg(long)]
        lang: Option<String>,
        /// Anchor date (YYYY-MM-DD) for documents without one (HourGlass: 2019-12-20).
        #[arg(long)]
        dct: Option<String>,
        /// Score a peer's JSONL output (the HeidelTime batch runner's format)
        /// instead of running the tagger; ids are those of --export-txt.
        #[arg(long)]
        system: Option<PathBuf>,
        /// Write the gold texts as dateline files (`date YYYY-MM-DD` + text)
        /// into this folder, for a peer to tag, and stop.
        #[arg(long)]
        export_txt: Option<PathBuf>,
        /// List misses, spurious and mismatched timexes on stderr.
        #[arg(long)]
        errors: bool,
    },
    /// UPOS tagging against a UD treebank: from raw text (CoNLL 2018
    /// metrics) and on the gold words.
    Tagger {
        /// Gold CoNLL-U file.
        #[arg(long)]
        gold: PathBuf,
        /// Tagger model (from `dateline train tagger`).
        #[arg(long)]
        model: PathBuf,
        /// The lexicon the model was trained with.
        #[arg(long)]
        lexicon: Option<PathBuf>,
        /// Lemmatiser model (from `dateline train lemmatizer`): lemmas are scored too.
        #[arg(long)]
        lemmatizer: Option<PathBuf>,
        /// Feature model (from `dateline train feats`): UFeats are scored
        /// too (it reads the lemmatiser's lemmas).
        #[arg(long, requires = "lemmatizer")]
        feats: Option<PathBuf>,
        /// Language conventions (es, en); detected when absent.
        #[arg(long)]
        lang: Option<String>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Tokens and sentences against a UD treebank (CoNLL 2018 metrics).
    Tokenize {
        /// Gold CoNLL-U file; the system reads its raw text.
        #[arg(long)]
        gold: PathBuf,
        /// Score this system CoNLL-U file (another tool's output on the same
        /// raw text, e.g. scripts/peer_ud.py) instead of our tokeniser.
        #[arg(long)]
        system: Option<PathBuf>,
        /// Language conventions (es, en); detected when absent.
        #[arg(long)]
        lang: Option<String>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Dependency parsing (UAS, LAS, CoNLL 2018 metrics) against a UD
    /// treebank, from raw text or on the gold words.
    Parser(crate::eval_parser::Args),
    /// Named entities against CoNLL column gold (conlleval P/R/F1 per type).
    Ner(crate::eval_ner::Args),
    /// Political events against gold-coded sentences (UD-PETRARCH
    /// validation XML or PLOVER GSR JSON): correct, missed, spurious, P/R/F1.
    Events(crate::eval_events::Args),
    /// Entity linking against a JSON Lines gold file of mentions and the
    /// entities they name: accuracy.
    Link(crate::eval_link::Args),
}

pub fn run(cmd: EvalCommand) -> Result<ExitCode> {
    match cmd {
        EvalCommand::Boilerplate {
            html,
            gold,
            json,
            per_page,
        } => boilerplate(&html, &gold, json, per_page),
        EvalCommand::Timex {
            gold,
            json,
            lang,
            dct,
            system,
            export_txt,
            errors,
        } => crate::eval_timex::eval_timex(crate::eval_timex::TimexArgs {
            gold: &gold,
            json,
            lang: lang.as_deref(),
            dct: dct.as_deref(),
            system: system.as_deref(),
            export_txt: export_txt.as_deref(),
            errors,
        }),
        EvalCommand::Tagger {
            gold,
            model,
            lexicon,
            lemmatizer,
            feats,
            lang,
            json,
        } => crate::eval_ud::tagger(
            &gold,
            &model,
            lexicon.as_deref(),
            lemmatizer.as_deref(),
            feats.as_deref(),
            lang.as_deref(),
            json,
        ),
        EvalCommand::Tokenize {
            gold,
            system,
            lang,
            json,
        } => crate::eval_ud::tokenize(&gold, system.as_deref(), lang.as_deref(), json),
        EvalCommand::Parser(args) => crate::eval_parser::run(args),
        EvalCommand::Ner(args) => crate::eval_ner::run(args),
        EvalCommand::Events(args) => crate::eval_events::run(args),
        EvalCommand::Link(args) => crate::eval_link::run(args),
    }
}

fn page_id(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let id = name.strip_suffix(".gz").unwrap_or(name);
    let id = id
        .strip_suffix(".html")
        .or_else(|| id.strip_suffix(".htm"))?;
    Some(id.to_string())
}

fn boilerplate(dir: &Path, gold_path: &Path, as_json: bool, per_page: bool) -> Result<ExitCode> {
    let gold_text = std::fs::read_to_string(gold_path)
        .with_context(|| format!("reading {}", gold_path.display()))?;
    let gold: Value = serde_json::from_str(&gold_text)
        .with_context(|| format!("parsing {}", gold_path.display()))?;
    let Some(gold) = gold.as_object() else {
        bail!(
            "{}: expected a JSON object keyed by page id",
            gold_path.display()
        );
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| page_id(p).is_some())
        .collect();
    files.sort();
    let opts = ReadOptions::default();
    let mut scores: Vec<Score> = Vec::new();
    let mut rows = Vec::new();
    let mut missing = 0usize;
    let mut bytes_total = 0usize;
    let mut elapsed = 0f64;
    for f in &files {
        let Some(id) = page_id(f) else { continue };
        let Some(body) = gold
            .get(&id)
            .and_then(|g| g.get("articleBody"))
            .and_then(Value::as_str)
        else {
            missing += 1;
            continue;
        };
        let bytes = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
        bytes_total += bytes.len();
        let t = Instant::now();
        let docs = read_bytes(&bytes, f, &opts);
        elapsed += t.elapsed().as_secs_f64();
        let pred = docs
            .into_iter()
            .filter_map(|d| d.ok())
            .map(|d| d.body)
            .next()
            .unwrap_or_default();
        let s = score(&pred, body);
        rows.push(json!({"id": id, "precision": pct(s.precision), "recall": pct(s.recall), "f1": pct(s.f1)}));
        scores.push(s);
    }
    if scores.is_empty() {
        bail!(
            "no page of {} has a gold text in {}",
            dir.display(),
            gold_path.display()
        );
    }
    let avg = average(&scores);
    let docs_per_s = scores.len() as f64 / elapsed.max(1e-9);
    if as_json {
        let mut out = json!({
            "eval": "boilerplate",
            "pages": scores.len(),
            "pages_without_gold": missing,
            "precision": pct(avg.precision),
            "recall": pct(avg.recall),
            "f1": pct(avg.f1),
            "docs_per_s": round(docs_per_s, 1),
            "input_mb": round(bytes_total as f64 / 1e6, 3),
        });
        if per_page {
            out["pages_detail"] = Value::Array(rows);
        }
        println!("{out}");
    } else {
        if per_page {
            for r in &rows {
                println!(
                    "{}\t{}\t{}\t{}",
                    r["id"], r["precision"], r["recall"], r["f1"]
                );
            }
        }
        println!("pages      {}", scores.len());
        println!("precision  {:.2}", pct(avg.precision));
        println!("recall     {:.2}", pct(avg.recall));
        println!("F1         {:.2}", pct(avg.f1));
        println!(
            "docs/s     {docs_per_s:.1} (reading from memory + decoding + extraction, one thread)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn pct(x: f64) -> f64 {
    round(x * 100.0, 2)
}

fn round(x: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    (x * m).round() / m
}
