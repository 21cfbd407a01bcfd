//! Packaging the VS Code extension (editors/vscode) with vsce. It needs npm and the npm
//! registry, which CI does not have, so it runs only when asked:
//! `cargo test --test vscode -- --ignored`.

use std::process::Command;

#[test]
#[ignore = "needs node, npm and the npm registry (CI has no internet)"]
fn the_vscode_extension_packages_as_a_vsix() {
    let dir = tempfile::tempdir().unwrap();
    let vsix = dir.path().join("kintsugi-lint.vsix");
    let status = Command::new("bash")
        .arg("editors/vscode/package.sh")
        .arg(&vsix)
        .status()
        .expect("bash runs");
    assert!(status.success(), "{status:?}");
    let bytes = std::fs::read(&vsix).expect("a .vsix was written");
    // A .vsix is a zip archive holding the extension's manifest and code.
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let names = String::from_utf8_lossy(&bytes);
    assert!(names.contains("extension/package.json"));
    assert!(names.contains("extension/extension.js"));
}
