// defuse trainer page: placeholder inputs, the role-play cards' text, the diagram's fit
// control and print layout, and the click-through rehearsal.
// The call itself (lines, choices, where each leads, outcomes) is data written by defuse
// from its conversation model; this script only shows it. Script text is only ever set
// with textContent: nothing from a script becomes markup.
'use strict';
(function () {
  // A page built with several locales holds one node table per locale (data-locale) and a
  // language switch (#locale) that picks the one in use.
  const tables = new Map();
  for (const held of document.querySelectorAll('script[type="application/json"][data-locale]')) {
    tables.set(held.getAttribute('data-locale'), JSON.parse(held.textContent));
  }
  const picker = document.getElementById('locale');
  let data = picker ? tables.get(picker.value) : JSON.parse(document.getElementById('call-data').textContent);
  let nodes = new Map(data.nodes.map((node) => [node.id, node]));
  const values = new Map();

  const section = document.getElementById('rehearse');
  const status = section.querySelector('[data-current]');
  const transcript = document.getElementById('transcript');
  const choices = document.getElementById('choices');
  const restart = document.getElementById('restart');
  const back = document.getElementById('back');
  const diagramNodes = Array.from(document.querySelectorAll('#diagram [data-node]'));
  let path = [];
  // Every step taken since the start, to replay all but the last one for Back.
  let steps = [];

  const LEADS = {
    say: 'Agent:',
    ask: 'Agent asks:',
    customer: 'Customer:',
    note: 'Trainer note:',
    hold: 'Hold:',
    transfer: 'Transfer to:',
  };

  // --- Placeholders -------------------------------------------------------------------

  function fill(element) {
    const name = element.getAttribute('data-fill');
    const value = values.get(name);
    element.textContent = value ? value : '{' + name + '}';
    element.classList.toggle('filled', Boolean(value));
    if (value && element instanceof SVGTextContentElement) fitInBox(element, name, value);
  }

  // The diagram was laid out for `{name}`: a longer value is cut, with an ellipsis, to the
  // width the placeholder had, so the line stays inside its node's box (the cards and the
  // rehearsal show it whole).
  const placeholderWidths = new WeakMap();
  function fitInBox(element, name, value) {
    if (!placeholderWidths.has(element)) {
      element.textContent = '{' + name + '}';
      placeholderWidths.set(element, element.getComputedTextLength());
      element.textContent = value;
    }
    const room = placeholderWidths.get(element);
    if (room === 0) {
      // Not drawn (a hidden diagram measures nothing): measured when next filled.
      placeholderWidths.delete(element);
      return;
    }
    if (element.getComputedTextLength() <= room) return;
    const chars = Array.from(value);
    let fits = 0;
    let tooMany = chars.length;
    while (tooMany - fits > 1) {
      const middle = Math.floor((fits + tooMany) / 2);
      element.textContent = chars.slice(0, middle).join('') + '…';
      if (element.getComputedTextLength() <= room) fits = middle;
      else tooMany = middle;
    }
    element.textContent = chars.slice(0, fits).join('') + '…';
  }

  function fillAll(name) {
    for (const element of document.querySelectorAll('[data-fill]')) {
      if (element.getAttribute('data-fill') === name) fill(element);
    }
  }

  for (const input of document.querySelectorAll('input[data-var]')) {
    const name = input.getAttribute('data-var');
    const update = () => {
      values.set(name, input.value);
      fillAll(name);
    };
    input.addEventListener('input', update);
    if (input.value) update(); // a value the browser kept across a reload
  }

  // --- Building blocks (textContent only) ---------------------------------------------

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  // Appends text pieces to `parent`: strings as text, {var} as a fillable span.
  function appendPieces(parent, pieces) {
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        parent.appendChild(document.createTextNode(piece));
      } else {
        const span = element('span', 'var');
        span.setAttribute('data-fill', piece.var);
        fill(span);
        parent.appendChild(span);
      }
    }
    return parent;
  }

  function lineElement(className, lead, pieces, quoted) {
    const line = element('p', className);
    line.appendChild(element('span', 'who', lead));
    line.appendChild(document.createTextNode(quoted ? ' “' : ' '));
    appendPieces(line, pieces);
    if (quoted) line.appendChild(document.createTextNode('”'));
    return line;
  }

  // One node as the rehearsal's transcript and the cards show it: its stage and id, then its lines.
  function nodeEntry(id, node) {
    const entry = element('li');
    const where = element('p', 'where', node.stage + ' · ');
    where.appendChild(element('code', '', id));
    entry.appendChild(where);
    for (const line of node.lines) {
      entry.appendChild(lineElement('line ' + line.kind, LEADS[line.kind], line.text, false));
    }
    return entry;
  }

  // A choice: goes to `target`, recording `choice` (null for a start or a plain ->).
  function button(target, number, label, choice) {
    const made = element('button');
    made.type = 'button';
    made.setAttribute('data-target', target);
    if (number <= 9) {
      const key = element('span', 'key', String(number));
      key.setAttribute('aria-hidden', 'true');
      made.appendChild(key);
      made.appendChild(document.createTextNode(' '));
    }
    made.appendChild(label);
    made.addEventListener('click', () => enter(target, choice));
    return made;
  }

  function textLabel(text) {
    return document.createTextNode(text);
  }

  function piecesLabel(pieces) {
    return appendPieces(document.createDocumentFragment(), pieces);
  }

  function firstCustomerLine(node) {
    const line = node.lines.find((candidate) => candidate.kind === 'customer');
    return line ? line.text : null;
  }

  // --- The rehearsal ------------------------------------------------------------------

  function highlight(id) {
    for (const shape of diagramNodes) {
      const here = shape.getAttribute('data-node') === id;
      shape.classList.toggle('current', here);
      if (here) shape.classList.add('visited');
    }
  }

  function setCurrent(id, text) {
    status.setAttribute('data-current', id);
    status.textContent = text;
    highlight(id);
  }

  function begin(focus) {
    path = [];
    steps = [];
    back.disabled = true;
    transcript.replaceChildren();
    choices.replaceChildren();
    for (const shape of diagramNodes) shape.classList.remove('current', 'visited');
    setCurrent('', 'How does the call start?');
    data.starts.forEach((id, i) => {
      const line = firstCustomerLine(nodes.get(id));
      const label = line ? piecesLabel(line) : textLabel(id);
      choices.appendChild(button(id, i + 1, label, null));
    });
    if (data.starts.length === 0) choices.appendChild(element('p', 'notice', 'This script has no trigger.'));
    if (focus) focusFirstChoice();
  }

  function focusFirstChoice() {
    const first = choices.querySelector('button');
    (first || restart).focus();
  }

  // What the customer did to move on, as the transcript shows it (nothing for a plain ->).
  function pickLine(choice) {
    if (choice.kind === 'reply') return lineElement('pick', 'Customer answers:', choice.label, true);
    if (choice.kind === 'option') return lineElement('pick', 'Customer picks:', choice.label, true);
    if (choice.kind === 'otherwise') return lineElement('pick', 'Customer answers:', ['anything else'], false);
    return null;
  }

  function enter(id, choice, focus = true) {
    const node = nodes.get(id);
    steps.push({ id, choice });
    back.disabled = false;
    if (choice) {
      const picked = pickLine(choice);
      if (picked && transcript.lastElementChild) transcript.lastElementChild.appendChild(picked);
    }
    path.push(id);
    setCurrent(id, 'At ' + id + ' (' + node.stage + ')');

    transcript.appendChild(nodeEntry(id, node));
    offer(node);
    if (focus) focusFirstChoice();
  }

  // Undoes the last step: the call is played again from the start without it.
  function stepBack() {
    if (steps.length === 0) return;
    const kept = steps.slice(0, -1);
    begin(false);
    for (const step of kept) enter(step.id, step.choice, false);
    focusFirstChoice();
  }

  function offer(node) {
    choices.replaceChildren();
    const turn = node.turn;
    if (turn.kind === 'ends') {
      const ended = element('p', 'ended', 'Call ended: ' + turn.outcome + '.');
      ended.setAttribute('data-outcome', turn.outcome);
      choices.appendChild(ended);
      if (turn.follow_up) {
        const follow = element('p', 'line', 'Follow up after ');
        appendPieces(follow, turn.follow_up.after);
        follow.appendChild(document.createTextNode(': '));
        appendPieces(follow, turn.follow_up.note);
        choices.appendChild(follow);
      }
      choices.appendChild(element('p', 'route', 'Path taken: ' + path.join(' → ')));
    } else if (turn.kind === 'moves-on') {
      choices.appendChild(button(turn.target, 1, textLabel('Continue'), null));
    } else if (turn.kind === 'chooses') {
      const prompt = node.stage === 'options' ? 'The customer picks:' : 'The customer answers:';
      choices.appendChild(element('p', 'ask', prompt));
      turn.choices.forEach((choice, i) => {
        let label;
        if (choice.label) label = piecesLabel(choice.label);
        else if (choice.kind === 'otherwise') label = textLabel('(anything else)');
        else label = textLabel('Go on to ' + choice.target);
        choices.appendChild(button(choice.target, i + 1, label, choice));
      });
    } else {
      choices.appendChild(element('p', 'notice', 'This node has no way on.'));
    }
  }

  // --- Role-play cards ----------------------------------------------------------------
  // A card names its nodes (data-nodes) and the choice taken at each (data-choices: the
  // place among the node's choices, or "-" for a plain ->); the text comes from the one node
  // table, so a long line is on the page once however many cards show it.

  function fillCard(card) {
    const ids = card.getAttribute('data-nodes').split(' ');
    const picks = (card.getAttribute('data-choices') || '').split(' ');
    const turns = card.querySelector('.turns');
    turns.replaceChildren(); // written again when the language changes
    const ended = card.querySelector('.end');
    if (ended) ended.remove();
    ids.forEach((id, step) => {
      const node = nodes.get(id);
      if (!node) return;
      const item = nodeEntry(id, node);
      const place = picks[step];
      if (step + 1 < ids.length && place !== undefined && place !== '-' && node.turn.kind === 'chooses') {
        const picked = pickLine(node.turn.choices[Number(place)]);
        if (picked) item.appendChild(picked);
      }
      turns.appendChild(item);
    });
    const last = nodes.get(ids[ids.length - 1]);
    const end = element('p', 'end', 'Outcome: ');
    end.appendChild(element('strong', '', last && last.turn.kind === 'ends' ? last.turn.outcome : 'none'));
    if (last && last.turn.kind === 'ends' && last.turn.follow_up) {
      end.appendChild(document.createTextNode(' · Follow up after '));
      appendPieces(end, last.turn.follow_up.after);
      end.appendChild(document.createTextNode(': '));
      appendPieces(end, last.turn.follow_up.note);
    }
    card.appendChild(end);
  }

  for (const card of document.querySelectorAll('#paths .path')) fillCard(card);

  // --- The diagram: fit to width, and say when it scrolls ------------------------------

  const drawing = document.getElementById('drawing');
  const fit = document.getElementById('fit');
  const scrollHint = document.getElementById('scroll-hint');
  let svg = drawing.querySelector('svg'); // the shown locale's, on a page with a language switch

  function showScrollHint() {
    const scrolls = drawing.scrollWidth > drawing.clientWidth + 1 || drawing.scrollHeight > drawing.clientHeight + 1;
    scrollHint.hidden = !scrolls;
    scrollHint.textContent = drawing.classList.contains('fit')
      ? 'The drawing is taller than the window: scroll down inside it.'
      : 'The drawing is larger than the window: scroll to see all of it, or fit it to the width.';
  }

  fit.addEventListener('click', () => {
    const fitted = drawing.classList.toggle('fit');
    fit.setAttribute('aria-pressed', String(fitted));
    fit.textContent = fitted ? 'Actual size (100%)' : 'Fit to width';
    showScrollHint();
  });
  window.addEventListener('resize', showScrollHint);
  showScrollHint();

  // --- The diagram on paper -------------------------------------------------------------
  // Print puts the diagram on landscape pages of its own, at a scale where its smallest text
  // (10 px badges, 11 px edge labels) stays at least 8 px. A drawing larger than a page is
  // cut into parts that overlap, each named with its row and column, in a print-only copy.

  const PAGE_WIDTH = 960; // CSS px on a landscape A4 or Letter page, margins taken off
  const PAGE_HEIGHT = 560; // leaves room for the title above the first part
  const MIN_SCALE = 0.8;
  const OVERLAP = 120; // drawing units two neighbouring parts share

  function printParts() {
    const box = svg && svg.viewBox && svg.viewBox.baseVal;
    if (!box || box.width === 0 || box.height === 0) return;
    const holder = document.getElementById('diagram-print');
    // The scale that keeps the smallest text at 8 px: 80 % for the built-in diagram's 10 px
    // badges; Graphviz's sizes are its own.
    let smallest = Infinity;
    for (const text of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(text).fontSize);
      if (size > 0 && text.textContent.trim()) smallest = Math.min(smallest, size);
    }
    const readable = Number.isFinite(smallest) ? Math.max(MIN_SCALE, 8 / smallest) : MIN_SCALE;
    const fitScale = Math.min(1, PAGE_WIDTH / box.width, PAGE_HEIGHT / box.height);
    const scale = Math.max(fitScale, readable);
    const partWidth = Math.min(box.width, PAGE_WIDTH / scale);
    const partHeight = Math.min(box.height, PAGE_HEIGHT / scale);
    const count = (whole, part) => (whole <= part ? 1 : Math.ceil((whole - OVERLAP) / (part - OVERLAP)));
    const columns = count(box.width, partWidth);
    const rows = count(box.height, partHeight);
    const total = rows * columns;
    let number = 0;
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        number += 1;
        const x = box.x + Math.min(column * (partWidth - OVERLAP), box.width - partWidth);
        const y = box.y + Math.min(row * (partHeight - OVERLAP), box.height - partHeight);
        const part = element('figure', 'print-part');
        const copy = svg.cloneNode(true);
        renameIds(copy, '-part' + number);
        copy.setAttribute('viewBox', [x, y, partWidth, partHeight].join(' '));
        copy.setAttribute('width', String(Math.round(partWidth * scale)));
        copy.setAttribute('height', String(Math.round(partHeight * scale)));
        part.appendChild(copy);
        if (total > 1) {
          const where = 'Stages, part ' + number + ' of ' + total + ' (row ' + (row + 1) + ' of ' + rows +
            ', column ' + (column + 1) + ' of ' + columns + '). Parts overlap at their edges; ' +
            'an arrow that leaves a part goes on in the part ' + (column + 1 < columns ? 'to the right' : 'below') + '.';
          part.appendChild(element('figcaption', '', where));
        }
        holder.appendChild(part);
      }
    }
  }

  // A copy's ids must be its own: markers and titles are found by id.
  function renameIds(copy, suffix) {
    const renamed = new Map();
    for (const named of copy.querySelectorAll('[id]')) {
      renamed.set(named.id, named.id + suffix);
      named.id += suffix;
    }
    for (const user of copy.querySelectorAll('*')) {
      for (const attribute of Array.from(user.attributes)) {
        const value = attribute.value;
        if (value.includes('url(#')) {
          user.setAttribute(attribute.name, value.replace(/url\(#([^)]+)\)/g, (all, id) =>
            renamed.has(id) ? 'url(#' + renamed.get(id) + ')' : all));
        } else if (attribute.name === 'aria-labelledby' || attribute.name === 'href') {
          const id = value.replace(/^#/, '');
          if (renamed.has(id)) user.setAttribute(attribute.name, value.replace(id, renamed.get(id)));
        }
      }
    }
    copy.removeAttribute('data-node');
    for (const node of copy.querySelectorAll('[data-node]')) node.removeAttribute('data-node');
  }

  // Made once, when the browser is idle after loading (so the page shows at once) or, at the
  // latest, just before printing.
  let partsMade = false;
  function makePrintParts() {
    if (partsMade) return;
    partsMade = true;
    printParts();
  }
  window.addEventListener('beforeprint', makePrintParts);
  if (window.requestIdleCallback) window.requestIdleCallback(makePrintParts, { timeout: 2000 });
  else setTimeout(makePrintParts, 200);

  // --- The language switch -------------------------------------------------------------
  // Shows one locale's text (each element with its data-locale) and rehearses in it. The
  // rehearsal keeps its place: the steps taken are taken again in the new locale, so the
  // current node, the transcript and Back stay; the placeholders' values stay as typed.

  function showLocale(locale) {
    for (const holder of document.querySelectorAll('[data-locale]')) {
      if (holder.localName !== 'script' && holder.localName !== 'title') {
        holder.hidden = holder.getAttribute('data-locale') !== locale;
      }
    }
    const lang = picker.selectedOptions[0].lang;
    document.documentElement.lang = lang;
    const heading = Array.from(document.querySelectorAll('h1 [data-locale]')).find(
      (title) => title.getAttribute('data-locale') === locale);
    const title = document.querySelector('title');
    title.textContent = heading.textContent + ' · trainer page';
    title.setAttribute('data-locale', locale);
    title.lang = lang;
    const shown = Array.from(drawing.querySelectorAll('[data-locale]')).find((held) => !held.hidden);
    if (shown) svg = shown.querySelector('svg');
  }

  function switchLocale() {
    // Each step as its node and the place of its choice among the previous node's choices,
    // which are the same in every locale.
    const taken = steps.map((step, i) => ({
      id: step.id,
      place: step.choice ? nodes.get(steps[i - 1].id).turn.choices.indexOf(step.choice) : -1,
    }));
    data = tables.get(picker.value);
    nodes = new Map(data.nodes.map((node) => [node.id, node]));
    showLocale(picker.value);
    for (const card of document.querySelectorAll('#paths .path')) fillCard(card);
    if (partsMade) {
      document.getElementById('diagram-print').replaceChildren();
      printParts();
    }
    begin(false);
    taken.forEach((step, i) => {
      const choice = step.place >= 0 ? nodes.get(taken[i - 1].id).turn.choices[step.place] : null;
      enter(step.id, choice, false);
    });
    showScrollHint();
  }

  if (picker) {
    showLocale(picker.value);
    picker.addEventListener('change', switchLocale);
  }

  restart.addEventListener('click', () => begin(true));
  back.addEventListener('click', stepBack);

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target.closest && event.target.closest('input, textarea, select, [contenteditable]');
    if (typing) return;
    if (event.key === 'r' || event.key === 'R') {
      event.preventDefault();
      begin(true);
    } else if (event.key === 'b' || event.key === 'B') {
      event.preventDefault();
      stepBack();
    } else if (/^[1-9]$/.test(event.key)) {
      const offered = choices.querySelectorAll('button[data-target]');
      const chosen = offered[Number(event.key) - 1];
      if (chosen) {
        event.preventDefault();
        chosen.click();
      }
    }
  });

  begin(false);
})();
