import { describe, expect, it } from 'vitest';
import type { EngineCommand } from '@shared/contract';
import { commandDevice, handleCommand } from '../../../src-main/mqtt/commands.js';
import { discoveryMessages } from '../../../src-main/mqtt/discovery.js';
import { deviceReports, StateThrottle } from '../../../src-main/mqtt/state.js';
import { fakeSnapshot } from '../../e2e/fake-engine.js';

describe('MQTT commands', () => {
  const ran: EngineCommand[] = [];
  const ctx = (allowWrites: boolean) => ({ allowWrites, boardFor: (id: string) => (id === 'board-0' ? 'board-0' : null), run: async (c: EngineCommand) => void ran.push(c) });

  it('finds the device of a command topic under the base only', () => {
    expect(commandDevice('hashdeck/n', 'hashdeck/n/board-0/command')).toBe('board-0');
    expect(commandDevice('hashdeck/n', 'hashdeck/other/board-0/command')).toBeNull();
    expect(commandDevice('hashdeck/n', 'hashdeck/n/board-0/command/result')).toBeNull();
  });

  it('refuses without write access, refuses unknown actions and boards, runs restart', async () => {
    expect(await handleCommand('board-0', 'restart', ctx(false))).toMatchObject({ ok: false, message: expect.stringMatching(/--allow-writes/) });
    expect(await handleCommand('board-0', 'explode', ctx(true))).toMatchObject({ ok: false, message: expect.stringMatching(/unknown command "explode"/) });
    expect(await handleCommand('board-9', 'restart', ctx(true))).toMatchObject({ ok: false, message: 'no board "board-9"' });
    expect(await handleCommand('board-0', ' RESTART ', ctx(true))).toMatchObject({ ok: true });
    expect(ran).toEqual([{ type: 'restartBoard', boardId: 'board-0' }]);
  });

  it("pause and resume become the engine's pauseBoards and resumeBoards for that board", async () => {
    expect(await handleCommand('board-0', 'pause', ctx(true))).toMatchObject({ ok: true });
    expect(ran.at(-1)).toEqual({ type: 'pauseBoards', boardIds: ['board-0'] });
    expect(await handleCommand('board-0', 'resume', ctx(true))).toMatchObject({ ok: true });
    expect(ran.at(-1)).toEqual({ type: 'resumeBoards', boardIds: ['board-0'] });
  });
});

describe('MQTT state and discovery', () => {
  it('one report for the rig, then one per board; network miners when the snapshot has them', () => {
    const s = fakeSnapshot(2) as ReturnType<typeof fakeSnapshot> & { networkMiners?: unknown[] };
    expect(deviceReports(s).map((d) => d.id)).toEqual(['rig', 'board-0', 'board-1']);
    s.networkMiners = [{ worker: 'bc1q.nerdaxe', hashrateHs: 5e11, sharesAccepted: 3, bestDifficulty: 1e6, blocksFound: 0 }];
    const miner = deviceReports(s).at(-1)!;
    expect(miner).toMatchObject({ id: 'miner_bc1q_nerdaxe', kind: 'miner', state: { hashrate_ghs: 500, shares_accepted: 3 } });
    expect(discoveryMessages('n', miner, { version: 'v', commands: true }).every((m) => m.topic.startsWith('homeassistant/sensor/n/miner_bc1q_nerdaxe_'))).toBe(true);
  });

  it('throttle: publish on change, at most every interval', () => {
    const t = new StateThrottle(5_000);
    expect(t.due('a', { x: 1 }, 0)).toBe('{"x":1}');
    expect(t.due('a', { x: 1 }, 10_000)).toBeNull();
    expect(t.due('a', { x: 2 }, 1_000 + 10_000)).toBe('{"x":2}');
    expect(t.due('a', { x: 3 }, 12_000)).toBeNull();
    expect(t.due('a', { x: 3 }, 16_000)).toBe('{"x":3}');
  });
});
