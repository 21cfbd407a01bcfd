// Starts `kintsugi-lint server` for plain text, Markdown, HTML and .eml files. All the
// work is in the server; this only tells VS Code how to start it.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("kintsugi-lint");
  const command = settings.get("path", "kintsugi-lint");
  const args = ["server", ...settings.get("args", [])];
  const server = { command, args };
  client = new LanguageClient(
    "kintsugi-lint",
    "kintsugi-lint",
    { run: server, debug: server },
    {
      documentSelector: [
        { language: "plaintext" },
        { language: "markdown" },
        { language: "html" },
        { pattern: "**/*.eml" },
      ],
      // VS Code pulls diagnostics (textDocument/diagnostic); pushed ones would show twice.
      initializationOptions: { pushDiagnostics: false },
      // Config and rule files: the server re-lints open buffers when they change.
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.toml") },
    },
  );
  client.start().catch((err) => {
    vscode.window.showErrorMessage(
      `kintsugi-lint server を起動できません（${command}）: ${err.message}`,
    );
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
