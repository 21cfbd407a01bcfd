//! Hover: the documentation of the rule behind a finding (or named in a suppression
//! comment), the very text `kintsugi-lint rule ID` prints. Completion: rule ids and
//! categories in suppression comments and in `select`/`ignore` of kintsugi.toml.

use std::sync::LazyLock;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Hover, HoverContents, MarkupContent,
    MarkupKind, Position, TextEdit,
};
use regex::Regex;

use super::documents::Snapshot;
use super::lint::{Linted, Shared};
use super::position::{Encoding, Lines};

/// The rule ids of the findings at `position`, else the rule named under the cursor in a
/// suppression comment.
fn rules_at(
    doc: &Snapshot,
    linted: &Linted,
    position: Position,
    encoding: Encoding,
) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    if let Some(file) = linted.file() {
        // Findings refer to the linted text (an e-mail's view has the buffer's lines).
        let lines = Lines::new(&file.text);
        let at = lines.offset(position, encoding);
        for d in file.diagnostics.iter() {
            let on =
                d.span.start <= at && (at < d.span.end || d.span.is_empty() && at == d.span.end);
            if on && !ids.contains(&d.rule_id) {
                ids.push(d.rule_id.clone());
            }
        }
    }
    if ids.is_empty() {
        ids.extend(word_in_directive(doc, position, encoding));
    }
    ids
}

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"kintsugi-lint-(?:disable-next-line|disable|enable)\b").expect("valid regex")
});

/// The word under the cursor when it follows a suppression keyword on its line.
fn word_in_directive(doc: &Snapshot, position: Position, encoding: Encoding) -> Option<String> {
    let lines = Lines::new(&doc.text);
    let line = &doc.text[lines.line_span(position.line)];
    let at = lines.offset(position, encoding) - lines.line_span(position.line).start;
    let keyword = DIRECTIVE.find(line)?;
    if at < keyword.end() {
        return None;
    }
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let start = line[..at].rfind(|c: char| !is_name(c)).map_or(0, |i| i + 1);
    let end = line[at..]
        .find(|c: char| !is_name(c))
        .map_or(line.len(), |i| at + i);
    let word = &line[start..end];
    (!word.is_empty()).then(|| word.to_owned())
}

pub fn hover(
    shared: &Shared,
    doc: &Snapshot,
    linted: &Linted,
    position: Position,
) -> Option<Hover> {
    let texts: Vec<String> = rules_at(doc, linted, position, shared.encoding)
        .iter()
        .filter_map(|id| shared.describe_rule(&doc.path, id))
        .collect();
    if texts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            // Plain text: the same characters as the command prints, not re-rendered.
            kind: MarkupKind::PlainText,
            value: texts.join("\n――――――――\n\n"),
        }),
        range: None,
    })
}

/// Whether the cursor is where a rule name goes: after a suppression keyword, or inside a
/// string on a `select`/`ignore` line (or a per-file-ignores entry) of a config file.
fn expects_rule_name(doc: &Snapshot, before: &str) -> bool {
    if DIRECTIVE.is_match(before) {
        return true;
    }
    let is_config = doc
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| crate::config::CONFIG_FILE_NAMES.contains(&n));
    let in_string = before.matches('"').count() % 2 == 1;
    is_config
        && in_string
        && (before.contains("select") || before.contains("ignore") || before.contains('['))
}

pub fn completion(shared: &Shared, doc: &Snapshot, position: Position) -> Vec<CompletionItem> {
    let encoding = shared.encoding;
    let lines = Lines::new(&doc.text);
    let line = lines.line_span(position.line);
    let cursor = lines.offset(position, encoding).clamp(line.start, line.end);
    let before = &doc.text[line.start..cursor];
    if !expects_rule_name(doc, before) {
        return Vec::new();
    }
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let typed_len = before.len() - before.trim_end_matches(is_name).len();
    let typed = cursor - typed_len..cursor;
    let range = lines.range(&typed, encoding);
    shared
        .rule_names(&doc.path)
        .into_iter()
        .map(|(name, detail)| CompletionItem {
            label: name.clone(),
            kind: Some(if detail == "カテゴリ" {
                CompletionItemKind::MODULE
            } else {
                CompletionItemKind::VALUE
            }),
            detail: Some(detail),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, name))),
            ..Default::default()
        })
        .collect()
}
