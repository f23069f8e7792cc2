/**
 * The headless config file (`hashdeck mine --config /etc/hashdeck/config.json`): the same
 * settings as the `mine` flags (docs/cli.md §2.4), as JSON. Keys mirror the flags in
 * camelCase (`--rpc-cookie` → `rpcCookie`, `--cgminer-api` → `cgminerApi`). Relative paths are
 * taken from the config file's folder. Errors name the file and the key, in one sentence each.
 * The file may hold secrets (pool/RPC password, API token): a file other users can read gets a
 * warning, and secrets never appear in messages.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CHIP_MODELS } from '@shared/chip-model.js';
import { notifyChannelSchema, scheduleSchema } from '@shared/contract';
import { MIN_API_TOKEN_CHARS } from '../api/http/access.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

const hostPortText = z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'must be "host:port"');
const portNumber = z.number().int().min(0).max(65535);

const deviceObject = z
  .object({
    /** `auto`, `emulator[:chips]` or a serial path. */
    device: z.string().min(1),
    chip: z.enum(CHIP_MODELS).optional(),
    control: z.string().min(1).optional(),
    scaleBits: z.number().int().min(0).max(32).optional(),
    expectChips: z.number().int().min(1).max(256).optional(),
    /** This board's frequency and core voltage (checked against its chip's range like the flags). */
    frequencyMhz: z.number().positive().max(2000).optional(),
    coreVoltageMv: z.number().int().positive().max(5000).optional(),
    /** Start paused (resume from the dashboard, or let the schedule drive it). */
    paused: z.boolean().optional(),
    worker: z.string().min(1).optional(),
    /** This device's ticket: a difficulty or "auto" (the top-level one applies to the others). */
    ticketDifficulty: z
      .union([
        z
          .number()
          .min(1)
          .max(2 ** 32),
        z.literal('auto'),
      ])
      .optional(),
  })
  .strict();

const listenerObject = z.object({ host: z.string().min(1).default('127.0.0.1'), port: portNumber }).strict();

