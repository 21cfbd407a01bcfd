//! The command line as a user meets it: output formats (insta snapshots), exit codes,
//! standard input, directories, rule files, and the seed's NG/OK table.

use assert_cmd::Command;
use serde_json::Value;

mod common;

fn kintsugi() -> Command {
    let mut cmd = common::binary();
    cmd.env_remove("NO_COLOR");
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("UTF-8 output")
}

const BAD_LETTER: &str = "fixtures/bad/apology-letter.txt";

#[test]
fn full_format_snapshot() {
    let out = stdout_of(kintsugi().args(["--color", "never", BAD_LETTER]));
    insta::assert_snapshot!(out);
}

#[test]
fn concise_format_snapshot() {
    let out = stdout_of(kintsugi().args(["--format", "concise", BAD_LETTER]));
    insta::assert_snapshot!(out);
}

#[test]
fn json_format_snapshot() {
    let out = stdout_of(kintsugi().args(["--format", "json", BAD_LETTER]));
    let json: Value = serde_json::from_str(&out).expect("valid JSON");
    insta::assert_json_snapshot!(json);
}

#[test]
fn exit_codes_follow_findings_and_fail_on() {
    kintsugi().arg(BAD_LETTER).assert().code(1);
    kintsugi()
        .arg("fixtures/good/delay-notice.txt")
        .assert()
        .code(0);
    kintsugi()
        .args(["--fail-on", "error", BAD_LETTER])
        .assert()
        .code(0);
    kintsugi()
        .args(["--format", "xml", BAD_LETTER])
        .assert()
        .code(2);
}

#[test]
fn stdin_is_linted_under_its_display_name() {
    let out = kintsugi()
        .args(["--format", "concise", "--stdin-filename", "draft.txt", "-"])
        .write_stdin("対応を検討します。\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.starts_with("draft.txt:1:4: warning[consideration-without-deadline]"),
        "{out}"
    );
}

#[test]
fn directories_are_walked_and_good_fixtures_are_clean() {
    let assert = kintsugi()
        .args(["--format", "json", "fixtures/good"])
        .assert()
        .code(0);
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert!(json["summary"]["files"].as_u64().unwrap() >= 5, "{json}");
    assert_eq!(json["summary"]["findings"], 0, "{json}");
}

#[test]
fn select_and_ignore_filter_by_category() {
    let only = stdout_of(kintsugi().args([
        "--format",
        "concise",
        "--select",
        "blame-shifting",
        BAD_LETTER,
    ]));
    assert!(
        !only.is_empty() && only.lines().all(|l| l.contains("[busyness-as-excuse]")),
        "{only}"
    );
    let ignored = stdout_of(kintsugi().args([
        "--format",
        "concise",
        "--ignore",
        "busyness-as-excuse",
        BAD_LETTER,
    ]));
    assert!(!ignored.contains("busyness-as-excuse"), "{ignored}");
    // Unknown names: tests/bad_input.rs.
}

const USER_RULE: &str = r#"
[[rule]]
id = "vague-soon"
category = "team-wording"
severity = "info"
message = "「$0」はいつなのか伝わりません。"
help = "日付で書きましょう。"
description = "近日中は読み手によって幅があります。"
tokens = [{ surface = "近日" }, { surface = "中" }]
unless = ["deadline"]

[[rule.suggestion]]
replace = "{日付}まで"
applicability = "display-only"

[[rule.example]]
bad = "近日中にご連絡します。"
flag = "近日中"
fixed = "{日付}までにご連絡します。"

[[rule.example]]
good = "3月5日にご連絡します。"
"#;

