/** A labelled form field with its error, or else its hint, under the input: every settings form uses it. */
import type { ReactNode } from 'react';

export function Field({ label, error, hint, children }: { label: string; error?: string | undefined; hint?: string; children: ReactNode }): React.JSX.Element {
  return (
    <label className={`field${error ? ' has-error' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? <span className="field-error">{error}</span> : hint ? <span className="field-hint muted small">{hint}</span> : null}
    </label>
  );
}
