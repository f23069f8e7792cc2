/**
 * `hashdeck mine`: resolve devices and the work source, run the engine, print events and the
 * final summary. Also used for benchmark mode (no pool, no node) and idle mode (no board).
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { Engine } from '../engine/engine.js';
import { resolveBoards } from '../engine/device-resolver.js';
import { createWorkSource, workMode, type WorkConfig } from '../engine/work-source-factory.js';
import { defaultDataDir, lockDataDir } from '../engine/data-dir.js';
import { EventBus } from '@shared/bus.js';
import type { MineOptions } from './args.js';
import { UsageError } from './usage-error.js';
import { humanEvent, humanSummary } from './output.js';
import { requestTimeoutFromEnv, startServers, type RunningServers } from './servers.js';
import { loadScheduleOption } from './schedule-option.js';
import { assertDevicePathsExist } from './device-paths.js';
import { watchParentUnderNpm } from './parent-watch.js';

/** Exit code after a second SIGINT/SIGTERM ends the run without waiting: 128 + the signal's number. */
const FORCED_EXIT_CODE: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

export async function runMine(opts: MineOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (opts.node) {
    const { AddressError, parsePayoutAddress } = await import('../work/address.js');
    try {
      parsePayoutAddress(opts.node.payout);
    } catch (err) {
      if (err instanceof AddressError) throw new UsageError(err.message);
      throw err;
    }
    if (opts.node.rpcCookie) {
      try {
        readFileSync(opts.node.rpcCookie, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read the RPC cookie file ${opts.node.rpcCookie}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
  }
  await assertDevicePathsExist(opts.devices);
  // Checked before anything starts: a bad value is bad input, not a failure halfway through.
  const requestTimeoutMs = requestTimeoutFromEnv();
  const schedule = opts.schedule === null ? null : loadScheduleOption(opts.schedule);
  const startedAtMs = Date.now();
  const dataDir = resolvePath(opts.dataDir ?? defaultDataDir());
  const releaseLock = lockDataDir(dataDir);
  const bus = new EventBus();
  const print = (obj: unknown): void => void out.write(`${JSON.stringify(obj)}\n`);
  bus.onAny((e) => {
    if (opts.json) {
      if (e.type !== 'nonce') print(e);
    } else {
      const line = humanEvent(e);
      if (line) out.write(`${line}\n`);
    }
  });

  let engine: Engine | null = null;
  let servers: RunningServers | null = null;
  let finished = false;
  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((r) => (resolveDone = r));
  // The engine's timers do not hold the process (it is embedded in tests and the desktop app); the
  // CLI run lives until a signal or --duration and always ends with the summary: a lost board or
  // an idle source must never let the event loop empty into a silent exit 0.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const finish = async (code: number): Promise<void> => {
    if (finished) return;
    finished = true;
    try {
      await servers?.close();
      await engine?.stop();
    } finally {
      const summary = engine ? engine.summary() : emptySummary(startedAtMs);
      if (opts.json) print(summary);
      else out.write(`${humanSummary(summary)}\n`);
      releaseLock();
      clearInterval(keepAlive);
      resolveDone(code);
    }
  };
  // --duration counts from engine start, init included: the timer runs even if init never finishes.
  const durationTimer = opts.durationS !== null ? setTimeout(() => void finish(0), opts.durationS * 1000) : null;
  // The first signal stops cleanly (boards left safe, shares drained, ledger closed); a second one
  // ends the process at once (the kernel releases the data-directory lock; the ledger is crash-safe).
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (!finished) return void finish(0);
    process.stderr.write(`hashdeck: ${signal} again: exiting without waiting for the clean stop.\n`);
    process.exit(FORCED_EXIT_CODE[signal]);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stopWatchingParent = watchParentUnderNpm((pid) => {
    process.stderr.write(`hashdeck: npm's process ${pid} that started this engine is gone: stopping.\n`);
    void finish(0);
  });

  try {
    const boards = await resolveBoards(opts.devices, bus);
    const work = { ...workConfig(opts), workers: Object.fromEntries(boards.flatMap((b) => (b.worker ? [[b.id, b.worker]] : []))) };
    const source = await createWorkSource(work, bus, dataDir);
    const mode = workMode(work, boards.length);
    if (mode === 'benchmark') bus.log('info', 'engine', 'no pool or node: benchmark mode on synthetic work (every nonce validated, nothing submitted)');
    const integrations = { notify: opts.notify, mqtt: opts.mqtt ? { url: opts.mqtt.url, nodeId: opts.mqtt.nodeId ?? undefined, allowWrites: opts.allowWrites } : null };
    const serveStratum = opts.serveStratum
      ? {
          host: opts.serveStratum.host,
          port: opts.serveStratum.port,
          allow: opts.serveStratum.allow,
          minDifficulty: opts.serveStratum.minDifficulty ?? undefined,
          payToUsername: opts.serveStratum.payToUsername,
        }
      : undefined;
    engine = new Engine({
      boards,
      source,
      mode,
      frequencyMhz: opts.frequencyMhz,
      ticketDifficulty: opts.ticketDifficulty,
      dataDir,
      bus,
      hotplug: opts.devices.some((d) => d.kind === 'auto'),
      axeos: { devices: opts.axeos },
      integrations,
      schedule,
      serveStratum,
    });
    await engine.start();
    servers = await startServers(engine, opts, { requestTimeoutMs });
  } catch (err) {
    if (durationTimer) clearTimeout(durationTimer);
    await finish(err instanceof UsageError ? 2 : 1);
    throw err;
  }
  const code = await done;
  stopWatchingParent();
  if (durationTimer) clearTimeout(durationTimer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return code;
}

function workConfig(opts: MineOptions): WorkConfig {
  return {
    pools: opts.pools.map((p) => ({ url: p.url, user: opts.user!, password: opts.password })),
    suggestDifficulty: opts.suggestDifficulty ?? undefined,
    extranonceSubscribe: opts.extranonceSubscribe,
    tls: opts.tlsInsecure || opts.tlsFingerprint ? { allowSelfSigned: opts.tlsInsecure, fingerprintSha256: opts.tlsFingerprint ?? undefined } : undefined,
    timers: {
      ...(opts.deadPoolS !== null ? { deadPoolMs: opts.deadPoolS * 1000 } : {}),
      ...(opts.primaryProbeS !== null ? { primaryProbeMs: opts.primaryProbeS * 1000 } : {}),
    },
    node: opts.node
      ? { url: opts.node.url, payoutAddress: opts.node.payout, rpcCookie: opts.node.rpcCookie ?? undefined, rpcUser: opts.node.rpcUser ?? undefined, rpcPassword: opts.node.rpcPassword ?? undefined }
      : null,
    ...(opts.coinbaseTag !== null ? { coinbaseTag: opts.coinbaseTag } : {}),
  };
}

function emptySummary(startedAtMs: number) {
  return {
    type: 'summary' as const,
    durationS: (Date.now() - startedAtMs) / 1000,
    nonces: 0,
    validNonces: 0,
    hwErrors: 0,
    sharesAccepted: 0,
    sharesRejected: 0,
    sharesStale: 0,
    blocksFound: 0,
    bestDifficulty: 0,
    bestDifficultyAllTime: 0,
    hashrateHs: 0,
    emulated: false,
    boards: [],
    networkMiners: [],
  };
}
