/**
 * PTY attachment: a virtual chain behind a pseudo-terminal, so that any host (HashDeck's own engine,
 * or another miner) opens `path` with a real serial stack. Unplug (chain.unplug() or close())
 * tears the PTY down so the host sees the port vanish.
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

export async function runEmulatorPty(opts: EmulatorOptions & { pty?: 'native' | 'socat' | 'auto' } = {}): Promise<EmulatorPty> {
  resolveEmulatorOptions(opts); // bad options fail before a PTY exists
  const pair = await openPtyPair(opts.pty);
  const chain = new VirtualChain(opts);
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let closing: Promise<void> | undefined;

  const close = (): Promise<void> => {
    closing ??= (async () => {
      chain.off('data', toHost);
      await pair.close();
      await chain.close();
      resolveClosed();
    })();
    return closing;
  };
  const toHost = (bytes: Buffer): void => {
    if (pair.stream.destroyed || pair.stream.writableLength > MAX_PENDING_OUTPUT_BYTES) return;
    pair.stream.write(bytes);
  };

  pair.stream.on('data', (chunk: Buffer) => chain.write(chunk));
  pair.stream.on('error', () => void close());
  pair.stream.on('close', () => void close());
  chain.on('data', toHost);
  chain.once('unplug', () => void close());
  return { path: pair.path, chain, kind: pair.kind, closed, close };
}
