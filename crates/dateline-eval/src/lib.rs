//! Gold-format readers and evaluation metrics for dateline.
//!
//! * [`conllu`]: a streaming CoNLL-U reader and writer (words, multiword-token
//!   ranges and empty nodes), plus [`conllu::raw_text`], which rebuilds the raw
//!   text a system receives as input.
//! * [`ud`]: a Rust port of the CoNLL 2018 shared task scorer
//!   (`conll18_ud_eval.py` 1.2): Tokens, Sentences, Words, UPOS, XPOS, UFeats,
//!   AllTags, Lemmas, UAS, LAS, CLAS, MLAS and BLEX.
//!
//! No NLP happens here: this crate only reads gold data and scores system output
//! against it.

pub mod conllu;
pub mod timex;
pub mod ud;

use std::path::PathBuf;

pub use conllu::{raw_text, raw_text_lines, RawTextLayout, Sentence, Token, TokenId};
pub use ud::{evaluate, evaluate_files, Score, UdDocument, UdScores};

/// Everything that can go wrong while reading gold/system files or scoring them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An I/O error, with the file when known.
    #[error("I/O error{}: {source}", path.as_ref().map(|p| format!(" on {}", p.display())).unwrap_or_default())]
    Io {
        path: Option<PathBuf>,
        #[source]
        source: std::io::Error,
    },
    /// Malformed CoNLL-U (syntax): `line` is 1-based.
    #[error("CoNLL-U syntax error at line {line}: {message}")]
    Syntax { line: usize, message: String },
    /// A sentence whose dependency tree cannot be evaluated (HEAD out of range,
    /// cycle, not exactly one root, empty FORM): `line` is 1-based.
    #[error("invalid sentence at line {line}: {message}")]
    Tree { line: usize, message: String },
    /// Gold and system files do not contain the same characters (whitespace
    /// excluded), so they cannot be aligned.
    #[error(
        "the concatenation of tokens in gold file and in system file differ at character {offset}: \
         first 20 differing characters in gold file: '{gold}' and system file: '{system}'"
    )]
    TextMismatch {
        offset: usize,
        gold: String,
        system: String,
    },
    /// A structure that cannot be written as valid CoNLL-U.
    #[error("cannot write CoNLL-U: {0}")]
    Write(String),
}

impl From<std::io::Error> for Error {
    fn from(source: std::io::Error) -> Self {
        Error::Io { path: None, source }
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
