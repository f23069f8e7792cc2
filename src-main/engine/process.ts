/**
 * Entry of the engine process. In the desktop app Electron starts it with utilityProcess.fork and
 * talks over process.parentPort (and a MessagePort to the renderer); in tests and on node boxes
 * child_process.fork gives process.send. Both carry the same zod-validated messages. This file
 * never imports electron: parentPort is a runtime property of Electron's utility process.
 */
import { Engine, type BoardRequest } from './engine.js';
import { engineMessageSchema, type EngineMessage } from './contract.js';
import { hostMessageSchema, type EngineStart } from './host-protocol.js';
import { lockDataDir } from './data-dir.js';
import { VERSION } from './version.js';
import { createEmulatorDevice } from '../boards/emulated-device.js';

interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown; ports?: PortLike[] }) => void): void;
  start?(): void;
}

const parentPort = (process as unknown as { parentPort?: PortLike }).parentPort;
const rendererPorts = new Set<PortLike>();

function sendToHost(message: EngineMessage): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function broadcast(message: EngineMessage): void {
  sendToHost(message);
  for (const port of rendererPorts) port.postMessage(message);
}

let engine: Engine | null = null;
let releaseLock: (() => void) | null = null;

async function start(msg: EngineStart): Promise<void> {
  if (engine) return;
  if (msg.dataDir) releaseLock = lockDataDir(msg.dataDir);
  const boards: BoardRequest[] = msg.devices.map((spec, i) => {
    const emu = /^emulator(?::(\d+))?$/.exec(spec);
    if (!emu) throw new Error(`device "${spec}" is not supported by the engine process yet`);
    const chips = Number(emu[1] ?? 1);
    const dev = createEmulatorDevice({ chips, model: 'bm1366', scaleBits: 24 });
    return { id: `emu${i}`, name: `Emulator (${chips}× BM1366)`, path: dev.path, model: 'bm1366', emulated: true, scaleBits: 24, expectedChips: chips, binding: dev.binding };
  });
  engine = new Engine({ boards, source: null, mode: boards.length ? 'benchmark' : 'idle', frequencyMhz: msg.frequencyMhz, ticketDifficulty: null, dataDir: msg.dataDir });
  engine.subscribe((event) => broadcast({ kind: 'event', event }));
  engine.onSnapshot((snapshot) => broadcast({ kind: 'snapshot', snapshot }));
  await engine.start();
  broadcast({ kind: 'snapshot', snapshot: engine.snapshot() });
}

async function handle(raw: unknown, reply: (m: EngineMessage) => void): Promise<void> {
  const parsed = hostMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
    reply({ kind: 'reply', id, ok: false, error: `invalid message: ${parsed.error.issues[0]?.message ?? 'malformed'}` });
    return;
  }
  const msg = parsed.data;
  if (msg.kind === 'start') {
    try {
      await start(msg);
    } catch (err) {
      sendToHost({ kind: 'reply', id: 0, ok: false, error: (err as Error).message });
    }
    return;
  }
  if (msg.kind === 'shutdown') {
    await engine?.stop();
    releaseLock?.();
    process.exit(0);
  }
  if (!engine) {
    reply({ kind: 'reply', id: msg.id, ok: false, error: 'engine not started' });
    return;
  }
  try {
    const result = await engine.command(msg.command);
    reply({ kind: 'reply', id: msg.id, ok: true, result: JSON.parse(JSON.stringify(result ?? null)) });
  } catch (err) {
    reply({ kind: 'reply', id: msg.id, ok: false, error: (err as Error).message });
  }
}

if (parentPort) {
  parentPort.on('message', (e) => {
    // The desktop shell hands over the renderer's MessagePort once.
    const port = e.ports?.[0];
    if (port) {
      rendererPorts.add(port);
      port.on('message', (m) => void handle(m.data, (r) => port.postMessage(r)));
      port.start?.();
      if (engine) port.postMessage({ kind: 'snapshot', snapshot: engine.snapshot() });
      return;
    }
    void handle(e.data, sendToHost);
  });
} else {
  process.on('message', (m) => void handle(m, sendToHost));
  process.on('disconnect', () => void engine?.stop().finally(() => process.exit(0)));
}

// Keep the contract honest: everything we send must parse on the other side.
void engineMessageSchema;
sendToHost({ kind: 'ready', version: VERSION });
