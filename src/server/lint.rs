//! Linting a buffer through the CLI's own entry point ([`Session::path_linter`]), and the
//! findings as LSP diagnostics. Also what depends on the settings: rebuilding them when a
//! config or rule file changes, and showing a broken one on its own line.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crossbeam_channel::Sender;
use lsp_server::{Message, Notification};
use lsp_types::notification::{Notification as _, PublishDiagnostics, ShowMessage};
use lsp_types::{
    DiagnosticSeverity, MessageType, NumberOrString, PublishDiagnosticsParams, ShowMessageParams,
    Url,
};
use serde_json::json;

use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Edit, FixMode};
use crate::linter::{InputError, LintedFile};
use crate::rules::RuleError;
use crate::session::{Options, Session};

use super::documents::Snapshot;
use super::position::{Encoding, Lines};

/// What `source` says on every diagnostic.
pub const SOURCE: &str = "kintsugi-lint";

/// One lint of one version of a buffer.
pub struct Linted {
    pub version: i32,
    /// The buffer's text that was linted.
    pub text: Arc<String>,
    pub outcome: Outcome,
}

pub enum Outcome {
    File(LintedFile),
    /// The buffer cannot be linted as its format (an unreadable e-mail).
    Input(InputError),
    /// The config or a rule file that applies is broken.
    Config(String),
    /// Linting panicked (a bug): the message, already shown to the user.
    Panic(String),
}

impl Linted {
    /// The findings, when the buffer was linted; edits can be made from them only when the
    /// linted text is the buffer's own (not an e-mail's decoded view).
    pub fn file(&self) -> Option<&LintedFile> {
        match &self.outcome {
            Outcome::File(file) => Some(file),
            _ => None,
        }
    }

    pub fn editable_file(&self) -> Option<&LintedFile> {
        self.file()
            .filter(|file| file.text.as_str() == self.text.as_str())
    }
}

/// What the main loop and the workers share.
pub struct Shared {
    options: Options,
    pub encoding: Encoding,
    pub sender: Sender<Message>,
    /// Whether to push `publishDiagnostics` (a client that pulls can turn it off, so it
    /// does not show every finding twice).
    push: bool,
    session: Mutex<Session>,
    /// Built on the first hover: `rule ID` text needs the rules' examples, which linting
    /// never reads (they are much of the start-up parse).
    rule_docs: Mutex<Option<Session>>,
    cache: Mutex<HashMap<Url, Arc<Linted>>>,
    /// Config and rule files on which an error is shown, to clear once they are fixed.
    broken_files: Mutex<HashSet<Url>>,
    /// For the tests: lint panics on a buffer that contains this text.
    panic_on: Option<String>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic is caught around linting, outside these locks; a poisoned lock still holds
    // consistent data.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// `session` is one made with `options`, perhaps with settings already built.
    pub fn new(
        options: Options,
        session: Session,
        encoding: Encoding,
        sender: Sender<Message>,
        push: bool,
    ) -> Self {
        Shared {
            push,
            session: Mutex::new(session),
            options,
            encoding,
            sender,
            rule_docs: Mutex::new(None),
            cache: Mutex::new(HashMap::new()),
            broken_files: Mutex::new(HashSet::new()),
            panic_on: std::env::var("KINTSUGI_LINT_TEST_SERVER_PANIC").ok(),
        }
    }

    /// The latest lint of `doc`'s version, if done.
    pub fn cached(&self, doc: &Snapshot) -> Option<Arc<Linted>> {
        lock(&self.cache)
            .get(&doc.uri)
            .filter(|linted| linted.version == doc.version)
            .cloned()
    }

    /// The lint of `doc`'s version: cached, or done now.
    pub fn current(&self, doc: &Snapshot) -> Arc<Linted> {
        self.cached(doc).unwrap_or_else(|| self.lint(doc))
    }

    pub fn forget(&self, uri: &Url) {
        lock(&self.cache).remove(uri);
    }

