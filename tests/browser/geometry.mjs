#!/usr/bin/env node
// Measures a stage diagram as a trainer sees it: rendered by Debian's chromium (through
// playwright-core), every box read back from the browser's layout.
//
//   node geometry.mjs FILE [FILE ...]
//
// FILE.html is a trainer page (`defuse build --emit html`): its built-in diagram must have no
// edge label over another label, a node box or a stage title, no node box over another, all
// node text inside its box, and every edge label whole (its text is its tooltip's, no `…`).
// It is measured again with every placeholder filled with a long name: the boxes must still
// hold their text.
// FILE.svg is what Graphviz's `dot -Tsvg` drew for `defuse build --emit dot`: no two edge
// labels may overlap, no edge label may sit on a node or a cluster title, and every node's
// text must lie inside its shape.
// Prints one line of figures per file; exit status 0 when every check holds, 1 otherwise
// (each failure is printed), 2 on bad usage.
//
// Environment: DEFUSE_CHROMIUM overrides the browser (default /usr/bin/chromium).

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from './chromium.mjs';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node geometry.mjs FILE.html|FILE.svg ...');
  process.exit(2);
}

// Runs in the page: the figures and the failures of one diagram.
function measure(kind) {
  const failures = [];
  const svg = kind === 'page' ? document.querySelector('#diagram svg') : document.querySelector('svg');
  if (!svg) return { failures: ['no diagram'] };
  // The page: boxes as drawn on the screen (transforms included); Graphviz: in the drawing's
  // own units, where its polygons' points are.
  const box = (element) => {
    if (kind === 'page') {
      const b = element.getBoundingClientRect();
      return { x: b.left, y: b.top, right: b.right, bottom: b.bottom };
    }
    const b = element.getBBox();
    return { x: b.x, y: b.y, right: b.x + b.width, bottom: b.y + b.height };
  };
  const union = (boxes) => boxes.reduce((a, b) => ({
    x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), right: Math.max(a.right, b.right), bottom: Math.max(a.bottom, b.bottom),
  }));
  // Overlap by more than half a pixel both ways.
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.x, b.x) > 0.5
    && Math.min(a.bottom, b.bottom) - Math.max(a.y, b.y) > 0.5;
  const short = (text) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  const labels = [];
  const nodes = [];
  const titles = [];
  let cutLabels = 0;
  let textOutside = 0;

  if (kind === 'page') {
    for (const edge of svg.querySelectorAll('g.edge')) {
      const text = edge.querySelector(':scope > text.edge-label');
      const tooltip = edge.querySelector(':scope > title');
      if (!text) {
        if (tooltip) failures.push(`the edge ${short(tooltip.textContent)} has no label`);
        continue;
      }
      const shown = Array.from(text.querySelectorAll(':scope > tspan'), (t) => t.textContent).join(' ');
      const title = edge.querySelector(':scope > title')?.textContent ?? '';
      const whole = title.replace(/\s+/g, ' ').trim();
      if (shown.replace(/\s+/g, ' ').trim() !== whole) {
        cutLabels += 1;
        failures.push(`label ${short(shown)} is not the whole text ${short(whole)}`);
      }
      labels.push({ name: shown, box: box(text) });
    }
    for (const node of svg.querySelectorAll('g.node[data-node]')) {
      const rect = node.querySelector(':scope > rect');
      const shape = box(rect);
      nodes.push({ name: node.getAttribute('data-node'), box: shape });
      for (const part of node.querySelectorAll('text, .badge rect')) {
        const b = box(part);
        if (b.x < shape.x - 0.5 || b.y < shape.y - 0.5 || b.right > shape.right + 0.5 || b.bottom > shape.bottom + 0.5) {
          textOutside += 1;
          failures.push(`text ${short(part.textContent)} pokes out of node ${node.getAttribute('data-node')}`);
        }
      }
    }
    for (const title of svg.querySelectorAll('text.stage')) titles.push({ name: title.textContent, box: box(title) });
  } else {
    // Graphviz: an edge's label is its <text> lines; a node's shape its polygon or ellipse.
    for (const edge of svg.querySelectorAll('g.edge')) {
      const lines = Array.from(edge.querySelectorAll('text'));
      if (lines.length === 0) continue;
      labels.push({ name: lines.map((t) => t.textContent).join(' '), box: union(lines.map(box)) });
    }
    const inside = (shape, x, y) => {
      if (shape.tagName === 'ellipse') {
        const [cx, cy, rx, ry] = ['cx', 'cy', 'rx', 'ry'].map((a) => Number(shape.getAttribute(a)));
        return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.02;
      }
      // Even-odd ray casting over the polygon's points.
      const points = shape.getAttribute('points').trim().split(/\s+/).map((p) => p.split(',').map(Number));
      let yes = false;
      for (let i = 0, j = points.length - 1; i < points.length; j = i, i += 1) {
        const [xi, yi] = points[i];
        const [xj, yj] = points[j];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) yes = !yes;
      }
      return yes;
    };
    for (const node of svg.querySelectorAll('g.node')) {
      if (node.querySelector('title')?.textContent === 'legend') continue;
      const shapes = Array.from(node.querySelectorAll('polygon, ellipse'));
      if (shapes.length === 0) continue;
      // The outermost shape: a double octagon draws two, box3d a front face and a back.
      const shape = shapes.reduce((a, b) => {
        const [ba, bb] = [a.getBBox(), b.getBBox()];
        return bb.width * bb.height > ba.width * ba.height ? b : a;
      });
      const texts = Array.from(node.querySelectorAll('text'));
      nodes.push({ name: node.querySelector('title')?.textContent ?? '', box: box(shape) });
      for (const text of texts) {
        const b = box(text);
        // Glyphs' ink, not the line box: a text's box is a little taller than its letters.
        const inset = (b.bottom - b.y) * 0.2;
        const corners = [[b.x + 1, b.y + inset], [b.right - 1, b.y + inset], [b.x + 1, b.bottom - inset], [b.right - 1, b.bottom - inset]];
        if (!corners.every(([x, y]) => inside(shape, x, y))) {
          textOutside += 1;
          failures.push(`text ${short(text.textContent)} pokes out of its shape`);
        }
      }
    }
    for (const cluster of svg.querySelectorAll('g.cluster')) {
      for (const text of cluster.querySelectorAll(':scope > text')) titles.push({ name: text.textContent, box: box(text) });
    }
  }

  let labelLabel = 0;
  let labelNode = 0;
  let nodeNode = 0;
  let labelTitle = 0;
  for (let i = 0; i < labels.length; i += 1) {
    for (let j = i + 1; j < labels.length; j += 1) {
      if (overlap(labels[i].box, labels[j].box)) {
        labelLabel += 1;
        failures.push(`labels ${short(labels[i].name)} and ${short(labels[j].name)} overlap`);
      }
    }
    for (const node of nodes) {
      if (overlap(labels[i].box, node.box)) {
        labelNode += 1;
        failures.push(`label ${short(labels[i].name)} lies on node ${node.name}`);
      }
    }
    for (const title of titles) {
      if (overlap(labels[i].box, title.box)) {
        labelTitle += 1;
        failures.push(`label ${short(labels[i].name)} lies on the title ${short(title.name)}`);
      }
    }
  }
  for (let i = 0; i < nodes.length; i += 1) {
    for (let j = i + 1; j < nodes.length; j += 1) {
      if (overlap(nodes[i].box, nodes[j].box)) {
        nodeNode += 1;
        failures.push(`nodes ${nodes[i].name} and ${nodes[j].name} overlap`);
      }
    }
  }
  const size = svg.getBBox();
  return {
    figures: `${nodes.length} nodes, ${labels.length} labels, ${Math.round(size.width)}×${Math.round(size.height)} px; `
      + `overlaps: label–label ${labelLabel}, label–node ${labelNode}, label–title ${labelTitle}, node–node ${nodeNode}; `
      + `text outside its shape ${textOutside}; cut labels ${cutLabels}`,
    failures,
  };
}

