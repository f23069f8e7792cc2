/**
 * Browser end-to-end for the AxeOS fleet view: the real engine (in this process) with two
 * emulated USB boards and two fake AxeOS devices on 127.0.0.1 (an ESP-Miner Gamma and a fork,
 * test/fixtures/axeos), the built dashboard served by the real web server, and headless Chromium.
 * The cards show what the devices report, the fleet tile adds USB and Wi-Fi, the detail's
 * "mine to this HashDeck" shows old → new and sends exactly that, restart asks first, and a
 * read-only dashboard refuses. Screenshots go to test-artifacts/axeos-*.png for a human look.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { EventBus } from '@shared/bus.js';
import { Engine } from '../../src-main/engine/engine.js';
import { resolveBoards } from '../../src-main/engine/device-resolver.js';
import { parseAxeosAddresses } from '../../src-main/fleet/address.js';
import { startHttpServer, type RunningHttpServer } from '../../src-main/api/http/server.js';
import { FakeAxeosDevice } from '../fixtures/axeos/fake-device.js';
import { StratumTestServer } from '../fixtures/stratum-server.js';
import { TestMiner } from '../fixtures/stratum/test-miner.js';
import { StratumSource } from '../../src-main/work/stratum/stratum-source.js';
import { tempDir } from '../helpers/cli.js';
import { chromiumAvailable, ensureRendererBuilt, launchChromium, REPO_ROOT, watchPage } from './browser.js';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
/** Where the test says HashDeck serves Stratum (nothing needs to listen: only the address is written to the device). */
const STRATUM = { host: '127.0.0.1', port: 0 };
/** The Stratum server needs work to hand out: a validating test pool on loopback (proxy mode). */
let pool: StratumTestServer;
/** The port the server is bound to. */
let stratumPort = 0;

let gamma: FakeAxeosDevice;
let fork: FakeAxeosDevice;
let engine: Engine;
let server: RunningHttpServer;
let readOnly: RunningHttpServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const card = (f: FakeAxeosDevice) => page.getByTestId(`axeos-axeos:127.0.0.1:${f.port}`);

async function go(pageId: string): Promise<void> {
  await page.getByTestId(`nav-${pageId}`).click();
  await page.getByTestId(`page-${pageId}`).waitFor();
}

