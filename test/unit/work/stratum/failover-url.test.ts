import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_TIMERS, FailoverPolicy } from '../../../../src-main/work/stratum/failover.js';
import { parsePoolUrl, sameDomain } from '../../../../src-main/work/stratum/pool-url.js';
import { normaliseFingerprint } from '../../../../src-main/work/stratum/transport.js';

describe('backoff', () => {
  it('doubles from the base up to the cap, jitter within ±fraction', () => {
    const t = { backoffBaseMs: 1000, backoffMaxMs: 8000, backoffJitter: 0.2 };
    expect([1, 2, 3, 4, 5, 9].map((f) => backoffDelayMs(f, t, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffDelayMs(1, t, () => 0)).toBe(800);
    expect(backoffDelayMs(1, t, () => 1)).toBe(1200);
  });
});

describe('FailoverPolicy', () => {
  const timers = { ...DEFAULT_TIMERS, maxFailures: 3, deadPoolMs: 90_000 };
  it('retries with backoff, then moves down after N failures and wraps around', () => {
    const p = new FailoverPolicy(2, timers, () => 0.5);
    p.begin(0, 0);
    expect(p.recordFailure(0, 10)).toEqual({ action: 'retry', index: 0, delayMs: 1000 });
    expect(p.recordFailure(0, 20)).toEqual({ action: 'retry', index: 0, delayMs: 2000 });
    expect(p.recordFailure(0, 30)).toEqual({ action: 'switch', index: 1, delayMs: 0 });
    p.recordFailure(1, 40);
    p.recordFailure(1, 50);
    const wrap = p.recordFailure(1, 60);
    expect(wrap.action).toBe('switch');
    expect(wrap.index).toBe(0);
    expect(wrap.delayMs).toBeGreaterThan(0);
  });
  it('moves down after deadPoolMs without data even before N failures', () => {
    const p = new FailoverPolicy(3, timers, () => 0.5);
    p.begin(0, 0);
    p.recordData(0, 1000);
    expect(p.recordFailure(0, 1000 + 90_000).action).toBe('switch');
  });
  it('a healthy session resets the count; a single pool is retried forever', () => {
    const p = new FailoverPolicy(1, timers, () => 0.5);
    p.begin(0, 0);
    for (let i = 0; i < 10; i++) expect(p.recordFailure(0, i * 100_000).action).toBe('retry');
    p.recordHealthy(0, 2_000_000);
    expect(p.failures(0)).toBe(0);
  });
});

describe('pool URLs', () => {
  it('parses tcp, ssl, bare host:port and IPv6', () => {
    expect(parsePoolUrl('stratum+tcp://public-pool.io:21496')).toEqual({ url: 'stratum+tcp://public-pool.io:21496', host: 'public-pool.io', port: 21496, tls: false });
    expect(parsePoolUrl('stratum+ssl://pool.example.com:4333').tls).toBe(true);
    expect(parsePoolUrl('127.0.0.1:3333')).toMatchObject({ host: '127.0.0.1', port: 3333, tls: false });
    expect(parsePoolUrl('stratum+tcp://[::1]:3333')).toMatchObject({ host: '::1', port: 3333 });
  });
  it('rejects malformed URLs with a clear sentence', () => {
    for (const bad of ['', 'http://x:1', 'stratum+tcp://host', 'stratum+tcp://host:0', 'stratum+tcp://host:70000', 'stratum+tcp://u:p@host:1']) {
      expect(() => parsePoolUrl(bad), bad).toThrow(/pool URL|invalid port/);
    }
  });
  it('sameDomain compares registrable domains; an IP address only matches itself', () => {
    expect(sameDomain('eu.pool.com', 'us.pool.com')).toBe(true);
    expect(sameDomain('pool.com', 'stratum.pool.com')).toBe(true);
    expect(sameDomain('pool.com', 'evil.com')).toBe(false);
    expect(sameDomain('evilpool.com', 'pool.com')).toBe(false);
    // Two different owners under one country's shared second level.
    expect(sameDomain('pool.co.uk', 'evil.co.uk')).toBe(false);
    expect(sameDomain('eu.pool.co.uk', 'us.pool.co.uk')).toBe(true);
    // IPs: the last two numbers are no domain (the old rule let 127.0.0.1 send us to 10.9.0.1).
    expect(sameDomain('10.9.0.1', '127.0.0.1')).toBe(false);
    expect(sameDomain('192.168.3.4', '10.0.3.4')).toBe(false);
    expect(sameDomain('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(sameDomain('::1', '::2')).toBe(false);
    expect(sameDomain('localhost', 'evil')).toBe(false);
  });
  it('normalises certificate fingerprints', () => {
    const fp = 'AB:'.repeat(31) + 'AB';
    expect(normaliseFingerprint(fp)).toBe('ab'.repeat(32));
    expect(() => normaliseFingerprint('abc')).toThrow(/64 hex/);
  });
});
