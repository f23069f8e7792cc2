import { describe, expect, it } from 'vitest';
import { AxeosAddressError, parseAxeosAddress, parseAxeosAddresses } from '../../../src-main/fleet/address.js';

describe('AxeOS device addresses (host[:port])', () => {
  it('takes a host name, an IPv4 or a bracketed IPv6 address, port 80 by default', () => {
    expect(parseAxeosAddress('bitaxe.local')).toEqual({ host: 'bitaxe.local', port: 80, id: 'axeos:bitaxe.local', label: 'bitaxe.local' });
    expect(parseAxeosAddress('192.0.2.7:8080')).toEqual({ host: '192.0.2.7', port: 8080, id: 'axeos:192.0.2.7:8080', label: '192.0.2.7:8080' });
    expect(parseAxeosAddress('[2001:db8::7]:81')).toEqual({ host: '2001:db8::7', port: 81, id: 'axeos:[2001:db8::7]:81', label: '[2001:db8::7]:81' });
    expect(parseAxeosAddress('2001:db8::7').label).toBe('[2001:db8::7]');
    expect(parseAxeosAddress('[2001:db8::7]').port).toBe(80);
  });

  it('tolerates what a browser address bar shows (http://, trailing slash, upper case)', () => {
    expect(parseAxeosAddress(' http://Bitaxe-Gamma.LOCAL/ ').id).toBe('axeos:bitaxe-gamma.local');
    expect(parseAxeosAddress('http://192.0.2.7:80/').id).toBe('axeos:192.0.2.7');
  });

  it.each([
    ['', 'empty'],
    ['https://bitaxe.local', 'plain HTTP'],
    ['bitaxe.local/api/system/info', 'without a path'],
    ['user@bitaxe.local', 'without a path, user'],
    ['bitaxe.local:0', 'out of range'],
    ['bitaxe.local:65536', 'out of range'],
    ['bitaxe.local:http', 'not a number'],
    ['bad_host!', 'not a host name'],
    ['2001:db8::7:80:zz', 'in brackets'],
    ['[2001:db8::7', 'closing bracket'],
    ['[not-v6]:80', 'not an IPv6'],
  ])('refuses %j with one sentence (%s)', (text, why) => {
    let err: unknown;
    try {
      parseAxeosAddress(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AxeosAddressError);
    expect((err as Error).message).toContain(why);
    expect((err as Error).message).toContain('expected host[:port]');
    expect((err as Error).message.split('\n')).toHaveLength(1);
  });

  it('refuses the same device twice, however it is written', () => {
    expect(parseAxeosAddresses(['a.local', '192.0.2.7:8080']).map((a) => a.id)).toEqual(['axeos:a.local', 'axeos:192.0.2.7:8080']);
    expect(() => parseAxeosAddresses(['bitaxe.local', 'http://BITAXE.local:80'])).toThrow('listed twice');
  });
});