export const fileConfigSchema = z
  .object({
    $schema: z.string().optional(),
    devices: z.array(z.union([z.string().min(1), deviceObject])).min(1, 'list at least one device ("auto", "emulator:1" or a serial path)'),
    pools: z.array(z.string().regex(/^stratum\+(tcp|ssl):\/\/[^\s/]+:\d{1,5}\/?$/, 'must look like stratum+tcp://host:port or stratum+ssl://host:port')).optional(),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
    suggestDifficulty: z.number().positive().optional(),
    extranonceSubscribe: z.boolean().optional(),
    tlsInsecure: z.boolean().optional(),
    tlsFingerprint: z.string().min(1).optional(),
    node: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    payout: z.string().min(1).optional(),
    rpcCookie: z.string().min(1).optional(),
    rpcUser: z.string().min(1).optional(),
    rpcPassword: z.string().optional(),
    frequencyMhz: z.number().positive().max(2000).optional(),
    ticketDifficulty: z
      .union([
        z
          .number()
          .min(1)
          .max(2 ** 32),
        z.literal('auto'),
      ])
      .optional(),
    dataDir: z.string().min(1).optional(),
    http: z.union([hostPortText, listenerObject]).optional(),
    metrics: z.boolean().optional(),
    cgminerApi: z.union([portNumber, z.string().regex(/^((\[[0-9a-fA-F:]+\]|[^:\s]+):)?\d{1,5}$/, 'must be "[host:]port"'), listenerObject]).optional(),
    apiToken: z.string().min(MIN_API_TOKEN_CHARS, `must be at least ${MIN_API_TOKEN_CHARS} characters`).optional(),
    durationS: z.number().positive().optional(),
    deadPoolS: z.number().positive().optional(),
    primaryProbeS: z.number().positive().optional(),
    /** AxeOS devices to watch, `host[:port]` each (`--axeos`). */
    axeos: z.array(z.string().min(1)).max(32).optional(),
    /** When to mine, pause or run a tuning profile (the same shape the dashboard's schedule editor saves). */
    schedule: scheduleSchema.optional(),
    notify: z.array(notifyChannelSchema.strict()).optional(),
    telegramToken: z.string().min(1).optional(),
    telegramApi: z.string().min(1).optional(),
    mqtt: z
      .string()
      .regex(/^mqtts?:\/\//, 'must look like mqtt://host:port or mqtts://host:port')
      .optional(),
    mqttNodeId: z.string().min(1).optional(),
    allowWrites: z.boolean().optional(),
    coinbaseTag: z.string().optional(),
    serveStratum: z.union([portNumber, z.string().regex(/^((\[[0-9a-fA-F:]+\]|[^:\s]+):)?\d{1,5}$/, 'must be "[host:]port"'), listenerObject]).optional(),
    stratumAllow: z.array(z.string().min(1)).optional(),
    stratumMinDifficulty: z.number().positive().optional(),
    stratumPayUsername: z.boolean().optional(),
  })
  .strict();

export type RawFileConfig = z.infer<typeof fileConfigSchema>;

export interface DeviceEntry {
  device: string;
  chip?: (typeof CHIP_MODELS)[number];
  control?: string;
  scaleBits?: number;
  expectChips?: number;
  frequencyMhz?: number;
  coreVoltageMv?: number;
  paused?: boolean;
  worker?: string;
  ticketDifficulty?: number | 'auto';
}

export interface Listener {
  host: string;
  port: number;
}

/** The config file after validation: devices as objects, listeners as host + port, paths absolute. */
export interface FileConfig extends Omit<RawFileConfig, 'devices' | 'http' | 'cgminerApi' | 'serveStratum' | '$schema'> {
  devices: DeviceEntry[];
  http?: Listener;
  cgminerApi?: Listener;
  serveStratum?: Listener;
}

export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
}

function listener(value: string | number | { host: string; port: number } | undefined): Listener | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return { host: '127.0.0.1', port: value };
  if (typeof value === 'object') return { host: value.host, port: value.port };
  const colon = value.lastIndexOf(':');
  if (colon < 0) return { host: '127.0.0.1', port: Number(value) };
  const host = value.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(value.slice(colon + 1)) };
}

function issuePath(p: readonly PropertyKey[]): string {
  return p.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc === '' ? String(key) : `${acc}.${String(key)}`), '');
}

