import { describe, expect, it } from 'vitest';
import { Transaction, address, networks } from 'bitcoinjs-lib';
import { checkPayout, userPayoutAddress } from '../../../../src-main/work/stratum/payout.js';
import { loadVector } from '../../../helpers/vectors.js';

const scripts = loadVector<{ cases?: Array<Record<string, string>> } & Record<string, unknown>>('address-scripts.json');

/** A coinbase split like a pool would: coinb1 ends right before the extranonce area. */
function coinbaseParts(outputs: Array<{ script: Buffer; value: number }>) {
  const tx = new Transaction();
  tx.version = 2;
  tx.addInput(Buffer.alloc(32), 0xffffffff, 0xffffffff, Buffer.concat([Buffer.from('03a0bb0d08', 'hex'), Buffer.alloc(8)]));
  for (const o of outputs) tx.addOutput(o.script, o.value);
  const raw = tx.toBuffer();
  const marker = raw.indexOf(Buffer.from('03a0bb0d08', 'hex')) + 5;
  return { coinb1: raw.subarray(0, marker), extranonce1: Buffer.from('01020304', 'hex'), extranonce2Size: 4, coinb2: raw.subarray(marker + 8) };
}

describe('payout check', () => {
  const user = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
  const mine = address.toOutputScript(user, networks.bitcoin);
  const other = address.toOutputScript('1CK6KHY6MHgYvmRQ4PAafKYDrg1ejbH1cE', networks.bitcoin);
  const commitment = Buffer.from('6a24aa21a9ed' + '00'.repeat(32), 'hex');

  it('solo pool paying everything to the user → 1', () => {
    const r = checkPayout(coinbaseParts([{ script: mine, value: 312_500_000 }, { script: commitment, value: 0 }]), `${user}.bitaxe`);
    expect(r.payoutShare).toBe(1);
    expect(r.outputs[0]).toMatchObject({ address: user, paysUser: true });
    expect(r.outputs[1]).toMatchObject({ address: null, paysUser: false });
  });

  it('a 2 % fee and a pool that pays someone else', () => {
    expect(checkPayout(coinbaseParts([{ script: mine, value: 98 }, { script: other, value: 2 }]), user).payoutShare).toBeCloseTo(0.98, 12);
    expect(checkPayout(coinbaseParts([{ script: other, value: 100 }]), user).payoutShare).toBe(0);
  });

  it('a user name that is not an address → null', () => {
    expect(checkPayout(coinbaseParts([{ script: other, value: 100 }]), 'alice.rig1').payoutShare).toBeNull();
    expect(userPayoutAddress('alice.rig1')).toBeNull();
  });

  it('recognises every address in address-scripts.json (incl. taproot, testnet, regtest)', () => {
    const cases = (scripts.cases ?? []) as Array<{ address: string; scriptPubKey?: string; script_hex?: string; script?: string }>;
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) {
      const want = c.scriptPubKey ?? c.script_hex ?? c.script;
      const got = userPayoutAddress(`${c.address}.w`);
      expect(got?.script.toString('hex'), c.address).toBe(want);
    }
  });
});
