// Comparison page: two runs over the same images side by side. compare.html?a=RUN&b=RUN[&sort=energy|score|moved]
// Per class the in-box energy and score of both runs and their change (b minus a), sortable; per image
// both overlays with the change.
import { api, h, num, param, pct, showError, signed, showRunName } from '/assets/lumen.js';

const a = param('a');
const b = param('b');
const $ = (id) => document.getElementById(id);
let view = null;
// Short names of the two runs for headers and captions: the run's name and method, else its id.
const names = {};
let classSort = { key: param('sort') === 'score' ? 'scoreChange' : 'energyChange', desc: true, magnitude: true };

/** Orders rows by a key: changes by their size (largest first) unless sorted by value; unknown values last. */
function compareBy(key, desc, magnitude) {
  return (x, y) => {
    let u = x[key];
    let v = y[key];
    if (u === null || u === undefined) return v === null || v === undefined ? 0 : 1;
    if (v === null || v === undefined) return -1;
    if (magnitude) { u = Math.abs(u); v = Math.abs(v); }
    if (u === v) return 0;
    return (u < v ? -1 : 1) * (desc ? -1 : 1);
  };
}

function renderClasses() {
  const columns = [
    ['label', 'Class', false], ['inBoxEnergyA', 'In-box energy: ' + names.a, false],
    ['inBoxEnergyB', 'In-box energy: ' + names.b, false], ['energyChange', 'Energy change', true],
    ['scoreA', 'Score: ' + names.a, false], ['scoreB', 'Score: ' + names.b, false], ['scoreChange', 'Score change', true],
    ['pairedEnergy', 'Paired energy change (95% CI)', true], ['pairedScore', 'Paired score change (95% CI)', true],
    ['meanPearson', 'Mean map correlation', false],
  ];
  const withPaired = view.classes.map((c) => ({ ...c, pairedEnergy: c.pairedEnergyChange ? c.pairedEnergyChange.mean : null,
    pairedScore: c.pairedScoreChange ? c.pairedScoreChange.mean : null }));
  const rows = withPaired.sort(compareBy(classSort.key, classSort.desc, classSort.magnitude));
  const interval = (i) => (i ? h('span', {}, signed(i.mean), ' (' + num(i.low, 3) + '..' + num(i.high, 3) + ', n = ' + i.n + ')'
    + (i.low > 0 || i.high < 0 ? '' : ' · spans 0')) : '–');
  const head = h('tr', {}, ...columns.map(([key, title, change]) => h('th', {
    scope: 'col', 'aria-sort': classSort.key === key ? (classSort.desc ? 'descending' : 'ascending') : 'none',
  }, h('button', { type: 'button', 'data-sort': key, onclick: () => {
    classSort = { key, desc: classSort.key === key ? !classSort.desc : true, magnitude: change };
    renderClasses();
  } }, title))));
  const cell = (key, content) => h('td', { 'data-key': key }, content);
  const body = rows.map((c) => h('tr', { 'data-label': c.label },
    cell('label', c.label), cell('inBoxEnergyA', pct(c.inBoxEnergyA)), cell('inBoxEnergyB', pct(c.inBoxEnergyB)),
    cell('energyChange', signed(c.energyChange)), cell('scoreA', num(c.scoreA, 3)), cell('scoreB', num(c.scoreB, 3)),
    cell('scoreChange', signed(c.scoreChange)), cell('pairedEnergy', interval(c.pairedEnergyChange)),
    cell('pairedScore', interval(c.pairedScoreChange)), cell('meanPearson', num(c.meanPearson, 3))));
  $('compare-classes').replaceChildren(h('thead', {}, head), h('tbody', {}, ...body));
}

function overlay(insight, run) {
  if (!insight) return h('div', { class: 'missing' }, 'not explained in ' + run);
  return h('figure', {}, h('img', { src: insight.overlay, alt: run + ': overlay of ' + insight.imageId + ' (' + insight.label + ')' }),
    h('figcaption', { class: 'muted' }, run, h('br'), insight.label + ' · in box ' + pct(insight.inBoxEnergy)
      + ' · score ' + num(insight.score, 3)));
}

function renderImages() {
  const key = $('image-sort').value;
  const images = key === 'image'
    ? [...view.images].sort((x, y) => (x.imageId < y.imageId ? -1 : 1))
    : key === 'moved' ? [...view.images].sort(compareBy('mapPearson', false, false))
      : [...view.images].sort(compareBy(key === 'score' ? 'scoreChange' : 'energyChange', true, true));
  $('compare-images').replaceChildren(...images.map((p) => h('article', { class: 'pair-card', 'data-image-id': p.imageId },
    h('h3', {}, h('a', { href: '/image.html?run=' + encodeURIComponent(view.a) + '&image=' + encodeURIComponent(p.imageId) },
      p.imageId)),
    h('div', { class: 'pair' }, overlay(p.a, names.a), overlay(p.b, names.b)),
    h('p', {}, 'in-box energy ', h('span', { 'data-key': 'energyChange' }, signed(p.energyChange)),
      ' · score ', h('span', { 'data-key': 'scoreChange' }, signed(p.scoreChange)),
      ' · map correlation ', h('span', { 'data-key': 'mapPearson' }, num(p.mapPearson, 3))))));
}

async function start() {
  if (!a || !b) {
    showError('Two runs are needed: open compare.html?a=RUN&b=RUN, or use the links on a run\'s page.');
    return;
  }
  $('crumb-a').href = '/run.html?id=' + encodeURIComponent(a);
  showRunName($('crumb-a'), a);
  if (param('sort') === 'score' || param('sort') === 'moved') $('image-sort').value = param('sort');
  $('image-sort').addEventListener('change', renderImages);
  try {
    view = await api('/api/comparisons?a=' + encodeURIComponent(a) + '&b=' + encodeURIComponent(b) + '&sort='
      + encodeURIComponent(['score', 'moved'].includes(param('sort')) ? param('sort') : 'energy'));
  } catch (e) {
    showError('Cannot compare the runs: ' + e.message);
    return;
  }
  await Promise.all(['a', 'b'].map(async (side) => {
    try {
      const p = await api('/api/runs/' + encodeURIComponent(view[side]) + '/progress');
      names[side] = (p.name || p.runId) + (p.method ? ' (' + p.method + ')' : '');
    } catch (e) {
      names[side] = view[side];
    }
  }));
  $('compare-title').textContent = 'Comparison · ' + names.a + ' vs ' + names.b;
  $('compare-meta').textContent = view.shared + ' images explained in both runs (' + view.a + ', ' + view.b
    + '); in-box measures against ' + view.referenceA + ' and ' + view.referenceB + ' boxes.';
  const agreement = view.agreement;
  $('compare-agreement').textContent = agreement && agreement.pairs
    ? 'Maps of ' + agreement.pairs + ' targets paired: mean Pearson correlation ' + num(agreement.meanPearson, 3)
      + ' (median ' + num(agreement.medianPearson, 3) + ')' + (agreement.withReference
        ? '; pointing game agreement ' + pct(agreement.pointingAgreement) + ' (' + names.a + ' ' + agreement.pointingHitsA
          + ', ' + names.b + ' ' + agreement.pointingHitsB + ' of ' + agreement.withReference + ' inside the box).' : '.')
    : 'No target explained by both runs.';
  renderClasses();
  renderImages();
  $('compare-content').hidden = false;
}

start();
