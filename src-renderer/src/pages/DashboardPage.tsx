/** Totals, the live chart, work source status and a card per board. */
import { useMemo, useState } from 'react';
import { useEngine } from '../state/store.js';
import { BoardCard } from '../components/BoardCard.js';
import { EmptyState } from '../components/EmptyState.js';
import { PoolStatus } from '../components/PoolStatus.js';
import { Stat } from '../components/Stat.js';
import { TimeChart, type TimeChartData } from '../components/TimeChart.js';
import { Warnings } from '../components/Warnings.js';
import { NetworkMinersSection } from '../components/network/NetworkMinersSection.js';
import { formatDifficulty, formatEstimate, formatEstimateRange, formatHashrate, formatNumber, formatPercent, hwErrorPercent, MISSING } from '../lib/format.js';
import { headlineEstimate, WINDOW_LABEL } from '../lib/estimates.js';
import { EconomicsPanel } from '../components/economics/EconomicsPanel.js';
import { EfficiencyStat } from '../components/economics/EfficiencyStat.js';
import { AxeosCard } from '../components/fleet/AxeosCard.js';
import { AxeosDetail } from '../components/fleet/AxeosDetail.js';
import { FleetStat } from '../components/fleet/FleetStat.js';
import { RigControls } from '../components/operation/RigControls.js';
import { BestShares } from '../components/BestShares.js';

export function DashboardPage(): React.JSX.Element {
  const snapshot = useEngine((s) => s.snapshot);
  const live = useEngine((s) => s.live);
  const [openDevice, setOpenDevice] = useState<string | null>(null);
  const chartData = useMemo<TimeChartData>(
    () => ({ timeS: live.map((p) => p.timeS), hashrateHs: live.map((p) => p.hashrateHs), asicTempC: live.map((p) => p.asicTempC), powerW: live.map((p) => p.powerW) }),
    [live],
  );
  if (!snapshot) {
    return (
      <EmptyState title="Waiting for the engine" testId="dashboard-empty">
        No state has arrived yet. The dashboard fills in as soon as the engine answers.
      </EmptyState>
    );
  }
  const t = snapshot.totals;
  const head = headlineEstimate(t.hashrate);
  const hwPct = hwErrorPercent(t.validNonces, t.hwErrors);
  const emulated = snapshot.boards.some((b) => b.emulated);
  const others = head ? (['1m', '10m', '1h', '24h'] as const).filter((w) => w !== head.window) : [];
  const devices = snapshot.axeosDevices;
  const opened = devices.find((d) => d.id === openDevice) ?? null;

  return (
    <div className="page dashboard">
      <Warnings warnings={snapshot.warnings} />
      <RigControls snapshot={snapshot} />
      <section className="stats" aria-label="totals">
        <div className="stat stat-hero" title={head ? formatEstimateRange(head.estimate) : undefined}>
          <div className="stat-label">
            Hashrate {head ? `(${WINDOW_LABEL[head.window]}, 95 % interval)` : ''}
            {emulated ? <span className="badge badge-emulated small">includes emulated</span> : null}
          </div>
          <div className="stat-value" data-testid="total-hashrate">
            {head ? formatEstimate(head.estimate) : MISSING}
          </div>
          <div className="stat-sub">
            {head
              ? others.map((w) => (
                  <span key={w} className="window" data-testid={`total-hashrate-${w}`}>
                    {WINDOW_LABEL[w]} {formatEstimate(t.hashrate[w])}
                  </span>
                ))
              : 'warming up: waiting for the first valid nonces'}
          </div>
        </div>
        <FleetStat snapshot={snapshot} />
        <Stat
          label={emulated ? 'Expected (real chips)' : 'Expected'}
          value={formatHashrate(t.expectedHashrateHs)}
          sub={`since first job ${formatHashrate(snapshot.firstJobAtMs === null ? null : t.hashrateHs)}`}
          title={emulated ? 'Emulated boards count at the rate real chips of their model would hash; the emulator itself hashes on the CPU.' : undefined}
          testId="total-expected"
        />
        <EfficiencyStat snapshot={snapshot} />
        <Stat
          label="Shares"
          value={
            <span data-testid="total-shares">
              <span className="tone-good">{formatNumber(t.sharesAccepted)}</span> / <span className="tone-bad">{formatNumber(t.sharesRejected)}</span> /{' '}
              <span className="tone-warn">{formatNumber(t.sharesStale)}</span>
            </span>
          }
          sub="accepted / rejected / stale"
        />
        <Stat
          label="HW errors"
          value={formatPercent(hwPct)}
          sub={`${formatNumber(t.hwErrors)} of ${formatNumber(t.validNonces + t.hwErrors)} nonces`}
          testId="total-hw"
          tone={hwPct !== null && hwPct > 2 ? 'warn' : undefined}
        />
        <Stat
          label="Best difficulty"
          value={formatDifficulty(t.bestDifficulty)}
          sub={<span data-testid="best-alltime">all-time {formatDifficulty(t.bestDifficultyAllTime)}</span>}
          testId="best-session"
        />
        <Stat
          label="Blocks"
          value={formatNumber(t.blocksFound)}
          sub={
            snapshot.network
              ? `network ${formatDifficulty(snapshot.network.difficulty)}${snapshot.network.height !== null ? ` · height ${formatNumber(snapshot.network.height)}` : ''}`
              : 'network unknown'
          }
          testId="total-blocks"
          tone={t.blocksFound > 0 ? 'good' : undefined}
        />
      </section>
      <section className="row">
        <div className="panel chart-panel">
          <div className="panel-title">Live · last 15 min</div>
          {chartData.timeS.length < 2 ? (
            <EmptyState title="Collecting points">The chart starts after two updates from the engine.</EmptyState>
          ) : (
            <TimeChart data={chartData} height={200} testId="live-chart" />
          )}
        </div>
        <div className="panel work-panel">
          <div className="panel-title">{snapshot.node ? 'Node (solo)' : 'Pools'}</div>
          <PoolStatus snapshot={snapshot} />
        </div>
      </section>
      <BestShares shares={snapshot.bestShares} nowMs={snapshot.nowMs} />
      <EconomicsPanel snapshot={snapshot} />
      <section className="panel">
        <div className="panel-title">
          Boards <span className="muted">{snapshot.boards.length}</span>
          {devices.length > 0 ? (
            <>
              {' '}
              · Wi-Fi <span className="muted">{devices.length}</span>
            </>
          ) : null}
        </div>
        {snapshot.boards.length === 0 && devices.length === 0 ? (
          <EmptyState title="No boards" testId="no-boards">
            Plug in a board or start with <code>--device emulator</code>. USB boards are picked up automatically; Wi-Fi miners (AxeOS) are added by address in Settings or with <code>--axeos</code>.
          </EmptyState>
        ) : (
          <div className="board-grid" data-testid="board-grid">
            {snapshot.boards.map((b) => (
              <BoardCard key={b.id} board={b} />
            ))}
            {devices.map((d) => (
              <AxeosCard key={d.id} device={d} open={d.id === openDevice} onOpen={(id) => setOpenDevice(id === openDevice ? null : id)} />
            ))}
          </div>
        )}
      </section>
      <NetworkMinersSection snapshot={snapshot} />
      {opened ? <AxeosDetail key={opened.id} device={opened} onClose={() => setOpenDevice(null)} /> : null}
    </div>
  );
}
