//! Arbitrary bytes through encoding detection and decoding, then written back: decoding
//! never panics, and text that decoded can always be encoded the way it was stored unless a
//! character is unmappable (which `encode_like` reports, not panics).
#![no_main]

use kintsugi_lint::source::decode::{decode, decode_with, encode_like};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = decode(data) {
        let _ = encode_like(&decoded.text, &decoded);
    }
    for label in [
        "shift_jis",
        "euc-jp",
        "iso-2022-jp",
        "utf-16le",
        "utf-16be",
        "utf-8",
    ] {
        let _ = decode_with(data, Some(label));
    }
});