const { context, close } = await launch({ viewport: { width: 1280, height: 900 } });
let failed = 0;
try {
  const page = await context.newPage();
  // A page of hundreds of nodes on a busy machine takes a while.
  page.setDefaultTimeout(300000);
  for (const file of files) {
    await page.goto(pathToFileURL(path.resolve(file)).href);
    const kind = file.endsWith('.svg') ? 'graphviz' : 'page';
    const { figures, failures } = await page.evaluate(measure, kind);
    if (kind === 'page') {
      // What a trainer types: a name longer than the `{placeholder}` the diagram was laid out for.
      const inputs = await page.$$eval('input[data-var]', (all) => {
        for (const input of all) {
          input.value = 'Bartholomew Fitzgerald-Montgomery the Third of Westminster';
          input.dispatchEvent(new Event('input'));
        }
        return all.length;
      });
      if (inputs > 0) {
        const filled = await page.evaluate(measure, kind);
        // An edge label's tooltip keeps `{name}`: only the boxes are compared here.
        const boxes = filled.failures.filter((failure) => !failure.startsWith('label ') || !failure.includes('is not the whole text'));
        failures.push(...boxes.map((failure) => `with the placeholders filled: ${failure}`));
      }
    }
    console.log(`${path.basename(file)}: ${figures ?? ''}`);
    for (const failure of failures) console.error(`${path.basename(file)}: ${failure}`);
    if (failures.length > 0) failed += 1;
  }
} finally {
  await close();
}
console.log(`${files.length} diagrams, ${failed} with failures`);
process.exit(failed > 0 ? 1 : 0);
