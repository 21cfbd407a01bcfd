//! Splitting prose into sentences, keeping 「」『』 quotes intact.
//!
//! A sentence ends at 。．！？!? (with any closing brackets right after) or at a line break:
//! headings, list items and template lines are units of their own. Inside 「」 or 『』 a
//! terminator does not end the sentence, so a quoted remark stays with its frame.

use std::ops::Range;

/// One sentence: its byte range in the document and the ranges quoted inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub range: Range<usize>,
    /// Byte ranges of the text between 「 and 」 (or 『 and 』), brackets excluded.
    pub quotes: Vec<Range<usize>>,
}

impl Sentence {
    /// True when `span` lies inside one of the sentence's quotations.
    pub fn is_quoted(&self, span: &Range<usize>) -> bool {
        self.quotes
            .iter()
            .any(|quote| quote.start <= span.start && span.end <= quote.end)
    }
}

fn is_terminator(c: char) -> bool {
    matches!(c, '。' | '．' | '！' | '？' | '!' | '?')
}

fn is_closing(c: char) -> bool {
    matches!(c, '」' | '』' | '）' | ')' | '】')
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\u{3000}')
}

/// Builds one sentence at a time while scanning characters.
struct Splitter<'t> {
    text: &'t str,
    sentences: Vec<Sentence>,
    start: usize,
    quotes: Vec<Range<usize>>,
    /// Start offsets of the quotations still open.
    open_quotes: Vec<usize>,
}

impl Splitter<'_> {
    /// Closes the sentence at `end`; the next one starts at `next` (past a line break).
    fn finish(&mut self, end: usize, next: usize) {
        let raw = &self.text[self.start..end];
        let trimmed_start = self.start + (raw.len() - raw.trim_start_matches(is_blank).len());
        let trimmed_end = self.start + raw.trim_end_matches(is_blank).len();
        if trimmed_start < trimmed_end {
            self.sentences.push(Sentence {
                range: trimmed_start..trimmed_end,
                quotes: std::mem::take(&mut self.quotes),
            });
        }
        self.quotes.clear();
        self.open_quotes.clear();
        self.start = next;
    }
}

/// Splits `text[range]` into sentences; ranges in the result index `text`.
pub fn split_sentences(text: &str, range: Range<usize>) -> Vec<Sentence> {
    let mut splitter = Splitter {
        text,
        sentences: Vec::new(),
        start: range.start,
        quotes: Vec::new(),
        open_quotes: Vec::new(),
    };
    let mut chars = text[range.clone()].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = range.start + i;
        let after = at + c.len_utf8();
        match c {
            '\n' => splitter.finish(at, after),
            '「' | '『' => splitter.open_quotes.push(after),
            '」' | '』' => {
                if let Some(open) = splitter.open_quotes.pop() {
                    splitter.quotes.push(open..at);
                }
            }
            c if is_terminator(c) && splitter.open_quotes.is_empty() => {
                let mut end = after;
                while let Some(&(j, next)) = chars.peek() {
                    if !(is_terminator(next) || is_closing(next)) {
                        break;
                    }
                    end = range.start + j + next.len_utf8();
                    chars.next();
                }
                splitter.finish(end, end);
            }
            _ => {}
        }
    }
    splitter.finish(range.end, range.end);
    splitter.sentences
}

/// Splits `text[range]` into paragraphs: runs of lines separated by blank lines.
pub fn split_paragraphs(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut paragraphs = Vec::new();
    let mut start = None;
    let mut line_start = range.start;
    for line in text[range.clone()].split_inclusive('\n') {
        let line_end = line_start + line.len();
        match (
            line.trim_matches(|c: char| c.is_whitespace()).is_empty(),
            start,
        ) {
            (true, Some(open)) => {
                paragraphs.push(open..line_start);
                start = None;
            }
            (false, None) => start = Some(line_start),
            _ => {}
        }
        line_start = line_end;
    }
    if let Some(open) = start {
        paragraphs.push(open..range.end);
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        let text = "一行目\n二行目\n\n　\n三行目\n";
        let parts: Vec<&str> = split_paragraphs(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(parts, ["一行目\n二行目\n", "三行目\n"]);
    }

    fn texts(text: &str) -> Vec<&str> {
        split_sentences(text, 0..text.len())
            .into_iter()
            .map(|s| &text[s.range])
            .collect()
    }

    #[test]
    fn splits_on_terminators_and_lines() {
        assert_eq!(
            texts("ご迷惑をおかけしました。本日中に対応します！\n件名: 遅延のご連絡\n\n　以上"),
            [
                "ご迷惑をおかけしました。",
                "本日中に対応します！",
                "件名: 遅延のご連絡",
                "以上"
            ]
        );
    }

    #[test]
    fn keeps_quotes_intact_and_records_them() {
        let text = "お客様から「対応を検討します。では困る」とのご指摘を受けました。次へ。";
        let sentences = split_sentences(text, 0..text.len());
        assert_eq!(sentences.len(), 2);
        let quote = &sentences[0].quotes[0];
        assert_eq!(&text[quote.clone()], "対応を検討します。では困る");
        let inner = text.find("検討").unwrap();
        assert!(sentences[0].is_quoted(&(inner..inner + 6)));
        assert!(!sentences[0].is_quoted(&(0..3)));
    }

    #[test]
    fn closing_brackets_stay_with_their_sentence() {
        assert_eq!(texts("（至急です。）次です"), ["（至急です。）", "次です"]);
    }

    #[test]
    fn an_unclosed_quote_ends_at_the_line() {
        assert_eq!(
            texts("「閉じない。\n次の行。"),
            ["「閉じない。", "次の行。"]
        );
    }
}
