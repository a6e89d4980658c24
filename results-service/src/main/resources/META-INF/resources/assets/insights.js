// Insights page: a run's per-class insights, live while the run is in progress. insights.html?run=ID
import { api, download, h, param, showError, num, pct, showRunName } from '/assets/lumen.js';
import { barChart, histogram, meanInterval, proportionInterval } from '/assets/charts.js';

const runId = param('run');
const REFERENCE_TEXT = {
  'ground-truth': 'In-box measures compare each map with the ground-truth boxes of the dataset.',
  prediction: 'No ground truth for these images: in-box measures use the model\'s own predicted boxes.',
  none: 'No ground truth and no predicted boxes: in-box measures are not available.',
};
let classSort = { key: 'contextReliance', desc: true };
let lastView = null;

/** Draws a row-major grid of values in [0, 1] on a canvas (dark to hot). */
function heat(values, side, label) {
  const canvas = h('canvas', { width: side, height: side, role: 'img', 'aria-label': label });
  if (!values) return canvas;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(side, side);
  let max = 0;
  for (const v of values) max = Math.max(max, v);
  for (let i = 0; i < values.length; i++) {
    const t = max > 0 ? values[i] / max : 0;
    image.data[i * 4] = Math.round(255 * Math.min(1, 2 * t));
    image.data[i * 4 + 1] = Math.round(255 * Math.max(0, 2 * t - 1));
    image.data[i * 4 + 2] = Math.round(80 * (1 - t));
    image.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

function renderClasses(view) {
  const columns = [
    ['label', 'Class'], ['explained', 'Explained'], ['meanScore', 'Mean score'], ['meanDeletionAuc', 'Deletion AUC'],
    ['meanInsertionAuc', 'Insertion AUC'], ['inBoxEnergy', 'In-box energy'], ['pointingHitRate', 'Pointing game'],
    ['contextReliance', 'Context reliance'], ['reference', 'Reference'],
  ];
  const rows = [...view.classes].sort((a, b) => {
    const x = a[classSort.key];
    const y = b[classSort.key];
    if (x === y) return a.label < b.label ? -1 : 1;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * (classSort.desc ? -1 : 1);
  });
  const head = h('tr', {}, ...columns.map(([key, title]) => h('th', {
    scope: 'col', 'aria-sort': classSort.key === key ? (classSort.desc ? 'descending' : 'ascending') : 'none',
  }, h('button', { type: 'button', onclick: () => {
    classSort = { key, desc: classSort.key === key ? !classSort.desc : true };
    renderClasses(lastView);
  } }, title))));
  const cell = (key, text) => h('td', { 'data-key': key }, text);
  const body = rows.map((c) => h('tr', { 'data-label': c.label },
    cell('label', c.label), cell('explained', String(c.explained)), cell('meanScore', num(c.meanScore, 3)),
    cell('meanDeletionAuc', num(c.meanDeletionAuc, 3)), cell('meanInsertionAuc', num(c.meanInsertionAuc, 3)),
    cell('inBoxEnergy', pct(c.inBoxEnergy)), cell('pointingHitRate', pct(c.pointingHitRate)),
    cell('contextReliance', pct(c.contextReliance)), cell('reference', c.reference)));
  document.getElementById('classes').replaceChildren(h('thead', {}, head), h('tbody', {}, ...body));
}

/** Per class: in-box energy, pointing game, deletion and insertion AUC with intervals, from every map. */
function renderCharts(view) {
  const images = view.images || [];
  const labels = view.classes.map((c) => c.label);
  const of = (label) => images.filter((i) => i.label === label);
  const rows = (measure) => labels.map((label) => ({ label, n: 0, value: null, ...(measure(of(label)) || {}) }));
  const charts = [
    ['In-box energy (share of the map inside the ' + (view.reference === 'prediction' ? 'predicted' : 'ground-truth') + ' box)',
      rows((xs) => meanInterval(xs.map((i) => i.inBoxEnergy))), 'chart-energy', pct],
    ['Pointing game (the map\'s maximum inside the box)', rows((xs) => proportionInterval(xs.map((i) => i.pointingHit))),
      'chart-pointing', pct],
    ['Deletion AUC (lower is better)', rows((xs) => meanInterval(xs.map((i) => i.deletionAuc))), 'chart-deletion',
      (v) => v.toFixed(3)],
    ['Insertion AUC (higher is better)', rows((xs) => meanInterval(xs.map((i) => i.insertionAuc))), 'chart-insertion',
      (v) => v.toFixed(3)],
  ];
  document.getElementById('charts').replaceChildren(...charts.map(([title, data, cls, format]) => h('figure', { class: 'chart-figure' },
    h('figcaption', {}, title), barChart(title, data, { format, className: cls }))));
  const energies = images.map((i) => i.inBoxEnergy).filter((v) => v !== null && v !== undefined);
  document.getElementById('histogram').replaceChildren(energies.length === 0
    ? h('p', { class: 'muted' }, 'No map has a reference box to measure.')
    : h('figure', { class: 'chart-figure' }, h('figcaption', {}, energies.length + ' maps; share of each map inside its box'),
      histogram('In-box energy of every map', energies)));
}

function render(view) {
  lastView = view;
  renderCharts(view);
  document.getElementById('insights-state').textContent = view.complete
    ? 'final' : 'updating: ' + view.processed + ' of ' + view.total + ' images';
  document.getElementById('insights-meta').textContent = view.processed + ' of ' + view.total + ' images counted';
  document.getElementById('reference-note').textContent = REFERENCE_TEXT[view.reference] || '';
  renderClasses(view);
  const byLabel = new Map(view.classes.map((c) => [c.label, c]));
  document.getElementById('ranking').replaceChildren(...view.contextReliance.map((label) => {
    const c = byLabel.get(label);
    return h('li', {}, label + ': ' + pct(c.contextReliance) + ' of the saliency outside the object',
      h('span', { class: 'bar', style: { width: Math.round(120 * c.contextReliance) + 'px' } }));
  }));
  document.getElementById('maps').replaceChildren(...view.classes.map((c) => h('figure', {},
    heat(c.meanMap, view.grid, 'Mean saliency of ' + c.label + ' over the image'),
    c.meanBoxMap ? heat(c.meanBoxMap, view.boxGrid, 'Mean saliency of ' + c.label + ' inside its box') : '',
    h('figcaption', {}, c.label + ': image' + (c.meanBoxMap ? ' · inside the box' : '')))));
  document.getElementById('away').replaceChildren(...view.lookingAway.map((i) => h('article', { class: 'away-card' },
    h('a', { href: i.details }, h('img', { src: i.overlay, alt: 'Overlay of ' + i.imageId, loading: 'lazy' })),
    h('p', {}, h('a', { href: i.details }, i.imageId)),
    h('p', { class: 'muted' }, i.label + ' · in box ' + pct(i.inBoxEnergy) + ' · score ' + num(i.score, 3)))));
}

async function refresh() {
  try {
    const view = await api('/api/runs/' + encodeURIComponent(runId) + '/insights?images=true');
    showError(null);
    render(view);
    if (!view.complete) setTimeout(refresh, 2000);
  } catch (e) {
    showError(e.message);
    setTimeout(refresh, 5000);
  }
}

/** Offers the runs over the same images in the compare form. */
async function offerComparableRuns() {
  try {
    const runs = await api('/api/runs/' + encodeURIComponent(runId) + '/comparable');
    document.getElementById('comparable-runs').replaceChildren(...runs.map((r) => h('option', { value: r.runId },
      (r.name || r.runId) + (r.method ? ' (' + r.method + ')' : ''))));
    if (runs.length && !document.getElementById('compare-with').value) {
      document.getElementById('compare-with').value = runs[0].runId;
    }
  } catch (e) {
    // the form still takes any run id
  }
}

function start() {
  if (!runId) {
    showError('No run given: open insights.html?run=RUN_ID');
    return;
  }
  document.getElementById('crumb-run').href = '/run.html?id=' + encodeURIComponent(runId);
  showRunName(document.getElementById('crumb-run'), runId);
  showRunName(document.getElementById('insights-title'), runId, 'Insights · ').then((name) => {
    document.title = 'Insights · ' + name + ' · Lumen';
  });
  document.getElementById('compare-a').value = runId;
  document.getElementById('export-button').addEventListener('click', () => {
    download('/api/runs/' + encodeURIComponent(runId) + '/export', 'lumen-run-' + runId + '.zip')
      .catch((e) => showError('Cannot download the export: ' + e.message));
  });
  offerComparableRuns();
  refresh();
}

start();
