/**
 * Clients that attack a listener from outside: raw HTTP requests with any headers (two Host
 * headers, forged Origins, huge headers), slowloris sockets that dribble an unfinished request
 * and idle sockets that send nothing. Everything on 127.0.0.1.
 */
import net from 'node:net';

export interface RawResponse {
  status: number;
  head: string;
  body: string;
  /** Time from the first byte written to the full response. */
  elapsedMs: number;
}

/** One raw HTTP/1.1 request; `head` is everything before the blank line (request line and headers). Resolves once the whole answer is in (or the server closed). */
export function rawHttp(port: number, head: string, body = '', timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const startedAt = performance.now();
    let data = '';
    let settled = false;
    const timer = setTimeout(() => {
      socket.destroy();
      if (!settled) reject(new Error(`no answer within ${timeoutMs} ms to ${head.split('\r\n')[0]}`));
      settled = true;
    }, timeoutMs);
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const split = data.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      const responseHead = split >= 0 ? data.slice(0, split) : data;
      const raw = split >= 0 ? data.slice(split + 4) : '';
      resolve({ status, head: responseHead, body: /^transfer-encoding:\s*chunked/im.test(responseHead) ? dechunk(raw) : raw, elapsedMs: performance.now() - startedAt });
    };
    socket.on('connect', () => {
      socket.write(`${head}\r\n\r\n`);
      if (body) socket.write(body);
    });
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      data += d;
      // A complete answer on a connection the server keeps open: Content-Length reached, or the last chunk.
      const split = data.indexOf('\r\n\r\n');
      if (split < 0) return;
      const responseHead = data.slice(0, split);
      const length = /^content-length:\s*(\d+)/im.exec(responseHead);
      if (length && data.length - split - 4 >= Number(length[1])) finish();
      else if (/^transfer-encoding:\s*chunked/im.test(responseHead) && data.endsWith('\r\n0\r\n\r\n')) finish();
    });
    socket.on('error', () => {});
    socket.on('close', finish);
  });
}

/** The body of a chunked response (the chunks' sizes and separators removed). */
function dechunk(raw: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) return out;
    const size = parseInt(raw.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** GET with the given headers (Host defaults to 127.0.0.1:port); the connection is closed after the answer. */
export function httpGet(port: number, path: string, headers: Record<string, string | string[]> = {}, method = 'GET'): Promise<RawResponse> {
  const all: Array<[string, string]> = [];
  const merged: Record<string, string | string[]> = { Host: `127.0.0.1:${port}`, ...headers, Connection: 'close' };
  for (const [k, v] of Object.entries(merged)) for (const one of Array.isArray(v) ? v : [v]) all.push([k, one]);
  return rawHttp(port, [`${method} ${path} HTTP/1.1`, ...all.map(([k, v]) => `${k}: ${v}`)].join('\r\n'));
}

/** Sockets that open and send part of a request, one more byte every `dripMs`, never the blank line. */
export class Slowloris {
  readonly sockets: net.Socket[] = [];
  /** When each socket was closed by the server (ms after open), or null while it is open. */
  readonly closedAfterMs: Array<number | null> = [];
  private readonly timers: NodeJS.Timeout[] = [];

  static async open(port: number, count: number, dripMs: number): Promise<Slowloris> {
    const s = new Slowloris();
    await Promise.all(Array.from({ length: count }, (_, i) => s.openOne(port, i, dripMs)));
    return s;
  }

  get openCount(): number {
    return this.closedAfterMs.filter((c) => c === null).length;
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    for (const s of this.sockets) s.destroy();
  }

  private openOne(port: number, index: number, dripMs: number): Promise<void> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      const openedAt = performance.now();
      this.sockets[index] = socket;
      this.closedAfterMs[index] = null;
      // Read (and drop) what the server says, so that its close is seen.
      socket.resume();
      socket.on('error', () => {});
      socket.on('close', () => {
        this.closedAfterMs[index] = performance.now() - openedAt;
        resolve();
      });
      socket.on('connect', () => {
        socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
        const t = setInterval(() => {
          if (!socket.destroyed) socket.write('a');
        }, dripMs);
        this.timers.push(t);
        resolve();
      });
    });
  }
}

/** Sockets that connect and say nothing at all. */
export async function idleSockets(port: number, count: number): Promise<{ sockets: net.Socket[]; closedAfterMs: Array<number | null> }> {
  const closedAfterMs: Array<number | null> = [];
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<net.Socket>((resolve) => {
          const openedAt = performance.now();
          closedAfterMs[i] = null;
          const s = net.connect(port, '127.0.0.1', () => resolve(s));
          s.resume();
          s.on('error', () => {});
          s.on('close', () => {
            closedAfterMs[i] = performance.now() - openedAt;
            resolve(s);
          });
        }),
    ),
  );
  return { sockets, closedAfterMs };
}
