/**
 * Command-line parsing for `hashdeck` (docs/cli.md §2). Options that follow a
 * `--device` apply to that device. Every value is validated here so the engine only ever sees
 * well-formed options; bad input raises UsageError with one clear sentence.
 */
import { CHIP_MODELS, isChipModel, type ChipModel } from '@shared/chip-model.js';
import { UsageError } from './usage-error.js';
import { DEFAULT_EMULATOR_SCALE_BITS, type DeviceSpec } from '../engine/board-request.js';
import type { TicketSetting } from '../chips/bm13xx/auto-ticket.js';


export interface PoolSpec {
  url: string;
  host: string;
  port: number;
  tls: boolean;
}

export interface HostPort {
  host: string;
  port: number;
}

export interface MineOptions {
  command: 'mine';
  devices: DeviceSpec[];
  pools: PoolSpec[];
  user: string | null;
  password: string;
  suggestDifficulty: number | null;
  extranonceSubscribe: boolean;
  tlsInsecure: boolean;
  tlsFingerprint: string | null;
  node: { url: string; payout: string; rpcCookie: string | null; rpcUser: string | null; rpcPassword: string | null } | null;
  frequencyMhz: number | null;
  dataDir: string | null;
  http: HostPort | null;
  metrics: boolean;
  /** The web dashboard may run write commands (board tests, stats resets, settings). */
  allowWrites: boolean;
  cgminerApi: HostPort | null;
  apiToken: string | null;
  durationS: number | null;
  json: boolean;
  deadPoolS: number | null;
  primaryProbeS: number | null;
  /** Before the first --device: every board's ticket (a difficulty or 'auto'); per device in `devices`. */
  ticketDifficulty: TicketSetting | null;
}

export interface DiagnoseOptions {
  command: 'diagnose';
  device: DeviceSpec;
  expectChips: number | null;
  reportPath: string | null;
  sweep: boolean;
  json: boolean;
  frequencyMhz: number | null;
  dataDir: string | null;
}

export interface DevicesOptions {
  command: 'devices';
  json: boolean;
}

export interface EmulateOptions {
  command: 'emulate';
  pty: boolean;
  chips: number;
  model: ChipModel;
  scaleBits: number;
  hashrateHs: number | null;
  /** Fault injection (diagnostics and robustness tests). */
  noiseRate: number;
  missingChips: number[];
  deadCores: number[];
}

export type CliOptions = MineOptions | DiagnoseOptions | DevicesOptions | EmulateOptions | { command: 'help'; topic: string | null } | { command: 'version' };


export const DEVICE_FLAGS: ReadonlySet<string> = new Set(['--chip', '--control', '--scale-bits', '--expect-chips']);
/** Per device after a --device, for every board before the first one. */
const DEVICE_OR_GLOBAL_FLAGS: ReadonlySet<string> = new Set(['--ticket-difficulty']);

/** Flags per command; `true` = takes a value. */
export const FLAGS: Readonly<Record<'mine' | 'diagnose' | 'devices' | 'emulate', Readonly<Record<string, boolean>>>> = {
  mine: {
    '--device': true, '--chip': true, '--control': true, '--scale-bits': true, '--expect-chips': true,
    '--pool': true, '--user': true, '--password': true, '--suggest-difficulty': true, '--extranonce-subscribe': false,
    '--tls-insecure': false, '--tls-fingerprint': true,
    '--node': true, '--payout': true, '--rpc-cookie': true, '--rpc-user': true, '--rpc-password': true,
    '--frequency': true, '--data-dir': true, '--http': true, '--metrics': false, '--allow-writes': false, '--cgminer-api': true, '--api-token': true,
    '--duration': true, '--json': false, '--dead-pool-timeout': true, '--primary-probe-interval': true, '--ticket-difficulty': true,
  },
  diagnose: {
    '--device': true, '--chip': true, '--control': true, '--scale-bits': true, '--expect-chips': true, '--report': true,
    '--sweep': false, '--json': false, '--frequency': true, '--data-dir': true,
  },
  devices: { '--json': false },
  emulate: { '--pty': false, '--chips': true, '--model': true, '--scale-bits': true, '--hashrate': true, '--noise': true, '--missing-chips': true, '--dead-cores': true },
};

