// Drives results-service's web UI in the system's headless Chromium (never a downloaded browser):
// the runs list, a finished run's gallery with the heatmap toggles and the opacity slider, an image's
// detail, a running run's live progress bar, the finished run's Insights page and its comparison with
// a second run over the same images (numbers checked against the API, overlays loaded), and the
// sign-in state of a tab without a token. Saves screenshots; exits non-zero on the first failed
// check. Started by WebUiIT:
//   LUMEN_UI_TOKEN=<bearer token> node ui-check.mjs <baseUrl> <finishedRunId> <runningRunId> <comparedRunId> <screenshotDir>
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, finishedRun, runningRun, comparedRun, outDir] = process.argv.slice(2);
if (!base || !finishedRun || !runningRun || !comparedRun || !outDir) {
  console.error('usage: node ui-check.mjs <baseUrl> <finishedRunId> <runningRunId> <comparedRunId> <screenshotDir>');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const userDataDir = mkdtempSync(join(tmpdir(), 'lumen-chromium-'));
const problems = [];
const step = (text) => console.log('ui-check: ' + text);

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
}

async function shot(page, name, locator) {
  const path = join(outDir, name + '.png');
  await (locator || page).screenshot(locator ? { path } : { path, fullPage: true });
  step('screenshot ' + path);
  return path;
}

// The UI's number formats (lumen.js), to compare what the page shows with what the API says.
const pct = (v) => (v === null || v === undefined ? '–' : (100 * v).toFixed(1) + ' %');
const fixed = (v, digits = 3) => (v === null || v === undefined ? '–' : Number(v).toFixed(digits));
const signed = (v) => (v === null || v === undefined ? '–' : (v > 0 ? '+' : '') + Number(v).toFixed(3));

/** The API's JSON for `path`, fetched with the test's token (not through the page's code). */
async function apiJson(page, path, token) {
  return page.evaluate(async ({ path, token }) => {
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' } });
    if (!response.ok) throw new Error(path + ' answered ' + response.status);
    return response.json();
  }, { path, token });
}

async function cellText(row, key) {
  return (await row.locator(`td[data-key="${key}"]`).textContent()).trim();
}

async function allImagesLoaded(page, selector) {
  await page.waitForFunction((sel) => {
    const images = [...document.querySelectorAll(sel)];
    return images.length > 0 && images.every((i) => i.complete && i.naturalWidth > 0);
  }, selector);
  return page.locator(selector).count();
}