    /// Lints `doc` and caches the result. A panic is caught, shown and becomes the outcome.
    pub fn lint(&self, doc: &Snapshot) -> Arc<Linted> {
        let outcome = match catch_unwind(AssertUnwindSafe(|| self.lint_unguarded(doc))) {
            Ok(outcome) => outcome,
            Err(payload) => {
                let message = format!(
                    "kintsugi-lint: 内部エラー（バグです）: {} の検査中に問題が起きました: {}。お手数ですが、文書とこのメッセージを添えて報告してください。",
                    doc.path.display(),
                    panic_text(&*payload)
                );
                self.show_message(MessageType::ERROR, &message);
                Outcome::Panic(message)
            }
        };
        let linted = Arc::new(Linted {
            version: doc.version,
            text: Arc::clone(&doc.text),
            outcome,
        });
        let mut cache = lock(&self.cache);
        let newer = cache
            .get(&doc.uri)
            .is_some_and(|cached| cached.version > doc.version);
        if !newer {
            cache.insert(doc.uri.clone(), Arc::clone(&linted));
        }
        linted
    }

    fn lint_unguarded(&self, doc: &Snapshot) -> Outcome {
        if let Some(marker) = &self.panic_on
            && doc.text.contains(marker.as_str())
        {
            panic!("KINTSUGI_LINT_TEST_SERVER_PANIC");
        }
        // The session is held only to look the settings up; linting runs without it, so
        // one long buffer does not hold the others up.
        let linter = lock(&self.session).path_linter(&doc.path);
        match linter {
            Ok(linter) => match linter.lint_text(&doc.path, &doc.text) {
                Ok(file) => Outcome::File(file),
                Err(err) => Outcome::Input(err),
            },
            Err(err) => {
                self.show_broken_file(&err);
                Outcome::Config(err.to_string())
            }
        }
    }

    /// Shows the error of the config or rule files that apply at `path`, if any.
    pub fn check_settings(&self, path: &Path) {
        let settings = lock(&self.session).path_linter(path);
        if let Err(err) = settings {
            self.show_broken_file(&err);
        }
    }

    /// The edits of every safe fix, as `--fix` would make them.
    pub fn fix_all(&self, doc: &Snapshot) -> Option<Vec<Edit>> {
        let linter = lock(&self.session).path_linter(&doc.path).ok()?;
        catch_unwind(AssertUnwindSafe(|| {
            linter.fix_text(&doc.path, &doc.text, FixMode::Safe).ok()
        }))
        .ok()
        .flatten()
    }

    /// The text `kintsugi-lint rule ID` prints, for the rules that apply at `path`.
    pub fn describe_rule(&self, path: &Path, id: &str) -> Option<String> {
        let mut docs = lock(&self.rule_docs);
        let session = docs.get_or_insert_with(|| {
            Session::new(Options {
                rule_examples: true,
                ..self.options.clone()
            })
        });
        let settings = session.settings_for(path).ok()?;
        settings.linter.rules().get(id).map(crate::rules::describe)
    }

    /// Rule ids and categories that apply at `path`, for completion.
    pub fn rule_names(&self, path: &Path) -> Vec<(String, String)> {
        let Ok(linter) = lock(&self.session).path_linter(path) else {
            return Vec::new();
        };
        let rules = linter.settings.linter.rules();
        let mut names: Vec<(String, String)> = rules
            .rules()
            .iter()
            .map(|rule| {
                (
                    rule.id.clone(),
                    crate::rules::template::for_reading(&rule.message),
                )
            })
            .collect();
        let mut categories: Vec<&str> = rules.rules().iter().map(|r| r.category.as_str()).collect();
        categories.sort_unstable();
        categories.dedup();
        names.extend(
            categories
                .into_iter()
                .map(|c| (c.to_owned(), "カテゴリ".to_owned())),
        );
        names
    }

    /// Forgets every setting and lint, after a config or rule file changed; clears the
    /// errors shown on such files (the next lint shows them again if they remain).
    pub fn reload(&self) {
        *lock(&self.session) = Session::new(self.options.clone());
        *lock(&self.rule_docs) = None;
        lock(&self.cache).clear();
        let broken: Vec<Url> = lock(&self.broken_files).drain().collect();
        for uri in broken {
            self.send_diagnostics(uri, None, Vec::new());
        }
    }

    /// Publishes the diagnostics of `linted` for `doc`.
    pub fn publish(&self, doc: &Snapshot, linted: &Linted) {
        if !self.push {
            return;
        }
        let diagnostics = self.diagnostics(linted);
        self.send_diagnostics(doc.uri.clone(), Some(linted.version), diagnostics);
    }

