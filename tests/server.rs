//! `kintsugi-lint server` driven as an editor drives it: the real binary over stdio, with a
//! small JSON-RPC client. No assertion on time: waits have a generous ceiling only so that a
//! broken server fails the test instead of hanging it.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Far longer than any lint takes: reached only when the server is broken.
const CEILING: Duration = Duration::from_secs(120);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications and requests from the server not yet looked at.
    seen: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(env: &[(&str, &str)]) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kintsugi-lint"));
        command
            .arg("server")
            .env("KINTSUGI_LINT_LANG", "ja")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the server starts");
        let stdout = child.stdout.take().expect("piped");
        let (send, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            incoming,
            seen: Vec::new(),
            next_id: 1,
        }
    }

    /// Starts a server and initializes it with `capabilities`.
    fn initialized(capabilities: Value) -> (Client, Value) {
        let mut client = Client::start(&[]);
        let result = client.initialize(capabilities);
        (client, result)
    }

    fn initialize(&mut self, capabilities: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("server reads");
        stdin.flush().expect("server reads");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(|m| m.get("method").is_none() && m["id"] == json!(id))
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The first message (seen before or arriving) that `wanted` accepts.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.seen.iter().position(&wanted) {
            return self.seen.remove(at);
        }
        let deadline = Instant::now() + CEILING;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.seen.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("no such message; seen: {:#?}", self.seen),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output; seen: {:#?}", self.seen)
                }
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        message["params"]["diagnostics"]
            .as_array()
            .expect("a list")
            .clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "plaintext", "version": 1, "text": text,
            }}),
        );
    }

    /// `shutdown` then `exit`; the exit status.
    fn shut_down(mut self) -> std::process::ExitStatus {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.wait_for_exit()
    }

    fn wait_for_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + CEILING;
        loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn with_rule<'a>(diagnostics: &'a [Value], rule: &str) -> Vec<&'a Value> {
    diagnostics.iter().filter(|d| d["code"] == rule).collect()
}

/// `text` with LSP `edits` (on one document, not overlapping) applied; positions in UTF-16.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| -> usize {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (at, c) in text[start..].char_indices() {
            if units >= character || c == '\n' {
                return start + at;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let new = e["newText"].as_str().expect("a text edit").to_owned();
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                new,
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

/// The text edits of a code action's workspace edit, whichever form it has.
fn edits_of(action: &Value) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(changes) = edit["documentChanges"].as_array() {
        return changes[0]["edits"].as_array().unwrap().clone();
    }
    let changes = edit["changes"].as_object().expect("changes");
    changes.values().next().unwrap().as_array().unwrap().clone()
}

fn code_actions(
    client: &mut Client,
    uri: &str,
    diagnostic: &Value,
    only: Option<&str>,
) -> Vec<Value> {
    let mut context = json!({ "diagnostics": [diagnostic] });
    if let Some(kind) = only {
        context["only"] = json!([kind]);
    }
    let result = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": diagnostic["range"],
            "context": context,
        }),
    );
    result.as_array().expect("a list").clone()
}

const DRAFT: &str =
    "😀お送りいただいた資料を拝見させていただきました。\n担当者が多忙で確認が遅れました。\n";

