//! `cargo run --release -p dateline-eval --example ud_eval -- GOLD SYSTEM [--raw]`
//!
//! Prints the verbose table of the CoNLL 2018 scorer, then `UdScores::to_json()`;
//! with `--raw`, one JSON object of raw counts and ratios per metric instead
//! (used to cross-check against the Python script).

use std::path::Path;
use std::process::ExitCode;

use dateline_eval::evaluate_files;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: ud_eval GOLD SYSTEM [--raw]");
        return ExitCode::from(2);
    }
    let scores = match evaluate_files(Path::new(&args[0]), Path::new(&args[1])) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if args.iter().any(|a| a == "--raw") {
        let mut out = serde_json::Map::new();
        for (name, s) in scores.metrics() {
            out.insert(
                name.to_string(),
                serde_json::json!({
                    "correct": s.correct, "gold": s.gold_total, "system": s.system_total,
                    "aligned": s.aligned_total, "precision": s.precision, "recall": s.recall,
                    "f1": s.f1, "aligned_accuracy": s.aligned_accuracy,
                }),
            );
        }
        println!("{}", serde_json::Value::Object(out));
    } else {
        print!("{}", scores.to_table());
        println!("{}", scores.to_json());
    }
    ExitCode::SUCCESS
}
