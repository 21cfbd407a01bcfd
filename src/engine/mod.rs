//! The linting engine: sentences → tokens → rules → diagnostics.

pub mod conditions;
mod context;
mod literals;
pub mod placeholder;
pub mod prefilter;
pub mod time_expr;
pub mod token_pattern;

use std::cell::OnceCell;
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use conditions::{MatchContext, NamedCondition};
use prefilter::Prefilter;
use token_pattern::Field;

use crate::diagnostic::Diagnostic;
use crate::rules::{Pattern, Rule, RuleSet};
use crate::sentence::{Sentence, split_paragraphs, split_sentences};
use crate::tokenize::{Token, tokenize};

/// One sentence, ready for rules: its tokens (made on first use: a sentence that only
/// regex rules are tried on is not tokenized unless one matches) and its template
/// placeholders.
struct SentenceView<'a> {
    text: &'a str,
    sentence: Sentence,
    tokens: OnceCell<Vec<Token>>,
    placeholders: OnceCell<Vec<Range<usize>>>,
    /// The sentence-level conditions worked out so far (see `NamedCondition::depends_on_match`).
    conditions: std::cell::RefCell<FxHashMap<NamedCondition, bool>>,
    /// The cues of the whole text, shared by its sentences and found on first use.
    cues: &'a std::sync::OnceLock<context::TextCues>,
}

impl SentenceView<'_> {
    fn tokens(&self) -> &[Token] {
        self.tokens.get_or_init(|| {
            let range = self.sentence.range.clone();
            tokenize(&self.text[range.clone()], range.start)
        })
    }

    fn placeholders(&self) -> &[Range<usize>] {
        self.placeholders
            .get_or_init(|| placeholder::find_placeholders(self.text, self.sentence.range.clone()))
    }
}

/// A rule's raw hit: the matched byte span, the matched token indices, and the values of
/// its captures by name.
struct Hit {
    span: Range<usize>,
    tokens: Range<usize>,
    captures: Vec<(String, Range<usize>)>,
}

/// A token pattern anchor (see [`token_pattern::Anchor`]) as the index keeps it: a token
/// with the anchor's value at position `t` lets `rule` start at `t - offset`.
#[derive(Debug, Clone, Copy)]
struct AnchorEntry {
    rule: usize,
    offset: usize,
    sentence_start_only: bool,
}

/// The token-pattern rules by their anchor values (exact surface or base form), so that a
/// sentence's tokens are looked up once instead of every rule being tried at every token.
/// Rules without anchors are tried everywhere, as before. Built once per rule set.
#[derive(Debug, Clone, Default)]
pub struct AnchorIndex {
    // Looked up once per token of every tokenized sentence; keys are short words, for
    // which FxHash is several times cheaper than the default SipHash.
    by_surface: FxHashMap<String, Vec<AnchorEntry>>,
    by_base: FxHashMap<String, Vec<AnchorEntry>>,
    anchored: Vec<bool>,
}

impl AnchorIndex {
    pub fn new(rules: &[Rule]) -> Self {
        let mut index = AnchorIndex {
            by_surface: FxHashMap::default(),
            by_base: FxHashMap::default(),
            anchored: vec![false; rules.len()],
        };
        for (i, rule) in rules.iter().enumerate() {
            let Pattern::Tokens(pattern) = &rule.pattern else {
                continue;
            };
            let Some(anchors) = pattern.anchors() else {
                continue;
            };
            index.anchored[i] = true;
            for anchor in anchors {
                let map = match anchor.field {
                    Field::Surface => &mut index.by_surface,
                    _ => &mut index.by_base,
                };
                for value in anchor.values {
                    map.entry(value.clone()).or_default().push(AnchorEntry {
                        rule: i,
                        offset: anchor.offset,
                        sentence_start_only: anchor.sentence_start_only,
                    });
                }
            }
        }
        index
    }
}

