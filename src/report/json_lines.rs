//! `json-lines`: one JSON object per finding per line (JSON Lines), with the same fields as a
//! finding of the `json` format; then one `{"path", "error"}` object per input that could not
//! be linted. No summary line: a stream of findings is easy to `grep`, `jq -c` or load line
//! by line, and an empty output means no findings and no failed input.

use super::Run;
use super::json::{ErrorJson, finding};
use crate::source::LineIndex;

pub fn render(run: &Run) -> String {
    let mut out = String::new();
    for (_, file) in run.indexed() {
        let index = LineIndex::new(&file.text);
        for d in &file.diagnostics {
            // Serializing borrowed strings and integers cannot fail.
            out.push_str(&serde_json::to_string(&finding(file, &index, d)).unwrap_or_default());
            out.push('\n');
        }
    }
    for failure in run.failed {
        out.push_str(&serde_json::to_string(&ErrorJson::of(failure)).unwrap_or_default());
        out.push('\n');
    }
    out
}
