//! Time expressions over IPADIC tokens: decides whether a sentence names a concrete deadline.
//!
//! IPADIC splits time expressions unevenly (`3|月|5|日` but `３月|５|日`, `十二月|一|日`,
//! `午後|3|時半`, and `一時` "temporarily" is one word), so each pattern is a regex anchored
//! at a token start and run over the surfaces of a short run of adjacent tokens; a match only
//! counts when it also ends on a token boundary. That keeps the readable regex while
//! respecting the tokenizer's word boundaries (`明日香` is a name, not `明日`).
//!
//! Decisions:
//! - Explicit dates and clock times count as deadlines whatever the tense (`3月5日に発生`),
//!   because the detector cannot know today's date. Past relative anchors (`昨日`, `先日`,
//!   `先週`) are never reported: they state facts, not commitments.
//! - Vague words (`早急に`, `近日中`, `後日`, `今後`, `追って`, `順次`, …) are not anchors.
//! - `週明け` IS an anchor: it names the first business day or two of next week, a narrower
//!   window than `3月上旬`, which is accepted too.
//! - Durations are deadlines only when bounded (`1時間以内`); `1時間ほど` and `3日間` are not.
//! - Words that only narrow a period (`今週`, `今月`, `当日`, a weekday, `3月`, `午前`) need a
//!   bound (`今週中`, `3月までに`, `午前中`); a bare day (`5日`) needs a weekday, a clock
//!   time or `まで` (`1日も早く` is an idiom, not a date).
//! - A template placeholder counts when it fills a date/time slot (`〇月〇日`, `○時`) or is
//!   followed by a bound (`{{deadline}}までに`, `［期限］まで`), or names a date (`{期限}`).
//! - Spans exclude the bound: `本日中` gives `本日` with `bounded: true`.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::placeholder::{find_placeholders, is_blank};
use crate::tokenize::Token;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeKind {
    Date,
    ClockTime,
    Duration,
    RelativeAnchor,
    Placeholder,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeExpr {
    pub kind: TimeKind,
    /// Byte offsets, in the same space as token offsets.
    pub start: usize,
    pub end: usize,
    /// Followed by まで/までに/迄/以内/中/内/をめど/目処 etc.
    pub bounded: bool,
}

/// A number: ASCII or full-width digits, kanji numerals, or a blank (`〇`, `●`, `XX`).
const NUM: &str = r"(?:[0-9０-９]{1,4}|[〇一二三四五六七八九十]{1,4}|[○◯●×＊]{1,2}|[XxＸｘ]{1,4})";
const WEEKDAY: &str = r"[月火水木金土日]曜日?";
/// Longest time expression in tokens (`2026|年|3|月|5|日|(|木|)|17|:|00`).
const MAX_TOKENS: usize = 16;

/// A regex anchored at a token start, with a cheap test of the text there that every match
/// passes: most tokens cannot start a time expression, and the regexes are only compiled
/// once some text could match them (a test checks each test against its regex's prefixes).
struct TimePattern {
    regex: LazyLock<Regex>,
    may_start: fn(&str) -> bool,
}

static DATE: TimePattern = TimePattern {
    regex: LazyLock::new(|| {
        let year = format!(r"(?:(?:令和|平成|R)?(?P<y>元|{NUM})年)");
        let month_day =
            format!(r"{year}?(?P<m>{NUM})月(?:(?P<d>{NUM})日|(?P<part>上旬|中旬|下旬|初旬|末))?");
        let slashed = r"(?:[0-9０-９]{4}[/／])?(?P<sm>[0-9０-９]{1,2})[/／](?P<sd>[0-9０-９]{1,2})";
        let day = format!(r"(?P<bd>{NUM})日");
        re(&format!(r"^(?:{month_day}|{slashed}|{day})"))
    }),
    may_start: |s| starts_number(s) || s.starts_with(['令', '平', 'R', '元']),
};

static WEEKDAY_PAREN: TimePattern = TimePattern {
    regex: LazyLock::new(|| re(&format!(r"^[（(](?:{WEEKDAY}|[月火水木金土日])[）)]"))),
    may_start: |s| s.starts_with(['（', '(']),
};

static CLOCK: TimePattern = TimePattern {
    regex: LazyLock::new(|| {
        re(&format!(
            r"^(?:(?P<ampm>午前|午後)?(?P<h>{NUM})(?P<unit>時)(?:半|(?P<min>{NUM})分)?|(?P<ch>[0-9０-９]{{1,2}})[:：](?P<cm>[0-9０-９]{{2}})|正午|(?P<half>午前|午後))"
        ))
    }),
    may_start: |s| starts_number(s) || s.starts_with(['午', '正']),
};

static ANCHOR: TimePattern = TimePattern {
    regex: LazyLock::new(|| {
        let week = "(?:今週|来週|再来週|翌週)";
        let month = "(?:今月|来月|翌月)";
        re(&format!(
            "^(?:(?P<strong>本日|今日|明日|あす|あした|明朝|明後日|あさって|翌日|翌朝|翌営業日|今夕|今晩|今夜\
             |週明け|月末|週末|年度末|年内|年度内|{week}(?:{WEEKDAY}|末)|{month}(?:末|上旬|中旬|下旬|初旬))\
             |(?P<weak>{week}|{month}|今年度?|本年度?|当日|同日|{WEEKDAY}))"
        ))
    }),
    // `あ` alone would let in every `あり`/`ある`.
    may_start: |s| {
        s.starts_with([
            '本', '今', '明', '翌', '週', '月', '年', '来', '再', '当', '同', '火', '水', '木',
            '金', '土', '日',
        ]) || ["あす", "あし", "あさ"].iter().any(|p| s.starts_with(p))
    },
};

static DURATION: TimePattern = TimePattern {
    regex: LazyLock::new(|| {
        re(&format!(
            r"^(?P<n>{NUM})(?P<unit>時間|分間|分|秒間?|営業日|日間|日|週間|[かヶカケヵ箇]月間?|年間|年)半?"
        ))
    }),
    may_start: starts_number,
};

/// `の` joining an anchor to a time of day (`明日の午前中`).
static NO: TimePattern = TimePattern {
    regex: LazyLock::new(|| re("^の")),
    may_start: |s| s.starts_with('の'),
};

/// Whether `s` starts with a character that can start `NUM`.
fn starts_number(s: &str) -> bool {
    s.chars().next().is_some_and(|c| {
        c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || "〇一二三四五六七八九十○◯●×＊XxＸｘ".contains(c)
    })
}

/// Placeholder names that announce a date or time slot even without a bound.
static TIME_SLOT_NAME: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)期限|期日|締切|日時|日付|時刻|date|deadline|\bdue\b|\btime\b"));

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("time expression patterns are valid")
}

