//! Documents, not just sentences: which kind a document is (お詫び状, 障害報告, お知らせ,
//! 短い報告), which of its parts are present (謝罪, 事実, 影響, 原因, 暫定対策, 恒久対策,
//! 次回報告, 依頼, 問い合わせ先), and the whole-document checks over them. Elements and
//! kinds are data (`[[element]]` and `[[kind]]` in rule files); the checks are rules with
//! `document = "…"`.

mod checks;
mod elements;
mod filters;
mod kind;

use std::ops::Range;

use crate::rules::LazyRegex;

pub use checks::{DOCUMENT_CHECKS, DocumentCheck, DocumentView, run_checks};
pub use elements::detect_elements;
pub use filters::DocumentFilters;
pub use kind::{KindSource, detect_kind};

/// What a cue needs besides its own match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// A date or time anywhere in the sentence (facts: when it happened).
    Time,
    /// A concrete deadline (the next report: by when).
    Deadline,
    /// A prevention mechanism (the `mechanism` condition): without one, the sentence is an
    /// attempt at the part (再発防止に努めます), not the part.
    Mechanism,
}

/// A compiled `[[element]]`.
#[derive(Debug, Clone)]
pub struct ElementDef {
    pub id: String,
    pub name: String,
    /// Matches a heading or label line naming the element.
    pub heading: Option<LazyRegex>,
    /// The names `heading` matches: a heading line contains one of them.
    pub heading_words: Vec<String>,
    pub cues: Vec<LazyRegex>,
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
    pub title: Vec<LazyRegex>,
    pub cues: Vec<LazyRegex>,
    pub signals: Vec<LazyRegex>,
    pub required: Vec<String>,
    /// Elements that, all present, make a document no kind claims this kind.
    pub fallback_elements: Vec<String>,
    pub ordered: bool,
    pub dated_actions: bool,
    /// Regexes the 件名 must all match (purpose and conclusion); empty: no check.
    pub subject_needs: Vec<LazyRegex>,
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
    /// Spans that aim at the part but lack what its `needs = "mechanism"` asks (an effort
    /// pledge where a prevention measure should be); empty for other elements.
    pub attempts: Vec<Range<usize>>,
}

impl ElementPresence {
    pub fn is_present(&self) -> bool {
        !self.evidence.is_empty()
    }
}

/// The kind a document was found to be.
#[derive(Debug, Clone, PartialEq)]
pub struct KindReport {
    pub id: String,
    pub name: String,
    /// 0–1: how clearly the text shows its kind (1 when the kind was given).
    pub confidence: f64,
    pub source: KindSource,
}

/// What is known about a document as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentReport {
    /// `None` for a plain note: its elements are reported, but nothing is required of it.
    pub kind: Option<KindReport>,
    /// Every defined element, present or not; the kind's required ones first, in order.
    pub elements: Vec<ElementPresence>,
    /// The ids the kind requires (empty for a plain note).
    pub required: Vec<String>,
}

/// Works out the kind and the elements of a parsed document; `None` when the rule set
/// defines no elements, or for a message of a line or two of no given kind.
pub fn analyze(
    rules: &crate::rules::RuleSet,
    document: &crate::markup::Document,
    given_kind: Option<&str>,
) -> Option<DocumentReport> {
    analyze_scanned(rules, document, given_kind, None)
}

/// [`analyze`], reusing the engine's cue flags for the sentences of `document.masked`.
pub fn analyze_scanned(
    rules: &crate::rules::RuleSet,
    document: &crate::markup::Document,
    given_kind: Option<&str>,
    scan: Option<&crate::engine::CueScan>,
) -> Option<DocumentReport> {
    if rules.elements().is_empty() {
        return None;
    }
    let titles = title_ranges(document);
    let stated = document
        .directives
        .iter()
        .find(|d| d.kind == crate::markup::DirectiveKind::Kind)
        .and_then(|d| d.names.first());
    // A line or two is a message, not a document: nothing to analyse unless a kind is given.
    // A long paragraph on one line (a notice copied from a web page) counts its sentences.
    if given_kind.is_none() && stated.is_none() && kind::parts(&document.masked) < kind::MIN_PARTS {
        return None;
    }
    let elements = detect_elements(
        &document.masked,
        rules.elements(),
        rules.document_filters(),
        &titles,
        scan,
    );
    let found = match (given_kind, stated) {
        (Some(id), _) => rules.kind(id).map(|k| (k, 1.0, KindSource::Configured)),
        (None, Some(id)) => rules.kind(id).map(|k| (k, 1.0, KindSource::Comment)),
        (None, None) => {
            let title: Vec<&str> = titles.iter().map(|r| &document.masked[r.clone()]).collect();
            let filters = rules.document_filters();
            detect_kind(
                rules.kinds(),
                filters,
                &title.join("\n"),
                &document.masked,
                &elements,
            )
            .map(|(k, confidence)| (k, confidence, KindSource::Detected))
        }
    };
    let mut elements = elements;
    let required = found
        .map(|(k, _, _)| k.required.clone())
        .unwrap_or_default();
    // The kind's required elements first, in its order; the rest after.
    elements.sort_by_key(|e| {
        required
            .iter()
            .position(|r| *r == e.id)
            .unwrap_or(usize::MAX)
    });
    Some(DocumentReport {
        kind: found.map(|(kind, confidence, source)| KindReport {
            id: kind.id.clone(),
            name: kind.name.clone(),
            confidence,
            source,
        }),
        elements,
        required,
    })
}

/// Lines near the top that can be a title: at most this many non-blank lines are looked at.
const TITLE_LINES: usize = 6;

/// The longest line that can read as a title, in characters.
const TITLE_CHARS: usize = 100;

/// The 件名, or else the lines near the top that read as titles (short, no 。 in them), where
/// a title sits below the addressee in a letter; as byte ranges of the masked text. A long
/// line with sentences in it is body text pasted on one line (a web page's copy), not a title.
fn title_ranges(document: &crate::markup::Document) -> Vec<Range<usize>> {
    if let Some(subject) = &document.subject {
        return vec![subject.clone()];
    }
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut seen = 0;
    for line in document.masked.split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            seen += 1;
            if !trimmed.contains('。') && trimmed.chars().count() <= TITLE_CHARS {
                ranges.push(start..start + line.trim_end().len());
            }
        }
        start += line.len();
        if seen == TITLE_LINES {
            break;
        }
    }
    ranges
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
