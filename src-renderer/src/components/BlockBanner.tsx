/** The celebration when the node or pool accepts a block we found. Dismissable. */
import { useEngine } from '../state/store.js';
import { isNetworkMinerId, NETWORK_MINER_ID_PREFIX } from '@shared/contract';
import { formatClock, formatNumber } from '../lib/format.js';

export function BlockBanner(): React.JSX.Element | null {
  const block = useEngine((s) => s.blockBanner);
  const dismiss = useEngine((s) => s.dismissBlockBanner);
  if (!block) return null;
  return (
    <div className="block-banner" role="alert" data-testid="block-banner">
      <div className="block-banner-icon" aria-hidden>
        ★
      </div>
      <div className="block-banner-text">
        <strong>Block found{block.height !== null ? ` at height ${formatNumber(block.height)}` : ''}!</strong>
        <span>
          Accepted by {block.source} at {formatClock(block.atMs)} ·{' '}
          {isNetworkMinerId(block.boardId) ? `network miner ${block.boardId.slice(NETWORK_MINER_ID_PREFIX.length)}` : `board ${block.boardId}`}
        </span>
        <code className="hash">{block.hash}</code>
      </div>
      <button type="button" className="btn" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
