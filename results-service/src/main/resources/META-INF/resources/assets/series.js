// Series page: one tag's slice across runs. series.html?runs=A,B,C&tag=cage (GET /api/series).
import { api, download, h, param, showError } from '/assets/lumen.js';
import { lineChart } from '/assets/charts.js';

const runs = param('runs');
const tag = param('tag');

function chart(view, measure, title) {
  const labels = [...new Set(view.points.map((p) => p.label))].sort();
  const lines = labels.map((label) => ({
    label,
    points: view.points.filter((p) => p.label === label && p[measure]).map((p) => ({
      x: p.position, slice: p[measure].slice, rest: p[measure].rest,
      low: p[measure].slice - (p[measure].difference - p[measure].low),
      high: p[measure].slice + (p[measure].high - p[measure].difference), n: p.n + ' / ' + p.rest,
    })),
  }));
  return lineChart(title, view.runs.map((r) => r.name || r.runId), lines);
}

async function start() {
  document.getElementById('series-runs').value = runs || '';
  document.getElementById('series-tag').value = tag || '';
  if (!runs || !tag) return;
  const query = '/api/series?runs=' + encodeURIComponent(runs) + '&tag=' + encodeURIComponent(tag);
  document.getElementById('series-export').addEventListener('click', () => {
    download(query + '&format=csv', 'lumen-series-' + tag + '.csv').catch((e) => showError('Cannot download: ' + e.message));
  });
  try {
    const view = await api(query);
    document.getElementById('series-title').textContent = 'Series · ' + tag + ' · ' + view.runs.length + ' runs';
    document.getElementById('series-score').replaceChildren(chart(view, 'score', 'Mean score in images tagged ' + tag));
    document.getElementById('series-energy').replaceChildren(chart(view, 'inBoxEnergy',
      'Mean in-box energy in images tagged ' + tag));
    document.getElementById('series-content').hidden = false;
  } catch (e) {
    showError('Cannot show the series: ' + e.message);
  }
}

start();
