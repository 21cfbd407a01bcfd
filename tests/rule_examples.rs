//! Runs every built-in rule's own examples through the harness.

use kintsugi_lint::RuleSet;
use kintsugi_lint::harness::check_rules;

#[test]
fn every_builtin_rule_passes_its_examples() {
    let rules = RuleSet::builtin().unwrap_or_else(|err| panic!("built-in rules load: {err}"));
    let report = check_rules(&rules);
    assert!(report.rules >= 3, "built-in rules: {}", report.rules);
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| {
            format!(
                "{}:{} [{}] {}\n{}",
                f.path, f.line, f.rule_id, f.problem, f.token_table
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} example(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
