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
///
/// miette finds a span's lines by reading the text from its start, which made rendering
/// quadratic in the size of a file (one read per finding: a 10 MB file with 2,000 findings
/// took 50 s). So each read starts a few lines before the span instead, at a line start
/// looked up in `line_starts`, and the line numbers are shifted back.
#[derive(Debug)]
struct CharColumnSource {
    name: String,
    text: Arc<String>,
    line_starts: Arc<Vec<LineStart>>,
}

/// A place where miette's line counting can restart: the offset just after a `\n`, and how
/// many line breaks miette counts before it (`\n`, `\r\n` and a lone `\r` are one each).
#[derive(Debug, Clone, Copy)]
struct LineStart {
    offset: usize,
    breaks_before: usize,
}

fn line_starts(text: &str) -> Vec<LineStart> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    let mut breaks = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        match byte {
            b'\n' => {
                breaks += 1;
                starts.push(LineStart {
                    offset: i + 1,
                    breaks_before: breaks,
                });
            }
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => breaks += 1,
            _ => {}
        }
    }
    starts
}

impl SourceCode for CharColumnSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // Restart at a line start with more than `before` line breaks between it and the
        // span, so that miette sees the same context lines as from the start of the text.
        let newlines_before = self
            .line_starts
            .partition_point(|start| start.offset <= span.offset());
        let restart = newlines_before
            .checked_sub(before + 2)
            .map(|i| self.line_starts[i]);
        let (base, lines_before) = restart.map_or((0, 0), |r| (r.offset, r.breaks_before));
        let shifted = SourceSpan::new((span.offset() - base).into(), span.len());
        let contents = self.text[base..].read_span(&shifted, before, after)?;
        let start = base + contents.span().offset();
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..start].chars().count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            SourceSpan::new(start.into(), contents.span().len()),
            lines_before + contents.line(),
            column,
            lines_before + contents.line_count(),
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
        let starts = Arc::new(line_starts(&file.text));
        for diagnostic in &file.diagnostics {
            let report = Report {
                diagnostic: diagnostic.clone(),
                source: CharColumnSource {
                    name: file.path.clone(),
                    text: Arc::clone(&file.text),
                    line_starts: Arc::clone(&starts),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading a span from a nearby line start must give what miette reads from the start
    /// of the text: same lines, same line numbers.
    #[test]
    fn windowed_reads_match_reads_from_the_start() {
        let text = "一行目\n二行目\r\n三行目\r四行目\n\n六行目の文。七\n八行目\r\n九行目\n十行目";
        let source = CharColumnSource {
            name: "t.txt".into(),
            text: Arc::new(text.to_owned()),
            line_starts: Arc::new(line_starts(text)),
        };
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for &start in &boundaries {
            for &end in boundaries.iter().filter(|&&e| e >= start) {
                let span = SourceSpan::new(start.into(), end - start);
                for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                    let whole = text.read_span(&span, before, after);
                    let windowed = source.read_span(&span, before, after);
                    match (whole, windowed) {
                        (Ok(w), Ok(v)) => {
                            assert_eq!(w.data(), v.data(), "{start}..{end}");
                            assert_eq!(w.span(), v.span(), "{start}..{end}");
                            assert_eq!(w.line(), v.line(), "{start}..{end}");
                            assert_eq!(w.line_count(), v.line_count(), "{start}..{end}");
                        }
                        (w, v) => assert_eq!(w.is_err(), v.is_err(), "{start}..{end}"),
                    }
                }
            }
        }
    }
}