/// The anchor index with, per rule, the token positions to try in the current sentence.
struct RuleIndex<'r> {
    anchors: &'r AnchorIndex,
    /// Per rule, the token positions to try in the current sentence (ascending).
    starts: Vec<Vec<usize>>,
}

impl<'r> RuleIndex<'r> {
    fn new(anchors: &'r AnchorIndex) -> Self {
        RuleIndex {
            anchors,
            starts: vec![Vec::new(); anchors.anchored.len()],
        }
    }

    /// Fills `starts` with every position where each anchored rule can match in `tokens`.
    fn find_starts(&mut self, tokens: &[Token]) {
        for (starts, anchored) in self.starts.iter_mut().zip(&self.anchors.anchored) {
            if *anchored {
                starts.clear();
            }
        }
        for (t, token) in tokens.iter().enumerate() {
            let by_surface = self.anchors.by_surface.get(token.surface.as_str());
            let by_base = self.anchors.by_base.get(token.base());
            for entry in by_surface.into_iter().chain(by_base).flatten() {
                let start = if entry.sentence_start_only {
                    (t == entry.offset).then_some(0)
                } else {
                    t.checked_sub(entry.offset)
                };
                if let Some(start) = start {
                    self.starts[entry.rule].push(start);
                }
            }
        }
        for starts in &mut self.starts {
            if !starts.is_sorted() {
                starts.sort_unstable();
            }
            starts.dedup();
        }
    }

    /// The positions to try for `rule` in the current sentence; `None`: try them all.
    fn starts(&self, rule: usize) -> Option<&[usize]> {
        self.anchors.anchored[rule].then(|| self.starts[rule].as_slice())
    }
}

/// Lints the prose ranges of `text` with `rules`; findings are sorted by position.
pub fn lint_ranges(text: &str, prose: &[Range<usize>], rules: &RuleSet) -> Vec<Diagnostic> {
    lint_ranges_with(text, prose, rules, rules.prefilter()).0
}

/// The sentences of a text and which element cues can match in each, as the engine split
/// and searched them while linting it (the rule set's prefilter covers the rules and the
/// cues), so that the document analysis does neither again.
#[derive(Debug, Default)]
pub struct CueScan {
    cue_count: usize,
    /// The sentences in text order, in the runs the engine linted them in (kept apart:
    /// joining them would copy the flags, a few bytes per cue and sentence of the text).
    runs: Vec<ScannedRun>,
}

/// Consecutive sentences of a text, with `cue_count` flags per sentence.
#[derive(Debug, Default)]
struct ScannedRun {
    ranges: Vec<Range<usize>>,
    flags: Vec<bool>,
}

impl CueScan {
    /// How many cues each sentence has flags for.
    pub fn cue_count(&self) -> usize {
        self.cue_count
    }

    /// Each sentence with its flags, one per cue.
    pub fn sentences(&self) -> impl Iterator<Item = (Range<usize>, &[bool])> {
        let count = self.cue_count;
        self.runs.iter().flat_map(move |run| {
            run.ranges
                .iter()
                .enumerate()
                .map(move |(i, range)| (range.clone(), &run.flags[i * count..(i + 1) * count]))
        })
    }
}

/// Lints all of `text` as prose, and says which element cues can match in each sentence.
pub fn lint_text_scanned(text: &str, rules: &RuleSet) -> (Vec<Diagnostic>, CueScan) {
    let whole = 0..text.len();
    lint_ranges_with(text, std::slice::from_ref(&whole), rules, rules.prefilter())
}

