//! The literals a regex needs before it can match, read off its syntax.
//!
//! A pure function of the pattern, so `build.rs` includes this file to compute it for the
//! built-in rules' patterns ahead of time: parsing a hundred regexes costs a few
//! milliseconds at every start of the program, and a lookup in the generated table costs
//! next to nothing. Patterns that are not in the table (users' rules) are parsed here.
//! Only `regex-syntax` may be used here, since the build script has nothing else.

use regex_syntax::hir::literal::Extractor;
use regex_syntax::hir::{Class, Hir, HirKind};

/// A set of literal alternatives, one of which must occur.
pub type Group = Vec<Vec<u8>>;

/// A finite set of literals one of which occurs in every match of `pattern`, compacted:
/// the literals every match starts with when there are finitely many, or else literals
/// required inside it (`[@＠]` in an e-mail address); `None` when the regex has neither.
pub fn regex_literals(pattern: &str) -> Option<Group> {
    extract(pattern).map(compact)
}

fn extract(pattern: &str) -> Option<Group> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let prefixes = Extractor::new().extract(&hir);
    match prefixes.literals() {
        Some(literals) if literals.iter().all(|l| !l.as_bytes().is_empty()) => {
            Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
        }
        _ => required_literals(&hir),
    }
}

/// A class of at most this many characters counts as that many literal alternatives.
const MAX_CLASS_CHARS: u32 = 24;

/// Literals one of which every match of `hir` contains; `None` when there are none.
fn required_literals(hir: &Hir) -> Option<Group> {
    match hir.kind() {
        HirKind::Literal(literal) => Some(vec![literal.0.to_vec()]),
        HirKind::Class(Class::Unicode(class)) => {
            let size: u32 = class
                .iter()
                .map(|r| r.end() as u32 - r.start() as u32 + 1)
                .sum();
            (size <= MAX_CLASS_CHARS).then(|| {
                class
                    .iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(|c| c.to_string().into_bytes())
                    .collect()
            })
        }
        HirKind::Capture(capture) => required_literals(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min >= 1 => {
            required_literals(&repetition.sub)
        }
        // Any one part of a sequence is required; take the most telling.
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required_literals)
            .max_by_key(selectivity),
        // Each branch needs its own literals: together, one of them occurs.
        HirKind::Alternation(branches) => branches
            .iter()
            .map(required_literals)
            .collect::<Option<Vec<Group>>>()
            .map(|groups| groups.concat()),
        _ => None,
    }
}

/// How well a group tells sentences apart: long literals first, then few of them.
fn selectivity(group: &Group) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = group.iter().map(|l| l.len()).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(group.len()))
}

/// At most this many characters of a literal are searched for: a sentence that contains
/// `至らぬ点が` contains `至らぬ`, and the expansions of a regex's alternatives mostly
/// share their first few characters.
const MAX_LITERAL_CHARS: usize = 3;
/// A group with more alternatives than this is searched for by shorter prefixes of them.
const MAX_GROUP_LITERALS: usize = 24;

/// The group cut to a few short literals that find every text the full group finds: each
/// literal is cut to its first characters (the prefix of a literal occurs wherever the
/// literal does), to fewer while the group is large, and without literals that contain
/// another one of the group.
pub fn compact(group: Group) -> Group {
    let mut chars = MAX_LITERAL_CHARS;
    loop {
        let cut = minimal(
            group
                .iter()
                .map(|l| char_prefix(l, chars).to_vec())
                .collect(),
        );
        if cut.len() <= MAX_GROUP_LITERALS || chars == 1 {
            return cut;
        }
        chars -= 1;
    }
}

/// The first `chars` characters of `literal`, or all of it when it is shorter (a literal
/// from a regex may end inside a character; it is still a prefix of the text's bytes).
fn char_prefix(literal: &[u8], chars: usize) -> &[u8] {
    let mut starts = literal
        .iter()
        .enumerate()
        .filter(|(_, byte)| (**byte & 0xC0) != 0x80)
        .map(|(i, _)| i);
    match starts.nth(chars) {
        Some(end) => &literal[..end],
        None => literal,
    }
}

/// The group without literals that contain another of its literals: a text that contains
/// `検討中` contains `検討` too, so the longer one adds nothing.
fn minimal(mut group: Group) -> Group {
    group.sort_by_key(Vec::len);
    group.dedup();
    let mut kept: Group = Vec::with_capacity(group.len());
    for literal in group {
        // An empty literal occurs in every text (and `windows(0)` would panic).
        let contains = |k: &Vec<u8>| k.is_empty() || literal.windows(k.len()).any(|w| w == k);
        if !kept.iter().any(contains) {
            kept.push(literal);
        }
    }
    kept
}

/// One line of the table: the pattern, a tab, and its literals (see [`decode`]). Both are
/// in hex, so that no pattern or literal can break the line format, and the lines sort
/// by pattern. (Used by `build.rs` and the tests.)
#[allow(dead_code)]
pub fn table_line(pattern: &str) -> String {
    let literals = match regex_literals(pattern) {
        None => "-".to_owned(),
        Some(group) => group.iter().map(|l| hex(l)).collect::<Vec<_>>().join(","),
    };
    format!("{}\t{literals}\n", hex(pattern.as_bytes()))
}

/// The literals of a table line's value: `-` for none, else hex literals joined by `,`.
pub fn decode(value: &str) -> Option<Group> {
    if value == "-" {
        return None;
    }
    Some(value.split(',').map(unhex).collect())
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 15)] as char);
    }
    out
}

/// The bytes of lower-case hex written by [`hex`] (the table is generated, never edited).
pub fn unhex(text: &str) -> Vec<u8> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        _ => c - b'a' + 10,
    };
    text.as_bytes()
        .chunks_exact(2)
        .map(|pair| digit(pair[0]) << 4 | digit(pair[1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacting_cuts_drops_supersets_and_survives_empty_literals() {
        let group =
            |words: &[&str]| -> Group { words.iter().map(|w| w.as_bytes().to_vec()).collect() };
        assert_eq!(compact(group(&["検討中です", "検討"])), group(&["検討"]));
        assert_eq!(compact(group(&["至らぬ点が"])), group(&["至らぬ"]));
        // An empty literal occurs in every text, so it makes the others redundant.
        assert_eq!(compact(group(&["検討", ""])), group(&[""]));
    }
}
