/**
 * Plain-language explanations of pool reject reasons. Pools word these freely ("Job not found",
 * "Stale", "job-not-found", "21 Job not found"), so matching is by case-insensitive keywords.
 * Whether a reason means "too late" (stale) is decided by the one stale-reject rule; this table
 * only explains, so a reason explained as "too late" is always one counted as stale.
 */
import { staleRejectKind, type StaleRejectKind } from '../work/stratum/stale-reject.js';

interface ReasonExplanation {
  /** Short stable key for breakdowns. */
  key: string;
  explanation: string;
}

interface RejectRule extends ReasonExplanation {
  pattern: RegExp;
}

const STALE_EXPLANATIONS: Record<StaleRejectKind, ReasonExplanation> = {
  'job-not-found': { key: 'job-not-found', explanation: 'the pool had already moved to a new block; this share arrived too late' },
  stale: { key: 'stale', explanation: 'the share was for work the pool had already replaced (usually a new block); it arrived too late' },
};

/** Real rejections, first match wins (stale replies are caught before by the stale-reject rule). */
const RULES: readonly RejectRule[] = [
  {
    key: 'duplicate',
    pattern: /duplicate|dupe/i,
    explanation: 'the pool already received this exact share; the same nonce was submitted twice',
  },
  {
    key: 'low-difficulty',
    pattern: /low.?diff|diff.*too.?low|above.?target|high.?hash|target/i,
    explanation: 'the share did not reach the difficulty the pool asked for (often a difficulty change raced the share)',
  },
  {
    key: 'unauthorized',
    pattern: /unauthori[sz]ed|not.?authori[sz]ed|auth|worker/i,
    explanation: 'the pool does not recognise this worker; check the user name (often address.worker) and password',
  },
  {
    key: 'not-subscribed',
    pattern: /not.?subscribed|subscri/i,
    explanation: 'the connection had not finished subscribing when the share was sent; it will reconnect',
  },
  {
    key: 'ntime',
    pattern: /n?time|timestamp/i,
    explanation: "the share's timestamp was outside the range the pool allows; check the computer's clock",
  },
  {
    key: 'version',
    pattern: /version|mask/i,
    explanation: 'the rolled block version used bits the pool did not allow (version-rolling mask mismatch)',
  },
  {
    key: 'extranonce',
    pattern: /extra.?nonce|nonce.?size/i,
    explanation: 'the extranonce did not match what the pool assigned to this connection',
  },
  {
    key: 'bad-share',
    pattern: /invalid|malformed|bad|coinbase|merkle/i,
    explanation: 'the pool found the share invalid; if this repeats it points to a software or board fault',
  },
];

/** Breakdown key for a reject reason ('other' when no rule matches, 'unknown' when absent). */
export function rejectReasonKey(reason: string | null | undefined): string {
  if (!reason) return 'unknown';
  return ruleFor(reason)?.key ?? 'other';
}

/** A sentence a person can act on; falls back to quoting the pool. */
export function explainReject(reason: string | null | undefined): string {
  if (!reason || !reason.trim()) return 'the pool rejected this share without giving a reason';
  const rule = ruleFor(reason);
  return rule ? rule.explanation : `the pool rejected this share: "${reason.trim()}"`;
}

/** The explanation for every known reason key (for a help panel). */
export function rejectExplanations(): Record<string, string> {
  return Object.fromEntries([...Object.values(STALE_EXPLANATIONS), ...RULES].map((r) => [r.key, r.explanation]));
}

function ruleFor(reason: string): ReasonExplanation | undefined {
  const stale = staleRejectKind(null, reason);
  return stale ? STALE_EXPLANATIONS[stale] : RULES.find((r) => r.pattern.test(reason));
}