fn lint_ranges_with(
    text: &str,
    prose: &[Range<usize>],
    rules: &RuleSet,
    prefilter: &Prefilter,
) -> (Vec<Diagnostic>, CueScan) {
    let mut queued = Vec::new();
    let cues = std::sync::OnceLock::new();
    let mut paragraph = 0;
    for range in prose {
        for range in split_paragraphs(text, range.clone()) {
            let sentences = split_sentences(text, range).into_iter();
            queued.extend(sentences.map(|sentence| QueuedSentence {
                paragraph,
                sentence,
            }));
            paragraph += 1;
        }
    }
    // Sentences are linted independently, so a long text, or the one file a commit
    // touched, is linted on every core (and the regexes its rules need compile on all of
    // them). Each run of consecutive sentences has its own state; runs are joined in order.
    let runs: Vec<(Vec<Found>, ScannedRun)> = queued
        .into_par_iter()
        .fold(
            || (Vec::new(), LintState::new(rules, prefilter)),
            |(mut found, mut state), queued| {
                lint_queued(text, &cues, queued, rules, &mut state, &mut found);
                (found, state)
            },
        )
        .map(|(found, state)| (found, state.cues))
        .collect();
    let mut found = Vec::new();
    let mut cues = CueScan {
        cue_count: prefilter.items().saturating_sub(rules.rules().len()),
        runs: Vec::with_capacity(runs.len()),
    };
    for (run_found, run) in runs {
        found.extend(run_found);
        cues.runs.push(run);
    }
    let mut diagnostics = from_occurrence(found, rules);
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule_id).cmp(&(b.span.start, b.span.end, &b.rule_id))
    });
    (one_finding_per_span(diagnostics), cues)
}

/// Where rules of one category match overlapping text, the writer gets one finding, not a
/// stack of near-identical ones: the rule that matched the longest span (the one that saw
/// the most of the phrase, so the most specific message and rewrite) is kept; of equal
/// spans, the first in `diagnostics`' order. `diagnostics` is sorted by span start.
fn one_finding_per_span(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    // Per category, the last finding kept: sorted by start, a new finding can only overlap
    // the latest of its category (unless an earlier one is longer still, which the latest
    // then overlaps too).
    let mut latest: FxHashMap<String, usize> = FxHashMap::default();
    for diagnostic in diagnostics {
        match latest.get(&diagnostic.category) {
            Some(&i) if overlaps(&kept[i].span, &diagnostic.span) => {
                if diagnostic.span.len() > kept[i].span.len() {
                    kept[i] = diagnostic;
                }
            }
            _ => {
                latest.insert(diagnostic.category.clone(), kept.len());
                kept.push(diagnostic);
            }
        }
    }
    kept.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule_id).cmp(&(b.span.start, b.span.end, &b.rule_id))
    });
    kept
}

/// A sentence to lint and the index of its paragraph.
struct QueuedSentence {
    paragraph: usize,
    sentence: Sentence,
}

/// A finding with the rule (its index) and the paragraph it was found in, before
/// `from_occurrence` is applied.
struct Found {
    paragraph: usize,
    rule: usize,
    diagnostic: Diagnostic,
}

/// Keeps each rule's findings from its `from_occurrence`-th match within a paragraph on
/// (stacked させていただく), counting matches in text order: `found` is in sentence order,
/// and in rule order within a sentence.
fn from_occurrence(found: Vec<Found>, rules: &RuleSet) -> Vec<Diagnostic> {
    let mut occurrences = vec![0usize; rules.rules().len()];
    let mut paragraph = None;
    found
        .into_iter()
        .filter_map(|found| {
            if paragraph != Some(found.paragraph) {
                occurrences.fill(0);
                paragraph = Some(found.paragraph);
            }
            occurrences[found.rule] += 1;
            let from = rules.rules()[found.rule].from_occurrence;
            (occurrences[found.rule] >= from).then_some(found.diagnostic)
        })
        .collect()
}

/// What linting one text keeps from sentence to sentence, so it is allocated once.
struct LintState<'r> {
    index: RuleIndex<'r>,
    prefilter: &'r Prefilter,
    scratch: prefilter::Scratch,
    /// Per item of the prefilter (each rule, then each element cue): whether it can match
    /// in the current sentence.
    candidates: Vec<bool>,
    rule_count: usize,
    cues: ScannedRun,
    /// Per rule: whether it is a token pattern (those need the sentence tokenized).
    is_token_rule: Vec<bool>,
}

