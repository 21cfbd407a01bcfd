//! `github`: GitHub Actions workflow commands, one per finding, which the runner turns into
//! annotations on the pull request:
//! `::warning file=PATH,line=L,col=C,endLine=L,endColumn=C,title=RULE-ID::MESSAGE`.
//!
//! `error` findings become `::error`, `warning` `::warning` and `info` `::notice`. Columns are
//! 1-based characters, as in `concise` (the same as UTF-16 units for Japanese text), and
//! `endColumn` is exclusive. The message carries each suggested rewrite on its own line.

use crate::diagnostic::Severity;
use crate::linter::LintedFile;
use crate::source::LineIndex;

/// Escapes a command's message: `%`, CR and LF (GitHub's `escapeData`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as the message, and also `:` and `,`, which end a property
/// (GitHub's `escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub fn render(files: &[LintedFile]) -> String {
    let mut out = String::new();
    for file in files {
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
                command(d.severity),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&d.rule_id),
                escape_data(&message),
            ));
        }
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
