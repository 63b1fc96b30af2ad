//! dateline-pipeline: the analysis stages, one module each.
//!
//! Design choice: stages are small structs implementing
//! [`dateline_core::Stage`]; each module owns its rules and models (as data
//! files under `data/`), and [`default_pipeline`] lists them in order. A stage
//! is built once (rules compiled, models loaded) and shared across threads.

pub mod clean;
pub mod entities;
pub mod error;
pub mod events;
pub mod feats;
pub mod kb;
pub mod lang;
pub mod lemma;
pub mod lexicon;
pub mod ml;
pub mod ner;
pub mod parse;
pub mod parser;
pub mod quantity;
pub mod shared;
pub mod tagger;
pub mod tags;
pub mod text;
pub mod time;

pub use error::{Error, Result};

use dateline_core::{Pipeline, Stage};

/// The default pipeline, in order.
pub fn default_pipeline() -> Result<Pipeline> {
    pipeline_with_kb_extra::<&std::path::Path>(&[])
}

/// The default pipeline with the built-in knowledge base extended by the
/// user's TSV files (`--kb-extra`, same formats as `data/kb/`).
pub fn pipeline_with_kb_extra<P: AsRef<std::path::Path>>(extra: &[P]) -> Result<Pipeline> {
    let entities = if extra.is_empty() {
        entities::Entities::new()?
    } else {
        // built once per process and shared by every document and thread
        let kb: &'static kb::Kb = Box::leak(Box::new(kb::Kb::with_extra(extra)?));
        entities::Entities::with_kb(kb)
    };
    let stages: Vec<Box<dyn Stage>> = vec![
        Box::new(clean::Clean::new()?),
        Box::new(lang::Language),
        Box::new(text::Sentences::new()),
        Box::new(tags::Tags::new()?),
        Box::new(parse::Parse::new()),
        // before entities: a date read from the text's dateline dates the
        // roles ("el canciller alemán" is whoever held the office then)
        Box::new(time::Time::new()?),
        Box::new(entities),
        Box::new(quantity::Quantities::new()?),
        Box::new(events::Events::new()?),
    ];
    Ok(Pipeline::new(stages)?)
}