/// The scripted session of the issue: UTF-16, an emoji before a finding, the quick fix for
/// 拝見させていただきました, a hover, a change, shutdown.
#[test]
fn an_editor_session_from_open_to_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.txt");
    std::fs::write(&path, DRAFT).unwrap();
    let uri = uri_of(&path);
    let (mut client, init) = Client::initialized(json!({
        "general": { "positionEncodings": ["utf-16"] },
        "workspace": { "workspaceEdit": { "documentChanges": true } },
    }));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    client.open(&uri, DRAFT);
    let diagnostics = client.diagnostics(&uri, 1);
    insta::assert_json_snapshot!("draft_diagnostics", diagnostics);

    // The emoji is two UTF-16 units: お is at 2, and the finding after 11 more characters.
    let haiken = with_rule(&diagnostics, "haiken-sasete-itadaku")[0].clone();
    assert_eq!(
        haiken["range"]["start"],
        json!({ "line": 0, "character": 13 })
    );
    assert_eq!(haiken["source"], "kintsugi-lint");

    let actions = code_actions(&mut client, &uri, &haiken, None);
    let fix = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("「拝見し」"))
        .expect("a quick fix to 拝見し");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(
        fix["edit"]["documentChanges"][0]["textDocument"]["version"],
        1
    );
    let fixed = apply(DRAFT, &edits_of(fix));
    assert!(
        fixed.starts_with("😀お送りいただいた資料を拝見しました。\n"),
        "{fixed}"
    );

    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": haiken["range"]["start"] }),
    );
    let rule = common::binary()
        .args(["rule", "haiken-sasete-itadaku"])
        .output()
        .unwrap();
    assert_eq!(
        hover["contents"]["value"].as_str().unwrap(),
        String::from_utf8(rule.stdout).unwrap()
    );

    // The change the quick fix makes, sent as an incremental edit.
    let edit = &edits_of(fix)[0];
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": edit["range"], "text": edit["newText"] }],
        }),
    );
    let after = client.diagnostics(&uri, 2);
    assert!(
        with_rule(&after, "haiken-sasete-itadaku").is_empty(),
        "{after:#?}"
    );
    assert_eq!(with_rule(&after, "busyness-as-excuse").len(), 1);

    let status = client.shut_down();
    assert!(status.success(), "{status:?}");
}

/// The findings for a buffer are the CLI's for the same text and path: rule, line and
/// column (UTF-32 positions count characters, as the CLI's columns do).
#[test]
fn a_buffer_gets_the_findings_the_cli_reports_for_its_file() {
    let path = std::fs::canonicalize("fixtures/bad/apology-letter.txt").unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let (mut client, init) =
        Client::initialized(json!({ "general": { "positionEncodings": ["utf-32", "utf-16"] } }));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-32");
    let uri = uri_of(&path);
    client.open(&uri, &text);
    let from_server: Vec<(String, u64, u64, u64, u64)> = client
        .diagnostics(&uri, 1)
        .iter()
        .map(|d| {
            let at = |end: &str, field: &str| d["range"][end][field].as_u64().unwrap() + 1;
            let code = d["code"].as_str().unwrap().to_owned();
            (
                code,
                at("start", "line"),
                at("start", "character"),
                at("end", "line"),
                at("end", "character"),
            )
        })
        .collect();
    let report = common::json_of(common::binary().args(["--format", "json"]).arg(&path));
    let from_cli: Vec<(String, u64, u64, u64, u64)> = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let n = |field: &str| f[field].as_u64().unwrap();
            let rule = f["rule"].as_str().unwrap().to_owned();
            (rule, n("line"), n("column"), n("end_line"), n("end_column"))
        })
        .collect();
    assert!(!from_cli.is_empty());
    assert_eq!(from_server, from_cli);
}

#[test]
fn utf8_positions_count_bytes() {
    let (mut client, init) =
        Client::initialized(json!({ "general": { "positionEncodings": ["utf-8"] } }));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let uri = "untitled:Untitled-1";
    client.open(uri, DRAFT);
    let diagnostics = client.diagnostics(uri, 1);
    let haiken = with_rule(&diagnostics, "haiken-sasete-itadaku")[0];
    let start = DRAFT.find("拝見").unwrap();
    assert_eq!(haiken["range"]["start"]["character"], json!(start));
}

