/**
 * Command-line parsing for `hashdeck` (docs/cli.md §2). Options that follow a
 * `--device` apply to that device. Every value is validated here so the engine only ever sees
 * well-formed options; bad input raises UsageError with one clear sentence.
 */
import { CHIP_MODELS, isChipModel, type ChipModel } from '@shared/chip-model.js';
import { CSV_EXPORTS, NOTIFY_CHANNEL_KINDS, NOTIFY_EVENT_KINDS, type CsvExport, type NotifyChannelKind, type NotifyEventKind } from '@shared/integration-kinds.js';
import type { NotifySettings } from '@shared/contract';
import { UsageError } from './usage-error.js';
import { DEFAULT_EMULATOR_SCALE_BITS, type DeviceOperatingOptions, type DeviceSpec } from '../engine/board-request.js';
import { coinbaseTagProblem } from '../work/node/coinbase-tag.js';
import { AxeosAddressError, parseAxeosAddresses, type AxeosAddress } from '../fleet/address.js';
import { chipDriver } from '../chips/index.js';
import { parseCidr } from '../work/stratum-server/allow-list.js';
import { normaliseFingerprint } from '../work/stratum/transport.js';
import { MIN_API_TOKEN_CHARS } from '../api/http/access.js';
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

/** `--serve-stratum` and its options (docs/cli.md §2.3). */
export interface ServeStratumSpec {
  host: string;
  port: number;
  allow: string[];
  minDifficulty: number | null;
  payToUsername: boolean;
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
  /** AxeOS devices to watch (`--axeos <host[:port]>`, repeatable); empty: nothing is polled. */
  axeos: AxeosAddress[];
  /** Serve Stratum to network miners; null without --serve-stratum. */
  serveStratum: ServeStratumSpec | null;
  /** `--schedule`: a JSON file, or the JSON itself (from a config file); checked by mine before anything starts. */
  schedule: string | null;
  /** Notification channels (`--notify`), null without any. */
  notify: NotifySettings | null;
  /** MQTT for Home Assistant (`--mqtt`). */
  mqtt: { url: string; nodeId: string | null } | null;
  /** Solo blocks: the text in the coinbase (`--coinbase-tag`; default /HashDeck/). */
  coinbaseTag: string | null;
}

export interface NotifyTestOptions {
  command: 'notify-test';
  notify: NotifySettings;
  json: boolean;
}

