//! Rule files from someone else's repository: a regex built to exhaust memory is refused
//! quickly, and a rule file is data only — no field makes kintsugi-lint read or write any
//! path (there is no include mechanism; unknown fields are errors).

use std::time::{Duration, Instant};

use kintsugi_lint::rules::parse_rule_file;

mod common;

fn rule_with(pattern_line: &str) -> String {
    common::rule_file("hostile", pattern_line)
}

/// Parses a rule file, asserting it fails fast with `message`.
fn assert_refused_quickly(content: &str) {
    refused_quickly_with(content, "size limit");
}

fn refused_quickly_with(content: &str, message: &str) {
    let start = Instant::now();
    let err = match parse_rule_file("hostile.toml", content) {
        Ok(_) => panic!("a regex over the size limit compiled"),
        Err(err) => err.to_string(),
    };
    let took = start.elapsed();
    assert!(err.contains("正規表現"), "{err}");
    assert!(err.contains(message), "{err}");
    assert!(took < Duration::from_secs(5), "refusing took {took:?}");
}

#[test]
fn a_regex_of_catastrophic_size_is_refused() {
    assert_refused_quickly(&rule_with(r#"regex = '(\w{100}){100}'"#));
    assert_refused_quickly(&rule_with(r#"regex = '多忙(\w{1000}){1000}'"#));
    // The same bound holds in `unless_regex` and in `/…/` token values.
    assert_refused_quickly(&rule_with(
        "regex = \"多忙\"\nunless_regex = '(\\w{100}){100}'",
    ));
    assert_refused_quickly(&rule_with(r#"tokens = [{ surface = '/(\w{100}){100}/' }]"#));
}

#[test]
fn a_huge_alternation_is_refused() {
    // Plain literals are matched with Aho-Corasick, which the compiled-size limit does not
    // see: 200 000 alternatives (2 MB of pattern) used to compile, taking 300 MB and
    // seconds. The pattern length is bounded instead.
    let words: Vec<String> = (0..200_000).map(|i| format!("語{i:06}x")).collect();
    let content = rule_with(&format!("regex = '多忙|{}'", words.join("|")));
    refused_quickly_with(&content, "正規表現が長すぎます");
    // Just under the length limit, with a non-literal alternative (so the automaton is
    // built and its size limit applies): handled quickly either way.
    let words: Vec<String> = (0..3_000).map(|i| format!("語{i:04}x")).collect();
    let content = rule_with(&format!("regex = '多忙|\\w+語|{}'", words.join("|")));
    let start = Instant::now();
    let _ = parse_rule_file("hostile.toml", &content);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn rule_files_have_no_include_or_path_fields() {
    for field in [
        "include = \"../secret.toml\"",
        "import = \"/etc/passwd\"",
        "path = \"/etc/passwd\"",
        "rules = [\"..\"]",
    ] {
        let content = format!("{field}\n{}", rule_with("regex = \"多忙\""));
        let err = parse_rule_file("hostile.toml", &content)
            .err()
            .unwrap_or_else(|| panic!("{field} was accepted"));
        assert!(err.to_string().contains("hostile.toml:1:"), "{err}");
    }
}

/// A rule file that names paths everywhere it can hold a string: the linter reads only the
/// files it was asked to lint. The named paths are FIFOs, so any attempt to open one would
/// block and the run would time out; the output folder is checked for new files.
#[cfg(unix)]
#[test]
fn paths_in_a_rule_file_are_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    let trap = dir.path().join("trap");
    std::fs::create_dir(&trap).unwrap();
    for name in ["secret.toml", "secret.txt", "out.txt"] {
        let status = std::process::Command::new("mkfifo")
            .arg(trap.join(name))
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
    }
    let secret = trap.join("secret.toml").display().to_string();
    let text_path = trap.join("secret.txt").display().to_string();
    let out_path = trap.join("out.txt").display().to_string();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let content = format!(
        r#"[[rule]]
id = "mentions-paths"
category = "custom"
severity = "warning"
message = "{secret} を参照: $0"
help = "{text_path}"
description = "include {secret}; write {out_path}"
regex = "多忙|{secret}"

[[rule.suggestion]]
replace = "{out_path}"
applicability = "safe"

[[rule.example]]
bad = "多忙のため遅れました。"
flag = "多忙"
fixed = "{out_path}のため遅れました。"

[[rule.example]]
good = "{secret}"
"#,
        secret = secret.replace('\\', "/"),
    );
    std::fs::write(rules.join("paths.toml"), content).unwrap();
    let draft = dir.path().join("draft.txt");
    std::fs::write(&draft, "多忙のため遅れました。\n").unwrap();
    let rules_arg = rules.to_str().unwrap();
    for args in [
        vec![
            "--rules",
            rules_arg,
            "--format",
            "json",
            draft.to_str().unwrap(),
        ],
        vec!["--rules", rules_arg, "--diff", draft.to_str().unwrap()],
        // Subcommand first: before it, `rule` would be read as a path to lint.
        vec!["rule", "mentions-paths", "--rules", rules_arg],
        vec!["test-rules", rules_arg],
    ] {
        let out = common::binary()
            .current_dir(dir.path())
            .args(&args)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(std::fs::read_dir(&trap).unwrap().count(), 3);
    assert_eq!(
        std::fs::read_to_string(&draft).unwrap(),
        "多忙のため遅れました。\n"
    );
}
