//! CoNLL-U reader and writer (<https://universaldependencies.org/format.html>).
//!
//! A file is a sequence of sentences; a sentence is a block of comment lines
//! (`# sent_id = ...`, `# text = ...`, `# newdoc`, `# newpar`, ...) followed by
//! one line per [`Token`] (ten tab-separated columns) and ended by a blank line.
//! Three kinds of rows are kept, in file order, in [`Sentence::tokens`]:
//!
//! * words (`ID` = `5`),
//! * multiword-token ranges (`ID` = `1-2`), e.g. Spanish `del` = `de` + `el`,
//! * empty nodes of the enhanced graph (`ID` = `8.1`); evaluation skips them.
//!
//! [`Reader`] parses from any [`BufRead`] one sentence at a time; every error
//! names the (1-based) line. [`write_sentence`]/[`to_string`] write the same
//! structures back as valid CoNLL-U.
//!
//! Leniency (documented deviations from a strict validator): a UTF-8 BOM at the
//! start is skipped, several blank lines between sentences are accepted, and
//! the last sentence does not need a trailing blank line. HEAD may be `_` on
//! any row (tokenizer-only output); the UD scorer then rejects the word.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use crate::{Error, Result};

/// The ID column of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenId {
    /// A syntactic word, numbered from 1 within the sentence.
    Word(u32),
    /// A multiword token spanning words `start..=end` (`start-end`).
    Range(u32, u32),
    /// An empty node `major.minor`, placed after word `major` (0 = before the first word).
    Empty(u32, u32),
}

impl fmt::Display for TokenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenId::Word(n) => write!(f, "{n}"),
            TokenId::Range(a, b) => write!(f, "{a}-{b}"),
            TokenId::Empty(a, b) => write!(f, "{a}.{b}"),
        }
    }
}

/// One row of a CoNLL-U sentence. Fields are kept verbatim (`_` stays `_`),
/// except HEAD, where `_` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub id: TokenId,
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    pub head: Option<u32>,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

impl Token {
    /// A word row with every other column `_` and HEAD unset.
    pub fn word(id: u32, form: impl Into<String>) -> Self {
        Token {
            id: TokenId::Word(id),
            form: form.into(),
            lemma: "_".into(),
            upos: "_".into(),
            xpos: "_".into(),
            feats: "_".into(),
            head: None,
            deprel: "_".into(),
            deps: "_".into(),
            misc: "_".into(),
        }
    }

    pub fn is_word(&self) -> bool {
        matches!(self.id, TokenId::Word(_))
    }

    pub fn is_multiword(&self) -> bool {
        matches!(self.id, TokenId::Range(..))
    }

    pub fn is_empty_node(&self) -> bool {
        matches!(self.id, TokenId::Empty(..))
    }

    /// `false` when MISC contains `SpaceAfter=No`.
    pub fn space_after(&self) -> bool {
        !self.misc.split('|').any(|m| m == "SpaceAfter=No")
    }
}

/// One sentence: its comment lines and its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    /// Comment lines without the leading `#` (so `# text = Hola.` is stored as
    /// `" text = Hola."`), kept verbatim for an exact round trip.
    pub comments: Vec<String>,
    /// Words, multiword-token ranges and empty nodes, in file order.
    pub tokens: Vec<Token>,
    /// 1-based line of the first row in the source file (0 when built in code).
    /// Row `i` of `tokens` is on line `line + i`.
    pub line: usize,
}

impl Sentence {
    /// Value of a `# key = value` comment (first occurrence), trimmed.
    pub fn metadata(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    }

    pub fn sent_id(&self) -> Option<&str> {
        self.metadata("sent_id")
    }

    /// The `# text = ...` comment.
    pub fn text(&self) -> Option<&str> {
        self.metadata("text")
    }

    fn has_marker(&self, marker: &str) -> bool {
        self.comments.iter().any(|c| {
            let c = c.trim_start();
            c.len() >= marker.len()
                && c.is_char_boundary(marker.len())
                && c[..marker.len()].eq_ignore_ascii_case(marker)
                && match c[marker.len()..].chars().next() {
                    None => true,
                    Some(ch) => ch.is_whitespace(),
                }
        })
    }

