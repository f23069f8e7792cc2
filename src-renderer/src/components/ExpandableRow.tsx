/**
 * A table row that opens a detail row under it, and the title cell that shows which way it points:
 * the Boards page's tables of USB boards and of AxeOS devices.
 */
import type { ReactNode } from 'react';

export function ExpandableRow({
  isOpen,
  onToggle,
  testId,
  colSpan,
  detail,
  children,
}: {
  isOpen: boolean;
  onToggle: () => void;
  testId: string;
  colSpan: number;
  detail: ReactNode;
  children: ReactNode;
}): React.JSX.Element {
  return (
    <>
      <tr className={`clickable${isOpen ? ' open' : ''}`} onClick={onToggle} data-testid={testId}>
        {children}
      </tr>
      {isOpen ? (
        <tr className="detail">
          <td colSpan={colSpan}>{detail}</td>
        </tr>
      ) : null}
    </>
  );
}

/** The first cell: ▸/▾, the name, the model muted (and a badge), the address under it. */
export function ExpandableTitleCell({ isOpen, name, model, badge, sub }: { isOpen: boolean; name: string; model: string; badge?: ReactNode; sub: string }): React.JSX.Element {
  return (
    <td>
      <div className="cell-title">
        {isOpen ? '▾' : '▸'} {name} <span className="muted">{model}</span> {badge}
      </div>
      <div className="muted small">{sub}</div>
    </td>
  );
}
