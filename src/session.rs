//! A lint run over many inputs: each file gets the settings of its nearest `kintsugi.toml`
//! (command-line options override them), files are linted in parallel (rayon), and results
//! come back in input order, so output is the same with 1 or N threads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Severity;
use crate::files::collect_files_with;
use crate::fix::{FixMode, fix_bytes, fix_file};
use crate::linter::{InputError, InputOptions, LintedFile, Linter};
use crate::rules::{RuleError, RuleSet};

/// What the command line asked for; empty/`None` fields defer to the config file.
#[derive(Debug, Clone)]
pub struct Options {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub rule_dirs: Vec<PathBuf>,
    pub no_builtin: bool,
    pub fail_on: Option<Severity>,
    pub encoding: Option<String>,
    /// The largest input read, in bytes (`--max-size`).
    pub max_bytes: u64,
    /// A config file to use for every input instead of discovering one.
    pub config: Option<PathBuf>,
    /// Ignore config files altogether.
    pub isolated: bool,
    /// `Some` to fix files (`dry_run`: compute diffs only).
    pub fix: Option<(FixMode, bool)>,
    /// The document kind of every input (`--kind`).
    pub kind: Option<String>,
    /// Load the built-in rules with their examples (`rule ID` shows them; linting never
    /// reads them, and they are 40% of the text to parse at start).
    pub rule_examples: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            select: Vec::new(),
            ignore: Vec::new(),
            rule_dirs: Vec::new(),
            no_builtin: false,
            fail_on: None,
            encoding: None,
            max_bytes: crate::source::DEFAULT_MAX_INPUT_BYTES,
            config: None,
            isolated: false,
            fix: None,
            kind: None,
            rule_examples: false,
        }
    }
}

/// The settings one config file (or none) leads to.
pub struct Settings {
    pub config: Config,
    pub linter: Linter,
    pub fail_on: Severity,
}

/// One input's outcome.
pub struct FileOutcome {
    pub result: Result<LintedFile, InputError>,
    pub fail_on: Severity,
    /// The unified diff of the fixes (empty when none).
    pub diff: String,
    pub fixes_applied: usize,
    /// With `--fix -`: the text to print in place of standard input (fixed or not, in its
    /// own encoding), so the run works as a filter.
    pub fixed_stdin: Option<Vec<u8>>,
}

impl FileOutcome {
    /// An input that could not be linted at all.
    pub fn failed(error: InputError) -> Self {
        FileOutcome {
            result: Err(error),
            fail_on: Severity::Warning,
            diff: String::new(),
            fixes_applied: 0,
            fixed_stdin: None,
        }
    }
}

/// Files to lint with their settings, and the inputs that could not be expanded.
pub type Collected = (Vec<(PathBuf, Arc<Settings>)>, Vec<InputError>);

/// Settings per config file, built once.
pub struct Session {
    options: Options,
    by_config: HashMap<Option<PathBuf>, Arc<Settings>>,
    /// The config file that applies in each directory seen: a directory walk asks for every
    /// file, and the upward search touches the disk.
    config_of_dir: HashMap<PathBuf, Option<PathBuf>>,
}

impl Session {
    pub fn new(options: Options) -> Self {
        Session {
            options,
            by_config: HashMap::new(),
            config_of_dir: HashMap::new(),
        }
    }

    fn config_path_for(&mut self, path: &Path) -> Option<PathBuf> {
        if self.options.isolated {
            return None;
        }
        if let Some(explicit) = &self.options.config {
            return Some(explicit.clone());
        }
        let dir = if path.is_dir() {
            path
        } else {
            path.parent().unwrap_or(Path::new("."))
        };
        self.config_of_dir
            .entry(dir.to_path_buf())
            .or_insert_with(|| Config::find(dir))
            .clone()
    }

    /// The settings for inputs at `path` (a file, a directory, or `.` for stdin).
    pub fn settings_for(&mut self, path: &Path) -> Result<Arc<Settings>, RuleError> {
        let key = self.config_path_for(path);
        if let Some(settings) = self.by_config.get(&key) {
            return Ok(Arc::clone(settings));
        }
        let config = match &key {
            Some(file) => Config::load(file)?,
            None => Config::default(),
        };
        let settings = Arc::new(self.build(config)?);
        self.by_config.insert(key, Arc::clone(&settings));
        Ok(settings)
    }

