// Datasets: the tenant's datasets, uploading one (drag and drop or a file chooser, many images, an
// optional COCO ground truth, a progress bar per upload, the refused files with their reasons), and
// one dataset's detail with its counts and a strip of its images. datasets.html[?id=DATASET]
import { api, upload, h, param, showError, when, stateBadge, showFormProblem, clearFormProblem, ApiError } from './lumen.js';

const $ = (id) => document.getElementById(id);
const selected = param('id');
let chosen = [];

function counts(d) {
  const c = d.counts || {};
  return { images: c.images || 0, annotated: c.annotatedImages || 0, classes: c.classes || 0 };
}

function renderList(datasets) {
  // Newest first, like the runs.
  datasets = [datasets].flat().sort((a, b) => String(b.createdAt || '').localeCompare(String(a.createdAt || '')));
  const container = $('datasets');
  container.removeAttribute('aria-busy');
  if (datasets.length === 0) {
    container.replaceChildren(h('div', { class: 'empty' }, h('h3', {}, 'No datasets yet'),
      h('p', {}, 'Upload validation images with the form below.')));
    return;
  }
  container.replaceChildren(h('table', { class: 'datasets' },
    h('caption', { class: 'visually-hidden' }, 'Datasets'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col', class: 'num' }, 'Images'),
      h('th', { scope: 'col', class: 'num' }, 'With ground truth'), h('th', { scope: 'col', class: 'num' }, 'Classes'),
      h('th', { scope: 'col' }, 'Source'), h('th', { scope: 'col' }, 'Created'))),
    h('tbody', {}, ...datasets.map((d) => {
      const c = counts(d);
      return h('tr', { 'data-dataset-id': d.datasetId },
        h('th', { scope: 'row' }, h('a', { href: '/datasets.html?id=' + encodeURIComponent(d.datasetId), title: d.datasetId }, d.name)),
        h('td', { class: 'num' }, String(c.images)), h('td', { class: 'num' }, String(c.annotated)),
        h('td', { class: 'num' }, String(c.classes)), h('td', {}, d.source === 's3' ? 'S3 ' + (d.s3Prefix || '') : 'upload'),
        h('td', { class: 'small' }, when(d.createdAt)));
    }))));
}

async function loadList() {
  try {
    renderList(await api('/api/datasets'));
  } catch (e) {
    $('datasets').removeAttribute('aria-busy');
    $('datasets').replaceChildren();
    showError('Cannot load the datasets: ' + e.message);
  }
}

/** Thumbnails of the dataset's images, from the newest run over it (results-service stores the originals). */
async function thumbnails(runs) {
  const strip = $('thumbs');
  const run = runs.find((r) => r.explained + r.skipped + r.failed > 0);
  if (!run) {
    strip.replaceChildren(h('p', { class: 'muted' }, 'Images are shown here once a run has sampled them.'));
    return;
  }
  try {
    const page = await api('/api/runs/' + encodeURIComponent(run.runId) + '/results?size=16');
    strip.replaceChildren(...page.items.filter((i) => i.original).map((i) => h('figure', { class: 'thumb' },
      h('img', { src: i.original, alt: 'Image ' + i.imageId, loading: 'lazy' }), h('figcaption', { class: 'small' }, i.imageId))),
    h('p', { class: 'muted small' }, 'Sampled by ', h('a', { href: '/run.html?id=' + encodeURIComponent(run.runId) }, run.name || run.runId), '.'));
  } catch (e) {
    strip.replaceChildren(h('p', { class: 'muted' }, 'The images cannot be shown: ' + e.message));
  }
}

async function showDetail(id) {
  let d;
  try {
    d = await api('/api/datasets/' + encodeURIComponent(id));
  } catch (e) {
    showError(e.status === 404 ? 'Dataset ' + id + ' does not exist.' : 'Cannot load the dataset: ' + e.message);
    return;
  }
  const c = counts(d);
  document.title = d.name + ' · Datasets · Lumen';
  $('page-title').textContent = 'Dataset · ' + d.name;
  $('dataset-heading').textContent = d.name;
  const fact = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
  $('dataset-facts').replaceChildren(
    ...fact('Id', h('code', {}, d.datasetId)),
    ...fact('Images', String(c.images)),
    ...fact('Ground truth', d.groundTruth ? c.annotated + ' of ' + c.images + ' images annotated' : 'none'),
    ...fact('Classes', d.groundTruth ? String(c.classes) + ' in the ground truth' : '–'),
    ...fact('Tags', d.tags ? Object.entries(d.tags).map(([tag, n]) => tag + ' (' + n + ')').join(', ') : 'none'),
    ...fact('Source', d.source === 's3' ? 'registered S3 prefix ' + (d.s3Prefix || '') : 'uploaded'),
    ...fact('Created', when(d.createdAt)),
    ...(d.rejected ? fact('Refused files', String(d.rejected.length)) : []));
  let runs = [];
  try {
    runs = (await api('/api/runs')).filter((r) => r.datasetId === id);
  } catch (e) {
    // the facts stand without the runs
  }
  $('dataset-runs').replaceChildren(runs.length === 0 ? h('p', { class: 'muted' }, 'No run has sampled it yet.')
    : h('ul', {}, ...runs.map((r) => h('li', {}, h('a', { href: '/run.html?id=' + encodeURIComponent(r.runId), title: r.runId },
      r.name || r.runId), ' ', stateBadge(r.state), ' ' + (r.method || '') + ', ' + r.total + ' images'))));
  $('dataset-detail').hidden = false;
  thumbnails(runs);
}

