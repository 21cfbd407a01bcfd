//! Matching sequences of tokens against patterns (what textlint's morpheme-match and
//! LanguageTool's `<token>` elements express): per-token constraints on surface, base form,
//! part of speech, conjugation and reading; optional elements; skipped tokens; captures.

use std::ops::Range;

use crate::rules::LazyRegex;
use crate::tokenize::Token;

/// Which feature of a token a constraint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Surface,
    Base,
    Pos,
    ConjType,
    ConjForm,
    Reading,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Surface => "surface",
            Field::Base => "base",
            Field::Pos => "pos",
            Field::ConjType => "conj_type",
            Field::ConjForm => "conj_form",
            Field::Reading => "reading",
        }
    }
}

/// How one field's value is tested.
#[derive(Debug, Clone)]
pub enum ValueMatcher {
    /// Equal to one of the alternatives. For `pos`, an alternative names the first levels
    /// (`名詞,サ変接続` matches `名詞,サ変接続,*,*`).
    AnyOf(Vec<String>),
    /// A regex searched in the value (for `pos`, in the four levels joined by commas).
    Regex(LazyRegex),
}

#[derive(Debug, Clone)]
pub struct Constraint {
    pub field: Field,
    pub matcher: ValueMatcher,
}

impl Constraint {
    fn matches(&self, token: &Token) -> bool {
        match (&self.matcher, self.field) {
            (ValueMatcher::AnyOf(values), Field::Pos) => {
                values.iter().any(|v| pos_prefix(token, v))
            }
            (ValueMatcher::Regex(regex), Field::Pos) => regex.is_match(&token.pos_path()),
            (ValueMatcher::AnyOf(values), field) => {
                let actual = field_value(token, field);
                values.iter().any(|v| v == actual)
            }
            (ValueMatcher::Regex(regex), field) => regex.is_match(field_value(token, field)),
        }
    }
}

fn field_value(token: &Token, field: Field) -> &str {
    match field {
        Field::Surface => &token.surface,
        Field::Base => token.base(),
        Field::ConjType => token.conj_type(),
        Field::ConjForm => token.conj_form(),
        Field::Reading => token.reading(),
        Field::Pos => token.pos(0),
    }
}

/// `名詞,サ変接続` matches a token whose first two levels are 名詞 and サ変接続.
fn pos_prefix(token: &Token, expected: &str) -> bool {
    expected
        .split(',')
        .enumerate()
        .all(|(level, part)| level < 4 && token.pos(level) == part)
}

/// One position of a pattern.
#[derive(Debug, Clone, Default)]
pub struct Element {
    pub constraints: Vec<Constraint>,
    pub negate: bool,
    pub optional: bool,
    /// How many unrelated tokens may follow this element before the next one.
    pub skip: usize,
    pub capture: Option<String>,
    /// Context elements (`mark = false`) must match but lie outside the flagged span.
    pub context: bool,
}

impl Element {
    pub fn matches(&self, token: &Token) -> bool {
        self.constraints.iter().all(|c| c.matches(token)) != self.negate
    }
}

/// A matched run of tokens: all matched token indices, the flagged ones (context elements
/// excluded), and the token ranges of named captures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenMatch {
    pub tokens: Range<usize>,
    pub marked: Range<usize>,
    pub captures: Vec<(String, Range<usize>)>,
}

/// Matching state: the token index each matched element took, and the captures so far.
#[derive(Default)]
struct Trail {
    marked: Vec<usize>,
    captures: Vec<(String, Range<usize>)>,
}

/// The (element, token) pairs from which the rest of the pattern is known not to match, over
/// all the starts tried in one sentence. Whether the rest matches from a pair does not
/// depend on how the match got there, so each pair is worked out at most once: with optional
/// elements and skips, a backtracking matcher would otherwise retry the same pairs
/// exponentially often (a dozen optional tokens, or `skip = 1000`).
struct Failed {
    elements: usize,
    tokens: usize,
    /// Made on the first failure past a start: most tries fail on their first token, and
    /// the hot path should not allocate for them.
    pairs: Vec<bool>,
}

impl Failed {
    fn new(elements: usize, tokens: usize) -> Self {
        Failed {
            elements: elements + 1,
            tokens: tokens + 1,
            pairs: Vec::new(),
        }
    }

    fn index(&self, e: usize, t: usize) -> usize {
        t * self.elements + e
    }

    fn has_failed(&self, e: usize, t: usize) -> bool {
        self.pairs.get(self.index(e, t)).is_some_and(|&f| f)
    }

    fn mark(&mut self, e: usize, t: usize) {
        if self.pairs.is_empty() {
            self.pairs = vec![false; self.elements * self.tokens];
        }
        let pair = self.index(e, t);
        self.pairs[pair] = true;
    }
}

#[derive(Debug, Clone, Default)]
pub struct TokenPattern {
    pub elements: Vec<Element>,
}