#[test]
fn test_rules_runs_a_user_rule_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("soon.toml"), USER_RULE).unwrap();
    let out = kintsugi()
        .args(["test-rules", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("成功 2 件・失敗 0 件"));

    let wrong = USER_RULE.replace(
        "good = \"3月5日にご連絡します。\"",
        "good = \"近日中に伺います。\"",
    );
    std::fs::write(dir.path().join("soon.toml"), wrong).unwrap();
    let out = kintsugi()
        .args(["test-rules", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("good の例が指摘されました"), "{stdout}");
    assert!(stdout.contains("近日\t名詞"), "token table shown: {stdout}");
}

#[test]
fn user_rules_lint_alongside_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("soon.toml"), USER_RULE).unwrap();
    let out = stdout_of(
        kintsugi()
            .args([
                "--format",
                "concise",
                "--rules",
                dir.path().to_str().unwrap(),
                "-",
            ])
            .write_stdin("近日中に対応を検討します。"),
    );
    assert!(
        out.contains("info[vague-soon]") && out.contains("[consideration-without-deadline]"),
        "{out}"
    );
    // In a built-in category, the rule overlaps the built-in 近日中に and that longer match is
    // the one finding there: one span, one finding per category.
    let same_category = USER_RULE.replace("team-wording", "promise-without-deadline");
    std::fs::write(dir.path().join("soon.toml"), same_category).unwrap();
    let out = stdout_of(
        kintsugi()
            .args([
                "--format",
                "concise",
                "--rules",
                dir.path().to_str().unwrap(),
                "-",
            ])
            .write_stdin("近日中に対応を検討します。"),
    );
    assert!(
        !out.contains("[vague-soon]")
            && out.contains("[vague-later-without-date]")
            && out.contains("[consideration-without-deadline]"),
        "{out}"
    );
}

/// Documentation outside a finding never shows raw `${capture}` templates, and a built-in
/// rule is said to be built in, not at a path the user's machine lacks.
#[test]
fn rule_documentation_has_no_raw_templates_or_build_paths() {
    let shown = stdout_of(kintsugi().args(["rule", "missing-element"]));
    assert!(!shown.contains("${") && !shown.contains("$0"), "{shown}");
    assert!(
        shown.contains("定義: 組み込みルール（documents.toml）")
            && shown.contains("〈欠けている部品〉"),
        "{shown}"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("soon.toml"), USER_RULE).unwrap();
    let user = stdout_of(kintsugi().current_dir(dir.path()).args([
        "--rules",
        "soon.toml",
        "rule",
        "vague-soon",
    ]));
    assert!(user.contains("定義: soon.toml:"), "{user}");
    let sarif = stdout_of(
        kintsugi()
            .args(["--isolated", "--format", "sarif", "-"])
            .write_stdin("お客様各位\n対応を検討します。\n"),
    );
    assert!(!sarif.contains("${") && !sarif.contains("$0"), "{sarif}");
}

#[test]
fn rules_rule_and_tokens_subcommands() {
    let list = stdout_of(kintsugi().arg("rules"));
    assert!(list.contains("consideration-without-deadline"), "{list}");
    let rule = stdout_of(kintsugi().args(["rule", "busyness-as-excuse"]));
    assert!(
        rule.contains("## なぜ") && rule.contains("✘ 多忙で遅れました。"),
        "{rule}"
    );
    kintsugi().args(["rule", "nope"]).assert().code(2);
    let tokens = stdout_of(kintsugi().args(["tokens", "-"]).write_stdin("検討します"));
    assert!(tokens.contains("検討\t名詞,サ変接続,*,*"), "{tokens}");
}

/// Rule options may come before a subcommand as well as after it; lint-only options with a
/// subcommand are refused with a message naming them, never ignored.
#[test]
fn rule_options_go_on_either_side_of_a_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("soon.toml"), USER_RULE).unwrap();
    let rules = dir.path().to_str().unwrap();
    for args in [
        ["--rules", rules, "rule", "vague-soon"],
        ["rule", "vague-soon", "--rules", rules],
    ] {
        let shown = stdout_of(kintsugi().args(args));
        assert!(shown.contains("vague-soon"), "{args:?}: {shown}");
    }
    let listed =
        stdout_of(kintsugi().args(["--isolated", "--no-builtin", "--rules", rules, "rules"]));
    assert!(
        listed.contains("vague-soon") && listed.contains("1 件のルール"),
        "{listed}"
    );

    for (args, named) in [
        (vec!["--format", "json", "rules"], "`--format`"),
        (vec!["--fix", "new", "apology"], "`--fix`"),
    ] {
        let out = kintsugi().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(named) && stderr.contains("組み合わせられません"),
            "{args:?}: {stderr}"
        );
    }
}

