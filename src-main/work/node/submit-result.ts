/**
 * What submitblock's answer means (docs/stratum-and-gbt.md §3.6): null = accepted;
 * "duplicate" = already known and valid (a retry of our own block that had got through);
 * "inconclusive" = not (yet) on the best chain; anything else is a BIP22 reject reason.
 * bcoin prefixes its reasons with "rejected: ".
 */
export interface SubmitVerdict {
  /** 'accepted', 'duplicate', 'inconclusive' or the reject reason. */
  result: string;
  accepted: boolean;
}

export function interpretSubmitResult(answer: unknown): SubmitVerdict {
  if (answer === null || answer === undefined) return { result: 'accepted', accepted: true };
  if (typeof answer !== 'string') return { result: `unexpected answer ${JSON.stringify(answer).slice(0, 80)}`, accepted: false };
  const reason = answer.replace(/^rejected:\s*/, '').trim() || 'rejected';
  if (reason === 'duplicate') return { result: 'duplicate', accepted: true };
  return { result: reason, accepted: false };
}