export interface ExportOptions {
  command: 'export';
  what: CsvExport;
  fromMs: number | null;
  toMs: number | null;
  dataDir: string | null;
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

export type CliOptions = MineOptions | DiagnoseOptions | DevicesOptions | EmulateOptions | NotifyTestOptions | ExportOptions | { command: 'help'; topic: string | null } | { command: 'version' };

export const DEVICE_FLAGS: ReadonlySet<string> = new Set(['--chip', '--control', '--scale-bits', '--expect-chips', '--core-voltage-mv', '--paused', '--worker']);
/** `--frequency` and `--ticket-difficulty` after a `--device` are that device's; before any `--device` they are the default for all. */
const DEVICE_OR_GLOBAL_FLAGS: ReadonlySet<string> = new Set(['--frequency', '--ticket-difficulty']);
/** Options of the `--notify` they follow. */
export const CHANNEL_FLAGS: ReadonlySet<string> = new Set(['--notify-events', '--notify-secret']);
const NOTIFY_FLAGS = { '--notify': true, '--notify-events': true, '--notify-secret': true, '--telegram-token': true, '--telegram-api': true } as const;
const COMMANDS = ['mine', 'diagnose', 'devices', 'emulate', 'notify-test', 'export'] as const;
type Command = (typeof COMMANDS)[number];

/** Flags per command; `true` = takes a value. */
export const FLAGS: Readonly<Record<Command, Readonly<Record<string, boolean>>>> = {
  mine: {
    '--device': true,
    '--chip': true,
    '--control': true,
    '--scale-bits': true,
    '--expect-chips': true,
    '--core-voltage-mv': true,
    '--paused': false,
    '--pool': true,
    '--user': true,
    '--password': true,
    '--suggest-difficulty': true,
    '--extranonce-subscribe': false,
    '--tls-insecure': false,
    '--tls-fingerprint': true,
    '--node': true,
    '--payout': true,
    '--rpc-cookie': true,
    '--rpc-user': true,
    '--rpc-password': true,
    '--frequency': true,
    '--data-dir': true,
    '--http': true,
    '--metrics': false,
    '--allow-writes': false,
    '--cgminer-api': true,
    '--api-token': true,
    '--duration': true,
    '--json': false,
    '--dead-pool-timeout': true,
    '--primary-probe-interval': true,
    '--ticket-difficulty': true,
    '--axeos': true,
    '--schedule': true,
    '--worker': true,
    ...NOTIFY_FLAGS,
    '--mqtt': true,
    '--mqtt-node-id': true,
    '--coinbase-tag': true,
    '--serve-stratum': true,
    '--stratum-allow': true,
    '--stratum-min-difficulty': true,
    '--stratum-pay-username': false,
  },
  diagnose: {
    '--device': true,
    '--chip': true,
    '--control': true,
    '--scale-bits': true,
    '--expect-chips': true,
    '--report': true,
    '--sweep': false,
    '--json': false,
    '--frequency': true,
    '--data-dir': true,
  },
  devices: { '--json': false },
  'notify-test': { ...NOTIFY_FLAGS, '--json': false },
  export: { '--what': true, '--from': true, '--to': true, '--data-dir': true },
  emulate: { '--pty': false, '--chips': true, '--model': true, '--scale-bits': true, '--hashrate': true, '--noise': true, '--missing-chips': true, '--dead-cores': true },
};

export function parseArgs(argv: readonly string[]): CliOptions {
  const args = [...argv];
  const first = args.shift();
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { command: 'help', topic: args[0] ?? null };
  if (first === '--version' || first === '-v') return { command: 'version' };
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new UsageError(first.startsWith('-') ? `unknown option ${first} (see hashdeck --help)` : `unknown command "${first}" (commands: ${COMMANDS.join(', ')})`);
  }
  const command = first as Command;
  if (args.includes('--help') || args.includes('-h')) return { command: 'help', topic: first };
  const tokens = tokenize(command, args);
  switch (command) {
    case 'mine':
      return parseMine(tokens);
    case 'diagnose':
      return parseDiagnose(tokens);
    case 'devices':
      return { command: 'devices', json: tokens.some((t) => t.flag === '--json') };
    case 'emulate':
      return parseEmulate(tokens);
    case 'notify-test': {
      const notify = parseNotify(tokens);
      if (!notify) throw new UsageError('notify-test needs at least one --notify <kind>=<target>');
      return { command: 'notify-test', notify, json: tokens.some((t) => t.flag === '--json') };
    }
    case 'export':
      return parseExport(tokens);
  }
}

interface Token {
  flag: string;
  value: string | null;
}

function tokenize(command: Command, args: string[]): Token[] {
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
    else if (DEVICE_FLAGS.has(t.flag) || (DEVICE_OR_GLOBAL_FLAGS.has(t.flag) && devices.length > 0)) {
      const current = devices[devices.length - 1];
      if (!current) {
        beforeAnyDevice.push(t);
        continue;
      }
      if (current.opts.has(t.flag)) throw new UsageError(`${t.flag} given twice for device ${current.spec}`);
      current.opts.set(t.flag, t.value ?? '');
    } else rest.push(t);
  }
  // With a single device there is no doubt which one a device option before it belongs to.
  for (const t of beforeAnyDevice) {
    if (devices.length !== 1) throw new UsageError(`${t.flag} applies to a device: put it after --device <spec>`);
    const only = devices[0]!;
    if (only.opts.has(t.flag)) throw new UsageError(`${t.flag} given twice for device ${only.spec}`);
    only.opts.set(t.flag, t.value ?? '');
  }
  return { devices, rest };
}

