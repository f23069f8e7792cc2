/**
 * Settings the desktop app keeps in the data directory (settings.json, mode 0600: it can hold
 * pool and RPC passwords). The renderer sends them with `setSettings`; they are validated here
 * with the same rules as the CLI before anything is saved.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { poolUrl } from '../cli/args.js';
import { parsePayoutAddress } from '../work/address.js';
import { parseAxeosAddresses } from '../fleet/address.js';
import { scheduleSchema } from '@shared/contract';
import { mqttSettingsSchema, notifySettingsSchema } from '@shared/contract';
import { NotifyConfigError, createChannel } from '../notify/notifier.js';
import { parseCidr } from '../work/stratum-server/allow-list.js';

const poolSettingSchema = z.object({
  url: z.string().min(1),
  user: z.string().min(1, 'a pool needs a user (often <address>.<worker>)'),
  password: z.string().default('x'),
});

/** Serving Stratum to the household's network miners (the `--serve-stratum` options). */
const stratumServerSettingSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(1).max(65535),
  allow: z.array(z.string()).max(32).default([]),
  minDifficulty: z.number().positive().optional(),
  payToUsername: z.boolean().optional(),
});

const nodeSettingSchema = z.object({
  url: z.string().url(),
  payoutAddress: z.string().min(1),
  rpcCookie: z.string().optional(),
  rpcUser: z.string().optional(),
  rpcPassword: z.string().optional(),
});

export const settingsSchema = z
  .object({
    pools: z.array(poolSettingSchema).max(10).default([]),
    node: nodeSettingSchema.optional(),
    /** Device specs as on the command line: "auto", "emulator:2", "/dev/ttyACM1:bm1366". */
    devices: z.array(z.string()).max(32).optional(),
    frequencyMhz: z.number().min(50).max(1200).optional(),
    /** Wi-Fi miners to watch, `host[:port]` each (AxeOS, docs/axeos.md); none: nothing is polled. */
    axeosDevices: z.array(z.string()).max(32).optional(),
    /** When to mine, pause or run a tuning profile (changed live with setSchedule; kept here). */
    schedule: scheduleSchema.nullable().optional(),
    /** Notification channels; their targets and secrets are sealed like passwords. */
    notify: notifySettingsSchema.optional(),
    /** MQTT for Home Assistant; the URL (it may hold a password) is sealed. */
    mqtt: mqttSettingsSchema.optional(),
    /** The Stratum server for network miners (`--serve-stratum` in the app). */
    stratumServer: stratumServerSettingSchema.optional(),
  })
  .superRefine((s, ctx) => {
    s.notify?.channels.forEach((c, i) => {
      try {
        createChannel(c, s.notify!);
      } catch (err) {
        if (err instanceof NotifyConfigError) ctx.addIssue({ code: 'custom', path: ['notify', 'channels', i], message: err.message });
        else throw err;
      }
    });
    if (s.stratumServer) {
      if (s.pools.length === 0 && !s.node) ctx.addIssue({ code: 'custom', path: ['stratumServer'], message: 'serving Stratum needs work to hand out: a node (solo) or a pool (proxy)' });
      if (s.stratumServer.payToUsername && !s.node)
        ctx.addIssue({ code: 'custom', path: ['stratumServer', 'payToUsername'], message: 'paying the address in each username needs a node: with a pool, the pool pays' });
      s.stratumServer.allow.forEach((block, i) => {
        try {
          parseCidr(block);
        } catch (err) {
          ctx.addIssue({ code: 'custom', path: ['stratumServer', 'allow', i], message: (err as Error).message });
        }
      });
    }
    if (s.pools.length > 0 && s.node) ctx.addIssue({ code: 'custom', message: 'use either pools or a node, not both' });
    s.pools.forEach((p, i) => {
      try {
        poolUrl(p.url);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['pools', i, 'url'], message: (err as Error).message });
      }
    });
    if (s.axeosDevices) {
      try {
        parseAxeosAddresses(s.axeosDevices);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['axeosDevices'], message: (err as Error).message });
      }
    }
    if (s.node) {
      try {
        parsePayoutAddress(s.node.payoutAddress);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['node', 'payoutAddress'], message: (err as Error).message });
      }
      const hasUser = s.node.rpcUser !== undefined && s.node.rpcUser !== '';
      if (hasUser && !s.node.rpcPassword) ctx.addIssue({ code: 'custom', path: ['node', 'rpcPassword'], message: 'an RPC user needs its password' });
      if (hasUser && s.node.rpcCookie) ctx.addIssue({ code: 'custom', path: ['node'], message: 'use the cookie file or a user and password, not both' });
    }
  });
export type Settings = z.infer<typeof settingsSchema>;

const FILE = 'settings.json';

/**
 * Seals secrets with the OS keychain (Electron safeStorage, through the desktop shell). Headless
 * there is none: the file is then readable by its owner only (0600).
 */
export interface SecretCipher {
  seal(plain: string): Promise<string>;
  unseal(sealed: string): Promise<string>;
}

/**
 * The desktop app without a real keychain (desktop/secret-storage.ts): secrets are left out of the
 * file (held in memory by the engine process for the session) and the file says so, so that the
 * app asks for them again at the next start.
 */
export const SESSION_ONLY_SECRETS = 'session-only';
export type SecretKeeping = SecretCipher | typeof SESSION_ONLY_SECRETS | null;

interface Secrets {
  poolPasswords: string[];
  rpcPassword?: string;
  /** Per channel: target (URLs carry tokens) and secret. */
  notifyChannels?: { target: string; secret?: string }[];
  telegramToken?: string;
  mqttUrl?: string;
}

