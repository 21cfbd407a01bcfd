//! The buffers the client has open: their text at the latest version, and the path they
//! are linted as.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::Url;

use crate::markup::Format;

/// One open buffer, as of one version. Cheap to clone: the text is shared.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub uri: Url,
    pub version: i32,
    pub text: Arc<String>,
    /// The path the buffer is linted as: its file's, with an extension added when only the
    /// language id tells the format (an untitled Markdown buffer).
    pub path: PathBuf,
}

impl Snapshot {
    pub fn format(&self) -> Format {
        Format::from_path(&self.path)
    }
}

#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Url, Snapshot>,
}

impl Documents {
    pub fn open(&mut self, uri: Url, version: i32, text: String, language: &str) -> Snapshot {
        let path = lint_path(&file_path(&uri), language);
        let snapshot = Snapshot {
            uri: uri.clone(),
            version,
            text: Arc::new(text),
            path,
        };
        self.open.insert(uri, snapshot.clone());
        snapshot
    }

    /// Replaces the text of an open buffer; `None` for a buffer that is not open.
    pub fn update(
        &mut self,
        uri: &Url,
        version: i32,
        edit: impl FnOnce(&mut String),
    ) -> Option<Snapshot> {
        let snapshot = self.open.get_mut(uri)?;
        edit(Arc::make_mut(&mut snapshot.text));
        snapshot.version = version;
        Some(snapshot.clone())
    }

    pub fn close(&mut self, uri: &Url) {
        self.open.remove(uri);
    }

    pub fn get(&self, uri: &Url) -> Option<&Snapshot> {
        self.open.get(uri)
    }

    pub fn all(&self) -> impl Iterator<Item = &Snapshot> {
        self.open.values()
    }
}

/// The file a URI names; for a buffer that is not a file (`untitled:`), its name in the
/// current directory, so that it still gets the config that applies there.
pub fn file_path(uri: &Url) -> PathBuf {
    if uri.scheme() == "file"
        && let Ok(path) = uri.to_file_path()
    {
        return path;
    }
    // `untitled:notes.md` has no path segments; its path is the name.
    let name = uri.path().rsplit('/').next().unwrap_or_default();
    std::env::current_dir()
        .unwrap_or_default()
        .join(if name.is_empty() { "untitled" } else { name })
}

/// `path`, with the extension of the format `language` names when its own extension says
/// nothing more than plain text.
fn lint_path(path: &Path, language: &str) -> PathBuf {
    let by_extension = Format::from_path(path);
    let has_text_extension = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("txt"));
    let extension = match language {
        "markdown" | "mdx" => "md",
        "html" => "html",
        "email" | "eml" | "mail" => "eml",
        _ => return path.to_path_buf(),
    };
    if by_extension != Format::Plain || has_text_extension {
        return path.to_path_buf();
    }
    let mut name = OsString::from(path.as_os_str());
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// Whether `path` is a config or rule file, whose change means re-linting every buffer.
pub fn is_settings_file(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_id_picks_the_format_only_when_the_extension_does_not() {
        let md = lint_path(Path::new("/w/notes"), "markdown");
        assert_eq!(Format::from_path(&md), Format::Markdown);
        let html = lint_path(Path::new("/w/page.html"), "markdown");
        assert_eq!(html, Path::new("/w/page.html"));
        assert_eq!(
            lint_path(Path::new("/w/a.txt"), "markdown"),
            Path::new("/w/a.txt")
        );
        assert_eq!(lint_path(Path::new("/w/a"), "plaintext"), Path::new("/w/a"));
    }
}
