// The runs list: every run with its state and progress, updated live from /api/runs/events.
import { api, follow, h, stateBadge, progressBar, done, duration, num, when, showError, named, param } from './lumen.js';

const container = document.getElementById('runs');
const live = document.getElementById('live');
const rows = new Map();
let tbody;

function runLink(p) {
  return h('a', { href: '/run.html?id=' + encodeURIComponent(p.runId) }, p.name || p.runId);
}

function row(p) {
  const bar = progressBar('Progress of ' + (p.name || p.runId));
  const cells = {
    state: h('td', {}),
    count: h('span', { class: 'count' }),
    outcomes: h('td', { class: 'num' }),
    rate: h('td', { class: 'num' }),
    eta: h('td', { class: 'num' }),
  };
  const tr = h('tr', { 'data-run-id': p.runId },
    h('th', { scope: 'row' }, runLink(p), h('div', { class: 'muted small' }, p.runId)),
    cells.state,
    h('td', { class: 'progress-cell' }, bar, cells.count),
    cells.outcomes, cells.rate, cells.eta,
    h('td', {}, p.method || '–', h('div', { class: 'muted small' }, named('models', p.modelId), ' on ',
      named('datasets', p.datasetId))),
    h('td', { class: 'small' }, when(p.requestedAt)));
  tr.update = (q) => {
    cells.state.replaceChildren(stateBadge(q.state));
    bar.update(q);
    cells.count.textContent = done(q) + ' / ' + q.total;
    cells.outcomes.textContent = q.explained + ' / ' + q.skipped + ' / ' + q.failed;
    cells.rate.textContent = num(q.imagesPerSecond, 2);
    cells.eta.textContent = q.etaSeconds === undefined || q.etaSeconds === null ? '–' : duration(q.etaSeconds);
  };
  tr.update(p);
  return tr;
}

function render(runs) {
  container.removeAttribute('aria-busy');
  if (runs.length === 0) {
    container.replaceChildren(h('div', { class: 'empty' },
      h('h2', {}, 'No runs yet'),
      h('p', {}, h('a', { href: '/new-run.html' }, 'Start a run'), ' (register a model and upload a dataset first), or use ',
        h('code', {}, './lumen demo'), '; it appears here as soon as results-service sees the request.')));
    tbody = null;
    return;
  }
  tbody = h('tbody', {});
  rows.clear();
  for (const p of runs) {
    const tr = row(p);
    rows.set(p.runId, tr);
    tbody.append(tr);
  }
  container.replaceChildren(h('table', { class: 'runs' },
    h('caption', { class: 'visually-hidden' }, 'Runs, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Run'), h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col' }, 'Progress'),
      h('th', { scope: 'col', class: 'num', title: 'explained / skipped / failed' }, 'Expl. / skip. / fail.'),
      h('th', { scope: 'col', class: 'num' }, 'Images/s'), h('th', { scope: 'col', class: 'num' }, 'ETA'),
      h('th', { scope: 'col' }, 'Method'), h('th', { scope: 'col' }, 'Requested'))),
    tbody));
}

async function load() {
  try {
    render(await api('/api/runs'));
    showError(null);
  } catch (e) {
    container.removeAttribute('aria-busy');
    container.replaceChildren();
    showError('Cannot load the runs: ' + e.message);
  }
}

let reloading = null;
function onProgress(p) {
  const tr = rows.get(p.runId);
  if (tr) {
    tr.update(p);
  } else if (!reloading) {
    // A run we have not listed yet: reload the list once rather than guess where it belongs.
    reloading = setTimeout(() => { reloading = null; load(); }, 500);
  }
}

if (param('deleted')) {
  const notice = document.getElementById('notice');
  notice.textContent = 'Deleted ' + param('deleted') + ' and its results.';
  notice.hidden = false;
}

follow('/api/runs/events', onProgress, (status) => {
  live.textContent = status === 'live' ? 'live' : status === 'reconnecting' ? 'reconnecting…' : '';
  live.dataset.status = status;
});
load();
