//! dateline-read: turns files and streams into [`RawDoc`]s. (API stub.)

use dateline_core::RawDoc;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Errors that stop a whole input (a file that cannot be opened, a limit hit).
/// Problems inside one document become diagnostics instead.
#[derive(Debug, Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: input is {size} bytes, over the limit of {limit} (raise it with --max-input-bytes)")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: decompressed data exceeds the limit of {limit} bytes (raise it with --max-decompressed-bytes)")]
    DecompressedTooLarge { path: String, limit: u64 },
    #[error("{path}: {message}")]
    Format { path: String, message: String },
    #[error("{pattern}: {message}")]
    Pattern { pattern: String, message: String },
}

pub type Result<T> = std::result::Result<T, Error>;

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// First line ` date YYYY-MM-DD Title`, body after.
    Dateline,
    /// Plain text without a dateline.
    Text,
    Jsonl,
    Html,
    /// RSS 2.0 or Atom.
    Feed,
    Warc,
}

/// Options shared by all readers.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Largest input file (compressed size) accepted.
    pub max_input_bytes: u64,
    /// Largest decompressed size of one input accepted.
    pub max_decompressed_bytes: u64,
    /// Date given by the user for inputs that carry none (`--date`).
    pub default_date: Option<String>,
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    pub html: dateline_html::Options,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_input_bytes: 256 << 20,
            max_decompressed_bytes: 1 << 30,
            default_date: None,
            format: None,
            html: dateline_html::Options::default(),
        }
    }
}

/// One input named on the command line, after expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

/// Expands paths, directories (recursively, sorted) and globs into inputs.
pub fn expand_inputs(args: &[String]) -> Result<Vec<Input>> {
    Ok(args.iter().map(|a| if a == "-" { Input::Stdin } else { Input::File(PathBuf::from(a)) }).collect())
}

/// Reads one input into documents. An `Err` item means that the input (or
/// the rest of it) could not be read; `Ok` documents may carry diagnostics.
pub fn read_input(input: &Input, opts: &ReadOptions) -> Box<dyn Iterator<Item = Result<RawDoc>> + Send> {
    let _ = (input, opts);
    Box::new(std::iter::empty())
}

/// Reads documents from bytes already in memory; `name` is used as the
/// source path and for format detection.
pub fn read_bytes(bytes: &[u8], name: &Path, opts: &ReadOptions) -> Vec<Result<RawDoc>> {
    let _ = (bytes, name, opts);
    Vec::new()
}
