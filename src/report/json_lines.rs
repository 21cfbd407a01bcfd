//! `json-lines`: one JSON object per finding per line (JSON Lines), with the same fields as a
//! finding of the `json` format. No summary line: a stream of findings is easy to `grep`,
//! `jq -c` or load line by line, and an empty output means no findings.

use super::json::finding;
use crate::linter::LintedFile;
use crate::source::LineIndex;

pub fn render(files: &[LintedFile]) -> String {
    let mut out = String::new();
    for file in files {
        let index = LineIndex::new(&file.text);
        for d in &file.diagnostics {
            // Serializing borrowed strings and integers cannot fail.
            out.push_str(&serde_json::to_string(&finding(file, &index, d)).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}
