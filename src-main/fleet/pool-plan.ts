/**
 * "Is this device mining to this HashDeck?" and "what would pointing it here change?". The
 * answer depends on where HashDeck's Stratum server listens and on the address the device sees
 * HashDeck at (the local end of the last poll's connection), never on a guess about the network.
 * ESP-Miner keeps the pool host (`stratumURL`, no scheme), port and user apart (docs/axeos.md §3).
 */
import { networkInterfaces, hostname as osHostname } from 'node:os';
import type { AxeosPoolPatch, AxeosPoolPlan } from '@shared/contract';
import type { AxeosPoolSetting, AxeosReading } from './system-info.js';

/** Where HashDeck serves Stratum to network miners (`--serve-stratum host:port`). */
export interface StratumServerAddress {
  host: string;
  port: number;
}

const WILDCARD = new Set(['', '0.0.0.0', '::', '[::]']);

function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** A host as written in a device's pool setting or a socket address, comparable with another. */
export function normalisePoolHost(text: string): string {
  let h = text
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/\/.*$/, '');
  if (h.startsWith('[')) h = h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  else if ((h.match(/:/g) ?? []).length === 1) h = h.slice(0, h.indexOf(':'));
  return h.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

/** The names a device may use for this machine when the server listens on every interface. */
function ownNames(localAddress: string | null): Set<string> {
  const names = new Set<string>();
  if (localAddress) names.add(normalisePoolHost(localAddress));
  const host = osHostname().toLowerCase();
  names.add(host);
  names.add(`${host}.local`);
  for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(normalisePoolHost(i.address));
  return names;
}

/** True when the pool in use is HashDeck's Stratum server; null when HashDeck serves none. */
export function isMiningHere(pool: AxeosPoolSetting | null, server: StratumServerAddress | null, localAddress: string | null): boolean | null {
  if (!server) return null;
  if (!pool || pool.port !== server.port) return false;
  const host = normalisePoolHost(pool.url);
  if (!WILDCARD.has(server.host)) return host === normalisePoolHost(server.host);
  return ownNames(localAddress).has(host);
}

/** The host a device should dial to reach this HashDeck's Stratum server; throws why not. */
export function stratumHostFor(server: StratumServerAddress, deviceHost: string, localAddress: string | null): string {
  if (!WILDCARD.has(server.host)) {
    if (isLoopbackHost(server.host) && !isLoopbackHost(deviceHost)) {
      throw new Error(`HashDeck's Stratum server listens on ${server.host} only, which a network miner cannot reach: serve it on 0.0.0.0 or a LAN address`);
    }
    return normalisePoolHost(server.host);
  }
  if (!localAddress) throw new Error('HashDeck has not reached this device yet, so the address it would use for HashDeck is unknown');
  return normalisePoolHost(localAddress);
}

export interface PlanInput {
  deviceId: string;
  deviceHost: string;
  reading: AxeosReading;
  localAddress: string | null;
  server: StratumServerAddress | null;
}

/** The change "mine to this HashDeck" makes, old → new; throws a sentence when it cannot be made. */
export function poolPlan(input: PlanInput): AxeosPoolPlan {
  const { reading, server } = input;
  if (!server) throw new Error('HashDeck serves no Stratum for network miners (start it with --serve-stratum)');
  const current = reading.usingFallback ? reading.fallbackPool : reading.primaryPool;
  if (isMiningHere(current, server, input.localAddress) === true) throw new Error('this device already mines to this HashDeck');
  const host = stratumHostFor(server, input.deviceHost, input.localAddress);
  const primary = reading.primaryPool;
  // The user name stays when there is one: with --stratum-pay-username it carries the payout address.
  const user = primary && primary.user.trim() !== '' ? primary.user : (reading.hostname ?? 'axeos');
  const patch: AxeosPoolPatch = { stratumURL: host, stratumPort: server.port, stratumUser: user };
  const changes = [
    { field: 'stratumURL', from: primary?.url ?? '', to: host },
    { field: 'stratumPort', from: primary?.port === null || primary?.port === undefined ? '' : String(primary.port), to: String(server.port) },
    { field: 'stratumUser', from: primary?.user ?? '', to: user },
  ];
  if (reading.stratumTls !== null && reading.stratumTls !== 0) {
    patch.stratumTLS = 0;
    changes.push({ field: 'stratumTLS', from: String(reading.stratumTls), to: '0' });
  }
  return { deviceId: input.deviceId, changes, patch, restart: true };
}

/** The confirmed patch must be the one computed now: anything else means the situation changed. */
export function samePatch(a: AxeosPoolPatch, b: AxeosPoolPatch): boolean {
  return a.stratumURL === b.stratumURL && a.stratumPort === b.stratumPort && a.stratumUser === b.stratumUser && a.stratumTLS === b.stratumTLS;
}
