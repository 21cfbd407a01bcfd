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
//!
//! Document analysis uses the same filter for the headings and cues of its elements.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::literals::{self, Group};
use super::token_pattern::{Constraint, Field, TokenPattern, ValueMatcher};
use crate::document::ElementDef;
use crate::rules::{Pattern, Rule};
use crate::sorted_lines::sorted_lines_lookup;
use crate::tokenize::base_stem;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rayon::prelude::*;

/// What an item needs of a text before it can match there.
#[derive(Debug, Clone)]
pub enum Requirement {
    /// Nothing that can be read off the text: always tried.
    Nothing,
    /// Every group must occur.
    AllOf(Vec<Group>),
    /// Never matches a sentence (document checks, unused suppressions).
    Never,
}

impl Requirement {
    /// What a regex needs: one of the literals every match starts with, when that set
    /// is finite.
    pub fn of_regex(pattern: &str) -> Self {
        match regex_literals(pattern) {
            Some(group) => Requirement::AllOf(vec![group]),
            None => Requirement::Nothing,
        }
    }

    /// One of `words` (all non-empty), e.g. the names a heading line must contain.
    pub fn any_of(words: &[String]) -> Self {
        if words.is_empty() || words.iter().any(String::is_empty) {
            return Requirement::Nothing;
        }
        Requirement::AllOf(vec![words.iter().map(|w| w.as_bytes().to_vec()).collect()])
    }

    /// What a rule needs of a sentence.
    fn of_rule(rule: &Rule) -> Self {
        let groups = match &rule.pattern {
            Pattern::Tokens(pattern) => token_pattern_groups(pattern),
            Pattern::Regex(regex) => regex_literals(regex.as_str()).into_iter().collect(),
            Pattern::UnusedSuppression | Pattern::Document(_) => return Requirement::Never,
        };
        if groups.is_empty() {
            Requirement::Nothing
        } else {
            Requirement::AllOf(groups)
        }
    }
}

/// An item's requirement with its groups numbered.
#[derive(Debug, Clone)]
enum Compiled {
    Nothing,
    AllOf(Vec<usize>),
    Never,
}

/// The prefilter of a list of items (a rule set's rules, the cues of its document
/// elements); build once, share between threads.
#[derive(Debug, Clone)]
pub struct Prefilter {
    /// Every distinct literal of every group; `None` when no item has a literal.
    searcher: Option<Searcher>,
    /// Per literal of `searcher`: the groups it is one of the alternatives of.
    literal_groups: Vec<Vec<usize>>,
    group_count: usize,
    requirements: Vec<Compiled>,
    /// The items tried on every text (`Requirement::Nothing`).
    always: Vec<usize>,
    /// Per group: the items whose first group it is. An item can only match where its
    /// first group occurs, so only these are checked when the group is found.
    watchers: Vec<Vec<usize>>,
}

/// The Aho-Corasick automaton over the literals: an NFA, quick to build, for the first
/// texts, and a DFA, which searches about twice as fast but takes a few milliseconds to
/// build, once enough text has been searched to pay for it. Both find the same matches.
#[derive(Debug)]
struct Searcher {
    literals: Vec<Vec<u8>>,
    nfa: AhoCorasick,
    dfa: OnceLock<AhoCorasick>,
    /// Bytes searched so far with the NFA.
    searched: AtomicUsize,
    /// Set by the one thread that builds the DFA; the others go on with the NFA meanwhile.
    building: AtomicBool,
}

/// After this many bytes searched, the DFA is built (a one-line file never pays for it).
const DFA_AFTER_BYTES: usize = 128 * 1024;

impl Searcher {
    fn new(literals: Vec<Vec<u8>>) -> Self {
        Searcher {
            nfa: build_automaton(&literals, AhoCorasickKind::NoncontiguousNFA),
            literals,
            dfa: OnceLock::new(),
            searched: AtomicUsize::new(0),
            building: AtomicBool::new(false),
        }
    }

    /// The automaton to search `len` more bytes with.
    fn automaton(&self, len: usize) -> &AhoCorasick {
        if let Some(dfa) = self.dfa.get() {
            return dfa;
        }
        if self.searched.fetch_add(len, Ordering::Relaxed) + len < DFA_AFTER_BYTES
            || self.building.swap(true, Ordering::AcqRel)
        {
            return &self.nfa;
        }
        self.dfa
            .get_or_init(|| build_automaton(&self.literals, AhoCorasickKind::DFA))
    }
}

impl Clone for Searcher {
    fn clone(&self) -> Self {
        Searcher {
            literals: self.literals.clone(),
            nfa: self.nfa.clone(),
            dfa: self.dfa.clone(),
            searched: AtomicUsize::new(self.searched.load(Ordering::Relaxed)),
            building: AtomicBool::new(self.dfa.get().is_some()),
        }
    }
}

fn build_automaton(literals: &[Vec<u8>], kind: AhoCorasickKind) -> AhoCorasick {
    // Literals are plain text and few (hundreds): building cannot fail.
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(literals)
        .expect("an Aho-Corasick automaton over a few hundred literals builds")
}

