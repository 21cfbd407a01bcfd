//! The bad-input catalogue: every kind of broken, hostile or odd input a user can hand the
//! command line, with the message they see and the exit code. None may panic: a panic is a
//! bug and ends in exit 2 with a request to report it (the panic hook, tested last).
//!
//! | input                               | exit | message (stderr)                                   |
//! |-------------------------------------|------|----------------------------------------------------|
//! | empty file                          | 0    | (none)                                             |
//! | binary file / NUL bytes             | 0    | 注意: PATH: バイナリファイルのためスキップしました |
//! | invalid UTF-8 in the middle         | 2    | エラー: PATH: UTF-8 として読めない… (N バイト目)    |
//! | Shift_JIS/EUC-JP with a bad byte    | 2    | エラー: PATH: Shift_JIS として読めない… (N バイト目) (not mojibake) |
//! | mixed line endings                  | 1    | (findings on the right lines; --fix keeps each)    |
//! | directory with a symlink loop       | 0/1  | (links are not followed; no hang)                  |
//! | a looping or dangling link named    | 2    | エラー: PATH: … リンクがループしています            |
//! | unreadable file                     | 2    | エラー: PATH: 読み込めません: Permission denied     |
//! | nonexistent path                    | 2    | エラー: PATH: … 存在しません                        |
//! | a folder without rule files given to --rules | 2 | PATH: ルールファイルを読み込めません: ルールファイル（*.toml）が1つもありません |
//! | a missing path given to --rules      | 2   | PATH: ルールファイルを読み込めません: ファイルもディレクトリも存在しません |
//! | a directory given to --config       | 2    | PATH: 設定ファイルを読み込めません: …             |
//! | malformed rule TOML                 | 2    | PATH:LINE:COL: ルールファイルを解析できません       |
//! | invalid regex                       | 2    | PATH:LINE:COL: 正規表現が不正です                   |
//! | a pattern that can never match      | 2    | PATH:LINE:COL: 品詞「…」は IPADIC にありません      |
//! | unknown rule id in --select         | 2    | コマンドライン: 該当するルールもカテゴリもありません: … （もしかして: 「…」） |
//! | unknown name in kintsugi.toml       | 2    | PATH:LINE:COL: 「…」という ID のルールもカテゴリもありません / help: もしかして |
//! | misspelt field in a rule file       | 2    | PATH:LINE:COL: 項目「unles」はありません / help: もしかして: 「unless」 |
//! | misspelt subcommand (`rulez`)       | 2    | 「rulez」というファイルもサブコマンドもありません（もしかして: …） |
//! | 10 000 unknown names in --select    | 2    | (echo cut: …（以下 N 文字省略）)                    |
//! | a 700 KB regex line, 500k config names | 2 | PATH:LINE:COL: … (the line is not quoted)       |
//! | .eml cut off / without headers / no text | 2  | メールとして読めません: (why: 区切り・ヘッダー・本文) |
//! | --fix --diff                        | 2    | エラー: --fix と --diff は一緒に使えません / 使い方: … |
//! | unknown option, bad value (clap)    | 2    | オプション「--bogus」はありません（もしかして: …）    |
//! | a missing file for tokens/--config  | 2    | … 存在しません (never `os error 2`)                 |
//! | --unsafe-fixes alone                | 2    | --unsafe-fixes は --fix か --diff と一緒に…        |
//! | --diff --format json                | 2    | --diff は差分そのものを出力するため…               |
//! | stdout on a full disk (> /dev/full) | 2    | 結果を標準出力に書き込めませんでした               |
//! | stderr on a full disk (2> /dev/full) | 1   | (no abort; the exit code still says what was found) |
//! | a 96 000-character single line      | 1    | (each report shows a window of the line)           |
//! | terminal escapes / bidi controls   | 1    | (shown escaped in full, concise and github)        |
//! | old-Mac line breaks (lone CR)       | 1    | (each CR starts a line in every position)          |
//! | HTML with an unclosed comment/script/quote | 0 | (the hidden rest is not linted, as a browser hides it) |
//! | a panic (test-only trigger)         | 2    | 内部エラーが発生しました（バグです）                |

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

mod common;

fn kintsugi() -> Command {
    let mut cmd = common::binary();
    cmd.env_remove("NO_COLOR")
        .env_remove("KINTSUGI_LINT_TEST_PANIC");
    cmd
}

