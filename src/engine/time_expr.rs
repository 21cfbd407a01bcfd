//! PLACEHOLDER until the token-based detector lands (same API).
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
    pub start: usize,
    pub end: usize,
    pub bounded: bool,
}
pub fn find_time_expressions(_text: &str, _tokens: &[Token]) -> Vec<TimeExpr> {
    Vec::new()
}
pub fn has_deadline(text: &str, tokens: &[Token]) -> bool {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return false;
    };
    let s = &text[first.start..last.end];
    regex::Regex::new(r"[0-9０-９〇○]+(月|日|時|:)|本日|明日|以内|翌営業日|\{[^}]+\}まで")
        .unwrap()
        .is_match(s)
}
