//! The HTTP side of `serve`: which requests are let in (the server's own Host and Origin
//! only, bounded bodies) and how answers are sent. tiny_http gives a small synchronous
//! server; one writer at one page needs no async runtime.

use std::io::Read;

use tiny_http::{Header, Request, Response};

/// The largest request body read: a draft of a few pages is some kilobytes, and an opened
/// file is refused well before it could fill the memory.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Why a request is answered with an error instead of its content.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

impl Refusal {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        Refusal {
            status,
            message: message.into(),
        }
    }
}

/// The `host:port` names the server answers to: what it was bound to, and for a loopback
/// address also `localhost` (what a user may type).
pub fn own_hosts(host: &str, port: u16) -> Vec<String> {
    let bracketed = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    let mut names = vec![format!("{bracketed}:{port}")];
    if host == "127.0.0.1" || host == "::1" || host == "localhost" {
        for name in ["127.0.0.1", "localhost", "[::1]"] {
            let name = format!("{name}:{port}");
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

fn header<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// Refuses a request whose `Host` is not the server's own (a DNS-rebinding page reaches us
/// under its own name) or whose `Origin` is another site's (a cross-site form or fetch).
pub fn check_origin(request: &Request, own: &[String]) -> Result<(), Refusal> {
    let url = format!("http://{}/", own[0]);
    let refused = || {
        Refusal::new(
            403,
            format!(
                "このページは kintsugi-lint serve 自身のアドレス（{url}）から開いたときだけ使えます"
            ),
        )
    };
    let host = header(request, "Host").ok_or_else(refused)?;
    if !own.iter().any(|name| name.eq_ignore_ascii_case(host)) {
        return Err(refused());
    }
    if let Some(origin) = header(request, "Origin") {
        let same = own
            .iter()
            .any(|name| origin.eq_ignore_ascii_case(&format!("http://{name}")));
        if !same {
            return Err(refused());
        }
    }
    Ok(())
}

/// Refuses a body that is not of `content_type`: a cross-site page can send only form
/// types without asking first, so requiring JSON or octet-stream keeps it out twice over.
pub fn check_content_type(request: &Request, content_type: &str) -> Result<(), Refusal> {
    let given = header(request, "Content-Type").unwrap_or("");
    let essence = given.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case(content_type) {
        Ok(())
    } else {
        Err(Refusal::new(
            415,
            format!("送信の形式が違います（Content-Type: {content_type} が必要です）"),
        ))
    }
}

/// Reads the body, at most `MAX_BODY_BYTES`.
pub fn read_body(request: &mut Request) -> Result<Vec<u8>, Refusal> {
    let too_large = || {
        Refusal::new(
            413,
            format!(
                "本文が大きすぎます（上限 {} MiB）。文書を分けて確認してください",
                MAX_BODY_BYTES / (1024 * 1024)
            ),
        )
    };
    if request.body_length().is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    request
        .as_reader()
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|err| Refusal::new(400, format!("本文を受け取れませんでした: {err}")))?;
    if body.len() > MAX_BODY_BYTES {
        return Err(too_large());
    }
    Ok(body)
}

/// Headers on every answer: nothing cached, no sniffing, no framing by other sites, and a
/// policy that runs only the page's own script (a draft's `<script>` could not run even if
/// it were ever put into the page as HTML).
fn with_common_headers(
    response: Response<std::io::Cursor<Vec<u8>>>,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let headers = [
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        (
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
             img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
        ),
    ];
    headers.iter().fold(
        response,
        |response, (name, value)| match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            Ok(header) => response.with_header(header),
            Err(()) => response,
        },
    )
}

/// An answer with `body` of `content_type`.
pub fn send(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let mut response = with_common_headers(Response::from_data(body).with_status_code(status));
    if let Ok(header) = Header::from_bytes(&b"Content-Type"[..], content_type.as_bytes()) {
        response = response.with_header(header);
    }
    // A browser that went away mid-answer is no error of ours.
    let _ = request.respond(response);
}

/// A JSON answer.
pub fn send_json(request: Request, status: u16, body: String) {
    send(
        request,
        status,
        "application/json; charset=utf-8",
        body.into_bytes(),
    );
}

/// An error as JSON `{"error": "…"}`, which the page shows as it is.
pub fn send_refusal(request: Request, refusal: &Refusal) {
    let body = serde_json::json!({ "error": refusal.message }).to_string();
    send_json(request, refusal.status, body);
}

#[cfg(test)]
mod tests {
    use super::own_hosts;

    #[test]
    fn loopback_is_also_known_as_localhost() {
        let names = own_hosts("127.0.0.1", 8717);
        assert_eq!(
            names,
            ["127.0.0.1:8717", "localhost:8717", "[::1]:8717"].map(String::from)
        );
        assert_eq!(own_hosts("192.0.2.7", 80), ["192.0.2.7:80".to_owned()]);
    }
}
