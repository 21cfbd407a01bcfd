//! Builds the IPADIC dictionary for lindera from the source shipped in `dict/`.
//!
//! lindera's own `embed-ipadic` feature downloads the dictionary at build time, which fails
//! on machines that reach only the package registries. Instead the repository carries
//! Debian's `mecab-ipadic` source (EUC-JP, xz-compressed); this script unpacks it, converts
//! it to UTF-8 and runs lindera's `DictionaryBuilder` into `OUT_DIR`. `src/tokenize.rs`
//! then embeds the result with `lindera_dictionary::embedded_dictionary!`, which reads the
//! `LINDERA_WORKDIR` variable set here. No network access, same dictionary everywhere.

use std::error::Error;
use std::fs;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::metadata::Metadata;

const SOURCE_ARCHIVE: &str = "dict/mecab-ipadic-2.7.0-20070801-eucjp.tar.xz";
const METADATA: &str = "dict/metadata.json";
/// Subdirectory of `LINDERA_WORKDIR` that `src/tokenize.rs` embeds.
const OUTPUT_SUBDIR: &str = "lindera-ipadic";

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed={SOURCE_ARCHIVE}");
    println!("cargo:rerun-if-changed={METADATA}");
    println!("cargo:rerun-if-changed=build.rs");

    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let source_dir = out_dir.join("ipadic-utf8");
    let dictionary_dir = out_dir.join(OUTPUT_SUBDIR);

    unpack_as_utf8(Path::new(SOURCE_ARCHIVE), &source_dir)?;
    let metadata: Metadata = serde_json::from_slice(&fs::read(METADATA)?)?;
    DictionaryBuilder::new(metadata).build_dictionary(&source_dir, &dictionary_dir)?;
    fs::remove_dir_all(&source_dir)?;

    println!("cargo:rustc-env=LINDERA_WORKDIR={}", out_dir.display());
    Ok(())
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
