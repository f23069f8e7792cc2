/**
 * Browser end-to-end for pause, the schedule and tuning: the real engine in this process on the
 * built-in emulator (its thermal model at 20× speed, so a tuning run takes seconds), the web server
 * with write access, the built renderer, headless Chromium. The page pauses and resumes a board,
 * edits and saves a schedule (the engine's schedule clock is shifted to a fixed Saturday in
 * Europe/Berlin, so what it does next reads the same on every run), shows a tuning run live in its
 * chart and table, applies a profile, and shades paused time in History. A second server without
 * write access shows the same pages without the controls. Screenshots go to test-artifacts/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TuneProgress } from '@shared/contract';
import { startHttpServer, type RunningHttpServer } from '../../src-main/api/http/server.js';
import { createEmulatorDevice } from '../../src-main/emulator/emulated-device.js';
import { Engine } from '../../src-main/engine/engine.js';
import { buildRenderer, chromiumAvailable, launchChromium, REPO_ROOT, watchPage } from './browser.js';
import { tempDir } from '../helpers/cli.js';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
/** The schedule's clock: real time moved to Saturday 28 March 2026, 12:00 UTC (13:00 in Berlin). */
const SHIFT_MS = Date.parse('2026-03-28T12:00:00Z') - Date.now();

let staticDir: string;
let engine: Engine;
let server: RunningHttpServer;
let readOnly: RunningHttpServer;
let browser: Browser;
let page: Page;
const tune: TuneProgress[] = [];
const problems: string[] = [];

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function go(pageId: string): Promise<void> {
  await page.getByTestId(`nav-${pageId}`).click();
  await page.getByTestId(`page-${pageId}`).waitFor();
}

