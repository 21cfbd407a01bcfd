//! Never lose text: `--fix` replaces each file atomically (a temporary file in the same
//! folder, then a rename), so killing the process at any point leaves every file with
//! either its old or its new content, never a mix or a truncation; and nothing but `--fix`
//! (and `init`, which creates a config file) ever writes anywhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use assert_cmd::cargo::CommandCargoExt;
use kintsugi_lint::fix::{FixMode, fix_text};
use kintsugi_lint::{Linter, RuleSet};

/// Paragraphs with safe fixes (させていただく → する, …) and findings without fixes.
const PARAGRAPH: &str = "拝見させていただきました。多忙のため遅れました。\n\
ご確認させていただきます。対応を検討します。\r\n\
弊社といたしましては、ご案内させていただきます。\n\n";

fn binary() -> std::process::Command {
    let mut cmd = std::process::Command::cargo_bin("kintsugi-lint").expect("binary is built");
    cmd.env_remove("KINTSUGI_LINT_TEST_PANIC");
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

/// Runs the binary in `dir` and captures its output.
fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::cargo_bin("kintsugi-lint").expect("binary is built");
    cmd.env_remove("KINTSUGI_LINT_TEST_PANIC")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `count` texts of about `size` bytes with their expected content after `--fix`.
fn contents(count: usize, size: usize) -> Vec<(String, String)> {
    let linter = Linter::new(RuleSet::builtin().unwrap());
    let mut body = String::new();
    while body.len() < size {
        body.push_str(PARAGRAPH);
    }
    let (fixed_body, applied) =
        fix_text(&linter, "notice.txt", &body, FixMode::Safe).expect("the built-in fixes converge");
    assert!(
        applied > 0 && fixed_body != body,
        "the test needs fixable text"
    );
    (0..count)
        .map(|i| {
            // Distinct files; the first line has nothing to fix, so fixing stays per-body.
            let head = format!("件名: お知らせ {i}\n\n");
            let (text, fixed) = (format!("{head}{body}"), format!("{head}{fixed_body}"));
            if i == 0 {
                let (check, _) = fix_text(&linter, "notice.txt", &text, FixMode::Safe)
                    .expect("the built-in fixes converge");
                assert_eq!(check, fixed);
            }
            (text, fixed)
        })
        .take(count)
        .collect()
}

/// Writes the texts as files in `dir`; returns each path with its old and new content.
fn write_tree(dir: &Path, texts: &[(String, String)]) -> BTreeMap<PathBuf, (String, String)> {
    texts
        .iter()
        .enumerate()
        .map(|(i, pair)| {
            let path = dir.join(format!("notice-{i:03}.txt"));
            std::fs::write(&path, &pair.0).unwrap();
            (path, pair.clone())
        })
        .collect()
}

#[test]
fn killing_fix_midway_leaves_every_file_old_or_new() {
    let dir = tempfile::tempdir().unwrap();
    let texts = contents(500, 2 * 1024);
    // How long a full run takes on this machine, to spread the kills over it.
    let files = write_tree(dir.path(), &texts);
    let start = Instant::now();
    let status = binary().arg("--fix").arg(dir.path()).status().unwrap();
    let full = start.elapsed();
    assert!(matches!(status.code(), Some(0 | 1)), "{status}");
    for (path, (_, new)) in &files {
        assert_eq!(
            &std::fs::read_to_string(path).unwrap(),
            new,
            "{}",
            path.display()
        );
    }

    let mut seen_mixed = false;
    // Twenty kills spread over the run (a fixed spread, so a failure can be replayed).
    for fraction in (0..20).map(|i| 0.05 + 0.9 * f64::from(i) / 19.0) {
        let dir = tempfile::tempdir().unwrap();
        let files = write_tree(dir.path(), &texts);
        let mut child = binary().arg("--fix").arg(dir.path()).spawn().unwrap();
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill(); // SIGKILL: no destructors, no cleanup.
        let _ = child.wait();
        let (mut old, mut new) = (0, 0);
        for (path, (old_text, new_text)) in &files {
            let now = std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("{}: {e} after kill at {fraction}", path.display()));
            if now == *old_text {
                old += 1;
            } else if now == *new_text {
                new += 1;
            } else {
                panic!(
                    "{} is neither old nor new after a kill at {fraction} of the run ({} bytes)",
                    path.display(),
                    now.len()
                );
            }
        }
        seen_mixed |= old > 0 && new > 0;
        // A SIGKILL may leave a temporary file behind (never a .txt/.md the next run lints),
        // and the next --fix names it.
        let mut left = Vec::new();
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if !files.contains_key(&path) {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                assert!(name.contains(".kintsugi-tmp-"), "unexpected file {name}");
                left.push(name);
            }
        }
        if !left.is_empty() {
            let out = run(dir.path(), &["--fix", "."]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
            for name in &left {
                assert!(
                    stderr.contains(name.as_str()) && stderr.contains("一時ファイル"),
                    "{stderr}"
                );
            }
        }
        println!("kill at {fraction:.2} of {full:?}: {old} old, {new} new");
    }
    // With the kills spread over the run, at least one landed between two files' writes.
    assert!(seen_mixed, "no kill landed mid-run; the run took {full:?}");
}

