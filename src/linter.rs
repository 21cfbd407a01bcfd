//! Linting files and strings with a rule set: the library's main entry point.

use std::path::Path;
use std::sync::Arc;

use thiserror::Error;

use crate::diagnostic::Diagnostic;
use crate::engine;
use crate::rules::RuleSet;
use crate::source::{DecodeError, decode};

/// One linted input: its display path, its decoded text and the findings in it.
#[derive(Debug, Clone)]
pub struct LintedFile {
    pub path: String,
    /// Shared with reports, which quote the source around each finding.
    pub text: Arc<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why an input could not be linted.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InputError {
    #[error("{path}: 読み込めません: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: バイナリファイルのためスキップしました")]
    Binary { path: String },
    #[error("{path}: UTF-8 として読めないバイト列があります（{offset} バイト目）")]
    InvalidUtf8 { path: String, offset: usize },
}

impl InputError {
    /// A binary file is skipped with a note; everything else is an error.
    pub fn is_skip(&self) -> bool {
        matches!(self, InputError::Binary { .. })
    }
}

/// A rule set ready to lint.
#[derive(Debug, Clone)]
pub struct Linter {
    rules: RuleSet,
}

impl Linter {
    pub fn new(rules: RuleSet) -> Self {
        Linter { rules }
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Lints text that is already decoded; `path` is only used for reporting.
    pub fn lint_source(&self, path: &str, text: String) -> LintedFile {
        let diagnostics = engine::lint_text(&text, &self.rules);
        LintedFile {
            path: path.to_owned(),
            text: Arc::new(text),
            diagnostics,
        }
    }

    /// Decodes raw bytes (e.g. standard input) and lints them.
    pub fn lint_bytes(&self, path: &str, bytes: &[u8]) -> Result<LintedFile, InputError> {
        let text = decode(bytes).map_err(|err| match err {
            DecodeError::Binary => InputError::Binary {
                path: path.to_owned(),
            },
            DecodeError::InvalidUtf8 { offset } => InputError::InvalidUtf8 {
                path: path.to_owned(),
                offset,
            },
        })?;
        Ok(self.lint_source(path, text))
    }

    /// Reads, decodes and lints a file.
    pub fn lint_file(&self, path: &Path) -> Result<LintedFile, InputError> {
        let display = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|err| InputError::Io {
            path: display.clone(),
            reason: err.to_string(),
        })?;
        self.lint_bytes(&display, &bytes)
    }
}
