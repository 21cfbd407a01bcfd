// The page of `kintsugi-lint serve`. The draft is only ever put into the page as text
// (textContent, DOM nodes): never as HTML, so a draft with <script> is shown as written.
'use strict';

const $ = (id) => document.getElementById(id);
const draft = $('draft');
const backdrop = $('backdrop');

const state = {
  linted: null,      // the text the current result is for
  result: null,
  kind: '',          // '' lets the server decide (its --kind, the config, or detection)
  format: 'txt',
  inflight: false,
  again: false,      // the text changed while a lint was in flight
  lastInput: 0,
  selected: -1,
};
// Keystroke-to-highlight times, for the browser test's latency log.
window.kintsugiTiming = [];

// A short wait after typing; most of the latency budget is the server's lint.
const DEBOUNCE_MS = 30;
let timer = 0;

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) {
    node.append(child);
  }
  return node;
}

function setStatus(text, problem) {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('problem', Boolean(problem));
}

function schedule() {
  state.lastInput = performance.now();
  clearTimeout(timer);
  timer = setTimeout(lintNow, DEBOUNCE_MS);
}

async function lintNow() {
  if (state.inflight) {
    state.again = true;
    return;
  }
  const text = draft.value;
  const since = state.lastInput;
  state.inflight = true;
  try {
    const response = await fetch('/api/lint', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text, kind: state.kind || null, format: state.format }),
    });
    const body = await response.json();
    if (!response.ok) {
      setStatus(body.error || '確認できませんでした', true);
    } else if (draft.value === text) {
      state.linted = text;
      state.result = body;
      render();
      window.kintsugiTiming.push({ ms: performance.now() - since, chars: text.length });
    }
  } catch (err) {
    setStatus('確認用のサーバーに接続できません。kintsugi-lint serve が動いているか確認してください', true);
  }
  state.inflight = false;
  if (state.again) {
    state.again = false;
    lintNow();
  }
}

function current() {
  return state.result && state.linted === draft.value ? state.result : null;
}

function render() {
  const result = state.result;
  renderBackdrop(result.findings);
  renderFindings(result.findings);
  renderChecklist(result);
  renderKind(result);
  const s = result.summary;
  const total = s.error + s.warning + s.info;
  $('counts').textContent = `${total} 件`;
  setStatus(total === 0
    ? (draft.value.trim() ? '指摘はありません。' : '下書きを入力してください。')
    : `指摘 ${total} 件（${severityCounts(s)}）。色の付いた箇所か右の一覧を選ぶと、理由と書き換え案が出ます。`);
  if (state.selected >= result.findings.length) {
    state.selected = -1;
  }
  document.body.dataset.lints = String(window.kintsugiTiming.length + 1);
}

// 「エラー 1・警告 2」: only the severities present.
function severityCounts(s) {
  return [['エラー', s.error], ['警告', s.warning], ['情報', s.info]]
    .filter(([, n]) => n > 0).map(([label, n]) => `${label} ${n}`).join('・');
}

// The highlights: the draft's text again, in a layer under the transparent textarea, with
// each finding wrapped in a <mark>. Overlapping findings keep the first.
function renderBackdrop(findings) {
  const text = state.linted;
  const nodes = [];
  let at = 0;
  // Where findings overlap, the narrower one is marked (a whole-sentence structure finding
  // would otherwise hide the word-level finding inside it); every finding stays listed.
  const taken = [];
  const byWidth = findings.map((f, i) => i).sort((a, b) =>
    (findings[a].end - findings[a].start) - (findings[b].end - findings[b].start));
  for (const i of byWidth) {
    const f = findings[i];
    if (f.end > f.start && !taken.some((j) => findings[j].start < f.end && f.start < findings[j].end)) {
      taken.push(i);
    }
  }
  taken.sort((a, b) => findings[a].start - findings[b].start);
  taken.forEach((i) => {
    const f = findings[i];
    nodes.push(document.createTextNode(text.slice(at, f.start)));
    const mark = el('mark', { className: f.severity + (i === state.selected ? ' selected' : '') });
    mark.dataset.index = String(i);
    mark.textContent = text.slice(f.start, f.end);
    nodes.push(mark);
    at = f.end;
  });
  // A final line break needs something after it to take up its line.
  nodes.push(document.createTextNode(text.slice(at) + '\u200b'));
  backdrop.replaceChildren(...nodes);
  backdrop.scrollTop = draft.scrollTop;
}

