//! `path:line:column: severity[rule-id] message`, one finding per line.

use crate::linter::LintedFile;
use crate::source::LineIndex;

pub fn render(files: &[LintedFile]) -> String {
    let mut out = String::new();
    for file in files {
        let index = LineIndex::new(&file.text);
        for d in &file.diagnostics {
            let at = index.position(&file.text, d.span.start);
            out.push_str(&format!(
                "{}:{}:{}: {}[{}] {}\n",
                file.path, at.line, at.column, d.severity, d.rule_id, d.message
            ));
        }
    }
    out
}
