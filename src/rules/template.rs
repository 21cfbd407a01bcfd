//! Capture references in messages and rewrites: `$0` (the whole match), `$1`, `$name`
//! (ASCII names), `${名前}` (any name), `$$` (a literal `$`). Braces without a `$`, such as
//! `{期限}`, are left alone: they are slots for the writer to fill.

/// One piece of a template.
enum Piece<'a> {
    Literal(&'a str),
    Reference(&'a str),
}

fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push(Piece::Literal(&rest[..dollar]));
        let after = &rest[dollar + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push(Piece::Literal("$"));
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{')
            && let Some(close) = body.find('}')
        {
            out.push(Piece::Reference(&body[..close]));
            rest = &body[close + 1..];
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if len == 0 {
                out.push(Piece::Literal("$"));
            } else {
                out.push(Piece::Reference(&after[..len]));
            }
            rest = &after[len..];
        }
    }
    out.push(Piece::Literal(rest));
    out
}

/// Names referenced by `template`, in order.
pub fn references(template: &str) -> Vec<&str> {
    pieces(template)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Reference(name) => Some(name),
            Piece::Literal(_) => None,
        })
        .collect()
}

/// Replaces each reference with `lookup(name)` (empty when it has no value).
pub fn expand<'a>(template: &str, lookup: &impl Fn(&str) -> Option<&'a str>) -> String {
    pieces(template)
        .into_iter()
        .map(|piece| match piece {
            Piece::Literal(text) => text,
            Piece::Reference(name) => lookup(name).unwrap_or(""),
        })
        .collect()
}

/// `template` as documentation shows it, outside any finding (`rule ID`, SARIF's rule list):
/// each reference becomes a bracketed description of what a finding puts there, so no raw
/// `${help}` reaches a reader.
pub fn for_reading(template: &str) -> String {
    let owned: Vec<String> = pieces(template)
        .into_iter()
        .map(|piece| match piece {
            Piece::Literal(text) => text.to_owned(),
            Piece::Reference(name) => format!("〈{}〉", reference_label(name)),
        })
        .collect();
    owned.concat()
}

/// What a finding puts in place of the capture `name`: the document checks' captures have
/// fixed meanings; a pattern's own groups are named as the rule file names them.
fn reference_label(name: &str) -> String {
    let label = match name {
        "0" => "該当箇所",
        "kind" => "文書の種類",
        "element" => "欠けている部品",
        "other" => "前に来るべき部品",
        "help" => "その部品の書き方",
        "template" => "その部品の文例",
        "count" => "段落数",
        "max" => "目安の段落数",
        _ if name.chars().all(|c| c.is_ascii_digit()) => return format!("{name}番目の一致"),
        _ => return format!("一致した「{name}」"),
    };
    label.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_numbered_named_and_braced_references() {
        let lookup = |name: &str| match name {
            "0" => Some("検討します"),
            "what" => Some("対応"),
            "期限" => Some("明日"),
            _ => None,
        };
        assert_eq!(expand("{期限}までに$0", &lookup), "{期限}までに検討します");
        assert_eq!(expand("$what、${期限}、$$5", &lookup), "対応、明日、$5");
        assert_eq!(expand("末尾の$", &lookup), "末尾の$");
        assert_eq!(references("$0と${期限}と$what。"), ["0", "期限", "what"]);
    }

    #[test]
    fn documentation_shows_what_each_reference_stands_for() {
        assert_eq!(
            for_reading("この${kind}には「${element}」がありません。"),
            "この〈文書の種類〉には「〈欠けている部品〉」がありません。"
        );
        assert_eq!(
            for_reading("${help} 例: $0、$2、${t}、$$"),
            "〈その部品の書き方〉 例: 〈該当箇所〉、〈2番目の一致〉、〈一致した「t」〉、$"
        );
    }
}
