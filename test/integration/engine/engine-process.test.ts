import { fork } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineMessageSchema, type EngineMessage } from '@shared/contract';
import { ROOT, tempDir } from '../../helpers/cli.js';
import { StratumTestServer } from '../../fixtures/stratum-server.js';
import { FakeAxeosDevice } from '../../fixtures/axeos/fake-device.js';

// The desktop app runs src-main/engine/process.ts as an Electron utilityProcess; here the same
// entry runs under child_process.fork, speaking the same messages.
describe('engine process protocol', () => {
  it('starts, streams validated snapshots and events, answers requests, shuts down', async () => {
    const child = fork(path.join(ROOT, 'src-main/engine/process.ts'), [], { execArgv: ['--import', 'tsx'], cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const messages: EngineMessage[] = [];
    const waitFor = (pred: (m: EngineMessage) => boolean, timeoutMs = 20_000): Promise<EngineMessage> =>
      new Promise((resolve, reject) => {
        const found = messages.find(pred);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error('timed out waiting for an engine message')), timeoutMs);
        child.on('message', (raw) => {
          const m = engineMessageSchema.parse(raw);
          if (pred(m)) {
            clearTimeout(timer);
            resolve(m);
          }
        });
      });
    child.on('message', (raw) => messages.push(engineMessageSchema.parse(raw)));
    try {
      await waitFor((m) => m.kind === 'ready');
      const dataDir = tempDir();
      child.send({ kind: 'start', dataDir, devices: ['emulator:1'], frequencyMhz: null });
      const hashing = await waitFor((m) => m.kind === 'snapshot' && m.snapshot.boards[0]?.state === 'hashing');
      expect(hashing.kind === 'snapshot' && hashing.snapshot.boards[0]!.emulated).toBe(true);
      await waitFor((m) => m.kind === 'snapshot' && m.snapshot.totals.validNonces > 0);
      child.send({ kind: 'request', id: 7, command: { type: 'getSnapshot' } });
      const reply = await waitFor((m) => m.kind === 'reply' && m.id === 7);
      expect(reply.kind === 'reply' && reply.ok).toBe(true);
      child.send({ kind: 'request', id: 8, command: { type: 'resetStats', scope: 'allTime' } });
      const refused = await waitFor((m) => m.kind === 'reply' && m.id === 8);
      expect(refused.kind === 'reply' && !refused.ok && refused.error).toMatch(/confirm/);
      child.send({ kind: 'request', id: 9, command: { type: 'no-such-command' } });
      const invalid = await waitFor((m) => m.kind === 'reply' && m.id === 9);
      expect(invalid.kind === 'reply' && invalid.ok).toBe(false);
      expect(messages.some((m) => m.kind === 'event' && m.event.type === 'board')).toBe(true);

      // Settings from the UI: invalid ones are refused with a sentence, valid ones are saved
      // (0600) and the engine restarts mining to the pool.
      child.send({ kind: 'request', id: 10, command: { type: 'setSettings', settings: { pools: [{ url: 'http://nope', user: 'u' }] } } });
      const bad = await waitFor((m) => m.kind === 'reply' && m.id === 10);
      expect(bad.kind === 'reply' && !bad.ok && bad.error).toMatch(/not a pool URL/);
      const pool = new StratumTestServer({ host: '127.0.0.1', difficulty: 0.0002 });
      await pool.start();
      try {
        child.send({
          kind: 'request',
          id: 11,
          command: { type: 'setSettings', settings: { pools: [{ url: `stratum+tcp://127.0.0.1:${pool.port}`, user: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.w1', password: 'secret-pw' }] } },
        });
        const saved = await waitFor((m) => m.kind === 'reply' && m.id === 11);
        expect(saved.kind === 'reply' && saved.ok, saved.kind === 'reply' ? saved.error : '').toBe(true);
        expect(statSync(path.join(dataDir, 'settings.json')).mode & 0o777).toBe(0o600);
        await waitFor((m) => m.kind === 'snapshot' && m.snapshot.mode === 'pool' && m.snapshot.totals.sharesAccepted > 0, 30_000);
        expect(pool.accepted).toBeGreaterThan(0);
      } finally {
        await pool.stop();
      }
      const exited = new Promise<number | null>((r) => child.on('exit', r));
      child.send({ kind: 'shutdown' });
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
  });
  it('AxeOS devices from Settings are saved with the settings, polled at once, and kept when the work source changes', async () => {
    const device = new FakeAxeosDevice();
    await device.start();
    const child = fork(path.join(ROOT, 'src-main/engine/process.ts'), [], { execArgv: ['--import', 'tsx'], cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const messages: EngineMessage[] = [];
    child.on('message', (raw) => messages.push(engineMessageSchema.parse(raw)));
    const waitFor = async (pred: (m: EngineMessage) => boolean, timeoutMs = 20_000): Promise<EngineMessage> => {
      const started = Date.now();
      for (;;) {
        const found = messages.find(pred);
        if (found) return found;
        if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for an engine message');
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const id = `axeos:127.0.0.1:${device.port}`;
    try {
      await waitFor((m) => m.kind === 'ready');
      const dataDir = tempDir();
      child.send({ kind: 'start', dataDir, devices: ['emulator:1'], frequencyMhz: null });
      await waitFor((m) => m.kind === 'snapshot');
      child.send({ kind: 'request', id: 20, command: { type: 'setAxeosDevices', devices: ['https://bitaxe.local'] } });
      const bad = await waitFor((m) => m.kind === 'reply' && m.id === 20);
      expect(bad.kind === 'reply' && !bad.ok && bad.error).toMatch(/plain HTTP/);
      child.send({ kind: 'request', id: 21, command: { type: 'setAxeosDevices', devices: [device.address] } });
      const saved = await waitFor((m) => m.kind === 'reply' && m.id === 21);
      expect(saved.kind === 'reply' && saved.result).toEqual({ devices: [device.address], saved: true });
      expect(JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).axeosDevices).toEqual([device.address]);
      await waitFor((m) => m.kind === 'snapshot' && m.snapshot.axeosDevices.some((d) => d.id === id && d.state === 'online' && d.hostname === 'bitaxe-gamma'));

      // Saving the work source (which does not carry the list) restarts the engine with the devices still watched.
      const before = messages.length;
      child.send({ kind: 'request', id: 22, command: { type: 'setSettings', settings: { pools: [] } } });
      const applied = await waitFor((m) => m.kind === 'reply' && m.id === 22);
      expect(applied.kind === 'reply' && applied.ok).toBe(true);
      expect(JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).axeosDevices).toEqual([device.address]);
      await waitFor((m) => messages.indexOf(m) > before && m.kind === 'snapshot' && m.snapshot.axeosDevices.some((d) => d.id === id && d.state === 'online'));
      const exited = new Promise<number | null>((r) => child.on('exit', r));
      child.send({ kind: 'shutdown' });
      expect(await exited).toBe(0);
    } finally {
      child.kill();
      await device.close();
    }
  });
});
