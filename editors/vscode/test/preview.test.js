// "defuse: Open Preview" without VS Code: `vscode` is a fake that records the webview's html
// and messages, the server a function answering `defuse/preview`, and timers node's mock ones.
'use strict';

const assert = require('node:assert/strict');
const Module = require('node:module');
const test = require('node:test');

const manifest = require('../package.json');
const { Preview, METHOD, DEBOUNCE_MS, hasStrictPolicy } = require('../preview');

const SCRIPT_URI = 'file:///w/scripts/refund.defuse';
const CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-x'; script-src 'sha256-y'; base-uri 'none'; form-action 'none'">`;

function page(text, selected) {
  const mark = (id) => (id === selected ? ' data-selected=""' : '');
  return `<html><head>${CSP}</head><body><g class="node" data-node="a"${mark('a')}></g><g class="node" data-node="b"${mark('b')}></g>${text}</body></html>`;
}

function uri(text) {
  return { toString: () => text, fsPath: text.replace('file://', ''), path: text.replace('file://', '') };
}

function fakeDocument(text = SCRIPT_URI, languageId = 'defuse') {
  return { uri: uri(text), languageId };
}

/** A fake `vscode`, an editor on the script, and what the fakes saw. */
function fakes() {
  const seen = { panels: [], shown: [], infos: [] };
  const document = fakeDocument();
  const editor = { document, selection: { active: { line: 3, character: 4 } }, viewColumn: 1 };
  class Range {
    constructor(startLine, startCharacter, endLine, endCharacter) {
      Object.assign(this, { startLine, startCharacter, endLine, endCharacter });
    }
  }
  const vscode = {
    ViewColumn: { One: 1, Beside: -2 },
    TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
    Range,
    Uri: { parse: (text) => uri(text) },
    window: {
      activeTextEditor: editor,
      visibleTextEditors: [editor],
      showInformationMessage: async (message) => seen.infos.push(message),
      createWebviewPanel: (viewType, title, showOptions, options) => {
        const panel = {
          viewType,
          title,
          showOptions,
          options,
          messages: [],
          htmlSets: 0,
          listeners: {},
          webview: {
            _html: '',
            get html() {
              return this._html;
            },
            set html(value) {
              panel.htmlSets += 1;
              this._html = value;
            },
            postMessage: (message) => panel.messages.push(message),
            onDidReceiveMessage: (listener) => {
              panel.listeners.message = listener;
            },
          },
          reveal: () => {},
          onDidDispose: (listener) => {
            panel.listeners.dispose = listener;
          },
          dispose: () => panel.listeners.dispose(),
        };
        seen.panels.push(panel);
        return panel;
      },
      showTextDocument: async (target, options) => {
        const opened = { revealed: null, revealRange: (range) => (opened.revealed = range) };
        seen.shown.push({ uri: target.toString(), options, editor: opened });
        return opened;
      },
    },
  };
  return { vscode, seen, editor, document };
}

