//! Linting files and strings with a rule set: the library's main entry point.
//!
//! bytes → decoded text → document (prose, masked markup, suppression comments) → engine →
//! suppressions applied → findings.

use std::path::Path;
use std::sync::Arc;

use thiserror::Error;

use crate::diagnostic::Diagnostic;
use crate::document::{DocumentReport, DocumentView, run_checks};
use crate::engine;
use crate::markup::{self, Document, Format};
use crate::rules::Pattern;
use crate::rules::RuleSet;
use crate::source::decode::{DecodeError, StoredAs, decode_with};
use crate::suppress;

/// One linted input: its display path, the text findings refer to, and the findings.
#[derive(Debug, Clone)]
pub struct LintedFile {
    pub path: String,
    /// Shared with reports, which quote the source around each finding.
    pub text: Arc<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// How the file was stored, when `text` is its verbatim content (so `--fix` can write it
    /// back); `None` for e-mail views and text given as a string.
    pub stored_as: Option<StoredAs>,
    /// The 件名, when the document has one.
    pub subject: Option<std::ops::Range<usize>>,
    /// The document's kind and parts, when it is of a known kind.
    pub document: Option<DocumentReport>,
}

/// Why an input could not be linted.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InputError {
    #[error("{path}: 読み込めません: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: バイナリファイルのためスキップしました")]
    Binary { path: String },
    #[error("{path}: {reason}")]
    Undecodable { path: String, reason: String },
    /// `--fix` did not write the file: why, in a sentence (書き込めません: …, 読み取り専用の…).
    #[error("{path}: {reason}")]
    Fix { path: String, reason: String },
    /// An input larger than the limit (`--max-size`).
    #[error(
        "{path}: {limit_mib} MiB を超えるため読み込みませんでした（上限は --max-size MiB で変えられます）"
    )]
    TooLarge { path: String, limit_mib: u64 },
    /// A folder given on the command line in which nothing is linted, and why.
    #[error("{path}: {reason}")]
    NothingToLint { path: String, reason: String },
    /// A temporary file an interrupted `--fix` left beside the user's files.
    #[error(
        "{path}: 中断された --fix の一時ファイルが残っています。内容を確かめてから削除してください"
    )]
    StaleTemp { path: String },
}

impl InputError {
    /// The input the error is about.
    pub fn path(&self) -> &str {
        match self {
            InputError::Io { path, .. }
            | InputError::Binary { path }
            | InputError::Undecodable { path, .. }
            | InputError::Fix { path, .. }
            | InputError::NothingToLint { path, .. }
            | InputError::TooLarge { path, .. }
            | InputError::StaleTemp { path } => path,
        }
    }

    /// The message without the leading path, as reports that list the path apart show it.
    pub fn reason(&self) -> String {
        let full = self.to_string();
        full.strip_prefix(&format!("{}: ", self.path()))
            .map_or_else(|| full.clone(), str::to_owned)
    }

    /// A binary file is skipped, and a stale temporary file or a folder with nothing to lint
    /// named, with a note; everything else is an error.
    pub fn is_skip(&self) -> bool {
        matches!(
            self,
            InputError::Binary { .. }
                | InputError::StaleTemp { .. }
                | InputError::NothingToLint { .. }
        )
    }
}

/// How inputs are read.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// An encoding label that overrides detection (`--encoding`).
    pub encoding: Option<String>,
    /// Larger inputs are refused (`--max-size`).
    pub max_bytes: u64,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            encoding: None,
            max_bytes: crate::source::DEFAULT_MAX_INPUT_BYTES,
        }
    }
}

impl InputError {
    /// The error for `path` of a [`crate::source::ReadError`].
    pub fn of_read(path: &str, error: crate::source::ReadError) -> Self {
        match error {
            crate::source::ReadError::Io(err) => InputError::Io {
                path: path.to_owned(),
                reason: crate::source::io_reason(&err),
            },
            crate::source::ReadError::TooLarge(limit) => InputError::TooLarge {
                path: path.to_owned(),
                limit_mib: limit / (1024 * 1024),
            },
        }
    }
}

/// A rule set ready to lint.
#[derive(Debug, Clone)]
pub struct Linter {
    rules: RuleSet,
    input: InputOptions,
}

impl Linter {
    pub fn new(rules: RuleSet) -> Self {
        Linter {
            rules,
            input: InputOptions::default(),
        }
    }

    /// Builds what linting needs first side by side, so that a one-file run does not wait
    /// for one after the other: the rules' prefilter (the longest), and meanwhile the
    /// tokenizer, the anchor index and the document filters, which would otherwise be
    /// built by whichever thread needs them first while the others wait. Linting without
    /// it builds them on first use.
    pub fn prepare(&self) {
        rayon::join(
            || {
                self.rules.prefilter();
            },
            || {
                crate::tokenize::segmenter();
                self.rules.anchor_index();
                self.rules.document_filters();
            },
        );
    }

