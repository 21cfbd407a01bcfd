//! kintsugi-lint: a linter for Japanese apology letters, incident reports and notices.
//!
//! The library never prints; the binary (`src/main.rs`) is a thin shell around it.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod files;
pub mod fix;
pub mod harness;
pub mod linter;
pub mod markup;
pub mod report;
pub mod rules;
pub mod sentence;
pub mod serve;
pub mod server;
pub mod session;
mod sorted_lines;
pub mod source;
pub mod suggest;
pub mod suppress;
#[cfg(test)]
mod test_texts;
pub mod tokenize;
pub mod work;

pub use diagnostic::{Applicability, Diagnostic, Severity, Suggestion};
pub use engine::lint_text;
pub use linter::{InputError, LintedFile, Linter};
pub use rules::{Rule, RuleError, RuleSet};
