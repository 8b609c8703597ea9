
// defuse editor preview: added after the trainer page's script only in the page an editor
// shows (`defuse/preview`), never in `build --emit html`'s. Inside a VS Code webview it
// posts {type: 'reveal', node} when a diagram box is clicked, and takes {type: 'select', node}
// (scroll the diagram to the node and mark it; null: no node) and {type: 'status', message} (a banner while
// the script does not build; null hides it). The scroll positions are kept in the webview's
// state, so a page that replaces the previous one opens where the writer was.
'use strict';
(function () {
  const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
  const drawing = document.getElementById('drawing');
  if (vscode) document.documentElement.classList.add('in-editor');

  function shapes() {
    return Array.from(document.querySelectorAll('#drawing [data-node]'));
  }

  // Marks the node `id` (no node when it is not drawn) and, if asked, scrolls it into view.
  function select(id, scroll) {
    let chosen = null;
    for (const shape of shapes()) {
      if (shape.getAttribute('data-node') === id) {
        shape.setAttribute('data-selected', '');
        chosen = shape;
      } else {
        shape.removeAttribute('data-selected');
      }
    }
    if (chosen && scroll) show(chosen);
    return chosen;
  }

  // Scrolls the drawing so `shape` is in its middle; the page itself moves only when the
  // drawing is out of the window (the writer may be reading the cards or rehearsing).
  function show(shape) {
    const box = shape.getBoundingClientRect();
    const frame = drawing.getBoundingClientRect();
    drawing.scrollLeft += box.left + box.width / 2 - (frame.left + drawing.clientWidth / 2);
    drawing.scrollTop += box.top + box.height / 2 - (frame.top + drawing.clientHeight / 2);
    const now = drawing.getBoundingClientRect();
    if (now.bottom < 0 || now.top > window.innerHeight) drawing.scrollIntoView({ block: 'nearest' });
  }

  let banner = null;
  function status(message) {
    if (!message) {
      if (banner) banner.hidden = true;
      return;
    }
    if (!banner) {
      banner = document.createElement('p');
      banner.className = 'preview-banner';
      banner.setAttribute('role', 'status');
      document.body.insertBefore(banner, document.body.firstChild);
    }
    banner.textContent = message;
    banner.hidden = false;
  }

  drawing.addEventListener('click', (event) => {
    const shape = event.target.closest && event.target.closest('[data-node]');
    if (!shape || !vscode) return;
    vscode.postMessage({ type: 'reveal', node: shape.getAttribute('data-node') });
  });

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message !== 'object') return;
    if (message.type === 'select') select(typeof message.node === 'string' ? message.node : null, true);
    else if (message.type === 'status') status(typeof message.message === 'string' ? message.message : null);
  });

  // --- The scroll position across pages ------------------------------------------------
  const saved = (vscode && vscode.getState()) || null;
  if (saved && saved.scroll) {
    drawing.scrollLeft = saved.scroll.drawing[0];
    drawing.scrollTop = saved.scroll.drawing[1];
    window.scrollTo(saved.scroll.page[0], saved.scroll.page[1]);
  } else {
    const selected = document.querySelector('#drawing [data-selected]');
    if (selected) show(selected);
  }
  let pending = false;
  function remember() {
    if (!vscode || pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const scroll = { page: [window.scrollX, window.scrollY], drawing: [drawing.scrollLeft, drawing.scrollTop] };
      vscode.setState(Object.assign({}, vscode.getState() || {}, { scroll }));
    });
  }
  window.addEventListener('scroll', remember, { passive: true });
  drawing.addEventListener('scroll', remember, { passive: true });
})();
