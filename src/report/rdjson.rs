//! `rdjson`: the Reviewdog Diagnostic Format (`reviewdog -f=rdjson`), one `DiagnosticResult`
//! document. reviewdog turns `suggestions` into suggested changes on a pull request.
//!
//! Columns: reviewdog's `reviewdog.proto` defines `Position.column` as "starting at 1 (byte
//! count in UTF-8)" — for 'a𐐀b' the column of b is 6 — and a range's `end` as exclusive. So
//! these columns count UTF-8 bytes (a Japanese character is 3), unlike the character columns
//! of `json` and `concise`.
//!
//! Only suggestions without a `{…}` slot become `suggestions` (a slot is for the writer to
//! fill, so it must never be committed as is); the others are written in the message.

use serde::Serialize;

use super::Run;
use crate::diagnostic::{Diagnostic, Severity};
use crate::linter::LintedFile;
use crate::source::LineIndex;

#[derive(Serialize)]
struct DiagnosticResult<'a> {
    source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<&'static str>,
    diagnostics: Vec<RdDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
    /// From Cargo.toml's `homepage` or `repository`; left out while neither is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'static str>,
}

#[derive(Serialize)]
struct RdDiagnostic<'a> {
    message: String,
    location: Location<'a>,
    severity: &'static str,
    code: Code<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<RdSuggestion<'a>>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    /// Left out for an input that could not be linted (the whole file).
    #[serde(skip_serializing_if = "Option::is_none")]
    range: Option<Range>,
}

#[derive(Serialize, Clone, Copy)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize, Clone, Copy)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Code<'a> {
    value: &'a str,
}

#[derive(Serialize)]
struct RdSuggestion<'a> {
    range: Range,
    text: &'a str,
}

/// `ERROR` when the finding fails the run (at or above `--fail-on`), else by its severity.
fn severity(fails: bool, severity: Severity) -> &'static str {
    match (fails, severity) {
        (true, _) => "ERROR",
        (false, Severity::Error | Severity::Warning) => "WARNING",
        (false, Severity::Info) => "INFO",
    }
}

fn range(file: &LintedFile, index: &LineIndex, d: &Diagnostic) -> Range {
    let position = |offset: usize| Position {
        line: index.position(&file.text, offset).line,
        column: index.byte_column(offset),
    };
    Range {
        start: position(d.span.start),
        end: position(d.span.end),
    }
}

fn diagnostic<'a>(
    file: &'a LintedFile,
    index: &LineIndex,
    d: &'a Diagnostic,
    fails: bool,
) -> RdDiagnostic<'a> {
    let range = range(file, index, d);
    let mut message = d.message.clone();
    for suggestion in d.suggestions.iter().filter(|s| s.has_placeholder()) {
        message.push_str(&format!("\n書き換え案: {}", suggestion.replacement));
    }
    RdDiagnostic {
        message,
        location: Location {
            path: &file.path,
            range: Some(range),
        },
        severity: severity(fails, d.severity),
        code: Code { value: &d.rule_id },
        suggestions: d
            .suggestions
            .iter()
            .filter(|s| !s.has_placeholder())
            .map(|s| RdSuggestion {
                range,
                text: &s.replacement,
            })
            .collect(),
    }
}

pub fn render(run: &Run) -> String {
    let mut diagnostics = Vec::new();
    let mut overall: Option<&'static str> = None;
    for (i, file) in run.indexed() {
        let index = LineIndex::new(&file.text);
        for d in &file.diagnostics {
            let rd = diagnostic(file, &index, d, run.fails(i, d));
            overall = worst(overall, rd.severity);
            diagnostics.push(rd);
        }
    }
    for failure in run.failed {
        overall = Some("ERROR");
        diagnostics.push(RdDiagnostic {
            message: failure.message.clone(),
            location: Location {
                path: &failure.path,
                range: None,
            },
            severity: "ERROR",
            code: Code { value: "input" },
            suggestions: Vec::new(),
        });
    }
    let result = DiagnosticResult {
        source: Source {
            name: env!("CARGO_PKG_NAME"),
            url: [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
                .into_iter()
                .find(|url| !url.is_empty()),
        },
        severity: overall,
        diagnostics,
    };
    let mut out = serde_json::to_string_pretty(&result).unwrap_or_default();
    out.push('\n');
    out
}

/// The more serious of two rdjson severities.
fn worst(a: Option<&'static str>, b: &'static str) -> Option<&'static str> {
    let rank = |s: &str| ["INFO", "WARNING", "ERROR"].iter().position(|x| *x == s);
    match a {
        Some(a) if rank(a) >= rank(b) => Some(a),
        _ => Some(b),
    }
}