    /// Whether a `# newdoc` (optionally `# newdoc id = ...`) comment starts a document here.
    pub fn is_newdoc(&self) -> bool {
        self.has_marker("newdoc")
    }

    /// Whether a `# newpar` comment starts a paragraph here.
    pub fn is_newpar(&self) -> bool {
        self.has_marker("newpar")
    }

    pub fn newdoc_id(&self) -> Option<&str> {
        self.metadata("newdoc id")
    }

    pub fn newpar_id(&self) -> Option<&str> {
        self.metadata("newpar id")
    }

    /// Syntactic words (no ranges, no empty nodes).
    pub fn words(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| t.is_word())
    }

    /// Multiword-token range rows.
    pub fn multiword_tokens(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| t.is_multiword())
    }

    /// Empty nodes (kept, but skipped by the evaluation).
    pub fn empty_nodes(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| t.is_empty_node())
    }

    /// Surface tokens: multiword-token ranges and the words not inside one.
    pub fn surface_tokens(&self) -> impl Iterator<Item = &Token> {
        let mut covered_to = 0u32;
        self.tokens.iter().filter(move |t| match t.id {
            TokenId::Range(_, end) => {
                covered_to = end;
                true
            }
            TokenId::Word(n) => n > covered_to,
            TokenId::Empty(..) => false,
        })
    }

    /// The sentence text rebuilt from surface FORMs and `SpaceAfter=No`
    /// (no trailing space).
    pub fn text_from_forms(&self) -> String {
        let mut out = String::new();
        let mut pending_space = false;
        for t in self.surface_tokens() {
            if pending_space {
                out.push(' ');
            }
            out.push_str(&t.form);
            pending_space = t.space_after();
        }
        out
    }
}

/// Streaming CoNLL-U reader: an iterator of sentences.
pub struct Reader<R> {
    inner: R,
    line_no: usize,
    buf: String,
    finished: bool,
}

impl<R: BufRead> Reader<R> {
    pub fn new(inner: R) -> Self {
        Reader {
            inner,
            line_no: 0,
            buf: String::new(),
            finished: false,
        }
    }

    /// Reads the next sentence; `Ok(None)` at the end of input.
    pub fn read_sentence(&mut self) -> Result<Option<Sentence>> {
        if self.finished {
            return Ok(None);
        }
        let mut b = SentenceBuilder::default();
        loop {
            self.buf.clear();
            let n = self.inner.read_line(&mut self.buf).map_err(|e| {
                self.finished = true;
                if e.kind() == std::io::ErrorKind::InvalidData {
                    Error::Syntax {
                        line: self.line_no + 1,
                        message: "invalid UTF-8".into(),
                    }
                } else {
                    Error::from(e)
                }
            })?;
            if n == 0 {
                self.finished = true;
                return b.finish_at_eof(self.line_no);
            }
            self.line_no += 1;
            let mut line = self.buf.trim_end_matches(['\n', '\r']);
            if self.line_no == 1 {
                line = line.strip_prefix('\u{feff}').unwrap_or(line);
            }
            let res = if line.is_empty() {
                match b.finish_at_blank(self.line_no) {
                    Ok(Some(s)) => return Ok(Some(s)),
                    Ok(None) => Ok(()),
                    Err(e) => Err(e),
                }
            } else if let Some(comment) = line.strip_prefix('#') {
                b.comment(comment, self.line_no)
            } else {
                b.row(line, self.line_no)
            };
            if let Err(e) = res {
                self.finished = true;
                return Err(e);
            }
        }
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Sentence>;

    fn next(&mut self) -> Option<Self::Item> {
        self.read_sentence().transpose()
    }
}

#[derive(Default)]
struct SentenceBuilder {
    sentence: Sentence,
    first_comment_line: usize,
    last_word: u32,
    range_end: u32,
    range_line: usize,
    last_empty: Option<(u32, u32)>,
}

fn syntax(line: usize, message: impl Into<String>) -> Error {
    Error::Syntax {
        line,
        message: message.into(),
    }
}

fn parse_num(s: &str, what: &str, line: usize) -> Result<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(syntax(line, format!("cannot parse {what} '{s}'")));
    }
    s.parse::<u32>()
        .map_err(|_| syntax(line, format!("{what} '{s}' is too large")))
}

