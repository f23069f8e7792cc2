import { describe, expect, it } from 'vitest';
import { assertBindAllowed, checkAccess, isHostAllowed, isLoopbackHost, isOriginAllowed, parseHostHeader, presentedToken, tokenMatches } from '../../../../src-main/api/http/access.js';

const local = { boundHost: '127.0.0.1', port: 8080 };

describe('bind policy', () => {
  it('allows loopback without a token and refuses other binds without one', () => {
    expect(() => assertBindAllowed('127.0.0.1', undefined)).not.toThrow();
    expect(() => assertBindAllowed('::1', undefined)).not.toThrow();
    expect(() => assertBindAllowed('localhost', undefined)).not.toThrow();
    expect(() => assertBindAllowed('0.0.0.0', undefined)).toThrow('binding 0.0.0.0 needs --api-token');
    expect(() => assertBindAllowed('192.168.1.10', undefined)).toThrow(/needs --api-token/);
    expect(() => assertBindAllowed('0.0.0.0', 'secret')).not.toThrow();
  });
  it('knows loopback addresses', () => {
    expect(isLoopbackHost('127.3.4.5')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(isLoopbackHost('127.example.com')).toBe(false);
  });
});

describe('Host header (DNS rebinding)', () => {
  it('parses host:port forms', () => {
    expect(parseHostHeader('127.0.0.1:8080')).toEqual({ hostname: '127.0.0.1', port: 8080 });
    expect(parseHostHeader('[::1]:8080')).toEqual({ hostname: '::1', port: 8080 });
    expect(parseHostHeader('Example.COM')).toEqual({ hostname: 'example.com', port: null });
    expect(parseHostHeader('a:b:c')).toBeNull();
    expect(parseHostHeader('host:99999')).toBeNull();
    expect(parseHostHeader('evil.com/x')).toBeNull();
    expect(parseHostHeader('')).toBeNull();
  });
  it('accepts the bound host and loopback names with the bound port only', () => {
    for (const h of ['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST:8080', '[::1]:8080']) expect(isHostAllowed(h, local), h).toBe(true);
    for (const h of ['127.0.0.1:8081', 'attacker.example:8080', 'localhost.attacker.example:8080', '192.168.1.5:8080', undefined, 'localhost']) expect(isHostAllowed(h, local), String(h)).toBe(false);
  });
  it('on a wildcard bind accepts IP literals but not unlisted names', () => {
    const wild = { boundHost: '0.0.0.0', port: 8080, token: 't' };
    expect(isHostAllowed('192.168.1.5:8080', wild)).toBe(true);
    expect(isHostAllowed('[fe80::1]:8080', wild)).toBe(true);
    expect(isHostAllowed('rebind.attacker.example:8080', wild)).toBe(false);
    expect(isHostAllowed('miner.local:8080', { ...wild, allowedHostnames: ['miner.local'] })).toBe(true);
  });
});

describe('Origin header', () => {
  it('accepts absent or same origin only', () => {
    expect(isOriginAllowed(undefined, '127.0.0.1:8080')).toBe(true);
    expect(isOriginAllowed('http://127.0.0.1:8080', '127.0.0.1:8080')).toBe(true);
    expect(isOriginAllowed('http://localhost:8080', 'localhost:8080')).toBe(true);
    expect(isOriginAllowed('http://[::1]:8080', '[::1]:8080')).toBe(true);
    expect(isOriginAllowed('http://localhost:8080', '127.0.0.1:8080')).toBe(false);
    expect(isOriginAllowed('http://evil.example', '127.0.0.1:8080')).toBe(false);
    expect(isOriginAllowed('null', '127.0.0.1:8080')).toBe(false);
    expect(isOriginAllowed('file://', '127.0.0.1:8080')).toBe(false);
    expect(isOriginAllowed('http://127.0.0.1:8081', '127.0.0.1:8080')).toBe(false);
  });
});

describe('token', () => {
  const url = (q = ''): URL => new URL(`/x${q}`, 'http://h');
  it('reads bearer, then query, then cookie', () => {
    expect(presentedToken({ authorization: 'Bearer abc' }, url('?token=q'))).toEqual({ token: 'abc', via: 'bearer' });
    expect(presentedToken({}, url('?token=q'))).toEqual({ token: 'q', via: 'query' });
    expect(presentedToken({ cookie: 'a=1; hashdeck_token=c%20d' }, url())).toEqual({ token: 'c d', via: 'cookie' });
    expect(presentedToken({ authorization: 'Basic xyz' }, url())).toEqual({ token: null, via: null });
  });
  it('compares in constant time and rejects near misses', () => {
    expect(tokenMatches('secret', 'secret')).toBe(true);
    expect(tokenMatches('secret', 'secreT')).toBe(false);
    expect(tokenMatches('secret', 'secret2')).toBe(false);
    expect(tokenMatches('secret', null)).toBe(false);
  });
  it('checkAccess: 403 for a foreign host/origin before the token, 401 without a token, cookie on ?token=', () => {
    const policy = { boundHost: '127.0.0.1', port: 8080, token: 'tok' };
    expect(checkAccess({ headers: { host: 'evil:8080', authorization: 'Bearer tok' } }, url(), policy)).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess({ headers: { host: '127.0.0.1:8080', origin: 'http://evil.example', authorization: 'Bearer tok' } }, url(), policy)).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess({ headers: { host: '127.0.0.1:8080' } }, url(), policy)).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess({ headers: { host: '127.0.0.1:8080' } }, url('?token=nope'), policy)).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess({ headers: { host: '127.0.0.1:8080' } }, url('?token=tok'), policy)).toEqual({ ok: true, setCookie: true });
    expect(checkAccess({ headers: { host: '127.0.0.1:8080', cookie: 'hashdeck_token=tok' } }, url(), policy)).toEqual({ ok: true, setCookie: false });
    expect(checkAccess({ headers: { host: '127.0.0.1:8080' } }, url(), { boundHost: '127.0.0.1', port: 8080 })).toEqual({ ok: true, setCookie: false });
  });

  it('two Host headers are a 400 (RFC 9112, section 3.2), whatever the first one says', () => {
    const policy = { boundHost: '127.0.0.1', port: 8080 };
    expect(checkAccess({ headers: { host: '127.0.0.1:8080' }, rawHeaders: ['Host', '127.0.0.1:8080', 'host', 'evil.example'] }, url(), policy)).toMatchObject({ ok: false, status: 400 });
    expect(checkAccess({ headers: { host: '127.0.0.1:8080' }, rawHeaders: ['Host', '127.0.0.1:8080', 'Accept', '*/*'] }, url(), policy)).toEqual({ ok: true, setCookie: false });
  });
});
