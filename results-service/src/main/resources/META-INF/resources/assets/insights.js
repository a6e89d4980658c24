// Insights page: a run's per-class insights, live while the run is in progress. insights.html?run=ID
import { api, download, h, param, showError, num, pct, showRunName, signed, errorName } from '/assets/lumen.js';
import { barChart, histogram, meanInterval, proportionInterval, ratioInterval } from '/assets/charts.js';

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
    ['meanInsertionAuc', 'Insertion AUC'], ['inBoxEnergy', 'In-box energy'], ['boxShare', 'Box share (chance)'],
    ['lift', 'Lift'], ['pointingHitRate', 'Pointing game'], ['contextReliance', 'Context reliance'], ['reference', 'Reference'],
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
    cell('inBoxEnergy', pct(c.inBoxEnergy)), cell('boxShare', pct(c.boxShare)), cell('lift', times(c.lift)),
    cell('pointingHitRate', pct(c.pointingHitRate)),
    cell('contextReliance', pct(c.contextReliance)), cell('reference', c.reference)));
  document.getElementById('classes').replaceChildren(h('thead', {}, head), h('tbody', {}, ...body));
}

/** A lift: how many times the chance level. */
function times(value) {
  return value === null || value === undefined ? '–' : num(value, 2) + '×';
}

/**
 * Per class, with intervals, from every map: in-box energy against its chance level, lift and context
 * reliance (ratios of means, as the API computes them), pointing game, deletion and insertion AUC.
 */
function renderCharts(view) {
  const images = view.images || [];
  const labels = view.classes.map((c) => c.label);
  const of = (label) => images.filter((i) => i.label === label);
  const rows = (measure) => labels.map((label) => ({ label, n: 0, value: null, ...(measure(of(label)) || {}) }));
  const measured = (xs) => xs.filter((i) => i.inBoxEnergy !== null && i.inBoxEnergy !== undefined);
  const energyRows = rows((xs) => {
    const m = measured(xs);
    const energy = meanInterval(m.map((i) => i.inBoxEnergy));
    const share = meanInterval(m.map((i) => i.boxShare));
    return energy && { ...energy, chance: share ? share.value : null };
  });
  const lifts = rows((xs) => {
    const m = measured(xs);
    const lift = ratioInterval(m.map((i) => i.inBoxEnergy), m.map((i) => i.boxShare));
    return lift && { ...lift, chance: 1 };
  });
  const liftMax = Math.max(2, ...lifts.map((r) => Math.ceil(Math.max(r.value || 0, r.high || 0))));
  const charts = [
    ['Context reliance (energy outside the box against an evenly spread map\'s: 0 on the object, 1 chance level)',
      rows((xs) => {
        const m = measured(xs);
        return ratioInterval(m.map((i) => 1 - i.inBoxEnergy), m.map((i) => 1 - i.boxShare), [0, 1]);
      }), 'chart-context', pct],
    ['In-box energy (share of the map inside the ' + (view.reference === 'prediction' ? 'predicted' : 'ground-truth')
      + ' box); the dashed mark is the box\'s share of the image, what an evenly spread map scores',
    energyRows, 'chart-energy', pct],
    ['Lift (in-box energy / box share; 1 is chance level, dashed)', lifts, 'chart-lift', times, liftMax],
    ['Pointing game (the map\'s maximum inside the box)', rows((xs) => proportionInterval(xs.map((i) => i.pointingHit))),
      'chart-pointing', pct],
    ['Deletion AUC (lower is better)', rows((xs) => meanInterval(xs.map((i) => i.deletionAuc))), 'chart-deletion',
      (v) => v.toFixed(3)],
    ['Insertion AUC (higher is better)', rows((xs) => meanInterval(xs.map((i) => i.insertionAuc))), 'chart-insertion',
      (v) => v.toFixed(3)],
  ];
  document.getElementById('charts').replaceChildren(...charts.map(([title, data, cls, format, max = 1]) => h('figure',
    { class: 'chart-figure' }, h('figcaption', {}, title), barChart(title, data, { format, className: cls, max }))));
  const reliances = images.map((i) => i.contextReliance).filter((v) => v !== null && v !== undefined);
  document.getElementById('histogram').replaceChildren(reliances.length === 0
    ? h('p', { class: 'muted' }, 'No map has a reference box to measure.')
    : h('figure', { class: 'chart-figure' }, h('figcaption', {}, reliances.length
      + ' maps; 0: all of the map on the object, 1: no more on it than an evenly spread map'),
    histogram('Context reliance of every map', reliances)));
}

/** The gallery of this run filtered by error type (and class, unless null). */
function galleryLink(type, label) {
  const q = new URLSearchParams({ id: runId, error: type });
  if (label !== null) q.set('label', label);
  return '/run.html?' + q;
}

