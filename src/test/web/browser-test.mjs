// Drives the archon-sync web page in headless Chromium: starts a sync through the page, waits for
// 100%, finds the run in the history with its tables, closes the details with Escape, is refused an
// undo after a later change and is offered to force it, reloads during a run that waits for a lock
// (the run shows again, live, at desktop and phone width), sees that run killed and reported as
// rolled back and not verified, merges both ways with a conflict shown side by side and resolved with
// "Keep local", and fails on any console error.
// Env: ARCHON_SYNC_URL (http://127.0.0.1:PORT), ARCHON_SYNC_API_TOKEN, ARTIFACTS (screenshot dir),
// CONTROL_DIR (BrowserIT's control files: NAME.req asks, NAME.done answers).
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.env.ARCHON_SYNC_URL;
const token = process.env.ARCHON_SYNC_API_TOKEN;
const artifacts = process.env.ARTIFACTS || 'target/test-artifacts';
const controlDir = process.env.CONTROL_DIR;
if (!base || !token || !controlDir) {
  console.error('ARCHON_SYNC_URL, ARCHON_SYNC_API_TOKEN and CONTROL_DIR are required');
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'archon-sync-chromium-'));
const errors = [];
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-quic', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
const step = (text) => console.log('browser-test: ' + text);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Asks BrowserIT to do something on the database, and waits for it to be done.
async function control(name) {
  const done = join(controlDir, name + '.done');
  rmSync(done, { force: true });
  writeFileSync(join(controlDir, name + '.req'), '');
  for (let i = 0; i < 300 && !existsSync(done); i++) await sleep(100);
  if (!existsSync(done)) throw new Error('BrowserIT did not do ' + name);
  const outcome = readFileSync(done, 'utf8');
  if (outcome !== 'ok') throw new Error(name + ': ' + outcome);
}

// Whether the element is wholly inside the viewport (no scrolling needed to see it).
async function inView(page, selector) {
  const box = await page.locator(selector).boundingBox();
  const vp = page.viewportSize();
  return !!box && box.y >= 0 && box.x >= 0 && box.y + box.height <= vp.height && box.x + box.width <= vp.width;
}

async function expectInView(page, selectors, where) {
  for (const s of selectors) {
    // The run view scrolls itself into view (smoothly, while the page may still be laying out): allow it 2 s.
    for (let i = 0; i < 20 && !(await inView(page, s)); i++) await sleep(100);
    if (!(await inView(page, s))) errors.push(s + ' is not visible without scrolling ' + where);
  }
}

async function noSideScroll(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) {
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !(e.parentElement && e.parentElement.closest('.scroll')))
      .slice(0, 5).map((e) => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className));
    errors.push(where + ': the page is ' + overflow + ' px wider than the screen: ' + wide.join(', '));
  }
}

async function startSyncFromThePage(page) {
  await page.getByRole('link', { name: 'Sync', exact: true }).click();
  await page.getByLabel('Local → remote').check();
  await page.getByRole('button', { name: 'Check what will happen' }).click();
  await page.waitForSelector('#confirm:not([hidden])', { timeout: 60000 });
  await page.focus('#confirm-box');
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Start sync' }).click();
  await page.waitForSelector('#run:not([hidden])');
}

