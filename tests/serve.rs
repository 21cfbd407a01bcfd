//! `kintsugi-lint serve` over plain HTTP, as a browser (or a hostile page) would reach it:
//! the API answers as the CLI does, only the server's own Host and Origin get in, bodies
//! are bounded, and nothing reads files. The browser test is in tests/serve_browser.rs.

use serde_json::{Value, json};

mod common;
#[path = "common/http.rs"]
mod http;

use http::{Served, request};

const LETTER: &str = "fixtures/bad/apology-letter.txt";
const REPORT: &str = "fixtures/bad/incident-report.txt";

fn cli_json(text: &str) -> Value {
    common::json_of(
        common::binary()
            .args(["--format", "json", "--stdin-filename", "draft.txt", "-"])
            .write_stdin(text),
    )
}

/// What must agree between the CLI's report and the page's: each finding's rule, place,
/// message and rewrites.
fn finding_keys(findings: &Value) -> Vec<(String, u64, u64, String, Vec<String>)> {
    findings
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            let rewrites = f["suggestions"]
                .as_array()
                .expect("suggestions")
                .iter()
                .map(|s| s["replacement"].as_str().expect("replacement").to_owned())
                .collect();
            (
                f["rule"].as_str().expect("rule").to_owned(),
                f["byte_start"].as_u64().expect("start"),
                f["byte_end"].as_u64().expect("end"),
                f["message"].as_str().expect("message").to_owned(),
                rewrites,
            )
        })
        .collect()
}

#[test]
fn the_api_finds_what_the_cli_finds() {
    let served = Served::start(&[]);
    for path in [LETTER, REPORT] {
        let text = std::fs::read_to_string(path).expect("fixture");
        let cli = cli_json(&text);
        let file = &cli["files"][0];
        let api = served.lint(&json!({ "text": text })).json();
        assert!(!api["findings"].as_array().expect("findings").is_empty());
        assert_eq!(
            finding_keys(&api["findings"]),
            finding_keys(&file["findings"])
        );
        assert_eq!(api["kind"]["id"], file["document"]["kind"]);
        for part in api["checklist"].as_array().expect("checklist") {
            let element = &file["document"]["elements"][part["id"].as_str().expect("id")];
            assert_eq!(
                part["status"] == "present",
                element["present"] == true,
                "{part}"
            );
        }
    }
}

#[test]
fn offsets_are_utf16_units_for_the_page() {
    let served = Served::start(&[]);
    // 𠮷 takes two UTF-16 units: the page's offsets must count them as JavaScript does.
    let text = "𠮷田です。担当の私が多忙で遅れました。";
    let api = served.lint(&json!({ "text": text })).json();
    let finding = &api["findings"][0];
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let start = finding["start"].as_u64().expect("start") as usize;
    let end = finding["end"].as_u64().expect("end") as usize;
    assert_eq!(
        String::from_utf16(&utf16[start..end]).expect("UTF-16"),
        finding["text"].as_str().expect("text")
    );
}

#[test]
fn a_kind_chosen_on_the_page_is_used_and_an_unknown_one_is_refused() {
    let served = Served::start(&[]);
    let api = served
        .lint(&json!({ "text": "ご連絡です。", "kind": "incident-report" }))
        .json();
    assert_eq!(api["kind"]["id"], "incident-report");
    assert_eq!(api["kind"]["source"], "configured");
    assert!(api["checklist"].as_array().expect("checklist").len() >= 4);
    let missing = api["checklist"][0]["status"].clone();
    assert_eq!(missing, "missing");
    let refused = served.lint(&json!({ "text": "x", "kind": "poem" }));
    assert_eq!(refused.status, 400);
    assert!(
        refused.json()["error"]
            .as_str()
            .expect("error")
            .contains("poem")
    );
}

#[test]
fn a_missing_part_gets_its_template_after_the_part_before_it() {
    let served = Served::start(&[]);
    let text = "件名: 納品遅延のお詫び\n\nこのたびは納品の遅れによりご迷惑をおかけし、誠に申し訳ございません。\n";
    let api = served
        .lint(&json!({ "text": text, "kind": "apology" }))
        .json();
    let checklist = api["checklist"].as_array().expect("checklist");
    let apology = checklist
        .iter()
        .find(|p| p["status"] == "present")
        .expect("a part present");
    let next = checklist
        .iter()
        .find(|p| p["status"] == "missing")
        .expect("a part missing");
    let line_end = text.encode_utf16().count();
    assert_eq!(
        next["insert_at"].as_u64(),
        Some(line_end as u64),
        "{apology}"
    );
    assert!(!next["template"].as_str().expect("template").is_empty());
}

