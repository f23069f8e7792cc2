/** Charts from the ledger: 1 h / 24 h / 30 d, all boards or one. */
import { useEffect, useState } from 'react';
import { useEngine } from '../state/store.js';
import { EmptyState } from '../components/EmptyState.js';
import { TimeChart } from '../components/TimeChart.js';
import { HistoryExport } from '../components/HistoryExport.js';
import { historyHasData, normaliseHistory, type HistoryColumns } from '../lib/history.js';

const RANGES = ['1h', '24h', '30d'] as const;
type Range = (typeof RANGES)[number];

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; data: HistoryColumns };
/** A finished request, for the range and board it was made for. */
type Loaded = { key: string; load: Load };

export function HistoryPage(): React.JSX.Element {
  const request = useEngine((s) => s.request);
  const connection = useEngine((s) => s.connection);
  const boards = useEngine((s) => s.snapshot?.boards);
  const devices = useEngine((s) => s.snapshot?.axeosDevices);
  const networkMiners = useEngine((s) => s.snapshot?.networkMiners);
  const [range, setRange] = useState<Range>('24h');
  // A network miner's card links here with ?board=net:<worker>.
  const [boardId, setBoardId] = useState<string>(() => new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('board') ?? '');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const key = `${range}|${boardId}`;
  // Until the answer for this range and board arrives, the page is loading.
  const load: Load = loaded?.key === key ? loaded.load : { state: 'loading' };

  useEffect(() => {
    if (connection !== 'open') return;
    let cancelled = false;
    const forKey = `${range}|${boardId}`;
    request(boardId ? { type: 'getHistory', range, boardId } : { type: 'getHistory', range })
      .then((reply) => {
        if (!cancelled) setLoaded({ key: forKey, load: { state: 'done', data: normaliseHistory(reply) } });
      })
      .catch((err: unknown) => {
        if (!cancelled) setLoaded({ key: forKey, load: { state: 'error', message: err instanceof Error ? err.message : String(err) } });
      });
    return () => {
      cancelled = true;
    };
  }, [range, boardId, request, connection]);

  return (
    <div className="page">
      <div className="panel">
        <div className="toolbar">
          <div className="segmented" role="tablist" aria-label="range">
            {RANGES.map((r) => (
              <button key={r} type="button" role="tab" aria-selected={r === range} className={r === range ? 'on' : ''} onClick={() => setRange(r)}>
                {r}
              </button>
            ))}
          </div>
          <select value={boardId} onChange={(e) => setBoardId(e.target.value)} aria-label="board">
            <option value="">All boards</option>
            {(boards ?? []).map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
            {devices && devices.length > 0 ? (
              <optgroup label="Wi-Fi (AxeOS)">
                {devices.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.hostname ?? d.address} (Wi-Fi)
                  </option>
                ))}
              </optgroup>
            ) : null}
            {networkMiners && networkMiners.length > 0 ? (
              <optgroup label="Network miners">
                {(networkMiners ?? []).map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.worker} (network)
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
          <HistoryExport range={range} />
        </div>
        {connection !== 'open' ? (
          <EmptyState title="Not connected">History loads when the engine is reachable.</EmptyState>
        ) : load.state === 'loading' ? (
          <EmptyState title="Loading history…" />
        ) : load.state === 'error' ? (
          <EmptyState title="History unavailable" testId="history-error">
            {load.message}
          </EmptyState>
        ) : !historyHasData(load.data) ? (
          <EmptyState title="No history yet" testId="history-empty">
            The engine records a point every 5 seconds while mining; this range has none yet. Come back after a few minutes of hashing.
          </EmptyState>
        ) : (
          <TimeChart data={load.data} height={380} testId="history-chart" />
        )}
      </div>
    </div>
  );
}
