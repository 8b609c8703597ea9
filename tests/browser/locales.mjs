#!/usr/bin/env node
// Drives a trainer page built with two locales (`defuse build … --emit html --locale A
// --locale B`) in the browser the other tests use, and checks its language switch:
//
//   node locales.mjs PAGE.html A B START REPLY VAR=VALUE A_TEXT B_TEXT
//
//   - the page opens in A: `<html lang>` is A's tag, `<select id="locale">` offers A then B
//     with A selected, and only A's [data-locale] elements show;
//   - the rehearsal starts at START, goes on (Continue) to the first question, and takes the choice labelled REPLY (in A);
//     VAR's input is filled with VALUE;
//   - switching to B keeps the current node, the steps behind it and VALUE (in the input and
//     in the transcript), writes the transcript and the cards in B (B_TEXT shows, A_TEXT does
//     not), sets `<html lang>`, the title and the shown diagram to B, and Back still works;
//   - printing shows B only and no switch; switching back to A shows A_TEXT again;
//   - the page makes no request but for itself and logs no error.
// Exit status 0 when every check holds, 1 otherwise (each failure is printed), 2 on bad usage.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from './chromium.mjs';

const [file, first, second, start, reply, fill, firstText, secondText] = process.argv.slice(2);
if (!secondText || !fill.includes('=')) {
  console.error('usage: node locales.mjs PAGE.html A B START REPLY VAR=VALUE A_TEXT B_TEXT');
  process.exit(2);
}
const [variable, value] = fill.split(/=(.*)/s);

const failures = [];
let checks = 0;
function expect(condition, message) {
  checks += 1;
  if (!condition) failures.push(message);
}

// What the page shows now: the language, the rehearsal's place and text, and which locales'
// elements are visible.
function seen(page) {
  return page.evaluate((variable) => {
    const visible = (element) => element.getClientRects().length > 0;
    const shown = new Set();
    for (const element of document.querySelectorAll('[data-locale]')) {
      if (element.localName !== 'script' && element.localName !== 'title' && visible(element)) {
        shown.add(element.getAttribute('data-locale'));
      }
    }
    const transcript = document.getElementById('transcript');
    return {
      lang: document.documentElement.lang,
      title: document.title,
      picked: document.getElementById('locale').value,
      switchShown: visible(document.getElementById('locale')),
      shown: [...shown].sort(),
      current: document.querySelector('#rehearse [data-current]').getAttribute('data-current'),
      steps: transcript.querySelectorAll(':scope > li').length,
      transcript: transcript.textContent,
      filled: [...transcript.querySelectorAll(`[data-fill="${variable}"]`)].map((span) => span.textContent),
      input: document.querySelector(`input[data-var="${variable}"]`).value,
      choices: [...document.querySelectorAll('#choices button[data-target]')].map((button) => button.textContent),
      cards: [...document.querySelectorAll('#paths .path .turns')].map((turns) => turns.textContent).join(' '),
      diagram: [...document.querySelectorAll('#drawing [data-locale]')]
        .filter(visible)
        .map((holder) => holder.textContent)
        .join(' '),
    };
  }, variable);
}

const { context, close } = await launch({ viewport: { width: 1280, height: 900 } });
try {
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  const url = pathToFileURL(path.resolve(file)).href;
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  page.setDefaultTimeout(5000);
  await page.goto(url);
  await drive(page);
  expect(errors.length === 0, `the page logged: ${errors.join(' | ')}`);
  expect(requests.length === 0, `the page requested: ${requests.join(' ')}`);
} catch (error) {
  failures.push(`the page could not be driven: ${String(error.message).split('\n')[0]}`);
} finally {
  await close();
}

