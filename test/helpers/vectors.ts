import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Known-answer vectors kept in the repository (docs/stratum-and-gbt.md §5 lists them). */
export const VECTORS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/vectors');

export function loadVector<T = any>(name: string): T {
  return JSON.parse(readFileSync(path.join(VECTORS_DIR, name), 'utf8')) as T;
}