/**
 * The Errors section: per class and error type, the predictions (missed objects) counted against the ground
 * truth, each a link to the filtered gallery; precision, recall; the most frequent confusions.
 */
function renderErrors(errors) {
  const table = document.getElementById('errors');
  const confusions = document.getElementById('confusions');
  if (!errors) {
    table.replaceChildren(h('tbody', {}, h('tr', {}, h('td', {}, 'No image has been matched against ground truth: '
      + 'the dataset has none for these images, or the run predates error typing.'))));
    confusions.replaceChildren();
    return;
  }
  const count = (n, type, label) => (n > 0
    ? h('a', { href: galleryLink(type, label), 'data-error': type, 'data-count': String(n),
      title: 'Open the ' + (label === null ? '' : label + ' ') + errorName(type) + ' images in the gallery' }, String(n))
    : h('span', { 'data-error': type, 'data-count': '0' }, '0'));
  const head = h('tr', {}, h('th', { scope: 'col' }, 'Class'),
    ...errors.types.map((t) => h('th', { scope: 'col', class: 'num', 'data-error': t }, errorName(t))),
    h('th', { scope: 'col', class: 'num' }, 'Predictions'), h('th', { scope: 'col', class: 'num' }, 'Precision'),
    h('th', { scope: 'col', class: 'num' }, 'Recall'));
  const rows = errors.classes.map((c) => h('tr', { 'data-label': c.label }, h('th', { scope: 'row' }, c.label),
    ...errors.types.map((t) => h('td', { class: 'num' }, count(c.counts[t] || 0, t, c.label))),
    h('td', { class: 'num' }, String(c.predictions)), h('td', { class: 'num' }, pct(c.precision)),
    h('td', { class: 'num' }, pct(c.recall))));
  // The totals row links to the images with each type, whatever the class: the gallery's own filter count.
  const totals = h('tr', { class: 'totals', 'data-label': '' }, h('th', { scope: 'row' }, 'All classes (images)'),
    ...errors.types.map((t) => h('td', { class: 'num', title: (errors.totals[t] || 0) + ' in all' },
      count(errors.images[t] || 0, t, null))), h('td', {}, ''), h('td', {}, ''), h('td', {}, ''));
  table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...rows), h('tfoot', {}, totals));
  confusions.replaceChildren(...(errors.confusions.length ? errors.confusions.map((c) => h('li', {
    'data-predicted': c.predicted, 'data-true-label': c.trueLabel,
  }, c.predicted + ' predicted where the ground truth has ' + c.trueLabel + ': ' + c.count + ' time' + (c.count === 1 ? '' : 's')))
    : [h('li', { class: 'muted' }, 'No prediction was given another class\'s label.')]));
}

