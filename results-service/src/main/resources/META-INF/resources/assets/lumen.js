// Shared helpers of Lumen's web UI: API calls with the optional bearer token, progress streams,
// formatting, and the progress bar. Plain ES modules, no framework, nothing loaded from elsewhere.

const TOKEN_KEY = 'lumenToken';
let sessionToken = null;

// The CLI can hand over a token as "#token=..." in the URL: keep it, then drop it from the address
// bar (and so from the history), where it could be copied along with the link.
(function captureToken() {
  const match = location.hash.match(/(?:^#|&)token=([^&]*)/);
  if (match) {
    try {
      localStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    } catch (e) {
      // storage disabled: the token lasts for this page only
      sessionToken = decodeURIComponent(match[1]);
    }
    history.replaceState(null, '', location.pathname + location.search);
  }
})();

/** The stored bearer token, or null. */
export function token() {
  try {
    return localStorage.getItem(TOKEN_KEY) || sessionToken || null;
  } catch (e) {
    return sessionToken || null;
  }
}

/** An API failure with the HTTP status and the problem's detail. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GETs JSON from the API, sending the token when one is stored; throws ApiError on failure. */
export async function api(path) {
  const headers = { Accept: 'application/json' };
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
    if (response.status === 401 || response.status === 403) {
      detail += ' (sign in: open this page with #token=... from the CLI)';
    }
    throw new ApiError(response.status, detail);
  }
  return response.json();
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