function showChosen() {
  const images = chosen.length;
  const size = chosen.reduce((n, f) => n + f.size, 0);
  $('chosen').textContent = images === 0 ? 'No images chosen.'
    : images + ' image' + (images === 1 ? '' : 's') + ' chosen (' + (size / 1e6).toFixed(1) + ' MB).';
}

$('dataset-images').addEventListener('change', (e) => { chosen = [...e.target.files]; showChosen(); });
const zone = $('drop-zone');
zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('dragging'); });
zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
zone.addEventListener('drop', (e) => {
  e.preventDefault();
  zone.classList.remove('dragging');
  const dropped = [...e.dataTransfer.files];
  const json = dropped.find((f) => /\.json$/i.test(f.name));
  if (json && !$('dataset-ground-truth').files.length) {
    const transfer = new DataTransfer();
    transfer.items.add(json);
    $('dataset-ground-truth').files = transfer.files;
  }
  chosen = chosen.concat(dropped.filter((f) => f !== json));
  showChosen();
});

/** One upload's entry: name, progress bar, then the outcome with every refused file and its reason. */
function uploadEntry(name, files) {
  const bar = h('progress', { max: 100, value: 0, 'aria-label': 'Upload of ' + name });
  const status = h('p', { class: 'small', role: 'status' }, 'Uploading ' + files + ' files…');
  const li = h('li', { class: 'upload' }, h('strong', {}, name), bar, status);
  const list = $('uploads');
  if (list.querySelector('.muted')) list.replaceChildren();
  list.prepend(li);
  return {
    progress: (sent, total) => { bar.value = Math.round(100 * sent / total); },
    done: (d) => {
      bar.value = 100;
      const c = counts(d);
      status.replaceChildren(h('a', { href: '/datasets.html?id=' + encodeURIComponent(d.datasetId) }, d.name), ': ' + c.images
        + ' images accepted, ' + c.annotated + ' with ground truth, ' + c.classes + ' classes.');
      li.dataset.datasetId = d.datasetId;
      if (d.rejected && d.rejected.length) {
        li.append(h('p', { class: 'small' }, d.rejected.length + ' file' + (d.rejected.length === 1 ? ' was' : 's were') + ' refused:'),
          h('ul', { class: 'refused' }, ...d.rejected.map((r) => h('li', {}, h('code', {}, r.file), ': ' + r.reason))));
      }
    },
    failed: (message, problem) => {
      li.classList.add('upload-failed');
      status.textContent = 'Not uploaded: ' + message;
      const errors = problem && Array.isArray(problem.errors) ? problem.errors : [];
      if (errors.length) {
        li.append(h('ul', { class: 'refused' }, ...errors.map((r) => h('li', {}, h('code', {}, r.field), ': ' + r.message))));
      }
    },
  };
}

$('upload-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  clearFormProblem(form);
  const name = $('dataset-name').value.trim();
  const data = new FormData();
  data.append('name', name);
  for (const file of chosen) data.append('files', file, file.name);
  const truth = $('dataset-ground-truth').files[0];
  if (truth) data.append('groundTruth', truth, truth.name);
  const tags = $('dataset-tags').files[0];
  if (tags) data.append('tags', tags, tags.name);
  const entry = uploadEntry(name || '(no name)', chosen.length + (truth ? 1 : 0) + (tags ? 1 : 0));
  try {
    const dataset = await upload('/api/datasets', data, entry.progress);
    entry.done(dataset);
    form.reset();
    chosen = [];
    showChosen();
    loadList();
  } catch (e) {
    entry.failed(e.message, e.problem);
    if (e instanceof ApiError) showFormProblem(form, e, { 'no-valid-images': 'files' });
  }
});

loadList();
if (selected) showDetail(selected);
