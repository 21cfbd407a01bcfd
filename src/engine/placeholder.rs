//! Template placeholders such as `{{name}}`, `［期限］` or `〇月〇日`.
//!
//! Letters are often linted while still templates. A placeholder is a slot the author will
//! fill in later, so rules must not report it as vague wording, and a placeholder in a
//! deadline slot (`〇月〇日までに`) counts as a deadline.
//!
//! Decisions:
//! - `【重要】` is a heading marker, never a placeholder: only `[]`/`［］` brackets are slots.
//! - `[1]`-style references (digits only) and Markdown check boxes (`[x]`) are not slots.
//! - A single mark (`○`, `●`, `×`, …) is only a placeholder directly before a unit
//!   (`○時`, `〇月`); a lone `○ ` at the start of a line is a bullet, as is any mark
//!   followed by a space.
//! - `〇` next to kanji numerals is a digit (`二〇二六年`), not a placeholder.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Marks that authors repeat to blank out a name or number: `〇〇様`, `●●株式会社`.
pub(crate) const BLANK_MARKS: &[char] = &['〇', '○', '◯', '●', '×', '＊'];

/// Units that a single blank mark or `XX` may stand before (`○時`, `XX月`).
const UNITS: &str = "年|月|日|時|分|秒|週|曜|営業日|件|名|回|円|個|%|％";

/// Brace and percent templates: `{{name}}`, `${name}`, `{name}`, `%NAME%`, whose name is
/// at most [`MAX_BRACED_NAME`] characters. The bound is checked in code
/// ([`find_bounded`]): a counted repetition of a Unicode class compiles to a copy of the
/// class per count, which made this regex cost 2 ms to compile.
static BRACED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{\s*[^{}\s]+\s*\}\}|\$\{[^{}\s]+\}|\{[^{}\s]+\}|%[A-Za-z_][A-Za-z0-9_]*%")
        .expect("valid regex")
});
const MAX_BRACED_NAME: usize = 40;

/// `[期限]` / `［期限］`: short content (at most [`MAX_BRACKETED_NAME`] characters) without
/// spaces or punctuation.
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\[［][^\[\]［］\s、。,.，．!?！？「」()（）]+[\]］]").expect("valid regex")
});
const MAX_BRACKETED_NAME: usize = 12;

/// The matches of `regex` whose name (the text inside the delimiters, see [`name_of`]) has
/// at most `max` characters: the same matches as the regex with the bound written as a
/// counted repetition. Each pattern's name run is the longest run of its class and only one
/// alternative can match at a position, so a match whose name is too long means none starts
/// there, and the search goes on from the next character.
fn find_bounded(regex: &Regex, hay: &str, max: usize) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(m) = regex.find_at(hay, at) {
        if name_of(m.as_str()).chars().count() <= max {
            found.push(m.range());
            at = m.end();
        } else {
            at = m.start() + m.as_str().chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// The name inside a placeholder match: without its delimiters (`{{`/`}}`, `${`/`}`,
/// `{`/`}`, `%`/`%`, brackets) and the spaces inside double braces.
fn name_of(placeholder: &str) -> &str {
    let mut chars = placeholder.chars();
    let open = chars.next();
    chars.next_back();
    let inner = chars.as_str();
    match open {
        Some('{') if inner.starts_with('{') => {
            let inner = &inner[1..inner.len().saturating_sub(1)];
            inner.trim_matches(|c: char| c.is_whitespace())
        }
        Some('$') => &inner[1..],
        _ => inner,
    }
}

/// Runs of blank marks, or one mark before a unit.
static MARKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"[〇○◯●×＊]{{2,}}|[〇○◯●×＊](?:{UNITS})")).expect("valid regex")
});

/// `XX月`, `ＸＸ日`, `XXXX年`: Latin X blanks before a unit.
static XS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?:[Xx]{{1,4}}|[Ｘｘ]{{1,4}})(?:{UNITS})")).expect("valid regex")
});

/// Byte ranges of template placeholders within `text[range]` (ranges are absolute).
pub fn find_placeholders(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let Some(hay) = text.get(range.clone()) else {
        return Vec::new();
    };
    let base = range.start;
    // Each regex runs only on text with a character its placeholders start with: most
    // sentences have none, and the regexes then are not even compiled.
    let has = |chars: &[char]| hay.contains(chars);
    let mut found: Vec<Range<usize>> = Vec::new();
    if has(&['{', '%']) {
        found.extend(find_bounded(&BRACED, hay, MAX_BRACED_NAME));
    }
    if has(&['[', '［']) {
        found.extend(
            find_bounded(&BRACKETED, hay, MAX_BRACKETED_NAME)
                .into_iter()
                .filter(|r| is_bracket_slot(hay, r.clone())),
        );
    }
    if has(BLANK_MARKS) {
        found.extend(
            MARKS
                .find_iter(hay)
                .filter_map(|m| mark_slot(hay, m.range())),
        );
    }
    if has(&['X', 'x', 'Ｘ', 'ｘ']) {
        found.extend(
            XS.find_iter(hay)
                .filter(|m| !is_word_char_before(hay, m.start()))
                .map(|m| m.start()..m.start() + x_run_len(m.as_str())),
        );
    }
    let mut ranges: Vec<Range<usize>> = found
        .into_iter()
        .map(|r| r.start + base..r.end + base)
        .collect();
    drop_overlaps(&mut ranges);
    ranges
}

