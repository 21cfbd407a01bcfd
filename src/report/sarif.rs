//! `sarif`: SARIF 2.1.0, the format GitHub code scanning (and most code-review tools) read.
//!
//! - One run; `tool.driver.rules` holds the rules that produced findings (so the output does
//!   not change when an unrelated rule is added), each with its message template, description,
//!   help, category and default level.
//! - Columns are UTF-16 code units (`columnKind` "utf16CodeUnits", SARIF's default and what
//!   GitHub uses); `endColumn` is exclusive, as SARIF defines it.
//! - `artifactLocation.uri` is the path as given, with forward slashes and percent-encoded
//!   so that spaces and Japanese file names make a valid URI reference.
//! - A finding's `level` says whether it fails the run: `error` at or above `--fail-on`, else
//!   `warning` (a warning) or `note` (info), so code scanning never disagrees with the exit
//!   code. `invocations` records whether the run succeeded, with a notification per input
//!   that could not be linted.
//! - Suggestions without a `{…}` slot become `fixes`. GitHub does not show `fixes`, so every
//!   suggestion is also written in the message (`書き換え案: …`), as in the `full` format.

use std::collections::HashMap;

use serde::Serialize;

use super::Run as RunReport;
use crate::diagnostic::{Diagnostic, Severity};
use crate::linter::LintedFile;
use crate::rules::{RuleSet, template};
use crate::source::LineIndex;

pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

/// An input that could not be linted.
#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<NotificationLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: ArtifactOnly,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactOnly {
    artifact_location: ArtifactLocation,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    /// From Cargo.toml's `homepage` or `repository`; left out while neither is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<RuleDescriptor<'a>>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text>,
    help: Text,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    category: &'a str,
    /// GitHub filters alerts by tag.
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix<'a> {
    description: Text,
    artifact_changes: Vec<ArtifactChange<'a>>,
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: &'static str,
}

#[derive(Serialize)]
struct ArtifactChange<'a> {
    #[serde(rename = "artifactLocation")]
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: InsertedContent<'a>,
}

#[derive(Serialize)]
struct InsertedContent<'a> {
    text: &'a str,
}

/// A rule's default level (by its severity).
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A finding's level: `error` when it fails the run, else by its severity.
fn result_level(fails: bool, severity: Severity) -> &'static str {
    match (fails, severity) {
        (true, _) => "error",
        (false, Severity::Error | Severity::Warning) => "warning",
        (false, Severity::Info) => "note",
    }
}

/// Characters kept as they are in a URI path segment (RFC 3986 `pchar` without `%` and `:`,
/// which could be read as an escape or a scheme).
fn keep_in_uri(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&byte)
}

/// A display path as a URI reference: forward slashes, each segment percent-encoded (UTF-8),
/// a leading `./` dropped; an absolute path becomes a `file://` URI.
pub fn path_to_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut rest = path.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped;
    }
    let (prefix, rest) = if let Some(abs) = rest.strip_prefix('/') {
        ("file:///", abs)
    } else if cfg!(windows)
        && rest.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && rest.get(1..3) == Some(":/")
    {
        // A Windows drive path (`C:/…`): the drive letter and its colon stay as they are.
        return format!("file:///{}{}", &rest[..2], encode_segments(&rest[2..]));
    } else {
        ("", rest)
    };
    format!("{prefix}{}", encode_segments(rest))
}

