#!/usr/bin/env node
// Drives trainer pages (`defuse build --emit html`) in a real browser: Debian's chromium,
// through playwright-core (which never downloads a browser).
//
//   node rehearse.mjs PAGE.html [PAGE.html ...]
//
// Beside each PAGE.html lies PAGE.paths.json, what `defuse paths --format json` lists for
// the same script. For every page this checks:
//   - every listed path, played through the rehearsal (the first by mouse, the rest by keyboard),
//     reaches each node in turn (`data-current`), outlines that node and only that one in the
//     diagram (`data-node`, in the accent colour), and ends with the path's outcome
//     (`data-outcome`); there is one role-play card per path, with the path's nodes;
//   - the diagram, built in or from Graphviz (`--diagram graphviz`), keeps the text sizes
//     it was laid out for;
//   - the page makes no request but for itself and logs no error (CSP violations included);
//   - no element or event handler comes from script text: every element is one the page's
//     own markup uses, no attribute starts with `on`, and `window.pwned` is never set;
//   - a value typed into a placeholder's input shows wherever the placeholder is;
//   - a phone-width screen scrolls only the diagram, and print hides the rehearsal.
// Exit status 0 when every check holds, 1 otherwise (each failure is printed), 2 on bad usage.
//
// Environment: DEFUSE_CHROMIUM overrides the browser (default /usr/bin/chromium);
// DEFUSE_BROWSER_JOBS is how many pages are driven at once (default 2).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ARGS, BROWSER } from './chromium.mjs';

const JOBS = Math.max(1, Number(process.env.DEFUSE_BROWSER_JOBS) || 2);

// Every element the page's own markup and script create. Anything else came from script text.
const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'p', 'code', 'kbd',
  'dl', 'div', 'dt', 'dd', 'nav', 'a', 'main', 'section', 'label', 'span', 'input', 'ol', 'li',
  'button', 'noscript', 'script', 'article', 'strong', 'figure', 'figcaption',
  // the diagram (built in, or from Graphviz)
  'svg', 'defs', 'marker', 'path', 'g', 'rect', 'text', 'tspan', 'polygon', 'polyline', 'ellipse',
]);

// The page's accent colour, which outlines the current node of the rehearsal in the diagram.
const ACCENT = 'rgb(11, 94, 215)';

const pages = process.argv.slice(2);
if (pages.length === 0) {
  console.error('usage: node rehearse.mjs PAGE.html [PAGE.html ...] (each with PAGE.paths.json beside it)');
  process.exit(2);
}
if (!fs.existsSync(BROWSER)) {
  console.error(`rehearse.mjs: no browser at ${BROWSER}; install Debian's chromium (bash .ci/run does)`);
  process.exit(2);
}

const failures = [];
let checks = 0;
function expect(condition, page, message) {
  checks += 1;
  if (!condition) failures.push(`${path.basename(page)}: ${message}`);
  return condition;
}

// Elements and attributes no trainer page may hold, and whether script text ran.
async function injected(page) {
  return page.evaluate((allowed) => {
    const found = [];
    for (const element of document.querySelectorAll('*')) {
      const tag = element.localName;
      if (!allowed.includes(tag)) found.push(`<${tag}>`);
      for (const attribute of element.attributes) {
        if (attribute.name.startsWith('on')) found.push(`${tag}[${attribute.name}]`);
      }
      if (tag === 'a' && !(element.getAttribute('href') || '').startsWith('#')) found.push('a link out of the page');
    }
    if (document.querySelectorAll('script').length !== 2) found.push('a third <script>');
    if (document.querySelectorAll('style').length !== 1) found.push('a second <style>');
    // One diagram, and the print copies page.js makes of it (in #diagram-print only).
    if (document.querySelectorAll('svg:not(#diagram-print svg)').length !== 1) found.push('a second <svg>');
    if (window.pwned !== undefined) found.push(`window.pwned = ${window.pwned}`);
    return found;
  }, [...ALLOWED_TAGS]);
}

// Where the rehearsal stands: the current node, the outcome shown (null before a close), the
// diagram's outlined nodes and the outline's colour, and the index of the button that leads
// to node `target` through the reply or option labelled `via` (`via` null: the first button
// to `target`), or -1.
async function state(page, target = null, via = null) {
  return page.evaluate(
    ([target, via]) => {
      const rehearse = document.getElementById('rehearse');
      const ended = rehearse.querySelectorAll('[data-outcome]');
      const buttons = [...rehearse.querySelectorAll('button[data-target]')];
      const outlined = [...document.querySelectorAll('#diagram [data-node].current')];
      const shape = outlined.length === 0 ? null : outlined[0].querySelector('rect, polygon, ellipse, polyline, path');
      return {
        highlighted: outlined.map((node) => node.getAttribute('data-node')),
        outline: shape ? getComputedStyle(shape).stroke : null,
        current: rehearse.querySelector('[data-current]').getAttribute('data-current'),
        outcome: ended.length === 0 ? null : ended.length === 1 ? ended[0].getAttribute('data-outcome') : 'several',
        index: buttons.findIndex(
          (button) => button.getAttribute('data-target') === target && (via === null || button.textContent.includes(via)),
        ),
        focused: document.activeElement ? document.activeElement.id : '',
      };
    },
    [target, via],
  );
}