impl SentenceBuilder {
    fn comment(&mut self, text: &str, line: usize) -> Result<()> {
        if !self.sentence.tokens.is_empty() {
            return Err(syntax(
                line,
                "comment line inside a sentence (comments must precede the rows)",
            ));
        }
        if self.sentence.comments.is_empty() {
            self.first_comment_line = line;
        }
        self.sentence.comments.push(text.to_string());
        Ok(())
    }

    fn row(&mut self, text: &str, line: usize) -> Result<()> {
        let mut cols = text.split('\t');
        let mut fields: [&str; 10] = [""; 10];
        for (i, slot) in fields.iter_mut().enumerate() {
            *slot = cols.next().ok_or_else(|| {
                syntax(
                    line,
                    format!("expected 10 tab-separated columns, found {}", i),
                )
            })?;
        }
        if cols.next().is_some() {
            return Err(syntax(
                line,
                format!(
                    "expected 10 tab-separated columns, found {}",
                    text.split('\t').count()
                ),
            ));
        }
        const NAMES: [&str; 10] = [
            "ID", "FORM", "LEMMA", "UPOS", "XPOS", "FEATS", "HEAD", "DEPREL", "DEPS", "MISC",
        ];
        if let Some(i) = fields.iter().position(|f| f.is_empty()) {
            return Err(syntax(line, format!("empty {} column", NAMES[i])));
        }
        let id = self.parse_id(fields[0], line)?;
        let head = if fields[6] == "_" {
            None
        } else {
            Some(parse_num(fields[6], "HEAD", line)?)
        };
        if self.sentence.tokens.is_empty() {
            self.sentence.line = line;
        }
        self.sentence.tokens.push(Token {
            id,
            form: fields[1].to_string(),
            lemma: fields[2].to_string(),
            upos: fields[3].to_string(),
            xpos: fields[4].to_string(),
            feats: fields[5].to_string(),
            head,
            deprel: fields[7].to_string(),
            deps: fields[8].to_string(),
            misc: fields[9].to_string(),
        });
        Ok(())
    }

    fn parse_id(&mut self, s: &str, line: usize) -> Result<TokenId> {
        if let Some((a, b)) = s.split_once('-') {
            let a = parse_num(a, "multiword token ID", line)?;
            let b = parse_num(b, "multiword token ID", line)?;
            if a != self.last_word + 1 || b <= a {
                return Err(syntax(
                    line,
                    format!(
                        "multiword token ID '{s}' invalid here (expected a range starting at {} and ending after it)",
                        self.last_word + 1
                    ),
                ));
            }
            if self.range_end > self.last_word {
                return Err(syntax(
                    line,
                    format!("multiword token '{s}' overlaps the previous one"),
                ));
            }
            self.range_end = b;
            self.range_line = line;
            Ok(TokenId::Range(a, b))
        } else if let Some((a, b)) = s.split_once('.') {
            let a = parse_num(a, "empty node ID", line)?;
            let b = parse_num(b, "empty node ID", line)?;
            let expected_minor = match self.last_empty {
                Some((ma, mi)) if ma == a => mi + 1,
                _ => 1,
            };
            if a != self.last_word || b != expected_minor {
                return Err(syntax(
                    line,
                    format!(
                        "empty node ID '{s}' invalid here (expected '{}.{}')",
                        self.last_word, expected_minor
                    ),
                ));
            }
            self.last_empty = Some((a, b));
            Ok(TokenId::Empty(a, b))
        } else {
            let n = parse_num(s, "word ID", line)?;
            if n != self.last_word + 1 {
                return Err(syntax(
                    line,
                    format!("incorrect word ID '{s}', expected '{}'", self.last_word + 1),
                ));
            }
            self.last_word = n;
            Ok(TokenId::Word(n))
        }
    }

