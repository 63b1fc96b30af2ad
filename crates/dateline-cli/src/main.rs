//! The `dateline` command.
//!
//! Design choice: the binary is thin. Reading lives in `dateline-read`,
//! analysis in `dateline-pipeline`, the model in `dateline-core`; this crate
//! parses arguments, runs documents in parallel and writes results in input
//! order. Exit codes: 0 all went well, 1 some inputs or documents failed
//! (each named on stderr, the rest still written), 2 usage errors.

mod eval;
mod eval_events;
mod eval_link;
mod eval_ner;
mod eval_parser;
mod eval_timex;
mod eval_ud;
mod export;
mod extract;
mod ingest;
mod query;
mod serve;
mod train;
mod train_ner;
mod train_parser;

/// mimalloc instead of the system allocator: the analysis stages make many
/// small short-lived allocations (words, features, spans). Measured on the
/// 572 fakenews_es articles, one thread: stage sum 1.86 s -> 1.74 s, peak
/// RSS 242 -> ~295 MB (three alternating pairs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (milliseconds before freed memory goes
/// back to the OS; mimalloc v3 enum order, default 1000). Loading the
/// models frees many large temporary tables: with the default delay they
/// stay resident and the peak RSS of an extract doubles (~480 MB), so
/// memory is returned at once while loading and after 10 ms afterwards.
const MI_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn alloc_before_load() {
    // SAFETY: called once from main before other threads start
    unsafe { libmimalloc_sys::mi_option_set(MI_PURGE_DELAY, 0) };
}

fn alloc_after_load() {
    // SAFETY: sets one option (an atomic store in mimalloc)
    unsafe { libmimalloc_sys::mi_option_set(MI_PURGE_DELAY, 10) };
}

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "dateline",
    version,
    about = "Turns raw news into structured, searchable knowledge."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles (files, directories, globs, `-` for stdin) and print one JSON document per line.
    Extract(extract::Args),
    /// Train the model of a stage from gold data.
    #[command(subcommand)]
    Train(train::TrainCommand),
    /// Measure a stage against gold data.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Store documents (read and analysed like `extract`) in the embedded store.
    Ingest(ingest::Args),
    /// Full-text search in the store.
    Search(query::SearchArgs),
    /// Events in the store, filtered by actor, recipient, type, dates ...
    Events(query::EventsArgs),
    /// Entities in the store by name, QID or code.
    Entities(query::EntitiesArgs),
    /// Export events as CSV, JSON Lines, Parquet or the GDELT 2.0 event table.
    Export(export::Args),
    /// Serve the JSON API and the web UI.
    Serve(serve::Args),
}

fn main() -> ExitCode {
    alloc_before_load();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Eval(cmd) => eval::run(cmd),
        Command::Ingest(args) => ingest::run(args),
        Command::Search(args) => query::run_search(args),
        Command::Events(args) => query::run_events(args),
        Command::Entities(args) => query::run_entities(args),
        Command::Export(args) => export::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Train(cmd) => train::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dateline: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    /// The option index is mimalloc v3's `purge_delay` (default 1000 ms):
    /// a libmimalloc-sys update that moves the enum fails here.
    #[test]
    fn purge_delay_option_index() {
        // SAFETY: reads one option
        let v = unsafe { libmimalloc_sys::mi_option_get(super::MI_PURGE_DELAY) };
        assert_eq!(v, 1000);
    }
}
