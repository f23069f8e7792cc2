/**
 * Solo mining against the user's own bitcoind (docs/stratum-and-gbt.md §3): templates from
 * getblocktemplate become WorkTemplates (same pipeline as Stratum), a longpoll loop brings new
 * tips at once, a periodic refresh picks up fees and time, and every block candidate is written
 * to disk before submitblock, then retried until the node answers.
 */
import { existsSync } from 'node:fs';
import type { EventBus } from '@shared/bus.js';
import type { NodeSnapshot } from '@shared/contract';
import { hashToDisplayHex } from '../../bitcoin/sha256d.js';
import { hashMeetsTarget, networkDifficulty } from '../../bitcoin/target.js';
import { AddressError, checkAddressNetwork, normaliseChain, parsePayoutAddress, type NodeChain, type PayoutAddress } from '../address.js';
import type { Share, WorkTemplate } from '../job.js';
import type { WorkSource, WorkSourceHandlers } from '../source.js';
import { assembleBlock } from './block.js';
import { BlockStore, type StoredBlock } from '../block-store.js';
import { cookieCandidates, RpcClient, RpcError } from './rpc.js';
import { interpretSubmitResult } from './submit-result.js';
import { buildNodeWork, parseBlockTemplate, type BlockTemplate } from './template.js';

export interface NodeSourceTimers {
  /** Template refresh for fees/time when the tip is unchanged (default 30 s, §3.7). */
  refreshMs?: number;
  /** First retry delay after a failure; doubles up to maxRetryMs (default 1 s). */
  retryMs?: number;
  maxRetryMs?: number;
}

export interface NodeSourceOptions {
  url: string;
  cookieFile?: string;
  rpcUser?: string;
  rpcPassword?: string;
  payoutAddress: string;
  dataDir: string;
  bus: EventBus;
  /** Coinbase tag (default "/HashDeck/"). */
  tag?: string;
  timers?: NodeSourceTimers;
  /** Version bits the chips may roll (BIP320 general-purpose bits by default). */
  versionMask?: number;
  /** Look for Core's cookie in the default data directories when no credentials are given (default true). */
  discoverCookie?: boolean;
  now?: () => number;
}

/** Thrown by start() for configuration the user must fix (wrong-network payout, unreadable cookie). */
export class NodeConfigError extends Error {
  override name = 'NodeConfigError';
}

interface TemplateBody {
  txData: string[];
  segwit: boolean;
}

const MAX_LIVE_PER_TIP = 32;
const MAX_REMEMBERED = 128;
const STOP_GRACE_MS = 5_000;

export class NodeSource implements WorkSource {
  readonly kind = 'node' as const;
  readonly payout: PayoutAddress;
  readonly store: BlockStore;
  private readonly rpc: RpcClient;
  private readonly bus: EventBus;
  private readonly tag: string;
  private readonly refreshMs: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly versionMask: number;
  private readonly now: () => number;

  private handlers: WorkSourceHandlers | null = null;
  private running = false;
  private stopCtl = new AbortController();
  private loop: Promise<void> | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private readonly inflight = new Set<Promise<void>>();
  private fatal: string | null = null;

  private chain: NodeChain | null = null;
  private counter = 0;
  private tip: string | null = null;
  private tipHeight = -1;
  private tipGeneration = 0;
  private longpollId: string | null = null;
  private readonly retiredTips: string[] = [];
  /** Templates of the current tip that shares may still be submitted for (stale detection). */
  private readonly live = new Set<string>();
  /** Transaction data for recent templates (any tip), to assemble blocks. */
  private readonly bodies = new Map<string, TemplateBody>();

  private snap: Omit<NodeSnapshot, 'url' | 'payoutAddress'> = {
    state: 'connecting',
    chain: null,
    height: null,
    networkDifficulty: null,
    networkHashrateHs: null,
    message: null,
    lastTemplateAtMs: null,
  };

