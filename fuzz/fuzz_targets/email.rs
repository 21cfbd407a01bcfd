//! Arbitrary bytes as an e-mail message: the view and its masked copy agree in length, and
//! the subject range lies on character boundaries.
#![no_main]

use kintsugi_lint::markup::parse_email;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(doc) = parse_email(data) {
        assert_eq!(doc.masked.len(), doc.text.len());
        if let Some(subject) = &doc.subject {
            assert!(doc.text.get(subject.clone()).is_some());
        }
    }
});
