//! Which parts of a file are prose. Every format produces a `Document`: the text to report
//! against, and a *masked* copy of the same byte length in which everything that is not the
//! writer's prose (markup, code, URLs, HTML tags, suppression comments) is replaced by ASCII
//! spaces. Rules run on the masked copy, so every offset they produce is an offset into the
//! original text: nothing is rendered and mapped back.

mod directives;
mod email;
mod html;
mod markdown;

use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

pub use directives::{Directive, DirectiveKind};

/// Input formats, chosen by file extension (`--stdin-filename` for standard input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Plain,
    Markdown,
    Email,
    Html,
}

impl Format {
    pub fn from_path(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("md" | "markdown" | "mdx") => Format::Markdown,
            Some("eml") => Format::Email,
            Some("html" | "htm") => Format::Html,
            _ => Format::Plain,
        }
    }
}

/// A parsed input.
#[derive(Debug, Clone)]
pub struct Document {
    /// The text findings refer to: the file's text, or for e-mail a view of the subject and
    /// the decoded body laid out on the lines they occupy in the file.
    pub text: String,
    /// `text` with non-prose bytes blanked; same length, same line breaks.
    pub masked: String,
    /// The 件名 (e-mail `Subject`, or a `件名:` line), for document checks.
    pub subject: Option<Range<usize>>,
    pub directives: Vec<Directive>,
    /// Whether `text` is the file's own text, so fixes can be written back.
    pub is_verbatim: bool,
}

/// Parses decoded file text in `format`. E-mail is parsed from the raw bytes by
/// [`parse_email`] instead, since MIME carries its own charsets.
pub fn parse(format: Format, text: String) -> Document {
    let mut keep = match format {
        Format::Markdown => markdown::prose_ranges(&text),
        Format::Html => html::visible_ranges(&text),
        Format::Plain | Format::Email => std::iter::once(0..text.len()).collect(),
    };
    let directives = directives::find(&text, format);
    let hidden: Vec<Range<usize>> = directives.iter().map(|d| d.range.clone()).collect();
    keep = subtract(&keep, &hidden);
    keep = subtract(&keep, &urls(&text));
    let breaks = match format {
        Format::Html => html::block_breaks(&text),
        _ => Vec::new(),
    };
    let masked = mask(&text, &keep, &breaks, format == Format::Markdown);
    Document {
        subject: subject_line(&text),
        masked,
        text,
        directives,
        is_verbatim: true,
    }
}

pub use email::{parse_email, unreadable_reason};

/// A `件名:` / `Subject:` line near the top of a plain document.
fn subject_line(text: &str) -> Option<Range<usize>> {
    static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^[ \t　]*(?:件名|Subject)[ \t　]*[:：][ \t　]*(.+?)\r?$")
            .expect("valid regex")
    });
    let head_end = text.char_indices().nth(2000).map_or(text.len(), |(i, _)| i);
    let head = &text[..head_end];
    // The regex is compiled and run only for a text that can have such a line.
    if !head.contains("件名") && !head.contains("Subject") {
        return None;
    }
    let caps = SUBJECT.captures(head)?;
    caps.get(1).map(|m| m.range())
}

fn urls(text: &str) -> Vec<Range<usize>> {
    static URL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:https?|ftp)://[!-~]+|www\.[A-Za-z0-9-]+\.[!-~]+").expect("valid regex")
    });
    if !text.contains("://") && !text.contains("www.") {
        return Vec::new();
    }
    URL.find_iter(text).map(|m| m.range()).collect()
}

