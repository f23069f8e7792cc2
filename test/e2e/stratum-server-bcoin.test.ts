/**
 * HashDeck as the home's pool, end to end on loopback against a real bcoin regtest node: one engine
 * (`mine --device emulator:1 --node … --serve-stratum 127.0.0.1:0`) serves Stratum; a second engine
 * process mines through it with HashDeck's own Stratum client and an emulated board
 * (`mine --device emulator:1 --pool stratum+tcp://127.0.0.1:<port>`), and an independent test miner
 * grinds shares itself. Every block any of them finds must land in the node, be written to the data
 * directory, name its finder, and pay `--payout` — or, with `--stratum-pay-username`, the address in
 * the finder's user name. The test miner also disconnects right after sending a block: it must still
 * land.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ecc from '@bitcoinerlab/secp256k1';
import { Block, payments } from 'bitcoinjs-lib';
import { mineSummarySchema, type MineSummary } from '@shared/contract/index';
import { startBcoinRegtest, type BcoinRegtest } from '../fixtures/bcoin-regtest.js';
import { TestMiner } from '../fixtures/stratum/test-miner.js';
import { jsonLines, runCli, spawnCli, tempDir } from '../helpers/cli.js';

// bcoin's regtest has its own address prefixes (bech32 "rb").
const BCOIN_REGTEST = { messagePrefix: '', bech32: 'rb', bip32: { public: 0, private: 0 }, pubKeyHash: 0x3c, scriptHash: 0x26, wif: 0x5a };
const keyed = (n: number) => payments.p2wpkh({ pubkey: Buffer.from(ecc.pointFromScalar(Buffer.alloc(32, n), true)!), network: BCOIN_REGTEST });
const PAYOUT = keyed(0x42);
const EMU_OWNER = keyed(0x43);
const TINY_OWNER = keyed(0x44);

interface Run {
  dataDir: string;
  summary: MineSummary;
  minerSummary: MineSummary;
  out: string;
  tiny: { accepted: number; leftAfterBlock: string };
}

async function waitFor(pred: () => boolean, timeoutMs: number, what: string, context: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${context().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The serving engine, a mining engine through it, and the independent test miner, for `durationS`. */
async function household(node: BcoinRegtest, payToUsername: boolean): Promise<Run> {
  const dataDir = tempDir('hashdeck-e2e-serve-');
  const args = [
    'mine',
    '--device',
    'emulator:1',
    '--scale-bits',
    '16',
    '--node',
    node.url,
    '--payout',
    PAYOUT.address!,
    '--rpc-user',
    'hashdeck',
    '--rpc-password',
    node.apiKey,
    '--serve-stratum',
    '127.0.0.1:0',
    '--stratum-min-difficulty',
    '0.00001',
    '--json',
    '--duration',
    '40',
    '--data-dir',
    dataDir,
  ];
  if (payToUsername) args.push('--stratum-pay-username');
  const server: ChildProcess = spawnCli(args);
  let out = '';
  let err = '';
  server.stdout!.on('data', (d) => (out += d));
  server.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => server.once('exit', (c) => r(c)));
  let port = 0;
  await waitFor(
    () => {
      const m = /Stratum server listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) port = Number(m[1]);
      return port > 0;
    },
    30_000,
    'the Stratum server',
    () => out + err,
  );

  const emuUser = payToUsername ? `${EMU_OWNER.address}.emu` : 'emu';
  // An emulated chip hashes some 50-400 kH/s depending on the machine: at 0.0001 it finds a share every 1-9 s, so
  // its 20 s always hold some (at 0.001, 10-90 s each, a slow machine often found none).
  const minerRun = runCli(
    [
      'mine',
      '--device',
      'emulator:1',
      '--pool',
      `stratum+tcp://127.0.0.1:${port}`,
      '--user',
      emuUser,
      '--suggest-difficulty',
      '0.0001',
      '--json',
      '--duration',
      '20',
      '--data-dir',
      tempDir('hashdeck-e2e-netminer-'),
    ],
    { timeoutMs: 60_000 },
  );

  // The independent miner: a few shares (each one a block on regtest), the last sent just before it hangs up.
  const tinyUser = payToUsername ? `${TINY_OWNER.address}.tiny` : 'tiny';
  // A JS miner grinds slowly on a busy machine: a low difficulty keeps its shares ahead of the next block.
  const tiny = await TestMiner.connectWhenServing(port, { user: tinyUser, suggestDifficulty: 0.00001 });
  let accepted = 0;
  try {
    for (let i = 0; i < 3; i++) {
      const r = await tiny.reply(tiny.submit(tiny.grind(), tinyUser), 60_000);
      if (r.result === true) accepted++;
      await new Promise((res) => setTimeout(res, 1500));
    }
  } catch (e) {
    throw new Error(
      `${(e as Error).message} (test miner closed: ${tiny.closed})\n${out
        .split('\n')
        .filter((l) => !l.includes('"nonce"'))
        .slice(-40)
        .join('\n')}`,
    );
  }
  // The last share is sent on a job that is still current (no newer notify waiting), then the miner hangs up.
  let last = tiny.grind();
  for (let i = 0; i < 10; i++) {
    await new Promise((res) => setTimeout(res, 20));
    if (tiny.latest!.jobId === last.jobId) break;
    last = tiny.grind();
  }
  tiny.submit(last, tinyUser);
  tiny.destroy();

  const minerResult = await minerRun;
  expect(minerResult.code, minerResult.stderr).toBe(0);
  // Stopped as soon as the last block is in and answered (its --duration is only the cap): the
  // summary comes at a clean stop either way.
  await waitFor(
    () => existsSync(path.join(dataDir, 'blocks')) && storedBlocks(dataDir).some((b) => b.hash === last.hashHex && b.accepted),
    30_000,
    "the test miner's last block",
    () => out + err,
  );
  server.kill('SIGINT');
  const code = await exited;
  expect(code, err).toBe(0);
  expect(out + err).not.toContain(node.apiKey);
  return {
    dataDir,
    summary: mineSummarySchema.parse(jsonLines(out).at(-1)),
    minerSummary: mineSummarySchema.parse(jsonLines(minerResult.stdout).at(-1)),
    out,
    tiny: { accepted, leftAfterBlock: last.hashHex },
  };
}

