/** Words for where a board's setting comes from and for a refused write. */
import type { OperatingSource } from '@shared/contract';

export const SOURCE_LABEL: Readonly<Record<OperatingSource, string>> = {
  default: 'model default',
  options: 'from options',
  eco: 'Eco profile',
  balanced: 'Balanced profile',
  max: 'Max profile',
  manual: 'set by hand',
  tuning: 'tuning run',
};

/** The engine's refusal in words the user can act on (the web dashboard may be read-only). */
export function writeRefusal(what: string, message: string): string {
  if (/read-only/i.test(message)) return `This dashboard is read-only, so it cannot ${what}. Start the engine with --allow-writes, or use the desktop app.`;
  return message.endsWith('.') ? message : `${message}.`;
}
