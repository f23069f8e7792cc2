/**
 * Browser end-to-end of a board test run from the dashboard against the real engine: the CLI
 * `hashdeck mine --device emulator:1 --http 127.0.0.1:0 --allow-writes` (the dashboard it serves is
 * out/renderer, built here when missing or older than src-renderer) and headless Chromium.
 *
 * The page starts a run with the sweep; the test watches the steps progress live, then checks the
 * verdict and every step status on the page against the report the engine saved in its data
 * directory, the downloaded report against the same file, and that mining resumed on the board.
 * Screenshots: test-artifacts/diagnostics-running.png and diagnostics-report.png.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mineSummarySchema, type EngineEvent, type EngineSnapshot } from '@shared/contract';
import { diagnosticsReportSchema, STEP_NAMES, type DiagnosticsReport } from '@shared/diagnostics-report.js';
import { jsonLines, spawnCli, tempDir, WatchedCli } from '../helpers/cli.js';
import { chromiumAvailable, ensureRendererBuilt, launchChromium, REPO_ROOT, watchEngineMessages, watchPage } from './browser.js';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const STATUS_LABEL: Record<string, string> = { pass: 'PASS', fail: 'FAIL', 'n/a': 'N/A', skipped: 'SKIPPED' };

let mine: WatchedCli;
let dataDir: string;
let dashboardUrl: string;
let browser: Browser;
let page: Page;
/** Engine events the page received over /ws (diagnostics and board state), in order. */
const events: EngineEvent[] = [];
const problems: string[] = [];

const until = (pred: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> => mine.until(pred, timeoutMs, what);

async function snapshot(): Promise<EngineSnapshot> {
  return (await (await fetch(new URL('/api/snapshot', dashboardUrl))).json()) as EngineSnapshot;
}

function savedReports(): string[] {
  const dir = join(dataDir, 'diagnostics');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(dir, f))
    : [];
}

