// A run: live progress (Server-Sent Events) and a gallery of result cards with heatmaps.
import { api, send, follow, h, svg, stateBadge, progressBar, done, duration, num, showError, param, reasonSentences,
  reasonText, named, confirmAction, TERMINAL, errorName, targetName } from './lumen.js';

const runId = param('id');
const $ = (id) => document.getElementById(id);
const gallery = $('gallery');
const bar = progressBar('Run progress');
$('progress-bar-slot').append(bar);

// View state: the global mode, per-image overrides, the selected target per image, the opacity.
const view = { heatmap: true, overrides: new Map(), selected: new Map(), opacity: 0.6, page: 0, last: null };
let progress = null;
let refreshTimer = null;
let lastRefreshDone = -1;

/**
 * Progressive RISE/D-RISE previews (decision 0045): while the run is not over, the latest map of every
 * target of the images still being explained, with "n masks", polled every 1.5 s (no progress event
 * comes while one slow image is sampled) and again at every progress update, so that an image whose
 * result arrived drops out at once. The section is hidden when there is nothing to show.
 */
const PREVIEW_POLL_MS = 1500;
let previewTimer = null;
let previewLoading = false;

function progressivePreview(p) {
  if (TERMINAL.has(p.state)) {
    if (previewTimer) clearInterval(previewTimer);
    previewTimer = null;
    showPreviews([]);
    return;
  }
  if (!previewTimer) previewTimer = setInterval(loadPreviews, PREVIEW_POLL_MS);
  loadPreviews();
}

async function loadPreviews() {
  if (previewLoading) return;
  previewLoading = true;
  try {
    const previews = await api('/api/runs/' + encodeURIComponent(runId) + '/previews');
    // A poll answered after the run ended must not bring previews back.
    if (previewTimer) showPreviews(previews);
  } catch (e) {
    // Previews are best effort; the progress and the results say what matters.
  } finally {
    previewLoading = false;
  }
}

function showPreviews(previews) {
  const section = $('progressive-preview');
  section.hidden = previews.length === 0;
  const byImage = new Map();
  for (const preview of previews) {
    if (!byImage.has(preview.imageId)) byImage.set(preview.imageId, []);
    byImage.get(preview.imageId).push(preview);
  }
  const cards = [...byImage].map(([imageId, targets]) => h('article', { class: 'card preview-card', 'data-image-id': imageId },
    h('div', { class: 'card-body' },
      h('h3', { class: 'card-title' }, imageId),
      h('div', { class: 'preview-targets' }, ...targets.map(previewFigure)))));
  $('progressive-preview-content').replaceChildren(h('div', { class: 'gallery' }, ...cards));
}

function previewFigure(preview) {
  const canvas = h('canvas', { width: preview.width, height: preview.height, class: 'preview-map',
    role: 'img', 'aria-label': 'map of ' + preview.label + ' after ' + preview.masks + ' masks' });
  const context = canvas.getContext('2d');
  const pixels = context.createImageData(preview.width, preview.height);
  preview.cells.forEach((value, i) => {
    const [r, g, b] = heat(value / 255);
    pixels.data.set([r, g, b, 255], i * 4);
  });
  context.putImageData(pixels, 0, 0);
  return h('figure', { class: 'preview', 'data-target': String(preview.target), 'data-masks': String(preview.masks) },
    canvas,
    h('figcaption', {},
      h('span', {}, preview.label + ' ' + num(preview.score, 2)),
      ' · ',
      h('span', { class: 'preview-masks' }, preview.masks + ' masks'),
      h('span', { class: 'muted', title: 'predicted correlation with the map of all ' + preview.budget + ' masks' },
        ' of ' + preview.budget + ' · r≈' + num(preview.predictedCorrelation, 2))));
}

