/**
 * The household in one dashboard, in Chromium against the real engine: HashDeck mines to a
 * validating test pool with two emulated USB chips and serves Stratum (proxy mode); a second engine
 * process (an emulated board behind HashDeck's own Stratum client) and an independent test miner mine
 * through it. The page must show the boards and the two network miners side by side, every network
 * card's figures must be a snapshot the page received, and the test pool — which checks every share
 * with its own code — must have accepted shares forwarded from the network miners, each carrying
 * the miner's extranonce slot. The screenshot goes to test-artifacts/dashboard-network-miners.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mineSummarySchema, type EngineSnapshot } from '@shared/contract';
import { formatDifficulty, formatEstimate, formatNumber, MISSING } from '../../src-renderer/src/lib/format.js';
import { headlineEstimate } from '../../src-renderer/src/lib/estimates.js';
import { StratumTestServer } from '../fixtures/stratum-server.js';
import { TestMiner } from '../fixtures/stratum/test-miner.js';
import { jsonLines, spawnCli, tempDir, WatchedCli } from '../helpers/cli.js';
import { chromiumAvailable, ensureRendererBuilt, launchChromium, REPO_ROOT, watchEngineMessages, watchPage } from './browser.js';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const USER = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.home';
const POOL_DIFFICULTY = 0.0002;
// The second engine mines as `--user bitaxe-kitchen`: its board's shares come under `<user>.<board id>`,
// the name a pool credits and the one it is listed under (its idle session user is not a miner of its own).
const KITCHEN = 'bitaxe-kitchen.emu0';

let pool: StratumTestServer;
let home: WatchedCli;
let wifi: WatchedCli;
let nerd: TestMiner;
let browser: Browser;
let page: Page;
const received: EngineSnapshot[] = [];
const problems: string[] = [];

/** Waits on the home engine: a timeout's error carries its output. */
const until = (pred: () => boolean, timeoutMs: number, what: string): Promise<void> => home.until(pred, timeoutMs, what);
const logText = (re: RegExp): RegExpExecArray | null => home.logMatch(re);

