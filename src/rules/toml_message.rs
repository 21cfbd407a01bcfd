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
    let description = message.split(", expected").next().unwrap_or(message);
    match SYNTAX
        .iter()
        .find(|(english, _)| description.trim() == *english)
    {
        Some((_, japanese)) => plain((*japanese).to_owned()),
        None => plain(format!(
            "TOML の書き方に誤りがあります（{}）",
            message.replace('\n', " ")
        )),
    }
}

/// The TOML parser's descriptions of the syntax errors users meet most, in Japanese.
const SYNTAX: &[(&str, &str)] = &[
    ("invalid basic string", "文字列が「\"」で閉じられていません"),
    (
        "invalid literal string",
        "文字列が「'」で閉じられていません",
    ),
    (
        "invalid multi-line basic string",
        "複数行の文字列が「\"\"\"」で閉じられていません",
    ),
    (
        "invalid multi-line literal string",
        "複数行の文字列が「'''」で閉じられていません",
    ),
    (
        "key with no value",
        "キーに値がありません（`キー = 値` の形で書いてください）",
    ),
    ("unclosed array", "配列が「]」で閉じられていません"),
    ("unclosed table", "テーブル名が「]」で閉じられていません"),
    (
        "unclosed array table",
        "テーブル名が「]]」で閉じられていません",
    ),
    (
        "unclosed inline table",
        "インラインテーブルが「}」で閉じられていません",
    ),
    (
        "string values must be quoted",
        "文字列の値は引用符で囲んでください（例: \"info\"）",
    ),
    (
        "missing comma between array elements",
        "配列の要素の間にカンマがありません",
    ),
    ("extra comma in array", "配列に余分なカンマがあります"),
    (
        "extra comma in inline table",
        "インラインテーブルに余分なカンマがあります",
    ),
    ("unquoted keys cannot be empty", "キーがありません"),
    ("invalid key", "キーに使えない文字があります"),
    ("missing value", "値がありません"),
];

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
        assert_eq!(
            translate("invalid basic string, expected `\"`").message,
            "文字列が「\"」で閉じられていません"
        );
        assert!(
            translate("something new")
                .message
                .starts_with("TOML の書き方に誤りがあります（something new）")
        );
    }
}
