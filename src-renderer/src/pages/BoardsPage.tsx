/** Every board in a dense table; a row opens its per-chip figures. */
import { useState } from 'react';
import type { BoardSnapshot } from '@shared/contract';
import { useEngine } from '../state/store.js';
import { EmptyState } from '../components/EmptyState.js';
import { EmulatedBadge } from '../components/EmulatedBadge.js';
import { formatDifficulty, formatDuration, formatEstimate, formatHashrate, formatNumber, formatPercent, formatTemps, formatUnit, hwErrorPercent, MISSING } from '../lib/format.js';
import { headlineEstimate } from '../lib/estimates.js';
import { AxeosTable } from '../components/fleet/AxeosTable.js';
import { ExpandableRow, ExpandableTitleCell } from '../components/ExpandableRow.js';

function ChipTable({ board }: { board: BoardSnapshot }): React.JSX.Element {
  if (board.chips.length === 0) return <EmptyState title="No chips enumerated">The chain has not answered enumeration yet.</EmptyState>;
  const hasCounters = board.chips.some((c) => c.counterHashrateHs !== null);
  return (
    <table className="table chips" data-testid={`chips-${board.id}`}>
      <thead>
        <tr>
          <th>Chip</th>
          <th>Address</th>
          <th className="num">Valid nonces</th>
          <th className="num">HW errors</th>
          <th className="num">Hashrate (nonces)</th>
          {hasCounters ? <th className="num">Hashrate (counters)</th> : null}
        </tr>
      </thead>
      <tbody>
        {board.chips.map((c) => (
          <tr key={c.index}>
            <td>#{c.index}</td>
            <td>0x{c.address.toString(16).padStart(2, '0')}</td>
            <td className="num">{formatNumber(c.validNonces)}</td>
            <td className="num">{formatNumber(c.hwErrors)}</td>
            <td className="num">{formatHashrate(c.hashrateHs)}</td>
            {hasCounters ? <td className="num">{formatHashrate(c.counterHashrateHs)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BoardsPage(): React.JSX.Element {
  const snapshot = useEngine((s) => s.snapshot);
  const [open, setOpen] = useState<string | null>(null);
  if (!snapshot) return <EmptyState title="Waiting for the engine" />;
  if (snapshot.boards.length === 0)
    return (
      <div className="page">
        <EmptyState title="No boards" testId="no-boards">
          Plug in a board or start with <code>--device emulator</code>.
        </EmptyState>
        <AxeosTable devices={snapshot.axeosDevices} />
      </div>
    );
  return (
    <div className="page">
      <div className="panel table-wrap">
        <table className="table boards" data-testid="boards-table">
          <thead>
            <tr>
              <th>Board</th>
              <th>State</th>
              <th className="num">Chips</th>
              <th className="num">MHz</th>
              <th className="num">Hashrate</th>
              <th className="num">Expected</th>
              <th className="num">Power</th>
              <th className="num">ASIC / VR</th>
              <th className="num">Fan</th>
              <th className="num">Valid</th>
              <th className="num">HW err</th>
              <th className="num">Best diff</th>
            </tr>
          </thead>
          <tbody>
            {snapshot.boards.map((b) => {
              const head = headlineEstimate(b.hashrate);
              const isOpen = open === b.id;
              return (
                <ExpandableRow
                  key={b.id}
                  isOpen={isOpen}
                  onToggle={() => setOpen(isOpen ? null : b.id)}
                  testId={`board-row-${b.id}`}
                  colSpan={12}
                  detail={
                    <div className="detail-grid">
                      <div>
                        ticket difficulty {formatDifficulty(b.ticketDifficulty)} · core {b.sensors.coreVoltageV === null ? MISSING : `${(b.sensors.coreVoltageV * 1000).toFixed(0)} mV`} · input{' '}
                        {formatUnit(b.sensors.inputVoltageV, 'V', 2)} · current {formatUnit(b.sensors.currentA, 'A', 2)} · nonces read {formatNumber(b.counters.nonces)} · bad frames{' '}
                        {formatNumber(b.framesBad)} · up {formatDuration(snapshot.nowMs - b.startedAtMs)}
                      </div>
                      <ChipTable board={b} />
                    </div>
                  }
                >
                  <ExpandableTitleCell isOpen={isOpen} name={b.name} model={b.model.toUpperCase()} badge={b.emulated ? <EmulatedBadge scaleBits={b.scaleBits} /> : null} sub={b.path} />
                  <td title={b.stateDetail ?? undefined}>{b.state}</td>
                  <td className="num">{b.chipsExpected !== null ? `${b.chipsFound}/${b.chipsExpected}` : b.chipsFound}</td>
                  <td className="num">{b.frequencyMhz.toFixed(0)}</td>
                  <td className="num">{head ? formatEstimate(head.estimate) : MISSING}</td>
                  <td className="num">{formatHashrate(b.expectedHashrateHs)}</td>
                  <td className="num">{formatUnit(b.sensors.powerW, 'W')}</td>
                  <td className="num">{formatTemps(b.sensors.asicTempC, b.sensors.vrTempC)}</td>
                  <td className="num">{b.sensors.fanRpm === null ? MISSING : b.sensors.fanRpm.toFixed(0)}</td>
                  <td className="num">{formatNumber(b.counters.validNonces)}</td>
                  <td className="num">{formatPercent(hwErrorPercent(b.counters.validNonces, b.counters.hwErrors))}</td>
                  <td className="num">{formatDifficulty(b.counters.bestDifficulty)}</td>
                </ExpandableRow>
              );
            })}
          </tbody>
        </table>
      </div>
      <AxeosTable devices={snapshot.axeosDevices} />
    </div>
  );
}
