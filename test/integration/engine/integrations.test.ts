/**
 * The engine's own commands for this part, in process with an emulated board: notifyTest (each
 * channel's result), restartBoard (the board stops and mines again), exportCsv (the ledger as CSV),
 * and the started/stopped notifications a channel gets around them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, NotifyTestResult } from '@shared/contract';
import { Engine } from '../../../src-main/engine/engine.js';
import { resolveBoards } from '../../../src-main/engine/device-resolver.js';
import { EventBus } from '@shared/bus.js';
import { NotifyReceiver, waitUntil } from '../../fixtures/notify/receiver.js';
import { tempDir } from '../../helpers/cli.js';

describe('engine commands: notifyTest, restartBoard, exportCsv', () => {
  const hook = new NotifyReceiver('webhook');
  let engine: Engine;
  const events: EngineEvent[] = [];

  beforeAll(async () => {
    await hook.start();
    const bus = new EventBus();
    bus.onAny((e) => events.push(e));
    const boards = await resolveBoards([{ kind: 'emulator', chips: 1, model: 'bm1366', scaleBits: 24 }], bus);
    engine = new Engine({
      boards,
      source: null,
      mode: 'benchmark',
      frequencyMhz: null,
      ticketDifficulty: null,
      dataDir: tempDir(),
      bus,
      sampleIntervalMs: 200,
      integrations: { notify: { channels: [{ kind: 'webhook', target: `${hook.baseUrl}/h` }] } },
    });
    await engine.start();
    await waitUntil(() => engine.snapshot().boards[0]?.state === 'hashing', 20_000, 'hashing');
  }, 30_000);

  afterAll(async () => {
    await engine?.stop();
    await hook.stop();
  });

  it('notifyTest sends to every channel and says how it went', async () => {
    const results = (await engine.command({ type: 'notifyTest' })) as NotifyTestResult[];
    expect(results).toEqual([{ channel: `webhook ${hook.baseUrl}`, ok: true, error: null }]);
    await waitUntil(() => hook.requests.some((q) => q.body.includes('test message')), 5_000, 'test message');
    expect(hook.requests.some((q) => (JSON.parse(q.body) as { event: string; text: string }).text.startsWith('HashDeck started: benchmark mode, 1 board(s)'))).toBe(true);
  });

  it('restartBoard stops the board and it mines again', async () => {
    const from = events.length;
    await engine.command({ type: 'restartBoard', boardId: 'emu0' });
    await waitUntil(() => events.slice(from).some((e) => e.type === 'board' && e.state === 'hashing'), 20_000, 'hashing again');
    const states = events.slice(from).flatMap((e) => (e.type === 'board' ? [e.state] : []));
    expect(states[0]).toBe('stopped');
    expect(states.at(-1)).toBe('hashing');
    await expect(engine.command({ type: 'restartBoard', boardId: 'nope' })).rejects.toThrow('no board nope');
  });

  it('exportCsv gives the ledger as CSV', async () => {
    // Samples every 200 ms here: a few are in by now.
    await new Promise((r) => setTimeout(r, 500));
    const csv = (await engine.command({ type: 'exportCsv', what: 'samples' })) as string;
    const lines = csv.trim().split('\r\n');
    expect(lines[0]!.split(',')[0]).toBe('time');
    expect(lines.length).toBeGreaterThan(1);
  });
});
