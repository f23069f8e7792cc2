/**
 * Reading AxeOS JSON (`GET /api/system/info`, `GET /api/system/asic`) into HashDeck's units.
 * Field names and units are ESP-Miner's (docs/axeos.md §2). The schemas are tolerant on purpose:
 * forks add fields (ignored) and leave some out (null), a field of the wrong type is null rather
 * than an error, and every text is cut to a sane length and made plain text. What is not an
 * object, or an object with none of the AxeOS figures, is refused with a reason.
 */
import { z } from 'zod';
import { plainText } from '@shared/plain-text.js';

/** Longest text kept from a device (host names, versions, pool URLs and users are far shorter). */
const MAX_TEXT_CHARS = 256;

/** A field that may be missing: forks leave fields out, and that is no error. */
const field = z.unknown().optional();

const number = field.transform((v): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  // Some forks send figures as text ("12.5").
  if (typeof v === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v)) return Number(v);
  return null;
});

const text = field.transform((v): string | null => (typeof v === 'string' ? plainText(v.slice(0, MAX_TEXT_CHARS)) : null));

/** ESP-Miner sends 0/1 for its switches; some forks send booleans. */
const flag = field.transform((v): boolean | null => (v === true || v === 1 ? true : v === false || v === 0 ? false : null));

const SUFFIX: Readonly<Record<string, number>> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/**
 * Best difficulty: a number on current ESP-Miner, text with a suffix ("4.29G") on older firmware
 * and on forks (docs/features.md §(e)2).
 */
export function parseDifficulty(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : null;
  if (typeof v !== 'string') return null;
  const m = /^\s*(\d+\.?\d*|\.\d+)\s*([kKMGTPE]?)\s*$/.exec(v);
  if (!m) return null;
  return Number(m[1]) * (SUFFIX[m[2] ?? ''] ?? 1);
}

const difficulty = field.transform(parseDifficulty);

