//! Morphological analysis with lindera and the IPADIC dictionary built by `build.rs`.
//!
//! The dictionary is embedded in the binary and viewed in place (no parsing or copying at
//! start-up). One segmenter is created per process on first use and shared by all threads.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera_dictionary::dictionary::DetailFields;
use lindera_dictionary::viterbi::{Lattice, WordId};

use crate::sorted_lines::sorted_lines_lookup;

mod embedded {
    lindera_dictionary::embedded_dictionary!("/lindera-ipadic", EmbeddedIpadic);
}

/// Index of each IPADIC feature field in a token's details.
const POS_LEVELS: usize = 4;
/// IPADIC's feature fields: 4 part-of-speech levels, conjugation type and form, base form,
/// reading, pronunciation.
const FIELDS: usize = 9;
const CONJ_TYPE: usize = 4;
const CONJ_FORM: usize = 5;
const BASE_FORM: usize = 6;
const READING: usize = 7;
const PRONUNCIATION: usize = 8;

/// One morpheme, with byte offsets into the text that was tokenized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub surface: String,
    /// IPADIC features (see `FIELDS`), `*` where unset. Borrowed from the embedded
    /// dictionary and held in place, so a token costs no copy and no allocation for them.
    details: [&'static str; FIELDS],
}

impl Token {
    fn field(&self, index: usize) -> &str {
        self.details[index]
    }

    /// Part of speech at `level` (0 = 名詞/動詞/…, 1..=3 = subcategories); `*` when unset.
    pub fn pos(&self, level: usize) -> &str {
        debug_assert!(level < POS_LEVELS);
        self.field(level)
    }

    /// The four part-of-speech levels joined with commas, e.g. `名詞,サ変接続,*,*`.
    pub fn pos_path(&self) -> String {
        (0..POS_LEVELS)
            .map(|level| self.pos(level))
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn conj_type(&self) -> &str {
        self.field(CONJ_TYPE)
    }

    pub fn conj_form(&self) -> &str {
        self.field(CONJ_FORM)
    }

    /// Dictionary form; unknown words (no entry) fall back to their surface.
    pub fn base(&self) -> &str {
        match self.field(BASE_FORM) {
            "*" => &self.surface,
            base => base,
        }
    }

    pub fn reading(&self) -> &str {
        self.field(READING)
    }

    pub fn pronunciation(&self) -> &str {
        self.field(PRONUNCIATION)
    }
}

/// The process-wide segmenter over the embedded dictionary (for tools that need lindera's own
/// tokens, such as the segmentation floor in `examples/lindera_raw.rs`).
pub fn segmenter() -> &'static Segmenter {
    static SEGMENTER: OnceLock<Segmenter> = OnceLock::new();
    SEGMENTER.get_or_init(|| {
        // The embedded dictionary was validated when the crate was built; failing to view
        // it would mean a corrupt binary, which no caller could recover from.
        let dictionary = embedded::load().expect("embedded IPADIC dictionary is readable");
        Segmenter::new(Mode::Normal, dictionary, None)
    })
}

/// Tokenizes `text`; token offsets are shifted by `offset` so that they point into the
/// document the text was cut from.
pub fn tokenize(text: &str, offset: usize) -> Vec<Token> {
    if text.is_empty() {
        return Vec::new();
    }
    // Each thread keeps its Viterbi lattice from one sentence to the next (lindera's
    // `segment` builds a new one per call), and the text is segmented in place.
    thread_local! {
        static LATTICE: RefCell<Lattice> = RefCell::new(Lattice::default());
    }
    LATTICE.with_borrow_mut(|lattice| {
        let Ok(tokens) = segmenter().segment_with_lattice(Cow::Borrowed(text), lattice) else {
            return Vec::new();
        };
        tokens
            .into_iter()
            .map(|token| Token {
                start: token.byte_start + offset,
                end: token.byte_end + offset,
                surface: token.surface.into_owned(),
                details: details(token.word_id),
            })
            .collect()
    })
}

/// A token's features, borrowed from the embedded dictionary: what lindera's
/// `Token::details` gives, without tying them to the lifetime of the segmented text.
fn details(word_id: WordId) -> [&'static str; FIELDS] {
    if !word_id.is_system() && !word_id.is_unknown() {
        return read_details(word_id);
    }
    // Most tokens of a text are a few hundred common words, and reading a word's features
    // validates and splits its bytes each time: each thread keeps the last word seen in
    // each slot of a direct-mapped table.
    thread_local! {
        static RECENT: RefCell<RecentWords> = RefCell::new(RecentWords::new());
    }
    // Unknown-word entries (a few dozen) and dictionary words share the table, apart.
    let id = word_id.id() | (u32::from(word_id.is_unknown()) << 31);
    RECENT.with_borrow_mut(|recent| recent.get_or_read(id, || read_details(word_id)))
}

