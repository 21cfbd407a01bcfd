//! What a rule reports: a finding with its span, message and suggested rewrites.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// How serious a finding is; ordered so that `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The Japanese label shown to writers.
    pub fn label_ja(self) -> &'static str {
        match self {
            Severity::Info => "情報",
            Severity::Warning => "警告",
            Severity::Error => "エラー",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a suggested rewrite may be applied without a person reading it (ruff's model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps the meaning; `--fix` applies it.
    Safe,
    /// May change the meaning; applied only with `--unsafe-fixes`.
    Unsafe,
    /// Shown to the writer, never applied automatically.
    DisplayOnly,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// A concrete rewrite of the flagged span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub replacement: String,
    pub applicability: Applicability,
}

impl Suggestion {
    /// A replacement that still contains a `{…}` slot only the writer can fill (期限, 担当者).
    /// Such a suggestion is never written into a file.
    pub fn has_placeholder(&self) -> bool {
        contains_placeholder(&self.replacement)
    }
}

/// True when `text` has a `{name}` slot: an opening brace followed by a closing one.
pub fn contains_placeholder(text: &str) -> bool {
    text.find('{')
        .is_some_and(|open| text[open..].contains('}'))
}

/// One finding in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule_id: String,
    pub category: String,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    /// Byte range in the linted text.
    pub span: Range<usize>,
    pub suggestions: Vec<Suggestion>,
}