/// `text` is the full document text; token offsets index into it.
pub fn find_time_expressions(text: &str, tokens: &[Token]) -> Vec<TimeExpr> {
    let scanner = Scanner::new(text, tokens);
    let mut found = scanner.scan_tokens();
    found.extend(scanner.placeholder_slots(&found));
    found.sort_by_key(|e| e.start);
    found
}

/// True when the tokens contain a concrete deadline: any date, clock time, forward anchor or
/// placeholder slot, or a bounded duration.
pub fn has_deadline(text: &str, tokens: &[Token]) -> bool {
    find_time_expressions(text, tokens)
        .iter()
        .any(|e| e.kind != TimeKind::Duration || e.bounded)
}

/// What follows an expression, which decides how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    None,
    /// まで, 迄, をめど, 目処, 期限: a point in time.
    Until,
    /// 以内, 内: a span from now.
    Within,
    /// 中: during the period.
    During,
}

/// A match of one pattern: where it ends, and whether a blank filled a number.
struct Part {
    end: usize,
    blank: bool,
}

struct Scanner<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// Token end offsets, ascending; a match must end on one.
    ends: Vec<usize>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, tokens: &'a [Token]) -> Self {
        let ends = tokens.iter().map(|t| t.end).collect();
        Scanner { text, tokens, ends }
    }

    fn scan_tokens(&self) -> Vec<TimeExpr> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            let expr = (!self.continues_number(i))
                .then(|| self.expr_at(i))
                .flatten();
            match expr {
                Some(expr) => {
                    i = self.tokens.partition_point(|t| t.start < expr.end);
                    found.push(expr);
                }
                None => i += 1,
            }
        }
        found
    }

    /// The first pattern that matches at token `i`; dates before clock times so that
    /// `3月5日17時` stays one expression, durations last since `5日` alone is ambiguous.
    fn expr_at(&self, i: usize) -> Option<TimeExpr> {
        let start = self.tokens[i].start;
        let limit = self.run_end(i);
        self.date(start, limit)
            .or_else(|| self.anchor(start, limit))
            .or_else(|| self.clock_expr(start, limit))
            .or_else(|| self.duration(start, limit))
    }

    /// A number token glued to a preceding number, `第`, or separator is the middle of
    /// something else (`第3回`, `123`, `3.5`), never the start of a time expression.
    fn continues_number(&self, i: usize) -> bool {
        let Some(prev) = i.checked_sub(1).map(|p| &self.tokens[p]) else {
            return false;
        };
        prev.end == self.tokens[i].start
            && ((prev.pos(0) == "名詞" && prev.pos(1) == "数")
                || matches!(
                    prev.surface.as_str(),
                    "第" | "/" | "／" | "." | "．" | ":" | "："
                ))
    }

    /// End of the run of adjacent tokens (no whitespace between) starting at token `i`.
    fn run_end(&self, i: usize) -> usize {
        let mut end = self.tokens[i].end;
        for token in self.tokens[i + 1..].iter().take(MAX_TOKENS - 1) {
            if token.start != end {
                break;
            }
            end = token.end;
        }
        end
    }

    /// The longest match of `re` at `pos` that ends on a token boundary, with the absolute
    /// end. The regex may run past a boundary into a longer word (`1時` inside `1時間`), so
    /// the haystack is cut back to the previous boundary and the match retried.
    fn eat(
        &self,
        pattern: &TimePattern,
        pos: usize,
        limit: usize,
    ) -> Option<(Captures<'a>, usize)> {
        if pos >= limit || !(pattern.may_start)(&self.text[pos..limit]) {
            return None;
        }
        let re = &*pattern.regex;
        let mut limit = limit;
        while limit > pos {
            let caps = re.captures(&self.text[pos..limit])?;
            let end = pos + caps.get(0)?.end();
            if end > pos && self.ends.binary_search(&end).is_ok() {
                return Some((caps, end));
            }
            let before = self.ends.partition_point(|&e| e < end);
            limit = *self.ends[..before].last()?;
        }
        None
    }

    /// True when capture `group` (of a match at `base`) starts a token: `時` must not sit
    /// inside a word such as `一時` ("temporarily").
    fn starts_token(&self, base: usize, caps: &Captures, group: &str) -> bool {
        caps.name(group).is_none_or(|m| {
            self.tokens
                .binary_search_by_key(&(base + m.start()), |t| t.start)
                .is_ok()
        })
    }

    fn bound_after(&self, end: usize) -> Bound {
        let next = self.tokens.partition_point(|t| t.start < end);
        let Some(token) = self.tokens.get(next) else {
            return Bound::None;
        };
        if !self.text[end..token.start].trim().is_empty() {
            return Bound::None;
        }
        let after = self.tokens.get(next + 1).map(|t| t.surface.as_str());
        match (token.surface.as_str(), after) {
            ("まで" | "迄" | "までに" | "期限" | "めど" | "目処" | "目途" | "メド", _) => {
                Bound::Until
            }
            ("を", Some("めど" | "目処" | "目途" | "メド" | "目安" | "期限")) => {
                Bound::Until
            }
            ("以内" | "内", _) => Bound::Within,
            ("中", _) if token.pos(0) == "名詞" => Bound::During,
            _ => Bound::None,
        }
    }

    fn expr(&self, kind: TimeKind, start: usize, end: usize) -> TimeExpr {
        let bounded = self.bound_after(end) != Bound::None;
        TimeExpr {
            kind,
            start,
            end,
            bounded,
        }
    }

    /// `3月5日`, `2026/3/5`, `3月下旬`, `5日(金)`, optionally followed by a weekday and a
    /// clock time; a month alone needs a bound, a bare day a qualifier.
    fn date(&self, pos: usize, limit: usize) -> Option<TimeExpr> {
        let (caps, mut end) = self.eat(&DATE, pos, limit)?;
        let fields = date_fields(&caps)?;
        let mut qualified = false;
        if let Some((_, e)) = self.eat(&WEEKDAY_PAREN, end, limit) {
            end = e;
            qualified = true;
        }
        let mut blank = fields.blank;
        if let Some(clock) = self.clock(end, limit) {
            end = clock.end;
            blank |= clock.blank;
            qualified = true;
        }
        let bound = self.bound_after(end);
        let accepted = match fields.shape {
            DateShape::Full => true,
            DateShape::MonthOnly => bound != Bound::None || qualified,
            DateShape::DayOnly => qualified || bound == Bound::Until,
        };
        let kind = if blank {
            TimeKind::Placeholder
        } else {
            TimeKind::Date
        };
        accepted.then(|| self.expr(kind, pos, end))
    }

    /// `本日`, `明日12時`, `今週金曜`, `今月中`; the narrowing words need a bound.
    fn anchor(&self, pos: usize, limit: usize) -> Option<TimeExpr> {
        let (caps, mut end) = self.eat(&ANCHOR, pos, limit)?;
        let mut blank = false;
        // `明日12時`, `明日の午前中`.
        let no = self.eat(&NO, end, limit).map_or(end, |(_, e)| e);
        if let Some(clock) = self.clock(end, limit).or_else(|| self.clock(no, limit)) {
            end = clock.end;
            blank = clock.blank;
        } else if caps.name("weak").is_some() && self.bound_after(end) == Bound::None {
            return None;
        }
        let kind = if blank {
            TimeKind::Placeholder
        } else {
            TimeKind::RelativeAnchor
        };
        Some(self.expr(kind, pos, end))
    }

    fn clock_expr(&self, pos: usize, limit: usize) -> Option<TimeExpr> {
        let clock = self.clock(pos, limit)?;
        let kind = if clock.blank {
            TimeKind::Placeholder
        } else {
            TimeKind::ClockTime
        };
        Some(self.expr(kind, pos, clock.end))
    }

    /// `19時`, `19:00`, `午後3時半`, `17時30分`, `正午`; `午前`/`午後` alone need a bound
    /// (`午前中`).
    fn clock(&self, pos: usize, limit: usize) -> Option<Part> {
        let (caps, end) = self.eat(&CLOCK, pos, limit)?;
        if caps.name("half").is_some() {
            return (self.bound_after(end) != Bound::None).then_some(Part { end, blank: false });
        }
        if !self.starts_token(pos, &caps, "unit") {
            return None;
        }
        let max_hour = if caps.name("ampm").is_some() { 12 } else { 24 };
        let hour = field(&caps, "h").or_else(|| field(&caps, "ch"));
        let minute = field(&caps, "min").or_else(|| field(&caps, "cm"));
        let blank = [hour, minute].into_iter().flatten().any(|f| f.blank);
        let valid =
            hour.is_none_or(|h| h.within(0, max_hour)) && minute.is_none_or(|m| m.within(0, 59));
        valid.then_some(Part { end, blank })
    }

    /// `1時間`, `3営業日`, `2週間`; bounded only when followed by 以内/まで etc. A bare
    /// `3日`/`1年` is only a duration with `以内`/`内` after it.
    fn duration(&self, pos: usize, limit: usize) -> Option<TimeExpr> {
        let (caps, end) = self.eat(&DURATION, pos, limit)?;
        if !self.starts_token(pos, &caps, "unit") {
            return None;
        }
        let unit = caps.name("unit")?.as_str();
        if matches!(unit, "日" | "年") && self.bound_after(end) != Bound::Within {
            return None;
        }
        let blank = field(&caps, "n").is_some_and(|n| n.blank);
        let kind = if blank {
            TimeKind::Placeholder
        } else {
            TimeKind::Duration
        };
        Some(self.expr(kind, pos, end))
    }

    /// Generic placeholders (`{{deadline}}`, `［期限］`, `○○`) in a deadline slot.
    fn placeholder_slots(&self, found: &[TimeExpr]) -> Vec<TimeExpr> {
        let (Some(first), Some(last)) = (self.tokens.first(), self.tokens.last()) else {
            return Vec::new();
        };
        find_placeholders(self.text, first.start..last.end)
            .into_iter()
            .filter(|r| !found.iter().any(|e| overlaps(r, &(e.start..e.end))))
            .map(|r| self.expr(TimeKind::Placeholder, r.start, r.end))
            .filter(|e| e.bounded || TIME_SLOT_NAME.is_match(&self.text[e.start..e.end]))
            .collect()
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateShape {
    /// Month with day or part (`3月5日`, `3月末`), or a slashed date.
    Full,
    MonthOnly,
    DayOnly,
}

struct DateFields {
    shape: DateShape,
    blank: bool,
}

/// Checks month and day ranges; blanks (`〇月〇日`) pass unchecked.
fn date_fields(caps: &Captures) -> Option<DateFields> {
    let month = field(caps, "m").or_else(|| field(caps, "sm"));
    let day = field(caps, "d")
        .or_else(|| field(caps, "sd"))
        .or_else(|| field(caps, "bd"));
    let year_blank = caps.name("y").is_some_and(|y| is_blank(y.as_str()));
    if !month.is_none_or(|m| m.within(1, 12)) || !day.is_none_or(|d| d.within(1, 31)) {
        return None;
    }
    let shape = match (month, day, caps.name("part")) {
        (Some(_), None, None) => DateShape::MonthOnly,
        (None, _, _) => DateShape::DayOnly,
        _ => DateShape::Full,
    };
    let blank = year_blank || [month, day].into_iter().flatten().any(|f| f.blank);
    Some(DateFields { shape, blank })
}

/// A numeric field: its value, or a blank to be filled in.
#[derive(Debug, Clone, Copy)]
struct Field {
    value: Option<u32>,
    blank: bool,
}

impl Field {
    /// Blanks are in range by definition; unparseable numbers are not.
    fn within(self, min: u32, max: u32) -> bool {
        self.blank || self.value.is_some_and(|v| (min..=max).contains(&v))
    }
}

fn field(caps: &Captures, name: &str) -> Option<Field> {
    let s = caps.name(name)?.as_str();
    // `〇` alone is a blank (there is no month 0), but `二〇` is twenty.
    let blank = is_blank(s);
    Some(Field {
        value: parse_number(s),
        blank,
    })
}

/// Parses ASCII, full-width and kanji numerals (`12`, `１２`, `十二`, `二〇二六`).
fn parse_number(s: &str) -> Option<u32> {
    let digits: Option<Vec<u32>> = s.chars().map(digit_value).collect();
    if let Some(digits) = digits {
        return digits
            .into_iter()
            .try_fold(0u32, |acc, d| acc.checked_mul(10)?.checked_add(d));
    }
    parse_kanji_tens(s)
}

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => "〇一二三四五六七八九"
            .chars()
            .position(|k| k == c)
            .map(|p| p as u32),
    }
}