/// Seed 000's NG/OK table, sentence by sentence: each NG sentence gives exactly one finding
/// of its category; each OK sentence gives none.
#[test]
fn seed_ng_ok_table() {
    let table = [
        (
            "認識の相違がありました",
            "vague-responsibility",
            "私の確認不足で要件を取り違えました",
        ),
        (
            "対応を検討します",
            "promise-without-deadline",
            "本日19時までに暫定対応、明日12時までに恒久案を提示します",
        ),
        (
            "多忙で遅れました",
            "blame-shifting",
            "スケジュール見積もりが甘く遅延しました。見積もり手法を改めます",
        ),
    ];
    for (ng, category, ok) in table {
        let out = stdout_of(kintsugi().args(["--format", "json", "-"]).write_stdin(ng));
        let json: Value = serde_json::from_str(&out).unwrap();
        let findings = json["files"][0]["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 1, "{ng}: {out}");
        assert_eq!(findings[0]["category"], category, "{ng}");
        assert!(
            !findings[0]["suggestions"].as_array().unwrap().is_empty(),
            "{ng}"
        );

        let out = stdout_of(kintsugi().args(["--format", "json", "-"]).write_stdin(ok));
        let json: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["summary"]["findings"], 0, "{ok}: {out}");
    }
}

#[test]
fn json_lines_format_snapshot() {
    let out = stdout_of(kintsugi().args(["--format", "json-lines", BAD_LETTER]));
    insta::assert_snapshot!(out);
    // Each line is one finding with exactly the fields of a `json` finding.
    let json: Value = serde_json::from_str(&stdout_of(
        kintsugi().args(["--format", "json", BAD_LETTER]),
    ))
    .unwrap();
    let lines: Vec<Value> = out
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(&lines, json["files"][0]["findings"].as_array().unwrap());
}

/// RFC 3986 `URI-reference` characters: unreserved, reserved and `%XX` escapes only, so no
/// space and no raw non-ASCII (GitHub's upload rejects those).
fn is_uri_reference(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b.is_ascii_alphanumeric()
            || b"-._~:/?#[]@!$&'()*+,;=".contains(&b)
            || (b == b'%'
                && bytes
                    .get(i + 1..i + 3)
                    .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)))
    })
}

/// The official SARIF 2.1.0 schema (OASIS, errata 01), copied from shared/schemas so the
/// tests need nothing outside the repository. It is JSON Schema draft 04, which has no
/// `uri-reference` format (draft 06 added it), so the schema's `uri-reference` fields are
/// checked with [`is_uri_reference`].
fn sarif_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).unwrap();
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .with_format("uri-reference", is_uri_reference)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn sarif_errors(validator: &jsonschema::Validator, sarif: &Value) -> Vec<String> {
    validator
        .iter_errors(sarif)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn sarif_format_snapshot() {
    let out = stdout_of(kintsugi().args(["--format", "sarif", BAD_LETTER]));
    let mut sarif: Value = serde_json::from_str(&out).expect("valid JSON");
    // The version changes with every release; the snapshot should not.
    let version = &mut sarif["runs"][0]["tool"]["driver"]["version"];
    assert_eq!(*version, env!("CARGO_PKG_VERSION"));
    *version = "[version]".into();
    insta::assert_json_snapshot!(sarif);
}

/// A user rule whose first suggestion has no `{…}` slot (so it can become a SARIF fix or a
/// reviewdog suggestion) and whose second has one.
const FIXABLE_RULE: &str = r#"
[[rule]]
id = "vague-soon"
category = "promise-without-deadline"
severity = "error"
message = "「$0」はいつなのか伝わりません。"
help = "日付で書きましょう。"
description = "近日中は読み手によって幅があります。"
tokens = [{ surface = "近日" }, { surface = "中" }]

[[rule.suggestion]]
replace = "今週中"
applicability = "unsafe"

[[rule.suggestion]]
replace = "{日付}まで"
applicability = "display-only"

[[rule.example]]
bad = "近日中にご連絡します。"
flag = "近日中"
fixed = "今週中にご連絡します。"

[[rule.example]]
good = "3月5日にご連絡します。"
"#;

/// An emoji (two UTF-16 units, four UTF-8 bytes) before the flagged 近日中, in a file whose
/// Japanese name has a space.
const EMOJI_DRAFT: &str = "🙇近日中にご連絡します。\n";

fn lint_emoji_draft(format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("soon.toml"), FIXABLE_RULE).unwrap();
    stdout_of(
        kintsugi()
            .args(["--format", format, "--no-builtin", "--rules"])
            .arg(dir.path())
            .args(["--stdin-filename", "お詫び 1.txt", "-"])
            .write_stdin(EMOJI_DRAFT),
    )
}