/** Validate a settings object; throws one readable sentence listing what is wrong. */
export function parseSettings(value: unknown): Settings {
  const r = settingsSchema.safeParse(value);
  if (!r.success) throw new Error(`settings not saved: ${r.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Settings with the passwords taken out (a pool's default "x" is no secret and stays). */
function withoutSecrets(settings: Settings): Record<string, unknown> {
  return {
    ...settings,
    pools: settings.pools.map((p) => ({ ...p, password: p.password === 'x' ? 'x' : '' })),
    node: settings.node ? { ...settings.node, rpcPassword: undefined } : undefined,
    notify: settings.notify ? { ...settings.notify, channels: settings.notify.channels.map((c) => ({ ...c, target: '', secret: undefined })), telegramToken: undefined } : undefined,
    mqtt: settings.mqtt ? { ...settings.mqtt, url: '' } : undefined,
  };
}

/**
 * A client sends the part of the settings it edits: the work source (pools and node together), or
 * notifications and MQTT. The rest is kept from what is saved.
 */
export function mergeSettings(current: Settings | null, incoming: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(current ?? {}), ...incoming };
  if ('pools' in incoming || 'node' in incoming) {
    merged['pools'] = incoming['pools'] ?? [];
    merged['node'] = incoming['node'];
  }
  return merged;
}

/** True when settings.json was saved without its passwords (no keychain): they must be asked for again. */
export function secretsNotSaved(dataDir: string): boolean {
  const file = path.join(dataDir, FILE);
  if (!existsSync(file)) return false;
  return (JSON.parse(readFileSync(file, 'utf8')) as { secretsNotSaved?: unknown }).secretsNotSaved === true;
}

export async function loadSettings(dataDir: string, cipher: SecretKeeping = null): Promise<Settings | null> {
  const file = path.join(dataDir, FILE);
  if (!existsSync(file)) return null;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { sealedSecrets?: unknown; secretsNotSaved?: unknown };
  const { sealedSecrets, secretsNotSaved: notSaved, ...rest } = raw;
  if (notSaved === true) {
    // The passwords were never written. The RPC user comes back without its password (validated
    // without it, since "a user needs its password" is for saving): the app asks for it again.
    const node = rest['node'] && typeof rest['node'] === 'object' ? (rest['node'] as Record<string, unknown>) : undefined;
    // Notification targets and the MQTT URL were left out too: those sections are entered again.
    const settings = parseSettings({ ...rest, node: node ? { ...node, rpcUser: undefined, rpcPassword: undefined } : rest['node'], notify: undefined, mqtt: undefined });
    if (settings.node && typeof node?.['rpcUser'] === 'string') settings.node.rpcUser = node['rpcUser'];
    return settings;
  }
  if (typeof sealedSecrets !== 'string') return parseSettings(rest);
  if (!cipher || cipher === SESSION_ONLY_SECRETS) throw new Error(`${file} holds passwords sealed by the desktop app's keychain; open it in the desktop app or pass the settings as options`);
  const secrets = JSON.parse(await cipher.unseal(sealedSecrets)) as Secrets;
  // Put the secrets back before validating: the rules (a user needs its password) see them.
  const pools = Array.isArray(rest['pools']) ? (rest['pools'] as Record<string, unknown>[]).map((p, i) => ({ ...p, password: secrets.poolPasswords[i] ?? p['password'] })) : rest['pools'];
  const node = rest['node'] && typeof rest['node'] === 'object' ? { ...(rest['node'] as Record<string, unknown>), rpcPassword: secrets.rpcPassword } : rest['node'];
  const notify = rest['notify'] && typeof rest['notify'] === 'object' ? restoreNotify(rest['notify'] as Record<string, unknown>, secrets) : rest['notify'];
  const mqtt = rest['mqtt'] && typeof rest['mqtt'] === 'object' ? { ...(rest['mqtt'] as Record<string, unknown>), url: secrets.mqttUrl } : rest['mqtt'];
  return parseSettings({ ...rest, pools, node, notify, mqtt });
}

function restoreNotify(saved: Record<string, unknown>, secrets: Secrets): Record<string, unknown> {
  const channels = Array.isArray(saved['channels']) ? (saved['channels'] as Record<string, unknown>[]) : [];
  return { ...saved, telegramToken: secrets.telegramToken, channels: channels.map((c, i) => ({ ...c, target: secrets.notifyChannels?.[i]?.target, secret: secrets.notifyChannels?.[i]?.secret })) };
}

/**
 * Atomic write, readable by the owner only; with a cipher the passwords are sealed, with
 * SESSION_ONLY_SECRETS they are left out.
 */
export async function saveSettings(dataDir: string, settings: Settings, cipher: SecretKeeping = null): Promise<void> {
  const file = path.join(dataDir, FILE);
  const tmp = `${file}.tmp`;
  let body: Record<string, unknown> = settings;
  if (cipher === SESSION_ONLY_SECRETS) {
    body = { ...withoutSecrets(settings), secretsNotSaved: true };
  } else if (cipher) {
    const secrets: Secrets = {
      poolPasswords: settings.pools.map((p) => p.password),
      rpcPassword: settings.node?.rpcPassword,
      notifyChannels: settings.notify?.channels.map((c) => ({ target: c.target, ...(c.secret ? { secret: c.secret } : {}) })),
      telegramToken: settings.notify?.telegramToken,
      mqttUrl: settings.mqtt?.url,
    };
    body = { ...withoutSecrets(settings), sealedSecrets: await cipher.seal(JSON.stringify(secrets)) };
  }
  writeFileSync(tmp, JSON.stringify(body, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
