// Shared helpers of Lumen's web UI: API calls with the bearer token, progress streams, formatting,
// and the progress bar. Plain ES modules, no framework, nothing loaded from elsewhere.

// The token lives in sessionStorage: it is a credential, so it ends with the browser tab rather than
// staying on the disk, and it never goes into a URL the server sees (except the progress streams',
// which EventSource leaves no other way to authenticate).
const TOKEN_KEY = 'lumenToken';
let pageToken = null;

function storeToken(value) {
  pageToken = value;
  try {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch (e) {
    // storage disabled: the token lasts for this page only
  }
}

// The CLI hands a token over as "#token=..." on the links it prints: the fragment never reaches the
// server. Keep it, then drop it from the address bar (and so from the history), where it could be
// copied along with the link.
(function captureToken() {
  const match = location.hash.match(/(?:^#|&)token=([^&]*)/);
  if (match) {
    storeToken(decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
})();

// The main navigation of every page: one list here rather than a copy in each page's HTML.
const PAGES = [['runs', '/', 'Runs'], ['new-run', '/new-run.html', 'New run'], ['models', '/models.html', 'Models'],
  ['datasets', '/datasets.html', 'Datasets']];
(function mainNavigation() {
  const nav = document.querySelector('nav.mainnav');
  if (!nav) return;
  const list = document.createElement('ul');
  for (const [key, href, text] of PAGES) {
    const link = document.createElement('a');
    link.href = href;
    link.textContent = text;
    if (nav.dataset.current === key) link.setAttribute('aria-current', 'page');
    const item = document.createElement('li');
    item.append(link);
    list.append(item);
  }
  nav.replaceChildren(list);
})();

/** The bearer token of this tab, or null. */
export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || pageToken;
  } catch (e) {
    return pageToken;
  }
}

/**
 * Shows the "sign in" panel: the API refused the token (missing, expired or not Lumen's), so ask for
 * one to be pasted. Submitting stores it for this tab and reloads the page.
 */
export function showSignIn(reason) {
  let panel = document.getElementById('signin');
  if (!panel) {
    panel = h('section', { id: 'signin', class: 'panel signin', 'aria-labelledby': 'signin-heading' });
    const main = document.querySelector('main') || document.body;
    main.prepend(panel);
  }
  const input = h('textarea', { id: 'signin-token', rows: 3, required: true, spellcheck: 'false', autocomplete: 'off',
    placeholder: 'eyJhbGciOiJSUzI1NiIs...' });
  const form = h('form', { onsubmit: (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    storeToken(value);
    location.reload();
  } },
  h('label', { for: 'signin-token' }, 'API token'), input, h('button', { type: 'submit' }, 'Sign in'));
  panel.replaceChildren(
    h('h2', { id: 'signin-heading' }, 'Sign in'),
    h('p', {}, reason || 'This page needs an API token.'),
    h('p', { class: 'muted' }, 'Open the link that ./lumen prints (it carries the token), or paste a token: ',
      h('code', {}, './lumen token'), ' prints a development one.'),
    form);
  panel.hidden = false;
}

/**
 * An API failure with the HTTP status, the problem's detail and, for a problem document, the problem
 * itself (its type and its per-field errors, which forms show next to the field they name).
 */
export class ApiError extends Error {
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem || null;
  }

  /** The problem's per-field errors as [{field, message}], empty when it names no field. */
  get fieldErrors() {
    return (this.problem && Array.isArray(this.problem.errors)) ? this.problem.errors : [];
  }
}

/** Reads an error response into an ApiError; a 401 also shows the sign-in panel. */
async function failure(response, sentToken) {
  let detail = response.statusText || ('HTTP ' + response.status);
  let problem = null;
  try {
    problem = await response.json();
    detail = problem.detail || problem.title || detail;
  } catch (e) {
    // not a problem document
  }
  if (response.status === 401) {
    storeToken(null);
    showSignIn(sentToken ? 'The token was refused: ' + detail + '.' : 'This page needs an API token.');
    detail = 'sign in first: ' + detail;
  }
  return new ApiError(response.status, detail, problem);
}

/**
 * Calls the API with the bearer token; a 401 shows the sign-in panel. Throws ApiError on failure.
 * Every path is on this page's origin: results-service answers its own and forwards run-service's
 * (models, datasets, methods, creating, cancelling and deleting runs; decision 0030).
 */
async function request(path, accept, init = {}) {
  const headers = { Accept: accept, ...(init.headers || {}) };
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  let response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (e) {
    throw new ApiError(0, 'Lumen cannot be reached (' + e.message + ')');
  }
  if (!response.ok) throw await failure(response, t);
  return response;
}

/** GETs JSON from the API; throws ApiError on failure. */
export async function api(path) {
  return (await request(path, 'application/json')).json();
}

/**
 * Sends a JSON body (or none) with `method`; answers the response's JSON, or null when it has none
 * (204). Throws ApiError, whose problem carries the API's per-field errors.
 */
export async function send(method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await request(path, 'application/json', init);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/**
 * POSTs a multipart form with upload progress (fetch reports none): onProgress(sentBytes, totalBytes).
 * Answers the response's JSON; throws ApiError like the other calls.
 */
export function upload(path, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    const t = token();
    if (t) xhr.setRequestHeader('Authorization', 'Bearer ' + t);
    xhr.upload.addEventListener('progress', (e) => { if (onProgress && e.lengthComputable) onProgress(e.loaded, e.total); });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'Lumen cannot be reached (the upload was interrupted)')));
    xhr.addEventListener('load', async () => {
      const response = new Response(xhr.responseText || null, { status: xhr.status, statusText: xhr.statusText });
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(xhr.responseText ? JSON.parse(xhr.responseText) : null);
      } else {
        reject(await failure(response, t));
      }
    });
    xhr.send(formData);
  });
}