/// "この行では無視する" writes the suppression comment the CLI reads: after it, the CLI no
/// longer reports the finding.
#[test]
fn the_ignore_action_inserts_a_comment_the_cli_honours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.txt");
    let uri = uri_of(&path);
    let (mut client, _) = Client::initialized(json!({}));
    client.open(&uri, DRAFT);
    let diagnostics = client.diagnostics(&uri, 1);
    let busy = with_rule(&diagnostics, "busyness-as-excuse")[0].clone();
    let actions = code_actions(&mut client, &uri, &busy, Some("quickfix"));
    let ignore = ignore_action(&actions);
    let ignored = apply(DRAFT, &edits_of(ignore));
    assert!(ignored.contains("# kintsugi-lint-disable-next-line busyness-as-excuse\n担当者が"));
    std::fs::write(&path, &ignored).unwrap();
    let report = common::json_of(common::binary().args(["--format", "json"]).arg(&path));
    let rules: Vec<&str> = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"busyness-as-excuse"), "{rules:?}");
    assert!(rules.contains(&"haiken-sasete-itadaku"));

    // In Markdown the comment is an HTML comment.
    let md = "untitled:notes.md";
    client.open(md, DRAFT);
    let busy = with_rule(&client.diagnostics(md, 1), "busyness-as-excuse")[0].clone();
    let actions = code_actions(&mut client, md, &busy, Some("quickfix"));
    let ignore = ignore_action(&actions);
    assert_eq!(
        edits_of(ignore)[0]["newText"],
        "<!-- kintsugi-lint-disable-next-line busyness-as-excuse -->\n"
    );
}

/// A suggestion with a {…} slot is a snippet for a client that takes snippets, and is not
/// offered at all to one that does not: its braces never land in the letter.
#[test]
fn slot_suggestions_are_snippets_or_nothing() {
    let uri = "untitled:draft";
    let busy_actions = |capabilities: Value| {
        let (mut client, _) = Client::initialized(capabilities);
        client.open(uri, DRAFT);
        let busy = with_rule(&client.diagnostics(uri, 1), "busyness-as-excuse")[0].clone();
        code_actions(&mut client, uri, &busy, Some("quickfix"))
    };
    let plain = busy_actions(json!({}));
    for action in &plain {
        for edit in edits_of(action) {
            assert!(!edit["newText"].as_str().unwrap().contains('{'), "{action}");
        }
    }
    let snippets = busy_actions(json!({ "workspace": { "workspaceEdit": {
        "documentChanges": true, "snippetEditSupport": true,
    }}}));
    let snippet = snippets
        .iter()
        .flat_map(edits_of)
        .find_map(|e| e["snippet"]["value"].as_str().map(str::to_owned))
        .expect("a snippet edit");
    assert!(snippet.contains("${1:"), "{snippet}");
}

/// `source.fixAll.kintsugi` makes the edits `--fix` makes.
#[test]
fn fix_all_matches_the_cli_fix() {
    let uri = "untitled:letter.txt";
    let text = "拝見させていただきました。ご確認させていただきます。\n";
    let (mut client, _) = Client::initialized(json!({}));
    client.open(uri, text);
    let first = client.diagnostics(uri, 1)[0].clone();
    let actions = code_actions(&mut client, uri, &first, Some("source.fixAll"));
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let fixed = apply(text, &edits_of(&actions[0]));
    let cli = common::binary()
        .args(["--fix", "--stdin-filename", "letter.txt", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_ne!(fixed, text);
    assert_eq!(fixed, String::from_utf8(cli.stdout).unwrap());
}

/// Editing kintsugi.toml takes effect without a restart; a broken one is shown on its own
/// line and the server goes on.
#[test]
fn config_changes_relint_and_a_broken_config_is_shown_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let dir_path = std::fs::canonicalize(dir.path()).unwrap();
    let path = dir_path.join("draft.txt");
    let config = dir_path.join("kintsugi.toml");
    let uri = uri_of(&path);
    let (mut client, _) = Client::initialized(json!({}));
    client.open(&uri, DRAFT);
    assert_eq!(
        with_rule(&client.diagnostics(&uri, 1), "haiken-sasete-itadaku").len(),
        1
    );

    std::fs::write(&config, "ignore = [\"haiken-sasete-itadaku\"]\n").unwrap();
    let changed = json!({ "changes": [{ "uri": uri_of(&config), "type": 1 }] });
    client.notify("workspace/didChangeWatchedFiles", changed.clone());
    let after = client.diagnostics(&uri, 1);
    assert!(
        with_rule(&after, "haiken-sasete-itadaku").is_empty(),
        "{after:#?}"
    );
    assert_eq!(with_rule(&after, "busyness-as-excuse").len(), 1);

    std::fs::write(&config, "# a typo on line 2\nignroe = [\"x\"]\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed);
    let on_config = client.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri_of(&config)
    });
    let shown = &on_config["params"]["diagnostics"][0];
    assert_eq!(shown["range"]["start"]["line"], 1, "{shown}");
    let on_draft = client.diagnostics(&uri, 1);
    assert_eq!(on_draft[0]["code"], "config-error");

    // Still serving.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(hover, Value::Null);
    assert!(client.shut_down().success());
}