interface StoredBlock {
  hash: string;
  hex: string;
  height: number;
  boardId: string;
  accepted: boolean;
}

function storedBlocks(dataDir: string): StoredBlock[] {
  const dir = path.join(dataDir, 'blocks');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as StoredBlock);
}

async function checkChain(node: BcoinRegtest, run: Run, payTo: (boardId: string) => Buffer): Promise<void> {
  const blocks = storedBlocks(run.dataDir);
  expect(blocks.length).toBe(run.summary.blocksFound);
  for (const b of blocks) {
    expect(b.accepted, `${b.boardId} ${b.hash}`).toBe(true);
    const block = Block.fromHex(b.hex);
    expect(block.getId()).toBe(b.hash);
    expect(block.transactions![0]!.outs[0]!.script.equals(payTo(b.boardId)), `block ${b.hash} of ${b.boardId}`).toBe(true);
    // The node holds exactly the bytes written to the data directory.
    expect(await node.rpc<string>('getblockhash', [b.height])).toBe(b.hash);
    expect(await node.rpc<string>('getblock', [b.hash, false])).toBe(b.hex);
  }
}

describe('serving Stratum to network miners from a bcoin regtest node', () => {
  let node: BcoinRegtest;
  beforeAll(async () => {
    node = await startBcoinRegtest();
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('blocks found by a board, a HashDeck miner and a test miner all land and pay --payout; the summary lists the network miners', async () => {
    const start = await node.rpc<number>('getblockcount');
    const run = await household(node, false);
    const net = run.summary.networkMiners;
    // The HashDeck miner's user `emu` has no worker part: its board's shares come under `emu.emu0`, the
    // name it is listed under; the session user it also authorised is not a miner of its own.
    expect(net.map((m) => m.worker).sort()).toEqual(['emu.emu0', 'tiny']);
    const emu = net.find((m) => m.worker === 'emu.emu0');
    const tiny = net.find((m) => m.worker === 'tiny');
    expect(emu, JSON.stringify(net)).toBeDefined();
    expect(tiny, JSON.stringify(net)).toBeDefined();
    expect(emu!.sharesAccepted).toBeGreaterThan(0);
    expect(emu!.blocksFound).toBeGreaterThan(0);
    expect(emu!.hashrateHs).toBeGreaterThan(0);
    expect(emu!.bestDifficulty).toBeGreaterThan(0);
    // The test miner's blocks, the one sent just before it hung up included.
    expect(tiny!.sharesAccepted).toBe(run.tiny.accepted + 1);
    expect(tiny!.blocksFound).toBe(tiny!.sharesAccepted);
    const blocks = storedBlocks(run.dataDir);
    expect(blocks.some((b) => b.hash === run.tiny.leftAfterBlock && b.boardId === 'net:tiny')).toBe(true);
    // blocksFound counts the network miners' blocks too, and every one extended the chain.
    const boardBlocks = blocks.filter((b) => !b.boardId.startsWith('net:')).length;
    expect(run.summary.blocksFound).toBe(boardBlocks + emu!.blocksFound + tiny!.blocksFound);
    expect(await node.rpc<number>('getblockcount')).toBe(start + run.summary.blocksFound);
    // The HashDeck miner saw its shares accepted by this server.
    expect(run.minerSummary.sharesAccepted).toBeGreaterThan(0);
    await checkChain(node, run, () => PAYOUT.output!);
  }, 180_000);

  it('--stratum-pay-username: each network miner’s blocks pay the address in its user name, the boards’ pay --payout', async () => {
    const run = await household(node, true);
    const byOwner: Record<string, Buffer> = { [`net:${EMU_OWNER.address}.emu`]: EMU_OWNER.output!, [`net:${TINY_OWNER.address}.tiny`]: TINY_OWNER.output! };
    const blocks = storedBlocks(run.dataDir);
    expect(blocks.filter((b) => b.boardId === `net:${EMU_OWNER.address}.emu`).length).toBeGreaterThan(0);
    expect(blocks.filter((b) => b.boardId === `net:${TINY_OWNER.address}.tiny`).length).toBe(run.tiny.accepted + 1);
    await checkChain(node, run, (boardId) => byOwner[boardId] ?? PAYOUT.output!);
  }, 180_000);
});