#[test]
fn sarif_is_valid_against_the_official_schema_and_the_check_can_fail() {
    let validator = sarif_validator();
    for sarif in [
        stdout_of(kintsugi().args(["--format", "sarif", BAD_LETTER])),
        stdout_of(kintsugi().args(["--format", "sarif", "fixtures/good"])),
        stdout_of(kintsugi().args(["--format", "sarif", "missing.txt", BAD_LETTER])),
        lint_emoji_draft("sarif"),
    ] {
        let sarif: Value = serde_json::from_str(&sarif).unwrap();
        assert_eq!(sarif_errors(&validator, &sarif), Vec::<String>::new());
    }

    // The same document with a level SARIF does not know, and with a raw space in a URI,
    // is rejected: the check above would catch either mistake.
    let mut sarif: Value = serde_json::from_str(&lint_emoji_draft("sarif")).unwrap();
    sarif["runs"][0]["results"][0]["level"] = "fatal".into();
    let errors = sarif_errors(&validator, &sarif);
    assert!(
        errors.iter().any(|e| e.contains("/runs/0/results/0/level")),
        "{errors:?}"
    );
    let mut sarif: Value = serde_json::from_str(&lint_emoji_draft("sarif")).unwrap();
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "お詫び 1.txt".into();
    assert!(!validator.is_valid(&sarif));
}

#[test]
fn sarif_counts_utf16_columns_and_turns_slot_free_suggestions_into_fixes() {
    let sarif: Value = serde_json::from_str(&lint_emoji_draft("sarif")).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["level"], "error");
    assert_eq!(result["ruleId"], "vague-soon");
    let rule = &sarif["runs"][0]["tool"]["driver"]["rules"]
        [result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "vague-soon");
    assert_eq!(
        rule["shortDescription"]["text"],
        "「〈該当箇所〉」はいつなのか伝わりません。"
    );
    assert_eq!(rule["properties"]["category"], "promise-without-deadline");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "%E3%81%8A%E8%A9%AB%E3%81%B3%201.txt"
    );
    // 🙇 is two UTF-16 code units: 近日中 starts at column 3 and ends before column 6.
    assert_eq!(
        location["region"],
        serde_json::json!({"startLine": 1, "startColumn": 3, "endLine": 1, "endColumn": 6})
    );
    let fixes = result["fixes"].as_array().unwrap();
    assert_eq!(
        fixes.len(),
        1,
        "only the suggestion without a slot: {fixes:?}"
    );
    let replacement = &fixes[0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "今週中");
    assert_eq!(replacement["deletedRegion"], location["region"]);
    let message = result["message"]["text"].as_str().unwrap();
    assert!(message.contains("書き換え案: {日付}まで"), "{message}");
}

/// How many findings the JSON report gives for the bad letter: other formats must agree.
fn findings_in_bad_letter() -> usize {
    let out = stdout_of(kintsugi().args(["--format", "json", BAD_LETTER]));
    let json: Value = serde_json::from_str(&out).unwrap();
    json["summary"]["findings"].as_u64().unwrap() as usize
}

#[test]
fn github_format_snapshot() {
    let out = stdout_of(kintsugi().args(["--format", "github", BAD_LETTER]));
    insta::assert_snapshot!(out);
}

/// A workflow command as GitHub reads it: properties must not hold a raw `,`, `:`, CR or
/// LF, the message no raw CR or LF, and `%` only as an escape.
fn assert_workflow_commands(out: &str, expected: usize) {
    let property = r"(?:[^,:%\r\n]|%[0-9A-F]{2})*";
    let command = regex::Regex::new(&format!(
        r"^::(error|warning|notice) file={property},line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title={property}::(?:[^%\r\n]|%[0-9A-F]{{2}})+$"
    ))
    .unwrap();
    assert_eq!(out.lines().count(), expected, "{out}");
    for line in out.lines() {
        assert!(command.is_match(line), "not a workflow command: {line}");
    }
}

