//! Applying suggested rewrites to text.

use crate::diagnostic::{Applicability, Diagnostic};

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
}
