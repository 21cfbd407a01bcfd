//! Which rules can match in a sentence, read off its text before it is tokenized.
//!
//! Most sentences of real prose (a manual, a template repository) contain none of the
//! words the rules look for, and tokenizing them is most of the cost of linting. Every
//! required element of a token pattern names text its token must contain (a surface, the
//! stem of a base form, the literal prefix of a surface regex), and a sentence regex
//! starts with one of a finite set of literals more often than not. One Aho-Corasick
//! pass over a sentence finds which of those texts it contains; a rule is tried only
//! where all of its required texts are present, and a sentence no rule can match is
//! never tokenized. The filter only skips work whose result is known to be empty, so
//! findings are the same with and without it (a test checks that on the corpora).

use aho_corasick::{AhoCorasick, MatchKind};
use regex_syntax::hir::literal::Extractor;

use super::token_pattern::{Constraint, Field, TokenPattern, ValueMatcher};
use crate::rules::{Pattern, Rule};
use crate::tokenize::base_stem;

/// What a rule needs of a sentence's text before it can match there.
#[derive(Debug, Clone)]
enum Requirement {
    /// Nothing that can be read off the text: always tried.
    Nothing,
    /// Each group must occur: the rule is tried when, for every group, the sentence
    /// contains one of the group's literals (groups index `Prefilter::groups`).
    AllOf(Vec<usize>),
    /// Never matches a sentence (document checks, unused suppressions).
    Never,
}

/// The prefilter of a rule set; build once, share between threads.
#[derive(Debug, Clone)]
pub struct Prefilter {
    /// Every distinct literal of every group; `None` when no rule has a literal.
    searcher: Option<AhoCorasick>,
    /// Per literal of `searcher`: the groups it is one of the alternatives of.
    literal_groups: Vec<Vec<usize>>,
    group_count: usize,
    requirements: Vec<Requirement>,
}

/// Per-thread scratch state: which groups the current sentence contains.
#[derive(Debug, Default)]
pub struct Scratch {
    present: Vec<bool>,
}

impl Prefilter {
    pub fn new(rules: &[Rule]) -> Self {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut literal_groups: Vec<Vec<usize>> = Vec::new();
        let mut group_count = 0;
        let mut requirements = Vec::with_capacity(rules.len());
        for rule in rules {
            let groups = match &rule.pattern {
                Pattern::Tokens(pattern) => token_pattern_groups(pattern),
                Pattern::Regex(regex) => regex_literals(regex.as_str()).into_iter().collect(),
                Pattern::UnusedSuppression | Pattern::Document(_) => {
                    requirements.push(Requirement::Never);
                    continue;
                }
            };
            if groups.is_empty() {
                requirements.push(Requirement::Nothing);
                continue;
            }
            let mut ids = Vec::with_capacity(groups.len());
            for group in groups {
                let id = group_count;
                group_count += 1;
                ids.push(id);
                for literal in group {
                    let index = match literals.iter().position(|l| *l == literal) {
                        Some(index) => index,
                        None => {
                            literals.push(literal);
                            literal_groups.push(Vec::new());
                            literals.len() - 1
                        }
                    };
                    literal_groups[index].push(id);
                }
            }
            requirements.push(Requirement::AllOf(ids));
        }
        // Literals are plain text and few (hundreds): building cannot fail.
        let searcher = (!literals.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .expect("an Aho-Corasick automaton over a few hundred literals builds")
        });
        Prefilter {
            searcher,
            literal_groups,
            group_count,
            requirements,
        }
    }

    /// A filter that lets every rule through on every sentence (what the engine did
    /// without one; tests compare the two).
    pub fn pass_all(rules: &[Rule]) -> Self {
        Prefilter {
            searcher: None,
            literal_groups: Vec::new(),
            group_count: 0,
            requirements: vec![Requirement::Nothing; rules.len()],
        }
    }

    /// Marks in `candidates` (one flag per rule) the rules that can match in `sentence`;
    /// returns whether any can.
    pub fn candidates(
        &self,
        sentence: &str,
        scratch: &mut Scratch,
        candidates: &mut [bool],
    ) -> bool {
        scratch.present.clear();
        scratch.present.resize(self.group_count, false);
        if let Some(searcher) = &self.searcher {
            for found in searcher.find_overlapping_iter(sentence) {
                for &group in &self.literal_groups[found.pattern().as_usize()] {
                    scratch.present[group] = true;
                }
            }
        }
        let mut any = false;
        for (flag, requirement) in candidates.iter_mut().zip(&self.requirements) {
            *flag = match requirement {
                Requirement::Nothing => true,
                Requirement::Never => false,
                Requirement::AllOf(groups) => groups.iter().all(|&g| scratch.present[g]),
            };
            any |= *flag;
        }
        any
    }

    /// How many rules are tried on every sentence (for the benchmark notes and tests).
    pub fn unfiltered_rules(&self) -> usize {
        self.requirements
            .iter()
            .filter(|r| matches!(r, Requirement::Nothing))
            .count()
    }
}

