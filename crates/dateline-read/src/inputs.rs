//! Command-line arguments → inputs: files, directories (recursive, sorted,
//! hidden entries and files of other kinds than articles skipped), globs,
//! and `-` for stdin.

use crate::{Error, Input, Result};
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn is_hidden(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// All regular files under `dir`, recursively, in path order. Hidden files
/// and directories are skipped; symbolic links to files are followed,
/// symbolic links to directories are not (no cycles).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let io_err = |e: io::Error| Error::Io {
        path: dir.display().to_string(),
        source: e,
    };
    let mut entries: Vec<PathBuf> = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        entries.push(entry.path());
    }
    entries.sort();
    for p in entries {
        if is_hidden(&p) {
            continue;
        }
        let Ok(lmeta) = fs::symlink_metadata(&p) else {
            continue;
        };
        if lmeta.is_dir() {
            walk(&p, out)?;
        } else if (lmeta.is_file() || (lmeta.file_type().is_symlink() && p.is_file()))
            && is_article_file(&p)
        {
            out.push(p);
        }
    }
    Ok(())
}

/// Extensions (after an optional `.gz`) that a directory walk reads. Files
/// named on the command line are read whatever their name; inside a folder,
/// READMEs, images and the like are passed over.
const ARTICLE_EXTENSIONS: &[&str] = &[
    "txt", "text", "jsonl", "ndjson", "html", "htm", "xhtml", "xml", "rss", "atom", "warc",
];

fn is_article_file(p: &Path) -> bool {
    let name = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    match name.rsplit_once('.') {
        Some((_, ext)) => ARTICLE_EXTENSIONS.contains(&ext),
        None => false,
    }
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Expands paths, directories (recursively, sorted) and globs into inputs.
/// `-` is stdin. A path that does not exist, or a glob that matches
/// nothing, is an error naming it. An input named twice is kept once.
pub fn expand_inputs(args: &[String]) -> Result<Vec<Input>> {
    let mut out: Vec<Input> = Vec::new();
    let mut seen: HashSet<Input> = HashSet::new();
    let mut push = |i: Input, out: &mut Vec<Input>| {
        if seen.insert(i.clone()) {
            out.push(i);
        }
    };
    for arg in args {
        if arg == "-" {
            push(Input::Stdin, &mut out);
            continue;
        }
        let path = Path::new(arg);
        if path.exists() {
            if path.is_dir() {
                let mut files = Vec::new();
                walk(path, &mut files)?;
                for f in files {
                    push(Input::File(f), &mut out);
                }
            } else {
                push(Input::File(path.to_path_buf()), &mut out);
            }
            continue;
        }
        if !is_glob(arg) {
            return Err(Error::Io {
                path: arg.clone(),
                source: io::Error::new(io::ErrorKind::NotFound, "no such file or directory"),
            });
        }
        let options = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: true,
        };
        let paths = glob::glob_with(arg, options).map_err(|e| Error::Pattern {
            pattern: arg.clone(),
            message: e.to_string(),
        })?;
        let mut matched: Vec<PathBuf> = Vec::new();
        for p in paths {
            let p = p.map_err(|e| Error::Io {
                path: e.path().display().to_string(),
                source: io::Error::new(e.error().kind(), e.error().to_string()),
            })?;
            if p.is_dir() {
                walk(&p, &mut matched)?;
            } else if p.is_file() {
                matched.push(p);
            }
        }
        if matched.is_empty() {
            return Err(Error::Pattern {
                pattern: arg.clone(),
                message: "no file matches".to_string(),
            });
        }
        matched.sort();
        for f in matched {
            push(Input::File(f), &mut out);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::TempDir;

    #[test]
    fn files_dirs_globs_and_stdin() {
        let t = TempDir::new("inputs");
        t.write("b.txt", b"b");
        t.write("a.jsonl", b"{}");
        t.write("sub/z.html", b"<html>");
        t.write("sub/deeper/y.txt", b"y");
        t.write(".hidden.txt", b"h");
        t.write(".git/config", b"x");
        t.write("README.md", b"# notes");
        t.write("photo.jpg", b"\xff\xd8");
        t.write("sub/feed.atom.gz", b"x");
        let root = t.path().display().to_string();

        let got = expand_inputs(std::slice::from_ref(&root)).unwrap_or_default();
        let names: Vec<String> = got
            .iter()
            .map(|i| match i {
                Input::File(p) => p
                    .strip_prefix(t.path())
                    .map(|r| r.display().to_string())
                    .unwrap_or_default(),
                Input::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(
            names,
            [
                "a.jsonl",
                "b.txt",
                "sub/deeper/y.txt",
                "sub/feed.atom.gz",
                "sub/z.html"
            ]
        );

        let got = expand_inputs(&[format!("{root}/*.txt"), "-".into(), format!("{root}/b.txt")])
            .unwrap_or_default();
        assert_eq!(got, vec![Input::File(t.path().join("b.txt")), Input::Stdin]);
    }

    #[test]
    fn missing_paths_and_bad_globs_are_errors() {
        let t = TempDir::new("inputs-missing");
        let missing = t.path().join("nope.txt").display().to_string();
        match expand_inputs(std::slice::from_ref(&missing)) {
            Err(Error::Io { path, .. }) => assert_eq!(path, missing),
            other => panic!("{other:?}"),
        }
        let e = expand_inputs(&[format!("{}/*.none", t.path().display())]);
        assert!(matches!(e, Err(Error::Pattern { message, .. }) if message == "no file matches"));
        let e = expand_inputs(&["[".to_string()]);
        assert!(matches!(e, Err(Error::Pattern { .. })));
    }
}