/** The heatmap's colours: dark blue through cyan, yellow to red. */
function heat(v) {
  const stops = [[0, 0, 64], [0, 96, 255], [0, 224, 255], [255, 240, 0], [255, 48, 0]];
  const x = Math.max(0, Math.min(1, v)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return stops[i].map((c, k) => Math.round(c + f * (stops[i + 1][k] - c)));
}

let metaShownFor = null;

function showMeta(p) {
  // Names instead of ids; the ids stay on hover (title) and in the run's id line.
  const key = [p.method, p.modelId, p.datasetId].join('|');
  if (key === metaShownFor) return;
  metaShownFor = key;
  const parts = [h('span', { title: 'run id' }, p.runId)];
  if (p.method) parts.push(' · ', h('span', {}, p.method));
  if (p.modelId) parts.push(' · model ', named('models', p.modelId, '/models.html?id=' + encodeURIComponent(p.modelId)));
  if (p.datasetId) parts.push(' · dataset ', named('datasets', p.datasetId, '/datasets.html?id=' + encodeURIComponent(p.datasetId)));
  $('run-meta').replaceChildren(...parts);
  const again = new URLSearchParams({ name: (p.name || 'run') + ' (again)' });
  if (p.modelId) again.set('model', p.modelId);
  if (p.datasetId) again.set('dataset', p.datasetId);
  if (p.method) again.set('method', p.method);
  if (p.total) again.set('images', p.total);
  $('rerun-link').href = '/new-run.html?' + again;
}

function showActions(p) {
  const running = !TERMINAL.has(p.state);
  $('run-actions').hidden = false;
  $('cancel-run').hidden = !running;
  $('delete-run').hidden = running;
  if (!running && $('action-status').textContent.startsWith('Cancelling')) {
    $('action-status').textContent = p.state === 'CANCELLED' ? 'Cancelled.' : '';
  }
}

function showProgress(p) {
  progress = p;
  document.title = (p.name || p.runId) + ' · Lumen';
  $('run-title').textContent = p.name || p.runId;
  $('crumb-run').textContent = p.name || p.runId;
  $('run-state').replaceChildren(stateBadge(p.state));
  showMeta(p);
  showActions(p);
  progressivePreview(p);
  bar.update(p);
  const parts = [done(p) + ' of ' + p.total + ' images', p.explained + ' explained', p.skipped + ' skipped',
    p.failed + ' failed'];
  let text = parts[0] + ' (' + parts.slice(1).join(', ') + ')';
  const eta = $('progress-text');
  if (!TERMINAL.has(p.state)) {
    text += ' · ' + num(p.imagesPerSecond, 2) + ' images/s';
    text += ' · ETA ' + (p.etaSeconds === undefined || p.etaSeconds === null ? 'unknown' : duration(p.etaSeconds));
    // The same number the CLI's bar shows for this snapshot (both read the run's published progress).
    eta.dataset.etaSeconds = p.etaSeconds === undefined || p.etaSeconds === null ? '' : String(p.etaSeconds);
    eta.dataset.updatedAt = p.updatedAt || '';
  } else if (p.completedAt && p.requestedAt) {
    text += ' · took ' + duration((new Date(p.completedAt) - new Date(p.requestedAt)) / 1000);
  }
  $('progress-text').textContent = text;
  if (TERMINAL.has(p.state)) delete eta.dataset.etaSeconds;
  $('reasons').replaceChildren(...reasonSentences(p).map((r) => h('li', { class: 'reason reason-' + r.kind }, r.text)));
  // New results while running: refresh the gallery now and then, not on every event.
  if (done(p) !== lastRefreshDone && !refreshTimer) {
    const first = lastRefreshDone < 0;
    refreshTimer = setTimeout(() => { refreshTimer = null; loadResults(); }, first || TERMINAL.has(p.state) ? 0 : 2000);
  }
}

/** Query parameter of each gallery control (the error select's id differs: "error" is the page's alert). */
const FILTERS = { outcome: 'outcome', label: 'label', 'error-type': 'error', sort: 'sort', order: 'order' };

function query() {
  const q = new URLSearchParams({ page: view.page, size: 24 });
  for (const [id, name] of Object.entries(FILTERS)) {
    if ($(id).value) q.set(name, $(id).value);
  }
  return q;
}

/**
 * Filters given in the page's address (the insights page links here with ?label=cat&error=missed) set the
 * controls before the first listing; each later change is written back, so a filtered gallery can be linked.
 */
function filtersFromAddress() {
  for (const [id, name] of Object.entries(FILTERS)) {
    const value = param(name);
    if (!value) continue;
    const select = $(id);
    if (![...select.options].some((o) => o.value === value)) select.append(h('option', { value }, value));
    select.value = value;
  }
}

function filtersToAddress() {
  const address = new URLSearchParams(location.search);
  for (const [id, name] of Object.entries(FILTERS)) {
    if ($(id).value) address.set(name, $(id).value); else address.delete(name);
  }
  history.replaceState(null, '', location.pathname + '?' + address);
}

async function loadResults() {
  if (!progress) return;
  lastRefreshDone = done(progress);
  try {
    const page = await api('/api/runs/' + encodeURIComponent(runId) + '/results?' + query());
    view.last = page;
    renderLabels(page.labels || {});
    renderErrors(page.errors);
    renderGallery(page);
    showError(null);
  } catch (e) {
    gallery.removeAttribute('aria-busy');
    showError('Cannot load the results: ' + e.message);
  }
}

function renderLabels(labels) {
  const select = $('label');
  const current = select.value;
  const options = [h('option', { value: '' }, 'All labels')];
  for (const [label, n] of Object.entries(labels)) {
    options.push(h('option', { value: label }, label + ' (' + n + ')'));
  }
  if (current && !(current in labels)) options.push(h('option', { value: current }, current));
  select.replaceChildren(...options);
  select.value = current;
}

/**
 * The error filter: every error type with images in this run, with the number of images the filter
 * returns (GET results' "errors", unfiltered). Hidden when no image has an evaluation against ground truth.
 */
function renderErrors(errors) {
  const select = $('error-type');
  const current = select.value;
  const counts = errors || {};
  const options = [h('option', { value: '' }, 'All images')];
  for (const [type, n] of Object.entries(counts)) {
    if (n > 0 || type === current) {
      options.push(h('option', { value: type, 'data-count': String(n) }, errorName(type) + ' (' + n + ')'));
    }
  }
  if (current && !(current in counts)) options.push(h('option', { value: current }, errorName(current)));
  select.replaceChildren(...options);
  select.value = current;
  $('error-control').hidden = !errors && !current;
}

function renderGallery(page) {
  gallery.removeAttribute('aria-busy');
  const stored = Object.values(page.outcomes || {}).reduce((a, b) => a + b, 0);
  $('result-count').textContent = page.matching + ' of ' + stored + ' results';
  if (page.items.length === 0) {
    gallery.replaceChildren(emptyState(page, stored));
  } else {
    // Stored results never change: keep the cards already shown (and their loaded images), since
    // every listing presigns new URLs that the browser would download again.
    const shown = new Map([...gallery.querySelectorAll('.card')].map((el) => [el.dataset.imageId, el]));
    gallery.replaceChildren(...page.items.map((item) => shown.get(item.imageId) || card(item)));
  }
  $('pager').hidden = page.totalPages <= 1;
  $('page-info').textContent = 'Page ' + (page.page + 1) + ' of ' + page.totalPages;
  $('prev').disabled = page.page <= 0;
  $('next').disabled = page.page + 1 >= page.totalPages;
}

function emptyState(page, stored) {
  if (stored === 0) {
    const running = progress && !TERMINAL.has(progress.state);
    return h('div', { class: 'empty' }, h('h3', {}, running ? 'No results yet' : 'No results'),
      h('p', {}, running ? 'Images appear here as the workers explain them.' : 'This run stored no image results.'));
  }
  return h('div', { class: 'empty' }, h('h3', {}, 'No image matches these filters'),
    h('p', {}, stored + ' results are stored; change the outcome, label or error filter to see them.'));
}

function showsHeatmap(imageId) {
  return view.overrides.has(imageId) ? view.overrides.get(imageId) : view.heatmap;
}

function card(item) {
  const maps = item.explanations || [];
  const selected = Math.min(view.selected.get(item.imageId) || 0, Math.max(0, maps.length - 1));
  const detail = '/image.html?run=' + encodeURIComponent(runId) + '&image=' + encodeURIComponent(item.imageId);
  const ratio = item.width && item.height ? item.width + ' / ' + item.height : '1 / 1';
  const frame = h('div', { class: 'frame', style: { aspectRatio: ratio } });
  if (item.original) {
    frame.append(h('img', { class: 'original', src: item.original, alt: 'Image ' + item.imageId, loading: 'lazy',
      onerror: (e) => e.target.replaceWith(h('span', { class: 'img-missing' }, 'image unavailable (reload the page)')) }));
  }
  const el = h('article', { class: 'card outcome-' + String(item.outcome).toLowerCase(), 'data-image-id': item.imageId },
    frame);
  const body = h('div', { class: 'card-body' },
    h('h3', { class: 'card-title' }, h('a', { href: detail, title: 'Details of image ' + item.imageId }, item.imageId)));
  el.append(body);
  if (item.errors && item.errors.length) {
    body.append(h('p', { class: 'error-badges', 'aria-label': 'Errors against ground truth' },
      ...item.errors.map((type) => h('span', { class: 'badge error-badge error-' + type, 'data-error': type }, errorName(type)))));
  }
  if (maps.length === 0) {
    body.append(h('p', { class: 'badge outcome-badge' }, String(item.outcome).toLowerCase()),
      h('p', { class: 'reason-text' }, reasonText(item.reason)));
    return el;
  }
  const heat = h('img', { class: 'heat', alt: '', loading: 'lazy' });
  const boxes = svg('svg', { class: 'boxes', viewBox: '0 0 ' + (item.width || 1) + ' ' + (item.height || 1),
    preserveAspectRatio: 'none', 'aria-hidden': 'true' });
  frame.append(heat, boxes);
  const toggle = h('button', { type: 'button', class: 'toggle', 'aria-label': 'Heatmap on image ' + item.imageId });
  const targets = h('div', { class: 'targets', role: 'group', 'aria-label': 'Explained targets of ' + item.imageId });
  const metrics = h('p', { class: 'metrics small' });
  const buttons = maps.map((m, i) => h('button', { type: 'button',
    class: 'target' + (m.target.role ? ' role-' + m.target.role : ''), 'aria-pressed': String(i === selected),
    onclick: () => { view.selected.set(item.imageId, i); apply(i); } },
  targetName(m.target) + ' ', h('span', { class: 'score' }, num(m.target.score, 2))));
  targets.append(...buttons);
  body.append(targets, metrics, toggle);

  function apply(i) {
    const m = maps[i];
    buttons.forEach((b, j) => b.setAttribute('aria-pressed', String(i === j)));
    heat.src = m.heatmap;
    heat.alt = 'Heatmap of ' + targetName(m.target) + ' (score ' + num(m.target.score, 2) + ') on image ' + item.imageId;
    drawBoxes(boxes, item, m.target);
    metrics.textContent = 'deletion ' + num(m.metrics && m.metrics.deletionAuc, 3) + ' · insertion '
      + num(m.metrics && m.metrics.insertionAuc, 3);
  }
  el.applyView = () => {
    const on = showsHeatmap(item.imageId);
    el.dataset.view = on ? 'heatmap' : 'original';
    heat.hidden = !on;
    heat.style.opacity = view.opacity;
    // A toggle button: a constant name, the state in aria-pressed (and in the visible text).
    toggle.setAttribute('aria-pressed', String(on));
    toggle.textContent = on ? 'Heatmap: on' : 'Heatmap: off';
  };
  toggle.addEventListener('click', () => {
    view.overrides.set(item.imageId, !showsHeatmap(item.imageId));
    el.applyView();
  });
  apply(selected);
  el.applyView();
  return el;
}

/**
 * Every predicted box (dashed) and the explained target's box (solid), each with its label and score,
 * in image pixels over the original and the heatmap alike.
 */
function drawBoxes(layer, item, target) {
  layer.replaceChildren();
  const same = (p) => target && p.label === target.label && p.box && target.box
    && p.box.every((v, i) => Math.abs(v - target.box[i]) < 1e-6);
  const size = Math.max(10, Math.round((item.width || 100) / 18));
  const label = (box, text, cls) => {
    const [x1, y1] = box;
    layer.append(svg('text', { x: x1 + 2, y: y1 > size + 2 ? y1 - 3 : y1 + size, class: cls, style: 'font-size:' + size + 'px' }, text));
  };
  for (const p of item.predictions || []) {
    if (!p.box || same(p)) continue;
    const [x1, y1, x2, y2] = p.box;
    layer.append(svg('rect', { x: x1, y: y1, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1), class: 'box other' }));
    label(p.box, p.label + ' ' + num(p.score, 2), 'box-label other');
  }
  if (target && target.box) {
    const [x1, y1, x2, y2] = target.box;
    layer.append(svg('rect', { x: x1, y: y1, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1), class: 'box' }));
    label(target.box, targetName(target) + ' ' + num(target.score, 2), 'box-label');
  }
  const boxed = layer.querySelectorAll('rect').length;
  layer.setAttribute('data-boxes', String(boxed));
}

