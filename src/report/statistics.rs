//! `--statistics`: how many findings each rule produced, instead of the findings (like
//! ruff's `--statistics`). Sorted by count, most first, then by rule id.
//!
//! Text: `count  rule-id  category  severity`, columns aligned. With `--format json` one JSON
//! array of `{count, rule, category, severity}`; with `json-lines` one such object per line.

use std::collections::HashMap;

use serde::Serialize;

use crate::linter::LintedFile;

/// Findings of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub count: usize,
    pub rule: String,
    pub category: String,
    pub severity: String,
}

/// Counts per rule, most frequent first, ties by rule id.
pub fn count(files: &[LintedFile]) -> Vec<RuleCount> {
    let mut by_rule: HashMap<&str, RuleCount> = HashMap::new();
    for d in files.iter().flat_map(|f| &f.diagnostics) {
        by_rule
            .entry(&d.rule_id)
            .or_insert_with(|| RuleCount {
                count: 0,
                rule: d.rule_id.clone(),
                category: d.category.clone(),
                severity: d.severity.as_str().to_owned(),
            })
            .count += 1;
    }
    let mut counts: Vec<RuleCount> = by_rule.into_values().collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
    counts
}

/// The aligned table; empty when there are no findings.
pub fn render_text(files: &[LintedFile]) -> String {
    let counts = count(files);
    let width = |f: fn(&RuleCount) -> usize| counts.iter().map(f).max().unwrap_or(0);
    let count_width = width(|c| c.count.to_string().len());
    let rule_width = width(|c| c.rule.chars().count());
    let category_width = width(|c| c.category.chars().count());
    let mut out = String::new();
    for c in &counts {
        out.push_str(&format!(
            "{:>count_width$}  {:<rule_width$}  {:<category_width$}  {}\n",
            c.count, c.rule, c.category, c.severity
        ));
    }
    out
}

/// One JSON array (`--format json`).
pub fn render_json(files: &[LintedFile]) -> String {
    let mut out = serde_json::to_string_pretty(&count(files)).unwrap_or_default();
    out.push('\n');
    out
}

/// One JSON object per rule per line (`--format json-lines`).
pub fn render_json_lines(files: &[LintedFile]) -> String {
    count(files)
        .iter()
        .map(|c| serde_json::to_string(c).unwrap_or_default() + "\n")
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostic::{Diagnostic, Severity};

    fn finding(rule: &str, severity: Severity) -> Diagnostic {
        Diagnostic {
            rule_id: rule.into(),
            category: format!("{rule}-category"),
            severity,
            message: String::new(),
            help: String::new(),
            span: 0..0,
            suggestions: Vec::new(),
        }
    }

    #[test]
    fn sorted_by_count_then_rule_id_with_aligned_columns() {
        let file = |diagnostics| LintedFile {
            path: "a.txt".into(),
            text: Arc::new(String::new()),
            diagnostics,
            stored_as: None,
            subject: None,
            document: None,
        };
        let files = [
            file(vec![
                finding("zz", Severity::Info),
                finding("b", Severity::Error),
                finding("a", Severity::Warning),
            ]),
            file(vec![finding("zz", Severity::Info)]),
        ];
        let counts = count(&files);
        let order: Vec<(usize, &str)> = counts.iter().map(|c| (c.count, c.rule.as_str())).collect();
        assert_eq!(order, [(2, "zz"), (1, "a"), (1, "b")]);
        assert_eq!(
            render_text(&files),
            "2  zz  zz-category  info\n1  a   a-category   warning\n1  b   b-category   error\n"
        );
        assert_eq!(render_text(&[]), "");
        assert_eq!(render_json(&[]), "[]\n");
    }
}
