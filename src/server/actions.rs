//! Code actions: a quick fix per suggestion, "この行では無視する", and `source.fixAll.kintsugi`.
//! Every edit is made against the version of the buffer it was computed from, and says so
//! (`documentChanges` with the version), so a client applies none to a text it no longer has.

use std::ops::Range;

use lsp_types::{ClientCapabilities, CodeActionParams};
use serde_json::{Value, json};

use crate::diagnostic::{Applicability, Diagnostic};
use crate::fix::Edit;
use crate::markup::Format;

use super::documents::Snapshot;
use super::lint::Linted;
use super::position::{Encoding, Lines};

pub const FIX_ALL: &str = "source.fixAll.kintsugi";
const QUICKFIX: &str = "quickfix";

/// What the client can apply.
#[derive(Debug, Clone, Copy, Default)]
pub struct Support {
    /// `documentChanges`: edits tied to a version of the buffer.
    pub versioned: bool,
    /// LSP 3.18 snippet edits (`workspace.workspaceEdit.snippetEditSupport`).
    pub snippets: bool,
}

impl Support {
    /// `raw` is the client's capabilities as sent: lsp-types predates LSP 3.18 and drops
    /// the snippet flag when it parses them.
    pub fn of(capabilities: &ClientCapabilities, raw: &Value) -> Support {
        let edit = capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.workspace_edit.as_ref());
        let versioned = edit.and_then(|e| e.document_changes).unwrap_or(false);
        let snippets = raw
            .pointer("/workspace/workspaceEdit/snippetEditSupport")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        Support {
            versioned,
            // A snippet edit exists only inside a versioned document change.
            snippets: snippets && versioned,
        }
    }
}

/// The code actions for `params` on `doc`; `fix_all` computes the edits of every safe fix
/// (only when that action is asked for: it re-lints until stable).
pub fn code_actions(
    doc: &Snapshot,
    linted: &Linted,
    params: &CodeActionParams,
    encoding: Encoding,
    support: Support,
    fix_all: impl FnOnce() -> Option<Vec<Edit>>,
) -> Vec<Value> {
    let wants = |kind: &str| {
        params.context.only.as_ref().is_none_or(|only| {
            only.iter()
                .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
        })
    };
    let Some(file) = linted.editable_file() else {
        return Vec::new();
    };
    let lines = Lines::new(&doc.text);
    let writer = Writer {
        doc,
        lines: &lines,
        encoding,
        support,
    };
    let mut actions = Vec::new();
    if wants(QUICKFIX) {
        let asked = lines.span(params.range, encoding);
        for d in file
            .diagnostics
            .iter()
            .filter(|d| overlaps(&d.span, &asked))
        {
            actions.extend(writer.suggestion_actions(d));
            actions.push(writer.ignore_action(d));
        }
    }
    if wants(FIX_ALL)
        && let Some(edits) = fix_all().filter(|edits| !edits.is_empty())
    {
        let edits: Vec<Value> = edits
            .iter()
            .map(|e| writer.text_edit(&e.old, &e.replacement))
            .collect();
        actions.push(json!({
            "title": "安全な書き換えをすべて適用する（kintsugi-lint）",
            "kind": FIX_ALL,
            "edit": writer.workspace_edit(edits),
        }));
    }
    actions
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

struct Writer<'a> {
    doc: &'a Snapshot,
    lines: &'a Lines<'a>,
    encoding: Encoding,
    support: Support,
}

impl Writer<'_> {
    /// One quick fix per suggestion. A suggestion with a `{…}` slot is offered only as a
    /// snippet (the slots become tab stops); written as text, the braces would end up in the
    /// letter.
    fn suggestion_actions(&self, d: &Diagnostic) -> Vec<Value> {
        let mut preferred = true;
        d.suggestions
            .iter()
            .filter(|s| !s.has_placeholder() || self.support.snippets)
            .map(|s| {
                let note = match s.applicability {
                    Applicability::Safe => "",
                    Applicability::Unsafe => "（意味が変わる可能性あり・要確認）",
                    Applicability::DisplayOnly => "（参考案・要確認）",
                };
                let shown = crate::report::escape::shortened(&s.replacement).replace('\n', "⏎");
                let edit = if s.has_placeholder() {
                    self.snippet_edit(&d.span, &s.replacement)
                } else {
                    self.text_edit(&d.span, &s.replacement)
                };
                let is_preferred = preferred && s.applicability == Applicability::Safe;
                preferred &= !is_preferred;
                json!({
                    "title": format!("「{shown}」に書き換える{note}"),
                    "kind": QUICKFIX,
                    "isPreferred": is_preferred,
                    "edit": self.workspace_edit(vec![edit]),
                })
            })
            .collect()
    }

    /// A `kintsugi-lint-disable-next-line RULE` comment on a line of its own above the
    /// finding's line, indented like it, in the comment syntax of the buffer's format.
    fn ignore_action(&self, d: &Diagnostic) -> Value {
        let line = self.lines.position(d.span.start, self.encoding).line;
        let line_span = self.lines.line_span(line);
        let text = &self.doc.text;
        let content = &text[line_span.clone()];
        let indent_len = content.len() - content.trim_start_matches([' ', '\t', '　']).len();
        let indent = &content[..indent_len];
        let comment = match self.doc.format() {
            Format::Markdown | Format::Html => {
                format!("<!-- kintsugi-lint-disable-next-line {} -->", d.rule_id)
            }
            Format::Plain | Format::Email => {
                format!("# kintsugi-lint-disable-next-line {}", d.rule_id)
            }
        };
        let newline = if text[line_span.end..].starts_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let at = line_span.start;
        json!({
            "title": format!("この行では無視する（{}）", d.rule_id),
            "kind": QUICKFIX,
            "edit": self.workspace_edit(vec![
                self.text_edit(&(at..at), &format!("{indent}{comment}{newline}"))
            ]),
        })
    }

    fn text_edit(&self, span: &Range<usize>, new_text: &str) -> Value {
        json!({ "range": self.lines.range(span, self.encoding), "newText": new_text })
    }

    fn snippet_edit(&self, span: &Range<usize>, template: &str) -> Value {
        json!({
            "range": self.lines.range(span, self.encoding),
            "snippet": { "kind": "snippet", "value": snippet(template) },
        })
    }

    fn workspace_edit(&self, edits: Vec<Value>) -> Value {
        if self.support.versioned {
            json!({ "documentChanges": [{
                "textDocument": { "uri": self.doc.uri, "version": self.doc.version },
                "edits": edits,
            }]})
        } else {
            json!({ "changes": { self.doc.uri.as_str(): edits } })
        }
    }
}

/// A suggestion as an LSP snippet: each `{slot}` a numbered placeholder with its name as
/// the default, everything else escaped (`$`, `}` and `\` mean something in a snippet).
pub fn snippet(template: &str) -> String {
    let mut out = String::new();
    let mut stop = 0;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&escape(&rest[..open]));
        stop += 1;
        let name = &rest[open + 1..open + len];
        out.push_str(&format!("${{{stop}:{}}}", escape(name)));
        rest = &rest[open + len + 1..];
    }
    out.push_str(&escape(rest));
    out
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('$', "\\$")
        .replace('}', "\\}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_become_tab_stops_and_the_rest_is_escaped() {
        assert_eq!(
            snippet("{日時}までに{応急の対応}を行います（$5）"),
            "${1:日時}までに${2:応急の対応}を行います（\\$5）"
        );
        assert_eq!(snippet("なし"), "なし");
    }
}
