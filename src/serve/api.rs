//! The JSON API of `serve`: a draft in, its findings and checklist out, with offsets the
//! page can use directly (JavaScript strings count UTF-16 code units, not bytes).

use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::linter::LintedFile;
use crate::session::Settings;
use crate::source::LineIndex;

/// What the page sends to `/api/lint`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintRequest {
    pub text: String,
    /// A kind id, or absent/`null` for the kind the server was started with (or detection).
    #[serde(default)]
    pub kind: Option<String>,
    /// `md` lints the draft as Markdown; anything else as plain text.
    #[serde(default)]
    pub format: Option<String>,
}

#[derive(Serialize)]
pub struct LintResponse<'a> {
    /// The path the draft was linted as (its extension chose the format).
    pub path: &'a str,
    pub kind: Option<KindJson<'a>>,
    /// Every kind the rules define, for the page's selector.
    pub kinds: Vec<KindChoice<'a>>,
    pub findings: Vec<FindingJson<'a>>,
    /// The kind's required parts in its order (empty without a kind).
    pub checklist: Vec<ChecklistItem<'a>>,
    pub summary: Counts,
}

#[derive(Serialize)]
pub struct KindJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// `detected`, `comment` or `configured`.
    pub source: &'a str,
    pub confidence: f64,
}

#[derive(Serialize)]
pub struct KindChoice<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// A span in the three units a client may need.
#[derive(Serialize, Clone, Copy)]
pub struct SpanJson {
    /// UTF-16 code units, as `String.prototype.slice` and `textarea.setSelectionRange` count.
    pub start: usize,
    pub end: usize,
    /// Unicode scalar values (characters).
    pub char_start: usize,
    pub char_end: usize,
    /// Bytes of UTF-8, as the CLI's JSON report counts.
    pub byte_start: usize,
    pub byte_end: usize,
}

#[derive(Serialize)]
pub struct FindingJson<'a> {
    pub rule: &'a str,
    pub category: &'a str,
    pub severity: &'a str,
    /// 誤り / 警告 / 情報, as the page shows it.
    pub severity_label: &'static str,
    pub message: &'a str,
    pub help: &'a str,
    pub text: &'a str,
    #[serde(flatten)]
    pub span: SpanJson,
    pub line: usize,
    pub column: usize,
    pub suggestions: Vec<SuggestionJson<'a>>,
}

#[derive(Serialize)]
pub struct SuggestionJson<'a> {
    pub replacement: &'a str,
    pub applicability: &'a str,
    /// `{…}` slots for the writer to fill, in order of first appearance, each once.
    pub slots: Vec<&'a str>,
}

#[derive(Serialize)]
pub struct ChecklistItem<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// `present`, `attempt` (aimed at, but without what the part needs) or `missing`.
    pub status: &'static str,
    /// The first sentence that evidences (or attempts) the part.
    pub span: Option<SpanJson>,
    /// The part's model sentence (after its label for labelled kinds), as `new` prints it.
    pub template: String,
    /// Where the template belongs (UTF-16): after the previous part present, before the
    /// next one, or at the end.
    pub insert_at: usize,
}

#[derive(Serialize, Default)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

/// The path a draft is linted as: its extension picks the format, and config globs
/// (`[kind]`, per-file-ignores) see it as a file in the current directory.
pub fn draft_path(format: Option<&str>) -> &'static str {
    match format {
        Some("md" | "markdown") => "draft.md",
        _ => "draft.txt",
    }
}

/// Lints a draft as the CLI lints `--stdin-filename PATH -`: the same linter, then the
/// config's per-file adjustments. `kind` overrides `default_kind` (serve's `--kind`), which
/// overrides the config's `[kind]` for the path.
pub fn lint_draft(
    settings: &Settings,
    path: &str,
    text: String,
    kind: Option<&str>,
    default_kind: Option<&str>,
) -> LintedFile {
    let kind = kind
        .or(default_kind)
        .or_else(|| settings.config.kind_for(Path::new(path)));
    let mut linted = settings.linter.lint_source_as(path, text, kind);
    settings
        .config
        .adjust(Path::new(path), &mut linted.diagnostics);
    linted
}

/// Maps byte offsets of one text to UTF-16 and character offsets.
struct Offsets {
    /// (byte, utf16, char) at every character start, and at the end.
    marks: Vec<(usize, usize, usize)>,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let mut marks = Vec::with_capacity(text.len() / 2 + 1);
        let (mut utf16, mut chars) = (0, 0);
        for (byte, c) in text.char_indices() {
            marks.push((byte, utf16, chars));
            utf16 += c.len_utf16();
            chars += 1;
        }
        marks.push((text.len(), utf16, chars));
        Offsets { marks }
    }

    /// (utf16, char) at `byte`; a byte inside a character counts as its start.
    fn at(&self, byte: usize) -> (usize, usize) {
        let i = match self.marks.binary_search_by_key(&byte, |m| m.0) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let (_, utf16, chars) = self.marks[i];
        (utf16, chars)
    }

    fn span(&self, range: &Range<usize>) -> SpanJson {
        let (start, char_start) = self.at(range.start);
        let (end, char_end) = self.at(range.end);
        SpanJson {
            start,
            end,
            char_start,
            char_end,
            byte_start: range.start,
            byte_end: range.end,
        }
    }
}

