/**
 * Entry of the engine process. In the desktop app Electron starts it with utilityProcess.fork and
 * talks over process.parentPort (and a MessagePort to the renderer); in tests and on node boxes
 * child_process.fork gives process.send. Both carry the same zod-validated messages. This file
 * never imports electron: parentPort is a runtime property of Electron's utility process.
 */
// First, before anything allocates: a small young generation (runtime/young-generation.ts).
import '../runtime/young-generation.js';
import { Engine } from './engine.js';
import { engineMessageSchema, type EngineMessage } from '@shared/contract';
import { hostMessageSchema, type EngineStart, type KeychainRequest } from './host-protocol.js';
import { lockDataDir } from './data-dir.js';
import { VERSION } from './version.js';
import { EventBus } from '@shared/bus.js';
import { loadSettings, mergeSettings, parseSettings, saveSettings, secretsNotSaved, SESSION_ONLY_SECRETS, type SecretKeeping, type Settings } from './settings.js';
import { createWorkSource, workMode, type WorkConfig } from './work-source-factory.js';
import { deviceSpecFromString, resolveBoards } from './device-resolver.js';
import { parseAxeosAddresses } from '../fleet/address.js';
import { registerEntryPoint } from '../runtime/runtime-files.js';

// Built, this is out/main/engine.js: the emulator's hash worker is found from here.
registerEntryPoint(import.meta.url);

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
let startMessage: EngineStart | null = null;

/** Secrets sealed by the desktop shell's keychain (only inside Electron, when it has one). */
const keychainWaiters = new Map<number, { resolve: (s: string) => void; reject: (e: Error) => void }>();
let keychainId = 0;
function keychain(op: 'seal' | 'unseal', data: string): Promise<string> {
  const id = ++keychainId;
  return new Promise((resolve, reject) => {
    keychainWaiters.set(id, { resolve, reject });
    parentPort!.postMessage({ kind: 'keychain', id, op, data } satisfies KeychainRequest);
  });
}
function cipherFor(msg: EngineStart): SecretKeeping {
  if (msg.sessionSecrets) return SESSION_ONLY_SECRETS;
  return parentPort && msg.keychain ? { seal: (p) => keychain('seal', p), unseal: (s) => keychain('unseal', s) } : null;
}
/** Without a keychain the settings last applied, passwords included, live here for the session only. */
let sessionSettings: Settings | null = null;
/** The settings the running engine was built from (kept to save one part without losing the rest). */
let appliedSettings: Settings | null = null;

/** Build and start an engine from the start message and the saved settings. */
async function start(msg: EngineStart): Promise<void> {
  if (engine) return;
  startMessage = msg;
  if (msg.dataDir && !releaseLock) releaseLock = lockDataDir(msg.dataDir);
  const settings = sessionSettings ?? (msg.dataDir ? await loadSettings(msg.dataDir, cipherFor(msg)) : null);
  appliedSettings = settings;
  const bus = new EventBus();
  const askForSecrets = msg.sessionSecrets && !sessionSettings && msg.dataDir !== null && secretsNotSaved(msg.dataDir);
  // Devices from the host (environment) win; else the saved ones; else USB auto-detection.
  const deviceTexts = msg.devices.length > 0 ? msg.devices : (settings?.devices ?? ['auto']);
  const boards = await resolveBoards(deviceTexts.map(deviceSpecFromString), bus);
  const work: WorkConfig = { pools: settings?.pools ?? [], node: settings?.node ?? null };
  const source = msg.dataDir ? await createWorkSource(work, bus, msg.dataDir) : null;
  const st = settings?.stratumServer;
  const serveStratum = st && source ? { host: st.host, port: st.port, allow: st.allow, minDifficulty: st.minDifficulty, payToUsername: st.payToUsername } : undefined;
  const integrations = { notify: settings?.notify ?? null, mqtt: settings?.mqtt ? { url: settings.mqtt.url, nodeId: settings.mqtt.nodeId, allowWrites: settings.mqtt.allowCommands === true } : null };
  const dataDir = msg.dataDir;
  engine = new Engine({
    boards,
    source,
    mode: workMode(work, boards.length),
    frequencyMhz: msg.frequencyMhz ?? settings?.frequencyMhz ?? null,
    ticketDifficulty: null,
    dataDir,
    bus,
    hotplug: deviceTexts.includes('auto'),
    axeos: { devices: parseAxeosAddresses(settings?.axeosDevices ?? []) },
    integrations,
    serveStratum,
    schedule: settings?.schedule ?? null,
    // A schedule changed from the window is saved with the settings, without restarting the engine.
    saveSchedule: dataDir ? (schedule) => saveSchedulePart(dataDir, msg, schedule) : undefined,
  });
  engine.subscribe((event) => broadcast({ kind: 'event', event }));
  engine.onSnapshot((snapshot) => broadcast({ kind: 'snapshot', snapshot }));
  if (askForSecrets) bus.log('warn', 'settings', 'pool and RPC passwords were not saved (no OS keychain): enter them again in Settings');
  await engine.start();
  broadcast({ kind: 'snapshot', snapshot: engine.snapshot() });
}

