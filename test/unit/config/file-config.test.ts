/** The headless config file: schema, cross-key rules, clear errors, and agreement with the CLI. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigFileError, fileConfigToArgs, loadFileConfig, parseFileConfig } from '../../../src-main/config/file-config.js';
import { parseArgs, type MineOptions } from '../../../src-main/cli/args.js';

const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/config.example.json');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hashdeck-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, body: unknown, mode = 0o600): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  chmodSync(file, mode);
  return file;
}

const parse = (v: unknown) => parseFileConfig(v, 'test.json', '/etc/hashdeck');

describe('config file', () => {
  it('loads the shipped example and turns it into mine flags the CLI accepts', () => {
    const { config } = loadFileConfig(EXAMPLE);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.cgminerApi).toEqual({ host: '127.0.0.1', port: 4028 });
    const opts = parseArgs(['mine', ...fileConfigToArgs(config)]) as MineOptions;
    expect(opts.command).toBe('mine');
    expect(opts.devices).toEqual([{ kind: 'auto' }]);
    expect(opts.pools.map((p) => p.url)).toEqual(config.pools);
    expect(opts.user).toBe(config.user);
    expect(opts.frequencyMhz).toBe(485);
    expect(opts.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(opts.metrics).toBe(true);
    expect(opts.cgminerApi).toEqual({ host: '127.0.0.1', port: 4028 });
  });

  it('normalises devices, listeners and relative paths', () => {
    const cfg = parse({
      devices: ['emulator:2', { device: '/dev/ttyACM1', chip: 'bm1370', control: 'ctl0', scaleBits: 8 }],
      node: 'http://127.0.0.1:8332',
      payout: 'bc1qxyz',
      rpcCookie: 'bitcoin/.cookie',
      dataDir: 'data',
      cgminerApi: 4029,
      http: { host: '0.0.0.0', port: 8080 },
      apiToken: 'a-long-enough-token',
    });
    expect(cfg.devices).toEqual([{ device: 'emulator:2' }, { device: '/dev/ttyACM1', chip: 'bm1370', control: '/etc/hashdeck/ctl0', scaleBits: 8 }]);
    expect(cfg.rpcCookie).toBe('/etc/hashdeck/bitcoin/.cookie');
    expect(cfg.dataDir).toBe('/etc/hashdeck/data');
    expect(cfg.cgminerApi).toEqual({ host: '127.0.0.1', port: 4029 });
    const opts = parseArgs(['mine', ...fileConfigToArgs(cfg)]) as MineOptions;
    expect(opts.node).toMatchObject({ url: 'http://127.0.0.1:8332', payout: 'bc1qxyz', rpcCookie: '/etc/hashdeck/bitcoin/.cookie' });
    expect(opts.devices[1]).toMatchObject({ kind: 'path', path: '/dev/ttyACM1', chip: 'bm1370', scaleBits: 8 });
  });

  it('turns "axeos" into repeated --axeos flags', () => {
    const cfg = parse({ devices: ['auto'], axeos: ['bitaxe.local', '192.0.2.7:8080'] });
    const args = fileConfigToArgs(cfg);
    expect(args.filter((a, i) => args[i - 1] === '--axeos')).toEqual(['bitaxe.local', '192.0.2.7:8080']);
    const opts = parseArgs(['mine', ...args]) as MineOptions;
    expect(opts.axeos.map((a) => a.id)).toEqual(['axeos:bitaxe.local', 'axeos:192.0.2.7:8080']);
    expect(() => parse({ devices: ['auto'], axeos: 'bitaxe.local' })).toThrow(/axeos/);
  });

  it('carries the Stratum server keys to the same flags', () => {
    const cfg = parse({
      devices: ['auto'],
      node: 'http://127.0.0.1:8332',
      payout: 'bc1qxyz',
      serveStratum: '0.0.0.0:3333',
      stratumAllow: ['203.0.113.0/24'],
      stratumMinDifficulty: 0.0002,
      stratumPayUsername: true,
    });
    expect(cfg.serveStratum).toEqual({ host: '0.0.0.0', port: 3333 });
    const opts = parseArgs(['mine', ...fileConfigToArgs(cfg)]) as MineOptions;
    expect(opts.serveStratum).toEqual({ host: '0.0.0.0', port: 3333, allow: ['203.0.113.0/24'], minDifficulty: 0.0002, payToUsername: true });
    expect((parseArgs(['mine', ...fileConfigToArgs(parse({ devices: ['auto'], node: 'http://n:8332', payout: 'a', serveStratum: 3334 }))]) as MineOptions).serveStratum).toMatchObject({
      host: '127.0.0.1',
      port: 3334,
    });
    expect(() => parse({ devices: ['auto'], serveStratum: 'x:y' })).toThrow(/serveStratum: must be "\[host:\]port"/);
  });

  it('takes a ticket difficulty for every board and per device, "auto" or a number', () => {
    const cfg = parse({ devices: ['emulator:2', { device: '/dev/ttyACM1', chip: 'bm1370', ticketDifficulty: 'auto' }, { device: 'emulator', ticketDifficulty: 64 }], ticketDifficulty: 16 });
    const opts = parseArgs(['mine', ...fileConfigToArgs(cfg)]) as MineOptions;
    expect(opts.ticketDifficulty).toBe(16);
    expect(opts.devices.map((d) => (d.kind === 'auto' ? null : d.ticketDifficulty))).toEqual([undefined, 'auto', 64]);
    expect(parseArgs(['mine', ...fileConfigToArgs(parse({ devices: ['auto'], ticketDifficulty: 'auto' }))])).toMatchObject({ ticketDifficulty: 'auto' });
    expect(() => parse({ devices: ['auto'], ticketDifficulty: 'fast' })).toThrow(/ticketDifficulty/);
    expect(() => parse({ devices: [{ device: 'auto', ticketDifficulty: 8 }] })).toThrow(/"auto" takes no per-device options/);
  });

  it('names the key in schema errors', () => {
    expect(() => parse({ devices: [] })).toThrow(/config file test\.json: devices: list at least one device/);
    expect(() => parse({ devices: ['auto'], pool: ['x'] })).toThrow(/unknown key "pool"/);
    expect(() => parse({ devices: ['auto'], pools: ['http://pool:3333'], user: 'u' })).toThrow(/pools\[0\]: must look like stratum\+tcp/);
    expect(() => parse({ devices: [{ device: '/dev/x', chip: 'bm9999' }] })).toThrow(/devices\[0\]/);
    // The key, the type it must have and what it was; never "is required" for a value that is there.
    expect(() => parse({ devices: ['auto'], frequencyMhz: 'fast' })).toThrow(/frequencyMhz: must be a number, not a string/);
    expect(() => parse({ devices: 'auto' })).toThrow(/devices: must be an array, not a string/);
    expect(() => parse({ devices: ['auto'], durationS: null })).toThrow(/durationS: must be a number, not null/);
    expect(() => parse({})).toThrow(/devices: is required/);
    // A file that is not an object says so, instead of ": is required".
    expect(() => parse([1, 2])).toThrow(/config file test\.json: must be a JSON object of settings .*, not an array$/);
    expect(() => parse('auto')).toThrow(/not a string$/);
  });

  it('applies the CLI rules between keys', () => {
    expect(() => parse({ devices: ['auto'], pools: ['stratum+tcp://p:3333'], user: 'u', node: 'http://n:8332', payout: 'a' })).toThrow(/either "pools" or "node"/);
    expect(() => parse({ devices: ['auto'], pools: ['stratum+tcp://p:3333'] })).toThrow(/"pools" needs "user"/);
    expect(() => parse({ devices: ['auto'], node: 'http://n:8332' })).toThrow(/"node" needs "payout"/);
    expect(() => parse({ devices: ['auto'], http: '0.0.0.0:8080' })).toThrow(/"http" binds 0\.0\.0\.0: set "apiToken"/);
    expect(() => parse({ devices: ['auto'], cgminerApi: '192.168.1.2:4028' })).toThrow(/"cgminerApi" binds 192\.168\.1\.2/);
    expect(() => parse({ devices: ['/dev/ttyUSB0'] })).toThrow(/say which chip it has with "chip"/);
    expect(() => parse({ devices: ['auto'], apiToken: 'short' })).toThrow(/apiToken: must be at least 16 characters/);
  });

  it('reports unreadable files and bad JSON in one sentence, without secrets', () => {
    expect(() => loadFileConfig(path.join(dir, 'missing.json'))).toThrow(ConfigFileError);
    expect(() => loadFileConfig(path.join(dir, 'missing.json'))).toThrow(/does not exist/);
    expect(() => loadFileConfig(write('bad.json', '{"devices": ['))).toThrow(/is not valid JSON/);
    try {
      loadFileConfig(write('secret.json', { devices: ['auto'], rpcUser: 'u', rpcPassword: 'hunter2-secret', node: 'ftp://x' }));
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/node: must be an http/);
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('warns when a file with secrets is readable by others', () => {
    const body = { devices: ['auto'], pools: ['stratum+tcp://p:3333'], user: 'u', password: 'pool-secret' };
    expect(loadFileConfig(write('private.json', body, 0o600)).warnings).toEqual([]);
    const { warnings } = loadFileConfig(write('open.json', body, 0o644));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/chmod 600/);
    expect(warnings[0]).not.toContain('pool-secret');
  });
});