function renderFindings(findings) {
  const items = findings.map((f, i) => {
    const button = el('button', { type: 'button', className: f.severity },
      el('span', { className: 'badge ' + f.severity, textContent: f.severity_label }),
      f.message, ' ',
      el('span', { className: 'quote', textContent: `「${f.text}」${f.line}行目` }));
    button.addEventListener('click', () => select(i, true));
    return el('li', {}, button);
  });
  $('findings').replaceChildren(...items);
}

function renderChecklist(result) {
  const note = $('checklist-note');
  if (!result.kind) {
    note.textContent = '文書の種類が決まると、必要な項目がここに並びます（上で種類を選べます）。';
    $('checklist').replaceChildren();
    return;
  }
  note.textContent = `${result.kind.name}に必要な項目（この順に書きます）`;
  const items = result.checklist.map((item) => {
    const li = el('li', {});
    li.dataset.part = item.id;
    li.dataset.status = item.status;
    const symbol = { present: '✔', attempt: '△', missing: '✘' }[item.status];
    const cls = { present: 'mark-ok', attempt: 'mark-part', missing: 'mark-ng' }[item.status];
    li.append(el('span', { className: cls, textContent: symbol, title: item.status }));
    li.append(el('span', { className: 'name', textContent: item.status === 'attempt'
      ? `${item.name}（仕組みが書かれていません）` : item.name }));
    if (item.span) {
      const jump = el('button', { type: 'button', textContent: '該当箇所へ' });
      jump.addEventListener('click', () => reveal(item.span.start, item.span.end));
      li.append(jump);
    }
    if (item.status === 'missing') {
      const insert = el('button', { type: 'button', className: 'primary', textContent: '型を挿入' });
      insert.title = item.template;
      insert.addEventListener('click', () => insertTemplate(item));
      li.append(insert);
    }
    return li;
  });
  $('checklist').replaceChildren(...items);
}

function renderKind(result) {
  const select = $('kind');
  if (select.options.length === 1) {
    for (const kind of result.kinds) {
      select.append(el('option', { value: kind.id, textContent: kind.name }));
    }
  }
  select.value = state.kind;
  const how = { detected: '本文から判定', comment: '文中の指定', configured: '設定で指定' };
  $('kind-note').textContent = result.kind
    ? `いまの判定: ${result.kind.name}（${how[result.kind.source] || result.kind.source}）`
    : 'いまの判定: 種類なし（短いメモとして確認）';
}

// Puts the caret on a span and scrolls it into view.
function reveal(start, end) {
  draft.focus();
  draft.setSelectionRange(start, end);
  // Scroll so the selection is visible: measure through the backdrop's mark if any.
  const before = draft.value.slice(0, start).split('\n').length - 1;
  const lineHeight = parseFloat(getComputedStyle(draft).lineHeight) || 30;
  draft.scrollTop = Math.max(0, before * lineHeight - draft.clientHeight / 3);
  backdrop.scrollTop = draft.scrollTop;
}

function select(i, moveCaret) {
  const result = current();
  if (!result || !result.findings[i]) {
    return;
  }
  state.selected = i;
  const f = result.findings[i];
  if (moveCaret) {
    reveal(f.start, f.end);
  }
  renderBackdrop(result.findings);
  showDetail(f);
}

function showDetail(f) {
  const body = $('detail-body');
  const parts = [
    el('p', {}, el('span', { className: 'badge ' + f.severity, textContent: f.severity_label }),
      el('strong', { textContent: f.message })),
    el('p', { className: 'quote', textContent: `該当: 「${f.text}」（${f.line}行目）` }),
    el('p', { className: 'why', textContent: f.help }),
  ];
  f.suggestions.forEach((s) => parts.push(rewriteBlock(f, s)));
  if (f.suggestions.length === 0) {
    parts.push(el('p', { className: 'note', textContent: '書き換え案はありません。上の説明に沿って書き直してください。' }));
  }
  body.replaceChildren(...parts);
  $('detail').hidden = false;
}

// A slot that names a moment gets a date/time picker; others a text field.
function isDateSlot(name) {
  return /期限|日時|期日|時刻|日付|いつ/.test(name);
}

// 2026-12-05T15:00 → 12月5日（土）15時, as a Japanese letter writes a deadline.
function japaneseDate(value) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return value;
  }
  const week = '日月火水木金土'[date.getDay()];
  let out = `${date.getMonth() + 1}月${date.getDate()}日（${week}）`;
  if (value.includes('T')) {
    out += `${date.getHours()}時` + (date.getMinutes() ? `${date.getMinutes()}分` : '');
  }
  return out;
}

function fill(replacement, values) {
  return replacement.replace(/\{([^{}]+)\}/g, (all, name) => values[name] || all);
}

