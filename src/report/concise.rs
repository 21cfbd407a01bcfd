//! `path:line:column: severity[rule-id] message`, one finding per line; then a line per
//! input that could not be linted (`path: error: …`) and per file `--fix` rewrote.

use super::Run;
use crate::source::LineIndex;

pub fn render(run: &Run) -> String {
    let mut out = String::new();
    for (i, file) in run.indexed() {
        let index = LineIndex::new(&file.text);
        for d in &file.diagnostics {
            let at = index.position(&file.text, d.span.start);
            out.push_str(&format!(
                "{}:{}:{}: {}[{}] {}\n",
                file.path, at.line, at.column, d.severity, d.rule_id, d.message
            ));
        }
        if run.fixed_in(i) > 0 {
            out.push_str(&format!(
                "{}: {} 件を修正しました\n",
                file.path,
                run.fixed_in(i)
            ));
        }
    }
    for failure in run.failed {
        out.push_str(&format!("{}: error: {}\n", failure.path, failure.message));
    }
    // Paths and matched text may hold control characters; the format has none of its own.
    super::escape::visible(&out).into_owned()
}