const nameCache = new Map();

/**
 * The name of a model or dataset (kind 'models' or 'datasets'), looked up once per page; the id when
 * it cannot be found (deleted, or another tenant's).
 */
export function nameOf(kind, id) {
  if (!id) return Promise.resolve(null);
  const key = kind + '/' + id;
  if (!nameCache.has(key)) {
    nameCache.set(key, api('/api/' + kind + '/' + encodeURIComponent(id)).then((v) => v.name || id, () => id));
  }
  return nameCache.get(key);
}

/** The name of a run (its id when it has none or cannot be found), looked up once per page. */
export function runName(runId) {
  const key = 'runs/' + runId;
  if (!nameCache.has(key)) {
    nameCache.set(key, api('/api/runs/' + encodeURIComponent(runId) + '/progress').then((p) => p.name || runId, () => runId));
  }
  return nameCache.get(key);
}

/** Shows a run's name in `el` (a breadcrumb, a title), its id on hover. */
export function showRunName(el, runId, prefix = '') {
  el.title = runId;
  el.textContent = prefix + runId;
  return runName(runId).then((name) => { el.textContent = prefix + name; return name; });
}

/**
 * A name with its id on hover and for screen readers in the title: fills in `el` (a span or a link)
 * once the name is known.
 */
export function named(kind, id, href) {
  const el = h(href ? 'a' : 'span', { class: 'named', title: id, 'data-id': id, href: href || null }, id || '–');
  if (id) nameOf(kind, id).then((name) => { el.textContent = name; });
  return el;
}

/**
 * Shows a form's problem: each per-field error at its field (the input whose data-field names it,
 * with aria-invalid and aria-describedby), the rest in the form's alert. `fieldFor` maps problem types
 * that name no field (e.g. method-not-allowed), or a field inside a file (a descriptor's), to a form field.
 */
