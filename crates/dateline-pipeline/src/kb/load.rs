//! Reading the KB's TSV tables: a header line names the columns (order is
//! free, unknown columns are ignored), `#` starts a comment line, fields are
//! separated by tabs, lists inside a field by `|`. The header also says which
//! table a file holds, so `--kb-extra` files need no other marker.

use crate::{Error, Result};

/// Which table a TSV file holds, recognised from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    Countries,
    Orgs,
    People,
    Roles,
    Metonyms,
    Places,
    RolePhrases,
    RoleTemplates,
}

impl TableKind {
    /// The columns a file of this kind must have.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            TableKind::Countries => &["iso3", "name_en", "name_es"],
            TableKind::Orgs => &["id", "type", "name_en"],
            TableKind::People => &["id", "name"],
            TableKind::Roles => &["person", "role", "start"],
            TableKind::Metonyms => &["alias", "sector"],
            TableKind::Places => &["id", "name", "iso3", "kind"],
            TableKind::RolePhrases => &["phrase", "role", "iso3"],
            TableKind::RoleTemplates => &["template", "role"],
        }
    }

    /// Recognises a table from its header columns.
    pub fn detect(cols: &[String]) -> Option<TableKind> {
        let has = |c: &str| cols.iter().any(|x| x == c);
        Some(if has("template") {
            TableKind::RoleTemplates
        } else if has("phrase") {
            TableKind::RolePhrases
        } else if has("person") {
            TableKind::Roles
        } else if has("sector") {
            TableKind::Metonyms
        } else if has("iso2") || (has("iso3") && has("name_es") && !has("id")) {
            TableKind::Countries
        } else if has("type") {
            TableKind::Orgs
        } else if has("kind") && has("iso3") {
            TableKind::Places
        } else if has("id") && has("name") {
            TableKind::People
        } else {
            return None;
        })
    }
}

/// A parsed TSV file.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub file: String,
    pub kind: TableKind,
    cols: Vec<String>,
    /// (1-based line number, fields)
    pub rows: Vec<(usize, Vec<&'a str>)>,
}

/// An error located in a KB file.
pub fn err(file: &str, line: usize, message: impl Into<String>) -> Error {
    Error::Model(format!("kb {file}:{line}: {}", message.into()))
}

impl<'a> Table<'a> {
    /// Parses a TSV text; `file` names it in errors.
    pub fn parse(file: &str, text: &'a str) -> Result<Table<'a>> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let (hline, header) = lines
            .next()
            .ok_or_else(|| err(file, 1, "empty file: a header line is required"))?;
        let cols: Vec<String> = header.split('\t').map(|c| c.trim().to_string()).collect();
        let kind = TableKind::detect(&cols).ok_or_else(|| {
            err(
                file,
                hline,
                format!("unknown header {cols:?}: see data/kb/README.md for the table formats"),
            )
        })?;
        for r in kind.required() {
            if !cols.iter().any(|c| c == r) {
                return Err(err(file, hline, format!("missing column `{r}`")));
            }
        }
        let mut rows = Vec::new();
        for (n, l) in lines {
            let fields: Vec<&str> = l.split('\t').map(str::trim).collect();
            if fields.len() > cols.len() {
                return Err(err(
                    file,
                    n,
                    format!("{} fields, header has {}", fields.len(), cols.len()),
                ));
            }
            rows.push((n, fields));
        }
        Ok(Table {
            file: file.to_string(),
            kind,
            cols,
            rows,
        })
    }

    /// The value of column `col` in `row` ("" when absent or short).
    pub fn get(&self, row: &[&'a str], col: &str) -> &'a str {
        match self.cols.iter().position(|c| c == col) {
            Some(i) => row.get(i).copied().unwrap_or(""),
            None => "",
        }
    }
}

/// Splits a `|` list, dropping empty items.
pub fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|x| !x.is_empty())
}

/// A `YYYY-MM-DD` calendar date.
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    if !s
        .bytes()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(valid_date("2025-08-13"));
        assert!(valid_date("2024-02-29"));
        assert!(!valid_date("2025-02-29"));
        assert!(!valid_date("2025-13-01"));
        assert!(!valid_date("2025-8-13"));
        assert!(!valid_date("+025-08-13"));
    }

    #[test]
    fn header_detection_and_errors() {
        let t = Table::parse("x.tsv", "# c\nid\tname\taliases\nfoo\tFoo\tF|G\n").unwrap();
        assert_eq!(t.kind, TableKind::People);
        assert_eq!(t.get(&t.rows[0].1, "aliases"), "F|G");
        assert_eq!(t.get(&t.rows[0].1, "qid"), "");
        assert!(Table::parse("x.tsv", "foo\tbar\n").is_err());
        assert!(Table::parse("x.tsv", "id\tname\na\tb\tc\n").is_err());
    }
}
