//! Bytes → text. Japanese mail and legacy templates come in Shift_JIS/CP932, EUC-JP,
//! ISO-2022-JP and UTF-16 as well as UTF-8; each is detected, decoded, and remembered so that
//! `--fix` can write a file back in the encoding (and with the BOM) it had.

use chardetng::EncodingDetector;
use encoding_rs::{EUC_JP, Encoding, ISO_2022_JP, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};

/// How a file was stored, so that fixes can write it back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredAs {
    pub encoding: &'static Encoding,
    /// The file started with a byte-order mark (dropped from the decoded text).
    pub bom: bool,
}

/// Decoded text and how it was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub stored_as: StoredAs,
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The file looks binary; it is skipped, not linted.
    #[error("バイナリファイルです")]
    Binary,
    /// The bytes are not valid in the detected (or given) encoding from this offset on.
    #[error("{encoding} として読めないバイト列があります（{offset} バイト目）")]
    Malformed {
        encoding: &'static str,
        offset: usize,
    },
    /// `--encoding` named no encoding encoding_rs knows.
    #[error("文字コード「{0}」は扱えません（例: utf-8, shift_jis, euc-jp, iso-2022-jp, utf-16le）")]
    UnknownEncoding(String),
}

/// Decodes bytes, detecting the encoding unless `forced` names one (an encoding label such
/// as `shift_jis`, `cp932`, `euc-jp`, `iso-2022-jp`, `utf-16le`).
pub fn decode_with(bytes: &[u8], forced: Option<&str>) -> Result<Decoded, DecodeError> {
    let (encoding, bom_len) = match forced {
        Some(label) => {
            let encoding = encoding_for_label(label)
                .ok_or_else(|| DecodeError::UnknownEncoding(label.to_owned()))?;
            let bom_len = Encoding::for_bom(bytes)
                .filter(|(bom_encoding, _)| *bom_encoding == encoding)
                .map_or(0, |(_, len)| len);
            (encoding, bom_len)
        }
        None => detect(bytes)?,
    };
    let text =
        decode_strict(encoding, &bytes[bom_len..]).map_err(|offset| DecodeError::Malformed {
            encoding: encoding.name(),
            offset: offset + bom_len,
        })?;
    Ok(Decoded {
        text,
        stored_as: StoredAs {
            encoding,
            bom: bom_len > 0,
        },
    })
}

/// WHATWG labels plus the names Japanese users type (cp932, euc_jp, sjis).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let normalized = label.trim().to_ascii_lowercase().replace('_', "-");
    let alias = match normalized.as_str() {
        "cp932" | "ms932" | "windows-932" | "shiftjis" => "shift_jis",
        "eucjp" => "euc-jp",
        "iso2022jp" | "jis" => "iso-2022-jp",
        "utf8" => "utf-8",
        "utf16le" | "utf-16" => "utf-16le",
        "utf16be" => "utf-16be",
        other => other,
    };
    Encoding::for_label(alias.as_bytes())
}

/// Decodes with detection.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_with(bytes, None)
}

/// The encoding of `bytes` and the length of its byte-order mark.
fn detect(bytes: &[u8]) -> Result<(&'static Encoding, usize), DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok((encoding, bom_len));
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return Ok((encoding, 0));
    }
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    // ISO-2022-JP is 7-bit, so it is also valid UTF-8: recognise its escape sequences first.
    if has_iso_2022_jp_escapes(bytes) {
        return Ok((encoding_rs::ISO_2022_JP, 0));
    }
    // encoding_rs's validator is several times faster than `std::str::from_utf8` on
    // Japanese text, and this runs over every byte of every input.
    let valid_up_to = Encoding::utf8_valid_up_to(bytes);
    if valid_up_to == bytes.len() {
        return Ok((UTF_8, 0));
    }
    // Text that is UTF-8 with multibyte characters up to a bad byte is broken UTF-8, not a
    // legacy encoding: report the byte rather than decode it into garbage.
    if has_multibyte(&bytes[..valid_up_to]) {
        return Err(DecodeError::Malformed {
            encoding: UTF_8.name(),
            offset: valid_up_to,
        });
    }
    let mut detector = EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    Ok((japanese_despite_bad_bytes(bytes, guess).unwrap_or(guess), 0))
}

/// chardetng rules out an encoding at its first invalid byte, so a Shift_JIS or EUC-JP
/// letter with one bad byte (its last byte cut off, a stray byte in the middle) came out as
/// windows-1252 mojibake: linted, no findings, exit 0. When the guess is not Japanese but
/// one of the Japanese encodings reads the bytes as Japanese text with only a few bad
/// bytes, that encoding is taken, so that decoding reports the bad byte and its offset.
fn japanese_despite_bad_bytes(bytes: &[u8], guess: &'static Encoding) -> Option<&'static Encoding> {
    if [SHIFT_JIS, EUC_JP, ISO_2022_JP].contains(&guess) {
        return None;
    }
    [SHIFT_JIS, EUC_JP]
        .into_iter()
        .map(|encoding| (encoding, japanese_reading(encoding, bytes)))
        .filter(|(_, reading)| reading.is_japanese())
        .min_by_key(|(_, reading)| reading.bad)
        .map(|(encoding, _)| encoding)
}

/// What a lossy decoding of some bytes looks like.
struct Reading {
    /// Characters that did not decode (U+FFFD).
    bad: usize,
    /// Kana, and kana, kanji and full-width forms together.
    kana: usize,
    japanese: usize,
    /// Other characters beyond ASCII.
    other: usize,
}

impl Reading {
    /// Japanese text with a few bad bytes: kana (mojibake has none), nearly every non-ASCII
    /// character Japanese, and at most one bad character per ten good ones.
    fn is_japanese(&self) -> bool {
        self.kana > 0 && self.japanese >= 10 * self.bad && self.japanese >= 10 * self.other
    }
}

fn japanese_reading(encoding: &'static Encoding, bytes: &[u8]) -> Reading {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let mut reading = Reading {
        bad: 0,
        kana: 0,
        japanese: 0,
        other: 0,
    };
    for c in text.chars().filter(|c| !c.is_ascii()) {
        match c {
            '\u{FFFD}' => reading.bad += 1,
            '\u{3040}'..='\u{30FF}' => {
                reading.kana += 1;
                reading.japanese += 1;
            }
            '\u{3000}'..='\u{303F}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}' => {
                reading.japanese += 1
            }
            _ => reading.other += 1,
        }
    }
    reading
}