function parseDevice(spec: string, opts: Map<string, string>): DeviceSpec {
  const scale = opts.has('--scale-bits') ? intInRange('--scale-bits', opts.get('--scale-bits')!, 0, 32) : null;
  const chip = opts.has('--chip') ? chipModel(opts.get('--chip')!) : null;
  const expect = opts.has('--expect-chips') ? intInRange('--expect-chips', opts.get('--expect-chips')!, 1, 256) : null;
  const worker = opts.has('--worker') ? workerName(opts.get('--worker')!) : null;
  if (spec === 'auto') {
    if (opts.size > 0)
      throw new UsageError(
        `--device auto takes no per-device options (use a serial path to set --chip or --scale-bits; --frequency and --ticket-difficulty before the first --device apply to every board)`,
      );
    return { kind: 'auto' };
  }
  const emu = /^emulator(?::(.*))?$/.exec(spec);
  if (emu) {
    const chips = emu[1] === undefined || emu[1] === '' ? 1 : intInRange('--device emulator:<chips>', emu[1], 1, 64);
    if (opts.has('--control')) throw new UsageError('the built-in emulator has no --control port');
    const model = chip ?? 'bm1366';
    // The built-in emulator has its emulated control port: its core voltage can be set.
    return { kind: 'emulator', chips, model, scaleBits: scale ?? DEFAULT_EMULATOR_SCALE_BITS, ...operatingOptions(spec, model, opts, true), ...(worker ? { worker } : {}) };
  }
  if (spec.trim() === '') throw new UsageError('--device needs a value: auto, emulator[:chips] or a serial path');
  if (!chip) throw new UsageError(`--device ${spec} is a bare serial path: say which chip it has with --chip (${CHIP_MODELS.join('|')})`);
  const control = opts.get('--control') ?? null;
  return { kind: 'path', path: spec, chip, control, scaleBits: scale, expectChips: expect, ...operatingOptions(spec, chip, opts, control !== null), ...(worker ? { worker } : {}) };
}

/** `--frequency`, `--core-voltage-mv` and `--paused` of one device, inside its chip's range. */
function operatingOptions(spec: string, model: ChipModel, opts: Map<string, string>, voltageSettable: boolean): DeviceOperatingOptions {
  const out: DeviceOperatingOptions = {};
  const limits = chipDriver(model).limits;
  const name = model.toUpperCase();
  if (opts.has('--frequency')) {
    const f = numberInRange('--frequency', opts.get('--frequency')!, 1, 10_000);
    if (f < limits.minFrequencyMhz || f > limits.maxFrequencyMhz)
      throw new UsageError(`--frequency ${f} for ${spec} is outside the ${name}'s range of ${limits.minFrequencyMhz}–${limits.maxFrequencyMhz} MHz`);
    out.frequencyMhz = f;
  }
  if (opts.has('--core-voltage-mv')) {
    const mv = intInRange('--core-voltage-mv', opts.get('--core-voltage-mv')!, 0, 10_000);
    if (mv < limits.minCoreVoltageMv || mv > limits.maxCoreVoltageMv)
      throw new UsageError(`--core-voltage-mv ${mv} for ${spec} is outside the ${name}'s range of ${limits.minCoreVoltageMv}–${limits.maxCoreVoltageMv} mV`);
    if (!voltageSettable) throw new UsageError(`--core-voltage-mv for ${spec} needs the board's --control port (the core voltage is set through it)`);
    out.coreVoltageMv = mv;
  }
  if (opts.has('--paused')) out.paused = true;
  if (opts.has('--ticket-difficulty')) out.ticketDifficulty = ticketSetting(opts.get('--ticket-difficulty')!);
  return out;
}