function render(view) {
  lastView = view;
  renderErrors(view.errors);
  renderCharts(view);
  document.getElementById('insights-state').textContent = view.complete
    ? 'final' : 'updating: ' + view.processed + ' of ' + view.total + ' images';
  document.getElementById('insights-meta').textContent = view.processed + ' of ' + view.total + ' images counted';
  document.getElementById('reference-note').textContent = REFERENCE_TEXT[view.reference] || '';
  renderClasses(view);
  const byLabel = new Map(view.classes.map((c) => [c.label, c]));
  document.getElementById('ranking').replaceChildren(...view.contextReliance.map((label) => {
    const c = byLabel.get(label);
    return h('li', {}, label + ': context reliance ' + pct(c.contextReliance) + ' (in-box energy ' + pct(c.inBoxEnergy)
      + ' against a chance level of ' + pct(c.boxShare) + ', lift ' + times(c.lift) + ', n = ' + c.measured + ')',
    h('span', { class: 'bar', style: { width: Math.round(120 * c.contextReliance) + 'px' } }));
  }));
  const findings = view.findings || [];
  document.getElementById('findings').replaceChildren(...(findings.length ? findings.map((f) => h('li', {
    'data-kind': f.kind, 'data-label': f.label, 'data-tag': f.tag || '', 'data-measure': f.measure,
  }, f.sentence)) : [h('li', { class: 'muted' }, 'No effect with an interval that excludes zero yet.')]));
  const slices = view.slices || [];
  document.getElementById('dataset-tags').replaceChildren(...[...new Set(slices.map((s) => s.tag))].map((t) =>
    h('option', { value: t })));
  const diff = (d) => (d ? signed(d.difference) + ' (' + num(d.low, 2) + '..' + num(d.high, 2) + ')' : '–');
  document.getElementById('slices').replaceChildren(...(slices.length ? [
    h('thead', {}, h('tr', {}, ...['Tag', 'Class', 'n (tag / rest)', 'Score', 'In-box energy', 'Drop without context',
      'Drop without object'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...slices.map((s) => h('tr', { 'data-tag': s.tag, 'data-label': s.label },
      h('td', {}, s.tag), h('td', {}, s.label), h('td', {}, s.n + ' / ' + s.rest), h('td', {}, diff(s.score)),
      h('td', {}, diff(s.inBoxEnergy)), h('td', {}, diff(s.contextDrop)), h('td', {}, diff(s.objectDrop)))))]
    : [h('tbody', {}, h('tr', {}, h('td', {}, 'The dataset\'s images carry no tags.')))]));
  const tested = view.classes.filter((c) => c.contextTest);
  document.getElementById('context-test').replaceChildren(...(tested.length ? tested.map((c) => h('li', {
    'data-label': c.label, 'data-verdict': c.contextTest.verdict,
  }, c.contextTest.sentence)) : [h('li', { class: 'muted' }, 'No target had a context test (no box, or contextTest off).')]));
  if (tested.length) {
    const passes = tested.reduce((sum, c) => sum + c.contextTest.forwardPasses, 0);
    document.getElementById('context-test').append(h('li', { class: 'muted' }, 'The test added ' + passes
      + ' forward passes to this run.'));
  }
  document.getElementById('maps').replaceChildren(...view.classes.map((c) => h('figure', {},
    heat(c.meanMap, view.grid, 'Mean saliency of ' + c.label + ' over the image'),
    c.meanBoxMap ? heat(c.meanBoxMap, view.boxGrid, 'Mean saliency of ' + c.label + ' inside its box') : '',
    h('figcaption', {}, c.label + ': image' + (c.meanBoxMap ? ' · inside the box' : '')))));
  document.getElementById('away').replaceChildren(...view.lookingAway.map((i) => h('article', { class: 'away-card' },
    h('a', { href: i.details }, h('img', { src: i.overlay, alt: 'Overlay of ' + i.imageId, loading: 'lazy' })),
    h('p', {}, h('a', { href: i.details }, i.imageId)),
    h('p', { class: 'muted' }, i.label + ' · context reliance ' + pct(i.contextReliance) + ' · in box ' + pct(i.inBoxEnergy)
      + ' (chance ' + pct(i.boxShare) + ') · score ' + num(i.score, 3)))));
}

async function refresh() {
  try {
    const view = await api('/api/runs/' + encodeURIComponent(runId) + '/insights?images=true');
    showError(null);
    render(view);
    renderAgreement();
    if (!view.complete) setTimeout(refresh, 2000);
  } catch (e) {
    showError(e.message);
    setTimeout(refresh, 5000);
  }
}

/** How this run's maps agree with each run over the same images (GET /api/runs/{id}/insights/agreement). */
async function renderAgreement() {
  let agreements;
  try {
    agreements = await api('/api/runs/' + encodeURIComponent(runId) + '/insights/agreement');
  } catch (e) {
    return;
  }
  const table = document.getElementById('agreement');
  if (!agreements.length) {
    table.replaceChildren(h('tbody', {}, h('tr', {}, h('td', {}, 'No other run over the same images yet.'))));
    return;
  }
  const head = h('tr', {}, ...['Run', 'Method', 'Targets paired', 'Mean Pearson', 'Median Pearson',
    'Pointing agreement', 'Pointing hits (this run / other)', ''].map((t) => h('th', { scope: 'col' }, t)));
  const rows = agreements.map((a) => h('tr', { 'data-run-id': a.b },
    h('td', {}, a.b), h('td', {}, a.methodB || ''), h('td', { 'data-key': 'pairs' }, String(a.pairs)),
    h('td', { 'data-key': 'meanPearson' }, num(a.meanPearson, 3)), h('td', {}, num(a.medianPearson, 3)),
    h('td', { 'data-key': 'pointingAgreement' }, a.withReference ? pct(a.pointingAgreement) + ' of ' + a.withReference : 'no reference'),
    h('td', {}, a.withReference ? a.pointingHitsA + ' / ' + a.pointingHitsB : ''),
    h('td', {}, h('a', { href: '/compare.html?a=' + encodeURIComponent(runId) + '&b=' + encodeURIComponent(a.b) + '&sort=moved' },
      'maps that moved most'))));
  table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...rows));
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
  document.getElementById('series-runs').value = runId;
  document.getElementById('export-button').addEventListener('click', () => {
    download('/api/runs/' + encodeURIComponent(runId) + '/export', 'lumen-run-' + runId + '.zip')
      .catch((e) => showError('Cannot download the export: ' + e.message));
  });
  offerComparableRuns();
  refresh();
}

start();
