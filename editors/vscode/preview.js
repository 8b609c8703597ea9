// "defuse: Open Preview": the trainer page of the script being edited, in a webview beside
// the editor, from the language server's `defuse/preview` (spec section 9, "Preview").
//
// - It follows typing: a change to any defuse buffer (the script, or a library it uses) asks
//   for the page again after DEBOUNCE_MS of quiet; saving is not needed. One request at a
//   time: a change during a request asks again when it is answered.
// - A moved cursor asks again with the cursor's position. When the page is the same but for
//   the node marked under the cursor, the page shown is told {type: 'select', node} (it
//   scrolls the diagram there) instead of being replaced, which would reload it.
// - While the script does not build, the last good page stays with a quiet banner
//   ({type: 'status', message}); before any good page, a page of the extension's own says why.
// - A click on a node's box posts {type: 'reveal', node}; the node's definition (from the
//   answer's `definitions`) is shown and selected in the editor.
// - The page keeps its scroll position in the webview's state (see the page's preview script),
//   which VS Code keeps while the panel lives, across each new page.
//
// Security: scripts run, but the page's own Content-Security-Policy allows only its own script
// and style (by hash) and no request at all; the webview may read no local file
// (`localResourceRoots: []`), and a page without that policy is not shown.
'use strict';

const path = require('path');

const METHOD = 'defuse/preview';
const DEBOUNCE_MS = 100;
const VIEW_TYPE = 'defuse.preview';

/** Whether `document` is a defuse script or library. */
function isDefuse(document) {
  return Boolean(document) && document.languageId === 'defuse';
}

/** The page without the mark of the node under the cursor (as the server writes it). */
function unmarked(html) {
  return html.replace(' data-selected=""', '');
}

/** Whether `html` forbids, in a meta tag, every request and every script or style it does not name. */
function hasStrictPolicy(html) {
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  return Boolean(meta) && meta[1].startsWith("default-src 'none';") && !meta[1].includes('unsafe');
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page shown while there is no good page yet: text only, no script, nothing loaded. */
function waitingPage(message) {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; base-uri 'none'; form-action 'none'">`,
    '<title>defuse preview</title></head>',
    `<body><p role="status">${escapeHtml(message)}</p></body></html>`,
  ].join('\n');
}

class Preview {
  /**
   * @param vscode the `vscode` module (a fake in tests)
   * @param request sends a request to the language server: (method, params) => Promise
   * @param timers setTimeout and clearTimeout (fakes in tests)
   */
  constructor(vscode, request, timers = { setTimeout, clearTimeout }) {
    this.vscode = vscode;
    this.request = request;
    this.timers = timers;
    this.panel = undefined;
    this.document = undefined;
    // The page the webview holds: its html without the selection's mark, or null.
    this.shown = null;
    this.selected = null;
    this.definitions = {};
    this.timer = undefined;
    this.inFlight = false;
    this.again = false;
  }

  /** Opens the preview of the active editor's file beside it (or shows it if open). */
  async open() {
    const editor = this.vscode.window.activeTextEditor;
    if (!editor || !isDefuse(editor.document)) {
      await this.vscode.window.showInformationMessage('defuse: open a .defuse script to preview it.');
      return;
    }
    if (!this.panel) {
      this.panel = this.vscode.window.createWebviewPanel(
        VIEW_TYPE,
        'defuse preview',
        { viewColumn: this.vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, enableCommandUris: false, localResourceRoots: [] },
      );
      this.panel.webview.onDidReceiveMessage((message) => this.received(message));
      this.panel.onDidDispose(() => this.closed());
    } else {
      this.panel.reveal(this.vscode.ViewColumn.Beside, true);
    }
    this.follow(editor.document);
    await this.refresh();
  }

  /** Previews `document` from now on (the page shown stays until the new one comes). */
  follow(document) {
    if (this.document && this.document.uri.toString() === document.uri.toString()) return;
    this.document = document;
    this.panel.title = `Preview ${path.basename(document.uri.fsPath || document.uri.path || 'script')}`;
  }

