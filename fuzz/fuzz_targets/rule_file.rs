//! Arbitrary TOML as a rule file: compiles or returns a located error, never panics. A
//! rule that compiles also runs on its own examples.
#![no_main]

use kintsugi_lint::rules::parse_rule_file;
use kintsugi_lint::{Linter, RuleSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(content) = std::str::from_utf8(data) else {
        return;
    };
    match parse_rule_file("fuzz.toml", content) {
        Ok(rules) => {
            let rules: Vec<_> = rules.into_iter().map(|(rule, _)| rule).collect();
            let examples: Vec<String> = rules
                .iter()
                .flat_map(|r| r.examples.iter())
                .map(|e| match e {
                    kintsugi_lint::rules::Example::Bad { text, .. }
                    | kintsugi_lint::rules::Example::Good { text, .. } => text.clone(),
                })
                .collect();
            let linter = Linter::new(RuleSet::from_rules(rules));
            for text in examples {
                let linted = linter.lint_source("fuzz.txt", text);
                for d in &linted.diagnostics {
                    assert!(linted.text.get(d.span.clone()).is_some());
                }
            }
        }
        // Rendered as the CLI renders it: miette's graphical report with the source span.
        Err(err) => {
            let _ = format!("{:?}", miette::Report::new(*err));
        }
    }
});
