//! Control characters in a draft or a file name must not reach a terminal raw: `\x1b]0;…\x07`
//! retitles the window, other sequences recolour or move the cursor, and bidi overrides
//! reorder what is shown. Reports meant for terminals and CI logs show them escaped.

use std::borrow::Cow;

/// Characters a terminal or log viewer may act on: C0 controls other than tab and line
/// breaks, DEL, C1 controls, and the bidi embedding/override/isolate controls.
fn is_hostile(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The most characters of a user's own text (a name, a pattern) an error message repeats:
/// a refused 100k-alternative regex or half a million unknown names must not bury the
/// terminal under megabytes.
pub const MAX_ECHO_CHARS: usize = 200;

/// `text` cut to `MAX_ECHO_CHARS` characters, saying how many were left out
/// (`…（以下 N 文字省略）`), and with hostile characters escaped.
pub fn shortened(text: &str) -> Cow<'_, str> {
    shortened_to(text, MAX_ECHO_CHARS)
}

/// `text` cut to `max_chars` characters, as [`shortened`].
pub fn shortened_to(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => visible(text),
        Some((end, _)) => {
            let left_out = text[end..].chars().count();
            Cow::Owned(format!(
                "{}…（以下 {left_out} 文字省略）",
                visible(&text[..end])
            ))
        }
    }
}

/// `text` with each hostile character written as `\u{1b}`, for paths and messages.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hostile(c) {
            shown.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// `text` with each hostile character replaced by printable ones of the same UTF-8 length,
/// so byte spans into the text stay valid: `?` for a one-byte control, `¿` for a two-byte
/// C1 control, `�` for a three-byte bidi control. For source excerpts shown under a span.
pub fn same_length(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match (is_hostile(c), c.len_utf8()) {
                (false, _) => c,
                (true, 1) => '?',
                (true, 2) => '¿',
                (true, _) => '\u{FFFD}',
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_characters_are_shown_not_obeyed() {
        let text = "前\x1b]0;pwned\x07後\u{202E}逆\u{85}";
        assert_eq!(visible(text), "前\\u{1b}]0;pwned\\u{7}後\\u{202e}逆\\u{85}");
        let kept = same_length(text);
        assert_eq!(kept.len(), text.len());
        assert_eq!(kept, "前?]0;pwned?後\u{FFFD}逆¿");
        assert!(matches!(visible("普通の文。\tタブ\n"), Cow::Borrowed(_)));
    }
}
