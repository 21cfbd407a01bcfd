//! Property tests (proptest) over generated Japanese-ish documents: findings point inside
//! the text on character boundaries, their line/column agree with the byte span, linting is
//! deterministic, and fixing is idempotent and only changes the spans it edits.
//!
//! Texts mix kana, kanji, ASCII, punctuation, 「」, line breaks (LF and CRLF) and phrases
//! taken from the built-in rules' own examples, so that rules fire and suggest fixes. Case
//! counts are kept small so that `cargo test` stays fast.

use std::ops::Range;
use std::sync::LazyLock;

use kintsugi_lint::fix::{FixMode, apply_fixes, fix_text};
use kintsugi_lint::rules::Example;
use kintsugi_lint::source::LineIndex;
use kintsugi_lint::{Diagnostic, Linter, RuleSet};
use proptest::prelude::*;

static LINTER: LazyLock<Linter> =
    LazyLock::new(|| Linter::new(RuleSet::builtin().expect("built-in rules load")));

/// Every example sentence of the built-in rules (bad ones flag something, many with fixes).
/// A second linter built separately, for determinism across instances.
static OTHER_LINTER: LazyLock<Linter> =
    LazyLock::new(|| Linter::new(RuleSet::builtin().expect("built-in rules load")));

static PHRASES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut phrases: Vec<String> = LINTER
        .rules()
        .rules()
        .iter()
        .flat_map(|rule| &rule.examples)
        .map(|example| match example {
            Example::Bad { text, .. } | Example::Good { text, .. } => text.clone(),
        })
        // Suppression comments from the suppression rules' examples would silence the
        // rest of a generated document; one disable-next-line fragment is enough.
        .filter(|text| !text.contains("kintsugi-lint"))
        .collect();
    phrases.sort();
    phrases.dedup();
    phrases
});

const FRAGMENTS: &[&str] = &[
    "。",
    "、",
    "「",
    "」",
    "『",
    "』",
    "（",
    "）",
    "\n",
    "\r\n",
    "\n\n",
    " ",
    "　",
    "！",
    "？",
    "ご迷惑",
    "お詫び",
    "申し訳ございません",
    "検討します",
    "させていただきます",
    "担当者",
    "本日",
    "確認中",
    "〜",
    "…",
    "http://example.com/x",
    "# 見出し",
    "- ",
    "```",
    "<p>",
    "</p>",
    "<br>",
    "&amp;",
    "{",
    "}",
    "$0",
    "🙇",
    "件名: ",
    "kintsugi-lint-disable-next-line",
    "abc",
    "123",
    "１２３",
    "ｶﾀｶﾅ",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0..PHRASES.len()).prop_map(|i| PHRASES[i].clone()),
        3 => proptest::sample::select(FRAGMENTS).prop_map(str::to_owned),
        1 => "[ぁ-んァ-ン一-龠a-zA-Z0-9]{1,6}",
        1 => any::<char>().prop_map(String::from),
    ]
}

fn document() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..24).prop_map(|pieces| pieces.concat())
}