/// A direct-mapped cache of words' features: slot `id % RECENT_WORDS` holds the last word
/// seen with that slot. Entries are stored as their slots are first used, so a short text
/// only touches the memory of the slots it uses: every fresh page costs a page fault (2–4 µs
/// on the VM the benchmarks ran on), and filling the whole table up front (600 KiB) was a
/// tenth of the page faults of linting a one-line file.
struct RecentWords {
    /// Per slot, the index of its entry in `entries`; `NO_ENTRY` until the slot is used.
    entry_of_slot: Vec<u16>,
    entries: Vec<(u32, [&'static str; FIELDS])>,
}

/// Out of bounds of `entries`, which never holds more than `RECENT_WORDS` entries.
const NO_ENTRY: u16 = u16::MAX;

impl RecentWords {
    fn new() -> Self {
        RecentWords {
            entry_of_slot: vec![NO_ENTRY; RECENT_WORDS],
            entries: Vec::new(),
        }
    }

    #[inline]
    fn get_or_read(
        &mut self,
        id: u32,
        read: impl FnOnce() -> [&'static str; FIELDS],
    ) -> [&'static str; FIELDS] {
        let slot = id as usize % RECENT_WORDS;
        match self.entries.get_mut(usize::from(self.entry_of_slot[slot])) {
            Some(entry) => {
                if entry.0 != id {
                    *entry = (id, read());
                }
                entry.1
            }
            None => {
                let details = read();
                // One entry a slot: fewer than RECENT_WORDS < NO_ENTRY, so the index fits.
                self.entry_of_slot[slot] = self.entries.len() as u16;
                self.entries.push((id, details));
                details
            }
        }
    }
}

/// Slots of the per-thread table of recently seen words' features (fewer than `NO_ENTRY`).
const RECENT_WORDS: usize = 4096;

fn read_details(word_id: WordId) -> [&'static str; FIELDS] {
    let dictionary = &segmenter().dictionary;
    let id = word_id.id() as usize;
    let fields = if word_id.is_unknown() {
        dictionary.unknown_word_details_iter(id)
    } else if word_id.is_system() {
        dictionary.word_details_iter(id)
    } else {
        DetailFields::unk()
    };
    // Padded with `*` as lindera pads to the schema's field count.
    let mut details = ["*"; FIELDS];
    for (slot, field) in details.iter_mut().zip(fields) {
        *slot = field;
    }
    details
}

/// Base forms whose words do not all start with the base form, with the prefix they all
/// share: lines of `base\tstem`, sorted by base form (generated by `build.rs` from the
/// dictionary source).
static BASE_STEMS: &str = include_str!(concat!(env!("OUT_DIR"), "/ipadic_stems.txt"));

/// The text that every token with base form `base` contains: the longest prefix shared by
/// all the dictionary's words with that base form (思う → 思, する → empty). A word the
/// dictionary does not know has its surface as base form, which starts with `base` too.
pub fn base_stem(base: &str) -> &str {
    sorted_lines_lookup(BASE_STEMS, base).unwrap_or(base)
}

/// A table of tokens, one per line, for rule authors: surface, part of speech,
/// conjugation, base form, reading, and byte span.
pub fn token_table(tokens: &[Token]) -> String {
    let mut out = String::from("surface\tpos\tconj_type\tconj_form\tbase\treading\tbytes\n");
    for token in tokens {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}..{}\n",
            token.surface,
            token.pos_path(),
            token.conj_type(),
            token.conj_form(),
            token.base(),
            token.reading(),
            token.start,
            token.end
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_words_reads_each_word_once_until_its_slot_is_taken() {
        let mut recent = RecentWords::new();
        let features = |word: &'static str| [word; FIELDS];
        let reads = std::cell::Cell::new(0);
        let get = |recent: &mut RecentWords, id: u32, word: &'static str| {
            recent.get_or_read(id, || {
                reads.set(reads.get() + 1);
                features(word)
            })
        };
        assert_eq!(get(&mut recent, 7, "謝罪"), features("謝罪"));
        assert_eq!(get(&mut recent, 8, "原因"), features("原因"));
        assert_eq!(get(&mut recent, 7, "謝罪"), features("謝罪"));
        // Same slot as 7: it replaces 7, which must then be read again.
        let clash = 7 + RECENT_WORDS as u32;
        assert_eq!(get(&mut recent, clash, "対策"), features("対策"));
        assert_eq!(get(&mut recent, 7, "謝罪"), features("謝罪"));
        assert_eq!(get(&mut recent, 8, "原因"), features("原因"));
        assert_eq!(reads.get(), 4, "7, 8, the clash, and 7 again");
        assert_eq!(recent.entries.len(), 2, "one entry a slot");
    }

    #[test]
    fn tokenizes_with_ipadic_features_and_offsets() {
        let tokens = tokenize("対応を検討します。", 10);
        let surfaces: Vec<&str> = tokens.iter().map(|t| t.surface.as_str()).collect();
        assert_eq!(surfaces, ["対応", "を", "検討", "し", "ます", "。"]);
        let kentou = &tokens[2];
        assert_eq!((kentou.start, kentou.end), (10 + 9, 10 + 15));
        assert_eq!(kentou.pos_path(), "名詞,サ変接続,*,*");
        assert_eq!(tokens[3].base(), "する");
        assert_eq!(tokens[3].conj_type(), "サ変・スル");
        assert_eq!(tokens[4].reading(), "マス");
    }

    #[test]
    fn base_stems_are_shared_by_every_conjugated_form() {
        assert_eq!(base_stem("思う"), "思");
        assert_eq!(base_stem("いただく"), "いただ");
        assert_eq!(base_stem("する"), "");
        assert_eq!(base_stem("検討"), "検討");
        assert_eq!(base_stem("未知語ではない語"), "未知語ではない語");
        let text = "思わず思いました。ご連絡いただけず、いただいた資料も読まなかった。";
        for token in tokenize(text, 0) {
            let stem = base_stem(token.base());
            assert!(token.surface.starts_with(stem), "{token:?} has stem {stem}");
        }
    }

    #[test]
    fn every_base_in_the_stem_table_is_found() {
        let mut lines = 0;
        for line in BASE_STEMS.lines() {
            let (base, stem) = line.split_once('\t').expect("base\tstem");
            assert_eq!(base_stem(base), stem, "{line}");
            lines += 1;
        }
        assert!(lines > 10_000, "{lines} lines");
    }

    #[test]
    fn unknown_words_fall_back_to_surface_as_base() {
        let tokens = tokenize("ABC123", 0);
        assert!(!tokens.is_empty());
        assert!(tokens.iter().all(|t| t.base() == t.surface));
    }
}