export function parseArgs(argv: readonly string[]): CliOptions {
  const args = [...argv];
  const first = args.shift();
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { command: 'help', topic: args[0] ?? null };
  if (first === '--version' || first === '-v') return { command: 'version' };
  if (first !== 'mine' && first !== 'diagnose' && first !== 'devices' && first !== 'emulate') {
    throw new UsageError(first.startsWith('-') ? `unknown option ${first} (see hashdeck --help)` : `unknown command "${first}" (commands: mine, diagnose, devices, emulate)`);
  }
  if (args.includes('--help') || args.includes('-h')) return { command: 'help', topic: first };
  const tokens = tokenize(first, args);
  switch (first) {
    case 'mine':
      return parseMine(tokens);
    case 'diagnose':
      return parseDiagnose(tokens);
    case 'devices':
      return { command: 'devices', json: tokens.some((t) => t.flag === '--json') };
    case 'emulate':
      return parseEmulate(tokens);
  }
}

interface Token {
  flag: string;
  value: string | null;
}

function tokenize(command: keyof typeof FLAGS, args: string[]): Token[] {
  const known = FLAGS[command];
  const tokens: Token[] = [];
  for (let i = 0; i < args.length; i++) {
    const raw = args[i]!;
    if (!raw.startsWith('--')) throw new UsageError(`unexpected argument "${raw}" (options start with --; see hashdeck ${command} --help)`);
    const eq = raw.indexOf('=');
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    if (!(flag in known)) throw new UsageError(`unknown option ${flag} for "${command}" (see hashdeck ${command} --help)`);
    if (known[flag]) {
      const value = eq > 0 ? raw.slice(eq + 1) : args[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      tokens.push({ flag, value });
    } else {
      if (eq > 0) throw new UsageError(`${flag} takes no value`);
      tokens.push({ flag, value: null });
    }
  }
  return tokens;
}

/** Group device-scoped flags under the --device they follow. */
function splitDevices(tokens: Token[]): { devices: { spec: string; opts: Map<string, string> }[]; rest: Token[] } {
  const devices: { spec: string; opts: Map<string, string> }[] = [];
  const rest: Token[] = [];
  const beforeAnyDevice: Token[] = [];
  for (const t of tokens) {
    if (t.flag === '--device') devices.push({ spec: t.value!, opts: new Map() });
    else if (DEVICE_OR_GLOBAL_FLAGS.has(t.flag) && devices.length === 0) rest.push(t);
    else if (DEVICE_FLAGS.has(t.flag) || DEVICE_OR_GLOBAL_FLAGS.has(t.flag)) {
      const current = devices[devices.length - 1];
      if (!current) {
        beforeAnyDevice.push(t);
        continue;
      }
      if (current.opts.has(t.flag)) throw new UsageError(`${t.flag} given twice for device ${current.spec}`);
      current.opts.set(t.flag, t.value!);
    } else rest.push(t);
  }
  // With a single device there is no doubt which one a device option before it belongs to.
  for (const t of beforeAnyDevice) {
    if (devices.length !== 1) throw new UsageError(`${t.flag} applies to a device: put it after --device <spec>`);
    const only = devices[0]!;
    if (only.opts.has(t.flag)) throw new UsageError(`${t.flag} given twice for device ${only.spec}`);
    only.opts.set(t.flag, t.value!);
  }
  return { devices, rest };
}

function parseDevice(spec: string, opts: Map<string, string>): DeviceSpec {
  const scale = opts.has('--scale-bits') ? intInRange('--scale-bits', opts.get('--scale-bits')!, 0, 32) : null;
  const chip = opts.has('--chip') ? chipModel(opts.get('--chip')!) : null;
  const expect = opts.has('--expect-chips') ? intInRange('--expect-chips', opts.get('--expect-chips')!, 1, 256) : null;
  const ticket = opts.has('--ticket-difficulty') ? { ticketDifficulty: ticketSetting(opts.get('--ticket-difficulty')!) } : {};
  if (spec === 'auto') {
    if (opts.size > 0) throw new UsageError(`--device auto takes no per-device options (use a serial path to set --chip or --scale-bits; --ticket-difficulty before the first --device applies to every board)`);
    return { kind: 'auto' };
  }
  const emu = /^emulator(?::(.*))?$/.exec(spec);
  if (emu) {
    const chips = emu[1] === undefined || emu[1] === '' ? 1 : intInRange('--device emulator:<chips>', emu[1], 1, 64);
    if (opts.has('--control')) throw new UsageError('the built-in emulator has no --control port');
    return { kind: 'emulator', chips, model: chip ?? 'bm1366', scaleBits: scale ?? DEFAULT_EMULATOR_SCALE_BITS, ...ticket };
  }
  if (spec.trim() === '') throw new UsageError('--device needs a value: auto, emulator[:chips] or a serial path');
  if (!chip) throw new UsageError(`--device ${spec} is a bare serial path: say which chip it has with --chip (${CHIP_MODELS.join('|')})`);
  return { kind: 'path', path: spec, chip, control: opts.get('--control') ?? null, scaleBits: scale, expectChips: expect, ...ticket };
}

function parseMine(tokens: Token[]): MineOptions {
  const { devices, rest } = splitDevices(tokens);
  const get = (flag: string): string | null => {
    const found = rest.filter((t) => t.flag === flag);
    if (found.length > 1 && flag !== '--pool') throw new UsageError(`${flag} given more than once`);
    return found[0]?.value ?? null;
  };
  const has = (flag: string): boolean => rest.some((t) => t.flag === flag);
  const pools = rest.filter((t) => t.flag === '--pool').map((t) => poolUrl(t.value!));
  const nodeUrlText = get('--node');
  if (pools.length > 0 && nodeUrlText) throw new UsageError('use either --pool or --node, not both (mining to pools and a node at once is not supported yet)');
  const user = get('--user');
  if (pools.length > 0 && !user) throw new UsageError('--pool needs --user (pools use it to credit shares, often <address>.<worker>)');
  let node: MineOptions['node'] = null;
  if (nodeUrlText) {
    const payout = get('--payout');
    if (!payout) throw new UsageError('--node needs --payout <address> (the address every block pays)');
    const rpcCookie = get('--rpc-cookie');
    const rpcUser = get('--rpc-user');
    const rpcPassword = get('--rpc-password');
    if ((rpcUser === null) !== (rpcPassword === null)) throw new UsageError('--rpc-user and --rpc-password go together');
    if (rpcCookie && rpcUser) throw new UsageError('use either --rpc-cookie or --rpc-user/--rpc-password, not both');
    node = { url: nodeUrl(nodeUrlText), payout, rpcCookie, rpcUser, rpcPassword };
  } else {
    for (const f of ['--payout', '--rpc-cookie', '--rpc-user', '--rpc-password']) if (has(f)) throw new UsageError(`${f} only applies with --node`);
  }
  if (pools.length === 0) for (const f of ['--user', '--password', '--suggest-difficulty', '--extranonce-subscribe']) if (has(f)) throw new UsageError(`${f} only applies with --pool`);
  const apiToken = get('--api-token');
  const http = get('--http') === null ? null : hostPort('--http', get('--http')!, null);
  const cgminerApi = get('--cgminer-api') === null ? null : hostPort('--cgminer-api', get('--cgminer-api')!, '127.0.0.1');
  for (const [flag, hp] of [['--http', http], ['--cgminer-api', cgminerApi]] as const) {
    if (hp && !isLoopback(hp.host) && !apiToken) throw new UsageError(`${flag} ${hp.host}:${hp.port} is not a loopback address: binding it needs --api-token`);
  }
  if (has('--metrics') && !http) throw new UsageError('--metrics adds /metrics to the web server: give --http too');
  if (has('--allow-writes') && !http) throw new UsageError('--allow-writes lets the web dashboard change things: give --http too');
  if (apiToken !== null && apiToken.length < 8) throw new UsageError('--api-token must be at least 8 characters');
  return {
    command: 'mine',
    devices: devices.map((d) => parseDevice(d.spec, d.opts)),
    pools,
    user,
    password: get('--password') ?? 'x',
    suggestDifficulty: get('--suggest-difficulty') === null ? null : positiveNumber('--suggest-difficulty', get('--suggest-difficulty')!),
    extranonceSubscribe: has('--extranonce-subscribe'),
    tlsInsecure: has('--tls-insecure'),
    tlsFingerprint: get('--tls-fingerprint'),
    node,
    frequencyMhz: get('--frequency') === null ? null : numberInRange('--frequency', get('--frequency')!, 50, 1200),
    dataDir: get('--data-dir'),
    http,
    metrics: has('--metrics'),
    allowWrites: has('--allow-writes'),
    cgminerApi,
    apiToken,
    durationS: get('--duration') === null ? null : positiveNumber('--duration', get('--duration')!),
    json: has('--json'),
    deadPoolS: get('--dead-pool-timeout') === null ? null : positiveNumber('--dead-pool-timeout', get('--dead-pool-timeout')!),
    primaryProbeS: get('--primary-probe-interval') === null ? null : positiveNumber('--primary-probe-interval', get('--primary-probe-interval')!),
    ticketDifficulty: get('--ticket-difficulty') === null ? null : ticketSetting(get('--ticket-difficulty')!),
  };
}

function parseDiagnose(tokens: Token[]): DiagnoseOptions {
  const { devices, rest } = splitDevices(tokens);
  if (devices.length !== 1) throw new UsageError('diagnose tests one board: give exactly one --device');
  const device = parseDevice(devices[0]!.spec, devices[0]!.opts);
  if (device.kind === 'auto') throw new UsageError('diagnose needs a specific board: --device emulator[:chips] or a serial path with --chip');
  const get = (flag: string): string | null => rest.find((t) => t.flag === flag)?.value ?? null;
  const expectChips = device.kind === 'path' ? device.expectChips : devices[0]!.opts.has('--expect-chips') ? intInRange('--expect-chips', devices[0]!.opts.get('--expect-chips')!, 1, 256) : null;
  return {
    command: 'diagnose',
    device,
    expectChips,
    reportPath: get('--report'),
    sweep: rest.some((t) => t.flag === '--sweep'),
    json: rest.some((t) => t.flag === '--json'),
    frequencyMhz: get('--frequency') === null ? null : numberInRange('--frequency', get('--frequency')!, 50, 1200),
    dataDir: get('--data-dir'),
  };
}

function parseEmulate(tokens: Token[]): EmulateOptions {
  const get = (flag: string): string | null => tokens.find((t) => t.flag === flag)?.value ?? null;
  if (!tokens.some((t) => t.flag === '--pty')) throw new UsageError('emulate needs --pty (the in-process emulator is --device emulator with mine)');
  return {
    command: 'emulate',
    pty: true,
    chips: get('--chips') === null ? 1 : intInRange('--chips', get('--chips')!, 1, 64),
    model: get('--model') === null ? 'bm1366' : chipModel(get('--model')!),
    scaleBits: get('--scale-bits') === null ? DEFAULT_EMULATOR_SCALE_BITS : intInRange('--scale-bits', get('--scale-bits')!, 0, 32),
    hashrateHs: get('--hashrate') === null ? null : positiveNumber('--hashrate', get('--hashrate')!),
    noiseRate: get('--noise') === null ? 0 : numberInRange('--noise', get('--noise')!, 0, 1),
    missingChips: intList('--missing-chips', get('--missing-chips'), 0, 255),
    deadCores: intList('--dead-cores', get('--dead-cores'), 0, 255),
  };
}

/** `--ticket-difficulty`: 'auto' or a difficulty from 1 to 2^32 (the chip rounds it down to a power of two). */
function ticketSetting(text: string): TicketSetting {
  if (text === 'auto') return 'auto';
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 1 || n > 2 ** 32) throw new UsageError(`--ticket-difficulty must be auto or a number from 1 to ${2 ** 32}, got "${text}"`);
  return n;
}