/// Every file and folder under `root` with its content and modification time.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir_sorted(root)
        .into_iter()
        .map(|path| {
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let content = if meta.is_file() {
                std::fs::read(&path).unwrap()
            } else {
                Vec::new()
            };
            (path, (content, meta.modified().unwrap()))
        })
        .collect()
}

fn walkdir_sorted(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if out[i].is_dir() {
            let mut children: Vec<PathBuf> = std::fs::read_dir(&out[i])
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            children.sort();
            out.extend(children);
        }
        i += 1;
    }
    out
}

#[test]
fn nothing_but_fix_writes_anything() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("docs/rules")).unwrap();
    std::fs::write(root.join("kintsugi.toml"), "fail-on = \"info\"\n").unwrap();
    std::fs::write(root.join("docs/letter.txt"), PARAGRAPH).unwrap();
    std::fs::write(
        root.join("docs/notice.md"),
        format!("# お知らせ\n\n{PARAGRAPH}"),
    )
    .unwrap();
    std::fs::write(
        root.join("docs/sjis.txt"),
        encoding_rs::SHIFT_JIS.encode(PARAGRAPH).0,
    )
    .unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/rules/keigo-misuse.toml"),
        root.join("docs/rules/keigo-copy.toml"),
    )
    .unwrap();
    // Mark everything read-only too (root ignores that, so the snapshot is the real check).
    for path in walkdir_sorted(root) {
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        if path.is_file() {
            permissions.set_readonly(true);
            std::fs::set_permissions(&path, permissions).unwrap();
        }
    }
    // Coarse file-system timestamps would hide a rewrite done within the same tick.
    std::thread::sleep(Duration::from_millis(20));
    let before = snapshot(root);
    let formats = [
        "full",
        "concise",
        "json",
        "json-lines",
        "sarif",
        "github",
        "junit",
        "rdjson",
    ];
    let mut runs: Vec<Vec<String>> = formats
        .iter()
        .map(|f| vec!["--format".into(), f.to_string(), "docs".into()])
        .collect();
    for extra in [
        &["--diff", "docs"][..],
        &["--diff", "--unsafe-fixes", "docs"],
        &["--statistics", "docs"],
        &["--rules", "docs/rules", "--no-builtin", "docs"],
        &["--isolated", "--encoding", "shift_jis", "docs/sjis.txt"],
        &["rules"],
        &["rule", "busyness-as-excuse"],
        &["tokens", "docs/letter.txt"],
        &["test-rules", "docs/rules"],
        &["--version"],
        &["--help"],
    ] {
        runs.push(extra.iter().map(|s| s.to_string()).collect());
    }
    for args in &runs {
        let status = binary().current_dir(root).args(args).status().unwrap();
        assert!(matches!(status.code(), Some(0..=2)), "{args:?}: {status}");
    }
    // Standard input, too.
    let mut stdin_run = binary()
        .current_dir(root)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    stdin_run
        .stdin
        .take()
        .unwrap()
        .write_all(PARAGRAPH.as_bytes())
        .unwrap();
    stdin_run.wait().unwrap();
    let after = snapshot(root);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "files were created or removed"
    );
    for (path, old) in &before {
        assert_eq!(&after[path], old, "{} changed", path.display());
    }
}

