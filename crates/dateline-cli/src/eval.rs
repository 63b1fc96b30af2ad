//! `dateline eval ...`: per-stage measurements against gold data.

use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum EvalCommand {}

pub fn run(cmd: EvalCommand) -> Result<ExitCode> {
    match cmd {}
}
