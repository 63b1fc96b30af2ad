//! The `dateline` command.
//!
//! Design choice: the binary is thin. Reading lives in `dateline-read`,
//! analysis in `dateline-pipeline`, the model in `dateline-core`; this crate
//! parses arguments, runs documents in parallel and writes results in input
//! order. Exit codes: 0 all went well, 1 some inputs or documents failed
//! (each named on stderr, the rest still written), 2 usage errors.

mod eval;
mod eval_timex;
mod eval_ud;
mod extract;
mod train;

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