export function showFormProblem(form, error, fieldFor = {}) {
  clearFormProblem(form);
  const errors = [...error.fieldErrors];
  const type = error.problem && error.problem.type ? String(error.problem.type).split('/').pop() : null;
  if (errors.length === 0 && type && fieldFor[type]) errors.push({ field: fieldFor[type], message: error.message });
  const unplaced = [];
  const inputFor = (field) => form.querySelector('[data-field="' + CSS.escape(field) + '"]');
  for (const error of errors) {
    let { field, message } = error;
    let input = inputFor(field);
    // A field of a file (a descriptor's "task") is shown at the file's input the problem type names.
    if (!input && type && fieldFor[type] && inputFor(fieldFor[type])) {
      message = field + ': ' + message;
      field = fieldFor[type];
      input = inputFor(field);
    }
    if (!input) { unplaced.push(field + ': ' + message); continue; }
    const id = (input.id || field.replace(/\W+/g, '-')) + '-problem-' + form.querySelectorAll('.field-problem').length;
    const note = h('p', { id, class: 'field-problem', 'data-problem-for': field }, message);
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    (input.closest('.field') || input.parentElement).append(note);
  }
  const alert = form.querySelector('.form-alert');
  if (alert) {
    const text = errors.length === 0 ? error.message : unplaced.join('; ');
    alert.hidden = !text;
    alert.textContent = text ? 'Not accepted: ' + text : '';
  }
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

/** Removes the problems showFormProblem placed. */
export function clearFormProblem(form) {
  for (const note of form.querySelectorAll('.field-problem')) {
    const input = form.querySelector('[aria-describedby~="' + note.id + '"]');
    if (input) {
      input.removeAttribute('aria-invalid');
      const rest = input.getAttribute('aria-describedby').split(' ').filter((x) => x !== note.id).join(' ');
      if (rest) input.setAttribute('aria-describedby', rest); else input.removeAttribute('aria-describedby');
    }
    note.remove();
  }
  const alert = form.querySelector('.form-alert');
  if (alert) { alert.hidden = true; alert.textContent = ''; }
}

/**
 * Asks for confirmation in a modal dialog (focus moves into it, Escape cancels, focus returns to the
 * control that opened it). Answers true when confirmed.
 */
export function confirmAction(title, text, confirmLabel) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
      h('h2', { id: 'confirm-title' }, title), h('p', { id: 'confirm-text' }, text));
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      if (opener && opener.focus) opener.focus();
      resolve(answer);
    };
    const cancel = h('button', { type: 'button', class: 'confirm-cancel', onclick: () => finish(false) }, 'Keep it');
    const ok = h('button', { type: 'button', class: 'danger confirm-ok', onclick: () => finish(true) }, confirmLabel);
    dialog.append(h('div', { class: 'actions' }, cancel, ok));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); finish(false); });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/** Bytes as "12.3 MB". */
export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'kB', 'MB', 'GB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

/** Downloads a file from the API (with the token, which a plain link cannot send) as `filename`. */
export async function download(path, filename) {
  const blob = await (await request(path, '*/*')).blob();
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/**
 * Follows a progress stream (Server-Sent Events). EventSource cannot send headers, so the token goes
 * in the query as access_token, which only the stream endpoints accept.
 */
export function follow(path, onProgress, onStatus) {
  const url = new URL(path, location.href);
  const t = token();
  if (t) url.searchParams.set('access_token', t);
  const source = new EventSource(url);
  source.addEventListener('progress', (event) => onProgress(JSON.parse(event.data)));
  source.addEventListener('open', () => onStatus && onStatus('live'));
  source.addEventListener('error', () => {
    if (onStatus) onStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  });
  return source;
}

/** Creates an element: h('a', {href: '/x', class: 'y'}, 'text', child, ...). Text is never parsed as HTML. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Creates an SVG element. */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const TERMINAL = new Set(['COMPLETED', 'COMPLETED_WITH_SKIPS', 'FAILED', 'CANCELLED']);

const STATE_LABELS = {
  QUEUED: 'Queued', RUNNING: 'Running', COMPLETED: 'Completed',
  COMPLETED_WITH_SKIPS: 'Completed with skips', FAILED: 'Failed', CANCELLED: 'Cancelled',
};

/** A badge for a run state. */
export function stateBadge(state) {
  return h('span', { class: 'badge state-' + String(state).toLowerCase(), 'data-state': state }, STATE_LABELS[state] || state);
}

/** Images done (any outcome). */
export function done(p) {
  return (p.explained || 0) + (p.skipped || 0) + (p.failed || 0);
}

/** "1 h 2 min", "3 min 20 s", "45 s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

/** A number with at most `digits` decimals, or a dash. */
export function num(value, digits = 2) {
  return value === null || value === undefined || !isFinite(value) ? '–' : Number(value).toFixed(digits);
}

/** A share in [0, 1] as a percentage, or a dash. */
export function pct(value) {
  return value === null || value === undefined ? '–' : (100 * value).toFixed(1) + ' %';
}

/** A signed change, coloured by direction. */
export function signed(value, digits = 3) {
  if (value === null || value === undefined) return h('span', {}, '–');
  const cls = value > 0 ? 'change-up' : value < 0 ? 'change-down' : '';
  return h('span', { class: cls }, (value > 0 ? '+' : '') + Number(value).toFixed(digits));
}

/** A local date and time. */
export function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '–';
}

