-- Neovim as a real client of `kintsugi-lint server`: attaches the built-in LSP client to
-- the current buffer, waits for the diagnostics, prints them, asks for a hover on the
-- first one, and shuts the server down. Run through check.sh.
local bin = os.getenv("KINTSUGI_LINT_BIN")
local out = function(line) io.stdout:write(line .. "\n") end
local config = { name = "kintsugi-lint", cmd = { bin, "server" }, root_dir = vim.fn.getcwd() }

local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config) -- Neovim 0.8 and later
else
  client_id = vim.lsp.start_client(config) -- Neovim 0.7 (Debian 12)
  vim.lsp.buf_attach_client(0, client_id)
end

local received = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 20)
if not received then
  io.stderr:write("kintsugi-lint: no diagnostics received\n")
  vim.cmd("cquit 1")
end

local names = { "error", "warning", "info", "hint" }
local diagnostics = vim.diagnostic.get(0)
table.sort(diagnostics, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
out(string.format("nvim %s: %d diagnostics from kintsugi-lint server",
  tostring(vim.version().major .. "." .. vim.version().minor .. "." .. vim.version().patch), #diagnostics))
for _, d in ipairs(diagnostics) do
  local lsp = (d.user_data and d.user_data.lsp) or {}
  local code = d.code or lsp.code or "?"
  local message = vim.split(d.message, "\n")[1]
  out(string.format("%d:%d %s [%s] %s", d.lnum + 1, d.col + 1, names[d.severity], code, message))
end

-- A hover on the first finding: the rule's documentation.
local first = diagnostics[1]
local client = vim.lsp.get_client_by_id(client_id)
local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = first.lnum, character = first.col } }
local response = client.request_sync("textDocument/hover", params, 10000, 0)
if response and response.result then
  out("hover: " .. vim.split(response.result.contents.value, "\n")[1])
end

client.stop()
vim.wait(5000, function() return client.is_stopped() end, 20)
vim.cmd("qall!")
