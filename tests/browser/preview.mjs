#!/usr/bin/env node
// Drives the editor preview's page (`defuse/preview`) in Debian's chromium, as a VS Code
// webview shows it: `acquireVsCodeApi` is stubbed in the page before it loads.
//
//   node preview.mjs DEFUSE_BIN SCRIPT.defuse NODE   asks `DEFUSE_BIN lsp` for the preview of
//                                                   SCRIPT with the cursor in node NODE
//   node preview.mjs --page PAGE.html NODE           checks a page already written
//
// Checks: NODE is the one node marked `data-selected`, drawn in the selection's colour; clicking
// a diagram box posts {type: 'reveal', node: ID}; the message {type: 'select', node} moves the
// mark and {type: 'status', message} shows (and null hides) a banner; the scroll position comes
// back when the page is loaded again (as each refresh does); the rehearsal plays to a close; the
// page outside VS Code posts nothing and logs no error; no request leaves the page.
// Exit status 0 when every check holds, 1 otherwise (each failure is printed), 2 on bad usage.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from './chromium.mjs';

// The selection's colour (src/emit/html/preview.css).
const SELECTED = 'rgb(194, 37, 92)';

const args = process.argv.slice(2);
if (args.length !== 3) {
  console.error('usage: node preview.mjs DEFUSE_BIN SCRIPT.defuse NODE | node preview.mjs --page PAGE.html NODE');
  process.exit(2);
}

const failures = [];
let checks = 0;
function expect(condition, message) {
  checks += 1;
  if (!condition) failures.push(message);
  return condition;
}

// The preview of `script` from `bin lsp`, the cursor at the start of node `node`'s name.
async function previewFromServer(bin, script, node) {
  const text = fs.readFileSync(script, 'utf8');
  const match = new RegExp(`\\b${node.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\{`).exec(text);
  if (!match) throw new Error(`no node ${node} in ${script}`);
  const before = text.slice(0, match.index);
  const position = { line: before.split('\n').length - 1, character: match.index - (before.lastIndexOf('\n') + 1) };
  const uri = pathToFileURL(path.resolve(script)).href;
  const server = spawn(bin, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map();
  let buffer = Buffer.alloc(0);
  server.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, end).toString())[1]);
      if (buffer.length < end + 4 + length) return;
      const message = JSON.parse(buffer.slice(end + 4, end + 4 + length).toString());
      buffer = buffer.slice(end + 4 + length);
      if (message.id !== undefined && waiting.has(message.id)) waiting.get(message.id)(message);
    }
  });
  const send = (message) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    server.stdin.write(body);
  };
  let next = 0;
  const request = (method, params) =>
    new Promise((resolve) => {
      next += 1;
      waiting.set(next, resolve);
      send({ id: next, method, params });
    });
  await request('initialize', { processId: null, rootUri: null, capabilities: {} });
  send({ method: 'initialized', params: {} });
  send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'defuse', version: 7, text } } });
  const answer = await request('defuse/preview', { textDocument: { uri }, position });
  await request('shutdown', null);
  send({ method: 'exit' });
  server.stdin.end();
  const result = answer.result || {};
  expect(result.version === 7, `the preview answers version ${result.version}, not 7`);
  expect(result.selected === node, `the preview says ${result.selected} is selected, not ${node}`);
  expect(typeof result.html === 'string', `no page: ${JSON.stringify(answer.error || result.message)}`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'defuse-preview-')), 'preview.html');
  fs.writeFileSync(file, result.html || '');
  return file;
}

const [node] = args.slice(2);
const file = args[0] === '--page' ? args[1] : await previewFromServer(args[0], args[1], node);
const url = pathToFileURL(path.resolve(file)).href;

