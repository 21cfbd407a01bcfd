//! Splitting prose into sentences, keeping 「」『』 quotes and （…） asides intact.
//!
//! A sentence ends at 。．！？!? (with any closing brackets right after) or at a line break:
//! headings, list items and template lines are units of their own. Inside 「」『』 or （）()
//! a terminator does not end the sentence, so a quoted remark stays with its frame and an
//! aside (「本サイト」といいます。) with its sentence. A line break inside a sentence that
//! was wrapped by hand (the line ends with 、 or mid-phrase, or the next line starts with a
//! particle) does not end it either: real pages and mails wrap long sentences.

use std::ops::Range;

/// One sentence: its byte range in the document and the ranges quoted inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub range: Range<usize>,
    /// Byte ranges of the text between 「 and 」 (or 『 and 』), brackets excluded. A sentence
    /// that is one quotation as a whole (an example sentence on a template page, an NG/OK
    /// list item) is the writer's own text: that quotation is not listed.
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
    /// Start offsets of the （…） asides still open.
    open_asides: Vec<usize>,
}

impl Splitter<'_> {
    /// Closes the sentence at `end`; the next one starts at `next` (past a line break).
    fn finish(&mut self, end: usize, next: usize) {
        let raw = &self.text[self.start..end];
        let trimmed_start = self.start + (raw.len() - raw.trim_start_matches(is_blank).len());
        let trimmed_end = self.start + raw.trim_end_matches(is_blank).len();
        if trimmed_start < trimmed_end {
            let range = trimmed_start..trimmed_end;
            let mut quotes = std::mem::take(&mut self.quotes);
            if let Some(whole) = whole_quote(self.text, &range, &quotes) {
                quotes.retain(|quote| *quote != whole);
            }
            self.sentences.push(Sentence { range, quotes });
        }
        self.quotes.clear();
        self.open_quotes.clear();
        self.open_asides.clear();
        self.start = next;
    }

    /// True when the sentence so far opened with the aside that starts at `open`: a
    /// parenthesised sentence of its own (「（至急です。）」), which ends where it closes.
    fn opens_with(&self, open: usize) -> bool {
        self.text[self.start..open]
            .trim_matches(|c: char| is_blank(c) || c == '※' || c == '\n')
            .is_empty()
    }
}

/// Most characters a label before a whole-sentence quotation may have (「NG例：」「×」).
const QUOTE_LABEL_CHARS: usize = 10;

/// The quotation that makes up all of the sentence at `range`, after at most a short label
/// and before terminators: 「…」。 or NG例：「…」.
fn whole_quote(text: &str, range: &Range<usize>, quotes: &[Range<usize>]) -> Option<Range<usize>> {
    let sentence = &text[range.clone()];
    let body = sentence.trim_end_matches(|c: char| is_terminator(c) || is_blank(c));
    let close = body
        .chars()
        .next_back()
        .filter(|c| matches!(c, '」' | '』'))?;
    let quote_end = range.start + body.len() - close.len_utf8();
    let quote = quotes.iter().find(|q| q.end == quote_end)?;
    let label = &text[range.start..quote.start - '「'.len_utf8()];
    let is_label = label.is_empty()
        || (label.chars().count() <= QUOTE_LABEL_CHARS
            && (!label.chars().any(is_hiragana)
                || label.ends_with(['：', ':', '）', ')', '⇒', '→'])));
    is_label.then(|| quote.clone())
}

fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309f}').contains(&c)
}

/// Hiragana a wrapped line can stop on in mid-sentence: particles and the connective forms
/// of verbs (を, が, に, て, し, り, …), none of which ends a sentence.
const MID_SENTENCE_ENDINGS: &str = "をがにはのでとへもやてしりくきずばらなけえせれち";

/// Hiragana that cannot start a sentence: a line starting with one continues the last.
const CONTINUING_STARTS: &str = "をがにはのでとへもやずっ";

/// A line shorter than this that ends mid-phrase may be a heading (「今後の対応について」).
const MIN_WRAPPED_LINE_CHARS: usize = 12;

/// True when the line break after `line` (blank-trimmed, no terminator at its end) is a
/// hand wrap inside a sentence that goes on in `next`.
fn is_wrapped(line: &str, next: &str) -> bool {
    let line = line.trim_matches(is_blank);
    let next = next.trim_start_matches(is_blank);
    let (Some(last), Some(first)) = (line.chars().next_back(), next.chars().next()) else {
        return false;
    };
    if is_terminator(last) || is_closing(last) || starts_a_unit(next) {
        return false;
    }
    if CONTINUING_STARTS.contains(first) || matches!(first, '、' | '，') {
        return true;
    }
    if matches!(last, '、' | '，') {
        return true;
    }
    let long_enough = line.chars().count() >= MIN_WRAPPED_LINE_CHARS || line.contains('、');
    long_enough && MID_SENTENCE_ENDINGS.contains(last)
}

/// A line that starts a unit of its own: a list item, a heading or label, a note.
fn starts_a_unit(line: &str) -> bool {
    let Some(first) = line.chars().next() else {
        return true;
    };
    if matches!(
        first,
        '・' | '●'
            | '○'
            | '■'
            | '□'
            | '◆'
            | '◇'
            | '▼'
            | '▽'
            | '※'
            | '【'
            | '〈'
            | '<'
            | '＜'
            | '-'
            | '－'
            | '*'
            | '＊'
            | '#'
            | '>'
            | '＞'
            | '('
            | '（'
            | '①'..='⑳' | '第'
    ) {
        return true;
    }
    // 1. / 2) / ３．: a numbered item.
    let digits = line
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .count();
    digits > 0
        && line
            .chars()
            .nth(digits)
            .is_some_and(|c| matches!(c, '.' | '．' | ')' | '）' | '、' | ' ' | '　'))
}