/// Runs in `dir` (so no kintsugi.toml above the temp dir can interfere) with `args`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    kintsugi()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// stderr with miette's line wrapping undone (it wraps at the terminal width, 80 here).
fn unwrapped(err: &str) -> String {
    err.lines()
        .map(|line| {
            let line = line.trim_start();
            line.strip_prefix("│ ").unwrap_or(line)
        })
        .collect()
}

/// Asserts the exit code, that stderr has every `needle`, and that nothing panicked.
fn expect(out: &Output, code: i32, needles: &[&str]) {
    let err = unwrapped(&stderr(out));
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {err}",
        String::from_utf8_lossy(&out.stdout)
    );
    for needle in needles {
        assert!(err.contains(needle), "missing {needle:?} in stderr: {err}");
    }
    assert!(
        !err.contains("panicked") && !err.contains("内部エラー"),
        "panic: {err}"
    );
}

const BAD_LETTER: &str = "fixtures/bad/apology-letter.txt";

/// A valid user rule; tests break one field at a time.
fn rule_file(pattern: &str) -> String {
    common::rule_file("my-rule", pattern)
}

fn rules_dir_with(content: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.toml"), content).unwrap();
    dir
}

/// `test-rules` on a folder holding `content` as its one rule file.
fn test_rules_on(content: &str) -> std::process::Output {
    let dir = rules_dir_with(content);
    kintsugi()
        .arg("test-rules")
        .arg(dir.path())
        .output()
        .unwrap()
}

#[test]
fn empty_file_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let out = run_in(dir.path(), &["empty.txt"]);
    expect(&out, 0, &[]);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn binary_files_and_nul_bytes_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0IHDR").unwrap();
    let mut with_nul = "対応を検討します。".as_bytes().to_vec();
    with_nul.push(0);
    with_nul.extend("多忙のため遅れました。".as_bytes());
    std::fs::write(dir.path().join("nul.txt"), with_nul).unwrap();
    for name in ["image.txt", "nul.txt"] {
        let out = run_in(dir.path(), &[name]);
        expect(
            &out,
            0,
            &[
                "注意",
                &format!("{name}: バイナリファイルのためスキップしました"),
            ],
        );
    }
    // A skipped file does not hide findings in the others.
    std::fs::write(dir.path().join("draft.txt"), "多忙のため遅れました。\n").unwrap();
    let out = run_in(dir.path(), &["nul.txt", "draft.txt"]);
    expect(&out, 1, &["スキップ"]);
}

#[test]
fn invalid_utf8_in_the_middle_names_the_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "対応を検討します。".as_bytes().to_vec();
    bytes.extend([0xE3, 0x81]);
    bytes.extend("続き".as_bytes());
    std::fs::write(dir.path().join("broken.txt"), &bytes).unwrap();
    let out = run_in(dir.path(), &["broken.txt"]);
    expect(
        &out,
        2,
        &[
            "エラー",
            "broken.txt",
            "UTF-8 として読めないバイト列",
            "27 バイト目",
        ],
    );
}

/// A Shift_JIS or EUC-JP letter with a bad byte (its last byte cut off, a stray byte in
/// the middle) used to be read as windows-1252 mojibake: no findings, exit 0. It is read
/// in its Japanese encoding, and the bad byte is reported with its offset.
#[test]
fn a_japanese_encoding_with_a_bad_byte_is_not_read_as_mojibake() {
    let text = std::fs::read_to_string(BAD_LETTER).unwrap();
    let text = text.trim_end();
    for encoding in [encoding_rs::SHIFT_JIS, encoding_rs::EUC_JP] {
        let (bytes, _, _) = encoding.encode(text);
        let cut = &bytes[..bytes.len() - 1];
        // 0xFF is no byte of either encoding; the text around it stays intact.
        let middle = bytes.len() / 2;
        let mut stray = bytes[..middle].to_vec();
        stray.extend_from_slice(b"\n\xFF\n");
        stray.extend_from_slice(&bytes[middle..]);
        for (name, broken) in [("cut.txt", cut.to_vec()), ("stray.txt", stray)] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(name), &broken).unwrap();
            let out = run_in(dir.path(), &[name]);
            let message = format!(
                "{name}: {} として読めないバイト列があります",
                encoding.name()
            );
            expect(&out, 2, &[&message, "バイト目"]);
        }
        // The offset of the cut character's first byte (counted from 0, as for UTF-8).
        let offset = format!("（{} バイト目）", bytes.len() - 2);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cut.txt"), cut).unwrap();
        expect(&run_in(dir.path(), &["cut.txt"]), 2, &[&offset]);
    }
}