/// The response for one linted draft.
pub fn response<'a>(settings: &'a Settings, file: &'a LintedFile) -> LintResponse<'a> {
    let offsets = Offsets::new(&file.text);
    let index = LineIndex::new(&file.text);
    let rules = settings.linter.rules();
    let mut summary = Counts::default();
    let findings = file
        .diagnostics
        .iter()
        .map(|d| {
            match d.severity {
                crate::Severity::Error => summary.error += 1,
                crate::Severity::Warning => summary.warning += 1,
                crate::Severity::Info => summary.info += 1,
            }
            finding(file, &offsets, &index, d)
        })
        .collect();
    let kind = file
        .document
        .as_ref()
        .and_then(|d| d.kind.as_ref())
        .map(|k| KindJson {
            id: &k.id,
            name: &k.name,
            source: k.source.as_str(),
            confidence: k.confidence,
        });
    LintResponse {
        path: &file.path,
        kind,
        kinds: rules
            .kinds()
            .iter()
            .map(|k| KindChoice {
                id: &k.id,
                name: &k.name,
            })
            .collect(),
        findings,
        checklist: checklist(settings, file, &offsets),
        summary,
    }
}

fn finding<'a>(
    file: &'a LintedFile,
    offsets: &Offsets,
    index: &LineIndex,
    d: &'a Diagnostic,
) -> FindingJson<'a> {
    let at = index.position(&file.text, d.span.start);
    FindingJson {
        rule: &d.rule_id,
        category: &d.category,
        severity: d.severity.as_str(),
        severity_label: d.severity.label_ja(),
        message: &d.message,
        help: &d.help,
        text: file.text.get(d.span.clone()).unwrap_or(""),
        span: offsets.span(&d.span),
        line: at.line,
        column: at.column,
        suggestions: d
            .suggestions
            .iter()
            .map(|s| SuggestionJson {
                replacement: &s.replacement,
                applicability: s.applicability.as_str(),
                slots: slots(&s.replacement),
            })
            .collect(),
    }
}

/// The `{name}` slots of a replacement, each once, in order.
pub fn slots(replacement: &str) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    let mut rest = replacement;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty() && !name.contains('{') && !found.contains(&name) {
            found.push(name);
        }
        rest = &after[close + 1..];
    }
    found
}

fn checklist<'a>(
    settings: &'a Settings,
    file: &'a LintedFile,
    offsets: &Offsets,
) -> Vec<ChecklistItem<'a>> {
    let rules = settings.linter.rules();
    let Some(report) = file.document.as_ref() else {
        return Vec::new();
    };
    let Some(kind) = report.kind.as_ref().and_then(|k| rules.kind(&k.id)) else {
        return Vec::new();
    };
    let parts: Vec<_> = report
        .required
        .iter()
        .filter_map(|id| report.elements.iter().find(|e| e.id == *id))
        .collect();
    let text = file.text.as_str();
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let (status, span) = match (part.evidence.first(), part.attempts.first()) {
                (Some(span), _) => ("present", Some(span)),
                (None, Some(span)) => ("attempt", Some(span)),
                (None, None) => ("missing", None),
            };
            let template = rules
                .elements()
                .iter()
                .find(|e| e.id == part.id)
                .map(|e| {
                    if kind.labels {
                        format!("{}: {}", e.label, e.template)
                    } else {
                        e.template.clone()
                    }
                })
                .unwrap_or_default();
            let before = parts[..i].iter().rev().find_map(|p| p.evidence.last());
            let after = parts[i + 1..].iter().find_map(|p| p.evidence.first());
            let insert_at = match (before, after) {
                (Some(span), _) => line_end(text, span.end),
                (None, Some(span)) => line_start(text, span.start),
                (None, None) => text.len(),
            };
            ChecklistItem {
                id: &part.id,
                name: &part.name,
                status,
                span: span.map(|s| offsets.span(s)),
                template,
                insert_at: offsets.at(insert_at).0,
            }
        })
        .collect()
}

/// The offset just after the line break ending the line at `offset` (or the text's end).
fn line_end(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// The offset of the start of the line at `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_utf16_units_and_characters() {
        // 𠮷 is one character of two UTF-16 units and four bytes.
        let offsets = Offsets::new("a𠮷お");
        assert_eq!(offsets.at(1), (1, 1));
        assert_eq!(offsets.at(5), (3, 2));
        assert_eq!(offsets.at(8), (4, 3));
    }

    #[test]
    fn slots_are_listed_once_in_order() {
        assert_eq!(
            slots("{期限}までに{担当者}が{期限}"),
            vec!["期限", "担当者"]
        );
        assert!(slots("括弧 { だけ").is_empty());
    }

    #[test]
    fn a_template_goes_after_the_line_of_the_previous_part() {
        let text = "一行目\n二行目\n";
        assert_eq!(line_end(text, 3), "一行目\n".len());
        assert_eq!(line_start(text, "一行目\n二".len()), "一行目\n".len());
    }
}
