//! Engine benchmarks (divan): `cargo bench --bench engine`.
//!
//! The same text is linted with every built-in rule and, as the floor, only tokenized, so
//! the gap between the two is the rule engine's own cost. `bench/run.sh` times the whole
//! binary on real prose; these isolate the library on text that ships with the repository.

use std::sync::LazyLock;

use divan::{Bencher, black_box, counter::BytesCount};
use kintsugi_lint::{RuleSet, lint_text, tokenize::tokenize};

fn main() {
    divan::main();
}

/// A one-page apology letter with the mistakes the rules are for.
const LETTER: &str = include_str!("../fixtures/bad/apology-letter.txt");

/// Every fixture and test-corpus document, repeated to about 1 MB.
static LARGE: LazyLock<String> = LazyLock::new(|| {
    let parts = [
        include_str!("../fixtures/bad/apology-letter.txt"),
        include_str!("../fixtures/bad/incident-report.txt"),
        include_str!("../fixtures/bad/keigo.txt"),
        include_str!("../fixtures/bad/service-notice.txt"),
        include_str!("../fixtures/good/apology-letter.txt"),
        include_str!("../fixtures/good/delay-notice.txt"),
        include_str!("../fixtures/good/incident-report.txt"),
        include_str!("../fixtures/good/service-notice.txt"),
        include_str!("../fixtures/good/short-report.txt"),
        include_str!("../tests/corpus/apology-letters.txt"),
        include_str!("../tests/corpus/customer-notices.txt"),
        include_str!("../tests/corpus/incident-reports.txt"),
        include_str!("../tests/corpus/internal-reports.txt"),
        include_str!("../tests/corpus/near-misses.txt"),
    ];
    let one = parts.join("\n");
    one.repeat(1_000_000 / one.len() + 1)
});

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::builtin().expect("built-in rules load"));

fn texts() -> [(&'static str, &'static str); 2] {
    [("letter", LETTER), ("large", LARGE.as_str())]
}

#[divan::bench(args = ["letter", "large"], sample_count = 20)]
fn lint(bencher: Bencher, name: &str) {
    let text = texts().into_iter().find(|(n, _)| *n == name).unwrap().1;
    let rules = &*RULES;
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| lint_text(black_box(text), rules));
}

#[divan::bench(args = ["letter", "large"], sample_count = 20)]
fn tokenize_only(bencher: Bencher, name: &str) {
    let text = texts().into_iter().find(|(n, _)| *n == name).unwrap().1;
    bencher.counter(BytesCount::of_str(text)).bench(|| {
        text.lines()
            .map(|line| tokenize(black_box(line), 0).len())
            .sum::<usize>()
    });
}

/// Start-up cost: parsing and compiling the embedded rule files.
#[divan::bench(sample_count = 20)]
fn load_builtin_rules() -> RuleSet {
    RuleSet::builtin().expect("built-in rules load")
}
