//! dateline-pipeline: the analysis stages, one module each.

use dateline_core::{Pipeline, Stage};

/// The default pipeline.
pub fn default_pipeline() -> dateline_core::Result<Pipeline> {
    let stages: Vec<Box<dyn Stage>> = Vec::new();
    Pipeline::new(stages)
}