impl<'r> LintState<'r> {
    fn new(rules: &'r RuleSet, prefilter: &'r Prefilter) -> Self {
        LintState {
            index: RuleIndex::new(rules.anchor_index()),
            prefilter,
            scratch: prefilter::Scratch::default(),
            candidates: vec![false; prefilter.items()],
            rule_count: rules.rules().len(),
            cues: ScannedRun::default(),
            is_token_rule: rules
                .rules()
                .iter()
                .map(|rule| matches!(rule.pattern, Pattern::Tokens(_)))
                .collect(),
        }
    }
}

fn lint_queued(
    text: &str,
    cues: &std::sync::OnceLock<context::TextCues>,
    queued: QueuedSentence,
    rules: &RuleSet,
    state: &mut LintState,
    out: &mut Vec<Found>,
) {
    let QueuedSentence {
        paragraph,
        sentence,
    } = queued;
    let sentence_text = &text[sentence.range.clone()];
    let prefilter = state.prefilter;
    prefilter.candidates(sentence_text, &mut state.scratch, &mut state.candidates);
    let (rule_flags, cue_flags) = state.candidates.split_at(state.rule_count);
    state.cues.ranges.push(sentence.range.clone());
    state.cues.flags.extend_from_slice(cue_flags);
    if !rule_flags.contains(&true) {
        return;
    }
    let view = SentenceView {
        text,
        sentence,
        tokens: OnceCell::new(),
        placeholders: OnceCell::new(),
        conditions: Default::default(),
        cues,
    };
    let any_token_rule = state
        .candidates
        .iter()
        .zip(&state.is_token_rule)
        .any(|(candidate, token_rule)| *candidate && *token_rule);
    if any_token_rule {
        state.index.find_starts(view.tokens());
    }
    for (i, rule) in rules.rules().iter().enumerate() {
        if !state.candidates[i] {
            continue;
        }
        let hits = lint_sentence(&view, rule, state.index.starts(i));
        out.extend(hits.into_iter().map(|diagnostic| Found {
            paragraph,
            rule: i,
            diagnostic,
        }));
    }
}

/// Lints all of `text` as prose.
pub fn lint_text(text: &str, rules: &RuleSet) -> Vec<Diagnostic> {
    lint_ranges(text, std::slice::from_ref(&(0..text.len())), rules)
}

fn lint_sentence(view: &SentenceView, rule: &Rule, starts: Option<&[usize]>) -> Vec<Diagnostic> {
    // A rule's unless_regex and unless_tokens look at the whole sentence: one answer for
    // all its matches there.
    let sentence_cancels = OnceCell::new();
    find_hits(view, rule, starts)
        .into_iter()
        .filter(|hit| rule.lint_quoted || !view.sentence.is_quoted(&hit.span))
        .filter(|hit| !view.placeholders().iter().any(|p| overlaps(p, &hit.span)))
        .filter(|hit| {
            !*sentence_cancels.get_or_init(|| cancelled_by_sentence(view, rule))
                && !is_cancelled(view, rule, hit)
        })
        .map(|hit| diagnostic(view, rule, &hit))
        .collect()
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// `starts`: where a token pattern can start (from the rule index); `None` tries everywhere.
fn find_hits(view: &SentenceView, rule: &Rule, starts: Option<&[usize]>) -> Vec<Hit> {
    match &rule.pattern {
        Pattern::Tokens(pattern) => match starts {
            Some(starts) => pattern.find_all_at(view.tokens(), starts),
            None => pattern.find_all(view.tokens()),
        }
        .into_iter()
        .map(|m| {
            let tokens = view.tokens();
            let span = tokens[m.marked.start].start..tokens[m.marked.end - 1].end;
            let captures = m
                .captures
                .into_iter()
                .map(|(name, t)| (name, tokens[t.start].start..tokens[t.end - 1].end))
                .collect();
            // Conditions about the match (`negated`) look at the flagged tokens, not at the
            // context before them: the ない of 「起こさないよう…取り組みます」 is the goal's,
            // not the pledge's.
            Hit {
                span,
                tokens: m.marked,
                captures,
            }
        })
        .collect(),
        Pattern::UnusedSuppression | Pattern::Document(_) => Vec::new(),
        Pattern::Regex(regex) => {
            let base = view.sentence.range.start;
            let sentence_text = &view.text[view.sentence.range.clone()];
            regex
                .captures_iter(sentence_text)
                .filter_map(|caps| {
                    let whole = caps.get(0)?;
                    let span = base + whole.start()..base + whole.end();
                    let captures = regex_captures(regex, &caps, base);
                    let tokens = tokens_overlapping(view.tokens(), &span);
                    Some(Hit {
                        span,
                        tokens,
                        captures,
                    })
                })
                .filter(|hit| !hit.span.is_empty())
                .collect()
        }
    }
}

fn regex_captures(
    regex: &regex::Regex,
    caps: &regex::Captures,
    base: usize,
) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    for (index, name) in regex.capture_names().enumerate() {
        if let Some(m) = caps.get(index) {
            let range = base + m.start()..base + m.end();
            out.push((index.to_string(), range.clone()));
            if let Some(name) = name {
                out.push((name.to_owned(), range));
            }
        }
    }
    out
}

