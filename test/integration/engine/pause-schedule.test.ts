/**
 * Pause, resume and the schedule in the running engine, on the built-in emulator with its emulated
 * bitaxe-raw control port. A pause reads and judges every nonce already on the wire and lets
 * submitted shares finish with a real (test) pool on loopback, then holds the chips in reset with
 * the core voltage off; resume re-initialises. The schedule runs on a FAKE clock (Europe/Berlin):
 * boards pause and resume at window edges on both sides of the 2026 daylight-saving changes and
 * on the hour the clocks skip.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import type { EngineEvent, ScheduleInput } from '@shared/contract';
import { createEmulatorDevice, type EmulatorDevice } from '../../../src-main/emulator/emulated-device.js';
import { Engine, type EngineOptions } from '../../../src-main/engine/engine.js';
import { StratumSource } from '../../../src-main/work/stratum/stratum-source.js';
import { StratumTestServer } from '../../fixtures/stratum-server.js';
import { tempDir } from '../../helpers/cli.js';
import { emulatedEngine, until } from '../../fixtures/engine/emulated-engine.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function engineFor(dev: EmulatorDevice, extra: Partial<EngineOptions> = {}): { engine: Engine; events: EngineEvent[] } {
  const started = emulatedEngine(dev, extra);
  cleanups.push(() => started.engine.stop());
  return started;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pause and resume (emulated board, test pool)', () => {
  it('a pause judges the nonces on the wire, lets submitted shares finish, powers the chips down; resume mines again', async () => {
    const pool = new StratumTestServer({ difficulty: 2 ** -20 });
    await pool.start();
    cleanups.push(() => pool.stop());
    const bus = new EventBus();
    const source = new StratumSource({ pools: [{ url: pool.url, user: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.rig', password: 'x' }], bus, userAgent: 'hashdeck/test', stopDrainMs: 300 });
    const dev = createEmulatorDevice({ chips: 1, model: 'bm1366', scaleBits: 24, hashRateHs: 400_000, control: { tickMs: 50 } });
    const port = dev.control!.port;
    const { engine, events } = engineFor(dev, { bus, source, mode: 'pool', dataDir: tempDir(), sampleIntervalMs: 200, sensorIntervalMs: 100 });
    await engine.start();
    const board = () => engine.boards.get('emu0')!;
    const chain = () => dev.control!.chain!;
    await until('five accepted shares', () => pool.accepted >= 5, 30_000);

    const pausedAtMs = Date.now();
    const reply = await engine.command({ type: 'pauseBoards' });
    expect(reply).toEqual({ paused: ['emu0'] });
    expect(board().state).toBe('paused');
    expect(board().stateDetail).toBe('paused by hand');
    // Every nonce the chips sent was read and judged: none left on the wire, none dropped.
    expect(board().nonces).toBe(chain().status().noncesSent);
    expect(engine.snapshot().boards[0]!.counters.nonces).toBe(chain().status().noncesSent);
    // Chips held in reset with the core voltage off; the control port (sensors) stays open.
    expect(port.resetHeld).toBe(true);
    expect(port.model.coreVoltageV).toBe(0);
    expect(engine.stats.isBoardPaused('emu0')).toBe(true);

    // Shares submitted before (and during) the pause all get their pool verdict: nothing lost.
    await until('every submitted share answered', () => {
      const t = engine.snapshot().totals;
      return t.sharesAccepted + t.sharesRejected === pool.shares.length;
    });
    const shareEvents = events.filter((e) => e.type === 'share');
    expect(shareEvents.filter((e) => e.type === 'share' && e.result === 'accepted')).toHaveLength(pool.accepted);
    expect(pool.shares.filter((s) => s.result === 'rejected')).toEqual([]);

    // While paused: no job reaches the chips and no nonce comes back.
    const jobs = chain().status().jobsReceived;
    const nonces = board().nonces;
    await sleep(6000);
    expect(chain().status().jobsReceived).toBe(jobs);
    expect(board().nonces).toBe(nonces);
    expect(engine.snapshot().boards[0]!.sensors.powerW).toBeLessThan(2); // board overhead only
    // The ledger calls the paused seconds paused (a whole 5 s bucket), not zero hashrate.
    const firstWholeBucket = Math.ceil((pausedAtMs + 2000) / 5000) * 5000;
    await until('a whole 5 s bucket of paused samples', () => Date.now() > firstWholeBucket + 5400);
    const paused = engine.ledger!.history('1h', 'emu0').points.filter((p) => p.atMs >= firstWholeBucket && p.atMs + 5000 < Date.now());
    expect(paused.length).toBeGreaterThan(0);
    for (const p of paused) {
      expect(p.paused).toBe(true);
      expect(p.hashrateHs).toBeNull();
    }

    const acceptedBefore = pool.accepted;
    expect(await engine.command({ type: 'resumeBoards', boardIds: ['emu0'] })).toEqual({ resumed: ['emu0'] });
    await until('hashing again', () => board().state === 'hashing');
    expect(port.resetHeld).toBe(false);
    expect(port.model.coreVoltageV).toBeCloseTo(1.2, 2);
    expect(events.some((e) => e.type === 'board' && e.state === 'initialising' && e.detail === 'resuming after a pause')).toBe(true);
    expect(engine.stats.isBoardPaused('emu0')).toBe(false);
    await until('new accepted shares after the resume', () => pool.accepted >= acceptedBefore + 3, 30_000);
  }, 90_000);

  it('refuses an unknown board with a sentence; a board configured to start paused never gets a job', async () => {
    const dev = createEmulatorDevice({ chips: 1, model: 'bm1366', scaleBits: 24, hashRateHs: 300_000, control: { tickMs: 50 } });
    const { engine } = engineFor(dev);
    await expect(engine.command({ type: 'pauseBoards', boardIds: ['nope'] })).rejects.toThrow('there is no board "nope" (boards: emu0)');
    const dev2 = createEmulatorDevice({ chips: 1, model: 'bm1366', scaleBits: 24, hashRateHs: 300_000, control: { tickMs: 50 } });
    const e2 = new Engine({
      boards: [{ id: 'p0', name: 'starts paused', path: dev2.path, model: 'bm1366', emulated: true, scaleBits: 24, binding: dev2.binding, control: dev2.control, startPaused: true }],
      source: null,
      mode: 'benchmark',
      frequencyMhz: null,
      ticketDifficulty: null,
      dataDir: null,
    });
    cleanups.push(() => e2.stop());
    await e2.start();
    await until('paused after its init', () => e2.boards.get('p0')!.state === 'paused' && e2.boards.get('p0')!.stateDetail === 'started paused');
    await sleep(500);
    expect(dev2.control!.chain!.status().jobsReceived).toBe(0);
    expect(dev2.control!.port.resetHeld).toBe(true);
    await e2.command({ type: 'resumeBoards' });
    await until('hashing', () => e2.boards.get('p0')!.state === 'hashing');
    await until('jobs on the chips', () => dev2.control!.chain!.status().jobsReceived > 0);
  }, 60_000);
});

describe('the ambient rule', () => {
  // Also with the TypeScript scanner: its long runs, as on a busy machine, once made the paused
  // board "lost" (a run hashed at the old ticket was judged a drought at the reset chip's ticket).
  it.each([{ scanner: undefined }, { scanner: 'typescript' as const }])(
    'pauses a board whose ambient temperature is above the limit and resumes it once it is the hysteresis below (scanner: $scanner)',
    async ({ scanner }) => {
      const dev = createEmulatorDevice({ chips: 1, model: 'bm1366', scaleBits: 24, hashRateHs: 300_000, control: { tickMs: 50 }, ...(scanner ? { scanner } : {}) });
      const port = dev.control!.port;
      const { engine } = engineFor(dev, {
        sensorIntervalMs: 100,
        scheduleTickMs: 100,
        schedule: { enabled: true, timeZone: 'UTC', otherwise: 'mine', windows: [], priceLimit: null, pauseAboveAmbientC: 30, ambientHysteresisC: 2 },
      });
      await engine.start();
      const board = () => engine.boards.get('emu0')!;
      await until('hashing', () => board().state === 'hashing');
      // The emulated room at 25 °C is reported as the board's ambient figure.
      await until('an ambient reading', () => engine.snapshot().boards[0]!.sensors.ambientTempC === 25);
      port.setAmbientC(33);
      await until('paused for the heat of the room', () => board().state === 'paused' && board().stateDetail === 'paused by the schedule: ambient 33.0 °C is above 30 °C');
      port.setAmbientC(29); // within the hysteresis: stays paused
      await sleep(800);
      expect(board().state, board().stateDetail ?? '').toBe('paused');
      port.setAmbientC(27.5);
      await until('hashing again', () => board().state === 'hashing');
    },
    60_000,
  );
});

describe('the schedule on a fake clock (Europe/Berlin)', () => {
  it('pauses and resumes the board at the window edges, across both daylight-saving changes and on the skipped hour', async () => {
    const schedule: ScheduleInput = {
      timeZone: 'Europe/Berlin',
      windows: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '17:00', end: '21:00', action: 'pause' },
        { days: ['sun'], start: '02:30', end: '04:00', action: 'pause' },
      ],
    };
    const clock = { now: Date.parse('2026-01-05T15:59:58Z') };
    const dev = createEmulatorDevice({ chips: 1, model: 'bm1366', scaleBits: 24, hashRateHs: 300_000, control: { tickMs: 50 } });
    const { engine, events } = engineFor(dev, { clock: () => clock.now, scheduleTickMs: 50 });
    await engine.start();
    const board = () => engine.boards.get('emu0')!;
    const port = dev.control!.port;
    await until('hashing', () => board().state === 'hashing');
    expect(await engine.command({ type: 'getSchedule' })).toEqual({ schedule: null });
    const set = (await engine.command({ type: 'setSchedule', schedule: schedule as never })) as { saved: boolean };
    expect(set.saved).toBe(false);

    const step = async (iso: string, state: 'hashing' | 'paused'): Promise<void> => {
      clock.now = Date.parse(iso);
      // 'paused' once the nonces on the wire are read and the chips powered down (not while 'pausing').
      await until(`${state} at ${iso}`, () => board().state === state && !board().stateDetail?.startsWith('pausing'));
      // A little longer: nothing flips back on the same instant.
      await sleep(150);
      expect(board().state, `${iso}: ${board().stateDetail ?? ''}`).toBe(state);
    };

    // Monday 5 January 2026, CET (UTC+1): 16:59:58 local mines; 17:00 pauses; 21:00 resumes.
    expect(board().state).toBe('hashing');
    expect(engine.snapshot().schedule?.text).toBe('pauses at 17:00, resumes at 21:00');
    expect(engine.snapshot().boards[0]!.schedule).toMatchObject({ action: 'mine', nextAtMs: Date.parse('2026-01-05T16:00:00Z'), nextAction: 'pause' });
    await step('2026-01-05T15:59:59Z', 'hashing');
    await step('2026-01-05T16:00:00Z', 'paused');
    expect(board().stateDetail).toBe('paused by the schedule: window every day 17:00–21:00');
    expect(port.resetHeld).toBe(true);
    expect(engine.snapshot().schedule?.text).toBe('resumes at 21:00, pauses at Tue 17:00');
    await step('2026-01-05T19:59:59Z', 'paused');
    await step('2026-01-05T20:00:00Z', 'hashing');

    // Sunday 29 March 2026: at 01:00 UTC the clocks jump from 02:00 CET to 03:00 CEST. The window
    // from 02:30 starts at the jump and ends at 04:00 CEST; the evening window is at 17:00 CEST.
    await step('2026-03-29T00:59:58Z', 'hashing');
    await step('2026-03-29T01:00:00Z', 'paused');
    await step('2026-03-29T01:59:59Z', 'paused');
    await step('2026-03-29T02:00:00Z', 'hashing');
    await step('2026-03-29T14:59:59Z', 'hashing');
    await step('2026-03-29T15:00:00Z', 'paused');
    await step('2026-03-29T19:00:00Z', 'hashing');

    // Sunday 25 October 2026, back to CET: 17:00 is 16:00 UTC again; 02:30 happens twice, the
    // window starts at the first (00:30 UTC) and does not start again at the second.
    await step('2026-10-25T00:29:59Z', 'hashing');
    await step('2026-10-25T00:30:00Z', 'paused');
    await step('2026-10-25T01:30:00Z', 'paused');
    await step('2026-10-25T02:59:59Z', 'paused');
    await step('2026-10-25T03:00:00Z', 'hashing'); // 04:00 CET
    await step('2026-10-25T15:59:59Z', 'hashing');
    await step('2026-10-25T16:00:00Z', 'paused');
    await step('2026-10-25T20:00:00Z', 'hashing');

    const transitions = events
      .filter((e) => e.type === 'board' && (e.state === 'hashing' || (e.state === 'paused' && e.detail?.startsWith('paused by'))))
      .map((e) => (e.type === 'board' ? e.state : ''));
    // One pause and one resume per window, nothing more: 4 windows → 4 pauses, 4 resumes after the first hashing.
    expect(transitions).toEqual(['hashing', 'paused', 'hashing', 'paused', 'hashing', 'paused', 'hashing', 'paused', 'hashing', 'paused', 'hashing']);

    // Switching the schedule off resumes a board it paused.
    await step('2026-10-26T16:30:00Z', 'paused');
    await engine.command({ type: 'setSchedule', schedule: null });
    await until('hashing once the schedule is gone', () => board().state === 'hashing');
    expect(engine.snapshot().schedule ?? null).toBeNull();
  }, 120_000);
});
