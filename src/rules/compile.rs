//! Turning a parsed rule file into compiled rules, rejecting anything that could not work:
//! unknown fields, invalid regexes, values IPADIC never produces, patterns that can never
//! match, undefined captures, and rules without examples.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use toml::Spanned;

use super::lazy_regex::{self, LazyRegex};
use super::model::{
    ElementDef as ElementSpec, ExampleDef, KindDef as KindSpec, RuleDef, RuleFile, TokenSpec,
    ValueSpec,
};
use super::{Example, LocatedError, Pattern, Rule, SuggestionTemplate, Unless, template};
use crate::document::{DocumentCheck, ElementDef, KindDef, Needs};
use crate::engine::conditions::{NAMED_CONDITIONS, NamedCondition};
use crate::engine::token_pattern::{Constraint, Element, Field, TokenPattern, ValueMatcher};
use crate::source::LineIndex;
use crate::tokenize::tokenize;

/// The compiled-size limit (`lazy_regex::REGEX_SIZE_LIMIT`) does not cover every regex: an
/// alternation of plain literals is matched with Aho-Corasick and never builds the automaton
/// the limit is checked against, so a rule file could hold megabytes of `a|b|c|…`. Bound the
/// pattern's own length too (the longest built-in regex is under 1 KiB).
const REGEX_PATTERN_LIMIT: usize = 32 * 1024;

static KNOWN_POS: &str = include_str!(concat!(env!("OUT_DIR"), "/ipadic_pos.txt"));
static KNOWN_CONJ_TYPES: &str = include_str!(concat!(env!("OUT_DIR"), "/ipadic_conj_types.txt"));
static KNOWN_CONJ_FORMS: &str = include_str!(concat!(env!("OUT_DIR"), "/ipadic_conj_forms.txt"));

static KEBAB_CASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^[a-z0-9]+(-[a-z0-9]+)*$").expect("valid regex"));

type Result<T> = std::result::Result<T, Box<LocatedError>>;

/// Location context for errors in one file.
struct Source<'a> {
    path: &'a str,
    content: &'a str,
    lines: LineIndex,
    /// A built-in file: the checks that only catch authoring mistakes (and cost start-up
    /// time: compiling regexes, tokenizing surfaces) are left to the test suite, which runs
    /// every built-in file through `parse_rule_file`.
    builtin: bool,
}

impl Source<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> Box<LocatedError> {
        Box::new(LocatedError::new(self.path, self.content, span, message))
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.position(self.content, offset).line
    }

    /// Compiled now for users' files (a bad regex is an error where it is written); when
    /// first used for built-in files.
    fn regex(&self, pattern: &str, span: Range<usize>) -> Result<LazyRegex> {
        if self.builtin {
            return Ok(LazyRegex::deferred(pattern));
        }
        self.eager_regex(pattern, span).map(LazyRegex::from)
    }

    /// Compiled now, with the length limit.
    fn eager_regex(&self, pattern: &str, span: Range<usize>) -> Result<Regex> {
        if pattern.len() > REGEX_PATTERN_LIMIT {
            let message = format!(
                "正規表現が長すぎます（{} バイト、上限 {REGEX_PATTERN_LIMIT} バイト）",
                pattern.len()
            );
            return Err(self.error(span, message));
        }
        lazy_regex::build(pattern)
            .map_err(|err| self.error(span, format!("正規表現が不正です: {err}")))
    }
}

/// A compiled rule file. Each item comes with the span of its id, for errors that need
/// the whole rule set (duplicate ids across files).
#[derive(Debug)]
pub struct ParsedFile {
    pub rules: Vec<(Rule, Range<usize>)>,
    pub elements: Vec<(ElementDef, Range<usize>)>,
    pub kinds: Vec<(KindDef, Range<usize>)>,
}

/// Parses and compiles a rule file, checking everything.
pub fn parse_rule_file(path: &str, content: &str) -> Result<ParsedFile> {
    parse(path, content, false)
}