  /** A buffer changed: a defuse one may change the page (the script, or a library it uses). */
  documentChanged(event) {
    if (this.panel && isDefuse(event.document)) this.schedule();
  }

  /** The cursor moved in the previewed file: the page marks and scrolls to its node. */
  selectionChanged(event) {
    if (this.panel && this.document && event.textEditor.document.uri.toString() === this.document.uri.toString()) {
      this.schedule();
    }
  }

  /** Another defuse editor came to the front: the preview follows it. */
  editorChanged(editor) {
    if (this.panel && editor && isDefuse(editor.document)) {
      this.follow(editor.document);
      this.schedule();
    }
  }

  schedule() {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, DEBOUNCE_MS);
  }

  /** The cursor in the previewed file, if an editor shows it. */
  cursor() {
    const uri = this.document.uri.toString();
    const editors = [this.vscode.window.activeTextEditor, ...(this.vscode.window.visibleTextEditors || [])];
    const editor = editors.find((candidate) => candidate && candidate.document.uri.toString() === uri);
    if (!editor) return undefined;
    const { line, character } = editor.selection.active;
    return { line, character };
  }

  /** Asks the server for the page and shows what it answers. */
  async refresh() {
    if (!this.panel || !this.document) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    const params = { textDocument: { uri: this.document.uri.toString() } };
    const position = this.cursor();
    if (position) params.position = position;
    try {
      this.show(await this.request(METHOD, params));
    } catch (error) {
      this.status(`The preview is not available: ${error && error.message ? error.message : error}`);
    } finally {
      this.inFlight = false;
    }
    if (this.again) {
      this.again = false;
      await this.refresh();
    }
  }

  /** Shows the server's answer. */
  show(answer) {
    if (!this.panel) return; // closed while the server worked
    if (!answer) {
      this.status('The preview needs a .defuse file saved on disk (the language server does not know this buffer).');
      return;
    }
    if (typeof answer.html !== 'string') {
      this.status(answer.message || 'The preview waits for the script to build.');
      return;
    }
    if (!hasStrictPolicy(answer.html)) {
      this.status('The preview was refused: the page has no strict Content-Security-Policy.');
      return;
    }
    this.definitions = answer.definitions || {};
    const page = unmarked(answer.html);
    const selected = answer.selected === undefined ? null : answer.selected;
    if (this.shown === page) {
      this.post({ type: 'status', message: null });
      if (selected !== this.selected) this.post({ type: 'select', node: selected });
    } else {
      this.panel.webview.html = answer.html;
      this.shown = page;
    }
    this.selected = selected;
  }

  /** Says `message` over the last good page, or on a page of its own when there is none. */
  status(message) {
    if (this.shown === null) {
      this.panel.webview.html = waitingPage(message);
    } else {
      this.post({ type: 'status', message });
    }
  }

  post(message) {
    this.panel.webview.postMessage(message);
  }

  /** A message from the page. Only `reveal` of a node the last answer drew is acted on. */
  async received(message) {
    if (!message || message.type !== 'reveal' || typeof message.node !== 'string') return;
    if (!Object.prototype.hasOwnProperty.call(this.definitions, message.node)) return;
    const { uri, range } = this.definitions[message.node];
    const vscode = this.vscode;
    const target = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
    const shown = (this.vscode.window.visibleTextEditors || []).find(
      (editor) => this.document && editor.document.uri.toString() === this.document.uri.toString(),
    );
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri), {
      viewColumn: shown ? shown.viewColumn : vscode.ViewColumn.One,
      selection: target,
      preserveFocus: false,
    });
    if (editor && editor.revealRange) editor.revealRange(target, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  closed() {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.panel = undefined;
    this.document = undefined;
    this.shown = null;
    this.selected = null;
    this.definitions = {};
  }

  dispose() {
    if (this.panel) this.panel.dispose();
    this.closed();
  }
}

module.exports = { Preview, METHOD, DEBOUNCE_MS, VIEW_TYPE, hasStrictPolicy, unmarked, waitingPage };
