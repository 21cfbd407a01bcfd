//! Whole-document checks, each run by a rule with `document = "…"` (so its message, help,
//! severity and examples are data like any rule's).

use std::ops::Range;

use super::{DocumentReport, ElementPresence, KindDef};
use crate::diagnostic::Diagnostic;
use crate::engine::time_expr::has_deadline;
use crate::rules::Rule;
use crate::sentence::{split_paragraphs, split_sentences};
use crate::tokenize::tokenize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentCheck {
    MissingElement,
    ElementOrder,
    WeakPrevention,
    UndatedAction,
    SubjectWithoutConclusion,
    ConclusionNotFirst,
    TooManyParagraphs,
}

/// Each check's name in rule files, and the captures it gives messages and rewrites.
pub const DOCUMENT_CHECKS: [(&str, DocumentCheck, &[&str]); 7] = [
    (
        "missing-element",
        DocumentCheck::MissingElement,
        &["0", "kind", "element", "help", "template"],
    ),
    (
        "element-order",
        DocumentCheck::ElementOrder,
        &["0", "kind", "element", "other"],
    ),
    (
        "weak-prevention",
        DocumentCheck::WeakPrevention,
        &["0", "kind"],
    ),
    (
        "undated-action",
        DocumentCheck::UndatedAction,
        &["0", "kind"],
    ),
    (
        "subject-without-conclusion",
        DocumentCheck::SubjectWithoutConclusion,
        &["0", "kind"],
    ),
    (
        "conclusion-not-first",
        DocumentCheck::ConclusionNotFirst,
        &["0", "kind"],
    ),
    (
        "too-many-paragraphs",
        DocumentCheck::TooManyParagraphs,
        &["0", "kind", "count", "max"],
    ),
];

impl DocumentCheck {
    pub fn parse(name: &str) -> Option<(DocumentCheck, &'static [&'static str])> {
        DOCUMENT_CHECKS
            .iter()
            .find(|(known, _, _)| *known == name)
            .map(|(_, check, captures)| (*check, *captures))
    }
}

/// What the checks look at.
pub struct DocumentView<'a> {
    pub masked: &'a str,
    pub subject: Option<Range<usize>>,
    pub report: &'a DocumentReport,
    pub kind: &'a KindDef,
    /// Templates and help of each element, by id.
    pub element_defs: &'a [super::ElementDef],
    /// Sentence findings already made, so a document check does not repeat them.
    pub sentence_findings: &'a [Diagnostic],
}

impl DocumentView<'_> {
    fn element(&self, id: &str) -> Option<&ElementPresence> {
        self.report.elements.iter().find(|e| e.id == id)
    }

    fn first_sentence(&self) -> Option<Range<usize>> {
        split_paragraphs(self.masked, 0..self.masked.len())
            .into_iter()
            .flat_map(|p| split_sentences(self.masked, p))
            .map(|s| s.range)
            .next()
    }
}

/// A finding of `rule` at `span` with `captures` for its templates.
fn finding(
    rule: &Rule,
    view: &DocumentView,
    span: Range<usize>,
    captures: &[(&str, String)],
) -> Diagnostic {
    let lookup = |name: &str| -> Option<&str> {
        match name {
            "0" => Some(&view.masked[span.clone()]),
            "kind" => Some(&view.kind.name),
            _ => captures
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str()),
        }
    };
    rule.diagnostic(span.clone(), lookup)
}

pub fn run_checks(rule: &Rule, check: DocumentCheck, view: &DocumentView) -> Vec<Diagnostic> {
    match check {
        DocumentCheck::MissingElement => missing_elements(rule, view),
        DocumentCheck::ElementOrder => element_order(rule, view),
        DocumentCheck::WeakPrevention => weak_prevention(rule, view),
        DocumentCheck::UndatedAction => undated_actions(rule, view),
        DocumentCheck::SubjectWithoutConclusion => subject_without_conclusion(rule, view),
        DocumentCheck::ConclusionNotFirst => conclusion_not_first(rule, view),
        DocumentCheck::TooManyParagraphs => too_many_paragraphs(rule, view),
    }
}

