//! Suppression comments:
//! `<!-- kintsugi-lint-disable [rule-or-category …] -->`, `<!-- kintsugi-lint-enable […] -->`
//! and `<!-- kintsugi-lint-disable-next-line […] -->` in any format, and for plain text and
//! e-mail the same words on a line of their own after `#`, `//` or `%`
//! (`# kintsugi-lint-disable-next-line promise-without-deadline`). No names means all rules.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveKind {
    Disable,
    Enable,
    DisableNextLine,
    /// `kintsugi-lint-kind: notice`: the document's kind, stated in the file.
    Kind,
}

impl DirectiveKind {
    /// Whether the directive turns rules off (as opposed to stating a document kind).
    pub fn is_suppression(self) -> bool {
        self != DirectiveKind::Kind
    }
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// Rule ids or categories; empty means every rule.
    pub names: Vec<String>,
    /// The comment (or line) in the text.
    pub range: Range<usize>,
}

static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*kintsugi-lint-(disable-next-line|disable|enable|kind)\b[:：]?([^>]*?)-->")
        .expect("valid regex")
});

static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t　]*(?:#|//|%)[ \t]*kintsugi-lint-(disable-next-line|disable|enable|kind)\b[:：]?([^\r\n]*)")
        .expect("valid regex")
});

pub fn find(text: &str, format: Format) -> Vec<Directive> {
    // Almost no text has a directive: a plain substring search spares compiling and
    // running the regexes (a measurable part of start-up on a one-line file).
    if memchr::memmem::find(text.as_bytes(), b"kintsugi-lint-").is_none() {
        return Vec::new();
    }
    let mut found: Vec<Directive> = COMMENT.captures_iter(text).filter_map(directive).collect();
    if matches!(format, Format::Plain | Format::Email) {
        found.extend(LINE.captures_iter(text).filter_map(directive));
    }
    found.sort_by_key(|d| d.range.start);
    found
}

fn directive(caps: regex::Captures) -> Option<Directive> {
    let kind = match caps.get(1)?.as_str() {
        "disable" => DirectiveKind::Disable,
        "enable" => DirectiveKind::Enable,
        "kind" => DirectiveKind::Kind,
        _ => DirectiveKind::DisableNextLine,
    };
    let names = caps
        .get(2)
        .map_or("", |m| m.as_str())
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
    Some(Directive {
        kind,
        names,
        range: caps.get(0)?.range(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comment_and_line_forms() {
        let text = "<!-- kintsugi-lint-disable promise-without-deadline, blame-shifting -->\n# kintsugi-lint-disable-next-line\n// kintsugi-lint-enable\n";
        let plain = find(text, Format::Plain);
        assert_eq!(plain.len(), 3);
        assert_eq!(plain[0].kind, DirectiveKind::Disable);
        assert_eq!(
            plain[0].names,
            ["promise-without-deadline", "blame-shifting"]
        );
        assert_eq!(plain[1].kind, DirectiveKind::DisableNextLine);
        assert!(plain[1].names.is_empty());
        assert_eq!(plain[2].kind, DirectiveKind::Enable);
        // In Markdown `#` starts a heading, so only the comment form counts.
        assert_eq!(find(text, Format::Markdown).len(), 1);
    }
}