    fn check_complete(&self, line: usize) -> Result<()> {
        if self.range_end > self.last_word {
            return Err(syntax(
                line,
                format!(
                    "multiword token at line {} ends at word {} but the sentence has {} words",
                    self.range_line, self.range_end, self.last_word
                ),
            ));
        }
        if self.last_word == 0 {
            return Err(syntax(line, "sentence without any word"));
        }
        Ok(())
    }

    fn take(&mut self) -> Sentence {
        let s = std::mem::take(&mut self.sentence);
        *self = SentenceBuilder::default();
        s
    }

    fn finish_at_blank(&mut self, line: usize) -> Result<Option<Sentence>> {
        if self.sentence.tokens.is_empty() {
            if !self.sentence.comments.is_empty() {
                return Err(syntax(
                    self.first_comment_line,
                    "comment lines not followed by any row",
                ));
            }
            // Extra blank line between sentences: tolerated.
            return Ok(None);
        }
        self.check_complete(line)?;
        Ok(Some(self.take()))
    }

    fn finish_at_eof(&mut self, last_line: usize) -> Result<Option<Sentence>> {
        if self.sentence.tokens.is_empty() {
            if !self.sentence.comments.is_empty() {
                return Err(syntax(
                    self.first_comment_line,
                    "comment lines at end of file not followed by any row",
                ));
            }
            return Ok(None);
        }
        self.check_complete(last_line)?;
        Ok(Some(self.take()))
    }
}

/// Parses a whole CoNLL-U string.
pub fn parse_str(text: &str) -> Result<Vec<Sentence>> {
    Reader::new(text.as_bytes()).collect()
}

/// Opens a CoNLL-U file for streaming.
pub fn open_file(path: &Path) -> Result<Reader<BufReader<File>>> {
    let file = File::open(path).map_err(|source| Error::Io {
        path: Some(path.to_path_buf()),
        source,
    })?;
    Ok(Reader::new(BufReader::with_capacity(1 << 16, file)))
}

/// Reads a whole CoNLL-U file.
pub fn read_file(path: &Path) -> Result<Vec<Sentence>> {
    open_file(path)?
        .map(|r| {
            r.map_err(|e| match e {
                Error::Io { path: None, source } => Error::Io {
                    path: Some(path.to_path_buf()),
                    source,
                },
                other => other,
            })
        })
        .collect()
}

fn check_field(value: &str, name: &str, id: TokenId) -> Result<()> {
    if value.is_empty() {
        return Err(Error::Write(format!("row {id}: empty {name}")));
    }
    if value.contains(['\t', '\n', '\r']) {
        return Err(Error::Write(format!(
            "row {id}: {name} contains a tab or line break"
        )));
    }
    Ok(())
}

/// Writes one sentence (comments, rows, terminating blank line).
pub fn write_sentence<W: Write>(w: &mut W, s: &Sentence) -> Result<()> {
    if s.tokens.is_empty() {
        return Err(Error::Write("sentence without rows".into()));
    }
    for c in &s.comments {
        if c.contains(['\n', '\r']) {
            return Err(Error::Write("comment contains a line break".into()));
        }
        writeln!(w, "#{c}")?;
    }
    for t in &s.tokens {
        for (v, name) in [
            (&t.form, "FORM"),
            (&t.lemma, "LEMMA"),
            (&t.upos, "UPOS"),
            (&t.xpos, "XPOS"),
            (&t.feats, "FEATS"),
            (&t.deprel, "DEPREL"),
            (&t.deps, "DEPS"),
            (&t.misc, "MISC"),
        ] {
            check_field(v, name, t.id)?;
        }
        let head = t.head.map_or_else(|| "_".to_string(), |h| h.to_string());
        writeln!(
            w,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            t.id, t.form, t.lemma, t.upos, t.xpos, t.feats, head, t.deprel, t.deps, t.misc
        )?;
    }
    writeln!(w)?;
    Ok(())
}