/// Splits `text[range]` into sentences; ranges in the result index `text`.
pub fn split_sentences(text: &str, range: Range<usize>) -> Vec<Sentence> {
    let mut splitter = Splitter {
        text,
        sentences: Vec::new(),
        start: range.start,
        quotes: Vec::new(),
        open_quotes: Vec::new(),
        open_asides: Vec::new(),
    };
    let mut line_start = range.start;
    let mut chars = text[range.clone()].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = range.start + i;
        let after = at + c.len_utf8();
        match c {
            '\n' => {
                let next_end = text[after..range.end]
                    .find('\n')
                    .map_or(range.end, |n| after + n);
                let line = &text[line_start..at];
                // Asides never run over a line break: an unclosed （ must not swallow lines.
                splitter.open_asides.clear();
                if !is_wrapped(line, &text[after..next_end]) {
                    splitter.finish(at, after);
                }
                line_start = after;
            }
            '「' | '『' => splitter.open_quotes.push(after),
            '」' | '』' => {
                if let Some(open) = splitter.open_quotes.pop() {
                    splitter.quotes.push(open..at);
                }
            }
            '（' | '(' if splitter.open_quotes.is_empty() => splitter.open_asides.push(at),
            '）' | ')' if splitter.open_quotes.is_empty() => {
                let Some(open) = splitter.open_asides.pop() else {
                    continue;
                };
                let after_terminator = text[..at].chars().next_back().is_some_and(is_terminator);
                if splitter.open_asides.is_empty() && after_terminator && splitter.opens_with(open)
                {
                    splitter.finish(after, after);
                }
            }
            c if is_terminator(c)
                && splitter.open_quotes.is_empty()
                && splitter.open_asides.is_empty() =>
            {
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
        assert_eq!(
            texts("遅れます（至急）。次です"),
            ["遅れます（至急）。", "次です"]
        );
    }

    #[test]
    fn a_terminator_inside_an_aside_does_not_end_the_sentence() {
        assert_eq!(
            texts("当サイト（以下「本サイト」といいます。）の会員情報が流出しました。次です。"),
            [
                "当サイト（以下「本サイト」といいます。）の会員情報が流出しました。",
                "次です。"
            ]
        );
        assert_eq!(
            texts("※（再開日は追ってお知らせします。）\n以上"),
            ["※（再開日は追ってお知らせします。）", "以上"]
        );
        // An unclosed aside ends at the line, like an unclosed quote.
        assert_eq!(texts("（注。\n次の行。"), ["（注。", "次の行。"]);
    }

    #[test]
    fn hand_wrapped_lines_stay_one_sentence() {
        assert_eq!(
            texts(
                "このたびは、配送の確認が遅れてしまったことを、\n深くお詫び申し上げます。\n次です。"
            ),
            [
                "このたびは、配送の確認が遅れてしまったことを、\n深くお詫び申し上げます。",
                "次です。"
            ]
        );
        // The next line starts with a particle: the break is inside a phrase.
        assert_eq!(
            texts("皆様に多大なご迷惑\nをおかけしました。"),
            ["皆様に多大なご迷惑\nをおかけしました。"]
        );
        // A long line stopping on a connective form goes on in the next line.
        assert_eq!(
            texts(
                "検品の際にキャップの締め具合を目視で確認して\nおりましたが、漏れを見逃しました。"
            ),
            ["検品の際にキャップの締め具合を目視で確認して\nおりましたが、漏れを見逃しました。"]
        );
    }

    #[test]
    fn headings_list_items_and_short_lines_are_not_joined() {
        assert_eq!(
            texts("今後の対応について\n当社は全件を再送しました。"),
            ["今後の対応について", "当社は全件を再送しました。"]
        );
        assert_eq!(
            texts(
                "対象となる商品は次のとおりで、\n・ドリップバッグ 10袋入り\n・ドリップバッグ 20袋入り"
            ),
            [
                "対象となる商品は次のとおりで、",
                "・ドリップバッグ 10袋入り",
                "・ドリップバッグ 20袋入り"
            ]
        );
        assert_eq!(
            texts("【経緯】\n3月2日に発送しました。"),
            ["【経緯】", "3月2日に発送しました。"]
        );
        assert_eq!(
            texts("件名: 遅延のご連絡\n山田様"),
            ["件名: 遅延のご連絡", "山田様"]
        );
    }

    #[test]
    fn a_sentence_that_is_one_quotation_is_the_writers_own() {
        let quotes = |text: &str| -> Vec<String> {
            split_sentences(text, 0..text.len())
                .into_iter()
                .flat_map(|s| s.quotes)
                .map(|q| text[q].to_owned())
                .collect()
        };
        assert!(quotes("「担当者が不在で対応が遅れました」").is_empty());
        assert!(quotes("NG例：「対応を検討します」。").is_empty());
        // A quotation inside a sentence is someone's words, and so is one inside the whole.
        assert_eq!(
            quotes("お客様から「対応を検討します」との返答だったと伺いました。"),
            ["対応を検討します"]
        );
        assert_eq!(quotes("「部長の「至急」を伝え忘れました」"), ["至急"]);
        // A long phrase before the quotation is a sentence of its own, not a label.
        assert_eq!(
            quotes("書いてはいけないのは「気をつけます」"),
            ["気をつけます"]
        );
    }

    #[test]
    fn an_unclosed_quote_ends_at_the_line() {
        assert_eq!(
            texts("「閉じない。\n次の行。"),
            ["「閉じない。", "次の行。"]
        );
    }
}