/// Per-thread scratch state: which groups the current text contains.
#[derive(Debug, Default)]
pub struct Scratch {
    present: Vec<bool>,
    /// Items whose first group occurs in the current text.
    to_check: Vec<usize>,
}

impl Prefilter {
    /// The prefilter of a rule set's rules, one item a rule.
    pub fn for_rules(rules: &[Rule]) -> Self {
        Prefilter::for_rules_and_cues(rules, &[])
    }

    /// One item a rule, then one item a cue of `elements` in order: the engine's one pass
    /// over a sentence serves its rules and the document analysis's cues alike.
    pub fn for_rules_and_cues(rules: &[Rule], elements: &[ElementDef]) -> Self {
        // Parsing the rules' regexes for their literals is most of the cost (start-up).
        let mut items: Vec<Requirement> = rules.par_iter().map(Requirement::of_rule).collect();
        let cues: Vec<&str> = elements
            .iter()
            .flat_map(|def| &def.cues)
            .map(|cue| cue.as_str())
            .collect();
        items.par_extend(cues.into_par_iter().map(Requirement::of_regex));
        Prefilter::new(items)
    }

    /// How many items the filter has flags for.
    pub fn items(&self) -> usize {
        self.requirements.len()
    }

    pub fn new(items: Vec<Requirement>) -> Self {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut index_of: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut literal_groups: Vec<Vec<usize>> = Vec::new();
        let mut group_count = 0;
        let mut requirements = Vec::with_capacity(items.len());
        for item in items {
            let groups = match item {
                Requirement::Nothing => {
                    requirements.push(Compiled::Nothing);
                    continue;
                }
                Requirement::Never => {
                    requirements.push(Compiled::Never);
                    continue;
                }
                Requirement::AllOf(groups) => groups,
            };
            let mut ids = Vec::with_capacity(groups.len());
            for group in groups {
                let id = group_count;
                group_count += 1;
                ids.push(id);
                for literal in literals::compact(group) {
                    let index = *index_of.entry(literal).or_insert_with_key(|literal| {
                        literals.push(literal.clone());
                        literal_groups.push(Vec::new());
                        literals.len() - 1
                    });
                    literal_groups[index].push(id);
                }
            }
            requirements.push(Compiled::AllOf(ids));
        }
        let searcher = (!literals.is_empty()).then(|| Searcher::new(literals));
        let mut watchers = vec![Vec::new(); group_count];
        let mut always = Vec::new();
        for (item, requirement) in requirements.iter().enumerate() {
            match requirement {
                Compiled::AllOf(groups) if !groups.is_empty() => watchers[groups[0]].push(item),
                // All of no groups: nothing to find first.
                Compiled::Nothing | Compiled::AllOf(_) => always.push(item),
                Compiled::Never => {}
            }
        }
        Prefilter {
            searcher,
            literal_groups,
            group_count,
            requirements,
            always,
            watchers,
        }
    }

    /// A filter that lets every item through on every text (what the engine did without
    /// one; tests compare the two).
    pub fn pass_all(items: usize) -> Self {
        Prefilter::new(vec![Requirement::Nothing; items])
    }

    /// Marks in `candidates` (one flag per item) the items that can match in `text`;
    /// returns whether any can.
    pub fn candidates(&self, text: &str, scratch: &mut Scratch, candidates: &mut [bool]) -> bool {
        scratch.present.clear();
        scratch.present.resize(self.group_count, false);
        scratch.to_check.clear();
        if let Some(searcher) = &self.searcher {
            for found in searcher.automaton(text.len()).find_overlapping_iter(text) {
                for &group in &self.literal_groups[found.pattern().as_usize()] {
                    if !scratch.present[group] {
                        scratch.present[group] = true;
                        scratch.to_check.extend_from_slice(&self.watchers[group]);
                    }
                }
            }
        }
        candidates.fill(false);
        for &item in &self.always {
            candidates[item] = true;
        }
        let mut any = !self.always.is_empty();
        for &item in &scratch.to_check {
            if let Compiled::AllOf(groups) = &self.requirements[item]
                && groups.iter().all(|&g| scratch.present[g])
            {
                candidates[item] = true;
                any = true;
            }
        }
        any
    }

    /// How many items are tried on every text (for tests).
    pub fn unfiltered(&self) -> usize {
        self.always.len()
    }
}

