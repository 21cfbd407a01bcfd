//! Arbitrary text linted with every built-in rule, in each format (the first byte picks
//! one): every finding's span lies within the text on character boundaries.
#![no_main]

use std::sync::LazyLock;

use kintsugi_lint::{Linter, RuleSet};
use libfuzzer_sys::fuzz_target;

static LINTER: LazyLock<Linter> =
    LazyLock::new(|| Linter::new(RuleSet::builtin().expect("built-in rules load")));

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let path = ["fuzz.txt", "fuzz.md", "fuzz.html", "fuzz.eml"][usize::from(selector % 4)];
    let text = String::from_utf8_lossy(rest).into_owned();
    let linted = LINTER.lint_source(path, text);
    for d in &linted.diagnostics {
        assert!(
            linted.text.get(d.span.clone()).is_some(),
            "{} span {:?} outside or off a char boundary",
            d.rule_id,
            d.span
        );
    }
    // Raw bytes too (decoding and the e-mail view).
    if let Ok(linted) = LINTER.lint_bytes(path, rest) {
        for d in &linted.diagnostics {
            assert!(linted.text.get(d.span.clone()).is_some(), "{}", d.rule_id);
        }
    }
});
