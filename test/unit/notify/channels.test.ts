import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFY_EVENTS } from '@shared/contract';
import { DiscordChannel } from '../../../src-main/notify/channels/discord.js';
import { NtfyChannel } from '../../../src-main/notify/channels/ntfy.js';
import { TelegramChannel } from '../../../src-main/notify/channels/telegram.js';
import { SIGNATURE_HEADER, WebhookChannel } from '../../../src-main/notify/channels/webhook.js';
import type { Notification } from '../../../src-main/notify/events.js';
import { createChannel, Notifier, NotifyConfigError } from '../../../src-main/notify/notifier.js';
import { NotifyReceiver } from '../../fixtures/notify/receiver.js';

const events = new Set(DEFAULT_NOTIFY_EVENTS);
const block: Notification = { kind: 'block', key: 'block:00ab', title: 'Block found by emu0!', text: 'Block found at height 905123 by emu0: 00ab', atMs: Date.UTC(2026, 0, 2, 3, 4, 5), urgent: true };
const receivers: NotifyReceiver[] = [];

async function receiver(kind: NotifyReceiver['kind']): Promise<NotifyReceiver> {
  const r = await new NotifyReceiver(kind).start();
  receivers.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

describe('notification channels (loopback receivers)', () => {
  it('webhook: JSON body, HMAC-SHA256 of the exact body in the signature header', async () => {
    const r = await receiver('webhook');
    await new WebhookChannel(`${r.baseUrl}/hook`, events, 'hmac-secret-1').send(block);
    const req = r.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toMatchObject({ source: 'hashdeck', event: 'block', title: block.title, text: block.text, atMs: block.atMs, time: '2026-01-02T03:04:05.000Z' });
    const expected = `sha256=${createHmac('sha256', 'hmac-secret-1').update(req.body).digest('hex')}`;
    expect(req.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(expected);
  });

  it('webhook without a secret sends no signature', async () => {
    const r = await receiver('webhook');
    await new WebhookChannel(`${r.baseUrl}/hook`, events).send(block);
    expect(r.requests[0]!.headers[SIGNATURE_HEADER.toLowerCase()]).toBeUndefined();
  });

  it('ntfy: text body to the topic, title, priority and tags headers, bearer token', async () => {
    const r = await receiver('ntfy');
    await new NtfyChannel(`${r.baseUrl}/hashdeck-test`, events, 'tk_abcdefgh').send(block);
    const req = r.requests[0]!;
    expect(req.path).toBe('/hashdeck-test');
    expect(req.body).toContain(block.text);
    expect(req.headers['title']).toBe(block.title);
    expect(req.headers['priority']).toBe('urgent');
    expect(req.headers['authorization']).toBe('Bearer tk_abcdefgh');
  });

  it('discord: JSON content with the title in bold, mentions disabled', async () => {
    const r = await receiver('discord');
    await new DiscordChannel(`${r.baseUrl}/api/webhooks/123/tokenpart`, events).send(block);
    const body = JSON.parse(r.requests[0]!.body) as { content: string; username: string; allowed_mentions: unknown };
    expect(body.content.startsWith(`**${block.title}**\n${block.text}`)).toBe(true);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('telegram: sendMessage under /bot<token>/ with chat_id and text', async () => {
    const r = await receiver('telegram');
    await new TelegramChannel('-100123', '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', events, r.baseUrl).send(block);
    const req = r.requests[0]!;
    expect(req.path).toBe('/bot123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ/sendMessage');
    expect(JSON.parse(req.body)).toMatchObject({ chat_id: '-100123', text: expect.stringContaining(block.text) });
  });

  it('an HTTP error is an error that names the status, never the URL', async () => {
    const r = await receiver('discord');
    r.failNext = 1;
    r.failStatus = 404;
    const url = `${r.baseUrl}/api/webhooks/1/secret-token-xyz`;
    const err = await new DiscordChannel(url, events).send(block).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/HTTP 404/);
    expect((err as Error).message).not.toContain('secret-token-xyz');
  });

  it('createChannel refuses a telegram chat without a token and a non-http target', () => {
    expect(() => createChannel({ kind: 'telegram', target: '42' }, {})).toThrow(NotifyConfigError);
    expect(() => createChannel({ kind: 'webhook', target: 'ftp://x/y' }, {})).toThrow(/http\(s\) URL/);
  });

  it('Notifier.test reports every channel and hides secrets in errors', async () => {
    const ok = await receiver('webhook');
    const bad = await receiver('telegram');
    bad.failNext = 1;
    bad.failStatus = 401;
    const token = '999999:SECRETSECRETSECRETSECRET';
    const n = new Notifier(
      {
        channels: [
          { kind: 'webhook', target: `${ok.baseUrl}/h` },
          { kind: 'telegram', target: '77' },
        ],
        telegramToken: token,
        telegramApi: bad.baseUrl,
      },
      () => undefined,
    );
    const results = await n.test();
    expect(results.map((x) => x.ok)).toEqual([true, false]);
    expect(results[1]!.error).toMatch(/HTTP 401/);
    expect(JSON.stringify(results)).not.toContain('SECRETSECRET');
    expect(ok.requests[0]!.body).toContain('test message');
  });
});