    pub fn send_diagnostics(
        &self,
        uri: Url,
        version: Option<i32>,
        diagnostics: Vec<lsp_types::Diagnostic>,
    ) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.notify(PublishDiagnostics::METHOD, params);
    }

    pub fn show_message(&self, typ: MessageType, message: &str) {
        let params = ShowMessageParams {
            typ,
            message: message.to_owned(),
        };
        self.notify(ShowMessage::METHOD, params);
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        // Fails only once the client is gone, when there is nobody to tell.
        let _ = self
            .sender
            .send(Notification::new(method.to_owned(), params).into());
    }

    /// The LSP diagnostics of one lint.
    pub fn diagnostics(&self, linted: &Linted) -> Vec<lsp_types::Diagnostic> {
        match &linted.outcome {
            Outcome::File(file) => {
                let lines = Lines::new(&file.text);
                file.diagnostics
                    .iter()
                    .map(|d| to_lsp(d, &lines, self.encoding))
                    .collect()
            }
            Outcome::Input(err) => vec![first_line(
                "input-error",
                DiagnosticSeverity::ERROR,
                format!("この文書を検査できません: {}", err.reason()),
            )],
            Outcome::Config(message) => vec![first_line(
                "config-error",
                DiagnosticSeverity::ERROR,
                format!("設定ファイルかルールファイルに誤りがあるため検査できません: {message}"),
            )],
            Outcome::Panic(message) => vec![first_line(
                "internal-error",
                DiagnosticSeverity::ERROR,
                message.clone(),
            )],
        }
    }

    /// Shows a broken config or rule file's error on that file, at its line.
    fn show_broken_file(&self, err: &RuleError) {
        let (path, line, column, message) = match err {
            RuleError::File(located) => {
                let message = match &located.help {
                    Some(help) => format!("{}\n{help}", located.message),
                    None => located.message.clone(),
                };
                (located.path.as_str(), located.line, located.column, message)
            }
            RuleError::Io { path, .. } | RuleError::ConfigIo { path, .. } => {
                (path.as_str(), 1, 1, err.to_string())
            }
            // Command-line names: there is no file to show them on.
            _ => return,
        };
        let path = std::path::absolute(path).unwrap_or_else(|_| path.into());
        let Ok(uri) = Url::from_file_path(&path) else {
            return;
        };
        let content = std::fs::read_to_string(&path).unwrap_or_default();
        let lines = Lines::new(&content);
        let start = char_offset(
            &content,
            lines.line_span(to_u32(line.saturating_sub(1))),
            column,
        );
        let position = lines.position(start, self.encoding);
        let diagnostic = lsp_types::Diagnostic {
            range: lsp_types::Range::new(position, position),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("config-error".to_owned())),
            source: Some(SOURCE.to_owned()),
            message,
            ..Default::default()
        };
        lock(&self.broken_files).insert(uri.clone());
        self.send_diagnostics(uri, None, vec![diagnostic]);
    }
}

/// The byte offset of 1-based character `column` in `line` of `text`.
fn char_offset(text: &str, line: std::ops::Range<usize>, column: usize) -> usize {
    text[line.clone()]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.end, |(at, _)| line.start + at)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// One finding as the client shows it: the message, then how to fix it and the first
/// rewrite (as the `full` report shows them), the rule id as the code. `data` names the
/// rule, so a client (or the hover) can show its documentation.
fn to_lsp(d: &Diagnostic, lines: &Lines, encoding: Encoding) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if !d.help.is_empty() {
        message.push('\n');
        message.push_str(&d.help);
    }
    if let Some(first) = d.suggestions.first() {
        message.push_str("\n書き換え案: ");
        message.push_str(&first.replacement);
    }
    lsp_types::Diagnostic {
        range: lines.range(&d.span, encoding),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule_id.clone())),
        source: Some(SOURCE.to_owned()),
        message,
        data: Some(json!({ "rule": d.rule_id, "category": d.category })),
        ..Default::default()
    }
}

/// A diagnostic about the whole buffer, on its first line.
fn first_line(code: &str, severity: DiagnosticSeverity, message: String) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: lsp_types::Range::default(),
        severity: Some(severity),
        code: Some(NumberOrString::String(code.to_owned())),
        source: Some(SOURCE.to_owned()),
        message,
        ..Default::default()
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "不明なパニック".to_owned())
}
