//! `kintsugi-lint serve` in a real browser: headless Chromium driven over WebDriver, as a
//! writer would use the page. Opt-in, since CI has no Chromium:
//!
//! ```sh
//! apt-get install -y chromium chromium-driver
//! cargo test --release --test serve_browser -- --ignored --nocapture
//! # and to refresh the README's screenshot:
//! KINTSUGI_SCREENSHOT=docs/serve.png cargo test --release --test serve_browser -- --ignored --nocapture
//! ```
//!
//! It prints a timing log: for each lint, the time from the last keystroke to the
//! highlights drawn (measured, not asserted).

use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "common/http.rs"]
mod http;

use http::{Served, request};

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: std::process::Child,
    addr: String,
    /// The browser's profile and temporary files, under target/ rather than /tmp.
    scratch: tempfile::TempDir,
}

impl Driver {
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let scratch = tempfile::Builder::new()
            .prefix("browser-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("a scratch directory");
        let child = std::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .env("TMPDIR", scratch.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver starts (apt-get install -y chromium chromium-driver)");
        let addr = format!("127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            child,
            addr,
            scratch,
        }
    }

    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let body = if method == "GET" {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        let answer = request(
            &self.addr,
            method,
            path,
            &[("Content-Type", "application/json")],
            &body,
        );
        let json = answer.json();
        assert_eq!(answer.status, 200, "{method} {path}: {json}");
        json["value"].clone()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session.
struct Browser<'d> {
    driver: &'d Driver,
    session: String,
}

impl<'d> Browser<'d> {
    fn open(driver: &'d Driver) -> Browser<'d> {
        let profile = format!(
            "--user-data-dir={}",
            driver.scratch.path().join("profile").display()
        );
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "goog:chromeOptions": { "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,820",
                "--lang=ja", profile
            ] }
        } } });
        let value = driver.call("POST", "/session", &capabilities);
        let session = value["sessionId"].as_str().expect("session id").to_owned();
        Browser { driver, session }
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        self.driver
            .call(method, &format!("/session/{}{path}", self.session), &body)
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    fn run(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": args }),
        )
    }

    fn element(&self, css: &str) -> String {
        let found = self.call(
            "POST",
            "/element",
            json!({ "using": "css selector", "value": css }),
        );
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("element id")
            .to_owned()
    }

    fn click(&self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/click"), json!({}));
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        );
    }

    /// Waits until `script` returns true (a page that never gets there fails the test
    /// after 20 s rather than hanging).
    fn wait_for(&self, what: &str, script: &str) {
        let started = Instant::now();
        while self.run(script, json!([])) != Value::Bool(true) {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the page has linted exactly the text now in the draft.
    fn wait_linted(&self) {
        self.wait_for(
            "the lint of the current text",
            "return typeof state !== 'undefined' && state.linted === draft.value && !state.inflight;",
        );
    }

    fn screenshot(&self, path: &str) {
        let data = self.call("GET", "/screenshot", json!({}));
        let png = base64_decode(data.as_str().expect("base64 PNG"));
        std::fs::write(path, png).expect("screenshot written");
        println!("screenshot: {path}");
    }
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let path = format!("/session/{}", self.session);
        let _ = request(&self.driver.addr, "DELETE", &path, &[], b"");
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0);
    for byte in text.bytes() {
        let Some(value) = ALPHABET.iter().position(|&c| c == byte) else {
            continue;
        };
        bits = (bits << 6) | value as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

const DRAFT: &str = "件名: 納品遅延のお詫び\n\n株式会社ひかり建材 総務部 木村様\n\n\
このたびは社内報の納品が3日遅れ、多大なるご迷惑をおかけし、誠に申し訳ございません。\n\
担当の私が多忙で遅れました。\n\
早急に対応します。\n\
明日の午前中に、担当の私がお伺いさせていただきます。\n\
<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">\n";

/// The index of the first finding of `rule` in the page's current result.
fn finding_index(browser: &Browser, rule: &str) -> usize {
    let index = browser.run(
        "return state.result.findings.findIndex(f => f.rule === arguments[0]);",
        json!([rule]),
    );
    let index = index.as_i64().expect("an index");
    assert!(index >= 0, "no finding of {rule}");
    index as usize
}

#[test]
#[ignore = "needs chromium and chromium-driver; see the top of this file"]
fn a_writer_checks_fixes_and_finishes_a_draft() {
    let served = Served::start(&[]);
    let driver = Driver::start();
    let browser = Browser::open(&driver);
    browser.go(&served.url);
    browser.wait_linted();

    // Type a draft with known problems and wait for its highlights.
    browser.type_into("#draft", DRAFT);
    browser.wait_linted();
    browser.wait_for(
        "highlights",
        "return document.querySelectorAll('#backdrop mark').length >= 3;",
    );
    let value = browser.run("return draft.value;", json!([]));
    assert_eq!(value.as_str(), Some(DRAFT), "typed as written");

    // The hostile lines are shown as text, and ran nothing.
    let shown = browser.run(
        "return document.getElementById('backdrop').textContent;",
        json!([]),
    );
    assert!(
        shown
            .as_str()
            .expect("text")
            .contains("<script>window.pwned = 1</script>")
    );
    let ran = browser.run(
        "return [typeof window.pwned, document.querySelectorAll('img').length, document.scripts.length];",
        json!([]),
    );
    assert_eq!(ran, json!(["undefined", 0, 1]));

    // Select the busyness excuse and show its rewrite (the state the screenshot shows).
    let busy = finding_index(&browser, "busyness-as-excuse");
    browser.click(&format!("#findings li:nth-child({}) button", busy + 1));
    browser.wait_for(
        "the finding's details",
        "return !document.getElementById('detail').hidden;",
    );
    if let Ok(path) = std::env::var("KINTSUGI_SCREENSHOT") {
        browser.screenshot(&path);
    }

    // A safe rewrite in one click.
    let keigo = browser.run(
        "return state.result.findings.findIndex(f => f.suggestions.some(s => s.applicability === 'safe'));",
        json!([]),
    );
    let keigo = keigo.as_i64().expect("index");
    assert!(keigo >= 0, "the draft has a safe rewrite");
    browser.click(&format!("#findings li:nth-child({}) button", keigo + 1));
    browser.click("#detail .rewrite button.primary");
    browser.wait_linted();
    assert_draft_contains(&browser, "担当の私が伺います。");

    // A {期限} slot filled with the date picker.
    let urgent = finding_index(&browser, "urgency-without-deadline");
    browser.click(&format!("#findings li:nth-child({}) button", urgent + 1));
    browser.run(
        "const input = document.querySelector('#detail input[data-slot=\"期限\"]');
         input.value = '2026-12-05T15:00';
         input.dispatchEvent(new Event('input'));",
        json!([]),
    );
    browser.click("#detail .rewrite button.primary");
    browser.wait_linted();
    assert_draft_contains(&browser, "12月5日（土）15時までに対応します。");

    // The checklist: a missing part's template goes in, and the part turns ✔.
    let missing = browser.run(
        "const li = document.querySelector('#checklist li[data-status=missing]'); return li && li.dataset.part;",
        json!([]),
    );
    let part = missing.as_str().expect("a missing part").to_owned();
    browser.click(&format!("#checklist li[data-part='{part}'] button.primary"));
    browser.wait_linted();
    let status = browser.run(
        "return document.querySelector(`#checklist li[data-part='${arguments[0]}']`).dataset.status;",
        json!([part]),
    );
    assert_eq!(status, "present", "{part} after its template went in");

    // Copy: the page says so (headless Chromium may refuse the clipboard; the fallback runs).
    browser.click("#copy");
    browser.wait_for(
        "the copy note",
        "return document.getElementById('status').textContent.includes('コピーしました');",
    );

    latency(&browser);
}

/// Types into a two-page draft and prints how long each lint took to show, from the
/// last keystroke to the highlights drawn.
fn latency(browser: &Browser) {
    let page = "このたびは弊社システムの障害により、多大なるご迷惑をおかけし、誠に申し訳ございません。\n\
        12月1日 10時から12時まで、受注システムで注文を受け付けられない状態が発生しました。\n\
        影響範囲は、この時間帯にご注文いただいたお客様 120 件です。\n\
        原因は、私が設定変更の確認手順を省いたことでした。\n\
        12月2日までに全件の注文を再処理いたします。\n\
        再発防止策として、12月10日から設定変更にダブルチェックの仕組みを導入します。\n\
        担当の私が多忙で遅れました。早急に対応します。\n\n";
    let draft = format!("件名: 受注システム障害のご報告\n\n{}", page.repeat(12));
    let chars = draft.chars().count();
    browser.run(
        "draft.value = arguments[0]; draft.dispatchEvent(new Event('input'));",
        json!([draft]),
    );
    browser.wait_linted();
    browser.run("window.kintsugiTiming.length = 0;", json!([]));
    for key in ["ご", "連", "絡", "し", "ま", "す"] {
        browser.run(
            "draft.setSelectionRange(draft.value.length, draft.value.length);",
            json!([]),
        );
        browser.type_into("#draft", key);
        browser.wait_linted();
    }
    let timing = browser.run("return window.kintsugiTiming;", json!([]));
    println!(
        "latency log: two-page draft of {chars} characters, last keystroke → highlights drawn"
    );
    for entry in timing.as_array().expect("timing") {
        println!(
            "  {:>6.1} ms  ({} UTF-16 units)",
            entry["ms"].as_f64().unwrap_or(0.0),
            entry["chars"]
        );
    }
}

/// The draft's text, as the page holds it now, contains `expected`.
fn assert_draft_contains(browser: &Browser<'_>, expected: &str) {
    let value = browser.run("return draft.value;", json!([]));
    assert!(value.as_str().expect("text").contains(expected), "{value}");
}
