/**
 * The headless engine's web server (`--http host:port`): the built dashboard, `GET /api/snapshot`,
 * the `/ws` WebSocket speaking the EngineApi process messages, and routes the caller mounts
 * (AxeOS-style JSON, /metrics). Every request and upgrade passes the Host/Origin/token checks in
 * access.ts first (docs/design.md §4).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo, Socket } from 'node:net';
import type { EngineApi } from '@shared/contract';
import { assertBindAllowed, checkAccess, TOKEN_COOKIE, type AccessPolicy } from './access.js';
import { loadStaticFile } from './static-files.js';
import { WebSocketHub } from './websocket-hub.js';
import { findRoute, type ApiRoute } from '../axeos/route.js';
import { ConnectionLimit } from '../connection-limit.js';

export interface HttpRoute {
  method: 'GET' | 'POST';
  path: string;
  handler(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface HttpServerOptions {
  engine: EngineApi;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  token?: string | undefined;
  /** Directory holding the built renderer (index.html + assets/). */
  staticDir: string;
  /** Allow write commands (setSettings, resetStats, stop, runDiagnostics) over the WebSocket. */
  allowWrites?: boolean;
  routes?: HttpRoute[];
  /** Host names (besides the bound host and loopback names) the dashboard may be reached by. */
  allowedHostnames?: string[];
  snapshotIntervalMs?: number;
  log?: (level: 'info' | 'warn', text: string) => void;
  /** Connections held at once (dashboard tabs, scrapers, WebSockets; default 512): connection-limit.ts. */
  maxConnections?: number;
  /** A client must send its request headers within this time (slowloris; default 10 s). */
  headersTimeoutMs?: number;
}

/** Limits of the web server (docs/design.md §4); tests shorten the header timeout. */
export const HTTP_LIMITS = {
  maxConnections: 512,
  /** Dashboard WebSockets at once: they are never dropped for a newcomer, so they get a cap of their own. */
  maxWebSockets: 128,
  headersTimeoutMs: 10_000,
  /** The whole request, body included (none of our routes reads one). */
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  /** Node's default header limit, stated: larger headers get 431. */
  maxHeaderBytes: 16 * 1024,
} as const;

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * 'self' only; styles from our own stylesheet (uPlot and React set styles through the CSSOM,
 * which style-src does not govern); the WebSocket is same-origin but CSP 'self' does not cover
 * ws: in every browser, hence the explicit schemes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  assertBindAllowed(opts.host, opts.token);
  const log = opts.log ?? (() => {});
  const routes = opts.routes ?? [];
  // Port is known only after listen(); the policy object is completed then.
  const policy: AccessPolicy = { boundHost: opts.host, port: opts.port, token: opts.token, allowedHostnames: opts.allowedHostnames };
  let hub: WebSocketHub | null = null;

  const headersTimeoutMs = opts.headersTimeoutMs ?? HTTP_LIMITS.headersTimeoutMs;
  const limit = new ConnectionLimit({ max: opts.maxConnections ?? HTTP_LIMITS.maxConnections, onPressure: (text) => log('warn', text) });
  const server = createServer(
    {
      maxHeaderSize: HTTP_LIMITS.maxHeaderBytes,
      headersTimeout: headersTimeoutMs,
      requestTimeout: Math.max(headersTimeoutMs, HTTP_LIMITS.requestTimeoutMs),
      keepAliveTimeout: HTTP_LIMITS.keepAliveTimeoutMs,
      // How often the header and request timeouts are checked (Node's default, 30 s, would let a
      // slow client hold its socket that much longer).
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
    },
    (req, res) => {
      limit.mark(req.socket, 'busy');
      res.once('finish', () => limit.mark(req.socket, 'idle'));
      handleRequest(req, res).catch((err: unknown) => {
        log('warn', `http ${req.method ?? '?'} failed: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) sendText(res, 500, 'internal error');
        else res.destroy();
      });
    },
  );
  server.on('connection', (socket: Socket) => void limit.admit(socket));

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const url = requestUrl(req);
    if (!url) return sendText(res, 400, 'bad request');
    const verdict = checkAccess(req, url, policy);
    if (!verdict.ok) return sendText(res, verdict.status, verdict.reason);
    const method = req.method ?? 'GET';

    if (verdict.setCookie && opts.token !== undefined) {
      // First load with ?token=: remember it in a cookie the page and /ws then send, and drop it
      // from the address bar so it is not bookmarked or shown.
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(opts.token)}; Path=/; HttpOnly; SameSite=Strict`);
      if (method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
        url.searchParams.delete('token');
        res.writeHead(303, { Location: url.pathname + url.search + url.hash });
        res.end();
        return;
      }
    }

    // Routes may carry :params (e.g. /api/boards/:id/system/info).
    const found = findRoute(routes as ApiRoute[], method, url.pathname);
    if (found) return void (await found.route.handler(req, res));

    if (method === 'GET' && url.pathname === '/api/snapshot') {
      const body = JSON.stringify(opts.engine.snapshot());
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(body);
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') return sendText(res, 405, 'method not allowed');
    if (url.pathname.startsWith('/api/') || url.pathname === '/ws') return sendText(res, 404, 'not found');

    let file = await loadStaticFile(opts.staticDir, url.pathname);
    // Paths without an extension are page addresses; the app routes them itself.
    if (!file && !/\.[a-z0-9]+$/i.test(url.pathname)) file = await loadStaticFile(opts.staticDir, '/');
    if (!file) return sendText(res, 404, 'not found');
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': String(file.body.length),
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(req);
    if (!url || url.pathname !== '/ws' || !hub) return rejectUpgrade(socket, 404, 'not found');
    const verdict = checkAccess(req, url, policy);
    if (!verdict.ok) return rejectUpgrade(socket, verdict.status, verdict.reason);
    if (hub.clientCount >= HTTP_LIMITS.maxWebSockets) return rejectUpgrade(socket, 503, `more than ${HTTP_LIMITS.maxWebSockets} dashboard connections`);
    limit.mark(req.socket, 'busy');
    const h = hub;
    h.wss.handleUpgrade(req, socket, head, (ws) => h.wss.emit('connection', ws, req));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new Error(`cannot listen on ${opts.host}:${opts.port}: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`));
    };
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  policy.port = port;

  let version = 'unknown';
  try {
    version = opts.engine.snapshot().version;
  } catch {
    // The hub reports snapshot failures when clients connect.
  }
  hub = new WebSocketHub({
    engine: opts.engine,
    version,
    allowWrites: opts.allowWrites ?? false,
    snapshotIntervalMs: opts.snapshotIntervalMs ?? 1000,
    nonceEventsPerS: 20,
    log,
  });

  const shownHost = opts.host.includes(':') && !opts.host.startsWith('[') ? `[${opts.host}]` : opts.host;
  const url = `http://${shownHost}:${port}/`;
  log('info', `dashboard at ${url}${opts.token ? ' (API token required)' : ''}`);

  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        hub?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function requestUrl(req: IncomingMessage): URL | null {
  try {
    // The base is a placeholder: only path and query are read from it; Host is checked separately.
    return new URL(req.url ?? '/', 'http://placeholder.invalid');
  } catch {
    return null;
  }
}

function sendText(res: ServerResponse, status: number, text: string): void {
  // A body sent with a refused request is read and dropped by Node (never kept), within the request
  // timeout; closing with unread bytes would reset the connection before the client saw the answer.
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text + '\n');
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  const phrase = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : status === 503 ? 'Service Unavailable' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${phrase}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
}
