//! Rendering lint results for people and machines. Renderers return strings; the binary
//! decides where they go.

mod concise;
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

/// Counts over all linted files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(files: &[LintedFile]) -> Self {
        let mut summary = Summary {
            files: files.len(),
            ..Summary::default()
        };
        for diagnostic in files.iter().flat_map(|f| &f.diagnostics) {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }

    pub fn findings(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// The closing line of the `full` format, in Japanese.
    pub fn line_ja(&self) -> String {
        if self.findings() == 0 {
            return format!("{} ファイルを検査しました: 指摘はありません", self.files);
        }
        format!(
            "{} ファイルを検査しました: 指摘 {} 件（エラー {}・警告 {}・情報 {}）",
            self.files,
            self.findings(),
            self.errors,
            self.warnings,
            self.infos
        )
    }
}

/// Renders all results in `format`. `rules` is the rule set the files were linted with; SARIF
/// describes the rules behind its findings from it.
pub fn render(
    format: Format,
    files: &[LintedFile],
    rules: &RuleSet,
    options: &FullOptions,
) -> String {
    match format {
        Format::Full => full::render(files, options),
        Format::Concise => concise::render(files),
        Format::Json => json::render(files),
        Format::JsonLines => json_lines::render(files),
        Format::Sarif => sarif::render(files, rules),
        Format::Github => github::render(files),
        Format::Junit => junit::render(files),
        Format::Rdjson => rdjson::render(files),
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
