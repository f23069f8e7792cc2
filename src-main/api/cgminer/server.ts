/**
 * cgminer-compatible RPC API over raw TCP (default port 4028; docs/features.md §(e)1). One request
 * per connection: the client sends a JSON or plain-text request, we reply in the same form with a
 * trailing NUL and close. Read-only unless `writable`.
 *
 * Access (docs/design.md §4): binding anything but loopback needs an API token or an allow
 * list. Loopback peers may read; other peers need an allow-list entry (R: or W:) or the token in
 * the JSON request (`"token":"…"`). Privileged commands need `writable` and a W: entry, the token,
 * or (with no allow list given) a loopback peer. A peer that is neither listed nor able to
 * present a token (no token configured) is disconnected without a reply, as cgminer does.
 */
import net from 'node:net';
import type { EngineApi } from '@shared/contract';
import { ConnectionLimit } from '../connection-limit.js';
import { isLoopbackHost } from '../http/access.js';
import { peerAccess, tokenAccess, type Access, type AccessRules } from './access.js';
import { parseAllowList, type AllowEntry } from './allow-list.js';
import { answer } from './commands.js';
import { isCompleteRequest } from './request.js';

export interface CgminerApiOptions {
  engine: EngineApi;
  host?: string;
  port?: number;
  token?: string | undefined;
  /** cgminer-style allow list entries, e.g. ["W:192.168.1.10", "R:192.168.1.0/24"]. */
  allow?: readonly string[] | undefined;
  writable?: boolean;
  /** Idle limit for a connection that never completes its request (default 5 s). */
  requestTimeoutMs?: number;
  /** Connections held at once (default 256; connection-limit.ts: the oldest that sent no request makes room). */
  maxConnections?: number;
  log?: (level: 'info' | 'warn', text: string) => void;
}

export interface CgminerApiHandle {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Limits of the cgminer API (docs/design.md §4). Larger requests are not cgminer requests: the connection is cut. */
export const CGMINER_LIMITS = { maxRequestBytes: 64 * 1024, requestTimeoutMs: 5_000, maxConnections: 256 } as const;

export function assertCgminerBindAllowed(host: string, token: string | undefined, allow: readonly AllowEntry[]): void {
  if (!isLoopbackHost(host) && !token && allow.length === 0) {
    throw new Error(`cgminer API: refusing to listen on ${host} without --api-token or an allow list (only loopback addresses may be served without one)`);
  }
}

export async function startCgminerApi(options: CgminerApiOptions): Promise<CgminerApiHandle> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 4028;
  const token = options.token === '' ? undefined : options.token;
  const writable = options.writable ?? false;
  const timeoutMs = options.requestTimeoutMs ?? CGMINER_LIMITS.requestTimeoutMs;
  const log = options.log ?? (() => {});
  const allow = parseAllowList(options.allow ?? []);
  assertCgminerBindAllowed(host, token, allow);
  const engine = options.engine;

  const rules: AccessRules = { allow, writable, token };
  const tokenGrants = (presented: string | null): Access | null => tokenAccess(rules, presented);

  const sockets = new Set<net.Socket>();
  const limit = new ConnectionLimit({ max: options.maxConnections ?? CGMINER_LIMITS.maxConnections, onPressure: (text) => log('warn', text) });
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    if (!limit.admit(socket)) return;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const access = peerAccess(rules, socket.remoteAddress ?? '');
    if (access === null && token === undefined) {
      socket.destroy();
      return;
    }
    const denied: Access = { read: false, privileged: false };
    let buffer = '';
    let done = false;
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    const respond = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      limit.mark(socket, 'busy');
      answer(buffer, engine, access ?? denied, tokenGrants)
        .then((text) => {
          if (!socket.destroyed) socket.end(`${text}\0`);
        })
        .catch(() => socket.destroy());
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      if (done) return;
      buffer += chunk;
      if (buffer.length > CGMINER_LIMITS.maxRequestBytes) {
        done = true;
        clearTimeout(timer);
        socket.destroy();
        return;
      }
      if (isCompleteRequest(buffer)) respond();
    });
    socket.on('end', () => {
      if (done) return;
      if (buffer.trim() === '') {
        done = true;
        clearTimeout(timer);
        socket.end();
        return;
      }
      respond();
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(`cgminer API: cannot listen on ${host}:${port}: ${err.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = server.address();
  const boundPort = typeof bound === 'object' && bound !== null ? bound.port : port;

  return {
    host,
    port: boundPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
