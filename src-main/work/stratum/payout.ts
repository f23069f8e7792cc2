/**
 * Payout check: decode a job's coinbase outputs and measure how much of the value pays the user's
 * own address (docs/stratum-and-gbt.md §6.3). On a solo pool the user is
 * `<address>.<worker>`, and a coinbase that does not pay that address is worth a loud warning.
 * The coinbase is coinb1 ‖ extranonce1 ‖ zero extranonce2 ‖ coinb2 (non-witness, §1.6).
 */
import * as ecc from '@bitcoinerlab/secp256k1';
import { address as btcAddress, initEccLib, networks, Transaction, type Network } from 'bitcoinjs-lib';

// Taproot outputs need an ECC backend to be turned into addresses.
initEccLib(ecc);

const NETWORKS: Array<[string, Network]> = [
  ['bitcoin', networks.bitcoin],
  ['testnet', networks.testnet],
  ['regtest', networks.regtest],
];

export interface UserAddress {
  address: string;
  network: string;
  script: Buffer;
}

/** The part of `user` before the first '.', when it is a valid address on some network. */
export function userPayoutAddress(user: string): UserAddress | null {
  const candidate = user.split('.')[0]!.trim();
  if (candidate.length < 14 || candidate.length > 90) return null;
  for (const [name, net] of NETWORKS) {
    try {
      return { address: candidate, network: name, script: btcAddress.toOutputScript(candidate, net) };
    } catch {
      // not this network
    }
  }
  return null;
}

export interface CoinbaseOutput {
  valueSats: number;
  scriptHex: string;
  /** Address for standard scripts; null for OP_RETURN (witness commitment, pool tags) and others. */
  address: string | null;
  paysUser: boolean;
}

export interface PayoutCheck {
  outputs: CoinbaseOutput[];
  totalSats: number;
  userSats: number;
  /** userSats / totalSats; null when the user is not an address or the coinbase pays nothing. */
  payoutShare: number | null;
  userAddress: string | null;
}

export interface CoinbaseParts {
  coinb1: Uint8Array;
  extranonce1: Uint8Array;
  extranonce2Size: number;
  coinb2: Uint8Array;
}

/** Decode the coinbase; throws a clear error when the parts do not form a transaction. */
export function checkPayout(parts: CoinbaseParts, user: string): PayoutCheck {
  const raw = Buffer.concat([parts.coinb1, parts.extranonce1, Buffer.alloc(parts.extranonce2Size), parts.coinb2]);
  let tx: Transaction;
  try {
    tx = Transaction.fromBuffer(raw);
  } catch (err) {
    throw new Error(`coinbase does not decode: ${(err as Error).message}`);
  }
  const who = userPayoutAddress(user);
  const net = who ? NETWORKS.find(([n]) => n === who.network)![1] : networks.bitcoin;
  let totalSats = 0;
  let userSats = 0;
  const outputs = tx.outs.map((out) => {
    const script = Buffer.from(out.script);
    let addr: string | null = null;
    try {
      addr = btcAddress.fromOutputScript(script, net);
    } catch {
      addr = null;
    }
    const paysUser = who !== null && script.equals(who.script);
    totalSats += out.value;
    if (paysUser) userSats += out.value;
    return { valueSats: out.value, scriptHex: script.toString('hex'), address: addr, paysUser };
  });
  return {
    outputs,
    totalSats,
    userSats,
    payoutShare: who !== null && totalSats > 0 ? userSats / totalSats : null,
    userAddress: who?.address ?? null,
  };
}
