/**
 * Browser end-to-end against the real engine: a validating Stratum test pool on loopback, the real
 * CLI `hashdeck mine --device emulator:2 --pool … --http 127.0.0.1:0` (the dashboard it serves is
 * out/renderer, built here when missing or older than src-renderer), and headless Chromium.
 *
 * Every figure the page shows is compared with the snapshot the page itself received over /ws,
 * formatted with the renderer's own formatters: the DOM is read in one go, and some snapshot
 * among the last few received must explain every figure at once. The pool's own count of accepted
 * shares and the CLI's final summary close the loop. Screenshots of every page go to
 * test-artifacts/real-*.png for a human look.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mineSummarySchema, type EngineSnapshot } from '@shared/contract';
import {
  efficiencyJPerTh,
  formatClock,
  formatDifficulty,
  formatEstimate,
  formatFan,
  formatHashrate,
  formatJPerTh,
  formatNumber,
  formatPercent,
  formatTemps,
  formatUnit,
  hwErrorPercent,
  MISSING,
} from '../../src-renderer/src/lib/format.js';
import { headlineEstimate, WINDOW_LABEL } from '../../src-renderer/src/lib/estimates.js';
import { StratumTestServer } from '../fixtures/stratum-server.js';
import { jsonLines, spawnCli, tempDir, WatchedCli } from '../helpers/cli.js';
import { chromiumAvailable, ensureRendererBuilt, launchChromium, REPO_ROOT, watchEngineMessages, watchPage } from './browser.js';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const USER = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.w1';
const CHIPS = 2;
const SCALE_BITS = 24; // the built-in emulator's default (cli/args.ts DEFAULT_EMULATOR_SCALE_BITS)

let pool: StratumTestServer;
let mine: WatchedCli;
let dashboardUrl: string;
let browser: Browser;
let page: Page;
/** Every snapshot the page received over /ws, in order. */
const received: EngineSnapshot[] = [];
/** Replies the page received (getHistory, getLogs), by request id. */
const replies = new Map<number, unknown>();
const problems: string[] = [];

async function go(pageId: string): Promise<void> {
  await page.getByTestId(`nav-${pageId}`).click();
  await page.getByTestId(`page-${pageId}`).waitFor();
}

