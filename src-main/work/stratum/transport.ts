/**
 * Opens the pool socket: TCP for stratum+tcp, TLS for stratum+ssl. TCP keepalive and no-delay as
 * ESP-Miner sets them (docs/stratum-and-gbt.md §1.1). TLS verifies the certificate chain unless the
 * user accepts self-signed certificates or pins the server certificate's SHA-256 fingerprint.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { PoolAddress } from './pool-url.js';

export interface StratumTlsOptions {
  /** Accept any certificate (self-signed pools). Weaker than pinning; prefer `fingerprintSha256`. */
  allowSelfSigned?: boolean;
  /** Pin: the server certificate's SHA-256 fingerprint (hex, colons optional). Overrides CA checks. */
  fingerprintSha256?: string;
  /** Extra trusted CA certificates (PEM). */
  ca?: string | Buffer | Array<string | Buffer>;
}

export interface OpenSocketOptions {
  tls?: StratumTlsOptions;
  keepAliveMs: number;
  connectTimeoutMs: number;
}

export function normaliseFingerprint(fp: string): string {
  const hex = fp.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('a certificate fingerprint must be 64 hex digits (SHA-256)');
  return hex;
}

/** Resolves once connected (TLS: handshake done and certificate accepted). */
export function openSocket(addr: PoolAddress, options: OpenSocketOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let socket: net.Socket;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`connect to ${addr.host}:${addr.port} timed out after ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('error', fail);
      socket.setKeepAlive(true, options.keepAliveMs);
      socket.setNoDelay(true);
      resolve(socket);
    };
    if (!addr.tls) {
      socket = net.connect({ host: addr.host, port: addr.port });
      socket.once('connect', done);
    } else {
      const pin = options.tls?.fingerprintSha256 ? normaliseFingerprint(options.tls.fingerprintSha256) : null;
      const connectOptions: tls.ConnectionOptions = {
        host: addr.host,
        port: addr.port,
        rejectUnauthorized: pin === null && options.tls?.allowSelfSigned !== true,
      };
      if (!net.isIP(addr.host)) connectOptions.servername = addr.host;
      if (options.tls?.ca) connectOptions.ca = options.tls.ca;
      const tlsSocket = tls.connect(connectOptions);
      socket = tlsSocket;
      tlsSocket.once('secureConnect', () => {
        if (pin !== null) {
          const seen = tlsSocket.getPeerCertificate()?.fingerprint256;
          if (!seen || normaliseFingerprint(seen) !== pin) {
            fail(new Error(`TLS certificate fingerprint of ${addr.host} does not match the pinned one`));
            return;
          }
        }
        done();
      });
    }
    socket.once('error', fail);
  });
}