try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) errors.push('console: ' + m.text()); });
  page.on('pageerror', (e) => errors.push('page error: ' + e.message));
  page.on('requestfailed', (r) => { if (!r.url().includes('/events')) errors.push('request failed: ' + r.url()); });

  step('open the page with the token in the fragment');
  await page.goto(base + '/#token=' + encodeURIComponent(token));
  await page.waitForSelector('#page-sync:not([hidden])');
  if (page.url().includes(token)) throw new Error('the token stayed in the address bar');
  await page.waitForFunction(() => /local = .+\/.+ · remote = .+\/.+/.test(document.getElementById('databases').textContent));

  step('preflight local-to-remote');
  await page.getByLabel('Local → remote').check();
  await page.getByRole('button', { name: 'Check what will happen' }).click();
  await page.waitForSelector('#plan-table tbody tr');
  await page.waitForSelector('#confirm:not([hidden])');
  await page.screenshot({ path: join(artifacts, 'sync-preflight.png'), fullPage: true });

  step('confirm with the keyboard and start');
  await page.focus('#confirm-box');
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Start sync' }).click();
  await page.waitForSelector('#run:not([hidden])');
  await page.waitForFunction(() => document.getElementById('progress').getAttribute('aria-valuenow') === '100',
    null, { timeout: 180000 });
  await page.waitForSelector('#run-result .badge.completed', { timeout: 30000 });
  const verified = await page.locator('#run-verification tbody tr').count();
  if (verified === 0) throw new Error('no verification rows in the result');
  await page.screenshot({ path: join(artifacts, 'sync-progress.png'), fullPage: true });

  step('history and details: sync id, metrics and verification as tables, raw JSON behind a toggle, Escape');
  await page.getByRole('link', { name: 'History', exact: true }).click();
  await page.waitForSelector('#history-body .badge.completed');
  await page.waitForSelector('#stats .card');
  const firstId = (await page.locator('#history-body td.id').first().textContent()).trim();
  if (!/^sync_\d{8}_\d{6}_[0-9a-f]{4}$/.test(firstId)) throw new Error('no sync id column: ' + firstId);
  const opener = page.locator('#history-body button').first();
  await opener.click();
  await page.waitForSelector('#details:not([hidden]) #verification-table tbody tr');
  await page.waitForSelector('#tables-synced-table tbody tr');
  await page.waitForSelector('#metrics-table tbody tr');
  await page.waitForSelector('#details details.raw summary');
  if (await page.locator('#details details.raw pre').isVisible()) errors.push('the raw JSON is shown without asking');
  const sum = await page.locator('#verification-table code').first().textContent();
  if (!sum.endsWith('…') || sum.length > 14) errors.push('checksums are not shortened: ' + sum);
  await page.waitForSelector('#undo-box button');
  await page.screenshot({ path: join(artifacts, 'history.png'), fullPage: true });
  await page.keyboard.press('Escape');
  await page.waitForSelector('#details[hidden]', { state: 'attached' });
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('aria-label'));
  if (focused !== 'Details of ' + firstId) errors.push('after Escape the focus is on ' + focused + ', not the Details button');

  step('undo offered, refused because the remote changed since, and the page offers to force it');
  await control('change-remote');
  await opener.click();
  await page.getByRole('button', { name: 'Undo…' }).click();
  await page.getByRole('button', { name: 'Yes, undo this sync' }).click();
  await page.waitForSelector('#undo-force');
  const refusal = await page.locator('#undo-result').textContent();
  if (refusal.includes('--force')) errors.push('the page tells about a command-line flag: ' + refusal);
  if (!refusal.includes('public.archon_sources')) errors.push('the refusal does not name the changed table: ' + refusal);
  await page.locator('#undo-force').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'undo-refused.png'), fullPage: false });
  await page.locator('#undo-force').click();
  await page.waitForSelector('#run-result .badge.completed', { timeout: 120000 });
  const undoTitle = await page.locator('#run-id').textContent();
  if (undoTitle.trim() === firstId) errors.push('the undo run shows the undone run id');

  step('a run waiting for a lock survives a reload and shows live at desktop and phone width');
  await control('hold-lock');
  await startSyncFromThePage(page);
  await page.waitForFunction(() => /waiting for locks/.test(document.getElementById('run-facts').textContent), null, { timeout: 30000 });
  const runningId = (await page.locator('#run-id').textContent()).trim();
  await page.reload();
  await page.waitForSelector('#run:not([hidden])');
  await page.waitForFunction((id) => document.getElementById('run-id').textContent === id, runningId);
  await page.waitForFunction(() => /waiting for locks on public\.archon_sources/.test(document.getElementById('run-facts').textContent),
    null, { timeout: 15000 });
  const focusedRun = await page.evaluate(() => document.activeElement && document.activeElement.id);
  if (focusedRun !== 'run') errors.push('after the reload the focus is on ' + focusedRun + ', not the run');
  await expectInView(page, ['#cancel-button', '#progress', '[data-fact="Rows"]', '[data-fact="Speed"]', '[data-fact="Time left"]'],
    'at 1280x900');
  await page.screenshot({ path: join(artifacts, 'reload-mid-run.png') });
  await page.setViewportSize({ width: 375, height: 740 });
  await page.locator('#run').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById('run').scrollIntoView({ block: 'start' }));
  await expectInView(page, ['#cancel-button', '#progress', '[data-fact="Rows"]', '[data-fact="Speed"]', '[data-fact="Time left"]'],
    'at 375x740');
  await noSideScroll(page, 'the running sync at phone width');
  await page.screenshot({ path: join(artifacts, 'run-phone.png') });
  await page.setViewportSize({ width: 1280, height: 900 });

  step('the run is killed: failed, rolled back, not verified');
  await control('kill-import');
  await page.waitForSelector('#run-result .badge.failed', { timeout: 60000 });
  await page.waitForSelector('#run-verification.not-verified');
  const text = await page.locator('#run-result').textContent();
  if (!text.includes('Not verified: rolled back, the target is unchanged')) errors.push('the killed run does not say it was rolled back: ' + text);
  if (/All tables match/.test(text)) errors.push('the killed run claims a verification: ' + text);
  await page.screenshot({ path: join(artifacts, 'killed-run.png'), fullPage: true });
  await control('release-lock');

  step('history at phone width: sync id, status and error visible without side-scrolling');
  await page.getByRole('link', { name: 'History', exact: true }).click();
  await page.waitForSelector('#history-body .badge.failed');
  await page.setViewportSize({ width: 375, height: 740 });
  await noSideScroll(page, 'the history at phone width');
  const failedRow = page.locator('#history-body tr.run-failed').first();
  for (const cls of ['td.id', 'td.err', '.badge.failed']) {
    const box = await failedRow.locator(cls).first().boundingBox();
    if (!box || box.x + box.width > 376) errors.push(cls + ' of a failed run is not visible at phone width');
  }
  await page.screenshot({ path: join(artifacts, 'history-phone.png'), fullPage: true });
  await page.getByRole('link', { name: 'Sync', exact: true }).click();
  await page.screenshot({ path: join(artifacts, 'sync-phone.png'), fullPage: true });
  step('both ways: the merge plan, then a conflict shown side by side and resolved with "Keep local"');
  await page.setViewportSize({ width: 1280, height: 900 });
  const newRun = async (previous) => {
    await page.waitForFunction((id) => document.getElementById('run-id').textContent.trim() !== id, previous, { timeout: 60000 });
    await page.waitForSelector('#run-result .badge.completed', { timeout: 120000 });
  };
  await page.getByLabel('Both ways (merge)').check();
  await page.getByRole('button', { name: 'Check what will happen' }).click();
  await page.waitForSelector('#merge-table tbody tr', { timeout: 60000 });
  await page.waitForSelector('#confirm:not([hidden])');
  await page.screenshot({ path: join(artifacts, 'merge-plan.png'), fullPage: true });
  let before = (await page.locator('#run-id').textContent()).trim();
  await page.focus('#confirm-box');
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Start sync' }).click();
  await newRun(before);
  await control('conflict');
  await page.getByRole('button', { name: 'Check what will happen' }).click();
  await page.waitForSelector('#conflicts:not([hidden]) #conflict-list table', { timeout: 60000 });
  if (!(await page.locator('#confirm').isHidden())) errors.push('a merge with conflicts offers to start anyway');
  const listed = await page.locator('#conflict-list').textContent();
  for (const want of ['public.archon_sources', 'title', 'local title', 'remote title']) {
    if (!listed.includes(want)) errors.push('the conflict list lacks ' + want + ': ' + listed);
  }
  const l = await page.locator('#conflict-list td.side-local', { hasText: 'local title' }).boundingBox();
  const r = await page.locator('#conflict-list td.side-remote', { hasText: 'remote title' }).boundingBox();
  if (!l || !r || Math.abs(l.y - r.y) > 2 || l.x >= r.x) errors.push('local and remote values are not side by side');
  await page.screenshot({ path: join(artifacts, 'conflicts.png'), fullPage: true });
  await page.setViewportSize({ width: 375, height: 740 });
  await noSideScroll(page, 'the conflicts at phone width');
  await page.screenshot({ path: join(artifacts, 'conflicts-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  before = (await page.locator('#run-id').textContent()).trim();
  await page.getByRole('button', { name: 'Keep local' }).click();
  await newRun(before);
  await control('local-kept');
  await page.screenshot({ path: join(artifacts, 'merge-done.png'), fullPage: true });
} catch (e) {
  errors.push('step failed: ' + (e && e.stack ? e.stack : e));
  try {
    await context.pages()[0].screenshot({ path: join(artifacts, 'failure.png'), fullPage: true });
    await control('activity');
    errors.push('remote activity:\n' + readFileSync(join(controlDir, 'activity.txt'), 'utf8'));
  } catch (ignored) {
    // the first error says enough
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
writeFileSync(join(artifacts, 'browser-errors.txt'), errors.join('\n'));
if (errors.length) {
  console.error(errors.join('\n'));
  process.exit(1);
}
console.log('browser-test: passed');
