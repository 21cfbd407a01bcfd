//! Markdown prose, on source offsets (pulldown-cmark's offset iterator): text of paragraphs,
//! headings, list items, block quotes and table cells; not code blocks, inline code, HTML,
//! link targets, autolinks, images, or front matter.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

pub fn prose_ranges(text: &str) -> Vec<Range<usize>> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_FOOTNOTES;
    let mut ranges = Vec::new();
    // Inside code blocks, front matter, autolinks and images the text is code, metadata, a
    // URL or alt text, not prose.
    let mut hidden_depth = 0usize;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            })
            | Event::Start(Tag::Image { .. } | Tag::CodeBlock(_) | Tag::MetadataBlock(_)) => {
                hidden_depth += 1
            }
            Event::End(
                TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock | TagEnd::MetadataBlock(_),
            ) if hidden_depth > 0 => hidden_depth -= 1,
            Event::Text(_) if hidden_depth == 0 => ranges.push(range),
            Event::SoftBreak if hidden_depth == 0 => ranges.push(range),
            _ => {}
        }
    }
    merge_touching(ranges, text)
}

/// Joins ranges separated only by inline markup (`**`, `[`, `](url)` are masked anyway) so
/// that a sentence with emphasis stays one run; ranges stay on char boundaries.
fn merge_touching(mut ranges: Vec<Range<usize>>, text: &str) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match out.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out.retain(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> String {
        let ranges = prose_ranges(text);
        ranges
            .iter()
            .map(|r| &text[r.clone()])
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn keeps_prose_and_skips_code_html_links_and_front_matter() {
        let text = "---\ntitle: お詫び\n---\n\n# 障害のご報告\n\n対応を**検討**します。`code を検討`\n\n```\n検討します\n```\n\n<!-- メモ -->\n- 詳細は[こちら](https://example.com/検討)\n- <https://example.com>\n\n| 項目 | 内容 |\n|---|---|\n| 原因 | 設定誤り |\n";
        let kept = prose(text);
        assert!(kept.contains("障害のご報告"), "{kept}");
        assert!(
            kept.contains("対応を") && kept.contains("検討") && kept.contains("します。"),
            "{kept}"
        );
        assert!(
            kept.contains("設定誤り") && kept.contains("こちら"),
            "{kept}"
        );
        for hidden in ["title", "code を検討", "検討します\n", "メモ", "https"] {
            assert!(!kept.contains(hidden), "{hidden} leaked: {kept}");
        }
    }
}