/** What a JSON value is, in words ("a string", "an array"). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function valueAt(root: unknown, p: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of p) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** One issue as words that name the key, what it must be, and what it was (never the value: it may be a secret). */
function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const where = issuePath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${where === '' ? '' : `${where}: `}unknown key ${keys}`;
  }
  if (issue.code === 'invalid_type') {
    const value = valueAt(root, issue.path);
    if (where === '') return `must be a JSON object of settings such as {"devices": ["auto"]}, not ${kindOf(value)}`;
    if (value === undefined) return `${where}: is required`;
    return `${where}: must be ${issue.expected === 'array' ? 'an array' : issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, not ${kindOf(value)}`;
  }
  return `${where === '' ? '' : `${where}: `}${issue.message}`;
}

/** Rules between keys, the same as the CLI's. */
function crossCheck(cfg: FileConfig): string[] {
  const errors: string[] = [];
  const pools = cfg.pools ?? [];
  if (pools.length > 0 && cfg.node) errors.push('use either "pools" or "node", not both (mining to pools and a node at once is not supported yet)');
  if (pools.length > 0 && !cfg.user) errors.push('"pools" needs "user" (pools use it to credit shares, often <address>.<worker>)');
  if (cfg.node && !cfg.payout) errors.push('"node" needs "payout" (the address every block pays)');
  if (cfg.payout && !cfg.node) errors.push('"payout" only applies with "node"');
  if ((cfg.rpcUser === undefined) !== (cfg.rpcPassword === undefined)) errors.push('"rpcUser" and "rpcPassword" go together');
  if (cfg.rpcCookie && cfg.rpcUser) errors.push('use either "rpcCookie" or "rpcUser"/"rpcPassword"');
  for (const [key, l] of [
    ['http', cfg.http],
    ['cgminerApi', cfg.cgminerApi],
  ] as const) {
    if (l && !LOOPBACK.test(l.host) && !cfg.apiToken) errors.push(`"${key}" binds ${l.host}: set "apiToken" (only loopback addresses may be served without one)`);
  }
  cfg.devices.forEach((d, i) => {
    const isPath = d.device !== 'auto' && !/^emulator(:\d+)?$/.test(d.device);
    if (isPath && !d.chip) errors.push(`devices[${i}]: "${d.device}" is a serial path: say which chip it has with "chip" (${CHIP_MODELS.join('|')})`);
    if (d.device === 'auto' && (d.chip || d.control || d.scaleBits !== undefined || d.frequencyMhz !== undefined || d.coreVoltageMv !== undefined || d.paused || d.ticketDifficulty !== undefined))
      errors.push(`devices[${i}]: "auto" takes no per-device options`);
  });
  return errors;
}

/** Validates parsed JSON. `baseDir` resolves relative paths; `source` names the file in errors. */
export function parseFileConfig(value: unknown, source: string, baseDir: string): FileConfig {
  const result = fileConfigSchema.safeParse(value);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 5).map((issue) => describeIssue(issue, value));
    const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
    throw new ConfigFileError(`config file ${source}: ${lines.join('; ')}${more}`);
  }
  const raw = result.data;
  const resolvePath = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(baseDir, p));
  const { $schema: _schema, devices, http, cgminerApi, serveStratum, ...rest } = raw;
  const cfg: FileConfig = {
    ...rest,
    devices: devices.map((d) => {
      const entry: DeviceEntry = typeof d === 'string' ? { device: d } : { ...d };
      if (entry.control) entry.control = path.resolve(baseDir, entry.control);
      return entry;
    }),
  };
  const h = listener(http);
  if (h) cfg.http = h;
  const c = listener(cgminerApi);
  if (c) cfg.cgminerApi = c;
  const st = listener(serveStratum);
  if (st) cfg.serveStratum = st;
  if (cfg.rpcCookie) cfg.rpcCookie = resolvePath(cfg.rpcCookie)!;
  if (cfg.dataDir) cfg.dataDir = resolvePath(cfg.dataDir)!;
  const errors = crossCheck(cfg);
  if (errors.length > 0) throw new ConfigFileError(`config file ${source}: ${errors.join('; ')}`);
  return cfg;
}

export interface LoadedConfig {
  config: FileConfig;
  /** Advice for the operator (e.g. file permissions); never contains secret values. */
  warnings: string[];
}

export function loadFileConfig(file: string): LoadedConfig {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigFileError(`config file ${absolute} does not exist`);
    if (code === 'EACCES') throw new ConfigFileError(`config file ${absolute} is not readable by this user`);
    if (code === 'EISDIR') throw new ConfigFileError(`config file ${absolute} is a directory`);
    throw new ConfigFileError(`config file ${absolute} cannot be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigFileError(`config file ${absolute} is not valid JSON: ${(err as Error).message}`);
  }
  const config = parseFileConfig(json, absolute, path.dirname(absolute));
  const warnings: string[] = [];
  const hasSecret =
    (config.password !== undefined && config.password !== 'x') ||
    config.rpcPassword !== undefined ||
    config.apiToken !== undefined ||
    config.telegramToken !== undefined ||
    (config.notify ?? []).length > 0 ||
    /\/\/[^/@]*:[^/@]*@/.test(config.mqtt ?? '');
  if (hasSecret && process.platform !== 'win32') {
    const mode = statSync(absolute).mode & 0o777;
    if (mode & 0o077) warnings.push(`config file ${absolute} holds secrets and is readable by other users (mode ${mode.toString(8)}); run chmod 600 ${absolute}`);
  }
  return { config, warnings };
}

