#!/usr/bin/env node
// Renders a trainer page to a PNG in the same browser the tests use, as a trainer sees it
// part way through a rehearsal: the docs' screenshot is made with
//
//   defuse build scripts/refund_missing.defuse --emit html -o /tmp/refund_missing.html
//   node tests/browser/screenshot.mjs /tmp/refund_missing.html docs/images/trainer_page.png
//
// Usage: node screenshot.mjs PAGE.html OUT.png [KEYS] [NAME=VALUE]...
// KEYS (default "11121") are pressed in the rehearsal; each NAME=VALUE fills a placeholder.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from './chromium.mjs';

const [file, out, keys = '11121', ...fills] = process.argv.slice(2);
if (!file || !out) {
  console.error('usage: node screenshot.mjs PAGE.html OUT.png [KEYS] [NAME=VALUE]...');
  process.exit(2);
}
const values = fills.length > 0 ? fills : ['customer_name=Sam', 'return_date=May 3'];

const { context, close } = await launch({ viewport: { width: 1280, height: 1440 } });
try {
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.resolve(file)).href);
  for (const fill of values) {
    const [name, value] = fill.split(/=(.*)/s);
    await page.fill(`input[data-var="${name}"]`, value);
  }
  await page.click('h1'); // keys go to the rehearsal, not the last input
  for (const key of keys) await page.keyboard.press(key);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out });
} finally {
  await close();
}
