// One image of a run: original with boxes, heatmap, overlay, per-target metrics and a plot.
import { api, h, svg, num, showError, param, reasonText, showRunName, named, errorName, targetName } from './lumen.js';

const runId = param('run');
const imageId = param('image');
const $ = (id) => document.getElementById(id);
const content = $('content');

function figure(caption, ...children) {
  return h('figure', { class: 'view' }, ...children, h('figcaption', {}, caption));
}

/** An SVG layer in image pixels over an image: every prediction's box dashed, the target's solid. */
function boxLayer(item, target) {
  const layer = svg('svg', { class: 'boxes', viewBox: '0 0 ' + item.width + ' ' + item.height,
    preserveAspectRatio: 'none', role: 'img', 'aria-label': boxDescription(item, target) });
  for (const p of item.predictions || []) {
    if (!p.box || (target && sameTarget(p, target))) continue;
    layer.append(rect(p.box, 'box other'));
    layer.append(svg('text', { x: p.box[0] + 2, y: Math.max(p.box[1] - 3, 10), class: 'box-label other' },
      p.label + ' ' + num(p.score, 2)));
  }
  if (target && target.box) {
    layer.append(rect(target.box, 'box'));
    const [x1, y1] = target.box;
    layer.append(svg('text', { x: x1 + 2, y: Math.max(y1 - 3, 10), class: 'box-label' },
      targetName(target) + ' ' + num(target.score, 2)));
  }
  return layer;
}

function boxDescription(item, target) {
  const boxes = (item.predictions || []).filter((p) => p.box).length;
  if (!boxes && !(target && target.box)) return 'No boxes: the model predicts no regions for this image.';
  return boxes + ' predicted box' + (boxes === 1 ? '' : 'es') + (target && target.box ? ', ' + target.label + ' highlighted' : '');
}

function rect([x1, y1, x2, y2], cls) {
  return svg('rect', { x: x1, y: y1, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1), class: cls });
}

function sameTarget(a, b) {
  return a.label === b.label && a.index === b.index && Math.abs(a.score - b.score) < 1e-9;
}

/**
 * Deletion and insertion AUC of every target as a bar chart. The result events carry the areas under
 * the curves, not the curve points, so the areas are what can be drawn.
 */
function faithfulnessPlot(maps, selected) {
  const rowHeight = 34;
  const left = 120;
  const width = 420;
  const plotWidth = width - left - 50;
  const height = maps.length * rowHeight + 34;
  const chart = svg('svg', { class: 'plot', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
    'aria-label': 'Deletion and insertion AUC per target: ' + maps.map((m) => m.target.label + ' deletion '
      + num(m.metrics && m.metrics.deletionAuc, 3) + ', insertion ' + num(m.metrics && m.metrics.insertionAuc, 3)).join('; ') });
  for (let t = 0; t <= 4; t++) {
    const x = left + (plotWidth * t) / 4;
    chart.append(svg('line', { x1: x, y1: 4, x2: x, y2: height - 24, class: 'grid' }),
      svg('text', { x, y: height - 8, class: 'tick', 'text-anchor': 'middle' }, (t / 4).toFixed(2)));
  }
  maps.forEach((m, i) => {
    const y = 8 + i * rowHeight;
    const del = m.metrics && m.metrics.deletionAuc;
    const ins = m.metrics && m.metrics.insertionAuc;
    chart.append(svg('text', { x: left - 8, y: y + 17, class: 'row-label' + (i === selected ? ' selected' : ''),
      'text-anchor': 'end' }, m.target.label));
    if (del !== undefined && del !== null) {
      chart.append(svg('rect', { x: left, y, width: plotWidth * Math.min(1, Math.max(0, del)), height: 12, class: 'bar-deletion' }),
        svg('text', { x: left + plotWidth * Math.min(1, del) + 4, y: y + 10, class: 'value' }, num(del, 3)));
    }
    if (ins !== undefined && ins !== null) {
      chart.append(svg('rect', { x: left, y: y + 14, width: plotWidth * Math.min(1, Math.max(0, ins)), height: 12, class: 'bar-insertion' }),
        svg('text', { x: left + plotWidth * Math.min(1, ins) + 4, y: y + 24, class: 'value' }, num(ins, 3)));
    }
  });
  return chart;
}