async function cancelRun() {
  const ok = await confirmAction('Cancel ' + (progress.name || runId) + '?',
    'Images being explained now finish; the workers skip the rest. The results so far are kept.', 'Cancel run');
  if (!ok) return;
  $('cancel-run').disabled = true;
  try {
    await send('POST', '/api/runs/' + encodeURIComponent(runId) + '/cancel', { reason: 'cancelled in the web UI' });
    $('action-status').textContent = 'Cancelling: the workers skip the remaining images.';
  } catch (e) {
    showError('The run was not cancelled: ' + e.message);
  } finally {
    $('cancel-run').disabled = false;
  }
}

async function deleteRun() {
  const ok = await confirmAction('Delete ' + (progress.name || runId) + '?',
    'The run and all its stored results (maps, overlays, insights) are removed for good.', 'Delete run');
  if (!ok) return;
  try {
    await send('DELETE', '/api/runs/' + encodeURIComponent(runId));
    location.href = '/?deleted=' + encodeURIComponent(progress.name || runId);
  } catch (e) {
    showError('The run was not deleted: ' + e.message);
  }
}

$('cancel-run').addEventListener('click', cancelRun);
$('delete-run').addEventListener('click', deleteRun);

function setGlobal(heatmap) {
  view.heatmap = heatmap;
  view.overrides.clear();
  $('show-heatmap').setAttribute('aria-pressed', String(heatmap));
  $('show-original').setAttribute('aria-pressed', String(!heatmap));
  for (const el of gallery.querySelectorAll('.card')) {
    if (el.applyView) el.applyView();
  }
}

