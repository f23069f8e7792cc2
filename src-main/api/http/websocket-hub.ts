/**
 * The /ws endpoint: one hub per server. Each client gets `ready` and a snapshot on connect, the
 * engine's events as they happen (high-rate nonce events sampled, and shed under back-pressure),
 * and a fresh snapshot every intervalMs. Requests are parsed with clientMessageSchema; write
 * commands are refused unless the server allows writes.
 */
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { clientMessageSchema, type EngineApi, type EngineCommand, type EngineEvent, type EngineMessage } from '@shared/contract';

/** Commands that change state; a read-only dashboard must not run them. */
const WRITE_COMMANDS: ReadonlySet<EngineCommand['type']> = new Set([
  'stop',
  'resetStats',
  'setSettings',
  'runDiagnostics',
  'cancelDiagnostics',
  'setAxeosDevices',
  'axeosRestart',
  'axeosMineHere',
  'pauseBoards',
  'resumeBoards',
  'setOperatingPoint',
  'startTune',
  'stopTune',
  'applyProfile',
  'setSchedule',
  'notifyTest',
  'restartBoard',
]);

export function isWriteCommand(command: EngineCommand): boolean {
  return WRITE_COMMANDS.has(command.type);
}

export interface HubOptions {
  engine: EngineApi;
  version: string;
  allowWrites: boolean;
  snapshotIntervalMs: number;
  /** Nonce events per second forwarded to each client (they are shown as a live ticker only). */
  nonceEventsPerS: number;
  log: (level: 'info' | 'warn', text: string) => void;
}

/** Above this many queued bytes a client is slow: only events that matter are still sent. */
const BACKPRESSURE_BYTES = 1 << 20;
/** A client that lets this much pile up (it stopped reading) is cut off: memory per socket is bounded. */
export const MAX_CLIENT_BUFFER_BYTES = 8 << 20;
const ESSENTIAL_EVENTS: ReadonlySet<EngineEvent['type']> = new Set(['block', 'warning', 'board', 'pool']);

interface ClientState {
  nonceWindowStartMs: number;
  nonceCount: number;
}

export class WebSocketHub {
  readonly wss: WebSocketServer;
  private readonly clients = new Map<WebSocket, ClientState>();
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly opts: HubOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    this.wss.on('connection', (ws) => this.onConnection(ws));
    this.unsubscribe = opts.engine.subscribe((event) => this.broadcastEvent(event));
    this.timer = setInterval(() => this.broadcastSnapshot(), opts.snapshotIntervalMs);
    this.timer.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    for (const ws of this.clients.keys()) ws.close(1001, 'server closing');
    this.clients.clear();
    this.wss.close();
  }

  private onConnection(ws: WebSocket): void {
    this.clients.set(ws, { nonceWindowStartMs: 0, nonceCount: 0 });
    ws.on('close', () => this.clients.delete(ws));
    ws.on('error', () => this.clients.delete(ws));
    ws.on('message', (data, isBinary) => void this.onMessage(ws, data, isBinary));
    // The page shows write controls (pause, tuning, schedule) only where they would be accepted.
    send(ws, { kind: 'ready', version: this.opts.version, writes: this.opts.allowWrites });
    const snapshot = this.safeSnapshot();
    if (snapshot) send(ws, snapshot);
  }

  private async onMessage(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) return void send(ws, { kind: 'reply', id: -1, ok: false, error: 'binary messages are not accepted' });
    let json: unknown;
    try {
      json = JSON.parse(rawToString(data));
    } catch {
      return void send(ws, { kind: 'reply', id: -1, ok: false, error: 'message is not JSON' });
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const id = typeof (json as { id?: unknown })?.id === 'number' && Number.isInteger((json as { id: number }).id) ? (json as { id: number }).id : -1;
      return void send(ws, { kind: 'reply', id, ok: false, error: `invalid request: ${parsed.error.issues[0]?.message ?? 'bad shape'}` });
    }
    const { id, command } = parsed.data;
    if (isWriteCommand(command) && !this.opts.allowWrites) {
      return void send(ws, { kind: 'reply', id, ok: false, error: `${command.type} refused: this dashboard is read-only (the engine was started without write access)` });
    }
    try {
      const result = command.type === 'getSnapshot' ? this.opts.engine.snapshot() : await this.opts.engine.command(command);
      send(ws, { kind: 'reply', id, ok: true, result });
    } catch (err) {
      send(ws, { kind: 'reply', id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private broadcastEvent(event: EngineEvent): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify({ kind: 'event', event } satisfies EngineMessage);
    const nowMs = Date.now();
    for (const [ws, state] of this.clients) {
      if (ws.readyState !== WebSocket.OPEN || this.cutOffIfStuck(ws)) continue;
      if (ws.bufferedAmount > BACKPRESSURE_BYTES && !ESSENTIAL_EVENTS.has(event.type)) continue;
      if (event.type === 'nonce') {
        if (nowMs - state.nonceWindowStartMs >= 1000) {
          state.nonceWindowStartMs = nowMs;
          state.nonceCount = 0;
        }
        if (++state.nonceCount > this.opts.nonceEventsPerS) continue;
      }
      ws.send(text);
    }
  }

  private broadcastSnapshot(): void {
    if (this.clients.size === 0) return;
    const msg = this.safeSnapshot();
    if (!msg) return;
    const text = JSON.stringify(msg);
    for (const ws of this.clients.keys()) {
      // A client that cannot keep up gets the next snapshot instead of a growing queue.
      if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount < BACKPRESSURE_BYTES) ws.send(text);
    }
  }

  private cutOffIfStuck(ws: WebSocket): boolean {
    if (ws.bufferedAmount <= MAX_CLIENT_BUFFER_BYTES) return false;
    this.opts.log('warn', `a dashboard client stopped reading (${Math.round(ws.bufferedAmount / 1024)} KiB queued): disconnected`);
    this.clients.delete(ws);
    ws.terminate();
    return true;
  }

  private safeSnapshot(): EngineMessage | null {
    try {
      return { kind: 'snapshot', snapshot: this.opts.engine.snapshot() };
    } catch (err) {
      this.opts.log('warn', `snapshot failed: ${(err as Error).message}`);
      return null;
    }
  }
}

function send(ws: WebSocket, msg: EngineMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