function render(item) {
  document.title = item.imageId + ' · Lumen';
  $('image-title').textContent = item.imageId;
  $('crumb-image').textContent = item.imageId;
  $('outcome').replaceChildren(h('span', { class: 'badge outcome-badge outcome-' + item.outcome.toLowerCase() },
    item.outcome.toLowerCase()));
  const meta = [item.width && item.width + ' × ' + item.height + ' px', item.method,
    item.modelId && ['model ', named('models', item.modelId, '/models.html?id=' + encodeURIComponent(item.modelId))],
    item.targetLayer && 'layer ' + item.targetLayer,
    item.timing && item.timing.explainMs + ' ms, ' + item.timing.forwardPasses + ' forward passes',
    item.worker && 'worker ' + item.worker].filter(Boolean);
  $('image-meta').replaceChildren(...meta.flatMap((part, i) => (i === 0 ? [part] : [' · ', part])).flat());
  content.removeAttribute('aria-busy');
  const maps = item.explanations || [];
  if (maps.length === 0) {
    content.replaceChildren(
      h('div', { class: 'empty' }, h('h2', {}, item.outcome === 'FAILED' ? 'This image failed' : 'Nothing was explained'),
        h('p', {}, reasonText(item.reason))),
      item.original ? figure('Original', h('div', { class: 'frame', style: { aspectRatio: item.width + ' / ' + item.height } },
        h('img', { src: item.original, alt: 'Image ' + item.imageId }), boxLayer(item, null))) : null,
      predictionsTable(item, null));
    return;
  }
  let selected = 0;
  const views = h('div', { class: 'views' });
  const targets = h('div', { class: 'targets', role: 'group', 'aria-label': 'Explained targets' });
  const side = h('div', { class: 'side' });
  const buttons = maps.map((m, i) => h('button', { type: 'button',
    class: 'target' + (m.target.role ? ' role-' + m.target.role : ''), 'aria-pressed': String(i === 0),
    onclick: () => { selected = i; show(); } }, (m.target.role ? '' : m.target.kind + ': ') + targetName(m.target) + ' ',
  h('span', { class: 'score' }, num(m.target.score, 2))));
  targets.append(...buttons);

  function show() {
    const m = maps[selected];
    buttons.forEach((b, j) => b.setAttribute('aria-pressed', String(j === selected)));
    const ratio = { aspectRatio: item.width + ' / ' + item.height };
    views.replaceChildren(
      figure('Original with boxes', h('div', { class: 'frame', style: ratio },
        h('img', { src: item.original, alt: 'Image ' + item.imageId }), boxLayer(item, m.target))),
      figure('Heatmap of ' + targetName(m.target) + ' (colour scale below: low to high)',
        h('img', { class: 'heatmap-full', src: m.heatmap, alt: 'Heatmap of ' + m.target.label + ' with a legend from low to high' })),
      figure('Overlay', h('div', { class: 'frame', style: ratio },
        h('img', { src: m.overlay, alt: 'Heatmap of ' + m.target.label + ' blended on image ' + item.imageId }),
        boxLayer(item, m.target))));
    const notes = [];
    if (m.target.kind === 'segment') {
      notes.push(h('p', { class: 'note' }, 'Segment masks are not part of the result events; the heatmap shows where the model looked for this segment.'));
    }
    side.replaceChildren(
      h('h2', {}, 'Faithfulness'),
      metricsTable(maps, selected),
      faithfulnessPlot(maps, selected),
      h('p', { class: 'legend small' }, h('span', { class: 'swatch bar-deletion' }), ' deletion AUC (lower is better) ',
        h('span', { class: 'swatch bar-insertion' }), ' insertion AUC (higher is better)'),
      h('p', { class: 'note small' }, 'Result events carry the areas under the deletion and insertion curves, not the curve points, so the areas are plotted.'),
      ...notes,
      h('p', {}, h('a', { href: m.saliency, download: '' }, 'Download the 16-bit saliency map'), ' (PNG, image size)'));
  }
  content.replaceChildren(targets, h('div', { class: 'detail' }, views, side), predictionsTable(item, maps));
  show();
}

