// Models: the tenant's registered models, registering one by upload (the registry's problems shown at
// the field they name), and one model's detail with the runs that used it. models.html[?id=MODEL]
import { api, send, upload, h, param, showError, when, bytes, stateBadge, showFormProblem, clearFormProblem,
  confirmAction, ApiError, TERMINAL } from './lumen.js';

const $ = (id) => document.getElementById(id);
const selected = param('id');

function input(model) {
  const i = model.input || {};
  return i.width && i.height ? i.width + ' × ' + i.height : 'any size';
}

function outputs(model) {
  return Object.entries(model.outputs || {}).map(([role, name]) => role + ' → ' + name).join(', ') || '–';
}

function decoder(model) {
  return model.decoder || 'scores as described';
}

function renderList(models) {
  // Newest first, like the runs.
  models = [models].flat().sort((a, b) => String(b.createdAt || '').localeCompare(String(a.createdAt || '')));
  const container = $('models');
  container.removeAttribute('aria-busy');
  if (models.length === 0) {
    container.replaceChildren(h('div', { class: 'empty' }, h('h3', {}, 'No models yet'),
      h('p', {}, 'Register one with the form below.')));
    return;
  }
  const rows = models.map((m) => h('tr', { 'data-model-id': m.modelId },
    h('th', { scope: 'row' }, h('a', { href: '/models.html?id=' + encodeURIComponent(m.modelId), title: m.modelId }, m.name)),
    h('td', {}, m.task || '–'), h('td', { class: 'num' }, String((m.labels || []).length)), h('td', {}, input(m)),
    h('td', { class: 'small', title: outputs(m) }, decoder(m)), h('td', { class: 'num' }, bytes(m.sizeBytes)), h('td', { class: 'small' }, when(m.createdAt))));
  container.replaceChildren(h('table', { class: 'models' },
    h('caption', { class: 'visually-hidden' }, 'Registered models'),
    h('thead', {}, h('tr', {}, ...['Name', 'Task', 'Labels', 'Input', 'Decoder', 'Size', 'Registered']
      .map((t, i) => h('th', { scope: 'col', class: i === 2 || i === 5 ? 'num' : null }, t)))),
    h('tbody', {}, ...rows)));
}

function fact(term, ...value) {
  return [h('dt', {}, term), h('dd', {}, ...value)];
}

function runsTable(runs) {
  if (runs.length === 0) return h('p', { class: 'muted' }, 'No run has used it yet.');
  return h('table', { class: 'runs-of' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Run'),
    h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col' }, 'Method'), h('th', { scope: 'col', class: 'num' }, 'Images'),
    h('th', { scope: 'col' }, 'Requested'))),
  h('tbody', {}, ...runs.map((r) => h('tr', {},
    h('th', { scope: 'row' }, h('a', { href: '/run.html?id=' + encodeURIComponent(r.runId), title: r.runId }, r.name || r.runId)),
    h('td', {}, stateBadge(r.state)), h('td', {}, r.method || '–'), h('td', { class: 'num' }, String(r.total)),
    h('td', { class: 'small' }, when(r.requestedAt))))));
}

async function showDetail(id) {
  let model;
  try {
    model = await api('/api/models/' + encodeURIComponent(id));
  } catch (e) {
    showError(e.status === 404 ? 'Model ' + id + ' does not exist.' : 'Cannot load the model: ' + e.message);
    return;
  }
  document.title = model.name + ' · Models · Lumen';
  $('page-title').textContent = 'Model · ' + model.name;
  $('detail-heading').textContent = model.name;
  const labels = model.labels || [];
  $('model-facts').replaceChildren(
    ...fact('Id', h('code', {}, model.modelId)),
    ...fact('Task', model.task || '–'),
    ...fact('Labels', labels.length ? labels.length + ': ' + labels.slice(0, 30).join(', ') + (labels.length > 30 ? ', …' : '') : 'none listed'),
    ...fact('Input', input(model) + (model.input && model.input.tensor ? ' (tensor ' + model.input.tensor + ', signature '
      + model.input.signatureKey + ')' : '')),
    ...fact('Decoder', decoder(model)),
    ...fact('Outputs', outputs(model)),
    ...fact('Digest', model.contentDigest ? h('code', { class: 'digest' }, model.contentDigest) : '–'),
    ...fact('Size', bytes(model.sizeBytes) + (model.files ? ' in ' + model.files + ' files' : '')),
    ...fact('Registered', when(model.createdAt)));
  let runs = [];
  try {
    runs = (await api('/api/runs')).filter((r) => r.modelId === id);
  } catch (e) {
    // the facts stand without the runs
  }
  $('model-runs').replaceChildren(runsTable(runs));
  const busy = runs.filter((r) => !TERMINAL.has(r.state));
  const button = $('delete-model');
  button.disabled = busy.length > 0;
  $('delete-note').hidden = busy.length === 0;
  $('delete-note').textContent = busy.length ? 'It cannot be deleted while ' + busy.length + ' of its runs '
    + (busy.length === 1 ? 'is' : 'are') + ' in progress.' : '';
  button.onclick = async () => {
    const ok = await confirmAction('Delete ' + model.name + '?', 'The model\'s files are removed; runs that used it keep their results.',
      'Delete model');
    if (!ok) return;
    try {
      await send('DELETE', '/api/models/' + encodeURIComponent(id));
      location.href = '/models.html?deleted=' + encodeURIComponent(model.name);
    } catch (e) {
      showError('The model was not deleted: ' + e.message);
    }
  };
  $('model-detail').hidden = false;
}

async function loadList() {
  try {
    renderList(await api('/api/models'));
  } catch (e) {
    $('models').removeAttribute('aria-busy');
    $('models').replaceChildren();
    showError('Cannot load the models: ' + e.message);
  }
}

$('register-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  clearFormProblem(form);
  const data = new FormData();
  data.append('name', $('model-name').value.trim());
  if ($('model-archive').files[0]) data.append('archive', $('model-archive').files[0]);
  if ($('model-descriptor').files[0]) data.append('descriptor', $('model-descriptor').files[0]);
  const progress = $('model-progress');
  progress.parentElement.hidden = false;
  progress.value = 0;
  $('register-submit').disabled = true;
  $('register-status').textContent = 'Uploading…';
  try {
    const model = await upload('/api/models', data, (sent, total) => { progress.value = Math.round(100 * sent / total); });
    $('register-status').textContent = 'Registered ' + model.name + '.';
    form.reset();
    await loadList();
    const row = document.querySelector('tr[data-model-id="' + CSS.escape(model.modelId) + '"] a');
    if (row) row.focus();
  } catch (e) {
    $('register-status').textContent = '';
    if (e instanceof ApiError) showFormProblem(form, e, { 'invalid-descriptor': 'descriptor', 'descriptor-contradicts-graph': 'descriptor',
      'missing-descriptor': 'descriptor', 'archive-too-large': 'archive' });
    else showError(e.message);
  } finally {
    $('register-submit').disabled = false;
    progress.parentElement.hidden = true;
  }
});

if (param('deleted')) $('register-status').textContent = 'Deleted ' + param('deleted') + '.';
loadList();
if (selected) showDetail(selected);
