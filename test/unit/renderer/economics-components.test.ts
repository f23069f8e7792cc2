import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { engineCommandSchema, type EngineCommand, type EngineSnapshot } from '@shared/contract';
import { defaultEconomicsSettings, type EconomicsSettings } from '../../../src-renderer/src/lib/economics-settings.js';
import { economicsView, efficiencyView } from '../../../src-renderer/src/components/economics/economics-figures.js';
import { EconomicsPanelView } from '../../../src-renderer/src/components/economics/EconomicsPanel.js';
import { EfficiencyStatView } from '../../../src-renderer/src/components/economics/EfficiencyStat.js';
import { LuckPanelView, luckPanelProps } from '../../../src-renderer/src/components/economics/LuckPanel.js';
import { StatsResetView } from '../../../src-renderer/src/components/economics/StatsReset.js';
import { describeResetError, resetCommand, resetReducer, runReset, type ResetState } from '../../../src-renderer/src/components/economics/reset-flow.js';
import { fakeSnapshot } from '../../e2e/fake-engine.js';

/** Visible text of rendered markup (tags dropped, entities decoded), for plain substring checks. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

const settings: EconomicsSettings = { ...defaultEconomicsSettings(), pricePerKwh: 0.15, btcPrice: 100_000 };

function render(s: EngineSnapshot, st = settings): string {
  return text(renderToStaticMarkup(createElement(EconomicsPanelView, { view: economicsView(s, st), mode: s.mode, emulated: s.boards.some((b) => b.emulated) })));
}

describe('EconomicsPanelView', () => {
  it('pool mode: names the window and power source, shows money figures, no solo odds', () => {
    const s = fakeSnapshot(2); // 2 boards, 10 min ≈ 823 GH/s, 29.3 W measured
    const t = render(s);
    expect(t).toContain('10 min window');
    expect(t).toContain('29.3 W measured');
    expect(t).not.toContain('entered');
    expect(t).toContain('Cost / day');
    expect(t).toContain(`${((29.3 * 24 * 0.15) / 1000).toPrecision(3)} USD`); // 0.105 USD
    expect(t).toContain('Expected revenue / day');
    expect(t).toContain('before pool fees');
    expect(t).toContain('Break-even electricity');
    expect(t).toContain('(default, adjust in inputs)');
    expect(t).not.toContain('Chance of a block');
  });
  it('marks entered power in the basis line', () => {
    const s = fakeSnapshot(2);
    s.boards = s.boards.map((b, i) => (i === 1 ? { ...b, sensors: { ...b.sensors, powerW: null } } : b));
    const html = renderToStaticMarkup(createElement(EconomicsPanelView, { view: economicsView(s, { ...settings, enteredBoardW: { 'board-1': 20 } }), mode: 'pool', emulated: false }));
    expect(html).toContain('data-testid="economics-power-entered"');
    expect(text(html)).toContain('34.6 W measured + entered');
  });
  it('solo mode adds the odds', () => {
    const t = render({ ...fakeSnapshot(1), mode: 'solo' });
    expect(t).toContain('Expected value / day');
    expect(t).toContain('Expected time to a block');
    expect(t).toMatch(/Chance of a block in a day 1 in [\d.,]+ (million|billion)/);
  });
  it('empty state instead of numbers when the network is unknown', () => {
    const html = renderToStaticMarkup(
      createElement(EconomicsPanelView, { view: economicsView({ ...fakeSnapshot(1), network: null, mode: 'benchmark' }, settings), mode: 'benchmark', emulated: false }),
    );
    expect(html).toContain('data-testid="economics-empty"');
    expect(text(html)).toContain('none in benchmark mode');
    expect(text(html)).not.toMatch(/USD/);
  });
  it('lists what is missing when prices are not entered', () => {
    const t = render(fakeSnapshot(1), defaultEconomicsSettings());
    expect(t).toContain('BTC price: enter it');
    expect(t).toContain('electricity price: enter it');
  });
});

describe('EfficiencyStatView', () => {
  it('labels entered watts', () => {
    const s = fakeSnapshot(1);
    s.boards = s.boards.map((b) => ({ ...b, sensors: { ...b.sensors, powerW: null } }));
    const html = renderToStaticMarkup(createElement(EfficiencyStatView, { view: efficiencyView(s, { ...defaultEconomicsSettings(), enteredBoardW: { 'board-0': 15 } }) }));
    expect(text(html)).toContain('Efficiency (10 min)');
    expect(html).toContain('data-testid="power-entered"');
    expect(text(html)).toContain('15.0 W entered');
    const none = text(renderToStaticMarkup(createElement(EfficiencyStatView, { view: efficiencyView(s, defaultEconomicsSettings()) })));
    expect(none).toContain('no power figure');
    expect(none).toContain('—');
  });
});

describe('LuckPanelView', () => {
  it('shows luck with the figures behind it', () => {
    const s = fakeSnapshot(1);
    s.totals.hashrate['24h'] = { valueHs: 1e9, lowHs: 0.9e9, highHs: 1.1e9, windowS: 86_400, coveredS: 3600, samples: 10 };
    s.pools = s.pools.map((p) => (p.active ? { ...p, difficulty: 100, sharesAccepted: 9, acceptedDifficulty: 900 } : p));
    const t = text(renderToStaticMarkup(createElement(LuckPanelView, luckPanelProps(s))));
    expect(t).toContain('Luck (this session) 107.4 %');
    expect(t).toContain('9 shares');
    expect(t).toContain('8.4 shares');
    expect(t).toContain('1.00 GH/s × 1h 0m ÷ 2³² ÷ pool difficulty 100');
    expect(t).toContain('Network difficulty 140T');
  });
});

describe('statistics reset', () => {
  it('commands are valid engine commands; all-time carries confirm', () => {
    expect(engineCommandSchema.parse(resetCommand('session'))).toEqual({ type: 'resetStats', scope: 'session' });
    expect(engineCommandSchema.parse(resetCommand('allTime'))).toEqual({ type: 'resetStats', scope: 'allTime', confirm: true });
  });
  it('all-time needs the confirmation step; cancel goes back', () => {
    let s: ResetState = { phase: 'idle' };
    expect(resetReducer(s, { type: 'send', scope: 'allTime' })).toBe(s);
    s = resetReducer(s, { type: 'askAllTime' });
    expect(s.phase).toBe('confirming');
    expect(resetReducer(s, { type: 'cancel' })).toEqual({ phase: 'idle' });
    s = resetReducer(s, { type: 'send', scope: 'allTime' });
    expect(s).toEqual({ phase: 'sending', scope: 'allTime' });
    expect(resetReducer(s, { type: 'send', scope: 'session' })).toBe(s); // one at a time
    expect(resetReducer(s, { type: 'succeeded', scope: 'allTime' }).phase).toBe('done');
  });
  it('sends through the request function and shows a read-only refusal clearly', async () => {
    const sent: EngineCommand[] = [];
    const ok = await runReset(async (c) => void sent.push(c), 'session');
    expect(ok).toEqual({ type: 'succeeded', scope: 'session' });
    expect(sent).toEqual([{ type: 'resetStats', scope: 'session' }]);
    const refusal = 'resetStats refused: this dashboard is read-only (the engine was started without write access)';
    const bad = await runReset(() => Promise.reject(new Error(refusal)), 'allTime');
    expect(bad).toEqual({ type: 'failed', scope: 'allTime', message: refusal });
    const shown = resetReducer({ phase: 'sending', scope: 'allTime' }, bad);
    expect(shown.phase).toBe('failed');
    if (shown.phase === 'failed') expect(shown.text).toMatch(/^The engine refused to reset all-time statistics: this dashboard is read-only/);
    expect(describeResetError('session', 'not connected to the engine')).toMatch(/^Could not reach the engine/);
  });
  it('renders the confirmation dialog and the outcome', () => {
    const noop = (): void => undefined;
    const confirming = renderToStaticMarkup(createElement(StatsResetView, { state: { phase: 'confirming' }, onAction: noop }));
    expect(confirming).toContain('role="alertdialog"');
    expect(text(confirming)).toContain('Yes, reset all-time stats');
    const idle = renderToStaticMarkup(createElement(StatsResetView, { state: { phase: 'idle' }, onAction: noop }));
    expect(idle).not.toContain('alertdialog');
    const failed = text(renderToStaticMarkup(createElement(StatsResetView, { state: { phase: 'failed', scope: 'session', text: 'The engine refused: read-only' }, onAction: noop })));
    expect(failed).toContain('The engine refused: read-only');
  });
});