#[test]
fn mixed_line_endings_keep_lines_and_survive_fix() {
    let dir = tempfile::tempdir().unwrap();
    let text = "お詫び\r\n多忙のため遅れました。\n拝見させていただきました。\r\n以上\n";
    std::fs::write(dir.path().join("mixed.txt"), text).unwrap();
    let out = run_in(dir.path(), &["--format", "concise", "mixed.txt"]);
    expect(&out, 1, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("mixed.txt:2:1:"), "{stdout}");
    assert!(stdout.contains("mixed.txt:3:"), "{stdout}");
    let out = run_in(dir.path(), &["--fix", "mixed.txt"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let fixed = std::fs::read_to_string(dir.path().join("mixed.txt")).unwrap();
    assert_ne!(fixed, text, "a safe fix applies");
    // Each line keeps its own ending.
    let endings: Vec<bool> = fixed
        .split_inclusive('\n')
        .map(|l| l.ends_with("\r\n"))
        .collect();
    assert_eq!(endings, [true, false, true, false], "{fixed:?}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_directory_ends_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    std::fs::write(tree.join("sub/draft.txt"), "多忙のため遅れました。\n").unwrap();
    std::os::unix::fs::symlink("..", tree.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("self.txt", tree.join("self.txt")).unwrap();
    std::os::unix::fs::symlink("b.txt", tree.join("a.txt")).unwrap();
    std::os::unix::fs::symlink("a.txt", tree.join("b.txt")).unwrap();
    let out = kintsugi()
        .current_dir(dir.path())
        .args(["--format", "concise", "tree"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    // Links are not followed: the one real file is linted once, the loops are not entered.
    expect(&out, 1, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("draft.txt").count(), 1, "{stdout}");
    // Naming a looping or dangling link directly is an error that says so, not a hang.
    std::os::unix::fs::symlink("gone.txt", tree.join("dangling.txt")).unwrap();
    for link in ["tree/self.txt", "tree/a.txt", "tree/dangling.txt"] {
        let out = run_in(dir.path(), &[link]);
        expect(
            &out,
            2,
            &[
                link,
                "シンボリックリンクの先がないか、リンクがループしています",
            ],
        );
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret.txt");
    std::fs::write(&file, "多忙のため遅れました。\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&file).is_ok() {
        // Root (as in many containers and CI runners) reads it anyway: nothing to test.
        println!("note: running with privileges that ignore file permissions; skipped");
        return;
    }
    let out = run_in(dir.path(), &["secret.txt"]);
    expect(&out, 2, &["エラー", "secret.txt: 読み込めません"]);
}

#[test]
fn nonexistent_path_is_an_error_and_other_inputs_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["no/such/file.txt"]);
    expect(
        &out,
        2,
        &[
            "エラー",
            "no/such/file.txt",
            "ファイルまたはディレクトリが存在しません",
        ],
    );
    std::fs::write(dir.path().join("draft.txt"), "多忙のため遅れました。\n").unwrap();
    let out = run_in(
        dir.path(),
        &["--format", "concise", "missing.txt", "draft.txt"],
    );
    expect(&out, 2, &["missing.txt"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("draft.txt:1:1:"));
}

#[test]
fn no_path_at_all_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    expect(
        &run_in(dir.path(), &[]),
        2,
        &["検査するファイルを指定してください"],
    );
}

/// `--rules` takes a rule file or a folder of them; a folder with none, or a missing path,
/// is an error (`--no-builtin --rules emptydir` used to run zero rules and pass).
#[test]
fn rules_paths_that_add_no_rules_and_a_directory_given_to_config() {
    let dir = rules_dir_with(&rule_file(r#"regex = "多忙""#));
    let out = kintsugi()
        .args(["--isolated", "--no-builtin", "--format", "concise"])
        .args([
            "--rules",
            dir.path().join("mine.toml").to_str().unwrap(),
            BAD_LETTER,
        ])
        .output()
        .unwrap();
    expect(&out, 1, &[]);
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    for (name, reason) in [
        ("empty", "ルールファイル（*.toml）が1つもありません"),
        ("team-rules", "ファイルもディレクトリも存在しません"),
    ] {
        let path = dir.path().join(name);
        let out = kintsugi()
            .args(["--rules", path.to_str().unwrap(), BAD_LETTER])
            .output()
            .unwrap();
        expect(&out, 2, &[name, reason]);
    }
    let out = kintsugi()
        .args(["--config", dir.path().to_str().unwrap(), BAD_LETTER])
        .output()
        .unwrap();
    expect(
        &out,
        2,
        &[dir.path().to_str().unwrap(), "設定ファイルを読み込めません"],
    );
    let out = kintsugi()
        .args(["tokens", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    expect(&out, 2, &["エラー"]);
}

#[test]
fn malformed_rule_toml_names_file_line_and_column() {
    let dir = rules_dir_with("[[rule]]\nid = \"my-rule\"\ncategory = \n");
    let out = kintsugi()
        .args(["--rules", dir.path().to_str().unwrap(), BAD_LETTER])
        .output()
        .unwrap();
    let file = dir.path().join("mine.toml");
    expect(
        &out,
        2,
        &[
            &format!("{}:3:", file.display()),
            "ルールファイルを解析できません",
        ],
    );
}

#[test]
fn invalid_regex_names_file_line_and_column() {
    let dir = rules_dir_with(&rule_file(r#"regex = "(unclosed""#));
    let out = kintsugi()
        .args(["--rules", dir.path().to_str().unwrap(), BAD_LETTER])
        .output()
        .unwrap();
    let file = dir.path().join("mine.toml");
    expect(
        &out,
        2,
        &[&format!("{}:8:9", file.display()), "正規表現が不正です"],
    );
}

#[test]
fn patterns_that_can_never_match_or_always_match_are_refused() {
    let cases = [
        (
            r#"tokens = [{ pos = "名刺" }]"#,
            "品詞「名刺」は IPADIC にありません",
        ),
        (
            r#"tokens = [{ surface = "多忙", optional = true }]"#,
            "必須トークンが 1 つもない",
        ),
        (r#"regex = "x*""#, "空文字列に一致"),
    ];
    for (pattern, message) in cases {
        let dir = rules_dir_with(&rule_file(pattern));
        let out = kintsugi()
            .args(["--rules", dir.path().to_str().unwrap(), BAD_LETTER])
            .output()
            .unwrap();
        expect(&out, 2, &["mine.toml:8:", message]);
    }
    // A regex no text can match (an empty class) compiles; its bad example catches it.
    let dir = rules_dir_with(&rule_file(r#"regex = "[^\\s\\S]多忙""#));
    let out = kintsugi()
        .args(["test-rules", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    expect(&out, 1, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("失敗") && stdout.contains("失敗 1 件"),
        "{stdout}"
    );
}

#[test]
fn unknown_rule_ids_in_select_and_in_config() {
    let out = kintsugi()
        .args(["--select", "no-such-rule", BAD_LETTER])
        .output()
        .unwrap();
    expect(
        &out,
        2,
        &[
            "コマンドライン",
            "該当するルールもカテゴリもありません: no-such-rule",
        ],
    );
    let out = kintsugi()
        .args(["--ignore", "busyness-as-excuse,typo-rule", BAD_LETTER])
        .output()
        .unwrap();
    expect(&out, 2, &["typo-rule"]);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("kintsugi.toml"),
        "select = [\"no-such-rule\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("draft.txt"), "多忙のため遅れました。\n").unwrap();
    let out = run_in(dir.path(), &["draft.txt"]);
    expect(
        &out,
        2,
        &[
            "kintsugi.toml:1:11",
            "「no-such-rule」という ID のルールもカテゴリもありません",
        ],
    );
}

/// Every name a config file writes is checked when it loads, at its line and column, with
/// the closest known name: a misspelt rule id in `[severity]` or `[per-file-ignores]` used to
/// load silently and change nothing.
#[test]
fn every_name_in_a_config_is_checked_where_it_is_written() {
    let cases = [
        (
            "[severity]\nkeigo-missuse = \"info\"\n",
            "kintsugi.toml:2:1",
            "「keigo-missuse」という ID のルールもカテゴリもありません",
            "もしかして: 「keigo-misuse」",
        ),
        (
            "[per-file-ignores]\n\"*.txt\" = [\"personal-dta\"]\n",
            "kintsugi.toml:2:12",
            "「personal-dta」という ID",
            "もしかして: 「personal-data」",
        ),
        (
            "[kind]\n\"*.txt\" = \"apologie\"\n",
            "kintsugi.toml:2:11",
            "文書の種類「apologie」はありません",
            "もしかして: 「apology」",
        ),
        (
            "# comment\nselect = [\"promise-without-deadline\", \"blame-shiftin\"]\n",
            "kintsugi.toml:2:39",
            "「blame-shiftin」という ID",
            "もしかして: 「blame-shifting」",
        ),
        (
            "ignore = [\"zzz-unknown\"]\n",
            "kintsugi.toml:1:11",
            "「zzz-unknown」という ID",
            "`kintsugi-lint rules` で一覧を確認できます",
        ),
        (
            "fail-on = \"warnin\"\n",
            "kintsugi.toml:1:11",
            "値「warnin」はありません（使える値: info, warning, error）",
            "もしかして: 「warning」",
        ),
        (
            "selct = [\"blame-shifting\"]\n",
            "kintsugi.toml:1:1",
            "項目「selct」はありません",
            "もしかして: 「select」",
        ),
        // TOML syntax errors are Japanese too, not the parser's English in a Japanese frame.
        (
            "fail-on = error\n",
            "kintsugi.toml:1:11",
            "設定ファイルを解析できません: 文字列の値は引用符で囲んでください",
            "",
        ),
        (
            "select = [\"a\"\n",
            "kintsugi.toml:1:",
            "配列が「]」で閉じられていません",
            "",
        ),
    ];
    for (config, place, message, hint) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("kintsugi.toml"), config).unwrap();
        std::fs::write(dir.path().join("draft.txt"), "多忙のため遅れました。\n").unwrap();
        let out = run_in(dir.path(), &["draft.txt"]);
        expect(&out, 2, &[place, message, hint]);
        assert!(!stderr(&out).contains("kintsugi::"), "{}", stderr(&out));
    }
}

/// Names typed on the command line get the same "did you mean" as names in a config.
#[test]
fn misspelt_names_on_the_command_line_get_a_suggestion() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["--select", "busyness-as-excus", BAD_LETTER],
            "もしかして: 「busyness-as-excuse」",
        ),
        (
            &["--kind", "apologie", BAD_LETTER],
            "文書の種類「apologie」はありません（もしかして: 「apology」。",
        ),
        (&["new", "notise"], "もしかして: 「notice」"),
        (
            &["rule", "busyness-as-excus"],
            "ルール「busyness-as-excus」はありません（もしかして: 「busyness-as-excuse」）",
        ),
        (
            &["rule", "blame-shifting"],
            "「blame-shifting」はカテゴリの名前です",
        ),
        (
            &["rulez"],
            "「rulez」というファイルもサブコマンドもありません（もしかして: `kintsugi-lint rules`）",
        ),
    ];
    for (args, needle) in cases {
        let out = kintsugi().args(args).output().unwrap();
        expect(&out, 2, &[needle]);
    }
    // An existing file of that name is linted as always.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rulez"), "多忙のため遅れました。\n").unwrap();
    let out = run_in(dir.path(), &["rulez"]);
    assert!(!stderr(&out).contains("サブコマンド"), "{}", stderr(&out));
}

/// A misspelt field or value in a rule file is named in Japanese, at its line, with the
/// field or value that was meant.
#[test]
fn misspelt_rule_file_fields_are_named_with_a_suggestion() {
    let content =
        rule_file("regex = \"多忙\"").replace("regex = ", "unles = [\"deadline\"]\nregex = ");
    let line = content
        .lines()
        .position(|l| l.starts_with("unles"))
        .unwrap()
        + 1;
    let out = test_rules_on(&content);
    let place = format!("mine.toml:{line}:1");
    expect(
        &out,
        2,
        &[
            &place,
            "ルールファイルを解析できません: 項目「unles」はありません",
            "もしかして: 「unless」",
        ],
    );
    let content = rule_file("regex = \"多忙\"").replace("\"warning\"", "\"warnig\"");
    let out = test_rules_on(&content);
    expect(
        &out,
        2,
        &["値「warnig」はありません", "もしかして: 「warning」"],
    );
}

/// A refused huge regex, or a config line of 500,000 unknown names, is located by
/// path:line:column without quoting megabytes of it (miette quoted the whole line).
#[test]
fn huge_lines_in_rule_and_config_files_are_not_echoed() {
    let alternatives: Vec<String> = (0..100_000).map(|i| format!("w{i}")).collect();
    let pattern = format!("regex = \"多忙|{}\"", alternatives.join("|"));
    let out = test_rules_on(&rule_file(&pattern));
    expect(&out, 2, &["mine.toml:8:9", "正規表現が長すぎます"]);
    assert!(out.stderr.len() < 4_000, "{} bytes", out.stderr.len());

    let names: Vec<String> = (0..500_000).map(|i| format!("\"n{i}\"")).collect();
    let dir = tempfile::tempdir().unwrap();
    let config = format!("select = [{}]\n", names.join(","));
    std::fs::write(dir.path().join("kintsugi.toml"), config).unwrap();
    std::fs::write(dir.path().join("draft.txt"), "多忙のため遅れました。\n").unwrap();
    let out = run_in(dir.path(), &["draft.txt"]);
    expect(
        &out,
        2,
        &["kintsugi.toml:1:11", "「n0」", "ほかにも 499999 件"],
    );
    assert!(out.stderr.len() < 4_000, "{} bytes", out.stderr.len());
}

/// An `.eml` that cannot be read says why: cut off before its closing MIME boundary, no
/// headers at all (a body saved as .eml), or no text part.
#[test]
fn an_unreadable_mail_says_why() {
    let cases = [
        (
            "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"XYZ\"\n\n--XYZ\nContent-Type: text/plain; charset=utf-8\n\n多忙のため遅れました。\n",
            "MIME の区切り「--XYZ--」で閉じられていません",
        ),
        (
            "多忙のため遅れました。\n",
            "メールのヘッダー（From: や Subject: など）がありません",
        ),
        (
            "Subject: x\nContent-Type: image/png\n\nabc\n",
            "テキストの本文（text/plain か text/html）がありません",
        ),
    ];
    for (mail, reason) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("m.eml"), mail).unwrap();
        let out = run_in(dir.path(), &["m.eml"]);
        expect(&out, 2, &["m.eml: メールとして読めません: ", reason]);
    }
}

/// The same OS error reads the same, in Japanese, wherever it is met: an input, `tokens`,
/// `--config`, `--rules` (it was `No such file or directory (os error 2)` in two of them).
#[test]
fn os_errors_are_said_in_japanese_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.txt"), "多忙のため遅れました。\n").unwrap();
    let cases: [&[&str]; 4] = [
        &["missing.txt"],
        &["tokens", "missing.txt"],
        &["--config", "missing.toml", "x.txt"],
        &["--rules", "missing.toml", "x.txt"],
    ];
    for args in cases {
        let out = run_in(dir.path(), args);
        expect(&out, 2, &["missing.", "存在しません"]);
        let err = stderr(&out);
        assert!(!err.contains("os error"), "{args:?}: {err}");
    }
}

/// A user's text echoed in an error is bounded: thousands of unknown names in `--select`
/// (or one enormous one) must not fill the terminal.
#[test]
fn echoed_names_are_shortened() {
    let names: Vec<String> = (0..10_000).map(|i| format!("no-rule-{i}")).collect();
    let out = kintsugi()
        .args(["--select", &names.join(","), BAD_LETTER])
        .output()
        .unwrap();
    expect(&out, 2, &["no-rule-0, no-rule-1", "文字省略）"]);
    assert!(out.stderr.len() < 4_000, "{} bytes", out.stderr.len());
    let out = kintsugi()
        .args(["rule", &"x".repeat(100_000)])
        .output()
        .unwrap();
    expect(&out, 2, &["（以下 99800 文字省略）"]);
    assert!(out.stderr.len() < 4_000, "{} bytes", out.stderr.len());
}

#[test]
fn conflicting_flags_are_usage_errors() {
    for args in [
        &["--fix", "--diff", BAD_LETTER][..],
        &["--config", "kintsugi.toml", "--isolated", BAD_LETTER],
        &["--statistics", "--format", "sarif", BAD_LETTER],
        &["--threads", "many", BAD_LETTER],
    ] {
        let out = kintsugi().args(args).output().unwrap();
        expect(&out, 2, &[]);
        assert!(!stderr(&out).is_empty(), "{args:?}: no message");
    }
    let out = kintsugi()
        .args(["--fix", "--diff", BAD_LETTER])
        .output()
        .unwrap();
    expect(
        &out,
        2,
        &["エラー: --fix と --diff は一緒に使えません", "使い方:"],
    );
}

/// clap's usage errors are said in Japanese, with the usage line and where to read more;
/// English stays available by locale.
#[test]
fn usage_errors_are_japanese() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["--bogus", BAD_LETTER],
            "オプション「--bogus」はありません",
        ),
        (&["--formt", "json", BAD_LETTER], "（もしかして: --format）"),
        (
            &["--format", "xml", BAD_LETTER],
            "--format <FORMAT> に「xml」は使えません（使える値: full, concise,",
        ),
        (&["--threads", "many", BAD_LETTER], "数で指定してください"),
        (&["rule"], "<ID> を指定してください"),
        (&["rules", "extra"], "余分な引数「extra」があります"),
    ];
    for (args, needle) in cases {
        let out = kintsugi().args(args).output().unwrap();
        expect(
            &out,
            2,
            &[needle, "使い方: kintsugi-lint", "kintsugi-lint --help"],
        );
        let err = stderr(&out);
        assert!(!err.contains("error:") && !err.contains("Usage"), "{err}");
    }
    // A subcommand's error shows that subcommand's usage.
    let out = kintsugi().arg("rule").output().unwrap();
    expect(&out, 2, &["使い方: kintsugi-lint rule [オプション] <ID>"]);
    let out = kintsugi()
        .env("KINTSUGI_LINT_LANG", "en")
        .args(["--bogus", BAD_LETTER])
        .output()
        .unwrap();
    expect(&out, 2, &["unexpected argument '--bogus'"]);
}

/// A file without line breaks: the default report quoted the whole line per finding (a
/// 5 MB line took gigabytes) and panicked past 65 535 characters of padding. Now each
/// report shows a window of the line around the finding.
#[test]
fn a_very_long_single_line_in_the_default_format() {
    let dir = tempfile::tempdir().unwrap();
    let sentence = "多忙のため遅れました。詳細は後日お知らせします。対応を検討します。";
    let line = sentence.repeat(3_000); // about 290 KB, 96 000 characters, one line
    std::fs::write(dir.path().join("one-line.txt"), &line).unwrap();
    let out = run_in(dir.path(), &["--color", "never", "one-line.txt"]);
    expect(&out, 1, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let findings = stdout.matches("one-line.txt:1:").count();
    assert!(findings >= 3_000, "{findings} findings");
    assert!(
        stdout.len() < findings * 2_000,
        "{} bytes of report for {findings} findings",
        stdout.len()
    );
    // Columns are still counted from the line's start: the last finding is far right.
    let last_column: usize = stdout
        .rsplit("one-line.txt:1:")
        .next()
        .and_then(|rest| rest.split(']').next())
        .and_then(|col| col.parse().ok())
        .unwrap();
    assert!(last_column > 90_000, "{last_column}");
}

#[test]
fn a_panic_is_reported_as_a_bug_with_exit_2() {
    for place in ["main", "thread"] {
        let out = common::binary()
            .env("KINTSUGI_LINT_TEST_PANIC", place)
            .arg(BAD_LETTER)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{place}: {err}");
        assert!(
            err.contains("内部エラーが発生しました（バグです）")
                && err.contains("報告してください")
                && err.contains("KINTSUGI_LINT_TEST_PANIC"),
            "{place}: {err}"
        );
        assert!(
            out.stdout.is_empty(),
            "{place}: nothing is reported after a panic"
        );
    }
}

/// A folder of HTML and e-mail notices is linted when walked (every format kintsugi-lint
/// reads is walked by default); a folder with nothing to lint says so and why, instead of a
/// silent "no findings".
#[test]
fn walked_folders_lint_every_supported_type_or_say_why_not() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("notices")).unwrap();
    std::fs::write(
        dir.path().join("notices/outage.html"),
        "<html><body><p>対応を検討します。</p></body></html>\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("notices/reply.eml"),
        "Subject: =?UTF-8?B?5Lu25ZCN?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n対応を検討します。\r\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["--format", "concise", "notices"]);
    expect(&out, 1, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("outage.html:") && stdout.contains("reply.eml:"),
        "{stdout}"
    );

    std::fs::create_dir(dir.path().join("scans")).unwrap();
    std::fs::write(dir.path().join("scans/letter.pdf"), "%PDF-1.4\n").unwrap();
    std::fs::write(dir.path().join("scans/.gitignore"), "draft.txt\n").unwrap();
    std::fs::write(dir.path().join("scans/draft.txt"), "対応を検討します。\n").unwrap();
    let out = run_in(dir.path(), &["--format", "github", "scans"]);
    expect(
        &out,
        0,
        &[
            "注意",
            "scans",
            "検査できるファイルがありませんでした",
            "対象外の種類",
            ".gitignore",
        ],
    );
}

/// A device that never ends, or an input over the size limit, is an error naming it, not a
/// run that fills the memory; the limit can be raised.
#[cfg(unix)]
#[test]
fn endless_and_oversized_inputs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["/dev/zero"]);
    expect(&out, 2, &["/dev/zero", "64 MiB を超える", "--max-size"]);
    // std's Command: assert_cmd would read all of /dev/zero into memory first.
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("kintsugi-lint"))
        .arg("-")
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    expect(&out, 2, &["<stdin>", "64 MiB を超える"]);
    let big = "対応を検討します。\n".repeat(80_000); // 2.2 MB
    std::fs::write(dir.path().join("big.txt"), &big).unwrap();
    let out = run_in(dir.path(), &["--max-size", "1", "big.txt"]);
    expect(&out, 2, &["big.txt", "1 MiB を超える"]);
    let out = run_in(dir.path(), &["--max-size", "1", "--fix", "big.txt"]);
    expect(&out, 2, &["big.txt", "1 MiB を超える"]);
    let out = run_in(
        dir.path(),
        &["--max-size", "3", "--format", "concise", "big.txt"],
    );
    expect(&out, 1, &[]);
}

/// --threads beyond the cores is capped (thousands of threads used to take minutes), and 0
/// means one per core; the findings are the same.
#[test]
fn absurd_thread_counts_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "対応を検討します。\n").unwrap();
    let plain = run_in(dir.path(), &["--format", "concise", "a.txt"]);
    for threads in ["0", "100000"] {
        let out = run_in(
            dir.path(),
            &["--threads", threads, "--format", "concise", "a.txt"],
        );
        expect(&out, 1, &[]);
        assert_eq!(out.stdout, plain.stdout, "--threads {threads}");
    }
}

