// Hand-drawn SVG charts of the insights page: per-class bars with 95% intervals and a histogram. No
// library and nothing fetched: the page works offline. Each chart is one role="img" SVG whose label
// reads out every number it shows.
import { svg } from './lumen.js';

// Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom; 1.96 beyond.
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
  2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Mean and 95% t-interval of the numbers; the interval is null for fewer than two. */
export function meanInterval(values) {
  const xs = values.filter((v) => v !== null && v !== undefined && isFinite(v));
  const n = xs.length;
  if (n === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, value: mean, low: null, high: null };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = (n - 1 <= 30 ? T975[n - 2] : 1.96) * sd / Math.sqrt(n);
  return { n, value: mean, low: mean - half, high: mean + half };
}

/** Share of hits and its 95% Wilson score interval. */
export function proportionInterval(flags) {
  const xs = flags.filter((v) => v === true || v === false);
  const n = xs.length;
  if (n === 0) return null;
  const p = xs.filter(Boolean).length / n;
  const z = 1.96;
  const centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  const half = (z / (1 + z * z / n)) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return { n, value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * A ratio of means, sum(numerators) / sum(denominators), over the pairs where both are known, with a 95%
 * interval by the delta method (the ratio estimator's linearisation, Student's t); `bounds` clamps the
 * value and the interval. Null when there is no pair or the denominators sum to zero.
 */
export function ratioInterval(numerators, denominators, bounds = [0, Infinity]) {
  const pairs = numerators.map((a, i) => [a, denominators[i]])
    .filter(([a, b]) => a !== null && a !== undefined && isFinite(a) && b !== null && b !== undefined && isFinite(b));
  const n = pairs.length;
  if (n === 0) return null;
  const meanB = pairs.reduce((s, [, b]) => s + b, 0) / n;
  if (!(meanB > 0)) return null;
  const ratio = pairs.reduce((s, [a]) => s + a, 0) / n / meanB;
  const [lo, hi] = bounds;
  const value = clamp(ratio, lo, hi);
  if (n < 2) return { n, value, low: null, high: null };
  const variance = pairs.reduce((s, [a, b]) => s + (a - ratio * b) ** 2, 0) / (n - 1);
  const half = (n - 1 <= 30 ? T975[n - 2] : 1.96) * Math.sqrt(variance / n) / meanB;
  return { n, value, low: clamp(ratio - half, lo, hi), high: clamp(ratio + half, lo, hi) };
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/**
 * Horizontal bars, one per row ({label, value, low, high, n, chance}), on a scale from 0 to `max`, with the
 * interval as a whisker and, when a row has one, its chance level as a dashed mark. `format` writes a value.
 */
export function barChart(title, rows, { max = 1, format = (v) => v.toFixed(2), className = '' } = {}) {
  const rowHeight = 26;
  const left = 130;
  const width = 520;
  const plot = width - left - 70;
  const height = rows.length * rowHeight + 36;
  const x = (v) => left + plot * clamp(v / max, 0, 1);
  const described = rows.map((r) => r.label + ' ' + (r.value === null ? 'not measured' : format(r.value)
    + (r.low !== null && r.low !== undefined ? ' (95% interval ' + format(r.low) + ' to ' + format(r.high) + ')' : '')
    + (r.chance !== null && r.chance !== undefined ? ', chance ' + format(r.chance) : '')
    + ', n = ' + r.n)).join('; ');
  const chart = svg('svg', { class: 'chart ' + className, viewBox: '0 0 ' + width + ' ' + height, role: 'img',
    'aria-label': title + ': ' + (described || 'no data') });
  for (let t = 0; t <= 4; t++) {
    const gx = left + (plot * t) / 4;
    chart.append(svg('line', { x1: gx, y1: 2, x2: gx, y2: height - 26, class: 'grid' }),
      svg('text', { x: gx, y: height - 10, class: 'tick', 'text-anchor': 'middle' }, format((max * t) / 4)));
  }
  rows.forEach((r, i) => {
    const y = 6 + i * rowHeight;
    const g = svg('g', { class: 'row', 'data-label': r.label });
    g.append(svg('text', { x: left - 8, y: y + 13, class: 'row-label', 'text-anchor': 'end' }, r.label));
    if (r.value !== null && r.value !== undefined) {
      g.append(svg('rect', { x: left, y, width: Math.max(1, x(r.value) - left), height: 16, class: 'chart-bar' }));
      if (r.low !== null && r.low !== undefined) {
        const lo = x(r.low);
        const hi = x(r.high);
        g.append(svg('line', { x1: lo, y1: y + 8, x2: hi, y2: y + 8, class: 'whisker' }),
          svg('line', { x1: lo, y1: y + 3, x2: lo, y2: y + 13, class: 'whisker' }),
          svg('line', { x1: hi, y1: y + 3, x2: hi, y2: y + 13, class: 'whisker' }));
      }
      if (r.chance !== null && r.chance !== undefined) {
        const cx = x(r.chance);
        g.append(svg('line', { x1: cx, y1: y - 2, x2: cx, y2: y + 18, class: 'chance', stroke: 'currentColor',
          'stroke-width': 2, 'stroke-dasharray': '3 2' }));
      }
      g.append(svg('text', { x: Math.max(x(r.value), r.high !== null && r.high !== undefined ? x(r.high) : 0) + 5, y: y + 13,
        class: 'value' }, format(r.value)));
    } else {
      g.append(svg('text', { x: left + 4, y: y + 13, class: 'value' }, 'not measured'));
    }
    chart.append(g);
  });
  return chart;
}

/** A histogram of values in [0, 1] in `bins` equal bins. */
export function histogram(title, values, { bins = 10, format = (v) => v.toFixed(1) } = {}) {
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[clamp(Math.floor(v * bins), 0, bins - 1)]++;
  const width = 520;
  const height = 220;
  const left = 40;
  const bottom = 30;
  const plotW = width - left - 10;
  const plotH = height - bottom - 10;
  const top = Math.max(1, ...counts);
  const described = counts.map((c, i) => format(i / bins) + '–' + format((i + 1) / bins) + ': ' + c).join('; ');
  const chart = svg('svg', { class: 'chart histogram', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
    'aria-label': title + ' (' + values.length + ' maps): ' + described });
  const step = Math.max(1, Math.ceil(top / 4));
  for (let c = 0; c <= top; c += step) {
    const y = 10 + plotH - (plotH * c) / top;
    chart.append(svg('line', { x1: left, y1: y, x2: width - 10, y2: y, class: 'grid' }),
      svg('text', { x: left - 6, y: y + 4, class: 'tick', 'text-anchor': 'end' }, String(c)));
  }
  counts.forEach((c, i) => {
    const bw = plotW / bins;
    const h = (plotH * c) / top;
    chart.append(svg('rect', { x: left + i * bw + 1, y: 10 + plotH - h, width: bw - 2, height: h, class: 'chart-bar',
      'data-count': c }));
  });
  for (let i = 0; i <= bins; i += 2) {
    chart.append(svg('text', { x: left + (plotW * i) / bins, y: height - 12, class: 'tick', 'text-anchor': 'middle' },
      format(i / bins)));
  }
  return chart;
}

/**
 * A line chart over a series of runs (x: the runs in order, y: 0..1): per line its slice values (solid,
 * with whiskers low..high) and its rest values (dashed). Lines carry data-label, points data-x and data-y.
 */
export function lineChart(title, xLabels, lines) {
  const width = 560;
  const height = 260;
  const left = 50;
  const right = 150;
  const top = 10;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (i) => left + (xLabels.length <= 1 ? plotW / 2 : (plotW * i) / (xLabels.length - 1));
  const y = (v) => top + plotH * (1 - clamp(v, 0, 1));
  const described = lines.map((l) => l.label + ': ' + l.points.map((p) => xLabels[p.x] + ' ' + p.slice.toFixed(2)
    + ' (rest ' + p.rest.toFixed(2) + ', n = ' + p.n + ')').join(', ')).join('; ');
  const chart = svg('svg', { class: 'chart chart-series', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
    'aria-label': title + ': ' + (described || 'no data') });
  for (let t = 0; t <= 4; t++) {
    const gy = y(t / 4);
    chart.append(svg('line', { x1: left, y1: gy, x2: left + plotW, y2: gy, class: 'grid' }),
      svg('text', { x: left - 6, y: gy + 4, class: 'tick', 'text-anchor': 'end' }, (t / 4).toFixed(2)));
  }
  xLabels.forEach((label, i) => chart.append(svg('text', { x: x(i), y: height - 18, class: 'tick', 'text-anchor': 'middle' },
    label)));
  lines.forEach((line, k) => {
    const g = svg('g', { class: 'series-line series-' + (k % 6), 'data-label': line.label });
    const path = (key) => line.points.map((p, i) => (i === 0 ? 'M' : 'L') + x(p.x) + ' ' + y(p[key])).join(' ');
    g.append(svg('path', { d: path('rest'), class: 'series-rest' }), svg('path', { d: path('slice'), class: 'series-slice' }));
    for (const p of line.points) {
      g.append(svg('line', { x1: x(p.x), y1: y(p.low), x2: x(p.x), y2: y(p.high), class: 'whisker' }),
        svg('circle', { cx: x(p.x), cy: y(p.slice), r: 3.5, class: 'series-point', 'data-x': String(p.x),
          'data-y': p.slice.toFixed(4) }));
    }
    const last = line.points[line.points.length - 1];
    if (last) g.append(svg('text', { x: left + plotW + 8, y: y(last.slice) + 4, class: 'row-label' }, line.label));
    chart.append(g);
  });
  return chart;
}