/** Elements under the selector whose text does not fit their box (cut off or ellipsised). */
function clippedTexts(selector: string): Promise<string[]> {
  return page.evaluate(
    (sel) =>
      Array.from(document.querySelectorAll(sel))
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${el.className}: ${el.textContent}`),
    selector,
  );
}

/** Axes of a chart whose tick labels repeat (a flat 25.0–25.4 °C line once read "25°C" three times). */
function repeatedTicks(testId: string): Promise<string[][]> {
  return page.getByTestId(testId).evaluate((chart) =>
    Array.from(chart.querySelectorAll('.u-axis'))
      .map((axis) =>
        Array.from(axis.children)
          .map((t) => (t.textContent ?? '').trim())
          .filter((t) => t !== ''),
      )
      .filter((labels) => new Set(labels).size !== labels.length),
  );
}

/** Texts of every [data-testid] element, keyed "<card testid>/<testid>" inside a board card. */
function readTestIds(): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const el of Array.from(document.querySelectorAll('[data-testid]'))) {
      const id = el.getAttribute('data-testid')!;
      const card = el.parentElement?.closest('article[data-testid]');
      out[card ? `${card.getAttribute('data-testid')}/${id}` : id] = (el.textContent ?? '').trim();
    }
    return out;
  });
}

/**
 * Finds the newest received snapshot that explains every figure of a reading. Fails with the
 * differences against the newest snapshot when none does. The match must be one of the last few
 * snapshots (the page is live, not showing something old).
 */
async function matchReading<R>(
  read: () => Promise<R>,
  expected: (s: EngineSnapshot) => Record<string, string>,
  actual: (r: R) => Record<string, string>,
): Promise<{ snapshot: EngineSnapshot; reading: R }> {
  let lastDiff: string[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const reading = await read();
    // The frame that produced this DOM was reported to the test no later than the page saw it;
    // a short pause lets the event reach this process.
    await new Promise((r) => setTimeout(r, 150));
    const got = actual(reading);
    const recent = received.slice(-4).reverse();
    for (const s of recent) {
      const want = expected(s);
      const diff = Object.keys(want).filter((k) => got[k] !== want[k]);
      if (diff.length === 0) return { snapshot: s, reading };
    }
    const newest = recent[0];
    lastDiff = newest
      ? Object.keys(expected(newest))
          .filter((k) => got[k] !== expected(newest)[k])
          .map((k) => `${k}: page "${got[k]}" vs snapshot "${expected(newest)[k]}"`)
      : ['no snapshot received'];
  }
  throw new Error(`no recent snapshot explains the page:\n${lastDiff.join('\n')}`);
}

function dashboardFigures(s: EngineSnapshot): Record<string, string> {
  const t = s.totals;
  const head = headlineEstimate(t.hashrate);
  const out: Record<string, string> = {
    'total-hashrate': head ? formatEstimate(head.estimate) : MISSING,
    'total-expected': formatHashrate(t.expectedHashrateHs),
    'total-shares': `${formatNumber(t.sharesAccepted)} / ${formatNumber(t.sharesRejected)} / ${formatNumber(t.sharesStale)}`,
    'total-hw': formatPercent(hwErrorPercent(t.validNonces, t.hwErrors)),
    'best-session': formatDifficulty(t.bestDifficulty),
    'best-alltime': `all-time ${formatDifficulty(t.bestDifficultyAllTime)}`,
    'total-blocks': formatNumber(t.blocksFound),
  };
  for (const w of ['1m', '10m', '1h', '24h'] as const) if (head && w !== head.window) out[`total-hashrate-${w}`] = `${WINDOW_LABEL[w]} ${formatEstimate(t.hashrate[w])}`;
  for (const b of s.boards) {
    const bh = headlineEstimate(b.hashrate);
    const card = `board-${b.id}`;
    out[`${card}/board-hashrate`] = bh ? formatEstimate(bh.estimate) : MISSING;
    out[`${card}/board-expected`] = formatHashrate(b.expectedHashrateHs);
    out[`${card}/board-state`] = b.state;
    out[`${card}/board-chips`] = b.chipsExpected !== null ? `${b.chipsFound} / ${b.chipsExpected}` : String(b.chipsFound);
    out[`${card}/board-frequency`] = formatUnit(b.frequencyMhz, 'MHz', 0);
    out[`${card}/board-hw`] = formatPercent(hwErrorPercent(b.counters.validNonces, b.counters.hwErrors));
    out[`${card}/board-power`] = formatUnit(b.sensors.powerW, 'W');
    out[`${card}/board-voltage`] = b.sensors.coreVoltageV === null ? MISSING : `${(b.sensors.coreVoltageV * 1000).toFixed(0)} mV`;
    out[`${card}/board-temps`] = formatTemps(b.sensors.asicTempC, b.sensors.vrTempC);
    out[`${card}/board-fan`] = formatFan(b.sensors.fanRpm, b.sensors.fanPercent);
    // J/TH of an emulator (modelled power, CPU hashrate) would be meaningless: the card says so.
    out[`${card}/board-efficiency`] = b.emulated ? MISSING : formatJPerTh(efficiencyJPerTh(b.sensors.powerW, bh?.estimate.valueHs));
    out[`${card}/emulated-badge`] = b.emulated ? `EMULATED ×2-${b.scaleBits}` : '(none)';
  }
  const p = s.pools.find((x) => x.active);
  if (p)
    out['pool-detail'] =
      `difficulty ${formatDifficulty(p.difficulty)} · ${formatNumber(p.sharesAccepted)} accepted / ${formatNumber(p.sharesRejected)} rejected / ${formatNumber(p.sharesStale)} stale`;
  return out;
}

describe.skipIf(!chromiumAvailable())('dashboard in Chromium against the real engine', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureRendererBuilt();
    pool = new StratumTestServer({ host: '127.0.0.1', difficulty: 0.0002, payoutAddress: USER.split('.')[0] });
    await pool.start();
    mine = new WatchedCli(
      spawnCli(['mine', '--device', `emulator:${CHIPS}`, '--pool', pool.url, '--user', USER, '--http', '127.0.0.1:0', '--duration', '40', '--json', '--data-dir', tempDir('hashdeck-e2e-real-')]),
    );
    // The server picks its port (127.0.0.1:0) and logs where the dashboard is.
    await mine.until(() => mine.logMatch(/dashboard at (\S+)/) !== null, 20_000, 'the dashboard address');
    dashboardUrl = mine.logMatch(/dashboard at (\S+)/)![1]!;
    browser = await launchChromium();
    page = watchPage(await browser.newPage({ viewport: { width: 1280, height: 800 } }), problems);
    watchEngineMessages(page, problems, (m) => {
      if (m.kind === 'snapshot') received.push(m.snapshot);
      if (m.kind === 'reply') replies.set(m.id, m.result);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await mine?.stop();
    await pool?.stop();
  });

  it('Dashboard: every figure is the engine snapshot the page received; 2 emulated chips, pool active, shares accepted', async () => {
    await page.goto(`${dashboardUrl}#/dashboard`);
    await page.getByTestId('connection').filter({ hasText: 'connected' }).waitFor();
    // Wait for real work: accepted shares and a hashrate estimate on screen.
    await page.waitForFunction(
      () => {
        const shares = document.querySelector('[data-testid="total-shares"]')?.textContent ?? '';
        const rate = document.querySelector('[data-testid="total-hashrate"]')?.textContent ?? '—';
        return Number(shares.split('/')[0]!.replace(/,/g, '').trim()) > 0 && !rate.includes('—');
      },
      undefined,
      { timeout: 30_000 },
    );
    await page.getByTestId('live-chart').waitFor();
    const { snapshot: s, reading } = await matchReading(readTestIds, dashboardFigures, (r) => {
      const poolText = r['pool-status'] ?? '';
      const detail = /difficulty .* stale/.exec(poolText)?.[0] ?? '(no pool detail)';
      return { ...r, 'pool-detail': detail, ...(r['board-emu0/emulated-badge'] === undefined ? { 'board-emu0/emulated-badge': '(none)' } : {}) };
    });
    await page.screenshot({ path: join(ARTIFACTS, 'real-dashboard.png') });
    expect(await repeatedTicks('live-chart')).toEqual([]);
    await page.getByTestId('board-grid').screenshot({ path: join(ARTIFACTS, 'real-dashboard-board-card.png') });
    // No figure on a board card or tile is cut off (a 250 px card once hid "485 MHz" and "0.00 %").
    expect(await clippedTexts('.board-card .kv .v, .stat-value, .board-rate-value')).toEqual([]);
    // An emulator cannot reach real silicon's rate: no "0 %" of expected for it.
    expect(await page.getByTestId('board-emu0').locator('.board-expected').textContent()).toBe(`expected ${formatHashrate(received.at(-1)!.boards[0]!.expectedHashrateHs)} for real chips`);

    // What the engine reported, checked against the world: two chips on one emulated board,
    // the test pool active and accepting, accepted shares equal to what the pool itself counted.
    expect(s.mode).toBe('pool');
    expect(s.boards).toHaveLength(1);
    const b = s.boards[0]!;
    expect(b.emulated).toBe(true);
    expect(b.scaleBits).toBe(SCALE_BITS);
    expect(b.chipsFound).toBe(CHIPS);
    expect(b.state).toBe('hashing');
    expect(reading[`board-${b.id}/board-chips`]).toBe(`${CHIPS} / ${CHIPS}`);
    expect(reading[`board-${b.id}/emulated-badge`]).toBe(`EMULATED ×2-${SCALE_BITS}`);
    expect(reading['total-shares']).toMatch(/^[1-9][\d,]* \/ 0 \/ \d+$/);
    expect(s.totals.sharesAccepted).toBeGreaterThan(0);
    expect(s.totals.sharesRejected).toBe(0);
    expect(s.totals.hwErrors).toBe(0);
    expect(pool.accepted).toBeGreaterThanOrEqual(s.totals.sharesAccepted);
    expect(pool.rejected).toBe(0);
    expect(s.pools).toHaveLength(1);
    expect(s.pools[0]!.url).toBe(pool.url);
    expect(s.pools[0]!.active).toBe(true);
    expect(s.pools[0]!.difficulty).toBe(0.0002);
    expect(reading['pool-status']).toContain(pool.url);
    expect(reading['pool-status']).toContain('active');
    expect(reading['pool-status']).toContain(USER);
    // The best share is at least the pool difficulty (a share was accepted) and never above all-time.
    expect(s.totals.bestDifficulty).toBeGreaterThanOrEqual(0.0002);
    expect(s.totals.bestDifficultyAllTime).toBeGreaterThanOrEqual(s.totals.bestDifficulty);
    expect(reading['best-session']).not.toBe('0.00');

    // GET /api/snapshot serves the same engine: identities equal, counters never behind the page.
    const api = (await (await fetch(new URL('/api/snapshot', dashboardUrl))).json()) as EngineSnapshot;
    expect(api.boards.map((x) => [x.id, x.chipsFound, x.emulated, x.scaleBits])).toEqual(s.boards.map((x) => [x.id, x.chipsFound, x.emulated, x.scaleBits]));
    expect(api.pools.map((x) => x.url)).toEqual(s.pools.map((x) => x.url));
    expect(api.startedAtMs).toBe(s.startedAtMs);
    expect(api.nowMs).toBeGreaterThanOrEqual(s.nowMs);
    expect(api.totals.sharesAccepted).toBeGreaterThanOrEqual(s.totals.sharesAccepted);
    expect(api.totals.validNonces).toBeGreaterThanOrEqual(s.totals.validNonces);
    expect(api.totals.bestDifficultyAllTime).toBeGreaterThanOrEqual(s.totals.bestDifficultyAllTime);
  });

  it('Boards: the row and the per-chip table are the snapshot; chip counts add up to the board', async () => {
    await go('boards');
    const row = page.getByTestId('board-row-emu0');
    await row.click();
    await page.getByTestId('chips-emu0').waitFor();
    const read = (): Promise<{ cells: string[]; chips: string[][]; detail: string }> =>
      page.evaluate(() => {
        const cells = Array.from(document.querySelectorAll('[data-testid="board-row-emu0"] > td')).map((td) => (td.textContent ?? '').trim());
        const chips = Array.from(document.querySelectorAll('[data-testid="chips-emu0"] tbody tr')).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim()));
        const detail = (document.querySelector('tr.detail .detail-grid > div')?.textContent ?? '').trim();
        return { cells, chips, detail };
      });
    const expected = (s: EngineSnapshot): Record<string, string> => {
      const b = s.boards.find((x) => x.id === 'emu0')!;
      const head = headlineEstimate(b.hashrate);
      const out: Record<string, string> = {
        state: b.state,
        chips: b.chipsExpected !== null ? `${b.chipsFound}/${b.chipsExpected}` : String(b.chipsFound),
        mhz: b.frequencyMhz.toFixed(0),
        hashrate: head ? formatEstimate(head.estimate) : MISSING,
        expected: formatHashrate(b.expectedHashrateHs),
        valid: formatNumber(b.counters.validNonces),
        hw: formatPercent(hwErrorPercent(b.counters.validNonces, b.counters.hwErrors)),
        best: formatDifficulty(b.counters.bestDifficulty),
        chipRows: JSON.stringify(
          b.chips.map((c) => [`#${c.index}`, `0x${c.address.toString(16).padStart(2, '0')}`, formatNumber(c.validNonces), formatNumber(c.hwErrors), formatHashrate(c.hashrateHs)]),
        ),
        ticket: `ticket difficulty ${formatDifficulty(b.ticketDifficulty)}`,
        noncesRead: `nonces read ${formatNumber(b.counters.nonces)}`,
      };
      return out;
    };
    const { snapshot: s, reading } = await matchReading(read, expected, (r) => ({
      state: r.cells[1] ?? '',
      chips: r.cells[2] ?? '',
      mhz: r.cells[3] ?? '',
      hashrate: r.cells[4] ?? '',
      expected: r.cells[5] ?? '',
      valid: r.cells[9] ?? '',
      hw: r.cells[10] ?? '',
      best: r.cells[11] ?? '',
      chipRows: JSON.stringify(r.chips.map((c) => c.slice(0, 5))),
      ticket: /ticket difficulty \S+/.exec(r.detail)?.[0] ?? '',
      noncesRead: /nonces read [\d,]+/.exec(r.detail)?.[0] ?? '',
    }));
    expect(reading.cells[0]).toContain('Emulator (2× BM1366)');
    expect(reading.cells[0]).toContain(`EMULATED ×2-${SCALE_BITS}`);
    expect(reading.chips).toHaveLength(CHIPS);
    const b = s.boards[0]!;
    // Per-chip figures add up to the board's.
    expect(b.chips.reduce((n, c) => n + c.validNonces, 0)).toBe(b.counters.validNonces);
    expect(b.chips.reduce((n, c) => n + c.hwErrors, 0)).toBe(b.counters.hwErrors);
    expect(b.chips.every((c) => c.validNonces > 0)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'real-boards.png') });
  });

  it('Work: the pool row and the network panel are the snapshot', async () => {
    await go('work');
    await page.getByTestId('pool-table').waitFor();
    const read = (): Promise<{ cells: string[]; network: string }> =>
      page.evaluate(() => ({
        cells: Array.from(document.querySelectorAll('[data-testid="pool-table"] tbody tr:first-child td')).map((td) => (td.textContent ?? '').trim()),
        network: (document.querySelector('[data-testid="network"]')?.textContent ?? '').trim(),
      }));
    const expected = (s: EngineSnapshot): Record<string, string> => {
      const p = s.pools[0]!;
      return {
        row: JSON.stringify([
          String(p.priority),
          p.url,
          p.active ? 'active' : p.state,
          formatDifficulty(p.difficulty),
          p.extranonce1 ?? MISSING,
          String(p.extranonce2Size ?? MISSING),
          p.versionMask ?? MISSING,
          formatDifficulty(p.acceptedDifficulty),
          p.lastNotifyAtMs === null ? MISSING : formatClock(p.lastNotifyAtMs),
          'none',
        ]),
        height: `Height${s.network?.height?.toLocaleString('en-US') ?? MISSING}`,
        difficulty: `Difficulty${formatDifficulty(s.network?.difficulty)}`,
      };
    };
    const { snapshot: s, reading } = await matchReading(read, expected, (r) => ({
      row: JSON.stringify(r.cells),
      height: /Height[\d,—]+/.exec(r.network)?.[0] ?? '',
      difficulty: /Difficulty[^N]+/.exec(r.network)?.[0] ?? '',
    }));
    const p = s.pools[0]!;
    // The test pool grants 4-byte extranonce2 and the BIP310 mask 1fffe000; its jobs are at height 840 000+.
    expect(p.extranonce2Size).toBe(4);
    expect(p.versionMask).toBe('1fffe000');
    expect(p.acceptedDifficulty).toBeCloseTo(0.0002 * p.sharesAccepted, 12);
    expect(s.network?.height).toBeGreaterThanOrEqual(840_000);
    expect(reading.cells[3]).toBe('0.00020');
    await page.screenshot({ path: join(ARTIFACTS, 'real-work.png') });
  });

  it('Logs: the engine log, backfilled and live', async () => {
    await go('logs');
    const box = page.getByTestId('log-box');
    await box.filter({ hasText: `${CHIPS} BM1366 chip(s)` }).waitFor();
    const text = (await box.textContent()) ?? '';
    expect(text).toContain('dashboard at');
    expect(text).toContain('starting (pool mode, 1 board(s))');
    // Scopes of any length keep the message column aligned.
    const lefts = await page.locator('.log-text').evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().left)));
    expect(new Set(lefts).size).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'real-logs.png') });
  });

  it('Diagnostics renders', async () => {
    await go('diagnostics');
    await page.screenshot({ path: join(ARTIFACTS, 'real-diagnostics.png') });
    expect(await clippedTexts('pre')).toEqual([]);
  });

  it('Settings: prefilled from the engine; the read-only dashboard refuses a change and says so', async () => {
    await go('settings');
    const form = page.getByTestId('settings-form');
    expect(await form.locator('input[name=pool-0-url]').inputValue()).toBe(pool.url);
    expect(await form.locator('input[name=pool-0-user]').inputValue()).toBe(USER);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('settings-status').filter({ hasText: 'read-only' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'real-settings.png') });
  });

  it('History: the ledger series of this run, as the engine sent it', async () => {
    // Samples are written every 5 s: wait for at least three in the engine's 1 h series.
    await go('history');
    await page.getByRole('tab', { name: '1h' }).click();
    let points = 0;
    for (let i = 0; i < 40 && points < 3; i++) {
      await page.getByRole('tab', { name: i % 2 ? '1h' : '24h' }).click();
      await page.getByRole('tab', { name: '1h' }).click();
      const chart = page.getByTestId('history-chart');
      const empty = page.getByTestId('history-empty');
      await chart.or(empty).waitFor();
      points = (await chart.count()) > 0 ? Number(await chart.getAttribute('data-points')) : 0;
      if (points < 3) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(points).toBeGreaterThanOrEqual(3);
    // The chart holds exactly the points of the engine's last 1 h reply; the newest has this run's hashrate.
    const historyReplies = [...replies.values()].filter(
      (r): r is { range: string; points: { atMs: number; hashrateHs: number | null }[] } => typeof r === 'object' && r !== null && (r as { range?: unknown }).range === '1h',
    );
    const last = historyReplies.at(-1)!;
    expect(last.points.length).toBe(points);
    expect(last.points.at(-1)!.hashrateHs).toBeGreaterThan(0);
    expect(last.points[0]!.atMs).toBeGreaterThanOrEqual(received[0]!.startedAtMs);
    await page.screenshot({ path: join(ARTIFACTS, 'real-history.png') });
    expect(await repeatedTicks('history-chart')).toEqual([]);
  });

  it('stopping the CLI: exit 0, and the summary agrees with the pool and the page', async () => {
    const lastSeen = received.at(-1)!;
    expect(await mine.stop()).toBe(0);
    const summary = mineSummarySchema.parse(jsonLines(mine.out).at(-1));
    expect(summary.sharesAccepted).toBe(pool.accepted);
    expect(summary.sharesAccepted).toBeGreaterThanOrEqual(lastSeen.totals.sharesAccepted);
    expect(summary.sharesRejected).toBe(0);
    expect(summary.hwErrors).toBe(0);
    expect(summary.emulated).toBe(true);
    expect(summary.boards.map((b) => [b.chips, b.emulated, b.scaleBits])).toEqual([[CHIPS, true, SCALE_BITS]]);
    expect(summary.bestDifficultyAllTime).toBeGreaterThanOrEqual(lastSeen.totals.bestDifficultyAllTime);
    // The page showed the engine going away instead of stale figures pretending to be live.
    await page.getByTestId('connection').filter({ hasText: 'disconnected' }).waitFor();
    expect(problems).toEqual([]);
  });
});