describe.skipIf(!chromiumAvailable())('board test from the dashboard in Chromium against the real engine', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureRendererBuilt();
    dataDir = tempDir('hashdeck-e2e-diag-');
    mine = new WatchedCli(spawnCli(['mine', '--device', 'emulator:1', '--http', '127.0.0.1:0', '--allow-writes', '--duration', '60', '--json', '--data-dir', dataDir]));
    await until(() => mine.logMatch(/dashboard at (\S+)/) !== null, 20_000, 'the dashboard address');
    dashboardUrl = mine.logMatch(/dashboard at (\S+)/)![1]!;
    browser = await launchChromium();
    // Tall enough for every step and the sweep at once: the app scrolls inside <main>, which a
    // full-page screenshot does not unroll.
    page = watchPage(await browser.newPage({ viewport: { width: 1280, height: 1900 }, acceptDownloads: true }), problems);
    watchEngineMessages(page, problems, (m) => {
      if (m.kind === 'event' && (m.event.type === 'diagnostics' || m.event.type === 'board')) events.push(m.event);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await mine?.stop();
  });

  it('runs the test with the sweep: steps live, verdict = the saved report, report download, mining resumes', async () => {
    await page.goto(`${dashboardUrl}#/diagnostics`);
    await page.getByTestId('connection').filter({ hasText: 'connected' }).waitFor();
    await until(async () => (await snapshot()).boards[0]?.state === 'hashing', 20_000, 'the board hashing');
    expect(await page.getByTestId('diagnostics-empty').textContent()).toContain('hashdeck diagnose');

    await page.getByLabel('Frequency sweep').check();
    await page.getByRole('button', { name: 'Run board test' }).click();

    // Mid-run: the sweep is running after the earlier steps passed, with its first row on the chart.
    const sweepStep = page.getByTestId('step-sweep');
    await page.locator('[data-testid="step-sweep"][data-state="running"]').waitFor({ timeout: 40_000 });
    await page.getByTestId('diagnostics-sweep').locator('table.table tbody tr').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'diagnostics-running.png') });
    expect(await page.getByTestId('diagnostics-running').textContent()).toContain('mining is paused on this board');
    expect(await page.getByTestId('step-known-answer').getAttribute('data-state')).toBe('pass');
    expect(await sweepStep.locator('progress').count()).toBe(1);
    // Mining is paused on this board while it is tested, and the engine says why.
    const during = (await snapshot()).boards[0]!;
    expect(during.state).toBe('stopped');
    expect(during.stateDetail).toBe('board test running');
    await expect(page.getByRole('button', { name: 'Testing…' }).isDisabled()).resolves.toBe(true);

    // Finished: the verdict on the page is the report the engine saved.
    const verdict = page.getByTestId('diagnostics-verdict');
    await verdict.waitFor({ timeout: 40_000 });
    await page.getByTestId('diagnostics-sweep').locator('canvas').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'diagnostics-report.png') });
    await until(() => savedReports().length === 1, 5000, 'the saved report');
    const saved: DiagnosticsReport = diagnosticsReportSchema.parse(JSON.parse(readFileSync(savedReports()[0]!, 'utf8')));
    expect(savedReports()[0]).toMatch(/diagnostics[/\\]emu0-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
    expect(await verdict.getAttribute('data-verdict')).toBe(saved.verdict);
    const heading = (await verdict.locator('h2').textContent()) ?? '';
    expect(heading).toBe(`${saved.verdict} — ${saved.board.name} (BM1366, emulated 2^-${saved.board.scaleBits}): ${saved.chips.found} of ${saved.chips.expected} chips`);
    expect(await verdict.locator('li').allTextContents()).toEqual(saved.reasons);
    // The emulator is a healthy one-chip board: every check that applies passes, the sweep has its rows.
    expect(saved.verdict).toBe('PASS');
    expect(saved.chips).toEqual({ expected: 1, found: 1 });
    expect(saved.sweep?.length).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('diagnostics-sweep').locator('table.table tbody tr').count()).toBe(saved.sweep!.length);
    for (const step of saved.steps) {
      expect(await page.getByTestId(`step-${step.name}`).locator('.step-status').textContent(), step.name).toBe(STATUS_LABEL[step.status]);
      expect(await page.getByTestId(`step-${step.name}`).locator('.step-detail').textContent(), step.name).toBe(step.detail);
    }
    expect(saved.steps.map((s) => s.name)).toEqual([...STEP_NAMES]);

    // The live events the page received, in order: start, every step started and ended, done = the file.
    const progress = events.flatMap((e) => (e.type === 'diagnostics' ? [e.progress] : []));
    expect(progress[0]?.type).toBe('start');
    expect(progress.filter((p) => p.type === 'step-end').map((p) => (p.type === 'step-end' ? p.step.name : ''))).toEqual([...STEP_NAMES]);
    expect(progress.some((p) => p.type === 'step-progress')).toBe(true);
    const done = progress.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type === 'done') expect(done.report).toEqual(saved);

    // "Save report" downloads exactly that report.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-report').click()]);
    expect(download.suggestedFilename()).toMatch(/^hashdeck-diagnostics-Emulator-1-BM1366--[0-9TZ-]+\.json$/);
    expect(JSON.parse(readFileSync((await download.path())!, 'utf8'))).toEqual(saved);

    // Mining resumed on the board: hashing again with new valid nonces.
    await until(async () => (await snapshot()).boards[0]?.state === 'hashing', 15_000, 'the board hashing again');
    const resumedAt = (await snapshot()).boards[0]!.counters.validNonces;
    await until(async () => (await snapshot()).boards[0]!.counters.validNonces > resumedAt, 15_000, 'new valid nonces after the test');
    const states = events.flatMap((e) => (e.type === 'board' ? [`${e.state}${e.detail ? `:${e.detail}` : ''}`] : []));
    expect(states).toContain('stopped:board test running');
    expect(states.at(-1)).toBe('hashing');
  });

  it('stopping the CLI: exit 0, a summary with nonces from before and after the test', async () => {
    expect(await mine.stop()).toBe(0);
    const summary = mineSummarySchema.parse(jsonLines(mine.out).at(-1));
    expect(summary.validNonces).toBeGreaterThan(0);
    expect(summary.hwErrors).toBe(0);
    expect(problems).toEqual([]);
  });
});
