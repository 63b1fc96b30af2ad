//! Loading the cleaning and segmentation rules from their TSV files.

use crate::error::{Error, Result};
use regex::Regex;

pub const RULES_TSV: &str = include_str!("../../data/clean/rules.tsv");
pub const CREDITS_TSV: &str = include_str!("../../data/clean/credits.tsv");
pub const HEADLINES_TSV: &str = include_str!("../../data/clean/headlines.tsv");

/// A rule that removes a whole line.
#[derive(Debug)]
pub struct LineRule {
    pub kind: String,
    pub max_chars: usize,
    pub reason: String,
}

/// A rule that removes matches inside a line.
#[derive(Debug)]
pub struct InlineRule {
    pub kind: String,
    pub reason: String,
    pub re: Regex,
}

/// Every rule of the cleaning stage, compiled.
#[derive(Debug)]
pub struct Rules {
    pub line: Vec<LineRule>,
    /// One anchored regex per line rule, in the same order. (Separate
    /// regexes rather than a `RegexSet`: the set's combined automaton is too
    /// large for the lazy DFA and falls back to the slow PikeVM.)
    pub line_res: Vec<Regex>,
    /// The largest `max_chars` of any line rule.
    pub max_line_chars: usize,
    pub inline: Vec<InlineRule>,
    /// Photo-credit marker ("Foto: ", "Photo: ").
    pub credit_marker: Regex,
    /// Known credit names, longest first.
    pub credits: Vec<String>,
    /// Words that open a lead sentence, with their language.
    pub starters: Vec<(String, String)>,
    /// Words a headline never ends with (lower-case).
    pub closers: Vec<String>,
}

fn rows(
    file: &'static str,
    text: &'static str,
) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    let _ = file;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
}

fn bad(file: &'static str, line: usize, message: impl Into<String>) -> Error {
    Error::Rules {
        file,
        line,
        message: message.into(),
    }
}

impl Rules {
    /// Compiles the rule files shipped with the crate.
    pub fn builtin() -> Result<Rules> {
        Rules::parse(RULES_TSV, CREDITS_TSV, HEADLINES_TSV)
    }

    /// Compiles rule files given as text.
    pub fn parse(
        rules: &'static str,
        credits: &'static str,
        headlines: &'static str,
    ) -> Result<Rules> {
        let mut line = Vec::new();
        let mut patterns = Vec::new();
        let mut inline = Vec::new();
        for (n, cols) in rows("rules.tsv", rules) {
            let [kind, scope, max_chars, _lang, pattern, reason] = cols[..] else {
                return Err(bad(
                    "rules.tsv",
                    n,
                    format!("expected 6 columns, found {}", cols.len()),
                ));
            };
            let max_chars: usize = max_chars
                .parse()
                .map_err(|_| bad("rules.tsv", n, "max_chars is not a number"))?;
            match scope {
                "line" => {
                    // ASCII word boundaries keep the set on the fast DFA
                    // engines (Unicode \b forces the slow PikeVM); the
                    // boundaries in our patterns all sit next to ASCII letters.
                    let pattern = pattern.replace("\\b", "(?-u:\\b)");
                    patterns.push(format!("(?i)^(?:{pattern})$"));
                    line.push(LineRule {
                        kind: kind.to_string(),
                        max_chars,
                        reason: reason.to_string(),
                    });
                }
                "inline" => {
                    let re = Regex::new(&format!("(?i){pattern}"))
                        .map_err(|e| bad("rules.tsv", n, e.to_string()))?;
                    inline.push(InlineRule {
                        kind: kind.to_string(),
                        reason: reason.to_string(),
                        re,
                    });
                }
                other => return Err(bad("rules.tsv", n, format!("unknown scope `{other}`"))),
            }
        }
        let line_res = patterns
            .iter()
            .map(|p| Regex::new(p).map_err(|e| bad("rules.tsv", 0, e.to_string())))
            .collect::<Result<Vec<Regex>>>()?;

        let mut marker = None;
        let mut credit_names = Vec::new();
        for (n, cols) in rows("credits.tsv", credits) {
            match cols[..] {
                ["marker", re] => {
                    marker = Some(
                        Regex::new(&format!("(?i){re}"))
                            .map_err(|e| bad("credits.tsv", n, e.to_string()))?,
                    )
                }
                ["credit", name] => credit_names.push(name.to_string()),
                _ => {
                    return Err(bad(
                        "credits.tsv",
                        n,
                        "expected `marker<TAB>regex` or `credit<TAB>name`",
                    ))
                }
            }
        }
        let credit_marker = marker.ok_or_else(|| bad("credits.tsv", 0, "no marker row"))?;
        credit_names.sort_by_key(|c| std::cmp::Reverse(c.len()));

        let mut starters = Vec::new();
        let mut closers = Vec::new();
        for (n, cols) in rows("headlines.tsv", headlines) {
            match cols[..] {
                ["starter", w, lang] => starters.push((w.to_string(), lang.to_string())),
                ["closer", w, _] => closers.push(w.to_lowercase()),
                _ => {
                    return Err(bad(
                        "headlines.tsv",
                        n,
                        "expected `starter|closer<TAB>word<TAB>lang`",
                    ))
                }
            }
        }
        let max_line_chars = line.iter().map(|r| r.max_chars).max().unwrap_or(0);
        Ok(Rules {
            max_line_chars,
            line,
            line_res,
            inline,
            credit_marker,
            credits: credit_names,
            starters,
            closers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_compile() {
        let r = Rules::builtin();
        assert!(r.is_ok(), "{:?}", r.err());
        let r = r.ok();
        assert!(r.map(|r| r.line.len() > 20).unwrap_or(false));
    }

    #[test]
    fn bad_rule_names_file_and_line() {
        let err = Rules::parse("paywall\tline\tx\tes\tfoo\tr\n", CREDITS_TSV, HEADLINES_TSV).err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.starts_with("rules.tsv:1:"), "{msg}");
    }
}
