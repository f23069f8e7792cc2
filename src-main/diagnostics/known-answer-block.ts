/**
 * Mainnet block 125552, the Bitcoin Wiki "Block hashing algorithm" example
 * (docs/vectors/block-125552.json; the unit test checks these constants against that file).
 * Its header meets any ticket up to its own difficulty (~244k), so a chip that starts just below
 * the nonce must return it.
 */
import { hashFromDisplayHex } from '../bitcoin/sha256d.js';
import type { DiagnosticJobFields } from './board-under-test.js';

export const KNOWN_ANSWER_NONCE = 0x9546a142;
export const KNOWN_ANSWER_HASH_DISPLAY = '00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d';

export function knownAnswerJob(): DiagnosticJobFields {
  return {
    version: 1,
    prevHash: hashFromDisplayHex('00000000000008a3a41b85b8b29ad444def299fee21793cd8b9e567eab02cd81'),
    merkleRoot: hashFromDisplayHex('2b12fcf1b09288fcaff797d71e950e71ae42b91e8bdb2304758dfcffc2b620e3'),
    ntime: 1305998791,
    nbits: 0x1a44b9f2,
  };
}
