/**
 * Who may do what on the cgminer API (rules in server.ts's header). Pure, so the decisions for
 * LAN peers are tested without binding a LAN address.
 */
import { isLoopbackHost, tokenMatches } from '../http/access.js';
import { allowGroupFor, type AllowEntry } from './allow-list.js';

export interface Access {
  /** May run report commands. */
  read: boolean;
  /** May run privileged commands (only ever true on a writable server). */
  privileged: boolean;
}

export interface AccessRules {
  allow: readonly AllowEntry[];
  writable: boolean;
  token: string | undefined;
}

/** Access from the peer address alone; null = not allowed to talk at all without a token. */
export function peerAccess(rules: AccessRules, address: string): Access | null {
  const group = allowGroupFor(rules.allow, address);
  if (group === 'W') return { read: true, privileged: rules.writable };
  if (group === 'R') return { read: true, privileged: false };
  // With no allow list, the operator who made the API writable on loopback meant local tools.
  if (isLoopbackHost(address)) return { read: true, privileged: rules.writable && rules.allow.length === 0 };
  return null;
}

/** What a presented token adds: everything the server offers, or nothing. */
export function tokenAccess(rules: AccessRules, presented: string | null): Access | null {
  if (rules.token === undefined || presented === null) return null;
  return tokenMatches(rules.token, presented) ? { read: true, privileged: rules.writable } : null;
}