/// One group per required element constraint that names text: every match has a token
/// satisfying it, so the sentence contains one of the group's literals.
fn token_pattern_groups(pattern: &TokenPattern) -> Vec<Group> {
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
fn constraint_literals(constraint: &Constraint) -> Option<Group> {
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

/// Literals one of which occurs in every match of `pattern` (see [`literals`]): looked up
/// in the table `build.rs` computed for the built-in patterns, else computed.
fn regex_literals(pattern: &str) -> Option<Group> {
    match sorted_lines_lookup(BUILTIN_REGEX_LITERALS, &literals::hex(pattern.as_bytes())) {
        Some(value) => literals::decode(value),
        None => literals::regex_literals(pattern),
    }
}

/// Lines of `hex(pattern)\tliterals`, sorted, for every regex of the built-in rule files
/// (generated by `build.rs` with [`literals::table_line`]).
static BUILTIN_REGEX_LITERALS: &str = include_str!(concat!(env!("OUT_DIR"), "/regex_literals.txt"));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn candidates(rules: &RuleSet, sentence: &str) -> Vec<String> {
        let prefilter = Prefilter::for_rules(rules.rules());
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

    /// Every regex the built-in rules give the prefilter, as `regex_literals` sees it.
    fn builtin_patterns(rules: &RuleSet) -> Vec<String> {
        let mut patterns = Vec::new();
        for rule in rules.rules() {
            match &rule.pattern {
                Pattern::Regex(regex) => patterns.push(regex.as_str().to_owned()),
                Pattern::Tokens(tokens) => {
                    for element in &tokens.elements {
                        for constraint in &element.constraints {
                            if let ValueMatcher::Regex(regex) = &constraint.matcher {
                                patterns.push(regex.as_str().to_owned());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let elements = rules.elements().iter().flat_map(|e| &e.cues);
        let kinds = rules
            .kinds()
            .iter()
            .flat_map(|k| k.cues.iter().chain(&k.signals));
        patterns.extend(elements.chain(kinds).map(|r| r.as_str().to_owned()));
        patterns
    }

    #[test]
    fn every_builtin_pattern_is_in_the_build_time_table() {
        let rules = RuleSet::builtin().expect("built-in rules load");
        let patterns = builtin_patterns(&rules);
        assert!(patterns.len() > 50, "{} patterns", patterns.len());
        for pattern in patterns {
            let key = literals::hex(pattern.as_bytes());
            assert!(
                sorted_lines_lookup(BUILTIN_REGEX_LITERALS, &key).is_some(),
                "{pattern} is not in regex_literals.txt: add its key to build.rs"
            );
        }
    }

    #[test]
    fn the_build_time_table_is_what_extraction_gives_now() {
        for line in BUILTIN_REGEX_LITERALS.lines() {
            let (key, value) = line.split_once('\t').expect("key\tvalue");
            let pattern = String::from_utf8(literals::unhex(key)).unwrap();
            assert_eq!(literals::table_line(&pattern), format!("{line}\n"));
            let group = literals::decode(value);
            assert_eq!(group, literals::regex_literals(&pattern), "{pattern}");
            // `Prefilter::new` compacts every group again: that must change nothing.
            if let Some(group) = group {
                assert_eq!(literals::compact(group.clone()), group, "{pattern}");
            }
        }
    }

    /// Items are flagged as their requirements say, checked item by item.
    #[test]
    fn each_kind_of_requirement_flags_as_it_says() {
        let group = |words: &[&str]| words.iter().map(|w| w.as_bytes().to_vec()).collect();
        let prefilter = Prefilter::new(vec![
            Requirement::Nothing,
            Requirement::Never,
            Requirement::AllOf(vec![]),
            Requirement::AllOf(vec![group(&["検討"]), group(&["します", "いたします"])]),
            Requirement::AllOf(vec![group(&["します"]), group(&["検討"])]),
            Requirement::AllOf(vec![group(&["遅延"])]),
        ]);
        let flags = |text: &str| {
            let mut flags = vec![false; prefilter.items()];
            let any = prefilter.candidates(text, &mut Scratch::default(), &mut flags);
            (any, flags)
        };
        let all_but_never_and_delay = vec![true, false, true, true, true, false];
        assert_eq!(flags("対応を検討します。"), (true, all_but_never_and_delay));
        assert_eq!(
            flags("検討中です。"),
            (true, vec![true, false, true, false, false, false])
        );
        assert_eq!(prefilter.unfiltered(), 2);
        let none = Prefilter::new(vec![Requirement::Never]);
        let mut flag = vec![true];
        assert!(!none.candidates("何か", &mut Scratch::default(), &mut flag));
        assert_eq!(flag, [false]);
    }

    #[test]
    fn a_sentence_without_any_rule_word_has_no_candidates_but_unfiltered_rules() {
        let rules = RuleSet::builtin().expect("built-in rules load");
        let prefilter = Prefilter::for_rules(rules.rules());
        let found = candidates(&rules, "このパッケージは設定ファイルを読み込みます。");
        assert_eq!(found.len(), prefilter.unfiltered(), "{found:?}");
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
        assert_eq!(
            regex_literals("[a-z]+[@＠][a-z]+"),
            Some(vec!["@".as_bytes().to_vec(), "＠".as_bytes().to_vec()])
        );
        assert_eq!(
            regex_literals(r"\p{Han}+(の)?(都合|事情)"),
            Some(vec!["都合".as_bytes().to_vec(), "事情".as_bytes().to_vec()])
        );
        assert_eq!(regex_literals("[a-z]+[0-9]*"), None);
        assert_eq!(
            regex_literals("(お詫び)?申し上げ"),
            // Cut to their first three characters.
            Some(vec![
                "お詫び".as_bytes().to_vec(),
                "申し上".as_bytes().to_vec()
            ])
        );
    }
}
