//! `junit`: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure).
//! One `<testsuite>` per linted file, one `<testcase>` per finding: a `<failure>` when the
//! finding fails the run (at or above `--fail-on`), else a passing case with the finding in
//! its `<system-out>`, so the report never counts more failures than the exit code says. A
//! file without findings gets one passing case; an input that could not be linted is a
//! suite with an `<error>`.

use super::Run;
use crate::diagnostic::Diagnostic;
use crate::linter::LintedFile;
use crate::source::LineIndex;

/// Characters that XML 1.0 allows at all (even as references): tab, LF, CR and everything
/// from U+0020 except surrogates (which `char` cannot hold) and U+FFFE/U+FFFF.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Escapes element content: markup characters become references, characters XML cannot
/// carry become U+FFFD.
pub fn escape_text(text: &str) -> String {
    escape(text, false)
}

/// Escapes an attribute value: as element content, and line breaks and tabs are written as
/// references so the attribute keeps them (a parser would normalize them to spaces).
pub fn escape_attr(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

fn failure_body(file: &LintedFile, index: &LineIndex, d: &Diagnostic) -> String {
    let at = index.position(&file.text, d.span.start);
    let mut body = format!(
        "{}:{}:{}: {}[{}] {}\n「{}」\n{}",
        file.path,
        at.line,
        at.column,
        d.severity,
        d.rule_id,
        d.message,
        &file.text[d.span.clone()],
        d.help
    );
    for suggestion in &d.suggestions {
        body.push_str(&format!("\n書き換え案: {}", suggestion.replacement));
    }
    body
}

pub fn render(run: &Run) -> String {
    let failing =
        |i: usize, file: &LintedFile| file.diagnostics.iter().filter(|d| run.fails(i, d)).count();
    let failures: usize = run.indexed().map(|(i, f)| failing(i, f)).sum();
    let tests: usize = run
        .files
        .iter()
        .map(|f| f.diagnostics.len().max(1))
        .sum::<usize>()
        + run.failed.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"kintsugi-lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\">\n",
        run.failed.len()
    ));
    for (i, file) in run.indexed() {
        let path = escape_attr(&file.path);
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
            file.diagnostics.len().max(1),
            failing(i, file)
        ));
        if file.diagnostics.is_empty() {
            out.push_str(&format!(
                "    <testcase name=\"no findings\" classname=\"{path}\" file=\"{path}\"/>\n"
            ));
        }
        let index = LineIndex::new(&file.text);
        for d in &file.diagnostics {
            let at = index.position(&file.text, d.span.start);
            out.push_str(&format!(
                "    <testcase name=\"{} ({}:{})\" classname=\"{path}\" file=\"{path}\" line=\"{}\">\n",
                escape_attr(&d.rule_id),
                at.line,
                at.column,
                at.line
            ));
            let body = escape_text(&failure_body(file, &index, d));
            if run.fails(i, d) {
                out.push_str(&format!(
                    "      <failure message=\"{}\" type=\"{}\">{body}</failure>\n",
                    escape_attr(&d.message),
                    d.severity,
                ));
            } else {
                out.push_str(&format!("      <system-out>{body}</system-out>\n"));
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    for failure in run.failed {
        let path = escape_attr(&failure.path);
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"input\" classname=\"{path}\" file=\"{path}\">\n      <error message=\"{}\" type=\"input\"/>\n    </testcase>\n  </testsuite>\n",
            escape_attr(&failure.message)
        ));
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_line_breaks_and_characters_xml_cannot_carry() {
        assert_eq!(
            escape_attr("<a href=\"x\">&'\n\u{1b}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;\u{FFFD}"
        );
        assert_eq!(escape_attr("お詫び\t🙇"), "お詫び&#9;🙇");
        assert_eq!(escape_text("a < b\n\u{0}c"), "a &lt; b\n\u{FFFD}c");
    }
}
