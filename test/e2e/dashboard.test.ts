/**
 * Browser end-to-end: the built renderer served by startHttpServer (with an API token, so the
 * ?token= → cookie → WebSocket path is exercised) to headless Chromium, driven by a fake engine
 * (TEST DOUBLE, test/e2e/fake-engine.ts). Asserts the page shows the snapshot's numbers exactly,
 * and saves screenshots to test-artifacts/ for a human look.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHttpServer, type RunningHttpServer } from '../../src-main/api/http/server.js';
import { formatDifficulty, formatEstimate, formatHashrate } from '../../src-renderer/src/lib/format.js';
import { buildRenderer, chromiumAvailable, launchChromium, REPO_ROOT, watchPage } from './browser.js';
import { createFakeEngine, fakeHistory, fakeSnapshot, T0_MS, type FakeEngine } from './fake-engine.js';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const TOKEN = 'e2e-token-4f9a';
const BOARDS = 6;

let staticDir: string;
let engine: FakeEngine;
let server: RunningHttpServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

async function text(testId: string): Promise<string> {
  return ((await page.getByTestId(testId).first().textContent()) ?? '').trim();
}

async function go(pageId: string): Promise<void> {
  await page.getByTestId(`nav-${pageId}`).click();
  await page.getByTestId(`page-${pageId}`).waitFor();
  // Pages other than the dashboard load on first visit.
  await page.getByTestId('page-loading').waitFor({ state: 'detached' });
}

describe.skipIf(!chromiumAvailable())('dashboard in Chromium (fake engine)', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    staticDir = mkdtempSync(join(tmpdir(), 'hashdeck-renderer-'));
    await buildRenderer(staticDir);
    engine = createFakeEngine(fakeSnapshot(BOARDS));
    server = await startHttpServer({ engine, host: '127.0.0.1', port: 0, token: TOKEN, staticDir, allowWrites: true, snapshotIntervalMs: 250 });
    browser = await launchChromium();
    page = watchPage(await browser.newPage({ viewport: { width: 1280, height: 800 } }), problems);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (staticDir) rmSync(staticDir, { recursive: true, force: true });
  });

  it('first load with ?token= sets the cookie, drops the token from the URL and connects', async () => {
    await page.goto(`${server.url}?token=${TOKEN}#/dashboard`);
    expect(page.url()).not.toContain('token=');
    await page.getByTestId('connection').filter({ hasText: 'connected' }).waitFor();
    await page.getByTestId('total-hashrate').waitFor();
  });

  it('Dashboard shows exactly the snapshot figures', async () => {
    const s = engine.snapshot();
    const t = s.totals;
    // Hand-computed from fake-engine.ts: 6 boards at 412.3 − 1.1·i GH/s; ±18.2·√6 GH/s.
    expect(await text('total-hashrate')).toBe('2.46 ± 0.04 TH/s');
    expect(await text('total-hashrate')).toBe(formatEstimate(t.hashrate['10m']));
    expect(await text('total-expected')).toBe('2.60 TH/s');
    // Board 3 is emulated and left out: 74.2 W / 2.0483 TH/s (boards 0,1,2,4,5) = 36.23 J/TH,
    // from the same 10-min window.
    expect(await text('total-efficiency')).toBe('36.2 J/TH');
    expect(await text('total-shares')).toBe('1,234 / 5 / 3');
    // 120 errors of 60 135 judged nonces.
    expect(await text('total-hw')).toBe('0.20 %');
    expect(await text('best-session')).toBe('4.57G');
    expect(await text('best-alltime')).toBe('all-time 1.20T');
    expect(await text('total-blocks')).toBe('0');
    expect(await page.getByTestId('board-grid').locator('article').count()).toBe(BOARDS);
    const card0 = page.getByTestId('board-board-0');
    expect(await card0.getByTestId('board-hashrate').textContent()).toBe('412 ± 18 GH/s');
    expect(await card0.getByTestId('board-expected').textContent()).toBe(formatHashrate(s.boards[0]!.expectedHashrateHs));
    expect(await card0.getByTestId('board-frequency').textContent()).toBe('485 MHz');
    expect(await card0.getByTestId('board-voltage').textContent()).toBe('1200 mV');
    expect(await card0.getByTestId('board-power').textContent()).toBe('14.6 W');
    expect(await card0.getByTestId('board-temps').textContent()).toBe('58 °C / 49 °C');
    expect(await card0.getByTestId('board-fan').textContent()).toBe('4200 rpm (55 %)');
    expect(await card0.getByTestId('board-chips').textContent()).toBe('1 / 1');
    // Only board 3 is emulated in the fake snapshot.
    expect(await page.getByTestId('emulated-badge').count()).toBe(1);
    expect(await page.getByTestId('board-board-3').getByTestId('emulated-badge').textContent()).toBe('EMULATED ×2-16');
    expect(await page.getByTestId('board-board-2').getByTestId('board-state').textContent()).toBe('cooling');
    expect(await text('warnings')).toContain('Bitaxe Ultra 2 is cooling down');
    expect(await text('pool-status')).toContain('stratum+tcp://pool.example.com:3333');
    await page.getByTestId('live-chart').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png') });
  });

  it('live updates: a new snapshot changes the figures; an accepted block raises the banner', async () => {
    const next = fakeSnapshot(BOARDS, T0_MS + 60_000);
    next.totals.sharesAccepted = 1300;
    next.totals.blocksFound = 1;
    engine.setSnapshot(next);
    await page.getByTestId('total-shares').filter({ hasText: '1,300 / 5 / 3' }).waitFor();
    engine.emit({
      type: 'block',
      atMs: T0_MS + 61_000,
      boardId: 'board-1',
      height: 905_124,
      hash: '0000000000000000000123456789abcdef0123456789abcdef0123456789abcd',
      result: 'accepted',
      accepted: true,
      source: 'pool',
    });
    await page.getByTestId('block-banner').waitFor();
    expect(await text('block-banner')).toContain('Block found at height 905,124!');
    expect(await text('total-blocks')).toBe('1');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-block.png') });
    await page.getByTestId('block-banner').getByRole('button', { name: 'Dismiss' }).click();
    expect(await page.getByTestId('block-banner').count()).toBe(0);
  });

  it('Boards: table with per-chip detail', async () => {
    await go('boards');
    expect(await page.getByTestId('boards-table').locator('tbody > tr').count()).toBe(BOARDS);
    await page.getByTestId('board-row-board-0').click();
    const chips = page.getByTestId('chips-board-0');
    await chips.waitFor();
    expect(await chips.locator('tbody tr').first().textContent()).toContain('#0');
    expect(await text('board-row-board-0')).toContain(formatDifficulty(engine.snapshot().boards[0]!.counters.bestDifficulty));
    await page.screenshot({ path: join(ARTIFACTS, 'boards.png') });
  });

  it('History: empty state while the engine has none, then 24 h of 5 s points', async () => {
    engine.history = null;
    await go('history');
    await page.getByTestId('history-empty').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'history-empty.png') });
    engine.history = { points: fakeHistory(86_400, 5, T0_MS, BOARDS) };
    await page.getByRole('tab', { name: '1h' }).click();
    await page.getByRole('tab', { name: '24h' }).click();
    const chart = page.getByTestId('history-chart');
    await chart.waitFor();
    expect(await chart.getAttribute('data-points')).toBe('17280');
    expect(engine.commands.filter((c) => c.type === 'getHistory').map((c) => (c.type === 'getHistory' ? c.range : ''))).toEqual(['24h', '1h', '24h']);
    await page.screenshot({ path: join(ARTIFACTS, 'history.png') });
  });

  it('Logs: backfilled and live lines', async () => {
    await go('logs');
    engine.emit({ type: 'log', atMs: T0_MS + 70_000, level: 'warn', scope: 'pool', text: 'pool.example.com answered slowly (1200 ms)' });
    const box = page.getByTestId('log-box');
    await box.filter({ hasText: 'answered slowly' }).waitFor();
    expect(await box.textContent()).toContain('engine started (backfilled line)');
  });

  it('Settings: invalid input is caught in the page; valid input is sent with setSettings', async () => {
    await go('settings');
    const form = page.getByTestId('settings-form');
    // Prefilled from the snapshot's pools.
    expect(await form.locator('input[name=pool-0-url]').inputValue()).toBe('stratum+tcp://pool.example.com:3333');
    const before = engine.commands.length;
    await form.locator('input[name=pool-0-url]').fill('http://pool.example.com');
    await form.getByRole('button', { name: 'Save' }).click();
    expect(await form.locator('.field-error').first().textContent()).toContain('stratum+tcp://');
    await page.screenshot({ path: join(ARTIFACTS, 'settings-invalid.png') });
    expect(engine.commands.length).toBe(before);
    await form.locator('input[name=pool-0-url]').fill('stratum+tcp://solo.example.net:3333');
    await form.locator('input[name=pool-0-password]').fill('hunter2');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('settings-status').filter({ hasText: 'Saved' }).waitFor();
    const sent = engine.commands.filter((c) => c.type === 'setSettings').at(-1);
    expect(sent).toEqual({
      type: 'setSettings',
      settings: {
        pools: [
          { url: 'stratum+tcp://solo.example.net:3333', user: 'bc1qexampleaddress.rig1', password: 'hunter2' },
          { url: 'stratum+ssl://backup.example.org:4333', user: 'bc1qexampleaddress.rig1', password: 'x' },
        ],
      },
    });
    await page.screenshot({ path: join(ARTIFACTS, 'settings.png') });
  });

  it('Diagnostics and Work pages render', async () => {
    await go('diagnostics');
    expect(await text('diagnostics-empty')).toContain('hashdeck diagnose');
    await go('work');
    expect(await text('pool-table')).toContain('Job not found: 3');
    await page.screenshot({ path: join(ARTIFACTS, 'work.png') });
  });

  it('32 boards fit at 1280×800', async () => {
    engine.setSnapshot(fakeSnapshot(32, T0_MS + 120_000));
    await go('dashboard');
    await page.getByTestId('board-grid').locator('article').nth(31).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-32.png'), fullPage: false });
  });

  it('a page without the token is refused, and nothing went wrong in the console', async () => {
    const other = await browser.newPage();
    const res = await other.goto(server.url);
    expect(res?.status()).toBe(401);
    await other.close();
    // CSP violations and failed messages surface as console errors.
    expect(problems).toEqual([]);
  });
});
