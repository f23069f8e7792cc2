/** Settings page section: the economics inputs and the statistics reset buttons. */
import type { BoardSnapshot } from '@shared/contract';
import { useEngine } from '../../state/store.js';
import { EconomicsInputsForm } from './EconomicsInputsForm.js';
import { StatsReset } from './StatsReset.js';
import './economics.css';

const NO_BOARDS: readonly BoardSnapshot[] = [];

export function EconomicsSettingsSection(): React.JSX.Element {
  const boards = useEngine((s) => s.snapshot?.boards ?? NO_BOARDS);
  return (
    <>
      <section className="panel" aria-label="economics inputs" data-testid="settings-economics">
        <div className="panel-title">Economics</div>
        <p className="muted small">Used for cost, revenue and efficiency on the Dashboard. Stored in this browser only; no prices are fetched online.</p>
        <EconomicsInputsForm boards={boards} />
      </section>
      <section className="panel" aria-label="statistics reset">
        <div className="panel-title">Statistics</div>
        <StatsReset />
      </section>
    </>
  );
}
