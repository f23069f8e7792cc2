import { describe, expect, it } from 'vitest';
import { DEVICE_FLAGS, FLAGS, parseArgs, type MineOptions } from '../../../src-main/cli/args.js';
import { HELP } from '../../../src-main/cli/help.js';
import { UsageError } from '../../../src-main/cli/usage-error.js';

const mine = (...a: string[]): MineOptions => parseArgs(['mine', ...a]) as MineOptions;

describe('hashdeck CLI arguments', () => {
  it('applies options after a --device to that device', () => {
    const o = mine('--device', '/dev/pts/3', '--chip', 'bm1366', '--scale-bits', '24', '--device', 'emulator:2', '--device', '/dev/ttyACM1', '--chip', 'bm1370', '--control', '/dev/ttyACM0');
    expect(o.devices).toEqual([
      { kind: 'path', path: '/dev/pts/3', chip: 'bm1366', control: null, scaleBits: 24, expectChips: null },
      { kind: 'emulator', chips: 2, model: 'bm1366', scaleBits: 24 },
      { kind: 'path', path: '/dev/ttyACM1', chip: 'bm1370', control: '/dev/ttyACM0', scaleBits: null, expectChips: null },
    ]);
  });

  it('with one device, its options may also come before --device', () => {
    expect(parseArgs(['diagnose', '--expect-chips', '2', '--report', 'r.json', '--device', '/dev/pts/4', '--chip', 'bm1366'])).toMatchObject({ expectChips: 2, reportPath: 'r.json', device: { kind: 'path', chip: 'bm1366' } });
    expect(mine('--chip', 'bm1370', '--device', '/dev/ttyACM1').devices[0]).toMatchObject({ chip: 'bm1370' });
    expect(() => mine('--chip', 'bm1370', '--device', '/dev/ttyACM1', '--device', 'emulator')).toThrow(/put it after --device/);
  });

  it("--ticket-difficulty before the first --device is every board's, after one that device's; auto or a number", () => {
    const o = mine('--ticket-difficulty', 'auto', '--device', 'emulator:2', '--device', '/dev/ttyACM1', '--chip', 'bm1370', '--ticket-difficulty', '64', '--device', 'emulator', '--ticket-difficulty', 'auto');
    expect(o.ticketDifficulty).toBe('auto');
    expect(o.devices.map((d) => (d.kind === 'auto' ? undefined : d.ticketDifficulty))).toEqual([undefined, 64, 'auto']);
    expect(mine('--ticket-difficulty', '256').ticketDifficulty).toBe(256);
    expect(mine('--device', 'emulator').ticketDifficulty).toBeNull();
    // One device: after it, the option is that device's (the same boards either way).
    const one = mine('--device', 'emulator', '--ticket-difficulty', '16');
    expect([one.ticketDifficulty, one.devices[0]]).toEqual([null, expect.objectContaining({ ticketDifficulty: 16 })]);
    expect(() => mine('--device', 'emulator', '--ticket-difficulty', '1', '--ticket-difficulty', '2')).toThrow(/given twice for device emulator/);
    expect(() => mine('--ticket-difficulty', 'fast')).toThrow(/must be auto or a number from 1 to 4294967296, got "fast"/);
    expect(() => mine('--device', 'emulator', '--ticket-difficulty', '0.5')).toThrow(/must be auto or a number/);
    expect(() => mine('--device', 'auto', '--ticket-difficulty', 'auto')).toThrow(/before the first --device applies to every board/);
  });

  it('parses pools in failover order, fractional suggest-difficulty, defaults', () => {
    const o = mine('--device', 'auto', '--pool', 'stratum+tcp://127.0.0.1:3333', '--pool', 'stratum+ssl://pool.example:443', '--user', 'bc1qxyz.w1', '--suggest-difficulty', '0.0001');
    expect(o.pools.map((p) => [p.host, p.port, p.tls])).toEqual([
      ['127.0.0.1', 3333, false],
      ['pool.example', 443, true],
    ]);
    expect(o.password).toBe('x');
    expect(o.suggestDifficulty).toBe(0.0001);
    expect(o.json).toBe(false);
  });

  it('parses node options and listeners', () => {
    const o = mine('--node', 'http://127.0.0.1:18443', '--payout', 'bcrt1qaddr', '--rpc-user', 'u', '--rpc-password', 'p', '--http', '127.0.0.1:8080', '--metrics', '--cgminer-api', '4028', '--duration', '2.5', '--json');
    expect(o.node).toEqual({ url: 'http://127.0.0.1:18443', payout: 'bcrt1qaddr', rpcCookie: null, rpcUser: 'u', rpcPassword: 'p' });
    expect(o.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(o.cgminerApi).toEqual({ host: '127.0.0.1', port: 4028 });
    expect(o.durationS).toBe(2.5);
    expect(o.metrics).toBe(true);
  });

  const bad: [string[], RegExp][] = [
    [['mine', '--bogus'], /unknown option --bogus/],
    [['frobnicate'], /unknown command/],
    [['mine', '--device', '/dev/ttyACM1'], /--chip/],
    [['mine', '--device', '/dev/ttyACM1', '--chip', 'bm9999'], /unknown chip "bm9999"/],
    [['mine', '--chip', 'bm1366'], /put it after --device/],
    [['mine', '--pool', 'http://pool:3333', '--user', 'u'], /not a pool URL/],
    [['mine', '--pool', 'stratum+tcp://pool', '--user', 'u'], /not a pool URL/],
    [['mine', '--pool', 'stratum+tcp://pool:3333'], /needs --user/],
    [['mine', '--pool', 'stratum+tcp://pool:3333', '--user', 'u', '--node', 'http://n:8332', '--payout', 'a'], /either --pool or --node/],
    [['mine', '--node', 'http://n:8332'], /needs --payout/],
    [['mine', '--node', 'ftp://n:8332', '--payout', 'a'], /not a node URL/],
    [['mine', '--http', '0.0.0.0:8080'], /needs --api-token/],
    [['mine', '--cgminer-api', '0.0.0.0:4028'], /needs --api-token/],
    [['mine', '--device', 'emulator:2', '--scale-bits', '40'], /from 0 to 32/],
    [['mine', '--duration', '-1'], /positive number/],
    [['mine', '--metrics'], /--http/],
    [['mine', '--json', 'yes'], /unexpected argument/],
    [['diagnose'], /exactly one --device/],
    [['emulate'], /needs --pty/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(' ')}`, () => {
      let err: unknown;
      try {
        parseArgs(argv);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message.split('\n')).toHaveLength(1);
    });
  }

  it('accepts a non-loopback bind with a token', () => {
    expect(mine('--http', '0.0.0.0:8080', '--api-token', 'secret-token-1').http).toEqual({ host: '0.0.0.0', port: 8080 });
  });

  it('help documents every option the parser accepts', () => {
    const documented = new Set([...HELP.matchAll(/--[a-z0-9-]+/g)].map((m) => m[0]));
    const accepted = new Set([...Object.values(FLAGS).flatMap((flags) => Object.keys(flags)), ...DEVICE_FLAGS]);
    expect(accepted.size).toBeGreaterThan(30);
    for (const flag of accepted) expect(documented.has(flag), flag).toBe(true);
  });
});
