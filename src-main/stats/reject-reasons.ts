/**
 * Plain-language explanations of pool reject reasons. Pools word these freely ("Job not found",
 * "Stale", "job-not-found", "21 Job not found"), so matching is by case-insensitive keywords.
 */

interface RejectRule {
  /** Short stable key for breakdowns. */
  key: string;
  pattern: RegExp;
  explanation: string;
  /** The share was too late for its job: counted as stale, not as rejected (docs/cli.md §4). */
  stale: boolean;
}

const RULES: readonly RejectRule[] = [
  {
    key: 'job-not-found',
    pattern: /job.?not.?found|unknown.?job|invalid.?job|job.?id/i,
    explanation: 'the pool had already moved to a new block; this share arrived too late',
    stale: true,
  },
  {
    key: 'stale',
    pattern: /stale|expired|too.?late|old.?job/i,
    explanation: 'the share was for work the pool had already replaced (usually a new block); it arrived too late',
    stale: true,
  },
  {
    key: 'duplicate',
    pattern: /duplicate|dupe/i,
    explanation: 'the pool already received this exact share; the same nonce was submitted twice',
    stale: false,
  },
  {
    key: 'low-difficulty',
    pattern: /low.?diff|diff.*too.?low|above.?target|high.?hash|target/i,
    explanation: 'the share did not reach the difficulty the pool asked for (often a difficulty change raced the share)',
    stale: false,
  },
  {
    key: 'unauthorized',
    pattern: /unauthori[sz]ed|not.?authori[sz]ed|auth|worker/i,
    explanation: 'the pool does not recognise this worker; check the user name (often address.worker) and password',
    stale: false,
  },
  {
    key: 'not-subscribed',
    pattern: /not.?subscribed|subscri/i,
    explanation: 'the connection had not finished subscribing when the share was sent; it will reconnect',
    stale: false,
  },
  {
    key: 'ntime',
    pattern: /n?time|timestamp/i,
    explanation: "the share's timestamp was outside the range the pool allows; check the computer's clock",
    stale: false,
  },
  {
    key: 'version',
    pattern: /version|mask/i,
    explanation: 'the rolled block version used bits the pool did not allow (version-rolling mask mismatch)',
    stale: false,
  },
  {
    key: 'extranonce',
    pattern: /extra.?nonce|nonce.?size/i,
    explanation: 'the extranonce did not match what the pool assigned to this connection',
    stale: false,
  },
  {
    key: 'bad-share',
    pattern: /invalid|malformed|bad|coinbase|merkle/i,
    explanation: 'the pool found the share invalid; if this repeats it points to a software or board fault',
    stale: false,
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

/** True for replies that mean "too late for the job" (counted as stale, not rejected). */
export function isStaleReason(reason: string | null | undefined): boolean {
  return !!reason && (ruleFor(reason)?.stale ?? false);
}

/** The explanation for every known reason key (for a help panel). */
export function rejectExplanations(): Record<string, string> {
  return Object.fromEntries(RULES.map((r) => [r.key, r.explanation]));
}

function ruleFor(reason: string): RejectRule | undefined {
  return RULES.find((r) => r.pattern.test(reason));
}