/// A missing element is reported after the last evidence of the nearest required element
/// before it (where it should go), or at the first sentence when none precedes it.
fn missing_elements(rule: &Rule, view: &DocumentView) -> Vec<Diagnostic> {
    let required = &view.kind.required;
    let mut out = Vec::new();
    for (position, id) in required.iter().enumerate() {
        let Some(presence) = view.element(id) else {
            continue;
        };
        // A part attempted without its mechanism is weak-prevention's finding, not a gap.
        if presence.is_present() || !presence.attempts.is_empty() {
            continue;
        }
        let anchor = required[..position]
            .iter()
            .rev()
            .filter_map(|before| view.element(before))
            .find_map(|e| e.evidence.last().cloned())
            .or_else(|| view.first_sentence());
        let Some(anchor) = anchor else { continue };
        let def = view.element_defs.iter().find(|d| d.id == *id);
        let captures = [
            ("element", presence.name.clone()),
            ("help", def.map(|d| d.help.clone()).unwrap_or_default()),
            (
                "template",
                def.map(|d| d.template.clone()).unwrap_or_default(),
            ),
        ];
        out.push(finding(rule, view, anchor, &captures));
    }
    out
}

/// Reports the first element that appears before one that should precede it.
fn element_order(rule: &Rule, view: &DocumentView) -> Vec<Diagnostic> {
    if !view.kind.ordered {
        return Vec::new();
    }
    let mut latest: Option<(&ElementPresence, usize)> = None;
    for id in &view.kind.required {
        let Some(presence) = view.element(id) else {
            continue;
        };
        let Some(first) = presence.evidence.first() else {
            continue;
        };
        if let Some((earlier, at)) = latest
            && first.start < at
        {
            let captures = [
                ("element", presence.name.clone()),
                ("other", earlier.name.clone()),
            ];
            return vec![finding(rule, view, first.clone(), &captures)];
        }
        if latest.is_none_or(|(_, at)| first.start >= at) {
            latest = Some((presence, first.start));
        }
    }
    Vec::new()
}

/// A prevention measure none of whose sentences names a mechanism from the three layers:
/// the element has attempts (`needs = "mechanism"` unmet) and no evidence.
fn weak_prevention(rule: &Rule, view: &DocumentView) -> Vec<Diagnostic> {
    if !view
        .kind
        .required
        .iter()
        .any(|id| id == "permanent-measure")
    {
        return Vec::new();
    }
    let Some(measure) = view.element("permanent-measure") else {
        return Vec::new();
    };
    if measure.is_present() {
        return Vec::new();
    }
    match measure.attempts.first() {
        Some(first) => vec![finding(rule, view, first.clone(), &[])],
        None => Vec::new(),
    }
}

/// A sentence promising a future action (…ます。) with no deadline.
fn is_future_promise(sentence: &str) -> bool {
    // 「以下の2点を実施いたします」 introduces dated items; it is not itself the promise.
    if ["以下", "下記", "次の"]
        .iter()
        .any(|intro| sentence.contains(intro))
    {
        return false;
    }
    let body = sentence.trim_end_matches(['。', '．', '！', ' ', '\u{3000}']);
    let future = ["ます", "予定です", "所存です"]
        .iter()
        .any(|e| body.ends_with(e));
    let not_promise = [
        "ました",
        "ません",
        "ております",
        "ています",
        "でございます",
        "あります",
        "います",
    ]
    .iter()
    .any(|e| body.ends_with(e));
    future && !not_promise
}

