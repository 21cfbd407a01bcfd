//! `kintsugi-lint server`: a language server over stdio.
//!
//! Built on `lsp-server` + `lsp-types` (as ruff's server is): a synchronous message loop on
//! crossbeam channels, no async runtime. Linting is CPU work on a text already in memory;
//! an async runtime would add a large dependency and nothing to wait on. The main loop
//! keeps the open buffers and answers requests; linting for diagnostics runs on worker
//! threads ([`worker`]), debounced while typing.
//!
//! Every finding comes from the CLI's own entry point ([`crate::session::Session`]), so a
//! buffer gets the same findings as `kintsugi-lint FILE` for the same text and path.

mod actions;
mod documents;
mod hover;
mod lint;
mod position;
mod worker;

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionParams, CompletionParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    DocumentDiagnosticParams, HoverParams, InitializeParams, MessageType,
};
use serde_json::{Value, json};

use crate::session::{Options, Session};

use actions::Support;
use documents::{Documents, Snapshot, is_settings_file};
use lint::Shared;
use position::Encoding;
use worker::Queue;

/// Runs the server until the client says `exit` or closes stdin. `Ok(true)` when it had
/// asked for `shutdown` first (exit code 0, as the protocol asks), `Ok(false)` otherwise.
pub fn run(options: Options) -> Result<bool, String> {
    keep_running_on_panic();
    let warm = warm_up(options.clone());
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let raw_capabilities = params.get("capabilities").cloned().unwrap_or_default();
    let init: InitializeParams = serde_json::from_value(params)
        .map_err(|e| format!("initialize の引数を読めません: {e}"))?;
    let encoding = Encoding::negotiate(&init.capabilities);
    let push = init
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("pushDiagnostics"))
        .and_then(Value::as_bool)
        .unwrap_or(true);
    connection
        .initialize_finish(id, initialize_result(encoding))
        .map_err(|e| e.to_string())?;
    if let Some(pid) = init.process_id {
        exit_with_parent(pid);
    }
    let session = warm
        .join()
        .unwrap_or_else(|_| Session::new(options.clone()));
    let shared = Arc::new(Shared::new(
        options,
        session,
        encoding,
        connection.sender.clone(),
        push,
    ));
    let queue = Arc::new(Queue::default());
    let workers = worker::spawn(&queue, &shared);
    let mut server = Server {
        shared,
        queue: Arc::clone(&queue),
        documents: Documents::default(),
        support: Support::of(&init.capabilities, &raw_capabilities),
        watch: init
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false),
        shutdown: false,
    };
    let clean = server.serve(&connection);
    queue.close();
    for worker in workers {
        let _ = worker.join();
    }
    // Every sender must be gone for the writer thread to finish.
    drop(server);
    drop(connection);
    let _ = io_threads.join();
    Ok(clean)
}

/// Builds the settings of the current directory (the workspace, as editors start servers)
/// and everything a first lint needs, while the client and the server shake hands: the
/// first diagnostics after `didOpen` then wait for no rule parsing.
fn warm_up(options: Options) -> std::thread::JoinHandle<Session> {
    std::thread::spawn(move || {
        let mut session = Session::new(options);
        if let Ok(linter) = session.path_linter(Path::new("./untitled")) {
            linter.settings.linter.prepare();
        }
        session
    })
}

/// The default panic hook (see `main.rs`) ends the process; in the server a panic while
/// linting one buffer is caught and shown instead, so the hook only logs it.
fn keep_running_on_panic() {
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(
            std::io::stderr().lock(),
            "kintsugi-lint server: 内部エラー（バグです）: {info}"
        );
    }));
}

/// Exits when the client's process is gone, even if it never closed our stdin.
fn exit_with_parent(pid: u32) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(2));
            // SAFETY: signal 0 only checks that the process exists; nothing is sent.
            let alive = unsafe { libc::kill(pid, 0) } == 0
                || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH);
            if !alive {
                std::process::exit(1);
            }
        }
    });
}

