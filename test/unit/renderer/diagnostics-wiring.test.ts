/**
 * The Diagnostics page wired to the engine: 'diagnostics' events validated by the contract and
 * routed to the page's store, the runDiagnostics request and its answers (report, cancel, a
 * read-only refusal from the real web server), and how the page shows them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHttpServer, type RunningHttpServer } from '../../../src-main/api/http/server.js';
import { runDiagnostics } from '../../../src-main/diagnostics/run-diagnostics.js';
import type { DiagnosticsProgress, DiagnosticsReport, SweepRow } from '@shared/diagnostics-report.js';
import { engineCommandSchema, engineEventSchema, engineMessageSchema, type EngineCommand, type EngineEvent } from '@shared/contract';
import { DiagnosticsView } from '../../../src-renderer/src/pages/diagnostics/DiagnosticsPage.js';
import { formatFigure, sweepEfficiency } from '../../../src-renderer/src/pages/diagnostics/diagnostics-figures.js';
import { useDiagnosticsStore } from '../../../src-renderer/src/pages/diagnostics/diagnostics-store.js';
import { applyDiagnosticsEvent, cancelBoardTest, diagnosticsRefusal, RUN_DIAGNOSTICS_TIMEOUT_MS, runBoardTest, type BoardTestDeps } from '../../../src-renderer/src/state/diagnostics-bridge.js';
import { applyMessage, initialState } from '../../../src-renderer/src/state/store.js';
import { createFakeEngine, fakeSnapshot, type FakeEngine } from '../../e2e/fake-engine.js';
import { fast, FakeBoard, FakeControl } from '../diagnostics/fake-board.js';

/** Progress of a real run over the hashing fake board (a few thousand SHA-256d). */
async function progressOf(board: FakeBoard, extra = {}): Promise<DiagnosticsProgress[]> {
  const out: DiagnosticsProgress[] = [];
  await runDiagnostics(board, { ...fast(), clock: board.clock, onProgress: (e) => out.push(e), ...extra });
  return out;
}

const asEvent = (boardId: string, progress: DiagnosticsProgress | { type: 'cancelled' | 'error'; atMs: number; text: string }): Extract<EngineEvent, { type: 'diagnostics' }> => ({
  type: 'diagnostics',
  atMs: 1,
  boardId,
  progress,
});

function render(extra: Record<string, unknown> = {}): string {
  return renderToString(createElement(DiagnosticsView, { state: useDiagnosticsStore.getState(), boards: [{ id: 'b1', name: 'fake', emulated: false }], onRun: () => undefined, ...extra })).replace(
    /<!-- -->/g,
    '',
  );
}

let run: DiagnosticsProgress[];
let report: DiagnosticsReport;

beforeAll(async () => {
  // Two chips expected, one answers: a FAIL with every step reported.
  run = await progressOf(new FakeBoard({ chipsExpected: 2, chipsFound: 1, coresPerChip: 8 }));
  const done = run.at(-1)!;
  if (done.type !== 'done') throw new Error('the run did not end with a report');
  report = done.report;
});

beforeEach(() => useDiagnosticsStore.getState().reset());

describe('diagnostics events in the contract', () => {
  it('a diagnostics event carries the runner’s own progress, validated; anything else is refused', () => {
    for (const p of run) expect(engineEventSchema.parse(asEvent('emu0', p))).toEqual(asEvent('emu0', p));
    expect(engineEventSchema.safeParse(asEvent('emu0', { type: 'cancelled', atMs: 2, text: 'board test cancelled' })).success).toBe(true);
    expect(engineEventSchema.safeParse({ type: 'diagnostics', atMs: 1, boardId: 'emu0', progress: { type: 'step-start', atMs: 1, name: 'no-such-step' } }).success).toBe(false);
    expect(engineEventSchema.safeParse({ type: 'diagnostics', atMs: 1, boardId: 'emu0', progress: { type: 'done', atMs: 1, report: { ...report, verdict: 'MAYBE' } } }).success).toBe(false);
    // Through the process/WebSocket message schema too (what the renderer's transport parses).
    expect(engineMessageSchema.safeParse({ kind: 'event', event: asEvent('emu0', run[0]!) }).success).toBe(true);
  });

  it('runDiagnostics options are checked: sweep is a boolean, expectChips a chip count', () => {
    expect(engineCommandSchema.parse({ type: 'runDiagnostics', boardId: 'emu0', options: { sweep: true, expectChips: 2 } })).toEqual({
      type: 'runDiagnostics',
      boardId: 'emu0',
      options: { sweep: true, expectChips: 2 },
    });
    expect(engineCommandSchema.safeParse({ type: 'runDiagnostics', boardId: 'emu0', options: { sweep: 'yes' } }).success).toBe(false);
    expect(engineCommandSchema.safeParse({ type: 'runDiagnostics', boardId: 'emu0', options: { expectChips: 0 } }).success).toBe(false);
    expect(engineCommandSchema.safeParse({ type: 'cancelDiagnostics', boardId: 'emu0' }).success).toBe(true);
  });
});

