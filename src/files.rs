//! Finding the files to lint: explicit files as given, directories walked (walkdir) for
//! the default extensions, skipping VCS folders and whatever `.gitignore` files ignore.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::Gitignore;
use walkdir::WalkDir;

use crate::linter::InputError;

/// Extensions linted when walking a directory: every format kintsugi-lint reads.
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "eml", "html", "htm"];

const VCS_DIRS: &[&str] = &[".git", ".hg", ".svn"];

/// Decides whether a walked file is linted: `Some` from include/exclude settings, `None` to
/// fall back to the default extensions.
pub type WalkFilter<'a> = dyn FnMut(&Path) -> Option<bool> + 'a;

/// Expands `paths` into files to lint, in a stable order (sorted within each directory).
/// A path that does not exist is reported and skipped.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>) {
    collect_files_with(paths, &mut |_| None)
}

/// Like [`collect_files`], with `filter` deciding which walked files count.
pub fn collect_files_with(
    paths: &[PathBuf],
    filter: &mut WalkFilter,
) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk_dir(path, filter, &mut files, &mut errors);
        } else if path.exists() {
            files.push(path.clone());
        } else if path.symlink_metadata().is_ok() {
            errors.push(InputError::Io {
                path: path.display().to_string(),
                reason: "シンボリックリンクの先がないか、リンクがループしています".into(),
            });
        } else {
            errors.push(InputError::Io {
                path: path.display().to_string(),
                reason: "ファイルまたはディレクトリが存在しません".into(),
            });
        }
    }
    (files, errors)
}

/// What a directory walk passed over, to say why a directory gave no file to lint.
#[derive(Default)]
struct Skipped {
    other_type: usize,
    by_settings: usize,
    ignored: usize,
}

impl Skipped {
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.other_type > 0 {
            parts.push(format!("対象外の種類のファイル {} 件", self.other_type));
        }
        if self.by_settings > 0 {
            parts.push(format!(
                "設定の include/exclude で除外 {} 件",
                self.by_settings
            ));
        }
        if self.ignored > 0 {
            parts.push(format!(".gitignore で除外 {} 件", self.ignored));
        }
        let extensions: Vec<String> = DEFAULT_EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
        let skipped = if parts.is_empty() {
            "ファイルがありません".to_owned()
        } else {
            parts.join("、")
        };
        format!(
            "検査できるファイルがありませんでした（探した種類: {}。{skipped}）",
            extensions.join(" ")
        )
    }
}

fn walk_dir(
    root: &Path,
    filter: &mut WalkFilter,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<InputError>,
) {
    let found_before = files.len();
    let mut skipped = Skipped::default();
    let mut ignores = GitignoreStack::default();
    let mut ignored = 0;
    let walker = WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_dir();
            let name = entry.file_name().to_string_lossy();
            let is_vcs = is_dir && VCS_DIRS.contains(&name.as_ref());
            let is_ignored = !is_vcs && ignores.is_ignored(entry.path(), is_dir);
            ignored += usize::from(is_ignored);
            !is_vcs && !is_ignored
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => match filter(entry.path()) {
                Some(true) => files.push(entry.into_path()),
                Some(false) => skipped.by_settings += 1,
                None if has_default_extension(entry.path()) => files.push(entry.into_path()),
                None => skipped.other_type += 1,
            },
            Ok(_) => {}
            Err(err) => errors.push(InputError::Io {
                path: err.path().unwrap_or(root).display().to_string(),
                reason: err
                    .io_error()
                    .map_or_else(|| err.to_string(), crate::source::io_reason),
            }),
        }
    }
    skipped.ignored = ignored;
    if files.len() == found_before {
        errors.push(InputError::NothingToLint {
            path: root.display().to_string(),
            reason: skipped.describe(),
        });
    }
}

fn has_default_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| DEFAULT_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The `.gitignore` matchers of each directory seen, loaded once per directory.
#[derive(Default)]
struct GitignoreStack {
    by_dir: HashMap<PathBuf, Option<Gitignore>>,
}

impl GitignoreStack {
    fn matcher(&mut self, dir: &Path) -> Option<&Gitignore> {
        self.by_dir
            .entry(dir.to_path_buf())
            .or_insert_with(|| {
                let file = dir.join(".gitignore");
                file.is_file().then(|| Gitignore::new(&file).0)
            })
            .as_ref()
    }

    /// Git's rule: the deepest `.gitignore` that says anything about the path decides. The
    /// search stops at the repository root (the folder with `.git`).
    fn is_ignored(&mut self, path: &Path, is_dir: bool) -> bool {
        for dir in path.ancestors().skip(1) {
            if let Some(matcher) = self.matcher(dir) {
                match matcher.matched(path, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
            if dir.join(".git").exists() {
                break;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_default_extensions_and_honours_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("drafts/old")).unwrap();
        std::fs::write(root.join(".gitignore"), "old/\n*.tmp.txt\n").unwrap();
        for name in [
            "a.txt",
            "b.md",
            "c.rs",
            "x.tmp.txt",
            "drafts/d.txt",
            "drafts/old/e.txt",
        ] {
            std::fs::write(root.join(name), "本文").unwrap();
        }
        std::fs::write(root.join(".git/f.txt"), "本文").unwrap();
        let (files, errors) = collect_files(&[root.to_path_buf()]);
        let names: Vec<String> = files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.txt", "b.md", "drafts/d.txt"]);
        assert!(errors.is_empty());
    }

    #[test]
    fn missing_paths_are_errors_and_explicit_files_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.eml");
        std::fs::write(&file, "x").unwrap();
        let (files, errors) = collect_files(&[file.clone(), dir.path().join("missing.txt")]);
        assert_eq!(files, [file]);
        assert_eq!(errors.len(), 1);
    }
}