describe.skipIf(!chromiumAvailable())('dashboard with USB boards and network miners (Chromium, real engines)', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureRendererBuilt();
    pool = new StratumTestServer({ host: '127.0.0.1', difficulty: POOL_DIFFICULTY, extranonce2Size: 8, payoutAddress: USER.split('.')[0] });
    await pool.start();
    home = new WatchedCli(
      spawnCli([
        'mine',
        '--device',
        'emulator:2',
        '--pool',
        pool.url,
        '--user',
        USER,
        '--serve-stratum',
        '127.0.0.1:0',
        '--http',
        '127.0.0.1:0',
        '--duration',
        '180',
        '--json',
        '--data-dir',
        tempDir('hashdeck-e2e-home-'),
      ]),
    );
    await until(() => logText(/dashboard at (\S+)/) !== null && logText(/Stratum server listening on 127\.0\.0\.1:(\d+)/) !== null, 30_000, 'the dashboard and the Stratum server');
    const dashboardUrl = logText(/dashboard at (\S+)/)![1]!;
    const port = Number(logText(/Stratum server listening on 127\.0\.0\.1:(\d+)/)![1]);
    // The proxy serves once the pool has given it work (its extranonce decides the miners').
    await until(() => logText(/network miners get no work/) === null && pool.connectedClients > 0, 30_000, 'the pool session');

    wifi = new WatchedCli(
      spawnCli([
        'mine',
        '--device',
        'emulator:1',
        '--pool',
        `stratum+tcp://127.0.0.1:${port}`,
        '--user',
        'bitaxe-kitchen',
        '--suggest-difficulty',
        '0.0001',
        '--duration',
        '150',
        '--json',
        '--data-dir',
        tempDir('hashdeck-e2e-wifi-'),
      ]),
    );
    nerd = await TestMiner.connectWhenServing(port, { user: 'nerdminer', suggestDifficulty: 0.0001, userAgent: 'NerdMinerV2/1.6.3' });

    browser = await launchChromium();
    page = watchPage(await browser.newPage({ viewport: { width: 1280, height: 1800 } }), problems);
    watchEngineMessages(page, problems, (m) => {
      if (m.kind === 'snapshot') received.push(m.snapshot);
    });
    await page.goto(`${dashboardUrl}#/dashboard`);
  }, 120_000);

  afterAll(async () => {
    nerd?.destroy();
    await browser?.close();
    await wifi?.stop();
    await home?.stop();
    await pool?.stop();
  });

  it('shows the boards and the network miners together; the network cards are the snapshot; forwarded shares reach the pool', async () => {
    // The test miner sends a few shares at its pace (a NerdMiner's).
    for (let i = 0; i < 4; i++) {
      const r = await nerd.reply(nerd.submit(nerd.grind(), 'nerdminer'));
      expect(r.result, JSON.stringify(r.error)).toBe(true);
    }
    await page.getByTestId('connection').filter({ hasText: 'connected' }).waitFor();
    await page.getByTestId(`netminer-${KITCHEN}`).waitFor({ timeout: 30_000 });
    await page.getByTestId('netminer-nerdminer').waitFor({ timeout: 30_000 });
    // Wait until both network miners show a hashrate and the boards have accepted shares.
    await page.waitForFunction(
      (workers) => workers.every((w) => !(document.querySelector(`[data-testid="netminer-${w}"] [data-testid="netminer-hashrate"]`)?.textContent ?? '—').includes('—')),
      [KITCHEN, 'nerdminer'],
      { timeout: 60_000 },
    );
    await page.waitForFunction(() => Number((document.querySelector('[data-testid="total-shares"]')?.textContent ?? '0').split('/')[0]!.replace(/,/g, '')) > 0, undefined, { timeout: 30_000 });

    // Every figure on the network cards comes from one of the last snapshots the page received.
    const figures = (s: EngineSnapshot): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const m of s.networkMiners) {
        const head = headlineEstimate(m.hashrate);
        out[`${m.worker}/hashrate`] = head ? formatEstimate(head.estimate) : MISSING;
        out[`${m.worker}/difficulty`] = formatDifficulty(m.difficulty);
        out[`${m.worker}/shares`] = `${formatNumber(m.sharesAccepted)} / ${formatNumber(m.sharesRejected)}`;
        out[`${m.worker}/address`] = m.address;
      }
      return out;
    };
    const read = (): Promise<Record<string, string>> =>
      page.evaluate(() => {
        const out: Record<string, string> = {};
        for (const card of Array.from(document.querySelectorAll('article[data-testid^="netminer-"]'))) {
          const w = card.getAttribute('data-testid')!.slice('netminer-'.length);
          for (const k of ['hashrate', 'difficulty', 'shares', 'address']) out[`${w}/${k}`] = (card.querySelector(`[data-testid="netminer-${k}"]`)?.textContent ?? '').trim();
        }
        return out;
      });
    let matched: EngineSnapshot | null = null;
    let lastDiff: string[] = [];
    for (let attempt = 0; attempt < 5 && !matched; attempt++) {
      const got = await read();
      await new Promise((r) => setTimeout(r, 150));
      for (const s of received.slice(-4).reverse()) {
        const want = figures(s);
        const diff = Object.keys(want).filter((k) => got[k] !== want[k]);
        if (diff.length === 0 && Object.keys(got).length === Object.keys(want).length) {
          matched = s;
          break;
        }
        lastDiff = diff.map((k) => `${k}: page "${got[k]}" vs snapshot "${want[k]}"`);
      }
    }
    expect(matched, lastDiff.join('\n')).not.toBeNull();
    // Nothing on a network card is cut off.
    expect(
      await page.evaluate(() =>
        Array.from(document.querySelectorAll('.network-card .kv .v, .network-card .board-rate-value, .network-card .kv .k'))
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map((el) => el.textContent),
      ),
    ).toEqual([]);
    await page.getByTestId('network-miners').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-network-miners.png') });
    await page.getByTestId('network-miners').screenshot({ path: join(ARTIFACTS, 'dashboard-network-miners-cards.png') });

    const s = matched!;
    expect(s.boards).toHaveLength(1);
    expect(s.stratumServer).toMatchObject({ host: '127.0.0.1', connections: 2, problem: null });
    expect(s.networkMiners.map((m) => m.worker).sort()).toEqual([KITCHEN, 'nerdminer']);
    const kitchen = s.networkMiners.find((m) => m.worker === KITCHEN)!;
    const nerdSnap = s.networkMiners.find((m) => m.worker === 'nerdminer')!;
    expect(kitchen.userAgent).toMatch(/^hashdeck\//);
    expect(nerdSnap.userAgent).toBe('NerdMinerV2/1.6.3');
    expect(nerdSnap.sharesAccepted).toBeGreaterThan(0);
    await until(() => (received.at(-1)?.networkMiners.find((m) => m.worker === 'nerdminer')?.sharesAccepted ?? 0) >= 4, 10_000, 'the test miner’s four shares in a snapshot');
    expect(kitchen.sharesAccepted).toBeGreaterThan(0);
    // The server re-sends the job under a new id on each difficulty change: a HashDeck miner keeps
    // counting extranonce2 for the same work instead of hashing (and submitting) it again.
    expect(kitchen.rejectReasons['Duplicate share'] ?? 0, JSON.stringify(kitchen.rejectReasons)).toBe(0);
    // Capped at the pool's difficulty: no share the pool would credit is held back.
    expect(kitchen.difficulty).toBeLessThanOrEqual(POOL_DIFFICULTY);
    expect(await page.getByTestId('network-grid').locator('[data-testid="network-badge"]').count()).toBe(2);
    expect(await page.getByTestId('stratum-server').textContent()).toContain(`127.0.0.1:${s.stratumServer!.port}`);

    // The pool checked the forwarded shares with its own code and accepted them: each one's
    // extranonce2 starts with a network miner's slot, never the boards' slot 0.
    await until(() => pool.shares.some((x) => x.result === 'accepted' && !x.extranonce2.startsWith('00000000')), 30_000, 'a forwarded share at the pool');
    const forwarded = pool.shares.filter((x) => !x.extranonce2.startsWith('00000000'));
    expect(forwarded.filter((x) => x.result === 'rejected').map((x) => x.reason)).toEqual([]);
    const slots = new Set(forwarded.map((x) => x.extranonce2.slice(0, 8)));
    expect(slots.has(nerd.extranonce1.slice(-8)) || slots.size > 0).toBe(true);
    const boardShares = pool.shares.filter((x) => x.extranonce2.startsWith('00000000'));
    expect(boardShares.length).toBeGreaterThan(0);
    await until(() => (received.at(-1)?.networkMiners.find((m) => m.worker === KITCHEN)?.forwarded.accepted ?? 0) > 0, 30_000, 'the pool’s verdict counted for the network miner');

    // Its history: the card links to the History page with the miner selected.
    await page.getByTestId('netminer-nerdminer').getByTestId('netminer-history').click();
    await page.getByTestId('page-history').waitFor();
    expect(await page.locator('select[aria-label="board"]').inputValue()).toBe('net:nerdminer');
    expect(problems).toEqual([]);
  }, 180_000);

  it('the summary lists both network miners; their shares are not in the boards’ totals', async () => {
    await wifi.stop();
    expect(await home.stop()).toBe(0);
    const summary = mineSummarySchema.parse(jsonLines(home.out).at(-1));
    expect(summary.networkMiners.map((m) => m.worker).sort()).toEqual([KITCHEN, 'nerdminer']);
    for (const m of summary.networkMiners) expect(m.sharesAccepted).toBeGreaterThan(0);
    const boardAccepted = pool.shares.filter((x) => x.result === 'accepted' && x.extranonce2.startsWith('00000000')).length;
    expect(summary.sharesAccepted).toBe(boardAccepted);
  }, 60_000);
});