/// True when `s` consists only of blank marks (`〇〇`, `●`) or Latin X blanks (`XX`).
pub fn is_blank(s: &str) -> bool {
    !s.is_empty()
        && (s.chars().all(|c| BLANK_MARKS.contains(&c))
            || s.chars().all(|c| matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')))
}

/// `[1]` is a reference, `[x]` a check box and `[text](url)` a link; none is a slot.
fn is_bracket_slot(hay: &str, range: Range<usize>) -> bool {
    let inner = inner_of_brackets(&hay[range.clone()]);
    let numeric = inner
        .chars()
        .all(|c| c.is_ascii_digit() || is_fullwidth_digit(c));
    let check_box = matches!(inner, "x" | "X" | "ｘ" | "Ｘ");
    let link = hay[range.end..].starts_with('(');
    !numeric && !check_box && !link
}

fn inner_of_brackets(s: &str) -> &str {
    let mut chars = s.chars();
    chars.next();
    chars.next_back();
    chars.as_str()
}

/// Filters mark matches: a mark next to kanji numerals is a digit (`二〇〇〇年`), and the unit
/// after a single mark is not part of the placeholder (`○時` → `○`).
fn mark_slot(hay: &str, range: Range<usize>) -> Option<Range<usize>> {
    let before = hay[..range.start].chars().next_back();
    let after = hay[range.end..].chars().next();
    if before.is_some_and(is_kanji_digit) || after.is_some_and(is_kanji_digit) {
        return None;
    }
    let first = hay[range.clone()].chars().next()?;
    let is_run = hay[range.clone()]
        .chars()
        .skip(1)
        .all(|c| BLANK_MARKS.contains(&c));
    if is_run {
        return Some(range);
    }
    // `×` between numbers is multiplication (`3×2回`), not a blank.
    if first == '×' && before.is_some_and(|c| c.is_ascii_digit() || is_fullwidth_digit(c)) {
        return None;
    }
    Some(range.start..range.start + first.len_utf8())
}

/// `MAX日` or `BOX年` end in X but are words.
fn is_word_char_before(hay: &str, at: usize) -> bool {
    hay[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() && !is_kanji_or_kana(c))
}

fn x_run_len(s: &str) -> usize {
    s.chars()
        .take_while(|c| matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ'))
        .map(char::len_utf8)
        .sum()
}

/// Keeps the earliest (then longest) of overlapping ranges.
fn drop_overlaps(ranges: &mut Vec<Range<usize>>) {
    ranges.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut last_end = 0;
    ranges.retain(|r| {
        let keep = r.start >= last_end;
        if keep {
            last_end = r.end;
        }
        keep
    });
}

fn is_kanji_digit(c: char) -> bool {
    "一二三四五六七八九十百千".contains(c)
}

fn is_fullwidth_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

fn is_kanji_or_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts made of delimiters, names with lengths at the bounds (12 and 40, where a
    /// mistake would show), and delimited names.
    fn template_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let run = (
            proptest::sample::select(vec!["a", "あ", "_", "X", " "]),
            proptest::sample::select(vec![0usize, 1, 11, 12, 13, 39, 40, 41]),
        )
            .prop_map(|(c, n)| c.repeat(n));
        let open = proptest::sample::select(vec!["{", "{{", "${", "%", "[", "［", "{{ "]);
        let close = proptest::sample::select(vec!["}", "}}", "%", "]", "］", " }}"]);
        let other = proptest::sample::select(vec!["}", "{", "、", "\n", "$"]);
        let piece = prop_oneof![
            3 => (open, run.clone(), close).prop_map(|(o, name, c)| format!("{o}{name}{c}")),
            1 => run,
            1 => other.prop_map(str::to_owned),
        ];
        proptest::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
    }

    /// The patterns as they were, with the bounds as counted repetitions.
    static COUNTED_BRACED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\{\{\s*[^{}\s]{1,40}\s*\}\}|\$\{[^{}\s]{1,40}\}|\{[^{}\s]{1,40}\}|%[A-Za-z_][A-Za-z0-9_]{0,39}%",
        )
        .unwrap()
    });
    static COUNTED_BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[\[［][^\[\]［］\s、。,.，．!?！？「」()（）]{1,12}[\]］]").unwrap()
    });

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2048))]
        /// The bound checked in code finds what the counted repetition found.
        #[test]
        fn bounds_checked_in_code_match_counted_repetition(text in template_like()) {
            let expected = |re: &Regex| re.find_iter(&text).map(|m| m.range()).collect::<Vec<_>>();
            proptest::prop_assert_eq!(
                find_bounded(&BRACED, &text, MAX_BRACED_NAME),
                expected(&COUNTED_BRACED)
            );
            proptest::prop_assert_eq!(
                find_bounded(&BRACKETED, &text, MAX_BRACKETED_NAME),
                expected(&COUNTED_BRACKETED)
            );
        }
    }

    /// The placeholder texts found in `text`.
    fn found(text: &str) -> Vec<&str> {
        find_placeholders(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn double_braces() {
        assert_eq!(found("{{deadline}}までにご連絡します"), ["{{deadline}}"]);
        assert_eq!(found("{{ customer_name }}様"), ["{{ customer_name }}"]);
    }

    #[test]
    fn single_braces_and_dollar_braces() {
        assert_eq!(found("{期限}までに"), ["{期限}"]);
        assert_eq!(found("${name}様"), ["${name}"]);
    }

    #[test]
    fn percent_names() {
        assert_eq!(found("%NAME%様"), ["%NAME%"]);
        assert!(found("10%から20%に増加").is_empty());
    }

    #[test]
    fn square_brackets_half_and_full_width() {
        assert_eq!(found("[期限]まで"), ["[期限]"]);
        assert_eq!(found("［期限］まで"), ["［期限］"]);
    }

    #[test]
    fn brackets_that_are_not_slots() {
        assert!(found("【重要】障害のお知らせ").is_empty());
        assert!(found("詳細は[1]を参照").is_empty());
        assert!(found("［２］参照").is_empty());
        assert!(found("「」内に記入").is_empty());
        assert!(found("- [x] 完了").is_empty());
        assert!(found("[詳細](https://example.com)").is_empty());
        assert!(found("[期 限]").is_empty());
        assert!(found("[期限、日時]").is_empty());
    }

    #[test]
    fn runs_of_blank_marks() {
        assert_eq!(found("〇〇様"), ["〇〇"]);
        assert_eq!(found("○○株式会社"), ["○○"]);
        assert_eq!(found("●●部の××"), ["●●", "××"]);
        assert_eq!(found("＊＊＊"), ["＊＊＊"]);
    }

    #[test]
    fn single_marks_before_units() {
        assert_eq!(found("〇月〇日までに"), ["〇", "〇"]);
        assert_eq!(found("○時まで"), ["○"]);
        assert_eq!(found("◯月◯日"), ["◯", "◯"]);
        assert_eq!(found("＊月＊日"), ["＊", "＊"]);
    }

    #[test]
    fn bullets_are_not_placeholders() {
        assert!(found("○ 原因").is_empty());
        assert!(found("● 対応内容\n○ 再発防止策").is_empty());
        assert!(found("結果は×でした").is_empty());
    }

    #[test]
    fn kanji_zero_and_multiplication_are_not_placeholders() {
        assert!(found("二〇二六年三月").is_empty());
        assert!(found("二〇〇〇年").is_empty());
        assert!(found("3×2回").is_empty());
    }

    #[test]
    fn latin_x_blanks_before_units() {
        assert_eq!(found("XX月XX日"), ["XX", "XX"]);
        assert_eq!(found("ＸＸ月ＸＸ日"), ["ＸＸ", "ＸＸ"]);
        assert_eq!(found("XXXX年"), ["XXXX"]);
        assert!(found("MAX日").is_empty());
        assert!(found("Xの値").is_empty());
    }

    #[test]
    fn offsets_are_absolute_and_limited_to_range() {
        let text = "〇〇様\n{{name}}様";
        let second_line = text.find('{').unwrap();
        let ranges = find_placeholders(text, second_line..text.len());
        assert_eq!(ranges.len(), 1);
        assert_eq!(ranges[0], second_line..second_line + "{{name}}".len());
        assert!(
            find_placeholders(text, 1..2).is_empty(),
            "not a char boundary"
        );
    }

    #[test]
    fn is_blank_recognises_marks_and_xs() {
        assert!(is_blank("〇〇"));
        assert!(is_blank("ＸＸ"));
        assert!(!is_blank("二〇"));
        assert!(!is_blank(""));
    }
}