/// Parses a built-in rule file (embedded at build time): as `parse_rule_file`, but regexes
/// are compiled when first used and the checks for authoring mistakes are skipped. The test
/// suite runs every built-in file through `parse_rule_file`.
pub fn parse_builtin_rule_file(path: &str, content: &str) -> Result<ParsedFile> {
    parse(path, content, true)
}

fn parse(path: &str, content: &str, builtin: bool) -> Result<ParsedFile> {
    let source = Source {
        path,
        content,
        lines: LineIndex::new(content),
        builtin,
    };
    let file: RuleFile = toml::from_str(content).map_err(|err| {
        Box::new(LocatedError::from_toml(
            path,
            content,
            &err,
            "ルールファイルを解析できません",
        ))
    })?;
    if file.rules.is_empty() && file.elements.is_empty() && file.kinds.is_empty() {
        return Err(source.error(
            0..0,
            "ルールが 1 つもありません（[[rule]] を書いてください）",
        ));
    }
    let elements = file
        .elements
        .iter()
        .map(|e| {
            Ok((
                compile_element_def(&source, e.get_ref())?,
                e.get_ref().id.span(),
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let kinds = file
        .kinds
        .iter()
        .map(|k| {
            Ok((
                compile_kind_def(&source, k.get_ref())?,
                k.get_ref().id.span(),
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut seen = HashSet::new();
    let mut rules = Vec::new();
    for spanned in file.rules {
        let line = source.line_of(spanned.span().start);
        let def = spanned.into_inner();
        let id_span = def.id.span();
        if !seen.insert(def.id.get_ref().clone()) {
            let message = format!("ルール ID「{}」が重複しています", def.id.get_ref());
            return Err(source.error(id_span, message));
        }
        let rule = compile_rule(&source, def, line)?;
        rules.push((rule, id_span));
    }
    Ok(ParsedFile {
        rules,
        elements,
        kinds,
    })
}

fn compile_regexes(source: &Source, patterns: &[Spanned<String>]) -> Result<Vec<LazyRegex>> {
    patterns
        .iter()
        .map(|p| source.regex(p.get_ref(), p.span()))
        .collect()
}

/// A heading or label line naming one of `words`: 「■原因」「【原因】」「## 原因」「1. 原因」
/// 「原因：〜」 (the text after the colon is captured as `content`).
/// Whether `c` may stand before an element's name on a heading line: exactly what the
/// start of `heading_regex`'s pattern allows (spaces, `#`, bullets, numbering, opening
/// brackets). The name of any heading line therefore starts right after a run of these.
pub fn is_heading_decoration(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || "#■□●○◆◇▼▽▶・-*＊.．)）、（(【[［〔".contains(c)
}

fn heading_regex(
    source: &Source,
    words: &[String],
    span: Range<usize>,
) -> Result<Option<LazyRegex>> {
    if words.is_empty() {
        return Ok(None);
    }
    let alternatives: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    let pattern = format!(
        r"^[\s\x{{3000}}]*(?:#{{1,6}}[ \t]*|[■□●○◆◇▼▽▶・\-\*＊][ \t\x{{3000}}]*|[0-9０-９]+[.．)）、][ \t\x{{3000}}]*|[（(][0-9０-９]+[)）][ \t\x{{3000}}]*)?[【\[［〔]?[ \t\x{{3000}}]*(?:{})(?:について|の(?:詳細|内容|概要))?[ \t\x{{3000}}]*[】\]］〕]?[ \t\x{{3000}}]*(?:[:：][ \t\x{{3000}}]*(?P<content>.*))?$",
        alternatives.join("|")
    );
    source.regex(&pattern, span).map(Some)
}

fn compile_element_def(source: &Source, def: &ElementSpec) -> Result<ElementDef> {
    check_kebab(source, &def.id, "要素 ID")?;
    let needs = match def.needs.as_ref().map(|n| n.get_ref().as_str()) {
        None => Needs::Nothing,
        Some("time") => Needs::Time,
        Some("deadline") => Needs::Deadline,
        Some("mechanism") => Needs::Mechanism,
        Some(other) => {
            let span = def.needs.as_ref().map_or(0..0, |n| n.span());
            return Err(source.error(
                span,
                format!("needs「{other}」は time・deadline・mechanism のいずれかです"),
            ));
        }
    };
    if def.headings.is_empty() && def.cues.is_empty() {
        return Err(source.error(
            def.id.span(),
            "headings か cues が必要です（どちらもないと要素を検出できません）",
        ));
    }
    Ok(ElementDef {
        id: def.id.get_ref().clone(),
        name: def.name.clone(),
        heading: heading_regex(source, &def.headings, def.id.span())?,
        heading_words: def.headings.clone(),
        cues: compile_regexes(source, &def.cues)?,
        needs,
        label: def
            .label
            .clone()
            .or_else(|| def.headings.first().cloned())
            .unwrap_or_else(|| def.name.clone()),
        help: def.help.clone(),
        template: def.template.clone(),
    })
}

fn compile_kind_def(source: &Source, def: &KindSpec) -> Result<KindDef> {
    check_kebab(source, &def.id, "文書の種類 ID")?;
    if def.required.get_ref().is_empty() {
        return Err(source.error(def.required.span(), "required が空です"));
    }
    Ok(KindDef {
        id: def.id.get_ref().clone(),
        name: def.name.clone(),
        title: compile_regexes(source, &def.title)?,
        cues: compile_regexes(source, &def.cues)?,
        signals: compile_regexes(source, &def.signals)?,
        required: def.required.get_ref().clone(),
        fallback_elements: def.fallback_elements.clone(),
        ordered: def.ordered,
        dated_actions: def.dated_actions,
        subject_needs: compile_regexes(source, &def.subject_needs)?,
        conclusion_first: def.conclusion_first,
        max_paragraphs: def.max_paragraphs,
        template_title: def.template_title.clone(),
        labels: def.labels,
    })
}

fn compile_rule(source: &Source, def: RuleDef, line: usize) -> Result<Rule> {
    if !source.builtin {
        check_kebab(source, &def.id, "ルール ID")?;
        check_kebab(source, &def.category, "カテゴリ")?;
    }
    let (pattern, captures) = compile_pattern(source, &def)?;
    if !source.builtin {
        check_references(source, &def, &captures)?;
    }
    let unless = compile_unless(source, &def)?;
    let examples = compile_examples(source, &def)?;
    let from_occurrence = match &def.from_occurrence {
        Some(n) if *n.get_ref() == 0 => {
            return Err(source.error(n.span(), "from_occurrence は 1 以上にしてください"));
        }
        Some(n) => *n.get_ref(),
        None => 1,
    };
    Ok(Rule {
        id: def.id.into_inner(),
        category: def.category.into_inner(),
        severity: def.severity,
        message: def.message.into_inner(),
        help: def.help,
        description: def.description,
        pattern,
        unless,
        lint_quoted: def.quoted,
        from_occurrence,
        suggestions: def
            .suggestions
            .into_iter()
            .map(|s| {
                let s = s.into_inner();
                SuggestionTemplate {
                    replace: s.replace,
                    applicability: s.applicability,
                }
            })
            .collect(),
        examples,
        path: source.path.to_owned(),
        line,
    })
}

fn check_kebab(source: &Source, value: &Spanned<String>, what: &str) -> Result<()> {
    if KEBAB_CASE.is_match(value.get_ref()) {
        return Ok(());
    }
    let mut error = source.error(
        value.span(),
        format!("{what}「{}」は kebab-case ではありません", value.get_ref()),
    );
    error.help = Some("小文字英数字とハイフンで書きます（例: promise-without-deadline）".into());
    Err(error)
}

/// Compiles `tokens`, `regex` or `check` (exactly one) and returns the capture names.
fn compile_pattern(source: &Source, def: &RuleDef) -> Result<(Pattern, Vec<String>)> {
    if let Some(document) = &def.document {
        if def.tokens.is_some() || def.regex.is_some() || def.check.is_some() {
            return Err(source.error(
                document.span(),
                "document は tokens・regex・check と同時に書けません",
            ));
        }
        let (check, captures) = DocumentCheck::parse(document.get_ref()).ok_or_else(|| {
            let known: Vec<&str> = crate::document::DOCUMENT_CHECKS
                .iter()
                .map(|(n, _, _)| *n)
                .collect();
            source.error(
                document.span(),
                format!(
                    "文書チェック「{}」はありません（{}）",
                    document.get_ref(),
                    known.join(", ")
                ),
            )
        })?;
        return Ok((
            Pattern::Document(check),
            captures.iter().map(|c| c.to_string()).collect(),
        ));
    }
    match (&def.tokens, &def.regex, &def.check) {
        (Some(tokens), None, None) => {
            let pattern = compile_tokens(source, tokens)?;
            let mut names = vec!["0".to_owned()];
            names.extend(pattern.elements.iter().filter_map(|e| e.capture.clone()));
            Ok((Pattern::Tokens(pattern), names))
        }
        (None, Some(regex), None) => {
            let compiled = source.regex(regex.get_ref(), regex.span())?;
            if source.builtin {
                return Ok((Pattern::Regex(compiled), Vec::new()));
            }
            if compiled.is_match("") {
                return Err(source.error(
                    regex.span(),
                    "この正規表現は空文字列に一致し、あらゆる文で反応します",
                ));
            }
            let mut names: Vec<String> = (0..compiled.captures_len())
                .map(|i| i.to_string())
                .collect();
            names.extend(compiled.capture_names().flatten().map(str::to_owned));
            Ok((Pattern::Regex(compiled), names))
        }
        (None, None, Some(check)) => match check.get_ref().as_str() {
            "unused-suppression" => Ok((Pattern::UnusedSuppression, Vec::new())),
            other => Err(source.error(
                check.span(),
                format!("組み込みチェック「{other}」はありません（unused-suppression）"),
            )),
        },
        (None, None, None) => Err(source.error(
            def.id.span(),
            "tokens・regex・check のどれか 1 つが必要です",
        )),
        _ => Err(source.error(
            def.id.span(),
            "tokens・regex・check は 1 つだけ書いてください",
        )),
    }
}

fn compile_tokens(source: &Source, spec: &Spanned<Vec<TokenSpec>>) -> Result<TokenPattern> {
    let elements = spec
        .get_ref()
        .iter()
        .map(|element| compile_element(source, element))
        .collect::<Result<Vec<_>>>()?;
    if elements.iter().all(|e| e.optional || e.context) {
        return Err(source.error(
            spec.span(),
            "指摘対象の必須トークンが 1 つもないパターンは使えません",
        ));
    }
    Ok(TokenPattern { elements })
}

fn compile_element(source: &Source, spec: &TokenSpec) -> Result<Element> {
    let fields = [
        (Field::Surface, &spec.surface),
        (Field::Base, &spec.base),
        (Field::Pos, &spec.pos),
        (Field::ConjType, &spec.conj_type),
        (Field::ConjForm, &spec.conj_form),
        (Field::Reading, &spec.reading),
    ];
    let mut constraints = Vec::new();
    for (field, value) in fields {
        if let Some(value) = value {
            constraints.push(compile_value(source, field, value)?);
        }
    }
    Ok(Element {
        constraints,
        negate: spec.negate,
        optional: spec.optional,
        skip: spec.skip,
        capture: spec.capture.as_ref().map(|c| c.get_ref().clone()),
        context: !spec.mark,
    })
}

fn compile_value(source: &Source, field: Field, value: &Spanned<ValueSpec>) -> Result<Constraint> {
    let span = value.span();
    let values = value.get_ref().values();
    if values.is_empty() {
        return Err(source.error(span, format!("{} の候補が空です", field.name())));
    }
    if let [single] = values
        && let Some(body) = single.strip_prefix('/').and_then(|v| v.strip_suffix('/'))
        && !body.is_empty()
    {
        let matcher = ValueMatcher::Regex(source.regex(body, span)?);
        return Ok(Constraint { field, matcher });
    }
    if !source.builtin {
        for v in values {
            check_exact_value(source, field, v, span.clone())?;
        }
    }
    Ok(Constraint {
        field,
        matcher: ValueMatcher::AnyOf(values.to_vec()),
    })
}

/// An exact value the tokenizer can never produce makes the whole pattern dead: reject it.
fn check_exact_value(source: &Source, field: Field, value: &str, span: Range<usize>) -> Result<()> {
    let known = |list: &str| list.lines().any(|line| line == value);
    let problem = match field {
        Field::Pos if !KNOWN_POS.lines().any(|pos| pos_has_prefix(pos, value)) => Some(format!(
            "品詞「{value}」は IPADIC にありません（例: 名詞 / 名詞,サ変接続 / 助動詞）"
        )),
        Field::ConjType if !known(KNOWN_CONJ_TYPES) => Some(format!(
            "活用型「{value}」は IPADIC にありません（例: サ変・スル, 五段・ラ行）"
        )),
        Field::ConjForm if !known(KNOWN_CONJ_FORMS) => Some(format!(
            "活用形「{value}」は IPADIC にありません（例: 基本形, 連用形, 未然形）"
        )),
        Field::Surface => split_surface(value),
        _ => None,
    };
    match problem {
        Some(message) => Err(source.error(span, message)),
        None => Ok(()),
    }
}

fn pos_has_prefix(pos: &str, prefix: &str) -> bool {
    let levels: Vec<&str> = pos.split(',').collect();
    let wanted: Vec<&str> = prefix.split(',').collect();
    wanted.len() <= levels.len() && levels.iter().zip(&wanted).all(|(a, b)| a == b)
}

/// A surface that the tokenizer splits into several tokens can never equal one token.
fn split_surface(value: &str) -> Option<String> {
    let tokens = tokenize(value, 0);
    if tokens.len() <= 1 {
        return None;
    }
    let parts: Vec<&str> = tokens.iter().map(|t| t.surface.as_str()).collect();
    Some(format!(
        "表層形「{value}」は 1 トークンになりません（{}）。要素を分けて書いてください",
        parts.join(" / ")
    ))
}

/// Every `$name` in the message and the rewrites must be a capture the pattern defines.
fn check_references(source: &Source, def: &RuleDef, captures: &[String]) -> Result<()> {
    let mut templates = vec![
        (def.message.get_ref().as_str(), def.message.span()),
        (def.help.as_str(), def.message.span()),
    ];
    templates.extend(
        def.suggestions
            .iter()
            .map(|s| (s.get_ref().replace.as_str(), s.span())),
    );
    for (text, span) in templates {
        for name in template::references(text) {
            if !captures.iter().any(|c| c == name) {
                return Err(source.error(
                    span,
                    format!(
                        "「${{{name}}}」はパターンにないキャプチャです（使えるもの: {}）",
                        captures.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn compile_conditions(source: &Source, names: &[Spanned<String>]) -> Result<Vec<NamedCondition>> {
    names
        .iter()
        .map(|name| {
            NamedCondition::parse(name.get_ref()).ok_or_else(|| {
                let known: Vec<&str> = NAMED_CONDITIONS.iter().map(|(n, _, _)| *n).collect();
                source.error(
                    name.span(),
                    format!(
                        "組み込み条件「{}」はありません（{}）",
                        name.get_ref(),
                        known.join(", ")
                    ),
                )
            })
        })
        .collect()
}

fn compile_unless(source: &Source, def: &RuleDef) -> Result<Unless> {
    let named = compile_conditions(source, &def.unless)?;
    let required = compile_conditions(source, &def.when)?;
    let regex = match &def.unless_regex {
        Some(r) => Some(source.regex(r.get_ref(), r.span())?),
        None => None,
    };
    let tokens = match &def.unless_tokens {
        Some(t) => Some(compile_tokens(source, t)?),
        None => None,
    };
    Ok(Unless {
        named,
        required,
        regex,
        tokens,
    })
}

fn compile_examples(source: &Source, def: &RuleDef) -> Result<Vec<Example>> {
    let examples = def
        .examples
        .iter()
        .map(|example| compile_example(source, def, example))
        .collect::<Result<Vec<_>>>()?;
    let has_bad = examples.iter().any(|e| matches!(e, Example::Bad { .. }));
    let has_good = examples.iter().any(|e| matches!(e, Example::Good { .. }));
    // Built-in files are checked by the test suite, and linting loads them without examples.
    if !source.builtin && (!has_bad || !has_good) {
        return Err(source.error(
            def.id.span(),
            format!(
                "ルール「{}」には bad と good の例がそれぞれ 1 つ以上必要です",
                def.id.get_ref()
            ),
        ));
    }
    Ok(examples)
}

fn compile_example(
    source: &Source,
    def: &RuleDef,
    spanned: &Spanned<ExampleDef>,
) -> Result<Example> {
    let span = spanned.span();
    let line = source.line_of(span.start);
    let example = spanned.get_ref();
    let error = |message: &str| Err(source.error(span.clone(), message.to_owned()));
    match (&example.bad, &example.good) {
        (Some(bad), None) => {
            let Some(flag) = &example.flag else {
                return error("bad の例には flag（指摘される部分）が必要です");
            };
            if flag.is_empty() || !bad.contains(flag.as_str()) {
                return error("flag が bad の文中にありません");
            }
            match (&example.fixed, def.suggestions.is_empty()) {
                (None, false) => {
                    return error("書き換え候補のあるルールの bad の例には fixed が必要です");
                }
                (Some(_), true) => return error("書き換え候補のないルールに fixed は書けません"),
                _ => {}
            }
            Ok(Example::Bad {
                text: bad.clone(),
                flag: flag.clone(),
                fixed: example.fixed.clone(),
                line,
            })
        }
        (None, Some(good)) => {
            if example.flag.is_some() || example.fixed.is_some() {
                return error("good の例に flag や fixed は書けません");
            }
            Ok(Example::Good {
                text: good.clone(),
                line,
            })
        }
        _ => error("例には bad か good のどちらか一方を書いてください"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "[[rule]]\nid = \"my-rule\"\ncategory = \"custom\"\nseverity = \"warning\"\nmessage = \"「$0」\"\nhelp = \"h\"\ndescription = \"d\"\n";
    const EXAMPLES: &str = "\n[[rule.example]]\nbad = \"対応を検討します。\"\nflag = \"検討\"\n\n[[rule.example]]\ngood = \"検討会です。\"\n";

    /// Parses `content` and returns `line:column message` of the error.
    fn error_of(content: &str) -> String {
        match parse_rule_file("mine.toml", content) {
            Ok(_) => panic!("expected an error for:\n{content}"),
            Err(err) => format!("{}:{} {}", err.line, err.column, err.message),
        }
    }

    #[test]
    fn a_valid_rule_loads() {
        let content = format!("{HEAD}tokens = [{{ surface = \"検討\" }}]\n{EXAMPLES}");
        let parsed = parse_rule_file("mine.toml", &content).unwrap();
        assert_eq!(parsed.rules.len(), 1);
        assert_eq!(parsed.rules[0].0.line, 1);
    }

    #[test]
    fn toml_syntax_errors_point_at_the_line() {
        let err = error_of(&format!("{HEAD}tokens = [{{ surface = \"検討\" \n"));
        assert!(err.starts_with("8:"), "{err}");
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err = error_of(&format!(
            "{HEAD}tokens = [{{ surfase = \"検討\" }}]\n{EXAMPLES}"
        ));
        assert!(err.starts_with("8:") && err.contains("surfase"), "{err}");
        let err = error_of(&format!(
            "{HEAD}unles = [\"deadline\"]\ntokens = [{{ surface = \"検討\" }}]\n{EXAMPLES}"
        ));
        assert!(err.contains("unles"), "{err}");
    }

    #[test]
    fn invalid_regexes_are_rejected_where_written() {
        let err = error_of(&format!("{HEAD}regex = \"(検討\"\n{EXAMPLES}"));
        assert!(err.starts_with("8:9 正規表現が不正です"), "{err}");
        let err = error_of(&format!(
            "{HEAD}tokens = [{{ base = \"/[/\" }}]\n{EXAMPLES}"
        ));
        assert!(err.starts_with("8:20 正規表現が不正です"), "{err}");
    }

    #[test]
    fn patterns_that_can_never_match_are_rejected() {
        let err = error_of(&format!(
            "{HEAD}tokens = [{{ surface = \"検討します\" }}]\n{EXAMPLES}"
        ));
        assert!(
            err.contains("1 トークンになりません（検討 / し / ます）"),
            "{err}"
        );
        let err = error_of(&format!(
            "{HEAD}tokens = [{{ pos = \"名刺\" }}]\n{EXAMPLES}"
        ));
        assert!(err.contains("品詞「名刺」"), "{err}");
        let err = error_of(&format!(
            "{HEAD}tokens = [{{ conj_form = \"終止形\" }}]\n{EXAMPLES}"
        ));
        assert!(err.contains("活用形「終止形」"), "{err}");
        let err = error_of(&format!("{HEAD}regex = \"(検討)?\"\n{EXAMPLES}"));
        assert!(err.contains("空文字列"), "{err}");
        let err = error_of(&format!(
            "{HEAD}tokens = [{{ surface = \"検討\", optional = true }}]\n{EXAMPLES}"
        ));
        assert!(err.contains("必須トークン"), "{err}");
    }

    #[test]
    fn rules_need_bad_and_good_examples() {
        let good_only = "\n[[rule.example]]\ngood = \"検討会です。\"\n";
        let err = error_of(&format!(
            "{HEAD}tokens = [{{ surface = \"検討\" }}]\n{good_only}"
        ));
        assert!(
            err.starts_with("2:6") && err.contains("bad と good"),
            "{err}"
        );
        let flag_missing = "\n[[rule.example]]\nbad = \"対応を検討します。\"\nflag = \"善処\"\n";
        let err = error_of(&format!(
            "{HEAD}tokens = [{{ surface = \"検討\" }}]\n{flag_missing}"
        ));
        assert!(err.contains("flag が bad の文中にありません"), "{err}");
    }

    #[test]
    fn duplicate_ids_bad_conditions_and_captures_are_rejected() {
        let rule = format!("{HEAD}tokens = [{{ surface = \"検討\" }}]\n{EXAMPLES}");
        let err = error_of(&format!("{rule}\n{rule}"));
        assert!(err.contains("重複"), "{err}");
        let err = error_of(&format!(
            "{HEAD}tokens = [{{ surface = \"検討\" }}]\nunless = [\"soon\"]\n{EXAMPLES}"
        ));
        assert!(err.contains("組み込み条件「soon」"), "{err}");
        let bad_capture = HEAD.replace("「$0」", "「${what}」");
        let err = error_of(&format!(
            "{bad_capture}tokens = [{{ surface = \"検討\" }}]\n{EXAMPLES}"
        ));
        assert!(err.contains("${what}"), "{err}");
        let bad_id = HEAD.replace("my-rule", "My_Rule");
        let err = error_of(&format!(
            "{bad_id}tokens = [{{ surface = \"検討\" }}]\n{EXAMPLES}"
        ));
        assert!(
            err.starts_with("2:6") && err.contains("kebab-case"),
            "{err}"
        );
    }
}