fn encode_segments(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte == b'/' || keep_in_uri(byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The message shown for a finding: the rule's message, then each suggested rewrite.
fn message_text(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    for suggestion in &d.suggestions {
        text.push_str(&format!("\n書き換え案: {}", suggestion.replacement));
    }
    text
}

fn region(file: &LintedFile, index: &LineIndex, d: &Diagnostic) -> Region {
    let start = index.position(&file.text, d.span.start);
    let end = index.position(&file.text, d.span.end);
    Region {
        start_line: start.line,
        start_column: index.utf16_column(&file.text, d.span.start),
        end_line: end.line,
        end_column: index.utf16_column(&file.text, d.span.end),
    }
}

/// The descriptor of the rule that produced `d`; from the rule set when it is there, else
/// from the finding itself.
fn descriptor<'a>(rules: &'a RuleSet, d: &'a Diagnostic) -> RuleDescriptor<'a> {
    let rule = rules.get(&d.rule_id);
    let short = rule.map_or_else(
        || d.rule_id.clone(),
        // Capture references (`$0`) have no value outside a finding.
        |rule| template::for_reading(&rule.message),
    );
    let full = rule
        .map(|rule| rule.description.trim())
        .filter(|text| !text.is_empty())
        .map(|text| Text {
            text: text.to_owned(),
        });
    let help = rule.map_or(d.help.clone(), |rule| template::for_reading(&rule.help));
    let category = rule.map_or(d.category.as_str(), |rule| rule.category.as_str());
    let severity = rule.map_or(d.severity, |rule| rule.severity);
    RuleDescriptor {
        id: &d.rule_id,
        name: &d.rule_id,
        short_description: Text { text: short },
        full_description: full,
        help: Text { text: help },
        default_configuration: Configuration {
            level: level(severity),
        },
        properties: RuleProperties {
            category,
            tags: vec![category],
        },
    }
}

fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|uri| !uri.is_empty())
}

pub fn render(run: &RunReport, rules: &RuleSet) -> String {
    let mut descriptors = Vec::new();
    let mut rule_index: HashMap<&str, usize> = HashMap::new();
    let mut results = Vec::new();
    for (i, file) in run.indexed() {
        let index = LineIndex::new(&file.text);
        let artifact = ArtifactLocation {
            uri: path_to_uri(&file.path),
        };
        for d in &file.diagnostics {
            let rule_index = *rule_index.entry(&d.rule_id).or_insert_with(|| {
                descriptors.push(descriptor(rules, d));
                descriptors.len() - 1
            });
            let region = region(file, &index, d);
            let fixes = d
                .suggestions
                .iter()
                .filter(|s| !s.has_placeholder())
                .map(|s| Fix {
                    description: Text {
                        text: format!("書き換え: {}", s.replacement),
                    },
                    artifact_changes: vec![ArtifactChange {
                        artifact_location: artifact.clone(),
                        replacements: vec![Replacement {
                            deleted_region: region,
                            inserted_content: InsertedContent {
                                text: &s.replacement,
                            },
                        }],
                    }],
                    properties: FixProperties {
                        applicability: s.applicability.as_str(),
                    },
                })
                .collect();
            results.push(SarifResult {
                rule_id: &d.rule_id,
                rule_index,
                level: result_level(run.fails(i, d), d.severity),
                message: Text {
                    text: message_text(d),
                },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact.clone(),
                        region,
                    },
                }],
                fixes,
            });
        }
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules: descriptors,
                },
            },
            invocations: vec![Invocation {
                execution_successful: run.failed.is_empty(),
                tool_execution_notifications: run
                    .failed
                    .iter()
                    .map(|failure| Notification {
                        level: "error",
                        message: Text {
                            text: failure.message.clone(),
                        },
                        locations: vec![NotificationLocation {
                            physical_location: ArtifactOnly {
                                artifact_location: ArtifactLocation {
                                    uri: path_to_uri(&failure.path),
                                },
                            },
                        }],
                    })
                    .collect(),
            }],
            results,
            column_kind: "utf16CodeUnits",
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            path_to_uri("fixtures/bad/apology-letter.txt"),
            "fixtures/bad/apology-letter.txt"
        );
        assert_eq!(
            path_to_uri("./notices\\お詫び 1.txt"),
            "notices/%E3%81%8A%E8%A9%AB%E3%81%B3%201.txt"
        );
        assert_eq!(path_to_uri("a:b/100%#1.txt"), "a%3Ab/100%25%231.txt");
        assert_eq!(path_to_uri("/srv/n.txt"), "file:///srv/n.txt");
        assert_eq!(path_to_uri("<stdin>"), "%3Cstdin%3E");
        if cfg!(windows) {
            assert_eq!(path_to_uri("C:\\n\\x.txt"), "file:///C:/n/x.txt");
        }
    }
}