  constructor(o: NodeSourceOptions) {
    this.payout = parsePayoutAddress(o.payoutAddress); // AddressError: the CLI exits 2
    this.bus = o.bus;
    this.tag = o.tag ?? '/HashDeck/';
    this.refreshMs = o.timers?.refreshMs ?? 30_000;
    this.retryMs = o.timers?.retryMs ?? 1_000;
    this.maxRetryMs = o.timers?.maxRetryMs ?? 30_000;
    this.versionMask = o.versionMask ?? 0x1fffe000;
    this.now = o.now ?? Date.now;
    let cookieFile = o.cookieFile;
    const hasUrlCreds = /^[a-z]+:\/\/[^/@]+@/i.test(o.url);
    if (!cookieFile && o.rpcUser === undefined && o.rpcPassword === undefined && !hasUrlCreds && o.discoverCookie !== false) {
      cookieFile = cookieCandidates(o.url).find((f) => existsSync(f));
    }
    this.rpc = new RpcClient({ url: o.url, cookieFile, rpcUser: o.rpcUser, rpcPassword: o.rpcPassword });
    this.store = new BlockStore(o.dataDir);
  }

  get url(): string {
    return this.rpc.displayUrl;
  }

  async start(handlers: WorkSourceHandlers): Promise<void> {
    if (this.running) throw new Error('NodeSource already started');
    this.handlers = handlers;
    this.running = true;
    this.stopCtl = new AbortController();
    try {
      this.rpc.loadCredentials();
    } catch (err) {
      this.running = false;
      throw new NodeConfigError((err as Error).message);
    }
    this.resubmitPending();
    // First contact now, so a wrong-network payout is reported to the caller; a node that is
    // down is not fatal: the loop keeps trying and reports it in the snapshot.
    try {
      await this.identify();
      await this.fetchAndApply(false);
    } catch (err) {
      if (err instanceof AddressError) {
        this.running = false;
        this.setState('error', err.message);
        throw new NodeConfigError(err.message);
      }
      this.noteFailure(err);
    }
    this.loop = this.templateLoop();
    this.scheduleRefresh();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopCtl.abort();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    await this.loop?.catch(() => undefined);
    // Let a submitblock that is on the wire finish; an unanswered block stays pending on disk.
    if (this.inflight.size > 0) {
      await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
    }
  }

  isTemplateLive(template: WorkTemplate): boolean {
    return this.running && this.live.has(template.key);
  }

  submitShare(share: Share): void {
    const t = share.job.template;
    const body = this.bodies.get(t.key);
    if (!body) {
      this.bus.log('warn', 'node', `A share for template ${t.key} arrived but that template is unknown to ${this.url}; not submitted.`);
      return;
    }
    let assembled;
    try {
      assembled = assembleBlock(t, body.segwit, body.txData, { extranonce2: share.job.extranonce2, version: share.version, ntime: share.ntime, nonce: share.nonce });
    } catch (err) {
      this.bus.log('error', 'node', `Could not assemble a block from a share: ${(err as Error).message}`);
      return;
    }
    // The exact test decides (§3.8): shares here meet the block target, but re-check the rebuilt header.
    if (!hashMeetsTarget(assembled.hash, t.networkTarget)) {
      this.bus.log('debug', 'node', `Share ${hashToDisplayHex(share.hash).slice(0, 16)}… does not meet the network target; not a block.`);
      return;
    }
    if (!assembled.hash.equals(share.hash)) {
      this.bus.log('warn', 'node', 'The rebuilt block hash differs from the validated share hash; submitting the rebuilt block.');
    }
    const stored: StoredBlock = {
      format: 1,
      height: t.height ?? null,
      hash: hashToDisplayHex(assembled.hash),
      hex: assembled.bytes.toString('hex'),
      templateKey: t.key,
      nodeUrl: this.url,
      boardId: share.boardId,
      foundAtMs: this.now(),
      status: 'pending',
      result: null,
      accepted: null,
      attempts: [],
    };
    this.persist(stored);
    this.bus.log('info', 'node', `Block candidate ${stored.hash} at height ${stored.height ?? '?'} found by ${share.boardId}; submitting.`);
    // Our own block ends this tip: any further nonce on it could only make a competing sibling,
    // never a second block. Count those as stale and fetch work on the new tip now.
    this.live.clear();
    this.track(this.submitUntilAnswered(stored).then(() => this.refreshTemplate().catch(() => undefined)));
  }

  poolSnapshots(): [] {
    return [];
  }

  nodeSnapshot(): NodeSnapshot {
    return { url: this.url, payoutAddress: this.payout.address, ...this.snap };
  }

  /** Fetch a fresh template now (same tip → cleanJobs false), e.g. after a settings change. */
  async refreshTemplate(): Promise<void> {
    await this.refreshNow();
  }