$('show-heatmap').addEventListener('click', () => setGlobal(true));
$('show-original').addEventListener('click', () => setGlobal(false));
$('opacity').addEventListener('input', (e) => {
  view.opacity = e.target.value / 100;
  $('opacity-value').textContent = e.target.value + '%';
  for (const img of gallery.querySelectorAll('img.heat')) img.style.opacity = view.opacity;
});
for (const id of Object.keys(FILTERS)) {
  $(id).addEventListener('change', () => { view.page = 0; filtersToAddress(); loadResults(); });
}
filtersFromAddress();
$('prev').addEventListener('click', () => { view.page = Math.max(0, view.page - 1); loadResults(); });
$('next').addEventListener('click', () => { view.page += 1; loadResults(); });

/** Links to the run's insights and to comparisons with the runs over the same images. */
async function showLinks() {
  const id = encodeURIComponent(runId);
  const links = [h('a', { id: 'insights-link', href: '/insights.html?run=' + id }, 'Insights')];
  try {
    for (const other of await api('/api/runs/' + id + '/comparable')) {
      links.push(h('a', { class: 'compare-link', 'data-run-id': other.runId,
        href: '/compare.html?a=' + id + '&b=' + encodeURIComponent(other.runId) },
      'Compare with ' + (other.name || other.runId) + (other.method ? ' (' + other.method + ')' : '')));
    }
  } catch (e) {
    // The insights link stands on its own; a failure here shows up on the other calls too.
  }
  $('run-links').replaceChildren(...links);
  $('run-links').hidden = false;
}

