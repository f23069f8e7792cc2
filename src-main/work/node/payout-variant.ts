/**
 * The same node template paying another address (`--stratum-pay-username`, as public-pool pays the
 * address in each miner's user name): the coinbase's first output — the payout, always output 0
 * (coinbase.ts) — gets another scriptPubKey; the scriptSig, the value, the witness commitment and
 * every transaction stay as they are, so the template keeps its key and the node source assembles
 * and submits a block on it like any other (docs/stratum-and-gbt.md §8.6). Pure bytes.
 */
import { Transaction } from 'bitcoinjs-lib';
import type { WorkTemplate } from '../job.js';

export function withPayoutScript(t: WorkTemplate, payoutScript: Buffer): WorkTemplate {
  const placeholder = Buffer.alloc(t.extranonce2Size);
  const stripped = Buffer.concat([t.coinb1, t.extranonce1, placeholder, t.coinb2]);
  const tx = Transaction.fromBuffer(stripped);
  const payout = tx.outs[0];
  if (!payout || isWitnessCommitment(payout.script)) throw new Error('the template has no payout output to replace');
  payout.script = payoutScript;
  const bytes = tx.toBuffer();
  const head = t.coinb1.length + t.extranonce1.length + t.extranonce2Size;
  // The inputs are untouched, so the bytes before the extranonce are the same.
  if (!bytes.subarray(0, t.coinb1.length).equals(t.coinb1)) throw new Error('the coinbase changed before the extranonce');
  return { ...t, coinb2: bytes.subarray(head) };
}

function isWitnessCommitment(script: Buffer): boolean {
  return script.length >= 38 && script.subarray(0, 6).equals(Buffer.from('6a24aa21a9ed', 'hex'));
}
