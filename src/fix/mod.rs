//! Applying suggested rewrites: to text (the example harness, `--fix`) and to files.
//!
//! Text: each round lints, then applies the first applicable suggestion of every finding
//! that overlaps neither another edit of the round nor a span an earlier round already
//! rewrote — a fix is applied at most once per span, so a rewrite that re-creates its own
//! finding cannot grow the text round after round. Files: the new text is written back as
//! the old bytes with only the rewritten spans re-encoded ([`splice`]), and the file is
//! replaced only if nobody changed it meanwhile ([`replace`]).

pub mod replace;
pub mod splice;

use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{Applicability, Diagnostic};
use crate::linter::{InputError, LintedFile, Linter};

/// Which suggestions may be written without a person choosing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    /// Only suggestions marked safe.
    Safe,
    /// Safe and unsafe suggestions (`--unsafe-fixes`).
    Unsafe,
}

/// `text` with the span of `diagnostic` replaced by its suggestion number `index`.
pub fn apply_suggestion(text: &str, diagnostic: &Diagnostic, index: usize) -> Option<String> {
    let suggestion = diagnostic.suggestions.get(index)?;
    let mut out = String::with_capacity(text.len() + suggestion.replacement.len());
    out.push_str(&text[..diagnostic.span.start]);
    out.push_str(&suggestion.replacement);
    out.push_str(&text[diagnostic.span.end..]);
    Some(out)
}

/// One rewrite: the span of the old text and what replaced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub old: Range<usize>,
    pub replacement: String,
}

/// The suggestion `--fix` would write for `diagnostic` in `mode`: the first one allowed
/// that has no `{…}` slot for the writer.
pub fn writable_suggestion(diagnostic: &Diagnostic, mode: FixMode) -> Option<&str> {
    let allowed = |a: Applicability| match mode {
        FixMode::Safe => a == Applicability::Safe,
        FixMode::Unsafe => a != Applicability::DisplayOnly,
    };
    diagnostic
        .suggestions
        .iter()
        .find(|s| allowed(s.applicability) && !s.has_placeholder())
        .map(|s| s.replacement.as_str())
}

/// Applies the first applicable suggestion of each diagnostic, skipping any that overlaps
/// an edit already made and any that still has a `{…}` slot for the writer. Returns the new
/// text and how many edits were made.
pub fn apply_fixes(text: &str, diagnostics: &[Diagnostic], mode: FixMode) -> (String, usize) {
    let edits = choose_edits(diagnostics, mode, &[]);
    (apply_edits(text, &edits), edits.len())
}

/// The edits one round makes: per diagnostic its writable suggestion, unless its span
/// overlaps an edit chosen before it or a `protected` span (rewritten in an earlier round).
fn choose_edits(
    diagnostics: &[Diagnostic],
    mode: FixMode,
    protected: &[Range<usize>],
) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    for diagnostic in diagnostics {
        let Some(replacement) = writable_suggestion(diagnostic, mode) else {
            continue;
        };
        let span = diagnostic.span.clone();
        let free = |other: &Range<usize>| span.end <= other.start || other.end <= span.start;
        // A span already rewritten is touched by its edges too: an insertion right after a
        // rewrite (…$0 → …$0…) would otherwise grow it again.
        let untouched = |other: &Range<usize>| span.end < other.start || other.end < span.start;
        if edits.iter().all(|e| free(&e.old)) && protected.iter().all(untouched) {
            edits.push(Edit {
                old: span,
                replacement: replacement.to_owned(),
            });
        }
    }
    edits.sort_by_key(|e| e.old.start);
    edits
}

/// `text` with `edits` (sorted, not overlapping) applied.
fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for edit in edits {
        out.push_str(&text[cursor..edit.old.start]);
        out.push_str(&edit.replacement);
        cursor = edit.old.end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// `spans` of the text before `edits` (which they do not overlap), moved to where they are
/// after them, plus the spans the edits wrote.
fn spans_after(spans: &[Range<usize>], edits: &[Edit]) -> Vec<Range<usize>> {
    let shift = |offset: usize| -> usize {
        let mut moved = offset as isize;
        for edit in edits.iter().filter(|e| e.old.end <= offset) {
            moved += edit.replacement.len() as isize - edit.old.len() as isize;
        }
        moved as usize
    };
    let mut out: Vec<Range<usize>> = spans.iter().map(|s| shift(s.start)..shift(s.end)).collect();
    for edit in edits {
        let start = shift(edit.old.start);
        out.push(start..start + edit.replacement.len());
    }
    out.sort_by_key(|s| s.start);
    out
}

/// Most rounds of fix-and-relint. A fix is applied once per span, so rounds go on only
/// while fixes make new findings elsewhere; a text still changing after this many is
/// reported, not written.
const MAX_ROUNDS: usize = 10;

/// Why fixes were not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FixError {
    #[error(
        "{MAX_ROUNDS} 回修正しても新たな修正が続くため、書き込みませんでした（修正が別の指摘を生み続けています）"
    )]
    NotConverging,
}

