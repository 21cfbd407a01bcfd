//! Rendering lint results for people and machines. Renderers return strings; the binary
//! decides where they go.

mod concise;
pub mod escape;
mod full;
pub mod github;
mod json;
mod json_lines;
pub mod junit;
mod rdjson;
pub mod sarif;
pub mod statistics;

use crate::diagnostic::Severity;
use crate::linter::LintedFile;
use crate::rules::RuleSet;

pub use full::FullOptions;

/// Output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Full,
    Concise,
    Json,
    /// One `json` finding per line.
    JsonLines,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML.
    Junit,
    /// reviewdog's rdjson.
    Rdjson,
}

impl Format {
    /// Whether the report describes the rules behind its findings (SARIF's `rules`), so
    /// that it needs the rule set the files were linted with.
    pub fn describes_rules(self) -> bool {
        self == Format::Sarif
    }
}

impl Format {
    /// Whether `--statistics` has a form in this format: a text table for the human formats,
    /// JSON for `json` and `json-lines`. The other machine formats (SARIF, workflow commands,
    /// JUnit, rdjson) describe findings, not counts, so there is none.
    pub fn has_statistics(self) -> bool {
        matches!(
            self,
            Format::Full | Format::Concise | Format::Json | Format::JsonLines
        )
    }
}

/// An input that could not be linted or fixed: it fails the run, and every format says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub path: String,
    /// Why, in a Japanese sentence (the error's message without the path).
    pub message: String,
}

/// What a report shows of a run: the linted files, what made the run fail, what was fixed.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// The linted inputs, in input order.
    pub files: &'a [LintedFile],
    /// Per file (the same order): the severity from which its findings fail the run
    /// (`--fail-on`, or `fail-on` in the file's kintsugi.toml).
    pub fail_on: &'a [Severity],
    /// Per file: how many rewrites `--fix` wrote (all 0 without `--fix`).
    pub fixed: &'a [usize],
    /// Inputs that could not be linted or fixed.
    pub failed: &'a [Failure],
}

impl<'a> Run<'a> {
    /// A run of `files` with the default threshold, nothing fixed and nothing failed.
    pub fn of(files: &'a [LintedFile], fail_on: &'a [Severity]) -> Self {
        Run {
            files,
            fail_on,
            fixed: &[],
            failed: &[],
        }
    }

    /// Whether `diagnostic`, a finding of file number `file`, makes the run fail. Reports
    /// that mark findings as failures (JUnit, SARIF and GitHub levels) follow this, so they
    /// never contradict the exit code.
    pub fn fails(&self, file: usize, diagnostic: &crate::diagnostic::Diagnostic) -> bool {
        let threshold = self.fail_on.get(file).copied().unwrap_or(Severity::Warning);
        diagnostic.severity >= threshold
    }

    /// How many rewrites `--fix` wrote into file number `file`.
    pub fn fixed_in(&self, file: usize) -> usize {
        self.fixed.get(file).copied().unwrap_or(0)
    }

    /// The files with their index.
    pub fn indexed(&self) -> impl Iterator<Item = (usize, &'a LintedFile)> {
        self.files.iter().enumerate()
    }
}

/// Counts over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings at or above their file's `--fail-on` threshold.
    pub failing: usize,
    /// Rewrites `--fix` wrote.
    pub fixed: usize,
    /// Inputs that could not be linted or fixed.
    pub failed_inputs: usize,
}

impl Summary {
    pub fn of(run: &Run) -> Self {
        let mut summary = Summary {
            files: run.files.len(),
            failed_inputs: run.failed.len(),
            fixed: (0..run.files.len()).map(|i| run.fixed_in(i)).sum(),
            ..Summary::default()
        };
        for (i, file) in run.indexed() {
            for diagnostic in &file.diagnostics {
                match diagnostic.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Info => summary.infos += 1,
                }
                summary.failing += usize::from(run.fails(i, diagnostic));
            }
        }
        summary
    }

    pub fn findings(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// Whether the run fails (exit 1 for findings, 2 for failed inputs).
    pub fn run_failed(&self) -> bool {
        self.failing > 0 || self.failed_inputs > 0
    }

    /// The closing line of the `full` format, in Japanese.
    pub fn line_ja(&self) -> String {
        let mut line = if self.findings() == 0 {
            format!("{} ファイルを検査しました: 指摘はありません", self.files)
        } else {
            format!(
                "{} ファイルを検査しました: 指摘 {} 件（エラー {}・警告 {}・情報 {}）",
                self.files,
                self.findings(),
                self.errors,
                self.warnings,
                self.infos
            )
        };
        if self.fixed > 0 {
            line.push_str(&format!("、{} 件を修正しました", self.fixed));
        }
        if self.failed_inputs > 0 {
            line.push_str(&format!(
                "\n{} ファイルを検査できませんでした（エラーを参照）: 検査は失敗しました",
                self.failed_inputs
            ));
        }
        line
    }
}

/// Renders a run in `format`. `rules` is the rule set the files were linted with; SARIF
/// describes the rules behind its findings from it.
pub fn render(format: Format, run: &Run, rules: &RuleSet, options: &FullOptions) -> String {
    match format {
        Format::Full => full::render(run, options),
        Format::Concise => concise::render(run),
        Format::Json => json::render(run),
        Format::JsonLines => json_lines::render(run),
        Format::Sarif => sarif::render(run, rules),
        Format::Github => github::render(run),
        Format::Junit => junit::render(run),
        Format::Rdjson => rdjson::render(run),
    }
}

/// Counts per rule instead of findings (`--statistics`), or `None` when `format` has no
/// statistics form (see [`Format::has_statistics`]).
pub fn render_statistics(format: Format, files: &[LintedFile]) -> Option<String> {
    match format {
        Format::Full | Format::Concise => Some(statistics::render_text(files)),
        Format::Json => Some(statistics::render_json(files)),
        Format::JsonLines => Some(statistics::render_json_lines(files)),
        Format::Sarif | Format::Github | Format::Junit | Format::Rdjson => None,
    }
}
