//! The visible text of an HTML page (customer notices are often web pages): everything
//! outside tags, except the contents of script, style, template and comments. Entities stay
//! in the text as written (and are masked as non-prose).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Elements whose content is never shown as text. As in a browser, an element or comment
/// left open hides everything to the end of the file: its text is not the page's.
static INVISIBLE: LazyLock<Regex> = LazyLock::new(|| {
    let element = |name: &str| format!(r"<{name}\b[^>]*(?:>.*?(?:</{name}\s*>|\z)|\z)");
    let elements: Vec<String> = ["script", "style", "template", "noscript"]
        .into_iter()
        .map(element)
        .collect();
    Regex::new(&format!(r"(?is){}|<!--.*?(?:-->|\z)", elements.join("|"))).expect("valid regex")
});

/// A tag (its quoted attribute values may hold `>`; an unclosed quote or tag runs to the end
/// of the file, as a browser reads it) or an entity.
static TAG_OR_ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#"(?s)<[A-Za-z!/?](?:[^>"'=]|=\s*"[^"]*(?:"|\z)|=\s*'[^']*(?:'|\z)|=|["'])*(?:>|\z)"#,
        r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
    ))
    .expect("valid regex")
});

pub fn visible_ranges(text: &str) -> Vec<Range<usize>> {
    let mut hidden: Vec<Range<usize>> = INVISIBLE.find_iter(text).map(|m| m.range()).collect();
    hidden.extend(TAG_OR_ENTITY.find_iter(text).map(|m| m.range()));
    super::subtract(std::slice::from_ref(&(0..text.len())), &hidden)
}

/// Block-level tags end a line of text even when the source has none, so a sentence never
/// runs from one paragraph into the next. Returns the offset of each such tag's `>`.
pub fn block_breaks(text: &str) -> Vec<usize> {
    static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|br|hr|tr|td|th|table|section|article|header|footer|blockquote|pre|title|main|nav|aside)\b[^>]*>")
            .expect("valid regex")
    });
    BLOCK.find_iter(text).map(|m| m.end() - 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visible(text: &str) -> String {
        visible_ranges(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn what_is_left_open_hides_the_rest_of_the_page() {
        assert_eq!(visible("見える<!-- 検討します。\n続き"), "見える");
        assert_eq!(visible("見える<script>var s = '検討します';"), "見える");
        assert_eq!(visible("見える<style"), "見える");
        assert_eq!(visible(r#"見える<p title="a>検討します。</p>"#), "見える");
        assert_eq!(visible(r#"<p title="a>b">本文</p>"#), "本文");
        assert_eq!(visible("<script>x</style>隠れる</script>見える"), "見える");
    }

    #[test]
    fn keeps_text_and_drops_tags_scripts_styles_and_comments() {
        let text = "<html><head><style>p{}</style><script>var s = '検討します';</script></head>\n<body><p class=\"x\">対応を検討します。</p><!-- 検討します --><p>詳細&amp;お問い合わせ</p></body></html>";
        let kept: Vec<&str> = visible_ranges(text).into_iter().map(|r| &text[r]).collect();
        let joined = kept.join("|");
        assert!(joined.contains("対応を検討します。"), "{joined}");
        assert!(
            joined.contains("詳細") && joined.contains("お問い合わせ"),
            "{joined}"
        );
        assert!(
            !joined.contains("var s") && !joined.contains("p{}") && !joined.contains("amp"),
            "{joined}"
        );
        assert_eq!(joined.matches("検討します").count(), 1, "{joined}");
    }
}
