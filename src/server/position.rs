//! Positions as the client counts them. LSP positions are (line, character) with the
//! character counted in the negotiated encoding: UTF-16 code units unless the client offers
//! UTF-8 or UTF-32. Japanese text is mostly one UTF-16 unit but three UTF-8 bytes per
//! character, and an emoji is two UTF-16 units (a surrogate pair): getting this wrong puts
//! every underline after the first emoji in the wrong place.

use std::ops::Range;

use lsp_types::{
    ClientCapabilities, Position, PositionEncodingKind, TextDocumentContentChangeEvent,
};

use crate::source::LineIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The first encoding the client offers that we speak; UTF-16, which every client must
    /// support, when it offers none.
    pub fn negotiate(capabilities: &ClientCapabilities) -> Encoding {
        let offered = capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_ref());
        offered
            .into_iter()
            .flatten()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// A text with its line starts, to convert byte offsets to positions and back.
pub struct Lines<'t> {
    text: &'t str,
    index: LineIndex,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        Lines {
            text,
            index: LineIndex::new(text),
        }
    }

    /// The position of byte `offset` (clamped to the text, and down to a character boundary).
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_boundary(self.text, offset.min(self.text.len()));
        let at = self.index.position(self.text, offset);
        let character = match encoding {
            Encoding::Utf8 => self.index.byte_column(offset),
            Encoding::Utf16 => self.index.utf16_column(self.text, offset),
            Encoding::Utf32 => at.column,
        } - 1;
        Position::new(to_u32(at.line - 1), to_u32(character))
    }

    pub fn range(&self, span: &Range<usize>, encoding: Encoding) -> lsp_types::Range {
        lsp_types::Range::new(
            self.position(span.start, encoding),
            self.position(span.end, encoding),
        )
    }

    /// The byte offset of `position`. As the protocol asks, a line past the end means the end
    /// of the text, and a character past the line's end means the end of the line; a
    /// position inside a character (half a surrogate pair) means the start of it.
    pub fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize + 1;
        if line > self.index.line_count() {
            return self.text.len();
        }
        let range = self.index.line_range(self.text, line);
        let wanted = position.character as usize;
        let mut counted = 0;
        for (at, c) in self.text[range.clone()].char_indices() {
            let next = counted + encoding.units(c);
            if next > wanted {
                return range.start + at;
            }
            counted = next;
        }
        range.end
    }

    pub fn span(&self, range: lsp_types::Range, encoding: Encoding) -> Range<usize> {
        let start = self.offset(range.start, encoding);
        let end = self.offset(range.end, encoding).max(start);
        start..end
    }

    /// The byte range of 0-based `line` without its line break (empty past the end).
    pub fn line_span(&self, line: u32) -> Range<usize> {
        let line = line as usize + 1;
        if line > self.index.line_count() {
            return self.text.len()..self.text.len();
        }
        self.index.line_range(self.text, line)
    }
}

/// Applies one change from `textDocument/didChange`: a whole new text, or a range replaced.
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let span = Lines::new(text).span(range, encoding);
            text.replace_range(span, &change.text);
        }
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "😀拝見\r\nab🙇c\n";

    #[test]
    fn offsets_become_positions_in_each_encoding() {
        let lines = Lines::new(TEXT);
        let after_emoji = "😀".len();
        assert_eq!(
            lines.position(after_emoji, Encoding::Utf16),
            Position::new(0, 2)
        );
        assert_eq!(
            lines.position(after_emoji, Encoding::Utf8),
            Position::new(0, 4)
        );
        assert_eq!(
            lines.position(after_emoji, Encoding::Utf32),
            Position::new(0, 1)
        );
        let c = TEXT.find('c').unwrap();
        assert_eq!(lines.position(c, Encoding::Utf16), Position::new(1, 4));
        assert_eq!(lines.position(c, Encoding::Utf8), Position::new(1, 6));
        assert_eq!(
            lines.position(TEXT.len(), Encoding::Utf16),
            Position::new(2, 0)
        );
    }

    #[test]
    fn positions_become_offsets_and_round_trip() {
        let lines = Lines::new(TEXT);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for (offset, _) in TEXT.char_indices() {
                let position = lines.position(offset, encoding);
                // `\r\n` is one line break: its `\n` has no position of its own.
                if !TEXT[offset..].starts_with('\n') {
                    assert_eq!(lines.offset(position, encoding), offset, "{encoding:?}");
                }
            }
        }
        // Half a surrogate pair is the start of the emoji; past the line, its end.
        assert_eq!(lines.offset(Position::new(0, 1), Encoding::Utf16), 0);
        assert_eq!(
            lines.offset(Position::new(0, 99), Encoding::Utf16),
            TEXT.find('\r').unwrap()
        );
        assert_eq!(
            lines.offset(Position::new(9, 0), Encoding::Utf16),
            TEXT.len()
        );
    }

    #[test]
    fn incremental_changes_replace_the_range_they_name() {
        let mut text = TEXT.to_owned();
        let change = TextDocumentContentChangeEvent {
            range: Some(lsp_types::Range::new(
                Position::new(1, 2),
                Position::new(1, 4),
            )),
            range_length: None,
            text: "と".to_owned(),
        };
        apply_change(&mut text, change, Encoding::Utf16);
        assert_eq!(text, "😀拝見\r\nabとc\n");
    }
}