/// Which findings a file's settings keep (per-file ignores, severity overrides): a fix is
/// only made for a finding the writer would be shown.
pub type Adjust<'a> = &'a (dyn Fn(&mut Vec<Diagnostic>) + Sync);

/// Keeps every finding.
pub fn keep_all(_: &mut Vec<Diagnostic>) {}

/// Lints `text`, applies fixes, re-lints, until no fix applies.
pub fn fix_text(
    linter: &Linter,
    path: &str,
    text: &str,
    mode: FixMode,
) -> Result<(String, usize), FixError> {
    fix_text_as(linter, path, text, mode, None, &keep_all).map(|(text, edits)| (text, edits.len()))
}

/// Like [`fix_text`], with the document kind given and the findings adjusted by the file's
/// settings before each round. Returns the text and every edit, as spans of the original
/// `text` (rounds after the first are mapped back through the earlier ones).
pub fn fix_text_as(
    linter: &Linter,
    path: &str,
    text: &str,
    mode: FixMode,
    kind: Option<&str>,
    adjust: Adjust,
) -> Result<(String, Vec<Edit>), FixError> {
    let mut current = text.to_owned();
    let mut rewritten: Vec<Range<usize>> = Vec::new();
    let mut rounds: Vec<Vec<Edit>> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let mut diagnostics = linter
            .lint_source_as(path, current.clone(), kind)
            .diagnostics;
        adjust(&mut diagnostics);
        let edits = choose_edits(&diagnostics, mode, &rewritten);
        if edits.is_empty() {
            return Ok((current, compose(rounds)));
        }
        rewritten = spans_after(&rewritten, &edits);
        current = apply_edits(&current, &edits);
        rounds.push(edits);
    }
    Err(FixError::NotConverging)
}

/// The edits of successive rounds as edits of the first round's text. A later round never
/// touches a span an earlier one rewrote (see `choose_edits`), so each of its edits lies in
/// text the earlier rounds left as it was, and only moves by their change in length.
fn compose(rounds: Vec<Vec<Edit>>) -> Vec<Edit> {
    let mut composed: Vec<Edit> = Vec::new();
    for round in rounds {
        // `composed` holds edits of the original text; `round` edits of the text after them.
        let to_original = |offset: usize| -> usize {
            let mut moved = offset as isize;
            let mut now = 0isize;
            for edit in &composed {
                let end_now = edit.old.end as isize + now + edit.replacement.len() as isize
                    - edit.old.len() as isize;
                if end_now as usize <= offset {
                    now += edit.replacement.len() as isize - edit.old.len() as isize;
                }
            }
            moved -= now;
            moved as usize
        };
        let mapped: Vec<Edit> = round
            .into_iter()
            .map(|edit| Edit {
                old: to_original(edit.old.start)..to_original(edit.old.end),
                replacement: edit.replacement,
            })
            .collect();
        composed.extend(mapped);
        composed.sort_by_key(|e| e.old.start);
    }
    composed
}

/// The outcome of fixing one file.
#[derive(Debug, Clone)]
pub struct FileFix {
    /// The file linted after the fixes (what remains), or as it was when nothing applied.
    pub linted: LintedFile,
    /// Number of edits made, over all rounds.
    pub applied: usize,
    /// A unified diff from the old to the new text (empty when nothing changed).
    pub diff: String,
}