/// Pulled diagnostics are the pushed ones.
#[test]
fn diagnostics_can_be_pulled() {
    let uri = "untitled:draft";
    let (mut client, init) = Client::initialized(json!({}));
    assert!(init["capabilities"]["diagnosticProvider"].is_object());
    client.open(uri, DRAFT);
    let pushed = client.diagnostics(uri, 1);
    let pulled = client.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(pulled["kind"], "full");
    assert_eq!(pulled["items"], json!(pushed));
}

/// A panic while linting one buffer is shown, and the server goes on with the others.
#[test]
fn a_panic_while_linting_is_reported_and_the_server_survives() {
    let mut client = Client::start(&[("KINTSUGI_LINT_TEST_SERVER_PANIC", "PANIC-HERE")]);
    client.initialize(json!({}));
    client.open("untitled:bad", "PANIC-HERE");
    let shown = client.wait(|m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("内部エラー")
    );
    client.open("untitled:good", DRAFT);
    assert!(!client.diagnostics("untitled:good", 1).is_empty());
    assert!(client.shut_down().success());
}

#[test]
fn completion_offers_rule_ids_in_a_suppression_comment() {
    let uri = "untitled:draft";
    let text = "# kintsugi-lint-disable-next-line haiken\n";
    let (mut client, _) = Client::initialized(json!({}));
    client.open(uri, text);
    let items = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 40 } }),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"haiken-sasete-itadaku"));
    assert!(labels.contains(&"keigo-misuse"));
}

/// The server ends when its client goes away without a word (stdin closed).
#[test]
fn the_server_exits_when_stdin_closes() {
    let (mut client, _) = Client::initialized(json!({}));
    client.stdin = None;
    let status = client.wait_for_exit();
    assert_eq!(status.code(), Some(1));
}

/// A burst of edits ends in the diagnostics of the last text, whatever was linted between.
#[test]
fn a_burst_of_changes_ends_in_the_diagnostics_of_the_last_text() {
    let uri = "untitled:draft";
    let (mut client, _) = Client::initialized(json!({}));
    client.open(uri, "");
    assert!(client.diagnostics(uri, 1).is_empty());
    // Types 拝見させていただきました one character at a time, at the end of the text.
    let typed = "拝見させていただきました。";
    for (n, c) in typed.chars().enumerate() {
        let at = json!({ "line": 0, "character": n });
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": n + 2 },
                "contentChanges": [{ "range": { "start": at, "end": at }, "text": c.to_string() }],
            }),
        );
    }
    let last = typed.chars().count() as i64 + 1;
    let diagnostics = client.diagnostics(uri, last);
    assert_eq!(
        with_rule(&diagnostics, "haiken-sasete-itadaku").len(),
        1,
        "{diagnostics:#?}"
    );
}

/// Opening a broken kintsugi.toml shows its error on it, at its line.
#[test]
fn an_open_broken_config_shows_its_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = std::fs::canonicalize(dir.path())
        .unwrap()
        .join("kintsugi.toml");
    let text = "select = [\"keigo-misuse\"]\nignore = [\"no-such-rule\"]\n";
    std::fs::write(&config, text).unwrap();
    let uri = uri_of(&config);
    let (mut client, _) = Client::initialized(json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "toml", "version": 1, "text": text }}),
    );
    let shown = client
        .wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
    let diagnostic = &shown["params"]["diagnostics"][0];
    assert_eq!(diagnostic["range"]["start"]["line"], 1, "{diagnostic}");
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("no-such-rule"),
        "{diagnostic}"
    );
    assert!(client.shut_down().success());
}

/// The "この行では無視する" action among `actions`.
fn ignore_action(actions: &[Value]) -> &Value {
    actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("この行では無視する")
        })
        .expect("an ignore action")
}
