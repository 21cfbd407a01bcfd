//! Errors in rule and config files, pointing at the file, line and column of the offending
//! value.

use std::ops::Range;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::source::LineIndex;

/// A rule or config file that cannot be used. Its `Display` starts with `path:line:column` so that
/// the location is visible even where miette's graphical report is not shown.
// No `code(...)`: miette prints it above the message, and `kintsugi::file` means nothing
// to a writer.
#[derive(Debug, Error, Diagnostic)]
#[error("{path}:{line}:{column}: {message}")]
pub struct LocatedError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// `None` when the lines around the span are too long to quote (see `quotable`).
    #[source_code]
    source_code: Option<NamedSource<String>>,
    #[label("ここ")]
    span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
}

impl LocatedError {
    pub fn new(path: &str, content: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(content, span.start.min(content.len()));
        let end = floor_char_boundary(content, span.end.clamp(start, content.len()));
        let position = LineIndex::new(content).position(content, start);
        let quoted = quotable(content, start, end);
        LocatedError {
            path: path.to_owned(),
            line: position.line,
            column: position.column,
            message: crate::report::escape::shortened_to(&message.into(), MAX_MESSAGE_CHARS)
                .into_owned(),
            source_code: quoted.then(|| NamedSource::new(path, content.to_owned())),
            span: quoted.then(|| (start..end).into()),
            help: None,
        }
    }

    /// A TOML or serde error in the file, in Japanese after `frame` (「設定ファイルを解析できません」),
    /// with a もしかして hint when a known name is close to the one written.
    pub fn from_toml(path: &str, content: &str, err: &toml::de::Error, frame: &str) -> Self {
        let translated = super::toml_message::translate(err.message());
        let located = LocatedError::new(
            path,
            content,
            err.span().unwrap_or(0..0),
            format!("{frame}: {}", translated.message),
        );
        match translated.help {
            Some(help) => located.with_help(help),
            None => located,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The most characters of an error message: a regex error repeats the whole pattern, and
/// a refused 100k-alternative pattern must not print megabytes.
const MAX_MESSAGE_CHARS: usize = 1_000;

/// The most characters miette may quote around a span (it shows the span's lines and one
/// line either side): a one-line 700 KB regex or a 500,000-name `select` list is located
/// by `path:line:column` alone instead of being printed whole.
const MAX_QUOTED_CHARS: usize = 2_000;

fn quotable(content: &str, start: usize, end: usize) -> bool {
    let line_start = |at: usize| content[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |at: usize| content[at..].find('\n').map_or(content.len(), |i| at + i);
    let first = line_start(start);
    let from = line_start(first.saturating_sub(1));
    let last = line_end(end);
    let to = line_end((last + 1).min(content.len()));
    content[from..to].chars().nth(MAX_QUOTED_CHARS).is_none()
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Errors while gathering rules: a file that cannot be read, or a bad rule file.
#[derive(Debug, Error, Diagnostic)]
pub enum RuleError {
    #[error("{path}: ルールファイルを読み込めません: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: 設定ファイルを読み込めません: {reason}")]
    ConfigIo { path: String, reason: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] Box<LocatedError>),
    /// `names` and `hint` are ready to show: shortened, and the closest known name or where
    /// to look names up.
    #[error("{origin}: 該当するルールもカテゴリもありません: {names}（{hint}）")]
    UnknownSelector {
        names: String,
        origin: String,
        hint: String,
    },
    #[error("文書の種類「{kind}」はありません（{hint}使える種類: {known}）")]
    UnknownKind {
        kind: String,
        known: String,
        hint: String,
    },
}

impl RuleError {
    /// `kind` is no document kind of `rules`: the closest one, and the list.
    pub fn unknown_kind(kind: &str, rules: &super::RuleSet) -> Self {
        let known: Vec<&str> = rules.kinds().iter().map(|k| k.id.as_str()).collect();
        RuleError::UnknownKind {
            kind: crate::report::escape::shortened(kind).into_owned(),
            hint: crate::suggest::did_you_mean(kind, known.iter().copied())
                .map(|hint| format!("{hint}。"))
                .unwrap_or_default(),
            known: known.join(", "),
        }
    }

    /// `unknown` names from the command line are no rule id or category (`known`).
    pub fn unknown_selectors(unknown: &[String], known: &[String]) -> Self {
        let first = unknown.first().map_or("", String::as_str);
        RuleError::UnknownSelector {
            names: crate::report::escape::shortened(&unknown.join(", ")).into_owned(),
            hint: crate::suggest::did_you_mean(first, known.iter().map(String::as_str))
                .unwrap_or_else(|| "`kintsugi-lint rules` で一覧を確認できます".to_owned()),
            origin: "コマンドライン".into(),
        }
    }
}
