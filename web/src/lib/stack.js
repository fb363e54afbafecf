// Labels for tables that become cards on a narrow screen (issue 25 item 4;
// styles/tables.css). For every <table class="st-stack"> on the page: each
// body cell gets data-label with its column's visible header text (a column
// whose header is visually hidden, such as the row's buttons, gets none),
// and the table's parts get their ARIA roles explicitly, because a browser
// drops the table semantics of elements whose CSS display is changed.
// Watches the DOM, so tables rendered later are labelled too.
const ROLES = [
  ['table.st-stack', 'table'],
  ['table.st-stack > thead, table.st-stack > tbody', 'rowgroup'],
  ['table.st-stack > * > tr', 'row'],
  ['table.st-stack > thead > tr > th', 'columnheader'],
  ['table.st-stack > tbody > tr > th', 'rowheader'],
  ['table.st-stack > tbody > tr > td', 'cell'],
];

function visibleText(th) {
  const copy = th.cloneNode(true);
  for (const hidden of copy.querySelectorAll('.rhc-visually-hidden, .st-visually-hidden')) hidden.remove();
  return copy.textContent.trim();
}

function label(table) {
  const heads = [...table.querySelectorAll(':scope > thead > tr > th')].map(visibleText);
  for (const row of table.querySelectorAll(':scope > tbody > tr')) {
    [...row.children].forEach((cell, i) => {
      const text = heads[i] || '';
      if (text && cell.dataset.label !== text) cell.dataset.label = text;
      else if (!text && cell.hasAttribute('data-label')) cell.removeAttribute('data-label');
    });
  }
}

function apply(root) {
  for (const [selector, role] of ROLES)
    for (const el of root.querySelectorAll(selector)) if (el.getAttribute('role') !== role) el.setAttribute('role', role);
  for (const table of root.querySelectorAll('table.st-stack')) label(table);
}

/** Labels every stacking table now and whenever the page changes. */
export function startStackedTables(root = document.body) {
  let queued = false;
  const run = () => {
    queued = false;
    apply(root);
  };
  new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(run);
    }
  }).observe(root, { subtree: true, childList: true, characterData: true });
  run();
}
