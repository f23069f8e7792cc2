/**
 * mining.submit parameters (docs/stratum-and-gbt.md §1.8):
 *   [worker, job_id, extranonce2_hex, ntime %08x, nonce %08x, (version_bits %08x)]
 * The nonce is the u32 whose little-endian bytes are header[76..80]. Version bits are
 * `rolled XOR base`, sent only when version rolling was granted, and must lie inside the mask.
 */
import type { Share } from '../job.js';

export function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

export type SubmitParamsResult = { ok: true; params: string[]; versionBits: number | null } | { ok: false; error: string };

export function submitParams(user: string, share: Share, versionRollingGranted: boolean): SubmitParamsResult {
  const t = share.job.template;
  if (share.job.extranonce2.length !== t.extranonce2Size) {
    return { ok: false, error: `extranonce2 is ${share.job.extranonce2.length} bytes, the pool wants ${t.extranonce2Size}` };
  }
  const params = [user, t.sourceJobId, share.job.extranonce2.toString('hex'), hex8(share.ntime), hex8(share.nonce)];
  const bits = ((share.version >>> 0) ^ (t.version >>> 0)) >>> 0;
  if (!versionRollingGranted || t.versionMask === 0) {
    if (bits !== 0) return { ok: false, error: 'version was rolled but the pool did not grant version rolling' };
    return { ok: true, params, versionBits: null };
  }
  if ((bits & ~t.versionMask) >>> 0 !== 0) return { ok: false, error: `version bits ${hex8(bits)} outside mask ${hex8(t.versionMask)}` };
  params.push(hex8(bits));
  return { ok: true, params, versionBits: bits };
}

/** Duplicate filter key (§4 recommendation): session extranonce1 + job + en2 + ntime + nonce + version. */
export function shareKey(share: Share): string {
  const t = share.job.template;
  return `${t.extranonce1.toString('hex')}|${t.sourceJobId}|${share.job.extranonce2.toString('hex')}|${hex8(share.ntime)}|${hex8(share.nonce)}|${hex8(share.version)}`;
}