  /** Wait until every submission in flight has an answer or gave up (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  // ---- templates ----

  private async identify(): Promise<void> {
    const info = await this.rpc.call<{ chain?: unknown; blocks?: unknown }>('getblockchaininfo');
    if (typeof info?.chain !== 'string') throw new RpcError('protocol', `The node at ${this.url} did not report its chain.`);
    const chain = normaliseChain(info.chain);
    checkAddressNetwork(this.payout.address, chain); // AddressError on a wrong network
    this.chain = chain;
    this.snap.chain = chain;
    if (typeof info.blocks === 'number') this.snap.height = info.blocks;
  }

  private gbtRequest(longpollId: string | null): Record<string, unknown> {
    // Core insists on the segwit rule, and on signet also "signet" (§3.2).
    const req: Record<string, unknown> = { rules: this.chain === 'signet' ? ['segwit', 'signet'] : ['segwit'] };
    if (longpollId) req.longpollid = longpollId;
    return req;
  }

  /** Fetch one template (longpolling when asked) and hand it on. */
  private async fetchAndApply(longpoll: boolean): Promise<void> {
    const lpid = longpoll ? this.longpollId : null;
    const generation = this.tipGeneration;
    const raw = await this.rpc.call('getblocktemplate', [this.gbtRequest(lpid)], lpid ? { timeoutMs: 0, signal: this.stopCtl.signal } : { signal: this.stopCtl.signal });
    if (!this.running) return;
    this.apply(parseBlockTemplate(raw), generation);
  }

  /** `generation`: the tip generation when the request was sent. */
  private apply(gbt: BlockTemplate, generation: number): void {
    const prev = gbt.previousblockhash.toLowerCase();
    const newTip = this.tip !== prev;
    // An answer sent before the last tip change that names a tip we have left (a refresh racing
    // the longpoll) is dropped; a fresh answer naming an old tip is a real reorg and is kept.
    if (newTip && generation !== this.tipGeneration && (this.retiredTips.includes(prev) || gbt.height < this.tipHeight)) return;
    const nowMs = this.now();
    this.counter += 1;
    const work = buildNodeWork(gbt, {
      key: `${this.url}#${this.counter}`,
      sourceId: this.url,
      sourceJobId: this.counter.toString(16),
      payoutScript: this.payout.script,
      tag: this.tag,
      versionMask: this.versionMask,
      cleanJobs: newTip,
      nowMs,
    });
    if (newTip) {
      if (this.tip) {
        this.retiredTips.push(this.tip);
        if (this.retiredTips.length > 64) this.retiredTips.shift();
      }
      this.tip = prev;
      this.tipHeight = gbt.height;
      this.tipGeneration += 1;
      this.live.clear();
    }
    this.live.add(work.template.key);
    if (this.live.size > MAX_LIVE_PER_TIP) this.live.delete(this.live.values().next().value!);
    this.bodies.set(work.template.key, { txData: gbt.transactions.map((t) => t.data), segwit: work.segwit });
    if (this.bodies.size > MAX_REMEMBERED) this.bodies.delete(this.bodies.keys().next().value!);
    this.longpollId = gbt.longpollid ?? null;
    this.snap.lastTemplateAtMs = nowMs;
    this.snap.networkDifficulty = networkDifficulty(work.template.nbits);
    this.snap.height = gbt.height - 1;
    this.setState('active', null);
    if (newTip) {
      this.bus.log('info', 'node', `New tip at height ${gbt.height - 1}: work for block ${gbt.height} (${gbt.transactions.length} transactions, ${gbt.coinbasevalue} sat).`);
      void this.refreshInfo();
    }
    this.handlers?.onTemplate(work.template);
  }