function metricsTable(maps, selected) {
  return h('table', { class: 'metrics-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Target'), h('th', { scope: 'col', class: 'num' }, 'Score'),
      h('th', { scope: 'col', class: 'num' }, 'Deletion'), h('th', { scope: 'col', class: 'num' }, 'Insertion'),
      h('th', { scope: 'col', class: 'num', title: 'insertion AUC minus deletion AUC' }, 'Ins.−del.'))),
    h('tbody', {}, ...maps.map((m, i) => h('tr', { class: i === selected ? 'selected' : null },
      h('th', { scope: 'row' }, targetName(m.target)), h('td', { class: 'num' }, num(m.target.score, 3)),
      h('td', { class: 'num' }, num(m.metrics && m.metrics.deletionAuc, 3)),
      h('td', { class: 'num' }, num(m.metrics && m.metrics.insertionAuc, 3)),
      h('td', { class: 'num' }, num(m.faithfulness, 3))))));
}

/**
 * Every prediction, and with ground truth its match (error type, true label, IoU), then the ground-truth
 * objects or labels no prediction found.
 */
function predictionsTable(item) {
  const predictions = item.predictions || [];
  const evaluation = item.evaluation;
  const matches = new Map(((evaluation && evaluation.matches) || []).map((m) => [m.prediction, m]));
  const box = (b) => (b ? b.map((v) => num(v, 1)).join(', ') : '–');
  const head = [h('th', { scope: 'col' }, 'Label'), h('th', { scope: 'col' }, 'Kind'),
    h('th', { scope: 'col', class: 'num' }, 'Score'), h('th', { scope: 'col' }, 'Box (x1, y1, x2, y2)')];
  if (evaluation) {
    head.push(h('th', { scope: 'col' }, 'Against ground truth'), h('th', { scope: 'col' }, 'True label'),
      h('th', { scope: 'col', class: 'num' }, 'IoU'));
  }
  const row = (p, i) => {
    const cells = [h('th', { scope: 'row' }, p.label), h('td', {}, p.kind), h('td', { class: 'num' }, num(p.score, 3)),
      h('td', {}, box(p.box))];
    if (evaluation) {
      const m = matches.get(i);
      cells.push(h('td', {}, m ? h('span', { class: 'badge error-badge error-' + m.type, 'data-error': m.type }, errorName(m.type)) : '–'),
        h('td', {}, (m && m.trueLabel) || '–'), h('td', { class: 'num' }, m && m.iou !== undefined && m.iou !== null ? num(m.iou, 2) : '–'));
    }
    return h('tr', { 'data-prediction': String(i) }, ...cells);
  };
  const missed = (evaluation && evaluation.missed) || [];
  return h('section', { class: 'panel' }, h('h2', {}, 'Predictions'),
    predictions.length === 0 ? h('p', { class: 'muted' }, 'The model predicted nothing above its threshold.')
      : h('table', { id: 'predictions' }, h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...predictions.map(row))),
    evaluation ? h('h3', {}, 'Missed (in the ground truth, not predicted)') : null,
    !evaluation ? null : missed.length === 0 ? h('p', { class: 'muted' }, 'Nothing missed.')
      : h('table', { id: 'missed' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'True label'),
        h('th', { scope: 'col' }, 'Box (x1, y1, x2, y2)'))),
      h('tbody', {}, ...missed.map((m) => h('tr', {}, h('th', { scope: 'row' }, m.label), h('td', {}, box(m.box)))))));
}

async function start() {
  if (!runId || !imageId) {
    content.removeAttribute('aria-busy');
    content.replaceChildren();
    showError('No image given: open this page from a run.');
    return;
  }
  $('crumb-run').href = '/run.html?id=' + encodeURIComponent(runId);
  showRunName($('crumb-run'), runId);
  try {
    render(await api('/api/runs/' + encodeURIComponent(runId) + '/results/' + encodeURIComponent(imageId)));
  } catch (e) {
    content.removeAttribute('aria-busy');
    content.replaceChildren();
    showError(e.status === 404 ? 'Run ' + runId + ' has no result for image ' + imageId + '.' : 'Cannot load the image: ' + e.message);
  }
}
start();
