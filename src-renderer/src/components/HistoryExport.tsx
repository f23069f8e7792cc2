/**
 * CSV export of the ledger for the History page's range: shares, samples or blocks, through the
 * engine's `exportCsv` command, saved by the browser as a file.
 */
import { useState } from 'react';
import { CSV_EXPORTS, type CsvExport } from '@shared/contract';
import { useEngine } from '../state/store.js';
import './history-export.css';

const RANGE_MS = { '1h': 3_600_000, '24h': 86_400_000, '30d': 30 * 86_400_000 } as const;

/** The range ending now (called from a click, not while rendering). */
function rangeEndingNow(range: keyof typeof RANGE_MS): { fromMs: number; toMs: number } {
  const toMs = Date.now();
  return { fromMs: toMs - RANGE_MS[range], toMs };
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function HistoryExport({ range }: { range: keyof typeof RANGE_MS }): React.JSX.Element {
  const request = useEngine((s) => s.request);
  const [error, setError] = useState<string | null>(null);
  const run = (what: CsvExport): void => {
    const { fromMs, toMs } = rangeEndingNow(range);
    setError(null);
    request({ type: 'exportCsv', what, fromMs, toMs })
      .then((csv) => download(`hashdeck-${what}-${new Date(fromMs).toISOString().slice(0, 16).replace(':', '')}-${range}.csv`, typeof csv === 'string' ? csv : ''))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  return (
    <div className="history-export" data-testid="history-export">
      <span className="muted small">Export {range} as CSV:</span>
      {CSV_EXPORTS.map((w) => (
        <button key={w} type="button" className="btn btn-small" data-testid={`export-${w}`} onClick={() => run(w)}>
          {w}
        </button>
      ))}
      {error ? <span className="tone-bad small">{error}</span> : null}
    </div>
  );
}