fn initialize_result(encoding: Encoding) -> Value {
    json!({
        "capabilities": {
            "positionEncoding": encoding.kind(),
            // Incremental sync: a keystroke sends one character, not the whole letter.
            "textDocumentSync": { "openClose": true, "change": 2, "save": { "includeText": false } },
            "diagnosticProvider": {
                "identifier": "kintsugi-lint",
                "interFileDependencies": false,
                "workspaceDiagnostics": false,
            },
            "codeActionProvider": { "codeActionKinds": ["quickfix", actions::FIX_ALL] },
            "hoverProvider": true,
            "completionProvider": { "triggerCharacters": [" ", ",", "\"", "-"] },
        },
        "serverInfo": { "name": "kintsugi-lint", "version": env!("CARGO_PKG_VERSION") },
    })
}

struct Server {
    shared: Arc<Shared>,
    queue: Arc<Queue>,
    documents: Documents,
    support: Support,
    /// Whether to ask the client to watch config and rule files.
    watch: bool,
    shutdown: bool,
}

impl Server {
    fn serve(&mut self, connection: &Connection) -> bool {
        for message in &connection.receiver {
            match message {
                Message::Request(request) => self.request(request),
                Message::Notification(n) if n.method == "exit" => return self.shutdown,
                Message::Notification(n) => self.notification(n),
                // Answers to our registration request: nothing to do either way.
                Message::Response(_) => {}
            }
        }
        // stdin closed: the client is gone.
        self.shutdown
    }

