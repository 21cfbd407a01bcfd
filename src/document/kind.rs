//! Which kind a document is: given (command line, config, or a `kintsugi-lint-kind:`
//! comment in the file), or detected from its 件名/title and vocabulary with a confidence.

use super::filters::DocumentFilters;
use super::{ElementPresence, KindDef};
use crate::engine::prefilter::Scratch;

/// Where the kind came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindSource {
    /// `--kind` or `[kind]` in kintsugi.toml.
    Configured,
    /// A `kintsugi-lint-kind: …` comment in the file.
    Comment,
    /// Detected from the text.
    Detected,
}

impl KindSource {
    pub fn as_str(self) -> &'static str {
        match self {
            KindSource::Configured => "configured",
            KindSource::Comment => "comment",
            KindSource::Detected => "detected",
        }
    }
}

/// A title match weighs this much; a body cue weighs 1.
const TITLE_WEIGHT: f64 = 3.0;
/// Below this score a text is a plain note: no kind, no document findings. A title alone is
/// not enough: the body must show the kind too (see `score`).
const MIN_SCORE: f64 = 3.0;
/// A text of fewer parts is a note, whatever its words. A part is a non-blank line or a
/// sentence: a notice copied from a web page often keeps its paragraphs on one line each.
pub(super) const MIN_PARTS: usize = 3;

/// The best-scoring kind and the confidence: its share of the two best scores, scaled down
/// when the evidence is thin.
pub fn detect_kind<'k>(
    kinds: &'k [KindDef],
    filters: &DocumentFilters,
    title: &str,
    text: &str,
    elements: &[ElementPresence],
) -> Option<(&'k KindDef, f64)> {
    if parts(text) < MIN_PARTS {
        return None;
    }
    // Which cues and signals can match (one literal search over the text), kind by kind.
    let mut possible = vec![false; filters.kind_cue_count];
    filters
        .kind_cues
        .candidates(text, &mut Scratch::default(), &mut possible);
    let mut first = 0;
    let mut scored: Vec<(&KindDef, f64)> = kinds
        .iter()
        .map(|kind| {
            let count = kind.cues.len() + kind.signals.len();
            let possible = &possible[first..first + count];
            first += count;
            (kind, score(kind, possible, title, text))
        })
        .collect();
    if let Some(fallback) = fallback(&scored, elements) {
        return Some(fallback);
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best, best_score) = *scored.first()?;
    if best_score < MIN_SCORE {
        return None;
    }
    let runner_up = scored.get(1).map_or(0.0, |s| s.1);
    let separation = best_score / (best_score + runner_up);
    let strength = (best_score / (2.0 * MIN_SCORE)).min(1.0);
    let confidence = (separation * strength * 100.0).round() / 100.0;
    Some((best, confidence))
}

/// How clearly a kind shows when its fallback elements chose it: less than any kind its own
/// words show (a score of `MIN_SCORE` alone, well separated, gives 0.5).
const FALLBACK_CONFIDENCE: f64 = 0.3;

/// When no kind reaches `MIN_SCORE`: the first kind that some of its own words show (a score
/// above 0) and whose `fallback_elements` are all present. What a text contains tells its
/// kind when its vocabulary is too thin to; its words keep a manual that happens to state
/// facts and effects from reading as a notice.
fn fallback<'k>(
    scored: &[(&'k KindDef, f64)],
    elements: &[ElementPresence],
) -> Option<(&'k KindDef, f64)> {
    if scored.iter().any(|(_, score)| *score >= MIN_SCORE) {
        return None;
    }
    let present = |id: &String| elements.iter().any(|e| e.id == *id && e.is_present());
    scored
        .iter()
        .find(|(kind, score)| {
            *score > 0.0
                && !kind.fallback_elements.is_empty()
                && kind.fallback_elements.iter().all(present)
        })
        .map(|(kind, _)| (*kind, FALLBACK_CONFIDENCE))
}

/// Non-blank lines, counting each sentence of a line of several (`。` not at its end).
pub(super) fn parts(text: &str) -> usize {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| 1 + line.trim_end_matches('。').matches('。').count())
        .sum()
}

/// `possible`: per cue then per signal of the kind, whether it can match in `text`.
fn score(kind: &KindDef, possible: &[bool], title: &str, text: &str) -> f64 {
    let (cues_possible, signals_possible) = possible.split_at(kind.cues.len());
    let hits = |regexes: &[crate::rules::LazyRegex], possible: &[bool]| {
        regexes
            .iter()
            .zip(possible)
            .filter(|(re, possible)| **possible && re.is_match(text))
            .count() as f64
    };
    let cue_hits = hits(&kind.cues, cues_possible);
    let signal_hits = hits(&kind.signals, signals_possible);
    if cue_hits + signal_hits == 0.0 {
        return 0.0;
    }
    let title_hits = kind.title.iter().filter(|re| re.is_match(title)).count() as f64;
    (title_hits + signal_hits) * TITLE_WEIGHT + cue_hits
}
