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

/// A line rule's regex, in the cheapest form that decides the same thing
/// as the pattern anchored at both ends, `^(?:P)$`, on a line (which holds
/// no `\n`, so `.` matches every character of it).
#[derive(Debug)]
pub enum LineTest {
    /// `^(?:P)$` as written.
    Whole(Regex),
    /// `P` = `.*X.*`: `X` anywhere in the line. (The anchored form makes
    /// the lazy DFA walk every line to its end; an unanchored search can
    /// use the regex crate's literal prefilters.)
    Contains(Regex),
    /// `P` = `.{0,N}X`: `X` matching up to the end of the line, its
    /// leftmost start within `N` characters of the line start. (A bounded
    /// repetition of hundreds of `.` is a very large automaton.)
    Tail { max_prefix: usize, re: Regex },
}

impl LineTest {
    /// Does the rule match the whole line?
    pub fn is_match(&self, line: &str) -> bool {
        match self {
            LineTest::Whole(re) | LineTest::Contains(re) => re.is_match(line),
            LineTest::Tail { max_prefix, re } => re
                .find(line)
                .is_some_and(|m| line[..m.start()].chars().count() <= *max_prefix),
        }
    }

    /// Compiles `pattern` (already with its flags' prefix `flags`) in the
    /// cheapest equivalent form.
    fn new(flags: &str, pattern: &str) -> std::result::Result<LineTest, regex::Error> {
        if let Some(x) = pattern
            .strip_prefix(".*")
            .and_then(|p| p.strip_suffix(".*"))
            .filter(|x| plain_concatenation(x) && !ends_escaped(x))
        {
            return Ok(LineTest::Contains(Regex::new(&format!("{flags}{x}"))?));
        }
        if let Some((n, x)) = pattern.strip_prefix(".{0,").and_then(|p| p.split_once('}')) {
            if let (Ok(max_prefix), true) = (n.parse::<usize>(), plain_concatenation(x)) {
                return Ok(LineTest::Tail {
                    max_prefix,
                    re: Regex::new(&format!("{flags}(?:{x})$"))?,
                });
            }
        }
        Ok(LineTest::Whole(Regex::new(&format!(
            "{flags}^(?:{pattern})$"
        ))?))
    }
}

/// True when `x` is a non-empty concatenation at its top level: no `|`
/// outside groups and classes, balanced groups and classes, and no leading
/// repetition operator (which would apply to what was stripped before it).
/// Anything unusual answers false, so the rule keeps its anchored form.
fn plain_concatenation(x: &str) -> bool {
    if x.is_empty() || x.starts_with(['?', '*', '+', '{']) {
        return false;
    }
    let mut depth = 0usize;
    let mut class = 0usize;
    let mut chars = x.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // the guard steps over the escaped character (a lone backslash at
            // the end is malformed)
            '\\' if chars.next().is_none() => return false,
            '\\' => {}
            '[' => {
                class += 1;
                // a `]` (or `^]`) right after the opening bracket is literal
                if chars.peek() == Some(&'^') {
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                }
            }
            ']' if class > 0 => class -= 1,
            _ if class > 0 => {}
            '(' => depth += 1,
            ')' => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            '|' if depth == 0 => return false,
            _ => {}
        }
    }
    depth == 0 && class == 0
}

/// True when `x` ends in an odd run of backslashes (the `.*` after it was
/// an escaped `\.` then `*`).
fn ends_escaped(x: &str) -> bool {
    x.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1
}

