// The defuse extension's client: it starts `defuse lsp` (spec section 9) over stdio for `.defuse`
// files. Highlighting needs no server; everything else (diagnostics, go to definition,
// completion, …) comes from the server. Plain JavaScript so that packaging needs no build step.
'use strict';

const path = require('path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');
const { Preview } = require('./preview');

/** @type {LanguageClient | undefined} */
let client;

/**
 * The command that starts the server. `defuse.path` is a bare name looked up on PATH, an
 * absolute path, or a path relative to the first workspace folder (so a repository can pin
 * `./target/release/defuse` in its `.vscode/settings.json`).
 */
function serverCommand(configured, workspaceFolder) {
  const command = (configured || '').trim() || 'defuse';
  const isBareName = !command.includes('/') && !command.includes('\\');
  if (isBareName || path.isAbsolute(command) || !workspaceFolder) {
    return command;
  }
  return path.join(workspaceFolder, command);
}

/**
 * The server options. No `transport` on purpose: `vscode-languageclient` would append
 * `--stdio` to the arguments, and the contract's command is exactly `defuse lsp`.
 */
function serverOptions(command) {
  return { command, args: ['lsp'] };
}

function clientOptions(outputChannel) {
  return {
    documentSelector: [
      { scheme: 'file', language: 'defuse' },
      { scheme: 'untitled', language: 'defuse' },
      // Translation files (contract section 12): their diagnostics and `#:` → source line.
      { scheme: 'file', pattern: '**/*.po' },
    ],
    // Libraries, `defuse.toml` and PO files change diagnostics of other files even when not open.
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.defuse,defuse.toml,*.po}'),
    },
    outputChannel,
  };
}

async function startClient(context, outputChannel) {
  const folders = vscode.workspace.workspaceFolders;
  const folder = folders && folders.length > 0 ? folders[0].uri.fsPath : undefined;
  const configured = vscode.workspace.getConfiguration('defuse').get('path');
  const command = serverCommand(configured, folder);
  // The id `defuse` makes the client read its trace level from `defuse.trace.server`.
  client = new LanguageClient('defuse', 'defuse', serverOptions(command), clientOptions(outputChannel));
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    const choice = await vscode.window.showErrorMessage(
      `defuse: could not start the language server \`${command} lsp\` (${error && error.message ? error.message : error}). ` +
        'Install defuse, or set `defuse.path` to its executable.',
      'Open Settings',
    );
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'defuse.path');
    }
  }
}

async function stopClient() {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

async function activate(context) {
  const outputChannel = vscode.window.createOutputChannel('defuse');
  context.subscriptions.push(outputChannel);
  // The preview asks whichever client runs now (a restart replaces it).
  const preview = new Preview(vscode, (method, params) =>
    client ? client.sendRequest(method, params) : Promise.reject(new Error('the language server is not running')),
  );
  context.subscriptions.push(
    preview,
    vscode.commands.registerCommand('defuse.openPreview', () => preview.open()),
    vscode.workspace.onDidChangeTextDocument((event) => preview.documentChanged(event)),
    vscode.window.onDidChangeTextEditorSelection((event) => preview.selectionChanged(event)),
    vscode.window.onDidChangeActiveTextEditor((editor) => preview.editorChanged(editor)),
  );
  context.subscriptions.push(
    vscode.commands.registerCommand('defuse.restartServer', async () => {
      await stopClient();
      await startClient(context, outputChannel);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('defuse.path')) {
        await stopClient();
        await startClient(context, outputChannel);
      }
    }),
  );
  await startClient(context, outputChannel);
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate, serverCommand, serverOptions };
