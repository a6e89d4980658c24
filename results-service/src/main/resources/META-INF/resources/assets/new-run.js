// New run: name, model, dataset, method (the ones the model's task allows, from GET /api/methods),
// number of images, seed, allow fewer, and the method's parameters generated from the catalogue's
// typed parameters with their ranges and defaults. The API checks everything: its problems are shown
// at the field they name, and nothing is created. new-run.html[?model=&dataset=&method=&name=&images=&seed=]
import { api, send, h, param, showError, duration, showFormProblem, clearFormProblem, ApiError, TERMINAL } from './lumen.js';

const $ = (id) => document.getElementById(id);
const form = $('run-form');
const state = { models: [], datasets: [], methods: [], runs: [], requestedMethod: param('method') };
// Problems that name no field, and the field they are about.
const FIELD_OF_PROBLEM = { 'method-not-allowed': 'method', 'dataset-too-small': 'imageCount', 'model-not-found': 'model',
  'dataset-not-found': 'dataset' };

const model = () => state.models.find((m) => m.modelId === $('run-model').value);
const dataset = () => state.datasets.find((d) => d.datasetId === $('run-dataset').value);
const method = () => state.methods.find((m) => m.id === $('run-method').value);

function options(select, items, value, label) {
  select.replaceChildren(...items.map((item) => h('option', { value: value(item) }, label(item))));
}

function fillMethods() {
  const m = model();
  const task = m ? m.task : null;
  const select = $('run-method');
  const previous = select.value || state.requestedMethod;
  const allowed = state.methods.filter((x) => task && x.tasks.includes(task));
  const groups = [h('optgroup', { label: 'Methods for ' + (task || 'this') + ' models' },
    ...allowed.map((x) => h('option', { value: x.id }, x.title + ' (' + x.family + ')')))];
  // A method asked for in the link that the model's task does not allow stays visible as what it is,
  // so that the API's answer to it can be read at the field.
  const requested = state.methods.find((x) => x.id === previous);
  if (requested && !allowed.includes(requested)) {
    groups.push(h('optgroup', { label: 'Not for ' + (task || 'this') + ' models' },
      h('option', { value: requested.id }, requested.title + ' (explains ' + requested.tasks.join(', ') + ' models)')));
  }
  select.replaceChildren(...groups);
  if (previous && state.methods.some((x) => x.id === previous) && (allowed.some((x) => x.id === previous) || requested)) {
    select.value = previous;
  }
  $('model-hint').textContent = m ? m.task + ' model, ' + (m.labels || []).length + ' labels' : '';
  fillParameters();
}

/** One input per parameter the method takes for the model's task: typed, with range and default. */
function fillParameters() {
  estimate();
  const x = method();
  const m = model();
  const container = $('parameters');
  if (!x) {
    container.replaceChildren();
    $('method-hint').textContent = '';
    return;
  }
  $('method-hint').textContent = x.doc ? x.doc.charAt(0).toUpperCase() + x.doc.slice(1) + '.' : '';
  const task = m ? m.task : null;
  const parameters = x.parameters.filter((p) => !task || !p.tasks || p.tasks.length === 0 || p.tasks.includes(task));
  if (parameters.length === 0) {
    container.replaceChildren(h('p', { class: 'muted' }, x.title + ' takes no parameters.'));
    return;
  }
  container.replaceChildren(...parameters.map((p) => parameterField(p, m)));
}

function parameterField(p, m) {
  const id = 'param-' + p.name;
  const hintId = id + '-hint';
  const common = { id, name: p.name, 'data-field': 'parameters.' + p.name, 'data-parameter': p.name,
    'data-type': p.type, 'aria-describedby': hintId };
  const fixed = p.default !== undefined && p.default !== null;
  let input;
  if (p.type === 'integer' || p.type === 'number') {
    input = h('input', { ...common, type: 'number', step: p.type === 'integer' ? 1 : 'any',
      min: p.range && p.range.minIncluded ? p.range.min : null, max: p.range && p.range.maxIncluded ? p.range.max : null,
      value: fixed ? p.default : null, placeholder: fixed ? null : 'default' });
  } else if (p.type === 'boolean') {
    input = h('select', common, h('option', { value: '' }, 'default' + (fixed ? ' (' + (p.default ? 'yes' : 'no') + ')' : '')),
      h('option', { value: 'true' }, 'yes'), h('option', { value: 'false' }, 'no'));
  } else if (p.type === 'choice') {
    input = h('select', common, h('option', { value: '' }, 'default' + (fixed ? ' (' + p.default + ')' : '')),
      ...(p.choices || []).map((c) => h('option', { value: c }, c)));
  } else if (p.type === 'label' && m && m.labels && m.labels.length) {
    input = h('select', common, h('option', { value: '' }, 'default' + (p.defaultDoc ? ' (' + p.defaultDoc + ')' : '')),
      ...m.labels.map((l) => h('option', { value: l }, l)));
  } else {
    input = h('input', { ...common, type: 'text', value: fixed ? p.default : null, placeholder: fixed ? null : 'default' });
  }
  input.dataset.default = fixed ? String(p.default) : '';
  const sentence = (text) => (text && !/[.!?]$/.test(text) ? text + '.' : text);
  const hint = [sentence(p.doc), p.range ? 'Range ' + p.range.text + '.' : (p.allowed ? 'Allowed: ' + p.allowed + '.' : null),
    fixed ? 'Default ' + p.default + '.' : (p.defaultDoc ? 'Default: ' + p.defaultDoc + '.' : null)].filter(Boolean).join(' ');
  return h('div', { class: 'field' }, h('label', { for: id }, p.name), input, h('p', { id: hintId, class: 'hint' }, hint));
}

