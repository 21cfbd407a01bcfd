//! `kintsugi.toml`: per-project settings, found from a linted file's directory upward.
//! Command-line flags override it. Unknown keys and bad values are errors with file:line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{LocatedError, RuleSet};

/// File names looked for in each directory, in this order.
pub const CONFIG_FILE_NAMES: &[&str] = &["kintsugi.toml", ".kintsugi.toml"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    fail_on: Option<Severity>,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    encoding: Option<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, SeverityOverride>,
    #[serde(default)]
    per_file_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    kind: BTreeMap<Spanned<String>, Spanned<String>>,
}

impl ConfigFile {
    /// Every rule or category name and every kind the file mentions, in file order, for
    /// `Config::check_names` once the rules are loaded.
    fn names(&self) -> Vec<NameRef> {
        let rule = |name: &Spanned<String>| NameRef::new(NameKind::RuleOrCategory, name);
        let mut names: Vec<NameRef> = self
            .select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.keys())
            .chain(self.per_file_ignores.values().flatten())
            .map(rule)
            .chain(
                self.kind
                    .values()
                    .map(|kind| NameRef::new(NameKind::Kind, kind)),
            )
            .collect();
        names.sort_by_key(|name| name.span.start);
        names
    }
}

/// What a name in the config must be the name of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameKind {
    RuleOrCategory,
    Kind,
}

/// A name written in the config, with where it was written.
#[derive(Debug, Clone)]
struct NameRef {
    kind: NameKind,
    name: String,
    span: std::ops::Range<usize>,
}

impl NameRef {
    fn new(kind: NameKind, name: &Spanned<String>) -> Self {
        NameRef {
            kind,
            name: name.get_ref().clone(),
            span: name.span(),
        }
    }
}

/// A `[severity]` entry: a new severity, or `off` to leave the rule out for these files
/// (its findings are neither reported nor fixed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityOverride {
    Info,
    Warning,
    Error,
    Off,
}

impl SeverityOverride {
    fn severity(self) -> Option<Severity> {
        match self {
            SeverityOverride::Info => Some(Severity::Info),
            SeverityOverride::Warning => Some(Severity::Warning),
            SeverityOverride::Error => Some(Severity::Error),
            SeverityOverride::Off => None,
        }
    }
}

/// A loaded configuration, with paths resolved against its directory.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from (`None`: defaults, no file found).
    pub path: Option<PathBuf>,
    pub root: PathBuf,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
    pub rule_dirs: Vec<PathBuf>,
    pub include: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    pub encoding: Option<String>,
    /// Severity overrides by rule id or category.
    pub severity: BTreeMap<String, SeverityOverride>,
    per_file_ignores: Vec<(GlobSet, Vec<String>)>,
    kinds: Vec<(GlobSet, String)>,
    /// The names to check against the rules, and the text they point into.
    names: Vec<NameRef>,
    content: String,
}

type Result<T> = std::result::Result<T, Box<LocatedError>>;

impl Config {
    /// Parses a config file's content; `path` locates errors and anchors relative paths.
    pub fn parse(path: &Path, content: &str) -> Result<Config> {
        let display = path.display().to_string();
        let error = |span: std::ops::Range<usize>, message: String| {
            Box::new(LocatedError::new(&display, content, span, message))
        };
        let file: ConfigFile = toml::from_str(content).map_err(|err| {
            Box::new(LocatedError::from_toml(
                &display,
                content,
                &err,
                "設定ファイルを解析できません",
            ))
        })?;
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let globs = |patterns: &[Spanned<String>]| -> Result<Option<GlobSet>> {
            if patterns.is_empty() {
                return Ok(None);
            }
            let mut builder = GlobSetBuilder::new();
            for pattern in patterns {
                let glob = Glob::new(pattern.get_ref())
                    .map_err(|e| error(pattern.span(), format!("glob が不正です: {e}")))?;
                builder.add(glob);
            }
            builder
                .build()
                .map(Some)
                .map_err(|e| error(0..0, format!("glob が不正です: {e}")))
        };
        let keyed =
            |key: &Spanned<String>| globs(std::slice::from_ref(key)).map(Option::unwrap_or_default);
        if let Some(label) = &file.encoding
            && crate::source::decode::encoding_for_label(label.get_ref()).is_none()
        {
            return Err(error(
                label.span(),
                format!("文字コード「{}」は扱えません", label.get_ref()),
            ));
        }
        let names = file.names();
        let strings = |names: &[Spanned<String>]| -> Vec<String> {
            names.iter().map(|n| n.get_ref().clone()).collect()
        };
        Ok(Config {
            path: Some(path.to_path_buf()),
            select: strings(&file.select),
            ignore: strings(&file.ignore),
            fail_on: file.fail_on,
            rule_dirs: file.rules.iter().map(|dir| root.join(dir)).collect(),
            include: globs(&file.include)?,
            exclude: globs(&file.exclude)?,
            encoding: file.encoding.map(Spanned::into_inner),
            severity: file
                .severity
                .iter()
                .map(|(name, value)| (name.get_ref().clone(), *value))
                .collect(),
            per_file_ignores: file
                .per_file_ignores
                .iter()
                .map(|(glob, names)| Ok((keyed(glob)?, strings(names))))
                .collect::<Result<_>>()?,
            kinds: file
                .kind
                .iter()
                .map(|(glob, kind)| Ok((keyed(glob)?, kind.get_ref().clone())))
                .collect::<Result<_>>()?,
            root,
            names,
            content: content.to_owned(),
        })
    }

