import { describe, expect, it } from 'vitest';
import { Transaction, address, networks } from 'bitcoinjs-lib';
import { checkPayout, coinbaseOutputs, userPayoutAddress } from '../../../../src-main/work/stratum/payout.js';
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
    const r = checkPayout(
      coinbaseParts([
        { script: mine, value: 312_500_000 },
        { script: commitment, value: 0 },
      ]),
      `${user}.bitaxe`,
    );
    expect(r.payoutShare).toBe(1);
    expect(r.outputs[0]).toMatchObject({ address: user, paysUser: true });
    expect(r.outputs[1]).toMatchObject({ address: null, paysUser: false });
  });

  it('a 2 % fee and a pool that pays someone else', () => {
    expect(
      checkPayout(
        coinbaseParts([
          { script: mine, value: 98 },
          { script: other, value: 2 },
        ]),
        user,
      ).payoutShare,
    ).toBeCloseTo(0.98, 12);
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

describe('coinbaseOutputs (read field by field)', () => {
  const rnd = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(Math.random() * 256)));
  const scriptsOfEveryKind = (): Buffer[] => [
    Buffer.concat([Buffer.from('76a914', 'hex'), rnd(20), Buffer.from('88ac', 'hex')]),
    Buffer.concat([Buffer.from('a914', 'hex'), rnd(20), Buffer.from('87', 'hex')]),
    Buffer.concat([Buffer.from('0014', 'hex'), rnd(20)]),
    Buffer.concat([Buffer.from('0020', 'hex'), rnd(32)]),
    Buffer.concat([Buffer.from('5120', 'hex'), rnd(32)]),
    Buffer.concat([Buffer.from('6a24aa21a9ed', 'hex'), rnd(32)]),
    rnd(300), // long enough for a 3-byte script length
    Buffer.alloc(0),
  ];

  it('gives the outputs bitcoinjs gives, with and without witness, for 200 random coinbases', () => {
    for (let i = 0; i < 200; i++) {
      const tx = new Transaction();
      tx.version = 1 + (i % 2);
      tx.locktime = i;
      tx.addInput(Buffer.alloc(32), 0xffffffff, 0xffffffff, rnd(2 + (i % 99)));
      const kinds = scriptsOfEveryKind();
      const outputs = 1 + (i % 6);
      for (let o = 0; o < outputs; o++) tx.addOutput(kinds[(i + o) % kinds.length]!, Math.floor(Math.random() * 2_100_000_000_000_000));
      if (i % 3 === 0) tx.setWitness(0, [Buffer.alloc(32)]);
      const raw = tx.toBuffer();
      const got = coinbaseOutputs(raw);
      const want = Transaction.fromBuffer(raw).outs;
      expect(got.map((o) => [o.valueSats, o.script.toString('hex')])).toEqual(want.map((o) => [o.value, Buffer.from(o.script).toString('hex')]));
    }
  });

  it('refuses a truncated or padded transaction with the reason', () => {
    const tx = new Transaction();
    tx.addInput(Buffer.alloc(32), 0xffffffff, 0xffffffff, Buffer.from('03a0bb0d', 'hex'));
    tx.addOutput(address.toOutputScript('1CK6KHY6MHgYvmRQ4PAafKYDrg1ejbH1cE', networks.bitcoin), 5000);
    const raw = tx.toBuffer();
    expect(() => coinbaseOutputs(raw.subarray(0, raw.length - 1))).toThrow(/ends inside the lock time/);
    expect(() => coinbaseOutputs(raw.subarray(0, 50))).toThrow(/ends inside/);
    expect(() => coinbaseOutputs(Buffer.concat([raw, Buffer.from([0])]))).toThrow(/1 byte\(s\) after the lock time/);
    expect(() => checkPayout({ coinb1: raw.subarray(0, 10), extranonce1: Buffer.alloc(0), extranonce2Size: 0, coinb2: Buffer.alloc(0) }, 'x')).toThrow(/coinbase does not decode/);
  });

  it("names each standard output by the address bitcoinjs gives it, on the user's network", () => {
    const testUser = 'tb1qumezefzdeqqwn5zfvgdrhxjzc5ylr39uhuxcz4';
    for (const [user, net] of [
      [`1CK6KHY6MHgYvmRQ4PAafKYDrg1ejbH1cE.w`, networks.bitcoin],
      [`${testUser}.w`, networks.testnet],
      ['bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.w', networks.regtest],
    ] as const) {
      const kinds = scriptsOfEveryKind();
      const tx = new Transaction();
      tx.addInput(Buffer.alloc(32), 0xffffffff, 0xffffffff, Buffer.from('03a0bb0d08', 'hex'));
      for (const k of kinds) tx.addOutput(k, 1);
      const raw = tx.toBuffer();
      const r = checkPayout({ coinb1: raw, extranonce1: Buffer.alloc(0), extranonce2Size: 0, coinb2: Buffer.alloc(0) }, user);
      r.outputs.forEach((o, i) => {
        let want: string | null = null;
        try {
          want = address.fromOutputScript(kinds[i]!, net);
        } catch {
          want = null;
        }
        // bitcoinjs needs an ECC library to name taproot outputs; its encoding is plain bech32m.
        if (kinds[i]![0] === 0x51) want = address.toBech32(kinds[i]!.subarray(2), 1, net.bech32);
        expect(o.address, `${user} output ${i}`).toBe(want);
      });
    }
  });
});
