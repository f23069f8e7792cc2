/** The flags of issue 15: notifications, MQTT, coinbase tag, per-board workers, notify-test, export. */
import { describe, expect, it } from 'vitest';
import { parseArgs, type ExportOptions, type MineOptions, type NotifyTestOptions } from '../../../src-main/cli/args.js';
import { UsageError } from '../../../src-main/cli/usage-error.js';

const mine = (...a: string[]): MineOptions => parseArgs(['mine', ...a]) as MineOptions;
const TOKEN = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('notification, MQTT and small-things flags', () => {
  it('--notify channels keep their order; --notify-events and --notify-secret apply to the --notify they follow', () => {
    const o = mine(
      '--device',
      'auto',
      '--notify',
      'webhook=https://example.com/hook',
      '--notify-secret',
      'hmac-secret',
      '--notify-events',
      'block,pool-down',
      '--notify',
      'ntfy=https://ntfy.sh/rig',
      '--notify',
      'telegram=-10042',
      '--telegram-token',
      TOKEN,
      '--telegram-api',
      'http://127.0.0.1:9',
      '--notify',
      'discord=https://discord.com/api/webhooks/1/x',
    );
    expect(o.notify).toEqual({
      channels: [
        { kind: 'webhook', target: 'https://example.com/hook', secret: 'hmac-secret', events: ['block', 'pool-down'] },
        { kind: 'ntfy', target: 'https://ntfy.sh/rig' },
        { kind: 'telegram', target: '-10042' },
        { kind: 'discord', target: 'https://discord.com/api/webhooks/1/x' },
      ],
      telegramToken: TOKEN,
      telegramApi: 'http://127.0.0.1:9',
    });
    expect(mine('--device', 'auto').notify).toBeNull();
  });

  it('--mqtt with a node id; --allow-writes works with --mqtt alone', () => {
    const o = mine('--device', 'auto', '--mqtt', 'mqtt://ha:pw@192.0.2.1:1883', '--mqtt-node-id', 'garage_rig', '--allow-writes');
    expect(o.mqtt).toEqual({ url: 'mqtt://ha:pw@192.0.2.1:1883', nodeId: 'garage_rig' });
    expect(o.allowWrites).toBe(true);
  });

  it('per-device --worker and --coinbase-tag with a node', () => {
    const o = mine('--device', 'emulator', '--worker', 'left', '--device', 'emulator', '--worker', 'right', '--node', 'http://127.0.0.1:8332', '--payout', 'bc1q', '--coinbase-tag', '/my rig/');
    expect(o.devices.map((d) => (d.kind === 'emulator' ? d.worker : null))).toEqual(['left', 'right']);
    expect(o.coinbaseTag).toBe('/my rig/');
  });

  it('notify-test and export', () => {
    expect(parseArgs(['notify-test', '--notify', 'ntfy=http://127.0.0.1:1/t', '--json'])).toEqual({
      command: 'notify-test',
      notify: { channels: [{ kind: 'ntfy', target: 'http://127.0.0.1:1/t' }] },
      json: true,
    } satisfies NotifyTestOptions);
    const e = parseArgs(['export', '--what', 'shares', '--from', '2025-01-31', '--to', '2025-02-01T12:00:00Z', '--data-dir', '/tmp/x']) as ExportOptions;
    expect(e).toEqual({ command: 'export', what: 'shares', fromMs: Date.UTC(2025, 0, 31), toMs: Date.UTC(2025, 1, 1, 12), dataDir: '/tmp/x' });
    expect((parseArgs(['export', '--what', 'blocks', '--from', '2025-01-31T10:00']) as ExportOptions).fromMs).toBe(Date.UTC(2025, 0, 31, 10));
  });

  const bad: [string[], RegExp][] = [
    [['mine', '--notify', 'email=x@y'], /kind webhook, ntfy, discord, telegram/],
    [['mine', '--notify', 'webhook=ftp://x/y'], /--notify webhook needs an http/],
    [['mine', '--notify', 'telegram=abc', '--telegram-token', TOKEN], /chat id is a number/],
    [['mine', '--notify', 'telegram=42'], /needs --telegram-token/],
    [['mine', '--telegram-token', TOKEN], /only apply with --notify telegram/],
    [['mine', '--notify', 'telegram=42', '--telegram-token', 'nope'], /bot token/],
    [['mine', '--notify-events', 'block'], /put it after --notify/],
    [['mine', '--notify', 'ntfy=http://h/t', '--notify-events', 'block,moon'], /unknown notification event "moon"/],
    [['mine', '--notify', 'discord=http://h/t', '--notify-secret', 'abcdefgh'], /a discord channel takes none/],
    [['mine', '--notify', 'webhook=http://h/t', '--notify-secret', 'short'], /at least 8/],
    [['mine', '--mqtt', 'http://h:1883'], /--mqtt expects mqtt:\/\//],
    [['mine', '--mqtt', 'mqtt://h:1883/topic'], /broker address only/],
    [['mine', '--mqtt-node-id', 'x'], /only applies with --mqtt/],
    [['mine', '--mqtt', 'mqtt://h:1883', '--mqtt-node-id', 'a b'], /letters, digits/],
    [['mine', '--allow-writes'], /give --http or --mqtt/],
    [['mine', '--coinbase-tag', '/x/'], /only applies with --node/],
    [['mine', '--node', 'http://n:8332', '--payout', 'a', '--coinbase-tag', 'x'.repeat(86)], /86 bytes but only 85 fit/],
    [['mine', '--device', 'emulator', '--worker', 'a.b'], /letters, digits, _ and - only/],
    [['mine', '--device', 'auto', '--worker', 'w'], /takes no per-device options/],
    [['notify-test'], /at least one --notify/],
    [['export'], /--what shares\|samples\|blocks/],
    [['export', '--what', 'shares', '--from', 'yesterday'], /ISO time/],
    [['export', '--what', 'shares', '--from', '2025-02-01', '--to', '2025-01-01'], /--from is after --to/],
  ];
  for (const [args, message] of bad) {
    it(`refuses ${args.join(' ')}`, () => {
      expect(() => parseArgs(args)).toThrow(UsageError);
      expect(() => parseArgs(args)).toThrow(message);
    });
  }

  it('a refusal never repeats a secret', () => {
    const secretUrl = 'ftp://discord.example/api/webhooks/1/SECRET-TOKEN';
    expect(() => parseArgs(['mine', '--notify', `discord=${secretUrl}`])).toThrow(/^(?!.*SECRET-TOKEN)/);
    expect(() => parseArgs(['mine', '--mqtt', 'http://u:TOPSECRET@h:1'])).toThrow(/^(?!.*TOPSECRET)/);
  });
});