async function drive(page) {

  const options = await page.$$eval('#locale option', (all) => all.map((option) => [option.value, option.selected]));
  expect(
    JSON.stringify(options) === JSON.stringify([[first, true], [second, false]]),
    `the switch offers ${JSON.stringify(options)}, not ${first} (selected) then ${second}`,
  );
  let now = await seen(page);
  expect(now.lang === first.replace('_', '-'), `the page opens with lang="${now.lang}"`);
  expect(JSON.stringify(now.shown) === JSON.stringify([first]), `on opening, the locales shown are ${now.shown}`);
  expect(now.cards.includes(firstText), `the cards do not show "${firstText}" in ${first}`);

  // Two choices: the start, then (after Continue as often as the call goes on) the reply.
  await page.click(`#choices button[data-target="${start}"]`);
  const picked = page.locator('#choices button[data-target]', { hasText: reply });
  for (let step = 0; step < 20 && (await picked.count()) === 0; step++) {
    const offered = page.locator('#choices button[data-target]');
    if ((await offered.count()) !== 1) break;
    await offered.click();
  }
  expect((await picked.count()) === 1, `no choice is labelled "${reply}"`);
  if ((await picked.count()) > 0) await picked.first().click();
  await page.fill(`input[data-var="${variable}"]`, value);
  const before = await seen(page);
  expect(before.transcript.includes(firstText), `the transcript in ${first} lacks "${firstText}"`);
  expect(before.filled.length > 0 && before.filled.every((text) => text === value), `{${variable}} shows ${before.filled}`);

  await page.selectOption('#locale', second);
  now = await seen(page);
  expect(now.current === before.current, `after the switch the rehearsal is at "${now.current}", not "${before.current}"`);
  expect(now.steps === before.steps, `after the switch the transcript has ${now.steps} steps, not ${before.steps}`);
  expect(now.lang === second.replace('_', '-'), `after the switch lang="${now.lang}"`);
  expect(JSON.stringify(now.shown) === JSON.stringify([second]), `after the switch the locales shown are ${now.shown}`);
  expect(now.transcript.includes(secondText), `the transcript in ${second} lacks "${secondText}": ${now.transcript}`);
  expect(!now.transcript.includes(firstText), `the transcript in ${second} still shows "${firstText}"`);
  expect(now.cards.includes(secondText) && !now.cards.includes(firstText), `the cards are not written in ${second}`);
  // The diagram wraps lines into <tspan>s, whose text runs on without the space between them.
  const squeezed = (text) => text.replace(/\s+/g, '');
  expect(squeezed(now.diagram).includes(squeezed(secondText)), `the diagram shown is not ${second}'s`);
  expect(!squeezed(now.diagram).includes(squeezed(firstText)), `the diagram shown still has ${first}'s text`);
  expect(now.title !== before.title && !now.title.includes(firstText), `the title stays "${now.title}"`);
  expect(now.input === value, `the input of {${variable}} holds "${now.input}" after the switch`);
  expect(now.filled.length > 0 && now.filled.every((text) => text === value), `after the switch {${variable}} shows ${now.filled}`);
  expect(
    now.choices.length === before.choices.length && now.choices.join() !== before.choices.join(),
    `the choices in ${second} are ${JSON.stringify(now.choices)}`,
  );

  await page.emulateMedia({ media: 'print' });
  const printed = await seen(page);
  expect(JSON.stringify(printed.shown) === JSON.stringify([second]), `print shows the locales ${printed.shown}`);
  expect(!printed.switchShown, 'print shows the language switch');
  await page.emulateMedia({ media: 'screen' });

  expect(await page.isEnabled('#back'), 'Back is disabled after the switch');
  await page.click('#back');
  const back = await seen(page);
  expect(back.steps === before.steps - 1, `Back after the switch leaves ${back.steps} steps`);
  expect(back.transcript.includes(secondText), `Back after the switch leaves the transcript in another language`);

  await page.selectOption('#locale', first);
  now = await seen(page);
  expect(now.lang === first.replace('_', '-'), `switching back gives lang="${now.lang}"`);
  expect(now.current === back.current && now.steps === back.steps, 'switching back moves the rehearsal');
  expect(now.transcript.includes(firstText) && !now.transcript.includes(secondText), `switching back leaves ${now.transcript}`);
  expect(now.input === value, `switching back empties the input of {${variable}}`);
}

for (const failure of failures) console.error(`${path.basename(file)}: ${failure}`);
console.log(`${checks - failures.length} of ${checks} checks hold on 1 page`);
process.exit(failures.length === 0 ? 0 : 1);
