//! The three ways people use kintsugi-lint: config files, file formats, encodings,
//! suppression comments and fixes, through the command line.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

mod common;
use common::json_of;

fn kintsugi(dir: &Path) -> Command {
    let mut cmd = common::binary();
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// The findings of linting `file` in `dir`, as `findings` gives them.
fn linted(dir: &Path, file: &str) -> Vec<(String, u64, u64, String)> {
    findings(&json_of(kintsugi(dir).args(["--format", "json", file])))
}

/// `(rule, line, column, text)` of every finding in a JSON report.
fn findings(json: &Value) -> Vec<(String, u64, u64, String)> {
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap().clone())
        // Document-structure findings have their own tests (tests/documents.rs).
        .filter(|f| f["category"] != "structure")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const LETTER: &str = "件名: 納品遅延のお詫び\n\n平素よりお世話になっております。\n納期につきましては、認識の相違がありました。\n対応を検討します。\n";

#[test]
fn legacy_encodings_give_the_same_findings_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = LETTER.replace('\n', "\r\n");
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("utf8.txt", LETTER.as_bytes().to_vec()),
        (
            "bom.txt",
            [b"\xEF\xBB\xBF".as_slice(), LETTER.as_bytes()].concat(),
        ),
        ("crlf.txt", crlf.as_bytes().to_vec()),
        (
            "sjis.txt",
            encoding_rs::SHIFT_JIS.encode(LETTER).0.into_owned(),
        ),
        (
            "eucjp.txt",
            encoding_rs::EUC_JP.encode(LETTER).0.into_owned(),
        ),
        (
            "jis.txt",
            encoding_rs::ISO_2022_JP.encode(LETTER).0.into_owned(),
        ),
        (
            "utf16.txt",
            [
                vec![0xFF, 0xFE],
                LETTER.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            ]
            .concat(),
        ),
    ];
    let mut expected = None;
    for (name, bytes) in variants {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let got = findings(&json_of(
            kintsugi(dir.path()).args(["--format", "json", name]),
        ));
        assert_eq!(got.len(), 2, "{name}: {got:?}");
        match &expected {
            None => expected = Some(got),
            Some(expected) => assert_eq!(&got, expected, "{name}"),
        }
    }
}

#[test]
fn markdown_html_and_email_point_at_the_original_lines() {
    let dir = tempfile::tempdir().unwrap();
    let md = "---\ntitle: 検討します\n---\n# お詫び\n\n対応を**検討**します。\n\n```\n検討します\n```\n\n`検討します` は [リンク](https://example.com/検討します) です。\n";
    std::fs::write(dir.path().join("notice.md"), md).unwrap();
    let got = linted(dir.path(), "notice.md");
    assert_eq!(
        got,
        [(
            "consideration-without-deadline".to_owned(),
            6,
            6,
            "検討**します".to_owned()
        )]
    );

    let html = "<html><head><script>var a = '検討します';</script></head>\n<body>\n<p>返金については、<b>善処</b>いたします。</p>\n</body></html>\n";
    std::fs::write(dir.path().join("notice.html"), html).unwrap();
    let got = linted(dir.path(), "notice.html");
    assert_eq!(
        got,
        [(
            "consideration-without-deadline".to_owned(),
            3,
            15,
            "善処</b>いたします".to_owned()
        )]
    );

    let mut eml = b"From: support@example.co.jp\r\nSubject: =?UTF-8?B?6YGF5bu244Gu44GK6Kmr44Gz?=\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n".to_vec();
    eml.extend(
        encoding_rs::ISO_2022_JP
            .encode("お世話になっております。\r\n多忙で遅れました。\r\n")
            .0
            .as_ref(),
    );
    std::fs::write(dir.path().join("mail.eml"), eml).unwrap();
    let got = findings(&json_of(
        kintsugi(dir.path()).args(["--format", "json", "mail.eml"]),
    ));
    assert_eq!(
        got,
        [("busyness-as-excuse".to_owned(), 7, 1, "多忙で".to_owned())]
    );
}

#[test]
fn suppression_comments_and_unused_ones() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# kintsugi-lint-disable-next-line promise-without-deadline\n対応を検討します。\n# kintsugi-lint-disable-next-line blame-shifting\n資料は3月5日までにお送りします。\n<!-- kintsugi-lint-disable -->\n多忙で遅れました。\n<!-- kintsugi-lint-enable -->\n善処いたします。\n";
    std::fs::write(dir.path().join("draft.txt"), text).unwrap();
    let got = linted(dir.path(), "draft.txt");
    let rules: Vec<(&str, u64)> = got.iter().map(|(r, l, _, _)| (r.as_str(), *l)).collect();
    assert_eq!(
        rules,
        [
            ("unused-suppression", 3),
            ("consideration-without-deadline", 8)
        ]
    );
}

