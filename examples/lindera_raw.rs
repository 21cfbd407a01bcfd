//! The floor for the benchmarks in `bench/`: lindera segmentation alone, with the same
//! embedded IPADIC the linter uses (`kintsugi_lint::tokenize::segmenter`), on one thread.
//!
//! usage: cargo run --release --example lindera_raw -- [--details] FILE...
//!
//! Each line (a paragraph) is segmented on its own; `--details` also reads every token's
//! dictionary features, which a rule engine needs at least. Prints what it did on stderr.

use std::borrow::Cow;
use std::time::Instant;

fn main() {
    let started = Instant::now();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let details = args.iter().any(|a| a == "--details");
    let segmenter = kintsugi_lint::tokenize::segmenter();
    let (mut bytes, mut tokens, mut nouns) = (0usize, 0usize, 0usize);
    for path in args.iter().filter(|a| *a != "--details") {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"));
        bytes += text.len();
        for line in text.lines() {
            let segmented = segmenter
                .segment(Cow::Borrowed(line))
                .expect("segmentation does not fail on valid UTF-8");
            for mut token in segmented {
                tokens += 1;
                if details && token.get_detail(0) == Some("名詞") {
                    nouns += 1;
                }
            }
        }
    }
    eprintln!(
        "bytes={bytes} tokens={tokens} nouns={nouns} seconds={:.3}",
        started.elapsed().as_secs_f64()
    );
}
