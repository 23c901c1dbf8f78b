// Drives the archon-sync web page in headless Chromium: starts a sync through the page, waits for
// 100%, finds the run in the history with its verification table, and fails on any console error.
// Env: ARCHON_SYNC_URL (http://127.0.0.1:PORT), ARCHON_SYNC_API_TOKEN, ARTIFACTS (screenshot dir).
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.env.ARCHON_SYNC_URL;
const token = process.env.ARCHON_SYNC_API_TOKEN;
const artifacts = process.env.ARTIFACTS || 'target/test-artifacts';
if (!base || !token) {
  console.error('ARCHON_SYNC_URL and ARCHON_SYNC_API_TOKEN are required');
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
  viewport: { width: 1280, height: 800 },
});
const step = (text) => console.log('browser-test: ' + text);
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  page.on('pageerror', (e) => errors.push('page error: ' + e.message));
  page.on('requestfailed', (r) => { if (!r.url().includes('/events')) errors.push('request failed: ' + r.url()); });

  step('open the page with the token in the fragment');
  await page.goto(base + '/#token=' + encodeURIComponent(token));
  await page.waitForSelector('#page-sync:not([hidden])');
  if (page.url().includes(token)) throw new Error('the token stayed in the address bar');

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

  step('history and details');
  await page.getByRole('link', { name: 'History', exact: true }).click();
  await page.waitForSelector('#history-body .badge.completed');
  await page.waitForSelector('#stats .card');
  await page.locator('#history-body button').first().click();
  await page.waitForSelector('#details:not([hidden]) #verification-table tbody tr');
  await page.waitForSelector('#tables-synced-table tbody tr');
  await page.screenshot({ path: join(artifacts, 'history.png'), fullPage: true });

  step('phone width');
  await page.setViewportSize({ width: 375, height: 740 });
  await page.screenshot({ path: join(artifacts, 'history-phone.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) {
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !(e.parentElement && e.parentElement.closest('.scroll')))
      .slice(0, 5).map((e) => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className));
    errors.push('the page is ' + overflow + ' px wider than a 375 px phone screen: ' + wide.join(', '));
  }
  await page.getByRole('link', { name: 'Sync', exact: true }).click();
  await page.screenshot({ path: join(artifacts, 'sync-phone.png'), fullPage: true });
} catch (e) {
  errors.push('step failed: ' + (e && e.stack ? e.stack : e));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (errors.length) {
  console.error(errors.join('\n'));
  process.exit(1);
}
console.log('browser-test: passed');