// ---------------------------------------------------------------------------------------
// --fix never loses a word (issue: saves, links, bytes, permissions, exclusions).

/// A fixable text of about `size` bytes and what --fix makes of it.
fn fixable(size: usize) -> (String, String) {
    contents(1, size).remove(0)
}

/// Another program saves the file the moment --fix's temporary file appears (in place, or
/// by renaming its own temporary file over it, as editors do): its text is what remains,
/// and the run says it did not write. The watcher polls, so on a busy machine it can miss
/// the window; a run it missed must then have fixed the file normally.
#[test]
fn a_save_during_fix_is_never_overwritten() {
    // 2.6 MB, so that writing the temporary file takes a while; mostly lines no rule looks
    // at, so that linting it does not (the test runs unoptimized in CI).
    let (head, fixed_head) = fixable(2_000);
    let padding = format!("{}\n", "abcdefghij".repeat(10)).repeat(26_000);
    let (text, fixed) = (format!("{head}{padding}"), format!("{fixed_head}{padding}"));
    let mut caught = [0, 0];
    let mut detected = 0;
    // Enough attempts that a machine busy with other builds still gives the watcher its
    // windows; a quiet one stops after a handful.
    for attempt in 0..120 {
        if caught.iter().all(|&n| n >= 2) && detected >= 2 {
            break;
        }
        let in_place = attempt % 2 == 0;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, &text).unwrap();
        let saved = format!("保存しました {in_place}\n{text}");
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watcher = {
            let (dir, path, saved) = (dir.path().to_path_buf(), path.clone(), saved.clone());
            let done = std::sync::Arc::clone(&done);
            std::thread::spawn(move || {
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let appeared = std::fs::read_dir(&dir).unwrap().any(|e| {
                        e.map(|e| e.file_name().to_string_lossy().contains(".kintsugi-tmp-"))
                            .unwrap_or(false)
                    });
                    if appeared {
                        if in_place {
                            std::fs::write(&path, &saved).unwrap();
                        } else {
                            let own = dir.join("big.txt.editor~");
                            std::fs::write(&own, &saved).unwrap();
                            std::fs::rename(&own, &path).unwrap();
                        }
                        return true;
                    }
                }
                false
            })
        };
        let out = run(dir.path(), &["--fix", "big.txt"]);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let now = std::fs::read_to_string(&path).unwrap();
        if !watcher.join().unwrap() {
            assert_eq!(now, fixed, "a run the watcher missed fixed the file");
            continue;
        }
        caught[usize::from(in_place)] += 1;
        assert_eq!(
            now, saved,
            "the other program's save was lost (in place: {in_place})"
        );
        // Either the run saw the save and said so, or the save came after the swap (and
        // replaced the fixed text, which is the other program's to do).
        if out.status.code() == Some(2) {
            detected += 1;
            assert!(stderr_of(&out).contains("big.txt"), "{}", stderr_of(&out));
            assert!(stderr_of(&out).contains("変更"), "{}", stderr_of(&out));
        }
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "temporary files left behind");
    }
    assert!(
        caught.iter().all(|&n| n >= 2) && detected >= 2,
        "the watcher caught too few fix windows: {caught:?}, {detected} detected"
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_fixed_through_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let (text, fixed) = fixable(200);
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::fs::write(dir.path().join("real/target.txt"), &text).unwrap();
    std::os::unix::fs::symlink("real/target.txt", dir.path().join("link.txt")).unwrap();
    let out = run(dir.path(), &["--fix", "link.txt"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        stderr_of(&out)
    );
    let link = std::fs::symlink_metadata(dir.path().join("link.txt")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("real/target.txt")).unwrap(),
        fixed
    );
}

