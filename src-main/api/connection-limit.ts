/**
 * A cap on the connections a listener holds (docs/design.md §8) that an attacker cannot use to shut
 * honest clients out. At the cap, a new connection takes the place of the oldest one that is not
 * doing anything useful: first a connection that has not finished sending a request (a slowloris
 * socket, a client that connected and said nothing), then an idle keep-alive one. Connections busy
 * with a request, and long-lived ones such as WebSockets, are never dropped for a newcomer; only
 * when every held connection is busy is the newcomer refused. Memory and descriptors stay bounded
 * by the cap, and a request that arrives during a flood of slow sockets is still answered at once.
 */
import type { Socket } from 'node:net';

export type ConnectionState = 'waiting' | 'idle' | 'busy';

export interface ConnectionLimitOptions {
  max: number;
  /** Said at most once a minute: how many connections were dropped or refused since the last time. */
  onPressure?: (text: string) => void;
  nowMs?: () => number;
}

interface Held {
  state: ConnectionState;
  sinceMs: number;
}

export class ConnectionLimit {
  private readonly held = new Map<Socket, Held>();
  private dropped = 0;
  private refused = 0;
  private lastSaidMs = -Infinity;
  private readonly nowMs: () => number;

  constructor(private readonly options: ConnectionLimitOptions) {
    if (!(options.max >= 1)) throw new Error('the connection limit must be at least 1');
    this.nowMs = options.nowMs ?? Date.now;
  }

  get size(): number {
    return this.held.size;
  }

  /** A new connection: admitted (perhaps in place of an older, useless one) or destroyed. */
  admit(socket: Socket): boolean {
    if (this.held.size >= this.options.max) {
      const victim = this.oldest('waiting') ?? this.oldest('idle');
      if (!victim) {
        this.refused++;
        this.report();
        socket.destroy();
        return false;
      }
      this.held.delete(victim);
      victim.destroy();
      this.dropped++;
      this.report();
    }
    this.held.set(socket, { state: 'waiting', sinceMs: this.nowMs() });
    socket.once('close', () => this.held.delete(socket));
    return true;
  }

  /** A request is being served (busy), was answered on a kept-alive connection (idle), or the connection became long-lived (busy). */
  mark(socket: Socket, state: ConnectionState): void {
    const h = this.held.get(socket);
    if (h && h.state !== state) {
      h.state = state;
      h.sinceMs = this.nowMs();
    }
  }

  private oldest(state: ConnectionState): Socket | null {
    // Insertion order is connection order; a state change keeps the position, close enough for
    // picking a victim (the oldest connections are the ones that have waited longest anyway).
    for (const [socket, h] of this.held) if (h.state === state) return socket;
    return null;
  }

  private report(): void {
    const now = this.nowMs();
    if (now - this.lastSaidMs < 60_000) return;
    this.lastSaidMs = now;
    const parts = [this.dropped ? `dropped ${this.dropped} connection(s) that sent no request` : '', this.refused ? `refused ${this.refused} new one(s) (all busy)` : ''].filter(Boolean);
    this.options.onPressure?.(`connection limit (${this.options.max}) reached: ${parts.join(', ')}`);
    this.dropped = 0;
    this.refused = 0;
  }
}