/** The parameters the user set: those whose input differs from the catalogue's default. */
function parameters() {
  const values = {};
  for (const input of $('parameters').querySelectorAll('[data-parameter]')) {
    const raw = input.value.trim();
    if (raw === '' || raw === input.dataset.default) continue;
    const type = input.dataset.type;
    values[input.dataset.parameter] = type === 'integer' || type === 'number' ? Number(raw)
      : type === 'boolean' ? raw === 'true' : raw;
  }
  return values;
}

function fillDatasetHint() {
  const d = dataset();
  const images = d && d.counts ? d.counts.images : null;
  const input = $('run-images');
  if (images) input.max = images; else input.removeAttribute('max');
  $('images-hint').textContent = (images !== null ? 'The dataset has ' + images + ' images. ' : '')
    + 'Images are sampled at random from the validation set.';
  estimate();
}

/**
 * How long the run should take: the images times the per-image time the platform measured for this
 * model and method in its newest finished run; unknown when it has none.
 */
function estimate() {
  const m = model();
  const x = method();
  const images = Number($('run-images').value);
  const out = $('estimate');
  if (!m || !x || !(images > 0)) { out.textContent = ''; return; }
  const measured = state.runs.find((r) => r.modelId === m.modelId && r.method === x.id && TERMINAL.has(r.state)
    && r.requestedAt && r.completedAt && r.explained + r.skipped + r.failed > 0 && r.state !== 'CANCELLED');
  if (!measured) {
    out.textContent = 'Estimated duration: unknown (the platform has not yet run ' + x.title + ' on ' + m.name + ').';
    out.dataset.estimate = 'unknown';
    return;
  }
  const perImage = (new Date(measured.completedAt) - new Date(measured.requestedAt)) / 1000
    / (measured.explained + measured.skipped + measured.failed);
  out.textContent = 'Estimated duration: about ' + duration(images * perImage) + ' (' + perImage.toFixed(2)
    + ' s per image in run ' + (measured.name || measured.runId) + ').';
  out.dataset.estimate = String(Math.round(images * perImage));
}

async function submit(event) {
  event.preventDefault();
  clearFormProblem(form);
  showError(null);
  const count = $('run-images').value.trim();
  const seed = $('run-seed').value.trim();
  const body = {
    name: $('run-name').value.trim(),
    model: $('run-model').value,
    dataset: $('run-dataset').value,
    method: $('run-method').value,
    imageCount: count === '' ? null : Number(count),
    seed: seed === '' ? null : Number(seed),
    allowFewer: $('run-allow-fewer').checked,
    parameters: parameters(),
  };
  $('run-submit').disabled = true;
  try {
    // One key per submission: a retried or double-clicked submit answers the same run.
    const accepted = await send('POST', '/api/runs', body, { 'Idempotency-Key': crypto.randomUUID() });
    location.href = '/run.html?id=' + encodeURIComponent(accepted.runId) + '&created=1';
  } catch (e) {
    if (e instanceof ApiError && e.status >= 400 && e.status < 500) showFormProblem(form, e, FIELD_OF_PROBLEM);
    else showError('The run was not started: ' + e.message);
    $('run-submit').disabled = false;
  }
}

async function start() {
  try {
    const [models, datasets, methods] = await Promise.all([api('/api/models'), api('/api/datasets'), api('/api/methods')]);
    Object.assign(state, { models, datasets, methods });
  } catch (e) {
    showError('Cannot prepare the form: ' + e.message);
    return;
  }
  try {
    state.runs = await api('/api/runs');
  } catch (e) {
    state.runs = [];
  }
  if (state.models.length === 0 || state.datasets.length === 0) {
    showError((state.models.length === 0 ? 'Register a model first (Models). ' : '')
      + (state.datasets.length === 0 ? 'Upload a dataset first (Datasets).' : ''));
  }
  options($('run-model'), state.models, (m) => m.modelId, (m) => m.name + ' (' + m.task + ')');
  options($('run-dataset'), state.datasets, (d) => d.datasetId, (d) => d.name + ' (' + (d.counts ? d.counts.images : 0) + ' images)');
  if (param('model')) $('run-model').value = param('model');
  if (param('dataset')) $('run-dataset').value = param('dataset');
  if (param('name')) $('run-name').value = param('name');
  if (param('images')) $('run-images').value = param('images');
  $('run-seed').value = param('seed') || String(Math.floor(Math.random() * 2 ** 31));
  fillMethods();
  fillDatasetHint();
  $('run-model').addEventListener('change', fillMethods);
  $('run-method').addEventListener('change', fillParameters);
  $('run-dataset').addEventListener('change', fillDatasetHint);
  $('run-images').addEventListener('input', estimate);
  form.addEventListener('submit', submit);
  // Not form.dataset: a form's named controls shadow its properties, and one is called "dataset".
  form.setAttribute('data-ready', 'true');
}

start();
