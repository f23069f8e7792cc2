/**
 * Browser look of issue 15's screens, driven by the fake engine (TEST DOUBLE, test/e2e/fake-engine.ts):
 * the best-shares list on the Dashboard, the light theme (from the OS setting and chosen in
 * Settings), the phone layout at 390 px, the History export buttons and the notification settings'
 * test button. Screenshots go to test-artifacts/look-*.png for a human look.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHttpServer, type RunningHttpServer } from '../../src-main/api/http/server.js';
import { formatDifficulty } from '../../src-renderer/src/lib/format.js';
import { buildRenderer, chromiumAvailable, launchChromium, REPO_ROOT, watchPage } from './browser.js';
import { createFakeEngine, fakeSnapshot, type FakeEngine } from './fake-engine.js';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const BOARDS = 3;

let staticDir: string;
let engine: FakeEngine;
let server: RunningHttpServer;
let browser: Browser;
const problems: string[] = [];

async function open(context: BrowserContext, hash: string): Promise<Page> {
  const page = watchPage(await context.newPage(), problems, { warnings: false });
  await page.goto(`${server.url.replace(/\/$/, '')}/${hash}`);
  await page.getByTestId('connection').filter({ hasText: 'connected' }).waitFor();
  return page;
}

/** The page's background colour as [r, g, b]. */
async function background(page: Page): Promise<number[]> {
  const css = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  return (css.match(/\d+/g) ?? []).slice(0, 3).map(Number);
}

const luminance = ([r, g, b]: number[]): number => (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;

describe.skipIf(!chromiumAvailable())('best shares, light theme and phone layout in Chromium (fake engine)', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    staticDir = mkdtempSync(join(tmpdir(), 'hashdeck-renderer-'));
    await buildRenderer(staticDir);
    engine = createFakeEngine(fakeSnapshot(BOARDS));
    server = await startHttpServer({ engine, host: '127.0.0.1', port: 0, staticDir, allowWrites: true, snapshotIntervalMs: 250 });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (staticDir) rmSync(staticDir, { recursive: true, force: true });
  });

  it('the Dashboard lists the best shares: difficulty, board or miner, pool or solo', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    const page = await open(context, '#/dashboard');
    const rows = page.getByTestId('best-share');
    await rows.first().waitFor();
    const shares = engine.snapshot().bestShares;
    expect(await rows.count()).toBe(shares.length);
    expect(await page.getByTestId('best-share-difficulty').allTextContents()).toEqual(shares.map((s) => formatDifficulty(s.difficulty)));
    const third = (await rows.nth(2).textContent()) ?? '';
    expect(third).toContain('solo');
    expect(third).toContain(shares[2]!.deviceId);
    expect(luminance(await background(page))).toBeLessThan(0.2);
    await page.getByTestId('best-shares').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'look-best-shares-dark.png'), fullPage: true });
    await context.close();
  });

  it('follows the OS light setting, and a choice in Settings wins over it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const page = await open(context, '#/dashboard');
    await page.getByTestId('best-share').first().waitFor();
    expect(luminance(await background(page))).toBeGreaterThan(0.9);
    await page.screenshot({ path: join(ARTIFACTS, 'look-light-dashboard.png'), fullPage: true });

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('theme-dark').click();
    expect(luminance(await background(page))).toBeLessThan(0.2);
    await page.reload();
    await page.getByTestId('connection').filter({ hasText: 'connected' }).waitFor();
    expect(luminance(await background(page))).toBeLessThan(0.2); // the choice is kept
    await page.getByTestId('theme-light').click();
    expect(luminance(await background(page))).toBeGreaterThan(0.9);
    // A telegram channel shows the chat id field, the events and the bot token field.
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByLabel('kind').selectOption('telegram');
    await page.getByLabel('target').fill('-1001234567890');
    await page.getByTestId('notify-settings').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(ARTIFACTS, 'look-light-settings.png') });
    await context.close();
  });

  it('Settings: "Send test message" asks the engine and shows each channel', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await open(context, '#/settings');
    await page.getByTestId('notify-test').click();
    await page.getByTestId('notify-status').waitFor();
    await expect.poll(() => engine.commands.some((c) => c.type === 'notifyTest')).toBe(true);
    await context.close();
  });

  it('History: export buttons ask the engine for CSV of the shown range', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await open(context, '#/history');
    await page.getByTestId('export-shares').click();
    await expect.poll(() => engine.commands.find((c) => c.type === 'exportCsv')).toMatchObject({ type: 'exportCsv', what: 'shares' });
    const cmd = engine.commands.find((c) => c.type === 'exportCsv') as { fromMs: number; toMs: number };
    expect(cmd.toMs - cmd.fromMs).toBe(86_400_000); // the page opens on 24 h
    await context.close();
  });

  it('a phone (390 px): nothing wider than the screen, navigation in a row, best shares readable', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    for (const [pageId, file] of [
      ['dashboard', 'look-phone-dashboard.png'],
      ['boards', 'look-phone-boards.png'],
      ['settings', 'look-phone-settings.png'],
    ] as const) {
      const page = await open(context, `#/${pageId}`);
      await page.getByTestId(`page-${pageId}`).waitFor();
      if (pageId === 'dashboard') await page.getByTestId('best-share').first().waitFor();
      const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(widths.doc, `${pageId} scrolls sideways`).toBeLessThanOrEqual(widths.view);
      const nav = await page.locator('nav.nav').boundingBox();
      expect(nav!.width).toBeLessThanOrEqual(390);
      expect(nav!.height).toBeLessThan(80); // a row, not a column
      await page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });
      // What the phone shows at once: the top of the page, and the best shares scrolled into view.
      await page.screenshot({ path: join(ARTIFACTS, file.replace('.png', '-top.png')) });
      if (pageId === 'dashboard') {
        await page.getByTestId('best-shares').evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: join(ARTIFACTS, 'look-phone-best-shares.png') });
      }
      await page.close();
    }
    await context.close();
  });

  it('no console errors', () => {
    expect(problems).toEqual([]);
  });
});