/** `/api/system/info`, the fields HashDeck reads (http_server.c `GET_system_info`). */
export const systemInfoSchema = z.object({
  hostname: text,
  ASICModel: text,
  /** Forks (NerdQAxe++) name the device model here too; ESP-Miner only in /api/system/asic. */
  deviceModel: text,
  boardVersion: text,
  version: text,
  axeOSVersion: text,
  hashRate: number,
  hashRate_1m: number,
  hashRate_10m: number,
  hashRate_1h: number,
  expectedHashrate: number,
  power: number,
  voltage: number,
  current: number,
  coreVoltageActual: number,
  frequency: number,
  temp: number,
  vrTemp: number,
  fanspeed: number,
  fanrpm: number,
  bestDiff: difficulty,
  bestSessionDiff: difficulty,
  sharesAccepted: number,
  sharesRejected: number,
  blockFound: number,
  uptimeSeconds: number,
  stratumURL: text,
  stratumPort: number,
  stratumUser: text,
  stratumTLS: number,
  fallbackStratumURL: text,
  fallbackStratumPort: number,
  fallbackStratumUser: text,
  isUsingFallbackStratum: flag,
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

/** `/api/system/asic` (asic_settings.c `GET_system_asic`): mostly static facts about the board. */
export const asicInfoSchema = z.object({
  ASICModel: text,
  deviceModel: text,
  asicCount: number,
});
export type AsicInfo = z.infer<typeof asicInfoSchema>;

export interface AxeosPoolSetting {
  url: string;
  port: number | null;
  user: string;
}

/** One poll's figures in HashDeck's units (H/s, W, V, A, °C). */
export interface AxeosReading {
  hostname: string | null;
  asicModel: string | null;
  deviceModel: string | null;
  boardVersion: string | null;
  firmwareVersion: string | null;
  webVersion: string | null;
  hashrateHs: number | null;
  hashrate1mHs: number | null;
  hashrate10mHs: number | null;
  hashrate1hHs: number | null;
  expectedHashrateHs: number | null;
  powerW: number | null;
  inputVoltageV: number | null;
  currentA: number | null;
  coreVoltageV: number | null;
  frequencyMhz: number | null;
  asicTempC: number | null;
  vrTempC: number | null;
  fanPercent: number | null;
  fanRpm: number | null;
  bestDifficulty: number | null;
  bestDifficultyAllTime: number | null;
  sharesAccepted: number | null;
  sharesRejected: number | null;
  blocksFound: number | null;
  uptimeS: number | null;
  /** The primary pool as configured (what "mine to this HashDeck" changes). */
  primaryPool: AxeosPoolSetting | null;
  fallbackPool: AxeosPoolSetting | null;
  usingFallback: boolean;
  /** `stratumTLS` (0 = plain TCP); null on firmware without TLS. */
  stratumTls: number | null;
}

export class AxeosAnswerError extends Error {
  override name = 'AxeosAnswerError';
}

const scaled = (v: number | null, factor: number): number | null => (v === null ? null : v * factor);
/** ESP-Miner sends 0 (or below) for a temperature sensor the board lacks. */
const temperature = (v: number | null): number | null => (v === null || v <= 0 ? null : v);
const count = (v: number | null): number | null => (v === null || v < 0 ? null : v);

function pool(url: string | null, port: number | null, user: string | null): AxeosPoolSetting | null {
  if (url === null || url.trim() === '') return null;
  return { url, port: port !== null && Number.isInteger(port) && port > 0 && port < 65536 ? port : null, user: user ?? '' };
}

function asObject(json: unknown, what: string): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new AxeosAnswerError(`${what} is not a JSON object`);
  return json as Record<string, unknown>;
}

/** Parses `/api/system/info`; throws AxeosAnswerError when it is not AxeOS JSON at all. */
export function parseSystemInfo(json: unknown): AxeosReading {
  const info = systemInfoSchema.parse(asObject(json, 'the answer to /api/system/info'));
  if (info.hashRate === null && info.ASICModel === null && info.version === null && info.power === null) {
    throw new AxeosAnswerError('the answer to /api/system/info has none of the AxeOS fields (hashRate, ASICModel, version, power): is this an AxeOS device?');
  }
  const usingFallback = info.isUsingFallbackStratum === true;
  return {
    hostname: info.hostname,
    asicModel: info.ASICModel,
    deviceModel: info.deviceModel,
    boardVersion: info.boardVersion,
    firmwareVersion: info.version,
    webVersion: info.axeOSVersion,
    // AxeOS reports hashrates in GH/s.
    hashrateHs: scaled(info.hashRate, 1e9),
    hashrate1mHs: scaled(info.hashRate_1m, 1e9),
    hashrate10mHs: scaled(info.hashRate_10m, 1e9),
    hashrate1hHs: scaled(info.hashRate_1h, 1e9),
    expectedHashrateHs: scaled(info.expectedHashrate, 1e9),
    powerW: info.power,
    // Input voltage, current and core voltage come in mV and mA.
    inputVoltageV: scaled(info.voltage, 1e-3),
    currentA: scaled(info.current, 1e-3),
    coreVoltageV: scaled(info.coreVoltageActual, 1e-3),
    frequencyMhz: info.frequency,
    asicTempC: temperature(info.temp),
    vrTempC: temperature(info.vrTemp),
    fanPercent: info.fanspeed,
    fanRpm: info.fanrpm,
    bestDifficulty: info.bestSessionDiff,
    bestDifficultyAllTime: info.bestDiff,
    sharesAccepted: count(info.sharesAccepted),
    sharesRejected: count(info.sharesRejected),
    blocksFound: count(info.blockFound),
    uptimeS: count(info.uptimeSeconds),
    primaryPool: pool(info.stratumURL, info.stratumPort, info.stratumUser),
    fallbackPool: pool(info.fallbackStratumURL, info.fallbackStratumPort, info.fallbackStratumUser),
    usingFallback,
    stratumTls: info.stratumTLS,
  };
}

export interface AxeosAsicFacts {
  asicModel: string | null;
  deviceModel: string | null;
  asicCount: number | null;
}

/** Parses `/api/system/asic`. */
export function parseAsicInfo(json: unknown): AxeosAsicFacts {
  const a = asicInfoSchema.parse(asObject(json, 'the answer to /api/system/asic'));
  return { asicModel: a.ASICModel, deviceModel: a.deviceModel, asicCount: a.asicCount !== null && a.asicCount >= 0 ? a.asicCount : null };
}