#[test]
fn github_lines_are_workflow_commands_with_escaped_data() {
    let out = stdout_of(kintsugi().args(["--format", "github", BAD_LETTER]));
    assert_workflow_commands(&out, findings_in_bad_letter());

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("soon.toml"), FIXABLE_RULE).unwrap();
    let out = stdout_of(
        kintsugi()
            .args(["--format", "github", "--no-builtin", "--rules"])
            .arg(dir.path())
            .args(["--stdin-filename", "a:b,100%.txt", "-"])
            .write_stdin(EMOJI_DRAFT),
    );
    assert_workflow_commands(&out, 1);
    assert!(
        out.starts_with(
            "::error file=a%3Ab%2C100%25.txt,line=1,col=2,endLine=1,endColumn=5,title=vague-soon::"
        ),
        "{out}"
    );
    assert!(
        out.contains("%0A書き換え案: 今週中%0A書き換え案: {日付}まで"),
        "{out}"
    );
}

#[test]
fn junit_format_snapshot() {
    let out = stdout_of(kintsugi().args(["--format", "junit", BAD_LETTER]));
    insta::assert_snapshot!(out);
}

#[test]
fn junit_is_well_formed_xml_with_a_failure_per_finding() {
    let out = stdout_of(kintsugi().args([
        "--format",
        "junit",
        BAD_LETTER,
        "fixtures/good/delay-notice.txt",
    ]));
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 2);
    let failures = |suite: &roxmltree::Node| {
        suite
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count()
    };
    let bad = suites
        .iter()
        .find(|s| s.attribute("name") == Some(BAD_LETTER))
        .unwrap();
    let expected = findings_in_bad_letter();
    assert_eq!(failures(bad), expected);
    assert_eq!(
        bad.attribute("failures"),
        Some(expected.to_string().as_str())
    );
    let good = suites
        .iter()
        .find(|s| s.attribute("name") == Some("fixtures/good/delay-notice.txt"))
        .unwrap();
    assert_eq!(failures(good), 0);
    assert_eq!(
        good.children()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        1,
        "a clean file is one passing test case"
    );

    // Markup and control characters in a file name and in the text still give valid XML.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("soon.toml"), FIXABLE_RULE).unwrap();
    let out = stdout_of(
        kintsugi()
            .args(["--format", "junit", "--no-builtin", "--rules"])
            .arg(dir.path())
            .args(["--stdin-filename", "<a & \"b\">.txt", "-"])
            .write_stdin("\u{1b}近日中に<ご連絡>します。"),
    );
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("name"), Some("<a & \"b\">.txt"));
}

#[test]
fn rdjson_format_snapshot() {
    let out = stdout_of(kintsugi().args(["--format", "rdjson", BAD_LETTER]));
    let json: Value = serde_json::from_str(&out).expect("valid JSON");
    insta::assert_json_snapshot!(json);
}

#[test]
fn rdjson_counts_utf8_byte_columns_and_suggests_only_slot_free_rewrites() {
    let json: Value = serde_json::from_str(&lint_emoji_draft("rdjson")).unwrap();
    let diagnostic = &json["diagnostics"][0];
    assert_eq!(json["severity"], "ERROR");
    assert_eq!(diagnostic["code"]["value"], "vague-soon");
    // 🙇 is 4 bytes and 近日中 9: columns 5 to 14 (exclusive), as reviewdog.proto defines.
    let range = serde_json::json!({
        "start": {"line": 1, "column": 5},
        "end": {"line": 1, "column": 14}
    });
    assert_eq!(diagnostic["location"]["range"], range);
    assert_eq!(
        diagnostic["suggestions"],
        serde_json::json!([{"range": range, "text": "今週中"}])
    );
    let message = diagnostic["message"].as_str().unwrap();
    assert!(
        message.contains("{日付}まで") && !message.contains("今週中"),
        "{message}"
    );
}

