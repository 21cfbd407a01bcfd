//! kintsugi-lint: a linter for Japanese apology letters, incident reports and notices.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod tokenize;
