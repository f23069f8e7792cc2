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
    expect(parseArgs(['diagnose', '--expect-chips', '2', '--report', 'r.json', '--device', '/dev/pts/4', '--chip', 'bm1366'])).toMatchObject({
      expectChips: 2,
      reportPath: 'r.json',
      device: { kind: 'path', chip: 'bm1366' },
    });
    expect(mine('--chip', 'bm1370', '--device', '/dev/ttyACM1').devices[0]).toMatchObject({ chip: 'bm1370' });
    expect(() => mine('--chip', 'bm1370', '--device', '/dev/ttyACM1', '--device', 'emulator')).toThrow(/put it after --device/);
  });

  it("--ticket-difficulty before the first --device is every board's, after one that device's; auto or a number", () => {
    const o = mine(
      '--ticket-difficulty',
      'auto',
      '--device',
      'emulator:2',
      '--device',
      '/dev/ttyACM1',
      '--chip',
      'bm1370',
      '--ticket-difficulty',
      '64',
      '--device',
      'emulator',
      '--ticket-difficulty',
      'auto',
    );
    expect(o.ticketDifficulty).toBe('auto');
    expect(o.devices.map((d) => (d.kind === 'auto' ? undefined : d.ticketDifficulty))).toEqual([undefined, 64, 'auto']);
    expect(mine('--ticket-difficulty', '256', '--device', 'emulator').ticketDifficulty).toBe(256);
    expect(mine('--device', 'emulator').ticketDifficulty).toBeNull();
    // One device: after it, the option is that device's (the same boards either way).
    const one = mine('--device', 'emulator', '--ticket-difficulty', '16');
    expect([one.ticketDifficulty, one.devices[0]]).toEqual([null, expect.objectContaining({ ticketDifficulty: 16 })]);
    expect(() => mine('--device', 'emulator', '--ticket-difficulty', '1', '--ticket-difficulty', '2')).toThrow(/given twice for device emulator/);
    expect(() => mine('--ticket-difficulty', 'fast')).toThrow(/must be auto or a number from 1 to 4294967296, got "fast"/);
    expect(() => mine('--device', 'emulator', '--ticket-difficulty', '0.5')).toThrow(/must be auto or a number/);
    expect(() => mine('--device', 'auto', '--ticket-difficulty', 'auto')).toThrow(/--ticket-difficulty before the first --device apply to every board/);
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
    const o = mine(
      '--device',
      'emulator',
      '--node',
      'http://127.0.0.1:18443',
      '--payout',
      'bcrt1qaddr',
      '--rpc-user',
      'u',
      '--rpc-password',
      'p',
      '--http',
      '127.0.0.1:8080',
      '--metrics',
      '--cgminer-api',
      '4028',
      '--duration',
      '2.5',
      '--json',
    );
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
    [['mine'], /needs at least one --device/],
    [['mine', '--duration', '5', '--json'], /needs at least one --device/],
    [['mine', '--device', 'auto', '--api-token', 'eight-ch'], /at least 16 characters/],
    [['mine', '--device', 'auto', '--pool', 'stratum+ssl://pool:443', '--user', 'u', '--tls-fingerprint', 'zz'], /64 hex digits/],
    [['mine', '--device', 'auto', '--pool', 'stratum+ssl://pool:443', '--user', 'u', '--tls-fingerprint', 'ab'.repeat(31)], /64 hex digits/],
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

  it('accepts a pinned fingerprint with or without colons', () => {
    const fp = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0')).join(':');
    expect(mine('--device', 'auto', '--pool', 'stratum+ssl://pool:443', '--user', 'u', '--tls-fingerprint', fp).tlsFingerprint).toBe(fp);
    expect(mine('--device', 'auto', '--pool', 'stratum+ssl://pool:443', '--user', 'u', '--tls-fingerprint', fp.replace(/:/g, '').toUpperCase()).tlsFingerprint).toBeTruthy();
  });

  it('--axeos is repeatable, validated, and empty by default (nothing is polled)', () => {
    expect(mine('--device', 'emulator').axeos).toEqual([]);
    const o = mine('--axeos', 'bitaxe.local', '--axeos=192.0.2.7:8080', '--axeos', '[2001:db8::7]');
    expect(o.axeos.map((a) => [a.host, a.port, a.id])).toEqual([
      ['bitaxe.local', 80, 'axeos:bitaxe.local'],
      ['192.0.2.7', 8080, 'axeos:192.0.2.7:8080'],
      ['2001:db8::7', 80, 'axeos:[2001:db8::7]'],
    ]);
  });

  it.each([
    [['--axeos', 'https://bitaxe.local'], /--axeos: .*plain HTTP/],
    [['--axeos', 'bitaxe.local:99999'], /--axeos: .*out of range/],
    [['--axeos', 'bitaxe.local', '--axeos', 'BITAXE.local:80'], /--axeos: .*listed twice/],
    [['--axeos'], /--axeos needs a value/],
  ])('refuses mine %j', (argv, message) => {
    expect(() => mine(...argv)).toThrow(UsageError);
    expect(() => mine(...argv)).toThrow(message);
  });

  it('accepts a non-loopback bind with a token', () => {
    expect(mine('--device', 'auto', '--http', '0.0.0.0:8080', '--api-token', 'secret-token-0001').http).toEqual({ host: '0.0.0.0', port: 8080 });
  });

  it('parses --serve-stratum and its options (127.0.0.1 unless a host is named)', () => {
    const node = ['--node', 'http://127.0.0.1:18443', '--payout', 'bcrt1qaddr'];
    expect(mine('--device', 'auto', ...node).serveStratum).toBeNull();
    expect(mine(...node, '--serve-stratum', '3333').serveStratum).toEqual({ host: '127.0.0.1', port: 3333, allow: [], minDifficulty: null, payToUsername: false });
    // Beyond loopback: no token (miners cannot send one); the allow list is the gate.
    expect(
      mine(...node, '--serve-stratum', '0.0.0.0:3333', '--stratum-allow', '203.0.113.0/24', '--stratum-allow', 'fd00::/8', '--stratum-min-difficulty', '0.00005', '--stratum-pay-username')
        .serveStratum,
    ).toEqual({ host: '0.0.0.0', port: 3333, allow: ['203.0.113.0/24', 'fd00::/8'], minDifficulty: 0.00005, payToUsername: true });
    expect(mine('--pool', 'stratum+tcp://p:3333', '--user', 'u', '--serve-stratum', '[::1]:3333').serveStratum).toMatchObject({ host: '::1', port: 3333 });
  });

  it('refuses --serve-stratum without work, and its options without it, in one sentence', () => {
    const node = ['--node', 'http://127.0.0.1:18443', '--payout', 'bcrt1qaddr'];
    const sentence = (f: () => unknown, re: RegExp) => {
      expect(f).toThrow(UsageError);
      expect(f).toThrow(re);
    };
    sentence(() => mine('--device', 'emulator', '--serve-stratum', '3333'), /--serve-stratum needs work to hand out: give --node \(solo\) or --pool \(proxy\)/);
    sentence(() => mine(...node, '--stratum-allow', '10.0.0.0/8'), /--stratum-allow only applies with --serve-stratum/);
    sentence(() => mine(...node, '--stratum-pay-username'), /--stratum-pay-username only applies with --serve-stratum/);
    sentence(() => mine(...node, '--serve-stratum', '3333', '--stratum-allow', '10.0.0.0/40'), /--stratum-allow: "10\.0\.0\.0\/40" has a bad prefix length/);
    sentence(() => mine(...node, '--serve-stratum', '3333', '--stratum-min-difficulty', '0'), /--stratum-min-difficulty must be a positive number/);
    sentence(() => mine('--pool', 'stratum+tcp://p:3333', '--user', 'u', '--serve-stratum', '3333', '--stratum-pay-username'), /needs --node: with a pool, the pool pays/);
    sentence(() => mine(...node, '--serve-stratum', '3333', '--serve-stratum', '3334'), /given more than once/);
    sentence(() => mine(...node, '--serve-stratum', 'host:'), /--serve-stratum expects \[host:\]port/);
  });

  it('help documents every option the parser accepts', () => {
    const documented = new Set([...HELP.matchAll(/--[a-z0-9-]+/g)].map((m) => m[0]));
    const accepted = new Set([...Object.values(FLAGS).flatMap((flags) => Object.keys(flags)), ...DEVICE_FLAGS]);
    expect(accepted.size).toBeGreaterThan(30);
    for (const flag of accepted) expect(documented.has(flag), flag).toBe(true);
  });
});
