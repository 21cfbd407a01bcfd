//! Writing fixes back as bytes: the file's own bytes with only the rewritten spans replaced
//! by their new text in the file's encoding. Re-encoding the whole text would change bytes
//! nobody asked to change: CP932's NEC and IBM extension characters have two encodings each
//! and come back as the other one, and characters EUC-JP can decode (JIS X 0212) cannot be
//! encoded again.

use std::ops::Range;

use encoding_rs::{Encoding, ISO_2022_JP, UTF_8, UTF_16BE, UTF_16LE};

use super::Edit;
use crate::source::decode::{StoredAs, decode_with};

/// Why the fixed text could not be written in the file's encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpliceError {
    #[error(
        "修正後の文字「{character}」は元の文字コード（{encoding}）で表せないため、書き込みませんでした"
    )]
    Unencodable {
        character: char,
        encoding: &'static str,
    },
    /// The spliced bytes do not read back as the fixed text (a bug; nothing is written).
    #[error("修正後のバイト列が修正後の文章と一致しないため、書き込みませんでした")]
    Mismatch,
}

/// `original` (the file's bytes, whose decoded text is `text`) with each edit's span replaced
/// by its replacement encoded as the file is stored. Every byte outside the edited spans is
/// the original's, and the result is checked to decode to `text` with the edits applied.
pub fn splice(
    original: &[u8],
    stored: &StoredAs,
    text: &str,
    edits: &[Edit],
) -> Result<Vec<u8>, SpliceError> {
    let bom = bom_len(stored);
    let body = &original[bom..];
    let boundaries: Vec<usize> = edits
        .iter()
        .flat_map(|e| [e.old.start, e.old.end])
        .collect();
    let offsets = byte_offsets(body, stored.encoding, text, &boundaries);
    let mut out = Vec::with_capacity(original.len());
    out.extend_from_slice(&original[..bom]);
    let mut cursor = 0;
    for (edit, span) in edits.iter().zip(offsets.chunks(2)) {
        let bytes = span[0]..span[1];
        out.extend_from_slice(&body[cursor..bytes.start]);
        out.extend(encode_fragment(
            &edit.replacement,
            stored.encoding,
            body,
            &bytes,
        )?);
        cursor = bytes.end;
    }
    out.extend_from_slice(&body[cursor..]);
    let expected = super::apply_edits(text, edits);
    let decoded =
        decode_with(&out, Some(stored.encoding.name())).map_err(|_| SpliceError::Mismatch)?;
    if decoded.text != expected {
        return Err(SpliceError::Mismatch);
    }
    Ok(out)
}

fn bom_len(stored: &StoredAs) -> usize {
    match (stored.bom, stored.encoding) {
        (false, _) => 0,
        (true, e) if e == UTF_8 => 3,
        (true, _) => 2,
    }
}

/// For each offset of `text` (on character boundaries, in any order), the offset in `body`
/// (the bytes `text` was decoded from, after any BOM) where that character starts.
fn byte_offsets(
    body: &[u8],
    encoding: &'static Encoding,
    text: &str,
    offsets: &[usize],
) -> Vec<usize> {
    if encoding == UTF_8 {
        return offsets.to_vec();
    }
    if encoding == UTF_16LE || encoding == UTF_16BE {
        return offsets
            .iter()
            .map(|&offset| 2 * text[..offset].encode_utf16().count())
            .collect();
    }
    let mut sorted: Vec<usize> = offsets.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let found = decoded_positions(body, encoding, &sorted);
    offsets
        .iter()
        .map(|offset| found[sorted.binary_search(offset).expect("an offset asked for")])
        .collect()
}