#[cfg(unix)]
#[test]
fn a_hard_linked_file_is_not_split() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = fixable(200);
    std::fs::write(dir.path().join("a.txt"), &text).unwrap();
    std::fs::hard_link(dir.path().join("a.txt"), dir.path().join("b.txt")).unwrap();
    let out = run(dir.path(), &["--fix", "a.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("a.txt") && stderr_of(&out).contains("ハードリンク"),
        "{}",
        stderr_of(&out)
    );
    for name in ["a.txt", "b.txt"] {
        let path = dir.path().join(name);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        assert_eq!(std::fs::metadata(&path).unwrap().nlink(), 2);
    }
    // --diff writes nothing, so it still shows the fixes.
    let out = run(dir.path(), &["--diff", "a.txt"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("+++ b/a.txt"));
}

/// CP932's NEC and IBM extension characters have two encodings; a line no fix touches keeps
/// its bytes, and only the fixed span's bytes change.
#[test]
fn bytes_outside_the_fixes_are_kept_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sjis.txt");
    let untouched = [0xED, 0x40, 0x87, 0x90, 0xEE, 0xF9, b'\r', b'\n'];
    let (head, _, _) = encoding_rs::SHIFT_JIS.encode("件名: お知らせ\n");
    let (fixable, _, _) = encoding_rs::SHIFT_JIS.encode("資料を拝見させていただきました。\n");
    let original = [&head[..], &untouched, &fixable, &untouched].concat();
    std::fs::write(&path, &original).unwrap();
    let out = run(dir.path(), &["--fix", "--encoding", "cp932", "sjis.txt"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        stderr_of(&out)
    );
    let (fixed_line, _, _) = encoding_rs::SHIFT_JIS.encode("資料を拝見しました。\n");
    let expected = [&head[..], &untouched, &fixed_line, &untouched].concat();
    assert_eq!(std::fs::read(&path).unwrap(), expected);

    // EUC-JP: a JIS X 0212 character, which decoders read and encoders cannot write, does
    // not stop a fix elsewhere.
    let path = dir.path().join("euc.txt");
    let (fixable, _, _) = encoding_rs::EUC_JP.encode("資料を拝見させていただきました。\n");
    let original = [&[0x8F, 0xB0, 0xA1, b'\n'][..], &fixable].concat();
    std::fs::write(&path, &original).unwrap();
    let out = run(dir.path(), &["--fix", "--encoding", "euc-jp", "euc.txt"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        stderr_of(&out)
    );
    let (fixed_line, _, _) = encoding_rs::EUC_JP.encode("資料を拝見しました。\n");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        [&[0x8F, 0xB0, 0xA1, b'\n'][..], &fixed_line].concat()
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_reported_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = fixable(200);
    let path = dir.path().join("locked.txt");
    std::fs::write(&path, &text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = run(dir.path(), &["--fix", "locked.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("locked.txt") && stderr_of(&out).contains("読み取り専用"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
}

/// Runs the binary as `nobody` (the tests run as root in CI); `None` when this process
/// cannot switch users, where the case cannot arise as written.
#[cfg(unix)]
fn run_as_nobody(dir: &Path, args: &[&str]) -> Option<std::process::Output> {
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } != 0 {
        return None;
    }
    let binary = assert_cmd::cargo::cargo_bin("kintsugi-lint");
    Some(
        std::process::Command::new("setpriv")
            .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(binary)
            .args(args)
            .current_dir(dir)
            .output()
            .expect("setpriv runs"),
    )
}

/// As an ordinary user, a file owned by someone else in a folder anyone may write is not
/// replaced by one of the user's own; and as root, a fixed file keeps its owner and group.
#[cfg(unix)]
#[test]
fn owners_are_kept_and_foreign_files_are_not_replaced() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let (text, fixed) = fixable(200);
    let path = dir.path().join("roots.txt");
    std::fs::write(&path, &text).unwrap();
    let Some(out) = run_as_nobody(dir.path(), &["--isolated", "--fix", "roots.txt"]) else {
        eprintln!("not root: the owner cases need another user to run as");
        return;
    };
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("権限"), "{}", stderr_of(&out));
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(
        (meta.uid(), std::fs::read_to_string(&path).unwrap()),
        (0, text.clone())
    );

    // Root fixing nobody's file leaves it nobody's.
    let theirs = dir.path().join("theirs.txt");
    std::fs::write(&theirs, &text).unwrap();
    std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).unwrap();
    let out = run(dir.path(), &["--isolated", "--fix", "theirs.txt"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        stderr_of(&out)
    );
    let meta = std::fs::metadata(&theirs).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    assert_eq!(std::fs::read_to_string(&theirs).unwrap(), fixed);
}

/// A rule of a team's whose safe fix contains its own match.
const GROWING_RULE: &str = r#"
[[rule]]
id = "grow"
category = "team-wording"
severity = "warning"
message = "m"
help = "h"
description = "d"
tokens = [{ surface = "多忙" }]

[[rule.suggestion]]
replace = "REPLACE"
applicability = "safe"

[[rule.example]]
bad = "多忙です。"
flag = "多忙"
fixed = "FIXED"

[[rule.example]]
good = "暇です。"
"#;

fn growing_rule(replace: &str) -> String {
    let fixed = format!("{}です。", replace.replace("$0", "多忙"));
    GROWING_RULE
        .replace("REPLACE", replace)
        .replace("FIXED", &fixed)
}

/// A fix that re-creates its own finding is refused when the rule file loads; and when such
/// a rule reaches the engine anyway (a library user's), each span is fixed once.
#[test]
fn fixes_that_would_grow_forever_are_refused() {
    for replace in ["多忙多忙", "多忙多忙多忙多忙", "[期限]までに$0"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("rules")).unwrap();
        std::fs::write(dir.path().join("rules/grow.toml"), growing_rule(replace)).unwrap();
        std::fs::write(dir.path().join("a.txt"), "多忙のため遅れます。\n").unwrap();
        let out = run(
            dir.path(),
            &["--isolated", "--rules", "rules", "--fix", "a.txt"],
        );
        assert_eq!(out.status.code(), Some(2), "{replace}: {}", stderr_of(&out));
        assert!(stderr_of(&out).contains("grow.toml"), "{}", stderr_of(&out));
        assert!(stderr_of(&out).contains("繰り返す"), "{}", stderr_of(&out));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.txt")).unwrap(),
            "多忙のため遅れます。\n"
        );

        let parsed = kintsugi_lint::rules::parse_rule_file("grow.toml", &growing_rule(replace))
            .expect("parses");
        let rules = RuleSet::from_rules(parsed.rules.into_iter().map(|(r, _)| r).collect());
        let linter = Linter::new(rules);
        let (fixed, applied) =
            fix_text(&linter, "a.txt", "多忙のため遅れます。", FixMode::Safe).unwrap();
        assert_eq!(applied, 1, "{replace}: {fixed}");
        assert_eq!(
            fixed,
            format!("{}のため遅れます。", replace.replace("$0", "多忙"))
        );
    }
}