async function frameBytes(card) {
  // Let the opacity transition settle before comparing pixels.
  await card.page().waitForTimeout(400);
  return card.locator('.frame').screenshot();
}

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
let exitCode = 0;
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
  const apiCalls = [];
  page.on('request', (r) => { if (r.url().includes('/api/')) apiCalls.push({ url: r.url(), auth: r.headers().authorization }); });

  // 1. Runs list; a token handed over in the fragment is kept and removed from the address bar.
  const token = process.env.LUMEN_UI_TOKEN || 'ui-test-token';
  await page.goto(base + '/#token=' + encodeURIComponent(token));
  await page.locator(`tr[data-run-id="${finishedRun}"]`).waitFor();
  await page.locator(`tr[data-run-id="${runningRun}"]`).waitFor();
  check(await page.evaluate(() => sessionStorage.getItem('lumenToken')) === token, 'token kept for the tab');
  check(!page.url().includes('token='), 'token removed from the URL');
  check(apiCalls.some((c) => /\/api\/runs$/.test(c.url) && c.auth === 'Bearer ' + token), 'fetch sends the bearer token');
  check(apiCalls.some((c) => c.url.includes('/api/runs/events?access_token=' + encodeURIComponent(token))),
    'the progress stream carries the token as access_token');
  check(await page.locator(`tr[data-run-id="${finishedRun}"] [data-state]`).getAttribute('data-state') === 'COMPLETED',
    'finished run listed as completed');
  await shot(page, '01-runs');

  // 2. A running run: the progress bar advances live (Server-Sent Events, no reload).
  await page.goto(base + '/run.html?id=' + encodeURIComponent(runningRun));
  const bar = page.locator('#progress-bar-slot [role="progressbar"]');
  await bar.waitFor();
  await page.waitForFunction(() => document.querySelector('#progress-bar-slot [role="progressbar"]').hasAttribute('aria-valuenow'));
  const first = Number(await bar.getAttribute('aria-valuenow'));
  const max = Number(await bar.getAttribute('aria-valuemax'));
  step(`running run at ${first} of ${max}`);
  check(first < max, 'the run is still running when its page opens');
  await shot(page, '02-running-before');
  await page.waitForFunction((start) => {
    const now = Number(document.querySelector('#progress-bar-slot [role="progressbar"]').getAttribute('aria-valuenow'));
    return now >= start + 2;
  }, first, { timeout: 60000 });
  const later = Number(await bar.getAttribute('aria-valuenow'));
  step(`progress bar advanced from ${first} to ${later}`);
  check(later > first, 'progress bar advanced');
  check(/images\/s/.test(await page.locator('#progress-text').textContent()), 'throughput shown while running');
  check(/ETA/.test(await page.locator('#progress-text').textContent()), 'ETA shown while running');
  await page.locator('.gallery .card').first().waitFor();
  await shot(page, '03-running-after');

  // 3. A finished run's gallery, heatmaps shown by default.
  await page.goto(base + '/run.html?id=' + encodeURIComponent(finishedRun));
  const cards = page.locator('.card[data-view]');
  await cards.first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('.card img')].every((i) => i.complete && i.naturalWidth > 0));
  const count = await cards.count();
  step(`${count} cards with heatmaps`);
  check(count >= 1, 'gallery has cards');
  check(await page.locator('#run-state [data-state]').getAttribute('data-state') === 'COMPLETED', 'run completed');
  for (const img of await page.locator('img').all()) {
    const alt = await img.getAttribute('alt');
    check(alt !== null && (alt.length > 0 || !(await img.isVisible())), 'visible images have alt text');
  }
  await shot(page, '04-gallery-heatmap');
  const card = cards.first();
  check(await card.locator('img.heat').isVisible(), 'the heatmap layer is visible');
  const heatmapPixels = await frameBytes(card);
  check(heatmapPixels.length > 0, 'card rendered');

  // Global toggle to the originals, with the mouse.
  await page.locator('#show-original').click();
  check(await page.locator('.card[data-view="heatmap"]').count() === 0, 'all cards show the original');
  check(await page.locator('.card img.heat:visible').count() === 0, 'no heatmap layer is visible');
  check(await page.locator('#show-original').getAttribute('aria-pressed') === 'true', 'toggle state announced');
  const originalPixels = await frameBytes(card);
  check(!heatmapPixels.equals(originalPixels), 'the displayed image changes to the original');
  await shot(page, '05-gallery-original');

  // ...and back with the keyboard: the buttons are buttons.
  await page.locator('#show-heatmap').focus();
  await page.keyboard.press('Enter');
  check(await page.locator('.card[data-view="original"]').count() === 0, 'all cards show the heatmap again');
  check(await page.locator('.card img.heat:visible').count() === count, 'every heatmap layer is visible again');
  const backPixels = await frameBytes(card);
  check(!backPixels.equals(originalPixels), 'the displayed image changes back');

  // Per-image toggle (keyboard, Space) leaves the other cards alone.
  await card.locator('button.toggle').focus();
  await page.keyboard.press('Space');
  check(await card.getAttribute('data-view') === 'original', 'this card shows its original');
  check(!(await card.locator('img.heat').isVisible()), 'this card hides its heatmap layer');
  if (count > 1) check(await cards.nth(1).getAttribute('data-view') === 'heatmap', 'the next card keeps its heatmap');
  check(await card.locator('button.toggle').getAttribute('aria-pressed') === 'false', 'per-image toggle state announced');
  await card.locator('button.toggle').click();
  check(await card.getAttribute('data-view') === 'heatmap', 'per-image toggle back');

  // Opacity slider by keyboard.
  await page.locator('#opacity').focus();
  await page.keyboard.press('End');
  check(await card.locator('img.heat').evaluate((i) => i.style.opacity) === '1', 'opacity slider reaches 100%');
  await page.keyboard.press('Home');
  check(await card.locator('img.heat').evaluate((i) => i.style.opacity) === '0', 'opacity slider reaches 0%');
  await page.locator('#opacity').evaluate((input) => {
    input.value = '60';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  check(await card.locator('img.heat').evaluate((i) => i.style.opacity) === '0.6', 'opacity slider set to 60%');

  // Focus is visible: the focused button has an outline.
  await page.locator('#show-original').focus();
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(outline && outline !== 'none', 'keyboard focus is visible');

  // Filters: skipped images only (the demo explains every image, so the empty state shows).
  await page.locator('#outcome').selectOption('skipped');
  await page.locator('.gallery .empty').waitFor();
  await shot(page, '06-gallery-empty-filter');
  await page.locator('#outcome').selectOption('');
  await cards.first().waitFor();

  // 4. An image's detail: original with boxes, heatmap with legend, overlay, metrics and the plot.
  await card.locator('.card-title a').click();
  await page.locator('figure.view img').first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('figure.view img')].every((i) => i.complete && i.naturalWidth > 0));
  check(await page.locator('figure.view').count() === 3, 'original, heatmap and overlay shown');
  check(await page.locator('svg.plot rect.bar-insertion').count() >= 1, 'faithfulness plot drawn');
  check(await page.locator('.metrics-table tbody tr').count() >= 1, 'metrics table');
  await shot(page, '07-image-detail');

  // 5. The finished run's page links to its insights and to the run over the same images.
  const enc = encodeURIComponent;
  await page.goto(base + '/run.html?id=' + enc(finishedRun));
  await page.locator('#insights-link').waitFor();
  await page.locator(`.compare-link[data-run-id="${comparedRun}"]`).waitFor();
  step('run page links to insights and to the comparison with ' + comparedRun);

  // 6. Insights: every class row shows the API's numbers, the mean maps, the "looking away" overlays.
  await page.locator('#insights-link').click();
  await page.waitForURL(/insights\.html/);
  await page.locator('#classes tbody tr').first().waitFor();
  await page.waitForFunction(() => document.getElementById('insights-state').textContent === 'final');
  const insights = await apiJson(page, '/api/runs/' + enc(finishedRun) + '/insights', token);
  check(insights.complete && insights.classes.length >= 1, 'the API has final insights with classes');
  check(insights.reference === 'ground-truth', 'in-box measures use the dataset\'s ground truth');
  check(await page.locator('#classes tbody tr').count() === insights.classes.length, 'one row per class');
  for (const c of insights.classes) {
    const row = page.locator(`#classes tbody tr[data-label="${c.label}"]`);
    check(c.inBoxEnergy !== null && c.inBoxEnergy !== undefined, c.label + ': the API measured in-box energy');
    check(await cellText(row, 'explained') === String(c.explained), c.label + ': explained count as the API says');
    check(await cellText(row, 'meanScore') === fixed(c.meanScore), c.label + ': mean score as the API says');
    check(await cellText(row, 'inBoxEnergy') === pct(c.inBoxEnergy), c.label + ': in-box energy as the API says');
    check(await cellText(row, 'contextReliance') === pct(c.contextReliance), c.label + ': context reliance as the API says');
    step(`insights ${c.label}: ${c.explained} explained, in-box energy ${pct(c.inBoxEnergy)}, score ${fixed(c.meanScore)}`);
  }
  check(/ground-truth/.test(await page.locator('#reference-note').textContent()), 'the page says what the reference is');
  check(await page.locator('#ranking li').count() === insights.contextReliance.length, 'context-reliance ranking');
  check(await page.locator('#maps canvas').count() >= insights.classes.length, 'mean saliency maps drawn');
  const away = await allImagesLoaded(page, '#away img');
  check(away === insights.lookingAway.length, 'every "looking away" overlay loaded (' + away + ')');
  await shot(page, '09-insights');

  // 7. Comparison: per class both runs' in-box energy and score with the change, per image both overlays.
  await page.goto(base + '/run.html?id=' + enc(finishedRun));
  await page.locator(`.compare-link[data-run-id="${comparedRun}"]`).click();
  await page.waitForURL(/compare\.html/);
  await page.locator('#compare-classes tbody tr').first().waitFor();
  const comparison = await apiJson(page, '/api/comparisons?a=' + enc(finishedRun) + '&b=' + enc(comparedRun), token);
  check(comparison.shared >= 1, 'the runs share images (' + comparison.shared + ')');
  check(comparison.images.length === comparison.shared, 'every image of one run is in the other');
  let energyChanges = 0;
  for (const c of comparison.classes) {
    const row = page.locator(`#compare-classes tbody tr[data-label="${c.label}"]`);
    check(await cellText(row, 'inBoxEnergyA') === pct(c.inBoxEnergyA), c.label + ': in-box energy of the first run');
    check(await cellText(row, 'inBoxEnergyB') === pct(c.inBoxEnergyB), c.label + ': in-box energy of the second run');
    check(await cellText(row, 'energyChange') === signed(c.energyChange), c.label + ': in-box energy change as the API says');
    check(await cellText(row, 'scoreChange') === signed(c.scoreChange), c.label + ': score change as the API says');
    if (c.energyChange !== null && c.energyChange !== undefined) energyChanges++;
    step(`comparison ${c.label}: in-box energy ${pct(c.inBoxEnergyA)} -> ${pct(c.inBoxEnergyB)} (${signed(c.energyChange)}), `
      + `score ${signed(c.scoreChange)}`);
  }
  check(energyChanges >= 1, 'the in-box energy difference is shown');
  const overlays = await allImagesLoaded(page, '.pair-card img');
  check(overlays === 2 * comparison.shared, 'both overlays of every shared image loaded (' + overlays + ')');
  for (const pair of comparison.images) {
    const card = page.locator(`.pair-card[data-image-id="${pair.imageId}"]`);
    check(await card.locator('img').count() === 2, pair.imageId + ': two overlays side by side');
    check((await card.locator('[data-key="energyChange"]').textContent()).trim() === signed(pair.energyChange),
      pair.imageId + ': its in-box energy change');
  }
  // Sortable: by score change, largest change first.
  await page.locator('button[data-sort="scoreChange"]').click();
  const shown = await page.locator('#compare-classes tbody td[data-key="scoreChange"]').allTextContents();
  const sizes = shown.map((t) => Math.abs(Number(t.trim().replace('+', ''))));
  check(sizes.every((v, i) => i === 0 || Number.isNaN(v) || v <= sizes[i - 1]), 'classes sorted by largest score change');
  await page.locator('button[data-sort="energyChange"]').click();
  await shot(page, '10-comparison');

  // 8. A tab without a token: the page asks for one, and pasting it signs the tab in.
  const fresh = await context.newPage();
  await fresh.goto(base + '/insights.html?run=' + enc(finishedRun));
  await fresh.locator('#signin').waitFor();
  check(await fresh.locator('#classes tbody tr').count() === 0, 'nothing is shown without a token');
  await shot(fresh, '11-sign-in');
  await fresh.locator('#signin-token').fill(token);
  await fresh.locator('#signin button[type="submit"]').click();
  await fresh.locator('#classes tbody tr').first().waitFor();
  check(await fresh.locator('#signin').count() === 0, 'signed in after pasting the token');
  await fresh.close();

  // 9. Error state: an unknown run says so.
  await page.goto(base + '/run.html?id=no-such-run');
  await page.locator('#error:not([hidden])').waitFor();
  check(/does not exist/.test(await page.locator('#error').textContent()), 'unknown run explained');
  await shot(page, '08-unknown-run');

  const relevant = problems.filter((p) => !/no-such-run|404/.test(p));
  check(relevant.length === 0, 'no script errors: ' + relevant.join('; '));
  step('all checks passed');
} catch (e) {
  console.error('ui-check: ' + e.message);
  if (problems.length) console.error('ui-check: page problems: ' + problems.join('; '));
  try {
    const page = context.pages()[0];
    if (page) await page.screenshot({ path: join(outDir, 'failure.png') });
  } catch (ignored) {
    // nothing more to show
  }
  exitCode = 1;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(exitCode);