/// Writes sentences as a CoNLL-U stream.
pub fn write_conllu<'a, W: Write>(
    w: &mut W,
    sentences: impl IntoIterator<Item = &'a Sentence>,
) -> Result<()> {
    for s in sentences {
        write_sentence(w, s)?;
    }
    Ok(())
}

/// Sentences as a CoNLL-U string.
pub fn to_string(sentences: &[Sentence]) -> Result<String> {
    let mut out = Vec::new();
    write_conllu(&mut out, sentences)?;
    String::from_utf8(out).map_err(|e| Error::Write(e.to_string()))
}

/// How [`raw_text_with`] lays sentences out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawTextLayout {
    /// Like UD's `.txt` files: sentences of one paragraph joined by a space,
    /// paragraphs and documents (`# newpar`, `# newdoc`) separated by a blank
    /// line; a file without such comments is a single paragraph. The default,
    /// because it hides the gold sentence boundaries from the system (which is
    /// what the CoNLL 2018 shared task systems received).
    #[default]
    Paragraphs,
    /// One sentence per line (gold sentence segmentation given away); a blank
    /// line still separates paragraphs/documents.
    SentencePerLine,
}

/// The raw text a system gets as input, in the default
/// [`RawTextLayout::Paragraphs`] layout. See [`raw_text_with`].
pub fn raw_text(sentences: &[Sentence]) -> String {
    raw_text_with(sentences, RawTextLayout::Paragraphs)
}

/// The raw text with one sentence per line ([`RawTextLayout::SentencePerLine`]).
pub fn raw_text_lines(sentences: &[Sentence]) -> String {
    raw_text_with(sentences, RawTextLayout::SentencePerLine)
}

