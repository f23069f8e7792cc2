/**
 * Stratum v1 message shapes (docs/stratum-and-gbt.md §1.3–§1.5, §1.9) as zod schemas, except the
 * mining.notify params, checked by hand in notify-params.ts. Every line a pool sends goes through
 * `parsePoolMessage`; anything malformed or unknown comes back as
 * `{ ok: false }` with a reason, so the session can log it and drop it instead of throwing.
 * `parseMinerRequest` covers the lines a miner sends (used by the test pool and the vectors).
 */
import { z } from 'zod';
import { parseNotifyParams, type NotifyParams } from './notify-params.js';

export { MAX_MERKLE_BRANCHES, type NotifyParams } from './notify-params.js';

const hex = z.string().regex(/^(?:[0-9a-fA-F]{2})*$/, 'hex string');
const hex8 = z.string().regex(/^[0-9a-fA-F]{8}$/, '8 hex digits');
const requestId = z.union([z.number(), z.string(), z.null()]);

/** ESP-Miner clamps extranonce2_size to 32 (§1.3). */
export const MAX_EXTRANONCE2_SIZE = 32;

const extranonce2Size = z.number().int().min(0).max(MAX_EXTRANONCE2_SIZE);
const difficulty = z.number().positive().finite();

const reconnectParams = z
  .union([z.tuple([]), z.tuple([z.string()]), z.tuple([z.string(), z.union([z.string(), z.number()])]), z.tuple([z.string(), z.union([z.string(), z.number()]), z.union([z.string(), z.number()])])])
  .transform((p) => {
    const host = p[0] && p[0].length > 0 ? p[0] : null;
    const port = p[1] === undefined || p[1] === '' ? null : Number(p[1]);
    const waitS = p[2] === undefined || p[2] === '' ? 0 : Number(p[2]);
    return { host, port: port !== null && Number.isInteger(port) && port > 0 && port < 65536 ? port : null, waitS: Number.isFinite(waitS) && waitS > 0 ? waitS : 0 };
  });

const anyParams = z.array(z.unknown()).optional();

/** Notifications and requests a pool sends (§1.4). `id` is kept for the ones that need a reply. */
const poolRequestSchema = z.discriminatedUnion('method', [
  z.object({ id: requestId.optional(), method: z.literal('mining.set_difficulty'), params: z.tuple([difficulty]).rest(z.unknown()) }),
  z.object({ id: requestId.optional(), method: z.literal('mining.set_extranonce'), params: z.tuple([hex, extranonce2Size]).rest(z.unknown()) }),
  z.object({ id: requestId.optional(), method: z.literal('mining.set_version_mask'), params: z.tuple([hex8]).rest(z.unknown()) }),
  z.object({ id: requestId.optional(), method: z.literal('client.reconnect'), params: reconnectParams.optional() }),
  z.object({ id: requestId.optional(), method: z.literal('client.show_message'), params: z.tuple([z.string()]).rest(z.unknown()) }),
  z.object({ id: requestId.optional(), method: z.literal('client.get_version'), params: anyParams }),
  z.object({ id: requestId.optional(), method: z.literal('mining.ping'), params: anyParams }),
]);

/** A reply to one of our requests. `result`/`error` stay raw: their meaning depends on the request. */
export const responseSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  result: z.unknown().optional(),
  error: z.unknown().optional(),
  'reject-reason': z.string().optional(),
});
export type StratumResponse = z.infer<typeof responseSchema>;

export type PoolMessage =
  | { kind: 'notify'; id: unknown; params: NotifyParams }
  | { kind: 'set_difficulty'; difficulty: number }
  | { kind: 'set_extranonce'; extranonce1Hex: string; extranonce2Size: number }
  | { kind: 'set_version_mask'; mask: number; maskHex: string }
  | { kind: 'reconnect'; host: string | null; port: number | null; waitS: number }
  | { kind: 'show_message'; text: string }
  | { kind: 'get_version'; id: string | number | null }
  | { kind: 'ping'; id: string | number | null }
  | { kind: 'response'; response: StratumResponse };

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parse one line from a pool. Never throws. */
export function parsePoolMessage(line: string): ParseResult<PoolMessage> {
  const json = parseJsonObject(line);
  if (!json.ok) return json;
  const obj = json.value;
  if (obj.method === 'mining.notify') {
    // The hot message: checked by hand (notify-params.ts), same rules.
    const id = obj.id;
    if (id !== undefined && id !== null && typeof id !== 'number' && typeof id !== 'string') return { ok: false, error: 'bad mining.notify: id: expected a number, a string or null' };
    const params = parseNotifyParams(obj.params);
    if (!params.ok) return { ok: false, error: `bad mining.notify: ${params.error}` };
    return { ok: true, value: { kind: 'notify', id, params: params.value } };
  }
  if (typeof obj.method === 'string') {
    const parsed = poolRequestSchema.safeParse(obj);
    if (!parsed.success) return { ok: false, error: `bad ${obj.method}: ${summarise(parsed.error)}` };
    const m = parsed.data;
    switch (m.method) {
      case 'mining.set_difficulty':
        return { ok: true, value: { kind: 'set_difficulty', difficulty: m.params[0] } };
      case 'mining.set_extranonce':
        return { ok: true, value: { kind: 'set_extranonce', extranonce1Hex: m.params[0].toLowerCase(), extranonce2Size: m.params[1] } };
      case 'mining.set_version_mask':
        return { ok: true, value: { kind: 'set_version_mask', mask: parseInt(m.params[0], 16) >>> 0, maskHex: m.params[0].toLowerCase() } };
      case 'client.reconnect':
        return { ok: true, value: { kind: 'reconnect', ...(m.params ?? { host: null, port: null, waitS: 0 }) } };
      case 'client.show_message':
        return { ok: true, value: { kind: 'show_message', text: m.params[0] } };
      case 'client.get_version':
        return { ok: true, value: { kind: 'get_version', id: m.id ?? null } };
      case 'mining.ping':
        return { ok: true, value: { kind: 'ping', id: m.id ?? null } };
    }
  }
  if (obj.method !== undefined && obj.method !== null) return { ok: false, error: 'method is not a string' };
  const parsed = responseSchema.safeParse(obj);
  if (!parsed.success) return { ok: false, error: `not a response: ${summarise(parsed.error)}` };
  if (!('result' in obj) && !('error' in obj)) return { ok: false, error: 'response without result or error' };
  return { ok: true, value: { kind: 'response', response: parsed.data } };
}