/// Rules left out for a file (per-file ignores, --ignore, --select, a severity of off, a
/// suppression comment) fix nothing there, with --fix or --diff.
#[test]
fn excluded_rules_fix_nothing() {
    let text = "資料を拝見させていただきました。\n";
    let cases: [(&str, &[&str], &str); 5] = [
        (
            "[per-file-ignores]\n\"templates/**\" = [\"keigo-misuse\"]\n",
            &[],
            text,
        ),
        ("[severity]\nhaiken-sasete-itadaku = \"off\"\n", &[], text),
        ("", &["--ignore", "keigo-misuse"], text),
        ("", &["--select", "blame-shifting"], text),
        (
            "",
            &[],
            "<!-- kintsugi-lint-disable-next-line haiken-sasete-itadaku -->\n資料を拝見させていただきました。\n",
        ),
    ];
    for (config, options, content) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("kintsugi.toml"), config).unwrap();
        let file = dir.path().join("templates/mail.txt");
        std::fs::write(&file, content).unwrap();
        for mode in ["--fix", "--diff"] {
            let mut args = options.to_vec();
            args.extend([mode, "templates/mail.txt"]);
            let out = run(dir.path(), &args);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{}",
                stderr_of(&out)
            );
            assert_eq!(
                std::fs::read_to_string(&file).unwrap(),
                content,
                "{config} {args:?}"
            );
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(!stdout.contains("+++"), "{config} {args:?}: {stdout}");
        }
    }
}