/// Fix flags that would do nothing are refused instead of passing silently.
#[test]
fn fix_flags_that_would_do_nothing_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "資料を拝見させていただきました。\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["--unsafe-fixes", "a.txt"]);
    expect(&out, 2, &["--unsafe-fixes は --fix か --diff と一緒に"]);
    let out = run_in(dir.path(), &["--diff", "--format", "json", "a.txt"]);
    expect(&out, 2, &["--diff は差分そのものを出力する", "--format"]);
    let text = std::fs::read_to_string(dir.path().join("a.txt")).unwrap();
    assert_eq!(text, "資料を拝見させていただきました。\n");
}

/// A report that could not be written is a failed run (an empty SARIF file used to pass CI
/// with exit 0), and a full stderr never aborts the process.
#[cfg(target_os = "linux")]
#[test]
fn failed_writes_of_the_report_fail_the_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "対応を検討します。\n").unwrap();
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for format in ["full", "sarif", "json"] {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("kintsugi-lint"))
            .current_dir(dir.path())
            .args(["--format", format, "a.txt"])
            .stdout(full())
            .output()
            .unwrap();
        expect(&out, 2, &["結果を標準出力に書き込めませんでした"]);
    }
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("kintsugi-lint"))
        .current_dir(dir.path())
        .args(["nope.txt", "a.txt"])
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

