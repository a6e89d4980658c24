// Drives Lumen's whole workflow in the system's headless Chromium (never a downloaded browser), with
// no API call of its own: everything goes through the pages. It registers the squares fixture model,
// uploads its images with ground truth, tries three invalid runs (0 images, a method the model cannot
// take, an out-of-range parameter: the API's message at the field, nothing created), creates a
// Grad-CAM run from the form and watches it complete, toggles its maps, cancels a slow second run
// midway (CANCELLED with counts that add up) and deletes it, creates a third run over the same
// images, and opens the insights (charts) and the comparison. axe-core checks every page: no serious
// or critical violation. Screenshots of each page go to <screenshotDir>. Exits non-zero on the first
// failed check. Started by WebUiIT:
//   LUMEN_UI_TOKEN=<bearer token> node ui-check.mjs <baseUrl> <modelArchive> <imagesDir> <groundTruth> <screenshotDir>
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const [base, modelArchive, imagesDir, groundTruth, outDir, detectorArchive, detectorImagesDir] = process.argv.slice(2);
if (!base || !modelArchive || !imagesDir || !groundTruth || !outDir) {
  console.error('usage: node ui-check.mjs <baseUrl> <modelArchive> <imagesDir> <groundTruth> <screenshotDir>');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const userDataDir = mkdtempSync(join(tmpdir(), 'lumen-chromium-'));
const problems = [];
const step = (text) => console.log('ui-check: ' + text);
const token = process.env.LUMEN_UI_TOKEN || 'ui-test-token';
const images = readdirSync(imagesDir).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort().map((f) => join(imagesDir, f));
// Names unique to this check, so that it can also run against a stack that has seen it before.
const tag = Date.now().toString(36).slice(-4);
const MODEL_NAME = 'squares ' + tag;
const DATASET_NAME = 'squares ' + tag + ' with ground truth';

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
}

async function shot(page, name) {
  const path = join(outDir, name + '.png');
  await page.screenshot({ path, fullPage: true });
  step('screenshot ' + path);
}