fn tokens_overlapping(tokens: &[Token], span: &Range<usize>) -> Range<usize> {
    let start = tokens.partition_point(|t| t.end <= span.start);
    let end = tokens.partition_point(|t| t.start < span.end);
    start..end.max(start)
}

/// Whether `rule`'s `unless_regex` or `unless_tokens` holds in the sentence.
fn cancelled_by_sentence(view: &SentenceView, rule: &Rule) -> bool {
    let unless = &rule.unless;
    unless
        .regex
        .as_ref()
        .is_some_and(|r| r.is_match(&view.text[view.sentence.range.clone()]))
        || unless
            .tokens
            .as_ref()
            .is_some_and(|p| p.is_found(view.tokens()))
}

/// Whether `rule`'s named conditions drop `hit`: one of `when` does not hold, or one of
/// `unless` does. Sentence-level conditions are worked out once per sentence.
fn is_cancelled(view: &SentenceView, rule: &Rule, hit: &Hit) -> bool {
    let ctx = MatchContext {
        text: view.text,
        sentence: view.sentence.range.clone(),
        tokens: view.tokens(),
        matched: hit.tokens.clone(),
        cues: view.cues,
    };
    let holds = |condition: &NamedCondition| {
        if condition.depends_on_match() {
            return condition.holds(&ctx);
        }
        if let Some(&known) = view.conditions.borrow().get(condition) {
            return known;
        }
        let value = condition.holds(&ctx);
        view.conditions.borrow_mut().insert(*condition, value);
        value
    };
    let unless = &rule.unless;
    !unless.required.iter().all(holds) || unless.named.iter().any(holds)
}

