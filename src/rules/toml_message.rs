//! The TOML parser's and serde's English messages, said in Japanese. A typo in a config or
//! rule file is the most common mistake a user makes in them, so the messages for unknown
//! fields and values name the closest known one (もしかして). Messages without a
//! translation keep the parser's words inside a Japanese sentence rather than being lost.

use crate::suggest;

/// A translated message and, when a known name is close to the one written, a hint.
pub struct Translated {
    pub message: String,
    pub help: Option<String>,
}

/// Japanese for `message`, a `toml::de::Error::message()`.
pub fn translate(message: &str) -> Translated {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return unknown("項目", rest);
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return unknown("値", rest);
    }
    let plain = |text: String| Translated {
        message: text,
        help: None,
    };
    if let Some(name) = message.strip_prefix("missing field ") {
        return plain(format!("必須の項目「{}」がありません", unquote(name)));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return plain(invalid_type(rest));
    }
    if message.starts_with("duplicate key") {
        return plain("同じキーが 2 回書かれています".into());
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        return plain(format!("項目「{}」が 2 回書かれています", unquote(rest)));
    }
    plain(format!(
        "TOML として読めません（{}）",
        message.replace('\n', " ")
    ))
}

/// `` `X`, expected one of `a`, `b` `` (or `` expected `a` ``, or `there are no fields`).
fn unknown(what: &str, rest: &str) -> Translated {
    let (name, known) = rest.split_once(", ").unwrap_or((rest, ""));
    let name = unquote(name);
    let known: Vec<&str> = known
        .trim_start_matches("expected one of ")
        .trim_start_matches("expected ")
        .split(", ")
        .filter(|k| k.starts_with('`'))
        .map(unquote)
        .collect();
    let mut message = format!("{what}「{name}」はありません");
    if !known.is_empty() {
        message.push_str(&format!("（使える{what}: {}）", known.join(", ")));
    }
    let help = suggest::did_you_mean(name, known.iter().copied());
    Translated { message, help }
}

/// `string "x", expected a sequence`: which type was written and which was wanted.
fn invalid_type(rest: &str) -> String {
    let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
    format!(
        "{}を書くところに{}が書かれています",
        type_name(expected),
        type_name(found)
    )
}

/// A serde type description in Japanese; unknown ones are kept as written.
fn type_name(english: &str) -> String {
    let english = english.trim();
    let kinds = [
        ("string", "文字列"),
        ("a string", "文字列"),
        ("a sequence", "配列"),
        ("sequence", "配列"),
        ("a boolean", "真偽値（true / false）"),
        ("boolean", "真偽値（true / false）"),
        ("integer", "整数"),
        ("usize", "整数"),
        ("map", "テーブル"),
        ("a map", "テーブル"),
        ("floating point", "小数"),
    ];
    for (name, japanese) in kinds {
        if english == name || english.starts_with(&format!("{name} ")) {
            let value = english[name.len()..].trim();
            return if value.is_empty() {
                japanese.to_owned()
            } else {
                format!("{japanese} {value} ")
            };
        }
    }
    if english.starts_with("struct ") || english.starts_with("a table") {
        return "テーブル".into();
    }
    english.to_owned()
}

fn unquote(text: &str) -> &str {
    text.trim().trim_matches('`')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_values_name_the_closest() {
        let t = translate("unknown field `unles`, expected one of `id`, `unless`, `when`");
        assert_eq!(
            t.message,
            "項目「unles」はありません（使える項目: id, unless, when）"
        );
        assert_eq!(t.help.as_deref(), Some("もしかして: 「unless」"));
        let t = translate("unknown variant `warnin`, expected one of `info`, `warning`");
        assert_eq!(t.help.as_deref(), Some("もしかして: 「warning」"));
        let t = translate("unknown field `x`, there are no fields");
        assert_eq!(t.message, "項目「x」はありません");
    }

    #[test]
    fn other_messages_are_japanese() {
        assert_eq!(
            translate("missing field `id`").message,
            "必須の項目「id」がありません"
        );
        assert_eq!(
            translate("invalid type: string \"a\", expected a sequence").message,
            "配列を書くところに文字列 \"a\" が書かれています"
        );
        assert!(
            translate("invalid basic string")
                .message
                .starts_with("TOML として読めません")
        );
    }
}
