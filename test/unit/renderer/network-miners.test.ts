import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { EngineSnapshot, NetworkMinerSnapshot } from '@shared/contract';
import { historyHref, NetworkMinerCard } from '../../../src-renderer/src/components/network/NetworkMinerCard.js';
import { NetworkMinersSection } from '../../../src-renderer/src/components/network/NetworkMinersSection.js';
import { fakeSnapshot, T0_MS } from '../../e2e/fake-engine.js';

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');
}

function miner(over: Partial<NetworkMinerSnapshot> = {}): NetworkMinerSnapshot {
  return {
    id: 'net:kitchen-bitaxe',
    worker: 'kitchen-bitaxe',
    connections: 1,
    address: '192.168.1.42',
    userAgent: 'bitaxe/BM1370/v2.4.0',
    payoutAddress: null,
    firstSeenAtMs: T0_MS - 600_000,
    lastSeenAtMs: T0_MS - 4_000,
    lastShareAtMs: T0_MS - 4_000,
    difficulty: 3480,
    hashrateHs: 1.02e12,
    hashrate: { '1m': null, '10m': { valueHs: 1.0e12, lowHs: 0.8e12, highHs: 1.2e12, windowS: 600, coveredS: 600, samples: 40 }, '1h': null, '24h': null },
    sharesAccepted: 40,
    sharesRejected: 2,
    rejectReasons: { 'Duplicate share': 2 },
    forwarded: { accepted: 0, rejected: 0, stale: 0 },
    bestDifficulty: 2.5e6,
    bestDifficultyAllTime: 7.1e6,
    blocksFound: 1,
    ...over,
  };
}

describe('network miner card', () => {
  it('shows a network badge, the hashrate window, difficulty, shares, best, blocks and a history link', () => {
    const t = text(renderToStaticMarkup(createElement(NetworkMinerCard, { miner: miner(), nowMs: T0_MS })));
    expect(t).toContain('kitchen-bitaxe');
    expect(t).toContain('network');
    expect(t).toContain('bitaxe/BM1370/v2.4.0');
    expect(t).toContain('mining');
    expect(t).toContain('10 min');
    expect(t).toContain('192.168.1.42');
    expect(t).toContain('Diff 3.48k');
    expect(t).toContain('40 / 2');
    expect(t).toContain('2.50M · all-time 7.10M');
    expect(t).toContain('4s ago');
    expect(historyHref('net:kitchen-bitaxe')).toBe('#/history?board=net%3Akitchen-bitaxe');
  });

  it('marks a miner that left as away, and a NerdMiner’s fractional difficulty readably', () => {
    const t = text(
      renderToStaticMarkup(
        createElement(NetworkMinerCard, {
          miner: miner({ worker: 'nerd', connections: 0, difficulty: 0.000175, hashrate: { '1m': null, '10m': null, '1h': null, '24h': null }, payoutAddress: 'bcrt1qxyz' }),
          nowMs: T0_MS,
        }),
      ),
    );
    expect(t).toContain('away');
    expect(t).toContain('Diff 0.00017');
    expect(t).toContain('waiting for shares');
    expect(t).toContain('pays bcrt1qxyz');
  });
});

describe('network miners section', () => {
  const withServer = (s: EngineSnapshot): EngineSnapshot => ({ ...s, stratumServer: { host: '0.0.0.0', port: 3333, connections: 2, problem: null } });
  it('is absent without a server or miners', () => {
    expect(renderToStaticMarkup(createElement(NetworkMinersSection, { snapshot: fakeSnapshot(1) }))).toBe('');
  });
  it('names the server address and explains how to point a miner at it before any miner came', () => {
    const t = text(renderToStaticMarkup(createElement(NetworkMinersSection, { snapshot: withServer(fakeSnapshot(1)) })));
    expect(t).toContain('Stratum on 0.0.0.0:3333 · 2 connections');
    expect(t).toContain('stratum+tcp://<this machine>:3333');
  });
  it('shows a card per miner and a problem the server reports', () => {
    const s = { ...withServer(fakeSnapshot(1)), networkMiners: [miner(), miner({ id: 'net:nerd', worker: 'nerd', connections: 0 })] };
    s.stratumServer = { ...s.stratumServer!, problem: 'the work source leaves only 2 byte(s) of extranonce2' };
    const html = renderToStaticMarkup(createElement(NetworkMinersSection, { snapshot: s }));
    expect(html.match(/data-testid="netminer-/g)?.length).toBeGreaterThanOrEqual(2);
    expect(text(html)).toContain('1 of 2 online');
    expect(text(html)).toContain('only 2 byte(s) of extranonce2');
  });
});