/// One group per required element constraint that names text: every match has a token
/// satisfying it, so the sentence contains one of the group's literals.
fn token_pattern_groups(pattern: &TokenPattern) -> Vec<Vec<Vec<u8>>> {
    pattern
        .elements
        .iter()
        .filter(|element| !element.optional && !element.negate)
        .flat_map(|element| element.constraints.iter().filter_map(constraint_literals))
        .collect()
}

/// Text that a token satisfying `constraint` contains, as alternatives; `None` when the
/// constraint does not pin any down (a part of speech, a base form like する whose forms
/// share no prefix).
fn constraint_literals(constraint: &Constraint) -> Option<Vec<Vec<u8>>> {
    let literals: Vec<Vec<u8>> = match (&constraint.matcher, constraint.field) {
        (ValueMatcher::AnyOf(values), Field::Surface) => {
            values.iter().map(|v| v.as_bytes().to_vec()).collect()
        }
        (ValueMatcher::AnyOf(values), Field::Base) => values
            .iter()
            .map(|v| base_stem(v).as_bytes().to_vec())
            .collect(),
        // A regex is searched in the surface, so what it matches is part of the surface.
        (ValueMatcher::Regex(regex), Field::Surface) => regex_literals(regex.as_str())?,
        _ => return None,
    };
    literals.iter().all(|l| !l.is_empty()).then_some(literals)
}

/// A finite set of literals one of which begins every match of `pattern`; `None` when the
/// regex has no such set (or one with the empty string, which says nothing).
fn regex_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let seq = Extractor::new().extract(&hir);
    let literals = seq.literals()?;
    if literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn candidates(rules: &RuleSet, sentence: &str) -> Vec<String> {
        let prefilter = Prefilter::new(rules.rules());
        let mut flags = vec![false; rules.rules().len()];
        prefilter.candidates(sentence, &mut Scratch::default(), &mut flags);
        rules
            .rules()
            .iter()
            .zip(flags)
            .filter(|(_, flag)| *flag)
            .map(|(rule, _)| rule.id.clone())
            .collect()
    }

    #[test]
    fn a_sentence_without_any_rule_word_has_no_candidates_but_unfiltered_rules() {
        let rules = RuleSet::builtin().expect("built-in rules load");
        let prefilter = Prefilter::new(rules.rules());
        let found = candidates(&rules, "このパッケージは設定ファイルを読み込みます。");
        assert_eq!(found.len(), prefilter.unfiltered_rules(), "{found:?}");
    }

    #[test]
    fn conjugated_forms_are_found_through_the_stem_of_their_base_form() {
        let rules = RuleSet::builtin().expect("built-in rules load");
        let found = candidates(&rules, "多忙で遅れました。");
        assert!(
            found.contains(&"busyness-as-excuse".to_string()),
            "{found:?}"
        );
        let found = candidates(&rules, "部長がおっしゃられました。");
        assert!(
            found.contains(&"ossharareru-masu-form".to_string()),
            "{found:?}"
        );
        // Every required element must be present: 多忙 alone is not enough.
        let found = candidates(&rules, "ご多忙");
        assert!(
            !found.contains(&"busyness-as-excuse".to_string()),
            "{found:?}"
        );
    }

    #[test]
    fn regex_prefixes_are_literals_when_finite() {
        assert_eq!(
            regex_literals("(検討|対応)中"),
            Some(vec![
                "検討中".as_bytes().to_vec(),
                "対応中".as_bytes().to_vec()
            ])
        );
        assert_eq!(regex_literals("[a-z]+@example"), None);
        assert_eq!(
            regex_literals("(お詫び)?申し上げ"),
            Some(vec![
                "お詫び申し上げ".as_bytes().to_vec(),
                "申し上げ".as_bytes().to_vec()
            ])
        );
    }
}