/// The same file named twice (or through its folder) is linted and fixed once.
#[test]
fn a_file_named_twice_is_fixed_once() {
    let (text, fixed) = fixable(20_000);
    let fix_run = |args: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("d")).unwrap();
        std::fs::write(dir.path().join("d/a.txt"), &text).unwrap();
        let mut all = vec!["--fix", "--format", "concise"];
        all.extend(args);
        let out = run(dir.path(), &all);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            stderr_of(&out)
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("d/a.txt")).unwrap(),
            fixed
        );
        String::from_utf8_lossy(&out.stdout).lines().count()
    };
    let once = fix_run(&["d/a.txt"]);
    for _ in 0..6 {
        for args in [
            &["d/a.txt", "d/a.txt"][..],
            &["d", "d/a.txt"],
            &["d/a.txt", "./d/../d/a.txt"],
        ] {
            assert_eq!(fix_run(args), once, "{args:?}: reported more than once");
        }
    }
}

/// SIGTERM or SIGINT in the middle of a large --fix leaves every file old or new and no
/// temporary file.
#[cfg(unix)]
#[test]
fn sigterm_and_sigint_leave_no_temporary_files() {
    let texts = contents(500, 2 * 1024);
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &texts);
    let start = Instant::now();
    let status = binary().arg("--fix").arg(dir.path()).status().unwrap();
    assert!(matches!(status.code(), Some(0 | 1)), "{status}");
    let full = start.elapsed();
    for run_number in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let files = write_tree(dir.path(), &texts);
        let mut child = binary().arg("--fix").arg(dir.path()).spawn().unwrap();
        std::thread::sleep(full.mul_f64(0.1 + 0.8 * run_number as f64 / 20.0));
        let signal = if run_number % 2 == 0 { "-TERM" } else { "-INT" };
        let _ = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status();
        let _ = child.wait();
        for (path, (old, new)) in &files {
            let now = std::fs::read_to_string(path).unwrap();
            assert!(
                now == *old || now == *new,
                "{} is neither old nor new",
                path.display()
            );
        }
        let extra: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| !files.contains_key(p))
            .map(|p| p.display().to_string())
            .collect();
        assert!(extra.is_empty(), "left after {signal}: {extra:?}");
    }
}

/// Write failures say what failed, in Japanese, and name the user's file.
#[cfg(unix)]
#[test]
fn write_failures_say_what_failed() {
    use std::os::unix::fs::PermissionsExt;
    let (text, _) = fixable(200);
    // A folder nobody may write into: the temporary file cannot be made.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("ro")).unwrap();
    std::fs::write(dir.path().join("ro/a.txt"), &text).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(
        dir.path().join("ro"),
        std::fs::Permissions::from_mode(0o555),
    )
    .unwrap();
    std::fs::set_permissions(
        dir.path().join("ro/a.txt"),
        std::fs::Permissions::from_mode(0o666),
    )
    .unwrap();
    if let Some(out) = run_as_nobody(dir.path(), &["--isolated", "--fix", "ro/a.txt"]) {
        assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains("ro/a.txt") && stderr.contains("書き込めません"),
            "{stderr}"
        );
        assert!(!stderr.contains("読み込めません"), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("ro/a.txt")).unwrap(),
            text
        );
    }
    std::fs::set_permissions(
        dir.path().join("ro"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();

    // A fix whose new words the file's encoding cannot hold.
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("emoji.toml"),
        GROWING_RULE
            .replace("REPLACE", "🙇 多用")
            .replace("FIXED", "🙇 多用です。"),
    )
    .unwrap();
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("多忙のため遅れます。\n");
    std::fs::write(dir.path().join("sjis.txt"), &sjis).unwrap();
    let out = run(
        dir.path(),
        &[
            "--isolated",
            "--rules",
            "rules",
            "--encoding",
            "shift_jis",
            "--fix",
            "sjis.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("sjis.txt") && stderr.contains("文字コード") && stderr.contains("「🙇」"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("sjis.txt")).unwrap(),
        &sjis[..]
    );
}