fn has_iso_2022_jp_escapes(bytes: &[u8]) -> bool {
    // ESC is rare in text: find each one with memchr rather than test every window.
    memchr::memchr_iter(0x1B, bytes).any(|at| {
        matches!(
            bytes.get(at + 1..at + 3),
            Some([b'$', b'B' | b'@'] | [b'(', b'J'])
        )
    })
}

fn has_multibyte(valid_utf8: &[u8]) -> bool {
    valid_utf8.iter().any(|&b| b >= 0x80)
}

/// UTF-16 without a BOM: only considered when there are NUL bytes (line breaks and ASCII
/// in UTF-16 have one), and accepted when nearly every character decodes to text a Japanese
/// document plausibly holds. Without the NUL requirement Shift_JIS kanji would pass too.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) || !bytes.contains(&0) {
        return None;
    }
    [UTF_16LE, UTF_16BE].into_iter().find(|&encoding| {
        let units = bytes.chunks_exact(2).map(|pair| {
            let pair = [pair[0], pair[1]];
            if encoding == UTF_16LE {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        let chars: Vec<_> = char::decode_utf16(units).collect();
        let plausible = chars
            .iter()
            .filter(|c| c.as_ref().is_ok_and(|&c| is_plausible_text(c)))
            .count();
        plausible * 10 >= chars.len() * 9
    })
}

fn is_plausible_text(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{3000}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// Decodes without replacement characters; on malformed input returns the byte offset.
fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(text),
        encoding_rs::DecoderResult::Malformed(bad, pending) => {
            Err(read - usize::from(bad) - usize::from(pending))
        }
        encoding_rs::DecoderResult::OutputFull => Err(read),
    }
}

/// Encodes `text` back the way `original` was stored (encoding and BOM), for the tests'
/// round trips; `--fix` re-encodes only what it rewrote (`fix::splice`). encoding_rs only
/// encodes to ASCII-compatible encodings, so UTF-16 is written by hand.
#[cfg(test)]
fn encode_like(text: &str, original: &StoredAs) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(text.len() + 3);
    let encoding = original.encoding;
    if encoding == UTF_16LE || encoding == UTF_16BE {
        let little = encoding == UTF_16LE;
        if original.bom {
            out.extend(if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for unit in text.encode_utf16() {
            out.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        return Ok(out);
    }
    if original.bom && encoding == UTF_8 {
        out.extend([0xEF, 0xBB, 0xBF]);
    }
    let (bytes, _, unmappable) = encoding.encode(text);
    if unmappable {
        // The first character that the encoding cannot represent, as a byte offset in text.
        let offset = text
            .char_indices()
            .find(|(_, c)| encoding.encode(&c.to_string()).2)
            .map_or(0, |(i, _)| i);
        return Err(offset);
    }
    out.extend_from_slice(&bytes);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "お詫び\r\n対応を検討します。本日19時までにご連絡いたします。\r\n";

    fn roundtrip(encoding: &'static Encoding, bom: bool) {
        let original = Decoded {
            text: SAMPLE.to_owned(),
            stored_as: StoredAs { encoding, bom },
        };
        let bytes = encode_like(SAMPLE, &original.stored_as).unwrap();
        let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", encoding.name()));
        assert_eq!(decoded, original, "{}", encoding.name());
    }

    #[test]
    fn detects_and_roundtrips_japanese_encodings() {
        roundtrip(UTF_8, false);
        roundtrip(UTF_8, true);
        roundtrip(UTF_16LE, true);
        roundtrip(UTF_16BE, true);
        roundtrip(UTF_16LE, false);
        roundtrip(encoding_rs::SHIFT_JIS, false);
        roundtrip(encoding_rs::EUC_JP, false);
        roundtrip(encoding_rs::ISO_2022_JP, false);
    }

    #[test]
    fn binary_and_broken_utf8_are_reported() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0"),
            Err(DecodeError::Binary)
        );
        let mut bytes = "本日".as_bytes().to_vec();
        bytes.push(0xFF);
        assert_eq!(
            decode(&bytes),
            Err(DecodeError::Malformed {
                encoding: "UTF-8",
                offset: 6
            })
        );
    }

    #[test]
    fn forced_encodings_and_their_errors() {
        let sjis = encoding_rs::SHIFT_JIS.encode("検討").0.into_owned();
        assert_eq!(decode_with(&sjis, Some("cp932")).unwrap().text, "検討");
        assert!(matches!(
            decode_with(&sjis, Some("klingon")),
            Err(DecodeError::UnknownEncoding(_))
        ));
        let err = decode_with(&[b'a', 0x82], Some("shift_jis")).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Malformed {
                encoding: "Shift_JIS",
                offset: 1
            }
        );
    }
}