    fn send(&self, message: impl Into<Message>) {
        let _ = self.shared.sender.send(message.into());
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shutdown {
            self.send(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "サーバーは終了処理中です".to_owned(),
            ));
            return;
        }
        if request.method == "shutdown" {
            self.shutdown = true;
            self.send(Response::new_ok(id, ()));
            return;
        }
        let answered = catch_unwind(AssertUnwindSafe(|| self.answer(request)));
        match answered {
            Ok(Some(response)) => self.send(response),
            // Answered later by a worker (a pull waiting for its lint).
            Ok(None) => {}
            Err(_) => {
                self.shared.show_message(
                    MessageType::ERROR,
                    "kintsugi-lint: 内部エラー（バグです）が起きました。お手数ですが報告してください。",
                );
                self.send(Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    "内部エラー".to_owned(),
                ));
            }
        }
    }

    fn answer(&mut self, request: Request) -> Option<Response> {
        let id = request.id.clone();
        let invalid = || {
            Some(Response::new_err(
                request.id.clone(),
                ErrorCode::InvalidParams as i32,
                format!("{} の引数を読めません", request.method),
            ))
        };
        let params = request.params.clone();
        let result = match request.method.as_str() {
            "textDocument/diagnostic" => match parse::<DocumentDiagnosticParams>(params) {
                Some(params) => return self.pull(id, params),
                None => return invalid(),
            },
            "textDocument/codeAction" => match parse(params) {
                Some(params) => self.code_action(params),
                None => return invalid(),
            },
            "textDocument/hover" => match parse(params) {
                Some(params) => self.hover(params),
                None => return invalid(),
            },
            "textDocument/completion" => match parse(params) {
                Some(params) => self.completion(params),
                None => return invalid(),
            },
            _ => {
                return Some(Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("{} には対応していません", request.method),
                ));
            }
        };
        Some(Response::new_ok(id, result))
    }

    fn notification(&mut self, n: Notification) {
        let handled = catch_unwind(AssertUnwindSafe(|| self.notified(n)));
        if handled.is_err() {
            self.shared.show_message(
                MessageType::ERROR,
                "kintsugi-lint: 内部エラー（バグです）が起きました。お手数ですが報告してください。",
            );
        }
    }

    fn notified(&mut self, n: Notification) -> Option<()> {
        match n.method.as_str() {
            "initialized" => self.register_watchers(),
            "textDocument/didOpen" => self.did_open(parse(n.params)?),
            "textDocument/didChange" => self.did_change(parse(n.params)?),
            "textDocument/didClose" => self.did_close(parse(n.params)?),
            "textDocument/didSave" => {
                let params: DidSaveTextDocumentParams = parse(n.params)?;
                if is_settings_file(&documents::file_path(&params.text_document.uri)) {
                    self.reload();
                }
            }
            "workspace/didChangeWatchedFiles" => {
                let params: DidChangeWatchedFilesParams = parse(n.params)?;
                if params
                    .changes
                    .iter()
                    .any(|c| is_settings_file(&documents::file_path(&c.uri)))
                {
                    self.reload();
                }
            }
            "$/cancelRequest" => {
                let id: RequestId = serde_json::from_value(n.params.get("id")?.clone()).ok()?;
                if self.queue.cancel(&id) {
                    self.send(worker::cancelled(id));
                }
            }
            _ => {}
        }
        Some(())
    }

    /// Asks the client to tell us when a config or rule file changes on disk.
    fn register_watchers(&self) {
        if !self.watch {
            return;
        }
        let watchers: Vec<Value> = ["**/kintsugi.toml", "**/.kintsugi.toml", "**/*.toml"]
            .iter()
            .map(|glob| json!({ "globPattern": glob }))
            .collect();
        let params = json!({ "registrations": [{
            "id": "kintsugi-lint-settings",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": { "watchers": watchers },
        }]});
        self.send(Request::new(
            RequestId::from("kintsugi-lint-watch".to_owned()),
            "client/registerCapability".to_owned(),
            params,
        ));
    }

    fn did_open(&mut self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let doc = self
            .documents
            .open(item.uri, item.version, item.text, &item.language_id);
        if is_settings_file(&doc.path) {
            // A config or rule file is not a letter; its own errors are what to show.
            self.shared.check_settings(&doc.path);
        } else {
            self.queue.schedule(doc, Duration::ZERO);
        }
    }

    fn did_change(&mut self, params: DidChangeTextDocumentParams) {
        let encoding = self.shared.encoding;
        let doc = self.documents.update(
            &params.text_document.uri,
            params.text_document.version,
            |text| {
                for change in params.content_changes {
                    position::apply_change(text, change, encoding);
                }
            },
        );
        if let Some(doc) = doc.filter(|doc| !is_settings_file(&doc.path)) {
            self.queue.schedule(doc, worker::DEBOUNCE);
        }
    }

    fn did_close(&mut self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.documents.close(&uri);
        for id in self.queue.remove(&uri) {
            self.send(worker::cancelled(id));
        }
        self.shared.forget(&uri);
        // A broken config file keeps its error shown until it is fixed, open or not.
        if !is_settings_file(&documents::file_path(&uri)) {
            self.shared.send_diagnostics(uri, None, Vec::new());
        }
    }

    /// A config or rule file changed: new settings, and every open buffer linted again.
    fn reload(&mut self) {
        self.shared.reload();
        let open: Vec<Snapshot> = self.documents.all().cloned().collect();
        for doc in open {
            if is_settings_file(&doc.path) {
                self.shared.check_settings(&doc.path);
            } else {
                self.queue.schedule(doc, Duration::ZERO);
            }
        }
    }

    fn pull(&mut self, id: RequestId, params: DocumentDiagnosticParams) -> Option<Response> {
        let doc = self.documents.get(&params.text_document.uri).cloned();
        // A config or rule file is not linted as a letter (its errors are pushed).
        let Some(doc) = doc.filter(|doc| !is_settings_file(&doc.path)) else {
            return Some(Response::new_ok(id, json!({ "kind": "full", "items": [] })));
        };
        match self.shared.cached(&doc) {
            Some(linted) => worker::answer_pull(&self.shared, id, &linted),
            None => self.queue.pull(doc, id),
        }
        None
    }

    fn code_action(&self, params: CodeActionParams) -> Value {
        let doc = self.documents.get(&params.text_document.uri);
        let Some(doc) = doc.filter(|doc| !is_settings_file(&doc.path)) else {
            return json!([]);
        };
        let linted = self.shared.current(doc);
        let actions = actions::code_actions(
            doc,
            &linted,
            &params,
            self.shared.encoding,
            self.support,
            || self.shared.fix_all(doc),
        );
        Value::Array(actions)
    }

    fn hover(&self, params: HoverParams) -> Value {
        let at = params.text_document_position_params;
        let doc = self.documents.get(&at.text_document.uri);
        let Some(doc) = doc.filter(|doc| !is_settings_file(&doc.path)) else {
            return Value::Null;
        };
        let linted = self.shared.current(doc);
        serde_json::to_value(hover::hover(&self.shared, doc, &linted, at.position))
            .unwrap_or(Value::Null)
    }

    fn completion(&self, params: CompletionParams) -> Value {
        let at = params.text_document_position;
        let Some(doc) = self.documents.get(&at.text_document.uri) else {
            return Value::Null;
        };
        serde_json::to_value(hover::completion(&self.shared, doc, at.position))
            .unwrap_or(Value::Null)
    }
}

/// The parameters of a message; `None` (the message is ignored) when they do not parse.
fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Option<T> {
    serde_json::from_value(params).ok()
}
