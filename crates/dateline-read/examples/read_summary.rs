//! Prints one summary line per document read from the given inputs.
use dateline_read::{expand_inputs, read_input, ReadOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let inputs = match expand_inputs(&args) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let opts = ReadOptions::default();
    let (mut ok, mut err) = (0usize, 0usize);
    for input in &inputs {
        for r in read_input(input, &opts) {
            match r {
                Ok(d) => {
                    ok += 1;
                    println!(
                        "{}\t{}\t{}\t{}\t{} bytes\t{} diags",
                        d.source.path.unwrap_or_default(),
                        d.source.format,
                        d.date.unwrap_or_default(),
                        d.title
                            .unwrap_or_default()
                            .chars()
                            .take(50)
                            .collect::<String>(),
                        d.body.len(),
                        d.diagnostics.len()
                    );
                }
                Err(e) => {
                    err += 1;
                    println!("ERR\t{e}");
                }
            }
        }
    }
    eprintln!("{ok} documents, {err} errors");
}
