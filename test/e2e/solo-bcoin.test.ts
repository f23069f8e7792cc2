/**
 * Solo mining end to end: a real bcoin regtest node, `hashdeck emulate --pty` in one process and
 * `hashdeck mine --device <pty> --node … --payout …` in another. Every block must be accepted, pay
 * the payout address, and the saved block files must be exactly what the node has.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ecc from '@bitcoinerlab/secp256k1';
import { Block, payments } from 'bitcoinjs-lib';
import { mineSummarySchema } from '@shared/contract/index';
import { startBcoinRegtest, type BcoinRegtest } from '../fixtures/bcoin-regtest.js';
import { jsonLines, runCli, tempDir } from '../helpers/cli.js';
import { startEmulatorPty, type EmulatorProcess } from '../helpers/emulator-pty.js';

// bcoin's regtest has its own address prefixes (bech32 "rb").
const BCOIN_REGTEST = { messagePrefix: '', bech32: 'rb', bip32: { public: 0, private: 0 }, pubKeyHash: 0x3c, scriptHash: 0x26, wif: 0x5a };
const payout = payments.p2wpkh({ pubkey: Buffer.from(ecc.pointFromScalar(Buffer.alloc(32, 0x42), true)!), network: BCOIN_REGTEST });

describe('solo mining against bcoin regtest through a PTY emulator', () => {
  let node: BcoinRegtest;
  let emulator: EmulatorProcess;
  beforeAll(async () => {
    node = await startBcoinRegtest();
    emulator = await startEmulatorPty(['--chips', '1']);
  });
  afterAll(async () => {
    await emulator?.stop();
    await node?.stop();
  });

  it('finds and submits blocks; every block is accepted, pays the payout address and matches the saved file', async () => {
    const dataDir = tempDir();
    const r = await runCli(
      [
        'mine',
        '--device',
        emulator.path,
        '--chip',
        'bm1366',
        '--scale-bits',
        '24',
        '--node',
        node.url,
        '--payout',
        payout.address!,
        '--rpc-user',
        'hashdeck',
        '--rpc-password',
        node.apiKey,
        '--duration',
        '15',
        '--json',
        '--data-dir',
        dataDir,
      ],
      { timeoutMs: 60_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(node.apiKey); // the RPC secret is never logged
    const lines = jsonLines(r.stdout);
    const summary = mineSummarySchema.parse(lines.at(-1));
    expect(summary.hwErrors).toBe(0);
    expect(summary.blocksFound).toBeGreaterThan(0);
    const blockEvents = lines.filter((l) => l.type === 'block');
    expect(blockEvents.length).toBe(summary.blocksFound);
    expect(blockEvents.every((b) => b.accepted)).toBe(true);

    // Every found block extended the chain: none was a sibling of our own block.
    const height = await node.rpc<number>('getblockcount');
    expect(height).toBe(summary.blocksFound);

    const files = readdirSync(path.join(dataDir, 'blocks')).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(summary.blocksFound);
    for (const f of files) {
      const stored = JSON.parse(readFileSync(path.join(dataDir, 'blocks', f), 'utf8'));
      expect(stored.accepted).toBe(true);
      const block = Block.fromHex(stored.hex);
      expect(block.getId()).toBe(stored.hash);
      const coinbase = block.transactions![0]!;
      expect(coinbase.outs[0]!.script.equals(payout.output!)).toBe(true);
      // Regtest halves the 50 BTC subsidy every 150 blocks; these blocks carry no fees.
      expect(coinbase.outs[0]!.value).toBe(Math.floor(5_000_000_000 / 2 ** Math.floor(stored.height / 150)));
      // The node holds exactly the bytes we saved.
      expect(await node.rpc<string>('getblockhash', [stored.height])).toBe(stored.hash);
      expect(await node.rpc<string>('getblock', [stored.hash, false])).toBe(stored.hex);
    }
  });
});
