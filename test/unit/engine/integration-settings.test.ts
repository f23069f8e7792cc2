/** Notification and MQTT settings in the desktop app's settings file: sealed like passwords. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, mergeSettings, parseSettings, saveSettings, SESSION_ONLY_SECRETS, type SecretCipher } from '../../../src-main/engine/settings.js';
import { tempDir } from '../../helpers/cli.js';

const fakeKeychain: SecretCipher = {
  seal: async (p) => Buffer.from(p).reverse().toString('base64'),
  unseal: async (s) => Buffer.from(s, 'base64').reverse().toString(),
};
const POOL = { url: 'stratum+tcp://pool.example:3333', user: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', password: 'x' };
const NOTIFY = {
  channels: [
    { kind: 'discord', target: 'https://discord.example/api/webhooks/1/DISCORD-TOKEN', events: ['block'] },
    { kind: 'webhook', target: 'https://hooks.example/h', secret: 'HMAC-SECRET-1' },
    { kind: 'telegram', target: '-1001' },
  ],
  telegramToken: '123456:TELEGRAM-TOKEN-ABCDEFGHIJ',
};
const MQTT = { url: 'mqtt://ha:MQTT-PASSWORD@192.0.2.7:1883', nodeId: 'garage', allowCommands: true };

describe('notification and MQTT settings', () => {
  it('validate: a telegram channel needs the bot token; a bad MQTT URL is refused', () => {
    expect(() => parseSettings({ notify: { channels: [{ kind: 'telegram', target: '1' }] } })).toThrow(/notify\.channels\.0: a telegram channel needs the bot token/);
    expect(() => parseSettings({ mqtt: { url: 'http://h:1' } })).toThrow(/mqtt:\/\//);
  });

  it('with the keychain: targets, tokens, secrets and the MQTT URL are sealed on disk and restored on load', async () => {
    const dir = tempDir();
    await saveSettings(dir, parseSettings({ pools: [POOL], notify: NOTIFY, mqtt: MQTT }), fakeKeychain);
    const text = readFileSync(path.join(dir, 'settings.json'), 'utf8');
    for (const secret of ['DISCORD-TOKEN', 'HMAC-SECRET-1', 'TELEGRAM-TOKEN', 'MQTT-PASSWORD']) expect(text).not.toContain(secret);
    expect(JSON.parse(text).notify.channels[0].events).toEqual(['block']);
    const back = await loadSettings(dir, fakeKeychain);
    expect(back!.notify).toEqual(NOTIFY);
    expect(back!.mqtt).toEqual(MQTT);
  });

  it('without a keychain (session only) they are left out and asked for again', async () => {
    const dir = tempDir();
    await saveSettings(dir, parseSettings({ pools: [POOL], notify: NOTIFY, mqtt: MQTT }), SESSION_ONLY_SECRETS);
    const text = readFileSync(path.join(dir, 'settings.json'), 'utf8');
    for (const secret of ['DISCORD-TOKEN', 'HMAC-SECRET-1', 'TELEGRAM-TOKEN', 'MQTT-PASSWORD']) expect(text).not.toContain(secret);
    const back = await loadSettings(dir, SESSION_ONLY_SECRETS);
    expect(back!.pools).toHaveLength(1);
    expect(back!.notify).toBeUndefined();
    expect(back!.mqtt).toBeUndefined();
  });

  it('a client saves its own part: notifications keep the work source, and the work source keeps notifications', () => {
    const saved = parseSettings({ pools: [POOL], notify: NOTIFY });
    expect(parseSettings(mergeSettings(saved, { mqtt: MQTT }))).toMatchObject({ pools: [POOL], notify: NOTIFY, mqtt: MQTT });
    const solo = parseSettings(mergeSettings(saved, { pools: [], node: { url: 'http://127.0.0.1:8332', payoutAddress: POOL.user } }));
    expect(solo.pools).toEqual([]);
    expect(solo.notify).toEqual(NOTIFY);
    const backToPool = parseSettings(mergeSettings(solo, { pools: [POOL] }));
    expect(backToPool.node).toBeUndefined();
  });
});
