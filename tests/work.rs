//! Cost grows linearly with the text and with its findings, whatever the shape: counted as
//! work (src/work.rs), never timed. Each shape is linted at n, 2n and 4n; the work may grow
//! by at most `SLACK` times the size. Everything runs in one test: the counters are global
//! to the process.

use kintsugi_lint::work::{Work, counted};
use kintsugi_lint::{Linter, RuleSet};

/// Doubling the input may multiply the work by at most this.
const SLACK: f64 = 2.3;

/// The work of `kind` linting `text` as `path` takes.
fn work_of(linter: &Linter, path: &str, text: String, kind: Work) -> u64 {
    let before = counted(kind);
    linter.lint_source(path, text);
    counted(kind) - before
}

/// Asserts the work grows linearly over n, 2n, 4n copies made by `shape`.
fn assert_linear(
    name: &str,
    linter: &Linter,
    path: &str,
    kind: Work,
    shape: impl Fn(usize) -> String,
) {
    let n = 2_000;
    let counts: Vec<u64> = [n, 2 * n, 4 * n]
        .iter()
        .map(|&size| work_of(linter, path, shape(size), kind))
        .collect();
    assert!(counts[0] > 0, "{name}: nothing counted");
    for pair in counts.windows(2) {
        let ratio = pair[1] as f64 / pair[0] as f64;
        assert!(
            ratio <= SLACK,
            "{name}: {kind:?} grew {ratio:.1}× when the input doubled ({counts:?})"
        );
    }
}

#[test]
fn work_is_linear_in_every_shape() {
    assert!(
        kintsugi_lint::work::enabled(),
        "the tests build with work-counters"
    );
    let builtin = Linter::new(RuleSet::builtin().expect("built-in rules load"));
    // One sentence of thousands of findings: conditions are worked out once per sentence.
    assert_linear("dense line", &builtin, "a.txt", Work::Conditions, |n| {
        "検討します".repeat(n)
    });
    assert_linear("dense line", &builtin, "a.txt", Work::PatternSteps, |n| {
        "検討します".repeat(n)
    });
    // A letter with thousands of undated prevention measures (each names a mechanism, so it
    // is one, and each has a sentence finding): the document checks look at each sentence
    // finding a bounded number of times.
    assert_linear(
        "many measures",
        &builtin,
        "a.txt",
        Work::DocumentCheckSteps,
        |n| {
            format!(
                "件名: お詫び\n山田様\nこのたびは誠に申し訳ございません。\n{}",
                "今後は別の担当者が照合する手順を検討します。\n".repeat(n)
            )
        },
    );
    // Thousands of suppression regions.
    assert_linear(
        "suppressions",
        &builtin,
        "a.md",
        Work::SuppressionSteps,
        |n| {
            "<!-- kintsugi-lint-disable -->\n対応を検討します。\n<!-- kintsugi-lint-enable -->\n"
                .repeat(n)
        },
    );
    // A team's pattern of many optional tokens, or wide skips, that fails at its last
    // element after a long run its optional elements can take in many ways: each (element,
    // token) pair is tried a bounded number of times, so the work stays within elements ×
    // tokens × (skip + 1), not exponential in the pattern.
    let text = format!("完了、対応{}。", "を".repeat(40));
    let tokens_in_text = kintsugi_lint::tokenize::tokenize(&text, 0).len() as u64;
    for optional in [4, 8, 12, 16] {
        let mut elements = vec!["{ surface = \"対応\" }".to_owned()];
        elements.extend((0..optional).map(|_| "{ surface = \"を\", optional = true }".to_owned()));
        elements.push("{ surface = \"完了\" }".to_owned());
        let steps = pattern_steps(&elements.join(", "), &text);
        let bound = (optional as u64 + 3) * (tokens_in_text + 1) * 2;
        assert!(
            steps <= bound,
            "{optional} optional tokens: {steps} steps > {bound}"
        );
    }
    for skip in [10, 100, 1000] {
        let elements = format!(
            "{{ surface = \"対応\", skip = {skip} }}, {{ surface = \"を\", skip = {skip} }}, {{ surface = \"を\", skip = {skip} }}, {{ surface = \"完了\" }}"
        );
        let steps = pattern_steps(&elements, &text);
        let bound = 5 * (tokens_in_text + 1) * (tokens_in_text.min(skip) + 2);
        assert!(steps <= bound, "skip {skip}: {steps} steps > {bound}");
    }
}

/// The matcher steps a team rule with these token elements takes on `text`.
fn pattern_steps(elements: &str, text: &str) -> u64 {
    let rule = format!(
        "[[rule]]\nid = \"wide\"\ncategory = \"team\"\nseverity = \"info\"\nmessage = \"m\"\nhelp = \"h\"\ndescription = \"d\"\ntokens = [{elements}]\n\n[[rule.example]]\nbad = \"対応を完了\"\nflag = \"対応を完了\"\n\n[[rule.example]]\ngood = \"対応\"\n"
    );
    let mut rules = RuleSet::default();
    rules.add_file("wide.toml", &rule).expect("the rule loads");
    work_of(
        &Linter::new(rules),
        "a.txt",
        text.to_owned(),
        Work::PatternSteps,
    )
}