    /// Checks every rule id, category and document kind the file names against `rules`
    /// (before `--select` narrows them): a typo is an error at its line, with the closest
    /// known name, rather than a setting that silently does nothing.
    pub fn check_names(&self, rules: &RuleSet) -> Result<()> {
        let selectors = rules.selectors();
        let kinds: Vec<&str> = rules.kinds().iter().map(|k| k.id.as_str()).collect();
        let mut unknown = self.names.iter().filter(|n| match n.kind {
            NameKind::RuleOrCategory => !selectors.contains(&n.name.as_str()),
            NameKind::Kind => !kinds.contains(&n.name.as_str()),
        });
        let Some(first) = unknown.next() else {
            return Ok(());
        };
        let others = unknown.count();
        let (message, candidates) = match first.kind {
            NameKind::RuleOrCategory => (
                format!(
                    "「{}」という ID のルールもカテゴリもありません",
                    crate::report::escape::shortened(&first.name)
                ),
                &selectors,
            ),
            NameKind::Kind => (
                format!(
                    "文書の種類「{}」はありません（使える種類: {}）",
                    crate::report::escape::shortened(&first.name),
                    kinds.join(", ")
                ),
                &kinds,
            ),
        };
        let mut help = crate::suggest::did_you_mean(&first.name, candidates.iter().copied())
            .unwrap_or_else(|| "`kintsugi-lint rules` で一覧を確認できます".to_owned());
        if others > 0 {
            help.push_str(&format!("（ほかにも {others} 件の名前が見つかりません）"));
        }
        let display = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        Err(Box::new(
            LocatedError::new(&display, &self.content, first.span.clone(), message).with_help(help),
        ))
    }

    /// The nearest config file at or above `dir`, if any.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        let start = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
        start.ancestors().find_map(|ancestor| {
            CONFIG_FILE_NAMES
                .iter()
                .map(|name| ancestor.join(name))
                .find(|candidate| candidate.is_file())
        })
    }

    /// Loads the file at `path`.
    pub fn load(path: &Path) -> std::result::Result<Config, crate::rules::RuleError> {
        let content =
            std::fs::read_to_string(path).map_err(|e| crate::rules::RuleError::ConfigIo {
                path: path.display().to_string(),
                reason: crate::source::io_reason(&e),
            })?;
        Ok(Config::parse(path, &content)?)
    }

    /// `path` relative to the config's directory, for glob matching.
    fn relative<'p>(&self, path: &'p Path) -> std::borrow::Cow<'p, Path> {
        let absolute = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let root = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.clone());
        match absolute.strip_prefix(&root) {
            Ok(relative) => std::borrow::Cow::Owned(relative.to_path_buf()),
            Err(_) => std::borrow::Cow::Borrowed(path),
        }
    }

    /// Whether a directory walk should lint `path` (explicitly named files always are).
    pub fn walk_includes(&self, path: &Path) -> Option<bool> {
        let relative = self.relative(path);
        if self
            .exclude
            .as_ref()
            .is_some_and(|set| set.is_match(&relative))
        {
            return Some(false);
        }
        self.include.as_ref().map(|set| set.is_match(&relative))
    }

    /// Drops findings that `per-file-ignores` silences for `path` and applies severity
    /// overrides.
    pub fn adjust(&self, path: &Path, diagnostics: &mut Vec<Diagnostic>) {
        let relative = self.relative(path);
        let ignored: Vec<&String> = self
            .per_file_ignores
            .iter()
            .filter(|(set, _)| set.is_match(&relative))
            .flat_map(|(_, names)| names)
            .collect();
        let override_of = |d: &Diagnostic| {
            self.severity
                .get(&d.rule_id)
                .or_else(|| self.severity.get(&d.category))
                .copied()
        };
        diagnostics.retain(|d| {
            !ignored
                .iter()
                .any(|n| **n == d.rule_id || **n == d.category)
                && override_of(d) != Some(SeverityOverride::Off)
        });
        for d in diagnostics.iter_mut() {
            if let Some(severity) = override_of(d).and_then(SeverityOverride::severity) {
                d.severity = severity;
            }
        }
    }

    /// Every `[kind]` entry: glob set and kind id.
    pub fn kinds(&self) -> &[(GlobSet, String)] {
        &self.kinds
    }

    /// The document kind configured for `path`, if any.
    pub fn kind_for(&self, path: &Path) -> Option<&str> {
        let relative = self.relative(path);
        self.kinds
            .iter()
            .find(|(set, _)| set.is_match(&relative))
            .map(|(_, kind)| kind.as_str())
    }
}

