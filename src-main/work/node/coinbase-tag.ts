/**
 * Room for a custom coinbase tag (solo blocks). The coinbase scriptSig is at most 100 bytes
 * (consensus, "bad-cb-length"; docs/stratum-and-gbt.md §3.3) and holds, in order: the BIP34 height
 * push, the tag push, and the 8-byte extranonce push (1 + 8 bytes). A tag of up to 75 bytes takes a
 * one-byte push opcode, a longer one OP_PUSHDATA1 and its length byte. Pure arithmetic, no imports,
 * so the CLI can check a tag before anything else loads.
 */

export const MAX_SCRIPTSIG_BYTES = 100;
/** The extranonce push: one length byte and 8 bytes. */
const EXTRANONCE_PUSH_BYTES = 1 + 8;
/** Heights below 2^23 (block 8,388,608, a century and a half away) push as 1 + 3 bytes. */
export const HEIGHT_PUSH_BYTES_NOW = 4;
export const DEFAULT_COINBASE_TAG = '/HashDeck/';

/** Bytes a push of `dataBytes` takes in a script (0 for no tag at all). */
export function pushBytes(dataBytes: number): number {
  if (dataBytes === 0) return 0;
  return dataBytes <= 75 ? 1 + dataBytes : 2 + dataBytes;
}

/** The longest tag (in UTF-8 bytes) that fits beside a height push of `heightPushBytes`. */
export function maxCoinbaseTagBytes(heightPushBytes = HEIGHT_PUSH_BYTES_NOW): number {
  const room = MAX_SCRIPTSIG_BYTES - heightPushBytes - EXTRANONCE_PUSH_BYTES;
  let n = Math.min(room - 1, 255);
  while (n > 0 && pushBytes(n) > room) n--;
  return n;
}

/** Why a tag cannot be used, in one sentence, or null when it fits. */
export function coinbaseTagProblem(tag: string, heightPushBytes = HEIGHT_PUSH_BYTES_NOW): string | null {
  if (/[\u0000-\u001f\u007f]/.test(tag)) return 'the coinbase tag must not contain control characters';
  const bytes = Buffer.byteLength(tag, 'utf8');
  const max = maxCoinbaseTagBytes(heightPushBytes);
  if (bytes > max) return `the coinbase tag is ${bytes} bytes but only ${max} fit (the coinbase scriptSig holds at most ${MAX_SCRIPTSIG_BYTES} bytes with the block height and the extranonce)`;
  return null;
}
