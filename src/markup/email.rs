//! E-mail (`.eml`): the `Subject` header is the 件名, the body is the preferred text/plain
//! part (text/html when there is none), decoded from quoted-printable or base64 and from its
//! charset (ISO-2022-JP, Shift_JIS, …) by mail-parser.
//!
//! The linted text is a *view* laid out on the file's own lines: the subject on the line of
//! the `Subject` header, blank lines for the other headers, then the body from the line it
//! starts on. For 7bit/8bit bodies (the usual ISO-2022-JP mail) every finding therefore
//! points at the right line of the file; quoted-printable and base64 bodies are reported on
//! the lines of their decoded text, counted from the body's first line.

use mail_parser::{MessageParser, PartType};

use super::{Document, Format, directives, html, mask, subtract, urls};

/// Parses raw e-mail bytes; `None` when they are not a message with a text body.
pub fn parse_email(raw: &[u8]) -> Option<Document> {
    let message = MessageParser::default().parse(raw)?;
    let (part_id, is_html) = match (message.text_body.first(), message.html_body.first()) {
        (Some(&id), _) if matches!(message.parts.get(id as usize)?.body, PartType::Text(_)) => {
            (id, false)
        }
        (_, Some(&id)) => (id, true),
        (Some(&id), None) => (id, false),
        (None, None) => return None,
    };
    let part = message.parts.get(part_id as usize)?;
    let body = match &part.body {
        PartType::Text(text) | PartType::Html(text) => text.as_ref(),
        _ => return None,
    };
    let body_line = line_of(raw, part.offset_body as usize);
    let subject = message.subject().unwrap_or("");
    let subject_line = find_header_line(raw, b"subject:").filter(|&line| line < body_line);

    let mut text = String::new();
    let mut subject_range = None;
    for line in 0..body_line {
        if Some(line) == subject_line {
            text.push_str("Subject: ");
            subject_range = Some(text.len()..text.len() + subject.len());
            text.push_str(&subject.replace(['\r', '\n'], " "));
        }
        text.push('\n');
    }
    let body_start = text.len();
    text.push_str(body);

    let body_range = body_start..text.len();
    let mut keep: Vec<_> = subject_range.iter().cloned().collect();
    keep.extend(if is_html {
        shifted(html::visible_ranges(body), body_start)
    } else {
        vec![body_range]
    });
    let directives = directives::find(&text, Format::Email);
    let hidden: Vec<_> = directives.iter().map(|d| d.range.clone()).collect();
    let keep = subtract(&subtract(&keep, &hidden), &urls(&text));
    let breaks = if is_html {
        html::block_breaks(body)
            .into_iter()
            .map(|at| at + body_start)
            .collect()
    } else {
        Vec::new()
    };
    Some(Document {
        masked: mask(&text, &keep, &breaks, false),
        text,
        subject: subject_range,
        directives,
        is_verbatim: false,
    })
}

/// Why `raw` is not a message with a text body, when [`parse_email`] gives up: said to the
/// writer instead of a bare 「読めません」, so they know whether the file is cut off, is not
/// a mail at all, or carries no text.
pub fn unreadable_reason(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let Some(first) = text.lines().find(|line| !line.trim().is_empty()) else {
        return "空のファイルです".into();
    };
    if !looks_like_header(first) {
        return "メールのヘッダー（From: や Subject: など）がありません。本文だけなら拡張子を .txt にしてください".into();
    }
    if let Some(boundary) = unclosed_boundary(&text) {
        return format!(
            "MIME の区切り「--{}--」で閉じられていません（ファイルが途中で切れていませんか）",
            crate::report::escape::shortened(&boundary)
        );
    }
    "テキストの本文（text/plain か text/html）がありません".into()
}

/// `Name: value`, the shape of a header line (RFC 5322: printable ASCII but the colon).
fn looks_like_header(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':')
    })
}

/// The first `boundary=` declared in the message whose closing delimiter `--B--` never
/// comes.
fn unclosed_boundary(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    lower.match_indices("boundary=").find_map(|(at, found)| {
        let value = &text[at + found.len()..];
        let boundary = match value.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next().unwrap_or(""),
            None => value
                .split(|c: char| c.is_whitespace() || c == ';')
                .next()
                .unwrap_or(""),
        };
        let closing = format!("--{boundary}--");
        (!boundary.is_empty() && !text.contains(&closing)).then(|| boundary.to_owned())
    })
}

fn shifted(ranges: Vec<std::ops::Range<usize>>, by: usize) -> Vec<std::ops::Range<usize>> {
    ranges
        .into_iter()
        .map(|r| r.start + by..r.end + by)
        .collect()
}

/// 0-based line number of byte `offset` in `raw`.
fn line_of(raw: &[u8], offset: usize) -> usize {
    raw[..offset.min(raw.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// 0-based line of the first header line starting with `name` (case-insensitive).
fn find_header_line(raw: &[u8], name: &[u8]) -> Option<usize> {
    raw.split(|&b| b == b'\n')
        .take_while(|line| !line.iter().all(|b| b.is_ascii_whitespace()))
        .position(|line| line.len() >= name.len() && line[..name.len()].eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso2022(text: &str) -> Vec<u8> {
        encoding_rs::ISO_2022_JP.encode(text).0.into_owned()
    }

    #[test]
    fn iso_2022_jp_body_keeps_its_lines_and_subject_is_decoded() {
        let mut raw =
            b"From: a@example.com\r\nTo: b@example.com\r\nSubject: =?ISO-2022-JP?Q?".to_vec();
        for byte in iso2022("遅延のお詫び") {
            raw.extend(format!("={byte:02X}").as_bytes());
        }
        raw.extend(b"?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");
        raw.extend(iso2022(
            "お世話になっております。\r\n対応を検討します。\r\n",
        ));
        let doc = parse_email(&raw).expect("parses");
        assert_eq!(&doc.text[doc.subject.clone().unwrap()], "遅延のお詫び");
        let line = doc.text[..doc.text.find("対応を検討").unwrap()]
            .matches('\n')
            .count()
            + 1;
        assert_eq!(line, 9, "the body line in the file");
        assert!(!doc.is_verbatim);
        assert_eq!(doc.masked.len(), doc.text.len());
    }

    #[test]
    fn quoted_printable_and_multipart_prefer_text_plain() {
        let raw = "Subject: test\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"XX\"\n\n--XX\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n=E6=A4=9C=E8=A8=8E=E3=81=97=E3=81=BE=E3=81=99=E3=80=82\n--XX\nContent-Type: text/html; charset=UTF-8\n\n<p>HTML版</p>\n--XX--\n";
        let doc = parse_email(raw.as_bytes()).expect("parses");
        assert!(doc.masked.contains("検討します。"), "{}", doc.masked);
        assert!(!doc.masked.contains("HTML版"));
    }

    #[test]
    fn an_unreadable_mail_says_why() {
        assert_eq!(unreadable_reason(b""), "空のファイルです");
        assert!(unreadable_reason("多忙のため遅れました。\n".as_bytes()).contains("ヘッダー"));
        let unclosed = "Subject: a\nContent-Type: multipart/mixed; boundary=\"XYZ\"\n\n--XYZ\nContent-Type: text/plain\n\n本文\n";
        assert!(unreadable_reason(unclosed.as_bytes()).contains("「--XYZ--」で閉じられていません"));
        let image = "Subject: a\nContent-Type: image/png\n\nabc\n";
        assert!(unreadable_reason(image.as_bytes()).contains("テキストの本文"));
    }
}