/// `ranges` minus `holes`; both sorted or not, the result is sorted. Linear after sorting:
/// an HTML page has a hole per tag and entity, a document one per URL.
fn subtract(ranges: &[Range<usize>], holes: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted: Vec<Range<usize>> = holes.iter().filter(|h| !h.is_empty()).cloned().collect();
    sorted.sort_by_key(|h| h.start);
    // Merged, the holes are sorted by their ends too, so each range can find its first one.
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for hole in sorted {
        match merged.last_mut() {
            Some(last) if hole.start <= last.end => last.end = last.end.max(hole.end),
            _ => merged.push(hole),
        }
    }
    let mut out = Vec::new();
    for range in ranges {
        let mut start = range.start;
        let first = merged.partition_point(|h| h.end <= range.start);
        for hole in &merged[first..] {
            if hole.start >= range.end {
                break;
            }
            if hole.start > start {
                out.push(start..hole.start);
            }
            start = start.max(hole.end);
        }
        if start < range.end {
            out.push(start..range.end);
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// Copies `text`, replacing every byte outside `keep` with a space but keeping line breaks,
/// and adding one at each offset in `breaks` (an ASCII byte of markup). In Markdown a line
/// break inside a paragraph is not a sentence boundary (soft wrap), so kept line breaks
/// that fall inside one kept run of prose become spaces too. `keep` is sorted, as
/// [`subtract`] returns it.
fn mask(text: &str, keep: &[Range<usize>], breaks: &[usize], soft_wrap: bool) -> String {
    debug_assert!(keep.windows(2).all(|w| w[0].start <= w[1].start));
    // Built piece by piece from `&str`s: kept text is copied whole (in plain text that is
    // nearly all of it), and the result needs no UTF-8 validation at the end.
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in keep {
        let start = range.start.max(at);
        let end = range.end.max(start);
        push_blank(&mut out, &text[at..start]);
        if soft_wrap {
            out.extend(text[start..end].chars().map(|c| match c {
                '\n' | '\r' => ' ',
                c => c,
            }));
        } else {
            out.push_str(&text[start..end]);
        }
        at = end;
    }
    push_blank(&mut out, &text[at..]);
    for &at in breaks {
        if out.as_bytes()[at] == b' ' {
            out.replace_range(at..at + 1, "\n");
        }
    }
    out
}

/// Pushes as many spaces as `gap` has bytes, keeping its line breaks.
fn push_blank(out: &mut String, gap: &str) {
    for c in gap.chars() {
        match c {
            '\n' | '\r' => out.push(c),
            c => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_masks_urls_and_directive_lines_and_finds_the_subject() {
        let text = "件名: 遅延のお詫び\n# kintsugi-lint-disable-next-line\n詳細は https://example.com/a?b=1 をご覧ください。\n";
        let doc = parse(Format::Plain, text.to_owned());
        assert_eq!(doc.masked.len(), text.len());
        assert!(!doc.masked.contains("https") && !doc.masked.contains("kintsugi-lint"));
        assert!(doc.masked.contains("をご覧ください。"));
        assert_eq!(&text[doc.subject.unwrap()], "遅延のお詫び");
        assert_eq!(doc.directives.len(), 1);
    }

    #[test]
    fn subtract_cuts_holes_out_of_ranges() {
        assert_eq!(
            subtract(&[0..10, 20..30], &[25..40, 2..4, 3..5, 8..8, 9..21]),
            [0..2, 5..9, 21..25]
        );
        let whole = std::slice::from_ref(&(0..10));
        assert_eq!(subtract(whole, &[]), whole);
        assert_eq!(subtract(whole, whole), Vec::<Range<usize>>::new());
    }

    #[test]
    fn a_hole_per_tag_stays_linear() {
        // 200 000 tags: quadratic subtraction took minutes on a few MB of HTML.
        let holes: Vec<Range<usize>> = (0..200_000).map(|i| i * 10..i * 10 + 3).collect();
        let start = std::time::Instant::now();
        let kept = subtract(std::slice::from_ref(&(0..2_000_000)), &holes);
        assert_eq!(kept.len(), 200_000);
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn formats_follow_extensions() {
        assert_eq!(
            Format::from_path(Path::new("a/notice.MD")),
            Format::Markdown
        );
        assert_eq!(Format::from_path(Path::new("mail.eml")), Format::Email);
        assert_eq!(Format::from_path(Path::new("index.html")), Format::Html);
        assert_eq!(Format::from_path(Path::new("draft.txt")), Format::Plain);
        assert_eq!(Format::from_path(Path::new("-")), Format::Plain);
    }
}