/// Every rule of the cleaning stage, compiled.
#[derive(Debug)]
pub struct Rules {
    pub line: Vec<LineRule>,
    /// One test per line rule, in the same order. (Separate regexes rather
    /// than a `RegexSet`: the set's combined automaton is too large for the
    /// lazy DFA and falls back to the slow PikeVM.)
    pub line_res: Vec<LineTest>,
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
                    patterns.push(pattern);
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
            .map(|p| LineTest::new("(?i)", p).map_err(|e| bad("rules.tsv", 0, e.to_string())))
            .collect::<Result<Vec<LineTest>>>()?;

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
    fn cheap_line_tests_decide_as_the_anchored_patterns() {
        // every line rule, tested in its cheap form and as written, on lines
        // that match some rule, lines that nearly do, and ordinary prose
        let lines = [
            "Este contenido es exclusivo para suscriptores",
            "Suscríbete para seguir leyendo",
            "Para seguir leyendo, inicia sesión",
            "¿Ya eres suscriptor? Inicia sesión para leer",
            "Has alcanzado el límite de artículos gratuitos",
            "You have reached your limit of free articles this month",
            "Subscribe now to continue reading",
            "Already a subscriber? Log in",
            "Foto: EFE",
            "(Foto: Juan Pérez / Reuters)",
            "El presidente saluda a sus seguidores en Caracas (AP Photo/Ariana Cubillos)",
            "El presidente saluda a sus seguidores en Caracas (AP Photo/Ariana Cubillos) y se va",
            &format!("{} (AFP)", "x".repeat(381)),
            &format!("{} (AFP)", "x".repeat(380)),
            &format!("{} (AFP)", "é".repeat(380)),
            &format!("{} (AFP)", "é".repeat(381)),
            "(AP) (AFP)",
            "Compartir en Facebook Twitter WhatsApp",
            "Facebook, Twitter, Imprimir",
            "Recibe nuestra newsletter en tu correo",
            "Sign up for our daily email newsletter",
            "Lee también: el Gobierno aprueba el plan",
            "Read more: the plan",
            "Publicidad",
            "Por Juan Pérez de la Torre",
            "By John Smith and Jane Doe | Reuters",
            "© 2020 Todos los derechos reservados",
            "Copyright 2021 All rights reserved.",
            "todos los derechos reservados",
            "El Gobierno aprobó ayer el plan de vivienda para los jóvenes.",
            "The government approved the housing plan for young people on Monday.",
            "exclusivo",
            "",
            "para seguir leyendoX",
            "Xpara seguir leyendo",
        ];
        let r = Rules::builtin();
        let Ok(r) = r else { panic!("{:?}", r.err()) };
        let mut cheap = 0;
        let line_rows = rows("rules.tsv", RULES_TSV).filter(|(_, c)| c.get(1) == Some(&"line"));
        for (k, (n, cols)) in line_rows.enumerate() {
            let pattern = cols[4].replace("\\b", "(?-u:\\b)");
            let whole = Regex::new(&format!("(?i)^(?:{pattern})$"));
            let (Ok(whole), Some(test)) = (whole, r.line_res.get(k)) else {
                panic!("rules.tsv:{n}")
            };
            for l in lines {
                assert_eq!(
                    test.is_match(l),
                    whole.is_match(l),
                    "rules.tsv:{n} on {l:?}"
                );
            }
            cheap += usize::from(!matches!(test, LineTest::Whole(_)));
        }
        assert!(cheap >= 15, "{cheap} rules in a cheap form");
    }

    #[test]
    fn only_plain_concatenations_lose_their_anchors() {
        assert!(plain_concatenation("\\bfoo (bar|baz)\\b"));
        assert!(plain_concatenation("[|(]x"));
        assert!(plain_concatenation("[]|]x"));
        assert!(!plain_concatenation("foo|bar"));
        assert!(!plain_concatenation("(foo"));
        assert!(!plain_concatenation("foo)"));
        assert!(!plain_concatenation("?foo"));
        assert!(!plain_concatenation(""));
        assert!(!plain_concatenation("[abc"));
        assert!(ends_escaped("foo\\"));
        assert!(!ends_escaped("foo\\\\"));
        let t = LineTest::new("(?i)", ".*a|b.*");
        assert!(matches!(t, Ok(LineTest::Whole(_))));
        let t = LineTest::new("(?i)", ".*foo\\.*");
        assert!(matches!(t, Ok(LineTest::Whole(_))));
        let t = LineTest::new("(?i)", ".*foo.*");
        assert!(matches!(t, Ok(LineTest::Contains(_))));
        let t = LineTest::new("(?i)", ".{0,3}x");
        assert!(matches!(t, Ok(LineTest::Tail { max_prefix: 3, .. })));
        let Ok(t) = t else { panic!() };
        assert!(t.is_match("abcx") && t.is_match("x") && t.is_match("áéíx"));
        assert!(!t.is_match("abcdx") && !t.is_match("xa"));
    }

    #[test]
    fn bad_rule_names_file_and_line() {
        let err = Rules::parse("paywall\tline\tx\tes\tfoo\tr\n", CREDITS_TSV, HEADLINES_TSV).err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.starts_with("rules.tsv:1:"), "{msg}");
    }
}