/** A screenshot of the whole page: the main area scrolls on its own, so the window is made tall enough for it. */
async function shootWhole(file: string): Promise<void> {
  const height = await page.evaluate(() => {
    const main = document.querySelector('.main');
    main?.scrollTo(0, 0);
    return Math.ceil((main?.scrollHeight ?? 900) + 60);
  });
  await page.setViewportSize({ width: 1280, height: Math.max(900, Math.min(height, 4000)) });
  await page.screenshot({ path: join(ARTIFACTS, file) });
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe.skipIf(!chromiumAvailable())('pause, schedule and tuning in Chromium (real engine, emulator)', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    staticDir = mkdtempSync(join(tmpdir(), 'hashdeck-renderer-'));
    await buildRenderer(staticDir);
    const dev = createEmulatorDevice({ chips: 1, model: 'bm1366', scaleBits: 28, hashRateHs: 300_000, control: { timeScale: 20, tickMs: 50 } });
    engine = new Engine({
      boards: [
        {
          id: 'emu0',
          name: 'Emulator (1× BM1366)',
          path: dev.path,
          model: 'bm1366',
          emulated: true,
          scaleBits: 28,
          expectedChips: 1,
          binding: dev.binding,
          control: dev.control,
          serial: 'EMU-BM1366-1-0',
        },
      ],
      source: null,
      mode: 'benchmark',
      frequencyMhz: null,
      ticketDifficulty: null,
      dataDir: tempDir(),
      sensorIntervalMs: 100,
      sampleIntervalMs: 500,
      // The fan control integrates over wall-clock seconds: its gain scaled to the model's 20×.
      thermal: { ki: 4 },
      tuneTickMs: 100,
      clock: () => Date.now() + SHIFT_MS,
      scheduleTickMs: 200,
    });
    engine.subscribe((e) => {
      if (e.type === 'tune') tune.push(e.progress);
    });
    await engine.start();
    server = await startHttpServer({ engine, host: '127.0.0.1', port: 0, staticDir, allowWrites: true, snapshotIntervalMs: 300 });
    readOnly = await startHttpServer({ engine, host: '127.0.0.1', port: 0, staticDir, snapshotIntervalMs: 300 });
    browser = await launchChromium();
    page = watchPage(await browser.newPage({ viewport: { width: 1280, height: 900 } }), problems);
    await until('the board hashing', () => engine.boards.get('emu0')?.state === 'hashing');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await readOnly?.close();
    await engine?.stop();
    if (staticDir) rmSync(staticDir, { recursive: true, force: true });
  });

  it('pauses and resumes a board from its card; the rig line says what it is doing', async () => {
    await page.goto(`${server.url}#/dashboard`);
    await page.getByTestId('connection').filter({ hasText: 'connected' }).waitFor();
    const card = page.getByTestId('board-emu0');
    await card.getByTestId('board-pause').click();
    await card.getByTestId('board-state').filter({ hasText: 'paused' }).waitFor();
    await card.getByText('paused by hand').waitFor();
    await page.getByTestId('rig-state').filter({ hasText: 'Paused' }).waitFor();
    expect(engine.boards.get('emu0')!.state).toBe('paused');
    // Held long enough for whole History buckets of paused samples.
    await new Promise((r) => setTimeout(r, 6000));
    await shootWhole('dashboard-paused.png');
    await card.getByTestId('board-resume').click();
    await card.getByTestId('board-state').filter({ hasText: 'hashing' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('rig-state').filter({ hasText: 'Mining' }).waitFor();
  }, 60_000);

  it('edits, checks and saves a schedule; the dashboard then says what it does next', async () => {
    await go('settings');
    const editor = page.getByTestId('schedule-editor');
    await editor.waitFor();
    await editor.locator('input[name="time-zone"]').fill('Europe/Berlin');
    await editor.getByTestId('add-window').click();
    await editor.getByTestId('add-window').click();
    // Window 1: weekdays and Saturday evening, paused. Window 2: nights on Eco at a low price.
    const w0 = editor.getByTestId('window-0');
    await w0.getByRole('button', { name: 'Sa' }).click();
    const w1 = editor.getByTestId('window-1');
    for (const d of ['Sa', 'Su']) await w1.getByRole('button', { name: d }).click();
    await w1.locator('input[name="window-1-start"]').fill('23:00');
    await w1.locator('input[name="window-1-end"]').fill('6:00');
    await w1.locator('select[name="window-1-action"]').selectOption('profile');
    await w1.locator('input[name="window-1-price"]').fill('0,12');
    await editor.locator('input[name="price-limit"]').fill('0.30');
    await editor.getByTestId('schedule-save').click();
    // A time that is not HH:MM is refused under its field, and nothing is sent.
    await editor.getByText('must be a time of day HH:MM (00:00 to 24:00).').waitFor();
    await editor.screenshot({ path: join(ARTIFACTS, 'schedule-editor-invalid.png') });
    expect(await engine.command({ type: 'getSchedule' })).toEqual({ schedule: null });
    await w1.locator('input[name="window-1-end"]').fill('06:00');
    await editor.getByTestId('schedule-save').click();
    await editor.getByTestId('schedule-status').filter({ hasText: 'Applied now' }).waitFor();
    const saved = (await engine.command({ type: 'getSchedule' })) as { schedule: { windows: unknown[]; priceLimit: number; timeZone: string } };
    expect(saved.schedule).toMatchObject({
      timeZone: 'Europe/Berlin',
      priceLimit: 0.3,
      windows: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '17:00', end: '21:00', action: 'pause' },
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '23:00', end: '06:00', action: 'profile', profile: 'eco', price: 0.12 },
      ],
    });
    // Saturday 13:00 in Berlin: it pauses at 17:00 and resumes at 21:00.
    await editor.getByTestId('schedule-next').filter({ hasText: 'pauses at 17:00, resumes at 21:00' }).waitFor();
    await editor.screenshot({ path: join(ARTIFACTS, 'schedule-editor.png') });
    await go('dashboard');
    await page.getByTestId('rig-schedule').filter({ hasText: 'pauses at 17:00, resumes at 21:00' }).waitFor();
    await page.getByTestId('board-emu0').getByTestId('board-schedule').filter({ hasText: 'schedule: pauses at 17:00' }).waitFor();
    await shootWhole('dashboard-schedule.png');
  }, 60_000);

  it('shows a tuning run live in its chart and table, then applies a profile by hand', async () => {
    await go('tuning');
    await page.getByTestId('setting-frequency').filter({ hasText: '485 MHz' }).waitFor();
    await page.getByTestId('tune-none').waitFor();
    // Let the ASIC warm up to the fan control's 60 °C before the run measures the start.
    let steadySince = Date.now();
    await until('a steady ASIC temperature', () => {
      const t = engine.boards.get('emu0')!.sensors?.asicTempC ?? null;
      if (t === null || t > 61 || t < 50) steadySince = Date.now();
      return Date.now() - steadySince > 2000;
    });
    // Started with short steps through the engine (the page starts runs with the default steps);
    // the page shows it live like any run.
    await engine.command({ type: 'startTune', boardId: 'emu0', options: { profile: 'eco', stepS: 2, settleS: 1, frequencyStepMhz: 50, voltageStepMv: 100 } });
    await page.getByTestId('tune-stop').waitFor();
    await until('three steps in the chart', async () => Number(await page.getByTestId('tune-chart').getAttribute('data-points')) >= 3, 30_000);
    await shootWhole('tuning-running.png');
    await until('the run to finish', () => tune.some((p) => p.type === 'done'), 120_000);
    const done = tune.find((p): p is Extract<TuneProgress, { type: 'done' }> => p.type === 'done')!;
    await page.getByTestId('tune-start').waitFor();
    await page.getByTestId('tune-message').filter({ hasText: 'Eco applied' }).waitFor();
    const steps = tune.filter((p) => p.type === 'step' || p.type === 'limit').length;
    expect(Number(await page.getByTestId('tune-chart').getAttribute('data-points'))).toBe(steps);
    expect(await page.getByTestId('tune-steps').locator('tbody tr').count()).toBe(steps);
    await page.getByTestId('profile-eco').getByText('applied').waitFor();
    await page
      .getByTestId('setting-frequency')
      .filter({ hasText: `${done.result.profiles.eco!.frequencyMhz} MHz` })
      .waitFor();
    await page.getByTestId('tune-chart').scrollIntoViewIfNeeded();
    await page.getByTestId('tune-chart').screenshot({ path: join(ARTIFACTS, 'tuning-chart.png') });
    await shootWhole('tuning-page.png');

    // Max from the result, then a setting by hand, refused outside the range and applied inside it.
    await page.getByTestId('apply-max').click();
    await page.getByTestId('profile-max').getByText('applied').waitFor();
    const form = page.getByTestId('manual-form');
    await form.locator('input[name="frequency"]').fill('700');
    await form.getByRole('button', { name: 'Apply' }).click();
    await form.getByText("700 MHz is outside the BM1366's range of 300–575 MHz.").waitFor();
    await form.locator('input[name="frequency"]').fill('450');
    await form.locator('input[name="voltage"]').fill('1150');
    await form.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('manual-status').filter({ hasText: 'Applied' }).waitFor();
    await page.getByTestId('setting-source').filter({ hasText: 'set by hand' }).waitFor();
    expect(engine.boards.get('emu0')!.frequencyMhz).toBe(450);
  }, 180_000);

  it('History shades the paused time and leaves a gap in the hashrate, never a zero', async () => {
    await go('history');
    await page.getByRole('tab', { name: '1h' }).click();
    await page.locator('select[aria-label="board"]').selectOption('emu0');
    await page.getByTestId('history-chart').waitFor();
    await until('paused points in the chart', async () => Number(await page.getByTestId('history-chart').getAttribute('data-paused-points')) > 0, 20_000);
    await page.getByTestId('history-chart-paused').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'history-paused.png') });
  }, 60_000);

  it('without write access the same pages show no controls', async () => {
    const ro = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await ro.goto(`${readOnly.url}#/dashboard`);
    await ro.getByTestId('connection').filter({ hasText: 'connected' }).waitFor();
    await ro.getByTestId('rig-schedule').waitFor();
    expect(await ro.getByTestId('pause-all').count()).toBe(0);
    expect(await ro.getByTestId('board-pause').count()).toBe(0);
    await ro.getByTestId('nav-tuning').click();
    await ro.getByTestId('tune-panel').getByText('Read-only dashboard').waitFor();
    expect(await ro.getByTestId('tune-start').count()).toBe(0);
    expect(await ro.getByTestId('apply-eco').count()).toBe(0);
    await ro.getByTestId('nav-settings').click();
    await ro.getByTestId('schedule-editor').getByText('Read-only dashboard').waitFor();
    expect(await ro.getByTestId('schedule-save').count()).toBe(0);
    await ro.getByTestId('schedule-editor').screenshot({ path: join(ARTIFACTS, 'schedule-editor-read-only.png') });
    await ro.close();
  }, 60_000);

  it('left no errors in the browser console', () => {
    expect(problems).toEqual([]);
  });
});