/** A server whose next answers are `answers` (in order); records each request. */
function fakeServer(answers) {
  const requests = [];
  const request = async (method, params) => {
    requests.push({ method, params: JSON.parse(JSON.stringify(params)) });
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { requests, request };
}

const GOOD = {
  version: 1,
  html: page('first', 'a'),
  selected: 'a',
  definitions: { a: { uri: SCRIPT_URI, range: { start: { line: 5, character: 14 }, end: { line: 5, character: 15 } } } },
};

async function settle() {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

test('the manifest registers "defuse: Open Preview" with a button on defuse editors', () => {
  const command = manifest.contributes.commands.find((c) => c.command === 'defuse.openPreview');
  assert.ok(command, 'defuse.openPreview is declared');
  assert.equal(`${command.category}: ${command.title}`, 'defuse: Open Preview');
  const [button] = manifest.contributes.menus['editor/title'];
  assert.deepEqual(button, { command: 'defuse.openPreview', when: 'editorLangId == defuse', group: 'navigation' });
  assert.ok(command.icon, 'the editor-title button has an icon');
});

test('activate registers the command and listens to edits, the cursor and the active editor', async () => {
  const registered = new Map();
  const listened = [];
  const on = (name) => () => {
    listened.push(name);
    return { dispose() {} };
  };
  const vscode = {
    workspace: {
      workspaceFolders: undefined,
      getConfiguration: () => ({ get: () => undefined }),
      createFileSystemWatcher: () => ({}),
      onDidChangeConfiguration: on('configuration'),
      onDidChangeTextDocument: on('document'),
    },
    window: {
      createOutputChannel: () => ({ dispose() {} }),
      showErrorMessage: async () => undefined,
      onDidChangeTextEditorSelection: on('selection'),
      onDidChangeActiveTextEditor: on('editor'),
    },
    commands: { registerCommand: (id, handler) => registered.set(id, handler) && { dispose() {} } },
  };
  class FakeLanguageClient {
    async start() {}
    async stop() {}
  }
  const realLoad = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return vscode;
    if (request === 'vscode-languageclient/node') return { LanguageClient: FakeLanguageClient };
    return realLoad.call(this, request, parent, isMain);
  };
  try {
    for (const file of ['../extension.js', '../preview.js']) delete require.cache[require.resolve(file)];
    const extension = require('../extension.js');
    await extension.activate({ subscriptions: [] });
  } finally {
    Module._load = realLoad;
  }
  assert.ok(registered.has('defuse.openPreview'));
  assert.deepEqual(listened.sort(), ['configuration', 'document', 'editor', 'selection']);
});

test('opening asks for the page at the cursor and shows it beside the editor, scripts on, no files', async () => {
  const { vscode, seen } = fakes();
  const server = fakeServer([GOOD]);
  const preview = new Preview(vscode, server.request);
  await preview.open();
  const [panel] = seen.panels;
  assert.equal(panel.viewType, 'defuse.preview');
  assert.equal(panel.showOptions.viewColumn, vscode.ViewColumn.Beside);
  assert.equal(panel.showOptions.preserveFocus, true);
  assert.deepEqual(panel.options, { enableScripts: true, enableCommandUris: false, localResourceRoots: [] });
  assert.deepEqual(server.requests, [
    { method: METHOD, params: { textDocument: { uri: SCRIPT_URI }, position: { line: 3, character: 4 } } },
  ]);
  assert.equal(panel.webview.html, GOOD.html);
});

test('edits refresh the page after the debounce, not on each keystroke', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { vscode, seen, document } = fakes();
  const server = fakeServer([GOOD, { ...GOOD, version: 4, html: page('typed', 'a') }]);
  const preview = new Preview(vscode, server.request, { setTimeout, clearTimeout });
  await preview.open();
  for (let i = 0; i < 3; i += 1) {
    preview.documentChanged({ document });
    t.mock.timers.tick(DEBOUNCE_MS - 1);
  }
  assert.equal(server.requests.length, 1, 'no request while the writer types');
  // Another language's buffer changes nothing.
  preview.documentChanged({ document: fakeDocument('file:///w/notes.md', 'markdown') });
  t.mock.timers.tick(DEBOUNCE_MS);
  await settle();
  assert.equal(server.requests.length, 2);
  assert.match(seen.panels[0].webview.html, /typed/);
});

test('a broken script keeps the last good page under a banner; the next good page replaces both', async () => {
  const { vscode, seen } = fakes();
  const broken = { version: 2, html: null, message: 'The preview waits for 1 error to be fixed: line 3: …' };
  const server = fakeServer([GOOD, broken, GOOD, { ...GOOD, version: 5, html: page('fixed', 'a') }]);
  const preview = new Preview(vscode, server.request);
  await preview.open();
  const panel = seen.panels[0];
  await preview.refresh();
  assert.equal(panel.webview.html, GOOD.html, 'the last good page stays');
  assert.deepEqual(panel.messages, [{ type: 'status', message: broken.message }]);
  // Fixed back to the same page: the banner goes, the page is not reloaded.
  await preview.refresh();
  assert.deepEqual(panel.messages.at(-1), { type: 'status', message: null });
  assert.equal(panel.htmlSets, 1);
  await preview.refresh();
  assert.match(panel.webview.html, /fixed/);
  assert.equal(panel.htmlSets, 2);
});

