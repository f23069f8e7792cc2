import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { runDiagnostics } from '../../../src-main/diagnostics/run-diagnostics.js';
import type { DiagnosticsProgress } from '@shared/diagnostics-report.js';
import { DiagnosticsPage, DiagnosticsView } from '../../../src-renderer/src/pages/diagnostics/DiagnosticsPage.js';
import { reportFileName, useDiagnosticsStore } from '../../../src-renderer/src/pages/diagnostics/diagnostics-store.js';
import { fast, FakeBoard, FakeControl } from '../diagnostics/fake-board.js';

async function events(board: FakeBoard, extra = {}) {
  const out: DiagnosticsProgress[] = [];
  await runDiagnostics(board, { ...fast(), clock: board.clock, onProgress: (e) => out.push(e), ...extra });
  return out;
}

describe('Diagnostics store and page', () => {
  beforeEach(() => useDiagnosticsStore.getState().reset());

  it('the store follows a run live: pending → running → done, then the report', async () => {
    const evs = await events(new FakeBoard({ chipsExpected: 2, chipsFound: 1, coresPerChip: 8 }));
    const store = useDiagnosticsStore.getState();
    store.apply(evs[0]!);
    let s = useDiagnosticsStore.getState();
    expect(s.running).toBe(true);
    expect(s.steps.enumeration!.state).toBe('pending');
    const firstProgress = evs.findIndex((e) => e.type === 'step-progress');
    for (const e of evs.slice(1, firstProgress + 1)) store.apply(e);
    s = useDiagnosticsStore.getState();
    const running = Object.values(s.steps).find((v) => v!.state === 'running');
    expect(running).toBeTruthy();
    expect(s.steps.enumeration!.result!.status).toBe('fail');
    for (const e of evs.slice(firstProgress + 1)) store.apply(e);
    s = useDiagnosticsStore.getState();
    expect(s.running).toBe(false);
    expect(s.report!.verdict).toBe('FAIL');
    expect(Object.values(s.steps).every((v) => v!.state === 'done')).toBe(true);
  });

  it('renders steps, verdict, reasons and the sweep table', async () => {
    const board = new FakeBoard({ emulated: false, coresPerChip: 8 });
    Object.assign(board, { control: new FakeControl(() => board.clock.now()) });
    const evs = await events(board, { sweep: { steps: [{ frequencyMhz: 400 }, { frequencyMhz: 500 }], stepMs: 500 } });
    for (const e of evs) useDiagnosticsStore.getState().apply(e);
    const html = renderToString(createElement(DiagnosticsView, { state: useDiagnosticsStore.getState(), boards: [{ id: 'b1', name: 'fake' }], onRun: () => undefined })).replace(/<!-- -->/g, '');
    expect(html).toContain('PASS — fake (BM1366): 1 of 1 chips');
    expect(html).toContain('Known-answer test (block 125552)');
    expect(html).toContain('Frequency sweep');
    expect(html).toContain('<td>400</td>');
    expect(html).toContain('Save report');
    expect(html).toContain('Run board test');
  });

  it('shows a saved report passed as a prop and names its file safely', async () => {
    const evs = await events(new FakeBoard({ chipsExpected: 2, chipsFound: 1, coresPerChip: 8 }));
    const done = evs.at(-1)!;
    if (done.type !== 'done') throw new Error('no done event');
    useDiagnosticsStore.getState().showReport(done.report);
    const html = renderToString(createElement(DiagnosticsView, { state: useDiagnosticsStore.getState() })).replace(/<!-- -->/g, '');
    expect(html).toContain('FAIL — fake');
    expect(html).toContain('Chip 2 of 2 did not answer.');
    expect(reportFileName({ ...done.report, board: { ...done.report.board, name: 'COM5 / bitaxe:1' } })).toMatch(/^hashdeck-diagnostics-COM5-bitaxe-1-[0-9TZ-]+\.json$/);
  });
});

describe('DiagnosticsPage (store-bound)', () => {
  it('renders without a run', () => {
    const html = renderToString(createElement(DiagnosticsPage, { boards: [], onRun: () => undefined }));
    expect(html).toContain('Diagnostics');
    expect(html).toMatch(/<button type="submit" disabled="">Run board test<\/button>/);
  });
});
