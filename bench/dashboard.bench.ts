/**
 * Dashboard smoothness with 32 boards and a day of history (docs/design.md §6):
 * the built renderer in headless Chromium, fed by the fake engine (test double) through the real
 * web server. Figures: first render (navigation → 32 board cards on screen), frame times while
 * snapshots stream every second, and the 24 h History chart (17 280 points of 5 s).
 * Run alone: `npx tsx bench/dashboard.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer } from '../src-main/api/http/server.js';
import { buildRenderer, chromiumAvailable, launchChromium } from '../test/e2e/browser.js';
import { createFakeEngine, fakeHistory, fakeSnapshot, T0_MS } from '../test/e2e/fake-engine.js';
import { isEntryPoint, median, quantile, runStandalone } from './helpers.js';
import type { BenchRow } from './table.js';

const BOARDS = 32;
const LOADS = 3;
const FRAME_WINDOW_MS = 5000;

/** Injected before the app: stamps the moment the 32nd board card exists. */
const MARK_FIRST_RENDER = `(() => {
  const want = ${BOARDS};
  const obs = new MutationObserver(() => {
    if (document.querySelectorAll('[data-testid=board-grid] article').length >= want) {
      window.__firstRenderMs = performance.now();
      obs.disconnect();
    }
  });
  document.addEventListener('DOMContentLoaded', () => obs.observe(document.body, { childList: true, subtree: true }));
})();`;

/*
 * In-page measurements are strings: tsx compiles named inner functions with a helper that does
 * not exist in the page.
 */
const MEASURE_FRAMES = `new Promise((resolve) => {
  const deltas = [];
  let last = performance.now();
  const end = last + ${FRAME_WINDOW_MS};
  function step(t) {
    deltas.push(t - last);
    last = t;
    if (t < end) requestAnimationFrame(step);
    else resolve(deltas.slice(1));
  }
  requestAnimationFrame(step);
})`;

const MEASURE_HISTORY_24H = `new Promise((resolve) => {
  const t0 = performance.now();
  const btn = [...document.querySelectorAll('button[role=tab]')].find((b) => b.textContent === '24h');
  btn.click();
  // The old chart goes away while the new range loads; wait for that, then for the new one.
  let sawLoading = false;
  function check() {
    const el = document.querySelector('[data-testid=history-chart]');
    if (!el) sawLoading = true;
    if (sawLoading && el && el.getAttribute('data-points') === '17280' && el.querySelector('canvas')) requestAnimationFrame(() => resolve(performance.now() - t0));
    else setTimeout(check, 0);
  }
  check();
})`;

export async function run(): Promise<BenchRow[]> {
  if (!chromiumAvailable()) return [{ name: 'dashboard bench skipped', value: 0, unit: '-', note: 'no /usr/bin/chromium (apt-get install -y chromium)' }];
  const staticDir = mkdtempSync(join(tmpdir(), 'hashdeck-bench-'));
  const engine = createFakeEngine(fakeSnapshot(BOARDS));
  engine.history = { points: fakeHistory(86_400, 5, T0_MS, BOARDS) };
  await buildRenderer(staticDir);
  const server = await startHttpServer({ engine, host: '127.0.0.1', port: 0, staticDir, snapshotIntervalMs: 1000 });
  const browser = await launchChromium();
  // Snapshots change every second so that every card re-renders, as with a live engine.
  let tick = 0;
  const churn = setInterval(() => {
    tick++;
    const s = fakeSnapshot(BOARDS, T0_MS + tick * 1000);
    for (const b of s.boards) {
      b.counters.validNonces += tick * 7;
      b.sensors.asicTempC = (b.sensors.asicTempC ?? 60) + (tick % 3);
    }
    s.totals.sharesAccepted += tick;
    engine.setSnapshot(s);
  }, 1000);
  try {
    const firstRenderMs: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript(MARK_FIRST_RENDER);
      await page.goto(`${server.url}#/dashboard`);
      await page.waitForFunction('window.__firstRenderMs !== undefined', undefined, { timeout: 30_000 });
      firstRenderMs.push((await page.evaluate('window.__firstRenderMs')) as number);
      await page.close();
    }

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}#/dashboard`);
    await page
      .getByTestId('board-grid')
      .locator('article')
      .nth(BOARDS - 1)
      .waitFor();
    const frames = (await page.evaluate(MEASURE_FRAMES)) as number[];

    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-chart').waitFor({ timeout: 30_000 });
    // Switch away and back so the measured render includes the request and the uPlot build.
    await page.getByRole('tab', { name: '1h' }).click();
    await page.getByTestId('history-chart').waitFor();
    const historyMs = (await page.evaluate(MEASURE_HISTORY_24H)) as number;
    await page.close();
    return [
      {
        name: 'dashboard first render (32 boards)',
        value: Math.round(median(firstRenderMs)),
        unit: 'ms',
        note: `median of ${LOADS} loads, navigation start → 32 cards in DOM: ${firstRenderMs.map((x) => x.toFixed(0)).join(', ')}`,
      },
      { name: 'dashboard frame time median (32 boards, 1 s snapshots)', value: Number(median(frames).toFixed(2)), unit: 'ms', note: `${frames.length} frames over ${FRAME_WINDOW_MS / 1000} s` },
      { name: 'dashboard frame time p95', value: Number(quantile(frames, 0.95).toFixed(2)), unit: 'ms' },
      { name: 'dashboard longest frame', value: Number(Math.max(...frames).toFixed(1)), unit: 'ms' },
      { name: 'history 24 h chart render (17 280 points)', value: Math.round(historyMs), unit: 'ms', note: 'click → request → uPlot drawn (one frame after)' },
    ];
  } finally {
    clearInterval(churn);
    await browser.close();
    await server.close();
    rmSync(staticDir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) runStandalone(run);