describe('events into the page store', () => {
  it('progress reaches the Diagnostics store with the board id; the engine store’s event tail is not flooded', () => {
    const store = useDiagnosticsStore.getState();
    applyDiagnosticsEvent(store, asEvent('emu0', run[0]!));
    expect(useDiagnosticsStore.getState()).toMatchObject({ running: true, boardId: 'emu0', boardName: 'fake' });
    for (const p of run.slice(1)) applyDiagnosticsEvent(useDiagnosticsStore.getState(), asEvent('emu0', p));
    const s = useDiagnosticsStore.getState();
    expect(s.running).toBe(false);
    expect(s.boardId).toBe('emu0');
    expect(s.report).toEqual(report);
    expect(s.report!.verdict).toBe('FAIL');
    const patch = applyMessage(initialState, { kind: 'event', event: asEvent('emu0', run[1]!) });
    expect(patch.events).toBeUndefined();
  });

  it('a cancelled or failed run ends the live view with its sentence', () => {
    const store = useDiagnosticsStore.getState();
    applyDiagnosticsEvent(store, asEvent('emu0', run[0]!));
    applyDiagnosticsEvent(useDiagnosticsStore.getState(), asEvent('emu0', { type: 'error', atMs: 3, text: 'the board test could not run: port busy' }));
    expect(useDiagnosticsStore.getState()).toMatchObject({ running: false, error: 'The board test could not run: port busy.' });
  });
});

describe('runBoardTest', () => {
  function deps(reply: (c: EngineCommand, timeoutMs?: number) => Promise<unknown>): BoardTestDeps & { sent: { command: EngineCommand; timeoutMs?: number }[] } {
    const sent: { command: EngineCommand; timeoutMs?: number }[] = [];
    return {
      sent,
      request: (command, timeoutMs) => {
        sent.push({ command, timeoutMs });
        return reply(command, timeoutMs);
      },
      diagnostics: () => useDiagnosticsStore.getState(),
    };
  }

  it('sends runDiagnostics with the sweep and a long timeout; the reply’s report is shown when the events were missed', async () => {
    const d = deps(async () => {
      // While the request is out, the page shows the run as started.
      expect(useDiagnosticsStore.getState()).toMatchObject({ running: true, boardId: 'emu0', error: null });
      return { boardId: 'emu0', report, cancelled: false, reportPath: '/data/diagnostics/emu0-x.json', notes: [] };
    });
    await runBoardTest(d, 'emu0', { sweep: true });
    expect(d.sent).toEqual([{ command: { type: 'runDiagnostics', boardId: 'emu0', options: { sweep: true } }, timeoutMs: RUN_DIAGNOSTICS_TIMEOUT_MS }]);
    expect(RUN_DIAGNOSTICS_TIMEOUT_MS).toBeGreaterThanOrEqual(10 * 60_000);
    expect(useDiagnosticsStore.getState().report).toEqual(report);
    expect(useDiagnosticsStore.getState().running).toBe(false);
  });

  it('a cancelled run says no report was kept', async () => {
    await runBoardTest(
      deps(async () => ({ boardId: 'emu0', report: null, cancelled: true, reportPath: null, notes: [] })),
      'emu0',
      { sweep: false },
    );
    expect(useDiagnosticsStore.getState()).toMatchObject({ running: false, report: null, error: 'Board test cancelled; no report was kept.' });
  });

  it('an engine error is shown as a sentence; a refused cancel leaves the run going', async () => {
    await runBoardTest(
      deps(async () => Promise.reject(new Error('board emu0 is already being tested: wait for that run to finish or cancel it'))),
      'emu0',
      {},
    );
    expect(useDiagnosticsStore.getState().error).toBe('The board test could not run: board emu0 is already being tested: wait for that run to finish or cancel it');
    useDiagnosticsStore.getState().begin('emu0');
    await cancelBoardTest(
      deps(async () => Promise.reject(new Error('cancelDiagnostics refused: this dashboard is read-only'))),
      'emu0',
    );
    expect(useDiagnosticsStore.getState()).toMatchObject({ running: true, error: 'This dashboard is read-only, so it cannot cancel the board test.' });
  });
});

