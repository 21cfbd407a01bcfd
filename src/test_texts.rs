//! Texts the tests compare the engine's shortcuts on (the prefilter, the anchor index, the
//! document filters): the rules' own examples, and the fixture letters and both labelled
//! corpora as whole files.

use crate::rules::{Example, RuleSet};

/// Every bad and good example text of every rule in `rules`.
pub fn rule_examples(rules: &RuleSet) -> Vec<String> {
    rules
        .rules()
        .iter()
        .flat_map(|rule| &rule.examples)
        .map(|example| match example {
            Example::Bad { text, .. } | Example::Good { text, .. } => text.clone(),
        })
        .collect()
}

/// The fixture letters and both corpora, one string a file.
pub fn corpus_files() -> Vec<String> {
    let mut texts = Vec::new();
    for dir in [
        "fixtures/bad",
        "fixtures/good",
        "tests/corpus",
        "tests/corpus-holdout",
    ] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(dir).expect("fixture directory") {
            if let Ok(text) = std::fs::read_to_string(entry.expect("entry").path()) {
                texts.push(text);
            }
        }
    }
    texts
}