/// Rebuilds raw text from sentences: each sentence's text is its `# text =`
/// comment (or, when missing, its surface FORMs joined according to
/// `SpaceAfter=No`). The output ends with a newline when not empty.
///
/// Differences from UD's `conllu_to_text.pl`: no wrapping of long lines at
/// 80 characters, and no paragraph break inside a sentence for `NewPar=Yes` in
/// MISC. Both only change whitespace, which the UD scorer ignores.
pub fn raw_text_with(sentences: &[Sentence], layout: RawTextLayout) -> String {
    let mut out = String::new();
    let mut line_open = false;
    for (i, s) in sentences.iter().enumerate() {
        let text = match s.text() {
            Some(t) => t.to_string(),
            None => s.text_from_forms(),
        };
        let new_block = i > 0 && (s.is_newdoc() || s.is_newpar());
        if new_block {
            if line_open {
                out.push('\n');
            }
            out.push('\n');
            line_open = false;
        }
        if line_open {
            match layout {
                RawTextLayout::Paragraphs => out.push(' '),
                RawTextLayout::SentencePerLine => out.push('\n'),
            }
        }
        out.push_str(&text);
        line_open = true;
    }
    if line_open {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
# newdoc id = demo-es
# newpar
# sent_id = es-1
# text = Vuelvo del mercado para dárselo.
1\tVuelvo\tvolver\tVERB\t_\tMood=Ind|Number=Sing|Person=1|Tense=Pres|VerbForm=Fin\t0\troot\t0:root\t_
2-3\tdel\t_\t_\t_\t_\t_\t_\t_\t_
2\tde\tde\tADP\t_\t_\t4\tcase\t4:case\t_
3\tel\tel\tDET\t_\tDefinite=Def|Gender=Masc|Number=Sing|PronType=Art\t4\tdet\t4:det\t_
4\tmercado\tmercado\tNOUN\t_\tGender=Masc|Number=Sing\t1\tobl\t1:obl\t_
5\tpara\tpara\tADP\t_\t_\t6\tmark\t6:mark\t_
6-8\tdárselo\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No
6\tdar\tdar\tVERB\t_\tVerbForm=Inf\t1\tadvcl\t1:advcl:para\t_
7\tse\tél\tPRON\t_\tCase=Dat|Person=3|PronType=Prs\t6\tiobj\t6:iobj\t_
8\tlo\tél\tPRON\t_\tCase=Acc|Gender=Masc|Number=Sing|Person=3|PronType=Prs\t6\tobj\t6:obj\t_
9\t.\t.\tPUNCT\t_\t_\t1\tpunct\t1:punct\t_

# sent_id = es-2
# text = Ana come y Luis también.
1\tAna\tAna\tPROPN\t_\t_\t2\tnsubj\t2:nsubj|2.1:nsubj\t_
2\tcome\tcomer\tVERB\t_\t_\t0\troot\t0:root\t_
2.1\tcome\tcomer\tVERB\t_\t_\t_\t_\t2:conj\t_
3\ty\ty\tCCONJ\t_\t_\t4\tcc\t2.1:cc\t_
4\tLuis\tLuis\tPROPN\t_\t_\t2\tconj\t2.1:nsubj\t_
5\ttambién\ttambién\tADV\t_\t_\t4\tadvmod\t2.1:advmod\tSpaceAfter=No
6\t.\t.\tPUNCT\t_\t_\t2\tpunct\t2:punct\t_

# newpar
# sent_id = es-3
1\tFin\tfin\tNOUN\t_\t_\t0\troot\t0:root\tSpaceAfter=No
2\t.\t.\tPUNCT\t_\t_\t1\tpunct\t1:punct\t_

";

    #[test]
    fn parses_words_ranges_and_empty_nodes() {
        let s = parse_str(SAMPLE).unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].sent_id(), Some("es-1"));
        assert_eq!(s[0].text(), Some("Vuelvo del mercado para dárselo."));
        assert!(s[0].is_newdoc() && s[0].is_newpar());
        assert_eq!(s[0].newdoc_id(), Some("demo-es"));
        assert_eq!(s[0].line, 5);
        assert_eq!(s[0].words().count(), 9);
        assert_eq!(s[0].multiword_tokens().count(), 2);
        assert_eq!(s[0].tokens[1].id, TokenId::Range(2, 3));
        assert_eq!(s[0].tokens[1].head, None);
        assert_eq!(s[0].tokens[2].head, Some(4));
        let surface: Vec<_> = s[0].surface_tokens().map(|t| t.form.as_str()).collect();
        assert_eq!(
            surface,
            ["Vuelvo", "del", "mercado", "para", "dárselo", "."]
        );
        assert_eq!(s[0].text_from_forms(), "Vuelvo del mercado para dárselo.");
        assert_eq!(s[1].empty_nodes().count(), 1);
        assert_eq!(s[1].tokens[2].id, TokenId::Empty(2, 1));
        assert!(!s[1].is_newpar());
        assert!(s[2].is_newpar() && !s[2].is_newdoc());
        assert_eq!(s[2].text(), None);
    }

    #[test]
    fn round_trip() {
        let s = parse_str(SAMPLE).unwrap();
        let written = to_string(&s).unwrap();
        // Canonical input (single trailing blank line) is reproduced byte for byte.
        assert_eq!(written, SAMPLE.trim_end_matches('\n').to_string() + "\n\n");
        let again = parse_str(&written).unwrap();
        assert_eq!(again, s);
    }

    #[test]
    fn streaming_reader_yields_sentences_one_by_one() {
        let mut r = Reader::new(std::io::Cursor::new(SAMPLE.as_bytes()));
        let mut ids = Vec::new();
        while let Some(s) = r.read_sentence().unwrap() {
            ids.push(s.sent_id().unwrap_or("-").to_string());
        }
        assert_eq!(ids, ["es-1", "es-2", "es-3"]);
        assert!(r.read_sentence().unwrap().is_none());
    }

    #[test]
    fn tolerates_crlf_bom_missing_final_blank_and_extra_blanks() {
        let text = "\u{feff}# text = Hi\r\n1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_\r\n\r\n\r\n1\tYo\tyo\tINTJ\t_\t_\t0\troot\t_\t_";
        let s = parse_str(text).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text(), Some("Hi"));
        assert_eq!(s[1].line, 5);
    }

    fn err_line(text: &str) -> (usize, String) {
        match parse_str(text) {
            Err(Error::Syntax { line, message }) => (line, message),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn malformed_input_errors_name_the_line() {
        let ok = "1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n";
        let (line, msg) = err_line(&format!("{ok}2\tb\tb\tX\t_\t_\t1\n"));
        assert_eq!(line, 2);
        assert!(msg.contains("10 tab-separated"), "{msg}");
        let (line, msg) = err_line(&format!("{ok}3\tb\tb\tX\t_\t_\t1\tdep\t_\t_\n"));
        assert_eq!(line, 2);
        assert!(msg.contains("expected '2'"), "{msg}");
        let (line, _) = err_line(&format!("{ok}x\tb\tb\tX\t_\t_\t1\tdep\t_\t_\n"));
        assert_eq!(line, 2);
        let (line, msg) = err_line(&format!("{ok}2\tb\tb\tX\t_\t_\t-1\tdep\t_\t_\n"));
        assert_eq!(line, 2);
        assert!(msg.contains("HEAD"), "{msg}");
        let (line, msg) = err_line(&format!("{ok}2\tb\t\tX\t_\t_\t1\tdep\t_\t_\n"));
        assert_eq!(line, 2);
        assert!(msg.contains("LEMMA"), "{msg}");
        let (line, _) = err_line(&format!("{ok}# late comment\n"));
        assert_eq!(line, 2);
        let (line, msg) = err_line(&format!(
            "{ok}2-3\tbc\t_\t_\t_\t_\t_\t_\t_\t_\n2\tb\tb\tX\t_\t_\t1\tdep\t_\t_\n\n"
        ));
        assert_eq!(line, 4);
        assert!(msg.contains("ends at word 3"), "{msg}");
        let (line, _) = err_line(&format!("{ok}1.2\te\t_\t_\t_\t_\t_\t_\t_\t_\n"));
        assert_eq!(line, 2);
        let (line, _) = err_line("# only a comment\n\n");
        assert_eq!(line, 1);
    }

    #[test]
    fn invalid_utf8_is_a_syntax_error() {
        let bytes: &[u8] = b"1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n\n2\t\xff\n";
        let res: Result<Vec<Sentence>> = Reader::new(bytes).collect();
        match res {
            Err(Error::Syntax { line, message }) => {
                assert_eq!(line, 3);
                assert!(message.contains("UTF-8"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn writer_rejects_unwritable_fields() {
        let mut s = Sentence::default();
        s.tokens.push(Token::word(1, "a\tb"));
        assert!(matches!(to_string(&[s]), Err(Error::Write(_))));
        assert!(matches!(
            to_string(&[Sentence::default()]),
            Err(Error::Write(_))
        ));
    }

    #[test]
    fn raw_text_layouts() {
        let s = parse_str(SAMPLE).unwrap();
        assert_eq!(
            raw_text(&s),
            "Vuelvo del mercado para dárselo. Ana come y Luis también.\n\nFin.\n"
        );
        assert_eq!(
            raw_text_lines(&s),
            "Vuelvo del mercado para dárselo.\nAna come y Luis también.\n\nFin.\n"
        );
        // No newpar/newdoc at all: one paragraph, sentences joined by a space.
        let plain: Vec<Sentence> = s
            .iter()
            .cloned()
            .map(|mut x| {
                x.comments.retain(|c| !c.contains("new"));
                x
            })
            .collect();
        assert_eq!(
            raw_text(&plain),
            "Vuelvo del mercado para dárselo. Ana come y Luis también. Fin.\n"
        );
        assert_eq!(raw_text(&[]), "");
    }
}