#[test]
fn a_foreign_host_or_origin_is_refused() {
    let served = Served::start(&[]);
    let port = served.addr.rsplit(':').next().expect("port");
    let evil_host = format!("evil.example:{port}");
    let page = request(&served.addr, "GET", "/", &[("Host", &evil_host)], b"");
    assert_eq!(page.status, 403);
    assert!(
        page.json()["error"]
            .as_str()
            .expect("error")
            .contains("自身のアドレス")
    );
    let body = json!({ "text": "多忙で遅れました。" }).to_string();
    for origin in [
        "http://evil.example",
        "null",
        &format!("http://127.0.0.1:{port}.evil.example"),
    ] {
        let answer = request(
            &served.addr,
            "POST",
            "/api/lint",
            &[("Content-Type", "application/json"), ("Origin", origin)],
            body.as_bytes(),
        );
        assert_eq!(answer.status, 403, "{origin}");
    }
    let own = format!("http://{}", served.addr);
    let answer = request(
        &served.addr,
        "POST",
        "/api/lint",
        &[("Content-Type", "application/json"), ("Origin", &own)],
        body.as_bytes(),
    );
    assert_eq!(answer.status, 200);
    let localhost = format!("localhost:{port}");
    assert_eq!(
        request(&served.addr, "GET", "/", &[("Host", &localhost)], b"").status,
        200
    );
}

#[test]
fn a_form_post_is_refused() {
    // A cross-site page can send a form without asking first; its content type is refused.
    let served = Served::start(&[]);
    let answer = request(
        &served.addr,
        "POST",
        "/api/lint",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"text=x",
    );
    assert_eq!(answer.status, 415);
}

#[test]
fn an_oversized_body_is_refused_with_a_japanese_error() {
    let served = Served::start(&[]);
    let declared = request(
        &served.addr,
        "POST",
        "/api/lint",
        &[
            ("Content-Type", "application/json"),
            ("Content-Length", "3145728"),
        ],
        b"",
    );
    assert_eq!(declared.status, 413);
    let error = declared.json()["error"].as_str().expect("error").to_owned();
    assert!(error.contains("大きすぎます"), "{error}");
    let big = json!({ "text": "あ".repeat(1024 * 1024) }).to_string();
    let sent = served.lint(&serde_json::from_str(&big).expect("json"));
    assert_eq!(sent.status, 413);
}

#[test]
fn no_endpoint_reads_files() {
    let served = Served::start(&[]);
    for path in [
        "/Cargo.toml",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/src/main.rs",
        "/api/file?path=Cargo.toml",
        "/fixtures/bad/apology-letter.txt",
    ] {
        let answer = request(&served.addr, "GET", path, &[], b"");
        assert_eq!(answer.status, 404, "{path}");
        assert!(!answer.text().contains("[package]"), "{path}");
    }
    // The file name given to /api/decode only picks the format: the body is what is read.
    let answer = request(
        &served.addr,
        "POST",
        "/api/decode?name=..%2F..%2FCargo.toml",
        &[("Content-Type", "application/octet-stream")],
        "本文です。".as_bytes(),
    );
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["text"], "本文です。");
}

#[test]
fn an_opened_file_is_decoded_from_its_encoding() {
    let served = Served::start(&[]);
    let text = "お詫び\n多忙で遅れました。\n";
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
    let answer = request(
        &served.addr,
        "POST",
        "/api/decode?name=%E3%81%8A%E8%A9%AB%E3%81%B3.txt",
        &[("Content-Type", "application/octet-stream")],
        &sjis,
    );
    assert_eq!(answer.status, 200);
    let json = answer.json();
    assert_eq!(json["text"], text);
    assert_eq!(json["encoding"], "Shift_JIS");
    let binary = request(
        &served.addr,
        "POST",
        "/api/decode?name=x.txt",
        &[("Content-Type", "application/octet-stream")],
        &[0, 159, 146, 150, 0, 0, 1, 2],
    );
    assert_eq!(binary.status, 422);
    assert!(
        binary.json()["error"]
            .as_str()
            .expect("error")
            .contains("読めません")
    );
}

#[test]
fn the_page_is_embedded_and_runs_only_its_own_script() {
    let served = Served::start(&[]);
    let page = request(&served.addr, "GET", "/", &[], b"");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("下書きチェック"));
    assert!(!page.text().contains("https://"), "no CDN");
    let policy = page.header("Content-Security-Policy").expect("CSP");
    assert!(policy.contains("script-src 'self'"));
    let script = request(&served.addr, "GET", "/app.js", &[], b"");
    assert_eq!(script.status, 200);
    assert!(!script.text().contains("innerHTML"));
}

#[test]
fn a_small_draft_snapshot() {
    let served = Served::start(&[]);
    let text = "お詫び\n\n担当の私が多忙で遅れました。\n早急に対応します。\n";
    let api = served
        .lint(&json!({ "text": text, "kind": "apology" }))
        .json();
    insta::assert_json_snapshot!(api);
}

#[test]
fn a_taken_port_is_a_japanese_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("addr").port().to_string();
    let out = common::binary()
        .args(["serve", "--port", &port])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("待ち受けられません"));
}