function intList(flag: string, text: string | null, min: number, max: number): number[] {
  if (text === null) return [];
  return text.split(',').map((part) => intInRange(flag, part.trim(), min, max));
}

function chipModel(value: string): ChipModel {
  const v = value.toLowerCase();
  if (!isChipModel(v)) throw new UsageError(`unknown chip "${value}" (supported: ${CHIP_MODELS.join(', ')})`);
  return v;
}

export function poolUrl(text: string): PoolSpec {
  const m = /^(stratum\+tcp|stratum\+ssl|stratum\+tls):\/\/([^/:\s]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(text);
  if (!m) throw new UsageError(`"${text}" is not a pool URL (expected stratum+tcp://host:port or stratum+ssl://host:port)`);
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new UsageError(`pool port ${port} is out of range`);
  return { url: text, host: m[2]!.replace(/^\[|\]$/g, ''), port, tls: m[1] !== 'stratum+tcp' };
}

function nodeUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`"${text}" is not a node URL (expected http://host:port, e.g. http://127.0.0.1:8332)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`"${text}" is not a node URL (expected http://host:port)`);
  if (u.username || u.password) throw new UsageError('put RPC credentials in --rpc-cookie or --rpc-user/--rpc-password, not in the URL');
  return text;
}

function hostPort(flag: string, text: string, defaultHost: string | null): HostPort {
  const m = /^(?:(\[[0-9a-fA-F:]+\]|[^:\s]+):)?(\d{1,5})$/.exec(text);
  if (!m || (!m[1] && defaultHost === null)) throw new UsageError(`${flag} expects ${defaultHost === null ? 'host:port' : '[host:]port'}, got "${text}"`);
  const port = Number(m[2]);
  if (port > 65535) throw new UsageError(`${flag} port ${port} is out of range`);
  return { host: (m[1] ?? defaultHost!).replace(/^\[|\]$/g, ''), port };
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function intInRange(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} must be from ${min} to ${max}, got ${n}`);
  return n;
}

function numberInRange(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag} must be a number from ${min} to ${max}, got "${text}"`);
  return n;
}

function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got "${text}"`);
  return n;
}
