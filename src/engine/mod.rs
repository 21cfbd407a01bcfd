//! The linting engine: sentences → tokens → rules → diagnostics.

pub mod conditions;
pub mod placeholder;
pub mod time_expr;
pub mod token_pattern;

use std::ops::Range;

use conditions::MatchContext;

use crate::diagnostic::Diagnostic;
use crate::rules::{Pattern, Rule, RuleSet};
use crate::sentence::{Sentence, split_paragraphs, split_sentences};
use crate::tokenize::{Token, tokenize};

/// One sentence, ready for rules: its tokens and the template placeholders in it.
struct SentenceView<'a> {
    text: &'a str,
    sentence: Sentence,
    tokens: Vec<Token>,
    placeholders: Vec<Range<usize>>,
}

/// A rule's raw hit: the matched byte span, the matched token indices, and the values of
/// its captures by name.
struct Hit {
    span: Range<usize>,
    tokens: Range<usize>,
    captures: Vec<(String, Range<usize>)>,
}

/// Lints the prose ranges of `text` with `rules`; findings are sorted by position.
pub fn lint_ranges(text: &str, prose: &[Range<usize>], rules: &RuleSet) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for range in prose {
        for paragraph in split_paragraphs(text, range.clone()) {
            lint_paragraph(text, paragraph, rules, &mut diagnostics);
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule_id).cmp(&(b.span.start, b.span.end, &b.rule_id))
    });
    diagnostics
}

fn lint_paragraph(text: &str, paragraph: Range<usize>, rules: &RuleSet, out: &mut Vec<Diagnostic>) {
    // Matches so far of each rule in this paragraph, for rules that only report the Nth
    // occurrence on (stacked させていただく).
    let mut occurrences = vec![0usize; rules.rules().len()];
    for sentence in split_sentences(text, paragraph) {
        let view = SentenceView {
            text,
            tokens: tokenize(&text[sentence.range.clone()], sentence.range.start),
            placeholders: placeholder::find_placeholders(text, sentence.range.clone()),
            sentence,
        };
        for (rule, seen) in rules.rules().iter().zip(occurrences.iter_mut()) {
            for diagnostic in lint_sentence(&view, rule) {
                *seen += 1;
                if *seen >= rule.from_occurrence {
                    out.push(diagnostic);
                }
            }
        }
    }
}

/// Lints all of `text` as prose.
pub fn lint_text(text: &str, rules: &RuleSet) -> Vec<Diagnostic> {
    lint_ranges(text, std::slice::from_ref(&(0..text.len())), rules)
}

fn lint_sentence(view: &SentenceView, rule: &Rule) -> Vec<Diagnostic> {
    find_hits(view, rule)
        .into_iter()
        .filter(|hit| rule.lint_quoted || !view.sentence.is_quoted(&hit.span))
        .filter(|hit| !view.placeholders.iter().any(|p| overlaps(p, &hit.span)))
        .filter(|hit| !is_cancelled(view, rule, hit))
        .map(|hit| diagnostic(view, rule, &hit))
        .collect()
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn find_hits(view: &SentenceView, rule: &Rule) -> Vec<Hit> {
    match &rule.pattern {
        Pattern::Tokens(pattern) => pattern
            .find_all(&view.tokens)
            .into_iter()
            .map(|m| {
                let span = view.tokens[m.marked.start].start..view.tokens[m.marked.end - 1].end;
                let captures = m
                    .captures
                    .into_iter()
                    .map(|(name, t)| (name, view.tokens[t.start].start..view.tokens[t.end - 1].end))
                    .collect();
                Hit {
                    span,
                    tokens: m.tokens,
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
                    let tokens = tokens_overlapping(&view.tokens, &span);
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

fn is_cancelled(view: &SentenceView, rule: &Rule, hit: &Hit) -> bool {
    let ctx = MatchContext {
        text: view.text,
        sentence: view.sentence.range.clone(),
        tokens: &view.tokens,
        matched: hit.tokens.clone(),
    };
    let unless = &rule.unless;
    unless.named.iter().any(|condition| condition.holds(&ctx))
        || unless
            .regex
            .as_ref()
            .is_some_and(|r| r.is_match(&view.text[view.sentence.range.clone()]))
        || unless
            .tokens
            .as_ref()
            .is_some_and(|p| p.is_found(&view.tokens))
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