/**
 * The run's progress. A run just created on the form (created=1) reaches results-service through the
 * broker a moment after run-service accepted it: until then its progress is not found, so wait.
 */
async function firstProgress() {
  const path = '/api/runs/' + encodeURIComponent(runId) + '/progress';
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      return await api(path);
    } catch (e) {
      if (e.status !== 404 || param('created') !== '1' || Date.now() > deadline) throw e;
      $('progress-text').textContent = 'Queued: waiting for the run to reach the results service…';
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function start() {
  if (!runId) {
    showError('No run given: open this page from the runs list.');
    $('run-content').hidden = true;
    return;
  }
  try {
    showProgress(await firstProgress());
  } catch (e) {
    gallery.removeAttribute('aria-busy');
    showError(e.status === 404 ? 'Run ' + runId + ' does not exist.' : 'Cannot load the run: ' + e.message);
    $('run-content').hidden = true;
    return;
  }
  showLinks();
  // A cancelled run goes on counting the images the workers skip after it: follow until all are in.
  const settled = (p) => TERMINAL.has(p.state) && done(p) >= p.total;
  if (!settled(progress)) {
    const source = follow('/api/runs/' + encodeURIComponent(runId) + '/events', (p) => {
      showProgress(p);
      if (settled(p)) {
        source.close();
        $('live').textContent = '';
        delete $('live').dataset.status;
      }
    }, (status) => {
      $('live').textContent = status === 'live' ? 'live' : status === 'reconnecting' ? 'reconnecting…' : '';
      $('live').dataset.status = status;
    });
  }
}
start();
