/**
 * `--schedule`: a JSON file with the schedule, or the JSON itself (a config file passes its
 * `schedule` that way). Checked before anything starts: bad input is one sentence and exit 2.
 */
import { readFileSync } from 'node:fs';
import { scheduleSchema, type Schedule } from '@shared/contract';
import { UsageError } from './usage-error.js';

export function loadScheduleOption(value: string): Schedule {
  const inline = value.trimStart().startsWith('{');
  let text = value;
  if (!inline) {
    try {
      text = readFileSync(value, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read the schedule file ${value}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  const where = inline ? 'the schedule' : `schedule file ${value}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = scheduleSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'schedule'}: ${i.message}`);
    throw new UsageError(`${where}: ${issues.join('; ')}`);
  }
  return parsed.data;
}
