/** Shared types of the nonce scanner. */

export interface ScanHit {
  /** Nonce as header bytes 76..79 read LE. */
  nonce: number;
  /** SHA-256d of the header with this nonce, internal byte order. */
  hash: Buffer;
}

/**
 * Order in which the range is walked. 'header': the LE header nonce runs start, start+1, …
 * 'chip': the BE view of the 4 nonce bytes runs that way, as a BM13xx chip counts (its core id and
 * chip address sit in the top bits of that view, docs/bm13xx-protocol.md §2.5).
 */
export type NonceOrder = 'header' | 'chip';

export type ScannerKind = 'native-sha-ni' | 'native-scalar' | 'typescript';