// Walks `listed` (one entry of `paths --format json`) through the rehearsal from a fresh
// start, by mouse or by keyboard.
async function walk(page, file, listed, number, keyboard) {
  const name = `path ${number} (${listed.nodes.join(' ')}) by ${keyboard ? 'keyboard' : 'mouse'}`;
  if (keyboard) await page.keyboard.press('r');
  else await page.click('#restart');
  let before = await state(page, listed.nodes[0]);
  if (!expect(before.current === '', file, `${name}: after restart data-current is ${before.current}`)) return;
  expect(before.highlighted.length === 0, file, `${name}: after restart the diagram outlines ${before.highlighted}`);
  for (let step = 0; step < listed.nodes.length; step += 1) {
    const target = listed.nodes[step];
    const via = step === 0 ? null : listed.via[step - 1];
    const where = before.current || 'the start';
    if (!expect(before.outcome === null, file, `${name}: at ${where}, outcome ${before.outcome} shows before the close`)) return;
    if (!expect(before.index >= 0, file, `${name}: at ${where}, no button leads to ${target}${via === null ? '' : ` via “${via}”`}`)) return;
    if (keyboard && before.index < 9) {
      await page.keyboard.press(String(before.index + 1));
    } else {
      await page.locator('#rehearse button[data-target]').nth(before.index).click();
    }
    const after = await state(page, listed.nodes[step + 1] ?? null, listed.via[step] ?? null);
    if (!expect(after.current === target, file, `${name}: step ${step + 1} shows ${after.current}, not ${target}`)) return;
    const outlined = JSON.stringify(after.highlighted) === JSON.stringify([target]) && after.outline === ACCENT;
    expect(outlined, file, `${name}: step ${step + 1} outlines ${JSON.stringify(after.highlighted)} in ${after.outline}, not ${target}`);
    before = after;
  }
  expect(before.outcome === listed.outcome, file, `${name}: ends with ${before.outcome}, not ${listed.outcome}`);
  expect(before.focused === 'restart', file, `${name}: at the close, the focus is on #${before.focused}, not Restart`);
  if (!keyboard && listed.nodes.length >= 2) {
    // Back undoes the last step, and the call can be finished again from there.
    const close = listed.nodes[listed.nodes.length - 1];
    await page.click('#back');
    const undone = await state(page, close, listed.via[listed.via.length - 1]);
    expect(undone.current === listed.nodes[listed.nodes.length - 2] && undone.outcome === null, file, `${name}: Back at the close shows ${undone.current}, outcome ${undone.outcome}`);
    if (expect(undone.index >= 0, file, `${name}: after Back, no button leads to ${close}`)) {
      await page.locator('#rehearse button[data-target]').nth(undone.index).click();
      const redone = await state(page);
      expect(redone.current === close && redone.outcome === listed.outcome, file, `${name}: after Back, the call ends at ${redone.current} with ${redone.outcome}`);
    }
  }
}

