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

/// `count` texts of about `size` bytes with their expected content after `--fix`.
fn contents(count: usize, size: usize) -> Vec<(String, String)> {
    let linter = Linter::new(RuleSet::builtin().unwrap());
    let mut body = String::new();
    while body.len() < size {
        body.push_str(PARAGRAPH);
    }
    let (fixed_body, applied) = fix_text(&linter, "notice.txt", &body, FixMode::Safe);
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
                let (check, _) = fix_text(&linter, "notice.txt", &text, FixMode::Safe);
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
    let texts = contents(16, 6 * 1024);
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
    for fraction in [0.1, 0.3, 0.5, 0.7, 0.9] {
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
        // A kill may leave a temporary file behind (never a .txt/.md the next run lints).
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if !files.contains_key(&path) {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                assert!(
                    name.starts_with(".tmp") && path.extension().is_none(),
                    "unexpected file {name}"
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