/** axe-core on the page as it is now: no serious or critical violation. */
async function accessible(page, name) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of violations) step(`axe ${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
  check(bad.length === 0, 'axe on ' + name + ': ' + bad.map((v) => v.id + ' at ' + v.nodes.join(', ')).join('; '));
  step(`axe ${name}: no serious or critical violation (${violations.length} minor)`);
}

async function frameBytes(card) {
  await card.page().waitForTimeout(400); // let the opacity transition settle before comparing pixels
  return card.locator('.frame').screenshot();
}

async function progressCounts(page) {
  const bar = page.locator('#progress-bar-slot [role="progressbar"]');
  return { done: Number(await bar.getAttribute('aria-valuenow')), total: Number(await bar.getAttribute('aria-valuemax')) };
}

async function runState(page) {
  return page.locator('#run-state [data-state]').getAttribute('data-state');
}

/** Number of runs the runs list shows (the page's own calls). */
async function listedRuns(page) {
  await page.goto(base + '/');
  await page.waitForFunction(() => !document.getElementById('runs').hasAttribute('aria-busy'));
  return page.locator('tr[data-run-id]').count();
}

/** Opens the new-run form (with `query`) and waits until it has loaded the catalogue, models and datasets. */
async function openForm(page, query = '') {
  await page.goto(base + '/new-run.html' + query);
  await page.locator('#run-form[data-ready="true"]').waitFor();
}

async function fillRun(page, { name, method, images: count, seed }) {
  await page.locator('#run-name').fill(name);
  await page.locator('#run-model').selectOption({ label: MODEL_NAME + ' (classification)' });
  await page.locator('#run-dataset').selectOption({ label: DATASET_NAME + ' (' + images.length + ' images)' });
  if (method) await page.locator('#run-method').selectOption(method);
  await page.locator('#run-images').fill(String(count));
  if (seed !== undefined) await page.locator('#run-seed').fill(String(seed));
}

/** Submits the form expecting a refusal shown at `field`; answers the message shown there. */
async function refusedAt(page, field) {
  await page.locator('#run-submit').click();
  const note = page.locator(`.field-problem[data-problem-for="${field}"]`);
  await note.waitFor();
  const text = (await note.textContent()).trim();
  check(text.length > 0, 'a message at ' + field);
  const input = page.locator(`[data-field="${field}"]`);
  check(await input.getAttribute('aria-invalid') === 'true', field + ' marked invalid');
  const described = (await input.getAttribute('aria-describedby')) || '';
  check(described.split(' ').includes(await note.getAttribute('id')), field + ': the message is the input\'s description');
  check(/new-run\.html/.test(page.url()), 'the form stays open');
  return text;
}

/** Submits the form and waits for the run page; answers the run id. */
async function startRun(page) {
  await page.locator('#run-submit').click();
  await page.waitForURL(/\/run\.html\?id=/);
  const id = new URL(page.url()).searchParams.get("id");
  await page.locator('#run-state [data-state]').waitFor();
  step('run ' + id + ' started from the form');
  return id;
}

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // Pages served by the route below have no address, so Chromium would count them as public and
    // refuse their loads of the (loopback) presigned image URLs.
    ...(process.env.LUMEN_UI_STATIC ? ['--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests'] : [])],
  viewport: { width: 1280, height: 900 },
});
// While working on the pages: LUMEN_UI_STATIC=<results-service/src/main/resources/META-INF/resources>
// serves them from the source tree instead of the packaged service (the API is the service's).
if (process.env.LUMEN_UI_STATIC) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  await context.route((url) => !url.pathname.startsWith('/api/') && url.origin === new URL(base).origin, (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = join(process.env.LUMEN_UI_STATIC, path === '/' ? 'index.html' : path);
    const type = types[(file.match(/\.[a-z]+$/) || [''])[0]];
    if (!existsSync(file) || !type) return route.continue();
    return route.fulfill({ status: 200, contentType: type, body: readFileSync(file) });
  });
}
let exitCode = 0;
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
  const apiCalls = [];
  page.on('request', (r) => { if (r.url().includes('/api/')) apiCalls.push({ url: r.url(), method: r.method() }); });

  // 1. The runs list, signed in with a token handed over in the fragment (kept, removed from the URL).
  await page.goto(base + '/#token=' + encodeURIComponent(token));
  await page.waitForFunction(() => !document.getElementById('runs').hasAttribute('aria-busy'));
  check(await page.evaluate(() => sessionStorage.getItem('lumenToken')) === token, 'token kept for the tab');
  check(!page.url().includes('token='), 'token removed from the URL');
  const runsBefore = await page.locator('tr[data-run-id]').count();
  await accessible(page, 'runs list');
  await shot(page, '01-runs');

  // 2. Models: a registration without an archive is refused at the field; then the squares model.
  await page.goto(base + '/models.html');
  await page.waitForFunction(() => !document.getElementById('models').hasAttribute('aria-busy'));
  const modelsBefore = await page.locator('tr[data-model-id]').count();
  await page.locator('#model-name').fill(MODEL_NAME);
  await page.locator('#register-submit').click();
  const archiveNote = page.locator('.field-problem[data-problem-for="archive"]');
  await archiveNote.waitFor();
  step('registering without an archive: "' + (await archiveNote.textContent()).trim() + '"');
  check(await page.locator('tr[data-model-id]').count() === modelsBefore, 'nothing registered');
  await accessible(page, 'models (refused registration)');
  await shot(page, '02-models-refused');
  await page.locator('#model-name').fill(MODEL_NAME);
  await page.locator('#model-archive').setInputFiles(modelArchive);
  await page.locator('#register-submit').click();
  const modelRow = page.locator('tr[data-model-id]', { hasText: MODEL_NAME });
  await modelRow.waitFor({ timeout: 120000 });
  check(await page.locator('.field-problem').count() === 0, 'the refusal is gone');
  check((await modelRow.textContent()).includes('classification'), 'the model\'s task is listed');
  check((await modelRow.textContent()).includes('96 × 96'), 'the model\'s input is listed');
  await shot(page, '03-models');
  await modelRow.locator('a').click();
  await page.locator('#model-detail:not([hidden])').waitFor();
  check(/sha256:/.test(await page.locator('#model-facts').textContent()), 'the model\'s digest is shown');
  const modelId = new URL(page.url()).searchParams.get('id');
  await accessible(page, 'model detail');
  await shot(page, '04-model-detail');

  // 3. Datasets: the images with their COCO ground truth, and one file that is not an image.
  await page.goto(base + '/datasets.html');
  await page.waitForFunction(() => !document.getElementById('datasets').hasAttribute('aria-busy'));
  await page.locator('#dataset-name').fill(DATASET_NAME);
  await page.locator('#dataset-images').setInputFiles([
    ...images.map((file) => ({ name: basename(file), mimeType: 'image/png', buffer: readFileSync(file) })),
    { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are notes, not an image') }]);
  check(/\d+ images chosen/.test(await page.locator('#chosen').textContent()), 'the chosen files are counted');
  await page.locator('#dataset-ground-truth').setInputFiles(groundTruth);
  // Image tags as a CSV: every other image tagged "even" (the insights' slices), and one line naming no image.
  const tagsCsv = 'file_name,tags\n' + images.map((file, i) => basename(file) + ',' + (i % 2 === 0 ? 'even' : 'odd')).join('\n')
    + '\nno-such-image.png,even\n';
  await page.locator('#dataset-tags').setInputFiles({ name: 'tags.csv', mimeType: 'text/csv', buffer: Buffer.from(tagsCsv) });
  await page.locator('#upload-submit').click();
  const uploaded = page.locator('.uploads .upload[data-dataset-id]');
  await uploaded.waitFor({ timeout: 120000 });
  const uploadText = await uploaded.textContent();
  step('upload: ' + uploadText.replace(/\s+/g, ' ').trim());
  check(uploadText.includes(images.length + ' images accepted'), 'every image accepted');
  check(!/ 0 with ground truth/.test(uploadText), 'images annotated by the ground truth');
  check(await uploaded.locator('.refused li', { hasText: 'notes.png' }).count() === 1, 'the refused file listed with its reason');
  check(await uploaded.locator('.refused li', { hasText: 'no-such-image.png is not an image of the dataset' }).count() === 1,
    'the tags line naming no image is refused with its reason');
  check(await uploaded.locator('progress').evaluate((p) => p.value) === 100, 'the upload\'s progress bar is full');
  await page.locator('tr[data-dataset-id]', { hasText: DATASET_NAME }).waitFor();
  await accessible(page, 'datasets');
  await shot(page, '05-datasets');

  // 4. Invalid runs: the API's message at the field, and no run created.
  await openForm(page);
  await fillRun(page, { name: 'no images', method: 'gradcam', images: 0, seed: 7 });
  step('0 images: "' + await refusedAt(page, 'imageCount') + '"');
  await accessible(page, 'new run (refused)');
  await shot(page, '06-new-run-refused-count');

  await openForm(page, '?method=drise');
  await fillRun(page, { name: 'wrong method', images: 4, seed: 7 });
  check(await page.locator('#run-method').inputValue() === 'drise', 'the method asked for in the link is kept');
  const methodMessage = await refusedAt(page, 'method');
  step('a method the model cannot take: "' + methodMessage + '"');
  check(/classification/.test(methodMessage), 'the message names the model\'s task');
  await shot(page, '07-new-run-refused-method');

  await openForm(page);
  await fillRun(page, { name: 'bad parameter', method: 'gradcam', images: 4, seed: 7 });
  await page.locator('#advanced summary').click();
  await page.locator('#param-metricSteps').fill('1');
  const parameterMessage = await refusedAt(page, 'parameters.metricSteps');
  step('metricSteps 1: "' + parameterMessage + '"');
  check(/2\.\.256/.test(parameterMessage), 'the message gives the range');
  await shot(page, '08-new-run-refused-parameter');
  check(await listedRuns(page) === runsBefore, 'no run was created by the refused forms');

  // 5. A Grad-CAM run from the form, watched until it completes.
  await openForm(page);
  await fillRun(page, { name: 'squares gradcam', method: 'gradcam', images: 12, seed: 7 });
  check((await page.locator('#estimate').textContent()).includes('unknown'), 'no estimate before the first run');
  await accessible(page, 'new run');
  await shot(page, '09-new-run');
  const gradcam = await startRun(page);
  await page.waitForFunction(() => document.querySelector('#run-state [data-state]').dataset.state === 'COMPLETED',
    null, { timeout: 300000 });
  const finished = await progressCounts(page);
  check(finished.done === 12 && finished.total === 12, 'all 12 images done');
  check((await page.locator('#run-meta').textContent()).includes(MODEL_NAME), 'the model is named, not its id');
  check((await page.locator('#run-meta').textContent()).includes(DATASET_NAME), 'the dataset is named, not its id');
  check(await page.locator('#delete-run').isVisible() && !(await page.locator('#cancel-run').isVisible()),
    'a finished run offers delete, not cancel');

  // Its gallery: heatmaps by default; toggled to the originals and back (mouse, then keyboard).
  const cards = page.locator('.card[data-view]');
  await cards.first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('.card img')].every((i) => i.complete && i.naturalWidth > 0));
  const card = cards.first();
  const heatmapPixels = await frameBytes(card);
  await page.locator('#show-original').click();
  check(await page.locator('.card[data-view="heatmap"]').count() === 0, 'all cards show the original');
  const originalPixels = await frameBytes(card);
  check(!heatmapPixels.equals(originalPixels), 'the displayed image changes to the original');
  await page.locator('#show-heatmap').focus();
  await page.keyboard.press('Enter');
  check(await page.locator('.card[data-view="original"]').count() === 0, 'all cards show the heatmap again');
  await card.locator('button.toggle').focus();
  await page.keyboard.press('Space');
  check(await card.getAttribute('data-view') === 'original', 'one card toggled by keyboard');
  check(await cards.nth(1).getAttribute('data-view') === 'heatmap', 'the next card keeps its heatmap');
  await card.locator('button.toggle').click();
  await page.locator('#opacity').focus();
  await page.keyboard.press('End');
  check(await card.locator('img.heat').evaluate((i) => i.style.opacity) === '1', 'opacity slider by keyboard');
  await accessible(page, 'run (completed)');
  await shot(page, '10-run-completed');

  // The image's detail page.
  await card.locator('.card-title a').click();
  await page.locator('figure.view img').first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('figure.view img')].every((i) => i.complete && i.naturalWidth > 0));
  check(await page.locator('figure.view').count() === 3, 'original, heatmap and overlay shown');
  await accessible(page, 'image detail');
  await shot(page, '11-image-detail');

  // 5b. Errors against ground truth (the dataset has it): the run page's error filter and the insights'
  // Errors section. Each filter option's count (images with that type) must be the gallery's matching count
  // and its cards (one page of 24 at most), every card badged with the type; the insights' totals row
  // links to the same counts. A run whose results carry no evaluation shows neither filter nor counts.
  await page.goto(base + '/run.html?id=' + encodeURIComponent(gradcam));
  await page.locator('#gallery .card[data-view]').first().waitFor();
  const errorOptions = await page.locator('#error-type option[data-count]').evaluateAll((options) =>
    options.map((o) => ({ type: o.value, count: Number(o.dataset.count) })));
  step('error filter: ' + (errorOptions.length ? errorOptions.map((o) => o.type + ' ' + o.count).join(', ') : 'no evaluation'));
  if (errorOptions.length === 0) {
    check(await page.locator('#error-control').isHidden(), 'without evaluations the error filter is hidden');
  } else {
    check(await page.locator('#error-control').isVisible(), 'the error filter is shown');
    for (const { type, count } of errorOptions) {
      await page.locator('#error-type').selectOption(type);
      await page.waitForFunction(([t, n]) => document.getElementById('result-count').textContent.startsWith(n + ' of ')
        && [...document.querySelectorAll('#gallery .card')].every((c) => c.querySelector(`.error-badge[data-error="${t}"]`)),
      [type, count]);
      const shown = await page.locator('#gallery .card[data-image-id]').count();
      check(shown === Math.min(count, 24), `error ${type}: ${shown} cards for the ${count} images the filter counts`);
      check(new URL(page.url()).searchParams.get('error') === type, 'the filter is in the address');
    }
    await page.locator('#error-type').selectOption(errorOptions[0].type);
    await accessible(page, 'run (error filter)');
    await shot(page, '11b-run-error-filter');
    await page.locator('#error-type').selectOption('');
  }
  await page.goto(base + '/insights.html?run=' + encodeURIComponent(gradcam));
  await page.waitForFunction(() => document.getElementById('insights-state').textContent === 'final');
  check(await page.locator('#errors-section h2').textContent() === 'Errors', 'the insights have an Errors section');
  check(await page.locator('#errors').count() === 1, 'the Errors table exists');
  if (errorOptions.length === 0) {
    check(/No image has been matched/.test(await page.locator('#errors').textContent()), 'no counts without evaluations');
  } else {
    check(await page.locator('#errors tbody tr[data-label]').count() >= 1, 'error counts per class');
    const totals = await page.locator('#errors tfoot [data-error][data-count]').evaluateAll((cells) =>
      Object.fromEntries(cells.map((c) => [c.dataset.error, Number(c.dataset.count)])));
    for (const { type, count } of errorOptions) {
      check(totals[type] === count, `insights count ${totals[type]} images for ${type}, the gallery ${count}`);
    }
    const link = page.locator('#errors tbody a[data-error]').first();
    const [label, linkType, linkCount] = [await link.evaluate((a) => a.closest('tr').dataset.label),
      await link.getAttribute('data-error'), Number(await link.getAttribute('data-count'))];
    await link.click();
    await page.waitForURL(/run\.html/);
    await page.waitForFunction(([t]) => document.getElementById('error-type').value === t
      && /^\d+ of /.test(document.getElementById('result-count').textContent), [linkType]);
    const matching = Number((await page.locator('#result-count').textContent()).split(' ')[0]);
    step(`errors of ${label} / ${linkType}: ${linkCount} predictions in the insights, ${matching} images in the gallery`);
    check(matching >= 1 && matching <= linkCount, 'the class and error link opens the filtered gallery');
  }

  // 6. A slow run (RISE with many masks, no early stop) cancelled midway, then deleted.
  await openForm(page);
  await fillRun(page, { name: 'squares rise (to cancel)', method: 'rise', images: 12, seed: 7 });
  await page.locator('#advanced summary').click();
  await page.locator('#param-masks').fill('12000');
  await page.locator('#param-earlyStop').selectOption('false');
  const slow = await startRun(page);
  // Progressive previews (decision 0045): the map of an image still being explained, with its mask count
  // rising from one preview to the next, and never a preview of an image whose result is stored.
  const seenMasks = new Map();
  let rising = null;
  for (let i = 0; i < 120 && !rising; i++) {
    const previews = await page.locator('#progressive-preview:not([hidden]) figure.preview').evaluateAll((figures) =>
      figures.map((f) => ({ image: f.closest('[data-image-id]').dataset.imageId, target: f.dataset.target,
        masks: Number(f.dataset.masks) })));
    for (const p of previews) {
      const key = p.image + '#' + p.target;
      const counts = seenMasks.get(key) || [];
      if (!counts.length || counts[counts.length - 1] !== p.masks) counts.push(p.masks);
      seenMasks.set(key, counts);
      if (counts.length >= 2) rising = { key, counts };
    }
    if (!rising) await page.waitForTimeout(500);
  }
  check(rising !== null, 'previews shown while the masks accumulate: ' + JSON.stringify([...seenMasks]));
  check(rising.counts.every((m, k) => k === 0 || m > rising.counts[k - 1]), 'preview mask counts rise: ' + rising.counts);
  step('previews of ' + rising.key + ' after ' + rising.counts.join(', ') + ' masks');
  await page.waitForFunction(() => Number(document.querySelector('#progress-bar-slot [role="progressbar"]')
    .getAttribute('aria-valuenow')) >= 1, null, { timeout: 300000 });
  // The ETA while it runs: shown, and never rising between two completions.
  const etas = [];
  for (let i = 0; i < 6; i++) {
    const eta = await page.locator('#progress-text').evaluate((el) => ({ seconds: el.dataset.etaSeconds,
      updatedAt: el.dataset.updatedAt, text: (el.textContent.match(/ETA ([^·]+)/) || [])[1], done: Number(document
        .querySelector('#progress-bar-slot [role="progressbar"]').getAttribute('aria-valuenow')) }));
    if (eta.seconds) {
      etas.push(eta);
      // WebUiIT compares these with what the CLI's bar draws for the same snapshot.
      console.log('ui-check: page-eta ' + slow + ' ' + eta.updatedAt + ' ETA ' + eta.text.trim());
    }
    await page.waitForTimeout(1000);
  }
  check(etas.length >= 1, 'an ETA is shown while the run runs');
  for (let i = 1; i < etas.length; i++) {
    if (etas[i].done === etas[i - 1].done) {
      check(Number(etas[i].seconds) <= Number(etas[i - 1].seconds), 'the ETA does not rise while no image completes: '
        + etas.map((e) => e.done + ':' + e.seconds).join(' '));
    }
  }
  await shot(page, '12-run-running');
  // Meanwhile, in another tab, the model cannot be deleted: one of its runs is in progress.
  const other = await context.newPage();
  await other.goto(base + '/models.html?id=' + encodeURIComponent(modelId) + '#token=' + encodeURIComponent(token));
  await other.locator('#model-detail:not([hidden])').waitFor();
  await other.waitForFunction(() => document.getElementById('delete-model').disabled);
  check(/in progress/.test(await other.locator('#delete-note').textContent()), 'the page says why the model stays');
  await other.close();
  const before = await progressCounts(page);
  check(before.done < before.total, 'the run is still running when it is cancelled (' + before.done + ' of ' + before.total + ')');
  await page.locator('#cancel-run').click();
  const dialog = page.locator('dialog.confirm[open]');
  await dialog.waitFor();
  await accessible(page, 'cancel confirmation');
  await shot(page, '13-cancel-confirm');
  await dialog.locator('.confirm-ok').click();
  await page.waitForFunction(() => document.querySelector('#run-state [data-state]').dataset.state === 'CANCELLED',
    null, { timeout: 120000 });
  await page.waitForFunction(() => {
    const bar = document.querySelector('#progress-bar-slot [role="progressbar"]');
    return Number(bar.getAttribute('aria-valuenow')) === Number(bar.getAttribute('aria-valuemax'));
  }, null, { timeout: 120000 });
  const text = await page.locator('#progress-text').textContent();
  const [, doneText, total, explained, skipped, failed] = text.match(/(\d+) of (\d+) images \((\d+) explained, (\d+) skipped, (\d+) failed\)/);
  step(`cancelled: ${doneText} of ${total} (${explained} explained, ${skipped} skipped, ${failed} failed)`);
  check(Number(explained) + Number(skipped) + Number(failed) === Number(total) && Number(total) === 12, 'the counts add up to the run');
  check(Number(explained) >= before.done - Number(failed) && Number(skipped) >= 1, 'explained before the cancel, the rest skipped');
  const cancelReason = await page.locator('#reasons li', { hasText: 'run cancelled' }).textContent();
  check(cancelReason.startsWith(skipped + ' of 12 images'), 'the skipped images are explained: ' + cancelReason);
  await accessible(page, 'run (cancelled)');
  await shot(page, '14-run-cancelled');
  await page.locator('#delete-run').click();
  await page.locator('dialog.confirm[open] .confirm-ok').click();
  await page.waitForURL((url) => url.pathname === '/' && url.searchParams.has('deleted'));
  await page.waitForFunction(() => !document.getElementById('runs').hasAttribute('aria-busy'));
  check(await page.locator(`tr[data-run-id="${slow}"]`).count() === 0, 'the deleted run is gone from the list');
  check(await page.locator(`tr[data-run-id="${gradcam}"]`).count() === 1, 'the other run stays');
  await shot(page, '15-runs-after-delete');

  // 7. A second method over the same images (same dataset, count and seed), for the comparison.
  await page.goto(base + '/run.html?id=' + encodeURIComponent(gradcam));
  await page.locator('#rerun-link').click();
  await page.locator('#run-form[data-ready="true"]').waitFor();
  check(await page.locator('#run-images').inputValue() === '12', 'run again keeps the number of images');
  check(await page.locator('#run-method').inputValue() === 'gradcam', 'run again keeps the method');
  const estimate = await page.locator('#estimate').textContent();
  step(estimate);
  check(/about .* per image in run squares gradcam/.test(estimate), 'an estimate from the finished Grad-CAM run');
  await page.locator('#run-method').selectOption('gradcam++');
  check(/unknown/.test(await page.locator('#estimate').textContent()), 'no estimate for a method not run yet');
  await page.locator('#run-seed').fill('7');
  const second = await startRun(page);
  await page.waitForFunction(() => document.querySelector('#run-state [data-state]').dataset.state === 'COMPLETED',
    null, { timeout: 300000 });

  // 8. Insights of the first run: charts with intervals, the histogram, mean maps.
  await page.goto(base + '/run.html?id=' + encodeURIComponent(gradcam));
  await page.locator('#insights-link').click();
  await page.waitForURL(/insights\.html/);
  await page.waitForFunction(() => document.getElementById('insights-state').textContent === 'final');
  await page.locator('#charts svg.chart').first().waitFor();
  const classes = await page.locator('#classes tbody tr').count();
  check(classes >= 1, 'classes listed');
  check(await page.locator('#charts svg.chart').count() === 6, 'six per-class charts');
  check(await page.locator('#charts .chart-energy g.row').count() === classes, 'one bar per class');
  check(await page.locator('#charts .chart-energy line.whisker').count() >= 3, 'intervals drawn');
  const bins = await page.locator('#histogram rect.chart-bar').evaluateAll((rects) => rects.map((r) => Number(r.dataset.count)));
  check(bins.length === 10 && bins.reduce((a, b) => a + b, 0) >= 12, 'the histogram counts every map: ' + bins);
  check(/ground-truth/.test(await page.locator('#reference-note').textContent()), 'measured against the ground truth');
  // Findings and slices: the tags uploaded with the dataset slice the run.
  check(await page.locator('#findings li').count() >= 1, 'the findings list is shown');
  check(await page.locator('#slices tr[data-tag="even"]').count() >= 1, 'slices by the uploaded tag');
  check(await page.locator('#context-test li[data-verdict]').count() >= 1, 'the context test per class');
  step('findings: ' + (await page.locator('#findings').textContent()).replace(/\s+/g, ' ').trim().slice(0, 300));
  // Agreement with the Grad-CAM++ run over the same images: a correlation per pair of maps.
  await page.locator(`#agreement tr[data-run-id="${second}"]`).waitFor();
  const paired = Number(await page.locator(`#agreement tr[data-run-id="${second}"] td[data-key="pairs"]`).textContent());
  const meanPearson = Number(await page.locator(`#agreement tr[data-run-id="${second}"] td[data-key="meanPearson"]`).textContent());
  step('agreement with Grad-CAM++: ' + paired + ' targets paired, mean Pearson ' + meanPearson);
  check(paired >= 12 && meanPearson > 0.5 && meanPearson <= 1, 'Grad-CAM and Grad-CAM++ maps agree on the same targets');
  await accessible(page, 'insights');
  await shot(page, '16-insights');

  // 9. The comparison with the second run.
  await page.goto(base + '/run.html?id=' + encodeURIComponent(gradcam));
  await page.locator(`.compare-link[data-run-id="${second}"]`).click();
  await page.waitForURL(/compare\.html/);
  await page.locator('#compare-classes tbody tr').first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('.pair-card img')].length > 0
    && [...document.querySelectorAll('.pair-card img')].every((i) => i.complete && i.naturalWidth > 0));
  check(await page.locator('.pair-card').count() === 12, 'the twelve shared images side by side');
  check(/mean Pearson correlation/.test(await page.locator('#compare-agreement').textContent()), 'the maps\' agreement stated');
  await page.locator('#image-sort').selectOption('moved');
  const correlations = await page.locator('.pair-card [data-key="mapPearson"]').evaluateAll((spans) =>
    spans.map((s) => Number(s.textContent)));
  check(correlations.every((r, k) => k === 0 || r >= correlations[k - 1]), 'sorted by the maps that moved most: ' + correlations);
  await accessible(page, 'comparison');
  await shot(page, '17-comparison');

  // 9b. The series plot of a tag's slice over the two runs (the occluder plot's page), and its CSV.
  await page.goto(base + '/series.html?runs=' + encodeURIComponent(gradcam + ',' + second) + '&tag=even');
  await page.locator('#series-content:not([hidden]) #series-score svg.chart-series').waitFor();
  const seriesPoints = await page.locator('#series-score circle.series-point').count();
  check(seriesPoints >= 2, 'the series plot draws a point per run and class: ' + seriesPoints);
  check(await page.locator('#series-energy svg.chart-series').count() === 1, 'and the in-box energy plot');
  await accessible(page, 'series');
  await shot(page, '17b-series');

  // 9c. D-RISE on the detector fixture: its progressive previews sharpen with rising mask counts on the run
  // page, then the final maps replace them (decision 0045).
  if (detectorArchive) {
    const detectorName = 'detector ' + tag;
    await page.goto(base + '/models.html');
    await page.waitForFunction(() => !document.getElementById('models').hasAttribute('aria-busy'));
    await page.locator('#model-name').fill(detectorName);
    await page.locator('#model-archive').setInputFiles(detectorArchive);
    await page.locator('#register-submit').click();
    await page.locator('tr[data-model-id]', { hasText: detectorName }).waitFor({ timeout: 120000 });
    const detectorImages = readdirSync(detectorImagesDir).filter((f) => /^objects-\d+\.png$/.test(f)).sort().slice(0, 2).map((f) => join(detectorImagesDir, f));
    await page.goto(base + '/datasets.html');
    await page.waitForFunction(() => !document.getElementById('datasets').hasAttribute('aria-busy'));
    await page.locator('#dataset-name').fill(detectorName + ' photos');
    await page.locator('#dataset-images').setInputFiles(detectorImages.map((file) => ({ name: basename(file),
      mimeType: 'image/png', buffer: readFileSync(file) })));
    await page.locator('#upload-submit').click();
    await page.locator('.uploads .upload[data-dataset-id]', { hasText: detectorName }).waitFor({ timeout: 120000 });
    await openForm(page);
    await page.locator('#run-name').fill('detector drise previews');
    await page.locator('#run-model').selectOption({ label: detectorName + ' (detection)' });
    await page.locator('#run-dataset').selectOption({ label: detectorName + ' photos (' + detectorImages.length + ' images)' });
    await page.locator('#run-method').selectOption('drise');
    await page.locator('#run-images').fill(String(detectorImages.length));
    await page.locator('#advanced summary').click();
    // The detector fixture draws 8,000 masks in under 2 s (the worker's least time between previews): the
    // largest budget keeps each image long enough on screen for several previews.
    await page.locator('#param-masks').fill('100000');
    await page.locator('#param-earlyStop').selectOption('false');
    const drise = await startRun(page);
    const driseMasks = new Map();
    let driseRising = null;
    for (let i = 0; i < 240 && !driseRising; i++) {
      const previews = await page.locator('#progressive-preview:not([hidden]) figure.preview').evaluateAll((figures) =>
        figures.map((f) => ({ image: f.closest('[data-image-id]').dataset.imageId, target: f.dataset.target,
          masks: Number(f.dataset.masks) })));
      for (const p of previews) {
        const key = p.image + '#' + p.target;
        const counts = driseMasks.get(key) || [];
        if (!counts.length || counts[counts.length - 1] !== p.masks) counts.push(p.masks);
        driseMasks.set(key, counts);
        if (counts.length >= 2) driseRising = { key, counts };
      }
      if (!driseRising) await page.waitForTimeout(500);
    }
    check(driseRising !== null, 'D-RISE previews shown while the masks accumulate: ' + JSON.stringify([...driseMasks]));
    check(driseRising.counts.every((m, k) => k === 0 || m > driseRising.counts[k - 1]),
      'D-RISE preview mask counts rise: ' + driseRising.counts);
    step('D-RISE previews of ' + driseRising.key + ' after ' + driseRising.counts.join(', ') + ' masks');
    await shot(page, '17c-drise-previews');
    await page.waitForFunction(() => document.querySelector('#run-state [data-state]').dataset.state.startsWith('COMPLETED'),
      null, { timeout: 600000 });
    await page.waitForFunction(() => document.getElementById('progressive-preview').hidden, null, { timeout: 30000 });
    await page.locator('.card[data-view]').first().waitFor({ timeout: 60000 });
    check(await page.locator('#progressive-preview figure.preview').count() === 0, 'no preview after the final maps');
    step('D-RISE run ' + drise + ' completed; previews gone');
  }

  // 10. The model is deleted once no run of it is in progress; its runs keep their results.
  await page.goto(base + '/models.html?id=' + encodeURIComponent(modelId));
  await page.locator('#model-detail:not([hidden])').waitFor();
  await page.waitForFunction(() => !document.getElementById('delete-model').disabled);
  await page.locator('#delete-model').click();
  await page.locator('dialog.confirm[open] .confirm-ok').click();
  await page.waitForURL(/deleted=/);
  await page.waitForFunction(() => !document.getElementById('models').hasAttribute('aria-busy'));
  check(await page.locator(`tr[data-model-id="${modelId}"]`).count() === 0, 'the deleted model is gone from the list');
  await page.goto(base + '/run.html?id=' + encodeURIComponent(gradcam));
  await page.locator('.card[data-view]').first().waitFor();
  step('model deleted; its finished run still shows its results');

  // 11. A tab without a token asks for one; an unknown run says so.
  const fresh = await context.newPage();
  await fresh.goto(base + '/models.html');
  await fresh.locator('#signin').waitFor();
  await accessible(fresh, 'sign in');
  await shot(fresh, '18-sign-in');
  await fresh.close();
  await page.goto(base + '/run.html?id=no-such-run');
  await page.locator('#error:not([hidden])').waitFor();
  check(/does not exist/.test(await page.locator('#error').textContent()), 'unknown run explained');
  await accessible(page, 'unknown run');

  const relevant = problems.filter((p) => !/no-such-run|404|400|422|409|401/.test(p));
  check(relevant.length === 0, 'no script errors: ' + relevant.join('; '));
  step('all checks passed');
} catch (e) {
  console.error('ui-check: ' + e.message);
  if (problems.length) console.error('ui-check: page problems: ' + problems.slice(0, 8).join('; ').slice(0, 3000));
  try {
    const page = context.pages()[0];
    if (page) await page.screenshot({ path: join(outDir, 'failure.png'), fullPage: true });
  } catch (ignored) {
    // nothing more to show
  }
  exitCode = 1;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(exitCode);
