//! Applying suppression comments to findings, and reporting the ones that suppress nothing
//! (rule `unused-suppression`, defined in `rules/suppression.toml`).

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::markup::{Directive, DirectiveKind};
use crate::rules::{Pattern, RuleSet};
use crate::source::LineIndex;

/// What a directive covers.
enum Scope {
    /// From the directive on, until an `enable` for the same names.
    Region,
    /// One line (1-based).
    Line(usize),
}

fn names_match(names: &[String], d: &Diagnostic) -> bool {
    names.is_empty() || names.iter().any(|n| *n == d.rule_id || *n == d.category)
}

/// Removes suppressed findings; appends one `unused-suppression` finding per directive that
/// suppressed nothing, when that rule is in the set.
pub fn apply(
    text: &str,
    all_directives: &[Directive],
    diagnostics: Vec<Diagnostic>,
    rules: &RuleSet,
) -> Vec<Diagnostic> {
    let directives: Vec<Directive> = all_directives
        .iter()
        .filter(|d| d.kind.is_suppression())
        .cloned()
        .collect();
    if directives.is_empty() {
        return diagnostics;
    }
    let directives = directives.as_slice();
    let index = LineIndex::new(text);
    let line_of = |offset: usize| index.position(text, offset).line;
    let scopes: Vec<Scope> = directives
        .iter()
        .map(|d| match d.kind {
            DirectiveKind::DisableNextLine => {
                Scope::Line(next_content_line(text, &index, d, all_directives))
            }
            _ => Scope::Region,
        })
        .collect();
    let mut used = vec![false; directives.len()];
    let mut kept = Vec::new();
    for diagnostic in diagnostics {
        match suppressor(
            directives,
            &scopes,
            &diagnostic,
            line_of(diagnostic.span.start),
        ) {
            Some(i) => used[i] = true,
            None => kept.push(diagnostic),
        }
    }
    let unused_rule = rules
        .rules()
        .iter()
        .find(|r| matches!(r.pattern, Pattern::UnusedSuppression));
    if let Some(rule) = unused_rule {
        for (directive, _) in directives
            .iter()
            .zip(&used)
            .filter(|(d, used)| !**used && d.kind != DirectiveKind::Enable)
        {
            kept.push(unused_finding(rule, directive, rules));
        }
        kept.sort_by_key(|d| (d.span.start, d.span.end));
    }
    kept
}

/// The index of the directive that suppresses `d` (on `line`), if any. For regions the last
/// disable before the finding that is not re-enabled wins.
fn suppressor(
    directives: &[Directive],
    scopes: &[Scope],
    d: &Diagnostic,
    line: usize,
) -> Option<usize> {
    let mut active: Option<usize> = None;
    for (i, directive) in directives.iter().enumerate() {
        match scopes[i] {
            Scope::Line(target) if target == line && names_match(&directive.names, d) => {
                return Some(i);
            }
            Scope::Region
                if directive.range.start < d.span.start && names_match(&directive.names, d) =>
            {
                active = match directive.kind {
                    DirectiveKind::Disable => Some(i),
                    _ => None,
                };
            }
            _ => {}
        }
    }
    active
}

/// The first line after the directive with content that is not itself a directive.
fn next_content_line(
    text: &str,
    index: &LineIndex,
    directive: &Directive,
    all: &[Directive],
) -> usize {
    let own_line = index.position(text, directive.range.end).line;
    (own_line + 1..=index.line_count())
        .find(|&line| {
            let range: Range<usize> = index.line_range(text, line);
            let is_directive = all.iter().any(|d| {
                d.range.start >= range.start && d.range.start < range.end.max(range.start + 1)
            });
            !text[range].trim().is_empty() && !is_directive
        })
        .unwrap_or(own_line + 1)
}

fn unused_finding(rule: &crate::rules::Rule, directive: &Directive, rules: &RuleSet) -> Diagnostic {
    let unknown: Vec<&str> = directive
        .names
        .iter()
        .filter(|n| {
            !rules
                .rules()
                .iter()
                .any(|r| r.id == **n || r.category == **n)
        })
        .map(String::as_str)
        .collect();
    let message = if unknown.is_empty() {
        rule.message.clone()
    } else {
        format!(
            "{}（該当するルールがありません: {}）",
            rule.message,
            unknown.join(", ")
        )
    };
    Diagnostic {
        rule_id: rule.id.clone(),
        category: rule.category.clone(),
        severity: rule.severity,
        message,
        help: rule.help.clone(),
        span: directive.range.clone(),
        suggestions: Vec::new(),
    }
}
