//! `github`: GitHub Actions workflow commands, one per finding, which the runner turns into
//! annotations on the pull request:
//! `::warning file=PATH,line=L,col=C,endLine=L,endColumn=C,title=RULE-ID::MESSAGE`.
//!
//! A finding that makes the run fail (at or above `--fail-on`) becomes `::error`; one below
//! the threshold `::warning` (a warning) or `::notice` (info), so the annotations never say
//! more or less than the exit code. An input that could not be linted is an `::error` on the
//! file. Columns are
//! 1-based characters, as in `concise` (the same as UTF-16 units for Japanese text), and
//! `endColumn` is exclusive. The message carries each suggested rewrite on its own line.

use super::Run;
use crate::diagnostic::Severity;
use crate::source::LineIndex;

/// Escapes a command's message: `%`, CR and LF (GitHub's `escapeData`), and shows other
/// control characters escaped (the log viewer would obey them).
pub fn escape_data(text: &str) -> String {
    super::escape::visible(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as the message, and also `:` and `,`, which end a property
/// (GitHub's `escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(fails: bool, severity: Severity) -> &'static str {
    match (fails, severity) {
        (true, _) => "error",
        (false, Severity::Error | Severity::Warning) => "warning",
        (false, Severity::Info) => "notice",
    }
}

pub fn render(run: &Run) -> String {
    let mut out = String::new();
    for (i, file) in run.indexed() {
        let index = LineIndex::new(&file.text);
        let path = escape_property(&file.path.replace('\\', "/"));
        for d in &file.diagnostics {
            let start = index.position(&file.text, d.span.start);
            let end = index.position(&file.text, d.span.end);
            let mut message = d.message.clone();
            for suggestion in &d.suggestions {
                message.push_str(&format!("\n書き換え案: {}", suggestion.replacement));
            }
            out.push_str(&format!(
                "::{} file={path},line={},col={},endLine={},endColumn={},title={}::{}\n",
                command(run.fails(i, d), d.severity),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&d.rule_id),
                escape_data(&message),
            ));
        }
    }
    for failure in run.failed {
        out.push_str(&format!(
            "::error file={},title=kintsugi-lint::{}\n",
            escape_property(&failure.path.replace('\\', "/")),
            escape_data(&failure.message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped_as_github_reads_them() {
        assert_eq!(escape_data("100%\r\n次: a,b"), "100%25%0D%0A次: a,b");
        assert_eq!(
            escape_property("dir:x,y/100%.txt"),
            "dir%3Ax%2Cy/100%25.txt"
        );
    }
}
