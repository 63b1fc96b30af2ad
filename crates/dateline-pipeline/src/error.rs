//! The one error type of the pipeline crate: only building a stage can fail.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// A rule file that does not parse.
    #[error("{file}:{line}: {message}")]
    Rules {
        file: &'static str,
        line: usize,
        message: String,
    },
    /// A model file that cannot be read.
    #[error("model: {0}")]
    Model(String),
    /// A data table (lexicon, mapping) that does not parse.
    #[error("data: {0}")]
    Data(String),
    #[error(transparent)]
    Core(#[from] dateline_core::Error),
}

pub type Result<T> = std::result::Result<T, Error>;