function rewriteBlock(f, s) {
  const block = el('div', { className: 'rewrite' });
  const preview = el('span', { className: 'text', textContent: s.replacement });
  const apply = el('button', { type: 'button', className: 'primary' });
  apply.textContent = s.slots.length ? '欄を埋めて書き換える' : 'この書き換えを適用';
  const values = {};
  block.append(el('span', { className: 'note', textContent: '書き換え案' }), preview);
  for (const slot of s.slots) {
    const input = el('input', { type: isDateSlot(slot) ? 'datetime-local' : 'text' });
    input.dataset.slot = slot;
    input.addEventListener('input', () => {
      values[slot] = input.type === 'datetime-local' ? japaneseDate(input.value) : input.value.trim();
      preview.textContent = fill(s.replacement, values);
      apply.disabled = s.slots.some((name) => !values[name]);
    });
    block.append(el('label', {}, `${slot}: `, input));
  }
  apply.disabled = s.slots.length > 0;
  if (s.applicability !== 'safe') {
    block.append(el('p', { className: 'caution', textContent: '意味が変わることがあります。適用後に読み直してください。' }));
  }
  apply.addEventListener('click', () => replaceFinding(f, fill(s.replacement, values)));
  block.append(apply);
  return block;
}

function replaceFinding(f, replacement) {
  if (draft.value.slice(f.start, f.end) !== f.text) {
    setStatus('下書きが変わったため書き換えませんでした。もう一度指摘を選んでください。', true);
    return;
  }
  replaceRange(f.start, f.end, replacement);
  $('detail').hidden = true;
  state.selected = -1;
}

// Replaces text as typing would, so Ctrl+Z undoes it.
function replaceRange(start, end, text) {
  draft.focus();
  draft.setSelectionRange(start, end);
  if (!document.execCommand('insertText', false, text)) {
    draft.setRangeText(text, start, end, 'end');
  }
  schedule();
}

function insertTemplate(item) {
  if (!current()) {
    return;
  }
  const at = item.insert_at;
  const value = draft.value;
  const before = at > 0 && value[at - 1] !== '\n' ? '\n' : '';
  const text = before + item.template + '\n';
  replaceRange(at, at, text);
  draft.setSelectionRange(at + before.length, at + before.length + item.template.length);
  setStatus(`「${item.name}」の型を入れました。{…} の部分を書き換えてください。`);
}

// The finding under the caret, when the writer clicks or moves in the text.
function findingAtCaret() {
  const result = current();
  if (!result) {
    return;
  }
  const at = draft.selectionStart;
  const i = result.findings.findIndex((f) => f.start <= at && at <= f.end);
  if (i >= 0 && i !== state.selected) {
    select(i, false);
  }
}

async function openFile(file) {
  if (draft.value.trim() && !window.confirm('いまの下書きを、開いたファイルの内容で置き換えますか？')) {
    return;
  }
  try {
    const response = await fetch('/api/decode?name=' + encodeURIComponent(file.name), {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: await file.arrayBuffer(),
    });
    const body = await response.json();
    if (!response.ok) {
      setStatus(body.error || 'ファイルを開けませんでした', true);
      return;
    }
    draft.value = body.text;
    state.format = body.format;
    setStatus(`${file.name} を開きました（${body.encoding || 'メール'}）。`);
    schedule();
  } catch (err) {
    setStatus('ファイルを開けませんでした: ' + err, true);
  }
}

async function copyAll() {
  try {
    await navigator.clipboard.writeText(draft.value);
  } catch (err) {
    draft.select();
    document.execCommand('copy');
  }
  setStatus('全文をコピーしました。メールやフォームに貼り付けてください。');
}

function download() {
  const blob = new Blob([draft.value], { type: 'text/plain;charset=utf-8' });
  const link = el('a', { href: URL.createObjectURL(blob), download: state.format === 'md' ? 'draft.md' : 'draft.txt' });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

draft.addEventListener('input', schedule);
draft.addEventListener('scroll', () => { backdrop.scrollTop = draft.scrollTop; });
draft.addEventListener('click', findingAtCaret);
draft.addEventListener('keyup', (event) => {
  if (event.key.startsWith('Arrow') || event.key === 'Home' || event.key === 'End') {
    findingAtCaret();
  }
});
$('kind').addEventListener('change', (event) => { state.kind = event.target.value; schedule(); });
$('file').addEventListener('change', (event) => {
  if (event.target.files[0]) {
    openFile(event.target.files[0]);
  }
  event.target.value = '';
});
$('copy').addEventListener('click', copyAll);
$('download').addEventListener('click', download);
lintNow();
