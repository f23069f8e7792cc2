/** One table of USB ids: the committed udev rules are the generated ones, and rules and detection agree. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recogniseBoards, recogniseUnsupportedBoards, type SerialPortInfo } from '../../../src-main/boards/detect.js';
import { udevRules, usbBoardIdFor, USB_BOARD_IDS } from '../../../src-main/boards/usb-ids.js';
import { ROOT } from '../../helpers/cli.js';

const RULES_FILE = path.join(ROOT, 'resources/udev/99-hashdeck.rules');

interface Rule {
  vendorId: string;
  productId: string;
  product: string | null;
}

function parseRules(text: string): Rule[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('SUBSYSTEM=='))
    .map((l) => ({
      vendorId: /ATTRS\{idVendor\}=="(\w+)"/.exec(l)![1]!,
      productId: /ATTRS\{idProduct\}=="(\w+)"/.exec(l)![1]!,
      product: /ATTRS\{product\}=="([^"]+)"/.exec(l)?.[1] ?? null,
    }));
}

/** What udev would match: vendor, product id and, where the rule names it, the product string. */
function ruleMatches(rules: Rule[], vendorId: string, productId: string, product: string): boolean {
  return rules.some((r) => r.vendorId === vendorId && r.productId === productId && (r.product === null || r.product === product));
}

const port = (vendorId: string, productId: string, product: string | null): SerialPortInfo => ({
  path: '/dev/ttyUSB0',
  vendorId,
  productId,
  product,
  manufacturer: null,
  serialNumber: 'S',
  pnpId: null,
  interfaceNumber: 0,
});

describe('USB id table', () => {
  it('the committed udev rules are exactly what the table generates (npm run generate)', () => {
    expect(readFileSync(RULES_FILE, 'utf8')).toBe(udevRules());
  });

  it('every board detection would start has a udev rule, and a rule opens only boards of the table', () => {
    const rules = parseRules(udevRules());
    const products = [...new Set(USB_BOARD_IDS.map((e) => e.product).filter((p): p is string => p !== null)), 'Some Other Product'];
    const ids = [...new Set(USB_BOARD_IDS.map((e) => `${e.vendorId}:${e.productId}`)), '10c4:ea60', '0403:6001'];
    for (const id of ids) {
      const [vendorId, productId] = id.split(':') as [string, string];
      for (const product of products) {
        const ports = [port(vendorId, productId, product)];
        const started = recogniseBoards(ports).length > 0;
        const known = started || recogniseUnsupportedBoards(ports).length > 0;
        const ruled = ruleMatches(rules, vendorId, productId, product);
        // A rule without a product string (CP2105) also covers that id's unsupported sticks: harmless, they are never started.
        if (started) expect(ruled, `${id} "${product}" is started but has no rule`).toBe(true);
        if (ruled) expect(known, `${id} "${product}" has a rule but is no board of the table`).toBe(true);
      }
    }
  });

  it('fixes the old mismatch: C0DE:CAF1 is detected and has a rule; a CP210x (10c4:ea60) is only ever a BM1384 stick, listed and given no rule', () => {
    const rules = parseRules(udevRules());
    expect(rules.some((r) => r.vendorId === 'c0de' && r.productId === 'caf1')).toBe(true);
    expect(usbBoardIdFor('c0de', 'caf1', null)?.kind).toBe('bitaxe-raw');
    expect(rules.some((r) => r.vendorId === '10c4' && r.productId === 'ea60')).toBe(false);
    expect(usbBoardIdFor('10c4', 'ea60', 'Compac BM1384 Bitcoin Miner')?.unsupportedChip).toBe('BM1384');
    expect(usbBoardIdFor('10c4', 'ea60', 'CP2102 USB to UART Bridge Controller')).toBeNull();
  });

  it('ids are four lower-case hex digits and each (id, product string) appears once', () => {
    const keys = USB_BOARD_IDS.map((e) => `${e.vendorId}:${e.productId}:${e.product}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of USB_BOARD_IDS) {
      expect(e.vendorId).toMatch(/^[0-9a-f]{4}$/);
      expect(e.productId).toMatch(/^[0-9a-f]{4}$/);
    }
  });
});