test('before any good page, the reason is a page of its own: escaped, no script, nothing loaded', async () => {
  const { vscode, seen } = fakes();
  const server = fakeServer([{ version: 1, html: null, message: 'line 2: <img src=x onerror=alert(1)>' }]);
  const preview = new Preview(vscode, server.request);
  await preview.open();
  const html = seen.panels[0].webview.html;
  assert.ok(hasStrictPolicy(html), html);
  assert.ok(!html.includes('<img') && html.includes('&#60;img'), html);
  assert.ok(!html.includes('<script'), html);
});

test('a server that fails or is not running is a banner, not an exception', async () => {
  const { vscode, seen } = fakes();
  const server = fakeServer([GOOD, new Error('the language server is not running')]);
  const preview = new Preview(vscode, server.request);
  await preview.open();
  await preview.refresh();
  assert.deepEqual(seen.panels[0].messages, [
    { type: 'status', message: 'The preview is not available: the language server is not running' },
  ]);
});

test('a moved cursor selects its node in the page shown instead of reloading it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { vscode, seen, editor } = fakes();
  const server = fakeServer([GOOD, { ...GOOD, html: page('first', 'b'), selected: 'b' }]);
  const preview = new Preview(vscode, server.request, { setTimeout, clearTimeout });
  await preview.open();
  editor.selection = { active: { line: 9, character: 0 } };
  preview.selectionChanged({ textEditor: editor });
  t.mock.timers.tick(DEBOUNCE_MS);
  await settle();
  const panel = seen.panels[0];
  assert.deepEqual(server.requests[1].params.position, { line: 9, character: 0 });
  assert.equal(panel.htmlSets, 1, 'the page is not reloaded');
  assert.deepEqual(panel.messages, [
    { type: 'status', message: null },
    { type: 'select', node: 'b' },
  ]);
  // The cursor in another file's editor asks nothing.
  preview.selectionChanged({ textEditor: { document: fakeDocument('file:///w/other.defuse') } });
  t.mock.timers.tick(DEBOUNCE_MS);
  await settle();
  assert.equal(server.requests.length, 2);
});

test('a click on a box reveals and selects the node definition; other messages do nothing', async () => {
  const { vscode, seen } = fakes();
  const preview = new Preview(vscode, fakeServer([GOOD]).request);
  await preview.open();
  const receive = seen.panels[0].listeners.message;
  await receive({ type: 'reveal', node: 'a' });
  const [shown] = seen.shown;
  assert.equal(shown.uri, SCRIPT_URI);
  assert.equal(shown.options.viewColumn, 1, 'in the editor beside the preview');
  const range = { startLine: 5, startCharacter: 14, endLine: 5, endCharacter: 15 };
  assert.deepEqual({ ...shown.options.selection }, range);
  assert.deepEqual({ ...shown.editor.revealed }, range);
  for (const message of [{ type: 'reveal', node: 'nowhere' }, { type: 'reveal', node: '__proto__' }, { type: 'run' }, null, 'reveal']) {
    await receive(message);
  }
  assert.equal(seen.shown.length, 1);
});

test('a page without a strict Content-Security-Policy is not shown', async () => {
  const { vscode, seen } = fakes();
  const server = fakeServer([{ ...GOOD, html: '<html><body><script>fetch("https://x")</script></body></html>' }]);
  const preview = new Preview(vscode, server.request);
  await preview.open();
  assert.ok(!seen.panels[0].webview.html.includes('fetch('));
  assert.match(seen.panels[0].webview.html, /no strict Content-Security-Policy/);
});

test('open without a defuse editor says so; closing the panel stops the refreshes', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { vscode, seen, document } = fakes();
  const server = fakeServer([GOOD]);
  const preview = new Preview(vscode, server.request, { setTimeout, clearTimeout });
  vscode.window.activeTextEditor = { document: fakeDocument('file:///w/a.md', 'markdown') };
  await preview.open();
  assert.equal(seen.panels.length, 0);
  assert.equal(seen.infos.length, 1);
  vscode.window.activeTextEditor = vscode.window.visibleTextEditors[0];
  await preview.open();
  preview.documentChanged({ document });
  seen.panels[0].dispose();
  t.mock.timers.tick(DEBOUNCE_MS);
  await settle();
  assert.equal(server.requests.length, 1);
});
