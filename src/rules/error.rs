//! Errors in rule and config files, pointing at the file, line and column of the offending
//! value.

use std::ops::Range;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::source::LineIndex;

/// A rule or config file that cannot be used. Its `Display` starts with `path:line:column` so that
/// the location is visible even where miette's graphical report is not shown.
#[derive(Debug, Error, Diagnostic)]
#[error("{path}:{line}:{column}: {message}")]
#[diagnostic(code(kintsugi::file))]
pub struct LocatedError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[source_code]
    source_code: NamedSource<String>,
    #[label("ここ")]
    span: SourceSpan,
    #[help]
    pub help: Option<String>,
}

impl LocatedError {
    pub fn new(path: &str, content: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(content, span.start.min(content.len()));
        let end = floor_char_boundary(content, span.end.clamp(start, content.len()));
        let position = LineIndex::new(content).position(content, start);
        LocatedError {
            path: path.to_owned(),
            line: position.line,
            column: position.column,
            message: message.into(),
            source_code: NamedSource::new(path, content.to_owned()),
            span: (start..end).into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
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
    #[diagnostic(code(kintsugi::rule_io))]
    Io { path: String, reason: String },
    #[error("{path}: 設定ファイルを読み込めません: {reason}")]
    #[diagnostic(code(kintsugi::config_io))]
    ConfigIo { path: String, reason: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] Box<LocatedError>),
    #[error(
        "{origin}: 該当するルールもカテゴリもありません: {names}（`kintsugi-lint rules` で一覧を確認できます）"
    )]
    #[diagnostic(code(kintsugi::unknown_selector))]
    UnknownSelector { names: String, origin: String },
    #[error("文書の種類「{kind}」はありません（{known}）")]
    #[diagnostic(code(kintsugi::unknown_kind))]
    UnknownKind { kind: String, known: String },
}
