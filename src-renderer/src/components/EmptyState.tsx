/** Shown wherever data is missing: says why and what to do, instead of a fake zero. */
import type { ReactNode } from 'react';

export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }): React.JSX.Element {
  return (
    <div className="empty" data-testid={testId}>
      <div className="empty-title">{title}</div>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}