/// An exact surface or base form that the token at `offset` from a match's start must
/// have, on one of the ways the pattern can match. The engine looks tokens up by these
/// values instead of trying every pattern at every token.
#[derive(Debug, Clone, Copy)]
pub struct Anchor<'p> {
    pub offset: usize,
    pub field: Field,
    pub values: &'p [String],
    /// Only for a match at the start of the sentence: a pattern that opens with "not
    /// preceded by" (a negated context element) is satisfied there with no token.
    pub sentence_start_only: bool,
}

impl TokenPattern {
    /// All non-overlapping matches, leftmost first.
    pub fn find_all(&self, tokens: &[Token]) -> Vec<TokenMatch> {
        let starts: Vec<usize> = (0..tokens.len()).collect();
        self.find_all_at(tokens, &starts)
    }

    /// What `find_all` finds, trying only `starts` (ascending): the same matches when
    /// `starts` holds every start the pattern's [`Anchor`] allows.
    pub fn find_all_at(&self, tokens: &[Token], starts: &[usize]) -> Vec<TokenMatch> {
        let mut found = Vec::new();
        let mut failed = Failed::new(self.elements.len(), tokens.len());
        let mut next = 0;
        for &start in starts {
            if start < next {
                continue;
            }
            if let Some(m) = self.match_with(tokens, start, &mut failed)
                && m.tokens.end > m.tokens.start
            {
                next = m.tokens.end;
                found.push(m);
            }
        }
        found
    }