    fn build(&self, config: Config) -> Result<Settings, RuleError> {
        let options = &self.options;
        let mut rules = if options.no_builtin {
            RuleSet::default()
        } else if options.rule_examples {
            RuleSet::builtin()?
        } else {
            RuleSet::builtin_without_examples()?
        };
        for dir in config.rule_dirs.iter().chain(&options.rule_dirs) {
            rules.add_dir(dir)?;
        }
        let (select, ignore) = if options.select.is_empty() && options.ignore.is_empty() {
            (&config.select, &config.ignore)
        } else {
            (&options.select, &options.ignore)
        };
        // The config's names first, against every loaded rule, each at its line.
        config.check_names(&rules)?;
        if let Some(kind) = &options.kind
            && rules.kind(kind).is_none()
        {
            return Err(RuleError::unknown_kind(kind, &rules));
        }
        let selectors: Vec<String> = rules.selectors().into_iter().map(String::from).collect();
        let unknown = rules.filter(select, ignore);
        if !unknown.is_empty() {
            return Err(RuleError::unknown_selectors(&unknown, &selectors));
        }
        let input = InputOptions {
            encoding: options.encoding.clone().or_else(|| config.encoding.clone()),
            max_bytes: options.max_bytes,
        };
        Ok(Settings {
            linter: Linter::new(rules).with_input_options(input),
            fail_on: options
                .fail_on
                .or(config.fail_on)
                .unwrap_or(Severity::Warning),
            config,
        })
    }

    /// Expands paths into files with their settings, honouring include/exclude globs.
    pub fn collect(&mut self, paths: &[PathBuf]) -> Result<Collected, RuleError> {
        let mut failure = None;
        let mut filter = |file: &Path| match self.settings_for(file) {
            Ok(settings) => settings.config.walk_includes(file),
            Err(err) => {
                failure.get_or_insert(err);
                Some(false)
            }
        };
        let (files, errors) = collect_files_with(paths, &mut filter);
        if let Some(err) = failure {
            return Err(err);
        }
        let files = distinct_files(files);
        let mut errors = errors;
        if self.options.fix.is_some() {
            errors.extend(stale_temp_files(&files));
        }
        let with_settings = files
            .into_iter()
            .map(|file| {
                let settings = self.settings_for(&file)?;
                Ok((file, settings))
            })
            .collect::<Result<Vec<_>, RuleError>>()?;
        Ok((with_settings, errors))
    }

    /// Lints (and fixes, when asked) the files in parallel; results keep the input order.
    pub fn run(&self, files: &[(PathBuf, Arc<Settings>)]) -> Vec<FileOutcome> {
        // Every rule set is ready before any file is linted, so no file waits while another
        // builds what it needs (the prefilter is built with rayon, see `RuleSet::prefilter`).
        let mut prepared: Vec<&Arc<Settings>> = Vec::new();
        for (_, settings) in files {
            if !prepared.iter().any(|done| Arc::ptr_eq(done, settings)) {
                settings.linter.prepare();
                prepared.push(settings);
            }
        }
        files
            .par_iter()
            .map(|(path, settings)| self.run_one(path, settings))
            .collect()
    }

    fn run_one(&self, path: &Path, settings: &Settings) -> FileOutcome {
        let kind = kind_for(self.options.kind.as_deref(), settings, path);
        let (result, diff, fixes_applied) = match self.options.fix {
            Some((mode, dry_run)) => match fix_file(
                &settings.linter,
                path,
                mode,
                dry_run,
                kind,
                // Only findings the writer is shown are fixed: per-file ignores and severity
                // overrides apply before a fix is chosen, not only to the report.
                &|diagnostics| settings.config.adjust(path, diagnostics),
            ) {
                Ok(fixed) => (Ok(fixed.linted), fixed.diff, fixed.applied),
                Err(err) => (Err(err), String::new(), 0),
            },
            None => (settings.linter.lint_file_as(path, kind), String::new(), 0),
        };
        let result = result.map(|mut linted| {
            settings.config.adjust(path, &mut linted.diagnostics);
            linted
        });
        FileOutcome {
            result,
            fail_on: settings.fail_on,
            diff,
            fixes_applied,
            fixed_stdin: None,
        }
    }

    /// What linting a buffer at `path` needs, detached from the session so that the caller
    /// can lint without holding it (the language server lints on worker threads).
    pub fn path_linter(&mut self, path: &Path) -> Result<PathLinter, RuleError> {
        Ok(PathLinter {
            settings: self.settings_for(path)?,
            kind: self.options.kind.clone(),
        })
    }

