/** One "key value" figure of a miner card's grid (USB board, network miner, AxeOS device). */
export function KeyValue({ k, v, testId, wide, wrap, title }: { k: string; v: string; testId?: string; wide?: boolean; wrap?: boolean; title?: string }): React.JSX.Element {
  return (
    <div className={`kv${wide ? ' kv-wide' : ''}${wrap ? ' kv-wrap' : ''}`} title={title}>
      <span className="k">{k}</span>
      {/* Without an explanation to show, the value itself is the tooltip: a cut-off value can still be read. */}
      <span className="v" data-testid={testId} title={title === undefined ? v : undefined}>
        {v}
      </span>
    </div>
  );
}
