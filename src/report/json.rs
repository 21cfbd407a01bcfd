//! The JSON report: a stable, documented schema (see README, "JSON output").

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Failure, Run, Summary};
use crate::diagnostic::Diagnostic;
use crate::linter::LintedFile;
use crate::source::LineIndex;

/// Bumped only when a field changes meaning or disappears; new fields may be added.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    files: Vec<FileReport<'a>>,
    /// Inputs that could not be linted or fixed (the run fails: exit 2).
    errors: Vec<ErrorJson<'a>>,
    summary: SummaryJson,
}

/// An input that could not be linted or fixed.
#[derive(Serialize)]
pub(super) struct ErrorJson<'a> {
    path: &'a str,
    error: &'a str,
}

impl<'a> ErrorJson<'a> {
    pub(super) fn of(failure: &'a Failure) -> Self {
        ErrorJson {
            path: &failure.path,
            error: &failure.message,
        }
    }
}

#[derive(Serialize)]
struct FileReport<'a> {
    path: &'a str,
    findings: Vec<Finding<'a>>,
    /// Rewrites `--fix` wrote into the file (0 without `--fix`).
    fixed: usize,
    /// The document's kind and parts.
    document: Option<DocumentJson<'a>>,
}

#[derive(Serialize)]
struct DocumentJson<'a> {
    /// `null` for a plain note (its elements are still reported).
    kind: Option<&'a str>,
    kind_name: Option<&'a str>,
    confidence: f64,
    /// `detected`, `comment` (a kintsugi-lint-kind comment) or `configured`; `null` with no kind.
    source: Option<&'a str>,
    /// Every element by id, in the kind's order (required ones first).
    elements: BTreeMap<&'a str, ElementJson<'a>>,
}

#[derive(Serialize)]
struct ElementJson<'a> {
    name: &'a str,
    required: bool,
    present: bool,
    spans: Vec<SpanJson>,
    /// Sentences that aim at the part without what it needs (an effort pledge for 恒久対策).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attempts: Vec<SpanJson>,
}

#[derive(Serialize)]
struct SpanJson {
    byte_start: usize,
    byte_end: usize,
    line: usize,
    column: usize,
}

fn document_json<'a>(file: &'a LintedFile, index: &LineIndex) -> Option<DocumentJson<'a>> {
    let report = file.document.as_ref()?;
    let elements = report
        .elements
        .iter()
        .map(|e| {
            let to_json = |spans: &[std::ops::Range<usize>]| -> Vec<SpanJson> {
                spans
                    .iter()
                    .map(|span| {
                        let at = index.position(&file.text, span.start);
                        SpanJson {
                            byte_start: span.start,
                            byte_end: span.end,
                            line: at.line,
                            column: at.column,
                        }
                    })
                    .collect()
            };
            let element = ElementJson {
                name: &e.name,
                required: report.required.contains(&e.id),
                present: e.is_present(),
                spans: to_json(&e.evidence),
                attempts: to_json(&e.attempts),
            };
            (e.id.as_str(), element)
        })
        .collect();
    Some(DocumentJson {
        kind: report.kind.as_ref().map(|k| k.id.as_str()),
        kind_name: report.kind.as_ref().map(|k| k.name.as_str()),
        confidence: report.kind.as_ref().map_or(0.0, |k| k.confidence),
        source: report.kind.as_ref().map(|k| k.source.as_str()),
        elements,
    })
}

/// One finding as `json` nests it under its file and `json-lines` prints it on its own line.
#[derive(Serialize)]
pub(super) struct Finding<'a> {
    path: &'a str,
    rule: &'a str,
    category: &'a str,
    severity: &'a str,
    message: &'a str,
    help: &'a str,
    /// The flagged text itself.
    text: &'a str,
    suggestions: Vec<SuggestionJson<'a>>,
    byte_start: usize,
    byte_end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct SuggestionJson<'a> {
    replacement: &'a str,
    applicability: &'a str,
    /// True when the replacement has a `{…}` slot for the writer; never applied by `--fix`.
    has_placeholder: bool,
}

#[derive(Serialize)]
struct SummaryJson {
    files: usize,
    findings: usize,
    error: usize,
    warning: usize,
    info: usize,
    /// Findings at or above their file's `--fail-on` threshold: they make the run exit 1.
    failing: usize,
    /// Rewrites `--fix` wrote.
    fixed: usize,
    /// Inputs that could not be linted or fixed: they make the run exit 2.
    failed_inputs: usize,
}

pub(super) fn finding<'a>(
    file: &'a LintedFile,
    index: &LineIndex,
    d: &'a Diagnostic,
) -> Finding<'a> {
    let start = index.position(&file.text, d.span.start);
    let end = index.position(&file.text, d.span.end);
    Finding {
        path: &file.path,
        rule: &d.rule_id,
        category: &d.category,
        severity: d.severity.as_str(),
        message: &d.message,
        help: &d.help,
        text: &file.text[d.span.clone()],
        suggestions: d
            .suggestions
            .iter()
            .map(|s| SuggestionJson {
                replacement: &s.replacement,
                applicability: s.applicability.as_str(),
                has_placeholder: s.has_placeholder(),
            })
            .collect(),
        byte_start: d.span.start,
        byte_end: d.span.end,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

pub fn render(run: &Run) -> String {
    let summary = Summary::of(run);
    let report = Report {
        version: SCHEMA_VERSION,
        files: run
            .indexed()
            .map(|(i, file)| {
                let index = LineIndex::new(&file.text);
                FileReport {
                    document: document_json(file, &index),
                    path: &file.path,
                    findings: file
                        .diagnostics
                        .iter()
                        .map(|d| finding(file, &index, d))
                        .collect(),
                    fixed: run.fixed_in(i),
                }
            })
            .collect(),
        errors: run.failed.iter().map(ErrorJson::of).collect(),
        summary: SummaryJson {
            files: summary.files,
            findings: summary.findings(),
            error: summary.errors,
            warning: summary.warnings,
            info: summary.infos,
            failing: summary.failing,
            fixed: summary.fixed,
            failed_inputs: summary.failed_inputs,
        },
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}
