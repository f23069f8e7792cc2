import { describe, expect, it } from 'vitest';
import { runDiagnostics } from '../../../src-main/diagnostics/run-diagnostics.js';
import { diagnosticsProgressSchema, diagnosticsReportSchema, type DiagnosticsProgress } from '@shared/diagnostics-report.js';
import { fast, FakeBoard, FakeControl } from './fake-board.js';

function step(report: Awaited<ReturnType<typeof runDiagnostics>>, name: string) {
  const s = report.steps.find((x) => x.name === name);
  if (!s) throw new Error(`no step ${name}`);
  return s;
}

async function run(board: FakeBoard, extra = {}) {
  const events: DiagnosticsProgress[] = [];
  const report = await runDiagnostics(board, { ...fast(), clock: board.clock, onProgress: (e) => events.push(e), ...extra });
  return { report, events };
}

describe('runDiagnostics with a fake board', () => {
  it('healthy emulated board without a control port → PASS, sensors n/a, hashrate n/a', async () => {
    const board = new FakeBoard();
    const { report, events } = await run(board);
    expect(diagnosticsReportSchema.parse(report)).toBeTruthy();
    for (const e of events) diagnosticsProgressSchema.parse(e);
    expect(report.verdict).toBe('PASS');
    expect(report.chips).toEqual({ expected: 1, found: 1 });
    expect(step(report, 'enumeration').status).toBe('pass');
    expect(step(report, 'sensors')).toMatchObject({ status: 'n/a', detail: expect.stringMatching(/not available/) });
    expect(step(report, 'register-readback').status).toBe('pass');
    expect(step(report, 'known-answer')).toMatchObject({ status: 'pass', figures: { blockHash: '00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d' } });
    expect(step(report, 'hashing').status).toBe('pass');
    expect(step(report, 'core-map').status).toBe('pass');
    expect(step(report, 'core-map').figures.requiredValidNonces).toBe(774);
    expect(step(report, 'hashrate').status).toBe('n/a');
    expect(step(report, 'limits').status).toBe('n/a');
    expect(step(report, 'sweep').status).toBe('skipped');
    expect(report.coreMap!.judged).toBe(true);
    expect(report.coreMap!.chips[0]!.coreCounts.every((n) => n > 0)).toBe(true);
    expect(events[0]!.type).toBe('start');
    expect(events.at(-1)!.type).toBe('done');
    expect(events.filter((e) => e.type === 'step-end')).toHaveLength(9);
  });

  it('a missing chip is a FAIL that names the chip', async () => {
    const { report } = await run(new FakeBoard({ chipsExpected: 3, chipsFound: 2, coresPerChip: 16 }));
    expect(report.verdict).toBe('FAIL');
    expect(report.chips).toEqual({ expected: 3, found: 2 });
    expect(step(report, 'enumeration').detail).toBe('Chip 3 of 3 did not answer.');
    expect(report.reasons[0]).toMatch(/^Chip enumeration: Chip 3 of 3 did not answer\./);
    expect(step(report, 'hashing').status).toBe('pass'); // the chips that answer are still tested
  });

  it('no chip at all → FAIL and the chain steps are skipped', async () => {
    const { report } = await run(new FakeBoard({ chipsExpected: 2, chipsFound: 0 }));
    expect(report.verdict).toBe('FAIL');
    expect(step(report, 'enumeration').detail).toMatch(/No chip answered \(expected 2\)/);
    expect(step(report, 'known-answer').status).toBe('skipped');
    expect(step(report, 'hashing').status).toBe('skipped');
  });

  it('dead cores are named per chip once the run is statistically sufficient', async () => {
    const { report } = await run(new FakeBoard({ chipsExpected: 2, coresPerChip: 16, deadCores: ['0:3', '0:4', '0:5', '1:9'] }));
    expect(report.verdict).toBe('FAIL');
    const map = step(report, 'core-map');
    expect(map.status).toBe('fail');
    expect(map.detail).toBe('Chip 1: cores 3–5 never answered. Chip 2: core 9 never answered.');
    expect(report.coreMap!.chips[0]!.silentCores).toEqual([3, 4, 5]);
    expect(report.coreMap!.chips[1]!.silentCores).toEqual([9]);
    expect(Number(map.figures.validNonces)).toBeGreaterThanOrEqual(Number(map.figures.requiredValidNonces));
  });

  it('a chip that never returns a nonce is named', async () => {
    const { report } = await run(new FakeBoard({ chipsExpected: 2, coresPerChip: 8, silentChips: [1] }));
    expect(step(report, 'core-map').detail).toBe('Chip 2 returned no valid nonce.');
    expect(report.verdict).toBe('FAIL');
  });

  it('a run too short to judge silent cores says so instead of guessing', async () => {
    const { report } = await run(new FakeBoard({ coresPerChip: 112 }), { maxHashRunMs: 300 });
    const map = step(report, 'core-map');
    expect(map.status).toBe('skipped');
    expect(map.detail).toMatch(/774 are needed to call a silent core dead/);
  });

  it('overheating during the run → FAIL with the temperature and limit', async () => {
    const hot = new FakeBoard({ coresPerChip: 112 });
    Object.assign(hot, {
      control: new FakeControl(
        () => hot.clock.now(),
        (t) => 50 + t / 50,
      ),
    });
    const { report } = await run(hot);
    expect(report.verdict).toBe('FAIL');
    expect(step(report, 'hashing').detail).toMatch(/The ASIC reached 7\d\.\d °C, above the 70 °C test limit; the run was stopped\./);
    expect(step(report, 'limits').status).toBe('fail');
    expect(step(report, 'hashrate').status).toBe('n/a'); // emulated
  });

  it('real-hardware board: hashrate ≥ 85 % passes, a slow board fails with the figures', async () => {
    const good = await run(new FakeBoard({ emulated: false, coresPerChip: 16, control: null }));
    expect(step(good.report, 'hashrate').status).toBe('pass');
    const slow = await run(new FakeBoard({ emulated: false, coresPerChip: 16, rateFraction: 0.5 }));
    const h = step(slow.report, 'hashrate');
    expect(h.status).toBe('fail');
    expect(h.detail).toMatch(/is only [45]\d\.\d % of the expected 8\.00 kH\/s \(needs 85 %\)/);
    expect(Number(h.figures.ratio)).toBeLessThan(0.6);
  });

  it('too few nonces to measure hashrate → skipped with the reason, not a guess', async () => {
    const { report } = await run(new FakeBoard({ emulated: false, coresPerChip: 16 }), { maxHashRunMs: 400 });
    expect(step(report, 'hashrate')).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/400 are needed to measure hashrate/) });
  });

  it('invalid nonces beyond 1 % fail the hashing step', async () => {
    const { report } = await run(new FakeBoard({ coresPerChip: 16, corruptEvery: 10 }));
    expect(step(report, 'hashing')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/% of nonces were invalid/) });
  });

  it('a chip that ignores the starting nonce is reported, not failed', async () => {
    const { report } = await run(new FakeBoard({ coresPerChip: 16, ignoresStartingNonce: true }));
    const kat = step(report, 'known-answer');
    expect(kat.status).toBe('n/a');
    expect(kat.detail).toMatch(/chip ignores starting nonce/);
    expect(report.verdict).toBe('PASS');
  });

  it('wrong chip id fails the register read-back', async () => {
    const { report } = await run(new FakeBoard({ coresPerChip: 16, chipIdOverride: 0x1368 }));
    expect(step(report, 'register-readback').detail).toBe('Chip 1 reports chip id 0x1368, expected 0x1366.');
  });

  it('with sensors: plausible values pass; a slow fan and low input voltage fail', async () => {
    const ok = new FakeBoard({ coresPerChip: 16 });
    Object.assign(ok, { control: new FakeControl(() => ok.clock.now()) });
    const r1 = await run(ok);
    expect(step(r1.report, 'sensors').status).toBe('pass');
    expect(step(r1.report, 'limits').status).toBe('pass');
    expect(r1.report.verdict).toBe('PASS');
    const bad = new FakeBoard({ coresPerChip: 16 });
    Object.assign(bad, {
      control: new FakeControl(
        () => bad.clock.now(),
        () => 55,
        { fanRpm: 400, inputVoltageV: 4.3 },
      ),
    });
    const r2 = await run(bad);
    const s = step(r2.report, 'sensors');
    expect(s.status).toBe('fail');
    expect(s.detail).toMatch(/400 RPM at 100 %, below the 1000 RPM minimum/);
    expect(s.detail).toMatch(/input voltage is 4\.30 V/);
  });

  it('sweep: a row per step with J/TH, and previous frequency and voltage restored', async () => {
    const board = new FakeBoard({ emulated: false, coresPerChip: 16 });
    const control = new FakeControl(() => board.clock.now());
    Object.assign(board, { control });
    const rows: unknown[] = [];
    const { report } = await run(board, {
      sweep: {
        steps: [
          { frequencyMhz: 400, coreVoltageV: 1.15 },
          { frequencyMhz: 500, coreVoltageV: 1.2 },
          { frequencyMhz: 550, coreVoltageV: 1.25 },
        ],
        stepMs: 1000,
      },
      onProgress: (e: DiagnosticsProgress) => e.type === 'sweep-row' && rows.push(e.row),
    });
    expect(report.sweep).toHaveLength(3);
    expect(rows).toHaveLength(3);
    expect(report.sweep!.map((r) => r.frequencyMhz)).toEqual([400, 500, 550]);
    expect(report.sweep![2]!.hashrateHs).toBeGreaterThan(report.sweep![0]!.hashrateHs);
    const r0 = report.sweep![0]!;
    expect(r0.jPerTh).toBeCloseTo(r0.powerW! / (r0.hashrateHs / 1e12), 6);
    expect(board.frequencyLog).toEqual([400, 500, 550, 485]);
    expect(control.voltageLog).toEqual([1.15, 1.2, 1.25, 1.2]);
    expect(board.frequencyMhz).toBe(485);
    expect(step(report, 'sweep').status).toBe('pass');
  });
});