async function saveSchedulePart(dataDir: string, msg: EngineStart, schedule: Settings['schedule']): Promise<void> {
  // Saved as they are (no re-validation), as the AxeOS list is: a password not given again stays unsaved.
  const settings: Settings = { ...(appliedSettings ?? parseSettings({})), schedule };
  await saveSettings(dataDir, settings, cipherFor(msg));
  appliedSettings = settings;
  if (msg.sessionSecrets) sessionSettings = settings;
}

/** Settings from the UI: validated like CLI input, saved (0600), then the engine restarts with them. */
async function applySettings(raw: Record<string, unknown>): Promise<unknown> {
  if (!startMessage?.dataDir) throw new Error('settings need a data directory');
  // A form sends its own part (the work source, notifications and MQTT, the AxeOS list): the rest stays as applied.
  const current = appliedSettings ?? sessionSettings ?? (await loadSettings(startMessage.dataDir, cipherFor(startMessage)).catch(() => null));
  const settings = parseSettings(mergeSettings(current, raw));
  await saveSettings(startMessage.dataDir, settings, cipherFor(startMessage));
  if (startMessage.sessionSecrets) sessionSettings = settings;
  const previous = engine;
  engine = null;
  await previous?.stop();
  await start(startMessage);
  return { saved: true, restarted: true };
}

/** The AxeOS list from the Settings page: saved with the other settings, applied without a restart. */
async function applyAxeosDevices(texts: string[]): Promise<unknown> {
  if (!startMessage?.dataDir || !engine) throw new Error('settings need a data directory');
  const labels = parseAxeosAddresses(texts).map((a) => a.label);
  // Saved as they are (no re-validation): a password the app has not been given again stays unsaved.
  const settings: Settings = { ...(appliedSettings ?? parseSettings({})), axeosDevices: labels };
  await saveSettings(startMessage.dataDir, settings, cipherFor(startMessage));
  appliedSettings = settings;
  if (startMessage.sessionSecrets) sessionSettings = settings;
  await engine.command({ type: 'setAxeosDevices', devices: labels });
  return { devices: labels, saved: true };
}

async function handle(raw: unknown, reply: (m: EngineMessage) => void): Promise<void> {
  const parsed = hostMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
    reply({ kind: 'reply', id, ok: false, error: `invalid message: ${parsed.error.issues[0]?.message ?? 'malformed'}` });
    return;
  }
  const msg = parsed.data;
  if (msg.kind === 'keychain-reply') {
    const waiter = keychainWaiters.get(msg.id);
    keychainWaiters.delete(msg.id);
    if (msg.ok && msg.data !== undefined) waiter?.resolve(msg.data);
    else waiter?.reject(new Error(`the OS keychain refused: ${msg.error ?? 'unknown error'}`));
    return;
  }
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
    const command = msg.command;
    const result =
      command.type === 'setSettings' ? await applySettings(command.settings) : command.type === 'setAxeosDevices' ? await applyAxeosDevices(command.devices) : await engine.command(command);
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