async function checkPage(context, file) {
  const listing = JSON.parse(fs.readFileSync(file.replace(/\.html$/, '.paths.json'), 'utf8'));
  const url = pathToFileURL(path.resolve(file)).href;
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto(url);
  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  expect(policy && policy.startsWith("default-src 'none'") && !policy.includes('unsafe'), file, `weak or missing CSP: ${policy}`);
  expect((await injected(page)).length === 0, file, `script text made markup: ${(await injected(page)).join(', ')}`);

  // Cards: one per listed path, in `paths` order, with its nodes.
  const cards = await page.$$eval('.path', (all) => all.map((card) => card.getAttribute('data-nodes')));
  expect(
    JSON.stringify(cards) === JSON.stringify(listing.paths.map((p) => p.nodes.join(' '))),
    file,
    `cards ${JSON.stringify(cards)} differ from paths ${JSON.stringify(listing.paths.map((p) => p.nodes.join(' ')))}`,
  );
  // Diagram: every node a path visits is drawn.
  const drawn = new Set(await page.$$eval('#diagram svg [data-node]', (all) => all.map((g) => g.getAttribute('data-node'))));
  const missing = [...new Set(listing.paths.flatMap((p) => p.nodes))].filter((id) => !drawn.has(id));
  expect(missing.length === 0, file, `the diagram lacks ${missing.join(', ')}`);
  // A Graphviz diagram keeps the text sizes Graphviz measured its boxes for.
  const resized = await page.$$eval('#diagram svg text[font-size]', (all) =>
    all.filter((text) => getComputedStyle(text).fontSize !== `${parseFloat(text.getAttribute('font-size'))}px`).length,
  );
  expect(resized === 0, file, `the page's style changes the size of ${resized} Graphviz texts`);

  // The rehearsal: every path, the first with the mouse, the others with the keyboard (keys
  // 1-9 press the nth choice, R restarts; also much faster than a checked mouse click).
  for (const [i, listed] of listing.paths.entries()) {
    await walk(page, file, listed, i + 1, i > 0);
  }
  expect((await injected(page)).length === 0, file, `the rehearsal made markup from script text: ${(await injected(page)).join(', ')}`);

  // Placeholders: a typed value shows everywhere, as text.
  const names = await page.$$eval('input[data-var]', (inputs) => inputs.map((input) => input.getAttribute('data-var')));
  const used = await page.$$eval('[data-fill]', (all) => all.map((element) => element.getAttribute('data-fill')));
  for (const unknown of new Set(used)) expect(names.includes(unknown), file, `{${unknown}} has no input`);
  for (const name of names) {
    const value = `Sam <i>${name}</i>`;
    await page.fill(`input[data-var="${name}"]`, value);
    // The diagram may cut a value longer than its `{name}` to the room the box has.
    const shown = await page.$$eval(`[data-fill="${name}"]`, (all) => all.map((element) => ({
      text: element.textContent,
      diagram: element instanceof SVGElement,
    })));
    const typed = ({ text, diagram }) => text === value || (diagram && text.endsWith('…') && value.startsWith(text.slice(0, -1)));
    const texts = [...new Set(shown.map(({ text }) => text))];
    expect(shown.every(typed), file, `{${name}} shows ${JSON.stringify(texts)}, not the typed value`);
    expect(shown.some(({ text, diagram }) => !diagram && text === value) || shown.every(({ diagram }) => diagram), file, `{${name}} is shown whole nowhere`);
    if (used.includes(name)) {
      const inCards = await page.$$eval(`.path [data-fill="${name}"]`, (all) => all.length);
      expect(inCards > 0 || shown.length > 0, file, `{${name}} is filled nowhere`);
    }
  }
  if (names.length > 0 && listing.paths.length > 0) {
    // The rehearsal shows the value too (labels now hold it, so buttons are found by target).
    const unlabelled = { ...listing.paths[0], via: listing.paths[0].via.map(() => null) };
    await walk(page, file, unlabelled, 1, false);
    const filled = await page.$$eval('#rehearse [data-fill]', (all) => all.every((element) => element.textContent.startsWith('Sam <i>')));
    expect(filled, file, 'the rehearsal does not show typed placeholder values');
  }
  expect((await injected(page)).length === 0, file, `a typed value made markup: ${(await injected(page)).join(', ')}`);

  // A phone scrolls the diagram, not the page; print leaves the rehearsal out.
  await page.setViewportSize({ width: 375, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow <= 0, file, `at phone width the page scrolls sideways by ${overflow}px`);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => [getComputedStyle(document.getElementById('rehearse')).display, getComputedStyle(document.querySelector('.path') || document.body).breakInside]);
  expect(printed[0] === 'none', file, 'print shows the rehearsal');
  expect(listing.paths.length === 0 || printed[1] === 'avoid', file, 'print may split a card');

  expect(requests.length === 0, file, `requests: ${requests.join(', ')}`);
  expect(errors.length === 0, file, `console: ${errors.join(' | ')}`);
  await page.close();
  return listing.paths.length;
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'defuse-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, { executablePath: BROWSER, headless: true, args: ARGS });
  // Two pages at a time: each step waits on the browser, so this halves the wall time on two
  // cores. Failures are collected per check, whatever the order.
  let walked = 0;
  const queue = [...pages];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const paths = await checkPage(context, file);
      walked += paths;
    }
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  console.log(`rehearse.mjs: ${pages.length} pages, ${walked} paths walked, ${checks} checks, ${failures.length} failed`);
} catch (error) {
  failures.push(`the browser run failed: ${error.stack || error}`);
} finally {
  if (context) await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
for (const failure of failures) console.error(`FAIL ${failure}`);
process.exit(failures.length === 0 ? 0 : 1);
