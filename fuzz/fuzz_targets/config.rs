//! Arbitrary TOML as a kintsugi.toml: parses or returns a located error, never panics.
#![no_main]

use std::path::Path;

use kintsugi_lint::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(content) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(Path::new("project/kintsugi.toml"), content) {
        Ok(config) => {
            let _ = config.walk_includes(Path::new("project/a/b.txt"));
            let _ = config.kind_for(Path::new("project/a/b.md"));
        }
        Err(err) => {
            let _ = format!("{:?}", miette::Report::new(*err));
        }
    }
});