describe.skipIf(!chromiumAvailable())('AxeOS fleet in the dashboard (real engine, fake AxeOS devices)', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureRendererBuilt();
    gamma = new FakeAxeosDevice('esp-miner');
    fork = new FakeAxeosDevice('fork');
    await gamma.start();
    await fork.start();
    const bus = new EventBus();
    const boards = await resolveBoards(
      [
        { kind: 'emulator', chips: 1, model: 'bm1366', scaleBits: 24 },
        { kind: 'emulator', chips: 1, model: 'bm1370', scaleBits: 24 },
      ],
      bus,
    );
    pool = new StratumTestServer({ host: '127.0.0.1', difficulty: 0.0005, extranonce2Size: 8 });
    await pool.start();
    const source = new StratumSource({ pools: [{ url: pool.url, user: 'bc1qexampleaddress.rig' }], bus, userAgent: 'hashdeck-test' });
    engine = new Engine({
      boards,
      source,
      mode: 'pool',
      frequencyMhz: null,
      ticketDifficulty: null,
      dataDir: tempDir('hashdeck-e2e-axeos-'),
      bus,
      axeos: { devices: parseAxeosAddresses([gamma.address, fork.address]), intervalMs: 500 },
      serveStratum: STRATUM,
    });
    await engine.start();
    stratumPort = engine.snapshot().stratumServer!.port;
    const staticDir = join(REPO_ROOT, 'out/renderer');
    server = await startHttpServer({ engine, host: '127.0.0.1', port: 0, staticDir, allowWrites: true, snapshotIntervalMs: 300 });
    readOnly = await startHttpServer({ engine, host: '127.0.0.1', port: 0, staticDir, snapshotIntervalMs: 300 });
    browser = await launchChromium();
    page = watchPage(await browser.newPage({ viewport: { width: 1280, height: 800 } }), problems);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await readOnly?.close();
    await engine?.stop();
    await pool?.stop();
    await gamma?.close();
    await fork?.close();
  });

  it('Dashboard: USB boards and AxeOS devices side by side, fleet totals include both', async () => {
    await page.goto(`${server.url}#/dashboard`);
    await page.getByTestId('connection').filter({ hasText: 'connected' }).waitFor();
    await card(gamma).getByTestId('axeos-state').filter({ hasText: 'online' }).waitFor();
    await card(fork).getByTestId('axeos-state').filter({ hasText: 'online' }).waitFor();
    // USB boards hashing, with a hashrate estimate on screen.
    await page.waitForFunction(() => !(document.querySelector('[data-testid="board-emu1"] [data-testid="board-hashrate"]')?.textContent ?? '—').includes('—'), undefined, { timeout: 30_000 });
    const grid = page.getByTestId('board-grid');
    expect(await grid.locator('article').count()).toBe(4);
    expect(await grid.getByTestId('wifi-badge').count()).toBe(2);
    expect(await grid.getByTestId('emulated-badge').count()).toBe(2);

    const g = card(gamma);
    const t = async (id: string): Promise<string> => ((await g.getByTestId(id).textContent()) ?? '').trim();
    expect(await t('axeos-name')).toBe('bitaxe-gamma');
    expect(await t('axeos-hashrate')).toBe('1.18 TH/s');
    expect(await t('axeos-expected')).toBe('1.20 TH/s');
    expect(await t('axeos-power')).toBe('18.9 W');
    expect(await t('axeos-efficiency')).toBe('16.0 J/TH');
    expect(await t('axeos-temps')).toBe('57 °C / 48 °C');
    expect(await t('axeos-fan')).toBe('5520 rpm (62 %)');
    expect(await t('axeos-best')).toBe('123M');
    expect(await t('axeos-best-alltime')).toBe('4.29G');
    expect(await t('axeos-uptime')).toBe('1d 2h 3m');
    expect(await t('axeos-firmware')).toBe('v2.12.0');
    expect(await t('axeos-pool')).toBe('pool.example.com:3333');
    expect(await t('axeos-mining-here')).toBe('mining to another pool');
    // The fork lacks VR temperature and fan RPM: shown as missing, not zero.
    expect((await card(fork).getByTestId('axeos-temps').textContent())?.trim()).toBe('62 °C / —');
    expect((await card(fork).getByTestId('axeos-fan').textContent())?.trim()).toBe('— (48 %)');
    expect((await card(fork).getByTestId('axeos-best').textContent())?.trim()).toBe('512M');
    // A fork's pool written with its scheme stays whole (wrapped, not cut off).
    expect((await card(fork).getByTestId('axeos-pool').textContent())?.trim()).toBe('stratum+tcp://pool.example.com:3333');

    // 1180.52 + 4812.5 GH/s and 18.912345 + 72.4 W from the two devices.
    const parts = (await page.getByTestId('fleet-parts').textContent()) ?? '';
    expect(parts).toMatch(/^USB \S+ [kMGT]?H\/s \+ Wi-Fi 5\.99 TH\/s \(2\/2 answering\)$/);
    expect(await page.getByTestId('fleet-power').textContent()).toMatch(/^\d+\.\d W = USB (\d+\.\d W|—) \+ Wi-Fi 91\.3 W$/);
    expect(await page.getByTestId('fleet-hashrate').textContent()).toMatch(/^(5\.99|6\.\d\d) TH\/s$/);
    // The page scrolls inside its main pane: a tall window shows the tiles and the board grid at once.
    await page.setViewportSize({ width: 1280, height: 1700 });
    await page.screenshot({ path: join(ARTIFACTS, 'axeos-dashboard.png') });
    await grid.screenshot({ path: join(ARTIFACTS, 'axeos-board-grid.png') });
    // No figure is cut off, and nothing runs out of its card.
    const clipped = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.board-card .kv .v, .board-rate-value, .stat-value'))
        .filter((el) => {
          const cardBox = el.closest('.board-card, .stat')!.getBoundingClientRect();
          const box = el.getBoundingClientRect();
          return el.scrollWidth > el.clientWidth + 1 || box.right > cardBox.right + 0.5;
        })
        .map((el) => el.textContent),
    );
    expect(clipped).toEqual([]);
  });

  it('device detail: "mine to this HashDeck" shows old → new and sends exactly that, then restarts the device', async () => {
    await card(gamma).getByTestId('axeos-open').click();
    const detail = page.getByTestId('axeos-detail');
    await detail.waitFor();
    expect(await detail.getByTestId('axeos-detail-model').textContent()).toBe('BM1370 · Gamma · 1 ASIC · board 601');
    expect(await detail.getByTestId('axeos-detail-user').textContent()).toBe('bc1qexampleaddress.gamma');
    await detail.getByTestId('axeos-mine-here').click();
    const confirm = page.getByTestId('axeos-mine-confirm');
    await confirm.waitFor();
    expect(await confirm.getByTestId('axeos-change-stratumURL').textContent()).toBe('Pool host stratumURLpool.example.com→127.0.0.1');
    expect(await confirm.getByTestId('axeos-change-stratumPort').textContent()).toBe(`Pool port stratumPort3333→${stratumPort}`);
    expect(await confirm.getByTestId('axeos-change-stratumUser').textContent()).toBe('Pool user stratumUserbc1qexampleaddress.gamma→bc1qexampleaddress.gamma (unchanged)');
    // Nothing has been sent yet.
    expect(gamma.requestsTo('PATCH', '/api/system')).toHaveLength(0);
    await confirm.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'axeos-mine-confirm.png') });
    await confirm.getByTestId('axeos-mine-yes').click();
    await detail.getByTestId('axeos-action-status').filter({ hasText: 'now mines to this HashDeck' }).waitFor();
    expect(gamma.requestsTo('PATCH', '/api/system').map((r) => JSON.parse(r.body) as unknown)).toEqual([{ stratumURL: '127.0.0.1', stratumPort, stratumUser: 'bc1qexampleaddress.gamma' }]);
    expect(gamma.restarts).toBe(1);
    await card(gamma).getByTestId('axeos-mining-here').filter({ hasText: 'mining to this HashDeck' }).waitFor({ timeout: 15_000 });
    expect(await detail.getByTestId('axeos-mine-here').count()).toBe(0);
    await detail.screenshot({ path: join(ARTIFACTS, 'axeos-detail.png') });
  });

  it('restart asks first, then sends POST /api/system/restart', async () => {
    await card(fork).getByTestId('axeos-open').click();
    const detail = page.getByTestId('axeos-detail');
    await detail.getByTestId('axeos-detail-model').filter({ hasText: 'BM1370' }).waitFor();
    expect(await page.getByTestId('axeos-detail').getByText('nerdqaxe').count()).toBeGreaterThan(0);
    await detail.getByTestId('axeos-restart').click();
    await detail.getByTestId('axeos-restart-confirm').waitFor();
    expect(fork.restarts).toBe(0);
    await detail.getByTestId('axeos-restart-yes').click();
    await detail.getByTestId('axeos-action-status').filter({ hasText: 'is restarting' }).waitFor();
    expect(fork.restarts).toBe(1);
  });

  it('Boards, Settings and History list the devices', async () => {
    await go('boards');
    expect(await page.getByTestId('axeos-table').locator('tbody > tr').count()).toBe(2);
    await page.getByTestId('boards-table').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'axeos-boards.png') });
    await go('settings');
    expect(await page.getByTestId('axeos-settings').locator('textarea').inputValue()).toBe(`${gamma.address}\n${fork.address}`);
    const form = page.getByTestId('axeos-settings');
    // A bad address comes back from the engine as one sentence; the list stays as it was.
    await form.locator('textarea').fill(`${gamma.address}\nhttps://bitaxe.local`);
    await form.getByTestId('axeos-settings-save').click();
    await form.getByTestId('axeos-settings-status').filter({ hasText: 'plain HTTP' }).waitFor();
    expect(engine.snapshot().axeosDevices).toHaveLength(2);
    await form.screenshot({ path: join(ARTIFACTS, 'axeos-settings.png') });
    await form.locator('textarea').fill(`${gamma.address}\n${fork.address}\n`);
    await form.getByTestId('axeos-settings-save').click();
    await form.getByTestId('axeos-settings-status').filter({ hasText: 'Watching 2 Wi-Fi miners' }).waitFor();
    await go('history');
    expect(await page.locator('select[aria-label=board] optgroup[label="Wi-Fi (AxeOS)"] option').allTextContents()).toEqual(['bitaxe-gamma (Wi-Fi)', 'nerdqaxe (Wi-Fi)']);
  });

  it('a read-only dashboard refuses restart, and the page says so', async () => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    other.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await other.goto(`${readOnly.url}#/dashboard`);
    const c = other.getByTestId(`axeos-axeos:127.0.0.1:${fork.port}`);
    await c.getByTestId('axeos-open').click();
    await other.getByTestId('axeos-restart').click();
    await other.getByTestId('axeos-restart-yes').click();
    const status = other.getByTestId('axeos-action-status');
    await status.filter({ hasText: 'read-only' }).waitFor();
    expect(await status.textContent()).toBe('axeosRestart refused: this dashboard is read-only (the engine was started without write access)');
    expect(fork.restarts).toBe(1);
    await other.close();
    expect(problems).toEqual([]);
  });

  it('the household together: USB boards, a network miner on the Stratum server and Wi-Fi Bitaxes', async () => {
    // A NerdMiner-like client on HashDeck's own Stratum server (an independent test miner).
    const nerd = await TestMiner.connect(stratumPort);
    try {
      await nerd.handshake({ user: 'nerdminer', suggestDifficulty: 0.0001, userAgent: 'NerdMinerV2/1.6.3' });
      for (let i = 0; i < 3; i++) {
        const r = await nerd.reply(nerd.submit(nerd.grind(), 'nerdminer'));
        expect(r.result, JSON.stringify(r.error)).toBe(true);
      }
      await page.goto(`${server.url}#/dashboard`);
      await page.getByTestId('netminer-nerdminer').waitFor({ timeout: 30_000 });
      await card(gamma).getByTestId('axeos-state').filter({ hasText: 'online' }).waitFor();
      const grid = page.getByTestId('board-grid');
      expect(await grid.getByTestId('emulated-badge').count()).toBe(2);
      expect(await grid.getByTestId('wifi-badge').count()).toBe(2);
      await page.setViewportSize({ width: 1280, height: 2700 });
      await page.screenshot({ path: join(ARTIFACTS, 'household-dashboard.png'), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(problems).toEqual([]);
    } finally {
      nerd.close();
    }
  });
});