describe('read-only web dashboard', () => {
  let dir: string;
  let engine: FakeEngine;
  let server: RunningHttpServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hashdeck-diag-ro-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    engine = createFakeEngine(fakeSnapshot(1));
    server = await startHttpServer({ engine, host: '127.0.0.1', port: 0, staticDir: dir, snapshotIntervalMs: 60_000 });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses runDiagnostics over /ws without --allow-writes, and the page says how to get write access', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers: { host: `127.0.0.1:${server.port}` } });
    const replies: { id: number; ok: boolean; error?: string }[] = [];
    ws.on('message', (d) => {
      const m = engineMessageSchema.parse(JSON.parse(d.toString()));
      if (m.kind === 'reply') replies.push(m);
    });
    await new Promise((r) => ws.once('open', r));
    const request: BoardTestDeps['request'] = (command) =>
      new Promise((resolve, reject) => {
        ws.send(JSON.stringify({ kind: 'request', id: 7, command }));
        const poll = setInterval(() => {
          const reply = replies.find((x) => x.id === 7);
          if (!reply) return;
          clearInterval(poll);
          if (reply.ok) resolve(null);
          else reject(new Error(reply.error));
        }, 10);
      });
    await runBoardTest({ request, diagnostics: () => useDiagnosticsStore.getState() }, 'emu0', { sweep: true });
    ws.close();
    // The engine never saw it.
    expect(engine.commands.filter((c) => c.type === 'runDiagnostics')).toEqual([]);
    expect(replies[0]!.error).toMatch(/read-only/);
    const s = useDiagnosticsStore.getState();
    expect(s.running).toBe(false);
    expect(s.error).toBe(diagnosticsRefusal(replies[0]!.error!));
    expect(s.error).toContain('--allow-writes');
    expect(render()).toContain(`role="alert" data-testid="diagnostics-error">${s.error!.replace(/'/g, '&#x27;')}`);
  });
});

describe('the page', () => {
  const row = (frequencyMhz: number, over: Partial<SweepRow> = {}): SweepRow => ({
    frequencyMhz,
    coreVoltageV: 1.2,
    hashrateHs: 1.5e6,
    expectedHashrateHs: frequencyMhz * 894e6,
    powerW: 13,
    jPerTh: 13 / (1.5e6 / 1e12),
    asicTempMaxC: 40,
    validNonces: 100,
    hwErrors: 0,
    durationMs: 4000,
    note: null,
    ...over,
  });

  it('while running: the board under test, mining paused, a Cancel button, step titles for running steps', () => {
    applyDiagnosticsEvent(useDiagnosticsStore.getState(), asEvent('b1', run[0]!));
    applyDiagnosticsEvent(useDiagnosticsStore.getState(), asEvent('b1', { type: 'step-start', atMs: 2, name: 'sweep' }));
    const html = render({ onCancel: () => undefined });
    expect(html).toContain('Testing fake: mining is paused on this board until the test ends.');
    expect(html).toContain('>Cancel</button>');
    expect(html).toContain('Testing…');
    expect(html).toMatch(/data-testid="step-sweep" data-state="running"><span class="step-status">RUNNING<\/span><span class="step-title">Frequency sweep</);
    expect(html).not.toContain('data-testid="diagnostics-verdict"');
  });

  it('an emulated sweep shows modelled J/TH (power over rated hashrate), never power over the CPU’s hashrate', () => {
    const r = row(485);
    expect(sweepEfficiency(r, false)).toBe(r.jPerTh);
    expect(sweepEfficiency(r, true)).toBeCloseTo(13 / ((485 * 894e6) / 1e12), 9);
    expect(sweepEfficiency({ ...r, powerW: null }, true)).toBeNull();
    useDiagnosticsStore.getState().showReport({ ...report, board: { ...report.board, emulated: true }, sweep: [row(388), r] });
    const html = render();
    expect(html).toContain('Frequency sweep (emulated board)');
    expect(html).toContain('J/TH (modelled)');
    expect(html).toContain(`<td>${(13 / ((485 * 894e6) / 1e12)).toFixed(1)}</td>`);
    expect(html).not.toContain(`<td>${r.jPerTh!.toFixed(1)}</td>`);
    expect(html).toContain('<td>1.50 MH/s</td>');
  });

  it('step figures carry the unit their key names', () => {
    expect(formatFigure('hashrateHs', 1_431_493)).toBe('1.43 MH/s');
    expect(formatFigure('asicTempMaxC', 30.8812)).toBe('30.88 °C');
    expect(formatFigure('powerMaxW', 14.83)).toBe('14.83 W');
    expect(formatFigure('coreVoltageV', 1.199)).toBe('1.199 V');
    expect(formatFigure('durationMs', 3004)).toBe('3004 ms');
    expect(formatFigure('fanRpm', 6000)).toBe('6000 rpm');
    expect(formatFigure('frequencyMhz', 485)).toBe('485 MHz');
    expect(formatFigure('pMissPerCore', 0.000008929)).toBe('0.000008929');
    expect(formatFigure('plannedRunS', null)).toBe('—');
    expect(formatFigure('expectedChipId', '0x1366')).toBe('0x1366');
  });

  it('a finished report shows its verdict, reasons and every step (control figures included)', async () => {
    const board = new FakeBoard({ emulated: false, coresPerChip: 8 });
    Object.assign(board, { control: new FakeControl(() => board.clock.now()) });
    for (const p of await progressOf(board)) applyDiagnosticsEvent(useDiagnosticsStore.getState(), asEvent('b1', p));
    const s = useDiagnosticsStore.getState();
    const html = render();
    expect(html).toContain(`data-verdict="${s.report!.verdict}"`);
    for (const step of s.report!.steps) expect(html).toContain(`data-testid="step-${step.name}" data-state="${step.status}"`);
    expect(html).toContain('Save report');
  });
});
