/**
 * `hashdeck diagnose` as users run it: the real CLI process against `hashdeck emulate --pty` (the
 * whole serialport stack over a pseudo-terminal) or the built-in emulator, with fault injection.
 * Overheating is tested one level down (runBoardDiagnostics in-process) because a PTY emulator has
 * no control port to heat up.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulatorDevice } from '../../../src-main/emulator/emulated-device.js';
import { runBoardDiagnostics } from '../../../src-main/diagnostics/engine-runner.js';
import { KNOWN_ANSWER_HASH_DISPLAY } from '../../../src-main/diagnostics/known-answer-block.js';
import { diagnosticsReportSchema, STEP_NAMES, type DiagnosticsReport } from '@shared/diagnostics-report.js';
import { jsonLines, runCli, tempDir } from '../../helpers/cli.js';
import { startEmulatorPty, type EmulatorProcess } from '../../helpers/emulator-pty.js';

let emulator: EmulatorProcess | null = null;
afterEach(async () => {
  await emulator?.stop();
  emulator = null;
});

async function diagnosePty(emulatorArgs: string[], expectChips: number) {
  emulator = await startEmulatorPty(emulatorArgs);
  const reportPath = path.join(tempDir('hashdeck-diag-'), 'r.json');
  const r = await runCli(['diagnose', '--device', emulator.path, '--chip', 'bm1366', '--scale-bits', '24', '--expect-chips', String(expectChips), '--report', reportPath], { timeoutMs: 45_000 });
  const report = existsSync(reportPath) ? diagnosticsReportSchema.parse(JSON.parse(readFileSync(reportPath, 'utf8'))) : null;
  return { ...r, report };
}

function step(report: DiagnosticsReport, name: (typeof STEP_NAMES)[number]) {
  const s = report.steps.find((x) => x.name === name);
  if (!s) throw new Error(`no ${name} step in the report`);
  return s;
}

describe('hashdeck diagnose over an emulator PTY', () => {
  it('a healthy 2-chip board passes: exit 0, every step in the report, known answer found through the real driver', async () => {
    const { code, stdout, stderr, report } = await diagnosePty(['--chips', '2'], 2);
    expect(code, stdout + stderr).toBe(0);
    expect(stdout).toMatch(/Verdict: PASS/);
    expect(report).not.toBeNull();
    const r = report!;
    expect(r.verdict).toBe('PASS');
    expect(r.reasons[0]).toMatch(/Every check that applies/);
    expect(r.chips).toEqual({ expected: 2, found: 2 });
    expect(r.steps.map((s) => s.name)).toEqual([...STEP_NAMES]);
    expect(r.board).toMatchObject({ model: 'bm1366', emulated: true, scaleBits: 24, ticketDifficulty: 8, controlParts: [] });

    const kat = step(r, 'known-answer');
    expect(kat.status).toBe('pass');
    expect(kat.figures).toMatchObject({ expectedNonce: '9546a142', blockHash: KNOWN_ANSWER_HASH_DISPLAY, invalidNonces: 0 });
    expect(Number(kat.figures.validNonces)).toBeGreaterThanOrEqual(1);

    expect(step(r, 'hashing').status).toBe('pass');
    expect(step(r, 'hashing').figures.hwErrors).toBe(0);
    expect(step(r, 'core-map').status).toBe('pass');
    expect(r.coreMap!.judged).toBe(true);
    expect(Number(step(r, 'core-map').figures.meanNoncesPerCore)).toBeGreaterThanOrEqual(Math.log(224_000) - 0.01);
    expect(r.coreMap!.chips.map((c) => c.silentCores)).toEqual([[], []]);
    for (const c of r.coreMap!.chips) expect(c.coreCounts.slice(0, 112).every((n) => n > 0)).toBe(true);
    // Emulated, no control port: these cannot be judged, and say so.
    expect(step(r, 'hashrate').status).toBe('n/a');
    expect(step(r, 'sensors').status).toBe('n/a');
    expect(step(r, 'limits').status).toBe('n/a');
  });

  it('a chip missing from a 3-chip chain is a FAIL naming the chip, exit 1', async () => {
    const { code, stdout, report } = await diagnosePty(['--chips', '3', '--missing-chips', '1'], 3);
    expect(code).toBe(1);
    expect(stdout).toMatch(/Verdict: FAIL/);
    const r = report!;
    expect(r.verdict).toBe('FAIL');
    expect(r.chips).toEqual({ expected: 3, found: 2 });
    expect(step(r, 'enumeration')).toMatchObject({ status: 'fail', detail: 'Chip 3 of 3 did not answer.' });
    expect(r.reasons).toContain('Chip enumeration: Chip 3 of 3 did not answer.');
    // The chips that answered are still tested, and hash fine.
    expect(step(r, 'hashing').status).toBe('pass');
    expect(step(r, 'core-map').status).toBe('pass');
  });

  it('dead cores 5 and 17 are a FAIL naming them once the run is statistically sufficient', async () => {
    const { code, report } = await diagnosePty(['--chips', '1', '--dead-cores', '5,17'], 1);
    expect(code).toBe(1);
    const r = report!;
    const map = step(r, 'core-map');
    expect(map.status).toBe('fail');
    expect(map.detail).toBe('Chip 1: cores 5, 17 never answered.');
    expect(r.reasons).toEqual(['Per-chip and per-core response: Chip 1: cores 5, 17 never answered.']);
    // Sufficient: a live core stays silent with e^(−mean); the run went on until that is below the
    // per-core share of a 1e-3 board-level false alarm (1e-3 / 112 → mean ≥ 11.6).
    expect(r.coreMap!.judged).toBe(true);
    expect(Number(map.figures.pMissPerCore)).toBeCloseTo(1e-3 / 112, 10);
    expect(Number(map.figures.meanNoncesPerCore)).toBeGreaterThanOrEqual(Math.log(112_000) - 0.01);
    const chip = r.coreMap!.chips[0]!;
    expect(chip.silentCores).toEqual([5, 17]);
    expect(chip.coreCounts.filter((n, id) => id < 112 && n === 0)).toHaveLength(2);
  });
});

describe('hashdeck diagnose on the built-in emulator', () => {
  it('--device emulator:2 passes with its emulated control port read as sensors; --json ends with the report and summary', async () => {
    const r = await runCli(['diagnose', '--device', 'emulator:2', '--json'], { timeoutMs: 45_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines[0]).toMatchObject({ type: 'diagnose', emulated: true, scaleBits: 24 });
    const done = lines.find((l) => l.type === 'done');
    const report = diagnosticsReportSchema.parse(done.report);
    expect(report.verdict).toBe('PASS');
    expect(report.chips).toEqual({ expected: 2, found: 2 });
    expect(step(report, 'known-answer').status).toBe('pass');
    expect(step(report, 'core-map').status).toBe('pass');
    expect(step(report, 'sensors').status).toBe('pass');
    expect(step(report, 'limits').status).toBe('pass');
    expect(lines.at(-1)).toMatchObject({ type: 'summary', verdict: 'PASS', exitCode: 0, leftSafe: { resetHeld: true, coreVoltageOff: true, problems: [] } });
  });

  it('bad input and an absent port: one sentence, no stack trace (exit 2 and exit 1)', async () => {
    const badReport = await runCli(['diagnose', '--device', 'emulator:1', '--report', '/nonexistent-dir/r.json']);
    expect(badReport.code).toBe(2);
    expect(badReport.stderr).toMatch(/cannot write the report/);
    const noPort = await runCli(['diagnose', '--device', '/dev/hashdeck-no-such-port', '--chip', 'bm1366']);
    expect(noPort.code).toBe(1);
    expect(noPort.stderr.trim().split('\n')).toHaveLength(1);
    expect(noPort.stderr).toMatch(/does not exist/);
    expect(noPort.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('runBoardDiagnostics with an emulated control port', () => {
  it('a board whose fan cannot cool it fails on temperature and is left safe (reset held, core voltage off)', async () => {
    // Fan cooling gain 0: the ASIC heads for ~120 °C while hashing; 20× model time keeps the test short.
    const device = createEmulatorDevice({ chips: 1, model: 'bm1366', scaleBits: 24, control: { thermal: { fanCoolingGain: 0 }, timeScale: 20 } });
    const result = await runBoardDiagnostics(
      { name: 'hot board', path: device.path, model: 'bm1366', binding: device.binding, scaleBits: 24, emulated: true, expectedChips: 1, controlLink: device.control },
      { sensorPollMs: 500 },
    );
    const r = result.report;
    expect(r.verdict).toBe('FAIL');
    expect(r.board.controlParts).toEqual(['TPS546', 'INA260', 'EMC2101']);
    expect(step(r, 'sensors').status).toBe('pass'); // idle, the board is still cool
    const hashing = step(r, 'hashing');
    expect(hashing.status).toBe('fail');
    expect(hashing.detail).toMatch(/^The ASIC reached \d+\.\d °C, above the 70 °C test limit; the run was stopped\.$/);
    expect(step(r, 'limits').detail).toMatch(/The ASIC reached \d+\.\d °C \(limit 70 °C\)/);
    expect(r.reasons.some((x) => /°C/.test(x))).toBe(true);
    expect(result.leftSafe).toEqual({ resetHeld: true, coreVoltageOff: true, problems: [] });
    expect(device.control!.port.resetHeld).toBe(true);
    expect(device.control!.port.model.coreVoltageV).toBe(0);
  });
});
