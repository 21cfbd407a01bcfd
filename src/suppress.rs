//! Applying suppression comments to findings, and reporting the ones that suppress nothing
//! (rule `unused-suppression`, defined in `rules/suppression.toml`).

use std::collections::{HashMap, HashSet};
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
    let directive_lines: std::collections::HashSet<usize> = all_directives
        .iter()
        .map(|d| line_of(d.range.start))
        .collect();
    let scopes: Vec<Scope> = directives
        .iter()
        .map(|d| match d.kind {
            DirectiveKind::DisableNextLine => {
                Scope::Line(next_content_line(text, &index, d, &directive_lines))
            }
            _ => Scope::Region,
        })
        .collect();
    let suppressors = suppressors(directives, &scopes, &diagnostics, line_of);
    let mut used = vec![false; directives.len()];
    let mut kept = Vec::new();
    for (diagnostic, suppressor) in diagnostics.into_iter().zip(suppressors) {
        match suppressor {
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

/// For each diagnostic, the index of the directive that suppresses it, if any: a
/// `disable-next-line` for its line, else the last region directive before it that names its
/// rule or category (or names nothing) — suppressed when that one is a `disable`. One sweep
/// over the findings in text order, with the directives in text order: the work is linear in
/// both, however many there are.
fn suppressors(
    directives: &[Directive],
    scopes: &[Scope],
    diagnostics: &[Diagnostic],
    line_of: impl Fn(usize) -> usize,
) -> Vec<Option<usize>> {
    let mut by_line: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut regions: Vec<usize> = Vec::new();
    for (i, scope) in scopes.iter().enumerate() {
        match scope {
            Scope::Line(line) => by_line.entry(*line).or_default().push(i),
            Scope::Region => regions.push(i),
        }
    }
    regions.sort_by_key(|&i| directives[i].range.start);
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by_key(|&i| diagnostics[i].span.start);
    // The latest region directive seen so far, per name it names, and among those naming
    // nothing (every rule).
    let mut latest_by_name: HashMap<&str, usize> = HashMap::new();
    let mut latest_for_all: Option<usize> = None;
    let mut next_region = 0;
    let mut found = vec![None; diagnostics.len()];
    for i in order {
        crate::work::count(crate::work::Work::SuppressionSteps, 1);
        let d = &diagnostics[i];
        while let Some(&r) = regions.get(next_region) {
            crate::work::count(crate::work::Work::SuppressionSteps, 1);
            if directives[r].range.start >= d.span.start {
                break;
            }
            if directives[r].names.is_empty() {
                latest_for_all = Some(r);
            }
            for name in &directives[r].names {
                latest_by_name.insert(name, r);
            }
            next_region += 1;
        }
        let on_line = by_line.get(&line_of(d.span.start)).and_then(|candidates| {
            candidates
                .iter()
                .copied()
                .find(|&c| names_match(&directives[c].names, d))
        });
        let region = [
            latest_for_all,
            latest_by_name.get(d.rule_id.as_str()).copied(),
            latest_by_name.get(d.category.as_str()).copied(),
        ]
        .into_iter()
        .flatten()
        .max_by_key(|&r| directives[r].range.start)
        .filter(|&r| directives[r].kind == DirectiveKind::Disable);
        found[i] = on_line.or(region);
    }
    found
}

/// The first line after the directive with content that is not itself a directive.
fn next_content_line(
    text: &str,
    index: &LineIndex,
    directive: &Directive,
    directive_lines: &HashSet<usize>,
) -> usize {
    let own_line = index.position(text, directive.range.end).line;
    (own_line + 1..=index.line_count())
        .find(|&line| {
            crate::work::count(crate::work::Work::SuppressionSteps, 1);
            let range: Range<usize> = index.line_range(text, line);
            !text[range].trim().is_empty() && !directive_lines.contains(&line)
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
