// The client's contract with `defuse lsp`, checked without VS Code: `vscode` and the
// language client are replaced by fakes that record what the extension asks of them.
'use strict';

const assert = require('node:assert/strict');
const Module = require('node:module');
const path = require('node:path');
const test = require('node:test');

const manifest = require('../package.json');

/** Loads extension.js against fakes; returns the extension and what the fakes saw. */
function loadExtension({ settings = {}, folder = '/work/project', startError } = {}) {
  const seen = { clients: [], errors: [], commands: new Map(), configListeners: [] };
  class FakeLanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      this.stopped = false;
      seen.clients.push({ id, name, serverOptions, clientOptions, client: this });
    }
    async start() {
      if (startError) throw new Error(startError);
    }
    async stop() {
      this.stopped = true;
    }
  }
  const vscode = {
    workspace: {
      workspaceFolders: folder ? [{ uri: { fsPath: folder } }] : undefined,
      getConfiguration: (section) => ({ get: (key) => settings[`${section}.${key}`] }),
      createFileSystemWatcher: (glob) => ({ glob }),
      onDidChangeConfiguration: (listener) => {
        seen.configListeners.push(listener);
        return { dispose() {} };
      },
      onDidChangeTextDocument: () => ({ dispose() {} }),
    },
    window: {
      createOutputChannel: (name) => ({ name, dispose() {} }),
      showErrorMessage: async (message) => {
        seen.errors.push(message);
        return undefined;
      },
      onDidChangeTextEditorSelection: () => ({ dispose() {} }),
      onDidChangeActiveTextEditor: () => ({ dispose() {} }),
    },
    commands: {
      registerCommand: (id, handler) => {
        seen.commands.set(id, handler);
        return { dispose() {} };
      },
      executeCommand: async () => undefined,
    },
  };
  const realLoad = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return vscode;
    if (request === 'vscode-languageclient/node') return { LanguageClient: FakeLanguageClient };
    return realLoad.call(this, request, parent, isMain);
  };
  try {
    const file = require.resolve('../extension.js');
    delete require.cache[file];
    return { extension: require(file), seen };
  } finally {
    Module._load = realLoad;
  }
}

test('starts `defuse lsp` over stdio with the default path', async () => {
  const { extension, seen } = loadExtension();
  await extension.activate({ subscriptions: [] });
  assert.equal(seen.clients.length, 1);
  const { id, serverOptions, clientOptions } = seen.clients[0];
  // The id is what makes the client read `defuse.trace.server`.
  assert.equal(id, 'defuse');
  // No transport: the client would add `--stdio`, and the command is exactly `defuse lsp`.
  assert.deepEqual(serverOptions, { command: 'defuse', args: ['lsp'] });
  assert.deepEqual(
    clientOptions.documentSelector.map((s) => s.language || s.pattern),
    ['defuse', 'defuse', '**/*.po'],
  );
  assert.deepEqual(seen.errors, []);
});

test('defuse.path: bare names, absolute paths, and paths relative to the workspace', () => {
  const { extension } = loadExtension();
  assert.equal(extension.serverCommand(undefined, '/w'), 'defuse');
  assert.equal(extension.serverCommand('  ', '/w'), 'defuse');
  assert.equal(extension.serverCommand('defuse-nightly', '/w'), 'defuse-nightly');
  assert.equal(extension.serverCommand('/opt/defuse/bin/defuse', '/w'), '/opt/defuse/bin/defuse');
  assert.equal(extension.serverCommand('./target/debug/defuse', '/w'), path.join('/w', 'target/debug/defuse'));
  assert.equal(extension.serverCommand('./target/debug/defuse', undefined), './target/debug/defuse');
});

test('a configured defuse.path is the command that runs', async () => {
  const { extension, seen } = loadExtension({ settings: { 'defuse.path': 'bin/defuse' } });
  await extension.activate({ subscriptions: [] });
  assert.equal(seen.clients[0].serverOptions.command, path.join('/work/project', 'bin/defuse'));
});

test('a server that cannot start is an error message naming the command, not a crash', async () => {
  const { extension, seen } = loadExtension({ startError: 'spawn defuse ENOENT' });
  await extension.activate({ subscriptions: [] });
  assert.equal(seen.errors.length, 1);
  assert.match(seen.errors[0], /`defuse lsp`/);
  assert.match(seen.errors[0], /ENOENT/);
  assert.match(seen.errors[0], /defuse\.path/);
});

test('changing defuse.path restarts the server; other settings do not', async () => {
  const { extension, seen } = loadExtension();
  await extension.activate({ subscriptions: [] });
  const [listener] = seen.configListeners;
  await listener({ affectsConfiguration: (key) => key === 'editor.fontSize' });
  assert.equal(seen.clients.length, 1);
  await listener({ affectsConfiguration: (key) => key === 'defuse.path' });
  assert.equal(seen.clients.length, 2);
  assert.equal(seen.clients[0].client.stopped, true);
  await seen.commands.get('defuse.restartServer')();
  assert.equal(seen.clients.length, 3);
  assert.equal(seen.clients[1].client.stopped, true);
  await extension.deactivate();
  assert.equal(seen.clients[2].client.stopped, true);
});

test('the manifest declares the settings, languages and command the client uses', () => {
  const { contributes } = manifest;
  const settings = contributes.configuration.properties;
  assert.equal(settings['defuse.path'].default, 'defuse');
  assert.deepEqual(settings['defuse.trace.server'].enum, ['off', 'messages', 'verbose']);
  const languages = Object.fromEntries(contributes.languages.map((l) => [l.id, l.extensions]));
  assert.deepEqual(languages, { defuse: ['.defuse'], 'defuse-test': ['.dtest'] });
  for (const grammar of contributes.grammars) {
    const file = require(path.join('..', grammar.path));
    assert.equal(file.scopeName, grammar.scopeName);
  }
  assert.deepEqual(contributes.commands.map((c) => c.command), ['defuse.restartServer', 'defuse.openPreview']);
  assert.ok(manifest.activationEvents.includes('onLanguage:defuse'));
  assert.equal(manifest.main, './extension.js');
  // A folder's own settings must not pick the program that runs until the folder is trusted.
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['defuse.path']);
});
