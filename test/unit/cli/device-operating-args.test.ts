/**
 * Per-device frequency, core voltage and start-paused options (`--frequency`, `--core-voltage-mv`,
 * `--paused` after a `--device`), the default `--frequency` before any device, and their ranges
 * (the chip drivers' limits); the same through a config file.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs, type MineOptions } from '../../../src-main/cli/args.js';
import { UsageError } from '../../../src-main/cli/usage-error.js';
import { fileConfigToArgs, parseFileConfig } from '../../../src-main/config/file-config.js';
import { loadScheduleOption } from '../../../src-main/cli/schedule-option.js';

const mine = (...a: string[]): MineOptions => parseArgs(['mine', ...a]) as MineOptions;
const refused = (args: string[], message: string): void => {
  let error: unknown;
  try {
    parseArgs(['mine', ...args]);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(UsageError);
  expect((error as Error).message).toBe(message);
};

describe('per-device operating options', () => {
  it('apply to the device they follow; --frequency before any device is the default for all', () => {
    const o = mine(
      '--frequency',
      '450',
      '--device',
      'emulator',
      '--frequency',
      '500',
      '--core-voltage-mv',
      '1250',
      '--device',
      '/dev/ttyACM1',
      '--chip',
      'bm1370',
      '--control',
      '/dev/ttyACM0',
      '--paused',
      '--device',
      'emulator:2',
    );
    expect(o.frequencyMhz).toBe(450);
    expect(o.devices).toEqual([
      { kind: 'emulator', chips: 1, model: 'bm1366', scaleBits: 24, frequencyMhz: 500, coreVoltageMv: 1250 },
      { kind: 'path', path: '/dev/ttyACM1', chip: 'bm1370', control: '/dev/ttyACM0', scaleBits: null, expectChips: null, paused: true },
      { kind: 'emulator', chips: 2, model: 'bm1366', scaleBits: 24 },
    ]);
  });

  it('keeps the old meaning of a single --frequency with one device (before or after it)', () => {
    expect(mine('--frequency', '500', '--device', 'emulator').frequencyMhz).toBe(500);
    expect(mine('--device', 'emulator', '--frequency', '500').devices[0]).toMatchObject({ frequencyMhz: 500 });
    expect(mine('--core-voltage-mv', '1150', '--device', 'emulator').devices[0]).toMatchObject({ coreVoltageMv: 1150 });
  });

  it("refuses values outside the chip model's range in one sentence", () => {
    refused(['--device', 'emulator', '--frequency', '700'], "--frequency 700 for emulator is outside the BM1366's range of 300–575 MHz");
    refused(
      ['--device', '/dev/ttyACM1', '--chip', 'bm1370', '--control', '/dev/ttyACM0', '--core-voltage-mv', '1300'],
      "--core-voltage-mv 1300 for /dev/ttyACM1 is outside the BM1370's range of 1000–1250 mV",
    );
    refused(['--device', '/dev/ttyUSB0', '--chip', 'bm1397', '--core-voltage-mv', '1400'], "--core-voltage-mv for /dev/ttyUSB0 needs the board's --control port (the core voltage is set through it)");
    refused(['--device', 'emulator', '--core-voltage-mv', '1.2'], '--core-voltage-mv must be a whole number from 0 to 10000, got "1.2"');
    refused(['--frequency', '600', '--device', 'emulator'], "--frequency 600 is outside the BM1366's range of 300–575 MHz (device emulator)");
    refused(
      ['--device', 'auto', '--paused'],
      '--device auto takes no per-device options (use a serial path to set --chip or --scale-bits; --frequency and --ticket-difficulty before the first --device apply to every board)',
    );
    refused(['--device', 'emulator', '--frequency', '500', '--frequency', '450'], '--frequency given twice for device emulator');
    // A device with its own frequency is not held to the default's range check.
    expect(mine('--frequency', '200', '--device', '/dev/ttyUSB0', '--chip', 'bm1397').frequencyMhz).toBe(200);
  });

  it('diagnose takes the frequency after its device as before', () => {
    expect(parseArgs(['diagnose', '--device', 'emulator', '--frequency', '450'])).toMatchObject({ frequencyMhz: 450 });
    expect(parseArgs(['diagnose', '--frequency', '450', '--device', 'emulator'])).toMatchObject({ frequencyMhz: 450 });
  });
});

describe('config file: per-device settings and the schedule', () => {
  it('become the same arguments as the flags, the default frequency before every device', () => {
    const cfg = parseFileConfig(
      {
        devices: ['emulator', { device: 'emulator:2', frequencyMhz: 500, coreVoltageMv: 1150, paused: true }],
        frequencyMhz: 450,
        schedule: { timeZone: 'Europe/Berlin', windows: [{ days: ['sat'], start: '22:00', end: '06:00', action: 'profile', profile: 'eco' }] },
      },
      'test.json',
      '/etc/hashdeck',
    );
    const o = parseArgs(['mine', ...fileConfigToArgs(cfg)]) as MineOptions;
    expect(o.frequencyMhz).toBe(450);
    expect(o.devices).toEqual([
      { kind: 'emulator', chips: 1, model: 'bm1366', scaleBits: 24 },
      { kind: 'emulator', chips: 2, model: 'bm1366', scaleBits: 24, frequencyMhz: 500, coreVoltageMv: 1150, paused: true },
    ]);
    const schedule = loadScheduleOption(o.schedule!);
    expect(schedule).toMatchObject({ timeZone: 'Europe/Berlin', otherwise: 'mine', windows: [{ start: '22:00', end: '06:00', profile: 'eco' }] });
  });

  it('names the key of a bad schedule', () => {
    expect(() => parseFileConfig({ devices: ['auto'], schedule: { timeZone: 'Nowhere/Land' } }, 'test.json', '/')).toThrow(
      'config file test.json: schedule.timeZone: is not a time zone this system knows (use an IANA name such as Europe/Berlin)',
    );
    expect(() => parseFileConfig({ devices: [{ device: 'auto', paused: true }] }, 'test.json', '/')).toThrow('devices[0]: "auto" takes no per-device options');
    expect(() => loadScheduleOption('/nonexistent/schedule.json')).toThrow('cannot read the schedule file /nonexistent/schedule.json: ENOENT');
    expect(() => loadScheduleOption('{"otherwise":"sleep"}')).toThrow(/^the schedule: otherwise: /);
  });
});