/** Keys whose flag is not the key in kebab-case (`rpcCookie` → `--rpc-cookie`). */
const FLAG_OF: Readonly<Record<string, string>> = {
  pools: '--pool',
  frequencyMhz: '--frequency',
  durationS: '--duration',
  deadPoolS: '--dead-pool-timeout',
  primaryProbeS: '--primary-probe-interval',
};

/** Every key but `devices`, in the order its flags are written. */
const GLOBAL_KEYS = [
  'pools',
  'user',
  'password',
  'suggestDifficulty',
  'extranonceSubscribe',
  'tlsInsecure',
  'tlsFingerprint',
  'node',
  'payout',
  'rpcCookie',
  'rpcUser',
  'rpcPassword',
  'frequencyMhz',
  'ticketDifficulty',
  'dataDir',
  'http',
  'metrics',
  'cgminerApi',
  'apiToken',
  'durationS',
  'deadPoolS',
  'primaryProbeS',
  'serveStratum',
  'stratumAllow',
  'stratumMinDifficulty',
  'stratumPayUsername',
  'axeos',
  'notify',
  'telegramToken',
  'telegramApi',
  'mqtt',
  'mqttNodeId',
  'allowWrites',
  'coinbaseTag',
  'schedule',
] as const satisfies ReadonlyArray<Exclude<keyof FileConfig, 'devices'>>;

const DEVICE_KEYS = ['device', 'chip', 'control', 'scaleBits', 'expectChips', 'frequencyMhz', 'coreVoltageMv', 'worker', 'ticketDifficulty', 'paused'] as const satisfies ReadonlyArray<
  keyof DeviceEntry
>;

// A key left out of these lists would never reach the CLI: it fails to compile instead.
const _everyKeyListed: [Exclude<keyof FileConfig, 'devices' | (typeof GLOBAL_KEYS)[number]>, Exclude<keyof DeviceEntry, (typeof DEVICE_KEYS)[number]>] extends [never, never] ? true : never = true;

/**
 * One key's flags, from the value's kind: a switch when true (nothing when false), a flag per item
 * of a list, `host:port` for a listener, else the value as text. Notify channels and the schedule
 * have their own shapes.
 */
function keyArgs(key: string, value: unknown): string[] {
  if (value === undefined || value === false) return [];
  if (key === 'notify')
    return (value as NonNullable<FileConfig['notify']>).flatMap((n) => [
      ...keyArgs('notify', `${n.kind}=${n.target}`),
      ...keyArgs('notifyEvents', n.events?.join(',')),
      ...keyArgs('notifySecret', n.secret),
    ]);
  // The schedule travels as its JSON (the --schedule flag takes a file or the JSON itself).
  if (key === 'schedule') return ['--schedule', JSON.stringify(value)];
  const flag = FLAG_OF[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  if (value === true) return [flag];
  if (Array.isArray(value)) return value.flatMap((v: unknown) => keyArgs(key, v));
  if (typeof value === 'object') {
    const l = value as Listener;
    return [flag, l.host.includes(':') ? `[${l.host}]:${l.port}` : `${l.host}:${l.port}`];
  }
  return [flag, String(value)];
}

/**
 * The config as `mine` arguments, for the CLI to parse with its own rules (so a file and flags
 * can never mean different things). Settings for every board come first, then each device with
 * its own options (a `--frequency` after a `--device` is that device's). Secrets pass in memory
 * only; they are not logged.
 */
export function fileConfigToArgs(cfg: FileConfig): string[] {
  const args = GLOBAL_KEYS.flatMap((key) => keyArgs(key, cfg[key]));
  for (const d of cfg.devices) args.push(...DEVICE_KEYS.flatMap((key) => keyArgs(key, d[key])));
  return args;
}
