/**
 * bitcoind JSON-RPC 1.0 client over HTTP POST with Basic auth (docs/stratum-and-gbt.md §3.1).
 * - Positional params only (bcoin accepts nothing else).
 * - A fresh connection per call (agent: false): Core closes idle keep-alive sockets after ~30 s
 *   and a reused dead socket fails with "socket hang up" (§3.1 HTTP pitfalls).
 * - No short timeouts: templates can be several MB; longpoll calls wait as long as they must.
 * - Cookie auth: the file is re-read after a 401, since bitcoind rewrites it on every start.
 * Credentials never appear in errors or logs.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NodeChain } from '../address.js';

export type RpcFailureKind =
  /** Could not reach the node or the connection broke: retry later. */
  | 'transport'
  /** HTTP 401/403. */
  | 'auth'
  /** The node answered with a JSON-RPC error object. */
  | 'rpc'
  /** The node answered with something that is not JSON-RPC. */
  | 'protocol'
  /** Bad configuration (unreadable cookie, malformed URL). */
  | 'config'
  | 'aborted';

export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly kind: RpcFailureKind,
    message: string,
    /** JSON-RPC error code when kind === 'rpc'. */
    readonly code: number | null = null,
  ) {
    super(message);
  }
  /** Worth retrying the same call later (node down, restarting, warming up, syncing). */
  get retryable(): boolean {
    if (this.kind === 'transport' || this.kind === 'auth') return true;
    // -28 warming up, -9 not connected, -10 initial block download.
    return this.kind === 'rpc' && (this.code === -28 || this.code === -9 || this.code === -10);
  }
}

export interface RpcClientOptions {
  /** http(s)://host:port[/path]; user:password in the URL is accepted as credentials. */
  url: string;
  cookieFile?: string;
  rpcUser?: string;
  rpcPassword?: string;
  /** Socket inactivity limit for ordinary calls (default 5 min: big templates on slow nodes). */
  callTimeoutMs?: number;
}