fn path() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(&["draft.txt", "notice.md", "page.html"][..])
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Line and column computed the slow, obvious way.
fn naive_position(text: &str, offset: usize) -> (usize, usize) {
    // A line ends at `\n`, at `\r\n`, or at a lone `\r` (old Mac files), as editors show it.
    let before = text[..offset].replace("\r\n", "\n").replace('\r', "\n");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Spans of findings that `--fix` may write in `mode`.
fn fixable_spans(diagnostics: &[Diagnostic], mode: FixMode) -> Vec<Range<usize>> {
    diagnostics
        .iter()
        .filter(|d| {
            d.suggestions.iter().any(|s| {
                !s.has_placeholder()
                    && match mode {
                        FixMode::Safe => s.applicability == kintsugi_lint::Applicability::Safe,
                        FixMode::Unsafe => {
                            s.applicability != kintsugi_lint::Applicability::DisplayOnly
                        }
                    }
            })
        })
        .map(|d| d.span.clone())
        .collect()
}

/// The parts of `0..len` that no span covers.
fn uncovered(len: usize, spans: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut spans = spans.to_vec();
    spans.sort_by_key(|s| s.start);
    let mut out = Vec::new();
    let mut cursor = 0;
    for span in spans {
        if span.start > cursor {
            out.push(cursor..span.start);
        }
        cursor = cursor.max(span.end);
    }
    if cursor < len {
        out.push(cursor..len);
    }
    out
}

#[test]
fn generated_documents_make_rules_fire() {
    // Guards the generator: if the phrases stopped producing findings and fixes, the
    // properties below would hold vacuously.
    let text = PHRASES.join("\n");
    let linted = LINTER.lint_source("draft.txt", text.clone());
    assert!(
        linted.diagnostics.len() > 20,
        "{}",
        linted.diagnostics.len()
    );
    assert!(!fixable_spans(&linted.diagnostics, FixMode::Safe).is_empty());
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn spans_lie_within_the_text_and_on_char_boundaries(text in document(), path in path()) {
        let linted = LINTER.lint_source(path, text);
        for d in &linted.diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= linted.text.len(),
                "{} {:?} in {} bytes", d.rule_id, d.span, linted.text.len());
            prop_assert!(linted.text.is_char_boundary(d.span.start), "{} {:?}", d.rule_id, d.span);
            prop_assert!(linted.text.is_char_boundary(d.span.end), "{} {:?}", d.rule_id, d.span);
        }
    }

    #[test]
    fn line_and_column_agree_with_the_byte_span(text in document(), path in path()) {
        let linted = LINTER.lint_source(path, text);
        let index = LineIndex::new(&linted.text);
        for d in &linted.diagnostics {
            for offset in [d.span.start, d.span.end] {
                let position = index.position(&linted.text, offset);
                prop_assert_eq!((position.line, position.column), naive_position(&linted.text, offset));
            }
            // The finding starts on the line the report quotes.
            let line = index.position(&linted.text, d.span.start).line;
            let range = index.line_range(&linted.text, line);
            prop_assert!(range.start <= d.span.start && d.span.start <= range.end + 1);
        }
    }

    #[test]
    fn linting_is_deterministic(text in document(), path in path()) {
        let first = LINTER.lint_source(path, text.clone());
        let again = LINTER.lint_source(path, text.clone());
        let fresh = OTHER_LINTER.lint_source(path, text);
        prop_assert_eq!(&first.diagnostics, &again.diagnostics);
        prop_assert_eq!(&first.diagnostics, &fresh.diagnostics);
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn fixing_twice_is_fixing_once(text in document(), path in path(), unsafe_fixes in any::<bool>()) {
        let mode = if unsafe_fixes { FixMode::Unsafe } else { FixMode::Safe };
        let (once, _) = fix_text(&LINTER, path, &text, mode).expect("the built-in fixes converge");
        let (twice, applied) = fix_text(&LINTER, path, &once, mode).expect("the built-in fixes converge");
        prop_assert_eq!(&twice, &once, "a second --fix made {} more edits", applied);
    }

    #[test]
    fn fixes_never_touch_text_outside_the_edited_spans(text in document(), path in path(), unsafe_fixes in any::<bool>()) {
        let mode = if unsafe_fixes { FixMode::Unsafe } else { FixMode::Safe };
        let linted = LINTER.lint_source(path, text.clone());
        let (fixed, applied) = apply_fixes(&text, &linted.diagnostics, mode);
        let spans = fixable_spans(&linted.diagnostics, mode);
        if applied == 0 {
            prop_assert_eq!(&fixed, &text);
        }
        // Every stretch of text outside the fixable spans is still there, in order, and the
        // text before the first and after the last span is unchanged.
        let kept = uncovered(text.len(), &spans);
        let mut cursor = 0;
        for range in &kept {
            let part = &text[range.clone()];
            let found = fixed[cursor..].find(part);
            prop_assert!(found.is_some(), "lost {:?}", part);
            cursor += found.unwrap() + part.len();
        }
        if let Some(first) = kept.first().filter(|r| r.start == 0) {
            prop_assert!(fixed.starts_with(&text[first.clone()]));
        }
        if let Some(last) = kept.last().filter(|r| r.end == text.len()) {
            prop_assert!(fixed.ends_with(&text[last.clone()]));
        }
    }
}
