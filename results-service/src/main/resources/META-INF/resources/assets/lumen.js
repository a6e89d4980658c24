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

/** An API failure with the HTTP status and the problem's detail. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GETs from the API with the bearer token; a 401 shows the sign-in panel. Throws ApiError on failure. */
async function request(path, accept) {
  const headers = { Accept: accept };
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  let response;
  try {
    response = await fetch(path, { headers });
  } catch (e) {
    throw new ApiError(0, 'results-service cannot be reached (' + e.message + ')');
  }
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch (e) {
      // not a problem document
    }
    if (response.status === 401) {
      storeToken(null);
      showSignIn(t ? 'The token was refused: ' + detail + '.' : 'This page needs an API token.');
      detail = 'sign in first: ' + detail;
    }
    throw new ApiError(response.status, detail);
  }
  return response;
}

/** GETs JSON from the API; throws ApiError on failure. */
export async function api(path) {
  return (await request(path, 'application/json')).json();
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
