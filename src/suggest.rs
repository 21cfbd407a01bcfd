//! "Did you mean": the known name closest to a misspelt one. Every name a user types (rule
//! ids and categories, document kinds, config keys, rule-file fields, subcommands) is
//! checked against the names that exist, and a typo is answered with the likely intent
//! instead of a bare "unknown".

/// Names longer than this get no suggestion: no known name is that long, and the distance
/// costs the product of the lengths.
const MAX_NAME_CHARS: usize = 64;

/// The Levenshtein distance between `a` and `b`, counted in characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Most edits a typo is taken to have: beyond that, two long names that share their
/// ending (`…-without-deadline`) look alike without being one another's typo.
const MAX_EDITS: usize = 3;

/// The candidate closest to `name` when it is close enough to be a typo of it: at most a
/// third of the longer name's characters differ (at least one may, at most `MAX_EDITS`).
/// Case is ignored; of equally close candidates, the first wins.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let name_chars = name.chars().count();
    if name_chars == 0 || name_chars > MAX_NAME_CHARS {
        return None;
    }
    let lowered = name.to_lowercase();
    candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| (distance(&lowered, &candidate.to_lowercase()), candidate))
        .filter(|(d, candidate)| {
            *d <= (name_chars.max(candidate.chars().count()) / 3).clamp(1, MAX_EDITS)
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

/// `もしかして: 「X」` for the candidate closest to `name`, if one is close enough.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(name, candidates).map(|found| format!("もしかして: 「{found}」"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_characters() {
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("rulez", "rules"), 1);
        assert_eq!(distance("検討します", "検討しまし"), 1);
        assert_eq!(distance("apologie", "apology"), 2);
    }

    #[test]
    fn only_close_names_are_suggested() {
        let known = ["keigo-misuse", "personal-data", "apology"];
        assert_eq!(closest("keigo-missuse", known), Some("keigo-misuse"));
        assert_eq!(closest("Personal-Dta", known), Some("personal-data"));
        assert_eq!(closest("apologie", known), Some("apology"));
        assert_eq!(closest("x", known), None);
        assert_eq!(closest("notice", known), None);
        assert_eq!(
            closest("promise-without-deadlin", ["urgency-without-deadline"]),
            None
        );
        assert_eq!(closest(&"a".repeat(1000), known), None);
        assert_eq!(
            did_you_mean("apologie", known).as_deref(),
            Some("もしかして: 「apology」")
        );
        assert_eq!(did_you_mean("zzz", known), None);
    }
}
