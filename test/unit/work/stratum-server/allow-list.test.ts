import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseCidr, StratumAllowList } from '../../../../src-main/work/stratum-server/allow-list.js';

describe('Stratum allow list', () => {
  const plain = new StratumAllowList();

  it('accepts the private ranges: RFC 1918, loopback, link-local, unique-local', () => {
    for (const a of ['10.1.2.3', '172.16.0.1', '172.31.255.254', '192.168.1.42', '127.0.0.1', '169.254.10.20', '::1', 'fd12:3456::1', 'fc00::5', 'fe80::1']) {
      expect(plain.allows(a), a).toBe(true);
    }
  });

  it('refuses public addresses and the edges just outside the private blocks', () => {
    for (const a of ['8.8.8.8', '172.15.255.255', '172.32.0.0', '192.169.0.1', '11.0.0.1', '2001:db8::1', 'fe00::1', undefined, 'not-an-ip']) {
      expect(plain.allows(a), String(a)).toBe(false);
    }
  });

  it('judges an IPv4-mapped IPv6 peer by its IPv4 address', () => {
    expect(plain.allows('::ffff:192.168.1.5')).toBe(true);
    expect(plain.allows('::ffff:8.8.8.8')).toBe(false);
  });

  it('adds the --stratum-allow blocks to the private ranges', () => {
    const list = new StratumAllowList(['203.0.113.0/24', '2001:db8:1::/48', '198.51.100.7']);
    expect(list.allows('203.0.113.77')).toBe(true);
    expect(list.allows('203.0.114.1')).toBe(false);
    expect(list.allows('2001:db8:1:2::9')).toBe(true);
    expect(list.allows('198.51.100.7')).toBe(true);
    expect(list.allows('198.51.100.8')).toBe(false);
    expect(list.allows('192.168.0.1')).toBe(true);
  });

  it('refuses malformed blocks with one sentence', () => {
    expect(() => parseCidr('192.168.1.0/33')).toThrow(/prefix length/);
    expect(() => parseCidr('300.1.1.1/8')).toThrow(/not an IP address/);
    expect(() => parseCidr('example.com')).toThrow(/not an IP address/);
    expect(() => parseCidr('fd00::/129')).toThrow(/prefix length/);
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr('::1')).toMatchObject({ prefix: 128, family: 'ipv6' });
  });

  it('knows a loopback bind', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.1.2')).toBe(false);
  });
});
