import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, parseSettings, saveSettings, secretsNotSaved, SESSION_ONLY_SECRETS, type SecretCipher } from '../../../src-main/engine/settings.js';
import { tempDir } from '../../helpers/cli.js';

const POOL = { url: 'stratum+tcp://pool.example:3333', user: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.w1', password: 'pool-secret' };

/** A stand-in for the OS keychain: reversible, and visibly not the plaintext. */
const fakeKeychain: SecretCipher = {
  seal: async (p) => Buffer.from(p).reverse().toString('base64'),
  unseal: async (s) => Buffer.from(s, 'base64').reverse().toString(),
};

describe('desktop settings', () => {
  it('validate like CLI input', () => {
    expect(() => parseSettings({ pools: [{ url: 'http://pool:1', user: 'u' }] })).toThrow(/not a pool URL/);
    expect(() => parseSettings({ pools: [POOL], node: { url: 'http://127.0.0.1:8332', payoutAddress: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' } })).toThrow(/either pools or a node/);
    expect(() => parseSettings({ node: { url: 'http://127.0.0.1:8332', payoutAddress: 'nonsense' } })).toThrow(/payoutAddress/);
    expect(parseSettings({ pools: [{ url: POOL.url, user: POOL.user }] }).pools[0]!.password).toBe('x');
  });

  it('keep the watched AxeOS devices, validated like --axeos', async () => {
    expect(() => parseSettings({ axeosDevices: ['https://bitaxe.local'] })).toThrow(/axeosDevices: .*plain HTTP/);
    expect(() => parseSettings({ axeosDevices: ['bitaxe.local', 'bitaxe.local:80'] })).toThrow(/listed twice/);
    const dir = tempDir();
    await saveSettings(dir, parseSettings({ pools: [POOL], axeosDevices: ['bitaxe.local', '192.0.2.7:8080'] }), fakeKeychain);
    const loaded = await loadSettings(dir, fakeKeychain);
    expect(loaded!.axeosDevices).toEqual(['bitaxe.local', '192.0.2.7:8080']);
    expect(loaded!.pools[0]!.password).toBe('pool-secret');
  });

  it('headless: a 0600 file', async () => {
    const dir = tempDir();
    await saveSettings(dir, parseSettings({ pools: [POOL] }));
    expect(statSync(path.join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
    expect((await loadSettings(dir))!.pools[0]!.password).toBe('pool-secret');
  });

  it('with the keychain: passwords sealed on disk, restored on load, refused without it', async () => {
    const dir = tempDir();
    const node = { url: 'http://127.0.0.1:8332', payoutAddress: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', rpcUser: 'miner', rpcPassword: 'rpc-secret' };
    await saveSettings(dir, parseSettings({ node }), fakeKeychain);
    const text = readFileSync(path.join(dir, 'settings.json'), 'utf8');
    expect(text).not.toContain('rpc-secret');
    expect(text).toContain('sealedSecrets');
    expect((await loadSettings(dir, fakeKeychain))!.node!.rpcPassword).toBe('rpc-secret');
    await expect(loadSettings(dir)).rejects.toThrow(/sealed by the desktop app's keychain/);

    await saveSettings(dir, parseSettings({ pools: [POOL] }), fakeKeychain);
    expect(readFileSync(path.join(dir, 'settings.json'), 'utf8')).not.toContain('pool-secret');
    expect((await loadSettings(dir, fakeKeychain))!.pools[0]!.password).toBe('pool-secret');
  });

  it('without a real keychain: no password reaches the file, the file says so, and the rest loads back', async () => {
    const dir = tempDir();
    const node = { url: 'http://127.0.0.1:8332', payoutAddress: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', rpcUser: 'miner', rpcPassword: 'rpc-secret' };
    await saveSettings(dir, parseSettings({ node, frequencyMhz: 500 }), SESSION_ONLY_SECRETS);
    const text = readFileSync(path.join(dir, 'settings.json'), 'utf8');
    expect(text).not.toContain('rpc-secret');
    expect(text).not.toContain('sealedSecrets');
    expect(secretsNotSaved(dir)).toBe(true);
    const loaded = (await loadSettings(dir, SESSION_ONLY_SECRETS))!;
    expect(loaded.frequencyMhz).toBe(500);
    expect(loaded.node).toMatchObject({ url: node.url, rpcUser: 'miner' });
    expect(loaded.node!.rpcPassword).toBeUndefined();

    await saveSettings(dir, parseSettings({ pools: [POOL, { ...POOL, password: 'x' }] }), SESSION_ONLY_SECRETS);
    expect(readFileSync(path.join(dir, 'settings.json'), 'utf8')).not.toContain('pool-secret');
    expect((await loadSettings(dir, SESSION_ONLY_SECRETS))!.pools.map((p) => p.password)).toEqual(['', 'x']);

    await saveSettings(dir, parseSettings({ pools: [POOL] }), fakeKeychain);
    expect(secretsNotSaved(dir)).toBe(false);
  });
});