const { context, close } = await launch({ viewport: { width: 1000, height: 700 } });
try {
  // The webview's API, for pages opened with `?vscode`: messages posted are kept, and the
  // state lives in window.name, which a reload keeps (as VS Code keeps a webview's state).
  await context.addInitScript(() => {
    if (!location.search.includes('vscode')) return;
    window.posted = [];
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => window.posted.push(message),
      getState: () => (window.name ? JSON.parse(window.name) : undefined),
      setState: (state) => {
        window.name = JSON.stringify(state);
      },
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  const requests = [];
  const errors = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(url)) requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const selected = () =>
    page.$$eval('#drawing [data-selected]', (all) => all.map((shape) => shape.getAttribute('data-node')));

  // Outside VS Code: the page works and posts nothing.
  await page.goto(url);
  const plain = await page.evaluate(() => document.documentElement.classList.contains('in-editor'));
  expect(!plain, 'outside VS Code the page says it is in an editor');

  await page.goto(`${url}?vscode`);
  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  expect(policy && policy.startsWith("default-src 'none'") && !policy.includes('unsafe'), `weak or missing CSP: ${policy}`);
  const marked = await selected();
  expect(JSON.stringify(marked) === JSON.stringify([node]), `marked ${JSON.stringify(marked)}, not [${node}]`);
  const colour = await page.$eval(`#diagram [data-node="${node}"] > rect`, (rect) => getComputedStyle(rect).stroke).catch(() => null);
  expect(colour === SELECTED, `the selected box is drawn in ${colour}, not ${SELECTED}`);

  // A click on a box posts its id.
  const ids = await page.$$eval('#diagram svg [data-node]', (all) => all.map((shape) => shape.getAttribute('data-node')));
  const other = ids.find((id) => id !== node);
  await page.locator(`#diagram [data-node="${other}"] > rect`).click({ position: { x: 20, y: 3 } }); // the box, beside its text
  await page.locator(`#diagram [data-node="${node}"] .node-id`).click();
  const posted = await page.evaluate(() => window.posted);
  const wanted = [{ type: 'reveal', node: other }, { type: 'reveal', node }];
  expect(JSON.stringify(posted) === JSON.stringify(wanted), `clicks posted ${JSON.stringify(posted)}, not ${JSON.stringify(wanted)}`);

  // The editor's messages: select a node (the last drawn, likely out of sight: the drawing
  // scrolls to it), show and hide the banner.
  const far = ids[ids.length - 1];
  await page.evaluate((id) => window.postMessage({ type: 'select', node: id }, '*'), far);
  await page.waitForFunction((id) => document.querySelector(`#drawing [data-node="${id}"][data-selected]`), far);
  expect(JSON.stringify(await selected()) === JSON.stringify([far]), `after select: ${JSON.stringify(await selected())}`);
  const inSight = await page.$eval(`#drawing [data-node="${far}"] > rect`, (rect) => {
    const box = rect.getBoundingClientRect();
    const frame = document.getElementById('drawing').getBoundingClientRect();
    const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
    return x >= frame.left && x <= frame.right && y >= frame.top && y <= frame.bottom && y >= 0 && y <= window.innerHeight;
  });
  expect(inSight, `after select, ${far} is not in sight in the drawing`);
  const message = 'The preview waits for 1 error to be fixed: line 3: <b>not markup</b>.';
  await page.evaluate((text) => window.postMessage({ type: 'status', message: text }, '*'), message);
  await page.waitForSelector('.preview-banner:not([hidden])');
  expect((await page.textContent('.preview-banner')) === message, 'the banner does not say the message as text');
  expect((await page.$$('.preview-banner b')).length === 0, 'the banner made markup of the message');
  await page.evaluate(() => window.postMessage({ type: 'status', message: null }, '*'));
  await page.waitForSelector('.preview-banner', { state: 'hidden' });

  // The scroll position survives a new page (each refresh loads one).
  const height = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  if (expect(height > 200, `the page is too short to scroll (${height} px)`)) {
    await page.evaluate(() => window.scrollTo(0, 200));
    await page.waitForFunction(() => window.name && JSON.parse(window.name).scroll.page[1] === 200);
    await page.reload();
    const y = await page.evaluate(() => window.scrollY);
    expect(y === 200, `after a reload the page is at ${y}, not 200`);
    await page.evaluate(() => window.scrollTo(0, 0));
  }

  // The rehearsal plays to a close: at each step, a way on not taken yet (else the first).
  const seen = new Set();
  let outcome = null;
  for (let step = 0; step < 200 && outcome === null; step += 1) {
    const targets = await page.$$eval('#rehearse button[data-target]', (all) => all.map((b) => b.getAttribute('data-target')));
    if (!expect(targets.length > 0, `step ${step}: the rehearsal offers no choice`)) break;
    const pick = Math.max(0, targets.findIndex((target) => !seen.has(target)));
    seen.add(targets[pick]);
    await page.locator('#rehearse button[data-target]').nth(pick).click();
    const current = await page.getAttribute('#rehearse [data-current]', 'data-current');
    expect(current === targets[pick], `step ${step}: the rehearsal is at ${current}, not ${targets[pick]}`);
    outcome = await page.$eval('#rehearse', (section) => {
      const ended = section.querySelector('[data-outcome]');
      return ended ? ended.getAttribute('data-outcome') : null;
    });
  }
  expect(outcome !== null, 'the rehearsal never reached a close');

  expect(requests.length === 0, `requests left the page: ${requests.join(', ')}`);
  expect(errors.length === 0, `the page logged errors: ${errors.join(' | ')}`);
} catch (error) {
  // A wait that timed out: what the page never did.
  expect(false, error.message.split('\n')[0]);
} finally {
  await close();
}

if (failures.length > 0) {
  for (const failure of failures) console.log(`FAIL ${failure}`);
  console.log(`${failures.length} of ${checks} checks failed`);
  process.exit(1);
}
console.log(`preview page: ${checks} checks passed`);