/// Decodes `body` and notes, for each of the `targets` (sorted offsets of the decoded
/// text), how many bytes had been read when the decoded text first reached that length.
/// Runs of bytes that cannot reach the next target are decoded at once; near a target,
/// byte by byte (a byte decodes to at most 3 bytes of UTF-8 in these encodings).
fn decoded_positions(body: &[u8], encoding: &'static Encoding, targets: &[usize]) -> Vec<usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::new();
    let mut found = Vec::with_capacity(targets.len());
    let mut read = 0;
    for &target in targets {
        while out.len() < target && read < body.len() {
            let room = (target - out.len()) / 3;
            let step = room.clamp(1, body.len() - read);
            let chunk = &body[read..read + step];
            out.reserve(
                decoder
                    .max_utf8_buffer_length(chunk.len())
                    .unwrap_or(chunk.len() * 3),
            );
            let last = read + step == body.len();
            let (_, consumed, _) = decoder.decode_to_string(chunk, &mut out, last);
            read += consumed;
        }
        found.push(read);
    }
    found
}

/// `replacement` encoded to sit in `body` in place of `span`. ISO-2022-JP is stateful: the
/// fragment starts from ASCII, so it switches to ASCII first if the text before it was in
/// another character set, and switches back to the set in effect at the span's end.
fn encode_fragment(
    replacement: &str,
    encoding: &'static Encoding,
    body: &[u8],
    span: &Range<usize>,
) -> Result<Vec<u8>, SpliceError> {
    if encoding == UTF_16LE || encoding == UTF_16BE {
        let little = encoding == UTF_16LE;
        return Ok(replacement
            .encode_utf16()
            .flat_map(|unit| {
                if little {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                }
            })
            .collect());
    }
    let (bytes, _, unmappable) = encoding.encode(replacement);
    if unmappable {
        let character = replacement
            .chars()
            .find(|c| encoding.encode(&c.to_string()).2)
            .unwrap_or('?');
        return Err(SpliceError::Unencodable {
            character,
            encoding: encoding.name(),
        });
    }
    if encoding != ISO_2022_JP {
        return Ok(bytes.into_owned());
    }
    Ok(iso_2022_jp_seams(&bytes, body, span))
}

/// An ISO-2022-JP fragment (encoded from ASCII state, back to ASCII at its end) fitted into
/// `body` at `span`: it opens in the character set in effect before the span and leaves the
/// one in effect after it, without two designations in a row (which decoders reject).
fn iso_2022_jp_seams(fragment: &[u8], body: &[u8], span: &Range<usize>) -> Vec<u8> {
    let before = last_escape(&body[..span.start]).unwrap_or(ASCII_ESCAPE);
    let after = last_escape(&body[..span.end]).unwrap_or(ASCII_ESCAPE);
    let (lead, rest) = match fragment.first() {
        Some(0x1b) => (Some(&fragment[..3]), &fragment[3..]),
        _ => (None, fragment),
    };
    let rest = rest.strip_suffix(ASCII_ESCAPE).unwrap_or(rest);
    let mut out = Vec::with_capacity(fragment.len() + 6);
    match lead {
        Some(lead) if lead != before => out.extend_from_slice(lead),
        Some(_) => {}
        None if !rest.is_empty() && before != ASCII_ESCAPE => out.extend_from_slice(ASCII_ESCAPE),
        None => {}
    }
    out.extend_from_slice(rest);
    let state = last_escape(&out).unwrap_or(before);
    // The text after the span starts with its own designation, or needs the one in effect.
    if !body[span.end..].starts_with(&[0x1b]) && state != after {
        out.extend_from_slice(after);
    }
    out
}

const ASCII_ESCAPE: &[u8] = b"\x1b(B";

