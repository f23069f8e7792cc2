/** What the engine is built from: its boards, work source, data directory and the knobs tests turn. */
import type { EventBus } from '@shared/bus.js';
import type { EngineSnapshot, Schedule } from '@shared/contract';
import type { ThermalGuardConfig } from '../boards/control/thermal-guard.js';
import type { SerialPortInfo } from '../boards/detect.js';
import type { TicketSetting } from '../chips/bm13xx/auto-ticket.js';
import type { AxeosFleetConfig } from '../fleet/axeos-fleet.js';
import type { WorkSource } from '../work/source.js';
import type { BoardRequest } from './board-request.js';
import type { IntegrationOptions } from './integrations.js';
import type { ServeStratumOptions } from './stratum-service.js';

export interface EngineOptions {
  /** Boards to start (the CLI resolves device specs: auto, emulator, paths). */
  boards: BoardRequest[];
  source: WorkSource | null;
  mode: EngineSnapshot['mode'];
  frequencyMhz: number | null;
  /** Every board's ticket unless its request sets one: a difficulty or 'auto' (null: 256). */
  ticketDifficulty: TicketSetting | null;
  dataDir: string | null;
  /** Re-open a lost board's port this often at first (hotplug of a path that comes back). */
  reattachMs?: number;
  /** `--device auto`: start recognised USB boards that appear while the engine runs (optionally with its own port lister, for tests). */
  hotplug?: boolean | { list: () => Promise<SerialPortInfo[]> };
  snapshotIntervalMs?: number;
  /** Ledger sample period (default 5 s, the finest History bucket). */
  sampleIntervalMs?: number;
  /** Sensor sweep period of boards with a control port (default 2 s). */
  sensorIntervalMs?: number;
  /** Thermal guard thresholds (defaults: target 60 °C, stop above 75 °C, resume below 55 °C). */
  thermal?: Partial<ThermalGuardConfig>;
  bus?: EventBus;
  /** AxeOS devices watched over HTTP (`--axeos`); none given, nothing is polled. */
  axeos?: AxeosFleetConfig;
  /** Where HashDeck serves Stratum to network miners (`--serve-stratum`). */
  serveStratum?: ServeStratumOptions;
  /** When to mine, pause or run a tuning profile (null or absent: always mine). */
  schedule?: Schedule | null;
  /** The schedule's clock (tests pass a fake one; default Date.now) and how often it is looked at. */
  clock?: () => number;
  scheduleTickMs?: number;
  /** Tuning runs: how often they look at sensors (default 250 ms); a tuned board's guard hold-off after a step back. */
  tuneTickMs?: number;
  tuneGuardHoldMs?: number;
  tuneGuardTickMs?: number;
  /** Keeps a schedule changed from a client (the desktop app saves it with its settings); absent: it lasts until the engine stops. */
  saveSchedule?: (schedule: Schedule | null) => Promise<void> | void;
  /** Notifications and MQTT (Home Assistant). */
  integrations?: IntegrationOptions;
}
