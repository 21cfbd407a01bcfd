//! The default, human format: a miette report per finding (the sentence, the span
//! underlined, the message, and `help:` with the rewrite), then a summary line.

use std::sync::Arc;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    MietteError, MietteSpanContents, Severity as MietteSeverity, SourceCode, SourceSpan,
    SpanContents,
};

use super::Summary;
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
#[derive(Debug)]
struct CharColumnSource {
    name: String,
    text: Arc<String>,
}

impl SourceCode for CharColumnSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.text.read_span(span, before, after)?;
        let start = contents.span().offset();
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..start].chars().count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
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
        match element.evidence.first() {
            Some(span) => {
                let line = index.position(&file.text, span.start).line;
                out.push_str(&format!("  ✔ {}（{}行目）\n", element.name, line));
            }
            None => out.push_str(&format!("  ✘ {}\n", element.name)),
        }
    }
    Some(out)
}

pub fn render(files: &[LintedFile], options: &FullOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    let mut out = String::new();
    for file in files {
        for diagnostic in &file.diagnostics {
            let report = Report {
                diagnostic: diagnostic.clone(),
                source: CharColumnSource {
                    name: file.path.clone(),
                    text: Arc::clone(&file.text),
                },
                help: help_text(diagnostic),
            };
            if handler.render_report(&mut out, &report).is_err() {
                out.push_str(&format!("{}: {}\n", file.path, diagnostic.message));
            }
            out.push('\n');
        }
        if let Some(checklist) = checklist(file) {
            out.push_str(&checklist);
            out.push('\n');
        }
    }
    out.push_str(&Summary::of(files).line_ja());
    out.push('\n');
    out
}
