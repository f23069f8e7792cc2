import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Where the shared docs live: ../shared next to the checkout (CI clones main with shared/ beside it). */
export const SHARED_DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/docs');

export function loadVector<T = any>(name: string): T {
  return JSON.parse(readFileSync(path.join(SHARED_DOCS, 'vectors', name), 'utf8')) as T;
}
