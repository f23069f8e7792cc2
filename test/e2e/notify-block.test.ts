/**
 * A block found on the emulator reaches every notification channel, once each: `hashdeck mine
 * --device emulator --node <bcoin regtest> --coinbase-tag …` with four channels pointed at loopback
 * receivers (a webhook with an HMAC secret, an ntfy topic, a fake Discord webhook and a fake
 * Telegram Bot API). For every block the CLI reports, each receiver holds exactly one message naming
 * it; the webhook's signature checks out; no secret appears in the CLI's output; the block carries
 * the coinbase tag. How long each message took from the block event is printed for the report
 * (speed is not asserted: the machine is shared).
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ecc from '@bitcoinerlab/secp256k1';
import { Block, payments } from 'bitcoinjs-lib';
import { mineSummarySchema } from '@shared/contract/index';
import { startBcoinRegtest, type BcoinRegtest } from '../fixtures/bcoin-regtest.js';
import { NotifyReceiver } from '../fixtures/notify/receiver.js';
import { jsonLines, runCli, tempDir } from '../helpers/cli.js';

const BCOIN_REGTEST = { messagePrefix: '', bech32: 'rb', bip32: { public: 0, private: 0 }, pubKeyHash: 0x3c, scriptHash: 0x26, wif: 0x5a };
const payout = payments.p2wpkh({ pubkey: Buffer.from(ecc.pointFromScalar(Buffer.alloc(32, 0x42), true)!), network: BCOIN_REGTEST });
const HMAC_SECRET = 'webhook-hmac-secret-7f3a';
const NTFY_TOKEN = 'tk_ntfytoken1234';
const BOT_TOKEN = '123456789:AAFakeBotTokenForLoopbackTests_xyz';
const DISCORD_TOKEN = 'discord-webhook-token-9b8c';
const TAG = '/notify-e2e/';

describe('a block found on the emulator reaches every channel once', () => {
  let node: BcoinRegtest;
  const webhook = new NotifyReceiver('webhook');
  const ntfy = new NotifyReceiver('ntfy');
  const discord = new NotifyReceiver('discord');
  const telegram = new NotifyReceiver('telegram');
  const all = [webhook, ntfy, discord, telegram];

  beforeAll(async () => {
    node = await startBcoinRegtest();
    await Promise.all(all.map((r) => r.start()));
  });
  afterAll(async () => {
    await Promise.all(all.map((r) => r.stop()));
    await node?.stop();
  });

  it('webhook, ntfy, Discord and Telegram each get one message per block, with the block hash', async () => {
    const dataDir = tempDir();
    const r = await runCli(
      [
        'mine',
        '--device',
        'emulator',
        '--node',
        node.url,
        '--payout',
        payout.address!,
        '--rpc-user',
        'hashdeck',
        '--rpc-password',
        node.apiKey,
        '--coinbase-tag',
        TAG,
        '--duration',
        '12',
        // Every valid nonce meets regtest's target: a high ticket difficulty keeps it to a few blocks.
        '--ticket-difficulty',
        '8192',
        '--json',
        '--data-dir',
        dataDir,
        '--notify',
        `webhook=${webhook.baseUrl}/hook`,
        '--notify-secret',
        HMAC_SECRET,
        '--notify-events',
        'block,engine',
        '--notify',
        `ntfy=${ntfy.baseUrl}/hashdeck-blocks`,
        '--notify-secret',
        NTFY_TOKEN,
        '--notify',
        `discord=${discord.baseUrl}/api/webhooks/42/${DISCORD_TOKEN}`,
        '--notify',
        'telegram=-1001234',
        '--telegram-token',
        BOT_TOKEN,
        '--telegram-api',
        telegram.baseUrl,
      ],
      { timeoutMs: 60_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    for (const secret of [HMAC_SECRET, NTFY_TOKEN, BOT_TOKEN, DISCORD_TOKEN, node.apiKey]) expect(r.stdout + r.stderr).not.toContain(secret);

    const lines = jsonLines(r.stdout);
    const summary = mineSummarySchema.parse(lines.at(-1));
    const blocks = lines.filter((l) => l.type === 'block') as { hash: string; atMs: number; height: number; boardId: string }[];
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.length).toBe(summary.blocksFound);

    const latenciesMs: number[] = [];
    for (const rec of all) {
      for (const b of blocks) {
        const matching = rec.requests.filter((q) => q.body.includes(b.hash));
        expect(matching.length, `${rec.kind} messages naming block ${b.hash}`).toBe(1);
        expect(matching[0]!.body).toContain(`height ${b.height} by ${b.boardId}`);
        latenciesMs.push(matching[0]!.atMs - b.atMs);
      }
    }
    // Started and stopped: said once each on every channel that takes 'engine' (all of them here).
    for (const rec of all) {
      expect(rec.requests.filter((q) => q.body.includes('HashDeck started')).length, rec.kind).toBe(1);
      expect(rec.requests.filter((q) => q.body.includes('HashDeck stopped')).length, rec.kind).toBe(1);
    }

    // The webhook's signature is the HMAC-SHA256 of the body it came with.
    for (const q of webhook.requests) expect(q.headers['x-hashdeck-signature']).toBe(`sha256=${createHmac('sha256', HMAC_SECRET).update(q.body).digest('hex')}`);
    expect(ntfy.requests.every((q) => q.headers['authorization'] === `Bearer ${NTFY_TOKEN}` && q.path === '/hashdeck-blocks')).toBe(true);
    expect(telegram.requests.every((q) => q.path === `/bot${BOT_TOKEN}/sendMessage` && (JSON.parse(q.body) as { chat_id: string }).chat_id === '-1001234')).toBe(true);

    // The block carries the coinbase tag.
    const first = blocks[0]!;
    const hex = await node.rpc<string>('getblock', [first.hash, false]);
    expect(Block.fromHex(hex).transactions![0]!.ins[0]!.script.includes(Buffer.from(TAG))).toBe(true);

    const sorted = [...latenciesMs].sort((a, b) => a - b);
    console.log(`notify e2e: ${blocks.length} block(s), ${latenciesMs.length} deliveries; block event → receiver: median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms`);
  });
});