/// The last ISO-2022-JP designation (ESC ( B, ESC ( J, ESC ( I, ESC $ @, ESC $ B) in `bytes`.
fn last_escape(bytes: &[u8]) -> Option<&[u8]> {
    (0..bytes.len().saturating_sub(2))
        .rev()
        .find(|&i| bytes[i] == 0x1b && matches!(bytes[i + 1], b'(' | b'$'))
        .map(|i| &bytes[i..i + 3])
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{EUC_JP, SHIFT_JIS};

    fn edit_of(text: &str, old: &str, new: &str) -> Edit {
        let start = text.find(old).expect("old text is in the text");
        Edit {
            old: start..start + old.len(),
            replacement: new.to_owned(),
        }
    }

    /// Decodes `bytes` as `encoding`, replaces `old` with `new`, and splices.
    fn spliced(bytes: &[u8], encoding: &'static Encoding, old: &str, new: &str) -> Vec<u8> {
        let decoded = decode_with(bytes, Some(encoding.name())).expect("test bytes decode");
        let edit = edit_of(&decoded.text, old, new);
        splice(bytes, &decoded.stored_as, &decoded.text, &[edit]).expect("splices")
    }

    #[test]
    fn cp932_extension_characters_outside_the_fix_keep_their_bytes() {
        // ED40 (NEC-selected IBM extension), 8790 (NEC special), EEF9 (NEC-selected ￢):
        // re-encoding the decoded text would turn them into FA5C 81E0 81CA.
        let mut bytes = vec![0xED, 0x40, 0x87, 0x90, 0xEE, 0xF9, b'\n'];
        let (fixable, _, _) = SHIFT_JIS.encode("拝見させていただきました。\n");
        bytes.extend_from_slice(&fixable);
        let out = spliced(
            &bytes,
            SHIFT_JIS,
            "拝見させていただきました",
            "拝見しました",
        );
        assert_eq!(&out[..7], &bytes[..7]);
        let (expected_tail, _, _) = SHIFT_JIS.encode("拝見しました。\n");
        assert_eq!(&out[7..], &expected_tail[..]);
    }

    #[test]
    fn euc_jp_jis_x_0212_characters_outside_the_fix_survive() {
        // 8FB0A1 is a JIS X 0212 kanji: EUC-JP decoders read it, encoders cannot write it.
        let mut bytes = vec![0x8F, 0xB0, 0xA1, b'\n'];
        let (fixable, _, _) = EUC_JP.encode("ご確認させていただきます。");
        bytes.extend_from_slice(&fixable);
        let out = spliced(&bytes, EUC_JP, "ご確認させていただきます", "確認いたします");
        assert_eq!(&out[..4], &bytes[..4]);
        let decoded = decode_with(&out, Some("euc-jp")).unwrap();
        assert!(
            decoded.text.ends_with("確認いたします。"),
            "{}",
            decoded.text
        );
    }

    #[test]
    fn iso_2022_jp_fragments_switch_character_sets_around_themselves() {
        let text = "A拝見させていただきます。B";
        let (bytes, _, _) = ISO_2022_JP.encode(text);
        let out = spliced(&bytes, ISO_2022_JP, "させていただきます", "します");
        let decoded = decode_with(&out, Some("iso-2022-jp")).unwrap();
        assert_eq!(decoded.text, "A拝見します。B");
        // An ASCII replacement inside a kanji run.
        let out = spliced(&bytes, ISO_2022_JP, "させていただきます", "OK");
        let decoded = decode_with(&out, Some("iso-2022-jp")).unwrap();
        assert_eq!(decoded.text, "A拝見OK。B");
        // A fix at the end of a kanji run, right before the switch back to ASCII; and one
        // that removes its span.
        let (bytes, _, _) = ISO_2022_JP.encode("A拝見させていただきますB");
        for (new, expected) in [("します", "A拝見しますB"), ("", "A拝見B")] {
            let out = spliced(&bytes, ISO_2022_JP, "させていただきます", new);
            let decoded = decode_with(&out, Some("iso-2022-jp")).unwrap();
            assert_eq!(decoded.text, expected);
        }
    }

    #[test]
    fn utf16_and_boms_are_kept() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "ご確認させていただきます。".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let out = spliced(&bytes, UTF_16LE, "させていただきます", "します");
        assert_eq!(&out[..2], &[0xFF, 0xFE]);
        let decoded = decode_with(&out, None).unwrap();
        assert_eq!(decoded.text, "ご確認します。");
    }

    #[test]
    fn a_replacement_the_encoding_cannot_hold_is_refused() {
        let (bytes, _, _) = SHIFT_JIS.encode("拝見させていただきました。");
        let decoded = decode_with(&bytes, Some("shift_jis")).unwrap();
        let edit = edit_of(&decoded.text, "拝見", "🙇拝見");
        let err = splice(&bytes, &decoded.stored_as, &decoded.text, &[edit]).unwrap_err();
        assert!(err.to_string().contains("「🙇」"), "{err}");
    }
}
