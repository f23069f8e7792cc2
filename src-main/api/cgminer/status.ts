/**
 * cgminer RPC STATUS sections. Codes and message texts are cgminer's own (api.c `MSG_*` and the
 * `codes[]` table; docs/features.md §(e)1), because clients key on `Code` and `STATUS`.
 */

/** W(arning), I(nformational), S(uccess), E(rror), F(atal). */
export type StatusLetter = 'W' | 'I' | 'S' | 'E' | 'F';

export interface CgminerStatus {
  STATUS: StatusLetter;
  When: number;
  Code: number;
  Msg: string;
  Description: string;
}

export const MSG = {
  POOL: 7,
  NOPOOL: 8,
  DEVS: 9,
  NODEVS: 10,
  SUMM: 11,
  INVCMD: 14,
  MISID: 15,
  VERSION: 22,
  INVJSON: 23,
  MISCMD: 24,
  MINECONFIG: 33,
  ACCDENY: 45,
  ACCOK: 46,
  DEVDETAILS: 69,
  MINESTATS: 70,
  MISCHK: 71,
  CHECK: 72,
  MINECOIN: 78,
  ZERMIS: 94,
  ZERINV: 95,
  ZERSUM: 96,
  ZERNOSUM: 97,
  NUMASC: 104,
  ASCNON: 105,
  ASCDEV: 106,
  INVASC: 107,
  /** HashDeck's own: the best-shares list (cgminer has no such command; a code above its table). */
  BESTSHARES: 300,
} as const;

export function status(letter: StatusLetter, code: number, msg: string, whenS: number, description: string): CgminerStatus {
  return { STATUS: letter, When: whenS, Code: code, Msg: msg, Description: description };
}
