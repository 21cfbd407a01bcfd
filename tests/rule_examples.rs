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

/// Every built-in condition a rule file can name in `unless` or `when` is documented in
/// rules/README.md's table, by its name in backquotes.
#[test]
fn every_named_condition_is_documented() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/README.md"))
        .expect("rules/README.md");
    let missing: Vec<&str> = kintsugi_lint::engine::conditions::NAMED_CONDITIONS
        .iter()
        .map(|(name, _, _)| *name)
        .filter(|name| !readme.contains(&format!("| `{name}` |")))
        .collect();
    assert!(missing.is_empty(), "undocumented conditions: {missing:?}");
}
