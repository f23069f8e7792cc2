/**
 * The dashboard's AxeOS views: fleet totals (USB + Wi-Fi, each part named), the card and the
 * detail rendered from real-shaped device snapshots, the "mine to this HashDeck" rows, and the
 * Settings address list.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AxeosPoolPlan } from '@shared/contract';
import { fleetTotals } from '../../../src-renderer/src/lib/fleet-totals.js';
import { AxeosCard } from '../../../src-renderer/src/components/fleet/AxeosCard.js';
import { MineHereConfirm } from '../../../src-renderer/src/components/fleet/AxeosDetail.js';
import { FleetStat } from '../../../src-renderer/src/components/fleet/FleetStat.js';
import { addressLines, savedText } from '../../../src-renderer/src/components/fleet/AxeosSettingsSection.js';
import { changeRows, deviceModelText, miningHereText, poolText } from '../../../src-renderer/src/components/fleet/axeos-view.js';
import { fakeSnapshot } from '../../e2e/fake-engine.js';
import { onlineAxeosSnapshot, unreachableAxeosSnapshot } from '../../fixtures/axeos/device-snapshot.js';

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');
}

describe('fleetTotals', () => {
  it('adds the answering Wi-Fi devices to the USB estimate, for hashrate and power', () => {
    const s = fakeSnapshot(2);
    s.axeosDevices = [onlineAxeosSnapshot(), unreachableAxeosSnapshot()];
    const f = fleetTotals(s);
    const usb = s.totals.hashrate['10m']!.valueHs;
    expect(f.usbHashrateHs).toBe(usb);
    expect(f.wifiHashrateHs).toBeCloseTo(1180.52e9, 0);
    expect(f.totalHashrateHs).toBeCloseTo(usb + 1180.52e9, 0);
    expect(f.usbPowerW).toBe(s.totals.powerW);
    expect(f.wifiPowerW).toBeCloseTo(18.912345, 9);
    expect(f.totalPowerW).toBeCloseTo(s.totals.powerW! + 18.912345, 9);
    expect([f.wifiOnline, f.wifiCount]).toEqual([1, 2]);
  });

  it('with no USB board and no answering device, the parts are unknown, not zero', () => {
    const s = fakeSnapshot(0);
    s.totals.powerW = null;
    s.axeosDevices = [unreachableAxeosSnapshot()];
    expect(fleetTotals(s)).toMatchObject({ usbHashrateHs: null, wifiHashrateHs: null, totalHashrateHs: null, totalPowerW: null, wifiOnline: 0 });
  });

  it('the tile names both parts and is absent without devices', () => {
    const s = fakeSnapshot(2);
    expect(renderToStaticMarkup(createElement(FleetStat, { snapshot: s }))).toBe('');
    s.axeosDevices = [onlineAxeosSnapshot()];
    const t = text(renderToStaticMarkup(createElement(FleetStat, { snapshot: s })));
    expect(t).toContain('Fleet (USB + Wi-Fi)');
    // 412.3 + 411.2 GH/s (fake-engine.ts, 10 min window) = 823.5 GH/s.
    expect(t).toMatch(/USB 824 GH\/s \+ Wi-Fi 1\.18 TH\/s \(1\/1 answering\)/);
    expect(t).toContain('48.2 W = USB 29.3 W + Wi-Fi 18.9 W');
  });
});

describe('AxeosCard', () => {
  it('shows the device figures with a Wi-Fi badge', () => {
    const t = text(renderToStaticMarkup(createElement(AxeosCard, { device: onlineAxeosSnapshot(), open: false, onOpen: () => {} })));
    for (const part of [
      'bitaxe-gamma',
      'BM1370 · Gamma Wi-Fi',
      'online',
      '1.18 TH/s',
      'expected 1.20 TH/s · 98 %',
      '18.9 W',
      '16.0 J/TH',
      '57 °C / 48 °C',
      '5520 rpm (62 %)',
      'Best 123M',
      'All-time 4.29G',
      '1d 2h 3m',
      'v2.12.0',
      'pool.example.com:3333',
      'mining to another pool',
    ]) {
      expect(t).toContain(part);
    }
  });

  it('an unreachable device says why and shows no figures', () => {
    const t = text(renderToStaticMarkup(createElement(AxeosCard, { device: unreachableAxeosSnapshot(), open: false, onOpen: () => {} })));
    expect(t).toContain('192.0.2.78');
    expect(t).toContain('unreachable');
    expect(t).toContain('no complete answer to GET /api/system/info within 3000 ms');
    expect(t).not.toContain('TH/s');
  });

  it('device text is shown as text, never as markup', () => {
    const device = onlineAxeosSnapshot({ info: { hostname: '<img src=x onerror=alert(1)>', stratumURL: 'pool\u001b[31m.example' } });
    const html = renderToStaticMarkup(createElement(AxeosCard, { device, open: false, onOpen: () => {} }));
    expect(html).not.toContain('<img');
    expect(text(html)).toContain('<img src=x onerror=alert(1)>');
    expect(text(html)).toContain('pool\\x1b[31m.example:3333');
  });
});

describe('"mine to this HashDeck" confirmation', () => {
  const plan: AxeosPoolPlan = {
    deviceId: 'axeos:192.0.2.77',
    changes: [
      { field: 'stratumURL', from: 'pool.example.com', to: '192.0.2.10' },
      { field: 'stratumPort', from: '3333', to: '3334' },
      { field: 'stratumUser', from: 'bc1qexampleaddress.gamma', to: 'bc1qexampleaddress.gamma' },
      { field: 'stratumTLS', from: '1', to: '0' },
    ],
    patch: { stratumURL: '192.0.2.10', stratumPort: 3334, stratumUser: 'bc1qexampleaddress.gamma', stratumTLS: 0 },
    restart: true,
  };

  it('lists every field old → new and marks what stays', () => {
    expect(changeRows(plan).map((r) => [r.label, r.from, r.to, r.changed])).toEqual([
      ['Pool host', 'pool.example.com', '192.0.2.10', true],
      ['Pool port', '3333', '3334', true],
      ['Pool user', 'bc1qexampleaddress.gamma', 'bc1qexampleaddress.gamma', false],
      ['Pool TLS', '1', '0', true],
    ]);
    expect(changeRows({ ...plan, changes: [{ field: 'stratumURL', from: '', to: 'h' }] })[0]!.from).toBe('(empty)');
    const t = text(renderToStaticMarkup(createElement(MineHereConfirm, { plan, name: 'bitaxe-gamma', onConfirm: () => {}, onCancel: () => {} })));
    expect(t).toContain('Point bitaxe-gamma at this HashDeck?');
    expect(t).toContain('Pool host stratumURL pool.example.com → 192.0.2.10');
    expect(t).toContain('bc1qexampleaddress.gamma (unchanged)');
    expect(t).toContain('restarted');
  });
});

describe('small words', () => {
  it('model, pool and mining-here texts', () => {
    const d = onlineAxeosSnapshot();
    expect(deviceModelText(d)).toBe('BM1370 · Gamma');
    expect(deviceModelText({ ...d, asicModel: null, deviceModel: null })).toBe('AxeOS');
    expect(poolText(d)).toBe('pool.example.com:3333');
    expect(poolText({ ...d, pool: null })).toBeNull();
    expect(miningHereText(d)).toEqual({ text: 'mining to another pool', tone: 'idle' });
    expect(miningHereText({ ...d, miningHere: true })?.text).toBe('mining to this HashDeck');
    expect(miningHereText({ ...d, miningHere: null })).toBeNull();
  });

  it('settings take one address per line, and say whether the list was saved', () => {
    expect(addressLines(' bitaxe.local \n\n192.0.2.7:8080\r\n  ')).toEqual(['bitaxe.local', '192.0.2.7:8080']);
    expect(savedText(2, true)).toBe('Saved. Watching 2 Wi-Fi miners.');
    expect(savedText(0, true)).toBe('Saved. No Wi-Fi miner is watched.');
    expect(savedText(1, false)).toBe('Watching 1 Wi-Fi miner until this engine stops (headless, the list comes from --axeos).');
  });
});
