//! The default, human format: a miette report per finding (the sentence, the span
//! underlined, the message, and `help:` with the rewrite), then a summary line.

use std::borrow::Cow;
use std::sync::Arc;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    MietteError, MietteSpanContents, Severity as MietteSeverity, SourceCode, SourceSpan,
    SpanContents,
};
use rayon::prelude::*;

use super::{Run, Summary, escape};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::KindSource;
use crate::linter::LintedFile;
use crate::source::LineIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FullOptions {
    pub color: bool,
    /// Terminal width for wrapping; reports are stable at a fixed width in tests.
    pub width: usize,
}

impl Default for FullOptions {
    fn default() -> Self {
        FullOptions {
            color: false,
            width: 100,
        }
    }
}

/// The linted text as miette reads it. miette counts the column in its `[path:line:col]`
/// header in bytes; Japanese needs characters (as in every other output), so the column of
/// each span read is recounted.
///
/// miette's own `read_span` for strings scans the text from its first byte on every call,
/// and shows whole lines: with a finding every few lines of a 50 MB file that is quadratic,
/// and a 5 MB line without a break was copied and padded per finding (gigabytes, then a
/// panic: "Formatting argument out of range"). Spans are located with a [`LineIndex`]
/// instead, and a long line is cut to `CONTEXT_BYTES` either side of the finding.
#[derive(Debug)]
struct CharColumnSource {
    name: String,
    text: Arc<String>,
    index: Arc<LineIndex>,
}

/// How much of a long line is shown on each side of a finding.
const CONTEXT_BYTES: usize = 240;

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl SourceCode for CharColumnSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_str();
        let index = &self.index;
        let span_start = span.offset();
        let span_end = span_start + span.len();
        if span_end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let (mut start, mut end) = if before == 0 && after == 0 {
            // The header's reference point: the span itself.
            (span_start, span_end)
        } else {
            // Whole lines: `before` lines above the span's first, `after` below its last,
            // each with its line break.
            let first = index.line_number(span_start) - 1;
            let last = index.line_number(span_end.saturating_sub(1).max(span_start)) - 1;
            let from = first.saturating_sub(before) + 1;
            let to = (last + 1 + after).min(index.line_count());
            let start = index.line_range(text, from).start;
            let end = if to < index.line_count() {
                index.line_range(text, to + 1).start
            } else {
                text.len()
            };
            (start, end)
        };
        if end - start > span.len() + 2 * CONTEXT_BYTES {
            start = start.max(ceil_boundary(
                text,
                span_start.saturating_sub(CONTEXT_BYTES),
            ));
            end = end.min(floor_boundary(
                text,
                (span_end + CONTEXT_BYTES).min(text.len()),
            ));
        }
        let position = index.position(text, start);
        let data = &text[start..end];
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data.as_bytes(),
            (start, end - start).into(),
            position.line - 1,
            position.column - 1,
            data.matches('\n').count(),
        )))
    }
}

/// One finding as miette sees it.
#[derive(Debug)]
struct Report {
    diagnostic: Diagnostic,
    source: CharColumnSource,
    help: String,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report {}

impl MietteDiagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.diagnostic.rule_id))
    }

    fn severity(&self) -> Option<MietteSeverity> {
        Some(match self.diagnostic.severity {
            Severity::Error => MietteSeverity::Error,
            Severity::Warning => MietteSeverity::Warning,
            Severity::Info => MietteSeverity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = &self.diagnostic.span;
        let label = LabeledSpan::new(
            Some(self.diagnostic.category.clone()),
            span.start,
            span.end - span.start,
        );
        Some(Box::new(std::iter::once(label)))
    }
}

/// The help line: the rule's advice, then each suggested rewrite.
fn help_text(diagnostic: &Diagnostic) -> String {
    let mut help = diagnostic.help.clone();
    for suggestion in &diagnostic.suggestions {
        help.push_str(&format!("\n書き換え案: {}", suggestion.replacement));
    }
    help
}

/// The per-document checklist: kind, confidence, and ✔/✘ for each required element with
/// the line of its first evidence.
fn checklist(file: &LintedFile) -> Option<String> {
    let report = file.document.as_ref()?;
    let kind = report.kind.as_ref()?;
    let source = match kind.source {
        KindSource::Detected => "本文から推定",
        KindSource::Comment => "ファイル内の指定",
        KindSource::Configured => "設定で指定",
    };
    let index = LineIndex::new(&file.text);
    let mut out = format!(
        "{}: {}（{}、確度 {:.2}、{}）\n",
        file.path, kind.name, kind.id, kind.confidence, source
    );
    for id in &report.required {
        let Some(element) = report.elements.iter().find(|e| e.id == *id) else {
            continue;
        };
        match (element.evidence.first(), element.attempts.first()) {
            (Some(span), _) => {
                let line = index.position(&file.text, span.start).line;
                out.push_str(&format!("  ✔ {}（{}行目）\n", element.name, line));
            }
            // Aimed at but without the mechanism the part needs (an effort pledge).
            (None, Some(span)) => {
                let line = index.position(&file.text, span.start).line;
                out.push_str(&format!(
                    "  △ {}（{}行目: 仕組みが書かれていません）\n",
                    element.name, line
                ));
            }
            (None, None) => out.push_str(&format!("  ✘ {}\n", element.name)),
        }
    }
    Some(out)
}

pub fn render(run: &Run, options: &FullOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    // Files render independently, so in parallel (miette's layout and wrapping are most of
    // the cost of printing many findings), and are joined in order.
    let rendered: Vec<String> = run
        .files
        .par_iter()
        .enumerate()
        .map(|(i, file)| render_file(&handler, file, run.fixed_in(i)))
        .collect();
    let mut out = rendered.concat();
    for failure in run.failed {
        out.push_str(&format!(
            "{}: エラー: {}\n\n",
            failure.path, failure.message
        ));
    }
    out.push_str(&Summary::of(run).line_ja());
    out.push('\n');
    out
}

/// One file's findings, each with its source excerpt, then its document checklist.
fn render_file(handler: &GraphicalReportHandler, file: &LintedFile, fixed: usize) -> String {
    let mut out = String::new();
    if fixed > 0 {
        let name = escape::visible(&file.path);
        out.push_str(&format!("{name}: {fixed} 件を修正しました\n\n"));
    }
    let index = Arc::new(LineIndex::new(&file.text));
    // Excerpts keep their byte offsets (the spans index them); names and messages do not
    // need to, and show each control character as an escape.
    let shown_text = match escape::same_length(&file.text) {
        Cow::Borrowed(_) => Arc::clone(&file.text),
        Cow::Owned(text) => Arc::new(text),
    };
    let name = escape::visible(&file.path).into_owned();
    for diagnostic in &file.diagnostics {
        let mut diagnostic = diagnostic.clone();
        diagnostic.message = escape::visible(&diagnostic.message).into_owned();
        let report = Report {
            help: escape::visible(&help_text(&diagnostic)).into_owned(),
            diagnostic,
            source: CharColumnSource {
                name: name.clone(),
                text: Arc::clone(&shown_text),
                index: Arc::clone(&index),
            },
        };
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{name}: {}\n", report.diagnostic.message));
        }
        out.push('\n');
    }
    if let Some(checklist) = checklist(file) {
        out.push_str(&checklist);
        out.push('\n');
    }
    out
}