/**
 * A segmented progress bar (explained, skipped, failed) that is an ARIA progressbar; update() sets
 * it from a progress snapshot.
 */
export function progressBar(label) {
  const explained = h('span', { class: 'seg seg-explained' });
  const skipped = h('span', { class: 'seg seg-skipped' });
  const failed = h('span', { class: 'seg seg-failed' });
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0 },
    explained, skipped, failed);
  bar.update = (p) => {
    const total = Math.max(p.total || 0, 1);
    const pct = (n) => (100 * (n || 0) / total).toFixed(2) + '%';
    explained.style.width = pct(p.explained);
    skipped.style.width = pct(p.skipped);
    failed.style.width = pct(p.failed);
    bar.setAttribute('aria-valuemax', p.total || 0);
    bar.setAttribute('aria-valuenow', done(p));
    bar.setAttribute('aria-valuetext', done(p) + ' of ' + (p.total || 0) + ' images');
    bar.classList.toggle('running', !TERMINAL.has(p.state));
  };
  return bar;
}

/** "no-prediction-above-threshold" or "no prediction above 0.5" as words. */
export function reasonText(reason) {
  return String(reason || 'unknown reason').replace(/[-_]+/g, ' ');
}

/**
 * Sentences for the skip and failure reasons of a run, e.g. "3 of 20 images had no prediction above
 * 0.5" or "1 of 20 images failed: corrupt image".
 */
export function reasonSentences(p) {
  const sentences = [];
  const total = p.total || 0;
  const images = (n) => n + ' of ' + total + ' image' + (total === 1 ? '' : 's');
  for (const [reason, n] of Object.entries(p.skipReasons || {})) {
    const words = reasonText(reason);
    sentences.push({ kind: 'skipped', text: /^no\b/i.test(words)
      ? images(n) + ' had ' + words
      : images(n) + ' skipped: ' + words });
  }
  for (const [reason, n] of Object.entries(p.failureReasons || {})) {
    sentences.push({ kind: 'failed', text: images(n) + ' failed: ' + reasonText(reason) });
  }
  return sentences;
}

/** Shows an error in the page's alert region (role=alert), or clears it. */
export function showError(message) {
  const region = document.getElementById('error');
  if (!region) return;
  region.replaceChildren();
  region.hidden = !message;
  if (message) region.append(h('p', {}, message));
}

/** The value of a query parameter of this page. */
export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

/** Error types against ground truth (decision 0075), in display order, with their names. */
export const ERROR_TYPES = {
  'true-positive': 'true positive',
  background: 'background',
  localisation: 'localisation',
  duplicate: 'duplicate',
  'class-confusion': 'class confusion',
  correct: 'correct',
  wrong: 'wrong',
  missed: 'missed',
};

/** The name of an error type. */
export function errorName(type) {
  return ERROR_TYPES[type] || type;
}

/** Whether an error type is a right prediction rather than an error. */
export function isHit(type) {
  return type === 'true-positive' || type === 'correct';
}

/**
 * What a map explains: the predicted label; "missed: cup" for a ground-truth object the model did not
 * predict; "true label: cat" for the true label of a wrong prediction; the attribute group before a label.
 */
export function targetName(target) {
  const label = target.group ? target.group + ': ' + target.label : target.label;
  if (target.role === 'missed') return 'missed: ' + label;
  if (target.role === 'true-label') return 'true label: ' + label;
  return label;
}

