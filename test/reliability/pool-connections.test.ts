/**
 * Area 3 of issue 17, at the connection level: pools that close right after the work (reconnect
 * storm), close after every message, accept and never answer, refuse the worker, send a
 * malformed subscribe result (extranonce2_size 1000 or negative, extranonce1 not hex), or ask the
 * miner to reconnect to another host. Each engine is the built CLI with `--device auto` (no board
 * needed: the pool is under test) and they run side by side. Reconnects must back off exponentially
 * with jitter and a cap, and the rate is shown; a host outside the pool's domain is never dialled.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { launchEngine, type EngineRun } from './helpers/engine.js';
import { answerHandshake, ScriptedPool, Trap } from './helpers/hostile-pool.js';

const USER = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.rel';
const figures: Record<string, unknown> = {};

const stoppers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const s of stoppers) await s();
  console.log(`[reliability/pool-connections] ${JSON.stringify(figures)}`);
});

async function scripted(script: ConstructorParameters<typeof ScriptedPool>[0], host = '127.0.0.1'): Promise<ScriptedPool> {
  const p = await new ScriptedPool(script, host).start();
  stoppers.push(() => p.stop());
  return p;
}

function mineOn(url: string, extra: string[] = []): EngineRun {
  const e = launchEngine(['--device', 'auto', '--pool', url, '--user', USER, ...extra]);
  stoppers.push(async () => {
    if (e.alive) await e.stop();
  });
  return e;
}

const gaps = (at: number[]): number[] => at.slice(1).map((t, i) => t - at[i]!);

/** The engine is still up, then stops cleanly with its summary. */
async function endsCleanly(e: EngineRun): Promise<void> {
  expect(e.alive, e.tail()).toBe(true);
  const exit = await e.stop();
  expect(exit.code, e.tail()).toBe(0);
  expect(e.summary()?.type).toBe('summary');
  expect(e.stderr).toBe('');
}

