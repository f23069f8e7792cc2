/**
 * The lines a miner sends to HashDeck's Stratum server, parsed with zod (server side of
 * docs/stratum-and-gbt.md §1.3 and §8.2). Lenient where real miners differ (an authorize without
 * a password, a subscribe with a session id or null, a difficulty sent as text), strict where the
 * bytes matter (submit fields are exact hex). Never throws: anything else comes back as
 * `malformed` (with the request id when there is one) or `unknown` (a method we do not serve).
 */
import { z } from 'zod';
import type { RequestId } from './replies.js';

const requestId = z.union([z.number(), z.string().max(64), z.null()]);
const hexBytes = z
  .string()
  .max(64)
  .regex(/^(?:[0-9a-fA-F]{2})*$/, 'hex bytes');
const hex8 = z.string().regex(/^[0-9a-fA-F]{8}$/, '8 hex digits');
/** A difficulty as a number, or as numeric text (some firmwares send "0.001"). */
const difficulty = z.union([z.number(), z.string().max(32)]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : Number(v);
  if (!(n > 0) || !Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: 'a difficulty must be a positive number' });
    return z.NEVER;
  }
  return n;
});

const configureParams = z.tuple([z.array(z.string().max(64)).max(16), z.record(z.string().max(64), z.unknown())]).rest(z.unknown());
const subscribeParams = z.array(z.unknown()).max(4).optional();
const authorizeParams = z.tuple([z.string().min(1).max(256)]).rest(z.unknown());
const suggestParams = z.tuple([difficulty]).rest(z.unknown());
const submitParams = z.union([z.tuple([z.string().max(256), z.string().min(1).max(64), hexBytes, hex8, hex8]), z.tuple([z.string().max(256), z.string().min(1).max(64), hexBytes, hex8, hex8, hex8])]);

export type MinerMessage =
  | { kind: 'configure'; id: RequestId; extensions: string[]; params: Record<string, unknown> }
  | { kind: 'subscribe'; id: RequestId; userAgent: string | null }
  | { kind: 'authorize'; id: RequestId; user: string }
  | { kind: 'suggest_difficulty'; id: RequestId; difficulty: number }
  | { kind: 'extranonce_subscribe'; id: RequestId }
  | { kind: 'submit'; id: RequestId; worker: string; jobId: string; extranonce2Hex: string; ntime: number; nonce: number; versionBits: number | null }
  | { kind: 'ping'; id: RequestId }
  /** A reply to something we sent (the miner answering a ping): nothing to do. */
  | { kind: 'response' }
  | { kind: 'unknown'; id: RequestId; method: string }
  | { kind: 'malformed'; id: RequestId; error: string };

/** One line from a miner. */
export function parseMinerLine(line: string): MinerMessage {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'malformed', id: null, error: 'not JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'malformed', id: null, error: 'not a JSON object' };
  const obj = value as Record<string, unknown>;
  const idParse = requestId.safeParse(obj['id'] ?? null);
  const id: RequestId = idParse.success ? idParse.data : null;
  const method = obj['method'];
  if (method === undefined || method === null) {
    return 'result' in obj || 'error' in obj ? { kind: 'response' } : { kind: 'malformed', id, error: 'no method' };
  }
  if (typeof method !== 'string') return { kind: 'malformed', id, error: 'method is not a string' };
  const params = obj['params'];
  const bad = (e: z.ZodError): MinerMessage => ({ kind: 'malformed', id, error: `bad ${method.slice(0, 40)} params: ${summarise(e)}` });
  switch (method) {
    case 'mining.configure': {
      const p = configureParams.safeParse(params);
      return p.success ? { kind: 'configure', id, extensions: p.data[0], params: p.data[1] } : bad(p.error);
    }
    case 'mining.subscribe': {
      const p = subscribeParams.safeParse(params);
      if (!p.success) return bad(p.error);
      const ua = p.data?.[0];
      return { kind: 'subscribe', id, userAgent: typeof ua === 'string' && ua.length > 0 ? ua.slice(0, 128) : null };
    }
    case 'mining.authorize': {
      const p = authorizeParams.safeParse(params);
      // The password is not checked: a household pool has no accounts (§8.1).
      return p.success ? { kind: 'authorize', id, user: p.data[0] } : bad(p.error);
    }
    case 'mining.suggest_difficulty': {
      const p = suggestParams.safeParse(params);
      return p.success ? { kind: 'suggest_difficulty', id, difficulty: p.data[0] } : bad(p.error);
    }
    case 'mining.extranonce.subscribe':
      return { kind: 'extranonce_subscribe', id };
    case 'mining.submit': {
      const p = submitParams.safeParse(params);
      if (!p.success) return bad(p.error);
      const [worker, jobId, extranonce2Hex, ntimeHex, nonceHex, versionHex] = p.data;
      return {
        kind: 'submit',
        id,
        worker,
        jobId,
        extranonce2Hex: extranonce2Hex.toLowerCase(),
        ntime: parseInt(ntimeHex, 16) >>> 0,
        nonce: parseInt(nonceHex, 16) >>> 0,
        versionBits: versionHex === undefined ? null : parseInt(versionHex, 16) >>> 0,
      };
    }
    case 'mining.ping':
      return { kind: 'ping', id };
    default:
      return { kind: 'unknown', id, method: method.slice(0, 64) };
  }
}

function summarise(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  return `${first.path.join('.') || '(root)'}: ${first.message}`;
}
