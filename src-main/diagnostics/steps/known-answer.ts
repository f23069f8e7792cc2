/**
 * Known-answer test: block 125552 sent with a starting nonce just below its nonce. The returned
 * answer is re-hashed on the host and must give the real block hash. When nothing comes back the
 * verdict waits for the hashing run (see `settleKnownAnswer`): a chip that hashes normally but
 * returns nothing here ignores the starting nonce, which is reported rather than failed.
 */
import { hashToDisplayHex } from '../../bitcoin/sha256d.js';
import type { DiagnosticNonce } from '../board-under-test.js';
import type { Clock } from '../clock.js';
import { checkNonce, chipTicketTarget } from '../hash-session.js';
import { KNOWN_ANSWER_HASH_DISPLAY, KNOWN_ANSWER_NONCE, knownAnswerJob } from '../known-answer-block.js';
import { outcome, type StepContext, type StepOutcome } from './step-context.js';

export interface KnownAnswerResult {
  result: StepOutcome;
  /** True when no nonce at all came back: the verdict depends on whether the chip hashes otherwise. */
  noResponse: boolean;
}

export async function knownAnswerStep(ctx: StepContext, clock: Clock): Promise<KnownAnswerResult> {
  const fields = knownAnswerJob();
  const target = chipTicketTarget(ctx.board);
  const startingNonce = (KNOWN_ANSWER_NONCE - ctx.options.knownAnswerLeadNonces) >>> 0;
  const received: DiagnosticNonce[] = [];
  let handle: number | null = null;
  const early: DiagnosticNonce[] = [];
  const off = ctx.board.onNonce((n) => (handle === null ? early.push(n) : n.jobHandle === handle && received.push(n)));
  const startMs = clock.now();
  let answerMs: number | null = null;
  try {
    handle = await ctx.board.sendJob(fields, startingNonce);
    received.push(...early.filter((n) => n.jobHandle === handle));
    const timeoutMs = ctx.options.knownAnswerTimeoutMs;
    while (clock.now() - startMs < timeoutMs) {
      if (received.some((n) => n.nonce === KNOWN_ANSWER_NONCE)) {
        answerMs = clock.now() - startMs;
        break;
      }
      ctx.progress((clock.now() - startMs) / timeoutMs, `${received.length} nonce(s) so far`);
      await clock.sleep(Math.min(ctx.options.tickMs, timeoutMs - (clock.now() - startMs)));
    }
    if (answerMs === null && received.some((n) => n.nonce === KNOWN_ANSWER_NONCE)) answerMs = clock.now() - startMs;
  } catch (err) {
    return { noResponse: false, result: outcome('fail', `Sending the known-answer job failed: ${(err as Error).message}.`) };
  } finally {
    off();
    await ctx.board.stopHashing();
  }

  let valid = 0;
  let invalid = 0;
  for (const n of received) {
    if (checkNonce(fields, n, target).valid) valid++;
    else invalid++;
  }
  const figures = {
    startingNonce: hex8(startingNonce),
    expectedNonce: hex8(KNOWN_ANSWER_NONCE),
    noncesReturned: received.length,
    validNonces: valid,
    invalidNonces: invalid,
    answerMs,
  };
  const answer = received.find((n) => n.nonce === KNOWN_ANSWER_NONCE);
  if (answer) {
    const { hash } = checkNonce(fields, answer, target);
    const display = hashToDisplayHex(hash);
    if (display === KNOWN_ANSWER_HASH_DISPLAY) {
      return { noResponse: false, result: outcome('pass', `The chip returned nonce ${hex8(KNOWN_ANSWER_NONCE)}, which re-hashes to the real block hash.`, { ...figures, blockHash: display }) };
    }
    return {
      noResponse: false,
      result: outcome('fail', `The chip returned the expected nonce with version 0x${(answer.version >>> 0).toString(16)}, which does not give the block hash.`, { ...figures, blockHash: display }),
    };
  }
  if (received.length === 0) {
    return { noResponse: true, result: outcome('fail', `No nonce came back for the known-answer job within ${ctx.options.knownAnswerTimeoutMs} ms.`, figures) };
  }
  if (valid === 0) {
    return { noResponse: false, result: outcome('fail', `The chip returned ${invalid} nonce(s) for the known-answer job and none of them is valid.`, figures) };
  }
  return {
    noResponse: false,
    result: outcome('n/a', `The chip returned ${valid} valid nonce(s) for the known-answer job but not the answer: it does not start at the given nonce (chip ignores starting nonce).`, figures),
  };
}

/** Decide a no-response known-answer step once the hashing run shows whether the chip hashes at all. */
export function settleKnownAnswer(kat: KnownAnswerResult, hashingValidNonces: number | null): StepOutcome {
  if (!kat.noResponse) return kat.result;
  if (hashingValidNonces !== null && hashingValidNonces > 0) {
    return outcome(
      'n/a',
      `No nonce came back for the known-answer job, but the chip hashes otherwise (${hashingValidNonces} valid nonces in the hashing run): chip ignores starting nonce.`,
      kat.result.figures,
    );
  }
  return kat.result;
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