/// The starter config written by `kintsugi-lint init`.
pub const STARTER: &str = r#"# kintsugi-lint の設定ファイル（kintsugi.toml）
# 検査するファイルのディレクトリから上へ向かって最初に見つかったものが使われます。
# コマンドラインの --select / --ignore / --fail-on / --rules / --encoding はこの設定より優先されます。

# 使うルール（ID かカテゴリ）。空なら全ルール。
# select = ["promise-without-deadline", "attention-only-prevention"]

# 使わないルール（ID かカテゴリ）。
# ignore = ["keigo-misuse"]

# この重大度以上の指摘があれば終了コード 1（error | warning | info）。
# fail-on = "warning"

# 追加のルールディレクトリ（この設定ファイルからの相対パス）。
# rules = ["kintsugi-rules"]

# ディレクトリを検査するときに対象とするファイル・除外するファイル（glob）。
# include = ["**/*.txt", "**/*.md", "**/*.eml", "**/*.html"]
# exclude = ["archive/**"]

# 文字コードの指定（通常は自動判定）。例: "shift_jis", "euc-jp", "iso-2022-jp"
# encoding = "shift_jis"

# ルールごと・カテゴリごとの重大度の変更（"off" はそのルールを使わない）。
# [severity]
# keigo-misuse = "info"
# stacked-sasete-itadaku = "off"

# ファイルごとに外すルール。
# [per-file-ignores]
# "templates/**" = ["personal-data"]

# 文書の種類（apology | incident-report | notice | short-report）をファイルごとに指定。
# [kind]
# "notices/**" = "notice"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_parses_with_every_line_uncommented() {
        let uncommented: String = STARTER
            .lines()
            .map(|line| {
                line.strip_prefix("# ")
                    .filter(|l| l.contains('=') || l.starts_with('['))
                    .unwrap_or("")
            })
            .collect::<Vec<_>>()
            .join("\n");
        let config = Config::parse(Path::new("/p/kintsugi.toml"), &uncommented).unwrap();
        assert_eq!(config.fail_on, Some(Severity::Warning));
        assert_eq!(config.rule_dirs, [PathBuf::from("/p/kintsugi-rules")]);
        assert_eq!(
            config.severity.get("keigo-misuse"),
            Some(&SeverityOverride::Info)
        );
        Config::parse(Path::new("kintsugi.toml"), STARTER).unwrap();
    }

    #[test]
    fn unknown_keys_and_bad_values_are_located() {
        let err =
            Config::parse(Path::new("k.toml"), "select = []\nfail_on = \"error\"\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1), "{}", err.message);
        let err = Config::parse(Path::new("k.toml"), "fail-on = \"fatal\"\n").unwrap_err();
        assert_eq!(err.line, 1, "{}", err.message);
        let err = Config::parse(Path::new("k.toml"), "\nencoding = \"klingon\"\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 12), "{}", err.message);
        let err = Config::parse(Path::new("k.toml"), "exclude = [\"a/[\"]\n").unwrap_err();
        assert!(err.message.contains("glob"), "{}", err.message);
    }

    #[test]
    fn per_file_ignores_and_severity_overrides() {
        let config = Config::parse(
            Path::new("kintsugi.toml"),
            "[severity]\nblame-shifting = \"error\"\n[per-file-ignores]\n\"templates/**\" = [\"personal-data\"]\n",
        )
        .unwrap();
        let finding = |rule: &str, category: &str| Diagnostic {
            rule_id: rule.into(),
            category: category.into(),
            severity: Severity::Warning,
            message: String::new(),
            help: String::new(),
            span: 0..1,
            suggestions: Vec::new(),
        };
        let mut found = vec![
            finding("email-address", "personal-data"),
            finding("busy", "blame-shifting"),
        ];
        config.adjust(Path::new("templates/a.txt"), &mut found);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
    }
}