  private async templateLoop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (!this.chain) await this.identify();
        if (this.longpollId) {
          await this.fetchAndApply(true);
        } else {
          // No longpoll support (or nothing yet): plain polling.
          if (this.tip) await this.sleep(this.refreshMs);
          if (!this.running) break;
          await this.fetchAndApply(false);
        }
        failures = 0;
      } catch (err) {
        if (!this.running || (err instanceof RpcError && err.kind === 'aborted')) break;
        if (err instanceof AddressError) {
          this.fatal = err.message;
          this.setState('error', err.message);
          this.bus.log('error', 'node', err.message);
          break;
        }
        this.noteFailure(err);
        failures += 1;
        await this.sleep(this.backoff(failures));
      }
    }
  }

  private scheduleRefresh(): void {
    if (!this.running || this.fatal) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refreshNow().finally(() => this.scheduleRefresh());
    }, this.refreshMs);
    this.refreshTimer.unref?.();
  }

  private async refreshNow(): Promise<void> {
    if (!this.running || !this.chain || this.fatal) return;
    try {
      await this.fetchAndApply(false);
      await this.refreshInfo();
    } catch (err) {
      if (this.running && !(err instanceof RpcError && err.kind === 'aborted')) this.noteFailure(err);
    }
  }

  private async refreshInfo(): Promise<void> {
    try {
      const info = await this.rpc.call<{ blocks?: unknown; difficulty?: unknown; networkhashps?: unknown }>('getmininginfo', [], { signal: this.stopCtl.signal });
      if (typeof info?.blocks === 'number') this.snap.height = info.blocks;
      if (typeof info?.networkhashps === 'number' && Number.isFinite(info.networkhashps)) this.snap.networkHashrateHs = info.networkhashps;
      // Difficulty comes from the template's bits (what the next block needs); mininginfo only as fallback.
      if (this.snap.networkDifficulty === null && typeof info?.difficulty === 'number' && info.difficulty > 0) this.snap.networkDifficulty = info.difficulty;
    } catch {
      /* informational only */
    }
  }

  // ---- blocks ----

  private resubmitPending(): void {
    const pending = this.store.pending((file, reason) => this.bus.log('error', 'node', `Block file ${file} is unreadable (${reason}); left as is.`));
    for (const b of pending) {
      this.bus.log('warn', 'node', `Resubmitting block ${b.hash} (height ${b.height ?? '?'}) that had no answer from the node yet.`);
      this.track(this.submitUntilAnswered(b));
    }
  }

  private async submitUntilAnswered(block: StoredBlock): Promise<void> {
    let failures = 0;
    while (true) {
      try {
        const answer = await this.rpc.call('submitblock', [block.hex], { timeoutMs: 120_000 });
        const verdict = interpretSubmitResult(answer);
        block.attempts.push({ atMs: this.now(), outcome: 'answer', detail: answer === null ? null : String(answer) });
        this.finishBlock(block, verdict.result, verdict.accepted);
        if (verdict.accepted) void this.refreshNow();
        return;
      } catch (err) {
        const message = (err as Error).message;
        block.attempts.push({ atMs: this.now(), outcome: 'error', detail: message });
        if (err instanceof RpcError && err.kind === 'rpc' && !err.retryable) {
          // The node answered with an error (e.g. -22 "Block decode failed"): final.
          this.finishBlock(block, `error: ${message}`, false);
          return;
        }
        this.persist(block);
        if (!this.running) return; // stays pending on disk; resubmitted on the next start
        failures += 1;
        this.bus.log('warn', 'node', `Block ${block.hash} not submitted yet (${message}); retrying.`);
        await this.sleep(this.backoff(failures));
        if (!this.running) return;
      }
    }
  }

  private finishBlock(block: StoredBlock, result: string, accepted: boolean): void {
    block.status = 'done';
    block.result = result;
    block.accepted = accepted;
    this.persist(block);
    this.bus.log(accepted ? 'info' : 'warn', 'node', `Block ${block.hash} at height ${block.height ?? '?'}: ${result}.`);
    this.bus.emit({ type: 'block', atMs: this.now(), boardId: block.boardId, height: block.height, hash: block.hash, result, accepted, source: block.nodeUrl });
  }

  private persist(block: StoredBlock): void {
    try {
      this.store.write(block);
    } catch (err) {
      // Still submit: the node is the other copy. Say loudly that the disk copy failed.
      this.bus.log('error', 'node', `Could not write block ${block.hash} to ${this.store.dir}: ${(err as Error).message}`);
    }
  }

  private track(p: Promise<void>): void {
    const q = p.catch((err) => this.bus.log('error', 'node', `Block submission failed: ${(err as Error).message}`)).finally(() => this.inflight.delete(q));
    this.inflight.add(q);
  }

  // ---- helpers ----

  private noteFailure(err: unknown): void {
    const message = (err as Error).message ?? String(err);
    if (this.snap.message !== message) this.bus.log('warn', 'node', message);
    this.setState('error', message);
  }

  private setState(state: NodeSnapshot['state'], message: string | null): void {
    this.snap.state = state;
    this.snap.message = message;
  }

  private backoff(failures: number): number {
    return Math.min(this.maxRetryMs, this.retryMs * 2 ** Math.min(20, failures - 1));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.stopCtl.signal;
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
