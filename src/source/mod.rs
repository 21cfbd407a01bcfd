//! Reading files into text, and mapping byte offsets to lines and columns.

pub mod decode;

pub use decode::{DecodeError, Decoded, StoredAs, decode};

/// The largest input read by default: far above any letter or notice, and low enough that
/// `/dev/zero` or a stray disk image is refused instead of filling the memory.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Why the operating system refused to read or write a path, in Japanese: the same wording
/// for the same error wherever it is shown (an input, `tokens`, `--config`, `--rules`).
/// Errors without a translation keep the system's own words after a Japanese lead.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "ファイルまたはディレクトリが存在しません".into(),
        ErrorKind::PermissionDenied => "アクセスする権限がありません（Permission denied）".into(),
        ErrorKind::IsADirectory => "ディレクトリです（ファイルを指定してください）".into(),
        ErrorKind::NotADirectory => "パスの途中がディレクトリではありません".into(),
        ErrorKind::InvalidData => "UTF-8 のテキストとして読めません".into(),
        ErrorKind::StorageFull => "ディスクの空き容量がありません".into(),
        ErrorKind::ReadOnlyFilesystem => "読み取り専用のファイルシステムです".into(),
        _ => format!("システムのエラー: {err}"),
    }
}

/// Why an input was not read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// More than the limit (bytes): nothing more is read.
    TooLarge(u64),
}

/// Reads all of `reader`, or stops with [`ReadError::TooLarge`] after `limit` bytes (a
/// device such as `/dev/zero` never ends, and its size says nothing).
pub fn read_limited(reader: impl std::io::Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut reader.take(limit.saturating_add(1)), &mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// Reads the file at `path` with [`read_limited`].
pub fn read_file_limited(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    read_limited(file, limit)
}

use std::ops::Range;
use std::sync::OnceLock;

/// Line starts of a text, for turning byte offsets into 1-based line and column numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first is always 0.
    starts: Vec<usize>,
    /// Every `CHECKPOINT` bytes or so (on a character boundary): the byte offset, and the
    /// characters and UTF-16 units before it. Columns on a very long line (a 5 MB file
    /// with no line break) are then counted from the nearest checkpoint, not from the
    /// line's start, so that reporting N findings stays linear in the text. Made on the
    /// first column asked for: a rule file only needs line numbers.
    checkpoints: OnceLock<Vec<Checkpoint>>,
}

#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    byte: usize,
    chars: usize,
    utf16: usize,
}

const CHECKPOINT: usize = 4096;

