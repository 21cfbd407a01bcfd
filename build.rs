//! Builds the IPADIC dictionary for lindera from the source shipped in `dict/`.
//!
//! lindera's own `embed-ipadic` feature downloads the dictionary at build time, which fails
//! on machines that reach only the package registries. Instead the repository carries
//! Debian's `mecab-ipadic` source (EUC-JP, xz-compressed); this script unpacks it, converts
//! it to UTF-8 and runs lindera's `DictionaryBuilder` into `OUT_DIR`. `src/tokenize.rs`
//! then embeds the result with `lindera_dictionary::embedded_dictionary!`, which reads the
//! `LINDERA_WORKDIR` variable set here. No network access, same dictionary everywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;
use std::fs;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::metadata::Metadata;

// The prefilter's literal extraction, shared with the library: the build computes it for
// the built-in patterns (see `write_regex_literals`).
#[allow(dead_code)]
#[path = "src/engine/literals.rs"]
mod literals;

const SOURCE_ARCHIVE: &str = "dict/mecab-ipadic-2.7.0-20070801-eucjp.tar.xz";
const METADATA: &str = "dict/metadata.json";
/// Subdirectory of `LINDERA_WORKDIR` that `src/tokenize.rs` embeds.
const OUTPUT_SUBDIR: &str = "lindera-ipadic";

/// Directory of built-in rule files, embedded into the binary.
const RULES_DIR: &str = "rules";

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed={SOURCE_ARCHIVE}");
    println!("cargo:rerun-if-changed={METADATA}");
    println!("cargo:rerun-if-changed={RULES_DIR}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/engine/literals.rs");

    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    build_dictionary(&out_dir)?;
    let rule_files = write_builtin_rules(&out_dir)?;
    write_regex_literals(&rule_files, &out_dir)?;
    println!("cargo:rustc-env=LINDERA_WORKDIR={}", out_dir.display());
    Ok(())
}

/// Builds the dictionary unless this `OUT_DIR` already holds one built from the same
/// archive (the script also reruns when only a rule file changed).
fn build_dictionary(out_dir: &Path) -> Result<(), Box<dyn Error>> {
    let dictionary_dir = out_dir.join(OUTPUT_SUBDIR);
    let stamp_path = out_dir.join("dictionary.stamp");
    // The version names what this script derives from the source besides the dictionary.
    let stamp = format!(
        "v3 {} {}",
        fs::metadata(SOURCE_ARCHIVE)?.len(),
        fs::read_to_string(METADATA)?.len()
    );
    if fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp) {
        return Ok(());
    }
    let source_dir = out_dir.join("ipadic-utf8");
    unpack_as_utf8(Path::new(SOURCE_ARCHIVE), &source_dir)?;
    write_feature_lists(&source_dir, out_dir)?;
    write_base_stems(&source_dir, out_dir)?;
    let metadata: Metadata = serde_json::from_slice(&fs::read(METADATA)?)?;
    DictionaryBuilder::new(metadata).build_dictionary(&source_dir, &dictionary_dir)?;
    fs::remove_dir_all(&source_dir)?;
    fs::write(stamp_path, stamp)?;
    Ok(())
}

/// Calls `each` with the comma-separated fields of every entry of the dictionary's CSV files.
fn for_each_entry(source_dir: &Path, mut each: impl FnMut(&[&str])) -> Result<(), Box<dyn Error>> {
    for entry in fs::read_dir(source_dir)? {
        let path = entry?.path();
        if path.extension().is_none_or(|ext| ext != "csv") {
            continue;
        }
        for line in fs::read_to_string(&path)?.lines() {
            let fields: Vec<&str> = line.split(',').collect();
            each(&fields);
        }
    }
    Ok(())
}

