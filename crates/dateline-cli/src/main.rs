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
