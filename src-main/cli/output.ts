/**
 * CLI output: with --json one JSON object per line on stdout (events, then the summary);
 * otherwise readable lines. Secrets never reach here (events carry none).
 */
import type { EngineEvent, MineSummary } from '@shared/contract';
import { formatDifficulty, formatHashrate } from '@shared/format.js';

export function humanEvent(e: EngineEvent): string | null {
  const time = new Date(e.atMs).toISOString().slice(11, 19);
  switch (e.type) {
    case 'log':
      return e.level === 'debug' ? null : `${time} ${e.level.toUpperCase().padEnd(5)} [${e.scope}] ${e.text}`;
    case 'board':
      return `${time} BOARD ${e.boardId} → ${e.state}${e.detail ? `: ${e.detail}` : ''}`;
    case 'share':
      return e.result === 'pending'
        ? null
        : `${time} SHARE ${e.result}${e.reason ? ` (${e.reason})` : ''} diff ${formatDifficulty(e.difficulty)} / ${formatDifficulty(e.targetDifficulty)} from ${e.boardId}`;
    case 'block':
      return `${time} BLOCK ${e.accepted ? 'ACCEPTED' : 'NOT ACCEPTED'} height ${e.height ?? '?'} ${e.hash} (${e.result})`;
    case 'pool':
      return `${time} POOL ${e.url} ${e.state}${e.detail ? `: ${e.detail}` : ''}`;
    case 'warning':
      return `${time} ${e.warning.level.toUpperCase()} ${e.warning.text}`;
    case 'nonce':
      return null;
    default:
      // Other events (diagnostics progress) have their own printers.
      return null;
  }
}

export function humanSummary(s: MineSummary): string {
  return [
    `Summary after ${s.durationS.toFixed(1)} s${s.emulated ? ' (EMULATED board figures)' : ''}:`,
    `  hashrate ${formatHashrate(s.hashrateHs)}; nonces ${s.nonces} (valid ${s.validNonces}, hardware errors ${s.hwErrors})`,
    `  shares accepted ${s.sharesAccepted}, rejected ${s.sharesRejected}, stale ${s.sharesStale}; blocks ${s.blocksFound}`,
    `  best difficulty ${formatDifficulty(s.bestDifficulty)} (all time ${formatDifficulty(s.bestDifficultyAllTime)})`,
    ...s.networkMiners.map(
      (m) =>
        `  network miner ${m.worker}: ${formatHashrate(m.hashrateHs)}, shares accepted ${m.sharesAccepted}, rejected ${m.sharesRejected}; blocks ${m.blocksFound}; best ${formatDifficulty(m.bestDifficulty)}`,
    ),
  ].join('\n');
}