/// Writes the parts of speech and conjugation types/forms that occur in the dictionary,
/// one per line, so that rule files naming a value IPADIC never produces can be rejected.
fn write_feature_lists(source_dir: &Path, out_dir: &Path) -> Result<(), Box<dyn Error>> {
    let mut pos = BTreeSet::new();
    let mut conj_types = BTreeSet::new();
    let mut conj_forms = BTreeSet::new();
    for_each_entry(source_dir, |fields| {
        if fields.len() >= 10 {
            pos.insert(fields[4..8].join(","));
            conj_types.insert(fields[8].to_owned());
            conj_forms.insert(fields[9].to_owned());
        }
    })?;
    // Unknown words get their features from unk.def; include those too.
    for line in fs::read_to_string(source_dir.join("unk.def"))?.lines() {
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() >= 8 {
            pos.insert(fields[4..8].join(","));
        }
    }
    let join = |set: BTreeSet<String>| set.into_iter().collect::<Vec<_>>().join("\n");
    fs::write(out_dir.join("ipadic_pos.txt"), join(pos))?;
    fs::write(out_dir.join("ipadic_conj_types.txt"), join(conj_types))?;
    fs::write(out_dir.join("ipadic_conj_forms.txt"), join(conj_forms))?;
    Ok(())
}

/// Writes `ipadic_stems.txt`, sorted lines of `base\tstem`: for each base form whose words do
/// not all start with it (conjugating words: 思う → 思わ, 思い, 思っ), the longest prefix that
/// every surface with that base form shares (思). The engine's prefilter uses it to know
/// which text a token with a given base form must contain, before tokenizing.
fn write_base_stems(source_dir: &Path, out_dir: &Path) -> Result<(), Box<dyn Error>> {
    let mut stems: BTreeMap<String, String> = BTreeMap::new();
    for_each_entry(source_dir, |fields| {
        let (Some(&surface), Some(&base)) = (fields.first(), fields.get(10)) else {
            return;
        };
        // A base form of `*` reads as the surface (as `Token::base` does).
        let base = if base == "*" { surface } else { base };
        let stem = stems
            .entry(base.to_owned())
            .or_insert_with(|| base.to_owned());
        let shared = common_prefix(stem, surface).len();
        stem.truncate(shared);
    })?;
    // Plain text, not a Rust table of string pairs: a static table of 16,000 pointers would
    // be relocated by the loader at every start of the program.
    let mut text = String::new();
    for (base, stem) in stems.iter().filter(|(base, stem)| base != stem) {
        text.push_str(&format!("{base}\t{stem}\n"));
    }
    fs::write(out_dir.join("ipadic_stems.txt"), text)?;
    Ok(())
}

/// The longest common prefix of `a` and `b`, on character boundaries.
fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let len = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    &a[..len]
}

/// Generates `builtin_rules.rs`: a `&[(path, contents, contents without examples)]` of every
/// `rules/*.toml`, so a new rule file is picked up without touching code. Returns the
/// files, parsed.
fn write_builtin_rules(out_dir: &Path) -> Result<Vec<toml::Table>, Box<dyn Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let mut files: Vec<PathBuf> = fs::read_dir(manifest_dir.join(RULES_DIR))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let stripped_dir = out_dir.join("rules-without-examples");
    fs::create_dir_all(&stripped_dir)?;
    let mut code = String::from("&[\n");
    let mut tables = Vec::with_capacity(files.len());
    for file in &files {
        let name = file
            .file_name()
            .ok_or("rule file without a name")?
            .to_string_lossy();
        let text = fs::read_to_string(file)?;
        let table: toml::Table =
            toml::from_str(&text).map_err(|err| format!("{}: {err}", file.display()))?;
        let stripped = stripped_dir.join(name.as_ref());
        fs::write(&stripped, without_examples(file, &text, &table))?;
        tables.push(table);
        code.push_str(&format!(
            "    ({:?}, include_str!({:?}), include_str!({:?})),\n",
            format!("{RULES_DIR}/{name}"),
            file.display().to_string(),
            stripped.display().to_string()
        ));
    }
    code.push(']');
    fs::write(out_dir.join("builtin_rules.rs"), code)?;
    Ok(tables)
}

