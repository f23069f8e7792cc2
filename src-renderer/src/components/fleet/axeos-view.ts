/**
 * Words and figures for the AxeOS device views, kept pure so they are tested without a DOM:
 * state tone and label, the pool as one line, and the rows of the "mine to this HashDeck"
 * confirmation (every field ESP-Miner will get, old → new).
 */
import type { AxeosDeviceSnapshot, AxeosPoolPlan } from '@shared/contract';

export const AXEOS_STATE_TONE: Record<AxeosDeviceSnapshot['state'], 'good' | 'idle' | 'bad'> = {
  online: 'good',
  connecting: 'idle',
  unreachable: 'bad',
  error: 'bad',
};

export function deviceName(d: AxeosDeviceSnapshot): string {
  return d.hostname ?? d.address;
}

export function deviceModelText(d: AxeosDeviceSnapshot): string {
  return [d.asicModel, d.deviceModel].filter((x): x is string => x !== null && x !== '').join(' · ') || 'AxeOS';
}

export function poolText(d: AxeosDeviceSnapshot): string | null {
  if (!d.pool) return null;
  return d.pool.port === null ? d.pool.url : `${d.pool.url}:${d.pool.port}`;
}

/** "Mining to this HashDeck" / "another pool" / nothing when HashDeck serves no Stratum. */
export function miningHereText(d: AxeosDeviceSnapshot): { text: string; tone: 'good' | 'idle' } | null {
  if (d.miningHere === null) return null;
  return d.miningHere ? { text: 'mining to this HashDeck', tone: 'good' } : { text: 'mining to another pool', tone: 'idle' };
}

const FIELD_LABEL: Record<string, string> = {
  stratumURL: 'Pool host',
  stratumPort: 'Pool port',
  stratumUser: 'Pool user',
  stratumTLS: 'Pool TLS',
};

export interface ChangeRow {
  field: string;
  label: string;
  from: string;
  to: string;
  changed: boolean;
}

export function changeRows(plan: AxeosPoolPlan): ChangeRow[] {
  return plan.changes.map((c) => ({ field: c.field, label: FIELD_LABEL[c.field] ?? c.field, from: c.from === '' ? '(empty)' : c.from, to: c.to, changed: c.from !== c.to }));
}
