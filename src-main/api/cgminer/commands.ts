/**
 * The cgminer command table and request dispatch. Report commands read one engine snapshot;
 * privileged (write) commands are refused with cgminer's access-denied status (Code 45) unless
 * the server is writable and the client is privileged (W: allow-list group or the API token).
 */
import type { EngineApi, EngineSnapshot } from '@shared/contract';
import { bestShareRows, coinRow, configRow, devDetailsRows, minerDescription, poolCount, poolRows, statsRows, summaryRow, versionRow } from './reports.js';
import { allDevRows, axeosDevDetailsRows, axeosStatsRows } from './axeos-rows.js';
import { networkMinerRows } from './network-miners.js';
import { encodeJoinedJson, encodeJoinedText, encodeJson, encodeText, type Reply, type Section } from './reply.js';
import type { Access } from './access.js';
import { parseRequest, type ParsedRequest } from './request.js';
import { MSG, status, type StatusLetter } from './status.js';

export interface CommandContext {
  engine: EngineApi;
  snapshot: EngineSnapshot;
  parameter: string;
  privileged: boolean;
}

interface Command {
  /** A report that needs no parameter: may be joined with `+`. */
  joinable: boolean;
  /** Changes the miner: needs privileged access. */
  privileged: boolean;
  run(ctx: CommandContext): Reply | Promise<Reply>;
}

function whenS(snapshot: EngineSnapshot): number {
  return Math.floor(snapshot.nowMs / 1000);
}

function make(ctx: CommandContext, letter: StatusLetter, code: number, msg: string, section?: Section): Reply {
  const reply: Reply = { status: status(letter, code, msg, whenS(ctx.snapshot), minerDescription(ctx.snapshot)) };
  if (section) reply.section = section;
  return reply;
}

/** USB boards, then the watched AxeOS devices (axeos-rows.ts). */
function devsReply(ctx: CommandContext): Reply {
  const rows = allDevRows(ctx.snapshot);
  if (rows.length === 0) return make(ctx, 'E', MSG.NODEVS, 'No ASCs');
  return make(ctx, 'S', MSG.DEVS, `${rows.length} ASC(s)`, { name: 'DEVS', rows, textPrefix: false });
}

function statsReply(ctx: CommandContext): Reply {
  return make(ctx, 'S', MSG.MINESTATS, 'CGMiner stats', { name: 'STATS', rows: [...statsRows(ctx.snapshot), ...axeosStatsRows(ctx.snapshot)], textPrefix: false });
}

function report(fn: (ctx: CommandContext) => Reply): Command {
  return { joinable: true, privileged: false, run: fn };
}

/** cgminer's privileged commands; the ones HashDeck implements are in WRITE_COMMANDS. */
const PRIVILEGED_NAMES = [
  'switchpool',
  'enablepool',
  'addpool',
  'poolpriority',
  'poolquota',
  'disablepool',
  'removepool',
  'save',
  'quit',
  'restart',
  'pgaenable',
  'pgadisable',
  'pgaidentify',
  'pgaset',
  'ascenable',
  'ascdisable',
  'ascidentify',
  'ascset',
  'failover-only',
  'debug',
  'setconfig',
  'hotplug',
  'lockstats',
];

const WRITE_COMMANDS: Record<string, Command> = {
  privileged: { joinable: false, privileged: true, run: (ctx) => make(ctx, 'S', MSG.ACCOK, 'Privileged access OK') },
  // zero|all,<bool>: reset the session statistics; with true the reply carries the summary as it
  // was just before the reset (cgminer `zero`). Best-share-only resets are not offered.
  zero: {
    joinable: false,
    privileged: true,
    async run(ctx) {
      if (ctx.parameter.trim() === '') return make(ctx, 'E', MSG.ZERMIS, 'Missing zero parameters');
      const [what = '', withSummaryText = 'false'] = ctx.parameter.split(',').map((s) => s.trim().toLowerCase());
      if (what !== 'all') return make(ctx, 'E', MSG.ZERINV, `Invalid zero parameter '${what}'`);
      const withSummary = withSummaryText === 'true';
      const before = summaryRow(ctx.snapshot);
      await ctx.engine.command({ type: 'resetStats', scope: 'session' });
      return withSummary
        ? make(ctx, 'S', MSG.ZERSUM, `Zeroed ${what} stats with summary`, { name: 'SUMMARY', rows: [before], textPrefix: true })
        : make(ctx, 'S', MSG.ZERNOSUM, `Zeroed ${what} stats without summary`);
    },
  },
};

