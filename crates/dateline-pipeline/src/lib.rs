//! dateline-pipeline: the analysis stages, one module each.
//!
//! Design choice: stages are small structs implementing
//! [`dateline_core::Stage`]; each module owns its rules and models (as data
//! files under `data/`), and [`default_pipeline`] lists them in order. A stage
//! is built once (rules compiled, models loaded) and shared across threads.

pub mod clean;
pub mod error;
pub mod kb;
pub mod lang;
pub mod lemma;
pub mod lexicon;
pub mod ml;
pub mod parser;
pub mod quantity;
pub mod tagger;
pub mod tags;
pub mod text;
pub mod time;

pub use error::{Error, Result};

use dateline_core::{Pipeline, Stage};

/// The default pipeline, in order.
pub fn default_pipeline() -> Result<Pipeline> {
    let stages: Vec<Box<dyn Stage>> = vec![
        Box::new(clean::Clean::new()?),
        Box::new(lang::Language),
        Box::new(text::Sentences::new()),
        Box::new(tags::Tags::new()?),
        Box::new(time::Time::new()?),
        Box::new(quantity::Quantities::new()?),
    ];
    Ok(Pipeline::new(stages)?)
}
