//! The one error type of the core crate.

use thiserror::Error;

/// Errors raised by the document model and the pipeline builder.
#[derive(Debug, Error)]
pub enum Error {
    /// A span that does not fit the text it points into.
    #[error("invalid span {start}..{end} for text of {len} bytes: {why}")]
    InvalidSpan {
        start: usize,
        end: usize,
        len: usize,
        why: &'static str,
    },
    /// A stage requires a layer that no earlier stage provides.
    #[error("stage `{stage}` requires layer `{layer}`, which no earlier stage provides")]
    MissingLayer { stage: String, layer: String },
    /// A JSON document that does not follow the contract.
    #[error("invalid document JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;
