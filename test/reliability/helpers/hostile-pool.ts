/**
 * A pool that misbehaves on purpose, on 127.0.0.1: every connection is handed to a script that
 * decides what to answer (or not), what garbage to send and when to hang up. It records when each
 * connection came and every line the miner sent. For well-behaved work and full share validation
 * use the test pool (test/fixtures/stratum-server.ts); its `sendRaw` injects garbage into a live
 * session. A trap listener (`Trap`) catches connections that must never be made.
 */
import net from 'node:net';

export interface MinerLine {
  id: unknown;
  method: string;
  params: unknown;
  raw: string;
}

export class PoolConnection {
  readonly lines: MinerLine[] = [];
  closed = false;
  private readonly handlers: Array<(l: MinerLine) => void> = [];

  constructor(
    readonly id: number,
    readonly socket: net.Socket,
  ) {}

  /** Called for every line the miner sends (JSON or not). */
  onLine(handler: (l: MinerLine) => void): void {
    this.handlers.push(handler);
  }

  /** An object as one JSON line, or raw text as given. */
  send(message: object | string): void {
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(typeof message === 'string' ? message : JSON.stringify(message) + '\n');
  }

  reply(id: unknown, result: unknown, error: unknown = null): void {
    this.send({ id, result, error });
  }

  notify(method: string, params: unknown[]): void {
    this.send({ id: null, method, params });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** @internal */
  deliver(l: MinerLine): void {
    this.lines.push(l);
    for (const h of this.handlers) h(l);
  }
}

export class ScriptedPool {
  readonly connections: PoolConnection[] = [];
  readonly connectedAtMs: number[] = [];
  private server: net.Server | null = null;
  private nextId = 1;

  constructor(
    private readonly script: (conn: PoolConnection, pool: ScriptedPool) => void,
    private readonly host = '127.0.0.1',
  ) {}

  get port(): number {
    return (this.server!.address() as net.AddressInfo).port;
  }

  get url(): string {
    return `stratum+tcp://${this.host}:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => resolve());
    });
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: net.Socket): void {
    const conn = new PoolConnection(this.nextId++, socket);
    this.connections.push(conn);
    this.connectedAtMs.push(Date.now());
    socket.on('error', () => {});
    socket.on('close', () => (conn.closed = true));
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      buffer += d;
      if (buffer.length > 1 << 20) return socket.destroy();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const raw = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!raw) continue;
        let msg: { id?: unknown; method?: unknown; params?: unknown } = {};
        try {
          msg = JSON.parse(raw);
        } catch {
          // delivered with method "(not JSON)"
        }
        conn.deliver({ id: msg.id ?? null, method: typeof msg.method === 'string' ? msg.method : '(not JSON)', params: msg.params, raw });
      }
    });
    this.script(conn, this);
  }
}

/** A coinbase-free job good enough to be mined: the engine hashes it, no pool checks it. */
export function plainNotify(jobId: string, clean = true, ntime = Math.floor(Date.now() / 1000)): unknown[] {
  return [
    jobId,
    '00'.repeat(32),
    '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20',
    'ffffffff0100f2052a010000001976a914000000000000000000000000000000000000000088ac00000000',
    [],
    '20000000',
    '1d00ffff',
    ntime.toString(16).padStart(8, '0'),
    clean,
  ];
}

/**
 * The opening a pool usually answers: configure, subscribe (with the given extranonce), authorize
 * true, then a difficulty and one job. Returns after wiring; `then` runs after the job went out.
 */
export function answerHandshake(
  conn: PoolConnection,
  opts: { extranonce1?: string; extranonce2Size?: unknown; authorize?: boolean; subscribeResult?: unknown; difficulty?: number; then?: () => void } = {},
): void {
  conn.onLine((l) => {
    if (l.method === 'mining.configure') conn.reply(l.id, { 'version-rolling': true, 'version-rolling.mask': '1fffe000' });
    else if (l.method === 'mining.subscribe') conn.reply(l.id, opts.subscribeResult ?? [[['mining.notify', 'x']], opts.extranonce1 ?? 'aabbccdd', opts.extranonce2Size ?? 4]);
    else if (l.method === 'mining.authorize') {
      if (opts.authorize === false) return conn.reply(l.id, false, [24, 'Unauthorized worker', null]);
      conn.reply(l.id, true);
      conn.notify('mining.set_difficulty', [opts.difficulty ?? 1]);
      conn.notify('mining.notify', plainNotify(`job${conn.id}`));
      opts.then?.();
    }
  });
}

/** A listener that must never be dialled (a host a pool tried to send the miner to). */
export class Trap {
  readonly hits: number[] = [];
  private server: net.Server | null = null;

  constructor(private readonly host: string) {}

  async start(): Promise<number> {
    const server = net.createServer((s) => {
      this.hits.push(Date.now());
      s.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.host, () => resolve());
    });
    this.server = server;
    return (server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