fn diagnostic(view: &SentenceView, rule: &Rule, hit: &Hit) -> Diagnostic {
    let lookup = |name: &str| -> Option<&str> {
        if name == "0" {
            return Some(&view.text[hit.span.clone()]);
        }
        hit.captures
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, range)| &view.text[range.clone()])
    };
    rule.diagnostic(hit.span.clone(), lookup)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_texts;

    /// The index only skips positions where a pattern cannot match: trying the indexed
    /// starts finds what trying every token finds, for every built-in rule, on the rules'
    /// examples and the sentences and lines of the fixtures and corpora.
    #[test]
    fn indexed_starts_find_what_a_full_scan_finds() {
        let rules = RuleSet::builtin().expect("built-in rules load");
        let mut texts = test_texts::rule_examples(&rules);
        for file in test_texts::corpus_files() {
            texts.extend(file.split(['。', '\n']).map(str::to_owned));
        }
        let anchors = AnchorIndex::new(rules.rules());
        let mut index = RuleIndex::new(&anchors);
        let mut anchored = 0;
        for text in &texts {
            let tokens = tokenize(text, 0);
            index.find_starts(&tokens);
            for (i, rule) in rules.rules().iter().enumerate() {
                let (Pattern::Tokens(pattern), Some(starts)) = (&rule.pattern, index.starts(i))
                else {
                    continue;
                };
                anchored += 1;
                assert_eq!(
                    pattern.find_all_at(&tokens, starts),
                    pattern.find_all(&tokens),
                    "{} on {text}",
                    rule.id
                );
            }
        }
        assert!(anchored > 0);
    }

    fn lint_on_threads(
        threads: usize,
        text: &str,
        rules: &RuleSet,
    ) -> (Vec<Diagnostic>, Vec<Range<usize>>) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        let (found, scan) = pool.install(|| lint_text_scanned(text, rules));
        (found, scan.sentences().map(|(range, _)| range).collect())
    }

    /// Sentences are linted in runs on several threads: the findings, the counting of a
    /// rule's occurrences within a paragraph and the sentences handed to the document
    /// analysis are the same as on one thread.
    #[test]
    fn linting_on_several_threads_changes_nothing() {
        let rules = RuleSet::builtin().expect("built-in rules load");
        // One paragraph of twelve sentences with させていただく, which is flagged from its
        // third occurrence in a paragraph on: four threads split it into runs.
        let stacked = "資料を送付させていただきます。".repeat(12);
        let one = lint_on_threads(1, &stacked, &rules);
        let four = lint_on_threads(4, &stacked, &rules);
        assert_eq!(one, four);
        let stacked_findings = one
            .0
            .iter()
            .filter(|d| d.rule_id == "stacked-sasete-itadaku");
        assert_eq!(stacked_findings.count(), 10, "{:?}", one.0);
        assert_eq!(one.1.len(), 12);
        for text in test_texts::corpus_files() {
            assert_eq!(
                lint_on_threads(1, &text, &rules),
                lint_on_threads(4, &text, &rules)
            );
        }
    }

    /// `when` keeps a match only where its conditions hold; `unless` drops it where one does.
    #[test]
    fn when_and_unless_filter_matches() {
        let rule = |filter: &str| {
            format!(
                "[[rule]]\nid = \"my-rule\"\ncategory = \"custom\"\nseverity = \"warning\"\nmessage = \"m\"\nhelp = \"h\"\ndescription = \"d\"\ntokens = [{{ base = \"検討\" }}, {{ base = \"する\" }}]\n{filter}\n[[rule.example]]\nbad = \"検討しません。\"\nflag = \"検討し\"\n[[rule.example]]\ngood = \"検討会です。\"\n"
            )
        };
        let text = "来週に検討します。その件は検討しません。";
        let found = |filter: &str| {
            let mut rules = RuleSet::from_rules(Vec::new());
            rules
                .add_file("mine.toml", &rule(filter))
                .expect("the rule loads");
            lint_text(text, &rules)
                .into_iter()
                .map(|d| text[..d.span.start].chars().count())
                .collect::<Vec<_>>()
        };
        assert_eq!(found(""), [3, 13]);
        assert_eq!(found("when = [\"negated\"]"), [13]);
        assert_eq!(found("unless = [\"negated\"]"), [3]);
    }

    /// The prefilter only skips sentences and rules that cannot match: every finding of a
    /// full run is found with it, and nothing else.
    #[test]
    fn the_prefilter_changes_no_finding() {
        let rules = RuleSet::builtin().expect("built-in rules load");
        let pass_all = Prefilter::pass_all(rules.rules().len());
        let mut findings = 0;
        let mut texts = test_texts::rule_examples(&rules);
        texts.extend(test_texts::corpus_files());
        for text in texts {
            let whole = 0..text.len();
            let prose = std::slice::from_ref(&whole);
            let filtered = lint_ranges_with(&text, prose, &rules, rules.prefilter()).0;
            let full = lint_ranges_with(&text, prose, &rules, &pass_all).0;
            assert_eq!(filtered, full, "{text}");
            findings += full.len();
        }
        assert!(
            findings > 500,
            "the comparison saw only {findings} findings"
        );
    }
}
