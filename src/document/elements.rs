//! Finding each element in a document: under a heading or label (「■原因」 followed by
//! content, 「原因：〜」), or in running prose (a sentence with one of the element's cues).
//! A heading with no content under it is not evidence.

use std::ops::Range;

use super::filters::DocumentFilters;
use super::{ElementDef, ElementPresence, Needs};
use crate::engine::CueScan;
use crate::engine::conditions::names_mechanism;
use crate::engine::prefilter::Scratch;
use crate::engine::time_expr::{find_time_expressions, has_deadline};
use crate::sentence::{split_paragraphs, split_sentences};
use crate::tokenize::tokenize;

/// A line of the masked text that names an element as a heading or label.
struct HeadingLine {
    element: usize,
    line: Range<usize>,
    /// Text after `：` on the same line, when not blank.
    content: Option<Range<usize>>,
}

/// Lines of `masked` with their byte ranges (line breaks excluded).
fn lines(masked: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in masked.split_inclusive('\n') {
        let end = start + line.trim_end_matches(['\n', '\r']).len();
        out.push(start..end);
        start += line.len();
    }
    out
}

fn heading_lines(
    masked: &str,
    defs: &[ElementDef],
    filters: &DocumentFilters,
    lines: &[Range<usize>],
) -> Vec<HeadingLine> {
    let mut found = Vec::new();
    let mut scratch = Scratch::default();
    let mut candidates = vec![false; defs.len()];
    for line in lines {
        let text = &masked[line.clone()];
        let window = filters.heading_window(text);
        if !filters
            .headings
            .candidates(window, &mut scratch, &mut candidates)
        {
            continue;
        }
        for (index, def) in defs.iter().enumerate() {
            if !candidates[index] {
                continue;
            }
            let Some(caps) = def.heading.as_ref().and_then(|re| re.captures(text)) else {
                continue;
            };
            let content = caps
                .name("content")
                .filter(|m| !m.as_str().trim_matches([' ', '\u{3000}', '\t']).is_empty())
                .map(|m| line.start + m.start()..line.start + m.end());
            found.push(HeadingLine {
                element: index,
                line: line.clone(),
                content,
            });
            break;
        }
    }
    found
}

/// The first non-blank line after a heading, unless another heading comes first.
fn section_content(
    masked: &str,
    heading: &HeadingLine,
    lines: &[Range<usize>],
    headings: &[HeadingLine],
) -> Option<Range<usize>> {
    lines
        .iter()
        .filter(|line| line.start > heading.line.start)
        .find(|line| !masked[(*line).clone()].trim().is_empty())
        .filter(|line| !headings.iter().any(|h| h.line == **line))
        .cloned()
}

/// Lines a section's mechanism is looked for in, below its heading.
const SECTION_LINES: usize = 10;

/// The lines under a heading up to the next heading (at most [`SECTION_LINES`]), as one span.
fn section_span(
    heading: &HeadingLine,
    lines: &[Range<usize>],
    headings: &[HeadingLine],
) -> Range<usize> {
    let end = lines
        .iter()
        .filter(|line| line.start > heading.line.start)
        .take_while(|line| !headings.iter().any(|h| h.line == **line))
        .take(SECTION_LINES)
        .last()
        .map_or(heading.line.end, |line| line.end);
    heading.line.start..end
}

/// 「〜する体制で作業をしていました」「照合したところ」「監視すべきでした」: the practice that
/// failed or what was found, told as a fact or a regret, not a measure.
fn describes_past_practice(sentence: &str) -> bool {
    let body = sentence.trim_end_matches(['。', ' ', '\u{3000}', '\n']);
    [
        "ていましたが",
        "ておりましたが",
        "ていたが",
        "たところ",
        "を検知し",
        "べき",
    ]
    .iter()
    .any(|ending| sentence.contains(ending))
        || ["ていました", "ておりました", "ていた", "でした"]
            .iter()
            .any(|ending| body.ends_with(ending))
}

fn satisfies(needs: Needs, text: &str, sentence: &Range<usize>) -> bool {
    match needs {
        Needs::Nothing => true,
        Needs::Mechanism => {
            let sentence = &text[sentence.clone()];
            names_mechanism(sentence) && !describes_past_practice(sentence)
        }
        Needs::Time | Needs::Deadline => {
            let tokens = tokenize(&text[sentence.clone()], sentence.start);
            if needs == Needs::Time {
                !find_time_expressions(text, &tokens).is_empty()
            } else {
                has_deadline(text, &tokens)
            }
        }
    }
}

