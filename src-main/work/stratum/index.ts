/** Stratum v1 work source: public surface. */
export { StratumSource, type StratumSourceOptions, type StratumPoolConfig } from './stratum-source.js';
export { DEFAULT_TIMERS, type StratumTimers } from './failover.js';
export type { StratumTlsOptions } from './transport.js';
export { parsePoolUrl, type PoolAddress } from './pool-url.js';
export { parsePoolMessage, parseMinerRequest, parseRejectReason, type RejectReason } from './messages.js';
export { isStaleReject, staleRejectKind, JOB_NOT_FOUND_CODE } from './stale-reject.js';
export { notifyToTemplate, coinbaseHeight } from './template.js';
export { checkPayout, userPayoutAddress, type PayoutCheck } from './payout.js';
