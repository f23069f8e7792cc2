/** One labelled figure on a dashboard tile. */
import type { ReactNode } from 'react';

export function Stat({
  label,
  value,
  sub,
  title,
  testId,
  tone,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  title?: string;
  testId?: string;
  tone?: 'good' | 'bad' | 'warn';
}): React.JSX.Element {
  return (
    <div className="stat" title={title}>
      <div className="stat-label">{label}</div>
      <div className={`stat-value${tone ? ` tone-${tone}` : ''}`} data-testid={testId}>
        {value}
      </div>
      {sub !== undefined ? <div className="stat-sub">{sub}</div> : null}
    </div>
  );
}
