//! Documents, not just sentences: which kind a document is (お詫び状, 障害報告, お知らせ,
//! 短い報告), which of its parts are present (謝罪, 事実, 影響, 原因, 暫定対策, 恒久対策,
//! 次回報告, 依頼, 問い合わせ先), and the whole-document checks over them. Elements and
//! kinds are data (`[[element]]` and `[[kind]]` in rule files); the checks are rules with
//! `document = "…"`.

mod checks;
mod elements;
mod kind;

use std::ops::Range;

use regex::Regex;

pub use checks::{DOCUMENT_CHECKS, DocumentCheck, DocumentView, run_checks};
pub use elements::detect_elements;
pub use kind::{KindSource, detect_kind};

/// What a cue needs besides its own match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// A date or time anywhere in the sentence (facts: when it happened).
    Time,
    /// A concrete deadline (the next report: by when).
    Deadline,
}

/// A compiled `[[element]]`.
#[derive(Debug, Clone)]
pub struct ElementDef {
    pub id: String,
    pub name: String,
    /// Matches a heading or label line naming the element.
    pub heading: Option<Regex>,
    pub cues: Vec<Regex>,
    pub needs: Needs,
    pub label: String,
    pub help: String,
    pub template: String,
}

/// A compiled `[[kind]]`.
#[derive(Debug, Clone)]
pub struct KindDef {
    pub id: String,
    pub name: String,
    pub title: Vec<Regex>,
    pub cues: Vec<Regex>,
    pub required: Vec<String>,
    pub ordered: bool,
    pub dated_actions: bool,
    /// Regexes the 件名 must all match (purpose and conclusion); empty: no check.
    pub subject_needs: Vec<Regex>,
    pub conclusion_first: bool,
    pub max_paragraphs: Option<usize>,
    pub template_title: String,
    pub labels: bool,
}

/// One element's state in a document: where it is evidenced, if anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementPresence {
    pub id: String,
    pub name: String,
    /// Byte spans of the sentences (or label contents) that evidence it, in order.
    pub evidence: Vec<Range<usize>>,
}

impl ElementPresence {
    pub fn is_present(&self) -> bool {
        !self.evidence.is_empty()
    }
}

/// What is known about a document as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentReport {
    pub kind: String,
    pub kind_name: String,
    /// 0–1: how clearly the text shows its kind (1 when the kind was given).
    pub confidence: f64,
    pub source: KindSource,
    /// Every defined element, present or not; the kind's required ones first, in order.
    pub elements: Vec<ElementPresence>,
    /// The ids the kind requires.
    pub required: Vec<String>,
}

/// Works out the kind and the elements of a parsed document; `None` when the rule set
/// defines no kinds, or the text is a plain note of no known kind.
pub fn analyze(
    rules: &crate::rules::RuleSet,
    document: &crate::markup::Document,
    given_kind: Option<&str>,
) -> Option<DocumentReport> {
    let kinds = rules.kinds();
    let stated = document
        .directives
        .iter()
        .find(|d| d.kind == crate::markup::DirectiveKind::Kind)
        .and_then(|d| d.names.first());
    let (kind, confidence, source) = match (given_kind, stated) {
        (Some(id), _) => (rules.kind(id)?, 1.0, KindSource::Configured),
        (None, Some(id)) => (rules.kind(id)?, 1.0, KindSource::Comment),
        (None, None) => {
            let title = title_of(document);
            let (kind, confidence) = detect_kind(kinds, &title, &document.masked)?;
            (kind, confidence, KindSource::Detected)
        }
    };
    let mut elements = detect_elements(&document.masked, rules.elements());
    // The kind's required elements first, in its order; the rest after.
    elements.sort_by_key(|e| {
        kind.required
            .iter()
            .position(|r| *r == e.id)
            .unwrap_or(usize::MAX)
    });
    Some(DocumentReport {
        kind: kind.id.clone(),
        kind_name: kind.name.clone(),
        confidence,
        source,
        elements,
        required: kind.required.clone(),
    })
}

/// Lines near the top that can be a title: at most this many non-blank lines are looked at.
const TITLE_LINES: usize = 6;

/// The 件名, or else the lines near the top that read as titles (no 。 at their end), where
/// a title sits below the addressee in a letter.
fn title_of(document: &crate::markup::Document) -> String {
    if let Some(subject) = &document.subject {
        return document.masked[subject.clone()].to_owned();
    }
    document
        .masked
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(TITLE_LINES)
        .filter(|line| !line.ends_with('。'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The template `kintsugi-lint new KIND` prints: the kind's title line, then each required
/// element's model sentence in order (after its label, for labelled kinds). Built from the
/// same definitions the checks use, so a template cannot miss what the checks require.
pub fn template_for(rules: &crate::rules::RuleSet, kind_id: &str) -> Option<String> {
    let kind = rules.kind(kind_id)?;
    let mut out = format!("{}\n\n", kind.template_title);
    for id in &kind.required {
        let element = rules.elements().iter().find(|e| e.id == *id)?;
        if kind.labels {
            out.push_str(&format!("{}: {}\n", element.label, element.template));
        } else {
            out.push_str(&format!("{}\n", element.template));
        }
    }
    Some(out)
}