describe('pools that misbehave at the connection level', () => {
  it('storm, hang-ups, silence, refusal, garbage subscribe and a foreign reconnect: back-off, one line each, nothing dialled elsewhere', async () => {
    // 1. Closes right after subscribe/authorize/notify, every time (the reconnect storm).
    const storm = await scripted((c) => answerHandshake(c, { then: () => setTimeout(() => c.close(), 20) }));
    // 2. Closes after every message it receives.
    const hangUp = await scripted((c) => c.onLine(() => c.close()));
    // 3. Accepts and never answers.
    const silent = await scripted(() => {});
    // 4. Refuses the worker.
    const refusing = await scripted((c) => answerHandshake(c, { authorize: false }));
    // 5. A malformed subscribe result on each of the first three connections, then a proper one with extranonce2_size 0.
    const badSubscribes: unknown[] = [
      [[['mining.notify', 'x']], 'aabbccdd', 1000],
      [[['mining.notify', 'x']], 'aabbccdd', -1],
      [[['mining.notify', 'x']], 'not-hex!', 4],
    ];
    const garbled = await scripted((c) => answerHandshake(c, { subscribeResult: badSubscribes[c.id - 1] ?? [[['mining.notify', 'x']], 'aabbccdd', 0] }));
    // 6. Asks to reconnect to another host (127.1.0.1 shares the last two numbers of 127.0.0.1: the old
    // "same domain" rule followed it), then, on the next session, to another port of the same host.
    const trap = new Trap('127.1.0.1');
    const trapPort = await trap.start();
    stoppers.push(() => trap.stop());
    const target = await scripted((c) => answerHandshake(c));
    const redirecting = await scripted((c) =>
      answerHandshake(c, {
        then: () => setTimeout(() => c.notify('client.reconnect', c.id === 1 ? ['127.1.0.1', trapPort, 0] : ['127.0.0.1', target.port, 0]), 200),
      }),
    );

    const engines = {
      storm: mineOn(storm.url),
      hangUp: mineOn(hangUp.url),
      // A pool silent for --dead-pool-timeout (4 s here) is dead, a new connection included.
      silent: mineOn(silent.url, ['--dead-pool-timeout', '4']),
      refusing: mineOn(refusing.url),
      garbled: mineOn(garbled.url),
      redirecting: mineOn(redirecting.url),
    };
    // Each pool is watched until it has shown what it must (however slowly the engines start).
    await Promise.all([
      engines.storm.until(() => (storm.connectedAtMs.length >= 4 ? true : null), 'four connections to the storming pool', 60_000),
      engines.hangUp.until(() => (hangUp.connectedAtMs.length >= 3 ? true : null), 'three connections to the pool that hangs up', 60_000),
      engines.silent.until(() => (silent.connectedAtMs.length >= 2 ? true : null), 'the silent pool dialled again', 60_000),
      engines.refusing.until(() => (refusing.connectedAtMs.length >= 3 ? true : null), 'three connections to the refusing pool', 60_000),
      engines.garbled.waitFor((l) => l.type === 'pool' && l.state === 'active' && /extranonce2 0 bytes/.test(l.detail), 'the fourth session active', 60_000),
      engines.redirecting.until(() => (target.connectedAtMs.length >= 1 ? true : null), 'the redirect to another port followed', 60_000),
    ]);

    /** The retry delays an engine announced, in seconds; each doubles (±20 % jitter) up to the 60 s cap. */
    const expectBackoff = (e: EngineRun, connections: number[]): number[] => {
      const announced = e.lines.filter((l) => l.type === 'pool' && l.state === 'backoff').map((l) => Number(/retry in ([\d.]+) s/.exec(String(l.detail))![1]));
      expect(announced.length).toBeGreaterThanOrEqual(connections.length - 1);
      announced.forEach((d, i) => {
        expect(d).toBeGreaterThanOrEqual(0.8 * 2 ** i - 0.05);
        expect(d).toBeLessThanOrEqual(Math.min(60, 1.2 * 2 ** i) + 0.05);
      });
      // A connection never came sooner than announced (the old engine redialled every second).
      gaps(connections).forEach((g, i) => expect(g).toBeGreaterThanOrEqual(announced[i]! * 1000 - 50));
      return announced;
    };

    // 1. Storm: 1, 2, 4 s (±20 %) between the connections instead of one a second, and the rate shown.
    figures.storm = { gapsMs: gaps(storm.connectedAtMs).map(Math.round), announcedS: expectBackoff(engines.storm, storm.connectedAtMs.slice(0, 4)) };
    const backoffs = engines.storm.lines.filter((l) => l.type === 'pool' && l.state === 'backoff');
    expect(backoffs.at(-1)?.detail).toMatch(/retry in \d+\.\d s \(\d+ connections in the last hour\)/);

    // 2. Hang-ups: the same back-off, one line per lost session (closed by the pool, or reset while
    // the opening requests were still being written).
    figures.hangUp = { announcedS: expectBackoff(engines.hangUp, hangUp.connectedAtMs.slice(0, 3)) };
    const hangUpLines = engines.hangUp.logs(/: disconnected \((connection closed by pool|socket error: .+)\)$/);
    expect(hangUpLines.length).toBeGreaterThanOrEqual(2);
    expect(hangUpLines.length).toBeLessThanOrEqual(hangUp.connectedAtMs.length);

    // 3. Silence: dropped after the dead-pool time, said once per attempt, redialled after the back-off.
    figures.silent = { redialAfterMs: Math.round(gaps(silent.connectedAtMs)[0]!) };
    expect(gaps(silent.connectedAtMs)[0]!).toBeGreaterThanOrEqual(4000);
    expect(engines.silent.logs(/no work within 4000 ms of connecting/).length).toBeGreaterThanOrEqual(1);
    expect(engines.silent.logs(/no work within/).length).toBeLessThanOrEqual(silent.connectedAtMs.length);

    // 4. Refusal: one clear error per attempt, naming the worker and the pool's reason; backed off.
    const refusals = engines.refusing.logs(/refused worker ".*": Unauthorized worker/);
    figures.refusing = { announcedS: expectBackoff(engines.refusing, refusing.connectedAtMs.slice(0, 3)) };
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals.length).toBeLessThanOrEqual(refusing.connectedAtMs.length);
    expect(refusals.every((l) => l.level === 'error')).toBe(true);

    // 5. Garbage subscribe results: each refused in one line, then mining on extranonce2_size 0.
    expect(engines.garbled.logs(/subscribe failed: malformed subscribe result/)).toHaveLength(3);

    // 6. The foreign host was refused and never dialled; the same-host port change was followed.
    expect(trap.hits).toEqual([]);
    expect(engines.redirecting.logs(/refused a reconnect to 127\.1\.0\.1:\d+, outside the pool's domain/)).toHaveLength(1);
    expect(redirecting.connectedAtMs.length).toBeGreaterThanOrEqual(2);

    for (const e of Object.values(engines)) await endsCleanly(e);
  }, 90_000);
});
