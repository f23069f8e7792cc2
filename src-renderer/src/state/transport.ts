/**
 * How the renderer reaches the engine. In the Electron window the sandboxed preload exposes
 * `window.hashdeck` (send/onMessage); in a browser the same JSON messages travel over a
 * same-origin WebSocket at /ws that reconnects with back-off. Every incoming message is parsed
 * with engineMessageSchema; anything else is dropped and counted.
 */
import { engineMessageSchema, type ClientMessage, type EngineCommand, type EngineMessage } from '@shared/contract';
import { takeEarlySocket } from './early-socket.js';
import { webSocketUrl } from './socket-url.js';

export { webSocketUrl } from './socket-url.js';

export interface HashdeckBridge {
  send(msg: ClientMessage): void;
  onMessage(cb: (msg: EngineMessage) => void): () => void;
}

declare global {
  interface Window {
    hashdeck?: HashdeckBridge;
  }
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface TransportHandlers {
  onMessage(msg: EngineMessage): void;
  onState(state: ConnectionState, detail?: string): void;
  onInvalid(reason: string): void;
}

export interface Transport {
  readonly kind: 'electron' | 'websocket';
  request(command: EngineCommand, timeoutMs?: number): Promise<unknown>;
  close(): void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Request ids and reply matching shared by both carriers. */
class RequestTracker {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  create(timeoutMs: number): { id: number; promise: Promise<unknown> } {
    const id = this.nextId++;
    const promise = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('the engine did not answer in time'));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
    return { id, promise };
  }

  /** True when the reply belonged to a request. */
  settle(msg: EngineMessage): boolean {
    if (msg.kind !== 'reply') return false;
    const p = this.pending.get(msg.id);
    if (!p) return msg.id >= 0;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.error ?? 'the engine refused the request'));
    return true;
  }

  failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
      this.pending.delete(id);
    }
  }
}

export function parseEngineMessage(raw: unknown): { ok: true; msg: EngineMessage } | { ok: false; reason: string } {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, reason: 'message is not JSON' };
    }
  }
  const parsed = engineMessageSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `unexpected message shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}` };
  }
  return { ok: true, msg: parsed.data };
}

function deliver(raw: unknown, tracker: RequestTracker, h: TransportHandlers): void {
  const r = parseEngineMessage(raw);
  if (!r.ok) return h.onInvalid(r.reason);
  if (!tracker.settle(r.msg)) h.onMessage(r.msg);
}

export function createElectronTransport(bridge: HashdeckBridge, h: TransportHandlers): Transport {
  const tracker = new RequestTracker();
  // The preload already validated shape at its side, but the renderer checks again: the bridge
  // is a trust boundary in both directions.
  const off = bridge.onMessage((m) => deliver(m, tracker, h));
  h.onState('open');
  return {
    kind: 'electron',
    request(command, timeoutMs = 15_000) {
      const { id, promise } = tracker.create(timeoutMs);
      bridge.send({ kind: 'request', id, command });
      return promise;
    },
    close() {
      off();
      tracker.failAll('closed');
    },
  };
}

export function createWebSocketTransport(url: string, h: TransportHandlers): Transport {
  const tracker = new RequestTracker();
  let ws: WebSocket | null = null;
  let closed = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const connect = (): void => {
    if (closed) return;
    h.onState('connecting');
    // The first connection may already be open: the page opened it before the app loaded.
    const early = retryTimer === null ? takeEarlySocket(url) : null;
    const sock = early?.socket ?? new WebSocket(url);
    ws = sock;
    const onMessage = (data: unknown): void => {
      if (typeof data !== 'string') return h.onInvalid('binary message');
      deliver(data, tracker, h);
    };
    sock.onopen = () => {
      attempt = 0;
      h.onState('open');
    };
    sock.onmessage = (ev: MessageEvent) => onMessage(ev.data);
    if (early) {
      if (sock.readyState === WebSocket.OPEN) sock.onopen(new Event('open'));
      for (const data of early.backlog) onMessage(data);
    }
    sock.onclose = (ev: CloseEvent) => {
      if (ws !== sock) return;
      ws = null;
      tracker.failAll('connection to the engine lost');
      if (closed) return;
      // 1 s, 2 s, 4 s … capped at 15 s: a restarting engine is picked up quickly without
      // hammering a machine that is gone.
      const delayMs = Math.min(15_000, 1000 * 2 ** Math.min(attempt, 4));
      attempt++;
      h.onState('closed', ev.code === 1006 ? `reconnecting in ${Math.round(delayMs / 1000)} s` : `closed (${ev.code}); reconnecting`);
      retryTimer = setTimeout(connect, delayMs);
    };
  };
  connect();

  return {
    kind: 'websocket',
    request(command, timeoutMs = 15_000) {
      if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected to the engine'));
      const { id, promise } = tracker.create(timeoutMs);
      ws.send(JSON.stringify({ kind: 'request', id, command } satisfies ClientMessage));
      return promise;
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      ws?.close();
      tracker.failAll('closed');
    },
  };
}

export function createTransport(h: TransportHandlers): Transport {
  if (typeof window !== 'undefined' && window.hashdeck) return createElectronTransport(window.hashdeck, h);
  return createWebSocketTransport(webSocketUrl(window.location), h);
}
