import { describe, expect, it } from 'vitest';
import { address as bjsAddress, payments } from 'bitcoinjs-lib';
import { AddressError, checkAddressNetwork, parsePayoutAddress } from '../../../src-main/work/address.js';
import { loadVector } from '../../helpers/vectors.js';

const vectors = loadVector('address-scripts.json');

describe('parsePayoutAddress (vectors/address-scripts.json)', () => {
  for (const c of vectors.cases as Array<{ address: string; scriptPubKey: string; type: string }>) {
    it(`${c.type}: ${c.address}`, () => {
      const p = parsePayoutAddress(c.address);
      expect(p.script.toString('hex')).toBe(c.scriptPubKey);
      expect(c.type.toLowerCase()).toContain(p.type);
    });
  }

  it('names the network and the chains', () => {
    expect(parsePayoutAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toMatchObject({ network: 'mainnet', chains: ['main'], type: 'p2wpkh' });
    expect(parsePayoutAddress('tb1qumezefzdeqqwn5zfvgdrhxjzc5ylr39uhuxcz4')).toMatchObject({ network: 'testnet', chains: ['test', 'testnet4', 'signet'] });
    expect(parsePayoutAddress('bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080')).toMatchObject({ network: 'regtest', chains: ['regtest'], dialect: 'core' });
    // Upper-case bech32 is valid (BIP173) and gives the same script.
    expect(parsePayoutAddress('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4').script.toString('hex')).toBe('0014751e76e8199196d454941c45d1b3a323f1433bd6');
  });

  it('accepts base58 test addresses (0x6f) for every test chain', () => {
    const hash = Buffer.alloc(20, 7);
    const a = payments.p2pkh({ hash, network: { ...netTest(), pubKeyHash: 0x6f } }).address!;
    const p = parsePayoutAddress(a);
    expect(p).toMatchObject({ network: 'test', type: 'p2pkh' });
    expect(p.chains).toEqual(['test', 'testnet4', 'signet', 'regtest']);
  });

  it("accepts bcoin's regtest prefixes (rb, 0x3c)", () => {
    const hash = Buffer.alloc(20, 9);
    const bech = payments.p2wpkh({ hash, network: { ...netTest(), bech32: 'rb' } }).address!;
    expect(bech.startsWith('rb1q')).toBe(true);
    expect(parsePayoutAddress(bech)).toMatchObject({ network: 'regtest', dialect: 'bcoin', type: 'p2wpkh' });
    const b58 = payments.p2pkh({ hash, network: { ...netTest(), pubKeyHash: 0x3c } }).address!;
    const p = parsePayoutAddress(b58);
    expect(p).toMatchObject({ network: 'regtest', dialect: 'bcoin', type: 'p2pkh' });
    expect(p.script.toString('hex')).toBe(`76a914${hash.toString('hex')}88ac`);
  });

  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['hello', /not a valid Bitcoin address/],
    ['134D6gYy8DsR5m4416BnmgASuMBqKvogQi', /not a valid Bitcoin address/], // checksum
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', /not a valid bech32/], // checksum
    ['bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', /mixes upper and lower case/],
    // v1 program encoded with bech32 (not bech32m): BIP350 forbids it.
    ['bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx', /checksum variant|not a valid bech32/],
  ];
  for (const [address, message] of bad) {
    it(`rejects ${JSON.stringify(address)} with one sentence`, () => {
      let err: unknown;
      try {
        parsePayoutAddress(address);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AddressError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message.trim().endsWith('.')).toBe(true);
    });
  }

  it('rejects a taproot key that is not on the curve', () => {
    // x = 5 is not the x coordinate of a secp256k1 point.
    const x = Buffer.alloc(32);
    x[31] = 5;
    // The generator's x coordinate is a valid key: same encoding, accepted.
    const gx = Buffer.from('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex');
    expect(parsePayoutAddress(bjsAddress.toBech32(gx, 1, 'bc')).type).toBe('p2tr');
    const bad = bjsAddress.toBech32(x, 1, 'bc');
    expect(() => parsePayoutAddress(bad)).toThrow(/not a valid curve point/);
  });
});

describe('checkAddressNetwork', () => {
  it('passes matching chains and normalises names', () => {
    expect(checkAddressNetwork('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'main').type).toBe('p2wpkh');
    expect(checkAddressNetwork('tb1qumezefzdeqqwn5zfvgdrhxjzc5ylr39uhuxcz4', 'testnet4').type).toBe('p2wpkh');
    expect(checkAddressNetwork('tb1qumezefzdeqqwn5zfvgdrhxjzc5ylr39uhuxcz4', 'testnet').type).toBe('p2wpkh');
    expect(checkAddressNetwork('bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', 'regtest').type).toBe('p2wpkh');
  });

  it('refuses a wrong network with one sentence', () => {
    expect(() => checkAddressNetwork('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'regtest')).toThrow(/is a mainnet address but the node is on regtest\.$/);
    expect(() => checkAddressNetwork('bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', 'main')).toThrow(/regtest address but the node is on mainnet/);
    expect(() => checkAddressNetwork('tb1qumezefzdeqqwn5zfvgdrhxjzc5ylr39uhuxcz4', 'regtest')).toThrow(AddressError);
    expect(() => checkAddressNetwork('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'moon')).toThrow(/unknown chain "moon"/);
  });
});

function netTest() {
  return { messagePrefix: '\x18Bitcoin Signed Message:\n', bech32: 'tb', bip32: { public: 0x043587cf, private: 0x04358394 }, pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef };
}