    pub fn with_input_options(mut self, input: InputOptions) -> Self {
        self.input = input;
        self
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// How this linter reads inputs.
    pub fn input_options(&self) -> &InputOptions {
        &self.input
    }

    /// Lints a parsed document; `kind` overrides the document kind (command line, config).
    pub fn lint_document(
        &self,
        path: &str,
        document: Document,
        stored_as: Option<StoredAs>,
        kind: Option<&str>,
    ) -> LintedFile {
        let (mut found, cues) = engine::lint_text_scanned(&document.masked, &self.rules);
        let report = crate::document::analyze_scanned(&self.rules, &document, kind, Some(&cues));
        if let Some(report) = &report {
            found.extend(self.document_findings(&document, report, &found));
            found.sort_by_key(|d| (d.span.start, d.span.end));
        }
        let diagnostics = suppress::apply(&document.text, &document.directives, found, &self.rules);
        LintedFile {
            path: path.to_owned(),
            text: Arc::new(document.text),
            diagnostics,
            stored_as,
            subject: document.subject,
            document: report,
        }
    }

    fn document_findings(
        &self,
        document: &Document,
        report: &DocumentReport,
        found: &[Diagnostic],
    ) -> Vec<Diagnostic> {
        let Some(kind) = report.kind.as_ref().and_then(|k| self.rules.kind(&k.id)) else {
            return Vec::new();
        };
        let view = DocumentView {
            masked: &document.masked,
            subject: document.subject.clone(),
            report,
            kind,
            element_defs: self.rules.elements(),
            sentence_findings: found,
        };
        self.rules
            .rules()
            .iter()
            .filter_map(|rule| match rule.pattern {
                Pattern::Document(check) => Some(run_checks(rule, check, &view)),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// Lints decoded text in the format its path suggests; `path` is only used for that and
    /// for reporting.
    pub fn lint_source(&self, path: &str, text: String) -> LintedFile {
        self.lint_source_as(path, text, None)
    }

    /// Like [`Linter::lint_source`], with the document kind given.
    pub fn lint_source_as(&self, path: &str, text: String, kind: Option<&str>) -> LintedFile {
        let format = Format::from_path(Path::new(path));
        self.lint_document(path, markup::parse(format, text), None, kind)
    }

    /// Decodes raw bytes (a file's, or standard input's) and lints them.
    pub fn lint_bytes(&self, path: &str, bytes: &[u8]) -> Result<LintedFile, InputError> {
        self.lint_bytes_as(path, bytes, None)
    }

    /// Like [`Linter::lint_bytes`], with the document kind given.
    pub fn lint_bytes_as(
        &self,
        path: &str,
        bytes: &[u8],
        kind: Option<&str>,
    ) -> Result<LintedFile, InputError> {
        let format = Format::from_path(Path::new(path));
        if format == Format::Email {
            return self.lint_email(path, bytes, kind);
        }
        let decoded =
            decode_with(bytes, self.input.encoding.as_deref()).map_err(|err| match err {
                DecodeError::Binary => InputError::Binary {
                    path: path.to_owned(),
                },
                other => InputError::Undecodable {
                    path: path.to_owned(),
                    reason: other.to_string(),
                },
            })?;
        let document = markup::parse(format, decoded.text);
        Ok(self.lint_document(path, document, Some(decoded.stored_as), kind))
    }

    /// Lints text already decoded (an editor's buffer) as the file at `path`: what
    /// [`Linter::lint_bytes_as`] does after decoding. E-mail is parsed from its bytes, since
    /// MIME carries its own charsets; other text is never decoded again (an `encoding` set
    /// for files on disk would garble it).
    pub fn lint_text_as(
        &self,
        path: &str,
        text: &str,
        kind: Option<&str>,
    ) -> Result<LintedFile, InputError> {
        match Format::from_path(Path::new(path)) {
            Format::Email => self.lint_email(path, text.as_bytes(), kind),
            _ => Ok(self.lint_source_as(path, text.to_owned(), kind)),
        }
    }

    fn lint_email(
        &self,
        path: &str,
        bytes: &[u8],
        kind: Option<&str>,
    ) -> Result<LintedFile, InputError> {
        let document = markup::parse_email(bytes).ok_or_else(|| InputError::Undecodable {
            path: path.to_owned(),
            reason: format!(
                "メールとして読めません: {}",
                markup::unreadable_reason(bytes)
            ),
        })?;
        Ok(self.lint_document(path, document, None, kind))
    }

    /// Reads, decodes and lints a file.
    pub fn lint_file(&self, path: &Path) -> Result<LintedFile, InputError> {
        self.lint_file_as(path, None)
    }

    /// Like [`Linter::lint_file`], with the document kind given.
    pub fn lint_file_as(&self, path: &Path, kind: Option<&str>) -> Result<LintedFile, InputError> {
        let display = path.display().to_string();
        let bytes = crate::source::read_file_limited(path, self.input.max_bytes)
            .map_err(|err| InputError::of_read(&display, err))?;
        self.lint_bytes_as(&display, &bytes, kind)
    }
}