/// Every defined element with the spans that evidence it. Sentences within `titles` (the
/// 件名 and title lines) name the subject; they are not evidence of any part.
///
/// `scan`: the cues the engine found possible in each sentence while linting `masked`;
/// sentences it has no flags for are searched here.
pub fn detect_elements(
    masked: &str,
    defs: &[ElementDef],
    filters: &DocumentFilters,
    titles: &[Range<usize>],
    scan: Option<&CueScan>,
) -> Vec<ElementPresence> {
    let mut evidence: Vec<Vec<Range<usize>>> = vec![Vec::new(); defs.len()];
    let mut attempts: Vec<Vec<Range<usize>>> = vec![Vec::new(); defs.len()];
    let lines = lines(masked);
    let headings = heading_lines(masked, defs, filters, &lines);
    let mut scratch = Scratch::default();
    let mut own_candidates = vec![false; filters.cue_count];
    for heading in &headings {
        let content = heading
            .content
            .clone()
            .or_else(|| section_content(masked, heading, &lines, &headings));
        let Some(content) = content else { continue };
        // A section meets `needs = "mechanism"` when any of its lines names one.
        let meets = defs[heading.element].needs != Needs::Mechanism
            || names_mechanism(&masked[section_span(heading, &lines, &headings)]);
        if meets {
            evidence[heading.element].push(content);
        } else {
            attempts[heading.element].push(content);
        }
    }
    // The engine's sentences and cue flags when it scanned this text for these cues; else
    // the text is split and searched here.
    let sentences: Vec<(Range<usize>, Option<&[bool]>)> =
        match scan.filter(|scan| scan.cue_count() == filters.cue_count) {
            Some(scan) => scan.sentences().map(|(r, f)| (r, Some(f))).collect(),
            None => split_paragraphs(masked, 0..masked.len())
                .into_iter()
                .flat_map(|paragraph| split_sentences(masked, paragraph))
                .map(|sentence| (sentence.range, None))
                .collect(),
        };
    for (range, scanned) in sentences {
        // A heading names a part; only the content under it shows the part is there.
        let on_heading = headings
            .iter()
            .any(|h| h.line.start <= range.start && range.end <= h.line.end);
        // On the title's line and not past it: a hand-wrapped sentence may start on a line
        // that reads like a title (no 。 at its end) and go on below it.
        let in_title = titles.iter().any(|t| {
            let line_end = masked[t.end..]
                .find('\n')
                .map_or(masked.len(), |n| t.end + n);
            t.start < range.end && range.start < t.end && range.end <= line_end
        });
        if on_heading || in_title {
            continue;
        }
        let text = &masked[range.clone()];
        // A mechanism is the part itself wherever it is written, cue or not (「入力時に警告が
        // 出るよう改修します」), unless the sentence tells how things were done before.
        if satisfies(Needs::Mechanism, masked, &range) {
            for (index, def) in defs.iter().enumerate() {
                if def.needs == Needs::Mechanism {
                    evidence[index].push(range.clone());
                }
            }
        }
        let cue_candidates = match scanned {
            Some(flags) => flags,
            None => {
                filters
                    .cues()
                    .candidates(text, &mut scratch, &mut own_candidates);
                own_candidates.as_slice()
            }
        };
        if !cue_candidates.contains(&true) {
            continue;
        }
        let mut first_cue = 0;
        for (index, def) in defs.iter().enumerate() {
            let candidates = &cue_candidates[first_cue..first_cue + def.cues.len()];
            first_cue += def.cues.len();
            let matched = def
                .cues
                .iter()
                .zip(candidates)
                .any(|(cue, candidate)| *candidate && cue.is_match(text));
            if !matched {
                continue;
            }
            if satisfies(def.needs, masked, &range) {
                evidence[index].push(range.clone());
            } else if def.needs == Needs::Mechanism {
                attempts[index].push(range.clone());
            }
        }
    }
    defs.iter()
        .zip(evidence.into_iter().zip(attempts))
        .map(|(def, (evidence, attempts))| ElementPresence {
            id: def.id.clone(),
            name: def.name.clone(),
            evidence: sorted(evidence),
            attempts: sorted(attempts),
        })
        .collect()
}

fn sorted(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|s| s.start);
    spans.dedup();
    spans
}