/// A unified diff of `old` → `new` labelled with `path`.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    // `a//abs/path` is not a path any patch tool reads; git writes `a/abs/path`.
    let path = path.trim_start_matches('/');
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Fixes one file: reads and lints it, applies the fixes of the findings `adjust` keeps
/// until stable, and unless `dry_run` writes the result back: the file's own bytes with only
/// the rewritten spans re-encoded ([`splice`]), replacing the file only if nobody changed it
/// meanwhile ([`replace`]). A symbolic link is fixed through. Files that need no change are
/// never touched.
pub fn fix_file(
    linter: &Linter,
    path: &Path,
    mode: FixMode,
    dry_run: bool,
    kind: Option<&str>,
    adjust: Adjust,
) -> Result<FileFix, InputError> {
    let display = path.display().to_string();
    let read = replace::read_for_fix(path, linter.input_options().max_bytes).map_err(|e| {
        InputError::Fix {
            path: display.clone(),
            reason: e.to_string(),
        }
    })?;
    let (fixed, new_bytes) = fix_bytes(linter, &display, &read.bytes, mode, kind, adjust)?;
    if let Some(new_bytes) = new_bytes.filter(|_| !dry_run) {
        replace::replace(&read, &new_bytes).map_err(|e| InputError::Fix {
            path: display,
            reason: e.to_string(),
        })?;
    }
    Ok(fixed)
}

/// Fixes the bytes of one input named `display`: the outcome, and the new bytes when
/// anything changed (the input's own bytes with only the rewritten spans re-encoded, see
/// [`splice`]). Standard input is fixed through here and printed; files are also written.
pub fn fix_bytes(
    linter: &Linter,
    display: &str,
    bytes: &[u8],
    mode: FixMode,
    kind: Option<&str>,
    adjust: Adjust,
) -> Result<(FileFix, Option<Vec<u8>>), InputError> {
    let refused = |reason: String| InputError::Fix {
        path: display.to_owned(),
        reason,
    };
    let linted = linter.lint_bytes_as(display, bytes, kind)?;
    let unchanged = |linted| {
        let fix = FileFix {
            linted,
            applied: 0,
            diff: String::new(),
        };
        (fix, None)
    };
    let Some(stored_as) = linted.stored_as else {
        // An e-mail view is not the file's text: show findings, change nothing.
        return Ok(unchanged(linted));
    };
    let (fixed, edits) = fix_text_as(linter, display, &linted.text, mode, kind, adjust)
        .map_err(|e| refused(e.to_string()))?;
    if edits.is_empty() || fixed == *linted.text {
        return Ok(unchanged(linted));
    }
    let diff = unified_diff(display, &linted.text, &fixed);
    let new_bytes = splice::splice(bytes, &stored_as, &linted.text, &edits)
        .map_err(|e| refused(e.to_string()))?;
    let mut after = linter.lint_source_as(display, fixed, kind);
    after.stored_as = Some(stored_as);
    let fix = FileFix {
        linted: after,
        applied: edits.len(),
        diff,
    };
    Ok((fix, Some(new_bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Severity, Suggestion};

    fn diagnostic(
        span: std::ops::Range<usize>,
        replacement: &str,
        applicability: Applicability,
    ) -> Diagnostic {
        Diagnostic {
            rule_id: "r".into(),
            category: "c".into(),
            severity: Severity::Warning,
            message: String::new(),
            help: String::new(),
            span,
            suggestions: vec![Suggestion {
                replacement: replacement.into(),
                applicability,
            }],
        }
    }

    #[test]
    fn applies_safe_fixes_and_skips_overlaps_and_placeholders() {
        let text = "拝見させていただきました。おっしゃられた件です。";
        let span_of = |part: &str| {
            let start = text.find(part).unwrap();
            start..start + part.len()
        };
        let first = diagnostic(
            span_of("拝見させていただきました"),
            "拝見しました",
            Applicability::Safe,
        );
        let overlapping = diagnostic(span_of("させて"), "x", Applicability::Safe);
        let slot = diagnostic(span_of("おっしゃられた"), "{期限}", Applicability::Safe);
        let unsafe_one = diagnostic(
            span_of("おっしゃられた"),
            "おっしゃった",
            Applicability::Unsafe,
        );
        let all = [first, overlapping, slot, unsafe_one];
        let (safe, count) = apply_fixes(text, &all, FixMode::Safe);
        assert_eq!(
            (safe.as_str(), count),
            ("拝見しました。おっしゃられた件です。", 1)
        );
        let (both, count) = apply_fixes(text, &all, FixMode::Unsafe);
        assert_eq!(
            (both.as_str(), count),
            ("拝見しました。おっしゃった件です。", 2)
        );
    }
}
