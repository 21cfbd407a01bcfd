//! Applying suggested rewrites: to text (the example harness, `--fix`) and to files.

use std::io::Write;
use std::path::Path;

use crate::diagnostic::{Applicability, Diagnostic};
use crate::linter::{InputError, LintedFile, Linter};
use crate::source::decode::encode_like;

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

/// Applies the first applicable suggestion of each diagnostic, skipping any that overlaps
/// an edit already made and any that still has a `{…}` slot for the writer. Returns the new
/// text and how many edits were made.
pub fn apply_fixes(text: &str, diagnostics: &[Diagnostic], mode: FixMode) -> (String, usize) {
    let allowed = |a: Applicability| match mode {
        FixMode::Safe => a == Applicability::Safe,
        FixMode::Unsafe => a != Applicability::DisplayOnly,
    };
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    for diagnostic in diagnostics {
        let Some(suggestion) = diagnostic
            .suggestions
            .iter()
            .find(|s| allowed(s.applicability) && !s.has_placeholder())
        else {
            continue;
        };
        let span = diagnostic.span.clone();
        if edits
            .iter()
            .all(|(done, _)| span.end <= done.start || done.end <= span.start)
        {
            edits.push((span, &suggestion.replacement));
        }
    }
    edits.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for (span, replacement) in &edits {
        out.push_str(&text[cursor..span.start]);
        out.push_str(replacement);
        cursor = span.end;
    }
    out.push_str(&text[cursor..]);
    (out, edits.len())
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

    #[test]
    fn a_file_changed_since_it_was_read_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("draft.txt");
        std::fs::write(&path, "edited by someone else").unwrap();
        let err = write_if_unchanged(&path, b"as read", b"fixed").unwrap_err();
        assert!(err.contains("変更された"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "edited by someone else"
        );
        // Unchanged: replaced, with no temporary file left behind.
        write_if_unchanged(&path, b"edited by someone else", b"fixed").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "fixed");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_rewritten_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("draft.txt");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_if_unchanged(&path, b"old", b"new").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
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

/// Most rounds of fix-and-relint; fixes that keep producing new fixes stop here.
const MAX_ROUNDS: usize = 10;

/// Lints `text`, applies fixes, re-lints, until no fix applies.
pub fn fix_text(linter: &Linter, path: &str, text: &str, mode: FixMode) -> (String, usize) {
    fix_text_as(linter, path, text, mode, None)
}

/// Like [`fix_text`], with the document kind given.
pub fn fix_text_as(
    linter: &Linter,
    path: &str,
    text: &str,
    mode: FixMode,
    kind: Option<&str>,
) -> (String, usize) {
    let mut current = text.to_owned();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let linted = linter.lint_source_as(path, current.clone(), kind);
        let (next, count) = apply_fixes(&current, &linted.diagnostics, mode);
        if count == 0 || next == current {
            break;
        }
        applied += count;
        current = next;
    }
    (current, applied)
}

/// A unified diff of `old` → `new` labelled with `path`.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Fixes one file: reads and lints it, applies fixes until stable, and unless `dry_run`
/// writes the result back in the file's encoding, BOM and line endings — atomically (a
/// temporary file in the same folder, then a rename) and only if the file still holds the
/// bytes that were read. Files that need no change are never touched.
pub fn fix_file(
    linter: &Linter,
    path: &Path,
    mode: FixMode,
    dry_run: bool,
    kind: Option<&str>,
) -> Result<FileFix, InputError> {
    let display = path.display().to_string();
    let io_error = |reason: String| InputError::Io {
        path: display.clone(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| io_error(e.to_string()))?;
    let linted = linter.lint_bytes_as(&display, &bytes, kind)?;
    let Some(stored_as) = linted.stored_as else {
        // An e-mail view is not the file's text: show findings, change nothing.
        return Ok(FileFix {
            linted,
            applied: 0,
            diff: String::new(),
        });
    };
    let (fixed, applied) = fix_text_as(linter, &display, &linted.text, mode, kind);
    if applied == 0 || fixed == *linted.text {
        return Ok(FileFix {
            linted,
            applied: 0,
            diff: String::new(),
        });
    }
    let diff = unified_diff(&display, &linted.text, &fixed);
    if !dry_run {
        let new_bytes = encode_like(&fixed, &stored_as).map_err(|offset| {
            io_error(format!(
                "修正後の文字を {} で表せないため書き込みませんでした（{offset} バイト目）",
                stored_as.encoding.name()
            ))
        })?;
        write_if_unchanged(path, &bytes, &new_bytes).map_err(io_error)?;
    }
    let mut after = linter.lint_source_as(&display, fixed, kind);
    after.stored_as = Some(stored_as);
    Ok(FileFix {
        linted: after,
        applied,
        diff,
    })
}

/// Replaces `path`'s content with `new` if it still equals `expected`, keeping permissions.
fn write_if_unchanged(path: &Path, expected: &[u8], new: &[u8]) -> Result<(), String> {
    let current = std::fs::read(path).map_err(|e| e.to_string())?;
    if current != expected {
        return Err("読み込み後にファイルが変更されたため書き込みませんでした".into());
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path)
        .map_err(|e| e.to_string())?
        .permissions();
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| e.to_string())?;
    temp.write_all(new).map_err(|e| e.to_string())?;
    temp.as_file().sync_all().map_err(|e| e.to_string())?;
    std::fs::set_permissions(temp.path(), permissions).map_err(|e| e.to_string())?;
    temp.persist(path).map_err(|e| e.error.to_string())?;
    Ok(())
}
