/** "Mining to this HashDeck?" and the change "mine to this HashDeck" makes, old → new. */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isMiningHere, normalisePoolHost, poolPlan, samePatch, stratumHostFor } from '../../../src-main/fleet/pool-plan.js';
import { parseSystemInfo } from '../../../src-main/fleet/system-info.js';
import { espMinerSystemInfo, forkSystemInfo } from '../../fixtures/axeos/fake-device.js';

const SERVER_LAN = { host: '192.0.2.10', port: 3334 };
const SERVER_ANY = { host: '0.0.0.0', port: 3334 };

describe('normalisePoolHost', () => {
  it.each([
    ['pool.example.com', 'pool.example.com'],
    ['stratum+tcp://Pool.Example.com', 'pool.example.com'],
    ['stratum+tcp://pool.example.com:3333/', 'pool.example.com'],
    ['192.0.2.10:3334', '192.0.2.10'],
    ['::ffff:192.0.2.10', '192.0.2.10'],
    ['[2001:db8::1]:3334', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
  ])('%j → %j', (input, expected) => {
    expect(normalisePoolHost(input)).toBe(expected);
  });
});

describe('isMiningHere', () => {
  const pool = (url: string, port: number | null) => ({ url, port, user: 'u' });
  it('is null when HashDeck serves no Stratum', () => {
    expect(isMiningHere(pool('192.0.2.10', 3334), null, '192.0.2.10')).toBeNull();
  });
  it('compares host and port with a server bound to one address', () => {
    expect(isMiningHere(pool('192.0.2.10', 3334), SERVER_LAN, null)).toBe(true);
    expect(isMiningHere(pool('stratum+tcp://192.0.2.10', 3334), SERVER_LAN, null)).toBe(true);
    expect(isMiningHere(pool('192.0.2.10', 3333), SERVER_LAN, null)).toBe(false);
    expect(isMiningHere(pool('pool.example.com', 3334), SERVER_LAN, null)).toBe(false);
    expect(isMiningHere(null, SERVER_LAN, null)).toBe(false);
  });
  it('on a wildcard bind, accepts the address the device reaches HashDeck at and this machine name', () => {
    expect(isMiningHere(pool('192.0.2.10', 3334), SERVER_ANY, '::ffff:192.0.2.10')).toBe(true);
    expect(isMiningHere(pool(`${hostname()}.local`, 3334), SERVER_ANY, null)).toBe(true);
    expect(isMiningHere(pool('pool.example.com', 3334), SERVER_ANY, '192.0.2.10')).toBe(false);
  });
});

describe('stratumHostFor', () => {
  it('uses a specific bound address as is', () => {
    expect(stratumHostFor(SERVER_LAN, '192.0.2.77', null)).toBe('192.0.2.10');
  });
  it('on a wildcard bind, uses the local end of the connection to the device', () => {
    expect(stratumHostFor(SERVER_ANY, '192.0.2.77', '::ffff:192.0.2.10')).toBe('192.0.2.10');
    expect(() => stratumHostFor(SERVER_ANY, '192.0.2.77', null)).toThrow('has not reached this device yet');
  });
  it('refuses a loopback-only server for a device elsewhere, allows it for a device on this machine', () => {
    expect(() => stratumHostFor({ host: '127.0.0.1', port: 3334 }, '192.0.2.77', '127.0.0.1')).toThrow('cannot reach');
    expect(stratumHostFor({ host: '127.0.0.1', port: 3334 }, '127.0.0.1', '127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('poolPlan', () => {
  const reading = parseSystemInfo(espMinerSystemInfo());

  it('lists every field old → new, keeps the pool user, and restarts', () => {
    const plan = poolPlan({ deviceId: 'axeos:d', deviceHost: '192.0.2.77', reading, localAddress: '192.0.2.10', server: SERVER_LAN });
    expect(plan).toEqual({
      deviceId: 'axeos:d',
      changes: [
        { field: 'stratumURL', from: 'pool.example.com', to: '192.0.2.10' },
        { field: 'stratumPort', from: '3333', to: '3334' },
        { field: 'stratumUser', from: 'bc1qexampleaddress.gamma', to: 'bc1qexampleaddress.gamma' },
      ],
      patch: { stratumURL: '192.0.2.10', stratumPort: 3334, stratumUser: 'bc1qexampleaddress.gamma' },
      restart: true,
    });
  });

  it('turns TLS off when the device uses it (HashDeck serves plain TCP)', () => {
    const tls = parseSystemInfo({ ...espMinerSystemInfo(), stratumTLS: 1 });
    const plan = poolPlan({ deviceId: 'd', deviceHost: 'x', reading: tls, localAddress: null, server: SERVER_LAN });
    expect(plan.patch.stratumTLS).toBe(0);
    expect(plan.changes.at(-1)).toEqual({ field: 'stratumTLS', from: '1', to: '0' });
  });

  it("takes the device's host name as user when it has none", () => {
    const noUser = parseSystemInfo({ ...espMinerSystemInfo(), stratumUser: '' });
    expect(poolPlan({ deviceId: 'd', deviceHost: 'x', reading: noUser, localAddress: null, server: SERVER_LAN }).patch.stratumUser).toBe('bitaxe-gamma');
  });

  it("works from a fork's answer (scheme in the URL, no TLS field)", () => {
    const plan = poolPlan({ deviceId: 'd', deviceHost: 'x', reading: parseSystemInfo(forkSystemInfo()), localAddress: null, server: SERVER_LAN });
    expect(plan.changes[0]).toEqual({ field: 'stratumURL', from: 'stratum+tcp://pool.example.com', to: '192.0.2.10' });
    expect(plan.patch.stratumTLS).toBeUndefined();
  });

  it('refuses without a Stratum server, and when the device already mines here', () => {
    expect(() => poolPlan({ deviceId: 'd', deviceHost: 'x', reading, localAddress: null, server: null })).toThrow('--serve-stratum');
    const here = parseSystemInfo({ ...espMinerSystemInfo(), stratumURL: '192.0.2.10', stratumPort: 3334 });
    expect(() => poolPlan({ deviceId: 'd', deviceHost: 'x', reading: here, localAddress: null, server: SERVER_LAN })).toThrow('already mines to this HashDeck');
  });

  it('samePatch compares every field', () => {
    const a = { stratumURL: 'h', stratumPort: 1, stratumUser: 'u' };
    expect(samePatch(a, { ...a })).toBe(true);
    expect(samePatch(a, { ...a, stratumPort: 2 })).toBe(false);
    expect(samePatch(a, { ...a, stratumTLS: 0 })).toBe(false);
  });
});