fn undated_actions(rule: &Rule, view: &DocumentView) -> Vec<Diagnostic> {
    if !view.kind.dated_actions {
        return Vec::new();
    }
    // Sentence findings are sorted by start: only those starting inside the span are looked
    // at (a scan of all of them per span was quadratic in a long document).
    let findings = view.sentence_findings;
    let already = |span: &Range<usize>| {
        let first = findings.partition_point(|d| d.span.start < span.start);
        findings[first..]
            .iter()
            .take_while(|d| d.span.start < span.end)
            .inspect(|_| crate::work::count(crate::work::Work::DocumentCheckSteps, 1))
            .any(|d| {
                matches!(
                    d.category.as_str(),
                    "promise-without-deadline" | "attention-only-prevention"
                ) && d.span.end <= span.end
            })
    };
    let mut spans: Vec<Range<usize>> = ["interim-measure", "permanent-measure"]
        .iter()
        .filter_map(|id| view.element(id))
        .flat_map(|e| e.evidence.iter().cloned())
        .filter(|s| is_future_promise(&view.masked[s.clone()]) && !already(s))
        .filter(|s| !has_deadline(view.masked, &tokenize(&view.masked[s.clone()], s.start)))
        .collect();
    spans.sort_by_key(|s| s.start);
    spans.dedup();
    spans
        .into_iter()
        .map(|s| finding(rule, view, s, &[]))
        .collect()
}

fn subject_without_conclusion(rule: &Rule, view: &DocumentView) -> Vec<Diagnostic> {
    if view.kind.subject_needs.is_empty() {
        return Vec::new();
    }
    let Some(subject) = view.subject.clone().or_else(|| view.first_sentence()) else {
        return Vec::new();
    };
    let text = &view.masked[subject.clone()];
    if view.subject.is_some() && view.kind.subject_needs.iter().all(|re| re.is_match(text)) {
        return Vec::new();
    }
    vec![finding(rule, view, subject, &[])]
}

/// Lines that open or close a message without content: addressees, greetings, names.
fn is_formality(sentence: &str) -> bool {
    let s = sentence.trim();
    let greeting = [
        "お疲れ様",
        "お疲れさま",
        "おつかれさま",
        "お世話になって",
        "お世話様",
        "いつも",
        "各位",
        "御中",
        "よろしくお願い",
        "以上",
    ]
    .iter()
    .any(|g| s.contains(g));
    let addressee = s.ends_with('様') || s.ends_with("殿") || s.ends_with("さん");
    // 「株式会社〇〇の高橋です。」: the writer introducing themselves.
    let introduction =
        s.ends_with("です。") && s.contains('の') && s.chars().count() <= 40 && !s.contains('、');
    let label_only = s.starts_with("件名") || s.starts_with("Subject");
    greeting
        || addressee
        || introduction
        || label_only
        || (!s.contains('。') && s.chars().count() <= 25 && !s.contains(['：', ':']))
}

fn conclusion_not_first(rule: &Rule, view: &DocumentView) -> Vec<Diagnostic> {
    if !view.kind.conclusion_first {
        return Vec::new();
    }
    let first_content = split_paragraphs(view.masked, 0..view.masked.len())
        .into_iter()
        .flat_map(|p| split_sentences(view.masked, p))
        .map(|s| s.range)
        .find(|r| {
            !is_formality(&view.masked[r.clone()])
                && view
                    .subject
                    .as_ref()
                    .is_none_or(|sub| !(sub.start >= r.start && sub.end <= r.end))
        });
    let Some(first) = first_content else {
        return Vec::new();
    };
    let is_conclusion = view.element("conclusion").is_some_and(|c| {
        c.evidence
            .iter()
            .any(|e| e.start < first.end && first.start < e.end)
    });
    if is_conclusion {
        return Vec::new();
    }
    vec![finding(rule, view, first, &[])]
}

fn too_many_paragraphs(rule: &Rule, view: &DocumentView) -> Vec<Diagnostic> {
    let Some(max) = view.kind.max_paragraphs else {
        return Vec::new();
    };
    let body: Vec<Range<usize>> = split_paragraphs(view.masked, 0..view.masked.len())
        .into_iter()
        .filter(|p| {
            split_sentences(view.masked, p.clone())
                .iter()
                .any(|s| !is_formality(&view.masked[s.range.clone()]))
        })
        .collect();
    if body.len() <= max {
        return Vec::new();
    }
    let Some(first_extra) = split_sentences(view.masked, body[max].clone())
        .into_iter()
        .next()
    else {
        return Vec::new();
    };
    let captures = [("count", body.len().to_string()), ("max", max.to_string())];
    vec![finding(rule, view, first_extra.range, &captures)]
}
