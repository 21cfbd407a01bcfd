//! The TOML rule-file format, as written by rule authors (documented in `rules/README.md`).
//!
//! Every struct denies unknown fields so that a typo is an error with a line number rather
//! than a rule that silently never matches. Fields whose value is checked after parsing are
//! `Spanned`, so that those errors can point at the right line too.

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Applicability, Severity};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default, rename = "rule")]
    pub rules: Vec<Spanned<RuleDef>>,
    /// Parts of a document (謝罪, 事実, 原因, …) and how to recognise them.
    #[serde(default, rename = "element")]
    pub elements: Vec<Spanned<ElementDef>>,
    /// Kinds of document (お詫び状, 障害報告, …): how to recognise them, what they need.
    #[serde(default, rename = "kind")]
    pub kinds: Vec<Spanned<KindDef>>,
}

/// A part of a document, recognised in prose or under a heading.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementDef {
    pub id: Spanned<String>,
    /// Japanese name shown in messages and the checklist.
    pub name: String,
    /// Heading or label words (`原因` matches 「■原因」「【原因】」「原因：…」).
    #[serde(default)]
    pub headings: Vec<String>,
    /// Regexes over a sentence that show the element in running prose.
    #[serde(default)]
    pub cues: Vec<Spanned<String>>,
    /// A cue only counts in a sentence that also has a time expression (`time`) or a
    /// concrete deadline (`deadline`).
    pub needs: Option<Spanned<String>>,
    /// The label that introduces the element in labelled documents (短い報告の「対応:」);
    /// default: the first heading, or the name.
    pub label: Option<String>,
    /// What to write when the element is missing.
    pub help: String,
    /// A model sentence with {slots}, used in suggestions and by `kintsugi-lint new`.
    pub template: String,
}

/// A kind of document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    pub id: Spanned<String>,
    pub name: String,
    /// Regexes over the 件名 / title line; each match weighs 3.
    #[serde(default)]
    pub title: Vec<Spanned<String>>,
    /// Regexes over the whole text; each that matches weighs 1.
    #[serde(default)]
    pub cues: Vec<Spanned<String>>,
    /// Regexes over the whole text that are as telling as a title (お疲れさまです in an
    /// internal report); each that matches weighs 3.
    #[serde(default)]
    pub signals: Vec<Spanned<String>>,
    /// The elements the kind needs, in the order they should come.
    pub required: Spanned<Vec<String>>,
    /// A document no kind's title, cues or signals claim is this kind when it has every one
    /// of these elements (a page that says what happened and whom it affected is a notice).
    #[serde(default)]
    pub fallback_elements: Vec<String>,
    /// Report elements that come out of the order of `required`.
    #[serde(default)]
    pub ordered: bool,
    /// Every promised measure must carry a date.
    #[serde(default)]
    pub dated_actions: bool,
    /// Regexes the 件名 must all match (its purpose and its conclusion); empty: no check.
    #[serde(default)]
    pub subject_needs: Vec<Spanned<String>>,
    /// The body must open with the conclusion.
    #[serde(default)]
    pub conclusion_first: bool,
    /// At most this many paragraphs in the body.
    pub max_paragraphs: Option<usize>,
    /// The heading of the template `kintsugi-lint new` prints (件名 or title line).
    pub template_title: String,
    /// Write each element after its label (「結論: …」) in the template.
    #[serde(default)]
    pub labels: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: Spanned<String>,
    pub category: Spanned<String>,
    pub severity: Severity,
    pub message: Spanned<String>,
    pub help: String,
    pub description: String,
    /// Token sequence to find (exactly one of `tokens` and `regex`).
    pub tokens: Option<Spanned<Vec<TokenSpec>>>,
    /// Regular expression over the sentence text.
    pub regex: Option<Spanned<String>>,
    /// A check the engine computes instead of a pattern (`unused-suppression`).
    pub check: Option<Spanned<String>>,
    /// A whole-document check (`missing-element`, `element-order`, `weak-prevention`,
    /// `undated-action`, `subject-without-conclusion`, `conclusion-not-first`,
    /// `too-many-paragraphs`), run against the document's detected kind.
    pub document: Option<Spanned<String>>,
    /// Built-in conditions that, when true for the sentence, cancel a match.
    #[serde(default)]
    pub unless: Vec<Spanned<String>>,
    /// Built-in conditions that must all hold for a match to count.
    #[serde(default)]
    pub when: Vec<Spanned<String>>,
    /// A regex over the sentence that cancels a match when it matches.
    pub unless_regex: Option<Spanned<String>>,
    /// A token sequence anywhere in the sentence that cancels a match.
    pub unless_tokens: Option<Spanned<Vec<TokenSpec>>>,
    /// Whether text quoted in 「」『』 is linted (default: no, it is someone else's words).
    #[serde(default)]
    pub quoted: bool,
    /// Report only the Nth and later matches within a paragraph (e.g. 3 for stacked
    /// させていただく); default 1, every match.
    pub from_occurrence: Option<Spanned<usize>>,
    #[serde(default, rename = "suggestion")]
    pub suggestions: Vec<Spanned<SuggestionDef>>,
    #[serde(default, rename = "example")]
    pub examples: Vec<Spanned<ExampleDef>>,
}

/// One element of a token pattern. Every given field must match the token.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSpec {
    pub surface: Option<Spanned<ValueSpec>>,
    pub base: Option<Spanned<ValueSpec>>,
    /// Part of speech, levels joined by commas: `名詞`, `名詞,サ変接続`.
    pub pos: Option<Spanned<ValueSpec>>,
    pub conj_type: Option<Spanned<ValueSpec>>,
    pub conj_form: Option<Spanned<ValueSpec>>,
    pub reading: Option<Spanned<ValueSpec>>,
    /// Matches a token that does NOT satisfy the fields above.
    #[serde(default)]
    pub negate: bool,
    /// The element may be absent.
    #[serde(default)]
    pub optional: bool,
    /// Up to this many other tokens may stand between this element and the next.
    #[serde(default)]
    pub skip: usize,
    /// Name under which the matched token's text is available as `${name}`.
    pub capture: Option<Spanned<String>>,
    /// `false` makes this a context element: it must match but is not flagged.
    #[serde(default = "marked_by_default")]
    pub mark: bool,
}

fn marked_by_default() -> bool {
    true
}

/// A field value: one string or a list of alternatives. A string written `/…/` is a regex.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ValueSpec {
    One(String),
    AnyOf(Vec<String>),
}

impl ValueSpec {
    pub fn values(&self) -> &[String] {
        match self {
            ValueSpec::One(value) => std::slice::from_ref(value),
            ValueSpec::AnyOf(values) => values,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestionDef {
    /// Replacement for the flagged span; `$0`, `$1`, `${name}` insert captures; `{期限}`
    /// leaves a slot for the writer.
    pub replace: String,
    pub applicability: Applicability,
}

/// Either a `bad` example (with `flag` and, when the rule suggests something, `fixed`)
/// or a `good` one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleDef {
    pub bad: Option<String>,
    pub flag: Option<String>,
    pub fixed: Option<String>,
    pub good: Option<String>,
}
