//! The example harness: runs every rule's own examples (built-in and user rules alike).
//!
//! For a bad example: exactly one finding of the rule, exactly at `flag`; applying the first
//! suggestion gives `fixed`; `fixed` no longer triggers the rule. For a good example: no
//! finding of the rule. Failures carry the example's token table.

use crate::diagnostic::Diagnostic;
use crate::fix::apply_suggestion;
use crate::linter::Linter;
use crate::rules::{Example, Rule, RuleSet};
use crate::tokenize::{token_table, tokenize};

/// One example that did not behave as its rule says.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule_id: String,
    pub path: String,
    /// Line of the example's table in the rule file.
    pub line: usize,
    pub problem: String,
    pub token_table: String,
}

/// The outcome of checking a rule set's examples.
#[derive(Debug, Clone, Default)]
pub struct HarnessReport {
    pub rules: usize,
    pub examples: usize,
    pub failures: Vec<ExampleFailure>,
}

pub fn check_rules(set: &RuleSet) -> HarnessReport {
    let mut report = HarnessReport::default();
    for rule in set.rules() {
        report.rules += 1;
        report.examples += rule.examples.len();
        report.failures.extend(check_rule(set, rule));
    }
    report
}

/// Lints an example as a plain-text file with only the rule under test, so suppression
/// comments in examples work as they do for users.
fn lint_text(text: &str, rules: &Linter) -> Vec<Diagnostic> {
    rules
        .lint_source("example.txt", text.to_owned())
        .diagnostics
}

/// Checks `rule`'s examples with only that rule (and `set`'s document elements and kinds).
pub fn check_rule(set: &RuleSet, rule: &Rule) -> Vec<ExampleFailure> {
    let only_this = Linter::new(set.with_only(rule));
    rule.examples
        .iter()
        .filter_map(|example| {
            let (text, line, problem) = match example {
                Example::Bad {
                    text,
                    flag,
                    fixed,
                    line,
                } => (
                    text,
                    *line,
                    check_bad(&only_this, text, flag, fixed.as_deref()),
                ),
                Example::Good { text, line } => (text, *line, check_good(&only_this, text)),
            };
            problem.map(|problem| ExampleFailure {
                rule_id: rule.id.clone(),
                path: rule.path.clone(),
                line,
                problem,
                token_table: token_table(&tokenize(text, 0)),
            })
        })
        .collect()
}

fn describe(text: &str, found: &[Diagnostic]) -> String {
    let spans: Vec<String> = found
        .iter()
        .map(|d| format!("「{}」", &text[d.span.clone()]))
        .collect();
    format!("{} 件の指摘: {}", found.len(), spans.join(", "))
}

fn check_bad(rules: &Linter, text: &str, flag: &str, fixed: Option<&str>) -> Option<String> {
    let found = lint_text(text, rules);
    let [finding] = found.as_slice() else {
        return Some(format!(
            "bad の例で指摘がちょうど 1 件になりません（{}）",
            describe(text, &found)
        ));
    };
    // `flag` may occur more than once (stacked phrases); the finding must be at one of them.
    let at_flag = text
        .match_indices(flag)
        .any(|(start, _)| finding.span == (start..start + flag.len()));
    if !at_flag {
        return Some(format!(
            "指摘位置が flag と違います: 期待「{flag}」、実際「{}」",
            &text[finding.span.clone()]
        ));
    }
    let fixed = fixed?;
    let applied = apply_suggestion(text, finding, 0).unwrap_or_default();
    if applied != fixed {
        return Some(format!(
            "書き換え結果が fixed と違います: 期待「{fixed}」、実際「{applied}」"
        ));
    }
    let again = lint_text(fixed, rules);
    if !again.is_empty() {
        return Some(format!(
            "書き換え後の文がまだ指摘されます（{}）",
            describe(fixed, &again)
        ));
    }
    None
}

fn check_good(rules: &Linter, text: &str) -> Option<String> {
    let found = lint_text(text, rules);
    (!found.is_empty()).then(|| format!("good の例が指摘されました（{}）", describe(text, &found)))
}

/// For a rule whose first suggestion `--fix` may write (safe or unsafe, with no `{…}` slot):
/// the first bad example whose fixed text still has a finding of the rule touching what the
/// fix wrote, described; `None` when every fix settles its finding.
pub fn fix_recreates_finding(set: &RuleSet, rule: &Rule) -> Option<String> {
    let writable = rule.suggestions.first().is_some_and(|s| {
        s.applicability != crate::diagnostic::Applicability::DisplayOnly
            && !crate::diagnostic::contains_placeholder(&s.replace)
    });
    if !writable {
        return None;
    }
    let only_this = Linter::new(set.with_only(rule));
    rule.examples.iter().find_map(|example| {
        let Example::Bad { text, .. } = example else {
            return None;
        };
        let found = lint_text(text, &only_this);
        let finding = found.first()?;
        let replacement = &finding.suggestions.first()?.replacement;
        let fixed = apply_suggestion(text, finding, 0)?;
        let written = finding.span.start..finding.span.start + replacement.len();
        lint_text(&fixed, &only_this)
            .iter()
            .find(|d| d.span.start <= written.end && written.start <= d.span.end)
            .map(|d| format!("「{fixed}」の「{}」", &fixed[d.span.clone()]))
    })
}