/// The text of a rule file with every `[[rule.example]]` table turned into blank lines (so
/// that line numbers stay). Linting parses the built-in files at every start and never reads
/// the examples, which are 40% of the text; the harness and `rule ID` load the full files.
/// When the result does not parse to the file without its examples (a header written some
/// other way), the full text is used.
fn without_examples(file: &Path, text: &str, table: &toml::Table) -> String {
    let stripped = blank_example_tables(text);
    let mut expected = table.clone();
    if let Some(toml::Value::Array(rules)) = expected.get_mut("rule") {
        for rule in rules.iter_mut().filter_map(toml::Value::as_table_mut) {
            rule.remove("example");
        }
    }
    if toml::from_str::<toml::Table>(&stripped).ok() == Some(expected) {
        stripped
    } else {
        println!(
            "cargo:warning={}: examples could not be stripped; linting parses them too",
            file.display()
        );
        text.to_owned()
    }
}

/// Blanks the lines of each `[[rule.example]]` table: from its header to the next table
/// header outside a multi-line string.
fn blank_example_tables(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_example = false;
    let mut open_string: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        if open_string.is_none() && line.starts_with('[') {
            in_example = line.trim_end() == "[[rule.example]]";
        }
        for delimiter in ["\"\"\"", "'''"] {
            let toggles = line.matches(delimiter).count() % 2 == 1;
            if toggles && open_string.is_none_or(|open| open == delimiter) {
                open_string = if open_string.is_some() {
                    None
                } else {
                    Some(delimiter)
                };
            }
        }
        if in_example {
            out.push_str(if line.ends_with('\n') { "\n" } else { "" });
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Keys whose strings are regexes the prefilter reads literals off: a rule's `regex`, and
/// the `cues` and `signals` of document elements and kinds. Any string written `/…/` is a
/// token regex.
const REGEX_KEYS: [&str; 3] = ["regex", "cues", "signals"];

/// Writes `regex_literals.txt`: for every regex of the built-in rule files, sorted lines of
/// `literals::table_line`, which the prefilter looks up instead of parsing the regex at every
/// start. A pattern missing from the table is parsed then, with the same result.
fn write_regex_literals(rule_files: &[toml::Table], out_dir: &Path) -> Result<(), Box<dyn Error>> {
    let mut patterns = BTreeSet::new();
    for table in rule_files {
        for (key, value) in table {
            collect_regexes(key, value, &mut patterns);
        }
    }
    let mut lines: Vec<String> = patterns.iter().map(|p| literals::table_line(p)).collect();
    lines.sort();
    fs::write(out_dir.join("regex_literals.txt"), lines.concat())?;
    Ok(())
}

fn collect_regexes(key: &str, value: &toml::Value, patterns: &mut BTreeSet<String>) {
    match value {
        toml::Value::String(text) => {
            if REGEX_KEYS.contains(&key) {
                patterns.insert(text.clone());
            }
            if let Some(body) = text.strip_prefix('/').and_then(|t| t.strip_suffix('/')) {
                patterns.insert(body.to_owned());
            }
        }
        toml::Value::Array(items) => {
            for item in items {
                collect_regexes(key, item, patterns);
            }
        }
        toml::Value::Table(table) => {
            for (key, value) in table {
                collect_regexes(key, value, patterns);
            }
        }
        _ => {}
    }
}

/// Unpacks the xz tarball into `dest`, re-encoding every file from EUC-JP to UTF-8.
fn unpack_as_utf8(archive: &Path, dest: &Path) -> Result<(), Box<dyn Error>> {
    let mut tar_bytes = Vec::new();
    lzma_rs::xz_decompress(
        &mut BufReader::new(fs::File::open(archive)?),
        &mut tar_bytes,
    )?;
    fs::create_dir_all(dest)?;
    let mut entries = tar::Archive::new(tar_bytes.as_slice());
    for entry in entries.entries()? {
        let mut entry = entry?;
        let name = entry
            .path()?
            .file_name()
            .ok_or("archive entry without a file name")?
            .to_owned();
        let mut raw = Vec::new();
        entry.read_to_end(&mut raw)?;
        let (text, _, had_errors) = encoding_rs::EUC_JP.decode(&raw);
        if had_errors {
            return Err(format!("{name:?} in {archive:?} is not valid EUC-JP").into());
        }
        fs::write(dest.join(name), text.as_bytes())?;
    }
    Ok(())
}
