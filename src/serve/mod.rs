//! `kintsugi-lint serve`: a private page on the writer's own machine to check and finish a
//! draft. The draft never leaves the machine: the server listens on 127.0.0.1 unless told
//! otherwise, answers only to its own address, and has no endpoint that touches files.

pub mod api;
pub mod http;
pub mod page;

use std::path::Path;
use std::sync::Arc;

use tiny_http::{Method, Request, Server};

use crate::session::Settings;
use http::Refusal;

/// What the command line asked of the server.
pub struct ServeOptions {
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    /// The kind of every draft unless the page picks another (`--kind`).
    pub kind: Option<String>,
}

/// A bound server, not yet answering.
pub struct Bound {
    server: Server,
    /// The `host:port` names requests may come under.
    own: Vec<String>,
    pub url: String,
}

/// Binds the address; an error is a Japanese sentence for the user.
pub fn bind(options: &ServeOptions) -> Result<Bound, String> {
    let address = if options.host.contains(':') {
        format!("[{}]:{}", options.host, options.port)
    } else {
        format!("{}:{}", options.host, options.port)
    };
    let server = Server::http(&address).map_err(|err| {
        format!(
            "{address} で待ち受けられません: {err}（--port で別の番号を指定してください。0 は空いている番号を使います）"
        )
    })?;
    let port = server
        .server_addr()
        .to_ip()
        .map_or(options.port, |a| a.port());
    let own = http::own_hosts(&options.host, port);
    let url = format!("http://{}/", own[0]);
    Ok(Bound { server, own, url })
}

/// Answers requests until the process is stopped.
pub fn run(bound: Bound, settings: Arc<Settings>, kind: Option<String>) {
    // The first lint builds the rules' lazy parts; doing it now keeps it off the first
    // keystroke.
    settings.linter.prepare();
    for request in bound.server.incoming_requests() {
        handle(request, &bound.own, &settings, kind.as_deref());
    }
}

fn handle(mut request: Request, own: &[String], settings: &Settings, kind: Option<&str>) {
    if let Err(refusal) = http::check_origin(&request, own) {
        return http::send_refusal(request, &refusal);
    }
    let path = request.url().split('?').next().unwrap_or("").to_owned();
    let method = request.method().clone();
    let answer = match (&method, path.as_str()) {
        (Method::Post, "/api/lint") => lint(&mut request, settings, kind),
        (Method::Post, "/api/decode") => decode(&mut request, settings),
        (Method::Get | Method::Head, _) => match page::asset(&path) {
            Some((content_type, body)) => {
                return http::send(request, 200, content_type, body.as_bytes().to_vec());
            }
            None => Err(Refusal::new(404, "そのページはありません")),
        },
        _ => Err(Refusal::new(405, "この操作には対応していません")),
    };
    match answer {
        Ok(json) => http::send_json(request, 200, json),
        Err(refusal) => http::send_refusal(request, &refusal),
    }
}

/// `POST /api/lint`, JSON `{text, kind?, format?}`: the draft's findings and checklist.
fn lint(request: &mut Request, settings: &Settings, kind: Option<&str>) -> Result<String, Refusal> {
    http::check_content_type(request, "application/json")?;
    let body = http::read_body(request)?;
    let asked: api::LintRequest = serde_json::from_slice(&body)
        .map_err(|err| Refusal::new(400, format!("送信内容を読めません: {err}")))?;
    let asked_kind = asked.kind.as_deref().filter(|k| !k.is_empty());
    if let Some(id) = asked_kind
        && settings.linter.rules().kind(id).is_none()
    {
        return Err(Refusal::new(400, format!("文書の種類「{id}」はありません")));
    }
    let path = api::draft_path(asked.format.as_deref());
    let linted = api::lint_draft(settings, path, asked.text, asked_kind, kind);
    serde_json::to_string(&api::response(settings, &linted))
        .map_err(|err| Refusal::new(500, format!("結果を作れませんでした: {err}")))
}

/// `POST /api/decode?name=FILE`, the bytes of a file the writer opened in the page: its
/// text, decoded as the CLI decodes files (any supported encoding; e-mail via MIME). Only
/// the name's extension is used, and nothing is read from or written to the disk.
fn decode(request: &mut Request, settings: &Settings) -> Result<String, Refusal> {
    http::check_content_type(request, "application/octet-stream")?;
    let name = query_value(request.url(), "name").unwrap_or_default();
    let extension = Path::new(&name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let (as_path, format) = match extension.as_str() {
        "md" | "markdown" => ("draft.md", "md"),
        "eml" => ("draft.eml", "txt"),
        _ => ("draft.txt", "txt"),
    };
    let body = http::read_body(request)?;
    let linted = settings
        .linter
        .lint_bytes_as(as_path, &body, None)
        .map_err(|err| Refusal::new(422, format!("ファイルを読めません: {}", err.reason())))?;
    let encoding = linted.stored_as.map(|s| s.encoding.name());
    Ok(serde_json::json!({
        "text": linted.text.as_str(),
        "format": format,
        "encoding": encoding,
    })
    .to_string())
}

/// The percent-decoded value of `key` in the URL's query.
fn query_value(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| percent_decode(v))
    })
}

fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_percent_decoded() {
        let url = "/api/decode?x=1&name=%E3%81%8A%E8%A9%AB%E3%81%B3.eml";
        assert_eq!(
            super::query_value(url, "name").as_deref(),
            Some("お詫び.eml")
        );
        assert_eq!(super::query_value(url, "y"), None);
    }
}