/// Control characters in a draft reach no terminal raw (`\x1b]0;…\x07` retitled the window):
/// every human- or log-facing format shows them escaped, and positions stay right.
#[test]
fn terminal_escapes_in_a_draft_are_shown_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    let text = "お客様各位\n\x1b]0;pwned\x07\u{202E}対応を検討します。\n";
    std::fs::write(dir.path().join("esc.txt"), text).unwrap();
    for format in ["full", "concise", "github"] {
        let out = run_in(
            dir.path(),
            &["--color", "never", "--format", format, "esc.txt"],
        );
        expect(&out, 1, &[]);
        let shown = String::from_utf8(out.stdout).unwrap();
        assert!(
            !shown.contains('\x1b') && !shown.contains('\x07') && !shown.contains('\u{202E}'),
            "{format}: {shown:?}"
        );
        assert!(
            shown.contains(":2:") || shown.contains("line=2"),
            "{format}: {shown}"
        );
    }
}

/// A lone CR ends a line for line numbers, as editors show the file.
#[test]
fn lone_carriage_returns_end_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mac.txt"),
        "お客様各位\r\r対応を検討します。\r",
    )
    .unwrap();
    let out = run_in(dir.path(), &["--format", "concise", "mac.txt"]);
    expect(&out, 1, &[]);
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.starts_with("mac.txt:3:4: "), "{shown}");
}

/// What a browser hides stays unlinted when the page leaves a comment, script or quoted
/// attribute open (an unclosed `<!--` used to expose the rest of the file to the rules).
#[test]
fn html_left_open_hides_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    for (name, page) in [
        (
            "comment.html",
            "<p>お知らせ</p>\n<!-- 対応を検討します。\n多忙で遅れました。\n",
        ),
        (
            "script.html",
            "<p>お知らせ</p><script>\n// 対応を検討します。\n",
        ),
        ("quote.html", "<p title=\"x>対応を検討します。</p>\n"),
    ] {
        std::fs::write(dir.path().join(name), page).unwrap();
        let out = run_in(
            dir.path(),
            &[
                "--format",
                "concise",
                "--select",
                "promise-without-deadline,blame-shifting",
                name,
            ],
        );
        expect(&out, 0, &[]);
    }
}
