#!/usr/bin/env node
// Prints trainer pages to PDF in the browser the tests use and reports, one JSON line per page:
// the PDF's page count, how long the page took to load (to the end of its script), whether
// the diagram scrolls and says so, what "Fit to width" does, and the smallest text of the
// diagram's print copy at print size.
//
// Usage: node print.mjs PAGE.html [PAGE.html ...] [--pdf-dir DIR] [--screenshot DIR]
// With --pdf-dir each PDF is kept as DIR/PAGE.pdf; with --screenshot, DIR/PAGE.png shows the
// top of the page (1280 × 900) and DIR/PAGE.fit.png the same after "Fit to width".

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from './chromium.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return null;
  const [, value] = args.splice(at, 2);
  return value;
};
const pdfDir = option('--pdf-dir');
const shotDir = option('--screenshot');
if (args.length === 0) {
  console.error('usage: node print.mjs PAGE.html [PAGE.html ...] [--pdf-dir DIR] [--screenshot DIR]');
  process.exit(2);
}

const { context, close } = await launch({ viewport: { width: 1280, height: 900 } });
try {
  for (const file of args) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const started = Date.now();
    await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
    const loadMs = Date.now() - started;
    const stem = path.basename(file).replace(/\.html$/, '');
    const screen = await page.evaluate(() => {
      const drawing = document.getElementById('drawing');
      const hint = document.getElementById('scroll-hint');
      const filled = Array.from(document.querySelectorAll('#paths .path')).every(
        (card) => card.querySelectorAll('.turns li').length === card.getAttribute('data-nodes').split(' ').length);
      return {
        scrolls: drawing.scrollWidth > drawing.clientWidth + 1 || drawing.scrollHeight > drawing.clientHeight + 1,
        hintShown: !hint.hidden,
        cards: document.querySelectorAll('#paths .path').length,
        cardsFilled: filled,
      };
    });
    if (shotDir) await page.screenshot({ path: path.join(shotDir, `${stem}.png`) });
    await page.click('#fit');
    const fitted = await page.evaluate(() => {
      const drawing = document.getElementById('drawing');
      const svg = drawing.querySelector('svg');
      return {
        widthFits: svg.getBoundingClientRect().width <= drawing.clientWidth + 1,
        label: document.getElementById('fit').textContent,
        pressed: document.getElementById('fit').getAttribute('aria-pressed'),
      };
    });
    if (shotDir) await page.screenshot({ path: path.join(shotDir, `${stem}.fit.png`) });
    await page.click('#fit');
    const back = await page.evaluate(() => document.getElementById('fit').getAttribute('aria-pressed'));
    // The print copy of the diagram is made when the browser is idle after loading.
    await page.waitForSelector('#diagram-print .print-part', { state: 'attached' });
    await page.emulateMedia({ media: 'print' });
    // The smallest rendered text of the diagram's print copy, in CSS px at print size.
    const print = await page.evaluate(() => {
      let smallest = Infinity;
      const parts = document.querySelectorAll('#diagram-print .print-part svg');
      for (const svg of parts) {
        const box = svg.viewBox.baseVal;
        const scale = svg.getBoundingClientRect().width / box.width;
        for (const text of svg.querySelectorAll('text')) {
          if (!text.textContent.trim()) continue;
          const size = parseFloat(getComputedStyle(text).fontSize) * scale;
          smallest = Math.min(smallest, size);
        }
      }
      return { parts: parts.length, smallestText: Math.round(smallest * 100) / 100 };
    });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    if (pdfDir) fs.writeFileSync(path.join(pdfDir, `${stem}.pdf`), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    console.log(JSON.stringify({ page: stem, loadMs, ...screen, fit: fitted, fitUndone: back === 'false', ...print, pdfPages: pages, errors }));
    await page.close();
  }
} finally {
  await close();
}
