/**
 * Under which worker names each connection's miner is listed (docs/stratum-and-gbt.md §8.6). A
 * pool credits shares to the name they are submitted under (`<account>.<worker>`), and one
 * connection may authorise several names: a HashDeck miner authorises its bare user for the session
 * and `<user>.<board>` before each board's first share. So a connection is listed under every name
 * it has submitted shares under; until its first share, under the first name it authorised (an
 * AxeOS Bitaxe that authorises once is listed at once), a provisional name that is withdrawn when
 * that first share comes under another name. The tallies themselves are the sink's.
 */
import type { CreditedShare, MinerArrival, NetworkMinerSink, RefusedShare } from './miner-sink.js';

interface Listed {
  arrival: MinerArrival;
  /** The names this connection is listed under; the first one takes refusals of unauthorised names. */
  names: string[];
  /** Listed only under its first authorised name, which has not submitted yet. */
  provisional: boolean;
  difficulty: number;
}

export class MinerListing {
  private readonly connections = new Map<number, Listed>();

  constructor(private readonly sink: NetworkMinerSink) {}

  /** Subscribed and authorised: listed under its first name until it submits. */
  connected(arrival: MinerArrival): void {
    this.connections.set(arrival.connectionId, { arrival, names: [arrival.worker], provisional: true, difficulty: arrival.difficulty });
    this.sink.connected(arrival);
  }

  accepted(connectionId: number, worker: string, share: CreditedShare): void {
    this.sink.accepted(this.submitter(connectionId, worker), share);
  }

  /** A refused share; `worker` null when its name was not authorised (counted against the connection's miner). */
  rejected(connectionId: number, worker: string | null, share: RefusedShare): void {
    const listed = this.connections.get(connectionId);
    const name = worker === null ? listed?.names[0] : this.submitter(connectionId, worker);
    if (name !== undefined) this.sink.rejected(name, share);
  }

  difficulty(connectionId: number, difficulty: number): void {
    const listed = this.connections.get(connectionId);
    if (!listed) return;
    listed.difficulty = difficulty;
    for (const name of listed.names) this.sink.difficulty(name, difficulty);
  }

  disconnected(connectionId: number, atMs: number): void {
    const listed = this.connections.get(connectionId);
    if (!listed) return;
    this.connections.delete(connectionId);
    for (const name of listed.names) this.sink.disconnected(name, connectionId, atMs);
  }

  /** The name a share is credited to, listed from now on (the provisional name gives way to it). */
  private submitter(connectionId: number, worker: string): string {
    const listed = this.connections.get(connectionId);
    if (!listed) return worker;
    const wasProvisional = listed.provisional;
    listed.provisional = false;
    if (listed.names.includes(worker)) return worker;
    if (wasProvisional) {
      this.sink.withdrawn(listed.names[0]!, connectionId);
      listed.names = [];
    }
    listed.names.push(worker);
    this.sink.connected({ ...listed.arrival, worker, difficulty: listed.difficulty });
    return worker;
  }
}