const COMMANDS: Record<string, Command> = {
  summary: report((ctx) => make(ctx, 'S', MSG.SUMM, 'Summary', { name: 'SUMMARY', rows: [summaryRow(ctx.snapshot)], textPrefix: true })),
  devs: report(devsReply),
  edevs: report(devsReply),
  pools: report((ctx) => {
    const n = poolCount(ctx.snapshot);
    if (n === 0) return make(ctx, 'E', MSG.NOPOOL, 'No pools');
    return make(ctx, 'S', MSG.POOL, `${n} Pool(s)`, { name: 'POOLS', rows: poolRows(ctx.snapshot), textPrefix: false });
  }),
  stats: report(statsReply),
  estats: report(statsReply),
  devdetails: report((ctx) =>
    make(ctx, 'S', MSG.DEVDETAILS, 'Device Details', { name: 'DEVDETAILS', rows: [...devDetailsRows(ctx.snapshot), ...axeosDevDetailsRows(ctx.snapshot)], textPrefix: false }),
  ),
  version: report((ctx) => make(ctx, 'S', MSG.VERSION, 'CGMiner versions', { name: 'VERSION', rows: [versionRow(ctx.snapshot)], textPrefix: true })),
  config: report((ctx) => make(ctx, 'S', MSG.MINECONFIG, 'CGMiner config', { name: 'CONFIG', rows: [configRow(ctx.snapshot)], textPrefix: true })),
  coin: report((ctx) => make(ctx, 'S', MSG.MINECOIN, 'CGMiner coin', { name: 'COIN', rows: [coinRow(ctx.snapshot)], textPrefix: true })),
  bestshares: report((ctx) => make(ctx, 'S', MSG.BESTSHARES, 'Best shares', { name: 'BESTSHARES', rows: bestShareRows(ctx.snapshot), textPrefix: false })),
  netminers: report((ctx) => make(ctx, 'S', MSG.NETMINERS, `${ctx.snapshot.networkMiners.length} Network miner(s)`, { name: 'NETMINERS', rows: networkMinerRows(ctx.snapshot), textPrefix: false })),
  asccount: report((ctx) => make(ctx, 'S', MSG.NUMASC, 'ASC count', { name: 'ASCS', rows: [{ Count: ctx.snapshot.boards.length + ctx.snapshot.axeosDevices.length }], textPrefix: true })),
  asc: {
    joinable: false,
    privileged: false,
    run(ctx) {
      const rows = allDevRows(ctx.snapshot);
      if (rows.length === 0) return make(ctx, 'E', MSG.ASCNON, 'No ASCs');
      const p = ctx.parameter.trim();
      if (p === '') return make(ctx, 'E', MSG.MISID, 'Missing device id parameter');
      const id = /^\d+$/.test(p) ? Number(p) : -1;
      const row = rows[id];
      if (!row) return make(ctx, 'E', MSG.INVASC, `Invalid ASC id ${p} - range is 0 - ${rows.length - 1}`);
      return make(ctx, 'S', MSG.ASCDEV, `ASC${id}`, { name: 'ASC', rows: [row], textPrefix: false });
    },
  },
  check: {
    joinable: false,
    privileged: false,
    run(ctx) {
      const name = ctx.parameter.trim().toLowerCase();
      if (name === '') return make(ctx, 'E', MSG.MISCHK, 'Missing check cmd');
      const cmd = lookup(name);
      const exists = cmd !== null;
      const access = exists && (!cmd.privileged || ctx.privileged);
      return make(ctx, 'S', MSG.CHECK, 'Check command', { name: 'CHECK', rows: [{ Exists: exists ? 'Y' : 'N', Access: access ? 'Y' : 'N' }], textPrefix: true });
    },
  },
  ...WRITE_COMMANDS,
};

function lookup(name: string): Command | null {
  if (Object.hasOwn(COMMANDS, name)) return COMMANDS[name] ?? null;
  return null;
}

/** Privileged cgminer commands that HashDeck does not implement: refused, never silently ignored. */
function isKnownPrivileged(name: string): boolean {
  return PRIVILEGED_NAMES.includes(name);
}

async function runOne(name: string, ctx: CommandContext, inJoin: boolean): Promise<Reply> {
  const cmd = lookup(name);
  if (!cmd) {
    if (isKnownPrivileged(name) && !ctx.privileged) return make(ctx, 'E', MSG.ACCDENY, `Access denied to '${name}' command`);
    return make(ctx, 'E', MSG.INVCMD, 'Invalid command');
  }
  // cgminer answers a non-report command inside a join with access denied, and runs the rest.
  if (inJoin && !cmd.joinable) return make(ctx, 'E', MSG.ACCDENY, `Access denied to '${name}' command`);
  if (cmd.privileged && !ctx.privileged) return make(ctx, 'E', MSG.ACCDENY, `Access denied to '${name}' command`);
  try {
    return await cmd.run(ctx);
  } catch (err) {
    return make(ctx, 'F', MSG.INVCMD, `Command '${name}' failed: ${(err as Error).message}`);
  }
}

/**
 * Answers one request text with the reply text (without the trailing NUL). `access` is decided
 * by the server from the peer address; `tokenGrants` upgrades it when the request carries the
 * right token.
 */
export async function answer(raw: string, engine: EngineApi, access: Access, tokenGrants: (token: string | null) => Access | null): Promise<string> {
  const req: ParsedRequest = parseRequest(raw);
  const snapshot = engine.snapshot();
  const base: CommandContext = { engine, snapshot, parameter: '', privileged: false };
  if (!req.ok) {
    const reply = req.error === 'invalid-json' ? make(base, 'E', MSG.INVJSON, 'Invalid JSON') : make(base, 'E', MSG.MISCMD, "Missing JSON 'command'");
    return req.json ? encodeJson(reply) : encodeText(reply);
  }
  const granted = tokenGrants(req.token);
  const effective: Access = granted ? { read: access.read || granted.read, privileged: access.privileged || granted.privileged } : access;
  const ctx: CommandContext = { ...base, parameter: req.parameter, privileged: effective.privileged };
  if (!effective.read) {
    const denied = make(ctx, 'E', MSG.ACCDENY, `Access denied to '${req.commands.join('+')}' command`);
    return req.json ? encodeJson(denied) : encodeText(denied);
  }
  if (!req.joined) {
    const reply = await runOne(req.commands[0] ?? '', ctx, false);
    return req.json ? encodeJson(reply) : encodeText(reply);
  }
  const replies: Array<[string, Reply]> = [];
  for (const name of req.commands) replies.push([name, await runOne(name, { ...ctx, parameter: '' }, true)]);
  return req.json ? encodeJoinedJson(replies) : encodeJoinedText(replies);
}