    /// Every rule of every settings built so far, once per id (for reports that describe
    /// the rules they cite, such as SARIF).
    pub fn rule_catalog(&self) -> RuleSet {
        let mut seen = std::collections::HashSet::new();
        let mut rules = Vec::new();
        for settings in self.by_config.values() {
            for rule in settings.linter.rules().rules() {
                if seen.insert(rule.id.clone()) {
                    rules.push(rule.clone());
                }
            }
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        RuleSet::from_rules(rules)
    }

    /// Lints standard input (never fixed: there is no file to write).
    pub fn run_stdin(
        &mut self,
        display_name: &str,
        bytes: &[u8],
    ) -> Result<FileOutcome, RuleError> {
        let settings =
            self.settings_for(Path::new(display_name).parent().unwrap_or(Path::new(".")))?;
        let path = Path::new(display_name);
        let kind = self.options.kind.as_deref();
        let adjust = |diagnostics: &mut Vec<_>| settings.config.adjust(path, diagnostics);
        let outcome = match self.options.fix {
            Some((mode, dry_run)) => {
                match fix_bytes(&settings.linter, display_name, bytes, mode, kind, &adjust) {
                    Ok((fixed, new_bytes)) => {
                        let printed = new_bytes.unwrap_or_else(|| bytes.to_vec());
                        FileOutcome {
                            result: Ok(fixed.linted),
                            fail_on: settings.fail_on,
                            diff: fixed.diff,
                            fixes_applied: fixed.applied,
                            fixed_stdin: (!dry_run).then_some(printed),
                        }
                    }
                    Err(err) => FileOutcome::failed(err),
                }
            }
            None => FileOutcome {
                result: settings.linter.lint_bytes_as(display_name, bytes, kind),
                fail_on: settings.fail_on,
                diff: String::new(),
                fixes_applied: 0,
                fixed_stdin: None,
            },
        };
        Ok(FileOutcome {
            result: outcome.result.map(|mut linted| {
                adjust(&mut linted.diagnostics);
                linted
            }),
            ..outcome
        })
    }
}

/// The document kind of `path`: `--kind`, else the config's `kinds` globs, else detected.
fn kind_for<'a>(forced: Option<&'a str>, settings: &'a Settings, path: &Path) -> Option<&'a str> {
    forced.or_else(|| settings.config.kind_for(path))
}

/// The settings and document kind of one path, to lint text that is not (yet) on disk, such
/// as an editor's buffer, exactly as `run` would lint the file: same rules, kind, markup,
/// suppressions and per-file adjustments.
pub struct PathLinter {
    pub settings: Arc<Settings>,
    /// `--kind`, when given.
    kind: Option<String>,
}

impl PathLinter {
    /// Lints `text` as the content of the file at `path`.
    pub fn lint_text(&self, path: &Path, text: &str) -> Result<LintedFile, InputError> {
        let kind = kind_for(self.kind.as_deref(), &self.settings, path);
        let display = path.display().to_string();
        let mut linted = self.settings.linter.lint_text_as(&display, text, kind)?;
        self.settings.config.adjust(path, &mut linted.diagnostics);
        Ok(linted)
    }

    /// The edits `--fix` would make to `text` as the file at `path`, as spans of `text`.
    pub fn fix_text(
        &self,
        path: &Path,
        text: &str,
        mode: FixMode,
    ) -> Result<Vec<crate::fix::Edit>, crate::fix::FixError> {
        let kind = kind_for(self.kind.as_deref(), &self.settings, path);
        let adjust = |diagnostics: &mut Vec<_>| self.settings.config.adjust(path, diagnostics);
        let display = path.display().to_string();
        crate::fix::fix_text_as(&self.settings.linter, &display, text, mode, kind, &adjust)
            .map(|(_, edits)| edits)
    }
}

/// `files` with each file once, in first-seen order: `a.txt a.txt`, or `d d/a.txt`, name the
/// same file twice, and fixing it twice at once would race with itself. Two paths are the
/// same file when they resolve to the same path.
fn distinct_files(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    files
        .into_iter()
        .filter(|file| seen.insert(std::fs::canonicalize(file).unwrap_or_else(|_| file.clone())))
        .collect()
}

/// Temporary files an interrupted `--fix` left in the folders of `files`, each folder once.
fn stale_temp_files(files: &[PathBuf]) -> Vec<InputError> {
    let mut dirs: Vec<&Path> = files
        .iter()
        .map(|f| {
            f.parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs.into_iter()
        .flat_map(crate::fix::replace::stale_temp_files)
        .map(|path| InputError::StaleTemp {
            path: path.display().to_string(),
        })
        .collect()
}
