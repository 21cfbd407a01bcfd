//! Decoded text parsed as each document format: the masked copy keeps the text's length and
//! line breaks, and the subject range lies on character boundaries.
#![no_main]

use kintsugi_lint::markup::{self, Format};
use kintsugi_lint::source::decode::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = match decode(data) {
        Ok(decoded) => decoded.text,
        Err(_) => String::from_utf8_lossy(data).into_owned(),
    };
    for format in [Format::Plain, Format::Markdown, Format::Html, Format::Email] {
        let doc = markup::parse(format, text.clone());
        assert_eq!(doc.masked.len(), doc.text.len());
        // Line breaks stay (Markdown turns those inside a paragraph into spaces: a soft
        // wrap is not a sentence boundary), and nothing else turns into one except at an
        // HTML block tag's `>`.
        for (a, b) in doc.text.bytes().zip(doc.masked.bytes()) {
            if a == b'\n' {
                assert!(b == b'\n' || (format == Format::Markdown && b == b' '));
            } else if b == b'\n' {
                assert!(
                    format == Format::Html && a == b'>',
                    "{format:?}: {a} became a line break"
                );
            }
        }
        if let Some(subject) = &doc.subject {
            assert!(doc.text.get(subject.clone()).is_some());
        }
        for directive in &doc.directives {
            assert!(doc.text.get(directive.range.clone()).is_some());
        }
    }
});