#[test]
fn statistics_count_findings_per_rule_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "対応を検討します。\n多忙で遅れました。\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("b.txt"), "善処いたします。\n").unwrap();
    let out = kintsugi()
        .arg("--statistics")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "same exit code as without");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "2  consideration-without-deadline  promise-without-deadline  warning\n\
         1  busyness-as-excuse              blame-shifting            warning\n"
    );

    let out = stdout_of(
        kintsugi()
            .args(["--statistics", "--format", "json"])
            .arg(dir.path()),
    );
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"count": 2, "rule": "consideration-without-deadline",
             "category": "promise-without-deadline", "severity": "warning"},
            {"count": 1, "rule": "busyness-as-excuse",
             "category": "blame-shifting", "severity": "warning"}
        ])
    );

    let out = kintsugi()
        .args(["--statistics", "--format", "sarif"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--statistics"));
}

/// Whether each CI format marks a failure, for one run: JUnit failures or errors, a GitHub
/// `::error`, a SARIF `error` result or an unsuccessful invocation, an rdjson `ERROR`.
fn formats_say_failed(args: &[&str]) -> (Option<i32>, Vec<(&'static str, bool)>) {
    let run = |format: &str| {
        let out = kintsugi()
            .args(["--isolated", "--format", format])
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, junit) = run("junit");
    let head = junit.lines().nth(1).unwrap_or_default();
    let count = |attribute: &str| -> usize {
        let at = head
            .find(&format!(" {attribute}=\""))
            .expect("attribute in <testsuites>");
        let rest = &head[at + attribute.len() + 3..];
        rest[..rest.find('"').unwrap()].parse().unwrap()
    };
    let junit_failed = count("failures") + count("errors") > 0;
    let (_, github) = run("github");
    let (_, sarif) = run("sarif");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let sarif_run = &sarif["runs"][0];
    let sarif_failed = sarif_run["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["level"] == "error")
        || sarif_run["invocations"][0]["executionSuccessful"] == false;
    let (_, rdjson) = run("rdjson");
    let (_, json) = run("json");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let json_failed = json["summary"]["failing"].as_u64().unwrap() > 0
        || json["summary"]["failed_inputs"].as_u64().unwrap() > 0;
    (
        code,
        vec![
            ("junit", junit_failed),
            ("github", github.contains("::error ")),
            ("sarif", sarif_failed),
            ("rdjson", rdjson.contains("\"ERROR\"")),
            ("json", json_failed),
        ],
    )
}

/// CI reports never contradict the exit code: under each --fail-on, a format marks a
/// failure exactly when the run exits non-zero.
#[test]
fn ci_formats_agree_with_the_exit_code() {
    for fail_on in ["error", "warning", "info"] {
        let (code, said) = formats_say_failed(&["--fail-on", fail_on, BAD_LETTER]);
        let failed = code != Some(0);
        for (format, marks_failure) in said {
            assert_eq!(
                marks_failure, failed,
                "--fail-on {fail_on}: {format} says failed={marks_failure}, exit {code:?}"
            );
        }
    }
    // The bad letter has warnings and infos but no error: --fail-on error passes.
    assert_eq!(
        formats_say_failed(&["--fail-on", "error", BAD_LETTER]).0,
        Some(0)
    );
}

/// An input that cannot be read fails the run, and every format says so, naming it.
#[test]
fn every_format_reports_a_failed_input() {
    let good = "fixtures/good/apology-letter.txt";
    let (code, said) = formats_say_failed(&["missing.txt", good]);
    assert_eq!(code, Some(2));
    for (format, marks_failure) in said {
        assert!(marks_failure, "{format} does not report the failed input");
    }
    for format in [
        "full",
        "concise",
        "json",
        "json-lines",
        "sarif",
        "github",
        "junit",
        "rdjson",
    ] {
        let out = kintsugi()
            .args([
                "--isolated",
                "--color",
                "never",
                "--format",
                format,
                "missing.txt",
                good,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains("missing.txt"), "{format}: {stdout}");
    }
    let full = stdout_of(kintsugi().args(["--isolated", "--color", "never", "missing.txt", good]));
    assert!(
        full.contains("1 ファイルを検査できませんでした") && full.contains("検査は失敗しました"),
        "{full}"
    );
}

/// `--fix -` works as a filter: the fixed text on stdout (in the input's own encoding), the
/// report on stderr; `--diff -` prints the diff. Both used to do nothing on stdin.
#[test]
fn fix_and_diff_work_on_standard_input() {
    let text = "お客様各位\n資料を拝見させていただきました。\n";
    let out = kintsugi()
        .args(["--isolated", "--fix", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "お客様各位\n資料を拝見しました。\n"
    );
    let report = String::from_utf8(out.stderr).unwrap();
    assert!(report.contains("<stdin>: 1 件を修正しました"), "{report}");
    let untouched = "お客様各位\n本日は晴天です。\n";
    let out = kintsugi()
        .args(["--isolated", "--fix", "-"])
        .write_stdin(untouched)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), untouched);
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
    let out = kintsugi()
        .args(["--isolated", "--fix", "-"])
        .write_stdin(sjis.into_owned())
        .output()
        .unwrap();
    let (expected, _, _) = encoding_rs::SHIFT_JIS.encode("お客様各位\n資料を拝見しました。\n");
    assert_eq!(out.stdout, expected.into_owned());
    let diff = stdout_of(
        kintsugi()
            .args(["--isolated", "--diff", "-"])
            .write_stdin(text),
    );
    assert!(
        diff.contains("--- a/<stdin>")
            && diff.contains("-資料を拝見させていただきました。")
            && diff.contains("+資料を拝見しました。"),
        "{diff}"
    );
}

/// An absolute path in a diff header reads `a/abs/path`, as git writes it.
#[test]
fn diff_headers_of_absolute_paths_have_one_slash() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, "資料を拝見させていただきました。\n").unwrap();
    let diff = stdout_of(kintsugi().args(["--isolated", "--diff", file.to_str().unwrap()]));
    let shown = file.to_str().unwrap().trim_start_matches('/');
    assert!(diff.contains(&format!("--- a/{shown}\n")), "{diff}");
    assert!(!diff.contains("a//"), "{diff}");
}

/// `--help` is Japanese, lists the exit codes and the types a directory walk reads, and is
/// English on request; `help COMMAND` shows a subcommand's help with the rule options.
#[test]
fn help_is_japanese_with_exit_codes_and_walked_types() {
    let out = kintsugi().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "使い方: kintsugi-lint [オプション] [パス]...",
        "コマンド:",
        "ルールのオプション（サブコマンドにも使えます）:",
        "出力形式:",
        "終了コード:",
        "  2  使い方の誤り",
        ".txt .md .markdown .eml .html .htm",
        "このヘルプを表示",
    ] {
        assert!(help.contains(needle), "missing {needle:?} in {help}");
    }
    for english in [
        "Usage:",
        "Options:",
        "Print help",
        "Output format",
        "Possible values",
    ] {
        assert!(!help.contains(english), "{english:?} in {help}");
    }
    let out = kintsugi().args(["help", "rule"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("使い方: kintsugi-lint rule [オプション] <ID>"),
        "{help}"
    );
    assert!(help.contains("--select"), "{help}");
    let out = kintsugi()
        .env("KINTSUGI_LINT_LANG", "en")
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Output format"));
}

/// The writer's own contact details, offered for the reader to use, are not a customer's
/// personal data; the customer's address and number in the same letter still are.
#[test]
fn the_writers_own_contact_details_are_not_personal_data() {
    let letter = "件名：メール誤送信のお詫び\n\n\
        このたびは、宛先の設定を誤り、メールを誤送信いたしました。誠に申し訳ございません。\n\
        誤送信先は鈴木一郎様（suzuki@example.com、03-5555-6666）でした。\n\
        ご不明な点は、担当の田中（tanaka@example.co.jp、03-1234-5678）までご連絡ください。\n\
        ご連絡は担当 tanaka@example.co.jp へお願いいたします。\n\
        担当：佐藤 電話 06-1111-2222\n";
    let out = kintsugi()
        .args(["--format", "concise", "--select", "personal-data", "-"])
        .write_stdin(letter)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    let flagged: Vec<&str> = report
        .lines()
        .filter(|line| {
            line.contains("personal") || line.contains("-number") || line.contains("email")
        })
        .collect();
    assert_eq!(flagged.len(), 2, "{report}");
    assert!(flagged.iter().all(|line| line.contains(":4:")), "{report}");
}
