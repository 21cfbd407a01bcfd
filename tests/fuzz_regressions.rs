//! Inputs the fuzz targets (fuzz/) found, replayed by `cargo test` with the same checks the
//! target makes. Add each new crasher here (the file in tests/fuzz_crashers/, a test below)
//! once its cause is fixed.

use kintsugi_lint::markup::{self, Format};
use kintsugi_lint::source::decode::decode;
use kintsugi_lint::{Linter, RuleSet};

fn crasher(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fuzz_crashers/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `markup` target's checks: the masked copy has the text's length, keeps its line
/// breaks (Markdown turns those inside a paragraph into spaces) and adds one only at an
/// HTML block tag's `>`.
fn check_markup(text: &str) {
    for format in [Format::Plain, Format::Markdown, Format::Html, Format::Email] {
        let doc = markup::parse(format, text.to_owned());
        assert_eq!(doc.masked.len(), doc.text.len(), "{format:?}");
        for (a, b) in doc.text.bytes().zip(doc.masked.bytes()) {
            if a == b'\n' {
                assert!(b == b'\n' || (format == Format::Markdown && b == b' '));
            } else if b == b'\n' {
                assert!(format == Format::Html && a == b'>', "{format:?}");
            }
        }
        if let Some(subject) = &doc.subject {
            assert!(doc.text.get(subject.clone()).is_some(), "{format:?}");
        }
    }
}

/// A Shift_JIS letter (from the seed corpus) parsed as Markdown: its soft-wrapped line
/// breaks became spaces, which the first version of the target took for a bug. It is the
/// documented behaviour (a line break inside a paragraph is not a sentence boundary); the
/// target and this test now allow exactly that, and the findings still land on the
/// letter's real lines.
#[test]
fn markdown_soft_wraps_in_a_shift_jis_letter() {
    let bytes = crasher("markup-sjis-soft-wrap.bin");
    let decoded = decode(&bytes).expect("Shift_JIS decodes");
    assert_eq!(decoded.stored_as.encoding, encoding_rs::SHIFT_JIS);
    check_markup(&decoded.text);
    let linter = Linter::new(RuleSet::builtin().unwrap());
    let linted = linter.lint_source("letter.md", decoded.text.clone());
    assert!(!linted.diagnostics.is_empty());
    for d in &linted.diagnostics {
        assert!(linted.text.get(d.span.clone()).is_some(), "{}", d.rule_id);
    }
}