function parseMine(tokens: Token[]): MineOptions {
  const { devices, rest } = splitDevices(tokens);
  const get = (flag: string): string | null => {
    const found = rest.filter((t) => t.flag === flag);
    if (found.length > 1 && flag !== '--pool' && flag !== '--axeos' && flag !== '--notify' && flag !== '--stratum-allow' && !CHANNEL_FLAGS.has(flag))
      throw new UsageError(`${flag} given more than once`);
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
  for (const [flag, hp] of [
    ['--http', http],
    ['--cgminer-api', cgminerApi],
  ] as const) {
    if (hp && !isLoopback(hp.host) && !apiToken) throw new UsageError(`${flag} ${hp.host}:${hp.port} is not a loopback address: binding it needs --api-token`);
  }
  if (has('--metrics') && !http) throw new UsageError('--metrics adds /metrics to the web server: give --http too');
  const mqttText = get('--mqtt');
  const mqtt = mqttText === null ? null : { url: mqttUrl(mqttText), nodeId: get('--mqtt-node-id') === null ? null : mqttNodeId(get('--mqtt-node-id')!) };
  if (!mqtt && has('--mqtt-node-id')) throw new UsageError('--mqtt-node-id only applies with --mqtt');
  if (has('--allow-writes') && !http && !mqtt) throw new UsageError('--allow-writes lets the web dashboard or MQTT change things: give --http or --mqtt too');
  const coinbaseTag = get('--coinbase-tag');
  if (coinbaseTag !== null) {
    if (!nodeUrlText) throw new UsageError('--coinbase-tag only applies with --node (solo blocks; a pool writes its own coinbase)');
    const problem = coinbaseTagProblem(coinbaseTag);
    if (problem) throw new UsageError(problem);
  }
  if (apiToken !== null && apiToken.length < MIN_API_TOKEN_CHARS) throw new UsageError(`--api-token must be at least ${MIN_API_TOKEN_CHARS} characters`);
  const tlsFingerprint = get('--tls-fingerprint');
  if (tlsFingerprint !== null) {
    try {
      normaliseFingerprint(tlsFingerprint);
    } catch {
      throw new UsageError(`--tls-fingerprint must be the certificate's SHA-256 fingerprint, 64 hex digits (colons allowed), got "${tlsFingerprint.slice(0, 100)}"`);
    }
  }
  const parsedDevices = devices.map((d) => parseDevice(d.spec, d.opts));
  const frequencyMhz = get('--frequency') === null ? null : numberInRange('--frequency', get('--frequency')!, 50, 1200);
  // The default frequency must suit every device whose chip is known and has no frequency of its own.
  for (const d of parsedDevices) {
    if (frequencyMhz === null || d.kind === 'auto' || d.frequencyMhz !== undefined) continue;
    const model = d.kind === 'emulator' ? d.model : d.chip!;
    const l = chipDriver(model).limits;
    if (frequencyMhz < l.minFrequencyMhz || frequencyMhz > l.maxFrequencyMhz) {
      throw new UsageError(
        `--frequency ${frequencyMhz} is outside the ${model.toUpperCase()}'s range of ${l.minFrequencyMhz}–${l.maxFrequencyMhz} MHz (device ${d.kind === 'emulator' ? 'emulator' : d.path})`,
      );
    }
  }
  const serveStratum = parseServeStratum(rest, pools.length > 0, nodeUrlText !== null);
  const options: MineOptions = {
    command: 'mine',
    devices: parsedDevices,
    pools,
    user,
    password: get('--password') ?? 'x',
    suggestDifficulty: get('--suggest-difficulty') === null ? null : positiveNumber('--suggest-difficulty', get('--suggest-difficulty')!),
    extranonceSubscribe: has('--extranonce-subscribe'),
    tlsInsecure: has('--tls-insecure'),
    tlsFingerprint,
    node,
    frequencyMhz,
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
    axeos: axeosAddresses(rest.filter((t) => t.flag === '--axeos').map((t) => t.value!)),
    schedule: get('--schedule'),
    notify: parseNotify(rest),
    mqtt,
    coinbaseTag,
    serveStratum,
  };
  // Something to drive, serve or watch, checked last so that other mistakes are named first: a run
  // with nothing to mine would sit idle while a supervisor sees it "up" (docs/cli.md §7). Serving
  // network miners alone (no USB board) is a household's pool.
  if (options.devices.length === 0 && options.axeos.length === 0 && options.serveStratum === null) {
    throw new UsageError('mine needs at least one --device (auto, emulator[:chips] or a serial path with --chip), --serve-stratum or --axeos');
  }
  return options;
}

/** `--notify <kind>=<target>` (repeatable), each optionally followed by its --notify-events and --notify-secret. */
function parseNotify(tokens: Token[]): NotifySettings | null {
  const channels: NotifySettings['channels'] = [];
  let telegramToken: string | undefined;
  let telegramApi: string | undefined;
  for (const t of tokens) {
    const value = t.value!;
    if (t.flag === '--notify') {
      channels.push(notifyChannel(value));
    } else if (CHANNEL_FLAGS.has(t.flag)) {
      const current = channels[channels.length - 1];
      if (!current) throw new UsageError(`${t.flag} applies to a channel: put it after --notify <kind>=<target>`);
      if (t.flag === '--notify-events') {
        if (current.events) throw new UsageError(`--notify-events given twice for one --notify`);
        current.events = notifyEvents(value);
      } else {
        if (current.secret) throw new UsageError(`--notify-secret given twice for one --notify`);
        if (current.kind !== 'webhook' && current.kind !== 'ntfy')
          throw new UsageError('--notify-secret is the HMAC key of a webhook or the access token of ntfy; a ' + current.kind + ' channel takes none');
        if (value.length < 8) throw new UsageError('--notify-secret must be at least 8 characters');
        current.secret = value;
      }
    } else if (t.flag === '--telegram-token') {
      if (telegramToken !== undefined) throw new UsageError('--telegram-token given more than once');
      if (!/^\d+:[\w-]{20,}$/.test(value)) throw new UsageError('--telegram-token must be a bot token as BotFather gives it (<digits>:<letters>)');
      telegramToken = value;
    } else if (t.flag === '--telegram-api') {
      if (telegramApi !== undefined) throw new UsageError('--telegram-api given more than once');
      telegramApi = httpUrl('--telegram-api', value);
    }
  }
  const hasTelegram = channels.some((c) => c.kind === 'telegram');
  if (hasTelegram && !telegramToken) throw new UsageError('--notify telegram=<chat id> needs --telegram-token <bot token>');
  if (!hasTelegram && (telegramToken || telegramApi)) throw new UsageError('--telegram-token and --telegram-api only apply with --notify telegram=<chat id>');
  if (channels.length === 0) return null;
  return { channels, ...(telegramToken ? { telegramToken } : {}), ...(telegramApi ? { telegramApi } : {}) };
}

function notifyChannel(text: string): NotifySettings['channels'][number] {
  const eq = text.indexOf('=');
  const kind = text.slice(0, eq < 0 ? text.length : eq);
  if (eq < 0 || !(NOTIFY_CHANNEL_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--notify expects <kind>=<target> with kind ${NOTIFY_CHANNEL_KINDS.join(', ')}`);
  const target = text.slice(eq + 1);
  if (kind === 'telegram') {
    if (!/^-?\d+$|^@\w+$/.test(target)) throw new UsageError('--notify telegram=<chat id>: the chat id is a number (or @channelname)');
    return { kind, target };
  }
  return { kind: kind as NotifyChannelKind, target: httpUrl(`--notify ${kind}`, target) };
}

function notifyEvents(text: string): NotifyEventKind[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0) throw new UsageError('--notify-events needs at least one event');
  for (const e of list) if (!(NOTIFY_EVENT_KINDS as readonly string[]).includes(e)) throw new UsageError(`unknown notification event "${e}" (events: ${NOTIFY_EVENT_KINDS.join(', ')})`);
  return list as NotifyEventKind[];
}

/** An http(s) URL; the message never repeats it (webhook URLs carry tokens). */
function httpUrl(flag: string, text: string): string {
  let u: URL | null = null;
  try {
    u = new URL(text);
  } catch {
    u = null;
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw new UsageError(`${flag} needs an http:// or https:// URL`);
  return text;
}

/** mqtt[s]://[user:pass@]host:port; the message never repeats it (it may hold a password). */
function mqttUrl(text: string): string {
  let u: URL | null = null;
  try {
    u = new URL(text);
  } catch {
    u = null;
  }
  if (!u || (u.protocol !== 'mqtt:' && u.protocol !== 'mqtts:') || u.hostname === '') throw new UsageError('--mqtt expects mqtt://[user:pass@]host:port or mqtts://…');
  if ((u.pathname !== '' && u.pathname !== '/') || u.search !== '') throw new UsageError('--mqtt takes a broker address only: mqtt://[user:pass@]host:port');
  return text;
}

function mqttNodeId(text: string): string {
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(text)) throw new UsageError('--mqtt-node-id may hold letters, digits, _ and - (at most 64)');
  return text;
}

function workerName(text: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) throw new UsageError(`--worker "${text}" may hold letters, digits, _ and - only (at most 64)`);
  return text;
}

function parseExport(tokens: Token[]): ExportOptions {
  const get = (flag: string): string | null => {
    const found = tokens.filter((t) => t.flag === flag);
    if (found.length > 1) throw new UsageError(`${flag} given more than once`);
    return found[0]?.value ?? null;
  };
  const what = get('--what');
  if (what === null || !(CSV_EXPORTS as readonly string[]).includes(what)) throw new UsageError(`export needs --what ${CSV_EXPORTS.join('|')}`);
  const fromMs = get('--from') === null ? null : isoTime('--from', get('--from')!);
  const toMs = get('--to') === null ? null : isoTime('--to', get('--to')!);
  if (fromMs !== null && toMs !== null && fromMs > toMs) throw new UsageError('--from is after --to');
  return { command: 'export', what: what as CsvExport, fromMs, toMs, dataDir: get('--data-dir') };
}

function isoTime(flag: string, text: string): number {
  // A date, or a date and time (UTC unless an offset is given).
  const ms = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)
    ? Date.parse(/[T ]\d{2}:\d{2}/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text.replace(' ', 'T')}Z` : text)
    : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`${flag} expects an ISO time such as 2025-01-31 or 2025-01-31T12:00:00Z, got "${text}"`);
  return ms;
}

function axeosAddresses(texts: string[]): AxeosAddress[] {
  try {
    return parseAxeosAddresses(texts);
  } catch (err) {
    if (err instanceof AxeosAddressError) throw new UsageError(`--axeos: ${err.message}`);
    throw err;
  }
}

/** `--serve-stratum [host:]port` and the options that only make sense with it. */
function parseServeStratum(rest: Token[], hasPools: boolean, hasNode: boolean): ServeStratumSpec | null {
  const all = (flag: string) => rest.filter((t) => t.flag === flag);
  const bind = all('--serve-stratum');
  if (bind.length > 1) throw new UsageError('--serve-stratum given more than once');
  if (bind.length === 0) {
    for (const f of ['--stratum-allow', '--stratum-min-difficulty', '--stratum-pay-username']) if (all(f).length > 0) throw new UsageError(`${f} only applies with --serve-stratum`);
    return null;
  }
  if (!hasPools && !hasNode) throw new UsageError('--serve-stratum needs work to hand out: give --node (solo) or --pool (proxy); benchmark mode has none');
  const { host, port } = hostPort('--serve-stratum', bind[0]!.value!, '127.0.0.1');
  const allow = all('--stratum-allow').map((t) => {
    try {
      return parseCidr(t.value!).text;
    } catch (err) {
      throw new UsageError(`--stratum-allow: ${(err as Error).message}`);
    }
  });
  const minText = all('--stratum-min-difficulty')[0]?.value ?? null;
  if (all('--stratum-min-difficulty').length > 1) throw new UsageError('--stratum-min-difficulty given more than once');
  const payToUsername = all('--stratum-pay-username').length > 0;
  if (payToUsername && !hasNode) throw new UsageError('--stratum-pay-username needs --node: with a pool, the pool pays');
  return { host, port, allow, minDifficulty: minText === null ? null : positiveNumber('--stratum-min-difficulty', minText), payToUsername };
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
    // After the --device it is the device's own (checked against its chip); before it, as given.
    frequencyMhz: device.frequencyMhz ?? (get('--frequency') === null ? null : numberInRange('--frequency', get('--frequency')!, 50, 1200)),
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
