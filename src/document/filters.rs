//! Which regexes of the document definitions can match in a text, read off the literals
//! they need (see [`Prefilter`]): most lines and sentences of a document evidence no
//! element, and most documents show few kinds' cues. Trying every element's headings and
//! cues on every line and sentence, and every kind's cues on every document, was most of
//! the cost of the analysis.

use std::sync::OnceLock;

use super::{ElementDef, KindDef};
use crate::engine::prefilter::{Prefilter, Requirement};
use crate::rules::is_heading_decoration;

#[derive(Debug, Clone)]
pub struct DocumentFilters {
    /// One item per element: its heading (tried on the start of each line).
    pub(super) headings: Prefilter,
    /// The longest heading name, in bytes.
    pub(super) longest_heading_word: usize,
    /// One item per cue, the elements' cues one after the other (tried on each sentence
    /// the engine has not scanned); built on first use, as linting a file needs none.
    cues: OnceLock<Prefilter>,
    cue_patterns: Vec<String>,
    pub(super) cue_count: usize,
    /// One item per cue or signal, each kind's cues then its signals, kind after kind
    /// (tried on the whole text).
    pub(super) kind_cues: Prefilter,
    pub(super) kind_cue_count: usize,
}

impl DocumentFilters {
    /// The part of `line` a heading's name must lie in: the run of decoration at its start
    /// (see [`is_heading_decoration`]) and the longest name after it. Searching only there
    /// spares a literal search over the whole of every line.
    pub(super) fn heading_window<'l>(&self, line: &'l str) -> &'l str {
        let decoration = line
            .char_indices()
            .find(|(_, c)| !is_heading_decoration(*c))
            .map_or(line.len(), |(i, _)| i);
        let mut end = decoration
            .saturating_add(self.longest_heading_word)
            .min(line.len());
        while !line.is_char_boundary(end) {
            end += 1;
        }
        &line[..end]
    }

    /// The filter of the element cues, one item per cue.
    pub(super) fn cues(&self) -> &Prefilter {
        self.cues.get_or_init(|| {
            let items = self.cue_patterns.iter().map(|p| Requirement::of_regex(p));
            Prefilter::new(items.collect())
        })
    }

    pub fn new(defs: &[ElementDef], kinds: &[KindDef]) -> Self {
        let headings = defs
            .iter()
            .map(|def| match def.heading {
                Some(_) => Requirement::any_of(&def.heading_words),
                None => Requirement::Never,
            })
            .collect();
        let cue_patterns: Vec<String> = defs
            .iter()
            .flat_map(|def| def.cues.iter().map(|cue| cue.as_str().to_owned()))
            .collect();
        let kind_cues: Vec<Requirement> = kinds
            .iter()
            .flat_map(|kind| kind.cues.iter().chain(&kind.signals))
            .map(|cue| Requirement::of_regex(cue.as_str()))
            .collect();
        DocumentFilters {
            longest_heading_word: defs
                .iter()
                .flat_map(|def| &def.heading_words)
                .map(String::len)
                .max()
                .unwrap_or(0),
            headings: Prefilter::new(headings),
            cue_count: cue_patterns.len(),
            cues: OnceLock::new(),
            cue_patterns,
            kind_cue_count: kind_cues.len(),
            kind_cues: Prefilter::new(kind_cues),
        }
    }

    /// Filters that try every regex everywhere (tests compare them with the real ones).
    pub fn pass_all(defs: &[ElementDef], kinds: &[KindDef]) -> Self {
        let cue_count = defs.iter().map(|def| def.cues.len()).sum();
        let kind_cue_count = kinds.iter().map(|k| k.cues.len() + k.signals.len()).sum();
        DocumentFilters {
            longest_heading_word: usize::MAX,
            headings: Prefilter::pass_all(defs.len()),
            cues: OnceLock::from(Prefilter::pass_all(cue_count)),
            cue_patterns: Vec::new(),
            cue_count,
            kind_cues: Prefilter::pass_all(kind_cue_count),
            kind_cue_count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{detect_elements, detect_kind};
    use crate::rules::RuleSet;

    /// The filters only skip regexes that cannot match: every element is found in the same
    /// places, and every text gets the same kind, as by trying every regex everywhere.
    #[test]
    fn the_filters_change_no_evidence_and_no_kind() {
        let rules = RuleSet::builtin().expect("built-in rules load");
        let (defs, kinds) = (rules.elements(), rules.kinds());
        let pass_all = DocumentFilters::pass_all(defs, kinds);
        let (mut evidence, mut kinds_found) = (0, 0);
        for text in crate::test_texts::corpus_files() {
            let filtered = detect_elements(&text, defs, rules.document_filters(), &[], None);
            let full = detect_elements(&text, defs, &pass_all, &[], None);
            assert_eq!(filtered, full);
            // The same with the cue flags the engine found while linting the text.
            let (_, scan) = crate::engine::lint_text_scanned(&text, &rules);
            assert!(scan.sentences().count() > 0);
            let scanned = detect_elements(&text, defs, rules.document_filters(), &[], Some(&scan));
            assert_eq!(scanned, full);
            evidence += full.iter().map(|e| e.evidence.len()).sum::<usize>();
            // Each document of a corpus file on its own, with its first line as title.
            for document in text.split("--- doc:") {
                let title = document.lines().next().unwrap_or("");
                let elements = detect_elements(document, defs, &pass_all, &[], None);
                let filtered =
                    detect_kind(kinds, rules.document_filters(), title, document, &elements);
                let full = detect_kind(kinds, &pass_all, title, document, &elements);
                assert_eq!(
                    filtered.map(|(k, c)| (&k.id, c)),
                    full.map(|(k, c)| (&k.id, c)),
                    "{document}"
                );
                kinds_found += usize::from(full.is_some());
            }
        }
        assert!(
            evidence > 500,
            "the comparison saw only {evidence} pieces of evidence"
        );
        assert!(
            kinds_found > 20,
            "the comparison saw only {kinds_found} kinds"
        );
    }

    /// Decorated heading lines keep their name inside the window, whatever the decoration.
    #[test]
    fn heading_names_lie_in_the_window() {
        let rules = RuleSet::builtin().expect("built-in rules load");
        let filters = rules.document_filters();
        for line in [
            "■原因",
            "  ## 原因：設定の誤り",
            "1. 原因",
            "（２）【原因】",
            "\u{3000}\u{3000}・再発防止策について",
            "12345678901234567890. 原因",
        ] {
            let window = filters.heading_window(line);
            assert!(
                window.contains("原因") || window.contains("再発防止"),
                "{line} -> {window}"
            );
        }
        assert_eq!(filters.heading_window("原因"), "原因");
    }
}