    /// Anchors such that every match has, on at least one of them, a token with one of its
    /// values at its offset from the match's start; `None` when the pattern has no such set
    /// (an element that can match different numbers of tokens comes before any exact value).
    pub fn anchors(&self) -> Option<Vec<Anchor<'_>>> {
        let mut anchors = Vec::new();
        self.collect_anchors(0, 0, false, &mut anchors)?;
        if self
            .elements
            .first()
            .is_some_and(|first| first.negate && first.context)
        {
            // `match_at`'s second way at the sentence start: element 1 at token 0.
            self.collect_anchors(1, 0, true, &mut anchors)?;
        }
        Some(anchors)
    }

    /// Anchors for the rest of a match whose element `e` stands at `offset`.
    fn collect_anchors<'p>(
        &'p self,
        e: usize,
        offset: usize,
        sentence_start_only: bool,
        anchors: &mut Vec<Anchor<'p>>,
    ) -> Option<()> {
        let element = self.elements.get(e)?;
        if element.optional {
            // Absent: the next element stands here.
            self.collect_anchors(e + 1, offset, sentence_start_only, anchors)?;
        }
        let exact = element
            .constraints
            .iter()
            .find_map(|c| match (&c.matcher, c.field) {
                (ValueMatcher::AnyOf(values), field @ (Field::Surface | Field::Base)) => {
                    Some((field, values.as_slice()))
                }
                _ => None,
            });
        match exact {
            Some((field, values)) if !element.negate => anchors.push(Anchor {
                offset,
                field,
                values,
                sentence_start_only,
            }),
            _ if element.skip == 0 => {
                self.collect_anchors(e + 1, offset + 1, sentence_start_only, anchors)?;
            }
            _ => return None,
        }
        Some(())
    }

    /// True when the pattern matches anywhere in `tokens`.
    pub fn is_found(&self, tokens: &[Token]) -> bool {
        let mut failed = Failed::new(self.elements.len(), tokens.len());
        (0..tokens.len()).any(|start| self.match_with(tokens, start, &mut failed).is_some())
    }

    /// The match that starts exactly at token `start`, if any.
    ///
    /// A leading negated context element means "not preceded by": at the start of the
    /// sentence there is no token before, so the element is also satisfied there.
    pub fn match_at(&self, tokens: &[Token], start: usize) -> Option<TokenMatch> {
        self.match_with(
            tokens,
            start,
            &mut Failed::new(self.elements.len(), tokens.len()),
        )
    }

    fn match_with(
        &self,
        tokens: &[Token],
        start: usize,
        failed: &mut Failed,
    ) -> Option<TokenMatch> {
        let mut trail = Trail::default();
        let mut end = self.match_from(tokens, 0, start, start, &mut trail, failed);
        if end.is_none()
            && start == 0
            && self.elements.first().is_some_and(|e| e.negate && e.context)
        {
            end = self.match_from(tokens, 1, 0, 0, &mut trail, failed);
        }
        let end = end?;
        let marked = match (trail.marked.first(), trail.marked.last()) {
            (Some(&first), Some(&last)) => first..last + 1,
            _ => start..end,
        };
        Some(TokenMatch {
            tokens: start..end,
            marked,
            captures: trail.captures,
        })
    }

    /// Backtracking matcher: element `e` at token `t`; returns the end of the whole match.
    /// Optional elements prefer being present; skips prefer the fewest skipped tokens. Pairs
    /// that failed before are not tried again (see [`Failed`]).
    fn match_from(
        &self,
        tokens: &[Token],
        e: usize,
        t: usize,
        start: usize,
        trail: &mut Trail,
        failed: &mut Failed,
    ) -> Option<usize> {
        let Some(element) = self.elements.get(e) else {
            return Some(t);
        };
        crate::work::count(crate::work::Work::PatternSteps, 1);
        // At the start itself the answer depends on the start (an absent last element may
        // not leave the match empty), so only later pairs are remembered.
        let remembered = t != start;
        if remembered && failed.has_failed(e, t) {
            return None;
        }
        if let Some(token) = tokens.get(t)
            && element.matches(token)
        {
            let (marks, captures) = (trail.marked.len(), trail.captures.len());
            if !element.context {
                trail.marked.push(t);
            }
            if let Some(name) = &element.capture {
                trail.captures.push((name.clone(), t..t + 1));
            }
            for next in t + 1..=(t + 1 + element.skip).min(tokens.len()) {
                if let Some(end) = self.match_from(tokens, e + 1, next, start, trail, failed) {
                    return Some(end);
                }
            }
            trail.marked.truncate(marks);
            trail.captures.truncate(captures);
        }
        // An absent optional element must not leave the match empty at its start.
        if element.optional && !(t == start && e + 1 == self.elements.len()) {
            let end = self.match_from(tokens, e + 1, t, start, trail, failed);
            if end.is_some() {
                return end;
            }
        }
        if remembered {
            failed.mark(e, t);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;
    use regex::Regex;

    fn exact(field: Field, values: &[&str]) -> Constraint {
        Constraint {
            field,
            matcher: ValueMatcher::AnyOf(values.iter().map(|v| v.to_string()).collect()),
        }
    }

    fn element(constraints: Vec<Constraint>) -> Element {
        Element {
            constraints,
            ..Element::default()
        }
    }

    fn matched<'t>(text: &'t str, tokens: &[Token], m: &TokenMatch) -> &'t str {
        &text[tokens[m.marked.start].start..tokens[m.marked.end - 1].end]
    }

    #[test]
    fn matches_pos_prefix_base_and_conjugation() {
        let text = "再発防止策を検討します。検討会を開きます。";
        let tokens = tokenize(text, 0);
        let pattern = TokenPattern {
            elements: vec![
                element(vec![
                    exact(Field::Base, &["検討"]),
                    exact(Field::Pos, &["名詞,サ変接続"]),
                ]),
                element(vec![exact(Field::Base, &["する"])]),
                element(vec![
                    exact(Field::Base, &["ます"]),
                    exact(Field::ConjForm, &["基本形"]),
                ]),
            ],
        };
        let found = pattern.find_all(&tokens);
        assert_eq!(found.len(), 1);
        assert_eq!(matched(text, &tokens, &found[0]), "検討します");
    }

    #[test]
    fn optional_skip_negate_and_capture() {
        let text = "担当者が不在で遅れました。";
        let tokens = tokenize(text, 0);
        let pattern = TokenPattern {
            elements: vec![
                Element {
                    capture: Some("who".into()),
                    skip: 1,
                    ..element(vec![exact(Field::Surface, &["担当"])])
                },
                Element {
                    optional: true,
                    ..element(vec![exact(Field::Surface, &["が"])])
                },
                element(vec![exact(Field::Surface, &["不在"])]),
                Element {
                    negate: true,
                    ..element(vec![exact(Field::Pos, &["動詞"])])
                },
            ],
        };
        let found = pattern.find_all(&tokens);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(matched(text, &tokens, &found[0]), "担当者が不在で");
        assert_eq!(found[0].captures, vec![("who".to_string(), 0..1)]);
    }

    #[test]
    fn context_elements_are_outside_the_span_and_negated_ones_allow_sentence_start() {
        let busy = |negate, context| Element {
            negate,
            context,
            ..element(vec![exact(Field::Pos, &["接頭詞"])])
        };
        let pattern = TokenPattern {
            elements: vec![
                busy(true, true),
                element(vec![exact(Field::Surface, &["多忙"])]),
            ],
        };
        let text = "多忙で遅れました。";
        let tokens = tokenize(text, 0);
        let found = pattern.find_all(&tokens);
        assert_eq!(found.len(), 1);
        assert_eq!(matched(text, &tokens, &found[0]), "多忙");
        assert!(
            pattern
                .find_all(&tokenize("ご多忙のところ恐縮です。", 0))
                .is_empty()
        );
        let mid = "実は多忙で遅れました。";
        let tokens = tokenize(mid, 0);
        let found = pattern.find_all(&tokens);
        assert_eq!(matched(mid, &tokens, &found[0]), "多忙");
    }

    #[test]
    fn regex_values_search_the_field() {
        let text = "速やかに対応いたします。";
        let tokens = tokenize(text, 0);
        let pattern = TokenPattern {
            elements: vec![element(vec![Constraint {
                field: Field::Surface,
                matcher: ValueMatcher::Regex(Regex::new("^(早急|速やか)$").unwrap().into()),
            }])],
        };
        assert!(pattern.is_found(&tokens));
        assert!(!pattern.is_found(&tokenize("本日中に対応いたします。", 0)));
    }
}
