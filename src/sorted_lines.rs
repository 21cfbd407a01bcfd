//! Lookup in generated tables of sorted `key\tvalue` lines: plain text embedded with
//! `include_str!`, which the loader does not relocate at start (a static table of string
//! pairs would be, pointer by pointer) and which needs no parsing before the first lookup.

/// Binary search in sorted `key\tvalue` lines, by bytes: the lines need no index.
pub fn sorted_lines_lookup<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let bytes = text.as_bytes();
    // `low` and `high` are always line starts (or the end of the text).
    let (mut low, mut high) = (0, bytes.len());
    while low < high {
        let middle = low + (high - low) / 2;
        let start = memchr::memrchr(b'\n', &bytes[low..middle]).map_or(low, |i| low + i + 1);
        let end = memchr::memchr(b'\n', &bytes[start..high]).map_or(high, |i| start + i);
        let (line_key, value) = text[start..end].split_once('\t')?;
        match line_key.cmp(key) {
            std::cmp::Ordering::Equal => return Some(value),
            std::cmp::Ordering::Less => low = (end + 1).min(high),
            std::cmp::Ordering::Greater => high = start,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_only_where_they_are() {
        let table = "a\t1\nc\t3\nd\t\n";
        assert_eq!(sorted_lines_lookup(table, "a"), Some("1"));
        assert_eq!(sorted_lines_lookup(table, "b"), None);
        assert_eq!(sorted_lines_lookup(table, "c"), Some("3"));
        assert_eq!(sorted_lines_lookup(table, "d"), Some(""));
        assert_eq!(sorted_lines_lookup(table, "e"), None);
        assert_eq!(sorted_lines_lookup("", "c"), None);
    }
}
