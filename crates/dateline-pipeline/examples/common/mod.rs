//! What the bench examples share: the corpus reader and CPU-time helpers.
//! (Each example uses a part of it.)
#![allow(dead_code)]

use dateline_core::RawDoc;
use std::path::PathBuf;

/// Nanoseconds this thread has spent on the CPU
/// (`/proc/thread-self/schedstat`, so a loaded machine does not stretch it).
pub fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The bench's arguments `DIR [RUNS]` (RUNS default 5); exits with the
/// usage line when DIR is missing.
pub fn dir_and_runs(name: &str) -> (String, usize) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: {name} DIR [RUNS]");
        std::process::exit(2);
    };
    let runs = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    (dir.clone(), runs)
}

pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}

/// The `.txt` files of `dir`, sorted; exits with a message when it cannot
/// be read.
pub fn txt_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect(),
        Err(e) => {
            eprintln!("{dir}: {e}");
            std::process::exit(1);
        }
    };
    files.sort();
    files
}

/// The dateline-format articles of `dir` (` date YYYY-MM-DD title` line,
/// then the body), in file-name order; unreadable files are skipped.
pub fn read_articles(dir: &str) -> Vec<RawDoc> {
    let mut raws = Vec::new();
    for f in txt_files(dir) {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let (head, body) = text.split_once('\n').unwrap_or(("", &text));
        let mut words = head.split_whitespace().skip(1);
        let date = words.next().map(str::to_string);
        let title = words.collect::<Vec<_>>().join(" ");
        raws.push(RawDoc {
            title: Some(title),
            date,
            body: body.trim_start().to_string(),
            ..RawDoc::default()
        });
    }
    raws
}