/// `十`, `十二`, `二十`, `二十一`: kanji numerals below 100 written with `十`.
fn parse_kanji_tens(s: &str) -> Option<u32> {
    let (tens, ones) = s.split_once('十')?;
    let tens = if tens.is_empty() {
        1
    } else {
        parse_number(tens)?
    };
    let ones = if ones.is_empty() {
        0
    } else {
        parse_number(ones)?
    };
    Some(tens * 10 + ones)
}

#[cfg(test)]
mod tests {
    use super::TimeKind::*;
    use super::*;
    use crate::tokenize::tokenize;

    /// Every match of each pattern starts with one of its prefix literals (cut to at most
    /// two characters here), so each gate must let every one of those through.
    #[test]
    fn gates_let_through_every_start_of_their_regex() {
        use regex_syntax::hir::literal::Extractor;
        let patterns = [
            ("DATE", &DATE),
            ("WEEKDAY_PAREN", &WEEKDAY_PAREN),
            ("CLOCK", &CLOCK),
            ("ANCHOR", &ANCHOR),
            ("DURATION", &DURATION),
            ("NO", &NO),
        ];
        for (name, pattern) in patterns {
            let hir = regex_syntax::parse(pattern.regex.as_str()).expect("valid pattern");
            let mut extractor = Extractor::new();
            extractor
                .limit_class(100)
                .limit_repeat(4)
                .limit_literal_len(6)
                .limit_total(100_000);
            let prefixes = extractor.extract(&hir);
            let literals = prefixes.literals().expect("a finite set of prefixes");
            assert!(!literals.is_empty(), "{name}");
            for literal in literals {
                let bytes = literal.as_bytes();
                let valid = match std::str::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(err) => std::str::from_utf8(&bytes[..err.valid_up_to()]).unwrap(),
                };
                assert!(!valid.is_empty(), "{name}: {bytes:?}");
                assert!((pattern.may_start)(valid), "{name} rejects {valid:?}");
            }
        }
    }

    /// (kind, span text, bounded) of every expression in `text`.
    fn exprs(text: &str) -> Vec<(TimeKind, &str, bool)> {
        let tokens = tokenize(text, 0);
        find_time_expressions(text, &tokens)
            .into_iter()
            .map(|e| (e.kind, &text[e.start..e.end], e.bounded))
            .collect()
    }

    fn deadline(text: &str) -> bool {
        has_deadline(text, &tokenize(text, 0))
    }

    /// Asserts that `text` holds exactly one expression with this kind, span and bound.
    #[track_caller]
    fn assert_one(text: &str, kind: TimeKind, span: &str, bounded: bool) {
        assert_eq!(exprs(text), [(kind, span, bounded)], "in {text:?}");
    }

    #[test]
    fn month_day_dates() {
        assert_one("3月5日にご連絡します", Date, "3月5日", false);
        assert_one("3月5日までに", Date, "3月5日", true);
        assert_one("2026年3月5日", Date, "2026年3月5日", false);
    }

    #[test]
    fn slashed_dates() {
        assert_one("3/5までに回答します", Date, "3/5", true);
        assert_one("2026/3/5に実施", Date, "2026/3/5", false);
        assert_one("3/5(木)", Date, "3/5(木)", false);
        assert!(exprs("比率は13/40です").is_empty());
    }

    #[test]
    fn day_with_weekday_half_and_full_width_parens() {
        assert_one("5日(金)にご連絡", Date, "5日(金)", false);
        assert_one("5日（金）にご連絡", Date, "5日（金）", false);
        assert_one("15日（金曜日）", Date, "15日（金曜日）", false);
    }

    #[test]
    fn bare_day_needs_a_qualifier() {
        assert_one("30日までに", Date, "30日", true);
        assert_one("5日17時まで", Date, "5日17時", true);
        assert!(exprs("5日に").is_empty());
    }

    #[test]
    fn full_width_digits() {
        assert_one("３月５日までに", Date, "３月５日", true);
        assert_one("３時まで", ClockTime, "３時", true);
    }

    #[test]
    fn era_dates() {
        assert_one("令和8年3月5日", Date, "令和8年3月5日", false);
    }

    #[test]
    fn kanji_numeral_dates() {
        assert_one("十二月一日", Date, "十二月一日", false);
        assert_one("二〇二六年三月五日", Date, "二〇二六年三月五日", false);
        assert_one("一月五日", Date, "一月五日", false);
    }

    #[test]
    fn parts_of_months() {
        assert_one("3月上旬", Date, "3月上旬", false);
        assert_one("3月中旬に", Date, "3月中旬", false);
        assert_one("3月下旬までに", Date, "3月下旬", true);
        assert_one("3月末", Date, "3月末", false);
        assert_one("３月末", Date, "３月末", false);
        assert_one("十二月末", Date, "十二月末", false);
    }

    #[test]
    fn month_alone_needs_a_bound() {
        assert_one("3月中に", Date, "3月", true);
        assert!(exprs("3月に発生した").is_empty());
    }

    #[test]
    fn date_with_weekday_and_time_is_one_expression() {
        assert_one(
            "2026年3月5日(木)17:00まで",
            Date,
            "2026年3月5日(木)17:00",
            true,
        );
    }

    #[test]
    fn invalid_dates_are_rejected() {
        assert!(exprs("13月5日").is_empty());
        assert!(exprs("3月32日").is_empty());
    }

    #[test]
    fn clock_times() {
        assert_one("19時", ClockTime, "19時", false);
        assert_one("19:00", ClockTime, "19:00", false);
        assert_one("19：00", ClockTime, "19：00", false);
        assert_one("午後7時", ClockTime, "午後7時", false);
        assert_one("正午までに", ClockTime, "正午", true);
        assert_one("午前中に", ClockTime, "午前", true);
        assert_one("午後3時半", ClockTime, "午後3時半", false);
        assert_one("17時30分", ClockTime, "17時30分", false);
        assert_one("十時まで", ClockTime, "十時", true);
    }

    #[test]
    fn things_that_look_like_clock_times() {
        assert!(exprs("一時停止しました").is_empty());
        assert!(exprs("一時的に").is_empty());
        assert!(exprs("午後にかけて").is_empty());
        assert!(exprs("25時").is_empty());
        assert!(exprs("19:75").is_empty());
    }

    #[test]
    fn bounded_durations() {
        assert_one("1時間以内に", Duration, "1時間", true);
        assert_one("3営業日以内", Duration, "3営業日", true);
        assert_one("24時間以内", Duration, "24時間", true);
        assert_one("2週間以内", Duration, "2週間", true);
        assert_one("30分以内", Duration, "30分", true);
        assert_one("３０分以内", Duration, "３０分", true);
        assert_one("3日以内", Duration, "3日", true);
        assert_one("2ヶ月以内", Duration, "2ヶ月", true);
        assert_one("1時間半以内", Duration, "1時間半", true);
        assert!(deadline("1時間以内にご連絡します"));
    }

    #[test]
    fn unbounded_durations_are_not_deadlines() {
        assert_one("1時間ほどかかりました", Duration, "1時間", false);
        assert_one("3日間停止しました", Duration, "3日間", false);
        assert!(!deadline("1時間ほどかかりました"));
        assert!(!deadline("3日間停止しました"));
    }

    #[test]
    fn day_anchors() {
        assert_one("本日中に", RelativeAnchor, "本日", true);
        assert_one("本日ご連絡します", RelativeAnchor, "本日", false);
        assert_one("明日", RelativeAnchor, "明日", false);
        assert_one("明朝", RelativeAnchor, "明朝", false);
        assert_one("明後日", RelativeAnchor, "明後日", false);
        assert_one("翌営業日", RelativeAnchor, "翌営業日", false);
        assert!(exprs("明日香").is_empty());
    }

    #[test]
    fn anchors_with_clock_times() {
        assert_one("明日12時まで", RelativeAnchor, "明日12時", true);
        assert_one("本日17時", RelativeAnchor, "本日17時", false);
        assert_one("明日の午前中", RelativeAnchor, "明日の午前", true);
    }

    #[test]
    fn week_and_month_anchors() {
        assert_one("今週金曜までに", RelativeAnchor, "今週金曜", true);
        assert_one("今週中", RelativeAnchor, "今週", true);
        assert_one("来週月曜日", RelativeAnchor, "来週月曜日", false);
        assert_one("月末までに", RelativeAnchor, "月末", true);
        assert_one("今月中", RelativeAnchor, "今月", true);
        assert_one("今月末", RelativeAnchor, "今月末", false);
        assert_one("金曜日までに", RelativeAnchor, "金曜日", true);
        assert_one("当日中に", RelativeAnchor, "当日", true);
    }

    #[test]
    fn narrowing_words_without_bound_are_not_anchors() {
        assert!(exprs("今週発生した").is_empty());
        assert!(exprs("今月は").is_empty());
        assert!(exprs("金曜日に発生").is_empty());
    }

    #[test]
    fn week_start_counts_as_anchor() {
        assert_one("週明けにご連絡します", RelativeAnchor, "週明け", false);
        assert_one("週明けまでに", RelativeAnchor, "週明け", true);
        assert!(deadline("週明けにご連絡します"));
    }

    #[test]
    fn placeholder_dates_and_times() {
        assert_one("〇月〇日までに", Placeholder, "〇月〇日", true);
        assert_one("○月○日", Placeholder, "○月○日", false);
        assert_one("○時まで", Placeholder, "○時", true);
        assert_one("●時まで", Placeholder, "●時", true);
        assert_one("XX月XX日", Placeholder, "XX月XX日", false);
        assert_one("ＸＸ月ＸＸ日", Placeholder, "ＸＸ月ＸＸ日", false);
        assert_one("＊月＊日", Placeholder, "＊月＊日", false);
        assert_one("◯月◯日", Placeholder, "◯月◯日", false);
        assert_one("明日○時まで", Placeholder, "明日○時", true);
    }

    #[test]
    fn placeholders_in_deadline_slots() {
        assert_one("{{deadline}}までに", Placeholder, "{{deadline}}", true);
        assert_one("{期限}までに", Placeholder, "{期限}", true);
        assert_one("[期限]まで", Placeholder, "[期限]", true);
        assert_one("［期限］まで", Placeholder, "［期限］", true);
        assert_one("{{date}}にご連絡", Placeholder, "{{date}}", false);
        assert!(deadline("［期限］までにご連絡いたします"));
    }

    #[test]
    fn placeholders_outside_deadline_slots() {
        assert!(exprs("{{name}}様").is_empty());
        assert!(exprs("〇〇様").is_empty());
        assert!(exprs("【重要】").is_empty());
        assert!(!deadline("○○株式会社 {{name}}様"));
    }

    #[test]
    fn vague_words_are_not_deadlines() {
        for text in [
            "早急に対応します",
            "速やかに対応します",
            "近日中にご連絡します",
            "追ってご連絡します",
            "後日ご連絡します",
            "今後対応します",
            "順次対応します",
            "改めてご連絡します",
            "今しばらくお待ちください",
            "判明次第ご連絡します",
            "できるだけ早く対応します",
            "一日も早く復旧させます",
            "1日も早く復旧させます",
        ] {
            assert!(!deadline(text), "{text}");
            assert!(exprs(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn past_anchors_are_not_deadlines() {
        for text in ["先日ご連絡した件", "昨日発生した障害", "先週の障害"] {
            assert!(!deadline(text), "{text}");
        }
    }

    #[test]
    fn explicit_past_dates_still_count() {
        assert!(deadline("3月5日に発生しました"));
        assert!(deadline("昨日19時に発生しました"));
    }

    #[test]
    fn counts_ordinals_and_percentages_are_not_time() {
        for text in [
            "第3回の会議",
            "3件の問い合わせ",
            "10%の利用者",
            "3.5倍",
            "第3日",
        ] {
            assert!(exprs(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn offsets_follow_the_tokens() {
        let text = "件名\n本日中にご連絡します";
        let line = text.find('本').unwrap();
        let tokens = tokenize(&text[line..], line);
        let found = find_time_expressions(text, &tokens);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "本日");
        assert!(found[0].bounded);
    }

    #[test]
    fn several_expressions_in_one_sentence() {
        assert_eq!(
            exprs("3月5日(木) 17時までに、1時間以内にご連絡します"),
            [
                (Date, "3月5日(木)", false),
                (ClockTime, "17時", true),
                (Duration, "1時間", true),
            ]
        );
    }

    #[test]
    fn bound_words() {
        assert_one("3月5日をめどに", Date, "3月5日", true);
        assert_one("3月5日を目処に", Date, "3月5日", true);
        assert_one("3月5日目途", Date, "3月5日", true);
        assert_one("3月5日迄に", Date, "3月5日", true);
        assert_one("3月5日中に", Date, "3月5日", true);
        assert_one("3日内に", Duration, "3日", true);
        assert_one("一時間以内", Duration, "一時間", true);
        assert_one("1年以内", Duration, "1年", true);
        assert_one("今年度中", RelativeAnchor, "今年度", true);
    }

    #[test]
    fn years_and_blank_slots_alone() {
        assert!(exprs("2026年に").is_empty());
        assert_one("○○までに", Placeholder, "○○", true);
        assert_one("%DEADLINE%まで", Placeholder, "%DEADLINE%", true);
        assert_one("XXXX年XX月XX日", Placeholder, "XXXX年XX月XX日", false);
    }

    #[test]
    fn empty_input() {
        assert!(exprs("").is_empty());
        assert!(!deadline(""));
    }

    #[test]
    fn numbers_parse_in_all_scripts() {
        assert_eq!(parse_number("12"), Some(12));
        assert_eq!(parse_number("１２"), Some(12));
        assert_eq!(parse_number("十二"), Some(12));
        assert_eq!(parse_number("二十一"), Some(21));
        assert_eq!(parse_number("二〇二六"), Some(2026));
        assert_eq!(parse_number("XX"), None);
    }
}