export interface CallOptions {
  /** 0 = no inactivity limit (longpoll). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Default RPC port → chain (§3.1), used to pick the cookie to try first. */
const PORT_CHAIN: Record<string, NodeChain> = { '8332': 'main', '18332': 'test', '48332': 'testnet4', '38332': 'signet', '18443': 'regtest' };
const CHAIN_SUBDIR: Record<NodeChain, string> = { main: '', test: 'testnet3', testnet4: 'testnet4', signet: 'signet', regtest: 'regtest' };

/** Default data directory of Bitcoin Core per platform (§3.1). Windows: LOCALAPPDATA first (recent Core). */
export function defaultDataDirs(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string[] {
  if (platform === 'win32') {
    return [env.LOCALAPPDATA, env.APPDATA].filter((d): d is string => !!d).map((d) => path.win32.join(d, 'Bitcoin'));
  }
  if (platform === 'darwin') return [path.posix.join(home, 'Library', 'Application Support', 'Bitcoin')];
  return [path.posix.join(home, '.bitcoin')];
}

/** Candidate cookie paths, most likely first (chain guessed from the URL's port, then every chain). */
export function cookieCandidates(url: string, dataDirs: string[] = defaultDataDirs(), platform: NodeJS.Platform = process.platform): string[] {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  let port = '';
  try {
    port = new URL(url).port || '';
  } catch {
    /* malformed URLs are reported by the client */
  }
  const guessed = PORT_CHAIN[port];
  const chains: NodeChain[] = guessed ? [guessed, ...(['main', 'test', 'testnet4', 'signet', 'regtest'] as const).filter((c) => c !== guessed)] : ['main', 'test', 'testnet4', 'signet', 'regtest'];
  const out: string[] = [];
  for (const dir of dataDirs) for (const c of chains) out.push(CHAIN_SUBDIR[c] ? join(dir, CHAIN_SUBDIR[c], '.cookie') : join(dir, '.cookie'));
  return out;
}

/** Read `__cookie__:<hex>` (split at the first colon). */
export function readCookieFile(file: string): { user: string; password: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RpcError('config', `Cannot read the RPC cookie file ${file}${code === 'ENOENT' ? ' (it does not exist; is bitcoind running?)' : code === 'EACCES' ? ' (permission denied)' : ''}.`);
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  const colon = line.indexOf(':');
  if (colon <= 0 || colon === line.length - 1) throw new RpcError('config', `The RPC cookie file ${file} is not in user:password form.`);
  return { user: line.slice(0, colon), password: line.slice(colon + 1) };
}

/** The URL without credentials, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(malformed URL)';
  }
}

export class RpcClient {
  readonly displayUrl: string;
  private readonly target: URL;
  private readonly cookieFile: string | null;
  private readonly callTimeoutMs: number;
  private auth: string | null = null;
  private nextId = 1;
  /** Where credentials came from (for messages, never the secret itself). */
  readonly authSource: 'cookie' | 'password' | 'url' | 'none';

  constructor(private readonly o: RpcClientOptions) {
    let u: URL;
    try {
      u = new URL(o.url);
    } catch {
      throw new RpcError('config', `The node URL "${o.url}" is not a valid URL (expected http://host:port).`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new RpcError('config', `The node URL must start with http:// or https://, got "${u.protocol}".`);
    this.target = u;
    this.displayUrl = redactUrl(o.url);
    this.callTimeoutMs = o.callTimeoutMs ?? 300_000;
    if (o.cookieFile) {
      this.cookieFile = o.cookieFile;
      this.authSource = 'cookie';
    } else if (o.rpcUser !== undefined || o.rpcPassword !== undefined) {
      this.cookieFile = null;
      this.auth = basic(o.rpcUser ?? '', o.rpcPassword ?? '');
      this.authSource = 'password';
    } else if (u.username || u.password) {
      this.cookieFile = null;
      this.auth = basic(decodeURIComponent(u.username), decodeURIComponent(u.password));
      this.authSource = 'url';
    } else {
      this.cookieFile = null;
      this.authSource = 'none';
    }
  }

  /** Read the cookie now (so a bad --rpc-cookie is reported at start-up). */
  loadCredentials(): void {
    if (this.cookieFile) {
      const c = readCookieFile(this.cookieFile);
      this.auth = basic(c.user, c.password);
    }
  }

  async call<T = unknown>(method: string, params: unknown[] = [], opts: CallOptions = {}): Promise<T> {
    if (this.cookieFile && !this.auth) this.loadCredentials();
    try {
      return await this.once<T>(method, params, opts);
    } catch (err) {
      if (err instanceof RpcError && err.kind === 'auth' && this.cookieFile) {
        // bitcoind writes a new cookie on each start: re-read and try once more.
        this.loadCredentials();
        return await this.once<T>(method, params, opts);
      }
      throw err;
    }
  }

  private once<T>(method: string, params: unknown[], opts: CallOptions): Promise<T> {
    const body = JSON.stringify({ jsonrpc: '1.0', id: this.nextId++, method, params });
    const timeoutMs = opts.timeoutMs ?? this.callTimeoutMs;
    const lib = this.target.protocol === 'https:' ? https : http;
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (this.auth) headers.authorization = this.auth;
    return new Promise<T>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new RpcError('aborted', `${method} was cancelled.`));
      let settled = false;
      const done = (fn: () => void) => {
        if (settled) return;
        settled = true;
        opts.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const req = lib.request(
        {
          protocol: this.target.protocol,
          hostname: this.target.hostname.replace(/^\[|\]$/g, ''),
          port: this.target.port || (this.target.protocol === 'https:' ? 443 : 80),
          path: this.target.pathname || '/',
          method: 'POST',
          agent: false,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => done(() => reject(this.transportError(method, e))));
          res.on('end', () => done(() => this.finish<T>(method, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), resolve, reject)));
        },
      );
      const onAbort = () => {
        done(() => reject(new RpcError('aborted', `${method} was cancelled.`)));
        req.destroy();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => {
          done(() => reject(new RpcError('transport', `The node at ${this.displayUrl} did not answer ${method} within ${Math.round(timeoutMs / 1000)} s.`)));
          req.destroy();
        });
      }
      req.on('error', (e) => done(() => reject(this.transportError(method, e))));
      req.end(body);
    });
  }

  private finish<T>(method: string, status: number, text: string, resolve: (v: T) => void, reject: (e: Error) => void): void {
    if (status === 401) {
      const how =
        this.authSource === 'cookie'
          ? `the cookie in ${this.cookieFile} (is it this node's cookie?)`
          : this.authSource === 'none'
            ? 'no credentials (give --rpc-cookie or --rpc-user/--rpc-password)'
            : 'the RPC user name and password';
      return reject(new RpcError('auth', `The node at ${this.displayUrl} refused ${how} (HTTP 401).`));
    }
    if (status === 403) return reject(new RpcError('auth', `The node at ${this.displayUrl} forbids this client (HTTP 403; check rpcallowip).`));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return reject(new RpcError(status >= 500 || status === 0 ? 'transport' : 'protocol', `The node at ${this.displayUrl} answered ${method} with HTTP ${status} and no JSON-RPC body.`));
    }
    const obj = parsed as { result?: unknown; error?: { code?: unknown; message?: unknown } | null };
    if (obj && typeof obj === 'object' && obj.error) {
      const code = typeof obj.error.code === 'number' ? obj.error.code : null;
      const msg = typeof obj.error.message === 'string' ? obj.error.message : 'unknown error';
      return reject(new RpcError('rpc', explainRpcError(method, code, msg), code));
    }
    if (!obj || typeof obj !== 'object' || !('result' in obj)) {
      return reject(new RpcError('protocol', `The node at ${this.displayUrl} answered ${method} without a JSON-RPC result.`));
    }
    resolve(obj.result as T);
  }

  private transportError(method: string, e: Error): RpcError {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') return new RpcError('transport', `Cannot connect to the node at ${this.displayUrl} (connection refused; is bitcoind running with server=1 on that port?).`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new RpcError('transport', `Cannot resolve the node host in ${this.displayUrl}.`);
    if (code === 'ECONNRESET' || e.message === 'socket hang up') return new RpcError('transport', `The node at ${this.displayUrl} closed the connection during ${method}.`);
    return new RpcError('transport', `RPC ${method} to ${this.displayUrl} failed: ${code ?? e.message}.`);
  }
}

function basic(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}

/** One sentence for the JSON-RPC errors a miner meets (§3.2). */
export function explainRpcError(method: string, code: number | null, message: string): string {
  switch (code) {
    case -10:
      return `The node is still in initial block download; mining starts when it has synced (${message}).`;
    case -9:
      return `The node has no peers, so its templates could be stale; mining waits until it connects (${message}).`;
    case -28:
      return `The node is still starting up (${message}).`;
    case -32601:
      return `The node does not support ${method} (${message}).`;
    default:
      return `The node rejected ${method}: ${message}${code !== null ? ` (code ${code})` : ''}.`;
  }
}