/** mining.subscribe result: [[subscriptions…], extranonce1_hex, extranonce2_size] (§1.3). */
export const subscribeResultSchema = z
  .tuple([z.unknown(), hex, extranonce2Size])
  .rest(z.unknown())
  .transform((r) => ({ extranonce1Hex: r[1].toLowerCase(), extranonce2Size: r[2] }));
export type SubscribeResult = z.output<typeof subscribeResultSchema>;

/** mining.configure result map (BIP310). Unknown keys are ignored. */
export const configureResultSchema = z
  .looseObject({
    'version-rolling': z.boolean().optional(),
    'version-rolling.mask': hex8.optional(),
    'minimum-difficulty': z.boolean().optional(),
  })
  .transform((r) => ({
    versionRolling: r['version-rolling'] === true && r['version-rolling.mask'] !== undefined,
    versionMask: r['version-rolling'] === true && r['version-rolling.mask'] !== undefined ? parseInt(r['version-rolling.mask'], 16) >>> 0 : 0,
    minimumDifficulty: r['minimum-difficulty'] ?? null,
  }));
export type ConfigureResult = z.output<typeof configureResultSchema>;

export interface RejectReason {
  reason: string;
  code: number | null;
}

/**
 * Normalise every rejection shape of §1.9 to a reason and code; null when the reply is a success
 * (a result other than false/null, no error, no reject-reason).
 */
export function parseRejectReason(reply: { result?: unknown; error?: unknown; 'reject-reason'?: unknown }): RejectReason | null {
  const err = reply.error;
  const rr = typeof reply['reject-reason'] === 'string' && reply['reject-reason'].length > 0 ? reply['reject-reason'] : null;
  if (Array.isArray(err)) {
    const code = typeof err[0] === 'number' ? err[0] : typeof err[0] === 'string' && /^-?\d+$/.test(err[0]) ? Number(err[0]) : null;
    const msg = typeof err[1] === 'string' && err[1].length > 0 ? err[1] : (rr ?? (code !== null ? `error ${code}` : 'rejected'));
    return { reason: clip(msg), code };
  }
  if (typeof err === 'string' && err.length > 0) return { reason: clip(err), code: null };
  if (err !== null && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'number' ? e.code : null;
    const msg = typeof e.message === 'string' && e.message.length > 0 ? e.message : (rr ?? (code !== null ? `error ${code}` : 'rejected'));
    return { reason: clip(msg), code };
  }
  if (rr !== null) return { reason: clip(rr), code: null };
  // Success is any result other than false/null (true for submit, a map for configure, …).
  if (reply.result !== false && reply.result !== null && reply.result !== undefined) return null;
  return { reason: 'rejected (no reason given)', code: null };
}

/** Lines a miner sends (for the test pool and vectors). */
const minerRequestSchema = z.discriminatedUnion('method', [
  z.object({ id: requestId, method: z.literal('mining.configure'), params: z.tuple([z.array(z.string()), z.record(z.string(), z.unknown())]).rest(z.unknown()) }),
  z.object({ id: requestId, method: z.literal('mining.subscribe'), params: z.array(z.union([z.string(), z.null()])).optional() }),
  z.object({ id: requestId, method: z.literal('mining.authorize'), params: z.tuple([z.string(), z.union([z.string(), z.null()])]).rest(z.unknown()) }),
  z.object({ id: requestId, method: z.literal('mining.suggest_difficulty'), params: z.tuple([z.number().positive()]).rest(z.unknown()) }),
  z.object({ id: requestId, method: z.literal('mining.extranonce.subscribe'), params: anyParams }),
  z.object({
    id: requestId,
    method: z.literal('mining.submit'),
    params: z.union([z.tuple([z.string(), z.string(), hex, hex8, hex8]), z.tuple([z.string(), z.string(), hex, hex8, hex8, hex8])]),
  }),
]);
export type MinerRequest = z.infer<typeof minerRequestSchema>;

export function parseMinerRequest(line: string): ParseResult<MinerRequest> {
  const json = parseJsonObject(line);
  if (!json.ok) return json;
  const parsed = minerRequestSchema.safeParse(json.value);
  if (!parsed.success) return { ok: false, error: summarise(parsed.error) };
  return { ok: true, value: parsed.data };
}

function parseJsonObject(line: string): ParseResult<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'not a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

function summarise(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  return `${first.path.join('.') || '(root)'}: ${first.message}`;
}

function clip(s: string): string {
  return s.length > 200 ? s.slice(0, 200) + '…' : s;
}