/// A 1-based position: `column` counts characters (not bytes, not display cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // A lone `\r` (old Mac files) ends a line too, as editors show it; `\r\n` is one break.
        let bytes = text.as_bytes();
        let starts = std::iter::once(0)
            .chain(
                memchr::memchr2_iter(b'\n', b'\r', bytes)
                    .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                    .map(|i| i + 1),
            )
            .collect();
        LineIndex {
            starts,
            checkpoints: OnceLock::new(),
        }
    }

    /// The checkpoints of `text` (the text this index was made from).
    fn checkpoints(&self, text: &str) -> &[Checkpoint] {
        self.checkpoints.get_or_init(|| {
            let mut checkpoints = vec![Checkpoint {
                byte: 0,
                chars: 0,
                utf16: 0,
            }];
            if text.len() > CHECKPOINT {
                let (mut chars, mut utf16, mut next) = (0, 0, CHECKPOINT);
                for (byte, c) in text.char_indices() {
                    if byte >= next {
                        checkpoints.push(Checkpoint { byte, chars, utf16 });
                        next = byte + CHECKPOINT;
                    }
                    chars += 1;
                    utf16 += c.len_utf16();
                }
            }
            checkpoints
        })
    }

    /// Characters (`utf16`: UTF-16 units) in `text[from..to]`, both on character boundaries.
    fn count(&self, text: &str, from: usize, to: usize, utf16: bool) -> usize {
        let direct = |range: std::ops::Range<usize>| {
            if utf16 {
                text[range].encode_utf16().count()
            } else {
                text[range].chars().count()
            }
        };
        if to - from <= 2 * CHECKPOINT {
            return direct(from..to);
        }
        let checkpoints = self.checkpoints(text);
        let before = |offset: usize| {
            let at = checkpoints[checkpoints.partition_point(|c| c.byte <= offset) - 1];
            let counted = if utf16 { at.utf16 } else { at.chars };
            counted + direct(at.byte..offset)
        };
        before(to) - before(from)
    }

    /// Position of `offset`, which must lie on a character boundary of `text`.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.starts[line];
        // A `\r` before `\n` belongs to the line break, not to a column; only count chars.
        let column = self.count(text, line_start, offset, false) + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// 1-based line holding `offset`.
    pub fn line_number(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// Byte offset where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        self.starts[self.starts.partition_point(|&start| start <= offset) - 1]
    }

    /// 1-based column of `offset` counted in UTF-16 code units: SARIF's default
    /// `columnKind` ("utf16CodeUnits"), which GitHub code scanning uses. Japanese text is in
    /// the Basic Multilingual Plane (one unit per character); an emoji or a rare kanji
    /// outside it counts as two. `offset` must lie on a character boundary of `text`.
    pub fn utf16_column(&self, text: &str, offset: usize) -> usize {
        self.count(text, self.line_start(offset), offset, true) + 1
    }

    /// 1-based column of `offset` counted in UTF-8 bytes (reviewdog's rdjson columns).
    pub fn byte_column(&self, offset: usize) -> usize {
        offset - self.line_start(offset) + 1
    }

    /// Byte range of line `line` (1-based) without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        let end = if text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_across_lines() {
        let text = "お詫び\r\n認識の相違がありました。\n";
        let index = LineIndex::new(text);
        let offset = text.find("相違").unwrap();
        assert_eq!(
            index.position(text, offset),
            Position { line: 2, column: 4 }
        );
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(&text[index.line_range(text, 1)], "お詫び");
        assert_eq!(index.line_count(), 3);
    }

    #[test]
    fn columns_on_a_very_long_line_match_a_direct_count() {
        let text = format!("前置き\n{}", "あa🙇。".repeat(20_000));
        let index = LineIndex::new(&text);
        let second_line = text.find('\n').unwrap() + 1;
        for (offset, _) in text.char_indices().step_by(997) {
            let line_start = if offset >= second_line {
                second_line
            } else {
                0
            };
            let expected = text[line_start..offset].chars().count() + 1;
            assert_eq!(index.position(&text, offset).column, expected, "{offset}");
            let expected16 = text[line_start..offset].encode_utf16().count() + 1;
            assert_eq!(index.utf16_column(&text, offset), expected16, "{offset}");
        }
    }

    #[test]
    fn utf16_and_byte_columns_count_an_emoji_before_the_span() {
        // 🙇 (U+1F647) is outside the BMP: 1 character, 2 UTF-16 units, 4 UTF-8 bytes.
        let text = "前置き\n🙇本日は検討します\n";
        let index = LineIndex::new(text);
        let offset = text.find("検討").unwrap();
        assert_eq!(index.position(text, offset).column, 5);
        assert_eq!(index.utf16_column(text, offset), 6);
        assert_eq!(index.byte_column(offset), 4 + 3 * 3 + 1);
        // Without the emoji the two character-like counts agree, as for all Japanese text.
        let line_start = text.find('🙇').unwrap();
        assert_eq!(index.utf16_column(text, line_start), 1);
        let plain = "本日は検討します";
        let plain_index = LineIndex::new(plain);
        let at = plain.find("検討").unwrap();
        assert_eq!(plain_index.utf16_column(plain, at), 4);
        assert_eq!(plain_index.position(plain, at).column, 4);
    }
}
