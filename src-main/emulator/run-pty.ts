/**
 * PTY attachment: a virtual chain behind a pseudo-terminal, so that any host (HashDeck's own engine,
 * or another miner) opens `path` with a real serial stack. Unplug (chain.unplug() or close())
 * tears the PTY down so the host sees the port vanish; so does a chain that stops hashing.
 */
import { VirtualChain } from './chain.js';
import type { EmulatorOptions } from './options.js';
import { resolveEmulatorOptions } from './options.js';
import { openPtyPair, type PtyPair } from './pty-pair.js';

export interface EmulatorPty {
  path: string;
  chain: VirtualChain;
  kind: PtyPair['kind'];
  /** Resolves once the PTY is gone (close(), unplug, or the pair failed). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Bytes allowed to wait for a host that is not reading; beyond this, chip output is lost (as on a UART). */
const MAX_PENDING_OUTPUT_BYTES = 64 * 1024;

/**
 * Quiet time before the PTY is torn down. A host using @serialport/bindings-cpp only notices the
 * hang-up while it waits in poll(); a read already in flight at that moment gets 0 bytes and is
 * retried forever. Letting the line go quiet first puts the host back in poll().
 */
const QUIET_BEFORE_CLOSE_MS = 60;

export async function runEmulatorPty(opts: EmulatorOptions & { pty?: 'native' | 'socat' | 'auto' } = {}): Promise<EmulatorPty> {
  resolveEmulatorOptions(opts); // bad options fail before a PTY exists
  const chain = new VirtualChain(opts);
  try {
    await chain.hashingReady;
  } catch (err) {
    await chain.close();
    throw new Error(`the emulated board cannot hash: ${(err as Error).message}`);
  }
  const pair = await openPtyPair(opts.pty).catch(async (err: unknown) => {
    await chain.close();
    throw err;
  });
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let closing: Promise<void> | undefined;

  let lastTrafficMs = Date.now();
  const close = (): Promise<void> => {
    closing ??= (async () => {
      chain.off('data', toHost);
      while (!pair.stream.destroyed && (pair.stream.writableLength > 0 || Date.now() - lastTrafficMs < QUIET_BEFORE_CLOSE_MS)) {
        await new Promise((r) => setTimeout(r, QUIET_BEFORE_CLOSE_MS / 3));
        if (pair.stream.writableLength > 0 && Date.now() - lastTrafficMs > 1000) break; // nobody is reading
      }
      await pair.close();
      await chain.close();
      resolveClosed();
    })();
    return closing;
  };
  const toHost = (bytes: Buffer): void => {
    if (pair.stream.destroyed || pair.stream.writableLength > MAX_PENDING_OUTPUT_BYTES) return;
    lastTrafficMs = Date.now();
    pair.stream.write(bytes);
  };

  pair.stream.on('data', (chunk: Buffer) => {
    lastTrafficMs = Date.now();
    chain.write(chunk);
  });
  pair.stream.on('error', () => void close());
  pair.stream.on('close', () => void close());
  chain.on('data', toHost);
  chain.once('unplug', () => void close());
  // A chain that stops hashing takes its PTY down (the host sees the board go); chain.fault says why.
  chain.once('error', () => void close());
  return { path: pair.path, chain, kind: pair.kind, closed, close };
}
