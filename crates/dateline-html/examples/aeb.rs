//! Article-extraction-benchmark run: P/R/F1 and single-thread speed.
//!
//! usage: aeb HTML_DIR GROUND_TRUTH.json [--dump OUT.jsonl]
use std::io::Read;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: aeb HTML_DIR GROUND_TRUTH.json [--dump OUT.jsonl]");
        std::process::exit(2);
    }
    let dump = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let gold: serde_json::Value =
        match std::fs::read_to_string(&args[2]).map(|s| serde_json::from_str(&s)) {
            Ok(Ok(v)) => v,
            _ => {
                eprintln!("cannot read gold {}", args[2]);
                std::process::exit(1);
            }
        };
    let t_all = Instant::now();
    let mut names: Vec<_> = match std::fs::read_dir(&args[1]) {
        Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", args[1]);
            std::process::exit(1);
        }
    };
    names.sort();
    let mut docs: Vec<(String, String)> = Vec::new();
    for p in names {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let id = name.split('.').next().unwrap_or("").to_string();
        let Ok(raw) = std::fs::read(&p) else { continue };
        let bytes = if name.ends_with(".gz") {
            let mut out = Vec::new();
            if flate2::read::GzDecoder::new(&raw[..])
                .read_to_end(&mut out)
                .is_err()
            {
                continue;
            }
            out
        } else {
            raw
        };
        docs.push((id, String::from_utf8_lossy(&bytes).into_owned()));
    }
    let t_read = t_all.elapsed().as_secs_f64();
    let total_bytes: usize = docs.iter().map(|d| d.1.len()).sum();
    let opts = dateline_html::Options::default();
    let t0 = Instant::now();
    let outs: Vec<dateline_html::Extracted> = docs
        .iter()
        .map(|d| dateline_html::extract(&d.1, &opts))
        .collect();
    let t_extract = t0.elapsed().as_secs_f64();
    let mut scores = Vec::new();
    let mut dump_out = String::new();
    for ((id, _), out) in docs.iter().zip(&outs) {
        let Some(g) = gold.get(id) else { continue };
        let gtext = g.get("articleBody").and_then(|v| v.as_str()).unwrap_or("");
        let s = dateline_html::eval::score(&out.text, gtext);
        scores.push(s);
        if dump.is_some() {
            let row = serde_json::json!({"id": id, "extractor": "dateline-html", "text": out.text,
                "p": s.precision, "r": s.recall, "f1": s.f1, "title": out.title, "date": out.date,
                "lang": out.lang, "url": out.url});
            dump_out.push_str(&row.to_string());
            dump_out.push('\n');
        }
    }
    if let Some(path) = dump {
        if let Err(e) = std::fs::write(&path, dump_out) {
            eprintln!("cannot write {path}: {e}");
        }
    }
    let avg = dateline_html::eval::average(&scores);
    let n = docs.len() as f64;
    let mb = total_bytes as f64 / 1e6;
    println!("docs {} scored {} MB {:.1}", docs.len(), scores.len(), mb);
    println!(
        "precision {:.3} recall {:.3} f1 {:.3}",
        avg.precision, avg.recall, avg.f1
    );
    println!(
        "extract+parse: {:.3}s  {:.1} docs/s  {:.1} MB/s (single thread)",
        t_extract,
        n / t_extract,
        mb / t_extract
    );
    println!(
        "incl. read+gunzip: {:.3}s  {:.1} docs/s",
        t_read + t_extract,
        n / (t_read + t_extract)
    );
}