const SAFE_RULE: &str = r#"
[[rule]]
id = "double-honorific-haiken"
category = "keigo-misuse"
severity = "warning"
message = "「$0」は二重敬語です。"
help = "「拝見しました」で十分です。"
description = "拝見は謙譲語なので、させていただくを重ねる必要はありません。"
regex = "拝見させていただきました"

[[rule.suggestion]]
replace = "拝見しました"
applicability = "safe"

[[rule.example]]
bad = "資料を拝見させていただきました。"
flag = "拝見させていただきました"
fixed = "資料を拝見しました。"

[[rule.example]]
good = "資料を拝見しました。"
"#;

#[test]
fn fix_writes_safe_fixes_in_the_original_encoding_and_diff_only_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(dir.path().join("rules/keigo.toml"), SAFE_RULE).unwrap();
    let text = "資料を拝見させていただきました。\r\n対応を検討します。\r\n";
    let sjis = encoding_rs::SHIFT_JIS.encode(text).0.into_owned();
    let file = dir.path().join("reply.txt");
    std::fs::write(&file, &sjis).unwrap();
    let clean = dir.path().join("clean.txt");
    std::fs::write(&clean, "資料は3月5日までにお送りします。\n").unwrap();
    let clean_modified = std::fs::metadata(&clean).unwrap().modified().unwrap();

    let out = kintsugi(dir.path())
        .args(["--rules", "rules", "--diff", "reply.txt", "clean.txt"])
        .output()
        .unwrap();
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("-資料を拝見させていただきました。")
            && diff.contains("+資料を拝見しました。"),
        "{diff}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), sjis, "--diff never writes");

    let out = kintsugi(dir.path())
        .args([
            "--rules",
            "rules",
            "--fix",
            "--format",
            "concise",
            "reply.txt",
            "clean.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the deadline finding remains");
    let remaining = String::from_utf8(out.stdout).unwrap();
    assert!(
        remaining.contains("consideration-without-deadline") && !remaining.contains("haiken"),
        "{remaining}"
    );
    let written = std::fs::read(&file).unwrap();
    let expected = "資料を拝見しました。\r\n対応を検討します。\r\n";
    assert_eq!(
        written,
        encoding_rs::SHIFT_JIS.encode(expected).0.as_ref(),
        "Shift_JIS and CRLF kept"
    );
    assert_eq!(
        std::fs::metadata(&clean).unwrap().modified().unwrap(),
        clean_modified,
        "unchanged files untouched"
    );
}

#[test]
fn config_is_discovered_upward_and_validated() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("notices/templates")).unwrap();
    std::fs::write(
        root.join("kintsugi.toml"),
        "ignore = [\"vague-responsibility\"]\nfail-on = \"error\"\n[severity]\nblame-shifting = \"error\"\n[per-file-ignores]\n\"notices/templates/**\" = [\"blame-shifting\"]\n",
    )
    .unwrap();
    let text = "認識の相違がありました。多忙で遅れました。対応を検討します。\n";
    std::fs::write(root.join("notices/a.txt"), text).unwrap();
    std::fs::write(root.join("notices/templates/b.txt"), text).unwrap();

    let out = kintsugi(&root.join("notices"))
        .args(["--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "an error-level finding fails with fail-on = error"
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    let rules_in = |i: usize| -> Vec<(String, String)> {
        files[i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["severity"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        rules_in(0),
        [
            ("busyness-as-excuse".into(), "error".into()),
            ("consideration-without-deadline".into(), "warning".into())
        ]
    );
    assert_eq!(
        rules_in(1),
        [(
            "consideration-without-deadline".to_owned(),
            "warning".to_owned()
        )]
    );

    kintsugi(&root.join("notices"))
        .args(["--isolated", "templates/b.txt"])
        .assert()
        .code(1);
    std::fs::write(
        root.join("kintsugi.toml"),
        "ignore = []\nfail_on = \"error\"\n",
    )
    .unwrap();
    let out = kintsugi(&root.join("notices"))
        .arg("a.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("kintsugi.toml:2:1"), "{stderr}");
}

#[test]
fn init_writes_a_starter_config_once() {
    let dir = tempfile::tempdir().unwrap();
    kintsugi(dir.path()).arg("init").assert().code(0);
    let written = std::fs::read_to_string(dir.path().join("kintsugi.toml")).unwrap();
    assert!(written.contains("# fail-on = \"warning\""));
    kintsugi(dir.path()).arg("init").assert().code(2);
    std::fs::write(dir.path().join("a.txt"), "本日中にご連絡します。\n").unwrap();
    kintsugi(dir.path()).arg("a.txt").assert().code(0);
}

#[test]
fn results_are_identical_with_one_and_many_threads() {
    let one = common::binary()
        .args([
            "--threads",
            "1",
            "--format",
            "json",
            "fixtures",
            "tests/corpus",
        ])
        .output()
        .unwrap();
    let many = common::binary()
        .args([
            "--threads",
            "4",
            "--format",
            "json",
            "fixtures",
            "tests/corpus",
        ])
        .output()
        .unwrap();
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, many.stdout);
}
