//! Helpers shared by the command-line test files (each file is its own crate and uses only
//! some of them).
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

/// The kintsugi-lint binary built for these tests, speaking Japanese whatever the
/// developer's locale (an English `LANG` switches the help and usage errors to English).
pub fn binary() -> Command {
    let mut cmd = Command::cargo_bin("kintsugi-lint").expect("binary is built");
    cmd.env("KINTSUGI_LINT_LANG", "ja");
    cmd
}

/// Runs `cmd` and parses its standard output as JSON; on failure, shows what it printed.
pub fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.output().expect("runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A valid user rule file with rule `id` matched by `pattern_line` (a `tokens = …` or
/// `regex = …` line), flagging 多忙 in its bad example; tests change one thing at a time.
pub fn rule_file(id: &str, pattern_line: &str) -> String {
    format!(
        r#"[[rule]]
id = "{id}"
category = "custom"
severity = "warning"
message = "m"
help = "h"
description = "d"
{pattern_line}

[[rule.example]]
bad = "多忙のため遅れました。"
flag = "多忙"

[[rule.example]]
good = "遅れました。"
"#
    )
}
